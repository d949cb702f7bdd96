"""English rule families, on sentences written for these tests: outlets, capitalised non-names,
legal names, nationality, people, places and bodies."""

import pytest

from ingest import lang
from lang_mentions import found, names  # noqa: F401  (fixtures)

EN = "en"


@pytest.mark.parametrize("text", [
    "ALMATY. KAZINFORM – The akimat of Almaty Region and Qazaq Foods signed a memorandum.",
    "Qazaq Foods will build a plant in the region, Trend reports.",
    "The Qazaq Foods plant will open in May, AKIpress reported. Photo: Reuters",
    "According to Tengrinews.kz, Qazaq Foods signed the deal, a Kazinform News Agency correspondent reports.",
    "Qazaq Foods signed the deal, Interfax-Kazakhstan says. Photo by Xinhua",
])
def test_outlets_are_never_entities(found, text: str) -> None:
    taken = {(m.kind, m.name) for m in found(text, EN)}
    assert ("company", "Qazaq Foods") in taken
    outlets = ("kazinform", "trend", "akipress", "reuters", "tengrinews", "interfax", "xinhua")
    assert not [m for m in found(text, EN)
                if m.kind in ("company", "organization", "person") and any(o in m.name.lower() for o in outlets)]


@pytest.mark.parametrize("text, company", [
    ("Phase two of the Arys Glass plant starts in 2027.", "Arys Glass"),
    ("Under the Memorandum of Understanding and Cooperation, Orda Cement Group will build a kiln.", "Orda Cement"),
    ("Uzbek investors and Polish firm Wisla Agro met in Taraz.", "Wisla Agro"),
    ("The contract with Gulf Build Contracting is worth AED84 million.", "Gulf Build Contracting"),
    ("The Global Investment Roundtable hosted Ostrava Steel.", "Ostrava Steel"),
])
def test_capitalised_non_names_are_not_companies(names, text: str, company: str) -> None:
    assert names(text, EN, "company") == [company]


@pytest.mark.parametrize("text, company", [
    ("Henan Taihe Installation Group Co. LLP was hired for the works.", "Henan Taihe Installation Group Co. LLP"),
    ("The deal with Ningbo Star Biotech Co., Ltd. was signed in May.", "Ningbo Star Biotech Co., Ltd."),
    ("The plant of Aral Salt LLP. The company will expand it.", "Aral Salt LLP"),
])
def test_latin_legal_names_are_kept_whole(names, text: str, company: str) -> None:
    assert names(text, EN, "company") == [company]


@pytest.mark.parametrize("text, company, country", [
    ("A Chinese company, Ningbo Star Biotech, signed the memorandum.", "Ningbo Star Biotech", "CN"),
    ("Turkish holding Bosphorus Yatirim Holding will invest.", "Bosphorus Yatirim Holding", "TR"),
    ("Korea's Hanbit Cells signed a roadmap.", "Hanbit Cells", "KR"),
    ("Ostrava Steel, a Czech maker of rails, joined.", "Ostrava Steel", "CZ"),
    ("Anatolia Agro Company from Turkey signed the contract.", "Anatolia Agro Company", "TR"),
    ("Hanbit Cells signed a roadmap with the region.", "Hanbit Cells", None),
])
def test_company_country_when_the_text_states_it(found, text: str, company: str, country: str | None) -> None:
    hit = next(m for m in found(text, EN) if m.kind == "company")
    assert (hit.name, hit.data.get("country")) == (company, country)
    if country:
        assert company in hit.data["country_evidence"].text


@pytest.mark.parametrize("text, person", [
    ("Governor of the region Marat Seitkali met the guests.", "Marat Seitkali"),
    ("Wang Lei, Chairman of the Board of Ningbo Star Biotech, signed it.", "Wang Lei"),
    ("The plan was backed by Arman Dosov and Ningbo Star Biotech.", "Arman Dosov"),
    ("The deal was signed, said J. Miller.", "J. Miller"),
    ("The memorandum was signed by Danial Akhmetov and Suma Chakrabarti in Astana.", "Suma Chakrabarti"),
])
def test_people_are_people_not_companies(found, text: str, person: str) -> None:
    kinds = {m.name: m.kind for m in found(text, EN)}
    assert kinds.get(person) == "person"
    assert "company" not in {kinds.get(n) for n in kinds if person in n}


@pytest.mark.parametrize("text, kind, name", [
    ("The Polish Embassy in Astana hosted the talks.", "organization", "Polish Embassy in Astana"),
    ("The Ministry of Energy of Kazakhstan approved the plan.", "organization", "Ministry of Energy of Kazakhstan"),
    ("The Kostanay Region and the Aktobe District will share it.", "region", "Kostanay Region"),
    ("The EBRD and Kazakh Invest signed it.", "organization", "European Bank for Reconstruction and Development"),
])
def test_bodies_and_places(found, text: str, kind: str, name: str) -> None:
    assert any(m.kind == kind and name in (m.name, m.data.get("canonical")) for m in found(text, EN))


@pytest.mark.parametrize("phrase, base", [("Sumec's", "Sumec"), ("«Ege Cam»", "Ege Cam"), ("the  plant.", "the plant")])
def test_base_forms(phrase: str, base: str) -> None:
    assert lang.get(EN).base_form(phrase) == base


@pytest.mark.parametrize("text, role", [
    ("The Head of State Kassym-Jomart Tokayev backed the project.", "president"),
    ("It was signed by the First Deputy of Akim of Turkistan Region, Aidos Kurmanov.", "deputy akim"),
    ("First Deputy Prime Minister Roman Sklyar opened the plant.", "deputy prime minister"),
])
def test_posts(found, text: str, role: str) -> None:
    assert role in [m.data["role"] for m in found(text, EN) if m.kind == "role"]


@pytest.mark.parametrize("before, head, project", [
    ("They signed a memorandum on a caustic soda ", "plant", "caustic soda plant"),
    ("To build a combined heat and power (CHP) ", "plant", "combined heat and power (CHP) plant"),
    ("The loan is for municipal solid waste treatment ", "plants", "municipal solid waste treatment plants"),
    ("The firm will build a 51.7 MW hydroelectric power ", "station", "hydroelectric power station"),
    ("A Chinese ", "plant", None),  # a nationality says whose plant, not which
    ("The ", "plant", None),
])
def test_project_noun_phrases(before: str, head: str, project: str | None) -> None:
    assert lang.get(EN).project_name(before, head, "", "") == project


@pytest.mark.parametrize("text, akimat", [
    ("The memorandum was signed with the Akimat of Pavlodar region on Monday.", "Akimat of Pavlodar region"),
    ("Karaganda Region akimat and Steppe Glass signed a memorandum.", "Karaganda Region akimat"),
    ("Investors met officials of the Taraz akimat.", "Taraz akimat"),
])
def test_an_akimat_named_with_its_place_marks_the_place(found, text: str, akimat: str) -> None:
    assert [m.data["akimat"] for m in found(text, EN) if m.data.get("akimat")] == [akimat]


def test_a_tripartite_agreement_is_no_trip(found) -> None:
    kinds = {m.kind for m in found("Karaganda Region signed a tripartite agreement with Steppe Glass.", EN)}
    assert "visit" not in kinds


def test_a_city_before_the_akims_name_is_his_city(names) -> None:
    text = "The akim of Taraz Nurlan Sadykov opened the plant."
    assert names(text, EN, "person") == ["Nurlan Sadykov"] and names(text, EN, "city") == ["Taraz"]
