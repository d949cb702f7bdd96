"""Query results and RDF in the formats researchers ask for, by name or media type.

One table maps user-facing names (``csv``, ``ttl``...) to media types, so the CLI, the app and
the HTTP endpoint agree on what each format is.
"""

from __future__ import annotations

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
