"""Load a source workbook into the typed model, reporting every problem with the cell it is in.

Reading is forgiving where people differ harmlessly (header case and spacing, apostrophe style, UK dates
typed as text, percentages as 0.7057, 70.57 or "70.57%"), and strict where a mistake would change a
figure. Problems are collected, never raised one at a time: `load_workbook` either returns a model or
raises `InvalidWorkbook` carrying all of them. Warnings (text cleaned, hidden rows read) come back with
the model. The source file is opened read-only and never written.

Where things live: `opening` (what a file is, opening it safely), `cells` (one cell's value), `table`
(finding a contract table and reading its rows), `sheets` (one reader per contract sheet). Imports run
one way: load → contract, model, errors; nothing here imports scoring, the renderers or the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from collections.abc import Callable

from ..contract import SHEETS_BY_NAME, normalise
from ..errors import InvalidWorkbook
from ..files import display_name
from ..model import Message, Workbook
from .cells import (MAX_TEXT, Problems, SourceCell, parse_choice, parse_date, parse_number, parse_pct,
                    parse_quality_statement, parse_score, parse_text, parse_theme, parse_whole_pct, parse_yes_no)
from .opening import MAX_MERGED, MAX_UNPACKED, open_workbook
from .sheets import READERS, check_journey, check_updates

__all__ = ["read", "load_workbook", "InvalidWorkbook", "Problems", "SourceCell", "MAX_TEXT", "MAX_UNPACKED",
           "MAX_MERGED", "parse_text", "parse_score", "parse_number", "parse_pct", "parse_whole_pct", "parse_date",
           "parse_yes_no", "parse_choice", "parse_theme", "parse_quality_statement"]


def _read_sheet(wb: Any, sheet_name: str, reader: Callable[[Any, Problems], Any], problems: Problems) -> Any:
    """What READER makes of contract sheet SHEET_NAME; if the sheet is missing or a chart, None for the
    Assessment and () for the rest, after an error (a required sheet) or a warning (a chart sheet)."""
    empty = None if sheet_name == "Assessment" else ()
    actual = {normalise(n): n for n in wb.sheetnames}.get(normalise(sheet_name))
    if actual is None:
        if SHEETS_BY_NAME[sheet_name].required:
            problems.error(sheet_name, f"sheet {sheet_name!r} is missing (the workbook has "
                                       f"{', '.join(repr(n) for n in wb.sheetnames)})")
        return empty
    if "chartsheet" in getattr(wb[actual], "mime_type", ""):  # a chart sheet (ours or openpyxl's): no cells
        if SHEETS_BY_NAME[sheet_name].required:
            problems.error(sheet_name, f"sheet {actual!r} is a chart, not a table: put the {sheet_name} "
                                       "table on an ordinary sheet of that name")
        else:
            problems.warn(sheet_name, f"sheet {actual!r} is a chart, not a table; it is ignored")
        return empty
    return reader(wb[actual], problems)


def read(path: str | Path) -> tuple[Workbook | None, list[Message]]:
    """Read a workbook: the model (None if any error) and every message, errors and warnings."""
    path = Path(path)
    problems = Problems()
    opened = open_workbook(path, problems)
    if opened is None:
        return None, problems.messages
    wb, problems.formulas = opened
    parts = {sheet_name: _read_sheet(wb, sheet_name, reader, problems) for sheet_name, reader in READERS.items()}
    wb.close()
    check_updates(parts["Actions"], parts["Updates"], problems)
    check_journey(parts["Reviews"], parts["Findings"], parts["Key figures"], parts["Actions"], problems)
    if problems.has_errors or parts["Assessment"] is None:
        return None, problems.messages
    workbook = Workbook(
        source=str(path), assessment=parts["Assessment"], scores=parts["Scores"], findings=parts["Findings"],
        governance=parts["Governance"], key_dates=parts["Key dates"], next_steps=parts["Next steps"],
        survey=parts["Survey"], benchmarks=parts["Benchmarks"], metrics=parts["Metrics"],
        actions=parts["Actions"], recommendations=parts["Recommendations"], updates=parts["Updates"],
        key_figures=parts["Key figures"], section_text=parts["Section text"], reviews=parts["Reviews"],
        commitments=parts["Commitments"])
    return workbook, problems.messages


def load_workbook(path: str | Path) -> tuple[Workbook, list[Message]]:
    """The model and its warnings; raises `InvalidWorkbook` with every message if there is any error."""
    workbook, messages = read(path)
    if workbook is None:
        raise InvalidWorkbook(messages, display_name(path))
    return workbook, [m for m in messages if m.level == "warning"]
