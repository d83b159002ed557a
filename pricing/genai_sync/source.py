"""Reading the pinned genai-prices package: its version and data date, model lookup, and the `Reference`
(prices, tiers, scheduled changes, context window) of one model on one day. Nothing reaches the network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib import metadata
from typing import Any

#: Release dates of genai-prices versions (PyPI lists 0.2.3 as released in 2026-11; a month-only
#: date is read as the 1st of that month, as everywhere in the catalog). A version missing here
#: needs `--checked YYYY-MM-DD` when figures are written.
RELEASE_DATES = {"0.2.3": date(2026, 11, 1)}

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


def data_date(version: str | None = None, checked: date | None = None) -> date:
    """The date figures read from this version are `checked` on."""
    if checked is not None:
        return checked
    version = version or package_version()
    if version not in RELEASE_DATES:
        raise SyncError(
            f"genai-prices {version} has no known release date: pass --checked YYYY-MM-DD "
            "(its release date on PyPI), or add it to RELEASE_DATES in pricing/genai_sync/source.py"
        )
    return RELEASE_DATES[version]


def source_text(ref: str, version: str | None = None) -> str:
    return f"genai-prices {version or package_version()} (PyPI), {ref}"


# --------------------------------------------------------------------------- reading the package


def _providers():
    from genai_prices import data

    return data.providers


def find_model(ref: str):
    """(provider, model) for "provider_id:model_id", matched exactly; None when the package lacks it."""
    provider_id, _, model_id = ref.partition(":")
    for provider in _providers():
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
    providers = {p.id: p for p in _providers()}
    if provider_id not in providers:
        close = difflib.get_close_matches(provider_id, sorted(providers), n=3)
        return f" — no provider `{provider_id}`" + (f"; did you mean {', '.join(close)}?" if close else "")
    ids = [m.id for m in providers[provider_id].models]
    close = difflib.get_close_matches(model_id, ids, n=3, cutoff=0.5)
    return f" — did you mean {', '.join(f'{provider_id}:{c}' for c in close)}?" if close else ""


def _num(v) -> float | int:
    """A package price as a YAML-friendly number (an integer when whole)."""
    d = Decimal(str(v))
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _base(price):
    if price is None:
        return None
    return _num(price.base) if hasattr(price, "tiers") else _num(price)


def _first_tier(price):
    if price is None or not hasattr(price, "tiers") or not price.tiers:
        return None
    return price.tiers[0]


def _timestamp(model, day: date) -> datetime:
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


def _has_batch(model, ts: datetime) -> bool:
    for variant in model.price_variants or ():
        if variant.when.get("processing") != "batch":
            continue
        if variant.constraint is None or variant.constraint.active(ts):
            return True
    return False


def _change_dates(model, after: date) -> list[date]:
    from genai_prices.types import StartDateConstraint

    if not isinstance(model.prices, list):
        return []
    return sorted(
        {
            c.constraint.start_date
            for c in model.prices
            if isinstance(c.constraint, StartDateConstraint) and c.constraint.start_date > after
        }
    )


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
    price_changes: list[dict[str, Any]]  # effective_on + TIER_FIELDS
    comments: str | None = None
    is_embedding: bool = False


def reference(ref: str, on: date) -> Reference:
    """The package's figures for `ref` on day `on`. Raises `SyncError` when the package lacks the model."""
    found = find_model(ref)
    if found is None:
        raise SyncError(f"`{ref}` is not in genai-prices {package_version()}{suggest(ref)}")
    provider, model = found
    ts = _timestamp(model, on)
    std = model.get_prices(ts)
    out = std.output_mtok
    is_embedding = out is None or (ref.partition(":")[2].find("embed") >= 0)
    batch = model.get_prices(ts, {"processing": "batch"}) if _has_batch(model, ts) else None
    return Reference(
        ref=ref,
        name=model.name or model.id,
        provider_name=provider.name,
        deprecated=bool(model.deprecated),
        context_window=model.context_window,
        prices=_prices(std, batch, is_embedding),
        long_context=None if is_embedding else _long_context(std),
        price_changes=[] if is_embedding else _price_changes(model, on),
        comments=model.price_comments,
        is_embedding=is_embedding,
    )


def _prices(std, batch, is_embedding: bool) -> dict[str, float | int]:
    """The catalog's price fields present in the package's standard (and batch) prices."""
    prices: dict[str, float | int] = {}
    if is_embedding:
        prices["usd_per_1m_tokens"] = _base(std.input_mtok)
        if batch is not None and batch.input_mtok is not None:
            prices["batch_usd_per_1m_tokens"] = _base(batch.input_mtok)
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
        prices = {k: _base(v) for k, v in pairs.items() if v is not None}
    return prices


def _long_context(std) -> dict[str, Any] | None:
    """The first long-context tier of an LLM's prices: its threshold and its prices, or None."""
    long_context = None
    tier = _first_tier(std.input_mtok) or _first_tier(std.output_mtok)
    if tier is not None:
        out_tier = _first_tier(std.output_mtok)
        cache_tier = _first_tier(std.cache_read_mtok)
        long_context = {
            "above_input_tokens": int(tier.start),
            "input_usd_per_1m_tokens": _num(_first_tier(std.input_mtok).price)
            if _first_tier(std.input_mtok)
            else _base(std.input_mtok),
            "output_usd_per_1m_tokens": _num(out_tier.price) if out_tier else _base(std.output_mtok),
        }
        if cache_tier is not None:
            long_context["cached_input_usd_per_1m_tokens"] = _num(cache_tier.price)
    return long_context


def _price_changes(model, on: date) -> list[dict[str, Any]]:
    """An LLM's scheduled price changes after `on`: the date and the prices from then on."""
    changes = []
    for day in _change_dates(model, on):
        p = model.get_prices(_timestamp(model, day))
        change: dict[str, Any] = {
            "effective_on": day,
            "input_usd_per_1m_tokens": _base(p.input_mtok),
            "output_usd_per_1m_tokens": _base(p.output_mtok),
        }
        if p.cache_read_mtok is not None:
            change["cached_input_usd_per_1m_tokens"] = _base(p.cache_read_mtok)
        changes.append(change)
    return changes
