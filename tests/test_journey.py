"""`cqcdocs journey`: the LGA, ADASS and CQC findings followed by thread in time order and counted by service
area, read back from the .docx and its annex; the Reviews sheet and Thread columns' errors at their cells."""

from __future__ import annotations


import docx
import openpyxl
import pytest
from click.testing import CliRunner

from cqcdocs.cli import main
from cqcdocs.load import load_workbook, read
from cqcdocs.resources import EXAMPLE_WORKBOOK

from test_briefing import table_named
from workbook_factory import make

LGA, ADASS, CQC = "LGA peer challenge 2023", "ADASS peer review 2025", "CQC assessment 2026"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("journey")
    result = run("journey", "--out", str(out), "--committee", "Health Select")
    assert result.exit_code == 0, result.output
    assert "Accessibility check: 0 errors, 0 warnings" in result.output
    return out / "rotherham-improvement-journey.docx", out / "rotherham-improvement-journey.xlsx"


def rows_of(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def test_the_example_follows_the_issues_members_asked_about(written):
    document = docx.Document(str(written[0]))
    grid = {row[0]: row[1:] for row in rows_of(table_named(document, "Threads by review"))}
    assert grid["Thread"] == [LGA, ADASS, CQC, "Course"]  # the reviews in time order
    assert grid["Carers' assessments and support"] == ["\u2212 Area for development", "+ Strength",
                                                        "\u2212 Area for development", "Persisting"]
    assert grid["Deprivation of Liberty Safeguards (DoLS)"] == ["\u2212 Area for development", "\u2013 Not raised",
                                                                "+ Strength", "Improved"]
    assert grid["Direct payments"] == ["\u2212 Area for development", "\u2212 Area for development", "+ Strength",
                                       "Improved"]
    assert grid["Co-production and lived experience"][-1] == "Persisting"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for thread in ("Carers' assessments and support", "Deprivation of Liberty Safeguards (DoLS)", "Direct payments",
                   "Co-production and lived experience"):
        assert thread in headings
    # Each thread's reviews in time order, in their own words.
    text = [p.text for p in document.paragraphs]
    start = next(i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 2" and p.text ==
                 "Direct payments")
    end = next(i for i, p in enumerate(document.paragraphs) if i > start and p.style.name.startswith("Heading"))
    said = [t for t in text[start:end] if t.endswith("):")]
    assert said == [f"{LGA} (December 2023):", f"{ADASS} (January 2025):", f"{CQC} (20 March 2026):"]
    assert any("40.07% of people received a direct payment" in t for t in text)


def test_figures_over_time(written):
    document = docx.Document(str(written[0]))
    carers = rows_of(table_named(document, "Carers' assessments and support: figures over time"))
    waiting = [r for r in carers if r[0] == "Carers waiting for a carer's assessment"]
    assert [r[1:] for r in waiting] == [["January 2023", "116 carers", LGA], ["August 2023", "50 carers", LGA],
                                        ["July 2025", "42 carers", CQC]]
    dols = rows_of(table_named(document, "Deprivation of Liberty Safeguards (DoLS): figures over time"))
    assert [r[2] for r in dols if r[0] == "DoLS referrals waiting for risk screening"] == ["280 referrals",
                                                                                         "41 referrals"]
    payments = rows_of(table_named(document, "Direct payments: figures over time"))
    assert [r[2] for r in payments[1:]] == ["21%", "40.07%"]


def test_service_areas_add_up_to_every_finding(written):
    workbook, _ = load_workbook(EXAMPLE_WORKBOOK)
    document = docx.Document(str(written[0]))
    table = rows_of(table_named(document, "Findings by service area and review"))
    areas = {r[0] for r in table[1:-1]}
    assert areas == {f.service_area for f in workbook.findings if f.service_area} | {"Not attributed"}
    assert sum(int(r[-1]) for r in table[1:-1]) == int(table[-1][-1]) == len(workbook.findings) == 136
    unattributed = next(r for r in table if r[0] == "Not attributed")
    assert int(unattributed[-1]) == sum(1 for f in workbook.findings if not f.service_area) == 34
    assert any("34 of the 136 findings name no service area" in p.text for p in document.paragraphs)


def test_the_annex_has_every_finding_and_the_threads(written):
    wb = openpyxl.load_workbook(written[1])
    assert wb.sheetnames == ["Contents", "Threads", "Journey", "Service areas", "Figures"]
    # The counts by service area on a sheet of their own, adding up to every finding, unattributed included.
    areas = wb["Service areas"]
    header = next(r for r in areas.iter_rows(min_row=2) if r[0].value == "Service area")[0].row
    assert areas.print_title_rows == f"${header}:${header}"  # the chart above it, the header repeating below
    totals = {r[0]: r[-1] for r in areas.iter_rows(min_row=header + 1, values_only=True) if r[0]}
    assert sum(totals.values()) == 136 and totals["Not attributed"] == 34
    journey = wb["Journey"]
    header = [c.value for c in journey[3]]
    assert header[:7] == ["Thread", "Review", "Review date", "Theme", "Quality statement", "Section", "Service area"]
    rows = [[c.value for c in r] for r in journey.iter_rows(min_row=4, max_row=3 + 136)]
    assert len(rows) == 136 and all(r[1] in (LGA, ADASS, CQC) for r in rows)
    dp = [r[1] for r in rows if r[0] == "Direct payments"]
    assert dp == [LGA, ADASS, CQC]
    threads = {r[0].value: [c.value for c in r] for r in wb["Threads"].iter_rows(min_row=4)}
    assert threads["Deprivation of Liberty Safeguards (DoLS)"][1] == 2


def test_the_briefing_points_to_the_journey(tmp_path):
    result = run("brief", "--out", str(tmp_path), "--no-annex")
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "rotherham-cqc-briefing.docx"))
    text = [p.text for p in document.paragraphs]
    at = text.index("Improvement journey")
    assert any(t.startswith("Improved (") and "Direct payments" in t for t in text[at:at + 14])
    assert any("name no service area" in t for t in text[at:at + 14])


def test_no_reviews_sheet_and_no_threads_still_gives_a_paper(tmp_path):
    workbook = make(tmp_path / "plain.xlsx")
    result = run("journey", str(workbook), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / "testshire-improvement-journey.docx"))
    text = " ".join(p.text for p in document.paragraphs)
    assert "have not yet been grouped into threads" in text
    assert "in the order their findings are listed (their dates are not given)" in text
    by_review = rows_of(table_named(document, "Findings by review"))
    assert [r[0] for r in by_review[1:]] == ["ADASS peer review 2025", "CQC assessment 2026", "Total"]
    areas = rows_of(table_named(document, "Findings by service area and review"))
    assert areas[-1][-1] == "12" and [r[0] for r in areas[1:-1]] == ["Front door", "Not attributed"]


def test_bad_reviews_and_threads_are_errors_at_their_cells(tmp_path):
    workbook = make(tmp_path / "bad.xlsx", cells={
        "Reviews!A2": "CQC assessment 2026", "Reviews!B2": "CQC assessment", "Reviews!C2": "2026-03-20",
        "Reviews!A3": "ADASS review 2025", "Reviews!B3": "Peer review", "Reviews!C3": "January 2025",
        "Findings!G2": "Carers' assessments", "Findings!G3": "carers assessments"})
    model, messages = read(workbook)
    assert model is None
    errors = [str(m) for m in messages if m.level == "error"]
    assert "Reviews!B3: kind must be one of LGA peer challenge, ADASS peer review, CQC assessment, Other; got " \
           "'Peer review'" in errors or any(e.startswith("Reviews!B3: ") for e in errors)
    assert "Findings!A2: review 'ADASS peer review 2025' is not in the Reviews sheet (it lists: ADASS review 2025; " \
           "CQC assessment 2026)" in errors
    assert "Findings!G3: thread 'carers assessments' is spelt differently at Findings!G2 (\"Carers' assessments\"): " \
           "one thread must be spelt one way" in errors


def paragraphs_between(document, start: str, end_style: str = "Heading 1") -> list[str]:
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading") and p.text == start)
    level = paragraphs[at].style.name
    end = next((i for i, p in enumerate(paragraphs) if i > at and p.style.name.startswith("Heading")
                and p.style.name <= level), len(paragraphs))
    return [p.text for p in paragraphs[at + 1:end]]


def test_every_finding_appears_in_words(written):
    workbook, _ = load_workbook(EXAMPLE_WORKBOOK)
    document = docx.Document(str(written[0]))
    text = "\n".join(p.text for p in document.paragraphs)
    missing = [f.place for f in workbook.findings if f"\u201c{f.text.replace('**', '')}\u201d" not in text]
    assert missing == []
    # The findings no thread holds are quoted review by review under "Other findings".
    cqc = paragraphs_between(document, f"{CQC} (20 March 2026)")
    assert any("No agreed local standard for financial assessment decision timescales" in t for t in cqc)
    assert any(t.startswith("Other findings (") for t in cqc)
    # The service area is a labelled aside before the quotation, never added to the review's words.
    assert "Area for development (Reviews): \u201cAssessment delays, particularly relating to annual reviews.\u201d" \
        in text


def test_verdicts_read_as_the_sources_do(written):
    document = docx.Document(str(written[0]))
    grid = {row[0]: row[1:] for row in rows_of(table_named(document, "Threads by review"))}
    # The LGA found waiting lists high as well as falling: not a strength that later turned.
    assert grid["Waiting times for assessments and reviews"] == ["\u00b1 Both", "+ Strength",
                                                                  "\u2212 Area for development", "Persisting"]
    waits = paragraphs_between(document, "Waiting times for assessments and reviews")
    assert "RMBC are aware of the high waiting lists for assessments" in "\n".join(waits)
    dols = "\n".join(paragraphs_between(document, "Deprivation of Liberty Safeguards (DoLS)"))
    against = dols[dols.index("Against this verdict"):dols.index(f"{LGA} (December 2023):")]
    assert "346 awaiting allocation" in against and "a maximum of 2,233 working days" in against
    # Caveats kept, as members questioned them.
    assert "good capacity for supported living for some people" in "\n".join(p.text for p in document.paragraphs)


def test_month_only_dates_stay_months(written):
    workbook = openpyxl.load_workbook(written[1])
    ws = workbook["Journey"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Thread")
    col = [c.value for c in header].index("Review date")
    lga = next(r for r in ws.iter_rows(min_row=header[0].row + 1) if r[1].value == LGA)
    assert lga[col].number_format == "mmmm yyyy"
    document = docx.Document(str(written[0]))
    by_review = rows_of(table_named(document, "Findings by review"))
    assert by_review[1][:2] == [LGA, "December 2023"]


def test_threads_are_linear_in_the_findings(monkeypatch):
    """Each finding is normalised once, not once per thread: doubling the findings (and their threads) doubles
    the work."""
    import dataclasses

    import cqcdocs.journey as journey

    workbook, _ = load_workbook(EXAMPLE_WORKBOOK)
    calls = []
    monkeypatch.setattr(journey, "normalise", lambda text: calls.append(text) or text.lower())

    def work(k: int) -> int:
        findings = tuple(dataclasses.replace(f, thread=f"{f.thread} {i}" if f.thread else "")
                         for i in range(k) for f in workbook.findings)
        calls.clear()
        journey.compute_journey(dataclasses.replace(workbook, findings=findings))
        return len(calls)

    one, two, four = work(1), work(2), work(4)
    assert four - two == 2 * (two - one) > 0


def test_bad_commitments_are_errors_at_their_cells(tmp_path):
    workbook = make(tmp_path / "bad.xlsx", cells={
        "Commitments!A2": "Health Select Commission", "Commitments!B2": "31/02/2026", "Commitments!D2": "A written answer",
        "Commitments!G2": "Maybe", "Commitments!A3": "Health Select Commission"})
    model, messages = read(workbook)
    assert model is None
    errors = [str(m) for m in messages if m.level == "error"]
    assert any(e.startswith("Commitments!B2: ") for e in errors)
    assert any(e.startswith("Commitments!G2: status must be one of Open, In progress, Answered") for e in errors)
    assert any(e.startswith("Commitments!D3: ") for e in errors)  # a commitment must say what was promised


def test_a_review_with_no_area_for_development_has_no_legend_entry(tmp_path):
    import dataclasses
    import re
    import zipfile

    from cqcdocs.journey import compute_journey
    from cqcdocs.render.journey_annex import write_journey_annex

    workbook, _ = load_workbook(EXAMPLE_WORKBOOK)
    findings = tuple(dataclasses.replace(f, section="Key strength") if f.review == ADASS and
                     f.section == "Area for development" else f for f in workbook.findings)
    path = tmp_path / "j.xlsx"
    write_journey_annex(compute_journey(dataclasses.replace(workbook, findings=findings)), path, source_name="w.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = next(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")
                   and "Areas for development by service area" in z.read(n).decode())
    names = re.findall(r"<c:tx><c:strRef><c:f>[^<]*</c:f><c:strCache><c:ptCount val=\"1\"/><c:pt idx=\"0\"><c:v>"
                       r"([^<]*)</c:v>", xml)
    assert names == [f"{LGA}: D", f"{CQC}: D"]


def test_a_thread_raised_once_is_quoted_too(tmp_path):
    workbook = make(tmp_path / "once.xlsx", findings=4, cells={"Findings!G3": "Carers' assessments"})
    result = run("journey", str(workbook), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / "testshire-improvement-journey.docx"))
    text = [p.text for p in document.paragraphs]
    at = text.index("Threads raised by one review")
    assert any(t.startswith("Carers' assessments \u2013 CQC assessment 2026") for t in text[at:])
    assert any("\u201cFinding 2: people told us about waiting" in t for t in text[at:text.index("Findings by review")])
    # The others, on no thread, are quoted under their review's Other findings.
    assert sum(t.startswith("Other findings (") for t in text) == 2
