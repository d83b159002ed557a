"""The hostile-visitor load test runs end to end on a real server (a smoke run: 2 visitors, 3 s a
phase). No timing is asserted (benchmarks report figures); what is asserted is what a team sharing
a server cares about: the hostile URL is refused with a message every time, the heaviest accepted
URL finishes, and the other visitors' moves all come back."""

from __future__ import annotations

import concurrent.futures

from benchmarks import bench_hostile


def in_a_thread(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` in a thread of its own: after the browser tests, Playwright's sync API leaves an
    event loop running in the main thread, where `asyncio.run` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def test_hostile_url_is_refused_and_the_others_keep_working():
    res = in_a_thread(bench_hostile.run, sessions=2, duration_s=3)
    for phase in ("quiet", "hostile", "quiet again"):
        assert res[phase]["errors"] == 0, res[phase]
        assert res[phase]["moves"] >= 2, res[phase]  # 2 visitors, 3 s, a move every 1-3 s: at least one each
    seen = res["hostile"]["hostile_client"]
    assert seen["never_finished"] == 0, seen
    assert seen["hostile_pages"] >= 1 and seen["hostile_refused_with_a_message"] == seen["hostile_pages"], seen
    assert seen["heavy_refused_with_a_message"] == 0, seen
    assert "hostile p95 / mean quiet p95" in res


def test_a_page_run_is_read_back_whole():
    """The protocol client sees the page a browser would: the volume slider with its 1-2-5 steps."""
    import asyncio

    from tools.streamlit_server import ROOT, catalog_copy, server

    async def first_page(port: int):
        c = bench_hostile.Client(port)
        await c.connect()
        try:
            return await c.run()
        finally:
            await c.close()

    with catalog_copy() as cat, server(ROOT / "app.py", catalog=cat) as srv:
        page = in_a_thread(asyncio.run, first_page(int(srv.url.rsplit(":", 1)[1])))
    assert page.finished
    slider = bench_hostile.volume_slider(page)
    assert list(slider.options)[:4] == ["1,000", "2,000", "5,000", "10K"]
    assert "Queries per month" in page.text


def test_the_churn_benchmark_runs_and_visitors_leave_no_error():
    """`benchmarks/bench_churn.py` end to end (a 12 s smoke run): the moving sessions and the visitors who
    come and go all get their pages, and the server's memory is sampled while they do."""
    from benchmarks import bench_churn

    res = in_a_thread(bench_churn.run, seconds=12)
    assert res["errors"] == 0, res
    assert res["moves"] >= bench_churn.VISITORS, res  # each session moves many times in 12 s without a pause
    assert res["page_loads"] >= 3, res  # a visitor a second, each page run to its end
    samples = res["rss_mb_every_10_s"]
    assert len(samples) >= 2 and all(mb > 50 for mb in samples), samples  # a Streamlit server is > 50 MB
