"""The Word briefing, read back with python-docx and as XML: the pack's sections in order, the figures from
scoring, accessibility structure (alt text, header rows, no merged cells, language, title, headings), the
committee version, determinism, templates, the Northmoor workbook, and LibreOffice rendering."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree
from docx.oxml.ns import qn

from cqcdocs.render import charts
from cqcdocs.render.chart_defs import chart_definitions
from cqcdocs.errors import TemplateError
from cqcdocs.documents import find_meeting
from cqcdocs.errors import UnknownMeeting
from cqcdocs.model import Message
from cqcdocs.palette import ACCENT, RATING_FILL, RATING_TEXT, contrast
from cqcdocs.resources import REFERENCE_DOCX
from cqcdocs.render.briefing import write_briefing
from cqcdocs.render.sentences import committee_subject, ranking_clause
from cqcdocs.wording import bold_spans, clean

ROOT = Path(__file__).resolve().parents[1]
from cqcdocs.scoring import Ranking

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
GRID_CAPTION = "Scores by quality statement and evidence category"
# The governance pack's grid (Rotherham 2026), statement by statement: people's experience, staff and
# leaders, processes, partners.
PACK_GRID = [(2, 3, 3, 2), (3, 3, 3, 3), (2, 2, 3, 2), (2, 3, 3, 2), (3, 3, 3, 3), (3, 3, 3, 3), (3, 3, 3, 2),
             (3, 3, 3, 3), (3, 3, 3, 3)]
PACK_PCTS = ["63%", "75%", "57%", "63%", "75%", "75%", "69%", "75%", "75%"]
# Section headings (level 1) in the pack's order; cqcdocs adds an executive summary first and the peer-review,
# performance and actions sections before the next steps.
PACK_ORDER = ["Executive summary", "Governance relating to the CQC outcome", "Background", "Key assessment dates",
              "Overall scores", "Summary of people's experiences", "Summary of strengths and areas for development",
              "Staff survey highlights", "Key strengths", "Areas for development", "Next steps"]

assert hasattr(charts, "briefing_charts"), "cqcdocs.render.charts.briefing_charts is the briefing's chart API"


# --- helpers ----------------------------------------------------------------------------------------

def write(result, path: Path, **options) -> Path:
    write_briefing(result, path, **options)
    return path


def parts(path: Path) -> dict[str, str]:
    """Every XML part of the package, by name."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def headings(document) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading ")]


def all_text(document) -> str:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(texts)


def table_named(document, caption: str):
    for table in document.tables:
        el = table._tbl.tblPr.find(qn("w:tblCaption"))
        if el is not None and el.get(qn("w:val")) == caption:
            return table
    raise AssertionError(f"no table captioned {caption!r}")


def cell_fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


def cell_colour(cell) -> str | None:
    run = cell.paragraphs[0].runs[0]
    return str(run.font.color.rgb) if run.font.color and run.font.color.type else None


@pytest.fixture(scope="module")
def briefing(example, tmp_path_factory):
    """The example's internal briefing, with a reconciliation warning for the author's appendix."""
    result, warnings = example
    notes = list(warnings) + [Message("Scores!J4", "test note for the author", "warning")]
    path = write(result, tmp_path_factory.mktemp("briefing") / "briefing.docx", warnings=notes,
                 annex_name="rotherham-cqc-annex.xlsx")
    return path, docx.Document(str(path)), parts(path)


# --- content ----------------------------------------------------------------------------------------

def test_sections_follow_the_pack(briefing):
    _, document, _ = briefing
    level1 = [text for level, text in headings(document) if level == 1]
    assert [h for h in level1 if h in PACK_ORDER] == PACK_ORDER
    levels = [level for level, _ in headings(document)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), "a heading level is skipped"
    overall = [text for level, text in headings(document) if level == 2][:4]
    assert overall == ["Changes from the draft report", "Scores by quality statement", "Overall score and rating",
                       "Comparison with other councils"]
    for theme in ("Theme one \u2013 Working with people", "Theme four \u2013 Leadership"):
        assert sum(1 for _, text in headings(document) if text == theme) == 3  # summary, strengths, areas


def test_title_block(briefing, example):
    result, _ = example
    _, document, _ = briefing
    paragraphs = [p for p in document.paragraphs]
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "Care Quality Commission (CQC) Assessment of Rotherham Adult Social Care"
    text = all_text(document)
    assert "Council: Rotherham Metropolitan Borough Council" in text
    assert "Date: May 2026" in text
    assert f"Protective marking: {result.workbook.assessment.protective_marking}" in text


def test_grid_has_the_packs_scores_and_percentages(briefing):
    _, document, _ = briefing
    table = table_named(document, GRID_CAPTION)
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Quality statement", "People's experience", "Staff and leaders", "Processes", "Partners",
                      "Score", "Rating", "%"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 9
    assert [tuple(int(v) for v in row[1:5]) for row in rows] == PACK_GRID  # the 36 evidence scores
    assert [row[7] for row in rows] == PACK_PCTS
    assert [row[5] for row in rows] == ["3", "3", "2", "3", "3", "3", "3", "3", "3"]
    assert [row[6] for row in rows] == ["Good", "Good", "Requires improvement"] + ["Good"] * 6
    assert rows[0][0] == "Assessing needs" and rows[8][0] == "Learning, improvement and innovation"


def test_ratings_are_words_on_their_palette_colours(briefing):
    _, document, _ = briefing
    table = table_named(document, GRID_CAPTION)
    for row in table.rows[1:]:
        rating = row.cells[6]
        assert cell_fill(rating) == RATING_FILL[rating.text]
        assert cell_colour(rating) == RATING_TEXT[rating.text]
    header = table.rows[0].cells[0]
    assert cell_fill(header) == ACCENT and cell_colour(header) == "FFFFFF"
    assert all(run.bold for run in header.paragraphs[0].runs)


def test_overall_score_rating_and_bands(briefing):
    _, document, _ = briefing
    text = all_text(document)
    assert "Overall score: 73%" in text and "Overall rating: Good" in text
    bands = [[c.text for c in row.cells] for row in table_named(document, "CQC rating bands").rows[1:]]
    assert bands == [["Inadequate", "1", "25\u201338%"], ["Requires improvement", "2", "39\u201362%"],
                     ["Good", "3", "63\u201387%"], ["Outstanding", "4", "88\u2013100%"]]
    assert "23-38" not in text and "23\u201338" not in text


def test_executive_summary_and_draft_changes(briefing):
    _, document, _ = briefing
    text = all_text(document)
    assert "adult social care Good, with an overall score of 73%" in text
    assert "Rated below Good: Equity in experience and outcomes (Requires improvement, 57%)." in text
    assert text.count("Assessing needs and Safeguarding rose from Requires improvement to Good after the "
                      "factual-accuracy challenge.") == 2  # the summary and the section


def test_ranking_sentence(briefing, example):
    result, _ = example
    _, document, _ = briefing
    # The pack claims "joint second ... (out of 13)", which no public source supports: of the region's 15
    # councils, 9 have a known score and none but Rotherham has 73%.
    assert result.sub_region_ranking.highest and result.region_ranking.phrase == "second of 9"
    assert (result.region_ranking.listed, result.sub_region_ranking.listed) == (15, 4)
    assert result.national_ranking.phrase == "joint twelfth of 87"
    assert (result.national_ranking.published, result.national_ranking.computed) == (23, 64)
    sentences = [p.text for p in document.paragraphs if p.text.startswith("With an overall score of 73%")]
    assert sentences[0] == (
        "With an overall score of 73%, Rotherham is the highest scoring of the 2 councils in South Yorkshire whose "
        "score is known, of 4 in the sub-region, and second of the 9 councils in Yorkshire and the Humber whose "
        "score is known, of 15 in the region. Nationally, it is joint twelfth of the 87 councils in England whose "
        "score is known, 23 published and 64 computed from their quality statement scores.")


def test_benchmark_table_shows_every_council_and_its_caveats(briefing):
    _, document, _ = briefing
    table = table_named(document, "Councils in Yorkshire and the Humber")
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert len(rows) == 15
    assert rows["City of Doncaster Council"][3] == "64% (computed, secondary source)"
    assert rows["North Lincolnshire Council"][3:] == ["No published score", "Good (pilot)"]
    assert rows["Barnsley Metropolitan Borough Council"][3:] == ["No published score", "Not published"]
    text = all_text(document)
    assert "Notes on these figures:" in text
    for note in ("Score computed by the CQC method from the council's quality statement scores (no overall % "
                 "published): City of Doncaster Council.",
                 "From a secondary source (a third-party copy of CQC's report pages), not checked against CQC's own "
                 "report: City of Doncaster Council.",
                 "An indicative rating from CQC's 2023 pilot assessments, not a formal assessment: North "
                 "Lincolnshire Council.",
                 "No published result found: Barnsley Metropolitan Borough Council, City of Bradford Metropolitan "
                 "District Council and Sheffield City Council.",
                 "The national position is from a table of CQC's published results (as at June 2026), which holds "
                 "124 of England's 153 councils",
                 "Of its 87 overall scores, 23 are published and 64 computed from quality statement scores, 61 of them "
                 "taken from a secondary source."):
        assert note in text


@pytest.mark.parametrize("ranking, expected", [
    (Ranking("Yorkshire and the Humber", 2, True, 13, 2, 1),
     "joint second of the 13 councils in Yorkshire and the Humber whose score is known, of 15 in the region"),
    (Ranking("South Yorkshire", 1, False, 4, 0, 0, "sub-region"),
     "the highest scoring of the 4 councils in South Yorkshire"),
    (Ranking("North East", 1, True, 3, 1, 0),
     "the joint highest scoring of the 3 councils in North East whose score is known, of 4 in the region"),
    (Ranking("East", 1, False, 1, 2, 1),
     "the only council in East whose score is known, of 3 in the region"),
    (Ranking("Yorkshire and the Humber", 4, False, 9, 0, 0), "fourth of the 9 councils in Yorkshire and the Humber"),
    (Ranking("England", 12, True, 79, 6, 4, "country", 8), "joint twelfth of the 79 councils in England whose "
                                                           "score is known, 8 published and 71 computed from their "
                                                           "quality statement scores"),
    (Ranking("England", 2, False, 5, 0, 0, "country", 5), "second of the 5 councils in England whose score is "
                                                          "known, all 5 published"),
    (Ranking("England", 2, False, 5, 0, 0, "country", 0), "second of the 5 councils in England whose score is "
                                                          "known, none published: all computed from their quality "
                                                          "statement scores"),
])
def test_ranking_clause_is_honest_about_councils_without_a_score(ranking, expected):
    assert ranking_clause(ranking) == expected


def test_people_strengths_and_areas_come_from_the_cqc_findings(briefing, example):
    result, _ = example
    _, document, _ = briefing
    cells = {c.text: row.cells[1].text for t in document.tables if t.rows[0].cells[0].text == "Finding (CQC\u2019s words)"
             for row in t.rows[1:] for c in row.cells[:1]}
    cqc = [f for f in result.workbook.findings if f.review.startswith("CQC")]
    for section in ("People's experience", "Summary", "Key strength", "Area for development"):
        own = [f for f in cqc if f.section == section and not f.quoted_from]
        assert own, section
        for finding in own:  # CQC's words alone in their cell; the council's attribution in its own column
            assert cells[finding.text.replace("**", "")] == (finding.service_area or "\u2013")
    # The pack's lists hold only the council's own items: the three findings quoted from CQC's full report
    # (direct payments 40.07%, DoLS 280 to 41, 545 carers) are the journey's.
    quoted = [f.text.replace("**", "") for f in cqc if f.quoted_from]
    assert len(quoted) == 4 and not any(q in cells or q in all_text(document) for q in quoted)
    assert "(service area:" not in all_text(document)


def test_peer_reviews_grouped_by_review_with_service_area(briefing, example):
    result, _ = example
    _, document, _ = briefing
    reviews = list(dict.fromkeys(f.review for f in result.workbook.findings if not f.review.startswith("CQC")))
    assert reviews, "the example has peer-review findings"
    level2 = [text for level, text in headings(document) if level == 2]
    for review in reviews:
        assert review in level2
        table = table_named(document, f"{review}: findings by theme")
        assert [c.text for c in table.rows[0].cells] == ["Theme", "Finding", "Type",
                                                          "Service area (council\u2019s attribution)"]
        expected = [f for f in result.workbook.findings if f.review == review]
        assert len(table.rows) - 1 == len(expected)
        themes = [int(row.cells[0].text.split(".")[0]) for row in table.rows[1:]]
        assert themes == sorted(themes)
    background = next(p.text for p in document.paragraphs if p.text.startswith("To prepare for the assessment"))
    assert all(review in background for review in reviews)


def test_staff_survey_table(briefing, example):
    result, _ = example
    _, document, _ = briefing
    survey = [t for t in document.tables
              if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")).startswith("Staff survey")]
    rows = [[c.text for c in row.cells] for t in survey for row in t.rows[1:]]
    assert len(rows) == len(result.workbook.survey)
    assert rows[0][0] == result.workbook.survey[0].question
    assert all(re.fullmatch(r"\d+(\.\d)?%", row[1]) for row in rows)


def test_metrics_and_actions_sections_when_the_workbook_has_them(briefing, example):
    result, _ = example
    _, document, _ = briefing
    level1 = [text for level, text in headings(document) if level == 1]
    assert ("Performance against the England average" in level1) == bool(result.metrics)
    assert ("Improvement plan actions" in level1) == bool(result.workbook.actions)
    if result.metrics:
        table = table_named(document, "Performance against the England average")
        words = [row.cells[3].text for row in table.rows[1:]]
        # CQC's own words, verbatim ("Much better", "Significantly better"), never flattened to "Better".
        assert words == [m.metric.cqc_comparison[:1].upper() + m.metric.cqc_comparison[1:] for m in result.metrics]
        assert "Much better" in words and "Significantly better" in words
        # Every value at the precision the workbook gives (two places here), in the table and on the chart.
        assert table.rows[1].cells[1].text == "70.57%" and table.rows[2].cells[1].text == "60.62%"
        chart = {d.key: d for d in chart_definitions(result)}["metrics"]
        assert chart.series[0].labels[0] == "70.57%: better" and chart.series[1].labels[0] == "65.16%"


def test_the_plan_not_yet_agreed_is_said_in_words_not_a_table_of_zeros(briefing, example):
    result, _ = example
    _, document, _ = briefing
    assert not any("Improvement plan actions by theme" in (t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")))
                   for t in document.tables)
    text = all_text(document)
    areas = sum(1 for a in result.workbook.actions)
    assert (f"The improvement plan is not yet agreed. Its {areas} actions will answer the areas for development "
            "CQC found") in text


def test_next_steps(briefing, example):
    result, _ = example
    _, document, _ = briefing
    text = all_text(document)
    for step in result.workbook.next_steps:
        assert step.step in text
    # Steps before the report's date (May 2026) read as done; later ones as planned.
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Senior Management Team CQC away day \u2013 25 March 2026 (done)" in bullets
    assert "Celebration event \u2013 22 May 2026" in bullets


# --- accessibility and structure ----------------------------------------------------------------------

def test_every_chart_is_native_with_alt_text_and_a_caption(briefing, example):
    result, _ = example
    _, document, xml = briefing
    expected = chart_definitions(result)
    assert [c.key for c in expected] == ["statements", "themes", "benchmarks", "metrics"]
    body = etree.fromstring(xml["word/document.xml"].encode())
    doc_prs = body.findall(".//" + WP + "docPr")
    assert len(doc_prs) == len(expected) == len(body.findall(".//" + C + "chart")) == len(document.inline_shapes)
    assert not body.findall(".//" + PIC + "pic")  # no pictures: the default is Word's own charts
    for doc_pr, chart in zip(doc_prs, expected):
        assert doc_pr.get("descr") == chart.alt_text and len(chart.alt_text) >= 40
        assert doc_pr.get("title") == chart.title
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert captions == [f"Figure {i}: {c.title}" for i, c in enumerate(expected, start=1)]


def test_native_charts_carry_the_briefings_numbers_in_their_embedded_workbooks(briefing, example):
    """Word's "Edit data" opens the embedded workbook: its numbers are the ones the briefing's tables show."""
    import io

    import openpyxl

    result, _ = example
    path = briefing[0]
    with zipfile.ZipFile(path) as z:
        embedded = sorted(n for n in z.namelist() if n.startswith("word/embeddings/") and n.endswith(".xlsx"))
        books = [openpyxl.load_workbook(io.BytesIO(z.read(n)), read_only=True) for n in embedded]
    assert len(books) == 4
    cells = [[c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row] for wb in books]
    pcts = [s.pct for s in result.statements]
    assert all(p in cells[0] for p in pcts)  # statements
    assert all(t.pct in cells[1] for t in result.themes if t.pct is not None)  # themes
    assert all(c.pct in cells[2] for c in result.benchmarks if c.pct is not None)  # benchmarks
    assert all(m.metric.council_value in cells[3] for m in result.metrics if m.metric.unit.strip() == "%")


def test_picture_charts_are_the_same_definitions_drawn(example, tmp_path):
    result, _ = example
    path = write(result, tmp_path / "pictures.docx", charts="picture")
    document = docx.Document(str(path))
    xml = parts(path)["word/document.xml"]
    expected = charts.briefing_charts(result)
    assert [c.key for c in expected] == ["statements", "themes", "benchmarks", "metrics"]
    assert len(document.inline_shapes) == 4 and "<c:chart " not in xml
    definitions = {d.key: d for d in chart_definitions(result)}
    for chart in expected:
        if chart.key in definitions:
            assert (chart.title, chart.alt_text) == (definitions[chart.key].title,
                                                     definitions[chart.key].alt_for("picture"))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption" and p.text.startswith("Figure")]
    assert captions == [f"Figure {i}: {c.title}" for i, c in enumerate(expected, start=1)]


def test_data_tables_repeat_their_header_row_and_never_merge_cells(briefing):
    _, document, xml = briefing
    assert len(document.tables) >= 6
    for table in document.tables:
        first = table._tbl.tr_lst[0]
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        assert len(table._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val"))) > 20
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        assert look.get(qn("w:firstRow")) == "1"
    body = xml["word/document.xml"]
    assert "gridSpan" not in body and "vMerge" not in body and "hMerge" not in body


def test_tables_fit_the_page_and_captions_stay_with_what_they_caption(briefing, northmoor, tmp_path):
    northmoor_doc = docx.Document(str(write(northmoor[0], tmp_path / "n.docx")))
    for document in (briefing[1], northmoor_doc):
        for table in document.tables:
            widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert sum(widths) <= docx.shared.Cm(17).twips + 5, table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        for paragraph in document.paragraphs:
            if paragraph.style.name == "Caption" and paragraph.text.startswith("Table"):
                assert paragraph.paragraph_format.keep_with_next
            if paragraph._p.find(".//" + qn("w:drawing")) is not None:
                assert paragraph.paragraph_format.keep_with_next  # the figure's caption follows it
    header = [c.text for c in table_named(northmoor_doc, GRID_CAPTION).rows[0].cells]
    assert "Outcomes" in header and len(header) == 9


def test_no_empty_paragraphs(briefing):
    _, document, _ = briefing
    body = document.element.body
    for p in body.iter(qn("w:p")):
        if p.getparent() is not body:
            continue
        has_content = "".join(p.itertext()).strip() or p.find(".//" + qn("w:drawing")) is not None
        assert has_content, "an empty paragraph used for spacing"


def test_language_is_uk_english(briefing):
    _, document, xml = briefing
    styles = xml["word/styles.xml"]
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert 'w:lang w:val="en-GB"' in defaults
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert 'w:lang w:val="en-GB"' in normal
    assert "<dc:language>en-GB</dc:language>" in xml["docProps/core.xml"]


def test_core_properties_are_set_and_fixed(briefing, example):
    result, _ = example
    _, document, _ = briefing
    props = document.core_properties
    a = result.workbook.assessment
    assert props.title == a.report_title
    assert "Rotherham" in props.subject and props.author and "CQC" in props.keywords
    fixed = datetime(a.published.year, a.published.month, a.published.day)
    assert [d.replace(tzinfo=None) for d in (props.created, props.modified, props.last_printed)] == [fixed] * 3
    assert props.revision == 1


def test_contents_are_real_entries_linked_to_every_heading_with_page_references(briefing):
    _, document, xml = briefing
    body = etree.fromstring(xml["word/document.xml"].encode())
    headings = [p for p in body.iter(W + "p") if (p.find(f"{W}pPr/{W}pStyle") is not None and
                                                  p.find(f"{W}pPr/{W}pStyle").get(W + "val") in ("Heading1", "Heading2"))]
    links = body.findall(f".//{W}hyperlink")
    entries = [link for link in links if (link.get(W + "anchor") or "").startswith("_Toc")]
    assert len(entries) == len(headings) > 20
    for heading, link in zip(headings, entries):
        name = link.get(W + "anchor")
        # The heading carries the bookmark the entry links to, and the entry's text is the heading's.
        assert heading.find(f"{W}bookmarkStart").get(W + "name") == name
        text = "".join(t.text for t in link.iter(W + "t"))
        assert text == "".join(t.text for t in heading.iter(W + "t"))
        assert "".join(i.text for i in link.iter(W + "instrText")).strip() == f"PAGEREF {name} \\h"
    # Nothing to update by hand: no placeholder, no TOC field, no prompt on opening.
    assert "Right-click" not in xml["word/document.xml"] and " TOC " not in xml["word/document.xml"]
    assert "updateFields" not in xml["word/settings.xml"]
    contents = [p.text for p in document.paragraphs]
    assert contents[contents.index("Contents") + 1] == "Executive summary\t"


def test_a_draft_says_so_on_every_page_and_a_final_nowhere(example, tmp_path):
    result, _ = example
    for final in (False, True):
        document = docx.Document(str(write(result, tmp_path / f"final-{final}.docx", final=final)))
        headers = ["".join(p.text for p in s.header.paragraphs) for s in document.sections]
        text = all_text(document)
        if final:
            assert not any("DRAFT" in h for h in headers) and "Draft" not in text
            assert "Status: Final" in text
        else:
            assert headers and all(h.startswith("DRAFT \u2013 NOT FOR PUBLICATION") for h in headers)
            assert "Status: Draft (not for publication)" in text
            # The protective marking stays on every page of a draft.
            assert all(result.workbook.assessment.protective_marking in h for h in headers)


def test_contents_show_page_numbers_in_libreoffice(briefing, to_pdf, pdf_text):
    text, pages = pdf_text(to_pdf(briefing[0]))
    first = text.split("\f")[0]
    assert re.search(r"Executive summary\.{5,}\s*2\n", first)
    assert re.search(r"Next steps\.{5,}\s*\d+", text.split("\f")[0] + text.split("\f")[1])


def test_header_and_footer_carry_marking_and_page_x_of_y(briefing, example):
    result, _ = example
    _, document, xml = briefing
    marking = result.workbook.assessment.protective_marking
    for section in document.sections:
        assert [p.text for p in section.header.paragraphs] == ["DRAFT \u2013 NOT FOR PUBLICATION", marking]
        footer = section.footer._element.xml
        assert " PAGE " in footer and " NUMPAGES " in footer and marking in footer
        assert "Page 1 of 1" in "".join(p.text for p in section.footer.paragraphs)  # cached field results
        assert abs(section.page_width.cm - 21.0) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
        assert abs(section.left_margin.cm - 2.0) < 0.01 and abs(section.top_margin.cm - 2.0) < 0.01


def test_bold_markup_becomes_bold_runs(briefing, example):
    result, _ = example
    _, document, _ = briefing
    marked = next(f for f in result.workbook.findings if f.review.startswith("CQC") and "**" in f.text)
    inner = re.search(r"\*\*(.+?)\*\*", marked.text).group(1)
    plain = marked.text.replace("**", "")
    paragraph = next(p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
                     if p.text.startswith(plain))
    assert any(run.bold and run.text == inner for run in paragraph.runs)
    assert any(not run.bold for run in paragraph.runs)
    assert "**" not in all_text(document)


def test_bold_parser_leaves_unmatched_markers_literal():
    assert bold_spans("a **b** c **d") == [("a ", False), ("b", True), (" c **d", False)]
    assert bold_spans("****") == [("****", False)]
    assert bold_spans("**x** **y**") == [("x", True), (" ", False), ("y", True)]
    assert bold_spans("bell\x07 and\ufffe") == [("bell and", False)]
    assert clean("a\x00b\x1fc\td") == "abc\td"


def test_headings_and_body_are_accessible_colours():
    document = docx.Document(str(REFERENCE_DOCX))
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        colour = str(document.styles[name].font.color.rgb)
        assert colour == ACCENT and contrast(colour, "FFFFFF") >= 4.5
    assert document.styles["Normal"].font.size.pt == 11
    assert document.styles["Normal"].font.name == "Arial"
    for name in ("Caption", "Header", "Footer"):
        assert contrast(str(document.styles[name].font.color.rgb), "FFFFFF") >= 4.5


def test_reference_template_is_built_from_its_script(tmp_path):
    """The shipped reference.docx is exactly what templates/build_reference.py makes (part by part)."""
    import subprocess
    import sys

    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(ROOT / "templates" / "build_reference.py"), str(out)], check=True,
                   capture_output=True)
    assert parts(out) == parts(REFERENCE_DOCX)
    assert not zipfile.ZipFile(REFERENCE_DOCX).read("word/document.xml").count(b"<w:p>")


def test_passes_the_accessibility_checker(briefing):
    check = pytest.importorskip("cqcdocs.check")
    path, _, _ = briefing
    problems = check.check_file(path)
    errors = [p for p in problems if getattr(p, "level", "error") == "error"]
    assert errors == [], "\n".join(str(p) for p in errors)


def test_text_xml_cannot_hold_is_dropped(example, tmp_path):
    result, _ = example
    finding = next(f for f in result.workbook.findings if f.section == "Key strength")
    dirty = dataclasses.replace(finding, text="Control\x01 char\x0b text\ud800 here")
    workbook = dataclasses.replace(result.workbook, findings=(dirty,) + result.workbook.findings)
    path = write(dataclasses.replace(result, workbook=workbook), tmp_path / "dirty.docx")
    assert "Control char text here" in all_text(docx.Document(str(path)))


# --- versions and options ---------------------------------------------------------------------------

def test_committee_version_front_matter(example, tmp_path):
    result, _ = example
    meeting = find_meeting(result.workbook, "Health Select Commission")
    path = write(result, tmp_path / "hsc.docx", committee=meeting, annex_name="rotherham-cqc-annex.xlsx")
    document = docx.Document(str(path))
    text = all_text(document)
    a = result.workbook.assessment
    for line in ("Committee: Health Select Commission", "Date of meeting: 14 May 2026", f"Report title: {a.report_title}",
                 f"Key decision: {'Yes' if a.key_decision else 'No'}", "Wards affected: "):
        assert line in text
    if a.report_author:
        assert f"Report author: {a.report_author}" in text
    if a.approving_director:
        assert f"Approving director: {a.approving_director}" in text
    level1 = [t for lvl, t in headings(document) if lvl == 1]
    assert level1[:4] == ["Report details", "Recommendations", "List of appendices", "Executive summary"]
    recommendations = [p for p in document.paragraphs if p.style.name == "List Number"
                       and p.text.startswith("That ")]
    assert recommendations and all(p.text.startswith("That the Health Select Commission ") for p in recommendations)
    assert len(recommendations) == max(1, len(result.workbook.recommendations))
    # The recommendations are their own list, numbered from 1, not a continuation of another list.
    num_ids = {p._p.pPr.numPr.numId.val for p in recommendations}
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    assert len(num_ids) == 1 and style_num not in num_ids
    assert "Appendix 1 \u2013 rotherham-cqc-annex.xlsx" in text
    assert "Date: May 2026" in text  # the report's own date is kept beside the meeting's
    # The governance route says which meetings have been held, and which one this paper goes to.
    route = table_named(document, "Governance route")
    rows = [[c.text for c in row.cells] for row in route.rows]
    assert rows[0] == ["Meeting", "Date", "Purpose", "Status"]
    assert rows[1] == ["Senior Management Team (SMT)", "01/04/2026", "Report governance", "Held"]
    assert rows[4] == ["Health Select Commission", "14/05/2026", "This report", "This meeting"]
    assert rows[5] == ["Cabinet", "08/06/2026", "\u2013", "To come"]
    assert document.core_properties.category == "Committee report: Health Select Commission"


@pytest.mark.parametrize("name, subject", [("Health Select Commission", "the Health Select Commission"),
                                           ("Cabinet", "Cabinet"), ("the Scrutiny Board", "the Scrutiny Board"),
                                           ("Full  Council", "Full Council")])
def test_recommendations_name_a_committee_as_people_write_it(name, subject):
    assert committee_subject(name) == subject


def test_default_recommendation_when_the_workbook_has_none(example, tmp_path):
    result, _ = example
    workbook = dataclasses.replace(result.workbook, recommendations=())
    meeting = find_meeting(workbook, "Cabinet")
    path = write(dataclasses.replace(result, workbook=workbook), tmp_path / "cabinet.docx", committee=meeting)
    document = docx.Document(str(path))
    recommendations = [p.text for p in document.paragraphs if p.style.name == "List Number"
                       and p.text.startswith("That ")]
    assert recommendations == [recommendations[0]]
    assert recommendations[0].startswith("That Cabinet notes the outcome of the CQC assessment")
    assert "List of appendices" in [t for _, t in headings(document)] and "None." in all_text(document)


def test_unknown_committee_names_the_meetings(example):
    result, _ = example
    with pytest.raises(UnknownMeeting, match=r"'Scrutiny Board' is not in the Governance sheet; its meetings "
                                               r"are: .*Health Select Commission.*Cabinet"):
        find_meeting(result.workbook, "Scrutiny Board")


def test_final_drops_the_author_appendix(example, tmp_path):
    result, _ = example
    notes = [Message("Scores!J4", "a note", "warning")]
    draft = docx.Document(str(write(result, tmp_path / "draft.docx", warnings=notes)))
    final = docx.Document(str(write(result, tmp_path / "final.docx", warnings=notes, final=True)))
    assert "Appendix: notes for the author" in [t for _, t in headings(draft)]
    assert "Scores!J4: a note" in all_text(draft)
    assert "Appendix: notes for the author" not in [t for _, t in headings(final)]
    assert "Scores!J4" not in all_text(final)
    assert final.core_properties.content_status == "Final"


def test_two_runs_give_identical_documents(example, tmp_path):
    result, warnings = example
    first = write(result, tmp_path / "a.docx", warnings=warnings)
    second = write(result, tmp_path / "b.docx", warnings=warnings)
    assert parts(first)["word/document.xml"] == parts(second)["word/document.xml"]
    assert first.read_bytes() == second.read_bytes()


def test_bad_template_is_a_template_error(example, tmp_path):
    result, _ = example
    text_file = tmp_path / "styles.txt"
    text_file.write_text("not a document")
    with pytest.raises(TemplateError, match=r"^styles\.txt: not a Word document"):
        write(result, tmp_path / "x.docx", template=text_file)
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(TemplateError, match=r"^fake\.docx: not a Word document"):
        write(result, tmp_path / "x.docx", template=fake)
    with pytest.raises(TemplateError, match=r"^missing\.docx: template not found"):
        write(result, tmp_path / "x.docx", template=tmp_path / "missing.docx")
    lacking = tmp_path / "council.docx"
    document = docx.Document(str(REFERENCE_DOCX))
    for name in ("Caption", "List Number"):
        style = document.styles[name].element
        style.getparent().remove(style)
    document.save(str(lacking))
    with pytest.raises(TemplateError, match=r"^council\.docx: template lacks the styles List Number, Caption"):
        write(result, tmp_path / "x.docx", template=lacking)
    assert not (tmp_path / "x.docx").exists()


def test_a_council_template_supplies_the_styles(example, tmp_path):
    result, _ = example
    template = tmp_path / "council.docx"
    document = docx.Document(str(REFERENCE_DOCX))
    document.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor.from_string("005A30")
    document.add_paragraph("Template body text that must not appear")
    document.save(str(template))
    path = write(result, tmp_path / "styled.docx", template=template)
    styled = docx.Document(str(path))
    assert str(styled.styles["Heading 1"].font.color.rgb) == "005A30"
    assert "Template body text" not in all_text(styled)
    assert styled.paragraphs[0].style.name == "Title"


# --- the Northmoor workbook: nothing of Rotherham leaks in --------------------------------------------

def test_northmoor_briefing(northmoor, tmp_path):
    result, warnings = northmoor
    path = write(result, tmp_path / "northmoor.docx", warnings=warnings)
    document = docx.Document(str(path))
    text = all_text(document)
    assert result.overall.rating.label == "Requires improvement"
    assert f"adult social care Requires improvement, with an overall score of {result.overall.pct}%" in text
    grid = table_named(document, GRID_CAPTION)
    header = [c.text for c in grid.rows[0].cells]
    row = next(r for r in grid.rows if r.cells[0].text == "Partnerships and communities")
    assert "Outcomes" in header  # Northmoor scores Outcomes for one statement, so the grid shows it
    assert row.cells[header.index("Rating")].text == "Not assessed" and row.cells[header.index("%")].text == "\u2013"
    assert "Not assessed: Partnerships and communities" in text
    everything = "\n".join(parts(path).values())
    table = result.national_table  # its description names the region checked most recently: not a leak
    everything = everything.replace(table.coverage.replace("'", "&apos;"), "").replace(table.coverage, "")
    for word in ("Rotherham", "South Yorkshire", "Yorkshire"):
        assert word not in everything


# --- LibreOffice --------------------------------------------------------------------------------------

def test_libreoffice_renders_the_briefing(briefing, example, to_pdf, pdf_text):
    path, _, _ = briefing
    marking = example[0].workbook.assessment.protective_marking
    text, pages = pdf_text(to_pdf(path))
    assert pages >= 5
    flat = " ".join(text.split())
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    for expected in (marking, "Overall score: 73%", "Overall rating: Good", "Scores by quality statement",
                     "Requires improvement", "Next steps"):
        assert expected in flat


# --- key figures and section text ---------------------------------------------------------------------

def test_key_figures_table(briefing):
    _, document, _ = briefing
    table = table_named(document, "Key figures from the assessment")
    assert [c.text for c in table.rows[0].cells] == ["Theme or quality statement", "Measure", "Figure", "As at"]
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in table.rows[1:]}
    # The assessment's own 25, and the 4 the CQC gave for the improvement journey (two of one measure); the peer
    # reviews' figures are the journey paper's.
    assert len(table.rows) - 1 == 29 and len(rows) == 28
    assert "Social worker vacancy rate" not in rows
    assert rows["People waiting for an annual review of their care"] == [
        "Assessing needs", "People waiting for an annual review of their care", "1,066 people", "Not stated"]
    assert rows["Longest wait for an annual review"][2] == "1,372 days"
    assert rows["Open Deprivation of Liberty Safeguards (DoLS) cases"][2:] == ["827 cases", "February 2025"]
    assert rows["Section 42 enquiries still open after 80 working days"][0] == "Safeguarding"
    assert rows["Carers who had a carer's assessment"][2:] == ["545 carers", "2024/25"]
    spend = [r for name, r in rows.items() if name.startswith("Adult social care spend above")][0]
    assert spend[0] == "Context" and spend[2] == "\u00a314,321,000"
    # Grouped by theme and quality statement: Assessing needs first, then Safeguarding, then context.
    about = [r.cells[0].text for r in table.rows[1:]]
    assert about == sorted(about, key=["Assessing needs", "Supporting people to lead healthier lives", "Safeguarding",
                                       "Context"].index)
    assert "All are from the CQC assessment report (20 March 2026)." in all_text(document)


def headings_and_text(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_section_text_goes_before_and_after_its_section(briefing):
    _, document, _ = briefing
    paragraphs = headings_and_text(document)
    texts = [t for _, t in paragraphs]
    # Before: straight after the Next steps heading, ahead of the generated list.
    at = texts.index("Next steps")
    assert texts[at + 1].startswith("Reflection sessions and a celebration event are taking place")
    assert paragraphs[at + 2][0] == "List Bullet"
    # After: at the end of Background, after the generated peer-review sentence.
    background = texts[texts.index("Background"):texts.index("Key assessment dates")]
    assert background[-1].endswith("Both peer reviews supported adult social care's improvement journey as well "
                                   "as its readiness for assessment by the CQC.")
    assert "December 2023" in background[-1] and "January 2025" in background[-1]
    # A "## " line is a subheading, "- " lines a bulleted list, after the generated Key strengths.
    at = texts.index("Freedom to Speak Up")
    assert paragraphs[at][0] == "Heading 2" and texts.index("Theme four \u2013 Leadership") < at
    assert at < texts.index("Areas for development")
    assert paragraphs[at + 2] == ("List Bullet", "A way of working or a process that isn't being properly followed.")


def test_section_text_for_a_section_with_nothing_of_its_own_still_shows(example, tmp_path):
    from cqcdocs.model import SectionText

    result, _ = example
    workbook = dataclasses.replace(result.workbook, survey=(), section_text=(
        SectionText("Staff survey highlights", "Before", "The survey closes in June."),
        SectionText("Staff survey highlights", "After", "Results will follow.")))
    path = write(dataclasses.replace(result, workbook=workbook), tmp_path / "b.docx")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    at = texts.index("Staff survey highlights")
    assert texts[at + 1:at + 3] == ["The survey closes in June.", "Results will follow."]


def test_every_section_that_takes_text_is_one_the_contract_names():
    from cqcdocs.contract import BRIEFING_SECTIONS
    from cqcdocs.render.briefing import SECTION_HEADINGS, SECTIONS

    in_order = [SECTION_HEADINGS[s] for s in SECTIONS if s in SECTION_HEADINGS]
    assert tuple(in_order) == BRIEFING_SECTIONS


def test_key_figures_hold_the_worst_waits_and_the_summary_names_them(briefing):
    _, document, _ = briefing
    rows = {r.cells[1].text: r.cells[2].text for r in table_named(document, "Key figures from the assessment").rows}
    assert rows["DoLS applications awaiting allocation"] == "346 applications"
    assert rows["Longest wait for a DoLS assessment (April 2024 to February 2025)"] == "2,233 working days"
    assert rows["People waiting for an occupational therapy assessment"] == "308 people"
    assert rows["Longest wait for an occupational therapy assessment"] == "123 days"
    assert rows["People waiting for an unplanned review"] == "149 people"
    assert rows["Longest reported wait for an unplanned review (CQC found it a recording issue, not an active "
                "delay)"] == "399 days"
    assert rows["Median time to conclude a Section 42 enquiry (previous 12 months)"] == "45 working days"
    assert rows["Longest time to conclude a Section 42 enquiry (previous 12 months)"] == "372 working days"
    texts = [p.text for p in document.paragraphs]
    summary = texts[texts.index("Executive summary"):texts.index("Governance relating to the CQC outcome")]
    waits = next(t for t in summary if t.startswith("The longest waits in the assessment: "))
    assert "for a DoLS assessment (April 2024 to February 2025), 2,233 working days" in waits
    assert "for an annual review, 1,372 days" in waits and "for an occupational therapy assessment, 123 days" in waits
    assert "to conclude a Section 42 enquiry (previous 12 months), 372 working days" in waits


def test_a_returning_paper_reports_on_the_committees_requests(tmp_path):
    from click.testing import CliRunner

    from cqcdocs.cli import main

    for command, name in (("brief", "rotherham-cqc-briefing-health-select-commission.docx"),
                          ("journey", "rotherham-improvement-journey.docx")):
        out = tmp_path / command
        result = CliRunner().invoke(main, [command, "--committee", "Health Select", "--out", str(out)])
        assert result.exit_code == 0, result.output
        document = docx.Document(str(out / name))
        assert "Responses to the Commission\u2019s requests" in [t for level, t in headings(document) if level == 1]
        rows = [[c.text for c in r.cells] for r in table_named(document, "Responses to the Commission\u2019s "
                                                                          "requests").rows]
        assert rows[0] == ["Request", "Raised by", "Owner", "Response", "Status"]
        by_request = {r[0]: r[1:] for r in rows[1:]}
        assert by_request["A written response with more detail on the safeguarding three-stage test."] == [
            "Councillor Garnett", "Assurance Lead, Professional Practice", "No response yet.", "Open"]
        assert [r[-1] for r in rows[1:]].count("Answered") == 3 and len(rows) == 8
    # Not in a paper to another committee, nor in the internal briefing.
    out = tmp_path / "cabinet"
    assert CliRunner().invoke(main, ["brief", "--committee", "Cabinet", "--out", str(out)]).exit_code == 0
    document = docx.Document(str(next(out.glob("*.docx"))))
    assert not any(t.startswith("Responses to") for _, t in headings(document))


def test_a_short_table_stays_together_and_a_table_of_paragraphs_may_break():
    from cqcdocs.render.word.tables import add_table
    from cqcdocs.render.word.template import open_template, prepare

    document = open_template(None)
    prepare(document)
    style = document.styles["Table Grid"] if "Table Grid" in [s.name for s in document.styles] else None
    short = add_table(document, style, "Short", "A short table of few words", ["A", "B"], [["x", "y"]] * 3, [8.5, 8.5])
    long = add_table(document, style, "Long", "Three rows of paragraphs", ["A", "B"], [["word " * 120, "y"]] * 3,
                     [8.5, 8.5])
    kept = [[r.cells[0].paragraphs[0].paragraph_format.keep_with_next for r in t.rows] for t in (short, long)]
    assert kept[0] == [True, True, True, None] or kept[0][:3] == [True, True, True]
    assert kept[1][0] and not any(kept[1][1:])  # only the header keeps with the first row
