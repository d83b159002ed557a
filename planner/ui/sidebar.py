"""The sidebar: the scenario's controls, laid out (each control bound to a scenario field by
`session.control`), and the scenario written to the URL after every change (`planner.ui.params`)."""

from __future__ import annotations

import functools

import streamlit as st

from planner.engine import stack_fit
from planner.model import format as fmt
from planner.model.files import read_scenario, scenario_yaml
from planner.model.scenario import ARCHITECTURES, LABELS, Scenario, bounds
from planner.model.sections import Workload
from planner.model.vocabulary import SERVING_LABELS, slug
from planner.ui import assumptions, params, results, session
from planner.ui.catalog import catalog
from planner.ui.messages import problem_lines
from planner.ui.session import (
    MAX_UPLOAD_BYTES,
    base_scenario,
    control,
    flash,
    limits,
    preset_scenarios,
    scenario,
    set_scenario,
    sync_widget,
)
from pricing.errors import InputError
from pricing.models import Catalog

#: The "Queries per month" slider: round volumes on a 1-2-5 log scale.
VOLUME_STEPS = tuple(float(m * 10**e) for e in range(3, 9) for m in (1, 2, 5) if m * 10**e <= 100_000_000)


def _count_int(v: float) -> int:
    return int(round(v))


def _entry_options(family: dict, current: str) -> list[str]:
    keys = list(family)
    return keys if current in family else [current, *keys]


def _entry_format(family: dict, suffix=lambda e: ""):
    def f(key: str) -> str:
        e = family.get(key)
        return f"{key} (not in the catalog)" if e is None else f"{e.name}{suffix(e)}"

    return f


def _on_preset() -> None:
    slug = st.session_state["sb.preset"]
    set_scenario(preset_scenarios().get(slug) or Scenario(), preset=slug)


def _on_scenario_upload() -> None:
    f = st.session_state.get("sb.upload")
    if f is None:
        return
    if f.size > MAX_UPLOAD_BYTES:
        flash(
            "error",
            f"{f.name}: the file is {f.size:,} bytes; scenario files are limited to {MAX_UPLOAD_BYTES:,} bytes.",
        )
        return
    try:
        text = f.getvalue().decode("utf-8-sig")
        new, notes = read_scenario(text, f.name)
    except UnicodeDecodeError:
        flash("error", f"{f.name}: not UTF-8 text. Save the scenario as UTF-8 YAML.")
        return
    except InputError as exc:
        flash("error", f"{f.name} is not a valid scenario; nothing changed.", problem_lines(exc.problems))
        return
    set_scenario(new, preset="")
    flash("success", f"Loaded the scenario “{new.name}” from {f.name}.")
    if notes:  # e.g. a word in the other British/US spelling, read as the format's
        flash("warning", f"{f.name}: read with {len(notes)} note(s).", problem_lines(notes))


#: Pages whose chart carries the "Queries per month" slider itself (`planner.ui.volume_chart`): the
#: sidebar does not repeat it there.
VOLUME_ON_CHART = ("costs", "latency")


def draw(page: str = "") -> None:
    """The scenario's controls in the sidebar, then the scenario written to the URL. `page`: the url path
    of the page drawn."""
    s = scenario()
    cat = catalog()
    pre = preset_scenarios()
    preset = session.get().preset
    with st.sidebar:
        slugs = ["", *pre]
        sync_widget("sb.preset", preset if preset in pre else "")
        st.selectbox(
            "Preset scenario",
            slugs,
            format_func=lambda k: pre[k].name if k else "None (the defaults)",
            key="sb.preset",
            on_change=_on_preset,
            help="A worked example to start from. Every control below starts at the preset's value; the link in the "
            "address bar keeps only what you changed.",
        )
        st.text_input(
            "Scenario name",
            max_chars=200,
            help="Names the scenario everywhere: the page headers, the downloaded file and the PDF report's title.",
            **control("sb.name", "name", "Scenario name", _same, _name_or_default),
        )
        if page in VOLUME_ON_CHART:
            st.caption("Queries per month: set it under the chart")  # (its value there and in the header)
        else:
            _volume_control(s)
        if (sec := _section("tokens", "Tokens per query")).open:
            with sec:
                _token_controls()
        if (sec := _section("knowledge", "Knowledge base (long context and RAG)")).open:
            with sec:
                assumptions.knowledge_base_inputs("sb")
        if (sec := _section("retrieval", "Retrieval (RAG and hybrid)")).open:
            with sec:
                _retrieval_controls(s)
        if (sec := _section("tuning", "Fine-tuning (fine-tuned and hybrid)")).open:
            with sec:
                _tuning_controls()
        if (sec := _section("stack", "Stack (from the catalog)")).open:
            with sec:
                _stack_controls(s, cat)
        if (sec := _section("assumptions", "Assumptions: traffic, caching, sizing")).open:
            with sec:
                assumptions.assumption_controls(results.context().estimate)
        if (sec := _section("targets", "Budget, latency target, horizon")).open:
            with sec:
                _target_controls()
        if (sec := _section("one_time", "One-time costs (engineering, labeling)")).open:
            with sec:
                _one_time_controls()
        if (sec := _section("file", "Scenario file (YAML)")).open:
            with sec:
                _file_controls(s)
    write_url()


def _section(name: str, label: str):
    """A sidebar section that runs its controls only while open (fewer widgets to redraw per slider move)."""
    return st.expander(label, key=f"sbx.{name}", on_change="rerun")


def _tuning_controls() -> None:
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


def _same(v):
    return v


def _name_or_default(v: str) -> str:
    return (v or "").strip() or "Untitled scenario"


def _one_time_controls() -> None:
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


def _target_controls() -> None:
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


def _file_controls(s: Scenario) -> None:
    st.download_button(
        "Download scenario (YAML)",
        data=functools.partial(scenario_yaml, s),
        file_name=f"{slug(s.name)}.yaml",
        mime="application/x-yaml",
        on_click="ignore",
        help="The same file the command line reads: python -m planner estimate --scenario FILE",
    )
    st.file_uploader(
        "Upload a scenario (YAML, up to 1 MB)",
        type=["yaml", "yml"],
        key="sb.upload",
        on_change=_on_scenario_upload,
        max_upload_size=1,
        help="A scenario file as downloaded above or written by hand; it is validated before use.",
    )


def _volume_control(s: Scenario) -> None:
    q = s.workload.queries_per_month
    options = sorted(set(VOLUME_STEPS) | {float(q)})
    st.select_slider(
        "Queries per month",
        options=options,
        format_func=fmt.count,
        help="Expected queries a month (log scale, 1K to 100M). The cost and latency charts mark this volume.",
        **control("sb.q", "workload.queries_per_month", "Queries per month", float, float),
    )


def _token_controls() -> None:
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


def _retrieval_controls(s: Scenario) -> None:
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


def _stack_controls(s: Scenario, cat: Catalog) -> None:
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


def write_url() -> None:
    """Keep the address bar in step with the scenario (only what differs from the preset)."""
    state = session.get()
    s, preset = state.scenario, state.preset
    cat = state.cat_sha[: params.CATALOG_DIGITS] if state.cat_custom else ""
    key = (s.model_dump_json(), preset + "|" + cat)
    memo = state.url_memo
    if memo is None or memo[0] != key:
        want = params.encode(s, base_scenario(), preset)
        if cat:  # an edited catalog: the link carries its fingerprint, so the opening end can tell
            want[params.CATALOG] = cat
        memo = (key, want)
        state.url_memo = memo
    want = memo[1]
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)
