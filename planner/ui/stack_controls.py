"""The sidebar's "Stack" section: how the model runs (API or self-hosted) and the catalog entries of the stack
(LLM, fine-tuning offer, embedding model, vector store, reranker, and the GPU when self-hosted). Switching to
self-hosted serving also picks entries that can run that way (`planner.engine.stack_fit`)."""

from __future__ import annotations

import streamlit as st

from planner.engine import stack_fit
from planner.model import format as fmt
from planner.model.scenario import Scenario
from planner.model.vocabulary import SERVING_LABELS
from planner.ui import session
from planner.ui.catalog import catalog
from planner.ui.session import control, flash, scenario, sync_widget
from pricing.models import Catalog


def _entry_options(family: dict, current: str) -> list[str]:
    keys = list(family)
    return keys if current in family else [current, *keys]


def _entry_format(family: dict, suffix=lambda e: ""):
    def f(key: str) -> str:
        e = family.get(key)
        return f"{key} (not in the catalog)" if e is None else f"{e.name}{suffix(e)}"

    return f


def _on_serving() -> None:
    """Switching serving also picks entries that can run that way (open weights to self-host), and says so."""
    serving = st.session_state["sb.serving"]
    fit = stack_fit.fit_serving(catalog(), scenario(), serving)
    if session.change({"stack.serving": serving, **fit.changes}, "Serving"):
        if fit.changes:
            flash("info", "Self-hosted serving runs open weights, so the stack changed: " + " ".join(fit.notes))
        elif fit.notes:
            flash("warning", " ".join(fit.notes))
    else:
        st.session_state.pop("sb.serving", None)


def stack_controls(s: Scenario, cat: Catalog) -> None:
    _serving_control(s)
    _model_controls(s, cat)
    if s.stack.serving == "self_hosted":
        _self_hosted_controls(s, cat)


def _serving_control(s: Scenario) -> None:
    sync_widget("sb.serving", s.stack.serving)
    st.radio(
        "Serving (how the model runs)",
        ["api", "self_hosted"],
        format_func=SERVING_LABELS.__getitem__,
        horizontal=True,
        help="Pay per token at an API, or rent GPUs and serve open weights (capacity sized for the peak). "
        "Switching to self-hosted picks an open-weights LLM and a fine-tuning offer on one when needed.",
        key="sb.serving",
        on_change=_on_serving,
    )


def _open_weights_only(family: dict, keys: list[str], current: str, is_open) -> list[str]:
    """Self-hosted serving runs open weights: only those are offered (the current entry stays listed, so the
    control can show it, when a file or a link chose a closed one; the page then says it cannot run)."""
    return [k for k in keys if k == current or (k in family and is_open(family[k]))]


def _model_controls(s: Scenario, cat: Catalog) -> None:
    """The catalog entries of the stack: LLM, fine-tuning offer, embedding model, vector store, reranker."""
    llms, offers = _entry_options(cat.llms, s.stack.llm), _entry_options(cat.fine_tune_offers, s.stack.fine_tune)
    if s.stack.serving == "self_hosted":
        llms = _open_weights_only(cat.llms, llms, s.stack.llm, lambda e: e.open_weights)
        offers = _open_weights_only(
            cat.fine_tune_offers,
            offers,
            s.stack.fine_tune,
            lambda o: o.base_llm in cat.llms and cat.llms[o.base_llm].open_weights,
        )
    st.selectbox(
        "LLM (prompt only and RAG)",
        llms,
        format_func=_entry_format(cat.llms, lambda e: " · open weights" if e.open_weights else ""),
        help="The base model for prompt-only and RAG. Self-hosted serving needs an open-weights model.",
        **control("sb.llm", "stack.llm", "LLM"),
    )
    st.selectbox(
        "Fine-tuning offer (fine-tuned and hybrid)",
        offers,
        format_func=_entry_format(cat.fine_tune_offers),
        help="Where the model is tuned and served; its base model serves the fine-tuned and hybrid architectures.",
        **control("sb.ft", "stack.fine_tune", "Fine-tuning offer"),
    )
    st.selectbox(
        "Embedding model",
        _entry_options(cat.embedding_models, s.stack.embedding_model),
        format_func=_entry_format(cat.embedding_models),
        help="Embeds the corpus and each query (USD per 1M tokens, or GPU time when self-hosted).",
        **control("sb.emb", "stack.embedding_model", "Embedding model"),
    )
    st.selectbox(
        "Vector store",
        _entry_options(cat.vector_stores, s.stack.vector_store),
        format_func=_entry_format(cat.vector_stores),
        help="Stores the vectors and answers searches; each store has its own billing shape (see the Pricing page).",
        **control("sb.vs", "stack.vector_store", "Vector store"),
    )
    st.selectbox(
        "Reranker",
        _entry_options(cat.rerankers, s.stack.reranker),
        format_func=_entry_format(cat.rerankers),
        help=(
            "Reranks retrieved chunks when reranking is on; billed per 1,000 searches or per 1M tokens "
            "of query and candidate text, as its catalog entry says."
        ),
        **control("sb.rr", "stack.reranker", "Reranker"),
    )


def _self_hosted_controls(s: Scenario, cat: Catalog) -> None:
    offered = stack_fit.serving_gpus(cat)
    st.selectbox(
        "GPU for self-hosted serving (USD/hour)",
        offered if s.stack.gpu in offered else [s.stack.gpu, *offered],
        format_func=_entry_format(cat.gpus, lambda e: f" · {fmt.usd(e.usd_per_hour.value)}/h"),
        help="GPU instance rented per hour; each option's replicas are sized by the serving model from the "
        "GPU's datasheet and the model's architecture.",
        **control("sb.gpu", "stack.gpu", "GPU"),
    )
    missing = [g.name for k, g in cat.gpus.items() if k not in offered]
    if missing:
        st.caption(
            f"Not offered for self-hosting (no GPU datasheet with memory bandwidth and compute in the catalog): "
            f"{', '.join(missing)}."
        )
    st.selectbox(
        "Weight precision",
        ["bf16", "fp8", "int4", "fp4"],
        help="Bytes per weight (bf16 2, fp8 1, int4 0.5, fp4 0.5625; never wider than the weights ship in): "
        "sets how many GPUs a replica needs and, on GPUs with fp8/fp4 tensor cores, how fast it computes.",
        **control("sb.precision", "stack.precision", "Weight precision"),
    )
