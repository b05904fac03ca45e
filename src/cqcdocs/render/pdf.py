"""Tagged, accessible PDFs of Word documents, through LibreOffice in headless mode.

LibreOffice's writer_pdf_Export filter, given the options in `EXPORT_OPTIONS` (JSON filter options, read by
LibreOffice 7.4 and later), writes a tagged PDF marked PDF/UA, with bookmarks from the headings, the
document title as the window title and the language of the document. Each entry of a document's contents
is a PAGEREF field, which LibreOffice works out as it lays the pages out. After LibreOffice, this module:

- **Chart alt text.** LibreOffice 7.4 drops a chart's alt text when it reads a .docx (pictures keep theirs),
  so its Figure tags have none. The document's own alt text (each drawing's title and description, in
  order) is written onto the Figure tags that lack it, when the two lists match one for one.
- **Same bytes every run, compact.** The creation date is the document's own (its core properties), the
  /ID is a hash of the content, and objects are packed into object streams (a third of the size).
- **The .docx's contents get the PDF's page numbers**: each contents PAGEREF field's result is the page of
  its heading's bookmark in the PDF (named destinations), so Word shows the numbers the PDF has.

`convert` turns many documents into PDFs with one LibreOffice start. LibreOffice runs with a profile kept
in the user's cache folder (starting with a new profile costs about a second), one of several slots,
each used by one run at a time under a lock, so concurrent runs never share one; if every slot is busy,
or the cache folder cannot be written, a profile in the temporary folder is used. LibreOffice runs in a
process group of its own: it is stopped with everything it started after `TIMEOUT` seconds without a
finished document, on Ctrl+C or SIGTERM, and (through a watcher beside it) when cqcdocs itself is killed.
"""

from __future__ import annotations

import collections
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from contextlib import contextmanager
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


from lxml import etree

from ..errors import PdfError
from ..files import os_reason

# writer_pdf_Export's options (see LibreOffice's filter/source/pdf/pdfexport.cxx for the names).
EXPORT_OPTIONS: dict[str, bool | int] = {
    "UseTaggedPDF": True,  # the structure tree: headings, paragraphs, lists, tables, figures with alt text
    "PDFUACompliance": True,  # PDF/UA-1 identification, and LibreOffice's stricter tagging that goes with it
    "ExportBookmarks": True,  # bookmarks from the headings
    "ExportBookmarksToPDFDestination": True,  # Word bookmarks as named destinations: each heading's page
    "DisplayPDFDocumentTitle": True,  # the viewer shows the title, not the file name
    "EmbedStandardFonts": True,  # every font embedded, even the PDF standard 14
    "ExportNotes": False,  # no comments as annotations
    "InitialView": 1,  # open with the bookmarks shown
}
TIMEOUT = 180  # seconds LibreOffice may take over one document; the briefing takes about 2 s
SOFFICE_ENV = "CQCDOCS_SOFFICE"  # the soffice program, when it is not on PATH
INSTALL_HINT = ("LibreOffice is needed for PDFs: install it (on Debian or Ubuntu: apt-get install "
                "libreoffice-writer-nogui; elsewhere from libreoffice.org), or set CQCDOCS_SOFFICE to its "
                "soffice program")
_PLACES = ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
           r"C:\Program Files\LibreOffice\program\soffice.exe"]
DAMAGED = "LibreOffice wrote a damaged or incomplete PDF (it may have stopped part way: try again)"
PROFILE_SLOTS = 8  # concurrent runs that each get a warm profile; more use a temporary one
OUTPUT_KEPT = 64 * 1024  # bytes of LibreOffice's messages kept (the last ones); the rest is read and dropped
# LibreOffice runs its graphics self-tests (about 0.9 s of CPU, drawing 4096-pixel squares) at every start
# until the profile says this version has been seen, which only a visible window records. A version no
# release will reach says so for good; nothing else in a headless conversion reads it.
_PROFILE_SEED = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">\
<value>999.9</value></prop></item>
</oor:items>
"""

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_PAGEREF = re.compile(r"^\s*PAGEREF\s+(\S+)")


@dataclass
class Job:
    """One document to convert: DOCX (a working copy: its contents get the PDF's page numbers) into PDF."""

    docx: Path
    pdf: Path
    error: str | None = None  # why the PDF could not be made; None when it was


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


def docx_to_pdf(docx: Path, target: Path, *, soffice: str | None = None, timeout: float | None = None) -> None:
    """Write DOCX as a tagged PDF at TARGET (DOCX's contents get its page numbers); raises PdfError if it
    cannot be made."""
    job = Job(Path(docx), Path(target))
    convert([job], soffice=soffice, timeout=timeout)
    if job.error:
        raise PdfError(job.error)


def convert(jobs: list[Job], *, soffice: str | None = None, timeout: float | None = None) -> None:
    """Make every job's PDF with as few LibreOffice starts as it can; a job that fails gets its `error`.
    Raises PdfError when none can be made: LibreOffice is missing, or the temporary folder cannot be used."""
    soffice = soffice or find_soffice()
    timeout = TIMEOUT if timeout is None else timeout
    if soffice is None:
        raise PdfError(INSTALL_HINT)
    if not jobs:
        return
    try:
        work = Path(tempfile.mkdtemp(prefix="cqcdocs-pdf-"))
    except OSError as exc:
        raise PdfError(temporary_folder_problem(exc)) from exc
    try:
        sources = []
        try:
            (work / "in").mkdir()
            for n, job in enumerate(jobs):  # fixed names, so each PDF's name is known
                sources.append(Path(shutil.copyfile(job.docx, work / "in" / f"{n}.docx")))
        except OSError as exc:
            raise PdfError(temporary_folder_problem(exc)) from exc
        produced = _run_all(soffice, sources, work, timeout)
        for job, made in zip(jobs, produced):
            if isinstance(made, str):
                job.error = made
                continue
            try:
                finish_pdf(made, job)
            except PdfError as exc:
                job.error = str(exc)
            except OSError as exc:
                job.error = temporary_folder_problem(exc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def temporary_folder_problem(exc: OSError) -> str:
    """One line for a temporary folder that cannot be used (full, read-only, missing), naming it."""
    return (f"the temporary folder {tempfile.gettempdir()} (TMPDIR) cannot be used: {os_reason(exc)}"
            + ("; free some space there or point TMPDIR at another folder" if exc.errno in
               (errno.ENOSPC, errno.EDQUOT) else ""))


# --- LibreOffice -------------------------------------------------------------------------------------

def _run_all(soffice: str, sources: list[Path], work: Path, timeout: float) -> list[Path | str]:
    """Each source's PDF (in WORK/out) or why there is none. LibreOffice converts them in one start; if it
    stops part way, it is started again for the rest, and a document it makes no progress on is failed."""
    outdir = work / "out"
    results: dict[int, Path | str] = {}
    remaining = list(range(len(sources)))
    with _profile(work) as profile:
        reset = False
        while remaining:
            said, give_up = _run(soffice, profile.path, [sources[n] for n in remaining], outdir, timeout)
            done = [n for n in remaining if (outdir / f"{n}.pdf").is_file()]  # a half-written one is found damaged
            for n in done:
                results[n] = outdir / f"{n}.pdf"
            remaining = [n for n in remaining if n not in results]
            if not remaining:
                break
            if give_up:  # it hung, or cannot be started at all: trying the rest again would do the same
                for n in remaining:
                    results[n] = said
                break
            if not done and profile.reused and not reset:  # a profile damaged by a killed run: start afresh
                profile.reset()
                reset = True
                continue
            if not done:
                results[remaining.pop(0)] = said
    return [results[n] for n in range(len(sources))]


def _run(soffice: str, profile: Path, sources: list[Path], outdir: Path, timeout: float) -> tuple[str, bool]:
    """Run LibreOffice once on SOURCES; return (why it failed, in words, if it did; whether to give up: it
    timed out or could not be started). It is stopped when TIMEOUT seconds pass without a new PDF in OUTDIR."""
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", filter_spec(), "--outdir", str(outdir), *map(str, sources)]
    timed_out = False
    try:
        with _launched(command) as (process, caught):
            tail = _Tail(process.stdout)
            last, count = time.monotonic(), 0
            while not caught:
                try:
                    process.wait(timeout=0.5)
                    break
                except subprocess.TimeoutExpired:
                    now_count = sum(1 for _ in outdir.glob("*.pdf")) if outdir.is_dir() else 0
                    if now_count != count:
                        last, count = time.monotonic(), now_count
                    elif time.monotonic() - last > timeout:
                        timed_out = True
                        break
    except _NotStarted as exc:
        return f"{INSTALL_HINT} ({soffice}: {exc.reason})", True
    tail.join(1.0)  # a child outside the group may hold the pipe: never wait for it to close
    if timed_out:
        return f"LibreOffice did not finish within {timeout:g} s and was stopped", True
    said = [line.strip() for line in tail.text().splitlines()
            if line.strip() and "javaldx" not in line and not line.startswith("convert ")]
    detail = f": {said[-1][:300]}" if said else ""
    return f"LibreOffice could not make a PDF (exit code {process.returncode}{detail})", False


class _Tail(threading.Thread):
    """Reads a pipe to its end in the background, keeping only the last OUTPUT_KEPT bytes."""

    def __init__(self, pipe) -> None:
        super().__init__(daemon=True)
        self.pipe, self.chunks, self.size = pipe, collections.deque(), 0
        self.start()

    def run(self) -> None:
        try:
            while chunk := self.pipe.read1(65536):
                self.chunks.append(chunk)
                self.size += len(chunk)
                while self.size - len(self.chunks[0]) >= OUTPUT_KEPT:
                    self.size -= len(self.chunks.popleft())
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        return b"".join(self.chunks)[-OUTPUT_KEPT:].decode("utf-8", "replace")


def _kill_group(process: subprocess.Popen) -> None:
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and everything it started (soffice is a launcher for soffice.bin): its process group."""
    _kill_group(process)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # a process that cannot be reaped (stuck in the kernel): leave it
        pass


class _NotStarted(Exception):
    def __init__(self, exc: OSError) -> None:
        super().__init__(exc)
        self.reason = exc.strerror or str(exc)


# Runs the command in the process group it leads, beside a watcher reading a pipe from cqcdocs (fd 3): the pipe
# closes when cqcdocs ends, however it ends (even killed), and the watcher then kills the whole group. Set up
# before the command starts, so no moment is left in which a killed cqcdocs leaves LibreOffice running.
_LAUNCHER = """exec 3<&0 0</dev/null
(read _ <&3; kill -KILL 0) >/dev/null 2>&1 &
watcher=$!
"$@" 3<&- &
wait $!
code=$?
kill $watcher 2>/dev/null
exit $code
"""


@contextmanager
def _launched(command: list[str]) -> Iterator[tuple[subprocess.Popen, list[int]]]:
    """COMMAND started in a process group of its own (its output on a pipe), stopped with everything it
    started when the block ends, however it ends; yields it and the signals caught meanwhile. While it
    runs (in the main thread), Ctrl+C and SIGTERM stop the group at once and end the block; they are then
    acted on as they would have been (KeyboardInterrupt; SIGTERM's own handler, or exit 143 after the
    usual clean-up). If cqcdocs is killed outright, the launcher's watcher stops the group."""
    caught: list[int] = []
    running: list[subprocess.Popen] = []

    def on_signal(signum, frame):
        caught.append(signum)
        for started in running:
            _kill_group(started)

    previous = {}
    posix = sys.platform != "win32" and Path("/bin/sh").exists()
    if posix and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    process = None
    try:
        if posix and shutil.which(command[0]) is None:  # the launcher would start; say what the system would
            try:
                os.stat(command[0])
                raise _NotStarted(OSError(errno.EACCES, os.strerror(errno.EACCES)))
            except OSError as exc:
                raise _NotStarted(exc) from exc
        try:
            process = subprocess.Popen(["/bin/sh", "-c", _LAUNCHER, "sh", *command] if posix else command,
                                       stdin=subprocess.PIPE if posix else subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=posix)
        except OSError as exc:
            raise _NotStarted(exc) from exc
        running.append(process)
        yield process, caught
    finally:
        if process is not None:
            _stop(process)
            if process.stdin is not None:
                process.stdin.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        if caught:
            _act_on(caught[0], previous.get(caught[0]))


def _act_on(signum: int, handler) -> None:
    """Do what SIGNUM would have done under HANDLER, now that LibreOffice is stopped."""
    if handler == signal.SIG_IGN:
        return
    if callable(handler):
        handler(signum, None)  # Python's own for Ctrl+C raises KeyboardInterrupt
        return
    raise SystemExit(128 + signum)  # the default: exit, but through the clean-up of temporary folders


# --- the profile ---------------------------------------------------------------------------------------

def cache_folder() -> Path:
    """Where cqcdocs keeps LibreOffice profiles: the user's cache folder ($XDG_CACHE_HOME or ~/.cache on
    Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows), then cqcdocs/libreoffice."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(Path.home() / "Library" / "Caches")
        else:
            base = str(Path.home() / ".cache")
    return Path(base) / "cqcdocs" / "libreoffice"


class _Profile:
    """A LibreOffice profile folder in use: a cache slot (REUSED if LibreOffice has run in it) or a new one."""

    def __init__(self, path: Path, reused: bool) -> None:
        self.path, self.reused = path, reused

    def reset(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        _seed(self.path)
        self.reused = False


def _seed(path: Path) -> None:
    (path / "user").mkdir(parents=True, exist_ok=True)
    registry = path / "user" / "registrymodifications.xcu"
    if not registry.exists():
        registry.write_text(_PROFILE_SEED, encoding="utf-8")


@contextmanager
def _profile(work: Path) -> Iterator[_Profile]:
    """A profile for one LibreOffice run: the first free cache slot, locked while it is used, else one in
    WORK (deleted with it)."""
    for slot in range(PROFILE_SLOTS):
        lock = _try_lock(cache_folder() / f"slot-{slot}.lock")
        if lock is None:
            continue
        try:
            path = cache_folder() / f"slot-{slot}"
            reused = (path / "user" / "registrymodifications.xcu").is_file()
            try:
                _seed(path)
            except OSError:
                break  # the cache folder cannot be written: a temporary profile does
            yield _Profile(path, reused)
            return
        finally:
            os.close(lock)
    path = work / "profile"
    _seed(path)
    yield _Profile(path, False)


def _try_lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on PATH (created if missing), or None if another run
    holds it or it cannot be made. The lock goes with the process, however it ends."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError:
        return None
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except OSError:
        os.close(fd)
        return None


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



# --- after LibreOffice ---------------------------------------------------------------------------------

def finish_pdf(produced: Path, job: Job) -> None:
    """Check LibreOffice tagged PRODUCED, give alt text to Figure tags without it, fix its dates and /ID, and
    save it compacted as JOB.pdf; then give JOB.docx's contents the PDF's page numbers."""
    import pikepdf

    drawings = drawings_of(job.docx)
    created = _created(job.docx)
    try:
        pdf = pikepdf.open(produced, attempt_recovery=False)
    except pikepdf.PdfError:
        raise PdfError(DAMAGED) from None
    with pdf:
        try:
            if "/StructTreeRoot" not in pdf.Root:
                raise PdfError(f"LibreOffice wrote a PDF without tags; LibreOffice 7.4 or later is needed "
                               f"for tagged PDFs ({_version(pdf)})")
            figures = _figures(pdf)
            if len(figures) == len(drawings):
                for figure, (title, description) in zip(figures, drawings):
                    if not str(figure.get("/Alt", "")).strip() and (title or description):
                        figure.Alt = pikepdf.String(" - ".join(t for t in (title, description) if t))
            pages = _bookmark_pages(pdf)
            _fix_dates(pdf, created)
            for key in ("/ID", "/DocChecksum"):  # both change every run; the /ID is made again from the content
                if key in pdf.trailer:
                    del pdf.trailer[key]
            pdf.save(job.pdf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        except pikepdf.PdfError:
            raise PdfError(DAMAGED) from None
    cache_page_numbers(job.docx, pages)


def _version(pdf) -> str:
    producer = pdf.docinfo.get("/Producer") if pdf.docinfo is not None else None
    return f"this is {producer}" if producer else "this one did not say its version"


def _bookmark_pages(pdf) -> dict[str, int]:
    """The page number (from 1) of each Word bookmark LibreOffice exported as a named destination. It writes
    a name's "_" as "5F" (a URL escape without its "%"), so both spellings are read."""
    import pikepdf

    pages = {page.objgen: n for n, page in enumerate(pdf.pages, 1)}
    found = {}
    dests = pdf.Root.get("/Dests")
    items = dict(dests.items()) if isinstance(dests, pikepdf.Dictionary) else {}
    for name, dest in items.items():
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
            page = pages.get(dest[0].objgen)
            if page is not None:
                name = name[1:]
                found[name] = page
                found[re.sub(r"^5F", "_", name)] = page
    return found


def _created(docx: Path) -> str | None:
    """The document's creation date from its core properties, as a PDF date (D:YYYYMMDDHHmmSSZ)."""
    try:
        with zipfile.ZipFile(docx) as zin:
            core = etree.fromstring(zin.read("docProps/core.xml"), _PARSER)
    except (KeyError, OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    for tag in ("{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"):
        element = core.find(tag)
        match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", (element.text or "").strip()) \
            if element is not None else None
        if match:
            return "D:" + "".join(match.groups()) + "Z"
    return None


def _fix_dates(pdf, created: str | None) -> None:
    """The PDF's creation date (document information and XMP) from the document, not from the clock;
    without one in the document, the dates are left out."""
    import pikepdf

    info = pdf.trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                if created:
                    info[key] = pikepdf.String(created)
                else:
                    del info[key]
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return
    xmp = etree.fromstring(metadata.read_bytes(), _PARSER)
    changed = False
    for element in xmp.iter("{http://ns.adobe.com/xap/1.0/}CreateDate", "{http://ns.adobe.com/xap/1.0/}ModifyDate",
                            "{http://ns.adobe.com/xap/1.0/}MetadataDate"):
        if created:
            c = created
            element.text = f"{c[2:6]}-{c[6:8]}-{c[8:10]}T{c[10:12]}:{c[12:14]}:{c[14:16]}Z"
        else:
            element.getparent().remove(element)
        changed = True
    if changed:
        metadata.write(b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
                       + etree.tostring(xmp, encoding="utf-8") + b'\n<?xpacket end="w"?>\n')


def cache_page_numbers(docx: Path, pages: dict[str, int]) -> int:
    """Write into DOCX (in place) each PAGEREF field's result: the page of its bookmark in PAGES, so Word
    shows the contents' page numbers without an update. Returns how many were written; a field whose
    bookmark is not in PAGES keeps no result, as before."""
    with zipfile.ZipFile(docx) as zin:
        infos = zin.infolist()
        parts = {info.filename: zin.read(info) for info in infos}
    document = etree.fromstring(parts["word/document.xml"], _PARSER)
    written = 0
    for paragraph in document.iter(f"{W}p"):
        bookmark = None
        for run in list(paragraph.iter(f"{W}r")):
            instr = run.find(f"{W}instrText")
            char = run.find(f"{W}fldChar")
            if instr is not None and _PAGEREF.match(instr.text or ""):
                bookmark = _PAGEREF.match(instr.text).group(1)
            elif char is not None and char.get(f"{W}fldCharType") == "separate" and bookmark in pages:
                following = run.getnext()
                while following is not None and not _ends_field(following):  # an old result: replaced
                    following, old = following.getnext(), following
                    old.getparent().remove(old)
                result = etree.SubElement(run.getparent(), f"{W}r")
                run.addnext(result)
                text = etree.SubElement(result, f"{W}t")
                text.text = str(pages[bookmark])
                bookmark = None
                written += 1
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    rewritten = docx.with_name(docx.name + ".pages")
    with zipfile.ZipFile(rewritten, "w") as zout:
        for info in infos:
            zout.writestr(info, parts[info.filename], compress_type=info.compress_type)
    os.replace(rewritten, docx)
    return written


def _ends_field(run) -> bool:
    char = run.find(f"{W}fldChar")
    return run.tag != f"{W}r" or (char is not None and char.get(f"{W}fldCharType") == "end")
