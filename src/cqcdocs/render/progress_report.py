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

from ..contract import NOT_YET_DUE, THEMES
from ..model import Meeting, Message, format_date, format_short_date
from ..palette import ACTION_STATUS_FILL, ACTION_STATUS_TEXT
from ..progress import REPORT_ORDER, ActionProgress, Group, Progress
from ..wording import clean, count
from .briefing import DEFAULT_MARKING
from .progress_defs import (direction_text, evidence_text, headline, not_agreed_sentence, since_words,
                            status_by_theme_chart, status_over_time_chart, status_since_text)
from .sentences import theme_heading
from .word.package import deterministic_zip, set_properties
from .word.tables import TableCell
from .word.template import open_template, prepare
from .word.writer import Writer

TITLE = "Improvement plan progress report"
DECISIONS = "Decisions for the board"
SUMMARY = "Summary"
COMPLETED = "Completed actions and their evidence"
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
# A column per status in REPORT_ORDER (cm): each heading's longest word whole in bold 9 pt.
STATUS_WIDTHS = (1.9, 1.6, 1.5, 1.5, 1.6, 1.7)


@dataclass(frozen=True)
class Report:
    progress: Progress
    final: bool = False
    warnings: Sequence[Message] = ()
    annex_name: str | None = None
    committee: Meeting | None = None  # the meeting named with --committee; else the next board meeting

    @property
    def meeting(self) -> Meeting | None:
        """Who the report is for: the committee asked for, else the board's next meeting on or after the date."""
        return self.committee or self.progress.next_board

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


def _status(a: ActionProgress) -> TableCell:
    """The status as at the date; one not yet due says when it starts."""
    if a.status == NOT_YET_DUE and a.action.start:
        return status_cell(a.status, f"{a.status} ({format_short_date(a.action.start)})")
    return status_cell(a.status)


def _revised(p: Progress) -> bool:
    """Whether any action has a revised due date: the column is shown only then."""
    return any(a.action.revised_due for a in p.actions)


def _commentary(a: ActionProgress) -> str:
    """The latest commentary; for a completed action its evidence too, or the flag that there is none."""
    text = a.commentary or "No commentary given."
    return f"{text} Evidence: {evidence_text(a)}" if a.status == "Complete" else text


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
    board = r.meeting
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
    items = [f"That the {board.name} notes the progress of the improvement plan and agrees the corrective "
             "action for the actions off track or at risk."]
    if r.progress.decisions:
        items.append(f"That the {board.name} makes the {count(len(r.progress.decisions), 'decision')} set out under "
                     f"\u201c{DECISIONS}\u201d.")
    if r.progress.unevidenced:
        items.append(f"That the {board.name} accepts no action as complete until its evidence of completion is "
                     "seen.")
    w.numbered(items)
    if r.annex_name:
        w.para(f"Appendix 1 \u2013 {r.annex_name}: every action and update behind this report, in Excel.")


def decisions(w: Writer, r: Report) -> None:
    """What the board is asked to decide or escalate, first, so the meeting starts with it."""
    p = r.progress
    if not p.agreed or not p.decisions:
        return
    w.heading(DECISIONS, 1)
    w.para(f"{count(len(p.decisions), 'action')} {'asks' if len(p.decisions) == 1 else 'ask'} the board for a "
           "decision or an escalation.")
    revised = _revised(p)
    rows = [[TableCell(a.ref), TableCell(_action_text(a, owner=True)), _status(a),
             *([TableCell(format_short_date(a.action.revised_due) or "Not revised")] if revised else []),
             TableCell(a.action.decision_required)] for a in p.decisions]
    header = ["Ref", "Action and owner", "Status", *(["Revised due"] if revised else []), "Decision required"]
    widths = [1.4, 5.4, 2.6, *([2.2] if revised else []), 5.4 + (0 if revised else 2.2)]
    w.table("Decisions required of the board", "Each action that asks the board for a decision: the action and its "
            "owner, its status, " + ("its revised due date " if revised else "") + "and the decision required",
            header, rows, widths, first_column=True, font_pt=SMALL_PT)


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


def completed(w: Writer, r: Report) -> None:
    """Every completed action with the evidence that shows it is done, or a flag where none is recorded: in the
    final version too, since the board must not accept an action as done on the owner's word alone."""
    p = r.progress
    if not p.agreed or not p.complete:
        return
    w.heading(COMPLETED, 1)
    missing = len(p.unevidenced)
    w.para(f"{count(len(p.complete), 'action')} {'is' if len(p.complete) == 1 else 'are'} complete as at "
           f"{format_date(p.as_at)}; " + (f"{missing} {'has' if missing == 1 else 'have'} no evidence of "
                                           "completion recorded." if missing else "each has its evidence recorded."))
    rows = [[TableCell(a.ref), TableCell(_action_text(a, owner=True)),
             TableCell(format_short_date(a.status_since) or "Not given"), TableCell(evidence_text(a))]
            for a in p.complete]
    w.table("Completed actions and their evidence", "Each completed action with its owner, the date its "
            "completion was first reported and the evidence of completion", ["Ref", "Action and owner",
                                                                             "Completed", "Evidence"],
            rows, [1.4, 7.0, 2.4, 6.2], first_column=True, font_pt=SMALL_PT)


def changes(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed or p.since is None:
        return
    w.heading(f"Changes since {since_words(p)}", 1)
    w.para(f"Each action's status as at {format_date(p.as_at)} against {since_words(p)}. Statuses rank, "
           "worst first: off track, at risk, not started, not yet due to start, on track, complete.")
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
        revised = _revised(p)
        rows = [[TableCell(a.ref), TableCell(_action_text(a)), TableCell(a.action.owner or "Not given"),
                 TableCell(format_short_date(a.action.due)), TableCell(str(p.days_overdue(a)), align="right"),
                 *([TableCell(format_short_date(a.action.revised_due) or "Not revised")] if revised else []),
                 status_cell(a.status)] for a in p.overdue]
        w.table("Overdue actions", "Each action past its due date and not complete, with its owner, due date, "
                "days overdue, " + ("revised due date " if revised else "") + "and status",
                ["Ref", "Action", "Owner", "Due", "Days overdue", *(["Revised due"] if revised else []), "Status"],
                rows, [1.4, 6.4 - (2.2 if revised else 0), 3.4, 2.2, 1.6, *([2.2] if revised else []), 2.0],
                first_column=True, font_pt=SMALL_PT)
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
             TableCell(a.commentary or "No commentary given."),
             TableCell(a.action.corrective_action or "**None recorded.**")] for a in p.exceptions]
    w.table("Exceptions", "Each action off track or at risk: the action and its owner, its status and since "
            "when, the latest commentary and the corrective action", ["Ref", "Action and owner", "Status",
                                                                      "Latest commentary", "Corrective action"],
            rows, [1.4, 4.2, 3.0, 4.2, 4.2], first_column=True, font_pt=SMALL_PT)


def _group_table(w: Writer, caption: str, first: str, groups: Sequence[Group]) -> None:
    rows = [[TableCell(g.name), *(TableCell(str(g.counts[s]), align="right") for s in REPORT_ORDER),
             TableCell(str(g.total), align="right"), TableCell(f"{g.pct_complete}%", align="right")]
            for g in groups]
    w.table(caption, f"The number of actions at each status, the total and the share complete, by "
            f"{first.lower()}", [first, *REPORT_ORDER, "Total", "% complete"], rows,
            [3.6, *STATUS_WIDTHS, 1.5, 2.1], first_column=True, font_pt=SMALL_PT)


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
            ["Date", *REPORT_ORDER], rows, [7.2, *STATUS_WIDTHS], first_column=True, font_pt=SMALL_PT)
    w.native_chart(status_over_time_chart(p))


def all_actions(w: Writer, r: Report) -> None:
    p = r.progress
    if not p.agreed:
        return
    w.heading(ALL_ACTIONS, 1)
    revised = _revised(p)
    for theme in THEMES:
        own = [a for a in p.actions if a.action.theme == theme]
        if not own:
            continue
        w.heading(theme_heading(theme), 2)
        rows = [[TableCell(a.ref), TableCell(_action_text(a, owner=True)),
                 TableCell(format_short_date(a.action.due) or "Not given"),
                 *([TableCell(format_short_date(a.action.revised_due))] if revised else []), _status(a),
                 TableCell(direction_text(a, p)), TableCell(_commentary(a))] for a in own]
        w.table(f"{theme.name}: every action", f"Each {theme.name} action with its owner, due date, "
                + ("revised due date, " if revised else "") + f"status as at {format_date(p.as_at)}, direction of "
                "travel and latest commentary (with the evidence of completion for a completed action)",
                ["Ref", "Action and owner", "Due", *(["Revised due"] if revised else []), "Status", "Direction",
                 "Latest commentary"],
                # Date columns fit a whole dd/mm/yyyy at the small size, so no date breaks over two lines.
                rows, [1.2, 3.2 + (0 if revised else 1.0), 2.2, *([2.2] if revised else []), 2.0, 1.8,
                       4.4 + (0 if revised else 1.2)],
                first_column=True, font_pt=SMALL_PT)


def author_notes(w: Writer, r: Report) -> None:
    if r.final or not r.warnings:
        return
    w.heading(AUTHOR_NOTES, 1)
    w.para("For the report's author: what the checks of its sources found, each at its place. This appendix is "
           "left out of the final version.")
    w.bullets(str(m) for m in r.warnings)


# The report, in order. Each section decides for itself whether it has anything to say.
SECTIONS = (title_block, report_details, decisions, summary, awaiting, changes, completed, overdue, exceptions,
            by_theme, by_recommendation, by_statement, over_time, all_actions, author_notes)


def write_progress_report(progress: Progress, path: Path, *, final: bool = False, warnings: Sequence[Message] = (),
                          annex_name: str | None = None, committee: Meeting | None = None,
                          template: Path | None = None) -> None:
    """Write the progress report for PROGRESS to PATH, for COMMITTEE (else the board's next meeting), in the
    styles of TEMPLATE (else the built-in one)."""
    document = open_template(template)
    prepare(document)
    r = Report(progress, final, tuple(warnings), annex_name, committee)
    w = Writer(document)
    for section in SECTIONS:
        section(w, r)
    w.headers_and_footers(r.marking, draft=not final)
    w.space_after_tables()
    a = r.a
    set_properties(document, title=r.title, subject=f"Improvement plan progress: {a.council}",
                   author=a.report_author or a.directorate or a.council,
                   keywords=f"CQC; adult social care; improvement plan; {a.short_name}",
                   category=f"Committee report: {r.meeting.name}" if r.meeting else "Progress report",
                   status="Final" if final else "Draft", when=progress.as_at)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(deterministic_zip(buffer.getvalue()))
