"""Load test with a hostile visitor: does one URL slow everyone else down?

    python -m benchmarks.bench_hostile                      # 20 sessions, 60 s per phase
    python -m benchmarks.bench_hostile --think 5,15         # visitors who pause 5-15 s between moves
    python -m benchmarks.bench_hostile --sessions 5 --duration 15   # a smoke run

One server (`streamlit run app.py`, on a temporary copy of the default catalog) and 20 sessions
on the Costs page. Each session is a protocol client: it speaks Streamlit's own websocket
protocol (`/_stcore/stream`, the protobuf `BackMsg` / `ForwardMsg` a browser sends and
receives), so the rig itself costs almost nothing and the server is what is measured. Each
session moves the "Queries per month" slider one step (up or down a 1-2-5 step, the widget
state a browser sends for that move) and waits for the whole page to come back
(`script_finished`), then thinks for 1-3 s (uniform; `--think LOW,HIGH` to change it) before its
next move, for the whole phase. With 1-3 s, 20 visitors ask for about 10 page runs a second: a
stress test that keeps the server busy; `--think 5,15` is closer to a team using it.
Timed per move: request sent → the last element of the page received, i.e. the server's side
of a redraw. (A browser adds its own drawing on top, which happens on the visitor's machine
and which no other visitor can slow down.)

Three phases run back to back on the same server and the same sessions: quiet, hostile, quiet
again. In the hostile phase one more client opens the Costs page again and again, alternating
two URLs: `HOSTILE_QUERY` (a self-hosted scenario with a target utilization of 1e-300, which
once made the queueing loop run ~1e301 steps: it must be refused with a message) and
`HEAVY_QUERY` (the same stack at the highest utilization and volume the app accepts: the most
work a URL can ask for). It waits up to 30 s for each page, disconnects, pauses as the other visitors do between moves,
and opens it again (the issue's setup: one session among the others sends the hostile URL).

Reported per phase: the 20 sessions' moves, median and p95 (and max) in ms, errors, the
server's CPU in cores, the load average; for the hostile phase what the hostile client saw
(pages finished, refusals with a message, pages that never finished). The other sessions' p95
in the hostile phase should be within the noise of the two quiet phases around it.
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
from dataclasses import dataclass, field
from types import SimpleNamespace

from benchmarks.bench_browser import pct
from benchmarks.bench_server import cpu_s, tree
from tools.streamlit_server import ROOT, catalog_copy, server

HOSTILE_QUERY = (
    "serving=self_hosted&llm=together-llama-3.1-8b&ft=together-llama-3.1-8b-lora&stack.target_utilization=1e-300"
)
HEAVY_QUERY = (
    "serving=self_hosted&llm=together-llama-3.1-8b&ft=together-llama-3.1-8b-lora"
    "&stack.target_utilization=0.95&q=100000000&peak=10"
)
PAGE = "costs"
VOLUME_LABEL = "Queries per month"
#: How long any client waits for a page before counting it as never finished.
WAIT_S = 30.0
THINK_S = (1.0, 3.0)


@dataclass
class Page:
    seconds: float
    finished: bool
    text: str
    elements: list = field(default_factory=list)


class Client:
    """One browser tab, as the server sees it: a websocket speaking Streamlit's protobuf messages."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.ws = None

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            f"ws://127.0.0.1:{self.port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, query: str = "", widgets: list | None = None) -> Page:
        """Ask for a run of the page (as a page load or a widget change does) and wait for it to finish."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = PAGE
        msg.rerun_script.widget_states.widgets.extend(widgets or [])
        t = time.monotonic()
        await self.ws.send(msg.SerializeToString())
        elements, chunks = [], []
        deadline = t + WAIT_S
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic())))
            kind = fwd.WhichOneof("type")
            if kind == "delta":
                chunks.append(fwd.delta.SerializeToString())
                if fwd.delta.WhichOneof("type") == "new_element":
                    elements.append(fwd.delta.new_element)
            elif kind == "script_finished":
                text = b"".join(chunks).decode("utf-8", "replace").replace("\\", "")
                return Page(time.monotonic() - t, fwd.script_finished == 0, text, elements)


def volume_slider(page: Page):
    for e in page.elements:
        if e.WhichOneof("type") == "slider" and e.slider.label == VOLUME_LABEL:
            return e.slider
        c = e.component_instance
        if e.WhichOneof("type") == "component_instance" and c.component_name.endswith("volume_chart"):
            # the chart's own slider (planner/ui/volume_chart.py): its steps travel in its arguments
            steps = json.loads(c.json_args)["steps"]
            return SimpleNamespace(id=c.id, options=[s["label"] for s in steps], volumes=[s["q"] for s in steps])
    raise RuntimeError(f'no "{VOLUME_LABEL}" slider on the {PAGE} page')


class Visitor:
    """One visitor on the Costs page, moving the volume slider a step at a time."""

    def __init__(self, port: int, rng: random.Random, think_s: tuple[float, float] = THINK_S) -> None:
        self.client, self.rng, self.think_s = Client(port), rng, think_s

    async def open(self) -> None:
        await self.client.connect()
        slider = volume_slider(await self.client.run())
        self.slider_id, self.options = slider.id, list(slider.options)
        self.volumes = list(getattr(slider, "volumes", []))
        self.i = self.options.index("10K") if "10K" in self.options else 0
        for _ in range(2):  # warm up: the first moves fill the caches every visitor shares
            await self.move()

    async def move(self) -> Page:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        up = (self.i == 0 or self.rng.random() < 0.5) and self.i + 1 < len(self.options)
        self.i += 1 if up else -1
        w = WidgetState(id=self.slider_id)
        if self.volumes:  # the chart's slider sends {"q": volume, "n": move number}
            w.json_value = json.dumps({"q": self.volumes[self.i], "n": time.monotonic_ns()})
        else:
            w.string_array_value.data.append(self.options[self.i])
        return await self.client.run(widgets=[w])

    async def until(self, t_end: float, out: dict) -> None:
        while time.monotonic() < t_end:
            await asyncio.sleep(self.rng.uniform(*self.think_s))
            try:
                page = await self.move()
                out["times"].append(page.seconds * 1000)
                out["errors"] += not page.finished
            except (TimeoutError, OSError):
                out["errors"] += 1


async def _hostile(port: int, until: float, out: dict, think_s: tuple[float, float], rng: random.Random) -> None:
    """Open the Costs page on the hostile and the heavy URL in turn until `until`."""
    n = 0
    while time.monotonic() < until:
        query = (HOSTILE_QUERY, HEAVY_QUERY)[n % 2]
        n += 1
        c = Client(port)
        try:
            await c.connect()
            page = await c.run(query)
            kind = "hostile" if query == HOSTILE_QUERY else "heavy"
            out[f"{kind}_pages"] += 1
            out[f"{kind}_ms"].append(page.seconds * 1000)
            refused = "ignored" in page.text and "utilization" in page.text
            out[f"{kind}_refused_with_a_message"] += refused
        except (TimeoutError, OSError):
            out["never_finished"] += 1
        finally:
            await c.close()
        await asyncio.sleep(rng.uniform(*think_s))  # a session like the others: it pauses as they do


async def _phase(port: int, pid: int, visitors: list[Visitor], duration_s: float, hostile: bool) -> dict:
    outs = [{"times": [], "errors": 0} for _ in visitors]
    bad = {
        "hostile_pages": 0,
        "hostile_refused_with_a_message": 0,
        "heavy_pages": 0,
        "heavy_refused_with_a_message": 0,
        "never_finished": 0,
        "hostile_ms": [],
        "heavy_ms": [],
    }
    cpu0, t0 = cpu_s(tree(pid)), time.monotonic()
    until = t0 + duration_s
    tasks = [v.until(until, o) for v, o in zip(visitors, outs, strict=True)]
    if hostile:
        tasks.append(_hostile(port, until, bad, visitors[0].think_s, random.Random(7)))
    await asyncio.gather(*tasks)
    wall = time.monotonic() - t0
    times = [t for o in outs for t in o["times"]]
    res = {
        "moves": len(times),
        "errors": sum(o["errors"] for o in outs),
        "median_ms": round(statistics.median(times)) if times else None,
        "p95_ms": round(pct(times, 0.95)) if times else None,
        "max_ms": round(max(times)) if times else None,
        "server_cpu_cores": round((cpu_s(tree(pid)) - cpu0) / wall, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    if hostile:
        for kind in ("hostile", "heavy"):
            ms = bad.pop(f"{kind}_ms")
            bad[f"{kind}_median_ms"] = round(statistics.median(ms)) if ms else None
        res["hostile_client"] = bad
    return res


async def _phases(port: int, pid: int, sessions: int, duration_s: float, think_s: tuple[float, float]) -> dict:
    """Open the visitors once, then run the three phases back to back on them."""
    rng = random.Random(1)
    visitors = [Visitor(port, random.Random(rng.random()), think_s) for _ in range(sessions)]
    res: dict = {}
    try:
        await asyncio.gather(*(v.open() for v in visitors))
        for name, hostile in (("quiet", False), ("hostile", True), ("quiet again", False)):
            res[name] = await _phase(port, pid, visitors, duration_s, hostile)
            print(f"{name}: {json.dumps(res[name])}", file=sys.stderr, flush=True)
    finally:
        await asyncio.gather(*(v.client.close() for v in visitors))
    return res


def run(sessions: int = 20, duration_s: float = 60, think_s: tuple[float, float] = THINK_S) -> dict:
    res: dict = {
        "sessions": sessions,
        "duration_s_per_phase": duration_s,
        "think_s": think_s,
        "hostile_url": f"/{PAGE}?{HOSTILE_QUERY}",
        "heavy_url": f"/{PAGE}?{HEAVY_QUERY}",
    }
    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv:
        port = int(srv.url.rstrip("/").rsplit(":", 1)[1])
        res |= asyncio.run(_phases(port, srv.pid, sessions, duration_s, think_s))
    quiet = [res[k]["p95_ms"] for k in ("quiet", "quiet again") if res[k]["p95_ms"]]
    if quiet and res["hostile"]["p95_ms"]:
        res["hostile p95 / mean quiet p95"] = round(res["hostile"]["p95_ms"] / statistics.mean(quiet), 2)
        res["quiet p95 spread"] = round(max(quiet) / min(quiet), 2)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench_hostile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--duration", type=float, default=60, help="seconds per phase (three phases)")
    ap.add_argument(
        "--think",
        default=f"{THINK_S[0]:g},{THINK_S[1]:g}",
        help="LOW,HIGH: seconds a visitor waits between moves, uniform (default %(default)s: a stress test)",
    )
    args = ap.parse_args(argv)
    try:
        low, high = (float(x) for x in args.think.split(","))
    except ValueError:
        ap.error(f"--think: expected LOW,HIGH in seconds (e.g. 5,15), got {args.think!r}")
    if not 0 <= low <= high:
        ap.error(f"--think: expected 0 <= LOW <= HIGH, got {args.think!r}")
    print(json.dumps(run(args.sessions, args.duration, (low, high)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
