"""Real-browser tests: `streamlit run app.py` driven by Playwright in Debian's headless Chromium.

What a person does in the browser, checked end to end: every page loads clean; the
"Queries per month" slider moves the cost chart and its metrics; the questionnaire moves
the recommendation; the pricing YAML editor refuses an invalid catalog (file untouched),
applies a valid one (charts change) and saves (file written, backup kept); the PDF
downloads and says what the page says; a copied URL reproduces the view.

Fixtures (server, browser, `idle`, `rerun`) are in conftest.py. The whole module is skipped when
chromium is missing. Selectors are labels, roles and texts first; `data-testid`s only
for Streamlit's own structure (stApp, stMetric, stAlert, stException) and for the volume chart's own
(volumeCard, volumeCaption, volumeSlider).
"""

from __future__ import annotations

import io
import re
import shutil

import pytest

from planner.model.scenario import Scenario
from tests.e2e.browser import (
    BROWSER,
    PAGES,
    VOLUME,
    chart,
    editor,
    go_to,
    main_area,
    metrics,
    move_volume,
    open_page,
    problems_shown,
    volume_frame,
    volume_thumb,
)

pytestmark = BROWSER


def edit_catalog(page, start: int, end: int, new: str) -> str:
    """Edit the YAML editor as a person would: select characters start..end and type `new` over them.

    (Playwright's `fill` of the whole 77 KB catalog takes ~17 s in this textarea; an in-place
    edit takes milliseconds.) Returns the editor's text after the edit.
    """
    box = editor(page)
    before = box.input_value()
    box.evaluate("(e, [a, b]) => { e.focus(); e.setSelectionRange(a, b); }", [start, end])
    page.keyboard.insert_text(new)
    after = box.input_value()
    assert after == before[:start] + new + before[end:], "the edit did not land in the editor"
    return after


#: The LLM a visitor with no preset starts on (the page's prices move with it).
DEFAULT_LLM = Scenario().stack.llm


def default_llm_input_price(text: str) -> tuple[int, int]:
    """Where the default scenario's LLM's input price is written: (start, end) of the number."""
    key = re.escape(DEFAULT_LLM)
    pat = re.compile(rf"\n  {key}:\n(?:(?:    .*)?\n)*?    input_usd_per_1m_tokens:\n      value: ([^\n]+)")
    m = pat.search(text)
    assert m, f"the catalog has no llms.{DEFAULT_LLM}.input_usd_per_1m_tokens.value to edit"
    return m.span(1)


def price_at(text: str, span: tuple[int, int]) -> float:
    return float(text[span[0] : span[1]])


def alerts(page, kind: str) -> list[str]:
    sel = {"error": "stAlertContentError", "success": "stAlertContentSuccess"}[kind]
    return page.locator("[data-testid='stAlert']").filter(has=page.locator(f"[data-testid='{sel}']")).all_inner_texts()


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("title", list(PAGES))
def test_page_loads_without_error(page, app_server, idle, title):
    open_page(page, app_server, idle, PAGES[title])
    assert main_area(page).locator("h1").first.inner_text().strip().startswith(title)
    assert problems_shown(page) == []
    assert page.js_errors == [], f"uncaught JavaScript errors: {page.js_errors}"
    if title == "Decide":  # the navigation lists every page, at the URLs above
        links = page.locator("[data-testid='stSidebarNav'] a")
        got = {links.nth(i).inner_text().split()[-1]: links.nth(i).get_attribute("href") for i in range(links.count())}
        assert {t: h.rstrip("/").removeprefix(app_server.url).lstrip("/") for t, h in got.items()} == PAGES


def test_volume_slider_moves_cost_chart_and_metrics(page, app_server, idle, rerun):
    open_page(page, app_server, idle, "costs")
    fig0, met0 = chart(page), metrics(page)
    assert len(met0) >= 4, f"expected a metric per architecture, got {met0}"
    value = move_volume(page, rerun, "ArrowRight", 3)
    fig1, met1 = chart(page), metrics(page)
    assert fig1["data"] != fig0["data"], "the chart's data did not change"
    assert fig1["paths"] != fig0["paths"], "the chart was not redrawn"
    assert met1 != met0, "the metrics did not change"
    # the header repeats the volume, formatted like the slider's value
    assert value in main_area(page).locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert problems_shown(page) == []


def test_questionnaire_changes_recommendation(page, app_server, idle, rerun):
    open_page(page, app_server, idle, "")
    headline = main_area(page).locator("h4").first
    before = headline.inner_text()

    def choose(question: str, option: str) -> None:
        page.get_by_role("combobox", name=question, exact=True).click()
        with rerun(page):
            page.get_by_role("option", name=option, exact=True).click()

    def answer(question: str, option: str) -> None:
        group = page.get_by_role("radiogroup", name=question, exact=True)
        with rerun(page):
            group.get_by_role("radio", name=option, exact=True).click()

    # A knowledge gap, facts changing daily, citations required: the textbook case for retrieval.
    choose("What is the model missing today: knowledge, behavior, or both?", "Knowledge: it lacks our facts")
    choose("How often does the knowledge the model needs change?", "Daily")
    answer("Must users see the sources behind an answer?", "Yes")
    after = headline.inner_text()
    assert after != before, f"the recommendation did not change ({before!r})"
    assert re.search(r"\bRAG\b", after), f"expected RAG to lead, got {after!r}"

    # and behavior instead of knowledge moves the ranking again (RAG may still lead: the knowledge base is
    # measured not to fit the model's context, so retrieval keeps its edge)
    def ranking() -> list[str]:
        # every option is listed: those still in the running with their score, the ruled-out ones without
        verdicts = r" — (recommended|viable|not advised)( · score [+-]?\d+)?$| — ruled out$"
        return main_area(page).get_by_text(re.compile(verdicts)).all_inner_texts()

    ranked = ranking()
    assert len(ranked) == 5, ranked
    assert all(("score" in r) != r.endswith("ruled out") for r in ranked), ranked
    choose("What is the model missing today: knowledge, behavior, or both?", "Behavior: wrong form, tone or skill")
    assert ranking() != ranked
    assert problems_shown(page) == []
    # the answers travel in the URL
    assert "gap=behavior" in page.url and "cite=yes" in page.url


def test_invalid_catalog_is_refused_and_file_untouched(page, app_server, idle, rerun):
    original = app_server.catalog.read_bytes()
    had_backup = app_server.catalog.with_name(app_server.catalog.name + ".bak").exists()
    open_page(page, app_server, idle, "pricing")
    text = editor(page).input_value()

    # a semantic error (a negative price), applied
    edit_catalog(page, *default_llm_input_price(text), "-0.15")
    with rerun(page):
        page.get_by_role("button", name="Apply for this session").click()
    errs = alerts(page, "error")
    assert errs and "not valid" in errs[0], f"no error shown: {errs}"
    assert DEFAULT_LLM in errs[0] and "line" in errs[0], f"the error does not say where: {errs[0]}"
    assert page.locator("[data-testid='stException']").count() == 0

    # a syntax error (an unclosed flow sequence), saved
    at = editor(page).input_value().index("\nllms:") + len("\nllms:")
    edit_catalog(page, at, at, " [")
    with rerun(page):
        page.get_by_role("button", name="Save to catalog file").click()
    errs = alerts(page, "error")
    assert errs, "no error shown for a YAML syntax error on save"
    assert "Traceback" not in page.locator("body").inner_text()

    assert app_server.catalog.read_bytes() == original, "the catalog file changed after an invalid edit"
    assert app_server.catalog.with_name(app_server.catalog.name + ".bak").exists() == had_backup


def test_valid_catalog_edit_changes_charts(page, app_server, idle, rerun):
    open_page(page, app_server, idle, "costs")
    fig0, met0 = chart(page), metrics(page)
    go_to(page, rerun, "Pricing")
    text = editor(page).input_value()
    span = default_llm_input_price(text)
    edit_catalog(page, *span, f"{10 * price_at(text, span):g}")  # ten times the list price
    with rerun(page):
        page.get_by_role("button", name="Apply for this session").click()
    assert alerts(page, "error") == []
    assert alerts(page, "success"), "no confirmation that the catalog was applied"
    go_to(page, rerun, "Costs")
    fig1, met1 = chart(page), metrics(page)
    assert fig1["data"] != fig0["data"], "the cost chart did not change with the catalog"
    assert met1 != met0, "the cost metrics did not change with the catalog"
    assert problems_shown(page) == []


def test_pdf_report_downloads_with_the_recommendation(page, app_server, idle, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    # the scenario of the questionnaire test, given by URL
    open_page(page, app_server, idle, "report", "knowledge=daily&gap=knowledge&cite=yes")
    text = main_area(page).inner_text()
    # the headline every surface shares (planner.questionnaire.results.HEADS): "Recommended: RAG (score +8)."
    m = re.search(
        r"^(?:Recommended|Leading, not decisive|Least bad): (Prompt only|Long context|RAG|Fine-tuned|Hybrid) ",
        text,
        re.M,
    )
    assert m, "the Report page shows no recommendation"
    winner = m.group(1)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name=re.compile("Download PDF report")).click()
    path = tmp_path / "report.pdf"
    dl.value.save_as(path)
    assert dl.value.suggested_filename.endswith(".pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert f"Recommendation: {winner}" in pdf_text, f"the PDF does not recommend {winner}"
    assert winner == "RAG"


def test_shared_url_reproduces_the_view(page, app_server, idle, rerun, browser):
    open_page(page, app_server, idle, "costs")
    value = move_volume(page, rerun, "ArrowRight", 2)
    page.wait_for_function("() => new URLSearchParams(location.search).has('q')")
    url = page.url
    fig = chart(page)

    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        p2 = other.new_page()
        p2.goto(url, wait_until="domcontentloaded")
        p2.wait_for_selector("[data-testid='stApp']", state="attached")
        idle(p2, timeout=60_000)
        assert volume_thumb(p2).get_attribute("aria-valuetext") == value
        fig2 = chart(p2)
        assert fig2["data"] == fig["data"], "the shared link draws a different chart"
        assert fig2["shapes"] == fig["shapes"]
        assert metrics(p2) == metrics(page)
        assert problems_shown(p2) == []
    finally:
        other.close()


# Last: it writes the catalog file the server uses.
def test_save_writes_file_and_keeps_backup(page, app_server, idle, rerun):
    catalog = app_server.catalog
    backup = catalog.with_name(catalog.name + ".bak")
    original = catalog.read_bytes()
    if backup.exists():  # pragma: no cover - only if a test before saved
        backup.unlink()
    open_page(page, app_server, idle, "pricing")
    text = editor(page).input_value()
    assert text.encode() == original.replace(b"\r\n", b"\n"), "the editor does not hold the file's text"
    span = default_llm_input_price(text)
    edited = edit_catalog(page, *span, f"{2 * price_at(text, span):g}")  # twice the list price
    with rerun(page):
        page.get_by_role("button", name="Save to catalog file").click()
    assert alerts(page, "error") == [], alerts(page, "error")
    assert any("Saved" in t for t in alerts(page, "success")), "no confirmation of the save"
    assert catalog.read_text(encoding="utf-8") == edited, "the file does not hold the saved text"
    assert backup.read_bytes() == original, "the backup is not the previous version"
    # no temporary file left beside it
    assert [p.name for p in catalog.parent.iterdir() if p.name.endswith(".tmp")] == []
    shutil.copyfile(backup, catalog)  # leave the server's catalog as it was


# Every leaf text and text input in the sidebar whose content is wider than its box (cut off or scrolled).
TRUNCATED_JS = """() => {
  const sb = document.querySelector("[data-testid='stSidebar']");
  const out = [];
  for (const el of sb.querySelectorAll("*")) {
    if (el.children.length > 0 || !el.innerText || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.innerText.trim().slice(0, 90));
  }
  for (const inp of sb.querySelectorAll("input")) {
    const cut = inp.type !== "range" && inp.value && inp.scrollWidth > inp.clientWidth + 1;
    if (cut) out.push("input: " + inp.value.slice(0, 90));
  }
  return out;
}"""


def test_sidebar_labels_and_select_boxes_are_not_cut_off(page, app_server, idle, rerun):
    # the longest entry names of the default catalog: the self-hosted stack of issue 13
    query = "preset=support-bot&serving=self_hosted&llm=together-llama-3.1-8b&ft=self-hosted-llama-3.1-8b-lora-h100"
    open_page(page, app_server, idle, "costs", query)
    details = page.locator("[data-testid='stSidebar'] details")
    for i in range(details.count()):
        # open each closed section; opening one need not rerun the script, so wait for idle, not for a run
        if details.nth(i).get_attribute("open") is None:
            details.nth(i).locator("summary").click()
            idle(page)
    assert page.locator("[data-testid='stSidebar'] input").count() > 20  # every section is open
    assert page.evaluate(TRUNCATED_JS) == []


# ------------------------------------------------------------------ the volume chart's own slider


def marker_x(page) -> float | None:
    """Where the chart's "current volume" line is drawn (the figure's shape, as plotly.js holds it)."""
    return (
        volume_frame(page)
        .locator("body")
        .evaluate(
            """() => { const gd = document.getElementById('plot');
                   const s = (gd.layout.shapes || []).find(s => s.name === 'current volume');
                   return s && s.visible !== false ? s.x0 : null; }"""
        )
    )


def readouts(page) -> list[str]:
    """The read-outs above the chart, drawn inside its frame: the caption (Costs) and every card's label, value
    and delta."""
    box = volume_frame(page).locator("[data-testid='volumeReadouts']")
    return box.locator("[data-testid='volumeCaption'], [data-testid='volumeCard']").all_inner_texts()


@pytest.mark.parametrize("name", ["costs", "latency"])
def test_volume_key_moves_marker_and_readouts_with_the_server_stopped(page, app_server, idle, rerun, name):
    """A key press on the chart's slider moves the marker and the read-outs in the browser alone: the server
    is stopped (SIGSTOP) while it happens. Python hears of it afterwards: the link follows, and the page it
    draws then shows the same read-outs the browser did."""
    import os
    import signal

    open_page(page, app_server, idle, name, "q=200000")
    thumb = volume_thumb(page)
    assert thumb.get_attribute("aria-valuetext") == "200K"
    assert marker_x(page) == 200_000
    before = readouts(page)
    runs = page.evaluate("() => window.__stRuns")
    thumb.focus()
    os.kill(app_server.pid, signal.SIGSTOP)
    try:
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)  # ample time for a rerun, were the server answering
        assert thumb.get_attribute("aria-valuetext") == "500K"
        assert marker_x(page) == 500_000
        moved = readouts(page)
        if name == "costs":  # (API latency does not depend on the volume: the p95 cards stay as they were)
            assert moved != before, "the read-outs did not change with the slider"
        assert page.evaluate("() => window.__stRuns") == runs, "a script run finished: the server answered"
        assert "q=200000" in page.url  # Python has not heard yet
    finally:
        os.kill(app_server.pid, signal.SIGCONT)
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '500000'", timeout=30_000)
    idle(page)
    assert readouts(page) == moved, "Python's read-outs differ from those the browser showed"
    assert marker_x(page) == 500_000
    # and back with the other arrow key: Python hears of a move back to an earlier volume too
    with rerun(page):
        thumb.focus()
        page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '200000'", timeout=30_000)
    assert readouts(page) == before
    assert problems_shown(page) == [] and page.js_errors == []


@pytest.mark.parametrize("name", ["costs", "latency"])
def test_a_shared_link_opens_the_volume_chart_at_its_volume(page, app_server, idle, name):
    open_page(page, app_server, idle, name, "q=2000000")
    assert volume_thumb(page).get_attribute("aria-valuetext") == "2M"
    assert marker_x(page) == 2_000_000
    if name == "costs":
        assert "2M queries a month" in readouts(page)[0]
    # one "Queries per month" control on the page: the sidebar does not repeat the chart's
    assert page.get_by_role("slider", name=VOLUME).count() == 0
    assert problems_shown(page) == []


@pytest.mark.parametrize("name", ["costs", "latency"])
def test_a_volume_move_reaches_the_header_the_link_and_the_other_pages(page, app_server, idle, rerun, name):
    """A move reruns only the page's body (a fragment), not the sidebar: what the sidebar does not redraw
    must still follow — the link at once, and the next page drawn (its own "Queries per month" slider)."""
    open_page(page, app_server, idle, name, "q=200000")
    header = main_area(page).locator("[data-testid='stCaptionContainer']").first
    assert "200K queries/month" in header.inner_text()
    thumb = volume_thumb(page)
    with rerun(page):
        thumb.focus()
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '500000'", timeout=30_000)
    assert "500K queries/month" in header.inner_text()
    go_to(page, rerun, "Decide")
    assert page.get_by_role("slider", name=VOLUME).get_attribute("aria-valuetext") == "500K"
    assert "q=500000" in page.url
    assert problems_shown(page) == [] and page.js_errors == []


def test_a_malformed_render_message_does_not_stop_the_volume_chart(page, app_server, idle, rerun):
    """A malformed component message (a render without steps, with null args, a step that is not one) stopped
    the volume chart until the page was reloaded; now it is ignored and the slider keeps moving the marker."""
    open_page(page, app_server, idle, "costs", "q=200000")
    assert marker_x(page) == 200_000
    page.evaluate(
        """() => { const w = document.querySelector(
                 "iframe[title='planner.ui.volume_chart.volume_chart']").contentWindow;
             for (const args of [null, {}, {spec: "{", steps: [], index: 0}, {spec: "{}", steps: [null], index: 0},
                                 {spec: "{}", steps: [{q: 1, cards: []}], index: 5}])
               w.postMessage({isStreamlitMessage: true, type: "streamlit:render", args: args}, "*"); }"""
    )
    page.wait_for_timeout(300)
    with rerun(page):
        thumb = volume_thumb(page)
        thumb.focus()
        page.keyboard.press("ArrowRight")
    assert volume_thumb(page).get_attribute("aria-valuetext") == "500K"
    assert marker_x(page) == 500_000
