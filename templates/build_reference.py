"""Build the reference template (src/cqcdocs/resources/reference.docx), the briefing's default styles, from
python-docx's own default template.

The styles live here as code so they can be reviewed; the .docx is a build product kept in the repo (and
shipped in the wheel) so a council can open it in Word, restyle it and pass it back with --template. Run
from the repository root:

    python templates/build_reference.py [OUT.docx]

The output is byte-for-byte the same on every run (fixed timestamps, fixed zip entry dates).
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, UTC
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

ROOT = Path(__file__).resolve().parent.parent
try:
    import cqcdocs  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))
from cqcdocs.palette import ACCENT, INK, MUTED
from cqcdocs.render.page import MARGIN_CM, PAGE_HEIGHT_CM, PAGE_WIDTH_CM
from cqcdocs.render.word.package import deterministic_zip
from cqcdocs.render.word.template import LANG, set_language

FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)

# name: (size pt, bold, colour, space before pt, space after pt, keep with next)
PARAGRAPH_STYLES = {
    "Normal": (11, None, INK, 0, 6, False),
    "Title": (24, True, ACCENT, 0, 12, True),
    "Heading 1": (16, True, ACCENT, 18, 6, True),
    "Heading 2": (13, True, ACCENT, 12, 4, True),
    "Heading 3": (11.5, True, ACCENT, 10, 3, True),
    "TOC Heading": (16, True, ACCENT, 18, 6, True),
    "List Bullet": (None, None, None, 0, 4, False),
    "List Number": (None, None, None, 0, 4, False),
    "Caption": (10, True, INK, 4, 10, False),
    "Header": (9, False, MUTED, 0, 0, False),
    "Footer": (9, False, MUTED, 0, 0, False),
}
A4_WIDTH, A4_HEIGHT, MARGIN = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM), Cm(MARGIN_CM)


def _set(parent, tag: str, **attrs: str):
    """Get or append the child `tag` of `parent` and set its w: attributes."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), value)
    return child


def set_fonts(rpr) -> None:
    """One explicit font for every script; theme font attributes would override it in Word."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)


def _rpr(style):
    return style.element.get_or_add_rPr()


def style_paragraphs(document) -> None:
    for name, (size, bold, colour, before, after, keep) in PARAGRAPH_STYLES.items():
        style = document.styles[name]
        rpr = _rpr(style)
        set_fonts(rpr)
        font, fmt = style.font, style.paragraph_format
        if size is not None:
            font.size = docx.shared.Pt(size)
            _set(rpr, "w:szCs", val=str(int(size * 2)))
        if bold is not None:
            font.bold = bold
        if colour is not None:
            font.color.rgb = docx.shared.RGBColor.from_string(colour)
            colour_el = rpr.find(qn("w:color"))
            for attr in ("themeColor", "themeShade", "themeTint"):
                colour_el.attrib.pop(qn(f"w:{attr}"), None)
        fmt.space_before = docx.shared.Pt(before)
        fmt.space_after = docx.shared.Pt(after)
        if keep:
            fmt.keep_with_next = True
        if name == "Normal":
            set_language(rpr, east_asia=True)
            fmt.line_spacing = 1.15
        if name == "Title":
            # The default Title has a theme-coloured rule beneath; make it the accent colour.
            bottom = style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
            bottom.set(qn("w:color"), ACCENT)
            for attr in ("themeColor", "themeShade", "themeTint"):
                bottom.attrib.pop(qn(f"w:{attr}"), None)
            for tag in ("w:spacing", "w:kern"):
                el = rpr.find(qn(tag))
                if el is not None:
                    rpr.remove(el)
        if name.startswith("Heading") or name == "TOC Heading":
            fmt.keep_together = True
        if name in ("Header", "Footer"):
            # Tab stops for A4 with 2 cm margins: centre 8.5 cm, right 17 cm.
            tabs = style.element.pPr.find(qn("w:tabs"))
            tabs.getparent().remove(tabs)
            fmt.tab_stops.add_tab_stop(Cm(8.5), docx.enum.text.WD_TAB_ALIGNMENT.CENTER)
            fmt.tab_stops.add_tab_stop(Cm(17), docx.enum.text.WD_TAB_ALIGNMENT.RIGHT)


def sweep_theme_formatting(document) -> None:
    """Every other style: Arial, and the accent colour where the default used a theme colour.

    The default template's theme blue (4F81BD) is only 4:1 on white, below WCAG AA for normal text.
    """
    for style in document.styles.element.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is None:
            continue
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None and any("Theme" in key for key in fonts.attrib):
            set_fonts(rpr)
        colour = rpr.find(qn("w:color"))
        if colour is not None and colour.get(qn("w:themeColor")):
            colour.set(qn("w:val"), ACCENT)
            for attr in ("themeColor", "themeShade", "themeTint"):
                colour.attrib.pop(qn(f"w:{attr}"), None)


def drop_unused_table_styles(document) -> None:
    """Keep only Table Grid (and the Normal Table it is based on): the default template's 100-odd
    themed table styles use low-contrast theme colours, and Word offers its built-in ones anyway."""
    keep = {"TableNormal", "TableGrid"}
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in keep:
            root.remove(style)


def style_table_grid(document) -> None:
    """Table Grid: mid-grey rules, a little cell padding, no space after paragraphs in cells."""
    tbl_pr = document.styles["Table Grid"].element.find(qn("w:tblPr"))
    for edge in tbl_pr.find(qn("w:tblBorders")):
        edge.set(qn("w:color"), "808080")
    margins = tbl_pr.find(qn("w:tblCellMar"))
    for edge in ("top", "bottom"):
        margins.find(qn(f"w:{edge}")).set(qn("w:w"), "45")
    for edge in ("left", "right"):
        margins.find(qn(f"w:{edge}")).set(qn("w:w"), "85")


def set_defaults(document) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr)
    set_language(rpr, east_asia=True)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _set(ppr, "w:spacing", after="120", line="276", lineRule="auto")


def set_page(document) -> None:
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4_WIDTH, A4_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1)


def clean_package(document) -> None:
    """Drop the default template's thumbnail and its Word 2010 duplicate of the styles."""
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.rels.pop(rid)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = "cqcdocs briefing styles", "cqcdocs", "cqcdocs"
    props.comments = "Generated by templates/build_reference.py; restyle in Word and pass with --template."
    props.language = LANG
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1


def build() -> bytes:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    set_defaults(document)
    style_paragraphs(document)
    sweep_theme_formatting(document)
    drop_unused_table_styles(document)
    style_table_grid(document)
    set_page(document)
    clean_package(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic_zip(buffer.getvalue())


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "src" / "cqcdocs" / "resources" / "reference.docx"
    out.write_bytes(build())
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv)
