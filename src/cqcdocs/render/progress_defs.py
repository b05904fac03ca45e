"""What the progress report and its Excel annex both say, built once from `progress.Progress`: the
headline sentences, the direction-of-travel words and symbols, and the chart definitions.

As `sentences.py` and `chart_defs.py` are for the briefing: pure data and text, nothing heavy imported,
so Word and Excel can never word or draw the same fact two ways.
"""

from __future__ import annotations

from ..model import format_date
from ..palette import ACTION_STATUS_FILL
from ..progress import REPORT_ORDER, ActionProgress, Group, Progress
from ..wording import count, duration, join_words, number_word
from .chart_defs import AxisDef, ChartDef, SeriesDef

# Direction of travel in words with a symbol, never colour alone.
DIRECTION = {"improved": "\u2191 Improved", "same": "\u2192 Same", "worse": "\u2193 Worse", None: "\u2013 New"}
NO_COMPARISON = "\u2013"


def direction_text(a: ActionProgress, progress: Progress) -> str:
    """"↑ Improved" …; "–" when there is no comparison date."""
    return DIRECTION[a.direction] if progress.since else NO_COMPARISON


def since_words(progress: Progress) -> str:
    """"the Adult Social Care Improvement Assurance Board on 14 July 2026" when the comparison is a meeting of
    the board (by its own name, whatever `--board` matched), else the date alone: "1 June 2026"."""
    if progress.since_board is not None:
        return f"the {progress.since_board.name} on {format_date(progress.since)}"
    return format_date(progress.since)


def evidence_text(a: ActionProgress) -> str:
    """A completed action's evidence, or the flag the board must see (in every version, final included)."""
    return a.evidence or "**No evidence of completion recorded.**"


def unevidenced_sentence(progress: Progress) -> str | None:
    """The headline's flag for actions marked complete without evidence, or None when every one has it."""
    missing = progress.unevidenced
    if not missing:
        return None
    refs = join_words([a.ref for a in missing])
    one = len(missing) == 1
    return (f"{refs} {'is' if one else 'are'} marked complete with no evidence of completion recorded: the board "
            f"should see evidence before accepting {'it' if one else 'them'} as complete.")


def status_list(counts: dict[str, int], skip: tuple[str, ...] = ()) -> str:
    """"5 on track, 3 at risk and 1 not started": the non-zero statuses, in the report's order."""
    return join_words([f"{n} {s.lower()}" for s, n in counts.items() if n and s not in skip])


def not_agreed_sentence(progress: Progress) -> str:
    n = progress.total
    return (f"The improvement plan is not yet agreed: none of its {count(n, 'action')} has an owner or a due date, "
            "and no progress updates have been recorded. This report will show progress once the plan is agreed.")


def headline(progress: Progress) -> list[str]:
    """The summary's sentences: where the plan stands, then what changed since the comparison date."""
    counts = progress.counts
    done = counts["Complete"]
    rest = status_list(counts, ("Complete",))
    lines = [f"{done} of {count(progress.total, 'action')} ({progress.pct_complete}%) "
             f"{'is' if done == 1 else 'are'} complete" + (f"; {rest}." if rest else ".")]
    if progress.since is None:
        lines.append(f"There is no earlier meeting of the {progress.board_name} to compare with.")
        if flag := unevidenced_sentence(progress):
            lines.append(flag)
        return lines
    changes = [f"{len(progress.completed_since)} completed", f"{len(progress.newly_overdue)} newly overdue"]
    d = progress.directions()
    lines.append(f"Since {since_words(progress)}: " + "; ".join(changes) + f"; {d['improved']} improved, "
                 f"{d['worse']} got worse and {d['same']} stayed the same.")
    overdue, soon = len(progress.overdue), len(progress.due_soon)
    lines.append(f"{count(overdue, 'action')} {'is' if overdue == 1 else 'are'} overdue and {soon} "
                 f"{'is' if soon == 1 else 'are'} due in the next 30 days.")
    if flag := unevidenced_sentence(progress):
        lines.append(flag)
    return lines


def status_since_text(a: ActionProgress, progress: Progress) -> str:
    """"Off track since 2 June 2026 (10 weeks)", or the status alone when no update set it."""
    days = progress.days_at_status(a)
    if days is None:
        return f"{a.status} (no update yet)"
    return f"{a.status} since {format_date(a.status_since)} ({duration(days)})"


# --- charts --------------------------------------------------------------------------------------------

def _step(top: int) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 10:
            return float(step)
    return 1000.0


def _stacked(key: str, title: str, what: str, names: list[str], counts: list[dict[str, int]]) -> ChartDef:
    """Actions by status, one stacked bar per name, a segment per status in the palette's colours."""
    series = tuple(SeriesDef(s, tuple(c[s] for c in counts), (ACTION_STATUS_FILL[s],) * len(counts),
                             tuple(str(c[s]) for c in counts), ("",) * len(counts), "0", outline="FFFFFF")
                   for s in REPORT_ORDER)
    parts = [f"{name}: " + (status_list(c) or "no actions") for name, c in zip(names, counts)]
    alt = f"Stacked bar chart of the improvement plan's actions by status {what}. " + "; ".join(parts) + "."
    top = max([sum(c.values()) for c in counts] + [1])
    step = _step(top)
    axis = AxisDef("Actions", 0.0, float(-(-top // step) * step), major_unit=step)
    return ChartDef(key, "stacked", title, alt, tuple(names), series, axis, legend=True,
                    height_cm=2.6 + 0.9 * len(names))


def status_by_theme_chart(groups: tuple[Group, ...]) -> ChartDef:
    return _stacked("progress_themes", "Actions by theme and status", "in each theme",
                    [g.name for g in groups], [g.counts for g in groups])


def status_over_time_chart(progress: Progress) -> ChartDef:
    points = progress.points
    what = f"at each of the {number_word(len(points))} dates in the log" if len(points) > 1 else "on one date"
    return _stacked("progress_over_time", "Actions by status over time", what,
                    [p.label for p in points], [p.counts for p in points])
