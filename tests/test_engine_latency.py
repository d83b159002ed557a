"""The engine's latency checked against figures computed BY HAND from docs/formulas.md: the parts of a p50 and
p95 answer per architecture, Erlang C queueing (small cases by hand, a reference recursion, a million
servers), first token and full answer, and what a latency limit bounds and what closes the gap.

Every expected value is written as literal arithmetic from the documented formulas and the round numbers of
tests/fixtures/mini_catalog.yaml (listed in tests/hand_scenario.py) — never by calling an engine helper — so a
wrong formula in the engine cannot hide behind the same wrong formula in the test."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.engine import estimate
from planner.engine.latency import erlang_c
from tests.hand_scenario import ARCHS, PER_REPLICA, approx, make, sh

# ========================================================================== latency


def test_latency_prompt_only_api(mini):
    snap = estimate(mini, make()).current["prompt_only"]
    net, ttft, gen = 50, 500 + 10 * 1300 / 1000, 300 / 100 * 1000  # 50, 513, 3000
    p50 = net + ttft + gen  # 3563
    p95 = p50 + math.sqrt((2 * net - net) ** 2 + (2 * ttft - ttft) ** 2 + (2 * gen - gen) ** 2)
    assert snap.latency_p50_ms == approx(p50)
    assert snap.latency_p95_ms == approx(p95)
    assert snap.latency_breakdown_ms["time_to_first_token"] == (approx(513), approx(1026))
    assert snap.latency_breakdown_ms["queueing"] == (0, 0)
    # strictly below the sum of the p95s (that would be the all-slow upper bound)
    assert snap.latency_p95_ms < 2 * p50


def test_latency_rag_parts_and_quadrature(mini):
    snap = estimate(mini, make()).current["rag"]
    ttft = 500 + 10 * 3300 / 1000  # 533
    parts = {  # (p50, p95)
        "network": (50, 100),
        "query_embedding": (100, 200),
        "vector_search": (100, 150),
        "reranking": (100, 200),
        "time_to_first_token": (ttft, 2 * ttft),
        "generation": (3000, 6000),
    }
    p50 = 50 + 100 + 100 + 100 + 533 + 3000  # 3883
    tail = math.sqrt(50**2 + 100**2 + 50**2 + 100**2 + 533**2 + 3000**2)
    assert snap.latency_p50_ms == approx(p50)
    assert snap.latency_p95_ms == approx(p50 + tail)
    for k, v in parts.items():
        assert snap.latency_breakdown_ms[k] == (approx(v[0]), approx(v[1]))


def test_latency_rag_without_rerank(mini):
    snap = estimate(mini, make(workload={"rerank": False})).current["rag"]
    assert snap.latency_p50_ms == approx(50 + 100 + 100 + 533 + 3000)
    assert snap.latency_breakdown_ms["reranking"] == (0, 0)
    tail = math.sqrt(50**2 + 100**2 + 50**2 + 533**2 + 3000**2)
    assert snap.latency_p95_ms == approx(50 + 100 + 100 + 533 + 3000 + tail)


def test_latency_fine_tuned_uses_base_model_speed(mini):
    snap = estimate(mini, make()).current["fine_tuned"]
    ttft = 500 + 10 * 300 / 1000  # big's ttft, 300 input tokens = 503
    p50 = 50 + ttft + 3000
    assert snap.latency_p50_ms == approx(p50)
    assert snap.latency_p95_ms == approx(p50 + math.sqrt(50**2 + ttft**2 + 3000**2))


def test_latency_api_flat_in_volume(mini):
    est = estimate(mini, make())
    for a in ARCHS:
        assert np.allclose(est.series[a].latency_p50_ms, est.series[a].latency_p50_ms[0])
        assert np.allclose(est.series[a].latency_p95_ms, est.series[a].latency_p95_ms[0])


def test_erlang_c_one_server_is_rho():
    for rho in (0.1, 0.3, 0.45, 0.9):
        assert erlang_c(np.array([1.0]), np.array([rho]))[0] == approx(rho)


def test_erlang_c_two_servers_known_formula():
    # M/M/2: P_wait = 2ρ² / (1 + ρ) with ρ = a / 2
    for a in (0.5, 1.0, 1.5, 1.9):
        rho = a / 2
        assert erlang_c(np.array([2.0]), np.array([a]))[0] == approx(2 * rho**2 / (1 + rho))
    assert erlang_c(np.array([2.0]), np.array([1.0]))[0] == approx(1 / 3)


def test_queueing_zero_at_low_load(mini):
    snap = estimate(mini, sh(1000)).current["prompt_only"]
    # λ = 1000 / 2_628_000 ≈ 3.8e-4, μ = 1000 / 500 = 2, ρ = 1.9e-4 < 0.05 ⇒ both quantiles 0
    assert snap.latency_breakdown_ms["queueing"] == (0, 0)


def test_queueing_by_hand_one_replica(mini):
    q = 0.9 * PER_REPLICA  # λ = 0.9 /s at peak, μ = 2 /s, c = 1, ρ = 0.45 = P_wait
    # one sequence at a time: the replica is a single server
    snap = estimate(mini, sh(q, max_sequences_per_replica=1)).current["prompt_only"]
    assert snap.replicas == 1
    w50 = max(0.0, math.log(0.45 / 0.5)) / (2 - 0.9) * 1000  # 0
    w95 = max(0.0, math.log(0.45 / 0.05)) / (2 - 0.9) * 1000  # ln 9 / 1.1 s ≈ 1997.5 ms
    assert w50 == 0
    assert snap.latency_breakdown_ms["queueing"] == (approx(w50), approx(w95, rel=1e-7))
    # the rest of the path: network 50, ttft 200 + 10 × 1000/1000 = 210; generation at the replica's speed
    # shared by its one sequence (not the API entry's 200 tokens/s): 400 tokens ÷ 1,000 tokens/s = 400 ms
    p50 = 50 + 210 + 400 + w50
    assert snap.latency_p50_ms == approx(p50)
    assert snap.latency_p95_ms == approx(p50 + math.sqrt(50**2 + 210**2 + 400**2 + (w95 - w50) ** 2), rel=1e-7)


def test_queueing_by_hand_two_replicas(mini):
    q = 1.5 * PER_REPLICA  # λ = 1.5, μ = 2, c = 2, a = 0.75, ρ = 0.375
    snap = estimate(mini, sh(q, max_sequences_per_replica=1)).current["prompt_only"]
    assert snap.replicas == 2
    p_wait = 2 * 0.375**2 / (1 + 0.375)  # ≈ 0.2045
    w95 = math.log(p_wait / 0.05) / (2 * 2 - 1.5) * 1000
    assert snap.latency_breakdown_ms["queueing"] == (0, approx(w95, rel=1e-7))


def test_queueing_grows_with_load(mini):
    fracs = [0.02, 0.2, 0.5, 0.8, 0.95]
    w95 = [
        estimate(mini, sh(f * PER_REPLICA, max_sequences_per_replica=1))
        .current["prompt_only"]
        .latency_breakdown_ms["queueing"][1]
        for f in fracs
    ]
    assert w95[0] == 0
    assert all(b > a for a, b in zip(w95[1:], w95[2:], strict=False))
    assert w95[1] > 0
    # over the grid (within the one-replica band the p95 rises with volume)
    est = estimate(mini, sh(PER_REPLICA * 0.5, max_sequences_per_replica=1), volumes=[f * PER_REPLICA for f in fracs])
    assert np.all(np.diff(est.series["prompt_only"].latency_p95_ms) >= 0)
    assert est.series["prompt_only"].latency_p95_ms[-1] > est.series["prompt_only"].latency_p95_ms[0]


def _erlang_c_reference(c: int, a: float) -> float:
    """Erlang C by the textbook recursion, one step per server (slow for large c, exact)."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    return b / (1 - rho + rho * b)


def test_erlang_c_matches_the_recursion_and_hand_values():
    # c = 2, a = 1: B = (1²/2!) ÷ (1 + 1 + ½) = 0.2, C = 0.2 ÷ (1 − ½ + ½ × 0.2) = 1/3
    assert erlang_c(np.array([2.0]), np.array([1.0]))[0] == approx(1 / 3, rel=1e-12)
    # c = 3, a = 2: B = (8/6) ÷ (1 + 2 + 2 + 4/3) = 4/19; ρ = 2/3; C = (4/19) ÷ (1/3 + 2/3 × 4/19) = 4/9
    assert erlang_c(np.array([3.0]), np.array([2.0]))[0] == approx(4 / 9, rel=1e-12)
    rng = np.random.default_rng(7)
    c = rng.integers(1, 400, 300)
    a = c * rng.uniform(0.01, 0.95, 300)
    got = erlang_c(c.astype(float), a)
    want = np.array([_erlang_c_reference(int(ci), float(ai)) for ci, ai in zip(c, a, strict=True)])
    assert np.allclose(got, want, rtol=1e-9, atol=1e-13)
    # no load never waits; at or over capacity always waits
    assert list(erlang_c(np.array([4.0, 4.0, 4.0]), np.array([0.0, 4.0, 9.0]))) == [0.0, 1.0, 1.0]


def test_erlang_c_answers_for_a_million_servers():
    # a million servers at ρ = 0.6 and at ρ = 0.95: the waiting probability is astronomically small
    out = erlang_c(np.array([1e6, 1e6, 1e12]), np.array([6e5, 9.5e5, 9.5e11]))
    assert out.tolist() == [0.0, 0.0, 0.0]


# ==================================================================== latency as users feel it

# API prompt only on `big`: network 50 (p95 100); first token 500 + 10 × 1300 / 1000 = 513 (p95 1026);
# generation 300 / 100 tokens/s = 3000 ms (p95 6000).
FT_P50 = 50 + 513
FT_P95 = FT_P50 + math.sqrt(50**2 + 513**2)  # 563 + 515.43 = 1078.43
FULL_P50 = 50 + 513 + 3000
FULL_P95 = FULL_P50 + math.sqrt(50**2 + 513**2 + 3000**2)  # 3563 + 3043.96 = 6606.96


def test_first_token_and_full_answer_latency_by_hand(mini):
    est = estimate(mini, make())
    snap = est.current["prompt_only"]
    assert snap.first_token_p50_ms == approx(FT_P50)
    assert snap.first_token_p95_ms == approx(FT_P95)
    assert snap.latency_p50_ms == approx(FULL_P50)
    assert snap.latency_p95_ms == approx(FULL_P95)
    ser = est.series["prompt_only"]
    assert np.allclose(ser.first_token_p95_ms, FT_P95)  # API latency is flat in volume
    # RAG adds embedding 100/200, search 100/150 and rerank 100/200 before the first token;
    # its prompt is 3300 tokens: first token 500 + 33 = 533 (p95 1066)
    rag = est.current["rag"]
    assert rag.first_token_p50_ms == approx(50 + 100 + 100 + 100 + 533)
    assert rag.first_token_p95_ms == approx(883 + math.sqrt(50**2 + 100**2 + 50**2 + 100**2 + 533**2))
    data = est.to_dict()
    at = data["architectures"]["rag"]["at_queries_per_month"]
    assert at["first_token_p95_ms"] == pytest.approx(rag.first_token_p95_ms, rel=1e-5)
    assert data["latency_limit"] == {"p95_ms": None, "applies_to": "full_answer"}


def test_latency_limit_bounds_what_the_scenario_says(mini):
    full = estimate(mini, make(latency_target_p95_ms=2000))
    first = estimate(mini, make(latency_target_p95_ms=2000, latency_limit_applies_to="first_token"))
    assert full.limited_p95_ms("prompt_only") == approx(FULL_P95)
    assert first.limited_p95_ms("prompt_only") == approx(FT_P95)
    assert first.latency_gap_advice("prompt_only") is None  # 1,078 ms is under 2 s
    assert full.latency_gap_advice("prompt_only") is not None


def test_closing_the_gap_names_the_changes_with_their_savings(mini):
    from planner.engine.latency import closing_the_gap
    from planner.model import format as fmt

    est = estimate(mini, make(latency_target_p95_ms=5000))
    advice = est.latency_gap_advice("prompt_only")
    # gap: 6606.96 − 5000 = 1606.96 ms
    # answers half as long: generation 1500/3000 ⇒ p95 2063 + √(50² + 513² + 1500²) = 3649.09 ⇒ saves 2957.87
    half_answers = FULL_P95 - (2063 + math.sqrt(50**2 + 513**2 + 1500**2))
    # a model twice as fast: first token 256.5/513 too ⇒ 1806.5 + √(50² + 256.5² + 1500²) = 3329.09 ⇒ saves 3277.87
    faster = FULL_P95 - (1806.5 + math.sqrt(50**2 + 256.5**2 + 1500**2))
    assert advice == (
        f"{fmt.ms(FULL_P95 - 5000)} over the limit: a model twice as fast saves {fmt.ms(faster)} (enough); "
        f"answers half as long saves {fmt.ms(half_answers)} (enough)."
    )
    # RAG also offers dropping the rerank step: 100/200 ms of its path
    rag = est.current["rag"].latency_breakdown_ms
    assert "no rerank step saves" in closing_the_gap(rag, 5000, "full_answer")
    # bounding the first token, generation is not a lever
    assert "answers half as long" not in closing_the_gap(rag, 500, "first_token")


def test_recommendation_compares_the_bounded_latency_and_says_what_closes_the_gap(mini):
    from planner.questionnaire import recommend_for

    full = recommend_for(mini, make(latency_target_p95_ms=2000))
    text = " ".join(full.findings)
    # every architecture is over 2 s to the full answer (generation alone is 3 s at the median)
    assert "p95 latency of" in " ".join(r for x in full.ranking for r in x.reasons) or "p95 latency is" in text
    assert "To bring" in text and "saves" in text
    first = recommend_for(mini, make(latency_target_p95_ms=2000, latency_limit_applies_to="first_token"))
    text = " ".join(first.findings) + " ".join(r for x in first.ranking for r in x.reasons)
    # to the first token every architecture is under 2 s (prompt only 1,078 ms, RAG 883 + 552 = 1,435 ms)
    assert "above the 2.00 s limit" not in text
