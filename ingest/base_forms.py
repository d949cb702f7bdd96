"""Base forms of names and phrases, dispatched by language.

Kazakh inflects only the last word; Russian inflects every agreeing word (pymorphy3 in
``ingest.russian``); English only adds a possessive 's.
"""

from __future__ import annotations

import re

from ingest import kazakh


def base_form(phrase: str, lang: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase.strip(" «»\"“”,."))
    if lang == "kk":
        words = phrase.split(" ")
        last = kazakh.strip_case_after_possessive(words[-1])
        if last == words[-1]:
            last = kazakh.strip_name_case(words[-1])
        return " ".join([*words[:-1], last])
    if lang == "ru":
        from ingest import russian

        return russian.phrase_base_form(phrase)
    return re.sub(r"[’']s$", "", phrase)


def person_base_form(name: str, lang: str) -> str:
    name = re.sub(r"\s+", " ", name.strip())
    if lang == "kk":
        words = name.split(" ")
        return " ".join([*words[:-1], kazakh.strip_name_case(words[-1])])
    if lang == "ru":
        from ingest import russian

        return russian.person_base_form(name)
    return re.sub(r"[’']s$", "", name)
