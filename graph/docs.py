"""The data model's documentation, generated from ``graph/ontology.ttl`` and the example
queries in ``graph/examples/*.rq``, as Markdown (``docs/ONTOLOGY.md``) and HTML (served by
``dealgraph serve`` at ``/``).

Generated rather than written so that it never drifts from the ontology: classes and
properties are read from the Turtle file, the examples are the files a test runs through the
CLI and a SPARQL client with their expected row counts (``# rows: N`` in each file's header).

Run ``python -m graph.docs`` to rewrite ``docs/ONTOLOGY.md``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import ARTICLE, BASE, DG, ID, OWL, PREFIXES, RDF, RDFS, REVIEWED
from graph.labels import LABELS_GRAPH

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE / "ontology.ttl"
EXAMPLES = HERE / "examples"
MARKDOWN = HERE.parent / "docs" / "ONTOLOGY.md"

_HEADER = re.compile(r"^#\s*(?P<key>title|description|rows):\s*(?P<value>.*)$")
_ALL_PREFIXES = {**PREFIXES, "owl": OWL, "foaf": "http://xmlns.com/foaf/0.1/",
                 "fibo-agr": "https://spec.edmcouncil.org/fibo/ontology/FND/Agreements/Agreements/",
                 "fibo-ctr": "https://spec.edmcouncil.org/fibo/ontology/FND/Agreements/Contracts/"}


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    description: str
    rows: int
    text: str


@dataclass(frozen=True)
class Term:
    name: str
    kind: str
    label: str
    comment: str
    parents: tuple[str, ...]
    domain: str
    range: str


def examples() -> list[Example]:
    """The example queries, in file-name order."""
    found = []
    for path in sorted(EXAMPLES.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = {m["key"]: m["value"].strip() for line in text.splitlines() if (m := _HEADER.match(line))}
        found.append(Example(path.stem, header.get("title", path.stem), header.get("description", ""),
                             int(header.get("rows", "-1")), text))
    return found


def short(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if not isinstance(term, ox.NamedNode):
        return ""
    for prefix, namespace in _ALL_PREFIXES.items():
        if term.value.startswith(namespace):
            return f"{prefix}:{term.value[len(namespace):]}"
    return term.value


def terms() -> list[Term]:
    """Every dg class and property of the ontology, with label, comment, parents, domain, range."""
    onto = ox.Store()
    onto.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)

    def values(subject: ox.NamedNode, predicate: str) -> list[ox.NamedNode | ox.Literal]:
        return [q.object for q in onto.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)]

    def text(subject: ox.NamedNode, predicate: str) -> str:
        return " ".join(v.value for v in values(subject, predicate) if isinstance(v, ox.Literal))

    kinds = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
             OWL + "DatatypeProperty": "datatype property"}
    found = []
    for quad in onto.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, None):
        subject, kind = quad.subject, kinds.get(quad.object.value)
        if kind is None or not isinstance(subject, ox.NamedNode) or not subject.value.startswith(DG):
            continue
        parents = values(subject, RDFS + "subClassOf") + values(subject, RDFS + "subPropertyOf") + \
            values(subject, OWL + "equivalentClass") + values(subject, OWL + "inverseOf")
        found.append(Term(short(subject), kind, text(subject, RDFS + "label"), text(subject, RDFS + "comment"),
                          tuple(sorted(short(p) for p in parents if isinstance(p, ox.NamedNode))),
                          ", ".join(short(v) for v in values(subject, RDFS + "domain")),
                          ", ".join(short(v) for v in values(subject, RDFS + "range"))))
    order = {"class": 0, "object property": 1, "datatype property": 2}
    return sorted(found, key=lambda t: (order[t.kind], t.name.lower()))


IRI_PATTERNS = [
    (f"{ID}<kind>/<slug>-<hash8>", "an entity (region, city, country, place, official, organization, "
     "company, project) as an article names it: kind plus its matching key, so every article that spells it "
     "alike names the same node; the resolver's and analysts' merge judgements map other spellings onto it"),
    (f"{ID}agreement/<hash16>", "an agreement, keyed by its parties' IRIs as the resolver resolved them (one node "
     "per real deal, whatever an analyst judges later), or by its article and content when it has fewer than "
     "two parties"),
    (f"{ID}<visit|post|amount|sentence|statement>/<hash16>", "nodes that exist inside one article"),
    (f"{BASE}judgement/<hash16>", "a judgement and its named graph (`resolver-<hash16>` for the resolver's merges)"),
    (f"{ARTICLE}<hash16>", "an article, and the named graph of its facts (prefix of the text's SHA-256)"),
    (DG + "<Term>", "classes and properties of the ontology"),
]

NAMED_GRAPHS = [
    ("default graph", "the set union of the named graphs but the reviewed one: each fact once, what a query "
     "without GRAPH reads (as the articles state it)"),
    (f"{ARTICLE}<hash16>", "one per article: its metadata, sentences, facts and their dg:Statement "
     "provenance, with each mention's own entity IRI (never re-keyed)"),
    (f"{BASE}judgement/<hash16>", "one per dg:Judgement, a person's or the resolver's (merges across articles)"),
    (REVIEWED, "the entity layer with every judgement applied (one node per canonical entity, owl:sameAs to "
     "the IRIs merged into it, one value per deal field): what the named queries and examples read; "
     "rebuilt after every ingest, delete and judgement"),
    (LABELS_GRAPH, "one skos:prefLabel per entity and language (kk, ru, en), for every IRI merged into it "
     "too, recomputed with the reviewed graph"),
]


def markdown() -> str:
    """The whole page as Markdown."""
    out = ["# dealgraph data model", "",
           "Generated by `python -m graph.docs` from `graph/ontology.ttl` and `graph/examples/*.rq`; "
           "do not edit by hand.", "",
           f"Namespace `{DG}` (prefix `dg:`); entity IRIs under `{ID}`. Prefixes used below:", ""]
    out += [f"- `{p}:` <{iri}>" for p, iri in _ALL_PREFIXES.items()]
    for kind, heading in (("class", "Classes"), ("object property", "Object properties"),
                          ("datatype property", "Datatype properties")):
        out += ["", f"## {heading}", "", "| term | label | description | parents | domain | range |",
                "|---|---|---|---|---|---|"]
        for t in (t for t in terms() if t.kind == kind):
            out.append(f"| `{t.name}` | {t.label} | {t.comment} | {', '.join(t.parents)} | {t.domain} | {t.range} |")
    out += ["", "## IRI patterns", "", "| pattern | what |", "|---|---|"]
    out += [f"| `{pattern}` | {what} |" for pattern, what in IRI_PATTERNS]
    out += ["", "## Named graphs", "", "| graph | holds |", "|---|---|"]
    out += [f"| `{graph}` | {what} |" for graph, what in NAMED_GRAPHS]
    out += ["", "## Example queries", "",
            "Each runs as it is: `dealgraph query --file graph/examples/NAME.rq`, with SPARQLWrapper "
            "against `dealgraph serve`, or in the app's console. Row counts are those of the bundled "
            "samples (`dealgraph ingest samples`)."]
    for ex in examples():
        out += ["", f"### {ex.title}", "", f"`{ex.name}.rq` — {ex.description} ({ex.rows} rows on the samples)",
                "", "```sparql", _body(ex.text), "```"]
    return "\n".join(out) + "\n"


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not _HEADER.match(line)).strip()


def html_page() -> str:
    """The same page as self-contained HTML (no scripts, no external resources)."""
    body: list[str] = []
    in_table = in_code = False
    for line in markdown().splitlines():
        if line.startswith("```"):
            body.append("<pre><code>" if not in_code else "</code></pre>")
            in_code = not in_code
            continue
        if in_code:
            body.append(html.escape(line))
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if set(line) <= {"|", "-"}:
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                body.append("<table>")
                in_table = True
            body.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{_inline(line.lstrip('#').strip())}</h{level}>")
        elif line.startswith("- "):
            body.append(f"<li>{_inline(line[2:])}</li>")
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    if in_table:
        body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}"
             "pre{background:#f6f6f6;padding:.8em;overflow-x:auto}code{font-size:90%}")
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dealgraph data model</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _inline(text: str) -> str:
    """Escape, then render `code` spans and <links>."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"&lt;(https?://[^&\s]+)&gt;", r'<a href="\1">\1</a>', escaped)


def main() -> None:
    MARKDOWN.parent.mkdir(exist_ok=True)
    MARKDOWN.write_text(markdown(), encoding="utf-8")
    print(f"wrote {MARKDOWN.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
