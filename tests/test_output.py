"""Safe output: files appear whole or not at all, as a set; clear errors; the source is never touched."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import cqcdocs.render.annex
import cqcdocs.output
from cqcdocs.cli import main
from cqcdocs.errors import OutputError
from cqcdocs.output import slug, write_all
from cqcdocs.resources import EXAMPLE_WORKBOOK

BRIEFING = "rotherham-cqc-briefing.docx"
ANNEX = "rotherham-cqc-annex.xlsx"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in FOLDER (hidden ones too, so a left-over temporary file shows) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def previous(tmp_path) -> Path:
    """An output folder holding yesterday's good briefing and annex."""
    out = tmp_path / "out"
    result = run("brief", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(out)) == [ANNEX, BRIEFING]
    return out


def test_a_failing_renderer_leaves_the_previous_files_intact(previous, monkeypatch):
    before = snapshot(previous)

    def half_written(result, path, **kwargs):
        Path(path).write_bytes(b"PK\x03\x04 half an annex")
        raise OutputError(f"{path.name}: disk full")

    monkeypatch.setattr(cqcdocs.render.annex, "write_annex", half_written)
    result = run("brief", "--out", previous)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # The briefing was complete before the annex failed, but it must not replace yesterday's alone.
    assert snapshot(previous) == before


def test_an_interrupted_run_leaves_no_temporary_files(tmp_path):
    (tmp_path / "a.txt").write_text("yesterday")

    def interrupted(path: Path) -> None:
        path.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_all([(tmp_path / "a.txt", lambda p: p.write_text("today")), (tmp_path / "b.txt", interrupted)])
    assert snapshot(tmp_path) == {"a.txt": b"yesterday"}


def test_a_failed_move_puts_every_previous_file_back(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"yesterday's {name}")
    real_replace = os.replace

    def replace(src, dst):
        # Moving the second new file into place fails after the first has landed.
        if str(dst).endswith("b.txt") and ".tmp" in str(src):
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(cqcdocs.output.os, "replace", replace)
    with pytest.raises(OutputError, match=r"b\.txt: cannot replace the file; is it open in Word or Excel\? "
                                          r"\(Permission denied\)$"):
        write_all([(tmp_path / "a.txt", lambda p: p.write_text("new a")),
                   (tmp_path / "b.txt", lambda p: p.write_text("new b"))])
    assert snapshot(tmp_path) == {"a.txt": b"yesterday's a.txt", "b.txt": b"yesterday's b.txt"}


def test_a_file_open_elsewhere_is_a_clear_error_and_nothing_changes(previous, monkeypatch):
    before = snapshot(previous)
    real_replace = os.replace

    def locked(src, dst):
        # Windows refuses to replace a file Word has open: the new briefing cannot take its name.
        if Path(dst).name == BRIEFING:
            raise PermissionError(13, "Permission denied")
        return real_replace(src, dst)

    monkeypatch.setattr(cqcdocs.output.os, "replace", locked)
    result = run("brief", "--out", previous)
    assert result.exit_code == 1
    assert result.output == (f"Error: {previous / BRIEFING}: cannot replace the file; is it open in Word or "
                             "Excel? (Permission denied)\n")
    assert snapshot(previous) == before


def test_a_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    # Tests run as root in CI, where chmod cannot make a folder read-only: fail where the OS would.
    real_open = os.open

    def refused(path, *args, **kwargs):
        if Path(path).name.startswith(".cqcdocs."):  # the lock file and temporary files
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cqcdocs.output.os, "open", refused)
    result = run("brief", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: cannot write to this folder (Permission denied)\n"
    assert os.listdir(tmp_path) == []


def test_out_that_is_a_file_is_a_clear_error(tmp_path):
    taken = tmp_path / "papers"
    taken.write_text("not a folder")
    result = run("brief", "--out", taken)
    assert result.exit_code == 1
    assert result.output == f"Error: {taken}: is a file, not a folder\n"
    result = run("brief", "--out", taken / "cabinet")
    assert result.output == f"Error: {taken / 'cabinet'}: cannot be created: {taken} is a file\n"
    assert taken.read_text() == "not a folder"


def test_a_folder_where_the_briefing_goes_is_a_clear_error(tmp_path):
    (tmp_path / BRIEFING).mkdir()
    result = run("brief", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / BRIEFING}: is a folder; remove or rename it\n"
    assert sorted(os.listdir(tmp_path)) == [BRIEFING]


def test_out_is_created_with_its_parents(tmp_path):
    out = tmp_path / "committee" / "2026" / "cabinet"
    result = run("annex", "--out", out)
    assert result.exit_code == 0, result.output
    assert os.listdir(out) == [ANNEX]


def test_new_files_are_readable_by_colleagues(tmp_path):
    # mkstemp makes 0600 files; a paper on a shared drive must get the usual permissions.
    old = os.umask(0o022)
    try:
        assert run("brief", "--out", tmp_path).exit_code == 0
    finally:
        os.umask(old)
    for name in (BRIEFING, ANNEX):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


@pytest.mark.parametrize("args", [
    ["validate", "{wb}"], ["validate", "{wb}", "--json"], ["score", "{wb}"], ["score", "{wb}", "--json"],
    ["brief", "{wb}", "--out", "{out}"], ["brief", "{wb}", "--out", "{out}", "--committee", "Health Select",
                                          "--final"],
    ["annex", "{wb}", "--out", "{out}"], ["check", "{wb}"], ["init", "{wb}"],
    ["brief", "{wb}", "{wb}", "--out", "{out}", "--jobs", "1"],
], ids=lambda a: " ".join(a).replace("{wb}", "W").replace("{out}", "O"))
def test_no_command_touches_the_source_workbook(tmp_path, args):
    source = tmp_path / "source" / "council.xlsx"
    source.parent.mkdir()
    shutil.copy2(EXAMPLE_WORKBOOK, source)
    os.utime(source, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    run(*[a.format(wb=source, out=tmp_path / "out") for a in args])
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert os.listdir(source.parent) == ["council.xlsx"]  # no lock, backup or temporary file beside it


@pytest.mark.parametrize("name, expected", [
    ("Rotherham", "rotherham"), ("../../etc/x", "etc-x"), ("CON", "council-con"), ("a/b", "a-b"),
    ("..", "council"), ("Łódź", "lodz"), ("رادرہم", "council"), ("St Helens", "st-helens"),
    ("x" * 200, "x" * 60),
])
def test_slugs_are_plain_file_names(name, expected):
    assert slug(name) == expected
