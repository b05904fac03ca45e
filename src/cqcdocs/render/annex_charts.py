"""The annex's Charts sheet: the briefing's standard charts from their definitions (`render.chart_defs`),
reading the annex's own tables so they stay live on the workbook's data, and the evidence profile.

`AnnexCharts` is a mixin of `annex.Annex`: it uses the annex's sheets, formats and placed tables.
"""

from __future__ import annotations

from xlsxwriter.chart_bar import ChartBar
from xlsxwriter.utility import xl_col_to_name

from ..palette import ACCENT, INK, MUTED, OTHERS, tint
from .annex_layout import ROW_PX, column_px, pack_pages, printable_px
from .chart_defs import FONT, FONT_PT, GAP, ChartDef, SeriesDef, chart_definitions, format_literal

# The evidence profile's series: the palette's neutrals, dark and light in turn.
EVIDENCE_COLOURS = (ACCENT, OTHERS, MUTED, tint(ACCENT, 0.4), tint(ACCENT, 0.75))
NOT_ASSESSED = "Not assessed"


class _LabelledBarChart(ChartBar):
    """XlsxWriter's bar chart, whose custom data labels may also carry a number format each.

    The Word charts put each bar's words into its label's number format (`0%" Good"`), so the number stays
    live from the cell and the words show beside it; XlsxWriter's custom data labels take text or a cell
    but no number format, so this writes `c:numFmt` for labels that have one (schema order: numFmt, spPr,
    txPr, dLblPos, show*)."""

    @classmethod
    def add_to(cls, wb) -> _LabelledBarChart:
        chart = wb.add_chart({"type": "bar"})  # the workbook's own bookkeeping, then this class's writer
        chart.__class__ = cls
        return chart

    def _write_ser(self, series) -> None:
        # Number series in the order they were added, not written (XlsxWriter writes the primary axes'
        # series first): the data, added first, is series 0 whichever axes it is on, so the legend entry
        # that hides it is entry 0 in Excel and in LibreOffice, as in the Word charts.
        self.series_index = next(i for i, s in enumerate(self.series) if s is series)
        super()._write_ser(series)

    def _write_custom_labels(self, parent, labels) -> None:
        for index, label in enumerate(labels):
            if label is None:
                continue
            self._xml_start_tag("c:dLbl")
            self._write_idx(index)
            self._write_data_label_number_format(label["num_format"])
            self._write_custom_label_format(label)
            self._xml_empty_tag("c:dLblPos", [("val", "outEnd")])
            self._write_show_val()
            self._xml_end_tag("c:dLbl")


def font(size: float = FONT_PT, bold: bool = False) -> dict:
    return {"name": FONT, "size": size, "bold": bold, "color": "#" + INK}


def _number_format(series: SeriesDef, scale: float) -> str:
    """The series' number format for cells SCALE times smaller: '0"%"' for 63 becomes '0%' for 0.63."""
    return series.number_format.replace('"%"', "%") if scale == 100 else series.number_format


def _data_labels(series: SeriesDef, scale: float, named: bool = False) -> dict:
    """Every value labelled at the end of its bar, on white so band edges never cut the text; a point with
    words has its own number format ending in them, a missing one says "Not assessed" at 0; NAMED, each label
    starts with the series' short name, in place of a legend."""
    base = (format_literal(f"{series.short_name or series.name} ") if named else "") + _number_format(series, scale)
    label = {"fill": {"color": "#FFFFFF"}, "font": font()}
    custom = [{**label, "num_format": f'{base};;{format_literal(NOT_ASSESSED)}'} if value is None
              else {**label, "num_format": base + format_literal(suffix)} if suffix else None
              for value, suffix in zip(series.values, series.suffixes)]
    return {"value": True, "num_format": base, "position": "outside_end", **label,
            **({"custom": custom} if any(custom) else {})}


def _chart_height(chart: ChartDef) -> int:
    """Pixels: room for the title and legend, a label-high row per bar, and the value axis with its note."""
    bars = len(chart.categories) * len(chart.series)
    return 110 + (40 if chart.legend or chart.bands else 0) + (20 if chart.note else 0) + (36 if
           chart.kind == "bar" else 20) * bars


def _evidence_height(categories: int, statements: int) -> int:
    """Pixels for the evidence profile: title and value axis, and a label-high bar per score with a gap
    between quality statements."""
    return 90 + statements * (categories * 17 + 12)



class AnnexCharts:
    """The Charts sheet, for `Annex`."""


    BAND_COLUMN = 20  # U: the band edges the charts shade, left of it the printed charts
    CHART_COLUMNS = 10  # A:J, the printed columns: as wide as a portrait page's text
    CHART_COLUMN_WIDTH = 8.8  # characters: 67 pixels a column in Excel, 70 in LibreOffice
    GROW = 1.5          # a chart grows to fill its page by at most half as tall again as it needs

    def charts(self) -> None:
        """The Charts sheet: the briefing's charts from their definitions, then the evidence profile, as many
        to a portrait page as fit whole, each page's charts grown to fill it (bars stay in proportion: at most
        GROW times the height they need) and as wide as the page, so they print at 100 %."""
        ws = self.sheet("Charts", "Charts")
        definitions = chart_definitions(self.result)
        banded = [d for d in definitions if d.bands]
        ws.write_string(1, 0, "Native Excel charts drawn from the tables on the other sheets; each has alt text.",
                        self.italic)
        if banded:
            first, last = (xl_col_to_name(self.BAND_COLUMN + i) for i in (0, len(banded[0].bands) - 1))
            ws.write_string(2, 0, f"The rating band edges the charts shade are in columns {first} to {last}.",
                            self.italic)
        self._band_edges(ws, banded)
        ws.set_column(0, self.CHART_COLUMNS - 1, self.CHART_COLUMN_WIDTH)
        width = self.CHART_COLUMNS * column_px(self.CHART_COLUMN_WIDTH) - 4
        draws = [(lambda row, height, d=d: self._chart(ws, row, d, width, height), _chart_height(d))
                 for d in definitions]
        if any(s.categories for s in self.result.statements):  # CQC's scores alone have no profile to draw
            draws.append((lambda row, height: self._evidence_chart(ws, row, width, height),
                           _evidence_height(len(self.result.categories_used), len(self.result.statements))))
        page_rows = int(printable_px(False)[1] // ROW_PX)
        title_rows = 5  # the heading (a tall row) and the notes under it, on the first page
        at, breaks = title_rows, []
        for n, page in enumerate(pack_pages([height for _, height in draws], page_rows, title_rows)):
            if n:
                breaks.append(at)
            # Rows for the charts: the page's, less the first page's heading, a gap row under each chart and
            # one more for rounding each chart up to whole rows.
            room = (page_rows - (0 if n else title_rows) - 2 * len(page)) * ROW_PX
            grow = max(1.0, min(self.GROW, room / sum(draws[i][1] for i in page)))
            for i in page:
                height = int(min(draws[i][1] * grow, room))
                draws[i][0](at, height)
                at += -(-height // ROW_PX) + 1
        # Print the charts, not the helper columns; one page wide, a break above each page's first chart.
        ws.print_area(0, 0, at, self.CHART_COLUMNS - 1)
        ws.set_h_pagebreaks(breaks)

    def _band_edges(self, ws, charts: list[ChartDef]) -> None:
        """A column per rating band holding its upper edge, widest band first, a row per category of the
        longest banded chart: the values of the band series the charts draw behind their bars."""
        if not charts:
            return
        bands = charts[0].bands
        if any(c.bands != bands for c in charts):
            raise ValueError("the banded charts must share their bands: they share the band columns")
        col, rows = self.BAND_COLUMN, max(len(c.categories) for c in charts)
        ws.write_string(2, col, "Rating band edges shaded behind the charts", self.bold)
        for i, band in enumerate(reversed(bands)):
            ws.write_string(3, col + i, band.legend_name, self.wrap)
            for r in range(rows):
                ws.write_number(4 + r, col + i, band.high / 100, self.pct_edge)
        ws.set_column(col, col + len(bands) - 1, 22)
        ws.set_row(3, 47)

    def _source(self, chart: ChartDef) -> tuple[str, str, tuple[str, ...], float]:
        """Where CHART's numbers live in the annex: the table, its category column, a value column per series,
        and the scale between the definition's numbers and the cells' (percentages are stored as fractions
        of 1, formatted 0%, so that they sort and sum as Excel users expect)."""
        if chart.key == "statements" and self.result.pct_unknown:  # scores alone: the chart draws the scores
            return "tblScores", "Quality statement", ("Computed score",), 1
        return {"statements": ("tblScores", "Quality statement", ("Computed %",), 100),
                "themes": ("tblThemes", "Theme", ("Derived %",), 100),
                "benchmarks": ("tblBenchmarks", "Council", ("Overall %",), 100),
                "metrics": ("tblMetrics", "Indicator", (self.a.short_name, "England average"), 1)}[chart.key]

    def _chart(self, ws, row: int, chart: ChartDef, width: int, height: int) -> None:
        """CHART as a native bar chart of WIDTH by HEIGHT pixels at ROW, reading its table.

        As in the Word charts: horizontal bars, first category at the top; the rating bands as shading
        behind the bars (a band series per band reaching its upper edge, widest first, fully overlapped, on
        the primary axes; the data on the secondary axes, drawn in front on the same scale); each bar's
        label its number, live from the table, and its words (" Good") in the label's number format."""
        name, category, headers, scale = self._source(chart)
        table = self.placed[name]
        rows = table.rows_of(category, chart.categories)
        xl = _LabelledBarChart.add_to(self.wb)
        categories = table.option("categories", category, rows)
        n = len(chart.categories)
        secondary = {"y2_axis": True} if chart.bands else {}
        for s, header in zip(chart.series, headers):
            xl.add_series({"name": s.name, **categories, **table.option("values", header, rows), "gap": GAP,
                           "overlap": 0, **secondary,
                           "fill": {"color": "#" + s.colours[0]}, "border": {"color": "#" + s.outline, "width": 0.5},
                           "points": [None if v is None else {"fill": {"color": "#" + c},
                                                              "border": {"color": "#" + s.outline, "width": 0.5}}
                                      for v, c in zip(s.values, s.colours)],
                           "data_labels": _data_labels(s, scale, chart.named_labels)})
        shown = dict(zip(chart.bands, chart.visible_bands()))
        for i, band in enumerate(reversed(chart.bands)):
            if not shown[band]:
                continue  # hidden behind every bar: drawn, it would only add a legend entry for nothing seen
            col = self.BAND_COLUMN + i
            xl.add_series({"name": ["Charts", 3, col], **categories,
                           "values": ["Charts", 4, col, 3 + n, col], "gap": GAP, "overlap": 100,
                           "fill": {"color": "#" + tint(band.colour)}, "border": {"none": True}})
        if any(v is None for s in chart.series for v in s.values):
            xl.show_blanks_as("zero")  # so a missing value gets its "Not assessed" label at 0
        axis = chart.value_axis
        value_axis = {"name": axis.title + (f"\n{chart.note}" if chart.note else ""), "name_font": font(bold=False),
                      "num_font": font(), "min": axis.minimum / scale, "max": axis.maximum / scale,
                      "major_unit": axis.major_unit / scale, "num_format": "0%" if scale == 100 else axis.number_format,
                      "major_gridlines": {"visible": False}, "line": {"color": "#" + MUTED}}
        category_axis = {"reverse": True, "crossing": "max", "num_font": font(), "line": {"color": "#" + MUTED},
                         "major_tick_mark": "none"}
        xl.set_x_axis(value_axis)
        xl.set_y_axis(category_axis)
        if chart.bands:
            xl.set_y2_axis({"min": axis.minimum / scale, "max": axis.maximum / scale, "visible": False,
                            "crossing": "max"})
            xl.set_x2_axis({"reverse": True, "visible": False})
            # The bands only: each bar's label says its value and words.
            xl.set_legend({"position": "top", "font": font(),
                           "delete_series": list(range(len(chart.series)))})
        elif chart.legend and not chart.named_labels:
            xl.set_legend({"position": "top", "font": font()})
        else:
            xl.set_legend({"none": True})
        xl.set_title({"name": chart.title, "name_font": font(11, bold=True)})
        xl.set_chartarea({"border": {"none": True}})
        xl.set_size({"width": width, "height": height})
        ws.insert_chart(row, 0, xl, {"description": chart.alt_text, "object_position": 3})

    def _evidence_chart(self, ws, row: int, width: int, height: int) -> None:
        """Evidence-category profile: clustered bars, a series per evidence category in the workbook's order,
        first quality statement at the top. Not a chart definition: the briefing shows these scores as a
        coloured table.

        Each bar is labelled with its score and its category ("2 People's experience", the number live from
        the cell, the words in the label's number format), in place of a legend: LibreOffice lists a bar
        chart's legend bottom-up and Excel top-down, so no legend could read in bar order in both. The
        colours are the palette's neutrals (no rating colour: a bar's colour is its category, not its score),
        dark and light in turn so neighbouring bars stay apart in greyscale too."""
        scores, categories = self.placed["tblScores"], self.result.categories_used
        profile = self.wb.add_chart({"type": "bar"})
        for i, category in enumerate(categories):
            colour = EVIDENCE_COLOURS[i % len(EVIDENCE_COLOURS)]
            profile.add_series({
                "name": scores.header(category), "categories": scores.column("Quality statement"),
                "values": scores.column(category), "gap": 50, "overlap": 0,
                "fill": {"color": "#" + colour}, "border": {"color": "#" + INK, "width": 0.5},
                "data_labels": {"value": True, "position": "outside_end", "font": font(),
                                "num_format": "0" + format_literal(f" {category}")}})
        profile.set_title({"name": "Evidence category scores by quality statement", "name_font": font(11, True)})
        profile.set_x_axis({"name": "Score (1 to 4)", "min": 0, "max": 4, "major_unit": 1, "name_font": font(),
                            "num_font": font(), "major_gridlines": {"visible": False},
                            "line": {"color": "#" + MUTED}})
        profile.set_y_axis({"reverse": True, "crossing": "max", "num_font": font(), "line": {"color": "#" + MUTED},
                            "major_tick_mark": "none"})
        profile.set_legend({"none": True})
        # Room right of the bars for the longest label beside a 4, left of them for the statements' names.
        profile.set_plotarea({"layout": {"x": 0.34, "y": 0.06, "width": 0.38, "height": 0.86}})
        profile.set_chartarea({"border": {"none": True}})
        profile.set_size({"width": width, "height": height})
        rows = "; ".join(f"{s.quality_statement.name}: " + ", ".join(f"{c} {s.categories[c]}" for c in categories
                                                                      if c in s.categories)
                         for s in self.result.statements if s.categories)
        ws.insert_chart(row, 0, profile, {"description": f"Clustered bar chart of evidence category scores: {rows}.",
                                          "object_position": 3})

