"""import-report on reports built in code (tests/report_factory.py), so these run without ../shared/: each
CQC layout, "Score 3" and "Score: 3", bullets, several pages in any order, a folder, a partial report, a
PDF, text as people save it, CQC's slips as warnings, and work linear in the report."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest
import report_factory as factory
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.contract import QUALITY_STATEMENTS
from cqcdocs.errors import ReportError
from cqcdocs.report_import import read_reports
from cqcdocs.report_import.parse import short_name
from cqcdocs.report_import.parse import parse_report
from cqcdocs.report_import.source import blocks_of

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ["2025", "2024", "pilot"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def parse_text(text: str, name: str = "report.txt"):
    return parse_report(blocks_of(text.encode("utf-8"), name), name)


def parse_files(*paths):
    blocks = read_reports(list(paths))
    return parse_report(blocks, blocks.name)


def save_pages(folder: Path, layout: str, order=None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pages = factory.pages(layout)
    files = []
    for n, page in enumerate(pages):
        path = folder / f"page-{n:02d}.txt"
        path.write_text("\n\n".join(page) + "\n", encoding="utf-8")
        files.append(path)
    return files if order is None else [files[i] for i in order(len(files))]


def every_score(report):
    return {s.quality_statement.key: s.score for s in report.scores}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_gives_every_score_the_date_and_every_key_finding(layout):
    report = parse_text(factory.text(layout, published="17 May 2024"))
    assert report.council == factory.COUNCIL and report.rating == "Good"
    assert f"{report.published:%d/%m/%Y}" == "17/05/2024"
    assert every_score(report) == factory.SCORES
    assert [f.text for f in report.findings] == factory.finding_texts()
    assert report.overall_pct == (71 if layout == "2024" else None)
    assert report.pilot == (layout == "pilot")
    assert report.warnings == ()
    assert [p.text for p in report.people + report.summary] == [
        "People told us assessing needs was person centred and assessing practice was good.",
        "Safeguarding was everyone's business and safeguarding practice was strong."]


def test_score_without_a_colon_imports_the_same_findings():
    with_colon, without = parse_text(factory.text(colon=True)), parse_text(factory.text(colon=False))
    assert "Score 3" in factory.text(colon=False) and "\nScore: 3\n" not in factory.text(colon=False).split(
        "Summary of people's experiences")[1]
    assert [(f.quality_statement, f.subheading, f.text) for f in without.findings] == [
        (f.quality_statement, f.subheading, f.text) for f in with_colon.findings]
    assert every_score(without) == every_score(with_colon) == factory.SCORES


def test_the_date_from_published_when_there_is_no_assessment_published():
    text = factory.text("2024", published="9 May 2024")
    assert "Assessment published" not in text
    assert f"{parse_text(text).published:%d/%m/%Y}" == "09/05/2024"


@pytest.mark.parametrize("layout", ["2024", "pilot"])
def test_pages_in_any_order_read_as_the_whole_report(tmp_path, layout):
    whole = parse_text(factory.text(layout))
    shuffled = save_pages(tmp_path / "pages", layout, lambda n: random.Random(4).sample(range(n), n))
    report = parse_files(*shuffled)
    assert every_score(report) == factory.SCORES and report.rating == "Good"
    assert sorted(f.text for f in report.findings) == sorted(f.text for f in whole.findings)
    assert report.warnings == () and report.name == f"{len(shuffled)} files"
    assert report.findings[0].where.startswith("page-")


def test_a_folder_saved_complete_by_a_browser(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "report.html").write_text(factory.web_page(factory.text("2025").splitlines()), encoding="utf-8")
    (folder / "report_files").mkdir()
    (folder / "report_files" / "style.css").write_text("p{}")
    (folder / "report_files" / "frame.html").write_text("<p>advert</p>")
    report = parse_files(folder)
    assert every_score(report) == factory.SCORES and len(report.findings) == len(factory.finding_texts())
    out = tmp_path / "new.xlsx"
    result = run("import-report", folder, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Read report.html: {factory.COUNCIL}, published 20/03/2026, rated Good"


def test_a_partial_report_imports_what_is_there_and_says_what_to_save(tmp_path):
    files = save_pages(tmp_path / "pages", "2024")
    part = [files[0], files[2], files[3]]  # About, Assessing needs, Supporting people to live healthier lives
    report = parse_files(*part)
    assert every_score(report) == {"assessing_needs": 3, "healthier_lives": 3} or len(report.scores) == 2
    assert len(report.findings) == 8
    save = "save that page, or the PDF download, and import it too"
    assert "3 files: no page for Safeguarding: " + save in report.warnings
    assert any(w.startswith("3 files: no rating under 'Local authority rating and score'") for w in report.warnings)
    out = tmp_path / "partial.xlsx"
    result = run("import-report", *part, "--out", out)
    assert result.exit_code == 0, result.output
    assert "Warnings:" in result.output
    assert f"  3 files: no page for Safeguarding: {save}" in result.output.splitlines()
    ws = openpyxl.load_workbook(out)["Scores"]
    scored = {row[1].value: row[7].value for row in ws.iter_rows(min_row=2)}
    assert sum(v is not None for v in scored.values()) == 2


def test_a_file_that_is_not_a_report_is_still_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the meeting\n\nScores were discussed.\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        parse_files(notes)
    assert caught.value.lines == [
        "notes.txt: is not a CQC local authority assessment report (it has no title '<council>: local authority "
        "assessment', no 'Quality statement scores' and no quality statement with its score)"]
    result = run("import-report", notes, "--out", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


def test_england_comparisons_and_waits_into_metrics_and_key_figures(tmp_path):
    out = tmp_path / "new.xlsx"
    path = tmp_path / "report.txt"
    path.write_text(factory.text("2025"), encoding="utf-8")
    assert run("import-report", path, "--out", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Metrics"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2) if r[0].value]
    assert len(rows) == 9
    first = rows[0]
    assert first == {"Indicator": "Carers were satisfied with assessingneeds support", "Source": "SACE",
                     "Council value": 41.51, "England average": 36.83, "Unit": "%", "Higher is better": "Y",
                     "CQC comparison": "better", "Quality statement": "Assessing needs",
                     "CQC's words": factory.findings(QUALITY_STATEMENTS[0])[1][1][1]}
    ws = wb["Key figures"]
    header = [c.value for c in ws[1]]
    figures = {r[0].value: dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2) if r[0].value}
    wait = figures["Maximum wait: assessingneeds review"]
    assert (wait["Value"], wait["Unit"], wait["Theme or quality statement"]) == (1372, "days", "Assessing needs")
    wb["Assessment"]["B4"] = "North West"  # Region: a fictional council is not in the national table
    wb.save(out)
    assert run("validate", out).exit_code == 0, run("validate", out).output


COMPARISONS = [  # (sentence, (value, England, CQC's words, source, measure)) as CQC words them
    ("Data from the Adult Social Care Survey (ASCS) showed 70.57% people were satisfied with care and support, "
     "which was better than the England average of 65.16%.",
     (70.57, 65.16, "better", "ASCS", "People were satisfied with care and support")),
    ("SACE data also showed 34.38% of carers accessed a break, which was much better than the England average of "
     "16.14%.", (34.38, 16.14, "much better", "SACE", "Carers accessed a break")),
    ("ASCOF data showed 40.07% of people received a direct payment, which was significantly better than the "
     "England average of 24.51%.", (40.07, 24.51, "significantly better", "ASCOF", "People received a direct payment")),
    ("Meanwhile, 28.13% of carers took a short break, which was similar to the England Average of 21.73%.",
     (28.13, 21.73, "similar", "", "Carers took a short break")),
    ("Data showed 16.67% of carers felt in control. This was significantly worse than the England average of 21.53%.",
     (16.67, 21.53, "significantly worse", "", "Carers felt in control")),
]


@pytest.mark.parametrize("sentence, expected", COMPARISONS)
def test_every_wording_of_an_england_comparison(sentence, expected):
    text = factory.text("2025").replace(factory.findings(QUALITY_STATEMENTS[0])[0][1][0], sentence)
    report = parse_text(text)
    got = next(c for c in report.comparisons if c.sentence == sentence or sentence.endswith(c.sentence))
    assert (got.value, got.england, got.words, got.source, got.measure) == expected
    assert got.quality_statement == QUALITY_STATEMENTS[0] and got.sentence in sentence


SLIPS = [  # (from, to, the warning)
    ("**\u00a3463,014,000**", "**\u00a3463,014,0000**",
     "report.txt:{line}: \u00a3463,014,0000 is not a well-formed number (its digits are not in groups of three), so "
     "it is not read: check CQC's page and type it in by hand"),
    ("**\u00a339,972,000**", "**\u00a339,972,500**",
     "report.txt:{line}: the report says \u00a339,972,500 more than estimated, but \u00a3463,014,000 \u2212 "
     "\u00a3423,042,000 is \u00a339,972,000: one of CQC's figures is a slip; check its page"),
    ("Assessment published: 20 March 2026", "Assessment published: 20 March 2023",
     "report.txt:{line}: published 20 March 2023, before December 2023 when CQC's formal assessments began, and "
     "the report gives no indicative scores: check the date"),
    ("Equity in experience and outcomes\n\nScore: 2\n\n2 -", "Equity in experience and outcomes\n\nScore: 5\n\n2 -",
     "report.txt:{line}: score 5 for 'Equity in experience and outcomes' is outside 1\u20134, so it is not "
     "imported: check CQC's page and type the score in by hand"),
]


@pytest.mark.parametrize("old, new, warning", SLIPS)
def test_cqcs_slips_are_warnings_at_their_line(old, new, warning):
    text = factory.text("2025")
    assert old in text
    text = text.replace(old, new, 1)
    line = text[:text.index(new.split("\n")[-1] if "Score: 5" not in new else "Score: 5")].count("\n") + 1
    report = parse_text(text)
    assert warning.format(line=line) in report.warnings + report.notes


def test_every_unread_pound_or_percent_in_about_is_listed():
    text = factory.text("2025").replace("It has an IMD score of 5", "It has an IMD score of 5 and 12% of people rent")
    report = parse_text(text)
    assert any(n.endswith("the figure '12%' is not read as a key figure (its sentence is not one cqcdocs knows)")
               for n in report.notes)


# --- text as people save it ------------------------------------------------------------------------------

def test_utf16_a_stray_byte_control_characters_and_zero_width_names():
    text = factory.text("2025")
    assert every_score(parse_report(blocks_of(text.encode("utf-16"), "r.txt"), "r.txt")) == factory.SCORES
    assert every_score(parse_report(blocks_of(text.encode("utf-16-le"), "r.txt"), "r.txt")) == factory.SCORES
    stray = text.replace("Demographics", "Demographics \x92", 1).encode("utf-8").replace(b"\xc2\x92", b"\x92")
    blocks = blocks_of(stray, "r.txt")
    report = parse_report(blocks, "r.txt")
    line = text[:text.index("Demographics")].count("\n") + 1
    assert report.warnings[0] == (f"r.txt:{line}: a byte that is not UTF-8 was read as Windows' own encoding; check "
                               "the line's text")
    assert "Demographics \u2019" in [b.text for b in blocks] and report.council == factory.COUNCIL
    assert "\u00a3" in "".join(b.text for b in blocks)  # the rest is still UTF-8, not mojibake
    nul = text.replace("Safeguarding\n", "Safe\x00guard\u200bing\n").replace(factory.COUNCIL, "Northmoor\u200b "
                                                                              "Metropolitan Borough Council", 1)
    report = parse_report(blocks_of(nul.encode("utf-8"), "r.txt"), "r.txt")
    assert every_score(report) == factory.SCORES and report.council == factory.COUNCIL
    assert report.warnings[0].endswith("control characters (such as NUL) removed from this line and others") or \
        report.warnings[0].endswith("1 control character (such as NUL) removed")
    nfd = text.replace("Equity in experience", "Equity\u0301 in experience".replace("y\u0301", "y"))
    assert every_score(parse_text(nfd)) == factory.SCORES


def test_hidden_html_is_not_read_and_head_may_be_left_open():
    lines = factory.text("2025").splitlines()
    page = factory.web_page(lines, head=False).replace(
        "<main>", '<main><div hidden><p>Assessment published: 1 January 2020</p></div>'
                  '<p style="display: none">Score: 1</p><span style="color:red;display:none">x</span>', 1)
    report = parse_report(blocks_of(page.encode(), "r.html"), "r.html")
    assert f"{report.published:%d/%m/%Y}" == "20/03/2026" and every_score(report) == factory.SCORES
    assert not any("x" == b.text for b in blocks_of(page.encode(), "r.html"))


def test_work_is_linear_in_the_report():
    start = time.perf_counter()
    with pytest.raises(ReportError):
        parse_report(blocks_of(b"[" * 65536 + b"\n", "r.txt"), "r.txt")
    with pytest.raises(ReportError):
        parse_report(blocks_of(b"<p>" + b"<b>x</b>" * 40000 + b"</p>", "r.html"), "r.html")
    assert time.perf_counter() - start < 3
    start = time.perf_counter()
    for damaged in (b"<html>" + b"<p a=" * 20000, b"<html>" + b"<a href='" * 20000, b"<html>" + b"<!--" * 20000):
        blocks_of(damaged, "r.html")  # Python's parser alone would rescan the page for each unclosed "<"
    base = factory.text("2025")
    parse_text(base.replace("Demographics", "1," * 32768 + " Demographics", 1))
    parse_text(base.replace("Staff told us", "better than the England average of 5% " * 1500 + "Staff", 1))
    parse_text(base.replace("Summary of strengths", "Quality statement scores\n\nAssessing needs\n\nScore: 3\n\n"
                            * 5000 + "Summary of strengths", 1))
    assert time.perf_counter() - start < 5
    many = factory.text("2025").replace("Key findings for this quality statement\n",
                                        "Key findings for this quality statement\n\n" + "\n\n".join(
                                            f"Finding number {n} about practice." for n in range(3000)) + "\n", 1)
    start = time.perf_counter()
    report = parse_text(many)
    assert len(report.findings) == 3000 + len(factory.finding_texts())
    wb = openpyxl.Workbook()
    from cqcdocs.report_import.fill import fill_workbook

    fill_workbook(wb, report)
    assert time.perf_counter() - start < 10


# --- CQC's PDF download -----------------------------------------------------------------------------------

def test_cqcs_pdf_download(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed, so no PDF can be made here")
    page = tmp_path / "report.html"
    page.write_text(factory.web_page(factory.text("2025").splitlines()), encoding="utf-8")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(page)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    report = parse_files(pdf)
    assert report.council == factory.COUNCIL and every_score(report) == factory.SCORES
    assert [f.text for f in report.findings] == factory.finding_texts()
    assert len(report.comparisons) == 9
    result = run("import-report", pdf, "--out", tmp_path / "from-pdf.xlsx")
    assert result.exit_code == 0, result.output
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(pdf.read_bytes()[:400])
    with pytest.raises(ReportError) as caught:
        parse_files(damaged)
    assert caught.value.lines[0].startswith("damaged.pdf: is a PDF that cannot be read (")


def test_report_text_is_written_as_text_never_a_formula(tmp_path):
    formula = '=HYPERLINK("http://example.com","People told us the service was good.")'
    path = tmp_path / "report.txt"
    path.write_text(factory.text("2025").replace(factory.finding_texts()[0], formula), encoding="utf-8")
    out = tmp_path / "new.xlsx"
    assert run("import-report", path, "--out", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["Findings"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == formula)
    assert cell.data_type == "s"


def test_two_councils_reports_at_once_are_refused_and_other_files_are_named(tmp_path):
    one, other, notes = tmp_path / "one.txt", tmp_path / "two.txt", tmp_path / "notes.txt"
    one.write_text(factory.text("2025"), encoding="utf-8")
    other.write_text(factory.text("2025").replace("Northmoor", "Southmoor"), encoding="utf-8")
    notes.write_text("Our own notes on the report.\n", encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        parse_files(one, other)
    assert caught.value.lines[0] == ("two.txt:1: this page is Southmoor Metropolitan Borough Council's report, not "
                                     "Northmoor Metropolitan Borough Council's: import each council's report on "
                                     "its own")
    report = parse_files(one, notes)
    assert report.warnings[-1] == ("notes.txt: nothing of CQC's report in it (no title, scores or page of a quality "
                                "statement); left out")


def test_a_web_page_with_labels_and_values_in_cells_of_their_own(tmp_path):
    """The date, the rating and a score as a page may lay them out in a table or definition list."""
    text = factory.text("2025").replace("Assessment published: 20 March 2026", "Assessment published\n\n20 March "
                                                                              "2026")
    text = text.replace(f"{factory.COUNCIL}\n\nGood\n", "Overall rating: Good\n\n71%\n", 1)
    text = text.replace("Safeguarding\n\nScore: 3\n\n3 -", "Safeguarding\n\nScore\n\n3\n\n3 -")
    report = parse_text(text)
    assert (f"{report.published:%d/%m/%Y}", report.rating, report.overall_pct) == ("20/03/2026", "Good", 71)
    elsewhere = parse_text(text.replace("Local authority rating and score\n", "", 1))
    assert (elsewhere.rating, elsewhere.overall_pct) == ("Good", None)
    assert every_score(report) == factory.SCORES and report.warnings == ()


ABOUT_WORDINGS = [  # (CQC's sentence in the About part, the figures read)
    ("The population of the city is 245,000 and growing.", [("Population", 245000)]),
    ("The population of Northmoor is 265,000 people.", [("Population", 265000)]),
    ("It serves a population of approximately 260,000 people.", [("Population (approximate)", 260000)]),
    ("It has a population of 290,488.", [("Population", 290488)]),
    ("Northmoor has an IMD score of 5.", [("Index of Multiple Deprivation score", 5)]),
    ("It has an Index of Multiple Deprivation decile of 3, (with 1 being the most deprived and 10 being the least "
     "deprived).", [("Index of Multiple Deprivation decile (1 most deprived, 10 least)", 3)]),
    ("The Index of Multiple Deprivation (IMD) for the overall area is 6 (10 is the most deprived).",
     [("Index of Multiple Deprivation (10 most deprived, 1 least)", 6)]),
    ("The local authority estimated that in 2022/23, its total budget would be \u00a3612,400,000. Its actual spend "
     "for that year was \u00a3640,100,000, which was \u00a327,700,000 more than estimated.",
     [("Total budget (estimate)", 612400000), ("Total spend", 640100000), ("Total spend above the estimate",
                                                                          27700000)]),
    ("The local authority estimated that it would spend \u00a3190,250,000 of its total budget on adult social care "
     "in 2022/23 Its actual spend was \u00a3201,300,000, which was \u00a311,050,000 more than estimated.",
     [("Adult social care budget (estimate)", 190250000), ("Adult social care spend", 201300000),
      ("Adult social care spend above the estimate", 11050000)]),
]


@pytest.mark.parametrize("sentence, expected", ABOUT_WORDINGS)
def test_financial_and_population_facts_in_every_wording(sentence, expected):
    from cqcdocs.report_import.figures import figures_of
    from cqcdocs.report_import.source import Block

    figures, notes, warnings = figures_of([Block(1, sentence)], "r.txt")
    assert [(f.measure, f.value) for f in figures] == expected
    assert notes == [] and warnings == []


# --- moved from test_import_report.py: these need no seed ---------------------------------------------------

def test_short_names():
    assert short_name("Rotherham Metropolitan Borough Council") == "Rotherham"
    assert short_name("London Borough of Camden") == "Camden"
    assert short_name("Kent County Council") == "Kent"
    assert short_name("Bristol City Council") == "Bristol"


def test_markdown_headings_links_and_bullets():
    blocks = blocks_of(b"# Title\n\n[How we assess](https://x)\n\n* one\n\nText with __bold__.\n", "r.md")
    assert [(b.line, b.text, b.heading) for b in blocks] == [
        (1, "Title", True), (3, "How we assess", None), (5, "- one", None), (7, "Text with **bold**.", None)]
    numbered = blocks_of("1. Assessing needs\n\n\u2022 Safeguarding\n\n[[[\n".encode(), "r.md")
    assert [b.text for b in numbered] == ["- Assessing needs", "- Safeguarding", "[[["]


def test_library_messages_name_no_flag():
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "cqcdocs" / "report_import").glob("*.py"))
    assert not re.search(r"--[a-z]", source)


def test_an_overall_score_line_under_the_rating_is_not_a_statement():
    text = factory.text("2025").replace(f"{factory.COUNCIL}\n\nGood\n", f"{factory.COUNCIL}\n\nGood\n\nScore: 71%\n", 1)
    report = parse_text(text)
    assert (report.rating, report.overall_pct) == ("Good", 71) and every_score(report) == factory.SCORES


def test_a_pdfs_running_header_and_page_numbers():
    """Pages with the title at the top and "Page N of M" at the foot: the title read once, the numbers not; a
    paragraph going on over the page break is one paragraph."""
    from cqcdocs.report_import.source import page_blocks

    title = f"{factory.COUNCIL}: local authority assessment"
    wide = "The local authority worked with partners across the whole borough to make sure that people were"
    pages = [f"{title}\nOverall summary\n\n{wide}\nsupported well.\n\nPage 1 of 4",
             *(f"{title}\nPartners told us about {n} things in\nPage {n} of 4" for n in (2, 3)),
             f"{title}\n{wide}\nheard.\n\n{wide}\nPage 4 of 4", ]
    blocks = page_blocks(pages, "r.pdf")
    texts = [b.text for b in blocks]
    assert texts[0] == title and texts.count(title) == 1 and not any("Page" in t for t in texts)
    assert texts[1:3] == ["Overall summary", f"{wide} supported well."]


def test_scores_in_a_table():
    """"Quality statement scores" as a web page's table: a header row, then each name and score in cells."""
    rows = "".join(f"<tr><td>{qs.name}</td><td>{factory.SCORES[qs.key]}</td></tr>" for qs in QUALITY_STATEMENTS)
    table = f"<h2>Quality statement scores</h2><table><tr><th>Quality statement</th><th>Score</th></tr>{rows}</table>"
    lines = factory.text("2025").split("Quality statement scores")[0].splitlines()
    rest = "Summary of people's experiences" + factory.text("2025").split("Summary of people's experiences")[1]
    page = factory.web_page(lines).replace("</main>", table + "</main>")
    page = page.replace("</main>", factory.web_page(rest.splitlines()).split("<main>")[1].split("</main>")[0]
                        + "</main>")
    report = parse_report(blocks_of(page.encode(), "r.html"), "r.html")
    assert every_score(report) == factory.SCORES and report.warnings == ()
    assert len(report.findings) == len(factory.finding_texts())


def test_a_theme_heading_naming_the_council_its_own_way():
    text = factory.text("2025").replace(f"Theme 1: How {factory.COUNCIL} works with people",
                                        "Theme 1: How Northmoor Council works with people")
    assert every_score(parse_text(text)) == factory.SCORES
    with pytest.raises(ReportError):
        parse_text(text.replace("Theme 2: Providing support", "Theme 2: Giving support"))


def test_other_documents_in_the_folder_are_left_out_by_name(tmp_path):
    (tmp_path / "report.txt").write_text(factory.text("2025"), encoding="utf-8")
    (tmp_path / "peer-review.txt").write_text("LGA peer challenge\n\nTheme 4: Leadership covers:\n\n- Governance\n",
                                              encoding="utf-8")
    report = parse_files(tmp_path)
    assert every_score(report) == factory.SCORES
    assert report.warnings == ("peer-review.txt: nothing of CQC's report in it (no title, scores or page of a quality "
                            "statement); left out",)


def test_a_page_whose_title_and_date_are_outside_main():
    """A statement's page as a site may lay it out: the title and date in the page's header, not in <main>."""
    page = factory.pages("2024")[4]  # one quality statement's page, with the furniture every page repeats
    body = factory.web_page(page[3:]).replace(
        "<body>", f"<body><header><h1>{page[0]}</h1><p>{page[1]}</p><p>Menu</p></header>", 1)
    report = parse_report(blocks_of(body.encode(), "r.html"), "r.html")
    assert report.council == factory.COUNCIL and f"{report.published:%d/%m/%Y}" == "20/03/2026"
    assert len(report.scores) == 1 and len(report.findings) == 4


def test_a_statement_and_its_score_on_one_line():
    text = factory.text("2024")
    for qs in QUALITY_STATEMENTS:
        text = text.replace(f"\u2022 {qs.name}\n\n    Score: {factory.SCORES[qs.key]}",
                            f"\u2022 {qs.name} Score: {factory.SCORES[qs.key]}")
    assert "\u2022 Safeguarding Score: 3" in text
    report = parse_text(text)
    assert every_score(report) == factory.SCORES and report.warnings == ()
    assert len(report.findings) == len(factory.finding_texts())
    summary_only = text.split("Summary of people's experiences")[0]  # About and the scores, no statement pages
    assert every_score(parse_text(summary_only)) == factory.SCORES


def test_a_finding_that_begins_with_the_word_score_is_a_finding():
    prose = "Score cards for each team were reviewed monthly by leaders."
    text = factory.text("2025").replace(factory.finding_texts()[0], prose)
    report = parse_text(text)
    assert prose in [f.text for f in report.findings] and len(report.findings) == len(factory.finding_texts())
