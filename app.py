"""dealgraph viewer: graph explorer, entity pages, deals table, SPARQL console, ingest and
insights, in one Streamlit app.

Only presentation lives here: every question to the graph goes through ``graph/`` (named
queries, per-view reads, the in-memory index, explore/analytics/viz), and no SPARQL text is
written in this file. The explorer and entity pages read the store per view (graph/views.py),
so the first picture does not wait for the whole graph; the pages that sum over every deal
(Deals, Map, Insights) and the deal filters load the whole index, only when opened. The store
comes from $DEALGRAPH_STORE or the default location and is opened once per server process.
"""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import PurePath
from decimal import Decimal

import pandas as pd
import streamlit as st

from graph import analytics, deals, explore, fx, judgements, picture, query, regionmap, reviewed, views, viz
from graph.index import LANG_MODES, NODE_TYPES, GraphIndex, load_index
from graph.store import QueryError, Store, StoreError, default_location, open_store

PAGES = ("Graph explorer", "Entity", "Deals", "Map", "Review", "SPARQL console", "Ingest", "Insights")
# Widget values under these prefixes survive page switches (Streamlit drops the state of
# widgets that are not drawn in a run unless it is written back first).
KEEP_PREFIXES = ("ex_", "dl_", "en_", "sq_", "in_", "reviewer")
# A selection list longer than this is slow to send and useless to scroll.
PICK_LIMIT = 1_000
EVIDENCE_ARTICLES = 60
ENTITY_CAP = 500  # an entity page reads the entity and at most this many linked nodes

st.set_page_config(page_title="dealgraph", layout="wide")


@st.cache_resource
def get_store() -> Store:
    return open_store(default_location())


@st.cache_resource
def generation() -> dict[str, int]:
    """Bumped after an ingest so every cached view of the graph is rebuilt."""
    return {"n": 0}


@st.cache_resource(ttl=600, max_entries=2)
def get_index(_store: Store, gen: int) -> GraphIndex:
    """The whole graph in memory: only for the pages that sum over every deal (Deals, Map,
    Insights), the deal filters, and a store whose engine cannot read per view."""
    return load_index(_store)


@st.cache_resource(max_entries=2)
def per_view(_store: Store, gen: int) -> bool:
    return views.supported(_store)


@st.cache_resource(max_entries=2)
def has_entities(_store: Store, gen: int) -> bool:
    return views.has_entities(_store)


@st.cache_resource(max_entries=2)
def get_review(_store: Store, gen: int) -> judgements.Review:
    return judgements.load(_store)


@st.cache_resource(ttl=600, max_entries=2)
def get_names(_store: Store, gen: int) -> GraphIndex:
    """Names of every entity (no links, no deals) for search; built on the first search."""
    if not per_view(_store, gen):
        return get_index(_store, gen)
    return views.search_index(_store, get_review(_store, gen))


@st.cache_resource(max_entries=16)
def get_view(_store: Store, gen: int, filters: explore.Filters, focus: str | None, depth: int,
             cap: int) -> tuple[GraphIndex, explore.Subgraph]:
    """The nodes of one picture and a small index of them, read from the store per view; deal
    filters need every deal, so they (and a store without per-view reads) use the whole index."""
    if filters.on_deals or not per_view(_store, gen):
        index = get_index(_store, gen)
        return index, explore.subgraph(index, filters, focus=focus, depth=depth, cap=cap)
    return views.view(_store, focus=focus, depth=depth, cap=cap, review=get_review(_store, gen),
                      types=filters.types, isolated=filters.isolated)


@st.cache_resource(max_entries=4)
def get_neighbourhood(_store: Store, gen: int, iri: str) -> tuple[GraphIndex, bool]:
    """An entity, its linked nodes (at most :data:`ENTITY_CAP`) and their deals, and whether
    the cap cut them: an entity page's data, read per request."""
    if not per_view(_store, gen):
        return get_index(_store, gen), False
    return views.neighbourhood(_store, iri, cap=ENTITY_CAP, review=get_review(_store, gen))


@st.cache_resource(max_entries=2)
def get_nx(_index: GraphIndex, gen: int):
    return analytics.entity_graph(_index)


@st.cache_resource(max_entries=16)
def get_picture(_store: Store, gen: int, filters: explore.Filters, focus: str | None, depth: int, cap: int,
                expanded: tuple[str, ...] = ()) -> tuple[GraphIndex, explore.Subgraph, dict | None]:
    """The explorer's nodes with the neighbours of the expanded ones added (read per view, like
    the picture itself), and where the nodes drawn before the expansion were."""
    index, sub = get_view(_store, gen, filters, focus, depth, cap)
    if not expanded:
        return index, sub, None
    placed = viz.positions(sub)  # the nodes drawn before stay where they were
    if filters.on_deals or not per_view(_store, gen):
        return index, explore.expand(index, sub, expanded, filters, cap=cap), placed
    index, sub = views.expand(_store, sub, expanded, cap=cap, review=get_review(_store, gen),
                              types=filters.types, isolated=filters.isolated)
    return index, sub, placed


@st.cache_data(max_entries=16, show_spinner=False)
def graph_html(gen: int, filters: explore.Filters, focus: str | None, depth: int, cap: int, mode: str,
               size_by: str = "degree", expanded: tuple[str, ...] = ()) -> tuple[viz.Picture, list[str], int | None]:
    """The explorer's picture (drawn by the clickable component, or exported as a pyvis page)."""
    index, sub, placed = get_picture(get_store(), gen, filters, focus, depth, cap, expanded)
    return viz.picture(index, sub, mode=mode, size_by=size_by, placed=placed), sub.nodes, sub.total


def keep_widget_state() -> None:
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(KEEP_PREFIXES):
            st.session_state[key] = st.session_state[key]


def seeded(key: str, value: object) -> str:
    """A widget key whose first value comes from session state rather than a widget
    default, so keeping the value across pages never conflicts with a default."""
    st.session_state.setdefault(key, value)
    return key


def go_to_entity(iri: str) -> None:
    """Button callback: open an entity's page (callbacks run before the next run draws)."""
    st.session_state["entity"] = iri
    st.session_state["page"] = "Entity"


def set_focus(iri: str | None) -> None:
    st.session_state["focus"] = iri
    st.session_state["page"] = "Graph explorer"
    st.session_state["picture_expanded"] = []


def picture_clicked() -> None:
    """Picture callback: a click on a node opens its page, a double-click (or a click in the
    "expand" mode) adds its neighbours to the picture."""
    click = picture.read_click(st.session_state.get("picture_click"), st.session_state.get("picture_iris", ()))
    if click is None or click.seq == st.session_state.get("picture_seen"):
        return  # a rerun that interrupts another replays its widget changes: act on each click once
    st.session_state["picture_seen"] = click.seq
    if click.action == "open":
        go_to_entity(click.iri)
    elif click.iri not in st.session_state.get("picture_expanded", []):
        st.session_state["picture_expanded"] = [*st.session_state.get("picture_expanded", []), click.iri]


def entity_picker(store: Store, gen: int, mode: str, key: str, label: str = "Search by name (any script or language)") -> str | None:
    """A search box and the matching entities; returns the chosen IRI. The names of every
    entity are read on the first search (not before the first picture)."""
    text = st.text_input(label, key=f"{key}_q", placeholder="Ақтөбе, Актюбинская, Aktobe…")
    if not text.strip():
        return None
    index = get_names(store, gen)
    hits = explore.search(index, text)
    if not hits:
        st.info(f"No entity has a name like “{text}” (in any script, allowing for spelling variants).")
        return None
    matched = {h.iri: h.label for h in hits}

    def show(iri: str) -> str:
        name = index.name(iri, mode)
        extra = "" if matched[iri] == name else f" (“{matched[iri]}”)"
        return f"{name} · {index.nodes[iri].type}{extra}"

    return st.selectbox(f"{len(hits)} match(es)", list(matched), key=f"{key}_pick", format_func=show)


def filter_widgets(index: GraphIndex | None, mode: str, prefix: str, *, with_types: bool,
                   store: Store | None = None, gen: int = 0) -> explore.Filters:
    """Filter widgets. Without an index (the explorer, read per view), the deal filters need
    every deal: they are offered behind a checkbox and load the whole index only when ticked."""
    with st.expander("Filters", expanded=False):
        c1, c2, c3 = st.columns(3)
        types = None
        if with_types:
            chosen = c1.multiselect("Entity types", list(NODE_TYPES), key=seeded(f"{prefix}_types", list(NODE_TYPES)))
            types = frozenset(chosen)
        if index is None:
            if not c2.checkbox("Filter deals (region, company, kind, status, date, amount; reads every deal)",
                               key=f"{prefix}_on_deals") or store is None:
                return explore.Filters(types=types)
            index = get_index(store, gen)
        options = explore.filter_options(index, mode)
        dates, amounts = explore.deal_bounds(index)
        regions = c1.multiselect("Region", list(options["regions"]), format_func=options["regions"].get, key=f"{prefix}_regions")
        countries = c2.multiselect("Country (of a party)", list(options["countries"]), key=f"{prefix}_countries")
        companies = c2.multiselect("Company", list(options["companies"]), format_func=options["companies"].get, key=f"{prefix}_companies")
        kinds = c3.multiselect("Agreement kind", list(options["kinds"]), format_func=options["kinds"].get, key=f"{prefix}_kinds")
        statuses = c3.multiselect("Status", list(options["statuses"]), key=f"{prefix}_statuses")
        date_from = date_to = None
        if dates:
            use_dates = c1.checkbox("Limit dates", key=f"{prefix}_use_dates")
            if use_dates:
                picked = c1.date_input("Date range", key=seeded(f"{prefix}_dates", dates))
                if isinstance(picked, (tuple, list)) and len(picked) == 2:
                    date_from, date_to = picked
        amount_min = amount_max = None
        if amounts:
            use_amounts = c2.checkbox("Limit amounts (in each deal's currency)", key=f"{prefix}_use_amounts")
            if use_amounts:
                low = c2.number_input("Amount from", step=1e6, key=seeded(f"{prefix}_amin", float(amounts[0])))
                high = c3.number_input("Amount to", step=1e6, key=seeded(f"{prefix}_amax", float(amounts[1])))
                amount_min, amount_max = Decimal(str(low)), Decimal(str(high))
    return explore.Filters(
        types=types, regions=frozenset(regions), countries=frozenset(countries), companies=frozenset(companies),
        kinds=frozenset(kinds), statuses=frozenset(statuses), date_from=date_from, date_to=date_to,
        amount_min=amount_min, amount_max=amount_max,
    )


def page_explorer(store: Store, gen: int, mode: str, cap: int) -> None:
    st.header("Graph explorer")
    left, right = st.columns([2, 1])
    with left:
        picked = entity_picker(store, gen, mode, "ex_search")
        if picked:
            b1, b2 = st.columns(2)
            b1.button("Focus the graph on it", key="focus_btn", on_click=set_focus, args=(picked,))
            b2.button("Open its page", key="open_hit", on_click=go_to_entity, args=(picked,))
    with right:
        depth = st.slider("Depth (hops from the focus, or from the filtered deals)", 1, explore.MAX_DEPTH, key=seeded("ex_depth", 2))
    focus = st.session_state.get("focus")
    filters = filter_widgets(None, mode, "ex", with_types=True, store=store, gen=gen)
    c1, c2 = st.columns([1, 2])
    isolated = c1.checkbox("Show unlinked nodes", key="ex_isolated", help="Entities no fact links to anything else.")
    size_by = c2.radio("Node size by", list(viz.SIZE_BY), index=1, horizontal=True, key="ex_size_by")
    filters = dataclasses.replace(filters, isolated=isolated)
    focus = get_review(store, gen).canonical(focus) if focus else None
    if focus and focus not in get_view(store, gen, filters, focus, depth, cap)[0].nodes:
        focus = None  # no longer an entity (judged not one, or the store changed)
    expanded = tuple(st.session_state.setdefault("picture_expanded", []))
    index = get_picture(store, gen, filters, focus, depth, cap, expanded)[0]  # the drawn nodes, read per view
    if focus:
        with right:
            st.write(f"Focus: **{index.name(focus, mode)}** ({index.nodes[focus].type})")
            st.button("Show the whole graph", key="clear_focus", on_click=set_focus, args=(None,))
    drawing, shown, total = graph_html(gen, filters, focus, depth, cap, mode, size_by, expanded)
    if total is None or total > len(shown):
        of = "" if total is None else f" of {total:,}"
        st.warning(
            f"Showing {len(shown):,}{of} nodes: the node cap ({cap:,}, a setting in the sidebar) "
            "was reached. Narrow down: focus on an entity, lower the depth, or filter by type, region, "
            "company, kind, status, date or amount."
        )
    elif not shown:
        st.info("Nothing matches these filters.")
    c1, c2, c3 = st.columns([4, 2, 1])
    c1.caption(f"{len(shown):,} nodes. Hover a node or an edge for its facts; drag to pan, scroll to zoom. "
               "Double-click a node to add its neighbours.")
    action = c2.radio("A click on a node", picture.ACTIONS, horizontal=True, key="ex_click_action",
                      format_func={"open": "opens its page", "expand": "adds its neighbours"}.get)
    if expanded:
        c3.button("Collapse", key="picture_collapse", help=f"{len(expanded)} node(s) expanded",
                  on_click=set_focus, args=(focus,))
    st.session_state["picture_iris"] = drawing.iris
    picture.show(drawing, key="picture_click", height=640, click_action=action, on_click=picture_clicked)
    if shown:
        st.download_button("Download the picture (HTML, works offline)", data=lambda: viz.page(drawing),
                           file_name="dealgraph.html", mime="text/html", key="picture_html", on_click="ignore")
        c1, c2, c3 = st.columns([3, 1, 1])
        chosen = c1.selectbox(
            "Entity in this graph", shown, key="ex_graph_pick",
            format_func=lambda iri: f"{index.name(iri, mode)} · {index.nodes[iri].type}",
        )
        c2.button("Open its page", key="open_from_graph", on_click=go_to_entity, args=(chosen,))
        c3.button("Focus on it", key="focus_from_graph", on_click=set_focus, args=(chosen,))


def page_entity(store: Store, gen: int, mode: str) -> None:
    st.header("Entity")
    picked = entity_picker(store, gen, mode, "en_search")
    if picked:
        st.button("Open", key="entity_open", on_click=go_to_entity, args=(picked,))
    iri = st.session_state.get("entity")
    if iri:
        iri = get_review(store, gen).canonical(iri)  # merged into another entity: show that one
        index, capped = get_neighbourhood(store, gen, iri)  # the entity and what it links to, read per request
    if not iri or iri not in index.nodes:
        st.info("Search for an entity above, or open one from the graph or a table.")
        return
    view = explore.entity_view(store, index, iri, mode, articles=EVIDENCE_ARTICLES)
    st.subheader(f"{view.name}")
    st.caption(f"{view.type} · `{iri}`")
    st.button("Show in the graph", key="entity_focus", on_click=set_focus, args=(iri,))
    if view.attributes:
        st.write(" · ".join(f"**{k}**: {v}" for k, v in view.attributes.items()))
    if iri in index.deals:
        st.markdown(deal_summary(index, index.deals[iri], mode))
    if view.aliases:
        st.markdown("**Names and aliases**")
        st.dataframe(pd.DataFrame(view.aliases), hide_index=True)
    if view.posts:
        st.markdown("**Officials and posts**")
        st.dataframe(pd.DataFrame([
            {"official": index.name(p["official"], mode), "role": p["role"], "as written": p["roleText"],
             "in": index.name(p["body"], mode), "articles": p["sources"]}
            for p in view.posts
        ]), hide_index=True)
    if capped:
        st.caption(f"Linked entities and deals: the first {len(view.neighbours):,} found (the page reads at most {ENTITY_CAP:,}).")
    if view.deals:
        st.markdown("**Linked deals**")
        rows = [r for r in explore.deals_table(index, mode=mode) if r["iri"] in set(view.deals)]
        st.dataframe(deals_frame(rows), hide_index=True)
        if view.type in ("Region", "Company", "Organization", "City", "Country") and index.book is not None:
            years = deals.timeline([index.deals[a] for a in view.deals if a in index.deals])
            if years:
                st.markdown("**Signings by year and status**")
                st.bar_chart(pd.DataFrame.from_dict(years, orient="index").fillna(0).rename(index=str))
    if view.neighbours:
        c1, c2 = st.columns([3, 1])
        nxt = c1.selectbox("Linked entities", view.neighbours, key="en_next",
                           format_func=lambda n: f"{index.name(n, mode)} · {index.nodes[n].type}")
        c2.button("Open", key="entity_open_next", on_click=go_to_entity, args=(nxt,))
    st.markdown(f"**Facts and evidence** ({len(view.facts)})")
    by_article: dict[str, list[explore.Fact]] = {}
    for fact in view.facts:
        by_article.setdefault(fact.article, []).append(fact)
    if len(by_article) >= EVIDENCE_ARTICLES:
        st.caption(f"Evidence from {EVIDENCE_ARTICLES} of the articles naming it (a page reads no more), by date.")
    for article, facts in list(by_article.items())[:EVIDENCE_ARTICLES]:
        first = facts[0]
        head = f"{first.title or article} — {first.date or 'no date'} — {first.language or '?'}"
        with st.expander(head, expanded=len(by_article) <= 3):
            st.html(evidence_html(facts))
    review_panel(store, index, gen, iri, mode)


def deal_summary(index: GraphIndex, deal: deals.Deal, mode: str) -> str:
    """The deal in one paragraph: the value shown everywhere, and what each source said."""
    amount = deals.format_amount(deal.amount) or "no amount"
    converted = deals.usd_of(deal, fx.table())
    usd = f" (≈ {converted.usd:,} USD at the {converted.year} average rate)" if converted and converted.year else ""
    reported = "; ".join(f"{deals.format_amount(a)} ×{n}" for a, n in deal.values("amount").most_common())
    lines = [
        f"**Amount:** {amount}{usd}" + (" — *reviewed*" if {"amount", "currency", "qualifier"} & set(deal.reviewed) else ""),
        f"**Kind:** {deals.kind_text(deal.kind)} · **Status:** {deal.status or '—'} · **Date:** {deal.date or '—'}",
        f"**Parties:** {', '.join(index.name(p, mode) for p in deal.parties) or '—'}",
        f"**Reported by {deal.sources} article(s):** {reported or 'no amount'}",
    ]
    if deal.disagreements:
        lines.append(f"**Sources disagree on:** {', '.join(deal.disagreements)}")
    return "  \n".join(lines)


def judge(action: str, subject: str, **kwargs) -> None:
    """Button callback: record a judgement, rebuild the reviewed graph, redraw every view."""
    store = get_store()
    try:
        j = judgements.record(store, action, subject, who=st.session_state.get("reviewer", ""), **kwargs)
    except judgements.JudgementError as exc:
        st.session_state["rv_message"] = ("error", str(exc))
        return
    reviewed.refresh(store)
    generation()["n"] += 1
    st.session_state["rv_message"] = ("success", "Saved: " + j.describe())


def undo_judgement(iri: str) -> None:
    store = get_store()
    judgements.undo(store, iri, st.session_state.get("reviewer", ""))
    reviewed.refresh(store)
    generation()["n"] += 1
    st.session_state["rv_message"] = ("success", "Undone.")


def split_merge(iri: str) -> None:
    """Button callback: undo a merge and keep the two entities apart (graph/judgements.split)."""
    store = get_store()
    kept = judgements.split(store, iri, st.session_state.get("reviewer", ""), st.session_state.get("rv_why", ""))
    reviewed.refresh(store)
    generation()["n"] += 1
    st.session_state["rv_message"] = ("success", "Saved: " + kept.describe())


def save_correction(subject: str, parties: list[str]) -> None:
    field = st.session_state.get("rv_field")
    if field in judgements.IRI_FIELDS:
        value = st.session_state.get("rv_entity_pick") or ""
    else:
        value = st.session_state.get("rv_value", "")
    if field == "party":
        replaces = st.session_state.get("rv_replaces")
    else:
        index = get_neighbourhood(get_store(), generation()["n"], subject)[0]
        replaces = deals.current_value(index.book, subject, field) if index.book else None
    judge("correct", subject, predicate=field, value=value, replaces=replaces, why=st.session_state.get("rv_why", ""))


def show_review_message() -> None:
    message = st.session_state.pop("rv_message", None)
    if message:
        (st.error if message[0] == "error" else st.success)(message[1])


def review_panel(store: Store, index: GraphIndex, gen: int, iri: str, mode: str) -> None:
    """Confirm, reject, correct, merge, keep apart or drop — each a judgement with provenance."""
    st.subheader("Review")
    show_review_message()
    if not st.session_state.get("reviewer"):
        st.caption("Set your name in the sidebar: it is stamped on every judgement.")
    node = index.nodes[iri]
    st.text_input("Why (kept with the judgement)", key="rv_why")
    why = st.session_state.get("rv_why", "")
    if node.type == "Agreement" and iri in index.deals:
        deal = index.deals[iri]
        st.button("Confirm this deal", key="rv_confirm", on_click=judge, args=("confirm", iri),
                  kwargs={"predicate": judgements.RDF + "type", "obj": judgements.DG + "Agreement", "why": why})
        for number, party in enumerate(deal.parties):
            c1, c2 = st.columns([3, 1])
            c1.write(f"party: **{index.name(party, mode)}** ({index.nodes[party].type if party in index.nodes else '?'})")
            c2.button("Reject this party", key=f"rv_reject_party_{number}", on_click=judge, args=("reject", iri),
                      kwargs={"predicate": judgements.DG + "party", "obj": party, "why": why})
        c1, c2 = st.columns(2)
        field = c1.selectbox("Correct a field", [f for f, owner in judgements.FIELDS.items() if owner == "deal"], key="rv_field")
        if field in judgements.IRI_FIELDS:
            with c2:
                entity_picker(store, gen, mode, "rv_entity", "New value: search an entity")
            if field == "party":
                c1.selectbox("Party it replaces", [None, *deal.parties], key="rv_replaces",
                             format_func=lambda p: "(none: add a party)" if p is None else index.name(p, mode))
        else:
            current = {"amount": deal.amount and format(deal.amount.value, "f"), "currency": deal.amount and deal.amount.currency,
                       "qualifier": deal.amount and deal.amount.qualifier, "kind": deal.kind, "status": deal.status}.get(field)
            c2.text_input(f"New value (now: {current or '—'})", key="rv_value")
        st.button("Save correction", key="rv_save", on_click=save_correction, args=(iri, deal.parties))
    else:
        picked = entity_picker(store, gen, mode, "rv_other", "Another entity (to merge into this one, or to keep apart)")
        c1, c2, c3 = st.columns(3)
        if picked and picked != iri:
            c1.button("Merge it into this one", key="rv_merge", on_click=judge, args=("merge", iri),
                      kwargs={"obj": picked, "why": why})
            c2.button("Keep them apart", key="rv_apart", on_click=judge, args=("keep_apart", iri),
                      kwargs={"obj": picked, "why": why})
        c3.button("Not an entity", key="rv_not_entity", on_click=judge, args=("not_entity", iri), kwargs={"why": why})
        c1, c2 = st.columns([3, 1])
        c1.text_input(f"Correct the country (ISO code; now {node.country or '—'})", key="rv_country")
        c2.button("Save country", key="rv_save_country", on_click=lambda: judge(
            "correct", iri, predicate="country", value=st.session_state.get("rv_country", ""), replaces=node.country,
            why=st.session_state.get("rv_why", "")))
    review = index.book.review if index.book else judgements.Review()
    members = set(review.merged_into(iri))
    mine = [j for j in review.active if j.subject in members or j.object in members]
    if mine:
        st.markdown("**Judgements on it**")
        for number, j in enumerate(mine):
            c1, c2 = st.columns([4, 1])
            c1.write(j.describe())
            if j.action == "merge":  # the resolver's or a person's: undone and kept apart, nothing re-extracted
                c2.button("Keep apart", key=f"rv_split_{number}", on_click=split_merge, args=(j.iri,))
            else:
                c2.button("Undo", key=f"rv_undo_{number}", on_click=undo_judgement, args=(j.iri,))


def page_review(store: Store) -> None:
    st.header("Review")
    show_review_message()
    review = judgements.load(store)
    st.caption("Every judgement, oldest first. Each lives in its own named graph with who, when and why; "
               f"the reviewed view of the graph is `{reviewed.GRAPH}` for SPARQL.")
    if not review.judgements:
        st.info("No judgements yet: open a deal or an entity and use its Review section.")
        return
    for number, j in enumerate(reversed(review.judgements)):
        c1, c2 = st.columns([5, 1])
        c1.write(("~~" + j.describe() + "~~ (undone)") if j.undone else j.describe())
        if not j.undone:
            c2.button("Undo", key=f"rv_all_undo_{number}", on_click=undo_judgement, args=(j.iri,))
    st.download_button("Download gold of the reviewed articles (JSON Lines)", key="rv_gold", on_click="ignore",
                       data=lambda: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reviewed.gold(store)),
                       file_name="reviewed_gold.jsonl", mime="application/jsonl")


def evidence_html(facts: list[explore.Fact]) -> str:
    """Facts of one article with their sentences, the entity marked; all text escaped."""
    first = facts[0]
    source = first.source or ""
    link = (
        f'<a href="{html.escape(source, quote=True)}" target="_blank" rel="noopener">{html.escape(source)}</a>'
        if source.startswith(("http://", "https://")) else html.escape(PurePath(source).name)  # never a local folder
    )
    out = [f"<div style='font-size:0.9em;color:#555'>source: {link}</div><ul>"]
    for parts, group in explore.evidence_groups(facts):
        sentence = "".join(f"<mark>{html.escape(text)}</mark>" if marked else html.escape(text) for text, marked in parts)
        first_fact = group[0]
        meta = ", ".join(x for x in (first_fact.extractor, first_fact.confidence is not None and f"confidence {first_fact.confidence}") if x)
        stated = "".join(f"<li>{html.escape(f.text)}</li>" for f in group)
        out.append(
            f"<li><span style='font-style:italic'>“{sentence or '(no sentence)'}”</span>"
            f"<ul style='margin:0'>{stated}</ul><span style='font-size:0.8em;color:#777'>{html.escape(meta)}</span></li>"
        )
    return "".join(out) + "</ul>"


def deals_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(explore.DEAL_COLUMNS))
    return frame.drop(columns=["iri", "article titles", "article dates", "article urls", "evidence"])


def page_deals(store: Store, index: GraphIndex, mode: str) -> None:
    st.header("Deals")
    filters = filter_widgets(index, mode, "dl", with_types=False)
    rows = explore.deals_table(index, filters, mode)
    disagree = sum(r["disagree"] for r in rows)
    st.caption(f"{len(rows):,} agreements; sources disagree on {disagree:,} of them (⚠ column “disagree”).")
    st.dataframe(
        deals_frame(rows),
        hide_index=True,
        column_config={
            "amount": st.column_config.NumberColumn("amount", format="%,.0f"),
            "amount (USD)": st.column_config.NumberColumn("amount (USD)", format="%,.0f"),
            "disagree": st.column_config.CheckboxColumn("disagree"),
        },
    )
    c1, c2, c3 = st.columns(3)
    c1.download_button("Download CSV", data=explore.table_csv(rows), file_name="deals.csv", mime="text/csv",
                       key="deals_csv", on_click="ignore")
    c3.download_button("Download JSON", data=lambda: deals.to_json(rows), file_name="deals.json",
                       mime="application/json", key="deals_json", on_click="ignore")
    c2.download_button(
        "Download Excel", data=lambda: explore.table_xlsx(rows), file_name="deals.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="deals_xlsx", on_click="ignore",
    )
    if rows:
        listed = rows[:PICK_LIMIT]
        targets = list(dict.fromkeys([r["iri"] for r in listed] + [p for r in listed for p in index.deals[r["iri"]].parties]))
        c1, c2 = st.columns([3, 1])
        label = "Open a deal or a party" + (f" (of the first {PICK_LIMIT:,} rows; filter to reach others)" if len(rows) > PICK_LIMIT else "")
        chosen = c1.selectbox(label, targets, key="dl_pick",
                              format_func=lambda iri: f"{index.name(iri, mode)} · {index.nodes[iri].type}")
        c2.button("Open its page", key="deals_open", on_click=go_to_entity, args=(chosen,))


def load_gallery_query() -> None:
    name = st.session_state.get("sq_gallery")
    if name:
        st.session_state["sq_text"] = query.load(name).text


def page_sparql(store: Store) -> None:
    st.header("SPARQL console")
    st.caption("Read-only: SELECT, CONSTRUCT, ASK and DESCRIBE. The default graph holds every fact of all article graphs once; GRAPH ?g says which article said it.")
    examples = {q.name: q for q in query.gallery()}
    names = list(examples)
    if "sq_text" not in st.session_state and names:
        st.session_state["sq_gallery"] = names[0]
        st.session_state["sq_text"] = examples[names[0]].text
    chosen = st.selectbox("Example queries", names, key="sq_gallery", on_change=load_gallery_query,
                          format_func=lambda n: examples[n].title)
    if chosen:
        st.caption(examples[chosen].description)
    text = st.text_area("Query", key="sq_text", height=320)
    bindings = {}
    if chosen and examples[chosen].params:
        st.markdown("**Parameters** (bound as values, never pasted into the query)")
        for param in examples[chosen].params:
            raw = st.text_input(f"?{param.name} — {param.help}", key=f"sq_param_{chosen}_{param.name}")
            if raw.strip():
                try:
                    bindings[param.name] = query.parse_param(param, raw)
                except QueryError as exc:
                    st.error(str(exc))
                    return
    c1, c2 = st.columns(2)
    row_limit = c1.number_input("Row limit", 1, 100_000, step=1000, key=seeded("sq_rows", query.DEFAULT_ROW_LIMIT))
    time_limit = c2.number_input("Time limit (seconds)", 1.0, 300.0, key=seeded("sq_seconds", query.DEFAULT_TIME_LIMIT_S))
    if st.button("Run", key="sparql_run", type="primary"):
        try:
            st.session_state["sq_result"] = query.run_console(
                store, text, bindings, row_limit=int(row_limit), time_limit_s=float(time_limit)
            )
            st.session_state.pop("sq_error", None)
        except StoreError as exc:  # QueryError too: refused, malformed, stopped at a limit
            st.session_state["sq_error"] = str(exc)
            st.session_state.pop("sq_result", None)
    if error := st.session_state.get("sq_error"):
        st.error(error)
    result: query.ConsoleResult | None = st.session_state.get("sq_result")
    if result is None:
        return
    if result.message:
        st.warning(result.message)
    if result.boolean is not None:
        st.write(f"**{result.boolean}**")
    else:
        st.caption(f"{len(result.rows):,} rows in {result.seconds:.2f} s")
        st.dataframe(pd.DataFrame(result.table(), columns=result.columns), hide_index=True)
    cols = st.columns(len(result.formats()))
    for col, fmt in zip(cols, result.formats()):
        col.download_button(
            f"Download {fmt.upper()}", data=lambda fmt=fmt: result.serialize(fmt), file_name=f"results.{fmt}",
            mime=result.formats()[fmt], key=f"sparql_dl_{fmt}", on_click="ignore",
        )


def delete_articles(store: Store) -> None:
    """Remove an article: its graph, and the facts no other article states."""
    from graph import articles

    found = articles.listing(store)
    if not found:
        return
    with st.expander("Delete an article"):
        names = {a["iri"]: f"{a['title'] or a['source']} ({a['source']}, {a['date'] or 'no date'})" for a in found}
        chosen = st.selectbox("Article", list(names), format_func=names.get, key="delete_article")
        sure = st.checkbox("Delete its graph and the facts only it states", key="delete_sure")
        if st.button("Delete", key="delete_run", disabled=not sure):
            articles.delete(store, [chosen])
            generation()["n"] += 1
            st.success(f"deleted {names[chosen]}")


def page_ingest(store: Store) -> None:
    delete_articles(store)
    st.header("Ingest articles")
    st.caption("Each article lands whole in its own graph, or not at all; re-ingesting a file replaces its graph.")
    files = st.file_uploader("Articles (.txt, .html, .jsonl)", type=["txt", "html", "htm", "jsonl"],
                             accept_multiple_files=True, key="ingest_files")
    if not st.button("Ingest", key="ingest_run", type="primary", disabled=not files):
        return
    try:
        from ingest.pipeline import ingest_uploaded
    except ImportError as exc:
        st.error(f"The ingest pipeline is not available in this installation: {exc}")
        return
    progress = st.progress(0.0, text="starting")
    for number, upload in enumerate(files, start=1):
        progress.progress((number - 1) / len(files), text=f"{upload.name} ({number}/{len(files)})")
        try:
            report = ingest_uploaded(store, upload.name, upload.getvalue())
        except Exception as exc:  # the pipeline's message is for the user; one bad file must not stop the rest
            st.error(f"{upload.name}: {exc}")
            continue
        problems = report.get("errors") or []
        if report.get("articles", 1) == 0 and problems:
            st.error(f"{upload.name}: nothing ingested — " + "; ".join(problems))
            continue
        st.success(
            f"{upload.name}: {report.get('facts', 0):,} facts added"
            + (f" from {report['articles']:,} article(s)" if "articles" in report else "")
        )
        for problem in problems:
            st.warning(f"{upload.name}: {problem}")
    progress.progress(1.0, text="done")
    generation()["n"] += 1


def open_map_selection() -> None:
    """Map callback: a click on a region's marker opens its entity page."""
    points = st.session_state.get("map_chart", {}).get("selection", {}).get("points", [])
    units = st.session_state.get("map_units", {})
    for point in points:
        if point.get("customdata") in units:
            go_to_entity(units[point["customdata"]])
            return


def page_map(store: Store, index: GraphIndex, mode: str) -> None:
    """A choropleth of Kazakhstan's 17 regions and 3 cities, drawn from vendored boundaries (no
    tile server, no CDN); choosing a region, by its marker on the map or in the list, opens its page."""
    st.header("Map")
    if index.book is None:
        return
    rows = regionmap.figures(store, index.book)
    metric = st.radio("Colour by", ["deals", "USD equivalent"], horizontal=True, key="map_metric")
    frame = pd.DataFrame([{
        "iso": r.iso, "region": index.name(r.entity, mode) if r.entity else r.name, "deals": r.deals,
        "USD equivalent": float(r.usd), "original amounts": r.original(), "investor countries": r.investor_text(),
        "aggregates (apart)": r.aggregates, "entity": r.entity,
    } for r in rows])
    hover = {r["iso"]: f"<b>{html.escape(r['region'])}</b><br>{r['deals']} deal(s), {r['USD equivalent']:,.0f} USD"
             f"<br>{html.escape(r['original amounts'])}<br>investors: {html.escape(r['investor countries'] or '—')}"
             for r in frame.to_dict("records")}
    figure = regionmap.figure(rows, dict(zip(frame["iso"], frame["region"])), dict(zip(frame["iso"], frame[metric])), hover)
    st.session_state["map_units"] = {r.iso: r.entity for r in rows if r.entity and r.entity in index.nodes}
    st.plotly_chart(figure, key="map_chart", on_select=open_map_selection, selection_mode="points")
    st.dataframe(frame.drop(columns=["entity", "iso"]), hide_index=True,
                 column_config={"USD equivalent": st.column_config.NumberColumn(format="%,.0f")})
    with_node = [r for r in rows if r.entity and r.entity in index.nodes]
    if with_node:
        c1, c2 = st.columns([3, 1])
        chosen = c1.selectbox("Open a region", [r.entity for r in with_node], key="map_pick",
                              format_func=lambda iri: index.name(iri, mode))
        c2.button("Open its page", key="map_open", on_click=go_to_entity, args=(chosen,))


def page_insights(index: GraphIndex, gen: int, mode: str) -> None:
    st.header("Insights")
    g = get_nx(index, gen)
    metric = st.radio("Rank by", ["pagerank", "degree"], horizontal=True, key="in_metric")
    c1, c2 = st.columns(2)
    for col, kind in ((c1, "Company"), (c2, "Region")):
        ranked = analytics.rank(g, types={kind}, metric=metric, top=15)
        col.markdown(f"**{kind} by {metric}**")
        col.dataframe(pd.DataFrame([{"name": index.name(n, mode), metric: round(s, 5)} for n, s in ranked]), hide_index=True)

    st.subheader("Shortest path between two entities")
    a_col, b_col = st.columns(2)
    with a_col:
        a = entity_picker(get_store(), gen, mode, "in_path_a", "From")
    with b_col:
        b = entity_picker(get_store(), gen, mode, "in_path_b", "To")
    if a and b:
        path = analytics.shortest_path(g, a, b)
        if path is None:
            st.info("These two entities are not connected.")
        else:
            steps = analytics.path_labels(g, path)
            text = index.name(path[0], mode) + "".join(
                f" —{label}— {index.name(n, mode)}" for label, n in zip(steps, path[1:])
            )
            st.write(text)

    st.subheader("Communities")
    for number, members in enumerate(analytics.communities(g)[:8], start=1):
        kinds = pd.Series([index.nodes[m].type for m in members]).value_counts().to_dict()
        with st.expander(f"Community {number}: {len(members)} nodes — " + ", ".join(f"{v} {k}" for k, v in kinds.items())):
            st.write(", ".join(index.name(m, mode) for m in members[:60]) + (" …" if len(members) > 60 else ""))

    st.subheader("Company – region projection")
    rows = analytics.company_region_projection(index)
    st.dataframe(pd.DataFrame([
        {"company": index.name(r["company"], mode), "region": index.name(r["region"], mode), "deals": r["deals"]}
        for r in rows[:200]
    ]), hide_index=True)

    st.subheader("Totals")
    totals_section(index, mode)


def totals_section(index: GraphIndex, mode: str) -> None:
    """Each deal once; aggregates apart; original currencies beside the USD equivalent."""
    if index.book is None or not index.deals:
        st.info("No deals yet.")
        return
    rates = fx.table()
    st.caption(f"Each deal is counted once (however many articles report it); totals an article gives over several "
               f"documents are listed apart and never added. USD at the annual average rate of the deal's year "
               f"(rate table: {rates.source}).")
    for by, title in (("region", "By region"), ("country", "By investor country")):
        result = deals.totals(index.book, by, rates)

        def name(key: str) -> str:
            return index.name(key, mode) if key.startswith("http") else key

        frame = pd.DataFrame([
            {"key": name(k), "deals": t.deals, "USD equivalent": float(t.usd), "original amounts": t.original(),
             "not converted": ", ".join(sorted(t.unconverted))}
            for k, t in sorted(result.parts.items(), key=lambda kv: (-kv[1].usd, kv[0]))
        ])
        st.markdown(f"**{title}** — {result.overall.deals} deal(s), {float(result.overall.usd):,.0f} USD in all")
        if not frame.empty:
            st.dataframe(frame, hide_index=True, column_config={"USD equivalent": st.column_config.NumberColumn(format="%,.0f")})
            st.bar_chart(frame.set_index("key")["USD equivalent"])
        if result.aggregates:
            st.markdown(f"*Aggregates {by} (not added to the deals above)*")
            st.dataframe(pd.DataFrame([
                {"key": name(k), "aggregates": t.deals, "USD equivalent": float(t.usd), "original amounts": t.original()}
                for k, t in result.aggregates.items()
            ]), hide_index=True)


def main() -> None:
    keep_widget_state()
    st.session_state.setdefault("page", PAGES[0])
    with st.sidebar:
        st.title("dealgraph")
        page = st.radio("Page", PAGES, key="page")
        mode = st.selectbox("Names in", list(LANG_MODES), format_func=LANG_MODES.get, key="lang")
        st.text_input("Your name (stamped on judgements)", key=seeded("reviewer", ""))
        cap = st.number_input("Node cap (graph)", 10, 20_000, step=50, key=seeded("cap", explore.DEFAULT_CAP),
                              help="The graph draws at most this many nodes; narrow down to see the rest.")
        if st.button("Reload data", key="reload"):
            generation()["n"] += 1
    try:
        store = get_store()
    except StoreError as exc:
        st.error(f"Cannot open the store: {exc}")
        st.stop()
    gen = generation()["n"]
    if page in ("SPARQL console", "Ingest", "Review"):
        {"SPARQL console": page_sparql, "Ingest": page_ingest, "Review": page_review}[page](store)
        return
    if not has_entities(store, gen):
        st.info(f"The store at {store.location} holds no entities yet: ingest some articles first (Ingest page).")
        return
    if page == "Graph explorer":
        page_explorer(store, gen, mode, int(cap))
        return
    if page == "Entity":
        page_entity(store, gen, mode)
        return
    with st.spinner("Reading every deal: this page sums over all of them"):
        index = get_index(store, gen)
    if page == "Deals":
        page_deals(store, index, mode)
    elif page == "Map":
        page_map(store, index, mode)
    else:
        page_insights(index, gen, mode)


main()
