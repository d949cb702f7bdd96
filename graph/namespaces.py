"""Namespace constants and deterministic IRI minting.

IRIs are derived from normalised content (entity kind + matching key, article hash), never
random, so the same entity lands on the same node in every run and on every machine.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

BASE = "https://w3id.org/dealgraph/"
DG = BASE + "ontology#"
ID = BASE + "id/"
ARTICLE = BASE + "article/"
RESOLUTION_GRAPH = BASE + "graph/resolution"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES: dict[str, str] = {
    "dg": DG,
    "dgid": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "schema": SCHEMA,
    "org": ORG,
    "dct": DCT,
}


def sparql_prefixes() -> str:
    """The PREFIX header every named query may rely on."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_PN_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


def prefixed(iri: str) -> str:
    """``dg:Agreement`` for an IRI under a known prefix whose local part is a plain SPARQL
    name, else the whole IRI in angle brackets: either form pastes into a query and matches."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _PN_LOCAL.match(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def slug(text: str) -> str:
    """A readable, script-independent IRI segment: 'Ақтөбе облысы' -> 'aktobe-oblysy'."""
    latin = anyascii(unicodedata.normalize("NFC", text)).lower()
    latin = re.sub(r"[^a-z0-9]+", "-", latin).strip("-")
    return latin[:80] or "x"


def short_hash(*parts: str, length: int = 12) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@lru_cache(maxsize=65536)
def entity_iri(kind: str, key: str) -> str:
    """IRI of a canonical entity: kind plus its matching key (already normalised by resolve).
    Cached: an entity is named by every fact about it, and the same entities recur."""
    return f"{ID}{kind}/{slug(key)}-{short_hash(kind, key, length=8)}"


def article_iri(content_hash: str) -> str:
    """The article node and its named graph share this IRI: one graph per article."""
    return f"{ARTICLE}{content_hash[:16]}"


def node_iri(kind: str, *parts: str) -> str:
    """IRI of a node that only exists inside one article (sentence, statement, visit, amount)."""
    return f"{ID}{kind}/{short_hash(*parts, length=16)}"
