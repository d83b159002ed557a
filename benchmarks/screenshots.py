"""Retake the README's screenshots: every page of the app on the support-bot case, in headless Chromium.

    python -m benchmarks.screenshots [--out docs/screenshots] [--query "preset=support-bot&p95=2000"]

The app runs on a temporary copy of the default catalog (nothing in the repository changes but the
PNG files). Needs Debian's chromium (see `make chromium`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.bench_server import app_url, goto_ready, launch_chromium, wait_idle
from tools.streamlit_server import ROOT, catalog_copy, server

#: The support-bot case of the README: 5,000 help articles updated weekly, 200K queries a month,
#: cited answers, p95 under 2 s, $1,500 a month.
QUERY = "preset=support-bot&p95=2000"
PAGES = {"decide": None, "costs": "costs", "latency": "latency", "pricing": "pricing", "report": "report"}
VIEWPORT = {"width": 1400, "height": 1000}


def take(out: Path, query: str = QUERY) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv, sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for name, path in PAGES.items():
                url = app_url(srv.url, path) + (f"?{query}" if query else "")
                goto_ready(page, url, chart=name in ("costs", "latency"))
                wait_idle(page)
                page.wait_for_timeout(400)  # let the charts finish their transitions
                shot = out / f"{name}.png"
                page.screenshot(path=str(shot))
                shots.append(shot)
        finally:
            browser.close()
    return shots


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--query", default=QUERY, help="query string of the scenario to show")
    args = ap.parse_args()
    for shot in take(args.out, args.query):
        print(shot)


if __name__ == "__main__":
    main()
