"""A workbook's cells read straight from its sheet XML: the values openpyxl would give, without openpyxl.

openpyxl's full load builds a styled object for every cell, row and column (and importing it costs about
0.1 s): more than half a `validate`. The loader needs far less: each sheet's cell values as Excel saved
them, each cell's number format, merged ranges, hidden rows, columns and sheets. This module reads exactly
that from an ordinary package, giving the same values openpyxl gives with `data_only=True` (numbers as int
or float, dates by their cell's number format, text from the shared strings, Excel errors as data type
"e"), so the sheet readers cannot tell the two apart.

Anything out of the ordinary (a 1904 date system, ISO-dated cells, a missing style sheet, a sheet title
openpyxl would rename, rows or cells without a reference, XML it cannot parse) raises `Unusual`, and the
caller loads the workbook with openpyxl instead, which then says what is wrong just as before.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = {f"application/vnd.{kind}.main+xml" for kind in (
    "openxmlformats-officedocument.spreadsheetml.sheet", "ms-excel.sheet.macroEnabled",
    "openxmlformats-officedocument.spreadsheetml.template", "ms-excel.template.macroEnabled")}
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_CHART_SHEET = "chartsheet"
_WORKSHEET = "/worksheet"
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")  # openpyxl refuses these in a sheet title
_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?")

# The built-in number formats, by id, as openpyxl names them (styles/numbers.py); any other id below 164
# is "General".
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@"}
_BUILTIN_IDS = {code: i for i, code in BUILTIN_FORMATS.items()}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # quoted text and [locale]/[colour] groups
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_EPOCH = datetime.datetime(1899, 12, 30)


class Unusual(Exception):
    """The package has something only openpyxl's full reader handles; load it with openpyxl instead."""


def is_date_format(fmt: str) -> bool:
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str) -> bool:
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value: float, timedelta: bool = False):
    """An Excel serial as openpyxl converts it (1900 date system): a timedelta, a time, or a datetime."""
    if timedelta:
        td = datetime.timedelta(days=value)
        if td.microseconds:
            td = datetime.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60:
        day += 1
    return _EPOCH + datetime.timedelta(days=day) + diff


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class Cell:
    __slots__ = ("value", "data_type", "number_format")

    def __init__(self, value, data_type: str = "n", number_format: str = "General"):
        self.value, self.data_type, self.number_format = value, data_type, number_format


class Dimension:
    __slots__ = ("hidden", "min", "max")

    def __init__(self, hidden: bool, low: int | None = None, high: int | None = None):
        self.hidden, self.min, self.max = hidden, low, high


class CellRange:
    __slots__ = ("min_row", "min_col", "max_row", "max_col")

    def __init__(self, min_row: int, min_col: int, max_row: int, max_col: int):
        self.min_row, self.min_col, self.max_row, self.max_col = min_row, min_col, max_row, max_col


class MergedCells:
    __slots__ = ("ranges",)

    def __init__(self, ranges: list[CellRange]):
        self.ranges = ranges


class Worksheet:
    """One sheet's cells by (row, column), as the loader's table reader walks them."""

    mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

    def __init__(self, title: str, state: str):
        self.title, self.sheet_state = title, state
        self._cells: dict[tuple[int, int], Cell] = {}
        self.merged_cells = MergedCells([])
        self.row_dimensions: dict[int, Dimension] = {}
        self.column_dimensions: dict[int, Dimension] = {}
        self.max_row = self.max_column = 1

    def cell(self, row: int, column: int) -> Cell:
        return self._cells.setdefault((row, column), Cell(None))


class Chartsheet:
    mime_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"

    def __init__(self, title: str, state: str):
        self.title, self.sheet_state = title, state


class Workbook:
    def __init__(self, sheets: list):
        self._sheets = {s.title: s for s in sheets}
        self.sheetnames = [s.title for s in sheets]

    def __getitem__(self, name: str):
        return self._sheets[name]

    def close(self) -> None:
        pass


def _hidden(value: str | None) -> bool:
    """openpyxl's Bool: "false", "f" and "0" are false, any other text true."""
    return bool(value) and value not in ("false", "f", "0")


def _text(si) -> str:
    """A shared or inline string's text as openpyxl reads it: its own t, then each run's t (not phonetics)."""
    t = si.find(_MAIN + "t")
    parts = [t.text or ""] if t is not None else []
    parts += [rt.text or "" for r in si.findall(_MAIN + "r") if (rt := r.find(_MAIN + "t")) is not None]
    return "".join(parts)


def _xml(z: zipfile.ZipFile, name: str):
    try:
        return ElementTree.fromstring(z.read(name))
    except (KeyError, ElementTree.ParseError) as exc:
        raise Unusual(name) from exc


def _styles(z: zipfile.ZipFile) -> tuple[list[str], set[int], set[int]]:
    """Each cell style's number format, and which styles hold dates and durations."""
    root = _xml(z, "xl/styles.xml")
    custom = {int(f.get("numFmtId")): f.get("formatCode") for f in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")}
    formats, dates, durations = [], set(), set()
    for i, xf in enumerate(root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")):
        fid = int(xf.get("numFmtId", 0))
        if fid in custom:
            fmt = custom[fid]
        elif fid < 164:
            fmt = BUILTIN_FORMATS.get(fid)
        else:
            raise Unusual("a number format that is not defined")
        formats.append(fmt if fmt is not None else "General")
        if fmt is not None and is_date_format(fmt):
            dates.add(i)
        if fmt is not None and is_timedelta_format(fmt):
            durations.add(i)
    return formats, dates, durations


def _read_sheet(ws: Worksheet, root, strings: list[str], styles) -> None:
    formats, dates, durations = styles
    cells = ws._cells
    max_row = max_col = 0
    data = root.find(_MAIN + "sheetData")
    for row in (data if data is not None else ()):
        if row.tag != _MAIN + "row":
            continue
        r = row.get("r")
        if r is None or not r.isdigit():
            raise Unusual("a row without its number")
        r = int(r)
        if row.get("hidden") is not None:
            ws.row_dimensions[r] = Dimension(_hidden(row.get("hidden")))
        for c in row:
            if c.tag != _MAIN + "c":
                continue
            m = _REF.fullmatch(c.get("r") or "")
            if m is None or int(m[2]) != r:
                raise Unusual("a cell without its reference")
            col = column_number(m[1])
            kind = c.get("t", "n")
            style = int(c.get("s") or 0)
            fmt = formats[style]  # IndexError: a style that does not exist; openpyxl says the file is damaged
            if kind == "inlineStr":
                inline = c.find(_MAIN + "is")
                value, kind = (_text(inline), "s") if inline is not None else (None, kind)
            else:
                value = c.findtext(_MAIN + "v") or None
                if value is not None:
                    if kind == "n":
                        value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                        if style in dates:
                            kind = "d"
                            try:
                                value = from_excel(value, style in durations)
                            except (OverflowError, ValueError):
                                kind, value = "e", "#VALUE!"  # as openpyxl: a date Excel cannot show
                    elif kind == "s":
                        value = strings[int(value)]
                    elif kind == "b":
                        value = bool(int(value))
                    elif kind == "str":
                        kind = "s"
                    elif kind != "e":
                        raise Unusual(f"a cell of type {kind!r}")
            cells[(r, col)] = Cell(value, kind, fmt)
            max_row, max_col = max(max_row, r), max(max_col, col)
    for col in root.iterfind(f"{_MAIN}cols/{_MAIN}col"):
        low, high = int(col.get("min")), int(col.get("max") or 0)
        ws.column_dimensions[low] = Dimension(_hidden(col.get("hidden")), low, high or None)
    for merge in root.iterfind(f"{_MAIN}mergeCells/{_MAIN}mergeCell"):
        m = _RANGE.fullmatch(merge.get("ref") or "")
        if m is None:
            raise Unusual("a merged range openpyxl reads its own way")
        rng = CellRange(int(m[2]), column_number(m[1]), int(m[4] or m[2]), column_number(m[3] or m[1]))
        if rng.min_row > rng.max_row or rng.min_col > rng.max_col:
            raise Unusual("a merged range written backwards")
        ws.merged_cells.ranges.append(rng)
        if (rng.min_row, rng.min_col) != (rng.max_row, rng.max_col):  # openpyxl fills the range with cells
            max_row, max_col = max(max_row, rng.max_row), max(max_col, rng.max_col)
    ws.max_row, ws.max_column = max(max_row, 1), max(max_col, 1)


def read_workbook(z: zipfile.ZipFile, workbook_part: str) -> Workbook:
    """The contract's view of every sheet in Z, or `Unusual` if openpyxl must read it."""
    types = _xml(z, "[Content_Types].xml")
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in types.iter(_CT + "Override")}
    if overrides.get(workbook_part) not in _WORKBOOK_TYPES or \
            sum(t in _WORKBOOK_TYPES for t in overrides.values()) != 1:
        raise Unusual("the workbook part is not where openpyxl looks for it")
    workbook = _xml(z, workbook_part)
    pr = workbook.find(_MAIN + "workbookPr")
    if pr is not None and _hidden(pr.get("date1904")):
        raise Unusual("the 1904 date system")
    folder = posixpath.dirname(workbook_part)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
    rels = {rel.get("Id"): rel for rel in _xml(z, rels_name).iter(_PKG + "Relationship")}
    strings_parts = [name for name, kind in overrides.items() if kind == _STRINGS_TYPE]
    strings: list[str] = []
    if strings_parts:
        strings = [_text(si).replace("x005F_", "")
                   for si in _xml(z, strings_parts[0]).iter(_MAIN + "si")]
    styles = _styles(z)
    names = set(z.namelist())
    sheets, seen = [], set()
    for sheet in workbook.iterfind(f"{_MAIN}sheets/{_MAIN}sheet"):
        title, rid, state = sheet.get("name") or "", sheet.get(_REL + "id"), sheet.get("state") or "visible"
        if not title or not rid or _BAD_TITLE.search(title) or title.lower() in seen or rid not in rels:
            raise Unusual("a sheet openpyxl would leave out or rename")
        seen.add(title.lower())
        rel = rels[rid]
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        if part not in names:
            continue  # as openpyxl: a sheet whose part is missing is not in the workbook
        kind = rel.get("Type", "")
        if _CHART_SHEET in kind:
            sheets.append(Chartsheet(title, state))
        elif kind.endswith(_WORKSHEET):
            ws = Worksheet(title, state)
            _read_sheet(ws, _xml(z, part), strings, styles)
            sheets.append(ws)
        else:
            raise Unusual(f"a sheet of type {kind}")
    return Workbook(sheets)
