"""What would print cut in an annex, measured from the saved workbook: the check behind test_annex_print.py.

Each sheet's title (row 1, 16 pt bold) must fit across the columns that print; each table's headers must fit
their column (their longest word on a line) and their row (every wrapped line); a cell that does not wrap must
hold its text; a wrapped cell its longest word. Widths are measured as `render.annex_layout` measures them,
in the same Arial metrics, with no allowance beyond the padding the layout keeps."""

from __future__ import annotations

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from cqcdocs.render.annex_layout import INDENT_PX, LINE_PT, PADDING_PX, column_px, text_px, wrapped_lines

DEFAULT_WIDTH = 8.43


def _width(ws, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    # openpyxl keeps a width set for a range of columns on the first of them
    for d in ws.column_dimensions.values():
        if d.min and d.max and d.min <= col <= d.max and d.width:
            return d.width - 0.7109375 if d.customWidth else d.width
    return (dim.width - 0.7109375) if dim is not None and dim.width else DEFAULT_WIDTH


def problems(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        widths = {c: _width(ws, c) for c in range(1, ws.max_column + 1)}
        title = ws.cell(1, 1).value
        merged = next((m for m in ws.merged_cells.ranges if m.min_row == 1 and m.min_col == 1), None)
        if title and not merged:  # a merged title wraps across its columns, its row as tall as it needs
            last = ws.max_column
            if ws.print_area:
                last = max(last, range_boundaries(str(ws.print_area).split(",")[0].split("!")[-1].replace("$", ""))[2])
            room = sum(column_px(widths.get(c, DEFAULT_WIDTH)) for c in range(1, last + 1))
            if text_px(str(title), bold=True, size=16) + PADDING_PX > room:
                found.append(f"{ws.title}!A1: title {title!r} is wider than the printed columns")
        for table in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(table.ref)
            height = ws.row_dimensions[r1].height or LINE_PT
            for col in range(c1, c2 + 1):
                cell = ws.cell(r1, col)
                text = str(cell.value or "")
                indent = True  # text from the left edge and numbers from the right, one indent in
                room = column_px(widths[col]) - PADDING_PX - INDENT_PX
                longest = max((text_px(w, bold=True) for w in text.split()), default=0)
                if longest > room:
                    found.append(f"{ws.title}!{cell.coordinate}: header {text!r} is cut (a word wider than its column)")
                elif wrapped_lines(text, widths[col], bold=True, indent=indent) * LINE_PT > height + 1:
                    found.append(f"{ws.title}!{cell.coordinate}: header {text!r} is cut (more lines than its row)")
                for row in range(r1 + 1, r2 + 1):
                    cell = ws.cell(row, col)
                    if not isinstance(cell.value, str) or not cell.value:
                        continue
                    room = column_px(widths[col]) - PADDING_PX - INDENT_PX
                    if cell.alignment.wrap_text:
                        longest = max((text_px(w) for w in cell.value.split()), default=0)
                        if longest > room:
                            found.append(f"{ws.title}!{cell.coordinate}: {cell.value!r} is cut (a word wider than "
                                         "its column)")
                    elif text_px(cell.value) > room:
                        found.append(f"{ws.title}!{cell.coordinate}: {cell.value!r} is cut (it does not wrap)")
    return found
