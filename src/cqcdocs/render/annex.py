"""The Excel annex: the briefing's figures laid out for checking and re-use, with native Excel charts.

Written with XlsxWriter (it alone gives charts alt text, Excel tables and data bars). Every figure
comes from `scoring.Result`; workbook text is always written as a string, never a formula.

The Charts sheet draws the briefing's standard charts from their definitions (`render.chart_defs`): the
same title, alt text, series names, colours, words and rating bands as the Word charts, with the series
reading the annex's own tables, so the charts stay live on the workbook's data.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from ..contract import NOT_YET_DUE, THEMES, is_cqc_review
from ..model import MonthDate, format_date
from ..palette import (ACCENT, ACTION_STATUS_FILL, ACTION_STATUS_TEXT, COMPARISON_FILL, HEADER_TEXT, MUTED,
                      RATING_FILL, RATING_TEXT, SUBJECT, label_colour)
from ..progress import REPORT_ORDER, counts_by_theme, statuses_on
from ..scoring import RATINGS, Result, rating_for_pct
from ..wording import plain
from .annex_charts import AnnexCharts, font
from .annex_layout import (FONT_SIZE, LINE_PT, MARGIN_IN, MIN_SCALE, NUMBER, PADDING_PX, ROW_PX, TEXT, PlacedTable,
                           column_px, fill_width, heading_width, print_scale, printable_px, short, text_px, text_width,
                           word_width, wrapped_lines)
from .chart_defs import FONT
from .sentences import benchmark_notes, overall_method_sentence, pct_unknown_sentence, ranking_clause

TABLE_STYLE = "Table Style Medium 2"
TITLE_PT = 16
DEFAULT_WIDTH = 8.43  # Excel's width for a column none is set for
CONTENTS_TEXT = 100  # a paper annex's Contents: the width of its facts and of what each sheet holds
MIN_FILL = 40  # the narrowest a table's long text column gets, whatever the others take
SUBJECT_ROW = "DEEBF7"  # this council's row in a table: a pale blue that is no rating's colour


def _label_width() -> float:
    """The Contents sheet's first column: as wide as the longest rating ("Requires improvement")."""
    return text_width([r.label for r in RATINGS], 20)


class Annex(AnnexCharts):
    FOOTER = "CQC annex"  # what every page's footer calls the workbook, after the council's short name

    def __init__(self, result: Result, path: Path, source_name: str):
        self.result = result
        self.a = result.workbook.assessment
        self.source_name = source_name
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE}, "default_row_height": ROW_PX})
        self._formats: dict[tuple, object] = {}
        self._numeric: set[int] = set()  # ids of the formats that hold numbers: right-aligned, header too
        self._wrapping: set[int] = set()  # ids of the formats that wrap text
        self._wide: dict[str, bool] = {}  # sheet → printed landscape
        self._widths: dict[str, dict[int, float]] = {}  # sheet → the widths set, by column
        f = self.format
        self.title = self.wb.add_format({"bold": True, "font_size": TITLE_PT, "font_color": "#" + ACCENT})
        # Every cell top-aligned; text left-aligned and numbers right-aligned, each one indent in from the cell's
        # edge, so a number never touches the next column's text ("3Good").
        self.bold = f(TEXT, {"bold": True})
        self.wrap = f(TEXT, {"text_wrap": True})
        self.text = f(TEXT)
        self.pct = f(NUMBER, {"num_format": "0%"})
        self.pct2 = f(NUMBER, {"num_format": "0.00"})
        self.pct_edge = f(NUMBER, {"num_format": "0.0%"})
        self.num = f(NUMBER, {"num_format": "0"})
        self.whole = f(NUMBER, {"num_format": "#,##0"})
        self.decimal = f(NUMBER, {"num_format": "#,##0.00"})
        self.date = f(NUMBER, {"num_format": "dd/mm/yyyy"})
        self.month = f(NUMBER, {"num_format": "mmmm yyyy"})  # a date known only to its month: "December 2023"
        self.bar = f(NUMBER, {"num_format": ";;;"})  # a data bar's own cell: the bar only, the value beside it
        self.italic = f({"italic": True, "font_color": "#" + MUTED})
        self.note = f(TEXT, {"italic": True, "font_color": "#" + MUTED, "text_wrap": True})
        # Ratings wrap where a column is narrow ("Requires / improvement"); a column as wide as its text never does.
        self.rating_fmt = {label: f(TEXT, {"bg_color": "#" + RATING_FILL[label], "font_color": "#" + RATING_TEXT[label],
                                           "text_wrap": True})
                           for label in RATING_FILL}
        self.status_fmt = {s: f(TEXT, {"bg_color": "#" + ACTION_STATUS_FILL[s], "font_color": "#" + ACTION_STATUS_TEXT[s]})
                           for s in ACTION_STATUS_FILL}
        self.comparison_fmt = {c: f(TEXT, {"bg_color": "#" + fill}) for c, fill in COMPARISON_FILL.items()}
        self.subject = f(TEXT, {"bold": True, "bg_color": "#" + SUBJECT_ROW})
        self.subject_num = f(NUMBER, {"bold": True, "bg_color": "#" + SUBJECT_ROW, "num_format": "0"})
        self.subject_pct = f(NUMBER, {"bold": True, "bg_color": "#" + SUBJECT_ROW, "num_format": "0%"})
        self.placed: dict[str, PlacedTable] = {}  # table name → where it landed
        self._titles: dict[str, tuple[object, str]] = {}  # sheet → (worksheet, title), fitted on closing
        self._run_on: set[str] = set()  # sheets whose columns run on to further pages, column A repeated
        self.title_wrap = self.wb.add_format({"bold": True, "font_size": 16, "font_color": "#" + ACCENT,
                                              "text_wrap": True, "valign": "top"})

    # --- helpers --------------------------------------------------------------------------------

    def format(self, *parts: dict):
        """One workbook format for the merged PARTS (TEXT or NUMBER first), made once and reused."""
        props = {k: v for part in parts for k, v in part.items()}
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props)
            if props.get("align") == "right":
                self._numeric.add(id(self._formats[key]))
            if props.get("text_wrap"):
                self._wrapping.add(id(self._formats[key]))
        return self._formats[key]

    def header_format(self, fmt):
        """A table header over cells of FMT: aligned as they are, so each heading sits over its values."""
        return self.format(NUMBER if id(fmt) in self._numeric else TEXT,
                           {"bold": True, "text_wrap": True, "bg_color": "#" + ACCENT,
                            "font_color": "#" + HEADER_TEXT, "border": 1, "border_color": "#FFFFFF"})

    def sheet(self, name: str, heading: str, wide: bool = False):
        ws = self.wb.add_worksheet(name)
        ws.write_string(0, 0, heading, self.title)
        ws.set_row(0, 24)
        self._titles[name] = (ws, heading)
        ws.set_paper(9)
        self._wide[name] = wide
        ws.set_landscape() if wide else ws.set_portrait()
        ws.set_margins(left=MARGIN_IN[0], right=MARGIN_IN[0], top=MARGIN_IN[1], bottom=MARGIN_IN[1])
        ws.fit_to_pages(1, 0)
        # Excel drops a header or footer over 255 characters; cut long names rather than lose the marking.
        marking = short(self.a.protective_marking, 60).replace("&", "&&")
        ws.set_footer(f"&L{marking}&C{short(self.a.short_name, 80).replace('&', '&&')} {self.FOOTER}: {name}"
                      "&RPage &P of &N")
        ws.set_header(f"&C{marking}")
        return ws

    def close(self) -> None:
        """Fit each sheet's title to the columns that print, then write the file."""
        for name, (ws, heading) in self._titles.items():
            self._fit_title(ws, heading, self._widths.get(name, {}))
        self.wb.close()

    def _fit_title(self, ws, heading: str, widths: dict[int, float]) -> None:
        """A title wider than the sheet's columns would print cut at the last one: on a sheet with no columns
        set, column A is widened to it; otherwise it wraps across the columns, its row as tall as it needs."""
        needed = text_px(heading, bold=True, size=TITLE_PT) + PADDING_PX
        if ws.get_name() in self._run_on and widths.get(0, DEFAULT_WIDTH) * 7 < needed:
            # Column A prints again on every page the columns run on to: the title there would print cut
            # ("Every") on each. In B it runs on over the first page's empty title row instead.
            ws.write_blank(0, 0, None, self.title)  # a blank without a format would not replace the title
            ws.write_string(0, 1, heading, self.title)
            return
        if not widths:
            if needed > column_px(DEFAULT_WIDTH) * 3:  # a short title may run on over empty columns
                ws.set_column(0, 0, -(-(needed - 5) // 7))
            return
        last = max(widths)
        room = sum(column_px(widths.get(c, DEFAULT_WIDTH)) for c in range(last + 1))
        if needed <= room:
            return
        if last:
            ws.merge_range(0, 0, 0, last, heading, self.title_wrap)
        lines = -(-needed // room) + 1
        ws.set_row(0, 20 * lines + 4)

    def set_width(self, ws, col: int, width: float) -> None:
        """Set column COL's WIDTH and fit the printed page to the sheet's columns as they now are."""
        ws.set_column(col, col, width)
        self._widths.setdefault(ws.get_name(), {})[col] = width
        self.fit_width(ws)

    def fit_width(self, ws) -> None:
        """Print WS one page wide when that keeps the text legible (a scale of at least MIN_SCALE, landscape if
        portrait would not); otherwise at MIN_SCALE, the columns running on to a second page with the first
        column repeated, as the header row is."""
        widths = list(self._widths.get(ws.get_name(), {}).values())
        wide = self._wide[ws.get_name()]
        if not wide and print_scale(widths, False) < MIN_SCALE:
            wide = self._wide[ws.get_name()] = True
            ws.set_landscape()
        if print_scale(widths, wide) >= MIN_SCALE:
            ws.set_print_scale(100)  # no scale of its own: the fit decides it
            ws.fit_to_pages(1, 0)
        else:
            ws.set_print_scale(MIN_SCALE)  # clears fit-to-page
            ws.repeat_columns(0)
            self._run_on.add(ws.get_name())

    def put(self, ws, row: int, col: int, value, fmt=None) -> None:
        """Write by type: text always as a string (so '=...' never becomes a formula), numbers as numbers."""
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, "Yes" if value else "No", fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, value, fmt or self.date)
        elif hasattr(value, "year") and hasattr(value, "month"):
            if isinstance(value, MonthDate) and fmt in (None, self.date):
                fmt = self.month  # as precise as its source, never a made-up 1st of the month
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt or self.date)
        else:
            ws.write_string(row, col, str(value), fmt)

    def table(self, ws, first_row: int, name: str, columns: list[tuple[str, float, object]], rows: list[list],
              cell_formats: list[list] | None = None, header_repeat: bool = True,
              set_widths: bool = True, first_col: int = 0, fill: str | None = None) -> PlacedTable:
        """An Excel table at FIRST_ROW (and FIRST_COL); columns are (header, width, format), the width what the
        column is set to (SET_WIDTHS) or already is. Each heading is aligned as its values are, the header
        row tall enough for the longest heading, and the page fitted to the columns. With SET_WIDTHS each
        column is widened to hold its heading's longest word, its longest word when it wraps, or its longest
        value when it does not, so nothing prints cut. FILL names a long text column that takes the rest of
        the page at the smallest legible scale, the other wrapped columns no wider than their longest value:
        fewer wrapped lines, more rows to a printed page. Returns where it landed."""
        placed = PlacedTable(ws.get_name(), first_row + 1, first_row + len(rows), tuple(h for h, _, _ in columns),
                             tuple(tuple(row) for row in rows))
        if set_widths:
            columns = [(h, self._fitted(h, width, fmt, [row[i] for row in rows] if rows else [],
                                        shrink=fill is not None and h != fill), fmt)
                       for i, (h, width, fmt) in enumerate(columns)]
            if fill is not None and rows:
                others = [w for h, w, _ in columns if h != fill]
                columns = [(h, max(MIN_FILL, fill_width(others, self._wide[ws.get_name()])) if h == fill else w, fmt)
                           for h, w, fmt in columns]
            columns = self._squeeze(columns, rows)
        self.placed[name] = placed
        if not rows:
            ws.write_string(first_row, first_col, "None in the source workbook.", self.note)
            return placed
        if set_widths:
            for c, (_, width, _) in enumerate(columns, start=first_col):
                self.set_width(ws, c, width)
        ws.add_table(first_row, first_col, placed.last, first_col + len(columns) - 1, {
            "name": name, "style": TABLE_STYLE, "autofilter": True,
            "columns": [{"header": header, "header_format": self.header_format(fmt)} for header, _, fmt in columns]})
        lines = max(wrapped_lines(header, width, bold=True)
                    for header, width, fmt in columns)
        height = LINE_PT * lines + 4
        ws.set_row(first_row, height)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                fmt = (cell_formats[r][c] if cell_formats and cell_formats[r][c] is not None else columns[c][2])
                self.put(ws, first_row + 1 + r, first_col + c, value, fmt)
            ws.set_row(first_row + 1 + r, self._height(row, columns))
            height += self._height(row, columns)
        if header_repeat:  # the sheet's main table: its header stays in view, and repeats on every printed page
            ws.freeze_panes(first_row + 1, 0)  # when the table needs more than one (else a page of notes after
            if 24 + LINE_PT * first_row + height > self._page_pt(ws):  # it would hold only the header)
                ws.repeat_rows(first_row)
        return placed

    def _page_pt(self, ws) -> float:
        """The height (points) of WS's printed page, in the sheet's own points at the scale it prints at."""
        wide = self._wide[ws.get_name()]
        widths = list(self._widths.get(ws.get_name(), {}).values())
        scale = max(MIN_SCALE, print_scale(widths, wide)) if widths else 100
        return printable_px(wide)[1] * 72 / 96 * 100 / scale

    def _squeeze(self, columns: list, rows: list) -> list:
        """COLUMNS narrowed, the widest wrapped column a character at a time and none below its longest word or
        heading word, until they print one landscape page wide at the smallest legible scale (widening to hold
        every value can push a table past it, and the columns would then run on to a second page)."""
        widths = [w for _, w, _ in columns]
        excess = -fill_width(widths, True)  # characters over the page (negative: room to spare)
        wrapped = [i for i, (_, _, fmt) in enumerate(columns) if id(fmt) in self._wrapping]
        floors = {i: heading_width(columns[i][0], word_width([row[i] for row in rows], 1), False) for i in wrapped}
        if excess <= 0 or sum(widths[i] - floors[i] for i in wrapped) < excess:
            return columns  # it fits, or cannot: then the columns run on to a second page at a legible scale
        while excess > 0:
            i = max((i for i in wrapped if widths[i] - 1 >= floors[i]), key=lambda i: widths[i])
            widths[i] -= 1
            excess -= 1
        return [(h, widths[i], fmt) for i, (h, _, fmt) in enumerate(columns)]

    def _fitted(self, header: str, width: float, fmt, values: list, shrink: bool = False) -> float:
        """WIDTH for a column of VALUES under HEADER, widened so nothing is cut (see `table`); when SHRINK, a
        wrapped column no wider than its longest value on one line."""
        numeric = id(fmt) in self._numeric
        if id(fmt) in self._wrapping:
            texts = [v for v in values if isinstance(v, str)]
            if shrink and texts:
                width = min(width, text_width(texts, 1))
            width = word_width(texts, width)
        elif not numeric:
            width = text_width([v for v in values if isinstance(v, str)], width)
        else:  # as they print: a date as dd/mm/yyyy, a number with its thousands separators
            width = text_width(["00/00/0000" if hasattr(v, "year") else f"{v:,.2f}" if isinstance(v, float) else
                                f"{v:,}" for v in values if v is not None and v != ""], width)
        return heading_width(header, width, numeric)

    def _height(self, row: list, columns: list[tuple[str, float, object]]) -> float:
        """Row height for wrapped text: XlsxWriter cannot measure text and LibreOffice does not re-fit rows."""
        lines = max([1] + [wrapped_lines(value, width) for value, (_, width, fmt) in zip(row, columns)
                           if fmt is self.wrap and isinstance(value, str) and value])
        return LINE_PT * lines + 3

    # --- sheets ---------------------------------------------------------------------------------

    def contents_sheet(self, heading: str, lines: list[tuple[str, str]], sheets: list[tuple[str, str]]) -> None:
        """A Contents sheet for a paper's own annex: labelled facts (a blank label continues the one above),
        then the sheets it holds as a table; opened first."""
        ws = self.sheet("Contents", heading)
        for r, (label, value) in enumerate(lines, start=2):
            ws.write_string(r, 0, label, self.bold)
            ws.write_string(r, 1, value, self.wrap)
            ws.set_row(r, LINE_PT * wrapped_lines(value, CONTENTS_TEXT) + 3)
        start = 2 + len(lines) + 1
        ws.write_string(start, 0, "Sheets", self.bold)
        self.table(ws, start + 1, "tblContents",
                   [("Sheet", 22, self.text), ("What it holds", CONTENTS_TEXT, self.wrap)],
                   [list(s) for s in sheets], header_repeat=False)
        ws.freeze_panes(0, 0)
        ws.activate()

    def contents(self) -> None:
        ws = self.sheet("Contents", f"{self.a.council}: CQC assessment annex")
        o = self.result.overall
        lines = [("Council", self.a.council), ("Report", self.a.report_title),
                 ("Source workbook", self.source_name),
                 ("Figures as at", f"CQC assessment published {format_date(self.a.published)}"),
                 ("Overall result", f"{o.pct}%, {o.rating.label}" if o else "Not assessed")]
        # local name text_width shadows the layout function here; measure first
        label_width = _label_width()
        text_width = 70
        method = ("Each evidence category is scored 1 to 4; a quality statement's percentage is its category scores "
                  "over 4 times the categories scored, rounded up, and its score is the band that percentage falls "
                  "in. The overall percentage is the quality statement scores over 4 times the statements assessed, "
                  "rounded up; theme scores are derived the same way (CQC publishes none).")
        if self.result.pct_unknown:
            method = " ".join(filter(None, (pct_unknown_sentence(self.result), overall_method_sentence(self.result),
                                            "Theme scores are derived the same way (CQC publishes none).")))
        for r, (label, value) in enumerate([*lines, ("", ""), ("Method", method)], start=2):
            if label:
                ws.write_string(r, 0, label, self.bold)
                ws.write_string(r, 1, value, self.wrap)
                ws.set_row(r, LINE_PT * wrapped_lines(value, text_width) + 3)
        sheets = [("Scores", "Quality statements by evidence category, with computed and published figures"),
                  ("Themes", "Theme percentages derived from the quality statement scores"),
                  ("Findings", "Every finding from the CQC assessment and peer reviews, filterable"),
                  ("Metrics", "Performance measures against the England average"),
                  ("Key figures", "Figures from the assessment and other reviews: waits, caseloads, spend"),
                  ("Benchmarks", "Councils in the region ranked by overall score"),
                  ("Actions", "The improvement actions, and a count by theme and status"),
                  ("Journey", "Every finding with its thread, review and date, filterable"),
                  ("Service areas", "Findings by service area and review, and where areas for development concentrate"),
                  ("Charts", "Native Excel charts of the figures above")]
        ws.write_string(10, 0, "Sheets", self.bold)
        self.table(ws, 11, "tblContents", [("Sheet", label_width, self.text), ("What it holds", text_width, self.wrap)],
                   [list(s) for s in sheets], header_repeat=False)
        band_row = 11 + len(sheets) + 2
        ws.write_string(band_row, 0, "Rating bands", self.bold)
        # Two columns, the score and its range in words beside the rating: under the wide second column of
        # the tables above, numbers of their own would sit far from the rating they belong to.
        self.table(ws, band_row + 1, "tblRatingBands",
                   [("Rating", label_width, self.text), ("Score and percentage range", text_width, self.text)],
                   [[r.label, f"Score {r.score}, {r.band}"] for r in RATINGS],
                   [[self.rating_fmt[r.label], None] for r in RATINGS], header_repeat=False, set_widths=False)
        ws.activate()

    def scores(self) -> None:
        ws = self.sheet("Scores", "Scores by quality statement and evidence category", wide=True)
        categories = self.result.categories_used
        # Narrow enough to print one landscape page wide at a legible scale, long names wrapping.
        cols = [("Quality statement", 18, self.wrap), ("Theme", 13, self.wrap)]
        cols += [(c, 8, self.num) for c in categories]  # as wide as their headings' longest words
        cols += [("Computed %", 9, self.pct), ("Computed score", 9, self.num), ("Rating", 20, self.wrap),
                 ("Published score", 9, self.num), ("Published %", 9, self.pct), ("Draft score", 8, self.num),
                 ("Matches published", 9, self.text), ("Basis", 11, self.wrap)]
        rows, fmts = [], []
        for row, s in zip(self.result.workbook.scores, self.result.statements):
            published = [v for v in (row.score, row.published_pct) if v is not None]
            matches = "\u2014" if not published or not s.assessed else (
                "Yes" if (row.score in (None, s.score) and (row.published_pct in (None, s.pct) or (
                    s.pct is None and 25 <= row.published_pct <= 100  # a score alone: the % is in its band
                    and rating_for_pct(row.published_pct).score == s.score))) else "No")
            rating = s.rating.label if s.rating else "Not assessed"
            rows.append([s.quality_statement.name, s.theme.name, *[s.categories.get(c) for c in categories],
                         None if s.pct is None else s.pct / 100, s.score, rating, row.score,
                         None if row.published_pct is None else row.published_pct / 100, s.draft_score, matches,
                         s.basis])
            fmt = [None] * len(cols)
            fmt[2 + len(categories) + 2] = self.rating_fmt.get(rating)
            fmts.append(fmt)
        last = self.table(ws, 2, "tblScores", cols, rows, fmts).last
        o = self.result.overall
        if o:
            r = last + 2
            ws.write_string(r, 0, "Overall", self.bold)
            ws.write_string(r, 1, f"{o.total} of {4 * o.assessed} from {o.assessed} statements", self.text)
            self.put(ws, r, 2 + len(categories), o.pct / 100, self.pct)
            self.put(ws, r, 3 + len(categories), o.rating.score, self.num)
            self.put(ws, r, 4 + len(categories), o.rating.label, self.rating_fmt[o.rating.label])
            if self.a.published_overall_pct is not None:
                self.put(ws, r, 6 + len(categories), self.a.published_overall_pct / 100, self.pct)
                self.put(ws, r, 8 + len(categories), "Yes" if self.a.published_overall_pct == o.pct else "No",
                         self.text)
        if why := pct_unknown_sentence(self.result):  # a blank Computed % says why, beside the table
            ws.write_string(last + (4 if o else 2), 0, why, self.italic)

    def themes(self) -> None:
        ws = self.sheet("Themes", "Theme scores (derived: CQC publishes no theme score)")
        rows, fmts = [], []
        for t in self.result.themes:
            rating = t.rating.label if t.rating else "Not assessed"
            rows.append([t.theme.number, t.theme.name, sum(1 for s in t.statements if s.assessed),
                         sum(s.score for s in t.statements if s.assessed),
                         None if t.pct is None else t.pct / 100, rating, "Derived"])
            fmts.append([None] * 5 + [self.rating_fmt.get(rating), None])
        self.table(ws, 2, "tblThemes", [("Theme number", 8, self.num), ("Theme", 22, self.text),
                                        ("Statements assessed", 11, self.num), ("Total score", 8, self.num),
                                        ("Derived %", 9, self.pct), ("Derived rating", 20, self.text),
                                        ("Basis", 9, self.text)], rows, fmts)

    def findings(self) -> None:
        ws = self.sheet("Findings", "Findings from the CQC assessment and peer reviews", wide=True)
        rows = [[f.review, f.theme.name, f.quality_statement.name if f.quality_statement else "", f.section,
                 f.service_area, plain(f.text)] for f in self.result.workbook.findings]
        # The short columns no wider than their longest value, most on one line ("CQC assessment 2026", "Area for
        # development"), the long names of statements and areas on two; the finding across the rest of the page.
        self.table(ws, 2, "tblFindings", [("Review", 24, self.wrap), ("Theme", 20, self.wrap),
                                          ("Quality statement", 18, self.wrap), ("Section", 20, self.wrap),
                                          ("Service area", 18, self.wrap), ("Finding", 72, self.wrap)], rows,
                   fill="Finding")

    def metrics(self) -> None:
        ws = self.sheet("Metrics", "Performance against the England average", wide=True)
        name = self.a.short_name
        rows, fmts = [], []
        for m in self.result.metrics:
            x = m.metric
            difference = round(m.difference, 2)
            rows.append([x.indicator, x.source, x.quality_statement.name if x.quality_statement else "",
                         x.unit, x.council_value, x.england_average, difference, difference, m.comparison,
                         "CQC report" if m.basis == "CQC" else m.basis, x.cqc_comparison])
            fmts.append([None] * 8 + [self.comparison_fmt.get(m.comparison), None, None])
        # The difference twice: as a number, and as a data bar alone in its own column (the bar never covers
        # the number it stands for).
        placed = self.table(ws, 2, "tblMetrics", [
            ("Indicator", 36, self.wrap), ("Source", 12, self.wrap), ("Quality statement", 20, self.wrap),
            ("Unit", 6, self.text), (name, 10, self.pct2), ("England average", 10, self.pct2),
            ("Difference (points)", 11, self.pct2), ("Difference (bar)", 14, self.bar), ("Comparison", 11, self.text),
            ("Basis", 12, self.wrap), ("CQC's words", 16, self.wrap)], rows, fmts)
        if rows:
            # Zero in the middle and the longest bar short of the cell's edges, so no bar meets a neighbour.
            reach = round(max(abs(row[6]) for row in rows) * 1.15, 2) or 1
            _, first, col, last, _ = placed.column("Difference (bar)")
            ws.conditional_format(first, col, last, col, {"type": "data_bar", "bar_color": "#" + SUBJECT,
                                                      "bar_negative_color": "#" + RATING_FILL["Inadequate"],
                                                      "bar_negative_border_color": "#" + RATING_FILL["Inadequate"],
                                                      "bar_solid": True, "bar_only": True,
                                                      "min_type": "num", "min_value": -reach,
                                                      "max_type": "num", "max_value": reach})

    def benchmarks(self) -> None:
        ws = self.sheet("Benchmarks", f"Councils in {self.a.region} by overall score", wide=True)
        rows, fmts = [], []
        for c in self.result.benchmarks:
            basis = "; ".join([c.pct_basis or "no published score",
                               *({"Pilot": "pilot (indicative) rating", "Secondary": "secondary source"}[x]
                                 for x in c.caveats)])
            rows.append([c.position, c.council, c.sub_region, None if c.pct is None else c.pct / 100,
                         basis, c.rating or "", "Yes" if c.is_subject else ""])
            base = self.subject if c.is_subject else None
            fmts.append([self.subject_num if c.is_subject else None, base, base,
                         self.subject_pct if c.is_subject else None, base, self.rating_fmt.get(c.rating or "", base),
                         base])
        # The council and basis columns as wide as their longest entry (this council's in bold).
        councils = text_width([c.council for c in self.result.benchmarks], 30, bold=True)
        bases = text_width([row[4] for row in rows], 24)
        last = self.table(ws, 2, "tblBenchmarks", [
            ("Rank", 6, self.num), ("Council", councils, self.text), ("Sub-region", 18, self.text),
            ("Overall %", 9, self.pct), ("Basis", bases, self.text), ("Rating", 20, self.text),
            ("This council", 8, self.text)], rows, fmts).last
        self._benchmark_notes(ws, last + 2, width=6 + councils + 18 + 9 + bases + 20 + 8)

    def _benchmark_notes(self, ws, row: int, width: float) -> None:
        """Under the Benchmarks table: the national position, the caveats on the figures, and the national
        results table's date and sources."""
        r = self.result
        lines = [(label, ranking_clause(ranking)[0].upper() + ranking_clause(ranking)[1:])
                 for label, ranking in (("Region", r.region_ranking), ("Sub-region", r.sub_region_ranking),
                                        ("National", r.national_ranking)) if ranking]
        lines += [("Note" if i == 0 else "", note) for i, note in enumerate(benchmark_notes(r))]
        if (table := r.national_table) is not None and r.national_ranking:
            lines.append(("National table", f"{table.title}, as at {format_date(table.as_at)}"))
            lines += [("Sources" if i == 0 else "", source) for i, source in enumerate(table.sources)]
        # Each note across the table's width (A to G), wrapped: one long line would widen the printed page
        # until fit-to-width made it unreadable. Merged below the table, never inside it.
        for at, (label, text) in enumerate(lines, start=row):
            text = f"{label}: {text}" if label else text
            ws.merge_range(at, 0, at, 6, text, self.wrap)
            ws.set_row(at, 15 * -(-len(text) // int(width * 1.1)) + 2)

    def key_figures(self) -> None:
        """The assessment's own figures first, then those of other reviews (an LGA peer challenge), each row naming
        its review, under a title that says both: neither is taken for the other."""
        figures = self.result.workbook.key_figures
        own = [f for f in figures if not f.review or is_cqc_review(f.review)]
        others = [f for f in figures if f not in own]
        ws = self.sheet("Key figures", "Key figures from the assessment" + (" and other reviews" if others else ""),
                        wide=True)
        rows, fmts = [], []
        for f in own + others:
            as_at = format_date(f.as_at) if isinstance(f.as_at, date) else f.as_at or ""
            rows.append([f.review or "CQC assessment", f.theme.name if f.theme else "",
                         f.quality_statement.name if f.quality_statement else "", f.measure, f.value, f.unit, as_at,
                         f.source])
            fmts.append([None] * 4 + [self.whole if float(f.value).is_integer() else self.decimal, None, None, None])
        self.table(ws, 2, "tblKeyFigures", [
            ("Review", 18, self.wrap), ("Theme", 20, self.wrap), ("Quality statement", 22, self.wrap),
            ("Measure", 44, self.wrap), ("Value", 14, self.whole), ("Unit", 10, self.text), ("As at", 14, self.text),
            ("Source", 28, self.wrap)], rows, fmts)

    def actions(self) -> None:
        # Statuses as the briefing and the progress report count them, on the briefing's report date.
        workbook = self.result.workbook
        day = self.a.report_date or self.a.published
        ws = self.sheet("Actions", f"Improvement actions as at {format_date(day)}", wide=True)
        statuses = statuses_on(workbook, day)
        rows, fmts = [], []
        for x in workbook.actions:
            rows.append([x.ref, x.theme.name, x.area_for_development, x.action, x.owner, x.due, statuses[x.ref],
                         x.update])
            fmts.append([None] * 6 + [self.status_fmt[statuses[x.ref]], None])
        columns = [("Ref", 6, self.text), ("Theme", 14, self.wrap), ("Area for development", 34, self.wrap),
                   ("Action", 34, self.wrap), ("Owner", 14, self.wrap), ("Due", 11, self.date),
                   ("Status", text_width(statuses.values(), 11), self.text), ("Update", 24, self.wrap)]
        last = self.table(ws, 2, "tblActions", columns, rows, fmts).last
        start = last + 3
        # Under the wide Theme column (B), not the narrow Ref column, so theme names are not cut off; each count
        # right-aligned under its right-aligned heading.
        ws.write_string(start - 1, 1, "Actions by theme and status", self.bold)
        counts = counts_by_theme(workbook, day)
        shown = [s for s in REPORT_ORDER if s != NOT_YET_DUE or any(counts[(t.number, s)] for t in THEMES)]
        count_rows = [[t.name, *[counts[(t.number, s)] for s in shown],
                       sum(counts[(t.number, s)] for s in shown)] for t in THEMES]
        ws.add_table(start, 1, start + len(count_rows), len(shown) + 2, {
            "name": "tblActionCounts", "style": TABLE_STYLE, "autofilter": False,
            "columns": [{"header": h, "header_format": self.header_format(self.num if i else self.wrap)}
                        for i, h in enumerate(("Theme", *shown, "Total"))]})
        theme_width = columns[1][1]
        for r, row in enumerate(count_rows, start=start + 1):
            self.put(ws, r, 1, row[0], self.wrap)
            for c, value in enumerate(row[1:], start=2):
                self.put(ws, r, c, value, self.num)
            ws.set_row(r, LINE_PT * wrapped_lines(row[0], theme_width) + 3)

    def journey(self, journey=None) -> None:
        """The Journey sheet: one row per finding (thread, review, date, theme, statement, section, service area)
        as a filterable table; then the Service areas sheet: findings by service area and review, and a native
        chart of where the areas for development concentrate (`render.journey_defs.area_chart`). Two sheets,
        so the findings table's repeated header never prints over the counts or the chart."""
        from ..journey import compute_journey

        j = journey or compute_journey(self.result.workbook)
        ws = self.sheet("Journey", "The improvement journey: findings by thread, review and service area", wide=True)
        rows = [[f.thread, f.review, j.review_of(f).date, f.theme.name, f.quality_statement.name if
                 f.quality_statement else "", f.section, f.service_area or "Not attributed", plain(f.text)]
                for f in sorted(j.findings, key=lambda f: (f.thread == "", f.thread.lower(), j.reviews.index(
                    j.review_of(f))))]
        self.table(ws, 2, "tblJourney", [
            ("Thread", 18, self.wrap), ("Review", 20, self.wrap), ("Review date", 10, self.date),
            ("Theme", 12, self.wrap), ("Quality statement", 16, self.wrap), ("Section", 13, self.wrap),
            ("Service area", 14, self.wrap), ("Finding", 52, self.wrap)], rows, fill="Finding")
        self.service_areas(j)

    def service_areas(self, j) -> None:
        """The chart of where areas for development concentrate, then the findings by service area and review
        beneath it: the table's header repeats on its later pages, never over the chart."""
        from .journey_defs import area_chart

        ws = self.sheet("Service areas", "Findings by service area and review (S: key strengths, D: areas for "
                                         "development)", wide=True)
        chart = area_chart(j)
        height = max(300, 80 + 24 * len(chart.categories))
        at = 2 + (-(-height // ROW_PX) + 2 if chart.categories else 0)
        columns = [("Service area", 26, self.wrap)]
        for r in j.reviews:
            columns += [(f"{r.name}: S", 16, self.num), (f"{r.name}: D", 11, self.num)]
        # The total says what it counts: every review's S and D, and the findings that are neither (summaries), so
        # a row adds up; the areas for development across the reviews before it, as a subtotal.
        columns += [("All reviews: D", 11, self.num), ("Other findings (summaries)", 14, self.num),
                    ("Total (S, D and other)", 14, self.num)]
        summary = [[a.area, *(n for r in j.reviews for n in a.counts[r.name][:2]), a.developments,
                    sum(c[2] for c in a.counts.values()), a.total] for a in j.areas]
        placed = self.table(ws, at, "tblServiceAreas", columns, summary)
        if not chart.categories:
            return
        if (at + 1 + len(summary)) * LINE_PT * 1.2 > self._page_pt(ws):
            ws.set_h_pagebreaks([at])  # the table starts a page of its own: never its header alone under the chart
        xl = self.wb.add_chart({"type": "bar", "subtype": "stacked"})
        rows_of = placed.rows_of("Service area", chart.categories)
        for series, r in zip(chart.series, j.reviews):
            if not any(series.values):
                continue  # a review with no area for development draws nothing: no legend entry for it
            xl.add_series({"name": placed.header(f"{r.name}: D"), **placed.option("categories", "Service area", rows_of),
                           **placed.option("values", f"{r.name}: D", rows_of), "fill": {"color": "#" + series.colours[0]},
                           "border": {"color": "#FFFFFF"}, "gap": 60,
                           "data_labels": {"value": True, "position": "center",
                                           "font": {**font(), "color": "#" + label_colour(series.colours[0])},
                                           "custom": [None if v else {"delete": True} for v in series.values]}})
        xl.set_title({"name": chart.title, "name_font": font(11, bold=True)})
        xl.set_x_axis({"name": chart.value_axis.title, "min": 0, "max": chart.value_axis.maximum,
                       "major_unit": chart.value_axis.major_unit, "num_font": font(), "name_font": font()})
        xl.set_y_axis({"reverse": True, "num_font": font()})
        xl.set_legend({"position": "top", "font": font()})
        xl.set_size({"width": 900, "height": height})
        ws.insert_chart(2, 0, xl, {"description": chart.alt_text, "object_position": 3})
        ws.freeze_panes(0, 0)  # the chart above the table: nothing to freeze

    def write(self) -> None:
        o = self.result.overall
        created = datetime(self.a.published.year, self.a.published.month, self.a.published.day)
        self.wb.set_properties({
            "title": f"{self.a.council} CQC assessment annex", "subject": "CQC assessment of adult social care",
            "author": self.a.report_author or self.a.directorate or self.a.council, "company": self.a.council,
            "keywords": "CQC, adult social care, assessment", "created": created,
            "comments": f"Overall {o.pct}% {o.rating.label}" if o else "", "category": self.a.protective_marking})
        self.contents()
        self.scores()
        self.themes()
        self.findings()
        self.metrics()
        self.key_figures()
        self.benchmarks()
        self.actions()
        self.journey()
        self.charts()
        self.close()


def write_annex(result: Result, path: Path, *, source_name: str) -> None:
    """Write the Excel annex for RESULT to PATH."""
    Annex(result, Path(path), source_name).write()
