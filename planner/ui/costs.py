"""Costs: monthly spend over volume, what it is made of, per 1,000 queries, one-time and total, sensitivity."""

import functools

import pandas as pd
import streamlit as st

from planner import figures
from planner.engine import Estimate
from planner.engine.lifecycle import scenario_issues
from planner.model import format as fmt
from planner.model.break_even_text import interval_sentences
from planner.model.vocabulary import LABELS
from planner.presentation import verdict
from planner.presentation.output import csv_text
from planner.ui import assumptions, messages, quality, results, session, sidebar, summary, tables, volume_chart
from planner.ui.messages import md, message
from pricing.models import Catalog


@st.fragment
def _page() -> None:
    """The whole page, as a fragment: a move of the chart's volume slider reruns only this, not the
    sidebar (the sidebar shows nothing that depends on the volume; the callback keeps the link in step).
    Every other control reruns the app, this included."""
    messages.show_flash()  # a refused move says so (on a full rerun the app has shown it already)
    ctx = results.context()
    results.page_header("Costs", ctx)
    est, _ = results.require_estimate(ctx)
    s = ctx.scenario

    summary.verdict_box(ctx)
    ruled_out = set(verdict.ruled_out_keys(ctx.recommendation))
    # "cheapest" only among the options still open (none when nothing fits); equal costs share the badge
    open_ = verdict.cheapest({a: est.current[a].monthly_usd for a in est.priced}, ruled_out)
    cheapest = open_[0] if open_ else est.priced[0]
    shown = {i.message() for i in scenario_issues(ctx.catalog, s)}  # the page header showed these
    for w in est.warnings:
        if w not in shown:
            message("warning", w)

    for reason in est.ruled_out_reasons:
        st.info(reason)

    # the monthly cost cards, the spend chart and its volume slider: one component, moving in the browser
    volume_chart.spend_chart(
        ctx,
        est,
        ruled_out,
        lambda c: (
            f"At {fmt.count(c.queries_per_month)} queries/month. Range "
            f"{fmt.usd(c.monthly_low_usd)}–{fmt.usd(c.monthly_high_usd)} "
            f"from the catalog's low/high prices; {fmt.usd(c.usd_per_1k_queries)} per 1,000 queries; "
            f"one-time {fmt.usd(c.one_time_total_usd)}; {fmt.usd(c.tco_usd)} over {s.horizon_months} months."
        ),
        grid=sidebar.VOLUME_STEPS,
        key="costs.spend",
        on_move=sidebar.write_url,
    )
    _cache_note(est, ruled_out)
    _break_even_table(est)
    _views(ctx, est, cheapest)
    quality.section(est)


def _cache_note(est: Estimate, ruled_out: set[str]) -> None:
    """Why long context's cost per query falls with volume, when it does (and it is an option)."""
    warm = verdict.cache_warming_note(est)
    if warm and "long_context" not in ruled_out:
        st.caption(md(warm))


def _break_even_table(est: Estimate) -> None:
    if est.break_evens:
        # each pair's crossings as the intervals where each is cheaper: several steps read as one story
        st.markdown("\n".join(f"- {md(t)}" for t in interval_sentences(est.break_evens)))
        # every break-even, exact, in a table (the chart labels them only where labels cannot collide)
        rows = pd.DataFrame(
            {
                "Queries per month": [f"{b.queries_per_month:,.0f}" for b in est.break_evens],
                "Monthly spend there": [fmt.usd(b.usd_per_month) for b in est.break_evens],
                "Cheaper below": [LABELS[b.cheaper_below] for b in est.break_evens],
                "Cheaper above": [LABELS[b.cheaper_above] for b in est.break_evens],
                "How": ["at a capacity step" if b.at_step else "lines cross" for b in est.break_evens],
            },
            index=[f"{LABELS[b.a]} = {LABELS[b.b]}" for b in est.break_evens],
        )
        with st.expander(f"Break-even volumes ({len(est.break_evens)})", expanded=len(est.break_evens) <= 3):
            st.markdown(tables.markdown_table(rows, "Pair"))
    else:
        st.caption("No break-even in this range: the order of the architectures does not change with volume here.")


_VIEWS = (
    "Numbers",
    "Breakdown at your volume",
    "Per 1,000 queries",
    "One-time and total cost",
    "Sensitivity",
    "Assumptions",
)


def _breakdown_view(ctx: session.Context, est: Estimate) -> None:
    """The breakdown at the volume, without the ruled-out options (they would set the scale), said so."""
    out = verdict.ruled_out_keys(ctx.recommendation) & set(est.priced)
    st.plotly_chart(figures.breakdown_figure(est, ruled_out=out), config=figures.CONFIG, key="costs.breakdown")
    if out and len(out) < len(est.priced):
        st.caption("Ruled out, so not drawn: " + ", ".join(LABELS[a] for a in est.priced if a in out) + ".")


def _csv_with_comparison(cat_sha: str, catalog: Catalog, est: Estimate) -> str:
    """The curves as CSV, with the API and self-hosted columns the command line's CSV has (built on click)."""
    return csv_text(session.serving_comparison_for(cat_sha, catalog, est))


def _numbers_view(ctx: session.Context, est: Estimate) -> None:
    """The numbers as a table, with the curves as CSV."""
    st.markdown(
        tables.markdown_table(tables.numbers_frame(est, verdict.ruled_out_keys(ctx.recommendation)), "Architecture")
    )
    st.download_button(
        "Download the curves (CSV)",
        data=functools.partial(_csv_with_comparison, ctx.cat_sha, ctx.catalog, est),
        file_name="llm-planner-costs.csv",
        mime="text/csv",
        on_click="ignore",
        help="Every volume of the chart: monthly spend, range, per 1,000 queries, latency and each component, per "
        "architecture.",
    )


def _views(ctx: session.Context, est: Estimate, cheapest: str) -> None:
    """One view at a time, picked by a segmented control: only the chosen view runs and redraws
    (st.tabs with lazy tabs measured ~25 ms more browser work per slider move than this)."""
    s = ctx.scenario
    VIEWS = [*_VIEWS]
    view = (
        st.segmented_control(
            "Show",
            VIEWS,
            default=VIEWS[0],
            key="costs.view",
            label_visibility="collapsed",
            help="What to show below the chart.",
        )
        or VIEWS[0]
    )
    if view == "Numbers":
        _numbers_view(ctx, est)
    elif view == "Breakdown at your volume":
        _breakdown_view(ctx, est)
    elif view == "Per 1,000 queries":
        st.plotly_chart(figures.per_1k_figure(est), config=figures.CONFIG, key="costs.per1k")
    elif view == "One-time and total cost":
        st.plotly_chart(figures.tco_figure(est), config=figures.CONFIG, key="costs.tco")
        st.caption(
            f"One-time costs (month 0), then each month's spend at {fmt.count(s.workload.queries_per_month)} "
            "queries/month."
        )
        st.markdown(tables.markdown_table(tables.one_time_frame(est), "One-time cost"))
    elif view == "Assumptions":
        assumptions.assumptions_view(ctx.catalog, ctx.cat_sha, est)
    else:
        rec = ctx.recommendation
        default = rec.winner.key if rec is not None and not rec.nothing_fits else cheapest
        arch = (
            st.segmented_control(
                "Architecture",
                list(est.priced),
                format_func=LABELS.__getitem__,
                default=default,
                key="costs.sens_arch",
                help="Whose spend to test. Defaults to the recommended architecture.",
            )
            or default
        )
        st.plotly_chart(figures.tornado_figure(est, arch), config=figures.CONFIG, key="costs.tornado")
        st.caption(
            f"Each input moved {est.sensitivity_delta:.0%} down (light) and up (dark), the others held: "
            "the longest bars are the numbers worth checking first."
        )


_page()
