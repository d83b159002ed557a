"""Section 4: API or self-hosted — the GPUs each option needs at the planned volume, which side is cheaper and
from which volume, the cheapest GPU shape meeting the latency limits, and which components leave the house.
Drawn only when the estimate carries a serving comparison."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from planner.presentation.serving_view import headline, limits_text, ruled_out_reasons, serving_rows
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.text import para_text


def serving(ctx: ReportContext, story: Story) -> None:
    est, st = ctx.est, story.st
    cmp_ = est.serving_comparison
    if cmp_ is None:
        return
    gpu = ctx.catalog.gpus[cmp_.gpu].name if cmp_.gpu in ctx.catalog.gpus else cmp_.gpu
    story.add(
        story.p(
            para_text(
                f"{headline(est)} Each option is priced twice by the same model with the same assumptions: "
                f"through the API, and on {gpu} GPUs at {cmp_.precision}. The cheapest shape is searched over "
                f"{cmp_.shapes_searched} GPU × precision pairs of the catalog; limits: {limits_text(est)}."
            ),
            st.body,
        )
    )
    head = ("Option", "API a month", "Self-hosted a month", "GPUs at the planned volume", "Utilization", "Cheaper")
    rows = [[story.p(h, st.head) for h in head]]
    detail = []
    for r in serving_rows(est):
        rows.append(
            [story.p(para_text(v), st.cell) for v in (r.option, r.api_usd, r.self_hosted_usd, r.gpus, r.utilization)]
            + [story.p(f"<b>{para_text(r.cheaper)}</b>", st.cell)]
        )
        detail.append(f"{r.option}: break-even {r.break_even}; cheapest shape meeting the limits: {r.cheapest_shape}.")
    story.add(
        KeepTogether([story.p("At the planned volume", st.h2), story.table(rows, [1.0, 0.9, 1.0, 2.6, 1.1, 1.2])])
    )
    shown = set(est.ruled_out_reasons)  # the report says these once already
    detail += [why for why in ruled_out_reasons(est) if why not in shown]
    story.add(story.p("Break-even volumes and the cheapest shape", st.h2), *story.bullets(detail))
    leaving = [t.sentence() + "." for t in est.third_party]
    if est.scenario.data_must_stay_in_house:
        title = "Data must stay in-house: components that still send it out" if leaving else "Data stays in-house"
    else:
        title = "Components that send data to a third party"
    story.add(story.p(title, st.h2))
    story.add(*(story.bullets(leaving) if leaving else [story.p("Every component runs in-house.", st.body)]))
    story.add(Spacer(1, 6))
