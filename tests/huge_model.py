"""A self-hosted stack on the mini catalog (tests/fixtures/mini_catalog.yaml) with a model too big for any GPU
replica: the replica-fit and long-context tests share it.

    huge at bf16: 405 × 2 = 810 GB of weights > 8 GPUs × 80 GB × 0.9 = 576 GB  ⇒ fits no replica
    small at bf16: 8 × 2 = 16 GB (+ well under 1 GB of KV) ≤ 1 × 80 × 0.9 = 72 GB ⇒ one GPU a replica
"""

from __future__ import annotations

from pricing.models import Catalog

# small corpus (fits the 32,000-token window of `small` and `huge`): 10 × 100 tokens
WORKLOAD = {
    "queries_per_month": 1000,
    "peak_to_average_ratio": 1,
    "system_prompt_tokens": 0,
    "input_tokens_per_query": 1000,
    "few_shot_tokens": 0,
    "output_tokens_per_query": 400,
    "corpus_documents": 10,
    "tokens_per_document": 100,
    "chunk_tokens": 100,
    "chunk_overlap_tokens": 0,
    "top_k": 2,
    "rerank": False,
}
STACK = {
    "embedding_model": "emb",
    "vector_store": "pine",
    "reranker": "rr",
    "serving": "self_hosted",
    "gpu": "gpu",
    "target_utilization": 0.5,
    "input_token_weight": 0.1,
}


def huge_catalog(mini: Catalog) -> Catalog:
    """The mini catalog with an 80 GB GPU, a 405B model (`huge`) and an offer that tunes it (`ft-huge`)."""
    data = mini.model_dump(mode="json")
    data["gpus"]["gpu"]["memory_gb_per_gpu"] = 80
    data["llms"]["huge"] = {**data["llms"]["small"], "name": "Huge open model", "parameters_billion": 405}
    data["fine_tune_offers"]["ft-huge"] = {
        **data["fine_tune_offers"]["ft-lora"],
        "name": "LoRA huge",
        "base_llm": "huge",
    }
    return Catalog.model_validate(data)
