"""A workbook's cell formats (the styles part) as text, for giving a new cell the look it needs.

Edited only by appending (a number format, a font, a cell format) and raising the counts, so every
existing style index keeps its meaning and every other byte of the part stays as it was.
"""

from __future__ import annotations

import functools
import re

from .xml_text import attr, escape_attr, set_attr, unescape_attr


@functools.lru_cache(maxsize=1)
def _builtin_formats() -> dict[str, int]:
    """Excel's built-in number formats, code → id, as openpyxl names them (it reports cells' formats so)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    return {code: i for i, code in sorted(BUILTIN_FORMATS.items(), reverse=True)}


_DATE_CODE = re.compile(r"(?<![\\\"])[dmyhs]", re.I)


class CellStyles:
    """The styles part as text, edited only by appending (a font, a number format, a cell format), so every
    existing style index keeps its meaning."""

    def __init__(self, text: str):
        self.text, self.changed = text, False
        m = re.search(r"<(\w+:)?styleSheet\b", text)
        self.p = (m[1] or "") if m else ""
        self._seen: dict[tuple[str, str], list[str]] = {}  # parsed lists, until the next append

    def _block(self, name: str) -> re.Match | None:
        p = re.escape(self.p)
        return re.search(rf"<{p}{name}\b[^>]*?(?:/>|>(.*?)</{p}{name}>)", self.text, re.S)

    def _items(self, block: str, item: str) -> list[str]:
        if (block, item) not in self._seen:
            p = re.escape(self.p)
            m = self._block(block)
            self._seen[block, item] = [] if m is None or m[1] is None else [
                x[0] for x in re.finditer(rf"<{p}{item}\b[^>]*?(?:/>|>.*?</{p}{item}>)", m[1], re.S)]
        return self._seen[block, item]

    def xf(self, index: int) -> str:
        xfs = self._items("cellXfs", "xf")
        return xfs[index] if 0 <= index < len(xfs) else (xfs[0] if xfs else f"<{self.p}xf/>")

    def number_format(self, index: int) -> str:
        fmt = int(attr(self.xf(index), "numFmtId") or 0)
        for item in self._items("numFmts", "numFmt"):
            if int(attr(item, "numFmtId") or -1) == fmt:
                return unescape_attr(attr(item, "formatCode") or "General")
        return next((code for code, i in _builtin_formats().items() if i == fmt), "General")

    def is_date(self, index: int) -> bool:
        fmt = int(attr(self.xf(index), "numFmtId") or 0)
        return 14 <= fmt <= 22 or 45 <= fmt <= 47 or (fmt >= 164 and bool(
            _DATE_CODE.search(re.sub(r"\[[^\]]*\]|\"[^\"]*\"", "", self.number_format(index)))))

    def bold(self, index: int) -> bool:
        fonts = self._items("fonts", "font")
        font = int(attr(self.xf(index), "fontId") or 0)
        return 0 <= font < len(fonts) and re.search(rf"<{re.escape(self.p)}b(\s+val=\"(1|true)\")?\s*/>",
                                                    fonts[font]) is not None

    def _append(self, block: str, kind: str, item: str) -> int:
        """Append ITEM (a KIND element) to BLOCK (which must exist) and set its count; returns ITEM's index."""
        m = self._block(block)
        assert m is not None
        count = len(self._items(block, kind))
        start_tag = re.match(r"<[^>]*?>", self.text[m.start():])[0]
        close = f"</{self.p}{block}>"
        if start_tag.endswith("/>"):
            new = f"{set_attr(start_tag[:-2].rstrip() + '>', 'count', str(count + 1))}{item}{close}"
        else:
            body = m[0][len(start_tag):-len(close)]
            new = f"{set_attr(start_tag, 'count', str(count + 1))}{body}{item}{close}"
        self.text = self.text[:m.start()] + new + self.text[m.end():]
        self.changed = True
        self._seen.clear()
        return count

    def _format_id(self, code: str) -> int:
        if code in (builtin := _builtin_formats()):
            return builtin[code]
        items = self._items("numFmts", "numFmt")
        for item in items:
            if unescape_attr(attr(item, "formatCode") or "") == code:
                return int(attr(item, "numFmtId") or 0)
        new_id = max([163] + [int(attr(i, "numFmtId") or 0) for i in items]) + 1
        element = f'<{self.p}numFmt numFmtId="{new_id}" formatCode="{escape_attr(code)}"/>'
        if self._block("numFmts") is None:  # numFmts comes first in the style sheet
            m = re.search(rf"<{re.escape(self.p)}styleSheet\b[^>]*>", self.text)
            self.text = (self.text[:m.end()] + f'<{self.p}numFmts count="0"></{self.p}numFmts>'
                         + self.text[m.end():])
            self._seen.clear()
        self._append("numFmts", "numFmt", element)
        return new_id

    def style(self, base: int, number_format: str | None, bold: bool, wrap: bool) -> int:
        """The index of a cell format like BASE but with NUMBER_FORMAT, BOLD and WRAP where asked: BASE if it
        has them, an identical existing one, or one appended."""
        xf = self.xf(base)
        start = re.match(r"<[^>]*?>", xf)[0]
        new_start, rest = start, xf[len(start):]
        if number_format and self.number_format(base) != number_format:
            new_start = set_attr(set_attr(new_start, "numFmtId", str(self._format_id(number_format))),
                                  "applyNumberFormat", "1")
        if bold and not self.bold(base):
            fonts = self._items("fonts", "font")
            font = fonts[int(attr(start, "fontId") or 0)] if fonts else f"<{self.p}font/>"
            if font.endswith("/>"):
                made = font[:-2].rstrip() + f"><{self.p}b/></{self.p}font>"
            else:
                head = re.match(r"<[^>]*?>", font)[0]
                made = head + f"<{self.p}b/>" + font[len(head):]
            fonts_now = self._items("fonts", "font")
            font_id = fonts_now.index(made) if made in fonts_now else self._append("fonts", "font", made)
            new_start = set_attr(set_attr(new_start, "fontId", str(font_id)), "applyFont", "1")
        if wrap and not re.search(r"wrapText=\"(1|true)\"", rest):
            new_start = set_attr(new_start, "applyAlignment", "1")
            alignment = re.search(rf"<{re.escape(self.p)}alignment\b[^>]*?/?>", rest)
            if alignment:
                tag = set_attr(alignment[0], "wrapText", "1")
                rest = rest[:alignment.start()] + tag + rest[alignment.end():]
            else:
                tag = f'<{self.p}alignment vertical="top" wrapText="1"/>'
                if new_start.endswith("/>"):
                    new_start, rest = new_start[:-2].rstrip() + ">", f"{tag}</{self.p}xf>"
                else:
                    rest = tag + rest
        made = new_start + rest
        if made == xf:
            return base
        xfs = self._items("cellXfs", "xf")
        return xfs.index(made) if made in xfs else self._append("cellXfs", "xf", made)
