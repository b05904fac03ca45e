"""Native, editable Word charts from chart definitions: DrawingML chart parts with their data in an
embedded workbook, inline in a python-docx paragraph.

python-docx has no chart API. The series (with their cell references and caches) are written as
python-pptx's chart XML writer writes them, and the embedded workbook as XlsxWriter writes it for
python-pptx, byte for byte, by the small writers below; lxml arranges the rest: two axis groups for the
rating bands, per-point colours and labels, the house font, axes and legend. Word's "Edit data" opens the
embedded workbook. Why not python-pptx itself: importing it costs ~90 ms (it loads its whole package),
and its workbook writer ~7 ms a chart (a full XlsxWriter workbook), both on every briefing, for a
one-sheet table of strings and numbers; `tests/test_native_charts.py` compares both writers' output
with python-pptx's on the example's charts and on awkward input.

How the rating bands are shown: as shading behind the bars. Each row is a track from 0 to 100 %
shaded in a light tint of each band's palette colour, and the bar is drawn over it, so the band the bar
ends in (and how far it is from the next) can be seen; the legend names the bands with their ranges
("Good band (63–87%)"), and each bar's label says its value and rating in words. The four band series
(each reaching its band's upper edge, widest first, fully overlapped) sit on the primary axes and the
data on the secondary axes, which are drawn in front and share the 0–100 scale; the data series is left
out of the legend. Why not band lines: a chart cannot draw a line across a horizontal bar chart without
a scatter overlay, which Word and LibreOffice place differently; why not stacked bands with a thinner
bar (a bullet chart): LibreOffice applies the first group's grouping and gap width to every bar series,
so it would draw something else than Word. The tracks are native, editable (the band edges are columns
in the chart's data), and draw the same in both.

Data labels: each point's number format carries its words (`0"%"" Good"`), so the number stays live
from the workbook when an officer edits it; the words are fixed when the chart is written.

Deterministic: the embedded workbook's created date is fixed (XlsxWriter would stamp the current time
into docProps/core.xml), its zip entries are dated 1980-01-01, and nothing else in the output depends on
the clock, so the same definitions give the same bytes.
"""

from __future__ import annotations

from datetime import datetime

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from lxml import etree

from ...palette import INK, MUTED, contrast, tint
from ..chart_defs import FONT, FONT_PT, GAP, ChartDef, SeriesDef, format_literal
from .chart_workbook import XML_TEXT, FIXED_CREATED, chart_categories, column_letter, chart_columns, chart_workbook

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
C, A, R = f"{{{C_NS}}}", f"{{{A_NS}}}", f"{{{R_NS}}}"

WHITE = "FFFFFF"
EMU_PER_CM = 360000

# Axis ids: any distinct numbers; fixed so the output is the same every time.
PRIMARY = ("111111111", "222222222")
SECONDARY = ("333333333", "444444444")


def native_height_cm(chart: ChartDef) -> float:
    """A height at which every bar has room for its label at the house font size."""
    rows = len(chart.categories) * (len(chart.series) if chart.kind == "comparison" else 1)
    per_row = 0.4 if chart.kind == "comparison" else 0.9
    top = 1.6 if chart.legend or chart.bands else 0.6
    bottom = 1.6 + (0.9 if chart.note else 0)
    return round(max(chart.height_cm if chart.kind == "bar" else 0, top + bottom + per_row * rows), 2)


# --- the series, as python-pptx writes them ------------------------------------------------------------

def _pt_xml(values) -> str:
    return "".join(f'                <c:pt idx="{i}">\n                  <c:v>{value}</c:v>\n                </c:pt>\n'
                   for i, value in enumerate(values) if value is not None)


def _series_xml(chart: ChartDef) -> str:
    """Each column's c:ser: its name, the categories and its values, each with its sheet reference and
    cached values, as python-pptx's chart XML writer writes them (its whitespace too)."""
    categories = chart_categories(chart)
    rows = len(categories) + 1
    cat = ("          <c:cat>\n            <c:strRef>\n"
           f"              <c:f>Sheet1!$A$2:$A${rows}</c:f>\n              <c:strCache>\n"
           f'                <c:ptCount val="{len(categories)}"/>\n'
           + _pt_xml(str(c).translate(XML_TEXT) for c in categories)
           + "              </c:strCache>\n            </c:strRef>\n          </c:cat>\n")
    xml = ""
    for idx, (name, values, number_format) in enumerate(chart_columns(chart)):
        col = column_letter(idx + 2)
        xml += ("        <c:ser>\n"
                f'          <c:idx val="{idx}"/>\n          <c:order val="{idx}"/>\n'
                "          <c:tx>\n            <c:strRef>\n"
                f"              <c:f>Sheet1!${col}$1</c:f>\n              <c:strCache>\n"
                '                <c:ptCount val="1"/>\n                <c:pt idx="0">\n'
                f"                  <c:v>{name.translate(XML_TEXT)}</c:v>\n"
                "                </c:pt>\n              </c:strCache>\n            </c:strRef>\n          </c:tx>\n"
                + cat
                + "          <c:val>\n            <c:numRef>\n"
                f"              <c:f>Sheet1!${col}$2:${col}${len(values) + 1}</c:f>\n"
                f"              <c:numCache>\n                <c:formatCode>{number_format}</c:formatCode>\n"
                f'                <c:ptCount val="{len(values)}"/>\n'
                + _pt_xml(values)
                + "              </c:numCache>\n            </c:numRef>\n          </c:val>\n        </c:ser>\n")
    return xml


def _chart_space_xml(chart: ChartDef) -> bytes:
    """The clustered bar chart python-pptx writes for the chart's data (c:chart is rebuilt around its series)."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">\n'
            '  <c:date1904 val="0"/>\n  <c:chart>\n    <c:autoTitleDeleted val="0"/>\n    <c:plotArea>\n'
            '      <c:barChart>\n        <c:barDir val="bar"/>\n        <c:grouping val="clustered"/>\n'
            + _series_xml(chart)
            + '        <c:axId val="-2068027336"/>\n        <c:axId val="-2113994440"/>\n      </c:barChart>\n'
            '      <c:catAx>\n        <c:axId val="-2068027336"/>\n        <c:scaling>\n'
            '          <c:orientation val="minMax"/>\n        </c:scaling>\n        <c:delete val="0"/>\n'
            '        <c:axPos val="l"/>\n        <c:majorTickMark val="out"/>\n'
            '        <c:minorTickMark val="none"/>\n        <c:tickLblPos val="nextTo"/>\n'
            '        <c:crossAx val="-2113994440"/>\n        <c:crosses val="autoZero"/>\n'
            '        <c:auto val="1"/>\n        <c:lblAlgn val="ctr"/>\n        <c:lblOffset val="100"/>\n'
            '        <c:noMultiLvlLbl val="0"/>\n      </c:catAx>\n      <c:valAx>\n'
            '        <c:axId val="-2113994440"/>\n        <c:scaling/>\n        <c:delete val="0"/>\n'
            '        <c:axPos val="b"/>\n        <c:majorGridlines/>\n        <c:majorTickMark val="out"/>\n'
            '        <c:minorTickMark val="none"/>\n        <c:tickLblPos val="nextTo"/>\n'
            '        <c:crossAx val="-2068027336"/>\n        <c:crosses val="autoZero"/>\n      </c:valAx>\n'
            '    </c:plotArea>\n    <c:dispBlanksAs val="gap"/>\n  </c:chart>\n  <c:txPr>\n    <a:bodyPr/>\n'
            '    <a:lstStyle/>\n    <a:p>\n      <a:pPr>\n        <a:defRPr sz="1800"/>\n      </a:pPr>\n'
            '      <a:endParaRPr lang="en-US"/>\n    </a:p>\n  </c:txPr>\n</c:chartSpace>\n').encode("utf-8")


# --- chart XML -----------------------------------------------------------------------------------------

def _el(parent, tag: str, val=None, **attrs):
    """A c: (or a:, with "a:" prefix) child element, appended; VAL becomes the val attribute."""
    ns = A if tag.startswith("a:") else C
    element = etree.SubElement(parent, ns + tag.removeprefix("a:"))
    if val is not None:
        element.set("val", str(val))
    for key, value in attrs.items():
        element.set(key, str(value))
    return element


def _fill(parent, colour: str) -> None:
    _el(_el(parent, "a:solidFill"), "a:srgbClr", colour)


def _sp_pr(parent, fill: str | None = None, line: str | None = None, line_pt: float = 0.75, dash: str = ""):
    sp = _el(parent, "spPr")
    if fill:
        _fill(sp, fill)
    else:
        _el(sp, "a:noFill")
    ln = _el(sp, "a:ln", w=int(line_pt * 12700)) if line else _el(sp, "a:ln")
    if line:
        _fill(ln, line)
        if dash:
            _el(ln, "a:prstDash", dash)
    else:
        _el(ln, "a:noFill")
    return sp


def _tx_pr(parent, size_pt: float = FONT_PT, bold: bool = False, colour: str = INK, rotate: int | None = None,
           wrap: bool = True):
    """c:txPr: the house font, size and colour (Word otherwise falls back to Calibri, LibreOffice to serif);
    WRAP False keeps a label on one line (a wrapped one spills over the next band)."""
    tx = _el(parent, "txPr")
    body = _el(tx, "a:bodyPr")
    if not wrap:
        body.set("wrap", "none")
    if rotate is not None:
        body.set("rot", str(rotate))
        body.set("vert", "horz")
    _el(tx, "a:lstStyle")
    p = _el(tx, "a:p")
    rpr = _el(_el(p, "a:pPr"), "a:defRPr", sz=int(size_pt * 100), b=int(bold))
    _fill(rpr, colour)
    for script in ("a:latin", "a:cs"):
        _el(rpr, script, typeface=FONT)
    _el(p, "a:endParaRPr", lang="en-GB")
    return tx


def _rich(parent, paragraphs: list[str], size_pt: float = FONT_PT, rotate: int | None = None):
    """c:tx/c:rich with one paragraph per string, in the house font."""
    rich = _el(_el(parent, "tx"), "rich")
    body = _el(rich, "a:bodyPr")
    if rotate is not None:
        body.set("rot", str(rotate))
        body.set("vert", "horz")
    _el(rich, "a:lstStyle")
    for text in paragraphs:
        p = _el(rich, "a:p")
        rpr = _el(_el(p, "a:pPr"), "a:defRPr", sz=int(size_pt * 100), b=0)
        _fill(rpr, INK)
        r = _el(p, "a:r")
        rpr = _el(r, "a:rPr", lang="en-GB", sz=int(size_pt * 100), b=0)
        _fill(rpr, INK)
        for script in ("a:latin", "a:cs"):
            _el(rpr, script, typeface=FONT)
        _el(r, "a:t").text = text
    return rich


def _shows(parent, value: bool) -> None:
    for tag, on in (("showLegendKey", False), ("showVal", value), ("showCatName", False), ("showSerName", False),
                    ("showPercent", False), ("showBubbleSize", False)):
        _el(parent, tag, int(on))


def _data_labels(ser, series: SeriesDef, stacked: bool = False, named: bool = False) -> None:
    """Each point's value and words at the end of its bar, on one line and on white so band edges never cut the
    text (NAMED: the series' short name first, in place of a legend); in a stacked bar, inside its segment in the
    text colour that reads on its fill, and none on an empty one."""
    labels = etree.Element(C + "dLbls")
    position, fill = ("ctr", None) if stacked else ("outEnd", WHITE)
    prefix = format_literal(f"{series.short_name or series.name} ") if named else ""
    for i, (value, suffix) in enumerate(zip(series.values, series.suffixes)):
        if value is None:
            continue
        label = _el(labels, "dLbl")
        _el(label, "idx", i)
        if stacked and not value:
            _el(label, "delete", 1)
            continue
        _el(label, "numFmt", formatCode=prefix + series.number_format + format_literal(suffix), sourceLinked=0)
        _sp_pr(label, fill)
        _tx_pr(label, colour=_readable_on(series.colours[i]) if stacked else INK, wrap=stacked)
        _el(label, "dLblPos", position)
        _shows(label, True)
    _el(labels, "numFmt", formatCode=prefix + series.number_format, sourceLinked=0)
    _sp_pr(labels, fill)
    _tx_pr(labels, colour=_readable_on(series.colours[0]) if stacked else INK, wrap=stacked)
    _el(labels, "dLblPos", position)
    _shows(labels, True)
    ser.find(C + "cat").addprevious(labels)


def _readable_on(fill: str) -> str:
    """White or ink, whichever contrasts more with FILL."""
    return WHITE if contrast(WHITE, fill) > contrast(INK, fill) else INK


def _style_series(ser, series: SeriesDef, stacked: bool = False, named: bool = False) -> None:
    """Fill and outline, a colour per point from the definition (the palette), and the data labels."""
    tx = ser.find(C + "tx")
    sp = _sp_pr(etree.Element(C + "spPr"), series.colours[0], series.outline, 0.5)
    tx.addnext(sp)
    invert = etree.Element(C + "invertIfNegative")
    invert.set("val", "0")
    sp.addnext(invert)
    anchor = invert
    for i, colour in enumerate(series.colours):
        if series.values[i] is None:
            continue
        point = etree.Element(C + "dPt")
        _el(point, "idx", i)
        _el(point, "invertIfNegative", 0)
        _el(point, "bubble3D", 0)
        _sp_pr(point, colour, series.outline, 0.5)
        anchor.addnext(point)
        anchor = point
    _data_labels(ser, series, stacked, named)


def _style_band(ser, colour: str) -> None:
    tx = ser.find(C + "tx")
    sp = _sp_pr(etree.Element(C + "spPr"), tint(colour))
    tx.addnext(sp)
    invert = etree.Element(C + "invertIfNegative")
    invert.set("val", "0")
    sp.addnext(invert)


def _bar_chart(plot, grouping: str, series: list, gap: int, overlap: int, axes: tuple[str, str]):
    chart = _el(plot, "barChart")
    _el(chart, "barDir", "bar")
    _el(chart, "grouping", grouping)
    _el(chart, "varyColors", 0)
    for ser in series:
        chart.append(ser)
    _el(chart, "gapWidth", gap)
    _el(chart, "overlap", overlap)
    for axis in axes:
        _el(chart, "axId", axis)
    return chart


def _category_axis(plot, ids: tuple[str, str], visible: bool) -> None:
    ax = _el(plot, "catAx")
    _el(ax, "axId", ids[0])
    # Reversed, so the first category is at the top, as it is read (and as the tables list them).
    _el(_el(ax, "scaling"), "orientation", "maxMin")
    _el(ax, "delete", int(not visible))
    _el(ax, "axPos", "l")
    _el(ax, "numFmt", formatCode="General", sourceLinked=1)
    _el(ax, "majorTickMark", "none")
    _el(ax, "minorTickMark", "none")
    _el(ax, "tickLblPos", "nextTo")
    _sp_pr(ax, None, MUTED, 0.75)
    _tx_pr(ax)
    _el(ax, "crossAx", ids[1])
    _el(ax, "crosses", "autoZero")
    _el(ax, "auto", 1)
    _el(ax, "lblAlgn", "ctr")
    _el(ax, "lblOffset", 100)
    _el(ax, "noMultiLvlLbl", 0)


def _value_axis(plot, chart: ChartDef, ids: tuple[str, str], visible: bool) -> None:
    axis = chart.value_axis
    ax = _el(plot, "valAx")
    _el(ax, "axId", ids[1])
    scaling = _el(ax, "scaling")
    _el(scaling, "orientation", "minMax")
    _el(scaling, "max", f"{axis.maximum:g}")
    _el(scaling, "min", f"{axis.minimum:g}")
    _el(ax, "delete", int(not visible))
    _el(ax, "axPos", "b")
    if visible:
        title = _el(ax, "title")
        _rich(title, [axis.title] + ([chart.note] if chart.note else []))
        _el(title, "overlay", 0)
    _el(ax, "numFmt", formatCode=axis.number_format, sourceLinked=0)
    _el(ax, "majorTickMark", "out")
    _el(ax, "minorTickMark", "none")
    _el(ax, "tickLblPos", "nextTo")
    _sp_pr(ax, None, MUTED, 0.75)
    _tx_pr(ax)
    _el(ax, "crossAx", ids[0])
    # The category axis is reversed; crossing at its maximum keeps this axis at the bottom, under the
    # last bar, instead of jumping to the top.
    _el(ax, "crosses", "max")
    _el(ax, "crossBetween", "between")
    _el(ax, "majorUnit", f"{axis.major_unit:g}")


def _legend(chart_el, hidden: list[int]) -> None:
    legend = _el(chart_el, "legend")
    _el(legend, "legendPos", "t")
    for idx in hidden:
        entry = _el(legend, "legendEntry")
        _el(entry, "idx", idx)
        _el(entry, "delete", 1)
    _el(legend, "overlay", 0)
    _tx_pr(legend)


def chart_xml(chart: ChartDef, workbook_rid: str, created: datetime = FIXED_CREATED) -> etree._Element:
    """The c:chartSpace for CHART, its data in the workbook related as WORKBOOK_RID."""
    space = etree.fromstring(_chart_space_xml(chart))
    written = space.findall(f"{C}chart/{C}plotArea/{C}barChart/{C}ser")
    n = len(chart.series)
    series, bands = written[:n], written[n:]
    stacked = chart.kind == "stacked"  # one bar per category, a segment per series
    for ser, s in zip(series, chart.series):
        _style_series(ser, s, stacked, chart.named_labels)
    for ser, band in zip(bands, reversed(chart.bands)):
        _style_band(ser, band.colour)

    # Rebuild c:chart around python-pptx's series, in schema order. The old c:chart is removed only once its
    # series have moved: moving them out of a detached subtree (another document, to lxml) re-homes every
    # node's namespace one by one, which grew with the square of the series' points (benchmark councils).
    old = space.find(C + "chart")
    chart_el = etree.Element(C + "chart")
    old.addprevious(chart_el)
    _el(chart_el, "autoTitleDeleted", 1)  # the caption under the chart is its title
    plot = _el(chart_el, "plotArea")
    _el(plot, "layout")
    if bands:
        # Bands behind (primary axes, overlapping fully), the data in front (secondary axes). Not stacked,
        # and one gap width for both: LibreOffice applies the first group's grouping and gap width to every
        # bar series in a chart, so anything else would draw differently there and in Word.
        _bar_chart(plot, "clustered", bands, GAP, 100, PRIMARY)
        _bar_chart(plot, "clustered", series, GAP, 0, SECONDARY)
        _category_axis(plot, PRIMARY, True)
        _value_axis(plot, chart, PRIMARY, True)
        _category_axis(plot, SECONDARY, False)
        _value_axis(plot, chart, SECONDARY, False)
    else:
        _bar_chart(plot, "stacked" if stacked else "clustered", series, GAP, 100 if stacked else 0, PRIMARY)
        _category_axis(plot, PRIMARY, True)
        _value_axis(plot, chart, PRIMARY, True)
    _sp_pr(plot)
    if bands:
        _legend(chart_el, list(range(n)))  # the bands only: the bars' labels say the rest
    elif chart.legend and not chart.named_labels:
        _legend(chart_el, [])
    _el(chart_el, "plotVisOnly", 1)
    _el(chart_el, "dispBlanksAs", "gap")
    space.remove(old)

    # c:chartSpace: English (UK), square corners, no border, white, the house font, then the workbook.
    date1904 = space.find(C + "date1904")
    lang = etree.Element(C + "lang")
    lang.set("val", "en-GB")
    date1904.addnext(lang)
    corners = etree.Element(C + "roundedCorners")
    corners.set("val", "0")
    lang.addnext(corners)
    old_tx = space.find(C + "txPr")
    if old_tx is not None:
        space.remove(old_tx)
    _sp_pr(space, WHITE)
    _tx_pr(space)
    external = _el(space, "externalData")
    external.set(R + "id", workbook_rid)
    _el(external, "autoUpdate", 0)
    return space


# --- into the document -------------------------------------------------------------------------------

def add_native_chart(paragraph, chart: ChartDef, width_cm: float | None = None, height_cm: float | None = None,
                     *, created: datetime = FIXED_CREATED):
    """Insert CHART as a native Word chart at the end of PARAGRAPH (a python-docx Paragraph), with its title
    and alt text on wp:docPr; returns the wp:inline element. The chart part is related from the paragraph's
    part, the embedded workbook from the chart part. CREATED dates the embedded workbook."""
    story = paragraph.part
    package = story.package
    chart = chart.as_drawn()
    width_cm = width_cm or chart.width_cm
    height_cm = height_cm or native_height_cm(chart)

    workbook = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT.SML_SHEET,
                    chart_workbook(chart, created), package)
    chart_part = XmlPart(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART,
                         etree.Element(C + "chartSpace"), package)
    rid = chart_part.relate_to(workbook, RT.PACKAGE)
    chart_part._element = chart_xml(chart, rid, created)
    chart_rid = story.relate_to(chart_part, RT.CHART)

    shape_id = story.next_id
    inline = etree.fromstring(
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" xmlns:wp="{WP_NS}" xmlns:a="{A_NS}" '
        f'xmlns:c="{C_NS}" xmlns:r="{R_NS}">'
        f'<wp:extent cx="{round(width_cm * EMU_PER_CM)}" cy="{round(height_cm * EMU_PER_CM)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart r:id="{chart_rid}"/></a:graphicData></a:graphic>'
        '</wp:inline>')
    doc_pr = inline.find(f"{{{WP_NS}}}docPr")
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", f"Chart {shape_id}")
    doc_pr.set("descr", chart.alt_text)
    doc_pr.set("title", chart.title)
    run = paragraph.add_run()
    drawing = run._r.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}drawing", {})
    run._r.append(drawing)
    drawing.append(inline)
    return inline
