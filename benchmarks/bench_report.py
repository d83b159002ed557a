"""PDF report benchmark: how long `build_report` takes, in full and rendering only.

    python -m benchmarks.bench_report [--repeat 20]

Reports, over `repeat` builds (after one warm-up) of the support-bot scenario with the
default catalog, the median and p95 of:
- the full report: estimate + recommendation + PDF (what the app's download button does);
- rendering only: the same PDF with the estimate and the recommendation precomputed;
- the two steps before rendering (estimate, recommendation), for reference.
Wall time is what a user waits; CPU time (this process only) is shown beside it because a
busy machine inflates wall time but not CPU time.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.engine import estimate  # noqa: E402
from planner.model.files import SCENARIOS_DIR, load_scenario  # noqa: E402
from planner.questionnaire import recommend  # noqa: E402
from planner.report import build_report  # noqa: E402
from pricing.loader import load_catalog  # noqa: E402


def _stats(wall: list[float], cpu: list[float]) -> dict[str, float]:
    wall, cpu = sorted(wall), sorted(cpu)
    p95 = lambda xs: xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]  # noqa: E731
    return {
        "median_ms": statistics.median(wall),
        "p95_ms": p95(wall),
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": p95(cpu),
        "runs": len(wall),
    }


def _time(fns: dict, repeat: int) -> dict[str, dict[str, float]]:
    """Time each function `repeat` times, interleaved (a, b, c, a, b, c, ...) so that a burst of
    load on a shared machine hits them alike; one warm-up run each first."""
    for fn in fns.values():
        fn()  # warm up: fonts registered, modules imported, caches filled
    samples = {k: ([], []) for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            w, c = time.perf_counter(), time.process_time()
            fn()
            samples[k][1].append((time.process_time() - c) * 1000)
            samples[k][0].append((time.perf_counter() - w) * 1000)
    return {k: _stats(*v) for k, v in samples.items()}


def run(repeat: int = 20) -> dict:
    catalog = load_catalog()
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    est = estimate(catalog, scenario)
    rec = recommend(scenario, estimate=est)
    pdf = build_report(catalog, scenario, estimate=est, recommendation=rec)

    from pypdf import PdfReader

    out: dict = {"scenario": scenario.name, "pages": len(PdfReader(io.BytesIO(pdf)).pages), "bytes": len(pdf)}
    out.update(
        _time(
            {
                "full report (estimate + recommendation + PDF)": lambda: build_report(catalog, scenario),
                "rendering only (estimate and recommendation precomputed)": lambda: build_report(
                    catalog, scenario, estimate=est, recommendation=rec
                ),
            },
            repeat,
        )
    )
    out.update(
        _time(
            {
                "estimate alone": lambda: estimate(catalog, scenario),
                "recommendation alone (with the estimate)": lambda: recommend(scenario, estimate=est),
            },
            repeat,
        )
    )
    out.update(
        _time(
            {
                "invariant build (fixed date, precomputed)": lambda: build_report(
                    catalog, scenario, estimate=est, recommendation=rec, today=date(2026, 1, 1), invariant=True
                ),
            },
            max(5, repeat // 4),
        )
    )
    try:
        out["load_average_1min"] = os.getloadavg()[0]
        out["cpus"] = os.cpu_count()
    except OSError:  # not on every platform
        pass
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    res = run(args.repeat)
    print(f"PDF report: {res['scenario']} — {res['pages']} pages, {res['bytes']:,} bytes")
    for k, v in res.items():
        if isinstance(v, dict):
            print(
                f"  {k:<58} median {v['median_ms']:7.1f} ms   p95 {v['p95_ms']:7.1f} ms"
                f"   (CPU median {v['cpu_median_ms']:6.1f} ms, p95 {v['cpu_p95_ms']:6.1f} ms; {v['runs']} runs)"
            )
    if "load_average_1min" in res:
        print(f"  machine: {res['cpus']} CPUs, 1-minute load average {res['load_average_1min']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
