"""What every real-browser test shares: the marks that skip a module when chromium or playwright is missing, the
pages and their URL paths, and the helpers that open a page, find the main area, the volume chart's frame, its
read-outs and slider, and the problems a page shows. The fixtures (server, browser, `idle`, `rerun`) are in
conftest.py."""

from __future__ import annotations

import importlib.util

import pytest

from planner.ui import pages
from tools.streamlit_server import chromium_path

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None,
        reason="chromium not found (/usr/bin/chromium or `chromium` on PATH): "
        "`apt-get install -y chromium` (or `make chromium`) to run the browser tests",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="the playwright python package is not installed (pip install -r requirements-dev.txt)",
    ),
]

# Page title → URL path (the app's table, `planner.ui.pages`). Decide is the default page: Streamlit serves it
# at "/" (a default page's url_path is ignored, so "/decide" answers "Page not found").
PAGES = {p.title: "" if p.default else p.url_path for p in pages.PAGES}
VOLUME = "Queries per month"
# Costs and Latency draw their volume chart, with its own "Queries per month" slider, in this component's frame.
VOLUME_FRAME = "iframe[title='planner.ui.volume_chart.volume_chart']"

# The first plotly chart of the main area, as data: every trace's name, x and y (decoded
# from typed arrays / base64 where plotly.js keeps them so), the layout's shapes, and the
# rendered SVG paths (what the user actually sees).
CHART_JS = """(root) => {
  const gd = root.querySelector('.js-plotly-plot');
  if (!gd || !gd.data) return null;
  const ser = (v) => v == null ? null
      : ArrayBuffer.isView(v) ? Array.from(v)
      : (typeof v === 'object' && v.bdata !== undefined) ? v.bdata
      : v;
  return {
    data: gd.data.map(t => ({name: t.name ?? null, x: ser(t.x), y: ser(t.y)})),
    shapes: ((gd.layout && gd.layout.shapes) || []).map(s => [s.x0, s.x1, s.y0, s.y1]),
    paths: Array.from(gd.querySelectorAll('.scatterlayer path, .shapelayer path'))
        .map(p => (p.getAttribute('d') || '') + '@' + (p.getAttribute('transform') || '')),
  };
}"""


# ------------------------------------------------------------------ helpers


def open_page(page, server, idle, name: str = "", query: str = "") -> None:
    url = f"{server.url}/{name}" + (f"?{query}" if query else "")
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp']", state="attached")
    idle(page, timeout=60_000)


def go_to(page, rerun, title: str) -> None:
    """Switch page inside the same session (a full reload would start a new session)."""
    with rerun(page):
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    page.wait_for_function(
        "(t) => Array.from(document.querySelectorAll('h1')).some(h => h.innerText.trim().startsWith(t))",
        arg=title,
    )


def main_area(page):
    return page.locator("[data-testid='stMain']")


def problems_shown(page) -> list[str]:
    """Exceptions, tracebacks and st.error alerts on the page (empty when clean)."""
    out = [f"exception: {t[:300]}" for t in page.locator("[data-testid='stException']").all_inner_texts()]
    body = page.locator("body").inner_text()
    if "Traceback" in body:
        out.append("a traceback is shown: " + body[body.index("Traceback") :][:300])
    out += [f"dialog: {t[:200]}" for t in page.get_by_role("dialog").all_inner_texts() if "not found" in t.lower()]
    out += [
        f"error alert: {t[:300]}"
        for t in page.locator("[data-testid='stAlert']")
        .filter(has=page.locator("[data-testid='stAlertContentError']"))
        .all_inner_texts()
    ]
    return out


def volume_frame(page):
    """The volume chart's frame (Costs and Latency), or None on a page without it."""
    return page.frame_locator(VOLUME_FRAME).first if page.locator(VOLUME_FRAME).count() else None


def chart(page) -> dict:
    """The first chart of the main area: the volume chart where the page has one."""
    frame = volume_frame(page)
    fig = (frame.locator("body") if frame else main_area(page)).evaluate(CHART_JS)
    assert fig is not None, "no plotly chart drawn in the main area"
    return fig


def metrics(page) -> list[str]:
    """The read-out cards: the volume chart's own (drawn inside its frame), or the page's `st.metric`s."""
    frame = volume_frame(page)
    if frame:
        return frame.locator("[data-testid='volumeCard']").all_inner_texts()
    return main_area(page).locator("[data-testid='stMetric']").all_inner_texts()


def volume_thumb(page):
    """The "Queries per month" slider: under the chart on Costs and Latency, in the sidebar elsewhere."""
    # Not exact: Streamlit 1.67's react-aria slider names itself twice ("Queries per month Queries per month").
    thumb = (volume_frame(page) or page).get_by_role("slider", name=VOLUME)
    assert thumb.count() == 1, f'expected one slider labelled "{VOLUME}", found {thumb.count()}'
    return thumb


def move_volume(page, rerun, key: str = "ArrowRight", times: int = 3) -> str:
    """Focus the volume slider's thumb, press `key` `times` times (one rerun each); returns the new value text."""
    thumb = volume_thumb(page)
    before = thumb.get_attribute("aria-valuetext")
    for _ in range(times):
        thumb.focus()
        with rerun(page):
            page.keyboard.press(key)
    after = thumb.get_attribute("aria-valuetext")
    assert after != before, f"the slider did not move ({before} → {after})"
    return after


def editor(page):
    return page.get_by_role("textbox", name="Catalog YAML", exact=True)
