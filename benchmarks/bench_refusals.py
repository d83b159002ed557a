"""How fast absurd inputs are answered or refused (the tests check what is said; this times it).

    python -m benchmarks.bench_refusals

Each case is one `llm-planner estimate` in this process, on the tiny catalog of `tests/fixtures/`:
- a self-hosted scenario with `target_utilization: 1.0e-300` (once a queueing loop of ~1e301 steps): refused;
- a GPU that serves 0.001 tokens/s at 1e9 queries a month: answered, with a warning on the replicas;
- a catalog whose LLM throughput is 0: refused with the field's place.
Reported: median and worst wall time in ms over `repeat` runs. Each should stay well under a second.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path

from planner.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_catalog.yaml"
SELF_HOSTED = "name: {name}\nstack:\n  llm: small\n  fine_tune: ft-lora\n  serving: self_hosted\n"


def _cases(tmp: Path) -> dict[str, list[str]]:
    mini = MINI.read_text(encoding="utf-8")
    absurd = tmp / "absurd.yaml"
    absurd.write_text(SELF_HOSTED.format(name="absurd") + "  target_utilization: 1.0e-300\n", encoding="utf-8")
    slow_cat = tmp / "slow-gpu.yaml"
    slow_cat.write_text(
        mini.replace("vllm_8b_tokens_per_second: {value: 1000,", "vllm_8b_tokens_per_second: {value: 0.001,"),
        encoding="utf-8",
    )
    slow = tmp / "slow.yaml"
    slow.write_text(
        "name: slow\nworkload:\n  queries_per_month: 1.0e9\n"
        "stack:\n  embedding_model: emb\n  vector_store: pine\n  reranker: rr\n  gpu: gpu\n"
        "  llm: small\n  fine_tune: ft-lora\n  serving: self_hosted\n  target_utilization: 0.05\n",
        encoding="utf-8",
    )
    zero_cat = tmp / "zero.yaml"
    marker = "output_tokens_per_second: {value: "
    start = mini.index(marker) + len(marker)
    zero_cat.write_text(mini[:start] + "0" + mini[mini.index(",", start) :], encoding="utf-8")
    zero = tmp / "zero-scenario.yaml"
    zero.write_text(SELF_HOSTED.format(name="z"), encoding="utf-8")
    return {
        "target utilization 1e-300 (refused)": ["--scenario", str(absurd), "--catalog", str(MINI)],
        "GPU at 0.001 tokens/s, 1e9 queries/month (answered)": ["--scenario", str(slow), "--catalog", str(slow_cat)],
        "LLM throughput 0 in the catalog (refused)": ["--scenario", str(zero), "--catalog", str(zero_cat)],
    }


def run(repeat: int = 20) -> dict[str, dict[str, float]]:
    out = {}
    with tempfile.TemporaryDirectory() as d:
        for name, args in _cases(Path(d)).items():
            samples = []
            for _ in range(repeat + 1):  # the first run warms the imports
                t = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    cli(["estimate", *args, "--format", "json"])
                samples.append((time.perf_counter() - t) * 1000)
            samples = samples[1:]
            out[name] = {"median_ms": statistics.median(samples), "max_ms": max(samples)}
    return out


def main() -> None:
    print("Absurd inputs, answered or refused (mini catalog):")
    for k, v in run().items():
        print(f"  {k:<56} median {v['median_ms']:8.2f} ms   max {v['max_ms']:8.2f} ms")


if __name__ == "__main__":
    main()
