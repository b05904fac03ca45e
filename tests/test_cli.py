"""The CLI through click's CliRunner: exact messages, exit codes, init → fill → validate → score."""

import json
from datetime import date

import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs import __version__
from cqcdocs.cli import main

GRID = [(2, 3, 3, 2), (3, 3, 3, 3), (2, 2, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2),
        (3, 3, 3, 3), (3, 3, 3, 3)]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def filled(tmp_path):
    """A workbook made by `cqcdocs init` and filled in as an officer would."""
    path = tmp_path / "council.xlsx"
    assert run("init", path).exit_code == 0
    wb = openpyxl.load_workbook(path)
    fields = {row[0].value: row[1] for row in wb["Assessment"].iter_rows(min_row=2)}
    fields["Council"].value = "Testshire County Council"
    fields["Region"].value = "East Midlands"
    fields["Assessment published"].value = "14/05/2026"
    fields["Published overall score %"].value = "73%"
    for r, scores in enumerate(GRID, start=2):
        for c, s in enumerate(scores, start=3):
            wb["Scores"].cell(r, c, s)
    wb["Findings"].append(["CQC assessment 2026", "Working with people", None, "Key strength", "**Good** front door"])
    wb["Governance"].append(["Cabinet", date(2026, 6, 8)])
    wb["Key dates"].append(["Onsite assessment", "14 July 2025", "17 July 2025"])
    wb["Next steps"].append(["Plan finalised", None])
    wb.save(path)
    return path


def test_version_and_help_show_examples():
    assert run("--version").output == f"cqcdocs, version {__version__}\n"
    for command in ("validate", "score", "brief", "annex", "check", "init"):
        assert "Example" in run(command, "--help").output


def test_init_fill_validate_round_trip(filled):
    result = run("validate", filled)
    assert (result.exit_code, result.output) == (0, "council.xlsx: valid (no problems)\n")


def test_score_table_and_json(filled):
    result = run("score", filled)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Testshire County Council"
    assert "Equity in experience and outcomes" in lines[5] and lines[5].endswith("57%      2  Requires improvement")
    assert lines[-1] == "Overall: 73% Good (26 of 36 from 9 quality statements)"
    data = json.loads(run("score", filled, "--json").output)
    assert [q["percentage"] for q in data["quality_statements"]] == [63, 75, 57, 63, 75, 75, 69, 75, 75]
    assert data["overall"] == {"percentage": 73, "rating": "Good", "total": 26, "statements_assessed": 9}
    assert all(t["derived"] for t in data["themes"])


def test_validate_reports_every_problem_with_its_cell(filled):
    wb = openpyxl.load_workbook(filled)
    wb["Scores"]["D3"] = "three"
    wb["Scores"]["C4"] = 5
    wb["Scores"]["B10"] = "Leadership capacity"
    wb["Governance"]["B2"] = "31/02/2026"
    wb["Assessment"]["B16"] = "72%"
    wb.save(filled)
    result = run("validate", filled)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Scores!D3: score must be a whole number 1–4, got 'three'",
        "Scores!C4: score must be a whole number 1–4, got '5'",
        "Scores!B10: unknown quality statement 'Leadership capacity': use one of CQC's nine (see docs/workbook.md)",
        "Scores: warning: quality statement 'Learning, improvement and innovation' is not listed; "
        "treated as not assessed",
        "Governance!B2: '31/02/2026' is not a real date",
        "council.xlsx: not valid (4 errors, 1 warning)",
    ]


def test_reconciliation_warnings_keep_the_workbook_valid(filled):
    wb = openpyxl.load_workbook(filled)
    wb["Assessment"]["B16"] = "72%"
    wb.save(filled)
    result = run("validate", filled)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Assessment!B16: warning: published overall score 72% differs from the computed 73% (26/36)",
        "council.xlsx: valid (1 warning)"]


def test_validate_json(filled):
    data = json.loads(run("validate", filled, "--json").output)
    assert data["valid"] is True and data["messages"] == []


def test_missing_sheet_and_column(filled):
    wb = openpyxl.load_workbook(filled)
    del wb["Key dates"]
    wb["Scores"].delete_cols(5)  # Processes
    wb.save(filled)
    result = run("validate", filled)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Scores!1:1: missing column 'Processes'",
        "Key dates: sheet 'Key dates' is missing (the workbook has 'Instructions', 'Lists', 'Assessment', "
        "'Scores', 'Findings', 'Governance', 'Next steps', 'Survey', 'Benchmarks', 'Metrics', 'Actions', 'Updates', "
        "'Recommendations', 'Key figures', 'Reviews', 'Section text', 'Commitments')",
        "council.xlsx: not valid (2 errors)"]


def test_duplicate_statement(filled):
    wb = openpyxl.load_workbook(filled)
    wb["Scores"]["B3"] = "Assessing needs"
    wb["Scores"]["A3"] = "Working with people"
    wb.save(filled)
    assert run("validate", filled).output.splitlines()[0] == (
        "Scores!B3: quality statement 'Assessing needs' is listed twice (also Scores!B2)")


def test_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = run("score", tmp_path / "nope.xlsx")
    assert (result.exit_code, result.output) == (1, "nope.xlsx: file not found\nError: nope.xlsx: not valid (1 error)\n")
    result = run("validate", tmp_path / "nope.xlsx")
    assert (result.exit_code, result.output) == (1, "nope.xlsx: file not found\nnope.xlsx: not valid (1 error)\n")


def test_init_refuses_to_overwrite(filled):
    before = filled.read_bytes()
    result = run("init", filled)
    assert (result.exit_code, result.output) == (1, f"Error: {filled} already exists; use --force to overwrite it\n")
    assert filled.read_bytes() == before


def test_init_has_drop_downs_and_the_nine_statements(tmp_path):
    path = tmp_path / "blank.xlsx"
    run("init", path)
    wb = openpyxl.load_workbook(path)
    assert [wb["Scores"].cell(r, 2).value for r in range(2, 11)][0] == "Assessing needs"
    assert wb["Scores"].cell(10, 2).value == "Learning, improvement and innovation"
    validations = {(dv.type, dv.formula1) for dv in wb["Scores"].data_validations.dataValidation}
    assert ("whole", "1") in validations
    assert any(dv.type == "list" and dv.formula1.startswith("Lists!$C$")
               for dv in wb["Actions"].data_validations.dataValidation)


def test_init_section_text_lists_the_briefing_sections(tmp_path):
    path = tmp_path / "blank.xlsx"
    run("init", path)
    wb = openpyxl.load_workbook(path)
    lists = {wb["Lists"].cell(1, c).value: c for c in range(1, wb["Lists"].max_column + 1)}
    column = openpyxl.utils.get_column_letter(lists["Briefing section"])
    formulas = {dv.formula1 for dv in wb["Section text"].data_validations.dataValidation}
    assert any(f.startswith(f"Lists!${column}$") for f in formulas)
    assert wb["Lists"].cell(2, lists["Briefing section"]).value == "Executive summary"


def test_init_region_prefills_benchmarks_from_the_national_table(tmp_path):
    path = tmp_path / "york.xlsx"
    assert run("init", path, "--region", "yorkshire and the humber").exit_code == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Benchmarks"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert len(rows) == 15
    assert rows["City of York Council"]["Overall score %"] == 0.39
    doncaster = rows["City of Doncaster Council"]
    # Computed from its nine scores, not published: the row says so, as the table does.
    assert doncaster["Overall score %"] == 0.64 and doncaster["Basis"] == "Computed; Secondary"
    assert doncaster["Published"] == "September 2025" and doncaster["Assessing needs"] == 2
    assert rows["City of York Council"]["Basis"] is None  # published
    assert rows["North Lincolnshire Council"]["Basis"] == "Pilot"
    assert wb["Assessment"]["B4"].value == "Yorkshire and the Humber"
    assert "as at June 2026" in wb["Instructions"].cell(wb["Instructions"].max_row, 1).value


def test_init_unknown_region_lists_the_regions(tmp_path):
    path = tmp_path / "x.xlsx"
    result = run("init", path, "--region", "Yorkshire")
    assert (result.exit_code, result.output) == (1, (
        "Error: unknown region 'Yorkshire': the national results table has East Midlands, East of England, "
        "London, North East, North West, South East, South West, West Midlands, Yorkshire and the Humber\n"))
    assert not path.exists()


def test_brief_on_a_bad_workbook_lists_every_problem_and_writes_nothing(filled, tmp_path):
    wb = openpyxl.load_workbook(filled)
    wb["Scores"]["D3"] = "three"
    wb["Governance"]["B2"] = "31/02/2026"
    wb.save(filled)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["brief", str(filled), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Scores!D3: score must be a whole number 1–4, got 'three'",
        "Governance!B2: '31/02/2026' is not a real date",
        "Error: council.xlsx: not valid (2 errors); nothing written",
    ]
    assert not out.exists()
