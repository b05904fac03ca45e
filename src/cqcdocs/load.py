"""Load a source workbook into the typed model, reporting every problem with the cell it is in.

Reading is forgiving where people differ harmlessly (header case and spacing, apostrophe style, UK dates
typed as text, percentages as 0.7057, 70.57 or "70.57%"), and strict where a mistake would change a
figure. Problems are collected, never raised one at a time: `load_workbook` either returns a model or
raises `InvalidWorkbook` carrying all of them. Warnings (text cleaned, hidden rows read) come back with
the model. The source file is opened read-only and never written.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from .errors import UserError
from .contract import (ACTION_STATUSES, ASSESSMENT_FIELDS, FINDING_SECTIONS, QUALITY_STATEMENTS,
                       SHEETS_BY_NAME, QualityStatement, Sheet, Theme, find_quality_statement, find_theme,
                       normalise)
from .model import (Action, Assessment, Benchmark, Finding, Meeting, Message, Metric, Milestone, MonthDate,
                    NextStep, ScoreRow, SurveyResult, Workbook)

_EVIDENCE_COLUMNS = ("People's experience", "Feedback from staff and leaders", "Processes",
                     "Feedback from partners", "Outcomes")
_RATING_LABELS = ("Inadequate", "Requires improvement", "Good", "Outstanding")
_MONTHS = {m.lower(): i for i, m in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}
_MONTHS.update({k[:3]: v for k, v in list(_MONTHS.items())})
_MONTHS["sept"] = 9
# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab/newline/CR, lone surrogates,
# and the two non-characters.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_TEXT = 32_000  # Excel's own cell limit is 32,767; longer text can only come from a broken file.


class InvalidWorkbook(UserError):
    """The workbook cannot be used; `messages` lists every error (and any warnings) found."""

    def __init__(self, messages: list[Message]):
        self.messages = messages
        super().__init__("\n".join(str(m) for m in messages))

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.level == "error"]


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

    def error(self, place: str, text: str) -> None:
        self.messages.append(Message(place, text, "error"))

    def warn(self, place: str, text: str) -> None:
        self.messages.append(Message(place, text, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(m.level == "error" for m in self.messages)


# --- cell parsers: each returns the value, or None after recording an error -------------------------

def _show(value: Any) -> str:
    text = str(value)
    return repr(text[:40] + "…" if len(text) > 40 else text)


def parse_text(cell: Cell, problems: Problems) -> str:
    if cell.blank:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date().isoformat()
    text = str(value).strip()
    cleaned = _BAD_CHARS.sub("", text)
    if cleaned != text:
        problems.warn(cell.place, f"removed {len(text) - len(cleaned)} control or invalid character(s) "
                                  "that Word cannot hold")
    if len(cleaned) > MAX_TEXT:
        problems.warn(cell.place, f"text cut to {MAX_TEXT:,} characters (it had {len(cleaned):,})")
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
        problems.error(cell.place, f"{what} must be between 0% and 100%, got {_show(cell.value)}")
        return None
    return number


def parse_whole_pct(cell: Cell, problems: Problems, what: str) -> int | None:
    number = parse_pct(cell, problems, what)
    if number is None:
        return None
    if not float(number).is_integer():
        problems.error(cell.place, f"{what} must be a whole per cent (CQC rounds up), got {_show(cell.value)}")
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


def parse_yes_no(cell: Cell, problems: Problems) -> bool | None:
    if isinstance(cell.value, bool):
        return cell.value
    text = normalise(str(cell.value))
    if text in ("y", "yes", "true", "1"):
        return True
    if text in ("n", "no", "false", "0"):
        return False
    problems.error(cell.place, f"must be Y or N, got {_show(cell.value)}")
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


def _read_table(ws: Any, sheet: Sheet, problems: Problems) -> Table | None:
    """Find the header row (within the first 10 rows), map columns by name, collect non-blank rows."""
    wanted = {normalise(c.name): c.name for c in sheet.columns}
    rows = list(ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10)))
    best: tuple[int, dict[str, int]] | None = None
    for r, row in enumerate(rows, start=1):
        found = {}
        for cell in row:
            if isinstance(cell.value, str) and normalise(cell.value) in wanted:
                found.setdefault(wanted[normalise(cell.value)], cell.column)
        if found and (best is None or len(found) > len(best[1])):
            best = (r, found)
    required = [c.name for c in sheet.columns if c.required]
    if best is None:
        problems.error(sheet.name, f"no header row found; expected columns {', '.join(required)}")
        return None
    header_row, columns = best
    missing = [name for name in required if name not in columns]
    if missing:
        problems.error(f"{sheet.name}!{header_row}:{header_row}",
                       f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)}")
        return None
    hidden = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
    table_rows = []
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        if not row:
            continue
        r = row[0].row
        cells = {}
        for name, col in columns.items():
            c = row[col - 1] if col - 1 < len(row) else None
            value = getattr(c, "value", None)
            cells[name] = Cell(value, f"{sheet.name}!{_col_letter(col)}{r}", getattr(c, "number_format", "General"))
        if all(c.blank for c in cells.values()):
            continue
        if r in hidden:
            problems.warn(f"{sheet.name}!{r}:{r}", "row is hidden in Excel; it is read like any other row")
        cells["_row"] = Cell(r, f"{sheet.name}!{r}:{r}")
        table_rows.append(cells)
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
    for row in table.rows:
        field_name = known.get(normalise(str(row["Field"].value)))
        if field_name is None:
            continue  # extra fields are the officer's own notes
        if field_name in values:
            problems.error(row["Field"].place, f"field {field_name!r} is given twice (also "
                                               f"{values[field_name].place})")
            continue
        values[field_name] = row["Value"]
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
    rating = get("Published overall rating", _choose, _RATING_LABELS, "published overall rating")
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
        key_decision=bool(get("Key decision", parse_yes_no)),
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
        for name in _EVIDENCE_COLUMNS:
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
            problems.warn(row["Paper deadline"].place, "paper deadline is after the meeting date")
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
            problems.error(row["End date"].place, "end date is before the date")
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
            rating=_opt(row, "Rating", _choose, problems, _RATING_LABELS, "rating"),
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
            higher_is_better=_opt(row, "Higher is better", parse_yes_no, problems),
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


def _open(path: Path, problems: Problems) -> Any:
    """Open with openpyxl for cached values only (formulas are never evaluated, macros never run)."""
    import openpyxl

    name = path.name
    if not path.exists():
        problems.error(name, "file not found")
        return None
    if path.is_dir():
        problems.error(name, "is a folder, not a workbook")
        return None
    suffix = path.suffix.lower()
    if suffix == ".xls":
        problems.error(name, "is an old Excel 97-2003 (.xls) file: open it in Excel and save as .xlsx")
        return None
    if suffix == ".csv":
        problems.error(name, "is a CSV file, not a workbook: cqcdocs needs the .xlsx with all its sheets")
        return None
    if not zipfile.is_zipfile(path):
        problems.error(name, "is not an Excel workbook (.xlsx): the file is empty, damaged or another format")
        return None
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data bars, slicers…); they carry no data we read.
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(path, data_only=True, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged packages; all mean the same to an officer
        problems.error(name, f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})")
        return None


def read(path: str | Path) -> tuple[Workbook | None, list[Message]]:
    """Read a workbook: the model (None if any error) and every message, errors and warnings."""
    path = Path(path)
    problems = Problems()
    wb = _open(path, problems)
    if wb is None:
        return None, problems.messages
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
        raise InvalidWorkbook(messages)
    return workbook, [m for m in messages if m.level == "warning"]
