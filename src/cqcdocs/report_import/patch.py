"""Writing cell values into an .xlsx package by editing only the XML that holds them.

`patch_package` takes the workbook's bytes and a list of `CellChange`s and returns new bytes in which
every part of the package is byte for byte what it was, in the same order, except the sheets that get a
value (only their `<sheetData>` rows that change and their `<dimension>`), the styles part when a new
cell needs a number format, bold or wrapping no existing style has (one `<xf>` appended), and a table
whose range grows by the rows appended under it (and, for a sheet the workbook lacks, the workbook's sheet
list, relationships and content types gain an entry). So comments, rich text, sparklines, data bars,
connections, a data model, custom XML, external links, pictures, charts, pivot tables, macros and the
saved values of formulas all survive: the package is never rebuilt from a model of it. `rezip` copies
the zip entries of the parts left alone as they are stored (compressed bytes and all); `cell_styles`
finds or appends the cell formats new cells need; `xml_text` edits start tags and escapes text.

Text is written as an inline string (`t="inlineStr"`): never a formula, whatever it starts with. What the
patcher cannot do safely or should not do (a cell inside a formula's range or a merged area, a protected
sheet, rows out of order) raises `Refused` naming the place; nothing is written then.
"""

from __future__ import annotations

import bisect
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable
from xml.etree import ElementTree

from ..load.table import column_letter
from .cell_styles import CellStyles
from .rezip import rezip
from .xml_text import attr, escape_attr, escape_text, set_attr

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class Refused(Exception):
    """The change cannot be made without touching the officer's work; `reason` says where and why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class CellChange:
    """Put VALUE (text, a number or a date) into SHEET's cell at ROW, COLUMN (1-based). NUMBER_FORMAT, BOLD
    and WRAP are what the cell must show; otherwise it keeps the style it has (or the one above it)."""

    sheet: str
    row: int
    column: int
    value: Any
    number_format: str | None = None
    bold: bool = False
    wrap: bool = False


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")


def _cell_ref(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if m is None:
        raise ValueError(ref)
    return int(m[2]), _column_number(m[1])


def _area(ref: str) -> tuple[int, int, int, int]:
    """"B2:D9" → (first row, first column, last row, last column)."""
    first, _, last = ref.partition(":")
    r1, c1 = _cell_ref(first)
    r2, c2 = _cell_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _ref_of(area: tuple[int, int, int, int]) -> str:
    r1, c1, r2, c2 = area
    first, last = f"{column_letter(c1)}{r1}", f"{column_letter(c2)}{r2}"
    return first if first == last else f"{first}:{last}"


def _inside(row: int, col: int, area: tuple[int, int, int, int]) -> bool:
    return area[0] <= row <= area[2] and area[1] <= col <= area[3]


# --- the package ------------------------------------------------------------------------------------------

def _rels(z: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, part name) of PART's relationships; external targets are left out."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = ElementTree.fromstring(z.read(rels_name))
    except KeyError:
        return []
    found = []
    for rel in root.iter(f"{{{_NS_PKG}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((rel.get("Id", ""), rel.get("Type", ""), path))
    return found


def _workbook_part(z: zipfile.ZipFile) -> str:
    for _, kind, part in _rels(z, ""):
        if kind.endswith("/officeDocument"):
            return part
    raise Refused("the package names no workbook part")


def patch_package(data: bytes, changes: Iterable[CellChange], new_sheets: Iterable[str] = ()) -> bytes:
    """DATA (a whole .xlsx) with CHANGES made; every other part copied unchanged, in the same order. NEW_SHEETS
    are added after the others (with their changes); a change to any other sheet the package lacks is
    refused."""
    try:
        return _patch(data, list(changes), list(new_sheets))
    except (KeyError, IndexError, ValueError, UnicodeDecodeError, ElementTree.ParseError, zipfile.BadZipFile) as exc:
        # XML not as Excel, LibreOffice or openpyxl write it (another encoding, a part missing): not guessed at
        raise Refused(f"the workbook's XML is not laid out as cqcdocs can edit safely ({type(exc).__name__}: "
                      f"{str(exc)[:120]})") from exc


def _patch(data: bytes, changes: list[CellChange], new_sheets: list[str]) -> bytes:
    by_sheet: dict[str, list[CellChange]] = {title: [] for title in new_sheets}
    for change in changes:
        by_sheet.setdefault(change.sheet, []).append(change)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        workbook = _workbook_part(z)
        root = ElementTree.fromstring(z.read(workbook))
        rels = {rid: (kind, part) for rid, kind, part in _rels(z, workbook)}
        sheets = {s.get("name", ""): rels.get(s.get(f"{{{_NS_REL}}}id", ""), ("", ""))[1]
                  for s in root.iter(f"{{{_NS_MAIN}}}sheet")}
        pr = root.find(f"{{{_NS_MAIN}}}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        styles_part = next((part for kind, part in rels.values() if kind.endswith("/styles")), None)
        if styles_part is None or styles_part not in z.namelist():
            raise Refused("the workbook has no styles part")
        styles = CellStyles(z.read(styles_part).decode("utf-8"))
        replaced: dict[str, bytes] = {}
        added: dict[str, bytes] = {}
        if new_sheets:
            sheets.update(_add_sheets(z, workbook, new_sheets, replaced, added))
        for title, cells in by_sheet.items():
            part = sheets.get(title)
            if not part or (part not in added and part not in z.namelist()):
                raise Refused(f"{title}: the workbook has no such sheet")
            tables = [(p, z.read(p).decode("utf-8")) for _, kind, p in _rels(z, part) if kind.endswith("/table")]
            sheet = _Sheet(title, (added.get(part) or z.read(part)).decode("utf-8"), styles, date1904)
            (added if part in added else replaced)[part] = sheet.apply(cells).encode("utf-8")
            for table_part, table_xml in tables:
                grown = _grow_table(title, table_xml, cells, [t for p, t in tables if p != table_part])
                if grown != table_xml:
                    replaced[table_part] = grown.encode("utf-8")
        if styles.changed:
            replaced[styles_part] = styles.text.encode("utf-8")
        return rezip(data, z, replaced, added)


_WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_EMPTY_SHEET = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS_MAIN}" '
                f'xmlns:r="{_NS_REL}"><dimension ref="A1"/><sheetData/>'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')


def _add_sheets(z: zipfile.ZipFile, workbook: str, titles: list[str], replaced: dict[str, bytes],
                added: dict[str, bytes]) -> dict[str, str]:
    """Empty sheets called TITLES after the workbook's others: the workbook's sheet list, its relationships
    and the content types each gain an entry (into REPLACED); the sheet parts go into ADDED. Returns title →
    part."""
    folder, name = posixpath.split(workbook)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    wb_xml, rels_xml = z.read(workbook).decode("utf-8"), z.read(rels_name).decode("utf-8")
    types = z.read("[Content_Types].xml").decode("utf-8")
    names = set(z.namelist())
    made: dict[str, str] = {}
    m = re.search(r"<(\w+:)?workbook\b[^>]*>", wb_xml)
    p = (m[1] or "") if m else ""
    sheet_ids = [int(x) for x in re.findall(r"<(?:\w+:)?sheet\b[^>]*?\bsheetId=\"(\d+)\"", wb_xml)]
    rel_ids = set(re.findall(r"\bId=\"([^\"]+)\"", rels_xml))
    for title in titles:
        k = 1
        while posixpath.join(folder, "worksheets", f"sheet{k}.xml") in names | set(added):
            k += 1
        part = posixpath.join(folder, "worksheets", f"sheet{k}.xml")
        n = 1
        while f"rId{n}" in rel_ids:
            n += 1
        rel_ids.add(f"rId{n}")
        sheet_ids.append(max(sheet_ids, default=0) + 1)
        ref = f'xmlns:r="{_NS_REL}" r:id="rId{n}"'  # declared here: the root may not bind the prefix
        entry = f'<{p}sheet name="{escape_attr(title)}" sheetId="{sheet_ids[-1]}" {ref}/>'
        end = wb_xml.index(f"</{p}sheets>")
        wb_xml = wb_xml[:end] + entry + wb_xml[end:]
        rel = f'<Relationship Id="rId{n}" Type="{_WORKSHEET_TYPE}" Target="worksheets/sheet{k}.xml"/>'
        rels_xml = rels_xml.replace("</Relationships>", rel + "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{_WORKSHEET_CONTENT}"/></Types>')
        added[part] = _EMPTY_SHEET.encode("utf-8")
        made[title] = part
    replaced[workbook], replaced[rels_name] = wb_xml.encode("utf-8"), rels_xml.encode("utf-8")
    replaced["[Content_Types].xml"] = types.encode("utf-8")
    return made


# --- a sheet ----------------------------------------------------------------------------------------------

class _Sheet:
    """One worksheet part as text; `apply` returns it with cells set, all else as it was."""

    def __init__(self, title: str, text: str, styles: CellStyles, date1904: bool):
        self.title, self.text, self.styles, self.date1904 = title, text, styles, date1904
        m = re.search(r"<(\w+:)?worksheet\b", text)
        self.p = re.escape((m[1] or "") if m else "")
        self.prefix = (m[1] or "") if m else ""

    def _where(self, row: int, col: int) -> str:
        return f"{self.title}!{column_letter(col)}{row}"

    def apply(self, changes: list[CellChange]) -> str:
        p = self.p
        protection = re.search(rf"<{p}sheetProtection\b[^>]*>", self.text)
        if protection and attr(protection[0], "sheet") in ("1", "true"):  # the officer locked it against edits
            raise Refused(f"{self.title}: the sheet is protected; unprotect it in Excel (Review > Unprotect Sheet) "
                          "to let cqcdocs fill it")
        m = re.search(rf"<{p}sheetData\b[^>]*?(?:/>|>(.*?)</{p}sheetData>)", self.text, re.S)
        if m is None:
            raise Refused(f"{self.title}: the sheet has no cell table (sheetData)")
        body = m[1] or ""
        wanted: dict[int, dict[int, CellChange]] = {}
        for change in changes:
            wanted.setdefault(change.row, {})[change.column] = change
        self._check_formulas_and_merges(wanted)
        rows = list(re.finditer(rf"<{p}row\b([^>]*?)(?:/>|>(.*?)</{p}row>)", body, re.S))
        numbers = []
        for row in rows:
            r = attr(row[1], "r")
            if r is None or not r.isdigit():
                raise Refused(f"{self.title}: its rows are not numbered, so cqcdocs cannot tell where a value goes")
            numbers.append(int(r))
        if numbers != sorted(set(numbers)):
            raise Refused(f"{self.title}: its rows are out of order")
        first_row = numbers[0] if numbers else 0
        self._numbers, self._styles_in = numbers, {}
        existing = dict(zip(numbers, rows))
        out, pos = [], 0
        pending = sorted(wanted)
        for number, row in zip(numbers, rows):
            while pending and pending[0] < number:
                out.append(self._new_row(pending.pop(0), wanted, existing, first_row))
            out.append(body[pos:row.start()])
            if pending and pending[0] == number:
                pending.pop(0)
                out.append(self._changed_row(row, wanted[number], existing, first_row))
            else:
                out.append(row[0])
            pos = row.end()
        out.append(body[pos:])
        for number in pending:
            out.append(self._new_row(number, wanted, existing, first_row))
        new_body = "".join(out)
        start = m.start()
        tag = re.match(r"<[^>]*?>", self.text[start:])[0]
        if tag.endswith("/>"):
            sheet_data = tag[:-2].rstrip() + f">{new_body}</{self.prefix}sheetData>"
        else:
            sheet_data = tag + new_body + f"</{self.prefix}sheetData>"
        text = self.text[:start] + sheet_data + self.text[m.end():]
        return self._dimension(text, changes)

    def _check_formulas_and_merges(self, wanted: dict[int, dict[int, CellChange]]) -> None:
        p = self.p
        areas = []
        for tag in re.findall(rf"<{p}f\b[^>]*>", self.text):  # shared, array and data-table formulas' ranges
            if attr(tag, "t") in ("shared", "array", "dataTable") and (ref := attr(tag, "ref")):
                areas.append((_area(ref), "a formula's range"))
        for ref in re.findall(rf"<{p}mergeCell\b[^>]*?\bref=\"([A-Z0-9:$]+)\"", self.text):
            areas.append((_area(ref), "merged cells"))
        for row, cols in wanted.items():
            for col in cols:
                for area, what in areas:
                    if _inside(row, col, area) and (what != "merged cells" or (row, col) != area[:2]):
                        raise Refused(f"{self._where(row, col)}: is inside {what} ({_ref_of(area)})")

    def _cells(self, row_body: str) -> list[tuple[int, re.Match]]:
        p = self.p
        found = []
        for cell in re.finditer(rf"<{p}c(?=[\s/>])([^>]*?)(?:/>|>(.*?)</{p}c>)", row_body, re.S):
            ref = attr(cell[1], "r")
            if ref is None:
                raise Refused(f"{self.title}: its cells are not named (r=\"A1\"), so cqcdocs cannot tell where a "
                              "value goes")
            found.append((_cell_ref(ref)[1], cell))
        return found

    def _base_style(self, row: int, col: int, existing: dict[int, re.Match], first_row: int) -> int:
        """The style a new cell at ROW, COL starts from: the row's own, the column's, or that of the cell in the
        nearest row above (unless that is the sheet's first row, or bold: a header's look is not a value's)."""
        if (found := existing.get(row)) is not None and attr(found[1], "customFormat") in ("1", "true"):
            return int(attr(found[1], "s") or 0)
        p = self.p
        for col_tag in re.findall(rf"<{p}col\b[^>]*?/?>", self.text):
            lo, hi, s = attr(col_tag, "min"), attr(col_tag, "max"), attr(col_tag, "style")
            if lo and hi and s and int(lo) <= col <= int(hi):
                return int(s)
        at = bisect.bisect_left(self._numbers, row) - 1
        if at >= 0 and self._numbers[at] > first_row:  # the nearest row above, unless it is the first
            number = self._numbers[at]
            if number not in self._styles_in:
                self._styles_in[number] = {c: int(attr(cell[1], "s") or 0)
                                           for c, cell in self._cells(existing[number][2] or "")}
            s = self._styles_in[number].get(col)
            if s is not None:
                return 0 if self.styles.bold(s) else s
        return 0

    def _cell_xml(self, change: CellChange, base: int) -> str:
        value = change.value
        number_format = change.number_format
        if isinstance(value, (date, datetime)) and not number_format and not self.styles.is_date(base):
            number_format = "dd/mm/yyyy"
        s = self.styles.style(base, number_format, change.bold, change.wrap)
        ref = f"{column_letter(change.column)}{change.row}"
        style = f' s="{s}"' if s else ""
        p = self.prefix
        if isinstance(value, bool):
            return f'<{p}c r="{ref}"{style} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
        if isinstance(value, (date, datetime)):
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

            serial = to_excel(value, CALENDAR_MAC_1904 if self.date1904 else CALENDAR_WINDOWS_1900)
            return f'<{p}c r="{ref}"{style}><{p}v>{serial:g}</{p}v></{p}c>'
        if isinstance(value, (int, float)):
            return f'<{p}c r="{ref}"{style}><{p}v>{value!r}</{p}v></{p}c>'
        return (f'<{p}c r="{ref}"{style} t="inlineStr"><{p}is><{p}t xml:space="preserve">{escape_text(str(value))}'
                f'</{p}t></{p}is></{p}c>')

    def _changed_row(self, row: re.Match, changes: dict[int, CellChange], existing: dict[int, re.Match],
                     first_row: int) -> str:
        number = int(attr(row[1], "r"))
        body = row[2] or ""
        cells = self._cells(body)
        out, pos = [], 0
        pending = sorted(changes)

        def base(c: int) -> int:
            """A new header (bold) looks like the header to its left; any other cell as `_base_style` says."""
            if changes[c].bold:
                left = [int(attr(cell[1], "s") or 0) for col, cell in cells if col < c]
                if left and self.styles.bold(left[-1]):
                    return left[-1]
            return self._base_style(number, c, existing, first_row)

        for col, cell in cells:
            while pending and pending[0] < col:
                c = pending.pop(0)
                out.append(self._cell_xml(changes[c], base(c)))
            out.append(body[pos:cell.start()])
            if pending and pending[0] == col:
                pending.pop(0)
                inner = cell[2] or ""
                if re.search(rf"<{self.p}f\b", inner):
                    raise Refused(f"{self._where(number, col)}: holds a formula")
                out.append(self._cell_xml(changes[col], int(attr(cell[1], "s") or 0)))
            else:
                out.append(cell[0])
            pos = cell.end()
        out.append(body[pos:])
        for c in pending:
            out.append(self._cell_xml(changes[c], base(c)))
        start = re.match(r"<[^>]*?>", row[0])[0]
        spans = attr(start, "spans")
        if spans and re.fullmatch(r"\d+:\d+", spans):
            lo, hi = (int(x) for x in spans.split(":"))
            start = set_attr(start, "spans", f"{min([lo, *changes])}:{max([hi, *changes])}")
        if start.endswith("/>"):
            start = start[:-2].rstrip() + ">"
        return f"{start}{''.join(out)}</{self.prefix}row>"

    def _new_row(self, number: int, wanted: dict[int, dict[int, CellChange]], existing: dict[int, re.Match],
                 first_row: int) -> str:
        changes = wanted[number]
        cells = "".join(self._cell_xml(changes[c], self._base_style(number, c, existing, first_row))
                        for c in sorted(changes))
        return f'<{self.prefix}row r="{number}">{cells}</{self.prefix}row>'

    def _dimension(self, text: str, changes: list[CellChange]) -> str:
        m = re.search(rf"<{self.p}dimension\b[^>]*?/?>", text)
        if m is None or not changes:
            return text
        ref = attr(m[0], "ref") or ""
        try:
            r1, c1, r2, c2 = _area(ref)
        except ValueError:
            return text
        rows, cols = [c.row for c in changes], [c.column for c in changes]
        grown = _ref_of((min(r1, *rows), min(c1, *cols), max(r2, *rows), max(c2, *cols)))
        return text[:m.start()] + set_attr(m[0], "ref", grown) + text[m.end():]


# --- tables -----------------------------------------------------------------------------------------------

def _grow_table(title: str, xml: str, changes: list[CellChange], others: list[str]) -> str:
    """A table's XML with its range grown over the rows appended right under it (in its columns)."""
    m = re.search(r"<(\w+:)?table\b[^>]*>", xml)
    if m is None or (ref := attr(m[0], "ref")) is None:
        return xml
    r1, c1, r2, c2 = _area(ref)
    name = attr(m[0], "displayName") or attr(m[0], "name") or "?"
    below = {c.row for c in changes if c1 <= c.column <= c2 and c.row > r2}
    last = r2
    while last + 1 in below:
        last += 1
    if last == r2:
        return xml
    if int(attr(m[0], "totalsRowCount") or 0):
        raise Refused(f"{title}: the table {name!r} has a totals row, so rows cannot be added under it")
    new_area = (r1, c1, last, c2)
    for other in others:
        o = re.search(r"<(\w+:)?table\b[^>]*>", other)
        if o and (oref := attr(o[0], "ref")):
            a = _area(oref)
            if not (a[2] < r1 or a[0] > last or a[3] < c1 or a[1] > c2):
                raise Refused(f"{title}: the table {name!r} would grow into the table "
                              f"{attr(o[0], 'displayName') or '?'!r}")
    start = set_attr(m[0], "ref", _ref_of(new_area))
    xml = xml[:m.start()] + start + xml[m.end():]
    af = re.search(r"<(\w+:)?autoFilter\b[^>]*?/?>", xml)
    if af and (aref := attr(af[0], "ref")):
        a = _area(aref)
        xml = xml[:af.start()] + set_attr(af[0], "ref", _ref_of((a[0], a[1], max(a[2], last), a[3]))) + xml[af.end():]
    return xml
