"""One reader per contract sheet: a sheet's table rows → the model's records, each problem at its cell.

Each `read_*` takes an openpyxl worksheet and the run's `Problems` and returns what `Workbook` holds for
that sheet (an empty tuple, or None for the Assessment, when the table cannot be read). `READERS` lists
them in the order the sheets are read, which is the order their messages appear in. A new contract
sheet is a `Sheet` in contract.py, a record in model.py, a reader here and a line in `READERS`.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from collections.abc import Callable

from ..contract import (ACTION_STATUSES, ASSESSMENT_FIELDS, BENCHMARK_BASES, BRIEFING_SECTIONS, COMMITMENT_STATUSES,
                        EVIDENCE_CATEGORIES, FINDING_SECTIONS, QUALITY_STATEMENTS, RATING_LABELS, REVIEW_KINDS,
                        SHEETS_BY_NAME, TEXT_POSITIONS, QualityStatement, Theme, normalise, theme_of)
from ..model import (Action, Assessment, Benchmark, Commitment, Finding, KeyFigure, Meeting, Metric, Milestone,
                     NextStep, Review, ScoreRow, SectionText, SurveyResult, Update, format_short_date)
from ..wording import row_ranges
from .cells import (Problems, SourceCell, parse_bases, parse_choice, parse_date, parse_date_or_period, parse_number,
                    parse_pct, parse_quality_statement, parse_score, parse_text, parse_theme, parse_theme_or_statement,
                    parse_whole_pct, parse_yes_no)
from .table import Row, cell_text, optional, read_table, required, required_cell


def _rows(ws: Any, sheet_name: str, problems: Problems) -> list[Row]:
    """The table rows of contract sheet SHEET_NAME; none if the table cannot be read (that is reported)."""
    table = read_table(ws, SHEETS_BY_NAME[sheet_name], problems)
    return table.rows if table else []


# --- Assessment: Field | Value rows -----------------------------------------------------------------

def _assessment_values(rows: list[Row], problems: Problems) -> dict[str, SourceCell]:
    """Contract field → its Value cell; a field given twice and a required field left blank are errors."""
    known = {normalise(f): f for f, _ in ASSESSMENT_FIELDS}
    values: dict[str, SourceCell] = {}
    field_places: dict[str, str] = {}
    for row in rows:
        field_name = known.get(normalise(str(row["Field"].value)))
        if field_name is None:
            continue  # extra fields are the officer's own notes
        if field_name in values:
            problems.error(row["Field"].place, f"field {field_name!r} is given twice (also "
                                               f"{field_places[field_name]})")
            continue
        values[field_name] = row["Value"]
        field_places[field_name] = row["Field"].place
    for field_name, is_required in ASSESSMENT_FIELDS:
        if is_required and (field_name not in values or values[field_name].blank):
            if field_name in values:
                problems.error(values[field_name].place, values[field_name].required(f"field {field_name!r}"))
            else:
                problems.error("Assessment", f"field {field_name!r} is required")
    return values


def read_assessment(ws: Any, problems: Problems) -> Assessment | None:
    table = read_table(ws, SHEETS_BY_NAME["Assessment"], problems)
    if table is None:
        return None
    values = _assessment_values(table.rows, problems)

    def get(name: str, parser: Callable[..., Any] = parse_text, *args: Any) -> Any:
        cell = values.get(name)
        if cell is None or cell.blank:
            return None
        return parser(cell, problems, *args)

    def place(name: str) -> str:
        return values[name].place if name in values else "Assessment"

    # The order of the get() calls is the order of their messages.
    council = get("Council") or ""
    published = get("Assessment published", parse_date)
    rating = get("Published overall rating", parse_choice, RATING_LABELS, "published overall rating")
    places = {"published_overall_pct": place("Published overall score %"),
              "published_rating": place("Published overall rating")}
    return Assessment(
        council=council,
        short_name=get("Short name") or council,
        region=get("Region") or "",
        sub_region=get("Sub-region") or "",
        published=published,
        report_title=get("Report title") or f"Care Quality Commission (CQC) assessment of {council} adult social care",
        report_date=get("Report date", parse_date) or published,
        directorate=get("Directorate") or "",
        report_author=get("Report author") or "",
        approving_director=get("Approving director") or "",
        key_decision=bool(get("Key decision", parse_yes_no, "key decision")),
        wards_affected=get("Wards affected") or "All wards",
        protective_marking=get("Protective marking") or "OFFICIAL",
        published_rating=rating,
        published_overall_pct=get("Published overall score %", parse_whole_pct, "published overall score"),
        places=places,
    )


# --- Scores and Findings: rows about quality statements ----------------------------------------------

def _check_theme(qs: QualityStatement | None, theme: Theme | None, row: Row, column: str,
                 problems: Problems) -> None:
    """QS given with a THEME it does not belong to is an error at the row's COLUMN cell."""
    if qs is not None and theme is not None and theme.number != qs.theme:
        problems.error(row[column].place, f"{qs.name!r} belongs to theme {qs.theme} ({theme_of(qs).name}), "
                                          f"not {theme.name!r}")


def _score_row(row: Row, qs: QualityStatement, place: str, problems: Problems) -> ScoreRow:
    categories = {}
    for name in EVIDENCE_CATEGORIES:
        cell = row.get(name)
        if cell is not None and not cell.blank:
            score = parse_score(cell, problems)
            if score is not None:
                categories[name] = score
    places = {k: row[c].place for k, c in (("score", "Score"), ("published_pct", "Published %")) if c in row}
    return ScoreRow(
        quality_statement=qs, theme=theme_of(qs), categories=categories,
        score=optional(row, "Score", parse_score, problems),
        draft_score=optional(row, "Draft score", parse_score, problems),
        published_pct=optional(row, "Published %", parse_whole_pct, problems, "published %"),
        place=place, places=places)


def read_scores(ws: Any, problems: Problems) -> tuple[ScoreRow, ...]:
    table = read_table(ws, SHEETS_BY_NAME["Scores"], problems)
    if table is None:
        return ()
    if not table.rows:  # headers only: nine "not listed" warnings would bury the point
        problems.error("Scores", "no quality statement is listed: add a row for each of CQC's nine and score "
                                 "at least one")
        return ()
    seen: dict[str, str] = {}
    rows: dict[str, ScoreRow] = {}
    for row in table.rows:
        qs_cell = required_cell(row, "Quality statement", problems)
        qs = parse_quality_statement(qs_cell, problems) if qs_cell else None
        theme = optional(row, "Theme", parse_theme, problems)
        if qs is None:
            continue
        if qs.key in seen:
            problems.error(qs_cell.place, f"quality statement {qs.name!r} is listed twice (also {seen[qs.key]})")
            continue
        seen[qs.key] = qs_cell.place
        _check_theme(qs, theme, row, "Theme", problems)
        rows[qs.key] = _score_row(row, qs, qs_cell.place, problems)
    for qs in QUALITY_STATEMENTS:
        if qs.key not in rows:
            problems.warn("Scores", f"quality statement {qs.name!r} is not listed; treated as not assessed")
    result = tuple(rows.get(qs.key) or ScoreRow(qs, theme_of(qs), {}) for qs in QUALITY_STATEMENTS)
    if table.rows and not problems.has_errors and all(not r.categories and r.score is None for r in result):
        problems.error("Scores", "no quality statement has a score: at least one must be assessed")
    return result


_SECTION_ALIASES = {"People's experiences": "People's experience", "Summary of people's experiences":
                    "People's experience", "Key strengths": "Key strength", "Strength": "Key strength",
                    "Strengths": "Key strength", "Areas for development": "Area for development",
                    "Summary of strengths and areas for development": "Summary"}


def read_findings(ws: Any, problems: Problems) -> tuple[Finding, ...]:
    findings = []
    unplaced: list[int] = []  # rows with no Section yet (an imported report's key findings): not in the briefing
    for row in _rows(ws, "Findings", problems):
        theme = required(row, "Theme", parse_theme, problems)
        section = optional(row, "Section", parse_choice, problems, FINDING_SECTIONS, "section", _SECTION_ALIASES)
        if section is None and row["Section"].blank:
            unplaced.append(row["_row"].value)
        review = cell_text(row, "Review", problems)
        qs = optional(row, "Quality statement", parse_quality_statement, problems)
        _check_theme(qs, theme, row, "Quality statement", problems)
        findings.append(Finding(
            review=review, theme=theme, quality_statement=qs, section=section or "",
            text=cell_text(row, "Finding", problems), service_area=cell_text(row, "Service area", problems, False),
            place=row["_row"].place, thread=cell_text(row, "Thread", problems, False), places=_places(row),
            quoted_from=cell_text(row, "Quoted from", problems, False)))
    if unplaced:
        many = len(unplaced) != 1
        problems.warn("Findings", f"{len(unplaced)} finding{'s' * many} with no Section (row{'s' * many} "
                                  f"{row_ranges(unplaced)}) {'are' if many else 'is'} left out of the briefing; the "
                                  f"annex lists {'them' if many else 'it'}")
    return tuple(findings)


# --- the list sheets: one record a row -----------------------------------------------------------------

def _date_pair(row: Row, column: str, first_name: str, wrong: str, report: Callable[[str, str], None],
               problems: Problems) -> tuple[date | None, date | None]:
    """The row's required Date and its optional date in COLUMN. COLUMN's date falling WRONG ("before" or
    "after") the Date is reported by REPORT (a warning or an error) at its cell, naming both dates."""
    first = required(row, "Date", parse_date, problems)
    second = optional(row, column, parse_date, problems)
    if first and second and (second > first if wrong == "after" else second < first):
        report(row[column].place, f"{column.lower()} {format_short_date(second)} is {wrong} the {first_name} "
                                  f"{format_short_date(first)} ({row['Date'].place})")
    return first, second


def read_governance(ws: Any, problems: Problems) -> tuple[Meeting, ...]:
    meetings = []
    for row in _rows(ws, "Governance", problems):
        when, deadline = _date_pair(row, "Paper deadline", "meeting date", "after", problems.warn, problems)
        meetings.append(Meeting(cell_text(row, "Meeting", problems), when, deadline,
                                cell_text(row, "Purpose", problems, False), row["_row"].place))
    return tuple(meetings)


def read_key_dates(ws: Any, problems: Problems) -> tuple[Milestone, ...]:
    milestones = []
    for row in _rows(ws, "Key dates", problems):
        start, end = _date_pair(row, "End date", "start date", "before", problems.error, problems)
        milestones.append(Milestone(cell_text(row, "Milestone", problems), start, end))
    return tuple(milestones)


def read_next_steps(ws: Any, problems: Problems) -> tuple[NextStep, ...]:
    return tuple(NextStep(cell_text(row, "Step", problems), optional(row, "Date", parse_date, problems))
                 for row in _rows(ws, "Next steps", problems))


def read_survey(ws: Any, problems: Problems) -> tuple[SurveyResult, ...]:
    return tuple(SurveyResult(cell_text(row, "Question", problems),
                              required(row, "% positive", parse_pct, problems, "% positive"),
                              cell_text(row, "Group", problems, False))
                 for row in _rows(ws, "Survey", problems))


def read_benchmarks(ws: Any, problems: Problems) -> tuple[Benchmark, ...]:
    benchmarks = []
    for row in _rows(ws, "Benchmarks", problems):
        qs_scores = {}
        for qs in QUALITY_STATEMENTS:
            score = optional(row, qs.name, parse_score, problems)
            if score is not None:
                qs_scores[qs.key] = score
        benchmarks.append(Benchmark(
            council=cell_text(row, "Council", problems), region=cell_text(row, "Region", problems),
            sub_region=cell_text(row, "Sub-region", problems, False),
            overall_pct=optional(row, "Overall score %", parse_whole_pct, problems, "overall score %"),
            rating=optional(row, "Rating", parse_choice, problems, RATING_LABELS, "rating"),
            published=optional(row, "Published", parse_date, problems),
            source=cell_text(row, "Source", problems, False), qs_scores=qs_scores, place=row["_row"].place,
            basis=optional(row, "Basis", parse_bases, problems, BENCHMARK_BASES) or ()))
    return tuple(benchmarks)


def read_metrics(ws: Any, problems: Problems) -> tuple[Metric, ...]:
    metrics = []
    for row in _rows(ws, "Metrics", problems):
        metrics.append(Metric(
            indicator=cell_text(row, "Indicator", problems), source=cell_text(row, "Source", problems),
            council_value=required(row, "Council value", parse_number, problems, "council value"),
            england_average=required(row, "England average", parse_number, problems, "England average"),
            unit=cell_text(row, "Unit", problems, False) or "%",
            higher_is_better=optional(row, "Higher is better", parse_yes_no, problems, "higher is better"),
            cqc_comparison=cell_text(row, "CQC comparison", problems, False),
            quality_statement=optional(row, "Quality statement", parse_quality_statement, problems),
            place=row["_row"].place))
    return tuple(metrics)


def read_actions(ws: Any, problems: Problems) -> tuple[Action, ...]:
    actions = []
    refs: dict[str, str] = {}
    for row in _rows(ws, "Actions", problems):
        ref = cell_text(row, "Ref", problems)
        if ref and ref in refs:
            problems.error(row["Ref"].place, f"action ref {ref!r} is used twice (also {refs[ref]})")
        refs.setdefault(ref, row["Ref"].place)
        actions.append(Action(
            ref=ref, theme=required(row, "Theme", parse_theme, problems),
            area_for_development=cell_text(row, "Area for development", problems),
            action=cell_text(row, "Action", problems), owner=cell_text(row, "Owner", problems, False),
            due=optional(row, "Due", parse_date, problems),
            status=required(row, "Status", parse_choice, problems, ACTION_STATUSES, "status"),
            update=cell_text(row, "Update", problems, False), place=row["_row"].place,
            recommendation=cell_text(row, "Recommendation", problems, False),
            quality_statement=optional(row, "Quality statement", parse_quality_statement, problems),
            thread=cell_text(row, "Thread", problems, False), start=optional(row, "Start", parse_date, problems),
            evidence=cell_text(row, "Evidence", problems, False),
            revised_due=optional(row, "Revised due", parse_date, problems),
            corrective_action=cell_text(row, "Corrective action", problems, False),
            decision_required=cell_text(row, "Decision required", problems, False), places=_places(row)))
    return tuple(actions)


def _places(row: Row) -> dict[str, str]:
    return {name: cell.place for name, cell in row.items() if name != "_row"}


def read_updates(ws: Any, problems: Problems) -> tuple[Update, ...]:
    return tuple(Update(
        date=required(row, "Date", parse_date, problems), ref=cell_text(row, "Ref", problems),
        status=required(row, "Status", parse_choice, problems, ACTION_STATUSES, "status"),
        commentary=cell_text(row, "Commentary", problems, False), evidence=cell_text(row, "Evidence", problems, False),
        updated_by=cell_text(row, "Updated by", problems, False), place=row["_row"].place, places=_places(row))
        for row in _rows(ws, "Updates", problems))


def check_updates(actions: tuple[Action, ...], updates: tuple[Update, ...], problems: Problems) -> None:
    """What needs both sheets: each update names a known action, one status per action per date, and, once
    the plan is monitored (there are updates), an action marked Complete has evidence somewhere (a warning:
    the board will ask for it)."""
    if not updates:
        return
    if not actions:
        problems.error("Updates", "the updates name actions, but the workbook has no Actions sheet (or it is empty)")
        return
    known = {a.ref for a in actions}
    seen: dict[tuple[str, date], Update] = {}
    by_ref: dict[str, list[Update]] = {}
    for u in updates:
        by_ref.setdefault(u.ref, []).append(u)
        if u.ref and u.ref not in known:
            problems.error(u.places["Ref"], f"action ref {u.ref!r} is not in the Actions sheet")
        if u.ref and u.date and u.status:
            other = seen.setdefault((u.ref, u.date), u)
            if other.status != u.status:
                problems.error(u.places["Status"], f"{u.ref} has two updates dated {format_short_date(u.date)} with "
                                                   f"different statuses: {u.status!r} here and {other.status!r} at "
                                                   f"{other.places['Status']}")
    for a in actions:
        own = by_ref.get(a.ref, [])
        complete = [u.places["Status"] for u in own if u.status == "Complete"]
        if a.status == "Complete":
            complete.insert(0, a.places["Status"])
        if complete and not a.evidence and not any(u.evidence for u in own):
            problems.warn(complete[0], f"{a.ref} is marked Complete without evidence: say what shows it is done "
                                       "in an Evidence column (Updates or Actions)")


def read_recommendations(ws: Any, problems: Problems) -> tuple[str, ...]:
    return tuple(cell_text(row, "Recommendation", problems) for row in _rows(ws, "Recommendations", problems))


def read_key_figures(ws: Any, problems: Problems) -> tuple[KeyFigure, ...]:
    figures = []
    for row in _rows(ws, "Key figures", problems):
        cell = row["Value"]
        typed = cell.value.strip() if isinstance(cell.value, str) else ""
        money = typed.startswith("\u00a3") or "\u00a3" in cell.number_format  # "£135,739,000" or a £ format
        if typed.startswith("\u00a3"):
            row = {**row, "Value": SourceCell(typed[1:], cell.place, cell.number_format)}
        value = required(row, "Value", parse_number, problems, "value")
        unit = "\u00a3" if money else "%" if typed.endswith("%") or "%" in cell.number_format else ""
        about = optional(row, "Theme or quality statement", parse_theme_or_statement, problems)
        qs = about if isinstance(about, QualityStatement) else None
        figures.append(KeyFigure(
            measure=cell_text(row, "Measure", problems), value=value,
            unit=cell_text(row, "Unit", problems, False) or unit,
            as_at=optional(row, "As at", parse_date_or_period, problems),
            source=cell_text(row, "Source", problems, False),
            theme=theme_of(qs) if qs else about, quality_statement=qs, place=row["_row"].place,
            review=cell_text(row, "Review", problems, False), thread=cell_text(row, "Thread", problems, False),
            places=_places(row)))
    return tuple(figures)


def read_reviews(ws: Any, problems: Problems) -> tuple[Review, ...]:
    reviews = []
    seen: dict[str, str] = {}
    for row in _rows(ws, "Reviews", problems):
        name = cell_text(row, "Review", problems)
        if name and normalise(name) in seen:
            problems.error(row["Review"].place, f"review {name!r} is listed twice (also {seen[normalise(name)]})")
        seen.setdefault(normalise(name), row["Review"].place)
        start, end = optional(row, "On site from", parse_date, problems), optional(row, "On site to", parse_date, problems)
        if start and end and end < start:
            problems.error(row["On site to"].place, f"on site to {format_short_date(end)} is before on site from "
                                                    f"{format_short_date(start)} ({row['On site from'].place})")
        reviews.append(Review(name, required(row, "Kind", parse_choice, problems, REVIEW_KINDS, "kind"),
                              required(row, "Date", parse_date, problems), start, end,
                              cell_text(row, "Lead", problems, False), row["_row"].place))
    return tuple(reviews)


def check_journey(reviews: tuple[Review, ...], findings: tuple[Finding, ...], figures: tuple[KeyFigure, ...],
                  actions: tuple[Action, ...], problems: Problems) -> None:
    """What the improvement journey needs across sheets: once there is a Reviews sheet, every review a finding or
    key figure names is in it; and each thread is spelt one way (two spellings that differ only in case, spacing
    or apostrophes are one thread typed twice), each reported at its cell."""
    known = {r.name for r in reviews if r.name}
    if known:
        listed = "; ".join(sorted(known))
        for rows in (findings, figures):
            for x in rows:
                if x.review and x.review not in known:
                    near = [k for k in known if normalise(k) == normalise(x.review)]
                    hint = f"; did you mean {near[0]!r}?" if near else f" (it lists: {listed})"
                    problems.error(x.places.get("Review", x.place), f"review {x.review!r} is not in the Reviews sheet"
                                                                    + hint)
    spellings: dict[str, tuple[str, str]] = {}
    for x in (*findings, *figures, *actions):
        if not x.thread:
            continue
        place = x.places.get("Thread", x.place)
        first = spellings.setdefault(normalise(x.thread), (x.thread, place))
        if first[0] != x.thread:
            problems.error(place, f"thread {x.thread!r} is spelt differently at {first[1]} ({first[0]!r}): one thread "
                                  "must be spelt one way")


def read_commitments(ws: Any, problems: Problems) -> tuple[Commitment, ...]:
    return tuple(Commitment(
        meeting=cell_text(row, "Meeting", problems), date=optional(row, "Date", parse_date, problems),
        raised_by=cell_text(row, "Raised by", problems, False), commitment=cell_text(row, "Commitment", problems),
        owner=cell_text(row, "Owner", problems, False), response=cell_text(row, "Response", problems, False),
        status=optional(row, "Status", parse_choice, problems, COMMITMENT_STATUSES, "status",
                        {"Done": "Answered", "Closed": "Answered", "Complete": "Answered", "Not started": "Open"})
        or COMMITMENT_STATUSES[0],
        place=row["_row"].place)
        for row in _rows(ws, "Commitments", problems))


# Names people use for the briefing's sections, beyond the headings themselves.
_BRIEFING_SECTION_ALIASES = {
    "Governance": "Governance relating to the CQC outcome", "Key dates": "Key assessment dates",
    "People's experiences": "Summary of people's experiences", "Survey": "Staff survey highlights",
    "Strengths": "Key strengths", "Peer reviews": "Findings from peer reviews",
    "Performance": "Performance against the England average", "Metrics": "Performance against the England average",
    "Improvement plan": "Improvement plan actions", "Actions": "Improvement plan actions"}


def read_section_text(ws: Any, problems: Problems) -> tuple[SectionText, ...]:
    return tuple(SectionText(
        section=required(row, "Section", parse_choice, problems, BRIEFING_SECTIONS, "section",
                         _BRIEFING_SECTION_ALIASES),
        position=required(row, "Position", parse_choice, problems, TEXT_POSITIONS, "position",
                          {"Start": "Before", "End": "After"}),
        text=cell_text(row, "Paragraph", problems), place=row["_row"].place)
        for row in _rows(ws, "Section text", problems))


# Contract sheet name → its reader, in reading order.
READERS: dict[str, Callable[[Any, Problems], Any]] = {
    "Assessment": read_assessment, "Scores": read_scores, "Findings": read_findings,
    "Governance": read_governance, "Key dates": read_key_dates, "Next steps": read_next_steps,
    "Survey": read_survey, "Benchmarks": read_benchmarks, "Metrics": read_metrics, "Actions": read_actions,
    "Updates": read_updates, "Recommendations": read_recommendations,
    "Key figures": read_key_figures, "Section text": read_section_text, "Reviews": read_reviews,
    "Commitments": read_commitments,
}
