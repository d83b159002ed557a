"""The section on imported traffic: which inputs were fitted from the logs, and the bill against the catalog."""

from __future__ import annotations

from typing import Any

from planner.model.format import usd
from planner.model.scenario import LABELS
from planner.report.document import ReportDocument
from planner.report.text import para_text


def _text(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.3f}".rstrip("0").rstrip(".") if v % 1 else f"{v:,.0f}"
    return str(v)


class TrafficSection(ReportDocument):
    traffic: Any = None  # planner.traffic.analysis.TrafficAnalysis, when the scenario was fitted

    def applied_fields(self) -> list:
        """The fitted fields the scenario still holds (a field changed since is not the traffic's any more)."""
        if self.traffic is None:
            return []
        out = []
        for f in self.traffic.fit.fields:
            node: Any = self.scenario
            for part in f.path.split("."):
                node = getattr(node, part)
            if node == f.value:
                out.append(f)
        return out

    def traffic_section(self) -> None:
        fields = self.applied_fields()
        if not fields:
            return
        a, st = self.traffic, self.st
        self.h1("Fitted from your traffic")
        self.add(
            self.p(
                para_text(
                    f"These inputs were measured from imported usage logs ({a.stats.provenance}; the logs come "
                    f"from {LABELS[a.fit.architecture]}). Each replaces what was entered before."
                )
            )
        )
        rows = [[self.p(x, st.head) for x in ("Input", "Fitted", "How")]]
        for f in fields:
            rows.append(
                [
                    self.p(para_text(f.path), st.cell),
                    self.p(para_text(_text(f.value)), st.cell),
                    self.p(para_text(f.note), st.cell_small),
                ]
            )
        self.add(self.table(rows, [0.3 * self.width, 0.15 * self.width, 0.55 * self.width]))
        rec = [[self.p(x, st.head) for x in ("Model", "Reported", "At catalog prices", "Gap")]]
        for r in a.reconciliation:
            gap = "—" if r.gap_pct is None else f"{r.gap_pct:+.1f}%"
            rec.append(
                [self.p(para_text(r.model), st.cell)]
                + [self.p(para_text(t), st.cell) for t in (usd(r.reported_usd), usd(r.repriced_usd), gap)]
            )
        self.add(self.p("The logs' cost against the catalog's prices (over the logs' window)", st.h2))
        self.add(self.table(rec, [0.4 * self.width, 0.2 * self.width, 0.2 * self.width, 0.2 * self.width]))
        if a.round_trip:
            t = a.round_trip
            self.add(
                self.p(
                    para_text(
                        f"Round trip: the estimate of {LABELS[t.architecture]} on {t.llm}, "
                        f"{usd(t.estimate_monthly_usd)} a month, against the observed traffic at the same "
                        f"prices, {usd(t.observed_monthly_usd)} ({t.gap_pct:+.1f}%)."
                    )
                )
            )
