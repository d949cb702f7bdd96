"""Query results and RDF in the formats researchers ask for, by name or media type.

One table maps user-facing names (``csv``, ``ttl``...) to media types, so the CLI, the app and
the HTTP endpoint agree on what each format is.
"""

from __future__ import annotations

from collections.abc import Callable

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



class TooManyRows(Exception):
    """A result holds more solutions or triples than the caller allowed."""

    def __init__(self, limit: int, unit: str) -> None:
        super().__init__(f"the query gives more than {limit} {unit}")
        self.limit = limit
        self.unit = unit


def serialize_capped(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    media_type: str,
    max_rows: int,
    on_chunk: Callable[[], None] | None = None,
) -> bytes:
    """Like :func:`serialize_result`, but stop with :class:`TooManyRows` past ``max_rows``.

    Rows are counted without bringing them into Python: pyoxigraph first writes the result in
    a line format (TSV for solutions, N-Triples for triples: one line per row, newlines inside
    literals escaped, plus TSV's header), counted as it streams out, and that is then
    converted natively to the asked format. ``on_chunk`` runs on every written chunk, e.g. to
    give up at a deadline; what it raises aborts the evaluation."""
    if isinstance(result, ox.QueryBoolean):
        return serialize_result(result, media_type)
    if isinstance(result, ox.QueryTriples):
        if media_type in RESULT_FORMATS.values():
            media_type = "text/turtle"
        target_rdf = rdf_format(media_type)
        lines = _LineCounter(max_rows, "triples", on_chunk, header_lines=0)
        result.serialize(lines, format=ox.RdfFormat.N_TRIPLES)
        if target_rdf == ox.RdfFormat.N_TRIPLES:
            return lines.data()
        return ox.serialize(ox.parse(lines.data(), format=ox.RdfFormat.N_TRIPLES), format=target_rdf) or b""
    if media_type in _RDF_BY_MEDIA:
        raise FormatError("a SELECT or ASK query gives results, not RDF: use json, xml, csv or tsv")
    target = results_format(media_type)
    lines = _LineCounter(max_rows, "rows", on_chunk, header_lines=1)
    result.serialize(lines, format=ox.QueryResultsFormat.TSV)
    if target == ox.QueryResultsFormat.TSV:
        return lines.data()
    solutions = ox.parse_query_results(lines.data(), format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=target)


class _LineCounter:
    """A binary sink for pyoxigraph that counts lines and refuses to grow past a limit."""

    def __init__(
        self, max_rows: int, unit: str, on_chunk: Callable[[], None] | None, *, header_lines: int
    ) -> None:
        self._chunks: list[bytes] = []
        self._rows = -header_lines
        self._max_rows = max_rows
        self._unit = unit
        self._on_chunk = on_chunk

    def write(self, chunk: bytes) -> int:
        if self._on_chunk is not None:
            self._on_chunk()
        data = bytes(chunk)
        self._rows += data.count(b"\n")
        if self._rows > self._max_rows:
            raise TooManyRows(self._max_rows, self._unit)
        self._chunks.append(data)
        return len(data)

    def flush(self) -> None:
        """pyoxigraph flushes its sink when done; everything is in memory already."""

    def data(self) -> bytes:
        return b"".join(self._chunks)
