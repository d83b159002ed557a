"""Field names in words for every surface: `input_usd_per_1m_tokens` reads "Input USD per 1M tokens" in the
PDF's tables (`humanize`, `field_words`); a catalog figure's unit is the one its type states in
`pricing/units.py` ("USD per 1M tokens", `figure_unit`), on the app's catalog table."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pricing.models import Catalog
from pricing.units import unit_text

#: How a word of a snake_case name is written in text (abbreviations and units keep their case).
WORDS = {
    "usd": "USD",
    "1m": "1M",
    "1k": "1K",
    "gb": "GB",
    "tb": "TB",
    "ms": "ms",
    "kwh": "kWh",
    "kw": "kW",
    "llm": "LLM",
    "gpu": "GPU",
    "ttft": "TTFT",
    "p50": "p50",
    "p95": "p95",
    "vllm": "vLLM",
    "8b": "8B",
    "kb": "KB",
    "top": "top",
}


def words(name: str) -> str:
    """A snake_case name as words: `usd_per_1m_tokens` → "USD per 1M tokens"."""
    return " ".join(WORDS.get(w, w) for w in name.split("_"))


def humanize(name: str) -> str:
    """`words`, capitalized: `latency_target_p95_ms` → "Latency target p95 ms"."""
    text = words(name)
    return text[:1].upper() + text[1:]


def field_words(path: str) -> str:
    """A dotted field path in words: `latency_model.ttft_ms` → "Latency model · TTFT ms"."""
    return " · ".join(humanize(part) for part in path.split("."))


def figure_unit(catalog: Catalog, path: tuple) -> str:
    """The unit of the catalog figure at `path` (as `Catalog.figures` yields it), as its type in
    `pricing/units.py` states it: ("llms", "gpt-5", "input_usd_per_1m_tokens") → "USD per 1M tokens"."""
    owner: Any = catalog
    for step in path[:-1]:
        owner = owner[step] if isinstance(owner, dict | list | tuple) else getattr(owner, step)
    stated = unit_text(type(owner), str(path[-1])) if isinstance(owner, BaseModel) else None
    return stated or ""
