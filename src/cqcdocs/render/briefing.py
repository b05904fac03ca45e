"""The Word briefing: the governance summary pack, section by section, as an accessible .docx.

Every figure comes from `scoring.Result`; this module only arranges and words it, one function per
section. `SECTIONS`, at the end, lists them in the pack's order and reads as the briefing's table of
contents: a new section is a function here and a line there. Word mechanics are in `render.word`;
sentences other documents share are in `render.sentences`. The document is deterministic (fixed
timestamps and zip entry dates), so the same workbook always gives the same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from collections.abc import Sequence

from ..contract import FINDING_SECTIONS, NOT_YET_DUE, QUALITY_STATEMENTS, THEMES, is_cqc_review, normalise
from ..model import Commitment, Finding, Meeting, Message, Workbook, format_date, format_short_date
from ..palette import COMPARISON_FILL, INK
from ..progress import REPORT_ORDER, counts_by_theme, plan_agreed
from ..scoring import RATINGS, Result
from ..wording import clean, count, format_pct, format_value, join_words, number_word
from .page import TEXT_WIDTH_CM
from .section_text import framed
from .sentences import (benchmark_notes, benchmark_sentence, committee_subject, comparison_words,
                        draft_change_sentences, metric_places, overall_method_sentence, pct_unknown_sentence,
                        summary_points, theme_heading)
from .word.package import deterministic_zip, set_properties
from .word.tables import TableCell, rating_cell, score_cell
from .word.template import open_template, prepare
from .word.writer import Writer

DEFAULT_MARKING = "OFFICIAL"  # the baseline UK public-sector classification when the workbook gives none

# Section headings in the governance pack's order (those after the pack's own are cqcdocs additions).
EXECUTIVE_SUMMARY = "Executive summary"
GOVERNANCE = "Governance relating to the CQC outcome"
BACKGROUND = "Background"
KEY_DATES = "Key assessment dates"
OVERALL_SCORES = "Overall scores"
DRAFT_CHANGES = "Changes from the draft report"
GRID = "Scores by quality statement"
OVERALL = "Overall score and rating"
COMPARISON = "Comparison with other councils"
PEOPLE = "Summary of people's experiences"
SUMMARY = "Summary of strengths and areas for development"
SURVEY = "Staff survey highlights"
STRENGTHS = "Key strengths"
AREAS = "Areas for development"
KEY_FIGURES = "Key figures"
PEER_REVIEWS = "Findings from peer reviews"
PERFORMANCE = "Performance against the England average"
ACTIONS = "Improvement plan actions"
NEXT_STEPS = "Next steps"
AUTHOR_NOTES = "Appendix: notes for the author"

_SHORT_CATEGORY = {"People's experience": "People's experience", "Feedback from staff and leaders":
                   "Staff and leaders", "Processes": "Processes", "Feedback from partners": "Partners",
                   "Outcomes": "Outcomes"}


@dataclass(frozen=True)
class Briefing:
    """What one briefing is about: the scored result and the choices made for this version."""

    result: Result
    charts: dict = field(default_factory=dict)  # chart key → chart_defs.ChartDef (native) or charts.Chart
    committee: Meeting | None = None
    final: bool = False
    warnings: Sequence[Message] = ()
    annex_name: str | None = None

    @property
    def workbook(self) -> Workbook:
        return self.result.workbook

    @property
    def a(self):
        return self.result.workbook.assessment

    @property
    def name(self) -> str:
        return self.a.short_name

    @property
    def marking(self) -> str:
        return clean(self.a.protective_marking).strip() or DEFAULT_MARKING

    @property
    def as_at(self):
        """The date the paper speaks from: its meeting's in a committee version, else the report's."""
        if self.committee is not None:
            return self.committee.date
        return self.a.report_date or self.a.published

    @property
    def title(self) -> str:
        return clean(self.a.report_title).strip() or \
            f"Care Quality Commission (CQC) assessment of {self.name} adult social care"


# The officers' attribution of a finding to a service area, never part of the quoted words: its own column.
AREA_HEADER = "Service area (council\u2019s attribution)"
AREA_NOTE = ("The findings are in the reviewers\u2019 own words; the service area beside each is the council\u2019s "
             "attribution, not the reviewers\u2019.")


def figure(w: Writer, b: Briefing, key: str) -> None:
    """The chart KEY, if the workbook has the data for it, with its alt text and a numbered caption: a native
    Word chart from its definition, or a picture."""
    chart = b.charts.get(key)
    if chart is None:
        return
    if hasattr(chart, "png"):
        w.picture(chart.png, chart.width_cm, chart.title, chart.alt_text)
    else:
        w.native_chart(chart)


# --- sections, in the pack's order -----------------------------------------------------------------

def title_block(w: Writer, b: Briefing) -> None:
    w.doc.add_paragraph(b.title, style="Title")
    w.label("Council", b.a.council)
    # The report's own date, in a committee version too (its meeting's date is in the report details).
    w.label("Date", format_date(b.a.report_date or b.a.published))
    if b.a.directorate:
        w.label("Directorate", b.a.directorate)
    w.label("Protective marking", b.marking)
    w.label("Status", "Final" if b.final else "Draft (not for publication)")


def report_details(w: Writer, committee: Meeting, title: str, a) -> None:
    """A committee paper's report details: the meeting, the title, who wrote and approved it, the decision."""
    w.heading("Report details", 1)
    w.label("Committee", committee.name)
    w.label("Date of meeting", format_date(committee.date))
    w.label("Report title", title)
    if a.report_author:
        w.label("Report author", a.report_author)
    if a.approving_director:
        w.label("Approving director", a.approving_director)
    w.label("Key decision", "Yes" if a.key_decision else "No")
    w.label("Wards affected", a.wards_affected or "All wards")


def committee_front_matter(w: Writer, b: Briefing) -> None:
    committee = b.committee
    if committee is None:
        return
    report_details(w, committee, b.title, b.a)
    w.heading("Recommendations", 1)
    recommendations = [r for r in b.workbook.recommendations if r.strip()] or [
        "notes the outcome of the CQC assessment of adult social care, the strengths it found and the "
        "areas for development the improvement plan will address."]
    subject = committee_subject(committee.name)
    w.numbered(r if r.strip().lower().startswith("that ") else f"That {subject} {r.strip()}" for r in recommendations)
    w.heading("List of appendices", 1)
    if b.annex_name:
        w.para(f"Appendix 1 \u2013 {b.annex_name}: the Excel annex with the scores, findings, "
               "benchmarks and performance figures behind this report.")
    else:
        w.para("None.")


def contents(w: Writer, b: Briefing) -> None:
    w.contents()


def executive_summary(w: Writer, b: Briefing) -> None:
    r = b.result
    w.heading(EXECUTIVE_SUMMARY, 1)
    if r.overall is None:
        w.para("No quality statement has been scored yet, so there is no overall rating.")
        return
    w.para(f"The CQC rated {b.a.council}'s adult social care **{r.overall.rating.label}**, "
           f"with an overall score of **{r.overall.pct}%**. The assessment was published on "
           f"{format_date(b.a.published)}.")
    points = summary_points(r)
    if waits := longest_waits(b.workbook):
        points.append(waits)
    w.bullets(points)


_LONGEST = re.compile(r"^(?:longest|maximum)\s+(?:reported\s+)?(?:wait|time|delay)\s+", re.I)


def longest_waits(workbook: Workbook) -> str:
    """"The longest waits in the assessment: for a DoLS assessment (…), 2,233 working days; …": every key figure of
    the assessment whose measure begins "Longest wait" (or "Longest time", "Maximum wait"), in the sheet's order."""
    waits = [f"{_LONGEST.sub('', f.measure)}, {format_value(f.value, f.unit)}"
             for f in workbook.key_figures if (not f.review or is_cqc_review(f.review)) and _LONGEST.match(f.measure)]
    return "The longest waits in the assessment: " + "; ".join(waits) + "." if waits else ""


def committee_requests(workbook: Workbook, committee: Meeting | None) -> list[Commitment]:
    """What officers undertook at COMMITTEE's earlier meetings (same name; dated before this one, or undated)."""
    if committee is None:
        return []
    return [c for c in workbook.commitments if normalise(c.meeting) == normalise(committee.name)
            and (c.date is None or c.date < committee.date)]


def requests_heading(committee: Meeting) -> str:
    """"Responses to the Commission's requests", "Responses to Cabinet's requests"."""
    return f"Responses to {committee_subject(committee.name.split()[-1])}\u2019s requests"


def responses(w: Writer, committee: Meeting | None, workbook: Workbook) -> None:
    """A returning paper's report on what officers promised the committee: each request, its owner, the response
    and where it stands."""
    requests = committee_requests(workbook, committee)
    if not requests:
        return
    w.heading(requests_heading(committee), 1)
    open_ = sum(1 for c in requests if c.status != "Answered")
    answered = len(requests) - open_
    w.para(f"At {committee_subject(committee.name)}\u2019s earlier "
           f"meeting{'s' if len({(c.date, c.meeting) for c in requests}) > 1 else ''}, members made "
           f"{count(len(requests), 'request')} of officers; "
           + (f"{answered} {'has' if answered == 1 else 'have'} been answered and {open_} "
              f"{'remains' if open_ == 1 else 'remain'} open." if open_ else "all have been answered."))
    rows = [[TableCell(c.commitment),
             TableCell(c.raised_by + (f", {format_date(c.date)}" if c.date else "") if c.raised_by else
                       format_date(c.date) or "\u2013"),
             TableCell(c.owner or "\u2013"), TableCell(c.response or "No response yet."), TableCell(c.status)]
            for c in requests]
    w.table(requests_heading(committee), "Each request members made, who raised it, its owner, the response "
            "and its status", ["Request", "Raised by", "Owner", "Response", "Status"], rows,
            [4.4, 2.4, 3.2, 5.0, 2.0], first_column=True)


def requests(w: Writer, b: Briefing) -> None:
    responses(w, b.committee, b.workbook)


def governance(w: Writer, b: Briefing) -> None:
    meetings = b.workbook.governance
    if not meetings:
        return  # nothing to say that a committee needs: the section is left out
    w.heading(GOVERNANCE, 1)
    w.para("The report goes to these meetings:")
    deadlines = any(m.paper_deadline for m in meetings)
    purposes = any(m.purpose for m in meetings) or b.committee is not None
    header = ["Meeting", "Date", *(["Paper deadline"] if deadlines else []), *(["Purpose"] if purposes else []),
              "Status"]
    rows = []
    for m in meetings:
        row = [TableCell(m.name), TableCell(format_short_date(m.date))]
        if deadlines:
            row.append(TableCell(format_short_date(m.paper_deadline) or "\u2013"))
        if purposes:
            this = b.committee is not None and m == b.committee
            row.append(TableCell(m.purpose or ("This report" if this else "")))
        row.append(TableCell(meeting_status(m, b)))
        rows.append(row)
    widths = [2.4, *([2.6] if deadlines else []), *([4.6] if purposes else []), 2.4]
    widths = [round(TEXT_WIDTH_CM - sum(widths), 2), *widths]
    w.table("Governance route", "The meetings that consider this report, in date order, with their "
            "dates" + (" and paper deadlines" if deadlines else "") + " and whether each has been held",
            header, rows, widths, first_column=True)


def meeting_status(meeting: Meeting, b: Briefing) -> str:
    """"Held", "This meeting" or "To come", as the paper stands on its own date."""
    if b.committee is not None and meeting == b.committee:
        return "This meeting"
    return "Held" if meeting.date < b.as_at else "To come"


def background(w: Writer, b: Briefing) -> None:
    w.heading(BACKGROUND, 1)
    w.para("From April 2023, the Health and Care Act 2022 gave the Care Quality Commission (CQC) new "
           "regulatory powers to assess independently how local authorities deliver their adult social "
           "care functions under Part 1 of the Care Act 2014. Local authorities are assessed against "
           "four themes:")
    w.numbered(t.name for t in THEMES)
    categories = [c[0].lower() + c[1:] if c != "People's experience" else "people's experience"
                  for c in b.result.categories_used]
    w.para("Each theme has two or three of nine quality statements. CQC scores each quality statement "
           f"from 1 to 4 on the evidence it gathered ({join_words(categories)}), and the scores give "
           "the overall rating.")
    reviews = peer_review_names(b.workbook)
    if reviews:
        w.para(f"To prepare for the assessment, {b.name}'s adult social care took part in "
               f"{number_word(len(reviews))} peer review{'s' if len(reviews) > 1 else ''}: "
               f"{join_words(reviews)}. Their findings are set out in \u2018{PEER_REVIEWS}\u2019 below.")


def peer_review_names(workbook: Workbook) -> list[str]:
    """The peer reviews named in Findings, in the order they first appear."""
    names: list[str] = []
    for f in workbook.findings:
        if not is_cqc_review(f.review) and f.review and f.review not in names:
            names.append(f.review)
    return names


def key_dates(w: Writer, b: Briefing) -> None:
    if not b.workbook.key_dates:
        return
    w.heading(KEY_DATES, 1)
    w.bullets(f"{m.name} \u2013 {format_date(m.date, m.end_date)}" for m in b.workbook.key_dates)


def overall_scores(w: Writer, b: Briefing) -> None:
    r = b.result
    w.heading(OVERALL_SCORES, 1)
    if r.draft_changes:
        w.heading(DRAFT_CHANGES, 2)
        w.para("Our challenge during the factual-accuracy check changed these scores:")
        w.bullets(draft_change_sentences(r.draft_changes))
    w.heading(GRID, 2)
    _grid(w, b)
    figure(w, b, "statements")
    w.heading(OVERALL, 2)
    if r.overall is None:
        w.para("No quality statement has been scored yet.")
    else:
        w.label("Overall score", f"{r.overall.pct}%").paragraph_format.keep_with_next = True
        w.label("Overall rating", r.overall.rating.label).paragraph_format.keep_with_next = True
        w.para(f"{overall_method_sentence(r)} CQC's rating bands are:")
    w.table("CQC rating bands", "The percentage range for each CQC rating",
            ["Rating", "Score", "Percentage"],
            [[rating_cell(band.label), TableCell(str(band.score), align="center"), TableCell(band.band)]
             for band in RATINGS],
            [6.0, 2.0, 4.0], first_column=True)
    if "themes" in b.charts:
        w.para("CQC does not publish a score for each theme; the theme percentages below are worked out "
               "from the quality statement scores in the same way as the overall score.")
        figure(w, b, "themes")
    sentence = benchmark_sentence(r)
    if sentence or "benchmarks" in b.charts:
        w.heading(COMPARISON, 2)
        if sentence:
            w.para(sentence)
        _benchmark_table(w, b)
        figure(w, b, "benchmarks")


def _grid(w: Writer, b: Briefing) -> None:
    """Statements as rows (the pack has them as columns): long names read across a wide column, a screen
    reader meets one statement per row, and the grid fits portrait A4 with no landscape section."""
    r = b.result
    # A score alone (as CQC publishes it) has no categories and no percentage: the grid then has neither.
    scored = any(s.categories for s in r.statements)
    categories = r.categories_used if scored else ()
    if scored:
        w.para("Each quality statement is scored from 1 to 4 on each evidence category; its percentage is "
               "the total of those scores as a share of the most they could be, rounded up.")
    if missing := pct_unknown_sentence(r):
        w.para(missing)
    # Widths fit the longest header word in bold Arial (Liberation Sans) at the table's font size.
    font_pt = 9.5 if len(categories) <= 4 else 9
    cat_widths = {"People's experience": 2.1, "Feedback from staff and leaders": 1.7, "Processes": 2.0,
                  "Feedback from partners": 1.7, "Outcomes": 2.0}
    if font_pt < 9.5:
        cat_widths = {k: v - 0.1 for k, v in cat_widths.items()}
    tail = [1.3, 2.3, 1.3]
    widths = [cat_widths.get(c, 2.0) for c in categories]
    widths = [round(TEXT_WIDTH_CM - sum(widths) - sum(tail), 2), *widths, *tail]
    if not scored:  # the rating wide enough for "Requires improvement" on one line
        widths = [round(TEXT_WIDTH_CM - 5.5, 2), 1.5, 4.0]
    header = ["Quality statement", *(_SHORT_CATEGORY.get(c, c) for c in categories), "Score", "Rating",
              *(["%"] if scored else [])]
    rows = []
    for s in r.statements:
        rows.append([TableCell(s.quality_statement.name, bold=True),
                     *(score_cell(s.categories.get(c)) for c in categories),
                     TableCell(str(s.score) if s.score else "\u2013", align="center"),
                     rating_cell(s.rating.label if s.rating else None),
                     *([TableCell(f"{s.pct}%" if s.pct is not None else "\u2013", align="center")] if scored
                       else [])])
    if scored:
        w.table("Scores by quality statement and evidence category",
                "Each quality statement's score (1 to 4) for each evidence category, its overall score, rating "
                "and percentage; a dash means not scored", header, rows, widths, first_column=True,
                font_pt=font_pt)
    else:
        w.table("Scores by quality statement", "Each quality statement's score (1 to 4) and rating, with no "
                "percentage (no evidence-category scores); a dash means not scored", header, rows, widths,
                first_column=True, font_pt=font_pt)


def _benchmark_table(w: Writer, b: Briefing) -> None:
    r = b.result
    if not r.benchmarks:
        return
    positions = [c.position for c in r.benchmarks if c.position]
    rows = []
    for c in r.benchmarks:
        position = "\u2013"
        if c.position:
            position = f"{c.position} (joint)" if positions.count(c.position) > 1 else str(c.position)
        marks = (["computed"] if c.pct_basis.startswith("computed") else []) + \
            (["secondary source"] if "Secondary" in c.caveats else [])
        score = "No published score" if c.pct is None else f"{c.pct}%" + (f" ({', '.join(marks)})" if marks else "")
        rating = (c.rating + (" (pilot)" if "Pilot" in c.caveats else "")) if c.rating else "Not published"
        name = f"**{c.council}**" if c.is_subject else c.council
        rows.append([TableCell(position, align="center"), TableCell(name),
                     TableCell(c.sub_region or "\u2013"), TableCell(score), rating_cell(c.rating, rating)])
    w.table(f"Councils in {b.a.region}", f"CQC results for councils in {b.a.region}, each score published or computed as marked, "
            "highest score first", ["Position", "Council", "Sub-region", "Overall score", "Rating"], rows,
            [1.8, 6.0, 3.2, 2.9, 3.1])
    _benchmark_notes(w, b)


def _benchmark_notes(w: Writer, b: Briefing) -> None:
    """Under the comparison table: which figures are computed, pilot or second-hand, and where the national
    position comes from."""
    notes = benchmark_notes(b.result)
    if notes:
        w.para("Notes on these figures:")
        w.bullets(notes)


def cqc_findings(workbook: Workbook, section: str) -> list[Finding]:
    """The council's own summary of the CQC assessment in SECTION: findings quoted from elsewhere (CQC's full
    report) are the journey's, never added to the pack's lists."""
    return [f for f in workbook.findings if f.section == section and is_cqc_review(f.review) and not f.quoted_from]


def attributed(workbook: Workbook) -> bool:
    """Whether the briefing's CQC lists carry a service-area column: once any of them names one, all do."""
    return any(f.service_area for s in FINDING_SECTIONS for f in cqc_findings(workbook, s))


def _findings_list(w: Writer, b: Briefing, caption: str, findings: list[Finding]) -> None:
    """FINDINGS as bullets, or, when the council attributes service areas, a table with the attribution in a
    column of its own."""
    if not attributed(b.workbook):
        w.bullets(f.text for f in findings)
        return
    rows = [[TableCell(f.text), TableCell(f.service_area or "\u2013")] for f in findings]
    w.table(caption, f"{caption}: each finding in CQC\u2019s words and the service area the council attributes it "
            "to", ["Finding (CQC\u2019s words)", AREA_HEADER], rows, [12.6, 4.4])


def _findings_section(w: Writer, b: Briefing, title: str, section: str, by_theme: bool = True) -> None:
    findings = cqc_findings(b.workbook, section)
    if not findings:
        return
    w.heading(title, 1)
    if attributed(b.workbook):
        w.para(AREA_NOTE)
    if not by_theme:
        _findings_list(w, b, title, findings)
        return
    for theme in THEMES:
        own = [f for f in findings if f.theme == theme]
        if own:
            w.heading(theme_heading(theme), 2)
            _findings_list(w, b, f"{title}: {theme.name}", own)


def survey(w: Writer, b: Briefing) -> None:
    results = b.workbook.survey
    if not results:
        return
    w.heading(SURVEY, 1)
    groups: dict[str, list] = {}
    for s in results:
        groups.setdefault(s.group, []).append(s)
    for group, items in groups.items():
        caption = f"Staff survey: {group}" if group else "Staff survey"
        w.table(caption, "Staff survey questions and the percentage of staff answering positively"
                + (f" ({group})" if group else ""), ["Question", "% positive"],
                [[TableCell(s.question), TableCell(format_pct(s.pct_positive), align="right")] for s in items],
                [14.0, 3.0], first_column=True)


def key_figures(w: Writer, b: Briefing) -> None:
    """The report's own figures (waits, caseloads, spend), grouped by theme and quality statement."""
    figures = [f for f in b.workbook.key_figures if not f.review or is_cqc_review(f.review)]  # the assessment's own
    if not figures:
        return
    w.heading(KEY_FIGURES, 1)
    sources = list(dict.fromkeys(f.source for f in figures))
    one_source = len(sources) == 1
    w.para("Figures from the assessment that members may wish to scrutinise, by quality statement"
           + (f". All are from the {sources[0]}" if one_source and sources[0] else "")
           + ". \u2018Not stated\u2019 means the source does not say when the figure applies.")
    order = {qs.key: i for i, qs in enumerate(QUALITY_STATEMENTS)}

    def key(f):
        return (f.theme.number if f.theme else 99, order.get(f.quality_statement.key, -1) if f.quality_statement
                else -1)

    rows = []
    for f in sorted(figures, key=key):
        about = f.quality_statement.name if f.quality_statement else f.theme.name if f.theme else "Context"
        as_at = format_date(f.as_at) if isinstance(f.as_at, date) else (f.as_at or "Not stated")
        row = [TableCell(about), TableCell(f.measure), TableCell(format_value(f.value, f.unit), align="right"),
               TableCell(as_at)]
        rows.append(row if one_source else [*row, TableCell(f.source or "\u2013")])
    header = ["Theme or quality statement", "Measure", "Figure", "As at"] + ([] if one_source else ["Source"])
    w.table("Key figures from the assessment", "Each figure with what it measures, the quality statement or "
            "theme it concerns and when it applies" + ("" if one_source else ", and its source"), header, rows,
            [3.6, 7.2, 3.3, 2.9] if one_source else [3.0, 5.6, 2.8, 2.4, 3.2])


def peer_reviews(w: Writer, b: Briefing) -> None:
    reviews = peer_review_names(b.workbook)
    if not reviews:
        return
    w.heading(PEER_REVIEWS, 1)
    w.para("Members asked to see the peer reviews' findings alongside CQC's, with the part of the service "
           "each concerns. The CQC's own findings are in the sections above. " + AREA_NOTE)
    order = {s: i for i, s in enumerate(FINDING_SECTIONS)}
    for review in reviews:
        w.heading(review, 2)
        findings = sorted((f for f in b.workbook.findings if f.review == review),
                          key=lambda f: (f.theme.number, order.get(f.section, 9)))
        rows = [[TableCell(f"{f.theme.number}. {f.theme.name}"), TableCell(f.text), TableCell(f.section),
                 TableCell(f.service_area or "\u2013")] for f in findings]
        w.table(f"{review}: findings by theme", f"Each finding of the {review} with its CQC theme, "
                "type and the service area the council attributes it to", ["Theme", "Finding", "Type", AREA_HEADER],
                rows,
                [3.0, 8.6, 2.6, 2.8])


JOURNEY = "Improvement journey"


def journey(w: Writer, b: Briefing) -> None:
    """The recurring threads and the service-area summary, pointing to the full journey paper."""
    from ..derived import journey_of
    from .journey_defs import area_lines, summary_lines

    j = journey_of(b.workbook)  # the annex's Journey sheet gets the same, not a second computation
    if len(j.reviews) < 2 and not j.threads:
        return
    w.heading(JOURNEY, 1)
    w.para("The findings of every review followed as threads, in time order, and by service area; the full "
           "improvement journey paper gives each thread in the reviews’ own words.")
    w.bullets([*summary_lines(j), *area_lines(j)])


def performance(w: Writer, b: Briefing) -> None:
    metrics = b.result.metrics
    if not metrics:
        return
    w.heading(PERFORMANCE, 1)
    w.para("How the council compares with the England average on the measures CQC cites. The comparison "
           "is CQC's own where the report gives one; otherwise it is worked out (within 5% of the England "
           "average counts as similar) and marked \u2018computed\u2019.")
    places = metric_places(metrics)
    rows = []
    for m in metrics:
        unit, word = m.metric.unit.strip(), comparison_words(m) + (" (computed)" if m.basis == "computed" else "")
        rows.append([TableCell(m.metric.indicator),
                     TableCell(format_value(m.metric.council_value, unit, places[unit]), align="right"),
                     TableCell(format_value(m.metric.england_average, unit, places[unit]), align="right"),
                     TableCell(word[:1].upper() + word[1:] or "Not stated", COMPARISON_FILL.get(m.comparison), INK)])
    w.table("Performance against the England average", f"Each indicator's value for {b.name}, the "
            "England average and how they compare", ["Indicator", b.name, "England", "Comparison"], rows,
            [8.6, 2.5, 2.5, 3.4], first_column=True)
    figure(w, b, "metrics")
    others = [m.metric.indicator for m in metrics if m.metric.unit.strip() != "%"]
    if others and "metrics" in b.charts:
        w.para(f"The chart shows the measures given as percentages; {join_words(others)} "
               f"({'is' if len(others) == 1 else 'are'} not a percentage) {'is' if len(others) == 1 else 'are'} "
               "in the table above.")


def actions(w: Writer, b: Briefing) -> None:
    actions = b.workbook.actions
    if not actions:
        return
    w.heading(ACTIONS, 1)
    if not plan_agreed(b.workbook):
        # A table of zeros would say nothing; say where the plan stands instead.
        w.para(f"The improvement plan is not yet agreed. Its {len(actions)} actions will answer the areas for "
               "development CQC found; their owners, due dates and progress will be reported here once it is "
               "agreed.")
        return
    # The progress report's rule and order, on the paper's date, so the two papers agree on any date.
    counts = counts_by_theme(b.workbook, b.as_at)
    statuses = [s for s in REPORT_ORDER if s != NOT_YET_DUE or any(counts[(t.number, s)] for t in THEMES)]
    w.para(f"The improvement plan's actions by theme and status as at {format_date(b.as_at)}:")
    rows = [[TableCell(t.name)] + [TableCell(str(counts[(t.number, s)]), align="center") for s in statuses]
            for t in THEMES]
    w.table("Improvement plan actions by theme and status", "The number of improvement plan actions in "
            "each theme at each status", ["Theme", *statuses], rows,
            [4.5] + [12.5 / len(statuses)] * len(statuses), first_column=True)


def next_steps(w: Writer, b: Briefing) -> None:
    steps = b.workbook.next_steps
    if not steps:
        return
    w.heading(NEXT_STEPS, 1)
    w.bullets(f"{s.step} \u2013 {format_date(s.date)}" + (" (done)" if s.date < b.as_at else "") if s.date
              else s.step for s in steps)


def author_notes(w: Writer, b: Briefing) -> None:
    if b.final or not b.warnings:
        return
    w.heading(AUTHOR_NOTES, 1)
    w.para("For the report's author: where the published figures differ from those computed by the CQC "
           "method, or where text was cleaned, each at its place in the source. This appendix is left out of "
           "the final version.")
    w.bullets(str(m) for m in b.warnings)


def people(w: Writer, b: Briefing) -> None:
    _findings_section(w, b, PEOPLE, "People's experience", by_theme=False)


def summary(w: Writer, b: Briefing) -> None:
    _findings_section(w, b, SUMMARY, "Summary")


def strengths(w: Writer, b: Briefing) -> None:
    _findings_section(w, b, STRENGTHS, "Key strength")


def areas(w: Writer, b: Briefing) -> None:
    _findings_section(w, b, AREAS, "Area for development")


# The briefing, in order. Each section decides for itself whether it has anything to say.
SECTIONS = (title_block, committee_front_matter, contents, executive_summary, requests, governance, background,
            key_dates, overall_scores, people, summary, survey, strengths, areas, key_figures, peer_reviews, journey,
            performance, actions, next_steps, author_notes)
# The heading of each section that can carry the workbook's Section text (contract.BRIEFING_SECTIONS).
SECTION_HEADINGS = {executive_summary: EXECUTIVE_SUMMARY, governance: GOVERNANCE, background: BACKGROUND,
                    key_dates: KEY_DATES, overall_scores: OVERALL_SCORES, people: PEOPLE, summary: SUMMARY,
                    survey: SURVEY, strengths: STRENGTHS, areas: AREAS, key_figures: KEY_FIGURES,
                    peer_reviews: PEER_REVIEWS, performance: PERFORMANCE, actions: ACTIONS, next_steps: NEXT_STEPS}


CHART_KINDS = ("native", "picture")


def briefing_charts(result: Result, kind: str = "native") -> dict:
    """The briefing's charts by key: native Word charts from their definitions (the evidence-category grid
    is then the coloured table alone), or pictures of the same definitions (and of the grid)."""
    if kind == "picture":
        from .charts import briefing_charts as pictures

        return {chart.key: chart for chart in pictures(result)}
    from .chart_defs import chart_definitions

    return {chart.key: chart for chart in chart_definitions(result)}


def write_briefing(result: Result, path: Path, *, committee: Meeting | None = None, template: Path | None = None,
                   final: bool = False, warnings: Sequence[Message] = (), annex_name: str | None = None,
                   charts: str = "native") -> None:
    """Write the Word briefing for RESULT to PATH (the committee version when COMMITTEE is given); CHARTS is
    "native" (editable Word charts) or "picture"."""
    document = open_template(template)
    prepare(document)
    charts = briefing_charts(result, charts)
    b = Briefing(result, charts, committee, final, tuple(warnings), annex_name)
    w = Writer(document)
    for section in SECTIONS:
        framed(section, SECTION_HEADINGS.get(section), w, b)
    w.headers_and_footers(b.marking, draft=not final)
    w.space_after_tables()
    w.fill_contents()
    a = result.workbook.assessment
    set_properties(document, title=b.title, subject=f"CQC assessment of adult social care: {a.council}",
                   author=a.report_author or a.directorate or a.council,
                   keywords=f"CQC; adult social care; local authority assessment; {a.short_name}",
                   category=f"Committee report: {committee.name}" if committee else "Briefing",
                   status="Final" if final else "Draft", when=a.published)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(deterministic_zip(buffer.getvalue()))
