"""Real browser: import a usage file on the Import page, apply the fit, and the Costs page moves."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.browser import BROWSER, go_to, main_area, metrics, open_page, problems_shown

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "traffic"

pytestmark = BROWSER


def test_import_applies_the_fit_and_costs_move(page, app_server, idle, rerun):
    open_page(page, app_server, idle, "costs")
    before = metrics(page)
    header_before = main_area(page).locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert "100K queries/month" in header_before
    go_to(page, rerun, "Import")
    with rerun(page):
        main_area(page).locator("input[type='file']").set_input_files(str(FIX / "otel.jsonl"))
    with rerun(page):
        page.get_by_role("button", name="Read the files").click()
    page.get_by_text("fitted from traffic, 4 requests").first.wait_for()
    assert main_area(page).locator(".js-plotly-plot").count() == 3  # requests per hour, two histograms
    with rerun(page, runs=2):  # the click's run, then the rerun after applying
        page.get_by_role("button", name="Apply the fit to the scenario").click()
    assert problems_shown(page) == []
    go_to(page, rerun, "Costs")
    # 4 requests over 3 hours: 4 / 3 × 730 = 973 a month
    header = main_area(page).locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert "973 queries/month" in header, header
    assert metrics(page) != before
    assert problems_shown(page) == []
