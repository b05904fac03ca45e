"""Every annex (the CQC annex, the journey's, the progress report's) prints whole: titles and headers not cut,
values not cut, key figures kept to their source, service-area totals that add up, and, through LibreOffice,
the findings at a readable density with no page holding a header row alone."""

from __future__ import annotations

import re

import openpyxl
import pytest
from annex_print import problems
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.palette import STANCE_FILL, contrast, label_colour


@pytest.fixture(scope="module")
def annexes(northmoor_workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("annexes")
    for args in (["annex"], ["annex", northmoor_workbook], ["journey"],
                 ["progress", northmoor_workbook, "--as-at", "2026-08-11"]):
        result = CliRunner().invoke(main, [*map(str, args), "--out", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return {p.stem: p for p in out.glob("*.xlsx")}


def test_the_four_annexes_are_made(annexes):
    assert sorted(annexes) == ["northmoor-cqc-annex", "northmoor-improvement-plan-2026-08-11", "rotherham-cqc-annex",
                               "rotherham-improvement-journey"]


@pytest.mark.parametrize("name", ["northmoor-cqc-annex", "northmoor-improvement-plan-2026-08-11",
                                  "rotherham-cqc-annex", "rotherham-improvement-journey"])
def test_no_title_header_or_value_prints_cut(annexes, name):
    """Widths measured against every header, title and value (once: "Not", "%", "Every", "Excep", "Now an area
    for developm")."""
    assert problems(annexes[name]) == []


def test_the_checker_finds_a_cut_header(annexes, tmp_path):
    wb = openpyxl.load_workbook(annexes["rotherham-improvement-journey"])
    wb["Threads"].column_dimensions["F"].width = 10
    wb.save(tmp_path / "narrow.xlsx")
    row = next(c.row for c in wb["Threads"]["F"] if c.value == "Now an area for development")
    found = problems(tmp_path / "narrow.xlsx")
    assert f"Threads!F{row}: 'Now an area for development' is cut (it does not wrap)" in found


def test_key_figures_say_which_review_gave_them(annexes):
    ws = openpyxl.load_workbook(annexes["rotherham-cqc-annex"])["Key figures"]
    assert ws["A1"].value == "Key figures from the assessment and other reviews"
    table = ws.tables["tblKeyFigures"]
    rows = [[c.value for c in row] for row in ws[table.ref]]
    header, rows = rows[0], rows[1:]
    reviews = [r[header.index("Review")] for r in rows]
    first_other = next(i for i, r in enumerate(reviews) if not r.startswith("CQC"))
    assert all(r.startswith("CQC") for r in reviews[:first_other])  # the assessment's own first
    assert all(not r.startswith("CQC") for r in reviews[first_other:])
    assert "LGA peer challenge 2023" in reviews[first_other:]


def test_service_area_totals_add_up(annexes):
    ws = openpyxl.load_workbook(annexes["rotherham-cqc-annex"])["Service areas"]
    table = ws.tables["tblServiceAreas"]
    rows = [[c.value for c in row] for row in ws[table.ref]]
    header = rows[0]
    parts = [i for i, h in enumerate(header)
             if (h.endswith((": S", ": D")) and h != "All reviews: D") or h == "Other findings (summaries)"]
    for row in rows[1:]:
        assert sum(row[i] for i in parts) == row[header.index("Total (S, D and other)")], row[0]
        assert sum(row[i] for i, h in enumerate(header) if h.endswith(": D") and h != "All reviews: D") == \
            row[header.index("All reviews: D")]


def test_chart_labels_read_on_their_bars():
    for fill in ("1F4E79", "2166AC", "595959", "BABABA", *STANCE_FILL.values()):
        assert contrast(label_colour(fill), fill) >= 4.5, fill


def _pages(pdf, pdftotext):
    import subprocess

    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("name", ["rotherham-cqc-annex", "rotherham-improvement-journey",
                                  "northmoor-improvement-plan-2026-08-11"])
def test_printed_findings_are_dense_and_no_page_holds_a_header_alone(annexes, name, to_pdf, pdf_text):
    import shutil

    pdf = to_pdf(annexes[name])
    pages = _pages(pdf, shutil.which("pdftotext"))
    sheets = [re.search(r": ([A-Z][a-z]+(?: [a-z]+)?)\s+Page \d+ of", p).group(1) for p in pages]
    if name == "rotherham-cqc-annex":
        # 136 findings at 8 pt (two of them long paragraphs from CQC's and the LGA's reports): the Finding column
        # across the page, the short columns no wider than their text
        assert sheets.count("Findings") <= 9 and sheets.count("Journey") <= 10  # 11 and 14 before
        assert len(pages) <= 35  # 43 before
    for page, sheet in zip(pages, sheets):
        body = [line for line in page.splitlines()[1:-1] if line.strip()]  # between the marking and the footer
        assert len(body) > 2, f"{sheet}: a page with only {body}"
