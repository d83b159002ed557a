"""The engine checked against figures computed BY HAND from docs/formulas.md.

Every expected value below is written as literal arithmetic from the documented
formulas and the round numbers of tests/fixtures/mini_catalog.yaml — never by
calling an engine helper — so a wrong formula in the engine cannot hide behind
the same wrong formula in the test.

Mini catalog figures used (typical value, low..high where a range is given):
  emb        0.1 $/1M tokens (0.05..0.2), 1000 dims, latency 100/200 ms
  emb-local  self-hosted on `gpu`, 1000 tokens/s, 384 dims   → 3.6/(1000·3600)·1e6 = 1.0 $/1M
  pine       pinecone_serverless: 0.5 $/GB-month, 10 $/1M RU, 2 $/1M WU, minimum 50 $/month,
             defaults 1 RU per GB per query, min 0.25 RU/query, 1 WU per KB; latency 100/150
  dims       per_dimension: 0.1 $/1M dims-month, minimum 25; latency 50/80
  usage      usage_based: 2 $/GB written, 0.3 $/GB-month, 0.01 $/TB scanned, 0.1 $/GB returned, min 0
  pg         capacity: 0.1 $/h, 0.1 $/GB-month, 4 GB/instance, 100 qps/instance, overhead 1.5, min 1
  rr         2 $/1K searches, latency 100/200
  big        1 (0.5..2) / 4 $/1M in/out, ttft 500 ms, 100 tok/s, API only
  small      0.2 / 0.2 $/1M, ttft 200 ms, 200 tok/s, open weights, 8B
  ft-api     base big, premium 2 / 8 $/1M, training 10 $/1M
  ft-lora    base small, served at base price, hosting 1 $/h, training 0.5 $/1M
  ft-gpu     base small, served at base price, training on `gpu` at 1000 tokens/s
  gpu        3.6 $/h, vLLM 8B 1000 tokens/s
  latency    network 50 ms, ttft +10 ms per 1K input tokens, p95/p50 = 2
"""

from __future__ import annotations

import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import numpy as np
import pytest

from planner.engine import estimate
from planner.engine.latency import erlang_c
from planner.model.scenario import Scenario
from tests.hand_scenario import BASE_STACK, FT, W, approx, make

ARCHS = ("prompt_only", "rag", "fine_tuned", "hybrid")


def comps(cat, s, arch):
    """Monthly components at the scenario's own volume."""
    return estimate(cat, s).current[arch].components_usd


# ======================================================================= inference


def test_inference_prompt_only_counts_system_input_and_few_shot(mini):
    c = comps(mini, make(), "prompt_only")
    expected = 100_000 * ((100 + 200 + 1000) * 1.0 + 300 * 4.0) / 1e6  # = 250
    assert expected == 250
    assert c["inference"] == approx(expected)


def test_inference_rag_adds_top_k_chunks(mini):
    c = comps(mini, make(), "rag")
    expected = 100_000 * ((100 + 200 + 1000 + 4 * 500) * 1.0 + 300 * 4.0) / 1e6  # = 450
    assert c["inference"] == approx(expected)
    assert expected == 450


def test_inference_fine_tuned_drops_few_shot_and_uses_premium_prices(mini):
    c = comps(mini, make(), "fine_tuned")
    expected = 100_000 * ((100 + 200) * 2.0 + 300 * 8.0) / 1e6  # = 300, ft-api premium 2/8
    assert c["inference"] == approx(expected)
    # not the base model's prices (1/4) — that would be 150
    assert c["inference"] != approx(100_000 * (300 * 1.0 + 300 * 4.0) / 1e6)


def test_inference_hybrid_has_chunks_but_no_few_shot(mini):
    c = comps(mini, make(), "hybrid")
    expected = 100_000 * ((100 + 200 + 4 * 500) * 2.0 + 300 * 8.0) / 1e6  # = 700
    assert c["inference"] == approx(expected)


def test_prompt_tokens_reported_per_architecture(mini):
    est = estimate(mini, make())
    assert est.current["prompt_only"].input_tokens_per_query == 1300
    assert est.current["rag"].input_tokens_per_query == 3300
    assert est.current["fine_tuned"].input_tokens_per_query == 300
    assert est.current["hybrid"].input_tokens_per_query == 2300


def test_fine_tuned_served_at_base_price(mini):
    # ft-lora is served at its base model's (small) prices 0.2 / 0.2, whatever stack.llm is
    est = estimate(mini, make(stack={"fine_tune": "ft-lora"}))
    assert est.current["fine_tuned"].components_usd["inference"] == approx(
        100_000 * (300 * 0.2 + 300 * 0.2) / 1e6
    )  # 12
    assert est.current["hybrid"].components_usd["inference"] == approx(100_000 * (2300 * 0.2 + 300 * 0.2) / 1e6)  # 52
    # prompt-only still on stack.llm = big
    assert est.current["prompt_only"].components_usd["inference"] == approx(250.0)


def test_hosting_fee_for_tuned_model_on_api(mini):
    est = estimate(mini, make(stack={"fine_tune": "ft-lora"}))
    for a in ("fine_tuned", "hybrid"):
        assert est.current[a].components_usd["model_hosting"] == approx(1.0 * 730)  # 1 $/h × 730 h
    for a in ("prompt_only", "rag"):
        assert est.current[a].components_usd["model_hosting"] == 0
    est = estimate(mini, make(stack={"fine_tune": "ft-lora", "hours_per_month": 500}))
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(1.0 * 500)
    # flat in volume
    assert np.allclose(est.series["fine_tuned"].components_usd["model_hosting"], 500.0)


def test_no_hosting_fee_when_offer_has_none(mini):
    est = estimate(mini, make())  # ft-api has no hosting fee
    assert est.current["fine_tuned"].components_usd["model_hosting"] == 0
    assert est.current["hybrid"].components_usd["model_hosting"] == 0


# ===================================================================== self-hosted

# Self-hosted prompt-only: T_in = 0 + 1000 + 0 = 1000, T_out = 400,
# work = 400 + 1000 × 0.1 = 500, throughput = 1000 × 8 / 8 = 1000 tokens/s,
# capacity of one replica at 50% = 500 tokens/s = 1 query/s at peak;
# peak_qps = q / (730 × 3600) × 1 ⇒ one replica serves up to 2_628_000 queries a month.
SH_W = {"system_prompt_tokens": 0, "input_tokens_per_query": 1000, "few_shot_tokens": 0, "output_tokens_per_query": 400}
SH_STACK = {
    "llm": "small",
    "fine_tune": "ft-lora",
    "serving": "self_hosted",
    "target_utilization": 0.5,
    "input_token_weight": 0.1,
}
PER_REPLICA = 2_628_000


def sh(q, **stack):
    return make(workload={**SH_W, "queries_per_month": q}, stack={**SH_STACK, **stack})


def test_self_hosted_replicas_step(mini):
    below = estimate(mini, sh(PER_REPLICA * 0.999)).current["prompt_only"]
    above = estimate(mini, sh(PER_REPLICA * 1.001)).current["prompt_only"]
    assert below.replicas == 1
    assert above.replicas == 2
    assert below.components_usd["gpu_serving"] == approx(1 * 3.6 * 730)  # 2628
    assert above.components_usd["gpu_serving"] == approx(2 * 3.6 * 730)  # 5256
    # GPU serving replaces token inference, and no API hosting fee
    for snap in (below, above):
        assert snap.components_usd["inference"] == 0
        assert snap.components_usd["model_hosting"] == 0
    # next step
    assert estimate(mini, sh(PER_REPLICA * 2.999)).current["prompt_only"].replicas == 3
    assert estimate(mini, sh(PER_REPLICA * 3.001)).current["prompt_only"].replicas == 4


def test_self_hosted_min_replicas(mini):
    snap = estimate(mini, sh(1000, min_replicas=3)).current["prompt_only"]
    assert snap.replicas == 3
    assert snap.components_usd["gpu_serving"] == approx(3 * 3.6 * 730)  # 7884


def test_self_hosted_tuned_model_has_its_own_work(mini):
    # fine_tuned on the same prompt: no few-shot here either, so the same work = 500;
    # hybrid: T_in = 1000 + 4 × 500 = 3000, work = 400 + 300 = 700 ⇒ per replica 2_628_000 × 500 / 700
    per_hybrid = 2_628_000 * 500 / 700
    assert estimate(mini, sh(per_hybrid * 0.999)).current["hybrid"].replicas == 1
    assert estimate(mini, sh(per_hybrid * 1.001)).current["hybrid"].replicas == 2


def test_self_hosted_rules_out_what_a_closed_model_serves(mini):
    # `big` is not open weights: prompt only, long context and RAG cannot run on GPUs; the tuned side can
    s = make(stack={"serving": "self_hosted", "llm": "big", "fine_tune": "ft-lora"})
    est = estimate(mini, s)
    assert est.priced == ("fine_tuned", "hybrid")
    assert (
        "stack.llm: Big model (`big`) is not open weights, so it cannot run on your GPUs"
        in est.ruled_out["prompt_only"]
    )


# ========================================================= embedding and reranking


def test_query_embedding(mini):
    est = estimate(mini, make())
    expected = 100_000 * 200 * 0.1 / 1e6  # = 2.0
    for a in ("rag", "hybrid"):
        assert est.current[a].components_usd["query_embedding"] == approx(expected)
    for a in ("prompt_only", "fine_tuned"):
        assert est.current[a].components_usd["query_embedding"] == 0


def test_query_embedding_self_hosted_model_priced_from_gpu_time(mini):
    est = estimate(mini, make(stack={"embedding_model": "emb-local"}))
    price = 3.6 / (1000 * 3600) * 1e6  # = 1.0 $ per 1M tokens
    expected = 100_000 * 200 * price / 1e6  # = 20
    assert est.current["rag"].components_usd["query_embedding"] == approx(expected)


def test_reembedding(mini):
    est = estimate(mini, make())
    expected = 110_000_000 * 0.1 * 0.1 / 1e6  # embedded tokens × share × price = 1.1
    for a in ("rag", "hybrid"):
        assert est.current[a].components_usd["reembedding"] == approx(expected)
    assert est.corpus["embedded_tokens"] == 110_000_000
    assert est.corpus["vectors"] == 300_000
    assert est.corpus["chunks_per_document"] == 3
    assert est.corpus["stored_gb"] == approx(1.5)


def test_reranking_on_and_off(mini):
    on = estimate(mini, make())
    assert on.current["rag"].components_usd["reranking"] == approx(100_000 * 2 / 1000)  # = 200
    assert on.current["hybrid"].components_usd["reranking"] == approx(200.0)
    assert on.current["prompt_only"].components_usd["reranking"] == 0
    off = estimate(mini, make(workload={"rerank": False}))
    for a in ARCHS:
        assert off.current[a].components_usd["reranking"] == 0


def test_reranking_above_max_documents_counts_several_searches(mini):
    """docs/formulas.md: reranking = q × ceil(top_k ÷ max_documents_per_search) × usd_per_1k_searches ÷ 1000."""
    est = estimate(mini, make(workload={"top_k": 200}))
    assert est.current["rag"].components_usd["reranking"] == approx(100_000 * 2 * 2 / 1000)  # 400
    assert any("billed as 2 searches" in w for w in est.warnings)


# ==================================================================== vector stores


def test_pinecone_hits_minimum(mini):
    # storage = 1.5 × 0.5 = 0.75; RU/query = max(0.25, 1.5 × 1) = 1.5; reads = 1e5 × 1.5 × 10 / 1e6 = 1.5
    # writes = 300_000 × 0.1 × ceil(5000/1024)=5 × 1 × 2 / 1e6 = 0.3  ⇒ 2.55 < minimum 50
    usage = 1.5 * 0.5 + 100_000 * 1.5 * 10 / 1e6 + 300_000 * 0.1 * 5 * 1 * 2 / 1e6
    assert usage == approx(2.55)
    est = estimate(mini, make())
    assert est.current["rag"].components_usd["vector_store"] == approx(max(50, usage))  # = 50


def test_pinecone_above_minimum(mini):
    est = estimate(mini, make(workload={"queries_per_month": 10_000_000}))
    expected = 1.5 * 0.5 + 10_000_000 * 1.5 * 10 / 1e6 + 300_000 * 0.1 * 5 * 1 * 2 / 1e6  # = 151.05
    assert expected > 50
    assert est.current["rag"].components_usd["vector_store"] == approx(expected)
    assert est.current["hybrid"].components_usd["vector_store"] == approx(expected)


def test_pinecone_min_read_units_per_query(mini):
    # 1000 documents ⇒ 3000 vectors × 5000 B = 0.015 GB ⇒ RU/query = max(0.25, 0.015) = 0.25
    s = make(workload={"corpus_documents": 1000, "queries_per_month": 100_000_000})
    expected = 0.015 * 0.5 + 100_000_000 * 0.25 * 10 / 1e6 + 3000 * 0.1 * 5 * 2 / 1e6  # = 250.0105
    assert estimate(mini, s).current["rag"].components_usd["vector_store"] == approx(expected)


def test_per_dimension_store(mini):
    est = estimate(mini, make(stack={"vector_store": "dims"}))
    expected = max(25, 300_000 * 1000 / 1e6 * 0.1 + 1.5 * 0)  # = 30 (no storage price in the entry)
    assert est.current["rag"].components_usd["vector_store"] == approx(expected)
    # flat in volume
    assert np.allclose(est.series["rag"].components_usd["vector_store"], 30.0)
    small = estimate(mini, make(stack={"vector_store": "dims"}, workload={"corpus_documents": 1000}))
    assert small.current["rag"].components_usd["vector_store"] == approx(max(25, 3000 * 1000 / 1e6 * 0.1))  # = 25


def test_usage_based_store(mini):
    est = estimate(mini, make(stack={"vector_store": "usage"}))
    expected = (
        1.5 * 0.3  # storage
        + 1.5 * 0.1 * 2  # re-written share
        + 100_000 * 1.5 / 1000 * 0.01  # scanned (TB)
        + 100_000 * 4 * 5000 / 1e9 * 0.1  # returned (GB)
    )  # = 0.45 + 0.3 + 1.5 + 0.2 = 2.45
    assert expected == approx(2.45)
    assert est.current["rag"].components_usd["vector_store"] == approx(expected)


def test_capacity_store_memory_driven(mini):
    # 1_000_000 docs ⇒ 3_000_000 vectors × 5000 B = 15 GB; × 1.5 overhead / 4 GB = 5.625 ⇒ 6 instances
    s = make(stack={"vector_store": "pg"}, workload={"corpus_documents": 1_000_000})
    expected = 6 * 0.1 * 730 + 15 * 0.1  # = 439.5
    assert estimate(mini, s).current["rag"].components_usd["vector_store"] == approx(expected)


def test_capacity_store_load_driven(mini):
    # peak 10, q = 1e8: peak_qps = 1e8 / 2_628_000 × 10 = 380.5 ⇒ ceil(3.805) = 4 instances (memory needs 1)
    s = make(stack={"vector_store": "pg"}, workload={"queries_per_month": 100_000_000, "peak_to_average_ratio": 10})
    expected = 4 * 0.1 * 730 + 1.5 * 0.1  # = 292.15
    assert estimate(mini, s).current["rag"].components_usd["vector_store"] == approx(expected)


def test_capacity_store_load_step(mini):
    # one instance per 100 qps at peak; peak 10 ⇒ a step every 100 × 2_628_000 / 10 = 26_280_000 queries/month
    step = 2 * 26_280_000
    for q, n in ((step * 0.999, 2), (step * 1.001, 3)):
        s = make(stack={"vector_store": "pg"}, workload={"queries_per_month": q, "peak_to_average_ratio": 10})
        assert estimate(mini, s).current["rag"].components_usd["vector_store"] == approx(n * 0.1 * 730 + 1.5 * 0.1)


def test_capacity_store_sensitivity_moves_its_own_prices(mini):
    # the store's row names what the sensitivity analysis moves: for `pg` its instance and storage prices
    # 15 GB needs 6 instances (test_capacity_store_memory_driven); ±25 % of 0.1 $/h moves 6 × 730 × 0.1 × 0.5 = 219
    s = make(stack={"vector_store": "pg"}, workload={"corpus_documents": 1_000_000})
    by = {r.input: r for r in estimate(mini, s).sensitivity["rag"]}
    hour = by["vs_usd_per_hour"]
    assert hour.label == "Vector store instance price"
    assert hour.high_usd - hour.low_usd == approx(6 * 730 * 0.1 * 0.5)  # 219
    storage = by["vs_usd_per_gb_month"]
    assert storage.high_usd - storage.low_usd == approx(15 * 0.1 * 0.5)  # 0.75
    assert not {"vs_usd_per_1m_read_units", "vs_usd_minimum_per_month"} & set(by)  # another shape's prices


def test_capacity_store_min_instances_at_low_load(mini):
    s = make(stack={"vector_store": "pg"}, workload={"queries_per_month": 1000})
    # memory: ceil(1.5 × 1.5 / 4) = 1; load: ceil(tiny) = 1; min 1
    assert estimate(mini, s).current["rag"].components_usd["vector_store"] == approx(1 * 0.1 * 730 + 1.5 * 0.1)


# ========================================================================= training


def test_training_per_run_api(mini):
    est = estimate(mini, make())
    per_run = 1000 * 500 * 2 / 1e6 * 10  # = 10
    assert est.current["fine_tuned"].components_usd["training"] == approx(2 * per_run)  # knowledge: 2 a month
    assert est.current["hybrid"].components_usd["training"] == approx(0.5 * per_run)  # behaviour: 0.5 a month
    assert est.current["prompt_only"].components_usd["training"] == 0
    assert est.current["rag"].components_usd["training"] == 0


def test_training_per_run_self_hosted_gpu_hours(mini):
    est = estimate(mini, make(stack={"fine_tune": "ft-gpu"}))
    per_run = 1000 * 500 * 2 / (1000 * 3600) * 3.6  # tokens ÷ (tokens/s × 3600) × $/h = 1.0
    assert per_run == approx(1.0)
    assert est.current["fine_tuned"].components_usd["training"] == approx(2 * per_run)
    assert est.current["hybrid"].components_usd["training"] == approx(0.5 * per_run)
    assert est.current["fine_tuned"].one_time_usd["first_training"] == approx(per_run)


def test_knowledge_vs_behaviour_retrain_cadence(mini):
    est = estimate(mini, make(fine_tuning={"knowledge_retrains_per_month": 4, "behavior_retrains_per_month": 0.25}))
    assert est.current["fine_tuned"].components_usd["training"] == approx(4 * 10)  # 40
    assert est.current["hybrid"].components_usd["training"] == approx(0.25 * 10)  # 2.5
    # the knowledge_change answer drives the fine-tuned-only cadence, not the hybrid one
    s = Scenario.model_validate(
        {
            "workload": W,
            "fine_tuning": {k: v for k, v in FT.items() if k != "knowledge_retrains_per_month"},
            "stack": BASE_STACK,
            "answers": {"knowledge_change": "weekly"},
        }
    )
    est = estimate(mini, s)
    assert est.current["fine_tuned"].components_usd["training"] == approx(52 / 12 * 10)
    assert est.current["hybrid"].components_usd["training"] == approx(0.5 * 10)


# ========================================================================= one-time


def test_one_time_costs(mini):
    s = make(one_time={"usd_per_engineering_day": 1000, "labeling_usd_per_example": 2})
    est = estimate(mini, s)
    indexing = 110_000_000 * 0.1 / 1e6 + 300_000 * 5 * 2 / 1e6  # embed 11 + Pinecone first write 3 = 14
    one = {a: est.current[a].one_time_usd for a in ARCHS}
    assert one["prompt_only"] == {
        "engineering": approx(5 * 1000),
        "initial_indexing": 0,
        "labeling": 0,
        "first_training": 0,
    }
    assert one["rag"]["engineering"] == approx(20 * 1000)
    assert one["rag"]["initial_indexing"] == approx(indexing)
    assert one["rag"]["labeling"] == 0 and one["rag"]["first_training"] == 0
    assert one["fine_tuned"] == {
        "engineering": approx(25 * 1000),
        "initial_indexing": 0,
        "labeling": approx(1000 * 2),
        "first_training": approx(1000 * 500 * 2 / 1e6 * 10),
    }
    assert one["hybrid"] == {
        "engineering": approx(40 * 1000),
        "initial_indexing": approx(indexing),
        "labeling": approx(2000),
        "first_training": approx(10),
    }
    assert est.current["hybrid"].one_time_total_usd == approx(40_000 + 14 + 2000 + 10)


def test_initial_indexing_other_stores(mini):
    embed = 110_000_000 * 0.1 / 1e6  # 11
    usage = estimate(mini, make(stack={"vector_store": "usage"})).current["rag"].one_time_usd["initial_indexing"]
    assert usage == approx(embed + 1.5 * 2)  # + stored_gb × usd_per_gb_written = 14
    for store in ("dims", "pg"):
        got = estimate(mini, make(stack={"vector_store": store})).current["rag"].one_time_usd["initial_indexing"]
        assert got == approx(embed)


def test_pinecone_first_write_uses_write_units_per_kb(mini):
    """The monthly writes formula multiplies by write_units_per_kb; the first write does too.

    (docs/formulas.md leaves write_units_per_kb out of the first-write formula; with the
    default of 1 both agree, with 2 the code charges 2 WU per KB — consistent with the
    monthly writes formula. Reported as a doc gap.)"""
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["vector_stores"]["pine"]["write_units_per_kb"] = 2.0
    cat = Catalog.model_validate(data)
    est = estimate(cat, make())
    assert est.current["rag"].one_time_usd["initial_indexing"] == approx(11 + 300_000 * 5 * 2 * 2 / 1e6)  # 17


def test_tco_and_cost_per_1k(mini):
    s = make(one_time={"usd_per_engineering_day": 1000}, horizon_months=12)
    est = estimate(mini, s)
    po = est.current["prompt_only"]
    assert po.monthly_usd == approx(250.0)
    assert po.tco_usd == approx(5 * 1000 + 250 * 12)  # 8000
    assert po.usd_per_1k_queries == approx(250 / 100_000 * 1000)  # 2.5
    # rag monthly = 450 inference + 2 query embedding + 50 store + 200 rerank + 1.1 re-embedding
    rag_monthly = 450 + 2 + 50 + 200 + 1.1
    assert est.current["rag"].monthly_usd == approx(rag_monthly)
    assert est.current["rag"].tco_usd == approx(20 * 1000 + 14 + rag_monthly * 12)
    # fine_tuned = 300 inference + 20 training; one-time 25 days + 1000 labelling + 10 first run
    assert est.current["fine_tuned"].monthly_usd == approx(320.0)
    assert est.current["fine_tuned"].tco_usd == approx(25_000 + 1000 + 10 + 320 * 12)
    hy = 700 + 2 + 50 + 200 + 1.1 + 5
    assert est.current["hybrid"].monthly_usd == approx(hy)
    assert est.current["hybrid"].usd_per_1k_queries == approx(hy / 100)
    # over the grid, cost per 1K = total ÷ q × 1000
    ser = est.series["rag"]
    assert np.allclose(ser.usd_per_1k_queries, ser.total_usd / est.volumes * 1000)
    # cumulative chart: one-time + monthly × m
    cum = est.cumulative_usd("prompt_only")
    assert len(cum) == 13 and cum[0] == approx(5000) and cum[-1] == approx(8000)


def test_components_sum_to_total(mini):
    est = estimate(mini, make())
    for a in ARCHS:
        snap = est.current[a]
        assert sum(snap.components_usd.values()) == approx(snap.monthly_usd)
        ser = est.series[a]
        assert np.allclose(sum(ser.components_usd.values()), ser.total_usd)


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


# ===================================================================== edge cases


def test_estimate_survives_overlap_at_three_quarters_of_chunk(mini):
    s = make(workload={"chunk_tokens": 100, "chunk_overlap_tokens": 75})  # valid: 75 < 100
    est = estimate(mini, s)
    # stride 25 ⇒ chunks/doc = ceil((1000 − 75) / 25) = 37
    assert est.corpus["chunks_per_document"] == 37


def test_self_hosted_zero_work_per_query(mini):
    s = make(
        workload={"output_tokens_per_query": 0},
        stack={"llm": "small", "fine_tune": "ft-lora", "serving": "self_hosted", "input_token_weight": 0},
    )
    est = estimate(mini, s)
    # no GPU work ⇒ min replicas, no queueing
    assert est.current["prompt_only"].replicas == 1
    assert est.current["prompt_only"].components_usd["gpu_serving"] == approx(3.6 * 730)
    assert est.current["prompt_only"].latency_breakdown_ms["queueing"] == (0, 0)


def test_zero_volume_scenario(mini):
    est = estimate(mini, make(workload={"queries_per_month": 0}))
    po = est.current["prompt_only"]
    assert po.monthly_usd == 0 and po.usd_per_1k_queries == 0
    assert est.current["rag"].monthly_usd == approx(50 + 1.1)  # store minimum + re-embedding


# ============================================================ default-catalog acceptance


def test_acceptance_gpt_4o_mini_inference_48_usd(default_catalog):
    s = Scenario.model_validate(
        {
            "workload": {
                "queries_per_month": 100_000,
                "system_prompt_tokens": 0,
                "few_shot_tokens": 0,
                "input_tokens_per_query": 2000,
                "output_tokens_per_query": 300,
            },
            "stack": {"llm": "gpt-4o-mini"},
        }
    )
    est = estimate(default_catalog, s)
    expected = 100_000 * (2000 * 0.15 + 300 * 0.60) / 1e6  # = 48.00
    assert expected == pytest.approx(48.0)
    assert est.current["prompt_only"].components_usd["inference"] == pytest.approx(48.0, rel=1e-12)


def test_acceptance_embedding_100m_tokens_costs_2_usd(default_catalog):
    # 100_000 documents × 1000 tokens, chunk 1000 with no overlap ⇒ 1 chunk each, 100M embedded tokens
    w = {
        "corpus_documents": 100_000,
        "tokens_per_document": 1000,
        "chunk_tokens": 1000,
        "chunk_overlap_tokens": 0,
        "corpus_change_share_per_month": 1.0,
    }
    s = Scenario.model_validate(
        {
            "workload": w,
            "stack": {"embedding_model": "openai-text-embedding-3-small", "vector_store": "pgvector-rds-t4g-medium"},
        }
    )
    est = estimate(default_catalog, s)
    assert est.corpus["embedded_tokens"] == 100_000_000
    expected = 100_000_000 * 0.02 / 1e6  # = 2.00
    # re-embedding the whole corpus once a month
    assert est.current["rag"].components_usd["reembedding"] == pytest.approx(expected, rel=1e-12)
    # initial indexing on a capacity store has no write charge: embedding only
    assert est.current["rag"].one_time_usd["initial_indexing"] == pytest.approx(expected, rel=1e-12)


def test_acceptance_embedding_part_of_pinecone_initial_indexing(default_catalog):
    w = {"corpus_documents": 100_000, "tokens_per_document": 1000, "chunk_tokens": 1000, "chunk_overlap_tokens": 0}
    s = Scenario.model_validate({"workload": w, "stack": {"vector_store": "pinecone-serverless-standard"}})
    store = default_catalog.vector_stores["pinecone-serverless-standard"]
    dims = default_catalog.embedding_models["openai-text-embedding-3-small"].dimensions
    record_bytes = dims * 4 + 1000
    first_write = (
        100_000 * math.ceil(record_bytes / 1024) * store.write_units_per_kb * store.usd_per_1m_write_units.value / 1e6
    )
    est = estimate(default_catalog, s)
    assert est.current["rag"].one_time_usd["initial_indexing"] - first_write == pytest.approx(2.0, rel=1e-9)


def test_every_vector_store_shape_is_declared_once_and_agrees_with_inputs():
    """Each catalog billing shape has one declaration whose fields exist in the catalog class and in `Inputs`."""
    import typing
    from dataclasses import fields

    from planner.engine.inputs import Inputs
    from planner.engine.vector_stores import STORE_SHAPES, VS_DEFAULTS
    from pricing.retrieval import VectorStore

    classes = typing.get_args(typing.get_args(VectorStore)[0])
    billings = {c.model_fields["billing"].annotation.__args__[0]: c for c in classes}
    assert set(billings) == set(STORE_SHAPES)
    input_fields = {f.name for f in fields(Inputs)}
    vs_fields = {n for n in input_fields if n.startswith("vs_")} - {
        "vs_shape",
        "vs_latency_p50_ms",
        "vs_latency_p95_ms",
    }
    assert vs_fields == set(VS_DEFAULTS)
    used = set()
    for billing, shape in STORE_SHAPES.items():
        assert shape.model is billings[billing]
        for f in shape.prices + shape.throughputs + shape.constants:
            assert f in shape.model.model_fields, (billing, f)
            assert f"vs_{f}" in VS_DEFAULTS, (billing, f)
            used.add(f"vs_{f}")
        # the row's own policies name the row's own fields
        assert set(shape.sensitivity) <= set(shape.prices + shape.throughputs + shape.constants), billing
        assert set(shape.neutral) <= set(shape.prices + shape.throughputs + shape.constants), billing
    assert used == set(VS_DEFAULTS)  # no orphan input


# ============================================================ defects: rerank searches, Erlang C, absurd inputs


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


def test_absurd_utilization_is_refused_with_its_location():
    from pydantic import ValidationError

    for bad in (1e-300, 0.0, 0.99, 1.0):
        with pytest.raises(ValidationError) as err:
            sh(1000, target_utilization=bad)
        assert "stack.target_utilization" in str(err.value).replace("\n  ", ".")


def test_crawling_gpu_throughput_answers_and_warns(mini):
    """A catalog GPU at 0.001 tokens/s: ~10¹¹ replicas at the top of the volume range, bounded work."""
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["vllm_8b_tokens_per_second"].update(value=0.001)
    cat = Catalog.model_validate(data)
    s = sh(1e9, target_utilization=0.05)
    est = estimate(cat, s)
    snap = est.current["prompt_only"]
    # peak 1e9 / 2_628_000 × 1 = 380.5 q/s × work 500 ÷ (0.001 × 0.05) tokens/s = 3.805e9 replicas
    assert snap.replicas == math.ceil(1e9 / 2_628_000 * 500 / (0.001 * 0.05))
    assert any("replicas" in w and "throughput" in w for w in est.warnings)


# ================================================================ batched serving and GPU memory


def test_batched_replica_queues_as_many_slots(mini):
    """One replica decoding 4 sequences at once is an M/M/4 queue of slots, not one server."""
    q = 0.9 * PER_REPLICA
    snap = estimate(mini, sh(q, max_sequences_per_replica=4)).current["prompt_only"]
    assert snap.replicas == 1
    # λ = 0.9 /s; a slot serves 1000 ÷ (4 × 500) = 0.5 /s; a = 0.9 / 0.5 = 1.8 erlangs on c = 4 slots (ρ = 0.45)
    # Erlang C = (a⁴/4! × 4/(4 − a)) ÷ (1 + a + a²/2 + a³/6 + a⁴/4! × 4/(4 − a))
    top = 1.8**4 / 24 * 4 / (4 - 1.8)  # 0.795273
    p_wait = top / (1 + 1.8 + 1.8**2 / 2 + 1.8**3 / 6 + top)  # 0.128534
    spare = 4 * 0.5 - 0.9  # 1.1 requests a second
    w95 = math.log(p_wait / 0.05) / spare * 1000  # ≈ 858 ms, against ≈ 1,998 ms with one slot
    assert snap.latency_breakdown_ms["queueing"] == (0.0, approx(w95, rel=1e-9))
    # the default batch of 256 sequences all but removes the queue at the same load
    assert estimate(mini, sh(q)).current["prompt_only"].latency_breakdown_ms["queueing"][1] < 1e-6


def _with_gpu_memory(mini, memory_gb, parameters_billion=8.0):
    from pricing.models import Catalog

    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["memory_gb_per_gpu"] = memory_gb
    data["llms"]["small"]["parameters_billion"] = parameters_billion
    return Catalog.model_validate(data)


def test_kv_bytes_per_token_by_hand():
    from planner.engine.serving_fit import kv_bytes_per_token

    # 8B: 32 layers × 2 (K, V) × 1,024 × 2 bytes = 131,072 bytes a token
    assert kv_bytes_per_token(8, "bf16") == approx(2 * 32 * 1024 * 2)
    # 70B: 32 × (70/8)^0.4 = 76.197 layers ⇒ 312,103 bytes at 16 bits, half at fp8
    assert kv_bytes_per_token(70, "bf16") == approx(2 * 32 * 8.75**0.4 * 1024 * 2)
    assert kv_bytes_per_token(70, "fp8") == approx(2 * 32 * 8.75**0.4 * 1024 * 1)


def test_a_70b_model_needs_two_80gb_gpus_at_bf16(mini):
    cat = _with_gpu_memory(mini, 80, parameters_billion=70)
    est = estimate(cat, sh(1000))
    snap = est.current["prompt_only"]
    # weights 70 × 2 = 140 GB; the longest request (RAG: 1000 + 400 + 4 × 500 = 3,400 tokens) needs
    # 3,400 × 312,103 B = 1.06 GB; one GPU gives 80 × 0.9 = 72 GB, two give 144 ≥ 141.06 ⇒ 2 GPUs, both billed
    assert snap.components_usd["gpu_serving"] == approx(1 * 2 * 3.6 * 730)  # 5,256
    # a replica of 2 GPUs runs 1000 × 2 × 8 / 70 = 228.57 tokens/s
    from planner.engine.costs import sequences_per_replica
    from planner.engine.gather import build_inputs

    i, _ = build_inputs(cat, sh(1000))
    assert i.serving_gpus_per_replica_base == 2
    assert i.serving_tokens_per_second_base == approx(1000 * 2 * 8 / 70)
    # prompt-only requests hold 1,400 tokens: (144 − 140) GB ÷ (1,400 × 312,103 B) = 9.15 ⇒ 9 at once
    kv = 2 * 32 * 8.75**0.4 * 1024 * 2
    assert sequences_per_replica(i, "prompt_only") == math.floor((144 - 140) / (1400 * kv / 1e9))
    assert sequences_per_replica(i, "prompt_only") == 9
    assert not any("memory_gb_per_gpu" in w for w in est.warnings)


def test_precision_shrinks_the_replica(mini):
    from planner.engine.costs import sequences_per_replica
    from planner.engine.gather import build_inputs

    cat = _with_gpu_memory(mini, 80, parameters_billion=70)
    i4, _ = build_inputs(cat, sh(1000, precision="int4"))
    # int4: 70 × 0.5 = 35 GB + 1.06 GB ≤ 72 ⇒ one GPU; (72 − 35) ÷ (1,400 × 312,103 B) = 84.7 ⇒ 84 sequences
    kv16 = 2 * 32 * 8.75**0.4 * 1024 * 2
    assert i4.serving_gpus_per_replica_base == 1
    assert sequences_per_replica(i4, "prompt_only") == math.floor((72 - 35) / (1400 * kv16 / 1e9)) == 84
    f8, _ = build_inputs(cat, sh(1000, precision="fp8"))
    # fp8: 70 GB + 3,400 × 156,052 B = 0.53 GB ≤ 72 ⇒ one GPU; 2 GB ÷ (1,400 × 156,052 B) = 9.15 ⇒ 9
    assert f8.serving_gpus_per_replica_base == 1
    assert sequences_per_replica(f8, "prompt_only") == 9


def test_a_model_that_fits_no_replica_is_refused_with_the_reason(mini):
    from pricing.errors import UnknownEntryError

    cat = _with_gpu_memory(mini, 80, parameters_billion=405)
    # 405 × 2 = 810 GB of weights > 8 × 80 × 0.9 = 576 GB
    with pytest.raises(UnknownEntryError) as err:
        estimate(cat, sh(1000))
    msg = str(err.value)
    assert (
        msg.startswith("stack.llm: Small open model (`small`, 405B parameters at bf16)")
        and "810 GB" in msg
        and "576 GB" in msg
    )
    assert "stack.precision" in msg and "stack.gpu" in msg
    # at int4 it fits: 202.5 GB on 4 GPUs (288 GB usable; 2 give 144)
    from planner.engine.gather import build_inputs

    i, _ = build_inputs(cat, sh(1000, precision="int4"))
    assert i.serving_gpus_per_replica_base == 4


def test_unknown_gpu_memory_warns_and_keeps_one_instance(mini):
    est = estimate(mini, sh(1000))
    assert any("memory_gb_per_gpu" in w for w in est.warnings)
    assert est.current["prompt_only"].components_usd["gpu_serving"] == approx(3.6 * 730)


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


# ============================================================ examples on hand vs examples still to label


def test_examples_on_hand_are_not_labelled_again(mini):
    # 1,000 examples at 1 $ each, 400 already on hand ⇒ (1000 − 400) × 1 = 600 $ of labelling
    s = make(fine_tuning={"examples_on_hand": 400}, one_time={"labeling_usd_per_example": 1.0})
    assert estimate(mini, s).current["fine_tuned"].one_time_usd["labeling"] == approx((1000 - 400) * 1.0)
    # none on hand: the whole set is labelled
    assert estimate(mini, make()).current["fine_tuned"].one_time_usd["labeling"] == approx(1000 * 1.0)
    # more on hand than the set: nothing to label
    s = make(fine_tuning={"examples_on_hand": 5000})
    assert estimate(mini, s).current["hybrid"].one_time_usd["labeling"] == 0


def test_answering_how_many_examples_you_have_puts_them_on_hand(mini):
    """Issue 13: answering 5,000 examples must not add "Labelling training examples $5,000"."""
    s = make(fine_tuning={"training_examples": 5000}, answers={"labeled_examples": 5000})
    assert s.fine_tuning.training_examples == 5000 and s.fine_tuning.examples_on_hand == 5000
    assert estimate(mini, s).current["fine_tuned"].one_time_usd["labeling"] == 0
    # answered later, through the app's path
    s2 = make().with_changes(**{"answers.labeled_examples": 5000})
    assert s2.fine_tuning.examples_on_hand == 5000
    assert estimate(mini, s2).current["fine_tuned"].one_time_usd["labeling"] == 0
    # growing the training set beyond what the team has, without an answer, pays for the rest
    s3 = make(fine_tuning={"examples_on_hand": 5000}).with_changes(**{"fine_tuning.training_examples": 8000})
    assert estimate(mini, s3).current["fine_tuned"].one_time_usd["labeling"] == approx((8000 - 5000) * 1.0)


def test_self_hosting_a_closed_fine_tuning_offer_names_the_offer_and_the_choices(mini):
    """Issue 13: the real culprit (the fine-tuning offer) is named, with the entries that would fit."""
    from pricing.errors import UnknownEntryError

    # an open LLM, but ft-api tunes `big`, which is API-only: fine-tuned and hybrid are ruled out, named
    est = estimate(mini, sh(1000, fine_tune="ft-api"))
    msg = est.ruled_out["fine_tuned"]
    assert "stack.fine_tune: Tuned big (`ft-api`) tunes Big model (`big`), which is not open weights" in msg
    assert "choose one of LoRA small (`ft-lora`), LoRA on own GPU (`ft-gpu`), or serve through the API" in msg
    assert "stack.llm" not in msg
    # both wrong: both fields named, each with its choices
    with pytest.raises(UnknownEntryError) as err:
        estimate(mini, sh(1000, llm="big", fine_tune="ft-api"))
    msg = str(err.value)
    assert (
        "stack.llm: Big model (`big`) is not open weights, so it cannot run on your GPUs; "
        "choose one of Small open model (`small`)" in msg
    )
    assert "stack.fine_tune" in msg and "stack.serving: api" in msg


def _with_dedicated_offer(mini, tps=None):
    from pricing.llms import FineTuneOffer

    def fig(v):
        return {"value": v, "source": "test", "checked": "2026-11-01"}

    offer = {
        "name": "LoRA on a dedicated endpoint",
        "provider": "test",
        "base_llm": "small",
        "method": "lora",
        "training_usd_per_1m_tokens": fig(0.5),
        "hosting": "dedicated",
        "hosting_usd_per_hour": fig(2),
    }
    if tps is not None:
        offer["dedicated_output_tokens_per_second"] = fig(tps)
    offers = {**mini.fine_tune_offers, "ft-dedicated": FineTuneOffer.model_validate(offer)}
    return mini.model_copy(update={"fine_tune_offers": offers})


def test_dedicated_endpoint_is_billed_by_the_hour_alone(mini):
    # A dedicated endpoint with no per-token prices charges no tokens (not the base model's price on top):
    # fine_tuned inference = 0; hosting = 1 replica × 2 $/h × 730 h = 1,460
    est = estimate(_with_dedicated_offer(mini), make(stack={"fine_tune": "ft-dedicated"}))
    for a in ("fine_tuned", "hybrid"):
        assert est.current[a].components_usd["inference"] == 0
        assert est.current[a].components_usd["model_hosting"] == approx(2 * 730)


def test_dedicated_endpoint_replicas_scale_with_peak_output(mini):
    # sized like self-hosting (counting input tokens, at the target utilization 0.6): work of one request =
    # 300 output + (100 system + 200 input) × input-token weight 0.1 = 330 tokens; peak work = 100,000 q /
    # (730 × 3,600 s) × peak 1 × 330 = 12.557 tokens/s; one replica sustains 5 × 0.6 = 3 → ceil(4.186) = 5
    # replicas → 5 × 2 $/h × 730 h = 7,300 (sized at 100 % on output alone, it was 3)
    est = estimate(_with_dedicated_offer(mini, tps=5), make(stack={"fine_tune": "ft-dedicated"}))
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(5 * 2 * 730)
    # at 10,000 queries: 1.256 tokens/s ÷ 3 → one replica (never fewer than one)
    est = estimate(
        _with_dedicated_offer(mini, tps=5),
        make(workload={"queries_per_month": 10_000}, stack={"fine_tune": "ft-dedicated"}),
    )
    assert est.current["fine_tuned"].components_usd["model_hosting"] == approx(2 * 730)
