"""The other cost figures: spend by component at the scenario's volume, cost per 1,000 queries, cumulative
spend over the horizon, and the sensitivity tornado."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import numpy as np
import plotly.graph_objects as go

from planner.engine import Estimate
from planner.figures.style import (
    add_current_marker,
    arch_tick,
    base_layout,
    hover_usd,
    linear_ticks,
    positive,
    to_rgba,
    usd_axis,
    usd_list,
    volume_axis,
    wrap_figure,
)
from planner.model import format as fmt
from planner.model.vocabulary import COLORS, COMPONENT_COLORS, COMPONENT_LABELS, LABELS, MUTED


def breakdown_figure(est: Estimate, height: int = 400, ruled_out: AbstractSet[str] = frozenset()) -> go.Figure:
    """Monthly spend at the scenario's volume, stacked by component, one bar per architecture. Ruled-out
    options are left out (their bars would set the scale for the options that can be chosen), unless every
    option is ruled out."""
    shown = [a for a in est.priced if a not in ruled_out] or list(est.priced)
    x = [arch_tick(a) for a in shown]
    data = []
    for k in COMPONENT_LABELS:
        vals = [est.current[a].components_usd[k] for a in shown]
        if not any(y > 0 for y in vals):
            continue
        data.append(
            dict(
                type="bar",
                name=COMPONENT_LABELS[k],
                x=x,
                y=vals,
                marker=dict(color=COMPONENT_COLORS[k]),
                customdata=usd_list(vals),
                hovertemplate=f"{COMPONENT_LABELS[k]}: %{{customdata}}/month<extra></extra>",
            )
        )
    totals = [est.current[a].monthly_usd for a in shown]
    top = max(totals) if totals else 1.0
    layout = base_layout(
        height,
        barmode="stack",
        bargap=0.35,
        yaxis=usd_axis(0, top * 1.12, log=False, title="USD per month"),
        xaxis=dict(title=dict(text="")),
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0),
    )
    for xi, t in zip(x, totals, strict=True):
        layout["annotations"].append(
            dict(x=xi, y=t, text=f"<b>{fmt.usd(t)}</b>", showarrow=False, yanchor="bottom", font=dict(size=12))
        )
    return wrap_figure(data, layout)


def per_1k_figure(est: Estimate, height: int = 400) -> go.Figure:
    """Cost per 1,000 queries over volume (log–log): where fixed costs are spread thin."""
    v = est.volumes
    ys = np.concatenate([est.series[a].usd_per_1k_queries for a in est.priced])
    ys = ys[ys > 0]
    lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (0.01, 1.0)
    data = [
        dict(
            type="scatter",
            mode="lines",
            name=s.label,
            x=v,
            y=positive(s.usd_per_1k_queries, lo / 10),
            line=dict(color=s.color, width=2.5),
            customdata=hover_usd(s.usd_per_1k_queries),
            hovertemplate=f"<b>{s.label}</b> at %{{x:,.0f}} queries/month<br>%{{customdata}} "
            "per 1,000 queries<extra></extra>",
        )
        for s in (est.series[a] for a in est.priced)
    ]
    layout = base_layout(height, xaxis=volume_axis(v), yaxis=usd_axis(lo, hi, log=True, title="USD per 1,000 queries"))
    add_current_marker(layout, est.scenario.workload.queries_per_month, v)
    return wrap_figure(data, layout)


def tco_figure(est: Estimate, height: int = 400) -> go.Figure:
    """Cumulative spend over the horizon: one-time costs at month 0, then each month's spend."""
    months = np.arange(est.scenario.horizon_months + 1)
    data = []
    top = 0.0
    for a in est.priced:
        y = est.cumulative_usd(a)
        top = max(top, float(y.max()))
        data.append(
            dict(
                type="scatter",
                name=LABELS[a],
                x=months,
                y=y,
                mode="lines+markers" if len(months) <= 25 else "lines",
                marker=dict(size=5),
                line=dict(color=COLORS[a], width=2.5),
                customdata=hover_usd(y),
                hovertemplate=f"<b>{LABELS[a]}</b> after %{{x}} months: %{{customdata}}<extra></extra>",
            )
        )
    layout = base_layout(
        height,
        xaxis=dict(title=dict(text="Months"), range=[0, int(months[-1])], dtick=max(1, round(len(months) / 12))),
        yaxis=usd_axis(0, top * 1.05, log=False, title="Cumulative spend (USD)"),
    )
    return wrap_figure(data, layout)


def tornado_figure(est: Estimate, arch: str, top: int = 10, height: int | None = None) -> go.Figure:
    """Sensitivity of one architecture's monthly spend: each input moved by ±delta, largest swing on top."""
    rows = list(est.sensitivity[arch][:top])[::-1]
    pct = f"{est.sensitivity_delta:.0%}"
    base = est.current[arch].monthly_usd
    labels = [r.label for r in rows]
    data = []
    for sign, vals, alpha in (("−", [r.low_usd for r in rows], 0.45), ("+", [r.high_usd for r in rows], 1.0)):
        data.append(
            dict(
                type="bar",
                orientation="h",
                name=f"input {sign}{pct}",
                y=labels,
                x=[x - base for x in vals],
                base=[base] * len(vals),
                marker=dict(color=to_rgba(COLORS[arch], alpha)),
                customdata=[[fmt.usd(x), ("+" if x >= base else "") + fmt.usd(x - base)] for x in vals],
                hovertemplate=f"%{{y}} {sign}{pct}: %{{customdata[0]}}/month (%{{customdata[1]}})<extra></extra>",
            )
        )
    lo = min([base] + [min(r.low_usd, r.high_usd) for r in rows])
    hi = max([base] + [max(r.low_usd, r.high_usd) for r in rows])
    pad = (hi - lo) * 0.06 or base * 0.05 or 1.0
    vals, text = linear_ticks(max(lo - pad, 0.0), hi + pad, fmt.usd, zero=False)
    layout = base_layout(
        height or 110 + 30 * max(len(rows), 1),
        barmode="overlay",
        bargap=0.25,
        xaxis=dict(
            title=dict(text=f"{LABELS[arch]}: monthly spend with one input moved ±{pct} (now {fmt.usd(base)})"),
            tickmode="array",
            tickvals=vals,
            ticktext=text,
            range=[lo - pad, hi + pad],
            zeroline=False,
        ),
        yaxis=dict(title=dict(text=""), automargin=True),
    )
    layout["shapes"].append(
        dict(type="line", name="now", x0=base, x1=base, y0=0, y1=1, yref="paper", line=dict(color=MUTED, width=1))
    )
    return wrap_figure(data, layout)
