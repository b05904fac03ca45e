"""Hostile input, built entirely in code: files that are not workbooks, broken sheets, wrong types in every
kind of cell, formulas, characters Word cannot hold, very long and right-to-left text, path-like council
names, a very large workbook, and a fuzz of random cell values.

Every case pins the exact message and its place. Invalid input must end as messages (never a traceback)
and write nothing into --out.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference

from cqcdocs.cli import main
from cqcdocs.load import MAX_TEXT, read
from cqcdocs.model import Message

sys.path.insert(0, str(Path(__file__).parent))
from workbook_factory import ASSESSMENT_ROW, COLUMNS, build, make, save  # noqa: E402

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RETRY = "open the workbook in Excel (or LibreOffice) and save it, so the result is stored"


# --- helpers ----------------------------------------------------------------------------------------

def run(*args):
    """The CLI; catch_exceptions=False so that a traceback fails the test instead of passing as exit 1."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def lines(path) -> tuple[bool, list[str]]:
    """(a model came back, every message as the CLI prints it: "place: text" / "place: warning: text")."""
    model, messages = read(path)
    assert all(isinstance(m, Message) and m.place for m in messages)
    return model is not None, [m.line() for m in messages]


def files_under(folder: Path) -> list[str]:
    """Every file below FOLDER (hidden and temporary ones too), relative, sorted; [] if it does not exist."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_brief_refuses(path: Path, out: Path, problems: list[str], verdict: str) -> None:
    """`brief` prints PROBLEMS then the verdict, exits 1 and writes nothing, in --out or anywhere else."""
    before = files_under(out.parent)
    result = run("brief", path, "--out", out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [*problems, f"Error: {path.name}: not valid ({verdict}); nothing written"]
    assert files_under(out) == []
    assert files_under(out.parent) == before


def docx_text(path: Path) -> str:
    """All the text of a .docx, body (tables included), headers and footers, one paragraph a line."""
    document = docx.Document(str(path))
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for part in parts for p in part.iter(qn("w:p")))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal, well-formed OLE compound file holding STREAMS: the container of an .xls, of a
    password-protected .xlsx and of a vbaProject.bin. Version 3 (512-byte sectors); each stream is padded
    to 4,096 bytes so it lives in ordinary sectors and no mini stream is needed."""
    sector, end, free, fat_sector, none = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    bodies = [data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for data in streams.values()]
    fat, starts = [fat_sector, end], []  # sector 0 holds the FAT, sector 1 the directory
    for body in bodies:
        starts.append(len(fat))
        count = len(body) // sector
        fat += [starts[-1] + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128 and len(streams) <= 3
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, right: int = none, child: int = none, start: int = end, size: int = 0) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, none, right, child, b"\0" * 16,
                           0, 0, 0, start, size)

    names = list(streams)
    directory = entry("Root Entry", 5, child=1 if names else none)
    for i, name in enumerate(names, start=1):
        directory += entry(name, 2, right=i + 1 if i < len(names) else none, start=starts[i - 1],
                           size=len(streams[name]))
    directory = directory.ljust(sector, b"\0")
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", OLE, b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0,
                         4096, end, 0, end, 0) + struct.pack("<109I", 0, *[free] * 108)
    return header + struct.pack("<128I", *fat) + directory + b"".join(bodies)


def rewrite(path: Path, change) -> Path:
    """Rewrite the package at PATH: CHANGE(name, bytes) returns the new bytes (None drops the part); it is
    also called once as CHANGE(None, None) and may return {name: bytes} to add parts."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                z.writestr(info, data)
        for name, data in (change(None, None) or {}).items():
            z.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def sheet_part(path: Path, title: str) -> str:
    """The package part holding sheet TITLE, from workbook.xml and its relationships."""
    z = zipfile.ZipFile(path)
    rid = re.search(rb'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(title.encode()),
                    z.read("xl/workbook.xml"))[1]
    target = re.search(rb'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid,
                       z.read("xl/_rels/workbook.xml.rels"))[1].decode()
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def set_cells_xml(path: Path, sheet: str, cells: dict[str, str]) -> Path:
    """Replace cells of SHEET with raw SpreadsheetML, as Excel would have saved them ({"C2": "<c …/>"})."""
    part = sheet_part(path, sheet)

    def change(name, data):
        if name != part:
            return data if name else None
        for ref, xml in cells.items():
            data, n = re.subn(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode(), xml.encode(), data, count=1,
                              flags=re.S)
            assert n == 1, ref
        return data

    return rewrite(path, change)


def with_macros(path: Path) -> Path:
    """Make the factory workbook at PATH macro-enabled as Excel saves an .xlsm: a vbaProject.bin part with an
    auto-run macro, its relationship, and the macro-enabled content type."""
    vba = compound_file({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n',
                         "Module1": b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\n    Shell "calc.exe"\r\n'
                                    b'End Sub\r\n'})

    def change(name, data):
        if name is None:
            return {"xl/vbaProject.bin": vba}
        if name == "[Content_Types].xml":
            data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            return data.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.'
                                              b'vbaProject"/><Default ', 1)
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/'
                                                     b'office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                                     b"</Relationships>")
        return data

    return rewrite(path, change)


# --- files that are not workbooks -------------------------------------------------------------------

def _text(p): p.write_text("Council: Testshire\nScores: see attached\n", encoding="utf-8")
def _csv(p): p.write_text("Theme,Quality statement,People's experience\nLeadership,Governance,3\n", encoding="utf-8")
def _xls(p): p.write_bytes(compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 12}))
def _bare_ole(p): p.write_bytes(OLE + b"\0" * 504)
def _encrypted(p): p.write_bytes(compound_file({
    "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00<?xml version=\"1.0\"?><encryption xmlns=\"http://schemas."
                      b"microsoft.com/office/2006/encryption\"/>",
    "EncryptedPackage": bytes(range(256)) * 16}))
def _truncated(p): data = make(p.with_suffix(".full")).read_bytes(); p.write_bytes(data[:len(data) // 2])
def _empty(p): p.write_bytes(b"")
def _folder(p): p.mkdir()
def _missing(p): pass
def _html(p): p.write_text("<html><body><table><tr><td>Scores</td></tr></table></body></html>", encoding="utf-8")
def _binary(p): p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)


def _docx(p):
    document = docx.Document()
    document.add_paragraph("Scores: see the attached workbook")
    document.save(str(p))


def _ods(p):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                                  'office:1.0"/>')
        z.writestr("META-INF/manifest.xml", "<manifest/>")


def _zip(p):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("scores.csv", "Theme,Score\n")


def _lock(p):
    # Excel's owner file: the user name, length-prefixed, padded to 162 bytes.
    p.write_bytes((b"\x09A. Officer").ljust(54, b" ") + b"\0" * 108)


NOT_WORKBOOKS = [
    ("text.xlsx", _text, "is a text file, not an Excel workbook (.xlsx)"),
    ("scores.csv", _csv, "is a CSV file, not a workbook: cqcdocs needs the .xlsx with all its sheets"),
    ("scores.xlsx", _csv, "is a CSV file, not a workbook: cqcdocs needs the .xlsx with all its sheets"),
    ("old.xls", _xls, "is an old Excel 97-2003 (.xls) file: open it in Excel and save as .xlsx"),
    ("renamed.xlsx", _bare_ole, "is an old Excel 97-2003 (.xls) file: open it in Excel and save as .xlsx"),
    ("locked.xlsx", _encrypted, "is password-protected (encrypted): remove the password in Excel (File > Info) "
                                "and save it"),
    ("truncated.xlsx", _truncated, "is damaged: the .xlsx package is incomplete (perhaps cut short while "
                                   "copying); open it in Excel to repair it, or use a backup"),
    ("empty.xlsx", _empty, "is empty (0 bytes): it is not a workbook"),
    ("folder.xlsx", _folder, "is a folder, not a workbook"),
    ("missing.xlsx", _missing, "file not found"),
    ("letter.xlsx", _docx, "is a Word document, not a workbook"),
    ("calc.xlsx", _ods, "is an OpenDocument spreadsheet (.ods): open it in Excel or LibreOffice and save as .xlsx"),
    ("archive.xlsx", _zip, "is a zip file but not an Excel workbook (.xlsx): it has no workbook inside"),
    ("page.xlsx", _html, "is a web page saved with a spreadsheet name, not a workbook: open it in Excel and save "
                         "as .xlsx"),
    ("picture.xlsx", _binary, "is not an Excel workbook (.xlsx): it is another kind of file"),
    ("~$council.xlsx", _lock, "is the lock file Excel keeps while a workbook is open, not the workbook: use "
                              "'council.xlsx'"),
]


@pytest.mark.parametrize("name, write, message", NOT_WORKBOOKS, ids=[c[0] for c in NOT_WORKBOOKS])
def test_a_file_that_is_not_a_workbook_is_named_and_nothing_is_written(tmp_path, name, write, message):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    write(path)
    assert lines(path) == (False, [f"{name}: {message}"])
    assert_brief_refuses(path, tmp_path / "out", [f"{name}: {message}"], "1 error")
    result = run("validate", path)
    assert (result.exit_code, result.output) == (1, f"{name}: {message}\n{name}: not valid (1 error)\n")


def test_the_compound_file_helper_makes_what_the_loader_sniffs():
    """The hand-built OLE files are real compound files: signature, 512-byte sectors, named streams."""
    data = compound_file({"EncryptionInfo": b"x", "EncryptedPackage": b"y"})
    assert data[:8] == OLE and len(data) == 512 * 3 + 2 * 4096
    assert "EncryptionInfo".encode("utf-16-le") in data[1024:1536]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/big.bin", "w", force_zip64=True) as f:
        for _ in range(17):
            f.write(bytes(1 << 24))  # 272 MB of zeros, a few hundred KB packed
    assert path.stat().st_size < 2**20
    assert lines(path) == (False, ["bomb.xlsx: is too large to be a source workbook (272 MB unpacked; the limit is "
                                   "256 MB)"])


def test_a_damaged_sheet_inside_a_sound_package(tmp_path):
    path = make(tmp_path / "damaged.xlsx")
    part = sheet_part(path, "Scores")
    rewrite(path, lambda name, data: (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                      b"<sheetData>") if name == part else data if name else None)
    assert lines(path) == (False, ["damaged.xlsx: is damaged and cannot be read as an Excel workbook (ParseError: "
                                   "no element found: line 1, column 88)"])


# --- macros -----------------------------------------------------------------------------------------

def test_an_xlsm_with_macros_is_read_for_its_values_and_its_macros_never_run(tmp_path):
    (tmp_path / "in").mkdir()
    path = with_macros(make(tmp_path / "in" / "council.xlsm", council="Macroshire Council"))
    assert "xl/vbaProject.bin" in zipfile.ZipFile(path).namelist()
    assert openpyxl.load_workbook(path, keep_vba=True).vba_archive is not None  # a real macro workbook
    source = path.read_bytes()
    model, messages = read(path)
    assert [m.line() for m in messages] == [
        "council.xlsm: warning: contains macros: cqcdocs reads the values only and never runs them"]
    assert model.assessment.council == "Macroshire Council" and len(model.findings) == 12

    out = tmp_path / "out"
    result = run("brief", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "council.xlsm: warning: contains macros: cqcdocs reads the values only and never runs them")
    assert files_under(out) == ["macroshire-cqc-annex.xlsx", "macroshire-cqc-briefing.docx"]
    # Nothing executed or carried along: the source is untouched, the outputs hold no macro part.
    assert path.read_bytes() == source
    assert files_under(tmp_path / "in") == ["council.xlsm"]
    for written in out.iterdir():
        assert not any("vba" in n.lower() for n in zipfile.ZipFile(written).namelist())


# --- sheets and headers -------------------------------------------------------------------------------

ALL_SHEETS = ("'Assessment', 'Scores', 'Findings', 'Governance', 'Key dates', 'Next steps', 'Survey', "
              "'Benchmarks', 'Metrics', 'Actions', 'Recommendations', 'Key figures', 'Section text'")


def test_a_missing_sheet(tmp_path):
    wb = build()
    del wb["Governance"]
    path = save(wb, tmp_path / "w.xlsx")
    problem = ("Governance: sheet 'Governance' is missing (the workbook has " +
               ALL_SHEETS.replace("'Governance', ", "") + ")")
    assert lines(path) == (False, [problem])
    assert_brief_refuses(path, tmp_path / "out", [problem], "1 error")


def test_missing_columns(tmp_path):
    wb = build()
    wb["Findings"].delete_cols(4, 2)  # Section, Finding
    wb["Governance"].delete_cols(2)  # Date
    path = save(wb, tmp_path / "w.xlsx")
    assert lines(path) == (False, ["Findings!1:1: missing columns 'Section', 'Finding'",
                                   "Governance!1:1: missing column 'Date'"])


def test_a_sheet_with_no_header_row(tmp_path):
    wb = build()
    wb["Key dates"].delete_rows(1)
    wb["Key dates"].insert_rows(1, 10)
    wb["Key dates"]["A1"] = "Our key dates"
    assert lines(save(wb, tmp_path / "w.xlsx")) == (
        False, ["Key dates: no header row found; expected columns Milestone, Date"])


def test_headers_in_row_3_are_found_and_places_follow_them(tmp_path):
    wb = build()
    for name in ("Scores", "Findings"):
        wb[name].insert_rows(1, 2)
        wb[name]["A1"] = f"{name} from the CQC report"
    wb["Scores"]["C4"] = "three"  # the first statement's People's experience, two rows lower
    ok, messages = lines(save(wb, tmp_path / "w.xlsx"))
    assert (ok, messages) == (False, ["Scores!C4: score must be a whole number 1–4, got 'three'"])
    wb["Scores"]["C4"] = 2
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert messages == [] and len(model.findings) == 12
    assert model.findings[0].place == "Findings!4:4" and model.scores[0].place == "Scores!B4"


def test_merged_header_cells_read_as_excel_shows_them(tmp_path):
    """A two-row header: a banner merged across the evidence categories, the other names merged down."""
    wb = build()
    ws = wb["Scores"]
    ws.insert_rows(1)
    for c in "ABHIJ":
        ws[f"{c}1"], ws[f"{c}2"] = ws[f"{c}2"].value, None
        ws.merge_cells(f"{c}1:{c}2")
    ws["C1"] = "Evidence categories"
    ws.merge_cells("C1:G1")
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert messages == []
    assert model.scores[0].place == "Scores!B3"
    assert model.scores[0].categories == {"People's experience": 2, "Feedback from staff and leaders": 3,
                                          "Processes": 3, "Feedback from partners": 2}


def test_a_theme_merged_down_a_block_of_findings_applies_to_every_row(tmp_path):
    wb = build()
    wb["Findings"].merge_cells("B5:B7")  # 'Providing support' over rows 5-7; row 7's statement is safety's
    assert lines(save(wb, tmp_path / "w.xlsx")) == (False, [
        "Findings!C7: 'Safe pathways, systems and transitions' belongs to theme 3 (Ensuring safety), not "
        "'Providing support'"])


def test_a_column_name_typed_twice_is_read_from_the_first(tmp_path):
    wb = build(cells={"Findings!H1": "finding", "Findings!H2": "a note the officer meant as the finding"})
    model, messages = read(save(wb, tmp_path / "twice.xlsx"))
    assert [m.line() for m in messages] == [
        "Findings!H1: warning: a second 'Finding' column: only the first, column E, is read"]
    assert model.findings[0].text.startswith("Finding 1: ")
    wb = build()
    wb["Findings"].merge_cells("E1:F1")  # one header over two columns is not a second column
    model, messages = read(save(wb, tmp_path / "merged.xlsx"))
    assert messages == [] and model.findings[0].text.startswith("Finding 1: ")


def test_hidden_rows_are_read_with_a_warning(tmp_path):
    wb = build()
    wb["Findings"].row_dimensions[3].hidden = True
    for r in (2, 4, 5, 6, 7):  # row 7 is blank: not read, so not reported
        wb["Actions"].row_dimensions[r].hidden = True
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert [m.line() for m in messages] == [
        "Findings!3:3: warning: row is hidden in Excel; it is read like any other row",
        "Actions: warning: rows 2, 4–6 are hidden in Excel; they are read like any other row"]
    assert len(model.findings) == 12 and len(model.actions) == 5


def test_hidden_sheets_and_columns_are_read_with_a_warning(tmp_path):
    wb = build()
    wb["Findings"].column_dimensions["F"].hidden = True
    wb["Metrics"].column_dimensions.group("B", "C", hidden=True)
    wb["Survey"].sheet_state = "hidden"
    wb.create_sheet("Workings").sheet_state = "veryHidden"  # not a contract sheet: nothing to say
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert [m.line() for m in messages] == [
        "Findings!F:F: warning: column 'Service area' is hidden in Excel; it is read like any other column",
        "Survey: warning: sheet is hidden in Excel; it is read like any other sheet",
        "Metrics!B:B: warning: column 'Source' is hidden in Excel; it is read like any other column",
        "Metrics!C:C: warning: column 'Council value' is hidden in Excel; it is read like any other column"]
    assert model.findings[0].service_area == "Front door" and len(model.survey) == 2


def test_extra_sheets_columns_and_fields_are_ignored(tmp_path):
    wb = build()
    notes = wb.create_sheet("Notes", 0)
    notes["A1"], notes["B2"] = "Officer's scribbles", "=1/0"
    wb["Findings"]["H1"], wb["Findings"]["H2"] = "My comments", "check with Sam"
    wb["Scores"]["L1"], wb["Scores"]["L2"] = "Working", "=C2+D2"  # a formula with no saved value, not ours
    wb["Scores"]["AZ300"] = "stray"
    wb["Assessment"].append(["Officer's note", "not a contract field"])
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert messages == []
    assert len(model.findings) == 12 and model.scores[0].categories["People's experience"] == 2


def test_a_stray_value_in_the_last_cell_of_the_sheet_is_cheap(tmp_path):
    wb = build()
    wb["Findings"]["XFD1048576"] = "stray"
    model, messages = read(save(wb, tmp_path / "w.xlsx"))
    assert messages == [] and len(model.findings) == 12


def test_a_merge_of_whole_columns_is_refused_before_openpyxl_hangs(tmp_path):
    path = make(tmp_path / "w.xlsx")
    part = sheet_part(path, "Findings")
    rewrite(path, lambda name, data: data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell '
                                                  b'ref="H1:XFD1048576"/></mergeCells>')
            if name == part else data if name else None)
    assert lines(path) == (False, ["Findings: merged cells cover 17,172,529,152 cells: unmerge whole rows or "
                                   "columns in Excel and save it"])


def _chart_sheet(wb, title):
    sheet = wb.create_chartsheet(title)
    chart = BarChart()
    chart.add_data(Reference(wb["Benchmarks"], min_col=4, min_row=1, max_row=4), titles_from_data=True)
    sheet.add_chart(chart)


def test_a_chart_sheet_with_a_contract_name(tmp_path):
    wb = build()
    del wb["Survey"]
    _chart_sheet(wb, "Survey")
    model, messages = read(save(wb, tmp_path / "optional.xlsx"))
    assert [m.line() for m in messages] == ["Survey: warning: sheet 'Survey' is a chart, not a table; it is ignored"]
    assert model.survey == ()
    wb = build()
    del wb["Scores"]
    _chart_sheet(wb, "scores")
    assert lines(save(wb, tmp_path / "required.xlsx")) == (False, [
        "Scores: sheet 'scores' is a chart, not a table: put the Scores table on an ordinary sheet of that name"])


def test_a_scores_sheet_with_headers_only(tmp_path):
    wb = build()
    wb["Scores"].delete_rows(2, 9)
    assert lines(save(wb, tmp_path / "w.xlsx")) == (False, [
        "Scores: no quality statement is listed: add a row for each of CQC's nine and score at least one"])


# --- wrong types in every kind of cell ----------------------------------------------------------------

def A(field: str) -> str:
    return f"Assessment!B{ASSESSMENT_ROW[field]}"


QS_LIST = "use one of CQC's nine (see docs/workbook.md)"
THEME_LIST = "use Working with people, Providing support, Ensuring safety or Leadership"
DATE_FORMS = "date must be a date such as 14/05/2026, 14 May 2026 or May 2026"
WRONG = [
    # Scores: evidence categories, Score, Draft score, Published %
    ("Scores!C2", "three", ["Scores!C2: score must be a whole number 1–4, got 'three'"]),
    ("Scores!D3", 5, ["Scores!D3: score must be a whole number 1–4, got '5'"]),
    ("Scores!E4", 2.5, ["Scores!E4: score must be a whole number 1–4, got '2.5'"]),
    ("Scores!F5", 0, ["Scores!F5: score must be a whole number 1–4, got '0'"]),
    ("Scores!C6", "75%", ["Scores!C6: score must be a whole number 1–4, got '75%'"]),
    ("Scores!C6", True, ["Scores!C6: score must be a whole number 1–4, got 'TRUE'"]),
    ("Scores!D7", datetime(2026, 4, 1), ["Scores!D7: score must be a whole number 1–4, got the date 01/04/2026"]),
    ("Scores!H2", "good", ["Scores!H2: score must be a whole number 1–4, got 'good'"]),
    ("Scores!I3", 7, ["Scores!I3: score must be a whole number 1–4, got '7'"]),
    ("Scores!J4", "lots", ["Scores!J4: published % must be a number, got 'lots'"]),
    ("Scores!J5", "150%", ["Scores!J5: published % must be between 0% and 100%, got '150%'"]),
    ("Scores!J6", "72.5%", ["Scores!J6: published % must be a whole per cent (CQC rounds up), got '72.5%'"]),
    ("Scores!J7", 0.725, ["Scores!J7: published % must be a whole per cent (CQC rounds up), got '0.725' (read as "
                          "72.5%)"]),
    ("Scores!A8", "Ensuring quality", [f"Scores!A8: unknown theme 'Ensuring quality': {THEME_LIST}"]),
    ("Scores!A10", "Working with people", ["Scores!A10: 'Learning, improvement and innovation' belongs to theme 4 "
                                           "(Leadership), not 'Working with people'"]),
    ("Scores!B9", "Leadership capacity", [
        f"Scores!B9: unknown quality statement 'Leadership capacity': {QS_LIST}",
        "Scores: warning: quality statement 'Governance, management and sustainability' is not listed; treated "
        "as not assessed"]),
    ("Scores!B3", "Assessing needs", [
        "Scores!B3: quality statement 'Assessing needs' is listed twice (also Scores!B2)",
        "Scores: warning: quality statement 'Supporting people to lead healthier lives' is not listed; treated as "
        "not assessed"]),
    # Findings: Review, Theme, Quality statement, Section, Finding
    ("Findings!A2", None, ["Findings!A2: Review is required"]),
    ("Findings!B3", "Theme five", [f"Findings!B3: unknown theme 'Theme five': {THEME_LIST}"]),
    ("Findings!C4", "Wellbeing", [f"Findings!C4: unknown quality statement 'Wellbeing': {QS_LIST}"]),
    ("Findings!C5", "Safeguarding", ["Findings!C5: 'Safeguarding' belongs to theme 3 (Ensuring safety), not "
                                     "'Providing support'"]),
    ("Findings!D6", "Weakness", ["Findings!D6: section must be one of People's experience, Summary, Key strength, "
                                 "Area for development; got 'Weakness'"]),
    ("Findings!E7", "   ", ["Findings!E7: Finding is required"]),
    # Governance, Key dates, Next steps: dates
    ("Governance!B2", "31/02/2026", ["Governance!B2: '31/02/2026' is not a real date"]),
    ("Governance!B3", None, ["Governance!B3: Date is required"]),
    ("Governance!C3", "soon", [f"Governance!C3: {DATE_FORMS}, got 'soon'"]),
    ("Governance!C3", date(2026, 6, 1), ["Governance!C3: warning: paper deadline 01/06/2026 is after the meeting "
                                         "date 14/05/2026 (Governance!B3)"]),
    ("Key dates!B3", "29/02/2025", ["Key dates!B3: '29/02/2025' is not a real date"]),
    ("Key dates!C2", date(2025, 7, 1), ["Key dates!C2: end date 01/07/2025 is before the start date 14/07/2025 "
                                        "(Key dates!B2)"]),
    ("Next steps!B2", "next spring", [f"Next steps!B2: {DATE_FORMS}, got 'next spring'"]),
    ("Next steps!B2", 45000, [f"Next steps!B2: {DATE_FORMS}, got '45000'"]),
    # Survey, Benchmarks, Metrics: percentages, numbers, ratings, Y/N
    ("Survey!B2", "lots", ["Survey!B2: % positive must be a number, got 'lots'"]),
    ("Survey!B3", -5, ["Survey!B3: % positive must be between 0% and 100%, got '-5'"]),
    ("Benchmarks!D2", "72.5%", ["Benchmarks!D2: overall score % must be a whole per cent (CQC rounds up), got "
                                "'72.5%'"]),
    # Benchmarks!D is formatted as a percentage: Excel shows 0.725 as 73% (rounded) and 1.5 as 150%.
    ("Benchmarks!D3", 0.725, ["Benchmarks!D3: overall score % must be a whole per cent (CQC rounds up), got "
                              "'72.5%'"]),
    ("Benchmarks!D4", 1.5, ["Benchmarks!D4: overall score % must be between 0% and 100%, got '150%'"]),
    ("Benchmarks!E3", "Great", ["Benchmarks!E3: rating must be one of Inadequate, Requires improvement, Good, "
                                "Outstanding; got 'Great'"]),
    ("Benchmarks!F4", "yesterday", [f"Benchmarks!F4: {DATE_FORMS}, got 'yesterday'"]),
    ("Metrics!C2", "n/a", ["Metrics!C2: council value must be a number, got 'n/a'"]),
    ("Metrics!D3", "", ["Metrics!D3: England average is required"]),
    ("Metrics!F2", "maybe", ["Metrics!F2: higher is better must be Y or N, got 'maybe'"]),
    ("Metrics!H2", "Wellbeing", [f"Metrics!H2: unknown quality statement 'Wellbeing': {QS_LIST}"]),
    ("Benchmarks!H3", "guess", ["Benchmarks!H3: basis must be one or more of Published, Computed, Pilot, Secondary "
                                "(separated by ;), got 'guess'"]),
    # Key figures and Section text
    ("Key figures!B2", "about 1,000", ["Key figures!B2: value must be a number, got 'about 1,000'"]),
    ("Key figures!B3", None, ["Key figures!B3: Value is required"]),
    ("Key figures!D2", "31/02/2025", ["Key figures!D2: '31/02/2025' is not a real date"]),
    ("Key figures!F2", "Wellbeing", ["Key figures!F2: unknown theme or quality statement 'Wellbeing': use one of "
                                     "CQC's four themes or nine quality statements (see docs/workbook.md)"]),
    ("Section text!A2", "Freedom to Speak Up", [
        "Section text!A2: section must be one of Executive summary, Governance relating to the CQC outcome, "
        "Background, Key assessment dates, Overall scores, Summary of people's experiences, Summary of strengths "
        "and areas for development, Staff survey highlights, Key strengths, Areas for development, Key figures, "
        "Findings from peer reviews, Performance against the England average, Improvement plan actions, Next "
        "steps; got 'Freedom to Speak Up'"]),
    ("Section text!B3", "Middle", ["Section text!B3: position must be one of Before, After; got 'Middle'"]),
    ("Section text!C2", "", ["Section text!C2: Paragraph is required"]),
    # Actions: ref, theme, due, status
    ("Actions!A3", "A001", ["Actions!A3: action ref 'A001' is used twice (also Actions!A2)"]),
    ("Actions!B2", "Theme 9", [f"Actions!B2: unknown theme 'Theme 9': {THEME_LIST}"]),
    ("Actions!F4", "31/04/2026", ["Actions!F4: '31/04/2026' is not a real date"]),
    ("Actions!G5", "Done", ["Actions!G5: status must be one of Not started, On track, At risk, Off track, Complete; "
                            "got 'Done'"]),
    # Assessment fields
    (A("Council"), None, ["Assessment!B2: field 'Council' is required"]),
    ("Assessment!A3", "council", ["Assessment!A3: field 'Council' is given twice (also Assessment!A2)"]),
    (A("Assessment published"), "2026-13-01", ["Assessment!B6: '2026-13-01' is not a real date"]),
    (A("Report date"), "tomorrow", [f"Assessment!B8: {DATE_FORMS}, got 'tomorrow'"]),
    (A("Published overall rating"), "Excellent", [
        "Assessment!B12: published overall rating must be one of Inadequate, Requires improvement, Good, "
        "Outstanding; got 'Excellent'"]),
    (A("Published overall score %"), "lots", ["Assessment!B13: published overall score must be a number, got 'lots'"]),
    ("Assessment!B14", "maybe", ["Assessment!B14: key decision must be Y or N, got 'maybe'"]),
]


@pytest.mark.parametrize("cell, value, expected", WRONG, ids=[f"{c}={v!r}" for c, v, _ in WRONG])
def test_a_wrong_value_is_named_at_its_cell(tmp_path, cell, value, expected):
    wb = build(cells={cell: value})
    if cell == "Assessment!B14":
        wb["Assessment"]["A14"] = "Key decision"
    ok, messages = lines(save(wb, tmp_path / "w.xlsx"))
    assert messages == expected
    assert ok == all(": warning: " in m for m in expected)


def test_brief_and_validate_list_every_wrong_cell_and_write_nothing(tmp_path):
    cells = {"Scores!C2": "three", "Findings!D6": "Weakness", "Governance!B2": "31/02/2026", "Survey!B2": "lots",
             "Metrics!F2": "maybe", "Actions!G5": "Done"}
    wb = build(cells=cells)
    wb["Findings"].row_dimensions[4].hidden = True
    path = save(wb, tmp_path / "council.xlsx")
    problems = [
        "Scores!C2: score must be a whole number 1–4, got 'three'",
        "Findings!4:4: warning: row is hidden in Excel; it is read like any other row",
        "Findings!D6: section must be one of People's experience, Summary, Key strength, Area for development; "
        "got 'Weakness'",
        "Governance!B2: '31/02/2026' is not a real date",
        "Survey!B2: % positive must be a number, got 'lots'",
        "Metrics!F2: higher is better must be Y or N, got 'maybe'",
        "Actions!G5: status must be one of Not started, On track, At risk, Off track, Complete; got 'Done'"]
    assert_brief_refuses(path, tmp_path / "out", problems, "6 errors, 1 warning")
    result = run("validate", path)
    assert (result.exit_code, result.output.splitlines()) == (1, [*problems,
                                                                  "council.xlsx: not valid (6 errors, 1 warning)"])
    result = run("annex", path, "--out", tmp_path / "out")
    assert result.exit_code == 1 and files_under(tmp_path / "out") == []


# --- formulas ---------------------------------------------------------------------------------------

def test_a_formula_with_a_saved_value_is_read_as_the_value(tmp_path):
    path = make(tmp_path / "w.xlsx")
    set_cells_xml(path, "Scores", {"C2": '<c r="C2"><f>1+3</f><v>4</v></c>'})
    set_cells_xml(path, "Findings", {"E2": '<c r="E2" t="str"><f>"Joined "&amp;"up"</f><v>Joined up</v></c>'})
    model, messages = read(path)
    assert messages == []
    assert model.scores[0].categories["People's experience"] == 4 and model.findings[0].text == "Joined up"


def test_formulas_with_no_saved_value_are_errors_at_their_cells(tmp_path):
    # openpyxl saves formulas without results, as any program does; only Excel or LibreOffice calculate them.
    path = make(tmp_path / "w.xlsx", cells={"Scores!C2": "=1+2", "Findings!E3": '=A3&" & more"',
                                            "Metrics!C2": "=SUM(1,2)"})
    set_cells_xml(path, "Scores", {"D5": '<c r="D5"><f t="shared" ref="D5:D6" si="0">2+1</f></c>',
                                   "D6": '<c r="D6"><f t="shared" si="0"/></c>'})
    assert lines(path) == (False, [
        f"Scores!C2: formula '=1+2' has no saved value: {RETRY}",
        f"Scores!D5: formula '=2+1' has no saved value: {RETRY}",
        f"Scores!D6: formula has no saved value: {RETRY}",
        f"Findings!E3: formula '=A3&\" & more\"' has no saved value: {RETRY}",
        f"Metrics!C2: formula '=SUM(1,2)' has no saved value: {RETRY}"])


def test_cells_showing_excel_errors_are_errors_at_their_cells(tmp_path):
    path = make(tmp_path / "w.xlsx")
    set_cells_xml(path, "Scores", {"C2": '<c r="C2" t="e"><f>VLOOKUP(A2,Lists!A:B,2,FALSE)</f><v>#N/A</v></c>'})
    set_cells_xml(path, "Findings", {"E3": '<c r="E3" t="e"><v>#REF!</v></c>'})  # required: one message, not two
    set_cells_xml(path, "Survey", {"B2": '<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'})
    assert lines(path) == (False, [
        "Scores!C2: shows the Excel error #N/A: correct the formula or type the value",
        "Findings!E3: shows the Excel error #REF!: correct the formula or type the value",
        "Survey!B2: shows the Excel error #DIV/0!: correct the formula or type the value"])


# --- characters Word cannot hold ----------------------------------------------------------------------

# Excel stores characters XML cannot hold as _xHHHH_ escapes (openpyxl refuses the characters themselves):
# BEL, NUL, ESC, two lone surrogates and the non-character U+FFFE go; an escaped surrogate pair is a real
# character (😀) and stays; _x005F_ is Excel's escape for a typed underscore, so the text keeps "_x0007_".
HOSTILE = ("Bell_x0007_ rings _x0000_nul _x001B_esc _xD800_lone _xDFFF_ half_xFFFE_ pair _xD83D__xDE00_ "
           "typed _x005F_x0007_ **bold** end")
CLEANED = "Bell rings nul esc lone  half pair 😀 typed _x0007_ **bold** end"


def test_characters_word_cannot_hold_are_removed_with_a_warning(tmp_path):
    model, messages = read(make(tmp_path / "w.xlsx", finding_text=HOSTILE, findings=1,
                                cells={"Assessment!B2": "Test_x0007_shire Council"}))
    assert [m.line() for m in messages] == [
        "Assessment!B2: warning: removed 1 control or invalid character(s) that Word cannot hold",
        "Findings!E2: warning: removed 6 control or invalid character(s) that Word cannot hold"]
    assert model.findings[0].text == CLEANED and model.assessment.council == "Testshire Council"


def test_brief_succeeds_on_text_word_cannot_hold_and_the_briefing_is_clean(tmp_path):
    path = make(tmp_path / "w.xlsx", finding_text=HOSTILE, findings=4, short_name="Testshire")
    out = tmp_path / "out"
    result = run("brief", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        f"Findings!E{r}: warning: removed 6 control or invalid character(s) that Word cannot hold" for r in range(2, 6)]
    assert files_under(out) == ["testshire-cqc-annex.xlsx", "testshire-cqc-briefing.docx"]
    text = docx_text(out / "testshire-cqc-briefing.docx")
    assert "Bell rings nul esc lone  half pair 😀 typed _x0007_ bold end" in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", text)


# --- long and international text ----------------------------------------------------------------------

URDU = "روتھرہم کونسل نے بالغوں کی سماجی دیکھ بھال میں بہتری دکھائی"  # right to left
POLISH = "Łódź: zażółć gęślą jaźń – opieka społeczna dla dorosłych"


def test_a_ten_thousand_character_finding_is_kept_whole(tmp_path):
    words = " ".join(f"word{i}" for i in range(2000))[:10_000].rstrip()
    assert len(words) >= 9_990
    path = make(tmp_path / "w.xlsx", finding_text=words, findings=4, short_name="Testshire")
    out = tmp_path / "out"
    result = run("brief", path, "--out", out)
    assert (result.exit_code, result.output.splitlines()) == (0, [
        f"Wrote {out / 'testshire-cqc-briefing.docx'}", f"Wrote {out / 'testshire-cqc-annex.xlsx'}",
        "Accessibility check: 0 errors, 0 warnings"])
    assert words in docx_text(out / "testshire-cqc-briefing.docx")


def test_text_longer_than_an_excel_cell_is_cut_with_a_warning(tmp_path):
    # openpyxl (like Excel) will not save more than 32,767 characters; a hand-made file can hold more.
    path = make(tmp_path / "w.xlsx", finding_text="PLACEHOLDER", findings=1)
    rewrite(path, lambda name, data: data.replace(b">PLACEHOLDER<", b">" + b"x" * 40_000 + b"<") if name else None)
    model, messages = read(path)
    assert [m.line() for m in messages] == [
        "Findings!E2: warning: text cut to 32,767 characters, Excel's limit for a cell (it had 40,000)"]
    assert len(model.findings[0].text) == MAX_TEXT == 32_767


def test_urdu_and_polish_in_findings_and_council_names_reach_the_briefing(tmp_path):
    wb = build(council="Łódź City Council", short_name="Łódź", findings=4, finding_text=URDU,
               cells={"Findings!E3": POLISH, "Findings!E4": f"{URDU} (ASC) {POLISH}"})
    path = save(wb, tmp_path / "w.xlsx")
    model, messages = read(path)
    assert messages == [] and model.assessment.council == "Łódź City Council"
    out = tmp_path / "out"
    result = run("brief", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert files_under(out) == ["lodz-cqc-annex.xlsx", "lodz-cqc-briefing.docx"]
    text = docx_text(out / "lodz-cqc-briefing.docx")
    for expected in (URDU, POLISH, f"{URDU} (ASC) {POLISH}", "Łódź City Council"):
        assert expected in text

    urdu_council = "روتھرہم میٹروپولیٹن بورو کونسل"
    path = make(tmp_path / "urdu.xlsx", council=urdu_council, short_name="روتھرہم", findings=2)
    out = tmp_path / "out-urdu"
    result = run("brief", path, "--out", out)
    assert result.exit_code == 0, result.output
    assert files_under(out) == ["council-cqc-annex.xlsx", "council-cqc-briefing.docx"]
    assert urdu_council in docx_text(out / "council-cqc-briefing.docx")


@pytest.mark.parametrize("field", ["Council", "Short name", "Report author", "Report title"])
def test_a_very_long_name_does_not_crash_brief(tmp_path, field):
    name = "Testshire " + "and Borough " * 30  # 370 characters pasted into a one-line field
    path = make(tmp_path / "w.xlsx", short_name="Testshire", cells={A(field): name})
    result = run("brief", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    props = docx.Document(next((tmp_path / "out").glob("*.docx"))).core_properties
    # Word holds 255 characters in a property: cut at a word, marked with an ellipsis.
    assert all(len(p) <= 255 for p in (props.title, props.subject, props.author, props.keywords))
    if field == "Report title":
        assert props.title.endswith("…") and props.title.startswith("Testshire and Borough")


# --- names that look like paths -----------------------------------------------------------------------

NAMES = [("../../etc/x", "etc-x"), ("CON", "council-con"), ("a/b", "a-b"), ("..", "council"),
         ("اردو", "council"), ("..\\..\\Windows\\x", "windows-x"), ("/tmp/abs", "tmp-abs"), ("nul.txt", "nul-txt"),
         ("LPT1", "council-lpt1"), ("   ", "testshire-county-council")]


@pytest.mark.parametrize("name, stem", NAMES, ids=[n for n, _ in NAMES])
def test_council_names_become_slugs_that_stay_inside_out(tmp_path, name, stem):
    box = tmp_path / "box"  # a deep --out, so "../.." would still land inside tmp_path if it escaped
    out = box / "a" / "b" / "out"
    source = make(tmp_path / "w.xlsx", council="Testshire County Council" if not name.strip() else name,
                  short_name=name)
    result = run("brief", source, "--out", out)
    assert result.exit_code == 0, result.output
    written = [f"{stem}-cqc-annex.xlsx", f"{stem}-cqc-briefing.docx"]
    assert files_under(out) == written
    assert files_under(tmp_path) == [*(f"box/a/b/out/{n}" for n in written), "w.xlsx"]


# --- size -------------------------------------------------------------------------------------------

def test_ten_thousand_findings_and_500_actions_through_brief(tmp_path):
    path = make(tmp_path / "big.xlsx", findings=10_000, actions=500, short_name="Testshire")
    out = tmp_path / "out"
    result = run("brief", path, "--out", out)
    assert (result.exit_code, result.output.splitlines()) == (0, [
        f"Wrote {out / 'testshire-cqc-briefing.docx'}", f"Wrote {out / 'testshire-cqc-annex.xlsx'}",
        "Accessibility check: 0 errors, 0 warnings"])
    assert files_under(out) == ["testshire-cqc-annex.xlsx", "testshire-cqc-briefing.docx"]
    assert "Finding 10000: people told us" in docx_text(out / "testshire-cqc-briefing.docx")


# --- fuzz -------------------------------------------------------------------------------------------

FUZZ_ROWS = 14  # every sheet's header row, its data rows, and rows past the data
FUZZ_CELLS = [f"{sheet}!{openpyxl.utils.get_column_letter(c)}{r}" for sheet, names in COLUMNS.items()
              for c in range(1, len(names) + 1) for r in range(1, FUZZ_ROWS + 1)]
_legal_text = st.text(max_size=60).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
FUZZ_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    _legal_text, st.dates(), st.datetimes(),
    st.sampled_from(["", "   ", "three", "31/02/2026", "May 2026", "75%", "lots", "=1+2", "#N/A", "_x0007_",
                     "_xD800_", "Leadership", "Safeguarding", "Key strength", "On track", "Y", "maybe", "0.5",
                     "Review", "Theme", "Finding", "Score", "Council", "Field", "Value", "اردو", "Łódź"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FUZZ_CELLS), FUZZ_VALUES, min_size=1, max_size=6))
def test_fuzz_any_cell_values_give_a_model_or_located_messages(cells):
    """Random values in random contract cells (headers included): a model with no errors, or None and
    errors, every message with its place; never any other exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = save(build(findings=4, actions=3, cells=cells), Path(folder) / "fuzz.xlsx")
        model, messages = read(path)
    assert all(isinstance(m, Message) and m.level in ("error", "warning") and m.place and m.text for m in messages)
    errors = [m for m in messages if m.level == "error"]
    assert (model is None) == bool(errors)


# --- packages bounded in memory before any part is parsed (check, --template, the loader) ---------------

MEMORY_LIMIT = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20)); "
                "from cqcdocs.cli import main; sys.argv[0] = 'cqcdocs'; main()")


def _capped(*args) -> subprocess.CompletedProcess:
    """`cqcdocs ARGS` in a process allowed 1.5 GB of memory: a bomb that is parsed runs out of it."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    return subprocess.run([sys.executable, "-c", MEMORY_LIMIT, *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def _bomb(source: Path, target: Path, part: str, opening: bytes, element: bytes, closing: bytes, count: int) -> None:
    """SOURCE with PART replaced by OPENING, COUNT × ELEMENT, CLOSING: tiny packed, enormous parsed."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info.filename))
        with dst.open(part, "w", force_zip64=True) as f:
            f.write(opening)
            block = element * 100_000
            for _ in range(count // 100_000):
                f.write(block)
            f.write(closing)


WORD_BODY = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats'
             b'.org/wordprocessingml/2006/main"><w:body>', b"<w:p/>", b"</w:body></w:document>")


@pytest.mark.skipif(sys.platform != "linux", reason="a memory limit on the process: Linux")
def test_check_refuses_a_document_bomb_in_one_line_within_bounded_memory(tmp_path):
    from cqcdocs.resources import REFERENCE_DOCX

    bomb = tmp_path / "bomb.docx"
    _bomb(REFERENCE_DOCX, bomb, "word/document.xml", *WORD_BODY, 40_000_000)  # 240 MB of empty paragraphs
    assert bomb.stat().st_size < 400_000
    result = _capped("check", bomb)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bomb.docx: file: is too large to be checked (more than 2,000,000 XML elements; a real one has tens of "
        "thousands) [file-readable]", "1 file checked: 1 error, 0 warnings"]


@pytest.mark.skipif(sys.platform != "linux", reason="a memory limit on the process: Linux")
def test_a_template_bomb_is_refused_in_one_line_within_bounded_memory(tmp_path):
    from cqcdocs.resources import REFERENCE_DOCX

    bomb = tmp_path / "bomb.docx"
    _bomb(REFERENCE_DOCX, bomb, "word/styles.xml", *WORD_BODY, 10_000_000)  # 60 MB, under the size limit
    result = _capped("brief", "--template", bomb, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr == ("Error: bomb.docx: is too large to be a Word template (more than 2,000,000 XML elements; "
                             "a real one has tens of thousands)\n")
    assert not (tmp_path / "out").exists()


def test_a_workbook_of_millions_of_tiny_cells_is_refused_before_openpyxl(tmp_path):
    path = make(tmp_path / "cells.xlsx")
    part = sheet_part(path, "Scores")
    bomb = tmp_path / "bomb.xlsx"
    _bomb(path, bomb, part, b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b"<sheetData><row>", b"<c/>", b"</row></sheetData></worksheet>", 3_000_000)
    assert lines(bomb) == (False, ["bomb.xlsx: is too large to be a source workbook (more than 2,000,000 XML "
                                   "elements; a real one has tens of thousands)"])


def test_a_package_of_too_many_parts_is_refused(tmp_path):
    from cqcdocs.check import check_file

    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for i in range(10_001):
            z.writestr(f"p/{i}", b"")
    assert [p.message for p in check_file(path)] == ["is too large to be checked (10,002 parts; the limit is 10,000)"]
