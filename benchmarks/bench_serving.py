"""API versus self-hosted benchmark: the cheapest GPU × precision × replica shape searched over the catalog.

    python -m benchmarks.bench_serving

Reports the median and p95 wall time of:
- `cheapest_shapes` over the shipped catalog (every GPU that can serve × every precision), with a latency
  limit some shapes meet (the search stops at the cheapest that does) and with one none meets (every
  shape's latency is computed: the worst case);
- the same over the whole catalog made servable (every one of its GPUs given a serving throughput: the
  size of the search once every GPU can be priced);
- `compare_serving` (both sides over 200 volumes, break-evens, the shapes at the volume and the search);
- the whole `estimate`, which includes it.
The target: the search over the whole catalog in at most 200 ms.
"""

from __future__ import annotations

import numpy as np

from benchmarks.bench_engine import timed
from planner.engine import estimate
from planner.engine.assemble import ruled_out_for
from planner.engine.comparison import PRECISIONS, cheapest_shapes, compare_serving
from planner.engine.serving_fit import serving_gpus
from planner.model.scenario import Scenario
from pricing.loader import load_catalog

#: The ML lead's scenario: 2M queries a month, a 70B and a 20B open model.
SCENARIO = {
    "workload.queries_per_month": 2_000_000,
    "stack.llm": "together-llama-3.3-70b",
    "stack.fine_tune": "fireworks-gpt-oss-20b-lora",
    "data_must_stay_in_house": True,
}


def _all_servable(catalog):
    """The catalog with every GPU given the H100's serving throughput (where it has none)."""
    fig = catalog.gpus["runpod-h100-sxm"].vllm_8b_tokens_per_second
    gpus = {
        k: g if g.vllm_8b_tokens_per_second is not None else g.model_copy(update={"vllm_8b_tokens_per_second": fig})
        for k, g in catalog.gpus.items()
    }
    return catalog.model_copy(update={"gpus": gpus})


def run(repeat: int = 40) -> dict[str, dict[str, float]]:
    shipped = load_catalog()
    everything = _all_servable(shipped)
    meets = Scenario().with_changes(**SCENARIO, latency_target_p95_ms=10_000)
    none = Scenario().with_changes(**SCENARIO, latency_target_p95_ms=1)
    out = {}
    for cat_name, cat in (("shipped catalog", shipped), ("every GPU servable", everything)):
        pairs = len(serving_gpus(cat)) * len(PRECISIONS)
        for name, s in (("a limit some shapes meet", meets), ("a limit none meets (worst case)", none)):
            out[f"search, {cat_name} ({pairs} GPU × precision pairs), {name}"] = timed(
                lambda cat=cat, s=s: cheapest_shapes(cat, s, ruled_out_for), repeat
            )
    q = np.geomspace(1e3, 1e7, 200)
    out["compare_serving, shipped catalog (both sides × 200 volumes, break-evens, search)"] = timed(
        lambda: compare_serving(shipped, meets, q, ruled_out_for), repeat
    )
    out["full estimate, shipped catalog (with the comparison)"] = timed(lambda: estimate(shipped, meets), repeat)
    return out


def main() -> None:
    print("API versus self-hosted (the ML lead's scenario, 2M queries a month):")
    for k, v in run().items():
        wall = f"median {v['median_ms']:7.2f} ms   p95 {v['p95_ms']:7.2f} ms"
        print(f"  {k:<96} {wall}   CPU median {v['cpu_median_ms']:7.2f} ms")


if __name__ == "__main__":
    main()
