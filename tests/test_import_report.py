"""`cqcdocs import-report`: CQC's published report (the seed's saved text, and a web page built from it)
into a source workbook; damaged reports and other files refused with the line; an officer's values never
changed; a second import changes nothing."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.contract import QUALITY_STATEMENTS
from cqcdocs.documents import load_and_score
from cqcdocs.errors import ReportError
from cqcdocs.report_import.fill import words
from cqcdocs.report_import.parse import parse_report
from cqcdocs.report_import.source import read_report
from cqcdocs.resources import EXAMPLE_WORKBOOK

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "001_1a4ce532dcc8465d.txt"
EXAMPLE_DATA = ROOT / "data" / "rotherham-2026"
NAME = SEED.name

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="the seed report (../shared/seeds/) is not beside "
                                                           "this checkout")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def damaged(tmp_path: Path, change) -> Path:
    """A copy of the seed with CHANGE (lines → lines) applied, under the seed's own name."""
    lines = seed_lines()
    change(lines)
    path = tmp_path / "damaged" / NAME
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(path: Path) -> list[str]:
    with pytest.raises(ReportError) as caught:
        parse_report(read_report(path), path.name)
    return caught.value.lines


def cell_values(path: Path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None}


def example_rows(name: str) -> list[dict[str, str]]:
    with open(EXAMPLE_DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def report():
    return parse_report(read_report(SEED), NAME)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("imported") / "imported.xlsx"
    result = run("import-report", SEED, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def findings_of(path: Path) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)["Findings"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2) if row[0].value]


# --- what the parser reads -----------------------------------------------------------------------------

def test_the_seed_is_read_as_cqc_lays_it_out(report):
    assert report.council == "Rotherham Metropolitan Borough Council"
    assert f"{report.published:%d/%m/%Y}" == "20/03/2026" and report.rating == "Good"
    example = {r["Quality statement"]: int(r["Score"]) for r in example_rows("scores.csv")}
    assert {s.quality_statement.name: s.score for s in report.scores} == example
    assert [s.line for s in report.scores] == [46, 50, 54, 58, 62, 66, 70, 74, 78]
    assert (len(report.people), len(report.summary), len(report.findings)) == (4, 8, 183)
    first = report.findings[0]
    assert (first.quality_statement.name, first.subheading, first.line) == (
        "Assessing needs", "Assessment, care planning and review arrangements", 138)
    assert {f.subheading for f in report.findings if f.quality_statement.key == "safeguarding"} == {
        "Safeguarding systems, processes and practices", "Responding to local safeguarding risks and issues",
        "Responding to concerns and undertaking Section 42 enquiries", "Making safeguarding personal"}
    assert report.notes == (
        f"{NAME}:17: the figure '15%' is not read as a key figure (its sentence is not one cqcdocs knows)",
        f"{NAME}:314: 'The 2011 census showed 22% of the population in Rotherham had a long-term health "
        "condition'\u2026 "
        "is not added to Metrics ('higher than' says which is larger, not whether it is better or worse)")
    assert report.warnings == ()


def test_the_financial_facts_and_about_figures(report):
    figures = {f.measure: (f.value, f.unit, f.as_at, f.line) for f in report.figures}
    assert figures["Adult social care spend"] == (135739000, "\u00a3", "2023/24", 24)
    assert figures["Adult social care spend above the estimate"] == (14321000, "\u00a3", "2023/24", 24)
    assert figures["Total spend above the estimate"] == (39972000, "\u00a3", "2023/24", 23)
    assert figures["Share of the budget spent on adult social care"] == (29.32, "%", "2023/24", 25)
    assert figures["Adult social care precept"] == (2, "%", "2023/24", 26)
    assert figures["People accessing long-term adult social care support (approximate)"] == (
        4835, "people", "2023/24", 27)
    assert figures["Population (approximate)"] == (260000, "people", "", 15)
    assert figures["Index of Multiple Deprivation decile (1 most deprived, 10 least)"][0] == 3
    assert figures["Population aged 65 and over (approximate)"][:2] == (20, "%")
    assert len(figures) == 15


# --- the imported workbook ---------------------------------------------------------------------------

def test_the_imported_workbook_validates_and_scores_73_good(imported):
    result = run("validate", imported)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Findings: warning: 183 findings with no Section (rows 14\u2013196) are left out of the briefing; the "
        "annex lists them",
        "imported.xlsx: valid (1 warning)"]
    scored, _ = load_and_score(imported)
    assert (scored.overall.pct, scored.overall.rating.label) == (73, "Good")
    example, _ = load_and_score(EXAMPLE_WORKBOOK)
    assert [s.score for s in scored.statements] == [s.score for s in example.statements]
    a = scored.workbook.assessment
    assert (a.council, a.short_name, a.region, a.sub_region, a.published_rating) == (
        "Rotherham Metropolitan Borough Council", "Rotherham", "Yorkshire and the Humber", "South Yorkshire", "Good")
    assert len(scored.workbook.benchmarks) == 15  # the init layout with the council's region, as init --region


def test_the_example_cqc_findings_are_all_there(imported):
    """Every CQC finding of the example that is CQC's own text (its people's experiences and summary, which
    officers split, joined and emboldened by hand) is in the import, under the same section and theme."""
    got = findings_of(imported)
    for section in ("People's experience", "Summary"):
        ours = [f for f in got if f["Section"] == section]
        joined = re.sub(r"\s+", " ", "".join(words(f["Finding"]) for f in ours))
        wanted = [r for r in example_rows("findings.csv") if r["Review"] == "CQC assessment 2026"
                  and r["Section"] == section and not r.get("Quoted from")]  # not CQC's summaries: its narrative
        assert wanted
        for row in wanted:
            assert words(row["Finding"]) in joined, row["Finding"]
            holder = next(f for f in ours if words(row["Finding"]) in words(f["Finding"])
                          or words(f["Finding"]) in words(row["Finding"]))
            assert holder["Theme"] == row["Theme"], row["Finding"]
            assert holder["Review"] == "CQC assessment 2026"
    # The example's key strengths and areas for development are the council's own summaries (its governance
    # pack), not CQC's words: no import could give them.
    text = SEED.read_text(encoding="utf-8")
    assert "OT and AT accessible at Front Door" not in text and "Timely and effective advocacy" not in text


def test_key_findings_keep_their_statement_and_sub_heading(imported):
    got = findings_of(imported)
    key = [f for f in got if f["Section"] is None]
    assert len(key) == 183
    assert key[0]["Quality statement"] == "Assessing needs" and key[0]["Theme"] == "Working with people"
    assert key[0]["Sub-heading"] == "Assessment, care planning and review arrangements"
    assert key[0]["Finding"].startswith("People could easily access the local authority's care")


def test_key_figures_sheet(imported):
    ws = openpyxl.load_workbook(imported)["Key figures"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value}
    header = [c.value for c in ws[1]]
    spend = dict(zip(header, rows["Adult social care spend"]))
    assert spend == {"Measure": "Adult social care spend", "Value": 135739000, "Unit": "\u00a3", "As at": "2023/24",
                     "Source": "CQC assessment report (20 March 2026): financial facts, not part of CQC's "
                               "assessment", "Theme or quality statement": None, "Review": "CQC assessment 2026",
                     "Thread": None, "CQC's words": None}
    wait = dict(zip(header, rows["Median wait: annual review"]))
    assert (wait["Value"], wait["Unit"], wait["Theme or quality statement"], wait["CQC's words"]) == (
        253, "days", "Assessing needs", "People waiting for an annual review of their care, both residential care and "
        "domiciliary arrangements was 1066 with a median wait of 253 days and a maximum wait of 1,372 days.")
    assert dict(zip(header, rows["People waiting: annual review"]))["Value"] == 1066
    assert dict(zip(header, rows["Maximum wait: annual review"]))["Value"] == 1372
    scored, _ = load_and_score(imported)
    assert len(scored.workbook.key_figures) == 15 + 32


def test_brief_runs_on_the_import_with_no_hand_edits(imported, tmp_path):
    result = run("brief", imported, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and (tmp_path / "out" / "rotherham-cqc-briefing.docx").is_file()


COUNTS = ("9 scores, 183 key findings across 9 statements, 12 summary paragraphs, 21 England comparisons, 15 "
          "figures about the council, 32 waiting figures; not placed: 2 (listed)")
NOT_PLACED = [
    "Not placed:",
    f"  {NAME}:17: the figure '15%' is not read as a key figure (its sentence is not one cqcdocs knows)",
    f"  {NAME}:314: 'The 2011 census showed 22% of the population in Rotherham had a long-term health condition'"
    "\u2026 is not added to Metrics ('higher than' says which is larger, not whether it is better or worse)"]


def test_the_command_says_what_it_did(tmp_path):
    result = run("import-report", SEED, "--out", tmp_path / "new.xlsx")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"Read {NAME}: Rotherham Metropolitan Borough Council, published 20/03/2026, rated Good",
        "Filled 14 empty cells: Assessment 5, Scores 9",
        "Added Findings 195 rows, Key figures 47 rows, Metrics 21 rows",
        "The report gives its summaries' paragraphs no theme: Findings rows 2\u201313 were placed under the quality "
        "statement whose key findings they most resemble; check their Theme and Quality statement",
        "CQC's key findings are added with no Section: the briefing leaves them out until you choose one (Key "
        "strength or Area for development, say) for those it should show",
        *NOT_PLACED,
        COUNTS,
        f"Wrote {tmp_path / 'new.xlsx'}"]


# --- never overwriting ---------------------------------------------------------------------------------

def test_a_second_import_changes_nothing(imported, tmp_path):
    again = tmp_path / "again.xlsx"
    shutil.copy(imported, again)
    before, values = again.read_bytes(), cell_values(again)
    result = run("import-report", SEED, "--into", again)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["Already there: Findings 195 rows, Key figures 47 rows, Metrics 21 "
                                              "rows", *NOT_PLACED, COUNTS, f"Nothing to add: {again} is unchanged"]
    assert again.read_bytes() == before and cell_values(again) == values


def test_an_officers_values_are_kept_and_reported(imported, tmp_path):
    path = tmp_path / "officer.xlsx"
    wb = openpyxl.load_workbook(imported)
    wb["Assessment"]["B2"] = "Rotherham MBC"
    wb["Scores"]["H3"] = 2  # the officer's Score for Supporting people to lead healthier lives
    wb["Key figures"]["B2"] = 250000  # Population (approximate)
    findings = wb["Findings"]
    findings.delete_rows(20, 1)  # a key finding the officer removed comes back; nothing else is added
    wb.save(path)
    before = cell_values(path)
    result = run("import-report", SEED, "--into", path)
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[1:] == [
        "Added Findings 1 row",
        "Already there: Findings 194 rows, Key figures 46 rows, Metrics 21 rows",
        "CQC's key findings are added with no Section: the briefing leaves them out until you choose one (Key "
        "strength or Area for development, say) for those it should show",
        "Kept (the workbook already says something else):",
        f"  Assessment!B2: kept 'Rotherham MBC'; the report says 'Rotherham Metropolitan Borough Council' "
        f"({NAME}: title)",
        f"  Scores!H3: kept '2'; the report says '3' ({NAME}:50)",
        f"  Key figures!B2: kept '250000'; the report says '260000' ({NAME}:15)",
        *NOT_PLACED,
        COUNTS,
        f"Wrote {path}"]
    after = cell_values(path)
    assert all(after[k] == v for k, v in before.items())  # every value that was there is there, unchanged
    assert len(after) > len(before)


def test_importing_into_the_example_adds_only_key_findings(tmp_path):
    path = tmp_path / "rotherham.xlsx"
    shutil.copy(EXAMPLE_WORKBOOK, path)
    before = cell_values(path)
    result = run("import-report", SEED, "--into", path)
    assert result.exit_code == 0, result.output
    after = cell_values(path)
    assert all(after[k] == v for k, v in before.items())
    added = [f for f in findings_of(path)][len([f for f in example_rows("findings.csv")]):]
    assert len(added) == 183 and all(f["Section"] is None for f in added)  # the summaries were there already
    assert run("validate", path).exit_code == 0


def test_a_workbook_with_formulas_is_not_rewritten(imported, tmp_path):
    path = tmp_path / "formulas.xlsx"
    wb = openpyxl.load_workbook(imported)
    wb["Scores"]["J2"] = "=H2/4"
    wb.save(path)
    before = path.read_bytes()
    result = run("import-report", SEED, "--into", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: formulas.xlsx: has the values of its formulas (Scores!J2), which would be lost if cqcdocs rewrote "
        "it, so it is left as it is; import into a new workbook and copy across what you need; nothing written"]
    assert path.read_bytes() == before


# --- the report saved as a web page or as Markdown ---------------------------------------------------------

def as_web_page(lines: list[str]) -> str:
    """The seed's text as CQC's page might be saved: a site menu and footer around <main>, headings, lists,
    bold; one element a line, so each keeps the seed's line number."""
    headings = {"Quality statement scores", "Summary of people's experiences", "Key findings for this quality "
                "statement", "What people expect", "The local authority commitment", "Financial facts"}
    out = []
    for i, line in enumerate(lines):
        text = html.escape(line.strip(), quote=False)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"\[(.+?)\]\(#\)", r'<a href="#">\1</a>', text)
        if i == 0:
            out.append('<!DOCTYPE html><html><head><title>CQC</title></head><body><nav><p>Menu</p></nav><main>')
        elif not text:
            out.append("")
        elif text.startswith("- "):
            out.append(f"<ul><li>{text[2:]}</li></ul>")
        elif line.endswith("local authority assessment"):
            out.append(f"<h1>{text}</h1>")
        elif line.strip() in headings or line.startswith("Theme "):
            out.append(f"<h2>{text}</h2>")
        else:
            out.append(f"<p>{text}</p>")
    out.append("</main><footer><p>Contact us</p></footer></body></html>")
    return "\n".join(out)


def test_a_saved_web_page_reads_as_the_text_does(report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(as_web_page(seed_lines()), encoding="utf-8")
    from_page = parse_report(read_report(page), page.name)
    assert [(s.quality_statement, s.score, s.line) for s in from_page.scores] == [
        (s.quality_statement, s.score, s.line) for s in report.scores]
    assert [(f.quality_statement, f.subheading, f.text, f.line) for f in from_page.findings] == [
        (f.quality_statement, f.subheading, f.text, f.line) for f in report.findings]
    assert [p.text for p in from_page.people + from_page.summary] == [p.text for p in report.people + report.summary]
    assert {(f.measure, f.value) for f in from_page.figures} == {(f.measure, f.value) for f in report.figures}
    out = tmp_path / "from-page.xlsx"
    assert run("import-report", page, "--out", out).exit_code == 0
    assert run("validate", out).exit_code == 0


def test_a_damaged_web_page_names_its_line(tmp_path):
    lines = seed_lines()
    lines[49] = ""  # "Score: 3" under Supporting people to lead healthier lives
    page = tmp_path / "report.html"
    page.write_text(as_web_page(lines), encoding="utf-8")
    assert refused(page)[0] == ("report.html:48: no score for 'Supporting people to lead healthier lives' "
                                "(expected 'Score: 1' to 'Score: 4' on the next line)")


# --- damaged reports and other files ------------------------------------------------------------------

DAMAGE = [  # (the seed's line, made into this, the errors before the verdict)
    (50, "", [  # the score under Quality statement scores
        "48: no score for 'Supporting people to lead healthier lives' (expected 'Score: 1' to 'Score: 4' on the "
        "next line)",
        "214: 'Supporting people to lead healthier lives' is scored here but not under 'Quality statement scores'"]),
    (120, "", [  # the score under the statement's own heading
        "118: no score for 'Assessing needs' (expected 'Score: 1' to 'Score: 4' after the heading)"]),
    (338, "Theme 2: Giving support", [
        "338: unrecognised theme heading 'Theme 2: Giving support' (expected 'Theme 2: Providing support')"]),
    (338, "Providing support", [  # the theme heading gone: its statements come under theme 1
        "347: 'Care provision, integration and continuity' belongs to theme 2 (Providing support) but comes under "
        "theme 1 (Working with people): is the heading 'Theme 2: \u2026' missing or renamed?",
        "421: 'Partnerships and communities' belongs to theme 2 (Providing support) but comes under theme 1 "
        "(Working with people): is the heading 'Theme 2: \u2026' missing or renamed?"]),
]


@pytest.mark.parametrize("line, text, errors", DAMAGE)
def test_a_damaged_report_names_each_line(tmp_path, line, text, errors):
    path = damaged(tmp_path, lambda lines: lines.__setitem__(line - 1, text))
    many = "s" if len(errors) > 1 else ""
    assert refused(path) == [f"{NAME}:{e}" for e in errors] + [
        f"{NAME}: cannot be imported ({len(errors)} error{many}); nothing written"]


def test_a_renamed_statement_and_a_disagreeing_score(tmp_path):
    def change(lines):
        lines[51] = "Equity of outcomes"
        lines[497] = "Score: 2"  # Safe pathways, systems and transitions: 3 under Quality statement scores
    assert refused(damaged(tmp_path, change)) == [
        f"{NAME}:52: unrecognised quality statement 'Equity of outcomes' under 'Quality statement scores'",
        f"{NAME}:298: 'Equity in experience and outcomes' is scored here but not under 'Quality statement scores'",
        f"{NAME}:498: score 2 for 'Safe pathways, systems and transitions' differs from 'Score: 3' under 'Quality "
        "statement scores' (line 66)",
        f"{NAME}: cannot be imported (3 errors); nothing written"]


def test_files_that_are_not_a_cqc_report(tmp_path):
    pack = SEED.parent / "000_b135833343fa50de.txt"
    assert refused(pack) == [f"{pack.name}: is not a CQC local authority assessment report (it has no title "
                             "'<council>: local authority assessment', no 'Quality statement scores' and no quality "
                             "statement with its score)"]
    assert refused(tmp_path) == [f"{tmp_path.name}: is a folder, not a saved report"]
    assert refused(tmp_path / "gone.txt") == ["gone.txt: file not found"]


def test_the_command_refuses_without_writing(tmp_path):
    out = tmp_path / "x.xlsx"
    pack = SEED.parent / "000_b135833343fa50de.txt"
    result = run("import-report", pack, "--out", out)
    assert result.exit_code == 1 and not out.exists() and list(tmp_path.iterdir()) == []
    assert "Traceback" not in result.output
    assert run("import-report", SEED).output == (
        "Error: give --into WORKBOOK (fill in a workbook) or --out NEW.xlsx (a new one), not both or neither\n")
    out.write_bytes(b"x")
    assert run("import-report", SEED, "--out", out).output == (
        f"Error: {out} already exists; use --into {out} to fill it in, or --force to replace it\n")
    not_a_workbook = tmp_path / "plan.xlsx"
    not_a_workbook.write_text("a,b\n1,2\n")
    assert run("import-report", SEED, "--into", not_a_workbook).output.splitlines() == [
        "plan.xlsx: is a CSV file, not a workbook: cqcdocs needs the .xlsx with all its sheets",
        "Error: plan.xlsx: cannot be filled in; nothing written"]


# --- the seed in CQC's other layouts, as pages, as a PDF ----------------------------------------------------

def seed_pages() -> list[list[str]]:
    """The seed cut into CQC's web pages (About, Overall summary, one per quality statement), each with the
    furniture every page repeats, as an officer saves them one by one."""
    lines = seed_lines()
    furniture = ["Rotherham Metropolitan Borough Council: local authority assessment",
                 "Published: 20 March 2026 Page last updated: 20 March 2026", "Downloads"]
    starts = [i for i, line in enumerate(lines) if line.strip() in ("Overall summary",)
              or (i + 2 < len(lines) and lines[i + 2].startswith("Score: ") and i > 100
                  and not lines[i].startswith("- "))]
    cuts = [0, *starts, len(lines)]
    return [furniture + [x for x in lines[a:b] if not x.startswith("Theme ")] for a, b in zip(cuts, cuts[1:])]


def test_score_without_a_colon_in_the_seed_imports_the_same_findings(report, tmp_path):
    path = damaged(tmp_path, lambda lines: lines.__setitem__(slice(None), [
        re.sub(r"^Score: (\d)$", r"Score \1", line) if i > 100 else line for i, line in enumerate(lines)]))
    assert "Score 3" in path.read_text(encoding="utf-8")
    again = parse_report(read_report(path), NAME)
    assert [(f.quality_statement, f.subheading, f.text) for f in again.findings] == [
        (f.quality_statement, f.subheading, f.text) for f in report.findings]
    assert [(s.quality_statement, s.score) for s in again.scores] == [(s.quality_statement, s.score)
                                                                        for s in report.scores]


def test_the_seed_as_pages_saved_one_by_one_in_any_order(report, tmp_path):
    pages = seed_pages()
    assert len(pages) == 11
    folder = tmp_path / "saved"
    folder.mkdir()
    for n, page in zip([7, 3, 10, 0, 5, 9, 1, 4, 8, 2, 6], pages):
        (folder / f"page {n}.txt").write_text("\n\n".join(page) + "\n", encoding="utf-8")
    from cqcdocs.report_import import read_reports

    blocks = read_reports([folder])
    again = parse_report(blocks, blocks.name)
    assert again.name == "saved/" and again.warnings == ()
    assert [(s.quality_statement, s.score) for s in again.scores] == [(s.quality_statement, s.score)
                                                                        for s in report.scores]
    assert sorted(f.text for f in again.findings) == sorted(f.text for f in report.findings)
    assert {f.text for f in again.findings if f.quality_statement.key == "safeguarding"} == {
        f.text for f in report.findings if f.quality_statement.key == "safeguarding"}
    assert (again.council, again.published, again.rating) == (report.council, report.published, report.rating)
    assert [p.text for p in again.people + again.summary] == [p.text for p in report.people + report.summary]
    assert len(again.figures) == 15 and len(again.comparisons) == len(report.comparisons)
    # Without the Safeguarding page: everything else, and a warning saying what to save.
    (folder / "page 8.txt").unlink()  # the ninth page, Safeguarding's
    blocks = read_reports([folder])
    partial = parse_report(blocks, blocks.name)
    assert partial.warnings == ("saved/: no page for Safeguarding: save that page, or the PDF download, and import "
                                "it too (its score is read from 'Quality statement scores'; its key findings are on "
                                "its page)",)
    assert len(partial.scores) == 9 and {f.quality_statement.key for f in partial.findings} == {
        qs.key for qs in QUALITY_STATEMENTS} - {"safeguarding"}


def test_the_seed_imports_its_england_comparisons_word_for_word(imported, report):
    ws = openpyxl.load_workbook(imported)["Metrics"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2) if r[0].value]
    assert len(rows) == 21
    text = SEED.read_text(encoding="utf-8")
    for row in rows:
        assert row["CQC's words"] in text, row  # CQC's sentence, verbatim
        assert f"{row['Council value']}" in row["CQC's words"].replace("67.30", "67.3").replace("73.50", "73.5") \
            .replace("60.62 %", "60.62%")
    got = {(r["Council value"], r["England average"]): r for r in rows}
    for example in example_rows("metrics.csv"):  # the officers' 20, typed by hand from the same report
        row = got[(float(example["Council value"]), float(example["England average"]))]
        assert (row["Source"], row["CQC comparison"], row["Unit"]) == (example["Source"], example["CQC comparison"],
                                                                        "%"), example
        assert row["Higher is better"] == (None if example["CQC comparison"] == "similar" else "Y")
    assert rows[0]["Indicator"] == "People were satisfied with care and support"
    assert rows[0]["Quality statement"] == "Assessing needs"
    scored, _ = load_and_score(imported)
    assert len(scored.workbook.metrics) == 21


def test_the_seed_as_cqcs_pdf_download(report, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed, so no PDF can be made here")
    import subprocess

    page = tmp_path / "report.html"
    page.write_text(as_web_page(seed_lines()), encoding="utf-8")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(page)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    from_pdf = parse_report(read_report(pdf), pdf.name)
    assert [(s.quality_statement, s.score) for s in from_pdf.scores] == [(s.quality_statement, s.score)
                                                                          for s in report.scores]
    # Every word of every key finding, in order, under its statement; a paragraph that ends a sentence at the
    # foot of a page may come in as two (nothing lost), never joined to the next.
    for qs in QUALITY_STATEMENTS:
        assert " ".join(words(f.text) for f in from_pdf.findings if f.quality_statement == qs).split() == " ".join(
            words(f.text) for f in report.findings if f.quality_statement == qs).split()
    seed_texts = {f.text.replace("**", "") for f in report.findings}
    assert sum(f.text in seed_texts for f in from_pdf.findings) >= 180 and len(from_pdf.findings) <= 186
    assert [p.text for p in from_pdf.people] == [p.text for p in report.people]
    assert [(f.measure, f.value) for f in from_pdf.figures] == [(f.measure, f.value) for f in report.figures]
    assert len(from_pdf.comparisons) == 21
