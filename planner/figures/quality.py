"""The cost-vs-pass-rate chart: each measured option (and model) as a point — monthly spend with retries
against its pass rate, with the 95% Wilson interval as an error bar — and the efficient frontier drawn
through the points nothing beats on both."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from planner.model import format as fmt
from planner.model.vocabulary import COLORS, MUTED
from planner.presentation import ticks
from planner.quality import QualityAssessment
from planner.quality.text import point_label

FRONTIER_TRACE = "Efficient frontier"


def quality_points(qa: QualityAssessment) -> list[dict]:
    """Every point drawn: id, label, architecture, spend, pass rate and its interval, cost per success."""
    pts = [
        dict(
            id=k,
            label=o.label,
            arch=k,
            spend=o.spend_usd,
            rate=o.pass_rate,
            low=o.pass_rate_low,
            high=o.pass_rate_high,
            per_success=o.cost_per_successful_answer_usd,
            model=False,
        )
        for k, o in qa.options.items()
        if o.measured
    ]
    pts += [
        dict(
            id=m.id,
            label=point_label(qa, m.id),
            arch=m.architecture,
            spend=m.spend_usd,
            rate=m.pass_rate,
            low=m.pass_rate_low,
            high=m.pass_rate_high,
            per_success=m.cost_per_successful_answer_usd,
            model=True,
        )
        for m in qa.models
    ]
    return pts


def _point_trace(p: dict) -> dict:
    """One point with its 95% interval as an error bar; the hover gives spend, rate, interval and cost per success."""
    custom = [fmt.usd(p["spend"]), fmt.pct(p["rate"]), fmt.pct(p["low"]), fmt.pct(p["high"])]
    return dict(
        type="scatter",
        mode="markers+text",
        name=p["label"],
        x=[max(p["spend"], 1e-6)],
        y=[p["rate"]],
        text=[p["label"]],
        textposition="top center",
        marker=dict(
            color=COLORS[p["arch"]], size=9 if p["model"] else 13, symbol="diamond" if p["model"] else "circle"
        ),
        error_y=dict(type="data", symmetric=False, array=[p["high"] - p["rate"]], arrayminus=[p["rate"] - p["low"]]),
        customdata=[[*custom, fmt.usd_each(p["per_success"])]],
        hovertemplate="<b>%{text}</b><br>%{customdata[0]}/month · pass rate %{customdata[1]} "
        "(%{customdata[2]}–%{customdata[3]})<br>%{customdata[4]} per successful answer<extra></extra>",
        showlegend=False,
    )


def _frontier_trace(front: list[dict]) -> dict:
    return dict(
        type="scatter",
        mode="lines",
        name=FRONTIER_TRACE,
        x=[max(p["spend"], 1e-6) for p in front],
        y=[p["rate"] for p in front],
        line=dict(color=MUTED, dash="dash", width=1.5, shape="hv"),
        hoverinfo="skip",
        showlegend=True,
    )


def usd_ticks(lo: float, hi: float, log: bool) -> tuple[list[float], list[str]]:
    """Round money ticks between lo and hi (1-2-5 steps), labelled in the app's money format ($50, $1K, $2.5K)."""
    if hi <= lo:
        hi = lo * 2 or 1.0
    vals = ticks.decade_values(lo, hi, (1, 2, 5)) if log else ticks.linear_ticks(lo, hi, zero=False, nearest=True)
    return vals, [fmt.usd_tick(v) for v in vals]


def base_layout(spends: list[float], height: int) -> dict:
    log = max(spends) / min(spends) > 20
    lo, hi = (min(spends) / 2, max(spends) * 2) if log else (0.0, max(spends) * 1.15)
    tickvals, ticktext = usd_ticks(max(lo, 1e-6), hi, log) if log else usd_ticks(lo, hi, log)
    return dict(
        height=height,
        margin=dict(l=8, r=24, t=40, b=8),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left"),
        hovermode="closest",
        xaxis=dict(
            title=dict(text="Monthly spend at your volume, retries included (USD)"),
            type="log" if log else "linear",
            range=[math.log10(lo), math.log10(hi)] if log else [lo, hi],
            tickmode="array",
            tickvals=tickvals,
            ticktext=ticktext,
        ),
        yaxis=dict(title=dict(text="Pass rate (95% interval)"), tickformat=".0%", range=[0, 1.05]),
    )


def quality_figure(qa: QualityAssessment, height: int = 420) -> go.Figure:
    """Every measured option and model as a point with its interval, and the frontier (two points or more)."""
    pts = quality_points(qa)
    data = [_point_trace(p) for p in pts]
    by_id = {p["id"]: p for p in pts}
    front = [by_id[i] for i in qa.frontier if i in by_id]
    if len(front) >= 2:
        data.append(_frontier_trace(front))
    spends = [max(p["spend"], 1e-6) for p in pts] or [1.0]
    return go.Figure(dict(data=data, layout=base_layout(spends, height)), _validate=False)
