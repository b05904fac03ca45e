"""Officer-written paragraphs (the workbook's Section text sheet) around the briefing's own sections.

`framed` runs one section of `briefing.SECTIONS` and puts the workbook's paragraphs for it just after its
heading ("Before") and at its end ("After"), so no section function needs to know about them. A section
that writes nothing (no survey, say) still gets its heading when the officer wrote text for it.
"""

from __future__ import annotations

from collections.abc import Callable

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


def framed(section: Callable, heading: str | None, w: Writer, b) -> None:
    """Run SECTION (whose level-1 heading is HEADING) with the workbook's Section text around it."""
    texts = [t for t in b.workbook.section_text if heading and t.section == heading]
    if not texts:
        section(w, b)
        return
    start = w.blocks_written()
    section(w, b)
    anchor = w.heading_since(start, heading)
    if anchor is None:  # the section had nothing of its own to say
        anchor = w.blocks_written()
        w.heading(heading, 1)
    before_start = w.blocks_written()
    for t in texts:
        if t.position == "Before":
            write_text(w, t.text)
    w.move_since(before_start, anchor)
    for t in texts:
        if t.position == "After":
            write_text(w, t.text)
