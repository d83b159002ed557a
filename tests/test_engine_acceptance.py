"""The engine on the shipped catalog (pricing/default.yaml): acceptance figures computed BY HAND from its
prices, as a user would check a bill."""

from __future__ import annotations

import math

import pytest

from planner.engine import estimate
from planner.model.scenario import Scenario

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
