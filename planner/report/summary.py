"""The front of the report: the title block, the verdict box and the at-a-glance table."""

from __future__ import annotations

from reportlab.platypus import (
    Paragraph,
    Spacer,
    Table,
)

from planner.engine.dated import change_note
from planner.model.format import count, ms, usd
from planner.model.vocabulary import ALERT, COLORS, LABELS
from planner.presentation import verdict
from planner.questionnaire import Recommendation, pick_line, score_text, scoring_text
from planner.report.charts import hex
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.style import BOX_BG, INK, MARKER_HEX, RULE, VERDICT_COLORS, table_style
from planner.report.text import long_date, para_text, per_1k, range_text, signed_score


def title_block(ctx: ReportContext, story: Story) -> None:
    """The scenario's name and description, its settings two by two, the verdict box and the at-a-glance table."""
    s, est, st = ctx.scenario, ctx.est, story.st
    story.add(story.p("Architecture recommendation and cost estimate", st.kicker))
    story.add(story.p(para_text(s.name), st.title))
    if s.description.strip():
        story.add(story.p(para_text(s.description, newlines=True)))
    story.add(Spacer(1, 4), _meta_table(ctx, story), Spacer(1, 10))
    verdict_box(ctx, story)
    story.add(Spacer(1, 8), story.p("At a glance", st.h2), glance_table(ctx, story))
    story.add(
        story.p(
            f"All figures at the planned {count(s.workload.queries_per_month)} queries a month. Range: every "
            "catalog "
            "price at the low or the high end of its range. Total cost of ownership (TCO): one-time costs plus the "
            f"monthly cost for {s.horizon_months} months. Verdicts and scores come from the questionnaire and the "
            f"numbers check (section {ctx.number('recommendation')}). " + _cheapest_text(ctx.rec),
            st.caption,
        )
    )
    if est.ruled_out:
        story.add(story.p("Not priced", st.h2))
        story.add(*story.bullets(list(est.ruled_out_reasons)))
    if est.warnings:
        story.add(story.p("Warnings from the estimate", st.h2))
        story.add(*story.bullets(est.warnings))


def _meta_table(ctx: ReportContext, story: Story) -> Table:
    s, st, cat = ctx.scenario, story.st, ctx.catalog
    meta = [
        ("Report date", long_date(ctx.today)),
        ("Pricing catalog", f"version {para_text(cat.version)}, dated {para_text(str(cat.date))}"),
        ("Planned volume", f"{count(s.workload.queries_per_month)} queries a month"),
        ("Cost horizon", f"{s.horizon_months} months from {para_text(ctx.est.start_date)}"),
        ("Monthly budget", f"{usd(s.monthly_budget_usd)} a month" if s.monthly_budget_usd is not None else "none set"),
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
            row += [story.p(k, st.cell_small), story.p(v, st.cell_b)]
        rows.append(row)
    t = Table(rows, colWidths=[w * story.width for w in (0.15, 0.35, 0.15, 0.35)], hAlign="LEFT")
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
    return t


def verdict_box(ctx: ReportContext, story: Story) -> None:
    st, rec = story.st, ctx.rec
    w = rec.winner
    if rec.nothing_fits:  # a state, not a pick: why each option is out, and the ways out
        rows = [story.p(para_text(pick_line(rec)), st.box_title)]
        for x in verdict.nothing_fits_lines(rec):
            rows.append(story.p(para_text(x), st.box if not x.startswith("- ") else st.small))
        story.add(_boxed(story, rows, "none"))
        return
    lines = [story.p(_verdict_title(rec), st.box_title), story.p(_verdict_text(ctx), st.box)]
    if rec.has_verdict:
        # where the pick crosses the budget, and the evidence under its largest cost
        extra = [verdict.budget_sentence(_budget_crossing(ctx, w.key), ctx.scenario.workload.queries_per_month)]
        weak = verdict.weak_evidence(ctx.est, w.key)
        extra.append(weak.sentence() if weak is not None else None)
        for sentence in filter(None, extra):
            lines.append(story.p(para_text(sentence), st.box))
    lines += _verdict_others(rec, story)
    lines.append(story.p(para_text(scoring_text()), st.small))
    story.add(_boxed(story, lines, w.key))


def _verdict_title(rec: Recommendation) -> str:
    w = rec.winner
    vc = VERDICT_COLORS.get(w.verdict, INK).hexval()[2:]
    if rec.has_verdict:
        said = f"({para_text(w.verdict)}, score {signed_score(w.score)})"
        return f"Recommendation: {para_text(w.label)} <font color='#{vc}'>{said}</font>"
    # no verdict before an answer: the options are only listed simplest first
    return f"No recommendation yet: no question answered. Simplest first: {para_text(w.label)}"


def _verdict_text(ctx: ReportContext) -> str:
    """The pick's spend, latency and TCO at the scenario's volume, then the budget and latency checks."""
    s, w = ctx.scenario, ctx.rec.winner
    snap = ctx.est.current[w.key]
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
    checks = _verdict_checks(ctx)
    if checks:
        text += " " + "; ".join(checks) + "."
    dated_note = change_note(ctx.est, w.key)
    if dated_note is not None:
        text += " " + para_text(dated_note)
    return text


def _verdict_checks(ctx: ReportContext) -> list[str]:
    s, est, w = ctx.scenario, ctx.est, ctx.rec.winner
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


def _verdict_others(rec: Recommendation, story: Story) -> list:
    """The options after the pick (with their verdicts once there is one), and those ruled out."""
    st = story.st
    lines = []
    others = [r for r in rec.ranking[1:] if not (rec.has_verdict and r.ruled_out)]
    if others:
        shown = (
            (f"{para_text(r.label)} ({para_text(r.verdict)}, {signed_score(r.score)})" for r in others)
            if rec.has_verdict
            else (para_text(r.label) for r in others)
        )
        lines.append(story.p("Then: " + "; ".join(shown) + ".", st.small))
    out = [r.label for r in rec.ranking if r.ruled_out]
    if rec.has_verdict and out:
        lines.append(story.p("Ruled out: " + ", ".join(para_text(x) for x in out) + ".", st.small))
    return lines


def _boxed(story: Story, lines: list, arch: str) -> Table:
    box = Table([[lines]], colWidths=[story.width], hAlign="LEFT")
    box.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), BOX_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 4, hex(COLORS.get(arch, MARKER_HEX))),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _budget_crossing(ctx: ReportContext, arch: str) -> verdict.BudgetCrossing | None:
    try:
        return verdict.budget_crossings(ctx.catalog, ctx.scenario, arch)
    except Exception:  # noqa: BLE001 - the estimate already priced this scenario; a crossing is a bonus
        return None


def _arch_cell(story: Story, a: str, bold: bool = False) -> Paragraph:
    return story.p(para_text(LABELS.get(a, a)), story.st.cell_b if bold else story.st.cell)


_GLANCE_HEAD = (
    "Architecture",
    "Verdict",
    "Score",
    "Monthly cost",
    "Range (low–high)",
    "Per 1,000 queries",
    "p95 latency",
    "One-time",
)


def glance_table(ctx: ReportContext, story: Story) -> Table:
    """Every option in the ranking's order: verdict, score, spend, range, latency, one-time and TCO."""
    st, est, rec = story.st, ctx.est, ctx.rec
    h = [*_GLANCE_HEAD, f"TCO ({ctx.scenario.horizon_months} mo.)"]
    rows = [[story.p(h[0], st.head)] + [story.p(x, st.head_r if i > 1 else st.head) for i, x in enumerate(h[1:], 1)]]
    style = []
    for n, r in enumerate(rec.ranking, 1):
        c = est.current.get(r.key)
        vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
        first = n == 1 and not rec.nothing_fits
        head = [
            _arch_cell(story, r.key, bold=first),
            story.p(f"<font color='#{vc}'>{para_text(r.verdict)}</font>", st.cell),
            story.p(score_text(r), st.cell_r),
        ]
        if c is None:  # ruled out by the numbers (e.g. the knowledge does not fit the context): no figures
            rows.append(head + [story.p("–", st.cell_r) for _ in h[3:]])
        else:
            rows.append(
                head
                + [
                    story.p(usd(c.monthly_usd), st.cell_br if first else st.cell_r),
                    story.p(range_text(c.monthly_low_usd, c.monthly_high_usd, c.monthly_usd), st.cell_r),
                    story.p(per_1k(c), st.cell_r),
                    story.p(ms(c.latency_p95_ms), st.cell_r),
                    story.p(usd(c.one_time_total_usd), st.cell_r),
                    story.p(usd(c.tco_usd), st.cell_r),
                ]
            )
        style.append(("LINEBEFORE", (0, n), (0, n), 3, hex(COLORS.get(r.key, MARKER_HEX)), 0))
    return story.table(rows, [1.15, 1.3, 0.65, 0.9, 1.25, 0.9, 0.8, 0.95, 0.95], style=style, zebra=False)


def _cheapest_text(rec: Recommendation) -> str:
    """The one "cheapest" (`Recommendation.cheapest`: of the options still open), as the Costs page marks it."""
    if not rec.cheapest:
        return "No option is open, so none is marked cheapest."
    names = " and ".join(para_text(LABELS[a]) for a in rec.cheapest)
    return f"Cheapest of the options still open: {names}."
