"""What the Word and Excel checks share: the rules, a problem, the package reader and alt-text rules."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from lxml import etree


NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
W = f"{{{NS['w']}}}"
R_ID = f"{{{NS['r']}}}id"

RULES: dict[str, str] = {
    "file-readable": "The file opens as a Word (.docx) or Excel (.xlsx) package, or as a PDF.",
    "docx-title": "The document title property is set (screen readers announce it).",
    "docx-language": "The document language is set, and is the expected one, so text is read with the right voice.",
    "docx-alt-text": "Every picture and chart has alt text that says what it shows (not a file name or 'Picture 3').",
    "docx-chart-series-name": "Every series in a chart has a name, so the legend and a screen reader say what it is.",
    "docx-chart-labels": "Every chart shows its values as data labels or a data table, not only by bar length or colour.",
    "docx-headings": "Headings exist, start at level 1 and skip no level, so the document can be navigated.",
    "docx-empty-heading": "No heading is empty.",
    "docx-table-header": "Every data table's first row is a header row marked to repeat on each page.",
    "docx-merged-cells": "No merged cells inside data tables (they confuse screen readers).",
    "docx-empty-paragraphs": "No runs of 3 or more empty paragraphs used as spacing.",
    "docx-link-text": "Hyperlinks have meaningful text, not 'click here' or a bare web address.",
    "docx-contrast": "Coloured text, and text on shaded cells or paragraphs, reaches a contrast ratio of 4.5:1.",
    "docx-colour-only": "A shaded cell also holds text (a rating word or score): colour never carries meaning alone.",
    "xlsx-title": "The workbook title property is set.",
    "xlsx-sheet-names": "No sheet keeps a default name such as 'Sheet1'.",
    "xlsx-chart-title": "Every chart has an explicit title.",
    "xlsx-chart-alt-text": "Every chart has alt text that says what it shows.",
    "xlsx-image-alt-text": "Every image has alt text.",
    "xlsx-merged-cells": "No merged cells inside Excel tables.",
    "xlsx-table-header": "Every Excel table has a header row.",
    "pdf-tagged": "The PDF is tagged: it has a structure tree and is marked as tagged, so screen readers can follow it.",
    "pdf-language": "The document language is set, and is the expected one.",
    "pdf-title": "The document title is set and the viewer shows it as the window title, not the file name.",
    "pdf-headings": "The structure tree has headings, starting at H1 and skipping no level.",
    "pdf-alt-text": "Every Figure in the structure tree has alt text that says what it shows.",
    "pdf-table-header": "Every table in the structure tree has header cells (TH).",
    "pdf-bookmarks": "A document of more than one page has bookmarks.",
    "pdf-fonts": "Every font is embedded, so the text looks and reads the same everywhere.",
}

PLACEHOLDER = re.compile(r"^(picture|image|img|chart|graphic|figure|diagram|photo|screenshot)\s*\d*$", re.I)
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.I)
VAGUE_LINK = {"click here", "here", "read more", "more", "link", "this link", "click", "this"}
URL = re.compile(r"^(https?://|www\.)", re.I)
HEX = re.compile(r"[0-9A-F]{6}")
CAPTION = re.compile(r"^\s*(?:figure|fig\.)\s*(\d+)", re.I)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML, or an old binary .doc/.xls renamed
# Files come from anywhere: never expand entities or fetch anything while parsing them.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class Unreadable(Exception):
    """A file that cannot be checked at all: `check_file` makes it one `file-readable` problem."""


@dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    level: str  # "error" | "warning"
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} [{self.rule}]"


# --- shared ----------------------------------------------------------------------------------------

class Package:
    """A zip package with parts parsed on demand and relationships resolved to part names."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())

    def xml(self, name: str | None):
        if name not in self.names:
            return None
        root = etree.fromstring(self.zf.read(name), _PARSER)
        # Office writes some objects twice: the modern markup and a copy in mc:Fallback for old readers.
        for fallback in list(root.iter(f"{{{NS['mc']}}}Fallback")):
            fallback.getparent().remove(fallback)
        return root

    def rels(self, part: str, *, external: bool = False) -> dict[str, str]:
        """Relationship id → part name (or, with external=True, id → external address)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out = {}
        for rel in root.findall("rel:Relationship", NS) if root is not None else ():
            target = rel.get("Target") or ""
            if (rel.get("TargetMode") == "External") != external:
                continue
            if external:
                out[rel.get("Id")] = target
            else:  # openpyxl and Excel write absolute targets ("/xl/..."), XlsxWriter relative ones
                out[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(folder, target))
        return out

    def title(self) -> str:
        core = self.xml("docProps/core.xml")
        node = core.find("dc:title", NS) if core is not None else None
        return (node.text or "").strip() if node is not None else ""


def value_of(element, attr: str = W + "val") -> str:
    return (element.get(attr) or "") if element is not None else ""


def text_of(element) -> str:
    """Visible text: w:t in Word, any text node elsewhere (field codes are w:instrText, so not counted)."""
    if element is None:
        return ""
    if element.tag.startswith(W):
        return "".join(t.text or "" for t in element.iter(W + "t"))
    return "".join(element.itertext())


def _decorative(node) -> bool:
    """Word and Excel's "Mark as decorative" (adec:decorative val=1 in the object's extLst)."""
    return any(etree.QName(e).localname == "decorative" and e.get("val") in ("1", "true") for e in node.iter())


def alt_text_problem(node) -> tuple[str, str] | None:
    """(level, message) when an object's alt text (descr, or else title) is missing or useless."""
    if node is None:
        return "error", "no alt text"
    if _decorative(node):
        return None
    texts = [t for t in ((node.get("descr") or "").strip(), (node.get("title") or "").strip()) if t]
    if not texts:
        return "error", "no alt text"
    problems = []
    for text in texts:
        if FILE_NAME.search(text):
            problems.append(("error", f"alt text is a file name ({text!r})"))
        elif PLACEHOLDER.match(text):
            problems.append(("error", f"alt text is a placeholder ({text!r})"))
        elif "generated automatically" in text.lower() or "automatically generated" in text.lower():
            # Word's own guess: sometimes right, never reviewed, so worth a look rather than an error.
            problems.append(("warning", f"alt text was generated automatically ({text[:60]!r}): check it"))
        else:
            return None
    return problems[0]


def to_problems(name: str, found) -> list[Problem]:
    """(rule, where, message[, level]) tuples → Problems; the level is "error" unless given."""
    return [Problem(name, f[0], f[3] if len(f) > 3 else "error", f[1], f[2]) for f in found]



def has_chart_title(chart) -> bool:
    """An explicit title with text or a cell reference (c:chart/c:title, or cx: for newer chart types)."""
    if chart is None:
        return False
    ns = etree.QName(chart).namespace
    title = chart.find(f"{{{ns}}}chart/{{{ns}}}title")
    return title is not None and (bool("".join(title.itertext()).strip())
                                  or any(etree.QName(e).localname == "f" for e in title.iter()))


