"""SHACL validation of the whole store (its default graph: every fact of every article graph once) against graph/shapes.ttl."""

from __future__ import annotations

from importlib import resources

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from graph.store import Store


def validate(store: Store) -> tuple[bool, str]:
    """(conforms, report text). The union is validated so shapes see each entity once with
    every source's statements."""
    data = rdflib.Graph()
    data.parse(data=store.dump(ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    shapes = rdflib.Graph().parse(data=resources.files("graph").joinpath("shapes.ttl").read_text("utf-8"),
                                  format="turtle")
    ontology = rdflib.Graph().parse(data=resources.files("graph").joinpath("ontology.ttl").read_text("utf-8"),
                                    format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    return bool(conforms), str(text)
