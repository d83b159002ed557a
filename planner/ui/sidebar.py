"""The sidebar: the scenario's controls, laid out (each control bound to a scenario field by
`session.control`), and the scenario written to the URL after every change (`planner.ui.params`).

Here: the preset, the name, the volume, the scenario file and the sections' layout. The sections' controls live
beside it: `workload_controls` (tokens, retrieval, fine-tuning, targets, one-time costs), `stack_controls` (serving
and the catalog entries), `assumptions` (knowledge base, traffic, caching, sizing)."""

from __future__ import annotations

import functools

import streamlit as st

from planner.model import format as fmt
from planner.model.files import read_scenario, scenario_yaml
from planner.model.scenario import Scenario
from planner.model.vocabulary import slug
from planner.ui import assumptions, pages, params, results, session, stack_controls, workload_controls
from planner.ui.catalog import catalog
from planner.ui.messages import problem_lines
from planner.ui.session import (
    MAX_UPLOAD_BYTES,
    base_scenario,
    control,
    flash,
    preset_scenarios,
    scenario,
    set_scenario,
    sync_widget,
)
from pricing.errors import InputError
from pricing.models import Catalog

#: The "Queries per month" slider: round volumes on a 1-2-5 log scale.
VOLUME_STEPS = tuple(float(m * 10**e) for e in range(3, 9) for m in (1, 2, 5) if m * 10**e <= 100_000_000)


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


def draw(page: str = "") -> None:
    """The scenario's controls in the sidebar, then the scenario written to the URL. `page`: the url path
    of the page drawn (`planner.ui.pages`)."""
    s = scenario()
    cat = catalog()
    with st.sidebar:
        _head_controls(s, page)
        _sections(s, cat)
    write_url()


def _head_controls(s: Scenario, page: str) -> None:
    """Always shown: the preset, the scenario's name and (unless the page's chart carries it) the volume."""
    pre = preset_scenarios()
    preset = session.get().preset
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
    if pages.volume_on_chart(page):
        st.caption("Queries per month: set it under the chart")  # (its value there and in the header)
    else:
        _volume_control(s)


def _sections(s: Scenario, cat: Catalog) -> None:
    """The scenario's sections, each drawn only while open."""
    if (sec := _section("tokens", "Tokens per query")).open:
        with sec:
            workload_controls.token_controls()
    if (sec := _section("knowledge", "Knowledge base (long context and RAG)")).open:
        with sec:
            assumptions.knowledge_base_inputs("sb")
    if (sec := _section("retrieval", "Retrieval (RAG and hybrid)")).open:
        with sec:
            workload_controls.retrieval_controls(s)
    if (sec := _section("tuning", "Fine-tuning (fine-tuned and hybrid)")).open:
        with sec:
            workload_controls.tuning_controls()
    if (sec := _section("stack", "Stack (from the catalog)")).open:
        with sec:
            stack_controls.stack_controls(s, cat)
    if (sec := _section("assumptions", "Assumptions: traffic, caching, sizing")).open:
        with sec:
            assumptions.assumption_controls(results.context().estimate)
    if (sec := _section("targets", "Budget, latency target, horizon")).open:
        with sec:
            workload_controls.target_controls()
    if (sec := _section("one_time", "One-time costs (engineering, labeling)")).open:
        with sec:
            workload_controls.one_time_controls()
    if (sec := _section("file", "Scenario file (YAML)")).open:
        with sec:
            _file_controls(s)


def _section(name: str, label: str):
    """A sidebar section that runs its controls only while open (fewer widgets to redraw per slider move)."""
    return st.expander(label, key=f"sbx.{name}", on_change="rerun")


def _same(v):
    return v


def _name_or_default(v: str) -> str:
    return (v or "").strip() or "Untitled scenario"


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
