"""The one deal model: what each article says about an agreement, where they disagree, what
the analyst corrected, and honest totals.

`dealgraph deals`, the viewer's Deals page and Insights, and the deal exports all read deals
from here, so they cannot disagree on what counts as a disagreement or how a total is formed.

Identity: a deal's IRI is minted from its own parties (ingest/triples.agreement_iri) as the
resolver resolved them — each party's entity IRI, followed through the resolver's merge
judgements ("Сумек" -> "Sumec") — never from their position, the article, or an analyst's
judgements. So three articles on one signing, in any language, land on one node and are
counted once; re-ingesting an article gives the same IRI (the resolver's merges stay in the
store as judgements, so it resolves the same way), whatever an analyst merged, corrected or
kept apart since, and the deal's own judgements keep applying; an extraction fix that adds or
removes a party of another deal, here or in another article, leaves it alone. What moves the
IRI: a change to this deal's own party set at extraction (a junk party the extractor stops
finding); undoing the resolver's merge of one of its parties (`dealgraph unmerge`), once the
article is re-ingested; an earlier document of the same article coming to have exactly the same
parties (documents between the same parties are told apart by type, then amount). A deal with
fewer than two parties, or an article's total, is the article's own (keyed by its content).
Aggregates (an article's sum over several documents, ``dg:aggregate``) are totalled apart and never added to
their parts. Amounts keep their original currency; a USD equivalent comes from graph/fx.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import pyoxigraph as ox
from openpyxl import Workbook

from graph import fx, query
from graph.judgements import Review
from graph.namespaces import DG, RDF
from graph.store import QueryError, Store, iter_rows

DISAGREEMENT_FIELDS: tuple[str, ...] = ("value", "currency", "qualifier", "kind", "status", "signed", "sector")
"""Literal fields two articles can state differently. Region and project are names (articles
in different languages name them differently, and they are nodes anyway); ``aggregate`` says
how an article reports, not what was agreed."""
_LINK_FIELDS = {"party": "parties", "locationRegion": "regions", "project": "projects"}
ENTITY_TYPES = ("Company", "Organization", "Official", "Region", "City", "Country", "Place", "Project")
HOME_COUNTRY = "KZ"
UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None
    qualifier: str | None


@dataclass(frozen=True)
class Source:
    """One article that reports a deal, as a reader should see it."""

    graph: str
    title: str | None
    date: dt.date | None
    location: str | None  # URL, or the file it was read from
    sentence: str | None
    mention: str | None

    @property
    def url(self) -> str | None:
        return self.location if self.location and self.location.startswith(("http://", "https://")) else None

    @property
    def shown_source(self) -> str:
        """The URL, or only the file name of a local path (never a machine's folders)."""
        if self.url:
            return self.url
        return PurePath(self.location).name if self.location else ""


@dataclass
class Deal:
    """One agreement with what each source (article graph) says about it."""

    iri: str
    per_source: dict[str, dict[str, frozenset]] = field(default_factory=dict)
    reported: dt.date | None = None
    parties: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    articles: dict[str, Source] = field(default_factory=dict)
    reviewed: dict[str, Any] = field(default_factory=dict)  # field -> the analyst's value
    confirmed: bool = False

    @property
    def sources(self) -> int:
        return len(self.per_source)

    def values(self, name: str) -> Counter:
        """How many sources give each value of a field (kind, status, value, amount, signed...)."""
        return Counter(v for fields in self.per_source.values() for v in fields.get(name, ()))

    def consensus(self, name: str):
        """The analyst's value when reviewed, else the value most sources give, or None."""
        if name in self.reviewed:
            return self.reviewed[name]
        counts = self.values(name)
        return counts.most_common(1)[0][0] if counts else None

    @property
    def disagreements(self) -> tuple[str, ...]:
        """Fields on which two sources that both state the field give different values, and
        that no analyst has settled by a correction."""
        out = []
        for name in DISAGREEMENT_FIELDS:
            if name in self.reviewed or (name == "value" and "amount" in self.reviewed):
                continue
            stated = {v for fields in self.per_source.values() for v in fields.get(name, ())}
            if len(stated) > 1:
                out.append("amount" if name == "value" else name)
        return tuple(out)

    @property
    def amount(self) -> Amount | None:
        base: Amount | None = self.values("amount").most_common(1)[0][0] if self.values("amount") else None
        if not {"amount", "currency", "qualifier"} & set(self.reviewed):
            return base
        value = self.reviewed.get("amount", base.value if base else None)
        if value is None:
            return None
        return Amount(Decimal(value), self.reviewed.get("currency", base.currency if base else None),
                      self.reviewed.get("qualifier", base.qualifier if base else "exact"))

    @property
    def date(self) -> dt.date | None:
        """The signing date when known, else the date of the first article that reports it."""
        return self.consensus("signed") or self.reported

    @property
    def aggregate(self) -> bool:
        return bool(self.consensus("aggregate"))

    @property
    def kind(self) -> str | None:
        return self.consensus("kind")

    @property
    def status(self) -> str | None:
        return self.consensus("status")


@dataclass(frozen=True)
class EntityInfo:
    iri: str
    type: str
    name: str
    country: str | None


@dataclass
class DealBook:
    """All deals, the entities they name (after review), and the review applied."""

    deals: dict[str, Deal]
    entities: dict[str, EntityInfo]
    review: Review = field(default_factory=Review)
    region_of: dict[str, str] = field(default_factory=dict)  # district -> the region it lies in (dg:partOf)

    def name(self, iri: str) -> str:
        info = self.entities.get(iri)
        return info.name if info else iri.rsplit("/", 1)[-1]

    def investor_countries(self, deal: Deal) -> set[str]:
        """Countries of the parties other than Kazakh ones; KZ when every party that is not a
        region is known to be Kazakh; '(unknown)' when a party's country is not known."""
        investors = [self.entities[p] for p in deal.parties if p in self.entities and self.entities[p].type != "Region"]
        foreign = {e.country for e in investors if e.country and e.country != HOME_COUNTRY}
        if foreign:
            return foreign
        if investors and all(e.country == HOME_COUNTRY for e in investors):
            return {HOME_COUNTRY}
        return {UNKNOWN} if investors else set()

    def deal_regions(self, deal: Deal) -> set[str]:
        """The region a deal is located in, else the regions among its parties; a district stands
        for the region it lies in, so totals and the map count first-level units (the deal's own
        ``regions`` keep the district)."""
        located = set(deal.regions) or {p for p in deal.parties if p in self.entities and self.entities[p].type == "Region"}
        return {self.region_of.get(r, r) for r in located}


def _rows(store: Store, name: str, only: list[str] | None, var: str = "a") -> list[dict[str, Any]]:
    """A named query's rows; with ``only``, for those nodes alone: the innermost WHERE becomes
    ``VALUES ?var { … } LATERAL { body }``, evaluated node by node from the bound node, so the
    cost follows the size of the view, not of the corpus (a plain VALUES join let pyoxigraph 0.5
    hash-join the whole pattern: 300 agreements at 10k deals, 2.5 s against 0.1 s). An engine
    without LATERAL (a SPARQL 1.1 server) gets the plain join."""
    if only is None:
        return query.run(store, name)
    text = query.load(name).text
    at = text.rindex("WHERE {") + len("WHERE {")
    close = text.rindex("}")  # the WHERE's own brace: the named queries end with it or a GROUP BY
    block = f" VALUES ?{var} {{ " + " ".join(str(ox.NamedNode(iri)) for iri in only) + " } "
    try:
        result = store.query(text[:at] + block + "LATERAL {" + text[at:close] + "} " + text[close:])
    except QueryError:
        result = store.query(text[:at] + block + text[at:])
    return [{k: query.python_value(v) for k, v in row.items()} for row in iter_rows(result)]


def load(store: Store, review: Review | None = None, only: list[str] | None = None,
         entities: dict[str, EntityInfo] | None = None, *, articles: bool = True,
         rows: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None) -> DealBook:
    """Read every agreement, or only the given ones (four named queries), and apply the
    judgements in ``review``. A caller that has read the entities already (the viewer's index)
    passes them as ``entities`` and saves the slowest of the four queries; one that shows no
    sources (a picture's tooltips) passes ``articles=False`` and leaves ``Deal.articles`` empty;
    one that read the rows of ``index_deals`` and ``deal_links`` its own way (graph/views.py, one
    scan per agreement) passes them as ``rows``."""
    review = review or Review()
    if only is not None and not only:
        return DealBook({}, {}, review)
    deals: dict[str, Deal] = {}
    collected: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in rows[0] if rows is not None else _rows(store, "index_deals", only):
        if review.drops(row["a"]):
            continue
        deal = deals.setdefault(row["a"], Deal(row["a"]))
        fields = collected[row["a"], row["g"]]
        for name, column, predicate in (("kind", "type", "agreementType"), ("status", "status", "status"),
                                        ("sector", "sector", "sector"), ("signed", "signed", "signingDate"),
                                        ("aggregate", "aggregate", "aggregate"), ("value", "value", None),
                                        ("currency", "currency", None), ("qualifier", "qualifier", None)):
            value = row[column]
            if value is None or (predicate and review.is_rejected(row["a"], DG + predicate, _lexical(value))):
                continue
            fields[name].add(value)
        if row["value"] is not None:
            fields["amount"].add(Amount(row["value"], row["currency"], row["qualifier"]))
        if row["reported"] is not None and (deal.reported is None or row["reported"] < deal.reported):
            deal.reported = row["reported"]
    for (iri, graph), fields in sorted(collected.items()):
        deals[iri].per_source[graph] = {name: frozenset(values) for name, values in fields.items()}
    links = rows[1] if rows is not None else _rows(store, "deal_links", only)
    if entities is None:
        entities = _entities(store, review, None if only is None else sorted({row["o"] for row in links}))
    for row in links:
        deal = deals.get(row["a"])
        target = review.canonical(row["o"])
        predicate = DG + local(row["p"])
        if deal is None or review.is_rejected(row["a"], predicate, row["o"]) or review.is_rejected(row["a"], predicate, target):
            continue
        if review.drops(target) or review.drops(row["o"]):
            continue
        links = getattr(deal, _LINK_FIELDS[local(row["p"])])
        if target not in links:
            links.append(target)
    for row in _rows(store, "deal_articles", only) if articles else ():
        deal = deals.get(row["a"])
        if deal is not None and row["g"] not in deal.articles:
            deal.articles[row["g"]] = Source(row["g"], row["title"], row["date"], row["source"], row["sentence"], row["mention"])
    for deal in deals.values():
        _apply_corrections(deal, review)
        deal.parties.sort(key=lambda p: (entities[p].type != "Region" if p in entities else True, p))
    region_of, entities = _district_regions(store, review, entities)
    return DealBook(deals=deals, entities=entities, review=review, region_of=region_of)


def _district_regions(store: Store, review: Review,
                      entities: dict[str, EntityInfo]) -> tuple[dict[str, str], dict[str, EntityInfo]]:
    """District -> region (dg:partOf), and the entities with each such region added under its
    gazetteer name when no deal names it (an article names a district without its region)."""
    region_of: dict[str, str] = {}
    added: dict[str, EntityInfo] = {}
    for row in query.run(store, "district_regions"):
        district, region = review.canonical(row["district"]), review.canonical(row["region"])
        region_of[district] = region
        if region not in entities and not review.drops(region):
            added[region] = EntityInfo(region, "Region", row["name"] or region.rsplit("/", 1)[-1], HOME_COUNTRY)
    return region_of, {**entities, **added} if added else entities


def _lexical(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _apply_corrections(deal: Deal, review: Review) -> None:
    """The analyst's values override the sources'; a party or region correction swaps one
    entity for another (or adds one when it replaces nothing)."""
    for name in ("amount", "currency", "qualifier", "kind", "status"):
        j = review.correction(deal.iri, name)
        if j is not None and j.value is not None:
            deal.reviewed[name] = Decimal(j.value) if name == "amount" else j.value
    for name, links in (("party", deal.parties), ("region", deal.regions)):
        j = review.correction(deal.iri, name)
        if j is None or j.value is None:
            continue
        if j.replaces and review.canonical(j.replaces) in links:
            links.remove(review.canonical(j.replaces))
        new = review.canonical(j.value)
        if new not in links:
            links.append(new)
        deal.reviewed[name] = new
    deal.confirmed = (deal.iri, RDF + "type", DG + "Agreement") in review.confirmed


def _entities(store: Store, review: Review, only: list[str] | None = None) -> dict[str, EntityInfo]:
    """Type, main name and country of every entity a deal names (or of the ``only`` ones),
    merged entities folded into the one they were merged into, country corrections applied."""
    types: dict[str, str] = {}
    countries: dict[str, str] = {}
    labels: dict[str, Counter] = defaultdict(Counter)
    rank = {t: i for i, t in enumerate(ENTITY_TYPES)}
    rows = query.run(store, "deal_entities") if only is None else _rows(store, "entity_facts", only, "e")
    for row in rows:
        iri = review.canonical(row["e"])
        kind = local(row["type"])
        if kind in rank and (iri not in types or rank[kind] < rank[types[iri]]):
            types[iri] = kind
        if row["country"] and (iri not in countries or iri == row["e"]):
            countries[iri] = row["country"]
        if row["label"]:
            labels[iri][row["label"]] += row["sources"]
    out = {}
    for iri, kind in types.items():
        if review.drops(iri):
            continue
        fix = review.correction(iri, "country")
        name = sorted(labels[iri].items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if labels[iri] else iri.rsplit("/", 1)[-1]
        out[iri] = EntityInfo(iri, kind, name, fix.value if fix else countries.get(iri))
    return out


def local(iri: str) -> str:
    return iri.removeprefix(DG).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --- totals ---------------------------------------------------------------------------------

@dataclass
class Total:
    """Deals counted once each under one key: how many, the sum in each original currency, and
    the USD equivalent of the amounts the rate table can convert."""

    deals: int = 0
    by_currency: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    usd: Decimal = Decimal(0)
    unconverted: set[str] = field(default_factory=set)
    iris: list[str] = field(default_factory=list)

    def add(self, deal: Deal, converted: fx.Converted | None) -> None:
        self.deals += 1
        self.iris.append(deal.iri)
        amount = deal.amount
        if amount is None:
            return
        self.by_currency[amount.currency or "?"] += amount.value
        if converted is None:
            self.unconverted.add(amount.currency or "?")
        else:
            self.usd += converted.usd

    def original(self) -> str:
        return "; ".join(f"{v:,.0f} {c}" for c, v in sorted(self.by_currency.items()))


@dataclass
class Totals:
    """Separate buckets: deals proper, and aggregates (never added to the deals they sum)."""

    by: str
    parts: dict[str, Total]
    aggregates: dict[str, Total]
    overall: Total
    overall_aggregates: Total


def usd_of(deal: Deal, rates: fx.RateTable) -> fx.Converted | None:
    amount = deal.amount
    if amount is None:
        return None
    year = deal.date.year if deal.date else None
    return rates.to_usd(amount.value, amount.currency, year)


def totals(book: DealBook, by: str, rates: fx.RateTable | None = None, deals: list[Deal] | None = None) -> Totals:
    """Totals per region (``by='region'``, where a deal is located) or per investor country
    (``by='country'``). Each deal counts once per key and once in the overall total; a deal with
    investors from two countries is in both countries' rows, so rows need not add up."""
    if by not in ("region", "country"):
        raise ValueError("totals are by 'region' or 'country'")
    rates = rates or fx.table()
    parts: dict[str, Total] = defaultdict(Total)
    aggregates: dict[str, Total] = defaultdict(Total)
    overall, overall_aggregates = Total(), Total()
    for deal in deals if deals is not None else book.deals.values():
        converted = usd_of(deal, rates)
        keys = book.deal_regions(deal) if by == "region" else book.investor_countries(deal)
        bucket = aggregates if deal.aggregate else parts
        (overall_aggregates if deal.aggregate else overall).add(deal, converted)
        for key in sorted(keys) or [UNKNOWN]:
            bucket[key].add(deal, converted)
    return Totals(by, dict(parts), dict(aggregates), overall, overall_aggregates)


# --- rows and exports -----------------------------------------------------------------------

COLUMNS: tuple[str, ...] = (
    "agreement", "kind", "status", "parties", "investor countries", "region", "amount", "currency",
    "qualifier", "amount (USD)", "USD rate year", "aggregate", "date", "sources", "disagree", "disagreement",
    "amounts reported", "reviewed", "article titles", "article dates", "article urls", "evidence", "iri",
)
_QUALIFIER_SIGNS = {"over": ">", "about": "≈", "up_to": "≤", "exact": ""}


def kind_text(kind: str | None) -> str:
    if not kind:
        return "agreement"
    return "MoU" if kind == "mou" else kind.replace("_", " ")


def format_amount(amount: Amount | None, *, compact: bool = False) -> str:
    """'over 150,000,000 USD', or '>150M USD' for canvas labels."""
    if amount is None:
        return ""
    currency = amount.currency or ""
    if compact:
        value = float(amount.value)
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if abs(value) >= size:
                number = f"{value / size:.3g}{suffix}"
                break
        else:
            number = f"{value:g}"
        return f"{_QUALIFIER_SIGNS.get(amount.qualifier or '', '')}{number} {currency}".strip()
    qualifier = "" if amount.qualifier in (None, "exact") else amount.qualifier.replace("_", " ") + " "
    return f"{qualifier}{amount.value:,f} {currency}".strip()


def row(book: DealBook, deal: Deal, rates: fx.RateTable, name=None) -> dict[str, Any]:
    """One deal as a flat row for tables and exports; ``name`` maps an IRI to a display name."""
    name = name or book.name
    amount = deal.amount
    converted = usd_of(deal, rates)
    sources = sorted(deal.articles.values(), key=lambda s: (s.date or dt.date.max, s.graph))
    parties = "; ".join(name(p) for p in deal.parties)
    return {
        "agreement": f"{kind_text(deal.kind)}: {' · '.join(name(p) for p in deal.parties)}".rstrip(": "),
        "kind": kind_text(deal.kind) if "kind" in deal.reviewed else " / ".join(sorted(kind_text(k) for k in deal.values("kind"))),
        "status": deal.status if "status" in deal.reviewed else " / ".join(sorted(deal.values("status"))),
        "parties": parties,
        "investor countries": ", ".join(sorted(book.investor_countries(deal))),
        "region": "; ".join(name(r) for r in dict.fromkeys(deal.regions)),
        "amount": float(amount.value) if amount else None,
        "currency": amount.currency if amount else None,
        "qualifier": amount.qualifier if amount else None,
        "amount (USD)": float(converted.usd) if converted else None,
        "USD rate year": (converted.year if converted and converted.year else None),
        "aggregate": deal.aggregate,
        "date": deal.date,
        "sources": deal.sources,
        "disagree": bool(deal.disagreements),
        "disagreement": ", ".join(deal.disagreements),
        "amounts reported": " | ".join(f"{format_amount(a)} ×{n}" for a, n in deal.values("amount").most_common()),
        "reviewed": ", ".join(sorted(k for k in deal.reviewed)) + (" (confirmed)" if deal.confirmed else ""),
        "article titles": " | ".join(s.title or "" for s in sources),
        "article dates": " | ".join(s.date.isoformat() if s.date else "" for s in sources),
        "article urls": " | ".join(s.shown_source for s in sources),
        "evidence": " | ".join(dict.fromkeys(s.sentence for s in sources if s.sentence)),
        "iri": deal.iri,
    }


def rows(book: DealBook, deals: list[Deal] | None = None, rates: fx.RateTable | None = None, name=None) -> list[dict[str, Any]]:
    """Rows newest first (by signing date, else first report)."""
    rates = rates or fx.table()
    out = [row(book, d, rates, name) for d in (deals if deals is not None else book.deals.values())]
    out.sort(key=lambda r: (r["date"] or dt.date.min, r["agreement"]), reverse=True)
    return out


def to_csv(table_rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table_rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table_rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS, title: str = "deals") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(columns))
    for r in table_rows:
        sheet.append([r.get(c) for c in columns])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(table_rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(table_rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")


CLI_NAMES = {"value": "amount", "currency": "currency", "qualifier": "amount_qualifier", "kind": "type",
             "status": "status", "signed": "date", "sector": "sector", "aggregate": "aggregate"}
"""The field names of `dealgraph deals --json` (the gold format's agreement keys)."""


def as_record(book: DealBook, deal: Deal, rates: fx.RateTable | None = None) -> dict[str, Any]:
    """One deal as the JSON record of `dealgraph deals --json`: every field's single value (None
    while sources disagree and no analyst has settled it), every value with its sources, the USD
    equivalent, investor countries and the articles with their evidence sentence."""
    rates = rates or fx.table()
    values: dict[str, list[dict[str, Any]]] = {}
    for name, cli_name in CLI_NAMES.items():
        by_value: dict[Any, set[str]] = defaultdict(set)
        for graph, fields in deal.per_source.items():
            for v in fields.get(name, ()):
                by_value[v].add(graph)
        if by_value:
            values[cli_name] = [{"value": _plain(v), "sources": sorted(s)} for v, s in sorted(by_value.items(), key=lambda kv: str(kv[0]))]
    single = {cli: (vals[0]["value"] if len(vals) == 1 else None) for cli, vals in values.items()}
    amount = deal.amount
    if {"amount", "currency", "qualifier"} & set(deal.reviewed) and amount is not None:
        single.update(amount=_plain(amount.value), currency=amount.currency, amount_qualifier=amount.qualifier)
    for name in ("kind", "status"):
        if name in deal.reviewed:
            single[CLI_NAMES[name]] = deal.reviewed[name]
    converted = usd_of(deal, rates)
    return {
        "iri": deal.iri,
        "parties": sorted(book.name(p) for p in deal.parties),
        **{cli: single.get(cli) for cli in CLI_NAMES.values()},
        "region": "; ".join(book.name(r) for r in deal.regions) or None,
        "project": "; ".join(book.name(p) for p in deal.projects) or None,
        "amount_usd": _plain(converted.usd) if converted else None,
        "usd_rate_year": converted.year if converted else None,
        "investor_countries": sorted(book.investor_countries(deal)),
        "values": values,
        "disagreements": sorted(CLI_NAMES[d if d != "amount" else "value"] for d in deal.disagreements),
        "reviewed": sorted(deal.reviewed),
        "sources": sorted(deal.per_source),
        "articles": [
            {"graph": s.graph, "title": s.title, "date": s.date.isoformat() if s.date else None,
             "url": s.shown_source, "evidence": s.sentence}
            for s in sorted(deal.articles.values(), key=lambda s: (s.date or dt.date.max, s.graph))
        ],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def current_value(book: DealBook, iri: str, name: str) -> str | None:
    """What a field reads now (before a correction), as the text a judgement records it replaces."""
    deal = book.deals.get(iri)
    if name == "country":
        info = book.entities.get(iri)
        return info.country if info else None
    if deal is None:
        return None
    amount = deal.amount
    value = {"amount": amount and format(amount.value, "f"), "currency": amount and amount.currency,
             "qualifier": amount and amount.qualifier, "kind": deal.kind, "status": deal.status,
             "region": deal.regions[0] if deal.regions else None}.get(name)
    return None if value is None else str(value)


def timeline(chosen: list[Deal]) -> dict[int, dict[str, int]]:
    """Signings by year and status: {year: {status: deals}} (a deal without any date is left out)."""
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for deal in chosen:
        if deal.date is not None:
            out[deal.date.year][deal.status or "unknown"] += 1
    return {year: dict(statuses) for year, statuses in sorted(out.items())}
