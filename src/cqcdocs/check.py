"""`cqcdocs check`: accessibility checks for any .docx or .xlsx, read straight from the package XML.

Reading the parts directly (not through python-docx or openpyxl) works on any file, including one
edited by hand in Word, and keeps the check fast. Each rule has an id and a one-line explanation in
RULES; docs/accessibility-checks.md says how to fix each in Word or Excel.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from lxml import etree

from .palette import contrast
from .wording import count, numeric_ordinal

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
W = "{%s}" % NS["w"]
R_ID = "{%s}id" % NS["r"]

RULES: dict[str, str] = {
    "file-readable": "The file opens as a Word (.docx) or Excel (.xlsx) package.",
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
}

_PLACEHOLDER = re.compile(r"^(picture|image|img|chart|graphic|figure|diagram|photo|screenshot)\s*\d*$", re.I)
_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp)$", re.I)
_VAGUE_LINK = {"click here", "here", "read more", "more", "link", "this link", "click", "this"}
_URL = re.compile(r"^(https?://|www\.)", re.I)
_HEX = re.compile(r"[0-9A-F]{6}")
_CAPTION = re.compile(r"^\s*(?:figure|fig\.)\s*(\d+)", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML, or an old binary .doc/.xls renamed
# Files come from anywhere: never expand entities or fetch anything while parsing them.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


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

class _Package:
    """A zip package with parts parsed on demand and relationships resolved to part names."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())

    def xml(self, name: str | None):
        if name not in self.names:
            return None
        root = etree.fromstring(self.zf.read(name), _PARSER)
        # Office writes some objects twice: the modern markup and a copy in mc:Fallback for old readers.
        for fallback in list(root.iter("{%s}Fallback" % NS["mc"])):
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


def _val(element, attr: str = W + "val") -> str:
    return (element.get(attr) or "") if element is not None else ""


def _text(element) -> str:
    """Visible text: w:t in Word, any text node elsewhere (field codes are w:instrText, so not counted)."""
    if element is None:
        return ""
    if element.tag.startswith(W):
        return "".join(t.text or "" for t in element.iter(W + "t"))
    return "".join(element.itertext())


def _decorative(node) -> bool:
    """Word and Excel's "Mark as decorative" (adec:decorative val=1 in the object's extLst)."""
    return any(etree.QName(e).localname == "decorative" and e.get("val") in ("1", "true") for e in node.iter())


def _alt_text_problem(node) -> tuple[str, str] | None:
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
        if _FILE_NAME.search(text):
            problems.append(("error", f"alt text is a file name ({text!r})"))
        elif _PLACEHOLDER.match(text):
            problems.append(("error", f"alt text is a placeholder ({text!r})"))
        elif "generated automatically" in text.lower() or "automatically generated" in text.lower():
            # Word's own guess: sometimes right, never reviewed, so worth a look rather than an error.
            problems.append(("warning", f"alt text was generated automatically ({text[:60]!r}): check it"))
        else:
            return None
    return problems[0]


def _problems(name: str, found) -> list[Problem]:
    """(rule, where, message[, level]) tuples → Problems; the level is "error" unless given."""
    return [Problem(name, f[0], f[3] if len(f) > 3 else "error", f[1], f[2]) for f in found]


# --- Word ------------------------------------------------------------------------------------------

def _own(element, tag: str, container: str = "tbl") -> list:
    """Descendants `tag` whose nearest `container` ancestor is `element` (so not in nested tables)."""
    return [e for e in element.iter(W + tag) if next(e.iterancestors(W + container), None) is element]


# Clark-notation paths for the lookups made for every paragraph and run: a prefixed path with a namespace
# map costs lxml a sort of the map on every call.
_SHD, _PPR, _RPR, _TCPR, _TBLPR = W + "shd", W + "pPr", W + "rPr", W + "tcPr", W + "tblPr"
_RPR_COLOR, _PPR_STYLE, _PPR_OUTLINE = _RPR + "/" + W + "color", _PPR + "/" + W + "pStyle", _PPR + "/" + W + "outlineLvl"
_TCPR_SPAN, _TCPR_VMERGE, _TCPR_HMERGE = (_TCPR + "/" + W + tag for tag in ("gridSpan", "vMerge", "hMerge"))


def _fill(props) -> str | None:
    """The shading fill of a tcPr / pPr / rPr / tblPr, upper-case hex, or None for none / auto."""
    fill = _val(props.find(_SHD) if props is not None else None, W + "fill").upper()
    return fill if _HEX.fullmatch(fill) else None


def _heading_levels(styles) -> dict[str, int]:
    """Style id → heading level (0 for Title), from the style's name ("heading 2", so localised style
    ids still work) or its outline level, following basedOn."""
    by_id = {s.get(W + "styleId"): s for s in styles.findall("w:style", NS)} if styles is not None else {}

    def level(style_id: str, depth: int = 0) -> int | None:
        style = by_id.get(style_id)
        if style is None or depth > 20:  # a basedOn loop in a hand-edited file
            return None
        name = _val(style.find("w:name", NS)).lower()
        if name == "title":
            return 0
        if m := re.fullmatch(r"heading ([1-9])", name):
            return int(m[1])
        outline = _val(style.find("w:pPr/w:outlineLvl", NS))
        if outline.isdigit():
            return int(outline) + 1 if int(outline) < 9 else None  # 9 is "body text"
        return level(_val(style.find("w:basedOn", NS)), depth + 1)

    return {sid: lvl for sid in by_id if (lvl := level(sid)) is not None}


def _cell_where(tc, tables: dict, places: dict | None = None) -> str:
    """"table T row R cell C" for a w:tc; PLACES (from `_cell_places`) answers it without a table walk."""
    if places is not None and (where := places.get(tc)) is not None:
        return where
    tr = next(tc.iterancestors(W + "tr"))
    tbl = next(tr.iterancestors(W + "tbl"))
    return f"table {tables[tbl]} row {_own(tbl, 'tr').index(tr) + 1} cell {_own(tr, 'tc', 'tr').index(tc) + 1}"


def _cell_places(tables: dict) -> dict:
    """Every table cell's `_cell_where`, worked out in one pass over each table (not a pass per cell,
    which made checking a briefing with thousands of table rows quadratic)."""
    places = {}
    for tbl, t in tables.items():
        for r, tr in enumerate(_own(tbl, "tr"), start=1):
            for c, tc in enumerate(_own(tr, "tc", "tr"), start=1):
                places[tc] = f"table {t} row {r} cell {c}"
    return places


def _has_picture(element) -> bool:
    return element is not None and any(True for _ in element.iter(W + "drawing", W + "pict", W + "object"))


def _caption_number(p) -> str | None:
    """N from a "Figure N: …" caption paragraph."""
    m = _CAPTION.match(_text(p)) if p is not None and p.tag == W + "p" else None
    return m[1] if m else None


def _docx_language(styles, body, lang: str):
    declared, where = [], "styles"
    if styles is not None:
        # The defaults, and the default paragraph style (Normal, whatever its localised id).
        for path in ("w:docDefaults/w:rPrDefault/w:rPr/w:lang",
                     "w:style[@w:type='paragraph'][@w:default='1']/w:rPr/w:lang"):
            if value := _val(styles.find(path, NS)):
                declared.append(value)
    if not declared:  # no default: the language is only set run by run
        declared, where = [_val(node) for node in body.iter(W + "lang") if _val(node)], "text"
    if not declared:
        yield "docx-language", where, f"no document language set (expected {lang})"
    for value in sorted(set(declared)):
        if value.replace("_", "-").lower() != lang.lower():
            yield "docx-language", where, f"document language is {value}, expected {lang}"


def _chart_part(pkg: _Package | None, frame, rels: dict):
    """The parsed chart part a wp:inline / wp:anchor's c:chart points to (None if missing)."""
    ref = frame.find("a:graphic/a:graphicData/c:chart", NS)
    return pkg.xml(rels.get(ref.get(R_ID))) if pkg is not None and ref is not None else None


def _on(element) -> bool:
    return element is not None and (element.get("val") or "true").lower() in ("1", "true")


def _chart_problems(chart):
    """(rule, message) for a chart part's unnamed series and missing data labels."""
    plot = chart.find("c:chart/c:plotArea", NS)
    if plot is None:
        return
    for n, ser in enumerate(plot.iterfind("*/c:ser", NS), start=1):
        tx = ser.find("c:tx", NS)  # a text or a cell reference (the cell holds the name)
        if tx is None or not "".join(tx.itertext()).strip():
            yield "docx-chart-series-name", f"series {n} has no name (Chart Design > Select Data > Edit)"
    labelled = any(_on(show) for show in plot.iterfind(".//c:dLbls//c:showVal", NS)) or \
        plot.find("c:dTable", NS) is not None
    if not labelled:
        yield "docx-chart-labels", ("no data labels or data table: the values are shown only by size or colour "
                                    "(Chart Design > Add Chart Element > Data Labels)")


def _docx_pictures(body, pkg: _Package | None = None):
    # Body only, in document order: pictures in headers and footers (logos) are not checked.
    rels = pkg.rels("word/document.xml") if pkg is not None else {}
    pictures = []
    for doc_pr in body.iter("{%s}docPr" % NS["wp"]):
        frame = doc_pr.getparent()  # wp:inline or wp:anchor
        uri = _val(frame.find("a:graphic/a:graphicData", NS), "uri")
        kind = "chart" if "chart" in uri else "picture" if uri.endswith("/picture") else None
        if kind is not None:  # shapes, text boxes, SmartArt are not pictures or charts
            pictures.append((doc_pr, kind, next(frame.iterancestors(W + "p"), None)))
    # "Figure N" names a picture as the reader sees it. Captions go below pictures (Word's default)
    # unless this document mostly puts them above; a caption between two pictures is otherwise ambiguous.
    paras = [p for _, _, p in pictures if p is not None]
    above = sum(bool(_caption_number(p.getprevious())) for p in paras) > \
        sum(bool(_caption_number(p.getnext())) for p in paras)
    for n, (doc_pr, kind, p) in enumerate(pictures, start=1):
        number = p is not None and (_caption_number(p) or _caption_number(p.getprevious() if above else p.getnext()))
        where = f"{f'figure {number}' if number else f'uncaptioned {kind}'} (page-order {numeric_ordinal(n)} image)"
        chart = _chart_part(pkg, doc_pr.getparent(), rels) if kind == "chart" else None
        found = _alt_text_problem(doc_pr)
        if found and not (chart is not None and _chart_title(chart)):  # a chart's own title also names it
            yield "docx-alt-text", where, found[1], found[0]
        if chart is not None:
            for rule, message in _chart_problems(chart):
                yield rule, where, message


def _docx_headings(paras, number, styles):
    levels = _heading_levels(styles)
    previous, seen = 0, False
    for p in paras:
        level = levels.get(_val(p.find(_PPR_STYLE)))
        outline = _val(p.find(_PPR_OUTLINE))
        if outline.isdigit():  # direct formatting overrides the style
            level = int(outline) + 1 if int(outline) < 9 else None
        if level is None:
            continue
        where, text = f"paragraph {number[p]}", _text(p).strip()
        if not text:
            yield "docx-empty-heading", where, "empty title" if level == 0 else f"empty heading (level {level})"
            continue
        seen = True
        if level == 0:
            continue  # the Title stands outside the heading levels
        if previous == 0 and level != 1:
            yield "docx-headings", where, f"first heading is level {level}, not 1: {text[:50]!r}"
        elif level > previous + 1:
            yield "docx-headings", where, f"heading level {level} follows level {previous}: {text[:50]!r}"
        previous = level
    if not seen:
        yield "docx-headings", "document", "no headings: use Heading 1, Heading 2… so readers can navigate"


def _docx_tables(tables):
    for tbl, t in tables.items():
        labels = [_val(tbl.find(f"w:tblPr/w:{tag}", NS)) for tag in ("tblDescription", "tblCaption")]
        if any(label.strip().lower().startswith("layout") for label in labels):
            continue  # a layout table only arranges the page: no header row, merging is fine
        rows = _own(tbl, "tr")
        header = rows[0].find("w:trPr/w:tblHeader", NS) if rows else None
        if rows and (header is None or _val(header).lower() in ("0", "false", "off")):
            yield "docx-table-header", f"table {t}", ("first row is not marked as a header row that repeats "
                                                      "(Table Properties > Row > Repeat as header row)")
        for r, row in enumerate(rows, start=1):
            merged = [c for c, tc in enumerate(_own(row, "tc", "tr"), start=1)
                      if _val(tc.find(_TCPR_SPAN)) not in ("", "0", "1")
                      or tc.find(_TCPR_VMERGE) is not None or tc.find(_TCPR_HMERGE) is not None]
            if merged:
                yield "docx-merged-cells", f"table {t}", f"merged cells in a data table (first at row {r} cell " \
                                                         f"{merged[0]})"
                break


def _docx_colour(body, paras, number, tables):
    # Only text that is coloured, or on a shaded run, paragraph, cell or table, can fail: find those
    # elements with one XPath each, and look closely at the paragraphs they are in (or that are in them).
    coloured = body.xpath(".//w:r[w:rPr/w:color or w:rPr/w:shd]", namespaces=NS)
    shaded = set(body.xpath(".//w:p[w:pPr/w:shd] | .//w:tc[w:tcPr/w:shd] | .//w:tbl[w:tblPr/w:shd]",
                            namespaces=NS))
    candidates = {next(r.iterancestors(W + "p"), None) for r in coloured}
    for element in shaded:
        candidates.update(element.iter(W + "p"))
    places = _cell_places(tables)
    for tbl in tables:
        for tc in _own(tbl, "tc"):
            if tc not in shaded:
                continue  # no w:shd in its w:tcPr, so no fill
            fill = _fill(tc.find(_TCPR))
            if fill and fill != "FFFFFF" and not _text(tc).strip() and not _has_picture(tc):
                yield "docx-colour-only", _cell_where(tc, tables, places), f"shaded cell (#{fill}) with no " \
                                                                           "text: colour alone carries meaning"
    reported = set()
    for p in paras:
        if p not in candidates:
            continue
        tc = next(p.iterancestors(W + "tc"), None)
        where = _cell_where(tc, tables, places) if tc is not None else f"paragraph {number[p]}"
        if where in reported:
            continue
        behind = _fill(p.find(_PPR))
        if behind is None and tc is not None:
            tbl = next(tc.iterancestors(W + "tbl"))
            behind = _fill(tc.find(_TCPR)) or _fill(tbl.find(_TBLPR))
        for run in _own(p, "r", "p"):
            if where in reported:
                continue
            bg = _fill(run.find(_RPR)) or behind or "FFFFFF"
            colour = _val(run.find(_RPR_COLOR)).upper()
            if not _HEX.fullmatch(colour):  # "auto" (or nothing): black, which only matters on a fill
                if bg == "FFFFFF":
                    continue
                colour = "000000"
            if not "".join(t.text or "" for t in run.iterchildren(W + "t")).strip():
                continue  # no visible text in this run
            ratio = contrast(colour, bg)
            if ratio < 4.5:
                reported.add(where)
                shown = math.floor(ratio * 10) / 10  # never round 4.47 up to "4.5"
                yield "docx-contrast", where, f"text #{colour} on #{bg} has contrast {shown:.1f}:1, below 4.5:1"


def _is_blank(p) -> bool:
    """An empty paragraph used as spacing: no text, picture, field, or page / section break."""
    if _text(p).strip() or _has_picture(p) or p.find("w:pPr/w:sectPr", NS) is not None:
        return False
    if p.find("w:pPr/w:pageBreakBefore", NS) is not None and _val(p.find("w:pPr/w:pageBreakBefore", NS)) not in (
            "0", "false", "off"):
        return False
    if any(_val(br, W + "type") in ("page", "column") for br in p.iter(W + "br")):
        return False
    return next(p.iter(W + "fldSimple", W + "fldChar", W + "sym"), None) is None


def _docx_spacing(body, number):
    run: list = []
    for child in [*body, None]:
        if child is not None and child.tag == W + "p" and _is_blank(child):
            run.append(child)
            continue
        if child is not None and child.tag not in (W + "p", W + "tbl", W + "sdt", W + "customXml", W + "sectPr"):
            continue  # bookmarks, proofing marks: not content, so they do not end a run
        if len(run) >= 3:
            yield ("docx-empty-paragraphs", f"paragraphs {number[run[0]]}–{number[run[-1]]}",
                   f"{len(run)} empty paragraphs in a row used as spacing: use paragraph spacing instead")
        run = []


def _hyperlink_field(instruction: str) -> str | None:
    """The address of a HYPERLINK field ('HYPERLINK "https://…"'); None for others and \\l bookmark links."""
    m = re.match(r'\s*HYPERLINK\s+(?:"([^"]+)"|([^\s\\"]\S*))', instruction or "", re.I)
    return (m[1] or m[2]) if m else None


def _links_in(p, external: dict):
    """(text, address) of each external link in a paragraph: w:hyperlink, simple and complex HYPERLINK fields."""
    for el in p.iter(W + "hyperlink", W + "fldSimple"):
        if next(el.iterancestors(W + "p"), None) is not p:
            continue
        address = external.get(el.get(R_ID)) if el.tag == W + "hyperlink" else _hyperlink_field(_val(el, W + "instr"))
        if address is not None:
            yield _text(el).strip(), address
    if next(p.iter(W + "fldChar"), None) is None:
        return  # no complex field begins here
    fields: list[list] = []  # [instruction, result text, in result?] for each open field
    for el in p.iter(W + "fldChar", W + "instrText", W + "t"):
        if next(el.iterancestors(W + "p"), None) is not p:
            continue
        if el.tag == W + "fldChar":
            kind = _val(el, W + "fldCharType")
            if kind == "begin":
                fields.append(["", "", False])
            elif kind == "separate" and fields:
                fields[-1][2] = True
            elif kind == "end" and fields:
                instruction, text, _ = fields.pop()
                if (address := _hyperlink_field(instruction)) is not None:
                    yield text.strip(), address
        elif el.tag == W + "instrText" and fields and not fields[-1][2]:
            fields[-1][0] += el.text or ""
        elif el.tag == W + "t":
            for field in fields:
                if field[2]:
                    field[1] += el.text or ""


def _docx_links(paras, external):
    n = 0
    for p in paras:
        for text, address in _links_in(p, external):
            n += 1
            where = f"hyperlink {n}"
            if not text:
                yield "docx-link-text", where, f"hyperlink has no text ({address})"
            elif text.lower().strip(" .:!") in _VAGUE_LINK:
                yield "docx-link-text", where, f"link text {text!r} does not say where it goes ({address})"
            elif _URL.match(text) or text == address:
                yield "docx-link-text", where, f"link text is a bare web address ({text[:60]!r})"


def _check_docx(name: str, pkg: _Package, lang: str) -> list[Problem]:
    document = pkg.xml("word/document.xml")
    if document is None:
        return [Problem(name, "file-readable", "error", "file", "no word/document.xml: not a Word document")]
    body = document.find("w:body", NS)
    body = body if body is not None else etree.Element(W + "body")
    styles = pkg.xml("word/styles.xml")
    paras = list(body.iter(W + "p"))  # "paragraph N" counts every paragraph, table cells included
    number = {p: n for n, p in enumerate(paras, start=1)}
    tables = {tbl: n for n, tbl in enumerate(body.iter(W + "tbl"), start=1)}  # nested tables too

    found = []
    if not pkg.title():
        found.append(("docx-title", "properties", "document title is not set (File > Info > Properties > Title)"))
    found += _docx_language(styles, body, lang)
    found += _docx_pictures(body, pkg)
    found += _docx_headings(paras, number, styles)
    found += _docx_tables(tables)
    found += _docx_colour(body, paras, number, tables)
    found += _docx_spacing(body, number)
    found += _docx_links(paras, pkg.rels("word/document.xml", external=True))
    return _problems(name, found)


# --- Excel -----------------------------------------------------------------------------------------

def _cells(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' → (min col, min row, max col, max row); None if unreadable."""
    corners = []
    for cell in (ref or "").split(":"):
        m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", cell.strip().upper())
        if not m:
            return None
        col = 0
        for ch in m[1]:
            col = col * 26 + ord(ch) - 64
        corners.append((col, int(m[2])))
    (c1, r1), (c2, r2) = corners[0], corners[-1]
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def _overlap(x: str, y: str) -> bool:
    a, b = _cells(x), _cells(y)
    return a is not None and b is not None and not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _chart_title(chart) -> bool:
    """An explicit title with text or a cell reference (c:chart/c:title, or cx: for newer chart types)."""
    if chart is None:
        return False
    ns = etree.QName(chart).namespace
    title = chart.find(f"{{{ns}}}chart/{{{ns}}}title")
    return title is not None and (bool("".join(title.itertext()).strip())
                                  or any(etree.QName(e).localname == "f" for e in title.iter()))


def _xlsx_sheet(pkg: _Package, part: str, where: str):
    sheet = pkg.xml(part)
    if sheet is None:
        return
    sheet_rels = pkg.rels(part)
    merged = [m.get("ref") for m in sheet.findall("x:mergeCells/x:mergeCell", NS)]
    for t in sheet.findall("x:tableParts/x:tablePart", NS):
        table = pkg.xml(sheet_rels.get(t.get(R_ID)))
        if table is None:
            continue
        label = f"{where} table {table.get('displayName') or table.get('name')!r}"
        if table.get("headerRowCount") == "0":
            yield "xlsx-table-header", label, "table has no header row"
        for ref in merged:
            if _overlap(ref, table.get("ref")):
                yield "xlsx-merged-cells", label, f"merged cells {ref} inside the table"
    charts = images = 0  # numbered per sheet, in drawing order
    for d in sheet.findall("x:drawing", NS):
        drawing_part = sheet_rels.get(d.get(R_ID))
        drawing = pkg.xml(drawing_part)
        if drawing is None:
            continue
        drawing_rels = pkg.rels(drawing_part)
        for item in drawing.iter("{%s}graphicFrame" % NS["xdr"], "{%s}pic" % NS["xdr"]):
            if item.tag.endswith("}pic"):
                images += 1
                if found := _alt_text_problem(item.find("xdr:nvPicPr/xdr:cNvPr", NS)):
                    yield "xlsx-image-alt-text", f"{where} image {images}", found[1], found[0]
                continue
            chart_ref = next((e for e in item.iter() if etree.QName(e).localname == "chart" and e.get(R_ID)), None)
            if chart_ref is None:
                continue
            charts += 1
            label = f"{where} chart {charts}"
            if not _chart_title(pkg.xml(drawing_rels.get(chart_ref.get(R_ID)))):
                yield "xlsx-chart-title", label, "chart has no title (Chart Design > Add Chart Element > Chart Title)"
            if found := _alt_text_problem(item.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS)):
                yield "xlsx-chart-alt-text", label, found[1], found[0]


def _check_xlsx(name: str, pkg: _Package, lang: str) -> list[Problem]:
    workbook = pkg.xml("xl/workbook.xml")
    if workbook is None:
        return [Problem(name, "file-readable", "error", "file", "no xl/workbook.xml: not an Excel workbook")]
    found = []
    if not pkg.title():
        found.append(("xlsx-title", "properties", "workbook title is not set (File > Info > Properties > Title)"))
    rels = pkg.rels("xl/workbook.xml")
    for sheet in workbook.findall("x:sheets/x:sheet", NS):
        where = f"sheet {sheet.get('name')!r}"
        if re.fullmatch(r"sheet\d+", sheet.get("name") or "", re.I):
            found.append(("xlsx-sheet-names", where, "sheet has a default name: name it for what it holds"))
        if part := rels.get(sheet.get(R_ID)):
            found += _xlsx_sheet(pkg, part, where)
    return _problems(name, found)


# --- entry points ----------------------------------------------------------------------------------

_KINDS = {".docx": _check_docx, ".docm": _check_docx, ".xlsx": _check_xlsx, ".xlsm": _check_xlsx}


def check_file(path: str | Path, *, lang: str = "en-GB") -> list[Problem]:
    """Every problem in one file; an unreadable file is one `file-readable` problem, never an exception."""
    path = Path(path)

    def unreadable(message: str) -> list[Problem]:
        return [Problem(path.name, "file-readable", "error", "file", message)]

    check = _KINDS.get(path.suffix.lower())
    if check is None:
        return unreadable("not a .docx or .xlsx file")
    if not path.exists():
        return unreadable("file not found")
    if not path.is_file():
        return unreadable("not a file")
    try:
        with path.open("rb") as f:
            if f.read(8) == _OLE_MAGIC:
                return unreadable("password-protected, or an old .doc/.xls renamed: save it from Word or Excel "
                                  "as .docx/.xlsx without a password")
        with zipfile.ZipFile(path) as zf:
            pkg = _Package(zf)
            if "[Content_Types].xml" not in pkg.names:
                return unreadable("a zip file but not an Office package (no [Content_Types].xml)")
            return check(path.name, pkg, lang)
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
