"""The scenario's sections: the workload (traffic, prompts, documents, retrieval, caching), the training set,
the stack (the catalog entries chosen and how they are served), one-time costs and the volume range charted.
`planner.model.scenario.Scenario` joins them with the plan's limits and the questionnaire's answers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.units import Key, Strict


def num(default, ge=0.0, le=1e12, gt=None, description="", whole=False):
    """A finite number field; `whole`: a count the app's controls show as a whole number."""
    kw = dict(le=le, allow_inf_nan=False, description=description)
    if whole:
        kw["multiple_of"] = 1
    if gt is not None:
        kw["gt"] = gt
    else:
        kw["ge"] = ge
    return Field(default, **kw)


class Workload(Strict):
    queries_per_month: float = num(100_000, le=1e11, description="Queries per month at the planned volume.")
    peak_to_average_ratio: float = num(
        3.0, ge=1, le=100, description="Peak hourly rate ÷ average rate (sizes self-hosted capacity)."
    )
    input_tokens_per_query: float = num(
        200, le=10_000_000, description="User input tokens per query (question, conversation).", whole=True
    )
    output_tokens_per_query: float = num(
        300, le=1_000_000, description="Output tokens generated per query.", whole=True
    )
    system_prompt_tokens: float = num(
        300, le=10_000_000, description="System prompt tokens sent with every query.", whole=True
    )
    few_shot_tokens: float = num(
        1_500,
        le=10_000_000,
        description="Few-shot example tokens (prompt-only and RAG; a tuned model needs none).",
        whole=True,
    )
    corpus_documents: float = num(10_000, le=1e10, description="Documents in the knowledge base.", whole=True)
    tokens_per_document: float = num(1_000, le=1e8, description="Average tokens per document.", whole=True)
    chunk_tokens: float = num(512, gt=0, le=1_000_000, description="Tokens per retrieved chunk.", whole=True)
    chunk_overlap_tokens: float = num(64, le=1_000_000, description="Tokens shared by neighbouring chunks.", whole=True)
    corpus_change_share_per_month: float = num(
        0.05, le=1, description="Share of the corpus that changes (is re-embedded) each month."
    )
    top_k: int = Field(5, ge=1, le=1000, description="Chunks retrieved into the prompt.")
    rerank: bool = Field(True, description="Rerank retrieved candidates before generation.")
    metadata_bytes_per_chunk: float = num(
        1_000, le=1e7, description="Text and metadata stored beside each vector (bytes)."
    )
    rerank_candidates_per_query: int | None = Field(
        None,
        ge=1,
        le=10_000,
        description="Candidates the reranker scores per query (at least top_k; null: top_k, nothing more retrieved).",
    )
    retrieval_query_share: float = num(
        1.0, le=1, description="RAG and hybrid: share of queries routed to retrieval (the rest are answered without)."
    )
    batch_query_share: float = num(
        0.0, le=1, description="Share of queries that can wait for a batch API (priced at batch rates where offered)."
    )
    cache_hit_share: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Share of requests whose static prompt prefix is read from the prompt cache "
        "(null: from traffic and the model's cache lifetime).",
    )
    cache_lifetime: Literal["default", "1h"] = Field(
        "default",
        description="Prompt-cache lifetime: the vendor's default, or 1 hour where offered (writes at the 1-hour "
        "price, a longer life for the hit share).",
    )
    explicit_cache: bool = Field(
        False,
        description="Keep the prefix in an explicit cache where the model offers one: every request reads it, "
        "storage is billed per hour around the clock.",
    )
    cache_hit_share_ceiling: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Most requests that can hit the prompt cache (null: the model's documented ceiling, if any).",
    )

    @model_validator(mode="after")
    def _overlap_below_chunk(self) -> Workload:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise PydanticCustomError(
                "overlap",
                "chunk_overlap_tokens ({o}) must be smaller than chunk_tokens ({c})",
                {"o": self.chunk_overlap_tokens, "c": self.chunk_tokens},
            )
        return self

    @model_validator(mode="after")
    def _candidates_cover_top_k(self) -> Workload:
        if self.rerank_candidates_per_query is not None and self.rerank_candidates_per_query < self.top_k:
            raise PydanticCustomError(
                "candidates",
                "rerank_candidates_per_query ({n}) must be at least top_k ({k}): the reranker picks the top_k "
                "chunks from its candidates",
                {"n": self.rerank_candidates_per_query, "k": self.top_k},
            )
        return self


class FineTuning(Strict):
    training_examples: int = Field(1_000, ge=0, le=100_000_000, description="Examples in the training set.")
    examples_on_hand: int = Field(
        0,
        ge=0,
        le=100_000_000,
        description="Training examples the team already has, labeled: only the rest of the set is paid for. "
        "The questionnaire's `labeled_examples` answer sets it.",
    )
    tokens_per_example: float = num(500, le=10_000_000, description="Tokens per training example.")
    epochs: float = num(3, gt=0, le=100, description="Passes over the training set per run.")
    knowledge_retrains_per_month: float = num(
        1.0, le=1000, description="Fine-tuned only: retraining runs a month to keep its knowledge fresh."
    )
    behavior_retrains_per_month: float = num(
        1 / 6, le=1000, description="Hybrid: retraining runs a month, only when behavior must change."
    )


class Stack(Strict):
    embedding_model: Key = "openai-text-embedding-3-small"
    vector_store: Key = "pinecone-serverless-standard"
    reranker: Key = "cohere-rerank-3.5"
    llm: Key = Field("gpt-6-luna", description="Base LLM for prompt-only and RAG.")
    fine_tune: Key = Field(
        "fireworks-gpt-oss-20b-lora",
        description="Fine-tuning offer for fine-tuned and hybrid (its base model serves them).",
    )
    serving: Literal["api", "self_hosted"] = Field(
        "api", description="Pay per token at an API, or rent GPUs and serve open weights."
    )
    gpu: Key = Field("runpod-h100-sxm", description="GPU entry for self-hosted serving.")
    target_utilization: float = num(
        0.6,
        ge=0.05,
        le=0.95,
        description="Self-hosted: plan replicas to run at this share of their throughput at peak "
        "(0.05–0.95: at full use the queue never empties).",
    )
    min_replicas: int = Field(1, ge=1, le=1000, description="Self-hosted: replicas kept up at any volume.")
    input_token_weight: float = num(
        0.1, le=10, description="Self-hosted: GPU work of one input token relative to an output token."
    )
    hours_per_month: float = num(730, gt=0, le=744, description="Hours a month capacity is rented.")
    precision: Literal["bf16", "fp8", "int4", "fp4"] = Field(
        "bf16",
        description="Self-hosted: weight precision (bytes per parameter: bf16 2, fp8 1, int4 0.5, fp4 0.5625; "
        "never wider than the weights ship in).",
    )
    kv_cache_kb_per_token: float | None = Field(
        None,
        gt=0,
        le=100_000,
        allow_inf_nan=False,
        description="Self-hosted: KV-cache memory of one token (KB); absent: estimated from the model's size.",
    )
    gpu_memory_utilization: float = num(
        0.9, gt=0.1, le=1, description="Self-hosted: share of GPU memory the server gives to weights and KV cache."
    )
    max_sequences_per_replica: int = Field(
        256, ge=1, le=4096, description="Self-hosted: most sequences one replica decodes at once (its batch)."
    )


class EngineeringDays(Strict):
    prompt_only: float = num(5, le=10_000)
    long_context: float = num(5, le=10_000)
    rag: float = num(20, le=10_000)
    fine_tuned: float = num(25, le=10_000)
    hybrid: float = num(40, le=10_000)


class OneTime(Strict):
    labeling_usd_per_example: float = num(1.0, le=10_000, description="Cost to write or check one training example.")
    engineering_days: EngineeringDays = EngineeringDays()
    usd_per_engineering_day: float = num(800, le=100_000, description="Loaded day rate of an engineer.")


class VolumeRange(Strict):
    min_queries_per_month: float = num(1_000, gt=0, le=1e11)
    max_queries_per_month: float = num(10_000_000, gt=0, le=1e11)
    points: int = Field(200, ge=2, le=5_000)

    @model_validator(mode="after")
    def _ordered(self) -> VolumeRange:
        if self.max_queries_per_month <= self.min_queries_per_month:
            raise PydanticCustomError("range", "max_queries_per_month must be above min_queries_per_month")
        return self
