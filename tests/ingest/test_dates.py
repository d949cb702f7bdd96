from datetime import date

import pytest

from ingest.dates import find


def test_kazakh_date_with_year_and_locative_month() -> None:
    assert [d.value for d in find("Келісімге 2026 жылғы 27 қаңтарда қол қойылды", "kk")] == [date(2026, 1, 27)]


def test_russian_genitive_month_and_default_year() -> None:
    assert [d.value for d in find("подписано 12 марта", "ru", default_year=2026)] == [date(2026, 3, 12)]


def test_english_both_orders() -> None:
    assert [d.value for d in find("on 5 June 2026 and on July 7, 2026", "en")] == [date(2026, 6, 5), date(2026, 7, 7)]



@pytest.mark.parametrize("text,lang,found", [
    ("Бүгін облыс әкімі меморандумға қол қойды.", "kk", [date(2026, 5, 4)]),
    ("Кеше тараптар келісімге қол қойды.", "kk", [date(2026, 5, 3)]),
    ("Сегодня стороны подписали меморандум.", "ru", [date(2026, 5, 4)]),
    ("Вчера стороны подписали меморандум.", "ru", [date(2026, 5, 3)]),
    ("The parties signed a memorandum today.", "en", [date(2026, 5, 4)]),
    ("The agreement was signed yesterday.", "en", [date(2026, 5, 3)]),
])
def test_today_is_the_reports_own_date(text: str, lang: str, found: list[date]) -> None:
    assert [d.value for d in find(text, lang, 2026, published=date(2026, 5, 4))] == found


def test_today_without_a_report_date_is_no_date() -> None:
    assert find("Сегодня стороны подписали меморандум.", "ru", 2026) == []


@pytest.mark.parametrize("text", ["would be signed in July 2018", "is due in May 2027"])
def test_a_month_and_year_is_no_day(text: str) -> None:
    assert find(text, "en", 2018) == []
