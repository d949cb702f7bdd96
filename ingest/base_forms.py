"""Base forms of names and phrases: the language module decides (``ingest.lang``)."""

from __future__ import annotations

from ingest import lang


def base_form(phrase: str, code: str) -> str:
    return lang.get(code).base_form(phrase)


def person_base_form(name: str, code: str) -> str:
    return lang.get(code).person_base_form(name)
