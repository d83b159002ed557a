"""One presentation vocabulary for the app, the PDF and the command line.

A thing has one color and one name everywhere: an architecture (`COLORS`, `LABELS`, by the keys of
`planner.model.scenario.ARCHITECTURES`), a cost component, a part of a request's latency, a
verdict, a plan stage, a way of serving, a catalog family. Numbers are formatted by `planner.model.format` (one money
and one duration format). Pure data: no streamlit, no plotly, no reportlab.
"""

from __future__ import annotations

import re

__all__ = [
    "ALERT",
    "COLORS",
    "LABELS",
    "ARCHITECTURE_MD_COLORS",
    "COMPONENT_COLORS",
    "COMPONENT_LABELS",
    "FAMILY_LABELS",
    "LATENCY_COLORS",
    "LATENCY_LABELS",
    "MUTED",
    "NEUTRAL",
    "ONE_TIME_LABELS",
    "SERVING_LABELS",
    "STACK_FAMILIES",
    "STAGE_LABELS",
    "VERDICT_COLORS",
    "slug",
]

# ------------------------------------------------------------------ names

#: Each monthly cost component's name (the keys of `Snapshot.components_usd`).
COMPONENT_LABELS = {
    "inference": "LLM inference (API tokens)",
    "gpu_serving": "GPU serving (self-hosted)",
    "model_hosting": "Tuned-model hosting fee",
    "query_embedding": "Query embedding",
    "vector_store": "Vector store",
    "reranking": "Reranking",
    "reembedding": "Re-embedding changed documents",
    "training": "Retraining runs",
    "cache_storage": "Prompt-cache storage (explicit cache)",
}
#: Each one-time cost's name.
ONE_TIME_LABELS = {
    "engineering": "Engineering",
    "initial_indexing": "Initial indexing",
    "labeling": "Labeling training examples",
    "first_training": "First training run",
}
#: Each part of one request's time.
LATENCY_LABELS = {
    "network": "Network round trip",
    "query_embedding": "Query embedding",
    "vector_search": "Vector search",
    "reranking": "Reranking",
    "queueing": "Queueing (self-hosted)",
    "time_to_first_token": "Time to first token",
    "generation": "Generation",
}

# ------------------------------------------------------------------ colors

#: Each architecture's name, everywhere.
LABELS = {
    "prompt_only": "Prompt only",
    "long_context": "Long context",
    "rag": "RAG",
    "fine_tuned": "Fine-tuned",
    "hybrid": "Hybrid",
}
#: One color per architecture, everywhere (screen and PDF). Okabe–Ito, color-blind safe.
COLORS = {
    "prompt_only": "#E69F00",
    "long_context": "#56B4E9",
    "rag": "#0072B2",
    "fine_tuned": "#009E73",
    "hybrid": "#CC79A7",
}

#: Each cost component's color: the app's bars and the PDF's bars.
COMPONENT_COLORS = {
    "inference": "#5B6C8F",
    "gpu_serving": "#8E7CC3",
    "model_hosting": "#A0A0A0",
    "query_embedding": "#7FB8C9",
    "vector_store": "#3F8FA8",
    "reranking": "#C490B8",
    "reembedding": "#D9A066",
    "training": "#8DB580",
    "cache_storage": "#9AA8C4",
}
#: Each part of one request's time (the same hue as the component that spends it, where there is one).
LATENCY_COLORS = {
    "network": "#A0A0A0",
    "query_embedding": "#7FB8C9",
    "vector_search": "#3F8FA8",
    "reranking": "#C490B8",
    "queueing": "#D9A066",
    "time_to_first_token": "#8E7CC3",
    "generation": "#5B6C8F",
}
#: A component or part not listed above (a new one still draws).
NEUTRAL = "#7B8794"
#: Each verdict's color (text and badges).
VERDICT_COLORS = {
    "recommended": "#1E8449",
    "viable": "#1F618D",
    "not advised": "#B9770E",
    "ruled out": "#922B21",
}
#: Limits and budgets, and what is over them: a crimson far from every architecture color
#: (Okabe–Ito vermillion, used before, sat next to Prompt only's orange).
ALERT = "#A50034"
#: Reference lines and secondary text, readable on white and on a dark background.
MUTED = "#8a8f98"
#: Streamlit's named markdown colors closest to each architecture's color (`:blue[...]`).
# named markdown colors only: long context (sky blue in the charts) reads gray, apart from RAG's blue
ARCHITECTURE_MD_COLORS = {
    "prompt_only": "orange",
    "long_context": "gray",
    "rag": "blue",
    "fine_tuned": "green",
    "hybrid": "violet",
}

# ------------------------------------------------------------------ labels

#: The staged plan's stages.
STAGE_LABELS = {"first": "First", "next": "Next", "later": "Later"}
#: `stack.serving`.
SERVING_LABELS = {"api": "API (per token)", "self_hosted": "Self-hosted GPUs"}
#: The catalog's families (and its latency model), as headings and table cells.
FAMILY_LABELS = {
    "latency_model": "Latency model",
    "embedding_models": "Embedding models",
    "vector_stores": "Vector stores",
    "rerankers": "Rerankers",
    "llms": "LLMs",
    "fine_tune_offers": "Fine-tuning offers",
    "gpus": "GPUs",
}
#: The scenario's stack fields and the catalog family each one names an entry of.
STACK_FAMILIES = {
    "embedding_model": "embedding_models",
    "vector_store": "vector_stores",
    "reranker": "rerankers",
    "llm": "llms",
    "fine_tune": "fine_tune_offers",
    "gpu": "gpus",
}

# ------------------------------------------------------------------ names


def slug(text: str, default: str = "scenario") -> str:
    """A file-name-safe form of a name: lower-case letters, digits and dashes, at most 60 characters."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or default
