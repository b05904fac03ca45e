"""A quality statement scored without evidence categories (as CQC publishes it, and as import-report fills a
workbook) has no percentage: none is shown anywhere, the score and rating are, and the papers say why."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from workbook_factory import SCORES_COL, build, save

from cqcdocs.cli import main
from cqcdocs.documents import load_and_score
from cqcdocs.render.chart_defs import chart_definitions
from cqcdocs.render.sentences import overall_method_sentence

SCORES = [3, 3, 2, 3, 3, 3, 3, 3, 3]  # Rotherham 2026 as CQC published it: 73% Good
WHY = ("No percentage is shown for a quality statement: CQC publishes each one's score (1 to 4), not the "
       "evidence-category scores its percentage is worked out from.")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def scores_only(**cells):
    """Cells for a workbook whose Scores sheet has CQC's nine scores and no evidence-category scores."""
    out = {}
    for r, score in enumerate(SCORES, start=2):
        for name in ("People's experience", "Feedback from staff and leaders", "Processes",
                     "Feedback from partners", "Outcomes"):
            out[f"Scores!{SCORES_COL[name]}{r}"] = None
        out[f"Scores!{SCORES_COL['Score']}{r}"] = score
    return {**out, **cells}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return save(build(council="Testshire County Council", cells=scores_only()),
                tmp_path_factory.mktemp("scores-only") / "scores-only.xlsx")


@pytest.fixture(scope="module")
def papers(workbook, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("papers")
    result = run("brief", workbook, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_score_prints_no_statement_percentage_and_says_why(workbook):
    result = run("score", workbook)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[5].startswith("Equity in experience and outcomes") and lines[5].endswith(
        "\u2014      2  Requires improvement")
    assert not any(re.search(r"\d%", line) for line in lines[3:12])
    assert lines[-2:] == ["Overall: 73% Good (26 of 36 from 9 quality statements)", WHY]


def test_score_json_gives_null_percentages(workbook):
    data = json.loads(run("score", workbook, "--json").output)
    assert [q["percentage"] for q in data["quality_statements"]] == [None] * 9
    assert [q["score"] for q in data["quality_statements"]] == SCORES
    assert data["quality_statements"][2]["rating"] == "Requires improvement"
    assert data["overall"] == {"percentage": 73, "rating": "Good", "total": 26, "statements_assessed": 9}


def test_the_published_overall_is_reconciled_with_the_one_from_the_scores(tmp_path):
    path = save(build(cells=scores_only(**{"Assessment!B13": 0.78})), tmp_path / "w.xlsx")
    result = run("validate", path)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == ("Assessment!B13: warning: published overall score 78% differs from "
                                             "the computed 73% (26/36)")
    result, _ = load_and_score(path)
    assert overall_method_sentence(result).endswith("rounded up to a whole per cent. The published figure is 78%.")


def test_the_briefing_shows_scores_and_ratings_not_percentages(papers):
    document = docx.Document(str(papers / "testshire-cqc-briefing.docx"))
    text = [p.text for p in document.paragraphs]
    assert WHY in text
    assert "Rated below Good: Equity in experience and outcomes (Requires improvement, score 2)." in text
    assert ("The overall score is worked out by CQC's method from the quality statement scores alone: their total "
            "(26) as a percentage of the most the nine statements assessed could score (36), rounded up to a whole "
            "per cent. It matches the published 73%. CQC's rating bands are:") in text
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Quality statement")
    assert [c.text for c in grid.rows[0].cells] == ["Quality statement", "Score", "Rating"]
    assert [r.cells[1].text for r in grid.rows[1:]] == [str(s) for s in SCORES]
    assert grid.rows[3].cells[2].text == "Requires improvement"
    # Not "50%" for a 2 nor "75%" for a 3 anywhere a statement is named: not in the text, nor the charts.
    body = "\n".join(text)
    assert not re.search(r"(outcomes|needs|Safeguarding|innovation)[^.\n]*\b\d+%", body)
    with zipfile.ZipFile(papers / "testshire-cqc-briefing.docx") as z:
        charts = {n: z.read(n).decode() for n in z.namelist() if n.startswith("word/charts/chart")}
    statements = next(x for x in charts.values() if "Quality statement score (1 to 4)" in x)
    values = re.findall(r"<c:v>([^<]*)</c:v>", statements.split("<c:val>")[1].split("</c:val>")[0])
    assert values == [str(s) for s in SCORES]
    assert "50%" not in statements and "75%" not in statements


def test_the_annex_leaves_the_percentages_blank_and_charts_the_scores(papers):
    wb = openpyxl.load_workbook(papers / "testshire-cqc-annex.xlsx")
    ws = wb["Scores"]
    header = [c.value for c in ws[3]]
    rows = list(ws.iter_rows(min_row=4, max_row=12, values_only=True))
    assert [r[header.index("Computed %")] for r in rows] == [None] * 9
    assert [r[header.index("Computed score")] for r in rows] == SCORES
    assert WHY in [c.value for row in ws.iter_rows(min_row=13) for c in row]
    contents = [c.value for row in wb["Contents"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith(WHY) for v in contents)
    with zipfile.ZipFile(papers / "testshire-cqc-annex.xlsx") as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    statements = next(x for x in charts if "Quality statement scores (1 to 4)" in x)
    column = header.index("Computed score")
    assert f"Scores!${chr(ord('A') + column)}$4:${chr(ord('A') + column)}$12" in statements
    assert not any("Evidence category scores" in x for x in charts)  # no categories: no profile of them


def test_every_chart_definition_keeps_to_the_scores(workbook):
    result, _ = load_and_score(workbook)
    statements = next(c for c in chart_definitions(result) if c.key == "statements")
    assert statements.series[0].values == tuple(SCORES)
    assert statements.series[0].labels[2] == "2 Requires improvement"
    assert statements.bands == ()
    assert "Equity in experience and outcomes 2 (Requires improvement)" in statements.alt_text
    assert not re.search(r"\d%", statements.alt_text.split(" Overall ")[0])


SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "001_1a4ce532dcc8465d.txt"


@pytest.mark.skipif(not SEED.is_file(), reason="the seed report (../shared/seeds/) is not beside the checkout")
def test_imported_from_the_seed_no_statement_percentage_and_73_good(tmp_path):
    imported = tmp_path / "imported.xlsx"
    assert run("import-report", SEED, "--out", imported).exit_code == 0
    data = json.loads(run("score", imported, "--json").stdout)
    assert [q["percentage"] for q in data["quality_statements"]] == [None] * 9
    assert (data["overall"]["percentage"], data["overall"]["rating"]) == (73, "Good")
    assert run("brief", imported, "--out", tmp_path / "out").exit_code == 0
    text = [p.text for p in docx.Document(str(tmp_path / "out" / "rotherham-cqc-briefing.docx")).paragraphs]
    assert WHY in text
    assert "Rated below Good: Equity in experience and outcomes (Requires improvement, score 2)." in text
    assert not any("50%" in t for t in text)
