"""Small builders for test_check.py: documents and workbooks that pass, and the XML edits python-docx
and XlsxWriter cannot express, so each test changes one thing."""

from __future__ import annotations

import struct
import zipfile
import zlib

import docx
import xlsxwriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from cqcdocs.check import RULES, check_file

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def rules(path, **kw):
    """(rule, where, message) for each problem; every rule reported must be a documented one."""
    found = check_file(path, **kw)
    assert all(p.rule in RULES and p.level in ("error", "warning") for p in found)
    return [(p.rule, p.where, p.message) for p in found]


def tiny_png(path):
    """A valid 1×1 PNG, written without any imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path


def default_lang(document):
    """The w:lang of the styles' docDefaults (python-docx's template sets en-US there)."""
    return document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")) \
        .find(qn("w:lang"))


def good_docx():
    """A document that passes every rule: title, en-GB, a level-1 heading, text."""
    document = docx.Document()
    document.core_properties.title = "A title"
    default_lang(document).set(qn("w:val"), "en-GB")
    document.add_heading("Heading one", 1)
    document.add_paragraph("Text.")
    return document


def save(document, tmp_path, name="d.docx"):
    path = tmp_path / name
    document.save(path)
    return path


def add_picture(document, tmp_path, descr=None, title=None):
    """A picture in its own paragraph; returns the wp:docPr element."""
    doc_pr = document.add_picture(str(tiny_png(tmp_path / "p.png")))._inline.docPr
    for attr, value in (("descr", descr), ("title", title)):
        if value is not None:
            doc_pr.set(attr, value)
    return doc_pr


def mark_decorative(doc_pr):
    """Word's "Mark as decorative": an adec:decorative extension on the object."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    ext_lst = etree.SubElement(doc_pr, f"{{{a}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{a}}}ext", uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
    etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", val="1")


def mark_header(table, value=None):
    el = OxmlElement("w:tblHeader")
    if value is not None:
        el.set(qn("w:val"), value)
    table.rows[0]._tr.get_or_add_trPr().append(el)


def describe_table(table, tag, text):
    """w:tblCaption / w:tblDescription: Word's Table Properties > Alt Text."""
    el = OxmlElement(tag)
    el.set(qn("w:val"), text)
    table._tbl.tblPr.append(el)


def shade(props, fill):
    """w:shd on a tcPr, pPr or rPr."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), fill)
    props.append(shd)


def data_table(document, rows=2, cols=2):
    """A table with header text and a repeating header row: passes every table rule."""
    table = document.add_table(rows=rows, cols=cols)
    for c in range(cols):
        table.cell(0, c).text = f"Column {c + 1}"
        for r in range(1, rows):
            table.cell(r, c).text = f"{r}.{c}"
    mark_header(table)
    return table


def _run(text=None, child=None):
    run = OxmlElement("w:r")
    if child is not None:
        run.append(child)
    if text is not None:
        t = OxmlElement("w:t")
        t.text = text
        run.append(t)
    return run


def add_link(paragraph, url, text):
    """A w:hyperlink to an external address."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, HYPERLINK, is_external=True))
    link.append(_run(text))
    paragraph._p.append(link)


def add_simple_field(paragraph, instruction, text):
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    field.append(_run(text))
    paragraph._p.append(field)


def add_complex_field(paragraph, instruction, text):
    """begin, instruction, separate, result, end: how Word writes most fields."""
    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return _run(child=el)
    instr = OxmlElement("w:instrText")
    instr.text = instruction
    for run in (char("begin"), _run(child=instr), char("separate"), _run(text), char("end")):
        paragraph._p.append(run)


def make_xlsx(path, *, title="Annex", sheet="Scores", chart_title="Scores", alt="Bar chart: a 1, b 2",
              image_alt=None, header=True, charts=1):
    """A workbook with a table, `charts` charts and optionally an image; passes every rule by default."""
    workbook = xlsxwriter.Workbook(path)
    if title:
        workbook.set_properties({"title": title})
    ws = workbook.add_worksheet(sheet)
    options = {"header_row": header, "data": [["a", 1], ["b", 2]]}
    if header:
        options["columns"] = [{"header": "Name"}, {"header": "Value"}]
    ws.add_table("A1:B3", options)
    for n in range(charts):
        chart = workbook.add_chart({"type": "bar"})
        chart.add_series({"values": f"='{sheet}'!$B$2:$B$3", "categories": f"='{sheet}'!$A$2:$A$3"})
        if chart_title:
            chart.set_title({"name": chart_title})
        # Only the last chart gets the alt text under test, so numbering can be checked.
        ws.insert_chart(f"D{2 + 16 * n}", chart,
                        {"description": alt if n == charts - 1 else "Bar chart: a 1, b 2"} if alt is not None else {})
    if image_alt is not None:
        ws.insert_image("M2", str(tiny_png(path.parent / "i.png")), {"description": image_alt})
    workbook.close()
    return path


def edit_part(path, part, edit):
    """Rewrite one part of a zip package with edit(text) -> text."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts[part] = edit(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def merge_cells(path, ref):
    """Add a merged range to the first sheet (XlsxWriter itself refuses to merge inside a table)."""
    return edit_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        "<pageMargins", f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells><pageMargins'))
