"""National results tables: the bundled one says per council whether its overall % is published or computed,
`cqcdocs national build` makes one from saved reports, and `--national` on brief and init uses it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.contract import QUALITY_STATEMENTS, THEMES
from cqcdocs.load.national import NationalTableError, national_results, read_national_table

ROOT = Path(__file__).resolve().parents[1]
SHARED_CSV = ROOT.parent / "shared" / "published-results-england.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def report(council: str, published: str, rating: str, scores, pct: int | None = None) -> str:
    """A CQC report in the 2025–26 layout, short: title, date, rating (and % if given), the nine scores, the
    summaries and each theme's statements with a key finding."""
    lines = [f"{council}: local authority assessment", f"Assessment published: {published}", "Overall summary",
             "Local authority rating and score", council, rating, *([f"{pct}%"] if pct is not None else []),
             "Quality statement scores"]
    for qs, s in zip(QUALITY_STATEMENTS, scores):
        lines += [qs.name, f"Score: {s}"]
    lines += ["Summary of people's experiences", "People told us about their care.",
              "Summary of strengths, areas for development and next steps", "Staff knew the community well."]
    for theme in THEMES:
        lines.append(f"Theme {theme.number}: {theme.name}")
        for qs, s in zip(QUALITY_STATEMENTS, scores):
            if qs.theme == theme.number:
                lines += [qs.name, f"Score: {s}", "Key findings for this quality statement",
                          f"People described {qs.name.lower()} in their own words."]
    return "\n\n".join(lines) + "\n"


@pytest.fixture
def saved(tmp_path) -> Path:
    """A folder of saved reports: one stating its overall %, two without (computed from their scores), one of a
    council the bundled table does not know."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "leeds.txt").write_text(report("Leeds City Council", "15 October 2025", "Good", [3] * 9, 70))
    (folder / "rotherham.txt").write_text(report("Rotherham Metropolitan Borough Council", "20 March 2026", "Good",
                                                 [3, 3, 2, 3, 3, 3, 3, 3, 3]))
    (folder / "wakefield.md").write_text(report("Wakefield Council", "3 September 2025", "Requires improvement",
                                                [2, 3, 2, 2, 2, 3, 2, 2, 2]))
    (folder / "notes.docx").write_bytes(b"not a report, and not read: not a saved report's kind of file")
    return folder


def test_the_bundled_table_says_per_council_where_its_overall_percentage_comes_from():
    table = national_results()
    known = [c for c in table.councils if c.overall_pct is not None]
    computed = [c for c in known if "Computed" in c.basis]
    assert (len(table.councils), len(known), len(computed)) == (124, 87, 64)
    data = json.loads((ROOT / "src" / "cqcdocs" / "resources" / "england-results.json").read_text())
    assert {c["pct_basis"] for c in data["councils"]} == {"published", "computed", "none"}
    assert table.as_at.isoformat() == "2026-06-01" and str(table.as_at) == "June 2026" and table.bundled
    if SHARED_CSV.is_file():  # the list it is built from, beside a checkout
        with SHARED_CSV.open(encoding="utf-8", newline="") as f:
            rows = {r["council"]: r for r in csv.DictReader(f)}
        for c in data["councils"]:
            assert c["pct_basis"] == rows[c["council"]]["pct_basis"], c["council"]


def test_national_build_reads_each_report_and_says_which_scores_are_published(saved, tmp_path):
    out = tmp_path / "results.json"
    result = run("national", "build", saved, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Read 3 reports: 3 with an overall score, 1 published and 2 computed from their quality statement scores; "
        "as at 20/03/2026", f"Wrote {out}"]
    table = read_national_table(out)
    rows = {c.council: c for c in table.councils}
    leeds, rotherham, wakefield = (rows[n] for n in ("Leeds City Council", "Rotherham Metropolitan Borough Council",
                                                     "Wakefield Council"))
    assert (leeds.overall_pct, leeds.basis, leeds.region) == (70, (), "Yorkshire and the Humber")
    assert (rotherham.overall_pct, rotherham.basis, rotherham.sub_region) == (73, ("Computed",), "South Yorkshire")
    assert (wakefield.overall_pct, wakefield.basis, wakefield.rating) == (56, ("Computed",), "Requires improvement")
    assert rotherham.qs_scores["equity"] == 2 and str(table.as_at) == "2026-03-20"
    data = json.loads(out.read_text())
    assert [c["pct_basis"] for c in data["councils"]] == ["published", "computed", "computed"]


def test_national_build_refuses_a_folder_with_a_file_that_is_not_a_report(saved, tmp_path):
    (saved / "minutes.txt").write_text("Minutes of the Health Select Commission\n")
    out = tmp_path / "results.json"
    result = run("national", "build", saved, "--out", out)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "minutes.txt: is not a CQC local authority assessment report (it has no title '<council>: local authority "
        "assessment', no 'Quality statement scores' and no quality statement with its score)",
        f"Error: {saved}: 1 report could not be read; no national table written"]
    assert not out.exists()


def test_national_build_errors_for_the_folder_itself(tmp_path):
    assert run("national", "build", tmp_path / "nowhere").output == f"Error: {tmp_path / 'nowhere'}: folder not found\n"
    (tmp_path / "empty").mkdir()
    assert run("national", "build", tmp_path / "empty").output == (
        f"Error: {tmp_path / 'empty'}: no saved CQC reports (.txt, .md, .html, .htm or .pdf) in this folder\n")


def test_the_same_report_twice_is_an_error_and_an_older_one_gives_way(saved, tmp_path):
    (saved / "leeds-copy.txt").write_text((saved / "leeds.txt").read_text())
    result = run("national", "build", saved, "--out", tmp_path / "r.json")
    assert result.exit_code == 1 and result.output.splitlines()[0] == (
        "leeds.txt: the same report as leeds-copy.txt (Leeds City Council, published 15/10/2025); keep one of them "
        "in the folder")
    (saved / "leeds-copy.txt").write_text(report("Leeds City Council", "1 May 2024", "Good", [2] * 9))
    result = run("national", "build", saved, "--out", tmp_path / "r.json")
    assert result.exit_code == 0
    assert "leeds-copy.txt: warning: an earlier report of Leeds City Council than leeds.txt; the later one is used" \
        in result.output


def test_a_council_the_bundled_table_does_not_know_is_listed_without_a_region(saved, tmp_path):
    (saved / "x.txt").write_text(report("Testshire County Council", "1 June 2026", "Good", [3] * 9))
    result = run("national", "build", saved, "--out", tmp_path / "r.json")
    assert result.exit_code == 0
    assert ("x.txt: warning: Testshire County Council is not in the bundled table, so its region is not known; the "
            "table lists it without one (it still counts nationally)") in result.output
    assert {c.council: c.region for c in read_national_table(tmp_path / "r.json").councils}[
        "Testshire County Council"] == ""


def test_brief_with_national_ranks_in_that_table_and_says_so(saved, tmp_path):
    table = tmp_path / "results.json"
    assert run("national", "build", saved, "--out", table).exit_code == 0
    result = run("brief", "--national", table, "--out", tmp_path / "out", "--no-annex")
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(str(tmp_path / "out" / "rotherham-cqc-briefing.docx")).paragraphs]
    national = [t for t in text if "Nationally, it is" in t][0]
    # The workbook's own Benchmarks rows (the region) replace the table's rows for the same councils.
    assert national.endswith("Nationally, it is second of the 9 councils in England whose score is known, 8 "
                             "published and 1 computed from their quality statement scores.")
    note = [t for t in text if t.startswith("The national position")][0]
    assert note == ("The national position is from the national results table \u2018CQC local authority assessment "
                    "results from the reports saved in saved\u2019 (as at 20 March 2026), which holds 3 councils of "
                    "England's 153, one saved CQC report each. Of its 3 overall scores, 1 is published and 2 "
                    "computed from quality statement scores.")


def test_init_region_with_national_fills_the_benchmarks_from_that_table(saved, tmp_path):
    table = tmp_path / "results.json"
    assert run("national", "build", saved, "--out", table).exit_code == 0
    path = tmp_path / "york.xlsx"
    result = run("init", path, "--region", "Yorkshire and the Humber", "--national", table)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(path)["Benchmarks"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert sorted(rows) == ["Leeds City Council", "Rotherham Metropolitan Borough Council", "Wakefield Council"]
    assert (rows["Wakefield Council"]["Overall score %"], rows["Wakefield Council"]["Basis"]) == (0.56, "Computed")
    assert rows["Leeds City Council"]["Basis"] is None


@pytest.mark.parametrize("content, lines", [
    ("{ not json", ["Error: t.json: not a national results table: not JSON (line 1); make one with 'cqcdocs "
                    "national build'"]),
    ('{"title": "x"}', ["Error: t.json: not a national results table (no list of councils)"]),
    (json.dumps({"as_at": "2026-13", "councils": [
        {"council": "Leeds City Council", "overall_pct": 70, "pct_basis": "computed-ish"},
        {"council": "", "overall_pct": 170, "rating": "Fine", "published": "May 2025"}]}),
     ["t.json: as_at must be the table's date, YYYY-MM-DD or YYYY-MM",
      "t.json: council 1 (Leeds City Council): pct_basis must be published, computed (with overall_pct) or none "
      "(without), got 'computed-ish'",
      "t.json: council 2: no council",
      "t.json: council 2: overall_pct must be a whole per cent 0–100, got 170",
      "t.json: council 2: rating must be one of Inadequate, Requires improvement, Good, Outstanding, got 'Fine'",
      "t.json: council 2: published must be YYYY-MM-DD or YYYY-MM, got 'May 2025'",
      "Error: t.json: not a usable national results table (6 problems)"]),
])
def test_a_national_table_that_cannot_be_used_stops_brief_and_init_before_anything_is_written(
        tmp_path, content, lines):
    bad = tmp_path / "t.json"
    bad.write_text(content)
    result = run("brief", "--national", bad, "--out", tmp_path / "out")
    assert (result.exit_code, result.output.splitlines()) == (1, lines)
    assert not (tmp_path / "out").exists()
    result = run("init", tmp_path / "w.xlsx", "--region", "Yorkshire and the Humber", "--national", bad)
    assert (result.exit_code, result.output.splitlines()) == (1, lines)
    assert not (tmp_path / "w.xlsx").exists()
    with pytest.raises(NationalTableError):
        read_national_table(bad)


def test_national_needs_a_region_on_init(tmp_path):
    result = run("init", tmp_path / "w.xlsx", "--national", tmp_path / "t.json")
    assert (result.exit_code, result.output) == (1, "Error: --national needs --region: the table fills in that "
                                                    "region's councils\n")


@pytest.mark.skipif(not SHARED_CSV.is_file(), reason="the shared results list (../shared/) is not beside the checkout")
def test_the_bundled_table_is_what_the_build_script_makes_from_the_shared_list(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "england.json"
    run = subprocess.run([sys.executable, str(ROOT / "data" / "build_national.py"), str(SHARED_CSV), str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "src" / "cqcdocs" / "resources" / "england-results.json"
                                               ).read_text(encoding="utf-8")


def test_national_build_reads_a_council_saved_as_pages_in_a_folder_of_its_own(saved, tmp_path):
    """CQC publishes a report as about eleven pages; an officer who saved them one a file keeps them in a folder."""
    import report_factory

    pages = saved / "northmoor-2024"
    pages.mkdir()
    for n, page in enumerate(reversed(report_factory.pages("2024", published="17 May 2024"))):
        (pages / f"page-{n}.txt").write_text("\n\n".join(page) + "\n")
    out = tmp_path / "results.json"
    result = run("national", "build", saved, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("Read 4 reports: 4 with an overall score, 2 published")
    row = {c.council: c for c in read_national_table(out).councils}[report_factory.COUNCIL]
    assert (row.overall_pct, row.basis, str(row.published)) == (71, (), "2024-05-17")
