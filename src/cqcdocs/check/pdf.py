"""The PDF rules: tags, language, title, headings, figures' alt text, table headers, bookmarks, fonts.

Read with pikepdf (imported here only, so checking Word and Excel files never loads it). Structure types
are resolved through the document's role map, so LibreOffice's "Standard" and Word's own names count as
the standard types they map to.
"""

from __future__ import annotations

import re
from pathlib import Path

from .shared import FILE_NAME, PLACEHOLDER, Problem, Unreadable, to_problems

_HEADING = re.compile(r"/H([1-6])$")
_MAX_NODES = 1_000_000  # a structure tree larger than this is not walked further


class _Tree:
    """The structure elements in reading order, each with its standard type and page number (or None)."""

    def __init__(self, pdf):
        import pikepdf

        self.pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        root = pdf.Root.get("/StructTreeRoot")
        role_map = root.get("/RoleMap") if root is not None else None
        self.role_map = role_map if isinstance(role_map, pikepdf.Dictionary) else {}
        self.elements: list[tuple[str, object, int | None]] = []  # (type, element, page)
        if root is None:
            return
        seen = set()
        stack = [(kid, None) for kid in reversed(self._kids(root))]
        while stack and len(self.elements) < _MAX_NODES:
            node, page = stack.pop()
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                continue  # a marked-content id, an MCR or an OBJR: content, not an element
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            page = self._page(node) or page
            self.elements.append((self.role(node.get("/S")), node, page))
            stack.extend((kid, page) for kid in reversed(self._kids(node)))

    @staticmethod
    def _kids(node) -> list:
        import pikepdf

        kids = node.get("/K")
        return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]

    def _page(self, node) -> int | None:
        """The element's page: its /Pg, or else the first of its marked content's."""
        import pikepdf

        for candidate in [node, *self._kids(node)]:
            if isinstance(candidate, pikepdf.Dictionary):
                pg = candidate.get("/Pg")
                if isinstance(pg, pikepdf.Dictionary) and pg.is_indirect and pg.objgen in self.pages:
                    return self.pages[pg.objgen]
        return None

    def role(self, name) -> str:
        role = str(name)
        for _ in range(10):  # role maps may chain, and may loop
            mapped = self.role_map.get(role)
            if mapped is None or str(mapped) == role:
                break
            role = str(mapped)
        return role

    def within(self, element, wanted: str) -> bool:
        """Whether ELEMENT has a descendant of standard type WANTED."""
        stack, seen = self._kids(element), set()
        while stack and len(seen) < _MAX_NODES:
            node = stack.pop()
            if not hasattr(node, "get") or "/S" not in node:
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if self.role(node.get("/S")) == wanted:
                return True
            stack += self._kids(node)
        return False


def _at(what: str, page: int | None) -> str:
    return f"{what} (page {page})" if page else what


def text_of(value) -> str:
    return str(value).strip() if value is not None else ""


def _title(pdf) -> str:
    """The title in the document information, else in the XMP metadata (dc:title)."""
    info = pdf.trailer.get("/Info")
    if info is not None and text_of(info.get("/Title")):
        return text_of(info.get("/Title"))
    try:  # never update_docinfo: on a file without XMP it would empty the information dictionary
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            return text_of(meta.get("dc:title"))
    except Exception:  # damaged XMP is no title
        return ""


def _structure(tree: _Tree):
    headings = previous = 0
    figures = tables = 0
    for kind, element, page in tree.elements:
        if m := _HEADING.match(kind):
            level = int(m[1])
            headings += 1
            where = _at(f"heading {headings}", page)
            if headings == 1 and level != 1:
                yield "pdf-headings", where, f"first heading is H{level}, not H1"
            elif previous and level > previous + 1:
                yield "pdf-headings", where, f"H{level} follows H{previous}: a level is skipped"
            previous = level
        elif kind == "/Figure":
            figures += 1
            where = _at(f"figure {figures}", page)
            alt = text_of(element.get("/Alt")) or text_of(element.get("/ActualText"))
            if not alt:
                yield "pdf-alt-text", where, "figure has no alt text (/Alt)"
            elif FILE_NAME.search(alt):
                yield "pdf-alt-text", where, f"alt text is a file name ({alt!r})"
            elif PLACEHOLDER.match(alt):
                yield "pdf-alt-text", where, f"alt text is a placeholder ({alt!r})"
        elif kind == "/Table":
            tables += 1
            if not tree.within(element, "/TH"):
                yield "pdf-table-header", _at(f"table {tables}", page), "table has no header cells (TH)"
    if not headings and not any(kind == "/H" for kind, _, _ in tree.elements):
        yield "pdf-headings", "structure tree", "no headings (H1–H6) in the structure tree"


def _fonts(pdf):
    """Each font that is not embedded, once, with the first page that uses it."""
    import pikepdf

    reported, seen = set(), set()
    for number, page in enumerate(pdf.pages, 1):
        stack = [page.obj.get("/Resources")]
        while stack:
            resources = stack.pop()
            if not isinstance(resources, pikepdf.Dictionary):
                continue
            if resources.is_indirect:
                if resources.objgen in seen:
                    continue
                seen.add(resources.objgen)
            for xobject in (resources.get("/XObject") or {}).values():
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    stack.append(xobject.get("/Resources"))
            for font in (resources.get("/Font") or {}).values():
                if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") == "/Type3":
                    continue  # Type 3 glyphs are drawn by the file itself
                name = str(font.get("/BaseFont", "unnamed")).lstrip("/")
                descendants = font.get("/DescendantFonts")
                described = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else font
                descriptor = described.get("/FontDescriptor") if isinstance(described, pikepdf.Dictionary) else None
                embedded = isinstance(descriptor, pikepdf.Dictionary) and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                if not embedded and name not in reported:
                    reported.add(name)
                    yield "pdf-fonts", f"font {name!r}", f"font is not embedded (first used on page {number})"


def _outline_count(pdf) -> int:
    outlines = pdf.Root.get("/Outlines")
    return 0 if outlines is None or outlines.get("/First") is None else 1


def _check_pdf_document(name: str, pdf, lang: str) -> list[Problem]:
    found = []
    root = pdf.Root
    tree = _Tree(pdf)
    marked = root.get("/MarkInfo", {}).get("/Marked")
    if "/StructTreeRoot" not in root or not tree.elements:
        found.append(("pdf-tagged", "document", "not tagged: no structure tree, so screen readers cannot find "
                      "headings, tables or figures (export with tags, as PDF/UA)"))
    elif marked is not True:
        found.append(("pdf-tagged", "document", "has a structure tree but is not marked as tagged (MarkInfo Marked)"))
    language = text_of(root.get("/Lang"))
    if not language:
        found.append(("pdf-language", "document", f"no document language set (expected {lang})"))
    elif language.replace("_", "-").lower() != lang.lower():
        found.append(("pdf-language", "document", f"document language is {language}, expected {lang}"))
    if not _title(pdf):
        found.append(("pdf-title", "properties", "document title is not set"))
    viewer = root.get("/ViewerPreferences", {})
    if viewer.get("/DisplayDocTitle") is not True:
        found.append(("pdf-title", "properties", "the window shows the file name, not the title "
                      "(DisplayDocTitle is not set)"))
    if tree.elements:
        found += _structure(tree)
    if len(pdf.pages) > 1 and not _outline_count(pdf):
        found.append(("pdf-bookmarks", "document", f"no bookmarks in a {len(pdf.pages)}-page document"))
    found += _fonts(pdf)
    return to_problems(name, found)


def check_pdf(path: Path, lang: str) -> list[Problem]:
    """Every problem in the PDF at PATH; raises Unreadable when it cannot be opened as a PDF."""
    import pikepdf

    with path.open("rb") as f:
        if b"%PDF-" not in f.read(1024):
            raise Unreadable("not a PDF (no %PDF- header: damaged, or another format renamed)")
    try:
        with pikepdf.open(path) as pdf:
            return _check_pdf_document(path.name, pdf, lang)
    except pikepdf.PasswordError:
        raise Unreadable("password-protected: save it without a password to check it") from None
    except pikepdf.PdfError as exc:
        raise Unreadable(f"damaged: {exc}") from None
