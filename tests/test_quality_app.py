"""Measured quality in the app (AppTest): typed-in pass rates on the support-bot preset flip the cheapest-by-tokens
option on outcome cost, and the Costs and Decide pages say why; an eval file is imported whole or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pricing.loader import DEFAULT_CATALOG_PATH
from tests.apptest import ROOT, errors, go, start, unescape

FIXTURES = ROOT / "tests" / "fixtures" / "eval"


@pytest.fixture
def catalog_file(tmp_path, monkeypatch) -> Path:
    """A copy of the default catalog that the app loads (via PLANNER_CATALOG)."""
    path = tmp_path / "catalog.yaml"
    shutil.copyfile(DEFAULT_CATALOG_PATH, path)
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    return path


def _markdown(at) -> str:
    return unescape("\n".join(m.value for m in at.markdown))


def _support_bot_measured(at):
    at.selectbox(key="sb.preset").set_value("support-bot").run()
    at.number_input(key="q.rate.prompt_only").set_value(70.0)
    at.number_input(key="q.n.prompt_only").set_value(100)
    at.number_input(key="q.rate.rag").set_value(92.0)
    at.number_input(key="q.n.rag").set_value(100)
    at.number_input(key="q.fail").set_value(4.0)
    next(b for b in at.button if b.label == "Apply measured quality").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_support_bot_with_measured_quality_ranks_rag_first_on_outcome_cost_and_says_why(catalog_file):
    at = _support_bot_measured(start(catalog_file, "costs"))
    q = at.session_state["planner"].scenario.quality
    assert (q.pass_rate.prompt_only, q.pass_rate.rag, q.failure_cost_usd) == (0.70, 0.92, 4.0)
    text = _markdown(at)
    # prompt only: $31.20 + 200,000 × 0.30 × $4 = $240,031.20 over 140,000 successes = $1.71 each;
    # RAG: $522 + 200,000 × 0.08 × $4 = $64,522 over 184,000 = $0.351 each
    assert "On measured quality RAG ranks first on outcome cost: $0.351 per successful answer" in text
    assert "Prompt only is the cheapest by tokens ($31.20 a month against $522)" in text
    assert "60K failures a month at $4.00 each add $240K" in text
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Efficient frontier" in c.proto.spec)
    names = {t["name"] for t in chart["data"]}
    assert {"Prompt only", "RAG", "Efficient frontier"} <= names
    go(at, "decide")
    decide = _markdown(at)
    assert "On measured quality RAG ranks first on outcome cost" in decide
    assert "Prompt only is dominated by RAG" in decide


def test_without_measurements_the_app_says_what_measuring_would_settle(catalog_file):
    at = start(catalog_file, "costs")
    at.selectbox(key="sb.preset").set_value("support-bot").run()
    assert "No measured pass rates" in _markdown(at)
    go(at, "decide")
    assert "No measured pass rates" in _markdown(at)
    assert "On measured quality" not in _markdown(at)


def test_a_malformed_eval_file_is_refused_with_its_place_and_changes_nothing(catalog_file):
    at = start(catalog_file, "costs")
    before = at.session_state["planner"].scenario
    data = (FIXTURES / "malformed.csv").read_bytes()
    at.get("file_uploader")[0].set_value([("malformed.csv", data, "text/csv")]).run()  # type: ignore[attr-defined]
    shown = "\n".join(errors(at))
    assert "not imported (nothing changed)" in shown
    assert "line 3, column 3 — passed: 'passed' is 'maybe'" in shown
    assert at.session_state["planner"].scenario == before
