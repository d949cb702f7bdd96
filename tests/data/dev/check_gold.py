"""Consistency check for hand-written gold files (run after every edit of a gold.jsonl).

Gold is written by hand, so typos slip in: a party spelled differently from the entity it
names, an enum value FORMAT.md does not know, a name that is not in the article at all. The
evaluator would silently score such a record wrong; this script says where it is broken.

Usage: python tests/data/dev/check_gold.py [GOLD FOLDER ...]
Without arguments it checks the dev set, the same-deal pair and the bundled samples.
Exits 1 and prints one line per problem when anything is wrong.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_SETS = [
    (ROOT / "tests/data/dev/gold.jsonl", ROOT / "tests/data/dev"),
    (ROOT / "tests/data/same_deal/gold.jsonl", ROOT / "tests/data/same_deal"),
    (ROOT / "tests/data/samples_gold.jsonl", ROOT / "samples"),
    (ROOT / "tests/data/heldout/gold.jsonl", ROOT / "tests/data/heldout"),
    (ROOT / "tests/data/heldout2/gold.jsonl", ROOT / "tests/data/heldout2"),
]

RECORD_KEYS = ("file", "lang", "published", "regions", "places", "officials", "organizations", "companies",
               "events", "agreements")
ENTITY_FIELDS = {
    "regions": ("name", "country"),
    "places": ("name", "kind"),
    "officials": ("name", "role", "of"),
    "organizations": ("name", "kind"),
    "companies": ("name", "country"),
}
ROLES = {"akim", "deputy akim", "governor", "deputy governor", "mayor", "deputy mayor", "minister",
         "deputy minister", "ambassador", "consul", "chairman", "ceo", "director", "president", "vice president",
         "prime minister", "deputy prime minister", "head", "deputy head", "other"}
AGREEMENT_TYPES = {"mou", "framework_agreement", "investment_agreement", "contract", "loan_agreement", "roadmap",
                   "other"}
QUALIFIERS = {"exact", "over", "about", "up_to"}
STATUSES = {"signed", "planned"}
CURRENCIES = {"KZT", "USD", "EUR", "CNY", "RUB"}
EVENT_TYPES = {"visit", "meeting", "forum"}
EVENT_KEYS = ("type", "led_by", "from", "location", "participants", "met")
AGREEMENT_KEYS = ("type", "parties", "project", "sector", "location_region", "amount", "currency",
                  "amount_qualifier", "date", "status")
# FORMAT.md: an agreement date is YYYY-MM-DD, or YYYY-MM when the text gives only the month.
DEAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
HEADER = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) \S")


def norm(name: str) -> str:
    """The evaluator's name normalisation (FORMAT.md)."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"[«»\"'“”]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w\-.,&’]+", norm(text))


def occurs(name: str, text: str, tokens: list[str]) -> bool:
    """True when the name is in the text literally, or each of its words starts a text word once
    the last one or two letters (a case ending of the base form) are dropped: the name is then a
    base form of an inflected mention ("Актюбинская область" of "Актюбинской области")."""
    wanted = norm(name)
    if wanted in norm(text):
        return True
    for word in wanted.split(" "):
        stem = word if len(word) <= 3 else word[:max(3, len(word) - 2)]
        if not any(token.startswith(stem) for token in tokens):
            return False
    return True


def _names(record: dict) -> set[str]:
    out = set()
    for kind in ENTITY_FIELDS:
        for entity in record.get(kind) or []:
            out.add(norm(entity["name"]))
            out.update(norm(a) for a in entity.get("aliases", []))
    return out


def _check_ref(where: str, value: object, names: set[str], problems: list[str]) -> None:
    if value is not None and norm(str(value)) not in names:
        problems.append(f"{where}: {value!r} is not an entity of this record")


def check_record(record: dict, folder: Path) -> list[str]:
    """All problems of one gold record; an empty list means it is consistent."""
    problems: list[str] = []
    label = record.get("file", "?")
    missing = [k for k in RECORD_KEYS if k not in record]
    if missing:
        return [f"{label}: missing keys {missing}"]
    path = folder / record["file"]
    if not path.is_file():
        return [f"{label}: article file not found"]
    text = path.read_text(encoding="utf-8")
    header = HEADER.match(text.splitlines()[0])
    if not header:
        problems.append(f"{label}: first line is not ' date YYYY-MM-DD <title>'")
    elif header.group(1) != record["published"]:
        problems.append(f"{label}: published {record['published']} differs from header {header.group(1)}")
    if record["lang"] not in {"kk", "ru", "en"}:
        problems.append(f"{label}: bad lang {record['lang']!r}")
    tokens = _tokens(text)
    names = _names(record)
    for kind, fields in ENTITY_FIELDS.items():
        seen = set()
        for entity in record[kind]:
            where = f"{label} {kind} {entity.get('name')!r}"
            for field in fields:
                if field not in entity:
                    problems.append(f"{where}: missing {field}")
            if norm(entity["name"]) in seen:
                problems.append(f"{where}: listed twice")
            seen.add(norm(entity["name"]))
            spellings = [entity["name"], *entity.get("aliases", [])]
            if not any(occurs(s, text, tokens) for s in spellings):
                problems.append(f"{where}: neither name nor an alias occurs in the text")
            if kind == "officials":
                if entity.get("role") not in ROLES:
                    problems.append(f"{where}: unknown role {entity.get('role')!r}")
                _check_ref(f"{where} of", entity.get("of"), names, problems)
    # FORMAT.md: location_region is a region, a district, or a city (listed under places or regions).
    region_names = {norm(s) for kind in ("regions", "places") for r in record[kind]
                    for s in [r["name"], *r.get("aliases", [])]}
    for i, event in enumerate(record["events"]):
        where = f"{label} event {i}"
        for key in EVENT_KEYS:
            if key not in event:
                problems.append(f"{where}: missing {key}")
        if event.get("type") not in EVENT_TYPES:
            problems.append(f"{where}: unknown type {event.get('type')!r}")
        for key in ("led_by", "from", "location"):
            _check_ref(f"{where} {key}", event.get(key), names, problems)
        for key in ("participants", "met"):
            for value in event.get(key) or []:
                _check_ref(f"{where} {key}", value, names, problems)
    for i, deal in enumerate(record["agreements"]):
        where = f"{label} agreement {i}"
        for key in AGREEMENT_KEYS:
            if key not in deal:
                problems.append(f"{where}: missing {key}")
        if deal.get("type") is not None and deal["type"] not in AGREEMENT_TYPES:
            problems.append(f"{where}: unknown type {deal.get('type')!r}")
        if deal.get("status") not in STATUSES:
            problems.append(f"{where}: unknown status {deal.get('status')!r}")
        if not deal.get("parties"):
            problems.append(f"{where}: no parties")
        for party in deal.get("parties") or []:
            _check_ref(f"{where} party", party, names, problems)
        region = deal.get("location_region")
        if region is not None and norm(region) not in region_names:
            problems.append(f"{where}: location_region {region!r} is not a region of this record")
        amount, currency, qualifier = deal.get("amount"), deal.get("currency"), deal.get("amount_qualifier")
        if amount is not None and not isinstance(amount, int):
            problems.append(f"{where}: amount must be an integer")
        if (amount is None) != (currency is None) or (amount is None) != (qualifier is None):
            problems.append(f"{where}: amount, currency and amount_qualifier must be set together")
        if currency is not None and currency not in CURRENCIES:
            problems.append(f"{where}: unknown currency {currency!r}")
        if qualifier is not None and qualifier not in QUALIFIERS:
            problems.append(f"{where}: unknown qualifier {qualifier!r}")
        if deal.get("date") is not None and not DEAL_DATE.match(deal["date"]):
            problems.append(f"{where}: date is not YYYY-MM-DD or YYYY-MM")
    return problems


def check_file(gold: Path, folder: Path) -> list[str]:
    """Problems of every record in one gold file, plus articles in the folder that have no record."""
    problems: list[str] = []
    covered = set()
    for number, line in enumerate(gold.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{gold.name}:{number}: not JSON ({error})")
            continue
        covered.add(record.get("file"))
        problems.extend(check_record(record, folder))
    for article in sorted(folder.rglob("*.txt")):
        if article.relative_to(folder).as_posix() not in covered:
            problems.append(f"{article.relative_to(folder)}: article has no gold record")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) % 2:
        print("usage: check_gold.py [GOLD_FILE ARTICLES_FOLDER]...  (pairs; none = the project's sets)")
        return 2
    pairs = [(Path(argv[i]), Path(argv[i + 1])) for i in range(0, len(argv) - 1, 2)] or DEFAULT_SETS
    problems = [f"{gold}: {p}" for gold, folder in pairs for p in check_file(gold, folder)]
    print("\n".join(problems) or f"ok: {len(pairs)} gold file(s) consistent")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
