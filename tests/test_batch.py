"""Several workbooks in one `cqcdocs brief`: worker processes, results in order, failures isolated."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from workbook_factory import make  # noqa: E402


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def councils(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("councils")
    return [make(folder / f"{name}.xlsx", council=f"{name} Council", short_name=name)
            for name in ("Ashby", "Brampton", "Carrow")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_council_gets_its_documents_and_a_bad_workbook_stops_only_itself(councils, tmp_path, jobs):
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    out = tmp_path / "out"
    result = run("brief", councils[0], broken, *councils[1:], "--out", out, "--jobs", jobs, "--verbose")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    wrote = [line.strip() for line in lines if line.strip().startswith("Wrote ")]
    # Reported in the order given, whatever order the workers finish in.
    assert wrote == [f"Wrote {out / f'{name}-cqc-{kind}'}" for name in ("ashby", "brampton", "carrow")
                     for kind in ("briefing.docx", "annex.xlsx")]
    at = lines.index(f"Error: {broken}:")
    assert lines[at + 1:at + 3] == ["  broken.xlsx: is a text file, not an Excel workbook (.xlsx)",
                                    "  broken.xlsx: not valid (1 error)"]
    assert lines[-1] == "3 of 4 workbooks done"
    assert sorted(os.listdir(out)) == sorted(Path(w.split(" ", 1)[1]).name for w in wrote)
    # The summary puts the failure first.
    assert lines[lines.index("Council   Overall   Files  Warnings  Errors") + 1].startswith("broken    failed")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_councils_whose_file_names_clash_are_found_before_either_writes(tmp_path, jobs):
    # Two councils given the same Short name: their documents would have the same names. One writes; the
    # other writes nothing (it used to write over the first, then say so), and the summary says which.
    first = make(tmp_path / "first.xlsx", council="Ashby Borough Council", short_name="Ashby")
    second = make(tmp_path / "second.xlsx", council="Ashby District Council", short_name="Ashby")
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    result = run("brief", first, second, "--out", out, "--jobs", jobs, "--summary", summary)
    assert result.exit_code == 1
    rows = json.loads(summary.read_text(encoding="utf-8"))
    (written,) = [r for r in rows if r["status"] == "written"]
    (failed,) = [r for r in rows if r["status"] == "failed"]
    other = [w for w in (first, second) if str(w) != written["workbook"]][0]
    assert failed["workbook"] == str(other) and failed["files"] == 0
    assert failed["message"] == (f"not written: {out / 'ashby-cqc-briefing.docx'} is written by "
                                 f"{written['workbook']} (workbook {1 if written['workbook'] == str(first) else 2} "
                                 "of the batch); give each council its own Short name, or write them to separate "
                                 "folders")
    council = "Ashby Borough Council" if written["workbook"] == str(first) else "Ashby District Council"
    text = "\n".join(p.text for p in docx.Document(out / "ashby-cqc-briefing.docx").paragraphs)
    assert council in text and ({"Ashby Borough Council", "Ashby District Council"} - {council}).pop() not in text
    assert sorted(os.listdir(out)) == ["ashby-cqc-annex.xlsx", "ashby-cqc-briefing.docx"]
    assert result.output.splitlines()[-1] == "1 of 2 workbooks done"


def test_a_batch_in_a_log_is_one_counted_line_per_council_then_a_table(councils, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    result = CliRunner().invoke(main, ["brief", str(councils[0]), str(broken), str(councils[1]), "--out",
                                       str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "[1/3] Ashby: wrote 2 files",
        "[2/3] broken: failed",
        "[3/3] Brampton: wrote 2 files",
        "",
        "Council   Overall   Files  Warnings  Errors",
        "broken    failed        0         0       1",
        "Ashby     73% Good      2         0       0",
        "Brampton  73% Good      2         0       0",
        "2 of 3 workbooks done"]
    # Problems go to standard error, each under its workbook's path.
    assert result.stderr.splitlines() == [f"Error: {broken}:", "  broken.xlsx: is a text file, not an Excel "
                                          "workbook (.xlsx)", "  broken.xlsx: not valid (1 error)"]


def test_a_batch_on_a_terminal_shows_one_progress_bar_and_its_problems_after_it(councils, tmp_path):
    import io

    from cqcdocs.batch import run_batch
    from cqcdocs.batch_report import BatchReport

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, err = Terminal(), io.StringIO()
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    view = BatchReport(3, out=out, err=err)
    with view:
        failed = run_batch([councils[0], broken, councils[1]], tmp_path / "out", jobs=1, report=view.report,
                           fail=view.fail)
    view.finish()
    assert failed == 1
    screen = out.getvalue()
    frames = [f.strip() for f in re.sub(r"\x1b\[\?25[lh]", "", screen).split("\r") if f.strip().startswith("Councils")]
    assert frames[0].startswith("Councils  [------------------------------]  0/3")
    assert frames[-1].startswith("Councils  [##############################]  3/3")
    assert "Wrote" not in screen and "[1/3]" not in screen  # success is quiet: no per-file or counted lines
    assert screen.splitlines()[-1] == "2 of 3 workbooks done"
    assert err.getvalue().splitlines()[0] == f"Error: {broken}:"


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_the_summary_file_matches_the_documents_written(councils, tmp_path, suffix):
    import csv
    import json

    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    out, summary = tmp_path / "out", tmp_path / f"summary{suffix}"
    result = run("brief", councils[0], broken, councils[2], "--out", out, "--jobs", "2", "--summary", summary)
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    rows = json.loads(text) if suffix == ".json" else list(csv.DictReader(text.splitlines()))
    assert [(r["council"], r["status"], str(r["files"])) for r in rows] == [
        ("broken", "failed", "0"), ("Ashby", "written", "2"), ("Carrow", "written", "2")]
    assert rows[0]["message"] == "broken.xlsx: not valid (1 error)"
    written = sorted(os.listdir(out))
    assert written == ["ashby-cqc-annex.xlsx", "ashby-cqc-briefing.docx", "carrow-cqc-annex.xlsx",
                       "carrow-cqc-briefing.docx"]
    assert sum(int(r["files"]) for r in rows) == len(written)
    assert {str(r["overall_pct"]) for r in rows if r["status"] == "written"} == {"73"}


def test_a_summary_file_must_be_csv_or_json(councils, tmp_path):
    result = run("brief", councils[0], councils[1], "--out", tmp_path / "out", "--summary", tmp_path / "s.txt")
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {tmp_path / 's.txt'}: the summary file must end in .csv or .json"]
    assert not (tmp_path / "out").exists()


def test_a_single_workbook_keeps_its_plain_output(councils, tmp_path):
    out = tmp_path / "out"
    result = run("brief", councils[0], "--out", out)
    assert result.output.splitlines() == [f"Wrote {out / 'ashby-cqc-briefing.docx'}",
                                          f"Wrote {out / 'ashby-cqc-annex.xlsx'}",
                                          "Accessibility check: 0 errors, 0 warnings"]
