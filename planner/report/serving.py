"""Section 4: API or self-hosted — the GPUs each option needs at the planned volume, which side is cheaper and
from which volume, the cheapest GPU shape meeting the latency limits, and which components leave the house."""

from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from planner.presentation.serving_view import headline, limits_text, ruled_out_reasons, serving_rows
from planner.report.document import ReportDocument
from planner.report.text import para_text


class ServingSection(ReportDocument):
    def serving(self) -> None:
        est, st = self.est, self.st
        cmp_ = est.serving_comparison
        if cmp_ is None:
            return
        self.h1("4. API or self-hosted")
        gpu = self.catalog.gpus[cmp_.gpu].name if cmp_.gpu in self.catalog.gpus else cmp_.gpu
        self.add(
            self.p(
                para_text(
                    f"{headline(est)} Each option is priced twice by the same model with the same assumptions: "
                    f"through the API, and on {gpu} GPUs at {cmp_.precision}. The cheapest shape is searched over "
                    f"{cmp_.shapes_searched} GPU × precision pairs of the catalog; limits: {limits_text(est)}."
                ),
                st.body,
            )
        )
        head = ("Option", "API a month", "Self-hosted a month", "GPUs at the planned volume", "Utilization", "Cheaper")
        rows = [[self.p(h, st.head) for h in head]]
        detail = []
        for r in serving_rows(est):
            rows.append(
                [self.p(para_text(v), st.cell) for v in (r.option, r.api_usd, r.self_hosted_usd, r.gpus, r.utilization)]
                + [self.p(f"<b>{para_text(r.cheaper)}</b>", st.cell)]
            )
            detail.append(
                f"{r.option}: break-even {r.break_even}; cheapest shape meeting the limits: {r.cheapest_shape}."
            )
        self.add(
            KeepTogether([self.p("At the planned volume", st.h2), self.table(rows, [1.0, 0.9, 1.0, 2.6, 1.1, 1.2])])
        )
        shown = set(est.ruled_out_reasons)  # the report says these once already
        detail += [why for why in ruled_out_reasons(est) if why not in shown]
        self.add(self.p("Break-even volumes and the cheapest shape", st.h2), *self.bullets(detail))
        leaving = [t.sentence() + "." for t in est.third_party]
        if est.scenario.data_must_stay_in_house:
            title = "Data must stay in-house: components that still send it out" if leaving else "Data stays in-house"
        else:
            title = "Components that send data to a third party"
        self.add(self.p(title, st.h2))
        self.add(*(self.bullets(leaving) if leaving else [self.p("Every component runs in-house.", st.body)]))
        self.add(Spacer(1, 6))
