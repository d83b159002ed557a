"""Per-session state, cached computations and the sidebar that holds the scenario.

State (per browser session, in `st.session_state`, never in `st.cache_resource`):

* `scenario` — the `Scenario` every page draws; `preset` — the preset's slug or "".
  Controls are *controlled*: before a control is drawn its key is set from the
  scenario, and its `on_change` callback writes the new value back through
  `Scenario.with_changes` (which keeps the linked answers in step). So a change
  made anywhere (a preset, an upload, a question on Decide, the URL) shows in
  every control, on every page.
* `cat_text` / `cat_sha` — the catalog YAML this session prices with (the file's,
  or the user's applied edit); `cat_path` / `cat_file_sha` — the catalog file and
  the fingerprint of its text when read (for conflict-safe saving); `cat_custom`
  — whether this session applied its own edit (if not, a save made by someone
  else is picked up on the next rerun).

Caching (`st.cache_data`, shared, keyed on hashable inputs): the parsed catalog by
the text's sha256, the estimate by (catalog sha256, scenario JSON). Each session
also keeps its last result, so a rerun with nothing changed unpickles nothing.

The URL carries the scenario (see `planner.ui.params`): read once when a session
starts, written after every change.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from pydantic import ValidationError

from planner import format as fmt
from planner.engine import Estimate, estimate
from planner.files import SCENARIOS_DIR, load_scenario, parse_scenario, scenario_yaml
from planner.questionnaire import Recommendation, recommend
from planner.scenario import Scenario
from planner.ui import params
from pricing.errors import ConflictError, InputError, Problem, UnknownEntryError
from pricing.loader import DEFAULT_CATALOG_PATH, LoadedCatalog, fingerprint, parse_catalog, read_text
from pricing.models import Catalog
from pricing.store import backup_path, save_catalog

#: Uploads (scenarios and catalogs) are refused above this size, whatever the server allows.
MAX_UPLOAD_BYTES = 1_000_000
#: The "Queries per month" slider: round volumes on a 1-2-5 log scale.
VOLUME_STEPS = tuple(float(m * 10**e) for e in range(3, 9) for m in (1, 2, 5) if m * 10**e <= 100_000_000)

_MISSING = object()


# ------------------------------------------------------------------ cached pure computations


@st.cache_data(show_spinner=False, max_entries=16)
def parse_catalog_cached(sha: str, _text: str, file: str) -> LoadedCatalog:
    """`parse_catalog(text)`, cached by the text's sha256 (the text itself is not hashed again)."""
    return parse_catalog(_text, file)


@st.cache_data(show_spinner=False, max_entries=128)
def estimate_cached(cat_sha: str, scenario_json: str, _catalog: Catalog, _scenario: Scenario) -> Estimate:
    """The engine's estimate, cached by (catalog sha256, scenario JSON)."""
    q = _scenario.workload.queries_per_month
    vr = _scenario.volumes
    volumes = None
    if q > 0 and not (vr.min_queries_per_month <= q <= vr.max_queries_per_month):
        # the scenario's volume is off the chart: widen the grid around it
        volumes = np.geomspace(min(vr.min_queries_per_month, q / 3), max(vr.max_queries_per_month, q * 3), vr.points)
    return estimate(_catalog, _scenario, volumes=volumes)


@st.cache_data(show_spinner=False)
def preset_scenarios() -> dict[str, Scenario]:
    """The shipped scenario files by slug (file stem), in file-name order (each file read once)."""
    return {path.stem: load_scenario(path) for path in sorted(SCENARIOS_DIR.glob("*.yaml"))}


# ------------------------------------------------------------------ messages


def flash(kind: str, text: str, lines: list[str] | None = None) -> None:
    """A message shown once at the top of the next page drawn (kind: error, warning, success, info)."""
    st.session_state.setdefault("_flash", []).append((kind, text, lines))


def show_flash() -> None:
    for kind, text, lines in st.session_state.pop("_flash", []):
        message(kind, text, lines)


def message(kind: str, text: str, lines: list[str] | None = None) -> None:
    """An alert whose text may hold user or catalog text: shown literally (markdown escaped), with
    `lines` (e.g. located problems) in a code block, where nothing is interpreted."""
    body = md(text)
    if lines:
        shown = [line.replace("`", "'") for line in lines[:40]] + (["…"] if len(lines) > 40 else [])
        body += "\n\n```text\n" + "\n".join(shown) + "\n```"
    getattr(st, kind)(body)


def problem_lines(problems: list[Problem]) -> list[str]:
    """Each problem as "line L, column C — path: message"."""
    out = []
    for p in problems:
        where = f"line {p.line}, column {p.column}"
        out.append(f"{where} — {p.path}: {p.message}" if p.path else f"{where} — {p.message}")
    return out


def show_problems(title: str, problems: list[Problem]) -> None:
    message("error", title, problem_lines(problems))


# ------------------------------------------------------------------ the catalog


def catalog_path() -> Path:
    """The catalog file this app was started with: `$PLANNER_CATALOG`, or the shipped default."""
    env = os.environ.get("PLANNER_CATALOG", "").strip()
    return Path(env) if env else DEFAULT_CATALOG_PATH


def _read_catalog_file(path: Path) -> tuple[str, str, tuple[int, int]]:
    """(text, its fingerprint — what `save_catalog` checks for conflicts, (mtime_ns, size)). Raises InputError."""
    text = read_text(path, MAX_UPLOAD_BYTES)
    stat = path.stat()
    return text, fingerprint(text), (stat.st_mtime_ns, stat.st_size)


def _adopt_catalog(text: str, file: str, *, custom: bool) -> LoadedCatalog:
    """Validate `text` and make it this session's catalog (raises InputError, changing nothing)."""
    sha = fingerprint(text)
    loaded = parse_catalog_cached(sha, text, file)
    ss = st.session_state
    ss["cat_text"], ss["cat_sha"], ss["cat_custom"] = text, sha, custom
    ss["_cat_obj"] = (sha, loaded.catalog)
    return loaded


def _load_catalog_file() -> None:
    """Start (or reset) the session on the catalog file."""
    ss = st.session_state
    path = catalog_path()
    ss["cat_path"] = str(path)
    try:
        text, file_sha, stamp = _read_catalog_file(path)
    except InputError as exc:
        ss["cat_file_sha"], ss["cat_stamp"] = None, None
        flash(
            "error", f"The catalog file {path} cannot be read; using the shipped default.", problem_lines(exc.problems)
        )
        _fallback_to_default()
        return
    ss["cat_file_sha"], ss["cat_stamp"] = file_sha, stamp
    try:
        _adopt_catalog(text, str(path), custom=False)
        set_editor(text)
    except InputError as exc:
        flash(
            "error",
            f"The catalog file {path} is not valid; using the shipped default. Fix it on the Pricing page.",
            problem_lines(exc.problems),
        )
        _fallback_to_default()
        set_editor(text)  # the broken file, to repair in the editor


def _fallback_to_default() -> None:
    text = DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")
    _adopt_catalog(text, str(DEFAULT_CATALOG_PATH), custom=True)
    set_editor(text)


def _follow_file() -> None:
    """A session without its own edits follows the file: a save made elsewhere shows on the next rerun."""
    ss = st.session_state
    if ss.get("cat_custom") or not ss.get("cat_stamp"):
        return
    path = Path(ss["cat_path"])
    try:
        stat = path.stat()
    except OSError:
        return
    if (stat.st_mtime_ns, stat.st_size) == tuple(ss["cat_stamp"]):
        return
    try:
        text, file_sha, stamp = _read_catalog_file(path)
        editor_was_clean = ss.get("cat_draft") == ss.get("cat_text")
        _adopt_catalog(text, str(path), custom=False)
    except InputError:
        return  # keep the last good catalog; the Pricing page reports the file when reset
    ss["cat_file_sha"], ss["cat_stamp"] = file_sha, stamp
    if editor_was_clean:
        set_editor(text)


def set_editor(text: str) -> None:
    """Put `text` in the Pricing page's YAML editor (and keep it as the draft across page switches)."""
    st.session_state["cat_editor"] = st.session_state["cat_draft"] = text


def editor_text() -> str:
    """Set the editor from the draft before it is drawn (a page switch drops or resets the widget's
    state; every submit goes through Apply or Save, which record the draft first). Returns the text."""
    ss = st.session_state
    draft = ss.setdefault("cat_draft", ss["cat_text"])
    sync_widget("cat_editor", draft)
    return draft


def catalog() -> Catalog:
    ss = st.session_state
    memo = ss.get("_cat_obj")
    if memo is None or memo[0] != ss["cat_sha"]:
        memo = (ss["cat_sha"], parse_catalog_cached(ss["cat_sha"], ss["cat_text"], ss["cat_path"]).catalog)
        ss["_cat_obj"] = memo
    return memo[1]


def apply_catalog_text(text: str, file: str = "<editor>") -> list[Problem]:
    """Validate and apply for this session. Returns the problems ([] when applied)."""
    try:
        _adopt_catalog(text, file, custom=True)
    except InputError as exc:
        return exc.problems
    return []


def reset_catalog() -> None:
    _load_catalog_file()


# ------------------------------------------------------------------ the scenario


def _init() -> None:
    ss = st.session_state
    try:
        if "cat_sha" not in ss:
            _load_catalog_file()
        else:
            _follow_file()
    except (InputError, OSError) as exc:  # not even the shipped catalog loads: nothing to price with
        problems = problem_lines(exc.problems) if isinstance(exc, InputError) else [str(exc)]
        message(
            "error",
            "No valid pricing catalog could be loaded (neither PLANNER_CATALOG nor the shipped default).",
            problems,
        )
        st.stop()
    if "scenario" not in ss:
        try:
            qp = st.query_params.to_dict()
        except Exception:  # noqa: BLE001 - a malformed URL must not stop the app
            qp = {}
        preset, scenario, problems = params.decode(qp, preset_scenarios())
        ss["scenario"], ss["preset"] = scenario, preset
        for p in problems:
            flash("warning", p)


def scenario() -> Scenario:
    return st.session_state["scenario"]


def base_scenario() -> Scenario:
    preset = st.session_state.get("preset") or ""
    return preset_scenarios().get(preset) or Scenario()


def set_scenario(new: Scenario, preset: str | None = None) -> None:
    st.session_state["scenario"] = new
    if preset is not None:
        st.session_state["preset"] = preset


def change(changes: dict[str, Any], what: str = "") -> bool:
    """Apply dotted-path changes to the scenario; an invalid value is refused with a message."""
    try:
        set_scenario(scenario().with_changes(**changes))
        return True
    except ValidationError as exc:
        flash("error", f"{what or ', '.join(changes)}: {params.validation_message(exc)}")
    except (KeyError, ValueError, TypeError) as exc:
        flash("error", f"{what or ', '.join(changes)}: not a valid value ({exc})")
    return False


def get_path(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def sync_widget(key: str, desired: Any) -> None:
    """Set a widget's value from the scenario before the widget is drawn (only when it differs)."""
    if st.session_state.get(key, _MISSING) != desired:
        st.session_state[key] = desired


def _on_control(key: str, path: str, from_widget, what: str) -> None:
    value = from_widget(st.session_state[key])
    if not change({path: value}, what):
        st.session_state.pop(key, None)  # redrawn from the scenario on this run


def control(key: str, path: str, what: str, to_widget=lambda v: v, from_widget=lambda v: v) -> dict:
    """kwargs that bind a widget to a scenario path: `st.slider(..., **control(...))`."""
    sync_widget(key, to_widget(get_path(scenario(), path)))
    return dict(key=key, on_change=_on_control, args=(key, path, from_widget, what))


# ------------------------------------------------------------------ derived results


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    scenario: Scenario
    estimate: Estimate | None
    recommendation: Recommendation | None
    error: str | None
    cat_sha: str


def context() -> Context:
    """Catalog, scenario, estimate and recommendation for this run (errors as a sentence, not a traceback)."""
    ss = st.session_state
    cat, scen, sha = catalog(), scenario(), ss["cat_sha"]
    key = (sha, scen.model_dump_json())
    memo = ss.get("_ctx")
    if memo is not None and memo[0] == key:
        return memo[1]
    est = rec = err = None
    try:
        est = estimate_cached(sha, key[1], cat, scen)
        rec = recommend(scen, estimate=est)
    except (InputError, UnknownEntryError, KeyError, ValueError, ArithmeticError) as exc:
        err = _engine_error(exc)
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
        err = f"The estimate failed: {type(exc).__name__}: {exc}"
    ctx = Context(cat, scen, est, rec, err, sha)
    ss["_ctx"] = (key, ctx)
    return ctx


def _engine_error(exc: Exception) -> str:
    if isinstance(exc, InputError):
        return "\n".join(problem_lines(exc.problems))
    text = str(exc).strip("'\"")
    return f"This scenario cannot be priced with the current catalog: {text}. Pick another entry in the sidebar (Stack) or change the catalog on the Pricing page."


def require_estimate(ctx: Context) -> None:
    """Show the engine's error and stop the page when there is no estimate."""
    if ctx.error or ctx.estimate is None:
        message("error", ctx.error or "No estimate.")
        st.stop()


def page_header(title: str, ctx: Context, caption: str = "") -> None:
    st.title(title)
    s = ctx.scenario
    preset = st.session_state.get("preset") or ""
    where = " (preset)" if preset else ""
    extra = f" · {caption}" if caption else ""
    st.caption(
        f"Scenario: **{md(s.name)}**{where} · {fmt.count(s.workload.queries_per_month)} queries/month"
        f" · catalog {md(ctx.catalog.version)} ({ctx.catalog.date}){' · edited in this session' if st.session_state.get('cat_custom') else ''}{extra}"
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#|~$<>!])")  # links, images, emphasis, code, maths, tables


def md(text: str) -> str:
    """User text shown inside markdown: special characters escaped (no HTML is ever allowed)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# ------------------------------------------------------------------ the sidebar


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
        new = parse_scenario(text, f.name)
    except UnicodeDecodeError:
        flash("error", f"{f.name}: not UTF-8 text. Save the scenario as UTF-8 YAML.")
        return
    except InputError as exc:
        flash("error", f"{f.name} is not a valid scenario; nothing changed.", problem_lines(exc.problems))
        return
    set_scenario(new, preset="")
    flash("success", f"Loaded the scenario “{new.name}” from {f.name}.")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "scenario"


def sidebar() -> None:
    """Load state, then draw the scenario's controls in the sidebar and write the scenario to the URL."""
    _init()
    show_flash()
    s = scenario()
    cat = catalog()
    pre = preset_scenarios()
    ss = st.session_state
    with st.sidebar:
        slugs = ["", *pre]
        sync_widget("sb.preset", ss.get("preset", "") if ss.get("preset", "") in pre else "")
        st.selectbox(
            "Preset scenario",
            slugs,
            format_func=lambda k: pre[k].name if k else "None (the defaults)",
            key="sb.preset",
            on_change=_on_preset,
            help="A worked example to start from. Every control below starts at the preset's value; the link in the address bar keeps only what you changed.",
        )
        _volume_control(s)
        if (sec := _section("tokens", "Tokens per query")).open:
            with sec:
                _token_controls()
        if (sec := _section("retrieval", "Retrieval (RAG and hybrid)")).open:
            with sec:
                _retrieval_controls(s)
        if (sec := _section("tuning", "Fine-tuning (fine-tuned and hybrid)")).open:
            with sec:
                _tuning_controls()
        if (sec := _section("stack", "Stack (from the catalog)")).open:
            with sec:
                _stack_controls(s, cat)
        if (sec := _section("targets", "Budget, latency target, horizon")).open:
            with sec:
                _target_controls()
        if (sec := _section("file", "Scenario file (YAML)")).open:
            with sec:
                _file_controls(s)
    _write_url()


def _section(name: str, label: str):
    """A sidebar section that runs its controls only while open (fewer widgets to redraw per slider move)."""
    return st.expander(label, key=f"sbx.{name}", on_change="rerun")


def _tuning_controls() -> None:
    st.number_input(
        "Training examples (count)",
        min_value=0,
        max_value=100_000_000,
        step=100,
        help="Examples in the training set. Also answers the questionnaire's 'How many examples' question.",
        **control("sb.examples", "fine_tuning.training_examples", "Training examples", int, int),
    )
    st.number_input(
        "Training epochs (passes over the set)",
        min_value=0.5,
        max_value=100.0,
        step=1.0,
        format="%.1f",
        help="Passes over the training set per run; training tokens = examples × tokens per example × epochs.",
        **control("sb.epochs", "fine_tuning.epochs", "Training epochs", float, float),
    )


def _target_controls() -> None:
    st.number_input(
        "Monthly budget (USD per month)",
        min_value=0.0,
        max_value=1e9,
        step=100.0,
        value=None,
        format="%.0f",
        placeholder="No budget",
        help="Drawn as a line on the cost chart and checked by the recommendation. Leave empty for none.",
        **control("sb.budget", "monthly_budget_usd", "Monthly budget"),
    )
    st.number_input(
        "Latency target (p95, ms)",
        min_value=1.0,
        max_value=600_000.0,
        step=100.0,
        value=None,
        format="%.0f",
        placeholder="No limit",
        help="The time within which 95% of answers must be complete. Drawn on the latency chart. Leave empty for none.",
        **control("sb.p95", "latency_target_p95_ms", "Latency target"),
    )
    st.number_input(
        "Horizon for total cost (months)",
        min_value=1,
        max_value=120,
        step=1,
        help="Months the total cost of ownership (one-time + monthly) covers.",
        **control("sb.months", "horizon_months", "Horizon", int, int),
    )


def _file_controls(s: Scenario) -> None:
    st.download_button(
        "Download scenario (YAML)",
        data=functools.partial(scenario_yaml, s),
        file_name=f"{_slug(s.name)}.yaml",
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
        min_value=0,
        max_value=10_000_000,
        step=50,
        help="User input tokens per query: the question and any conversation history.",
        **control("sb.tin", "workload.input_tokens_per_query", "Input tokens per query", _count_int, float),
    )
    c2.number_input(
        "Output (tokens/query)",
        min_value=0,
        max_value=1_000_000,
        step=50,
        help="Tokens the model generates per answer.",
        **control("sb.tout", "workload.output_tokens_per_query", "Output tokens per query", _count_int, float),
    )
    c1.number_input(
        "System prompt (tokens)",
        min_value=0,
        max_value=10_000_000,
        step=100,
        help="Instructions sent with every query, on every architecture.",
        **control("sb.sys", "workload.system_prompt_tokens", "System prompt tokens", _count_int, float),
    )
    c2.number_input(
        "Few-shot (tokens)",
        min_value=0,
        max_value=10_000_000,
        step=100,
        help="Example tokens in the prompt of prompt-only and RAG; a tuned model needs none.",
        **control("sb.shots", "workload.few_shot_tokens", "Few-shot tokens", _count_int, float),
    )


def _retrieval_controls(s: Scenario) -> None:
    w = s.workload
    c1, c2 = st.columns(2)
    c1.number_input(
        "Corpus (documents)",
        min_value=0,
        max_value=10_000_000_000,
        step=1000,
        help="Documents in the knowledge base: sets the vector store's size and the indexing cost.",
        **control("sb.docs", "workload.corpus_documents", "Corpus documents", _count_int, float),
    )
    c2.number_input(
        "Document (tokens/doc)",
        min_value=0,
        max_value=100_000_000,
        step=100,
        help="Average tokens per document.",
        **control("sb.doc_tokens", "workload.tokens_per_document", "Tokens per document", _count_int, float),
    )
    st.slider(
        "Chunk size (tokens)",
        min_value=int(w.chunk_overlap_tokens) + 1,
        max_value=max(4096, int(w.chunk_tokens)),
        step=1,
        help="Tokens per retrieved chunk; each retrieved chunk is added to the prompt. Must be larger than the overlap.",
        **control("sb.chunk", "workload.chunk_tokens", "Chunk size", _count_int, float),
    )
    st.slider(
        "Chunks retrieved per query (top-k)",
        min_value=1,
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
    st.slider(
        "Corpus changing each month (%)",
        min_value=0.0,
        max_value=100.0,
        step=1.0,
        format="%.0f%%",
        help="Share of the corpus re-embedded each month. The questionnaire's 'how often does the knowledge change' answer sets it too.",
        **control(
            "sb.change",
            "workload.corpus_change_share_per_month",
            "Corpus change share",
            lambda v: round(v * 100, 1),
            lambda v: v / 100,
        ),
    )


def _stack_controls(s: Scenario, cat: Catalog) -> None:
    st.radio(
        "Serving (how the model runs)",
        ["api", "self_hosted"],
        format_func={"api": "API (per token)", "self_hosted": "Self-hosted GPUs"}.get,
        horizontal=True,
        help="Pay per token at an API, or rent GPUs and serve open weights (capacity sized for the peak).",
        **control("sb.serving", "stack.serving", "Serving"),
    )
    st.selectbox(
        "LLM (prompt only and RAG)",
        _entry_options(cat.llms, s.stack.llm),
        format_func=_entry_format(cat.llms, lambda e: " · open weights" if e.open_weights else ""),
        help="The base model for prompt-only and RAG. Self-hosted serving needs an open-weights model.",
        **control("sb.llm", "stack.llm", "LLM"),
    )
    st.selectbox(
        "Fine-tuning offer (fine-tuned and hybrid)",
        _entry_options(cat.fine_tune_offers, s.stack.fine_tune),
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
        help="Reranks retrieved chunks (USD per 1K searches) when reranking is on.",
        **control("sb.rr", "stack.reranker", "Reranker"),
    )
    if s.stack.serving == "self_hosted":
        st.selectbox(
            "GPU for self-hosted serving (USD/hour)",
            _entry_options(cat.gpus, s.stack.gpu),
            format_func=_entry_format(cat.gpus, lambda e: f" · {fmt.usd(e.usd_per_hour.value)}/h"),
            help="GPU instance rented per hour; replicas are sized for the peak rate.",
            **control("sb.gpu", "stack.gpu", "GPU"),
        )


def _write_url() -> None:
    """Keep the address bar in step with the scenario (only what differs from the preset)."""
    ss = st.session_state
    s, preset = scenario(), ss.get("preset") or ""
    key = (s.model_dump_json(), preset)
    memo = ss.get("_url")
    if memo is None or memo[0] != key:
        memo = (key, params.encode(s, base_scenario(), preset))
        ss["_url"] = memo
    want = memo[1]
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)


# ------------------------------------------------------------------ catalog actions (Pricing page)


@st.cache_data(show_spinner=False, max_entries=16)
def figures_table(cat_sha: str, _catalog: Catalog):
    """The catalog's figures as a table (see `planner.ui.tables.figures_frame`), cached by the text's sha256."""
    from planner.ui import tables

    return tables.figures_frame(_catalog)


def save_catalog_text(text: str) -> tuple[str, Any]:
    """Save `text` to the catalog file (validated, atomic, conflict-safe, previous version kept as .bak).

    Returns (outcome, detail): ("saved", path), ("invalid", problems), ("conflict", message) or ("error", message).
    """
    ss = st.session_state
    path = Path(ss["cat_path"])
    try:
        loaded = save_catalog(text, path, ss.get("cat_file_sha"))
    except InputError as exc:
        return "invalid", exc.problems
    except ConflictError as exc:
        return "conflict", str(exc)
    except OSError as exc:
        return "error", f"Could not write {path}: {exc.strerror or exc}"
    _adopt_catalog(loaded.text, str(path), custom=False)
    stat = path.stat()
    ss["cat_file_sha"], ss["cat_stamp"] = loaded.sha256, (stat.st_mtime_ns, stat.st_size)
    return "saved", f"{path} (the previous version is kept as {backup_path(path).name})"


def catalog_upload(f) -> tuple[str, Any]:
    """Validate an uploaded catalog and apply it for this session."""
    if f.size > MAX_UPLOAD_BYTES:
        return "error", f"{f.name}: the file is {f.size:,} bytes; catalogs are limited to {MAX_UPLOAD_BYTES:,} bytes."
    try:
        text = f.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        return "error", f"{f.name}: not UTF-8 text. Save the catalog as UTF-8 YAML."
    problems = apply_catalog_text(text, f.name)
    if problems:
        return "invalid", problems
    set_editor(text)
    return "applied", f.name
