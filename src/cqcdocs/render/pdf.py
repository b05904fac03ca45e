"""Tagged, accessible PDFs of Word documents, through LibreOffice in headless mode.

LibreOffice's writer_pdf_Export filter, given the options in `EXPORT_OPTIONS` (JSON filter options, read by
LibreOffice 7.4 and later), writes a tagged PDF marked PDF/UA, with bookmarks from the headings, the
document title as the window title and the language of the document. Two things it does not do from a
.docx on its own, which this module does:

- **Contents page numbers.** LibreOffice never refreshes a table of contents when converting, so the
  briefing's contents field would print its placeholder. The copy it converts has the field replaced by
  one line per heading, each a link to the heading with a PAGEREF field to a bookmark on it; LibreOffice
  works PAGEREF out as it lays the pages out, so the numbers are right in one pass.
- **Chart alt text.** LibreOffice 7.4 drops a chart's alt text when it reads a .docx (pictures keep theirs),
  so its Figure tags have none. The document's own alt text (each drawing's title and description, in
  order) is written onto the Figure tags that lack it, when the two lists match one for one.

Each run uses its own LibreOffice profile folder, so two runs never collide and an open LibreOffice is
not disturbed; a LibreOffice that takes longer than `TIMEOUT` seconds is stopped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import PdfError

# writer_pdf_Export's options (see LibreOffice's filter/source/pdf/pdfexport.cxx for the names).
EXPORT_OPTIONS: dict[str, bool | int] = {
    "UseTaggedPDF": True,  # the structure tree: headings, paragraphs, lists, tables, figures with alt text
    "PDFUACompliance": True,  # PDF/UA-1 identification, and LibreOffice's stricter tagging that goes with it
    "ExportBookmarks": True,  # bookmarks from the headings
    "DisplayPDFDocumentTitle": True,  # the viewer shows the title, not the file name
    "EmbedStandardFonts": True,  # every font embedded, even the PDF standard 14
    "ExportNotes": False,  # no comments as annotations
    "InitialView": 1,  # open with the bookmarks shown
}
TIMEOUT = 180  # seconds for one document; the briefing takes about 4 s
SOFFICE_ENV = "CQCDOCS_SOFFICE"  # the soffice program, when it is not on PATH
INSTALL_HINT = ("LibreOffice is needed for PDFs: install it (on Debian or Ubuntu: apt-get install "
                "libreoffice-writer-nogui; elsewhere from libreoffice.org), or set CQCDOCS_SOFFICE to its "
                "soffice program")
_PLACES = ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
           r"C:\Program Files\LibreOffice\program\soffice.exe"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W = "{%s}" % W_NS
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def filter_spec() -> str:
    """The --convert-to argument: 'pdf:writer_pdf_Export:{JSON}', each option typed as UNO wants it."""
    typed = {name: {"type": "boolean", "value": str(value).lower()} if isinstance(value, bool)
             else {"type": "long", "value": str(value)} for name, value in EXPORT_OPTIONS.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


def find_soffice() -> str | None:
    """LibreOffice's soffice program: $CQCDOCS_SOFFICE, else on PATH, else where installers put it."""
    if os.environ.get(SOFFICE_ENV):
        return os.environ[SOFFICE_ENV]
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in _PLACES if Path(p).is_file()), None)


# --- the contents list -------------------------------------------------------------------------------

def _el(tag: str, **attrs: str):
    element = etree.Element(W + tag)
    for name, value in attrs.items():
        element.set(W + name, value)
    return element


def _run(*children):
    run = _el("r")
    run.extend(children)
    return run


def _text_run(text: str):
    t = _el("t")
    t.text = text
    t.set(_XML_SPACE, "preserve")
    return _run(t)


def _field(instruction: str, result: str) -> list:
    instr = _el("instrText")
    instr.text = f" {instruction} "
    instr.set(_XML_SPACE, "preserve")
    return [_run(_el("fldChar", fldCharType="begin")), _run(instr), _run(_el("fldChar", fldCharType="separate")),
            _text_run(result), _run(_el("fldChar", fldCharType="end"))]


def _heading_levels(styles) -> dict[str, int]:
    """Paragraph style id → heading level 1–9: named "heading N", or with an outline level, or based on one."""
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(W + "style") if styles is not None else ():
        sid = style.get(W + "styleId")
        name = style.find(W + "name")
        m = re.fullmatch(r"heading ([1-9])", (name.get(W + "val") if name is not None else "").strip().lower())
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        # outlineLvl 9 is body text: "TOC Heading", based on Heading 1, is not itself in the contents
        level = int(m[1]) if m else int(outline.get(W + "val")) + 1 if outline is not None else None
        own[sid] = level if level is None or level <= 9 else 0
        if (parent := style.find(W + "basedOn")) is not None:
            based[sid] = parent.get(W + "val")
    levels = {}
    for sid in own:
        seen, current = set(), sid
        while current is not None and current not in seen and own.get(current) is None:
            seen.add(current)
            current = based.get(current)
        if current is not None and own.get(current):
            levels[sid] = own[current]
    return levels


def _toc_range(body):
    """The paragraphs from a TOC field's beginning to its end, or None when there is no TOC field."""
    paragraphs = list(body.iter(W + "p"))
    for i, p in enumerate(paragraphs):
        if not any((t.text or "").strip().upper().startswith("TOC") for t in p.iter(W + "instrText")):
            continue
        depth = 0
        for j in range(i, len(paragraphs)):
            for char in paragraphs[j].iter(W + "fldChar"):
                kind = char.get(W + "fldCharType")
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
                if depth == 0:
                    return paragraphs[i:j + 1]
        return None
    return None


def _toc_depth(paragraphs) -> int:
    instruction = "".join(t.text or "" for p in paragraphs for t in p.iter(W + "instrText"))
    m = re.search(r'\\o\s+"?\d+-(\d+)', instruction)
    return int(m[1]) if m else 3


def _text_width(body) -> int:
    """The text width of the last section in twips (A4 with 2.54 cm margins if unstated)."""
    sect = body.find(W + "sectPr")
    size = sect.find(W + "pgSz") if sect is not None else None
    margins = sect.find(W + "pgMar") if sect is not None else None
    try:
        return int(size.get(W + "w")) - int(margins.get(W + "left")) - int(margins.get(W + "right"))
    except (AttributeError, TypeError, ValueError):
        return 9026


def numbered_contents(document, styles) -> int:
    """Replace DOCUMENT's table of contents field with a line per heading, linked, its page a PAGEREF field
    to a bookmark on the heading; returns the number of lines (0 when there is no contents field)."""
    body = document.find(W + "body")
    toc = _toc_range(body) if body is not None else None
    if not toc:
        return 0
    depth, levels, width = _toc_depth(toc), _heading_levels(styles), _text_width(body)
    toc_styles = {}
    for style in styles.iter(W + "style") if styles is not None else ():
        name = style.find(W + "name")
        if name is not None and (m := re.fullmatch(r"toc ([1-9])", name.get(W + "val", "").lower())):
            toc_styles[int(m[1])] = style.get(W + "styleId")
    ids = [int(b.get(W + "id")) for b in body.iter(W + "bookmarkStart") if (b.get(W + "id") or "").isdigit()]
    next_id = max(ids, default=0) + 1
    lines = []
    for p in body.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        level = levels.get(style.get(W + "val")) if style is not None else None
        text = "".join(t.text or "" for t in p.iter(W + "t")).strip()
        if level is None or level > depth or not text or p in toc:
            continue
        name = f"_Toc_cqcdocs_{len(lines) + 1}"
        start = _el("bookmarkStart", id=str(next_id), name=name)
        p.find(W + "pPr").addnext(start)
        p.append(_el("bookmarkEnd", id=str(next_id)))
        next_id += 1
        line = _el("p")
        props = _el("pPr")
        props.append(_el("pStyle", val=toc_styles.get(level, f"TOC{level}")))
        tabs = _el("tabs")
        tabs.append(_el("tab", val="right", leader="dot", pos=str(width)))
        props.append(tabs)
        props.append(_el("ind", left=str(283 * (level - 1))))
        line.append(props)
        link = _el("hyperlink", anchor=name)
        link.extend([_text_run(text), _run(_el("tab")), *_field(f"PAGEREF {name} \\h", "0")])
        line.append(link)
        lines.append(line)
    for line in lines:
        toc[0].addprevious(line)
    for p in toc:
        p.getparent().remove(p)
    return len(lines)


def prepare_docx(source: Path, target: Path) -> list[tuple[str, str]]:
    """Copy SOURCE to TARGET with its contents list numbered for LibreOffice (`numbered_contents`); returns
    the (title, description) of each drawing, in document order, for the PDF's Figure tags."""
    with zipfile.ZipFile(source) as zin:
        document = etree.fromstring(zin.read("word/document.xml"), _PARSER)
        names = set(zin.namelist())
        styles = etree.fromstring(zin.read("word/styles.xml"), _PARSER) if "word/styles.xml" in names else None
        numbered_contents(document, styles)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename) if item.filename != "word/document.xml" else \
                    etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
                zout.writestr(item, data)
    drawings = []
    for frame in document.iter(f"{{{WP_NS}}}inline", f"{{{WP_NS}}}anchor"):
        doc_pr = frame.find(f"{{{WP_NS}}}docPr")
        if doc_pr is not None and not any(etree.QName(e).localname == "decorative" and e.get("val") in ("1", "true")
                                           for e in doc_pr.iter()):
            drawings.append(((doc_pr.get("title") or "").strip(), (doc_pr.get("descr") or "").strip()))
    return drawings


# --- after LibreOffice ---------------------------------------------------------------------------------

def _figures(pdf) -> list:
    """The Figure structure elements (through the role map), in the structure tree's order."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    role_map = root.get("/RoleMap", {})
    found, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or (node.is_indirect and node.objgen in seen):
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        role = str(node.get("/S", ""))
        for _ in range(10):
            if role in role_map and str(role_map[role]) != role:
                role = str(role_map[role])
        if role == "/Figure":
            found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return found


def finish_pdf(produced: Path, target: Path, drawings: list[tuple[str, str]]) -> None:
    """Check LibreOffice tagged PRODUCED, give alt text to Figure tags without it, and save it as TARGET."""
    import pikepdf

    with pikepdf.open(produced) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            raise PdfError(f"LibreOffice wrote a PDF without tags; LibreOffice 7.4 or later is needed "
                           f"for tagged PDFs ({_version(pdf)})")
        figures = _figures(pdf)
        if len(figures) == len(drawings):
            for figure, (title, description) in zip(figures, drawings):
                if not str(figure.get("/Alt", "")).strip() and (title or description):
                    figure.Alt = pikepdf.String(" - ".join(t for t in (title, description) if t))
        pdf.save(target)


def _version(pdf) -> str:
    producer = pdf.docinfo.get("/Producer") if pdf.docinfo is not None else None
    return f"this is {producer}" if producer else "this one did not say its version"


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and everything it started (soffice is a launcher for soffice.bin)."""
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    process.communicate()


def docx_to_pdf(docx: Path, target: Path, *, soffice: str | None = None, timeout: float | None = None) -> None:
    """Write DOCX as a tagged PDF at TARGET; raises PdfError if LibreOffice is missing, fails or takes longer
    than TIMEOUT seconds (then it is stopped)."""
    soffice = soffice or find_soffice()
    timeout = TIMEOUT if timeout is None else timeout
    if soffice is None:
        raise PdfError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="cqcdocs-pdf-") as work:
        work_dir = Path(work)
        prepared = work_dir / "document.docx"
        drawings = prepare_docx(docx, prepared)
        command = [soffice, f"-env:UserInstallation={(work_dir / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", filter_spec(), "--outdir", str(work_dir / "out"),
                   str(prepared)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, errors="replace",
                                       start_new_session=sys.platform != "win32")
        except OSError as exc:
            raise PdfError(f"{INSTALL_HINT} ({soffice}: {exc.strerror or exc})") from exc
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise PdfError(f"LibreOffice did not finish within {timeout:g} s and was stopped") from None
        produced = work_dir / "out" / "document.pdf"
        if process.returncode != 0 or not produced.is_file():
            said = [line.strip() for line in (err + out).splitlines()
                    if line.strip() and "javaldx" not in line and not line.startswith("convert ")]
            detail = f": {said[-1]}" if said else ""
            raise PdfError(f"LibreOffice could not make a PDF (exit code {process.returncode}{detail})")
        finish_pdf(produced, target, drawings)
