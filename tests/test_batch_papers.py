"""`journey` and `progress` over several workbooks run as batches, as `brief` does (documents.PAPERS)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.resources import EXAMPLE_WORKBOOK

BROKEN_LINES = ["Error: {broken}:", "  broken.xlsx: is a text file, not an Excel workbook (.xlsx)",
                "  broken.xlsx: not valid (1 error)"]


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def workbooks(tmp_path, northmoor_workbook) -> list[Path]:
    """The bundled example (Rotherham), Northmoor, and a file that is not a workbook."""
    example = shutil.copyfile(EXAMPLE_WORKBOOK, tmp_path / "example.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    return [Path(example), northmoor_workbook, broken]


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _failure_block(output: str, broken: Path) -> list[str]:
    lines = output.splitlines()
    at = lines.index(f"Error: {broken}:")
    return lines[at:at + 3]


def test_journey_runs_as_a_batch_with_a_summary(workbooks, tmp_path):
    out, summary = tmp_path / "out", tmp_path / "journeys.csv"
    result = run("journey", *workbooks, "--out", out, "--jobs", 2, "--summary", summary)
    assert result.exit_code == 1  # one workbook failed; the others were written
    assert _failure_block(result.output, workbooks[2]) == [line.format(broken=workbooks[2]) for line in BROKEN_LINES]
    assert result.output.splitlines()[-1] == "2 of 3 workbooks done"
    assert sorted(p.name for p in out.iterdir()) == [
        "northmoor-improvement-journey.docx", "northmoor-improvement-journey.xlsx",
        "rotherham-improvement-journey.docx", "rotherham-improvement-journey.xlsx"]
    assert "Northmoor" in _text(out / "northmoor-improvement-journey.docx")
    assert "Rotherham" in _text(out / "rotherham-improvement-journey.docx")
    openpyxl.load_workbook(out / "northmoor-improvement-journey.xlsx").close()
    with summary.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # Failures first, then the councils in the order given; the paper's result where a briefing's rating goes.
    assert [(r["council"], r["status"], r["files"]) for r in rows] == [
        ("broken", "failed", "0"), ("Rotherham", "written", "2"), ("Northmoor", "written", "2")]
    assert rows[1]["overall"].endswith("recurring threads in 3 reviews")
    assert rows[2]["overall"] == "0 recurring threads in 2 reviews"


def test_progress_runs_as_a_batch_as_at_one_date(workbooks, tmp_path):
    out, summary = tmp_path / "out", tmp_path / "plans.json"
    result = run("progress", *workbooks, "--as-at", "2026-08-11", "--out", out, "--jobs", 2, "--summary", summary,
                 "--final")
    assert result.exit_code == 1
    assert _failure_block(result.output, workbooks[2]) == [line.format(broken=workbooks[2]) for line in BROKEN_LINES]
    lines = result.output.splitlines()
    assert lines[-1] == "2 of 3 workbooks done"
    assert any(line.startswith("Council ") and " Plan " in line for line in lines)
    rows = json.loads(summary.read_text(encoding="utf-8"))
    assert [(r["council"], r["status"], r["overall"]) for r in rows] == [
        ("broken", "failed", "failed"),
        ("Rotherham", "written", "The improvement plan is not yet agreed"),
        ("Northmoor", "written", "5 of 17 actions (29%) are complete")]
    # The batch's paper is the one a single run writes, with the same options.
    single = tmp_path / "single"
    alone = run("progress", workbooks[1], "--as-at", "2026-08-11", "--out", single, "--final")
    assert alone.exit_code == 0, alone.output
    name = "northmoor-improvement-plan-2026-08-11.docx"
    assert _text(out / name) == _text(single / name)
    assert "5 of 17 actions (29%) are complete" in _text(out / name)
    sheets = openpyxl.load_workbook(out / "northmoor-improvement-plan-2026-08-11.xlsx").sheetnames
    assert sheets == openpyxl.load_workbook(single / "northmoor-improvement-plan-2026-08-11.xlsx").sheetnames


def test_progress_batch_checks_its_options_before_any_workbook(workbooks, tmp_path):
    result = run("progress", *workbooks[:2], "--since", "2026-07-01", "--board", "Assurance", "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["Error: use --since or --board, not both"]
    assert not (tmp_path / "o").exists()
    result = run("journey", *workbooks[:2], "--summary", tmp_path / "s.txt", "--out", tmp_path / "o")
    assert result.output.splitlines() == [f"Error: {tmp_path / 's.txt'}: the summary file must end in .csv or .json"]
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["brief", "journey", "progress"])
def test_every_paper_offers_the_same_options(command):
    shown = run(command, "--help").output
    for option in ("--out", "--committee", "--template", "--final", "--pdf", "--jobs", "--summary", "--verbose"):
        assert option in shown, (command, option)
    assert f"{command} [OPTIONS] [WORKBOOKS]..." in shown


def test_a_progress_batch_with_pdfs_writes_each_councils_tagged_pdf(workbooks, tmp_path, soffice, pdf_text,
                                                                     monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out"
    result = run("progress", *workbooks[:2], "--as-at", "2026-08-11", "--out", out, "--jobs", 2, "--pdf",
                 "--committee", "Adults Scrutiny")
    # The example has no "Adults Scrutiny" meeting in its Governance sheet: that council fails, Northmoor is written.
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"northmoor-improvement-plan-2026-08-11.{kind}"
                                                     for kind in ("docx", "pdf", "xlsx")]
    text, pages = pdf_text(out / "northmoor-improvement-plan-2026-08-11.pdf")
    assert "5 of 17 actions" in text and pages >= 1
    assert result.output.splitlines()[-1] == "1 of 2 workbooks done"
    assert (f"Error: {workbooks[0]}: committee 'Adults Scrutiny' is not in the Governance sheet; its meetings are: "
            "Senior Management Team (SMT); Directorate Leadership Team (DLT); Strategic Leadership Team (SLT); "
            "Health Select Commission; Cabinet") in result.output.splitlines()


def test_a_paper_kind_added_to_the_registry_batches(tmp_path, monkeypatch, northmoor_workbook):
    # One line in documents.PAPERS is all a batch needs: claims, order, failures and the summary come with it.
    from cqcdocs import documents
    from cqcdocs.batch import run_batch
    from cqcdocs.batch_report import BatchReport
    from cqcdocs.load import load_workbook

    def plan_toy(path, out, options):
        workbook, warnings = load_workbook(path)
        name = workbook.assessment.short_name
        target = out / f"{name.lower()}-toy.txt"
        return ([(target, lambda tmp: tmp.write_text(f"{name} as a toy paper\n", encoding="utf-8"))],
                documents.Made(path, [], warnings, council=name, headline="a toy"))

    monkeypatch.setitem(documents.PAPERS, "toy", plan_toy)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    out = tmp_path / "out"
    view = BatchReport(2, terminal=False, column="Toy")
    failed = run_batch([northmoor_workbook, broken], out, jobs=1, report=view.report, fail=view.fail,
                       options=documents.Options(paper="toy", check=False))
    assert failed == 1
    assert (out / "northmoor-toy.txt").read_text(encoding="utf-8") == "Northmoor as a toy paper\n"
    assert [(r.council, r.overall) for r in view.sorted_rows()] == [("broken", "failed"), ("Northmoor", "a toy")]
    assert view.table()[0].split() == ["Council", "Toy", "Files", "Warnings", "Errors"]
