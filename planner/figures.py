"""Plotly figures drawn from an `Estimate`: the app's charts, reusable anywhere.

Pure functions, no streamlit. Every figure keeps one colour per architecture
(`planner.scenario.COLORS`), names its main traces by `LABELS`, uses a
transparent background (legible on light and dark themes) and stays lean: at
most ~200 points per trace and no trace that carries no information, because
the browser's redraw is what a user feels when moving a slider.

Figures are assembled as plain dicts and wrapped once without plotly's
per-property validation (`_validate=False`): validating a 15-trace figure
costs ~60 ms, wrapping it ~3 ms. The specs are checked against plotly's
validators in tests/test_figures.py instead.

Log axes carry explicit ticks formatted like the rest of the app ($1.2K, 45K).
Shapes (budget, latency limit, current volume) carry a `name`, so tests and
other code can find them.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from planner import format as fmt
from planner.engine import COMPONENT_LABELS, LATENCY_LABELS, Estimate, Series
from planner.scenario import COLORS, LABELS
from planner.vocabulary import ALERT, COMPONENT_COLORS, LATENCY_COLORS, MUTED

#: Plotly config for every chart: no mode bar, no logo.
CONFIG = {"displayModeBar": False, "displaylogo": False}

BUDGET_SHAPE = "budget"
LIMIT_SHAPE = "latency limit"
CURRENT_SHAPE = "current volume"
BREAK_EVEN_TRACE = "Break-even"
#: Limits and budgets are dash-dotted, in `vocabulary.ALERT`, a crimson far from every architecture colour.
ALERT_DASH = "dashdot"


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _figure(data: list[dict], layout: dict) -> go.Figure:
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def _layout(height: int, **extra) -> dict:
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
    """An architecture's name in its colour, for category axes."""
    return f"<span style='color:{COLORS[arch]}'><b>{LABELS[arch]}</b></span>"


def _usd_list(values) -> list[str]:
    return [fmt.usd(x) for x in np.asarray(values, dtype=float).tolist()]


def _d3_usd(values) -> str:
    """A d3 format for a column of dollars in a hover: cents for small sums, whole dollars above $10.
    (Numbers in customdata travel as compact binary; formatting thousands of strings in Python costs ~10 ms.)"""
    return "$,.2f" if float(np.max(values, initial=0.0)) < 10 else "$,.0f"


# ------------------------------------------------------------------ ticks


def _log_ticks(lo: float, hi: float, label, max_ticks: int = 8) -> tuple[list[float], list[str]]:
    """Tick values at 1-2-5 (or sparser when the span is wide) between lo and hi, with labels."""
    lo = max(lo, 1e-12)
    hi = max(hi, lo * 1.0001)
    e0, e1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    vals: list[float] = []
    for mult in ((1, 2, 5), (1, 3), (1,)):
        vals = [m * 10.0**e for e in range(e0, e1 + 1) for m in mult if lo <= m * 10.0**e <= hi * 1.0000001]
        if len(vals) <= max_ticks:
            break
    if len(vals) > max_ticks:  # very wide span: every n-th decade
        vals = vals[:: math.ceil(len(vals) / max_ticks)]
    if len(vals) < 2:
        vals = [lo, hi]
    return vals, [label(v) for v in vals]


def _linear_ticks(lo: float, hi: float, label, n: int = 5, zero: bool = True) -> tuple[list[float], list[str]]:
    """About `n` round ticks from lo to hi (from zero when `zero`)."""
    if zero:
        lo = min(lo, 0.0)
    hi = max(hi, lo + 1e-9)
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    vals = [k * step for k in range(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1)]
    return vals, [label(v) for v in vals]


def _usd_axis(lo: float, hi: float, *, log: bool, title: str) -> dict:
    vals, text = (_log_ticks if log else _linear_ticks)(lo, hi, fmt.usd_tick)
    axis = dict(title=dict(text=title), tickmode="array", tickvals=vals, ticktext=text, zeroline=False)
    if log:
        axis.update(type="log", range=[math.log10(max(lo, 1e-12)) - 0.05, math.log10(max(hi, 1e-12)) + 0.08])
    else:
        axis.update(range=[min(lo, 0.0), hi])
    return axis


def _volume_axis(volumes: np.ndarray) -> dict:
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


def _current_marker(layout: dict, q: float, volumes: np.ndarray) -> None:
    """The scenario's own volume as a labelled vertical line (when it is on the chart)."""
    if not (volumes[0] <= q <= volumes[-1]):
        return
    layout["shapes"].append(
        dict(
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
    )
    # annotations on a log axis take log10 of the value (shapes take the value); near the right
    # edge the label goes on the line's left, so it is never cut off
    span = math.log10(volumes[-1]) - math.log10(volumes[0])
    right = span > 0 and (math.log10(q) - math.log10(volumes[0])) / span > 0.7
    layout["annotations"].append(
        dict(
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
    )


def _hline(layout: dict, data: list[dict], y: float, name: str, text: str) -> None:
    """A limit across the plot, named in the legend (a label on the plot would collide with the
    lines crossing it, or be cut off at the edge)."""
    line = dict(color=ALERT, width=2, dash=ALERT_DASH)
    layout["shapes"].append(dict(type="line", name=name, x0=0, x1=1, xref="paper", y0=y, y1=y, yref="y", line=line))
    data.append(
        dict(type="scatter", mode="lines", name=text, x=[None], y=[None], line=line, hoverinfo="skip", legendrank=2000)
    )


def _positive(a, floor: float) -> np.ndarray:
    return np.maximum(np.asarray(a, dtype=float), floor)


# ------------------------------------------------------------------ costs


def components_used(est: Estimate, arch: str) -> list[str]:
    """The cost components that are not zero everywhere for one architecture."""
    comps = est.series[arch].components_usd
    return [k for k in COMPONENT_LABELS if np.any(comps[k] > 0)]


def spend_figure(est: Estimate, *, bands: bool = True, height: int = 460) -> go.Figure:
    """Monthly spend over query volume (log–log): one line per architecture with its
    low–high band, break-even points, the budget and the scenario's own volume.
    Hovering a line shows the spend by component at that volume."""
    v = est.volumes
    series = [est.series[a] for a in est.priced]
    every = np.concatenate([np.ravel(x) for s in series for x in (s.low_usd, s.high_usd, s.total_usd)])
    every = every[every > 0]
    y_lo = float(every.min()) if every.size else 0.01
    y_hi = float(every.max()) if every.size else 1.0
    budget = est.scenario.monthly_budget_usd
    if budget:
        y_lo, y_hi = min(y_lo, budget), max(y_hi, budget)
    floor = y_lo / 10  # log axes cannot show zero
    data: list[dict] = _band_traces(series, v, floor) if bands else []
    data += [_spend_trace(est, s, floor) for s in series]
    be = _break_even_trace(est, floor)
    if be:
        data.append(be)
    layout = _layout(
        height,
        xaxis=_volume_axis(v),
        yaxis=_usd_axis(y_lo, y_hi, log=True, title="Monthly spend (USD)"),
    )
    q = est.scenario.workload.queries_per_month
    if v[0] <= q <= v[-1]:
        data.append(_at_volume_trace(est, q, floor))
    _current_marker(layout, q, v)
    _break_even_labels(layout, est, floor, y_lo, y_hi)
    _ruled_out_note(layout, est)
    if budget:
        _hline(layout, data, budget, BUDGET_SHAPE, f"Budget {fmt.usd(budget)}/month")
    return _figure(data, layout)


def _band_traces(series: list[Series], v: np.ndarray, floor: float) -> list[dict]:
    """Each architecture's low–high band: one closed polygon (high forward, low back), thinned to ≤ ~200 points."""
    n = len(v)
    idx = np.unique(np.r_[np.arange(0, n, max(1, math.ceil(n / 100))), n - 1])
    data = []
    for s in series:
        if np.allclose(s.low_usd, s.high_usd):
            continue
        data.append(
            dict(
                type="scatter",
                mode="lines",
                name=f"{s.label} range",
                legendgroup=s.key,
                showlegend=False,
                x=np.r_[v[idx], v[idx][::-1]],
                y=np.r_[_positive(s.high_usd[idx], floor), _positive(s.low_usd[idx][::-1], floor)],
                fill="toself",
                fillcolor=_rgba(s.color, 0.13),
                line=dict(width=0),
                hoverinfo="skip",
            )
        )
    return data


def _spend_trace(est: Estimate, s: Series, floor: float) -> dict:
    """One architecture's spend line; its hover lists the spend by component at that volume."""
    comps = components_used(est, s.key)
    cols = [s.total_usd, s.low_usd, s.high_usd] + [s.components_usd[k] for k in comps]
    f = [_d3_usd(c) for c in cols]
    lines = "".join(f"<br>· {COMPONENT_LABELS[k]}: %{{customdata[{3 + j}]:{f[3 + j]}}}" for j, k in enumerate(comps))
    return dict(
        type="scatter",
        mode="lines",
        name=s.label,
        legendgroup=s.key,
        x=est.volumes,
        y=_positive(s.total_usd, floor),
        line=dict(color=s.color, width=2.5),
        customdata=np.column_stack(cols),
        hovertemplate=(
            f"<b>{s.label}</b> at %{{x:,.0f}} queries/month<br>"
            f"<b>%{{customdata[0]:{f[0]}}}/month</b> (range "
            f"%{{customdata[1]:{f[1]}}}–%{{customdata[2]:{f[2]}}})"
            f"{lines}<extra></extra>"
        ),
    )


def _at_volume_trace(est: Estimate, q: float, floor: float) -> dict:
    """A marker per architecture at the scenario's own volume."""
    return dict(
        type="scatter",
        mode="markers",
        name="At your volume",
        showlegend=False,
        x=[q] * len(est.priced),
        y=[max(est.current[a].monthly_usd, floor) for a in est.priced],
        marker=dict(color=[COLORS[a] for a in est.priced], size=9, line=dict(color="white", width=1)),
        text=[f"{LABELS[a]}: {fmt.usd(est.current[a].monthly_usd)}/month" for a in est.priced],
        hovertemplate="%{text}<extra>your volume</extra>",
    )


def _ruled_out_note(layout: dict, est: Estimate) -> None:
    """Say on the chart which architecture has no curve, and why (e.g. the knowledge does not fit)."""
    for n, reason in enumerate(est.ruled_out.values()):
        layout.setdefault("annotations", []).append(
            dict(
                text=reason if len(reason) <= 110 else reason[:107] + "…",
                xref="paper",
                yref="paper",
                x=0.01,
                y=0.99 - 0.06 * n,
                xanchor="left",
                yanchor="top",
                showarrow=False,
                font=dict(size=11, color=MUTED),
                bgcolor="rgba(255,255,255,0.8)",
            )
        )


def _break_evens_in_range(est: Estimate) -> list:
    return [b for b in est.break_evens if est.volumes[0] <= b.queries_per_month <= est.volumes[-1]]


def _break_even_trace(est: Estimate, floor: float) -> dict | None:
    bes = _break_evens_in_range(est)
    if not bes:
        return None
    return dict(
        type="scatter",
        mode="markers",
        name=BREAK_EVEN_TRACE,
        x=[b.queries_per_month for b in bes],
        y=[max(b.usd_per_month, floor) for b in bes],
        marker=dict(symbol="diamond", size=11, color="rgba(0,0,0,0)", line=dict(color=MUTED, width=2)),
        hovertext=[f"{b.describe()} ({fmt.usd(b.usd_per_month)}/month)" for b in bes],
        hovertemplate="%{hovertext}<extra>break-even</extra>",
    )


#: Two latency lines closer than this share of the axis' height everywhere look like one.
COINCIDE = 0.015
COINCIDE_NOTE = "coinciding lines"
#: Break-even labels are drawn only when they cannot collide or be cut off: at most this many,
LABEL_MAX = 3
#: at least this far apart and from the plot's left and right edges (in decades of volume),
LABEL_GAP_DECADES = 0.45
LABEL_EDGE_DECADES = 0.35
#: and this far from the top and bottom (in decades of spend). Otherwise they live in the markers'
#: hover and in the break-even table under the chart.
LABEL_EDGE_Y_DECADES = 0.25


def break_even_labels_fit(est: Estimate, y_lo: float, y_hi: float) -> bool:
    """True when every break-even in range can carry a label with no overlap and no clipping."""
    bes = _break_evens_in_range(est)
    if not bes or len(bes) > LABEL_MAX:
        return False
    xs = sorted(math.log10(b.queries_per_month) for b in bes)
    x0, x1 = math.log10(est.volumes[0]), math.log10(est.volumes[-1])
    if xs[0] - x0 < LABEL_EDGE_DECADES or x1 - xs[-1] < LABEL_EDGE_DECADES:
        return False
    if any(b - a < LABEL_GAP_DECADES for a, b in zip(xs, xs[1:], strict=False)):
        return False
    lo, hi = math.log10(max(y_lo, 1e-12)), math.log10(max(y_hi, 1e-12))
    return all(
        lo + LABEL_EDGE_Y_DECADES <= math.log10(max(b.usd_per_month, 1e-12)) <= hi - LABEL_EDGE_Y_DECADES for b in bes
    )


def _break_even_labels(layout: dict, est: Estimate, floor: float, y_lo: float, y_hi: float) -> None:
    """A label with an arrow for each break-even, alternating above and below the lines, only when they fit."""
    bes = _break_evens_in_range(est)
    if not break_even_labels_fit(est, y_lo, y_hi):
        return
    for n, b in enumerate(bes):
        layout["annotations"].append(
            dict(
                x=math.log10(b.queries_per_month),
                y=math.log10(max(b.usd_per_month, floor)),
                xref="x",
                yref="y",
                text=f"{LABELS[b.a]} = {LABELS[b.b]}<br>at {fmt.count(b.queries_per_month)}/month",
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor=MUTED,
                ax=0,
                ay=-46 if n % 2 == 0 else 46,
                font=dict(size=11, color=MUTED),
                name=BREAK_EVEN_TRACE,
            )
        )


def breakdown_figure(est: Estimate, height: int = 400) -> go.Figure:
    """Monthly spend at the scenario's volume, stacked by component, one bar per architecture."""
    x = [arch_tick(a) for a in est.priced]
    data = []
    for k in COMPONENT_LABELS:
        vals = [est.current[a].components_usd[k] for a in est.priced]
        if not any(y > 0 for y in vals):
            continue
        data.append(
            dict(
                type="bar",
                name=COMPONENT_LABELS[k],
                x=x,
                y=vals,
                marker=dict(color=COMPONENT_COLORS[k]),
                customdata=_usd_list(vals),
                hovertemplate=f"{COMPONENT_LABELS[k]}: %{{customdata}}/month<extra></extra>",
            )
        )
    totals = [est.current[a].monthly_usd for a in est.priced]
    top = max(totals) if totals else 1.0
    layout = _layout(
        height,
        barmode="stack",
        bargap=0.35,
        yaxis=_usd_axis(0, top * 1.12, log=False, title="USD per month"),
        xaxis=dict(title=dict(text="")),
        legend=dict(orientation="h", yanchor="top", y=-0.1, x=0),
    )
    for xi, t in zip(x, totals, strict=True):
        layout["annotations"].append(
            dict(x=xi, y=t, text=f"<b>{fmt.usd(t)}</b>", showarrow=False, yanchor="bottom", font=dict(size=12))
        )
    return _figure(data, layout)


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
            y=_positive(s.usd_per_1k_queries, lo / 10),
            line=dict(color=s.color, width=2.5),
            hovertemplate=f"<b>{s.label}</b> at %{{x:,.0f}} queries/month<br>%{{y:{_d3_usd(s.usd_per_1k_queries)}}} "
            "per 1,000 queries<extra></extra>",
        )
        for s in (est.series[a] for a in est.priced)
    ]
    layout = _layout(height, xaxis=_volume_axis(v), yaxis=_usd_axis(lo, hi, log=True, title="USD per 1,000 queries"))
    _current_marker(layout, est.scenario.workload.queries_per_month, v)
    return _figure(data, layout)


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
                hovertemplate=f"<b>{LABELS[a]}</b> after %{{x}} months: %{{y:$,.0f}}<extra></extra>",
            )
        )
    layout = _layout(
        height,
        xaxis=dict(title=dict(text="Months"), range=[0, int(months[-1])], dtick=max(1, round(len(months) / 12))),
        yaxis=_usd_axis(0, top * 1.05, log=False, title="Cumulative spend (USD)"),
    )
    return _figure(data, layout)


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
                marker=dict(color=_rgba(COLORS[arch], alpha)),
                customdata=[[fmt.usd(x), ("+" if x >= base else "") + fmt.usd(x - base)] for x in vals],
                hovertemplate=f"%{{y}} {sign}{pct}: %{{customdata[0]}}/month (%{{customdata[1]}})<extra></extra>",
            )
        )
    lo = min([base] + [min(r.low_usd, r.high_usd) for r in rows])
    hi = max([base] + [max(r.low_usd, r.high_usd) for r in rows])
    pad = (hi - lo) * 0.06 or base * 0.05 or 1.0
    vals, text = _linear_ticks(max(lo - pad, 0.0), hi + pad, fmt.usd, zero=False)
    layout = _layout(
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
    return _figure(data, layout)


# ------------------------------------------------------------------ latency


def latency_figure(est: Estimate, height: int = 440) -> go.Figure:
    """p95 (solid, named by LABELS) and p50 (dotted) latency over volume, with the p95 limit."""
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
        # a line lying on an earlier one (within 1.5% of the axis' height everywhere, about a line's width)
        # is drawn dashed, wider and named for it, so four lines never look like two
        same = next(
            (b for b in drawn if np.max(np.abs(est.series[b].latency_p95_ms - s.latency_p95_ms)) <= COINCIDE * y_top),
            None,
        )
        drawn.append(a)
        if same:
            pairs.append(f"{s.label} lies on {LABELS[same]}")
        on = f" (on {LABELS[same]}'s line)" if same else ""
        dash = ("dash", "longdash", "dashdot")[n_arch % 3] if same else "solid"
        data.append(
            dict(
                type="scatter",
                mode="lines",
                name=f"{s.label} p50",
                legendgroup=a,
                showlegend=False,
                x=v,
                y=s.latency_p50_ms,
                line=dict(color=s.color, width=1.5, dash="dot"),
                hovertemplate=f"<b>{s.label}</b> p50 at %{{x:,.0f}} queries/month: %{{y:,.0f}} ms<extra></extra>",
            )
        )
        data.append(
            dict(
                type="scatter",
                mode="lines",
                name=s.label,
                legendgroup=a,
                x=v,
                y=s.latency_p95_ms,
                line=dict(color=s.color, width=3.5 if same else 2.5, dash=dash),
                hovertemplate=f"<b>{s.label}</b>{on} p95 at %{{x:,.0f}} queries/month: %{{y:,.0f}} ms<extra></extra>",
            )
        )
    limit = est.scenario.latency_target_p95_ms
    if limit:
        top = max(top, limit)
    vals, text = _linear_ticks(0, top * 1.08, fmt.ms)
    layout = _layout(
        height,
        xaxis=_volume_axis(v),
        yaxis=dict(
            title=dict(text="Latency: p95 solid, p50 dotted"),
            tickmode="array",
            tickvals=vals,
            ticktext=text,
            range=[0, top * 1.08],
        ),
    )
    if limit:
        _hline(layout, data, limit, LIMIT_SHAPE, f"p95 limit {fmt.ms(limit)}")
    if pairs:  # say which lines lie on which, under the axis title, where no line can cross it
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
    _current_marker(layout, est.scenario.workload.queries_per_month, v)
    return _figure(data, layout)


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
    vals, text = _linear_ticks(0, top * 1.4, fmt.ms)
    layout = _layout(
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
    return _figure(data, layout)


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
