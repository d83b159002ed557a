"""The PDF recommendation report: one self-contained document for people who never open the app.

    from planner.report import build_report
    pdf: bytes = build_report(catalog, scenario)

Built with reportlab alone: platypus lays out the text and tables, `reportlab.graphics`
draws the charts as vector graphics, and the embedded Bitstream Vera font (shipped with
reportlab) renders the Unicode the app uses (≤, –, ×). No browser, no network.

The report reads from the same `Estimate` and `Recommendation` objects as the screen and
the CLI, with the same colors (`planner.model.vocabulary.COLORS`) and number formats
(`planner.model.format`), so a number reads the same everywhere.

Every piece of text that comes from a user or a catalog (scenario name and description,
catalog names, sources, notes) is escaped before it reaches a `Paragraph`, and characters
the font cannot draw are replaced, so hostile or odd text shows literally and never
breaks the layout. `invariant=True` with a fixed `today` makes the bytes reproducible.

The package, in the order a page is made:

    text.py            fonts, escaping and fitting text, the report's small number formats
    style.py           colors, paragraph and table styles, page header and footer
    charts.py          the chart kit and the four charts (vector graphics; ticks from planner.presentation.ticks)
    context.py         ReportContext: what the report is about and every value two sections share, frozen
    story.py           Story: the flowables in page order and the builders (p, h1, bullets, table, chart)
    outline.py         OUTLINE: every heading in order, with its function and condition; the numbers come from it
    summary.py         title block, verdict box, at-a-glance table
    recommendation.py  1. Recommendation
    costs.py           2. Cost and latency (quality.py: cost per successful answer)
    traffic.py         Fitted from your traffic (when the scenario was fitted to usage logs)
    assumptions.py     3. Assumptions (provenance.py: the assumed values that move the result)
    serving.py         4. API or self-hosted
    build.py           build_report: the outline's flowables on A4 pages, as bytes
"""

from planner.report.build import ReportError, build_report, report_or_error_pdf
from planner.report.text import PRODUCT
from planner.report.text import long_date as long_date  # the tests check the report's date format

__all__ = [
    "PRODUCT",
    "ReportError",
    "build_report",
    "report_or_error_pdf",
]
