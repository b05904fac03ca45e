"""How the annex lays out and prints: where a table landed, how wide text is in Arial 10, and the print
scale a sheet's columns need on A4. Pure measurements, shared by every annex (the CQC annex, progress,
journey)."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import quote_sheetname, xl_range_abs

@dataclass(frozen=True)
class PlacedTable:
    """Where an Excel table landed: its sheet, its data rows, its headers and the values written, so that
    charts address its columns by header name rather than by column arithmetic."""

    sheet: str
    first: int  # the first data row (0-based); last < first when the table is empty
    last: int
    headers: tuple[str, ...]
    rows: tuple[tuple, ...] = ()

    def column(self, header: str, rows: int | None = None) -> list:
        """XlsxWriter's [sheet, first row, col, last row, col] for HEADER's data (the first ROWS of them)."""
        col = self.headers.index(header)
        last = self.last if rows is None else self.first + rows - 1
        return [self.sheet, self.first, col, last, col]

    def header(self, header: str) -> list:
        """XlsxWriter's [sheet, row, col] for HEADER's own cell (a series name that follows the header)."""
        return [self.sheet, self.first - 1, self.headers.index(header)]

    def rows_of(self, header: str, names) -> list[int]:
        """The data rows (0 = the first) whose HEADER cell holds each of NAMES, in order: a chart's categories
        found in its table, whatever rows the chart leaves out."""
        values, found, start = [row[self.headers.index(header)] for row in self.rows], [], 0
        for name in names:
            start = values.index(name, start) + 1
            found.append(start - 1)
        return found

    def ref(self, header: str, rows: list[int]) -> str:
        """A formula for HEADER's cells in ROWS: one range when they are consecutive, else Excel's union of
        ranges, "=(Metrics!$E$4:$E$6,Metrics!$E$8)" (which Excel and LibreOffice read from the cells)."""
        col, runs = self.headers.index(header), []
        for r in rows:
            if runs and r == runs[-1][1] + 1:
                runs[-1][1] = r
            else:
                runs.append([r, r])
        parts = [f"{quote_sheetname(self.sheet)}!{xl_range_abs(self.first + a, col, self.first + b, col)}"
                 for a, b in runs]
        return "=" + (parts[0] if len(parts) == 1 else "(" + ",".join(parts) + ")")

    def option(self, key: str, header: str, rows: list[int]) -> dict:
        """XlsxWriter's series option KEY ("categories", "values") for HEADER's cells in ROWS. XlsxWriter
        caches a range's cells itself but leaves a union uncached (and then takes text categories for
        numbers), so a union also gets the cells' values as written."""
        ref = self.ref(header, rows)
        col = self.headers.index(header)
        return {key: ref, **({f"{key}_data": [self.rows[r][col] for r in rows]} if ref.startswith("=(") else {})}


def pack_pages(heights: list[int], page_rows: int, first_rows: int) -> list[list[int]]:
    """Charts of HEIGHTS (pixels) in order, as many to a page of PAGE_ROWS rows as fit whole with a gap row
    under each (the first page starting FIRST_ROWS down): the indexes of each page's charts. A chart taller
    than a page gets one to itself (and is drawn to fit it)."""
    pages: list[list[int]] = [[]]
    used = first_rows
    for i, height in enumerate(heights):
        rows = -(-height // ROW_PX) + 2
        if pages[-1] and used + rows > page_rows:
            pages.append([])
            used = 0
        pages[-1].append(i)
        used += rows
    return pages


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"

# Print layout. The annex prints in Arial 10 (the house font, which LibreOffice draws with the
# metric-compatible Liberation Sans, so pages break the same everywhere) on A4 with narrow side margins.
FONT_SIZE = 10
ROW_PX = 17             # Arial 10's default row: 12.75 pt
LINE_PT = 12.75         # a wrapped line of Arial 10, as Excel spaces them (LibreOffice a little closer)
INDENT_PX = 10          # one indent level: the gap that keeps text off a number to its left
PADDING_PX = 8          # what a cell keeps clear at its edges, with a little to spare
WRAP_PADDING_PX = 4     # the same, as LibreOffice and Excel wrap text (a line too many is a blank line, one
                        # too few a cut: this errs towards the blank)
PAGE_IN = {False: (8.27, 11.69), True: (11.69, 8.27)}  # A4 (width, height) in inches: portrait, landscape
MARGIN_IN = (0.4, 0.75)  # side, top and bottom margins; header and footer sit inside the top and bottom ones
MIN_SCALE = 80          # the smallest print scale: 10 pt text prints no smaller than 8 pt
FIT_SCALE = MIN_SCALE + 1  # what columns fitted to the page aim at: LibreOffice's own fit rounds a little down
TEXT = {"align": "left", "indent": 1, "valign": "top"}
NUMBER = {"align": "right", "indent": 1, "valign": "top"}  # one indent in from the right edge, as text is from
                                                          # the left: a heading over it never touches the border

# Arial's advance widths (thousandths of the type size) for " " to "~", regular and bold, so the annex can
# measure its text: XlsxWriter cannot, and LibreOffice does not re-fit the row heights it is given.
_ARIAL = (
    (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278, 584,
     584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
     722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,
     556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
     260, 334, 584),
    (278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 333, 333, 584,
     584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778,
     722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333,
     611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389,
     280, 389, 584))


def text_px(text: str, bold: bool = False, size: float = FONT_SIZE) -> float:
    """TEXT's width in pixels in Arial at SIZE points (a character outside ASCII counted as a digit)."""
    widths = _ARIAL[bold]
    return sum(widths[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size * 96 / 72 / 1000


def column_px(width: float) -> int:
    """A column WIDTH (in characters, as set_column takes it) in pixels, as Excel and XlsxWriter count: the
    room text has in the cell."""
    return int(width * 7 + 0.5) + 5


def printed_px(width: float) -> float:
    """A column WIDTH in pixels as LibreOffice lays it out, a little wider than Excel (a character the
    width of Liberation Sans's digit, 7.41 pixels at 10 pt): what a printed page must hold."""
    return width * 556 / 1000 * FONT_SIZE * 96 / 72 + 5


def printable_px(wide: bool) -> tuple[float, float]:
    """The A4 page's printable (width, height) in pixels at 100 %, landscape when WIDE, with a little slack
    for rounding (the columns are measured as LibreOffice, the wider, lays them out)."""
    width, height = PAGE_IN[wide]
    return (0.99 * (width - 2 * MARGIN_IN[0]) * 96, 0.96 * (height - 2 * MARGIN_IN[1]) * 96)


def print_scale(widths: list[float], wide: bool) -> int:
    """The print scale (per cent, at most 100) at which columns of WIDTHS just fit the page's width."""
    return min(100, int(100 * printable_px(wide)[0] / sum(max(column_px(w), printed_px(w)) for w in widths)))


def heading_width(heading: str, width: float, numeric: bool) -> float:
    """WIDTH, or wider if HEADING's longest word would not fit on a line of its own: a heading wraps between
    words, never inside one ("Sub-regi")."""
    needed = max(text_px(w, bold=True) for w in heading.split()) + PADDING_PX + INDENT_PX
    return max(width, -(-(needed - 5) // 7))


def word_width(values, width: float) -> float:
    """WIDTH, or wider if the longest word of VALUES (wrapped text, indented) would not fit on a line: wrapped
    text breaks between words, never inside one ("Commissionin")."""
    needed = max([text_px(w) for v in values if isinstance(v, str) for w in v.split()] or [0])
    return max(width, -(-(needed + PADDING_PX + INDENT_PX - 5) // 7))


def fill_width(widths: list[float], wide: bool, scale: int = FIT_SCALE) -> float:
    """The width (characters) one more column can take so that it and the columns of WIDTHS print one page
    wide at SCALE: the room a long text column (a finding) gets so that fewer of its rows wrap."""
    room = 0.995 * printable_px(wide)[0] * 100 / scale - sum(max(column_px(w), printed_px(w)) for w in widths)
    return float(int((room - 5) / (printed_px(1) - 5)))


def text_width(values, width: float, bold: bool = False) -> float:
    """WIDTH, or wider if the longest of VALUES (text that does not wrap, indented) would not fit."""
    needed = max([text_px(str(v), bold) for v in values if v] or [0]) + PADDING_PX + INDENT_PX
    return max(width, -(-(needed - 5) // 7))


def wrapped_lines(text: str, width: float, bold: bool = False, indent: bool = True) -> int:
    """How many lines TEXT takes wrapped word by word, as the applications wrap it, in a column of WIDTH
    characters, so that row heights can be set."""
    room = column_px(width) - WRAP_PADDING_PX - (INDENT_PX if indent else 0)
    space, lines = text_px(" ", bold), 0
    for paragraph in str(text).split("\n"):
        lines, line = lines + 1, 0.0
        for word in paragraph.split():
            word_px = text_px(word, bold)
            if line and line + space + word_px > room:
                lines, line = lines + 1, 0.0
            line += (space if line else 0) + word_px
            while line > room:  # a word longer than the line breaks inside
                lines, line = lines + 1, line - room
    return lines


