"""The writer the briefing's sections use: headings, paragraphs with `**bold**`, labelled facts, lists,
numbered captions, data tables and figures, headers and footers. It knows Word, not CQC."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from ...wording import bold_spans, clean
from ..page import TEXT_WIDTH_CM
from .runs import BOOKMARK_BASE, FastBody, add_field, add_run, contents_entry, mark
from .tables import TABLE_PT, TableCell, add_table

GAP_AFTER_TABLE = Pt(10)
DRAFT = "DRAFT \u2013 NOT FOR PUBLICATION"


class Writer:
    """Writes at the end of a document's body; counters number the tables and figures."""

    def __init__(self, document):
        self.doc = FastBody(document)
        self.tables = 0
        self.figures = 0
        self._contents: Paragraph | None = None
        self._style_names: dict[str, str] | None = None
        self._names: set[str] | None = None

    def _style_set(self) -> set[str]:
        """Every style's name (the template's styles do not change while the document is written)."""
        if self._names is None:
            self._names = {s.name for s in self.doc.styles}
        return self._names

    def style_name(self, p) -> str | None:
        """The name of the paragraph style of w:p P, as `Paragraph(p).style.name` gives it (the default
        paragraph style's for none or an unknown id), from a table made once: python-docx searches every
        style with XPath for each paragraph asked about."""
        if self._style_names is None:
            from docx.enum.style import WD_STYLE_TYPE

            first: dict = {}
            for style in self.doc.styles:
                first.setdefault(style.style_id, style)
            default = self.doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            self._default_style = default.name if default is not None else None
            self._style_names = {i: style.name if style.type == WD_STYLE_TYPE.PARAGRAPH else self._default_style
                                 for i, style in first.items()}
        style_id = p.style
        return self._style_names.get(style_id, self._default_style) if style_id else self._default_style

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
        if last.tag == qn("w:p") and self.style_name(last) == "Normal":
            Paragraph(last, self.doc._body).paragraph_format.keep_with_next = True

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

    def table(self, caption: str, description: str, header: Sequence[str],
              rows: Sequence[Sequence[TableCell | str]], widths_cm: Sequence[float], first_column: bool = False,
              font_pt: float = TABLE_PT):
        """A data table: captioned, named (tblCaption/tblDescription), header row repeated, no merged cells."""
        self.tables += 1
        self.caption("Table", caption)
        return add_table(self.doc, self.doc.styles["Table Grid"], caption, description, header, rows, widths_cm,
                         first_column, font_pt)

    def picture(self, png: bytes, width_cm: float, title: str, alt_text: str) -> None:
        """A picture with its alt text on wp:docPr (descr and title) and a numbered caption beneath."""
        self.figures += 1
        width = min(float(width_cm), TEXT_WIDTH_CM)
        self.keep_intro_with_next()
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True  # the caption follows the picture onto its page
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", clean(alt_text))
        doc_pr.set("title", clean(title))
        self.caption("Figure", title)

    def native_chart(self, chart) -> None:
        """A native, editable Word chart (a `chart_defs.ChartDef`) with its data in an embedded workbook, its
        alt text on wp:docPr, and a numbered caption beneath."""
        from .charts import add_native_chart

        self.figures += 1
        self.keep_intro_with_next()
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        add_native_chart(paragraph, chart, min(chart.width_cm, TEXT_WIDTH_CM))
        self.caption("Figure", chart.title)

    def contents(self) -> None:
        """Where the table of contents goes: `fill_contents` writes its entries once every heading exists."""
        names = self._style_set()
        if "TOC Heading" in names:
            self._contents = self.doc.add_paragraph("Contents", style="TOC Heading")
        else:  # a council template without the style: a bold line, not a fake heading
            self._contents = self.doc.add_paragraph()
            add_run(self._contents, "Contents", bold=True)

    def fill_contents(self, levels: int = 3) -> None:
        """The table of contents as real entries, readable in every viewer with nothing to update: each heading
        of levels 1 to LEVELS, linked to a bookmark on it, with its page number as a PAGEREF field, which
        LibreOffice (and so a PDF made with it) fills in as it lays out the pages, and Word on an update (F9).
        Not a TOC field: LibreOffice would show a TOC field's stored result as it is, and Word would ask
        to update it on opening."""
        if self._contents is None:
            return
        anchor = self._contents._p
        styles = self._style_set()
        for n, (paragraph, level) in enumerate(self._headings(levels), start=1):
            name = f"_Toc{n:08d}"
            mark(paragraph, name, BOOKMARK_BASE + n)
            style = f"TOC {level}" if f"TOC {level}" in styles else None
            entry = contents_entry(paragraph.text, name, level, style and self._style_id(style))
            anchor.addnext(entry)
            anchor = entry

    def _headings(self, levels: int):
        for p in self.doc.element.body.iterchildren(qn("w:p")):
            name = (self.style_name(p) or "") if p.pPr is not None and p.pPr.pStyle is not None else ""
            if name.startswith("Heading ") and name[8:].isdigit() and int(name[8:]) <= levels:
                paragraph = Paragraph(p, self.doc._body)
                if paragraph.text.strip():
                    yield paragraph, int(name[8:])

    def _style_id(self, name: str) -> str:
        return self.doc.styles[name].style_id

    def space_after_tables(self) -> None:
        """Room between a table and what follows, as paragraph spacing (never an empty paragraph)."""
        for tbl in self.doc.element.body.iterchildren(qn("w:tbl")):
            following = tbl.getnext()
            if following is None or following.tag != qn("w:p"):
                continue
            if (self.style_name(following) or "").startswith("Heading"):
                continue  # headings have more space above them already
            fmt = Paragraph(following, self.doc._body).paragraph_format
            if fmt.space_before is None or fmt.space_before < GAP_AFTER_TABLE:
                fmt.space_before = GAP_AFTER_TABLE


    # Moving written blocks (Section text goes after a heading its section has already written). A mark is
    # a block's index in the body (see blocks_written), so callers never hold python-docx's elements.
    def _blocks(self) -> list:
        """The body's children, without its closing w:sectPr."""
        return [e for e in self.doc.element.body if e.tag != qn("w:sectPr")]

    def blocks_written(self) -> int:
        """How many blocks (paragraphs, tables) the body holds so far: the index of the next one."""
        return len(self._blocks())

    def heading_since(self, start: int, text: str) -> int | None:
        """The index of the first level-1 heading reading TEXT from block START on, or None."""
        blocks = self._blocks()
        for i in range(start, len(blocks)):
            if blocks[i].tag == qn("w:p"):
                paragraph = Paragraph(blocks[i], self.doc._body)
                if paragraph.style.name == "Heading 1" and paragraph.text == text:
                    return i
        return None

    def move_since(self, start: int, after: int) -> None:
        """Move the blocks from START on to just after block AFTER, in their order."""
        blocks = self._blocks()
        anchor = blocks[after]
        for element in reversed(blocks[start:]):
            anchor.addnext(element)

    def headers_and_footers(self, marking: str, draft: bool = False) -> None:
        """The protective MARKING at the top and bottom of every page, and "Page X of Y"; a DRAFT also says
        so at the top of every page, above the marking."""
        for section in self.doc.sections:
            if draft:
                line = section.header.add_paragraph(style=self._style_or_none("Header"))
                line.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = line.add_run(DRAFT)
                run.bold = True
                run.font.size = Pt(12)
            header = section.header.add_paragraph(style=self._style_or_none("Header"))
            header.alignment = WD_ALIGN_PARAGRAPH.CENTER
            header.add_run(marking).bold = True
            footer = section.footer.add_paragraph(style=self._style_or_none("Footer"))
            footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
            footer.add_run(marking).bold = True
            pages = section.footer.add_paragraph(style=self._style_or_none("Footer"))
            pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pages.add_run("Page ")
            add_field(pages, "PAGE", "1")
            pages.add_run(" of ")
            add_field(pages, "NUMPAGES", "1")

    def _style_or_none(self, name: str) -> str | None:
        return name if name in self._style_set() else None

