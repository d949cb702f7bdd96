"""Districts (аудан / район / district) on sentences written for these tests: a district is a
region in base form with subkind district, lying in its oblast; an agreement's location_region
is the most specific Kazakh place the text gives for the deal (FORMAT.md)."""

from __future__ import annotations

import pytest

from ingest import pipeline
from ingest.article import Article
from ingest.facts import Extraction
from ingest.lexicon import gazetteer


def extract(text: str) -> Extraction:
    return pipeline.analyse(Article(text=text, source="test.txt", published="2026-05-04")).extraction


def regions(x: Extraction) -> dict[str, str | None]:
    return {e.name: e.subkind for e in x.entities.values() if e.kind == "region"}


def location(x: Extraction) -> str | None:
    assert len(x.agreements) == 1, [(a.type, a.parties) for a in x.agreements]
    ref = x.agreements[0].location_region
    return x.entities[ref].name if ref else None


# The oblast signs; the plant is built in one of its districts (owner before or after the district).
IN_A_DISTRICT = [
    ("Түркістан облысының әкімдігі мен Foo Group компаниясы меморандумға қол қойды. "
     "Түркістан облысының Сарыағаш ауданында зауыт салынады.",
     "Сарыағаш ауданы", "Түркістан облысы", "KZ-61"),
    ("Акимат Кызылординской области и компания Foo Group подписали меморандум. "
     "Завод построят в Шиелийском районе Кызылординской области.",
     "Шиелийский район", "Кызылординская область", "KZ-43"),
    ("The akimat of Almaty region and Foo Group signed a memorandum of understanding. "
     "The plant will be built in the Karasai district of Almaty region.",
     "Karasai District", "Almaty Region", "KZ-19"),
]


@pytest.mark.parametrize("text,district,oblast,iso", IN_A_DISTRICT)
def test_a_district_is_a_region_in_base_form_and_the_deals_location(text: str, district: str, oblast: str,
                                                                    iso: str) -> None:
    x = extract(text)
    assert regions(x) == {district: "district", oblast: None}
    assert location(x) == district
    entity = next(e for e in x.entities.values() if e.name == district)
    assert entity.part_of == iso


# A district the gazetteer does not list, found by its noun, is a region of subkind district too.
BY_ITS_NOUN = [
    ("Облыс әкімдігі мен Foo Group компаниясы Жаңабаз ауданында зауыт салу туралы меморандумға қол қойды.",
     "Жаңабаз ауданы"),
    ("Акимат области и компания Foo Group подписали меморандум о строительстве завода в Новоозёрском районе.",
     "Новоозёрский район"),
    ("The regional akimat and Foo Group signed a memorandum on a plant in Zhanabaz District.", "Zhanabaz District"),
]


@pytest.mark.parametrize("text,district", BY_ITS_NOUN)
def test_a_district_found_by_its_noun_is_a_region_of_subkind_district(text: str, district: str) -> None:
    x = extract(text)
    assert regions(x).get(district) == "district"
    assert location(x) == district


# Where a district only supplies raw materials, or is one of several places, the deal stays in the region.
NOT_THE_DEALS_DISTRICT = [
    ("Павлодар облысының әкімдігі мен Foo Group компаниясы Павлодар облысында шыны зауытын салу туралы "
     "меморандумға қол қойды. Шикізат Баянауыл ауданындағы кен орындарынан жеткізіледі.", "Павлодар облысы"),
    ("Акимат Павлодарской области и компания Foo Group подписали меморандум о строительстве стекольного "
     "завода в Павлодарской области. Сырьё будут возить из месторождений в Баянаульском районе.",
     "Павлодарская область"),
    ("The akimat of Pavlodar Region and Foo Group signed a memorandum on a glass plant in Pavlodar Region. "
     "Sand will come from deposits in Bayanaul District.", "Pavlodar Region"),
    ("Павлодар облысының әкімдігі мен Foo Group компаниясы меморандумға қол қойды. Жобалар Баянауыл және "
     "Ертіс аудандарында іске асады.", "Павлодар облысы"),
    ("The akimat of Pavlodar Region and Foo Group signed a memorandum of understanding. The projects will be "
     "carried out in Bayanaul District, Ekibastuz city and Aksu city.", "Pavlodar Region"),
]


@pytest.mark.parametrize("text,place", NOT_THE_DEALS_DISTRICT)
def test_a_district_that_is_not_where_the_deal_is_leaves_the_region(text: str, place: str) -> None:
    assert location(extract(text)) == place


def test_a_plural_district_noun_names_no_single_district() -> None:
    """"районы Монголии": the districts of a country are no named district."""
    x = extract("Делегация посетила приграничные районы Монголии.")
    assert not [e for e in x.entities.values() if e.subkind == "district"]


def test_every_gazetteer_district_lies_in_a_kazakh_region() -> None:
    by_id = {e.id: e for e in gazetteer()}
    districts = [e for e in gazetteer() if e.kind == "district"]
    assert districts
    for d in districts:
        assert d.entity_kind == "region" and d.mention_kind == "place"
        assert by_id[d.part_of].kind == "region" and by_id[d.part_of].country == "KZ", d.id


def test_a_party_count_is_no_count_of_documents() -> None:
    """"төрт жақты келісім" is one four-party agreement, not four agreements, so it can lie in one district."""
    x = extract("Жамбыл облысының әкімдігі, Kazakh Invest ұлттық компаниясы және Foo Group компаниясы төрт жақты "
                "келісімге қол қойды. Құжат Шу ауданында зауыт салуды көздейді.")
    assert not x.agreements[0].aggregate
    assert location(x) == "Шу ауданы"


# The region that owns the district where the plant goes is part of the location, not a signatory.
OWNER_OF_THE_DISTRICT = [
    ("Foo Group компаниясы мен Kazakh Invest Түркістан облысының Сарыағаш ауданында зауыт салу туралы "
     "меморандумға қол қойды.", "Сарыағаш ауданы"),
    ("Компания Foo Group и Kazakh Invest подписали меморандум о строительстве завода в Шиелийском районе "
     "Кызылординской области.", "Шиелийский район"),
    ("Foo Group and Kazakh Invest signed a memorandum on a plant in the Karasai district of Almaty region.",
     "Karasai District"),
]


@pytest.mark.parametrize("text,district", OWNER_OF_THE_DISTRICT)
def test_the_region_owning_the_deals_district_is_no_party(text: str, district: str) -> None:
    x = extract(text)
    assert location(x) == district
    assert not [p for p in x.agreements[0].parties if p.startswith("region:")]
