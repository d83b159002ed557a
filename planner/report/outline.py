"""The report's outline: every heading in page order, with the function that draws under it and the condition
under which it is there. Reading `OUTLINE` tells the whole document; the headings' numbers are made from it.

Numbering: the numbered sections count 1, 2, 3, … in declared order, whether drawn or not (a section left out
leaves its number unused, so the next keeps its own). Inside a section, parts count from the section's
`first_part` the same way — by declared place — unless the section is `packed`, where only the parts drawn are
counted (section 1: its parts depend on the answers, and its numbers run on without gaps).

To add a section or a part: write its function in the module of its topic (`(ctx, story)` for a section's
opening, `(ctx, story, heading)` for a part, which draws its own heading) and add one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from reportlab.platypus import CondPageBreak, Flowable

from planner.report import assumptions, costs, provenance, quality, recommendation, serving, summary, traffic
from planner.report.context import ReportContext
from planner.report.story import Story

Condition = Callable[[ReportContext], bool]
Title = str | Callable[[ReportContext], str]


def always(ctx: ReportContext) -> bool:
    return True


def fitted_to_traffic(ctx: ReportContext) -> bool:
    """Only when the scenario was fitted to traffic and still holds a fitted input."""
    return bool(ctx.fitted)


def rules_fired(ctx: ReportContext) -> bool:
    """Only when a questionnaire rule fired."""
    return bool(ctx.rec.reasons)


def has_findings(ctx: ReportContext) -> bool:
    """Only when the numbers check found something to say."""
    return bool(ctx.rec.findings)


def nothing_fits(ctx: ReportContext) -> bool:
    """Only when every option is ruled out."""
    return ctx.rec.nothing_fits


def something_fits(ctx: ReportContext) -> bool:
    """Only when there is a pick."""
    return not ctx.rec.nothing_fits


def quality_measured(ctx: ReportContext) -> bool:
    """Only when the estimate carries a quality assessment (a failure cost or pass rates were given)."""
    return ctx.est.quality is not None


def serving_compared(ctx: ReportContext) -> bool:
    """Only when the estimate carries the API-or-self-hosted comparison."""
    return ctx.est.serving_comparison is not None


@dataclass(frozen=True)
class Part:
    """A numbered sub-heading ("2.1 …") and the function that draws it and what follows."""

    key: str
    title: Title
    draw: Callable[[ReportContext, Story, str], None]
    when: Condition = always


@dataclass(frozen=True)
class Section:
    """A top-level heading ("2. Cost and latency"), its opening and its parts.

    `title` None: no heading (the title block). `numbered` False: a heading without a number, outside the count.
    `keep_room`: the share of a page's height that must be left for the heading to stay on this page."""

    key: str
    title: str | None
    draw: Callable[[ReportContext, Story], None] | None = None
    parts: tuple[Part, ...] = ()
    when: Condition = always
    numbered: bool = True
    keep_room: float = 0.0
    first_part: int = 1
    packed: bool = False


def _nothing(ctx: ReportContext, story: Story) -> None:
    return None


OUTLINE: tuple[Section, ...] = (
    Section("title", None, summary.title_block, numbered=False),
    Section(
        "recommendation",
        "Recommendation",
        recommendation.intro,
        packed=True,
        parts=(
            Part("ranking", recommendation.ranking_title, recommendation.ranking),
            Part("reasons", "How the answers moved the scores", recommendation.rules_fired, rules_fired),
            Part("answers", "The answers behind them", recommendation.answers),
            Part("findings", "What the numbers say", recommendation.findings, has_findings),
            Part("ways_out", "What would make one feasible", recommendation.ways_out, nothing_fits),
            Part("watch_outs", recommendation.watch_outs_title, recommendation.watch_outs, something_fits),
            Part("plan", recommendation.plan_title, recommendation.plan, something_fits),
        ),
    ),
    Section(
        "costs",
        "Cost and latency",
        keep_room=0.45,
        parts=(
            Part("spend", "Monthly spend over query volume", costs.spend),
            Part("breakdown", costs.breakdown_title, costs.breakdown),
            Part("latency", "Latency over query volume", costs.latency),
            Part("tco", costs.tco_title, costs.tco),
            Part("sensitivity", costs.sensitivity_title, costs.sensitivity),
            Part("quality", "Cost per successful answer", quality.quality, quality_measured),
        ),
    ),
    Section("traffic", "Fitted from your traffic", traffic.traffic_section, when=fitted_to_traffic, numbered=False),
    Section(
        "assumptions",
        "Assumptions",
        assumptions.intro,
        keep_room=0.35,
        first_part=0,
        parts=(
            Part("assumed", "Assumed values that move the result", provenance.assumed_values),
            Part("inputs", "Scenario inputs", assumptions.inputs),
            Part("derived", "Derived from the inputs", assumptions.derived, assumptions.has_corpus),
            Part("prices", "Catalog figures used", assumptions.prices),
            Part("method", "How the numbers are computed", assumptions.method),
        ),
    ),
    Section("serving", "API or self-hosted", serving.serving, when=serving_compared),
)


def numbers(outline: tuple[Section, ...], ctx: ReportContext) -> dict[str, str]:
    """Each drawn numbered entry's number by its key: {"recommendation": "1", "answers": "1.3", …}."""
    out: dict[str, str] = {}
    n = 0
    for section in outline:
        if not section.numbered:
            continue
        n += 1
        if not section.when(ctx):
            continue
        out[section.key] = str(n)
        k = section.first_part - 1
        for part in section.parts:
            drawn = part.when(ctx)
            if drawn or not section.packed:
                k += 1
            if drawn:
                out[part.key] = f"{n}.{k}"
    return out


def numbered(ctx: ReportContext, outline: tuple[Section, ...] = OUTLINE) -> ReportContext:
    """`ctx` with the headings' numbers of `outline` (so a section can name another's number)."""
    return replace(ctx, numbers=MappingProxyType(numbers(outline, ctx)))


def _title(title: Title, ctx: ReportContext) -> str:
    return title(ctx) if callable(title) else title


def compose(ctx: ReportContext, outline: tuple[Section, ...] = OUTLINE) -> list[Flowable]:
    """The report's flowables: each section whose condition holds, its heading, its opening, its parts."""
    ctx = numbered(ctx, outline)
    story = Story(ctx.styles, ctx.width)
    for section in outline:
        if not section.when(ctx):
            continue
        if section.keep_room:
            story.add(CondPageBreak(ctx.height * section.keep_room))
        if section.title is not None:
            story.h1(f"{ctx.number(section.key)}. {section.title}" if section.numbered else section.title)
        (section.draw or _nothing)(ctx, story)
        for part in section.parts:
            if part.when(ctx):
                part.draw(ctx, story, f"{ctx.number(part.key)} {_title(part.title, ctx)}")
    return story.flowables


def headings(ctx: ReportContext, outline: tuple[Section, ...] = OUTLINE) -> list[str]:
    """The numbered headings the report will show, in order ("1. Recommendation", "1.1 Ranking and reasons", …)."""
    ctx = numbered(ctx, outline)
    out = []
    for section in outline:
        if not (section.numbered and section.when(ctx)):
            continue
        out.append(f"{ctx.number(section.key)}. {section.title}")
        out += [f"{ctx.number(p.key)} {_title(p.title, ctx)}" for p in section.parts if p.when(ctx)]
    return out


__all__ = ["OUTLINE", "Part", "Section", "compose", "headings", "numbered", "numbers"]
