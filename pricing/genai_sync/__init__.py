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
`pricing.genai_sync` exports what the CLI and the tests call; anything else is imported from its module.
"""

from __future__ import annotations

from pricing.genai_sync import compare, source
from pricing.genai_sync.compare import check_catalog, check_entry, referenced_entries, render_check
from pricing.genai_sync.entries import add_entry_text, default_key
from pricing.genai_sync.source import (
    EMBEDDING_PRICE_FIELDS,
    LLM_PRICE_FIELDS,
    TIER_FIELDS,
    Reference,
    SyncError,
    package_version,
    reference,
)
from pricing.genai_sync.write import sync_text

__all__ = [
    "EMBEDDING_PRICE_FIELDS",
    "LLM_PRICE_FIELDS",
    "Reference",
    "SyncError",
    "TIER_FIELDS",
    "add_entry_text",
    "check_catalog",
    "check_entry",
    "compare",
    "default_key",
    "package_version",
    "reference",
    "referenced_entries",
    "render_check",
    "source",
    "sync_text",
]
