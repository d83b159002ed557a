"""Latency: p50/p95 over volume against the limit, and where one request's time goes."""

import streamlit as st

from planner import figures
from planner.model import format as fmt
from planner.model.latency_limits import MEASURE_LABELS, latency_limits
from planner.model.vocabulary import LABELS
from planner.ui import messages, results, sidebar, summary, volume_chart


@st.fragment
def _page() -> None:
    """The whole page, as a fragment: a move of the chart's volume slider reruns only this, not the
    sidebar (the sidebar shows nothing that depends on the volume; the callback keeps the link in step).
    Every other control reruns the app, this included."""
    messages.show_flash()  # a refused move says so (on a full rerun the app has shown it already)
    ctx = results.context()
    results.page_header("Latency", ctx)
    est, _ = results.require_estimate(ctx)
    limits = latency_limits(ctx.scenario)
    summary.verdict_box(ctx)

    for reason in est.ruled_out_reasons:  # no curve and no card for these: say why
        st.info(reason)

    # the p95 cards, the latency chart and its volume slider: one component, moving in the browser
    volume_chart.latency_chart(
        ctx,
        est,
        lambda c: (
            f"At {fmt.count(c.queries_per_month)} queries/month. "
            f"First token: median {fmt.ms(c.first_token_p50_ms)}, p95 {fmt.ms(c.first_token_p95_ms)}. "
            f"Full answer: median {fmt.ms(c.latency_p50_ms)}, p95 {fmt.ms(c.latency_p95_ms)}."
        ),
        grid=sidebar.VOLUME_STEPS,
        key="latency.curve",
        on_move=sidebar.write_url,
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
    if limits:
        said = " and ".join(f"p95 {fmt.ms(v)} on the {MEASURE_LABELS[m]}" for m, v in limits.items())
        st.caption(f"The latency limits: {said}, each judged on its own measure.")
        for a in est.priced:
            advice = est.latency_gap_advice(a)
            if advice:
                st.text(f"{LABELS[a]}: {advice}")

    st.subheader("Where one request's time goes")
    st.plotly_chart(figures.latency_breakdown_figure(est), config=figures.CONFIG, key="latency.breakdown")
    st.caption(
        "The median of each part adds up to the median of the request; the tails add in quadrature "
        "(p95 = p50 + √Σ(p95ᵢ − p50ᵢ)²), since the parts rarely all hit their slowest at once. "
        "Self-hosted serving adds queueing at the peak rate. See docs/formulas.md."
    )


_page()
