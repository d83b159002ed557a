"""Browser benchmarks: slider key press → chart redrawn and app idle, timed inside the page.

    python -m benchmarks.bench_browser

1. Redraw latency, 30 moves on the bare page (one slider + one plotly chart, `bare_app.py`)
   and 30 on the app's Costs page ("Queries per month"), ArrowRight / ArrowLeft alternating so
   every press changes the value. Median, p95, and the app / bare ratio.
2. Load: 20 concurrent sessions (pages in a few Chromium processes, asyncio) each moving the
   slider for 60 s with a short think time; errors (exception shown, or no redraw within the
   timeout) and the p95 redraw time under load.

How a move is timed (all in the page, no Playwright polling in the measured interval):
a capture-phase `keydown` listener on `window` records `performance.now()`; a MutationObserver
on the document records the time of every mutation inside a `.js-plotly-plot` and watches
`data-test-script-state` on `stApp`. The move is done when the chart has changed since the key
press AND the script state is `notRunning` with no `stSkeleton` left; its time is the later of
those two events. The promise then waits for 300 ms of quiet so a late second plotly pass is
still counted (its end time moves the figure; the quiet wait itself is not counted).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from pathlib import Path

from benchmarks.bench_server import (
    BARE_APP, CHART_DRAWN_JS, CHROMIUM_ARGS, IDLE_JS, ROOT, THUMB_STATE_JS, app_url, catalog_copy, chromium_path,
    cpu_s, server, tree,
)

ARM_JS = r"""
(timeoutMs) => new Promise((resolve) => {
  const app = document.querySelector("[data-testid='stApp']");
  const quietMs = 300;
  let t0 = null, chartAt = null, idleAt = null, doneAt = null, mutations = 0, sawRunning = false;
  let quietTimer = null;
  const idle = () => app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector("[data-testid='stSkeleton']") === null;
  const inChart = (n) => {
    const el = n && (n.nodeType === 1 ? n : n.parentElement);
    return !!(el && el.closest && el.closest('.js-plotly-plot'));
  };
  const finish = (ok, why) => {
    obs.disconnect();
    window.removeEventListener('keydown', onKey, true);
    clearTimeout(guard);
    clearTimeout(quietTimer);
    const end = ok ? Math.max(chartAt, idleAt) : null;
    resolve({ok, why, ms: ok ? end - t0 : null, chartMs: chartAt && t0 ? chartAt - t0 : null,
             idleMs: idleAt && t0 ? idleAt - t0 : null, mutations, sawRunning});
  };
  const check = (now) => {
    if (t0 === null || chartAt === null) return;
    if (!idle()) { idleAt = null; return; }
    if (idleAt === null) idleAt = now;
    doneAt = Math.max(chartAt, idleAt);
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => { if (idle()) finish(true, 'ok'); }, quietMs);
  };
  const obs = new MutationObserver((records) => {
    const now = performance.now();
    if (t0 === null) return;
    let chart = false;
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state'
          && r.target.getAttribute('data-test-script-state') !== 'notRunning') { sawRunning = true; idleAt = null; }
      if (inChart(r.target)) { chart = true; continue; }
      for (const n of r.addedNodes) { if (n.nodeType === 1 && (n.matches('.js-plotly-plot') || n.querySelector('.js-plotly-plot'))) chart = true; }
    }
    if (chart) { chartAt = now; mutations += 1; }
    check(now);
  });
  const onKey = () => { if (t0 === null) t0 = performance.now(); };
  window.addEventListener('keydown', onKey, {capture: true});
  obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  const guard = setTimeout(() => finish(false, t0 === null ? 'no keydown' :
      (chartAt === null ? 'chart never changed' : 'never idle')), timeoutMs);
  window.__benchArmed = true;
})
"""

START_JS = "(t) => { window.__benchResult = null; window.__benchArmed = false; " \
           "(" + ARM_JS + ")(t).then(r => { window.__benchResult = r; }); }"
ERROR_JS = """() => document.querySelectorAll("[data-testid='stException']").length
                   + (document.body.innerText.includes('Traceback') ? 1 : 0)"""


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(q * len(s) + 0.5)) - 1))]


def summary(xs: list[float]) -> dict:
    return {"median_ms": statistics.median(xs), "p95_ms": pct(xs, 0.95), "min_ms": min(xs), "max_ms": max(xs),
            "n": len(xs)}


# --- sync: the 30-move latency figures ------------------------------------------------------------

def first_key(value_now: str | None, value_max: str | None) -> str:
    return "ArrowLeft" if value_now is not None and value_now == value_max else "ArrowRight"


def time_moves(page, moves: int = 30, label: str = "Queries per month", timeout_ms: int = 15_000) -> list[dict]:
    from benchmarks.bench_server import slider_thumb, wait_idle

    thumb = slider_thumb(page, label)
    thumb.focus()
    state = thumb.evaluate(THUMB_STATE_JS)
    key = first_key(state["value"], state["max"])
    other = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}
    out = []
    for i in range(moves):
        page.evaluate(START_JS, timeout_ms)
        page.keyboard.press(key)
        page.wait_for_function("() => window.__benchResult !== null", timeout=timeout_ms + 5_000, polling=50)
        out.append(page.evaluate("() => window.__benchResult"))
        key = other[key]
        wait_idle(page)
        page.wait_for_timeout(200)  # let the browser settle between moves
        if not thumb.evaluate("e => e === document.activeElement"):
            thumb = slider_thumb(page, label)
            thumb.focus()
    return out


def latency(moves: int = 30) -> dict:
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_server import goto_ready, launch_chromium

    res: dict = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            targets = [("bare page", BARE_APP, None)]
            if (ROOT / "app.py").exists():
                targets.append(("app Costs page", ROOT / "app.py", "costs"))
            for name, script, page_name in targets:
                with catalog_copy() as cat, server(script, catalog=cat) as srv:
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    try:
                        page = ctx.new_page()
                        goto_ready(page, app_url(srv.url, page_name))
                        time_moves(page, 3)  # warm up (first plotly react, caches)
                        samples = time_moves(page, moves)
                    finally:
                        ctx.close()
                ok = [s for s in samples if s["ok"]]
                if not ok:
                    res[name] = {"error": samples[0].get("why"), "n": 0}
                    continue
                res[name] = summary([s["ms"] for s in ok]) | {
                    "failed": len(samples) - len(ok),
                    "chart_changed_median_ms": statistics.median(s["chartMs"] for s in ok),
                }
        finally:
            browser.close()
    if "bare page" in res and "app Costs page" in res and "median_ms" in res.get("app Costs page", {}):
        b, a = res["bare page"], res["app Costs page"]
        res["ratio app / bare"] = {"median": a["median_ms"] / b["median_ms"], "p95": a["p95_ms"] / b["p95_ms"]}
    return res


# --- async: the load test ----------------------------------------------------------------------------

async def _open(browser, url: str, label: str, timeout_ms: int, sem: asyncio.Semaphore) -> dict:
    """Open one session and wait for its first complete render; a few at a time (2 cores)."""
    st = {"moves": 0, "times": [], "timeouts": 0, "exceptions": 0, "errors": [], "ctx": None, "page": None}
    async with sem:
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        st["ctx"] = ctx
        page = await ctx.new_page()
        page.set_default_timeout(timeout_ms + 30_000)
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=120_000)
            await page.wait_for_function(CHART_DRAWN_JS, timeout=120_000, polling=200)
            await page.wait_for_function(IDLE_JS, timeout=120_000, polling=200)
        except Exception as e:  # noqa: BLE001 - a session that never loads is an error, not a crash
            st["errors"].append(f"load: {type(e).__name__}: {str(e).splitlines()[0]}")
            return st
        st["page"] = page
        thumb = page.get_by_role("slider", name=label)
        if not await thumb.count():
            thumb = page.locator("[data-testid='stSlider'] input[type='range'], [role='slider']")
        st["thumb"] = thumb.first
    return st


async def _move(st: dict, until: float, think_s: float, timeout_ms: int, rng) -> None:
    """Move the slider (Right/Left alternating) until `until`, timing every move in the page."""
    page, thumb = st["page"], st.get("thumb")
    if page is None:
        return
    await thumb.focus()
    state = await thumb.evaluate(THUMB_STATE_JS)
    key = first_key(state["value"], state["max"])
    other = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}
    await asyncio.sleep(rng.uniform(0, think_s))  # de-synchronise the sessions
    while time.monotonic() < until:
        try:
            if not await thumb.evaluate("e => e === document.activeElement"):
                await thumb.focus()
            await page.evaluate(START_JS, timeout_ms)
            await page.keyboard.press(key)
            await page.wait_for_function("() => window.__benchResult !== null", timeout=timeout_ms + 10_000,
                                         polling=100)
            r = await page.evaluate("() => window.__benchResult")
        except Exception as e:  # noqa: BLE001
            st["errors"].append(f"move: {type(e).__name__}: {str(e).splitlines()[0]}")
            st["timeouts"] += 1
            continue
        st["moves"] += 1
        if r["ok"]:
            st["times"].append(r["ms"])
        else:
            st["timeouts"] += 1
            st["errors"].append(r["why"])
        if await page.evaluate(ERROR_JS):
            st["exceptions"] += 1
        key = other[key]
        await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))


async def _load(url: str, server_pid: int, sessions: int, duration_s: float, browsers: int, think_s: float, timeout_ms: int,
                label: str) -> dict:
    from playwright.async_api import async_playwright

    exe = chromium_path()
    async with async_playwright() as p:
        bs = [await p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS) for _ in range(browsers)]
        try:
            # Phase 1: open every session (4 at a time), so the load phase starts with all of them live.
            t_open = time.monotonic()
            sem = asyncio.Semaphore(4)
            states = await asyncio.gather(*(_open(bs[i % browsers], url, label, timeout_ms, sem)
                                            for i in range(sessions)))
            open_s = time.monotonic() - t_open
            # Phase 2: every session moves its slider for `duration_s`.
            rng = random.Random(1)
            srv_pids = set(tree(server_pid))
            client_pids = [q for q in tree(os.getpid()) if q not in srv_pids and q != os.getpid()]
            cpu0 = cpu_s(list(srv_pids)), cpu_s(client_pids)
            t0 = time.monotonic()
            until = t0 + duration_s
            await asyncio.gather(*(_move(st, until, think_s, timeout_ms, random.Random(rng.random()))
                                   for st in states))
            wall = time.monotonic() - t0
            cpu1 = cpu_s(list(srv_pids)), cpu_s(client_pids)
            for st in states:
                if st["ctx"] is not None:
                    await st["ctx"].close()
        finally:
            for b in bs:
                await b.close()
    times = [t for r in states for t in r["times"]]
    errs = [e for r in states for e in r["errors"]]
    out = {
        "sessions": sessions, "live_sessions": sum(1 for r in states if r["page"] is not None),
        "duration_s": duration_s, "think_s": think_s, "browsers": browsers,
        "open_all_s": open_s, "wall_s": wall,
        "moves": sum(r["moves"] for r in states),
        "timeouts": sum(r["timeouts"] for r in states),
        "exceptions_shown": sum(r["exceptions"] for r in states),
        "load_errors": sum(1 for e in errs if e.startswith("load:")),
    }
    # Where the 2 cores went during the moving phase (cores busy on average).
    out["server_cpu_cores"] = (cpu1[0] - cpu0[0]) / wall
    out["chromium_cpu_cores"] = (cpu1[1] - cpu0[1]) / wall
    out["errors"] = out["timeouts"] + out["exceptions_shown"] + out["load_errors"]
    out["moves_per_s"] = out["moves"] / wall if wall else 0.0
    if times:
        out |= {"median_ms": statistics.median(times), "p95_ms": pct(times, 0.95), "max_ms": max(times)}
    out["error_samples"] = sorted(set(errs))[:5]
    return out


def load(sessions: int = 20, duration_s: float = 60, browsers: int = 2, think_s: float = 1.0,
         timeout_ms: int = 20_000, label: str = "Queries per month") -> dict:
    res = {}
    targets = [("bare page", BARE_APP, None)]
    if (ROOT / "app.py").exists():
        targets.append(("app Costs page", ROOT / "app.py", "costs"))
    for name, script, page_name in targets:
        with catalog_copy() as cat, server(script, catalog=cat) as srv:
            res[name] = asyncio.run(_load(app_url(srv.url, page_name), srv.pid, sessions, duration_s, browsers, think_s,
                                          timeout_ms, label))
    return res


def run(moves: int = 30, sessions: int = 20, duration_s: float = 60, bare_load: bool = False) -> dict:
    out = {"latency": latency(moves)}
    ld = load(sessions=sessions, duration_s=duration_s) if bare_load else None
    if ld is None:
        # The load test targets the app; the bare page only when there is no app (or on request).
        if (ROOT / "app.py").exists():
            with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv:
                ld = {"app Costs page": asyncio.run(_load(app_url(srv.url, "costs"), srv.pid, sessions, duration_s, 2, 1.0,
                                                          20_000, "Queries per month"))}
        else:
            ld = load(sessions=sessions, duration_s=duration_s)
    out["load"] = ld
    return out


def _fmt(d: dict) -> str:
    return ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in d.items())


def main() -> None:
    res = run()
    print("Browser (key press → chart redrawn and script idle, timed in the page):")
    for name, d in res["latency"].items():
        print(f"  {name}: {_fmt(d)}")
    print("Load (concurrent sessions moving the slider):")
    for name, d in res["load"].items():
        print(f"  {name}: {_fmt(d)}")


if __name__ == "__main__":
    main()
