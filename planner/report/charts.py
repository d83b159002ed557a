"""The chart kit (axes, lines, legends; the tick values are `planner.presentation.ticks`) and the report's
four charts, drawn as vector graphics."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
)

from planner.engine import Estimate
from planner.model.format import count, ms, usd
from planner.model.scenario import Scenario
from planner.model.vocabulary import COLORS, COMPONENT_LABELS, LABELS, NEUTRAL
from planner.presentation.ticks import linear_axis, log_grid, nice_down, nice_up
from planner.report.style import COMPONENT_COLORS, FAINT, GRID, INK, MARKER, MUTED, RED
from planner.report.text import FONT, FONT_BOLD, fit_text, pdf_usd_tick


def hex(c: str, alpha: float | None = None) -> colors.Color:
    col = colors.HexColor(c)
    if alpha is None:
        return col
    return colors.Color(col.red, col.green, col.blue, alpha=alpha)


class _Plot:
    """Maps data to points in a rectangle of a Drawing, on linear or log axes."""

    def __init__(self, x0, y0, w, h, xlim, ylim, xlog, ylog):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.xlim, self.ylim, self.xlog, self.ylog = xlim, ylim, xlog, ylog

    @staticmethod
    def drawable_text(v, lim, log):
        v = np.asarray(v, dtype=float)
        if log:
            lo, hi = math.log10(lim[0]), math.log10(lim[1])
            v = np.log10(np.clip(v, lim[0], lim[1]))
        else:
            lo, hi = lim
            v = np.clip(v, lo, hi)
        return (v - lo) / (hi - lo)

    def fx(self, v):
        return self.x0 + self.drawable_text(v, self.xlim, self.xlog) * self.w

    def fy(self, v):
        return self.y0 + self.drawable_text(v, self.ylim, self.ylog) * self.h

    def inside_x(self, v) -> bool:
        return v is not None and math.isfinite(v) and self.xlim[0] <= v <= self.xlim[1] and (v > 0 or not self.xlog)

    def inside_y(self, v) -> bool:
        return v is not None and math.isfinite(v) and self.ylim[0] <= v <= self.ylim[1] and (v > 0 or not self.ylog)


def _label(x, y, text, size=7, color=MUTED, anchor="start", font=FONT) -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)


def _axes(d: Drawing, p: _Plot, xticks, yticks, xminor, yminor, xfmt, yfmt, xtitle, ytitle) -> None:
    grid = GRID
    faint = FAINT
    for v in xminor:
        x = float(p.fx(v))
        d.add(Line(x, p.y0, x, p.y0 + p.h, strokeColor=faint, strokeWidth=0.4))
    for v in yminor:
        y = float(p.fy(v))
        d.add(Line(p.x0, y, p.x0 + p.w, y, strokeColor=faint, strokeWidth=0.4))
    for v in xticks:
        x = float(p.fx(v))
        d.add(Line(x, p.y0, x, p.y0 + p.h, strokeColor=grid, strokeWidth=0.5))
        d.add(Line(x, p.y0 - 3, x, p.y0, strokeColor=MUTED, strokeWidth=0.5))
        d.add(_label(x, p.y0 - 11, xfmt(v), anchor="middle"))
    for v in yticks:
        y = float(p.fy(v))
        d.add(Line(p.x0, y, p.x0 + p.w, y, strokeColor=grid, strokeWidth=0.5))
        d.add(Line(p.x0 - 3, y, p.x0, y, strokeColor=MUTED, strokeWidth=0.5))
        d.add(_label(p.x0 - 5, y - 2.5, yfmt(v), anchor="end"))
    d.add(Line(p.x0, p.y0, p.x0 + p.w, p.y0, strokeColor=MUTED, strokeWidth=0.7))
    d.add(Line(p.x0, p.y0, p.x0, p.y0 + p.h, strokeColor=MUTED, strokeWidth=0.7))
    d.add(_label(p.x0 + p.w / 2, p.y0 - 23, xtitle, size=7.5, color=INK, anchor="middle"))
    g = Group(_label(0, 0, ytitle, size=7.5, color=INK, anchor="middle"))
    g.transform = (0, 1, -1, 0, 9, p.y0 + p.h / 2)
    d.add(g)


def _simplify(px: np.ndarray, py: np.ndarray, tol: float = 0.15) -> np.ndarray:
    """Mask of the points to keep so the line moves by less than `tol` points (Ramer–Douglas–Peucker).

    A straight or flat stretch needs two points, not two hundred: smaller PDFs, faster drawing,
    and the same picture (steps and bends are kept)."""
    n = len(px)
    keep = np.zeros(n, dtype=bool)
    if n:
        keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        dx, dy = px[j] - px[i], py[j] - py[i]
        length = math.hypot(dx, dy)
        sx, sy = px[i + 1 : j] - px[i], py[i + 1 : j] - py[i]
        d = np.abs(dy * sx - dx * sy) / length if length > 0 else np.hypot(sx, sy)
        k = int(np.argmax(d))
        if d[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack += [(i, m), (m, j)]
    return keep


def _polyline(p: _Plot, xs, ys, color, width=1.6, dash=None) -> list[PolyLine]:
    """Lines through the finite points (a gap where a value is missing)."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    if p.xlog:
        ok &= xs > 0
    out, run = [], []
    px, py = p.fx(np.where(ok, xs, p.xlim[0])), p.fy(np.where(ok, ys, p.ylim[0]))
    for k in range(len(xs)):
        if ok[k]:
            run += [float(px[k]), float(py[k])]
        elif run:
            out.append(run)
            run = []
    if run:
        out.append(run)
    lines = []
    for r in out:
        if len(r) < 4:
            continue
        rx, ry = np.asarray(r[0::2]), np.asarray(r[1::2])
        keep = _simplify(rx, ry)
        pts = [round(float(v), 2) for pair in zip(rx[keep], ry[keep], strict=True) for v in pair]
        lines.append(
            PolyLine(pts, strokeColor=color, strokeWidth=width, strokeDashArray=dash, strokeLineJoin=1, strokeLineCap=1)
        )
    return lines


@dataclass
class _LegendItem:
    text: str
    color: colors.Color
    kind: str = "line"  # line | dash | dot | box | marker
    width: float = 1.6


def _legend(d: Drawing, items: Sequence[_LegendItem], x0: float, y_top: float, width: float) -> float:
    """Legend rows from `y_top` down, wrapping to `width`; returns the height used."""
    size, gap, sw = 7.2, 12, 16
    x, y = x0, y_top - 8
    for it in items:
        text = fit_text(it.text, FONT, size, width - sw - 4)
        w = sw + 4 + stringWidth(text, FONT, size)
        if x > x0 and x + w > x0 + width:
            x, y = x0, y - 11
        cy = y + 2.5
        if it.kind == "box":
            d.add(Rect(x + 3, cy - 3.5, 9, 7, fillColor=it.color, strokeColor=None))
        elif it.kind == "marker":
            d.add(Circle(x + 8, cy, 3, fillColor=colors.white, strokeColor=it.color, strokeWidth=1))
        else:
            dash = {"dash": [4, 2.5], "dot": [1.2, 2]}.get(it.kind)
            d.add(Line(x, cy, x + sw, cy, strokeColor=it.color, strokeWidth=it.width, strokeDashArray=dash))
        d.add(_label(x + sw + 4, y, text, size=size, color=INK))
        x += w + gap
    return y_top - y + 4


def _legend_height(items: Sequence[_LegendItem], width: float) -> float:
    return _legend(Drawing(width, 100, initialFontName=FONT), items, 0, 100, width)


def _vline(d: Drawing, p: _Plot, x_value: float, text: str) -> None:
    if not p.inside_x(x_value):
        return
    x = float(p.fx(x_value))
    d.add(Line(x, p.y0, x, p.y0 + p.h, strokeColor=MARKER, strokeWidth=0.9, strokeDashArray=[1.5, 2]))
    tw = stringWidth(text, FONT, 6.8)
    right = x + 3 + tw <= p.x0 + p.w
    d.add(Rect(x + 2 if right else x - 4 - tw, p.y0 + p.h - 10, tw + 2, 9, fillColor=colors.white, strokeColor=None))
    d.add(
        _label(x + 3 if right else x - 3, p.y0 + p.h - 8, text, size=6.8, color=INK, anchor="start" if right else "end")
    )


def hline(d: Drawing, p: _Plot, y_value: float, text: str, color=RED) -> None:
    if not p.inside_y(y_value):
        return
    y = float(p.fy(y_value))
    d.add(Line(p.x0, y, p.x0 + p.w, y, strokeColor=color, strokeWidth=1.1, strokeDashArray=[5, 3]))
    tw = stringWidth(text, FONT_BOLD, 6.8)
    below = y + 11 > p.y0 + p.h
    ty = y - 9 if below else y + 3
    d.add(Rect(p.x0 + 4, ty - 1.5, tw + 3, 8.5, fillColor=colors.white, strokeColor=None))
    d.add(_label(p.x0 + 5.5, ty, text, size=6.8, color=color, font=FONT_BOLD))


def cost_chart(est: Estimate, scenario: Scenario, width: float) -> Drawing:
    """Monthly spend over query volume, log–log, one line per architecture."""
    q = np.asarray(est.volumes, float)
    budget = scenario.monthly_budget_usd
    now = scenario.workload.queries_per_month
    ys = [est.series[a].total_usd for a in est.priced] + [est.series[a].low_usd for a in est.priced]
    ys += [est.series[a].high_usd for a in est.priced]
    vals = np.concatenate([np.asarray(y, float) for y in ys])
    vals = vals[np.isfinite(vals) & (vals > 0)]
    if budget:
        vals = np.append(vals, budget)
    lo_v, hi_v = (float(vals.min()), float(vals.max())) if vals.size else (1.0, 10.0)
    ylim = (nice_down(lo_v), nice_up(hi_v if hi_v > lo_v else lo_v * 10))
    xlim = (float(q[0]), float(q[-1]))

    items = [_LegendItem(LABELS[a], hex(COLORS[a]), width=2) for a in est.priced]
    if any(has_range(est, a) for a in est.priced):
        items.append(_LegendItem("low–high range", hex(NEUTRAL, 0.35), "box"))
    if est.break_evens:
        items.append(_LegendItem("break-even (numbered)", INK, "marker"))
    if budget:
        items.append(_LegendItem(f"budget {usd(budget)}/month", RED, "dash", 1.1))
    if xlim[0] <= now <= xlim[1] and now > 0:
        items.append(_LegendItem(f"planned volume {count(now)}/month", MARKER, "dot", 0.9))
    lh = _legend_height(items, width - 50)
    height = 250 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, xlim, ylim, True, True)
    xt, xm = log_grid(*xlim)
    yt, ym = log_grid(*ylim)
    _axes(d, p, xt, yt, xm, ym, count, pdf_usd_tick, "Queries per month (log scale)", "USD per month (log scale)")
    for a in est.priced:
        s = est.series[a]
        if has_range(est, a):
            lo, hi = np.asarray(s.low_usd, float), np.asarray(s.high_usd, float)
            ok = np.isfinite(lo) & np.isfinite(hi) & (hi > 0)
            if ok.sum() >= 2:
                xs, lo_y, hi_y = p.fx(q[ok]), p.fy(np.maximum(lo[ok], ylim[0])), p.fy(hi[ok])
                k_hi, k_lo = _simplify(xs, hi_y), _simplify(xs, lo_y)
                pts = [round(float(v), 2) for pair in zip(xs[k_hi], hi_y[k_hi], strict=True) for v in pair]
                pts += [round(float(v), 2) for pair in zip(xs[k_lo][::-1], lo_y[k_lo][::-1], strict=True) for v in pair]
                d.add(Polygon(pts, fillColor=hex(COLORS[a], 0.16), strokeColor=None))
    for a in est.priced:
        for line in _polyline(p, q, est.series[a].total_usd, hex(COLORS[a]), 1.8):
            d.add(line)
    if budget:
        hline(d, p, budget, f"Budget {usd(budget)}/month")
    _vline(d, p, now, f"Planned: {count(now)}/month")
    for n, be in enumerate(est.break_evens, 1):
        if not (p.inside_x(be.queries_per_month) and p.inside_y(be.usd_per_month)):
            continue
        x, y = float(p.fx(be.queries_per_month)), float(p.fy(be.usd_per_month))
        d.add(Circle(x, y, 3.4, fillColor=colors.white, strokeColor=INK, strokeWidth=1))
        if len(est.break_evens) <= 20:
            d.add(_label(x, y + 5.5, str(n), size=6.8, color=INK, anchor="middle", font=FONT_BOLD))
    _legend(d, items, 50, height, width - 50)
    return d


def has_range(est: Estimate, a: str) -> bool:
    s = est.series[a]
    lo, hi, t = np.asarray(s.low_usd, float), np.asarray(s.high_usd, float), np.asarray(s.total_usd, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return bool(np.nanmax(np.abs(hi - lo) / np.maximum(np.abs(t), 1e-12)) > 0.005) if t.size else False


def latency_chart(est: Estimate, scenario: Scenario, width: float) -> Drawing:
    """p50 (dashed) and p95 (solid) latency over volume, linear ms against log volume."""
    q = np.asarray(est.volumes, float)
    limit, ft_limit = scenario.latency_target_p95_ms, scenario.first_token_target_p95_ms
    now = scenario.workload.queries_per_month
    vals = np.concatenate([np.asarray(est.series[a].latency_p95_ms, float) for a in est.priced])
    vals = vals[np.isfinite(vals)]
    top = max(float(vals.max()) if vals.size else 1.0, limit or 0.0, ft_limit or 0.0) * 1.06
    ytop, yt = linear_axis(top)
    xlim = (float(q[0]), float(q[-1]))
    items = [_LegendItem(LABELS[a], hex(COLORS[a]), width=2) for a in est.priced]
    items += [_LegendItem("p95 (solid)", INK, "line", 1.4), _LegendItem("p50 (dashed)", INK, "dash", 1.0)]
    if limit:
        items.append(_LegendItem(f"p95 {'full-answer ' if ft_limit else ''}limit {ms(limit)}", RED, "dash", 1.1))
    if ft_limit:
        items.append(_LegendItem("first token p95 (dash-dot)", INK, "dash", 0.8))
        items.append(_LegendItem(f"p95 first-token limit {ms(ft_limit)}", RED, "dash", 1.1))
    if xlim[0] <= now <= xlim[1] and now > 0:
        items.append(_LegendItem(f"planned volume {count(now)}/month", MARKER, "dot", 0.9))
    lh = _legend_height(items, width - 50)
    height = 215 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, xlim, (0.0, ytop), True, False)
    xt, xm = log_grid(*xlim)
    _axes(d, p, xt, yt, xm, [], count, ms, "Queries per month (log scale)", "Latency per answer")
    for a in est.priced:
        s = est.series[a]
        for line in _polyline(p, q, s.latency_p50_ms, hex(COLORS[a]), 1.0, [4, 2.5]):
            d.add(line)
        for line in _polyline(p, q, s.latency_p95_ms, hex(COLORS[a]), 1.8):
            d.add(line)
        if ft_limit:
            for line in _polyline(p, q, s.first_token_p95_ms, hex(COLORS[a]), 0.9, [5, 2, 1, 2]):
                d.add(line)
    if limit:
        hline(d, p, limit, f"p95 limit {ms(limit)}")
    if ft_limit:
        hline(d, p, ft_limit, f"first-token limit {ms(ft_limit)}")
    _vline(d, p, now, f"Planned: {count(now)}/month")
    _legend(d, items, 50, height, width - 50)
    return d


def breakdown_chart(est: Estimate, width: float, ruled_out: frozenset[str] = frozenset()) -> Drawing:
    """Stacked horizontal bars: each architecture's monthly cost by component at the planned volume; ruled-out
    options left out (unless every option is ruled out)."""
    shown = [a for a in est.priced if a not in ruled_out] or list(est.priced)
    comps = [k for k in COMPONENT_LABELS if any(est.current[a].components_usd.get(k, 0) > 0 for a in shown)]
    totals = [est.current[a].monthly_usd for a in shown]
    hi = max([t for t in totals if math.isfinite(t)] + [0.0])
    top, ticks = linear_axis(hi * 1.12 if hi > 0 else 1.0)
    items = [_LegendItem(COMPONENT_LABELS[k], hex(COMPONENT_COLORS.get(k, NEUTRAL)), "box") for k in comps]
    left = 78
    lh = _legend_height(items, width - left)
    bar, gap = 17, 9
    plot_h = len(shown) * (bar + gap) + gap
    height = plot_h + 36 + lh + 6
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(left, 36, width - left - 14, plot_h, (0.0, top), (0.0, 1.0), False, False)
    grid = GRID
    for v in ticks:
        x = float(p.fx(v))
        d.add(Line(x, p.y0, x, p.y0 + p.h, strokeColor=grid, strokeWidth=0.5))
        d.add(_label(x, p.y0 - 11, pdf_usd_tick(v), anchor="middle"))
    d.add(Line(p.x0, p.y0, p.x0 + p.w, p.y0, strokeColor=MUTED, strokeWidth=0.7))
    d.add(Line(p.x0, p.y0, p.x0, p.y0 + p.h, strokeColor=MUTED, strokeWidth=0.7))
    d.add(
        _label(
            p.x0 + p.w / 2,
            p.y0 - 23,
            f"USD per month at {count(est.scenario.workload.queries_per_month)} queries/month",
            size=7.5,
            color=INK,
            anchor="middle",
        )
    )
    for n, a in enumerate(shown):
        y = p.y0 + p.h - gap - (n + 1) * (bar + gap) + gap
        d.add(Rect(4, y + bar / 2 - 4, 8, 8, fillColor=hex(COLORS[a]), strokeColor=None))
        d.add(_label(15, y + bar / 2 - 3, LABELS[a], size=7.8, color=INK))
        x = p.x0
        for k in comps:
            v = est.current[a].components_usd.get(k, 0.0)
            if not (v > 0 and math.isfinite(v)):
                continue
            w = float(p.fx(v)) - p.x0
            d.add(
                Rect(
                    x,
                    y,
                    w,
                    bar,
                    fillColor=hex(COMPONENT_COLORS.get(k, NEUTRAL)),
                    strokeColor=colors.white,
                    strokeWidth=0.3,
                )
            )
            x += w
        d.add(_label(x + 4, y + bar / 2 - 3, usd(est.current[a].monthly_usd), size=7.5, color=INK, font=FONT_BOLD))
    _legend(d, items, left, height, width - left)
    return d


def cumulative_chart(est: Estimate, width: float) -> Drawing:
    """Cumulative spend month by month: one-time costs, then the monthly spend."""
    months = est.scenario.horizon_months
    series = {a: np.asarray(est.cumulative_usd(a), float) for a in est.priced}
    hi = max(float(np.nanmax(v)) for v in series.values())
    top, yt = linear_axis(hi * 1.04 if hi > 0 else 1.0)
    _, xt = linear_axis(months, n=min(12, max(months, 1)) if months <= 12 else 6)
    xt = [v for v in xt if v <= months]
    items = [_LegendItem(LABELS[a], hex(COLORS[a]), width=2) for a in est.priced]
    lh = _legend_height(items, width - 50)
    height = 190 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, (0.0, float(months)), (0.0, top), False, False)
    _axes(d, p, xt, yt, [], [], lambda v: f"{v:g}", pdf_usd_tick, "Months after the start", "Cumulative USD")
    x = np.arange(months + 1, dtype=float)
    for a in est.priced:
        for line in _polyline(p, x, series[a], hex(COLORS[a]), 1.8):
            d.add(line)
        end = series[a][-1]
        if math.isfinite(end):
            d.add(Circle(float(p.fx(months)), float(p.fy(end)), 2.2, fillColor=hex(COLORS[a]), strokeColor=None))
    _legend(d, items, 50, height, width - 50)
    return d


class SwingBar(Flowable):
    """A one-row tornado bar for the sensitivity table: low…high around the base."""

    def __init__(self, low: float, high: float, base: float, scale: tuple[float, float], width: float, color: str):
        super().__init__()
        self.low, self.high, self.base, self.scale, self.width, self.height = low, high, base, scale, width, 9
        self.color = color

    def draw(self):
        lo, hi = self.scale
        span = hi - lo if hi > lo else 1.0
        fx = lambda v: (min(max(v, lo), hi) - lo) / span * self.width  # noqa: E731
        a, b = sorted((self.low, self.high))
        c = self.canv
        c.setFillColor(hex(self.color, 0.55))
        c.rect(fx(a), 1, max(fx(b) - fx(a), 0.6), 7, stroke=0, fill=1)
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        c.line(fx(self.base), -0.5, fx(self.base), 9.5)
