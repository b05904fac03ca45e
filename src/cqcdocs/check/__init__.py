"""`cqcdocs check`: accessibility checks for any .docx, .xlsx or .pdf, read straight from the file.

Reading the parts directly (not through python-docx or openpyxl) works on any file, including one
edited by hand in Word, and keeps the check fast. Each rule has an id and a one-line explanation in
RULES; docs/accessibility-checks.md says how to fix each in Word or Excel. `word`, `excel` and `pdf` hold
the rules for each kind of file, `shared` what they share; PDFs are read with pikepdf (`check/pdf.py`).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import asdict
from pathlib import Path

from lxml import etree

from ..files import package_too_big
from ..wording import count
from .excel import check_xlsx
from .pdf import check_pdf
from .shared import OLE_MAGIC, RULES, Problem, Unreadable, Package
from .word import check_docx

__all__ = ["RULES", "Problem", "check_file", "check_files", "summary", "to_json"]


MAX_UNPACKED = 256 * 2**20  # a briefing unpacks to ~0.5 MB; far more is a zip bomb, not a document
_KINDS = {".docx": check_docx, ".docm": check_docx, ".xlsx": check_xlsx, ".xlsm": check_xlsx, ".pdf": check_pdf}


def check_file(path: str | Path, *, lang: str = "en-GB") -> list[Problem]:
    """Every problem in one file; an unreadable file is one `file-readable` problem, never an exception."""
    path = Path(path)

    def unreadable(message: str) -> list[Problem]:
        return [Problem(path.name, "file-readable", "error", "file", message)]

    check = _KINDS.get(path.suffix.lower())
    if check is None:
        return unreadable("not a .docx, .xlsx or .pdf file")
    if not path.exists():
        return unreadable("file not found")
    if not path.is_file():
        return unreadable("not a file")
    try:
        if check is check_pdf:  # not a zip package: it reads the file itself
            return check_pdf(path, lang)
        with path.open("rb") as f:
            if f.read(8) == OLE_MAGIC:
                return unreadable("password-protected, or an old .doc/.xls renamed: save it from Word or Excel "
                                  "as .docx/.xlsx without a password")
        with zipfile.ZipFile(path) as zf:
            if why := package_too_big(zf, MAX_UNPACKED, "checked"):
                return unreadable(why)
            pkg = Package(zf)
            if "[Content_Types].xml" not in pkg.names:
                return unreadable("a zip file but not an Office package (no [Content_Types].xml)")
            return check(path.name, pkg, lang)
    except Unreadable as exc:
        return unreadable(str(exc))
    except zipfile.BadZipFile:
        return unreadable("not a zip package, so not a real .docx/.xlsx (damaged, or another format renamed)")
    except etree.XMLSyntaxError as exc:
        return unreadable(f"damaged: a part is not well-formed XML ({exc})")
    except OSError as exc:
        return unreadable(f"cannot be read ({exc.strerror or exc})")
    except Exception as exc:  # a checker reports on whatever it is given; it never crashes
        return unreadable(f"cannot be checked ({type(exc).__name__}: {exc})")


def check_files(paths, *, lang: str = "en-GB") -> list[Problem]:
    """Every problem in every file, in the order given."""
    return [p for path in paths for p in check_file(path, lang=lang)]


def summary(problems: list[Problem], files: int | None = None, zero_counts: bool = False) -> str:
    """'2 files checked: 3 errors, 1 warning' (without the count of files unless given); with no problems,
    'no problems', or '0 errors, 0 warnings' with ZERO_COUNTS."""
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    counted = f"{count(files, 'file')} checked: " if files is not None else ""
    if not problems and not zero_counts:
        return f"{counted}no problems"
    return f"{counted}{count(errors, 'error')}, {count(warnings, 'warning')}"


def to_json(problems: list[Problem]) -> str:
    """The problems as a JSON list of {file, rule, level, where, message}."""
    return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)
