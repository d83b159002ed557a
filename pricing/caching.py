"""How a vendor's prompt cache behaves beyond its prices (an LLM entry's `prompt_cache`): docs/formulas.md,
"Caching as vendors bill it"."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from pricing.units import Strict


class PromptCacheRules(Strict):
    """How a vendor's prompt cache behaves beyond its prices: the smallest prefix it caches, the first-token
    time a hit saves and the most requests that can hit (a hot prefix is spread over machines)."""

    min_prefix_tokens: int | None = Field(
        None, ge=0, le=10_000_000, strict=True, description="Shortest prefix the vendor caches (shorter: never)."
    )
    first_token_saving_share: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Share of the cached prefix's prefill time a hit saves (absent: no saving modelled).",
    )
    hit_share_ceiling: float | None = Field(
        None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Most requests that can hit the cache, whatever the traffic (absent: no ceiling).",
    )
    source: str = Field(min_length=3, max_length=500, description="URL or citation where the rules were read.")
    checked: date = Field(description="Date the rules were last checked against their source (YYYY-MM-DD).")
    note: str | None = Field(None, max_length=1000, description="Anything a reader should know about them.")
