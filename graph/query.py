"""Named SPARQL queries kept as ``graph/queries/*.rq`` files, run with bound values.

The app, the CLI and researchers share one set of queries: each file starts with ``#`` header
lines (``title:``, ``gallery:``, ``param NAME KIND: help``) that the SPARQL console reads, then
its own PREFIX lines, so it runs as it is with ``dealgraph query --file``, SPARQLWrapper or any
endpoint.
Parameters are plain variables of the query; a caller binds them through
:meth:`graph.store.Store.query` (a trailing VALUES clause), so no typed value ever becomes
query text. A bound variable must therefore appear in the query's pattern (or among its
GROUP BY variables), which every file here respects.

The console half runs arbitrary read-only text under a row limit, a time limit and a memory
limit, in a worker process that is killed at the limits (:mod:`graph.sandbox`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.namespaces import XSD
from graph.serialize import RDF_FORMATS, RESULT_FORMATS, serialize_result
from graph.sandbox import QueryTimeout, run_user_query
from graph.store import BindingValue, QueryError, Store, Term, bind_values, iter_rows

QUERY_DIR = Path(__file__).with_name("queries")
PARAM_KINDS = ("iri", "string", "integer", "decimal", "date")
DEFAULT_ROW_LIMIT = 5_000
DEFAULT_TIME_LIMIT_S = 20.0

_HEADER = re.compile(r"^#\s*(?P<key>title|gallery|description):\s*(?P<value>.*)$")
_PARAM = re.compile(r"^#\s*param\s+(?P<name>\w+)\s+(?P<kind>\w+)\s*:\s*(?P<help>.*)$")
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}
# IRIs, string literals and comments, matched left to right so a '#' inside an IRI or a
# keyword inside a string is never taken for what it is not.
_IGNORED = re.compile(
    r'<[^<>"{}|^`\\\s]*>|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
)


class ReadOnlyError(QueryError):
    """The console was given a SPARQL UPDATE; the viewer never writes through SPARQL."""


class ParameterError(QueryError):
    """A parameter value cannot be turned into the RDF term its query expects."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    gallery: bool
    params: tuple[Param, ...]
    body: str

    @property
    def text(self) -> str:
        """Runnable text: the file as written, PREFIX lines included."""
        return self.body


@cache
def load(name: str) -> NamedQuery:
    """Read ``graph/queries/<name>.rq`` (cached: the files ship with the package)."""
    path = QUERY_DIR / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no named query {name!r}; known: {', '.join(names())}")
    body = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Param] = []
    for line in body.splitlines():
        if not line.startswith("#"):
            break
        if m := _PARAM.match(line):
            if m["kind"] not in PARAM_KINDS:
                raise QueryError(f"{path.name}: parameter kind {m['kind']!r} is not one of {PARAM_KINDS}")
            params.append(Param(m["name"], m["kind"], m["help"].strip()))
        elif m := _HEADER.match(line):
            header[m["key"]] = m["value"].strip()
    return NamedQuery(
        name=name,
        title=header.get("title", name.replace("_", " ")),
        description=header.get("description", ""),
        gallery=header.get("gallery", "").lower() in ("yes", "true"),
        params=tuple(params),
        body=body,
    )


def names() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


def gallery() -> list[NamedQuery]:
    """The example queries offered in the app's SPARQL console, in title order."""
    return sorted((q for q in map(load, names()) if q.gallery), key=lambda q: q.title)


def python_value(term: Term | None) -> Any:
    """An RDF term as the Python value a table or chart wants: IRIs as strings, typed
    literals as int/Decimal/float/date/bool, every other literal as its lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    datatype = term.datatype.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype in (XSD + "double", XSD + "float"):
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == XSD + "date":
            return dt.date.fromisoformat(term.value)
    except (ValueError, InvalidOperation):
        return term.value
    return term.value


_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}


def run(store: Store, name: str, bindings: Mapping[str, BindingValue] | None = None) -> list[dict[str, Any]]:
    """Run a named query; rows as dicts of Python values (see :func:`python_value`)."""
    query = load(name)
    unknown = set(bindings or {}) - {p.name for p in query.params}
    if unknown:
        raise ParameterError(f"query {name!r} has no parameter {', '.join(sorted(unknown))}")
    result = store.query(query.text, bindings)
    return [{k: python_value(v) for k, v in row.items()} for row in iter_rows(result)]


def parse_param(param: Param, raw: str) -> ox.NamedNode | ox.Literal:
    """Turn what a user typed into the RDF term the parameter expects, or say why not."""
    raw = raw.strip()
    try:
        if param.kind == "iri":
            return ox.NamedNode(raw.removeprefix("<").removesuffix(">"))
        if param.kind == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
        if param.kind == "decimal":
            return ox.Literal(str(Decimal(raw)), datatype=ox.NamedNode(XSD + "decimal"))
        if param.kind == "date":
            return ox.Literal(dt.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(XSD + "date"))
    except (ValueError, InvalidOperation) as exc:
        raise ParameterError(f"parameter {param.name}: {raw!r} is not a valid {param.kind}") from exc
    return ox.Literal(raw)


def query_form(sparql: str) -> str:
    """The first keyword after the prologue (SELECT, ASK, INSERT...), upper-cased.

    Comments, IRIs and string literals are blanked first, so a keyword inside them never
    counts. The store only ever parses text as a *query*, which cannot write; this check
    exists to answer an UPDATE with a clear sentence instead of a parser error."""
    text = _IGNORED.sub(" ", sparql)
    text = re.sub(r"(?i)\bPREFIX\s+[A-Za-z0-9_.-]*:|\bBASE\b", " ", text)
    words = re.findall(r"[A-Za-z]+", text)
    return words[0].upper() if words else ""


def check_read_only(sparql: str) -> None:
    form = query_form(sparql)
    if form in _UPDATE_WORDS:
        raise ReadOnlyError(
            f"this console is read-only: {form} is a SPARQL UPDATE and was not run. "
            "Change data by ingesting articles; query it with SELECT, CONSTRUCT, ASK or DESCRIBE."
        )
    if form not in _QUERY_WORDS:
        raise QueryError("the text is not a SPARQL query: it must start with SELECT, CONSTRUCT, ASK or DESCRIBE")


@dataclass
class ConsoleResult:
    """What the console shows: rows of RDF terms and why the run stopped, if it stopped early."""

    form: str
    columns: list[str]
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    row_limited: bool = False
    timed_out: bool = False
    seconds: float = 0.0

    @property
    def message(self) -> str | None:
        if self.timed_out:
            return (
                f"The query ran past the time limit and was stopped after {self.seconds:.1f} s. "
                "Add a LIMIT or narrow the pattern."
            )
        if self.row_limited:
            return (
                f"Only the first {len(self.rows)} rows are shown (row limit). "
                "Add a LIMIT, aggregate, or filter to see the rest."
            )
        return None

    def table(self) -> list[dict[str, str | None]]:
        """Rows for display: IRIs and literal values as text."""
        return [{c: (None if t is None else t.value) for c, t in zip(self.columns, row)} for row in self.rows]

    def formats(self) -> dict[str, str]:
        """Download formats that fit this result: results formats, or RDF for CONSTRUCT."""
        return dict(RDF_FORMATS) if self.form in ("CONSTRUCT", "DESCRIBE") else dict(RESULT_FORMATS)

    def serialize(self, fmt: str) -> bytes:
        """The shown rows in a download format, written by :mod:`graph.serialize` so every
        output of dealgraph agrees on what each format is."""
        media = self.formats()[fmt]
        if self.form in ("CONSTRUCT", "DESCRIBE"):
            store = ox.Store()
            store.extend(ox.Quad(*row) for row in self.rows)
            triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            return serialize_result(triples, media)
        return serialize_result(ox.parse_query_results(self._json(), format=ox.QueryResultsFormat.JSON), media)

    def _json(self) -> bytes:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}).encode()
        bindings = [
            {c: _json_term(t) for c, t in zip(self.columns, row) if t is not None} for row in self.rows
        ]
        return json.dumps({"head": {"vars": self.columns}, "results": {"bindings": bindings}}).encode()


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def run_console(
    store: Store,
    sparql: str,
    bindings: Mapping[str, BindingValue] | None = None,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> ConsoleResult:
    """Run user-written SPARQL read-only, keeping ``row_limit`` rows and stopping at
    ``time_limit_s``.

    The text is checked first (:mod:`graph.guard`: size, nesting, SERVICE, FROM), then
    evaluated in a worker process (:mod:`graph.sandbox`) that is killed at the time limit or
    when it needs more memory than allowed, so a runaway query never holds the console, the
    app or the machine."""
    check_read_only(sparql)
    result = ConsoleResult(form=query_form(sparql), columns=[])
    started = time.monotonic()
    try:
        answer = run_user_query(
            store, bind_values(sparql, bindings), results_media=_JSON_MEDIA, graph_media=_NT_MEDIA,
            max_rows=row_limit, timeout_s=time_limit_s,
        )
    except QueryTimeout:
        result.timed_out = True
        result.seconds = time.monotonic() - started
        return result
    result.seconds = time.monotonic() - started
    result.row_limited = answer.truncated
    if answer.kind == "triples":
        result.columns = ["subject", "predicate", "object"]
        result.rows = [[t.subject, t.predicate, t.object] for t in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
        return result
    parsed = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        result.boolean = bool(parsed)
        return result
    result.columns = [v.value for v in parsed.variables]
    result.rows = [[solution[c] for c in result.columns] for solution in parsed]
    return result


_JSON_MEDIA = "application/sparql-results+json"
_NT_MEDIA = "application/n-triples"
