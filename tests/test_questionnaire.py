"""The decision questionnaire's questions and rules: one question per answer, every rule firing on its condition
and moving what it says (a case per rule in `RULE_CASES`), the rule table's shape and validation, and the
classic cases practitioners expect, each with its reasons."""

from __future__ import annotations

import pytest

from planner.model.answers import Answers, Gap, KnowledgeChange
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.questionnaire import QUESTIONS, RULES, Cond, Rule, recommend, render_text, template_fields
from tests.recommendation_helpers import F, H, L, P, R, fired

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
