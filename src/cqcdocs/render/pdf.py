"""Tagged, accessible PDFs of Word documents, through LibreOffice in headless mode.

LibreOffice's writer_pdf_Export filter, given the options in `EXPORT_OPTIONS` (JSON filter options, read by
LibreOffice 7.4 and later), writes a tagged PDF marked PDF/UA, with bookmarks from the headings, the
document title as the window title and the language of the document. The contents' page numbers need
nothing here: each entry of the briefing's contents is a PAGEREF field, which LibreOffice works out as it
lays the pages out. One thing it does not do from a .docx on its own, which this module does:

- **Chart alt text.** LibreOffice 7.4 drops a chart's alt text when it reads a .docx (pictures keep theirs),
  so its Figure tags have none. The document's own alt text (each drawing's title and description, in
  order) is written onto the Figure tags that lack it, when the two lists match one for one.

Each run uses its own LibreOffice profile folder, so two runs never collide and an open LibreOffice is
not disturbed; a LibreOffice that takes longer than `TIMEOUT` seconds is stopped.
"""

from __future__ import annotations

import json
import os
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

def drawings_of(source: Path) -> list[tuple[str, str]]:
    """The (title, description) of each drawing in SOURCE, in document order, for the PDF's Figure tags."""
    with zipfile.ZipFile(source) as zin:
        document = etree.fromstring(zin.read("word/document.xml"), _PARSER)
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
        shutil.copyfile(docx, prepared)  # a fixed name, so the PDF's name is known
        drawings = drawings_of(docx)
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
