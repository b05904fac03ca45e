"""The Excel annex read back with openpyxl and from its XML: tables, figures, charts, alt text, safety."""

import re
import shutil
import zipfile

import openpyxl
import pytest

from cqcdocs.check import check_file
from cqcdocs.documents import load_and_score
from cqcdocs.render.annex import write_annex

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


def test_charts_are_native_with_titles_and_alt_text(annex):
    charts = xml_parts(annex, r"xl/charts/chart\d+\.xml")
    assert len(charts) == 4
    kinds = [sorted(set(re.findall(r"<c:(barChart|lineChart|scatterChart|pieChart)>", x))) for x in charts.values()]
    assert kinds == [["barChart", "lineChart"], ["barChart"], ["barChart"], ["barChart"]]
    assert all("<c:title>" in x for x in charts.values())
    drawings = "".join(xml_parts(annex, r"xl/drawings/drawing\d+\.xml").values())
    descriptions = re.findall(r'<xdr:cNvPr id="\d+" name="[^"]*" descr="([^"]*)"', drawings)
    assert len(descriptions) == 4 and all(len(d) > 60 for d in descriptions)
    assert "Assessing needs 63%" in descriptions[0] and "Overall 73%, Good." in descriptions[0]
    assert not xml_parts(annex, r"xl/media/.*")  # charts, not pictures


def test_charts_print_whole_without_their_helper_columns(annex):
    ws = openpyxl.load_workbook(annex)["Charts"]
    # A break above the metrics chart (row 63) and the benchmark chart; the band helper columns (U:W) stay out.
    assert [b.id for b in ws.row_breaks.brk] == [62, 106]
    assert ws.print_area == "'Charts'!$A$1:$O$127"  # the benchmark chart has nine councils
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
    assert 10 <= pages <= 14  # 12 when reviewed: a page break inside a sheet would add pages
    for expected in ("Rotherham Metropolitan Borough Council", "73%", "Good", "Scores by quality statement"):
        assert expected in flat
