"""Latency figures: p50/p95 over query volume with the limit (`latency_figure`), and one request's time
by part at the scenario's volume (`latency_breakdown_figure`)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from planner.engine import Estimate, Series
from planner.figures.style import (
    LIMIT_SHAPE,
    add_current_marker,
    arch_tick,
    base_layout,
    figure_spec,
    hline,
    hover_ms,
    linear_ticks,
    volume_axis,
    wrap_figure,
)
from planner.model import format as fmt
from planner.model.vocabulary import LABELS, LATENCY_COLORS, LATENCY_LABELS, MUTED

#: Two latency lines closer than this share of the axis' height everywhere look like one.
COINCIDE = 0.015
COINCIDE_NOTE = "coinciding lines"


def latency_figure(est: Estimate, height: int = 440) -> go.Figure:
    """p95 (solid, named by LABELS) and p50 (dotted) latency over volume, with the p95 limit."""
    return wrap_figure(*_latency_parts(est, height))


def latency_spec(est: Estimate) -> dict:
    """`latency_figure(est)`'s JSON (as `to_plotly_json` gives it), built without wrapping the figure."""
    return figure_spec(*_latency_parts(est, 440))


def _latency_parts(est: Estimate, height: int) -> tuple[list[dict], dict]:
    v = est.volumes
    data = []
    top = 0.0
    drawn: list[str] = []
    pairs: list[str] = []
    y_top = max(float(np.max(est.series[a].latency_p95_ms)) for a in est.priced)
    y_top = max(y_top, est.scenario.latency_target_p95_ms or 0.0)
    for n_arch, a in enumerate(est.priced):
        s = est.series[a]
        top = max(top, float(np.max(s.latency_p95_ms)))
        same = _lies_on(est, s, drawn, y_top)
        drawn.append(a)
        if same:
            pairs.append(f"{s.label} lies on {LABELS[same]}")
        data += _latency_lines(est, s, n_arch, same)
    limit = est.scenario.latency_target_p95_ms
    ft_limit = est.scenario.first_token_target_p95_ms
    if ft_limit:  # the first-token limit is judged on the first token: its curves are drawn beside it
        data += [_first_token_line(est, est.series[a]) for a in est.priced]
    top = max(top, limit or 0.0, ft_limit or 0.0)
    layout = base_layout(height, xaxis=volume_axis(v), yaxis=_latency_axis(top * 1.08))
    if limit:
        name = "p95 limit" if not ft_limit else "p95 full-answer limit"
        hline(layout, data, limit, LIMIT_SHAPE, f"{name} {fmt.ms(limit)}")
    if ft_limit:
        hline(layout, data, ft_limit, LIMIT_SHAPE + "_first_token", f"p95 first-token limit {fmt.ms(ft_limit)}")
    if pairs:
        _coincide_note(layout, pairs)
    add_current_marker(layout, est.scenario.workload.queries_per_month, v)
    return data, layout


def _first_token_line(est: Estimate, s: Series) -> dict:
    """An architecture's p95 time to the first token (thin, dash-dot, no legend entry of its own)."""
    return _thin_line(est, s, "first token p95", s.first_token_p95_ms, "dashdot")


def _thin_line(est: Estimate, s: Series, what: str, y_ms, dash: str) -> dict:
    """A thin line of `s`'s color beside its p95 line, in its legend group without an entry of its own."""
    return dict(
        type="scatter",
        mode="lines",
        name=f"{s.label} {what}",
        legendgroup=s.key,
        showlegend=False,
        x=est.volumes,
        y=y_ms,
        line=dict(color=s.color, width=1.5, dash=dash),
        customdata=hover_ms(y_ms),  # the app's one duration format (planner.model.format.ms)
        hovertemplate=f"<b>{s.label}</b> {what} at %{{x:,.0f}} queries/month: %{{customdata}}<extra></extra>",
    )


def _lies_on(est: Estimate, s: Series, drawn: list[str], y_top: float) -> str | None:
    """The earlier architecture whose p95 line `s` lies on (within 1.5% of the axis' height everywhere, about a
    line's width), or None. Such a line is drawn dashed, wider and named for it, so four lines never look like two."""
    return next(
        (b for b in drawn if np.max(np.abs(est.series[b].latency_p95_ms - s.latency_p95_ms)) <= COINCIDE * y_top),
        None,
    )


def _latency_lines(est: Estimate, s: Series, n_arch: int, same: str | None) -> list[dict]:
    """One architecture's p50 (dotted, no legend entry) and p95 lines."""
    on = f" (on {LABELS[same]}'s line)" if same else ""
    dash = ("dash", "longdash", "dashdot")[n_arch % 3] if same else "solid"
    p50 = _thin_line(est, s, "p50", s.latency_p50_ms, "dot")
    p95 = dict(
        type="scatter",
        mode="lines",
        name=s.label,
        legendgroup=s.key,
        x=est.volumes,
        y=s.latency_p95_ms,
        line=dict(color=s.color, width=3.5 if same else 2.5, dash=dash),
        customdata=hover_ms(s.latency_p95_ms),
        hovertemplate=f"<b>{s.label}</b>{on} p95 at %{{x:,.0f}} queries/month: %{{customdata}}<extra></extra>",
    )
    return [p50, p95]


def _latency_axis(top: float) -> dict:
    vals, text = linear_ticks(0, top, fmt.ms)
    # the zero label would sit on the volume axis' first label at the corner: the axis line says zero
    text = ["" if v == 0 else t for v, t in zip(vals, text, strict=True)]
    return dict(
        title=dict(text="Latency: p95 solid, p50 dotted"),
        tickmode="array",
        tickvals=vals,
        ticktext=text,
        range=[0, top],
    )


def _coincide_note(layout: dict, pairs: list[str]) -> None:
    """Say which lines lie on which, under the axis title, where no line can cross it."""
    layout["margin"] = dict(layout["margin"], b=64)
    layout["annotations"].append(
        dict(
            name=COINCIDE_NOTE,
            x=0,
            xref="paper",
            xanchor="left",
            y=0,
            yref="paper",
            yanchor="top",
            yshift=-44,
            showarrow=False,
            align="left",
            text="Dashed: " + "; ".join(pairs) + " (closer than a line's width)",
            font=dict(size=11, color=MUTED),
        )
    )


def latency_breakdown_figure(est: Estimate, height: int = 330) -> go.Figure:
    """One request's median time by part: a horizontal stacked bar per architecture."""
    archs = list(est.priced)[::-1]  # first architecture on top
    y = [arch_tick(a) for a in archs]
    data = []
    for k in LATENCY_LABELS:
        p50 = [est.current[a].latency_breakdown_ms[k][0] for a in archs]
        p95 = [est.current[a].latency_breakdown_ms[k][1] for a in archs]
        if not any(x > 0 for x in p50):
            continue
        data.append(
            dict(
                type="bar",
                orientation="h",
                name=LATENCY_LABELS[k],
                y=y,
                x=p50,
                marker=dict(color=LATENCY_COLORS[k]),
                customdata=[[fmt.ms(a), fmt.ms(b)] for a, b in zip(p50, p95, strict=True)],
                hovertemplate=f"{LATENCY_LABELS[k]}: %{{customdata[0]}} median, %{{customdata[1]}} p95<extra></extra>",
            )
        )
    top = max(est.current[a].latency_p50_ms for a in est.priced)
    vals, text = linear_ticks(0, top * 1.4, fmt.ms)
    layout = base_layout(
        height,
        barmode="stack",
        bargap=0.3,
        xaxis=dict(
            title=dict(text="Median time of one request, by part"),
            tickmode="array",
            tickvals=vals,
            ticktext=text,
            range=[0, top * 1.4],
        ),
        yaxis=dict(title=dict(text=""), automargin=True),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
    )
    for yi, a in zip(y, archs, strict=True):
        c = est.current[a]
        layout["annotations"].append(
            dict(
                x=c.latency_p50_ms,
                y=yi,
                xanchor="left",
                showarrow=False,
                font=dict(size=11),
                text=f"  p50 {fmt.ms(c.latency_p50_ms)} · p95 {fmt.ms(c.latency_p95_ms)}",
            )
        )
    return wrap_figure(data, layout)
