"""Section 2's last part, cost per successful answer — measured pass rates with their intervals, outcome spend, cost per
successful answer with its range, the cost-vs-pass-rate chart and frontier, what measuring would settle, and
the eval plan's cost."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer

from planner.figures.quality import quality_points
from planner.model import format as fmt
from planner.model.vocabulary import COLORS
from planner.quality import QualityAssessment
from planner.quality import text as quality_text
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.style import INK, MUTED, RULE
from planner.report.text import FONT, para_text


def quality_chart(qa: QualityAssessment, width: float, height: float = 190) -> Drawing:
    """Monthly spend (log when it spans more than 20×) against pass rate, each point with its 95% interval,
    the frontier dashed."""
    pts = quality_points(qa)
    d = Drawing(width, height)
    left, bottom, right, top = 42, 28, width - 12, height - 10
    spends = [max(p["spend"], 1e-6) for p in pts]
    log = max(spends) / min(spends) > 20
    lo, hi = (math.log10(min(spends)) - 0.3, math.log10(max(spends)) + 0.3) if log else (0.0, max(spends) * 1.15)

    def x(v: float) -> float:
        v = math.log10(max(v, 1e-6)) if log else v
        return left + (v - lo) / (hi - lo) * (right - left)

    def y(r: float) -> float:
        return bottom + r / 1.05 * (top - bottom)

    d.add(Line(left, bottom, right, bottom, strokeColor=MUTED, strokeWidth=0.6))
    d.add(Line(left, bottom, left, top, strokeColor=MUTED, strokeWidth=0.6))
    for r in (0, 0.25, 0.5, 0.75, 1.0):
        d.add(Line(left, y(r), right, y(r), strokeColor=RULE, strokeWidth=0.3))
        d.add(String(left - 4, y(r) - 3, f"{r:.0%}", fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="end"))
    d.add(
        String(
            (left + right) / 2,
            4,
            "Monthly spend at the planned volume, retries included",
            fontName=FONT,
            fontSize=7,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    for v in (min(spends), max(spends)):
        d.add(String(x(v), bottom - 10, fmt.usd(v), fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="middle"))
    by_id = {p["id"]: p for p in pts}
    front = [by_id[i] for i in qa.frontier if i in by_id]
    if len(front) >= 2:
        xy: list[float] = []
        for a, b in zip(front, front[1:], strict=False):
            xy += [x(a["spend"]), y(a["rate"]), x(b["spend"]), y(a["rate"])]
        xy += [x(front[-1]["spend"]), y(front[-1]["rate"])]
        d.add(PolyLine(xy, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=[3, 2]))
    for p in pts:
        col = colors.HexColor(COLORS[p["arch"]])
        px = x(p["spend"])
        d.add(Line(px, y(p["low"]), px, y(p["high"]), strokeColor=col, strokeWidth=1))
        d.add(Circle(px, y(p["rate"]), 2.5 if p["model"] else 3.5, fillColor=col, strokeColor=col))
        d.add(String(px + 5, y(p["rate"]) + 2, p["label"], fontName=FONT, fontSize=7, fillColor=INK))
    return d


def quality(ctx: ReportContext, story: Story, heading: str) -> None:
    """Drawn only when the estimate carries a quality assessment (the outline's condition)."""
    qa, est, st = ctx.est.quality, ctx.est, story.st
    if qa is None:
        return
    monthly = {a: est.current[a].monthly_usd for a in est.priced}
    story.add(story.p(heading, st.h2))
    story.add(
        story.p(
            para_text(
                f"Failure cost {fmt.usd(qa.failure_cost_usd)} per failed answer, {qa.retries} retries, at "
                f"{fmt.count(qa.queries_per_month)} queries a month. Cost per successful answer = (monthly spend "
                "+ failures × failure cost) ÷ successful answers; a retry is a whole new query. The range takes "
                "the catalog's low prices with the interval's high pass rate, and the reverse."
            ),
            st.caption,
        )
    )
    if qa.measured:
        story.add(_quality_table(qa, story))
        story.add(
            KeepTogether(
                [
                    quality_chart(qa, story.width),
                    story.p(
                        "Each measured option: spend against pass rate, the bar its 95% Wilson interval; the "
                        "dashed line is the efficient frontier (no other option is both cheaper and better).",
                        st.caption,
                    ),
                ]
            )
        )
    story.add(*story.bullets(quality_text.lines(qa, monthly, ctx.scenario.horizon_months)))
    story.add(Spacer(1, 6))


def _quality_table(qa: QualityAssessment, story: Story):
    st = story.st
    head = ("Option", "Pass rate", "95% interval", "Cases", "With failures", "Per success", "Range")
    rows = [[story.p(h, st.head) for h in head]]
    for o in qa.options.values():
        if not o.measured:
            rows.append(
                [story.p(para_text(o.label), st.cell), story.p("not measured", st.cell)] + [story.p("", st.cell)] * 5
            )
            continue
        rows.append(
            [
                story.p(para_text(o.label + (" (dominated)" if o.dominated_by else "")), st.cell),
                story.p(fmt.pct(o.pass_rate), st.cell_r),
                story.p(f"{fmt.pct(o.pass_rate_low)}–{fmt.pct(o.pass_rate_high)}", st.cell_r),
                story.p(f"{o.sample_size:,}" if o.sample_size else "—", st.cell_r),
                story.p(para_text(fmt.usd(o.outcome_monthly_usd)), st.cell_r),
                story.p(para_text(fmt.usd_each(o.cost_per_successful_answer_usd)), st.cell_r),
                story.p(
                    para_text(
                        f"{fmt.usd_each(o.cost_per_successful_answer_low_usd)}–"
                        f"{fmt.usd_each(o.cost_per_successful_answer_high_usd)}"
                    ),
                    st.cell_r,
                ),
            ]
        )
    return story.table(rows, [1.6, 0.9, 1.4, 0.7, 1.1, 1.0, 1.5])
