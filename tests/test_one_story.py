"""One wording, one source: on every preset the app (AppTest), the CLI's JSON and the PDF's text give the
same ranking, the same verdicts and scores, the same headline and the same "cheapest"."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader

from planner.cli import main
from planner.model.files import load_preset, preset_paths
from planner.model.vocabulary import LABELS
from planner.presentation import verdict
from planner.report import build_report
from pricing.loader import load_catalog
from tests.apptest import deltas, go, start, unescape

PRESETS = list(preset_paths())
#: "1. :blue[**RAG**] — recommended · score +7" (Decide's ranked list; no score for a ruled-out option)
RANKED = re.compile(r"^(\d+)\. :\w+\[\*\*(.+?)\*\*\] — ([a-z ]+?)(?: · score (\S+))?$")


def _cli_json(capsys, slug: str) -> dict:
    assert main(["recommend", "--preset", slug, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _pdf_text(slug: str) -> str:
    pdf = build_report(load_catalog(), load_preset(slug), invariant=True)
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("slug", PRESETS)
def test_app_cli_json_and_pdf_tell_one_story(catalog_file, capsys, slug):  # noqa: F811
    data = _cli_json(capsys, slug)
    # the CLI's JSON: the ranking, verdict class first (recommended > viable > not advised > ruled out)
    order = ("recommended", "viable", "not advised", "ruled out")
    ranks = [order.index(r["verdict"]) for r in data["ranking"]]
    assert ranks == sorted(ranks), data["ranking"]
    expected = [(LABELS[r["architecture"]], r["verdict"], r["score"]) for r in data["ranking"]]
    cheapest = {LABELS[a] for a in data["cheapest"]}
    assert cheapest and not cheapest & {label for label, v, _ in expected if v == "ruled out"}

    # the app: Decide's ranked list and headline, the Costs cards' "cheapest", the Report page's pick
    at = start(catalog_file, "decide", query={"preset": slug})
    shown = [RANKED.match(m.value) for m in at.markdown]
    ranked = [(m.group(2), m.group(3), m.group(4)) for m in shown if m]
    assert [(label, v) for label, v, _ in ranked] == [(label, v) for label, v, _ in expected]
    for (_, v, s), (_, _, score) in zip(ranked, expected, strict=True):
        assert s == (None if v == "ruled out" else f"{score:+d}")
    head = verdict.HEADS[data["ranking"][0]["verdict"]]
    assert any(m.value.startswith(f"#### {head}: ") and LABELS[data["winner"]] in m.value for m in at.markdown)
    go(at, "costs")
    badges = {label for label, delta in deltas(at).items() if delta == "cheapest"}
    assert badges == cheapest
    box = unescape("\n".join(i.value for i in at.info))
    w = data["ranking"][0]
    assert f"{head}: {LABELS[w['architecture']]} (score {w['score']:+d})." in box
    go(at, "report")
    page = unescape("\n".join(m.value for m in at.markdown))
    assert f"{head}: {LABELS[w['architecture']]} (score {w['score']:+d})." in page

    # the PDF: the same pick line as the CLI's text, each row's verdict and score, the same cheapest
    text = _pdf_text(slug)
    first = data["ranking"][0]
    dash = "—"
    pick = f"Recommendation: {LABELS[first['architecture']]} ({first['verdict']}, score {first['score']:+d})"
    assert pick in text
    for label, v, score in expected:
        assert f"{label} {v} {dash if v == 'ruled out' else f'{score:+d}'}" in text, (label, v, score)
    assert (
        f"Cheapest of the options still open: {' and '.join(sorted(cheapest, key=list(LABELS.values()).index))}."
        in text
    )


def test_long_context_spend_falling_with_volume_is_explained():
    from planner.engine import estimate
    from planner.model.scenario import Scenario

    s = Scenario.model_validate(
        {
            "workload": {"corpus_documents": 1, "tokens_per_document": 120_000, "queries_per_month": 20_000},
            "stack": {"llm": "claude-haiku-4.5"},
        }
    )
    est = estimate(load_catalog(), s)
    per_1k = est.series["long_context"].usd_per_1k_queries
    assert per_1k[-1] < 0.9 * per_1k[0]  # the cache warms: cheaper per query at volume
    note = verdict.cache_warming_note(est)
    assert note is not None and "prompt cache" in note and "cached-input price" in note
    # no long context on the chart, nothing to explain
    assert verdict.cache_warming_note(estimate(load_catalog(), load_preset("support-bot"))) is None


def test_the_breakdown_leaves_ruled_out_options_out():
    from planner import figures
    from planner.engine import estimate

    s = load_preset("support-bot")
    est = estimate(load_catalog(), s)
    from planner.questionnaire import recommend

    out = verdict.ruled_out_keys(recommend(s, est)) & set(est.priced)
    assert "fine_tuned" in out  # support-bot: fine-tuned cannot cite; its bar would set the scale
    spec = figures.breakdown_figure(est, ruled_out=out).to_plotly_json()
    shown = {str(x) for t in spec["data"] for x in t["x"]}
    assert not any(LABELS[a] in x for a in out for x in shown)
    assert any(LABELS["rag"] in x for x in shown)


def test_every_pdf_table_has_a_width_for_each_column_and_fits_the_page(monkeypatch):
    """With five priced options the per-option tables were sized for four and ran off the page."""
    from planner.engine import estimate
    from planner.model.scenario import Scenario
    from planner.report import story

    seen = []
    real = story.Story.table

    def checked(self, rows, widths, **kw):
        seen.append((len(rows[0]), len(widths)))
        t = real(self, rows, widths, **kw)
        assert sum(t._argW) <= self.width + 0.01
        return t

    monkeypatch.setattr(story.Story, "table", checked)
    s = Scenario.model_validate(  # a 120K-token manual: long context fits, so all five are priced
        {"workload": {"corpus_documents": 1, "tokens_per_document": 120_000}, "stack": {"llm": "claude-haiku-4.5"}}
    )
    assert len(estimate(load_catalog(), s).priced) == 5
    build_report(load_catalog(), s, invariant=True)
    assert seen and all(cols == widths for cols, widths in seen), seen
