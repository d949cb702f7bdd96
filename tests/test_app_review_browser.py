"""The review workflow in real Chromium on pipeline output: reject a party, merge two
spellings of one person, correct an amount; the deal page, the totals, the CSV export and a
SPARQL query reflect it; re-ingesting the article keeps the corrections; undo restores one."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from browser_support import chromium_page, streamlit_server
from graph import reviewed
from graph.store import open_store
from viewer_data import FERRO_DEAL, FOLLOWUP, PARK_DEAL, fill

pytestmark = pytest.mark.browser
DG = "https://w3id.org/dealgraph/ontology#"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    location = str(tmp_path_factory.mktemp("review") / "store")
    with open_store(location) as store:
        fill(store, followup=True)
    with streamlit_server(location) as base, chromium_page(base) as (page, seen):
        yield page
        outside = [u for u in seen if urlparse(u).scheme not in ("data", "blob", "about")
                   and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
        assert outside == [], outside


def go(page, name: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_text(name, exact=True).click()
    page.get_by_role("heading", name=name).first.wait_for()


def saved(page) -> None:
    page.get_by_text(re.compile("^Saved: ")).wait_for()


def download(page, name: str) -> str:
    """Click a download button; a click that lands while Streamlit is still rerunning the page
    (the old button is on screen until the run ends) is tried again."""
    for _ in range(6):
        try:
            with page.expect_download(timeout=5_000) as event:
                page.get_by_role("button", name=name).click()
            return Path(event.value.path()).read_text(encoding="utf-8-sig")
        except Exception:  # playwright's TimeoutError: the rerun replaced the button
            continue
    pytest.fail(f"{name} never started a download")


def deals_csv(page) -> list[dict[str, str]]:
    go(page, "Deals")
    return list(csv.DictReader(io.StringIO(download(page, "Download CSV"))))


def open_deal(page, text: str) -> None:
    """Choose a deal in the Deals page's picker and open its page; tried again when a rerun
    replaced the picker under the click (the opened page's title must then read ``text``)."""
    for _ in range(4):
        go(page, "Deals")
        box = page.get_by_label("Open a deal or a party")
        box.click()
        box.fill(text)
        page.get_by_role("option").filter(has_text=text).first.click()
        page.locator(".st-key-deals_open button").click()  # not the explorer's button of that name, stale until the run ends
        try:
            page.get_by_role("heading", name=re.compile("^" + re.escape(text))).first.wait_for(timeout=10_000)
            page.get_by_role("heading", name="Review").wait_for()
            return
        except Exception:  # playwright's TimeoutError: a stale picker took the click
            continue
    pytest.fail(f"could not open the deal {text!r}")


def test_review_flow(page) -> None:
    try:
        review_flow(page)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "review-failure.png"), full_page=True)
        raise


def review_flow(page) -> None:
    page.get_by_label("Your name (stamped on judgements)").fill("Aigerim")
    page.get_by_label("Your name (stamped on judgements)").press("Enter")

    # 1. reject a party the analyst judges wrong: Kazakh Invest on the Liando MoU (an adviser)
    open_deal(page, "MoU")
    page.locator("[data-testid='stHorizontalBlock']", has_text="party: Kazakh Invest").get_by_role(
        "button", name="Reject this party").click()
    saved(page)
    page.get_by_text("party: Kazakh Invest").wait_for(state="detached")

    # 2. merge the second spelling of the deputy akim into the first
    go(page, "Entity")
    page.get_by_label("Search by name (any script or language)").fill("Abdikarimov")
    page.get_by_label("Search by name (any script or language)").press("Enter")
    page.locator(".st-key-entity_open button").click()
    page.get_by_role("heading", name="Review").wait_for()
    other = page.get_by_label("Another entity (to merge into this one, or to keep apart)")
    other.fill("Abdikarimuly")
    other.press("Enter")
    page.get_by_role("button", name="Merge it into this one").click()
    saved(page)
    page.get_by_text("merged abzal-abdikarimuly").first.wait_for()

    # 3. correct the disputed amount of the ferroalloy deal
    open_deal(page, "framework agreement")
    page.get_by_label(re.compile("^New value")).fill("180000000")
    page.get_by_label(re.compile("^New value")).press("Enter")
    page.get_by_label("Why (kept with the judgement)").fill("press release of the akimat")
    page.get_by_role("button", name="Save correction").click()
    saved(page)
    page.get_by_text("180,000,000 USD").first.wait_for()  # the deal page
    page.get_by_text("reviewed", exact=True).first.wait_for()

    # totals, CSV export and SPARQL all see the corrections
    go(page, "Insights")
    page.get_by_text(re.compile(r"3 deal\(s\), 240,000,000 USD in all")).first.wait_for()
    check_export_and_sparql(page)

    # 4. re-ingest the follow-up article through the Ingest page: the judgements still apply
    go(page, "Ingest")
    page.locator("input[type=file]").set_input_files(str(FOLLOWUP))
    page.get_by_role("button", name="Ingest", exact=True).click()
    page.get_by_text(re.compile(r"followup\.jsonl: .* facts added")).wait_for()
    check_export_and_sparql(page)

    # 5. undo the amount correction (the newest judgement is listed first)
    go(page, "Review")
    page.get_by_role("button", name="Undo").first.click()
    page.get_by_text("Undone.").wait_for()
    rows = deals_csv(page)
    ferro = next(r for r in rows if r["iri"] == FERRO_DEAL)
    assert ferro["disagree"] == "True" and "amount" in ferro["disagreement"] and ferro["reviewed"] == ""
    mou = next(r for r in rows if r["iri"] == PARK_DEAL)
    assert "Kazakh Invest" not in mou["parties"]


def test_map_draws_the_twenty_units_offline_and_a_click_opens_the_region(page) -> None:
    go(page, "Map")
    page.locator(".js-plotly-plot").first.wait_for()
    shapes = page.locator(".js-plotly-plot .scatterlayer .trace")
    shapes.nth(20).wait_for()
    assert shapes.count() == 21  # 20 units and their markers
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"))
    box = shapes.nth(20).locator("path.point").nth(2).bounding_box()  # KZ-AKT's marker, under plotly's drag layer
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_role("heading", name="Entity").wait_for()
    page.get_by_role("heading", name="Entity").wait_for()
    page.get_by_text("Signings by year and status").wait_for()


def check_export_and_sparql(page) -> None:
    rows = deals_csv(page)
    ferro = next(r for r in rows if r["iri"] == FERRO_DEAL)
    assert float(ferro["amount"]) == 180000000 and ferro["disagreement"] == "qualifier" and ferro["reviewed"] == "amount"
    assert "Kazakh Invest" not in next(r for r in rows if r["iri"] == PARK_DEAL)["parties"]
    assert sum("Abdikarimuly" in r["parties"] for r in rows) == 0
    go(page, "SPARQL console")
    query = (f"SELECT ?v WHERE {{ GRAPH <{reviewed.GRAPH}> {{ <{FERRO_DEAL}> <{DG}amount>/<{DG}value> ?v }} }}")
    page.get_by_label("Query").fill(query)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("1 rows in").wait_for()
    assert download(page, "Download CSV").split() == ["v", "180000000"]
