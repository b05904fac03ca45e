"""Data tables as accessible Word tables: a header row that repeats, no merged cells, a caption and
description on the table itself, fixed column widths, and colour never alone (every shaded cell has
its word or number)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from collections.abc import Sequence

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Cell

from ...palette import ACCENT, HEADER_TEXT, RATING_FILL, RATING_TEXT, SCORE_FILL, SCORE_TEXT
from ...wording import bold_spans, clean
from .runs import add_run, cell_paragraph_properties, run_properties

TABLE_PT = 10
KEEP_TOGETHER_ROWS = 10  # the grid (header + nine statements) stays whole; longer tables may break
KEEP_TOGETHER_CHARS = 1200  # nor a table of long paragraphs, which would leave a page nearly empty
_ALIGNMENT = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


@dataclass(frozen=True)
class TableCell:
    """A table cell's content: text (with `**bold**`) and optional shading, text colour and alignment."""

    text: str
    fill: str | None = None
    colour: str | None = None
    bold: bool = False
    align: str = "left"  # "left" | "center" | "right"


def rating_cell(label: str | None, text: str | None = None) -> TableCell:
    """A rating in words on its palette colour (colour never carries the meaning alone)."""
    if not label:
        return TableCell(text or "Not assessed")
    return TableCell(text or label, RATING_FILL[label], RATING_TEXT[label])


def score_cell(score: int | None) -> TableCell:
    if score is None:
        return TableCell("\u2013", align="center")
    return TableCell(str(score), SCORE_FILL[score], SCORE_TEXT[score], align="center")


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _on(parent, tag: str) -> None:
    parent.append(OxmlElement(tag))


def _describe(table, caption: str, description: str, first_column: bool, widths_cm: Sequence[float]) -> None:
    """tblLook (header row, optional first column, no banding), caption and description, total width."""
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    flags = {"firstRow": 1, "lastRow": 0, "firstColumn": int(first_column), "lastColumn": 0,
             "noHBand": 1, "noVBand": 1}
    # The same flags as the legacy bit field Word 2007 reads: firstRow 0x20, firstColumn 0x80,
    # noHBand 0x200, noVBand 0x400.
    value = 0x20 | (0x80 if first_column else 0) | 0x200 | 0x400
    look.attrib.clear()
    look.set(qn("w:val"), f"{value:04X}")
    for key, flag in flags.items():
        look.set(qn(f"w:{key}"), str(flag))
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), clean(text)[:250])
        tbl_pr.append(el)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Cm(w).twips for w in widths_cm)))


def _fill_cell(cell, spec: TableCell, keep: bool, font_pt: float) -> None:
    paragraph = cell.paragraphs[0]
    alignment = _ALIGNMENT.get(spec.align, WD_ALIGN_PARAGRAPH.LEFT)
    # No space around the text, single line spacing.
    paragraph._p.insert(0, copy.deepcopy(cell_paragraph_properties(alignment, keep)))
    # An empty cell reads as nothing at all to a screen reader; a dash says "none".
    for span, bold in bold_spans(spec.text) if spec.text.strip() else [("\u2013", False)]:
        run = add_run(paragraph, span)
        run._r.insert(0, copy.deepcopy(run_properties(font_pt, bold or spec.bold, spec.colour)))
    if spec.fill:
        _shade(cell, spec.fill)


def add_table(document, style, caption: str, description: str, header: Sequence[str],
              rows: Sequence[Sequence[TableCell | str]], widths_cm: Sequence[float], first_column: bool = False,
              font_pt: float = TABLE_PT):
    """A data table at the end of DOCUMENT's body, in STYLE, with fixed widths and a repeating header row."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _describe(table, caption, description, first_column, widths_cm)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    all_rows = [[TableCell(h, ACCENT, HEADER_TEXT, True) for h in header]] + \
        [[c if isinstance(c, TableCell) else TableCell(str(c)) for c in row] for row in rows]
    lengths = [Cm(width) for width in widths_cm]
    # Short: few rows and little text (a few rows of paragraphs would move whole to the next page, leaving one
    # nearly empty behind).
    short = len(all_rows) <= KEEP_TOGETHER_ROWS and \
        sum(len(c.text) for row in all_rows for c in row) <= KEEP_TOGETHER_CHARS
    # The rows' w:tc elements as they are: python-docx's row.cells works out every cell's grid span and
    # vertical merge first (a third of the briefing's table time), and these tables merge nothing.
    for r, (tr, cells) in enumerate(zip(table._tbl.tr_lst, all_rows)):
        tr_pr = tr.get_or_add_trPr()
        _on(tr_pr, "w:cantSplit")
        if r == 0:
            _on(tr_pr, "w:tblHeader")
        # Keep a short table on one page; a long one may break, its header row repeating.
        keep = r == 0 or (short and r < len(all_rows) - 1)
        for tc, spec, length in zip(tr.tc_lst, cells, lengths):
            tc.width = length
            _fill_cell(_Cell(tc, table), spec, keep, font_pt)
    return table
