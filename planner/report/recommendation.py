"""Section 1, the recommendation: the intro, then its parts — the ranking with each option's reasons, the rules
that fired, the answers behind them, what the numbers say, and the watch-outs and staged plan of the pick (or,
when nothing fits, what would make one feasible). Each part is a function `(ctx, story, heading)`; the outline
(`planner/report/outline.py`) says which are drawn, in which order, under which number."""

from __future__ import annotations

from enum import Enum

from reportlab.platypus import KeepTogether, Spacer, Table

from planner.model.format import ms, usd
from planner.model.vocabulary import COLORS, STAGE_LABELS
from planner.questionnaire import QUESTIONS, Question, Ranked, scoring_text
from planner.report.charts import hex
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.style import INK, MARKER_HEX, VERDICT_COLORS, table_style
from planner.report.text import num, para_text, signed_score


def intro(ctx: ReportContext, story: Story) -> None:
    story.add(
        story.p(
            "The ranking comes from the decision questionnaire: each answer fires rules that add to or take "
            "from an architecture's score, or rule it out. The cost and latency estimate then checks the result "
            "against the budget and the latency limit."
        )
    )


def ranking_title(ctx: ReportContext) -> str:
    # nothing fits: no ranking, each option with what rules it out
    return "Why each option is ruled out" if ctx.rec.nothing_fits else "Ranking and reasons"


def ranking(ctx: ReportContext, story: Story, heading: str) -> None:
    st = story.st
    story.add(story.p(heading, st.h2))
    story.add(story.p(para_text(scoring_text()), st.small))
    listed: set[str] = set()
    for n, r in enumerate(ctx.rec.ranking, 1):
        _ranked_card(ctx, story, n, r, listed)
    if not ctx.rec.reasons:
        story.add(
            story.p(
                "No questionnaire answers were given, so no rule fired: every architecture starts level. "
                "The field's advice is to start with the simplest that works.",
                st.small,
            )
        )


def _ranked_card(ctx: ReportContext, story: Story, n: int, r: Ranked, listed: set[str]) -> None:
    """One architecture in the ranking: a colored heading (place, verdict, score unless ruled out) and its
    reasons not listed yet for an architecture above it (`listed`, updated)."""
    st = story.st
    vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
    place = "" if ctx.rec.nothing_fits else f"{n}. "
    title = f"<b>{place}{para_text(r.label)}</b> &nbsp; <font color='#{vc}'><b>{para_text(r.verdict)}</b></font>" + (
        "" if r.ruled_out else f" &nbsp; score {signed_score(r.score)}"
    )
    head = Table([[story.p(title, st.body)]], colWidths=[story.width], hAlign="LEFT")
    head.setStyle(
        table_style(
            [
                ("LINEBEFORE", (0, 0), (0, -1), 3, hex(COLORS.get(r.key, MARKER_HEX))),
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
    reasons = story.bullets(shown) if shown else [story.p(none, st.small)]
    if len(fresh) > len(shown):
        more = len(fresh) - len(shown)
        where = ctx.numbers.get("reasons")  # the part listing every rule that fired
        see = f": see {where}." if where else "."
        reasons.append(story.p(f"… and {more} more reason{'s' if more > 1 else ''}{see}", st.small))
    story.add(KeepTogether([Spacer(1, 4), head, Spacer(1, 2)] + reasons[:2]), *reasons[2:])


def rules_fired(ctx: ReportContext, story: Story, heading: str) -> None:
    st = story.st
    story.add(story.p(heading, st.h2))
    rows = [[story.p("Rule that fired (quoting the answer)", st.head), story.p("Effect on the scores", st.head)]]
    for reason in ctx.rec.reasons:
        rows.append([story.p(para_text(reason.text), st.cell), story.p(para_text(reason.effect_text()), st.cell)])
    story.add(story.table(rows, [3.2, 1.3]))


def answers(ctx: ReportContext, story: Story, heading: str) -> None:
    """Every question of the questionnaire with the scenario's answer."""
    st = story.st
    story.add(story.p(heading, st.h2))
    by_id = {q.id: q for q in QUESTIONS}
    given = ctx.scenario.answers
    rows = [[story.p("Question", st.head), story.p("Answer", st.head)]]
    for name, info in type(given).model_fields.items():
        q = by_id.get(name)
        text = q.text if q is not None else (info.description or name.replace("_", " "))
        rows.append([story.p(para_text(text), st.cell), story.p(answer_text(name, getattr(given, name), q), st.cell)])
    story.add(story.table(rows, [3.6, 1.6]))


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


def findings(ctx: ReportContext, story: Story, heading: str) -> None:
    story.add(story.p(heading, story.st.h2))
    story.add(*story.bullets(ctx.rec.findings))


def ways_out(ctx: ReportContext, story: Story, heading: str) -> None:
    story.add(story.p(heading, story.st.h2))
    none = [story.p("No change of a setting lifts the rule-outs.", story.st.small)]
    story.add(*(story.bullets(ctx.rec.ways_out) or none))


def watch_outs_title(ctx: ReportContext) -> str:
    return f"Watch-outs for {para_text(ctx.rec.winner.label)}"


def watch_outs(ctx: ReportContext, story: Story, heading: str) -> None:
    story.add(story.p(heading, story.st.h2))
    story.add(*(story.bullets(ctx.rec.watch_outs) or [story.p("None listed.", story.st.small)]))


def plan_title(ctx: ReportContext) -> str:
    return f"Staged plan for {para_text(ctx.rec.winner.label)}"


def plan(ctx: ReportContext, story: Story, heading: str) -> None:
    """The winner's staged plan: each stage named once, beside its steps."""
    st = story.st
    story.add(story.p(heading, st.h2))
    rows = [[story.p("Stage", st.head), story.p("Step", st.head)]]
    last = None
    for step in ctx.rec.plan:
        stage = STAGE_LABELS.get(step.stage, para_text(step.stage)) if step.stage != last else ""
        rows.append([story.p(stage, st.cell_b), story.p(para_text(step.text), st.cell)])
        last = step.stage
    if len(rows) > 1:
        story.add(story.table(rows, [0.7, 5], zebra=False))
