"""One ``skos:prefLabel`` per entity per language (kk, ru, en), derived from what the articles say.

Articles name an entity in their own language and spelling, each in its own graph
(``rdfs:label`` as the article wrote it, ``skos:altLabel`` for aliases and gazetteer names), so
the store holds many names per entity. A researcher (or "names in English" in the viewer)
wants one name per language. It cannot be written by each article, since two articles would
give two preferred labels; it is computed over the whole store and kept in a graph of its own,
:data:`LABELS_GRAPH`, rewritten after every ingest or delete.

Choice per language, first that applies:
1. the ``rdfs:label`` in that language most articles give (ties: shortest, then alphabetical);
2. the ``skos:altLabel`` in that language most articles give (gazetteer names: "Aktobe Region");
3. a stand-in: for ``en`` the anyascii transliteration of the best Russian, else Kazakh name
   (Latin script, so an English page never shows Cyrillic); for ``kk`` the Russian name and
   for ``ru`` the Kazakh name (both Cyrillic), else the English one.

Names are counted per canonical entity (the resolver's and the analyst's merges applied,
graph/judgements.py), and every IRI merged into it gets the same labels, so a query that meets
an article's own IRI for "Сумек" names it as the entity it was merged into.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from anyascii import anyascii

from graph.judgements import Review
from graph.namespaces import BASE, SKOS, sparql_prefixes
from graph.store import Store, iter_rows

LABELS_GRAPH = BASE + "graph/labels"
LANGUAGES = ("kk", "ru", "en")
PREF_LABEL = ox.NamedNode(SKOS + "prefLabel")

NAMES = sparql_prefixes() + f"""SELECT ?e ?label ?main (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  GRAPH ?g {{ ?e dg:matchKey ?key .
    {{ ?e rdfs:label ?label BIND(1 AS ?main) }} UNION {{ ?e skos:altLabel ?label BIND(0 AS ?main) }} }}
  FILTER(?g != <{LABELS_GRAPH}>)
}} GROUP BY ?e ?label ?main"""

Ranked = dict[str, list[tuple[int, int, str]]]
"""language -> (is rdfs:label, articles, text) for one entity."""


def preferred(names: Ranked) -> dict[str, str]:
    """The one name per language, by the rules in the module docstring."""
    best: dict[str, str] = {}
    for lang in LANGUAGES:
        ranked = sorted(names.get(lang, []), key=lambda r: (-r[0], -r[1], len(r[2]), r[2]))
        if ranked:
            best[lang] = ranked[0][2]
    fallback = {"en": ("ru", "kk"), "kk": ("ru", "en"), "ru": ("kk", "en")}
    chosen = dict(best)
    for lang in LANGUAGES:
        if lang in chosen:
            continue
        source = next((best[other] for other in fallback[lang] if other in best), None)
        if source is None and best:
            source = next(iter(best.values()))
        if source is not None:
            chosen[lang] = anyascii(source) if lang == "en" else source
    return chosen


def refresh(store: Store, review: Review | None = None) -> int:
    """Recompute :data:`LABELS_GRAPH` from every article graph, merges in ``review`` applied;
    returns the labels written.

    One aggregate query and one graph replace, which the store skips when nothing changed."""
    review = review or Review()
    names: dict[str, Ranked] = defaultdict(lambda: defaultdict(list))
    members: dict[str, set[str]] = defaultdict(set)
    for row in iter_rows(store.query(NAMES)):
        label = row["label"]
        lang = (label.language or "").split("-")[0] if isinstance(label, ox.Literal) else ""
        canonical = review.canonical(row["e"].value)
        members[canonical].add(row["e"].value)
        if lang in LANGUAGES:
            names[canonical][lang].append((int(row["main"].value), int(row["n"].value), label.value))
    chosen = {canonical: preferred(ranked) for canonical, ranked in names.items()}
    triples = [
        ox.Triple(ox.NamedNode(iri), PREF_LABEL, ox.Literal(text, language=lang))
        for canonical, best in sorted(chosen.items())
        for iri in sorted(members[canonical] | {canonical})
        for lang, text in sorted(best.items())
    ]
    store.replace_graphs({LABELS_GRAPH: triples})
    return len(triples)
