"""Faults beyond bad workbooks: over-long names, pipes and devices, invisible required values, glyphs the
chart font lacks, and the wordings the docs promise. (Writing faults: tests/test_replace.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.contract import find_quality_statement, find_theme
from cqcdocs.load import load_workbook, read

sys.path.insert(0, str(Path(__file__).parent))
from workbook_factory import ASSESSMENT_ROW, make  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LONG = "x" * 300  # one name over the 255 bytes every common file system allows


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def cqcdocs(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command in its own process: a test of a hang must not hang the test run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "cqcdocs", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env)


# --- names over the system's length limit ---------------------------------------------------------

@pytest.mark.parametrize("command", [["validate"], ["score"], ["brief", "--out", "{out}"]])
def test_an_over_long_workbook_name_is_one_clear_line(tmp_path, command):
    workbook = tmp_path / f"{LONG}.xlsx"
    result = run(*command[:1], workbook, *[a.format(out=tmp_path / "out") for a in command[1:]])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception,
                                                                                         SystemExit)
    lines = result.output.splitlines()
    assert lines[0] == f"{workbook.name}: cannot be opened (File name too long)"
    assert lines[-1].endswith(f"{workbook.name}: not valid (1 error)" +
                              ("; nothing written" if command[0] == "brief" else ""))
    assert not (tmp_path / "out").exists()


def test_an_over_long_output_folder_is_one_clear_line(tmp_path):
    out = tmp_path / LONG
    result = run("brief", "--out", out)
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: cannot use this folder (File name too long)\n"
    result = run("annex", "--out", out / "papers")
    assert result.output == f"Error: {out / 'papers'}: cannot use this folder (File name too long)\n"
    assert os.listdir(tmp_path) == []


def test_an_over_long_template_name_is_one_clear_line(tmp_path):
    template = tmp_path / f"{LONG}.docx"
    result = run("brief", "--template", template, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == f"Error: {template.name}: cannot be opened (File name too long)\n"
    assert os.listdir(tmp_path) == []


def test_an_over_long_init_name_is_one_clear_line(tmp_path):
    target = tmp_path / f"{LONG}.xlsx"
    result = run("init", target)
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: cannot use this name (File name too long)\n"
    assert os.listdir(tmp_path) == []


# --- pipes, devices and enormous files --------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["validate", "score", "brief"])
def test_a_named_pipe_is_refused_at_once(tmp_path, command):
    pipe = tmp_path / "council.xlsx"
    os.mkfifo(pipe)
    result = cqcdocs(command, pipe, *(["--out", tmp_path / "out"] if command == "brief" else []), timeout=30)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "council.xlsx: is a named pipe, not a workbook" in (result.stdout + result.stderr).splitlines()
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it():
    result = cqcdocs("validate", "/dev/zero", timeout=30)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["zero: is a device, not a workbook", "zero: not valid (1 error)"]


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.xlsx"
    with open(huge, "wb") as f:
        f.truncate(200 * 2**20)  # sparse: no disk is used, but 200 MB would be read
    messages = read(huge)[1]
    assert [m.line() for m in messages] == ["huge.xlsx: is too large to be a workbook (200 MB; the limit is "
                                            "100 MB)"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_template_that_is_a_pipe_or_a_folder_is_refused(tmp_path):
    pipe = tmp_path / "styles.docx"
    os.mkfifo(pipe)
    result = cqcdocs("brief", "--template", pipe, "--out", tmp_path / "out", timeout=30)
    assert result.returncode == 1
    assert result.stderr == "Error: styles.docx: is a named pipe, not a Word document\n"
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    result = run("brief", "--template", folder, "--out", tmp_path / "out")
    assert result.output == "Error: folder.docx: is a folder, not a Word document\n"
    assert not (tmp_path / "out").exists()


# --- required values with nothing visible ----------------------------------------------------------

@pytest.mark.parametrize("value", ["_x0007_", "\u200b\u200b", "_x200B_\u2060", " \u00ad\u200e "],
                         ids=["excel-escape", "zero-width", "escaped-zero-width", "soft-hyphen-and-mark"])
def test_a_required_field_holding_only_invisible_characters_is_missing(tmp_path, value):
    council = f"Assessment!B{ASSESSMENT_ROW['Council']}"
    workbook = make(tmp_path / "w.xlsx", cells={council: value, "Findings!E3": value, "Actions!A2": value})
    model, messages = read(workbook)
    assert model is None
    errors = [m.line() for m in messages if m.level == "error"]
    hint = "; the cell holds only invisible characters"
    assert errors == [f"{council}: field 'Council' is required{hint}", f"Findings!E3: Finding is required{hint}",
                      f"Actions!A2: Ref is required{hint}"]


def test_an_invisible_short_name_falls_back_to_the_council(tmp_path):
    short = f"Assessment!B{ASSESSMENT_ROW['Short name']}"
    workbook = make(tmp_path / "w.xlsx", council="Rotherham Council", cells={short: "\u200b"})
    model, _ = load_workbook(workbook)
    assert model.assessment.short_name == "Rotherham Council"


def test_an_empty_cell_still_says_only_that_it_is_required(tmp_path):
    workbook = make(tmp_path / "w.xlsx", cells={"Findings!E3": "   "})
    assert [m.line() for m in read(workbook)[1] if m.level == "error"] == ["Findings!E3: Finding is required"]


# --- the docs and the wordings they promise ---------------------------------------------------------

def _listed(bullet: str) -> list[str]:
    """The `backticked` wordings in docs/workbook.md's bullet starting **BULLET**."""
    text = (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8")
    found = re.search(rf"^- \*\*{bullet}\*\*:(.*?)(?=^\S|^- )", text, re.S | re.M)
    assert found, bullet
    return re.findall(r"`([^`]+)`", found[1])


def test_every_quality_statement_wording_the_docs_list_is_accepted():
    wordings = _listed("Quality statements")
    assert len(wordings) >= 2
    assert [w for w in wordings if find_quality_statement(w) is None] == []


def test_every_theme_wording_the_docs_list_is_accepted():
    wordings = _listed("Themes")
    assert len(wordings) >= 6
    assert [w for w in wordings if find_theme(w) is None] == []


# --- characters the charts' font cannot draw -------------------------------------------------------

def test_characters_the_chart_font_lacks_are_one_warning_per_field_and_left_out_of_the_pictures(tmp_path):
    short = f"Assessment!B{ASSESSMENT_ROW['Short name']}"
    workbook = make(tmp_path / "w.xlsx", council="Rotherham Council",
                    cells={short: "Rotherham \U0001F3E5", "Benchmarks!A3": "Northshire \U0001F305 Council"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("brief", workbook, "--out", tmp_path / "out", "--charts", "picture")
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    # Word's own charts use the reader's fonts: nothing is left out, so nothing to warn about.
    native = run("brief", workbook, "--out", tmp_path / "native")
    assert native.exit_code == 0 and "chart pictures" not in native.output
    lines = result.output.splitlines()
    assert [line for line in lines if "chart pictures" in line] == [
        "Assessment: warning: Short name 'Rotherham \U0001F3E5': the chart pictures leave out \U0001F3E5 (their font has "
        "no such character)",
        "Benchmarks!3:3: warning: Council 'Northshire \U0001F305 Council': the chart pictures leave out \U0001F305 (their "
        "font has no such character)"]


def test_a_figure_keeps_what_its_font_draws_and_loses_only_what_it_cannot():
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from cqcdocs.render.charts import STYLE
    from cqcdocs.render.glyphs import fit_to_font

    with matplotlib.style.context(["default", STYLE]):
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.set_yticks([0, 1], ["Łódź \U0001F3E5 Council", "\U0001F3E5"])
        ax.set_title("Ynys Môn – 70%")
        fit_to_font(fig)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Łódź Council", "?"]
    assert ax.get_title() == "Ynys Môn – 70%"


# --- batches that survive their workers ---------------------------------------------------------------

FAULTY_BATCH = ("import sys; from cqcdocs import batch; batch._PRELOAD = batch._PRELOAD + ['batch_faults']; "
                "from cqcdocs.cli import main; sys.argv[0] = 'cqcdocs'; main()")


def faulty_batch(*args, env_extra=None, **popen):
    """`cqcdocs brief ARGS` with tests/batch_faults.py loaded into its workers (through the fork server's
    preload, which finds modules on PYTHONPATH)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")]), **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-c", FAULTY_BATCH, "brief", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **popen)


@pytest.mark.skipif(os.name != "posix", reason="needs signals and a fork server")
def test_a_worker_killed_fails_its_workbook_and_the_batch_goes_on(tmp_path):
    councils = [make(tmp_path / f"{name.lower()}.xlsx", council=f"{name} Council", short_name=name)
                for name in ("Ashby", "Kill", "Brampton", "Carrow", "Dunmore")]
    councils[1] = councils[1].rename(tmp_path / "kill-me.xlsx")
    out, summary = tmp_path / "out", tmp_path / "summary.csv"
    run = faulty_batch(*councils, "--out", out, "--jobs", "2", "--summary", summary)
    stdout, stderr = run.communicate(timeout=180)
    assert run.returncode == 1
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr, stderr
    assert stderr.splitlines() == [f"Error: {councils[1]}: not finished: the process making its documents was killed "
                                   "(SIGKILL, as the system does when memory runs out); any documents it was "
                                   "replacing are as they were"]
    assert stdout.splitlines()[-1] == "4 of 5 workbooks done"
    assert sorted(os.listdir(out)) == sorted(f"{n}-cqc-{k}" for n in ("ashby", "brampton", "carrow", "dunmore")
                                             for k in ("annex.xlsx", "briefing.docx"))
    assert [line.split(",")[2] for line in summary.read_text().splitlines()[1:]] == ["failed"] + ["written"] * 4


@pytest.mark.skipif(os.name != "posix", reason="needs signals and a fork server")
def test_sigterm_stops_every_worker_before_the_folder_is_let_go(tmp_path):
    import signal
    import time

    councils = [make(tmp_path / f"c{i}.xlsx", council=f"Council {i}", short_name=f"C{i}") for i in range(4)]
    pids = tmp_path / "pids"
    pids.mkdir()
    out = tmp_path / "out"
    run = faulty_batch(*councils, "--out", out, "--jobs", "2", env_extra={"CQCDOCS_TEST_SLOW": str(pids)})
    deadline = time.monotonic() + 60
    while not os.listdir(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    first = time.monotonic()
    while len(os.listdir(pids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p) for p in os.listdir(pids)]
    assert len(workers) == 2
    assert time.monotonic() - first < 4  # the two workers at work at once (each takes 5 s over a workbook)
    run.send_signal(signal.SIGTERM)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 1
    assert stderr.splitlines() == [f"Error: {out}: the batch was stopped (SIGTERM); the workbooks not finished were "
                                   "not written and their earlier documents are as they were"]
    for pid in workers:  # both were stopped before the parent let the folder go
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not out.exists() or os.listdir(out) == []


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="these file systems take only Unicode names")
def test_file_names_that_are_not_utf8_are_shown_as_text_in_a_batch(tmp_path):
    import json
    import shutil

    from cqcdocs.resources import EXAMPLE_WORKBOOK

    folder = os.fsencode(tmp_path)
    shutil.copyfile(EXAMPLE_WORKBOOK, folder + b"/caf\xe9.xlsx")  # saved on an older Windows share: Windows-1252
    with open(folder + b"/broken\xe9.xlsx", "w") as f:
        f.write("not a workbook")
    summary = tmp_path / "summary.json"
    result = cqcdocs("brief", os.fsdecode(folder + b"/caf\xe9.xlsx"), os.fsdecode(folder + b"/broken\xe9.xlsx"), "--out",
                     tmp_path / "out", "--summary", summary, "--jobs", "2", timeout=180)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == f"Error: {tmp_path}/brokené.xlsx:"
    rows = json.loads(summary.read_text(encoding="utf-8"))
    assert [(r["workbook"], r["status"]) for r in rows] == [(f"{tmp_path}/brokené.xlsx", "failed"),
                                                            (f"{tmp_path}/café.xlsx", "written")]
    import openpyxl

    annex = openpyxl.load_workbook(tmp_path / "out" / "rotherham-cqc-annex.xlsx")
    assert any("café.xlsx" in str(c.value) for ws in annex for row in ws.iter_rows() for c in row if c.value)


# --- small ones -------------------------------------------------------------------------------------------

def _append_only(folder: Path) -> bool:
    """Make FOLDER append-only (files can be made in it, not renamed or removed); False where that cannot be."""
    import shutil

    if os.name != "posix" or os.geteuid() != 0 or shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", "+a", str(folder)], capture_output=True).returncode == 0


def test_a_folder_that_allows_create_but_not_delete_is_one_line_leaving_one_empty_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    if not _append_only(out):
        pytest.skip("needs root and chattr on a file system with append-only folders")
    try:
        result = cqcdocs("brief", "--out", out, timeout=120)
        left = os.listdir(out)
    finally:
        subprocess.run(["chattr", "-a", str(out)], check=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(left) == 1 and re.fullmatch(r"\.cqcdocs\.[0-9a-f]{8}\.probe\.tmp", left[0])
    assert result.stderr == (f"Error: {out}: this folder lets files be made but not renamed or removed (Operation not "
                             f"permitted), which replacing documents safely needs; nothing written (remove {left[0]} "
                             "if you can)\n")
    assert (out / left[0]).stat().st_size == 0


def test_journey_on_northmoor_with_threads_named_only_in_actions(northmoor_workbook, tmp_path):
    # Northmoor's Actions name threads (Co-production, Workforce, Equality) that no finding does: raised by no
    # review (this was an IndexError).
    result = run("journey", northmoor_workbook, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "northmoor-improvement-journey.docx").is_file()


def test_progress_as_at_the_last_day_there_is(northmoor_workbook, tmp_path):
    result = run("progress", northmoor_workbook, "--as-at", "9999-12-31", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "12 actions are overdue and 0 are due in the next 30 days." in result.output.splitlines()


@pytest.mark.parametrize("args", [["progress", "{wb}", "--board", ""], ["progress", "{wb}", "--board", "  "],
                                  ["brief", "--committee", ""], ["journey", "{wb}", "--committee", ""]])
def test_an_empty_board_or_committee_is_refused(northmoor_workbook, tmp_path, args):
    result = run(*[a.format(wb=northmoor_workbook) for a in args], "--out", tmp_path / "out")
    assert result.exit_code == 2
    option = args[-2]
    assert result.output.splitlines()[-1] == (f"Error: Invalid value for '{option}': is empty: give the name as it "
                                              "is in the Governance sheet")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args, line", [
    (["validate", "."], ".: not valid (1 error)"),
    (["brief", "--template", "."], "Error: .: is a folder, not a Word document"),
    (["import-report", ".", "--out", "{tmp}/new.xlsx"], "Error: .: is a folder with no saved report in it (.txt, "
                                                        ".md, .html or .pdf)"),
    (["brief", ""], "Error: Invalid value for '[WORKBOOKS]...': is empty: give a file or folder name"),
    (["import-report", "", "--out", "{tmp}/new.xlsx"], "Error: Invalid value for 'REPORT...': is empty: give a file "
                                                       "or folder name"),
    (["init", ""], "Error: Invalid value for 'PATH': is empty: give a file or folder name")])
def test_a_name_that_is_a_folder_or_empty_is_named(tmp_path, monkeypatch, args, line):
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")  # "." is an empty folder
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code in (1, 2)
    assert result.output.splitlines()[-1] == line
    assert ": : " not in result.output and not result.output.startswith(": ")


def test_a_file_just_over_a_limit_says_by_how_much():
    from cqcdocs.files import megabytes

    limit = 20 * 2**20
    assert megabytes(limit + 1, limit) == "20,971,521 bytes"
    assert megabytes(limit + 3000, limit) == "20.003 MB"
    assert megabytes(30 * 2**20, limit) == "30 MB"


def test_a_report_just_over_the_limit_does_not_say_it_is_the_limit(tmp_path):
    report = tmp_path / "report.txt"
    with open(report, "wb") as f:
        f.truncate(20 * 2**20 + 5000)
    result = run("import-report", report, "--out", tmp_path / "new.xlsx")
    assert result.exit_code == 1
    assert result.output == ("Error: report.txt: is too large to be a saved report (20.005 MB; the limit is 20 MB)\n")
