"""Sentences that more than one document says, each built once from the scored result.

The briefing, the annex and the charts' alt text all take their ranking, draft-change and summary
wording from here, so the documents can never word the same fact two ways.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..contract import QUALITY_STATEMENTS, Theme
from ..model import format_date
from ..scoring import RATINGS, MetricResult, Ranking, Result, StatementResult, rating_for_score
from ..wording import decimals, join_words, number_word, ordinal


def theme_heading(theme: Theme) -> str:
    """"Theme one – Working with people", as the pack heads its pages."""
    return f"Theme {number_word(theme.number)} \u2013 {theme.name}"


def band_starts() -> str:
    """"Requires improvement from 39%, Good from 63%, Outstanding from 88%": where each band above the
    lowest begins, as a chart's alt text states the lines it draws."""
    return ", ".join(f"{r.label} from {r.low}%" for r in RATINGS[1:])


def ranking_clause(ranking: Ranking) -> str:
    """Where the council stands in one group, counting honestly: "second of the 9 councils in Yorkshire and
    the Humber whose score is known, of 15 in the region"; nationally "… in England whose score is known, 8
    published and 71 computed from their quality statement scores"."""
    known = "whose score is known"
    if ranking.out_of == 1:
        text = f"the only council in {ranking.group} {known}"
    else:
        joint = "joint " if ranking.joint else ""
        place = f"the {joint}highest scoring" if ranking.position == 1 else f"{joint}{ordinal(ranking.position)}"
        text = f"{place} of the {ranking.out_of} councils in {ranking.group}"
        if ranking.without_score or ranking.scope == "country":
            text += f" {known}"
    if ranking.without_score and ranking.scope != "country":
        text += f", of {ranking.listed} in the {ranking.scope}"
    if ranking.published is not None:
        text += ", " + published_count(ranking.published, ranking.out_of)
    return text


def published_count(published: int, known: int) -> str:
    """How many of KNOWN scores CQC published, the rest computed: "8 published and 71 computed from their
    quality statement scores"."""
    computed = known - published
    if computed == 0:
        return "published" if known == 1 else f"all {known} published"
    if published == 0:
        return "computed from its quality statement scores" if known == 1 else \
            "none published: all computed from their quality statement scores"
    return f"{published} published and {computed} computed from their quality statement scores"


def benchmark_sentence(result: Result) -> str:
    """"With an overall score of 73%, Rotherham is the highest scoring of … and second of …", then the
    national position."""
    if result.overall is None:
        return ""
    rankings = [r for r in (result.sub_region_ranking, result.region_ranking) if r is not None]
    national = result.national_ranking
    name = result.workbook.assessment.short_name
    if not rankings:
        return f"With an overall score of {result.overall.pct}%, {name} is {ranking_clause(national)}." \
            if national else ""
    clauses = ", and ".join(ranking_clause(r) for r in rankings) if rankings[0].without_score \
        else " and ".join(ranking_clause(r) for r in rankings)
    sentence = f"With an overall score of {result.overall.pct}%, {name} is {clauses}."
    if national:
        sentence += f" Nationally, it is {ranking_clause(national)}."
    return sentence


def benchmark_notes(result: Result) -> list[str]:
    """What members should know about the comparison's figures: which are computed, pilot or from a
    secondary source, and which councils have no published result."""
    councils = [c for c in result.benchmarks if not c.is_subject]
    notes = []
    for test, words in (
            (lambda c: c.pct_basis.startswith("computed"), "Score computed by the CQC method from the council's "
                                                            "quality statement scores (no overall % published)"),
            (lambda c: "Secondary" in c.caveats, "From a secondary source (a third-party copy of CQC's report "
                                                 "pages), not checked against CQC's own report"),
            (lambda c: "Pilot" in c.caveats, "An indicative rating from CQC's 2023 pilot assessments, not a "
                                             "formal assessment"),
            (lambda c: c.pct is None and c.rating, "A rating without a published overall score"),
            (lambda c: c.pct is None and not c.rating, "No published result found")):
        names = [c.council for c in councils if test(c)]
        if names:
            notes.append(f"{words}: {join_words(names)}.")
    if (table := result.national_table) is not None and result.national_ranking is not None:
        computed = [c for c in table.councils if "Computed" in c.basis and c.overall_pct is not None
                    or c.overall_pct is None and len(c.qs_scores) == len(QUALITY_STATEMENTS)]
        known = sum(1 for c in table.councils if c.overall_pct is not None or c in computed)
        second_hand = sum(1 for c in computed if "Secondary" in c.basis)
        which = "a table of CQC's published results" if table.bundled else f"the national results table \u2018" \
            f"{table.title}\u2019"
        note = f"The national position is from {which} (as at {format_date(table.as_at)}), which holds " \
               f"{table.coverage}."
        if known:
            note += " " + _table_scores(known, len(computed), second_hand)
        notes.append(note)
    return notes


def pct_unknown_sentence(result: Result) -> str:
    """Why a quality statement shows a score but no percentage ("" when every percentage is known)."""
    missing = result.pct_unknown
    if not missing:
        return ""
    if len(missing) == len(result.statements):
        return ("No percentage is shown for a quality statement: CQC publishes each one's score (1 to 4), not "
                "the evidence-category scores its percentage is worked out from.")
    names = join_words([s.quality_statement.name for s in missing])
    return (f"No percentage is shown for {names}: the workbook gives {'its' if len(missing) == 1 else 'their'} "
            "score (1 to 4) without the evidence-category scores a percentage is worked out from, and CQC "
            "does not publish one.")


def overall_method_sentence(result: Result) -> str:
    """What the overall percentage is worked out from, by CQC's method."""
    o = result.overall
    if o is None:
        return ""
    most = f"the most the {number_word(o.assessed)} statements assessed could score"
    if o.from_categories == o.assessed:
        return (f"The overall score is the total of the quality statement scores ({o.total}) as a percentage of "
                f"{most}, rounded up to a whole per cent.")
    published = result.workbook.assessment.published_overall_pct
    check = "" if published is None else f" It matches the published {published}%." if published == o.pct \
        else f" The published figure is {published}%."
    if o.from_categories == 0:
        return ("The overall score is worked out by CQC's method from the quality statement scores alone: their "
                f"total ({o.total}) as a percentage of {most} ({4 * o.assessed}), rounded up to a whole per "
                f"cent.{check}")
    return (f"The overall score is the total of the quality statement scores ({o.total}; "
            f"{number_word(o.from_categories)} worked out from evidence-category scores, the rest as entered) "
            f"as a percentage of {most} ({4 * o.assessed}), rounded up to a whole per cent.{check}")


def statement_figure(s: StatementResult) -> str:
    """"Requires improvement, 57%", or "Requires improvement, score 2" when its percentage is not known."""
    return f"{s.rating.label}, {s.pct}%" if s.pct is not None else f"{s.rating.label}, score {s.score}"


def _table_scores(known: int, computed: int, second_hand: int) -> str:
    """How many of a national table's KNOWN overall scores are published and how many COMPUTED (SECOND_HAND of
    those from a secondary source), as a sentence."""
    from_source = "" if not second_hand else \
        f", {'all' if second_hand == computed else f'{second_hand} of them'} taken from a secondary source"
    if known == 1:
        return "Its one overall score is " + ("published." if not computed else
                                              f"computed from quality statement scores{from_source}.")
    if not computed:
        return f"All {known} of its overall scores are published."
    if computed == known:
        return f"All {known} of its overall scores are computed from quality statement scores{from_source}."
    return (f"Of its {known} overall scores, {known - computed} {'is' if known - computed == 1 else 'are'} published "
            f"and {computed} computed from quality statement scores{from_source}.")


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
            [f"{s.quality_statement.name} ({statement_figure(s)})" for s in r.below_good]) + ".")
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
