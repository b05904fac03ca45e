"""The Excel annex read back with openpyxl and from its XML: tables, figures, charts, alt text, safety."""

import posixpath
import re
import shutil
import zipfile

import openpyxl
import pytest
from lxml import etree

from cqcdocs.check import check_file
from cqcdocs.documents import load_and_score
from cqcdocs.render.annex import write_annex
from cqcdocs.render.chart_defs import chart_definitions

SHEETS = ["Contents", "Scores", "Themes", "Findings", "Metrics", "Key figures", "Benchmarks", "Actions", "Charts"]
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
    assert tables["Contents"] == {"tblContents": "A12:B20", "tblRatingBands": "A23:D27"}
    assert tables["Findings"] == {"tblFindings": "A3:F77"}
    assert tables["Metrics"] == {"tblMetrics": "A3:J23"}
    assert tables["Key figures"] == {"tblKeyFigures": "A3:G18"}
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
    assert first[:8] == ["People satisfied with care and support", "ASCS", "Assessing needs", "%", 70.57, 65.16,
                         5.41, "better"]
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
        assert len(drawings) == 1  # only the Charts sheet has a drawing
        rels = etree.fromstring(zf.read(drawings[0].replace("drawings/", "drawings/_rels/") + ".rels"))
        target = {r.get("Id"): posixpath.normpath(posixpath.join("xl/drawings", r.get("Target"))) for r in rels}
        out = []
        for frame in etree.fromstring(zf.read(drawings[0])).iter(XDR + "graphicFrame"):
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
    assert len(drawn) == len(xml_parts(annex, r"xl/charts/chart\d+\.xml")) == 5
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
            base = x.number_format.replace('"%"', "%") if d.key != "metrics" else x.number_format
            labels = series[i].find(C + "dLbls")
            assert labels.find(C + "numFmt").get("formatCode") == base
            custom = {int(lb.find(C + "idx").get("val")): lb.find(C + "numFmt").get("formatCode")
                      for lb in labels.iterfind(C + "dLbl")}
            assert custom == {j: f'{base}"{w}"' for j, w in enumerate(x.suffixes) if w}
            assert all(label.endswith(w) for label, w in zip(x.labels, x.suffixes))
        bands = [series[i] for i in sorted(series) if i >= len(d.series)]
        assert len(bands) == len(d.bands)  # every chart with bands shades them, as in Word
        for ser, band in zip(bands, reversed(d.bands)):  # widest first
            assert ser.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") == tint(band.colour)
            name = f"{band.label} band ({band.first}\u2013{band.last}%)"  # as the Word charts name it
            assert cells(wb, ser.find(f"{C}tx/{C}strRef/{C}f").text) == [name]
            assert set(cells(wb, ser.find(f"{C}val/{C}numRef/{C}f").text)) == {band.high / 100}
        legend = chart.find(f"{C}chart/{C}legend")
        hidden = [int(e.find(C + "idx").get("val")) for e in legend.iterfind(C + "legendEntry")]
        assert hidden == (list(range(len(d.series))) if d.bands else [])  # with bands: the legend names them
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
    from cqcdocs.render.annex import PlacedTable

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
    _, drawn, wb = defined
    ws = wb["Charts"]
    drawing = "".join(xml_parts(annex, r"xl/drawings/drawing\d+\.xml").values())
    spans = [(int(a), int(b)) for a, b in re.findall(r"<xdr:from><xdr:col>0</xdr:col>.*?<xdr:row>(\d+)</xdr:row>"
                                                      r".*?<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", drawing)]
    # A page break above every chart but the first, each chart ending before the next break, so each prints
    # whole on its own page; the band helper columns (U:X) stay out of the print area.
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(spans) == 5 and breaks == [first for first, _ in spans[1:]]
    assert all(last < next_first for (_, last), next_first in zip(spans, breaks))
    last_row = int(re.fullmatch(r"'Charts'!\$A\$1:\$O\$(\d+)", ws.print_area).group(1))
    assert spans[-1][1] < last_row <= spans[-1][1] + 4
    assert [ws.cell(4, c).value for c in range(21, 25)] == [
        "Outstanding band (88\u2013100%)", "Good band (63\u201387%)", "Requires improvement band (39\u201362%)",
        "Inadequate band (25\u201338%)"]
    # One page wide (fitToWidth defaults to 1), as many tall as the breaks make.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


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
    assert [c.value for c in ws[3]] == ["Theme", "Quality statement", "Measure", "Value", "Unit", "As at", "Source"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["People waiting for an annual review of their care"][:2] == ("Working with people", "Assessing needs")
    assert rows["People waiting for an annual review of their care"][3:5] == (1066, "people")
    assert rows["Open Deprivation of Liberty Safeguards (DoLS) cases"][3:6] == (827, "cases", "February 2025")
    assert rows["Carers who had a carer's assessment"][5] == "2024/25"
    assert ws.cell(4, 4).number_format == "#,##0"


def test_benchmarks_sheet_states_caveats_national_position_date_and_sources(annex):
    ws = openpyxl.load_workbook(annex)["Benchmarks"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    basis = {r[1]: r[4] for r in rows if r[1]}
    assert basis["City of Doncaster Council"] == "computed from quality statement scores; secondary source"
    assert basis["North Lincolnshire Council"] == "no published score; pilot (indicative) rating"
    notes = dict(r[0].split(": ", 1) for r in rows if r[0] and not r[1] and ": " in r[0])
    assert notes["Region"] == ("Second of the 9 councils in Yorkshire and the Humber whose score is known, of 15 "
                               "in the region")
    assert notes["National"] == "Joint twelfth of the 79 councils in England with a published score"
    assert notes["National table"] == "Published CQC local authority assessment results, England, as at 20 March 2026"
    assert notes["Sources"].startswith("https://github.com/alxtrnr/bongo-twisty/")


def test_libreoffice_renders_the_annex(annex, to_pdf, pdf_text):
    text, pages = pdf_text(to_pdf(annex))
    flat = " ".join(text.split())
    assert 12 <= pages <= 16  # 14 when reviewed, a page per chart: a page break inside a sheet would add pages
    for expected in ("Rotherham Metropolitan Borough Council", "73%", "Good", "Scores by quality statement"):
        assert expected in flat
    # The charts' labels in words, and the legend naming the bands (as the layout keeps them, one space apart).
    for label in ("57% Requires improvement", "64% (computed)", "70.57%: better", "Outstanding band (88\u2013100%)"):
        assert label in text
