"""Section 3's first part: the assumed values that move the result, ranked by the spend swing they cause,
each with the control or scenario field that sets it (planner/engine/provenance.py)."""

from __future__ import annotations

from planner.engine.provenance import assumptions
from planner.model.format import usd
from planner.model.vocabulary import LABELS
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.text import para_text, xw

#: Rows shown (the JSON lists them all).
SHOWN = 10


def _n(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def assumed_values(ctx: ReportContext, story: Story, heading: str) -> None:
    """A table of the assumed numbers, largest swing first, or a sentence when none moves the result."""
    st, est = story.st, ctx.est
    rows_ = assumptions(ctx.catalog, ctx.scenario, est)
    story.add(story.p(heading, st.h2))
    if not rows_:
        story.add(story.p("Every number that moves the result was given: nothing rests on a default."))
        return
    months = ctx.scenario.horizon_months
    more = f" The largest {SHOWN} of {len(rows_)}." if len(rows_) > SHOWN else ""
    story.add(
        story.p(
            "Numbers nobody gave (defaults), each priced at half and twice its value: the spend over "
            f"{months} months of the option it moves most. Set them where the last column says, in the app or in "
            f"the scenario file.{more}"
        )
    )
    pw = [2.0, 0.7, 1.0, 0.9, 1.3, 2.1]
    rows = [[story.p(x, st.head) for x in ("Assumed", "Value", "Tried", "Moves", "Spend", "Set it")]]
    for a in rows_[:SHOWN]:
        rows.append(
            [
                story.p(xw(a.field, story.col_width(pw, 0)), st.cell),
                story.p(_n(float(a.value)), st.cell_r),
                story.p(f"{_n(a.low_value)} to {_n(a.high_value)}", st.cell),
                story.p(para_text(LABELS[a.option]), st.cell),
                story.p(f"{usd(a.low_usd)} to {usd(a.high_usd)}", st.cell),
                story.p(xw(a.control, story.col_width(pw, 5)), st.cell_small),
            ]
        )
    story.add(story.table(rows, pw))
