"""Fonts and text for the PDF: the embedded Vera font, escaping user text for a Paragraph, fitting and
wrapping, and the small number formats of the report."""

from __future__ import annotations

import math
import os
import unicodedata
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from planner.engine import Snapshot
from planner.model.format import usd, usd_tick

PRODUCT = "LLM architecture planner"


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


def register_fonts() -> None:
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


def drawable_text(text: Any) -> str:
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


def para_text(text: Any, newlines: bool = False) -> str:
    """User or catalog text made safe for a Paragraph (escaped, drawable)."""
    s = escape(drawable_text(text))
    if newlines:  # one blank line at most between paragraphs
        s = _blank_lines(s)
        s = s.replace("\n", "<br/>")
    return s


def _blank_lines(s: str) -> str:
    """`s` with no more than one blank line in a row."""
    lines, out = s.split("\n"), list[str]()
    for line in lines:
        if line.strip() or (out and out[-1].strip()):
            out.append(line)
    return "\n".join(out)


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


#: A table cell shows at most this many lines as written; the rest of the text runs on in the last one.
#: A row cannot split across pages, so a cell of many line breaks (a catalog note, a name) would
#: otherwise be taller than a page and stop the whole report.
CELL_MAX_LINES = 6


def _cell_lines(text: str, max_lines: int = CELL_MAX_LINES) -> str:
    """`text` with at most `max_lines` lines: blank lines dropped, the lines after the last joined by spaces."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(line.strip() for line in lines[max_lines - 1 :])]
    return "\n".join(lines)


def xw(text: Any, width: float, font: str = FONT, size: float = 8) -> str:
    """`para_text` for a table cell: at most `CELL_MAX_LINES` lines as written, and words wider than `width`
    points broken (at / - _ . when possible) so they wrap."""
    words = _cell_lines(drawable_text(text)).split(" ")
    out = []
    limit = width * 0.96
    for w in words:
        if w and stringWidth(w, font, size) > limit:
            out.append("<br/>".join(escape(p) for p in _split_token(w, font, size, limit)))
        else:
            out.append(escape(w))
    return " ".join(out).replace("\n", "<br/>")


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """Plain text cut to `width` points with an ellipsis (headers, chart labels)."""
    s = " ".join(drawable_text(text).split())
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


def long_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def num(v: float) -> str:
    """An input number as a person reads it: 1,200 / 0.25 / 0.1667."""
    if v is None:
        return "—"
    v = float(v)
    if not math.isfinite(v):
        return "—"
    if v == int(v) and abs(v) < 1e15:
        return f"{v:,.0f}"
    return f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"


def fig(v: float) -> str:
    """A catalog figure exactly as written (no rounding to the display format)."""
    return f"{v:,.10g}" if abs(v) >= 1000 else f"{v:.10g}"


def signed_score(s: int) -> str:
    return f"{s:+d}"


def pdf_usd_tick(v: float) -> str:
    """Axis labels, as the app's charts label them (`planner.model.format.usd_tick`): $1, $10, $1K, $20K."""
    return usd_tick(v)


def usd_cell(v: float) -> str:
    """A component in a table: `usd`, and "–" for nothing."""
    return usd(v) if v > 0 else "–"


def per_1k(snap: Snapshot) -> str:
    """Cost per 1,000 queries; undefined (—) at zero volume, where the engine reports 0."""
    return usd(snap.usd_per_1k_queries) if snap.queries_per_month > 0 else "—"


def range_text(lo: float, hi: float, value: float) -> str:
    """ "$10–$12", or the single figure when the catalog gives no range."""
    if abs(hi - lo) <= 0.005 * max(abs(value), 1e-9):
        return usd(value)
    return f"{usd(lo)}–{usd(hi)}"
