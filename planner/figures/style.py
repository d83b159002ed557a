"""What every figure shares: the plotly config, layout and background, named shapes, tick and axis
formats ($1.2K, 45K; the tick values are `planner.presentation.ticks`), the scenario's volume marker and limit lines."""

from __future__ import annotations

import functools
import math

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64

from planner.model import format as fmt
from planner.model.vocabulary import ALERT, COLORS, LABELS, MUTED
from planner.presentation import ticks

#: Plotly config for every chart: no mode bar, no logo.
CONFIG = {"displayModeBar": False, "displaylogo": False}

BUDGET_SHAPE = "budget"
LIMIT_SHAPE = "latency limit"
CURRENT_SHAPE = "current volume"
BREAK_EVEN_TRACE = "Break-even"
#: Limits and budgets are dash-dotted, in `vocabulary.ALERT`, a crimson far from every architecture color.
ALERT_DASH = "dashdot"


def to_rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def wrap_figure(data: list[dict], layout: dict) -> go.Figure:
    return go.Figure(dict(data=data, layout=layout), _validate=False)


@functools.cache
def _default_template() -> dict:
    """The template plotly puts into every figure's layout (its default, "plotly"), as JSON."""
    return go.Figure().layout.template.to_plotly_json()


def figure_spec(data: list[dict], layout: dict) -> dict:
    """What `wrap_figure(data, layout).to_plotly_json()` gives — the JSON plotly.js draws — without wrapping the
    figure: wrapping deep-copies every trace once and serializing once more (about half of the ~10 ms a spend
    chart took to serialize). `data` and `layout` must be fresh: their arrays are replaced by plotly's base64
    form in place. tests/test_figures.py checks it equal to the wrapped figure's JSON."""
    spec = {"data": data, "layout": {**layout, "template": _default_template()}}
    convert_to_base64(spec)
    return spec


def base_layout(height: int, **extra) -> dict:
    layout = dict(
        height=height,
        margin=dict(l=8, r=24, t=40, b=8),  # r: room for the last tick label ("10M")
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left"),
        hovermode="closest",
        hoverlabel=dict(namelength=-1, align="left"),
        shapes=[],
        annotations=[],
    )
    layout.update(extra)
    return layout


def arch_tick(arch: str) -> str:
    """An architecture's name in its color, for category axes."""
    return f"<span style='color:{COLORS[arch]}'><b>{LABELS[arch]}</b></span>"


def usd_list(values) -> list[str]:
    return [fmt.usd(x) for x in np.asarray(values, dtype=float).tolist()]


def _formatted(values, formatter) -> np.ndarray:
    """`formatter` applied to each value, each distinct value formatted once (a component that does not
    change with volume is one string however many points it has). A fixed-width string array, not a list
    or an object array: a copy of it is one memory copy, not one per string."""
    distinct, where = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    text = np.array([formatter(x) for x in distinct.tolist()], dtype=str)
    return text[where.ravel()]


def hover_usd(values) -> np.ndarray:
    """Money in a hover, as everywhere else in the app (`planner.model.format.usd`: $480, $4.00K, $1.20M), not d3's."""
    return _formatted(values, fmt.usd)


def hover_ms(values) -> np.ndarray:
    """A duration in a hover, as everywhere else in the app (`planner.model.format.ms`: 450 ms, 1.50 s)."""
    return _formatted(values, fmt.ms)


# ------------------------------------------------------------------ ticks


def _log_ticks(lo: float, hi: float, label, max_ticks: int = 8) -> tuple[list[float], list[str]]:
    """Tick values at 1-2-5 (or sparser when the span is wide) between lo and hi, with labels."""
    vals = ticks.log_ticks(lo, hi, max_ticks)
    return vals, [label(v) for v in vals]


def linear_ticks(lo: float, hi: float, label, n: int = 5, zero: bool = True) -> tuple[list[float], list[str]]:
    """About `n` round ticks from lo to hi (from zero when `zero`), with labels."""
    vals = ticks.linear_ticks(lo, hi, n, zero)
    return vals, [label(v) for v in vals]


def usd_axis(lo: float, hi: float, *, log: bool, title: str) -> dict:
    vals, text = (_log_ticks if log else linear_ticks)(lo, hi, fmt.usd_tick)
    axis = dict(title=dict(text=title), tickmode="array", tickvals=vals, ticktext=text, zeroline=False)
    if log:
        axis.update(type="log", range=[math.log10(max(lo, 1e-12)) - 0.05, math.log10(max(hi, 1e-12)) + 0.08])
    else:
        axis.update(range=[min(lo, 0.0), hi])
    return axis


def volume_axis(volumes: np.ndarray) -> dict:
    lo, hi = float(volumes[0]), float(volumes[-1])
    vals, text = _log_ticks(lo, hi, fmt.count)
    return dict(
        title=dict(text="Queries per month"),
        type="log",
        tickmode="array",
        tickvals=vals,
        ticktext=text,
        range=[math.log10(lo) - 0.002, math.log10(hi) + 0.002],  # a hair wider: keep the end ticks
    )


def current_marker(q: float, volumes: np.ndarray) -> tuple[dict, dict] | None:
    """The scenario's own volume `q` as a labeled vertical line: (the line, named `CURRENT_SHAPE`; its label),
    or None when `q` is off the chart's `volumes`."""
    if not (volumes[0] <= q <= volumes[-1]):
        return None
    line = dict(
        type="line",
        name=CURRENT_SHAPE,
        x0=q,
        x1=q,
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line=dict(color=MUTED, width=1.5, dash="dot"),
        layer="below",
    )
    # annotations on a log axis take log10 of the value (shapes take the value); near the right
    # edge the label goes on the line's left, so it is never cut off
    span = math.log10(volumes[-1]) - math.log10(volumes[0])
    right = span > 0 and (math.log10(q) - math.log10(volumes[0])) / span > 0.7
    note = dict(
        x=math.log10(q),
        xref="x",
        xanchor="right" if right else "left",
        xshift=-4 if right else 4,
        y=0,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=f"your volume {fmt.count(q)}/month",
        font=dict(size=11, color=MUTED),
    )
    return line, note


def add_current_marker(layout: dict, q: float, volumes: np.ndarray) -> None:
    """The scenario's own volume as a labeled vertical line (when it is on the chart)."""
    marker = current_marker(q, volumes)
    if marker is not None:
        layout["shapes"].append(marker[0])
        layout["annotations"].append(marker[1])


def hline(layout: dict, data: list[dict], y: float, name: str, text: str) -> None:
    """A limit across the plot, named in the legend (a label on the plot would collide with the
    lines crossing it, or be cut off at the edge)."""
    line = dict(color=ALERT, width=2, dash=ALERT_DASH)
    layout["shapes"].append(dict(type="line", name=name, x0=0, x1=1, xref="paper", y0=y, y1=y, yref="y", line=line))
    data.append(
        dict(type="scatter", mode="lines", name=text, x=[None], y=[None], line=line, hoverinfo="skip", legendrank=2000)
    )


def positive(a, floor: float) -> np.ndarray:
    return np.maximum(np.asarray(a, dtype=float), floor)
