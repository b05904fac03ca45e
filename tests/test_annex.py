"""The Excel annex read back with openpyxl and from its XML: tables, figures, charts, alt text, safety."""

import posixpath
import re
import shutil
import statistics
import subprocess
import zipfile

import openpyxl
import pytest
from lxml import etree

from cqcdocs.check import check_file
from cqcdocs.documents import load_and_score
from cqcdocs.render.annex import write_annex
from cqcdocs.render.chart_defs import chart_definitions

SHEETS = ["Contents", "Scores", "Themes", "Findings", "Metrics", "Key figures", "Benchmarks", "Actions", "Journey",
          "Service areas", "Charts"]
PACK_GRID = [(2, 3, 3, 2), (3, 3, 3, 3), (2, 2, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2),
             (3, 3, 3, 3), (3, 3, 3, 3)]


@pytest.fixture(scope="module")
def annex(tmp_path_factory):
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    result, _ = load_and_score(EXAMPLE_WORKBOOK)
    path = tmp_path_factory.mktemp("annex") / "annex.xlsx"
    write_annex(result, path, source_name="rotherham-2026.xlsx")
    return path


def xml_parts(path, pattern):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode() for n in sorted(zf.namelist()) if re.fullmatch(pattern, n)}


def test_sheets_and_tables(annex):
    wb = openpyxl.load_workbook(annex)
    assert wb.sheetnames == SHEETS
    tables = {name: {t: wb[name].tables[t].ref for t in wb[name].tables} for name in SHEETS}
    assert tables["Scores"] == {"tblScores": "A3:N12"}
    assert tables["Contents"] == {"tblContents": "A12:B22", "tblRatingBands": "A25:B29"}
    assert tables["Findings"] == {"tblFindings": "A3:F139"}
    assert tables["Metrics"] == {"tblMetrics": "A3:K23"}  # the difference twice: as a number and as a bar
    assert tables["Key figures"] == {"tblKeyFigures": "A3:H36"}
    assert tables["Benchmarks"] == {"tblBenchmarks": "A3:G18"}  # all 15 councils in the region
    assert set(tables["Actions"]) == {"tblActions", "tblActionCounts"}
    assert wb.properties.title == "Rotherham Metropolitan Borough Council CQC assessment annex"
    assert wb["Scores"].freeze_panes == "A4"


def test_scores_grid_percentages_and_overall(annex):
    ws = openpyxl.load_workbook(annex)["Scores"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["Quality statement", "Theme", "People's experience", "Feedback from staff and leaders",
                          "Processes", "Feedback from partners"]
    rows = list(ws.iter_rows(min_row=4, max_row=12, values_only=True))
    assert [tuple(r[2:6]) for r in rows] == PACK_GRID
    pct = header.index("Computed %")
    assert [round(r[pct] * 100) for r in rows] == [63, 75, 57, 63, 75, 75, 69, 75, 75]
    assert all(isinstance(r[pct], float) for r in rows) and ws.cell(4, pct + 1).number_format == "0%"
    assert [r[header.index("Rating")] for r in rows][2] == "Requires improvement"
    assert {r[header.index("Matches published")] for r in rows} == {"Yes"}
    assert [r[header.index("Draft score")] for r in rows] == [2, 3, 2, 3, 3, 3, 2, 3, 3]
    overall = next(r for r in ws.iter_rows(min_row=13, values_only=True) if r[0] == "Overall")
    assert round(overall[pct] * 100) == 73 and overall[header.index("Rating")] == "Good"
    fill = ws.cell(6, header.index("Rating") + 1).fill.fgColor.rgb
    assert fill.endswith("F4A582")  # the shared Requires improvement colour, with the word in the cell


def test_themes_are_labelled_derived(annex):
    ws = openpyxl.load_workbook(annex)["Themes"]
    assert "derived" in ws["A1"].value
    assert [r[6] for r in ws.iter_rows(min_row=4, max_row=7, values_only=True)] == ["Derived"] * 4


def test_metrics_and_benchmarks(annex):
    wb = openpyxl.load_workbook(annex)
    first = [c.value for c in wb["Metrics"][4]]
    assert first[:9] == ["People satisfied with care and support", "ASCS", "Assessing needs", "%", 70.57, 65.16,
                         5.41, 5.41, "better"]
    assert any(rule.type == "dataBar" for rng in wb["Metrics"].conditional_formatting for rule in rng.rules)
    bench = list(wb["Benchmarks"].iter_rows(min_row=4, max_row=5, values_only=True))
    assert bench[1][:4] == (2, "Rotherham Metropolitan Borough Council", "South Yorkshire", 0.73)
    assert bench[1][6] == "Yes" and bench[0][6] is None


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def drawn_charts(path):
    """(alt text, parsed chart part) for each chart on the Charts sheet's drawing, in drawing order."""
    with zipfile.ZipFile(path) as zf:
        drawings = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
        assert len(drawings) == 2  # the Journey sheet's (one chart) and the Charts sheet's
        charts = max(drawings, key=lambda n: zf.read(n).count(b"graphicFrame>"))
        rels = etree.fromstring(zf.read(charts.replace("drawings/", "drawings/_rels/") + ".rels"))
        target = {r.get("Id"): posixpath.normpath(posixpath.join("xl/drawings", r.get("Target"))) for r in rels}
        out = []
        for frame in etree.fromstring(zf.read(charts)).iter(XDR + "graphicFrame"):
            chart = next(e for e in frame.iter(C + "chart"))
            out.append((frame.find(f"{XDR}nvGraphicFramePr/{XDR}cNvPr").get("descr"),
                        etree.fromstring(zf.read(target[chart.get(REL)]))))
        return out


def cells(wb, formula: str) -> list:
    """The values of a chart reference: "Scores!$G$4:$G$12", "'A sheet'!$B$4", or a union "(X!..,X!..)"."""
    values = []
    for part in formula.strip("()").split(","):
        sheet, ref = part.rsplit("!", 1)
        rows = wb[sheet.strip("'").replace("''", "'")][ref.replace("$", "")]
        values += [c.value for row in (rows if isinstance(rows, tuple) else ((rows,),)) for c in row]
    return values


def text(el) -> str:
    return "".join(t.text or "" for t in el.iter(A + "t"))


@pytest.fixture(scope="module")
def defined(annex):
    """The example's chart definitions beside the annex's charts read back, in the Charts sheet's order."""
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    result, _ = load_and_score(EXAMPLE_WORKBOOK)
    return chart_definitions(result), drawn_charts(annex), openpyxl.load_workbook(annex)


def test_charts_are_native_with_titles_and_alt_text(annex, defined):
    definitions, drawn, _ = defined
    # The four standard charts in the briefing's order, then the evidence profile (a table in the briefing).
    assert [d.key for d in definitions] == ["statements", "themes", "benchmarks", "metrics"]
    assert len(drawn) == len(xml_parts(annex, r"xl/charts/chart\d+\.xml")) - 1 == 5  # and the Journey sheet's
    titles = [text(chart.find(f"{C}chart/{C}title")) for _, chart in drawn]
    assert titles == [d.title for d in definitions] + ["Evidence category scores by quality statement"]
    assert [alt for alt, _ in drawn[:4]] == [d.alt_text for d in definitions]
    assert "Assessing needs 63% (Good)" in drawn[0][0] and "Overall 73%, Good." in drawn[0][0]
    assert drawn[4][0].startswith("Clustered bar chart of evidence category scores: Assessing needs:")
    assert not xml_parts(annex, r"xl/media/.*")  # charts, not pictures


def test_each_chart_reads_its_definitions_numbers_from_the_annex_tables(defined):
    definitions, drawn, wb = defined
    sources = {"statements": "Scores!$G$4:$G$12", "themes": "Themes!$E$4:$E$7", "benchmarks": "Benchmarks!$D$4:$D$12",
               "metrics": "Metrics!$E$4:$E$23"}
    for d, (_, chart) in zip(definitions, drawn):
        series = {int(s.find(C + "idx").get("val")): s for s in chart.iter(C + "ser")}
        data = [series[i] for i in range(len(d.series))]  # the definition's series are 0, 1, ...
        assert [s.find(f"{C}tx/{C}v").text for s in data] == [x.name for x in d.series]
        assert data[0].find(f"{C}val/{C}numRef/{C}f").text == sources[d.key]
        scale = 1 if d.key == "metrics" else 100  # the annex keeps percentages as fractions of 1
        for s, x in zip(data, d.series):
            assert cells(wb, s.find(f"{C}cat/{C}strRef/{C}f").text) == list(d.categories)
            live = cells(wb, s.find(f"{C}val/{C}numRef/{C}f").text)
            assert [None if v is None else round(v * scale, 2) for v in live] == list(x.values)
            cached = [float(v.text) for v in s.iterfind(f"{C}val/{C}numRef/{C}numCache/{C}pt/{C}v")]
            assert [round(v * scale, 2) for v in cached] == [v for v in x.values if v is not None]


def test_each_chart_has_its_definitions_colours_and_words(defined):
    from cqcdocs.palette import tint

    definitions, drawn, wb = defined
    for d, (_, chart) in zip(definitions, drawn):
        series = {int(s.find(C + "idx").get("val")): s for s in chart.iter(C + "ser")}
        for i, x in enumerate(d.series):
            points = {int(p.find(C + "idx").get("val")): p.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val")
                      for p in series[i].iterfind(C + "dPt")}
            assert points == {j: c for j, (c, v) in enumerate(zip(x.colours, x.values)) if v is not None}
            # Each label: the live number in the definition's format, then the definition's words.
            base = x.number_format.replace('"%"', "%") if d.key != "metrics" else f'"{x.short_name} "{x.number_format}'
            labels = series[i].find(C + "dLbls")
            assert labels.find(C + "numFmt").get("formatCode") == base
            custom = {int(lb.find(C + "idx").get("val")): lb.find(C + "numFmt").get("formatCode")
                      for lb in labels.iterfind(C + "dLbl")}
            assert custom == {j: f'{base}"{w}"' for j, w in enumerate(x.suffixes) if w}
            assert all(label.endswith(w) for label, w in zip(x.labels, x.suffixes))
        bands = [series[i] for i in sorted(series) if i >= len(d.series)]
        shown = d.as_drawn().bands  # every band a row shows is shaded, as in Word; one no row shows is left out
        assert len(bands) == len(shown)
        for ser, band in zip(bands, reversed(shown)):  # widest first
            assert ser.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") == tint(band.colour)
            name = f"{band.label} band ({band.first}\u2013{band.last}%)"  # as the Word charts name it
            assert cells(wb, ser.find(f"{C}tx/{C}strRef/{C}f").text) == [name]
            assert set(cells(wb, ser.find(f"{C}val/{C}numRef/{C}f").text)) == {band.high / 100}
        legend = chart.find(f"{C}chart/{C}legend")
        if d.named_labels:  # each label names its series: no legend to read in another order than the bars
            assert legend is None or legend.find(C + "delete") is not None
        else:
            hidden = [int(e.find(C + "idx").get("val")) for e in legend.iterfind(C + "legendEntry")]
            assert hidden == (list(range(len(d.series))) if d.bands else [])  # with bands: it names them
        axes = chart.find(f"{C}chart/{C}plotArea")
        value = axes.find(C + "valAx")
        scale = 1 if d.key == "metrics" else 100
        assert text(value.find(C + "title")) == d.value_axis.title + (f"\n{d.note}" if d.note else "")
        assert (float(value.find(f"{C}scaling/{C}min").get("val")) * scale,
                float(value.find(f"{C}scaling/{C}max").get("val")) * scale) == (d.value_axis.minimum,
                                                                                 d.value_axis.maximum)
        # First category at the top, the value axis at the bottom (crossing the reversed categories at max).
        assert axes.find(f"{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"
        assert value.find(C + "crosses").get("val") == "max"
    statements = drawn[0][1]
    assert 'formatCode="0%&quot; Requires improvement&quot;"' in etree.tostring(statements).decode()


def test_a_chart_reads_rows_that_are_not_consecutive_as_a_union():
    from cqcdocs.render.annex_layout import PlacedTable

    table = PlacedTable("Metrics", 3, 8, ("Indicator", "Value"), tuple((f"m{i}", i) for i in range(6)))
    rows = table.rows_of("Indicator", ["m0", "m1", "m3", "m5"])
    assert rows == [0, 1, 3, 5]
    assert table.ref("Value", rows) == "=(Metrics!$B$4:$B$5,Metrics!$B$7,Metrics!$B$9)"
    assert table.ref("Value", [0, 1, 2]) == "=Metrics!$B$4:$B$6"
    assert PlacedTable("My sheet", 3, 4, ("A",)).ref("A", [0, 1]) == "='My sheet'!$A$4:$A$5"


def test_the_metrics_chart_skips_a_measure_that_is_not_a_percentage(tmp_path):
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    source = tmp_path / "source.xlsx"
    shutil.copy(EXAMPLE_WORKBOOK, source)
    wb = openpyxl.load_workbook(source)
    wb["Metrics"]["E4"] = "days"  # the third measure, so the charted rows are not consecutive
    wb.save(source)
    result, _ = load_and_score(source)
    out = tmp_path / "annex.xlsx"
    write_annex(result, out, source_name=source.name)
    metrics = next(d for d in chart_definitions(result) if d.key == "metrics")
    _, chart = drawn_charts(out)[3]
    ser = next(chart.iter(C + "ser"))
    assert ser.find(f"{C}val/{C}numRef/{C}f").text == "(Metrics!$E$4:$E$5,Metrics!$E$7:$E$23)"
    back = openpyxl.load_workbook(out)
    assert cells(back, ser.find(f"{C}cat/{C}strRef/{C}f").text) == list(metrics.categories)
    assert cells(back, ser.find(f"{C}val/{C}numRef/{C}f").text) == list(metrics.series[0].values)
    # Cached too (XlsxWriter caches no union by itself), categories as text, not numbers.
    assert [p.text for p in ser.iterfind(f"{C}cat/{C}strRef/{C}strCache/{C}pt/{C}v")] == list(metrics.categories)
    cached = [float(v.text) for v in ser.iterfind(f"{C}val/{C}numRef/{C}numCache/{C}pt/{C}v")]
    assert cached == list(metrics.series[0].values)
    assert check_file(out) == []


def test_charts_print_whole_without_their_helper_columns(annex, defined):
    from cqcdocs.render.annex_layout import ROW_PX, printable_px

    _, drawn, wb = defined
    ws = wb["Charts"]
    drawing = max(xml_parts(annex, r"xl/drawings/drawing\d+\.xml").values(), key=lambda d: d.count("graphicFrame>"))
    spans = [(int(a), int(b)) for a, b in re.findall(r"<xdr:from><xdr:col>0</xdr:col>.*?<xdr:row>(\d+)</xdr:row>"
                                                      r".*?<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", drawing)]
    # As many charts to a page as fit whole: a page break above a page's first chart, none inside a chart,
    # each page's charts within a page's height; the band helper columns (U:X) stay out of the print area.
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(spans) == 5 and set(breaks) <= {first for first, _ in spans[1:]}
    assert not any(first < b <= last for b in breaks for first, last in spans)
    page_rows = printable_px(False)[1] // ROW_PX
    for top, bottom in zip([0, *breaks], [*breaks, spans[-1][1] + 1]):
        assert bottom - top <= page_rows
    assert len(breaks) == 3  # statements and themes; benchmarks; metrics; the evidence profile
    last_row = int(re.fullmatch(r"'Charts'!\$A\$1:\$J\$(\d+)", ws.print_area).group(1))
    assert spans[-1][1] < last_row <= spans[-1][1] + 4
    assert [ws.cell(4, c).value for c in range(21, 25)] == [
        "Outstanding band (88\u2013100%)", "Good band (63\u201387%)", "Requires improvement band (39\u201362%)",
        "Inadequate band (25\u201338%)"]
    # One page wide (fitToWidth defaults to 1), as many tall as the breaks make, portrait.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.page_setup.orientation == "portrait"


def test_charts_are_sized_to_the_page(annex):
    """Each chart as wide as the page's printed columns and, with the others on its page, most of its height:
    most chart pages were white space."""
    from cqcdocs.render.annex import Annex
    from cqcdocs.render.annex_layout import ROW_PX, column_px, printable_px

    drawing = max(xml_parts(annex, r"xl/drawings/drawing\d+\.xml").values(), key=lambda d: d.count("graphicFrame>"))
    column = column_px(Annex.CHART_COLUMN_WIDTH)
    sizes = [((int(c2) - int(c1)) * column + (int(o2) - int(o1)) / 9525,
              (int(r2) - int(r1)) * ROW_PX + (int(p2) - int(p1)) / 9525)
             for c1, o1, r1, p1, c2, o2, r2, p2 in re.findall(
                 r"<xdr:from><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)</xdr:colOff><xdr:row>(\d+)</xdr:row>"
                 r"<xdr:rowOff>(\d+)</xdr:rowOff></xdr:from><xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)"
                 r"</xdr:colOff><xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff>", drawing)]
    columns = Annex.CHART_COLUMNS * column
    assert len(sizes) == 5 and all(columns - 10 <= width <= columns for width, _ in sizes)
    page = printable_px(False)[1]
    heights = [height for _, height in sizes]
    # statements + themes share the first page; the benchmarks alone (grown by half); metrics; the profile
    assert heights[0] + heights[1] > 0.75 * page and heights[3] > 0.8 * page and heights[4] > 0.75 * page
    assert all(height <= page - 2 * ROW_PX for height in heights)


def test_evidence_profile_uses_the_palette_and_labels_its_bars(annex, defined):
    """Palette colours that are no rating's (a bar's colour is its category, not its score), each bar
    labelled with its score and category in place of a legend (LibreOffice lists a bar chart's legend
    bottom-up, Excel top-down: no legend reads in bar order in both), first statement at the top."""
    from cqcdocs.palette import RATING_FILL
    from cqcdocs.render.annex_charts import EVIDENCE_COLOURS

    _, drawn, wb = defined
    chart = drawn[4][1]
    series = list(chart.iter(C + "ser"))
    names = [cells(wb, s.find(f"{C}tx/{C}strRef/{C}f").text)[0] for s in series]
    assert names == ["People's experience", "Feedback from staff and leaders", "Processes", "Feedback from partners"]
    colours = [s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for s in series]
    assert colours == list(EVIDENCE_COLOURS[:4]) and not set(colours) & set(RATING_FILL.values())
    assert len(set(colours)) == len(colours)
    assert [s.find(f"{C}dLbls/{C}numFmt").get("formatCode") for s in series] == [f'0" {n}"' for n in names]
    assert chart.find(f"{C}chart/{C}legend") is None
    axes = chart.find(f"{C}chart/{C}plotArea")
    assert axes.find(f"{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"
    assert axes.find(f"{C}valAx/{C}majorGridlines") is None  # no lines through the labels


ORIENTATION = {"Contents": "portrait", "Scores": "landscape", "Themes": "portrait", "Findings": "landscape",
               "Metrics": "landscape", "Key figures": "landscape", "Benchmarks": "landscape", "Actions": "landscape",
               "Journey": "landscape", "Service areas": "landscape", "Charts": "portrait"}


def printed_widths(ws) -> list[float]:
    """The widths set on WS's printed columns (as set_column took them: XlsxWriter adds 0.71)."""
    last = 10**6
    if ws.print_area:
        last = openpyxl.utils.column_index_from_string(re.search(r":\$([A-Z]+)\$", ws.print_area).group(1))
    return [d.width - 0.7109375 for d in ws.column_dimensions.values() if d.width
            for c in range(d.min, d.max + 1) if c <= last]


def check_print_layout(wb) -> None:
    """Every sheet on A4, one page wide at a scale that keeps 10 pt text at 8 pt or more, or at that scale
    running on to more pages with its first column repeated."""
    from cqcdocs.render.annex_layout import MIN_SCALE, print_scale

    for ws in wb:
        setup = ws.page_setup
        assert setup.paperSize == 9, ws.title
        widths = printed_widths(ws)
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, ws.title
            assert print_scale(widths, setup.orientation == "landscape") >= MIN_SCALE, ws.title
        else:
            assert setup.scale >= MIN_SCALE and ws.print_title_cols == "$A:$A", ws.title
        if ws.print_title_rows:  # a table longer than a page: its header row repeats on every printed page
            row = int(ws.print_title_rows.split(":")[0].strip("$"))
            assert any(int(t.ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == row
                       for t in ws.tables.values()), ws.title


def test_every_sheet_prints_on_a4_at_a_legible_scale(annex):
    wb = openpyxl.load_workbook(annex)
    assert {ws.title: ws.page_setup.orientation for ws in wb} == ORIENTATION
    assert all(ws.sheet_properties.pageSetUpPr.fitToPage for ws in wb)  # the example fits every sheet
    check_print_layout(wb)
    assert wb["Scores"].page_margins.left == 0.4


def check_alignment(wb) -> None:
    """In every table: numbers right-aligned, text left-aligned one indent in (so a number never runs into
    the next column's text: "3Good"), every cell top-aligned; each heading aligned as its column's values
    and, when set by the annex, its column wide enough for its longest word."""
    from cqcdocs.render.annex_layout import heading_width

    for ws in wb:
        for table in ws.tables.values():
            (first_col, first_row), (last_col, last_row) = (openpyxl.utils.cell.coordinate_to_tuple(c)[::-1]
                                                            for c in table.ref.split(":"))
            for col in range(first_col, last_col + 1):
                header = ws.cell(first_row, col)
                values = [ws.cell(r, col) for r in range(first_row + 1, last_row + 1)
                          if ws.cell(r, col).value not in (None, "")]
                numeric = bool(values) and all(not isinstance(c.value, str) for c in values)
                for cell in values:
                    where = f"{ws.title}!{cell.coordinate}"
                    assert cell.alignment.vertical == "top", where
                    if isinstance(cell.value, str):
                        assert cell.alignment.horizontal == "left" and cell.alignment.indent >= 1, where
                    else:
                        assert cell.alignment.horizontal == "right", where
                if values:
                    assert header.alignment.horizontal == ("right" if numeric else "left"), header.coordinate
                letter = openpyxl.utils.get_column_letter(col)
                if ws.title != "Actions" or table.name != "tblActionCounts":  # under the action table's columns
                    width = ws.column_dimensions[letter].width - 0.7109375
                    assert width >= heading_width(header.value, 0, numeric) - 0.01, (ws.title, header.value)


def test_numbers_and_text_are_aligned_in_their_columns(annex):
    wb = openpyxl.load_workbook(annex)
    check_alignment(wb)
    metrics = wb["Metrics"]
    comparison = [c.value for c in metrics[3]].index("Comparison") + 1
    assert metrics.cell(4, comparison).value == "better"
    assert metrics.cell(4, comparison).alignment.vertical == "top"  # no longer at the foot of its cell


def test_region_notes_are_whole(annex):
    ws = openpyxl.load_workbook(annex)["Benchmarks"]
    notes = [ws.cell(r, 1).value for r in range(20, 24) if ws.cell(r, 1).value]
    assert notes[:2] == ["Region: Second of the 9 councils in Yorkshire and the Humber whose score is known, of 15 "
                         "in the region",
                         "Sub-region: The highest scoring of the 2 councils in South Yorkshire whose score is known, "
                         "of 4 in the sub-region"]
    # Each note is one cell merged across the table's width, so none is cut at a narrow column.
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert all(f"A{r}:G{r}" in merged for r in range(20, 22))
    assert [c.value for c in ws[3]] == ["Rank", "Council", "Sub-region", "Overall %", "Basis", "Rating",
                                        "This council"]


def test_the_difference_bars_sit_beside_the_numbers(annex):
    """The data bar in a column of its own, bar only, so it never paints over the value it stands for;
    zero in the middle and the longest bar short of the cell's edges."""
    ws = openpyxl.load_workbook(annex)["Metrics"]
    header = [c.value for c in ws[3]]
    number, bar = header.index("Difference (points)") + 1, header.index("Difference (bar)") + 1
    assert bar == number + 1
    assert [ws.cell(r, bar).value for r in range(4, 24)] == [ws.cell(r, number).value for r in range(4, 24)]
    assert ws.cell(4, bar).number_format == ";;;" and ws.cell(4, number).number_format == "0.00"
    sheet = next(iter(xml_parts(annex, r"xl/worksheets/sheet5\.xml").values()))
    letter = openpyxl.utils.get_column_letter(bar)
    rules = re.findall(r'<conditionalFormatting sqref="([A-Z0-9:]+)"><cfRule type="dataBar".*?<dataBar([^>]*)>'
                       r'<cfvo type="num" val="([-\d.]+)"/><cfvo type="num" val="([-\d.]+)"/>', sheet)
    assert rules == [(f"{letter}4:{letter}23", ' showValue="0"', "-20.98", "20.98")]


def test_annex_passes_the_accessibility_check(annex):
    assert check_file(annex) == []


def test_formula_like_text_lands_as_text(tmp_path):
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    source = tmp_path / "source.xlsx"
    shutil.copy(EXAMPLE_WORKBOOK, source)
    wb = openpyxl.load_workbook(source)
    cell = wb["Findings"]["E2"]
    cell.value = "=HYPERLINK(\"http://evil\",\"click\")"
    cell.data_type = "s"  # stored as text in the source, as a user typing '= would
    wb["Findings"]["E3"] = "@risk: +44 -3"
    wb.save(source)
    result, _ = load_and_score(source)
    out = tmp_path / "annex.xlsx"
    write_annex(result, out, source_name=source.name)
    sheet = xml_parts(out, r"xl/worksheets/sheet4\.xml")["xl/worksheets/sheet4.xml"]
    assert "<f>" not in sheet
    findings = openpyxl.load_workbook(out)["Findings"]
    texts = [findings.cell(r, 6).value for r in (4, 5)]
    assert texts == ["=HYPERLINK(\"http://evil\",\"click\")", "@risk: +44 -3"]
    assert findings.cell(4, 6).data_type == "s"


def test_same_workbook_same_annex(tmp_path, annex):
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    result, _ = load_and_score(EXAMPLE_WORKBOOK)
    again = tmp_path / "again.xlsx"
    write_annex(result, again, source_name="rotherham-2026.xlsx")
    assert xml_parts(annex, r"xl/.*\.xml") == xml_parts(again, r"xl/.*\.xml")
    assert xml_parts(annex, r"docProps/core\.xml") == xml_parts(again, r"docProps/core\.xml")


def test_northmoor_annex(northmoor, tmp_path):
    result, _ = northmoor
    out = tmp_path / "northmoor.xlsx"
    write_annex(result, out, source_name="northmoor.xlsx")
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb["Scores"][3]]
    assert "Outcomes" in header
    row = next(r for r in wb["Scores"].iter_rows(min_row=4, values_only=True) if r[0] == "Partnerships and communities")
    assert row[header.index("Rating")] == "Not assessed" and row[header.index("Computed %")] is None
    everything = "".join(xml_parts(out, r".*\.xml").values())
    table = result.national_table  # its description names the region checked most recently: not a leak
    for text in (table.coverage, *table.sources):
        everything = everything.replace(text.replace("'", "&apos;"), "").replace(text, "")
    assert "Rotherham" not in everything and "Yorkshire" not in everything
    assert check_file(out) == []


def test_key_figures_sheet(annex):
    ws = openpyxl.load_workbook(annex)["Key figures"]
    assert [c.value for c in ws[3]] == ["Review", "Theme", "Quality statement", "Measure", "Value", "Unit", "As at",
                                        "Source"]
    rows = {r[3]: r[1:] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["People waiting for an annual review of their care"][:2] == ("Working with people", "Assessing needs")
    assert rows["People waiting for an annual review of their care"][3:5] == (1066, "people")
    assert rows["Open Deprivation of Liberty Safeguards (DoLS) cases"][3:6] == (827, "cases", "February 2025")
    assert rows["Carers who had a carer's assessment"][5] == "2024/25"
    assert ws.cell(4, 5).number_format == "#,##0"


def test_benchmarks_sheet_states_caveats_national_position_date_and_sources(annex):
    ws = openpyxl.load_workbook(annex)["Benchmarks"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    basis = {r[1]: r[4] for r in rows if r[1]}
    assert basis["City of Doncaster Council"] == "computed from quality statement scores; secondary source"
    assert basis["North Lincolnshire Council"] == "no published score; pilot (indicative) rating"
    notes = dict(r[0].split(": ", 1) for r in rows if r[0] and not r[1] and ": " in r[0])
    assert notes["Region"] == ("Second of the 9 councils in Yorkshire and the Humber whose score is known, of 15 "
                               "in the region")
    assert notes["National"] == ("Joint twelfth of the 87 councils in England whose score is known, 23 published "
                                 "and 64 computed from their quality statement scores")
    assert notes["National table"] == "CQC local authority assessment results, England, as at June 2026"
    assert notes["Sources"].startswith("https://github.com/alxtrnr/bongo-twisty/")


def test_libreoffice_renders_the_annex(annex, to_pdf, pdf_text, tmp_path):
    pdf = to_pdf(annex)
    text, pages = pdf_text(pdf)
    flat = " ".join(text.split())
    # 18 when reviewed: contents, scores, themes, 6 of findings, 2 of metrics, benchmarks, 2 of actions and 4
    # of charts; a sheet running on to a page of stray columns would add pages. The Journey sheet (136 findings,
    # its service-area table and chart) added about 20.
    assert 34 <= pages <= 44
    for expected in ("Rotherham Metropolitan Borough Council", "73%", "Good", "Scores by quality statement"):
        assert expected in flat
    # The charts' labels in words, and the legend naming the bands (as the layout keeps them, one space apart).
    for label in ("57% Requires improvement", "64% (computed)", "70.57%: better", "Outstanding band (88\u2013100%)",
                  "2 People's experience", "3 Feedback from partners"):
        assert label in text
    # No heading is cut; no number runs into the next column's text: on a line, the gap after a number is at
    # least a space (a space is 0.21 of a word's box; "3Good" had 0.12).
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages_words = [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page)]
        for page in boxes.split("<page ")[1:]]
    run_ons = [(n, word, after) for n, words in enumerate(pages_words, start=1)
               for (_, top, right, bottom, word), (left, top2, _, _, after) in zip(words, words[1:])
               if abs(top - top2) < 1 and re.fullmatch(r"-?[\d.,%]+", word) and 0 <= left - right < 0.15 * (bottom - top)]
    assert run_ons == []
    assert "Sub-region: The highest scoring" in flat and "Sub-regi " not in flat
    for heading in ("People's", "experience", "Processes", "Published", "Computed", "Matches", "published"):
        assert re.search(rf"\b{heading}\b", text), heading
    # Legible: every page's commonest text at 8 pt or more (a word's box is 1.3 times the type size).
    for n, words in enumerate(pages_words, start=1):
        assert statistics.mode(round(bottom - top, 1) for _, top, _, bottom, _ in words) >= 1.3 * 8, f"page {n}"
