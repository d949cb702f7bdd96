"""The explorer's graph picture as a two-way Streamlit component: a click on a node comes back.

A pyvis page shown with ``st.iframe`` is one-way (pyvis has no callback), so the explorer could
only offer a select box under the picture. This component draws the same
:class:`graph.viz.Picture` with vis-network and tells the app which node was clicked: once to
open it, twice (or once, in the "expand" mode) to add its neighbours. Its frontend is the plain
HTML folder graph/network_component/ (no build step) with vis-network beside it, served by
Streamlit itself, so the picture fetches nothing from anywhere but the app's own host.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from streamlit.components import v1 as components

from graph import viz

FOLDER = Path(__file__).with_name("network_component")
ACTIONS = ("open", "expand")


@dataclass(frozen=True)
class Click:
    iri: str
    action: str  # one of ACTIONS
    seq: str  # unique per click, so that one click is acted on once however many reruns follow


def token(drawing: viz.Picture) -> str:
    """A digest of what is drawn: the frontend redraws (and loses the user's zoom and pan) only
    when it changes, not on every rerun of the app."""
    payload = json.dumps([drawing.nodes, drawing.edges, drawing.options, drawing.iris], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def arguments(drawing: viz.Picture, *, height: int, click_action: str) -> dict:
    """What the frontend receives in its render message (JSON)."""
    if click_action not in ACTIONS:
        raise ValueError(f"a click does one of {', '.join(ACTIONS)}")
    return {
        "nodes": drawing.nodes,
        "edges": drawing.edges,
        "options": drawing.options,
        "legend": viz.legend_html(drawing.legend),
        "iris": drawing.iris,
        "token": token(drawing),
        "height": height,
        "click_action": click_action,
    }


def show(drawing: viz.Picture, *, key: str, on_click: Callable[[], None], height: int = 620,
         click_action: str = "open") -> None:
    """Draw the picture. ``on_click`` runs before the next run, like a button's callback, after
    each click on a node: read the click there with :func:`read_click` on ``st.session_state[key]``."""
    # Declared on every call: a declaration made while no script runs (an import from a test or
    # the CLI) is not registered with the server, and registering again is cheap.
    component = components.declare_component("network", path=str(FOLDER))
    component(**arguments(drawing, height=height, click_action=click_action), key=key, default=None, on_change=on_click)


def read_click(value: object, drawn: Collection[str]) -> Click | None:
    """The click the browser reported, if it is well formed and names a node of this picture
    (the value comes from the browser: anything else is ignored)."""
    if not isinstance(value, dict):
        return None
    iri, action, seq = value.get("iri"), value.get("action"), value.get("seq")
    if not (isinstance(iri, str) and iri in drawn and action in ACTIONS and isinstance(seq, str) and 0 < len(seq) <= 64):
        return None
    return Click(iri, action, seq)
