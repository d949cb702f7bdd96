"""A deal's IRI depends on its own parties (as the resolver resolved them) only: not on another
deal's parties, not on where in the article it stands, not on an analyst's judgements."""

from __future__ import annotations

from decimal import Decimal

from ingest.facts import Agreement, Amount, Entity, Evidence, Extraction
from ingest.resolve import Index
from ingest.triples import agreement_iri

EV = Evidence(0, 0, 1, "x")


def extraction(*agreements: Agreement, names: dict[str, tuple[str, str]]) -> Extraction:
    x = Extraction("en", "test")
    for ref, (kind, key) in names.items():
        x.entities[ref] = Entity(kind, key, key, "en", evidence=[EV])
    x.agreements = list(agreements)
    return x


NAMES = {"r": ("region", "KZ-AKT"), "s": ("company", "sumec"), "l": ("company", "liando"),
         "j": ("company", "junk words"), "k": ("organization", "kazakh invest")}


def deal(*parties: str, kind: str = "mou", amount: int | None = None) -> Agreement:
    money = Amount(Decimal(amount), "USD", "exact", str(amount)) if amount else None
    return Agreement(kind, "signed", EV, parties=list(parties), amount=money)


def test_a_party_added_or_removed_elsewhere_leaves_a_deal_alone() -> None:
    mine = deal("r", "s")
    other = deal("r", "l")
    before = agreement_iri(mine, extraction(mine, other, names=NAMES), "article1")
    for changed in (deal("r", "l", "j"), deal("l"), deal("r", "l", "k"), deal("r", "s", "l")):
        assert agreement_iri(mine, extraction(mine, changed, names=NAMES), "article1") == before
    assert agreement_iri(mine, extraction(deal("r", "j", "l"), mine, names=NAMES), "article1") == before  # order too
    assert agreement_iri(mine, extraction(mine, names=NAMES), "another article") == before  # any article


def test_its_own_party_set_moves_it_and_spellings_the_resolver_merged_do_not() -> None:
    mine = deal("r", "s")
    iri = agreement_iri(mine, extraction(mine, names=NAMES), "a")
    with_junk = deal("r", "s", "j")
    assert agreement_iri(with_junk, extraction(with_junk, names=NAMES), "a") != iri
    index = Index()
    index.keys["company"].add("sumec")
    cyrillic = extraction(mine, names={**NAMES, "s": ("company", "sumek")})  # "Сумек", another article
    assert [m.into for m in index.resolve(cyrillic)] == ["sumec"]
    assert agreement_iri(mine, cyrillic, "b", index.canonical) == iri
    assert agreement_iri(mine, cyrillic, "b") != iri  # its own mention IRI differs: the merge is what joins them


def test_documents_between_the_same_parties_stay_apart_and_the_first_keeps_its_iri() -> None:
    memo, loan, second_memo = deal("r", "s"), deal("r", "s", kind="loan"), deal("r", "s", amount=5)
    alone = agreement_iri(memo, extraction(memo, names=NAMES), "a")
    x = extraction(memo, loan, second_memo, names=NAMES)
    iris = [agreement_iri(a, x, "a") for a in x.agreements]
    assert iris[0] == alone and len(set(iris)) == 3


def test_a_deal_with_one_party_is_the_articles_own_and_keyed_by_content_not_position() -> None:
    lone = deal("s", amount=7)
    first = agreement_iri(lone, extraction(lone, names=NAMES), "a")
    x = extraction(deal("l"), deal("r", "k"), lone, names=NAMES)
    assert agreement_iri(lone, x, "a") == first
    assert agreement_iri(lone, extraction(lone, names=NAMES), "b") != first
