"""The engine's low..high ranges, sensitivity and break-evens checked against figures computed BY HAND from
docs/formulas.md: catalog ranges (throughput ends swapped), the sensitivity ranking (reranker searches
included), break-even volumes on linear costs and at replica steps.

Every expected value is written as literal arithmetic from the documented formulas and the round numbers of
tests/fixtures/mini_catalog.yaml (listed in tests/hand_scenario.py) — never by calling an engine helper — so a
wrong formula in the engine cannot hide behind the same wrong formula in the test."""

from __future__ import annotations

import numpy as np
import pytest

from planner.engine import estimate
from tests.hand_scenario import ARCHS, SH_STACK, approx, make, sh

# =========================================================================== ranges


def test_ranges_use_catalog_low_and_high(mini):
    est = estimate(mini, make(one_time={"usd_per_engineering_day": 1000}))
    po = est.current["prompt_only"]
    assert po.monthly_low_usd == approx(100_000 * (1300 * 0.5 + 300 * 4) / 1e6)  # 185
    assert po.monthly_high_usd == approx(100_000 * (1300 * 2.0 + 300 * 4) / 1e6)  # 380
    rag = est.current["rag"]
    rag_low = 100_000 * (3300 * 0.5 + 1200) / 1e6 + 100_000 * 200 * 0.05 / 1e6 + 50 + 200 + 110e6 * 0.1 * 0.05 / 1e6
    rag_high = 100_000 * (3300 * 2.0 + 1200) / 1e6 + 100_000 * 200 * 0.2 / 1e6 + 50 + 200 + 110e6 * 0.1 * 0.2 / 1e6
    assert rag.monthly_low_usd == approx(rag_low)  # 536.55
    assert rag.monthly_high_usd == approx(rag_high)  # 1036.2
    # fine_tuned on ft-api has no ranges: low = typical = high
    ft = est.current["fine_tuned"]
    assert ft.monthly_low_usd == approx(ft.monthly_usd) == approx(ft.monthly_high_usd)
    # TCO ends: one-time at the same end (embedding 110M tokens at 0.05 / 0.2)
    assert rag.tco_low_usd == approx(20_000 + 110e6 * 0.05 / 1e6 + 3 + rag_low * 12)
    assert rag.tco_high_usd == approx(20_000 + 110e6 * 0.2 / 1e6 + 3 + rag_high * 12)
    for a in ARCHS:
        s = est.series[a]
        assert np.all(s.low_usd <= s.total_usd + 1e-9)
        assert np.all(s.total_usd <= s.high_usd + 1e-9)
        c = est.current[a]
        assert c.monthly_low_usd <= c.monthly_usd <= c.monthly_high_usd
        assert c.tco_low_usd <= c.tco_usd <= c.tco_high_usd
    # the series low figure is the low-price formula over the grid
    q = est.volumes
    assert np.allclose(est.series["prompt_only"].low_usd, q * (1300 * 0.5 + 1200) / 1e6)
    assert np.allclose(est.series["prompt_only"].high_usd, q * (1300 * 2.0 + 1200) / 1e6)


def test_ranges_swap_throughput_ends_for_self_hosted_embedding_and_training(mini):
    """Throughput ranges: a higher throughput means a lower cost, so the ends swap (docs: Ranges)."""
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["embedding_models"]["emb-local"]["self_hosted"]["tokens_per_second"].update(low=500, high=2000)
    data["fine_tune_offers"]["ft-gpu"]["self_hosted_training"]["tokens_per_second"].update(low=500, high=2000)
    cat = Catalog.model_validate(data)
    est = estimate(cat, make(stack={"embedding_model": "emb-local", "fine_tune": "ft-gpu"}))
    # query embedding: 1e5 × 200 × 3.6 / (tps × 3600) × 1e6 / 1e6; training: 1e6 / (tps × 3600) × 3.6 per run × 2
    qe = {tps: 100_000 * 200 * (3.6 / (tps * 3600) * 1e6) / 1e6 for tps in (500, 1000, 2000)}
    tr = {tps: 2 * 1_000_000 / (tps * 3600) * 3.6 for tps in (500, 1000, 2000)}
    ft = est.current["fine_tuned"]
    assert ft.monthly_usd == approx(100_000 * (300 * 0.2 + 300 * 0.2) / 1e6 + tr[1000])  # no hosting fee on ft-gpu
    assert ft.monthly_low_usd == approx(12 + tr[2000])  # high throughput at the low end
    assert ft.monthly_high_usd == approx(12 + tr[500])
    rag = est.current["rag"]
    assert rag.monthly_high_usd - rag.monthly_usd == approx(
        (qe[500] - qe[1000]) + 110e6 * 0.1 * (2.0 - 1.0) / 1e6 + 100_000 * 3300 * 1.0 / 1e6
    )


def test_ranges_swap_serving_throughput_ends(mini):
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["vllm_8b_tokens_per_second"].update(low=500, high=2000)
    cat = Catalog.model_validate(data)
    snap = estimate(cat, sh(2_000_000)).current["prompt_only"]
    # typical: 1000 tok/s ⇒ 2_628_000 queries per replica ⇒ 1 replica = 2628
    # high end (throughput at its low, 500) ⇒ 1_314_000 per replica ⇒ ceil(2e6 / 1.314e6) = 2 replicas = 5256
    # low end (throughput at its high, 2000) ⇒ 1 replica (the minimum) = 2628
    assert snap.monthly_usd == approx(1 * 3.6 * 730)
    assert snap.monthly_low_usd == approx(1 * 3.6 * 730)
    assert snap.monthly_high_usd == approx(2 * 3.6 * 730)


# ====================================================================== sensitivity


def test_sensitivity_top_input_for_token_dominated_scenario(mini):
    est = estimate(mini, make())
    rows = est.sensitivity["prompt_only"]
    assert rows[0].input in ("queries_per_month", "llm_input_usd_per_1m_tokens")
    # by hand: volume swing = 250 × 1.25 − 250 × 0.75 = 125 is the largest
    assert rows[0].input == "queries_per_month"
    assert rows[0].low_usd == approx(250 * 0.75) and rows[0].high_usd == approx(250 * 1.25)
    by = {r.input: r for r in rows}
    out = by["llm_output_usd_per_1m_tokens"]
    assert out.low_usd == approx(100_000 * (1300 * 1.0 + 300 * 4.0 * 0.75) / 1e6)  # 220
    assert out.high_usd == approx(100_000 * (1300 * 1.0 + 300 * 4.0 * 1.25) / 1e6)  # 280
    inp = by["llm_input_usd_per_1m_tokens"]
    assert inp.low_usd == approx(100_000 * (1300 * 0.75 + 1200) / 1e6)  # 217.5
    assert inp.high_usd == approx(100_000 * (1300 * 1.25 + 1200) / 1e6)  # 282.5
    few = by["few_shot_tokens"]
    assert few.low_usd == approx(100_000 * ((100 + 200 + 750) * 1.0 + 1200) / 1e6)  # 225
    assert few.high_usd == approx(100_000 * ((100 + 200 + 1250) * 1.0 + 1200) / 1e6)  # 275
    assert all(r.base_usd == approx(250) for r in rows)
    swings = [r.swing_usd for r in rows]
    assert swings == sorted(swings, reverse=True)
    # inputs that do not touch prompt-only are not listed for it
    assert "top_k" not in by and "rerank_usd_per_1k_searches" not in by


# ====================================================================== break-evens

# Linear scenario: big for prompt-only, ft-lora (small at base price, 1 $/h hosting) for fine-tuned,
# no few-shot or system prompt, 1000 input and 250 output tokens, no retraining:
#   prompt_only(q) = q × (1000 × 1 + 250 × 4) / 1e6          = 0.002 q
#   fine_tuned(q)  = q × (1000 × 0.2 + 250 × 0.2) / 1e6 + 730 = 0.00025 q + 730
#   ⇒ crossing at q* = 730 / 0.00175 = 417_142.857…
LIN_W = {
    "system_prompt_tokens": 0,
    "few_shot_tokens": 0,
    "input_tokens_per_query": 1000,
    "output_tokens_per_query": 250,
}


def lin(**stack):
    return make(
        workload=LIN_W,
        fine_tuning={"knowledge_retrains_per_month": 0, "behavior_retrains_per_month": 0},
        stack={"fine_tune": "ft-lora", **stack},
    )


def pair(est, a, b):
    return [x for x in est.break_evens if {x.a, x.b} == {a, b}]


def test_break_even_linear_by_hand(mini):
    est = estimate(mini, lin())
    q_star = 730 / (0.002 - 0.00025)  # = 417_142.857142857…
    found = pair(est, "prompt_only", "fine_tuned")
    assert len(found) == 1
    be = found[0]
    assert be.queries_per_month == pytest.approx(q_star, rel=1e-6)
    assert be.usd_per_month == pytest.approx(0.002 * q_star, rel=1e-6)  # 834.29
    assert be.cheaper_below == "prompt_only" and be.cheaper_above == "fine_tuned"
    assert be.at_step is False


def test_break_even_totals_equal_and_cheaper_swaps(mini):
    from planner.engine.costs import monthly_totals
    from planner.engine.gather import build_inputs

    s = lin()
    est = estimate(mini, s)
    inputs, _ = build_inputs(mini, s)
    assert est.break_evens, "this scenario has crossings"
    for be in est.break_evens:
        x = be.queries_per_month
        t = monthly_totals(inputs, np.array([x * 0.99, x, x * 1.01]))
        if not be.at_step:
            assert t[be.a][1] == pytest.approx(t[be.b][1], rel=1e-7)
            assert be.usd_per_month == pytest.approx(t[be.a][1], rel=1e-7)
        below, above = be.cheaper_below, be.cheaper_above
        assert t[below][0] < t[above][0]
        assert t[above][2] < t[below][2]
    # and the snapshot's cheapest flips across q*
    q_star = 730 / 0.00175
    lo = estimate(mini, lin().with_changes(**{"workload.queries_per_month": q_star * 0.9}))
    hi = estimate(mini, lin().with_changes(**{"workload.queries_per_month": q_star * 1.1}))
    assert lo.current["prompt_only"].monthly_usd < lo.current["fine_tuned"].monthly_usd
    assert hi.current["prompt_only"].monthly_usd > hi.current["fine_tuned"].monthly_usd


def test_break_evens_sorted_and_inside_range(mini):
    est = estimate(mini, lin())
    qs = [b.queries_per_month for b in est.break_evens]
    assert qs == sorted(qs)
    assert all(est.volumes[0] <= x <= est.volumes[-1] for x in qs)


def test_break_even_exactly_on_a_grid_volume(mini):
    # hours_per_month 700 ⇒ fine_tuned = 0.00025 q + 700; prompt_only = 0.002 q ⇒ q* = 700 / 0.00175 = 400_000
    # 400_000 is a grid volume, where both totals are exactly 800.0
    est = estimate(mini, lin(hours_per_month=700), volumes=[100_000, 400_000, 1_000_000])
    po, ft = est.series["prompt_only"].total_usd, est.series["fine_tuned"].total_usd
    assert po[1] == ft[1] == 800.0 and po[0] < ft[0] and po[2] > ft[2]
    found = pair(est, "prompt_only", "fine_tuned")
    assert len(found) == 1
    assert found[0].queries_per_month == pytest.approx(400_000, rel=1e-9)


# Self-hosted step scenario: small for both, ft-lora training 0.5 $ per run once a month.
#   prompt_only: T_in = 0 + 500 + 2000 = 2500, work = 250 + 250 = 500 ⇒ a replica per 2_628_000 queries
#   fine_tuned:  T_in = 500,               work = 250 + 50  = 300 ⇒ a replica per 4_380_000 queries
#   totals: prompt_only = n_po × 2628; fine_tuned = n_ft × 2628 + 0.5
STEP_W = {
    "system_prompt_tokens": 0,
    "input_tokens_per_query": 500,
    "few_shot_tokens": 2000,
    "output_tokens_per_query": 250,
}


def test_break_even_at_replica_step_found_exactly(mini):
    s = make(
        workload=STEP_W,
        fine_tuning={"knowledge_retrains_per_month": 1},  # 1e6 tokens × 0.5 / 1e6 = 0.5 a month
        stack={**SH_STACK},
        volumes={"min_queries_per_month": 100_000, "max_queries_per_month": 10_000_000, "points": 50},
    )
    est = estimate(mini, s)
    assert est.current["fine_tuned"].components_usd["training"] == approx(0.5)
    found = pair(est, "prompt_only", "fine_tuned")
    expected = [  # (volume, cheaper below, cheaper above)
        (2_628_000, "prompt_only", "fine_tuned"),  # prompt-only adds its 2nd replica
        (4_380_000, "fine_tuned", "prompt_only"),  # fine-tuned adds its 2nd replica
        (5_256_000, "prompt_only", "fine_tuned"),  # prompt-only adds its 3rd
    ]
    assert len(found) == len(expected)
    for be, (q, below, above) in zip(found, expected, strict=True):
        # exact up to the engine's 1e-9-replica rounding tolerance in replicas() (≈ 1e-9 relative)
        assert be.queries_per_month == pytest.approx(q, rel=1e-8)
        assert be.queries_per_month >= q  # the step is taken just above k × per-replica volume
        assert be.at_step is True
        assert (be.cheaper_below, be.cheaper_above) == (below, above)


# ============================================================ sensitivity: reranker searches


def test_sensitivity_of_top_k_counts_rerank_searches(mini):
    """top_k 200 over a reranker of 100 documents per search: −25 % is 150 (2 searches), +25 % is 250 (3)."""
    s = make(workload={"queries_per_month": 10_000_000, "top_k": 200})
    est = estimate(mini, s)
    rag = est.current["rag"]
    # reranking at top_k 200: 10M × ceil(200 / 100) = 2 searches × 2 $/1K searches ÷ 1000 = 40,000
    assert rag.components_usd["reranking"] == approx(10_000_000 * 2 * 2 / 1000)
    top_k = {r.input: r for r in est.sensitivity["rag"]}["top_k"]
    # inference: Δ top_k 100 × 500-token chunks × 10M queries × 1 $/1M = 500,000
    # reranking: (3 − 2) searches × 10M × 2 $/1K = 20,000        ⇒ swing 520,000 (500,000 without the searches)
    assert top_k.swing_usd == approx(100 * 500 * 10_000_000 * 1.0 / 1e6 + (3 - 2) * 10_000_000 * 2 / 1000)
    # the rerank price moves with the searches too: ±25 % of 40,000
    rr_price = {r.input: r for r in est.sensitivity["rag"]}["rerank_usd_per_1k_searches"]
    assert rr_price.swing_usd == approx(0.5 * 40_000)
