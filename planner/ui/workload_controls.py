"""The sidebar's scenario sections about the workload and its targets: tokens per query, retrieval, fine-tuning,
budget and latency targets, one-time costs. Each control is bound to a scenario field by `session.control`;
`planner.ui.sidebar` lays the sections out."""

from __future__ import annotations

import streamlit as st

from planner.model.scenario import ARCHITECTURES, Scenario, bounds
from planner.model.sections import Workload
from planner.model.vocabulary import LABELS
from planner.ui.session import control, limits, scenario


def _count_int(v: float) -> int:
    return int(round(v))


def token_controls() -> None:
    c1, c2 = st.columns(2)
    c1.number_input(
        "Input (tokens/query)",
        **limits("workload.input_tokens_per_query"),
        step=50,
        help="User input tokens per query: the question and any conversation history.",
        **control("sb.tin", "workload.input_tokens_per_query", "Input tokens per query", _count_int, float),
    )
    c2.number_input(
        "Output (tokens/query)",
        **limits("workload.output_tokens_per_query"),
        step=50,
        help="Tokens the model generates per answer.",
        **control("sb.tout", "workload.output_tokens_per_query", "Output tokens per query", _count_int, float),
    )
    c1.number_input(
        "System prompt (tokens)",
        **limits("workload.system_prompt_tokens"),
        step=100,
        help="Instructions sent with every query, on every architecture.",
        **control("sb.sys", "workload.system_prompt_tokens", "System prompt tokens", _count_int, float),
    )
    c2.number_input(
        "Few-shot (tokens)",
        **limits("workload.few_shot_tokens"),
        step=100,
        help="Example tokens in the prompt of prompt-only and RAG; a tuned model needs none.",
        **control("sb.shots", "workload.few_shot_tokens", "Few-shot tokens", _count_int, float),
    )
    c1, c2 = st.columns(2)
    c1.slider(
        "Queries sent as batch (%)",
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        format="%.0f%%",
        help="Share of queries that can wait for a batch API (offline jobs): priced at batch rates where offered.",
        **control(
            "sb.batch", "workload.batch_query_share", "Batch share", lambda v: round(v * 100, 1), lambda v: v / 100
        ),
    )


def retrieval_controls(s: Scenario) -> None:
    _corpus_controls(s.workload)
    _retrieval_depth_controls(s.workload)
    _corpus_change_control()


def _corpus_controls(w: Workload) -> None:
    """How the knowledge base is cut (its size: the Knowledge base section)."""
    st.slider(
        "Chunk size (tokens)",
        # the model needs chunk > overlap; the slider ends at 4,096 or past the scenario's value
        min_value=int(w.chunk_overlap_tokens) + 1,
        max_value=max(4096, int(w.chunk_tokens), int(w.chunk_overlap_tokens) + 2),
        step=1,
        help="Tokens per retrieved chunk; each retrieved chunk is added to the prompt. Must be larger than the "
        "overlap.",
        **control("sb.chunk", "workload.chunk_tokens", "Chunk size", _count_int, float),
    )


def _retrieval_depth_controls(w: Workload) -> None:
    """What each retrieving query fetches: top-k, reranking and its candidates, the share of queries that retrieve."""
    st.slider(
        "Chunks retrieved per query (top-k)",
        min_value=int(bounds("workload.top_k").low or 1),
        max_value=max(50, w.top_k),
        step=1,
        help="Chunks added to the prompt per query: prompt tokens grow by top-k × chunk size.",
        **control("sb.k", "workload.top_k", "Top-k", int, int),
    )
    st.toggle(
        "Rerank retrieved chunks (per search)",
        help="Rerank the retrieved candidates before generation: one reranker search per query, plus its latency.",
        **control("sb.rerank", "workload.rerank", "Rerank"),
    )
    c1, c2 = st.columns(2)
    c1.number_input(
        "Rerank candidates per query",
        min_value=w.top_k,
        max_value=10_000,
        step=10,
        value=None,
        placeholder="top-k",
        help="Candidates the reranker scores per query, of which the top-k go into the prompt "
        "(billed per search or per token of query + candidate text). Empty: top-k.",
        **control("sb.cands", "workload.rerank_candidates_per_query", "Rerank candidates"),
    )
    c2.slider(
        "Queries that retrieve (%)",
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        format="%.0f%%",
        help="RAG and hybrid: share of queries routed to retrieval; the rest are answered from the prompt alone.",
        **control(
            "sb.route",
            "workload.retrieval_query_share",
            "Queries that retrieve",
            lambda v: round(v * 100, 1),
            lambda v: v / 100,
        ),
    )


def _corpus_change_control() -> None:
    st.slider(
        "Corpus changing each month (%)",
        min_value=0.0,
        max_value=100.0,
        step=1.0,
        format="%g%%",
        help="Share of the corpus re-embedded each month. The questionnaire's 'how often does the knowledge change' "
        "answer sets it too.",
        **control(
            "sb.change",
            "workload.corpus_change_share_per_month",
            "Corpus change share",
            lambda v: round(v * 100, 9),
            lambda v: v / 100,
        ),
    )


def tuning_controls() -> None:
    st.number_input(
        "Training examples (count)",
        **limits("fine_tuning.training_examples"),
        step=100,
        help="Examples in the training set. Also answers the questionnaire's 'How many examples' question.",
        **control("sb.examples", "fine_tuning.training_examples", "Training examples", int, int),
    )
    st.number_input(
        "Training epochs (passes over the set)",
        **limits("fine_tuning.epochs"),
        step=1.0,
        format="%g",
        help="Passes over the training set per run; training tokens = examples × tokens per example × epochs.",
        **control("sb.epochs", "fine_tuning.epochs", "Training epochs", float, float),
    )


def target_controls() -> None:
    st.number_input(
        "Monthly budget (USD per month)",
        **limits("monthly_budget_usd"),
        step=100.0,
        value=None,
        format="%.2f",
        placeholder="No budget",
        help="Drawn as a line on the cost chart and checked by the recommendation. Leave empty for none.",
        **control("sb.budget", "monthly_budget_usd", "Monthly budget"),
    )
    st.number_input(
        "Latency target (p95, ms)",
        **limits("latency_target_p95_ms"),
        step=100.0,
        value=None,
        format="%g",
        placeholder="No limit",
        help="The time within which 95% of answers must be complete. Drawn on the latency chart. Leave empty for none.",
        **control("sb.p95", "latency_target_p95_ms", "Latency target"),
    )
    st.number_input(
        "First-token p95 limit (ms)",
        **limits("first_token_target_p95_ms"),
        step=50.0,
        value=None,
        format="%g",
        placeholder="No limit",
        help="When answers stream: the time within which 95% of answers must show their first token. Judged on "
        "its own measure, beside the full-answer limit above. Leave empty for none.",
        **control("sb.ttft", "first_token_target_p95_ms", "First-token limit", to_widget=lambda v: v),
    )
    st.number_input(
        "Horizon for total cost (months)",
        **limits("horizon_months"),
        step=1,
        help="Months the total cost of ownership (one-time + monthly) covers.",
        **control("sb.months", "horizon_months", "Horizon", int, int),
    )
    st.date_input(
        "Start of the horizon",
        value=None,
        format="YYYY-MM-DD",
        help="The first month priced. Empty: today. Each month is priced with the prices in force that month "
        "(scheduled price changes in the catalog); the monthly figures are at the start's prices.",
        **control("sb.start", "start_date", "Start of the horizon"),
    )


def one_time_controls() -> None:
    """The assumptions behind the one-time costs, which often decide the total: days, day rate, labeling."""
    st.number_input(
        "Engineer day rate (USD per day)",
        min_value=0.0,
        max_value=100_000.0,
        step=50.0,
        format="%.0f",
        help="Loaded cost of one engineering day; one-time engineering = days × this rate.",
        **control("sb.day_usd", "one_time.usd_per_engineering_day", "Engineer day rate", float, float),
    )
    st.number_input(
        "Labeling (USD per training example)",
        min_value=0.0,
        max_value=10_000.0,
        step=0.5,
        format="%.2f",
        help="Cost to write or check one training example (fine-tuned and hybrid).",
        **control("sb.label_usd", "one_time.labeling_usd_per_example", "Labeling cost", float, float),
    )
    days = scenario().one_time.engineering_days
    for arch in ARCHITECTURES:
        if arch not in type(days).model_fields:
            continue
        st.number_input(
            f"{LABELS[arch]}: engineering (days)",
            min_value=0.0,
            max_value=10_000.0,
            step=1.0,
            format="%.0f",
            help=f"Days of engineering to build {LABELS[arch]}: its share of the one-time cost.",
            **control(
                f"sb.days_{arch}", f"one_time.engineering_days.{arch}", f"{LABELS[arch]} engineering days", float, float
            ),
        )
