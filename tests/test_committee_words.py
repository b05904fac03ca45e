"""A committee paper speaks of the council, the reviews and the committee: a scan of every Word paper in every
mode (briefing draft, committee, final and with chart pictures; journey; progress report; Northmoor's) finds no
word about the program, its commands or files, "seed", or the source workbook and its sheets."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main

# The program, its commands and options, "seed", the source workbook, its sheets and cells ("Updates!C64").
TOOL_TALK = re.compile(r"cqcdocs|\bseeds?\b|workbook|\bsheets?\b|\bThread column|(?<!\w)--[a-z]|"
                       r"\b[A-Z][A-Za-z ]*![A-Z]{1,3}\d+|\.csv\b|\b(?:brief|journey|progress|annex|validate|init)"
                       r" (?:command|--)", re.I)
AUTHOR_NOTES = "Appendix: notes for the author"  # for the paper's author (its cells), left out of a final


@pytest.fixture(scope="module")
def papers(tmp_path_factory, northmoor_workbook) -> list[Path]:
    out = tmp_path_factory.mktemp("words")
    runs = {"draft": ["brief"], "committee": ["brief", "--committee", "Health Select"], "final": ["brief", "--final"],
            "pictures": ["brief", "--charts", "picture"], "journey": ["journey"],
            "journey-committee": ["journey", "--committee", "Health Select", "--final"],
            "progress": ["progress", "--as-at", "2026-06-01"],
            "northmoor": ["brief", str(northmoor_workbook)], "northmoor-journey": ["journey", str(northmoor_workbook)],
            "northmoor-progress": ["progress", str(northmoor_workbook), "--as-at", "2026-08-11"],
            "northmoor-final": ["progress", str(northmoor_workbook), "--as-at", "2026-08-11", "--final"]}
    for name, args in runs.items():
        result = CliRunner().invoke(main, [*args, "--out", str(out / name)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    found = sorted(out.glob("*/*.docx"))
    assert len(found) == len(runs)
    return found


def paper_texts(path: Path) -> list[str]:
    """Every paragraph and cell of the body (but the author's notes' items), the headers and footers, and every
    chart's words and description."""
    document = docx.Document(str(path))
    texts, notes = [], False
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            notes = p.text == AUTHOR_NOTES
        if not (notes and p.style.name.startswith("List")):
            texts.append(p.text)
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if re.match(r"word/(header|footer|charts/chart)\d*\.xml$", name) or name == "word/document.xml":
                xml = z.read(name).decode()
                texts += re.findall(r'descr="([^"]*)"', xml) + re.findall(r'title="([^"]*)"', xml)
                if "charts/" in name:
                    texts += re.findall(r"<(?:a:t|c:v)>([^<]*)<", xml)
    return texts


def test_no_paper_names_the_program_its_files_or_the_workbook(papers):
    found = [f"{p.parent.name}/{p.name}: {t[:120]}" for p in papers for t in paper_texts(p) if TOOL_TALK.search(t)]
    assert found == []


def test_the_scan_finds_tool_talk():
    for text in ("(the seeds or the workbook name none)", "(cqcdocs journey)", "cqcdocs' national results table",
                 "The workbook lists no meetings for this report.", "Updates!C64: NM12", "the Findings sheet"):
        assert TOOL_TALK.search(text), text
    for text in ("The Health Select Commission asked", "Appendix 1 – rotherham-cqc-annex.xlsx: the Excel annex",
                 "Safeguarding Adults Reviews"):
        assert not TOOL_TALK.search(text), text


def test_a_section_with_nothing_to_say_is_left_out(tmp_path):
    from workbook_factory import make

    blank = {f"{sheet}!{col}{row}": None for sheet, cols in (("Governance", "ABCD"), ("Key dates", "ABC"),
                                                              ("Next steps", "AB")) for col in cols for row in (2, 3)}
    workbook = make(tmp_path / "w.xlsx", cells={**blank, "Section text!A2": None, "Section text!B2": None,
                                                "Section text!C2": None})
    result = CliRunner().invoke(main, ["brief", str(workbook), "--out", str(tmp_path / "out"), "--no-annex"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(next((tmp_path / "out").glob("*.docx"))))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    for left_out in ("Governance relating to the CQC outcome", "Key assessment dates", "Next steps"):
        assert left_out not in headings
    assert "Executive summary" in headings and not [t for t in paper_texts(tmp_path / "out" / next(
        (tmp_path / "out").glob("*.docx")).name) if TOOL_TALK.search(t)]
