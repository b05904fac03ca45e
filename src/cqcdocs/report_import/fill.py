"""Filling a source workbook (an openpyxl workbook in memory) from a parsed CQC report.

The one rule: an officer's value is never changed. A cell is written only when it is empty (nothing
visible in it, as the loader reads blank); a cell that already holds the report's value is left alone
silently; one that holds a different value is left alone and reported. Findings and key figures are
appended only when not already there, so a second import into the same workbook adds nothing and changes
nothing. `Log` says what was filled, what was kept and what could not be placed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..contract import (
    QUALITY_STATEMENTS,
    SHEETS_BY_NAME,
    find_quality_statement,
    normalise,
    theme_of,
)
from ..load.cells import Problems, SourceCell, parse_date, parse_number, parse_pct
from ..load.table import column_letter, find_header
from ..model import NationalTable, format_date
from .figures import FINANCIAL, KEY_FINDINGS
from .parse import Report, short_name
from .place import likeliest_statements

SUBHEADING = "Sub-heading"  # an extra Findings column (the loader ignores it): the report's own sub-heading
CQC_WORDS = "CQC's words"  # an extra Metrics and Key figures column (the loader ignores it): the sentence read

def review_name(report: Report) -> str:
    return f"CQC assessment {report.published.year}" if report.published else "CQC assessment"


def source_name(report: Report, part: str = "") -> str:
    name = f"CQC assessment report ({format_date(report.published)})" if report.published else "CQC assessment report"
    if part == FINANCIAL:
        return f"{name}: financial facts, not part of CQC's assessment"
    if part == KEY_FINDINGS:
        return f"{name}: key findings"
    return f"{name}: about the council" if part else name


@dataclass
class Log:
    """What an import did: cells filled, officers' values kept, and what the report says that has no place."""

    filled: list[str] = field(default_factory=list)  # "Assessment!B2: Council"
    kept: list[str] = field(default_factory=list)  # "Scores!H3: kept 2; the report says 3 (report.txt:50)"
    unplaced: list[str] = field(default_factory=list)  # "report.txt:92: …"
    placed_by_likeness: list[str] = field(default_factory=list)  # "Findings!A7" rows whose theme was inferred
    added: dict[str, int] = field(default_factory=dict)  # "Findings" → rows appended
    present: dict[str, int] = field(default_factory=dict)  # "Findings" → rows already in the workbook

    @property
    def changed(self) -> bool:
        return bool(self.filled or self.added)


def _blank(value: Any) -> bool:
    return SourceCell(value, "").blank


def _same(existing: Any, ours: Any, pct: bool = False) -> bool:
    """Whether a cell holding EXISTING already says OURS: a date, a number (PCT: a fraction), or text."""
    problems = Problems()
    if isinstance(ours, date):
        return parse_date(SourceCell(existing, ""), problems) == ours
    if pct:
        found = parse_pct(SourceCell(existing, ""), problems)
        return found is not None and round(found) == round(ours * 100)
    if isinstance(ours, (int, float)):
        found = parse_number(SourceCell(existing, ""), problems)
        return found is not None and abs(found - ours) < 1e-9
    return normalise(str(existing)) == normalise(str(ours))


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float) and value <= 1:
        return f"{value:.0%}"
    return str(value)


class _Sheet:
    """A contract sheet of the workbook (made, with its headers, if missing) and its header row's columns."""

    def __init__(self, wb: Any, name: str, log: Log):
        from openpyxl.styles import Font

        contract = SHEETS_BY_NAME[name]
        actual = {normalise(n): n for n in wb.sheetnames}.get(normalise(name))
        if actual is None:
            ws = wb.create_sheet(name)
            for c, column in enumerate(contract.columns, start=1):
                ws.cell(1, c, column.name).font = Font(bold=True)
            log.filled.append(f"{name}: a new sheet, with its headers")
            actual = name
        self.ws, self.name, self.log = wb[actual], actual, log
        self._last: int | None = None  # the last used row, found once and then kept as rows are appended
        found = find_header(self.ws, contract)
        if found is None:  # a sheet with no header row: cqcdocs cannot tell where a value would go
            self.header, self.columns = 0, {}
        else:
            self.header, self.columns, _ = found

    @property
    def usable(self) -> bool:
        return self.header > 0

    def column(self, name: str) -> int:
        """The column headed NAME, adding the header at the first free column if the sheet has none."""
        if name not in self.columns:
            from openpyxl.styles import Font

            free = max([c.column for c in self.ws[self.header] if not _blank(c.value)] or [0]) + 1
            self.ws.cell(self.header, free, name).font = Font(bold=True)
            self.log.filled.append(f"{self.name}!{column_letter(free)}{self.header}: the {name!r} header")
            self.columns[name] = free
        return self.columns[name]

    def rows(self) -> range:
        return range(self.header + 1, self.last_row() + 1)

    def last_row(self) -> int:
        """The last row with anything visible in the table's columns (formatting alone does not count)."""
        if self._last is not None:
            return self._last
        last = self.header
        cols = set(self.columns.values())
        for (r, c), cell in getattr(self.ws, "_cells", {}).items():
            if r > last and c in cols and not _blank(cell.value):
                last = r
        self._last = last
        return last

    def value(self, row: int, name: str) -> Any:
        return self.ws.cell(row, self.columns[name]).value if name in self.columns else None

    def fill(self, row: int, name: str, value: Any, why: str, number_format: str | None = None) -> None:
        """Write VALUE into the NAME cell of ROW if it is empty; report a different value already there."""
        cell = self.ws.cell(row, self.column(name))
        place = f"{self.name}!{cell.coordinate}"
        if _blank(cell.value):
            _set(cell, value)
            if number_format:
                cell.number_format = number_format
            self.log.filled.append(f"{place}: {name}")
        elif not _same(cell.value, value, pct=number_format == "0%"):
            self.log.kept.append(f"{place}: kept {_shown(cell.value)!r}; the report says {_shown(value)!r} ({why})")

    def append(self, values: dict[str, Any], formats: dict[str, str] | None = None, count: bool = True) -> int:
        from openpyxl.styles import Alignment

        row = self.last_row() + 1
        self._last = row
        for name, value in values.items():
            if value is None or value == "":
                continue
            cell = self.ws.cell(row, self.column(name))
            _set(cell, value)
            if formats and name in formats:
                cell.number_format = formats[name]
            if isinstance(value, str) and len(value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if count:
            self.log.added[self.name] = self.log.added.get(self.name, 0) + 1
        return row


def _set(cell: Any, value: Any) -> None:
    """Put VALUE in CELL, report text always as text: openpyxl would store "=…" as a formula."""
    cell.value = value
    if isinstance(value, str) and value[:1] == "=":
        cell.data_type = "s"


def fill_workbook(wb: Any, report: Report, table: NationalTable | None = None) -> Log:
    """Fill WB's empty cells from REPORT and append what is not there yet; TABLE (the national results) gives
    the council's region. Returns what was done."""
    log = Log(unplaced=list(report.notes))
    _assessment(_Sheet(wb, "Assessment", log), report, table)
    _scores(_Sheet(wb, "Scores", log), report)
    _findings(_Sheet(wb, "Findings", log), report)
    _key_figures(_Sheet(wb, "Key figures", log), report)
    if report.comparisons:
        _metrics(_Sheet(wb, "Metrics", log), report)
    return log


def _unusable(sheet: _Sheet) -> bool:
    if not sheet.usable:
        sheet.log.unplaced.append(f"{sheet.name}: no header row found, so nothing was put there")
    return not sheet.usable


def _assessment(sheet: _Sheet, report: Report, table: NationalTable | None) -> None:
    if _unusable(sheet):
        return
    where = f"{report.name}: title"
    values: list[tuple[str, Any, str, str | None]] = []
    if report.council:
        values += [("Council", report.council, where, None),
                   ("Short name", short_name(report.council), "the council's name less 'Council'", None)]
    if report.published:
        values.append(("Assessment published", report.published, f"{report.name}: 'Assessment published'",
                       "dd/mm/yyyy"))
    bench = table.council(report.council) if table is not None and report.council else None
    if bench is not None:
        values.append(("Region", bench.region, "the national results table", None))
        if bench.sub_region:
            values.append(("Sub-region", bench.sub_region, "the national results table", None))
    elif report.council:
        log_line = (f"{report.name}: the report does not name the council's region, and the national results "
                    f"table has no council called {report.council!r}: fill in Region by hand")
        sheet.log.unplaced.append(log_line)
    if report.rating:
        values.append(("Published overall rating", report.rating, f"{report.name}: overall rating", None))
    if report.overall_pct is not None:
        values.append(("Published overall score %", report.overall_pct / 100, f"{report.name}: overall score",
                       "0%"))
    rows = {normalise(str(sheet.value(r, "Field"))): r for r in sheet.rows() if not _blank(sheet.value(r, "Field"))}
    for name, value, why, number_format in values:
        row = rows.get(normalise(name))
        if row is None:
            row = sheet.append({"Field": name}, count=False)  # then filled below, like any field
            sheet.log.filled.append(f"{sheet.name}!A{row}: the field {name!r}")
            rows[normalise(name)] = row
        sheet.fill(row, "Value", value, why, number_format)


def _scores(sheet: _Sheet, report: Report) -> None:
    if _unusable(sheet):
        return
    rows: dict[str, int] = {}
    for r in sheet.rows():
        qs = find_quality_statement(str(sheet.value(r, "Quality statement") or ""))
        if qs is not None and qs.key not in rows:
            rows[qs.key] = r
    for s in sorted(report.scores, key=lambda s: QUALITY_STATEMENTS.index(s.quality_statement)):
        qs = s.quality_statement
        row = rows.get(qs.key)
        if row is None:
            row = sheet.append({"Theme": theme_of(qs).name, "Quality statement": qs.name})
        sheet.fill(row, "Score", s.score, f"{report.name}:{s.line}")


def words(text: str) -> str:
    """TEXT as its words only (no **bold**, case or punctuation), space-separated with a space either side:
    how findings are compared."""
    return " " + " ".join(re.findall(r"[^\W_]+", text.replace("**", "").lower())) + " "


def _findings(sheet: _Sheet, report: Report) -> None:
    if _unusable(sheet):
        return
    # Everything already in the sheet, in order, so a paragraph an officer split over rows still counts; what
    # this import adds is kept in a set, so many findings cost no more than reading them.
    rows = [words(str(sheet.value(r, "Finding") or "")) for r in sheet.rows()]
    exact = {w for w in rows if w.strip()}
    there = re.sub(r"\s+", " ", "".join(rows))
    review = review_name(report)
    summaries = [(p, "People's experience") for p in report.people] + [(p, "Summary") for p in report.summary]
    placed = likeliest_statements([p.text for p, _ in summaries], list(report.findings))
    present = 0

    def new(text: str) -> bool:
        nonlocal present
        said = words(text)
        if said.strip() and (said in exact or (there.strip() and said in there)):
            present += 1
            return False
        exact.add(said)
        return True

    for (paragraph, section), qs in zip(summaries, placed):
        if qs is None:
            sheet.log.unplaced.append(f"{report.name}:{paragraph.line}: a {section.lower()} paragraph shares no "
                                      "telling words with any quality statement's findings, so it has no theme; "
                                      "not added")
            continue
        if new(paragraph.text):
            row = sheet.append({"Review": review, "Theme": theme_of(qs).name, "Quality statement": qs.name,
                                "Section": section, "Finding": paragraph.text})
            sheet.log.placed_by_likeness.append(f"{sheet.name}!{row}:{row}")
    for f in report.findings:
        if new(f.text):
            sheet.append({"Review": review, "Theme": theme_of(f.quality_statement).name,
                          "Quality statement": f.quality_statement.name, "Finding": f.text,
                          SUBHEADING: f.subheading})
    if present:
        sheet.log.present[sheet.name] = present


def _key_figures(sheet: _Sheet, report: Report) -> None:
    if _unusable(sheet):
        return
    there = {normalise(str(sheet.value(r, "Measure"))): r for r in sheet.rows()
             if not _blank(sheet.value(r, "Measure"))}
    present = 0
    for f in report.figures + report.waits:
        row = there.get(normalise(f.measure))
        if row is not None:
            before = len(sheet.log.kept) + len(sheet.log.filled)
            sheet.fill(row, "Value", f.value, f"{report.name}:{f.line}")
            present += len(sheet.log.kept) + len(sheet.log.filled) == before
            continue
        there[normalise(f.measure)] = sheet.append(
            {"Measure": f.measure, "Value": f.value, "Unit": f.unit, "As at": f.as_at,
             "Source": source_name(report, f.part),
             "Theme or quality statement": f.quality_statement.name if f.quality_statement else None,
             "Review": review_name(report), CQC_WORDS: f.words},
            {"Value": "#,##0.##" if isinstance(f.value, float) else "#,##0"})
    if present:
        sheet.log.present[sheet.name] = present


def _metrics(sheet: _Sheet, report: Report) -> None:
    """Each England-average comparison as a Metrics row, CQC's words kept: its measure, the survey it names,
    its comparison ("much better"), its sentence in full; higher-is-better only where the words and the
    figures say it (a "better" value above the average)."""
    if _unusable(sheet):
        return
    # A comparison is there when its two figures are, under its statement (an officer may have reworded the
    # indicator, or left the statement blank).
    there_values = {(_num(sheet.value(r, "Council value")), _num(sheet.value(r, "England average")),
                     normalise(str(sheet.value(r, "Quality statement") or ""))) for r in sheet.rows()}
    present = 0
    for c in report.comparisons:
        statement = normalise(c.quality_statement.name) if c.quality_statement else ""
        if {(c.value, c.england, statement), (c.value, c.england, "")} & there_values:
            present += 1
            continue
        there_values.add((c.value, c.england, statement))
        higher = None
        if c.value != c.england and ("better" in c.words or "worse" in c.words):
            higher = "Y" if (c.value > c.england) == ("better" in c.words) else "N"
        sheet.append({"Indicator": c.measure, "Source": c.source or source_name(report), "Council value": c.value,
                      "England average": c.england, "Unit": "%", "Higher is better": higher,
                      "CQC comparison": c.words,
                      "Quality statement": c.quality_statement.name if c.quality_statement else None,
                      CQC_WORDS: c.sentence})
    if present:
        sheet.log.present[sheet.name] = present


def _num(value: Any) -> float | None:
    try:
        return float(str(value).replace(",", "").replace("%", "").strip())
    except ValueError:
        return None
