"""Safe output: file names that stay inside --out, and files that appear whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from .errors import OutputError

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


# Latin letters that Unicode does not decompose into a base letter plus accent.
_LATIN_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
                              "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"})


def slug(text: str, fallback: str = "council") -> str:
    """ASCII, lower case, hyphens: safe as a file name on Windows, macOS and Linux ("../x" → "x")."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA)).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not result or result in _WINDOWS_RESERVED:
        result = f"{fallback}-{result}" if result else fallback
    return result


def _prepare_folder(folder: Path) -> None:
    """Create FOLDER (and its parents) or say, in words, why it cannot be used."""
    for parent in [folder, *folder.parents]:
        if parent.exists() and not parent.is_dir():
            where = "is a file, not a folder" if parent == folder else f"cannot be created: {parent} is a file"
            raise OutputError(f"{folder}: {where}")
        if parent.exists():
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create this folder ({exc.strerror or exc})") from exc


def _file_mode() -> int:
    """The mode a new file gets under the process umask (mkstemp's 0600 would hide papers from colleagues)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_all(targets: list[tuple[Path, Callable[[Path], None]]]) -> list[Path]:
    """Write each file to a temporary name beside its target, then move them all into place together.

    Nothing is replaced until every file is complete. Existing files are first moved aside (a file open
    in Word or Excel on Windows fails here, before anything changed) and put back if any step fails, so
    an interrupted or failed run leaves yesterday's good files exactly as they were, as a set.
    """
    temps: list[tuple[Path, Path]] = []
    aside: list[tuple[Path, Path]] = []  # (target, where its previous version waits)
    placed: list[Path] = []
    done = False
    try:
        for target, writer in targets:
            if target.is_dir():
                raise OutputError(f"{target}: is a folder; remove or rename it")
            _prepare_folder(target.parent)
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp",
                                           dir=target.parent)
                os.close(fd)
            except OSError as exc:
                raise OutputError(f"{target.parent}: cannot write to this folder ({exc.strerror or exc})") from exc
            temps.append((Path(tmp), target))
            writer(Path(tmp))
            os.chmod(tmp, _file_mode())
        for _, target in temps:
            if target.exists():
                backup = target.with_name(f".{target.name}.{os.getpid()}.old")
                try:
                    os.replace(target, backup)
                except OSError as exc:
                    raise OutputError(f"{target}: cannot replace the file; is it open in Word or Excel? "
                                      f"({exc.strerror or exc})") from exc
                aside.append((target, backup))
        for tmp, target in temps:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(f"{target}: cannot write the file ({exc.strerror or exc})") from exc
            placed.append(target)
        done = True
    finally:
        if not done:
            for target in placed:
                target.unlink(missing_ok=True)
            for target, backup in aside:
                os.replace(backup, target)
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        if done:
            for _, backup in aside:
                backup.unlink(missing_ok=True)
    return [target for target, _ in targets]
