"""Colors, paragraph and table styles, and the page furniture (header, footer, "Page N of M")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    TableStyle,
)

from planner.model import vocabulary
from planner.report.text import FONT, FONT_BOLD, PRODUCT, fit_text

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
RULE = colors.HexColor("#CBD2D9")
HEAD_BG = colors.HexColor("#EEF1F5")
BOX_BG = colors.HexColor("#F5F7FA")
RED = colors.HexColor(vocabulary.ALERT)  # limits, budgets, stale figures
AMBER = colors.HexColor("#B9770E")
#: Chart furniture: grid lines, the faint minor grid, the planned-volume marker, a table's zebra rows.
GRID = colors.HexColor("#E4E7EB")
FAINT = colors.HexColor("#F0F2F4")
MARKER_HEX = "#52606D"
MARKER = colors.HexColor(MARKER_HEX)
ZEBRA = colors.HexColor("#FAFBFC")
#: The app's colors (planner.model.vocabulary), as reportlab colors.
VERDICT_COLORS = {k: colors.HexColor(v) for k, v in vocabulary.VERDICT_COLORS.items()}
COMPONENT_COLORS = vocabulary.COMPONENT_COLORS


def table_style(cmds: list) -> TableStyle:  # noqa: N802 - reads like the class it builds
    """A TableStyle whose default cell font is Vera (reportlab's default is Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8)] + list(cmds))


class Styles:
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


@dataclass(frozen=True)
class Furniture:
    scenario_name: str
    left_footer: str


def canvas_class(furniture: Furniture) -> type:
    """A canvas that knows the page count: pages are held until `save`, then numbered "Page N of M"."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
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
            self.drawRightString(right, h - 12 * mm, fit_text(furniture.scenario_name, FONT, 7.5, room))
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, h - 13.8 * mm, right, h - 13.8 * mm)
            self.line(left, 13 * mm, right, 13 * mm)
            page = f"Page {self._pageNumber} of {total}"
            self.drawRightString(right, 9 * mm, page)
            room = right - left - stringWidth(page, FONT, 7.5) - 20
            self.drawString(left, 9 * mm, fit_text(furniture.left_footer, FONT, 7.5, room))
            self.restoreState()

    return NumberedCanvas
