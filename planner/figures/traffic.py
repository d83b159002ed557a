"""Figures of imported traffic: requests per hour (the daily cycle) and token histograms."""

from __future__ import annotations

import plotly.graph_objects as go

from planner.model import format as fmt
from planner.model.vocabulary import MUTED
from planner.traffic.fit import TrafficStats

#: One colour for observed traffic (not an architecture's): the palette's neutral.
TRAFFIC_COLOR = MUTED
_LAYOUT = dict(
    margin=dict(l=8, r=24, t=40, b=8),
    paper_bgcolor="rgba(0,0,0,0)",
    plot_bgcolor="rgba(0,0,0,0)",
    hovermode="closest",
    showlegend=False,
)


def hourly_figure(stats: TrafficStats) -> go.Figure:
    """Requests in each hour of the window, with the mean hour as a line."""
    x = [h.isoformat() for h, _ in stats.hourly]
    y = [n for _, n in stats.hourly]
    mean = stats.requests / stats.window_hours
    data = [
        dict(
            type="bar",
            x=x,
            y=y,
            name="Requests per hour",
            marker=dict(color=TRAFFIC_COLOR),
            customdata=[fmt.count(v) for v in y],
            hovertemplate="%{x}<br>%{customdata} requests<extra></extra>",
        )
    ]
    layout = dict(
        _LAYOUT,
        height=280,
        title=dict(text="Requests per hour (UTC)", x=0),
        yaxis=dict(title="requests"),
        shapes=[
            dict(
                type="line",
                name="mean hour",
                xref="paper",
                x0=0,
                x1=1,
                y0=mean,
                y1=mean,
                line=dict(dash="dot", color="#555555"),
            )
        ],
    )
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def histogram_figure(bins: list[tuple[float, float, int]], title: str) -> go.Figure:
    """Requests by token count, in bins doubling in width (labelled by their range)."""
    labels = [f"{fmt.count(lo)}–{fmt.count(hi)}" for lo, hi, _ in bins]
    counts = [c for _, _, c in bins]
    data = [
        dict(
            type="bar",
            x=labels,
            y=counts,
            name=title,
            marker=dict(color=TRAFFIC_COLOR),
            hovertemplate="%{x} tokens<br>%{y} requests<extra></extra>",
        )
    ]
    layout = dict(_LAYOUT, height=260, title=dict(text=title, x=0), xaxis=dict(type="category"))
    return go.Figure(dict(data=data, layout=layout), _validate=False)
