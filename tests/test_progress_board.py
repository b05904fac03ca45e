"""The progress report to a board's standard (issue 24) and the one plan rule shared with the briefing (issue 23):
evidence for every completed action, the flag for one without it in the final paper too, revised dates,
corrective actions and decisions as their own columns, red/amber/green statuses, "Not yet due to start", and
headings that say what the comparison is. Expected values are worked out here from the fixture's CSVs."""

from __future__ import annotations

import zipfile
from datetime import date

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from test_progress import AS_AT, NAME, Plan, excel_table, rows, word_table

from cqcdocs.cli import main
from cqcdocs.palette import contrast

REFS_WITH = {r["Ref"]: r for r in rows("actions")}


def progress(workbook, out, *args):
    result = CliRunner().invoke(main, ["progress", str(workbook), "--out", str(out), *map(str, args)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def final(northmoor_workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("final")
    result = progress(northmoor_workbook, out, "--as-at", AS_AT.isoformat(), "--final")
    return docx.Document(str(out / f"{NAME}.docx")), openpyxl.load_workbook(out / f"{NAME}.xlsx"), result.output


def evidence(plan: Plan, ref: str, day: date) -> str:
    """The latest evidence given by DAY in the log, else the Actions sheet's."""
    own = [u["Evidence"] for u in plan.updates if u["Ref"] == ref and date.fromisoformat(u["Date"]) <= day
           and u["Evidence"]]
    return own[-1] if own else plan.actions[ref]["Evidence"]


def test_every_completed_action_shows_its_evidence_and_the_final_paper_flags_one_without(final):
    document, annex, output = final
    plan = Plan()
    complete = [ref for ref in plan.actions if plan.status(ref, AS_AT) == "Complete"]
    table = word_table(document, "Completed actions and their evidence")
    assert table[0] == ["Ref", "Action and owner", "Completed", "Evidence"]
    expected = {ref: evidence(plan, ref, AS_AT) or "No evidence of completion recorded." for ref in complete}
    assert {r[0]: r[3] for r in table[1:]} == expected
    assert expected["NM12"] == "No evidence of completion recorded."  # NM04's later update keeps its evidence
    assert expected["NM04"] == "Published standard: council website, financial assessment page"
    words = [p.text for p in document.paragraphs]
    flag = ("NM12 is marked complete with no evidence of completion recorded: the board should see evidence before "
            "accepting it as complete.")
    assert flag in words and flag in output.splitlines()
    assert "Appendix: notes for the author" not in words  # the flag does not live in the author's notes
    assert any(p.startswith("That the Adult Social Care Improvement Assurance Board accepts no action as complete")
               for p in words)
    by_ref = {r["Ref"]: r for r in excel_table(annex, "tblProgress")}
    assert {ref: by_ref[ref]["Evidence"] for ref in complete} == expected


def test_revised_dates_corrective_actions_and_decisions_are_their_own_columns(final):
    document, annex, _ = final
    plan = Plan()
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    # Decisions come first, straight after the front matter, before the summary.
    assert headings[:4] == ["Report details", "Recommendation", "Decisions for the board", "Summary"]
    decisions = word_table(document, "Decisions required of the board")
    assert decisions[0] == ["Ref", "Action and owner", "Status", "Revised due", "Decision required"]
    asked = {ref: a for ref, a in REFS_WITH.items() if a["Decision required"]}
    assert {r[0]: r[4] for r in decisions[1:]} == {ref: a["Decision required"] for ref, a in asked.items()}
    assert {r[0]: r[2] for r in decisions[1:]} == {ref: plan.status(ref, AS_AT) for ref in asked}
    exceptions = word_table(document, "Exceptions")
    assert exceptions[0][-1] == "Corrective action"
    assert {r[0]: r[-1] for r in exceptions[1:]} == {
        ref: REFS_WITH[ref]["Corrective action"] or "None recorded." for ref in plan.actions
        if plan.status(ref, AS_AT) in ("Off track", "At risk")}
    overdue = word_table(document, "Overdue actions")
    assert overdue[0] == ["Ref", "Action", "Owner", "Due", "Days overdue", "Revised due", "Status"]
    assert {r[0]: r[5] for r in overdue[1:]} == {
        r[0]: date.fromisoformat(REFS_WITH[r[0]]["Revised due"]).strftime("%d/%m/%Y") for r in overdue[1:]}
    actions = {r["Ref"]: r for r in excel_table(annex, "tblProgress")}
    for ref, a in REFS_WITH.items():
        assert (actions[ref]["Corrective action"] or "") == a["Corrective action"]
        assert (actions[ref]["Decision required"] or "") == a["Decision required"]
        revised = actions[ref]["Revised due"]
        assert (revised.date().isoformat() if revised else "") == a["Revised due"]


def test_the_all_actions_tables_carry_the_latest_commentary(final):
    document, _, _ = final
    plan = Plan()
    found = {}
    for theme in ("Working with people", "Providing support", "Ensuring safety", "Leadership"):
        table = word_table(document, f"{theme}: every action")
        found.update({r[0]: r[6] for r in table[1:]})
    for ref in plan.actions:
        commentary = plan.latest(ref, AS_AT)["Commentary"]
        if plan.status(ref, AS_AT) == "Complete":
            expected = f"{commentary} Evidence: {evidence(plan, ref, AS_AT) or 'No evidence of completion recorded.'}"
        else:
            expected = commentary
        assert found[ref] == expected, ref


RAG = {"Complete": "2166AC", "On track": "2E7D32", "At risk": "FFC000", "Off track": "B2182B"}


def test_statuses_are_red_amber_green_with_their_words_and_readable(final):
    document, annex, _ = final
    seen = {}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                shading = cell._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if shading is not None and cell.text in RAG:
                    run = cell.paragraphs[0].runs[0]
                    seen[cell.text] = (shading.get(qn("w:fill")), str(run.font.color.rgb))
    assert {status: fill for status, (fill, _) in seen.items()} == RAG
    assert all(contrast(text, fill) >= 4.5 for fill, text in seen.values())
    ws = annex["Actions"]
    status_col = [c.value for c in ws[3]].index("Status") + 1
    fills = {ws.cell(r, status_col).value: ws.cell(r, status_col).fill.fgColor.rgb[-6:] for r in range(4, 21)}
    assert {s: fills[s] for s in RAG} == RAG


def test_not_yet_due_to_start_is_apart_from_not_started(northmoor_workbook, tmp_path):
    """On 10 June NM09 (start 15 June) and NM06 (start 1 September) are not yet due; NM16 (start 1 June) has
    not started."""
    progress(northmoor_workbook, tmp_path, "--as-at", "2026-06-10")
    statuses = {r["Ref"]: r["Status"] for r in excel_table(openpyxl.load_workbook(
        tmp_path / "northmoor-improvement-plan-2026-06-10.xlsx"), "tblProgress")}
    assert [ref for ref, s in statuses.items() if s == "Not yet due to start"] == ["NM06", "NM09"]
    assert [ref for ref, s in statuses.items() if s == "Not started"] == ["NM16"]


@pytest.mark.parametrize("args,heading,line", [
    (["--since", "2026-06-01"], "Changes since 1 June 2026", "Since 1 June 2026: "),
    ([], "Changes since the Adult Social Care Improvement Assurance Board on 14 July 2026",
     "Since the Adult Social Care Improvement Assurance Board on 14 July 2026: "),
    (["--board", "Executive"], "Changes since the Executive on 8 July 2026", "Since the Executive on 8 July 2026: "),
])
def test_the_changes_heading_says_what_it_compares_with(northmoor_workbook, tmp_path, args, heading, line):
    result = progress(northmoor_workbook, tmp_path, "--as-at", AS_AT.isoformat(), *args)
    document = docx.Document(str(tmp_path / f"{NAME}.docx"))
    assert heading in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any(x.startswith(line) for x in result.output.splitlines())
    assert not any("the board on" in p.text for p in document.paragraphs)


def test_progress_takes_a_committee_and_a_template(northmoor_workbook, tmp_path):
    template = tmp_path / "house.docx"
    styles = docx.Document()
    styles.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor.from_string("005A30")
    styles.save(str(template))
    progress(northmoor_workbook, tmp_path / "out", "--as-at", AS_AT.isoformat(), "--committee", "Adults Scrutiny",
             "--template", template)
    document = docx.Document(str(tmp_path / "out" / f"{NAME}.docx"))
    words = [p.text for p in document.paragraphs]
    assert "Committee: Adults Scrutiny Committee" in words and "Date of meeting: 24 June 2026" in words
    assert str(document.styles["Heading 1"].font.color.rgb) == "005A30"
    result = CliRunner().invoke(main, ["progress", str(northmoor_workbook), "--committee", "Cabinet", "--out",
                                       str(tmp_path / "none")])
    assert result.exit_code == 1 and "committee 'Cabinet' is not in the Governance sheet" in result.output
    assert not (tmp_path / "none").exists()


@pytest.fixture
def annex_path(northmoor_workbook, tmp_path):
    progress(northmoor_workbook, tmp_path, "--as-at", AS_AT.isoformat())
    return tmp_path / f"{NAME}.xlsx"


def test_progress_annex_charts_use_the_house_font(annex_path):
    with zipfile.ZipFile(annex_path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    for xml in charts:
        assert xml.count('<a:latin typeface="Arial"') >= 4  # title, both axes' numbers, axis title, legend


@pytest.mark.parametrize("day", ["2026-05-12", "2026-06-10", "2026-07-14", "2026-08-11"])
def test_the_briefing_and_the_progress_report_agree_on_the_plan_for_any_date(northmoor_workbook, tmp_path, day):
    """One rule, in the pure core: the briefing dated DAY counts what `progress --as-at DAY` counts."""
    wb = openpyxl.load_workbook(northmoor_workbook)
    ws = wb["Assessment"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Report date")
    ws.cell(row, 2).value = date.fromisoformat(day)
    path = tmp_path / "northmoor.xlsx"
    wb.save(path)
    result = CliRunner().invoke(main, ["brief", str(path), "--out", str(tmp_path), "--no-annex"])
    assert result.exit_code == 0, result.output
    grid = word_table(docx.Document(str(tmp_path / "northmoor-cqc-briefing.docx")),
                      "Improvement plan actions by theme and status")
    in_briefing = {s: sum(int(r[i]) for r in grid[1:]) for i, s in enumerate(grid[0]) if i}
    progress(path, tmp_path, "--as-at", day)
    in_progress = {r["Status"]: r["Actions"] for r in excel_table(openpyxl.load_workbook(
        tmp_path / f"northmoor-improvement-plan-{day}.xlsx"), "tblStatus")}
    assert {s: n for s, n in in_progress.items() if n or s in in_briefing} == in_briefing
    plan = Plan()
    statuses = [plan.status(ref, date.fromisoformat(day)) for ref in plan.actions]
    assert in_briefing == {s: statuses.count(s) for s in in_briefing}
