"""The decision questionnaire: questions, every rule, the classic cases, properties, numbers, docs."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import questionnaire as q
from planner.engine import BreakEven, Estimate
from planner.model import format as fmt
from planner.model.answers import Answers, Gap, KnowledgeChange
from planner.model.scenario import ARCHITECTURES, Scenario, corpus_given
from planner.questionnaire import (
    BUDGET_PENALTY,
    LATENCY_PENALTY,
    QUESTIONS,
    RULES,
    VERDICTS,
    Cond,
    Rule,
    evaluate,
    generated_markdown,
    recommend,
    render_text,
    rules_markdown,
    template_fields,
)
from planner.questionnaire.conditions import C
from planner.questionnaire.render import documented

P, L, R, F, H = ARCHITECTURES
LEVELS = list(KnowledgeChange)


def rank_of(rec, key: str) -> int:
    return [r.key for r in rec.ranking].index(key)


def verdict_rank(verdict: str) -> int:
    """0 is best ("recommended"), 3 worst ("ruled out")."""
    return VERDICTS.index(verdict)


def fired(rec_or_answers) -> list[str]:
    if isinstance(rec_or_answers, q.Recommendation):
        return [r.rule for r in rec_or_answers.reasons]
    return [r.rule for r in evaluate(rec_or_answers)]


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------


def test_one_question_per_answer_in_file_order():
    assert [x.id for x in QUESTIONS] == list(Answers.model_fields)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda x: x.id)
def test_question_kind_matches_the_answer_type(question):
    assert question.text.endswith("?") or "Leave empty" in question.text
    assert len(question.help) > 40
    enums = {"knowledge_change": KnowledgeChange, "gap": Gap}
    numbers = {
        "latency_p95_ms": "ms",
        "first_token_p95_ms": "ms",
        "labeled_examples": "examples",
        "monthly_budget_usd": "USD per month",
        "queries_per_month": "queries per month",
    }
    if question.id in enums:
        assert question.kind == "choice"
        assert [v for v, _ in question.choices] == [e.value for e in enums[question.id]]
        assert all(label for _, label in question.choices)
        assert question.unit is None
    elif question.id in numbers:
        assert question.kind == "number"
        assert question.unit == numbers[question.id]
        assert question.choices == ()
    else:
        assert question.kind == "bool"
        assert question.choices == () and question.unit is None


# ---------------------------------------------------------------------------
# The rule table
# ---------------------------------------------------------------------------

#: rule id -> (answers that fire it, answers that do not, text its explanation must contain)
RULE_CASES: dict[str, tuple[dict, dict, str]] = {
    "citations_need_sources": (
        {"citations_required": True},
        {"citations_required": False},
        "cannot show where a fact came from",
    ),
    "too_few_examples": ({"labeled_examples": 49}, {"labeled_examples": 50}, "Only 49 good examples"),
    "data_out_of_weights": (
        {"data_must_stay_external": True},
        {"data_must_stay_external": False},
        "out of model weights",
    ),
    "knowledge_gap_needs_knowledge": (
        {"knowledge_fits_in_context": True, "gap": "knowledge"},
        {"knowledge_fits_in_context": False, "gap": "behavior"},
        "The gap is knowledge: prompt only answers from the model's weights and a prompt without your knowledge base",
    ),
    "knowledge_not_in_context": (
        {"knowledge_fits_in_context": False},
        {"knowledge_fits_in_context": True},
        "long context is ruled out",
    ),
    "knowledge_static": (
        {"knowledge_change": "static"},
        {"knowledge_change": "quarterly"},
        "Knowledge changes rarely or never",
    ),
    "knowledge_changes_monthly": (
        {"knowledge_change": "monthly"},
        {"knowledge_change": "quarterly"},
        "Knowledge changes monthly: a fine-tuned model would need retraining every month to stay fresh",
    ),
    "knowledge_changes_weekly": (
        {"knowledge_change": "weekly"},
        {"knowledge_change": "monthly"},
        "Knowledge changes weekly",
    ),
    "knowledge_realtime": ({"knowledge_change": "realtime"}, {"knowledge_change": "daily"}, "in real time"),
    "gap_knowledge": ({"gap": "knowledge"}, {"gap": "both"}, "The gap is knowledge"),
    "gap_knowledge_in_context": (
        {"gap": "knowledge", "knowledge_fits_in_context": True},
        {"gap": "knowledge", "knowledge_fits_in_context": False},
        "long context adds the facts as retrieval does",
    ),
    "gap_both_in_context": (
        {"gap": "both", "knowledge_fits_in_context": True},
        {"gap": "knowledge", "knowledge_fits_in_context": True},
        "long context supplies the knowledge as retrieval does",
    ),
    "gap_behaviour": ({"gap": "behavior"}, {"gap": "knowledge"}, "The gap is behavior"),
    "gap_both": ({"gap": "both"}, {"gap": "behavior"}, "hybrid"),
    "strict_format": ({"strict_output_format": True}, {"strict_output_format": False}, "strict format"),
    "consistent_voice": ({"consistent_voice": True}, {"consistent_voice": False}, "voice"),
    "format_and_fresh_knowledge": (
        {"strict_output_format": True, "knowledge_change": "monthly"},
        {"strict_output_format": True, "knowledge_change": "quarterly"},
        "knowledge that changes monthly",
    ),
    "voice_and_fresh_knowledge": (
        {"consistent_voice": True, "knowledge_change": "daily"},
        {"consistent_voice": False, "knowledge_change": "daily"},
        "knowledge that changes daily",
    ),
    "citations_from_retrieval": ({"citations_required": True}, {"citations_required": False}, "cite them"),
    "citations_and_format": (
        {"citations_required": True, "strict_output_format": True},
        {"citations_required": True, "strict_output_format": False},
        "Cited answers in a strict format",
    ),
    "prompting_works": ({"prompting_good_enough": True}, {"prompting_good_enough": False}, "already reaches"),
    "prompting_falls_short": ({"prompting_good_enough": False}, {"prompting_good_enough": True}, "falls short"),
    "knowledge_fits": (
        {"knowledge_fits_in_context": True},
        {"knowledge_fits_in_context": False},
        "fits in the context window",
    ),
    "knowledge_too_big": ({"knowledge_fits_in_context": False}, {"knowledge_fits_in_context": True}, "does not fit"),
    "enough_examples": ({"labeled_examples": 500}, {"labeled_examples": 499}, "500 good examples"),
    "many_examples": ({"labeled_examples": 1000}, {"labeled_examples": 999}, "1,000 good examples"),
    "high_volume": ({"queries_per_month": 1_000_000}, {"queries_per_month": 999_999}, "1,000,000 queries a month"),
    "low_volume": ({"queries_per_month": 9_999}, {"queries_per_month": 10_000}, "9,999 queries a month"),
    "small_budget": ({"monthly_budget_usd": 499}, {"monthly_budget_usd": 500}, "A budget of $499 a month"),
    "tight_latency": ({"latency_p95_ms": 999}, {"latency_p95_ms": 1000}, "A p95 limit of 999 ms"),
    "tight_first_token": (
        {"first_token_p95_ms": 500},
        {"first_token_p95_ms": 1000},
        "A first-token p95 limit of 500 ms",
    ),
    "use_case_unstable": ({"use_case_stable": False}, {"use_case_stable": True}, "not stable yet"),
    "use_case_stable": ({"use_case_stable": True}, {"use_case_stable": False}, "The use case is stable"),
    "no_ml_capacity": ({"ml_team_capacity": False}, {"ml_team_capacity": True}, "No capacity"),
    "ml_capacity": ({"ml_team_capacity": True}, {"ml_team_capacity": False}, "can run training pipelines"),
    "data_external_hybrid_caution": (
        {"data_must_stay_external": True},
        {"data_must_stay_external": False},
        "hybrid may still tune behavior only",
    ),
}


def test_every_rule_has_a_case_and_ids_are_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(RULE_CASES), "add a (fires, does not fire, text) case for each new rule"


def test_rule_table_shape():
    hard = [r for r in RULES if r.kind == "hard"]
    assert {r.id for r in hard} == {
        "citations_need_sources",
        "too_few_examples",
        "data_out_of_weights",
        "knowledge_gap_needs_knowledge",
        "knowledge_not_in_context",
    }
    # hard rules come first in the table
    assert RULES[: len(hard)] == tuple(hard)
    for r in RULES:
        assert (r.kind == "hard") == bool(r.rule_out) == (not r.effects)
        # an explanation only quotes answers its condition needs, so never an unanswered one
        assert template_fields(r.explanation) <= {c.field for c in r.condition}
    # no rule can rule RAG out: there is always a winner that is not ruled out
    assert all(R not in r.rule_out for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_fires_on_its_condition_and_moves_what_it_says(rule):
    fires, quiet, text = RULE_CASES[rule.id]
    a, b = Answers(**fires), Answers(**quiet)
    assert rule.applies(a) and rule.id in fired(a)
    assert not rule.applies(b) and rule.id not in fired(b)
    assert not rule.applies(Answers()), "an unanswered question never fires a rule"

    explanation = rule.explain(a)
    assert text in explanation
    assert "{" not in explanation

    with_rule = recommend(a)
    without = recommend(a, rules=tuple(r for r in RULES if r is not rule))
    for key in ARCHITECTURES:
        delta = with_rule.get(key).score - without.get(key).score
        assert delta == rule.effects.get(key, 0), key
    for key in rule.rule_out:
        assert with_rule.get(key).verdict == "ruled out"
        assert without.get(key).verdict != "ruled out"
    for key in set(rule.effects) | rule.rule_out:
        assert explanation in with_rule.get(key).reasons
    for key in set(ARCHITECTURES) - set(rule.effects) - rule.rule_out:
        assert explanation not in with_rule.get(key).reasons


def test_the_issue_s_example_sentence():
    rec = recommend(Answers(knowledge_change="weekly"))
    assert any(
        t.startswith("Knowledge changes weekly: a fine-tuned model would need retraining every week to stay fresh")
        for t in rec.get(F).reasons
    )


def test_boundaries_of_the_examples_rules():
    assert fired(Answers(labeled_examples=0)) == ["too_few_examples"]
    assert fired(Answers(labeled_examples=49)) == ["too_few_examples"]
    assert fired(Answers(labeled_examples=50)) == []
    assert fired(Answers(labeled_examples=499)) == []
    assert fired(Answers(labeled_examples=500)) == ["enough_examples"]
    assert fired(Answers(labeled_examples=1000)) == ["enough_examples", "many_examples"]
    rec = recommend(Answers(labeled_examples=49))
    assert rec.get(F).verdict == rec.get(H).verdict == "ruled out"
    assert rec.get(P).verdict == rec.get(R).verdict == "viable"


def test_quarterly_knowledge_is_neutral():
    assert fired(Answers(knowledge_change="quarterly")) == []


def test_knowledge_too_big_only_rules_out_prompt_when_knowledge_is_missing():
    rec = recommend(Answers(knowledge_fits_in_context=False, gap="behavior"))
    assert rec.get(P).verdict != "ruled out"
    rec = recommend(Answers(knowledge_fits_in_context=False))  # gap unanswered: it only weighs
    assert rec.get(P).verdict != "ruled out" and rec.get(P).score == -2


def test_conditions_are_validated():
    with pytest.raises(ValueError, match="unknown answer"):
        Cond("knowledge_changes", "==", "weekly")
    with pytest.raises(ValueError, match="unknown choice"):
        Cond("knowledge_change", ">=", "fortnightly")
    with pytest.raises(ValueError, match="unknown operator"):
        Cond("labeled_examples", "=>", 3)
    c = Cond("knowledge_change", ">=", KnowledgeChange.weekly)
    assert c.holds(Answers(knowledge_change="realtime")) and not c.holds(Answers(knowledge_change="monthly"))
    assert not c.holds(Answers())
    assert Cond("gap", "in", ("knowledge", "both")).describe() == "gap in {knowledge, both}"


def test_rules_are_validated():
    cond = (Cond("labeled_examples", "<", 10),)
    with pytest.raises(ValueError, match="hard rule"):
        Rule("x", cond, "text", "hard", effects={F: -1}, rule_out={F})
    with pytest.raises(ValueError, match="soft rule"):
        Rule("x", cond, "text", "soft")
    with pytest.raises(ValueError, match="not in its condition"):
        Rule("x", cond, "Budget {monthly_budget_usd}", "soft", effects={P: 1})
    with pytest.raises(ValueError, match="unknown architectures"):
        Rule("x", cond, "text", "soft", effects={"agents": 1})


# ---------------------------------------------------------------------------
# The classic cases, as practitioners expect, each with its reasons
# ---------------------------------------------------------------------------


def test_fast_changing_facts_with_citations_recommend_rag():
    rec = recommend(Answers(knowledge_change="daily", citations_required=True))
    assert rec.winner.key == R and rec.winner.verdict == "recommended"
    assert [r.key for r in rec.ranking] == [R, H, P, L, F]
    assert rec.get(F).verdict == "ruled out"
    assert {"citations_need_sources", "knowledge_changes_weekly", "citations_from_retrieval"} <= set(fired(rec))
    assert any("retraining every day" in t for t in rec.winner.reasons)
    assert any("hallucinates" in w for w in rec.watch_outs)
    assert any("retrieval quality" in w for w in rec.watch_outs)
    assert any("re-index" in w for w in rec.watch_outs)


def test_fuller_knowledge_case_recommends_rag():
    rec = recommend(
        Answers(
            knowledge_change="weekly",
            gap="knowledge",
            citations_required=True,
            knowledge_fits_in_context=False,
            prompting_good_enough=False,
            labeled_examples=20,
        )
    )
    assert rec.winner.key == R and rec.winner.verdict == "recommended"
    assert {rec.get(k).verdict for k in (P, F, H)} == {"ruled out"}


def test_stable_facts_strict_json_many_examples_high_volume_recommend_fine_tuned():
    rec = recommend(
        Answers(
            knowledge_change="static",
            strict_output_format=True,
            labeled_examples=1000,
            queries_per_month=5_000_000,
        )
    )
    assert rec.winner.key == F and rec.winner.verdict == "recommended"
    assert rec.get(H).verdict == "viable" and rec.get(H).score < rec.winner.score
    assert {"knowledge_static", "strict_format", "enough_examples", "many_examples", "high_volume"} <= set(fired(rec))
    assert any("5,000,000 queries a month" in t for t in rec.winner.reasons)
    assert any("goes stale" in w for w in rec.watch_outs)
    assert [s.stage for s in rec.plan][0] == "first" and "Fine-tune a smaller model" in rec.plan[-2].text


def test_fast_changing_facts_and_strict_format_recommend_hybrid():
    rec = recommend(Answers(knowledge_change="weekly", strict_output_format=True, labeled_examples=1000))
    assert rec.winner.key == H and rec.winner.verdict == "recommended"
    assert rec.get(R).score < rec.winner.score and rec.get(F).score < rec.winner.score
    assert "format_and_fresh_knowledge" in fired(rec)
    assert any("hybrid's case" in t for t in rec.winner.reasons)
    assert any("most complex to run" in w for w in rec.watch_outs)
    # the field's order: prompting, then RAG, then fine-tuning layered with RAG
    assert [s.stage for s in rec.plan] == ["first", "next", "later"]
    assert "retrieval" in rec.plan[1].text and "Fine-tune" in rec.plan[2].text


def test_hybrid_without_enough_examples_is_ruled_out_not_recommended():
    rec = recommend(Answers(knowledge_change="weekly", strict_output_format=True, labeled_examples=10))
    assert rec.get(H).verdict == rec.get(F).verdict == "ruled out"
    assert rec.winner.key == R


def test_working_prompt_on_static_knowledge_that_fits_recommends_prompt_only():
    rec = recommend(Answers(prompting_good_enough=True, knowledge_change="static", knowledge_fits_in_context=True))
    assert rec.winner.key == P and rec.winner.verdict == "recommended"
    assert {"prompting_works", "knowledge_fits", "knowledge_static"} <= set(fired(rec))
    assert rec.get(H).verdict == "not advised"
    assert any("Context cost grows with volume" in w for w in rec.watch_outs)


def test_data_kept_out_of_weights_leaves_hybrid_with_a_caution():
    rec = recommend(
        Answers(
            gap="both",
            knowledge_change="weekly",
            strict_output_format=True,
            labeled_examples=2000,
            data_must_stay_external=True,
        )
    )
    assert rec.get(F).verdict == "ruled out"
    assert rec.winner.key == H and rec.winner.verdict == "recommended"
    assert any("tune behavior only" in t for t in rec.winner.reasons)
    assert any("tune behavior only" in w for w in rec.watch_outs)
    assert any("Tune behavior only" in s.text for s in rec.plan)


def test_no_answers_everything_viable_simplest_first():
    rec = recommend(Answers())
    assert [(r.key, r.score, r.verdict) for r in rec.ranking] == [(k, 0, "viable") for k in ARCHITECTURES]
    assert rec.winner.key == P and rec.reasons == () and rec.findings == ()
    assert "No answers yet" in render_text(rec)


def test_ties_break_simplest_first():
    # fine-tuned and hybrid both at +1: fine-tuned (simpler) first
    rec = recommend(Answers(ml_team_capacity=True))
    assert [r.key for r in rec.ranking] == [F, H, P, L, R]


def test_recommend_accepts_a_scenario():
    s = Scenario.model_validate({"answers": {"knowledge_change": "daily", "citations_required": True}})
    assert recommend(s).to_dict() == recommend(s.answers).to_dict()
    with pytest.raises(TypeError):
        recommend({"knowledge_change": "daily"})


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


def snap(monthly, p95, one_time=16_000.0):
    """An option's figures at 100,000 queries a month: `monthly` a month, `one_time` up front, p95 `p95` ms."""
    return {"monthly_usd": monthly, "latency_p95_ms": p95, "one_time_total_usd": one_time}


#: The engine's estimate the number tests start from: the mini catalog's stack at 100,000 queries a month, with
#: a knowledge base of 20 × 1,000 tokens that fits `big`'s 100,000-token window, so all five options are priced.
ENGINE_SCENARIO = Scenario.model_validate(
    {
        "name": "questionnaire numbers",
        "workload": {"queries_per_month": 100_000, "corpus_documents": 20, "tokens_per_document": 1000},
        "stack": {
            "embedding_model": "emb",
            "vector_store": "pine",
            "reranker": "rr",
            "llm": "big",
            "fine_tune": "ft-api",
        },
    }
)


@functools.cache
def engine_estimate() -> Estimate:
    from planner.engine import estimate
    from pricing.loader import load_catalog

    est = estimate(load_catalog(ROOT / "tests" / "fixtures" / "mini_catalog.yaml"), ENGINE_SCENARIO)
    assert est.priced == ARCHITECTURES and est.current[R].queries_per_month == 100_000
    return est


def hand_estimate(current: dict, break_evens=(), misfit: str | None = None) -> Estimate:
    """The engine's estimate (`engine_estimate`) with the figures the questionnaire reads set by hand, so a test
    chooses where the budget and the latency limit fall: each option of `current` gets the figures `snap` gives
    (per 1,000 queries: a hundredth of the monthly spend at 100,000 queries; TCO: one-time + 12 months); every
    other field is the engine's. Nothing is ruled out but long context when `current` leaves it out (for
    `misfit`, the knowledge base measured not to fit the context window; else its model fits no GPU)."""
    est = engine_estimate()
    snaps = {}
    for k, f in current.items():
        tco = f["one_time_total_usd"] + 12 * f["monthly_usd"]
        snaps[k] = replace(
            est.current[k],
            monthly_usd=f["monthly_usd"],
            monthly_low_usd=f["monthly_usd"],
            monthly_high_usd=f["monthly_usd"],
            usd_per_1k_queries=f["monthly_usd"] / 100,
            latency_p50_ms=f["latency_p95_ms"],
            latency_p95_ms=f["latency_p95_ms"],
            one_time_total_usd=f["one_time_total_usd"],
            tco_usd=tco,
            tco_low_usd=tco,
            tco_high_usd=tco,
        )
    return replace(
        est,
        scenario=Scenario(),  # no latency limit, no budget: the tests pass theirs to `recommend`
        series={k: est.series[k] for k in snaps},  # the options priced
        current=snaps,
        break_evens=tuple(break_evens),
        ruled_out={} if L in snaps else {L: misfit or NO_GPU},
        context_misfit=misfit,
    )


NO_GPU = "Long context: its model fits no GPU replica."


def crossing(a, b, queries_per_month, cheaper_below, cheaper_above):
    return BreakEven(a, b, queries_per_month, 0.0, cheaper_below, cheaper_above, at_step=False)


def fake_estimate(costs: dict, p95s: dict, break_evens=(), misfit: str | None = None):
    return hand_estimate({k: snap(costs[k], p95s[k]) for k in costs}, break_evens, misfit)


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


# ---------------------------------------------------------------------------
# Output: JSON, text, Markdown, docs
# ---------------------------------------------------------------------------


def test_to_dict_is_json_ready_with_the_documented_shape():
    rec = recommend(Answers(knowledge_change="daily", citations_required=True))
    d = json.loads(json.dumps(rec.to_dict()))
    assert {"ranking", "watch_outs", "plan", "findings"} <= set(d)
    assert [r["architecture"] for r in d["ranking"]] == [R, H, P, L, F]
    assert set(d["ranking"][0]) == {"architecture", "label", "score", "verdict", "reasons"}
    assert d["ranking"][0]["label"] == "RAG" and d["ranking"][0]["verdict"] == "recommended"
    assert d["ranking"][-1]["verdict"] == "ruled out"
    assert all(set(s) == {"stage", "text"} for s in d["plan"])
    assert d["winner"] == R
    assert d["reasons"][0] == {
        "rule": "citations_need_sources",
        "kind": "hard",
        "text": rec.reasons[0].text,
        "effects": {},
        "rules_out": [F],
    }


def test_render_text_sections():
    rec = recommend(Answers(knowledge_change="weekly", strict_output_format=True, labeled_examples=1000))
    text = render_text(rec)
    assert text.startswith("Recommendation: Hybrid (recommended, score +6)\n")
    for heading in ("Ranking", "Because", "Watch-outs (Hybrid)", "Plan"):
        assert f"\n{heading}\n" in text
    assert "[Hybrid +3]" in text
    assert "Numbers" not in text


def test_results_are_frozen():
    rec = recommend(Answers())
    with pytest.raises(AttributeError):
        rec.ranking = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        rec.winner.score = 3  # type: ignore[misc]
    assert isinstance(RULES[0].rule_out, frozenset)
    with pytest.raises(TypeError):
        RULES[5].effects[P] = 9  # type: ignore[index]


def test_docs_contain_the_generated_tables():
    doc = (ROOT / "docs" / "decision-rules.md").read_text(encoding="utf-8")
    assert generated_markdown() in doc, "regenerate with: python -m planner.questionnaire --update-docs"
    assert documented(doc) == doc  # what --update-docs writes is what is there
    for r in RULES:
        assert f"| `{r.id}` |" in rules_markdown()
    assert "_sync_answers" in doc


def test_markdown_command(capsys):
    assert q.main(["--markdown"]) == 0
    assert capsys.readouterr().out == generated_markdown()
    assert q.main([]) == 2


def test_update_docs_rewrites_only_the_tables_between_the_markers(tmp_path, monkeypatch, capsys):
    from planner.questionnaire import render

    doc = tmp_path / "decision-rules.md"
    doc.write_text(f"# Rules\n\nprose\n\n{render.BEGIN}\n\nstale table\n\n{render.END}\n\nmore prose\n")
    monkeypatch.setattr(render, "DOC", doc)
    assert q.main(["--update-docs"]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Rules\n\nprose\n\n{render.BEGIN}\n\n{generated_markdown()}\n{render.END}\n\nmore prose\n"
    # without its markers the file is left as it was, and the command says why
    doc.write_text("no markers\n")
    assert q.main(["--update-docs"]) == 1
    assert doc.read_text() == "no markers\n" and "markers" in capsys.readouterr().err


def test_choice_answers_compare_in_the_order_of_their_question():
    # daily comes after monthly in the question's choices (alphabetically it comes before)
    assert C("knowledge_change", ">=", "monthly").holds(Answers(knowledge_change="daily"))
    assert not C("knowledge_change", "<", "monthly").holds(Answers(knowledge_change="daily"))
    # a choice question whose choices have no order refuses a comparison, at table-building time
    with pytest.raises(ValueError, match="no order"):
        C("gap", "<", "both")


def test_planner_questionnaire_does_not_import_streamlit():
    code = "import sys, planner.questionnaire; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------------------
# Statements that hold at the user's volume; a ranking that explains itself
# ---------------------------------------------------------------------------

SUPPORT_BOT_ANSWERS = {
    "knowledge_change": "weekly",
    "gap": "knowledge",
    "citations_required": True,
    "knowledge_fits_in_context": False,
    "monthly_budget_usd": 1500,
    "queries_per_month": 200_000,
}


def _costs(**by_key: float):
    """Every architecture but long context at $9,999 unless given (the knowledge base does not fit: long context
    is ruled out, `MISFIT`)."""
    return {k: by_key.get(k, 9_999.0) for k in ARCHITECTURES if k != L}


MISFIT = "Long context is ruled out: the knowledge base does not fit the model's context window."


def test_equal_costs_read_as_a_tie_and_no_pair_is_called_cheaper_both_ways():
    # The self-hosted Llama stack of issue 13: RAG $2,633.327 and Hybrid $2,633.387 a month at 200K
    # (same GPU, hybrid adds $0.06 of retraining); the pair crosses three times at capacity steps.
    s = Scenario.model_validate({"answers": SUPPORT_BOT_ANSWERS})
    crossings = [
        crossing("rag", b="hybrid", queries_per_month=4_291_419.0, cheaper_below="rag", cheaper_above="hybrid"),
        crossing("rag", b="hybrid", queries_per_month=5_311_162.0, cheaper_below="hybrid", cheaper_above="rag"),
        crossing("rag", b="hybrid", queries_per_month=8_582_838.0, cheaper_below="rag", cheaper_above="hybrid"),
    ]
    est = fake_estimate(_costs(rag=2633.327, hybrid=2633.3868), {k: 800.0 for k in ARCHITECTURES}, crossings, MISFIT)
    rec = recommend(s, est)
    text = " ".join(rec.findings)
    assert "is the cheaper of the two" not in text and "Hybrid is cheaper" not in text
    pair = [f for f in rec.findings if f.startswith("RAG and Hybrid")]
    assert pair == [
        # the crossings as intervals, each volume once: one story, not "cheaper below X" then "above Y"
        "RAG and Hybrid break even 3 times: RAG is cheaper below 4,291,419; Hybrid between 4,291,419 and "
        "5,311,162; RAG between 5,311,162 and 8,582,838; Hybrid above 8,582,838 queries a month. "
        "At your 200,000, the two cost the same "
        f"({fmt.usd(2633.327)}/month): a tie, not a reason to switch."
    ]
    # over budget, neither fits: both cheapest, named as a tie
    assert any(f"the cheapest are RAG and Hybrid, at {fmt.usd(2633.327)}/month each." in f for f in rec.findings)


def test_the_cheaper_of_a_pair_is_read_from_the_costs_at_the_volume():
    # the break-even says RAG is cheaper above 150,000 but at 200,000 the costs say Hybrid ($900 < $1,000)
    s = Scenario.model_validate({"answers": SUPPORT_BOT_ANSWERS})
    be = [crossing("rag", b="hybrid", queries_per_month=150_000.0, cheaper_below="hybrid", cheaper_above="rag")]
    rec = recommend(s, fake_estimate(_costs(rag=1000.0, hybrid=900.0), {k: 800.0 for k in ARCHITECTURES}, be, MISFIT))
    assert rec.winner.key == "rag"
    msg = next(f for f in rec.findings if "break even" in f)
    assert "At your 200,000, Hybrid is cheaper: the numbers favor it over RAG" in msg


def test_every_answer_counts_the_linked_numbers_too():
    a = Answers(labeled_examples=20, queries_per_month=5_000_000)
    rec = recommend(a)
    assert rec.answered_ids == ("labeled_examples", "queries_per_month")
    assert rec.has_verdict
    assert {"too_few_examples", "high_volume"} <= set(fired(rec))
    assert rec.get("fine_tuned").verdict == "ruled out"
    assert not recommend(Answers()).has_verdict


def test_the_scoring_explains_itself_and_a_ruled_out_option_shows_no_score():
    text = q.scoring_text()
    for needle in (
        "+4 or more",
        "“recommended”",
        "-2 to +3",
        "“viable”",
        "below -2",
        "“not advised”",
        "simplest first",
    ):
        assert needle in text, needle
    assert "Prompt only, " in text and text.endswith("Hybrid.")
    rec = recommend(Answers(citations_required=True, gap="knowledge"))
    ft = rec.get("fine_tuned")
    assert ft.ruled_out and q.score_text(ft) == "—"
    assert q.score_text(rec.get("rag")) == f"{rec.get('rag').score:+d}"
    assert rec.ranking[-1].ruled_out  # listed last


def test_no_reason_is_listed_twice_for_an_architecture():
    twice = Rule("twice", (Cond("gap", "==", "knowledge"),), "Same words.", "soft", effects={"rag": 1})
    rules = (*RULES, twice, Rule("again", (Cond("gap", "==", "knowledge"),), "Same words.", "soft", effects={"rag": 1}))
    rec = recommend(Answers(gap="knowledge"), rules=rules)
    reasons = rec.get("rag").reasons
    assert len(reasons) == len(set(reasons)) and reasons.count("Same words.") == 1


# ------------------------------------------------------------------ the walk-throughs' cases (issue 21)


def _founder(llm: str) -> Scenario:
    """The founder's case: a 120K-token manual, a knowledge gap, a $100 budget, 20,000 queries a month."""
    return Scenario.model_validate(
        {
            "workload": {"corpus_documents": 1, "tokens_per_document": 120_000, "queries_per_month": 20_000},
            "stack": {"llm": llm},
            "answers": {"gap": "knowledge", "monthly_budget_usd": 100, "knowledge_change": "quarterly"},
        }
    )


@pytest.mark.parametrize("llm", ["claude-haiku-4.5", "claude-sonnet-4.5"])
def test_founders_case_a_knowledge_gap_never_picks_prompt_only_and_long_context_gets_the_knowledge_credit(llm):
    from planner.engine import estimate
    from pricing.loader import load_catalog

    s = _founder(llm)
    est = estimate(load_catalog(), s)
    assert est.context_misfit is None  # the manual fits the window: the measured answer is "fits"
    rec = recommend(s, est)
    # prompt only never sees the manual: ruled out, however cheap ($42 a month with Haiku, under the budget)
    assert rec.get(P).verdict == "ruled out" and "cannot supply the facts" in rec.get(P).reasons[0]
    # both long context and RAG are over the $100 budget (-2 each); long context keeps the knowledge credit:
    # knowledge_fits +3, gap_knowledge_in_context +2, budget -2 = 3; RAG: gap_knowledge +2, knowledge_fits -1,
    # budget -2 = -1
    assert est.current[L].monthly_usd > 100 and est.current[R].monthly_usd > 100
    assert rec.get(L).score == 3 + 2 - 2 and rec.get(R).score == 2 - 1 - 2
    assert rec.winner.key == L and rec.winner.verdict == "viable"
    assert any("long context adds the facts" in t for t in rec.get(L).reasons)


def test_legal_qa_a_recommended_option_stands_above_a_viable_one_with_a_higher_score():
    from planner.engine import estimate
    from planner.model.files import SCENARIOS_DIR, load_scenario
    from planner.presentation import verdict
    from pricing.loader import load_catalog

    s = load_scenario(SCENARIOS_DIR / "legal-qa.yaml")
    rec = recommend(s, estimate(load_catalog(), s))
    rag, hybrid = rec.get(R), rec.get(H)
    # hybrid outscores RAG on the answers but is over the $5,000 budget: capped at "viable"
    assert hybrid.score > rag.score and hybrid.verdict == "viable" and rag.verdict == "recommended"
    assert [r.key for r in rec.ranking][:2] == [R, H]  # verdict class first, then score
    assert verdict.headline(rec) == f"Recommended: RAG (score {rag.score:+d})."
    assert "verdict first" in q.scoring_text()


def test_nothing_fits_rules_every_option_out_and_names_the_ways_out():
    from planner.engine import estimate
    from pricing.loader import load_catalog

    s = Scenario().with_changes(**{"stack.serving": "self_hosted", "answers.labeled_examples": 0})
    rec = recommend(s, estimate(load_catalog(), s))
    assert rec.nothing_fits and all(r.verdict == "ruled out" for r in rec.ranking)
    assert rec.to_dict()["winner"] is None and rec.to_dict()["nothing_fits"] is True
    assert "At least 50 labeled examples (you have 0) would make fine-tuned and hybrid possible." in rec.ways_out
    assert any(
        "is not open weights, so it cannot run on your GPUs" in w and "serve through the API" in w for w in rec.ways_out
    )
    # a ruled-out option's reasons are what rules it out, never a rule that argues for it
    for r in rec.ranking:
        assert all("ruled out" in t or "not viable" in t for t in r.reasons), (r.key, r.reasons)
