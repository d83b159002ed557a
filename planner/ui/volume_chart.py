"""A chart over query volume with its read-outs and its own "Queries per month" slider, moving on the client.

Nothing on the spend and latency curves depends on the scenario's volume: only the "your volume"
marker and the read-outs at that volume do. So the read-out cards, the chart and the slider live in one
component (`volume_chart_frontend/`: plain JavaScript speaking Streamlit's v1 component protocol, and the
plotly.js of the installed plotly package), which draws them all inside its own frame: a key press moves
the marker and redraws the cards from figures computed for every slider step up front, and only then
tells Python the new volume. Python's rerun brings the link, the other pages and the rest of the page in
step; the figure it sends again is the same (its id leaves the marker out), so the browser does not
redraw it. The component reaches nothing outside its frame.

It takes what it needs as arguments: the figure, the volumes of its slider, the cards at each, and what
to call after a move (`on_move`). `spend_chart` and `latency_chart` assemble these from an estimate.

The component's files are served from a directory made once per server process: the two files of
`volume_chart_frontend/` and a hard link to (or a copy of) `plotly/package_data/plotly.min.js`, since
Streamlit serves a component's files from one directory and refuses a symbolic link out of it.
Nothing is fetched from the network.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import plotly
import streamlit as st
import streamlit.components.v1 as components

from planner import figures
from planner.model import format as fmt
from planner.model.latency_limits import latency_limits, shown_measure
from planner.model.vocabulary import ALERT, MUTED, VERDICT_COLORS
from planner.presentation import readouts
from planner.presentation.readouts import Card
from planner.ui import session

if TYPE_CHECKING:
    from planner.engine import Estimate, Snapshot
    from planner.ui.session import Context

FRONTEND = Path(__file__).with_name("volume_chart_frontend")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
LABEL = "Queries per month"
HELP = "Expected queries a month (log scale). Arrow keys step it; the chart and the figures above it follow at once."
#: The cards' delta colours (as `st.metric` colours them): a difference that is worse, one that is better, a plain
#: note ("cheapest", "ruled out").
DELTA_COLORS = {"worse": ALERT, "better": VERDICT_COLORS["recommended"], "off": MUTED}


def _serve_dir() -> str:
    root = Path(tempfile.mkdtemp(prefix="planner-volume-chart-"))
    atexit.register(shutil.rmtree, root, True)
    for f in FRONTEND.iterdir():
        if f.is_file():
            shutil.copyfile(f, root / f.name)
    try:
        (root / PLOTLY_JS.name).hardlink_to(PLOTLY_JS)
    except OSError:  # another file system: a copy
        shutil.copyfile(PLOTLY_JS, root / PLOTLY_JS.name)
    return str(root)


@functools.cache
def _component() -> Callable[..., Any]:
    return components.declare_component("volume_chart", path=_serve_dir())


def _marker_parts(q: float, volumes) -> tuple[dict | None, dict | None]:
    """The marker's line and label at `q` exactly as the figures draw them (none when `q` is off the chart)."""
    marker = figures.current_marker(q, volumes)
    if marker is None:
        return None, None
    shape, note = marker
    return {"x0": shape["x0"], "x1": shape["x1"]}, {k: note[k] for k in ("x", "xanchor", "xshift", "text")}


def _full_note(q: float, volumes) -> dict | None:
    """The marker's label at `q` as the figure's JSON holds it."""
    marker = figures.current_marker(q, volumes)
    return None if marker is None else json.loads(json.dumps(marker[1], cls=plotly.utils.PlotlyJSONEncoder))


def _index(items: list[dict], pred: Callable[[dict], bool]) -> int | None:
    return next((i for i, x in enumerate(items) if pred(x)), None)


def _on_change(key: str, on_move: Callable[[], None]) -> None:
    """The browser's new volume: `{"q": volume, "n": move number}` (so a move back to an earlier volume is a
    change too); then `on_move()` (the link follows at once: a move reruns only the page's fragment)."""
    value = st.session_state.get(key)
    q = value.get("q") if isinstance(value, dict) else None
    if isinstance(q, int | float) and not isinstance(q, bool):
        session.change({"workload.queries_per_month": float(q)}, LABEL)
        on_move()


def _spec(spec: dict, note: dict | None) -> tuple[str, str, dict[str, int | None]]:
    """The figure's JSON text (from its JSON `spec`, whose marker label is `note`); its identity without the
    marker (equal ids: the browser need not redraw); where the marker's line, label and at-volume trace sit."""
    data, layout = spec["data"], spec["layout"]
    marker = {
        "shape": _index(layout.get("shapes", []), lambda s: s.get("name") == figures.CURRENT_SHAPE),
        "annotation": None if note is None else _index(layout.get("annotations", []), lambda a: a == note),
        "trace": _index(data, lambda t: t.get("name") == figures.AT_VOLUME_TRACE),
    }
    text = json.dumps(spec, cls=plotly.utils.PlotlyJSONEncoder, separators=(",", ":"))
    neutral = json.loads(text)  # the marker's own parts replaced by placeholders
    for part, at in (("shapes", marker["shape"]), ("annotations", marker["annotation"])):
        if at is not None:
            neutral["layout"][part][at] = None
    if marker["trace"] is not None:
        neutral["data"][marker["trace"]] = None
    spec_id = hashlib.sha256(json.dumps(neutral, separators=(",", ":")).encode()).hexdigest()[:16]
    return text, spec_id, marker


def _tone(card: Card) -> str:
    """How a card's delta is coloured, as `st.metric` colours it: "off", or "worse" / "better" by its sign
    (inverse: a rise is worse)."""
    if card.delta_color == "off" or not card.delta:
        return "off"
    rising = not card.delta.startswith("-")
    return "worse" if rising == (card.delta_color == "inverse") else "better"


def _step(q: float, volumes, cards: Sequence[Card], caption: str | None, at_volume: dict | None) -> dict:
    """What the browser shows at the slider's step `q`."""
    shape, note = _marker_parts(q, volumes)
    return {
        "q": q,
        "label": fmt.count(q),
        "caption": caption,
        "cards": [
            {"value": c.value, "delta": c.delta, "tone": _tone(c), "arrow": c.delta_arrow != "off"} for c in cards
        ],
        "shape": shape,
        "annotation": note,
        "trace": at_volume,
    }


def _with_marker(spec: dict, marker: dict[str, int | None], step: dict) -> dict | None:
    """`spec` (a figure's JSON as a dict) with its marker moved to `step` (None if the step has no marker)."""
    out = dict(spec, layout=dict(spec["layout"]), data=list(spec["data"]))
    for part, name in (("shapes", "shape"), ("annotations", "annotation")):
        at = marker[name]
        if at is not None:
            if step[name] is None:
                return None
            items = list(out["layout"][part])
            items[at] = {**items[at], **step[name]}
            out["layout"][part] = items
    if marker["trace"] is not None:
        if step["trace"] is None:
            return None
        out["data"][marker["trace"]] = {**out["data"][marker["trace"]], **step["trace"]}
    return out


def _figure_json(key: str, fig_key: tuple, make_spec: Callable[[], dict], step: dict, volumes) -> tuple[str, str, dict]:
    """`_spec(make_spec())`, or — when only the volume moved since this chart's last figure (`fig_key` equal) —
    the last figure with its marker moved to `step`: a volume move costs no figure rebuild in Python either."""
    memo = session.get().chart_memo
    hit = memo.get(key)
    if hit is not None and hit[0] == fig_key:
        _, text, spec_id, marker = hit
        moved = _with_marker(json.loads(text), marker, step)  # (kept as text: ~0.1 MB, parsed in ~1 ms)
        if moved is not None:
            return json.dumps(moved, separators=(",", ":")), spec_id, marker
    text, spec_id, marker = _spec(make_spec(), _full_note(step["q"], volumes))
    memo[key] = (fig_key, text, spec_id, marker)
    return text, spec_id, marker


def _fig_key(ctx: Context, est: Estimate) -> tuple:
    """What a chart over volume is drawn from, but the volume: the catalog, what the engine reads of the
    scenario but its volume (a linked answer follows the volume), the volume grid (the engine widens it
    around an off-chart volume)."""
    skip: dict = {k: True for k in session.NOT_PRICED} | {"workload": {"queries_per_month"}}
    rest = est.scenario.model_dump_json(exclude=skip)
    return ctx.cat_sha, rest, hashlib.sha256(est.volumes.tobytes()).hexdigest()


def volume_chart(
    make_spec: Callable[[], dict],
    *,
    fig_key: tuple,
    volumes,
    steps: Sequence[float],
    current: float,
    cards: Sequence[Sequence[Card]],
    card_help: Sequence[str],
    captions: Sequence[str | None],
    at_volume: Sequence[dict | None] | None,
    key: str,
    on_move: Callable[[], None],
) -> None:
    """Draw the read-out cards, the figure whose JSON is `make_spec()` (drawn at the scenario's volume
    `current`, one of `steps`; `fig_key`: what it is drawn from but the volume) and the volume slider.

    `cards[j]` / `captions[j]`: the read-outs at `steps[j]` (their labels do not change with the volume);
    `card_help`: each card's tooltip at `current`; `at_volume[j]`: the at-volume markers' `x`, `y` and `text`
    there (the spend figure's), or None; `on_move()`: called after the browser moved the volume."""
    payload = [
        _step(q, volumes, cards[j], captions[j], at_volume[j] if at_volume is not None else None)
        for j, q in enumerate(steps)
    ]
    index = list(steps).index(current)
    text, spec_id, marker = _figure_json(key, fig_key, make_spec, payload[index], volumes)
    _component()(
        spec=text,
        spec_id=spec_id,
        config=figures.CONFIG,
        steps=payload,
        index=index,
        marker=marker,
        card_labels=[c.label for c in cards[index]],
        card_help=list(card_help),
        colors=DELTA_COLORS,
        label=LABEL,
        help=HELP,
        key=key,
        default=None,
        on_change=functools.partial(_on_change, key, on_move),
    )


def steps_for(q: float, grid: Sequence[float]) -> list[float]:
    """The slider's volumes: the steps of `grid` (the app's 1-2-5 steps), and the scenario's own volume when it
    is between them."""
    return sorted(set(grid) | {float(q)})


def spend_chart(
    ctx: Context,
    est: Estimate,
    ruled_out: set[str],
    help_of: Callable[[Snapshot], str],
    *,
    grid: Sequence[float],
    key: str,
    on_move: Callable[[], None],
) -> None:
    """The Costs page's monthly cost cards (each option's at the volume; `help_of`: a card's tooltip from its
    snapshot) and spend over volume, with the slider over `grid`'s steps."""
    s = est.scenario
    steps = steps_for(s.workload.queries_per_month, grid)
    at = readouts.at_volumes(ctx.catalog, s, est.priced, steps)
    floor = figures.spend_floor(est)
    cards: list[list[Card]] = []
    marks: list[dict | None] = []
    for j, q in enumerate(steps):
        monthly = {a: float(at.monthly_usd[a][j]) for a in est.priced}
        cards.append(readouts.cost_cards(est.priced, monthly, ruled_out))
        if est.volumes[0] <= q <= est.volumes[-1]:
            t = figures.at_volume_trace(est.priced, monthly, q, floor)
            marks.append({"x": t["x"], "y": t["y"], "text": t["text"]})
        else:
            marks.append(None)
    volume_chart(
        lambda: figures.spend_spec(est),
        fig_key=_fig_key(ctx, est),
        volumes=est.volumes,
        steps=steps,
        current=s.workload.queries_per_month,
        cards=cards,
        card_help=[help_of(est.current[a]) for a in est.priced],
        captions=[readouts.cost_caption(q) for q in steps],
        at_volume=marks,
        key=key,
        on_move=on_move,
    )


def latency_chart(
    ctx: Context,
    est: Estimate,
    help_of: Callable[[Snapshot], str],
    *,
    grid: Sequence[float],
    key: str,
    on_move: Callable[[], None],
) -> None:
    """The Latency page's p95 cards (each option's bounded p95 at the volume; `help_of`: a card's tooltip) and
    p50/p95 over volume, with the slider over `grid`'s steps."""
    s = est.scenario
    steps = steps_for(s.workload.queries_per_month, grid)
    at = readouts.at_volumes(ctx.catalog, s, est.priced, steps)
    measure = shown_measure(s)  # the first token when only it is limited, else the full answer
    first_token = measure == "first_token"
    cards = [
        readouts.latency_cards(
            est.priced,
            {a: float(at.limited_p95_ms(a, measure)[j]) for a in est.priced},
            latency_limits(s).get(measure),
            first_token,
        )
        for j in range(len(steps))
    ]
    volume_chart(
        lambda: figures.latency_spec(est),
        fig_key=_fig_key(ctx, est),
        volumes=est.volumes,
        steps=steps,
        current=s.workload.queries_per_month,
        cards=cards,
        card_help=[help_of(est.current[a]) for a in est.priced],
        captions=[None] * len(steps),
        at_volume=None,
        key=key,
        on_move=on_move,
    )
