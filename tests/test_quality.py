"""Measured quality: every figure checked against arithmetic written here (Wilson interval, cost per successful
answer with failures and retries, its range, the frontier, dominance, outcome break-evens, eval cost, cases to
separate two options), and the scenario section's validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from planner.quality import (
    EvalPlan,
    Inputs,
    Point,
    Quality,
    attempts_per_query,
    cases_to_separate,
    dominated,
    eval_plan_cost,
    frontier,
    llm_judge,
    outcome,
    person_judge,
    wilson,
)
from planner.quality.assess import option_quality, outcome_break_evens
from planner.quality.outcome import Measured

# ------------------------------------------------------------------ Wilson interval


def test_wilson_interval_by_hand():
    # p = 0.7, n = 100, z = 1.96: z² = 3.8416; denominator 1 + 3.8416/100 = 1.038416
    # center = (0.7 + 3.8416/200) / 1.038416 = 0.719208 / 1.038416 = 0.692601
    # half = 1.96 / 1.038416 · √(0.7·0.3/100 + 3.8416/40000) = 1.887491 · √0.00219604 = 1.887491 · 0.046862 = 0.088452
    low, high = wilson(0.7, 100, z=1.96)
    assert low == pytest.approx(0.692601 - 0.088452, abs=2e-6)
    assert high == pytest.approx(0.692601 + 0.088452, abs=2e-6)


def test_wilson_interval_of_no_passes_starts_at_zero():
    # p = 0, n = 10: center = half = (z²/2n)/(1 + z²/n); high = (z²/n)/(1 + z²/n) = 0.38416 / 1.38416 = 0.277540
    low, high = wilson(0.0, 10, z=1.96)
    assert low == pytest.approx(0.0, abs=1e-12)
    assert high == pytest.approx(0.38416 / 1.38416, rel=1e-9)


def test_wilson_interval_narrows_with_more_cases():
    a, b = wilson(0.9, 50), wilson(0.9, 500)
    assert b[1] - b[0] < a[1] - a[0]


# ------------------------------------------------------------------ cost per successful answer


def _inputs(spend, labels=("prompt_only", "rag"), q=10_000.0, volumes=None, one_time=None):
    return Inputs(
        queries_per_month=q,
        horizon_months=12,
        volumes=np.geomspace(1e3, 1e7, 50) if volumes is None else volumes,
        labels={a: a for a in labels},
        one_time_usd=one_time or dict.fromkeys(labels, 0.0),
        answer_usd_per_case=dict.fromkeys(labels, 0.0),
        spend=spend,
    )


def test_cost_per_success_with_failures_and_retries_by_hand():
    # spend(q) = $100 + $0.01 per query; p = 0.8, one retry, a failure costs $2, 10,000 queries a month
    # attempts A = 1 + 0.2 = 1.2 → spend at 12,000 queries = 100 + 0.01 · 12,000 = $220
    # failing both attempts: 0.2² = 0.04 → 400 failures × $2 = $800; outcome $1,020
    # successes 10,000 − 400 = 9,600 → $1,020 / 9,600 = $0.10625 per successful answer
    assert attempts_per_query(0.8, 1) == pytest.approx(1.2)
    o = outcome(100 + 0.01 * 12_000, 10_000, 0.8, 1, 2.0)
    assert (o.spend_usd, o.failures, o.successes) == pytest.approx((220.0, 400.0, 9_600.0))
    assert o.outcome_usd == pytest.approx(1_020.0)
    assert o.usd_per_success == pytest.approx(1_020 / 9_600)

    def spend(arch, q, which):
        return 100 + 0.01 * np.asarray(q)

    q = Quality(pass_rate={"rag": 0.8}, failure_cost_usd=2.0, retries=1)
    opt = option_quality(_inputs(spend), q, "rag")
    assert opt.spend_usd == pytest.approx(220.0)
    assert opt.outcome_monthly_usd == pytest.approx(1_020.0)
    assert opt.cost_per_successful_answer_usd == pytest.approx(0.10625)
    # no sample size: the interval is the point, and so is the range at equal prices
    assert (opt.pass_rate_low, opt.pass_rate_high) == (0.8, 0.8)
    assert opt.outcome_tco_usd == pytest.approx(12 * 1_020.0)


def test_without_retries_failures_are_one_minus_the_pass_rate():
    # p = 0.7, no retry, F = $4, 200,000 queries, spend $31.20: 60,000 failures × $4 = $240,000
    # ($240,031.20 over 140,000 successes = $1.714509 each)
    o = outcome(31.2, 200_000, 0.7, 0, 4.0)
    assert o.failures == pytest.approx(60_000)
    assert o.usd_per_success == pytest.approx(240_031.2 / 140_000)


def test_nothing_succeeding_has_no_cost_per_success():
    assert outcome(50.0, 1_000, 0.0, 0, 1.0).usd_per_success is None


def test_cost_per_success_range_takes_low_prices_with_the_high_rate_and_the_reverse():
    # prices: low half the typical, high double; spend(q) = factor · $0.01 · q; p = 0.9 on 100 cases; F = $1
    factor = {"value": 1.0, "low": 0.5, "high": 2.0}

    def spend(arch, q, which):
        return factor[which] * 0.01 * np.asarray(q)

    q = Quality(pass_rate={"rag": 0.9}, sample_size={"rag": 100}, failure_cost_usd=1.0)
    opt = option_quality(_inputs(spend), q, "rag")
    lo, hi = wilson(0.9, 100)
    # low: 0.5 · 0.01 · 10,000 = $50 spend + 10,000 · (1 − hi) · $1, over 10,000 · hi successes
    assert opt.cost_per_successful_answer_low_usd == pytest.approx((50 + 10_000 * (1 - hi)) / (10_000 * hi))
    # high: 2 · 0.01 · 10,000 = $200 + 10,000 · (1 − lo) · $1, over 10,000 · lo
    assert opt.cost_per_successful_answer_high_usd == pytest.approx((200 + 10_000 * (1 - lo)) / (10_000 * lo))
    assert opt.cost_per_successful_answer_usd == pytest.approx((100 + 1_000) / 9_000)


def test_an_unmeasured_option_borrows_nothing():
    q = Quality(pass_rate={"rag": 0.9}, sample_size={"rag": 50})
    opt = option_quality(_inputs(lambda a, v, w: 0.01 * np.asarray(v)), q, "prompt_only")
    assert not opt.measured
    assert opt.pass_rate is None and opt.cost_per_successful_answer_usd is None


# ------------------------------------------------------------------ frontier and dominance


def test_frontier_keeps_what_nothing_beats_on_both_cost_and_pass_rate():
    pts = [Point("A", 10, 0.7), Point("B", 20, 0.9), Point("C", 30, 0.85), Point("D", 5, 0.6), Point("E", 20, 0.8)]
    # C: B is cheaper (20 < 30) and better (0.9 > 0.85); E: B costs the same and is better; A, B, D: none beats
    assert frontier(pts) == ("D", "A", "B")


def test_an_option_below_anothers_interval_at_no_lower_cost_per_success_is_dominated():
    a = Measured("prompt_only", 0.604, 0.781, 1.71)
    b = Measured("rag", 0.850, 0.959, 0.351)
    assert dominated([a, b]) == {"prompt_only": "rag"}
    # overlapping intervals (0.781 against a low end of 0.78): nothing is dominated
    assert dominated([a, Measured("rag", 0.78, 0.96, 0.351)]) == {}
    # clearly worse but cheaper per success: a trade-off, not dominated
    assert dominated([Measured("prompt_only", 0.604, 0.781, 0.30), b]) == {}


# ------------------------------------------------------------------ outcome break-evens


def test_outcome_break_even_by_hand():
    # prompt only: spend $0.001 a query, p = 0.5 → $0.002 per success at any volume
    # RAG: $1,000 a month + $0.0001 a query, p = 1 → 1000/q + 0.0001 per success
    # equal where 1000/q = 0.0019 → q = 1000 / 0.0019 = 526,315.8 queries a month
    def spend(arch, q, which):
        q = np.asarray(q, dtype=float)
        return 0.001 * q if arch == "prompt_only" else 1_000 + 0.0001 * q

    q = Quality(pass_rate={"prompt_only": 0.5, "rag": 1.0})
    (be,) = outcome_break_evens(_inputs(spend), q, ("prompt_only", "rag"))
    assert be.queries_per_month == pytest.approx(1_000 / 0.0019, rel=1e-6)
    assert be.usd_per_success == pytest.approx(0.002, rel=1e-6)
    assert (be.cheaper_below, be.cheaper_above) == ("prompt_only", "rag")


# ------------------------------------------------------------------ the cost of measuring


def test_eval_plan_cost_with_an_llm_judge_by_hand():
    plan = EvalPlan(cases=100, judge_input_tokens_per_case=1_000, judge_output_tokens_per_case=200)
    # judge at $1 per 1M input and $4 per 1M output: (1,000 · 1 + 200 · 4) / 1M = $0.0018 a case
    judge = llm_judge(plan, "Judge", 1.0, 4.0)
    assert judge.usd_per_case == pytest.approx(0.0018)
    cost = eval_plan_cost(plan, ("prompt_only", "rag"), {"prompt_only": 0.0005, "rag": 0.002}, judge)
    # prompt only 100 · (0.0005 + 0.0018) = $0.23; RAG 100 · (0.002 + 0.0018) = $0.38; total $0.61
    assert cost.per_option_usd == pytest.approx({"prompt_only": 0.23, "rag": 0.38})
    assert cost.total_usd == pytest.approx(0.61)


def test_eval_plan_cost_with_a_person_judging_by_hand():
    plan = EvalPlan(cases=50, judge="person", person_minutes_per_case=2, usd_per_person_hour=60)
    # 2 minutes at $60 an hour = $2 a case; 50 cases × 3 options × ($2 + $0.01 answer) = $301.50
    judge = person_judge(plan)
    assert judge.usd_per_case == pytest.approx(2.0)
    cost = eval_plan_cost(plan, ("a", "b", "c"), dict.fromkeys("abc", 0.01), judge)
    assert cost.total_usd == pytest.approx(301.5)


def test_cases_to_tell_two_rates_apart_by_hand():
    # p1 = 0.70, p2 = 0.92: p̄ = 0.81
    # z_α·√(2·0.81·0.19) = 1.959964 · √0.3078 = 1.959964 · 0.554797 = 1.087382
    # z_β·√(0.7·0.3 + 0.92·0.08) = 0.841621 · √0.2836 = 0.841621 · 0.532541 = 0.448198
    # n = (1.087382 + 0.448198)² / 0.22² = 2.358006 / 0.0484 = 48.72 → 49 cases per option
    assert cases_to_separate(0.70, 0.92) == 49
    assert cases_to_separate(0.5, 0.5) is None
    # closer rates need more cases
    assert cases_to_separate(0.90, 0.92) > cases_to_separate(0.80, 0.92)


# ------------------------------------------------------------------ the scenario section


def test_a_sample_size_without_its_pass_rate_is_refused_with_its_place():
    with pytest.raises(ValidationError) as e:
        Quality(sample_size={"rag": 100})
    assert "sample_size.rag is given without pass_rate.rag" in str(e.value)


def test_pass_rates_are_shares_and_a_person_judge_needs_a_rate():
    with pytest.raises(ValidationError):
        Quality(pass_rate={"rag": 92})
    with pytest.raises(ValidationError) as e:
        EvalPlan(judge="person")
    assert "usd_per_person_hour" in str(e.value)
    with pytest.raises(ValidationError):
        Quality(pass_rate={"rga": 0.9})  # unknown architecture


def test_retries_spend_more_and_fail_less():
    # p = 0.5: one retry → A = 1.5, failures 0.25; two → A = 1.75, failures 0.125
    assert attempts_per_query(0.5, 2) == pytest.approx(1.75)
    assert outcome(0, 1_000, 0.5, 2, 1.0).failures == pytest.approx(125)
    assert math.isclose(attempts_per_query(1.0, 3), 1.0)


def test_outcome_tco_adds_failures_and_retries_to_the_engines_dated_tco():
    # the engine's TCO $1,000 (a price change inside the horizon is in it), monthly spend $50 at the start;
    # spend(q) = $0.005 a query → $50 at 10,000; p = 0.9, no retry, F = $0.03: 1,000 failures × $0.03 = $30
    # outcome $80 a month → outcome TCO = 1,000 + 12 · (80 − 50) = $1,360
    import dataclasses

    x = dataclasses.replace(
        _inputs(lambda a, q, w: 0.005 * np.asarray(q)), tco_usd={"rag": 1_000.0}, monthly_usd={"rag": 50.0}
    )
    opt = option_quality(x, Quality(pass_rate={"rag": 0.9}, failure_cost_usd=0.03), "rag")
    assert opt.outcome_monthly_usd == pytest.approx(80.0)
    assert opt.outcome_tco_usd == pytest.approx(1_360.0)
