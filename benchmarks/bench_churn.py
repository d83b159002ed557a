"""The server's memory under churn: sessions moving the volume while visitors come and go.

    python -m benchmarks.bench_churn [--seconds S] [--full-gc]

8 sessions (protocol clients, as in `bench_hostile`) move the Costs page's volume without a pause,
while a new visitor opens the page every second and leaves. Streamlit keeps a closed session for
`server.disconnectedSessionTTL` (120 s), so the server's memory grows for two minutes and should
then level off. Prints the server's RSS (its process tree) every 10 s and the moves made.
`--full-gc` runs the server with Streamlit's full garbage collection after every run
(`runner.postScriptGC`, which `.streamlit/config.toml` turns off) for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time

from benchmarks.bench_hostile import Client, Visitor
from benchmarks.bench_server import rss_kb, tree
from tools.streamlit_server import ROOT, catalog_copy, server

VISITORS = 8
SAMPLE_S = 10.0


async def _churn(port: int, pid: int, seconds: float) -> dict:
    rng = random.Random(3)
    visitors = [Visitor(port, random.Random(rng.random()), (0.05, 0.2)) for _ in range(VISITORS)]
    await asyncio.gather(*(v.open() for v in visitors))
    t_end = time.monotonic() + seconds
    rss_mb: list[int] = []
    loads = 0

    async def come_and_go() -> None:
        nonlocal loads
        while time.monotonic() < t_end:
            c = Client(port)
            try:
                await c.connect()
                await c.run()
                loads += 1
            finally:
                await c.close()
            await asyncio.sleep(1.0)

    async def sample() -> None:
        while time.monotonic() < t_end:
            rss_mb.append(round(sum(rss_kb(p) for p in tree(pid)) / 1024))
            await asyncio.sleep(SAMPLE_S)

    outs = [{"times": [], "errors": 0} for _ in visitors]
    try:
        await asyncio.gather(*(v.until(t_end, o) for v, o in zip(visitors, outs, strict=True)), come_and_go(), sample())
    finally:
        await asyncio.gather(*(v.client.close() for v in visitors))
    return {
        "moves": sum(len(o["times"]) for o in outs),
        "errors": sum(o["errors"] for o in outs),
        "page_loads": loads,
        f"rss_mb_every_{SAMPLE_S:g}_s": rss_mb,
    }


def run(seconds: float = 240, full_gc: bool = False) -> dict:
    old = os.environ.get("STREAMLIT_RUNNER_POST_SCRIPT_GC")
    os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = "true" if full_gc else "false"
    try:
        with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv:
            port = int(srv.url.rsplit(":", 1)[1])
            res = asyncio.run(_churn(port, srv.pid, seconds))
    finally:
        if old is None:
            os.environ.pop("STREAMLIT_RUNNER_POST_SCRIPT_GC", None)
        else:
            os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = old
    return {"runner.postScriptGC": full_gc} | res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_churn", description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=240)
    ap.add_argument("--full-gc", action="store_true", help="Streamlit's full collection after every run")
    a = ap.parse_args(argv)
    print(json.dumps(run(a.seconds, a.full_gc)))


if __name__ == "__main__":
    main()
