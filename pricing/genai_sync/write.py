"""Rewriting a catalog file's referenced figures from genai-prices (`sync_text`): a format-preserving round trip
with ruamel.yaml that keeps every comment, key order, quoting and hand-written field."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pricing.genai_sync import source as _package
from pricing.genai_sync.compare import fmt, price_home, referenced_entries, relative_difference
from pricing.genai_sync.source import (
    DEFAULT_THRESHOLD,
    LLM_PRICE_FIELDS,
    TIER_FIELDS,
    Reference,
    SyncError,
    checked_date,
    reference,
    source_text,
)
from pricing.llms import LLM
from pricing.models import Catalog


def yaml():
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    y.representer.ignore_aliases = lambda *args: True  # the loader refuses anchors: write every value out
    return y


def dq(text: str):
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def figure_map(value, source: str, checked: date, note: str | None = None):
    from ruamel.yaml.comments import CommentedMap

    m = CommentedMap()
    m["value"] = value
    m["source"] = dq(source)
    m["checked"] = checked
    if note:
        m["note"] = dq(note)
    return m


def insert_after(mapping, after_keys: tuple[str, ...], key: str, value) -> None:
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
            return f"  + {self.where}: {fmt(self.new)}"
        return f"  ~ {self.where}: {fmt(self.old)} -> {fmt(self.new)}"


def set_figure(
    entry_map, name: str, value, source: str, checked: date, changes: list, where: str, after: tuple[str, ...]
):
    """Write a referenced figure: value, source, checked.

    Drops `verified: false` and a `low`/`high` that no longer brackets the value.
    """
    fig = entry_map.get(name)
    if fig is None:
        insert_after(entry_map, after, name, figure_map(value, source, checked))
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
    fig["source"] = dq(source)
    fig["checked"] = checked
    if "verified" in fig and fig["verified"] is False:
        del fig["verified"]


#: The order of a written LLM entry's keys: the prices the package knows (`LLM_PRICE_FIELDS`) in their order,
#: the cache lifetime after the cache prices.
LLM_ORDER = (
    "name",
    "provider",
    "genai_prices",
    "open_weights",
    "parameters_billion",
    "context_window_tokens",
    "max_input_tokens",
    *(f for f in LLM_PRICE_FIELDS if not f.startswith("batch_")),
    "cache_ttl_seconds",
    *(f for f in LLM_PRICE_FIELDS if f.startswith("batch_")),
    "long_context",
    "price_changes",
)
EMB_ORDER = (
    "name",
    "provider",
    "genai_prices",
    "dimensions",
    "max_input_tokens",
    "usd_per_1m_tokens",
    "batch_usd_per_1m_tokens",
)


def names_before(order: tuple[str, ...], name: str) -> tuple[str, ...]:
    return order[: order.index(name)]


def mark_retired(node, shut: date) -> None:
    """Figures read from the package for an entry already shut down: a historical price, `verified: false`."""
    if isinstance(node, dict):
        if "value" in node and str(node.get("source", "")).startswith("genai-prices "):
            if node.get("verified") is not False:
                insert_after(node, ("value", "low", "high", "source", "checked"), "verified", False)
            if not node.get("note"):
                node["note"] = dq(f"Historical price, still listed by genai-prices: the model shut down on {shut}.")
            return
        for value in node.values():
            mark_retired(value, shut)
    elif isinstance(node, list):
        for item in node:
            mark_retired(item, shut)


def retire_if_shut(entry_map, entry, checked: date) -> None:
    life = entry.lifecycle
    if life is not None and life.shuts_down_on is not None and life.shuts_down_on <= checked:
        mark_retired(entry_map, life.shuts_down_on)


def _home_map(entry_map, entry, name: str, day: date, where: str) -> tuple[Any, str, tuple[str, ...]]:
    """The mapping where the price `name` in force on `day` is written (the entry, or the latest scheduled change
    on or before `day` that gives it), its path for messages, and the key order there."""
    home = price_home(entry, name, day) if isinstance(entry, LLM) else ""
    if not home:
        return entry_map, where, LLM_ORDER if isinstance(entry, LLM) else EMB_ORDER
    day_text = home[len("price_changes[") : -2]
    item = next(x for x in entry_map["price_changes"] if str(x["effective_on"]) == day_text)
    return item, f"{where}.{home[:-1]}", _CHANGE_ORDER


def sync_entry(
    entry_map, fam: str, key: str, entry, ref: Reference, source: str, checked: date, threshold: float, base=None
) -> list[Change]:
    """Sync one entry: its prices in force on `base.on` (`base`: the package's `Reference` on the first day
    compared; default `ref`) where each is written, then the package's scheduled changes after that day."""
    base = base or ref
    changes: list[Change] = []
    where = f"{fam}.{key}"
    order = LLM_ORDER if fam == "llms" else EMB_ORDER
    for name, value in base.prices.items():
        target, at, at_order = _home_map(entry_map, entry, name, base.on, where)
        set_figure(target, name, value, source, checked, changes, at, names_before(at_order, name))
    if fam == "embedding_models":
        _sync_max_input(entry_map, entry, ref, threshold, changes, where, order)
        retire_if_shut(entry_map, entry, checked)
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
    lc_ref = base.long_context if base.long_context and base.long_context["above_input_tokens"] < limit else None
    if lc_ref is not None:
        target, at, at_order = _home_map(entry_map, entry, "long_context", base.on, where)
        _sync_long_context(target, lc_ref, source, checked, changes, at, at_order)
    if base.price_changes:
        _sync_price_changes(entry_map, base.price_changes, source, checked, changes, where, order, limit)
    retire_if_shut(entry_map, entry, checked)
    return changes


def _sync_max_input(entry_map, entry, ref: Reference, threshold: float, changes: list, where: str, order) -> None:
    """An embedding model's max_input_tokens, from the package's context window when they differ."""
    if ref.context_window is not None and relative_difference(entry.max_input_tokens, ref.context_window) > threshold:
        changes.append(Change(f"{where}.max_input_tokens", entry.max_input_tokens, ref.context_window))
        if "max_input_tokens" in entry_map:
            entry_map["max_input_tokens"] = ref.context_window
        else:
            insert_after(entry_map, names_before(order, "max_input_tokens"), "max_input_tokens", ref.context_window)


def _sync_long_context(entry_map, lc_ref: dict, source: str, checked: date, changes: list, where: str, order) -> None:
    """An LLM's long-context tier: its threshold and its figures."""
    from ruamel.yaml.comments import CommentedMap

    lc = entry_map.get("long_context")
    if lc is None:
        lc = CommentedMap()
        lc["above_input_tokens"] = lc_ref["above_input_tokens"]
        insert_after(entry_map, names_before(order, "long_context"), "long_context", lc)
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
            set_figure(
                lc,
                name,
                lc_ref[name],
                source,
                checked,
                changes,
                f"{where}.long_context",
                names_before(("above_input_tokens",) + TIER_FIELDS, name),
            )


_CHANGE_ORDER = ("effective_on", *LLM_PRICE_FIELDS, "long_context")


def _sync_price_changes(
    entry_map, ref_changes: list[dict], source: str, checked: date, changes: list, where: str, order, limit: int
) -> None:
    """An LLM's scheduled price changes, one item per effective date, kept in date order: every price the package
    gives from that day on (and the long-context tier when it changes then)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seq = entry_map.get("price_changes")
    if seq is None:
        seq = CommentedSeq()
        insert_after(entry_map, names_before(order, "price_changes"), "price_changes", seq)
    by_day = {item["effective_on"]: item for item in seq}
    for c in ref_changes:
        item = by_day.get(c["effective_on"])
        if item is None:
            item = CommentedMap()
            item["effective_on"] = c["effective_on"]
            days = [x["effective_on"] for x in seq]
            seq.insert(sum(1 for d in days if d < c["effective_on"]), item)
        at = f"{where}.price_changes[{c['effective_on']}]"
        for name in LLM_PRICE_FIELDS:
            if name in c:
                set_figure(item, name, c[name], source, checked, changes, at, names_before(_CHANGE_ORDER, name))
        tier = c.get("long_context")
        if tier is not None and tier["above_input_tokens"] < limit:
            _sync_long_context(item, tier, source, checked, changes, at, _CHANGE_ORDER)


def dump(y, doc) -> str:
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

    Returns (new text, changes of value, notes). Every referenced figure gets the package's value on the day it
    applies (the prices in force on `on`, default today, and every scheduled change from the catalog's `date` on),
    its source (`genai-prices VERSION (PyPI), provider:model`) and the check day as `checked`; comments, key order,
    quoting and every other field stay as they are.
    """
    version = _package.package_version()
    on = on or _package.today()
    since, checked = min(catalog.date, on), checked_date(checked, on)
    y = yaml()
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
            base = reference(entry.genai_prices, since, since=since)
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
            notes.append(f"{fam}.{key}: {_OVERRIDE_NOTE}")
            continue
        synced += 1
        source = source_text(entry.genai_prices, version)
        changes += sync_entry(entry_map, fam, key, entry, ref, source, checked, threshold, base)
        if ref.deprecated and entry.lifecycle is None:
            notes.append(f"{fam}.{key}: genai-prices flags the model deprecated; add a `lifecycle` by hand")
    if inherited:
        notes.append(f"{inherited} referenced entries come from the default catalog, not this file (left as they are)")
    if doc.get("genai_prices_version") != version and (synced or not is_override):
        _stamp_version(doc, version)
        changes.append(Change("genai_prices_version", catalog.genai_prices_version, version))
    out = dump(y, doc)
    # a key inserted after `description:` takes the blank line that separated it from the next key
    out = re.sub(r"\n\n(genai_prices_version: [^\n]*\n)(?=[a-z])", r"\n\n\1\n", out, count=1)
    return out, changes, notes


_OVERRIDE_NOTE = (
    "the override's own figures are left as they are (it inherits its "
    "genai-prices reference; set `genai_prices:` in the override to sync it, "
    "or `genai_prices: null` to stop checking it)"
)


def _stamp_version(doc, version: str) -> None:
    """The file's `genai_prices_version`: replaced, or inserted after the catalog's header keys."""
    if "genai_prices_version" in doc:
        doc["genai_prices_version"] = dq(version)
    else:
        insert_after(doc, ("version", "currency", "date", "description"), "genai_prices_version", dq(version))
