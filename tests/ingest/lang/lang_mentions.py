"""Fixtures of the language tests: the mentions of sentences written for them (imported by each
test module; not a conftest, so that tests/conftest.py stays the one `conftest` module)."""

from collections.abc import Callable

import pytest

from ingest import mentions, sentences
from ingest.mentions import Mention


def _mentions(text: str, lang: str) -> list[Mention]:
    cues = mentions.cues(text, lang)
    return [m for s in sentences.split(text) for m in mentions.find(s, lang, 2026, cues)]


@pytest.fixture
def found() -> Callable[[str, str], list[Mention]]:
    return _mentions


@pytest.fixture
def names() -> Callable[[str, str, str], list[str]]:
    """Base-form names of one kind found in a text."""
    return lambda text, lang, kind: [m.name for m in _mentions(text, lang) if m.kind == kind]
