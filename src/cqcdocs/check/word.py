"""The Word rules: title, language, alt text on pictures and charts, headings, tables, colour, spacing, links."""

from __future__ import annotations

import math
import re

from lxml import etree

from ..palette import contrast
from ..wording import numeric_ordinal
from .shared import (CAPTION, HEX, NS, R_ID, W, URL, VAGUE_LINK, Problem, alt_text_problem, has_chart_title,
                     Package, to_problems, text_of, value_of)


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
    fill = value_of(props.find(_SHD) if props is not None else None, W + "fill").upper()
    return fill if HEX.fullmatch(fill) else None


def _heading_levels(styles) -> dict[str, int]:
    """Style id → heading level (0 for Title), from the style's name ("heading 2", so localised style
    ids still work) or its outline level, following basedOn."""
    by_id = {s.get(W + "styleId"): s for s in styles.findall("w:style", NS)} if styles is not None else {}

    def level(style_id: str, depth: int = 0) -> int | None:
        style = by_id.get(style_id)
        if style is None or depth > 20:  # a basedOn loop in a hand-edited file
            return None
        name = value_of(style.find("w:name", NS)).lower()
        if name == "title":
            return 0
        if m := re.fullmatch(r"heading ([1-9])", name):
            return int(m[1])
        outline = value_of(style.find("w:pPr/w:outlineLvl", NS))
        if outline.isdigit():
            return int(outline) + 1 if int(outline) < 9 else None  # 9 is "body text"
        return level(value_of(style.find("w:basedOn", NS)), depth + 1)

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
    m = CAPTION.match(text_of(p)) if p is not None and p.tag == W + "p" else None
    return m[1] if m else None


def _docx_language(styles, body, lang: str):
    declared, where = [], "styles"
    if styles is not None:
        # The defaults, and the default paragraph style (Normal, whatever its localised id).
        for path in ("w:docDefaults/w:rPrDefault/w:rPr/w:lang",
                     "w:style[@w:type='paragraph'][@w:default='1']/w:rPr/w:lang"):
            if value := value_of(styles.find(path, NS)):
                declared.append(value)
    if not declared:  # no default: the language is only set run by run
        declared, where = [value_of(node) for node in body.iter(W + "lang") if value_of(node)], "text"
    if not declared:
        yield "docx-language", where, f"no document language set (expected {lang})"
    for value in sorted(set(declared)):
        if value.replace("_", "-").lower() != lang.lower():
            yield "docx-language", where, f"document language is {value}, expected {lang}"


def _chart_part(pkg: Package | None, frame, rels: dict):
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


def _docx_pictures(body, pkg: Package | None = None):
    # Body only, in document order: pictures in headers and footers (logos) are not checked.
    rels = pkg.rels("word/document.xml") if pkg is not None else {}
    pictures = []
    for doc_pr in body.iter(f"{{{NS['wp']}}}docPr"):
        frame = doc_pr.getparent()  # wp:inline or wp:anchor
        uri = value_of(frame.find("a:graphic/a:graphicData", NS), "uri")
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
        found = alt_text_problem(doc_pr)
        if found and not (chart is not None and has_chart_title(chart)):  # a chart's own title also names it
            yield "docx-alt-text", where, found[1], found[0]
        if chart is not None:
            for rule, message in _chart_problems(chart):
                yield rule, where, message


def _docx_headings(paras, number, styles):
    levels = _heading_levels(styles)
    previous, seen = 0, False
    for p in paras:
        level = levels.get(value_of(p.find(_PPR_STYLE)))
        outline = value_of(p.find(_PPR_OUTLINE))
        if outline.isdigit():  # direct formatting overrides the style
            level = int(outline) + 1 if int(outline) < 9 else None
        if level is None:
            continue
        where, text = f"paragraph {number[p]}", text_of(p).strip()
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
        labels = [value_of(tbl.find(f"w:tblPr/w:{tag}", NS)) for tag in ("tblDescription", "tblCaption")]
        if any(label.strip().lower().startswith("layout") for label in labels):
            continue  # a layout table only arranges the page: no header row, merging is fine
        rows = _own(tbl, "tr")
        header = rows[0].find("w:trPr/w:tblHeader", NS) if rows else None
        if rows and (header is None or value_of(header).lower() in ("0", "false", "off")):
            yield "docx-table-header", f"table {t}", ("first row is not marked as a header row that repeats "
                                                      "(Table Properties > Row > Repeat as header row)")
        for r, row in enumerate(rows, start=1):
            merged = [c for c, tc in enumerate(_own(row, "tc", "tr"), start=1)
                      if value_of(tc.find(_TCPR_SPAN)) not in ("", "0", "1")
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
            if fill and fill != "FFFFFF" and not text_of(tc).strip() and not _has_picture(tc):
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
            colour = value_of(run.find(_RPR_COLOR)).upper()
            if not HEX.fullmatch(colour):  # "auto" (or nothing): black, which only matters on a fill
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
    if text_of(p).strip() or _has_picture(p) or p.find("w:pPr/w:sectPr", NS) is not None:
        return False
    if p.find("w:pPr/w:pageBreakBefore", NS) is not None and value_of(p.find("w:pPr/w:pageBreakBefore", NS)) not in (
            "0", "false", "off"):
        return False
    if any(value_of(br, W + "type") in ("page", "column") for br in p.iter(W + "br")):
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
        address = external.get(el.get(R_ID)) if el.tag == W + "hyperlink" else _hyperlink_field(value_of(el, W + "instr"))
        if address is not None:
            yield text_of(el).strip(), address
    if next(p.iter(W + "fldChar"), None) is None:
        return  # no complex field begins here
    fields: list[list] = []  # [instruction, result text, in result?] for each open field
    for el in p.iter(W + "fldChar", W + "instrText", W + "t"):
        if next(el.iterancestors(W + "p"), None) is not p:
            continue
        if el.tag == W + "fldChar":
            kind = value_of(el, W + "fldCharType")
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
            elif text.lower().strip(" .:!") in VAGUE_LINK:
                yield "docx-link-text", where, f"link text {text!r} does not say where it goes ({address})"
            elif URL.match(text) or text == address:
                yield "docx-link-text", where, f"link text is a bare web address ({text[:60]!r})"


def check_docx(name: str, pkg: Package, lang: str) -> list[Problem]:
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
    return to_problems(name, found)


