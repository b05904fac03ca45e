"""The improvement journey: the findings of every review, followed thread by thread in time order and counted
by service area. Pure functions from the model, as `scoring` is for scores and `progress` for the plan.

Threads are the officer's: a finding, key figure or action belongs to a thread only when the workbook says
so (the Thread column); nothing here guesses one from the text. Reviews run in the Reviews sheet's date order;
without that sheet, in the order the Findings sheet first names them (the paper then says so).

A review's stance on a thread is what its findings there say: key strengths only ("strength"), areas for
development only ("development"), both ("both"), or only summaries and people's experiences ("noted"). A thread
raised by two or more reviews is *recurring*, and its course is one of:

- **Improved**: an area for development in an earlier review, a strength (and no longer an area for
  development) in the latest review that takes a view;
- **Persisting**: an area for development (alone or beside a strength) in the first and in the latest review
  that takes a view, whatever a review between them found;
- **Strength throughout**: a strength, never an area for development, in every review that takes a view;
- **Now an area for development**: a strength only in the first, an area for development only in the latest;
- **Mixed**: anything else (a strength first and both in the latest, say).

Every finding of the thread counts: a review's stance is read from all its findings there, and the findings that
run against the course are kept as its counter-evidence (`Thread.against`), so a paper quotes them beside it.

Nothing here words a sentence or knows a document; `render.journey_report` and the annexes arrange it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date

from .contract import normalise
from .model import Action, Finding, KeyFigure, MonthDate, Review, Workbook

STRENGTH, DEVELOPMENT = "Key strength", "Area for development"
STANCES = ("strength", "development", "both", "noted")
COURSES = ("Persisting", "Now an area for development", "Mixed", "Improved", "Strength throughout")  # summary order
NOT_ATTRIBUTED = "Not attributed"


@dataclass(frozen=True)
class ReviewPoint:
    """One review on the journey: from the Reviews sheet, or only named in Findings (date unknown)."""

    name: str
    kind: str = ""
    date: date | None = None
    on_site_from: date | None = None
    on_site_to: date | None = None
    lead: str = ""


@dataclass(frozen=True)
class ThreadReview:
    """What one review said on one thread: its findings there and its stance."""

    review: ReviewPoint
    findings: tuple[Finding, ...]

    @property
    def stance(self) -> str:
        sections = {f.section for f in self.findings}
        strength, development = STRENGTH in sections, DEVELOPMENT in sections
        return "both" if strength and development else "strength" if strength else \
            "development" if development else "noted"


@dataclass(frozen=True)
class Thread:
    name: str
    reviews: tuple[ThreadReview, ...]      # the reviews that raised it, in time order
    figures: tuple[KeyFigure, ...] = ()    # its key figures, in date order (one date: the sheet's order)
    actions: tuple[Action, ...] = ()

    @property
    def recurring(self) -> bool:
        return len(self.reviews) > 1

    def stance(self, review: ReviewPoint) -> str | None:
        """REVIEW's stance on this thread; None when it did not raise it."""
        return next((r.stance for r in self.reviews if r.review == review), None)

    @property
    def course(self) -> str:
        """One of COURSES for a recurring thread (see the module's docstring); "Raised once" else."""
        if not self.recurring:
            return "Raised once"
        views = [r.stance for r in self.reviews if r.stance != "noted"]
        if not views:
            return "Mixed"
        if all(v == "strength" for v in views):
            return "Strength throughout"
        first, latest = views[0], views[-1]
        if latest == "strength" and any(v in ("development", "both") for v in views[:-1]):
            return "Improved"
        if first in ("development", "both") and latest in ("development", "both"):
            return "Persisting"
        if first == "strength" and latest == "development":
            return "Now an area for development"
        return "Mixed"


    @property
    def against(self) -> tuple[tuple[ReviewPoint, Finding], ...]:
        """The findings that run against the course, each with its review, in time order: for *Improved* and
        *Strength throughout*, every finding that is not a key strength from the latest review that takes a view
        onwards (or anywhere, for Strength throughout); for *Persisting* and *Now an area for development*, every
        key strength after the first review. None for a thread raised once or a Mixed course."""
        course = self.course
        viewing = [i for i, r in enumerate(self.reviews) if r.stance != "noted"]
        if course in ("Improved", "Strength throughout"):
            start = 0 if course == "Strength throughout" else (viewing[-1] if viewing else 0)
            return tuple((r.review, f) for r in self.reviews[start:] for f in r.findings if f.section != STRENGTH)
        if course in ("Persisting", "Now an area for development"):
            return tuple((r.review, f) for r in self.reviews[1:] for f in r.findings if f.section == STRENGTH)
        return ()


@dataclass(frozen=True)
class AreaCount:
    """Findings about one service area: per review, (strengths, areas for development, other)."""

    area: str
    counts: dict[str, tuple[int, int, int]]

    @property
    def strengths(self) -> int:
        return sum(c[0] for c in self.counts.values())

    @property
    def developments(self) -> int:
        return sum(c[1] for c in self.counts.values())

    @property
    def total(self) -> int:
        return sum(sum(c) for c in self.counts.values())

    @property
    def reviews_with_development(self) -> int:
        return sum(1 for c in self.counts.values() if c[1])


@dataclass(frozen=True)
class Journey:
    workbook: Workbook
    reviews: tuple[ReviewPoint, ...]       # in time order
    dated: bool                            # the Reviews sheet gave the order
    threads: tuple[Thread, ...]            # recurring first (most reviews first), then by name
    areas: tuple[AreaCount, ...]           # by areas for development, most first; "Not attributed" last

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.workbook.findings

    @property
    def recurring(self) -> tuple[Thread, ...]:
        return tuple(t for t in self.threads if t.recurring)

    @property
    def single(self) -> tuple[Thread, ...]:
        return tuple(t for t in self.threads if not t.recurring)

    def by_course(self, course: str) -> tuple[Thread, ...]:
        return tuple(t for t in self.recurring if t.course == course)

    def raised_by(self, n: int) -> tuple[Thread, ...]:
        return tuple(t for t in self.threads if len(t.reviews) == n)

    @property
    def unthreaded(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.thread)

    def other_findings(self, review: ReviewPoint) -> tuple[Finding, ...]:
        """REVIEW's findings that belong to no thread, in the sheet's order."""
        return tuple(f for f in self.unthreaded if f.review == review.name)

    def threads_of(self, review: ReviewPoint) -> tuple[tuple[Thread, ThreadReview], ...]:
        """The threads REVIEW raised, with what it said on each, in the threads' order."""
        return tuple((t, r) for t in self.threads for r in t.reviews if r.review == review)

    @property
    def unattributed(self) -> int:
        return sum(1 for f in self.findings if not f.service_area)

    def review_of(self, finding: Finding) -> ReviewPoint:
        return self._by_name[finding.review]

    @cached_property
    def _by_name(self) -> dict[str, ReviewPoint]:
        return {r.name: r for r in self.reviews}

    def review_counts(self, review: ReviewPoint) -> tuple[int, int, int]:
        """(strengths, areas for development, other findings) of REVIEW."""
        own = [f for f in self.findings if f.review == review.name]
        s = sum(1 for f in own if f.section == STRENGTH)
        d = sum(1 for f in own if f.section == DEVELOPMENT)
        return s, d, len(own) - s - d


def figure_when(figure: KeyFigure, reviews: dict[str, ReviewPoint]) -> date | None:
    """When a key figure applies, for ordering: its As at date; for a period ("2024/25") the 1 April of its first
    year; else its review's date."""
    if isinstance(figure.as_at, date):
        return figure.as_at
    if isinstance(figure.as_at, str):
        digits = "".join(c if c.isdigit() else " " for c in figure.as_at).split()
        years = [int(d) for d in digits if len(d) == 4]
        if years:
            return MonthDate(years[0], 4, 1)
    review = reviews.get(figure.review)
    return review.date if review else None


def _review_points(workbook: Workbook) -> tuple[tuple[ReviewPoint, ...], bool]:
    if workbook.reviews:
        listed = sorted(workbook.reviews, key=lambda r: r.date)  # stable: the sheet's order on one date
        return tuple(_point(r) for r in listed), True
    names = list(dict.fromkeys(f.review for f in workbook.findings if f.review))
    return tuple(ReviewPoint(n) for n in names), False


def _point(r: Review) -> ReviewPoint:
    return ReviewPoint(r.name, r.kind, r.date, r.on_site_from, r.on_site_to, r.lead)


def _threads(workbook: Workbook, reviews: tuple[ReviewPoint, ...]) -> tuple[Thread, ...]:
    """Every finding, figure and action is normalised once and dealt to its thread: linear in the input."""
    by_name = {r.name: r for r in reviews}
    names: dict[str, str] = {}  # normalised → as first spelt (the loader refuses two spellings)
    own: dict[str, tuple[list, list, list]] = {}
    for i, items in enumerate((workbook.findings, workbook.key_figures, workbook.actions)):
        for x in items:
            if x.thread:
                key = normalise(x.thread)
                names.setdefault(key, x.thread)
                own.setdefault(key, ([], [], []))[i].append(x)
    threads = []
    for key, name in names.items():
        findings, figures, actions = own[key]
        by_review: dict[str, list[Finding]] = {}
        for f in findings:
            by_review.setdefault(f.review, []).append(f)
        points = tuple(ThreadReview(r, tuple(by_review[r.name])) for r in reviews if r.name in by_review)
        order = {id(f): i for i, f in enumerate(figures)}
        figures.sort(key=lambda f: (figure_when(f, by_name) or date.max, order[id(f)]))
        threads.append(Thread(name, points, tuple(figures), tuple(actions)))
    return tuple(sorted(threads, key=lambda t: (-len(t.reviews), t.name.lower())))


def _areas(workbook: Workbook, reviews: tuple[ReviewPoint, ...]) -> tuple[AreaCount, ...]:
    counts: dict[str, dict[str, list[int]]] = {}
    spelt: dict[str, str] = {}
    for f in workbook.findings:
        area = spelt.setdefault(normalise(f.service_area), f.service_area) if f.service_area else NOT_ATTRIBUTED
        row = counts.setdefault(area, {r.name: [0, 0, 0] for r in reviews})
        row[f.review][0 if f.section == STRENGTH else 1 if f.section == DEVELOPMENT else 2] += 1
    areas = [AreaCount(a, {k: tuple(v) for k, v in c.items()}) for a, c in counts.items()]
    areas.sort(key=lambda a: (a.area == NOT_ATTRIBUTED, -a.developments, -a.total, a.area.lower()))
    return tuple(areas)


_LAST: list[Journey] = []  # the latest journey: a brief's Word paper and annex ask for the same workbook's


def compute_journey(workbook: Workbook) -> Journey:
    """The journey of WORKBOOK, computed once per workbook object (models are immutable)."""
    if _LAST and _LAST[0].workbook is workbook:
        return _LAST[0]
    reviews, dated = _review_points(workbook)
    journey = Journey(workbook, reviews, dated, _threads(workbook, reviews), _areas(workbook, reviews))
    _LAST[:] = [journey]
    return journey
