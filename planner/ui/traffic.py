"""Import: upload usage logs, see the traffic, apply the fitted workload, reconcile the bill with the catalog.

The reading, fitting and pricing all happen in `planner.traffic` (no streamlit there); this page
uploads, shows progress, draws and applies. Uploaded files are written to a private temporary folder,
read by DuckDB out of core and deleted; only counts and times are kept (in `Session.traffic`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from planner.figures import CONFIG
from planner.figures.traffic import histogram_figure, hourly_figure
from planner.model import format as fmt
from planner.model.scenario import ARCHITECTURES
from planner.model.vocabulary import LABELS
from planner.traffic import output
from planner.traffic.analysis import TrafficAnalysis, analyze
from planner.traffic.fit import apply_fit
from planner.traffic.read import TrafficError
from planner.traffic.reprice import monthly_scale, override_catalog_yaml
from planner.ui import messages, results, session
from planner.ui.messages import md, message

#: Largest usage file accepted here (MB; the server's `maxUploadSize`, .streamlit/config.toml): Streamlit holds an
#: upload in memory. Bigger traffic: `llm-planner traffic` reads files of any size, or aggregate it by hour first.
MAX_TRAFFIC_UPLOAD_MB = 50


def _read(files, architecture: str, ctx) -> TrafficAnalysis | None:
    bar = st.progress(0.0, text="Reading…")
    with tempfile.TemporaryDirectory(prefix="llm-planner-traffic-") as d:
        paths = []
        for k, f in enumerate(files):
            if f.size > MAX_TRAFFIC_UPLOAD_MB * 1024**2:
                message("error", f"{f.name}: above {MAX_TRAFFIC_UPLOAD_MB} MB: aggregate it by hour first")
                return None
            p = Path(d) / str(k) / Path(f.name).name  # a folder each: two uploads may share a name
            p.parent.mkdir()
            p.write_bytes(f.getbuffer())
            paths.append(p)

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / total * 0.8, text=f"Read {done} of {total} files")

        try:
            a = analyze(paths, ctx.catalog, ctx.scenario, architecture, progress=progress)
        except TrafficError as e:
            bar.empty()
            text = str(e)
            for k in range(len(paths)):  # the temporary path back to the uploaded name
                text = text.replace(f"{d}/{k}/", "")
            message("error", f"Nothing was imported: {text}")
            return None
    bar.progress(1.0, text="Done")
    return a


def _fit_table(a: TrafficAnalysis) -> None:
    rows = [
        {"Field": f.path, "Now": output.value_text(f.current), "Fitted": output.value_text(f.value), "How": f.note}
        for f in a.fit.fields
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    for w in a.fit.warnings:
        st.caption(f"Not fitted: {md(w)}")


def _apply(a: TrafficAnalysis) -> None:
    paths = [f.path for f in a.fit.fields]
    chosen = st.multiselect("Fields to apply", paths, default=paths, key="tr.apply_fields")
    if st.button("Apply the fit to the scenario", type="primary", key="tr.apply", disabled=not chosen):
        try:
            new = apply_fit(session.scenario(), a.fit, chosen)
        except TrafficError as e:
            message("error", str(e))
            return
        session.set_scenario(new)
        session.get().traffic_applied = True
        session.flash("success", f"Applied {len(chosen)} fitted fields ({a.stats.provenance}).")
        st.rerun()


def _reconciliation(a: TrafficAnalysis) -> None:
    scale = monthly_scale(a.stats)
    st.subheader("Reported cost vs the catalog's prices")
    st.caption(f"Over the log's window; a month is × {scale:,.2f}. Gap = (reported − catalog) ÷ catalog.")
    st.dataframe(
        [
            {
                "Model": r.model,
                "Catalog entry": r.catalog_key or "—",
                "Requests": fmt.count(r.requests),
                "Reported": fmt.usd(r.reported_usd),
                "At catalog prices": fmt.usd(r.repriced_usd),
                "Gap": "—" if r.gap_pct is None else f"{r.gap_pct:+.1f}%",
                "Likely causes": "; ".join(r.causes),
            }
            for r in a.reconciliation
        ],
        hide_index=True,
        width="stretch",
    )
    if a.latency:
        st.subheader("Observed latency vs the catalog")
        st.dataframe(
            [
                {
                    "Model": r.model,
                    "First token p50": fmt.ms(r.ttft_p50_ms),
                    "First token p95": fmt.ms(r.ttft_p95_ms),
                    "Catalog first token": fmt.ms(r.catalog_ttft_ms),
                    "Full answer p50": fmt.ms(r.latency_p50_ms),
                    "Full answer p95": fmt.ms(r.latency_p95_ms),
                    "Catalog full answer": fmt.ms(r.catalog_latency_ms),
                }
                for r in a.latency
            ],
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Override catalog with the measured latency (YAML)",
            data=override_catalog_yaml(a.stats, results.context().catalog),
            file_name="measured-latency.yaml",
            mime="application/x-yaml",
            on_click="ignore",
            key="tr.override",
        )
    st.subheader("The same traffic under every architecture")
    st.dataframe(
        [{"Architecture": LABELS[k], "A month": fmt.usd(v)} for k, v in a.monthly_by_architecture.items()],
        hide_index=True,
    )
    if a.round_trip:
        t = a.round_trip
        st.caption(
            f"Round trip: the estimate of {LABELS[t.architecture]} on {md(t.llm)} ({fmt.usd(t.estimate_monthly_usd)}) "
            f"against the observed traffic at the same prices ({fmt.usd(t.observed_monthly_usd)}): {t.gap_pct:+.1f}%."
        )
    elif a.round_trip_note:
        st.caption(f"Round trip: {md(a.round_trip_note)}")


def _page() -> None:
    messages.show_flash()
    ctx = results.context()
    results.page_header("Import", ctx, "bring your own traffic")
    st.markdown(
        "Upload usage logs — OpenTelemetry GenAI spans (OTLP JSON), OpenAI usage or costs exports, LiteLLM "
        "spend logs, Langfuse observations, a generic CSV or hourly aggregates. Only token counts, times and "
        "costs are read; prompt and completion text is never kept."
    )
    architecture: str = st.selectbox(
        "The logs come from",
        list(ARCHITECTURES),
        format_func=lambda a: LABELS[a],
        key="tr.arch",
        help="Its prompt prefix and retrieved context are part of every logged input, not the user's.",
    )
    files = st.file_uploader(
        "Usage files",
        type=["csv", "json", "jsonl"],
        accept_multiple_files=True,
        key="tr.files",
        max_upload_size=MAX_TRAFFIC_UPLOAD_MB,
    )
    state = session.get()
    if st.button("Read the files", key="tr.read", disabled=not files):
        a = _read(files, architecture, ctx)
        if a is not None:
            state.traffic, state.traffic_applied = a, False
    a = state.traffic
    if a is None:
        return
    st.subheader("Your traffic")
    st.caption(md(a.stats.provenance) + " · " + ", ".join(f"{md(Path(f.path).name)}: {f.title}" for f in a.files))
    if a.stats.hourly:
        st.plotly_chart(hourly_figure(a.stats), config=CONFIG, key="tr.hourly")
    cols = st.columns(2)
    if a.stats.input_histogram:
        cols[0].plotly_chart(histogram_figure(a.stats.input_histogram, "Input tokens"), config=CONFIG, key="tr.hin")
        cols[1].plotly_chart(histogram_figure(a.stats.output_histogram, "Output tokens"), config=CONFIG, key="tr.hout")
    st.subheader("The fit, beside your scenario")
    _fit_table(a)
    _apply(a)
    _reconciliation(a)


_page()
