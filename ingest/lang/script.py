"""Character classes and name-token shapes shared by the language modules: alphabets are not
vocabulary, so they stay in code (Cyrillic with the Kazakh letters, Latin with diacritics)."""

from __future__ import annotations

import re

CAP = r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]"
LOW = r"a-zа-яёәғқңөұүһі"
CYR_NAME = rf"{CAP}[{LOW}]+(?:-{CAP}?[{LOW}]+)?"
LAT = "A-Za-zÀ-ÖØ-öø-ÿĀ-ž"
LAT_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LATIN_TOKEN = rf"[{LAT}][{LAT}0-9&.'’-]*[{LAT}0-9&]|[{LAT_UPPER}]"
EN_NAME_TOKEN = rf"(?:[{LAT_UPPER}][{LAT}0-9&-]*[{LAT}0-9&]|[{LAT_UPPER}]|[a-z]+[A-Z][{LAT}0-9]*)(?:[’']s|(?<=s)[’'])?\.?"
PERSON_WORD = rf"(?:{CYR_NAME}|[{LAT_UPPER}][a-zß-öø-ÿā-ž]+(?:-[{LAT_UPPER}]?[a-zß-öø-ÿā-ž]+)?)"
# An initial before a surname: "А.А.", "Қ.", "A." (one or two letters, each with a dot).
INITIALS = rf"(?:{CAP}\.\s?){{1,2}}|(?:[{LAT_UPPER}]\.\s?){{1,2}}"
# A quoted name up to its first closing quote, with the run of closers after it, so nested
# quotes closed together stay whole: «НК «СПК «Павлодар»» (see balance_quotes).
QUOTED = r"[«\"“„](?P<q>[^»\"”]{2,80})(?:»+|[\"”])"


def balance_quotes(name: str) -> str:
    """Close the inner quotes a QUOTED match left open: 'НК «СПК «Павлодар' -> 'НК «СПК «Павлодар»»'."""
    return name + "»" * (name.count("«") - name.count("»"))


def script(text: str) -> str:
    """'latin' when the text has a Latin letter, else 'cyrillic'."""
    return "latin" if re.search(r"[A-Za-z]", text) else "cyrillic"
