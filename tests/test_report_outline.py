"""The PDF's outline: the headings' numbers come from `planner.report.outline.OUTLINE`, a section whose
condition is false is left out and the next keeps its number, section 1's parts are numbered among those
drawn, and a cross-reference names the number the heading shows.

PDF text is read back with pypdf; numbered headings are found as "N. Title" / "N.M Title" in the text."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader

from planner.engine import estimate
from planner.model.files import SCENARIOS_DIR, load_scenario
from planner.model.scenario import Scenario
from planner.questionnaire import recommend
from planner.report import build_report
from planner.report.context import make_context
from planner.report.outline import OUTLINE, Part, Section, headings, numbers

TODAY = date(2026, 12, 6)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _ctx(catalog, scenario, est=None):
    est = est or estimate(catalog, scenario)
    return make_context(catalog, scenario, est, recommend(scenario, estimate=est), TODAY)


# ------------------------------------------------------------------ numbering rules, on a small outline


def _draw(ctx, story, heading=""):
    return None


def _yes(ctx):
    return True


def _no(ctx):
    return False


TOY = (
    Section("front", None, _draw, numbered=False),
    Section(
        "a",
        "Packed",
        _draw,
        packed=True,
        parts=(Part("a1", "one", _draw), Part("a2", "two", _draw, _no), Part("a3", "three", _draw)),
    ),
    Section("extra", "Unnumbered", _draw, numbered=False),
    Section("b", "Left out", _draw, when=_no, parts=(Part("b1", "x", _draw),)),
    Section(
        "c",
        "Fixed",
        _draw,
        first_part=0,
        parts=(
            Part("c0", "zero", _draw),
            Part("c1", "one", _draw, _no),
            Part("c2", "two", _draw),
        ),
    ),
)


def test_numbers_follow_the_declared_order_and_conditions(catalog):
    got = numbers(TOY, _ctx(catalog, Scenario()))
    assert got == {
        # "front" and "extra" are outside the count; "a" is the first numbered section
        "a": "1",
        "a1": "1.1",
        "a3": "1.2",  # packed: a2 is not drawn, so three runs on as 1.2
        # "b" is left out: no number shown, but it keeps 2, so "c" is 3
        "c": "3",
        "c0": "3.0",  # first_part=0
        "c2": "3.2",  # not packed: c1 left out keeps 3.1 unused
    }


def test_an_entry_added_to_the_outline_takes_its_place_in_the_count(catalog):
    """The recipe "add a PDF section": one entry in OUTLINE, and the sections after it move down one."""
    new = Section("new", "A new section", _draw)
    at = next(i for i, s in enumerate(OUTLINE) if s.key == "assumptions")
    got = numbers((*OUTLINE[:at], new, *OUTLINE[at:]), _ctx(catalog, Scenario()))
    # before: 1 recommendation, 2 costs, (traffic unnumbered), 3 assumptions, 4 serving
    assert (got["new"], got["assumptions"], got["inputs"], got["serving"]) == ("3", "4", "4.1", "5")


# ------------------------------------------------------------------ the real report


@pytest.fixture(scope="module")
def support(catalog):
    scenario = load_scenario(SCENARIOS_DIR / "support-bot.yaml")
    est = estimate(catalog, scenario)
    pdf = build_report(catalog, scenario, estimate=est, today=TODAY, invariant=True)
    return scenario, est, _text(pdf)


def test_the_pdfs_headings_are_the_outlines_in_order(catalog, support):
    scenario, est, text = support
    expected = headings(_ctx(catalog, scenario, est))
    at = -1
    for h in expected:  # each heading found after the one before it
        found = text.find(h, at + 1)
        assert found > at, f"{h!r} missing or out of order"
        at = found
    # support-bot answers the questionnaire (rules fire), the numbers check finds something, RAG is picked:
    # section 1 draws all six of its parts but "What would make one feasible" (only when nothing fits)
    assert expected[:7] == [
        "1. Recommendation",
        "1.1 Ranking and reasons",
        "1.2 How the answers moved the scores",
        "1.3 The answers behind them",
        "1.4 What the numbers say",
        "1.5 Watch-outs for RAG",
        "1.6 Staged plan for RAG",
    ]
    assert "What would make one feasible" not in text
    assert "The questionnaire answers are in section 1.3." in text  # section 3 names 1.3


def test_with_no_answer_the_answers_are_1_2_and_section_3_says_so(catalog):
    """No question answered: no rule fires, "How the answers moved the scores" is not drawn, and the answers
    (third in the outline) are numbered 1.2 — the number section 3's sentence gives."""
    s = Scenario()
    pdf = _text(build_report(catalog, s, today=TODAY, invariant=True))
    assert "How the answers moved the scores" not in pdf
    assert "1.2 The answers behind them" in pdf
    assert "The questionnaire answers are in section 1.2." in pdf


def test_a_part_left_out_keeps_the_next_ones_number(catalog):
    """Without a modelled knowledge base "3.2 Derived from the inputs" is not drawn, and the catalog figures
    stay 3.3, as they have always been numbered."""
    s = Scenario()
    est = dataclasses.replace(estimate(catalog, s), corpus={})
    pdf = _text(build_report(catalog, s, estimate=est, today=TODAY, invariant=True))
    assert "3.1 Scenario inputs" in pdf
    assert "Derived from the inputs" not in pdf
    assert "3.3 Catalog figures used" in pdf and "3.4 How the numbers are computed" in pdf


def test_a_section_left_out_is_not_in_the_outline_shown(catalog):
    """Without the serving comparison (build_report adds it, so the outline is read directly) section 4 is
    gone and nothing else moves; the traffic section, unnumbered, is there only for a fitted scenario."""
    s = Scenario()
    est = estimate(catalog, s)
    assert est.serving_comparison is not None
    shown = headings(_ctx(catalog, s, est))
    without = headings(_ctx(catalog, s, dataclasses.replace(est, serving_comparison=None)))
    assert shown[-1] == "4. API or self-hosted"
    assert without == shown[:-1]
    assert "Fitted from your traffic" not in _text(build_report(catalog, s, estimate=est, today=TODAY))


def test_the_context_is_read_only(catalog):
    """Sections read the context; none can leave a value on it for another (the old report's section 3 read
    what section 1 wrote)."""
    ctx = _ctx(catalog, Scenario())
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.today = date(2000, 1, 1)  # type: ignore[misc]
