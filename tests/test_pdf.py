"""PDFs: `brief --pdf` through LibreOffice (tagged, PDF/UA, bookmarks, numbered contents, chart alt text),
what happens when LibreOffice is missing, fails or hangs, and `cqcdocs check` on good and broken PDFs."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from cqcdocs.check import check_file
from cqcdocs.cli import main
from cqcdocs.render import pdf as pdf_module
from cqcdocs.render.pdf import filter_spec

BRIEFING, ANNEX = "rotherham-cqc-briefing", "rotherham-cqc-annex"
INSTALL = pdf_module.INSTALL_HINT
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory) -> Path:
    """A cache folder of the tests' own, so their LibreOffice profiles are kept apart from the user's."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def own_cache(cache_home, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def invoke(*args):
    """The CLI with standard error kept apart (click 8.2 and later always do; 8.1 needs mix_stderr)."""
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args])


def rules(path) -> list[tuple[str, str, str]]:
    return [(p.rule, p.where, p.message) for p in check_file(path)]


@pytest.fixture(scope="module")
def made(soffice, tmp_path_factory, cache_home) -> Path:
    """The example's briefing and annex written by `brief --pdf`; returns the folder."""
    out = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache_home))
        result = run("brief", "--out", out, "--pdf")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"Wrote {out / BRIEFING}.docx", f"Wrote {out / BRIEFING}.pdf",
                                          f"Wrote {out / ANNEX}.xlsx", "Accessibility check: 0 errors, 0 warnings"]
    return out


@pytest.fixture
def good(made, tmp_path) -> Path:
    """A copy of the good PDF, to break."""
    return Path(shutil.copyfile(made / f"{BRIEFING}.pdf", tmp_path / "good.pdf"))


def drawings(docx: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(docx) as zf:
        document = etree.fromstring(zf.read("word/document.xml"))
    return [(d.get("title"), d.get("descr")) for d in document.iter(f"{WP}docPr")]


def structure(pdf) -> list:
    """Every structure element, in reading order."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        stack += reversed(kids)
    return found


def of_type(pdf, kind: str) -> list:
    return [e for e in structure(pdf) if e.S == kind]


def outline(pdf) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
    found = []
    with pdf.open_outline() as tree:
        def walk(items, level):
            for item in items:
                found.append((level, item.title, pages[item.destination[0].objgen]))
                walk(item.children, level + 1)
        walk(tree.root, 1)
    return found


# --- what --pdf makes --------------------------------------------------------------------------------

def test_the_pdf_passes_every_rule_and_the_plain_export_fails_as_untagged(made, to_pdf):
    assert rules(made / f"{BRIEFING}.pdf") == []
    plain = to_pdf(made / f"{BRIEFING}.docx")  # LibreOffice's default export: no tags at all
    assert rules(plain) == [("pdf-tagged", "document", "not tagged: no structure tree, so screen readers cannot "
                             "find headings, tables or figures (export with tags, as PDF/UA)")]


def test_tagged_pdf_ua_with_title_language_and_bookmarks(made):
    with pikepdf.open(made / f"{BRIEFING}.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == "Care Quality Commission (CQC) Assessment of Rotherham Adult Social Care"
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"
        bookmarks = outline(pdf)
        assert [b[:2] for b in bookmarks[:6]] == [
            (1, "Executive summary"), (1, "Governance relating to the CQC outcome"), (1, "Background"),
            (1, "Key assessment dates"), (1, "Overall scores"), (2, "Changes from the draft report")]
        assert bookmarks[-1][:2] == (1, "Next steps")
        assert len(of_type(pdf, "/H1")) == sum(1 for b in bookmarks if b[0] == 1)
        assert len(of_type(pdf, "/Table")) == len(docx.Document(str(made / f"{BRIEFING}.docx")).tables)
        for table in of_type(pdf, "/Table"):
            assert any(e.S == "/TH" for e in structure_under(table))


def structure_under(element) -> list:
    found, stack = [], [element]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def test_every_chart_alt_text_is_in_the_structure_tree(made):
    charts = drawings(made / f"{BRIEFING}.docx")
    assert len(charts) == 4 and all(title and descr for title, descr in charts)
    with pikepdf.open(made / f"{BRIEFING}.pdf") as pdf:
        alts = [str(f.Alt) for f in of_type(pdf, "/Figure")]
    assert alts == [f"{title} - {descr}" for title, descr in charts]


def test_the_contents_page_carries_each_headings_page_number(made, pdf_text):
    text, pages = pdf_text(made / f"{BRIEFING}.pdf")
    assert "Right-click to update" not in text
    entries = [(m[1].strip(), int(m[2])) for m in re.finditer(r"^ *(\S.*?)\.{4,}(\d+)$", text, re.M)]
    with pikepdf.open(made / f"{BRIEFING}.pdf") as pdf:
        bookmarks = [(title, page) for level, title, page in outline(pdf) if level <= 3]
    assert entries == bookmarks
    assert len(entries) > 20 and entries[0] == ("Executive summary", 2) and entries[-1][1] <= pages
    with pikepdf.open(made / f"{BRIEFING}.pdf") as pdf:
        links = [a for a in pdf.pages[0].get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert len(links) >= 20  # each contents line links to its heading


def test_the_pdf_text_has_the_key_figures(made, pdf_text):
    text, pages = pdf_text(made / f"{BRIEFING}.pdf")
    flat = " ".join(text.split())
    for expected in ("OFFICIAL", "Overall score: 73%", "Overall rating: Good", "Scores by quality statement",
                     "Equity in experience and outcomes", "57%", "Requires improvement", f"Page 1 of {pages}",
                     f"Page {pages} of {pages}", "Next steps"):
        assert expected in flat


def test_picture_charts_keep_their_own_alt_text(soffice, tmp_path):
    result = run("brief", "--out", tmp_path, "--pdf", "--charts", "picture", "--no-annex")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Accessibility check: 0 errors, 0 warnings"
    pictures = drawings(tmp_path / f"{BRIEFING}.docx")
    with pikepdf.open(tmp_path / f"{BRIEFING}.pdf") as pdf:
        assert [str(f.Alt) for f in of_type(pdf, "/Figure")] == [f"{t} - {d}" for t, d in pictures]


def test_the_export_options_are_typed_json():
    kind, name, options = filter_spec().split(":", 2)
    assert (kind, name) == ("pdf", "writer_pdf_Export")
    assert json.loads(options) == {
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
        "PDFUACompliance": {"type": "boolean", "value": "true"},
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
        "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
        "EmbedStandardFonts": {"type": "boolean", "value": "true"},
        "ExportNotes": {"type": "boolean", "value": "false"},
        "InitialView": {"type": "long", "value": "1"}}


# --- when LibreOffice is missing, fails or hangs -------------------------------------------------------

def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_without_libreoffice_the_docx_and_annex_are_still_written(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    result = invoke("brief", "--out", str(tmp_path), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {BRIEFING}.pdf: not written: {INSTALL}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{ANNEX}.xlsx", f"{BRIEFING}.docx"]
    assert result.stdout.splitlines()[-1] == "Accessibility check: 0 errors, 0 warnings"
    (tmp_path / f"{BRIEFING}.pdf").write_bytes(b"%PDF-1.4 yesterday's")
    again = invoke("brief", "--out", str(tmp_path), "--pdf")
    assert again.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: {INSTALL}; {tmp_path / BRIEFING}.pdf is from an earlier run"]


def test_a_libreoffice_that_fails_is_reported(tmp_path, monkeypatch):
    script = fake_soffice(tmp_path, "echo 'Warning: failed to launch javaldx' >&2\n"
                                    "echo 'Error: source file could not be loaded' >&2\nexit 1")
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {BRIEFING}.pdf: not written: LibreOffice could not make a PDF "
                                          "(exit code 1: Error: source file could not be loaded)"]
    assert (tmp_path / "out" / f"{BRIEFING}.docx").is_file()


def test_a_libreoffice_that_hangs_is_stopped(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    script = fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait")
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    monkeypatch.setattr(pdf_module, "TIMEOUT", 1)
    start = time.monotonic()
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf",
                                                       "--no-annex")
    assert time.monotonic() - start < 30
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: LibreOffice did not finish within 1 s and was stopped"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{BRIEFING}.docx"]
    sleeper = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # everything it started was stopped too
        for _ in range(50):
            os.kill(sleeper, 0)
            time.sleep(0.1)


def test_a_soffice_that_cannot_start_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    result = invoke("brief", "--out", str(tmp_path), "--pdf", "--no-annex")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: {INSTALL} ({tmp_path / 'no-such-soffice'}: No such file or directory)"]


def test_a_batch_reports_the_missing_pdf_and_fails(tmp_path, monkeypatch):
    from cqcdocs.resources import EXAMPLE_WORKBOOK

    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(tmp_path / "no-such-soffice"))
    second = Path(shutil.copyfile(EXAMPLE_WORKBOOK, tmp_path / "copy.xlsx"))
    result = invoke("brief", str(EXAMPLE_WORKBOOK), str(second), "--out",
                                                       str(tmp_path / "a"), "--pdf", "--jobs", "1")
    assert result.exit_code == 1
    assert f"{BRIEFING}.pdf: not written: {INSTALL}" in result.stderr
    assert (tmp_path / "a" / f"{BRIEFING}.docx").is_file()


# --- cqcdocs check on broken PDFs ---------------------------------------------------------------------

def edit(path: Path, change) -> Path:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(path)
    return path


def test_untagged_and_unmarked(good):
    def untag(pdf):
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/MarkInfo"]
    assert [r[0] for r in rules(edit(good, untag))] == ["pdf-tagged"]


def test_marked_false(good):
    edit(good, lambda pdf: setattr(pdf.Root.MarkInfo, "Marked", False))
    assert rules(good) == [("pdf-tagged", "document",
                            "has a structure tree but is not marked as tagged (MarkInfo Marked)")]


@pytest.mark.parametrize("lang, message", [
    (None, "no document language set (expected en-GB)"),
    ("fr-FR", "document language is fr-FR, expected en-GB"),
])
def test_language(good, lang, message):
    def change(pdf):
        if lang is None:
            del pdf.Root["/Lang"]
        else:
            pdf.Root.Lang = pikepdf.String(lang)
    assert rules(edit(good, change)) == [("pdf-language", "document", message)]


def test_language_matches_whatever_is_expected(made):
    assert check_file(made / f"{BRIEFING}.pdf", lang="en-gb") == []
    assert [p.message for p in check_file(made / f"{BRIEFING}.pdf", lang="cy-GB")] == [
        "document language is en-GB, expected cy-GB"]


def test_title_missing_and_not_shown(good):
    def change(pdf):
        del pdf.docinfo["/Title"]
        del pdf.Root["/Metadata"]
        pdf.Root.ViewerPreferences.DisplayDocTitle = False
    assert rules(edit(good, change)) == [
        ("pdf-title", "properties", "document title is not set"),
        ("pdf-title", "properties", "the window shows the file name, not the title (DisplayDocTitle is not set)")]


def test_a_title_only_in_xmp_counts(good):
    edit(good, lambda pdf: pdf.docinfo.__delitem__("/Title"))
    assert rules(good) == []


@pytest.mark.parametrize("alt, message", [
    (None, "figure has no alt text (/Alt)"),
    ("   ", "figure has no alt text (/Alt)"),
    ("scores.png", "alt text is a file name ('scores.png')"),
    ("Picture 3", "alt text is a placeholder ('Picture 3')"),
])
def test_figure_alt_text(good, alt, message):
    def change(pdf):
        figure = of_type(pdf, "/Figure")[1]
        if alt is None:
            del figure["/Alt"]
        else:
            figure.Alt = pikepdf.String(alt)
    [(rule, where, said)] = rules(edit(good, change))
    assert (rule, said) == ("pdf-alt-text", message)
    assert re.fullmatch(r"figure 2 \(page \d+\)", where)


def test_actual_text_counts_as_alt_text(good):
    def change(pdf):
        figure = of_type(pdf, "/Figure")[0]
        figure.ActualText = figure.Alt
        del figure["/Alt"]
    assert rules(edit(good, change)) == []


def test_table_without_header_cells(good):
    def change(pdf):
        for cell in structure_under(of_type(pdf, "/Table")[0]):
            if cell.S == "/TH":
                cell.S = pikepdf.Name("/TD")
    [(rule, where, message)] = rules(edit(good, change))
    assert (rule, message) == ("pdf-table-header", "table has no header cells (TH)")
    assert re.fullmatch(r"table 1 \(page \d+\)", where)


def test_a_th_reached_through_the_role_map_counts(good):
    def change(pdf):
        for cell in structure_under(of_type(pdf, "/Table")[0]):
            if cell.S == "/TH":
                cell.S = pikepdf.Name("/HeaderCell")
        pdf.Root.StructTreeRoot.RoleMap.HeaderCell = pikepdf.Name("/TH")
    assert rules(edit(good, change)) == []


def test_skipped_and_missing_headings(good, tmp_path):
    skipped = Path(shutil.copyfile(good, tmp_path / "skipped.pdf"))
    edit(skipped, lambda pdf: setattr(of_type(pdf, "/H2")[0], "S", pikepdf.Name("/H3")))
    [(rule, where, message)] = rules(skipped)
    assert (rule, message) == ("pdf-headings", "H3 follows H1: a level is skipped")
    assert re.fullmatch(r"heading 6 \(page \d+\)", where)

    first = Path(shutil.copyfile(good, tmp_path / "first.pdf"))
    edit(first, lambda pdf: setattr(of_type(pdf, "/H1")[0], "S", pikepdf.Name("/H2")))
    assert [(r, m) for r, _, m in rules(first)] == [("pdf-headings", "first heading is H2, not H1")]

    def no_headings(pdf):
        for element in structure(pdf):
            if re.fullmatch(r"/H\d", str(element.S)):
                element.S = pikepdf.Name("/P")
    assert rules(edit(good, no_headings)) == [
        ("pdf-headings", "structure tree", "no headings (H1–H6) in the structure tree")]


def test_no_bookmarks(good):
    with pikepdf.open(good) as pdf:
        pages = len(pdf.pages)
    edit(good, lambda pdf: pdf.Root.__delitem__("/Outlines"))
    assert rules(good) == [("pdf-bookmarks", "document", f"no bookmarks in a {pages}-page document")]


def test_a_font_not_embedded(good):
    def change(pdf):
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        descriptor = font.FontDescriptor
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]
        change.name = str(font.BaseFont)[1:]
    [problem] = rules(edit(good, change))
    assert problem == ("pdf-fonts", f"font {change.name!r}", "font is not embedded (first used on page 1)")


@pytest.mark.parametrize("content, message", [
    (b"hello, not a PDF", "not a PDF (no %PDF- header: damaged, or another format renamed)"),
    (b"%PDF-1.7\n%garbage, no objects", None),
])
def test_unreadable_pdfs(tmp_path, content, message):
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    [(rule, where, said)] = rules(path)
    assert (rule, where) == ("file-readable", "file")
    if message:
        assert said == message
    else:
        assert said.startswith("damaged: ")


def test_a_password_protected_pdf(good, tmp_path):
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(good) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    assert rules(locked) == [("file-readable", "file", "password-protected: save it without a password to check it")]


def test_check_command_on_a_pdf(made):
    result = run("check", made / f"{BRIEFING}.pdf")
    assert (result.exit_code, result.output) == (0, "1 file checked: no problems\n")


# --- issue 22 §5: LibreOffice under control -------------------------------------------------------------

CONVERTER = """out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--outdir" ]; then out="$a"; fi
  prev="$a"
done
mkdir -p "$out"
"""


def each_input(command: str) -> str:
    """A fake soffice body that runs COMMAND for each .docx it is given, with $out its --outdir and $n the name."""
    return CONVERTER + f'for a in "$@"; do case "$a" in *.docx) n=$(basename "$a" .docx); {command};; esac; done'


def test_a_damaged_pdf_from_libreoffice_is_one_line_and_the_rest_is_written(tmp_path, monkeypatch):
    script = fake_soffice(tmp_path, each_input("printf '%%PDF-1.7\\n1 0 obj\\n<< /Type /Cat' > \"$out/$n.pdf\""))
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {BRIEFING}.pdf: not written: {pdf_module.DAMAGED}"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{ANNEX}.xlsx", f"{BRIEFING}.docx"]
    assert "Traceback" not in result.output


def test_libreoffice_output_is_bounded(tmp_path, monkeypatch):
    script = fake_soffice(tmp_path, "head -c 30000000 /dev/zero | tr '\\0' 'x'\necho\necho 'Error: the last words'\n"
                                    "exit 3")
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf", "--no-annex")
    assert result.stderr.splitlines() == [f"Error: {BRIEFING}.pdf: not written: LibreOffice could not make a PDF "
                                          "(exit code 3: Error: the last words)"]


def test_the_tail_keeps_only_the_last_bytes():
    import subprocess

    process = subprocess.Popen(["sh", "-c", "head -c 5000000 /dev/zero; printf end"], stdout=subprocess.PIPE)
    tail = pdf_module._Tail(process.stdout)
    process.wait()
    tail.join(10)
    text = tail.text()
    assert len(text) == pdf_module.OUTPUT_KEPT and text.endswith("end")
    assert tail.size <= 2 * pdf_module.OUTPUT_KEPT + 65536


def test_the_time_limit_holds_when_a_child_keeps_the_pipes_open(tmp_path, monkeypatch):
    """A child that left LibreOffice's process group and keeps its output pipe open: the run still ends
    at the limit (the wait is on LibreOffice, never on the pipe)."""
    pid_file = tmp_path / "pid"
    script = fake_soffice(tmp_path, f"setsid sleep 40 &\necho $! > {pid_file}\nsleep 60")
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    monkeypatch.setattr(pdf_module, "TIMEOUT", 1)
    start = time.monotonic()
    try:
        result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf", "--no-annex")
        assert time.monotonic() - start < 15
    finally:
        os.kill(int(pid_file.read_text()), 9)
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: LibreOffice did not finish within 1 s and was stopped"]


def test_a_libreoffice_that_finishes_while_a_child_keeps_the_pipes_is_not_waited_for(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    script = fake_soffice(tmp_path, f"setsid sleep 40 &\necho $! > {pid_file}\necho 'Error: gave up' >&2\nexit 1")
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    start = time.monotonic()
    try:
        result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf", "--no-annex")
        assert time.monotonic() - start < 15
    finally:
        os.kill(int(pid_file.read_text()), 9)
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: LibreOffice could not make a PDF (exit code 1: Error: gave up)"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie waiting for its parent is gone for our purpose
        return f.read().split(") ")[-1][:1] != "Z"


@pytest.mark.parametrize("signum", [2, 15, 9])  # Ctrl+C, SIGTERM, a kill
def test_stopping_cqcdocs_stops_libreoffice_and_leaves_no_temporary_folders(tmp_path, signum):
    import signal
    import subprocess
    import sys

    pid_file, tmp = tmp_path / "pid", tmp_path / "tmp"
    tmp.mkdir()
    script = fake_soffice(tmp_path, f"sleep 60 &\necho $! > {pid_file}\nwait")
    env = dict(os.environ, CQCDOCS_SOFFICE=str(script), TMPDIR=str(tmp), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    process = subprocess.Popen([sys.executable, "-m", "cqcdocs", "brief", "--out", str(tmp_path / "out"), "--pdf"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(600):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.1)
    sleeper = int(pid_file.read_text())
    process.send_signal(signum)
    process.communicate(timeout=30)
    for _ in range(50):
        if not _alive(sleeper):
            break
        time.sleep(0.1)
    assert not _alive(sleeper)
    if signum != signal.SIGKILL:  # a killed process cannot tidy up; the others leave nothing behind
        assert list(tmp.iterdir()) == []
        assert not (tmp_path / "out").exists() or [p.name for p in (tmp_path / "out").iterdir()] == []


def test_a_full_temporary_folder_is_one_line_naming_it(tmp_path, monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(fake_soffice(tmp_path, "exit 0")))
    monkeypatch.setattr(tempfile, "mkdtemp", full)
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: the temporary folder {tempfile.gettempdir()} (TMPDIR) cannot be used: "
        "No space left on device; free some space there or point TMPDIR at another folder"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{ANNEX}.xlsx", f"{BRIEFING}.docx"]


def test_a_temporary_folder_that_fills_while_copying_is_one_line(tmp_path, monkeypatch):
    import errno
    import tempfile

    real_copy = shutil.copyfile

    def copy(source, target, *args, **kwargs):
        if str(target).startswith(tempfile.gettempdir()) and "cqcdocs-pdf-" in str(target):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(source, target, *args, **kwargs)

    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(fake_soffice(tmp_path, "exit 0")))
    monkeypatch.setattr(pdf_module.shutil, "copyfile", copy)
    result = invoke("brief", "--out", str(tmp_path / "out"), "--pdf", "--no-annex")
    assert result.stderr.splitlines() == [
        f"Error: {BRIEFING}.pdf: not written: the temporary folder {tempfile.gettempdir()} (TMPDIR) cannot be used: "
        "No space left on device; free some space there or point TMPDIR at another folder"]


# --- issue 25: one warm profile, few starts, the same bytes every run -----------------------------------

def test_the_profile_is_kept_in_the_cache_folder_and_another_run_gets_another_slot(tmp_path, monkeypatch):
    log = tmp_path / "profiles"
    script = fake_soffice(tmp_path, f'for a in "$@"; do case "$a" in -env:*) echo "$a" >> {log};; esac; done\nexit 1')
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    slots = tmp_path / "cache" / "cqcdocs" / "libreoffice"
    invoke("brief", "--out", str(tmp_path / "a"), "--pdf", "--no-annex")
    held = pdf_module._try_lock(slots / "slot-0.lock")  # another run is using the first profile
    try:
        invoke("brief", "--out", str(tmp_path / "b"), "--pdf", "--no-annex")
    finally:
        os.close(held)
    used = [line.split("=", 1)[1] for line in log.read_text().splitlines()]
    assert used[0] == (slots / "slot-0").as_uri() and used[-1] == (slots / "slot-1").as_uri()
    seed = (slots / "slot-0" / "user" / "registrymodifications.xcu").read_text()
    assert '<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>999.9</value></prop>' in seed


def test_a_warm_profile_skips_libreoffices_graphics_self_tests(made, cache_home):
    profile = cache_home / "cqcdocs" / "libreoffice" / "slot-0" / "user"
    assert (profile / "registrymodifications.xcu").is_file()
    assert not (profile / "GraphicsRenderTests.log").exists()  # written whenever they run


def test_two_runs_give_the_same_bytes_compacted(made, tmp_path):
    result = run("brief", "--out", tmp_path, "--pdf")
    assert result.exit_code == 0, result.output
    first, second = (made / f"{BRIEFING}.pdf").read_bytes(), (tmp_path / f"{BRIEFING}.pdf").read_bytes()
    assert first == second
    assert (made / f"{BRIEFING}.docx").read_bytes() == (tmp_path / f"{BRIEFING}.docx").read_bytes()
    assert b"/ObjStm" in first and len(first) < 300_000  # object streams: LibreOffice's own file is ~600 KB
    with pikepdf.open(made / f"{BRIEFING}.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20260320000000Z"  # the document's date, not the clock's
        with pdf.open_metadata() as meta:
            assert meta["xmp:CreateDate"] == "2026-03-20T00:00:00Z"


def test_a_batch_converts_its_documents_with_one_libreoffice_start(soffice, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from cqcdocs.resources import EXAMPLE_WORKBOOK

    log = tmp_path / "starts"
    script = fake_soffice(tmp_path, f'echo start >> {log}\nexec {soffice} "$@"')
    monkeypatch.setenv(pdf_module.SOFFICE_ENV, str(script))
    paths = []
    for name in ("Ashford", "Brook", "Colby"):
        wb = load_workbook(EXAMPLE_WORKBOOK)
        for row in wb["Assessment"].iter_rows(min_row=2):
            if row[0].value in ("Council", "Short name"):
                row[1].value = name
        wb.save(tmp_path / f"{name}.xlsx")
        paths.append(tmp_path / f"{name}.xlsx")
    result = invoke("brief", *map(str, paths), "--out", str(tmp_path / "out"), "--pdf", "--jobs", "1")
    assert result.exit_code == 0, result.output + result.stderr
    assert log.read_text().splitlines() == ["start"]
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["ashford-cqc-briefing.pdf", "brook-cqc-briefing.pdf", "colby-cqc-briefing.pdf"]
    for pdf in pdfs:
        assert rules(pdf) == []
        with pikepdf.open(pdf) as opened:
            assert str(opened.docinfo.Subject).endswith(f": {pdf.name.split('-')[0].title()}")  # its own document


# --- issue 24: the .docx contents carry the PDF's page numbers ------------------------------------------

def pageref_results(docx_path: Path) -> list[tuple[str, str]]:
    """(entry text, cached result) of each PAGEREF field in the document, in order."""
    with zipfile.ZipFile(docx_path) as zf:
        document = etree.fromstring(zf.read("word/document.xml"))
    found = []
    for paragraph in document.iter(f"{W}p"):
        runs, state, result = list(paragraph.iter(f"{W}r")), None, ""
        for run_ in runs:
            instr, char = run_.find(f"{W}instrText"), run_.find(f"{W}fldChar")
            if instr is not None and "PAGEREF" in instr.text:
                state = "instr"
            elif char is not None and char.get(f"{W}fldCharType") == "separate" and state == "instr":
                state = "result"
            elif char is not None and char.get(f"{W}fldCharType") == "end" and state == "result":
                text = "".join(t.text or "" for t in paragraph.iter(f"{W}t")).removesuffix(result)
                found.append((text, result))
                state = None
            elif state == "result":
                result += "".join(t.text or "" for t in run_.iter(f"{W}t"))
    return found


def test_the_docx_contents_carry_the_pdfs_page_numbers(made, pdf_text):
    text, _ = pdf_text(made / f"{BRIEFING}.pdf")
    in_pdf = [(m[1].strip(), m[2]) for m in re.finditer(r"^ *(\S.*?)\.{4,}(\d+)$", text, re.M)]
    assert pageref_results(made / f"{BRIEFING}.docx") == in_pdf
    assert len(in_pdf) > 20 and in_pdf[0] == ("Executive summary", "2")


def test_without_pdf_the_contents_keep_no_numbers(tmp_path):
    result = run("brief", "--out", tmp_path, "--no-annex")
    assert result.exit_code == 0
    results = pageref_results(tmp_path / f"{BRIEFING}.docx")
    assert len(results) > 20 and {r for _, r in results} == {""}


def test_cached_numbers_replace_old_ones_and_skip_unknown_bookmarks(made, tmp_path):
    copy = Path(shutil.copyfile(made / f"{BRIEFING}.docx", tmp_path / "copy.docx"))
    assert pdf_module.cache_page_numbers(copy, {"_Toc00000001": 9}) == 1
    results = pageref_results(copy)
    assert results[0] == ("Executive summary", "9") and results[1][1] == "2"


# --- --pdf on every paper ---------------------------------------------------------------------------------

def test_progress_and_journey_write_pdfs(soffice, northmoor_workbook, tmp_path):
    progress = invoke("progress", str(northmoor_workbook), "--as-at", "2026-08-11", "--out", str(tmp_path), "--pdf")
    assert progress.exit_code == 0, progress.stdout + progress.stderr
    journey = invoke("journey", "--out", str(tmp_path), "--pdf")
    assert journey.exit_code == 0, journey.stdout + journey.stderr
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs == ["northmoor-improvement-plan-2026-08-11.pdf", "rotherham-improvement-journey.pdf"]
    for name in pdfs:
        assert rules(tmp_path / name) == []
        assert f"Wrote {tmp_path / name}" in (progress.stdout + journey.stdout)
