"""The PDF report: valid, complete, faithful to the engine, safe with hostile text, reproducible.

Text is read back with pypdf and compared with the engine's own numbers, formatted with
`planner.model.format` exactly as the report prints them. Extracted text breaks lines where the
PDF wraps them, so comparisons collapse whitespace (`_norm`) or, for URLs that wrap inside
a cell, remove it (`_squash`).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pypdf import PdfReader

from planner.engine import estimate
from planner.model.files import SCENARIOS_DIR, load_scenario
from planner.model.format import count, ms, usd
from planner.model.vocabulary import COLORS, LABELS
from planner.report import PRODUCT, build_report

TODAY = date(2026, 11, 22)
PRESETS = sorted(SCENARIOS_DIR.glob("*.yaml"))
HOSTILE = "<b>Q&A</b> & <script>"


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def support(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    est = estimate(catalog, scenario)
    from planner.questionnaire import recommend

    rec = recommend(scenario, estimate=est)
    pdf = build_report(catalog, scenario, estimate=est, recommendation=rec, today=TODAY, invariant=True)
    return scenario, est, rec, pdf, _norm("\n".join(_pages(pdf)))


@pytest.fixture(scope="module")
def legal(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "legal-qa.yaml")
    est = estimate(catalog, scenario)
    pdf = build_report(catalog, scenario, estimate=est, today=TODAY, invariant=True)
    return scenario, est, pdf, _norm("\n".join(_pages(pdf)))


# ------------------------------------------------------------------ a valid, complete document


def test_pdf_is_valid_with_numbered_pages(support):
    scenario, _, _, pdf, _ = support
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    n = len(reader.pages)
    assert n >= 3
    for i, page in enumerate(reader.pages, 1):
        text = _norm(page.extract_text())
        assert f"Page {i} of {n}" in text
        assert PRODUCT in text  # header on every page
        assert scenario.name in text  # the scenario's name in every header
    assert reader.metadata.title.startswith(scenario.name)


def test_title_block(support, catalog):
    scenario, _, _, _, text = support
    assert scenario.name in text
    assert _norm(scenario.description) in text
    assert "22 November 2026" in text
    assert f"version {catalog.version}, dated {catalog.date}" in text


def test_recommendation_ranking_reasons_plan_and_findings(support):
    _, _, rec, _, text = support
    w = rec.winner
    assert f"Recommendation: {w.label} ({w.verdict}, score {w.score:+d})" in text
    for n, r in enumerate(rec.ranking, 1):
        if r.ruled_out:  # its score does not rank it: none shown
            assert f"{n}. {r.label} ruled out" in text and f"{n}. {r.label} ruled out score" not in text
        else:
            assert f"{n}. {r.label} {r.verdict} score {r.score:+d}" in text
    for reason in rec.reasons:
        assert _norm(getattr(reason, "text", reason)) in text
    for t in rec.watch_outs:
        assert _norm(t) in text
    for step in rec.plan:
        assert _norm(step.text) in text
    for stage in {s.stage for s in rec.plan}:
        assert stage.capitalize() in text
    for f in rec.findings:
        assert _norm(f) in text


def test_answers_behind_the_reasons(support):
    scenario, _, _, _, text = support
    from planner.questionnaire import QUESTIONS

    for q in QUESTIONS:
        assert _norm(q.text) in text
    a = scenario.answers
    assert "not answered" in text or all(getattr(a, q.id) is not None for q in QUESTIONS)


def test_monthly_cost_of_every_architecture_as_formatted(support):
    _, est, _, _, text = support
    totals = " ".join(usd(est.current[a].monthly_usd) for a in est.priced)
    assert f"Total per month {totals}" in text
    per_1k = " ".join(usd(est.current[a].usd_per_1k_queries) for a in est.priced)
    assert f"Per 1,000 queries {per_1k}" in text
    tco = " ".join(usd(est.current[a].tco_usd) for a in est.priced)
    assert f"TCO over {est.scenario.horizon_months} months {tco}" in text
    one = " ".join(usd(est.current[a].one_time_total_usd) for a in est.priced)
    assert f"One-time total {one}" in text
    p = " ".join(f"{ms(est.current[a].latency_p50_ms)} / {ms(est.current[a].latency_p95_ms)}" for a in est.priced)
    assert f"Whole answer {p}" in text


def _check_component_rows(est, text):
    from planner.model.vocabulary import COMPONENT_LABELS

    for k, label in COMPONENT_LABELS.items():
        vals = [est.current[a].components_usd[k] for a in est.priced]
        if any(v > 0 for v in vals):
            # as `usd` formats it; sub-cent amounts read "< $0.01" (usd would print "$2e-05")
            row = " ".join(("< $0.01" if v < 0.005 else usd(v)) if v > 0 else "–" for v in vals)
            assert f"{label} {row}" in text
    totals = " ".join(usd(est.current[a].monthly_usd) for a in est.priced)
    assert f"Total per month {totals}" in text


def test_component_rows_match_the_engine(support):
    _, est, _, _, text = support
    _check_component_rows(est, text)


def test_break_even_volumes_as_formatted(legal):
    _, est, _, text = legal
    assert est.break_evens, "legal-qa has break-evens in the default catalog"
    for n, be in enumerate(est.break_evens, 1):
        assert f"{n} {LABELS[be.a]} and {LABELS[be.b]} {count(be.queries_per_month)} {usd(be.usd_per_month)}" in text
        assert _norm(be.describe()) in text


def test_no_break_even_is_said_plainly(support):
    _, est, _, _, text = support
    if not est.break_evens:
        assert "No two architectures' monthly costs cross" in text


def test_sensitivity_top_inputs_of_the_winner(support):
    _, est, rec, _, text = support
    rows = est.sensitivity[rec.winner.key][:8]
    assert rows
    for r in rows:
        assert f"{r.label} {usd(r.low_usd)} {usd(r.base_usd)} {usd(r.high_usd)} {usd(r.swing_usd)}" in text


def test_budget_and_latency_limit_are_shown(support):
    scenario, _, _, _, text = support
    assert f"budget {usd(scenario.monthly_budget_usd)}/month" in text
    assert f"p95 limit {ms(scenario.latency_target_p95_ms)}" in text
    assert f"Planned: {count(scenario.workload.queries_per_month)}/month" in text


def test_every_scenario_input_is_listed(support):
    scenario, _, _, _, text = support
    w = scenario.workload
    for label, value in [
        ("Queries per month", f"{w.queries_per_month:,.0f}"),
        ("Chunk tokens", f"{w.chunk_tokens:,.0f}"),
        ("Training examples", f"{scenario.fine_tuning.training_examples:,}"),
        ("Horizon months", f"{scenario.horizon_months} months"),
        ("Engineering days: Hybrid", f"{scenario.one_time.engineering_days.hybrid:,.0f}"),
    ]:
        assert f"{label} {value}" in text
    for section in ("Workload", "Fine-tuning plan", "Stack", "One-time costs", "Horizon, budget and limits"):
        assert section in text


# ------------------------------------------------------------------ catalog figures: sources, dates, flags


def test_sources_and_checked_dates_of_the_figures_used(support):
    _, est, _, pdf, text = support
    squashed = _squash("".join(_pages(pdf)))
    sources = {u.figure.source for u in est.prices_used}
    urls = {s for s in sources if s.startswith("http")}
    assert len(urls) >= 3
    for s in sources:
        assert _squash(s) in squashed, s
    for u in est.prices_used:
        assert str(u.figure.checked) in text


def test_stale_and_unverified_figures_are_flagged(support):
    _, est, _, _, text = support
    stale = [u for u in est.prices_used if u.figure.is_stale(TODAY)]
    unverified = [u for u in est.prices_used if not u.figure.verified]
    assert stale and unverified, "the default catalog has both (a weak test otherwise)"
    for u in stale:
        assert f"stale ({u.figure.age_days(TODAY):,} days)" in text
    assert text.count("stale (") == len(stale)
    assert text.count("unverified") >= len(unverified)
    assert f"{len(stale)} {'was' if len(stale) == 1 else 'were'} checked more than 180 days before" in text


def test_staleness_is_judged_against_the_report_date(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    est = estimate(catalog, scenario)
    oldest = min(u.figure.checked for u in est.prices_used)
    text = _norm("\n".join(_pages(build_report(catalog, scenario, estimate=est, today=oldest, invariant=True))))
    assert "stale (" not in text
    assert "0 were checked more than 180 days before" in text


# ------------------------------------------------------------------ hostile and long text


def test_hostile_scenario_text_appears_literally(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml").model_copy(
        update={
            "name": HOSTILE,
            "description": "</para><para> <font size=90>big</font> &amp; &lt; \x07 unclosed <i> tag → ⇒ ✓",
        }
    )
    pdf = build_report(catalog, scenario, today=TODAY, invariant=True)
    pages = _pages(pdf)
    text = _norm("\n".join(pages))
    assert HOSTILE in text
    assert "</para><para> <font size=90>big</font> &amp; &lt;" in text
    assert "unclosed <i> tag" in text
    assert all(HOSTILE in _norm(p) for p in pages)  # in every page header too


def test_hostile_catalog_text_appears_literally(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    key = scenario.stack.llm
    llm = catalog.llms[key]
    fig = llm.input_usd_per_1m_tokens.model_copy(
        update={
            "source": "https://example.com/<b>prices</b>?a=1&b=2",
            "note": "<para>note & </font>",
        }
    )
    evil = llm.model_copy(update={"name": "<i>Evil</i> & LLM", "input_usd_per_1m_tokens": fig})
    cat = catalog.model_copy(update={"llms": {**catalog.llms, key: evil}})
    pdf = build_report(cat, scenario, today=TODAY, invariant=True)
    text = _norm("\n".join(_pages(pdf)))
    assert "<i>Evil</i> & LLM" in text
    assert "<para>note & </font>" in text
    assert _squash("https://example.com/<b>prices</b>?a=1&b=2") in _squash(text)


def test_long_names_and_descriptions_wrap_inside_the_page(catalog):
    long_word = "Supercalifragilistic" * 10  # 200 characters, no space to break at
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml").model_copy(
        update={
            "name": long_word,
            "description": ("A long description that goes on. " * 120) + "x" * 1500,
        }
    )
    llm = catalog.llms[scenario.stack.llm]
    fig = llm.input_usd_per_1m_tokens.model_copy(
        update={
            "source": "https://example.com/" + "/".join(["a-very-long-path-segment"] * 15) + "?q=" + "z" * 120,
            "note": "n" * 900,
        }
    )
    long_llm = llm.model_copy(update={"name": "Model-" + "y" * 150, "input_usd_per_1m_tokens": fig})
    cat = catalog.model_copy(update={"llms": {**catalog.llms, scenario.stack.llm: long_llm}})
    pdf = build_report(cat, scenario, today=TODAY, invariant=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    squashed = _squash("".join(p.extract_text() for p in reader.pages))
    assert long_word in squashed
    assert _squash(fig.source) in squashed
    # every piece of text starts inside the page
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        spots = []

        def visit(text, cm, tm, font_dict, font_size, spots=spots):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                spots.append((x, y))

        page.extract_text(visitor_text=visit)
        assert spots
        for x, y in spots:
            assert -1 <= x <= width and -1 <= y <= height


# ------------------------------------------------------------------ options and presets


def test_invariant_mode_is_byte_identical(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    a = build_report(catalog, scenario, today=TODAY, invariant=True)
    b = build_report(catalog, scenario, today=TODAY, invariant=True)
    assert a == b


def test_precomputed_inputs_render_the_same_report(support, catalog):
    scenario, _, _, pdf, _ = support
    assert build_report(catalog, scenario, today=TODAY, invariant=True) == pdf


def test_default_date_is_today(catalog):
    from planner.report.text import long_date

    scenario = load_scenario(SCENARIOS_DIR / "ticket-classification.yaml")
    text = _norm("\n".join(_pages(build_report(catalog, scenario))))
    assert long_date(date.today()) in text


def test_the_package_entry_point(catalog):
    import planner

    scenario = load_scenario(SCENARIOS_DIR / "legal-qa.yaml")
    assert planner.build_report(catalog, scenario, today=TODAY, invariant=True).startswith(b"%PDF-")


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_every_preset_builds(catalog, path):
    scenario = load_scenario(path)
    est = estimate(catalog, scenario)
    pdf = build_report(catalog, scenario, estimate=est, today=TODAY, invariant=True)
    text = _norm("\n".join(_pages(pdf)))
    assert scenario.name in text
    _check_component_rows(est, text)


@pytest.mark.parametrize(
    "changes",
    [
        {},  # the default scenario: no answers, no budget, no limit
        {"workload.queries_per_month": 0},  # nothing to mark on a log axis
        {"workload.queries_per_month": 5e8},  # beyond the charted range
        {"monthly_budget_usd": 0},
        {
            "stack.serving": "self_hosted",
            "stack.llm": "together-llama-3.1-8b",
            "stack.fine_tune": "together-llama-3.1-8b-lora",
            "stack.gpu": "runpod-h100-sxm",
        },
    ],
    ids=["default", "zero-volume", "beyond-range", "zero-budget", "self-hosted"],
)
def test_edge_scenarios_build(catalog, changes):
    from planner.model.scenario import Scenario

    scenario = Scenario().with_changes(**changes) if changes else Scenario()
    pdf = build_report(catalog, scenario, today=TODAY, invariant=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 3


def test_fonts_are_embedded_vera(support):
    _, _, _, pdf, text = support
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert fonts and all("Vera" in f for f in fonts), fonts
    assert "Range (low–high)" in text  # an en dash, drawn by the embedded font


# ------------------------------------------------------------------ rendered pages


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_rendered_pages_are_not_blank_and_show_the_charts(support, tmp_path):
    Image = pytest.importorskip("PIL.Image")
    _, est, _, pdf, _ = support
    src = tmp_path / "report.pdf"
    src.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(src), str(tmp_path / "page")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(PdfReader(io.BytesIO(pdf)).pages)
    seen = {a: 0 for a in est.priced}  # an architecture ruled out has no curve
    targets = {a: tuple(int(COLORS[a][i : i + 2], 16) for i in (1, 3, 5)) for a in est.priced}
    for png in pngs:
        with Image.open(png) as img:
            px = np.asarray(img.convert("RGB"), dtype=int)
        h, w, _ = px.shape
        assert w > 300 and h > 400
        ink = (px.sum(axis=2) < 600).mean()
        assert ink > 0.003, f"{png.name} looks blank ({ink:.2%} ink)"
        for a, rgb in targets.items():
            seen[a] += int((np.abs(px - np.array(rgb)).sum(axis=2) < 40).sum())
    for a, n in seen.items():
        assert n > 200, f"hardly any {LABELS[a]} colour ({COLORS[a]}) on the rendered pages: {n} pixels"


# ------------------------------------------------------------------ the verdict explained, the budget, every answer


def test_first_page_explains_the_scores_and_shows_the_budget_crossing_and_the_ruled_out(support, catalog):
    from planner.presentation import verdict
    from planner.questionnaire import scoring_text

    scenario, est, rec, pdf, _ = support
    first = _norm(_pages(pdf)[0])
    assert _norm(scoring_text()) in first  # thresholds and the tie-break, beside the verdict
    out = [r.label for r in rec.ranking if r.ruled_out]
    assert out and f"Ruled out: {', '.join(out)}." in first
    q = verdict.budget_crossings(catalog, scenario, rec.winner.key).first_over
    assert f"up to {q:,.0f} queries a month" in first
    for r in rec.ranking:
        if r.ruled_out:
            assert f"{r.label} (ruled out" not in first  # listed without a score, never as a runner-up


def test_no_verdict_before_any_answer_in_the_pdf(catalog):
    from planner.model.scenario import Scenario

    text = _norm(_pages(build_report(catalog, Scenario(), today=TODAY, invariant=True))[0])
    assert "No recommendation yet: no question answered." in text
    assert "Recommendation: Prompt only (viable" not in text


def test_answered_linked_numbers_are_not_listed_as_not_answered(catalog):
    from planner.model.scenario import Scenario

    s = Scenario.model_validate({"answers": {"labeled_examples": 20, "queries_per_month": 5_000_000}})
    text = _norm("\n".join(_pages(build_report(catalog, s, today=TODAY, invariant=True))))
    assert "How many high-quality input/output examples do you have? 20" in text
    assert "How many queries a month do you expect? 5,000,000" in text
    assert "Only 20 good examples" in text  # the rule they fire
    from planner.questionnaire import QUESTIONS

    assert text.count("not answered") == len(QUESTIONS) - 2  # 2 answered


def test_weak_evidence_under_the_pick_is_said_on_the_first_page(mini_catalog_text):
    from planner.model.scenario import Scenario
    from pricing.loader import parse_catalog

    cat = parse_catalog(
        mini_catalog_text.replace(
            '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01}',
            '    usd_per_1k_searches: {value: 2, source: "test", checked: 2026-11-01, verified: false}',
        ),
        "mini.yaml",
    ).catalog
    stack = {"embedding_model": "emb", "vector_store": "pine", "reranker": "rr", "llm": "small", "fine_tune": "ft-api"}
    s = Scenario.model_validate(
        {"stack": stack, "answers": {"gap": "knowledge", "citations_required": True, "knowledge_change": "daily"}}
    )
    first = _norm(_pages(build_report(cat, s, today=TODAY, invariant=True))[0])
    assert "Check this price: reranking is RAG's largest cost" in first
    assert "Rerank · usd_per_1k_searches" in first


def test_first_token_and_full_answer_latency_in_the_pdf(support):
    scenario, est, rec, _, text = support
    for a in est.priced:
        c = est.current[a]
        assert _squash(f"{ms(c.first_token_p50_ms)} / {ms(c.first_token_p95_ms)}") in _squash(text)
        assert _squash(f"{ms(c.latency_p50_ms)} / {ms(c.latency_p95_ms)}") in _squash(text)
    w = est.current[rec.winner.key]
    assert _squash(f"first token {ms(w.first_token_p95_ms)} at p95") in _squash(text)
    assert _squash(f"the {ms(scenario.latency_target_p95_ms)} p95 limit on the full answer") in _squash(text)
