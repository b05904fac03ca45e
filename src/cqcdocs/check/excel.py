"""The Excel rules: title, sheet names, charts' titles and alt text, images, tables."""

from __future__ import annotations

import re

from lxml import etree

from .shared import NS, R_ID, Problem, alt_text_problem, has_chart_title, Package, to_problems


def _cells(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D9' → (min col, min row, max col, max row); None if unreadable."""
    corners = []
    for cell in (ref or "").split(":"):
        m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", cell.strip().upper())
        if not m:
            return None
        col = 0
        for ch in m[1]:
            col = col * 26 + ord(ch) - 64
        corners.append((col, int(m[2])))
    (c1, r1), (c2, r2) = corners[0], corners[-1]
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


def _overlap(x: str, y: str) -> bool:
    a, b = _cells(x), _cells(y)
    return a is not None and b is not None and not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _xlsx_sheet(pkg: Package, part: str, where: str):
    sheet = pkg.xml(part)
    if sheet is None:
        return
    sheet_rels = pkg.rels(part)
    merged = [m.get("ref") for m in sheet.findall("x:mergeCells/x:mergeCell", NS)]
    for t in sheet.findall("x:tableParts/x:tablePart", NS):
        table = pkg.xml(sheet_rels.get(t.get(R_ID)))
        if table is None:
            continue
        label = f"{where} table {table.get('displayName') or table.get('name')!r}"
        if table.get("headerRowCount") == "0":
            yield "xlsx-table-header", label, "table has no header row"
        for ref in merged:
            if _overlap(ref, table.get("ref")):
                yield "xlsx-merged-cells", label, f"merged cells {ref} inside the table"
    charts = images = 0  # numbered per sheet, in drawing order
    for d in sheet.findall("x:drawing", NS):
        drawing_part = sheet_rels.get(d.get(R_ID))
        drawing = pkg.xml(drawing_part)
        if drawing is None:
            continue
        drawing_rels = pkg.rels(drawing_part)
        for item in drawing.iter(f"{{{NS['xdr']}}}graphicFrame", f"{{{NS['xdr']}}}pic"):
            if item.tag.endswith("}pic"):
                images += 1
                if found := alt_text_problem(item.find("xdr:nvPicPr/xdr:cNvPr", NS)):
                    yield "xlsx-image-alt-text", f"{where} image {images}", found[1], found[0]
                continue
            chart_ref = next((e for e in item.iter() if etree.QName(e).localname == "chart" and e.get(R_ID)), None)
            if chart_ref is None:
                continue
            charts += 1
            label = f"{where} chart {charts}"
            if not has_chart_title(pkg.xml(drawing_rels.get(chart_ref.get(R_ID)))):
                yield "xlsx-chart-title", label, "chart has no title (Chart Design > Add Chart Element > Chart Title)"
            if found := alt_text_problem(item.find("xdr:nvGraphicFramePr/xdr:cNvPr", NS)):
                yield "xlsx-chart-alt-text", label, found[1], found[0]


def check_xlsx(name: str, pkg: Package, lang: str) -> list[Problem]:
    workbook = pkg.xml("xl/workbook.xml")
    if workbook is None:
        return [Problem(name, "file-readable", "error", "file", "no xl/workbook.xml: not an Excel workbook")]
    found = []
    if not pkg.title():
        found.append(("xlsx-title", "properties", "workbook title is not set (File > Info > Properties > Title)"))
    rels = pkg.rels("xl/workbook.xml")
    for sheet in workbook.findall("x:sheets/x:sheet", NS):
        where = f"sheet {sheet.get('name')!r}"
        if re.fullmatch(r"sheet\d+", sheet.get("name") or "", re.I):
            found.append(("xlsx-sheet-names", where, "sheet has a default name: name it for what it holds"))
        if part := rels.get(sheet.get(R_ID)):
            found += _xlsx_sheet(pkg, part, where)
    return to_problems(name, found)


