"""Writing faults: OS errors while writing, the briefing and annex replaced as a pair whatever stops the run
(a failure, Ctrl+C or a kill between any two steps), one writer per folder, and no folder left by a run
that wrote nothing."""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cqcdocs.output
import cqcdocs.render.annex
import cqcdocs.render.briefing
from cqcdocs.cli import main
from cqcdocs.errors import OutputError
from cqcdocs.output import folder_lock, write_all
from cqcdocs.resources import EXAMPLE_WORKBOOK

sys.path.insert(0, str(Path(__file__).parent))
from workbook_factory import make  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = "rotherham-cqc-briefing.docx"
ANNEX = "rotherham-cqc-annex.xlsx"
posix_only = pytest.mark.skipif(os.name != "posix" or not hasattr(os, "fork"), reason="needs fork and flock")


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in FOLDER (hidden ones too, so a left-over temporary file shows) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.fixture
def previous(tmp_path) -> Path:
    """An output folder holding yesterday's good briefing and annex."""
    out = tmp_path / "out"
    result = run("brief", "--out", out)
    assert result.exit_code == 0, result.output
    return out


# --- 1. OS errors while writing ---------------------------------------------------------------------

@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.ENAMETOOLONG, errno.EACCES, errno.EROFS,
                                  errno.EIO], ids=errno.errorcode.get)
def test_an_os_error_while_writing_is_one_line_and_changes_nothing(previous, monkeypatch, code):
    before = snapshot(previous)

    def failing(result, path, **kwargs):
        Path(path).write_bytes(b"PK\x03\x04 half a briefing")
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(cqcdocs.render.briefing, "write_briefing", failing)
    result = run("brief", "--out", previous)
    assert result.exit_code == 1
    assert result.output == f"Error: {previous / BRIEFING}: cannot write the file ({os.strerror(code)})\n"
    assert snapshot(previous) == before


def test_an_os_error_wrapped_by_the_annex_writer_is_one_line(previous, monkeypatch):
    from xlsxwriter.exceptions import FileCreateError

    before = snapshot(previous)

    def full(result, path, **kwargs):
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            raise FileCreateError(exc) from exc

    monkeypatch.setattr(cqcdocs.render.annex, "write_annex", full)
    result = run("brief", "--out", previous)
    assert result.output == f"Error: {previous / ANNEX}: cannot write the file (No space left on device)\n"
    assert snapshot(previous) == before


def test_an_os_error_in_a_batch_is_that_workbooks_error(tmp_path, monkeypatch):
    def full(result, path, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(cqcdocs.render.annex, "write_annex", full)
    out = tmp_path / "out"
    result = run("brief", EXAMPLE_WORKBOOK, EXAMPLE_WORKBOOK, "--out", out, "--jobs", "1")
    assert result.exit_code == 1
    assert (f"Error: {EXAMPLE_WORKBOOK}: {out / ANNEX}: cannot write the file (No space left on device)"
            in result.output.splitlines())
    assert "unexpected" not in result.output
    assert not out.exists()


FULL_DISK = ("import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
             "resource.setrlimit(resource.RLIMIT_FSIZE, (30000, 30000)); "
             "from cqcdocs.cli import main; sys.argv[0] = 'cqcdocs'; main()")


@posix_only
@pytest.mark.parametrize("workbooks", [1, 2], ids=["single", "batch"])
def test_a_real_file_size_limit_is_one_line_and_changes_nothing(previous, workbooks):
    # The operating system itself refuses the writes (EFBIG beyond a file size limit), inside the real
    # writers, in the real processes, batch workers included.
    before = snapshot(previous)
    args = [str(EXAMPLE_WORKBOOK)] * workbooks + ["--out", str(previous), "--jobs", "2"]
    result = subprocess.run([sys.executable, "-c", FULL_DISK, "brief", *args], capture_output=True, text=True,
                            env=env(), timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    lines = result.stderr.splitlines()
    if workbooks == 1:
        assert lines == [f"Error: {previous / BRIEFING}: cannot write the file (File too large)"]
    else:
        assert lines.count(f"Error: {EXAMPLE_WORKBOOK}: {previous / BRIEFING}: cannot write the file "
                           "(File too large)") == 2
    assert snapshot(previous) == before


# --- 5. the pair replaced whatever stops the run ----------------------------------------------------

OLD = {"a.docx": b"old a", "b.xlsx": b"old b"}
NEW = {"a.docx": b"new a", "b.xlsx": b"new b"}


def _write_pair(folder: Path) -> None:
    write_all([(folder / name, lambda p, data=data: p.write_bytes(data)) for name, data in NEW.items()])


def _steps_taken(folder: Path, monkeypatch) -> list[str]:
    steps: list[str] = []
    monkeypatch.setattr(cqcdocs.output, "_step", steps.append)
    _write_pair(folder)
    monkeypatch.setattr(cqcdocs.output, "_step", lambda name: None)
    return steps


def _stopped(folder: Path, plan: dict[int, str]) -> int:
    """Run _write_pair in a child process that, at the Nth step of PLAN, is killed outright ("kill": no
    clean-up runs at all) or interrupted ("interrupt": Ctrl+C). Returns the child's exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            count = 0

            def step(name: str) -> None:
                nonlocal count
                count += 1
                if plan.get(count) == "kill":
                    os._exit(137)
                if plan.get(count) == "interrupt":
                    raise KeyboardInterrupt

            cqcdocs.output._step = step
            _write_pair(folder)
        except KeyboardInterrupt:
            code = 2
        except BaseException:
            code = 3
        os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _start(folder: Path, previous: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, data in previous.items():
        (folder / name).write_bytes(data)


def _assert_readable_then_repaired(folder: Path, previous: dict[str, bytes], where: str) -> None:
    # At the moment of the kill: every name that was there holds a whole file, old or new.
    for name, data in previous.items():
        assert (folder / name).read_bytes() in (data, NEW[name]), where
    for name in NEW:
        if (folder / name).exists():
            assert (folder / name).read_bytes() in (previous.get(name), NEW[name]), where
    # The next run to take the folder finishes or undoes it: a whole set, and nothing else left.
    with folder_lock(folder):
        pass
    assert snapshot(folder) in (previous, NEW), where


@posix_only
@pytest.mark.parametrize("previous", [OLD, {"a.docx": b"old a"}, {}], ids=["pair", "briefing-only", "empty"])
def test_a_kill_between_any_two_steps_leaves_a_readable_pair_that_the_next_run_repairs(tmp_path, monkeypatch,
                                                                                       previous):
    folder = tmp_path / "out"
    _start(folder, previous)
    steps = _steps_taken(folder, monkeypatch)
    assert "journal forward" in steps and steps[-1] == "journal removed"
    for k, name in enumerate(steps, start=1):
        _start(folder, previous)
        assert _stopped(folder, {k: "kill"}) == 137
        _assert_readable_then_repaired(folder, previous, f"killed after step {k}: {name}")
    _start(folder, previous)
    assert _stopped(folder, {}) == 0
    assert snapshot(folder) == NEW


@posix_only
def test_ctrl_c_at_any_step_leaves_one_whole_pair_and_a_kill_while_undoing_is_repaired(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    _start(folder, OLD)
    steps = _steps_taken(folder, monkeypatch)
    for k, name in enumerate(steps, start=1):
        _start(folder, OLD)
        assert _stopped(folder, {k: "interrupt"}) == 2
        # Ctrl+C: the run cleans up itself, back to the old pair (or on, once the new one is all in place).
        assert snapshot(folder) in (OLD, NEW), f"interrupted after step {k}: {name}"
        assert snapshot(folder) == OLD or k >= steps.index(f"placed {list(NEW)[-1]}") + 1
        # ...and killed at each step of that clean-up, the next run completes it.
        for m in range(k + 1, k + 12):
            _start(folder, OLD)
            if _stopped(folder, {k: "interrupt", m: "kill"}) != 137:
                break
            _assert_readable_then_repaired(folder, OLD, f"interrupted after {name}, killed at step {m}")


@posix_only
def test_a_kill_during_brief_is_finished_by_the_next_run_in_the_folder(tmp_path):
    # Yesterday's pair is from one workbook, today's from another, so a mixed pair would show.
    yesterday = make(tmp_path / "yesterday.xlsx", council="Rotherham Council", short_name="Rotherham")
    today = make(tmp_path / "today.xlsx", council="Rotherham Metropolitan Borough Council", short_name="Rotherham")
    out, reference = tmp_path / "out", tmp_path / "reference"
    assert run("brief", yesterday, "--out", out).exit_code == 0
    old = snapshot(out)
    assert run("brief", today, "--out", reference).exit_code == 0
    new = snapshot(reference)
    assert old != new
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: killed just after the briefing took its name
        def step(name: str) -> None:
            if name == f"placed {BRIEFING}":
                os._exit(137)

        cqcdocs.output._step = step
        run("brief", today, "--out", out)
        os._exit(0)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 137
    assert (out / BRIEFING).read_bytes() == new[BRIEFING] and (out / ANNEX).read_bytes() == old[ANNEX]
    # Any later run that writes into the folder (here another council's annex) finishes it first.
    other = make(tmp_path / "other.xlsx", council="Barnsley Council", short_name="Barnsley")
    assert run("annex", other, "--out", out).exit_code == 0
    assert snapshot(out) == {**new, "barnsley-cqc-annex.xlsx": (out / "barnsley-cqc-annex.xlsx").read_bytes()}


def test_files_left_by_interrupted_runs_are_tidied_and_others_kept(previous):
    left = {".cqcdocs.0123abcd.rotherham-cqc-briefing.docx.tmp": b"half", f".cqcdocs.0123abcd.{ANNEX}.old": b"x",
            ".cqcdocs.0123abcd.journal.tmp": b"{", f".{BRIEFING}.4242.old": b"old",
            ".rotherham-cqc-briefing.ab12cd34.docx.tmp": b"half", ".notes.tmp": b"mine", "draft.old": b"mine"}
    for name, data in left.items():
        (previous / name).write_bytes(data)
    assert run("brief", "--out", previous).exit_code == 0
    assert sorted(os.listdir(previous)) == [".notes.tmp", "draft.old", ANNEX, BRIEFING]


def test_a_file_an_older_cqcdocs_moved_aside_is_put_back(previous):
    briefing = (previous / BRIEFING).read_bytes()
    os.replace(previous / BRIEFING, previous / f".{BRIEFING}.4242.old")
    with folder_lock(previous):
        pass
    assert snapshot(previous) == {ANNEX: snapshot(previous)[ANNEX], BRIEFING: briefing}


# --- 6. one writer per folder -------------------------------------------------------------------------

HOLD = ("import sys, time; from pathlib import Path; from cqcdocs.output import folder_lock\n"
        "with folder_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(120)")


@posix_only
def test_a_second_run_waits_then_names_the_run_holding_the_folder(tmp_path, monkeypatch):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True, env=env())
    try:
        assert holder.stdout.readline() == "held\n"
        monkeypatch.setattr(cqcdocs.output, "LOCK_WAIT", 0.3)
        started = time.monotonic()
        for args in (["brief"], ["brief", EXAMPLE_WORKBOOK, EXAMPLE_WORKBOOK], ["annex"]):
            result = run(*args, "--out", out)
            assert result.exit_code == 1
            assert re.fullmatch(rf"Error: {re.escape(str(out))}: another cqcdocs run \(process {holder.pid}, since "
                                r"\d\d:\d\d:\d\d\) is writing to this folder; try again when it has finished\n",
                                result.output), result.output
        assert time.monotonic() - started >= 0.9  # each waited before giving up
        assert os.listdir(out) == [".cqcdocs.lock"]
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(30)
    # The holder was killed, not let go: the lock went with its process.
    assert run("brief", "--out", out).exit_code == 0
    assert sorted(os.listdir(out)) == [ANNEX, BRIEFING]


def _racer(folder: str, tag: str, barrier) -> None:
    def slow(data: bytes):
        def write(p: Path) -> None:
            p.write_bytes(data)
            time.sleep(0.01)
        return write

    barrier.wait()
    write_all([(Path(folder) / "a.docx", slow(f"{tag} a".encode())), (Path(folder) / "b.xlsx", slow(f"{tag} b".encode()))])


@posix_only
def test_two_writers_at_once_always_leave_one_run_s_pair(tmp_path):
    ctx = multiprocessing.get_context("fork")
    folder = tmp_path / "out"
    for round_ in range(12):
        barrier = ctx.Barrier(2)
        racers = [ctx.Process(target=_racer, args=(str(folder), f"{round_}{who}", barrier)) for who in "xy"]
        for r in racers:
            r.start()
        for r in racers:
            r.join(60)
        assert [r.exitcode for r in racers] == [0, 0]
        files = snapshot(folder)
        assert sorted(files) == ["a.docx", "b.xlsx"]
        assert files["a.docx"][:-2] == files["b.xlsx"][:-2], files


@posix_only
def test_two_real_brief_runs_at_once_both_succeed_with_one_pair(tmp_path):
    first = make(tmp_path / "first.xlsx", council="Rotherham Council", short_name="Rotherham")
    second = make(tmp_path / "second.xlsx", council="Rotherham Metropolitan Borough Council", short_name="Rotherham")
    pairs = []
    for workbook in (first, second):
        assert run("brief", workbook, "--out", tmp_path / workbook.stem).exit_code == 0
        pairs.append(snapshot(tmp_path / workbook.stem))
    out = tmp_path / "out"
    for _ in range(2):
        runs = [subprocess.Popen([sys.executable, "-m", "cqcdocs", "brief", str(w), "--out", str(out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
                for w in (first, second)]
        outputs = [r.communicate(timeout=120) for r in runs]
        assert [r.returncode for r in runs] == [0, 0], outputs
        assert snapshot(out) in pairs


# --- 7. no folder for a run that writes nothing ---------------------------------------------------------

@pytest.mark.parametrize("args", [["--committee", "Nope"], ["--template", "{missing}"], ["{broken}"],
                                  ["{broken}", "{broken}", "--jobs", "1"]],
                         ids=["committee", "template", "workbook", "batch"])
def test_a_run_that_writes_nothing_leaves_no_folder(tmp_path, args):
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    out = tmp_path / "new" / "papers"
    result = run("brief", *[a.format(missing=tmp_path / "missing.docx", broken=tmp_path / "broken.xlsx")
                            for a in args], "--out", out)
    assert result.exit_code == 1
    assert sorted(os.listdir(tmp_path)) == ["broken.xlsx"]


def test_a_full_disk_leaves_no_new_folder(tmp_path, monkeypatch):
    def full(result, path, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(cqcdocs.render.annex, "write_annex", full)
    assert run("brief", "--out", tmp_path / "new").exit_code == 1
    assert os.listdir(tmp_path) == []


def test_a_folder_made_only_on_the_way_is_removed(tmp_path):
    result = run("annex", "--out", tmp_path / "a" / "missing" / ".." / "papers")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path / "a")) == ["papers"]
    assert os.listdir(tmp_path / "a" / "papers") == [ANNEX]


def test_write_all_reports_its_own_errors_without_touching_other_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"b\.txt: cannot write the file \(Input/output error\)$"):
        write_all([(tmp_path / "a.txt", lambda p: p.write_text("a")),
                   (tmp_path / "b.txt", lambda p: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))])
    assert snapshot(tmp_path) == {"keep.txt": b"mine"}


# --- 8. shared folders: the lock and the journal trust nothing they did not make -------------------------

@posix_only
def test_a_symbolic_link_planted_as_the_lock_never_touches_its_target(tmp_path):
    victim = tmp_path / "minutes.docx"
    victim.write_bytes(b"the officer's own paper")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cqcdocs.lock").symlink_to(victim)
    result = run("annex", "--out", out)
    assert result.exit_code == 1
    assert result.output == (f"Error: {out / '.cqcdocs.lock'}: is a symbolic link, not cqcdocs's lock file; nothing "
                             "written (remove it and run again)\n")
    assert victim.read_bytes() == b"the officer's own paper"
    assert os.listdir(out) == [".cqcdocs.lock"]


@posix_only
@pytest.mark.parametrize("plant", ["dangling", "fifo", "hard link"])
def test_anything_else_at_the_lock_s_name_ends_at_once_with_one_line(tmp_path, plant):
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".cqcdocs.lock"
    if plant == "dangling":
        lock.symlink_to(tmp_path / "no" / "such" / "folder")
    elif plant == "fifo":
        os.mkfifo(lock)
    else:
        (tmp_path / "paper.docx").write_bytes(b"mine")
        os.link(tmp_path / "paper.docx", lock)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "cqcdocs", "annex", "--out", str(out)], capture_output=True,
                            text=True, env=env(), timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    what = {"dangling": "a symbolic link", "fifo": "a named pipe",
            "hard link": "a second name of another file (a hard link)"}[plant]
    assert result.stderr == (f"Error: {lock}: is {what}, not cqcdocs's lock file; nothing written (remove it and "
                             "run again)\n")
    if plant == "hard link":
        assert (tmp_path / "paper.docx").read_bytes() == b"mine"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_folder_that_takes_no_new_file_ends_at_once_with_one_line():
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "cqcdocs", "annex", "--out", "/proc"], capture_output=True,
                            text=True, env=env(), timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert result.stderr == "Error: /proc: cannot write to this folder (No such file or directory)\n"


def _journal(folder: Path, run_id: str, state: str, moves: list[dict]) -> Path:
    import json

    path = folder / f".cqcdocs.{run_id}.journal"
    path.write_text(json.dumps({"cqcdocs": 2, "state": state, "moves": moves}))
    return path


@pytest.mark.parametrize("case", ["names another paper", "stale: back with no old", "copied from another folder",
                                  "old format"])
def test_a_journal_acts_only_on_files_carrying_its_own_run_s_marker(tmp_path, case, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"another paper")
    (folder / "spare.docx").write_bytes(b"a file someone left")
    made = [os.lstat(folder / "spare.docx").st_ino, 19]
    if case == "names another paper":  # forward: "spare.docx" would replace the minutes
        moves = [{"new": "spare.docx", "target": "minutes.docx", "old": None, "made": made}]
        journal = _journal(folder, "0123abcd", "forward", moves)
    elif case == "stale: back with no old":  # back: "remove the new file" would delete the minutes, written since
        moves = [{"new": ".cqcdocs.0123abcd.minutes.docx.tmp", "target": "minutes.docx", "old": None, "made": [1, 13]}]
        journal = _journal(folder, "0123abcd", "back", moves)
    elif case == "copied from another folder":  # its new file here is not the one it recorded
        (folder / ".cqcdocs.0123abcd.minutes.docx.tmp").write_bytes(b"a copy")
        moves = [{"new": ".cqcdocs.0123abcd.minutes.docx.tmp", "target": "minutes.docx", "old": None,
                  "made": [1, 6]}]
        journal = _journal(folder, "0123abcd", "forward", moves)
    else:  # an earlier cqcdocs's journal records no file identity
        moves = [{"new": ".cqcdocs.0123abcd.minutes.docx.tmp", "target": "minutes.docx", "old": None}]
        journal = _journal(folder, "0123abcd", "back", moves)
    with folder_lock(folder):
        pass
    assert (folder / "minutes.docx").read_bytes() == b"another paper"
    assert (folder / "spare.docx").read_bytes() == b"a file someone left"
    assert journal.exists()  # left, and said
    reason = {"names another paper": "it names files its run did not make",
              "stale: back with no old": "minutes.docx is not the file the journal recorded",
              "copied from another folder": ".cqcdocs.0123abcd.minutes.docx.tmp is not the file the journal recorded",
              "old format": "it names files its run did not make"}[case]
    assert capsys.readouterr().err == f"warning: {journal}: left as it is, with the files it names: {reason}\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to plant another user's file")
def test_a_journal_does_not_move_another_user_s_file(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(b"another paper")
    planted = folder / ".cqcdocs.0123abcd.minutes.docx.tmp"
    planted.write_bytes(b"planted")
    os.chown(planted, 12345, 12345)
    info = os.lstat(planted)
    journal = _journal(folder, "0123abcd", "forward", [{"new": planted.name, "target": "minutes.docx", "old": None,
                                                        "made": [info.st_ino, info.st_size]}])
    with folder_lock(folder):
        pass
    assert (folder / "minutes.docx").read_bytes() == b"another paper"
    assert "belongs to another user" in capsys.readouterr().err and journal.exists()


# --- 9. only ordinary files are replaced ----------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("command", ["init", "import-report", "summary"])
def test_a_pipe_or_device_named_as_output_is_refused_even_with_force(tmp_path, command):
    fifo = tmp_path / ("null.csv" if command == "summary" else "null")
    os.mkfifo(fifo)
    report = tmp_path / "report.txt"
    report.write_text("not read")
    args = {"init": ["init", fifo, "--force"], "import-report": ["import-report", report, "--out", fifo, "--force"],
            "summary": ["brief", EXAMPLE_WORKBOOK, EXAMPLE_WORKBOOK, "--out", tmp_path / "out", "--summary", fifo]}
    result = subprocess.run([sys.executable, "-m", "cqcdocs", *map(str, args[command])], capture_output=True,
                            text=True, env=env(), timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"Error: {fifo}: is a named pipe, not a file; cqcdocs replaces only ordinary files\n"
    assert sorted(os.listdir(tmp_path)) == sorted([fifo.name, "report.txt"])
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="making a device needs root")
def test_a_device_named_as_output_is_not_replaced_as_root(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a null device of our own, not the system's
    result = run("init", null, "--force")
    assert result.output == f"Error: {null}: is a device, not a file; cqcdocs replaces only ordinary files\n"
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.listdir(tmp_path) == ["null"]


def test_the_summary_may_not_be_one_of_the_workbooks(tmp_path):
    workbook = tmp_path / "a.csv"
    shutil.copyfile(EXAMPLE_WORKBOOK, workbook)
    result = run("brief", workbook, EXAMPLE_WORKBOOK, "--out", tmp_path / "out", "--summary", workbook)
    assert result.exit_code == 1
    assert result.output == (f"Error: {workbook}: is one of the workbooks; the summary would replace it, so give it "
                             "another name\n")
    assert workbook.read_bytes() == EXAMPLE_WORKBOOK.read_bytes() and not (tmp_path / "out").exists()


def test_summary_cells_that_a_spreadsheet_would_run_as_formulas_are_text(tmp_path):
    import csv

    from cqcdocs.batch_report import BatchReport

    view = BatchReport(4, out=open(os.devnull, "w"), err=open(os.devnull, "w"), terminal=False)
    for name in ("=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Plain"):
        view.fail(tmp_path / f"{name}.xlsx", [f"{name}: not valid (1 error)"])
    summary = tmp_path / "s.csv"
    view.write_summary(summary)
    with open(summary, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["council"] for r in rows] == ["'=HYPERLINK(\"x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR",
                                            "Plain"]
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
