"""Latency: p50/p95 over volume against the limit, and where one request's time goes."""

import streamlit as st

from planner import figures
from planner import format as fmt
from planner.scenario import LABELS
from planner.ui import results, summary

ctx = results.context()
results.page_header("Latency", ctx)
est, _ = results.require_estimate(ctx)
limit = ctx.scenario.latency_target_p95_ms
summary.verdict_box(ctx)
first_token = ctx.scenario.latency_limit_applies_to == "first_token"
bounded = "time to first token" if first_token else "time to the full answer"

for col, a in zip(st.columns(len(est.priced)), est.priced, strict=True):
    c = est.current[a]
    p95 = est.limited_p95_ms(a)
    delta = None
    if limit:
        over = p95 - limit
        delta = f"{'+' if over > 0 else '-'}{fmt.ms(abs(over))} vs the limit"
    col.metric(
        f"{LABELS[a]} · p95 {'first token' if first_token else 'full answer'}",
        fmt.ms(p95),
        delta=delta,
        delta_color="inverse",
        help=(
            f"At {fmt.count(c.queries_per_month)} queries/month. First token: median {fmt.ms(c.first_token_p50_ms)}, "
            f"p95 {fmt.ms(c.first_token_p95_ms)}. Full answer: median {fmt.ms(c.latency_p50_ms)}, "
            f"p95 {fmt.ms(c.latency_p95_ms)}."
        ),
        border=True,
    )

st.dataframe(
    [
        {
            "Architecture": LABELS[a],
            "First token p50": fmt.ms(est.current[a].first_token_p50_ms),
            "First token p95": fmt.ms(est.current[a].first_token_p95_ms),
            "Full answer p50": fmt.ms(est.current[a].latency_p50_ms),
            "Full answer p95": fmt.ms(est.current[a].latency_p95_ms),
        }
        for a in est.priced
    ],
    hide_index=True,
    key="latency.table",
)
if limit:
    st.caption(f"The limit, p95 {fmt.ms(limit)}, bounds the {bounded}.")
    for a in est.priced:
        advice = est.latency_gap_advice(a)
        if advice:
            st.text(f"{LABELS[a]}: {advice}")

st.plotly_chart(figures.latency_figure(est), config=figures.CONFIG, key="latency.curve")
st.subheader("Where one request's time goes")
st.plotly_chart(figures.latency_breakdown_figure(est), config=figures.CONFIG, key="latency.breakdown")
st.caption(
    "The median of each part adds up to the median of the request; the tails add in quadrature "
    "(p95 = p50 + √Σ(p95ᵢ − p50ᵢ)²), since the parts rarely all hit their slowest at once. "
    "Self-hosted serving adds queueing at the peak rate. See docs/formulas.md."
)
