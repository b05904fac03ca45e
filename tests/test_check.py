"""Each accessibility rule on a small hand-built failing document and a passing one."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.table import Table

from check_fixtures import (add_complex_field, add_link, add_picture, add_simple_field, data_table, default_lang,
                            describe_table, edit_part, good_docx, make_xlsx, mark_decorative, mark_header,
                            merge_cells, rules, save, shade, tiny_png)
from cqcdocs.check import RULES, Problem, check_file, check_files, summary, to_json

ROOT = Path(__file__).resolve().parents[1]


# --- the module itself --------------------------------------------------------------------------

def test_every_rule_is_explained_and_documented():
    docs = (ROOT / "docs" / "accessibility-checks.md").read_text(encoding="utf-8")
    documented = {line.split("|")[1].strip().strip("`") for line in docs.splitlines() if line.startswith("| `")}
    assert documented == set(RULES)
    assert all(text.endswith(".") for text in RULES.values())


def test_imports_neither_matplotlib_nor_python_docx():
    code = ("import sys, cqcdocs.check; "
            "print(sorted({'matplotlib', 'docx', 'openpyxl'} & {m.split('.')[0] for m in sys.modules}))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


# --- Word ---------------------------------------------------------------------------------------

def test_a_good_document_passes(tmp_path):
    assert rules(save(good_docx(), tmp_path)) == []


def test_plain_python_docx_defaults(tmp_path):
    """The acceptance case: python-docx's defaults fail on title, language, alt text, headings and header row.
    (add_picture writes docPr name="Picture 1" and no descr at all.)"""
    document = docx.Document()
    document.add_paragraph("Hello")
    document.add_picture(str(tiny_png(tmp_path / "p.png")))
    document.add_table(rows=2, cols=2)
    path = save(document, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert b'<wp:docPr id="1" name="Picture 1"/>' in zf.read("word/document.xml")
    assert rules(path) == [
        ("docx-title", "properties", "document title is not set (File > Info > Properties > Title)"),
        ("docx-language", "styles", "document language is en-US, expected en-GB"),
        ("docx-alt-text", "uncaptioned picture (page-order 1st image)", "no alt text"),
        ("docx-headings", "document", "no headings: use Heading 1, Heading 2… so readers can navigate"),
        ("docx-table-header", "table 1", "first row is not marked as a header row that repeats (Table "
                                         "Properties > Row > Repeat as header row)"),
    ]
    assert {p.level for p in check_file(path)} == {"error"}


def test_title_of_only_spaces_is_not_a_title(tmp_path):
    document = good_docx()
    document.core_properties.title = "   "
    assert rules(save(document, tmp_path)) == [
        ("docx-title", "properties", "document title is not set (File > Info > Properties > Title)")]


def test_language_is_the_expected_one(tmp_path):
    path = save(good_docx(), tmp_path)
    assert rules(path, lang="cy-GB") == [("docx-language", "styles", "document language is en-GB, expected cy-GB")]
    document = good_docx()
    normal = OxmlElement("w:lang")
    normal.set(qn("w:val"), "en-US")
    document.styles["Normal"].element.get_or_add_rPr().append(normal)
    assert rules(save(document, tmp_path, "n.docx")) == [
        ("docx-language", "styles", "document language is en-US, expected en-GB")]


def test_language_missing_or_set_only_on_runs(tmp_path):
    document = good_docx()
    lang = default_lang(document)
    lang.getparent().remove(lang)
    assert rules(save(document, tmp_path)) == [("docx-language", "text", "no document language set (expected en-GB)")]
    for run in document.element.body.iter(qn("w:r")):
        run_lang = OxmlElement("w:lang")
        run_lang.set(qn("w:val"), "en-GB")
        run.get_or_add_rPr().append(run_lang)
    assert rules(save(document, tmp_path)) == []


@pytest.mark.parametrize("descr, title, message", [
    (None, None, "no alt text"),
    ("  ", None, "no alt text"),
    ("image.png", None, "alt text is a file name ('image.png')"),
    ("IMG_0042.JPG", None, "alt text is a file name ('IMG_0042.JPG')"),
    ("Picture 3", None, "alt text is a placeholder ('Picture 3')"),
    ("chart", None, "alt text is a placeholder ('chart')"),
    ("graphic", "Image 1", "alt text is a placeholder ('graphic')"),
    ("Bar chart: Assessing needs 63%", None, None),
    (None, "Bar chart: Assessing needs 63%", None),  # Word's Title field counts too
    ("Picture 3", "Bar chart: Assessing needs 63%", None),
])
def test_alt_text(tmp_path, descr, title, message):
    document = good_docx()
    add_picture(document, tmp_path, descr, title)
    expected = [("docx-alt-text", "uncaptioned picture (page-order 1st image)", message)] if message else []
    assert rules(save(document, tmp_path)) == expected


def test_alt_text_written_by_word_itself_is_a_warning(tmp_path):
    document = good_docx()
    add_picture(document, tmp_path, "A picture containing text. Description automatically generated")
    [problem] = check_file(save(document, tmp_path))
    assert (problem.rule, problem.level, problem.message) == (
        "docx-alt-text", "warning",
        "alt text was generated automatically ('A picture containing text. Description automatically generat'): "
        "check it")


def test_decorative_pictures_need_no_alt_text(tmp_path):
    document = good_docx()
    mark_decorative(add_picture(document, tmp_path))
    assert rules(save(document, tmp_path)) == []


def test_figure_is_named_by_its_caption_and_page_order(tmp_path):
    document = good_docx()
    add_picture(document, tmp_path, "Council logo")
    add_picture(document, tmp_path)
    document.add_paragraph("Figure 3: Scores by quality statement", style="Caption")
    add_picture(document, tmp_path)
    assert rules(save(document, tmp_path)) == [
        ("docx-alt-text", "figure 3 (page-order 2nd image)", "no alt text"),
        ("docx-alt-text", "uncaptioned picture (page-order 3rd image)", "no alt text")]


def test_captions_above_pictures_are_matched_to_the_right_one(tmp_path):
    document = good_docx()
    document.add_paragraph("Figure 1: First", style="Caption")
    add_picture(document, tmp_path)
    document.add_paragraph("Figure 2: Second", style="Caption")
    add_picture(document, tmp_path)
    assert [where for _, where, _ in rules(save(document, tmp_path))] == [
        "figure 1 (page-order 1st image)", "figure 2 (page-order 2nd image)"]


@pytest.mark.parametrize("uri, where", [
    ("http://schemas.openxmlformats.org/drawingml/2006/chart", "uncaptioned chart (page-order 1st image)"),
    ("http://schemas.microsoft.com/office/word/2010/wordprocessingShape", None)])  # a text box reads its text
def test_charts_need_alt_text_shapes_do_not(tmp_path, uri, where):
    document = good_docx()
    doc_pr = add_picture(document, tmp_path)
    doc_pr.getparent().graphic.graphicData.set("uri", uri)
    assert rules(save(document, tmp_path)) == ([("docx-alt-text", where, "no alt text")] if where else [])


def test_heading_levels(tmp_path):
    document = good_docx()
    document.add_heading("Skipped", 3)
    document.add_heading("", 2)
    document.add_heading("Back to two", 2)
    assert rules(save(document, tmp_path)) == [
        ("docx-headings", "paragraph 3", "heading level 3 follows level 1: 'Skipped'"),
        ("docx-empty-heading", "paragraph 4", "empty heading (level 2)")]


def test_first_heading_must_be_level_1(tmp_path):
    document = good_docx()
    first = document.paragraphs[0]
    first.style = document.styles["Heading 2"]
    assert rules(save(document, tmp_path)) == [
        ("docx-headings", "paragraph 1", "first heading is level 2, not 1: 'Heading one'")]


def test_title_counts_as_a_heading_but_not_as_a_level(tmp_path):
    document = good_docx()
    document.paragraphs[0].style = document.styles["Title"]
    document.add_heading("One", 1)
    document.add_heading("", 0)
    assert rules(save(document, tmp_path)) == [("docx-empty-heading", "paragraph 4", "empty title")]
    only_title = docx.Document()
    default_lang(only_title).set(qn("w:val"), "en-GB")
    only_title.core_properties.title = "T"
    only_title.add_heading("Briefing", 0)
    assert rules(save(only_title, tmp_path, "t.docx")) == []


def test_heading_levels_come_from_style_names_not_ids(tmp_path):
    """A German Word names its style id "berschrift2"; the name "heading 2" still says level 2."""
    document = good_docx()
    document.styles["Heading 2"].style_id = "berschrift2"
    document.add_heading("Zwei", 2)
    custom = document.styles.add_style("Briefing deep", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 4"]
    document.add_paragraph("Deep", style=custom)
    path = save(document, tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert b'<w:pStyle w:val="berschrift2"/>' in zf.read("word/document.xml")
    assert rules(path) == [("docx-headings", "paragraph 4", "heading level 4 follows level 2: 'Deep'")]


def test_outline_level_on_a_paragraph_makes_it_a_heading(tmp_path):
    document = good_docx()
    document.paragraphs[0].style = document.styles["Normal"]
    assert rules(save(document, tmp_path))[0][0] == "docx-headings"
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    document.paragraphs[0]._p.get_or_add_pPr().append(outline)
    assert rules(save(document, tmp_path)) == []


@pytest.mark.parametrize("value", [None, "true", "1"])
def test_a_header_row_passes(tmp_path, value):
    document = good_docx()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "A"
    mark_header(table, value)
    assert rules(save(document, tmp_path)) == []


def test_a_header_row_switched_off_fails(tmp_path):
    document = good_docx()
    data_table(document)
    switched_off = document.add_table(rows=2, cols=2)
    switched_off.cell(0, 0).text = "A"
    mark_header(switched_off, "false")
    assert rules(save(document, tmp_path)) == [
        ("docx-table-header", "table 2", "first row is not marked as a header row that repeats (Table Properties > "
                                         "Row > Repeat as header row)")]


@pytest.mark.parametrize("first, second, cell", [((1, 0), (1, 1), "row 2 cell 1"),   # gridSpan
                                                 ((1, 1), (2, 1), "row 2 cell 2")])  # vMerge
def test_merged_cells_in_data_tables(tmp_path, first, second, cell):
    document = good_docx()
    table = data_table(document, rows=3)
    table.cell(*first).merge(table.cell(*second))
    assert rules(save(document, tmp_path)) == [
        ("docx-merged-cells", "table 1", f"merged cells in a data table (first at {cell})")]


@pytest.mark.parametrize("tag", ["w:tblDescription", "w:tblCaption"])
def test_layout_tables_are_exempt_from_header_and_merge_rules(tmp_path, tag):
    document = good_docx()
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "Council"
    layout.cell(0, 0).merge(layout.cell(0, 1))
    describe_table(layout, tag, "LAYOUT: title block")
    assert rules(save(document, tmp_path)) == []
    described = good_docx()
    table = described.add_table(rows=1, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1))
    describe_table(table, tag, "Scores by statement, not a layout")
    assert [r for r, _, _ in rules(save(described, tmp_path))] == ["docx-table-header", "docx-merged-cells"]


def test_empty_paragraphs_as_spacing(tmp_path):
    document = good_docx()
    for _ in range(2):
        document.add_paragraph("")
    document.add_paragraph("Two are fine.")
    for _ in range(3):
        document.add_paragraph("")
    document.add_paragraph("Three are not.")
    document.add_paragraph("")
    document.add_paragraph("").add_run().add_break(WD_BREAK.PAGE)  # a page break is not spacing
    document.add_paragraph("")
    assert rules(save(document, tmp_path)) == [
        ("docx-empty-paragraphs", "paragraphs 6–8", "3 empty paragraphs in a row used as spacing: use paragraph "
                                                   "spacing instead")]


def test_empty_paragraph_numbers_count_paragraphs_in_tables(tmp_path):
    document = docx.Document()
    data_table(document)  # 4 cell paragraphs
    for _ in range(4):
        document.add_paragraph()
    assert ("docx-empty-paragraphs", "paragraphs 5–8", "4 empty paragraphs in a row used as spacing: use paragraph "
            "spacing instead") in rules(save(document, tmp_path))


def test_link_text(tmp_path):
    document = good_docx()
    url = "https://www.cqc.org.uk/x"
    add_link(document.add_paragraph("See "), url, "click here")
    add_link(document.add_paragraph("See "), url, url)
    add_link(document.add_paragraph("See "), url, "the CQC assessment report")
    add_link(document.add_paragraph("Or "), url, "Read more.")
    add_link(document.add_paragraph("Or "), url, "")
    assert rules(save(document, tmp_path)) == [
        ("docx-link-text", "hyperlink 1", f"link text 'click here' does not say where it goes ({url})"),
        ("docx-link-text", "hyperlink 2", f"link text is a bare web address ('{url}')"),
        ("docx-link-text", "hyperlink 4", f"link text 'Read more.' does not say where it goes ({url})"),
        ("docx-link-text", "hyperlink 5", f"hyperlink has no text ({url})")]


def test_hyperlink_fields(tmp_path):
    document = good_docx()
    add_simple_field(document.add_paragraph(), ' HYPERLINK "https://gov.uk/a" ', "here")
    add_complex_field(document.add_paragraph(), ' HYPERLINK "https://gov.uk/b" ', "www.gov.uk/b")
    add_complex_field(document.add_paragraph(), ' HYPERLINK "https://gov.uk/c" ', "the Care Act guidance")
    add_simple_field(document.add_paragraph(), ' HYPERLINK \\l "scores" ', "here")  # internal: not checked
    add_complex_field(document.add_paragraph(), " PAGE ", "3")
    assert rules(save(document, tmp_path)) == [
        ("docx-link-text", "hyperlink 1", "link text 'here' does not say where it goes (https://gov.uk/a)"),
        ("docx-link-text", "hyperlink 2", "link text is a bare web address ('www.gov.uk/b')")]


def test_contrast_of_coloured_text(tmp_path):
    document = good_docx()
    document.add_paragraph().add_run("Pale").font.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)
    document.add_paragraph().add_run("Nearly").font.color.rgb = RGBColor(0x77, 0x77, 0x77)  # 4.48:1
    document.add_paragraph().add_run("Just enough").font.color.rgb = RGBColor(0x76, 0x76, 0x76)  # 4.54:1
    assert rules(save(document, tmp_path)) == [
        ("docx-contrast", "paragraph 3", "text #BBBBBB on #FFFFFF has contrast 1.9:1, below 4.5:1"),
        ("docx-contrast", "paragraph 4", "text #777777 on #FFFFFF has contrast 4.4:1, below 4.5:1")]


def test_contrast_on_shaded_cells_paragraphs_and_runs(tmp_path):
    document = good_docx()
    table = data_table(document, rows=3, cols=1)
    shade(table.cell(1, 0)._tc.get_or_add_tcPr(), "2166AC")  # automatic (black) text on dark blue: 3.5:1
    shade(table.cell(2, 0)._tc.get_or_add_tcPr(), "2166AC")
    table.cell(2, 0).paragraphs[0].runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)  # white on it: 5.9:1
    shaded = document.add_paragraph("Automatic text on navy")
    shade(shaded._p.get_or_add_pPr(), "1F4E79")
    run = document.add_paragraph().add_run("Black on a black highlight")
    shade(run._r.get_or_add_rPr(), "000000")
    assert rules(save(document, tmp_path)) == [
        ("docx-contrast", "table 1 row 2 cell 1", "text #000000 on #2166AC has contrast 3.5:1, below 4.5:1"),
        ("docx-contrast", "paragraph 6", "text #000000 on #1F4E79 has contrast 2.4:1, below 4.5:1"),
        ("docx-contrast", "paragraph 7", "text #000000 on #000000 has contrast 1.0:1, below 4.5:1")]


def test_colour_only_rating_cell(tmp_path):
    document = good_docx()
    table = data_table(document, cols=2)
    table.cell(1, 1).text = ""
    shade(table.cell(1, 1)._tc.get_or_add_tcPr(), "92C5DE")
    shade(table.cell(1, 0)._tc.get_or_add_tcPr(), "FFFFFF")  # white is no colour: an empty white cell is fine
    table.cell(1, 0).text = ""
    assert rules(save(document, tmp_path)) == [
        ("docx-colour-only", "table 1 row 2 cell 2", "shaded cell (#92C5DE) with no text: colour alone carries "
                                                     "meaning")]
    table.cell(1, 1).text = "Good"
    assert rules(save(document, tmp_path)) == []


# --- Excel --------------------------------------------------------------------------------------

def test_good_workbook_passes(tmp_path):
    assert rules(make_xlsx(tmp_path / "a.xlsx", image_alt="Council logo", charts=2)) == []


def test_workbook_rules(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", title=None, sheet="Sheet1", chart_title=None, alt="", image_alt="logo.png")
    assert rules(merge_cells(path, "A2:B2")) == [
        ("xlsx-title", "properties", "workbook title is not set (File > Info > Properties > Title)"),
        ("xlsx-sheet-names", "sheet 'Sheet1'", "sheet has a default name: name it for what it holds"),
        ("xlsx-merged-cells", "sheet 'Sheet1' table 'Table1'", "merged cells A2:B2 inside the table"),
        ("xlsx-image-alt-text", "sheet 'Sheet1' image 1", "alt text is a file name ('logo.png')"),  # drawing order
        ("xlsx-chart-title", "sheet 'Sheet1' chart 1", "chart has no title (Chart Design > Add Chart Element > "
                                                       "Chart Title)"),
        ("xlsx-chart-alt-text", "sheet 'Sheet1' chart 1", "no alt text")]


@pytest.mark.parametrize("name, flagged", [("sheet12", True), ("Sheet", False), ("Sheet1 scores", False)])
def test_default_sheet_names(tmp_path, name, flagged):
    found = rules(make_xlsx(tmp_path / "a.xlsx", sheet=name))
    assert found == ([("xlsx-sheet-names", f"sheet {name!r}", "sheet has a default name: name it for what it holds")]
                     if flagged else [])


def test_charts_are_numbered_per_sheet(tmp_path):
    assert rules(make_xlsx(tmp_path / "a.xlsx", charts=2, alt="Chart 2")) == [
        ("xlsx-chart-alt-text", "sheet 'Scores' chart 2", "alt text is a placeholder ('Chart 2')")]


def test_chart_title_must_be_explicit(tmp_path):
    """An automatic title (c:title with no text, or autoTitleDeleted=0) is not enough."""
    path = make_xlsx(tmp_path / "a.xlsx", chart_title=None)
    edit_part(path, "xl/charts/chart1.xml", lambda xml: xml.replace(
        "<c:chart>", '<c:chart><c:title><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'))
    assert [r for r, _, _ in rules(path)] == ["xlsx-chart-title"]


def test_merged_cells_outside_tables_are_fine(tmp_path):
    assert rules(merge_cells(make_xlsx(tmp_path / "a.xlsx"), "A10:C10")) == []


def test_table_without_header_row(tmp_path):
    assert rules(make_xlsx(tmp_path / "a.xlsx", header=False)) == [
        ("xlsx-table-header", "sheet 'Scores' table 'Table1'", "table has no header row")]


def test_workbook_written_by_openpyxl(tmp_path):
    """openpyxl (like Excel) writes absolute relationship targets ("/xl/tables/table1.xml")."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Scores"
    ws.append(["Name", "Value"])
    ws.append(["a", 1])
    ws.add_table(Table(displayName="Scores", ref="A1:B2"))
    ws.merge_cells("A2:B2")
    workbook.properties.title = "Annex"
    path = tmp_path / "o.xlsx"
    workbook.save(path)
    assert rules(path) == [
        ("xlsx-merged-cells", "sheet 'Scores' table 'Scores'", "merged cells A2:B2 inside the table")]


# --- unreadable files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"hello", "not a .docx, .xlsx or .pdf file"),
    ("missing.docx", None, "file not found"),
    ("fake.docx", b"not a zip", "not a zip package, so not a real .docx/.xlsx (damaged, or another format renamed)"),
    ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
     "password-protected, or an old .doc/.xls renamed: save it from Word or Excel as .docx/.xlsx without a password"),
])
def test_unreadable_files_are_one_problem(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert rules(path) == [("file-readable", "file", message)]


def test_zips_that_are_not_the_right_package(tmp_path):
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert rules(plain) == [("file-readable", "file", "a zip file but not an Office package (no [Content_Types].xml)")]
    workbook_named_docx = make_xlsx(tmp_path / "a.xlsx").rename(tmp_path / "a.docx")
    assert rules(workbook_named_docx) == [("file-readable", "file", "no word/document.xml: not a Word document")]
    assert rules(tmp_path) == [("file-readable", "file", "not a .docx, .xlsx or .pdf file")]
    (tmp_path / "folder.xlsx").mkdir()
    assert rules(tmp_path / "folder.xlsx") == [("file-readable", "file", "not a file")]


def test_damaged_xml_is_reported(tmp_path):
    path = edit_part(save(good_docx(), tmp_path), "word/document.xml", lambda xml: xml[:200])
    [(rule, where, message)] = rules(path)
    assert (rule, where) == ("file-readable", "file") and message.startswith("damaged: a part is not well-formed XML")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".docx", ".xlsx"]), part=st.booleans())
def test_never_raises_on_rubbish(tmp_path, data, suffix, part):
    path = tmp_path / f"r{suffix}"
    if part:  # a real package whose main part is rubbish
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml" if suffix == ".docx" else "xl/workbook.xml", data)
    else:
        path.write_bytes(data)
    assert all(isinstance(p, Problem) for p in check_file(path))


# --- several files, summary, JSON ---------------------------------------------------------------

def test_check_files_summary_and_json(tmp_path):
    good = save(good_docx(), tmp_path, "good.docx")
    bad = make_xlsx(tmp_path / "bad.xlsx", title=None)
    problems = check_files([good, bad, tmp_path / "gone.docx"])
    assert [str(p) for p in problems] == [
        "bad.xlsx: properties: workbook title is not set (File > Info > Properties > Title) [xlsx-title]",
        "gone.docx: file: file not found [file-readable]"]
    assert summary(problems, files=3) == "3 files checked: 2 errors, 0 warnings"
    assert summary([], files=1) == "1 file checked: no problems"
    warning = Problem("a.docx", "docx-alt-text", "warning", "figure 1 (page-order 1st image)", "m")
    assert summary(problems[:1] + [warning]) == "1 error, 1 warning"
    assert json.loads(to_json(problems))[0] == {
        "file": "bad.xlsx", "rule": "xlsx-title", "level": "error", "where": "properties",
        "message": "workbook title is not set (File > Info > Properties > Title)"}


def test_cli_exit_code_and_summary(tmp_path):
    """The command (cli.py) prints each problem and summary(), and exits 1 on any error."""
    from click.testing import CliRunner

    from cqcdocs.cli import main

    bad = make_xlsx(tmp_path / "bad.xlsx", title=None)
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert (result.exit_code, result.output.splitlines()[-1]) == (1, "1 file checked: 1 error, 0 warnings")
    assert CliRunner().invoke(main, ["check", str(save(good_docx(), tmp_path))]).exit_code == 0
