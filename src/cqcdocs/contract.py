"""The source workbook contract: CQC's themes, quality statements, evidence categories and the sheets.

Everything here is data, in CQC's own words; the loader, `init` and the docs all read it, so the
contract is written down once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    number: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualityStatement:
    key: str
    theme: int
    name: str
    short: str
    aliases: tuple[str, ...] = ()


THEMES: tuple[Theme, ...] = (
    Theme(1, "Working with people", ("theme one", "theme 1", "how the local authority works with people")),
    Theme(2, "Providing support", ("theme two", "theme 2", "proving support")),
    Theme(3, "Ensuring safety", ("theme three", "theme 3", "how the local authority ensures safety",
                                 "how the local authority ensures safety within the system",
                                 "ensuring safety within the system")),
    Theme(4, "Leadership", ("theme four", "theme 4")),
)

QUALITY_STATEMENTS: tuple[QualityStatement, ...] = (
    QualityStatement("assessing_needs", 1, "Assessing needs", "Assessing needs"),
    QualityStatement("healthier_lives", 1, "Supporting people to lead healthier lives", "Healthier lives",
                     ("supporting people to live healthier lives",)),
    QualityStatement("equity", 1, "Equity in experience and outcomes", "Equity"),
    QualityStatement("care_provision", 2, "Care provision, integration and continuity", "Care provision"),
    QualityStatement("partnerships", 2, "Partnerships and communities", "Partnerships"),
    QualityStatement("safe_pathways", 3, "Safe pathways, systems and transitions", "Safe pathways",
                     ("safe systems, pathways and transitions",)),
    QualityStatement("safeguarding", 3, "Safeguarding", "Safeguarding"),
    QualityStatement("governance", 4, "Governance, management and sustainability", "Governance"),
    QualityStatement("learning", 4, "Learning, improvement and innovation", "Learning"),
)

# CQC's evidence categories for local authority assessment; "Outcomes" is optional.
EVIDENCE_CATEGORIES: tuple[str, ...] = (
    "People's experience",
    "Feedback from staff and leaders",
    "Processes",
    "Feedback from partners",
    "Outcomes",
)

# CQC's four ratings, lowest first: the score 1-4 is the position + 1. Their bands live with the scoring.
RATING_LABELS: tuple[str, ...] = ("Inadequate", "Requires improvement", "Good", "Outstanding")

FINDING_SECTIONS: tuple[str, ...] = ("People's experience", "Summary", "Key strength", "Area for development")
ACTION_STATUSES: tuple[str, ...] = ("Not started", "On track", "At risk", "Off track", "Complete")
# Where a commitment officers made to a committee stands; blank is Open.
COMMITMENT_STATUSES: tuple[str, ...] = ("Open", "In progress", "Answered")
# Not typed but reported: a "Not started" action whose Start date is still to come (see progress.History).
NOT_YET_DUE = "Not yet due to start"

# What a Benchmarks row's figures rest on, beyond a result CQC published (the default).
BENCHMARK_BASES: tuple[str, ...] = ("Published", "Computed", "Pilot", "Secondary")
# The briefing's sections that can carry officer-written paragraphs (Section text), in the briefing's order.
BRIEFING_SECTIONS: tuple[str, ...] = (
    "Executive summary", "Governance relating to the CQC outcome", "Background", "Key assessment dates",
    "Overall scores", "Summary of people's experiences", "Summary of strengths and areas for development",
    "Staff survey highlights", "Key strengths", "Areas for development", "Key figures",
    "Findings from peer reviews", "Performance against the England average", "Improvement plan actions",
    "Next steps")
TEXT_POSITIONS: tuple[str, ...] = ("Before", "After")
# What kind of review a Reviews row is (cqcdocs journey); the drop-down's choices.
REVIEW_KINDS: tuple[str, ...] = ("LGA peer challenge", "ADASS peer review", "CQC assessment", "Other")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = True
    purpose: str = ""


def _c(name: str, required: bool = True, note: str = "") -> Column:
    return Column(name, required, note)


# Fields of the Assessment sheet (Field | Value rows): (field, required).
ASSESSMENT_FIELDS: tuple[tuple[str, bool], ...] = (
    ("Council", True),
    ("Short name", False),
    ("Region", True),
    ("Sub-region", False),
    ("Assessment published", True),
    ("Report title", False),
    ("Report date", False),
    ("Directorate", False),
    ("Report author", False),
    ("Approving director", False),
    ("Key decision", False),
    ("Wards affected", False),
    ("Protective marking", False),
    ("Published overall rating", False),
    ("Published overall score %", False),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet("Assessment", (_c("Field"), _c("Value")), purpose="One row per field: council, dates, report details."),
    Sheet("Scores", (
        _c("Theme"), _c("Quality statement"),
        *(_c(category, category != "Outcomes") for category in EVIDENCE_CATEGORIES),
        _c("Score", False, "the quality statement score, used when no category scores are given"),
        _c("Draft score", False, "before the factual-accuracy challenge"),
        _c("Published %", False),
    ), purpose="One row per quality statement, each evidence category scored 1-4."),
    Sheet("Findings", (
        _c("Review"), _c("Theme"), _c("Quality statement", False), _c("Section"), _c("Finding"),
        _c("Service area", False),
        _c("Thread", False, "one issue followed across reviews, e.g. Carers' assessments"),
        _c("Quoted from", False, "the document quoted when it is not the council's own summary of the review, e.g. "
                                 "CQC's published report: the finding joins the journey, not the briefing's lists"),
    ), purpose="Findings from the CQC assessment and peer reviews; **bold** marks emphasis."),
    Sheet("Governance", (_c("Meeting"), _c("Date"), _c("Paper deadline", False), _c("Purpose", False)),
          purpose="The governance route: each meeting the report goes to."),
    Sheet("Key dates", (_c("Milestone"), _c("Date"), _c("End date", False)), purpose="Key assessment dates."),
    Sheet("Next steps", (_c("Step"), _c("Date", False)), purpose="What happens next."),
    Sheet("Survey", (_c("Question"), _c("% positive"), _c("Group", False)), required=False,
          purpose="Staff survey results."),
    Sheet("Benchmarks", (
        _c("Council"), _c("Region"), _c("Sub-region", False), _c("Overall score %", False), _c("Rating", False),
        _c("Published", False), _c("Source", False),
        *(_c(qs.name, False) for qs in QUALITY_STATEMENTS),
        _c("Basis", False, "Computed, Pilot or Secondary (several separated by ;) where not simply published"),
    ), required=False, purpose="Other councils' published results, for ranking."),
    Sheet("Metrics", (
        _c("Indicator"), _c("Source"), _c("Council value"), _c("England average"), _c("Unit", False),
        _c("Higher is better", False), _c("CQC comparison", False), _c("Quality statement", False),
    ), required=False, purpose="Performance metrics against the England average."),
    Sheet("Actions", (
        _c("Ref"), _c("Theme"), _c("Area for development"), _c("Action"), _c("Owner"), _c("Due"), _c("Status"),
        _c("Update", False), _c("Recommendation", False, "the recommendation or source review finding it answers"),
        _c("Quality statement", False), _c("Thread", False, "a cross-cutting thread, e.g. Co-production"),
        _c("Start", False), _c("Evidence", False, "what shows the action is done"),
        _c("Revised due", False, "a new due date the board agreed; Due stays the date first agreed"),
        _c("Corrective action", False, "what is being done to bring an action at risk or off track back"),
        _c("Decision required", False, "what the board is asked to decide or escalate"),
    ), required=False, purpose="The improvement plan."),
    Sheet("Updates", (
        _c("Date"), _c("Ref"), _c("Status"), _c("Commentary", False), _c("Evidence", False), _c("Updated by", False),
    ), required=False, purpose="The improvement plan's log: one row per action per update."),
    Sheet("Recommendations", (_c("Recommendation"),), required=False,
          purpose="Committee recommendations, worded to follow 'That <committee> ...'."),
    Sheet("Key figures", (
        _c("Measure"), _c("Value"), _c("Unit", False), _c("As at", False, "a date, or a period such as 2024/25"),
        _c("Source", False), _c("Theme or quality statement", False),
        _c("Review", False, "the review that gave the figure, as named in Reviews"), _c("Thread", False),
    ), required=False, purpose="Figures from the CQC report members scrutinise: waits, caseloads, spend."),
    Sheet("Reviews", (
        _c("Review"), _c("Kind"), _c("Date", note="when its findings were reported; a month is enough"),
        _c("On site from", False), _c("On site to", False), _c("Lead", False),
    ), required=False, purpose="The reviews the findings come from, dated, for the improvement journey."),
    Sheet("Section text", (_c("Section"), _c("Position"), _c("Paragraph")), required=False,
          purpose="Officer-written paragraphs before or after a briefing section's own content."),
    Sheet("Commitments", (
        _c("Meeting", note="the committee the commitment was made to, as named in Governance"),
        _c("Date", False, "the meeting's date; a month is enough"), _c("Raised by", False), _c("Commitment"),
        _c("Owner", False), _c("Response", False, "what has been done or answered, in words for members"),
        _c("Status", False, "Open, In progress or Answered; blank is Open"),
    ), required=False, purpose="What officers promised a committee: reported in the next paper to it."),
)

SHEETS_BY_NAME = {s.name: s for s in SHEETS}


def normalise(text: str) -> str:
    """Fold case, spacing, apostrophe and dash style so headers and names match as people type them."""
    text = str(text).replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("'", "")
    return re.sub(r"\s+", " ", text).strip().lower()


_QS_LOOKUP = {normalise(n): qs for qs in QUALITY_STATEMENTS for n in (qs.name, qs.short, qs.key, *qs.aliases)}
_THEME_LOOKUP = {normalise(n): t for t in THEMES for n in (t.name, str(t.number), *t.aliases)}


def is_cqc_review(review: str) -> bool:
    """The CQC assessment's findings and figures are those whose review name starts with "CQC"."""
    return review.strip().lower().startswith(("cqc", "care quality commission"))


def find_quality_statement(text: str) -> QualityStatement | None:
    return _QS_LOOKUP.get(normalise(text))


def find_theme(text: str) -> Theme | None:
    """Match "Working with people", "Theme 1", "Theme One – Working with People", "1"."""
    key = normalise(text)
    if key in _THEME_LOOKUP:
        return _THEME_LOOKUP[key]
    for part in re.split(r"\s*[-:]\s*", key):
        if part in _THEME_LOOKUP:
            return _THEME_LOOKUP[part]
    return None


def theme_of(qs: QualityStatement) -> Theme:
    return THEMES[qs.theme - 1]
