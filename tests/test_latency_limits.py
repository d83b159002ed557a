"""Two latency limits: `latency_target_p95_ms` bounds the full answer, `first_token_target_p95_ms` the first
token; each optional, each judged on its own measure; an older file's `latency_limit_applies_to: first_token`
is read as the first-token limit; the headline shows the limit that binds."""

from __future__ import annotations

import json

import pytest

from planner.engine import estimate
from planner.model.files import read_scenario
from planner.model.scenario import Scenario
from planner.questionnaire import recommend
from pricing.loader import load_catalog
from tests.apptest import metrics, start


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_an_older_files_first_token_limit_is_read_as_the_first_token_limit():
    s, _ = read_scenario("latency_target_p95_ms: 500\nlatency_limit_applies_to: first_token\n")
    assert s.first_token_target_p95_ms == 500 and s.latency_target_p95_ms is None
    assert s.latency_limit_applies_to == "full_answer"
    # with the answer too: the answer moves with it
    s, _ = read_scenario("latency_limit_applies_to: first_token\nanswers:\n  latency_p95_ms: 700\n")
    assert s.first_token_target_p95_ms == 700 and s.answers.first_token_p95_ms == 700
    assert s.latency_target_p95_ms is None and s.answers.latency_p95_ms is None
    # the full-answer default is untouched
    s, _ = read_scenario("latency_target_p95_ms: 3000\n")
    assert s.latency_target_p95_ms == 3000 and s.first_token_target_p95_ms is None


def test_both_limits_are_judged_each_on_its_own_measure(catalog):
    base = Scenario()
    est0 = estimate(catalog, base)
    rag = est0.current["rag"]
    # a first-token limit just under RAG's first-token p95, a full-answer limit well above its full answer
    ft, full = rag.first_token_p95_ms * 0.9, rag.latency_p95_ms * 2
    s = base.with_changes(first_token_target_p95_ms=ft, latency_target_p95_ms=full)
    est = estimate(catalog, s)
    checks = {c.measure: c for c in est.latency_checks("rag")}
    assert checks["first_token"].over and not checks["full_answer"].over
    assert checks["first_token"].p95_ms == pytest.approx(rag.first_token_p95_ms)
    # the binding limit is the first-token one: its ratio p95 / limit = 1 / 0.9 > p95 / (2 p95) = 0.5
    bind = est.binding_latency("rag")
    assert bind.measure == "first_token" and bind.ratio == pytest.approx(1 / 0.9)
    data = est.to_dict()
    assert data["first_token_limit"] == {"p95_ms": ft} and data["latency_limit"]["p95_ms"] == full
    rec = recommend(s.with_changes(**{"answers.gap": "knowledge"}), est)
    assert any("p95 time to first token" in t and "above the" in t for t in rec.get("rag").reasons), rec.get(
        "rag"
    ).reasons


def test_the_first_token_limit_is_a_question_a_control_and_a_link(catalog_file):  # noqa: F811
    at = start(catalog_file, "decide", query={"ttft": "400", "p95": "5000"})
    s = at.session_state["planner"].scenario
    assert s.first_token_target_p95_ms == 400 and s.latency_target_p95_ms == 5000
    assert s.answers.first_token_p95_ms == 400  # the linked answer follows the scenario number
    assert at.number_input(key="dq.first_token_p95_ms").value == 400
    # an older link's one limit on the first token is read as the first-token limit
    at = start(catalog_file, "latency", query={"p95": "600", "p95_to": "first_token"})
    s = at.session_state["planner"].scenario
    assert s.first_token_target_p95_ms == 600 and s.latency_target_p95_ms is None
    assert any("600 ms on the first token" in c.value for c in at.caption)
    assert all("first token" in label for label in metrics(at))  # the cards show the measure that is limited
    charts = [json.loads(json.loads(c.proto.json_args)["spec"]) for c in at.get("component_instance")]
    names = {t.get("name") for spec in charts for t in spec.get("data", [])}
    assert "p95 first-token limit 600 ms" in names and "RAG first token p95" in names
