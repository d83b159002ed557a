"""Plotly figures drawn from an `Estimate`: the app's charts, reusable anywhere.

Pure functions, no streamlit. Every figure keeps one color per architecture
(`planner.model.vocabulary.COLORS`), names its main traces by `LABELS`, uses a
transparent background (legible on light and dark themes) and stays lean: at
most ~200 points per trace and no trace that carries no information, because
the browser's redraw is what a user feels when moving a slider.

Figures are assembled as plain dicts and wrapped once without plotly's
per-property validation (`_validate=False`): validating a 15-trace figure
costs ~60 ms, wrapping it ~3 ms. The specs are checked against plotly's
validators in tests/test_figures.py instead.

Log axes carry explicit ticks formatted like the rest of the app ($1.2K, 45K), and hovers show money and
durations preformatted by `planner.model.format` (`usd`, `ms`) in `customdata`, never in a d3 format ("$4,000").
Shapes (budget, latency limit, current volume) carry a `name`, so tests and
other code can find them.

The package: `style` (layout, ticks, axes, markers every figure shares), `spend` (the spend curve),
`costs` (breakdown, cost per 1,000 queries, TCO, tornado), `latency` (the latency curve and breakdown).
`planner.figures` exports what the pages, the PDF and the tests use; anything else is imported from its module.
"""

from __future__ import annotations

import plotly.graph_objects as go

from planner.engine import Estimate
from planner.figures.costs import breakdown_figure, per_1k_figure, tco_figure, tornado_figure
from planner.figures.latency import COINCIDE, COINCIDE_NOTE, latency_breakdown_figure, latency_figure, latency_spec
from planner.figures.spend import (
    AT_VOLUME_TRACE,
    LABEL_EDGE_DECADES,
    LABEL_GAP_DECADES,
    LABEL_MAX,
    at_volume_trace,
    break_evens_in_range,
    components_used,
    spend_figure,
    spend_floor,
    spend_spec,
)
from planner.figures.style import (
    ALERT_DASH,
    BREAK_EVEN_TRACE,
    BUDGET_SHAPE,
    CONFIG,
    CURRENT_SHAPE,
    LIMIT_SHAPE,
    current_marker,
)
from planner.model.vocabulary import ALERT, COMPONENT_COLORS

__all__ = [
    "ALERT",
    "ALERT_DASH",
    "AT_VOLUME_TRACE",
    "BREAK_EVEN_TRACE",
    "BUDGET_SHAPE",
    "COINCIDE",
    "COINCIDE_NOTE",
    "COMPONENT_COLORS",
    "CONFIG",
    "CURRENT_SHAPE",
    "LABEL_EDGE_DECADES",
    "LABEL_GAP_DECADES",
    "LABEL_MAX",
    "LIMIT_SHAPE",
    "all_figures",
    "at_volume_trace",
    "break_evens_in_range",
    "breakdown_figure",
    "components_used",
    "current_marker",
    "latency_breakdown_figure",
    "latency_figure",
    "latency_spec",
    "per_1k_figure",
    "spend_figure",
    "spend_floor",
    "spend_spec",
    "tco_figure",
    "tornado_figure",
]


def all_figures(est: Estimate, arch: str | None = None) -> dict[str, go.Figure]:
    """Every figure of the app for one estimate (for notebooks and reports)."""
    arch = arch or est.cheapest()
    return {
        "spend": spend_figure(est),
        "breakdown": breakdown_figure(est),
        "per_1k": per_1k_figure(est),
        "tco": tco_figure(est),
        "tornado": tornado_figure(est, arch),
        "latency": latency_figure(est),
        "latency_breakdown": latency_breakdown_figure(est),
    }
