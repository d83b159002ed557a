"""The Import page (AppTest): upload, read, see the fit beside the scenario, apply it, and the Costs page moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import errors, go, start

FIX = Path(__file__).resolve().parent / "fixtures" / "traffic"


def upload(at, *names: str):
    files = [(n, (FIX / n).read_bytes(), "application/octet-stream") for n in names]
    at.file_uploader(key="tr.files").set_value(files).run()
    at.button(key="tr.read").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_import_fits_applies_and_costs_move(catalog_file):
    at = start(catalog_file, "costs")
    before = at.session_state["planner"].context_memo[1].estimate.current["prompt_only"].monthly_usd
    go(at, "import")
    upload(at, "otel.jsonl")
    assert errors(at) == []
    fit = at.dataframe[0].value  # the fit, beside the scenario
    assert "workload.queries_per_month" in list(fit["Field"])
    assert len(at.get("plotly_chart")) == 3  # requests per hour, input and output histograms
    at.button(key="tr.apply").click().run()
    s = at.session_state["planner"].scenario
    # 4 spans over 3 hours: 4 / 3 × 730 a month; the busiest model's catalog entry
    assert s.workload.queries_per_month == pytest.approx(4 / 3 * 730)
    assert s.stack.llm == "gpt-4o-mini" and s.workload.cache_hit_share == 0.75
    assert any("Applied" in m.value for m in at.success)
    go(at, "costs")
    after = at.session_state["planner"].context_memo[1].estimate.current["prompt_only"].monthly_usd
    assert after != before
    # observed: uncached 3,792 × 0.15 + 4,608 × 0.075 + 1,000 × 0.60 (USD per 1M) over 3 hours, × 730 / 3
    assert after == pytest.approx((3792 * 0.15 + 4608 * 0.075 + 1000 * 0.6) / 1e6 * 730 / 3, rel=0.02)


def test_import_of_a_bad_file_applies_nothing(catalog_file):
    at = start(catalog_file, "import")
    before = at.session_state["planner"].scenario
    at.file_uploader(key="tr.files").set_value([("x.csv", b"a,b\n1,2\n", "text/csv")]).run()
    at.button(key="tr.read").click().run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # markdown-escaped on screen
    assert any("Nothing was imported" in e and "x.csv:1: no known usage format" in e for e in shown), shown
    assert at.session_state["planner"].scenario == before and at.session_state["planner"].traffic is None


def test_part_of_the_fit_can_be_applied(catalog_file):
    at = start(catalog_file, "import")
    upload(at, "litellm.json")
    at.multiselect(key="tr.apply_fields").set_value(["workload.output_tokens_per_query"]).run()
    at.button(key="tr.apply").click().run()
    s = at.session_state["planner"].scenario
    assert s.workload.output_tokens_per_query == 200  # (200 + 100 + 300) / 3
    assert s.workload.queries_per_month == 100_000  # left as it was
