"""The PDF recommendation report: one self-contained document for people who never open the app.

    from planner.report import build_report
    pdf: bytes = build_report(catalog, scenario)

Built with reportlab alone: platypus lays out the text and tables, `reportlab.graphics`
draws the charts as vector graphics, and the embedded Bitstream Vera font (shipped with
reportlab) renders the Unicode the app uses (≤, –, ×). No browser, no network.

The report reads from the same `Estimate` and `Recommendation` objects as the screen and
the CLI, with the same colours (`planner.scenario.COLORS`) and number formats
(`planner.format`), so a number reads the same everywhere.

Every piece of text that comes from a user or a catalog (scenario name and description,
catalog names, sources, notes) is escaped before it reaches a `Paragraph`, and characters
the font cannot draw are replaced, so hostile or odd text shows literally and never
breaks the layout. `invariant=True` with a fixed `today` makes the bytes reproducible.
"""

from __future__ import annotations

import io
import math
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
import reportlab
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from planner.engine import COMPONENT_LABELS, LATENCY_LABELS, ONE_TIME_LABELS, Estimate
from planner.format import count, ms, usd
from planner.scenario import COLORS, LABELS, Scenario
from pricing.models import STALE_AFTER_DAYS, Catalog

__all__ = ["PRODUCT", "build_report"]

PRODUCT = "LLM architecture planner"

# ------------------------------------------------------------------ fonts and text

FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC = "Vera", "VeraBd", "VeraIt", "VeraBI"
_FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf", FONT_BOLD_ITALIC: "VeraBI.ttf"}
_GLYPHS: frozenset[int] = frozenset()

#: Readable stand-ins for characters Vera has no glyph for.
_FALLBACK = {
    "→": "->",
    "←": "<-",
    "⇒": "=>",
    "↔": "<->",
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "⚠": "!",
    "Σ": "Sum ",
    "λ": "lambda",
    "μ": "\u00b5",
    "ᵢ": "i",
    "−": "-",
    "\u2011": "-",
    "\u2009": " ",
    "\u202f": " ",
    "\u00a0": " ",
    "\u200b": "",
    "\ufeff": "",
}


def _register_fonts() -> None:
    """Register Bitstream Vera (shipped inside reportlab) once, with its bold/italic family."""
    global _GLYPHS
    if _GLYPHS:
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, file in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    _GLYPHS = frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


def _t(text: Any) -> str:
    """Plain text the font can draw: control characters become spaces, missing glyphs a stand-in."""
    s = "" if text is None else str(text)
    out = []
    for ch in s:
        cp = ord(ch)
        if ch in "\n\t\r":
            out.append("\n" if ch == "\n" else " ")
        elif cp < 32 or 0x7F <= cp < 0xA0:
            out.append(" ")
        elif cp in _GLYPHS or cp < 127:
            out.append(ch)
        elif ch in _FALLBACK:
            out.append(_FALLBACK[ch])
        else:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def _x(text: Any, newlines: bool = False) -> str:
    """User or catalog text made safe for a Paragraph (escaped, drawable)."""
    s = escape(_t(text))
    if newlines:
        s = s.replace("\n", "<br/>")
    return s


_BREAK_AFTER = frozenset("/-_.?&=,;:#@")


def _split_token(token: str, font: str, size: float, width: float) -> list[str]:
    """A word too wide for `width` cut into pieces that fit, preferably after / - _ . and the like."""
    pieces, cur = [], ""
    for ch in token:
        cur += ch
        while len(cur) > 1 and stringWidth(cur, font, size) > width:
            cut = max((i + 1 for i, c in enumerate(cur[:-1]) if c in _BREAK_AFTER), default=0)
            if cut == 0 or stringWidth(cur[:cut], font, size) < width * 0.4:
                cut = len(cur) - 1  # no good break point: cut inside the word
            pieces.append(cur[:cut])
            cur = cur[cut:]
    if cur:
        pieces.append(cur)
    return pieces


def _xw(text: Any, width: float, font: str = FONT, size: float = 8) -> str:
    """`_x`, with words wider than `width` points broken (at / - _ . when possible) so they wrap in a cell."""
    words = _t(text).split(" ")
    out = []
    limit = width * 0.96
    for w in words:
        if w and stringWidth(w, font, size) > limit:
            out.append("<br/>".join(escape(p) for p in _split_token(w, font, size, limit)))
        else:
            out.append(escape(w))
    return " ".join(out).replace("\n", "<br/>")


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Plain text cut to `width` points with an ellipsis (headers, chart labels)."""
    s = " ".join(_t(text).split())
    if stringWidth(s, font, size) <= width:
        return s
    while s and stringWidth(s + "…", font, size) > width:
        s = s[:-1]
    return s.rstrip() + "…"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _long_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _num(v: float) -> str:
    """An input number as a person reads it: 1,200 / 0.25 / 0.1667."""
    if v is None:
        return "—"
    v = float(v)
    if not math.isfinite(v):
        return "—"
    if v == int(v) and abs(v) < 1e15:
        return f"{v:,.0f}"
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def _fig(v: float) -> str:
    """A catalog figure exactly as written (no rounding to the display format)."""
    return f"{v:,.10g}" if abs(v) >= 1000 else f"{v:.10g}"


def _score(s: int) -> str:
    return f"{s:+d}"


def _usd_tick(v: float) -> str:
    """Axis labels: whole dollars without cents ($1, $10, $1,000), otherwise as `usd`."""
    if 1 <= v < 1e4 and abs(v - round(v)) < 1e-9:
        return f"${v:,.0f}"
    return usd(v)


def _usd_cell(v: float) -> str:
    """A component in a table: `usd`, and "–" for nothing."""
    return usd(v) if v > 0 else "–"


def _per_1k(snap: Any) -> str:
    """Cost per 1,000 queries; undefined (—) at zero volume, where the engine reports 0."""
    return usd(snap.usd_per_1k_queries) if snap.queries_per_month > 0 else "—"


def _range(lo: float, hi: float, value: float) -> str:
    """ "$10–$12", or the single figure when the catalog gives no range."""
    if abs(hi - lo) <= 0.005 * max(abs(value), 1e-9):
        return usd(value)
    return f"{usd(lo)}–{usd(hi)}"


# ------------------------------------------------------------------ styles

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#CBD2D9")
HEAD_BG = colors.HexColor("#EEF1F5")
BOX_BG = colors.HexColor("#F5F7FA")
RED = colors.HexColor("#C0392B")
AMBER = colors.HexColor("#B9770E")
VERDICT_COLORS = {
    "recommended": colors.HexColor("#1E8449"),
    "viable": colors.HexColor("#1F618D"),
    "not advised": colors.HexColor("#B9770E"),
    "ruled out": colors.HexColor("#922B21"),
}
COMPONENT_COLORS = {
    "inference": "#4E79A7",
    "gpu_serving": "#9C755F",
    "model_hosting": "#B07AA1",
    "query_embedding": "#76B7B2",
    "vector_store": "#59A14F",
    "reranking": "#EDC948",
    "reembedding": "#FF9DA7",
    "training": "#E15759",
}


def _TableStyle(cmds: list) -> TableStyle:  # noqa: N802 - reads like the class it builds
    """A TableStyle whose default cell font is Vera (reportlab's default is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8)] + list(cmds))


class _Styles:
    def __init__(self) -> None:
        base = ParagraphStyle(
            "body", fontName=FONT, fontSize=9.2, leading=12.4, textColor=INK, spaceAfter=4, bulletFontName=FONT
        )
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10.2, textColor=MUTED)
        self.caption = ParagraphStyle(
            "caption", base, fontSize=8, leading=10.2, textColor=MUTED, spaceBefore=2, spaceAfter=8
        )
        self.kicker = ParagraphStyle(
            "kicker", base, fontName=FONT_BOLD, fontSize=9, leading=11, textColor=MUTED, spaceAfter=2
        )
        self.title = ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=19, leading=23, spaceAfter=6)
        self.h1 = ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
        self.bullet = ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=2.5)
        self.box = ParagraphStyle("box", base, fontSize=10, leading=13.5, spaceAfter=3)
        self.box_title = ParagraphStyle("box_title", base, fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=4)
        cell = ParagraphStyle("cell", base, fontSize=8, leading=10, spaceAfter=0, uriWasteReduce=0.3)
        self.cell = cell
        self.cell_r = ParagraphStyle("cell_r", cell, alignment=TA_RIGHT)
        self.cell_b = ParagraphStyle("cell_b", cell, fontName=FONT_BOLD)
        self.cell_br = ParagraphStyle("cell_br", cell, fontName=FONT_BOLD, alignment=TA_RIGHT)
        self.cell_small = ParagraphStyle("cell_small", cell, fontSize=7, leading=8.6, textColor=MUTED)
        self.head = ParagraphStyle("head", cell, fontName=FONT_BOLD)
        self.head_r = ParagraphStyle("head_r", self.head, alignment=TA_RIGHT)


# ------------------------------------------------------------------ page furniture


@dataclass(frozen=True)
class _Furniture:
    scenario_name: str
    left_footer: str


def _canvas_class(furniture: _Furniture):
    """A canvas that knows the page count: pages are held until `save`, then numbered "Page N of M"."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self._decorate(total)
                rl_canvas.Canvas.showPage(self)
            rl_canvas.Canvas.save(self)

        def _decorate(self, total: int) -> None:
            w, h = self._pagesize
            left, right = 18 * mm, w - 18 * mm
            self.saveState()
            self.setFont(FONT_BOLD, 7.5)
            self.setFillColor(MUTED)
            self.drawString(left, h - 12 * mm, PRODUCT)
            room = right - left - stringWidth(PRODUCT, FONT_BOLD, 7.5) - 20
            self.setFont(FONT, 7.5)
            self.drawRightString(right, h - 12 * mm, _fit(furniture.scenario_name, FONT, 7.5, room))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, h - 13.8 * mm, right, h - 13.8 * mm)
            self.line(left, 13 * mm, right, 13 * mm)
            page = f"Page {self._pageNumber} of {total}"
            self.drawRightString(right, 9 * mm, page)
            room = right - left - stringWidth(page, FONT, 7.5) - 20
            self.drawString(left, 9 * mm, _fit(furniture.left_footer, FONT, 7.5, room))
            self.restoreState()

    return NumberedCanvas


# ------------------------------------------------------------------ charts


def _hex(c: str, alpha: float | None = None) -> colors.Color:
    col = colors.HexColor(c)
    if alpha is None:
        return col
    return colors.Color(col.red, col.green, col.blue, alpha=alpha)


def _nice_down(v: float) -> float:
    e = math.floor(math.log10(v))
    m = v / 10**e
    for k in (5, 2, 1):
        if m >= k * (1 - 1e-9):
            return k * 10**e
    return 10 ** (e - 1) * 5


def _nice_up(v: float) -> float:
    e = math.floor(math.log10(v))
    m = v / 10**e
    for k in (1, 2, 5, 10):
        if m <= k * (1 + 1e-9):
            return k * 10**e
    return 10 ** (e + 1)


def _log_ticks(lo: float, hi: float) -> tuple[list[float], list[float]]:
    """(labelled ticks, minor grid ticks) for a log axis over [lo, hi]."""
    decades = math.log10(hi / lo)
    mults = (1, 2, 5) if decades <= 3.2 else (1,)
    e0, e1 = math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1
    inside = lambda v: lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9)  # noqa: E731
    major = [m * 10.0**e for e in range(e0, e1 + 1) for m in mults if inside(m * 10.0**e)]
    minor = [m * 10.0**e for e in range(e0, e1 + 1) for m in range(2, 10) if inside(m * 10.0**e)]
    if len(major) < 2:
        major = sorted({lo, hi} | set(major))
    return major, [v for v in minor if v not in major]


def _lin_ticks(hi: float, n: int = 5) -> tuple[float, list[float]]:
    """(axis top, ticks from 0) for a linear axis reaching `hi`."""
    if not (hi > 0 and math.isfinite(hi)):
        hi = 1.0
    raw = hi / n
    e = math.floor(math.log10(raw))
    step = next(m * 10**e for m in (1, 2, 2.5, 5, 10) if m * 10**e >= raw * (1 - 1e-9))
    top = math.ceil(hi / step - 1e-9) * step
    k = int(round(top / step))
    return top, [i * step for i in range(k + 1)]


class _Plot:
    """Maps data to points in a rectangle of a Drawing, on linear or log axes."""

    def __init__(self, x0, y0, w, h, xlim, ylim, xlog, ylog):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.xlim, self.ylim, self.xlog, self.ylog = xlim, ylim, xlog, ylog

    @staticmethod
    def _t(v, lim, log):
        v = np.asarray(v, dtype=float)
        if log:
            lo, hi = math.log10(lim[0]), math.log10(lim[1])
            v = np.log10(np.clip(v, lim[0], lim[1]))
        else:
            lo, hi = lim
            v = np.clip(v, lo, hi)
        return (v - lo) / (hi - lo)

    def fx(self, v):
        return self.x0 + self._t(v, self.xlim, self.xlog) * self.w

    def fy(self, v):
        return self.y0 + self._t(v, self.ylim, self.ylog) * self.h

    def inside_x(self, v) -> bool:
        return v is not None and math.isfinite(v) and self.xlim[0] <= v <= self.xlim[1] and (v > 0 or not self.xlog)

    def inside_y(self, v) -> bool:
        return v is not None and math.isfinite(v) and self.ylim[0] <= v <= self.ylim[1] and (v > 0 or not self.ylog)


def _label(x, y, text, size=7, color=MUTED, anchor="start", font=FONT) -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor)


def _axes(d: Drawing, p: _Plot, xticks, yticks, xminor, yminor, xfmt, yfmt, xtitle, ytitle) -> None:
    grid = colors.HexColor("#E4E7EB")
    faint = colors.HexColor("#F0F2F4")
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
        text = _fit(it.text, FONT, size, width - sw - 4)
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
    d.add(
        Line(x, p.y0, x, p.y0 + p.h, strokeColor=colors.HexColor("#52606D"), strokeWidth=0.9, strokeDashArray=[1.5, 2])
    )
    tw = stringWidth(text, FONT, 6.8)
    right = x + 3 + tw <= p.x0 + p.w
    d.add(Rect(x + 2 if right else x - 4 - tw, p.y0 + p.h - 10, tw + 2, 9, fillColor=colors.white, strokeColor=None))
    d.add(
        _label(x + 3 if right else x - 3, p.y0 + p.h - 8, text, size=6.8, color=INK, anchor="start" if right else "end")
    )


def _hline(d: Drawing, p: _Plot, y_value: float, text: str, color=RED) -> None:
    if not p.inside_y(y_value):
        return
    y = float(p.fy(y_value))
    d.add(Line(p.x0, y, p.x0 + p.w, y, strokeColor=color, strokeWidth=1.1, strokeDashArray=[5, 3]))
    tw = stringWidth(text, FONT_BOLD, 6.8)
    below = y + 11 > p.y0 + p.h
    ty = y - 9 if below else y + 3
    d.add(Rect(p.x0 + 4, ty - 1.5, tw + 3, 8.5, fillColor=colors.white, strokeColor=None))
    d.add(_label(p.x0 + 5.5, ty, text, size=6.8, color=color, font=FONT_BOLD))


def _cost_chart(est: Estimate, scenario: Scenario, width: float) -> Drawing:
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
    ylim = (_nice_down(lo_v), _nice_up(hi_v if hi_v > lo_v else lo_v * 10))
    xlim = (float(q[0]), float(q[-1]))

    items = [_LegendItem(LABELS[a], _hex(COLORS[a]), width=2) for a in est.priced]
    if any(_has_range(est, a) for a in est.priced):
        items.append(_LegendItem("low–high range", _hex("#7B8794", 0.35), "box"))
    if est.break_evens:
        items.append(_LegendItem("break-even (numbered)", INK, "marker"))
    if budget:
        items.append(_LegendItem(f"budget {usd(budget)}/month", RED, "dash", 1.1))
    if xlim[0] <= now <= xlim[1] and now > 0:
        items.append(_LegendItem(f"planned volume {count(now)}/month", colors.HexColor("#52606D"), "dot", 0.9))
    lh = _legend_height(items, width - 50)
    height = 250 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, xlim, ylim, True, True)
    xt, xm = _log_ticks(*xlim)
    yt, ym = _log_ticks(*ylim)
    _axes(d, p, xt, yt, xm, ym, count, _usd_tick, "Queries per month (log scale)", "USD per month (log scale)")
    for a in est.priced:
        s = est.series[a]
        if _has_range(est, a):
            lo, hi = np.asarray(s.low_usd, float), np.asarray(s.high_usd, float)
            ok = np.isfinite(lo) & np.isfinite(hi) & (hi > 0)
            if ok.sum() >= 2:
                xs, lo_y, hi_y = p.fx(q[ok]), p.fy(np.maximum(lo[ok], ylim[0])), p.fy(hi[ok])
                k_hi, k_lo = _simplify(xs, hi_y), _simplify(xs, lo_y)
                pts = [round(float(v), 2) for pair in zip(xs[k_hi], hi_y[k_hi], strict=True) for v in pair]
                pts += [round(float(v), 2) for pair in zip(xs[k_lo][::-1], lo_y[k_lo][::-1], strict=True) for v in pair]
                d.add(Polygon(pts, fillColor=_hex(COLORS[a], 0.16), strokeColor=None))
    for a in est.priced:
        for line in _polyline(p, q, est.series[a].total_usd, _hex(COLORS[a]), 1.8):
            d.add(line)
    if budget:
        _hline(d, p, budget, f"Budget {usd(budget)}/month")
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


def _has_range(est: Estimate, a: str) -> bool:
    s = est.series[a]
    lo, hi, t = np.asarray(s.low_usd, float), np.asarray(s.high_usd, float), np.asarray(s.total_usd, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return bool(np.nanmax(np.abs(hi - lo) / np.maximum(np.abs(t), 1e-12)) > 0.005) if t.size else False


def _latency_chart(est: Estimate, scenario: Scenario, width: float) -> Drawing:
    """p50 (dashed) and p95 (solid) latency over volume, linear ms against log volume."""
    q = np.asarray(est.volumes, float)
    limit = scenario.latency_target_p95_ms
    now = scenario.workload.queries_per_month
    vals = np.concatenate([np.asarray(est.series[a].latency_p95_ms, float) for a in est.priced])
    vals = vals[np.isfinite(vals)]
    top = max(float(vals.max()) if vals.size else 1.0, limit or 0.0) * 1.06
    ytop, yt = _lin_ticks(top)
    xlim = (float(q[0]), float(q[-1]))
    items = [_LegendItem(LABELS[a], _hex(COLORS[a]), width=2) for a in est.priced]
    items += [_LegendItem("p95 (solid)", INK, "line", 1.4), _LegendItem("p50 (dashed)", INK, "dash", 1.0)]
    if limit:
        items.append(_LegendItem(f"p95 limit {ms(limit)}", RED, "dash", 1.1))
    if xlim[0] <= now <= xlim[1] and now > 0:
        items.append(_LegendItem(f"planned volume {count(now)}/month", colors.HexColor("#52606D"), "dot", 0.9))
    lh = _legend_height(items, width - 50)
    height = 215 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, xlim, (0.0, ytop), True, False)
    xt, xm = _log_ticks(*xlim)
    _axes(d, p, xt, yt, xm, [], count, ms, "Queries per month (log scale)", "Latency per answer")
    for a in est.priced:
        s = est.series[a]
        for line in _polyline(p, q, s.latency_p50_ms, _hex(COLORS[a]), 1.0, [4, 2.5]):
            d.add(line)
        for line in _polyline(p, q, s.latency_p95_ms, _hex(COLORS[a]), 1.8):
            d.add(line)
    if limit:
        _hline(d, p, limit, f"p95 limit {ms(limit)}")
    _vline(d, p, now, f"Planned: {count(now)}/month")
    _legend(d, items, 50, height, width - 50)
    return d


def _breakdown_chart(est: Estimate, width: float) -> Drawing:
    """Stacked horizontal bars: each architecture's monthly cost by component at the planned volume."""
    comps = [k for k in COMPONENT_LABELS if any(est.current[a].components_usd.get(k, 0) > 0 for a in est.priced)]
    totals = [est.current[a].monthly_usd for a in est.priced]
    hi = max([t for t in totals if math.isfinite(t)] + [0.0])
    top, ticks = _lin_ticks(hi * 1.12 if hi > 0 else 1.0)
    items = [_LegendItem(COMPONENT_LABELS[k], _hex(COMPONENT_COLORS.get(k, "#7B8794")), "box") for k in comps]
    left = 78
    lh = _legend_height(items, width - left)
    bar, gap = 17, 9
    plot_h = len(est.priced) * (bar + gap) + gap
    height = plot_h + 36 + lh + 6
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(left, 36, width - left - 14, plot_h, (0.0, top), (0.0, 1.0), False, False)
    grid = colors.HexColor("#E4E7EB")
    for v in ticks:
        x = float(p.fx(v))
        d.add(Line(x, p.y0, x, p.y0 + p.h, strokeColor=grid, strokeWidth=0.5))
        d.add(_label(x, p.y0 - 11, _usd_tick(v), anchor="middle"))
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
    for n, a in enumerate(est.priced):
        y = p.y0 + p.h - gap - (n + 1) * (bar + gap) + gap
        d.add(Rect(4, y + bar / 2 - 4, 8, 8, fillColor=_hex(COLORS[a]), strokeColor=None))
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
                    fillColor=_hex(COMPONENT_COLORS.get(k, "#7B8794")),
                    strokeColor=colors.white,
                    strokeWidth=0.3,
                )
            )
            x += w
        d.add(_label(x + 4, y + bar / 2 - 3, usd(est.current[a].monthly_usd), size=7.5, color=INK, font=FONT_BOLD))
    _legend(d, items, left, height, width - left)
    return d


def _cumulative_chart(est: Estimate, width: float) -> Drawing:
    """Cumulative spend month by month: one-time costs, then the monthly spend."""
    months = est.scenario.horizon_months
    series = {a: np.asarray(est.cumulative_usd(a), float) for a in est.priced}
    hi = max(float(np.nanmax(v)) for v in series.values())
    top, yt = _lin_ticks(hi * 1.04 if hi > 0 else 1.0)
    _, xt = _lin_ticks(months, n=min(12, max(months, 1)) if months <= 12 else 6)
    xt = [v for v in xt if v <= months]
    items = [_LegendItem(LABELS[a], _hex(COLORS[a]), width=2) for a in est.priced]
    lh = _legend_height(items, width - 50)
    height = 190 + lh
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=7)
    p = _Plot(50, 36, width - 62, height - 36 - lh - 6, (0.0, float(months)), (0.0, top), False, False)
    _axes(d, p, xt, yt, [], [], lambda v: f"{v:g}", _usd_tick, "Months after the start", "Cumulative USD")
    x = np.arange(months + 1, dtype=float)
    for a in est.priced:
        for line in _polyline(p, x, series[a], _hex(COLORS[a]), 1.8):
            d.add(line)
        end = series[a][-1]
        if math.isfinite(end):
            d.add(Circle(float(p.fx(months)), float(p.fy(end)), 2.2, fillColor=_hex(COLORS[a]), strokeColor=None))
    _legend(d, items, 50, height, width - 50)
    return d


class _Swing(Flowable):
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
        c.setFillColor(_hex(self.color, 0.55))
        c.rect(fx(a), 1, max(fx(b) - fx(a), 0.6), 7, stroke=0, fill=1)
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        c.line(fx(self.base), -0.5, fx(self.base), 9.5)


# ------------------------------------------------------------------ the document


class _Report:
    def __init__(self, catalog: Catalog, scenario: Scenario, est: Estimate, rec: Any, today: date):
        self.catalog, self.scenario, self.est, self.rec, self.today = catalog, scenario, est, rec, today
        self.st = _Styles()
        self.width = A4[0] - 36 * mm
        self.height = A4[1] - 37 * mm
        self.story: list = []
        self.answers_section = "1"

    # --- small builders

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.body)

    def add(self, *flowables) -> None:
        self.story.extend(flowables)

    def h1(self, text: str) -> None:
        self.add(CondPageBreak(120), self.p(text, self.st.h1))

    def bullets(self, texts: Sequence[str], style: ParagraphStyle | None = None) -> list[Paragraph]:
        return [Paragraph(_x(t), style or self.st.bullet, bulletText="•") for t in texts]

    def table(
        self,
        rows: list[list],
        widths: Sequence[float],
        *,
        header: int = 1,
        style: list | None = None,
        zebra: bool = True,
    ) -> Table:
        """A table of Paragraph cells that splits across pages, repeating its header."""
        total = sum(widths)
        widths = [w * self.width / total for w in widths]
        t = Table(rows, colWidths=widths, repeatRows=header, hAlign="LEFT")
        cmds = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ]
        if header:
            cmds += [
                ("BACKGROUND", (0, 0), (-1, header - 1), HEAD_BG),
                ("LINEBELOW", (0, header - 1), (-1, header - 1), 0.8, MUTED),
            ]
        if zebra and len(rows) > header + 3:
            for r in range(header + 1, len(rows), 2):
                cmds.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#FAFBFC")))
        t.setStyle(_TableStyle(cmds + (style or [])))
        return t

    def col_width(self, widths: Sequence[float], i: int) -> float:
        """Text width inside column `i` of a `table` with these relative widths."""
        return widths[i] * self.width / sum(widths) - 7

    def chart(self, title: str, drawing: Drawing, caption: str) -> None:
        self.add(KeepTogether([self.p(title, self.st.h2), drawing, self.p(caption, self.st.caption)]))

    # --- sections

    def build(self) -> list:
        self.title_block()
        self.recommendation()
        self.costs()
        self.assumptions()
        return self.story

    def title_block(self) -> None:
        s, est, st = self.scenario, self.est, self.st
        self.add(self.p("Architecture recommendation and cost estimate", st.kicker))
        self.add(self.p(_x(s.name), st.title))
        if s.description.strip():
            self.add(self.p(_x(s.description, newlines=True)))
        meta = [
            ("Report date", _long_date(self.today)),
            ("Pricing catalog", f"version {_x(self.catalog.version)}, dated {_x(str(self.catalog.date))}"),
            ("Planned volume", f"{count(s.workload.queries_per_month)} queries a month"),
            ("Cost horizon", f"{s.horizon_months} months"),
            (
                "Monthly budget",
                f"{usd(s.monthly_budget_usd)} a month" if s.monthly_budget_usd is not None else "none set",
            ),
            ("p95 latency limit", ms(s.latency_target_p95_ms) if s.latency_target_p95_ms is not None else "none set"),
        ]
        rows = []
        for i in range(0, len(meta), 2):
            row = []
            for k, v in meta[i : i + 2]:
                row += [self.p(k, st.cell_small), self.p(v, st.cell_b)]
            rows.append(row)
        t = Table(rows, colWidths=[w * self.width for w in (0.15, 0.35, 0.15, 0.35)], hAlign="LEFT")
        t.setStyle(
            _TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ]
            )
        )
        self.add(Spacer(1, 4), t, Spacer(1, 10))
        self.verdict_box()
        self.add(Spacer(1, 8), self.p("At a glance", st.h2), self.glance_table())
        self.add(
            self.p(
                f"All figures at the planned {count(s.workload.queries_per_month)} queries a month. Range: every catalog "
                "price at the low or the high end of its range. Total cost of ownership (TCO): one-time costs plus the "
                f"monthly cost for {s.horizon_months} months. Verdicts and scores come from the questionnaire and the "
                "numbers check (section 1).",
                st.caption,
            )
        )
        if est.ruled_out:
            self.add(self.p("Not priced", st.h2))
            self.add(*self.bullets(list(est.ruled_out.values())))
        if est.warnings:
            self.add(self.p("Warnings from the estimate", st.h2))
            self.add(*self.bullets(est.warnings))

    def verdict_box(self) -> None:
        st, s, rec, est = self.st, self.scenario, self.rec, self.est
        w = rec.winner
        snap = est.current[w.key]
        vc = VERDICT_COLORS.get(w.verdict, INK).hexval()[2:]
        vol = count(s.workload.queries_per_month)
        lines = [
            self.p(
                f"Recommendation: {_x(w.label)} <font color='#{vc}'>({_x(w.verdict)}, score {_score(w.score)})</font>",
                st.box_title,
            ),
        ]
        rng = ""
        if abs(snap.monthly_high_usd - snap.monthly_low_usd) > 0.005 * max(snap.monthly_usd, 1e-9):
            rng = f", range {usd(snap.monthly_low_usd)}–{usd(snap.monthly_high_usd)}"
        text = (
            f"At {vol} queries a month, {_x(w.label)} costs <b>{usd(snap.monthly_usd)} a month</b> "
            f"({_per_1k(snap)} per 1,000 queries{rng}), answers within <b>{ms(snap.latency_p95_ms)}</b> "
            f"at p95 ({ms(snap.latency_p50_ms)} typical), and costs <b>{usd(snap.tco_usd)}</b> over "
            f"{s.horizon_months} months including {usd(snap.one_time_total_usd)} one-time."
        )
        checks = []
        if s.monthly_budget_usd is not None:
            ok = snap.monthly_usd <= s.monthly_budget_usd
            checks.append(
                ("Within" if ok else "<font color='#C0392B'>Above</font>")
                + f" the {usd(s.monthly_budget_usd)} monthly budget"
            )
        if s.latency_target_p95_ms is not None:
            ok = snap.latency_p95_ms <= s.latency_target_p95_ms
            checks.append(
                ("meets" if ok else "<font color='#C0392B'>misses</font>")
                + f" the {ms(s.latency_target_p95_ms)} p95 limit"
            )
        if checks:
            text += " " + "; ".join(checks) + "."
        lines.append(self.p(text, st.box))
        others = [r for r in rec.ranking[1:]]
        if others:
            lines.append(
                self.p(
                    "Then: " + "; ".join(f"{_x(r.label)} ({_x(r.verdict)}, {_score(r.score)})" for r in others) + ".",
                    st.small,
                )
            )
        box = Table([[lines]], colWidths=[self.width], hAlign="LEFT")
        box.setStyle(
            _TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), BOX_BG),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, _hex(COLORS.get(w.key, "#52606D"))),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        self.add(box)

    def arch_cell(self, a: str, bold: bool = False) -> Paragraph:
        return self.p(_x(LABELS.get(a, a)), self.st.cell_b if bold else self.st.cell)

    def glance_table(self) -> Table:
        st, est, rec = self.st, self.est, self.rec
        h = [
            "Architecture",
            "Verdict",
            "Score",
            "Monthly cost",
            "Range (low–high)",
            "Per 1,000 queries",
            "p95 latency",
            "One-time",
            f"TCO ({self.scenario.horizon_months} mo.)",
        ]
        rows = [[self.p(h[0], st.head)] + [self.p(x, st.head_r if i > 1 else st.head) for i, x in enumerate(h[1:], 1)]]
        style = []
        for n, r in enumerate(rec.ranking, 1):
            c = est.current.get(r.key)
            vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
            if c is None:  # ruled out by the numbers (e.g. the knowledge does not fit the context): no figures
                rows.append(
                    [self.arch_cell(r.key, bold=n == 1), self.p(f"<font color='#{vc}'>{_x(r.verdict)}</font>", st.cell)]
                    + [self.p(_score(r.score), st.cell_r)]
                    + [self.p("–", st.cell_r) for _ in h[3:]]
                )
                style.append(("LINEBEFORE", (0, n), (0, n), 3, _hex(COLORS.get(r.key, "#52606D")), 0))
                continue
            rows.append(
                [
                    self.arch_cell(r.key, bold=n == 1),
                    self.p(f"<font color='#{vc}'>{_x(r.verdict)}</font>", st.cell),
                    self.p(_score(r.score), st.cell_r),
                    self.p(usd(c.monthly_usd), st.cell_br if n == 1 else st.cell_r),
                    self.p(_range(c.monthly_low_usd, c.monthly_high_usd, c.monthly_usd), st.cell_r),
                    self.p(_per_1k(c), st.cell_r),
                    self.p(ms(c.latency_p95_ms), st.cell_r),
                    self.p(usd(c.one_time_total_usd), st.cell_r),
                    self.p(usd(c.tco_usd), st.cell_r),
                ]
            )
            style.append(("LINEBEFORE", (0, n), (0, n), 3, _hex(COLORS.get(r.key, "#52606D")), 0))
        return self.table(rows, [1.15, 1.3, 0.65, 0.9, 1.25, 0.9, 0.8, 0.95, 0.95], style=style, zebra=False)

    # --- 1. recommendation

    def recommendation(self) -> None:
        st, rec = self.st, self.rec
        self.h1("1. Recommendation")
        self.add(
            self.p(
                "The ranking comes from the decision questionnaire: each answer fires rules that add to or take from an "
                "architecture's score, or rule it out. The cost and latency estimate then checks the result against the "
                "budget and the latency limit."
            )
        )
        sub = iter(range(1, 10))
        numbered = lambda text: self.p(f"1.{next(sub)} {text}", st.h2)  # noqa: E731
        self.add(numbered("Ranking and reasons"))
        for n, r in enumerate(rec.ranking, 1):
            vc = VERDICT_COLORS.get(r.verdict, INK).hexval()[2:]
            head = Table(
                [
                    [
                        self.p(
                            f"<b>{n}. {_x(r.label)}</b> &nbsp; <font color='#{vc}'><b>{_x(r.verdict)}</b></font> &nbsp; score {_score(r.score)}",
                            st.body,
                        )
                    ]
                ],
                colWidths=[self.width],
                hAlign="LEFT",
            )
            head.setStyle(
                _TableStyle(
                    [
                        ("LINEBEFORE", (0, 0), (0, -1), 3, _hex(COLORS.get(r.key, "#52606D"))),
                        ("LEFTPADDING", (0, 0), (-1, -1), 6),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ]
                )
            )
            shown = r.reasons if n == 1 else r.reasons[:3]
            reasons = self.bullets(shown) if shown else [self.p("No rule moved its score.", st.small)]
            if len(r.reasons) > len(shown):
                more = len(r.reasons) - len(shown)
                reasons.append(
                    self.p(f"… and {more} more reason{'s' if more > 1 else ''}: see 1.2.", st.small)
                )  # 1.2 lists every rule
            self.add(KeepTogether([Spacer(1, 4), head, Spacer(1, 2)] + reasons[:2]), *reasons[2:])
        if not rec.reasons:
            self.add(
                self.p(
                    "No questionnaire answers were given, so no rule fired: every architecture starts level. "
                    "The field's advice is to start with the simplest that works.",
                    st.small,
                )
            )
        else:
            self.add(numbered("How the answers moved the scores"))
            rows = [[self.p("Rule that fired (quoting the answer)", st.head), self.p("Effect on the scores", st.head)]]
            for reason in rec.reasons:
                text = getattr(reason, "text", reason)
                effect = reason.effect_text() if callable(getattr(reason, "effect_text", None)) else ""
                rows.append([self.p(_x(text), st.cell), self.p(_x(effect), st.cell)])
            self.add(self.table(rows, [3.2, 1.3]))
        self.answers_section = f"1.{next(sub)}"
        self.add(self.p(f"{self.answers_section} The answers behind them", st.h2))
        self.add(self.answers_table())
        if rec.findings:
            self.add(numbered("What the numbers say"))
            self.add(*self.bullets(rec.findings))
        w = rec.winner
        self.add(numbered(f"Watch-outs for {_x(w.label)}"))
        self.add(*(self.bullets(rec.watch_outs) or [self.p("None listed.", st.small)]))
        self.add(numbered(f"Staged plan for {_x(w.label)}"))
        names = {"first": "First", "next": "Next", "later": "Later"}
        rows = [[self.p("Stage", st.head), self.p("Step", st.head)]]
        last = None
        for step in rec.plan:
            stage = getattr(step, "stage", "")
            rows.append(
                [
                    self.p(names.get(stage, _x(stage)) if stage != last else "", st.cell_b),
                    self.p(_x(step.text), st.cell),
                ]
            )
            last = stage
        if len(rows) > 1:
            self.add(self.table(rows, [0.7, 5], zebra=False))

    def answers_table(self) -> Table:
        st = self.st
        try:
            from planner.questionnaire import QUESTIONS
        except ImportError:  # the questionnaire's question texts are optional here
            QUESTIONS = ()
        by_id = {q.id: q for q in QUESTIONS}
        answers = self.scenario.answers
        rows = [[self.p("Question", st.head), self.p("Answer", st.head)]]
        for name, info in type(answers).model_fields.items():
            q = by_id.get(name)
            text = q.text if q is not None else (info.description or name.replace("_", " "))
            rows.append([self.p(_x(text), st.cell), self.p(self.answer_text(name, getattr(answers, name), q), st.cell)])
        return self.table(rows, [3.6, 1.6])

    @staticmethod
    def answer_text(name: str, value: Any, question: Any) -> str:
        if value is None:
            return "<font color='#616E7C'>not answered</font>"
        v = value.value if isinstance(value, Enum) else value
        if isinstance(v, bool):
            return "Yes" if v else "No"
        for val, label in getattr(question, "choices", ()) or ():
            if val == v:
                return _x(label)
        if name == "monthly_budget_usd":
            return f"{usd(v)} a month"
        if name == "latency_p95_ms":
            return ms(v)
        if isinstance(v, (int, float)):
            return _num(v)
        return _x(v)

    # --- 2. cost and latency

    def costs(self) -> None:
        st, est, s = self.st, self.est, self.scenario
        self.add(CondPageBreak(self.height * 0.45))
        self.h1("2. Cost and latency")
        vol = count(s.workload.queries_per_month)
        lo, hi = count(float(est.volumes[0])), count(float(est.volumes[-1]))
        cap = [f"Monthly spend of each architecture from {lo} to {hi} queries a month; both axes are logarithmic."]
        if any(_has_range(est, a) for a in est.priced):
            cap.append("Shaded bands: the low–high range of the catalog figures.")
        if est.break_evens:
            cap.append("Numbered circles: break-even volumes, listed in the table below.")
        if s.monthly_budget_usd is not None:
            cap.append(f"Red dashed line: the budget of {usd(s.monthly_budget_usd)} a month.")
        qn = s.workload.queries_per_month
        if est.volumes[0] <= qn <= est.volumes[-1] and qn > 0:
            cap.append(f"Dotted line: the planned {vol} queries a month.")
        else:
            cap.append(f"The planned {vol} queries a month lies outside the charted range.")
        self.chart("2.1 Monthly spend over query volume", _cost_chart(est, s, self.width), " ".join(cap))
        self.break_even_table()

        self.chart(
            f"2.2 Where the money goes at {vol} queries a month",
            _breakdown_chart(est, self.width),
            "Each bar is one architecture's monthly cost at the planned volume, split by component. "
            "The table gives every component exactly.",
        )
        self.component_table()

        cap = ["p95 (solid) and p50 (dashed) time to a complete answer over query volume, volume on a log scale."]
        if s.latency_target_p95_ms is not None:
            cap.append(f"Red dashed line: the p95 limit of {ms(s.latency_target_p95_ms)}.")
        if not s.stack.serving == "self_hosted":
            cap.append("API serving is flat in volume: the provider's capacity is not modelled.")
        self.chart("2.3 Latency over query volume", _latency_chart(est, s, self.width), " ".join(cap))
        self.latency_table()

        self.chart(
            f"2.4 One-time costs and total cost over {s.horizon_months} months",
            _cumulative_chart(est, self.width),
            "Cumulative spend: the one-time costs at month 0, then the monthly cost at the planned volume each month.",
        )
        self.tco_table()
        self.sensitivity_table()

    def break_even_table(self) -> None:
        st, est = self.st, self.est
        if not est.break_evens:
            q = est.volumes
            cheapest = {min(est.priced, key=lambda a: est.series[a].total_usd[k]) for k in range(len(q))}
            tail = f" {LABELS[next(iter(cheapest))]} is the cheapest throughout." if len(cheapest) == 1 else ""
            self.add(
                self.p(
                    f"<b>Break-even volumes.</b> No two architectures' monthly costs cross between {count(float(q[0]))} "
                    f"and {count(float(q[-1]))} queries a month.{tail}",
                    st.body,
                )
            )
            return
        rows = [
            [self.p(x, st.head) for x in ("#", "Between", "Queries a month", "Monthly cost there", "What it means")]
        ]
        for n, be in enumerate(est.break_evens, 1):
            rows.append(
                [
                    self.p(str(n), st.cell),
                    self.p(f"{_x(LABELS.get(be.a, be.a))} and {_x(LABELS.get(be.b, be.b))}", st.cell),
                    self.p(f"<b>{count(be.queries_per_month)}</b>", st.cell_r),
                    self.p(usd(be.usd_per_month), st.cell_r),
                    self.p(_x(be.describe()) + ".", st.cell),
                ]
            )
        self.add(KeepTogether([self.p("Break-even volumes", st.h2), self.table(rows, [0.3, 1.5, 1.1, 1.0, 4.0])]))
        self.add(Spacer(1, 6))

    def arch_header(self, first: str) -> list:
        st = self.st
        return [self.p(first, st.head)] + [self.p(_x(LABELS[a]), st.head_r) for a in self.est.priced]

    def arch_header_style(self) -> list:
        return [("LINEABOVE", (i, 0), (i, 0), 3, _hex(COLORS[a]), 0) for i, a in enumerate(self.est.priced, 1)]

    def component_table(self) -> None:
        st, est = self.st, self.est
        rows = [self.arch_header("Monthly cost by component")]
        comps = [k for k in COMPONENT_LABELS if any(est.current[a].components_usd.get(k, 0) > 0 for a in est.priced)]
        for k in comps:
            row = [self.p(_x(COMPONENT_LABELS[k]), st.cell)]
            for a in est.priced:
                v = est.current[a].components_usd.get(k, 0.0)
                row.append(self.p(_usd_cell(v), st.cell_r))
            rows.append(row)
        n_total = len(rows)
        rows.append(
            [self.p("Total per month", st.cell_b)]
            + [self.p(usd(est.current[a].monthly_usd), st.cell_br) for a in est.priced]
        )
        rows.append(
            [self.p("Range (low–high)", st.cell)]
            + [
                self.p(
                    _range(est.current[a].monthly_low_usd, est.current[a].monthly_high_usd, est.current[a].monthly_usd),
                    st.cell_r,
                )
                for a in est.priced
            ]
        )
        rows.append(
            [self.p("Per 1,000 queries", st.cell)] + [self.p(_per_1k(est.current[a]), st.cell_r) for a in est.priced]
        )
        rows.append(
            [self.p("Input tokens per query", st.cell)]
            + [self.p(_num(est.current[a].input_tokens_per_query), st.cell_r) for a in est.priced]
        )
        if any(est.current[a].replicas is not None for a in est.priced):
            rows.append(
                [self.p("GPU replicas", st.cell)]
                + [
                    self.p(str(est.current[a].replicas) if est.current[a].replicas is not None else "–", st.cell_r)
                    for a in est.priced
                ]
            )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.6, 1, 1, 1, 1], style=style, zebra=False), Spacer(1, 8))

    def latency_table(self) -> None:
        st, est = self.st, self.est
        rows = [self.arch_header("Latency at the planned volume (p50 / p95)")]
        parts = [
            k
            for k in LATENCY_LABELS
            if any(max(est.current[a].latency_breakdown_ms.get(k, (0, 0))) > 0 for a in est.priced)
        ]
        for k in parts:
            row = [self.p(_x(LATENCY_LABELS[k]), st.cell)]
            for a in est.priced:
                p50, p95 = est.current[a].latency_breakdown_ms.get(k, (0.0, 0.0))
                row.append(self.p(f"{ms(p50)} / {ms(p95)}" if p95 > 0 else "–", st.cell_r))
            rows.append(row)
        n_total = len(rows)
        rows.append(
            [self.p("Whole answer", st.cell_b)]
            + [
                self.p(f"{ms(est.current[a].latency_p50_ms)} / {ms(est.current[a].latency_p95_ms)}", st.cell_br)
                for a in est.priced
            ]
        )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.2, 1, 1, 1, 1], style=style, zebra=False))
        self.add(
            self.p(
                "Parts' medians add; their tails add in quadrature (independent parts), so the whole answer's "
                "p95 is less than the sum of the parts' p95s.",
                st.caption,
            )
        )

    def tco_table(self) -> None:
        st, est, s = self.st, self.est, self.scenario
        rows = [self.arch_header("One-time costs and TCO")]
        for k, label in ONE_TIME_LABELS.items():
            vals = [est.current[a].one_time_usd.get(k, 0.0) for a in est.priced]
            if not any(v > 0 for v in vals):
                continue
            rows.append([self.p(_x(label), st.cell)] + [self.p(_usd_cell(v), st.cell_r) for v in vals])
        n_total = len(rows)
        rows.append(
            [self.p("One-time total", st.cell_b)]
            + [self.p(usd(est.current[a].one_time_total_usd), st.cell_br) for a in est.priced]
        )
        rows.append(
            [self.p(f"Monthly cost × {s.horizon_months} months", st.cell)]
            + [self.p(usd(est.current[a].monthly_usd * s.horizon_months), st.cell_r) for a in est.priced]
        )
        rows.append(
            [self.p(f"TCO over {s.horizon_months} months", st.cell_b)]
            + [self.p(usd(est.current[a].tco_usd), st.cell_br) for a in est.priced]
        )
        rows.append(
            [self.p("TCO range (low–high)", st.cell)]
            + [
                self.p(
                    _range(est.current[a].tco_low_usd, est.current[a].tco_high_usd, est.current[a].tco_usd), st.cell_r
                )
                for a in est.priced
            ]
        )
        style = self.arch_header_style() + [("LINEABOVE", (0, n_total), (-1, n_total), 0.8, MUTED)]
        self.add(self.table(rows, [2.2, 1, 1, 1, 1], style=style, zebra=False), Spacer(1, 8))

    def sensitivity_table(self, top: int = 8) -> None:
        st, est = self.st, self.est
        w = self.rec.winner
        rows_in = list(est.sensitivity.get(w.key, ()))[:top]
        delta = getattr(est, "sensitivity_delta", 0.25)
        pct = f"{delta * 100:.0f}%"
        title = self.p(f"2.5 What moves {_x(w.label)}'s monthly cost most", st.h2)
        intro = self.p(
            f"Each input moved by ±{pct} on its own, the others held, at the planned volume; ranked by the swing "
            "between the two ends. Bar: the low…high spread; black tick: today's estimate.",
            st.caption,
        )
        if not rows_in:
            self.add(KeepTogether([title, self.p("No input moves its cost.", st.small)]))
            return
        lo = min(min(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
        hi = max(max(r.low_usd, r.high_usd, r.base_usd) for r in rows_in)
        pad = (hi - lo) * 0.04 or max(abs(hi), 1.0) * 0.04
        scale = (lo - pad, hi + pad)
        bar_w = self.width * 1.6 / 7.4 - 8
        rows = [
            [
                self.p(x, st.head if i in (0, 5) else st.head_r)
                for i, x in enumerate(("Input", f"At −{pct}", "Today", f"At +{pct}", "Swing", "Spread"))
            ]
        ]
        for r in rows_in:
            rows.append(
                [
                    self.p(_x(r.label), st.cell),
                    self.p(usd(r.low_usd), st.cell_r),
                    self.p(usd(r.base_usd), st.cell_r),
                    self.p(usd(r.high_usd), st.cell_r),
                    self.p(f"<b>{usd(r.swing_usd)}</b>", st.cell_r),
                    _Swing(r.low_usd, r.high_usd, r.base_usd, scale, bar_w, COLORS.get(w.key, "#52606D")),
                ]
            )
        self.add(
            KeepTogether(
                [
                    title,
                    intro,
                    self.table(rows, [2.2, 0.9, 0.9, 0.9, 0.9, 1.6], style=[("VALIGN", (5, 1), (5, -1), "MIDDLE")]),
                ]
            )
        )

    # --- 3. assumptions

    def assumptions(self) -> None:
        st, s = self.st, self.scenario
        self.add(CondPageBreak(self.height * 0.35))
        self.h1("3. Assumptions")
        self.add(
            self.p(
                "Everything the estimate rests on: the scenario's inputs as entered, and every catalog figure "
                "used, with its source and the date it was checked. "
                f"The questionnaire answers are in section {self.answers_section}."
            )
        )
        self.add(self.p("3.1 Scenario inputs", st.h2))
        rows = [[self.p(x, st.head) for x in ("Input", "Value", "What it means")]]
        style: list = []

        def group(title: str) -> None:
            rows.append([self.p(f"<b>{title}</b>", st.cell), "", ""])
            style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
            style.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), BOX_BG))

        def model_rows(model, prefix: str = "") -> None:
            for name, info in type(model).model_fields.items():
                v = getattr(model, name)
                if hasattr(type(v), "model_fields"):
                    model_rows(v, prefix + _human(name) + ": ")
                    continue
                label = prefix + (LABELS[name] if name in LABELS else _human(name))
                rows.append(
                    [
                        self.p(_x(label), st.cell),
                        self.p(self.input_value(name, v), st.cell),
                        self.p(_x(info.description or ""), st.cell_small),
                    ]
                )

        group("Workload")
        model_rows(s.workload)
        group("Fine-tuning plan")
        model_rows(s.fine_tuning)
        group("Stack")
        model_rows(s.stack)
        group("One-time costs")
        model_rows(s.one_time)
        group("Horizon, budget and limits")
        fields = type(s).model_fields
        for name in ("horizon_months", "monthly_budget_usd", "latency_target_p95_ms"):
            rows.append(
                [
                    self.p(_x(_human(name)), st.cell),
                    self.p(self.input_value(name, getattr(s, name)), st.cell),
                    self.p(_x(fields[name].description or ""), st.cell_small),
                ]
            )
        vr = s.volumes
        rows.append(
            [
                self.p("Charted volume range", st.cell),
                self.p(
                    f"{count(vr.min_queries_per_month)} – {count(vr.max_queries_per_month)} queries a month", st.cell
                ),
                self.p(f"{vr.points} volumes, evenly spaced on a log scale.", st.cell_small),
            ]
        )
        self.add(self.table(rows, [2.2, 1.6, 3.2], style=style, zebra=False))
        self.derived()
        self.prices()
        self.method()

    def input_value(self, name: str, v: Any) -> str:
        if v is None:
            return "none set"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, Enum):
            v = v.value
        if isinstance(v, str):
            family = _STACK_FAMILIES.get(name)
            entry = getattr(self.catalog, family, {}).get(v) if family else None
            if entry is not None and getattr(entry, "name", None):
                w = self.col_width([2.2, 1.6, 3.2], 1)
                return f"{_xw(entry.name, w)}<br/><font size='6.5' color='#616E7C'>{_xw(v, w, size=6.5)}</font>"
            return _x({"api": "API (pay per token)", "self_hosted": "Self-hosted GPUs"}.get(v, v))
        if name in ("latency_target_p95_ms",) or name.endswith("_ms"):
            return ms(v)
        if name == "horizon_months":
            return f"{v} months"
        if "usd" in name:
            return usd(v) if name == "monthly_budget_usd" else "$" + _num(v)
        if "share" in name or "utilization" in name:
            return f"{v * 100:.4g}%"
        return _num(v)

    def derived(self) -> None:
        st, c = self.st, self.est.corpus
        if not c:
            return
        rows = [[self.p("Knowledge base as modelled", st.head), self.p("Value", st.head_r)]]
        names = {
            "chunks_per_document": ("Chunks per document", _num),
            "vectors": ("Vectors in the index", _num),
            "embedded_tokens": ("Tokens embedded to index the corpus once", _num),
            "record_bytes": ("Bytes stored per vector (vector + text and metadata)", _num),
            "stored_gb": ("Index size (GB)", lambda v: f"{v:,.4g}"),
        }
        for k, (label, f) in names.items():
            if k in c:
                rows.append([self.p(label, st.cell), self.p(f(c[k]), st.cell_r)])
        self.add(KeepTogether([self.p("3.2 Derived from the inputs", st.h2), self.table(rows, [4, 1.5], zebra=False)]))

    def prices(self) -> None:
        st, est, today = self.st, self.est, self.today
        used = list(est.prices_used)
        stale = [u for u in used if u.figure.is_stale(today)]
        unverified = [u for u in used if not u.figure.verified]
        cat = self.catalog
        self.add(self.p("3.3 Catalog figures used", st.h2))
        intro = (
            f"Catalog version {_x(cat.version)}, dated {_x(str(cat.date))}. {len(used)} figures feed this estimate; "
            f"<b>{len(stale)}</b> {'was' if len(stale) == 1 else 'were'} checked more than {STALE_AFTER_DAYS} days before {_long_date(today)} "
            f"(<font color='#C0392B'><b>stale</b></font>) and <b>{len(unverified)}</b> could not be confirmed at their "
            f"source (<font color='#B9770E'><b>unverified</b></font>). Check those before relying on the numbers."
        )
        self.add(self.p(intro))
        if cat.description:
            self.add(self.p(_x(cat.description), st.small))
        rows = [[self.p(x, st.head) for x in ("Used for", "Figure", "Value", "Source and note", "Checked", "Status")]]
        pw = [1.5, 1.05, 0.7, 3.0, 0.95, 0.95]
        wrole, wsrc = self.col_width(pw, 0), self.col_width(pw, 3)
        for u in used:
            f = u.figure
            unit = "$" if "usd" in u.field else ""
            value = unit + _fig(f.value)
            if f.lo != f.value or f.hi != f.value:
                value += f"<br/><font size='6.5' color='#616E7C'>{unit}{_fig(f.lo)}–{unit}{_fig(f.hi)}</font>"
            src = _xw(f.source, wsrc)
            if f.note:
                src += f"<br/><font size='6.5' color='#616E7C'>{_xw(f.note, wsrc, size=6.5)}</font>"
            flags = []
            if f.is_stale(today):
                flags.append(f"<font color='#C0392B'><b>stale</b></font> ({f.age_days(today):,} days)")
            if not f.verified:
                flags.append("<font color='#B9770E'><b>unverified</b></font>")
            rows.append(
                [
                    self.p(f"{_xw(u.role, wrole)}<br/><b>{_xw(u.name, wrole, FONT_BOLD)}</b>", st.cell),
                    self.p(_xw(_human_field(u.field), self.col_width(pw, 1)), st.cell),
                    self.p(value, st.cell_r),
                    self.p(src, st.cell),
                    self.p(str(f.checked), st.cell),
                    self.p("<br/>".join(flags) or "ok", st.cell),
                ]
            )
        self.add(self.table(rows, pw))

    def method(self) -> None:
        st = self.st
        self.add(self.p("3.4 How the numbers are computed", st.h2))
        text = [
            "Monthly cost is the sum of its components (LLM tokens or GPU hours, query embedding, vector store, "
            "reranking, re-embedding changed documents, retraining runs, tuned-model hosting), each computed from the "
            "inputs and the catalog prices above. Cost per 1,000 queries is the monthly total divided by the volume.",
            "Ranges: the estimate is run with every catalog figure at its low and at its high end; the band is that "
            "envelope, not a confidence interval.",
            "Break-even volumes are found exactly (by bisection), not read off the chart. Sensitivity moves one input "
            f"at a time by ±{getattr(self.est, 'sensitivity_delta', 0.25) * 100:.0f}%.",
            "Latency: the parts' medians add and their tails add in quadrature; self-hosted serving adds an M/M/c "
            "queueing delay at peak load. The full formulas are in docs/formulas.md of the planner.",
        ]
        self.add(*self.bullets(text))


_STACK_FAMILIES = {
    "embedding_model": "embedding_models",
    "vector_store": "vector_stores",
    "reranker": "rerankers",
    "llm": "llms",
    "fine_tune": "fine_tune_offers",
    "gpu": "gpus",
}
_WORDS = {
    "usd": "USD",
    "1m": "1M",
    "1k": "1K",
    "gb": "GB",
    "tb": "TB",
    "ms": "ms",
    "llm": "LLM",
    "gpu": "GPU",
    "ttft": "TTFT",
    "p50": "p50",
    "p95": "p95",
    "vllm": "vLLM",
    "8b": "8B",
    "kb": "KB",
    "top": "top",
}


def _human(name: str) -> str:
    words = [_WORDS.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _human_field(name: str) -> str:
    return " · ".join(_human(part) for part in name.split("."))


# ------------------------------------------------------------------ entry point


def build_report(
    catalog: Catalog,
    scenario: Scenario,
    *,
    estimate: Estimate | None = None,
    recommendation: Any = None,
    today: date | None = None,
    invariant: bool = False,
) -> bytes:
    """The PDF recommendation report for `scenario` priced with `catalog`, as bytes.

    `estimate` and `recommendation` are computed when not given (pass them to render only).
    `today` is the report's date (default: today); staleness of catalog figures is judged
    against it. `invariant=True` with a fixed `today` gives byte-identical output.
    """
    _register_fonts()
    if estimate is None:
        from planner.engine import estimate as _estimate

        estimate = _estimate(catalog, scenario)
    if recommendation is None:
        from planner.questionnaire import recommend

        recommendation = recommend(scenario, estimate=estimate)
    today = today or date.today()

    report = _Report(catalog, scenario, estimate, recommendation, today)
    story = report.build()

    buf = io.BytesIO()
    furniture = _Furniture(scenario.name, f"{_long_date(today)} · catalog {catalog.version} ({catalog.date})")
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=19 * mm,
        bottomMargin=18 * mm,
        title=_t(f"{scenario.name} — architecture recommendation"),
        author=PRODUCT,
        subject="Prompt only, RAG, fine-tuned or hybrid: recommendation, cost and latency",
        creator=PRODUCT,
        invariant=1 if invariant else 0,
        initialFontName=FONT,
        initialFontSize=9,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_class(furniture))
    return buf.getvalue()
