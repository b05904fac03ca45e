"""Filling the officer's own workbook from a CQC report without losing anything of theirs.

The workbook's folder is locked first (the one-writer lock every cqcdocs command takes), and only then is
the workbook read, so two imports one after the other both land. A workbook open in Excel or LibreOffice,
or read-only, is refused before anything is done. `fill_workbook` fills an openpyxl copy in memory; the
cells it changed are then written into the original package by `patch` (every other part byte for byte).
At the commit the file is looked at again: if anything changed it since it was read (an officer saving
it, another program), nothing is written. The new file is written beside it, given the old one's mode,
owner and extended attributes, flushed to disk and renamed over it in one step. A symbolic link is
followed: its target is filled and the link stays a link.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError, ReportError
from ..files import Unreadable, fsync_folder, os_reason, read_regular
from ..model import NationalTable
from .fill import Log, fill_workbook
from .parse import Report
from .patch import CellChange, Refused, patch_package

_NOTHING = "nothing written"


def _step(name: str) -> None:
    """A point between two steps of an import. Does nothing; tests change the workbook here."""


@dataclass(frozen=True)
class _Seen:
    """The workbook as it was read: enough to tell that anything at all has changed it since."""

    size: int
    mtime_ns: int
    inode: tuple[int, int]
    sha256: str

    @classmethod
    def of(cls, info: os.stat_result, data: bytes) -> "_Seen":
        return cls(info.st_size, info.st_mtime_ns, (info.st_dev, info.st_ino), hashlib.sha256(data).hexdigest())


def fill_into(report: Report, path: Path, table: NationalTable | None) -> tuple[Log, bool]:
    """Fill the workbook at PATH from REPORT (only empty cells; rows not there yet appended). Returns the log
    and whether the workbook was written. Raises a `UserError` (nothing written) when it cannot be."""
    from ..output import folder_lock

    path = Path(path)
    real = _target(path)
    with folder_lock(real.parent):
        _refuse_if_open(path, real)
        _refuse_if_read_only(path, real)
        data, seen = _read(path, real)
        _step("read")
        wb = _open(path, data)
        for ws in wb.worksheets:  # a scratch copy: unmerged, so a value meant for merged cells reaches the
            for merged in list(ws.merged_cells.ranges):  # patcher, which names it, instead of failing in openpyxl
                ws.unmerge_cells(str(merged))
        before = snapshot(wb)
        log = fill_workbook(wb, report, table)
        if not log.changed:
            return log, False
        try:
            added = [ws.title for ws in wb.worksheets if ws.title not in before]
            new = patch_package(data, changes_since(before, wb), added)
        except Refused as exc:
            raise ReportError(f"{exc.reason}", f"{path.name}: cannot be filled in without changing what is there "
                                               f"already; {_NOTHING}") from None
        _step("patched")
        _replace(path, real, new, seen)
    return log, True


# --- before reading -----------------------------------------------------------------------------------------

def _target(path: Path) -> Path:
    """The file PATH names, following symbolic links (the link's target is filled; the link stays)."""
    try:
        real = Path(os.path.realpath(path))
        info = os.stat(real)
    except FileNotFoundError:
        raise ReportError(f"{path.name}: file not found") from None
    except OSError as exc:
        raise ReportError(f"{path.name}: cannot be opened ({os_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReportError(f"{path.name}: is a folder, not a workbook")
    return real


def office_lock_files(path: Path) -> list[tuple[str, Path]]:
    """The lock files Excel (`~$wb.xlsx`) and LibreOffice (`.~lock.wb.xlsx#`) keep beside a workbook they
    have open, as (the program, the file). Office names some with the first two letters replaced
    (`~$ngbook.xlsx` for `longbook.xlsx`): that name is checked too."""
    names = [("Excel", f"~${path.name}"), ("LibreOffice", f".~lock.{path.name}#")]
    if len(path.stem) > 2:
        names.insert(1, ("Excel", f"~${path.name[2:]}"))
    return [(program, path.parent / name) for program, name in names]


def _refuse_if_open(path: Path, real: Path) -> None:
    for name in dict.fromkeys([path, real]):
        for program, lock in office_lock_files(name):
            if os.path.lexists(lock):
                raise ReportError(f"{path.name}: is open in {program} ({lock.name} is beside it): close it first "
                                  f"(if {program} is not running, delete {lock.name}); {_NOTHING}")


def _refuse_if_read_only(path: Path, real: Path) -> None:
    try:
        info = os.stat(real)
    except OSError as exc:
        raise ReportError(f"{path.name}: cannot be opened ({os_reason(exc)})") from None
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise ReportError(f"{path.name}: is read-only, so it is left as it is (make it writable if it should be "
                          f"filled in); {_NOTHING}")


def _read(path: Path, real: Path) -> tuple[bytes, _Seen]:
    from ..load.opening import MAX_FILE

    try:
        info = os.stat(real)
        data = read_regular(real, MAX_FILE, "a workbook")
        after = os.stat(real)
    except Unreadable as exc:
        raise ReportError(f"{path.name}: {exc.reason}") from None
    except OSError as exc:
        raise ReportError(f"{path.name}: cannot be read ({os_reason(exc)})") from None
    seen = _Seen.of(info, data)
    if _Seen.of(after, data) != seen or len(data) != info.st_size:
        raise ReportError(_changed(path))
    return data, seen


def _changed(path: Path) -> str:
    return f"{path.name} changed while importing; {_NOTHING}, run it again"


def _open(path: Path, data: bytes) -> Any:
    """The workbook in DATA as openpyxl reads it (formulas as their text, so no formula cell looks empty)."""
    import warnings

    import openpyxl

    from ..load.cells import Problems
    from ..load.opening import check_package

    problems = Problems()
    if not check_package(path.name, data, problems):
        raise ReportError(*(m.line() for m in problems.messages if m.level == "error"),
                          f"{path.name}: cannot be filled in; {_NOTHING}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return openpyxl.load_workbook(io.BytesIO(data), keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for damaged packages
        raise ReportError(f"{path.name}: is damaged and cannot be read as an Excel workbook "
                          f"({type(exc).__name__}: {str(exc)[:200]}); {_NOTHING}") from None


# --- what the fill changed ------------------------------------------------------------------------------------

Snapshot = dict[str, dict[tuple[int, int], tuple[Any, str, bool, bool]]]


def _look(cell: Any) -> tuple[Any, str, bool, bool]:
    return cell.value, cell.number_format, bool(cell.font.b), bool(cell.alignment.wrap_text)


def snapshot(wb: Any) -> Snapshot:
    """Every cell of WB's worksheets that exists: its value and what `fill` may set of its look."""
    return {ws.title: {key: _look(cell) for key, cell in ws._cells.items()} for ws in wb.worksheets}


def changes_since(before: Snapshot, wb: Any) -> list[CellChange]:
    """The cells of WB whose value differs from BEFORE, with the look `fill` gave them where it gave one.
    Raises `Refused` for a cell that held a value: only empty cells are ever filled."""
    from ..load.cells import SourceCell

    changes = []
    for ws in wb.worksheets:
        old = before.get(ws.title, {})
        for (row, col), cell in sorted(ws._cells.items()):
            value, number_format, bold, wrap = _look(cell)
            was = old.get((row, col), (None, "General", False, False))
            if value is None or value == was[0]:
                continue
            if not SourceCell(was[0], "").blank:  # a guard at the seam with `fill`, whose rule this is
                raise Refused(f"{ws.title}!{cell.coordinate}: holds {was[0]!r}, which would be replaced")
            changes.append(CellChange(ws.title, row, col, value,
                                      number_format if number_format != was[1] else None,
                                      bold and not was[2], wrap and not was[3]))
    return changes


# --- the commit -------------------------------------------------------------------------------------------

def _replace(path: Path, real: Path, new: bytes, seen: _Seen) -> None:
    """Put NEW in place of REAL in one step, with REAL's mode, owner and extended attributes; refused if REAL
    is not, to the byte, what was read."""
    folder = real.parent
    tmp = folder / f".cqcdocs.{secrets.token_hex(4)}.{real.name}.tmp"  # a name the next run's tidy removes
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write to this folder ({os_reason(exc)})") from exc
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(new)
                f.flush()
                os.fsync(f.fileno())
            info = os.stat(real)
            _keep_owner_and_attributes(real, tmp, info)
        except OSError as exc:
            raise OutputError(f"{real}: cannot write the file ({os_reason(exc)})") from exc
        _step("written")
        if not _unchanged(real, seen):
            raise ReportError(_changed(path))
        try:
            os.replace(tmp, real)
        except OSError as exc:
            hint = "; is it open in Excel?" if isinstance(exc, PermissionError) else ""
            raise OutputError(f"{real}: cannot replace the file{hint} ({os_reason(exc)})") from exc
        fsync_folder(folder)
    finally:
        try:
            os.unlink(tmp)  # gone already once renamed into place
        except OSError:
            pass


def _unchanged(real: Path, seen: _Seen) -> bool:
    """Whether REAL is still, to the byte, the file that was read (read as safely as then: a pipe swapped in
    cannot block the run)."""
    try:
        info = os.stat(real)
        data = read_regular(real, seen.size, "a workbook")
    except (OSError, Unreadable):
        return False
    return _Seen.of(info, data) == seen


def _keep_owner_and_attributes(real: Path, tmp: Path, info: os.stat_result) -> None:
    """Give TMP REAL's mode, owner and group (where this process may) and extended attributes."""
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, info.st_uid, info.st_gid)
        except PermissionError:
            try:  # not the owner's to give: keep at least the group, if this process is in it
                os.chown(tmp, -1, info.st_gid)
            except PermissionError:
                pass
    os.chmod(tmp, stat.S_IMODE(info.st_mode))
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(real)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            return
        raise
    for name in names:
        try:
            os.setxattr(tmp, name, os.getxattr(real, name))
        except OSError as exc:
            # security.* and trusted.* belong to the system (SELinux labels): not this process's to copy
            if name.startswith(("security.", "trusted.")) and exc.errno in (errno.EPERM, errno.EACCES,
                                                                             errno.ENOTSUP):
                continue
            raise OSError(exc.errno, f"cannot keep its extended attribute {name} ({os_reason(exc)})") from exc
