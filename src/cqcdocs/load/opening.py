"""Telling what a file is, and opening it safely: the only place the source file is touched.

A file that is not an .xlsx workbook (CSV, .xls, .ods, a web page, a truncated download, Excel's `~$`
lock file…) is named as what it is. Before openpyxl sees a package, its unpacked size and merged cells
are checked (a zip bomb or a merge of whole columns would otherwise hang the run), and the sheet XML is
scanned for what openpyxl cannot tell us: formulas that were never calculated. The file is read once
into memory and never opened for writing; formulas are never evaluated and macros never run.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..contract import SHEETS_BY_NAME, normalise
from ..files import Unreadable, display_name, package_too_big, read_regular
from .cells import Problems
from .xlsx import read_workbook

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound document: .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
MAX_FILE = 100 * 1024 * 1024  # the file itself: real workbooks are a few MB; read only after this check
MAX_UNPACKED = 256 * 1024 * 1024  # far beyond any real source workbook; stops a zip bomb before openpyxl
MAX_MERGED = 1_000_000  # openpyxl makes an object per merged cell: a merge of whole columns would hang it
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

Uncached = dict[str, dict[str, str]]  # formula cells with no saved value, by sheet title: {"Scores": {"C2": "=1+1"}}


# --- what the file is ------------------------------------------------------------------------------

def _not_a_package(data: bytes, suffix: str) -> str | None:
    """Why DATA (the whole file) is not an .xlsx package, in words an officer can act on; None if it may be."""
    if not data:
        return "is empty (0 bytes): it is not a workbook"
    if data.startswith(_OLE):
        if _ENCRYPTED in data[:1 << 20]:
            return "is password-protected (encrypted): remove the password in Excel (File > Info) and save it"
        return "is an old Excel 97-2003 (.xls) file: open it in Excel and save as .xlsx"
    if data.startswith(b"PK"):
        return None if zipfile.is_zipfile(io.BytesIO(data)) else (
            "is damaged: the .xlsx package is incomplete (perhaps cut short while copying); "
            "open it in Excel to repair it, or use a backup")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        return "is a web page saved with a spreadsheet name, not a workbook: open it in Excel and save as .xlsx"
    if suffix in (".csv", ".tsv") or (b"\0" not in head and (b"," in head or b"\t" in head)):
        return "is a CSV file, not a workbook: cqcdocs needs the .xlsx with all its sheets"
    try:
        data[:4096].decode("utf-8")
        text = b"\0" not in data[:4096]
    except UnicodeDecodeError as exc:
        text = exc.start > 4090  # a character cut at the end of the sample
    if text:
        return "is a text file, not an Excel workbook (.xlsx)"
    return "is not an Excel workbook (.xlsx): it is another kind of file"


def _workbook_part(name: str, z: zipfile.ZipFile) -> tuple[str | None, str | None]:
    """(the workbook part's name, None) or (None, why this zip is not an .xlsx workbook)."""
    names = set(z.namelist())
    if "mimetype" in names and b"opendocument" in z.read("mimetype"):
        return None, "is an OpenDocument spreadsheet (.ods): open it in Excel or LibreOffice and save as .xlsx"
    target = None
    if "_rels/.rels" in names:
        for rel in ElementTree.fromstring(z.read("_rels/.rels")).iter(f"{{{_NS_PKG}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
    if target and target.endswith(".bin"):
        return None, "is an Excel binary workbook (.xlsb): open it in Excel and save as .xlsx"
    if target and target.startswith("word/"):
        return None, "is a Word document, not a workbook"
    if target and target.startswith("ppt/"):
        return None, "is a PowerPoint presentation, not a workbook"
    if target is None or target not in names or "[Content_Types].xml" not in names:
        return None, "is a zip file but not an Excel workbook (.xlsx): it has no workbook inside"
    return target, None


# --- the sheet XML scan ------------------------------------------------------------------------------

_XML_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&"))


def xml_unescape(text: str) -> str:
    """The five XML entities (&amp; last). Not xml.sax.saxutils: it imports urllib, ssl and http (~20 ms)."""
    for entity, char in _XML_ENTITIES:
        text = text.replace(entity, char)
    return text


_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_XML = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_R_ATTR = re.compile(rb"\br=\"([A-Z]+[0-9]+)\"")
_STR_TYPE = re.compile(rb"\bt=\"str\"")
_FORMULA_XML = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE_XML = re.compile(rb"<(?:\w+:)?v>.+?</(?:\w+:)?v>", re.S)
_MERGE_XML = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"\$?([A-Z]+)\$?([0-9]+)(?::\$?([A-Z]+)\$?([0-9]+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_parts(z: zipfile.ZipFile, workbook_part: str) -> list[tuple[str, str]] | None:
    """(sheet title, the part holding its XML, "" if none) in workbook order; None if the package is damaged."""
    folder = workbook_part.rsplit("/", 1)[0] if "/" in workbook_part else ""
    rels_name = f"{folder}/_rels/{workbook_part.rsplit('/', 1)[-1]}.rels".lstrip("/")
    try:
        rels = {rel.get("Id"): rel.get("Target", "")
                for rel in ElementTree.fromstring(z.read(rels_name)).iter(f"{{{_NS_PKG}}}Relationship")}
        sheets = list(ElementTree.fromstring(z.read(workbook_part)).iter(f"{{{_NS_MAIN}}}sheet"))
    except (KeyError, ElementTree.ParseError):
        return None
    parts = []
    for sheet in sheets:
        target = rels.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
        parts.append((sheet.get("name", ""), part if target else ""))
    return parts


def _merged_area(data: bytes) -> int:
    """How many cells the merged ranges in one sheet's XML cover."""
    return sum((_column_number(m[3] or m[1]) - _column_number(m[1]) + 1) * (int(m[4] or m[2]) - int(m[2]) + 1)
               for m in _MERGE_XML.finditer(data))


def _uncached_formulas(data: bytes) -> dict[str, str]:
    """Cell reference → "=formula" for each formula in one sheet's XML with no saved result."""
    found: dict[str, str] = {}
    for m in _CELL_XML.finditer(data):
        inner = m[2] or b""
        formula = _FORMULA_XML.search(inner)
        if formula is None or _VALUE_XML.search(inner) or _STR_TYPE.search(m[1]):
            continue  # no formula, or a saved result (t="str" with an empty <v> is a saved "")
        if r := _R_ATTR.search(m[1]):
            text = xml_unescape((formula[1] or b"").decode("utf-8", "replace"))
            found[r[1].decode()] = f"={text}" if text else ""
    return found


def _scan_sheets(z: zipfile.ZipFile, workbook_part: str) -> tuple[Uncached, tuple[str, str] | None]:
    """Look in the sheet XML for what openpyxl cannot tell us, before it loads anything.

    Returns formula cells with no saved result, by sheet title ({"Scores": {"C2": "=1+1"}}), and
    (sheet, why) if a sheet merges so many cells that openpyxl would not finish loading it.
    openpyxl (data_only) gives None both for an empty cell and for a formula never calculated (files
    written by scripts, not Excel); only contract sheets that hold a formula at all are parsed for
    them, so a normal workbook pays almost nothing.
    """
    wanted = {normalise(s) for s in SHEETS_BY_NAME}
    found: Uncached = {}
    for title, part in _sheet_parts(z, workbook_part) or []:  # None: openpyxl will report the damage
        try:
            data = z.read(part) if part else b""
        except KeyError:
            continue
        if b"mergeCell" in data and (area := _merged_area(data)) > MAX_MERGED:
            return found, (title, f"merged cells cover {area:,} cells: unmerge whole rows or columns in "
                                  "Excel and save it")
        if normalise(title) in wanted and _HAS_FORMULA.search(data):
            if uncached := _uncached_formulas(data):
                found.setdefault(title, {}).update(uncached)
    return found, None


# --- opening -----------------------------------------------------------------------------------------

_NOT_NEEDED = ("numpy", "PIL")  # openpyxl imports them if present: numpy types as numbers, Pillow for images


def import_openpyxl() -> Any:
    """openpyxl, imported without numpy and Pillow unless something has already imported them.

    openpyxl imports both at start-up when they are installed (numpy to accept its numbers as cell values,
    Pillow to keep pictures): about 0.13 s of CPU, a third of the libraries a brief needs, for nothing we
    use. Reading gives the same values without them (pictures are never read); the modules are hidden only
    while openpyxl is imported, so anything that imports them later gets them as usual.
    """
    import sys

    if "openpyxl" in sys.modules:
        return sys.modules["openpyxl"]
    hidden = [name for name in _NOT_NEEDED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import numpy` then raises ImportError
    try:
        import openpyxl
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return openpyxl


def _read_bytes(path: Path, problems: Problems) -> bytes | None:
    """The whole file, or None after recording why it is not one that could be a workbook.

    Only a regular file is read (a named pipe would block the run, a device fill memory), and only up
    to MAX_FILE bytes, checked before reading.
    """
    name = display_name(path)
    try:
        data = read_regular(path, MAX_FILE, "a workbook")
    except Unreadable as exc:
        problems.error(name, exc.reason)
        return None
    if name.startswith("~$"):
        problems.error(name, f"is the lock file Excel keeps while a workbook is open, not the workbook: "
                             f"use {name[2:]!r}")
        return None
    if why := _not_a_package(data, path.suffix.lower()):
        problems.error(name, why)
        return None
    return data


def _check_package(name: str, z: zipfile.ZipFile, problems: Problems) -> Uncached | None:
    """The uncalculated formulas, or None after recording why openpyxl must not be given this package."""
    try:  # before openpyxl holds any of it: a zip bomb, or millions of tiny cells
        too_big = package_too_big(z, MAX_UNPACKED, "a source workbook")
    except Exception as exc:  # a damaged part (bad CRC, bad deflate data, an unknown compression)
        too_big = f"is damaged and cannot be read as an Excel workbook ({type(exc).__name__}: {str(exc)[:200]})"
    if too_big:
        problems.error(name, too_big)
        return None
    part, why = _workbook_part(name, z)
    if why:
        problems.error(name, why)
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in z.namelist()):
        problems.warn(name, "contains macros: cqcdocs reads the values only and never runs them")
    uncached, too_merged = _scan_sheets(z, part)
    if too_merged:
        problems.error(*too_merged)
        return None
    return uncached


def open_workbook(path: Path, problems: Problems) -> tuple[Any, Uncached] | None:
    """Open for cached values only (formulas are never evaluated, macros never run).

    The file is read once into memory and never opened for writing. Returns the workbook (read straight
    from its XML by `xlsx.read_workbook`, or by openpyxl when the package is out of the ordinary) and the
    formula cells that have no saved value, or None after recording why the file cannot be used.
    """
    data = _read_bytes(path, problems)
    if data is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            uncached = _check_package(display_name(path), z, problems)
            if uncached is None:
                return None
            try:
                return read_workbook(z, _workbook_part(path.name, z)[0]), uncached
            except Exception:  # noqa: BLE001  anything unusual: openpyxl reads it, and names any damage
                pass
        openpyxl = import_openpyxl()  # here, not at the top: `--help` must not pay for importing it
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data bars, slicers…); they carry no data we read.
            warnings.simplefilter("ignore", UserWarning)
            # A file object, not the path: openpyxl would refuse a name not ending .xlsx/.xlsm.
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged packages; all mean the same to an officer
        problems.error(display_name(path), f"is damaged and cannot be read as an Excel workbook ({type(exc).__name__}: "
                                  f"{str(exc)[:200]})")
        return None
    return wb, uncached


def check_package(name: str, data: bytes, problems: Problems) -> bool:
    """Whether DATA, the whole of the file NAME already read, may be given to openpyxl: the checks
    `open_workbook` makes (what the file is, a zip bomb, merged cells), recording why not in PROBLEMS."""
    if name.startswith("~$"):
        problems.error(name, f"is the lock file Excel keeps while a workbook is open, not the workbook: "
                             f"use {name[2:]!r}")
        return False
    if why := _not_a_package(data, Path(name).suffix.lower()):
        problems.error(name, why)
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return _check_package(name, z, problems) is not None
    except Exception as exc:  # a damaged package: said as open_workbook says it
        problems.error(name, f"is damaged and cannot be read as an Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]})")
        return False
