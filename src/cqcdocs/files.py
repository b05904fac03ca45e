"""Reading a file the user named: regular files only, the size checked before reading, never blocking.

`Path.read_bytes` would wait forever on a named pipe, read a device such as /dev/zero until memory runs
out, and raise a bare OSError for a name longer than the system allows. `read_regular` says what the
thing is instead, in words an officer can act on; the caller adds whose file it is (a workbook, a
template). It imports nothing of the package, so the load and render layers can both use it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class Unreadable(Exception):
    """PATH cannot be read as a file; `reason` says why ("is a named pipe, not a workbook")."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def kind(mode: int) -> str | None:
    """What a non-regular file is, as a noun phrase ("a named pipe"); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def megabytes(size: int, beside: int | None = None) -> str:
    """SIZE in MB, as precise as it takes to differ from BESIDE (a limit): never "20 MB; the limit is 20 MB"."""
    text = f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 2**20:.1f} MB"
    if beside is None or size == beside or text != megabytes(beside):
        return text
    for places in (1, 2, 3):
        if (text := f"{size / 2**20:,.{places}f} MB") != f"{beside / 2**20:,.{places}f} MB":
            return text
    return f"{size:,} bytes"


def shown(name: str | os.PathLike) -> str:
    """NAME as text that can be printed and written into a document. A file name that is not UTF-8 (one
    saved on an older Windows share: "caf\\xe9.xlsx") reaches Python with its bytes held as surrogates,
    which no UTF-8 file or terminal takes; its bytes are read as Windows-1252, as that is where such names
    come from, and anything left as U+FFFD."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def display_name(path: str | os.PathLike) -> str:
    """PATH's file name as messages give it; the whole path where it has no name of its own ("." or "/"),
    so a message never starts ": is a folder"."""
    return shown(os.path.basename(os.path.normpath(path)) or os.fspath(path))


def os_reason(exc: OSError) -> str:
    """The operating system's own words for EXC ("No space left on device")."""
    return exc.strerror or str(exc) or type(exc).__name__


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The whole of regular file PATH, at most LIMIT bytes; raises `Unreadable` naming WHAT it is not.

    The file is looked at (stat) before it is opened, so a device is never opened; it is opened without
    blocking (a pipe swapped in meanwhile cannot hang the run) and checked again through the open file.
    """
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise Unreadable("file not found") from None
    except OSError as exc:
        raise Unreadable(f"cannot be opened ({os_reason(exc)})") from exc
    if (found := kind(before.st_mode)) is not None:
        raise Unreadable(f"is {found}, not {what}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Unreadable(f"cannot be opened ({os_reason(exc)})") from exc
    with os.fdopen(fd, "rb") as f:
        opened = os.fstat(f.fileno())
        if (found := kind(opened.st_mode)) is not None:
            raise Unreadable(f"is {found}, not {what}")
        if opened.st_size > limit:
            size = megabytes(opened.st_size, limit)
            raise Unreadable(f"is too large to be {what} ({size}; the limit is "
                             f"{megabytes(limit) if 'bytes' not in size else f'{limit:,} bytes'})")
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise Unreadable(f"cannot be read ({os_reason(exc)})") from exc
    if len(data) > limit:  # grew while being read
        raise Unreadable(f"is too large to be {what} (more than {megabytes(limit)})")
    return data


def lstat_or_none(path: Path) -> os.stat_result | None:
    """PATH's own status (links not followed), None if nothing is there; other OS errors are raised."""
    try:
        return os.lstat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise


# --- packages (.docx, .xlsx): bounded before any part is parsed ----------------------------------------
#
# A package is a zip of XML parts, and a parser holds a whole part as a tree: 245 KB of zip can unpack to
# hundreds of MB of tiny elements, which took 5.3 GB to check and 9.9 GB as a template. So before parsing,
# the parts' declared sizes (a zip member never yields more than it declares: Python stops there) and the
# number of elements in them ("<" counted while unpacking, a chunk at a time) are held to limits far beyond
# any real document: a briefing has ~26,000 "<" and ~30 parts; 2,000,000 elements parse in ~270 MB.

MAX_PARTS = 10_000
MAX_MARKUP = 2_000_000  # "<" in all parts: an upper bound on elements


def package_too_big(zf, unpacked: int, what: str) -> str | None:
    """Why package ZF (a `zipfile.ZipFile`) would take too much memory to parse as WHAT ("a Word document"),
    or None. UNPACKED: the most its parts may hold, in bytes."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        return f"is too large to be {what} ({len(infos):,} parts; the limit is {MAX_PARTS:,})"
    total = sum(i.file_size for i in infos)
    if total > unpacked:
        return f"is too large to be {what} ({megabytes(total, unpacked)} unpacked; the limit is {megabytes(unpacked)})"
    markup = 0
    for info in infos:
        with zf.open(info) as part:
            while chunk := part.read(1 << 20):
                markup += chunk.count(b"<")
                if markup > MAX_MARKUP:
                    return (f"is too large to be {what} (more than {MAX_MARKUP:,} XML elements; a real one has "
                            "tens of thousands)")
    return None


def fsync_folder(folder: Path) -> None:
    """Make renames in FOLDER durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
