"""Check and refresh LLM and embedding prices against the pinned `genai-prices` package.

Each `llms` / `embedding_models` entry may name its model in the genai-prices
database (`genai_prices: "provider_id:model_id"`). For every such entry the
package gives the *reference*: input, output, cached-input and cache-write
prices, batch prices, the long-context tier, scheduled price changes, the
context window and the deprecated flag. Nothing here reaches the network: the
package's data are inside its wheel.

* `check_catalog` compares every referenced figure with the reference.
* `sync_text` rewrites the referenced figures of a catalog file (value, source,
  checked date) and keeps every comment, key order, quoting and hand-written
  field: a format-preserving round trip with ruamel.yaml.
* `new_entry_text` builds a new, sourced entry for any model the package knows.

Dates: prices are resolved on the catalog's `date`; scheduled changes are the
package's dated prices after that day. Daily windows (DeepSeek's peak hours)
are not a scheduled change: the reference is the price outside them.

Never imports streamlit.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib import metadata
from typing import Any

from pricing.models import LLM, Catalog, EmbeddingModel, Figure

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
            "(its release date on PyPI), or add it to RELEASE_DATES in pricing/genai_sync.py"
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
    prices: dict[str, float | int] = {}
    batch = model.get_prices(ts, {"processing": "batch"}) if _has_batch(model, ts) else None
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
    long_context = None
    tier = _first_tier(std.input_mtok) or _first_tier(std.output_mtok)
    if tier is not None and not is_embedding:
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
    changes = []
    if not is_embedding:
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
    return Reference(
        ref=ref,
        name=model.name or model.id,
        provider_name=provider.name,
        deprecated=bool(model.deprecated),
        context_window=model.context_window,
        prices=prices,
        long_context=long_context,
        price_changes=changes,
        comments=model.price_comments,
        is_embedding=is_embedding,
    )


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Finding:
    """One difference between an entry and its reference."""

    family: str
    key: str
    field: str  # dotted field path inside the entry ("" for the entry as a whole)
    message: str
    failing: bool
    catalog: Any = None
    reference: Any = None

    @property
    def where(self) -> str:
        return ".".join(p for p in (self.family, self.key, self.field) if p)


@dataclass
class CheckResult:
    version: str
    on: date
    threshold: float
    findings: list[Finding] = field(default_factory=list)
    checked_entries: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.failing]

    @property
    def ok(self) -> bool:
        return not self.failing


def relative_difference(ours: float, theirs: float) -> float:
    if theirs == 0:
        return 0.0 if ours == 0 else math.inf
    return abs(ours - theirs) / abs(theirs)


def _pct(ours: float, theirs: float) -> str:
    if theirs == 0:
        return "reference is 0"
    return f"{(ours - theirs) / theirs * 100:+.1f} %"


def _fmt(v) -> str:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:,}" if isinstance(v, int) else f"{v:g}"
    return str(v)


def _compare_value(out: list, fam: str, key: str, path: str, ours, theirs, threshold: float, what: str = "") -> None:
    if ours is None and theirs is None:
        return
    if ours is None:
        out.append(
            Finding(fam, key, path, f"missing in the catalog; genai-prices gives {_fmt(theirs)}", True, None, theirs)
        )
        return
    if theirs is None:
        out.append(
            Finding(fam, key, path, f"{_fmt(ours)} in the catalog; genai-prices has none (kept)", False, ours, None)
        )
        return
    rel = relative_difference(float(ours), float(theirs))
    if rel == 0:
        return
    failing = rel > threshold
    label = "drift" if failing else f"drift within the {threshold * 100:g} % threshold"
    out.append(
        Finding(
            fam,
            key,
            path,
            f"{label}: {_fmt(ours)} in the catalog, {_fmt(theirs)} in genai-prices "
            f"({_pct(float(ours), float(theirs))}){what}",
            failing,
            ours,
            theirs,
        )
    )


def _val(fig: Figure | None):
    return None if fig is None else fig.value


def _long_context_findings(out: list, fam: str, key: str, entry: LLM, ref: Reference, threshold: float) -> None:
    limit = entry.input_limit_tokens
    lc_ref = ref.long_context
    if lc_ref is not None and lc_ref["above_input_tokens"] >= limit:
        if entry.long_context is None:
            out.append(
                Finding(
                    fam,
                    key,
                    "long_context",
                    f"genai-prices has a tier above {lc_ref['above_input_tokens']:,} input tokens, at or above "
                    f"the {limit:,} tokens the entry accepts: not applicable (ignored)",
                    False,
                )
            )
        lc_ref = None
    lc = entry.long_context
    if lc_ref is None and lc is not None:
        out.append(
            Finding(
                fam, key, "long_context", "the catalog has a long-context tier; genai-prices has none (kept)", False
            )
        )
    elif lc_ref is not None and lc is None:
        out.append(
            Finding(
                fam,
                key,
                "long_context",
                f"missing in the catalog; genai-prices prices input above {lc_ref['above_input_tokens']:,} tokens "
                f"at {_fmt(lc_ref['input_usd_per_1m_tokens'])} / {_fmt(lc_ref['output_usd_per_1m_tokens'])}",
                True,
                None,
                lc_ref,
            )
        )
    elif lc_ref is not None and lc is not None:
        _compare_value(
            out,
            fam,
            key,
            "long_context.above_input_tokens",
            lc.above_input_tokens,
            lc_ref["above_input_tokens"],
            threshold,
        )
        for name in TIER_FIELDS:
            _compare_value(out, fam, key, f"long_context.{name}", _val(getattr(lc, name)), lc_ref.get(name), threshold)


def _price_change_findings(out: list, fam: str, key: str, entry: LLM, ref: Reference, threshold: float) -> None:
    ours_changes = {c.effective_on: c for c in entry.price_changes}
    ref_changes = {c["effective_on"]: c for c in ref.price_changes}
    for day in sorted(set(ours_changes) | set(ref_changes)):
        path = f"price_changes[{day.isoformat()}]"
        if day not in ours_changes:
            c = ref_changes[day]
            out.append(
                Finding(
                    fam,
                    key,
                    path,
                    "missing in the catalog; genai-prices changes the price to "
                    f"{_fmt(c['input_usd_per_1m_tokens'])} / "
                    f"{_fmt(c['output_usd_per_1m_tokens'])} on {day}",
                    True,
                    None,
                    c,
                )
            )
        elif day not in ref_changes:
            out.append(Finding(fam, key, path, "in the catalog; genai-prices has no change on that date (kept)", False))
        else:
            for name in TIER_FIELDS:
                _compare_value(
                    out,
                    fam,
                    key,
                    f"{path}.{name}",
                    _val(getattr(ours_changes[day], name)),
                    ref_changes[day].get(name),
                    threshold,
                )


def _entry_findings(fam: str, key: str, entry, ref: Reference, threshold: float) -> list[Finding]:
    out: list[Finding] = []
    if isinstance(entry, LLM):
        if ref.is_embedding:
            out.append(Finding(fam, key, "genai_prices", f"`{ref.ref}` is an embedding model, not an LLM", True))
            return out
        for name in LLM_PRICE_FIELDS:
            _compare_value(out, fam, key, name, _val(getattr(entry, name)), ref.prices.get(name), threshold)
        _long_context_findings(out, fam, key, entry, ref, threshold)
        _price_change_findings(out, fam, key, entry, ref, threshold)
        if ref.context_window is not None:
            rel = relative_difference(entry.context_window_tokens, ref.context_window)
            if rel > threshold:
                out.append(
                    Finding(
                        fam,
                        key,
                        "context_window_tokens",
                        f"drift: {entry.context_window_tokens:,} in the catalog, "
                        f"{ref.context_window:,} in genai-prices "
                        f"({_pct(entry.context_window_tokens, ref.context_window)})",
                        True,
                        entry.context_window_tokens,
                        ref.context_window,
                    )
                )
    else:  # EmbeddingModel
        if entry.usd_per_1m_tokens is None:
            out.append(Finding(fam, key, "genai_prices", "a self-hosted model has no API price to compare", False))
            return out
        for name in EMBEDDING_PRICE_FIELDS:
            _compare_value(out, fam, key, name, _val(getattr(entry, name)), ref.prices.get(name), threshold)
        if ref.context_window is not None:
            rel = relative_difference(entry.max_input_tokens, ref.context_window)
            if rel > threshold:
                out.append(
                    Finding(
                        fam,
                        key,
                        "max_input_tokens",
                        f"drift: {entry.max_input_tokens:,} in the catalog, {ref.context_window:,} in genai-prices "
                        f"({_pct(entry.max_input_tokens, ref.context_window)})",
                        True,
                        entry.max_input_tokens,
                        ref.context_window,
                    )
                )
    if ref.deprecated and entry.lifecycle is None:
        out.append(
            Finding(
                fam,
                key,
                "lifecycle",
                "genai-prices flags the model deprecated; the entry has no `lifecycle` saying when it stops",
                True,
            )
        )
    return out


def referenced_entries(catalog: Catalog):
    """(family, key, entry) for every LLM and embedding model that names a genai-prices model."""
    for fam in ("llms", "embedding_models"):
        for key, entry in getattr(catalog, fam).items():
            yield fam, key, entry


def check_entry(fam: str, key: str, entry, on: date, threshold: float = DEFAULT_THRESHOLD) -> list[Finding]:
    """Findings for one referenced entry (an `LLM` or an `EmbeddingModel` with `genai_prices` set)."""
    try:
        ref = reference(entry.genai_prices, on)
    except SyncError as e:
        return [Finding(fam, key, "genai_prices", str(e), True)]
    return _entry_findings(fam, key, entry, ref, threshold)


def check_catalog(catalog: Catalog, threshold: float = DEFAULT_THRESHOLD, on: date | None = None) -> CheckResult:
    """Compare every referenced figure of `catalog` with the installed genai-prices data."""
    on = on or catalog.date
    result = CheckResult(package_version(), on, threshold)
    for fam, key, entry in referenced_entries(catalog):
        if entry.genai_prices is None:
            result.unreferenced.append(f"{fam}.{key}")
            continue
        result.checked_entries.append(f"{fam}.{key}")
        result.findings.extend(check_entry(fam, key, entry, on, threshold))
    return result


def render_check(result: CheckResult, file: str, positions: dict | None = None) -> str:
    lines = [
        f"{file}: compared with genai-prices {result.version} on {result.on} "
        f"(threshold {result.threshold * 100:g} %; {len(result.checked_entries)} referenced entries, "
        f"{len(result.unreferenced)} without a reference)"
    ]
    for f in result.findings:
        mark = "FAIL" if f.failing else "note"
        where = ""
        if positions:
            pos = positions.get((f.family, f.key, f.field.split(".")[0].split("[")[0])) or positions.get(
                (f.family, f.key)
            )
            if pos:
                where = f"{pos[0]}:{pos[1]}:{pos[2]}: "
        lines.append(f"  {mark} {where}{f.where}: {f.message}")
    failing = result.failing
    entries = sorted({f"{f.family}.{f.key}" for f in failing})
    if failing:
        lines.append(
            f"{len(failing)} failing finding(s) in {len(entries)} "
            f"entr{'y' if len(entries) == 1 else 'ies'}: {', '.join(entries)}"
        )
    else:
        lines.append(
            f"no drift above {result.threshold * 100:g} %: "
            f"every referenced figure matches genai-prices {result.version}"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- writing YAML


def _yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *args: True  # the loader refuses anchors: write every value out
    return y


def _dq(text: str):
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def _figure_map(value, source: str, checked: date, note: str | None = None):
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    m["value"] = value
    m["source"] = _dq(source)
    m["checked"] = checked
    if note:
        m["note"] = _dq(note)
    return m


def _insert_after(mapping, after_keys: tuple[str, ...], key: str, value) -> None:
    """Insert `key` after the last of `after_keys` present in `mapping` (or at the end)."""
    keys = list(mapping.keys())
    pos = len(keys)
    for k in after_keys:
        if k in mapping:
            pos = keys.index(k) + 1
    mapping.insert(pos, key, value)


@dataclass(frozen=True)
class Change:
    where: str
    old: Any
    new: Any

    def __str__(self) -> str:
        if self.old is None:
            return f"  + {self.where}: {_fmt(self.new)}"
        return f"  ~ {self.where}: {_fmt(self.old)} -> {_fmt(self.new)}"


def _set_figure(
    entry_map, name: str, value, source: str, checked: date, changes: list, where: str, after: tuple[str, ...]
):
    """Write a referenced figure: value, source, checked.

    Drops `verified: false` and a `low`/`high` that no longer brackets the value.
    """
    fig = entry_map.get(name)
    if fig is None:
        _insert_after(entry_map, after, name, _figure_map(value, source, checked))
        changes.append(Change(f"{where}.{name}", None, value))
        return
    old = fig.get("value")
    if old is None or float(old) != float(value):
        fig["value"] = value
        changes.append(Change(f"{where}.{name}", old, value))
    lo, hi = fig.get("low"), fig.get("high")
    if lo is not None and float(lo) > float(value):
        del fig["low"]
    if hi is not None and float(hi) < float(value):
        del fig["high"]
    fig["source"] = _dq(source)
    fig["checked"] = checked
    if "verified" in fig and fig["verified"] is False:
        del fig["verified"]


_LLM_ORDER = (
    "name",
    "provider",
    "genai_prices",
    "open_weights",
    "parameters_billion",
    "context_window_tokens",
    "max_input_tokens",
    "input_usd_per_1m_tokens",
    "output_usd_per_1m_tokens",
    "cached_input_usd_per_1m_tokens",
    "cache_write_usd_per_1m_tokens",
    "cache_ttl_seconds",
    "batch_input_usd_per_1m_tokens",
    "batch_output_usd_per_1m_tokens",
    "long_context",
    "price_changes",
)
_EMB_ORDER = (
    "name",
    "provider",
    "genai_prices",
    "dimensions",
    "max_input_tokens",
    "usd_per_1m_tokens",
    "batch_usd_per_1m_tokens",
)


def _before(order: tuple[str, ...], name: str) -> tuple[str, ...]:
    return order[: order.index(name)]


def _mark_retired(node, shut: date) -> None:
    """Figures read from the package for an entry already shut down: a historical price, `verified: false`."""
    if isinstance(node, dict):
        if "value" in node and str(node.get("source", "")).startswith("genai-prices "):
            if node.get("verified") is not False:
                _insert_after(node, ("value", "low", "high", "source", "checked"), "verified", False)
            if not node.get("note"):
                node["note"] = _dq(f"Historical price, still listed by genai-prices: the model shut down on {shut}.")
            return
        for value in node.values():
            _mark_retired(value, shut)
    elif isinstance(node, list):
        for item in node:
            _mark_retired(item, shut)


def _retire_if_shut(entry_map, entry, checked: date) -> None:
    life = entry.lifecycle
    if life is not None and life.shuts_down_on is not None and life.shuts_down_on <= checked:
        _mark_retired(entry_map, life.shuts_down_on)


def _sync_entry(
    entry_map, fam: str, key: str, entry, ref: Reference, source: str, checked: date, threshold: float
) -> list[Change]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    changes: list[Change] = []
    where = f"{fam}.{key}"
    order = _LLM_ORDER if fam == "llms" else _EMB_ORDER
    for name, value in ref.prices.items():
        _set_figure(entry_map, name, value, source, checked, changes, where, _before(order, name))
    if fam == "embedding_models":
        if (
            ref.context_window is not None
            and relative_difference(entry.max_input_tokens, ref.context_window) > threshold
        ):
            changes.append(Change(f"{where}.max_input_tokens", entry.max_input_tokens, ref.context_window))
            if "max_input_tokens" in entry_map:
                entry_map["max_input_tokens"] = ref.context_window
            else:
                _insert_after(entry_map, _before(order, "max_input_tokens"), "max_input_tokens", ref.context_window)
        _retire_if_shut(entry_map, entry, checked)
        return changes
    if (
        ref.context_window is not None
        and relative_difference(entry.context_window_tokens, ref.context_window) > threshold
    ):
        changes.append(Change(f"{where}.context_window_tokens", entry.context_window_tokens, ref.context_window))
        entry_map["context_window_tokens"] = ref.context_window
    limit = entry.max_input_tokens or (
        ref.context_window
        if ref.context_window is not None
        and relative_difference(entry.context_window_tokens, ref.context_window) > threshold
        else entry.context_window_tokens
    )
    lc_ref = ref.long_context if ref.long_context and ref.long_context["above_input_tokens"] < limit else None
    if lc_ref is not None:
        lc = entry_map.get("long_context")
        if lc is None:
            lc = CommentedMap()
            lc["above_input_tokens"] = lc_ref["above_input_tokens"]
            _insert_after(entry_map, _before(order, "long_context"), "long_context", lc)
            changes.append(Change(f"{where}.long_context.above_input_tokens", None, lc_ref["above_input_tokens"]))
        elif lc.get("above_input_tokens") != lc_ref["above_input_tokens"]:
            changes.append(
                Change(
                    f"{where}.long_context.above_input_tokens",
                    lc.get("above_input_tokens"),
                    lc_ref["above_input_tokens"],
                )
            )
            lc["above_input_tokens"] = lc_ref["above_input_tokens"]
        for name in TIER_FIELDS:
            if name in lc_ref:
                _set_figure(
                    lc,
                    name,
                    lc_ref[name],
                    source,
                    checked,
                    changes,
                    f"{where}.long_context",
                    _before(("above_input_tokens",) + TIER_FIELDS, name),
                )
    if ref.price_changes:
        seq = entry_map.get("price_changes")
        if seq is None:
            seq = CommentedSeq()
            _insert_after(entry_map, _before(order, "price_changes"), "price_changes", seq)
        by_day = {item["effective_on"]: item for item in seq}
        for c in ref.price_changes:
            item = by_day.get(c["effective_on"])
            if item is None:
                item = CommentedMap()
                item["effective_on"] = c["effective_on"]
                days = [x["effective_on"] for x in seq]
                seq.insert(sum(1 for d in days if d < c["effective_on"]), item)
            for name in TIER_FIELDS:
                if name in c:
                    _set_figure(
                        item,
                        name,
                        c[name],
                        source,
                        checked,
                        changes,
                        f"{where}.price_changes[{c['effective_on']}]",
                        _before(("effective_on",) + TIER_FIELDS, name),
                    )
    _retire_if_shut(entry_map, entry, checked)
    return changes


def _dump(y, doc) -> str:
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def sync_text(
    text: str,
    catalog: Catalog,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    checked: date | None = None,
    on: date | None = None,
) -> tuple[str, list[Change], list[str]]:
    """Rewrite the referenced figures of the catalog `text` (whose validated form is `catalog`).

    Returns (new text, changes of value, notes). Every referenced figure gets the package's value,
    its source (`genai-prices VERSION (PyPI), provider:model`) and the data date as `checked`;
    comments, key order, quoting and every other field stay as they are.
    """
    version = package_version()
    checked = data_date(version, checked)
    on = on or catalog.date
    y = _yaml()
    doc = y.load(text)
    changes: list[Change] = []
    notes: list[str] = []
    is_override = "extends" in doc
    inherited = synced = 0
    for fam, key, entry in referenced_entries(catalog):
        if entry.genai_prices is None:
            continue
        if fam == "embedding_models" and entry.usd_per_1m_tokens is None:
            continue
        try:
            ref = reference(entry.genai_prices, on)
        except SyncError as e:
            notes.append(f"{fam}.{key}: {e} (left as it is)")
            continue
        family = doc.get(fam)
        entry_map = family.get(key) if family is not None else None
        if entry_map is None:
            inherited += 1
            continue
        if is_override and "genai_prices" not in entry_map:
            # an override states negotiated figures on purpose: only an entry that names its
            # genai-prices model in the override itself is synced
            notes.append(
                f"{fam}.{key}: the override's own figures are left as they are (it inherits its "
                "genai-prices reference; set `genai_prices:` in the override to sync it, "
                "or `genai_prices: null` to stop checking it)"
            )
            continue
        synced += 1
        changes.extend(
            _sync_entry(entry_map, fam, key, entry, ref, source_text(entry.genai_prices, version), checked, threshold)
        )
        if ref.deprecated and entry.lifecycle is None:
            notes.append(f"{fam}.{key}: genai-prices flags the model deprecated; add a `lifecycle` by hand")
    if inherited:
        notes.append(f"{inherited} referenced entries come from the default catalog, not this file (left as they are)")
    if doc.get("genai_prices_version") != version and (synced or not is_override):
        if "genai_prices_version" in doc:
            doc["genai_prices_version"] = _dq(version)
        else:
            _insert_after(doc, ("version", "currency", "date", "description"), "genai_prices_version", _dq(version))
        changes.append(Change("genai_prices_version", catalog.genai_prices_version, version))
    out = _dump(y, doc)
    # a key inserted after `description:` takes the blank line that separated it from the next key
    out = re.sub(r"\n\n(genai_prices_version: [^\n]*\n)(?=[a-z])", r"\n\n\1\n", out, count=1)
    return out, changes, notes


# --------------------------------------------------------------------------- new entries


def default_key(ref: str) -> str:
    provider_id, _, model_id = ref.partition(":")
    slug = re.sub(r"[^a-z0-9._-]+", "-", model_id.split("/")[-1].lower()).strip("-._")
    return slug if provider_id in FIRST_PARTY else f"{provider_id}-{slug}"


#: Placeholders for what the package cannot know, each marked `verified: false` with this note.
PLACEHOLDER_NOTE = (
    "Placeholder written by `python -m planner prices add`: genai-prices has no latency or throughput; "
    "replace it with a measurement."
)
LLM_PLACEHOLDERS = {
    "ttft_ms": {"value": 1000, "low": 300, "high": 5000},
    "output_tokens_per_second": {"value": 100, "low": 30, "high": 300},
}
EMBEDDING_PLACEHOLDERS = {
    "latency_p50_ms": {"value": 150, "low": 100, "high": 500},
    "latency_p95_ms": {"value": 400, "low": 250, "high": 600},
}


def new_entry(
    ref: str,
    *,
    on: date,
    checked: date | None = None,
    dimensions: int | None = None,
    context_window: int | None = None,
    today: date | None = None,
):
    """A ruamel mapping for a new entry priced from the package: (family, mapping)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    version = package_version()
    checked = data_date(version, checked)
    r = reference(ref, on)
    src = source_text(ref, version)
    today = today or date.today()
    m = CommentedMap()
    m["name"] = _dq(r.name)
    m["provider"] = _dq(r.provider_name)
    m["genai_prices"] = _dq(ref)
    placeholder_source = "Placeholder default of `prices add` (no measurement)"

    def placeholder(spec):
        f = CommentedMap()
        f["value"] = spec["value"]
        f["low"] = spec["low"]
        f["high"] = spec["high"]
        f["source"] = _dq(placeholder_source)
        f["checked"] = today
        f["verified"] = False
        f["note"] = _dq(PLACEHOLDER_NOTE)
        return f

    if r.is_embedding:
        if dimensions is None:
            raise SyncError(
                f"`{ref}` is an embedding model: pass --dimensions N (genai-prices does not know its vector size)"
            )
        m["dimensions"] = dimensions
        window = context_window or r.context_window
        if window is not None:
            m["max_input_tokens"] = window
        for name, value in r.prices.items():
            m[name] = _figure_map(value, src, checked)
        for name, spec in EMBEDDING_PLACEHOLDERS.items():
            m[name] = placeholder(spec)
        return "embedding_models", m
    window = context_window or r.context_window
    if window is None:
        raise SyncError(
            f"genai-prices {version} gives no context window for `{ref}`: "
            "pass --context-window N (from the vendor's page)"
        )
    m["context_window_tokens"] = window
    for name, value in r.prices.items():
        m[name] = _figure_map(value, src, checked)
    if r.long_context is not None and r.long_context["above_input_tokens"] < window:
        lc = CommentedMap()
        lc["above_input_tokens"] = r.long_context["above_input_tokens"]
        for name in TIER_FIELDS:
            if name in r.long_context:
                lc[name] = _figure_map(r.long_context[name], src, checked)
        m["long_context"] = lc
    if r.price_changes:
        seq = CommentedSeq()
        for c in r.price_changes:
            item = CommentedMap()
            item["effective_on"] = c["effective_on"]
            for name in TIER_FIELDS:
                if name in c:
                    item[name] = _figure_map(c[name], src, checked)
            seq.append(item)
        m["price_changes"] = seq
    for name, spec in LLM_PLACEHOLDERS.items():
        m[name] = placeholder(spec)
    return "llms", m


def _family_end(lines: list[str], family: str) -> int:
    """Index of the line before which a new entry of `family` goes (before the next top-level key's comments)."""
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == f"{family}:" or ln.startswith(f"{family}: ")), None)
    if start is None:
        raise SyncError(f"the file has no `{family}:` section to add to")
    end = len(lines)
    for i in range(start + 1, len(lines)):
        if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#"):
            end = i
            break
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def add_entry_text(text: str, catalog: Catalog, ref: str, key: str | None = None, **kwargs) -> tuple[str, str, str]:
    """`text` with a new entry for `ref` appended to its family: (new text, family, key)."""
    key = key or default_key(ref)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", key) or len(key) > 100:
        raise SyncError(f"`{key}` is not a valid key (letters, digits, '.', '_', '-'; at most 100): pass --key KEY")
    family, mapping = new_entry(ref, on=kwargs.pop("on", None) or catalog.date, **kwargs)
    if key in getattr(catalog, family):
        raise SyncError(f"`{family}.{key}` already exists: pass --key KEY to add it under another key")
    y = _yaml()
    from ruamel.yaml.comments import CommentedMap

    wrapper = CommentedMap()
    wrapper[key] = mapping
    block = _dump(y, wrapper)
    block = "".join(("  " + ln if ln.strip() else ln) for ln in block.splitlines(keepends=True))
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    end = _family_end(lines, family)
    insert = ["\n", block]
    lines[end:end] = insert
    return "".join(lines), family, key


def is_embedding_entry(entry) -> bool:
    return isinstance(entry, EmbeddingModel)
