"""`import-report --into` never loses an officer's work: only the sheet parts that change are edited and
every other part is copied byte for byte (comments, rich text, sparklines, data bars, Power Query, a data
model, SharePoint metadata, external links…); the workbook is read under the folder's lock and replaced
only if nobody changed it meanwhile; a workbook open in Excel or LibreOffice, or read-only, is refused;
mode, owner and extended attributes are kept; a link's target is filled; report text is never a formula."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs.blank import blank_workbook
from cqcdocs.cli import main
from cqcdocs.report_import import into as into_module
from cqcdocs.report_import.patch import CellChange, Refused, patch_package

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "001_1a4ce532dcc8465d.txt"
CHANGED_LINE = "A person who used services told us staff had supported them"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="the seed report (../shared/seeds/) is not beside "
                                                           "this checkout")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- an officer's workbook, as Excel keeps it -------------------------------------------------------------

CONTENT_TYPES = {
    "xl/connections.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml",
    "customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    "xl/externalLinks/externalLink1.xml":
        "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ADDED_PARTS = {
    "xl/connections.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<connections xmlns="http://'
    'schemas.openxmlformats.org/spreadsheetml/2006/main"><connection id="1" keepAlive="1" name="Query - ASC-FR" '
    'description="Connection to the \'ASC-FR\' query in the workbook." type="5" refreshedVersion="8" '
    'background="1" saveData="1"><dbPr connection="Provider=Microsoft.Mashup.OleDb.1;Data Source=$Workbook$;'
    'Location=ASC-FR;" command="SELECT * FROM [ASC-FR]"/></connection></connections>',
    "xl/model/item.data": "\x00\x01PowerPivotModel\x00\xff\xfe binary",
    "customXml/item1.xml": '<?xml version="1.0" encoding="utf-8"?><ct:contentTypeSchema xmlns:ct="http://schemas.'
    'microsoft.com/office/2006/metadata/contentType" ct:_="" ma:_="" ma:contentTypeName="Document" '
    'ma:contentTypeID="0x0101007E5B" xmlns:ma="http://schemas.microsoft.com/office/2006/metadata/properties/'
    'metaAttributes"/>',
    "customXml/itemProps1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
    'ds:itemID="{1D0A51B4-2D4E-4B7A-9D1C-3C1D6E3B2A11}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/'
    '2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.microsoft.com/office/2006/metadata/'
    'contentType"/></ds:schemaRefs></ds:datastoreItem>',
    "customXml/_rels/item1.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/>'
    '</Relationships>',
    "docProps/custom.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
    'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
    'officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
    'name="ContentTypeId"><vt:lpwstr>0x0101007E5B</vt:lpwstr></property></Properties>',
    "xl/externalLinks/externalLink1.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="Budget"/>'
    '</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>42</v></cell></row></sheetData>'
    '</sheetDataSet></externalBook></externalLink>',
    "xl/externalLinks/_rels/externalLink1.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
    'Target="file:///S:/Finance/Budget.xlsx" TargetMode="External"/></Relationships>',
}


def _add_parts(path: Path) -> None:
    """Add, by editing the package, what Excel keeps beside the sheets: a Power Query connection, a Power Pivot
    model, SharePoint's metadata (custom XML and properties) and an external link."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    types = parts["[Content_Types].xml"].decode()
    types = types.replace("</Types>", "".join(f'<Override PartName="/{n}" ContentType="{t}"/>'
                                              for n, t in CONTENT_TYPES.items())
                          + '<Default Extension="data" ContentType="application/vnd.openxmlformats-officedocument.'
                            'model+data"/></Types>')
    parts["[Content_Types].xml"] = types.encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        f'<Relationship Id="rId901" Type="{REL}/connections" Target="connections.xml"/>'
                        f'<Relationship Id="rId902" Type="{REL}/model" Target="model/item.data"/>'
                        f'<Relationship Id="rId903" Type="{REL}/customXml" Target="../customXml/item1.xml"/>'
                        f'<Relationship Id="rId904" Type="{REL}/externalLink" '
                        'Target="externalLinks/externalLink1.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    root_rels = parts["_rels/.rels"].decode().replace(
        "</Relationships>", f'<Relationship Id="rId901" Type="{REL}/custom-properties" '
                            'Target="docProps/custom.xml"/></Relationships>')
    parts["_rels/.rels"] = root_rels.encode()
    workbook = parts["xl/workbook.xml"].decode()
    workbook = workbook.replace("</sheets>", '</sheets><externalReferences><externalReference r:id="rId904"/>'
                                             "</externalReferences>")
    parts["xl/workbook.xml"] = workbook.encode()
    for name, text in ADDED_PARTS.items():
        parts[name] = text.encode("latin-1" if name.endswith(".data") else "utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)


def _png() -> bytes:
    """A 1×1 PNG, for a picture in the workbook."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b""))


def officers_workbook(path: Path) -> Path:
    """The blank source workbook's sheets and headers as XlsxWriter writes them (as Excel does: shared
    strings), with an officer's additions: rich text, a cell note, sparklines, an Excel 2010 data bar,
    conditional formats, a drop-down, defined names, a chart, a picture, a formula with its saved value, a
    table on the Findings; then the parts of `_add_parts`."""
    import xlsxwriter

    blank = blank_workbook()
    book = xlsxwriter.Workbook(str(path))
    bold, red = book.add_format({"bold": True}), book.add_format({"font_color": "#9C0006"})
    sheets = {}
    for source in blank.worksheets:
        ws = sheets[source.title] = book.add_worksheet(source.title)
        for row in source.iter_rows():
            for cell in row:
                if cell.value is not None and source.title != "Findings":
                    ws.write(cell.row - 1, cell.column - 1, cell.value, bold if cell.row == 1 else None)
    assessment, scores = sheets["Assessment"], sheets["Scores"]
    assessment.write_rich_string("C2", "Checked by ", bold, "the officer", " on ", red, "Monday")
    assessment.write_comment("A2", "The council's name as on its letterhead")
    scores.write_formula("K2", "=1+1", None, 2)
    scores.add_sparkline("L2", {"range": "Scores!C2:G2"})
    scores.conditional_format("H2:H10", {"type": "data_bar", "data_bar_2010": True})
    scores.conditional_format("H2:H10", {"type": "cell", "criteria": "<", "value": 2, "format": red})
    scores.data_validation("H2:H10", {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 4})
    book.define_name("Scores_given", "=Scores!$H$2:$H$10")
    columns = [c.value for c in blank["Findings"][1]]
    sheets["Findings"].add_table("A1:G2", {"name": "OfficersFindings", "columns": [{"header": c} for c in columns],
                                           "data": [["LGA peer challenge 2025", "Working with people",
                                                     "Assessing needs", "Key strength",
                                                     "The officer's own finding.", None, None]]})
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Scores!$H$2:$H$10"})
    sheets["Key dates"].insert_chart("E2", chart)
    scores.insert_image("M2", "logo.png", {"image_data": io.BytesIO(_png()), "description": "Council logo"})
    book.close()
    _add_parts(path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def stored(path: Path) -> dict[str, bytes]:
    """Each entry as the zip stores it: its local header and compressed bytes."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        found = {}
        for info in z.infolist():
            n, m = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little"), \
                int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
            found[info.filename] = data[info.header_offset:info.header_offset + 30 + n + m + info.compress_size]
        return found


def features(path: Path) -> dict[str, object]:
    """What an officer made, as found in the package: every part in order, and each feature counted."""
    found = parts(path)
    sheets = b"".join(v for n, v in found.items() if n.startswith("xl/worksheets/sheet"))
    every = b"".join(found.values())
    return {
        "parts": list(found),
        "rich text runs": found["xl/sharedStrings.xml"].count(b"<r>"),
        "notes": found["xl/comments1.xml"].count(b"<comment "),
        "sparklines": sheets.count(b"<x14:sparkline>"),
        "data bars (2010)": sheets.count(b"<x14:dataBar"),
        "conditional formats": sheets.count(b"<conditionalFormatting"),
        "data validations": sheets.count(b"<dataValidation "),
        "defined names": found["xl/workbook.xml"].count(b"<definedName "),
        "external references": found["xl/workbook.xml"].count(b"<externalReference "),
        "tables": sheets.count(b"<tablePart "),
        "charts": every.count(b"<c:chart "),
        "pictures": sum(n.startswith("xl/media/") for n in found),
        "formulas": sheets.count(b"<f>"),
        "saved formula value": b"<f>1+1</f><v>2</v>" in sheets,
    }


def sheet_part(path: Path, title: str) -> str:
    from cqcdocs.report_import.patch import _rels, _workbook_part  # the same navigation, to find the part

    with zipfile.ZipFile(path) as z:
        workbook = _workbook_part(z)
        rels = {rid: part for rid, _, part in _rels(z, workbook)}
        names = dict(re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', z.read(workbook).decode()))
        return rels[names[title]]


CELL = re.compile(r"<c r=\"([A-Z]+\d+)\"[^>]*?(?:/>|>.*?</c>)", re.S)


@pytest.fixture
def officers(tmp_path) -> Path:
    return officers_workbook(tmp_path / "officer.xlsx")


def test_every_part_and_feature_is_kept(officers):
    before, listed, raw_before = parts(officers), features(officers), stored(officers)
    assert listed["notes"] == 1 and listed["sparklines"] == 1 and listed["data bars (2010)"] == 1
    assert listed["pictures"] == 1 and listed["charts"] == 1
    result = run("import-report", SEED, "--into", officers)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Wrote {officers}"
    after = parts(officers)
    assert features(officers) == listed
    changed = sorted(n for n in before if after[n] != before[n])
    raw_after = stored(officers)
    assert all(raw_after[n] == body for n, body in raw_before.items() if n not in changed)  # even compressed
    every = {sheet_part(officers, t): t for t in openpyxl.load_workbook(officers).sheetnames}
    sheets = {every[n]: n for n in changed if n in every}  # the sheets the report filled
    assert {"Assessment", "Scores", "Findings", "Key figures"} <= set(sheets)
    assert changed == sorted([*sheets.values(), "xl/styles.xml", "xl/tables/table1.xml"])
    for title, name in sheets.items():
        old, new = before[name].decode(), after[name].decode()
        outside = re.compile(r"<sheetData>.*</sheetData>|<dimension ref=\"[^\"]*\"/>", re.S)
        assert outside.sub("", old) == outside.sub("", new), title  # all the sheet's other XML, to the byte
        old_cells, new_cells = ({m[1]: m[0] for m in CELL.finditer(xml)} for xml in (old, new))
        kept = {ref: xml for ref, xml in old_cells.items() if "<v>" in xml or "<is>" in xml}
        assert all(new_cells[ref] == xml for ref, xml in kept.items()), title  # no cell that held a value touched


def test_the_filled_workbook_reads_back(officers):
    assert run("import-report", SEED, "--into", officers).exit_code == 0
    wb = openpyxl.load_workbook(officers)
    assert wb["Assessment"]["B2"].value == "Rotherham Metropolitan Borough Council"
    assert wb["Assessment"]["C2"].value == "Checked by the officer on Monday"  # the rich text, still there
    assert wb["Assessment"]["A2"].comment.text == "The council's name as on its letterhead"
    assert [wb["Scores"].cell(r, 8).value for r in range(2, 11)] == [3, 3, 2, 3, 3, 3, 3, 3, 3]
    published = next(r for r in range(2, 20) if wb["Assessment"].cell(r, 1).value == "Assessment published")
    cell = wb["Assessment"].cell(published, 2)
    assert cell.value.date().isoformat() == "2026-03-20" and cell.number_format == "dd/mm/yyyy"
    findings = wb["Findings"]
    assert findings["E2"].value == "The officer's own finding."
    assert findings.max_row == 2 + 195
    table = findings.tables["OfficersFindings"]
    assert table.ref == f"A1:G{findings.max_row}" and table.autoFilter.ref == table.ref  # the table grew
    assert run("validate", officers).exit_code == 0
    again = parts(officers)
    result = run("import-report", SEED, "--into", officers)
    assert result.output.splitlines()[-1] == f"Nothing to add: {officers} is unchanged"
    assert parts(officers) == again


def test_the_filled_workbook_passes_the_office_schemas(officers):
    """openxml-audit finds nothing in the filled workbook that it did not find in the officer's."""
    from openxml_audit import OpenXmlValidator

    def problems(path):
        return {re.sub(r"\d+ inline-string", "N inline-string", str(e)) for e in OpenXmlValidator().validate(
            str(path)).errors}

    before = problems(officers)
    assert run("import-report", SEED, "--into", officers).exit_code == 0
    assert problems(officers) <= before | {e for e in problems(officers) if "inline-string cell" in e}


# --- report text is text --------------------------------------------------------------------------------

def formula_like_report(tmp_path: Path) -> Path:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(CHANGED_LINE))
    lines[at] = '=HYPERLINK("http://example.invalid/x","see") ' + lines[at]
    lines[at + 2] = "+44 " + lines[at + 2]
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["--into", "--out"])
def test_report_text_is_never_a_formula(tmp_path, how):
    report = formula_like_report(tmp_path)
    book = officers_workbook(tmp_path / "wb.xlsx") if how == "--into" else tmp_path / "wb.xlsx"
    assert run("import-report", report, how, book).exit_code == 0
    sheets = b"".join(v for n, v in parts(book).items() if n.startswith("xl/worksheets/"))
    assert b"HYPERLINK" in b"".join(parts(book).values()) and b"<f>HYPERLINK" not in sheets
    values = [c.value for row in openpyxl.load_workbook(book)["Findings"].iter_rows() for c in row]
    assert any(str(v).startswith('=HYPERLINK("http://example.invalid/x","see") A person') for v in values)
    assert any(str(v).startswith("+44 ") for v in values)
    data = openpyxl.load_workbook(book, data_only=True)["Findings"]
    assert all(c.data_type != "f" for row in data.iter_rows() for c in row)


# --- refused, nothing written ----------------------------------------------------------------------------

def refused(book: Path, *lines: str) -> None:
    before = book.read_bytes()
    result = run("import-report", SEED, "--into", book)
    assert result.exit_code == 1
    assert result.output.splitlines() == list(lines)
    assert book.read_bytes() == before
    assert not [n for n in os.listdir(book.parent) if n.startswith(".cqcdocs")]


@pytest.mark.parametrize("program,lock", [("Excel", "~$officer.xlsx"), ("Excel", "~$ficer.xlsx"),
                                          ("LibreOffice", ".~lock.officer.xlsx#")])
def test_a_workbook_open_in_excel_or_libreoffice_is_refused(officers, program, lock):
    (officers.parent / lock).write_text("someone")
    refused(officers, f"Error: officer.xlsx: is open in {program} ({lock} is beside it): close it first (if "
                      f"{program} is not running, delete {lock}); nothing written")


def test_a_read_only_workbook_is_refused_and_stays_read_only(officers):
    officers.chmod(0o444)
    refused(officers, "Error: officer.xlsx: is read-only, so it is left as it is (make it writable if it should be "
                      "filled in); nothing written")
    assert officers.stat().st_mode & 0o777 == 0o444


def test_a_sheet_the_workbook_lacks_is_added_after_the_others(officers):
    """Key figures is optional: a workbook without it gets it, after its other sheets, with its headers."""
    package = parts(officers)
    workbook = package["xl/workbook.xml"].decode()
    package["xl/workbook.xml"] = re.sub(r'<sheet name="Key figures"[^>]*/>', "", workbook).encode()
    with zipfile.ZipFile(officers, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in package.items():
            z.writestr(name, body)
    result = run("import-report", SEED, "--into", officers)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(officers)
    assert wb.sheetnames[-1] == "Key figures" and wb.sheetnames[:-1] == [
        t for t in blank_workbook().sheetnames if t != "Key figures"]
    ws = wb["Key figures"]
    assert [c.value for c in ws[1]][:5] == ["Measure", "Value", "Unit", "As at", "Source"] and ws["A1"].font.b
    added = int(re.search(r"Key figures (\d+) rows", result.output)[1])
    assert ws.max_row == 1 + added and ws["A2"].value == "Population (approximate)" and ws["B2"].value == 260000
    assert run("validate", officers).exit_code == 0
    after = parts(officers)
    assert all(after[n] == body for n, body in package.items()
               if n not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml")
               and not n.startswith(("xl/worksheets/sheet", "xl/tables/")))


def test_a_cell_inside_a_merged_area_or_a_formula_is_refused():
    book = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active.merge_cells("A1:B2")
    wb.active["D1"] = "=1+1"
    wb.save(book)
    with pytest.raises(Refused, match=r"^S!B2: is inside merged cells \(A1:B2\)$"):
        patch_package(book.getvalue(), [CellChange("S", 2, 2, "x")])
    with pytest.raises(Refused, match=r"^S!D1: holds a formula$"):
        patch_package(book.getvalue(), [CellChange("S", 1, 4, "x")])


# --- the file itself: mode, owner, attributes, links ---------------------------------------------------------

def test_mode_owner_and_extended_attributes_are_kept(officers):
    officers.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(officers, 4242, 4343)
    try:
        os.setxattr(officers, "user.sharepoint.etag", b'"{1D0A51B4},7"')
    except (OSError, AttributeError):
        pytest.skip("no extended attributes here")
    assert run("import-report", SEED, "--into", officers).exit_code == 0
    info = officers.stat()
    assert info.st_mode & 0o7777 == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (4242, 4343)
    assert os.getxattr(officers, "user.sharepoint.etag") == b'"{1D0A51B4},7"'
    assert openpyxl.load_workbook(officers)["Scores"]["H2"].value == 3


def test_a_link_is_followed_and_stays_a_link(officers, tmp_path):
    link = tmp_path / "elsewhere" / "link.xlsx"
    link.parent.mkdir()
    link.symlink_to(officers)
    result = run("import-report", SEED, "--into", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(officers)
    assert openpyxl.load_workbook(officers)["Scores"]["H2"].value == 3


# --- races ---------------------------------------------------------------------------------------------------

def _excel_saves(book: Path, same_size_and_time: bool = False):
    """An officer saving BOOK in Excel (a new file renamed over it), or a program rewriting it in place with
    the same size and modification time."""
    def save(step: str) -> None:
        if step != "written":
            return
        data = bytearray(book.read_bytes())
        if same_size_and_time:
            info = book.stat()
            data[-30] ^= 1  # the zip's end record: a byte changed, the size the same
            book.write_bytes(bytes(data))
            os.utime(book, ns=(info.st_atime_ns, info.st_mtime_ns))
        else:
            wb = openpyxl.load_workbook(book)
            wb["Assessment"]["B2"] = "The officer's own words"
            wb.save(book.with_name("excel-tmp"))
            os.replace(book.with_name("excel-tmp"), book)
        save.saved = book.read_bytes()
    return save


@pytest.mark.parametrize("same_size_and_time", [False, True], ids=["saved", "rewritten-in-place"])
def test_a_save_during_the_import_is_refused_and_kept(officers, monkeypatch, same_size_and_time):
    save = _excel_saves(officers, same_size_and_time)
    monkeypatch.setattr(into_module, "_step", save)
    result = run("import-report", SEED, "--into", officers)
    assert result.exit_code == 1
    assert result.output.splitlines() == ["Error: officer.xlsx changed while importing; nothing written, run it "
                                          "again"]
    assert officers.read_bytes() == save.saved  # the officer's save, whole
    assert not [n for n in os.listdir(officers.parent) if n.startswith(".cqcdocs")]


SLOW_IMPORT = """
import sys, time
import cqcdocs.report_import.into as into
into._step = lambda step: time.sleep(1.5) if step == "read" else None
from cqcdocs.cli import main
main(sys.argv[1:])
"""


def test_two_imports_at_once_both_land(officers, tmp_path):
    """Two officers import at the same moment (each import slowed between reading and writing): the second
    waits for the first and reads what it wrote, so neither's rows are lost."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(CHANGED_LINE))
    lines[at] = lines[at].replace(" told us staff had ", " told us workers had ")
    second = tmp_path / "second.txt"
    second.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [subprocess.Popen([sys.executable, "-c", SLOW_IMPORT, "import-report", str(report), "--into",
                              str(officers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for report in (SEED, second)]
    done = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], done
    assert all(out.splitlines()[-1] == f"Wrote {officers}" for out, _ in done)
    findings = [c.value for c in openpyxl.load_workbook(officers)["Findings"]["E"]]
    assert sum(" told us staff had " in str(f) for f in findings) == 1  # each officer's version is there
    assert sum(" told us workers had " in str(f) for f in findings) == 1


def test_a_value_is_never_replaced_even_if_asked(officers):
    """The guard under `fill`'s rule: a change to a cell that holds a value is refused, nothing written."""
    wb = openpyxl.load_workbook(officers)
    before = into_module.snapshot(wb)
    wb["Assessment"]["A2"] = "Council (the officer's label)"
    with pytest.raises(Refused, match=r"^Assessment!A2: holds 'Council', which would be replaced$"):
        into_module.changes_since(before, wb)


def test_tables_grow_or_are_refused_by_name():
    import xlsxwriter

    def book(totals: bool) -> bytes:
        data = io.BytesIO()
        wb = xlsxwriter.Workbook(data)
        ws = wb.add_worksheet("S")
        ws.add_table("A1:B3", {"name": "Plan", "total_row": totals, "columns": [{"header": "A"}, {"header": "B"}]})
        ws.add_table("A6:B7", {"name": "Below", "columns": [{"header": "C"}, {"header": "D"}]})
        wb.close()
        return data.getvalue()

    rows = [CellChange("S", 4, 1, "x"), CellChange("S", 4, 2, 1)]
    grown = openpyxl.load_workbook(io.BytesIO(patch_package(book(False), rows)))["S"].tables["Plan"]
    assert grown.ref == "A1:B4" and grown.autoFilter.ref == "A1:B4"
    with pytest.raises(Refused, match=r"^S: the table 'Plan' has a totals row, so rows cannot be added under it$"):
        patch_package(book(True), rows)
    with pytest.raises(Refused, match=r"^S: the table 'Plan' would grow into the table 'Below'$"):
        patch_package(book(False), [CellChange("S", r, 1, "x") for r in (4, 5, 6)])


def test_libreoffice_opens_the_filled_workbook(officers, to_pdf, pdf_text):
    """A real office program reads the edited package: the officer's rich text beside the report's values."""
    assert run("import-report", SEED, "--into", officers).exit_code == 0
    text, pages = pdf_text(to_pdf(officers))
    assert pages > 3
    for said in ("Council     Rotherham", "Checked by the officer on Monday", "Yorkshire and the Humber",
                 "The officer's own finding.", "Population 260,000 people"):  # (narrow columns cut the rest)
        assert said in text, said


def test_what_is_not_a_workbook_file_is_one_line(tmp_path):
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    for name, said in [("missing.xlsx", "file not found"), ("dangling.xlsx", "file not found"),
                       ("folder.xlsx", "is a folder, not a workbook")]:
        result = run("import-report", SEED, "--into", tmp_path / name)
        assert (result.exit_code, result.output) == (1, f"Error: {name}: {said}\n")
    assert sorted(os.listdir(tmp_path)) == ["dangling.xlsx", "folder.xlsx"]


def test_dates_in_a_1904_workbook(tmp_path):
    from datetime import date, datetime

    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    data = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.title = "S"
    wb.save(data)
    out = openpyxl.load_workbook(io.BytesIO(patch_package(data.getvalue(), [CellChange("S", 1, 1, date(2026, 3, 20),
                                                                                        "dd/mm/yyyy")])))
    assert out["S"]["A1"].value == datetime(2026, 3, 20) and out["S"]["A1"].number_format == "dd/mm/yyyy"


KILLED_IMPORT = """
import os, signal, sys
import cqcdocs.report_import.into as into
into._step = lambda step: os.kill(os.getpid(), signal.SIGKILL) if step == sys.argv[1] else None
from cqcdocs.cli import main
main(sys.argv[2:])
"""


@pytest.mark.parametrize("step", ["read", "patched", "written"])
def test_a_killed_import_leaves_the_workbook_whole(officers, step):
    """Killed at any step (SIGKILL: no clean-up runs), the workbook is exactly as it was; the next import
    removes what the killed one left and fills it."""
    before = officers.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    killed = subprocess.run([sys.executable, "-c", KILLED_IMPORT, step, "import-report", str(SEED), "--into",
                             str(officers)], capture_output=True, text=True, env=env, timeout=120)
    assert killed.returncode == -9
    assert officers.read_bytes() == before
    result = run("import-report", SEED, "--into", officers)
    assert result.exit_code == 0 and result.output.splitlines()[-1] == f"Wrote {officers}"
    assert sorted(os.listdir(officers.parent)) == ["officer.xlsx"]


def test_a_chart_sheet_is_kept_and_not_taken_for_a_new_sheet(tmp_path):
    import xlsxwriter

    path = tmp_path / "officer.xlsx"
    blank = blank_workbook()
    book = xlsxwriter.Workbook(str(path))
    for source in blank.worksheets:
        ws = book.add_worksheet(source.title)
        for row in source.iter_rows():
            for cell in row:
                if cell.value is not None:
                    ws.write(cell.row - 1, cell.column - 1, cell.value)
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"values": "=Scores!$H$2:$H$10"})
    book.add_chartsheet("Scores chart").set_chart(chart)
    book.close()
    names = list(parts(path))
    result = run("import-report", SEED, "--into", path)
    assert result.exit_code == 0, result.output
    assert list(parts(path)) == names and openpyxl.load_workbook(path).sheetnames[-1] == "Scores chart"


def test_a_protected_sheet_is_refused_by_name(tmp_path):
    wb = blank_workbook()
    wb["Scores"].protection.sheet = True
    book = tmp_path / "officer.xlsx"
    wb.save(book)
    refused(book, "Scores: the sheet is protected; unprotect it in Excel (Review > Unprotect Sheet) to let cqcdocs "
                  "fill it",
            "Error: officer.xlsx: cannot be filled in without changing what is there already; nothing written")


def test_a_value_for_merged_cells_is_refused_by_name(tmp_path):
    wb = blank_workbook()
    wb["Assessment"].merge_cells("B3:B4")  # Short name and Region's values merged by the officer
    book = tmp_path / "officer.xlsx"
    wb.save(book)
    refused(book, "Assessment!B4: is inside merged cells (B3:B4)",
            "Error: officer.xlsx: cannot be filled in without changing what is there already; nothing written")


@pytest.mark.parametrize("raw", [True, False], ids=["stored-as-is", "rewritten"])
def test_a_zip64_package_is_filled_too(monkeypatch, raw):
    """A package with Zip64 records (large workbooks): entries copied as stored, or, where the copy cannot
    (Zip64 sizes in the central directory), rewritten by zipfile part by part, every part unchanged."""
    from cqcdocs.report_import import rezip

    if not raw:
        monkeypatch.setattr(rezip, "_copy_raw", lambda *args: None)
    data = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.save(data)
    big = io.BytesIO()
    with zipfile.ZipFile(data) as z, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            with out.open(info.filename, "w", force_zip64=True) as f:
                f.write(z.read(info))
    patched = patch_package(big.getvalue(), [CellChange("S", 2, 2, "=not a formula")])
    with zipfile.ZipFile(big) as z, zipfile.ZipFile(io.BytesIO(patched)) as new:
        assert new.testzip() is None and new.namelist() == z.namelist()
        assert all(new.read(n) == z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml")
    assert openpyxl.load_workbook(io.BytesIO(patched))["S"]["B2"].value == "=not a formula"


def test_a_workbook_libreoffice_saved_is_filled(officers, soffice, tmp_path):
    """LibreOffice stores its zip entries with data descriptors and UTF-8 names: copied as stored too."""
    import uuid

    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(tmp_path / "lo"), str(officers)], capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    book = tmp_path / "lo" / "officer.xlsx"
    with zipfile.ZipFile(book) as z:
        assert any(i.flag_bits & 0x08 for i in z.infolist())
    before, raw_before = parts(book), stored(book)
    result = run("import-report", SEED, "--into", book)
    assert result.exit_code == 0, result.output
    after, raw_after = parts(book), stored(book)
    assert list(after) == list(before)
    assert all(raw_after[n] == raw_before[n] for n in before if after[n] == before[n])
    assert run("validate", book).exit_code == 0


def _with_sheet_xml(change) -> bytes:
    """A one-sheet package ("S") whose sheet XML is CHANGE(xml)."""
    data = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "S"
    wb.active["A1"], wb.active["A3"] = 1, 3
    wb.save(data)
    with zipfile.ZipFile(data) as z:
        package = {i.filename: z.read(i) for i in z.infolist()}
    package["xl/worksheets/sheet1.xml"] = change(package["xl/worksheets/sheet1.xml"].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in package.items():
            z.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize("change,reason", [
    (lambda x: x.replace('<c r="A1" t="n"><v>1</v></c>',
                         '<c r="A1"><f t="shared" ref="A1:A3" si="0">1</f><v>1</v></c>'),
     "S!A2: is inside a formula's range (A1:A3)"),
    (lambda x: x.replace('<row r="1">', '<row>'),
     "S: its rows are not numbered, so cqcdocs cannot tell where a value goes"),
    (lambda x: re.sub(r'<row r="1">(.*?)</row>(<row r="3">.*?</row>)', r'\2<row r="1">\1</row>', x),
     "S: its rows are out of order"),
])
def test_sheet_xml_the_patcher_will_not_guess_at(change, reason):
    with pytest.raises(Refused) as caught:
        patch_package(_with_sheet_xml(change), [CellChange("S", 2, 1, "x")])
    assert caught.value.reason == reason
