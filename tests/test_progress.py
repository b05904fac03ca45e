"""`cqcdocs progress`: the improvement plan as at a date, read back from the .docx and .xlsx and checked
against counts worked out here, independently, from the Northmoor fixture's CSVs."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from cqcdocs.cli import main
from workbook_factory import build, save

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "northmoor"
AS_AT, THIRD_BOARD = date(2026, 8, 11), date(2026, 7, 14)
RANK = {"Off track": 0, "At risk": 1, "Not started": 2, "Not yet due to start": 3, "On track": 4, "Complete": 5}
NAME = "northmoor-improvement-plan-2026-08-11"


def rows(sheet: str) -> list[dict[str, str]]:
    with (FIXTURE / f"{sheet}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Plan:
    """The fixture's plan, worked out from its CSVs without cqcdocs."""

    def __init__(self):
        self.actions = {r["Ref"]: r for r in rows("actions")}
        self.updates = sorted(rows("updates"), key=lambda r: r["Date"])

    def latest(self, ref: str, day: date) -> dict | None:
        own = [u for u in self.updates if u["Ref"] == ref and date.fromisoformat(u["Date"]) <= day]
        return own[-1] if own else None

    def status(self, ref: str, day: date) -> str:
        u = self.latest(ref, day)
        status = u["Status"] if u else self.actions[ref]["Status"]
        start = self.actions[ref]["Start"]
        return "Not yet due to start" if status == "Not started" and start and day < date.fromisoformat(start) \
            else status

    def overdue(self, ref: str, day: date) -> bool:
        return date.fromisoformat(self.actions[ref]["Due"]) < day and self.status(ref, day) != "Complete"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return Plan()


def run(*args: str):
    return CliRunner().invoke(main, ["progress", *map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="module")
def made(northmoor_workbook, tmp_path_factory):
    out = tmp_path_factory.mktemp("progress")
    result = run(northmoor_workbook, "--as-at", "2026-08-11", "--out", out)
    assert result.exit_code == 0, result.output
    return out, result.output


def word_table(document, caption: str) -> list[list[str]]:
    for table in document.tables:
        found = table._tbl.tblPr.find(qn("w:tblCaption"))
        if found is not None and found.get(qn("w:val")) == caption:
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table captioned {caption!r}")


def excel_table(wb, name: str) -> list[dict]:
    for ws in wb.worksheets:
        if name in ws.tables:
            cells = list(ws[ws.tables[name].ref])
            headers = [c.value for c in cells[0]]
            return [dict(zip(headers, (c.value for c in row))) for row in cells[1:]]
    raise AssertionError(f"no Excel table {name!r}")


@pytest.fixture(scope="module")
def report(made):
    return docx.Document(str(made[0] / f"{NAME}.docx"))


@pytest.fixture(scope="module")
def annex(made):
    return openpyxl.load_workbook(made[0] / f"{NAME}.xlsx")


def test_the_headline_counts_match_the_fixture(plan, report, annex, made):
    statuses = [plan.status(ref, AS_AT) for ref in plan.actions]
    expected = {s: statuses.count(s) for s in RANK}
    assert len(plan.actions) == 17 and expected == {"Off track": 3, "At risk": 3, "Not started": 0, "On track": 5,
                                                    "Not yet due to start": 1, "Complete": 5}
    table = word_table(report, "Actions by status")
    assert {r[0]: int(r[1]) for r in table[1:-1]} == expected
    assert table[-1][:2] == ["Total", "17"]
    assert {r["Status"]: r["Actions"] for r in excel_table(annex, "tblStatus")} == expected
    completed = [ref for ref in plan.actions if plan.status(ref, AS_AT) == "Complete"
                 and plan.status(ref, THIRD_BOARD) != "Complete"]
    newly = [ref for ref in plan.actions if plan.overdue(ref, AS_AT) and not plan.overdue(ref, THIRD_BOARD)]
    words = [p.text for p in report.paragraphs]
    assert ("5 of 17 actions (29%) are complete; 5 on track, 3 at risk, 3 off track and 1 not yet due to start."
            in words)
    assert (f"Since the Adult Social Care Improvement Assurance Board on 14 July 2026: {len(completed)} completed; {len(newly)} newly overdue; 4 improved, "
            "2 got worse and 11 stayed the same.") in words
    assert made[1].splitlines()[-4:] == [words[words.index("Summary") + 1], *words[words.index("Summary") + 2:][:3]]


def test_directions_of_travel_between_the_third_and_fourth_boards(plan, report, annex):
    def word(ref: str) -> str:
        change = RANK[plan.status(ref, AS_AT)] - RANK[plan.status(ref, THIRD_BOARD)]
        return "\u2191 Improved" if change > 0 else "\u2193 Worse" if change < 0 else "\u2192 Same"

    expected = {ref: word(ref) for ref in plan.actions}
    assert sorted(expected.values()).count("\u2191 Improved") == 4
    in_word = {}
    for theme in ("Working with people", "Providing support", "Ensuring safety", "Leadership"):
        table = word_table(report, f"{theme}: every action")
        assert table[0] == ["Ref", "Action and owner", "Due", "Revised due", "Status", "Direction",
                            "Latest commentary"]
        in_word.update({r[0]: r[5] for r in table[1:]})
    assert in_word == expected
    actions = excel_table(annex, "tblProgress")
    assert {r["Ref"]: r["Direction"] for r in actions} == expected
    assert {r["Ref"]: r["Status at 14 July 2026"] for r in actions} == {ref: plan.status(ref, THIRD_BOARD)
                                                                          for ref in plan.actions}
    changed = word_table(report, "Actions whose status changed")
    assert {r[0]: (r[2], r[3], r[4]) for r in changed[1:]} == {
        ref: (plan.status(ref, THIRD_BOARD), plan.status(ref, AS_AT), expected[ref])
        for ref in plan.actions if expected[ref] != "\u2192 Same"}


def test_the_overdue_list_and_actions_due_soon(plan, report, annex):
    overdue = sorted((a["Due"], ref) for ref, a in plan.actions.items() if plan.overdue(ref, AS_AT))
    table = word_table(report, "Overdue actions")
    assert [(r[0], r[2], r[3], int(r[4])) for r in table[1:]] == [
        (ref, plan.actions[ref]["Owner"], date.fromisoformat(due).strftime("%d/%m/%Y"),
         (AS_AT - date.fromisoformat(due)).days) for due, ref in overdue]
    assert [r["Ref"] for r in excel_table(annex, "tblOverdue")] == [ref for _, ref in overdue]
    assert {r["Ref"]: r["Newly overdue"] for r in excel_table(annex, "tblOverdue")} == {
        ref: "No" if plan.overdue(ref, THIRD_BOARD) else "Yes" for _, ref in overdue}
    soon = sorted((a["Due"], ref) for ref, a in plan.actions.items()
                  if AS_AT <= date.fromisoformat(a["Due"]) <= AS_AT + timedelta(days=30)
                  and plan.status(ref, AS_AT) != "Complete")
    assert [r[0] for r in word_table(report, "Actions due in the next 30 days")[1:]] == [ref for _, ref in soon]
    assert [r["Ref"] for r in excel_table(annex, "tblDueSoon")] == [ref for _, ref in soon]


def test_the_exceptions_with_their_latest_commentary_and_how_long(plan, report, annex):
    expected = {ref: (plan.status(ref, AS_AT), plan.latest(ref, AS_AT)["Commentary"])
                for ref in plan.actions if plan.status(ref, AS_AT) in ("Off track", "At risk")}
    table = word_table(report, "Exceptions")
    assert {r[0]: (r[2].split(" since ")[0], r[3]) for r in table[1:]} == expected
    assert [r[0] for r in table[1:]] == ["NM11", "NM02", "NM14", "NM08", "NM15", "NM03"]  # off track first, longest
    assert table[1][2] == "Off track since 2 June 2026 (2 months)"
    assert {r["Ref"]: (r["Status"], r["Latest commentary"]) for r in excel_table(annex, "tblExceptions")} == expected


def test_counts_by_theme_recommendation_and_quality_statement(plan, report, annex):
    by_theme = {}
    for ref, a in plan.actions.items():
        by_theme.setdefault(a["Theme"], []).append(plan.status(ref, AS_AT))
    assert [len(v) for v in by_theme.values()] == [6, 4, 3, 4]
    table = word_table(report, "Actions by theme and status")
    order = ("Complete", "On track", "At risk", "Off track", "Not started", "Not yet due to start")
    assert table[0] == ["Theme", *order, "Total", "% complete"]
    assert {r[0]: [int(n) for n in r[1:8]] for r in table[1:]} == {
        t: [s.count(x) for x in order] + [len(s)] for t, s in by_theme.items()}
    recommendations = {r["Recommendation"]: r["Total"] for r in excel_table(annex, "tblRecommendations")}
    assert sum(recommendations.values()) == 17 and recommendations["CQC 1: Reduce waits for assessment and review"] == 4
    statements = word_table(report, "Actions by quality statement and status")
    assert sum(int(r[7]) for r in statements[1:]) == 17


def test_status_over_time_counts_each_board(plan, report):
    table = word_table(report, "Actions by status over time")
    boards = [date(2026, 5, 12), date(2026, 6, 9), THIRD_BOARD, AS_AT]
    assert [r[0] for r in table[1:]] == ["Board, 12 May 2026", "Board, 9 June 2026", "Board, 14 July 2026",
                                         "Board, 11 August 2026"]
    for row, day in zip(table[1:], boards):
        statuses = [plan.status(ref, day) for ref in plan.actions]
        assert [int(n) for n in row[1:]] == [statuses.count(s) for s in table[0][1:]]


def test_charts_have_alt_text_stating_the_numbers(report):
    descriptions = [d.get("descr") for d in report.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert descriptions == [
        "Stacked bar chart of the improvement plan's actions by status in each theme. Working with people: 2 "
        "complete, 1 on track, 1 at risk, 1 off track and 1 not yet due to start; Providing support: 1 complete, 2 on "
        "track and 1 at risk; Ensuring safety: 2 complete and 1 off track; Leadership: 2 on track, 1 at risk and 1 off "
        "track.",
        "Stacked bar chart of the improvement plan's actions by status at each of the four dates in the log. Board, "
        "12 May 2026: 10 on track, 1 at risk and 6 not yet due to start; Board, 9 June 2026: 1 complete, 10 on track, "
        "2 at risk, 1 off track, 1 not started and 2 not yet due to start; Board, 14 July 2026: 3 complete, 7 on "
        "track, 4 at risk, 2 off track and 1 not yet due to start; Board, 11 August 2026: 5 complete, 5 on track, 3 "
        "at risk, 3 off track and 1 not yet due to start."]


def test_as_at_a_date_between_boards_gives_the_status_then(plan, northmoor_workbook, tmp_path):
    """The log is history: as at 20 June, the June update counts and the July and August ones do not."""
    day = date(2026, 6, 20)
    result = run(northmoor_workbook, "--as-at", "2026-06-20", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Updates: warning: rows 36\u201369 are dated after the report's date 20/06/2026: left out of this report" \
        in result.output
    actions = excel_table(openpyxl.load_workbook(tmp_path / "northmoor-improvement-plan-2026-06-20.xlsx"),
                          "tblProgress")
    assert {r["Ref"]: r["Status"] for r in actions} == {ref: plan.status(ref, day) for ref in plan.actions}
    assert {r["Ref"]: r["Status at 9 June 2026"] for r in actions} == {ref: plan.status(ref, date(2026, 6, 9))
                                                                         for ref in plan.actions}
    # NM09 was due to start on 15 June: not started by 20 June, it got worse; nothing else moved.
    assert {r["Ref"]: r["Direction"] for r in actions if r["Direction"] != "\u2192 Same"} == {"NM09": "\u2193 Worse"}
    assert {r["Ref"]: r["Status"] for r in actions}["NM09"] == "Not started"


def test_since_a_date_compares_with_that_date(plan, northmoor_workbook, tmp_path):
    result = run(northmoor_workbook, "--as-at", "11/08/2026", "--since", "2026-05-12", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    since = date(2026, 5, 12)
    moves = [RANK[plan.status(ref, AS_AT)] - RANK[plan.status(ref, since)] for ref in plan.actions]
    completed = sum(plan.status(ref, AS_AT) == "Complete" != plan.status(ref, since) for ref in plan.actions)
    newly = sum(plan.overdue(ref, AS_AT) and not plan.overdue(ref, since) for ref in plan.actions)
    assert (f"Since 12 May 2026: {completed} completed; {newly} newly overdue; {sum(m > 0 for m in moves)} improved, "
            f"{sum(m < 0 for m in moves)} got worse and {moves.count(0)} stayed the same.") in result.output.splitlines()


def test_the_bundled_example_says_its_plan_is_not_yet_agreed(tmp_path):
    result = run("--as-at", "2026-05-20", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    sentence = ("The improvement plan is not yet agreed: none of its 17 actions has an owner or a due date, and no "
                "progress updates have been recorded. This report will show progress once the plan is agreed.")
    assert result.output.splitlines()[-1] == sentence
    document = docx.Document(str(tmp_path / "rotherham-improvement-plan-2026-05-20.docx"))
    assert sentence in [p.text for p in document.paragraphs]
    assert document.tables == []  # no grid of zeros


BAD = [
    ({"Updates!B3": "NM99"}, ["Updates!B3: action ref 'NM99' is not in the Actions sheet"]),
    ({"Updates!C3": "Done"}, ["Updates!C3: status must be one of Not started, On track, At risk, Off track, Complete; "
                              "got 'Done'"]),
    ({"Updates!A3": "31/06/2026"}, ["Updates!A3: '31/06/2026' is not a real date"]),
    ({"Updates!A3": "05/05/2026", "Updates!B3": "NM01", "Updates!C3": "At risk"},
     ["Updates!C3: NM01 has two updates dated 05/05/2026 with different statuses: 'At risk' here and 'On track' at "
      "Updates!C2"]),
]


@pytest.mark.parametrize("cells,expected", BAD, ids=["unknown ref", "status", "date", "two statuses"])
def test_bad_updates_are_reported_at_their_cells_and_nothing_is_written(northmoor_workbook, tmp_path, cells, expected):
    wb = openpyxl.load_workbook(northmoor_workbook)
    for place, value in cells.items():
        sheet, cell = place.split("!")
        wb[sheet][cell] = value
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["progress", str(path), "--as-at", "2026-08-11", "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line for line in lines if ": warning: " not in line][:-1] == expected
    assert lines[-1].startswith("Error: bad.xlsx: not valid (") and lines[-1].endswith("; nothing written")
    assert not out.exists()


def test_complete_without_evidence_is_a_warning_at_the_cell(made):
    assert made[1].splitlines()[0] == ("Updates!C64: warning: NM12 is marked Complete without evidence: say what shows "
                                       "it is done in an Evidence column (Updates or Actions)")


def test_updates_after_the_report_date_are_left_out_with_a_warning(northmoor_workbook, tmp_path):
    wb = openpyxl.load_workbook(northmoor_workbook)
    wb["Updates"]["A2"] = "01/09/2026"  # a typo for 01/05/2026, say
    wb.save(tmp_path / "typo.xlsx")
    result = run(tmp_path / "typo.xlsx", "--as-at", "2026-08-11", "--out", tmp_path)
    assert result.exit_code == 0
    assert ("Updates!A2: warning: dated 01/09/2026, after the report's date 11/08/2026: left out of this report"
            in result.output.splitlines())
    result = run(northmoor_workbook, "--as-at", "2026-08-03", "--out", tmp_path)
    assert ("Updates: warning: rows 53\u201369 are dated after the report's date 03/08/2026: left out of this report"
            in result.output.splitlines())


@pytest.mark.parametrize("args,message", [
    (["--board", "Cabinet"], "Error: board 'Cabinet' is not in the Governance sheet; its meetings are: Adult Social "
                             "Care Improvement Assurance Board; Adults Scrutiny Committee; Executive"),
    (["--since", "2026-09-01"], "Error: the comparison date 01/09/2026 must be before the report's date 11/08/2026"),
    (["--since", "2026-07-01", "--board", "Executive"], "Error: use --since or --board, not both"),
    (["--since", "31/02/2026"], "Error: Invalid value for '--since': '31/02/2026' is not a real date"),
])
def test_option_mistakes_are_messages_and_nothing_is_written(northmoor_workbook, tmp_path, args, message):
    result = CliRunner().invoke(main, ["progress", str(northmoor_workbook), "--as-at", "2026-08-11", "--out",
                                       str(tmp_path / "out"), *args])
    assert result.exit_code != 0
    assert result.output.splitlines()[-1] == message
    assert not (tmp_path / "out").exists()


def test_a_workbook_without_a_plan_is_told_so(tmp_path):
    path = save(build(actions=0), tmp_path / "w.xlsx")
    result = run(path, "--out", tmp_path / "out")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        1, "Error: the workbook has no improvement plan: add an Actions sheet with a row per action (see "
           "docs/workbook.md)")


def test_the_report_renders_in_libreoffice(made, to_pdf, pdf_text):
    text, pages = pdf_text(to_pdf(made[0] / f"{NAME}.docx"))
    assert 4 <= pages <= 10
    assert "Exceptions: actions off track or at risk" in text and "Page 1 of" in text


def test_a_draft_report_says_so_on_every_page_and_a_final_one_nowhere(northmoor_workbook, tmp_path):
    for final in (False, True):
        out = tmp_path / f"final-{final}"
        args = ["progress", str(northmoor_workbook), "--as-at", "2026-08-11", "--out", str(out)]
        result = CliRunner().invoke(main, args + (["--final"] if final else []))
        assert result.exit_code == 0, result.output
        (path,) = out.glob("*.docx")
        document = docx.Document(str(path))
        headers = ["".join(p.text for p in s.header.paragraphs) for s in document.sections]
        assert all(h.startswith("DRAFT \u2013 NOT FOR PUBLICATION") for h in headers) != final
        assert any(p.text == ("Status: Final" if final else "Status: Draft (not for publication)")
                   for p in document.paragraphs)
