from datetime import date

from ingest.dates import find


def test_kazakh_date_with_year_and_locative_month() -> None:
    assert [d.value for d in find("Келісімге 2026 жылғы 27 қаңтарда қол қойылды", "kk")] == [date(2026, 1, 27)]


def test_russian_genitive_month_and_default_year() -> None:
    assert [d.value for d in find("подписано 12 марта", "ru", default_year=2026)] == [date(2026, 3, 12)]


def test_english_both_orders() -> None:
    assert [d.value for d in find("on 5 June 2026 and on July 7, 2026", "en")] == [date(2026, 6, 5), date(2026, 7, 7)]
