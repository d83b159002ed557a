"""New catalog entries priced from genai-prices (`prices add`): the entry, and the file with it added."""

from __future__ import annotations

import re
from datetime import date

from pricing.genai_sync import source as _package
from pricing.genai_sync.source import (
    FIRST_PARTY,
    LLM_PRICE_FIELDS,
    TIER_FIELDS,
    Reference,
    SyncError,
    checked_date,
    reference,
    source_text,
)
from pricing.genai_sync.write import dq, dump, figure_map, yaml
from pricing.models import Catalog


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
    from ruamel.yaml.comments import CommentedMap

    version = _package.package_version()
    checked = checked_date(checked, on)
    r = reference(ref, on)
    src = source_text(ref, version)
    today = today or date.today()
    m = CommentedMap()
    m["name"] = dq(r.name)
    m["provider"] = dq(r.provider_name)
    m["genai_prices"] = dq(ref)
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
            m[name] = figure_map(value, src, checked)
        for name, spec in EMBEDDING_PLACEHOLDERS.items():
            m[name] = _placeholder(spec, today)
        return "embedding_models", m
    window = context_window or r.context_window
    if window is None:
        raise SyncError(
            f"genai-prices {version} gives no context window for `{ref}`: "
            "pass --context-window N (from the vendor's page)"
        )
    m["context_window_tokens"] = window
    _llm_prices(m, r, window, src, checked)
    for name, spec in LLM_PLACEHOLDERS.items():
        m[name] = _placeholder(spec, today)
    return "llms", m


_PLACEHOLDER_SOURCE = "Placeholder default of `prices add` (no measurement)"


def _placeholder(spec: dict, today: date):
    """A figure the package cannot know: a default with its range, marked `verified: false` with a note."""
    from ruamel.yaml.comments import CommentedMap

    f = CommentedMap()
    f["value"] = spec["value"]
    f["low"] = spec["low"]
    f["high"] = spec["high"]
    f["source"] = dq(_PLACEHOLDER_SOURCE)
    f["checked"] = today
    f["verified"] = False
    f["note"] = dq(PLACEHOLDER_NOTE)
    return f


def _llm_prices(m, r: Reference, window: int, src: str, checked: date) -> None:
    """An LLM's prices: the standard ones, the long-context tier below its window, the scheduled changes."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for name, value in r.prices.items():
        m[name] = figure_map(value, src, checked)
    if r.long_context is not None and r.long_context["above_input_tokens"] < window:
        lc = CommentedMap()
        lc["above_input_tokens"] = r.long_context["above_input_tokens"]
        for name in TIER_FIELDS:
            if name in r.long_context:
                lc[name] = figure_map(r.long_context[name], src, checked)
        m["long_context"] = lc
    if r.price_changes:
        seq = CommentedSeq()
        for c in r.price_changes:
            item = CommentedMap()
            item["effective_on"] = c["effective_on"]
            for name in LLM_PRICE_FIELDS:
                if name in c:
                    item[name] = figure_map(c[name], src, checked)
            tier = c.get("long_context")
            if tier is not None and tier["above_input_tokens"] < window:
                item["long_context"] = lc = CommentedMap()
                lc["above_input_tokens"] = tier["above_input_tokens"]
                for name in TIER_FIELDS:
                    if name in tier:
                        lc[name] = figure_map(tier[name], src, checked)
            seq.append(item)
        m["price_changes"] = seq


def family_end(lines: list[str], family: str) -> int:
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
    for fam in ("llms", "embedding_models"):
        for have_key, have in getattr(catalog, fam).items():
            if have.genai_prices == ref and key == default_key(ref):
                raise SyncError(
                    f"`{ref}` is already in the catalog as `{fam}.{have_key}` (`prices check` keeps its prices "
                    f"current): nothing to add; pass --key KEY to add a second entry for it"
                )
    family, mapping = new_entry(ref, on=kwargs.pop("on", None) or _package.today(), **kwargs)
    if key in getattr(catalog, family):
        raise SyncError(f"`{family}.{key}` already exists: pass --key KEY to add it under another key")
    y = yaml()
    from ruamel.yaml.comments import CommentedMap

    wrapper = CommentedMap()
    wrapper[key] = mapping
    block = dump(y, wrapper)
    block = "".join(("  " + ln if ln.strip() else ln) for ln in block.splitlines(keepends=True))
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    end = family_end(lines, family)
    insert = ["\n", block]
    lines[end:end] = insert
    return "".join(lines), family, key
