"""Prompt caching, batch share, long-context tiers, the long-context option, routing and rerank
candidates, checked against figures computed BY HAND from docs/formulas.md.

Every expected value is literal arithmetic from the documented formulas, never an engine helper.
Prices the mini catalog has no field for (cached, cache-write, batch, tier prices, cache lifetime)
are set on the flat `Inputs` record, the engine's only input, with `Inputs.replace`.

Mini catalog figures used: big 1 / 4 $/1M in/out, 100,000-token window; small 0.2 / 0.2 $/1M,
32,000-token window; emb 0.1 $/1M; rr 2 $/1K searches, 100 documents per search (the schema default);
ft-api 2 / 8 $/1M premium, training 10 $/1M.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from planner.engine import estimate, monthly_components
from planner.engine.analysis import break_evens
from planner.engine.costs import SECONDS_PER_MONTH, cache_hit_share, monthly_totals, one_time_usd
from planner.engine.gather import build_inputs
from planner.model.scenario import ARCHITECTURES, Scenario

STACK = {"embedding_model": "emb", "vector_store": "pine", "reranker": "rr", "llm": "big", "fine_tune": "ft-api"}
# T_in prompt_only = 100 + 1000 + 200 = 1300 (prefix P = 1100); T_out = 300
W = {
    "queries_per_month": 100_000,
    "system_prompt_tokens": 100,
    "few_shot_tokens": 1000,
    "input_tokens_per_query": 200,
    "output_tokens_per_query": 300,
    "top_k": 4,
    "chunk_tokens": 500,
    "chunk_overlap_tokens": 50,
    "corpus_documents": 20,
    "tokens_per_document": 1000,
    "corpus_change_share_per_month": 0.1,
    "metadata_bytes_per_chunk": 1000,
    "rerank": True,
}


def make(**workload) -> Scenario:
    return Scenario.model_validate({"name": "hand", "workload": {**W, **workload}, "stack": STACK})


def inputs(mini, **workload):
    return build_inputs(mini, make(**workload))[0]


def approx(x, rel=1e-9, abs=1e-9):
    return pytest.approx(x, rel=rel, abs=abs)


def at(i, arch, q, component="inference"):
    return float(monthly_components(i, arch, np.array([float(q)]))[component][0])


# ============================================================== prompt caching


def test_no_cached_price_no_discount_and_the_estimate_says_so(mini):
    i = inputs(mini)
    assert math.isnan(i.llm_cached_input_usd_per_1m_tokens) and i.llm_cache_ttl_seconds == 0
    # h = 0: every request writes its prefix at the input price, as before caching was modelled
    assert at(i, "prompt_only", 100_000) == approx(100_000 * (1300 * 1.0 + 300 * 4.0) / 1e6)  # 250
    # even a hit share forced to 1 saves nothing: the cached price is the input price
    assert at(i.replace(cache_hit_share=1.0), "prompt_only", 100_000) == approx(250.0)
    est = estimate(mini, make())
    assert any("no cached-input price in the catalog for Big model" in w for w in est.warnings)
    assert est.current["prompt_only"].cache_hit_share == 0.0


def test_cache_hit_share_from_traffic_and_ttl(mini):
    # λ = q ÷ (730 × 3600) requests a second; h = 1 − e^(−λ·TTL)
    # the mini LLM has no cache price: give it one and a lifetime of 300 s, on the mini scenario's prompt
    # (a prefix of 100 + 1000 tokens; no minimum prefix, no explicit cache, no 1-hour cache, no ceiling)
    i = inputs(mini).replace(llm_cached_input_usd_per_1m_tokens=0.1, llm_cache_ttl_seconds=300.0)
    assert i.cache_hit_share == -1.0 and i.batch_query_share == 0.0 and i.llm_cache_min_prefix_tokens == 0.0
    assert i.explicit_cache == 0.0 and i.cache_lifetime_1h == 0.0 and i.cache_hit_share_ceiling == -1.0
    assert i.llm_cache_hit_share_ceiling == 1.0
    q = np.array([2_628.0, 26_280.0, 2_628_000.0])  # λ = 0.001, 0.01, 1 per second
    assert SECONDS_PER_MONTH == 2_628_000
    h = cache_hit_share(i, "prompt_only", q)
    assert h[0] == approx(1 - math.exp(-0.001 * 300))  # 0.2592
    assert h[1] == approx(1 - math.exp(-0.01 * 300))  # 0.9502
    assert h[2] == approx(1 - math.exp(-1 * 300))  # 1.0
    # half the traffic sent as batch: the same prefix, the same rate
    half = i.replace(batch_query_share=0.5)
    assert cache_hit_share(half, "prompt_only", q)[1] == approx(1 - math.exp(-0.01 * 300))
    # the scenario's override wins
    assert list(cache_hit_share(half.replace(cache_hit_share=0.4), "prompt_only", q)) == [0.4, 0.4, 0.4]


def test_cached_prefix_hits_and_misses_with_cache_writes(mini):
    # cached 0.1, write 1.25 (a write premium), TTL 300 s; q = 2,628/month → λ = 0.001/s
    i = inputs(mini, queries_per_month=2_628).replace(
        llm_cached_input_usd_per_1m_tokens=0.1, llm_cache_write_usd_per_1m_tokens=1.25, llm_cache_ttl_seconds=300.0
    )
    h = 1 - math.exp(-0.001 * 300)  # 0.259182
    per_query = 1100 * (h * 0.1 + (1 - h) * 1.25) + 200 * 1.0 + 300 * 4.0  # prefix; user input; output
    assert at(i, "prompt_only", 2_628) == approx(2_628 * per_query / 1e6)
    # no write price in the catalog: a miss writes at the input price (1.0)
    j = i.replace(llm_cache_write_usd_per_1m_tokens=math.nan)
    per_query = 1100 * (h * 0.1 + (1 - h) * 1.0) + 200 * 1.0 + 300 * 4.0
    assert at(j, "prompt_only", 2_628) == approx(2_628 * per_query / 1e6)


def test_each_architecture_caches_its_own_prefix(mini):
    # every request hits (override), cached at 0.5; 20 documents × 1,000 tokens = 20,000 knowledge tokens
    i = inputs(mini, cache_hit_share=1.0).replace(llm_cached_input_usd_per_1m_tokens=0.5)
    q = 100_000
    # prompt only: prefix = system 100 + few-shot 1000
    assert at(i, "prompt_only", q) == approx(q * (1100 * 0.5 + 200 * 1.0 + 300 * 4.0) / 1e6)  # 195
    # long context: prefix = system 100 + knowledge 20,000; no few-shot
    assert at(i, "long_context", q) == approx(q * (20_100 * 0.5 + 200 * 1.0 + 300 * 4.0) / 1e6)  # 1,145
    # RAG: the chunks follow the prefix and are never cached
    assert at(i, "rag", q) == approx(q * (1100 * 0.5 + (200 + 4 * 500) * 1.0 + 300 * 4.0) / 1e6)  # 395
    # fine-tuned on ft-api: its own premium prices, no cached price → no discount (prefix = system only)
    assert at(i, "fine_tuned", q) == approx(q * (300 * 2.0 + 300 * 8.0) / 1e6)  # 300


def test_break_even_moves_with_a_half_price_cache():
    """A case like the issue's support bot: a 1,600-token prefix billed in full on every query makes
    fine-tuning break even at 30,000 queries a month; at a 50 % cache discount it is 90,000.

    prompt only: system 400 + few-shot 1200 = 1,600 prefix, +100 input, 300 output, at 0.15 / 0.6 $/1M
    fine-tuned:  system 400 + 100 input at 0.15 (served at base price, no cached price), 300 output at 0.6,
                 plus a fixed 5.4 $/month of training (1,000 × 500 × 2 = 1M tokens at 5.4 $/1M, once a month)
    per query without caching: prompt only (1,700 × 0.15 + 300 × 0.6) = 435 µ$; fine-tuned 500 × 0.15 + 180 = 255 µ$
        break-even = 5.4 ÷ (435 − 255)e−6 = 30,000
    with every prefix read from the cache at 0.075: prompt only 1,600 × 0.075 + 100 × 0.15 + 180 = 315 µ$
        break-even = 5.4 ÷ (315 − 255)e−6 = 90,000
    """
    from pathlib import Path

    from pricing.loader import load_catalog

    mini = load_catalog(Path(__file__).parent / "fixtures" / "mini_catalog.yaml")
    base = build_inputs(
        mini,
        Scenario.model_validate(
            {
                "workload": {
                    "system_prompt_tokens": 400,
                    "few_shot_tokens": 1200,
                    "input_tokens_per_query": 100,
                    "output_tokens_per_query": 300,
                },
                "fine_tuning": {"training_examples": 1000, "tokens_per_example": 500, "epochs": 2},
                "stack": STACK,
            }
        ),
    )[0].replace(
        llm_input_usd_per_1m_tokens=0.15,
        llm_output_usd_per_1m_tokens=0.6,
        tuned_input_usd_per_1m_tokens=0.15,
        tuned_output_usd_per_1m_tokens=0.6,
        training_usd_per_1m_tokens=5.4,
        knowledge_retrains_per_month=1.0,
        llm_cached_input_usd_per_1m_tokens=0.075,
    )
    q = np.geomspace(1_000, 1_000_000, 60)
    pair = ("prompt_only", "fine_tuned")
    no_cache = base.replace(cache_hit_share=0.0)
    (be,) = break_evens(no_cache, q, monthly_totals(no_cache, q, pair), pair)
    assert be.queries_per_month == approx(5.4 / ((1700 * 0.15 + 180) - (500 * 0.15 + 180)) * 1e6, rel=1e-8)
    assert be.queries_per_month == approx(30_000, rel=1e-8)
    cached = base.replace(cache_hit_share=1.0)
    (be,) = break_evens(cached, q, monthly_totals(cached, q, pair), pair)
    assert be.queries_per_month == approx(5.4 / ((1600 * 0.075 + 100 * 0.15 + 180) - (500 * 0.15 + 180)) * 1e6)
    assert be.queries_per_month == approx(90_000, rel=1e-8)
    # from traffic with a 5-minute cache: at 90,000/month λ = 90,000 ÷ 2,628,000 = 0.034 a second,
    # h = 1 − e^(−0.034 × 300) = 0.99996: almost every prefix is read from the cache
    ttl = base.replace(llm_cache_ttl_seconds=300.0)
    (be,) = break_evens(ttl, q, monthly_totals(ttl, q, pair), pair)
    assert 89_000 < be.queries_per_month < 91_000


# ============================================================== batch share


def test_batch_share_priced_at_batch_rates(mini):
    # half the traffic as batch at 0.5 / 2 $/1M (half price); the other half interactive with no cache
    i = inputs(mini, batch_query_share=0.5).replace(
        llm_batch_input_usd_per_1m_tokens=0.5, llm_batch_output_usd_per_1m_tokens=2.0
    )
    interactive = 1300 * 1.0 + 300 * 4.0  # 2,500 µ$
    batch = 1300 * 0.5 + 300 * 2.0  # 1,250 µ$
    # (no cached price: a hit would cost min(cached = input 1.0, batch 0.5) = 0.5, the same as a miss)
    assert at(i, "prompt_only", 100_000) == approx(100_000 * (0.5 * interactive + 0.5 * batch) / 1e6)  # 187.5
    # a model without batch prices: the batch share pays the interactive price
    assert at(inputs(mini, batch_query_share=0.5), "prompt_only", 100_000) == approx(250.0)


def test_indexing_and_reembedding_use_the_batch_embedding_price(mini):
    # 20 documents × 1,000 tokens; stride 450 → chunks/doc = ceil(950 / 450) = 3;
    # embedded = 20 × (1000 + 2 × 50) = 22,000
    i = inputs(mini).replace(embed_batch_usd_per_1m_tokens=0.05)
    assert at(i, "rag", 100_000, "reembedding") == approx(22_000 * 0.1 * 0.05 / 1e6)
    # the store's first write: 60 vectors × ceil(5000 / 1024) = 5 WU × 2 $/1M
    assert one_time_usd(i, "rag")["initial_indexing"] == approx(22_000 * 0.05 / 1e6 + 60 * 5 * 2 / 1e6)
    # without a batch price the embedding price (0.1) applies
    assert one_time_usd(inputs(mini), "rag")["initial_indexing"] == approx(22_000 * 0.1 / 1e6 + 60 * 5 * 2 / 1e6)


# ============================================================== long-context tiers


def test_long_context_tier_prices_requests_above_the_threshold(mini):
    # tier above 20,000 input tokens at 2 / 8 $/1M, no tier cached price; batch 0.5 / 2 below the tier
    i = inputs(mini, batch_query_share=0.5).replace(
        llm_tier_above_input_tokens=20_000.0,
        llm_tier_input_usd_per_1m_tokens=2.0,
        llm_tier_output_usd_per_1m_tokens=8.0,
        llm_batch_input_usd_per_1m_tokens=0.5,
        llm_batch_output_usd_per_1m_tokens=2.0,
    )
    # prompt only: 1,300 tokens, below the threshold
    assert at(i, "prompt_only", 1000) == approx(
        1000 * (0.5 * (1300 * 1 + 300 * 4) + 0.5 * (1300 * 0.5 + 300 * 2)) / 1e6
    )
    # long context: 100 + 20,000 + 200 = 20,300 > 20,000: the tier's prices, for batch requests too
    # (the catalog gives a tier no batch price)
    interactive = 20_300 * 2.0 + 300 * 8.0
    batch = 20_300 * 2.0 + 300 * 8.0
    assert at(i, "long_context", 1000) == approx(1000 * (0.5 * interactive + 0.5 * batch) / 1e6)


# ============================================================== long context: fits or ruled out


def test_long_context_priced_when_the_knowledge_fits(mini):
    est = estimate(mini, make())  # 20 × 1,000 = 20,000 knowledge tokens; big has a 100,000-token window
    assert "long_context" in est.priced and est.ruled_out == {}
    snap = est.current["long_context"]
    assert snap.input_tokens_per_query == 100 + 20_000 + 200
    # inference only: 100,000 × (20,300 × 1 + 300 × 4) ÷ 1e6 = 2,150; nothing to embed, store or rerank
    assert snap.components_usd["inference"] == approx(2_150.0)
    assert snap.monthly_usd == approx(2_150.0)
    assert snap.one_time_usd == {
        "engineering": 5 * 800,
        "initial_indexing": 0.0,
        "labeling": 0.0,
        "first_training": 0.0,
    }
    assert est.to_dict()["architectures"]["long_context"]["label"] == "Long context"


def test_long_context_ruled_out_with_the_reason_where_it_does_not_fit(mini):
    # 100 documents × 1,000 = 100,000 tokens; 100 + 100,000 + 200 + 300 = 100,600 > 100,000
    est = estimate(mini, make(corpus_documents=100))
    assert est.priced == ("prompt_only", "rag", "fine_tuned", "hybrid")
    reason = est.ruled_out["long_context"]
    assert reason == (
        "Long context is ruled out: the knowledge base (100,000 tokens) with the prompt and the answer "
        "(100,600 tokens) does not fit Big model's context window of 100,000 tokens."
    )
    assert "long_context" not in est.series and "long_context" not in est.sensitivity
    assert all("long_context" not in (b.a, b.b) for b in est.break_evens)
    doc = est.to_dict()
    assert "long_context" not in doc["architectures"] and doc["ruled_out"] == {"long_context": reason}
    # exactly the window fits: 100 + 99 × 1,000 + 200 + 700 = 100,000
    assert "long_context" in estimate(mini, make(corpus_documents=99, output_tokens_per_query=700)).priced
    assert "long_context" not in estimate(mini, make(corpus_documents=99, output_tokens_per_query=701)).priced


def test_prompt_only_never_carries_the_knowledge(mini):
    small = estimate(mini, make()).current["prompt_only"].input_tokens_per_query
    big = estimate(mini, make(corpus_documents=90)).current["prompt_only"].input_tokens_per_query
    assert small == big == 100 + 1000 + 200


# ============================================================== routing and reranking


def test_routing_share_scales_retrieval_and_the_chunks(mini):
    # r = 0.3: 30 % of queries retrieve
    i = inputs(mini, retrieval_query_share=0.3)
    q = 100_000
    with_chunks = (1300 + 4 * 500) * 1.0 + 300 * 4.0  # 4,500 µ$
    without = 1300 * 1.0 + 300 * 4.0  # 2,500 µ$
    assert at(i, "rag", q) == approx(q * (0.3 * with_chunks + 0.7 * without) / 1e6)  # 285
    assert at(i, "rag", q, "query_embedding") == approx(q * 0.3 * 200 * 0.1 / 1e6)  # 0.6
    assert at(i, "rag", q, "reranking") == approx(q * 0.3 * 1 * 2 / 1000)  # one search each: 60
    # Pinecone reads: max(0.25 RU, 0.00036 GB × 1 RU/GB) = 0.25 RU per retrieving query, at 10 $/1M RU
    stored_gb = 60 * 5000 / 1e9
    reads = q * 0.3 * 0.25 * 10 / 1e6
    assert at(i, "rag", q, "vector_store") == approx(max(50, stored_gb * 0.5 + reads + 60 * 0.1 * 5 * 2 / 1e6))


def test_rerank_candidates_are_their_own_input(mini):
    # 250 candidates, top_k 4: ceil(250 ÷ 100) = 3 searches per query at 2 $/1K
    i = inputs(mini, rerank_candidates_per_query=250)
    assert at(i, "rag", 100_000, "reranking") == approx(100_000 * 3 * 2 / 1000)  # 600
    # unset: top_k (4) candidates, one search
    assert at(inputs(mini), "rag", 100_000, "reranking") == approx(100_000 * 1 * 2 / 1000)  # 200
    # fewer candidates than top_k is refused with a located message
    with pytest.raises(Exception, match="rerank_candidates_per_query \\(3\\) must be at least top_k \\(4\\)"):
        make(rerank_candidates_per_query=3)


def test_per_token_reranking(mini):
    # 50 candidates × (200 query + 500 chunk tokens) = 35,000 tokens per query at 0.05 $/1M
    i = inputs(mini, rerank_candidates_per_query=50).replace(
        rerank_usd_per_1k_searches=0.0, rerank_usd_per_1m_tokens=0.05
    )
    assert at(i, "rag", 100_000, "reranking") == approx(100_000 * 50 * (200 + 500) * 0.05 / 1e6)  # 175
    # with routing: only the 40 % that retrieve are reranked
    j = i.replace(retrieval_query_share=0.4)
    assert at(j, "rag", 100_000, "reranking") == approx(100_000 * 0.4 * 50 * 700 * 0.05 / 1e6)  # 70


def test_top_k_sensitivity_counts_rerank_searches(mini):
    # top_k 100 at 100 documents per search: +25 % → 125 candidates = 2 searches, −25 % → 75 = 1 search
    est = estimate(mini, make(top_k=100, chunk_tokens=10, chunk_overlap_tokens=1))
    row = next(r for r in est.sensitivity["rag"] if r.input == "top_k")
    base = est.current["rag"].components_usd
    others = est.current["rag"].monthly_usd - base["inference"] - base["reranking"]
    lo = others + 100_000 * ((1300 + 75 * 10) * 1 + 1200) / 1e6 + 100_000 * 1 * 2 / 1000
    hi = others + 100_000 * ((1300 + 125 * 10) * 1 + 1200) / 1e6 + 100_000 * 2 * 2 / 1000
    assert row.low_usd == approx(lo, rel=1e-6) and row.high_usd == approx(hi, rel=1e-6)


def test_old_scenarios_keep_their_meaning(mini):
    # defaults: everything retrieves, nothing batched, hit share from the catalog (none here), candidates = top_k
    s = make()
    assert s.workload.retrieval_query_share == 1.0 and s.workload.batch_query_share == 0.0
    assert s.workload.cache_hit_share is None and s.workload.rerank_candidates_per_query is None
    est = estimate(mini, s)
    assert est.current["rag"].components_usd["inference"] == approx(100_000 * ((1300 + 2000) * 1 + 1200) / 1e6)
    assert set(est.priced) | set(est.ruled_out) == set(ARCHITECTURES)


# ============================================================== read from the catalog (schema prices)


def _with(mini, **llm_fields):
    """The mini catalog with `big` given extra figures (value only, sourced as "test")."""
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    for k, v in llm_fields.items():  # a float is a price or a duration: a sourced figure
        data["llms"]["big"][k] = {"value": v, "source": "test", "checked": "2026-11-01"} if isinstance(v, float) else v
    return Catalog.model_validate(data), data


def test_catalog_cached_ttl_batch_and_tier_prices_reach_the_estimate(mini):
    cat, _ = _with(
        mini,
        cached_input_usd_per_1m_tokens=0.1,
        cache_ttl_seconds=300.0,
        batch_input_usd_per_1m_tokens=0.5,
        batch_output_usd_per_1m_tokens=2.0,
    )
    # 2,628 queries a month → λ = 0.001/s, h = 1 − e^(−0.3); a quarter of them batched
    s = make(queries_per_month=2_628, batch_query_share=0.25)
    est = estimate(cat, s)
    h = 1 - math.exp(-0.001 * 300)
    interactive = 1100 * (h * 0.1 + (1 - h) * 1.0) + 200 * 1.0 + 300 * 4.0
    # batch: a hit at min(cached 0.1, batch 0.5) = 0.1, a miss at the batch input price 0.5
    batch = 1100 * (h * 0.1 + (1 - h) * 0.5) + 200 * 0.5 + 300 * 2.0
    expected = 2_628 * (0.75 * interactive + 0.25 * batch) / 1e6
    assert est.current["prompt_only"].components_usd["inference"] == approx(expected)
    assert est.current["prompt_only"].cache_hit_share == approx(h)
    assert not any("no cached-input price" in w and "Big model" in w for w in est.warnings)
    # the figures used are listed with their source, for the assumptions table
    fields = {(u.entry, u.field) for u in est.prices_used}
    assert {("big", "cached_input_usd_per_1m_tokens"), ("big", "cache_ttl_seconds")} <= fields


def test_catalog_max_input_tokens_rules_long_context_out(mini):
    cat, _ = _with(mini, max_input_tokens=20_000)
    # 100 + 20,000 + 200 = 20,300 input tokens > 20,000, though the window (100,000) would hold it
    est = estimate(cat, make())
    assert est.ruled_out["long_context"] == (
        "Long context is ruled out: the knowledge base (20,000 tokens) with the prompt (20,300 input tokens) "
        "is above Big model's maximum input of 20,000 tokens."
    )


def test_catalog_long_context_tier(mini):
    tier = {
        "above_input_tokens": 10_000,
        "input_usd_per_1m_tokens": {"value": 2.0, "source": "test", "checked": "2026-11-01"},
        "output_usd_per_1m_tokens": {"value": 8.0, "source": "test", "checked": "2026-11-01"},
    }
    cat, _ = _with(mini, long_context=tier)
    est = estimate(cat, make())
    # long context sends 20,300 tokens (> 10,000): the tier's 2 / 8; prompt only (1,300) keeps 1 / 4
    assert est.current["long_context"].components_usd["inference"] == approx(100_000 * (20_300 * 2 + 300 * 8) / 1e6)
    assert est.current["prompt_only"].components_usd["inference"] == approx(250.0)


def test_catalog_per_token_reranker_and_batch_embedding(mini):
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    rr = data["rerankers"]["rr"]
    rr["usd_per_1k_searches"] = None
    rr["usd_per_1m_tokens"] = {"value": 0.05, "source": "test", "checked": "2026-11-01"}
    data["embedding_models"]["emb"]["batch_usd_per_1m_tokens"] = {
        "value": 0.05,
        "source": "test",
        "checked": "2026-11-01",
    }
    cat = Catalog.model_validate(data)
    est = estimate(cat, make(rerank_candidates_per_query=50))
    # 100,000 × 50 candidates × (200 + 500) tokens × 0.05 $/1M = 175
    assert est.current["rag"].components_usd["reranking"] == approx(100_000 * 50 * 700 * 0.05 / 1e6)
    # indexing 22,000 tokens at the batch price 0.05 + the store's first write 60 × 5 WU × 2 $/1M
    assert est.current["rag"].one_time_usd["initial_indexing"] == approx(22_000 * 0.05 / 1e6 + 60 * 5 * 2 / 1e6)


def test_a_batch_request_never_costs_more_than_an_interactive_one(mini):
    # every prefix read from the cache at 0.1; batch at 0.5 / 2
    i = inputs(mini, cache_hit_share=1.0).replace(
        llm_cached_input_usd_per_1m_tokens=0.1,
        llm_batch_input_usd_per_1m_tokens=0.5,
        llm_batch_output_usd_per_1m_tokens=2.0,
    )
    interactive = 1100 * 0.1 + 200 * 1.0 + 300 * 4.0  # 1,510 µ$
    batch = 1100 * min(0.1, 0.5) + 200 * 0.5 + 300 * 2.0  # 810 µ$
    assert at(i, "prompt_only", 100_000) == approx(100_000 * interactive / 1e6)  # 151
    assert at(i.replace(batch_query_share=1.0), "prompt_only", 100_000) == approx(100_000 * batch / 1e6)  # 81
    assert batch < interactive
