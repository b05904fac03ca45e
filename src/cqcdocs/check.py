"""`cqcdocs check`: accessibility checks for any .docx or .xlsx, read straight from the package XML.

Reading the parts directly (not through python-docx) works on any file, including one edited by hand
in Word, and keeps the check fast. Each rule has an id and a one-line explanation in RULES;
docs/accessibility-checks.md says how to fix each in Word or Excel.
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from .palette import contrast

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
W = "{%s}" % NS["w"]

RULES: dict[str, str] = {
    "file-readable": "The file opens as a Word (.docx) or Excel (.xlsx) package.",
    "docx-title": "The document title property is set (screen readers announce it).",
    "docx-language": "The document language is set, and is the expected one, so text is read with the right voice.",
    "docx-alt-text": "Every picture and chart has alt text that says what it shows (not a file name or 'Picture 3').",
    "docx-headings": "Headings exist, start at level 1 and skip no level, so the document can be navigated.",
    "docx-empty-heading": "No heading is empty.",
    "docx-table-header": "Every data table's first row is a header row marked to repeat on each page.",
    "docx-merged-cells": "No merged cells inside data tables (they confuse screen readers).",
    "docx-empty-paragraphs": "No runs of 3 or more empty paragraphs used as spacing.",
    "docx-link-text": "Hyperlinks have meaningful text, not 'click here' or a bare web address.",
    "docx-contrast": "Coloured text and text on shaded cells reach a contrast ratio of 4.5:1.",
    "docx-colour-only": "A shaded cell also holds text (a rating word or score): colour never carries meaning alone.",
    "xlsx-title": "The workbook title property is set.",
    "xlsx-sheet-names": "Every sheet has a meaningful name, not 'Sheet1'.",
    "xlsx-chart-title": "Every chart has a title.",
    "xlsx-chart-alt-text": "Every chart has alt text that says what it shows.",
    "xlsx-image-alt-text": "Every image has alt text.",
    "xlsx-merged-cells": "No merged cells inside Excel tables.",
    "xlsx-table-header": "Every Excel table has a header row.",
}

_PLACEHOLDER = re.compile(r"^(picture|image|img|chart|graphic|figure|diagram|photo|screenshot)\s*\d*$", re.I)
_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.I)
_VAGUE_LINK = {"click here", "here", "read more", "more", "link", "this link", "click", "this"}
_URL = re.compile(r"^(https?://|www\.)", re.I)


@dataclass(frozen=True)
class Problem:
    file: str
    rule: str
    level: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message} [{self.rule}]"


def _alt_text_problem(text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return "no alt text"
    if _FILE_NAME.search(text):
        return f"alt text is a file name ({text!r})"
    if _PLACEHOLDER.match(text):
        return f"alt text is a placeholder ({text!r})"
    return None


class _Package:
    """A zip package with parts parsed on demand and relationships resolved to part names."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())

    def xml(self, name: str):
        return etree.fromstring(self.zf.read(name)) if name in self.names else None

    def rels(self, part: str) -> dict[str, str]:
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if root is None:
            return {}
        out = {}
        for rel in root.findall("rel:Relationship", NS):
            if rel.get("TargetMode") == "External":
                out[rel.get("Id")] = rel.get("Target")
            else:
                out[rel.get("Id")] = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
        return out

    def title(self) -> str:
        core = self.xml("docProps/core.xml")
        node = core.find("dc:title", NS) if core is not None else None
        return (node.text or "").strip() if node is not None else ""


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _para_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


# --- Word ------------------------------------------------------------------------------------------

def _heading_levels(styles) -> dict[str, int]:
    """Style id → heading level, from the style's name ("heading 2") or outline level."""
    levels = {}
    if styles is None:
        return levels
    for style in styles.findall("w:style", NS):
        sid = style.get(W + "styleId")
        name = (style.find("w:name", NS).get(W + "val") if style.find("w:name", NS) is not None else "").lower()
        if m := re.fullmatch(r"heading (\d)", name):
            levels[sid] = int(m[1])
            continue
        outline = style.find("w:pPr/w:outlineLvl", NS)
        if outline is not None and outline.get(W + "val", "9").isdigit() and int(outline.get(W + "val")) < 9:
            levels[sid] = int(outline.get(W + "val")) + 1
    return levels


def _fill(element) -> str | None:
    shd = element.find("w:shd", NS) if element is not None else None
    fill = shd.get(W + "fill") if shd is not None else None
    return None if fill in (None, "auto", "") else fill.upper()


def check_docx(name: str, pkg: _Package, lang: str) -> list[Problem]:
    problems: list[Problem] = []

    def add(rule: str, where: str, message: str, level: str = "error") -> None:
        problems.append(Problem(name, rule, level, where, message))

    document = pkg.xml("word/document.xml")
    styles = pkg.xml("word/styles.xml")
    if document is None:
        add("file-readable", "package", "no word/document.xml: not a Word document")
        return problems
    if not pkg.title():
        add("docx-title", "properties", "document title is not set (File > Info > Properties > Title)")

    declared = None
    if styles is not None:
        node = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        if node is None:
            node = styles.find("w:style[@w:styleId='Normal']/w:rPr/w:lang", NS)
        declared = node.get(W + "val") if node is not None else None
    if not declared:
        add("docx-language", "styles", f"no document language set (expected {lang})")
    elif declared.lower() != lang.lower():
        add("docx-language", "styles", f"document language is {declared}, expected {lang}")

    body = document.find("w:body", NS)
    # Pictures and charts, in the order they appear in the body (headers and footers are not checked).
    for n, doc_pr in enumerate(body.iter("{%s}docPr" % NS["wp"]), start=1):
        frame = doc_pr.getparent()
        is_chart = frame.find(".//c:chart", NS) is not None
        problem = _alt_text_problem(doc_pr.get("descr") or doc_pr.get("title") or "")
        if problem:
            add("docx-alt-text", f"{'chart' if is_chart else 'figure'} {n} (page-order {_ordinal(n)} image)", problem)

    levels = _heading_levels(styles)
    previous = 0
    seen_heading = False
    for n, p in enumerate(body.iter(W + "p"), start=1):
        style = p.find("w:pPr/w:pStyle", NS)
        level = levels.get(style.get(W + "val")) if style is not None else None
        outline = p.find("w:pPr/w:outlineLvl", NS)
        if level is None and outline is not None and outline.get(W + "val", "9").isdigit() \
                and int(outline.get(W + "val")) < 9:
            level = int(outline.get(W + "val")) + 1
        if level is None:
            continue
        text = _para_text(p).strip()
        if not text:
            add("docx-empty-heading", f"paragraph {n}", f"empty heading (level {level})")
            continue
        if not seen_heading and level != 1:
            add("docx-headings", f"paragraph {n}", f"first heading is level {level}, not 1: {text[:50]!r}")
        elif previous and level > previous + 1:
            add("docx-headings", f"paragraph {n}", f"heading level {level} follows level {previous}: {text[:50]!r}")
        seen_heading, previous = True, level
    if not seen_heading:
        add("docx-headings", "document", "no headings: use Heading 1, Heading 2… so readers can navigate")

    for t, table in enumerate(body.iter(W + "tbl"), start=1):
        caption = table.find("w:tblPr/w:tblCaption", NS)
        where = f"table {t}" + (f" ({caption.get(W + 'val')!r})" if caption is not None else "")
        layout = any(v.get(W + "val", "").lower().startswith("layout")
                     for v in table.findall("w:tblPr/w:tblDescription", NS) + table.findall("w:tblPr/w:tblCaption", NS))
        rows = table.findall("w:tr", NS)
        if not layout:
            header = rows[0].find("w:trPr/w:tblHeader", NS) if rows else None
            if header is None or header.get(W + "val", "true") in ("0", "false"):
                add("docx-table-header", where, "first row is not marked as a header row that repeats "
                                                "(Table Properties > Row > Repeat as header row)")
            spans = [g for g in table.iter(W + "gridSpan") if int(g.get(W + "val", "1")) > 1]
            if spans or next(table.iter(W + "vMerge"), None) is not None:
                add("docx-merged-cells", where, "merged cells in a data table")
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row.findall("w:tc", NS), start=1):
                fill = _fill(cell.find("w:tcPr", NS))
                text = _text(cell).strip()
                cell_where = f"{where} row {r} cell {c}"
                if fill and fill not in ("FFFFFF",) and not text:
                    add("docx-colour-only", cell_where, f"shaded cell (#{fill}) with no text: colour alone carries "
                                                        "meaning")
                if fill:
                    for run in cell.iter(W + "r"):
                        if not _para_text(run).strip():
                            continue
                        colour = run.find("w:rPr/w:color", NS)
                        fg = colour.get(W + "val") if colour is not None else "auto"
                        fg = "000000" if fg in (None, "auto") else fg
                        ratio = contrast(fg, fill)
                        if ratio < 4.5:
                            add("docx-contrast", cell_where, f"text #{fg.upper()} on #{fill} has contrast "
                                                             f"{ratio:.1f}:1, below 4.5:1")
                            break

    # Coloured text outside tables, against paragraph shading or white.
    for n, p in enumerate(body.iter(W + "p"), start=1):
        if any(a.tag == W + "tc" for a in p.iterancestors()):
            continue
        bg = _fill(p.find("w:pPr", NS)) or "FFFFFF"
        for run in p.iter(W + "r"):
            colour = run.find("w:rPr/w:color", NS)
            if colour is None or colour.get(W + "val") in (None, "auto") or not _para_text(run).strip():
                continue
            ratio = contrast(colour.get(W + "val"), bg)
            if ratio < 4.5:
                add("docx-contrast", f"paragraph {n}", f"text #{colour.get(W + 'val').upper()} on #{bg} has "
                                                       f"contrast {ratio:.1f}:1, below 4.5:1")
                break

    run_start, empty = None, 0
    children = [child for child in body if child.tag in (W + "p", W + "tbl")]
    for n, child in enumerate(children + [None], start=1):
        blank = child is not None and child.tag == W + "p" and not _para_text(child).strip() \
            and next(child.iter("{%s}docPr" % NS["wp"]), None) is None \
            and child.find(".//w:sectPr", NS) is None and child.find(".//w:br", NS) is None \
            and child.find(".//w:fldSimple", NS) is None and child.find(".//w:fldChar", NS) is None
        if blank:
            run_start, empty = (run_start or n), empty + 1
            continue
        if empty >= 3:
            add("docx-empty-paragraphs", f"paragraphs {run_start}–{run_start + empty - 1}",
                f"{empty} empty paragraphs in a row used as spacing: use paragraph spacing instead")
        run_start, empty = None, 0

    rels = pkg.rels("word/document.xml")
    for n, link in enumerate(body.iter(W + "hyperlink"), start=1):
        rid = link.get("{%s}id" % NS["r"])
        if rid is None:
            continue  # an internal bookmark link
        text = _para_text(link).strip()
        if text.lower().rstrip(".") in _VAGUE_LINK:
            add("docx-link-text", f"hyperlink {n}", f"link text {text!r} does not say where it goes")
        elif _URL.match(text) or text == rels.get(rid, "\0"):
            add("docx-link-text", f"hyperlink {n}", f"link text is a bare web address ({text[:60]!r})")
        elif not text:
            add("docx-link-text", f"hyperlink {n}", "hyperlink has no text")
    return problems


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- Excel -----------------------------------------------------------------------------------------

def _cells(ref: str) -> tuple[int, int, int, int]:
    """'B2:D9' → (min col, min row, max col, max row)."""
    def one(cell: str) -> tuple[int, int]:
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", cell)
        col = 0
        for ch in m[1]:
            col = col * 26 + ord(ch) - 64
        return col, int(m[2])
    a, _, b = ref.partition(":")
    (c1, r1), (c2, r2) = one(a), one(b or a)
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def _overlap(x: str, y: str) -> bool:
    a, b = _cells(x), _cells(y)
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def check_xlsx(name: str, pkg: _Package) -> list[Problem]:
    problems: list[Problem] = []

    def add(rule: str, where: str, message: str, level: str = "error") -> None:
        problems.append(Problem(name, rule, level, where, message))

    workbook = pkg.xml("xl/workbook.xml")
    if workbook is None:
        add("file-readable", "package", "no xl/workbook.xml: not an Excel workbook")
        return problems
    if not pkg.title():
        add("xlsx-title", "properties", "workbook title is not set (File > Info > Properties > Title)")
    rels = pkg.rels("xl/workbook.xml")
    for sheet in workbook.findall("x:sheets/x:sheet", NS):
        sheet_name = sheet.get("name")
        where = f"sheet {sheet_name!r}"
        if re.fullmatch(r"sheet\d*", sheet_name, re.I):
            add("xlsx-sheet-names", where, "sheet has a default name: name it for what it holds")
        part = rels.get(sheet.get("{%s}id" % NS["r"]))
        ws = pkg.xml(part) if part else None
        if ws is None:
            continue
        sheet_rels = pkg.rels(part)
        merged = [m.get("ref") for m in ws.findall("x:mergeCells/x:mergeCell", NS)]
        for t in ws.findall("x:tableParts/x:tablePart", NS):
            table = pkg.xml(sheet_rels.get(t.get("{%s}id" % NS["r"]), ""))
            if table is None:
                continue
            label = f"{where} table {table.get('displayName') or table.get('name')!r}"
            if table.get("headerRowCount") == "0":
                add("xlsx-table-header", label, "table has no header row")
            for ref in merged:
                if _overlap(ref, table.get("ref")):
                    add("xlsx-merged-cells", label, f"merged cells {ref} inside the table")
        for d in ws.findall("x:drawing", NS):
            drawing_part = sheet_rels.get(d.get("{%s}id" % NS["r"]))
            drawing = pkg.xml(drawing_part) if drawing_part else None
            if drawing is None:
                continue
            drawing_rels = pkg.rels(drawing_part)
            charts = 0
            for frame in drawing.iter("{%s}graphicFrame" % NS["xdr"]):
                chart_ref = frame.find(".//c:chart", NS)
                if chart_ref is None:
                    continue
                charts += 1
                label = f"{where} chart {charts}"
                c_nv = frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS)
                problem = _alt_text_problem(c_nv.get("descr", "") if c_nv is not None else "")
                if problem:
                    add("xlsx-chart-alt-text", label, problem)
                chart = pkg.xml(drawing_rels.get(chart_ref.get("{%s}id" % NS["r"]), ""))
                title = chart.find("c:chart/c:title", NS) if chart is not None else None
                if title is None or not (_text(title).strip() or title.find(".//c:strRef", NS) is not None):
                    add("xlsx-chart-title", label, "chart has no title")
            for n, pic in enumerate(drawing.iter("{%s}pic" % NS["xdr"]), start=1):
                c_nv = pic.find("xdr:nvPicPr/xdr:cNvPr", NS)
                problem = _alt_text_problem(c_nv.get("descr", "") if c_nv is not None else "")
                if problem:
                    add("xlsx-image-alt-text", f"{where} image {n}", problem)
    return problems


# --- entry points ----------------------------------------------------------------------------------

def check_file(path: str | Path, *, lang: str = "en-GB") -> list[Problem]:
    """Every problem in one file; an unreadable file is one `file-readable` problem, never an exception."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".xlsx", ".docm", ".xlsm"):
        return [Problem(name, "file-readable", "error", "file", "not a .docx or .xlsx file")]
    if not path.is_file():
        return [Problem(name, "file-readable", "error", "file", "file not found")]
    try:
        with zipfile.ZipFile(path) as zf:
            pkg = _Package(zf)
            return check_docx(name, pkg, lang) if suffix in (".docx", ".docm") else check_xlsx(name, pkg)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError) as exc:
        return [Problem(name, "file-readable", "error", "file", f"cannot be read as an Office file ({exc})")]


def check_files(paths, *, lang: str = "en-GB") -> list[Problem]:
    return [p for path in paths for p in check_file(path, lang=lang)]


def summary(problems: list[Problem], files: int | None = None) -> str:
    errors = sum(1 for p in problems if p.level == "error")
    warnings = len(problems) - errors
    counted = f"{files} file{'s' * (files != 1)} checked: " if files is not None else ""
    if not problems:
        return f"{counted}no problems"
    return f"{counted}{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def to_json(problems: list[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)
