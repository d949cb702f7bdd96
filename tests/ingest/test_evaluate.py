"""The scorer on tiny hand-made gold/extraction pairs: FORMAT.md's matching rules, the links row
and the per-language breakdown."""

from ingest.evaluate import links, score


def record(lang: str = "en", **kinds: object) -> dict:
    return {"file": "a.txt", "lang": lang, **kinds}


def agreement(parties: list[str], **fields: object) -> dict:
    base = {"type": None, "parties": parties, "amount": None, "currency": None, "amount_qualifier": None,
            "location_region": None, "date": None, "project": None, "sector": None, "status": None}
    return {**base, **fields}


REGION = {"name": "Aktobe Region", "country": "KZ", "aliases": ["Ақтөбе облысы"]}
COMPANY = {"name": "Sumec", "country": "CN", "aliases": ["Sumec Group"]}


def test_names_match_after_casefold_quotes_and_spaces_but_not_inflected() -> None:
    gold = record(companies=[{"name": "«Altyn  Dala»", "country": None}, {"name": "Kazakh Invest", "country": None}])
    found = record(companies=[{"name": "altyn dala"}, {"name": "Kazakh Investтің"}])
    result = score([(gold, found)])["per_kind"]["companies"]
    assert (result["tp"], result["fp"], result["fn"]) == (1, 1, 1)


def test_an_event_whose_gold_location_is_null_matches_on_type() -> None:
    gold = record(events=[{"type": "meeting", "location": None, "led_by": "Ivan Petrov", "from": None,
                           "participants": None, "met": None}])
    found = record(events=[{"type": "meeting", "location": "Astana", "led_by": "Ivan Petrov", "from": None,
                            "participants": [], "met": []}])
    kinds = score([(gold, found)])["per_kind"]
    assert kinds["events"]["tp"] == 1 and kinds["events.led_by"]["tp"] == 1


def test_agreements_sharing_parties_pair_with_their_closest_counterpart() -> None:
    gold = record(companies=[COMPANY], regions=[REGION], agreements=[
        agreement(["Aktobe Region", "Sumec"], type="mou", amount=5, currency="USD"),
        agreement(["Aktobe Region", "Sumec"], type="contract", amount=9, currency="USD")])
    found = record(agreements=[agreement(["Sumec"], type="contract", amount=9, currency="USD"),
                               agreement(["Ақтөбе облысы"], type="mou", amount=5, currency="USD")])
    kinds = score([(gold, found)])["per_kind"]
    assert kinds["agreements.type"]["tp"] == 2 and kinds["agreements.amount"]["tp"] == 2


def test_null_gold_field_is_not_scored_but_a_missed_value_is() -> None:
    gold = record(agreements=[agreement(["Sumec"], sector=None, amount=100, currency="USD")])
    found = record(agreements=[agreement(["Sumec"], sector="energy", amount=None)])
    kinds = score([(gold, found)])["per_kind"]
    assert kinds["agreements.sector"] == {**kinds["agreements.sector"], "tp": 0, "fp": 0, "fn": 0}
    assert kinds["agreements.amount"]["fn"] == 1 and kinds["agreements.amount"]["fp"] == 0


def test_a_kind_absent_from_gold_is_not_scored() -> None:
    gold = record(companies=[COMPANY])
    found = record(companies=[{"name": "Sumec"}], agreements=[agreement(["Sumec"], type="mou")])
    result = score([(gold, found)])
    assert result["per_kind"]["agreements"]["fp"] == 0 and result["links"]["fp"] == 0


def test_links_pair_each_non_place_party_with_region_parties_and_the_location() -> None:
    gold = record(regions=[REGION], places=[{"name": "Shymkent", "kind": "city"}], agreements=[
        agreement(["Aktobe Region", "Sumec", "Kazakh Invest"], location_region="Shymkent")])
    assert links(gold) == {("sumec", "aktobe region"), ("sumec", "shymkent"),
                           ("kazakh invest", "aktobe region"), ("kazakh invest", "shymkent")}
    assert links(record(agreements=[agreement(["Sumec", "Kazakh Invest"])])) == set()


def test_links_are_scored_beside_micro_with_aliases() -> None:
    gold = record(regions=[REGION], companies=[COMPANY], agreements=[
        agreement(["Aktobe Region", "Sumec"], location_region="Aktobe Region"),
        agreement(["Aktobe Region", "Kaspi"], location_region="Aktobe Region")])
    found = record(regions=[{"name": "Ақтөбе облысы"}], agreements=[
        agreement(["Ақтөбе облысы", "Sumec Group", "KAZINFORM"])])
    result = score([(gold, found)])
    assert {k: result["links"][k] for k in ("tp", "fp", "fn")} == {"tp": 1, "fp": 1, "fn": 1}
    assert "links" not in result["per_kind"]
    assert result["micro"]["tp"] == sum(v["tp"] for v in result["per_kind"].values())


def test_per_language_figures_add_up_to_the_total() -> None:
    kk = (record("kk", companies=[COMPANY]), record("kk", companies=[{"name": "Sumec"}]))
    ru = (record("ru", companies=[COMPANY]), record("ru", companies=[{"name": "Сумек"}]))
    result = score([kk, ru])
    assert result["per_lang"]["kk"]["micro"]["f1"] == 1.0
    assert result["per_lang"]["ru"]["micro"]["fn"] == 1 and result["per_lang"]["ru"]["micro"]["fp"] == 1
    assert result["micro"]["tp"] == 1 and set(result["per_lang"]) == {"kk", "ru"}
