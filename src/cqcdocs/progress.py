"""The improvement plan's progress as at a date: pure functions from the model, as `scoring` is for scores.

The Updates sheet is a log, not a snapshot: an action's status on any day is its latest update on or
before that day, or the Actions sheet's Status when it has none by then (the status it was agreed with).
So the same workbook answers "where were we at the July board?" as well as "where are we now?".

The comparison ("since the last board") is with the latest Governance meeting before the as-at date
whose name contains the board's name, or with a date given explicitly. Nothing here words a sentence
or knows a document; `render.progress_report` and `render.progress_annex` arrange what `Progress` holds.
"""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from .contract import ACTION_STATUSES, NOT_YET_DUE, QUALITY_STATEMENTS, THEMES, normalise
from .errors import ProgressError, UnknownMeeting
from .model import Action, Meeting, Message, MonthDate, Update, Workbook, format_date, format_short_date
from .wording import row_ranges

# How the headline lists the statuses, best first (the contract's order is the drop-down's). "Not yet due to
# start" is not typed: it is a "Not started" action whose Start date is still to come.
REPORT_ORDER = ("Complete", "On track", "At risk", "Off track", "Not started", NOT_YET_DUE)
# Worst to best, for the direction of travel: Not started is better than a started action at risk, and an
# action that passed its start date without starting got worse.
_RANK = {s: i for i, s in enumerate(("Off track", "At risk", "Not started", NOT_YET_DUE, "On track", "Complete"))}
EXCEPTIONS = ("Off track", "At risk")
DUE_SOON_DAYS = 30
DEFAULT_BOARD = "Assurance Board"
assert set(REPORT_ORDER) == set(ACTION_STATUSES) | {NOT_YET_DUE} == set(_RANK)


def due_by(due: date) -> date:
    """The last day an action can be done on time: a due date known only to the month is its last day."""
    if isinstance(due, MonthDate):
        return date(due.year, due.month, calendar.monthrange(due.year, due.month)[1])
    return due


def direction(before: str | None, now: str) -> str | None:
    """"improved", "same" or "worse" from status BEFORE to NOW; None when there is nothing to compare."""
    if before is None:
        return None
    change = _RANK[now] - _RANK[before]
    return "improved" if change > 0 else "worse" if change < 0 else "same"


class History:
    """Each action's updates in date order (the sheet's order within a day), for status on any day."""

    def __init__(self, updates: tuple[Update, ...]):
        by_ref: dict[str, list[Update]] = {}
        for u in sorted(updates, key=lambda u: u.date):  # stable: the sheet's order within a day
            by_ref.setdefault(u.ref, []).append(u)
        self.updates = by_ref
        self.dates = {ref: [u.date for u in own] for ref, own in by_ref.items()}

    def upto(self, action: Action, day: date) -> list[Update]:
        """ACTION's updates dated on or before DAY, oldest first."""
        dates = self.dates.get(action.ref, [])
        return self.updates.get(action.ref, [])[:bisect.bisect_right(dates, day)]

    def latest(self, action: Action, day: date) -> Update | None:
        dates = self.dates.get(action.ref, [])
        i = bisect.bisect_right(dates, day)
        return self.updates[action.ref][i - 1] if i else None

    def status(self, action: Action, day: date) -> str:
        """ACTION's status on DAY: its latest update by then, else the Actions sheet's Status; "Not started"
        before the action's Start date is "Not yet due to start"."""
        latest = self.latest(action, day)
        status = latest.status if latest else action.status
        if status == "Not started" and action.start is not None and day < action.start:
            return NOT_YET_DUE
        return status

    def evidence(self, action: Action, day: date) -> str:
        """The latest evidence given for ACTION on or before DAY, else the Actions sheet's Evidence: a later
        update ("Monitoring monthly") does not take away the evidence an earlier one gave."""
        for u in reversed(self.upto(action, day)):
            if u.evidence:
                return u.evidence
        return action.evidence


def plan_agreed(workbook: Workbook) -> bool:
    """The one rule for whether there is a plan to report on, used by every paper: an action has an owner, a
    due date or a status other than "Not started", or any progress update has been recorded."""
    return bool(workbook.updates) or any(a.owner.strip() or a.due is not None or a.status != "Not started"
                                         for a in workbook.actions)


def statuses_on(workbook: Workbook, day: date) -> dict[str, str]:
    """Each action's status on DAY (by ref), as the progress report counts it: the briefing's rule too."""
    history = History(workbook.updates)
    return {a.ref: history.status(a, day) for a in workbook.actions}


def counts_by_theme(workbook: Workbook, day: date) -> dict[tuple[int, str], int]:
    """Actions by (theme number, status) on DAY, every combination of REPORT_ORDER present (zeros included)."""
    counts = dict.fromkeys(((t.number, s) for t in THEMES for s in REPORT_ORDER), 0)
    statuses = statuses_on(workbook, day)
    for a in workbook.actions:
        counts[(a.theme.number, statuses[a.ref])] += 1
    return counts


@dataclass(frozen=True)
class ActionProgress:
    """One action as at the report's date, and how it moved since the comparison date."""

    action: Action
    status: str
    before: str | None            # status at the comparison date; None without one
    direction: str | None         # "improved" | "same" | "worse"; None without a comparison date
    status_since: date | None     # first update of the run that gave the current status; None: no update yet
    latest: Update | None         # the latest update on or before the as-at date
    overdue: bool
    was_overdue: bool             # overdue at the comparison date
    due_soon: bool                # due within DUE_SOON_DAYS, not complete
    evidence: str = ""            # the latest evidence of completion given by the as-at date

    @property
    def ref(self) -> str:
        return self.action.ref

    @property
    def commentary(self) -> str:
        """The latest update's commentary, else the Actions sheet's Update."""
        return (self.latest.commentary if self.latest else "") or self.action.update

    @property
    def unevidenced(self) -> bool:
        """Complete with no evidence of completion: the board should not accept it as done yet."""
        return self.status == "Complete" and not self.evidence

    @property
    def completed_since(self) -> bool:
        return self.status == "Complete" and self.before not in (None, "Complete")

    @property
    def newly_overdue(self) -> bool:
        return self.overdue and self.before is not None and not self.was_overdue


@dataclass(frozen=True)
class Group:
    """Actions counted by status for one theme, recommendation or quality statement."""

    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pct_complete(self) -> int:
        return pct(self.counts.get("Complete", 0), self.total)


@dataclass(frozen=True)
class Point:
    """Actions by status on one day of the log: a board meeting, or the as-at date."""

    day: date
    label: str                    # "Board, 14 July 2026" / "As at 20 June 2026"
    counts: dict[str, int]


@dataclass(frozen=True)
class Progress:
    workbook: Workbook
    as_at: date
    since: date | None            # the comparison date
    since_board: Meeting | None   # the board meeting it is, when it is one
    next_board: Meeting | None    # the board on or after the as-at date: who the report is for
    board_name: str
    actions: tuple[ActionProgress, ...]
    points: tuple[Point, ...]
    warnings: tuple[Message, ...] = ()
    counted_updates: int = 0
    by_theme: tuple[Group, ...] = field(default=())
    by_recommendation: tuple[Group, ...] = field(default=())
    by_statement: tuple[Group, ...] = field(default=())

    @property
    def agreed(self) -> bool:
        return plan_agreed(self.workbook)

    @property
    def complete(self) -> list[ActionProgress]:
        return [a for a in self.actions if a.status == "Complete"]

    @property
    def unevidenced(self) -> list[ActionProgress]:
        return [a for a in self.actions if a.unevidenced]

    @property
    def decisions(self) -> list[ActionProgress]:
        """Actions that ask the board for a decision, off track first (the report's exception order)."""
        order = {s: i for i, s in enumerate(EXCEPTIONS)}
        return sorted((a for a in self.actions if a.action.decision_required),
                      key=lambda a: order.get(a.status, len(order)))

    @property
    def counts(self) -> dict[str, int]:
        return count_statuses(a.status for a in self.actions)

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def pct_complete(self) -> int:
        return pct(self.counts["Complete"], self.total)

    @property
    def completed_since(self) -> list[ActionProgress]:
        return [a for a in self.actions if a.completed_since]

    @property
    def newly_overdue(self) -> list[ActionProgress]:
        return [a for a in self.actions if a.newly_overdue]

    @property
    def overdue(self) -> list[ActionProgress]:
        return sorted((a for a in self.actions if a.overdue), key=lambda a: due_by(a.action.due))

    @property
    def due_soon(self) -> list[ActionProgress]:
        return sorted((a for a in self.actions if a.due_soon), key=lambda a: due_by(a.action.due))

    @property
    def exceptions(self) -> list[ActionProgress]:
        """Off track first, then at risk; the longest so first within each."""
        return sorted((a for a in self.actions if a.status in EXCEPTIONS),
                      key=lambda a: (EXCEPTIONS.index(a.status), a.status_since or self.as_at))

    def directions(self) -> dict[str, int]:
        found = [a.direction for a in self.actions if a.direction]
        return {d: found.count(d) for d in ("improved", "same", "worse")}

    def days_overdue(self, a: ActionProgress) -> int:
        return (self.as_at - due_by(a.action.due)).days if a.overdue else 0

    def days_at_status(self, a: ActionProgress) -> int | None:
        return None if a.status_since is None else (self.as_at - a.status_since).days


def pct(part: int, whole: int) -> int:
    """PART of WHOLE as a whole per cent, halves rounded up (0 when WHOLE is 0)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def count_statuses(statuses) -> dict[str, int]:
    counts = dict.fromkeys(REPORT_ORDER, 0)
    for s in statuses:
        counts[s] += 1
    return counts


def find_boards(workbook: Workbook, name: str | None) -> list[Meeting]:
    """Governance meetings whose name contains NAME (default: "Assurance Board"), in date order. A name
    given by the user that matches none is an error; the default matching none means there are no boards."""
    wanted = normalise(name or DEFAULT_BOARD)
    boards = sorted((m for m in workbook.governance if wanted in normalise(m.name)), key=lambda m: m.date)
    if not boards and name is not None:
        listed = "; ".join(dict.fromkeys(m.name for m in workbook.governance)) or "none"
        raise UnknownMeeting(f"board {name!r} is not in the Governance sheet; its meetings are: {listed}")
    return boards


def _status_since(history: History, action: Action, as_at: date, status: str) -> date | None:
    """The date of the first update in the unbroken run of STATUS that ends with the latest one."""
    since = None
    for u in reversed(history.upto(action, as_at)):
        if u.status != status:
            break
        since = u.date
    return since


def _later_updates(updates: tuple[Update, ...], as_at: date) -> list[Message]:
    """Updates dated after AS_AT are left out: one warning at the cell, or one for the sheet naming rows."""
    later = [u for u in updates if u.date and u.date > as_at]
    if not later:
        return []
    when = format_short_date(as_at)
    if len(later) == 1:
        u = later[0]
        return [Message(u.places["Date"], f"dated {format_short_date(u.date)}, after the report's date {when}: "
                                          "left out of this report", "warning")]
    rows = [int(u.place.split("!")[1].split(":")[0]) for u in later]
    return [Message("Updates", f"rows {row_ranges(rows)} are dated after the report's date {when}: left out of this "
                               "report", "warning")]


def _groups(actions: tuple[ActionProgress, ...], key, names: list[str]) -> tuple[Group, ...]:
    """Counts by status per group NAMES (in that order, empty groups left out); "Not given" last."""
    statuses: dict[str, list[str]] = {}
    for a in actions:
        statuses.setdefault(key(a.action) or "Not given", []).append(a.status)
    order = [n for n in names if n in statuses] + [n for n in statuses if n not in names and n != "Not given"]
    if "Not given" in statuses:
        order.append("Not given")
    return tuple(Group(n, count_statuses(statuses[n])) for n in order)


def _points(history: History, actions: tuple[Action, ...], boards: list[Meeting], as_at: date) -> tuple[Point, ...]:
    days = {m.date: f"Board, {format_date(m.date)}" for m in boards if m.date <= as_at}
    days.setdefault(as_at, f"As at {format_date(as_at)}")
    return tuple(Point(day, label, count_statuses(history.status(a, day) for a in actions))
                 for day, label in sorted(days.items()))


def compute_progress(workbook: Workbook, as_at: date, *, since: date | None = None,
                     board: str | None = None) -> Progress:
    """The plan as at AS_AT, compared with SINCE or else the last meeting of BOARD before AS_AT."""
    if not workbook.actions:
        raise ProgressError("the workbook has no improvement plan: add an Actions sheet with a row per action "
                            "(see docs/workbook.md)")
    boards = find_boards(workbook, board)
    since_board = None
    if since is not None:
        if since >= as_at:
            raise ProgressError(f"the comparison date {format_short_date(since)} must be before the report's "
                                f"date {format_short_date(as_at)}")
    else:
        before = [m for m in boards if m.date < as_at]
        since_board = before[-1] if before else None
        since = since_board.date if since_board else None
    history = History(workbook.updates)
    soon = as_at + timedelta(days=DUE_SOON_DAYS) if as_at <= date.max - timedelta(days=DUE_SOON_DAYS) else date.max
    rows = []
    for action in workbook.actions:
        status = history.status(action, as_at)
        before = history.status(action, since) if since else None
        end = due_by(action.due) if action.due else None
        rows.append(ActionProgress(
            action=action, status=status, before=before, direction=direction(before, status),
            status_since=_status_since(history, action, as_at, status), latest=history.latest(action, as_at),
            overdue=bool(end and end < as_at and status != "Complete"),
            was_overdue=bool(end and since and end < since and before != "Complete"),
            due_soon=bool(end and as_at <= end <= soon and status != "Complete"),
            evidence=history.evidence(action, as_at)))
    actions = tuple(rows)
    themes = [t.name for t in THEMES]
    return Progress(
        workbook=workbook, as_at=as_at, since=since, since_board=since_board,
        next_board=next((m for m in boards if m.date >= as_at), None), board_name=board or DEFAULT_BOARD,
        actions=actions, points=_points(history, workbook.actions, boards, as_at),
        warnings=tuple(_later_updates(workbook.updates, as_at)),
        counted_updates=sum(1 for u in workbook.updates if u.date <= as_at),
        by_theme=_groups(actions, lambda a: a.theme.name, themes),
        by_recommendation=_groups(actions, lambda a: a.recommendation, []),
        by_statement=_groups(actions, lambda a: a.quality_statement.name if a.quality_statement else "",
                             [q.name for q in QUALITY_STATEMENTS]))
