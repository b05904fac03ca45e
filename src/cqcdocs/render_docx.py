"""The Word briefing: the governance summary pack, section by section, as an accessible .docx.

Every figure comes from `scoring.Result`; this module only arranges and words them. Styles come from a
template (templates/reference.docx by default) whose body is cleared; the document is deterministic
(fixed timestamps and zip entry dates), so the same workbook always gives the same bytes.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .contract import ACTION_STATUSES, FINDING_SECTIONS, THEMES, Theme
from .errors import TemplateError
from .model import Finding, Meeting, Message, format_date, format_short_date
from .palette import (ACCENT, COMPARISON_FILL, HEADER_TEXT, INK, RATING_FILL, RATING_TEXT, SCORE_FILL,
                      SCORE_TEXT)
from .paths import REFERENCE_DOCX
from .scoring import RATINGS, Ranking, Result, StatementResult, rating_for_score

REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number",
                   "Caption", "Table Grid")
LANG = "en-GB"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
TEXT_WIDTH_CM = 17.0
TABLE_PT = 10
KEEP_TOGETHER_ROWS = 10  # the grid (header + nine statements) stays whole; longer tables may break
GAP_AFTER_TABLE = Pt(10)
PLACEHOLDER_TOC = "Right-click to update the table of contents"
DEFAULT_MARKING = "OFFICIAL"  # the baseline UK public-sector classification when the workbook gives none

# Section headings in the governance pack's order (those after the pack's own are cqcdocs additions).
EXECUTIVE_SUMMARY = "Executive summary"
GOVERNANCE = "Governance relating to the CQC outcome"
BACKGROUND = "Background"
KEY_DATES = "Key assessment dates"
OVERALL_SCORES = "Overall scores"
DRAFT_CHANGES = "Changes from the draft report"
GRID = "Scores by quality statement"
OVERALL = "Overall score and rating"
COMPARISON = "Comparison with other councils"
PEOPLE = "Summary of people's experiences"
SUMMARY = "Summary of strengths and areas for development"
SURVEY = "Staff survey highlights"
STRENGTHS = "Key strengths"
AREAS = "Areas for development"
PEER_REVIEWS = "Findings from peer reviews"
PERFORMANCE = "Performance against the England average"
ACTIONS = "Improvement plan actions"
NEXT_STEPS = "Next steps"
AUTHOR_NOTES = "Appendix: notes for the author"

# The w:settings children that the schema puts after w:updateFields (Word rejects out-of-order settings).
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_SHORT_CATEGORY = {"People's experience": "People's experience", "Feedback from staff and leaders":
                   "Staff and leaders", "Processes": "Processes", "Feedback from partners": "Partners",
                   "Outcomes": "Outcomes"}


def clean(text: object) -> str:
    """Text Word can hold: the loader already cleans, but a renderer must never write broken XML."""
    return _BAD_CHARS.sub("", str(text))


def bold_spans(text: str) -> list[tuple[str, bool]]:
    """Split `**bold**` markup into (text, bold) spans; an unmatched `**` stays literal."""
    text = clean(text)
    spans, pos = [], 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            spans.append((text[pos:match.start()], False))
        spans.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        spans.append((text[pos:], False))
    return spans


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def format_value(value: float, unit: str) -> str:
    """A metric value as given, without float noise: 70.57 → "70.57%", 3.0 → "3 weeks"."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    unit = clean(unit).strip()
    if unit in ("%", ""):
        return f"{text}{unit}"
    return f"{text} {unit}"


def format_pct(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def is_cqc_review(review: str) -> bool:
    """The CQC assessment's findings are those whose review name starts with "CQC"."""
    return review.strip().lower().startswith(("cqc", "care quality commission"))


def theme_heading(theme: Theme) -> str:
    """"Theme one – Working with people", as the pack heads its pages."""
    return f"Theme {number_word(theme.number)} \u2013 {theme.name}"


def ranking_clause(ranking: Ranking, rating_only: int) -> str:
    """Where the council stands in one group, honest about councils with no overall score."""
    if ranking.out_of == 1:
        text = f"the only council in {ranking.group} with an overall score"
    elif ranking.position == 1:
        text = (f"the {'joint ' if ranking.joint else ''}highest scoring of the {ranking.out_of} councils in "
                f"{ranking.group} with an overall score")
    else:
        text = f"{ranking.phrase} councils in {ranking.group} with an overall score"
    notes = []
    if rating_only:
        notes.append(f"{rating_only} more {'has' if rating_only == 1 else 'have'} a published rating only")
    no_result = ranking.without_score - rating_only
    if no_result > 0:
        notes.append(f"{no_result} more {'has' if no_result == 1 else 'have'} no published result")
    return f"{text} ({'; '.join(notes)})" if notes else text


def benchmark_sentence(result: Result) -> str:
    """"With an overall score of 73%, Rotherham is the highest scoring of … and joint second of …"."""
    if result.overall is None:
        return ""
    a = result.workbook.assessment
    clauses = []
    for ranking, sub in ((result.sub_region_ranking, True), (result.region_ranking, False)):
        if ranking is None:
            continue
        members = [c for c in result.benchmarks if not sub or c.sub_region.strip().lower() == a.sub_region.strip().lower()]
        rating_only = sum(1 for c in members if c.pct is None and c.rating)
        clauses.append(ranking_clause(ranking, min(rating_only, ranking.without_score)))
    if not clauses:
        return ""
    return f"With an overall score of {result.overall.pct}%, {a.short_name or a.council} is {' and '.join(clauses)}."


def draft_change_sentences(changes: Iterable[StatementResult]) -> list[str]:
    """"Assessing needs and Safeguarding rose from Requires improvement to Good after the …"."""
    groups: dict[tuple[str, str, bool], list[str]] = {}
    for s in changes:
        key = (rating_for_score(s.draft_score).label, s.rating.label, s.score > s.draft_score)
        groups.setdefault(key, []).append(s.quality_statement.name)
    return [f"{join_words(names)} {'rose' if up else 'fell'} from {before} to {after} after the "
            "factual-accuracy challenge."
            for (before, after, up), names in groups.items()]


# --- templates -------------------------------------------------------------------------------------

def open_template(template: Path | None) -> docx.document.Document:
    """The template as a Document with the styles the briefing needs, or a TemplateError saying why not."""
    path = Path(template) if template is not None else REFERENCE_DOCX
    name = path.name
    if not path.is_file():
        raise TemplateError(f"{name}: template not found" + (
            "" if template is not None else " (run: python templates/build_reference.py)"))
    if path.suffix.lower() not in (".docx", ".dotx") or not zipfile.is_zipfile(path):
        raise TemplateError(f"{name}: not a Word document; the template must be a .docx (or .dotx) file")
    try:
        data = path.read_bytes()
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


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)


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
    _set_language(rpr)
    _set_language(document.styles["Normal"].element.get_or_add_rPr())
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANG)
    # Word refreshes the table of contents (and page counts) when the document is opened.
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1)
        section.different_first_page_header_footer = False
        for part in (section.header, section.footer):
            part.is_linked_to_previous = False
            for child in list(part._element):
                part._element.remove(child)


# --- low-level building blocks ---------------------------------------------------------------------

def _run_colour(run, colour: str) -> None:
    run.font.color.rgb = RGBColor.from_string(colour)


# A long briefing has tens of thousands of runs and table cells. python-docx makes each one character by
# character and each property by searching its parent for where the element goes; these helpers give
# the same XML by copying properties made once by python-docx itself.
_SPECIAL_CHARS = re.compile("[\t\r\n]")


def add_run(paragraph: Paragraph, text: str, bold: bool = False) -> Run:
    """paragraph.add_run(text) (then .bold = True if BOLD), with the same XML as python-docx gives."""
    if not text or _SPECIAL_CHARS.search(text):  # tabs and line breaks: python-docx's own translation
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        return run
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")
    r.append(t)
    paragraph._p.append(r)
    if bold:
        r.insert(0, copy.deepcopy(_run_properties(None, True, None)))
    return Run(r, paragraph)


@functools.lru_cache(maxsize=None)
def _run_properties(size_pt: float | None, bold: bool, colour: str | None):
    """A w:rPr as python-docx makes it for a run of this size, weight and colour (copy before use)."""
    run = Run(OxmlElement("w:r"), None)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold:
        run.bold = True
    if colour:
        _run_colour(run, colour)
    return run._r.rPr


@functools.lru_cache(maxsize=None)
def _cell_paragraph_properties(alignment, keep_with_next: bool):
    """A table cell paragraph's w:pPr as python-docx makes it in Briefing.table (copy before use)."""
    paragraph = Paragraph(OxmlElement("w:p"), None)
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph._p.pPr


def add_field(paragraph, instruction: str, placeholder: str, dirty: bool = False) -> None:
    """A complex field (begin, instruction, separate, cached result, end) that Word and LibreOffice update."""
    def fld_char(kind: str):
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            char.set(qn("w:dirty"), "true")
        run._r.append(char)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _on(parent, tag: str) -> None:
    el = OxmlElement(tag)
    parent.append(el)


@dataclass(frozen=True)
class Cell:
    """A table cell's content: text (with `**bold**`) and optional shading, text colour and alignment."""

    text: str
    fill: str | None = None
    colour: str | None = None
    bold: bool = False
    align: str = "left"  # "left" | "center" | "right"


def rating_cell(label: str | None, text: str | None = None) -> Cell:
    """A rating in words on its palette colour (colour never carries the meaning alone)."""
    if not label:
        return Cell(text or "Not assessed")
    return Cell(text or label, RATING_FILL[label], RATING_TEXT[label])


def score_cell(score: int | None) -> Cell:
    if score is None:
        return Cell("\u2013", align="center")
    return Cell(str(score), SCORE_FILL[score], SCORE_TEXT[score], align="center")


class _Body:
    """The python-docx Document, with the paragraph calls that the briefing makes thousands of times (a
    long findings list, one bullet per finding) made cheap. Each gives exactly python-docx's XML, but
    python-docx finds the body's closing w:sectPr by searching the whole body for every new paragraph,
    and looks up a style by name (and the default style) by searching all styles, every time; together
    they made a 10,000-finding briefing quadratic. Everything else is the Document's own."""

    def __init__(self, document):
        self._document = document
        self._style_ids: dict[str, str | None] = {}
        self._end = None  # the body's w:sectPr, found once

    def __getattr__(self, name: str):
        return getattr(self._document, name)

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        body = self._document.element.body
        if self._end is None or self._end.getparent() is not body:
            self._end = body.find(qn("w:sectPr"))
        p = OxmlElement("w:p")
        if self._end is not None:
            self._end.addprevious(p)
        else:
            body.append(p)
        paragraph = Paragraph(p, self._document._body)
        if text:
            paragraph.add_run(text)
        if style is not None:
            if style not in self._style_ids:  # the style id, None for the default paragraph style
                self._style_ids[style] = self._document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            p.style = self._style_ids[style]
        return paragraph

    def add_heading(self, text: str = "", level: int = 1) -> Paragraph:
        if not 0 <= level <= 9:
            raise ValueError("level must be in range 0-9, got %d" % level)
        return self.add_paragraph(text, "Title" if level == 0 else "Heading %d" % level)


class Briefing:
    """Builds the document section by section; counters number the tables and figures."""

    def __init__(self, document, result: Result, charts: dict, committee: Meeting | None, final: bool,
                 warnings: Sequence[Message], annex_name: str | None):
        self.doc = _Body(document)
        self.result = result
        self.workbook = result.workbook
        self.a = result.workbook.assessment
        self.charts = charts
        self.committee = committee
        self.final = final
        self.warnings = list(warnings)
        self.annex_name = annex_name
        self.tables = 0
        self.figures = 0
        names = {s.name for s in document.styles}
        self.toc_style = "TOC Heading" if "TOC Heading" in names else None

    # paragraphs ---------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.a.short_name or self.a.council

    @property
    def marking(self) -> str:
        return clean(self.a.protective_marking).strip() or DEFAULT_MARKING

    @property
    def title(self) -> str:
        return clean(self.a.report_title).strip() or \
            f"Care Quality Commission (CQC) assessment of {self.name} adult social care"

    def heading(self, text: str, level: int):
        return self.doc.add_heading(clean(text), level)

    def para(self, text: str = "", style: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        for span, bold in bold_spans(text):
            add_run(paragraph, span, bold)
        return paragraph

    def label(self, label: str, value: str):
        """"Label: value" with the label bold: key facts without a layout table."""
        paragraph = self.doc.add_paragraph()
        add_run(paragraph, f"{label}: ", True)
        for span, bold in bold_spans(value):
            add_run(paragraph, span, bold)
        return paragraph

    def bullets(self, items: Iterable[str]) -> None:
        paragraphs = [self.para(item, "List Bullet") for item in items]
        # A short list (key dates, next steps) stays on one page rather than leaving one item behind.
        if len(paragraphs) <= 6 and sum(len(p.text) for p in paragraphs) <= 600:
            for paragraph in paragraphs[:-1]:
                paragraph.paragraph_format.keep_with_next = True

    def keep_intro_with_next(self) -> None:
        """The sentence introducing a table or figure moves to the next page with it."""
        body = self.doc.element.body
        last = body[-2] if len(body) > 1 and body[-1].tag == qn("w:sectPr") else body[-1]
        if last.tag == qn("w:p"):
            paragraph = Paragraph(last, self.doc._body)
            if paragraph.style.name == "Normal":
                paragraph.paragraph_format.keep_with_next = True

    def numbered(self, items: Iterable[str]) -> None:
        """A List Number list that starts again at 1 (each list gets its own w:num)."""
        paragraphs = [self.para(item, "List Number") for item in items]
        num_id = self._restarted_num()
        if num_id is None:
            return
        for paragraph in paragraphs:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id

    def _restarted_num(self) -> int | None:
        ppr = self.doc.styles["List Number"].element.pPr
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None  # a council template whose List Number has no numbering: keep the style as it is
        numbering = self.doc.part.numbering_part.element
        try:
            num = numbering.num_having_numId(num_pr.numId.val)
        except KeyError:
            return None
        new = numbering.add_num(num.abstractNumId.val)
        new.add_lvlOverride(ilvl=0).add_startOverride(1)
        return new.numId

    def finding_text(self, finding: Finding, with_area: bool = True) -> str:
        text = finding.text
        if with_area and finding.service_area:
            text += f" (service area: {finding.service_area})"
        return text

    # tables -------------------------------------------------------------------------------------
    def caption(self, kind: str, text: str) -> Paragraph:
        """"Table 3: …" / "Figure 2: …" with a SEQ field, so Word can build a list of tables or figures."""
        number = self.tables if kind == "Table" else self.figures
        if kind == "Table":
            self.keep_intro_with_next()
        paragraph = self.doc.add_paragraph(style="Caption")
        paragraph.add_run(f"{kind} ")
        add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
        paragraph.add_run(f": {clean(text)}")
        # A table's caption sits above it and must stay with it.
        paragraph.paragraph_format.keep_with_next = kind == "Table"
        if kind == "Figure":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    def table(self, caption: str, description: str, header: Sequence[str], rows: Sequence[Sequence[Cell | str]],
              widths_cm: Sequence[float], first_column: bool = False, font_pt: float = TABLE_PT):
        """A data table: captioned, named (tblCaption/tblDescription), header row repeated, no merged cells."""
        self.tables += 1
        self.caption("Table", caption)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        flags = {"firstRow": 1, "lastRow": 0, "firstColumn": int(first_column), "lastColumn": 0,
                 "noHBand": 1, "noVBand": 1}
        value = 0x20 | (0x80 if first_column else 0) | 0x200 | 0x400
        look.attrib.clear()
        look.set(qn("w:val"), f"{value:04X}")
        for key, flag in flags.items():
            look.set(qn(f"w:{key}"), str(flag))
        for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), clean(text)[:250])
            tbl_pr.append(el)
        tbl_w = tbl_pr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "dxa")
        tbl_w.set(qn("w:w"), str(sum(Cm(w).twips for w in widths_cm)))
        for column, width in zip(table.columns, widths_cm):
            column.width = Cm(width)
        all_rows = [[Cell(h, ACCENT, HEADER_TEXT, True) for h in header]] + \
            [[c if isinstance(c, Cell) else Cell(str(c)) for c in row] for row in rows]
        for r, (row, cells) in enumerate(zip(table.rows, all_rows)):
            tr_pr = row._tr.get_or_add_trPr()
            _on(tr_pr, "w:cantSplit")
            if r == 0:
                _on(tr_pr, "w:tblHeader")
            for cell, spec, width in zip(row.cells, cells, widths_cm):
                cell.width = Cm(width)
                paragraph = cell.paragraphs[0]
                alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER,
                             "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(spec.align, WD_ALIGN_PARAGRAPH.LEFT)
                # No space around the text, single line spacing. Keep a short table on one page; a long
                # one may break, its header row repeating.
                keep = r == 0 or (len(all_rows) <= KEEP_TOGETHER_ROWS and r < len(all_rows) - 1)
                paragraph._p.insert(0, copy.deepcopy(_cell_paragraph_properties(alignment, keep)))
                # An empty cell reads as nothing at all to a screen reader; a dash says "none".
                for span, bold in bold_spans(spec.text) if spec.text.strip() else [("\u2013", False)]:
                    run = add_run(paragraph, span)
                    run._r.insert(0, copy.deepcopy(_run_properties(font_pt, bold or spec.bold, spec.colour)))
                if spec.fill:
                    _shade(cell, spec.fill)
        return table

    def figure(self, key: str) -> None:
        """A chart with its alt text on wp:docPr (descr and title) and a numbered caption beneath."""
        chart = self.charts.get(key)
        if chart is None:
            return
        self.figures += 1
        width = min(float(chart.width_cm), TEXT_WIDTH_CM)
        self.keep_intro_with_next()
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True  # the caption follows the picture onto its page
        shape = paragraph.add_run().add_picture(io.BytesIO(chart.png), width=Cm(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", clean(chart.alt_text))
        doc_pr.set("title", clean(chart.title))
        self.caption("Figure", chart.title)

    # sections -----------------------------------------------------------------------------------
    def build(self) -> None:
        self.title_block()
        if self.committee is not None:
            self.committee_front_matter()
        self.contents()
        self.executive_summary()
        self.governance()
        self.background()
        self.key_dates()
        self.overall_scores()
        self.findings_section(PEOPLE, "People's experience", by_theme=False)
        self.findings_section(SUMMARY, "Summary")
        self.survey()
        self.findings_section(STRENGTHS, "Key strength")
        self.findings_section(AREAS, "Area for development")
        self.peer_reviews()
        self.performance()
        self.actions()
        self.next_steps()
        if not self.final and self.warnings:
            self.author_notes()
        self.headers_and_footers()
        self.space_after_tables()

    def space_after_tables(self) -> None:
        """Room between a table and what follows, as paragraph spacing (never an empty paragraph)."""
        for tbl in self.doc.element.body.iterchildren(qn("w:tbl")):
            following = tbl.getnext()
            if following is None or following.tag != qn("w:p"):
                continue
            paragraph = Paragraph(following, self.doc._body)
            if paragraph.style.name.startswith("Heading"):
                continue  # headings have more space above them already
            fmt = paragraph.paragraph_format
            if fmt.space_before is None or fmt.space_before < GAP_AFTER_TABLE:
                fmt.space_before = GAP_AFTER_TABLE

    def title_block(self) -> None:
        self.doc.add_paragraph(self.title, style="Title")
        self.label("Council", self.a.council)
        if self.committee is None:  # a committee report gives its meeting date in the report details
            self.label("Date", format_date(self.a.report_date or self.a.published))
        if self.a.directorate:
            self.label("Directorate", self.a.directorate)
        self.label("Protective marking", self.marking)

    def committee_front_matter(self) -> None:
        committee = self.committee
        self.heading("Report details", 1)
        self.label("Committee", committee.name)
        self.label("Date of meeting", format_date(committee.date))
        self.label("Report title", self.title)
        if self.a.report_author:
            self.label("Report author", self.a.report_author)
        if self.a.approving_director:
            self.label("Approving director", self.a.approving_director)
        self.label("Key decision", "Yes" if self.a.key_decision else "No")
        self.label("Wards affected", self.a.wards_affected or "All wards")
        self.heading("Recommendations", 1)
        recommendations = [r for r in self.workbook.recommendations if r.strip()] or [
            "notes the outcome of the CQC assessment of adult social care, the strengths it found and the "
            "areas for development the improvement plan will address."]
        self.numbered(r if r.strip().lower().startswith("that ") else f"That {committee.name} {r.strip()}"
                      for r in recommendations)
        self.heading("List of appendices", 1)
        if self.annex_name:
            self.para(f"Appendix 1 \u2013 {self.annex_name}: the Excel annex with the scores, findings, "
                      "benchmarks and performance figures behind this report.")
        else:
            self.para("None.")

    def contents(self) -> None:
        if self.toc_style:
            self.doc.add_paragraph("Contents", style=self.toc_style)
        paragraph = self.doc.add_paragraph()
        add_field(paragraph, 'TOC \\o "1-3" \\h \\z \\u', PLACEHOLDER_TOC, dirty=True)

    def executive_summary(self) -> None:
        r = self.result
        self.heading(EXECUTIVE_SUMMARY, 1)
        if r.overall is None:
            self.para("No quality statement has been scored yet, so there is no overall rating.")
            return
        self.para(f"The CQC rated {self.a.council}'s adult social care **{r.overall.rating.label}**, "
                  f"with an overall score of **{r.overall.pct}%**. The assessment was published on "
                  f"{format_date(self.a.published)}.")
        points = []
        if r.below_good:
            points.append("Rated below Good: " + join_words(
                [f"{s.quality_statement.name} ({s.rating.label}, {s.pct}%)" for s in r.below_good]) + ".")
        else:
            points.append("Every quality statement assessed was rated Good or Outstanding.")
        if r.not_assessed:
            points.append("Not assessed: " + join_words([s.quality_statement.name for s in r.not_assessed])
                          + f" (the overall score is based on the {number_word(r.overall.assessed)} statements "
                            "assessed).")
        points.extend(draft_change_sentences(r.draft_changes))
        if sentence := benchmark_sentence(r):
            points.append(sentence)
        self.bullets(points)

    def governance(self) -> None:
        self.heading(GOVERNANCE, 1)
        meetings = self.workbook.governance
        if not meetings:
            self.para("The workbook lists no meetings for this report.")
            return
        self.para("The report goes to these meetings:")
        deadlines = any(m.paper_deadline for m in meetings)
        purposes = any(m.purpose for m in meetings)
        header = ["Meeting", "Date"] + (["Paper deadline"] if deadlines else []) + (["Purpose"] if purposes else [])
        rows = []
        for m in meetings:
            row = [Cell(m.name), Cell(format_short_date(m.date))]
            if deadlines:
                row.append(Cell(format_short_date(m.paper_deadline) or "\u2013"))
            if purposes:
                row.append(Cell(m.purpose))
            rows.append(row)
        widths = {2: [12.0, 5.0], 3: [9.0, 4.0, 4.0], 4: [6.0, 2.6, 2.8, 5.6]}[len(header)]
        if len(header) == 3 and purposes:
            widths = [6.0, 3.0, 8.0]
        self.table("Governance route", "The meetings that consider this report, in date order, with their "
                   "dates" + (" and paper deadlines" if deadlines else ""), header, rows, widths, first_column=True)

    def background(self) -> None:
        self.heading(BACKGROUND, 1)
        self.para("From April 2023, the Health and Care Act 2022 gave the Care Quality Commission (CQC) new "
                  "regulatory powers to assess independently how local authorities deliver their adult social "
                  "care functions under Part 1 of the Care Act 2014. Local authorities are assessed against "
                  "four themes:")
        self.numbered(t.name for t in THEMES)
        categories = [c[0].lower() + c[1:] if c != "People's experience" else "people's experience"
                      for c in self.result.categories_used]
        self.para("Each theme has two or three of nine quality statements. CQC scores each quality statement "
                  f"from 1 to 4 on the evidence it gathered ({join_words(categories)}), and the scores give "
                  "the overall rating.")
        reviews = self.peer_review_names()
        if reviews:
            self.para(f"To prepare for the assessment, {self.name}'s adult social care took part in "
                      f"{number_word(len(reviews))} peer review{'s' if len(reviews) > 1 else ''}: "
                      f"{join_words(reviews)}. Their findings are set out in \u2018{PEER_REVIEWS}\u2019 below.")

    def peer_review_names(self) -> list[str]:
        names: list[str] = []
        for f in self.workbook.findings:
            if not is_cqc_review(f.review) and f.review and f.review not in names:
                names.append(f.review)
        return names

    def key_dates(self) -> None:
        self.heading(KEY_DATES, 1)
        if not self.workbook.key_dates:
            self.para("The workbook lists no key dates.")
            return
        self.bullets(f"{m.name} \u2013 {format_date(m.date, m.end_date)}" for m in self.workbook.key_dates)

    def overall_scores(self) -> None:
        r = self.result
        self.heading(OVERALL_SCORES, 1)
        if r.draft_changes:
            self.heading(DRAFT_CHANGES, 2)
            self.para("Our challenge during the factual-accuracy check changed these scores:")
            self.bullets(draft_change_sentences(r.draft_changes))
        self.heading(GRID, 2)
        self.grid()
        self.figure("statements")
        self.figure("evidence_grid")
        self.heading(OVERALL, 2)
        if r.overall is None:
            self.para("No quality statement has been scored yet.")
        else:
            self.label("Overall score", f"{r.overall.pct}%").paragraph_format.keep_with_next = True
            self.label("Overall rating", r.overall.rating.label).paragraph_format.keep_with_next = True
            self.para(f"The overall score is the total of the quality statement scores ({r.overall.total}) as a "
                      f"percentage of the most the {number_word(r.overall.assessed)} statements assessed could "
                      "score, rounded up to a whole per cent. CQC's rating bands are:")
        self.table("CQC rating bands", "The percentage range for each CQC rating",
                   ["Rating", "Score", "Percentage"],
                   [[rating_cell(b.label), Cell(str(b.score), align="center"), Cell(b.band)] for b in RATINGS],
                   [6.0, 2.0, 4.0], first_column=True)
        if "themes" in self.charts:
            self.para("CQC does not publish a score for each theme; the theme percentages below are worked out "
                      "from the quality statement scores in the same way as the overall score.")
            self.figure("themes")
        sentence = benchmark_sentence(r)
        if sentence or "benchmarks" in self.charts:
            self.heading(COMPARISON, 2)
            if sentence:
                self.para(sentence)
            self.benchmark_table()
            self.figure("benchmarks")

    def grid(self) -> None:
        """Statements as rows (the pack has them as columns): long names read across a wide column, a screen
        reader meets one statement per row, and the grid fits portrait A4 with no landscape section."""
        r = self.result
        categories = r.categories_used
        self.para("Each quality statement is scored from 1 to 4 on each evidence category; its percentage is "
                  "the total of those scores as a share of the most they could be, rounded up.")
        # Widths fit the longest header word in bold Arial (Liberation Sans) at the table's font size.
        font_pt = 9.5 if len(categories) <= 4 else 9
        cat_widths = {"People's experience": 2.1, "Feedback from staff and leaders": 1.7, "Processes": 2.0,
                      "Feedback from partners": 1.7, "Outcomes": 2.0}
        if font_pt < 9.5:
            cat_widths = {k: v - 0.1 for k, v in cat_widths.items()}
        tail = [1.3, 2.3, 1.3]
        widths = [cat_widths.get(c, 2.0) for c in categories]
        widths = [round(TEXT_WIDTH_CM - sum(widths) - sum(tail), 2), *widths, *tail]
        header = ["Quality statement", *(_SHORT_CATEGORY.get(c, c) for c in categories), "Score", "Rating", "%"]
        rows = []
        for s in r.statements:
            rows.append([Cell(s.quality_statement.name, bold=True),
                         *(score_cell(s.categories.get(c)) for c in categories),
                         Cell(str(s.score) if s.score else "\u2013", align="center"),
                         rating_cell(s.rating.label if s.rating else None),
                         Cell(f"{s.pct}%" if s.pct is not None else "\u2013", align="center")])
        self.table("Scores by quality statement and evidence category",
                   "Each quality statement's score (1 to 4) for each evidence category, its overall score, rating "
                   "and percentage; a dash means not scored", header, rows, widths, first_column=True,
                   font_pt=font_pt)

    def benchmark_table(self) -> None:
        r = self.result
        if not r.benchmarks:
            return
        positions = [c.position for c in r.benchmarks if c.position]
        rows = []
        for c in r.benchmarks:
            position = "\u2013"
            if c.position:
                position = f"{c.position} (joint)" if positions.count(c.position) > 1 else str(c.position)
            if c.pct is None:
                score = "No published score"
            else:
                score = f"{c.pct}%" + (" (computed)" if c.pct_basis.startswith("computed") else "")
            name = f"**{c.council}**" if c.is_subject else c.council
            rows.append([Cell(position, align="center"), Cell(name),
                         Cell(c.sub_region or "\u2013"), Cell(score), rating_cell(c.rating, c.rating or "Not published")])
        self.table(f"Councils in {self.a.region}", f"Published CQC results for councils in {self.a.region}, "
                   "highest score first", ["Position", "Council", "Sub-region", "Overall score", "Rating"], rows,
                   [1.8, 6.0, 3.2, 2.9, 3.1])

    def cqc_findings(self, section: str) -> list[Finding]:
        return [f for f in self.workbook.findings if f.section == section and is_cqc_review(f.review)]

    def findings_section(self, title: str, section: str, by_theme: bool = True) -> None:
        self.heading(title, 1)
        findings = self.cqc_findings(section)
        if not findings:
            self.para("The workbook lists none for the CQC assessment.")
            return
        if not by_theme:
            self.bullets(self.finding_text(f) for f in findings)
            return
        for theme in THEMES:
            own = [f for f in findings if f.theme == theme]
            if own:
                self.heading(theme_heading(theme), 2)
                self.bullets(self.finding_text(f) for f in own)

    def survey(self) -> None:
        results = self.workbook.survey
        if not results:
            return
        self.heading(SURVEY, 1)
        groups: dict[str, list] = {}
        for s in results:
            groups.setdefault(s.group, []).append(s)
        for group, items in groups.items():
            caption = f"Staff survey: {group}" if group else "Staff survey"
            self.table(caption, f"Staff survey questions and the percentage of staff answering positively"
                       + (f" ({group})" if group else ""), ["Question", "% positive"],
                       [[Cell(s.question), Cell(format_pct(s.pct_positive), align="right")] for s in items],
                       [14.0, 3.0], first_column=True)

    def peer_reviews(self) -> None:
        reviews = self.peer_review_names()
        if not reviews:
            return
        self.heading(PEER_REVIEWS, 1)
        self.para("Members asked to see the peer reviews' findings alongside CQC's, with the part of the service "
                  "each concerns. The CQC's own findings are in the sections above.")
        order = {s: i for i, s in enumerate(FINDING_SECTIONS)}
        for review in reviews:
            self.heading(review, 2)
            findings = sorted((f for f in self.workbook.findings if f.review == review),
                              key=lambda f: (f.theme.number, order.get(f.section, 9)))
            rows = [[Cell(f"{f.theme.number}. {f.theme.name}"), Cell(f.text), Cell(f.section),
                     Cell(f.service_area or "\u2013")] for f in findings]
            self.table(f"{review}: findings by theme", f"Each finding of the {review} with its CQC theme, "
                       "type and the service area it concerns", ["Theme", "Finding", "Type", "Service area"], rows,
                       [3.0, 8.6, 2.6, 2.8])

    def performance(self) -> None:
        metrics = self.result.metrics
        if not metrics:
            return
        self.heading(PERFORMANCE, 1)
        self.para("How the council compares with the England average on the measures CQC cites. The comparison "
                  "is CQC's own where the report gives one; otherwise it is worked out (within 5% of the England "
                  "average counts as similar) and marked \u2018computed\u2019.")
        rows = []
        for m in metrics:
            word = m.comparison.capitalize() + (" (computed)" if m.basis == "computed" else "")
            rows.append([Cell(m.metric.indicator), Cell(format_value(m.metric.council_value, m.metric.unit),
                                                         align="right"),
                         Cell(format_value(m.metric.england_average, m.metric.unit), align="right"),
                         Cell(word, COMPARISON_FILL.get(m.comparison), INK)])
        self.table("Performance against the England average", f"Each indicator's value for {self.name}, the "
                   "England average and how they compare", ["Indicator", self.name, "England", "Comparison"], rows,
                   [8.6, 2.5, 2.5, 3.4], first_column=True)
        self.figure("metrics")

    def actions(self) -> None:
        counts = self.result.action_counts
        if not self.workbook.actions or not counts:
            return
        self.heading(ACTIONS, 1)
        self.para("The improvement plan's actions by theme and status:")
        rows = [[Cell(t.name)] + [Cell(str(counts.get((t.number, s), 0)), align="center") for s in ACTION_STATUSES]
                for t in THEMES]
        self.table("Improvement plan actions by theme and status", "The number of improvement plan actions in "
                   "each theme at each status", ["Theme", *ACTION_STATUSES], rows,
                   [4.5] + [12.5 / len(ACTION_STATUSES)] * len(ACTION_STATUSES), first_column=True)

    def next_steps(self) -> None:
        self.heading(NEXT_STEPS, 1)
        steps = self.workbook.next_steps
        if not steps:
            self.para("The workbook lists no next steps.")
            return
        self.bullets(f"{s.step} \u2013 {format_date(s.date)}" if s.date else s.step for s in steps)

    def author_notes(self) -> None:
        self.heading(AUTHOR_NOTES, 1)
        self.para("For the report's author: where the workbook's published figures differ from those computed "
                  "by the CQC method, or where its text was cleaned. This appendix is left out of the final "
                  "version (cqcdocs brief --final).")
        self.bullets(str(m) for m in self.warnings)

    def headers_and_footers(self) -> None:
        """The protective marking at the top and bottom of every page, and "Page X of Y"."""
        for section in self.doc.sections:
            header = section.header.add_paragraph(style=self._style_or_none("Header"))
            header.alignment = WD_ALIGN_PARAGRAPH.CENTER
            header.add_run(self.marking).bold = True
            footer = section.footer.add_paragraph(style=self._style_or_none("Footer"))
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            footer.add_run(self.marking).bold = True
            pages = section.footer.add_paragraph(style=self._style_or_none("Footer"))
            pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pages.add_run("Page ")
            add_field(pages, "PAGE", "1")
            pages.add_run(" of ")
            add_field(pages, "NUMPAGES", "1")

    def _style_or_none(self, name: str) -> str | None:
        return name if name in {s.name for s in self.doc.styles} else None


def _fit_property(text: str, limit: int = 255) -> str:
    """Word's core properties hold at most 255 characters (python-docx refuses more): cut at a word."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def set_properties(document, result: Result, committee: Meeting | None, final: bool, title: str) -> None:
    a = result.workbook.assessment
    props = document.core_properties
    props.title = _fit_property(title)
    props.subject = _fit_property(f"CQC assessment of adult social care: {a.council}")
    props.author = props.last_modified_by = _fit_property(a.report_author or a.directorate or a.council)
    props.keywords = _fit_property(f"CQC; adult social care; local authority assessment; {a.short_name or a.council}")
    props.category = _fit_property(f"Committee report: {committee.name}" if committee else "Briefing")
    props.content_status = "Final" if final else "Draft"
    props.comments = ""
    props.language = LANG
    # A fixed time from the workbook, never the clock: the same workbook gives the same document.
    fixed = datetime(a.published.year, a.published.month, a.published.day, tzinfo=timezone.utc)
    props.created = props.modified = props.last_printed = fixed
    props.revision = 1


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates (python-docx stamps each entry with the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_briefing(result: Result, path: Path, *, committee: Meeting | None = None, template: Path | None = None,
                   final: bool = False, warnings: Sequence[Message] = (), annex_name: str | None = None) -> None:
    """Write the Word briefing for RESULT to PATH (the committee version when COMMITTEE is given)."""
    from .charts import briefing_charts

    document = open_template(template)
    prepare(document)
    charts = {chart.key: chart for chart in briefing_charts(result)}
    briefing = Briefing(document, result, charts, committee, final, warnings, annex_name)
    briefing.build()
    set_properties(document, result, committee, final, briefing.title)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(deterministic_zip(buffer.getvalue()))
