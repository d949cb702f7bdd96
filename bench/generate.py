"""Deterministic synthetic articles in the ontology's real shape, shared by the benches.

Why synthetic: the real corpus is a few hundred articles, while choosing a store needs
100k-1M triples with the same skew as production data: 20 regions repeated in every graph,
a Zipf-like pool of companies (a few hubs), and provenance (sentences and reified
statements) outweighing the facts. The same seed gives the same articles on every machine,
and a longer run starts with exactly the articles of a shorter one.

Each article is one named graph (IRI = the dg:Article node) holding one dg:Agreement with
its parties, region, amount, project and date, often an official with a post, the evidence
sentences, one dg:Statement per fact, and the article node itself. Shared entities
(regions, companies, officials) repeat their type and labels in every graph that names them,
as the ingest pipeline writes them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate, islice
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import DCT, DG, RDF, RDFS, XSD, article_iri, entity_iri, node_iri, short_hash

VOCABULARY = Path(__file__).with_name("data") / "synthetic.json"
COMPANY_POOL = 5000
ZIPF_EXPONENT = 1.0
EXTRACTOR = "synthetic/1"
FIRST_DAY = date(2019, 1, 1)
DAYS = 8 * 365

Article = tuple[str, list[ox.Triple]]


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=_nn(XSD + datatype))


A = _nn(RDF + "type")
LABEL = _nn(RDFS + "label")
P = {name: _nn(DG + name) for name in (
    "agreementType", "status", "party", "locationRegion", "amount", "project", "signingDate",
    "value", "currency", "qualifier", "holdsPost", "role", "postIn", "country", "text", "start",
    "end", "inArticle", "evidence", "extractor", "confidence", "contentHash", "source",
)}
C = {name: _nn(DG + name) for name in (
    "Agreement", "MonetaryAmount", "Project", "Region", "Company", "Official", "Post",
    "Sentence", "Statement", "Article",
)}
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = (_nn(RDF + n) for n in ("subject", "predicate", "object"))
TITLE, DATE = _nn(DCT + "title"), _nn(DCT + "date")


@dataclass(frozen=True)
class Region:
    code: str
    node: ox.NamedNode
    names: dict[str, str]
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class Company:
    node: ox.NamedNode
    name: str
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class Official:
    node: ox.NamedNode
    name: str
    region: Region
    role: dict[str, str]
    triples: tuple[ox.Triple, ...]


@dataclass(frozen=True)
class World:
    """The shared entities every article draws from, fixed by the seed."""

    vocab: dict
    regions: list[Region]
    region_weights: list[float]
    companies: list[Company]
    company_cum_weights: list[float]
    officials: dict[str, tuple[list[Official], list[float]]]


def region_iri(code: str) -> str:
    """IRI of a region by ISO code (e.g. 'KZ-AKT'), as the generator mints it."""
    return entity_iri("region", code)


def hub_company_iri(seed: int = 0) -> str:
    """IRI of the most frequent company (Zipf rank 1) for this seed."""
    return _world(seed).companies[0].node.value


def generate_articles(n_agreements: int, seed: int = 0) -> Iterator[Article]:
    """The first ``n_agreements`` articles for ``seed``: (graph IRI, triples), one agreement each."""
    return islice(_articles(seed), n_agreements)


def generate_triples(n_triples: int, seed: int = 0) -> Iterator[Article]:
    """Articles until exactly ``n_triples`` triples (quads) in total.

    The last article is cut short to land on the exact total; its provenance statements
    come last, so only some of them are lost. Triples within a graph are distinct, so a
    store holding the output has exactly ``n_triples`` quads."""
    left = n_triples
    for iri, triples in _articles(seed):
        if left <= 0:
            return
        yield iri, triples[:left]
        left -= len(triples)


@lru_cache(maxsize=4)
def _world(seed: int) -> World:
    vocab = json.loads(VOCABULARY.read_text(encoding="utf-8"))
    rng = random.Random(f"world-{seed}")
    regions = [_region(r) for r in vocab["regions"]]
    companies = _companies(vocab, rng)
    weights = [1.0 / rank**ZIPF_EXPONENT for rank in range(1, len(companies) + 1)]
    officials = {r.code: _officials(vocab, r, rng) for r in regions}
    return World(
        vocab=vocab,
        regions=regions,
        region_weights=[r["weight"] for r in vocab["regions"]],
        companies=companies,
        company_cum_weights=list(accumulate(weights)),
        officials=officials,
    )


def _region(entry: dict) -> Region:
    node = _nn(region_iri(entry["code"]))
    names = {lang: entry[lang] for lang in ("kk", "ru", "en")}
    triples = (ox.Triple(node, A, C["Region"]),) + tuple(
        ox.Triple(node, LABEL, ox.Literal(name, language=lang)) for lang, name in names.items()
    )
    return Region(entry["code"], node, names, triples)


def _companies(vocab: dict, rng: random.Random) -> list[Company]:
    countries = list(vocab["company_countries"])
    country_weights = list(vocab["company_countries"].values())
    seen: set[str] = set()
    companies: list[Company] = []
    while len(companies) < COMPANY_POOL:
        name = " ".join((
            rng.choice(vocab["company_stems"]),
            rng.choice(vocab["company_sectors"]),
            rng.choice(vocab["company_legal_forms"]),
        ))
        if name in seen:
            name = f"{name} {len(companies)}"
        seen.add(name)
        node = _nn(entity_iri("company", name))
        country = rng.choices(countries, country_weights)[0]
        companies.append(Company(node, name, (
            ox.Triple(node, A, C["Company"]),
            ox.Triple(node, LABEL, ox.Literal(name)),
            ox.Triple(node, P["country"], ox.Literal(country)),
        )))
    return companies


def _officials(vocab: dict, region: Region, rng: random.Random) -> tuple[list[Official], list[float]]:
    officials: list[Official] = []
    weights: list[float] = []
    for role in vocab["roles"]:
        for _ in range(role["holders"]):
            name = f"{rng.choice(vocab['first_names'])} {rng.choice(vocab['surnames'])}"
            node = _nn(entity_iri("official", f"{name}|{region.code}|{role['role']}"))
            post = _nn(entity_iri("post", f"{region.code}|{role['role']}|{name}"))
            officials.append(Official(node, name, region, role, (
                ox.Triple(node, A, C["Official"]),
                ox.Triple(node, LABEL, ox.Literal(name)),
                ox.Triple(node, P["holdsPost"], post),
                ox.Triple(post, A, C["Post"]),
                ox.Triple(post, P["role"], ox.Literal(role["role"])),
                ox.Triple(post, P["postIn"], region.node),
            )))
            weights.append(role["weight"] / role["holders"])
    return officials, weights


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def _amount(rng: random.Random, vocab: dict) -> tuple[str, str]:
    """A currency and a decimal with three significant digits, as press releases round them."""
    currencies = vocab["currencies"]
    cur = rng.choices(currencies, [c["weight"] for c in currencies])[0]
    exponent = rng.uniform(cur["log10_min"], cur["log10_max"])
    digits = int(exponent) - 2
    mantissa = round(10 ** (exponent - digits))
    if digits >= 0:
        return cur["code"], str(mantissa * 10**digits)
    return cur["code"], f"{mantissa / 10**-digits:.{-digits}f}"


def _articles(seed: int) -> Iterator[Article]:
    world = _world(seed)
    rng = random.Random(f"articles-{seed}")
    index = 0
    while True:
        yield _article(world, rng, seed, index)
        index += 1


def _article(world: World, rng: random.Random, seed: int, index: int) -> Article:
    vocab = world.vocab
    content_hash = short_hash("synthetic", str(seed), str(index), length=64)
    graph = article_iri(content_hash)
    article = _nn(graph)
    lang = _pick(rng, vocab["languages"])

    region = rng.choices(world.regions, world.region_weights)[0]
    location = region if rng.random() < 0.85 else rng.choices(world.regions, world.region_weights)[0]
    company = rng.choices(world.companies, cum_weights=world.company_cum_weights)[0]
    agreement = _nn(node_iri("agreement", graph))
    signed = FIRST_DAY + timedelta(days=rng.randrange(DAYS))

    facts: list[ox.Triple] = [
        ox.Triple(agreement, P["party"], region.node),
        ox.Triple(agreement, P["party"], company.node),
        ox.Triple(agreement, P["locationRegion"], location.node),
    ]
    body: list[ox.Triple] = [
        ox.Triple(agreement, A, C["Agreement"]),
        ox.Triple(agreement, P["agreementType"], ox.Literal(_pick(rng, vocab["agreement_types"]))),
        ox.Triple(agreement, P["status"], ox.Literal(_pick(rng, vocab["statuses"]))),
    ]
    body += region.triples + company.triples
    if location is not region:
        body += location.triples

    currency, value = _amount(rng, vocab)
    if rng.random() < 0.9:
        money = _nn(node_iri("amount", graph))
        facts.append(ox.Triple(agreement, P["amount"], money))
        body += [
            ox.Triple(money, A, C["MonetaryAmount"]),
            ox.Triple(money, P["value"], _typed(value, "decimal")),
            ox.Triple(money, P["currency"], ox.Literal(currency)),
            ox.Triple(money, P["qualifier"], ox.Literal(_pick(rng, vocab["qualifiers"]))),
        ]
    kind = rng.choice(vocab["project_kinds"])[lang]
    if rng.random() < 0.8:
        project = _nn(node_iri("project", graph))
        label = vocab["project_label_templates"][lang].format(region=location.names[lang], kind=kind)
        facts.append(ox.Triple(agreement, P["project"], project))
        body += [ox.Triple(project, A, C["Project"]), ox.Triple(project, LABEL, ox.Literal(label, language=lang))]
    if rng.random() < 0.85:
        facts.append(ox.Triple(agreement, P["signingDate"], _typed(signed.isoformat(), "date")))

    text = vocab["sentence_templates"][lang].format(
        region=region.names[lang], company=company.name, project=kind, amount=value, currency=currency
    )
    sentences = [(_nn(node_iri("sentence", graph, "0")), text, 0)]
    evidence = [(fact, sentences[0][0]) for fact in facts]

    if rng.random() < 0.8:
        officials, weights = world.officials[region.code]
        official = rng.choices(officials, weights)[0]
        body += official.triples
        line = vocab["official_templates"][lang].format(
            region=region.names[lang], role=official.role[lang], name=official.name
        )
        sentences.append((_nn(node_iri("sentence", graph, "1")), line, len(text) + 1))
        post_fact = official.triples[2]
        evidence.append((post_fact, sentences[1][0]))

    for node, sentence_text, start in sentences:
        body += [
            ox.Triple(node, A, C["Sentence"]),
            ox.Triple(node, P["text"], ox.Literal(sentence_text, language=lang)),
            ox.Triple(node, P["start"], _typed(str(start), "integer")),
            ox.Triple(node, P["end"], _typed(str(start + len(sentence_text)), "integer")),
            ox.Triple(node, P["inArticle"], article),
        ]
    published = signed + timedelta(days=rng.randrange(4))
    body += [
        ox.Triple(article, A, C["Article"]),
        ox.Triple(article, TITLE, ox.Literal(text[:60], language=lang)),
        ox.Triple(article, DATE, _typed(published.isoformat(), "date")),
        ox.Triple(article, P["contentHash"], ox.Literal(content_hash)),
        ox.Triple(article, P["source"], ox.Literal(f"synthetic://{seed}/{index}")),
    ]
    body += facts
    body += _statements(graph, evidence, rng)
    return graph, _distinct(body)


def _statements(graph: str, evidence: Sequence[tuple[ox.Triple, ox.NamedNode]], rng: random.Random) -> list[ox.Triple]:
    """One reified dg:Statement per fact, pointing at its evidence sentence."""
    out: list[ox.Triple] = []
    for number, (fact, sentence) in enumerate(evidence):
        node = _nn(node_iri("statement", graph, str(number)))
        out += [
            ox.Triple(node, A, C["Statement"]),
            ox.Triple(node, RDF_SUBJECT, fact.subject),
            ox.Triple(node, RDF_PREDICATE, fact.predicate),
            ox.Triple(node, RDF_OBJECT, fact.object),
            ox.Triple(node, P["evidence"], sentence),
            ox.Triple(node, P["extractor"], ox.Literal(EXTRACTOR)),
            ox.Triple(node, P["confidence"], _typed(f"{rng.uniform(0.55, 0.99):.2f}", "decimal")),
        ]
    return out


def _distinct(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Drop repeats (a region that is both party and location) so counts equal store sizes."""
    return list(dict.fromkeys(triples))
