"""The document under construction: the list of flowables a section appends to, and the small builders every
section uses (a paragraph, a heading, bullets, a table that splits across pages, a chart with its caption)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
)

from planner.report.style import HEAD_BG, MUTED, RULE, ZEBRA, Styles, table_style
from planner.report.text import para_text


class Story:
    """The flowables in page order, and the builders that make them in the report's styles."""

    def __init__(self, styles: Styles, width: float) -> None:
        self.st = styles
        self.width = width
        self.flowables: list[Flowable] = []

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.body)

    def add(self, *flowables) -> None:
        self.flowables.extend(flowables)

    def h1(self, text: str) -> None:
        self.add(CondPageBreak(120), self.p(text, self.st.h1))

    def bullets(self, texts: Sequence[str], style: ParagraphStyle | None = None) -> list[Paragraph]:
        return [Paragraph(para_text(t), style or self.st.bullet, bulletText="•") for t in texts]

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
                cmds.append(("BACKGROUND", (0, r), (-1, r), ZEBRA))
        t.setStyle(table_style(cmds + (style or [])))
        return t

    def col_width(self, widths: Sequence[float], i: int) -> float:
        """Text width inside column `i` of a `table` with these relative widths."""
        return widths[i] * self.width / sum(widths) - 7

    def chart(self, title: str, drawing: Drawing, caption: str) -> None:
        self.add(KeepTogether([self.p(title, self.st.h2), drawing, self.p(caption, self.st.caption)]))
