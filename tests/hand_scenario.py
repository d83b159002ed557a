"""The hand-checked scenario the engine's tests price on the mini catalog (tests/fixtures/mini_catalog.yaml):
round numbers whose arithmetic the tests write out. Shared by the engine's test modules.

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

import pytest

from planner.engine import estimate
from planner.model.scenario import Scenario

ARCHS = ("prompt_only", "rag", "fine_tuned", "hybrid")

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


def comps(cat, s, arch):
    """Monthly components at the scenario's own volume."""
    return estimate(cat, s).current[arch].components_usd


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
