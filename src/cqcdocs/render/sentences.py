"""Sentences that more than one document says, each built once from the scored result.

The briefing, the annex and the charts' alt text all take their ranking, draft-change and summary
wording from here, so the documents can never word the same fact two ways.
"""

from __future__ import annotations

from typing import Iterable

from ..contract import Theme
from ..scoring import RATINGS, MetricResult, Ranking, Result, StatementResult, rating_for_score
from ..wording import decimals, join_words, number_word


def theme_heading(theme: Theme) -> str:
    """"Theme one – Working with people", as the pack heads its pages."""
    return f"Theme {number_word(theme.number)} \u2013 {theme.name}"


def band_starts() -> str:
    """"Requires improvement from 39%, Good from 63%, Outstanding from 88%": where each band above the
    lowest begins, as a chart's alt text states the lines it draws."""
    return ", ".join(f"{r.label} from {r.low}%" for r in RATINGS[1:])


def ranking_clause(ranking: Ranking) -> str:
    """Where the council stands in one group, honest about councils with no overall score."""
    if ranking.out_of == 1:
        text = f"the only council in {ranking.group} with an overall score"
    elif ranking.position == 1:
        text = (f"the {'joint ' if ranking.joint else ''}highest scoring of the {ranking.out_of} councils in "
                f"{ranking.group} with an overall score")
    else:
        text = f"{ranking.phrase} councils in {ranking.group} with an overall score"
    notes = []
    if ranking.rating_only:
        notes.append(f"{ranking.rating_only} more {'has' if ranking.rating_only == 1 else 'have'} a published "
                     "rating only")
    no_result = ranking.without_score - ranking.rating_only
    if no_result > 0:
        notes.append(f"{no_result} more {'has' if no_result == 1 else 'have'} no published result")
    return f"{text} ({'; '.join(notes)})" if notes else text


def benchmark_sentence(result: Result) -> str:
    """"With an overall score of 73%, Rotherham is the highest scoring of … and joint second of …"."""
    if result.overall is None:
        return ""
    rankings = [r for r in (result.sub_region_ranking, result.region_ranking) if r is not None]
    if not rankings:
        return ""
    clauses = " and ".join(ranking_clause(r) for r in rankings)
    return f"With an overall score of {result.overall.pct}%, {result.workbook.assessment.short_name} is {clauses}."


def draft_change_sentences(changes: Iterable[StatementResult]) -> list[str]:
    """"Assessing needs and Safeguarding rose from Requires improvement to Good after the …"."""
    groups: dict[tuple[str, str, bool], list[str]] = {}
    for s in changes:
        key = (rating_for_score(s.draft_score).label, s.rating.label, s.score > s.draft_score)
        groups.setdefault(key, []).append(s.quality_statement.name)
    return [f"{join_words(names)} {'rose' if up else 'fell'} from {before} to {after} after the "
            "factual-accuracy challenge."
            for (before, after, up), names in groups.items()]


def summary_points(result: Result) -> list[str]:
    """The executive summary's points after its opening sentence: what fell below Good, what was not
    assessed, what the factual-accuracy challenge changed, and where the council ranks."""
    r = result
    points = []
    if r.below_good:
        points.append("Rated below Good: " + join_words(
            [f"{s.quality_statement.name} ({s.rating.label}, {s.pct}%)" for s in r.below_good]) + ".")
    else:
        points.append("Every quality statement assessed was rated Good or Outstanding.")
    if r.not_assessed:
        points.append("Not assessed: " + join_words([s.quality_statement.name for s in r.not_assessed])
                      + f" (the overall score is based on the {number_word(r.overall.assessed)} statements "
                        "assessed).")
    points.extend(draft_change_sentences(r.draft_changes))
    if sentence := benchmark_sentence(r):
        points.append(sentence)
    return points


# Bodies named without "the": "That Cabinet notes", but "That the Health Select Commission notes".
_NO_ARTICLE = ("cabinet", "council", "full council", "county council", "city council")


def committee_subject(name: str) -> str:
    """A committee as the subject of a recommendation: "the Health Select Commission", "Cabinet"."""
    name = " ".join(name.split())
    if name.lower().startswith("the ") or name.lower() in _NO_ARTICLE:
        return name
    return f"the {name}"


def comparison_words(m: MetricResult) -> str:
    """How a measure compares with England: CQC's own words as the report gives them ("much better",
    "significantly better"), else the computed word ("better"), or "" when neither is known."""
    if m.basis == "CQC":
        return " ".join(m.metric.cqc_comparison.split())
    return "" if m.comparison == "not stated" else m.comparison


def metric_places(metrics) -> dict[str, int]:
    """Decimal places per unit, from the values given: every figure in one unit (in the table and the
    chart alike) is shown at one precision."""
    values: dict[str, list[float]] = {}
    for m in metrics:
        values.setdefault(m.metric.unit.strip(), []).extend((m.metric.council_value, m.metric.england_average))
    return {unit: decimals(v) for unit, v in values.items()}
