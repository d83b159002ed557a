"""The title block, the verdict box, the at-a-glance table and section 1 (the recommendation)."""

from __future__ import annotations

from enum import Enum

from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from planner.engine.dated import change_note
from planner.model.format import count, ms, usd
from planner.model.scenario import COLORS, LABELS
from planner.model.vocabulary import ALERT, STAGE_LABELS
from planner.presentation import verdict
from planner.questionnaire import QUESTIONS, Question, Ranked, pick_line, score_text, scoring_text
from planner.report.charts import hex
from planner.report.document import ReportDocument
from planner.report.style import BOX_BG, INK, RULE, VERDICT_COLORS, table_style
from planner.report.text import long_date, num, para_text, per_1k, range_text, signed_score


class Summary(ReportDocument):
    def title_block(self) -> None:
        s, est, st, cat = self.scenario, self.est, self.st, self.catalog
        self.add(self.p("Architecture recommendation and cost estimate", st.kicker))
        self.add(self.p(para_text(s.name), st.title))
        if s.description.strip():
            self.add(self.p(para_text(s.description, newlines=True)))
        meta = [
            ("Report date", long_date(self.today)),
            ("Pricing catalog", f"version {para_text(cat.version)}, dated {para_text(str(cat.date))}"),
            ("Planned volume", f"{count(s.workload.queries_per_month)} queries a month"),
            ("Cost horizon", f"{s.horizon_months} months from {para_text(self.est.start_date)}"),
            (
                "Monthly budget",
                f"{usd(s.monthly_budget_usd)} a month" if s.monthly_budget_usd is not None else "none set",
            ),
            ("p95 latency limit", ms(s.latency_target_p95_ms) if s.latency_target_p95_ms is not None else "none set"),
            (
                "p95 first-token limit",
                ms(s.first_token_target_p95_ms) if s.first_token_target_p95_ms is not None else "none set",
            ),
        ]
        rows = []
        for i in range(0, len(meta), 2):
            row = []
            for k, v in meta[i : i + 2]:
                row += [self.p(k, st.cell_small), self.p(v, st.cell_b)]
            rows.append(row)
        t = Table(rows, colWidths=[w * self.width for w in (0.15, 0.35, 0.15, 0.35)], hAlign="LEFT")
        t.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ]
            )
        )
        self.add(Spacer(1, 4), t, Spacer(1, 10))
        self.verdict_box()
        self.add(Spacer(1, 8), self.p("At a glance", st.h2), self.glance_table())
        self.add(
            self.p(
                f"All figures at the planned {count(s.workload.queries_per_month)} queries a month. Range: every "
                "catalog "
                "price at the low or the high end of its range. Total cost of ownership (TCO): one-time costs plus the "
                f"monthly cost for {s.horizon_months} months. Verdicts and scores come from the questionnaire and the "
                "numbers check (section 1). " + _cheapest_text(self.rec),
                st.caption,
            )
        )
        if est.ruled_out:
            self.add(self.p("Not priced", st.h2))
            self.add(*self.bullets(list(est.ruled_out_reasons)))
        if est.warnings:
            self.add(self.p("Warnings from the estimate", st.h2))
            self.add(*self.bullets(est.warnings))

    def verdict_box(self) -> None:
        st, rec = self.st, self.rec
        w = rec.winner
        if rec.nothing_fits:  # a state, not a pick: why each option is out, and the ways out
            rows = [self.p(para_text(pick_line(rec)), st.box_title)]
            for x in verdict.nothing_fits_lines(rec):
                rows.append(self.p(para_text(x), st.box if not x.startswith("- ") else st.small))
            self.add(self._boxed(rows, "none"))
            return
        lines = [self.p(self._verdict_title(), st.box_title), self.p(self._verdict_text(), st.box)]
        if rec.has_verdict:
            # where the pick crosses the budget, and the evidence under its largest cost
            extra = [verdict.budget_sentence(self.budget_crossing(w.key), self.scenario.workload.queries_per_month)]
            weak = verdict.weak_evidence(self.est, w.key)
            extra.append(weak.sentence() if weak is not None else None)
            for sentence in filter(None, extra):
                lines.append(self.p(para_text(sentence), st.box))
        lines += self._verdict_others()
        lines.append(self.p(para_text(scoring_text()), st.small))
        self.add(self._boxed(lines, w.key))

    def _verdict_title(self) -> str:
        rec = self.rec
        w = rec.winner
        vc = VERDICT_COLORS.get(w.verdict, INK).hexval()[2:]
        if rec.has_verdict:
            said = f"({para_text(w.verdict)}, score {signed_score(w.score)})"
            return f"Recommendation: {para_text(w.label)} <font color='#{vc}'>{said}</font>"
        # no verdict before an answer: the options are only listed simplest first
        return f"No recommendation yet: no question answered. Simplest first: {para_text(w.label)}"

    def _verdict_text(self) -> str:
        """The pick's spend, latency and TCO at the scenario's volume, then the budget and latency checks."""
        s, w = self.scenario, self.rec.winner
        snap = self.est.current[w.key]
        rng = ""
        if abs(snap.monthly_high_usd - snap.monthly_low_usd) > 0.005 * max(snap.monthly_usd, 1e-9):
            rng = f", range {usd(snap.monthly_low_usd)}–{usd(snap.monthly_high_usd)}"
        text = (
            f"At {count(s.workload.queries_per_month)} queries a month, {para_text(w.label)} costs "
            f"<b>{usd(snap.monthly_usd)} a month</b> "
            f"({per_1k(snap)} per 1,000 queries{rng}), answers within <b>{ms(snap.latency_p95_ms)}</b> "
            f"at p95 ({ms(snap.latency_p50_ms)} typical; first token {ms(snap.first_token_p95_ms)} at p95), "
            f"and costs <b>{usd(snap.tco_usd)}</b> over "
            f"{s.horizon_months} months including {usd(snap.one_time_total_usd)} one-time."
        )
        checks = self._verdict_checks()
        if checks:
            text += " " + "; ".join(checks) + "."
        dated_note = change_note(self.est, w.key)
        if dated_note is not None:
            text += " " + para_text(dated_note)
        return text

    def _verdict_checks(self) -> list[str]:
        s, est, w = self.scenario, self.est, self.rec.winner
        snap = est.current[w.key]
        checks = []
        if s.monthly_budget_usd is not None:
            ok = snap.monthly_usd <= s.monthly_budget_usd
            checks.append(
                ("Within" if ok else f"<font color='{ALERT}'>Above</font>")
                + f" the {usd(s.monthly_budget_usd)} monthly budget"
            )
        for c in est.latency_checks(w.key):  # each limit on its own measure
            checks.append(
                ("meets" if not c.over else f"<font color='{ALERT}'>misses</font>")
                + f" the {ms(c.limit_ms)} p95 limit on the {c.label} ({ms(c.p95_ms)})"
            )
            advice = est.latency_gap_advice(w.key)
            if advice:
                checks.append(para_text(advice.rstrip(".")))
        return checks

    def _verdict_others(self) -> list:
        """The options after the pick (with their verdicts once there is one), and those ruled out."""
        st, rec = self.st, self.rec
        lines = []
        others = [r for r in rec.ranking[1:] if not (rec.has_verdict and r.ruled_out)]
        if others:
            shown = (
                (f"{para_text(r.label)} ({para_text(r.verdict)}, {signed_score(r.score)})" for r in others)
                if rec.has_verdict
                else (para_text(r.label) for r in others)
            )
            lines.append(self.p("Then: " + "; ".join(shown) + ".", st.small))
        out = [r.label for r in rec.ranking if r.ruled_out]
        if rec.has_verdict and out:
            lines.append(self.p("Ruled out: " + ", ".join(para_text(x) for x in out) + ".", st.small))
        return lines

    def _boxed(self, lines: list, arch: str) -> Table:
        box = Table([[lines]], colWidths=[self.width], hAlign="LEFT")
        box.setStyle(
            table_style(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), BOX_BG),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, hex(COLORS.get(arch, "#52606D"))),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return box

    def budget_crossing(self, arch: str) -> verdict.BudgetCrossing | None:
        try:
            return verdict.budget_crossings(self.catalog, self.scenario, arch)
        except Exception:  # noqa: BLE001 - the estimate already priced this scenario; a crossing is a bonus
            return None

    def arch_cell(self, a: str, bold: bool = False) -> Paragraph:
        return self.p(para_text(LABELS.get(a, a)), self.st.cell_b if bold else self.st.cell)

    def glance_table(self) -> Table:
        st, est, rec = self.st, self.est, self.rec
        h = [
            "Architecture",
            "Verdict",
            "Score",
            "Monthly cost",
            "Range (low–high)",
            "Per 1,000 queries",
            "p95 latency",
            "One-time",
            f"TCO ({self.scenario.horizon_months} mo.)",
        ]
        rows = [[self.p(h[0], st.head)] + [self.p(x, st.head_r if i > 1 else st.head) for i, x in enumerate(h[1:], 1)]]
        style = []
        for n, r in enumerate(rec.ranking, 1):
            c = est.current.get(r.key)
            vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
            if c is None:  # ruled out by the numbers (e.g. the knowledge does not fit the context): no figures
                rows.append(
                    [
                        self.arch_cell(r.key, bold=n == 1 and not rec.nothing_fits),
                        self.p(f"<font color='#{vc}'>{para_text(r.verdict)}</font>", st.cell),
                    ]
                    + [self.p(score_text(r), st.cell_r)]
                    + [self.p("–", st.cell_r) for _ in h[3:]]
                )
                style.append(("LINEBEFORE", (0, n), (0, n), 3, hex(COLORS.get(r.key, "#52606D")), 0))
                continue
            rows.append(
                [
                    self.arch_cell(r.key, bold=n == 1 and not rec.nothing_fits),
                    self.p(f"<font color='#{vc}'>{para_text(r.verdict)}</font>", st.cell),
                    self.p(score_text(r), st.cell_r),
                    self.p(usd(c.monthly_usd), st.cell_br if n == 1 and not rec.nothing_fits else st.cell_r),
                    self.p(range_text(c.monthly_low_usd, c.monthly_high_usd, c.monthly_usd), st.cell_r),
                    self.p(per_1k(c), st.cell_r),
                    self.p(ms(c.latency_p95_ms), st.cell_r),
                    self.p(usd(c.one_time_total_usd), st.cell_r),
                    self.p(usd(c.tco_usd), st.cell_r),
                ]
            )
            style.append(("LINEBEFORE", (0, n), (0, n), 3, hex(COLORS.get(r.key, "#52606D")), 0))
        return self.table(rows, [1.15, 1.3, 0.65, 0.9, 1.25, 0.9, 0.8, 0.95, 0.95], style=style, zebra=False)

    # --- 1. recommendation

    def recommendation(self) -> None:
        st, rec = self.st, self.rec
        self.h1("1. Recommendation")
        self.add(
            self.p(
                "The ranking comes from the decision questionnaire: each answer fires rules that add to or take "
                "from an architecture's score, or rule it out. The cost and latency estimate then checks the result "
                "against the budget and the latency limit."
            )
        )
        sub = iter(range(1, 10))

        def numbered(text: str) -> Paragraph:
            return self.p(f"1.{next(sub)} {text}", st.h2)

        # nothing fits: no ranking, each option with what rules it out
        self.add(numbered("Why each option is ruled out" if rec.nothing_fits else "Ranking and reasons"))
        self.add(self.p(para_text(scoring_text()), st.small))
        listed: set[str] = set()
        for n, r in enumerate(rec.ranking, 1):
            self.ranked_card(n, r, listed)
        if not rec.reasons:
            self.add(
                self.p(
                    "No questionnaire answers were given, so no rule fired: every architecture starts level. "
                    "The field's advice is to start with the simplest that works.",
                    st.small,
                )
            )
        else:
            self.add(numbered("How the answers moved the scores"))
            rows = [[self.p("Rule that fired (quoting the answer)", st.head), self.p("Effect on the scores", st.head)]]
            for reason in rec.reasons:
                rows.append([self.p(para_text(reason.text), st.cell), self.p(para_text(reason.effect_text()), st.cell)])
            self.add(self.table(rows, [3.2, 1.3]))
        self.answers_section = f"1.{next(sub)}"
        self.add(self.p(f"{self.answers_section} The answers behind them", st.h2))
        self.add(self.answers_table())
        if rec.findings:
            self.add(numbered("What the numbers say"))
            self.add(*self.bullets(rec.findings))
        w = rec.winner
        if rec.nothing_fits:
            self.add(numbered("What would make one feasible"))
            self.add(*(self.bullets(rec.ways_out) or [self.p("No change of a setting lifts the rule-outs.", st.small)]))
            return
        self.add(numbered(f"Watch-outs for {para_text(w.label)}"))
        self.add(*(self.bullets(rec.watch_outs) or [self.p("None listed.", st.small)]))
        self.add(numbered(f"Staged plan for {para_text(w.label)}"))
        self.plan_table()

    def ranked_card(self, n: int, r: Ranked, listed: set[str]) -> None:
        """One architecture in the ranking: a colored heading (place, verdict, score unless ruled out) and its
        reasons not listed yet for an architecture above it (`listed`, updated)."""
        st = self.st
        vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
        place = "" if self.rec.nothing_fits else f"{n}. "
        title = (
            f"<b>{place}{para_text(r.label)}</b> &nbsp; <font color='#{vc}'><b>{para_text(r.verdict)}</b></font>"
            + ("" if r.ruled_out else f" &nbsp; score {signed_score(r.score)}")
        )
        head = Table([[self.p(title, st.body)]], colWidths=[self.width], hAlign="LEFT")
        head.setStyle(
            table_style(
                [
                    ("LINEBEFORE", (0, 0), (0, -1), 3, hex(COLORS.get(r.key, "#52606D"))),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        fresh = [t for t in r.reasons if t not in listed]  # each reason once in the section
        listed.update(fresh)
        shown = fresh if n == 1 else fresh[:3]
        none = "No rule moved its score." if not r.reasons else "Its reasons are listed above."
        reasons = self.bullets(shown) if shown else [self.p(none, st.small)]
        if len(fresh) > len(shown):
            more = len(fresh) - len(shown)
            # 1.2 lists every rule
            reasons.append(self.p(f"… and {more} more reason{'s' if more > 1 else ''}: see 1.2.", st.small))
        self.add(KeepTogether([Spacer(1, 4), head, Spacer(1, 2)] + reasons[:2]), *reasons[2:])

    def plan_table(self) -> None:
        """The winner's staged plan: each stage named once, beside its steps."""
        st = self.st
        rows = [[self.p("Stage", st.head), self.p("Step", st.head)]]
        last = None
        for step in self.rec.plan:
            rows.append(
                [
                    self.p(
                        STAGE_LABELS.get(step.stage, para_text(step.stage)) if step.stage != last else "", st.cell_b
                    ),
                    self.p(para_text(step.text), st.cell),
                ]
            )
            last = step.stage
        if len(rows) > 1:
            self.add(self.table(rows, [0.7, 5], zebra=False))

    def answers_table(self) -> Table:
        st = self.st
        by_id = {q.id: q for q in QUESTIONS}
        answers = self.scenario.answers
        rows = [[self.p("Question", st.head), self.p("Answer", st.head)]]
        for name, info in type(answers).model_fields.items():
            q = by_id.get(name)
            text = q.text if q is not None else (info.description or name.replace("_", " "))
            rows.append(
                [self.p(para_text(text), st.cell), self.p(self.answer_text(name, getattr(answers, name), q), st.cell)]
            )
        return self.table(rows, [3.6, 1.6])

    @staticmethod
    def answer_text(name: str, value: object, question: Question | None) -> str:
        if value is None:
            return "<font color='#616E7C'>not answered</font>"
        v = value.value if isinstance(value, Enum) else value
        if isinstance(v, bool):
            return "Yes" if v else "No"
        for val, label in question.choices if question is not None else ():
            if val == v:
                return para_text(label)
        if isinstance(v, (int, float)) and name == "monthly_budget_usd":
            return f"{usd(v)} a month"
        if isinstance(v, (int, float)) and name == "latency_p95_ms":
            return ms(v)
        if isinstance(v, (int, float)):
            return num(v)
        return para_text(v)


def _cheapest_text(rec) -> str:
    """The one "cheapest" (`Recommendation.cheapest`: of the options still open), as the Costs page marks it."""
    if not rec.cheapest:
        return "No option is open, so none is marked cheapest."
    names = " and ".join(para_text(LABELS[a]) for a in rec.cheapest)
    return f"Cheapest of the options still open: {names}."
