"""Checks on SPARQL text written by a user, run before any parser sees it.

Why before parsing: the engine's parser and evaluator recurse once per nesting level and per
link of an operator chain, and a few thousand levels (``{{{{…``, ``((((…``, ``!!!!…``, a long
``UNION`` or ``+`` chain: about 8,000 here) overflow the stack and kill the process. Why the
keywords: ``SERVICE`` makes the engine send an HTTP request to any address in the query, and
``LOAD`` (in updates) fetches one; ``FROM`` would silently be ignored (the default graph is
the union of all article graphs), so it is refused with advice instead.

The check is one linear pass of a small tokenizer that skips strings, IRIs and comments, so
``"SERVICE"`` in a literal or ``<http://x/SERVICE>`` is harmless. An IRI-looking token that
could instead be a ``<`` operator hiding a keyword before a comment (``FILTER(?a<?b)SERVICE#>``)
is read as the operator, so a keyword can never hide inside it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from graph.store import QueryError

# Keyword -> why it is refused, for queries and for updates.
_QUERY_REFUSED = {
    "SERVICE": "SERVICE (federated queries) is disabled: queries may not reach other servers",
    "FROM": "FROM and FROM NAMED are not supported: the default graph is already the union of all "
            "article graphs; use GRAPH <iri> { ... } to read one graph",
}
_UPDATE_REFUSED = {
    "SERVICE": _QUERY_REFUSED["SERVICE"],
    "LOAD": "LOAD is disabled: updates may not fetch documents from other servers",
}
# Operators and keywords that each add a level to the engine's expression or pattern tree.
_CHAIN_KEYWORDS = {"UNION", "OPTIONAL", "MINUS"}

_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
# Inside an IRI-looking token: a keyword right after the end of a pattern element and right
# before a comment or a variable is how a '<' operator could hide it from this scanner.
_HIDDEN = re.compile(r"(?i)[)\].0-9](SERVICE|FROM|LOAD)(?=[#?$]|>$)")
_NAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w\-.:%\u00B7\u00C0-\uFFFF]*|:[\w\-.:%\u00B7\u00C0-\uFFFF]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?")
_VARIABLE = re.compile(r"[?$][\w\u00B7\u00C0-\uFFFF]*")
_STRINGS = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class QueryLimits:
    """Bounds on user SPARQL text; the defaults come from the environment (README, "Limits")."""

    max_bytes: int = 200_000
    max_depth: int = 64
    max_operators: int = 1_000

    @classmethod
    def from_env(cls) -> "QueryLimits":
        return cls(
            max_bytes=_env_int("DEALGRAPH_QUERY_MAX_BYTES", cls.max_bytes),
            max_depth=_env_int("DEALGRAPH_QUERY_MAX_DEPTH", cls.max_depth),
            max_operators=_env_int("DEALGRAPH_QUERY_MAX_OPERATORS", cls.max_operators),
        )


class QueryRefused(QueryError):
    """The text was refused before evaluation: too large, too deep, or asks for the network."""


def check_query(text: str, limits: QueryLimits | None = None) -> None:
    """Refuse a SPARQL query that is too big or deep for the engine, or uses SERVICE or FROM."""
    _check(text, limits or QueryLimits.from_env(), _QUERY_REFUSED)


def check_update(text: str, limits: QueryLimits | None = None) -> None:
    """Refuse a SPARQL update that is too big or deep for the engine, or uses SERVICE or LOAD."""
    _check(text, limits or QueryLimits.from_env(), _UPDATE_REFUSED)


def _check(text: str, limits: QueryLimits, refused: dict[str, str]) -> None:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes long; the limit is {limits.max_bytes:,}")
    depth = deepest = operators = 0
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
        elif char == "#":
            newline = text.find("\n", position)
            position = end if newline < 0 else newline + 1
        elif char in "\"'":
            position = _skip_string(text, position)
        elif char == "<" and (iri := _IRI.match(text, position)) and not _HIDDEN.search(iri.group()):
            position = iri.end()
        elif char in "({[":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limits.max_depth:
                    raise QueryRefused(
                        f"the query is nested more than {limits.max_depth} levels deep (brackets); "
                        "the engine cannot evaluate it safely"
                    )
            position += 1
        elif char in ")}]":
            depth = max(0, depth - 1)
            position += 1
        elif char in "?$" and (variable := _VARIABLE.match(text, position)) and len(variable.group()) > 1:
            position = variable.end()
        elif number := _NUMBER.match(text, position):
            position = number.end()
        elif name := _NAME.match(text, position):
            word = name.group().rstrip(".")
            position += len(word)
            keyword = word.upper()
            if keyword in refused:
                raise QueryRefused(refused[keyword])
            if keyword in _CHAIN_KEYWORDS:
                operators += 1
        else:
            if char in "!&|+-*/^=<>":
                operators += 1
            position += 1
        if operators > limits.max_operators:
            raise QueryRefused(
                f"the query chains more than {limits.max_operators} operators (UNION, OPTIONAL, "
                "arithmetic, logic, paths); the engine cannot evaluate it safely"
            )


def _skip_string(text: str, position: int) -> int:
    """The index after the string literal starting at ``position`` (or the end of the text
    when it is not closed: the engine will report that)."""
    for quote in _STRINGS:
        if text.startswith(quote, position):
            break
    cursor = position + len(quote)
    while cursor < len(text):
        char = text[cursor]
        if char == "\\":
            cursor += 2
        elif text.startswith(quote, cursor):
            return cursor + len(quote)
        elif char == "\n" and len(quote) == 1:
            return cursor
        else:
            cursor += 1
    return len(text)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        return default
