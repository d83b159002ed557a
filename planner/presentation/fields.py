"""Field names in words, one table for every surface: `input_usd_per_1m_tokens` reads "Input USD per 1M tokens"
in the PDF's tables (`humanize`, `field_words`), and its unit "USD per 1M tokens" in the app's catalog table
(`unit_of`). Units are in the names (the project's rule), so the name is what is read."""

from __future__ import annotations

import re

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


#: Units a field's name states by its ending, where it does not say "usd_per_…" (owned GPUs, rerankers).
ENDINGS = {
    "documents_per_second": "documents per second",
    "_watts": "W",
    "purchase_usd": "USD",
    "pue": "ratio (facility ÷ IT power)",
}


def _unit_words(s: str) -> str:
    return words(s.replace("gb_month", "GB-month").replace("dimensions_month", "dimensions-month"))


def unit_of(field: str) -> str:
    """The unit a figure's field name states: `input_usd_per_1m_tokens` → "USD per 1M tokens"; "" for none."""
    name = field.rsplit(".", 1)[-1]
    if "_ms_per_" in name:
        return "ms per " + _unit_words(name.split("_ms_per_", 1)[1])
    if name.endswith("_ms"):
        return "ms"
    if name == "usd_minimum_per_month":
        return "USD per month (minimum)"
    m = re.search(r"usd_per_(.+)$", name)
    if m:
        return "USD per " + _unit_words(m.group(1))
    if name.endswith("tokens_per_second"):
        return "tokens per second"
    if name.endswith("queries_per_second"):
        return "queries per second"
    return next((unit for end, unit in ENDINGS.items() if name.endswith(end)), "")
