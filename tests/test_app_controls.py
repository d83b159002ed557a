"""The app's sidebar and what every answer moves, with `streamlit.testing.v1.AppTest` (no browser): every
control has help and a unit, self-hosting picks compatible entries, user text is shown literally, linked
answers fire rules, the verdict and budget show on every page, decisive assumptions are settable, and a
model's shutdown or price change inside the horizon is said.

Every test runs against a temporary copy of the default catalog (`PLANNER_CATALOG`), so a
save never touches the repository's file."""

from __future__ import annotations

import re

from planner.engine.serving_fit import closed_offer_problem
from planner.model.files import load_scenario
from planner.ui.tables import literal
from tests.apptest import (
    ROOT,
    all_charts,
    captions,
    deltas,
    errors,
    go,
    metrics,
    open_sections,
    recommendation_text,
    start,
    unescape,
)

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
    linked = s.with_changes(**{"stack.fine_tune": closed})
    assert f"Fine-tuned and hybrid are ruled out: {closed_offer_problem(cat, linked)}." in said
    assert "choose one of " in said
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
    text = unescape(recommendation_text(at))
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
    text = recommendation_text(at)
    assert "No verdict yet" in text
    assert "Recommended" not in text and "Leading" not in text and "score" not in text
    assert "simplest first" in captions(at) and "+4 or more" in captions(at)
    at.selectbox(key="dq.gap").set_value("knowledge").run()
    at.segmented_control(key="dq.citations_required").set_value("yes").run()
    text = recommendation_text(at)
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
