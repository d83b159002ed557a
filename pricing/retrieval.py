"""Retrieval entries of the catalog: embedding models, vector stores (one model per billing shape, joined in
the `VectorStore` union on `billing`) and rerankers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.gpus import SelfHostedThroughput
from pricing.lifecycle import LIFECYCLE_DESCRIPTION, Lifecycle
from pricing.owned import SelfHostedReranking, one_reranker_billing
from pricing.units import (
    GenaiPricesRef,
    LatencyMs,
    Name,
    QueriesPerSecond,
    Strict,
    UsdPer1KSearches,
    UsdPer1MDims,
    UsdPer1MEmbedTokens,
    UsdPer1MRerankTokens,
    UsdPer1MUnits,
    UsdPerGb,
    UsdPerGbMonth,
    UsdPerHour,
    UsdPerMonth,
    UsdPerTb,
)


class EmbeddingModel(Strict):
    name: Name
    provider: Name
    dimensions: int = Field(ge=1, le=65_536, description="Vector dimensions stored per chunk.", strict=True)
    max_input_tokens: int = Field(8192, ge=1, le=10_000_000, strict=True)
    usd_per_1m_tokens: UsdPer1MEmbedTokens | None = Field(
        None, description="API price. Leave out for a self-hosted model (give `self_hosted`)."
    )
    batch_usd_per_1m_tokens: UsdPer1MEmbedTokens | None = Field(
        None, description="API price through the vendor's batch interface (absent: no batch price)."
    )
    self_hosted: SelfHostedThroughput | None = Field(
        None, description="Self-hosted model: cost from GPU time at its throughput."
    )
    latency_p50_ms: LatencyMs
    latency_p95_ms: LatencyMs
    genai_prices: GenaiPricesRef | None = None
    lifecycle: Lifecycle | None = Field(None, description=LIFECYCLE_DESCRIPTION)

    @model_validator(mode="after")
    def _one_pricing(self) -> EmbeddingModel:
        if (self.usd_per_1m_tokens is None) == (self.self_hosted is None):
            raise PydanticCustomError(
                "pricing_shape",
                "give exactly one of `usd_per_1m_tokens` (an API) or `self_hosted` (GPU + throughput)",
            )
        if self.batch_usd_per_1m_tokens is not None and self.usd_per_1m_tokens is None:
            raise PydanticCustomError(
                "pricing_shape",
                "a batch price needs the API price `usd_per_1m_tokens` beside it (a self-hosted model has none)",
                {"at": ("batch_usd_per_1m_tokens",)},
            )
        return self


class _VectorStoreBase(Strict):
    name: Name
    provider: Name
    in_house: bool = Field(False, description="Runs in your own cloud account or machines: no vendor holds the data.")
    latency_p50_ms: LatencyMs
    latency_p95_ms: LatencyMs


class PineconeServerless(_VectorStoreBase):
    billing: Literal["pinecone_serverless"]
    usd_per_gb_month: UsdPerGbMonth
    usd_per_1m_read_units: UsdPer1MUnits
    usd_per_1m_write_units: UsdPer1MUnits
    usd_minimum_per_month: UsdPerMonth
    read_units_per_gb_per_query: float = Field(
        1.0,
        ge=0,
        le=1000,
        allow_inf_nan=False,
        description="A query costs this many read units per GB of namespace.",
        strict=True,
    )
    min_read_units_per_query: float = Field(0.25, ge=0, le=1000, allow_inf_nan=False, strict=True)
    write_units_per_kb: float = Field(
        1.0, ge=0, le=1000, allow_inf_nan=False, description="Write units per KB of record written.", strict=True
    )


class PerDimension(_VectorStoreBase):
    billing: Literal["per_dimension"]
    usd_per_1m_dimensions_month: UsdPer1MDims
    usd_per_gb_month: UsdPerGbMonth | None = None
    usd_minimum_per_month: UsdPerMonth


class UsageBased(_VectorStoreBase):
    """Billed by data written, stored, scanned and returned (Chroma Cloud)."""

    billing: Literal["usage_based"]
    usd_per_gb_written: UsdPerGb
    usd_per_gb_month: UsdPerGbMonth
    usd_per_tb_scanned: UsdPerTb
    usd_per_gb_returned: UsdPerGb
    usd_minimum_per_month: UsdPerMonth


class Capacity(_VectorStoreBase):
    """Capacity rented per hour: a Postgres instance with pgvector, a Qdrant node, a dedicated cluster unit."""

    billing: Literal["capacity"]
    instance: Name = Field(description="Instance type or cluster unit rented.")
    usd_per_hour: UsdPerHour
    usd_per_gb_month: UsdPerGbMonth | None = Field(None, description="Disk storage, if billed apart.")
    memory_gb_per_instance: float = Field(
        gt=0, le=100_000, allow_inf_nan=False, description="Index memory one instance holds.", strict=True
    )
    max_queries_per_second: QueriesPerSecond = Field(description="Queries per second one instance sustains.")
    index_overhead: float = Field(
        1.5,
        ge=1,
        le=20,
        allow_inf_nan=False,
        description="Index size ÷ raw vector bytes (HNSW graph, metadata).",
        strict=True,
    )
    min_instances: int = Field(1, ge=1, le=1000, strict=True)


VectorStore = Annotated[PineconeServerless | PerDimension | UsageBased | Capacity, Field(discriminator="billing")]


class Reranker(Strict):
    """Billed per search (`usd_per_1k_searches`) or per token of query and candidate text (`usd_per_1m_tokens`)."""

    name: Name
    provider: Name
    usd_per_1k_searches: UsdPer1KSearches | None = Field(
        None, description="Price per 1,000 searches (one search reranks up to `max_documents_per_search` documents)."
    )
    usd_per_1m_tokens: UsdPer1MRerankTokens | None = Field(
        None, description="Price per 1M tokens of query + candidate text (the query counts once per candidate)."
    )
    self_hosted: SelfHostedReranking | None = None  # on your GPU: GPU time at the documents it scores a second
    max_documents_per_search: int = Field(100, ge=1, le=100_000, strict=True)
    latency_p50_ms: LatencyMs
    latency_p95_ms: LatencyMs
    lifecycle: Lifecycle | None = Field(None, description=LIFECYCLE_DESCRIPTION)

    @model_validator(mode="after")
    def _one_billing(self) -> Reranker:
        one_reranker_billing(self.usd_per_1k_searches, self.usd_per_1m_tokens, self.self_hosted)
        return self
