"""Query results and RDF in the formats researchers ask for, by name or media type.

One table maps user-facing names (``csv``, ``ttl``...) to media types, so the CLI, the app and
the HTTP endpoint agree on what each format is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

RESULT_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

RDF_FORMATS: dict[str, str] = {
    "ttl": "text/turtle",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}

_RESULT_BY_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

_RDF_BY_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class FormatError(ValueError):
    """An unknown or unsuitable output format; the message lists the valid ones."""


def rdf_format(name: str) -> ox.RdfFormat:
    media = RDF_FORMATS.get(name, name)
    if media not in _RDF_BY_MEDIA:
        raise FormatError(f"unknown RDF format {name!r}; choose one of {', '.join(RDF_FORMATS)}")
    return _RDF_BY_MEDIA[media]


def results_format(name: str) -> ox.QueryResultsFormat:
    media = RESULT_FORMATS.get(name, name)
    if media not in _RESULT_BY_MEDIA:
        raise FormatError(f"unknown results format {name!r}; choose one of {', '.join(RESULT_FORMATS)}")
    return _RESULT_BY_MEDIA[media]


def serialize_result(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, media_type: str) -> bytes:
    """SELECT/ASK results go to a results format, CONSTRUCT/DESCRIBE triples to an RDF format."""
    if isinstance(result, ox.QueryTriples):
        if media_type in RESULT_FORMATS.values():
            media_type = "text/turtle"
        return result.serialize(format=rdf_format(media_type))
    if media_type in _RDF_BY_MEDIA:
        raise FormatError("a SELECT or ASK query gives results, not RDF: use json, xml, csv or tsv")
    return result.serialize(format=results_format(media_type))


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[ox.QuerySolution], media_type: str
) -> bytes:
    """Serialise solutions already taken out of a result (e.g. to cap their number).

    pyoxigraph only serialises whole QuerySolutions objects, so the rows are written as SPARQL
    JSON and, for the other formats, parsed back into one and serialised by pyoxigraph."""
    fmt = results_format(media_type)
    document = {
        "head": {"vars": list(variables)},
        "results": {
            "bindings": [
                {name: _json_term(row[name]) for name in variables if row[name] is not None}
                for row in rows
            ]
        },
    }
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if fmt == ox.QueryResultsFormat.JSON:
        return data
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)


def serialize_triples(triples: Iterable[ox.Triple], media_type: str) -> bytes:
    """Serialise CONSTRUCT/DESCRIBE triples taken out of a result, in an RDF format."""
    return ox.serialize(triples, format=rdf_format(media_type)) or b""


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    """One RDF term in the SPARQL 1.1 (and SPARQL-star) JSON results shape."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    literal: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        literal["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        literal["datatype"] = term.datatype.value
    return literal


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
