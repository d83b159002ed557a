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
from reportlab.platypus.doctemplate import LayoutError

from planner.engine import Estimate
from planner.model.scenario import Scenario
from planner.questionnaire import Recommendation
from planner.report.context import make_context
from planner.report.outline import compose
from planner.report.style import Furniture, canvas_class
from planner.report.text import FONT, PRODUCT, drawable_text, long_date, register_fonts
from pricing.models import Catalog


class ReportError(Exception):
    """The PDF could not be built; the message says why in a sentence (no traceback reaches a user)."""


def build_report(
    catalog: Catalog,
    scenario: Scenario,
    *,
    estimate: Estimate | None = None,
    recommendation: Recommendation | None = None,
    today: date | None = None,
    invariant: bool = False,
    traffic: Any = None,
) -> bytes:
    """The PDF recommendation report for `scenario` priced with `catalog`, as bytes.

    `estimate` and `recommendation` are computed when not given (pass them to render only).
    `today` is the report's date (default: today); staleness of catalog figures is judged
    against it. `invariant=True` with a fixed `today` gives byte-identical output. `traffic`: the
    `planner.traffic.analysis.TrafficAnalysis` the scenario was fitted to (a section lists the fitted
    inputs the scenario still holds, and the reconciliation).
    """
    register_fonts()
    if estimate is None:
        from planner.engine import estimate as _estimate

        estimate = _estimate(catalog, scenario)
    elif estimate.serving_comparison is None:  # the app's estimate leaves it out until a page asks
        from planner.engine import with_serving_comparison

        estimate = with_serving_comparison(catalog, estimate)
    if recommendation is None:
        from planner.questionnaire import recommend

        recommendation = recommend(scenario, estimate=estimate)
    today = today or date.today()

    story = compose(make_context(catalog, scenario, estimate, recommendation, today, traffic))

    buf = io.BytesIO()
    furniture = Furniture(scenario.name, f"{long_date(today)} · catalog {catalog.version} ({catalog.date})")
    doc = _a4_document(buf, scenario.name, invariant)
    try:
        doc.build(story, canvasmaker=canvas_class(furniture))
    except LayoutError:
        raise ReportError(
            "the PDF could not be laid out: a text from the scenario or the catalog is too tall for a page. "
            "Shorten the longest note, name or description and try again"
        ) from None
    return buf.getvalue()


def _a4_document(buf: io.BytesIO, scenario_name: str, invariant: bool) -> BaseDocTemplate:
    """An A4 document with one full-width frame, its metadata naming the scenario."""
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=19 * mm,
        bottomMargin=18 * mm,
        title=drawable_text(f"{scenario_name} — architecture recommendation"),
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
    return doc


def report_or_error_pdf(catalog: Catalog, scenario: Scenario, **kwargs: Any) -> bytes:
    """`build_report`, or, when it fails, a one-page PDF that says why.

    For the app's download button, which builds the file on click, in a thread where no message
    can be drawn on the page: the visitor gets a file that explains, never nothing.
    """
    try:
        return build_report(catalog, scenario, **kwargs)
    except ReportError as exc:
        why = str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the visitor gets a sentence
        why = f"an unexpected {type(exc).__name__}: {exc}"
    return error_pdf(f"The report could not be built: {why}.")


def error_pdf(message: str) -> bytes:
    """A one-page PDF holding `message` (plain text, wrapped; nothing that can fail to lay out)."""
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    width, height = A4
    y = height - 25 * mm
    c.setFont(FONT, 14)
    c.drawString(20 * mm, y, drawable_text(PRODUCT))
    c.setFont(FONT, 10)
    y -= 12 * mm
    for line in _wrap(drawable_text(message)[:4000], width - 40 * mm):
        c.drawString(20 * mm, y, line)
        y -= 5 * mm
        if y < 20 * mm:
            break
    c.showPage()
    c.save()
    return buf.getvalue()


def _wrap(text: str, width: float, size: float = 10) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if stringWidth(trial, FONT, size) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines
