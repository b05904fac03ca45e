"""The contract table reader: a sheet's header row found by name, its rows read as `SourceCell`s.

Every contract sheet is a table with a header row somewhere near the top; `read_table` finds it, maps
the contract's columns by name (forgiving case, spacing and apostrophes), and reads the rows below as
Excel shows them. The row helpers (`required_cell`, `cell_text`, `optional`, `required`) are what the
sheet readers use to turn a row into model fields.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from ..contract import Sheet, normalise
from ..wording import row_ranges
from .cells import Problems, SourceCell, parse_text, show

MAX_HEADER_ROW = 10  # the header row is looked for in the first ten rows
MAX_COLUMNS = 200  # contract columns sit near the left; extra columns are ignored

Row = dict[str, SourceCell]  # column name → cell, plus "_row": the whole row's place ("Scores!7:7")


def column_letter(index: int) -> str:
    """1 → "A", 28 → "AB"."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Table:
    """A contract sheet's rows as dicts of `SourceCell`, keyed by the contract's column names."""

    def __init__(self, sheet: Sheet, rows: list[Row]):
        self.sheet = sheet
        self.rows = rows


def _present_cells(ws: Any, first_row: int, last_row: int, columns: range) -> dict[int, dict[int, Any]]:
    """The cells that exist in rows FIRST_ROW..LAST_ROW and COLUMNS, by row then column.

    Walks the cells openpyxl loaded rather than the grid: `iter_rows` would create a cell for every
    empty position up to a stray value in row 1,048,576 or column XFD, which takes minutes.
    """
    cells = getattr(ws, "_cells", None)
    found: dict[int, dict[int, Any]] = {}
    if cells is None:  # pragma: no cover - a future openpyxl without the private map
        for row in ws.iter_rows(min_row=first_row, max_row=min(last_row, ws.max_row), min_col=columns.start,
                                max_col=columns.stop - 1):
            for c in row:
                found.setdefault(c.row, {})[c.column] = c
        return found
    for (r, c), cell in cells.items():
        if first_row <= r <= last_row and c in columns:
            found.setdefault(r, {})[c] = cell
    return found


def _merged_origins(ws: Any, rows: range, columns: range) -> dict[tuple[int, int], Any]:
    """(row, column) → the top-left cell of the merged range covering it, within ROWS × COLUMNS."""
    origins: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col)
        for r in range(max(rng.min_row, rows.start), min(rng.max_row, rows.stop - 1) + 1):
            for c in range(max(rng.min_col, columns.start), min(rng.max_col, columns.stop - 1) + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    origins[(r, c)] = top
    return origins


def find_header(ws: Any, sheet: Sheet) -> tuple[int, dict[str, int], list[tuple[int, str]]] | None:
    """(header row, contract name → column, names typed a second time) for the row naming most columns.

    A header merged across rows or columns counts in every cell it covers; only a name typed again in
    its own cell is a second column.
    """
    wanted = {normalise(c.name): c.name for c in sheet.columns}
    last_col = min(ws.max_column, MAX_COLUMNS)
    head_rows = range(1, min(ws.max_row, MAX_HEADER_ROW) + 1)
    head = _present_cells(ws, 1, head_rows.stop - 1, range(1, last_col + 1))
    head_merged = _merged_origins(ws, head_rows, range(1, last_col + 1))
    best: tuple[int, dict[str, int], list[tuple[int, str]]] | None = None
    for r in head_rows:
        found: dict[str, int] = {}
        again: list[tuple[int, str]] = []  # a contract name typed a second time (not spilled from a merge)
        for c in range(1, last_col + 1):
            spilled = head_merged.get((r, c))
            cell = spilled or head.get(r, {}).get(c)
            value = getattr(cell, "value", None)
            if isinstance(value, str) and normalise(value) in wanted:
                name = wanted[normalise(value)]
                if name in found and spilled is None:
                    again.append((c, name))
                found.setdefault(name, c)
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found, again)
    return best


def _header_columns(ws: Any, sheet: Sheet, problems: Problems) -> tuple[int, dict[str, int]] | None:
    """The header row and its contract columns, or None after recording why the table cannot be read."""
    required = [c.name for c in sheet.columns if c.required]
    best = find_header(ws, sheet)
    if best is None:
        problems.error(sheet.name, f"no header row found; expected columns {', '.join(required)}")
        return None
    header_row, columns, again = best
    for c, name in again:
        problems.warn(f"{sheet.name}!{column_letter(c)}{header_row}", f"a second {name!r} column: only the first, "
                                                                      f"column {column_letter(columns[name])}, is read")
    missing = [name for name in required if name not in columns]
    if missing:
        problems.error(f"{sheet.name}!{header_row}:{header_row}",
                       f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}")
        return None
    return header_row, columns


def _warn_hidden_sheet_and_columns(ws: Any, sheet: Sheet, columns: dict[str, int], problems: Problems) -> None:
    # Hidden things are easy to forget when a workbook is handed on: say they are read, never skip them.
    if ws.sheet_state != "visible":
        problems.warn(sheet.name, "sheet is hidden in Excel; it is read like any other sheet")
    hidden_cols = {c for dim in ws.column_dimensions.values() if dim.hidden and dim.min
                   for c in range(dim.min, (dim.max or dim.min) + 1)}
    for name, col in columns.items():
        if col in hidden_cols:
            letter = column_letter(col)
            problems.warn(f"{sheet.name}!{letter}:{letter}",
                          f"column {name!r} is hidden in Excel; it is read like any other column")


def _warn_hidden_rows(sheet: Sheet, hidden_read: list[int], problems: Problems) -> None:
    if len(hidden_read) == 1:
        problems.warn(f"{sheet.name}!{hidden_read[0]}:{hidden_read[0]}",
                      "row is hidden in Excel; it is read like any other row")
    elif hidden_read:
        problems.warn(sheet.name, f"rows {row_ranges(hidden_read)} are hidden in Excel; they are read like any "
                                  "other row")


def _cell_value(c: Any, place: str, formula: str | None, problems: Problems) -> Any:
    """The value openpyxl read for C, or None after recording that it is an uncalculated formula (FORMULA
    is its text, "" if unknown) or an Excel error; such a cell is silenced so it is not also "required"."""
    value = getattr(c, "value", None)
    if formula is not None:
        problems.error(place, f"formula {show(formula) + ' ' if formula else ''}has no saved value: "
                              "open the workbook in Excel (or LibreOffice) and save it, so the result "
                              "is stored")
        problems.silenced.add(place)
        return None
    if getattr(c, "data_type", None) == "e":
        problems.error(place, f"shows the Excel error {value}: correct the formula or type the value")
        problems.silenced.add(place)
        return None
    return value


def read_table(ws: Any, sheet: Sheet, problems: Problems) -> Table | None:
    """Find the header row (within the first 10 rows), map columns by name, collect non-blank rows.

    Merged cells read as what Excel shows: the merged value in every cell of the range (a header merged
    across rows, a theme merged down a block of findings). A formula with no saved value, or a cell
    showing an Excel error (#N/A), is an error at that cell and otherwise reads as blank.
    """
    header = _header_columns(ws, sheet, problems)
    if header is None:
        return None
    header_row, columns = header
    used = range(min(columns.values()), max(columns.values()) + 1)
    present = _present_cells(ws, header_row + 1, ws.max_row, used)
    merged = _merged_origins(ws, range(header_row + 1, ws.max_row + 1), used)
    formulas = problems.formulas.get(ws.title, {})
    hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    _warn_hidden_sheet_and_columns(ws, sheet, columns, problems)
    hidden_read: list[int] = []
    table_rows = []
    for r in sorted(set(present) | {r for r, _ in merged}):
        by_col = present.get(r, {})
        cells: Row = {}
        own_values = False  # a row holding only values spilled from a merge above is a blank row
        for name, col in columns.items():
            letter = column_letter(col)
            c = merged.get((r, col)) or by_col.get(col)
            place = f"{sheet.name}!{letter}{r}"
            cell = SourceCell(_cell_value(c, place, formulas.get(f"{letter}{r}"), problems), place,
                              getattr(c, "number_format", "General"))
            cells[name] = cell
            own_values = own_values or ((r, col) not in merged and not cell.blank)
        if not own_values:
            continue  # blank, or only uncalculated formulas, each already reported at its cell
        if r in hidden:
            hidden_read.append(r)
        cells["_row"] = SourceCell(r, f"{sheet.name}!{r}:{r}")
        table_rows.append(cells)
    _warn_hidden_rows(sheet, hidden_read, problems)
    return Table(sheet, table_rows)


# --- row helpers: a field of a row, with "is required" recorded at the cell when it is blank ----------

def required_cell(row: Row, name: str, problems: Problems, what: str | None = None) -> SourceCell | None:
    cell = row[name]
    if cell.blank:
        problems.error(cell.place, cell.required(what or name))
        return None
    return cell


def cell_text(row: Row, name: str, problems: Problems, required: bool = True) -> str:
    """The text in column NAME ("" if blank or not in the sheet); blank is an error if REQUIRED."""
    cell = row.get(name)
    if cell is None or cell.blank:
        if required and cell is not None:
            problems.error(cell.place, cell.required(name))
        return ""
    return parse_text(cell, problems)


def optional(row: Row, name: str, parser: Callable[..., Any], problems: Problems, *args: Any) -> Any:
    """PARSER's value for column NAME, or None if it is blank or not in the sheet."""
    cell = row.get(name)
    if cell is None or cell.blank:
        return None
    return parser(cell, problems, *args)


def required(row: Row, name: str, parser: Callable[..., Any], problems: Problems, *args: Any) -> Any:
    """PARSER's value for column NAME; blank is an error ("NAME is required") and gives None."""
    cell = required_cell(row, name, problems)
    return parser(cell, problems, *args) if cell is not None else None
