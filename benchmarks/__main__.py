"""Run every benchmark and print the figures.

    python -m benchmarks                 # everything (about 18 minutes on 2 cores)
    python -m benchmarks controls        # only: every kind of control, app against the bare page (~6 min)
    python -m benchmarks server          # only: cold start to the first full render, memory per session
    python -m benchmarks controls --baseline /tmp/base/app.py   # also another checkout's app, interleaved
    python -m benchmarks controls --peer /tmp/peers/RAGvsFT --peer /tmp/peers/long-context-surely-killed-RAG
    python -m benchmarks --quick         # a smoke run: fewer repeats, 5 sessions, a 15 s load test
    python -m benchmarks --json out.json # also write the raw figures as JSON

Engine (`bench_engine`), API versus self-hosted (`bench_serving`), PDF (`bench_report`, when present),
browser redraw latency and load (`bench_browser`), every kind of control against the bare page
(`bench_controls`), cold start and memory (`bench_server`). The browser parts need Debian's
chromium; without it they are reported as skipped.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path


def _machine() -> dict:
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    chromium = ""
    try:
        from benchmarks.bench_server import chromium_path

        exe = chromium_path()
        if exe:
            chromium = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - informational only
        pass
    import streamlit

    return {
        "cores": os.cpu_count(),
        "load_average_1_5_15": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "cpu": cpu,
        "mem_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "chromium": chromium,
        "kernel": platform.release(),
    }


def fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
    return str(v)


def _print(title: str, res) -> None:
    print(f"\n== {title}")
    if not isinstance(res, dict):
        print(f"  {res}")
        return
    for name, v in res.items():
        if isinstance(v, dict) and all(not isinstance(x, dict) for x in v.values()):
            print(f"  {name}: " + ", ".join(f"{k} {fmt(x)}" for k, x in v.items()))
        elif isinstance(v, dict):
            print(f"  {name}:")
            for k, x in v.items():
                if isinstance(x, dict):
                    print(f"    {k}: " + ", ".join(f"{kk} {fmt(xx)}" for kk, xx in x.items()))
                else:
                    print(f"    {k}: {fmt(x)}")
        else:
            print(f"  {name}: {fmt(v)}")


def _step(title: str, fn, results: dict) -> None:
    t = time.perf_counter()
    try:
        res = fn()
    except Exception as e:  # noqa: BLE001 - one broken benchmark must not hide the others
        traceback.print_exc()
        res = {"error": f"{type(e).__name__}: {e}"}
    results[title] = res
    _print(f"{title}  ({time.perf_counter() - t:.0f} s)", res)
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "what",
        nargs="?",
        choices=["all", "controls", "server"],
        default="all",
        help="controls: only the per-control browser benchmark (bench_controls), from one interleaved run; "
        "server: only cold start and memory (bench_server)",
    )
    ap.add_argument("--moves", type=int, default=None, help="changes per control and page (controls; default 16)")
    ap.add_argument(
        "--baseline",
        metavar="APP_PY",
        help="controls, server: also the app.py of another checkout (e.g. `git archive main | tar -x -C /tmp/base`), "
        "interleaved with the others: before / after in one run",
    )
    ap.add_argument(
        "--peer",
        metavar="DIR",
        action="append",
        help="controls: also a peer app's checkout (vikramguptaone/RAGvsFT, AmelieChatelain/long-context-surely-"
        "killed-RAG), run with this environment's streamlit: its volume control in the volume row; repeatable",
    )
    ap.add_argument("--quick", action="store_true", help="a smoke run: fewer repeats, 5 sessions, a 15 s load test")
    ap.add_argument("--json", metavar="PATH", help="also write every figure as JSON")
    args = ap.parse_args(argv)

    results: dict = {"machine": _machine()}
    _print("Machine", results["machine"])

    from benchmarks.bench_server import chromium_path

    if args.what != "all":
        if chromium_path() is None:
            print("skipped: chromium not found (apt-get install -y chromium, or make chromium)")
            return 0
        if args.what == "controls":
            _controls(args, results)
        else:
            from benchmarks import bench_server

            sessions, tries = (5, 1) if args.quick else (20, 3)
            _step(
                "Server cold start + memory (bench_server)",
                lambda: bench_server.run(
                    sessions=sessions,
                    tries=tries,
                    baseline_script=Path(args.baseline).resolve() if args.baseline else None,
                ),
                results,
            )
        return _finish(args, results)

    from benchmarks import bench_engine

    _step("Engine (bench_engine)", lambda: bench_engine.run(repeat=40 if args.quick else 200), results)

    from benchmarks import bench_serving

    _step("API versus self-hosted (bench_serving)", lambda: bench_serving.run(repeat=10 if args.quick else 40), results)
    if importlib.util.find_spec("benchmarks.bench_report") is not None:
        bench_report = importlib.import_module("benchmarks.bench_report")
        _step("PDF report (bench_report)", bench_report.run, results)
    else:
        results["PDF report (bench_report)"] = "skipped: benchmarks/bench_report.py does not exist"
        _print("PDF report (bench_report)", results["PDF report (bench_report)"])

    if chromium_path() is None:
        msg = "skipped: chromium not found (apt-get install -y chromium, or make chromium)"
        for t in (
            "Controls, app against the bare page (bench_controls)",
            "Browser redraw + load (bench_browser)",
            "Server cold start + memory (bench_server)",
        ):
            results[t] = msg
            _print(t, msg)
    else:
        from benchmarks import bench_browser, bench_server

        _controls(args, results)
        if args.quick:
            _step(
                "Browser redraw + load (bench_browser)",
                lambda: bench_browser.run(moves=10, sessions=5, duration_s=15),
                results,
            )
            _step("Server cold start + memory (bench_server)", lambda: bench_server.run(sessions=5, tries=1), results)
        else:
            _step("Browser redraw + load (bench_browser)", bench_browser.run, results)
            _step("Server cold start + memory (bench_server)", bench_server.run, results)

    return _finish(args, results)


def _controls(args, results: dict) -> None:
    from benchmarks import bench_controls

    moves = args.moves or (4 if args.quick else 16)
    title = "Controls, app against the bare page (bench_controls)"
    baseline = Path(args.baseline).resolve() if args.baseline else None
    peers = [Path(d).resolve() for d in args.peer or ()]
    _step(title, lambda: bench_controls.run(moves=moves, baseline_script=baseline, peers=peers), results)
    res = results[title]
    if isinstance(res, dict) and "error" not in res:
        print("\nmedian / p95 ms, key press → updated (chart and read-outs) and → settled (page idle):")
        print(bench_controls.table(res))


def _finish(args, results: dict) -> int:
    results["load average at the end (1, 5, 15 min)"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    _print("Load average at the end (1, 5, 15 min)", results["load average at the end (1, 5, 15 min)"])
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2, default=str)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
