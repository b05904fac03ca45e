"""The monthly improvement-plan progress report for the assurance board, as an accessible .docx.

Every figure comes from `progress.Progress`; this module arranges and words it, one function per section,
listed in `SECTIONS` in the order the board reads them. Word mechanics are `render.word`'s; sentences and
charts the Excel annex shares are in `render.progress_defs`. The same workbook and dates give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..model import Message, format_date, format_short_date
from ..palette import ACTION_STATUS_FILL, ACTION_STATUS_TEXT
from ..progress import REPORT_ORDER, ActionProgress, Group, Progress
from ..wording import clean, count
from .briefing import DEFAULT_MARKING
from .progress_defs import (direction_text, headline, not_agreed_sentence, since_words, status_by_theme_chart,
                            status_over_time_chart, status_since_text)
from .sentences import theme_heading
from .word.package import deterministic_zip, set_properties
from .word.tables import TableCell
from .word.template import open_template, prepare
from .word.writer import Writer

TITLE = "Improvement plan progress report"
SUMMARY = "Summary"
CHANGES = "Changes since the last board"
OVERDUE = "Overdue actions"
DUE_SOON = "Actions due in the next 30 days"
EXCEPTIONS = "Exceptions: actions off track or at risk"
BY_THEME = "Progress by theme"
BY_RECOMMENDATION = "Progress by recommendation or source review"
BY_STATEMENT = "Progress by quality statement"
OVER_TIME = "Progress over time"
ALL_ACTIONS = "All actions"
AWAITING = "Areas for development awaiting actions"
AUTHOR_NOTES = "Appendix: notes for the author"
SMALL_PT = 9


@dataclass(frozen=True)
class Report:
    progress: Progress
    final: bool = False
    warnings: Sequence[Message] = ()
    annex_name: str | None = None

    @property
    def a(self):
        return self.progress.workbook.assessment

    @property
    def marking(self) -> str:
        return clean(self.a.protective_marking).strip() or DEFAULT_MARKING

    @property
    def title(self) -> str:
        return f"{self.a.short_name} {TITLE[0].lower()}{TITLE[1:]}: {format_date(self.progress.as_at)}"


def status_cell(status: str, text: str | None = None) -> TableCell:
    """A status in words on its palette colour (colour never carries the meaning alone)."""
    return TableCell(text or status, ACTION_STATUS_FILL[status], ACTION_STATUS_TEXT[status])


def _action_text(a: ActionProgress, owner: bool = False) -> str:
    text = a.action.action or a.action.area_for_development
    return f"{text} ({a.action.owner})" if owner and a.action.owner else text


# --- sections ----------------------------------------------------------------------------------------

def title_block(w: Writer, r: Report) -> None:
    p = r.progress
    w.doc.add_paragraph(r.title, style="Title")
    w.label("Council", r.a.council)
    w.label("Position as at", format_date(p.as_at))
    if p.since:
        w.label("Compared with", since_words(p))
    if r.a.directorate:
        w.label("Directorate", r.a.directorate)
    w.label("Protective marking", r.marking)
    w.label("Status", "Final" if r.final else "Draft (not for publication)")


def report_details(w: Writer, r: Report) -> None:
    board = r.progress.next_board
    if board is None or not r.progress.agreed:
        return
    w.heading("Report details", 1)
    w.label("Committee", board.name)
    w.label("Date of meeting", format_date(board.date))
    if r.a.report_author:
        w.label("Report author", r.a.report_author)
    if r.a.approving_director:
        w.label("Approving director", r.a.approving_director)
    w.heading("Recommendation", 1)
    w.numbered([f"That the {board.name} notes the progress of the improvement plan and agrees the corrective "
                "action for the actions off track or at risk."])
    if r.annex_name:
        w.para(f"Appendix 1 \u2013 {r.annex_name}: every action and update behind this report, in Excel.")


def summary(w: Writer, r: Report) -> None:
    p = r.progress
    w.heading(SUMMARY, 1)
    if not p.agreed:
        w.para(not_agreed_sentence(p))
        return
    first, *rest = headline(p)
    w.para(first)
    w.bullets(rest)
    rows = [[status_cell(s), TableCell(str(n), align="right"), TableCell(f"{round(100 * n / p.total)}%",
                                                                         align="right")]
            for s, n in p.counts.items()]
    rows.append([TableCell("Total", bold=True), TableCell(str(p.total), align="right", bold=True),
                 TableCell("100%", align="right", bold=True)])
    w.table("Actions by status", f"The number and share of the plan's actions at each status as at "
            f"{format_date(p.as_at)}", ["Status", "Actions", "Share"], rows, [6.0, 3.0, 3.0], first_column=True)


def awaiting(w: Writer, r: Report) -> None:
    """A plan not yet agreed: the areas for development its actions will answer, by theme."""
    p = r.progress
    if p.agreed:
        return
    w.heading(AWAITING, 1)
    for group in p.by_theme:
        w.heading(group.name, 2)
        w.bullets(a.action.area_for_development or a.action.action for a in p.actions
                  if a.action.theme.name == group.name)


def changes(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed or p.since is None:
        return
    w.heading(CHANGES, 1)
    w.para(f"Each action's status as at {format_date(p.as_at)} against {since_words(p)}. Statuses rank, "
           "worst first: off track, at risk, not started, on track, complete.")
    points = []
    if p.completed_since:
        points.append("Completed: " + "; ".join(f"{a.ref} {_action_text(a)}" for a in p.completed_since) + ".")
    if p.newly_overdue:
        points.append("Newly overdue: " + "; ".join(f"{a.ref} {_action_text(a)}" for a in p.newly_overdue) + ".")
    w.bullets(points)
    moved = [a for a in p.actions if a.direction in ("improved", "worse")]
    if not moved:
        w.para("No action changed status.")
        return
    rows = [[TableCell(a.ref), TableCell(_action_text(a)), status_cell(a.before), status_cell(a.status),
             TableCell(direction_text(a, p))] for a in sorted(moved, key=lambda a: a.direction != "worse")]
    w.table("Actions whose status changed", f"Each action whose status changed since {since_words(p)}: "
            "its status then and now, and whether it improved or got worse", ["Ref", "Action", "Was", "Now",
                                                                               "Direction"],
            rows, [1.4, 7.6, 2.6, 2.6, 2.8], first_column=True)


def overdue(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(OVERDUE, 1)
    if not p.overdue:
        w.para(f"No action is overdue as at {format_date(p.as_at)}.")
    else:
        rows = [[TableCell(a.ref), TableCell(_action_text(a)), TableCell(a.action.owner or "Not given"),
                 TableCell(format_short_date(a.action.due)), TableCell(str(p.days_overdue(a)), align="right"),
                 status_cell(a.status)] for a in p.overdue]
        w.table("Overdue actions", "Each action past its due date and not complete, with its owner, due date, "
                "days overdue and status", ["Ref", "Action", "Owner", "Due", "Days overdue", "Status"], rows,
                [1.4, 6.4, 3.4, 2.2, 1.6, 2.0], first_column=True, font_pt=SMALL_PT)
    w.heading(DUE_SOON, 2)
    if not p.due_soon:
        w.para("No action is due in the next 30 days.")
        return
    rows = [[TableCell(a.ref), TableCell(_action_text(a)), TableCell(a.action.owner or "Not given"),
             TableCell(format_short_date(a.action.due)), status_cell(a.status)] for a in p.due_soon]
    w.table("Actions due in the next 30 days", "Each action due in the next 30 days and not complete, with its "
            "owner, due date and status", ["Ref", "Action", "Owner", "Due", "Status"], rows,
            [1.4, 8.0, 3.4, 2.2, 2.0], first_column=True, font_pt=SMALL_PT)


def exceptions(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(EXCEPTIONS, 1)
    if not p.exceptions:
        w.para("No action is off track or at risk.")
        return
    w.para(f"{count(len(p.exceptions), 'action')}, off track first and then at risk, each with how long it has "
           "been so and the latest commentary on the corrective action.")
    rows = [[TableCell(a.ref), TableCell(_action_text(a, owner=True)), status_cell(a.status, status_since_text(a, p)),
             TableCell(a.commentary or "No commentary given.")] for a in p.exceptions]
    w.table("Exceptions", "Each action off track or at risk: the action and its owner, its status and since "
            "when, and the latest commentary", ["Ref", "Action and owner", "Status", "Latest commentary"], rows,
            [1.4, 5.6, 3.6, 6.4], first_column=True, font_pt=SMALL_PT)


def _group_table(w: Writer, caption: str, first: str, groups: Sequence[Group]) -> None:
    rows = [[TableCell(g.name), *(TableCell(str(g.counts[s]), align="right") for s in REPORT_ORDER),
             TableCell(str(g.total), align="right"), TableCell(f"{g.pct_complete}%", align="right")]
            for g in groups]
    w.table(caption, f"The number of actions at each status, the total and the share complete, by "
            f"{first.lower()}", [first, *REPORT_ORDER, "Total", "% complete"], rows,
            [5.0, 1.9, 1.8, 1.6, 1.6, 1.8, 1.3, 2.0], first_column=True, font_pt=SMALL_PT)


def by_theme(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(BY_THEME, 1)
    _group_table(w, "Actions by theme and status", "Theme", p.by_theme)
    w.native_chart(status_by_theme_chart(p.by_theme))


def _given_groups(w: Writer, r: Report, heading: str, first: str, groups: Sequence[Group]) -> None:
    """A section of counts by a column the Actions sheet may leave out: left out when no action gives it."""
    if not r.progress.agreed or all(g.name == "Not given" for g in groups):
        return
    w.heading(heading, 1)
    _group_table(w, f"Actions by {first.lower()} and status", first, groups)


def by_recommendation(w: Writer, r: Report) -> None:
    _given_groups(w, r, BY_RECOMMENDATION, "Recommendation", r.progress.by_recommendation)


def by_statement(w: Writer, r: Report) -> None:
    _given_groups(w, r, BY_STATEMENT, "Quality statement", r.progress.by_statement)


def over_time(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(OVER_TIME, 1)
    w.para(f"The plan's actions by status at each {p.board_name} meeting in the log, and as at the report's date.")
    rows = [[TableCell(pt.label), *(TableCell(str(pt.counts[s]), align="right") for s in REPORT_ORDER)]
            for pt in p.points]
    w.table("Actions by status over time", "The number of actions at each status on each date",
            ["Date", *REPORT_ORDER], rows, [5.0, 2.4, 2.4, 2.4, 2.4, 2.4], first_column=True, font_pt=SMALL_PT)
    w.native_chart(status_over_time_chart(p))


def all_actions(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(ALL_ACTIONS, 1)
    from ..contract import THEMES

    for theme in THEMES:
        own = [a for a in p.actions if a.action.theme == theme]
        if not own:
            continue
        w.heading(theme_heading(theme), 2)
        rows = [[TableCell(a.ref), TableCell(_action_text(a)), TableCell(a.action.owner or "Not given"),
                 TableCell(format_short_date(a.action.due) or "Not given"), status_cell(a.status),
                 TableCell(direction_text(a, p))] for a in own]
        w.table(f"{theme.name}: every action", f"Each {theme.name} action with its owner, due date, status as at "
                f"{format_date(p.as_at)} and direction of travel", ["Ref", "Action", "Owner", "Due", "Status",
                                                                      "Direction"],
                rows, [1.4, 6.2, 3.2, 2.2, 2.0, 2.0], first_column=True, font_pt=SMALL_PT)


def author_notes(w: Writer, r: Report) -> None:
    if r.final or not r.warnings:
        return
    w.heading(AUTHOR_NOTES, 1)
    w.para("For the report's author: what the checks of its sources found, each at its place. This appendix is "
           "left out of the final version.")
    w.bullets(str(m) for m in r.warnings)


# The report, in order. Each section decides for itself whether it has anything to say.
SECTIONS = (title_block, report_details, summary, awaiting, changes, overdue, exceptions, by_theme, by_recommendation,
            by_statement, over_time, all_actions, author_notes)


def write_progress_report(progress: Progress, path: Path, *, final: bool = False, warnings: Sequence[Message] = (),
                          annex_name: str | None = None) -> None:
    """Write the progress report for PROGRESS to PATH."""
    document = open_template(None)
    prepare(document)
    r = Report(progress, final, tuple(warnings), annex_name)
    w = Writer(document)
    for section in SECTIONS:
        section(w, r)
    w.headers_and_footers(r.marking, draft=not final)
    w.space_after_tables()
    a = r.a
    set_properties(document, title=r.title, subject=f"Improvement plan progress: {a.council}",
                   author=a.report_author or a.directorate or a.council,
                   keywords=f"CQC; adult social care; improvement plan; {a.short_name}",
                   category=f"Committee report: {progress.next_board.name}" if progress.next_board else "Progress report",
                   status="Final" if final else "Draft", when=progress.as_at)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(deterministic_zip(buffer.getvalue()))
