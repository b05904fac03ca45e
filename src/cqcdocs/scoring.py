"""The CQC scoring method for local authority assessments, as pure functions (no I/O).

Each evidence category is scored 1–4. A quality statement's percentage is the total of its category
scores over 4 × the categories scored; the overall percentage is the total of the quality statement
scores over 4 × the statements assessed. CQC publishes only each statement's score (1–4), not the
category scores behind it, so a statement entered with a score alone has no percentage (None): it cannot
be worked out, and no document shows one. CQC rounds every percentage *up* to a whole per cent, so the
arithmetic here is exact integer ceiling division, never `round()` (62.5 → 62) or float `ceil`.
Every figure a document shows comes from `score_workbook`.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Sequence

from .contract import ACTION_STATUSES, QUALITY_STATEMENTS, RATING_LABELS, THEMES, QualityStatement, Theme
from .model import Benchmark, Message, Metric, NationalTable, ScoreRow, Workbook
from .wording import ordinal


@dataclass(frozen=True)
class Rating:
    score: int
    label: str
    low: int
    high: int

    @property
    def band(self) -> str:
        return f"{self.low}\u2013{self.high}%"


RATINGS: tuple[Rating, ...] = tuple(Rating(score, label, low, high) for score, label, (low, high) in zip(
    (1, 2, 3, 4), RATING_LABELS, ((25, 38), (39, 62), (63, 87), (88, 100))))
_RATING_BY_LABEL = {r.label.lower(): r for r in RATINGS}


def pct_up(numerator: int, denominator: int) -> int:
    """100 × numerator / denominator rounded up to a whole per cent, in exact integer arithmetic."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return -(-100 * numerator // denominator)


def rating_for_pct(pct: int) -> Rating:
    """The CQC band a percentage falls in (anything below 25 can only arise from bad data: Inadequate)."""
    for rating in RATINGS:
        if pct <= rating.high:
            return rating
    raise ValueError(f"percentage out of range: {pct}")


def rating_for_score(score: int) -> Rating:
    return RATINGS[score - 1]


def rating_named(label: str) -> Rating | None:
    return _RATING_BY_LABEL.get(" ".join(str(label).split()).lower())


@dataclass(frozen=True)
class StatementResult:
    """A quality statement's computed result. `basis` says where the score came from; `pct` is None unless
    the statement has evidence-category scores (a score alone gives no percentage)."""

    quality_statement: QualityStatement
    theme: Theme
    categories: dict[str, int]
    pct: int | None
    score: int | None
    basis: str  # "evidence categories" | "entered score" | "not assessed"
    draft_score: int | None = None

    @property
    def assessed(self) -> bool:
        return self.score is not None

    @property
    def rating(self) -> Rating | None:
        return rating_for_score(self.score) if self.score else None

    @property
    def category_total(self) -> int:
        return sum(self.categories.values())

    @property
    def changed_from_draft(self) -> bool:
        return self.draft_score is not None and self.score is not None and self.draft_score != self.score


@dataclass(frozen=True)
class ThemeResult:
    """A theme's percentage. CQC publishes none, so this is always *derived* from its statements."""

    theme: Theme
    statements: tuple[StatementResult, ...]
    pct: int | None
    derived: bool = True

    @property
    def rating(self) -> Rating | None:
        return rating_for_pct(self.pct) if self.pct is not None else None


@dataclass(frozen=True)
class Overall:
    """The overall result by CQC's method: the statement scores' total over 4 × the statements assessed.
    `from_categories` counts the statements whose score was worked out from evidence-category scores (the
    rest are scores as entered, CQC's published ones for an imported report)."""

    total: int
    assessed: int
    pct: int
    rating: Rating
    from_categories: int = 0


@dataclass(frozen=True)
class RankedCouncil:
    council: str
    region: str
    sub_region: str
    pct: int | None
    pct_basis: str  # "published" | "computed from quality statement scores" | "this assessment" | ""
    rating: str | None
    position: int | None
    is_subject: bool
    caveats: tuple[str, ...] = ()  # "Pilot" (an indicative rating), "Secondary" (from a secondary source)


@dataclass(frozen=True)
class Ranking:
    """Where the council stands in a group of councils by overall %, ties ranked jointly."""

    group: str
    position: int
    joint: bool
    out_of: int
    without_score: int
    rating_only: int = 0  # of those without a score, how many have a published rating
    scope: str = "region"  # what GROUP is: "region", "sub-region" or "country"
    published: int | None = None  # of the OUT_OF scores, how many are published (the rest computed)

    @property
    def computed(self) -> int | None:
        """Of the OUT_OF scores, how many are computed from quality statement scores, not published."""
        return None if self.published is None else self.out_of - self.published

    @property
    def listed(self) -> int:
        """Every council in the group, with a score or not."""
        return self.out_of + self.without_score

    @property
    def highest(self) -> bool:
        return self.position == 1 and not self.joint

    @property
    def phrase(self) -> str:
        """"joint second of 13", "highest of 2", "fourth of 9"."""
        words = "highest" if self.highest else ("joint " if self.joint else "") + ordinal(self.position)
        return f"{words} of {self.out_of}"


@dataclass(frozen=True)
class MetricResult:
    metric: Metric
    difference: float
    comparison: str  # "better" | "similar" | "worse" | "not stated"
    basis: str  # "CQC" (the report's own words) | "computed" | ""


@dataclass(frozen=True)
class Result:
    """Everything computed from one workbook; renderers read only this and the workbook."""

    workbook: Workbook
    statements: tuple[StatementResult, ...]
    themes: tuple[ThemeResult, ...]
    overall: Overall | None
    benchmarks: tuple[RankedCouncil, ...] = ()
    region_ranking: Ranking | None = None
    sub_region_ranking: Ranking | None = None
    national_ranking: Ranking | None = None
    national_table: NationalTable | None = None
    metrics: tuple[MetricResult, ...] = ()
    action_counts: dict[tuple[int, str], int] = field(default_factory=dict)
    warnings: tuple[Message, ...] = ()

    @property
    def draft_changes(self) -> tuple[StatementResult, ...]:
        return tuple(s for s in self.statements if s.changed_from_draft)

    @property
    def pct_unknown(self) -> tuple[StatementResult, ...]:
        """Statements scored without evidence-category scores: their percentage is not known."""
        return tuple(s for s in self.statements if s.assessed and s.pct is None)

    @property
    def below_good(self) -> tuple[StatementResult, ...]:
        return tuple(s for s in self.statements if s.assessed and s.score < 3)

    @property
    def not_assessed(self) -> tuple[StatementResult, ...]:
        return tuple(s for s in self.statements if not s.assessed)

    @property
    def categories_used(self) -> tuple[str, ...]:
        """The evidence categories scored anywhere, in CQC's order (Outcomes only when used)."""
        from .contract import EVIDENCE_CATEGORIES

        used = {c for s in self.statements for c in s.categories}
        return tuple(c for c in EVIDENCE_CATEGORIES if c in used or c != "Outcomes")


def score_statement(row: ScoreRow) -> StatementResult:
    """Category scores decide the statement; a directly entered score is used only when there are none."""
    if row.categories:
        total, count = sum(row.categories.values()), len(row.categories)
        pct = pct_up(total, 4 * count)
        return StatementResult(row.quality_statement, row.theme, dict(row.categories), pct,
                               rating_for_pct(pct).score, "evidence categories", row.draft_score)
    if row.score is not None:
        # Not score / 4: a 3 is anywhere from 63% to 87%, and CQC does not say where.
        return StatementResult(row.quality_statement, row.theme, {}, None, row.score, "entered score",
                               row.draft_score)
    return StatementResult(row.quality_statement, row.theme, {}, None, None, "not assessed", row.draft_score)


def score_overall(statements: tuple[StatementResult, ...] | list[StatementResult]) -> Overall | None:
    scores = [s.score for s in statements if s.score is not None]
    if not scores:
        return None
    pct = pct_up(sum(scores), 4 * len(scores))
    return Overall(sum(scores), len(scores), pct, rating_for_pct(pct),
                   sum(1 for s in statements if s.score is not None and s.categories))


def score_themes(statements: tuple[StatementResult, ...]) -> tuple[ThemeResult, ...]:
    results = []
    for theme in THEMES:
        own = tuple(s for s in statements if s.theme == theme)
        overall = score_overall(own)
        results.append(ThemeResult(theme, own, overall.pct if overall else None))
    return tuple(results)


def benchmark_pct(bench: Benchmark) -> tuple[int | None, str]:
    """A benchmark council's overall %: as published, else computed from its nine published QS scores."""
    if bench.overall_pct is not None:
        return bench.overall_pct, "computed from quality statement scores" if "Computed" in bench.basis \
            else "published"
    if len(bench.qs_scores) == len(QUALITY_STATEMENTS):
        return pct_up(sum(bench.qs_scores.values()), 4 * len(bench.qs_scores)), \
            "computed from quality statement scores"
    return None, ""


def rank(subject_pct: int, others: list[int]) -> tuple[int, bool]:
    """Competition ranking: 1 + the number strictly higher; joint when another council has the same %."""
    return 1 + sum(1 for p in others if p > subject_pct), subject_pct in others


def _same_council(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


# A council's row for ranking: its record, its overall % (None if unknown), the %'s basis, whether it is
# the council the workbook is about, and whether its % is one CQC published (not computed).
_Member = tuple[Benchmark, "int | None", str, bool, bool]


def _members(benchmarks: Sequence[Benchmark], workbook: Workbook, overall: Overall | None,
             warnings: list[Message] | None = None) -> list[_Member]:
    """BENCHMARKS as ranking members, the workbook's own council always at its computed %. WARNINGS, when
    given, collects each published % that differs from the council's own statement scores or computed %."""
    a = workbook.assessment
    rows: list[_Member] = []
    for bench in benchmarks:
        pct, basis = benchmark_pct(bench)
        if warnings is not None and bench.overall_pct is not None and len(bench.qs_scores) == len(QUALITY_STATEMENTS):
            from_qs = pct_up(sum(bench.qs_scores.values()), 4 * len(bench.qs_scores))
            if from_qs != bench.overall_pct:
                warnings.append(Message(bench.place, f"{bench.council}: overall score {bench.overall_pct}% "
                                        f"differs from {from_qs}% computed from its quality statement scores",
                                        "warning"))
        subject = _same_council(bench.council, a.council)
        published = pct is not None and basis == "published"
        if subject and overall is not None:
            if warnings is not None and pct is not None and pct != overall.pct:
                warnings.append(Message(bench.place, f"Benchmarks gives {a.council} {pct}%, but this assessment "
                                        f"computes {overall.pct}%; the computed figure is used for ranking",
                                        "warning"))
            published = (published and pct == overall.pct) or a.published_overall_pct == overall.pct
            pct, basis = overall.pct, "this assessment"
        rows.append((bench, pct, basis, subject, published))
    if overall is not None and not any(r[3] for r in rows) and rows:
        rows.append((Benchmark(a.council, a.region, a.sub_region, None, overall.rating.label),
                     overall.pct, "this assessment", True, a.published_overall_pct == overall.pct))
    return rows


def _ranking(members: list[_Member], group: str, scope: str, overall: Overall | None) -> Ranking | None:
    """Where the subject stands among MEMBERS; None when it has no score or is not among them."""
    if overall is None or not any(m[3] for m in members):
        return None
    others = [m[1] for m in members if not m[3] and m[1] is not None]
    position, joint = rank(overall.pct, others)
    unscored = [m[0] for m in members if m[1] is None]
    published = sum(1 for m in members if m[1] is not None and m[4])
    return Ranking(group, position, joint, len(others) + 1, len(unscored),
                   sum(1 for bench in unscored if bench.rating), scope,
                   published if scope == "country" else None)


def rank_benchmarks(workbook: Workbook, overall: Overall | None) -> tuple[
        tuple[RankedCouncil, ...], Ranking | None, Ranking | None, list[Message]]:
    """Rank the council among its region and sub-region. The council's own % is always the computed one."""
    a = workbook.assessment
    warnings: list[Message] = []
    rows = _members(workbook.benchmarks, workbook, overall, warnings)
    in_region = [r for r in rows if _same_council(r[0].region, a.region)]
    in_sub = [r for r in in_region if a.sub_region and _same_council(r[0].sub_region, a.sub_region)]
    region_rank = _ranking(in_region, a.region, "region", overall)
    sub_rank = _ranking(in_sub, a.sub_region, "sub-region", overall) if a.sub_region else None
    scored = sorted(r[1] for r in in_region if r[1] is not None)  # sorted: each position is one bisection
    table = []
    for bench, pct, basis, subject, _ in in_region:
        position = 1 + len(scored) - bisect.bisect_right(scored, pct) if pct is not None else None
        rating = overall.rating.label if subject and overall else bench.rating
        caveats = () if subject else tuple(b for b in bench.basis if b in ("Pilot", "Secondary"))
        table.append(RankedCouncil(bench.council, bench.region, bench.sub_region, pct, basis, rating, position,
                                   subject, caveats))
    table.sort(key=lambda c: (c.position is None, c.position or 0, c.council))
    return tuple(table), region_rank, sub_rank, warnings


def rank_nationally(workbook: Workbook, overall: Overall | None, national: Sequence[Benchmark]) -> Ranking | None:
    """Where the council stands among every council in NATIONAL (a national results table); the workbook's
    own Benchmarks rows replace the table's rows for the same councils, being the officer's newer word."""
    if not national:
        return None
    own = {" ".join(b.council.split()).lower() for b in workbook.benchmarks}
    merged = [b for b in national if " ".join(b.council.split()).lower() not in own] + list(workbook.benchmarks)
    return _ranking(_members(merged, workbook, overall), "England", "country", overall)


_WORSE, _BETTER, _SIMILAR = ("worse", "below", "lower"), ("better", "above", "higher"), ("similar", "in line", "same")


def compare_metric(metric: Metric) -> MetricResult:
    """Better/similar/worse: the report's own words where given, otherwise computed from the direction.

    The computed comparison calls a value "similar" within 5% of the England average (relative); CQC
    itself uses significance tests we cannot repeat, so such results are labelled "computed".
    """
    difference = metric.council_value - metric.england_average
    words = metric.cqc_comparison.lower()
    if words:
        for label, keys in (("worse", _WORSE), ("better", _BETTER), ("similar", _SIMILAR)):
            if any(k in words for k in keys):
                return MetricResult(metric, difference, label, "CQC")
    if metric.higher_is_better is None:
        return MetricResult(metric, difference, "not stated", "")
    if abs(difference) <= 0.05 * abs(metric.england_average):
        return MetricResult(metric, difference, "similar", "computed")
    good = (difference > 0) == metric.higher_is_better
    return MetricResult(metric, difference, "better" if good else "worse", "computed")


def count_actions(workbook: Workbook) -> dict[tuple[int, str], int]:
    """Actions by (theme number, status), every combination present (zeros included) for tables."""
    counts = Counter((a.theme.number, a.status) for a in workbook.actions)
    return {(t.number, s): counts.get((t.number, s), 0) for t in THEMES for s in ACTION_STATUSES}


def reconcile(workbook: Workbook, statements: tuple[StatementResult, ...], overall: Overall | None) -> list[Message]:
    """Warn wherever the workbook states a published figure that differs from the computed one."""
    warnings = []
    for row, result in zip(workbook.scores, statements):
        name = row.quality_statement.name
        if row.categories and row.score is not None and row.score != result.score:
            warnings.append(Message(row.places.get("score", row.place),
                                    f"{name}: published score {row.score} differs from the computed score "
                                    f"{result.score} ({result.category_total}/{4 * len(row.categories)} = "
                                    f"{result.pct}%)", "warning"))
        if row.published_pct is not None and result.pct is not None and row.published_pct != result.pct:
            warnings.append(Message(row.places.get("published_pct", row.place),
                                    f"{name}: published {row.published_pct}% differs from the computed "
                                    f"{result.pct}%", "warning"))
        if row.published_pct is not None and not result.assessed:
            warnings.append(Message(row.places.get("published_pct", row.place),
                                    f"{name}: a published {row.published_pct}% is given but the statement "
                                    "has no scores", "warning"))
        elif row.published_pct is not None and result.pct is None and 25 <= row.published_pct <= 100 \
                and rating_for_pct(row.published_pct).score != result.score:
            warnings.append(Message(row.places.get("published_pct", row.place),
                                    f"{name}: published {row.published_pct}% is in the "
                                    f"{rating_for_pct(row.published_pct).label} band, but the score is "
                                    f"{result.score} ({result.rating.label})", "warning"))
    a = workbook.assessment
    if overall is not None and a.published_overall_pct is not None and a.published_overall_pct != overall.pct:
        warnings.append(Message(a.places.get("published_overall_pct", "Assessment"),
                                f"published overall score {a.published_overall_pct}% differs from the computed "
                                f"{overall.pct}% ({overall.total}/{4 * overall.assessed})", "warning"))
    if overall is not None and a.published_rating and a.published_rating.lower() != overall.rating.label.lower():
        warnings.append(Message(a.places.get("published_rating", "Assessment"),
                                f"published overall rating '{a.published_rating}' differs from the computed "
                                f"rating '{overall.rating.label}' ({overall.pct}%)", "warning"))
    return warnings


def score_workbook(workbook: Workbook, national: NationalTable | None = None) -> Result:
    """Compute every figure the briefing and annex show, and the reconciliation warnings. NATIONAL is a
    national results table (`load.national`), for the council's position in England."""
    statements = tuple(score_statement(row) for row in workbook.scores)
    overall = score_overall(statements)
    table, region_rank, sub_rank, bench_warnings = rank_benchmarks(workbook, overall)
    warnings = reconcile(workbook, statements, overall) + bench_warnings
    return Result(
        workbook=workbook,
        statements=statements,
        themes=score_themes(statements),
        overall=overall,
        benchmarks=table,
        region_ranking=region_rank,
        sub_region_ranking=sub_rank,
        national_ranking=rank_nationally(workbook, overall, national.councils if national else ()),
        national_table=national,
        metrics=tuple(compare_metric(m) for m in workbook.metrics),
        action_counts=count_actions(workbook),
        warnings=tuple(warnings),
    )
