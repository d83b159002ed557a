"""The section on imported traffic: which inputs were fitted from the logs, and the bill against the catalog.
Drawn only when the scenario was fitted to traffic and still holds a fitted input (`ReportContext.fitted`)."""

from __future__ import annotations

from typing import Any

from planner.model.format import usd
from planner.model.vocabulary import LABELS
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.text import para_text


def _text(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if v % 1 else f"{v:,.0f}"
    return str(v)


def traffic_section(ctx: ReportContext, story: Story) -> None:
    a, st, w = ctx.traffic, story.st, story.width
    story.add(
        story.p(
            para_text(
                f"These inputs were measured from imported usage logs ({a.stats.provenance}; the logs come "
                f"from {LABELS[a.fit.architecture]}). Each replaces what was entered before."
            )
        )
    )
    rows = [[story.p(x, st.head) for x in ("Input", "Fitted", "How")]]
    for f in ctx.fitted:
        rows.append(
            [
                story.p(para_text(f.path), st.cell),
                story.p(para_text(_text(f.value)), st.cell),
                story.p(para_text(f.note), st.cell_small),
            ]
        )
    story.add(story.table(rows, [0.3 * w, 0.15 * w, 0.55 * w]))
    rec = [[story.p(x, st.head) for x in ("Model", "Reported", "At catalog prices", "Gap")]]
    for r in a.reconciliation:
        gap = "—" if r.gap_pct is None else f"{r.gap_pct:+.1f}%"
        rec.append(
            [story.p(para_text(r.model), st.cell)]
            + [story.p(para_text(t), st.cell) for t in (usd(r.reported_usd), usd(r.repriced_usd), gap)]
        )
    story.add(story.p("The logs' cost against the catalog's prices (over the logs' window)", st.h2))
    story.add(story.table(rec, [0.4 * w, 0.2 * w, 0.2 * w, 0.2 * w]))
    if a.round_trip:
        t = a.round_trip
        story.add(
            story.p(
                para_text(
                    f"Round trip: the estimate of {LABELS[t.architecture]} on {t.llm}, "
                    f"{usd(t.estimate_monthly_usd)} a month, against the observed traffic at the same "
                    f"prices, {usd(t.observed_monthly_usd)} ({t.gap_pct:+.1f}%)."
                )
            )
        )
