"""The improvement journey paper's Excel annex: the threads against the reviews, every finding with its thread,
review, date and service area (the CQC annex's Journey sheet), the figures over time.

Built on the CQC annex's helpers (`render.annex.Annex`); every grouping comes from `journey.Journey`, every
word shared with the paper from `render.journey_defs`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..journey import Journey
from ..wording import count
from .annex import Annex
from .journey_defs import KEY, STANCE_WORDS, figure_when_words, review_words, stance_fill, summary_lines

SHEETS = (("Threads", "Each thread against each review in time order, and its course; filterable"),
          ("Journey", "Every finding with its thread, review and date, filterable"),
          ("Service areas", "Findings by service area and review, and where areas for development concentrate"),
          ("Figures", "The key figures of each thread in time order"))


class JourneyAnnex(Annex):
    FOOTER = "improvement journey"

    def __init__(self, journey: Journey, path: Path, source_name: str):
        super().__init__(journey, path, source_name)  # Annex reads only .workbook.assessment from it
        self.j = journey

    def contents(self) -> None:
        j = self.j
        lines = [("Council", self.a.council), ("Source workbook", self.source_name)]
        lines += [("Reviews" if i == 0 else "", review_words(r)) for i, r in enumerate(j.reviews)]
        lines += [("Summary" if i == 0 else "", line) for i, line in enumerate(summary_lines(j))]
        lines.append(("Key", KEY))
        self.contents_sheet(f"{self.a.council}: improvement journey", lines, SHEETS)

    def threads(self) -> None:
        j = self.j
        ws = self.sheet("Threads", "Threads by review, in time order", wide=True)
        columns = [("Thread", 34, self.wrap), ("Reviews raising it", 10, self.num),
                   *((r.name, 22, self.text) for r in j.reviews), ("Course", 22, self.text),
                   ("Key figures", 10, self.num), ("Actions", 9, self.num)]
        rows, fmts = [], []
        for t in j.threads:
            stances = [t.stance(r) for r in j.reviews]
            rows.append([t.name, len(t.reviews), *(STANCE_WORDS[s] for s in stances), t.course, len(t.figures),
                         len(t.actions)])
            fmts.append([None, None, *(self._stance_format(s) for s in stances), None, None, None])
        self.table(ws, 2, "tblThreads", columns, rows, fmts)

    def _stance_format(self, stance):
        fill, colour = stance_fill(stance)
        return self.format({"align": "left", "indent": 1, "valign": "top"},
                           {"bg_color": "#" + fill, "font_color": "#" + colour}) if fill else None

    def figures(self) -> None:
        j = self.j
        ws = self.sheet("Figures", "Key figures by thread, in time order", wide=True)
        figures = [(t, f) for t in j.threads for f in t.figures]
        rows = [[t.name, f.measure, f.value, f.unit, figure_when_words(f, j), f.review, f.source] for t, f in figures]
        fmts = [[None, None, self.whole if float(f.value).is_integer() else self.decimal] + [None] * 4
                for _, f in figures]
        self.table(ws, 2, "tblThreadFigures", [
            ("Thread", 26, self.wrap), ("Measure", 40, self.wrap), ("Value", 12, self.decimal), ("Unit", 10, self.text),
            ("As at", 22, self.wrap), ("Review", 22, self.wrap), ("Source", 30, self.wrap)], rows, fmts)

    def write(self) -> None:
        j = self.j
        when = self.a.report_date or self.a.published
        self.wb.set_properties({
            "title": f"{self.a.council} adult social care improvement journey",
            "subject": "LGA, ADASS and CQC findings by thread and service area", "company": self.a.council,
            "author": self.a.report_author or self.a.directorate or self.a.council,
            "keywords": "CQC, ADASS, LGA, adult social care, improvement journey", "category": self.a.protective_marking,
            "created": datetime(when.year, when.month, when.day),
            "comments": f"{count(len(j.threads), 'thread')}, {count(len(j.findings), 'finding')}"})
        self.contents()
        self.threads()
        self.journey(j)
        self.figures()
        self.close()


def write_journey_annex(journey: Journey, path: Path, *, source_name: str) -> None:
    JourneyAnnex(journey, Path(path), source_name).write()
