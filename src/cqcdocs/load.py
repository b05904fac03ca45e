"""Load a source workbook into the typed model, reporting every problem with the cell it is in.

Reading is forgiving where people differ harmlessly (header case and spacing, apostrophe style, UK dates
typed as text, percentages as 0.7057, 70.57 or "70.57%"), and strict where a mistake would change a
figure. Problems are collected, never raised one at a time: `load_workbook` either returns a model or
raises `InvalidWorkbook` carrying all of them. Warnings (text cleaned, hidden rows read) come back with
the model. The source file is opened read-only and never written.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable
from xml.etree import ElementTree

from .errors import InvalidWorkbook
from .contract import (ACTION_STATUSES, ASSESSMENT_FIELDS, EVIDENCE_CATEGORIES, FINDING_SECTIONS,
                       QUALITY_STATEMENTS, RATING_LABELS, SHEETS_BY_NAME, QualityStatement, Sheet, Theme,
                       find_quality_statement, find_theme, normalise)
from .model import (MONTHS, XML_ILLEGAL, Action, Assessment, Benchmark, Finding, Meeting, Message, Metric,
                    Milestone, MonthDate, NextStep, ScoreRow, SurveyResult, Workbook, format_short_date)

# Month names and the abbreviations people type ("14 Sept 2026"), for dates written as text.
_MONTHS = {m.lower(): i for i, m in enumerate(MONTHS, start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
MAX_TEXT = 32_767  # Excel's own cell limit; longer text can only come from a broken or hand-made file.


@dataclass
class Cell:
    value: Any
    place: str
    number_format: str = "General"

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


class Problems:
    """Collects errors and warnings in the order they are found."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        # Formula cells with no saved value, by sheet title ({"Scores": {"C2": "=1+1"}}).
        self.formulas: dict[str, dict[str, str]] = {}
        # Cells that already carry their own error: a second one ("is required") would only mislead.
        self.silenced: set[str] = set()

    def error(self, place: str, text: str) -> None:
        if place in self.silenced:
            return
        self.messages.append(Message(place, text, "error"))

    def warn(self, place: str, text: str) -> None:
        self.messages.append(Message(place, text, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(m.level == "error" for m in self.messages)


# --- cell parsers: each returns the value, or None after recording an error -------------------------

def _show(value: Any) -> str:
    """VALUE as the officer sees it in Excel: quoted text, TRUE/FALSE, and dates said to be dates.

    A date where a number belongs is usually Excel's doing ("1/4" typed into a score becomes 1 April),
    so it is named as a date rather than shown as Python's '2026-04-01 00:00:00'.
    """
    if isinstance(value, bool):
        return repr("TRUE" if value else "FALSE")
    if isinstance(value, datetime):
        return f"the date {value:%d/%m/%Y}" + (f" {value:%H:%M}" if value.time() != datetime.min.time() else "")
    if isinstance(value, date):
        return f"the date {value:%d/%m/%Y}"
    text = str(value)
    return repr(text[:40] + "…" if len(text) > 40 else text)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _decode_escapes(text: str) -> str:
    """Excel stores characters XML cannot hold as "_x0007_"; openpyxl hands them over undecoded."""
    if "_x" not in text:
        return text
    text = _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    # Each half of a surrogate pair is escaped on its own: rejoin the halves, leave lone ones to be removed.
    return _SURROGATE_PAIR.sub(lambda m: m[0].encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)


def parse_text(cell: Cell, problems: Problems) -> str:
    if cell.blank:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = _decode_escapes(str(value)).strip()
    cleaned = XML_ILLEGAL.sub("", text)
    if cleaned != text:
        problems.warn(cell.place, f"removed {len(text) - len(cleaned)} control or invalid character(s) "
                                  "that Word cannot hold")
        cleaned = cleaned.strip()
    if len(cleaned) > MAX_TEXT:
        problems.warn(cell.place, f"text cut to {MAX_TEXT:,} characters, Excel's limit for a cell "
                                  f"(it had {len(cleaned):,})")
        cleaned = cleaned[:MAX_TEXT]
    return cleaned


def parse_score(cell: Cell, problems: Problems) -> int | None:
    """A score 1–4: a whole number, as a number or as text ("3")."""
    value = cell.value
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1 <= value <= 4:
        return int(value)
    problems.error(cell.place, f"score must be a whole number 1–4, got {_show(cell.value)}")
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u2212", "-")
        try:
            return float(text)
        except ValueError:
            return None
    return None


def parse_number(cell: Cell, problems: Problems, what: str = "value") -> float | None:
    """A number; a cell formatted as a percentage holds a fraction, which is read as per cent."""
    if isinstance(cell.value, str) and cell.value.strip().endswith("%"):
        number = _number(cell.value.strip()[:-1])
    else:
        number = _number(cell.value)
        if number is not None and "%" in cell.number_format:
            number *= 100
    if number is None or number != number:  # NaN
        problems.error(cell.place, f"{what} must be a number, got {_show(cell.value)}")
        return None
    return number


def _show_pct(cell: Cell, number: float) -> str:
    """A percentage cell as the officer sees it: 0.725 formatted as a percentage is '72.5%' (Excel may
    show it rounded, as 73%); a plain fraction says what it was read as: '0.725' (read as 72.5%)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "%" in cell.number_format:
            return repr(f"{round(value * 100, 6):f}".rstrip("0").rstrip(".") + "%")
        if number != value:
            return f"{_show(value)} (read as {f'{number:f}'.rstrip('0').rstrip('.')}%)"
    return _show(value)


def parse_pct(cell: Cell, problems: Problems, what: str = "percentage") -> float | None:
    """A percentage 0–100: "70.57%", 70.57, or the fraction 0.7057 (any number from 0 to 1)."""
    is_text_pct = isinstance(cell.value, str) and cell.value.strip().endswith("%")
    number = parse_number(cell, problems, what)
    if number is None:
        return None
    if not is_text_pct and "%" not in cell.number_format and 0 <= number <= 1:
        number *= 100
    number = round(number, 6)  # fractions such as 0.57 * 100 come back as 56.99999999999999
    if not 0 <= number <= 100:
        problems.error(cell.place, f"{what} must be between 0% and 100%, got {_show_pct(cell, number)}")
        return None
    return number


def parse_whole_pct(cell: Cell, problems: Problems, what: str) -> int | None:
    number = parse_pct(cell, problems, what)
    if number is None:
        return None
    if not float(number).is_integer():
        problems.error(cell.place, f"{what} must be a whole per cent (CQC rounds up), got "
                                   f"{_show_pct(cell, number)}")
        return None
    return int(number)


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LONG = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def parse_date(cell: Cell, problems: Problems) -> date | None:
    """A real Excel date, or text: 14/05/2026 (UK day first), 2026-05-14, 14 May 2026, May 2026."""
    value = cell.value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    parts: tuple[int, int, int] | None = None
    month_only = False
    if m := _DAY_FIRST.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        parts = (year + 2000 if year < 100 else year, month, day)
    elif m := _ISO.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _LONG.match(text)) and m[2].lower() in _MONTHS:
        parts = (int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    elif (m := _MONTH_YEAR.match(text)) and m[1].lower() in _MONTHS:
        parts, month_only = (int(m[2]), _MONTHS[m[1].lower()], 1), True
    if parts is not None:
        try:
            return MonthDate(*parts) if month_only else date(*parts)
        except ValueError:
            problems.error(cell.place, f"{_show(value)} is not a real date")
            return None
    problems.error(cell.place, f"date must be a date such as 14/05/2026, 14 May 2026 or May 2026, "
                               f"got {_show(value)}")
    return None


def parse_yes_no(cell: Cell, problems: Problems, what: str = "value") -> bool | None:
    if isinstance(cell.value, bool):
        return cell.value
    text = normalise(str(cell.value))
    if text in ("y", "yes", "true", "1"):
        return True
    if text in ("n", "no", "false", "0"):
        return False
    problems.error(cell.place, f"{what} must be Y or N, got {_show(cell.value)}")
    return None


def _choose(cell: Cell, problems: Problems, options: tuple[str, ...], what: str,
            extra: dict[str, str] | None = None) -> str | None:
    lookup = {normalise(o): o for o in options}
    lookup.update({normalise(k): v for k, v in (extra or {}).items()})
    text = normalise(str(cell.value))
    if text in lookup:
        return lookup[text]
    problems.error(cell.place, f"{what} must be one of {', '.join(options)}; got {_show(cell.value)}")
    return None


def parse_theme(cell: Cell, problems: Problems) -> Theme | None:
    theme = find_theme(str(cell.value))
    if theme is None:
        problems.error(cell.place, f"unknown theme {_show(cell.value)}: use Working with people, Providing "
                                   "support, Ensuring safety or Leadership")
    return theme


def parse_quality_statement(cell: Cell, problems: Problems) -> QualityStatement | None:
    qs = find_quality_statement(str(cell.value))
    if qs is None:
        problems.error(cell.place, f"unknown quality statement {_show(cell.value)}: use one of CQC's nine "
                                   "(see docs/workbook.md)")
    return qs


# --- sheets ---------------------------------------------------------------------------------------

def _col_letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Table:
    """A contract sheet's rows as dicts of `Cell`, keyed by the contract's column names."""

    def __init__(self, sheet: Sheet, rows: list[dict[str, Cell]]):
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


def _spans(rows: list[int]) -> str:
    """[3, 5, 6, 7] → "3, 5–7"."""
    parts: list[str] = []
    for r in rows:
        if parts and parts[-1][1] == r - 1:
            parts[-1] = (parts[-1][0], r)
        else:
            parts.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in parts)


def _read_table(ws: Any, sheet: Sheet, problems: Problems) -> Table | None:
    """Find the header row (within the first 10 rows), map columns by name, collect non-blank rows.

    Merged cells read as what Excel shows: the merged value in every cell of the range (a header merged
    across rows, a theme merged down a block of findings). A formula with no saved value, or a cell
    showing an Excel error (#N/A), is an error at that cell and otherwise reads as blank.
    """
    wanted = {normalise(c.name): c.name for c in sheet.columns}
    last_col = min(ws.max_column, 200)  # contract columns sit near the left; extra columns are ignored
    head_rows = range(1, min(ws.max_row, 10) + 1)
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
    required = [c.name for c in sheet.columns if c.required]
    if best is None:
        problems.error(sheet.name, f"no header row found; expected columns {', '.join(required)}")
        return None
    header_row, columns, again = best
    for c, name in again:
        problems.warn(f"{sheet.name}!{_col_letter(c)}{header_row}", f"a second {name!r} column: only the first, "
                                                                     f"column {_col_letter(columns[name])}, is read")
    missing = [name for name in required if name not in columns]
    if missing:
        problems.error(f"{sheet.name}!{header_row}:{header_row}",
                       f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}")
        return None
    used = range(min(columns.values()), max(columns.values()) + 1)
    present = _present_cells(ws, header_row + 1, ws.max_row, used)
    merged = _merged_origins(ws, range(header_row + 1, ws.max_row + 1), used)
    merged_rows = {r for r, _ in merged}
    formulas = problems.formulas.get(ws.title, {})
    hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    # Hidden things are easy to forget when a workbook is handed on: say they are read, never skip them.
    if ws.sheet_state != "visible":
        problems.warn(sheet.name, "sheet is hidden in Excel; it is read like any other sheet")
    hidden_cols = {c for dim in ws.column_dimensions.values() if dim.hidden and dim.min
                   for c in range(dim.min, (dim.max or dim.min) + 1)}
    for name, col in columns.items():
        if col in hidden_cols:
            letter = _col_letter(col)
            problems.warn(f"{sheet.name}!{letter}:{letter}",
                          f"column {name!r} is hidden in Excel; it is read like any other column")
    hidden_read: list[int] = []
    table_rows = []
    for r in sorted(set(present) | merged_rows):
        by_col = present.get(r, {})
        cells: dict[str, Cell] = {}
        own_values = False  # a row holding only values spilled from a merge above is a blank row
        for name, col in columns.items():
            letter = _col_letter(col)
            place = f"{sheet.name}!{letter}{r}"
            c = merged.get((r, col)) or by_col.get(col)
            value = getattr(c, "value", None)
            if f"{letter}{r}" in formulas:
                formula = formulas[f"{letter}{r}"]
                problems.error(place, f"formula {_show(formula) + ' ' if formula else ''}has no saved value: "
                                      "open the workbook in Excel (or LibreOffice) and save it, so the result "
                                      "is stored")
                problems.silenced.add(place)
                value = None
            elif getattr(c, "data_type", None) == "e":
                problems.error(place, f"shows the Excel error {value}: correct the formula or type the value")
                problems.silenced.add(place)
                value = None
            cell = Cell(value, place, getattr(c, "number_format", "General"))
            cells[name] = cell
            own_values = own_values or ((r, col) not in merged and not cell.blank)
        if not own_values:
            continue  # blank, or only uncalculated formulas, each already reported at its cell
        if r in hidden:
            hidden_read.append(r)
        cells["_row"] = Cell(r, f"{sheet.name}!{r}:{r}")
        table_rows.append(cells)
    if len(hidden_read) == 1:
        problems.warn(f"{sheet.name}!{hidden_read[0]}:{hidden_read[0]}",
                      "row is hidden in Excel; it is read like any other row")
    elif hidden_read:
        problems.warn(sheet.name, f"rows {_spans(hidden_read)} are hidden in Excel; they are read like any "
                                  "other row")
    return Table(sheet, table_rows)


def _required(row: dict[str, Cell], name: str, problems: Problems, what: str | None = None) -> Cell | None:
    cell = row[name]
    if cell.blank:
        problems.error(cell.place, f"{what or name} is required")
        return None
    return cell


def _text(row: dict[str, Cell], name: str, problems: Problems, required: bool = True) -> str:
    cell = row.get(name)
    if cell is None or cell.blank:
        if required and cell is not None:
            problems.error(cell.place, f"{name} is required")
        return ""
    return parse_text(cell, problems)


def _opt(row: dict[str, Cell], name: str, parser: Callable[..., Any], problems: Problems, *args: Any) -> Any:
    cell = row.get(name)
    if cell is None or cell.blank:
        return None
    return parser(cell, problems, *args)


def _req(row: dict[str, Cell], name: str, parser: Callable[..., Any], problems: Problems, *args: Any) -> Any:
    cell = _required(row, name, problems)
    return parser(cell, problems, *args) if cell is not None else None


def read_assessment(ws: Any, problems: Problems) -> Assessment | None:
    table = _read_table(ws, SHEETS_BY_NAME["Assessment"], problems)
    if table is None:
        return None
    known = {normalise(f): f for f, _ in ASSESSMENT_FIELDS}
    values: dict[str, Cell] = {}
    field_places: dict[str, str] = {}
    for row in table.rows:
        field_name = known.get(normalise(str(row["Field"].value)))
        if field_name is None:
            continue  # extra fields are the officer's own notes
        if field_name in values:
            problems.error(row["Field"].place, f"field {field_name!r} is given twice (also "
                                               f"{field_places[field_name]})")
            continue
        values[field_name] = row["Value"]
        field_places[field_name] = row["Field"].place
    for field_name, required in ASSESSMENT_FIELDS:
        if required and (field_name not in values or values[field_name].blank):
            place = values[field_name].place if field_name in values else "Assessment"
            problems.error(place, f"field {field_name!r} is required")

    def get(name: str, parser: Callable[..., Any] = parse_text, *args: Any) -> Any:
        cell = values.get(name)
        if cell is None or cell.blank:
            return None
        return parser(cell, problems, *args)

    council = get("Council") or ""
    published = get("Assessment published", parse_date)
    rating = get("Published overall rating", _choose, RATING_LABELS, "published overall rating")
    places = {"published_overall_pct": values["Published overall score %"].place
              if "Published overall score %" in values else "Assessment",
              "published_rating": values["Published overall rating"].place
              if "Published overall rating" in values else "Assessment"}
    assessment = Assessment(
        council=council,
        short_name=get("Short name") or council,
        region=get("Region") or "",
        sub_region=get("Sub-region") or "",
        published=published,
        report_title=get("Report title") or f"Care Quality Commission (CQC) assessment of {council} adult social care",
        report_date=get("Report date", parse_date) or published,
        directorate=get("Directorate") or "",
        report_author=get("Report author") or "",
        approving_director=get("Approving director") or "",
        key_decision=bool(get("Key decision", parse_yes_no, "key decision")),
        wards_affected=get("Wards affected") or "All wards",
        protective_marking=get("Protective marking") or "OFFICIAL",
        published_rating=rating,
        published_overall_pct=get("Published overall score %", parse_whole_pct, "published overall score"),
        places=places,
    )
    return assessment


def read_scores(ws: Any, problems: Problems) -> tuple[ScoreRow, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Scores"], problems)
    if table is None:
        return ()
    if not table.rows:  # headers only: nine "not listed" warnings would bury the point
        problems.error("Scores", "no quality statement is listed: add a row for each of CQC's nine and score "
                                 "at least one")
        return ()
    seen: dict[str, str] = {}
    rows: dict[str, ScoreRow] = {}
    for row in table.rows:
        qs_cell = _required(row, "Quality statement", problems)
        qs = parse_quality_statement(qs_cell, problems) if qs_cell else None
        theme = _opt(row, "Theme", parse_theme, problems)
        if qs is None:
            continue
        if qs.key in seen:
            problems.error(qs_cell.place, f"quality statement {qs.name!r} is listed twice (also {seen[qs.key]})")
            continue
        seen[qs.key] = qs_cell.place
        if theme is not None and theme.number != qs.theme:
            problems.error(row["Theme"].place, f"{qs.name!r} belongs to theme {qs.theme} "
                                               f"({_theme_name(qs.theme)}), not {theme.name!r}")
        categories = {}
        for name in EVIDENCE_CATEGORIES:
            cell = row.get(name)
            if cell is not None and not cell.blank:
                score = parse_score(cell, problems)
                if score is not None:
                    categories[name] = score
        places = {k: row[c].place for k, c in (("score", "Score"), ("published_pct", "Published %"))
                  if c in row}
        rows[qs.key] = ScoreRow(
            quality_statement=qs, theme=_theme(qs.theme), categories=categories,
            score=_opt(row, "Score", parse_score, problems),
            draft_score=_opt(row, "Draft score", parse_score, problems),
            published_pct=_opt(row, "Published %", parse_whole_pct, problems, "published %"),
            place=qs_cell.place, places=places)
    for qs in QUALITY_STATEMENTS:
        if qs.key not in rows:
            problems.warn("Scores", f"quality statement {qs.name!r} is not listed; treated as not assessed")
    result = tuple(rows.get(qs.key) or ScoreRow(qs, _theme(qs.theme), {}) for qs in QUALITY_STATEMENTS)
    if table.rows and not problems.has_errors and all(not r.categories and r.score is None for r in result):
        problems.error("Scores", "no quality statement has a score: at least one must be assessed")
    return result


def _theme(number: int) -> Theme:
    from .contract import THEMES
    return THEMES[number - 1]


def _theme_name(number: int) -> str:
    return _theme(number).name


def _qs_in_theme(row: dict[str, Cell], theme: Theme | None, problems: Problems) -> QualityStatement | None:
    qs = _opt(row, "Quality statement", parse_quality_statement, problems)
    if qs is not None and theme is not None and qs.theme != theme.number:
        problems.error(row["Quality statement"].place,
                       f"{qs.name!r} belongs to theme {qs.theme} ({_theme_name(qs.theme)}), not {theme.name!r}")
    return qs


_SECTION_ALIASES = {"People's experiences": "People's experience", "Summary of people's experiences":
                    "People's experience", "Key strengths": "Key strength", "Strength": "Key strength",
                    "Strengths": "Key strength", "Areas for development": "Area for development",
                    "Summary of strengths and areas for development": "Summary"}


def read_findings(ws: Any, problems: Problems) -> tuple[Finding, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Findings"], problems)
    findings = []
    for row in table.rows if table else []:
        theme = _req(row, "Theme", parse_theme, problems)
        section = _req(row, "Section", _choose, problems, FINDING_SECTIONS, "section", _SECTION_ALIASES)
        findings.append(Finding(
            review=_text(row, "Review", problems), theme=theme, quality_statement=_qs_in_theme(row, theme, problems),
            section=section, text=_text(row, "Finding", problems), service_area=_text(row, "Service area", problems,
                                                                                      False),
            place=row["_row"].place))
    return tuple(findings)


def read_governance(ws: Any, problems: Problems) -> tuple[Meeting, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Governance"], problems)
    meetings = []
    for row in table.rows if table else []:
        when = _req(row, "Date", parse_date, problems)
        deadline = _opt(row, "Paper deadline", parse_date, problems)
        if when and deadline and deadline > when:
            problems.warn(row["Paper deadline"].place, f"paper deadline {format_short_date(deadline)} is after the "
                                                        f"meeting date {format_short_date(when)} ({row['Date'].place})")
        meetings.append(Meeting(_text(row, "Meeting", problems), when, deadline,
                                _text(row, "Purpose", problems, False), row["_row"].place))
    return tuple(meetings)


def read_key_dates(ws: Any, problems: Problems) -> tuple[Milestone, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Key dates"], problems)
    milestones = []
    for row in table.rows if table else []:
        start = _req(row, "Date", parse_date, problems)
        end = _opt(row, "End date", parse_date, problems)
        if start and end and end < start:
            problems.error(row["End date"].place, f"end date {format_short_date(end)} is before the start "
                                                  f"date {format_short_date(start)} ({row['Date'].place})")
        milestones.append(Milestone(_text(row, "Milestone", problems), start, end))
    return tuple(milestones)


def read_next_steps(ws: Any, problems: Problems) -> tuple[NextStep, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Next steps"], problems)
    return tuple(NextStep(_text(row, "Step", problems), _opt(row, "Date", parse_date, problems))
                 for row in (table.rows if table else []))


def read_survey(ws: Any, problems: Problems) -> tuple[SurveyResult, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Survey"], problems)
    return tuple(SurveyResult(_text(row, "Question", problems), _req(row, "% positive", parse_pct, problems, "% positive"),
                              _text(row, "Group", problems, False))
                 for row in (table.rows if table else []))


def read_benchmarks(ws: Any, problems: Problems) -> tuple[Benchmark, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Benchmarks"], problems)
    benchmarks = []
    for row in table.rows if table else []:
        qs_scores = {}
        for qs in QUALITY_STATEMENTS:
            score = _opt(row, qs.name, parse_score, problems)
            if score is not None:
                qs_scores[qs.key] = score
        benchmarks.append(Benchmark(
            council=_text(row, "Council", problems), region=_text(row, "Region", problems),
            sub_region=_text(row, "Sub-region", problems, False),
            overall_pct=_opt(row, "Overall score %", parse_whole_pct, problems, "overall score %"),
            rating=_opt(row, "Rating", _choose, problems, RATING_LABELS, "rating"),
            published=_opt(row, "Published", parse_date, problems),
            source=_text(row, "Source", problems, False), qs_scores=qs_scores, place=row["_row"].place))
    return tuple(benchmarks)


def read_metrics(ws: Any, problems: Problems) -> tuple[Metric, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Metrics"], problems)
    metrics = []
    for row in table.rows if table else []:
        metrics.append(Metric(
            indicator=_text(row, "Indicator", problems), source=_text(row, "Source", problems),
            council_value=_req(row, "Council value", parse_number, problems, "council value"),
            england_average=_req(row, "England average", parse_number, problems, "England average"),
            unit=_text(row, "Unit", problems, False) or "%",
            higher_is_better=_opt(row, "Higher is better", parse_yes_no, problems, "higher is better"),
            cqc_comparison=_text(row, "CQC comparison", problems, False),
            quality_statement=_opt(row, "Quality statement", parse_quality_statement, problems),
            place=row["_row"].place))
    return tuple(metrics)


def read_actions(ws: Any, problems: Problems) -> tuple[Action, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Actions"], problems)
    actions = []
    refs: dict[str, str] = {}
    for row in table.rows if table else []:
        ref = _text(row, "Ref", problems)
        if ref and ref in refs:
            problems.error(row["Ref"].place, f"action ref {ref!r} is used twice (also {refs[ref]})")
        refs.setdefault(ref, row["Ref"].place)
        actions.append(Action(
            ref=ref, theme=_req(row, "Theme", parse_theme, problems),
            area_for_development=_text(row, "Area for development", problems),
            action=_text(row, "Action", problems), owner=_text(row, "Owner", problems, False),
            due=_opt(row, "Due", parse_date, problems),
            status=_req(row, "Status", _choose, problems, ACTION_STATUSES, "status"),
            update=_text(row, "Update", problems, False), place=row["_row"].place))
    return tuple(actions)


def read_recommendations(ws: Any, problems: Problems) -> tuple[str, ...]:
    table = _read_table(ws, SHEETS_BY_NAME["Recommendations"], problems)
    return tuple(_text(row, "Recommendation", problems) for row in (table.rows if table else []))


_READERS: dict[str, Callable[[Any, Problems], Any]] = {
    "Assessment": read_assessment, "Scores": read_scores, "Findings": read_findings,
    "Governance": read_governance, "Key dates": read_key_dates, "Next steps": read_next_steps,
    "Survey": read_survey, "Benchmarks": read_benchmarks, "Metrics": read_metrics, "Actions": read_actions,
    "Recommendations": read_recommendations,
}


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound document: .xls, or an encrypted .xlsx
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
MAX_UNPACKED = 256 * 1024 * 1024  # far beyond any real source workbook; stops a zip bomb before openpyxl
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


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
MAX_MERGED = 1_000_000  # openpyxl makes an object per merged cell: a merge of whole columns would hang it


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _scan_sheets(z: zipfile.ZipFile, workbook_part: str) -> tuple[dict[str, dict[str, str]], tuple[str, str] | None]:
    """Look in the sheet XML for what openpyxl cannot tell us, before it loads anything.

    Returns formula cells with no saved result, by sheet title ({"Scores": {"C2": "=1+1"}}), and
    (sheet, why) if a sheet merges so many cells that openpyxl would not finish loading it.
    openpyxl (data_only) gives None both for an empty cell and for a formula never calculated (files
    written by scripts, not Excel); only contract sheets that hold a formula at all are parsed for
    them, so a normal workbook pays almost nothing.
    """
    wanted = {normalise(s) for s in SHEETS_BY_NAME}
    folder = workbook_part.rsplit("/", 1)[0] if "/" in workbook_part else ""
    rels_name = f"{folder}/_rels/{workbook_part.rsplit('/', 1)[-1]}.rels".lstrip("/")
    try:
        rels = {rel.get("Id"): rel.get("Target", "")
                for rel in ElementTree.fromstring(z.read(rels_name)).iter(f"{{{_NS_PKG}}}Relationship")}
        sheets = list(ElementTree.fromstring(z.read(workbook_part)).iter(f"{{{_NS_MAIN}}}sheet"))
    except (KeyError, ElementTree.ParseError):
        return {}, None  # openpyxl will report the damage
    found: dict[str, dict[str, str]] = {}
    for sheet in sheets:
        title = sheet.get("name", "")
        target = rels.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{folder}/{target}")
        try:
            data = z.read(part) if target else b""
        except KeyError:
            continue
        if b"mergeCell" in data:
            area = sum((_column_number(m[3] or m[1]) - _column_number(m[1]) + 1) * (int(m[4] or m[2]) - int(m[2]) + 1)
                       for m in _MERGE_XML.finditer(data))
            if area > MAX_MERGED:
                return found, (title, f"merged cells cover {area:,} cells: unmerge whole rows or columns in "
                                      "Excel and save it")
        if normalise(title) not in wanted or not _HAS_FORMULA.search(data):
            continue
        for m in _CELL_XML.finditer(data):
            inner = m[2] or b""
            formula = _FORMULA_XML.search(inner)
            if formula is None or _VALUE_XML.search(inner) or _STR_TYPE.search(m[1]):
                continue  # no formula, or a saved result (t="str" with an empty <v> is a saved "")
            if r := _R_ATTR.search(m[1]):
                text = xml_unescape((formula[1] or b"").decode("utf-8", "replace"))
                found.setdefault(title, {})[r[1].decode()] = f"={text}" if text else ""
    return found, None


def _open(path: Path, problems: Problems) -> tuple[Any, dict[str, dict[str, str]]] | None:
    """Open with openpyxl for cached values only (formulas are never evaluated, macros never run).

    The file is read once into memory and never opened for writing. Returns the openpyxl workbook and
    the formula cells that have no saved value, or None after recording why the file cannot be used.
    """
    import openpyxl

    name = path.name
    if not path.exists():
        problems.error(name, "file not found")
        return None
    if path.is_dir():
        problems.error(name, "is a folder, not a workbook")
        return None
    if name.startswith("~$"):
        problems.error(name, f"is the lock file Excel keeps while a workbook is open, not the workbook: "
                             f"use {name[2:]!r}")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(name, f"cannot be opened ({exc.strerror or exc})")
        return None
    if why := _not_a_package(data, path.suffix.lower()):
        problems.error(name, why)
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            if unpacked > MAX_UNPACKED:
                problems.error(name, f"is too large to be a source workbook ({unpacked // 2**20:,} MB unpacked)")
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
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data bars, slicers…); they carry no data we read.
            warnings.simplefilter("ignore", UserWarning)
            # A file object, not the path: openpyxl would refuse a name not ending .xlsx/.xlsm.
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged packages; all mean the same to an officer
        problems.error(name, f"is damaged and cannot be read as an Excel workbook ({type(exc).__name__}: "
                             f"{str(exc)[:200]})")
        return None
    return wb, uncached


def read(path: str | Path) -> tuple[Workbook | None, list[Message]]:
    """Read a workbook: the model (None if any error) and every message, errors and warnings."""
    from openpyxl.worksheet.worksheet import Worksheet

    path = Path(path)
    problems = Problems()
    opened = _open(path, problems)
    if opened is None:
        return None, problems.messages
    wb, problems.formulas = opened
    sheets = {normalise(n): n for n in wb.sheetnames}
    parts: dict[str, Any] = {}
    for sheet_name, reader in _READERS.items():
        actual = sheets.get(normalise(sheet_name))
        if actual is None:
            if SHEETS_BY_NAME[sheet_name].required:
                problems.error(sheet_name, f"sheet {sheet_name!r} is missing (the workbook has "
                                           f"{', '.join(repr(n) for n in wb.sheetnames)})")
            parts[sheet_name] = None if sheet_name == "Assessment" else ()
            continue
        if not isinstance(wb[actual], Worksheet):  # a chart sheet: no cells to read
            if SHEETS_BY_NAME[sheet_name].required:
                problems.error(sheet_name, f"sheet {actual!r} is a chart, not a table: put the {sheet_name} "
                                           "table on an ordinary sheet of that name")
            else:
                problems.warn(sheet_name, f"sheet {actual!r} is a chart, not a table; it is ignored")
            parts[sheet_name] = None if sheet_name == "Assessment" else ()
            continue
        parts[sheet_name] = reader(wb[actual], problems)
    wb.close()
    if problems.has_errors or parts["Assessment"] is None:
        return None, problems.messages
    workbook = Workbook(
        source=str(path), assessment=parts["Assessment"], scores=parts["Scores"], findings=parts["Findings"],
        governance=parts["Governance"], key_dates=parts["Key dates"], next_steps=parts["Next steps"],
        survey=parts["Survey"], benchmarks=parts["Benchmarks"], metrics=parts["Metrics"],
        actions=parts["Actions"], recommendations=parts["Recommendations"])
    return workbook, problems.messages


def load_workbook(path: str | Path) -> tuple[Workbook, list[Message]]:
    """The model and its warnings; raises `InvalidWorkbook` with every message if there is any error."""
    workbook, messages = read(path)
    if workbook is None:
        raise InvalidWorkbook(messages, Path(path).name)
    return workbook, [m for m in messages if m.level == "warning"]
