"""Saved report files → their blocks of text, each with the file and line it starts on.

CQC publishes each local authority assessment as about eleven web pages and a PDF download. An officer
saves one page, several, or the PDF: as text (the browser's "Save as text", or copy and paste), as
Markdown, as the web page itself (.html, also a browser's "complete" save with its `_files` folder), or
the PDF. All of them become one list of `Block`s: one per paragraph, heading or list item, with `**bold**`
kept (the workbook's own mark for bold) and links reduced to their words. Several files are read in turn
and the furniture every page repeats (the title, "Published: …", "Downloads") is kept once. Nothing here
knows what a CQC report says beyond that furniture; `parse` does. Text is read as people save it: UTF-8,
UTF-16, Windows' own encoding, a stray byte named at its line, control characters removed with a note.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ReportError
from ..files import Unreadable, display_name, read_regular

MAX_REPORT = 20 * 1024 * 1024  # a report's text is about 150 KB; its saved page a few MB, its PDF about 1 MB
MAX_PAGES = 500  # CQC's PDF of a report runs to about 40 pages
MAX_FILES = 200  # a folder of one council's pages holds about twelve
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf")


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the file the block starts on
    text: str
    heading: bool | None = None  # True: marked as a heading (HTML, Markdown); None: the file does not say
    source: str = ""  # the file's name, when the report is read from several files


class Blocks(list):
    """A report's blocks, with the notes made while reading them ("report.txt:12: a control character …")."""

    def __init__(self, blocks=(), notes=(), name: str = ""):
        super().__init__(blocks)
        self.notes: list[str] = list(notes)
        self.name = name


def read_report(path: Path) -> Blocks:
    """The blocks of the report saved at PATH (text, Markdown, HTML or PDF); a `ReportError` if it cannot be
    read."""
    try:
        data = read_regular(path, MAX_REPORT, "a saved report")
    except Unreadable as exc:
        raise ReportError(f"{display_name(path)}: {exc.reason}") from None
    return blocks_of(data, path.name)


def report_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files to read for PATHS (files, or folders of saved pages), and a note for each file left out."""
    files: list[Path] = []
    notes: list[str] = []
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            files.append(path)
            continue
        found = []
        for child in sorted(path.rglob("*")):
            inside = child.relative_to(path).parts
            # A browser's "complete" save keeps the page's pictures, styles and scripts in "<page>_files".
            if any(p.startswith(".") or p.endswith("_files") for p in inside[:-1]) or inside[-1].startswith("."):
                continue
            if child.is_file() and child.suffix.lower() in SUFFIXES:
                found.append(child)
            elif child.is_file():
                notes.append(f"{path.name}/{'/'.join(inside)}: not a saved report (.txt, .md, .html or .pdf); "
                             "left out")
        if not found:
            raise ReportError(f"{display_name(path)}: is a folder with no saved report in it (.txt, .md, .html or .pdf)")
        files += found
    if len(files) > MAX_FILES:
        raise ReportError(f"{len(files)} files: more than {MAX_FILES}, which is not one council's report")
    return files, notes


def read_reports(paths: list[Path]) -> Blocks:
    """The blocks of every report file in PATHS (files or folders), in turn, each with its file's name; every
    unreadable file is one line of a single `ReportError`."""
    files, notes = report_files(paths)
    problems: list[str] = []
    blocks: list[Block] = []
    named = len(files) > 1
    for path in files:
        try:
            got = read_report(path)
        except ReportError as exc:
            problems += exc.lines
            continue
        notes += got.notes
        blocks += [Block(b.line, b.text, b.heading, path.name) for b in got] if named else list(got)
    if problems:
        raise ReportError(*problems)
    name = files[0].name if len(files) == 1 else (
        Path(paths[0]).name + "/" if len(paths) == 1 and Path(paths[0]).is_dir() else f"{len(files)} files")
    return Blocks(blocks, notes, name)  # parse keeps each page's furniture once, having seen whose pages they are


# --- what the bytes are ----------------------------------------------------------------------------------

def _what_else(data: bytes) -> str | None:
    """What DATA is when plainly not a report saved as text, a web page or a PDF."""
    if data.startswith(b"PK"):
        return "is a Word, Excel or zip file, not a report saved as text, as a web page or as a PDF"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "is an old Word or Excel file, not a report saved as text, as a web page or as a PDF"
    return None


def _utf16(data: bytes) -> str | None:
    """Which UTF-16 DATA is in (Notepad's "Unicode"), by its byte-order mark or its zero bytes; else None."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 8:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 8:
            return "utf-16-le"
        if even > len(head) // 4 and odd < even // 8:
            return "utf-16-be"
    return None


def _cp1252_for_bad_bytes(exc: UnicodeDecodeError):
    bad = exc.object[exc.start:exc.end]
    return bad.decode("cp1252", errors="replace"), exc.end


codecs.register_error("cqcdocs-cp1252", _cp1252_for_bad_bytes)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def decode(data: bytes, name: str, notes: list[str]) -> str:
    """DATA as text: UTF-16 by its mark; UTF-8 (with or without a mark); a file with no UTF-8 in it in Windows'
    own encoding (Notepad's "ANSI"); a UTF-8 file with a stray byte read line by line, each bad line named."""
    if (kind := _utf16(data)) is not None:
        return data.decode(kind, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE.search(data):
        return data.decode("cp1252", errors="replace")
    lines = data.split(b"\n")
    out = []
    bad = []
    for number, raw in enumerate(lines, start=1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(raw.decode("utf-8", errors="cqcdocs-cp1252"))
            bad.append(number)
    if bad:
        notes.append(f"{name}:{bad[0]}: a byte that is not UTF-8 was read as Windows' own encoding"
                     + (f" (and on {len(bad) - 1} more line{'s' * (len(bad) > 2)})" if len(bad) > 1 else "")
                     + "; check the line's text")
    return "\n".join(out).lstrip("\ufeff")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def clean(text: str, name: str, notes: list[str]) -> str:
    """TEXT in NFC with zero-width characters gone (names then compare as they look) and control characters
    removed, with a note at the first line that held one."""
    if (first := _CONTROL.search(text)) is not None:
        line = text.count("\n", 0, first.start()) + 1
        count = len(_CONTROL.findall(text))
        notes.append(f"{name}:{line}: {count} control character{'s' * (count != 1)} (such as NUL) removed"
                     + (" from this line and others" if count > 1 else ""))
        text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))


def blocks_of(data: bytes, name: str) -> Blocks:
    """DATA (a whole file called NAME) as blocks."""
    if (other := _what_else(data)) is not None:
        raise ReportError(f"{name}: {other}")
    if data.lstrip()[:5] == b"%PDF-":
        return pdf_blocks(data, name)
    notes: list[str] = []
    head = data[:4096]
    if _utf16(data) is None and head and sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 10:
        raise ReportError(f"{name}: is not text: save the report's web page as text (.txt) or as a web page "
                          "(.html), or keep CQC's PDF download")
    text = clean(decode(data, name, notes), name, notes)
    start = text[:4096].lstrip().lower()
    if start.startswith(("<!doctype html", "<html")) or re.search(r"<(body|main|p|h[1-6])[\s>]", start):
        return Blocks(html_blocks(text), notes)
    return Blocks(text_blocks(text), notes)


# --- text and Markdown ------------------------------------------------------------------------------

# "[words](address)": no "[" or "]" inside the words, so a line of brackets is read in one pass.
_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(?:[*+\u2022\u25cf\u25aa\u25e6\u2023\u2043\u2013\u2014-]|\d{1,2}[.)])\s+")


def text_blocks(text: str, first_line: int = 1) -> list[Block]:
    """Each non-blank line is a block (the way a saved page's text comes); Markdown marks are read and list
    markers ("-", "*", "•", "1.") become "- "."""
    blocks = []
    for number, raw in enumerate(text.splitlines(), start=first_line):
        line = raw.replace("\u00a0", " ").strip()
        if "[" in line:
            line = _LINK.sub(r"\1", line)
        heading = None
        if line.startswith("#") and len(line) < 1000 and (m := _MD_HEADING.match(line)) is not None:
            line, heading = m.group(2), True
        line = _BULLET.sub("- ", line).replace("__", "**")
        if line and line != "-":
            blocks.append(Block(number, line, heading))
    return blocks


# --- a saved web page -------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
               "ul", "ol", "tr", "td", "th", "dt", "dd", "blockquote", "br", "main", "nav", "aside", "table",
               "figcaption", "title", "body", "dl", "figure", "form", "hr", "pre", "address", "details", "summary"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "object", "select", "button"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


_PAGE_HEADER = re.compile(r"^(?:.+:\s*local authority assessment|.*\b(?:council|borough|county)\b.*\sassessment|"
                          r"(?:assessment )?published\s*:?\s*\d.*)$", re.I)


_UNCLOSED = re.compile(r"<(?=[^<>]*<)")


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.main_blocks: list[Block] | None = None  # the blocks inside <main>, when the page has one
        self._buffer: list[str] = []
        self._has_text = False
        self._line = 1
        self._heading = False
        self._skip: str | None = None  # the tag of the hidden or non-text element being skipped
        self._skip_depth = 0
        self._in_head = False
        self._in_main = 0

    def _flush(self) -> None:
        if self._has_text:
            text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
            text = re.sub(r"\*\*(\s*)\*\*", r"\1", text).strip()
            if "&" in self.rawdata or not text.isascii():  # an entity may give what the file's bytes did not
                text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", _CONTROL.sub("", text)))
            if text and text not in ("**", "-"):
                block = Block(self._line, text, True if self._heading else None)
                self.blocks.append(block)
                if self._in_main and self.main_blocks is not None:
                    self.main_blocks.append(block)
        self._buffer = []
        self._has_text = False
        self._heading = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._skip is not None:
            if tag == self._skip:
                self._skip_depth += 1
            return
        if tag == "head":
            self._in_head = True
            return
        if self._in_head and (tag in _BLOCK_TAGS - {"title"} or tag == "main"):
            self._in_head = False  # an HTML5 page may leave out </head>
        if self._in_head:
            if tag in _SKIP_TAGS or tag == "title":
                self._skip, self._skip_depth = tag, 1
            return
        named = dict(attrs)
        if tag in _SKIP_TAGS or (tag not in _VOID and ("hidden" in named
                                                        or _HIDDEN_STYLE.search(named.get("style") or ""))):
            self._skip, self._skip_depth = tag, 1
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
        if tag in ("strong", "b"):
            self._buffer.append("**")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if self._skip is None and not self._in_head and tag in ("br", "hr"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip is not None:
            if tag == self._skip:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip = None
            return
        if tag == "head":
            self._in_head = False
            return
        if self._in_head:
            return
        if tag in ("strong", "b"):
            self._buffer.append("**")
        if tag in _BLOCK_TAGS:
            self._flush()
            self._line = self.getpos()[0]
        if tag == "main":
            self._in_main = max(0, self._in_main - 1)

    def handle_data(self, data: str) -> None:
        if self._skip is not None or self._in_head:
            return
        if not self._has_text:
            if not data.strip():
                return
            self._line = self.getpos()[0] + data[:len(data) - len(data.lstrip())].count("\n")
            self._has_text = True
        self._buffer.append(data.replace("\u00a0", " "))


def html_blocks(text: str) -> list[Block]:
    """The page's paragraphs, headings and list items, from its <main> part when it has one (leaving out
    the site's menus and footer); hidden elements are not read."""
    # Python's HTML parser rescans to the end of the page for each "<" it cannot close, so a page with many
    # (a torn save, "<p <p <p …") would take minutes: each "<" with another "<" before any ">" is text.
    if len(_UNCLOSED.findall(text)) > 1000:
        text = _UNCLOSED.sub("&lt;", text)
    page = _PageText()
    page.feed(text)
    page.close()
    page._flush()
    if not page.main_blocks:
        return page.blocks
    # A site may put the page's title and date in its header, outside <main>: those are kept too.
    inside = {id(b) for b in page.main_blocks}
    header = [b for b in page.blocks if id(b) not in inside and len(b.text) < 200
              and _PAGE_HEADER.match(b.text.replace("**", "").strip())]
    return sorted(header + page.main_blocks, key=lambda b: b.line) if header else page.main_blocks


# --- CQC's PDF download -----------------------------------------------------------------------------------

_TERMINAL = (".", ":", "!", "?", ";")
_WRAPPED_TITLE = re.compile(r"^[^.]{0,120}:\s*local authority assessment$", re.I)
# CQC's own labels always begin a line of their own, however long the line before.
_LABEL = re.compile(r"^(?:This theme includes|Score\b|Indicative score|\d\s*-\s*Evidence shows|What people expect|"
                    r"The local authority commitment|Key findings for this|Quality statement scores|Summary of|"
                    r"Theme \d|We may not always review|Local authority rating|Overall summary|Financial facts|"
                    r"Demographics|About |Assessment published|Published:)")


def pdf_blocks(data: bytes, name: str) -> Blocks:
    """The text of a PDF (pypdf), its wrapped lines joined back into paragraphs; each page's running header
    and footer (lines repeated at the top or bottom of most pages, page numbers) left out. Line numbers
    count the lines of the PDF's text."""
    import logging

    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise ReportError(f"{name}: is a PDF, and reading PDFs needs the pypdf package") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged objects are not ours
    notes: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ReportError(f"{name}: is a PDF locked with a password: save CQC's report pages as text "
                                  "or as web pages instead") from None
        if len(reader.pages) > MAX_PAGES:
            raise ReportError(f"{name}: is a PDF of {len(reader.pages)} pages, more than {MAX_PAGES}: not one "
                              "council's assessment report")
        pages = [_page_text(page) for page in reader.pages]
    except ReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of a third-party reader on a damaged file is one line
        raise ReportError(f"{name}: is a PDF that cannot be read ({type(exc).__name__}: "
                          f"{str(exc)[:120] or 'damaged'}): download it again from CQC's site") from None
    if not any(p.strip() for p in pages):
        raise ReportError(f"{name}: is a PDF with no text in it (a scan or pictures): save CQC's report pages "
                          "as text or as web pages instead")
    return page_blocks(pages, name, notes)


def page_blocks(pages: list[str], name: str, notes: list[str] | None = None) -> Blocks:
    """The text of a PDF's PAGES as blocks: running headers and footers read once (page numbers never),
    wrapped lines joined into paragraphs."""
    notes = [] if notes is None else notes
    text_pages = [clean(p, name, notes).splitlines() for p in pages]
    furniture = _running_lines(text_pages)
    lines: list[tuple[int, str, bool]] = []  # (line, text, whether it starts a page)
    number = 0
    seen: set[str] = set()  # a running header is read once, where it first appears (the title, say)
    for page in text_pages:
        kept = []
        for raw in page:
            number += 1
            key = _furniture_key(raw)
            if key not in furniture or (key not in seen and not re.fullmatch(r"(page )?# of #|#", key)):
                kept.append((number, raw))
                seen.add(key)
        while kept and not kept[0][1].strip():
            kept.pop(0)
        while kept and not kept[-1][1].strip():
            kept.pop()
        lines += [(n, raw, k == 0) for k, (n, raw) in enumerate(kept)]
    return Blocks(_paragraphs(lines), notes)


def _page_text(page) -> str:
    """A page's text laid out as it looks (a blank line between paragraphs), else pypdf's plain text."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # noqa: BLE001 - layout mode is newer and stricter; plain text still serves
        return page.extract_text() or ""


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines (digits aside) first or last on at least 60% of the pages, when there are three or more."""
    from collections import Counter

    if len(pages) < 3:
        return {k for k in (_furniture_key(line) for page in pages for line in page) if re.fullmatch(
            r"(page )?# of #|#", k)}
    seen: Counter = Counter()
    for page in pages:
        lines = [line for line in page if line.strip()]
        seen.update({_furniture_key(line) for line in lines[:1] + lines[-1:]})
    return {k for k, n in seen.items() if n >= max(3, -(-len(pages) * 3 // 5)) and k}


def _paragraphs(lines: list[tuple[int, str, bool]]) -> list[Block]:
    """A PDF's lines joined into paragraphs: a line as long as the text's usual width goes on into the next
    line unless that one starts a list item or is one of CQC's labels. When the text has blank lines between
    paragraphs they end them; when not, a line ending a sentence ends one too, as it does at the foot of a
    page. A word broken at a hyphen is joined with no space."""
    texts = [(n, " ".join(raw.replace("\u00a0", " ").split()), page) for n, raw, page in lines]
    widths = sorted(len(t) for _, t, _ in texts if t)
    if not widths:
        return []
    spaced = sum(1 for _, t, _ in texts if not t) > len(texts) // 20
    full = widths[int(len(widths) * 0.97)] * 0.75  # a wrapped line fills most of the width
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for n, text, new_page in texts:
        if not text:
            if current:
                blocks += text_blocks(" ".join(current), start)
                current = []
            continue
        if (len(current) == 1 and not current[0].endswith(_TERMINAL) and not new_page
                and _WRAPPED_TITLE.search(text) and not _WRAPPED_TITLE.search(current[0])):
            current.append(text)  # a long title wraps: "<council>" / "…: local authority assessment"
            continue
        item = bool(_BULLET.match(text)) or bool(_LABEL.match(text))
        if current and not item:
            previous = current[-1]
            # At the foot of a page, a line ending a sentence is taken to end its paragraph: splitting one
            # paragraph in two loses nothing, joining a sub-heading or the next paragraph onto it would.
            wrapped = (len(previous) >= full or text[:1].islower()) and (
                (spaced and not new_page) or not previous.endswith(_TERMINAL) or text[:1].islower())
            if wrapped:
                if previous.endswith("-") and previous[-2:-1].isalpha():
                    current[-1] = previous + text  # "long-" + "term": one word
                else:
                    current.append(text)
                continue
        if current:
            blocks += text_blocks(" ".join(current), start)
        current, start = [text], n
    if current:
        blocks += text_blocks(" ".join(current), start)
    return blocks


# --- pages joined -------------------------------------------------------------------------------------

_FURNITURE = re.compile(r"^(?:.+:\s*local authority assessment|.*\b(?:council|borough|county)\b.*\sassessment|"
                        r"published\s*:?\s*\d.*|page last updated.*|downloads?|how we assess local authorities|"
                        r"page \d+ of \d+)$", re.I)


def drop_furniture(blocks: list[Block]) -> list[Block]:
    """BLOCKS with the furniture each CQC page repeats (its title, "Published: …", "Downloads", "How we
    assess local authorities") kept only where it first appears."""
    seen: set[str] = set()
    kept = []
    for block in blocks:
        text = block.text.replace("**", "").strip()
        if len(text) < 200 and _FURNITURE.match(text):
            key = " ".join(text.lower().split())
            if key in seen:
                continue
            seen.add(key)
        kept.append(block)
    return kept
