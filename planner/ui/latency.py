"""Latency: p50/p95 over volume against the limit, and where one request's time goes."""

import streamlit as st

from planner import figures
from planner import format as fmt
from planner.scenario import LABELS
from planner.ui import results

ctx = results.context()
results.page_header("Latency", ctx)
est, _ = results.require_estimate(ctx)
limit = ctx.scenario.latency_target_p95_ms

for col, a in zip(st.columns(len(est.priced)), est.priced, strict=True):
    c = est.current[a]
    delta = None
    if limit:
        over = c.latency_p95_ms - limit
        delta = f"{'+' if over > 0 else '-'}{fmt.ms(abs(over))} vs the limit"
    col.metric(
        f"{LABELS[a]} · p95",
        fmt.ms(c.latency_p95_ms),
        delta=delta,
        delta_color="inverse",
        help=f"Median {fmt.ms(c.latency_p50_ms)}; 95% of requests finish within {fmt.ms(c.latency_p95_ms)} at "
        f"{fmt.count(c.queries_per_month)} queries/month.",
        border=True,
    )

for reason in est.ruled_out.values():
    st.info(reason)

st.plotly_chart(figures.latency_figure(est), config=figures.CONFIG, key="latency.curve")
st.subheader("Where one request's time goes")
st.plotly_chart(figures.latency_breakdown_figure(est), config=figures.CONFIG, key="latency.breakdown")
st.caption(
    "The median of each part adds up to the median of the request; the tails add in quadrature "
    "(p95 = p50 + √Σ(p95ᵢ − p50ᵢ)²), since the parts rarely all hit their slowest at once. "
    "Self-hosted serving adds queueing at the peak rate. See docs/formulas.md."
)
