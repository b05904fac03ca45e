"""Officer-written paragraphs (the workbook's Section text sheet) around the briefing's own sections.

`framed` runs one section of `briefing.SECTIONS` and puts the workbook's paragraphs for it just after its
heading ("Before") and at its end ("After"), so no section function needs to know about them. A section
that writes nothing (no survey, say) still gets its heading when the officer wrote text for it.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .word.writer import Writer

BULLET = ("- ", "\u2022 ", "* ")


def write_text(w: Writer, text: str) -> None:
    """TEXT as paragraphs, one a line; lines starting "- " (or "• ") are a bulleted list, and a line starting
    "## " is a subheading (level 2)."""
    bullets: list[str] = []
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith(BULLET):
            bullets.append(line[2:].strip())
            continue
        if bullets:
            w.bullets(bullets)
            bullets = []
        if line.startswith("## "):
            w.heading(line[3:].strip(), 2)
        elif line:
            w.para(line)


def _content(w: Writer) -> list:
    """The body's children, without its closing w:sectPr."""
    return [e for e in w.doc.element.body if e.tag != qn("w:sectPr")]


def _heading_after(w: Writer, start: int, heading: str):
    """The first level-1 heading reading HEADING in the body from child START on, or None."""
    for element in _content(w)[start:]:
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, w.doc._body)
            if paragraph.style.name == "Heading 1" and paragraph.text == heading:
                return element
    return None


def framed(section: Callable, heading: str | None, w: Writer, b) -> None:
    """Run SECTION (whose level-1 heading is HEADING) with the workbook's Section text around it."""
    texts = [t for t in b.workbook.section_text if heading and t.section == heading]
    if not texts:
        section(w, b)
        return
    start = len(_content(w))
    section(w, b)
    anchor = _heading_after(w, start, heading)
    if anchor is None:  # the section had nothing of its own to say
        anchor = w.heading(heading, 1)._p
    before_start = len(_content(w))
    for t in texts:
        if t.position == "Before":
            write_text(w, t.text)
    for element in reversed(_content(w)[before_start:]):
        anchor.addnext(element)
    for t in texts:
        if t.position == "After":
            write_text(w, t.text)
