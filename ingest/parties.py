"""Who signs: a learned score over (agreement trigger, mention) pairs beside the hand rules.

The rules of ``relations._parties`` read one signing sentence; on text they were not tuned on
they keep the outlet, drop the partner named "with X" or take a company that is only mentioned.
Here every company, organisation, region, city, country and official-of-a-place in that sentence
is a candidate, described by language-neutral features (distance and direction to the trigger,
the case ending, postposition or preposition that marks a partner, coordination with a chosen
party, entity kind, subject position, whether the region's akim signs, outlet cues), and a
logistic regression whose weights are readable JSON (``ingest/models/party_model.json``)
decides, with the rules' own choice as one feature. Cue words are rows of
``ingest/data/party_cues.tsv``; the model is applied with plain Python (no pickle, no sklearn).

``ingest/models/train_party_model.py`` trains it from candidates recorded by `recording`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ingest import cues, gazetteer, keys
from ingest.facts import Entity, Evidence, Extraction
from ingest.lexicon import cue_regex
from ingest.mentions import Mention
from ingest.sentences import Sentence

MODEL_FILE = "party_model.json"
CANDIDATE_KINDS = {"company", "organization", "region", "city", "country"}
WORD = re.compile(r"\w+")


@dataclass
class Context:
    """What the rules know when they read one sentence: the article's entities and mention refs,
    the officials that head a place or body, the article's home region, and the rules' tests for
    an outlet and for a signing role."""

    x: Extraction
    refs: dict[int, str]
    heads: dict[str, str]
    home: str | None
    lang: str
    public_kinds: tuple[str, ...]
    reporting: Callable[[Mention], bool]
    governing_role: Callable[[Mention], bool]


@dataclass
class Candidate:
    mention: Mention
    ref: str
    administration: bool = False  # a region's akimat standing for its region
    new_entity: Entity | None = None  # that region when the article names it only inside the akimat's name
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class Model:
    """Logistic regression: p = 1 / (1 + exp(-(bias + sum w_f * x_f))); a party when p >= threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load(path: Path) -> Model:
    """A model from its JSON file; one clear ValueError when the file is not a party model."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Model({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]),
                     float(data["threshold"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a party model ({exc})") from None


@cache
def bundled() -> Model | None:
    """The model shipped in ingest/models, or None when it has not been trained (rules only)."""
    resource = resources.files("ingest").joinpath("models", MODEL_FILE)
    return load(Path(str(resource))) if resource.is_file() else None


_RECORD: ContextVar[list[dict] | None] = ContextVar("party_record", default=None)
_MODEL: ContextVar[Model | None | bool] = ContextVar("party_model", default=True)  # True: the bundled one


@contextmanager
def recording() -> Iterator[list[dict]]:
    """Within the block the rules alone decide, and every candidate they were shown is appended
    to the yielded list (features, the rules' choice, the entity's names) for training."""
    found: list[dict] = []
    token = _RECORD.set(found)
    try:
        yield found
    finally:
        _RECORD.reset(token)


@contextmanager
def using(model: Model | None) -> Iterator[None]:
    """Within the block this model decides (None: the rules alone), whatever is bundled."""
    token = _MODEL.set(model)
    try:
        yield
    finally:
        _MODEL.reset(token)


def _active() -> Model | None:
    chosen = _MODEL.get()
    return bundled() if chosen is True else chosen or None


def decide(ctx: Context, same: list[Mention], s: Sentence, rule_parties: list[str]) -> list[str]:
    """The party set of one sentence: the rules' parties the model keeps, then the candidates it
    adds, in text order. Without a model (or while recording) the rules' set stands."""
    found = candidates(ctx, same, s, rule_parties)
    record = _RECORD.get()
    if record is not None:
        call = record[-1]["call"] + 1 if record else 0  # one call = one sentence the rules read
        record.extend({"call": call, "ref": c.ref, "sentence": s.index, "features": c.features,
                       "names": names_of(c.new_entity or ctx.x.entities[c.ref])} for c in found)
        return rule_parties
    model = _active()
    if model is None or not found:
        return rule_parties
    best: dict[str, float] = {}
    for c in found:
        best[c.ref] = max(best.get(c.ref, 0.0), model.probability(c.features))
    chosen = {ref for ref, p in best.items() if p >= model.threshold}
    # an akimat stands for its region (FORMAT.md): with the region a party, the akimat is not another one
    represented = {ctx.refs.get(id(c.mention)) for c in found if c.administration and c.ref in chosen}
    kept = [p for p in rule_parties if best.get(p, 1.0) >= model.threshold and p not in represented]
    added = [c for c in found if c.ref in chosen and c.ref not in rule_parties and c.ref not in represented]
    for c in added:
        if c.new_entity is not None and c.ref not in ctx.x.entities:
            ctx.x.add(c.new_entity)
    return [*kept, *dict.fromkeys(c.ref for c in added)]


def names_of(entity: Entity) -> list[str]:
    """Every spelling the article gives an entity (name, aliases, gazetteer labels)."""
    return list(dict.fromkeys([entity.name, *entity.aliases, *(n for ns in entity.labels.values() for n in ns)]))


def candidates(ctx: Context, same: list[Mention], s: Sentence, rule_parties: list[str]) -> list[Candidate]:
    """Every mention of the sentence that could sign, with its features."""
    trigger = next((m for m in same if m.kind == "agreement"), None)
    found: list[Candidate] = []
    for m in same:
        ref = _ref(ctx, m)
        if ref is not None and ref in ctx.x.entities:
            found.append(Candidate(m, ref))
        region, new = _administered(ctx, m)
        if region is not None and region != ref:
            found.append(Candidate(m, region, administration=True, new_entity=new))
    for n, c in enumerate(found):
        c.features = _features(ctx, c, n, found, same, s, trigger, rule_parties)
    return found


def _ref(ctx: Context, m: Mention) -> str | None:
    """The entity a mention would make a party: its own, the place or body an official heads,
    the home region for an akim named by post alone."""
    if m.kind == "person":
        return ctx.heads.get(f"official:{keys.name_key(m.name)}")
    if m.kind == "role":
        return ctx.home if ctx.governing_role(m) else None
    return ctx.refs.get(id(m)) if m.kind in CANDIDATE_KINDS else None


def _administered(ctx: Context, m: Mention) -> tuple[str | None, Entity | None]:
    """The region or city whose akimat an organisation is ("Akimat of Kyzylorda Region", "акимат
    Атырауской области", "облыс әкімдігі"; FORMAT.md makes the region the party when it signs),
    with a new entity for it when the article names it only inside the akimat's name."""
    if m.kind not in ("organization", "company") or not _matches("administration", ctx.lang, m.text, "any"):
        return None, None
    for place in gazetteer.find(m.text, lang=ctx.lang):
        entry = place.entry
        if entry.kind not in ("region", "city"):
            continue
        ref = f"{entry.mention_kind}:{entry.id}"
        if ref in ctx.x.entities:
            return ref, None
        return ref, Entity(entry.mention_kind, entry.names.get(ctx.lang) or place.name, entry.id, ctx.lang,
                           subkind=entry.kind if entry.kind != "region" else None, country=entry.country,
                           labels={lg: [n] for lg, n in entry.names.items() if n},
                           evidence=[Evidence(m.sentence, m.start, m.end, m.text)])
    return (ctx.home, None) if ctx.home in ctx.x.entities else (None, None)


def _cue(name: str, lang: str) -> re.Pattern[str] | None:
    pattern = cue_regex("party_cues.tsv", lang, name)
    return None if pattern.pattern == "(?!)" else pattern


@cache
def _anchored(name: str, lang: str, where: str) -> re.Pattern[str] | None:
    pattern = _cue(name, lang)
    if pattern is None:
        return None
    body = pattern.pattern
    return re.compile({"end": f"(?:{body})$", "start": f"^(?:{body})", "whole": f"(?:{body})",
                       "any": rf"(?<![\w-])(?:{body})(?![\w-])"}[where], re.I)


def _matches(name: str, lang: str, text: str, where: str) -> bool:
    pattern = _anchored(name, lang, where)
    if pattern is None:
        return False
    return bool(pattern.fullmatch(text) if where == "whole" else pattern.search(text))


def _features(ctx: Context, c: Candidate, n: int, found: list[Candidate], same: list[Mention], s: Sentence,
              trigger: Mention | None, rule_parties: list[str]) -> dict[str, float]:
    """One candidate's features, all in [0, 1] and named the same in every language: the cue
    words come from party_cues.tsv and relation_cues.tsv, so a new language adds rows."""
    m, lang = c.mention, ctx.lang
    entity = c.new_entity or ctx.x.entities[c.ref]
    before = s.text[:m.start - s.start]
    after = s.text[m.end - s.start:]
    kind = "official" if m.kind in ("person", "role") or c.administration else m.kind
    f: dict[str, float] = {f"kind={kind}": 1.0}
    f["rule"] = float(c.ref in rule_parties)
    if trigger is None:
        f["no_trigger"] = 1.0
    else:
        gap = s.text[m.end - s.start:trigger.start - s.start] if m.end <= trigger.start else \
            s.text[trigger.end - s.start:m.start - s.start]
        tokens = len(WORD.findall(gap))
        f["before_trigger"] = float(m.end <= trigger.start)
        f["distance"] = min(tokens, 30) / 30
        f["near_trigger"] = float(tokens <= 3)
    f["with"] = float(_matches("with_before", lang, before[-80:], "end") or _matches("with_after", lang, after[:40], "start")
                      or _matches("with_suffix", lang, m.text, "end"))
    f["between"] = float(_matches("between_before", lang, before[-160:], "end")
                         or _matches("between_after", lang, after[:40], "start")
                         or any(o is not c and o.mention.start > m.end and _matches(
                             "between_after", lang, s.text[o.mention.end - s.start:][:40], "start") and
                             _joined(lang, s, m, o.mention) for o in found))
    f["signed_by"] = float(_matches("signed_by_before", lang, before[-80:], "end")
                           or _matches("signed_by_after", lang, after[:40], "start"))
    neighbours = [o for o in (found[n - 1] if n else None, found[n + 1] if n + 1 < len(found) else None)
                  if o is not None and o.ref != c.ref and _joined(lang, s, *sorted((m, o.mention), key=lambda q: q.start))]
    f["joined"] = float(bool(neighbours))
    f["joined_rule"] = float(any(o.ref in rule_parties for o in neighbours))
    f["first"] = float(n == 0 and (trigger is None or m.end <= trigger.start))
    f["genitive"] = float(cues.genitive(m.text, lang))
    f["locative"] = float(cues.locative(m.text, before, lang, after))
    f["outlet"] = float(ctx.reporting(m))
    f["foreign"] = float(entity.country not in (None, "KZ") if kind != "country" else entity.key != "KZ")
    f["public_body"] = float(entity.subkind in ctx.public_kinds)
    if kind in ("region", "city", "official"):
        f["head_signs"] = float(any((o.mention.kind in ("person", "role") or o.administration) and o.ref == c.ref
                                    for o in found))
        f["region_side"] = float(cues.has("region_side", lang, s.text))
        f["head_named"] = float(kind != "official" and any(
            o.kind == "role" and ctx.governing_role(o) and _tokens_between(s, m, o) <= 2 for o in same))
    f["speaks"] = float(_matches("speaker_after", lang, after[:40], "start")
                        or _matches("speaker_before", lang, before[-40:], "end"))
    f["owner"] = float(_matches("owner_before", lang, before[-80:], "end") or _matches("owner_after", lang, after[:40], "start"))
    f["in_brackets"] = float(before.rstrip().endswith("(") and after.lstrip().startswith(")"))
    f["administration"] = float(c.administration)
    f["akimat"] = float(not c.administration and _administered(ctx, m)[0] is not None)
    f["lead_sentence"] = float(s.index == 0)
    f["sentence_index"] = min(s.index, 10) / 10
    f["mentions"] = min(len(entity.evidence), 5) / 5
    f["named_in_sentence"] = min(sum(1 for o in found if o.mention.kind in ("company", "organization")), 5) / 5
    return f


def _tokens_between(s: Sentence, a: Mention, b: Mention) -> int:
    first, second = sorted((a, b), key=lambda q: q.start)
    return len(WORD.findall(s.text[first.end - s.start:max(first.end, second.start) - s.start]))


def _joined(lang: str, s: Sentence, a: Mention, b: Mention) -> bool:
    """Two names in one list: only a comma, a conjunction or a comitative ending between them."""
    if b.start < a.end:
        return False
    gap = s.text[a.end - s.start:b.start - s.start]
    return len(gap) <= 30 and _matches("joined_gap", lang, gap, "whole")
