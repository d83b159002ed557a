"""The numbers nobody gave, in sight: the knowledge base's size (asked beside the knowledge questions and in a
sidebar section long context and RAG share), the traffic, caching and sizing assumptions as controls, each
with its source, and the assumed values that move the result, ranked (planner/engine/provenance.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.engine import Estimate
from planner.engine.provenance import SOURCES, assumptions, provenance
from planner.model import format as fmt
from planner.model.scenario import Scenario, given_paths
from planner.model.vocabulary import LABELS
from planner.ui import session, tables
from planner.ui.messages import md
from pricing.models import Catalog

_SOURCE_WORDS = {
    "you": "yours",
    "preset": "the preset's",
    "measured": "measured",
    "catalog": "the catalog's",
    "assumed": "assumed (a default)",
}
assert set(_SOURCE_WORDS) == set(SOURCES)


def source_of(path: str) -> str:
    """Where the scenario's value at `path` came from: you, the preset, or assumed."""
    s, base = session.scenario(), session.base_scenario()
    if path not in given_paths(s):
        return "assumed"
    preset = session.get().preset
    if preset and path in given_paths(base) and session.get_path(base, path) == session.get_path(s, path):
        return "preset"
    return "you"


def _sources_caption(paths: dict[str, str]) -> None:
    """One line: each control's label and where its value came from."""
    st.caption(" · ".join(f"{label}: {_SOURCE_WORDS[source_of(p)]}" for p, label in paths.items()))


def knowledge_base_inputs(prefix: str) -> None:
    """Documents and tokens per document, bound to the scenario (keys under `prefix`), with their source."""
    c1, c2 = st.columns(2)
    c1.number_input(
        "Knowledge base (documents)",
        **session.limits("workload.corpus_documents"),
        step=1000,
        help="Documents in the knowledge base: what long context puts in every prompt, and what RAG indexes.",
        **session.control(f"{prefix}.docs", "workload.corpus_documents", "Knowledge base documents", int, float),
    )
    c2.number_input(
        "Tokens per document",
        **session.limits("workload.tokens_per_document"),
        step=100,
        help="Average tokens per document (about ¾ of a word each). A 120K-token manual: 1 document of 120,000.",
        **session.control(f"{prefix}.doc_tokens", "workload.tokens_per_document", "Tokens per document", int, float),
    )
    w = session.scenario().workload
    given = any(source_of(p) != "assumed" for p in ("workload.corpus_documents", "workload.tokens_per_document"))
    total = fmt.count(w.corpus_documents * w.tokens_per_document)
    st.caption(
        f"{total} tokens in all — "
        + ("your size." if given else "**assumed** (a default nobody gave): give your knowledge base's size.")
    )


def knowledge_fit_note(est: Estimate | None, s: Scenario) -> None:
    """Under the "does it fit?" question: the size asked for, and what settles a conflict."""
    knowledge_base_inputs("dq")
    if est is None:
        return
    if est.knowledge_base_note:
        st.warning(md(est.knowledge_base_note), icon=":material/help:")
    elif est.context_misfit and s.answers.knowledge_fits_in_context and not _assumed_corpus(s):
        st.caption(f"Your numbers beat the answer: {est.context_misfit}")
    else:
        by = "By the assumed size, not yours" if _assumed_corpus(s) else "Measured by your size"
        fits = f"yes, it fits {s.stack.llm}'s context window with the prompt and the answer."
        st.caption(f"{by}: " + (f"no. {est.context_misfit}" if est.context_misfit else fits))


def _assumed_corpus(s: Scenario) -> bool:
    return not ({"workload.corpus_documents", "workload.tokens_per_document"} & given_paths(s))


def assumption_controls(est: Estimate | None) -> None:
    """Traffic, caching and self-hosted sizing assumptions, each settable, with its source."""
    s = session.scenario()
    c1, c2 = st.columns(2)
    c1.number_input(
        "Peak ÷ average traffic",
        **session.limits("workload.peak_to_average_ratio"),
        step=0.5,
        help="Busiest hour's rate over the average: sizes self-hosted replicas and dedicated endpoints.",
        **session.control("sb.peak", "workload.peak_to_average_ratio", "Peak to average", float, float),
    )
    measured = ""
    if est is not None and s.workload.cache_hit_share is None and s.stack.serving == "api":
        measured = ", ".join(f"{c.label} {c.cache_hit_share:.1%}" for c in est.current.values())
    c2.number_input(
        "Prompt-cache hits (%)",
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        value=None,
        placeholder="from traffic",
        help="Share of requests whose static prompt prefix is read from the provider's cache. "
        "Empty: 1 − e^(−λ·TTL) from your traffic and the model's cache lifetime.",
        **session.control(
            "sb.cache",
            "workload.cache_hit_share",
            "Cache hit share",
            lambda v: None if v is None else round(v * 100, 1),
            lambda v: None if v is None else v / 100,
        ),
    )
    if measured:
        st.caption(f"Cache hits measured from your traffic: {measured}.")
    _cache_controls()
    _sizing_controls()
    _sources_caption(
        {
            "workload.peak_to_average_ratio": "peak ÷ average",
            "stack.target_utilization": "utilization",
            "stack.input_token_weight": "input-token weight",
            "stack.min_replicas": "minimum replicas",
        }
    )


def _cache_controls() -> None:
    c1, c2 = st.columns(2)
    c1.selectbox(
        "Cache lifetime",
        ["default", "1h"],
        format_func={"default": "The vendor's default", "1h": "1 hour (where sold)"}.__getitem__,
        help="The 1-hour cache (Anthropic) writes at its own price (2× input) and lives longer: more hits.",
        **session.control("sb.cttl", "workload.cache_lifetime", "Cache lifetime"),
    )
    c2.number_input(
        "Cache-hit ceiling (%)",
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        value=None,
        placeholder="the model's",
        help="Most requests that can hit the cache (a hot prefix is spread over machines). Empty: the ceiling the "
        "catalog documents for the model, if any.",
        **session.control(
            "sb.cceil",
            "workload.cache_hit_share_ceiling",
            "Cache-hit ceiling",
            lambda v: None if v is None else round(v * 100, 1),
            lambda v: None if v is None else v / 100,
        ),
    )
    st.toggle(
        "Explicit cache (storage billed per hour)",
        help="Keep the prefix in an explicit cache where the model sells one (Gemini): every request reads it, and "
        "its storage is billed around the clock.",
        **session.control("sb.xcache", "workload.explicit_cache", "Explicit cache"),
    )


def _sizing_controls() -> None:
    c1, c2 = st.columns(2)
    c1.slider(
        "Target utilization",
        **session.limits("stack.target_utilization"),
        step=0.05,
        help="Self-hosted: replicas planned to run at this share of their throughput at peak. Lower: more replicas, "
        "less queueing.",
        **session.control("sb.util", "stack.target_utilization", "Target utilization", float, float),
    )
    c2.number_input(
        "Input-token weight",
        **session.limits("stack.input_token_weight"),
        step=0.05,
        help="Self-hosted: GPU work of one input token relative to one output token.",
        **session.control("sb.itw", "stack.input_token_weight", "Input-token weight", float, float),
    )
    c1.number_input(
        "Minimum replicas",
        **session.limits("stack.min_replicas"),
        step=1,
        help="Self-hosted: replicas kept up at any volume.",
        **session.control("sb.minrep", "stack.min_replicas", "Minimum replicas", int, int),
    )
    c2.number_input(
        "Hours rented a month",
        **session.limits("stack.hours_per_month"),
        step=10.0,
        help="Hours a month GPUs and dedicated endpoints are rented (730: around the clock).",
        **session.control("sb.hours", "stack.hours_per_month", "Hours a month", float, float),
    )
    c1.slider(
        "GPU memory for the server",
        min_value=0.15,
        max_value=1.0,
        step=0.05,
        help="Self-hosted: share of GPU memory the server gives to weights and KV cache.",
        **session.control("sb.gpumem", "stack.gpu_memory_utilization", "GPU memory share", float, float),
    )
    c1.number_input(
        "KV cache per token (KB)",
        min_value=0.001,
        max_value=100_000.0,
        step=16.0,
        value=None,
        placeholder="from the model's size",
        help="Self-hosted: KV-cache memory of one token. Empty: estimated from the model's size.",
        **session.control("sb.kvkb", "stack.kv_cache_kb_per_token", "KV cache per token"),
    )
    c2.number_input(
        "Most sequences per replica",
        **session.limits("stack.max_sequences_per_replica"),
        step=16,
        help="Self-hosted: the most sequences one replica decodes at once (its batch).",
        **session.control("sb.maxseq", "stack.max_sequences_per_replica", "Most sequences", int, int),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _assumptions_cached(
    cat_sha: str, scenario_json: str, given: frozenset[str], _catalog: Catalog, _est: Estimate
) -> list[dict]:
    return [a.to_dict() for a in assumptions(_catalog, _est.scenario, _est, session.base_scenario())]


def assumptions_view(catalog: Catalog, cat_sha: str, est: Estimate) -> None:
    """The assumed values that move the result, ranked, each with the control that sets it; then every input's
    source."""
    s = est.scenario
    try:
        rows = _assumptions_cached(cat_sha, s.model_dump_json(), given_paths(s), catalog, est)
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
        st.caption(f"The assumptions could not be ranked: {type(exc).__name__}: {exc}")
        return
    st.caption(
        f"Each number nobody gave, priced at half and twice its value: the spend over {s.horizon_months} months of "
        "the option it moves most. Set it where the last column says."
    )
    frame = pd.DataFrame(
        [
            {
                "Assumed": r["field"],
                "Value": f"{r['value']:,.4g}",
                "Tried": f"{r['low_value']:,.4g} to {r['high_value']:,.4g}",
                "Moves": LABELS[r["option"]],
                "Spend": f"{fmt.usd(r['low_usd'])} to {fmt.usd(r['high_usd'])}",
                "Set it": r["control"],
            }
            for r in rows
        ]
    )
    if s.workload.cache_hit_share is None and s.stack.serving == "api":
        shares = ", ".join(f"{c.label} {c.cache_hit_share:.1%}" for c in est.current.values())
        st.caption(f"Measured, not given: prompt-cache hits from your traffic and each model's cache life — {shares}.")
    if frame.empty:
        st.caption("No assumed number moves the result: every number that matters is yours.")
    else:
        st.markdown(tables.markdown_table(frame.set_index("Assumed"), "Assumed"))
    with st.expander("Every input and where it came from"):
        prov = [p for p in provenance(s, est, session.base_scenario() if session.get().preset else None)]
        st.markdown(
            tables.markdown_table(
                pd.DataFrame(
                    [{"Input": p.field, "Value": str(p.value), "Source": p.source, "Set it": p.control} for p in prov]
                ).set_index("Input"),
                "Input",
            )
        )
