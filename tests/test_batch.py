"""Several workbooks in one `cqcdocs brief`: worker processes, results in order, failures isolated."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    result = run("brief", councils[0], broken, *councils[1:], "--out", out, "--jobs", jobs)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    wrote = [line for line in lines if line.startswith("Wrote ")]
    # Reported in the order given, whatever order the workers finish in.
    assert wrote == [f"Wrote {out / f'{name}-cqc-{kind}'}" for name in ("ashby", "brampton", "carrow")
                     for kind in ("briefing.docx", "annex.xlsx")]
    at = lines.index(f"Error: {broken}:")
    assert lines[at + 1:at + 3] == ["  broken.xlsx: is a text file, not an Excel workbook (.xlsx)",
                                    "  broken.xlsx: not valid (1 error)"]
    assert lines[-1] == "3 of 4 workbooks done"
    assert sorted(os.listdir(out)) == sorted(Path(w.split(" ", 1)[1]).name for w in wrote)


def test_two_workbooks_for_the_same_council_fail_loudly(councils, tmp_path):
    out = tmp_path / "out"
    result = run("brief", councils[0], councils[0], "--out", out, "--jobs", "2", "--no-annex")
    assert result.exit_code == 1
    assert (f"Error: {councils[0]}: wrote {out / 'ashby-cqc-briefing.docx'}, as {councils[0]} did: one "
            "replaced the other (give each council its own Short name, or write them to separate folders)"
            in result.output.splitlines())
    assert result.output.splitlines()[-1] == "1 of 2 workbooks done"
