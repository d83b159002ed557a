"""Section 2: cost and latency (charts, break-evens, components, latency, TCO, sensitivity)."""

from __future__ import annotations

from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Spacer,
)

from planner.model.break_even_text import interval_sentences
from planner.model.format import count, ms, usd
from planner.model.scenario import COLORS, LABELS
from planner.model.vocabulary import COMPONENT_LABELS, LATENCY_LABELS, ONE_TIME_LABELS
from planner.report.charts import (
    SwingBar,
    breakdown_chart,
    cost_chart,
    cumulative_chart,
    has_range,
    hex,
    latency_chart,
)
from planner.report.document import ReportDocument
from planner.report.style import MUTED
from planner.report.text import num, para_text, per_1k, range_text, usd_cell


class Costs(ReportDocument):
    # --- 2. cost and latency

    def costs(self) -> None:
        est, s = self.est, self.scenario
        self.add(CondPageBreak(self.height * 0.45))
        self.h1("2. Cost and latency")
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
        self.chart("2.1 Monthly spend over query volume", cost_chart(est, s, self.width), " ".join(cap))
        self.break_even_table()

        out = frozenset(r.key for r in self.rec.ranking if r.ruled_out) & set(est.priced)
        drawn_less = bool(out) and len(out) < len(est.priced)
        self.chart(
            f"2.2 Where the money goes at {vol} queries a month",
            breakdown_chart(est, self.width, out),
            "Each bar is one architecture's monthly cost at the planned volume, split by component"
            + (f" ({', '.join(LABELS[k] for k in est.priced if k in out)} ruled out, not drawn)" if drawn_less else "")
            + ". The table gives every component exactly.",
        )
        self.component_table()

        cap = ["p95 (solid) and p50 (dashed) time to a complete answer over query volume, volume on a log scale."]
        if s.latency_target_p95_ms is not None:
            cap.append(f"Red dashed line: the p95 limit of {ms(s.latency_target_p95_ms)}.")
        if not s.stack.serving == "self_hosted":
            cap.append("API serving is flat in volume: the provider's capacity is not modelled.")
        self.chart("2.3 Latency over query volume", latency_chart(est, s, self.width), " ".join(cap))
        self.latency_table()

        self.chart(
            f"2.4 One-time costs and total cost over {s.horizon_months} months",
            cumulative_chart(est, self.width),
            "Cumulative spend: the one-time costs at month 0, then the monthly cost at the planned volume each month.",
        )
        self.tco_table()
        self.sensitivity_table()

    def break_even_table(self) -> None:
        st, est = self.st, self.est
        if not est.break_evens:
            q = est.volumes
            cheapest = {min(est.priced, key=lambda a: est.series[a].total_usd[k]) for k in range(len(q))}
            tail = f" {LABELS[next(iter(cheapest))]} is the cheapest throughout." if len(cheapest) == 1 else ""
            self.add(
                self.p(
                    "<b>Break-even volumes.</b> No two architectures' monthly costs cross between "
                    f"{count(float(q[0]))} "
                    f"and {count(float(q[-1]))} queries a month.{tail}",
                    st.body,
                )
            )
            return
        rows = [
            [self.p(x, st.head) for x in ("#", "Between", "Queries a month", "Monthly cost there", "What it means")]
        ]
        for n, be in enumerate(est.break_evens, 1):
            rows.append(
                [
                    self.p(str(n), st.cell),
                    self.p(f"{para_text(LABELS.get(be.a, be.a))} and {para_text(LABELS.get(be.b, be.b))}", st.cell),
                    self.p(f"<b>{count(be.queries_per_month)}</b>", st.cell_r),
                    self.p(usd(be.usd_per_month), st.cell_r),
                    self.p(para_text(be.describe()) + ".", st.cell),
                ]
            )
        # each pair as the intervals where each of the two is cheaper, then every crossing
        intervals = [self.p(para_text(t), st.body) for t in interval_sentences(est.break_evens)]
        self.add(KeepTogether([self.p("Break-even volumes", st.h2), *intervals[:2]]), *intervals[2:])
        self.add(self.table(rows, [0.3, 1.5, 1.1, 1.0, 4.0]))
        self.add(Spacer(1, 6))

    def arch_header(self, first: str) -> list:
        st = self.st
        return [self.p(first, st.head)] + [self.p(para_text(LABELS[a]), st.head_r) for a in self.est.priced]

    def arch_header_style(self) -> list:
        return [("LINEABOVE", (i, 0), (i, 0), 3, hex(COLORS[a]), 0) for i, a in enumerate(self.est.priced, 1)]

    def component_table(self) -> None:
        st, est = self.st, self.est
        rows = [self.arch_header("Monthly cost by component")]
        comps = [k for k in COMPONENT_LABELS if any(est.current[a].components_usd.get(k, 0) > 0 for a in est.priced)]
        for k in comps:
            row = [self.p(para_text(COMPONENT_LABELS[k]), st.cell)]
            for a in est.priced:
                v = est.current[a].components_usd.get(k, 0.0)
                row.append(self.p(usd_cell(v), st.cell_r))
            rows.append(row)
        n_total = len(rows)
        rows.append(
            [self.p("Total per month", st.cell_b)]
            + [self.p(usd(est.current[a].monthly_usd), st.cell_br) for a in est.priced]
        )
        rows.append(
            [self.p("Range (low–high)", st.cell)]
            + [
                self.p(
                    range_text(
                        est.current[a].monthly_low_usd, est.current[a].monthly_high_usd, est.current[a].monthly_usd
                    ),
                    st.cell_r,
                )
                for a in est.priced
            ]
        )
        rows.append(
            [self.p("Per 1,000 queries", st.cell)] + [self.p(per_1k(est.current[a]), st.cell_r) for a in est.priced]
        )
        rows.append(
            [self.p("Input tokens per query", st.cell)]
            + [self.p(num(est.current[a].input_tokens_per_query), st.cell_r) for a in est.priced]
        )
        if any(est.current[a].replicas is not None for a in est.priced):
            rows.append(
                [self.p("GPU replicas", st.cell)]
                + [
                    self.p(str(est.current[a].replicas) if est.current[a].replicas is not None else "–", st.cell_r)
                    for a in est.priced
                ]
            )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.6] + [1] * len(est.priced), style=style, zebra=False), Spacer(1, 8))

    def latency_table(self) -> None:
        st, est = self.st, self.est
        rows = [self.arch_header("Latency at the planned volume (p50 / p95)")]
        parts = [
            k
            for k in LATENCY_LABELS
            if any(max(est.current[a].latency_breakdown_ms.get(k, (0, 0))) > 0 for a in est.priced)
        ]
        for k in parts:
            row = [self.p(para_text(LATENCY_LABELS[k]), st.cell)]
            for a in est.priced:
                p50, p95 = est.current[a].latency_breakdown_ms.get(k, (0.0, 0.0))
                row.append(self.p(f"{ms(p50)} / {ms(p95)}" if p95 > 0 else "–", st.cell_r))
            rows.append(row)
        n_total = len(rows)
        rows.append(
            [self.p("First token", st.cell_b)]
            + [
                self.p(f"{ms(est.current[a].first_token_p50_ms)} / {ms(est.current[a].first_token_p95_ms)}", st.cell_br)
                for a in est.priced
            ]
        )
        rows.append(
            [self.p("Whole answer", st.cell_b)]
            + [
                self.p(f"{ms(est.current[a].latency_p50_ms)} / {ms(est.current[a].latency_p95_ms)}", st.cell_br)
                for a in est.priced
            ]
        )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.2] + [1] * len(est.priced), style=style, zebra=False))
        self.add(
            self.p(
                "Parts' medians add; their tails add in quadrature (independent parts), so the whole answer's "
                "p95 is less than the sum of the parts' p95s. The first token comes after every part but generation.",
                st.caption,
            )
        )

    def tco_table(self) -> None:
        st, est, s = self.st, self.est, self.scenario
        rows = [self.arch_header("One-time costs and TCO")]
        for k, label in ONE_TIME_LABELS.items():
            vals = [est.current[a].one_time_usd.get(k, 0.0) for a in est.priced]
            if not any(v > 0 for v in vals):
                continue
            rows.append([self.p(para_text(label), st.cell)] + [self.p(usd_cell(v), st.cell_r) for v in vals])
        n_total = len(rows)
        rows.append(
            [self.p("One-time total", st.cell_b)]
            + [self.p(usd(est.current[a].one_time_total_usd), st.cell_br) for a in est.priced]
        )
        # the months one by one when a price changes inside the horizon, else the monthly cost × the months
        dated = any(est.current[a].monthly_by_month_usd for a in est.priced)
        rows.append(
            [
                self.p(
                    f"Monthly costs over {s.horizon_months} months"
                    if dated
                    else f"Monthly cost × {s.horizon_months} months",
                    st.cell,
                )
            ]
            + [self.p(usd(est.current[a].tco_usd - est.current[a].one_time_total_usd), st.cell_r) for a in est.priced]
        )
        rows.append(
            [self.p(f"TCO over {s.horizon_months} months", st.cell_b)]
            + [self.p(usd(est.current[a].tco_usd), st.cell_br) for a in est.priced]
        )
        rows.append(
            [self.p("TCO range (low–high)", st.cell)]
            + [
                self.p(
                    range_text(est.current[a].tco_low_usd, est.current[a].tco_high_usd, est.current[a].tco_usd),
                    st.cell_r,
                )
                for a in est.priced
            ]
        )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.2] + [1] * len(est.priced), style=style, zebra=False), Spacer(1, 8))

    def sensitivity_table(self, top: int = 8) -> None:
        st, est = self.st, self.est
        w = self.rec.winner
        rows_in = list(est.sensitivity.get(w.key, ()))[:top]
        delta = est.sensitivity_delta
        pct = f"{delta * 100:.0f}%"
        title = self.p(f"2.5 What moves {para_text(w.label)}'s monthly cost most", st.h2)
        intro = self.p(
            f"Each input moved by ±{pct} on its own, the others held, at the planned volume; ranked by the swing "
            "between the two ends. Bar: the low…high spread; black tick: today's estimate.",
            st.caption,
        )
        if not rows_in:
            self.add(KeepTogether([title, self.p("No input moves its cost.", st.small)]))
            return
        lo = min(min(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
        hi = max(max(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
        pad = (hi - lo) * 0.04 or max(abs(hi), 1.0) * 0.04
        scale = (lo - pad, hi + pad)
        bar_w = self.width * 1.6 / 7.4 - 8
        rows = [
            [
                self.p(x, st.head if i in (0, 5) else st.head_r)
                for i, x in enumerate(("Input", f"At −{pct}", "Today", f"At +{pct}", "Swing", "Spread"))
            ]
        ]
        for r in rows_in:
            rows.append(
                [
                    self.p(para_text(r.label), st.cell),
                    self.p(usd(r.low_usd), st.cell_r),
                    self.p(usd(r.base_usd), st.cell_r),
                    self.p(usd(r.high_usd), st.cell_r),
                    self.p(f"<b>{usd(r.swing_usd)}</b>", st.cell_r),
                    SwingBar(r.low_usd, r.high_usd, r.base_usd, scale, bar_w, COLORS.get(w.key, "#52606D")),
                ]
            )
        self.add(
            KeepTogether(
                [
                    title,
                    intro,
                    self.table(rows, [2.2, 0.9, 0.9, 0.9, 0.9, 1.6], style=[("VALIGN", (5, 1), (5, -1), "MIDDLE")]),
                ]
            )
        )
