"""The engine's retrieval costs checked against figures computed BY HAND from docs/formulas.md: query
embedding and re-embedding, reranking, every vector-store billing shape, and the store-shape table agreeing
with the Inputs record.

Every expected value is written as literal arithmetic from the documented formulas and the round numbers of
tests/fixtures/mini_catalog.yaml (listed in tests/hand_scenario.py) — never by calling an engine helper — so a
wrong formula in the engine cannot hide behind the same wrong formula in the test."""

from __future__ import annotations

import numpy as np

from planner.engine import estimate
from tests.hand_scenario import ARCHS, approx, make

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
