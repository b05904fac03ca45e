"""The Word template: opened and checked for the styles the briefing needs, then emptied and set up as
portrait A4 in UK English. The default is the reference template shipped inside the package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from ...errors import TemplateError
from ...files import Unreadable, display_name, package_too_big, read_regular
from ...resources import REFERENCE_DOCX
from ..page import MARGIN_CM, PAGE_HEIGHT_CM, PAGE_WIDTH_CM

REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number",
                   "Caption", "Table Grid")
LANG = "en-GB"
MAX_TEMPLATE = 100 * 1024 * 1024  # a template with pictures is a few MB; anything larger is not one


def open_template(template: Path | None) -> docx.document.Document:
    """The template as a Document with the styles the briefing needs, or a TemplateError saying why not."""
    path = Path(template) if template is not None else REFERENCE_DOCX
    name = display_name(path)
    try:  # a regular file only, its size checked first: a named pipe would block the run, a device fill memory
        data = read_regular(path, MAX_TEMPLATE, "a Word document")
    except Unreadable as exc:
        reason = "template not found" if exc.reason == "file not found" else exc.reason
        raise TemplateError(f"{name}: {reason}") from None
    if path.suffix.lower() not in (".docx", ".dotx") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError(f"{name}: not a Word document; the template must be a .docx (or .dotx) file")
    try:  # bounded before python-docx parses every part: a template bomb took 9.9 GB
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            too_big = package_too_big(zf, MAX_TEMPLATE, "a Word template")
    except Exception as exc:  # a damaged part (bad CRC, bad deflate data, an unknown compression)
        raise TemplateError(f"{name}: cannot be read as a Word document ({type(exc).__name__}: {exc})") from exc
    if too_big:
        raise TemplateError(f"{name}: {too_big}")
    try:
        if path.suffix.lower() == ".dotx":
            data = _dotx_as_docx(data)
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors for broken packages
        raise TemplateError(f"{name}: cannot be read as a Word document ({type(exc).__name__}: {exc})") from exc
    names = {s.name for s in document.styles}
    missing = [s for s in REQUIRED_STYLES if s not in names]
    if missing:
        raise TemplateError(f"{name}: template lacks the styles {', '.join(missing)}; add them in Word "
                            "(Styles pane) or start from templates/reference.docx")
    return document


def _dotx_as_docx(data: bytes) -> bytes:
    """A Word template differs from a document only in its main part's content type."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml")
            dst.writestr(info, blob)
    return out.getvalue()


def set_language(rpr, east_asia: bool = False) -> None:
    """UK English on a run-properties element (and for East Asian text too, with EAST_ASIA)."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    if east_asia:
        lang.set(qn("w:eastAsia"), LANG)


def prepare(document) -> None:
    """Empty the template's body, headers and footers; A4 portrait, 2 cm margins; UK English throughout."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    set_language(rpr)
    set_language(document.styles["Normal"].element.get_or_add_rPr())
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANG)
    # No prompt to update fields on opening (a template may ask for one): the contents are real entries,
    # and captions carry their numbers.
    for update in settings.findall(qn("w:updateFields")):
        settings.remove(update)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        section.header_distance = section.footer_distance = Cm(1)
        section.different_first_page_header_footer = False
        for part in (section.header, section.footer):
            part.is_linked_to_previous = False
            for child in list(part._element):
                part._element.remove(child)

