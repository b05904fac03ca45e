"""The CQC method: exact round-up arithmetic, band edges, not-assessed statements, entered scores,
rankings with ties, reconciliation warnings."""

from datetime import date

import pytest

from cqcdocs.contract import QUALITY_STATEMENTS, THEMES
from cqcdocs.model import Assessment, Benchmark, Metric, ScoreRow, Workbook
from cqcdocs.scoring import (Ranking, compare_metric, ordinal, pct_up, rank, rating_for_pct, score_workbook)

CATS = ("People's experience", "Feedback from staff and leaders", "Processes", "Feedback from partners")
# The governance pack's grid, column by column (Rotherham 2026).
PACK_GRID = [(2, 3, 3, 2), (3, 3, 3, 3), (2, 2, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2),
             (3, 3, 3, 3), (3, 3, 3, 3)]


def assessment(**overrides):
    values = dict(council="Rotherham Metropolitan Borough Council", short_name="Rotherham",
                  region="Yorkshire and the Humber", sub_region="South Yorkshire", published=date(2026, 3, 20),
                  report_title="t", report_date=None, directorate="", report_author="", approving_director="",
                  key_decision=False, wards_affected="All wards", protective_marking="OFFICIAL",
                  places={"published_overall_pct": "Assessment!B15", "published_rating": "Assessment!B14"})
    values.update(overrides)
    return Assessment(**values)


def rows(grid, **extra):
    return tuple(ScoreRow(qs, THEMES[qs.theme - 1], {c: s for c, s in zip(CATS, scores) if s is not None},
                          place=f"Scores!B{i + 2}", places={"score": f"Scores!H{i + 2}",
                                                          "published_pct": f"Scores!J{i + 2}"},
                          **extra.get(qs.key, {}))
                 for i, (qs, scores) in enumerate(zip(QUALITY_STATEMENTS, grid)))


def workbook(grid=PACK_GRID, benchmarks=(), metrics=(), extra=None, **assessment_overrides):
    return Workbook("x.xlsx", assessment(**assessment_overrides), rows(grid, **(extra or {})),
                    benchmarks=tuple(benchmarks), metrics=tuple(metrics))


@pytest.mark.parametrize("num, den, expected", [(10, 16, 63), (9, 16, 57), (11, 16, 69), (12, 16, 75),
                                                 (26, 36, 73), (1, 4, 25), (16, 16, 100), (5, 8, 63),
                                                 (1, 3, 34), (2, 3, 67)])
def test_pct_rounds_up_exactly(num, den, expected):
    assert pct_up(num, den) == expected


def test_pct_up_is_not_bankers_rounding():
    # round(62.5) is 62 in Python; CQC's 62.5% is 63% and so Good, not Requires improvement.
    assert round(62.5) == 62 and pct_up(10, 16) == 63
    assert rating_for_pct(pct_up(10, 16)).label == "Good"


@pytest.mark.parametrize("pct, score, label", [(25, 1, "Inadequate"), (38, 1, "Inadequate"),
                                               (39, 2, "Requires improvement"), (62, 2, "Requires improvement"),
                                               (63, 3, "Good"), (87, 3, "Good"), (88, 4, "Outstanding"),
                                               (100, 4, "Outstanding")])
def test_band_edges(pct, score, label):
    rating = rating_for_pct(pct)
    assert (rating.score, rating.label) == (score, label)


def test_rotherham_pack_figures():
    result = score_workbook(workbook())
    assert [s.pct for s in result.statements] == [63, 75, 57, 63, 75, 75, 69, 75, 75]
    assert [s.score for s in result.statements] == [3, 3, 2, 3, 3, 3, 3, 3, 3]
    assert (result.overall.pct, result.overall.rating.label, result.overall.total) == (73, "Good", 26)
    assert [t.pct for t in result.themes] == [pct_up(8, 12), 75, 75, 75]
    assert all(t.derived for t in result.themes)
    assert [s.quality_statement.name for s in result.below_good] == ["Equity in experience and outcomes"]


def test_not_assessed_statement_is_left_out_of_the_overall():
    grid = list(PACK_GRID)
    grid[4] = (None, None, None, None)
    result = score_workbook(workbook(grid))
    partnerships = result.statements[4]
    assert (partnerships.pct, partnerships.score, partnerships.basis) == (None, None, "not assessed")
    assert result.overall.assessed == 8 and result.overall.pct == pct_up(23, 32) == 72
    assert result.not_assessed == (partnerships,)
    # A theme with one of its statements not assessed is derived from the rest.
    assert result.themes[1].pct == 75


def test_partial_categories_use_only_those_scored():
    grid = list(PACK_GRID)
    grid[0] = (2, 3, 3, None)
    assert score_workbook(workbook(grid)).statements[0].pct == pct_up(8, 12) == 67


def test_entered_score_used_when_no_category_scores():
    grid = [(None,) * 4] * 9
    extra = {qs.key: {"score": s} for qs, s in zip(QUALITY_STATEMENTS, [3, 3, 2, 3, 3, 3, 3, 3, 3])}
    result = score_workbook(workbook(grid, extra=extra))
    assert {s.basis for s in result.statements} == {"entered score"}
    # CQC publishes the score, not the percentage behind it: a 2 is not "50%" (Rotherham's Equity was 57%).
    assert [s.pct for s in result.statements] == [None] * 9
    assert [s.score for s in result.statements] == [3, 3, 2, 3, 3, 3, 3, 3, 3]
    assert result.statements[2].rating.label == "Requires improvement"
    assert len(result.pct_unknown) == 9
    assert (result.overall.pct, result.overall.rating.label, result.overall.from_categories) == (73, "Good", 0)
    assert score_workbook(workbook()).overall.from_categories == 9
    assert score_workbook(workbook()).pct_unknown == ()


def test_a_published_statement_percentage_beside_a_score_alone_is_checked_against_its_band():
    grid = [(None,) * 4] * 9
    extra = {qs.key: {"score": 3} for qs in QUALITY_STATEMENTS}
    extra["equity"] = {"score": 2, "published_pct": 63}
    extra["safeguarding"] = {"score": 3, "published_pct": 69}
    result = score_workbook(workbook(grid, extra=extra))
    assert result.statements[2].pct is None
    assert [str(w) for w in result.warnings] == [
        "Scores!J4: Equity in experience and outcomes: published 63% is in the Good band, but the score is 2 "
        "(Requires improvement)"]


def test_entered_score_that_disagrees_with_categories_warns_and_categories_win():
    extra = {"assessing_needs": {"score": 2, "published_pct": 62}}
    result = score_workbook(workbook(extra=extra))
    assert result.statements[0].score == 3
    assert [str(w) for w in result.warnings] == [
        "Scores!H2: Assessing needs: published score 2 differs from the computed score 3 (10/16 = 63%)",
        "Scores!J2: Assessing needs: published 62% differs from the computed 63%",
    ]


def test_published_overall_and_rating_are_reconciled():
    result = score_workbook(workbook(published_overall_pct=72, published_rating="Requires improvement"))
    assert [str(w) for w in result.warnings] == [
        "Assessment!B15: published overall score 72% differs from the computed 73% (26/36)",
        "Assessment!B14: published overall rating 'Requires improvement' differs from the computed rating "
        "'Good' (73%)",
    ]
    assert score_workbook(workbook(published_overall_pct=73, published_rating="Good")).warnings == ()


def test_draft_changes_are_recorded():
    extra = {"assessing_needs": {"draft_score": 2}, "safeguarding": {"draft_score": 2},
             "equity": {"draft_score": 2}}
    changes = score_workbook(workbook(extra=extra)).draft_changes
    assert [(s.quality_statement.name, s.draft_score, s.score) for s in changes] == [
        ("Assessing needs", 2, 3), ("Safeguarding", 2, 3)]


def test_rank_with_ties():
    assert rank(73, [81, 73, 70, 62]) == (2, True)
    assert rank(81, [73, 70]) == (1, False)
    assert Ranking("Yorkshire and the Humber", 2, True, 13, 0).phrase == "joint second of 13"
    assert Ranking("South Yorkshire", 1, False, 2, 2).phrase == "highest of 2"
    assert ordinal(21) == "21st" and ordinal(12) == "twelfth" and ordinal(112) == "112th"


def bench(council, pct=None, sub="West Yorkshire", region="Yorkshire and the Humber", qs=None, rating=None):
    return Benchmark(council, region, sub, pct, rating, qs_scores=qs or {}, place=f"Benchmarks!{council}")


def test_benchmarks_rank_region_and_sub_region_with_computed_percentages():
    doncaster_qs = dict(zip((q.key for q in QUALITY_STATEMENTS), (2, 2, 3, 2, 3, 3, 2, 3, 3)))
    benchmarks = [bench("Rotherham Metropolitan Borough Council", 73, "South Yorkshire"),
                  bench("City of Doncaster Council", None, "South Yorkshire", qs=doncaster_qs),
                  bench("Leeds City Council", 70), bench("North Yorkshire Council", 81, "North Yorkshire"),
                  bench("Calderdale Council", None, rating="Good"), bench("Lancashire", 73, "", "North West")]
    result = score_workbook(workbook(benchmarks=benchmarks))
    assert result.region_ranking == Ranking("Yorkshire and the Humber", 2, False, 4, 1, 1)
    assert result.sub_region_ranking.phrase == "highest of 2"
    table = {c.council: (c.pct, c.pct_basis, c.position) for c in result.benchmarks}
    assert table["City of Doncaster Council"] == (64, "computed from quality statement scores", 4)
    assert table["Calderdale Council"] == (None, "", None)
    assert "Lancashire" not in table
    assert [c.council for c in result.benchmarks][:2] == ["North Yorkshire Council",
                                                          "Rotherham Metropolitan Borough Council"]


def test_benchmark_row_for_the_council_uses_the_computed_figure_and_warns():
    result = score_workbook(workbook(benchmarks=[bench("Rotherham Metropolitan Borough Council", 70),
                                                 bench("Leeds City Council", 73)]))
    assert result.region_ranking.phrase == "joint first of 2"
    assert [str(w) for w in result.warnings] == [
        "Benchmarks!Rotherham Metropolitan Borough Council: Benchmarks gives Rotherham Metropolitan Borough "
        "Council 70%, but this assessment computes 73%; the computed figure is used for ranking"]


def test_national_ranking_from_a_national_table_with_the_workbooks_rows_winning():
    from cqcdocs.model import NationalTable

    national = NationalTable("t", date(2026, 3, 20), "4 councils", ("s",), (
        bench("Rotherham Metropolitan Borough Council", 73, "South Yorkshire"),
        bench("Essex County Council", 73, "", "East of England"), bench("Leeds City Council", 60),
        bench("Wokingham", 81, "", "South East"), bench("Nowhere Council", None, "", "North East", rating="Good")))
    # The workbook says Leeds scored 74: its own row replaces the table's 60.
    result = score_workbook(workbook(benchmarks=[bench("Leeds City Council", 74)]), national)
    assert result.national_ranking == Ranking("England", 3, True, 4, 1, 1, "country", published=4)
    assert result.national_ranking.listed == 5 and result.national_table is national
    assert score_workbook(workbook(benchmarks=[])).national_ranking is None


def test_a_benchmark_whose_basis_says_computed_is_labelled_computed_and_caveats_are_carried():
    computed = Benchmark("Leeds City Council", "Yorkshire and the Humber", "West Yorkshire", 64, "Good",
                         basis=("Computed", "Secondary"))
    pilot = Benchmark("North Lincolnshire Council", "Yorkshire and the Humber", "Humber", None, "Good",
                      basis=("Pilot",))
    result = score_workbook(workbook(benchmarks=[computed, pilot]))
    table = {c.council: (c.pct_basis, c.caveats) for c in result.benchmarks}
    assert table["Leeds City Council"] == ("computed from quality statement scores", ("Secondary",))
    assert table["North Lincolnshire Council"] == ("", ("Pilot",))


def test_metric_comparison_prefers_cqc_words_then_direction():
    def metric(value, avg, higher=True, words=""):
        return compare_metric(Metric("x", "ASCS", value, avg, "%", higher, words))

    assert metric(70.57, 65.16, words="better than the England average").comparison == "better"
    assert metric(70.57, 65.16, words="tending towards worse").comparison == "worse"
    assert (metric(70.57, 65.16).comparison, metric(70.57, 65.16).basis) == ("better", "computed")
    assert metric(50, 65, higher=True).comparison == "worse"
    assert metric(50, 65, higher=False).comparison == "better"
    assert metric(66, 65).comparison == "similar"
    assert metric(66, 65, higher=None).comparison == "not stated"
    assert round(metric(70.57, 65.16).difference, 2) == 5.41


def test_the_national_ranking_counts_the_published_scores_and_the_computed_ones():
    from cqcdocs.model import NationalTable

    computed = Benchmark("Essex County Council", "East of England", "", 64, "Good", basis=("Computed", "Secondary"))
    from_scores = bench("Derby City Council", None, "", "East Midlands", qs={qs.key: 2 for qs in QUALITY_STATEMENTS})
    national = NationalTable("t", date(2026, 6, 1), "5 councils", ("s",), (
        bench("Rotherham Metropolitan Borough Council", 73, "South Yorkshire"), computed, from_scores,
        bench("Leeds City Council", 70), bench("Nowhere Council", None, "", "North East")))
    ranking = score_workbook(workbook(benchmarks=[]), national).national_ranking
    assert (ranking.out_of, ranking.published, ranking.computed) == (4, 2, 2)
    # The council's own published % counts as published only when it is what its scores give.
    assert score_workbook(workbook(benchmarks=[], published_overall_pct=72), national).national_ranking.published \
        == 2
    assert score_workbook(workbook(benchmarks=[bench("Rotherham Metropolitan Borough Council", None,
                                                     "South Yorkshire")], published_overall_pct=None),
                          national).national_ranking.published == 1
