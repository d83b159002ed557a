"""An answer beats an assumption; a number the user gave beats the answer (docs/formulas.md, "Knowledge base").

The founder's walk: a 120K-token manual, "the knowledge fits in context: yes", knowledge that never changes,
a knowledge gap prompting alone does not close. Before, the DEFAULT corpus (10,000 documents × 1,000 tokens
= 10,000,000 tokens, never entered) overrode the answer, ruled long context out and RAG was recommended.
Shipped catalog, `stack.llm` gpt-6-luna: a 1,050,000-token window.
"""

from __future__ import annotations

import json

import pytest

from planner.cli import main
from planner.engine import estimate
from planner.model.scenario import Scenario, corpus_given, given_paths
from planner.questionnaire import recommend

ANSWERS = """\
name: Founder
answers:
  knowledge_fits_in_context: true
  prompting_good_enough: false
  gap: knowledge
  knowledge_change: static
"""


def recommend_cli(capsys, tmp_path, text: str) -> dict:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    assert main(["recommend", "--scenario", str(p), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_answers_only_the_answer_stands_and_the_assumed_corpus_is_shown(capsys, tmp_path):
    out = recommend_cli(capsys, tmp_path, ANSWERS)
    assert out["winner"] == "long_context"  # RAG before: the default corpus overrode the answer
    ranked = {r["architecture"]: r for r in out["ranking"]}
    assert ranked["long_context"]["verdict"] != "ruled out"
    said = " ".join(out["findings"])
    # the conflict and the assumed corpus, and the question for the number
    assert "10,000 documents × 1,000 tokens (10,000,000 tokens)" in said
    assert "Your answer stands" in said and "Give the knowledge base's size" in said
    # the largest knowledge base that fits: 1,050,000 − 300 output − (300 system + 200 input) = 1,049,200 tokens
    # → 1,049 documents of 1,000 tokens
    assert "1,049 documents, 1,049,000 tokens" in said


def test_the_estimate_prices_the_largest_knowledge_base_that_fits(default_catalog):
    s = Scenario.model_validate({"answers": {"knowledge_fits_in_context": True}})
    est = estimate(default_catalog, s)
    assert "long_context" in est.priced and est.knowledge_base_note is not None
    assert est.warnings[0] == est.knowledge_base_note
    # long context's prompt: 300 system + 1,049 × 1,000 knowledge + 200 input = 1,049,500 tokens
    assert est.current["long_context"].input_tokens_per_query == 300 + 1_049 * 1_000 + 200
    # no answer: the assumed corpus is measured as before (ruled out, nothing settled)
    plain = estimate(default_catalog, Scenario())
    assert "long_context" in plain.ruled_out and plain.knowledge_base_note is None


def test_a_size_that_fits_is_priced_as_given(capsys, tmp_path):
    text = ANSWERS + "workload:\n  corpus_documents: 1\n  tokens_per_document: 120000\n"
    out = recommend_cli(capsys, tmp_path, text)
    assert out["winner"] == "long_context"
    assert not any("assumed" in f for f in out["findings"])


def test_a_size_the_user_gave_beats_the_answer_and_says_so(capsys, tmp_path):
    # the same 10,000 × 1,000 tokens as the default, but typed: measured, and it does not fit
    text = ANSWERS + "workload:\n  corpus_documents: 10000\n  tokens_per_document: 1000\n"
    out = recommend_cli(capsys, tmp_path, text)
    ranked = {r["architecture"]: r for r in out["ranking"]}
    assert ranked["long_context"]["verdict"] == "ruled out"
    assert out["winner"] != "long_context"
    assert any("by the size you gave" in f and "your numbers are used" in f for f in out["findings"])


def test_an_answer_that_it_does_not_fit_stands_over_an_assumed_size_that_would():
    # the ranking's rule, given a fit measured on an assumed size: the answer is kept, with the note; the same
    # fit measured on a size the user gave replaces the answer, and says so
    from planner.questionnaire.ranking import measured_fit

    s = Scenario.model_validate({"answers": {"knowledge_fits_in_context": False}})
    answers, note = measured_fit(s.answers, None, size_given=False)
    assert answers.knowledge_fits_in_context is False
    assert note is not None and "your answer is used" in note
    answers, note = measured_fit(s.answers, None, size_given=True)
    assert answers.knowledge_fits_in_context is True and note is not None and "your numbers are used" in note


def test_with_changes_keeps_what_was_given_apart_from_defaults():
    s = Scenario()
    assert given_paths(s) == frozenset() and not corpus_given(s)
    s = s.with_changes(**{"workload.top_k": 8})
    assert given_paths(s) == {"workload.top_k"}
    s = s.with_changes(**{"workload.corpus_documents": 10_000})  # the default's value, but typed
    assert corpus_given(s)
    assert s.workload.tokens_per_document == 1_000 and "workload.tokens_per_document" not in given_paths(s)


@pytest.mark.parametrize("fits", [True, False])
def test_recommend_without_an_estimate_is_unchanged(fits):
    rec = recommend(Scenario.model_validate({"answers": {"knowledge_fits_in_context": fits}}))
    assert rec.findings == ()


def test_a_downloaded_scenario_keeps_its_defaults_assumed():
    # the app's download and the CLI's file: a default written as a value would turn into the user's number on
    # upload (the founder's default corpus would then rule long context out)
    from planner.model.files import parse_scenario, scenario_yaml

    s = Scenario().with_changes(**{"workload.top_k": 8, "answers.knowledge_fits_in_context": True})
    text = scenario_yaml(s)
    back = parse_scenario(text, "s.yaml")
    assert back == s and given_paths(back) == given_paths(s)
    assert not corpus_given(back)
    assert "#   corpus_documents: 10000.0" in text  # shown, as an assumption


def test_a_link_keeps_a_typed_size_given_even_at_the_defaults_value():
    from planner.ui import params

    s = Scenario().with_changes(**{"workload.corpus_documents": 10_000, "answers.knowledge_fits_in_context": True})
    link = params.encode(s, Scenario())
    _, back, problems = params.decode(link, {})
    assert problems == [] and back == s and corpus_given(back)
    # not typed: the link leaves it out, and it stays assumed
    plain = Scenario().with_changes(**{"answers.knowledge_fits_in_context": True})
    _, back, _ = params.decode(params.encode(plain, Scenario()), {})
    assert not corpus_given(back)


def test_the_settled_knowledge_base_is_priced_after_a_scheduled_price_change_too(default_catalog):
    # gemini-4-argon (1,048,576-token window) from 2026-11-01: $2 / $10 in November, $4 / $20 from 2026-12-01.
    # Documents that fit: ⌊(1,048,576 − 300 output − 300 system − 200 input) ÷ 1,000⌋ = 1,047 → 1,047,500 input
    # tokens. No cache hits: 100,000 × (1,047,500 × 2 + 300 × 10) ÷ 1e6 = $209,800 in November, then
    # 100,000 × (1,047,500 × 4 + 300 × 20) ÷ 1e6 = $419,600 (not the assumed 10M-token corpus's ~$4M)
    s = Scenario.model_validate(
        {
            "start_date": "2026-11-01",
            "stack": {"llm": "gemini-4-argon"},
            "answers": {"knowledge_fits_in_context": True},
            "workload": {"cache_hit_share": 0},
        }
    )
    c = estimate(default_catalog, s).current["long_context"]
    assert c.monthly_by_month_usd[0] == pytest.approx(100_000 * (1_047_500 * 2 + 300 * 10) / 1e6)
    assert c.monthly_by_month_usd[1] == pytest.approx(100_000 * (1_047_500 * 4 + 300 * 20) / 1e6)
