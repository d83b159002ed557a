"""The app's pages: one declared table that `app.py` (navigation), the sidebar (which controls it draws) and the
tests (AppTest's page switches, the smoke test, the browser tests' URLs) all read. Adding a page is its script
in planner/ui/ and one row here (docs/contributing.md, "Add a page"). Pure data, no streamlit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of the app."""

    title: str  # the navigation's label and the page's own title (`results.page_header`)
    file: str  # the page script, relative to the repository root
    icon: str  # a Material icon, ":material/name:"
    url_path: str  # its address: http://host/<url_path> (the default page is served at "/" instead)
    #: The page draws the volume chart (`planner.ui.volume_chart`), whose own "Queries per month" slider
    #: replaces the sidebar's there.
    volume_on_chart: bool = False
    default: bool = False  # the page "/" opens


#: In navigation order; exactly one is the default.
PAGES: tuple[Page, ...] = (
    Page("Decide", "planner/ui/decide.py", ":material/fact_check:", "decide", default=True),
    Page("Costs", "planner/ui/costs.py", ":material/payments:", "costs", volume_on_chart=True),
    Page("Latency", "planner/ui/latency.py", ":material/timer:", "latency", volume_on_chart=True),
    Page("Serving", "planner/ui/serving.py", ":material/dns:", "serving"),
    Page("Pricing", "planner/ui/pricing.py", ":material/sell:", "pricing"),
    Page("Report", "planner/ui/report.py", ":material/picture_as_pdf:", "report"),
    Page("Import", "planner/ui/traffic.py", ":material/upload_file:", "import"),
)


def by_url_path(url_path: str) -> Page | None:
    """The page at `url_path` ("" is the default page, as Streamlit names it), or None."""
    return next((p for p in PAGES if p.url_path == url_path or (p.default and url_path == "")), None)


def volume_on_chart(url_path: str) -> bool:
    """Whether the page at `url_path` carries the "Queries per month" slider on its chart (not in the sidebar)."""
    page = by_url_path(url_path)
    return page is not None and page.volume_on_chart
