"""The improvement journey paper: the LGA, ADASS and CQC findings as one overarching update, thread by thread in
time order and by service area, as an accessible .docx.

Every grouping comes from `journey.Journey`; this module arranges and words it, one function per section, listed
in `SECTIONS` in the order members read them. Word mechanics are `render.word`'s; sentences the annex and the
briefing share are in `render.journey_defs`. The same workbook gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence

from ..journey import NOT_ATTRIBUTED, Journey, Thread
from ..model import Meeting, Message, format_date
from ..wording import clean, count, format_value, join_words
from .briefing import DEFAULT_MARKING, report_details, responses, title_block  # the briefing's, on a Paper
from .journey_defs import (KEY, STANCE_WORDS, area_chart, area_lines, course_sentence, figure_when_words,
                           review_label, review_short, review_words, stance_fill, summary_lines)
from .sentences import committee_subject
from .word.package import deterministic_zip, set_properties
from .word.tables import TableCell
from .word.template import open_template, prepare
from .word.writer import Writer

TITLE = "Improvement journey"
SUMMARY = "Summary"
AT_A_GLANCE = "The journey at a glance"
RECURRING = "Threads raised by more than one review"
SINGLE = "Threads raised by one review"
BY_REVIEW = "Findings by review"
BY_AREA = "Findings by service area"
AUTHOR_NOTES = "Appendix: notes for the author"
SMALL_PT = 9
OTHER = "Other findings"
SECTION_WORDS = {"Key strength": "Key strength", "Area for development": "Area for development",
                 "Summary": "Summary", "People's experience": "People's experience"}
LABELS = ("Each finding is in the review\u2019s own words, in quotation marks; the label before it is its type and, in "
          "brackets, the service area the council attributes it to (the council\u2019s attribution, not the "
          "review\u2019s).")


def finding_line(f) -> str:
    """"Area for development (Carers): “…”": the type and the council's service area before the review's words,
    never added to them; a finding quoted from another document than the review's summary says which."""
    label = SECTION_WORDS.get(f.section, f.section) or "Finding"
    area = f" ({f.service_area})" if f.service_area else ""
    source = f" [quoted from {f.quoted_from}]" if f.quoted_from else ""
    return f"{label}{area}{source}: \u201c{f.text}\u201d"


def _said(w: Writer, tr) -> None:
    w.para(f"**{review_label(tr.review)}:**")
    w.bullets(finding_line(f) for f in tr.findings)


def _against(w: Writer, t: Thread) -> None:
    """The findings that run against the thread's course, quoted, so the verdict reads as the sources do."""
    if not t.against:
        return
    w.para("**Against this verdict, in the reviews\u2019 own words:**")
    w.bullets(f"{r.name}: \u201c{f.text}\u201d" for r, f in t.against)


@dataclass(frozen=True)
class Paper:
    journey: Journey
    committee: Meeting | None = None
    final: bool = False
    warnings: Sequence[Message] = ()
    annex_name: str | None = None

    @property
    def a(self):
        return self.journey.workbook.assessment

    @property
    def marking(self) -> str:
        return clean(self.a.protective_marking).strip() or DEFAULT_MARKING

    @property
    def title(self) -> str:
        reviews = self.journey.reviews
        span = f": {reviews[0].name} to {reviews[-1].name}" if len(reviews) > 1 else ""
        return f"{self.a.short_name} adult social care {TITLE[0].lower()}{TITLE[1:]}{span}"


# --- sections ----------------------------------------------------------------------------------------

def committee_front_matter(w: Writer, p: Paper) -> None:
    committee = p.committee
    if committee is None:
        return
    report_details(w, committee, p.title, p.a)
    w.heading("Recommendations", 1)
    subject = committee_subject(committee.name)
    names = [r.name for r in p.journey.reviews]
    w.numbered([f"That {subject} notes the improvement journey across the findings of the {join_words(names)}, the "
                "issues that persist and those that have improved.",
                f"That {subject} notes the service areas where areas for development concentrate, and receives "
                "future updates on the improvement plan's actions for them."])
    w.heading("List of appendices", 1)
    w.para(f"Appendix 1 \u2013 {p.annex_name}: every finding with its thread, review, date and service area, and "
           "the counts behind this paper, in Excel." if p.annex_name else "None.")


def contents(w: Writer, p: Paper) -> None:
    w.contents()


def summary(w: Writer, p: Paper) -> None:
    j = p.journey
    w.heading(SUMMARY, 1)
    w.para("Members asked for the findings of the peer reviews and the CQC assessment as one overarching update "
           "of the service\u2019s improvement journey, with the part of the service each finding concerns. Each "
           "finding belongs to a thread (an issue followed from one review to the next) where officers have given "
           "it one.")
    if j.reviews:
        order = "in date order" if j.dated else "in the order their findings are listed (their dates are not given)"
        w.para(f"The reviews, {order}:")
        w.bullets(review_words(r) for r in j.reviews)
    first, *rest = summary_lines(j)
    w.para(first)
    w.bullets(rest)


def requests(w: Writer, p: Paper) -> None:
    responses(w, p.committee, p.journey.workbook)


def at_a_glance(w: Writer, p: Paper) -> None:
    j = p.journey
    if not j.threads or not j.reviews:
        return
    w.heading(AT_A_GLANCE, 1)
    w.para("What each review found on each thread, in time order, and the course of the thread. " + KEY)
    rows = []
    for t in j.threads:
        row = [TableCell(t.name)]
        for r in j.reviews:
            stance = t.stance(r)
            fill, colour = stance_fill(stance)
            row.append(TableCell(STANCE_WORDS[stance], fill, colour))
        row.append(TableCell(t.course, bold=t.course == "Persisting"))
        rows.append(row)
    n = len(j.reviews)
    widths = [4.4, *[round(9.2 / n, 2)] * n, 3.4]
    described = "; ".join(f"{t.name}: {t.course.lower()}" for t in j.recurring)
    w.table("Threads by review", f"Each thread (row) against each review in time order (columns): strength, area "
            f"for development, both, noted or not raised, and its course. {described}", ["Thread",
                                                                                           *(r.name for r in j.reviews),
                                                                                           "Course"],
            rows, widths, first_column=True, font_pt=SMALL_PT)


def _thread(w: Writer, p: Paper, t: Thread) -> None:
    j = p.journey
    w.heading(t.name, 2)
    w.para(f"**{course_sentence(t)}**")
    _against(w, t)
    for tr in t.reviews:
        _said(w, tr)
    if t.figures:
        rows = [[TableCell(f.measure), TableCell(figure_when_words(f, j)),
                 TableCell(format_value(f.value, f.unit), align="right"), TableCell(f.review or f.source or "\u2013")]
                for f in t.figures]
        w.table(f"{t.name}: figures over time", f"The key figures for {t.name} in time order, with when each "
                "applies and the review that gave it", ["Measure", "As at", "Figure", "Review"], rows,
                [6.4, 3.8, 2.6, 4.2], first_column=True, font_pt=SMALL_PT)
    if t.actions:
        rows = [[TableCell(a.ref), TableCell(a.action or a.area_for_development), TableCell(a.status)]
                for a in t.actions]
        w.table(f"{t.name}: improvement plan actions", f"The improvement plan's actions on {t.name} and their "
                "status", ["Ref", "Action", "Status"], rows, [1.6, 12.4, 3.0], first_column=True, font_pt=SMALL_PT)


def recurring(w: Writer, p: Paper) -> None:
    j = p.journey
    if not j.recurring:
        return
    w.heading(RECURRING, 1)
    w.para(f"{count(len(j.recurring), 'thread')}, most reviews first: the course, computed from every finding on "
           "the thread, with the findings that run against it quoted; what each review said, in its words and in "
           "time order; then the figures over time (in date order) and the improvement plan\u2019s actions where "
           "there are any. " + LABELS)
    for t in j.recurring:
        _thread(w, p, t)


def single(w: Writer, p: Paper) -> None:
    j = p.journey
    once = [t for t in j.single if t.reviews]
    unraised = [t.name for t in j.single if not t.reviews]
    if not j.single:
        return
    w.heading(SINGLE, 1)
    if unraised:
        w.para(f"Followed through figures or actions only, with no review\u2019s finding: {join_words(unraised)}.")
    if not once:
        return
    rows = [[TableCell(t.name), TableCell(t.reviews[0].review.name), TableCell(STANCE_WORDS[t.reviews[0].stance]),
             TableCell(str(len(t.reviews[0].findings)), align="right")] for t in once]
    w.table("Threads raised by one review", "Each thread only one review raised, with the review, what it found "
            "and its number of findings", ["Thread", "Review", "Found", "Findings"], rows, [6.0, 5.0, 4.2, 1.8],
            first_column=True, font_pt=SMALL_PT)
    w.para("What the review said on each, in its own words. " + LABELS)
    for t in once:
        w.para(f"**{t.name}** \u2013 {review_label(t.reviews[0].review)}:")
        w.bullets(finding_line(f) for f in t.reviews[0].findings)


def by_review(w: Writer, p: Paper) -> None:
    j = p.journey
    if not j.findings:
        return
    w.heading(BY_REVIEW, 1)
    rows = []
    for r in j.reviews:
        s, d, other = j.review_counts(r)
        rows.append([TableCell(r.name), TableCell(format_date(r.date) or "Not given"), TableCell(str(s), align="right"),
                     TableCell(str(d), align="right"), TableCell(str(other), align="right"),
                     TableCell(str(s + d + other), align="right")])
    totals = [sum(j.review_counts(r)[i] for r in j.reviews) for i in range(3)]
    rows.append([TableCell("Total", bold=True), TableCell(""), *(TableCell(str(v), align="right", bold=True)
                                                                 for v in totals),
                 TableCell(str(sum(totals)), align="right", bold=True)])
    w.table("Findings by review", "Each review in time order with its date and its numbers of key strengths, areas "
            "for development and other findings (summaries and people's experiences)",
            ["Review", "Date", "Key strengths", "Areas for development", "Other", "Total"], rows,
            [5.2, 3.2, 2.2, 2.6, 1.8, 2.0], first_column=True)
    w.para("Each review\u2019s findings: those on a thread are quoted under the thread above, and named here with "
           f"what the review found on it; the rest, under \u2018{OTHER}\u2019, are quoted here. " + LABELS)
    for r in j.reviews:
        w.heading(review_label(r), 2)
        on = j.threads_of(r)
        if on:
            w.para(f"On {count(len(on), 'thread')}: " + "; ".join(
                f"{t.name} ({STANCE_WORDS[tr.stance][2:].lower()}, {count(len(tr.findings), 'finding')})"
                for t, tr in on) + ".")
        other = j.other_findings(r)
        if other:
            w.para(f"**{OTHER} ({len(other)}):**")
            w.bullets(finding_line(f) for f in other)


def by_area(w: Writer, p: Paper) -> None:
    j = p.journey
    if not j.findings:
        return
    w.heading(BY_AREA, 1)
    w.para("Every service area the council attributes findings to (its attribution, not the reviews\u2019), with each "
           "review\u2019s key strengths (S) and areas for development "
           "(D); other findings are counted in the total. Findings that name no service area are counted as "
           f"\u2018{NOT_ATTRIBUTED}\u2019, so the totals add up to every finding.")
    w.bullets(area_lines(j))
    n = len(j.reviews)
    rows = []
    for a in j.areas:
        cells = [TableCell(a.area, bold=a.area == NOT_ATTRIBUTED)]
        for r in j.reviews:
            s, d, _ = a.counts[r.name]
            cells += [TableCell(str(s), align="right"), TableCell(str(d), align="right")]
        rows.append(cells + [TableCell(str(a.total), align="right")])
    totals = []
    for r in j.reviews:
        totals += [sum(a.counts[r.name][0] for a in j.areas), sum(a.counts[r.name][1] for a in j.areas)]
    rows.append([TableCell("Total", bold=True), *(TableCell(str(v), align="right", bold=True) for v in totals),
                 TableCell(str(sum(a.total for a in j.areas)), align="right", bold=True)])
    header = ["Service area"]
    for r in j.reviews:
        header += [f"{review_short(r)}: S", f"{review_short(r)}: D"]
    width = round(11.0 / (2 * n), 2)
    w.table("Findings by service area and review", "Each service area's key strengths (S) and areas for development "
            "(D) in each review, in time order, and its total findings; the findings naming no service area are "
            "counted as not attributed", header + ["Total"], rows, [4.6, *[width] * (2 * n), 1.4], first_column=True,
            font_pt=SMALL_PT)
    if any(a.developments for a in j.areas):
        w.native_chart(area_chart(j))


def author_notes(w: Writer, p: Paper) -> None:
    if p.final or not p.warnings:
        return
    w.heading(AUTHOR_NOTES, 1)
    w.para("For the paper's author: what the checks of its sources found, each at its place. This appendix is left "
           "out of the final version.")
    w.bullets(str(m) for m in p.warnings)


# The paper, in order. Each section decides for itself whether it has anything to say.
SECTIONS = (title_block, committee_front_matter, contents, summary, requests, at_a_glance, recurring, single, by_review, by_area,
            author_notes)


def write_journey_report(journey: Journey, path: Path, *, committee: Meeting | None = None, final: bool = False,
                         warnings: Sequence[Message] = (), annex_name: str | None = None,
                         template: Path | None = None) -> None:
    """Write the improvement journey paper for JOURNEY to PATH (the committee version when COMMITTEE is given)."""
    document = open_template(template)
    prepare(document)
    p = Paper(journey, committee, final, tuple(warnings), annex_name)
    w = Writer(document)
    for section in SECTIONS:
        section(w, p)
    w.headers_and_footers(p.marking, draft=not final)
    w.space_after_tables()
    w.fill_contents(levels=2)
    a = p.a
    set_properties(document, title=p.title, subject=f"Adult social care improvement journey: {a.council}",
                   author=a.report_author or a.directorate or a.council,
                   keywords=f"CQC; ADASS; LGA; adult social care; improvement journey; {a.short_name}",
                   category=f"Committee report: {committee.name}" if committee else "Improvement journey",
                   status="Final" if final else "Draft", when=a.report_date or a.published)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(deterministic_zip(buffer.getvalue()))
