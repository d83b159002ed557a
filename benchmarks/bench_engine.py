"""Engine benchmark: full evaluation of the four architectures over 200 volumes.

    python -m benchmarks.bench_engine

Reports the median and p95 wall time of:
- the core pass (components, totals, latency for every architecture × 200 volumes);
- break-even search;
- the whole `estimate` (core + ranges + figures at the scenario's volume + break-evens + sensitivity),
for API serving and for self-hosted serving (where capacity steps make break-evens harder), and with a
scheduled price change inside the horizon (each month priced at the prices in force).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from planner.engine import corpus, estimate
from planner.engine.analysis import break_evens, sensitivity
from planner.engine.assemble import arch_series
from planner.engine.costs import monthly_totals
from planner.engine.gather import build_inputs
from planner.model.files import SCENARIOS_DIR, load_scenario
from planner.model.scenario import ARCHITECTURES
from pricing.loader import load_catalog


def timed(fn, repeat: int) -> dict[str, float]:
    """Wall time (median, p95) and this process's CPU time (median): on a shared machine the CPU time shows
    the work, the wall time what a user waits."""
    fn()  # warm up
    samples, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[int(0.95 * (len(samples) - 1))],
        "cpu_median_ms": statistics.median(cpu),
    }


def run(repeat: int = 200) -> dict[str, dict[str, float]]:
    catalog = load_catalog()
    api = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    gpu = api.with_changes(
        **{
            "stack.serving": "self_hosted",
            "stack.llm": "together-llama-3.1-8b",
            "stack.fine_tune": "together-llama-3.1-8b-lora",
            "stack.gpu": "runpod-h100-sxm",
        }
    )
    # the month-by-month horizon: Gemini 4 Argon from 2026-11-01, its price change on 2026-12-01 inside the
    # 12 months (every option priced again at the new prices, each month summed)
    dated = api.with_changes(**{"stack.llm": "gemini-4-argon", "start_date": "2026-11-01"})
    assert estimate(catalog, dated).price_changes_in_horizon, "the dated scenario meets no price change"
    out = {}
    undated = api.with_changes(**{"stack.llm": "gemini-4-argon", "start_date": "2026-12-01"})
    # as the app computes it on each change (API versus self-hosted left out until a page asks), then in full
    for kind, options in (("as the app", {"serving_comparison": False}), ("full", {})):
        out[f"api, a price change inside the horizon (Argon from 2026-11-01): {kind} estimate"] = timed(
            lambda options=options: estimate(catalog, dated, **options), repeat // 2
        )
        out[f"api, the same without a change in the horizon (Argon from 2026-12-01): {kind} estimate"] = timed(
            lambda options=options: estimate(catalog, undated, **options), repeat // 2
        )
    for name, scenario in (("api", api), ("self_hosted", gpu)):
        inputs, _ = build_inputs(catalog, scenario)
        q = np.geomspace(1e3, 1e7, 200)
        c = corpus(inputs)

        def core(inputs=inputs, q=q, c=c):  # bound now: each pass times this scenario
            for a in ARCHITECTURES:
                arch_series(inputs, a, q, c)

        totals = monthly_totals(inputs, q)
        core_name = f"{name}: core pass ({len(ARCHITECTURES)} architectures × 200 volumes, costs + latency)"
        out[core_name] = timed(core, repeat)
        out[f"{name}: break-evens"] = timed(
            lambda inputs=inputs, q=q, totals=totals: break_evens(inputs, q, totals), repeat
        )
        out[f"{name}: sensitivity (±25%, every input)"] = timed(lambda inputs=inputs: sensitivity(inputs), repeat)
        out[f"{name}: estimate as the app (core + ranges + break-evens (cached) + sensitivity)"] = timed(
            lambda scenario=scenario: estimate(catalog, scenario, serving_comparison=False), repeat // 2
        )
        out[f"{name}: full estimate (the above + API versus self-hosted, every GPU × precision)"] = timed(
            lambda scenario=scenario: estimate(catalog, scenario), repeat // 2
        )
    return out


def main() -> None:
    print("Engine (default catalog, support-bot scenario):")
    for k, v in run().items():
        print(
            f"  {k:<96} median {v['median_ms']:7.2f} ms   p95 {v['p95_ms']:7.2f} ms   "
            f"CPU median {v['cpu_median_ms']:7.2f} ms"
        )


if __name__ == "__main__":
    main()
