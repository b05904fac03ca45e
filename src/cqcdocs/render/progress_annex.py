"""The progress report's Excel annex: every action as at the report's date, the exceptions, the overdue
list, the counts behind the report's tables, the update log and native charts with alt text.

Built on the CQC annex's helpers (`render.annex.Annex`: Excel tables, safe writing of text, formats in
the one palette); every figure comes from `progress.Progress`, every chart from `render.progress_defs`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..model import format_date
from ..palette import ACTION_STATUS_FILL, ACTION_STATUS_TEXT
from ..progress import REPORT_ORDER, Group, Progress
from ..wording import count
from .annex import Annex
from .annex_charts import font
from .annex_layout import LINE_PT, PlacedTable, heading_width, short
from .chart_defs import ChartDef
from .progress_defs import (direction_text, evidence_text, headline, not_agreed_sentence, since_words,
                            status_by_theme_chart, status_over_time_chart, status_since_text)

SHEETS = (("Summary", "Actions by status, theme, recommendation and quality statement, and over time"),
          ("Actions", "Every action as at the report's date, with its direction of travel; filterable"),
          ("Exceptions", "Actions off track or at risk, with how long and the latest commentary"),
          ("Overdue", "Actions past their due date, and those due in the next 30 days"),
          ("Updates", "The update log as read from the workbook"),
          ("Charts", "Native Excel charts of the counts on the Summary sheet"))


class ProgressAnnex(Annex):
    def __init__(self, progress: Progress, path: Path, source_name: str):
        super().__init__(progress, path, source_name)  # Annex reads only .workbook.assessment from it
        self.p = progress

    def sheet(self, name: str, heading: str, wide: bool = False):
        ws = super().sheet(name, heading, wide)
        marking = short(self.a.protective_marking, 60).replace("&", "&&")
        ws.set_footer(f"&L{marking}&C{short(self.a.short_name, 80).replace('&', '&&')} improvement plan: {name}"
                      "&RPage &P of &N")
        return ws

    def status_formats(self, row: list, columns: list[str], status_columns: tuple[str, ...]) -> list:
        return [self.status_fmt.get(value) if header in status_columns else None
                for value, header in zip(row, columns)]

    # --- sheets ---------------------------------------------------------------------------------------

    def contents(self) -> None:
        p = self.p
        lines = [("Council", self.a.council), ("Source workbook", self.source_name),
                 ("Position as at", format_date(p.as_at)),
                 ("Compared with", since_words(p) if p.since else "No earlier board meeting"),
                 ("Updates counted", f"{p.counted_updates} of {len(p.workbook.updates)} in the log")]
        lines += [("Summary" if i == 0 else "", line)
                  for i, line in enumerate(headline(p) if p.agreed else [not_agreed_sentence(p)])]
        self.contents_sheet(f"{self.a.council}: improvement plan progress", lines,
                            [s for s in SHEETS if p.agreed or s[0] == "Actions"])

    def _groups(self, ws, row: int, name: str, first: str, groups: tuple[Group, ...]) -> int:
        ws.write_string(row, 0, f"Actions by {first.lower()} and status", self.bold)
        columns = [(first, 46, self.wrap), *self._status_columns(), ("Total", 9, self.num),
                   ("% complete", heading_width("% complete", 11, True), self.pct)]
        rows = [[g.name, *(g.counts[s] for s in REPORT_ORDER), g.total, g.pct_complete / 100] for g in groups]
        return self.table(ws, row + 1, name, columns, rows, set_widths=False, header_repeat=False).last + 3

    def _status_columns(self) -> list:
        """A count column per status, each as wide as its heading's longest word (the Summary's tables share them)."""
        return [(s, heading_width(s, 11, True), self.num) for s in REPORT_ORDER]

    def summary(self) -> None:
        p = self.p
        ws = self.sheet("Summary", "Actions by status", wide=True)
        # Every table on the sheet shares its columns: widths set once, for the widest of them.
        for col, (_, width, _) in enumerate([("", 46, None), *self._status_columns(), ("Total", 9, None),
                                             ("% complete", heading_width("% complete", 11, True), None)]):
            self.set_width(ws, col, width)
        rows = [[s, n, n / p.total if p.total else 0] for s, n in p.counts.items()]
        last = self.table(ws, 2, "tblStatus", [("Status", 46, self.text), ("Actions", 11, self.num),
                                                ("Share", 11, self.pct)], rows,
                          [[self.status_fmt[s], None, None] for s in p.counts], header_repeat=False,
                          set_widths=False).last
        # Each table whole on a printed page: a page break before one that would run over the page's foot.
        page, used, breaks = self._page_pt(ws), 24 + 3 * LINE_PT + 4 + (LINE_PT + 3) * len(rows), []

        def keep_whole(row: int, n: int) -> None:
            nonlocal used
            height = 4 * LINE_PT + 4 + (LINE_PT + 3) * n  # its label, a header of three lines, rows a line each
            if used + height > page:
                breaks.append(row)
                used = 0
            used += height + 2 * LINE_PT

        at = last + 3
        for name, first, groups in (("tblThemes", "Theme", p.by_theme),
                                    ("tblRecommendations", "Recommendation", p.by_recommendation),
                                    ("tblStatements", "Quality statement", p.by_statement)):
            keep_whole(at, len(groups))
            at = self._groups(ws, at, name, first, groups)
        keep_whole(at, len(p.points))
        ws.write_string(at, 0, "Actions by status over time", self.bold)
        self.table(ws, at + 1, "tblOverTime", [("Date", 46, self.text), *self._status_columns()],
                   [[pt.label, *(pt.counts[s] for s in REPORT_ORDER)] for pt in p.points], header_repeat=False,
                   set_widths=False)
        if breaks:
            ws.set_h_pagebreaks(breaks)
        ws.freeze_panes(0, 0)

    def actions(self) -> None:
        p = self.p
        ws = self.sheet("Actions", f"Every action as at {format_date(p.as_at)}", wide=True)
        was = f"Status at {format_date(p.since)}" if p.since else "Earlier status"
        columns = [("Ref", 8, self.text), ("Theme", 20, self.wrap), ("Recommendation", 30, self.wrap),
                   ("Quality statement", 26, self.wrap), ("Thread", 14, self.wrap),
                   ("Area for development", 36, self.wrap), ("Action", 40, self.wrap), ("Owner", 22, self.wrap),
                   ("Start", 11, self.date), ("Due", 11, self.date), ("Revised due", 11, self.date),
                   ("Status", 12, self.text), (was, 12, self.text),
                   ("Direction", 12, self.text), ("Overdue", 9, self.text), ("Days overdue", 9, self.num),
                   ("Due in 30 days", 9, self.text), ("Status since", 12, self.date), ("Latest update", 12, self.date),
                   ("Latest commentary", 44, self.wrap), ("Evidence", 30, self.wrap),
                   ("Corrective action", 36, self.wrap), ("Decision required", 36, self.wrap)]
        headers = [c[0] for c in columns]
        rows, fmts = [], []
        for a in p.actions:
            x = a.action
            row = [x.ref, x.theme.name, x.recommendation, x.quality_statement.name if x.quality_statement else "",
                   x.thread, x.area_for_development, x.action, x.owner, x.start, x.due, x.revised_due, a.status,
                   a.before or "",
                   direction_text(a, p), "Yes" if a.overdue else "No", p.days_overdue(a) or None,
                   "Yes" if a.due_soon else "No", a.status_since, a.latest.date if a.latest else None, a.commentary,
                   a.evidence if a.status != "Complete" else evidence_text(a).replace("**", ""),
                   x.corrective_action, x.decision_required]
            rows.append(row)
            fmts.append(self.status_formats(row, headers, ("Status", was)))
        self.table(ws, 2, "tblProgress", columns, rows, fmts)

    def exceptions(self) -> None:
        p = self.p
        ws = self.sheet("Exceptions", "Exceptions: actions off track or at risk", wide=True)
        columns = [("Ref", 8, self.text), ("Action", 44, self.wrap), ("Owner", 22, self.wrap),
                   ("Status", 12, self.text), ("Since", 12, self.date), ("Days at this status", 11, self.num),
                   ("How long", 40, self.wrap), ("Latest commentary", 60, self.wrap),
                   ("Corrective action", 44, self.wrap), ("Revised due", 11, self.date)]
        rows = [[a.ref, a.action.action, a.action.owner, a.status, a.status_since, p.days_at_status(a),
                 status_since_text(a, p), a.commentary, a.action.corrective_action or "None recorded",
                 a.action.revised_due] for a in p.exceptions]
        self.table(ws, 2, "tblExceptions", columns, rows,
                   [self.status_formats(r, [c[0] for c in columns], ("Status",)) for r in rows])

    def overdue(self) -> None:
        p = self.p
        ws = self.sheet("Overdue", "Overdue actions, and those due in the next 30 days", wide=True)
        columns = [("Ref", 8, self.text), ("Action", 50, self.wrap), ("Owner", 24, self.wrap), ("Due", 11, self.date),
                   ("Days overdue", 10, self.num), ("Status", 12, self.text), ("Newly overdue", 10, self.text)]
        rows = [[a.ref, a.action.action, a.action.owner, a.action.due, p.days_overdue(a), a.status,
                 "Yes" if a.newly_overdue else "No"] for a in p.overdue]
        headers = [c[0] for c in columns]
        last = self.table(ws, 2, "tblOverdue", columns, rows,
                          [self.status_formats(r, headers, ("Status",)) for r in rows]).last
        start = max(last, 2) + 3
        ws.write_string(start - 1, 0, "Due in the next 30 days", self.bold)
        soon = [[a.ref, a.action.action, a.action.owner, a.action.due, a.status] for a in p.due_soon]
        self.table(ws, start, "tblDueSoon", [c for c in columns if c[0] not in ("Days overdue", "Newly overdue")],
                   soon, [self.status_formats(r, ["Ref", "Action", "Owner", "Due", "Status"], ("Status",))
                          for r in soon], header_repeat=False, set_widths=False)
        ws.freeze_panes(0, 0)

    def updates(self) -> None:
        p = self.p
        ws = self.sheet("Updates", "The update log", wide=True)
        columns = [("Date", 11, self.date), ("Ref", 8, self.text), ("Status", 12, self.text),
                   ("Commentary", 60, self.wrap), ("Evidence", 36, self.wrap), ("Updated by", 18, self.text),
                   ("Counted", 9, self.text), ("Source row", 14, self.text)]
        rows = [[u.date, u.ref, u.status, u.commentary, u.evidence, u.updated_by,
                 "Yes" if u.date <= p.as_at else "No (after the report's date)", u.place]
                for u in p.workbook.updates]
        self.table(ws, 2, "tblUpdates", columns, rows,
                   [[None, None, self.status_fmt[r[2]], None, None, None, None, None] for r in rows])

    # --- charts -------------------------------------------------------------------------------------------

    def _chart(self, ws, row: int, chart: ChartDef, table: PlacedTable) -> int:
        """CHART as a native stacked bar chart of TABLE's status columns; returns the rows it takes."""
        xl = self.wb.add_chart({"type": "bar", "subtype": "stacked"})
        for status in REPORT_ORDER:
            fill, text = ACTION_STATUS_FILL[status], ACTION_STATUS_TEXT[status]
            xl.add_series({"name": table.header(status), "categories": table.column(table.headers[0]),
                           "values": table.column(status), "fill": {"color": "#" + fill},
                           "border": {"color": "#FFFFFF"}, "gap": 60,
                           "data_labels": {"value": True, "position": "center", "font": {**font(), "color": "#" + text},
                                           "custom": [None if v else {"delete": True}
                                                      for v in chart.series[REPORT_ORDER.index(status)].values]}})
        xl.set_title({"name": chart.title, "name_font": font(11, bold=True)})
        xl.set_x_axis({"name": chart.value_axis.title, "min": 0, "max": chart.value_axis.maximum,
                       "major_unit": chart.value_axis.major_unit, "num_font": font(), "name_font": font()})
        xl.set_y_axis({"reverse": True, "num_font": font()})
        xl.set_legend({"position": "top", "font": font()})
        height = max(300, 60 + 45 * len(chart.categories))
        xl.set_size({"width": 900, "height": height})
        ws.insert_chart(row, 0, xl, {"description": chart.alt_text, "object_position": 3})
        return height // 20 + 3

    def charts(self) -> None:
        ws = self.sheet("Charts", "Charts")
        ws.write_string(1, 0, "Native Excel charts of the tables on the Summary sheet; each has alt text.", self.italic)
        at = 3
        breaks = []
        for chart, table in ((status_by_theme_chart(self.p.by_theme), "tblThemes"),
                             (status_over_time_chart(self.p), "tblOverTime")):
            breaks.append(at)
            at += self._chart(ws, at, chart, self.placed[table])
        ws.print_area(0, 0, at, 14)
        ws.set_h_pagebreaks(breaks[1:])

    def write(self) -> None:
        p = self.p
        self.wb.set_properties({
            "title": f"{self.a.council} improvement plan progress, {format_date(p.as_at)}",
            "subject": "CQC adult social care improvement plan", "company": self.a.council,
            "author": self.a.report_author or self.a.directorate or self.a.council,
            "keywords": "CQC, adult social care, improvement plan", "category": self.a.protective_marking,
            "created": datetime(p.as_at.year, p.as_at.month, p.as_at.day),
            "comments": f"{count(p.total, 'action')}, {p.pct_complete}% complete"})
        self.contents()
        if p.agreed:
            self.summary()
            self.actions()
            self.exceptions()
            self.overdue()
            self.updates()
            self.charts()
        else:
            self.actions()
        self.close()


def write_progress_annex(progress: Progress, path: Path, *, source_name: str) -> None:
    """Write the progress report's Excel annex for PROGRESS to PATH."""
    ProgressAnnex(progress, Path(path), source_name).write()
