"""The plotly figures (planner/figures/): names, colours, axes and markers match the engine."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from planner import figures
from planner.engine import estimate
from planner.model import format as fmt
from planner.model.files import load_scenario, presets
from planner.model.scenario import ARCHITECTURES, Scenario
from planner.model.vocabulary import COLORS, COMPONENT_LABELS, LABELS

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"defaults": None, **{p.stem: p for p in presets().values()}}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def est(request, catalog):
    path = SCENARIOS[request.param]
    return estimate(catalog, load_scenario(path) if path else Scenario())


def by_name(fig: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in fig.data}


def shapes(fig: go.Figure, name: str) -> list:
    return [s for s in fig.layout.shapes if s.name == name]


def test_every_figure_is_valid_plotly(est):
    """The figures are built without per-property validation for speed; check them with it here."""
    for name, fig in figures.all_figures(est).items():
        go.Figure(fig.to_dict())  # raises on any invalid property
        assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)", name


def test_the_volume_charts_json_is_the_figures_own(est):
    """The Costs and Latency pages send `spend_spec` / `latency_spec` (built without wrapping the figure, for
    speed): exactly the JSON of the figure the PDF and every other chart draw, template included."""
    import json

    import plotly

    def text(spec: dict) -> dict:
        return json.loads(json.dumps(spec, cls=plotly.utils.PlotlyJSONEncoder))

    pairs = (
        (figures.spend_figure(est), figures.spend_spec(est)),
        (figures.latency_figure(est), figures.latency_spec(est)),
    )
    for fig, spec in pairs:
        assert text(spec) == text(fig.to_plotly_json())
        assert spec["layout"]["template"], "plotly's default template is part of the JSON, as in the figure's"


def test_spend_lines_one_per_architecture_named_and_coloured(est):
    fig = figures.spend_figure(est)
    traces = by_name(fig)
    names = [t.name for t in fig.data]
    for a in est.priced:
        assert names.count(LABELS[a]) == 1
        line = traces[LABELS[a]]
        assert line.line.color == COLORS[a]
        np.testing.assert_allclose(np.asarray(line.x, dtype=float), est.volumes)
        np.testing.assert_allclose(
            np.asarray(line.y, dtype=float), np.maximum(est.series[a].total_usd, np.asarray(line.y).min())
        )
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "Queries per month"


def test_spend_lines_hover_shows_the_component_breakdown(est):
    fig = figures.spend_figure(est)
    for a in est.priced:
        line = by_name(fig)[LABELS[a]]
        used = figures.components_used(est, a)
        data = np.asarray(line.customdata)  # preformatted money, one column per figure
        assert data.shape == (len(est.volumes), 3 + len(used))
        assert data[:, 0].tolist() == [fmt.usd(x) for x in est.series[a].total_usd]
        for j, k in enumerate(used):
            assert COMPONENT_LABELS[k] in line.hovertemplate
            assert data[:, 3 + j].tolist() == [fmt.usd(x) for x in est.series[a].components_usd[k]]


def test_bands_are_light_and_lean(est):
    fig = figures.spend_figure(est)
    for t in fig.data:
        assert len(t.x) <= 210, t.name  # ≤ ~200 points per trace
        if t.name.endswith(" range"):
            a = next(k for k in ARCHITECTURES if t.name == f"{LABELS[k]} range")
            assert t.fill == "toself" and t.showlegend is False and t.legendgroup == a
            assert t.fillcolor.startswith("rgba(") and float(t.fillcolor.rsplit(",", 1)[1].rstrip(")")) <= 0.2


def test_break_even_markers_sit_at_the_engines_volumes(catalog):
    est = estimate(catalog, load_scenario(SCENARIOS["legal-qa"]))
    assert est.break_evens, "the legal-qa preset has break-evens in its range"
    fig = figures.spend_figure(est)
    marker = by_name(fig)[figures.BREAK_EVEN_TRACE]
    np.testing.assert_allclose(sorted(marker.x), sorted(b.queries_per_month for b in est.break_evens))
    np.testing.assert_allclose(sorted(marker.y), sorted(b.usd_per_month for b in est.break_evens))
    labels = [a for a in fig.layout.annotations if a.name == figures.BREAK_EVEN_TRACE]
    # labelled only where every label fits (see test_break_even_labels_drawn_are_apart_and_inside)
    assert len(labels) in (0, len(est.break_evens))
    for b, label in zip(est.break_evens, labels, strict=False):
        assert LABELS[b.a] in label.text and LABELS[b.b] in label.text
        assert label.x == pytest.approx(np.log10(b.queries_per_month))  # annotations on log axes take log10
    assert all("cheaper below" in h for h in marker.hovertext)


def test_no_break_even_trace_without_break_evens(catalog):
    # support-bot's architectures first cross at about 1.2M queries/month: stop the range below that
    scenario = load_scenario(SCENARIOS["support-bot"]).with_changes(**{"volumes.max_queries_per_month": 1_000_000})
    est = estimate(catalog, scenario)
    assert not est.break_evens
    assert figures.BREAK_EVEN_TRACE not in by_name(figures.spend_figure(est))


def test_budget_line_when_set_and_only_then(catalog):
    with_budget = load_scenario(SCENARIOS["support-bot"])
    budget = with_budget.monthly_budget_usd
    assert budget
    fig = figures.spend_figure(estimate(catalog, with_budget))
    (line,) = shapes(fig, figures.BUDGET_SHAPE)
    assert line.y0 == line.y1 == budget and line.xref == "paper"
    # named in the legend, never as a label on the plot where lines cross it or the edge cuts it
    assert f"Budget {fmt.usd(budget)}/month" in by_name(fig)
    assert not any("budget" in str(a.text).lower() for a in fig.layout.annotations)
    none = with_budget.with_changes(monthly_budget_usd=None)
    assert shapes(figures.spend_figure(estimate(catalog, none)), figures.BUDGET_SHAPE) == []


def test_current_volume_marker(est):
    fig = figures.spend_figure(est)
    q = est.scenario.workload.queries_per_month
    (line,) = shapes(fig, figures.CURRENT_SHAPE)
    assert line.x0 == line.x1 == q
    dots = by_name(fig)["At your volume"]
    np.testing.assert_allclose(dots.y, [max(est.current[a].monthly_usd, min(dots.y)) for a in est.priced])


def test_usd_ticks_are_readable(est):
    fig = figures.spend_figure(est)
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks and all(t.startswith("$") for t in ticks)
    assert not any("e+" in t for t in ticks)
    assert all(("K" in t or "M" in t) for t, v in zip(ticks, fig.layout.yaxis.tickvals, strict=True) if v >= 10_000)


def test_breakdown_stacks_add_up_to_the_monthly_spend(est):
    fig = figures.breakdown_figure(est)
    assert fig.layout.barmode == "stack"
    totals = np.sum([np.asarray(t.y, dtype=float) for t in fig.data], axis=0)
    np.testing.assert_allclose(totals, [est.current[a].monthly_usd for a in est.priced], rtol=1e-9)
    assert {t.name for t in fig.data} <= set(COMPONENT_LABELS.values())


def test_per_1k_and_tco(est):
    fig = figures.per_1k_figure(est)
    assert [t.name for t in fig.data] == [LABELS[a] for a in est.priced]
    assert [t.line.color for t in fig.data] == [COLORS[a] for a in est.priced]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    tco = figures.tco_figure(est)
    assert [t.name for t in tco.data] == [LABELS[a] for a in est.priced]
    for a, t in zip(est.priced, tco.data, strict=True):
        assert len(t.x) == est.scenario.horizon_months + 1
        assert t.y[0] == pytest.approx(est.current[a].one_time_total_usd)
        assert t.y[-1] == pytest.approx(est.current[a].tco_usd)


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_tornado_ranks_the_engines_sensitivity(catalog, arch):
    # ticket classification: its small knowledge base fits the model, so all five are priced
    est = estimate(catalog, load_scenario(SCENARIOS["ticket-classification"]))
    assert est.priced == ARCHITECTURES
    fig = figures.tornado_figure(est, arch, top=8)
    rows = est.sensitivity[arch][:8]
    low, high = fig.data
    assert list(high.y) == [r.label for r in rows][::-1]  # largest swing on top
    base = est.current[arch].monthly_usd
    np.testing.assert_allclose(np.asarray(high.x) + base, [r.high_usd for r in rows][::-1])
    np.testing.assert_allclose(np.asarray(low.x) + base, [r.low_usd for r in rows][::-1])
    assert COLORS[arch].lstrip("#") and high.marker.color.startswith("rgba(")


def test_latency_figure(catalog):
    scenario = load_scenario(SCENARIOS["support-bot"])
    est = estimate(catalog, scenario)
    fig = figures.latency_figure(est)
    names = [t.name for t in fig.data]
    for a in est.priced:
        assert names.count(LABELS[a]) == 1  # p95, solid
        p95 = by_name(fig)[LABELS[a]]
        assert p95.line.color == COLORS[a]
        np.testing.assert_allclose(p95.y, est.series[a].latency_p95_ms)
        np.testing.assert_allclose(by_name(fig)[f"{LABELS[a]} p50"].y, est.series[a].latency_p50_ms)
    assert fig.layout.xaxis.type == "log"
    (limit,) = shapes(fig, figures.LIMIT_SHAPE)
    assert scenario.latency_target_p95_ms and limit.y0 == scenario.latency_target_p95_ms
    no_limit = figures.latency_figure(estimate(catalog, scenario.with_changes(latency_target_p95_ms=None)))
    assert shapes(no_limit, figures.LIMIT_SHAPE) == []


def test_latency_breakdown_adds_up(est):
    fig = figures.latency_breakdown_figure(est)
    assert all(t.orientation == "h" for t in fig.data)
    totals = np.sum([np.asarray(t.x, dtype=float) for t in fig.data], axis=0)
    expected = [est.current[a].latency_p50_ms for a in est.priced][::-1]
    np.testing.assert_allclose(totals, expected, rtol=1e-9)
    assert len(fig.data[0].y) == len(est.priced)  # a ruled-out architecture has no bar
    for label, a in zip(fig.data[0].y, list(est.priced)[::-1], strict=True):
        assert LABELS[a] in label and COLORS[a] in label


def test_the_core_never_imports_streamlit():
    """Everything outside planner/ui/ is usable without streamlit (CLI, PDF, notebooks)."""
    offenders = []
    core = [p for p in (ROOT / "planner").rglob("*.py") if "ui" not in p.relative_to(ROOT / "planner").parts]
    assert ROOT / "planner" / "report" / "build.py" in core  # subpackages are core too
    for path in [*core, *(ROOT / "pricing").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_pages_never_import_the_command_line():
    """Output formats live in planner.presentation.output; a page that needs one imports it from there, not the CLI."""
    offenders = []
    for path in (ROOT / "planner" / "ui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("planner.cli", "planner.__main__"):
                offenders.append(str(path.relative_to(ROOT)))
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "planner"
                and any(a.name == "cli" for a in node.names)
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# ------------------------------------------------------------------ labels that never collide, lines that never hide


SELF_HOSTED_LLAMA = {
    "stack.llm": "together-llama-3.1-8b",
    "stack.fine_tune": "self-hosted-llama-3.1-8b-lora-h100",
    "stack.serving": "self_hosted",
}


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def test_self_hosted_break_evens_go_to_hover_not_piled_up_labels(catalog):
    # issue 13's self-hosted Llama stack: five break-evens, two pairs within a decade, at capacity steps
    est = estimate(catalog, load_scenario(SCENARIOS["support-bot"]).with_changes(**SELF_HOSTED_LLAMA))
    assert len(figures.break_evens_in_range(est)) > figures.LABEL_MAX
    fig = figures.spend_figure(est)
    assert [a for a in fig.layout.annotations if a.name == figures.BREAK_EVEN_TRACE] == []
    marker = by_name(fig)[figures.BREAK_EVEN_TRACE]
    assert len(marker.x) == len(figures.break_evens_in_range(est))  # every one still has its marker and hover
    assert all("cheaper below" in h for h in marker.hovertext)


def test_break_even_labels_drawn_are_apart_and_inside(catalog):
    for path in SCENARIOS.values():
        est = estimate(catalog, load_scenario(path) if path else Scenario())
        fig = figures.spend_figure(est)
        labels = [a for a in fig.layout.annotations if a.name == figures.BREAK_EVEN_TRACE]
        if not labels:
            continue
        xs = sorted(a.x for a in labels)
        lo, hi = np.log10(est.volumes[0]), np.log10(est.volumes[-1])
        assert xs[0] - lo >= figures.LABEL_EDGE_DECADES and hi - xs[-1] >= figures.LABEL_EDGE_DECADES
        assert all(b - a >= figures.LABEL_GAP_DECADES for a, b in zip(xs, xs[1:], strict=False))


def test_coinciding_latency_lines_stay_visible_and_say_so(catalog):
    # one API model on both sides: the tuned options' p95 lines lie on the base options' (self-hosted, each
    # option now has its own replica and latency, so a GPU stack no longer makes them coincide)
    same_model = {"stack.llm": "together-llama-3.1-8b", "stack.fine_tune": "together-llama-3.1-8b-lora"}
    est = estimate(catalog, load_scenario(SCENARIOS["support-bot"]).with_changes(**same_model))
    fig = figures.latency_figure(est)
    p95 = [t for t in fig.data if t.name in set(LABELS.values())]
    assert [t.name for t in p95] == [LABELS[a] for a in est.priced]  # names stay the labels
    same = [t for t in p95 if t.line.dash not in (None, "solid")]
    assert same, "with one API model on both sides some p95 lines coincide"
    (note,) = [a for a in fig.layout.annotations if a.name == figures.COINCIDE_NOTE]
    top = max(max(max(x.y) for x in p95), est.scenario.latency_target_p95_ms or 0)  # the axis' height
    for t in same:
        assert t.line.width > 2.5
        other = note.text.split(f"{t.name} lies on ")[1].split(";")[0].split(" (")[0]
        first = next(x for x in p95 if x.name == other)
        assert np.max(np.abs(np.asarray(t.y) - np.asarray(first.y))) <= figures.COINCIDE * top
        assert f"(on {other}'s line)" in t.hovertemplate


def test_budget_and_limit_colour_is_far_from_every_architecture(catalog):
    for arch, color in COLORS.items():
        assert np.linalg.norm(_rgb(figures.ALERT) - _rgb(color)) > 100, arch
    fig = figures.spend_figure(estimate(catalog, load_scenario(SCENARIOS["support-bot"])))
    (line,) = shapes(fig, figures.BUDGET_SHAPE)
    assert line.line.color == figures.ALERT and line.line.dash == figures.ALERT_DASH


def test_your_volume_label_stays_inside_near_the_right_edge(catalog):
    s = Scenario().with_changes(**{"workload.queries_per_month": 8_000_000})
    fig = figures.spend_figure(estimate(catalog, s))
    (label,) = [a for a in fig.layout.annotations if str(a.text).startswith("your volume")]
    assert label.xanchor == "right" and label.xshift < 0
    fig = figures.spend_figure(estimate(catalog, Scenario()))
    (label,) = [a for a in fig.layout.annotations if str(a.text).startswith("your volume")]
    assert label.xanchor == "left"


# ------------------------------------------------------------------ hover text in the app's formats


def _hand_picked(est):
    """`est` on three volumes with one architecture's numbers replaced by hand-picked ones."""
    a = est.priced[0]
    s = est.series[a]
    zero = np.zeros(3)
    picked = dataclasses.replace(
        s,
        total_usd=np.array([0.42, 4_000.0, 1_500_000.0]),
        low_usd=np.array([0.40, 3_500.0, 999_999.0]),
        high_usd=np.array([0.45, 21_700.0, 2e9]),
        components_usd={k: zero for k in s.components_usd} | {"inference": np.array([0.42, 4_000.0, 1_500_000.0])},
        usd_per_1k_queries=np.array([0.0042, 48.0, 480.0]),
        latency_p50_ms=np.array([45.0, 1_500.0, 12_345.0]),
        latency_p95_ms=np.array([450.0, 999.4, 123_456.0]),
    )
    return a, dataclasses.replace(est, series={**est.series, a: picked})


@pytest.fixture(scope="module")
def est3(catalog):
    return estimate(catalog, load_scenario(SCENARIOS["support-bot"]), volumes=[1_000, 10_000, 100_000])


def test_spend_hover_uses_the_app_money_format(est3):
    a, est = _hand_picked(est3)
    line = by_name(figures.spend_figure(est))[LABELS[a]]
    rows = np.asarray(line.customdata).tolist()
    # total, low, high, then the one component used (inference), each as planner.model.format.usd writes it
    assert rows == [
        ["$0.42", "$0.40", "$0.45", "$0.42"],
        ["$4.00K", "$3.50K", "$21.7K", "$4.00K"],  # d3's "$,.0f" wrote "$4,000" beside the axis' "$5K"
        ["$1.50M", "$1.00M", "$2.00B", "$1.50M"],  # 999,999 rounds to $1.00M, not $1000K
    ]
    for row, values in zip(rows, [[0.42, 0.40, 0.45], [4_000, 3_500, 21_700], [1.5e6, 999_999, 2e9]], strict=True):
        assert row[:3] == [fmt.usd(v) for v in values]
    assert "%{customdata[0]}/month" in line.hovertemplate
    assert "%{customdata[3]}" in line.hovertemplate and COMPONENT_LABELS["inference"] in line.hovertemplate


def test_cost_per_1k_and_tco_hovers_use_the_app_money_format(est3):
    a, est = _hand_picked(est3)
    per_1k = by_name(figures.per_1k_figure(est))[LABELS[a]]
    assert np.asarray(per_1k.customdata).tolist() == ["< $0.01", "$48.00", "$480"]
    assert "%{customdata} per 1,000 queries" in per_1k.hovertemplate
    tco = by_name(figures.tco_figure(est))[LABELS[a]]
    assert np.asarray(tco.customdata).tolist() == [fmt.usd(v) for v in est.cumulative_usd(a)]


def test_latency_hover_uses_the_app_duration_format(est3):
    a, est = _hand_picked(est3)
    traces = by_name(figures.latency_figure(est))
    p50, p95 = traces[f"{LABELS[a]} p50"], traces[LABELS[a]]
    assert np.asarray(p50.customdata).tolist() == ["45 ms", "1.50 s", "12.3 s"]
    assert np.asarray(p95.customdata).tolist() == ["450 ms", "999 ms", "123 s"]
    assert np.asarray(p50.customdata).tolist() == [fmt.ms(v) for v in (45, 1_500, 12_345)]
    assert p50.hovertemplate.endswith(": %{customdata}<extra></extra>")


def test_no_hover_formats_money_or_durations_with_d3(est):
    """Every money or duration number in a hover comes preformatted (no "%{y:$,.0f}" or "%{y:,.0f} ms")."""
    for name, fig in figures.all_figures(est).items():
        for t in fig.data:
            template = t.hovertemplate or ""
            assert ":$" not in template and "} ms" not in template, (name, t.name, template)
