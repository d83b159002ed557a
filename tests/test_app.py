"""The Streamlit app, page by page, with `streamlit.testing.v1.AppTest` (no browser).

Every test runs against a temporary copy of the default catalog (`PLANNER_CATALOG`), so a
save never touches the repository's file.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from planner.model.files import load_scenario
from planner.ui import pages
from planner.ui.tables import literal
from tests.apptest import (
    ROOT,
    all_charts,
    captions,
    chart,
    deltas,
    errors,
    go,
    metrics,
    open_sections,
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


def _recommendation_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_answering_a_question_changes_the_recommendation(catalog_file):
    at = start(catalog_file, "decide")
    before = _recommendation_text(at)
    # unanswered: the assumed knowledge base (10,000 × 1,000 tokens) is measured against the model's window,
    # and said to be assumed
    assert "By the assumed size, not yours: no. Long context is ruled out" in captions(at)
    assert "assumed** (a default nobody gave): give your knowledge base's size" in captions(at)
    at.selectbox(key="dq.gap").set_value("knowledge").run()
    at.segmented_control(key="dq.citations_required").set_value("yes").run()
    assert not at.exception and errors(at) == []
    after = _recommendation_text(at)
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


# ------------------------------------------------------------------ the sidebar


SECTIONS = ("tokens", "knowledge", "retrieval", "tuning", "stack", "assumptions", "targets", "file")


def test_every_sidebar_control_has_help_and_a_unit_or_name(catalog_file):
    at = start(catalog_file, "decide")  # on Costs and Latency "Queries per month" sits under the chart instead
    open_sections(at, *SECTIONS)
    assert errors(at) == []
    widgets = [
        w for w in at.sidebar if hasattr(w, "proto") and hasattr(w.proto, "help") and getattr(w.proto, "label", "")
    ]
    assert len(widgets) >= 20
    for w in widgets:
        assert w.proto.help.strip(), w.proto.label
    labels = {w.proto.label for w in widgets}
    assert "Queries per month" in labels
    assert {"Chunk size (tokens)", "Monthly budget (USD per month)", "Latency target (p95, ms)"} <= labels


def test_switching_to_self_hosted_picks_compatible_entries_or_names_the_field(catalog_file):
    at = start(catalog_file, "costs")
    open_sections(at, "stack")
    cat = at.session_state["planner"].catalog_memo[1]
    # start from a fine-tuning offer on a closed model, so both the LLM and the offer must change
    closed = next(k for k, o in cat.fine_tune_offers.items() if not cat.llms[o.base_llm].open_weights)
    at.selectbox(key="sb.ft").set_value(closed).run()
    at.radio(key="sb.serving").set_value("self_hosted").run()
    assert not at.exception and errors(at) == []
    s = at.session_state["planner"].scenario
    cat = at.session_state["planner"].catalog_memo[1]
    offer = cat.fine_tune_offers[s.stack.fine_tune]
    assert s.stack.serving == "self_hosted"
    assert cat.llms[s.stack.llm].open_weights and cat.llms[offer.base_llm].open_weights
    said = unescape("\n".join(i.value for i in at.info))
    assert "the stack changed" in said and "Fine-tuning offer →" in said and "LLM →" in said
    assert at.selectbox(key="sb.gpu")  # the GPU picker appears for self-hosted serving
    assert len(all_charts(at)) >= 1  # the page is priced, not blank
    # self-hosted, the pickers offer open weights only
    assert all("open weights" in o for o in at.selectbox(key="sb.llm").options)
    assert cat.fine_tune_offers[closed].name not in at.selectbox(key="sb.ft").options
    # the dead end a link can still reach: an open model, but a fine-tuning offer on a closed one — fine-tuned
    # and hybrid are ruled out, the offer named with the offers that would fit; the others are still priced
    at = start(catalog_file, "costs", query={"serving": "self_hosted", "llm": s.stack.llm, "ft": closed})
    assert not at.exception and errors(at) == []
    said = unescape("\n".join(i.value for i in at.info))
    assert f"Fine-tuned and hybrid are ruled out: stack.fine_tune: the fine-tuning offer `{closed}` tunes" in said
    assert "offers on an open-weights base: `" in said
    assert "stack.llm:" not in said  # the LLM is fine: only the field to change is named
    names = {t.get("name") for t in all_charts(at)[0]["data"]}
    assert {"Prompt only", "RAG"} <= names and not {"Fine-tuned", "Hybrid"} & names


def test_user_text_is_shown_literally_never_as_markup(catalog_file):
    at = start(catalog_file, "report")
    open_sections(at, "file")
    name = "![x](http://example.invalid/x.png) <b>$1$</b>"
    text = f"name: '{name}'\ndescription: '[click](javascript:alert(1))'\n".encode()
    at.file_uploader(key="sb.upload").set_value(("evil.yaml", text, "application/x-yaml")).run()
    assert not at.exception and errors(at) == []
    shown = "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])
    assert "![x](" not in shown and "[click](" not in shown and "<b>" not in shown
    assert r"\!\[x\]\(http\:" + "\u2060" + r"\/\/example\.invalid\/x\.png\)" in shown
    assert at.session_state["planner"].scenario.name == name


# ------------------------------------------------------------------ every answer counts; the verdict on every page


def test_the_linked_numbers_answered_on_decide_fire_rules_and_count(catalog_file):
    at = start(catalog_file, "decide")
    assert at.number_input(key="dq.labeled_examples").value is None  # not answered until the user says
    at.number_input(key="dq.labeled_examples").set_value(20).run()
    at.number_input(key="dq.queries_per_month").set_value(5_000_000.0).run()
    assert not at.exception and errors(at) == []
    s = at.session_state["planner"].scenario
    assert s.answers.labeled_examples == 20 and s.answers.queries_per_month == 5_000_000
    assert s.fine_tuning.training_examples == 20 and s.workload.queries_per_month == 5_000_000
    progress = at.get("progress")[0].proto.text
    from planner.questionnaire import QUESTIONS

    assert progress == f"2 of {len(QUESTIONS)} answered"
    text = unescape(_recommendation_text(at))
    assert "Only 20 good examples" in text  # too_few_examples: fine-tuned and hybrid ruled out
    assert "5,000,000 queries a month" in text  # high_volume
    assert "No rule has fired yet" not in captions(at)
    assert "Fine-tuned**] — ruled out" in text and "Hybrid**] — ruled out" in text
    # the PDF built from this session lists both as answered
    import io

    from pypdf import PdfReader

    from planner.report import build_report

    pdf = build_report(at.session_state["planner"].catalog_memo[1], s)
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "How many high-quality input/output examples do you have? 20" in pdf_text
    assert "How many queries a month do you expect? 5,000,000" in pdf_text
    assert pdf_text.count("not answered") == len(QUESTIONS) - 2  # these 2 answered
    # clearing un-answers them, the estimate keeps the numbers
    next(b for b in at.button if b.label == "Clear answers").click().run()
    s = at.session_state["planner"].scenario
    assert s.answers.labeled_examples is None and s.workload.queries_per_month == 5_000_000


def test_no_verdict_before_any_answer_and_the_scores_explain_themselves(catalog_file):
    at = start(catalog_file, "decide")
    text = _recommendation_text(at)
    assert "No verdict yet" in text
    assert "Recommended" not in text and "Leading" not in text and "score" not in text
    assert "simplest first" in captions(at) and "+4 or more" in captions(at)
    at.selectbox(key="dq.gap").set_value("knowledge").run()
    at.segmented_control(key="dq.citations_required").set_value("yes").run()
    text = _recommendation_text(at)
    assert "No verdict yet" not in text
    ranked = [m.value for m in at.markdown if re.match(r"^\d\. :", m.value)]
    assert len(ranked) == 5 and ranked[-1].endswith("Fine-tuned**] — ruled out")  # last, and no score
    assert all("score" in line for line in ranked if "ruled out" not in line)
    bullets = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(bullets) == len(set(bullets))  # no reason twice on the page


def test_costs_never_badges_a_ruled_out_option_cheapest_and_shows_the_verdict_and_budget(catalog_file):
    from planner.presentation import verdict

    at = start(catalog_file, "costs", query={"preset": "support-bot"})
    s = at.session_state["planner"].scenario
    shown = deltas(at)
    # prompt only is the cheapest of all, but the knowledge does not fit in a prompt: ruled out
    assert shown["Prompt only"] == "ruled out" and shown["Fine-tuned"] == "ruled out"
    assert shown["RAG"] == "cheapest"
    box = unescape("\n".join(i.value for i in at.info))
    assert "Recommended: RAG" in box and "Ruled out: Long context, Fine-tuned, Prompt only." in box
    cat = at.session_state["planner"].catalog_memo[1]
    q = verdict.budget_crossings(cat, s, "rag").first_over
    from planner.model import format as fmt

    assert f"RAG stays under the {fmt.usd(s.monthly_budget_usd)} budget up to {q:,.0f} queries a month" in box
    go(at, "latency")
    box = unescape("\n".join(i.value for i in at.info))
    assert "Recommended: RAG" in box and f"up to {q:,.0f} queries a month" in box


def test_decisive_assumptions_are_settable_in_the_sidebar_the_url_and_the_file(catalog_file):
    from pypdf import PdfReader

    from planner.model.files import parse_scenario, scenario_yaml
    from planner.report import build_report

    at = start(catalog_file, "costs")
    open_sections(at, "one_time")
    at.text_input(key="sb.name").set_value("Support bot for the VP").run()
    at.number_input(key="sb.day_usd").set_value(1000.0).run()
    at.number_input(key="sb.days_rag").set_value(10.0).run()
    at.number_input(key="sb.label_usd").set_value(0.5).run()
    assert not at.exception and errors(at) == []
    s = at.session_state["planner"].scenario
    assert s.name == "Support bot for the VP"
    assert s.one_time.usd_per_engineering_day == 1000 and s.one_time.engineering_days.rag == 10
    assert s.one_time.labeling_usd_per_example == 0.5
    est = at.session_state["planner"].context_memo[1].estimate
    assert est.current["rag"].one_time_usd["engineering"] == 10 * 1000  # 10 days × $1,000
    qp = dict(at.query_params)
    assert qp["name"] in ("Support bot for the VP", ["Support bot for the VP"])
    assert "one_time.usd_per_engineering_day" in qp and "one_time.engineering_days.rag" in qp
    assert "one_time.labeling_usd_per_example" in qp
    assert parse_scenario(scenario_yaml(s), "s.yaml") == s  # the file carries them
    pdf = build_report(at.session_state["planner"].catalog_memo[1], s)
    first = PdfReader(__import__("io").BytesIO(pdf)).pages[0].extract_text()
    assert "Support bot for the VP" in first and "Untitled scenario" not in first
    # a link opened elsewhere rebuilds the same scenario
    other = start(catalog_file, "costs", query={k: (v[0] if isinstance(v, list) else v) for k, v in qp.items()})
    assert other.session_state["planner"].scenario == s


def test_latency_page_shows_first_token_and_full_answer_and_what_the_limit_bounds(catalog_file):
    from planner.engine import estimate
    from planner.model.format import ms
    from pricing.loader import load_catalog

    at = start(catalog_file, "latency", query={"preset": "support-bot", "p95": "1000", "p95_to": "first_token"})
    shown = metrics(at)
    s = load_scenario(ROOT / "scenarios" / "support-bot.yaml").with_changes(
        latency_target_p95_ms=1000, latency_limit_applies_to="first_token"
    )
    est = estimate(load_catalog(catalog_file), s)
    rag = est.current["rag"]
    assert shown["RAG · p95 first token"] == ms(rag.first_token_p95_ms)
    table = at.dataframe[0].value
    row = table[table["Architecture"] == "RAG"].iloc[0]
    assert row["Full answer p95"] == ms(rag.latency_p95_ms) and row["First token p50"] == ms(rag.first_token_p50_ms)
    # an older link's one limit on the first token is the first-token limit (the full answer has none)
    assert f"p95 {ms(1000)} on the first token" in captions(at)
    open_sections(at, "targets")
    assert at.number_input(key="sb.ttft").value == 1000


# ------------------------------------------------------------------ lifecycle


def test_a_shut_down_model_is_named_with_a_switch_to_its_replacement(tmp_path, monkeypatch, mini_catalog_text):
    anchor = '    output_tokens_per_second: {value: 100, source: "test", checked: 2026-11-01}\n  small:\n'
    assert mini_catalog_text.count(anchor) == 1
    life = (
        "    lifecycle:\n      shuts_down_on: 2020-01-01\n      replacement: small\n"
        '      source: "vendor page"\n      checked: 2026-11-01\n'
    )
    path = tmp_path / "catalog.yaml"
    path.write_text(mini_catalog_text.replace(anchor, anchor.replace("  small:\n", "") + life + "  small:\n"))
    monkeypatch.setenv("PLANNER_CATALOG", str(path))
    stack = {"llm": "big", "ft": "ft-lora", "emb": "emb", "vs": "pine", "rr": "rr", "gpu": "gpu"}
    at = start(path, "costs", query=stack)
    shown = [unescape(w.value) for w in at.warning]
    named = [w for w in shown if "LLM Big model (`big`) was shut down on 2020-01-01" in w]
    assert len(named) == 1, shown  # once, in the page header (the Costs page does not repeat it)
    assert "its replacement: Small open model (`small`)" in named[0]
    button = at.button(key="lifecycle.switch.llm")
    assert button.label == "Switch to Small open model"
    button.click().run()
    assert not at.exception
    assert not any("was shut down" in unescape(w.value) for w in at.warning)
    assert any("Switched to Small open model" in unescape(s.value) for s in at.success)


def test_caching_batch_routing_and_candidate_widgets_set_the_scenario(catalog_file):
    from planner.ui.session import KEY

    at = start(catalog_file, "costs")
    open_sections(at, "tokens", "retrieval", "assumptions")
    # unset: candidates follow top-k, the cache hit share comes from traffic
    assert at.number_input(key="sb.cands").value is None and at.number_input(key="sb.cache").value is None
    assert at.slider(key="sb.route").value == 100.0 and at.slider(key="sb.batch").value == 0.0
    at.number_input(key="sb.cands").set_value(50).run()
    at.slider(key="sb.route").set_value(40.0).run()
    at.slider(key="sb.batch").set_value(50.0).run()
    at.number_input(key="sb.cache").set_value(80.0).run()
    assert not at.exception, [e.value for e in at.exception]
    w = at.session_state[KEY].scenario.workload
    assert (w.rerank_candidates_per_query, w.retrieval_query_share, w.batch_query_share, w.cache_hit_share) == (
        50,
        0.4,
        0.5,
        0.8,
    )
    assert at.query_params["cands"] == ["50"] or at.query_params["cands"] == "50"


def test_a_price_change_inside_the_horizon_is_said_on_costs_and_decide(catalog_file):
    # Gemini 4 Argon doubles its prices on 2026-12-01: a horizon from 2026-11-01 meets the change
    query = {"preset": "support-bot", "llm": "gemini-4-argon", "start": "2026-11-01"}
    at = start(catalog_file, "costs", query=query)
    assert at.session_state["planner"].scenario.start_date.isoformat() == "2026-11-01"
    said = [w.value for w in at.warning if literal("changes its prices on 2026-12-01") in w.value]
    assert len(said) == 1 and literal("input $2 → $4") in said[0]
    go(at, "decide")
    notes = [i.value for i in at.info if literal("Prices change inside the horizon") in i.value]
    assert len(notes) == 1 and literal("from 2026-12-01, $") in notes[0]
