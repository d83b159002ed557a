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

Dates: prices are resolved on the check day (`on`, default today) — the prices in
force that day — and on every scheduled change from the catalog's `date` on (each
change with every price kind); `checked` is the check day. Any installed version
of the package works. Daily windows (DeepSeek's peak hours)
are not a scheduled change: the reference is the price outside them.

Never imports streamlit.

The package: `source` (reading genai-prices), `compare` (`check`), `write` (`sync`), `entries` (`add`).
Everything is importable from `pricing.genai_sync` as before.
"""

from __future__ import annotations

from pricing.genai_sync import compare, entries, source, write
from pricing.genai_sync.compare import (
    CheckResult,
    Finding,
    check_catalog,
    check_entry,
    price_home,
    referenced_entries,
    relative_difference,
    render_check,
)
from pricing.genai_sync.entries import (
    EMBEDDING_PLACEHOLDERS,
    LLM_PLACEHOLDERS,
    PLACEHOLDER_NOTE,
    add_entry_text,
    default_key,
    is_embedding_entry,
    new_entry,
)
from pricing.genai_sync.source import (
    DEFAULT_THRESHOLD,
    EMBEDDING_PRICE_FIELDS,
    FIRST_PARTY,
    LLM_PRICE_FIELDS,
    TIER_FIELDS,
    Reference,
    SyncError,
    checked_date,
    find_model,
    package_version,
    reference,
    source_text,
    suggest,
    today,
)
from pricing.genai_sync.write import (
    Change,
    sync_text,
)

__all__ = [
    "Change",
    "CheckResult",
    "DEFAULT_THRESHOLD",
    "EMBEDDING_PLACEHOLDERS",
    "EMBEDDING_PRICE_FIELDS",
    "FIRST_PARTY",
    "Finding",
    "LLM_PLACEHOLDERS",
    "LLM_PRICE_FIELDS",
    "PLACEHOLDER_NOTE",
    "Reference",
    "SyncError",
    "TIER_FIELDS",
    "price_home",
    "add_entry_text",
    "check_catalog",
    "check_entry",
    "compare",
    "checked_date",
    "today",
    "default_key",
    "entries",
    "find_model",
    "is_embedding_entry",
    "new_entry",
    "package_version",
    "reference",
    "referenced_entries",
    "relative_difference",
    "render_check",
    "source",
    "source_text",
    "suggest",
    "sync_text",
    "write",
]
