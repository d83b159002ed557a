"""planner.presentation.verdict: the budget crossing, the evidence beside the pick, the verdict line.

Hand-checked against tests/fixtures/mini_catalog.yaml (round numbers), the arithmetic in each test.
"""

from __future__ import annotations

import pytest

from planner.engine import estimate
from planner.model import format as fmt
from planner.model.answers import Answers
from planner.model.scenario import Scenario
from planner.presentation import verdict
from planner.questionnaire import recommend
from pricing.loader import parse_catalog
from tests.hand_scenario import BASE_STACK

STACK = BASE_STACK
W = {
    "queries_per_month": 100_000,
    "peak_to_average_ratio": 1,
    "system_prompt_tokens": 100,
    "input_tokens_per_query": 200,
    "output_tokens_per_query": 300,
    "few_shot_tokens": 1000,
    "top_k": 4,
    "chunk_tokens": 500,
    "chunk_overlap_tokens": 50,
}


def make(budget=None, **stack) -> Scenario:
    return Scenario.model_validate({"workload": W, "stack": {**STACK, **stack}, "monthly_budget_usd": budget})


def test_budget_crossing_of_a_per_token_option_is_exact(mini):
    # prompt only on `big`: input 100 + 200 + 1,000 = 1,300 tokens × $1/1M = $0.0013,
    # output 300 × $4/1M = $0.0012: $0.0025 a query, so $500 is reached at 500 / 0.0025 = 200,000 queries.
    bc = verdict.budget_crossings(mini, make(500), "prompt_only")
    assert bc.crossings == (pytest.approx(200_000, rel=1e-9),)
    assert bc.first_over == pytest.approx(200_000, rel=1e-9)
    assert not bc.over_at_start and bc.under_at(150_000) and not bc.under_at(250_000)
    assert verdict.budget_sentence(bc, 100_000) == (
        "Prompt only stays under the $500 budget up to 200,000 queries a month; at your 100,000 it is under it."
    )
    assert verdict.budget_crossings(mini, make(None), "prompt_only") is None  # no budget, nothing to say


def test_budget_crossing_at_a_capacity_step(mini):
    # self-hosted `small` (8B) on `gpu`: 1,000 × 8/8 = 1,000 tokens/s a replica at 60% utilisation;
    # work per query 300 + 1,300 × 0.1 = 430; one replica serves 1,000 × 0.6 × 2,628,000 s / 430
    # = 3,666,976.74 queries a month (peak = average). A replica is 3.6 × 730 = $2,628/month, so a $3,000
    # budget holds for one replica and is crossed where the second one starts.
    s = make(3000, llm="small", fine_tune="ft-gpu", serving="self_hosted")
    bc = verdict.budget_crossings(mini, s, "prompt_only")
    assert bc.fixed_usd == pytest.approx(2628.0)
    assert bc.crossings[0] == pytest.approx(1000 * 0.6 * 730 * 3600 / 430, rel=1e-8)
    # below the one replica's price: above the budget at any volume
    bc = verdict.budget_crossings(mini, s.with_changes(monthly_budget_usd=2000), "prompt_only")
    assert bc.over_at_start and bc.crossings == () and bc.first_over is None
    assert verdict.budget_sentence(bc, 100_000) == (
        f"Prompt only is above the {fmt.usd(2000)} budget at any volume: its fixed costs alone are "
        f"{fmt.usd(2628)}/month."  # 3.6 × 730
    )


def test_weak_evidence_names_the_unverified_price_under_the_largest_cost(mini_catalog_text):
    text = mini_catalog_text.replace(
        '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01}',
        '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01, verified: false}',
    )
    assert text != mini_catalog_text
    cat = parse_catalog(text, "mini.yaml").catalog
    # RAG on `small` via API: (300 + 4 × 500 + 1,000 + ... ) tokens at $0.2/1M stay under a cent a query,
    # while reranking is 100,000 × $2 / 1,000 = $200: the largest component
    est = estimate(cat, make(llm="small"))
    weak = verdict.weak_evidence(est, "rag")
    assert weak is not None and weak.component == "reranking"
    assert weak.component_usd == pytest.approx(200.0)
    assert [p.field for p in weak.prices] == ["usd_per_1k_searches"]
    assert weak.sentence().startswith("Check this price: reranking is RAG's largest cost ($200 of $")
    # prompt only has no reranking: nothing to flag
    assert verdict.weak_evidence(est, "prompt_only") is None
    # the same estimate on the verified catalog flags nothing
    assert (
        verdict.weak_evidence(estimate(parse_catalog(mini_catalog_text, "m").catalog, make(llm="small")), "rag") is None
    )


def test_verdict_line_names_the_pick_and_the_ruled_out_and_waits_for_an_answer():
    assert verdict.verdict_line(recommend(Answers())) == (
        "No recommendation yet: answer the questions on the Decide page."
    )
    rec = recommend(Answers(citations_required=True, gap="knowledge", knowledge_change="daily"))
    line = verdict.verdict_line(rec)
    assert line.startswith(f"Recommended: RAG (score {rec.winner.score:+d}).")
    assert line.endswith("Ruled out: Prompt only, Fine-tuned.")  # a knowledge gap: prompt only cannot supply it
