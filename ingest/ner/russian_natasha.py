"""Russian NER: natasha's news tagger plus post-rules.

natasha (slovnet NewsNERTagger over navec embeddings, both shipped in the wheel) tags PER, LOC
and ORG spans. Its errors on news text are systematic, so rules repair them after tagging (each
was checked on the factRuEval devset, never on the testset):

* it runs a name and its bracketed original, or list items, into one span ("Джоэл Саймон (Joel
  Simon)", "Монако • Намибия"): spans are split at brackets, bullets, commas and semicolons;
* it leaves punctuation and unbalanced quotes at span edges; an org written as a legal form or
  generic noun plus a quoted name ("ОАО «ВымпелКом»", "ТОО «Казахстанская сталь") is reduced to
  the quoted name, the convention of factRuEval and most Russian NE corpora;
* it splits "Конгресса США" into ORG + LOC: an ORG directly followed by a LOC becomes one ORG,
  unless the ORG is a generic head ("Правительства РФ" names the place, not an org); likewise
  "Южного округа" + "Нью-Йорка" becomes one LOC;
* a preposed generic place noun ("острове Уайт") is cut off a LOC, or dropped when alone;
* a span opened by a dot is a domain zone (".РФ") and is dropped;
* a leading common noun for people ("Исследователи Брукхейвенской национальной лаборатории") is
  cut off an ORG or LOC;
* some names have the wrong label or are no names at all (``ingest/data/ru_ner_labels.tsv``):
  "Аким"/"аким" is a Kazakh post that natasha tags as a location, "ЕС" is an organisation.

The pipeline loads once per process on first use (~1 s, ~200 MB).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ingest.russian import analyzer, phrase_base_form, word_lemma

Span = tuple[int, int, str]

SEPARATORS = re.compile(r"[()\[\]•;,]|\s[—–-]\s|\n")
EDGE_CHARS = " \t\n.,:;!?()[]•—–-\"'«»„“”‘’"
OPEN_QUOTES = "«„“\""
CLOSE_QUOTES = "»“”\""
WORD = re.compile(r"\S+")
PROPER_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"})


@lru_cache(maxsize=1)
def _pipeline():
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _data_lines(name: str) -> list[str]:
    text = resources.files("ingest").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _label_overrides() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in _data_lines("ru_ner_labels.tsv"))


@lru_cache(maxsize=1)
def _org_descriptors() -> frozenset[str]:
    return frozenset(_data_lines("ru_org_descriptors.txt"))


@lru_cache(maxsize=1)
def _loc_descriptors() -> frozenset[str]:
    return frozenset(_data_lines("ru_loc_descriptors.txt"))


def raw_spans(text: str) -> list[Span]:
    """natasha's spans, untouched: ``(start, end, "PER"|"LOC"|"ORG")`` character offsets."""
    from natasha import Doc

    segmenter, tagger = _pipeline()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(span.start, span.stop, span.type) for span in doc.spans]


def _lemma_key(text: str) -> str:
    words = text.split()
    return (word_lemma(words[0]) if len(words) == 1 else phrase_base_form(text)).lower()


def _split(text: str, span: Span) -> list[Span]:
    start, end, label = span
    pieces, position = [], start
    for match in SEPARATORS.finditer(text, start, end):
        pieces.append((position, match.start(), label))
        position = match.end()
    pieces.append((position, end, label))
    return pieces


def _trim(text: str, span: Span) -> Span | None:
    """Strip punctuation, brackets and quotes at the edges: names are annotated without them."""
    start, end, label = span
    while start < end and text[start] in EDGE_CHARS:
        start += 1
    while start < end and text[end - 1] in EDGE_CHARS:
        end -= 1
    if start < end and any(c.isalnum() for c in text[start:end]):
        return start, end, label
    return None


def _quoted_name(text: str, span: Span) -> Span:
    """"ОАО «ВымпелКом»" -> "ВымпелКом": an ORG made of words before a quoted name is the name,
    also when quotes nest ("АО «НК «КазМунайГаз»»"). natasha often stops the span before the
    closing quote."""
    start, end, label = span
    while label == "ORG":
        match = re.search(f"[{OPEN_QUOTES}]", text[start:end])
        if match is None or match.start() == 0:
            break
        inner_start = start + match.end()
        close = re.search(f"[{CLOSE_QUOTES}]", text[inner_start:end])
        inner_end = inner_start + close.start() if close else end
        if inner_end <= inner_start:
            break
        start, end = inner_start, inner_end
    return start, end, label


def _words(text: str, span: Span) -> list[re.Match]:
    return list(WORD.finditer(text, span[0], span[1]))


def _relabel(text: str, span: Span) -> Span | None:
    """Apply ``ru_ner_labels.tsv`` to the whole span, then cut a leading post or generic head off
    a LOC or PER ("Аким Актюбинской области" -> "Актюбинской области", "Аким области" -> none).
    An ORG keeps it: "Правительство Республики Казахстан" may well be the organisation's name."""
    start, end, label = span
    if start > 0 and text[start - 1] == "." and (start == 1 or text[start - 2].isspace()):
        return None  # a domain zone (".РФ"), not a name; "г.Алматы" stays
    key = _lemma_key(text[start:end])
    override = _label_overrides().get(key)
    if override == "-" or (label == "LOC" and key in _loc_descriptors()):
        return None
    if override:
        return start, end, override
    words = _words(text, span)
    if len(words) > 1:
        head = word_lemma(words[0].group()).lower()
        rest = words[1].start()
        if label != "PER" and _is_person_noun(words[0].group()):
            return rest, end, label
        if head in _org_descriptors() and label != "ORG":
            return (rest, end, label) if text[rest].isupper() else None
        if label == "LOC" and head in _loc_descriptors() and text[rest].isupper():
            return rest, end, label
    return span


def _is_person_noun(word: str) -> bool:
    """A common noun for people ("Исследователи", "Сотрудники") opening an ORG or LOC span is the
    sentence's subject, not part of the name."""
    parse = analyzer().parse(word)[0]
    return parse.is_known and parse.tag.POS == "NOUN" and "anim" in parse.tag.grammemes \
        and not PROPER_GRAMMEMES & parse.tag.grammemes


def _is_generic_org(text: str, span: Span) -> bool:
    return span[2] == "ORG" and " " not in text[span[0]:span[1]] \
        and word_lemma(text[span[0]:span[1]]).lower() in _org_descriptors()


def _merge_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """Join spans natasha cut apart where only a space separates them:
    ORG + LOC -> ORG ("Верховный суд" + "Бангладеша"), but a generic ORG head before a place
    is dropped instead ("Правительства" + "РФ" -> "РФ");
    LOC ending in a common noun + LOC -> LOC ("Южного округа" + "Нью-Йорка")."""
    out: list[Span] = []
    for span in spans:
        previous = out[-1] if out else None
        if previous is None or text[previous[1]:span[0]] != " " or span[2] != "LOC":
            out.append(span)
        elif previous[2] == "ORG":
            out[-1] = span if _is_generic_org(text, previous) else (previous[0], span[1], "ORG")
        elif previous[2] == "LOC" and _words(text, previous)[-1].group()[:1].islower():
            out[-1] = (previous[0], span[1], "LOC")
        else:
            out.append(span)
    return out


def apply_rules(text: str, spans: list[Span]) -> list[Span]:
    """The post-rules of the module docstring over natasha's spans of ``text``."""
    pieces = [piece for span in spans for piece in _split(text, span)]
    cleaned: list[Span] = []
    for piece in pieces:
        trimmed = _trim(text, piece)
        if trimmed is None:
            continue
        relabelled = _relabel(text, _quoted_name(text, trimmed))
        if relabelled is not None:
            cleaned.append(relabelled)
    return _merge_adjacent(text, sorted(set(cleaned)))


def spans(text: str) -> list[Span]:
    """``(start, end, label)`` character spans of ``text``, label "PER", "ORG" or "LOC"."""
    return apply_rules(text, raw_spans(text))
