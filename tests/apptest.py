"""Driving the app with `streamlit.testing.v1.AppTest` (no browser): pages, controls and what they show.

Shared by the app's test modules (the fixture `catalog_file` is in `tests/conftest.py`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.ui import pages

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
#: Each page's script by its url path (the app's own table, `planner.ui.pages`).
PAGES = {p.url_path: p.file for p in pages.PAGES}
TIMEOUT = 30


def start(catalog_file: Path, page: str = "decide", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        for k, v in query.items():
            at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "decide":
        go(at, page)
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(PAGES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_sections(at: AppTest, *names: str) -> AppTest:
    """Open sidebar sections (they run their controls only while open)."""
    for name in names:
        at.session_state[f"sbx.{name}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def volume_charts(at: AppTest) -> list:
    """The charts drawn with their own volume slider (`planner.ui.volume_chart`, a custom component)."""
    return [c for c in at.get("component_instance") if c.proto.component_name.endswith("volume_chart")]


def all_charts(at: AppTest) -> list[dict]:
    """Every chart's figure in page order: the volume chart (the first chart of Costs and Latency), then the
    `st.plotly_chart`s."""
    specs = [json.loads(json.loads(c.proto.json_args)["spec"]) for c in volume_charts(at)]
    return specs + [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart(at: AppTest, i: int = 0) -> dict:
    return all_charts(at)[i]


def volume_label(at: AppTest) -> str:
    """The label of the page's "Queries per month" control: the sidebar's, or the chart's own slider."""
    vc = volume_charts(at)
    return json.loads(vc[0].proto.json_args)["label"] if vc else at.select_slider(key="sb.q").label


def volume(at: AppTest) -> float:
    """The volume the page's "Queries per month" control shows."""
    vc = volume_charts(at)
    if not vc:
        return at.select_slider(key="sb.q").value
    args = json.loads(vc[0].proto.json_args)
    return args["steps"][args["index"]]["q"]


def set_volume(at: AppTest, q: float) -> AppTest:
    """Move the volume to `q` with the sidebar's "Queries per month" control. On Costs and Latency the control
    is the chart's own slider, a custom component AppTest cannot drive (the browser tests do): the volume is
    moved on Decide's sidebar, and the page drawn again."""
    if not volume_charts(at):
        return at.select_slider(key="sb.q").set_value(q).run()
    page = at.title[0].value.lower()
    go(at, "decide")
    at.select_slider(key="sb.q").set_value(q).run()
    return go(at, page)


def traces(spec: dict) -> dict[str, dict]:
    return {t.get("name"): t for t in spec["data"]}


def volume_cards(at: AppTest) -> list[dict]:
    """The read-out cards the volume chart draws at the page's volume: label, value, delta (Costs, Latency)."""
    args = json.loads(volume_charts(at)[0].proto.json_args)
    step = args["steps"][args["index"]]
    return [{"label": lb, **c} for lb, c in zip(args["card_labels"], step["cards"], strict=True)]


def metrics(at: AppTest) -> dict[str, str]:
    """Each read-out card's value by its label: the volume chart's cards, or the page's `st.metric`s."""
    if volume_charts(at):
        return {c["label"]: c["value"] for c in volume_cards(at)}
    return {m.label: m.value for m in at.metric}


def deltas(at: AppTest) -> dict[str, str | None]:
    """Each read-out card's delta by its label (as `metrics`)."""
    if volume_charts(at):
        return {c["label"]: c["delta"] for c in volume_cards(at)}
    return {m.label: m.delta for m in at.metric}


def unescape(text: str) -> str:
    """Alert text as shown: the app escapes markdown in user and catalog text."""
    return re.sub(r"\\(.)", r"\1", text)


def errors(at: AppTest) -> list[str]:
    return [unescape(e.value) for e in at.error]


def recommendation_text(at: AppTest) -> str:
    """Every markdown block of the page, one a line (the Decide page's recommendation and its reasons)."""
    return "\n".join(m.value for m in at.markdown)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def price_line(text: str, entry: str, field: str) -> int:
    """0-based index of the `value:` line of `entry`'s `field` in catalog text."""
    lines = text.splitlines()
    start_at = lines.index(f"  {entry}:")
    field_at = next(i for i in range(start_at, len(lines)) if lines[i].strip() == f"{field}:")
    return next(i for i in range(field_at, len(lines)) if lines[i].strip().startswith("value:"))


def with_price(text: str, entry: str, field: str, factor: float) -> str:
    lines = text.splitlines(keepends=True)
    i = price_line(text, entry, field)
    indent, value = lines[i].split("value:")
    lines[i] = f"{indent}value: {float(value) * factor:g}\n"
    return "".join(lines)
