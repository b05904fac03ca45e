"""The embedded workbook behind a native Word chart ("Edit data" in Word opens it): the chart's data as a
one-sheet .xlsx, byte for byte as python-pptx has XlsxWriter write it, without importing either (python-pptx
costs ~90 ms to import; its writer ~7 ms a chart). A test compares the bytes with python-pptx's."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from ..chart_defs import ChartDef

FIXED_CREATED = datetime(2000, 1, 1)
NOT_ASSESSED = " (not assessed)"


def chart_categories(chart: ChartDef) -> list[str]:
    """Category names; a category with no value anywhere says so (an empty bar would carry no label)."""
    return [name + NOT_ASSESSED if all(s.values[i] is None for s in chart.series) else name
            for i, name in enumerate(chart.categories)]


def chart_columns(chart: ChartDef) -> list[tuple[str, list, str]]:
    """The chart's data columns after the categories: (name, values, number format) for the definition's
    series, then one per band. Widest band first: each band series reaches its band's upper edge, and the
    later, shorter ones are drawn over it, which leaves each band's own colour from its lower to its upper
    edge."""
    columns = [(s.name, list(s.values), s.number_format) for s in chart.series]
    columns += [(band.legend_name, [band.high] * len(chart.categories), "0.0") for band in reversed(chart.bands)]
    return columns


def column_letter(number: int) -> str:
    """Excel's column name for column NUMBER (1 is A), as XlsxWriter names it."""
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(number - 1)


_CONTROL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_ATTRIBUTE = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\n": "&#xA;"})
XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_OFFICE = "application/vnd.openxmlformats-officedocument."


def _shared_string(text: str) -> str:
    """An sst <si> as XlsxWriter writes it: control characters as _xHHHH_, leading or trailing space kept."""
    text = _CONTROL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<si><t{space}>{text.translate(XML_TEXT)}</t></si>"


def _workbook_parts(chart: ChartDef, created: datetime) -> list[tuple[str, str]]:
    """The chart's data as a one-sheet workbook's parts, in XlsxWriter's order and with its XML, as
    python-pptx has XlsxWriter write it: categories in column A from row 2, each series' name in row 1
    and its values beneath, column A 60 wide and the rest 24, dated CREATED and titled "Chart data"."""
    categories, columns = chart_categories(chart), chart_columns(chart)
    strings, uses, xfs, custom = _numbering(categories, columns)
    sheet = _sheet_xml(categories, columns, strings.__getitem__, xfs)
    shared = (f'{_HEAD}<sst xmlns="{_MAIN}" count="{uses}" uniqueCount="{len(strings)}">'
              f'{"".join(_shared_string(s) for s in strings)}</sst>')
    return _package_parts(sheet, shared, _styles_xml(xfs, custom), created)


def _numbering(categories: list[str], columns) -> tuple[dict[str, int], int, dict[str, int], dict[str, int]]:
    """Shared strings, numbered as they are written (the categories, then each series' name; an empty string
    is a blank cell, kept only for its format), and the cell formats, numbered as XlsxWriter numbers them."""
    written = [c for c in categories if c] + [name for name, _, _ in columns if name]
    strings: dict[str, int] = {}
    for text in written:
        strings.setdefault(text, len(strings))
    # Cell formats: XlsxWriter numbers them in the order the cells are written (row by row, the first data
    # row holding one cell of each), the default first, equal formats shared.
    xfs = {"General": 1}
    for _, _, number_format in columns:
        xfs.setdefault(number_format, len(xfs) + 1)
    custom: dict[str, int] = {}
    for number_format in xfs:
        if number_format not in ("General", "0"):
            custom.setdefault(number_format, 164 + len(custom))
    return strings, len(written), xfs, custom


def _sheet_xml(categories: list[str], columns, sst, xfs: dict[str, int]) -> str:
    """The one worksheet: names in row 1, categories in column A, values beneath their series' names."""
    def cells(row: int) -> list[str]:
        if row == 0:
            return [f'<c r="{column_letter(c + 2)}1" t="s"><v>{sst(name)}</v></c>'
                    for c, (name, _, _) in enumerate(columns) if name]
        name = categories[row - 1]
        out = [f'<c r="A{row + 1}" s="1" t="s"><v>{sst(name)}</v></c>' if name else f'<c r="A{row + 1}" s="1"/>']
        for c, (_, values, number_format) in enumerate(columns):
            ref, value = f"{column_letter(c + 2)}{row + 1}", values[row - 1]
            style = xfs[number_format]
            out.append(f'<c r="{ref}" s="{style}"/>' if value is None else
                       f'<c r="{ref}" s="{style}"><v>{value:.16G}</v></c>')
        return out

    rows = [cells(row) for row in range(len(categories) + 1)]
    # The spans attribute: the first and last column used in each block of 16 rows.
    spans = {}
    for row in range(len(rows)):
        first = 1 if row else 2
        low, high = spans.get(row // 16, (first, len(columns) + 1))
        spans[row // 16] = (min(low, first), high)
    last = column_letter(len(columns) + 1)
    sheet_data = "".join(f'<row r="{row + 1}" spans="{spans[row // 16][0]}:{spans[row // 16][1]}">'
                         f'{"".join(row_cells)}</row>' for row, row_cells in enumerate(rows))
    widths = '<col min="1" max="1" width="60.7109375" customWidth="1"/>'
    if columns:
        widths += (f'<col min="2" max="{len(columns) + 1}" width="24.7109375" customWidth="1"/>')
    sheet = (f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><dimension ref="A1:{last}{len(rows)}"/>'
             '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
             f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>{sheet_data}</sheetData>'
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return sheet


def _styles_xml(xfs: dict[str, int], custom: dict[str, int]) -> str:
    """XlsxWriter's default styles, with the number formats the values use."""
    num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{f.translate(_ATTRIBUTE)}"/>' for f, i in custom.items())
    xf_list = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for number_format in xfs:
        index = 0 if number_format == "General" else 1 if number_format == "0" else custom[number_format]
        apply = ' applyNumberFormat="1"' if index else ""
        xf_list.append(f'<xf numFmtId="{index}" fontId="0" fillId="0" borderId="0" xfId="0"{apply}/>')
    styles = (f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
              + (f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "")
              + '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
              '<scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
              '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
              '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" '
              f'fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{len(xf_list)}">{"".join(xf_list)}'
              '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
              '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
              'defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
    return styles


def _package_parts(sheet: str, shared: str, styles: str, created: datetime) -> list[tuple[str, str]]:
    """The workbook's parts around its sheet, shared strings and styles, in XlsxWriter's order."""
    from xlsxwriter.theme import THEME_XML_2007

    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    overrides = [("/docProps/app.xml", _CT_OFFICE + "extended-properties+xml"),
                 ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
                 ("/xl/styles.xml", _CT_OFFICE + "spreadsheetml.styles+xml"),
                 ("/xl/theme/theme1.xml", _CT_OFFICE + "theme+xml"),
                 ("/xl/workbook.xml", _CT_OFFICE + "spreadsheetml.sheet.main+xml"),
                 ("/xl/worksheets/sheet1.xml", _CT_OFFICE + "spreadsheetml.worksheet+xml"),
                 ("/xl/sharedStrings.xml", _CT_OFFICE + "spreadsheetml.sharedStrings+xml")]
    content_types = (f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
                     '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                     + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides) + "</Types>")

    def rels(*targets: tuple[str, str]) -> str:
        return (f'{_HEAD}<Relationships xmlns="{_PKG_RELS}">'
                + "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                          for i, (kind, target) in enumerate(targets, start=1)) + "</Relationships>")

    return [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels((f"{_DOC_RELS}/officeDocument", "xl/workbook.xml"),
                             (f"{_PKG_RELS}/metadata/core-properties", "docProps/core.xml"),
                             (f"{_DOC_RELS}/extended-properties", "docProps/app.xml"))),
        ("xl/_rels/workbook.xml.rels", rels((f"{_DOC_RELS}/worksheet", "worksheets/sheet1.xml"),
                                            (f"{_DOC_RELS}/theme", "theme/theme1.xml"),
                                            (f"{_DOC_RELS}/styles", "styles.xml"),
                                            (f"{_DOC_RELS}/sharedStrings", "sharedStrings.xml"))),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/workbook.xml", f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><fileVersion appName="xl" '
                            'lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/>'
                            '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" '
                            'windowHeight="9660"/></bookViews><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
                            '</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'),
        ("xl/sharedStrings.xml", shared),
        ("xl/styles.xml", styles),
        ("xl/theme/theme1.xml", THEME_XML_2007),
        ("docProps/core.xml", f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                              'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                              'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
                              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Chart data</dc:title>'
                              '<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dcterms:created '
                              f'xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created><dcterms:modified '
                              f'xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'),
        ("docProps/app.xml", f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                             'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
                             'docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
                             '<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant">'
                             '<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4>'
                             '</vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" '
                             'baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts><Company>'
                             '</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
                             '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>'
                             '</Properties>'),
    ]


def chart_workbook(chart: ChartDef, created: datetime = FIXED_CREATED) -> bytes:
    """The embedded workbook behind CHART ("Edit data" in Word opens it): the bytes XlsxWriter gives."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, xml in _workbook_parts(chart, created):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml.encode("utf-8"))
    return out.getvalue()


