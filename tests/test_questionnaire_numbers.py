"""The questionnaire over random answers (properties: faster-changing knowledge never lifts fine-tuning,
citations rule it out, the ranking's invariants) and with the engine's numbers: over budget and over latency
flagged in plain words, numbers that only penalise and never resurrect, a changed winner said so, break-evens
against the answers, and the real engine on the default catalog."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import questionnaire as q
from planner.model.answers import Answers, Gap
from planner.model.scenario import ARCHITECTURES, Scenario, corpus_given
from planner.questionnaire import BUDGET_PENALTY, LATENCY_PENALTY, RULES, recommend, render_text
from tests.recommendation_helpers import (
    LEVELS,
    F,
    H,
    L,
    P,
    R,
    crossing,
    fake_estimate,
    fired,
    hand_estimate,
    rank_of,
    snap,
    verdict_rank,
)

# ---------------------------------------------------------------------------
# Properties over random answers
# ---------------------------------------------------------------------------

answers_st = st.builds(
    Answers,
    knowledge_change=st.none() | st.sampled_from(LEVELS),
    gap=st.none() | st.sampled_from(list(Gap)),
    strict_output_format=st.none() | st.booleans(),
    consistent_voice=st.none() | st.booleans(),
    citations_required=st.none() | st.booleans(),
    latency_p95_ms=st.none() | st.sampled_from([300.0, 999.0, 1000.0, 2500.0]) | st.floats(1, 600_000),
    labeled_examples=st.none() | st.sampled_from([0, 49, 50, 499, 500, 999, 1000]) | st.integers(0, 10**8),
    monthly_budget_usd=st.none() | st.sampled_from([0.0, 499.0, 500.0, 5000.0]) | st.floats(0, 1e9),
    queries_per_month=st.none() | st.sampled_from([9_999.0, 10_000.0, 1e6]) | st.floats(0, 1e11),
    use_case_stable=st.none() | st.booleans(),
    knowledge_fits_in_context=st.none() | st.booleans(),
    prompting_good_enough=st.none() | st.booleans(),
    data_must_stay_external=st.none() | st.booleans(),
    ml_team_capacity=st.none() | st.booleans(),
)

PROP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROP
@given(answers_st, st.integers(0, 6), st.integers(0, 6))
def test_faster_knowledge_change_never_lifts_fine_tuned(a, i, j):
    i, j = sorted((i, j))
    slow = recommend(a.model_copy(update={"knowledge_change": LEVELS[i]}))
    fast = recommend(a.model_copy(update={"knowledge_change": LEVELS[j]}))
    assert fast.get(F).score <= slow.get(F).score
    assert rank_of(fast, F) >= rank_of(slow, F)
    assert verdict_rank(fast.get(F).verdict) >= verdict_rank(slow.get(F).verdict)


@PROP
@given(answers_st)
def test_citations_never_leave_fine_tuned_viable(a):
    rec = recommend(a.model_copy(update={"citations_required": True}))
    assert rec.get(F).verdict == "ruled out"
    assert rec.winner.key != F


@PROP
@given(answers_st, st.integers(0, 5000), st.integers(0, 5000))
def test_more_examples_never_make_fine_tuning_less_viable(a, n1, n2):
    lo, hi = sorted((n1, n2))
    few = recommend(a.model_copy(update={"labeled_examples": lo}))
    many = recommend(a.model_copy(update={"labeled_examples": hi}))
    for key in (F, H):
        assert many.get(key).score >= few.get(key).score
        assert verdict_rank(many.get(key).verdict) <= verdict_rank(few.get(key).verdict)


@PROP
@given(answers_st)
def test_ranking_invariants(a):
    rec = recommend(a)
    assert sorted(r.key for r in rec.ranking) == sorted(ARCHITECTURES)
    assert rec.winner.verdict != "ruled out"
    keys = [(r.verdict == "ruled out", -r.score, ARCHITECTURES.index(r.key)) for r in rec.ranking]
    assert keys == sorted(keys)
    for r in rec.ranking:
        if r.verdict != "ruled out":
            assert r.verdict == q.verdict_for(r.score, False)
    # unanswered questions never fire a rule
    by_id = {r.id: r for r in RULES}
    for reason in rec.reasons:
        assert all(getattr(a, c.field) is not None for c in by_id[reason.rule].condition)
    json.dumps(rec.to_dict())


@PROP
@given(answers_st, st.sampled_from(list(Answers.model_fields)))
def test_unanswering_a_question_silences_its_rules(a, field):
    blank = a.model_copy(update={field: None})
    for rule_id in fired(blank):
        rule = next(r for r in RULES if r.id == rule_id)
        assert field not in {c.field for c in rule.condition}


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


RAG_SCENARIO = Scenario.model_validate(
    {
        "answers": {
            "knowledge_change": "realtime",
            "citations_required": True,
            "gap": "knowledge",
            "monthly_budget_usd": 500,
            "latency_p95_ms": 1500,
            "queries_per_month": 100_000,
            "knowledge_fits_in_context": True,  # as the estimates below measure it
        }
    }
)


def test_numbers_flag_over_budget_and_over_latency_and_say_it_plainly():
    base = recommend(RAG_SCENARIO)
    # real-time knowledge puts RAG (6) ahead of long context (5), though the knowledge base fits in context
    assert base.winner.key == R and base.winner.verdict == "recommended" and base.winner.score == 6
    assert base.get(L).score == 5
    # prompt only is ruled out (a knowledge gap: it never sees the knowledge base); long context is within both
    est = fake_estimate(
        {P: 120.0, L: 130.0, R: 900.0, F: 50.0, H: 1400.0},
        {P: 900.0, L: 950.0, R: 1800.0, F: 400.0, H: 1900.0},
        [crossing(L, b=R, queries_per_month=150_000.0, cheaper_below=L, cheaper_above=R)],
    )
    rec = recommend(RAG_SCENARIO, est)
    rag = rec.get(R)
    assert rag.score == 6 - BUDGET_PENALTY - LATENCY_PENALTY
    assert rag.verdict == "viable"  # demoted: over budget and over the limit
    assert rec.get(L).score == base.get(L).score  # within both
    assert rec.get(H).score == base.get(H).score - BUDGET_PENALTY - LATENCY_PENALTY
    f = rec.findings
    assert (
        "RAG is recommended by the answers but costs $900/month at 100,000 queries, above the $500 budget; Long "
        "context ($130) fits." in f
    )
    assert (
        "RAG is recommended by the answers but its p95 latency is 1.80 s, above the 1.50 s limit; Long context "
        "(950 ms) meets it." in f
    )
    assert "Hybrid costs $1.40K/month at 100,000 queries, above the $500 budget." in f
    assert f[0] == "Estimated monthly cost at 100,000 queries a month: Long context $130, RAG $900, Hybrid $1.40K."
    assert any(x.startswith("Long context and RAG break even at 150,000 queries a month") for x in f)
    assert any("within a factor of two" in x for x in f)
    assert "Costs $900/month at 100,000 queries, above the $500 budget." in rag.reasons
    assert "p95 latency of 1.80 s is above the 1.50 s limit." in rag.reasons
    text = render_text(rec)
    assert "Numbers" in text and "above the $500 budget" in text


def test_numbers_never_un_rule_out():
    # fine-tuned is the cheapest and fastest, but citations rule it out
    est = fake_estimate({P: 900.0, R: 900.0, F: 1.0, H: 900.0}, {P: 9000.0, R: 9000.0, F: 10.0, H: 9000.0})
    rec = recommend(RAG_SCENARIO, est)
    assert rec.get(F).verdict == "ruled out"
    assert rec.get(F).score == recommend(RAG_SCENARIO).get(F).score
    assert rec.ranking[-1].key == F
    assert not any("Fine-tuned" in x for x in rec.findings)
    assert rec.winner.key == R


def test_numbers_can_change_the_winner_and_say_so():
    s = Scenario.model_validate(
        {
            "answers": {
                "knowledge_change": "monthly",
                "monthly_budget_usd": 1000,
                "latency_p95_ms": 1500,
                "knowledge_fits_in_context": True,
            }
        }
    )
    # long context +3 (the knowledge base fits); RAG +1 (monthly changes) -1 (it fits); prompt only 0
    assert [(r.key, r.score) for r in recommend(s).ranking][:3] == [(L, 3), (P, 0), (R, 0)]
    est = fake_estimate(
        {P: 50.0, L: 1200.0, R: 1100.0, F: 300.0, H: 1400.0},
        {P: 1000.0, L: 2000.0, R: 1000.0, F: 1000.0, H: 1000.0},
    )
    rec = recommend(s, est)
    # long context over the budget and the limit: 3 - 2 - 2 = -1; prompt only stays at 0
    assert rec.get(L).score == 3 - BUDGET_PENALTY - LATENCY_PENALTY
    assert rec.winner.key == P
    assert "With the numbers, Prompt only ranks first instead of Long context." in rec.findings
    assert any(x.startswith("Long context ranks first on the answers but costs $1.20K/month") for x in rec.findings)
    assert rec.watch_outs == recommend(Answers()).watch_outs  # the watch-outs follow the new winner


def test_break_even_against_the_answers_is_reported():
    s = Scenario.model_validate(
        {
            "answers": {
                "knowledge_change": "static",
                "strict_output_format": True,
                "labeled_examples": 1000,
                "queries_per_month": 200_000,
            }
        }
    )
    est = fake_estimate(
        {P: 100.0, R: 200.0, F: 900.0, H: 1200.0},
        {k: 800.0 for k in ARCHITECTURES},
        [
            crossing(P, b=F, queries_per_month=3_000_000.0, cheaper_below=P, cheaper_above=F),
        ],
    )
    rec = recommend(s, est)
    assert rec.winner.key == F
    msg = next(x for x in rec.findings if "break even" in x)
    assert msg == (
        "Prompt only and Fine-tuned break even at 3,000,000 queries a month: Prompt only is cheaper below, "
        "Fine-tuned above. At your 200,000, Prompt only is cheaper: the numbers favor it over Fine-tuned, "
        "against the answers."
    )
    assert rec.findings[-1] == "Fine-tuned: $900/month plus $16.0K one-time; $26.8K over 12 months."


def test_missing_or_broken_figures_do_not_crash():
    est = hand_estimate({P: snap(float("nan"), 100.0), R: snap(100.0, float("inf"))})
    rec = recommend(RAG_SCENARIO, est)
    assert any(x.startswith("No cost estimate for") for x in rec.findings)
    json.dumps(rec.to_dict())


estimate_st = st.builds(
    fake_estimate,
    st.fixed_dictionaries({k: st.floats(0, 1e6) for k in ARCHITECTURES}),
    st.fixed_dictionaries({k: st.floats(1, 1e5) for k in ARCHITECTURES}),
)


@PROP
@given(answers_st, estimate_st)
def test_numbers_only_penalise_and_never_resurrect(a, est):
    s = Scenario.model_validate({"answers": a.model_dump(mode="json", exclude_none=True)})
    # the estimate measures the fit in context (every option priced: it fits); the answers use the measure, unless
    # they answer it themselves and the knowledge base's size is only assumed (an answer beats an assumption)
    measures = q.answered_ids(s) and (a.knowledge_fits_in_context is None or corpus_given(s))
    measured = s.with_changes(**{"answers.knowledge_fits_in_context": True}) if measures else s
    plain, checked = recommend(measured), recommend(s, est)
    for key in ARCHITECTURES:
        before, after = plain.get(key), checked.get(key)
        assert (before.verdict == "ruled out") == (after.verdict == "ruled out")
        assert before.score - after.score in (0, BUDGET_PENALTY, LATENCY_PENALTY, BUDGET_PENALTY + LATENCY_PENALTY)
        assert verdict_rank(after.verdict) >= verdict_rank(before.verdict)
    assert checked.winner.verdict != "ruled out"


def test_recommend_for_uses_the_engine_lazily(monkeypatch):
    engine = pytest.importorskip("planner.engine")
    calls = []
    est = fake_estimate({k: 10.0 for k in ARCHITECTURES}, {k: 100.0 for k in ARCHITECTURES})
    monkeypatch.setattr(engine, "estimate", lambda catalog, scenario: calls.append((catalog, scenario)) or est)
    rec = q.recommend_for("the catalog", RAG_SCENARIO)
    assert calls == [("the catalog", RAG_SCENARIO)]
    assert rec.findings and rec.findings[0].startswith("Estimated monthly cost at 100,000 queries")


def test_recommend_for_with_the_real_engine_and_default_catalog():
    engine = pytest.importorskip("planner.engine")
    loader = pytest.importorskip("pricing.loader")
    catalog = loader.load_catalog()
    rec = q.recommend_for(catalog, RAG_SCENARIO)
    est = engine.estimate(catalog, RAG_SCENARIO)
    assert rec.to_dict() == recommend(RAG_SCENARIO, est).to_dict()
    assert rec.get(F).verdict == "ruled out"
    assert any(x.startswith("Estimated monthly cost at 100,000 queries a month") for x in rec.findings)
    rag_cost = est.current[R].monthly_usd
    assert (rag_cost > 500) == any("RAG is recommended by the answers but costs" in x for x in rec.findings)
