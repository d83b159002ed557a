"""The entry point: `build_report` lays the sections out on A4 pages and returns the PDF's bytes."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
)

from planner.engine import Estimate
from planner.report.assumptions import _Assumptions
from planner.report.costs import _Costs
from planner.report.style import _canvas_class, _Furniture
from planner.report.summary import _Summary
from planner.report.text import FONT, PRODUCT, _long_date, _register_fonts, _t
from planner.scenario import Scenario
from pricing.models import Catalog


class _Document(_Summary, _Costs, _Assumptions):
    """The whole report: the title block and three sections, in order."""

    def build(self) -> list:
        self.title_block()
        self.recommendation()
        self.costs()
        self.assumptions()
        return self.story


def build_report(
    catalog: Catalog,
    scenario: Scenario,
    *,
    estimate: Estimate | None = None,
    recommendation: Any = None,
    today: date | None = None,
    invariant: bool = False,
) -> bytes:
    """The PDF recommendation report for `scenario` priced with `catalog`, as bytes.

    `estimate` and `recommendation` are computed when not given (pass them to render only).
    `today` is the report's date (default: today); staleness of catalog figures is judged
    against it. `invariant=True` with a fixed `today` gives byte-identical output.
    """
    _register_fonts()
    if estimate is None:
        from planner.engine import estimate as _estimate

        estimate = _estimate(catalog, scenario)
    if recommendation is None:
        from planner.questionnaire import recommend

        recommendation = recommend(scenario, estimate=estimate)
    today = today or date.today()

    report = _Document(catalog, scenario, estimate, recommendation, today)
    story = report.build()

    buf = io.BytesIO()
    furniture = _Furniture(scenario.name, f"{_long_date(today)} · catalog {catalog.version} ({catalog.date})")
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=19 * mm,
        bottomMargin=18 * mm,
        title=_t(f"{scenario.name} — architecture recommendation"),
        author=PRODUCT,
        subject="Prompt only, RAG, fine-tuned or hybrid: recommendation, cost and latency",
        creator=PRODUCT,
        invariant=1 if invariant else 0,
        initialFontName=FONT,
        initialFontSize=9,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(furniture))
    return buf.getvalue()
