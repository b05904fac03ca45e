"""The package around the body: core properties, and a zip with fixed dates so the same workbook always
gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, UTC

from .template import LANG


def _fit_property(text: str, limit: int = 255) -> str:
    """Word's core properties hold at most 255 characters (python-docx refuses more): cut at a word."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def set_properties(document, *, title: str, subject: str, author: str, keywords: str, category: str,
                   status: str, when: date) -> None:
    """The core properties a screen reader, a search or a committee portal shows; WHEN is the document's
    date from the workbook, never the clock, so the same workbook gives the same document."""
    props = document.core_properties
    props.title = _fit_property(title)
    props.subject = _fit_property(subject)
    props.author = props.last_modified_by = _fit_property(author)
    props.keywords = _fit_property(keywords)
    props.category = _fit_property(category)
    props.content_status = status
    props.comments = ""
    props.language = LANG
    fixed = datetime(when.year, when.month, when.day, tzinfo=UTC)
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates (python-docx stamps each entry with the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
