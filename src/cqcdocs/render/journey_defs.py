"""What the improvement journey paper, its annex and the briefing's short section all say, built once from
`journey.Journey`: the stance words and symbols, the summary sentences, the chart definition.

Pure data and text, as `progress_defs` is for the progress report: Word and Excel never word a fact two ways.
"""

from __future__ import annotations

from datetime import date

from ..journey import COURSES, NOT_ATTRIBUTED, Journey, ReviewPoint, Thread
from ..model import KeyFigure, format_date
from ..palette import STANCE_FILL as _FILLS
from ..palette import STANCE_TEXT as _TEXTS
from ..wording import count, format_value, join_words, number_word
from .chart_defs import AxisDef, ChartDef, SeriesDef

# A review's stance on a thread, in words with a symbol: the matrix reads without colour.
STANCE_WORDS = {"strength": "+ Strength", "development": "\u2212 Area for development", "both": "\u00b1 Both",
                "noted": "\u2022 Noted", None: "\u2013 Not raised"}
# The shading that goes with each stance (`palette.STANCE_FILL`: text always readable on it); none for the others.
STANCE_FILL = {"strength": "strength", "development": "development", "both": "both", "noted": None, None: None}
KEY = ("+ Strength: only key strengths; \u2212 Area for development: only areas for development; \u00b1 Both: "
       "key strengths and areas for development; \u2022 Noted: raised in a summary or people's experiences only; "
       "\u2013 Not raised.")


def stance_fill(stance: str | None) -> tuple[str | None, str | None]:
    key = STANCE_FILL[stance]
    return (_FILLS[key], _TEXTS[key]) if key else (None, None)


def review_label(review: ReviewPoint) -> str:
    """"LGA peer challenge 2023 (December 2023)", or the name alone when the date is not known."""
    return f"{review.name} ({format_date(review.date)})" if review.date else review.name


def review_short(review: ReviewPoint) -> str:
    """A column heading short enough for a narrow column: the name's first and last words ("LGA 2023")."""
    words = review.name.split()
    return f"{words[0]} {words[-1]}" if len(words) > 2 else review.name


def review_words(review: ReviewPoint) -> str:
    """A review described for the summary's list: kind, when reported, on site, led by."""
    parts = [review.kind] if review.kind and review.kind.lower() not in review.name.lower() else []
    if review.date:
        parts.append(f"reported {format_date(review.date)}")
    if review.on_site_from:
        parts.append(f"on site {format_date(review.on_site_from, review.on_site_to)}")
    if review.lead:
        parts.append(f"led by {review.lead}")
    return review.name + (f": {', '.join(parts)}" if parts else "")


def course_sentence(thread: Thread) -> str:
    """"Improved: an area for development in the LGA peer challenge 2023; a strength in the CQC assessment 2026."."""
    said = "; ".join(f"{STANCE_WORDS[r.stance][2:].lower()} in {r.review.name}" for r in thread.reviews)
    return f"{thread.course}: {said}."


def figure_when_words(f: KeyFigure, journey: Journey) -> str:
    if isinstance(f.as_at, date):
        return format_date(f.as_at)
    if f.as_at:
        return f.as_at
    review = next((r for r in journey.reviews if r.name == f.review), None)
    return f"Not stated ({review.name}, {format_date(review.date)})" if review and review.date else "Not stated"


def figures_over_time(thread: Thread) -> list[str]:
    """"Carers waiting for a carer's assessment: 116 carers (January 2023) → 50 carers (August 2023) → 42 …"."""
    measures: dict[str, list[KeyFigure]] = {}
    for f in thread.figures:
        measures.setdefault(f.measure, []).append(f)
    lines = []
    for measure, figures in measures.items():
        steps = [format_value(f.value, f.unit) + (f" ({format_date(f.as_at) if isinstance(f.as_at, date) else f.as_at})"
                                                  if f.as_at else f" ({f.review})" if f.review else "")
                 for f in figures]
        lines.append(f"{measure}: " + " \u2192 ".join(steps))
    return lines


def summary_lines(journey: Journey) -> list[str]:
    """The summary's opening sentence and its points."""
    j = journey
    n_reviews = len(j.reviews)
    if not j.threads:
        return [f"The {count(len(j.findings), 'finding')} from {count(n_reviews, 'review')} have not yet been grouped "
                "into threads (the issues officers follow from one review to the next), so this paper cannot yet "
                "say which issues recur; the findings by review and by service area follow."]
    lines = [f"{count(len(j.threads), 'thread')} {'runs' if len(j.threads) == 1 else 'run'} through the "
             f"{count(len(j.findings), 'finding')} of the {number_word(n_reviews)} review"
             f"{'s' if n_reviews != 1 else ''}; {len(j.recurring)} {'was' if len(j.recurring) == 1 else 'were'} "
             "raised by more than one review."]
    by_n = [f"{len(j.raised_by(n))} by {number_word(n)} reviews" for n in range(n_reviews, 1, -1) if j.raised_by(n)]
    if by_n:
        lines.append("Raised " + join_words(by_n) + ".")
    for course in COURSES:
        threads = j.by_course(course)
        if threads:
            lines.append(f"{course} ({len(threads)}): " + join_words([t.name for t in threads]) + ".")
    if j.unthreaded:
        lines.append(f"{count(len(j.unthreaded), 'finding')} {'has' if len(j.unthreaded) == 1 else 'have'} no thread; "
                     "the improvement journey quotes them, review by review, under \u2018Other findings\u2019 and counts them by "
                     "service area.")
    return lines


def area_lines(journey: Journey) -> list[str]:
    """Where areas for development concentrate, and how many findings name no service area."""
    j = journey
    named = [a for a in j.areas if a.area != NOT_ATTRIBUTED]
    lines = []
    concerns = [a for a in named if a.developments]
    if concerns:
        top = concerns[:5]
        lines.append("Most areas for development: " + join_words(
            [f"{a.area} ({a.developments})" for a in top]) + ".")
    repeated = [a for a in named if a.reviews_with_development > 1]
    if repeated:
        lines.append("Areas for development in more than one review: " + join_words(
            [f"{a.area} ({a.reviews_with_development} reviews)" for a in repeated]) + ".")
    lines.append(f"{j.unattributed} of the {count(len(j.findings), 'finding')} "
                 f"{'names' if j.unattributed == 1 else 'name'} no service area; they are counted as "
                 "\u2018Not attributed\u2019." if j.unattributed else
                 f"Every one of the {count(len(j.findings), 'finding')} names a service area.")
    return lines


def area_chart(journey: Journey) -> ChartDef:
    """Areas for development by service area, a segment per review (time order): where concerns concentrate."""
    areas = [a for a in journey.areas if a.developments]
    names = [a.area for a in areas]
    greys = ("BABABA", "595959", "1F4E79", "92C5DE", "F4A582", "E0E0E0")
    series = tuple(SeriesDef(r.name, tuple(a.counts[r.name][1] for a in areas), (greys[i % len(greys)],) * len(areas),
                             tuple(str(a.counts[r.name][1]) for a in areas), ("",) * len(areas), "0",
                             outline="FFFFFF")
                   for i, r in enumerate(journey.reviews))
    parts = [f"{a.area}: " + ", ".join(f"{a.counts[r.name][1]} in {r.name}" for r in journey.reviews
                                       if a.counts[r.name][1]) for a in areas]
    alt = ("Stacked bar chart of areas for development by service area, a segment per review. "
           + ("; ".join(parts) if parts else "No area for development.") + ".")
    top = max([a.developments for a in areas] + [1])
    step = 1.0 if top <= 10 else 2.0 if top <= 20 else 5.0
    axis = AxisDef("Areas for development", 0.0, float(-(-top // step) * step), major_unit=step)
    return ChartDef("journey_areas", "stacked", "Areas for development by service area and review", alt,
                    tuple(names), series, axis, legend=True, height_cm=3.0 + 0.6 * len(names))
