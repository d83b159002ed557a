"""Section 3, assumptions: the scenario's inputs as entered, what is derived from them, every catalog figure
used with its source and date, and how the numbers are computed. Each part is a function `(ctx, story,
heading)`; the outline (`planner/report/outline.py`) numbers them (3.0, the assumed values, is `provenance.py`)."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel
from reportlab.platypus import KeepTogether

from planner.model.format import count, ms, usd
from planner.model.scenario import given_paths
from planner.model.vocabulary import ALERT, LABELS, SERVING_LABELS, STACK_FAMILIES
from planner.presentation.fields import field_words, humanize
from planner.report.context import ReportContext
from planner.report.story import Story
from planner.report.style import BOX_BG
from planner.report.text import FONT_BOLD, fig, long_date, num, para_text, xw
from pricing.units import STALE_AFTER_DAYS

#: The inputs table's relative column widths (input, value, what it means).
_INPUT_WIDTHS = [2.2, 1.6, 3.2]


def intro(ctx: ReportContext, story: Story) -> None:
    story.add(
        story.p(
            "Everything the estimate rests on: the scenario's inputs as entered, and every catalog figure "
            "used, with its source and the date it was checked. "
            f"The questionnaire answers are in section {ctx.number('answers')}."
        )
    )


def inputs(ctx: ReportContext, story: Story, heading: str) -> None:
    """Every scenario input as entered, grouped, with what it means."""
    st, s = story.st, ctx.scenario
    story.add(story.p(heading, st.h2))
    rows = [[story.p(x, st.head) for x in ("Input", "Value", "What it means")]]
    style: list = []

    def group(title: str) -> None:
        rows.append([story.p(f"<b>{title}</b>", st.cell), "", ""])
        style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), BOX_BG))

    for title, part in (
        ("Workload", "workload"),
        ("Fine-tuning plan", "fine_tuning"),
        ("Stack", "stack"),
        ("One-time costs", "one_time"),
    ):
        group(title)
        rows += _model_rows(ctx, story, getattr(s, part), path=f"{part}.")
    group("Horizon, budget and limits")
    fields = type(s).model_fields
    for name in ("horizon_months", "start_date", "monthly_budget_usd", "latency_target_p95_ms"):
        rows.append(
            [
                story.p(para_text(humanize(name)), st.cell),
                story.p(_input_value(ctx, story, name, getattr(s, name)), st.cell),
                story.p(para_text(fields[name].description or ""), st.cell_small),
            ]
        )
    vr = s.volumes
    rows.append(
        [
            story.p("Charted volume range", st.cell),
            story.p(f"{count(vr.min_queries_per_month)} – {count(vr.max_queries_per_month)} queries a month", st.cell),
            story.p(f"{vr.points} volumes, evenly spaced on a log scale.", st.cell_small),
        ]
    )
    story.add(story.table(rows, _INPUT_WIDTHS, style=style, zebra=False))


def _model_rows(ctx: ReportContext, story: Story, model: BaseModel, prefix: str = "", path: str = "") -> list:
    """One row per field of `model` (nested models flattened, their names as a prefix); "assumed" under a
    value the scenario did not give."""
    st = story.st
    given = given_paths(ctx.scenario)
    assumed = "<br/><font size='6.5' color='#616E7C'>assumed (a default)</font>"
    rows: list = []
    for name, info in type(model).model_fields.items():
        v = getattr(model, name)
        if hasattr(type(v), "model_fields"):
            rows += _model_rows(ctx, story, v, prefix + humanize(name) + ": ", f"{path}{name}.")
            continue
        label = prefix + (LABELS[name] if name in LABELS else humanize(name))
        note = assumed if f"{path}{name}" not in given and v is not None else ""
        rows.append(
            [
                story.p(para_text(label), st.cell),
                story.p(_input_value(ctx, story, name, v) + note, st.cell),
                story.p(para_text(info.description or ""), st.cell_small),
            ]
        )
    return rows


def _input_value(ctx: ReportContext, story: Story, name: str, v: Any) -> str:
    if v is None and name == "cache_hit_share" and ctx.scenario.stack.serving == "api":
        shares = ", ".join(f"{para_text(c.label)} {c.cache_hit_share:.1%}" for c in ctx.est.current.values())
        return f"measured from traffic: {shares}"
    if v is None:
        return f"today ({para_text(ctx.est.start_date)})" if name == "start_date" else "none set"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, Enum):
        v = v.value
    if isinstance(v, str):
        family = STACK_FAMILIES.get(name)
        entry = getattr(ctx.catalog, family).get(v) if family else None  # a catalog family, by its field name
        if entry is not None:
            w = story.col_width(_INPUT_WIDTHS, 1)
            return f"{xw(entry.name, w)}<br/><font size='6.5' color='#616E7C'>{xw(v, w, size=6.5)}</font>"
        return para_text(SERVING_LABELS.get(v, v))
    if name in ("latency_target_p95_ms",) or name.endswith("_ms"):
        return ms(v)
    if name == "horizon_months":
        return f"{v} months"
    if "usd" in name:
        return usd(v) if name == "monthly_budget_usd" else "$" + num(v)
    if "share" in name or "utilization" in name:
        return f"{v * 100:.4g}%"
    return num(v)


def has_corpus(ctx: ReportContext) -> bool:
    """The condition of "Derived from the inputs": the estimate models a knowledge base."""
    return bool(ctx.est.corpus)


def derived(ctx: ReportContext, story: Story, heading: str) -> None:
    st, c = story.st, ctx.est.corpus
    rows = [[story.p("Knowledge base as modelled", st.head), story.p("Value", st.head_r)]]
    names = {
        "chunks_per_document": ("Chunks per document", num),
        "vectors": ("Vectors in the index", num),
        "embedded_tokens": ("Tokens embedded to index the corpus once", num),
        "record_bytes": ("Bytes stored per vector (vector + text and metadata)", num),
        "stored_gb": ("Index size (GB)", lambda v: f"{v:,.4g}"),
    }
    for k, (label, f) in names.items():
        if k in c:
            rows.append([story.p(label, st.cell), story.p(f(c[k]), st.cell_r)])
    story.add(KeepTogether([story.p(heading, st.h2), story.table(rows, [4, 1.5], zebra=False)]))


def prices(ctx: ReportContext, story: Story, heading: str) -> None:
    """Every catalog figure the estimate used: its role, value and range, source, date and status."""
    st, est, today, cat = story.st, ctx.est, ctx.today, ctx.catalog
    used = list(est.prices_used)
    stale = [u for u in used if u.figure.is_stale(today)]
    unverified = [u for u in used if not u.figure.verified]
    story.add(story.p(heading, st.h2))
    story.add(
        story.p(
            f"Catalog version {para_text(cat.version)}, dated {para_text(str(cat.date))}. "
            f"{len(used)} figures feed this estimate; "
            f"<b>{len(stale)}</b> {'was' if len(stale) == 1 else 'were'} checked more than {STALE_AFTER_DAYS} days "
            f"before {long_date(today)} "
            f"(<font color='{ALERT}'><b>stale</b></font>) and <b>{len(unverified)}</b> could not be confirmed at "
            f"their source (<font color='#B9770E'><b>unverified</b></font>). Check those before relying on the numbers."
        )
    )
    if cat.description:
        story.add(story.p(para_text(cat.description), st.small))
    rows = [[story.p(x, st.head) for x in ("Used for", "Figure", "Value", "Source and note", "Checked", "Status")]]
    pw = [1.5, 1.05, 0.7, 3.0, 0.95, 0.95]
    wrole, wsrc = story.col_width(pw, 0), story.col_width(pw, 3)
    for u in used:
        f = u.figure
        unit = "$" if "usd" in u.field else ""
        value = unit + fig(f.value)
        if f.lo != f.value or f.hi != f.value:
            value += f"<br/><font size='6.5' color='#616E7C'>{unit}{fig(f.lo)}–{unit}{fig(f.hi)}</font>"
        src = xw(f.source, wsrc)
        if f.note:
            src += f"<br/><font size='6.5' color='#616E7C'>{xw(f.note, wsrc, size=6.5)}</font>"
        flags = []
        if f.is_stale(today):
            flags.append(f"<font color='{ALERT}'><b>stale</b></font> ({f.age_days(today):,} days)")
        if not f.verified:
            flags.append("<font color='#B9770E'><b>unverified</b></font>")
        rows.append(
            [
                story.p(f"{xw(u.role, wrole)}<br/><b>{xw(u.name, wrole, FONT_BOLD)}</b>", st.cell),
                story.p(xw(field_words(u.field), story.col_width(pw, 1)), st.cell),
                story.p(value, st.cell_r),
                story.p(src, st.cell),
                story.p(str(f.checked), st.cell),
                story.p("<br/>".join(flags) or "ok", st.cell),
            ]
        )
    story.add(story.table(rows, pw))


def method(ctx: ReportContext, story: Story, heading: str) -> None:
    story.add(story.p(heading, story.st.h2))
    text = [
        "Monthly cost is the sum of its components (LLM tokens or GPU hours, query embedding, vector store, "
        "reranking, re-embedding changed documents, retraining runs, tuned-model hosting), each computed from the "
        "inputs and the catalog prices above. Cost per 1,000 queries is the monthly total divided by the volume.",
        "Ranges: the estimate is run with every catalog figure at its low and at its high end; the band is that "
        "envelope, not a confidence interval.",
        "Break-even volumes are found exactly (by bisection), not read off the chart. Sensitivity moves one input "
        f"at a time by ±{ctx.est.sensitivity_delta * 100:.0f}%.",
        "Latency: the parts' medians add and their tails add in quadrature; self-hosted serving adds an M/M/c "
        "queueing delay at peak load. The full formulas are in docs/formulas.md of the planner.",
    ]
    story.add(*story.bullets(text))
