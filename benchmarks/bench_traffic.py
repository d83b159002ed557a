"""Traffic import benchmark: fit and reconcile 1M requests, in a fresh process, time and peak memory.

    python -m benchmarks.bench_traffic            # 1,000,000 rows of generic CSV and 1,000,000 OTLP spans
    python -m benchmarks.bench_traffic --rows 100000 --only csv

Generates the files in a temporary folder (a month of traffic with a daily cycle, two models, cached
prefixes on 60% of requests, 10% batch), then runs `planner.traffic.analysis.analyze` (read, fit,
reprice, reconcile, the estimate on the fitted scenario) in a child process and reports its wall time
and peak resident memory (`ru_maxrss` of the child). Targets: ≤ 15 s and ≤ 1 GB on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

START = 1_793_577_600  # 2026-11-02T00:00:00Z
SECONDS = 30 * 86_400


def _columns(rows: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    # a daily cycle: more requests in the working day (hour of day weighted by a sine)
    day = rng.integers(0, 30, rows)
    hour_w = 1.2 + np.sin((np.arange(24) - 6) / 24 * 2 * np.pi)
    hour = rng.choice(24, rows, p=hour_w / hour_w.sum())
    t = START + day * 86_400 + hour * 3600 + rng.integers(0, 3600, rows)
    prefix = 1024
    hit = rng.random(rows) < 0.6
    user = rng.lognormal(5.5, 0.8, rows).astype(int) + 1
    return {
        "t": np.sort(t),
        "model": np.where(rng.random(rows) < 0.8, "gpt-4o-mini", "gpt-4o"),
        "input": prefix + user,
        "cached": np.where(hit, prefix, 0),
        "output": rng.lognormal(5.0, 0.7, rows).astype(int) + 1,
        "batch": rng.random(rows) < 0.1,
        "ttft": rng.lognormal(6.0, 0.3, rows).round(1),
    }


def write_csv(path: Path, rows: int) -> None:
    c = _columns(rows)
    stamps = np.datetime_as_string(c["t"].astype("datetime64[s]"), unit="s")
    latency = c["ttft"] + c["output"] * 1000 / 60
    with open(path, "w") as f:
        f.write("timestamp,model,input_tokens,cached_input_tokens,output_tokens,batch,latency_ms,ttft_ms,cost_usd\n")
        step = 100_000
        for k in range(0, rows, step):
            s = slice(k, k + step)
            lines = [
                f"{a}Z,{m},{i},{ca},{o},{'true' if b else 'false'},{la:.1f},{tt},{0.0002:.6f}\n"
                for a, m, i, ca, o, b, la, tt in zip(
                    stamps[s],
                    c["model"][s],
                    c["input"][s],
                    c["cached"][s],
                    c["output"][s],
                    c["batch"][s],
                    latency[s],
                    c["ttft"][s],
                    strict=True,
                )
            ]
            f.writelines(lines)


def write_otlp(path: Path, rows: int, spans_per_line: int = 500) -> None:
    c = _columns(rows)

    def attr(k, v):
        return {"key": k, "value": {"intValue": str(v)} if not isinstance(v, str) else {"stringValue": v}}

    with open(path, "w") as f:
        for k in range(0, rows, spans_per_line):
            spans = []
            for j in range(k, min(rows, k + spans_per_line)):
                st = int(c["t"][j]) * 10**9
                a = [
                    attr("gen_ai.operation.name", "chat"),
                    attr("gen_ai.request.model", str(c["model"][j])),
                    attr("gen_ai.usage.input_tokens", int(c["input"][j])),
                    attr("gen_ai.usage.output_tokens", int(c["output"][j])),
                ]
                if c["cached"][j]:
                    a.append(attr("gen_ai.usage.cache_read.input_tokens", int(c["cached"][j])))
                spans.append(
                    {
                        "traceId": f"{j:032x}",
                        "spanId": f"{j:016x}",
                        "name": "chat",
                        "startTimeUnixNano": str(st),
                        "endTimeUnixNano": str(st + int(c["output"][j]) * 16_000_000),
                        "attributes": a,
                    }
                )
            doc = {"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"scope": {}, "spans": spans}]}]}
            f.write(json.dumps(doc) + "\n")


_CHILD = """
import json, resource, sys, time
t = time.perf_counter()
from planner.traffic.analysis import analyze
from planner import load_catalog, Scenario
a = analyze(sys.argv[1:], load_catalog(), Scenario())
print(json.dumps({"seconds": time.perf_counter() - t, "requests": a.stats.requests,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "round_trip_gap_pct": a.round_trip.gap_pct if a.round_trip else None}))
"""


def measure(path: Path) -> dict:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1], "seconds": time.perf_counter() - t}
    return json.loads(out.stdout)


def run(rows: int = 1_000_000, only: str | None = None) -> dict[str, dict]:
    results = {}
    with tempfile.TemporaryDirectory() as d:
        for kind, writer, name in (("csv", write_csv, "traffic.csv"), ("otlp", write_otlp, "spans.jsonl")):
            if only and only != kind:
                continue
            path = Path(d) / name
            t = time.perf_counter()
            writer(path, rows)
            gen = time.perf_counter() - t
            r = measure(path)
            r.update({"rows": rows, "file_mb": path.stat().st_size / 1e6, "generate_seconds": gen})
            results[kind] = r
            path.unlink()
    return results


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--only", choices=("csv", "otlp"))
    args = p.parse_args(argv)
    print(f"load average before: {os.getloadavg()}, cpus: {os.cpu_count()}")
    res = run(args.rows, args.only)
    for kind, r in res.items():
        if "error" in r:
            print(f"{kind}: {r['rows']:,} rows, {r['file_mb']:.0f} MB: failed after {r['seconds']:.1f} s: {r['error']}")
            continue
        print(
            f"{kind}: {r['rows']:,} rows, {r['file_mb']:.0f} MB: {r['seconds']:.1f} s, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(round trip {r['round_trip_gap_pct']:+.1f}%)"
        )
    print(f"load average after: {os.getloadavg()}")
    _ = resource  # the child reports its own peak
    return 0


if __name__ == "__main__":
    sys.exit(main())
