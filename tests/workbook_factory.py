"""Contract-valid source workbooks built in code, with knobs for size and for planting bad cells.

    from workbook_factory import build, save, SCORES_ROW, ASSESSMENT_ROW
    wb = build(findings=10_000, actions=500, cells={"Scores!C2": "three"})
    save(wb, tmp_path / "w.xlsx")

The layout is fixed so tests can name cells: every sheet has its header in row 1; the Assessment sheet
has one field per row in `ASSESSMENT_ROW`; Scores has the nine statements in rows 2–10 (columns in
`SCORES_COL`); Findings, Actions… start in row 2 in the order of `COLUMNS`. The default scores are the
Rotherham grid (73%, Good), so a default workbook scores exactly as the example does.
The benchmark imports this file by path; it needs only openpyxl.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

THEMES = ("Working with people", "Providing support", "Ensuring safety", "Leadership")
STATEMENTS = (
    ("Working with people", "Assessing needs"),
    ("Working with people", "Supporting people to lead healthier lives"),
    ("Working with people", "Equity in experience and outcomes"),
    ("Providing support", "Care provision, integration and continuity"),
    ("Providing support", "Partnerships and communities"),
    ("Ensuring safety", "Safe pathways, systems and transitions"),
    ("Ensuring safety", "Safeguarding"),
    ("Leadership", "Governance, management and sustainability"),
    ("Leadership", "Learning, improvement and innovation"),
)
# People's experience, staff and leaders, processes, partners: 63 75 57 63 75 75 69 75 75 → 73% Good.
GRID = ((2, 3, 3, 2), (3, 3, 3, 3), (2, 2, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2),
        (3, 3, 3, 3), (3, 3, 3, 3))
SECTIONS = ("People's experience", "Summary", "Key strength", "Area for development")
STATUSES = ("Not started", "On track", "At risk", "Off track", "Complete")

COLUMNS = {
    "Assessment": ("Field", "Value"),
    "Scores": ("Theme", "Quality statement", "People's experience", "Feedback from staff and leaders",
               "Processes", "Feedback from partners", "Outcomes", "Score", "Draft score", "Published %"),
    "Findings": ("Review", "Theme", "Quality statement", "Section", "Finding", "Service area", "Thread"),
    "Governance": ("Meeting", "Date", "Paper deadline", "Purpose"),
    "Key dates": ("Milestone", "Date", "End date"),
    "Next steps": ("Step", "Date"),
    "Survey": ("Question", "% positive", "Group"),
    "Benchmarks": ("Council", "Region", "Sub-region", "Overall score %", "Rating", "Published", "Source", "Basis"),
    "Metrics": ("Indicator", "Source", "Council value", "England average", "Unit", "Higher is better",
                "CQC comparison", "Quality statement"),
    "Actions": ("Ref", "Theme", "Area for development", "Action", "Owner", "Due", "Status", "Update"),
    "Updates": ("Date", "Ref", "Status", "Commentary", "Evidence", "Updated by"),
    "Recommendations": ("Recommendation",),
    "Key figures": ("Measure", "Value", "Unit", "As at", "Source", "Theme or quality statement"),
    "Section text": ("Section", "Position", "Paragraph"),
    "Reviews": ("Review", "Kind", "Date", "On site from", "On site to", "Lead"),
    "Commitments": ("Meeting", "Date", "Raised by", "Commitment", "Owner", "Response", "Status"),
}
SCORES_COL = {name: get_column_letter(i) for i, name in enumerate(COLUMNS["Scores"], start=1)}


def col(sheet: str, name: str) -> str:
    """The column letter of NAME in SHEET's fixed layout."""
    return get_column_letter(COLUMNS[sheet].index(name) + 1)


def _assessment(council: str, short_name: str | None) -> list[tuple[str, Any]]:
    return [
        ("Council", council),
        ("Short name", short_name if short_name is not None else council.split(" ")[0]),
        ("Region", "Yorkshire and the Humber"),
        ("Sub-region", "South Yorkshire"),
        ("Assessment published", date(2026, 3, 20)),
        ("Report title", f"CQC assessment of {council} adult social care"),
        ("Report date", "14/05/2026"),
        ("Directorate", "Adult Care, Housing and Public Health"),
        ("Report author", "A. Officer, Head of Service"),
        ("Protective marking", "OFFICIAL"),
        ("Published overall rating", "Good"),
        ("Published overall score %", 0.73),
    ]


ASSESSMENT_ROW = {name: r for r, (name, _) in enumerate(_assessment("x", None), start=2)}


def _finding(i: int, text: str | None) -> list[Any]:
    theme, qs = STATEMENTS[i % len(STATEMENTS)]
    return ["CQC assessment 2026" if i % 3 else "ADASS peer review 2025", theme, qs if i % 2 else None,
            SECTIONS[i % len(SECTIONS)],
            text if text is not None else f"Finding {i + 1}: people told us about **waiting** for assessments "
                                          f"and the support they received in area {i % 17}.",
            "Front door" if i % 5 == 0 else None]


def _action(i: int) -> list[Any]:
    theme = THEMES[i % len(THEMES)]
    return [f"A{i + 1:03d}", theme, f"Area for development {i + 1} under {theme.lower()}.",
            f"Action {i + 1}: agree a plan and report progress.", "Head of Service",
            date(2026, 4 + i % 8, 1 + i % 27), STATUSES[i % len(STATUSES)], "On schedule" if i % 2 else None]


def _update(i: int, actions: int) -> list[Any]:
    """Fortnightly rounds from January 2025, each giving every action a status (Complete with evidence)."""
    ref, round_ = i % actions, i // actions
    status = STATUSES[(ref + round_) % len(STATUSES)]
    return [date.fromordinal(date(2025, 1, 6).toordinal() + 14 * round_), f"A{ref + 1:03d}", status,
            f"Round {round_ + 1}: progress noted.", "Audit report" if status == "Complete" else None, "Officer"]


def build(*, council: str = "Testshire County Council", short_name: str | None = None, findings: int = 12,
          actions: int = 5, finding_text: str | None = None, cells: dict[str, Any] | None = None,
          updates: int = 0) -> openpyxl.Workbook:
    """A valid workbook in memory (with UPDATES rows of the action log). CELLS ("Sheet!B7" → value) are written
    last, to plant bad input; a cell on an optional sheet the workbook lacks adds that sheet, headers first."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)

    def sheet(name: str, rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(name)
        ws.append(list(COLUMNS[name]))
        for row in rows:
            ws.append(list(row))

    sheet("Assessment", [list(r) for r in _assessment(council, short_name)])
    wb["Assessment"][f"B{ASSESSMENT_ROW['Published overall score %']}"].number_format = "0%"
    sheet("Scores", [[theme, qs, *GRID[i], None, None, None, None] for i, (theme, qs) in enumerate(STATEMENTS)])
    sheet("Findings", [_finding(i, finding_text) for i in range(findings)])
    sheet("Governance", [["Directorate Leadership Team", date(2026, 4, 14), None, "Report governance"],
                         ["Health Select Commission", date(2026, 5, 14), date(2026, 5, 1), "Scrutiny"]])
    sheet("Key dates", [["CQC onsite assessment", date(2025, 7, 14), date(2025, 7, 17)],
                        ["CQC final report received", "04/03/2026", None]])
    sheet("Next steps", [["Development plan finalised", "May 2026"], ["Celebration event", None]])
    sheet("Survey", [["I make good use of my skills", 0.95, "Most agreement"],
                     ["I have enough time to do my job", "41%", "Least agreement"]])
    sheet("Benchmarks", [[council, "Yorkshire and the Humber", "South Yorkshire", 0.73, "Good", date(2026, 3, 20),
                          "CQC"],
                         ["Northshire Council", "Yorkshire and the Humber", "South Yorkshire", 0.62,
                          "Requires improvement", date(2025, 9, 3), "CQC"],
                         ["Eastshire Council", "Yorkshire and the Humber", "West Yorkshire", 0.73, "Good",
                          "May 2025", "CQC", "Secondary"]])
    for r in range(2, 5):
        wb["Benchmarks"][f"D{r}"].number_format = "0%"
    sheet("Metrics", [["People satisfied with care and support", "ASCS", 70.57, 65.16, "%", "Y", "better",
                       "Assessing needs"],
                      ["Carers who feel in control", "SACE", 16.67, 21.53, "%", "Y", "worse", None]])
    sheet("Actions", [_action(i) for i in range(actions)])
    if updates:
        sheet("Updates", [_update(i, actions) for i in range(updates)])
    sheet("Recommendations", [["notes the outcome of the CQC assessment."]])
    sheet("Key figures", [["People waiting for an annual review", 1066, "people", "February 2025", "CQC report",
                           "Assessing needs"],
                          ["Adult social care spend", "£135,739,000", "£", "2023/24", "CQC report", None]])
    sheet("Section text", [["Next steps", "Before", "Reflection sessions are taking place."],
                           ["Background", "After", "Both peer reviews supported the improvement journey."]])
    for ref, value in (cells or {}).items():
        name, coordinate = ref.rsplit("!", 1)
        if name not in wb.sheetnames:
            sheet(name, [])
        wb[name][coordinate] = value
    return wb


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    path = Path(path)
    wb.save(path)
    return path


def make(path: Path, **knobs: Any) -> Path:
    """build(**knobs) saved at PATH."""
    return save(build(**knobs), path)
