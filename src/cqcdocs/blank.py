"""`cqcdocs init`: a blank source workbook in the contract, ready for an officer to fill in."""

from __future__ import annotations

from pathlib import Path

from .contract import (ACTION_STATUSES, ASSESSMENT_FIELDS, BRIEFING_SECTIONS, COMMITMENT_STATUSES,
                       EVIDENCE_CATEGORIES, FINDING_SECTIONS, QUALITY_STATEMENTS, RATING_LABELS, SHEETS,
                       TEXT_POSITIONS, THEMES, normalise, theme_of)
from .errors import UserError
from .model import MonthDate, NationalTable, format_date, format_short_date
from .output import write_all
from .scoring import RATINGS

_INSTRUCTIONS = (
    "How to fill in this workbook",
    "",
    "One workbook holds everything cqcdocs needs for the briefing and annex. Fill in each sheet; "
    "cqcdocs validate <this file> lists anything it cannot use, with the cell.",
    "Assessment: one value per field. Council, Region and Assessment published are required.",
    "Scores: score each evidence category 1-4 for each quality statement. Leave a whole row blank if the "
    "statement was not assessed. Score is only needed when you have no category scores.",
    "Findings: one row per finding. Wrap words in **double asterisks** to make them bold.",
    "Dates: a real Excel date, or text such as 14/05/2026 (day first) or May 2026.",
    "Percentages: 70.57%, 70.57 or 0.7057.",
    "Extra sheets and columns are ignored; blank rows are skipped.",
    "",
    "Method: a quality statement's % is its category scores over 4 x the categories scored, rounded up; "
    "the overall % is the quality statement scores over 4 x the statements assessed, rounded up. "
    "Bands: " + ", ".join(f"{r.low}-{r.high}% {r.label}" for r in RATINGS) + ".",
)

_WIDE = {"Finding", "Action", "Area for development", "Update", "Value", "Quality statement", "Question",
         "Indicator", "Recommendation", "Source", "Purpose", "Step", "Milestone", "Meeting", "Council", "Measure",
         "Paragraph", "Section"}


def find_region(table: NationalTable, name: str) -> str:
    """The region of TABLE called NAME (ignoring case and spacing); a clear error listing them if none is."""
    for region in table.regions:
        if normalise(region) == normalise(name):
            return region
    raise UserError(f"unknown region {name!r}: the national results table has "
                    f"{', '.join(table.regions) or 'no regions (its councils are not in the bundled table)'}")


def write_blank_workbook(path: Path, region: str | None = None, table: NationalTable | None = None) -> None:
    """Write the blank workbook at PATH (whole or not at all). With REGION (a region of the national results
    TABLE), the Assessment's region and the Benchmarks sheet are filled in from TABLE."""
    if region is not None:
        if table is None:
            from .load.national import national_results

            table = national_results()
        region = find_region(table, region)
    write_all([(Path(path), lambda target: _write(target, region, table))])


def _list_validation(formula: str, prompt: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.error, dv.errorTitle, dv.prompt = f"Choose from the list: {prompt}", "Not in the list", prompt
    dv.showErrorMessage = dv.showInputMessage = True
    return dv


def _write(path: Path, region: str | None = None, table: NationalTable | None = None) -> None:
    blank_workbook(region, table).save(path)


def blank_workbook(region: str | None = None, table: NationalTable | None = None):
    """The blank workbook as an openpyxl workbook in memory (`cqcdocs import-report` fills one in)."""
    from openpyxl import Workbook

    wb = Workbook()
    _instructions(wb.active)
    choices = {"Theme": [t.name for t in THEMES], "Section": list(FINDING_SECTIONS),
               "Status": list(ACTION_STATUSES), "Quality statement": [q.name for q in QUALITY_STATEMENTS],
               "Rating": list(RATING_LABELS), "Yes/No": ["Y", "N"], "Briefing section": list(BRIEFING_SECTIONS),
               "Position": list(TEXT_POSITIONS), "Commitment status": list(COMMITMENT_STATUSES)}
    ranges = _lists(wb.create_sheet("Lists"), choices)
    for sheet in SHEETS:
        _contract_sheet(wb.create_sheet(sheet.name), sheet, choices, ranges)
    if region is not None and table is not None:
        _prefill_region(wb, region, table)
    return wb


def _prefill_region(wb, region: str, table: NationalTable) -> None:
    """The region on the Assessment sheet, and every council of REGION in TABLE on the Benchmarks sheet (its
    published result, quality statement scores, basis and source), with the table's date in the Instructions."""
    from openpyxl.styles import Alignment

    assessment = wb["Assessment"]
    assessment.cell(ASSESSMENT_FIELDS.index(("Region", True)) + 2, 2, region)
    ws = wb["Benchmarks"]
    columns = {c.value: c.column for c in ws[1]}
    for r, bench in enumerate((c for c in table.councils if c.region == region), start=2):
        values = {"Council": bench.council, "Region": bench.region, "Sub-region": bench.sub_region,
                  "Overall score %": bench.overall_pct / 100 if bench.overall_pct is not None else None,
                  "Rating": bench.rating, "Source": bench.source, "Basis": "; ".join(bench.basis) or None,
                  # A month-only date stays text ("October 2025"), as the loader reads it back.
                  "Published": format_date(bench.published) if isinstance(bench.published, MonthDate)
                  else bench.published,
                  **{qs.name: bench.qs_scores.get(qs.key) for qs in QUALITY_STATEMENTS}}
        for name, value in values.items():
            if value is not None and value != "":
                cell = ws.cell(r, columns[name], value)
                if name == "Overall score %":
                    cell.number_format = "0%"
                elif name == "Published" and not isinstance(value, str):
                    cell.number_format = "dd/mm/yyyy"
                elif name == "Source":
                    cell.alignment = Alignment(wrap_text=False, vertical="top")
    info = wb["Instructions"]
    which = "cqcdocs' national results table" if table.bundled else "the national results table"
    info.cell(info.max_row + 2, 1, f"Benchmarks: filled in for {region} from {which} "
                                   f"({table.title}, as at {format_short_date(table.as_at)}; {table.coverage}). "
                                   "A score the table computed from quality statement scores says Computed in "
                                   "its Basis. Check each "
                                   "council's row; add any result published since, and any of the region's councils "
                                   "the table lacks (with a blank score) so that the briefing counts them all.")


def _instructions(info) -> None:
    from openpyxl.styles import Alignment, Font

    info.title = "Instructions"
    for r, line in enumerate(_INSTRUCTIONS, start=1):
        info.cell(r, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    info["A1"].font = Font(bold=True, size=14)
    info.column_dimensions["A"].width = 110


def _lists(lists, choices: dict[str, list[str]]) -> dict[str, str]:
    """Hidden lists feed the drop-downs, so the choices live in one visible place; returns their ranges."""
    from openpyxl.styles import Font

    ranges = {}
    for c, (name, values) in enumerate(choices.items(), start=1):
        col = chr(64 + c)
        lists.cell(1, c, name).font = Font(bold=True)
        for r, value in enumerate(values, start=2):
            lists.cell(r, c, value)
        ranges[name] = f"Lists!${col}$2:${col}${len(values) + 1}"
    lists.sheet_state = "hidden"
    return ranges


def _contract_sheet(ws, sheet, choices: dict[str, list[str]], ranges: dict[str, str]) -> None:
    """One contract sheet: bold headers, widths, frozen header row, starting values and drop-downs."""
    from openpyxl.styles import Font

    for c, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, c, column.name)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = 45 if column.name in _WIDE else max(14, len(column.name) + 2)
    ws.freeze_panes = "A2"
    last = 1000

    def validate(column_name: str, dv) -> None:
        for c, column in enumerate(sheet.columns, start=1):
            if column.name == column_name:
                letter = ws.cell(1, c).column_letter
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")

    if sheet.name == "Assessment":
        for r, (field, required) in enumerate(ASSESSMENT_FIELDS, start=2):
            ws.cell(r, 1, field).font = Font(bold=required)
        ws.cell(ASSESSMENT_FIELDS.index(("Protective marking", False)) + 2, 2, "OFFICIAL")
        ws.cell(ASSESSMENT_FIELDS.index(("Wards affected", False)) + 2, 2, "All wards")
        ws.cell(ASSESSMENT_FIELDS.index(("Key decision", False)) + 2, 2, "N")
    if sheet.name == "Scores":
        _scores_rows(ws, sheet)
    section_list = "Briefing section" if sheet.name == "Section text" else "Section"
    status_list = "Commitment status" if sheet.name == "Commitments" else "Status"
    for column_name, list_name in (("Theme", "Theme"), ("Section", section_list), ("Status", status_list),
                                   ("Rating", "Rating"), ("Higher is better", "Yes/No"), ("Position", "Position")):
        prompt = "a briefing section" if list_name == "Briefing section" else ", ".join(choices[list_name])
        validate(column_name, _list_validation(ranges[list_name], prompt))
    if sheet.name in ("Findings", "Metrics", "Actions"):
        validate("Quality statement", _list_validation(ranges["Quality statement"], "one of CQC's nine"))


def _scores_rows(ws, sheet) -> None:
    """The nine quality statements under their themes, with scores limited to whole numbers 1 to 4."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for r, qs in enumerate(QUALITY_STATEMENTS, start=2):
        ws.cell(r, 1, theme_of(qs).name)
        ws.cell(r, 2, qs.name)
    score = DataValidation(type="whole", operator="between", formula1="1", formula2="4", allow_blank=True)
    score.error, score.errorTitle = "A score is a whole number from 1 to 4.", "Score 1-4"
    score.showErrorMessage = True
    ws.add_data_validation(score)
    for c, column in enumerate(sheet.columns, start=1):
        if column.name in EVIDENCE_CATEGORIES or column.name in ("Score", "Draft score"):
            letter = ws.cell(1, c).column_letter
            score.add(f"{letter}2:{letter}{len(QUALITY_STATEMENTS) + 1}")
