"""LLM entries of the catalog: an LLM's token prices (with its long-context tier, batch and cache prices,
scheduled price changes, lifecycle, architecture and reasoning) and fine-tuning offers."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from pricing.caching import PromptCacheRules
from pricing.gpus import SelfHostedThroughput
from pricing.lifecycle import LIFECYCLE_DESCRIPTION, Lifecycle
from pricing.serving_facts import ModelArchitecture, Reasoning
from pricing.units import (
    GenaiPricesRef,
    Key,
    LatencyMs,
    Name,
    Seconds,
    Strict,
    TokensPerSecond,
    UsdPer1MTokens,
    UsdPer1MTokensPerHour,
    UsdPer1MTrainTokens,
    UsdPerHour,
)


class LongContextTier(Strict):
    """Prices of a request whose input exceeds `above_input_tokens` (they apply to the whole request)."""

    above_input_tokens: int = Field(ge=1, le=100_000_000, strict=True, description="Threshold in input tokens.")
    input_usd_per_1m_tokens: UsdPer1MTokens
    output_usd_per_1m_tokens: UsdPer1MTokens
    cached_input_usd_per_1m_tokens: UsdPer1MTokens | None = None


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
                "a price change gives at least one price ({kinds} or a `long_context` tier) — a change with no "
                "price changes nothing",
                {"kinds": ", ".join(price_words(f) for f in CHANGE_PRICE_FIELDS)},
            )
        return self

    def prices(self) -> dict[str, Any]:
        """The LLM fields this change sets (its prices given), for `model_copy(update=...)`."""
        out: dict[str, Any] = {f: getattr(self, f) for f in CHANGE_PRICE_FIELDS if getattr(self, f) is not None}
        if self.long_context is not None:
            out["long_context"] = self.long_context
        return out


#: The prices a scheduled change can carry (the LLM's own field names, each a `PriceChange` field), besides a
#: whole `long_context` tier.
CHANGE_PRICE_FIELDS = tuple(f for f in PriceChange.model_fields if f.endswith("_usd_per_1m_tokens"))


def price_words(field: str) -> str:
    """How an LLM price field reads in a sentence: `batch_input_usd_per_1m_tokens` → "batch input"."""
    return field.replace("_usd_per_1m_tokens", "").replace("_", " ")


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
    lifecycle: Lifecycle | None = Field(None, description=LIFECYCLE_DESCRIPTION)
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
    lifecycle: Lifecycle | None = Field(None, description=LIFECYCLE_DESCRIPTION)

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
