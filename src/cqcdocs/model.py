"""The typed model of a source workbook: what the loader produces and the scoring module reads.

Plain frozen dataclasses, no behaviour beyond formatting helpers; `place` fields keep the cell a value
came from so that warnings can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .contract import QualityStatement, Theme, normalise
from .wording import MONTHS, count


class MonthDate(date):
    """A date known only to the month ("May 2026"): a `date` on the 1st that formats without the day."""

    def __str__(self) -> str:  # pragma: no cover - format_date is the public way
        return format_date(self)


def format_date(value: date | None, end: date | None = None) -> str:
    """UK long form: "14 May 2026", "May 2026", "14–17 July 2025"; "" for None."""
    if value is None:
        return ""
    if isinstance(value, MonthDate):
        text = f"{MONTHS[value.month - 1]} {value.year}"
    else:
        text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if end is None or end == value:
        return text
    if (end.year, end.month) == (value.year, value.month) and not isinstance(value, MonthDate):
        return f"{value.day}\u2013{format_date(end)}"
    return f"{text} \u2013 {format_date(end)}"


def format_short_date(value: date | None) -> str:
    """Numeric UK form, as the pack's governance table has it: "01/04/2026"."""
    if value is None:
        return ""
    if isinstance(value, MonthDate):
        return format_date(value)
    return value.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Assessment:
    council: str
    short_name: str
    region: str
    sub_region: str
    published: date
    report_title: str
    report_date: date | None
    directorate: str
    report_author: str
    approving_director: str
    key_decision: bool
    wards_affected: str
    protective_marking: str
    published_rating: str | None = None
    published_overall_pct: int | None = None
    places: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ScoreRow:
    """One quality statement as scored: evidence category → score (1–4), None where not scored."""

    quality_statement: QualityStatement
    theme: Theme
    categories: dict[str, int]
    score: int | None = None
    draft_score: int | None = None
    published_pct: int | None = None
    place: str = ""
    places: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Finding:
    review: str
    theme: Theme
    quality_statement: QualityStatement | None
    section: str
    text: str
    service_area: str = ""
    place: str = ""
    thread: str = ""
    places: dict[str, str] = field(default_factory=dict, compare=False)  # column → cell
    quoted_from: str = ""  # blank: the council's own summary of the review (the pack's lists)


@dataclass(frozen=True)
class Review:
    """A review the findings come from (LGA peer challenge, ADASS peer review, CQC assessment), dated."""

    name: str
    kind: str  # one of contract.REVIEW_KINDS
    date: date
    on_site_from: date | None = None
    on_site_to: date | None = None
    lead: str = ""
    place: str = ""


@dataclass(frozen=True)
class Meeting:
    name: str
    date: date
    paper_deadline: date | None = None
    purpose: str = ""
    place: str = ""


@dataclass(frozen=True)
class Milestone:
    name: str
    date: date
    end_date: date | None = None


@dataclass(frozen=True)
class NextStep:
    step: str
    date: date | None = None


@dataclass(frozen=True)
class SurveyResult:
    question: str
    pct_positive: float
    group: str = ""


@dataclass(frozen=True)
class Benchmark:
    council: str
    region: str
    sub_region: str = ""
    overall_pct: int | None = None
    rating: str | None = None
    published: date | None = None
    source: str = ""
    qs_scores: dict[str, int] = field(default_factory=dict)
    place: str = ""
    basis: tuple[str, ...] = ()  # contract.BENCHMARK_BASES beyond "Published": "Computed", "Pilot", "Secondary"


@dataclass(frozen=True)
class Metric:
    indicator: str
    source: str
    council_value: float
    england_average: float
    unit: str = "%"
    higher_is_better: bool | None = None
    cqc_comparison: str = ""
    quality_statement: QualityStatement | None = None
    place: str = ""


@dataclass(frozen=True)
class Action:
    ref: str
    theme: Theme
    area_for_development: str
    action: str
    owner: str
    due: date | None
    status: str
    update: str = ""
    place: str = ""
    recommendation: str = ""
    quality_statement: QualityStatement | None = None
    thread: str = ""
    start: date | None = None
    evidence: str = ""
    revised_due: date | None = None
    corrective_action: str = ""
    decision_required: str = ""
    places: dict[str, str] = field(default_factory=dict, compare=False)  # column → cell


@dataclass(frozen=True)
class Update:
    """One row of the improvement plan's log: an action's status on a date."""

    date: date
    ref: str
    status: str
    commentary: str = ""
    evidence: str = ""
    updated_by: str = ""
    place: str = ""
    places: dict[str, str] = field(default_factory=dict, compare=False)  # column → cell


@dataclass(frozen=True)
class KeyFigure:
    """A figure from the report that members scrutinise: 1,066 people waiting for an annual review."""

    measure: str
    value: float
    unit: str = ""
    as_at: date | str | None = None  # a date, or a period as typed ("2024/25")
    source: str = ""
    theme: Theme | None = None
    quality_statement: QualityStatement | None = None
    place: str = ""
    review: str = ""
    thread: str = ""
    places: dict[str, str] = field(default_factory=dict, compare=False)  # column → cell


@dataclass(frozen=True)
class SectionText:
    """An officer-written paragraph shown before or after a briefing section's own content."""

    section: str  # one of contract.BRIEFING_SECTIONS
    position: str  # "Before" | "After"
    text: str
    place: str = ""


@dataclass(frozen=True)
class NationalTable:
    """A dated table of published results for councils across England (the package's bundled one, or
    another): ranks a council nationally and pre-fills a new workbook's Benchmarks sheet."""

    title: str
    as_at: date  # results published by this date are included (see coverage)
    coverage: str  # what the table covers, in a sentence
    sources: tuple[str, ...]
    councils: tuple[Benchmark, ...]
    bundled: bool = False  # the package's own table, not one the officer built

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(sorted({c.region for c in self.councils if c.region}))

    def council(self, name: str) -> Benchmark | None:
        """The row for the council called NAME (case, spacing and apostrophes forgiven), or None."""
        return next((c for c in self.councils if normalise(c.council) == normalise(name)), None)


@dataclass(frozen=True)
class Workbook:
    """Everything read from one source workbook."""

    source: str
    assessment: Assessment
    scores: tuple[ScoreRow, ...]
    findings: tuple[Finding, ...] = ()
    governance: tuple[Meeting, ...] = ()
    key_dates: tuple[Milestone, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    survey: tuple[SurveyResult, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    metrics: tuple[Metric, ...] = ()
    actions: tuple[Action, ...] = ()
    recommendations: tuple[str, ...] = ()
    updates: tuple[Update, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    section_text: tuple[SectionText, ...] = ()
    reviews: tuple[Review, ...] = ()
    commitments: tuple[Commitment, ...] = ()


@dataclass(frozen=True)
class Commitment:
    """What officers undertook at a committee meeting, and where it stands."""

    meeting: str
    date: date | None
    raised_by: str
    commitment: str
    owner: str = ""
    response: str = ""
    status: str = "Open"
    place: str = ""


@dataclass(frozen=True)
class Message:
    """An error or warning about the workbook, located at a cell or sheet ("Scores!D7")."""

    place: str
    text: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.place}: {self.text}" if self.place else self.text

    def line(self) -> str:
        """One line for the terminal: errors as "place: text", warnings marked "place: warning: text"."""
        if self.level == "error":
            return str(self)
        return f"{self.place}: warning: {self.text}" if self.place else f"warning: {self.text}"


def tally(messages: list[Message]) -> str:
    """"2 errors, 1 warning", "1 error" or "no problems"."""
    errors = sum(1 for m in messages if m.level == "error")
    warnings = len(messages) - errors
    parts = [count(errors, "error")] if errors else []
    if warnings:
        parts.append(count(warnings, "warning"))
    return ", ".join(parts) or "no problems"
