"""Each accessibility rule on a small hand-built failing document and a passing one."""

import json
import struct
import zlib

import docx
import pytest
import xlsxwriter
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from cqcdocs.check import RULES, check_file
from cqcdocs.cli import main


def tiny_png(path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path


def good_docx():
    """A document that passes every rule: title, en-GB, headings, a header row."""
    document = docx.Document()
    document.core_properties.title = "A title"
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    document.add_heading("Heading one", 1)
    document.add_paragraph("Text.")
    return document


def mark_header(table):
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def shade(cell, fill):
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def rules(path, **kw):
    return [(p.rule, p.where, p.message) for p in check_file(path, **kw)]


def save(document, tmp_path, name="d.docx"):
    path = tmp_path / name
    document.save(path)
    return path


def test_every_rule_is_explained():
    assert all(text.endswith(".") for text in RULES.values()) and len(RULES) == 19


def test_a_good_document_passes(tmp_path):
    assert rules(save(good_docx(), tmp_path)) == []


def test_plain_python_docx_defaults(tmp_path):
    document = docx.Document()
    document.add_paragraph("Hello")
    document.add_picture(str(tiny_png(tmp_path / "p.png")))
    document.add_table(rows=2, cols=2)
    assert rules(save(document, tmp_path)) == [
        ("docx-title", "properties", "document title is not set (File > Info > Properties > Title)"),
        ("docx-language", "styles", "document language is en-US, expected en-GB"),
        ("docx-alt-text", "figure 1 (page-order 1st image)", "no alt text"),
        ("docx-headings", "document", "no headings: use Heading 1, Heading 2… so readers can navigate"),
        ("docx-table-header", "table 1", "first row is not marked as a header row that repeats (Table "
                                         "Properties > Row > Repeat as header row)"),
    ]


def test_language_can_be_chosen(tmp_path):
    path = save(good_docx(), tmp_path)
    assert rules(path, lang="cy-GB") == [("docx-language", "styles", "document language is en-GB, expected cy-GB")]


@pytest.mark.parametrize("descr, message", [
    ("", "no alt text"), ("image.png", "alt text is a file name ('image.png')"),
    ("Picture 3", "alt text is a placeholder ('Picture 3')"), ("chart", "alt text is a placeholder ('chart')"),
    ("Bar chart: Assessing needs 63%", None)])
def test_alt_text(tmp_path, descr, message):
    document = good_docx()
    document.add_paragraph("Before")
    shape = document.add_picture(str(tiny_png(tmp_path / "p.png")))
    shape._inline.docPr.set("descr", descr)
    found = rules(save(document, tmp_path))
    assert found == ([("docx-alt-text", "figure 1 (page-order 1st image)", message)] if message else [])


def test_heading_levels(tmp_path):
    document = good_docx()
    document.add_heading("Skipped", 3)
    document.add_heading("", 2)
    assert rules(save(document, tmp_path)) == [
        ("docx-headings", "paragraph 3", "heading level 3 follows level 1: 'Skipped'"),
        ("docx-empty-heading", "paragraph 4", "empty heading (level 2)")]
    starts_low = docx.Document()
    starts_low.add_heading("Low", 2)
    assert ("docx-headings", "paragraph 1", "first heading is level 2, not 1: 'Low'") in rules(
        save(starts_low, tmp_path, "low.docx"))


def test_table_header_and_merged_cells_but_not_in_layout_tables(tmp_path):
    document = good_docx()
    data = document.add_table(rows=2, cols=2)
    data.cell(0, 0).text, data.cell(0, 1).text = "A", "B"
    mark_header(data)
    data.cell(1, 0).merge(data.cell(1, 1))
    layout = document.add_table(rows=1, cols=2)
    layout.cell(0, 0).merge(layout.cell(0, 1))
    description = OxmlElement("w:tblDescription")
    description.set(qn("w:val"), "Layout table for the title block")
    layout._tbl.tblPr.append(description)
    assert rules(save(document, tmp_path)) == [("docx-merged-cells", "table 1", "merged cells in a data table")]


def test_empty_paragraphs_as_spacing(tmp_path):
    document = good_docx()
    for _ in range(2):
        document.add_paragraph("")
    document.add_paragraph("Two are fine.")
    for _ in range(3):
        document.add_paragraph("")
    document.add_paragraph("Three are not.")
    assert rules(save(document, tmp_path)) == [
        ("docx-empty-paragraphs", "paragraphs 6–8", "3 empty paragraphs in a row used as spacing: use paragraph "
                                                   "spacing instead")]


def add_link(paragraph, url, text):
    rid = paragraph.part.relate_to(url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                                        "hyperlink", is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def test_link_text(tmp_path):
    document = good_docx()
    add_link(document.add_paragraph("See "), "https://www.cqc.org.uk/x", "click here")
    add_link(document.add_paragraph("See "), "https://www.cqc.org.uk/x", "https://www.cqc.org.uk/x")
    add_link(document.add_paragraph("See "), "https://www.cqc.org.uk/x", "the CQC assessment report")
    assert rules(save(document, tmp_path)) == [
        ("docx-link-text", "hyperlink 1", "link text 'click here' does not say where it goes"),
        ("docx-link-text", "hyperlink 2", "link text is a bare web address ('https://www.cqc.org.uk/x')")]


def test_contrast_of_coloured_text_and_shaded_cells(tmp_path):
    from docx.shared import RGBColor

    document = good_docx()
    document.add_paragraph().add_run("Pale").font.color.rgb = RGBColor(0xBB, 0xBB, 0xBB)
    document.add_paragraph().add_run("Dark enough").font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Rating"
    mark_header(table)
    table.cell(1, 0).text = "Inadequate"
    shade(table.cell(1, 0), "2166AC")  # black on dark blue: 3.6:1
    assert rules(save(document, tmp_path)) == [
        ("docx-contrast", "table 1 row 2 cell 1", "text #000000 on #2166AC has contrast 3.6:1, below 4.5:1"),
        ("docx-contrast", "paragraph 3", "text #BBBBBB on #FFFFFF has contrast 1.9:1, below 4.5:1")]


def test_colour_only_rating_cell(tmp_path):
    document = good_docx()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Statement", "Rating"
    mark_header(table)
    table.cell(1, 0).text = "Safeguarding"
    shade(table.cell(1, 1), "92C5DE")
    assert rules(save(document, tmp_path)) == [
        ("docx-colour-only", "table 1 row 2 cell 2", "shaded cell (#92C5DE) with no text: colour alone carries "
                                                     "meaning")]
    table.cell(1, 1).text = "Good"
    assert rules(save(document, tmp_path)) == []


def make_xlsx(path, *, title="Annex", sheet="Scores", chart_title="Scores", alt="Bar chart: 63%, 75%",
              image_alt=None, merge=False, header=True):
    workbook = xlsxwriter.Workbook(path)
    if title:
        workbook.set_properties({"title": title})
    ws = workbook.add_worksheet(sheet)
    options = {"header_row": header, "data": [["a", 1], ["b", 2]]}
    if header:
        options["columns"] = [{"header": "Name"}, {"header": "Value"}]
    ws.add_table("A1:B3", options)
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series({"values": f"='{sheet}'!$B$2:$B$3"})
    if chart_title:
        chart.set_title({"name": chart_title})
    ws.insert_chart("D2", chart, {"description": alt} if alt is not None else {})
    if image_alt is not None:
        ws.insert_image("D20", str(tiny_png(path.parent / "i.png")), {"description": image_alt})
    workbook.close()
    if merge:
        merge_cells(path, "A2:B2")
    return path


def merge_cells(path, ref):
    """Add a merged range to the first sheet (XlsxWriter itself refuses to merge inside a table)."""
    import zipfile

    parts = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            parts[name] = zf.read(name)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "<pageMargins", f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells><pageMargins').encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_good_workbook_passes(tmp_path):
    assert rules(make_xlsx(tmp_path / "a.xlsx", image_alt="Council logo")) == []


def test_workbook_rules(tmp_path):
    path = make_xlsx(tmp_path / "a.xlsx", title=None, sheet="Sheet1", chart_title=None, alt="", image_alt="",
                     merge=True)
    assert rules(path) == [
        ("xlsx-title", "properties", "workbook title is not set (File > Info > Properties > Title)"),
        ("xlsx-sheet-names", "sheet 'Sheet1'", "sheet has a default name: name it for what it holds"),
        ("xlsx-merged-cells", "sheet 'Sheet1' table 'Table1'", "merged cells A2:B2 inside the table"),
        ("xlsx-chart-alt-text", "sheet 'Sheet1' chart 1", "no alt text"),
        ("xlsx-chart-title", "sheet 'Sheet1' chart 1", "chart has no title"),
        ("xlsx-image-alt-text", "sheet 'Sheet1' image 1", "no alt text")]


def test_table_without_header_row(tmp_path):
    assert ("xlsx-table-header", "sheet 'Scores' table 'Table1'", "table has no header row") in rules(
        make_xlsx(tmp_path / "a.xlsx", header=False))


@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"hello", "not a .docx or .xlsx file"),
    ("missing.docx", None, "file not found"),
    ("fake.docx", b"not a zip", "cannot be read as an Office file (File is not a zip file)")])
def test_unreadable_files_are_one_problem(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert rules(path) == [("file-readable", "file", message)]


def test_cli_summary_exit_code_and_json(tmp_path):
    good = save(good_docx(), tmp_path, "good.docx")
    bad = make_xlsx(tmp_path / "bad.xlsx", title=None)
    result = CliRunner().invoke(main, ["check", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad.xlsx: properties: workbook title is not set (File > Info > Properties > Title) [xlsx-title]",
        "2 files checked: 1 error, 0 warnings"]
    data = json.loads(CliRunner().invoke(main, ["check", "--json", str(bad)]).output)
    assert data == [{"file": "bad.xlsx", "rule": "xlsx-title", "level": "error", "where": "properties",
                     "message": "workbook title is not set (File > Info > Properties > Title)"}]
    assert CliRunner().invoke(main, ["check", str(good)]).output == "1 file checked: no problems\n"
