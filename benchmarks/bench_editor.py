"""The Pricing page's editor against a real server: forged saves and the memory big texts cost.

    python -m benchmarks.bench_editor                 # 20 sessions, each applies a 1 MB text of 4-byte characters
    python -m benchmarks.bench_editor --sessions 5    # a smoke run

One server (`streamlit run app.py` on 127.0.0.1, `PLANNER_WRITABLE=1` as `make run` starts it, on a
temporary copy of the default catalog). Each session is a protocol client (Streamlit's websocket
protocol, as in `bench_hostile`) on the Pricing page that puts a text in the catalog editor and presses
*Apply* — the text is 250,000 four-byte characters (1,000,000 bytes of UTF-8, the editor's cap), a
different one per session, which the app refuses (it is not a catalog). The sessions stay open.
Reported: the server's resident memory (VmRSS of the process tree) before, after every 5 sessions,
10 s after the last (the peak is what a host must have), and `--linger` seconds (150) after the
sessions closed (Streamlit drops a closed session's state after 120 s); then (`--waves 2`) a second
group of 20 does the same on the same server: does the memory the first left behind get reused?

The sessions are `tools/pricing_client.py`'s `PricingClient`, the forged-save test's rig too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from benchmarks.bench_server import rss_kb
from benchmarks.bench_server import tree as _tree
from tools.pricing_client import PricingClient
from tools.streamlit_server import ROOT, catalog_copy, server

#: 250,000 four-byte characters: 1,000,000 bytes of UTF-8.
BIG_CHARS = 250_000


def big_text(salt: int) -> str:
    """`BIG_CHARS` four-byte characters (emoji, U+1F600 and on), different for each `salt`."""
    return "".join(chr(0x1F600 + (i * 7 + salt) % 80) for i in range(BIG_CHARS))


async def _sessions(port: int, pid: int, n: int, linger_s: float) -> dict:
    samples = {"before": rss_kb(pid) // 1024}
    clients = []
    for i in range(n):
        c = PricingClient(port)
        await c.connect()
        await c.run()
        page = await c.press("Apply for this session", big_text(i))
        assert "not valid" in page or "refused" in page or "too long" in page, page[:500]
        clients.append(c)
        if (i + 1) % 5 == 0 or i + 1 == n:
            samples[f"after {i + 1} sessions"] = rss_kb(pid) // 1024
    await asyncio.sleep(10)
    samples["10 s after the last"] = rss_kb(pid) // 1024
    samples["peak"] = max(samples.values())
    for c in clients:
        await c.close()
    if linger_s > 0:  # Streamlit keeps a closed session's state for a while (120 s by default), then drops it
        await asyncio.sleep(linger_s)
        samples[f"{linger_s:.0f} s after the sessions left"] = rss_kb(pid) // 1024
    return samples


def run(sessions: int = 20, linger_s: float = 0.0, waves: int = 1) -> dict:
    """`waves` groups of `sessions` one after the other on the same server (each leaves before the next comes):
    memory a group leaves behind is reused by the next, or it grows."""
    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat, env_extra={"PLANNER_WRITABLE": "1"}) as srv:
        port = int(srv.url.rsplit(":", 1)[1])
        res = asyncio.run(_sessions(port, srv.pid, sessions, linger_s))
        for wave in range(2, waves + 1):
            more = asyncio.run(_sessions(port, srv.pid, sessions, linger_s))
            res.update({f"wave {wave}: {k}": v for k, v in more.items() if k != "before"})
        res["peak"] = max(v for k, v in res.items() if k.endswith("peak") or k == "peak")
        res["processes"] = len(_tree(srv.pid))
    res["sessions"] = sessions
    res["text"] = f"{BIG_CHARS:,} four-byte characters ({BIG_CHARS * 4:,} bytes of UTF-8) per session"
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument(
        "--linger", type=float, default=150.0, help="seconds to wait after the sessions left, then sample (0: no)"
    )
    ap.add_argument("--waves", type=int, default=2, help="groups of sessions, one after the other (default 2)")
    args = ap.parse_args(argv)
    res = run(args.sessions, args.linger, args.waves)
    print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
