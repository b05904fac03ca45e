"""Safe output: file names that stay inside --out, one writer per folder, and a set of files replaced so
that a failure, Ctrl+C or a kill at any moment leaves every name holding a whole file.

How a set of files (the briefing and annex) is replaced, in a folder locked for one writer at a time:

1. each new file is written to a temporary name beside its target (`.cqcdocs.<run>.<name>.tmp`), and
   flushed to disk;
2. each existing target gets a second name (`.cqcdocs.<run>.<name>.old`, a hard link, or a copy where
   the disk has no links), so it can be put back;
3. a journal (`.cqcdocs.<run>.journal`) naming those files is written to a temporary name and renamed:
   that rename is the commit. Before it, the old files are untouched; after it, the new set is whole on
   disk and will be put in place, by this run or, if it is killed, by the next;
4. each temporary file is renamed over its target (a rename replaces a name in one step, so each name
   always holds either its old or its new file, never nothing, never part of one);
5. the second names and then the journal are removed.

A run that fails after the commit (a file open in Word on Windows cannot be replaced) marks the journal
"back" and puts the old files back. The next run to take the folder's lock first finishes whatever a
journal says (forward or back), then removes temporary and `.old` files that interrupted runs left
(also those of cqcdocs versions before the journal). The one moment a killed run leaves a mixed set (the
new briefing beside the old annex) is between two renames of step 4, and the next run completes it.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import OutputError, UserError
from .files import fsync_folder, kind, lstat_or_none, os_reason

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}

# Latin letters that Unicode does not decompose into a base letter plus accent.
_LATIN_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                              "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})

LOCK_NAME = ".cqcdocs.lock"
LOCK_WAIT = 30.0  # seconds a second run waits for the folder: longer than one council's documents take
_OURS = re.compile(r"^\.cqcdocs\.[0-9a-f]{8}\.(?:.+\.(?:tmp|old)|journal\.tmp)$")
# Left by cqcdocs before the journal: ".name.docx.<pid>.old" (moved aside) and mkstemp's ".name.<8>.docx.tmp".
_LEGACY_OLD = re.compile(r"^\.(.+\.(?:docx|xlsx))\.\d+\.old$")
_LEGACY_TMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.(?:docx|xlsx)\.tmp$")


def slug(text: str, fallback: str = "council") -> str:
    """ASCII, lower case, hyphens: safe as a file name on Windows, macOS and Linux ("../x" → "x")."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA)).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not result or result in _WINDOWS_RESERVED:
        result = f"{fallback}-{result}" if result else fallback
    return result


def _step(name: str) -> None:
    """A point between two steps of a replacement. Does nothing; tests stop or fail the run here."""


# --- folders --------------------------------------------------------------------------------------

def exists(path: Path) -> bool:
    """Whether a file is at PATH, to be replaced; an OutputError if PATH cannot be written as a file: a
    name the system cannot hold (too long), or a folder, pipe or device there (never replaced, even by
    --force: as root, replacing /dev/null would break the system)."""
    try:
        info = lstat_or_none(Path(path))
        if info is not None and stat.S_ISLNK(info.st_mode):
            info = os.stat(path) if os.path.exists(path) else info  # a link is replaced; what it leads to is checked
    except OSError as exc:
        raise OutputError(f"{path}: cannot use this name ({os_reason(exc)})") from exc
    if info is None:
        return False
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is a folder; remove or rename it")
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path}: is {kind(info.st_mode)}, not a file; cqcdocs replaces only ordinary files")
    return True


def _prepare_folder(folder: Path) -> list[Path]:
    """Create FOLDER (and its parents) or say, in words, why it cannot be used; returns the folders made."""
    missing: list[Path] = []
    for parent in [folder, *folder.parents]:
        try:
            mode = os.stat(parent).st_mode
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                missing.append(parent)
                continue
            raise OutputError(f"{folder}: cannot use this folder ({os_reason(exc)})") from exc
        if not stat.S_ISDIR(mode):
            where = "is a file, not a folder" if parent == folder else f"cannot be created: {parent} is a file"
            raise OutputError(f"{folder}: {where}")
        break
    created = []
    for parent in reversed(missing):
        try:
            os.mkdir(parent)
        except FileExistsError:  # "a/new/.." once a/new exists, or another run made it meanwhile
            continue
        except OSError as exc:
            raise OutputError(f"{folder}: cannot create this folder ({os_reason(exc)})") from exc
        created.append(parent)
    return created


def _remove_if_empty(created: list[Path], folder: Path) -> None:
    """Remove the folders this run made that hold nothing (a run that wrote nothing leaves no folder), and
    any it made only on the way ("a/new" for "a/new/../papers"), innermost first."""
    try:
        keep = Path(os.path.realpath(folder))
    except OSError:
        keep = None
    for made in reversed(created):
        try:
            real = Path(os.path.realpath(made))
            if keep is not None and (real == keep or real in keep.parents) and os.listdir(made):
                continue
            os.rmdir(made)
        except OSError:
            continue  # not empty, or gone: leave it


# --- one writer per folder ------------------------------------------------------------------------

def _holder(path: Path) -> str:
    """Who holds the lock, from what it wrote into the lock file: "process 123, since 14:02:11"."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            info = json.loads(os.read(fd, 4096).decode("utf-8"))
        finally:
            os.close(fd)
        where = "" if info.get("host") == socket.gethostname() else f" on {info['host']}"
        return f" (process {int(info['pid'])}{where}, since {info['since']})"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ""


# Never follow a link at the lock's name: a symbolic link planted there would have the lock's note
# written over the file it points to (another paper, or a system file when run as root).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class _Lock:
    """An advisory lock on FOLDER/.cqcdocs.lock: `fcntl.flock` on POSIX, `msvcrt.locking` on Windows (a
    byte far past the holder's note, so the note stays readable), none where neither exists. The file is
    removed on release, so a folder keeps only the documents; a run that waited on a file since removed
    notices (the name no longer leads to the file it locked) and tries again."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        """Lock once without waiting: True if held; FileNotFoundError if the folder has gone; an
        OutputError if something that is not cqcdocs's lock file (a link, a pipe) is at its name."""
        if not _NOFOLLOW and (info := lstat_or_none(self.path)) is not None and stat.S_ISLNK(info.st_mode):
            raise OutputError(self._not_ours("a symbolic link"))
        flags = os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP or (exc.errno == errno.ENOENT and _is_link(self.path)):
                raise OutputError(self._not_ours("a symbolic link")) from exc
            raise
        try:
            opened = os.fstat(fd)
            if (found := kind(opened.st_mode)) is not None or opened.st_nlink > 1:
                raise OutputError(self._not_ours(found or "a second name of another file (a hard link)"))
            if not _lock_fd(fd):
                os.close(fd)
                return False
            try:
                same = os.path.samestat(opened, os.stat(self.path))
            except FileNotFoundError:
                same = False
            if not same:  # the previous holder removed the file we waited on: lock the new one
                _unlock_fd(fd)
                os.close(fd)
                return False
            note = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%H:%M:%S"),
                               "command": " ".join(os.path.basename(a) for a in sys.argv[:2])})
            os.ftruncate(fd, 0)
            os.write(fd, note.encode())
        except BaseException:
            if self.fd is None:
                os.close(fd)
            raise
        self.fd = fd
        return True

    def _not_ours(self, what: str) -> str:
        return f"{self.path}: is {what}, not cqcdocs's lock file; nothing written (remove it and run again)"

    def release(self) -> None:
        if self.fd is None:
            return
        if os.name == "posix":  # remove the name while still holding the lock; Windows cannot remove an open file
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass  # the folder lets it be made but not removed: it stays, and the next run reuses it
        _unlock_fd(self.fd)
        os.close(self.fd)
        self.fd = None
        if os.name != "posix":
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass


_WINDOWS_LOCK_OFFSET = 1 << 30


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _lock_fd(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return True  # a file system without locks (some network shares): go on unlocked
            raise
        return True
    try:
        import msvcrt
    except ImportError:
        return True  # neither: no lock
    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    finally:
        os.lseek(fd, 0, os.SEEK_SET)
    return True


def _unlock_fd(fd: int) -> None:
    try:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_UN)
        return
    except ImportError:
        pass
    except OSError:
        return
    try:
        import msvcrt
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except (ImportError, OSError):
        pass


@contextmanager
def folder_lock(folder: Path, wait: float | None = None, *,
                report: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold FOLDER for this run: create it if needed, wait up to WAIT seconds (LOCK_WAIT) for another run
    to finish with it, then repair what an interrupted run left (a journal it cannot trust is said to
    REPORT, standard error by default). On leaving, the lock file goes, and so do the folders this run
    created if nothing was written into them."""
    folder = Path(folder)
    created = _prepare_folder(folder)
    lock = _Lock(folder)
    try:
        _probe(folder)
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        while True:
            try:
                if lock.try_acquire():
                    break
            except FileNotFoundError as exc:
                # Only a folder removed meanwhile (by the run we waited for) is worth another try; a
                # folder that is there but takes no new file (/proc) is said at once, never spun on.
                if lstat_or_none(folder) is not None or time.monotonic() >= deadline:
                    raise OutputError(f"{folder}: cannot write to this folder ({os_reason(exc)})") from exc
                created += _prepare_folder(folder)
                continue
            except OSError as exc:
                raise OutputError(f"{folder}: cannot write to this folder ({os_reason(exc)})") from exc
            if time.monotonic() >= deadline:
                raise OutputError(f"{folder}: another cqcdocs run{_holder(lock.path)} is writing to this "
                                  "folder; try again when it has finished")
            time.sleep(0.05)
        try:
            recover(folder, report)
            yield
        finally:
            lock.release()
    finally:
        _remove_if_empty(created, folder)


def _probe(folder: Path) -> None:
    """Make, rename and remove a small file in FOLDER: replacing documents safely needs all three, and some
    folders (an append-only one, a share that lets files be added but not removed) allow only the first.
    Found here, before the lock and the documents, such a folder keeps at most this one empty file."""
    name = f".cqcdocs.{secrets.token_hex(4)}.probe"
    first, second = folder / f"{name}.tmp", folder / f"{name}.old"
    try:
        os.close(os.open(first, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600))
    except FileNotFoundError:
        return  # the folder went meanwhile: the lock says so
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write to this folder ({os_reason(exc)})") from exc
    try:
        os.rename(first, second)
        os.unlink(second)
    except FileNotFoundError:
        return  # another run holding the folder tidied it away: removing works here
    except OSError as exc:
        left = first if os.path.lexists(first) else second
        raise OutputError(f"{folder}: this folder lets files be made but not renamed or removed "
                          f"({os_reason(exc)}), which replacing documents safely needs; nothing written "
                          f"(remove {left.name} if you can)") from exc


# --- the journal ----------------------------------------------------------------------------------
#
# A journal is trusted with nothing it did not make. Every file it names carries its run's marker
# (".cqcdocs.<run>.<target>.tmp" / ".old", the run in the journal's own name), and each new file's
# identity (inode and size) is recorded when the journal is written, so going forward moves only that
# very file, and going back removes a target only if it is still that file. Files not ours to touch
# (another user's, a link, a copy) are left, the journal with them, and reported.

_JOURNAL = re.compile(r"^\.cqcdocs\.([0-9a-f]{8})\.journal$")


class _Untrusted(Exception):
    """A journal, or a file it names, that this run will not act on; the message says why."""


def _journal_write(path: Path, state: str, moves: list[dict]) -> None:
    """Write the journal whole or not at all: to a temporary name, flushed, then renamed into place."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"cqcdocs": 2, "state": state, "moves": moves}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_folder(path.parent)
    _step(f"journal {state}")


def _identity(info: os.stat_result) -> list[int]:
    return [info.st_ino, info.st_size]


def _ours(path: Path, move: dict | None = None) -> os.stat_result | None:
    """PATH's status if it is a regular file this user made (and, with MOVE, the very new file the journal
    recorded); None if nothing is there; `_Untrusted` if something else is."""
    info = lstat_or_none(path)
    if info is None:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise _Untrusted(f"{path.name} is {kind(info.st_mode) or 'a symbolic link'}")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise _Untrusted(f"{path.name} belongs to another user")
    if move is not None and _identity(info) != move["made"]:
        raise _Untrusted(f"{path.name} is not the file the journal recorded")
    return info


def _replay(journal: Path, moves: list[dict], state: str) -> None:
    """Carry out JOURNAL's MOVES: "forward" puts every new file in place; "back" puts every old one back.
    Each step can be repeated, so a replay killed half way is finished by the next."""
    folder = journal.parent
    for move in moves:
        new, target = folder / move["new"], folder / move["target"]
        old = folder / move["old"] if move.get("old") else None
        placed = _ours(new, move) is None
        if state == "forward" and not placed:
            os.replace(new, target)
            _step(f"placed {target.name}")
        elif state == "back" and placed and old is not None and _ours(old) is not None:
            os.replace(old, target)
            _step(f"restored {target.name}")
        elif state == "back" and placed and old is None:
            if _ours(target, move) is not None:  # there was no old file: the new one goes, if it is still ours
                target.unlink()
            _step(f"removed {target.name}")
    fsync_folder(folder)
    for move in moves:
        for name in (move.get("old"), move["new"]):
            if name:
                (folder / name).unlink(missing_ok=True)
    _step("tidied")
    journal.unlink(missing_ok=True)
    fsync_folder(folder)
    _step("journal removed")


def _unplaced(folder: Path, moves: list[dict]) -> bool:
    """Whether some new file is still waiting under its temporary name (so going back is still possible;
    once all are placed and the old copies removed, only forward is)."""
    return any(os.path.lexists(folder / m["new"]) for m in moves)


def _read_journal(journal: Path) -> tuple[list[dict], str]:
    """The journal's moves and state, if every name in it carries its run's marker; `_Untrusted` if not."""
    run = _JOURNAL.match(journal.name)[1]
    try:
        _ours(journal)
        with open(journal, "rb") as f:  # a regular file of ours, checked just above: it cannot block
            record = json.loads(f.read(1 << 20).decode("utf-8"))
        moves, state = list(record["moves"]), record["state"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _Untrusted("it cannot be read as a cqcdocs journal") from exc
    if state not in ("forward", "back"):
        raise _Untrusted("it cannot be read as a cqcdocs journal")
    for m in moves:
        target = m.get("target") if isinstance(m, dict) else None
        if (not isinstance(target, str) or target in ("", ".", "..") or "/" in target or os.sep in target
                or m.get("new") != f".cqcdocs.{run}.{target}.tmp"
                or m.get("old") not in (None, f".cqcdocs.{run}.{target}.old")
                or not (isinstance(m.get("made"), list) and len(m["made"]) == 2)):
            raise _Untrusted("it names files its run did not make")
    return moves, state


def _finish(journal: Path) -> None:
    """Finish an interrupted replacement: as its journal says, and back if going forward fails."""
    moves, state = _read_journal(journal)
    try:
        _replay(journal, moves, state)
    except _Untrusted:
        raise
    except OSError:
        if state == "back" or not _unplaced(journal.parent, moves):
            raise
        _journal_write(journal, "back", moves)
        _replay(journal, moves, "back")


def recover(folder: Path, report: Callable[[str], None] | None = None) -> None:
    """Finish replacements that killed runs left half done, then remove the temporary files and old
    copies interrupted runs left (only names cqcdocs makes). A journal this run cannot trust is left, with
    its files, and said to REPORT (standard error by default). Call only while holding the folder."""
    folder = Path(folder)
    report = report or _to_stderr
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot read this folder ({os_reason(exc)})") from exc
    left: set[str] = set()
    try:
        for name in names:
            if m := _JOURNAL.match(name):
                try:
                    _finish(folder / name)
                except _Untrusted as exc:
                    left.add(m[1])
                    report(f"warning: {folder / name}: left as it is, with the files it names: {exc}")
        for name in sorted(os.listdir(folder)):
            path = folder / name
            info = lstat_or_none(path)
            if info is None or stat.S_ISDIR(info.st_mode):
                continue
            if _OURS.match(name) or _LEGACY_TMP.match(name):
                if name.split(".")[2] not in left:
                    path.unlink()
            elif m := _LEGACY_OLD.match(name):
                # An older cqcdocs moved the file aside and was stopped before putting the new one in.
                if lstat_or_none(folder / m[1]) is None:
                    os.replace(path, folder / m[1])
                else:
                    path.unlink()
    except OSError as exc:
        raise OutputError(f"{folder}: cannot tidy what an interrupted run left ({os_reason(exc)})") from exc


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# --- writing a set of files -----------------------------------------------------------------------

def _file_mode() -> int:
    """The mode a new file gets under the process umask (the temporary name must not hide papers)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind EXC, if any: a writer may wrap it (XlsxWriter's FileCreateError)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OSError):
            return e
        todo += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
    return None


def _keep_old(target: Path, old: Path) -> None:
    """A second name for TARGET's current file: a hard link (instant), or a copy where links are not allowed."""
    try:
        os.link(target, old)
    except OSError:
        shutil.copy2(target, old)


def _write_one(target: Path, tmp: Path, writer: Callable[[Path], None], mode: int) -> None:
    """Write TARGET's new file at TMP and flush it to disk; an OS error becomes an OutputError."""
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot write to this folder ({os_reason(exc)})") from exc
    try:
        writer(tmp)
        os.chmod(tmp, mode)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    except UserError:  # the writer's own message (a template that cannot be used) says it best
        raise
    except Exception as exc:
        cause = _os_error_in(exc)
        if cause is None:
            raise
        raise OutputError(f"{target}: cannot write the file ({os_reason(cause)})") from exc


def write_all(targets: list[tuple[Path, Callable[[Path], None]]], *, lock: bool = True) -> list[Path]:
    """Write each file to a temporary name beside its target, then replace them together (see the module).

    The targets share one folder. LOCK: hold the folder while writing (False when the caller holds it
    already, as a batch does). Nothing is replaced until every file is complete; a failure or Ctrl+C
    leaves the previous files exactly as they were, as a set, and removes every temporary file; an OS
    error (a full disk, a name too long) is an OutputError naming the file and the cause.
    """
    if not targets:
        return []
    folder = Path(targets[0][0]).parent
    if any(Path(t).parent != folder for t, _ in targets):
        raise ValueError("write_all: the targets must share one folder")
    for target, _ in targets:  # a folder, pipe or device at a target's name: refused before the folder is locked
        try:
            info = os.stat(target)
        except OSError:
            continue  # nothing there, or a name the folder's own checks will report in its words
        if not stat.S_ISREG(info.st_mode):
            exists(target)
    if not lock:
        _prepare_folder(folder)
        _write_set(folder, targets)
    else:
        with folder_lock(folder):
            _write_set(folder, targets)
    return [Path(target) for target, _ in targets]


def _write_set(folder: Path, targets: list[tuple[Path, Callable[[Path], None]]]) -> None:
    run = secrets.token_hex(4)
    journal = folder / f".cqcdocs.{run}.journal"
    mode = _file_mode()
    moves: list[dict] = []
    try:
        for target, writer in targets:
            target = Path(target)
            there = exists(target)
            move = {"new": f".cqcdocs.{run}.{target.name}.tmp", "target": target.name,
                    "old": f".cqcdocs.{run}.{target.name}.old" if there else None}
            moves.append(move)
            _write_one(target, folder / move["new"], writer, mode)
            move["made"] = _identity(os.lstat(folder / move["new"]))
            _step(f"wrote {target.name}")
        try:
            for move in moves:
                if move["old"]:
                    _keep_old(folder / move["target"], folder / move["old"])
                    _step(f"kept {move['target']}")
            fsync_folder(folder)
            _journal_write(journal, "forward", moves)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write to this folder ({os_reason(exc)})") from exc
        try:
            _replay(journal, moves, "forward")
        except OSError as exc:
            failed = next((folder / m["target"] for m in moves if os.path.lexists(folder / m["new"])), folder)
            hint = "; is it open in Word or Excel?" if isinstance(exc, PermissionError) else ""
            raise OutputError(f"{failed}: cannot replace the file{hint} ({os_reason(exc)})") from exc
    except BaseException:
        if journal.exists():  # committed: back to the old set, or on to the new one if it is all in place
            try:
                if _unplaced(folder, moves):
                    _journal_write(journal, "back", moves)
                    _replay(journal, moves, "back")
                else:
                    _replay(journal, moves, "forward")
            except (OSError, _Untrusted):
                pass  # the journal stays: the next run in this folder finishes the replacement
        else:
            for name in [n for m in moves for n in (m["new"], m["old"]) if n] + [journal.name + ".tmp"]:
                try:
                    (folder / name).unlink(missing_ok=True)
                except OSError:
                    pass  # the error that stopped the run is the one to say; the next run tidies these
        raise
