from ingest.language import detect
from ingest.sentences import split


def test_offsets_point_into_the_text_and_abbreviations_do_not_split() -> None:
    text = "Құны 150 млн. доллар. Келісімге қол қойылды!\nД. Айдар жазды."
    sentences = split(text)
    assert [s.text for s in sentences] == ["Құны 150 млн. доллар.", "Келісімге қол қойылды!", "Д. Айдар жазды."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_language_of_kazakh_russian_english() -> None:
    assert detect("Ақтөбе облысының делегациясы Шанхайға барды.") == "kk"
    assert detect("Делегация Актюбинской области посетила Шанхай.") == "ru"
    assert detect("A delegation of Aktobe Region visited Shanghai.") == "en"
