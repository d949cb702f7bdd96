"""factRuEval-2016 stand-off reader and exact-span evaluation of the Russian tagger.

A document ``NAME`` is a set of files: ``NAME.txt`` (the text; offsets below are character
offsets into it), ``NAME.spans`` (typed token runs: ``id kind start length first_token
n_tokens # ...``) and ``NAME.objects`` (entity mentions: ``id type span_id... # ...``).

How a gold span is formed from an object (the choice matters for exact-span scoring):

* Only the object's *naming* spans count -- exactly the span kinds that the official factRuEval
  comparator (``dialent/config.py``, ``Tables.QUALITY``) weighs 1: Person -> name, surname,
  patronymic, nickname; Org -> org_name, loc_name; Location and LocOrg -> loc_name, org_name.
  Descriptors (org_descr, loc_descr, job, geo_adj) weigh 0 there, i.e. the official scorer
  neither requires nor penalises them, so an exact-span convention has to pick a side. Taking
  the raw object extent would put descriptors in ("движения «Солидарность" -- cut inside the
  quotes -- or "мэрии Москвы" as an Org), which no flat NE convention does.
* The gold span runs from the first to the last naming span, so an org keeps its country
  ("Министерства сельского хозяйства Германии"); a descriptor right *after* that extent is
  added because in Russian a postposed generic noun belongs to the proper name ("Тверской
  площади", "Белом доме"), while a preposed one does not ("города Феникс", "партии «Яблоко»").
* Objects without naming spans (descriptor- or geo_adj-only mentions) give no span, as the
  official comparator skips them.
* LocOrg is scored as Location. Spans are flattened conlleval-style: a span strictly inside
  another gold span is dropped (the inner "США" of Org "Конгресса США"); when two objects have
  the same extent ("мэрии Москвы" as Org, "Москвы" as LocOrg both reduce to "Москвы") the
  label is chosen Person > Location > Org, since an org named only by a place is that place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.ner.scoring import Span, score_spans

CLASSES: tuple[str, ...] = ("Person", "Org", "Location")

OBJECT_LABELS: dict[str, str] = {
    "Person": "Person", "Org": "Org", "Location": "Location", "LocOrg": "Location",
}

NAMING_KINDS: dict[str, frozenset[str]] = {
    "Person": frozenset({"name", "surname", "patronymic", "nickname"}),
    "Org": frozenset({"org_name", "loc_name"}),
    "Location": frozenset({"loc_name", "org_name"}),
    "LocOrg": frozenset({"loc_name", "org_name"}),
}

DESCRIPTOR_KINDS = frozenset({"org_descr", "loc_descr"})

TAGGER_LABELS: dict[str, str] = {"PER": "Person", "ORG": "Org", "LOC": "Location"}

LABEL_PRIORITY: dict[str, int] = {"Person": 0, "Location": 1, "Org": 2}


@dataclass(frozen=True)
class FactruSpan:
    id: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class FactruObject:
    id: str
    type: str
    spans: tuple[FactruSpan, ...]


@dataclass(frozen=True)
class FactruDocument:
    name: str
    text: str
    objects: tuple[FactruObject, ...]


def _fields(line: str) -> list[str]:
    """The fields before the ' # ' comment that repeats token texts."""
    return line.split("#", 1)[0].split()


def parse_spans(lines: Iterable[str]) -> dict[str, FactruSpan]:
    spans: dict[str, FactruSpan] = {}
    for number, line in enumerate(lines, 1):
        fields = _fields(line)
        if not fields:
            continue
        if len(fields) < 6:
            raise ValueError(f"spans line {number}: expected 6 fields, got {line!r}")
        span_id, kind, start, length = fields[0], fields[1], int(fields[2]), int(fields[3])
        spans[span_id] = FactruSpan(span_id, kind, start, start + length)
    return spans


def parse_objects(lines: Iterable[str], spans: dict[str, FactruSpan]) -> list[FactruObject]:
    objects: list[FactruObject] = []
    for number, line in enumerate(lines, 1):
        fields = _fields(line)
        if not fields:
            continue
        if len(fields) < 3:
            raise ValueError(f"objects line {number}: expected 'id type span...', got {line!r}")
        try:
            members = tuple(spans[span_id] for span_id in fields[2:])
        except KeyError as missing:
            raise ValueError(f"objects line {number}: unknown span id {missing}") from None
        objects.append(FactruObject(fields[0], fields[1], members))
    return objects


def read_document(base: Path) -> FactruDocument:
    """Read ``base.txt``, ``base.spans`` and ``base.objects``; newlines are kept verbatim
    (``newline=""``) because the offsets count every character of the file."""
    base = Path(base)

    def lines(suffix: str) -> list[str]:
        return base.with_suffix(suffix).read_text(encoding="utf-8").splitlines()

    text = base.with_suffix(".txt").open(encoding="utf-8", newline="").read()
    spans = parse_spans(lines(".spans"))
    return FactruDocument(base.name, text, tuple(parse_objects(lines(".objects"), spans)))


def iter_documents(path: Path, limit: int | None = None) -> Iterator[FactruDocument]:
    """Annotated documents of a devset/testset folder in name order (files without
    ``.objects``, such as the testset's ``list.txt``, are not documents)."""
    bases = sorted(p.with_suffix("") for p in Path(path).glob("*.objects"))
    for base in bases[:limit]:
        yield read_document(base)


def object_span(obj: FactruObject, text: str) -> Span | None:
    """The gold span of one object under the convention in the module docstring."""
    label = OBJECT_LABELS.get(obj.type)
    naming = [s for s in obj.spans if s.kind in NAMING_KINDS.get(obj.type, ())]
    if label is None or not naming:
        return None
    start = min(s.start for s in naming)
    end = max(s.end for s in naming)
    extended = True
    while extended:
        extended = False
        for span in obj.spans:
            if span.kind in DESCRIPTOR_KINDS and span.start >= end and span.end > end \
                    and not text[end:span.start].strip():
                end, extended = span.end, True
    return start, end, label


def flatten(spans: set[Span]) -> set[Span]:
    """Keep outermost spans; resolve equal extents by ``LABEL_PRIORITY``."""
    best: dict[tuple[int, int], str] = {}
    for start, end, label in spans:
        current = best.get((start, end))
        if current is None or LABEL_PRIORITY[label] < LABEL_PRIORITY[current]:
            best[(start, end)] = label
    extents = list(best)
    return {
        (start, end, label) for (start, end), label in best.items()
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in extents)
    }


def gold_spans(doc: FactruDocument) -> set[Span]:
    spans = {span for obj in doc.objects if (span := object_span(obj, doc.text))}
    return flatten(spans)


Tagger = Callable[[str], Iterable[tuple[int, int, str]]]


def predicted_spans(text: str, tagger: Tagger) -> set[Span]:
    return {(s, e, TAGGER_LABELS[label]) for s, e, label in tagger(text) if label in TAGGER_LABELS}


def evaluate_documents(docs: Iterable[FactruDocument], tagger: Tagger) -> dict[str, dict]:
    pairs = ((gold_spans(doc), predicted_spans(doc.text, tagger)) for doc in docs)
    return score_spans(pairs, CLASSES)


def evaluate_dir(
    path: Path, limit: int | None = None, tagger: Tagger | None = None
) -> dict[str, dict]:
    """``{"per_class": {...}, "micro": {...}}`` over Person/Org/Location for the Russian tagger
    (``ingest.ner.russian_natasha.spans`` unless another ``tagger(text)`` is given) on the
    first ``limit`` documents (all by default) of a factRuEval folder."""
    if tagger is None:
        # Imported here so reading the corpus does not load the neural pipeline.
        from ingest.ner.russian_natasha import spans as tagger
    return evaluate_documents(iter_documents(path, limit), tagger)
