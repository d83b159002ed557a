"""Browser benchmarks: slider key press → chart redrawn and app idle, timed inside the page.

    python -m benchmarks.bench_browser

1. Redraw latency: 30 moves on the bare page (one slider + one plotly chart, `bare_app.py`)
   and 30 on the app's Costs page ("Queries per month"), ArrowRight / ArrowLeft alternating so
   every press changes the value. Both servers run at once and the moves are interleaved
   (bare, app, bare, app, ...; one at a time), so a burst of load on a shared machine hits both
   alike. Median, p95, the app / bare ratio, and where the median goes (key → script running →
   script finished → chart redrawn).
2. Load: 20 concurrent sessions (contexts in 2 Chromium processes, asyncio, opened 4 at a time)
   each moving the slider for 60 s with a think time of 0.5-1.5 s between moves; errors
   (exception / error alert / connection dialog shown, or no redraw within 20 s) and the
   median and p95 redraw time under load; the bare page the same way as a baseline, and the
   CPU the server and the Chromiums used (on 2 cores the rig itself competes with the server).

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

from benchmarks.bench_server import (
    BARE_APP,
    CHART_DRAWN_JS,
    CHROMIUM_ARGS,
    DOCS_JS,
    IDLE_JS,
    ROOT,
    THUMB_STATE_JS,
    VOLUME_FRAME,
    app_url,
    catalog_copy,
    chromium_path,
    cpu_s,
    server,
    tree,
)

ARM_JS = (
    r"""
(timeoutMs) => new Promise((resolve) => {
  const app = document.querySelector("[data-testid='stApp']");
  const quietMs = 300;
  let t0 = null, chartAt = null, idleAt = null, doneAt = null, mutations = 0, sawRunning = false;
  let runningAt = null, finishedAt = null;  // the script run as the browser sees it
  let quietTimer = null;
  const idle = () => app.getAttribute('data-test-script-state') === 'notRunning'
      && document.querySelector("[data-testid='stSkeleton']") === null;
  const inChart = (n) => {
    const el = n && (n.nodeType === 1 ? n : n.parentElement);
    return !!(el && el.closest && el.closest('.js-plotly-plot'));
  };
  const finish = (ok, why) => {
    obs.disconnect();
    for (const d of docs) if (d.defaultView) d.defaultView.removeEventListener('keydown', onKey, true);
    clearTimeout(guard);
    clearTimeout(quietTimer);
    const end = ok ? Math.max(chartAt, idleAt) : null;
    const rel = (t) => (t !== null && t0 !== null) ? t - t0 : null;
    resolve({ok, why, ms: ok ? end - t0 : null, chartMs: rel(chartAt), idleMs: rel(idleAt),
             runningMs: rel(runningAt), finishedMs: rel(finishedAt), mutations, sawRunning});
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
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        if (r.target.getAttribute('data-test-script-state') !== 'notRunning') {
          sawRunning = true; idleAt = null; if (runningAt === null) runningAt = now;
        } else if (runningAt !== null) { finishedAt = now; }
      }
      if (inChart(r.target)) { chart = true; continue; }
      for (const n of r.addedNodes) {
        if (n.nodeType === 1 && (n.matches('.js-plotly-plot') || n.querySelector('.js-plotly-plot'))) chart = true;
      }
    }
    if (chart) { chartAt = now; mutations += 1; }
    check(now);
  });
  const onKey = () => { if (t0 === null) t0 = performance.now(); };
  const docs = """
    + DOCS_JS
    + """;
  for (const d of docs) {
    d.defaultView.addEventListener('keydown', onKey, {capture: true});
    obs.observe(d.body, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const guard = setTimeout(() => finish(false, t0 === null ? 'no keydown' :
      (chartAt === null ? 'chart never changed' : 'never idle')), timeoutMs);
  window.__benchArmed = true;
})
"""
)

START_JS = (
    "(t) => { window.__benchResult = null; window.__benchArmed = false; "
    "(" + ARM_JS + ")(t).then(r => { window.__benchResult = r; },"
    " e => { window.__benchResult = {ok: false, why: 'timer: ' + e}; }); }"
)
ERROR_JS = """() => document.querySelectorAll("[data-testid='stException'], [data-testid='stAlertContentError']").length
                   + (document.body.innerText.includes('Traceback') ? 1 : 0)
                   + Array.from(document.querySelectorAll("[role='dialog']"))
                       .filter(d => /connection|error/i.test(d.innerText)).length"""


def pct(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1)."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(q * len(s) + 0.5)) - 1))]


def summary(xs: list[float]) -> dict:
    return {
        "median_ms": statistics.median(xs),
        "p95_ms": pct(xs, 0.95),
        "min_ms": min(xs),
        "max_ms": max(xs),
        "n": len(xs),
    }


# --- sync: the 30-move latency figures ------------------------------------------------------------


def first_key(value_now: str | None, value_max: str | None) -> str:
    return "ArrowLeft" if value_now is not None and value_now == value_max else "ArrowRight"


class Mover:
    """One page's slider: each `move()` presses ArrowRight / ArrowLeft (alternating, so the value
    always changes) and returns the in-page timing of that move."""

    OTHER = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}

    def __init__(self, page, label: str = "Queries per month", timeout_ms: int = 15_000):
        from benchmarks.bench_server import slider_thumb

        self.page, self.label, self.timeout_ms = page, label, timeout_ms
        self.thumb = slider_thumb(page, label)
        self.thumb.focus()
        state = self.thumb.evaluate(THUMB_STATE_JS)
        self.key = first_key(state["value"], state["max"])

    def move(self) -> dict:
        from benchmarks.bench_server import slider_thumb, wait_idle

        page = self.page
        page.bring_to_front()
        if not self.thumb.evaluate("e => e === document.activeElement"):
            self.thumb = slider_thumb(page, self.label)
            self.thumb.focus()
        page.evaluate(START_JS, self.timeout_ms)
        page.keyboard.press(self.key)
        page.wait_for_function("() => window.__benchResult !== null", timeout=self.timeout_ms + 5_000, polling=50)
        r = page.evaluate("() => window.__benchResult")
        self.key = self.OTHER[self.key]
        wait_idle(page)
        page.wait_for_timeout(200)  # let the browser settle between moves
        return r


def _latency_summary(samples: list[dict]) -> dict:
    ok = [s for s in samples if s["ok"]]
    if not ok:
        return {"error": samples[0].get("why") if samples else "no samples", "n": 0}

    def med(k):
        xs = [s[k] for s in ok if s.get(k) is not None]
        return statistics.median(xs) if xs else None

    # where the time goes: key → script running → script finished → chart redrawn
    return summary([s["ms"] for s in ok]) | {
        "failed": len(samples) - len(ok),
        "key_to_running_median_ms": med("runningMs"),
        "key_to_finished_median_ms": med("finishedMs"),
        "key_to_chart_median_ms": med("chartMs"),
    }


def latency(moves: int = 30, warmup: int = 3) -> dict:
    """Bare page and app Costs page, both servers up, moves interleaved (bare, app, bare, app, ...)
    so a burst of load on a shared machine hits both alike; one move at a time."""
    from contextlib import ExitStack

    from playwright.sync_api import sync_playwright

    from benchmarks.bench_server import goto_ready, launch_chromium

    targets = [("bare page", BARE_APP, None)]
    if (ROOT / "app.py").exists():
        targets.append(("app Costs page", ROOT / "app.py", "costs"))
    samples: dict[str, list[dict]] = {name: [] for name, _, _ in targets}
    with sync_playwright() as p, ExitStack() as stack:
        browser = launch_chromium(p)
        stack.callback(browser.close)
        movers = {}
        for name, script, page_name in targets:
            cat = stack.enter_context(catalog_copy())
            srv = stack.enter_context(server(script, catalog=cat))
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(ctx.close)
            page = ctx.new_page()
            goto_ready(page, app_url(srv.url, page_name))
            movers[name] = Mover(page)
        for _ in range(warmup):  # first plotly react, caches
            for m in movers.values():
                m.move()
        for _ in range(moves):
            for name, m in movers.items():
                samples[name].append(m.move())
    res = {name: _latency_summary(xs) for name, xs in samples.items()}
    if "median_ms" in res.get("bare page", {}) and "median_ms" in res.get("app Costs page", {}):
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
        scope = page.frame_locator(VOLUME_FRAME).first if await page.locator(VOLUME_FRAME).count() else page
        thumb = scope.get_by_role("slider", name=label)
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
            await page.wait_for_function(
                "() => window.__benchResult !== null", timeout=timeout_ms + 10_000, polling=100
            )
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


async def _load(
    url: str,
    server_pid: int,
    sessions: int,
    duration_s: float,
    browsers: int,
    think_s: float,
    timeout_ms: int,
    label: str,
) -> dict:
    from playwright.async_api import async_playwright

    exe = chromium_path()
    async with async_playwright() as p:
        bs = [await p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS) for _ in range(browsers)]
        try:
            # Phase 1: open every session (4 at a time), so the load phase starts with all of them live.
            t_open = time.monotonic()
            sem = asyncio.Semaphore(4)
            states = await asyncio.gather(
                *(_open(bs[i % browsers], url, label, timeout_ms, sem) for i in range(sessions))
            )
            open_s = time.monotonic() - t_open
            # Phase 2: every session moves its slider for `duration_s`.
            rng = random.Random(1)
            srv_pids = set(tree(server_pid))
            client_pids = [q for q in tree(os.getpid()) if q not in srv_pids and q != os.getpid()]
            cpu0 = cpu_s(list(srv_pids)), cpu_s(client_pids)
            t0 = time.monotonic()
            until = t0 + duration_s
            await asyncio.gather(*(_move(st, until, think_s, timeout_ms, random.Random(rng.random())) for st in states))
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
        "sessions": sessions,
        "live_sessions": sum(1 for r in states if r["page"] is not None),
        "duration_s": duration_s,
        "think_s": think_s,
        "browsers": browsers,
        "open_all_s": open_s,
        "wall_s": wall,
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


def load(
    sessions: int = 20,
    duration_s: float = 60,
    browsers: int = 2,
    think_s: float = 1.0,
    timeout_ms: int = 20_000,
    label: str = "Queries per month",
    baseline: bool = True,
) -> dict:
    """The app's Costs page under `sessions` concurrent sessions; the bare page the same way as the
    baseline (on 2 cores the 20 Chromium renderers share the CPU with the server, so the baseline
    says how much of the figure is the test rig itself)."""
    res = {}
    targets = []
    if (ROOT / "app.py").exists():
        targets.append(("app Costs page", ROOT / "app.py", "costs"))
    if baseline or not targets:
        targets.append(("bare page (baseline)", BARE_APP, None))
    for name, script, page_name in targets:
        with catalog_copy() as cat, server(script, catalog=cat) as srv:
            res[name] = asyncio.run(
                _load(app_url(srv.url, page_name), srv.pid, sessions, duration_s, browsers, think_s, timeout_ms, label)
            )
    return res


def run(moves: int = 30, sessions: int = 20, duration_s: float = 60, baseline: bool = True) -> dict:
    return {"latency": latency(moves), "load": load(sessions=sessions, duration_s=duration_s, baseline=baseline)}


def fmt(d: dict) -> str:
    return ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in d.items())


def main() -> None:
    res = run()
    print("Browser (key press → chart redrawn and script idle, timed in the page):")
    for name, d in res["latency"].items():
        print(f"  {name}: {fmt(d)}")
    print("Load (concurrent sessions moving the slider):")
    for name, d in res["load"].items():
        print(f"  {name}: {fmt(d)}")


if __name__ == "__main__":
    main()
