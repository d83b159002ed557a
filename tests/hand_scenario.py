"""The hand-checked scenario the engine's tests price on the mini catalog (tests/fixtures/mini_catalog.yaml):
round numbers whose arithmetic the tests write out. Shared by the engine's test modules."""

from __future__ import annotations

import pytest

from planner.model.scenario import Scenario

BASE_STACK = {
    "embedding_model": "emb",
    "vector_store": "pine",
    "reranker": "rr",
    "llm": "big",
    "fine_tune": "ft-api",
    "gpu": "gpu",
}

# A workload with round numbers (see the module docstring for the hand arithmetic):
#   T_in  prompt_only = 100 + 200 + 1000            = 1300
#         rag         = 100 + 200 + 1000 + 4 × 500  = 3300
#         fine_tuned  = 100 + 200                   = 300
#         hybrid      = 100 + 200 + 4 × 500         = 2300
#   T_out = 300
#   corpus: stride = 500 − 50 = 450; chunks/doc = max(1, ceil((1000 − 50) / 450)) = 3
#           vectors = 100_000 × 3 = 300_000; embedded = 100_000 × (1000 + 2 × 50) = 110_000_000
#           record_bytes = 1000 × 4 + 1000 = 5000; stored_gb = 300_000 × 5000 / 1e9 = 1.5
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
    "corpus_documents": 100_000,
    "tokens_per_document": 1000,
    "corpus_change_share_per_month": 0.1,
    "metadata_bytes_per_chunk": 1000,
    "rerank": True,
}
# training tokens per run = 1000 × 500 × 2 = 1_000_000
FT = {
    "training_examples": 1000,
    "tokens_per_example": 500,
    "epochs": 2,
    "knowledge_retrains_per_month": 2,
    "behavior_retrains_per_month": 0.5,
}


def make(workload=None, fine_tuning=None, stack=None, one_time=None, **top) -> Scenario:
    data = {
        "name": "hand-checked",
        "workload": {**W, **(workload or {})},
        "fine_tuning": {**FT, **(fine_tuning or {})},
        "stack": {**BASE_STACK, **(stack or {})},
    }
    if one_time is not None:
        data["one_time"] = one_time
    data.update(top)
    return Scenario.model_validate(data)


def approx(x, rel=1e-9, abs=1e-9):
    return pytest.approx(x, rel=rel, abs=abs)
