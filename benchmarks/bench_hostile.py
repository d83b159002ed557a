"""Load test with a hostile visitor: does one URL slow everyone else down?

    python -m benchmarks.bench_hostile                      # 20 sessions, 60 s per phase
    python -m benchmarks.bench_hostile --sessions 5 --duration 15   # a smoke run

One server (`streamlit run app.py`, on a temporary copy of the default catalog), 20 sessions
on the Costs page, each moving the "Queries per month" slider for a minute (the browser
benchmark's rig: `benchmarks.bench_browser`, the redraw of every move timed in the page).
The sessions are opened once, then three phases run back to back on the same server: quiet,
hostile, quiet again. In the hostile phase one more
session opens `HOSTILE_URL` (a self-hosted scenario with a target utilization of 1e-300, which
once made the queueing loop run ~1e301 steps), waits for its page to finish, closes the tab
and opens it again, for the whole minute. Reported per phase: the 20 sessions' median and p95
redraw time, errors, the server's CPU, and what the hostile session saw (finished pages, the
refusal message, or a page that never finished within 30 s).

The other sessions' p95 in the hostile phase should be within the noise of the two quiet
phases around it (the machine is shared, so compare with both).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time

from benchmarks.bench_browser import ERROR_JS, _move, _open, pct
from benchmarks.bench_server import (
    CHROMIUM_ARGS,
    IDLE_JS,
    ROOT,
    app_url,
    catalog_copy,
    chromium_path,
    cpu_s,
    server,
    tree,
)

HOSTILE_QUERY = (
    "serving=self_hosted&llm=together-llama-3.1-8b&ft=together-llama-3.1-8b-lora&stack.target_utilization=1e-300"
)
HOSTILE_PAGE = "costs"
#: How long the hostile session waits for its page before giving up on it (and opening it again).
HOSTILE_WAIT_MS = 30_000


async def _hostile(browser, url: str, until: float, out: dict) -> None:
    """Open the hostile URL again and again until `until`, each time waiting for the page to finish."""
    while time.monotonic() < until:
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await ctx.new_page()
        t = time.monotonic()
        try:
            await page.goto(url, wait_until="domcontentloaded", timeout=HOSTILE_WAIT_MS)
            await page.wait_for_selector("[data-testid='stApp']", state="attached", timeout=HOSTILE_WAIT_MS)
            await page.wait_for_timeout(300)
            await page.wait_for_function(IDLE_JS, timeout=HOSTILE_WAIT_MS, polling=200)
            out["finished"] += 1
            out["finish_ms"].append((time.monotonic() - t) * 1000)
            text = await page.evaluate("() => document.body.innerText")
            if await page.evaluate(ERROR_JS) or "utilization" in text.lower():
                out["refused_with_a_message"] += 1
        except Exception:  # noqa: BLE001 - a page that never finishes is what this counts
            out["never_finished"] += 1
        finally:
            await ctx.close()
        await asyncio.sleep(0.5)


async def _phases(url: str, server_pid: int, sessions: int, duration_s: float) -> dict:
    """Open the sessions once, then run the three phases back to back on them."""
    from playwright.async_api import async_playwright

    exe = chromium_path()
    res: dict = {}
    async with async_playwright() as p:
        bs = [await p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS) for _ in range(2)]
        try:
            sem = asyncio.Semaphore(4)
            t_open = time.monotonic()
            states = await asyncio.gather(
                *(_open(bs[i % 2], url, "Queries per month", 20_000, sem) for i in range(sessions))
            )
            res["open_all_s"] = round(time.monotonic() - t_open)
            res["live_sessions"] = sum(1 for r in states if r["page"] is not None)
            rng = random.Random(1)
            for name, hostile in (("quiet", False), ("hostile", True), ("quiet again", False)):
                for st in states:
                    st["moves"], st["times"], st["timeouts"], st["exceptions"] = 0, [], 0, 0
                cpu0 = cpu_s(list(tree(server_pid)))
                t0 = time.monotonic()
                until = t0 + duration_s
                bad = {"finished": 0, "refused_with_a_message": 0, "never_finished": 0, "finish_ms": []}
                tasks = [_move(st, until, 1.0, 20_000, random.Random(rng.random())) for st in states]
                if hostile:
                    base = url.rsplit("/", 1)[0]
                    tasks.append(_hostile(bs[0], f"{base}/{HOSTILE_PAGE}?{HOSTILE_QUERY}", until, bad))
                await asyncio.gather(*tasks)
                wall = time.monotonic() - t0
                res[name] = _summary(states, (cpu_s(list(tree(server_pid))) - cpu0) / wall, bad if hostile else None)
                print(f"{name}: {json.dumps(res[name])}", file=sys.stderr, flush=True)
            for st in states:
                if st["ctx"] is not None:
                    await st["ctx"].close()
        finally:
            for b in bs:
                await b.close()
    return res


def _summary(states: list[dict], server_cpu: float, bad: dict | None) -> dict:
    times = [t for r in states for t in r["times"]]
    out: dict = {
        "moves": sum(r["moves"] for r in states),
        "errors": sum(r["timeouts"] + r["exceptions"] for r in states),
        "server_cpu_cores": round(server_cpu, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if times:
        out |= {
            "median_ms": round(statistics.median(times)),
            "p95_ms": round(pct(times, 0.95)),
            "max_ms": round(max(times)),
        }
    if bad is not None:
        ms = bad.pop("finish_ms")
        out["hostile"] = bad | ({"median_finish_ms": round(statistics.median(ms))} if ms else {})
    return out


def run(sessions: int = 20, duration_s: float = 60) -> dict:
    if chromium_path() is None:
        return {"skipped": "chromium not found (apt-get install -y chromium)"}
    res: dict = {"sessions": sessions, "duration_s_per_phase": duration_s, "hostile_url": f"/costs?{HOSTILE_QUERY}"}
    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv:
        res |= asyncio.run(_phases(app_url(srv.url, "costs"), srv.pid, sessions, duration_s))
    quiet = [res[k]["p95_ms"] for k in ("quiet", "quiet again") if "p95_ms" in res[k]]
    if quiet and "p95_ms" in res["hostile"]:
        res["hostile p95 / mean quiet p95"] = round(res["hostile"]["p95_ms"] / statistics.mean(quiet), 2)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_hostile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60, help="seconds per phase (three phases)")
    args = ap.parse_args(argv)
    print(json.dumps(run(args.sessions, args.duration), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
