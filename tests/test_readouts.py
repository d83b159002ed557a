"""The read-outs the volume chart carries for every slider step (planner/presentation/readouts.py,
planner/ui/volume_chart.py): the engine's own numbers at each volume, and the same cards the page draws."""

from __future__ import annotations

import json

import pytest

from planner.engine import estimate
from planner.model import format as fmt
from planner.model.files import SCENARIOS_DIR, load_scenario
from planner.presentation.readouts import at_volumes, cost_cards, latency_cards
from planner.ui.sidebar import VOLUME_STEPS
from planner.ui.volume_chart import steps_for
from pricing.loader import load_catalog
from tests.apptest import chart, set_volume, start, volume, volume_cards

CATALOG = load_catalog()
SCENARIOS = sorted(SCENARIOS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_step_is_the_engines_figure_at_that_volume(path):
    s = load_scenario(path)
    est = estimate(CATALOG, s)
    steps = steps_for(s.workload.queries_per_month, VOLUME_STEPS)
    at = at_volumes(CATALOG, s, est.priced, steps)
    for j, q in enumerate(steps):
        there = estimate(CATALOG, s.with_changes(**{"workload.queries_per_month": q})).current
        for a in est.priced:
            assert at.monthly_usd[a][j] == there[a].monthly_usd, (a, q)
            assert at.latency_p95_ms[a][j] == there[a].latency_p95_ms, (a, q)
            assert at.first_token_p95_ms[a][j] == there[a].first_token_p95_ms, (a, q)


def test_the_steps_are_the_1_2_5_scale_with_the_scenarios_own_volume():
    assert steps_for(100_000, VOLUME_STEPS)[:4] == [1_000, 2_000, 5_000, 10_000]
    assert steps_for(100_000, VOLUME_STEPS)[-1] == 100_000_000
    assert len(steps_for(100_000, VOLUME_STEPS)) == 16  # 1K … 100M: five decades of 1-2-5, and 100M
    assert 123_456 in steps_for(123_456, VOLUME_STEPS) and len(steps_for(123_456, VOLUME_STEPS)) == 17


def test_cost_cards_mark_the_cheapest_open_option_and_the_others_difference():
    priced = ("prompt_only", "rag", "fine_tuned")
    # prompt only is cheapest but ruled out: RAG ($300) is the cheapest open one; fine-tuned $450 − $300 = $150 more
    cards = cost_cards(priced, {"prompt_only": 100.0, "rag": 300.0, "fine_tuned": 450.0}, {"prompt_only"})
    assert [(c.label, c.value, c.delta) for c in cards] == [
        ("Prompt only", "$100", "ruled out"),
        ("RAG", "$300", "cheapest"),
        ("Fine-tuned", "$450", "+$150 vs RAG"),
    ]
    assert [c.delta_color for c in cards] == ["off", "off", "inverse"]


def test_latency_cards_say_how_far_each_p95_is_from_the_limit():
    cards = latency_cards(("rag", "hybrid"), {"rag": 1200.0, "hybrid": 800.0}, 1000.0, first_token=False)
    # 1,200 − 1,000 = 200 ms over; 800 − 1,000 = 200 ms under
    assert [(c.label, c.value, c.delta) for c in cards] == [
        ("RAG · p95 full answer", "1.20 s", "+200 ms vs the limit"),
        ("Hybrid · p95 full answer", "800 ms", "-200 ms vs the limit"),
    ]
    assert latency_cards(("rag",), {"rag": 1.0}, None, first_token=True)[0].delta is None


def _args(at) -> dict:
    return json.loads(next(c for c in at.get("component_instance")).proto.json_args)


@pytest.mark.parametrize("page", ["costs", "latency"])
def test_the_browsers_read_outs_are_the_engines_at_that_volume(catalog_file, page):
    """The cards the component shows at each slider step (computed up front, shown on a key press without a
    round trip) are the cards of the engine's estimate at that volume, and the marker sits at the step."""
    at = start(catalog_file, page, query={"preset": "legal-qa"})
    args = _args(at)
    for q in (2_000.0, 5_000_000.0, 100_000_000.0):
        step = next(st for st in args["steps"] if st["q"] == q)
        set_volume(at, q)
        assert not at.exception and volume(at) == q
        est = at.session_state["planner"].context_memo[1].estimate
        assert est.scenario.workload.queries_per_month == q
        s = est.scenario
        if page == "costs":
            rec = at.session_state["planner"].context_memo[1].recommendation
            ruled_out = {r.key for r in rec.ranking if r.ruled_out} if rec is not None and rec.has_verdict else set()
            want = cost_cards(est.priced, {a: est.current[a].monthly_usd for a in est.priced}, ruled_out)
            assert step["caption"] == f"Monthly cost at {fmt.count(q)} queries a month"
        else:
            p95 = {a: est.limited_p95_ms(a) for a in est.priced}
            want = latency_cards(est.priced, p95, s.latency_target_p95_ms, s.latency_limit_applies_to == "first_token")
        assert [(c["value"], c["delta"]) for c in step["cards"]] == [(c.value, c.delta) for c in want]
        # and Python's page, drawn at q, shows the same cards
        assert [(c["label"], c["value"], c["delta"]) for c in volume_cards(at)] == [
            (c.label, c.value, c.delta) for c in want
        ]
        # the chart Python draws there has the marker at q; the browser put it there too, unless q was off
        # the chart it had (100M, beyond the default 10M: Python's chart widens around it)
        shape = next(s for s in chart(at)["layout"]["shapes"] if s.get("name") == "current volume")
        assert shape["x0"] == q
        assert step["shape"] == ({"x0": q, "x1": q} if q <= 10_000_000 else None)


def test_a_move_keeps_the_figure_identity_unless_the_chart_range_changes(catalog_file):  # noqa: F811
    at = start(catalog_file, "costs")
    first = _args(at)["spec_id"]
    set_volume(at, 1_000_000.0)
    assert _args(at)["spec_id"] == first  # only the marker moved: the browser does not redraw
    set_volume(at, 50_000_000.0)  # beyond the chart's 10M: the chart widens around it
    assert _args(at)["spec_id"] != first


@pytest.mark.parametrize("page", ["costs", "latency"])
def test_after_a_move_the_chart_is_the_figure_drawn_afresh_at_that_volume(catalog_file, page, monkeypatch):  # noqa: F811
    """A move reuses the last figure with its marker moved (no rebuild): the result is the figure itself."""
    from planner import figures

    at = start(catalog_file, page, query={"preset": "support-bot"})
    name = "spend_figure" if page == "costs" else "latency_figure"
    draw = getattr(figures, name)
    built = []
    monkeypatch.setattr(figures, name, lambda est, **kw: built.append(1) or draw(est, **kw))
    for q in (5_000.0, 2_000_000.0, 10_000.0):
        set_volume(at, q)
        est = at.session_state["planner"].context_memo[1].estimate
        assert est.scenario.workload.queries_per_month == q
        fresh = json.loads(draw(est).to_json())
        assert chart(at) == fresh
    assert built == []  # no figure was built for a move


def test_the_volume_chart_reaches_nothing_outside_its_frame():
    """The component draws its cards inside its own frame: its script speaks to the page only through Streamlit's
    component messages (`window.parent.postMessage`), never by reading or rewriting the page's document."""
    import re
    from pathlib import Path

    from planner.ui import volume_chart

    js = (volume_chart.FRONTEND / "main.js").read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", js)  # the comments may name what it does not do
    assert re.findall(r"window\.parent\.\w+", code) == ["window.parent.postMessage"]
    assert "parent.document" not in code and "top.document" not in code and "stMetric" not in code
    html = Path(volume_chart.FRONTEND / "index.html").read_text(encoding="utf-8")
    assert 'data-testid="volumeReadouts"' in html  # the cards' box is the component's own
