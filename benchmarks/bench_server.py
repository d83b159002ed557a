"""Server benchmarks: cold start and memory.

    python -m benchmarks.bench_server

- Cold start: `streamlit run` launched → `/_stcore/health` answers ok → the first complete render
  in Chromium (script idle, no skeleton, a plotly chart drawn). The browser is already running
  (a fresh context per try), so the figure is the server's start plus one page load.
- Memory: the server's resident set (VmRSS from /proc, the process and its children) with one
  session open, then with 20 concurrent sessions open.

Also home of the helpers the browser benchmark shares: start/stop a server on 127.0.0.1, launch
Debian's chromium, wait for an idle page, find a page's slider and chart.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_APP = Path(__file__).resolve().parent / "bare_app.py"

from tools.streamlit_server import (  # noqa: E402  (the harness the browser tests share)
    CHROMIUM_ARGS,
    catalog_copy,
    chromium_path,
    server,
    start_server,
    stop_server,
    wait_health,
)

IDLE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
}"""
#: The page's document and those of its same-origin frames (the app's volume chart is a component in
#: an iframe): a JS expression, for the in-page timers and checks.
DOCS_JS = """[document, ...Array.from(document.querySelectorAll('iframe')).map((f) => {
  try { return f.contentDocument && f.contentDocument.body ? f.contentDocument : null; } catch (e) { return null; }
}).filter((d) => d)]"""
CHART_DRAWN_JS = (
    """() => ("""
    + DOCS_JS
    + """).some((d) => {
  const p = d.querySelector('.js-plotly-plot');
  return p !== null && p.querySelector('.main-svg') !== null && p.querySelector('path') !== null;
})"""
)
#: The app's chart with its own volume slider (planner/ui/volume_chart.py), on Costs and Latency.

VOLUME_FRAME = "iframe[title='planner.ui.volume_chart.volume_chart']"


def launch_chromium(p, **kw):
    exe = chromium_path()
    if exe is None:
        raise RuntimeError("chromium not found: apt-get install -y chromium (or make chromium)")
    return p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS, **kw)


def wait_idle(page, timeout: float = 30_000) -> None:
    page.wait_for_timeout(100)
    page.wait_for_function(IDLE_JS, timeout=timeout)


def app_url(base: str, page_name: str | None) -> str:
    """The URL of an app page: `st.navigation` serves a page at /<url_path> (lower-cased title)."""
    return base if not page_name else f"{base}/{page_name.lower()}"


def goto_ready(page, url: str, timeout: float = 60_000, chart: bool = True) -> None:
    """Open `url` and wait for the first complete render (idle, and a chart drawn if `chart`)."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp']", state="attached", timeout=timeout)
    if chart:
        page.wait_for_function(CHART_DRAWN_JS, timeout=timeout)
    wait_idle(page, timeout)


def slider_thumb(page, label: str = "Queries per month"):
    """The thumb of the slider labelled `label` (in the sidebar or the main area).

    Streamlit 1.67 draws sliders with react-aria: the thumb is a visually hidden
    `<input type="range" aria-label=...>` (implicit role slider, no `role` attribute).
    """
    if page.locator(VOLUME_FRAME).count():  # the app's volume chart: the slider is in its frame
        page = page.frame_locator(VOLUME_FRAME).first
    by_role = page.get_by_role("slider", name=label)  # its accessible name is the label, twice
    if by_role.count():
        return by_role.first
    return page.locator("[data-testid='stSlider'] input[type='range'], [role='slider']").first


THUMB_STATE_JS = """e => ({value: e.value ?? e.getAttribute('aria-valuenow'),
                          max: e.getAttribute('max') ?? e.getAttribute('aria-valuemax'),
                          text: e.getAttribute('aria-valuetext')})"""


# --- memory -----------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            kids.append(int(entry.name))
    return kids


def rss_kb(pid: int) -> int:
    """VmRSS of `pid` and all its descendants, in kB (0 for processes that vanished)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo.extend(_children(p))
    return total


def tree(pid: int) -> list[int]:
    """`pid` and all its live descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds used so far by the live processes `pids`."""
    hz = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat", "rb") as f:
                fields = f.read().decode(errors="replace").rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return total / hz


# --- the benchmarks -------------------------------------------------------------------------


def cold_start(
    script: Path,
    page_name: str | None,
    p,
    browser,
    tries: int = 3,
    catalog: Path | None = None,
    chart: bool = True,
    cwd: Path = ROOT,
) -> dict:
    health, render = [], []
    for _ in range(tries):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        srv = start_server(script, catalog=catalog, wait=False, cwd=cwd)
        try:
            wait_health(srv)
            goto_ready(page, app_url(srv.url, page_name), chart=chart)
            render.append(time.perf_counter() - srv.started)
            health.append(srv.health_s)
        finally:
            ctx.close()
            stop_server(srv)
    return {
        "health_ok_s": statistics.median(health),
        "first_render_s": statistics.median(render),
        "first_render_max_s": max(render),
        "tries": tries,
    }


def memory(
    script: Path, page_name: str | None, browser, sessions: int = 20, catalog: Path | None = None, cwd: Path = ROOT
) -> dict:
    with server(script, catalog=catalog, cwd=cwd) as srv:
        url = app_url(srv.url, page_name)
        time.sleep(1.0)
        idle_kb = rss_kb(srv.pid)
        contexts = []
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            contexts.append(ctx)
            goto_ready(ctx.new_page(), url)
            time.sleep(1.0)
            one_kb = rss_kb(srv.pid)
            for _ in range(sessions - 1):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                contexts.append(ctx)
                goto_ready(ctx.new_page(), url, timeout=120_000)
            time.sleep(2.0)
            many_kb = rss_kb(srv.pid)
        finally:
            for ctx in contexts:
                ctx.close()
        time.sleep(2.0)
        after_kb = rss_kb(srv.pid)
    return {
        "rss_no_session_mb": idle_kb / 1024,
        "rss_1_session_mb": one_kb / 1024,
        f"rss_{sessions}_sessions_mb": many_kb / 1024,
        "rss_per_extra_session_mb": (many_kb - one_kb) / 1024 / max(1, sessions - 1),
        "rss_after_close_mb": after_kb / 1024,
        "sessions": sessions,
    }


def run(sessions: int = 20, tries: int = 3, baseline_script: Path | None = None) -> dict:
    """Cold start of the bare page, the app's Decide page (what a link without a page opens) and its
    Costs page, and of the same two pages of `baseline_script` (another checkout's app.py) when given;
    then memory with 1 and `sessions` sessions (of both apps, and the bare page)."""
    from playwright.sync_api import sync_playwright

    out: dict = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            out["bare: cold start"] = cold_start(BARE_APP, None, p, browser, tries=tries)
            apps = [("app", ROOT / "app.py")] + ([("baseline app", baseline_script)] if baseline_script else [])
            for name, script in apps:
                with catalog_copy() as cat:
                    for page_name, title, chart in (("", "Decide", False), ("costs", "Costs", True)):
                        out[f"{name} ({title} page): cold start"] = cold_start(
                            script, page_name, p, browser, tries=tries, catalog=cat, chart=chart, cwd=script.parent
                        )
            for name, script in apps:
                with catalog_copy() as cat:
                    out[f"{name} (Costs page): memory"] = memory(
                        script, "costs", browser, sessions=sessions, catalog=cat, cwd=script.parent
                    )
            out["bare: memory"] = memory(BARE_APP, None, browser, sessions=sessions)
        finally:
            browser.close()
    return out


def main() -> None:
    res = run()
    print("Server (cold start: launch → health ok → first complete render in Chromium; RSS from /proc):")
    for name, d in res.items():
        print(f"  {name}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in d.items()))


if __name__ == "__main__":
    main()
