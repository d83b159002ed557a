"""Section 2, cost and latency: the spend chart with the break-even volumes, where the money goes, latency,
one-time costs and TCO, and what moves the pick's cost most. Each part is a function `(ctx, story, heading)`;
the outline (`planner/report/outline.py`) numbers them."""

from __future__ import annotations

from reportlab.platypus import (
    KeepTogether,
    Spacer,
)

from planner.model.break_even_text import interval_sentences
from planner.model.format import count, ms, usd
from planner.model.vocabulary import COLORS, COMPONENT_LABELS, LABELS, LATENCY_LABELS, ONE_TIME_LABELS
from planner.report.charts import (
    SwingBar,
    breakdown_chart,
    cost_chart,
    cumulative_chart,
    has_range,
    hex,
    latency_chart,
)
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.style import MARKER_HEX, MUTED
from planner.report.text import num, para_text, per_1k, range_text, usd_cell


def spend(ctx: ReportContext, story: Story, heading: str) -> None:
    """The spend chart over volume, then the break-even volumes."""
    est, s = ctx.est, ctx.scenario
    vol = count(s.workload.queries_per_month)
    lo, hi = count(float(est.volumes[0])), count(float(est.volumes[-1]))
    cap = [f"Monthly spend of each architecture from {lo} to {hi} queries a month; both axes are logarithmic."]
    if any(has_range(est, a) for a in est.priced):
        cap.append("Shaded bands: the low–high range of the catalog figures.")
    if est.break_evens:
        cap.append("Numbered circles: break-even volumes, listed in the table below.")
    if s.monthly_budget_usd is not None:
        cap.append(f"Red dashed line: the budget of {usd(s.monthly_budget_usd)} a month.")
    qn = s.workload.queries_per_month
    if est.volumes[0] <= qn <= est.volumes[-1] and qn > 0:
        cap.append(f"Dotted line: the planned {vol} queries a month.")
    else:
        cap.append(f"The planned {vol} queries a month lies outside the charted range.")
    story.chart(heading, cost_chart(est, s, story.width), " ".join(cap))
    _break_even_table(ctx, story)


def breakdown_title(ctx: ReportContext) -> str:
    return f"Where the money goes at {count(ctx.scenario.workload.queries_per_month)} queries a month"


def breakdown(ctx: ReportContext, story: Story, heading: str) -> None:
    """Each option's monthly cost by component: a stacked bar (the ruled-out left out), then the table."""
    est = ctx.est
    out = frozenset(r.key for r in ctx.rec.ranking if r.ruled_out) & set(est.priced)
    drawn_less = bool(out) and len(out) < len(est.priced)
    story.chart(
        heading,
        breakdown_chart(est, story.width, out),
        "Each bar is one architecture's monthly cost at the planned volume, split by component"
        + (f" ({', '.join(LABELS[k] for k in est.priced if k in out)} ruled out, not drawn)" if drawn_less else "")
        + ". The table gives every component exactly.",
    )
    _component_table(ctx, story)


def latency(ctx: ReportContext, story: Story, heading: str) -> None:
    s = ctx.scenario
    cap = ["p95 (solid) and p50 (dashed) time to a complete answer over query volume, volume on a log scale."]
    if s.latency_target_p95_ms is not None:
        cap.append(f"Red dashed line: the p95 limit of {ms(s.latency_target_p95_ms)}.")
    if not s.stack.serving == "self_hosted":
        cap.append("API serving is flat in volume: the provider's capacity is not modelled.")
    story.chart(heading, latency_chart(ctx.est, s, story.width), " ".join(cap))
    _latency_table(ctx, story)


def tco_title(ctx: ReportContext) -> str:
    return f"One-time costs and total cost over {ctx.scenario.horizon_months} months"


def tco(ctx: ReportContext, story: Story, heading: str) -> None:
    story.chart(
        heading,
        cumulative_chart(ctx.est, story.width),
        "Cumulative spend: the one-time costs at month 0, then the monthly cost at the planned volume each month.",
    )
    _tco_table(ctx, story)


def _break_even_table(ctx: ReportContext, story: Story) -> None:
    st, est = story.st, ctx.est
    if not est.break_evens:
        q = est.volumes
        cheapest = {min(est.priced, key=lambda a: est.series[a].total_usd[k]) for k in range(len(q))}
        tail = f" {LABELS[next(iter(cheapest))]} is the cheapest throughout." if len(cheapest) == 1 else ""
        story.add(
            story.p(
                "<b>Break-even volumes.</b> No two architectures' monthly costs cross between "
                f"{count(float(q[0]))} "
                f"and {count(float(q[-1]))} queries a month.{tail}",
                st.body,
            )
        )
        return
    rows = [[story.p(x, st.head) for x in ("#", "Between", "Queries a month", "Monthly cost there", "What it means")]]
    for n, be in enumerate(est.break_evens, 1):
        rows.append(
            [
                story.p(str(n), st.cell),
                story.p(f"{para_text(LABELS.get(be.a, be.a))} and {para_text(LABELS.get(be.b, be.b))}", st.cell),
                story.p(f"<b>{count(be.queries_per_month)}</b>", st.cell_r),
                story.p(usd(be.usd_per_month), st.cell_r),
                story.p(para_text(be.describe()) + ".", st.cell),
            ]
        )
    # each pair as the intervals where each of the two is cheaper, then every crossing
    intervals = [story.p(para_text(t), st.body) for t in interval_sentences(est.break_evens)]
    story.add(KeepTogether([story.p("Break-even volumes", st.h2), *intervals[:2]]), *intervals[2:])
    story.add(story.table(rows, [0.3, 1.5, 1.1, 1.0, 4.0]))
    story.add(Spacer(1, 6))


def _arch_header(ctx: ReportContext, story: Story, first: str) -> list:
    st = story.st
    return [story.p(first, st.head)] + [story.p(para_text(LABELS[a]), st.head_r) for a in ctx.est.priced]


def _arch_header_style(ctx: ReportContext) -> list:
    return [("LINEABOVE", (i, 0), (i, 0), 3, hex(COLORS[a]), 0) for i, a in enumerate(ctx.est.priced, 1)]


def _row(story: Story, label: str, cells: list[str], bold: bool = False) -> list:
    """A table row: its label, then one right-aligned cell per option."""
    st = story.st
    return [story.p(label, st.cell_b if bold else st.cell)] + [
        story.p(c, st.cell_br if bold else st.cell_r) for c in cells
    ]


def _component_table(ctx: ReportContext, story: Story) -> None:
    est = ctx.est
    now = [est.current[a] for a in est.priced]
    rows = [_arch_header(ctx, story, "Monthly cost by component")]
    comps = [k for k in COMPONENT_LABELS if any(c.components_usd.get(k, 0) > 0 for c in now)]
    for k in comps:
        rows.append(_row(story, para_text(COMPONENT_LABELS[k]), [usd_cell(c.components_usd.get(k, 0.0)) for c in now]))
    n_total = len(rows)
    rows.append(_row(story, "Total per month", [usd(c.monthly_usd) for c in now], bold=True))
    rows.append(
        _row(story, "Range (low–high)", [range_text(c.monthly_low_usd, c.monthly_high_usd, c.monthly_usd) for c in now])
    )
    rows.append(_row(story, "Per 1,000 queries", [per_1k(c) for c in now]))
    rows.append(_row(story, "Input tokens per query", [num(c.input_tokens_per_query) for c in now]))
    if any(c.replicas is not None for c in now):
        rows.append(_row(story, "GPU replicas", [str(c.replicas) if c.replicas is not None else "–" for c in now]))
    style = _arch_header_style(ctx) + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
    story.add(story.table(rows, [2.6] + [1] * len(est.priced), style=style, zebra=False), Spacer(1, 8))


def _latency_table(ctx: ReportContext, story: Story) -> None:
    st, est = story.st, ctx.est
    now = [est.current[a] for a in est.priced]
    rows = [_arch_header(ctx, story, "Latency at the planned volume (p50 / p95)")]
    parts = [k for k in LATENCY_LABELS if any(max(c.latency_breakdown_ms.get(k, (0, 0))) > 0 for c in now)]
    for k in parts:
        cells = []
        for c in now:
            p50, p95 = c.latency_breakdown_ms.get(k, (0.0, 0.0))
            cells.append(f"{ms(p50)} / {ms(p95)}" if p95 > 0 else "–")
        rows.append(_row(story, para_text(LATENCY_LABELS[k]), cells))
    n_total = len(rows)
    rows.append(
        _row(story, "First token", [f"{ms(c.first_token_p50_ms)} / {ms(c.first_token_p95_ms)}" for c in now], True)
    )
    rows.append(_row(story, "Whole answer", [f"{ms(c.latency_p50_ms)} / {ms(c.latency_p95_ms)}" for c in now], True))
    style = _arch_header_style(ctx) + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
    story.add(story.table(rows, [2.2] + [1] * len(est.priced), style=style, zebra=False))
    story.add(
        story.p(
            "Parts' medians add; their tails add in quadrature (independent parts), so the whole answer's "
            "p95 is less than the sum of the parts' p95s. The first token comes after every part but generation.",
            st.caption,
        )
    )


def _tco_table(ctx: ReportContext, story: Story) -> None:
    est, months = ctx.est, ctx.scenario.horizon_months
    now = [est.current[a] for a in est.priced]
    rows = [_arch_header(ctx, story, "One-time costs and TCO")]
    for k, label in ONE_TIME_LABELS.items():
        vals = [c.one_time_usd.get(k, 0.0) for c in now]
        if any(v > 0 for v in vals):
            rows.append(_row(story, para_text(label), [usd_cell(v) for v in vals]))
    n_total = len(rows)
    rows.append(_row(story, "One-time total", [usd(c.one_time_total_usd) for c in now], bold=True))
    # the months one by one when a price changes inside the horizon, else the monthly cost × the months
    dated = any(c.monthly_by_month_usd for c in now)
    label = f"Monthly costs over {months} months" if dated else f"Monthly cost × {months} months"
    rows.append(_row(story, label, [usd(c.tco_usd - c.one_time_total_usd) for c in now]))
    rows.append(_row(story, f"TCO over {months} months", [usd(c.tco_usd) for c in now], bold=True))
    ranges = [range_text(c.tco_low_usd, c.tco_high_usd, c.tco_usd) for c in now]
    rows.append(_row(story, "TCO range (low–high)", ranges))
    style = _arch_header_style(ctx) + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
    story.add(story.table(rows, [2.2] + [1] * len(est.priced), style=style, zebra=False), Spacer(1, 8))


def sensitivity_title(ctx: ReportContext) -> str:
    return f"What moves {para_text(ctx.rec.winner.label)}'s monthly cost most"


def sensitivity(ctx: ReportContext, story: Story, heading: str, top: int = 8) -> None:
    """The pick's inputs that move its monthly cost most, each moved on its own, with a swing bar."""
    st, est = story.st, ctx.est
    w = ctx.rec.winner
    rows_in = list(est.sensitivity.get(w.key, ()))[:top]
    pct = f"{est.sensitivity_delta * 100:.0f}%"
    title = story.p(heading, st.h2)
    intro = story.p(
        f"Each input moved by ±{pct} on its own, the others held, at the planned volume; ranked by the swing "
        "between the two ends. Bar: the low…high spread; black tick: today's estimate.",
        st.caption,
    )
    if not rows_in:
        story.add(KeepTogether([title, story.p("No input moves its cost.", st.small)]))
        return
    lo = min(min(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
    hi = max(max(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
    pad = (hi - lo) * 0.04 or max(abs(hi), 1.0) * 0.04
    scale = (lo - pad, hi + pad)
    bar_w = story.width * 1.6 / 7.4 - 8
    head = ("Input", f"At −{pct}", "Today", f"At +{pct}", "Swing", "Spread")
    rows = [[story.p(x, st.head if i in (0, 5) else st.head_r) for i, x in enumerate(head)]]
    for r in rows_in:
        rows.append(
            [story.p(para_text(r.label), st.cell)]
            + [story.p(usd(v), st.cell_r) for v in (r.low_usd, r.base_usd, r.high_usd)]
            + [
                story.p(f"<b>{usd(r.swing_usd)}</b>", st.cell_r),
                SwingBar(r.low_usd, r.high_usd, r.base_usd, scale, bar_w, COLORS.get(w.key, MARKER_HEX)),
            ]
        )
    table = story.table(rows, [2.2, 0.9, 0.9, 0.9, 0.9, 1.6], style=[("VALIGN", (5, 1), (5, -1), "MIDDLE")])
    story.add(KeepTogether([title, intro, table]))
