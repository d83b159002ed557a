"""Pydantic models of the pricing catalog.

Every figure (a price, a latency, a throughput) is a `Figure`: a value with an
optional low/high range, the `source` it was read from and the date it was
`checked`. The unit lives in the field name (`usd_per_1m_tokens`,
`latency_p50_ms`, ...). Implausible magnitudes are rejected by per-field
ceilings, which catch the classic unit mistake (a per-token price stored as a
per-1M price). The JSON Schema in `pricing/catalog.schema.json` is generated
from these models (`python -m pricing.schema`), never written by hand.

The strict base model, `Figure` and the unit types live in `pricing/units.py`.
"""

from __future__ import annotations

import datetime
import difflib
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pricing.caching import PromptCacheRules
from pricing.owned import OwnedGPU, SelfHostedReranking, one_reranker_billing, owned_hourly
from pricing.serving_facts import Accelerator, ModelArchitecture, Reasoning
from pricing.units import (
    STALE_AFTER_DAYS,
    Figure,
    GenaiPricesRef,
    Key,
    LatencyMs,
    MsPer1KTokens,
    Name,
    QueriesPerSecond,
    Seconds,
    Strict,
    TokensPerSecond,
    UsdPer1KSearches,
    UsdPer1MDims,
    UsdPer1MEmbedTokens,
    UsdPer1MRerankTokens,
    UsdPer1MTokens,
    UsdPer1MTokensPerHour,
    UsdPer1MTrainTokens,
    UsdPer1MUnits,
    UsdPerGb,
    UsdPerGbMonth,
    UsdPerHour,
    UsdPerMonth,
    UsdPerTb,
)

STATUSES = ("available", "deprecated", "closed_to_new", "shut_down")


class Lifecycle(Strict):
    """When an entry was deprecated, closes to new customers and shuts down, and what replaces it."""

    deprecated_on: date | None = Field(None, description="Deprecation announced or in effect from this date.")
    closed_to_new_on: date | None = Field(
        None, description="No new customers (or no new jobs) from this date; existing users may go on."
    )
    shuts_down_on: date | None = Field(None, description="Stops serving from this date.")
    replacement: Key | None = Field(
        None, description="Key of the entry that replaces it, in the same family (validated to exist)."
    )
    source: str = Field(min_length=3, max_length=500, description="URL or citation where the dates were read.")
    checked: date = Field(description="Date the lifecycle was last checked against its source (YYYY-MM-DD).")
    note: str | None = Field(None, max_length=1000, description="Anything a reader should know about it.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Lifecycle:
        if self.checked > date.today():
            raise PydanticCustomError(
                "future_date", "checked date {checked} is in the future", {"checked": str(self.checked)}
            )
        end = self.shuts_down_on
        for name in ("deprecated_on", "closed_to_new_on"):
            start = getattr(self, name)
            if end is not None and start is not None and start > end:
                raise PydanticCustomError(
                    "date_order",
                    "`{name}` {start} is after `shuts_down_on` {end}: an entry cannot change after it stops",
                    {"name": name, "start": str(start), "end": str(end), "at": (name,)},
                )
        return self

    def available_on(self, day: date) -> bool:
        """False once the entry is shut down or closed to new customers on or before `day`."""
        return self.status_on(day) in ("available", "deprecated")

    def status_on(self, day: date) -> str:
        """The status on `day`: "available", "deprecated", "closed_to_new" or "shut_down"."""
        if self.shuts_down_on is not None and self.shuts_down_on <= day:
            return "shut_down"
        if self.closed_to_new_on is not None and self.closed_to_new_on <= day:
            return "closed_to_new"
        if self.deprecated_on is not None and self.deprecated_on <= day:
            return "deprecated"
        return "available"


_LIFECYCLE_DESCRIPTION = "Deprecation, closing and shutdown dates and the named replacement (absent: none known)."


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
    lifecycle: Lifecycle | None = Field(None, description=_LIFECYCLE_DESCRIPTION)

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


class SelfHostedThroughput(Strict):
    gpu: Key = Field(description="Key of an entry under `gpus`.")
    tokens_per_second: TokensPerSecond


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
    lifecycle: Lifecycle | None = Field(None, description=_LIFECYCLE_DESCRIPTION)

    @model_validator(mode="after")
    def _one_billing(self) -> Reranker:
        one_reranker_billing(self.usd_per_1k_searches, self.usd_per_1m_tokens, self.self_hosted)
        return self


class LongContextTier(Strict):
    """Prices of a request whose input exceeds `above_input_tokens` (they apply to the whole request)."""

    above_input_tokens: int = Field(ge=1, le=100_000_000, strict=True, description="Threshold in input tokens.")
    input_usd_per_1m_tokens: UsdPer1MTokens
    output_usd_per_1m_tokens: UsdPer1MTokens
    cached_input_usd_per_1m_tokens: UsdPer1MTokens | None = None


#: The prices a scheduled change can carry (the LLM's own field names), besides a whole `long_context` tier.
CHANGE_PRICE_FIELDS = (
    "input_usd_per_1m_tokens",
    "output_usd_per_1m_tokens",
    "cached_input_usd_per_1m_tokens",
    "cache_write_usd_per_1m_tokens",
    "batch_input_usd_per_1m_tokens",
    "batch_output_usd_per_1m_tokens",
)


class PriceChange(Strict):
    """A scheduled price change: from `effective_on` on, each price it gives replaces the one in force before
    (a price it leaves out stays as it was)."""

    effective_on: date = Field(description="First day the new prices apply (YYYY-MM-DD).")
    input_usd_per_1m_tokens: UsdPer1MTokens | None = None
    output_usd_per_1m_tokens: UsdPer1MTokens | None = None
    cached_input_usd_per_1m_tokens: UsdPer1MTokens | None = None
    cache_write_usd_per_1m_tokens: UsdPer1MTokens | None = None
    batch_input_usd_per_1m_tokens: UsdPer1MTokens | None = None
    batch_output_usd_per_1m_tokens: UsdPer1MTokens | None = None
    long_context: LongContextTier | None = Field(
        None, description="The long-context tier from that day on (replaces the whole tier)."
    )

    @model_validator(mode="after")
    def _some_price(self) -> PriceChange:
        if all(getattr(self, f) is None for f in CHANGE_PRICE_FIELDS) and self.long_context is None:
            raise PydanticCustomError(
                "pricing_shape",
                "a price change gives at least one price (input, output, cached input, cache write, batch input, "
                "batch output or a `long_context` tier) — a change with no price changes nothing",
            )
        return self

    def prices(self) -> dict[str, Any]:
        """The LLM fields this change sets (its prices given), for `model_copy(update=...)`."""
        out: dict[str, Any] = {f: getattr(self, f) for f in CHANGE_PRICE_FIELDS if getattr(self, f) is not None}
        if self.long_context is not None:
            out["long_context"] = self.long_context
        return out


class LLM(Strict):
    name: Name
    provider: Name
    open_weights: bool = Field(False, description="Weights available to serve on your own GPUs.")
    parameters_billion: float | None = Field(None, gt=0, le=10_000, allow_inf_nan=False, strict=True)
    input_usd_per_1m_tokens: UsdPer1MTokens
    output_usd_per_1m_tokens: UsdPer1MTokens
    context_window_tokens: int = Field(ge=256, le=100_000_000, strict=True)
    ttft_ms: LatencyMs = Field(description="Median time to first token on a short prompt.")
    output_tokens_per_second: TokensPerSecond
    genai_prices: GenaiPricesRef | None = None
    max_input_tokens: int | None = Field(
        None,
        ge=256,
        le=100_000_000,
        strict=True,
        description="Input the API accepts, when less than the context window (absent: the whole window).",
    )
    cached_input_usd_per_1m_tokens: UsdPer1MTokens | None = Field(
        None, description="Price of input read from the prompt cache (absent: no cache price known)."
    )
    cache_write_usd_per_1m_tokens: UsdPer1MTokens | None = Field(
        None, description="Price of writing input to the prompt cache (absent: writes billed at the input price)."
    )
    cache_ttl_seconds: Seconds | None = Field(None, description="How long an unused cached prefix lives.")
    cache_write_1h_usd_per_1m_tokens: UsdPer1MTokens | None = Field(
        None, description="Price of writing input to the 1-hour prompt cache (absent: no 1-hour option)."
    )
    cache_storage_usd_per_1m_tokens_per_hour: UsdPer1MTokensPerHour | None = Field(
        None,
        description="Explicit caches: storage per 1M cached tokens per hour (absent: no explicit cache).",
    )
    prompt_cache: PromptCacheRules | None = Field(
        None, description="Minimum cacheable prefix, first-token saving and hit-share ceiling (absent: none)."
    )
    batch_input_usd_per_1m_tokens: UsdPer1MTokens | None = Field(
        None, description="Input price through the vendor's batch interface (absent: no batch price)."
    )
    batch_output_usd_per_1m_tokens: UsdPer1MTokens | None = Field(
        None, description="Output price through the vendor's batch interface (absent: no batch price)."
    )
    long_context: LongContextTier | None = Field(
        None, description="Prices of a request whose input exceeds a threshold (absent: one price at any length)."
    )
    price_changes: list[PriceChange] = Field(
        default_factory=list, max_length=50, description="Scheduled price changes, oldest first."
    )
    lifecycle: Lifecycle | None = Field(None, description=_LIFECYCLE_DESCRIPTION)
    architecture: ModelArchitecture | None = Field(
        None, description="Open weights: what self-hosted sizing needs (absent: estimated from `parameters_billion`)."
    )
    reasoning: Reasoning | None = Field(
        None,
        description="A reasoning model: hidden tokens per request, billed as output and decoded before the answer.",
    )

    def on(self, day: date) -> LLM:
        """The entry with the scheduled changes in effect on `day` applied (itself when none is)."""
        update: dict[str, Any] = {}
        for change in self.price_changes:
            if change.effective_on > day:
                break
            update |= change.prices()
        later = [c for c in self.price_changes if c.effective_on > day]
        return self.model_copy(update=update | {"price_changes": later}) if update else self

    @property
    def input_limit_tokens(self) -> int:
        """The most input tokens one request may carry."""
        return self.max_input_tokens if self.max_input_tokens is not None else self.context_window_tokens

    @model_validator(mode="after")
    def _consistent(self) -> LLM:
        if self.max_input_tokens is not None and self.max_input_tokens > self.context_window_tokens:
            raise PydanticCustomError(
                "too_large",
                "`max_input_tokens` {given} is above the context window of {window} tokens",
                {"given": self.max_input_tokens, "window": self.context_window_tokens, "at": ("max_input_tokens",)},
            )
        if self.long_context is not None and self.long_context.above_input_tokens >= self.input_limit_tokens:
            raise PydanticCustomError(
                "too_large",
                "the long-context threshold {given} must be below the {limit} input tokens the model accepts",
                {
                    "given": self.long_context.above_input_tokens,
                    "limit": self.input_limit_tokens,
                    "at": ("long_context", "above_input_tokens"),
                },
            )
        for i in range(1, len(self.price_changes)):
            before, after = self.price_changes[i - 1].effective_on, self.price_changes[i].effective_on
            if after <= before:
                raise PydanticCustomError(
                    "date_order",
                    "price changes must be listed oldest first, each on its own date: {after} follows {before}",
                    {"after": str(after), "before": str(before), "at": ("price_changes", i, "effective_on")},
                )
        return self


class FineTuneOffer(Strict):
    name: Name
    provider: Name
    base_llm: Key = Field(description="Key of the base model under `llms`.")
    method: Literal["lora", "full"]
    training_usd_per_1m_tokens: UsdPer1MTrainTokens | None = Field(
        None, description="API training price per 1M training tokens (tokens × epochs)."
    )
    self_hosted_training: SelfHostedThroughput | None = Field(
        None, description="Self-hosted training: GPU and training tokens per second."
    )
    served_at_base_price: bool = Field(
        False, description="True when the tuned model is billed at the base model's token prices."
    )
    input_usd_per_1m_tokens: UsdPer1MTokens | None = Field(None, description="Fine-tuned inference input price.")
    output_usd_per_1m_tokens: UsdPer1MTokens | None = Field(None, description="Fine-tuned inference output price.")
    hosting_usd_per_hour: UsdPerHour | None = Field(
        None,
        description="Hourly fee for keeping the tuned model deployed, charged even when idle "
        "(with `hosting: dedicated`: the price of one replica).",
    )
    hosting: Literal["serverless", "dedicated"] = Field(
        "serverless",
        description="serverless: the tuned model is billed per token; dedicated: it runs on an endpoint billed "
        "by the hour around the clock (`hosting_usd_per_hour` per replica, per-token prices only if also charged).",
    )
    dedicated_output_tokens_per_second: TokensPerSecond | None = Field(
        None, description="Output tokens per second one dedicated replica sustains (to scale replicas with load)."
    )
    lifecycle: Lifecycle | None = Field(None, description=_LIFECYCLE_DESCRIPTION)

    @model_validator(mode="after")
    def _shape(self) -> FineTuneOffer:
        if (self.training_usd_per_1m_tokens is None) == (self.self_hosted_training is None):
            raise PydanticCustomError(
                "pricing_shape",
                "give exactly one of `training_usd_per_1m_tokens` (API) or `self_hosted_training` "
                "(GPU + tokens per second)",
            )
        has_prices = self.input_usd_per_1m_tokens is not None and self.output_usd_per_1m_tokens is not None
        if self.hosting == "dedicated":
            if self.hosting_usd_per_hour is None:
                raise PydanticCustomError(
                    "pricing_shape",
                    "a dedicated endpoint needs `hosting_usd_per_hour` (the price of one replica per hour) — "
                    "a missing price is never taken as zero",
                    {"at": ("hosting",)},
                )
            if (self.input_usd_per_1m_tokens is None) != (self.output_usd_per_1m_tokens is None):
                raise PydanticCustomError(
                    "pricing_shape",
                    "give both `input_usd_per_1m_tokens` and `output_usd_per_1m_tokens`, or neither "
                    "(a dedicated endpoint charged by the hour alone)",
                )
            return self
        if self.dedicated_output_tokens_per_second is not None:
            raise PydanticCustomError(
                "pricing_shape",
                "`dedicated_output_tokens_per_second` only applies with `hosting: dedicated`",
                {"at": ("dedicated_output_tokens_per_second",)},
            )
        if self.served_at_base_price == has_prices and self.self_hosted_training is None:
            raise PydanticCustomError(
                "pricing_shape",
                "give either `served_at_base_price: true` or both `input_usd_per_1m_tokens` and "
                "`output_usd_per_1m_tokens` for the tuned model's inference — a missing price is never taken as zero",
            )
        return self


class GPU(Strict):
    name: Name
    provider: Name
    gpu_type: Name
    gpu_count: int = Field(1, ge=1, le=64, strict=True)
    usd_per_hour: UsdPerHour  # rented; owned hardware leaves it out: computed from `owned`
    owned: OwnedGPU | None = None  # owned hardware: purchase, power and hosting per GPU (usd_per_hour computed)
    vllm_8b_tokens_per_second: TokensPerSecond | None = Field(
        None, description="Serving throughput of an 8B model on vLLM (output tokens per second, whole instance)."
    )
    memory_gb_per_gpu: int | None = Field(
        None, ge=1, le=4096, strict=True, description="Memory of one GPU in GB (the instance has `gpu_count` GPUs)."
    )
    accelerator: Key | None = Field(
        None,
        description="Key of the GPU's datasheet under `accelerators` (bandwidth, compute): needed to self-host on it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _owned_hourly(cls, data: Any) -> Any:  # the hourly price computed from `owned` (pricing/owned.py)
        return owned_hourly(data)


class LatencyModel(Strict):
    """Assumptions of the latency model (see docs/formulas.md)."""

    ttft_ms_per_1k_input_tokens: MsPer1KTokens = Field(description="Extra time to first token per 1,000 input tokens.")
    p95_over_p50: float = Field(
        1.6, ge=1, le=20, allow_inf_nan=False, description="p95 ÷ p50 for a figure given only as a median.", strict=True
    )
    network_overhead_ms: LatencyMs = Field(description="Client ↔ API round trip added once per request.")


class Catalog(Strict):
    """A pricing catalog: versioned, dated, in USD."""

    version: Name
    currency: Literal["USD"] = "USD"
    date: date
    description: str | None = Field(None, max_length=2000)
    genai_prices_version: str | None = Field(
        None, max_length=50, description="Version of the genai-prices package the catalog was last checked against."
    )
    latency_model: LatencyModel
    embedding_models: dict[Key, EmbeddingModel] = Field(min_length=1)
    vector_stores: dict[Key, VectorStore] = Field(min_length=1)
    rerankers: dict[Key, Reranker] = Field(min_length=1)
    llms: dict[Key, LLM] = Field(min_length=1)
    fine_tune_offers: dict[Key, FineTuneOffer] = Field(min_length=1)
    gpus: dict[Key, GPU] = Field(min_length=1)
    accelerators: dict[Key, Accelerator] = Field(
        default_factory=dict, description="GPU datasheets the serving model reads (absent: no GPU can self-host)."
    )

    @model_validator(mode="after")
    def _references_exist(self) -> Catalog:
        problems: list[tuple[str, str, str, str | None, str, str]] = []
        for key, emb in self.embedding_models.items():
            if emb.self_hosted and emb.self_hosted.gpu not in self.gpus:
                problems.append(("embedding_models", key, "self_hosted", "gpu", emb.self_hosted.gpu, "gpus"))
        for key, gpu in self.gpus.items():
            if gpu.accelerator is not None and gpu.accelerator not in self.accelerators:
                problems.append(("gpus", key, "accelerator", None, gpu.accelerator, "accelerators"))
        for key, offer in self.fine_tune_offers.items():
            if offer.base_llm not in self.llms:
                problems.append(("fine_tune_offers", key, "base_llm", None, offer.base_llm, "llms"))
            if offer.self_hosted_training and offer.self_hosted_training.gpu not in self.gpus:
                problems.append(
                    ("fine_tune_offers", key, "self_hosted_training", "gpu", offer.self_hosted_training.gpu, "gpus")
                )
        for fam in ("llms", "embedding_models", "rerankers", "fine_tune_offers"):
            for key, entry in getattr(self, fam).items():
                life = entry.lifecycle
                if life is not None and life.replacement is not None:
                    if life.replacement == key:
                        raise PydanticCustomError(
                            "self_reference",
                            "`{ref}` cannot replace itself: name another entry under `{target}`",
                            {"ref": key, "target": fam, "at": (fam, key, "lifecycle", "replacement")},
                        )
                    if life.replacement not in getattr(self, fam):
                        problems.append((fam, key, "lifecycle", "replacement", life.replacement, fam))
        if problems:
            fam, key, f1, f2, ref, target = problems[0]
            known = sorted(getattr(self, target))
            close = difflib.get_close_matches(ref, known, n=1)
            hint = f" — did you mean `{close[0]}`?" if close else f" (known: {', '.join(known)})"
            raise PydanticCustomError(
                "unknown_reference",
                "`{ref}` is not a key under `{target}`{hint}",
                {"ref": ref, "target": target, "hint": hint, "at": tuple(p for p in (fam, key, f1, f2) if p)},
            )
        return self

    def on(self, day: datetime.date) -> Catalog:
        """The catalog with every LLM's scheduled price changes in effect on `day` applied."""
        changed = {k: llm.on(day) for k, llm in self.llms.items() if llm.price_changes}
        changed = {k: v for k, v in changed.items() if v is not self.llms[k]}
        return self.model_copy(update={"llms": self.llms | changed}) if changed else self

    def figures(self):
        """Yield (path, Figure) for every figure in the catalog."""
        yield from walk_figures(self, ())

    def family_counts(self) -> dict[str, int]:
        """Entries per family, keyed by the family's plural name."""
        return {
            "embedding models": len(self.embedding_models),
            "vector stores": len(self.vector_stores),
            "rerankers": len(self.rerankers),
            "LLMs": len(self.llms),
            "fine-tuning offers": len(self.fine_tune_offers),
            "GPUs": len(self.gpus),
        }

    def stale_figures(self, today: datetime.date | None = None, after_days: int = STALE_AFTER_DAYS):
        return [(p, f) for p, f in self.figures() if f.is_stale(today, after_days)]


def walk_figures(obj: Any, path: tuple):
    if isinstance(obj, Figure):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk_figures(getattr(obj, name), path + (name,))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk_figures(v, path + (k,))


EmbeddingModel.model_rebuild()
