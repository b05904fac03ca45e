"""Chart definitions and native Word charts: the example's four standard charts, written into a document
and read back from the package (chart parts, embedded workbooks, colours, alt text), byte for byte
deterministic, valid against the Office schemas, clean under `cqcdocs check`, and drawn by LibreOffice."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, UTC
import io
import posixpath
import re
import zipfile

import docx
import openpyxl
import pytest
from lxml import etree

from check_fixtures import edit_part, rules
from cqcdocs.check import check_file
from cqcdocs.resources import REFERENCE_DOCX
from cqcdocs.palette import INK, OTHERS, RATING_FILL, SUBJECT
from cqcdocs.render.chart_defs import chart_definitions, rating_bands
from cqcdocs.palette import tint
from cqcdocs.render.word import chart_workbook
from cqcdocs.render.word.chart_workbook import NOT_ASSESSED
from cqcdocs.render.word.charts import add_native_chart
from cqcdocs.scoring import RATINGS

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "dcterms": "http://purl.org/dc/terms/"}
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
PACKAGE_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
KEYS = ["statements", "themes", "benchmarks", "metrics"]


def write(defs, path):
    """The repository's template with a title, a heading, and each chart in its own paragraph with a caption
    beneath."""
    document = docx.Document(REFERENCE_DOCX)
    document.core_properties.title = "Native charts"
    document.add_heading("Charts", 1)
    for n, chart in enumerate(defs, start=1):
        add_native_chart(document.add_paragraph(), chart)
        document.add_paragraph(f"Figure {n}: {chart.title}")
    # As the briefing does: fixed document dates and zip entry dates (python-docx stamps both from the clock).
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    document.core_properties.created = document.core_properties.modified = fixed
    buffer, out = io.BytesIO(), io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def defs(example):
    return chart_definitions(example[0])


@pytest.fixture(scope="module")
def made(defs, tmp_path_factory):
    return write(defs, tmp_path_factory.mktemp("native") / "charts.docx")


class Package:
    """The parts of a saved package, read without python-docx."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as zf:
            self.parts = {name: zf.read(name) for name in zf.namelist()}
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        self.overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iterfind("ct:Override", NS)}
        self.defaults = {d.get("Extension"): d.get("ContentType") for d in types.iterfind("ct:Default", NS)}

    def xml(self, name):
        return etree.fromstring(self.parts[name])

    def content_type(self, name):
        return self.overrides.get(name) or self.defaults.get(name.rsplit(".", 1)[-1])

    def rels(self, part):
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        return {r.get("Id"): (r.get("Type"), posixpath.normpath(posixpath.join(folder, r.get("Target"))))
                for r in root.iterfind("rel:Relationship", NS)}

    def charts(self):
        """(wp:docPr, chart part name, chart XML, embedded workbook name) in document order."""
        document = self.xml("word/document.xml")
        rels = self.rels("word/document.xml")
        out = []
        for inline in document.iter(f"{{{NS['wp']}}}inline"):
            ref = inline.find("a:graphic/a:graphicData/c:chart", NS)
            kind, name = rels[ref.get(f"{{{NS['r']}}}id")]
            assert kind == CHART_RT
            chart = self.xml(name)
            kind, workbook = self.rels(name)[chart.find("c:externalData", NS).get(f"{{{NS['r']}}}id")]
            assert kind == PACKAGE_RT
            out.append((inline.find("wp:docPr", NS), name, chart, workbook))
        return out


def data_series(chart, definition):
    """The chart's c:ser for the definition's series (the band series come after them)."""
    sers = sorted(chart.iterfind(".//c:ser", NS), key=lambda s: int(s.find("c:idx", NS).get("val")))
    return sers[:len(definition.series)], sers[len(definition.series):]


# --- definitions -----------------------------------------------------------------------------------

def test_definitions_match_todays_pictures_and_the_result(example, defs):
    from cqcdocs.render.charts import draw_charts

    result = example[0]
    assert [d.key for d in defs] == KEYS
    pictures = {d.key: d for d in draw_charts(result)}
    for d in defs:
        assert (d.title, d.alt_for("picture")) == (pictures[d.key].title, pictures[d.key].alt_text)
    # The alt text says what each backend draws: clustered bars natively, a dot plot in a picture.
    assert defs[3].alt_text.startswith("Clustered bar chart of Rotherham against the England average")
    assert pictures["metrics"].alt_text.startswith("Dot plot of Rotherham")
    statements, themes, benchmarks, metrics = defs
    assert statements.series[0].values == tuple(s.pct for s in result.statements)
    assert statements.series[0].colours == tuple(RATING_FILL[s.rating.label] for s in result.statements)
    assert statements.series[0].labels[2] == "57% Requires improvement"
    assert themes.series[0].values == tuple(t.pct for t in result.themes)
    scored = [c for c in result.benchmarks if c.pct is not None]
    assert benchmarks.series[0].values == tuple(c.pct for c in scored)
    assert benchmarks.series[0].colours == tuple(SUBJECT if c.is_subject else OTHERS for c in scored)
    assert benchmarks.note.startswith("No published score: Barnsley Metropolitan Borough Council, Calderdale Council")
    council, england = metrics.series
    assert council.values == tuple(m.metric.council_value for m in result.metrics if m.metric.unit == "%")
    assert england.values == tuple(m.metric.england_average for m in result.metrics if m.metric.unit == "%")
    assert council.labels[0] == "70.57%: better" and england.labels[0] == "65.16%"
    for d in defs:
        for s in d.series:
            assert len(s.values) == len(s.colours) == len(s.labels) == len(s.suffixes) == len(d.categories)


def test_bands_come_from_the_ratings_and_the_palette():
    bands = rating_bands()
    assert [(b.label, b.first, b.last, b.colour) for b in bands] == \
        [(r.label, r.low, r.high, RATING_FILL[r.label]) for r in RATINGS]
    assert bands[0].low == 0 and bands[-1].high == 100
    assert all(a.high == b.low == b.first - 0.5 for a, b in zip(bands, bands[1:]))


def test_charts_without_data_are_left_out(example):
    result = example[0]
    assert [d.key for d in chart_definitions(dataclasses.replace(result, benchmarks=(), metrics=()))] == \
        ["statements", "themes"]
    unassessed = tuple(dataclasses.replace(s, pct=None, score=None) for s in result.statements)
    themes = tuple(dataclasses.replace(t, pct=None) for t in result.themes)
    assert [d.key for d in chart_definitions(dataclasses.replace(result, statements=unassessed, themes=themes))] == \
        ["benchmarks", "metrics"]


def test_definitions_import_no_renderer():
    import subprocess
    import sys

    code = ("import sys, cqcdocs.render.chart_defs; print(sorted({'matplotlib', 'docx', 'xlsxwriter', 'pptx', "
            "'openpyxl'} & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _awkward(d, n: int, seed: int):
    """D with N made-up categories and values: gaps, long and escaped names, more than 16 rows."""
    import random

    rng = random.Random(seed)
    names = ["A & B", "<x>", " lead", "trail ", "_x0041_ literal", "ünï€", "long " * 30, 'quote"s']
    cats = [f"{rng.choice(names)} {i}" for i in range(n)]
    series = []
    for s in d.series:
        fit = {f.name: type(v)(v[i % len(v)] for i in range(n)) for f in dataclasses.fields(s)
               if isinstance(v := getattr(s, f.name), (list, tuple)) and len(v) == len(d.categories)}
        values = [None if rng.random() < .2 else rng.choice([rng.randint(0, 100), rng.random() * 100, 1e-7])
                  for _ in range(n)]
        fit.update(values=type(s.values)(values), name=rng.choice(names),
                   number_format=rng.choice([s.number_format, "0", "General", "0.0"]))
        series.append(dataclasses.replace(s, **fit))
    return dataclasses.replace(d, categories=type(d.categories)(cats), series=type(d.series)(series))


def test_series_and_workbooks_are_what_python_pptx_writes(defs):
    """The series XML and the embedded workbook are written directly (python-pptx costs ~90 ms to import and
    ~7 ms a workbook); they are byte for byte what python-pptx and its XlsxWriter writer gave."""
    pptx_data = pytest.importorskip("pptx.chart.data")
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from pptx.enum.chart import XL_CHART_TYPE

    from cqcdocs.render.word import charts

    class Writer(CategoryWorkbookWriter):
        def _populate_worksheet(self, workbook, worksheet):
            workbook.set_properties({"created": chart_workbook.FIXED_CREATED, "title": "Chart data"})
            super()._populate_worksheet(workbook, worksheet)
            worksheet.set_column(0, 0, 60)
            worksheet.set_column(1, len(self._chart_data), 24)

    class Data(pptx_data.CategoryChartData):
        @property
        def _workbook_writer(self):
            return Writer(self)

    for d in [*defs, *(_awkward(d, n, seed) for d in defs for n, seed in ((3, 1), (17, 2), (40, 3)))]:
        data = Data(number_format=d.series[0].number_format)
        data.categories = chart_workbook.chart_categories(d)
        for name, values, number_format in chart_workbook.chart_columns(d):
            data.add_series(name, values, number_format)
        assert chart_workbook.chart_workbook(d) == data.xlsx_blob, d.key
        assert charts._chart_space_xml(d) == data.xml_bytes(XL_CHART_TYPE.BAR_CLUSTERED), d.key


# --- the Word document, read back ------------------------------------------------------------------

def test_chart_parts_with_their_workbooks(made, defs):
    package = Package(made)
    charts = package.charts()
    assert len(charts) == len(defs)
    for (doc_pr, name, chart, workbook), d in zip(charts, defs):
        assert package.content_type(name) == CHART_CT
        assert package.content_type(workbook) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert (doc_pr.get("title"), doc_pr.get("descr")) == (d.title, d.alt_text)
        sheet = openpyxl.load_workbook(io.BytesIO(package.parts[workbook])).active
        rows = list(sheet.iter_rows(values_only=True))
        assert [r[0] for r in rows[1:]] == list(d.categories)
        for col, s in enumerate(d.series, start=1):
            assert rows[0][col] == s.name
            assert tuple(r[col] for r in rows[1:]) == s.values
        # The chart's cached numbers are the workbook's.
        sers, _ = data_series(chart, d)
        for ser, s in zip(sers, d.series):
            cached = {int(p.get("idx")): float(p.find("c:v", NS).text) for p in ser.iterfind("c:val//c:pt", NS)}
            assert cached == {i: v for i, v in enumerate(s.values) if v is not None}


def test_colours_labels_font_and_axes(made, defs):
    for (_, _, chart, _), d in zip(Package(made).charts(), defs):
        d = d.as_drawn()  # the band tracks no row shows are left out
        sers, bands = data_series(chart, d)
        for ser, s in zip(sers, d.series):
            points = {int(p.find("c:idx", NS).get("val")): p.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val")
                      for p in ser.iterfind("c:dPt", NS)}
            assert points == dict(enumerate(s.colours))
            assert ser.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS).get("val") == INK
            formats = [lbl.find("c:numFmt", NS).get("formatCode") for lbl in ser.iterfind("c:dLbls/c:dLbl", NS)]
            name = f'"{s.short_name} "' if d.named_labels else ""
            assert formats == [name + s.number_format + (f'"{x}"' if x else "") for x in s.suffixes]
        assert [b.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for b in bands] == \
            [tint(b.colour) for b in reversed(d.bands)]
        assert [float(b.find("c:val//c:pt/c:v", NS).text) for b in bands] == [b.high for b in reversed(d.bands)]
        # First category at the top, and the value axis still at the bottom.
        assert {o.get("val") for o in chart.iterfind(".//c:catAx/c:scaling/c:orientation", NS)} == {"maxMin"}
        assert {c.get("val") for c in chart.iterfind(".//c:valAx/c:crosses", NS)} == {"max"}
        assert chart.find("c:txPr//a:latin", NS).get("typeface") == "Arial"
        legend = chart.find("c:chart/c:legend", NS)
        assert (legend is not None) == bool(d.bands or d.legend and not d.named_labels)
    statements = Package(made).charts()[0][2]
    assert statements.find(".//c:dLbl/c:numFmt", NS).get("formatCode") == '0"%"" Good"'
    # Every statement scores above 38%: the Inadequate band never shows, so neither it nor its legend entry is
    # drawn. The metrics chart names each bar in its label ("Rotherham 70.57%: better"), no legend.
    names = [ser.find("c:tx//c:v", NS).text for ser in statements.iterfind(".//c:ser", NS)]
    assert "Inadequate band (25\u201338%)" not in names and "Good band (63\u201387%)" in names
    metrics = Package(made).charts()[3][2]
    assert metrics.find("c:chart/c:legend", NS) is None
    labels = [ser.find("c:dLbls/c:dLbl/c:numFmt", NS).get("formatCode") for ser in metrics.iterfind(".//c:ser", NS)]
    assert labels == ['"Rotherham "0.00"%"": better"', '"England "0.00"%"']
    # Labels stay on one line: "57% Requires improvement" never wraps over the next band.
    assert {b.get("wrap") for b in statements.iterfind(".//c:dLbls//a:bodyPr", NS)} == {"none"}


def test_a_missing_value_is_named_in_its_category(example, tmp_path):
    result = example[0]
    statements = (dataclasses.replace(result.statements[0], pct=None, score=None),) + result.statements[1:]
    d = chart_definitions(dataclasses.replace(result, statements=statements))[0]
    assert d.series[0].labels[0] == "Not assessed"
    (_, _, chart, workbook), = Package(write([d], tmp_path / "one.docx")).charts()
    first = chart.find(".//c:ser/c:cat//c:pt/c:v", NS).text
    assert first == d.categories[0] + NOT_ASSESSED


def test_the_same_definitions_give_the_same_bytes(defs, made, tmp_path):
    time.sleep(2.1)  # past the zip format's two-second clock, so a time stamp anywhere would show
    again = write(defs, tmp_path / "again.docx")
    assert again.read_bytes() == made.read_bytes()
    package = Package(made)
    workbook = zipfile.ZipFile(io.BytesIO(package.parts[package.charts()[0][3]]))
    core = etree.fromstring(workbook.read("docProps/core.xml"))
    assert core.find("dcterms:created", NS).text == "2000-01-01T00:00:00Z"
    assert {i.date_time for i in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_passes_the_office_schemas(made):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(made))
    assert [str(e) for e in result.errors] == []


def test_passes_cqcdocs_check(made):
    assert check_file(made) == []


def test_libreoffice_draws_every_label(made, defs, to_pdf, pdf_text):
    text, _ = pdf_text(to_pdf(made))
    flat = " ".join(text.split())
    for d in defs:
        for s in d.series:
            for value, suffix in zip(s.values, s.suffixes):
                label = f"{value:.{s.decimals}f}%{suffix}"
                # LibreOffice wraps a long label ("57% Requires improvement") over two lines.
                assert label in flat or (len(label) > 20 and all(w in flat for w in label.split())), label
    for band in rating_bands():
        assert f"{band.label} band ({band.first}\u2013{band.last}%)" in flat


# --- cqcdocs check: the chart rules on hand-made bad files -----------------------------------------

@pytest.fixture
def one_chart(defs, tmp_path):
    return write(defs[1:2], tmp_path / "one.docx")


def test_a_series_without_a_name(one_chart):
    edit_part(one_chart, "word/charts/chart1.xml", lambda xml: re.sub(r"<c:tx>.*?</c:tx>", "", xml, count=1,
                                                                      flags=re.S))
    assert rules(one_chart) == [("docx-chart-series-name", "figure 1 (page-order 1st image)",
                                 "series 1 has no name (Chart Design > Select Data > Edit)")]


def test_a_chart_without_data_labels(one_chart):
    edit_part(one_chart, "word/charts/chart1.xml", lambda xml: re.sub(r"<c:dLbls>.*?</c:dLbls>", "", xml,
                                                                      flags=re.S))
    assert rules(one_chart) == [("docx-chart-labels", "figure 1 (page-order 1st image)",
                                 "no data labels or data table: the values are shown only by size or colour "
                                 "(Chart Design > Add Chart Element > Data Labels)")]


def test_a_data_table_is_enough(one_chart):
    def table_not_labels(xml):
        xml = re.sub(r"<c:dLbls>.*?</c:dLbls>", "", xml, flags=re.S)
        return xml.replace("<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>",
                           "<c:dTable><c:showHorzBorder val=\"1\"/></c:dTable>"
                           "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>")
    edit_part(one_chart, "word/charts/chart1.xml", table_not_labels)
    assert "<c:dTable>" in zipfile.ZipFile(one_chart).read("word/charts/chart1.xml").decode()
    assert rules(one_chart) == []


def test_a_chart_without_alt_text_needs_a_title(one_chart):
    edit_part(one_chart, "word/document.xml", lambda xml: re.sub(r' (descr|title)="[^"]*"', "", xml))
    assert rules(one_chart) == [("docx-alt-text", "figure 1 (page-order 1st image)", "no alt text")]
    edit_part(one_chart, "word/charts/chart1.xml", lambda xml: xml.replace(
        '<c:autoTitleDeleted val="1"/>', '<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>Theme scores</a:t>'
                                         '</a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
                                         '<c:autoTitleDeleted val="0"/>'))
    assert rules(one_chart) == []
