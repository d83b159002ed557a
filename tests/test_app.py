"""The Streamlit app, page by page, with `streamlit.testing.v1.AppTest` (no browser): every page of the page
table opens and draws, the volume slider moves the chart, the metrics and the URL, presets, links and
scenario files load, Decide's answers change the recommendation, and the Report page offers the PDF.

Every test runs against a temporary copy of the default catalog (`PLANNER_CATALOG`), so a
save never touches the repository's file."""

from __future__ import annotations

import pytest

from planner.model.files import load_scenario
from planner.ui import pages
from planner.ui.tables import literal
from tests.apptest import (
    ROOT,
    all_charts,
    captions,
    chart,
    errors,
    go,
    metrics,
    open_sections,
    recommendation_text,
    set_volume,
    start,
    unescape,
    volume,
    volume_charts,
    volume_label,
)

# ------------------------------------------------------------------ every page


@pytest.mark.parametrize("page", pages.PAGES, ids=lambda p: p.url_path)
def test_every_page_runs_without_errors(catalog_file, page):
    """Every page of the app's table (`planner.ui.pages`) opens, titled as the table says, with the "Queries per
    month" control once: under the chart on a page that draws the volume chart, else in the sidebar."""
    at = start(catalog_file, page.url_path)
    assert not at.exception
    assert errors(at) == []
    assert [t.value for t in at.title] == [page.title]
    assert volume_label(at) == "Queries per month"
    on_chart, in_sidebar = len(volume_charts(at)), len([w for w in at.select_slider if w.key == "sb.q"])
    assert (on_chart, in_sidebar) == ((1, 0) if page.volume_on_chart else (0, 1))


def test_the_page_table_lists_every_page_script_once():
    """Each page script (a module of planner/ui that draws a page header) has one row, and each row a script;
    one page opens at "/"; titles and URL paths are unique (they name the navigation's links and addresses)."""
    scripts = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "planner" / "ui").glob("*.py")
        if p.name != "results.py" and "results.page_header(" in p.read_text(encoding="utf-8")
    }
    rows = [p.file for p in pages.PAGES]
    assert sorted(rows) == sorted(scripts) and len(set(rows)) == len(rows)
    assert [p.url_path for p in pages.PAGES if p.default] == ["decide"]
    assert len({p.title for p in pages.PAGES}) == len({p.url_path for p in pages.PAGES}) == len(pages.PAGES)
    assert [p.url_path for p in pages.PAGES if p.volume_on_chart] == ["costs", "latency"]
    assert pages.by_url_path("") == pages.by_url_path("decide") and pages.by_url_path("nowhere") is None


def test_pages_with_charts_draw_them(catalog_file):
    at = start(catalog_file, "costs")
    names = [t.get("name") for t in chart(at)["data"]]
    for label in ("Prompt only", "RAG", "Fine-tuned", "Hybrid"):
        assert names.count(label) == 1
    go(at, "latency")
    assert len(all_charts(at)) == 2


def test_every_costs_view_draws(catalog_file):
    at = start(catalog_file, "costs", query={"preset": "legal-qa"})
    assert "Architecture" in "\n".join(m.value for m in at.markdown)  # the numbers table, by default
    assert any("CSV" in b.proto.label for b in at.get("download_button"))
    for view, charts in [
        ("Breakdown at your volume", 2),
        ("Per 1,000 queries", 2),
        ("One-time and total cost", 2),
        ("Sensitivity", 2),
    ]:
        at.segmented_control(key="costs.view").set_value(view).run()
        assert not at.exception and errors(at) == []
        assert len(all_charts(at)) == charts, view
    # the tornado defaults to the recommended architecture and follows the picker
    rec = at.session_state["planner"].context_memo[1].recommendation.winner.key
    assert at.segmented_control(key="costs.sens_arch").value == rec
    at.segmented_control(key="costs.sens_arch").set_value("prompt_only").run()
    assert "Prompt only" in chart(at, 1)["layout"]["xaxis"]["title"]["text"]


# ------------------------------------------------------------------ the volume slider


def test_queries_slider_changes_the_chart_the_metrics_and_the_url(catalog_file):
    at = start(catalog_file, "costs")
    before_spec, before_metrics = chart(at), metrics(at)
    shape = next(s for s in before_spec["layout"]["shapes"] if s.get("name") == "current volume")
    assert shape["x0"] == 100_000

    set_volume(at, 1_000_000.0)
    assert not at.exception
    after_spec, after_metrics = chart(at), metrics(at)
    assert after_spec != before_spec
    shape = next(s for s in after_spec["layout"]["shapes"] if s.get("name") == "current volume")
    assert shape["x0"] == 1_000_000
    assert after_metrics != before_metrics
    assert set(after_metrics) == set(before_metrics) or len(after_metrics) == 4
    assert at.query_params.get("q") == "1000000"
    assert "1M queries/month" in captions(at)


def test_the_volume_is_the_same_on_every_page(catalog_file):
    at = start(catalog_file, "costs")
    set_volume(at, 5_000_000.0)
    for page in ("latency", "decide", "report", "costs"):
        go(at, page)
        assert volume(at) == 5_000_000
        assert "5M queries/month" in captions(at)


# ------------------------------------------------------------------ presets, the URL, scenario files


def test_selecting_a_preset_loads_it(catalog_file):
    at = start(catalog_file, "costs")
    at.selectbox(key="sb.preset").set_value("support-bot").run()
    assert not at.exception
    preset = load_scenario(ROOT / "scenarios" / "support-bot.yaml")
    assert literal(preset.name) in captions(at)
    assert volume(at) == preset.workload.queries_per_month
    assert at.query_params.get("preset") == "support-bot"
    assert "q" not in at.query_params  # the preset's own volume is not repeated
    budget = next(s for s in chart(at)["layout"]["shapes"] if s.get("name") == "budget")
    assert budget["y0"] == at.session_state["planner"].scenario.monthly_budget_usd > 0


def test_the_url_sets_the_scenario(catalog_file):
    at = start(catalog_file, "costs", query={"preset": "legal-qa", "q": "500000", "k": "8", "rerank": "no"})
    assert errors(at) == []
    preset = load_scenario(ROOT / "scenarios" / "legal-qa.yaml")
    assert literal(preset.name) in captions(at)
    open_sections(at, "retrieval", "stack")
    assert volume(at) == 500_000
    assert at.slider(key="sb.k").value == 8
    assert at.toggle(key="sb.rerank").value is False
    assert at.selectbox(key="sb.llm").value == preset.stack.llm  # from the preset
    s = at.session_state["planner"].scenario
    assert (s.workload.queries_per_month, s.workload.top_k, s.workload.rerank) == (500_000, 8, False)


def test_changing_a_control_writes_the_url_and_the_url_reproduces_it(catalog_file):
    at = start(catalog_file, "costs", query={"preset": "support-bot"})
    open_sections(at, "tokens")
    at.number_input(key="sb.tout").set_value(900).run()
    set_volume(at, 2_000_000.0)
    qp = dict(at.query_params)
    assert qp == {"preset": "support-bot", "tout": "900", "q": "2000000"}
    again = start(catalog_file, "costs", query=qp)
    assert again.session_state["planner"].scenario == at.session_state["planner"].scenario
    assert chart(again) == chart(at)


def test_a_bad_url_is_reported_not_raised(catalog_file):
    at = start(catalog_file, "decide", query={"q": "lots", "k": "0", "nonsense": "1", "preset": "nope"})
    assert not at.exception
    shown = "\n".join(unescape(w.value) for w in at.warning)
    assert "q=lots" in shown and "k=0" in shown and "nonsense" in shown and "nope" in shown
    assert at.select_slider(key="sb.q").value == 100_000


def test_a_scenario_file_uploads(catalog_file):
    at = start(catalog_file, "costs")
    open_sections(at, "file")
    path = ROOT / "scenarios" / "ticket-classification.yaml"
    uploaded = load_scenario(path)
    at.file_uploader(key="sb.upload").set_value(("tickets.yaml", path.read_bytes(), "application/x-yaml")).run()
    assert not at.exception and errors(at) == []
    assert uploaded.name in captions(at)
    assert volume(at) == uploaded.workload.queries_per_month
    at.file_uploader(key="sb.upload").set_value(("bad.yaml", b"workload:\n  top_k: -3\n", "application/x-yaml")).run()
    assert not at.exception
    assert any("top_k" in e and "line 2" in e for e in errors(at))
    assert uploaded.name in captions(at)  # unchanged


# ------------------------------------------------------------------ Decide


def test_answering_a_question_changes_the_recommendation(catalog_file):
    at = start(catalog_file, "decide")
    before = recommendation_text(at)
    # unanswered: the assumed knowledge base (10,000 × 1,000 tokens) is measured against the model's window,
    # and said to be assumed
    assert "By the assumed size, not yours: no. Long context is ruled out" in captions(at)
    assert "assumed** (a default nobody gave): give your knowledge base's size" in captions(at)
    at.selectbox(key="dq.gap").set_value("knowledge").run()
    at.segmented_control(key="dq.citations_required").set_value("yes").run()
    assert not at.exception and errors(at) == []
    after = recommendation_text(at)
    assert after != before
    assert "Recommended" in after and ":blue[**RAG**]" in after
    s = at.session_state["planner"].scenario
    assert s.answers.gap.value == "knowledge" and s.answers.citations_required is True
    assert at.query_params.get("gap") == "knowledge" and at.query_params.get("cite") == "yes"
    # unanswered questions show no button selected (the page says "0 of N answered" before any answer)
    assert at.segmented_control(key="dq.consistent_voice").value is None
    # clearing the selection clears the answer
    at.segmented_control(key="dq.citations_required").set_value(None).run()
    assert at.session_state["planner"].scenario.answers.citations_required is None
    assert "cite" not in at.query_params


def test_a_linked_answer_moves_the_sidebar(catalog_file):
    at = start(catalog_file, "decide")
    open_sections(at, "targets")
    at.number_input(key="dq.monthly_budget_usd").set_value(2500.0).run()
    assert at.number_input(key="sb.budget").value == 2500
    at.number_input(key="dq.queries_per_month").set_value(300_000.0).run()
    assert at.select_slider(key="sb.q").value == 300_000
    go(at, "costs")
    budget = next(s for s in chart(at)["layout"]["shapes"] if s.get("name") == "budget")
    assert budget["y0"] == 2500


# ------------------------------------------------------------------ Report


def test_report_page_offers_the_pdf(catalog_file):
    at = start(catalog_file, "report")
    buttons = at.get("download_button")
    assert any("Download PDF report" in b.proto.label for b in buttons)
    assert any(t.value == "Key numbers" for t in at.subheader)
