"""Reading the pinned genai-prices package: its version and data date, model lookup, and the `Reference`
(prices, tiers, scheduled changes, context window) of one model on one day. Nothing reaches the network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib import metadata
from typing import Any

#: Default drift threshold (relative difference) above which `check` fails.
DEFAULT_THRESHOLD = 0.05

#: Providers whose own API the key of a new entry names without a prefix.
FIRST_PARTY = {"openai", "anthropic", "google", "mistral", "deepseek", "cohere", "voyageai", "x-ai"}

# Fields of an LLM the reference knows (in the order a new entry lists them).
LLM_PRICE_FIELDS = (
    "input_usd_per_1m_tokens",
    "output_usd_per_1m_tokens",
    "cached_input_usd_per_1m_tokens",
    "cache_write_usd_per_1m_tokens",
    "batch_input_usd_per_1m_tokens",
    "batch_output_usd_per_1m_tokens",
)
EMBEDDING_PRICE_FIELDS = ("usd_per_1m_tokens", "batch_usd_per_1m_tokens")
TIER_FIELDS = ("input_usd_per_1m_tokens", "output_usd_per_1m_tokens", "cached_input_usd_per_1m_tokens")


class SyncError(Exception):
    """A problem a user can cause (unknown model reference, missing option): a sentence, never a traceback."""


def package_version() -> str:
    """Installed version of genai-prices."""
    return metadata.version("genai-prices")


def today() -> date:
    """The day a check runs (tests replace it)."""
    return date.today()


def checked_date(checked: date | None = None, on: date | None = None) -> date:
    """The `checked` date written with figures read from the package: `checked` when given, else the day the
    prices were resolved on (`on`, default today), never after today."""
    if checked is not None:
        return checked
    now = today()
    return min(on, now) if on is not None else now


def source_text(ref: str, version: str | None = None) -> str:
    return f"genai-prices {version or package_version()} (PyPI), {ref}"


# --------------------------------------------------------------------------- reading the package


def genai_providers():
    from genai_prices import data

    return data.providers


def find_model(ref: str):
    """(provider, model) for "provider_id:model_id", matched exactly; None when the package lacks it."""
    provider_id, _, model_id = ref.partition(":")
    for provider in genai_providers():
        if provider.id == provider_id:
            for model in provider.models:
                if model.id == model_id:
                    return provider, model
            return None
    return None


def suggest(ref: str) -> str:
    """A hint naming close model references, for a reference the package lacks."""
    import difflib

    provider_id, _, model_id = ref.partition(":")
    providers = {p.id: p for p in genai_providers()}
    if provider_id not in providers:
        close = difflib.get_close_matches(provider_id, sorted(providers), n=3)
        return f" — no provider `{provider_id}`" + (f"; did you mean {', '.join(close)}?" if close else "")
    ids = [m.id for m in providers[provider_id].models]
    close = difflib.get_close_matches(model_id, ids, n=3, cutoff=0.5)
    return f" — did you mean {', '.join(f'{provider_id}:{c}' for c in close)}?" if close else ""


def num(v) -> float | int:
    """A package price as a YAML-friendly number (an integer when whole)."""
    d = Decimal(str(v))
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def base(price):
    if price is None:
        return None
    return num(price.base) if hasattr(price, "tiers") else num(price)


def first_tier(price):
    if price is None or not hasattr(price, "tiers") or not price.tiers:
        return None
    return price.tiers[0]


def timestamp(model, day: date) -> datetime:
    """A moment on `day` outside every daily price window of the model (noon UTC unless a window covers it)."""
    from genai_prices.types import ConditionalPrice, TimeOfDateConstraint

    windows = [
        c.constraint
        for c in (model.prices if isinstance(model.prices, list) else [])
        if isinstance(c, ConditionalPrice) and isinstance(c.constraint, TimeOfDateConstraint)
    ]
    for hour in (12, 13, 14, 15, 16, 11, 18, 20, 22, 0):
        ts = datetime.combine(day, time(hour, 0), tzinfo=UTC)
        if not any(w.active(ts) for w in windows):
            return ts
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def has_batch(model, ts: datetime) -> bool:
    for variant in model.price_variants or ():
        if variant.when.get("processing") != "batch":
            continue
        if variant.constraint is None or variant.constraint.active(ts):
            return True
    return False


def change_dates(model, after: date) -> list[date]:
    """The days after `after` on which any price of the model changes (standard or batch)."""
    from genai_prices.types import StartDateConstraint

    constraints = [c.constraint for c in model.prices] if isinstance(model.prices, list) else []
    constraints += [v.constraint for v in model.price_variants or () if v.when.get("processing") == "batch"]
    return sorted({c.start_date for c in constraints if isinstance(c, StartDateConstraint) and c.start_date > after})


@dataclass(frozen=True)
class Reference:
    """What the package says about one model, in the catalog's field names."""

    ref: str
    name: str
    provider_name: str
    deprecated: bool
    context_window: int | None
    prices: dict[str, float | int]  # LLM_PRICE_FIELDS / EMBEDDING_PRICE_FIELDS present in the package
    long_context: dict[str, Any] | None  # above_input_tokens + TIER_FIELDS
    price_changes: list[dict[str, Any]]  # effective_on + the LLM_PRICE_FIELDS in force from then (+ long_context)
    comments: str | None = None
    is_embedding: bool = False
    on: date = date.min  # the day the prices are resolved on


def reference(ref: str, on: date, since: date | None = None) -> Reference:
    """The package's figures for `ref` on day `on`, with its scheduled changes after `since` (default `on`).
    Raises `SyncError` when the package lacks the model."""
    found = find_model(ref)
    if found is None:
        raise SyncError(f"`{ref}` is not in genai-prices {package_version()}{suggest(ref)}")
    provider, model = found
    ts = timestamp(model, on)
    std = model.get_prices(ts)
    out = std.output_mtok
    is_embedding = out is None or (ref.partition(":")[2].find("embed") >= 0)
    batch = model.get_prices(ts, {"processing": "batch"}) if has_batch(model, ts) else None
    return Reference(
        ref=ref,
        name=model.name or model.id,
        provider_name=provider.name,
        deprecated=bool(model.deprecated),
        context_window=model.context_window,
        prices=_prices(std, batch, is_embedding),
        long_context=None if is_embedding else _long_context(std),
        price_changes=[] if is_embedding else _price_changes(model, since or on),
        comments=model.price_comments,
        is_embedding=is_embedding,
        on=on,
    )


def _prices(std, batch, is_embedding: bool) -> dict[str, float | int]:
    """The catalog's price fields present in the package's standard (and batch) prices."""
    prices: dict[str, float | int] = {}
    if is_embedding:
        prices["usd_per_1m_tokens"] = base(std.input_mtok)
        if batch is not None and batch.input_mtok is not None:
            prices["batch_usd_per_1m_tokens"] = base(batch.input_mtok)
    else:
        pairs = {
            "input_usd_per_1m_tokens": std.input_mtok,
            "output_usd_per_1m_tokens": std.output_mtok,
            "cached_input_usd_per_1m_tokens": std.cache_read_mtok,
            "cache_write_usd_per_1m_tokens": std.cache_write_mtok,
        }
        if batch is not None:
            pairs["batch_input_usd_per_1m_tokens"] = batch.input_mtok
            pairs["batch_output_usd_per_1m_tokens"] = batch.output_mtok
        prices = {k: base(v) for k, v in pairs.items() if v is not None}
    return prices


def _long_context(std) -> dict[str, Any] | None:
    """The first long-context tier of an LLM's prices: its threshold and its prices, or None."""
    long_context = None
    tier = first_tier(std.input_mtok) or first_tier(std.output_mtok)
    if tier is not None:
        out_tier = first_tier(std.output_mtok)
        cache_tier = first_tier(std.cache_read_mtok)
        long_context = {
            "above_input_tokens": int(tier.start),
            "input_usd_per_1m_tokens": num(first_tier(std.input_mtok).price)
            if first_tier(std.input_mtok)
            else base(std.input_mtok),
            "output_usd_per_1m_tokens": num(out_tier.price) if out_tier else base(std.output_mtok),
        }
        if cache_tier is not None:
            long_context["cached_input_usd_per_1m_tokens"] = num(cache_tier.price)
    return long_context


def _prices_on(model, day: date) -> tuple[dict[str, float | int], dict[str, Any] | None]:
    """An LLM's prices of every kind, and its long-context tier, on `day`."""
    ts = timestamp(model, day)
    std = model.get_prices(ts)
    batch = model.get_prices(ts, {"processing": "batch"}) if has_batch(model, ts) else None
    return _prices(std, batch, False), _long_context(std)


def _price_changes(model, after: date) -> list[dict[str, Any]]:
    """An LLM's scheduled price changes after `after`: the date and every price in force from then on (the tier
    too, when it changes)."""
    changes = []
    _, tier_before = _prices_on(model, after)
    for day in change_dates(model, after):
        prices, tier = _prices_on(model, day)
        change: dict[str, Any] = {"effective_on": day, **prices}
        if tier is not None and tier != tier_before:
            change["long_context"] = tier
        tier_before = tier
        changes.append(change)
    return changes
