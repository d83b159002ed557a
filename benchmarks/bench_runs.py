"""The server's side of each control: what one script run costs in Python, and its garbage collection.

    python -m benchmarks.bench_runs [--moves N] [--baseline APP] [CONTROL ...]

The app's server starts with a hook (a `sitecustomize` module on its `PYTHONPATH`, written to a
temporary directory) that times every script run: wall time and the script thread's CPU time from
the run's start to its end — Streamlit's after-run garbage collection (`runner.postScriptGC`)
included — and, apart, how long that collection took. Chromium then changes each control of
`bench_controls` on the Costs page (sidebar sections open) and on Decide, as that benchmark does,
and the runs its changes caused are summed up per control: median CPU, wall and collection ms.

With `--baseline APP` another checkout's app runs the same way after it (not interleaved: the
figures are CPU time of one thread, which the machine's other load moves far less than wall time).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from benchmarks.bench_controls import CHART as CHART_SELECTOR
from benchmarks.bench_controls import CONTROLS, DECIDE_TEXT, METRICS, Target, app_controls, open_sections
from benchmarks.bench_server import app_url, goto_ready, launch_chromium
from tools.streamlit_server import ROOT, catalog_copy, server

#: Imported by the server's interpreter at start-up (Python imports `sitecustomize` from its path).
HOOK = """
import gc, json, os, time
from streamlit.runtime.scriptrunner import script_runner as _sr

_log = os.environ["BENCH_RUNS_LOG"]
_run_script, _collect, _gc_ms = _sr.ScriptRunner._run_script, gc.collect, [0.0]

def _timed_collect(*args):
    t = time.perf_counter()
    try:
        return _collect(*args)
    finally:
        _gc_ms[0] += (time.perf_counter() - t) * 1000

def _timed_run(self, rerun_data):
    _gc_ms[0] = 0.0
    t, c = time.perf_counter(), time.thread_time()
    try:
        return _run_script(self, rerun_data)
    finally:
        rec = {"wall_ms": (time.perf_counter() - t) * 1000, "cpu_ms": (time.thread_time() - c) * 1000,
               "gc_ms": _gc_ms[0]}
        with open(_log, "a") as f:
            f.write(json.dumps(rec) + "\\n")

gc.collect = _timed_collect
_sr.ScriptRunner._run_script = _timed_run
"""


def _records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _median(rows: list[dict], key: str) -> float | None:
    return round(statistics.median(r[key] for r in rows), 1) if rows else None


def run_app(script: Path, controls=CONTROLS, moves: int = 10, warmup: int = 2) -> dict:
    """Per control: the script runs its `moves` changes caused, their median CPU / wall / collection ms."""
    from playwright.sync_api import sync_playwright

    res: dict = {}
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as tmp, sync_playwright() as p, ExitStack() as stack:
        hook_dir, log = Path(tmp), Path(tmp) / "runs.jsonl"
        (hook_dir / "sitecustomize.py").write_text(HOOK)
        old = {k: os.environ.get(k) for k in ("PYTHONPATH", "BENCH_RUNS_LOG")}
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hook_dir), old["PYTHONPATH"]]))
        os.environ["BENCH_RUNS_LOG"] = str(log)
        try:
            srv = stack.enter_context(server(script, catalog=stack.enter_context(catalog_copy()), cwd=script.parent))
        finally:
            for k, v in old.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        browser = launch_chromium(p)
        stack.callback(browser.close)
        pages = {}
        for name in ("costs", ""):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            stack.callback(ctx.close)
            pages[name] = ctx.new_page()
            goto_ready(pages[name], app_url(srv.url, name), chart=name != "")
        open_sections(pages["costs"], "Tokens per query", "Retrieval", "Stack")
        every = app_controls(Target(pages["costs"], CHART_SELECTOR, METRICS), Target(pages[""], DECIDE_TEXT, None))
        for name in controls:
            for _ in range(warmup):
                every[name].change()
            seen = len(_records(log))
            for _ in range(moves):
                every[name].change()
            rows = _records(log)[seen:]
            res[name] = {"runs": len(rows)} | {k: _median(rows, k) for k in ("cpu_ms", "wall_ms", "gc_ms")}
    return res


def table(results: dict[str, dict]) -> str:
    """results: side → control → figures."""
    sides = list(results)
    head = "| control | " + " | ".join(f"{s}: CPU / wall / GC ms (runs)" for s in sides) + " |"
    lines = [head, "|---|" + "---|" * len(sides)]
    for name in next(iter(results.values())):
        cells = []
        for s in sides:
            r = results[s].get(name, {})
            cells.append(f"{r.get('cpu_ms')} / {r.get('wall_ms')} / {r.get('gc_ms')} ({r.get('runs')})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_runs", description=__doc__.split("\n")[0])
    ap.add_argument("controls", nargs="*", choices=[[], *CONTROLS], metavar="CONTROL", help="default: every control")
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--baseline", type=Path, help="another checkout's app.py, measured after the app")
    a = ap.parse_args(argv)
    controls = a.controls or list(CONTROLS)
    results = {"app": run_app(ROOT / "app.py", controls, a.moves)}
    if a.baseline:
        results["baseline app"] = run_app(a.baseline.resolve(), controls, a.moves)
    print(json.dumps(results, indent=1), file=sys.stderr)
    print(table(results))


if __name__ == "__main__":
    main()
