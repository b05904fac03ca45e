"""Paragraphs, runs and fields, made fast: a long briefing has tens of thousands of them.

python-docx makes each run character by character and each property by searching its parent for where
the element goes; these helpers give the same XML by copying properties made once by python-docx itself.
"""

from __future__ import annotations

import copy
import functools
import re

from docx.enum.style import WD_STYLE_TYPE
from lxml import etree
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

def _run_colour(run, colour: str) -> None:
    run.font.color.rgb = RGBColor.from_string(colour)



_SPECIAL_CHARS = re.compile("[\t\r\n]")
_W_R, _W_T, _XML_SPACE = qn("w:r"), qn("w:t"), qn("xml:space")


def add_run(paragraph: Paragraph, text: str, bold: bool = False) -> Run:
    """paragraph.add_run(text) (then .bold = True if BOLD), with the same XML as python-docx gives."""
    if not text or _SPECIAL_CHARS.search(text):  # tabs and line breaks: python-docx's own translation
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        return run
    # SubElement, not OxmlElement + append: each OxmlElement declares its namespace and lxml then strips the
    # declaration again when it joins the paragraph, the most expensive step of a run. The document's parser
    # still gives the elements python-docx's classes.
    r = etree.SubElement(paragraph._p, _W_R)
    t = etree.SubElement(r, _W_T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_XML_SPACE, "preserve")
    if bold:
        r.insert(0, copy.deepcopy(run_properties(None, True, None)))
    return Run(r, paragraph)


@functools.cache
def run_properties(size_pt: float | None, bold: bool, colour: str | None):
    """A w:rPr as python-docx makes it for a run of this size, weight and colour (copy before use)."""
    run = Run(OxmlElement("w:r"), None)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold:
        run.bold = True
    if colour:
        _run_colour(run, colour)
    return run._r.rPr


@functools.cache
def cell_paragraph_properties(alignment, keep_with_next: bool):
    """A table cell paragraph's w:pPr as python-docx makes it in a data table (copy before use)."""
    paragraph = Paragraph(OxmlElement("w:p"), None)
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph._p.pPr


def add_field(paragraph, instruction: str, placeholder: str, dirty: bool = False) -> None:
    """A complex field (begin, instruction, separate, cached result, end) that Word and LibreOffice update."""
    def fld_char(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            char.set(qn("w:dirty"), "true")
        run._r.append(char)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")



class FastBody:
    """The python-docx Document, with the paragraph calls that the briefing makes thousands of times (a
    long findings list, one bullet per finding) made cheap. Each gives exactly python-docx's XML, but
    python-docx finds the body's closing w:sectPr by searching the whole body for every new paragraph,
    and looks up a style by name (and the default style) by searching all styles, every time; together
    they made a 10,000-finding briefing quadratic. Everything else is the Document's own."""

    def __init__(self, document):
        self._document = document
        self._style_ids: dict[str, str | None] = {}
        self._end = None  # the body's w:sectPr, found once

    def __getattr__(self, name: str):
        return getattr(self._document, name)

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        body = self._document.element.body
        if self._end is None or self._end.getparent() is not body:
            self._end = body.find(qn("w:sectPr"))
        p = OxmlElement("w:p")
        if self._end is not None:
            self._end.addprevious(p)
        else:
            body.append(p)
        paragraph = Paragraph(p, self._document._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            if style not in self._style_ids:  # the style id, None for the default paragraph style
                self._style_ids[style] = self._document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            # What p.style = id gives on a new paragraph (an empty w:pPr for the default style), without
            # python-docx's search for where each element goes.
            style_id, ppr = self._style_ids[style], OxmlElement("w:pPr")
            if style_id is not None:
                pstyle = OxmlElement("w:pStyle")
                pstyle.set(qn("w:val"), style_id)
                ppr.append(pstyle)
            p.insert(0, ppr)
        return paragraph

    def add_heading(self, text: str = "", level: int = 1) -> Paragraph:
        if not 0 <= level <= 9:
            raise ValueError(f"level must be in range 0-9, got {level}")
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")



BOOKMARK_BASE = 1000  # bookmark ids of the contents' targets, clear of any a template brings


def mark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """A bookmark NAME around PARAGRAPH's text (after its properties), for links and page references."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def contents_entry(text: str, bookmark: str, level: int, style_id: str | None, width_twips: int = 9638):
    """A table-of-contents line: TEXT linked to BOOKMARK, a dot leader, and a PAGEREF field for its page.
    With no template style for the level (STYLE_ID None), indent and spacing are set on the paragraph."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    if style_id:
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), style_id)
        ppr.append(style)
    tabs, tab = OxmlElement("w:tabs"), OxmlElement("w:tab")
    for key, value in (("val", "right"), ("leader", "dot"), ("pos", str(width_twips))):
        tab.set(qn(f"w:{key}"), value)
    tabs.append(tab)
    ppr.append(tabs)
    if not style_id:
        spacing, ind = OxmlElement("w:spacing"), OxmlElement("w:ind")
        spacing.set(qn("w:before"), "0")
        spacing.set(qn("w:after"), "60" if level == 1 else "20")
        ind.set(qn("w:left"), str(360 * (level - 1)))
        ppr.append(spacing)
        ppr.append(ind)
    p.append(ppr)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    p.append(link)

    def run(*children):
        r = OxmlElement("w:r")
        for child in children:
            r.append(child)
        link.append(r)

    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run(t)
    run(OxmlElement("w:tab"))
    for kind, instruction in (("begin", None), (None, f" PAGEREF {bookmark} \\h "), ("separate", None),
                              ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run(instr)
    return p
