"""Nothing fits: a state, not an error. When every option is ruled out, every page, the PDF, the CLI and
the JSON say so, why, and the smallest changes that would make one feasible, with no ranking and no
"recommended" option."""

from __future__ import annotations

import pytest

from tests.apptest import deltas, metrics, start, unescape

#: Self-hosted with a closed model (GPT-6 Luna, the default LLM: no open weights) rules out prompt only,
#: long context and RAG; no labeled examples rule out fine-tuned and hybrid (fewer than 50).
NOTHING_FITS = {"serving": "self_hosted", "answers.labeled_examples": "0"}


def _page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [e.value for e in at.error] + [c.value for c in at.caption] + list(metrics(at))
    parts += [d or "" for d in deltas(at).values()]
    return unescape("\n".join(parts))


@pytest.mark.parametrize("page", ["decide", "costs", "latency", "report"])
def test_the_nothing_fits_url_shows_the_state_and_its_way_out_on_every_page(catalog_file, page):  # noqa: F811
    at = start(catalog_file, page, query=NOTHING_FITS)  # start() asserts no exception on the page
    text = _page_text(at)
    assert "Nothing fits" in text, text
    # the ways out: a model that self-hosts, or the API; more examples for fine-tuning
    assert (
        "is not open weights, so it cannot run on your GPUs" in text and "at least 50 labeled examples" in text.lower()
    ), text
    # no option is called recommended or ranked first, and none is badged the cheapest
    assert "Recommended:" not in text and "Least bad" not in text and "Leading" not in text
    assert "cheapest" not in text


NOTHING_FITS_YAML = "stack:\n  serving: self_hosted\nanswers:\n  labeled_examples: 0\n"


@pytest.fixture
def nothing_fits_file(tmp_path):
    p = tmp_path / "nothing-fits.yaml"
    p.write_text(NOTHING_FITS_YAML, encoding="utf-8")
    return p


def test_the_cli_says_nothing_fits_with_the_ways_out_and_no_pick(capsys, nothing_fits_file):
    import json

    from planner.cli import main

    assert main(["recommend", "--scenario", str(nothing_fits_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nothing_fits"] is True and data["winner"] is None
    assert all(r["verdict"] == "ruled out" for r in data["ranking"])
    ways = " ".join(data["ways_out"])
    assert (
        "is not open weights, so it cannot run on your GPUs" in ways
        and "At least 50 labeled examples (you have 0)" in ways
    )
    assert main(["recommend", "--scenario", str(nothing_fits_file)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Recommendation: none — nothing fits")
    assert "What would make one feasible" in text and "Watch-outs" not in text and "Plan" not in text
    assert "Ranking" not in text and "  1. " not in text  # no ranking when nothing fits


def test_the_pdf_says_nothing_fits_with_the_ways_out_and_no_pick(nothing_fits_file):
    import io

    from pypdf import PdfReader

    from planner.model.files import load_scenario
    from planner.report import build_report
    from pricing.loader import load_catalog

    pdf = build_report(load_catalog(), load_scenario(nothing_fits_file), invariant=True)
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Recommendation: none — nothing fits" in text
    assert "What would make one feasible" in text and "is not open weights, so it cannot run on your GPUs" in text
    # no option carries a verdict other than "ruled out" (the scores paragraph names the verdicts in general)
    assert "(recommended, score" not in text and "(viable, score" not in text and "Recommendation: Hybrid" not in text
    assert "Staged plan" not in text and "Watch-outs for" not in text
    assert "Why each option is ruled out" in text and "Ranking and reasons" not in text
