"""A saved report file → its blocks of text, each with the line of the file it starts on.

CQC publishes its local authority assessments only as web pages. An officer saves one as text (the
browser's "Save as text", or copy and paste), as Markdown, or as the web page itself (.html). All three
become the same list of `Block`s: one per paragraph, heading or list item, with `**bold**` kept (the
workbook's own mark for bold) and links reduced to their words. Nothing here knows what a CQC report
says; `parse` does. Files that are plainly something else (a PDF, a Word or Excel file) are named as
what they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ReportError
from ..files import Unreadable, display_name, read_regular

MAX_REPORT = 20 * 1024 * 1024  # a report's text is about 150 KB; its saved page a few MB


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the file the block starts on
    text: str
    heading: bool | None = None  # True: marked as a heading (HTML, Markdown); None: the file does not say


def read_report(path: Path) -> list[Block]:
    """The blocks of the report saved at PATH (text, Markdown or HTML); a `ReportError` if it cannot be read."""
    try:
        data = read_regular(path, MAX_REPORT, "a saved report")
    except Unreadable as exc:
        raise ReportError(f"{display_name(path)}: {exc.reason}") from None
    return blocks_of(data, path.name)


def _what_else(data: bytes) -> str | None:
    """What DATA is when plainly not a report saved as text or a web page."""
    if data.startswith(b"%PDF"):
        return ("is a PDF: save the report's web page on CQC's site as text (.txt) or as a web page (.html), or "
                "copy its text into a .txt file")
    if data.startswith(b"PK"):
        return "is a Word, Excel or zip file, not a report saved as text or as a web page"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "is an old Word or Excel file, not a report saved as text or as a web page"
    if b"\0" in data[:4096]:
        return "is not text: save the report's web page as text (.txt) or as a web page (.html)"
    return None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows' own encoding (Notepad's "ANSI")."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def blocks_of(data: bytes, name: str) -> list[Block]:
    """DATA (a whole file called NAME) as blocks."""
    if (other := _what_else(data)) is not None:
        raise ReportError(f"{name}: {other}")
    text = _decode(data)
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(body|main|p|h[1-6])[\s>]", head):
        return html_blocks(text)
    return text_blocks(text)


# --- text and Markdown ------------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^[*+\u2022]\s+")


def text_blocks(text: str) -> list[Block]:
    """Each non-blank line is a block (the way a saved page's text comes); Markdown marks are read."""
    blocks = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _LINK.sub(r"\1", raw).replace("\u00a0", " ").strip()
        heading = None
        if (m := _MD_HEADING.match(line)) is not None:
            line, heading = m.group(2), True
        line = _BULLET.sub("- ", line).replace("__", "**")
        if line:
            blocks.append(Block(number, line, heading))
    return blocks


# --- a saved web page -------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
               "ul", "ol", "tr", "td", "th", "dt", "dd", "blockquote", "br", "main", "nav", "aside", "table",
               "figcaption", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.main_blocks: list[Block] | None = None  # the blocks inside <main>, when the page has one
        self._buffer: list[str] = []
        self._line = 1
        self._heading = False
        self._skip = 0
        self._in_main = 0

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
        text = re.sub(r"\*\*\s*\*\*", "", text).strip()
        if text and text != "**":
            block = Block(self._line, text, True if self._heading else None)
            self.blocks.append(block)
            if self._in_main and self.main_blocks is not None:
                self.main_blocks.append(block)
        self._buffer = []
        self._heading = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            self._line = self.getpos()[0]
            self._heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
            if tag == "li":
                self._buffer.append("- ")
        if tag == "main":
            self._in_main += 1
            if self.main_blocks is None:
                self.main_blocks = []
        if tag in ("strong", "b") and not self._skip:
            self._buffer.append("**")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
            return
        if tag in ("strong", "b") and not self._skip:
            self._buffer.append("**")
        if tag in _BLOCK_TAGS:
            self._flush()
            self._line = self.getpos()[0]
        if tag == "main":
            self._in_main = max(0, self._in_main - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if not "".join(self._buffer).strip():
            self._line = self.getpos()[0] + len(re.match(r"\s*", data).group(0).split("\n")) - 1
        self._buffer.append(data.replace("\u00a0", " "))


def html_blocks(text: str) -> list[Block]:
    """The page's paragraphs, headings and list items, from its <main> part when it has one (leaving out
    the site's menus and footer)."""
    page = _PageText()
    page.feed(text)
    page.close()
    page._flush()
    return page.main_blocks if page.main_blocks else page.blocks
