"""The per-control browser benchmark runs: one change of every control, on the bare page and in
the app, each timed (a smoke test of the harness; no timing is asserted — benchmarks report figures)."""

from __future__ import annotations

from tests.e2e.browser import BROWSER

pytestmark = BROWSER


def test_every_control_is_changed_and_timed_on_both_pages():
    from benchmarks import bench_controls

    res = bench_controls.run(moves=1, warmup=0)
    assert list(res) == [*bench_controls.CONTROLS, "elements drawn"]
    assert res["elements drawn"]["app Costs page"]["plotly"] >= 1
    for name in bench_controls.CONTROLS:
        row = res[name]
        for side in ("bare", "app"):
            d = row[side]
            assert (d["n"], d["failed"]) == (1, 0), f"{name} on the {side} page: {d}"
            # a change is updated no later than it is settled
            assert 0 < d.get("updated_median_ms", -1) <= d.get("settled_median_ms", -1), (
                f"{name} on the {side} page: {d}"
            )
    table = bench_controls.table(res)
    assert table.count("\n") == 1 + len(bench_controls.CONTROLS)
