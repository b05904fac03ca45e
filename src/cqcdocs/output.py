"""Safe output: file names that stay inside --out, and files that appear whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Callable

from .errors import UserError

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


class OutputError(UserError):
    """An output file or folder cannot be written; the message says which and why."""


def slug(text: str, fallback: str = "council") -> str:
    """ASCII, lower case, hyphens: safe as a file name on Windows, macOS and Linux ("../x" → "x")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    if not result or result in _WINDOWS_RESERVED:
        result = f"{fallback}-{result}" if result else fallback
    return result


def write_all(targets: list[tuple[Path, Callable[[Path], None]]]) -> list[Path]:
    """Write each file to a temporary name beside its target, then rename all into place.

    If any writer fails, every temporary file is removed and no target is touched, so yesterday's
    good files survive an interrupted or failed run.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for target, writer in targets:
            folder = target.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=folder)
                os.close(fd)
            except OSError as exc:
                raise OutputError(f"{folder}: cannot write to this folder ({exc.strerror or exc})") from exc
            temps.append((Path(tmp), target))
            writer(Path(tmp))
        for tmp, target in temps:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(f"{target}: cannot replace the file; is it open in Word or Excel? "
                                  f"({exc.strerror or exc})") from exc
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                tmp.unlink()
    return [target for target, _ in targets]
