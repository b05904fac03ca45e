#!/usr/bin/env python
"""The analyst's script: the briefing's tables and text, and the annex's sheets, with python-docx and XlsxWriter.

    python benchmarks/peer.py WORKBOOK OUT_FOLDER

What an analyst who knows the libraries would write by hand instead of using cqcdocs, and the yardstick
`benchmarks/run.py` measures `cqcdocs brief` against: the workbook read with openpyxl as its documentation
shows (`load_workbook(data_only=True)`), the nine scores turned into percentages and ratings, and the same
tables and text written with python-docx's and XlsxWriter's ordinary calls. Nothing else: no charts, no
checks of the input beyond what a script needs to run, no accessibility checks, no safe replacement of
yesterday's files. It is honest, not tuned: a tuned script is cqcdocs.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import xlsxwriter
from docx import Document

RATINGS = ((88, "Outstanding"), (63, "Good"), (39, "Requires improvement"), (0, "Inadequate"))
EVIDENCE = ("People's experience", "Feedback from staff and leaders", "Processes", "Feedback from partners",
            "Outcomes")


def rating(pct: float) -> str:
    return next(label for low, label in RATINGS if pct >= low)


def rows(wb, name: str) -> list[dict]:
    """A sheet's rows as dicts keyed by its first row's headings; blank rows left out."""
    if name not in wb.sheetnames:
        return []
    values = list(wb[name].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in values[0]]
    return [dict(zip(header, r)) for r in values[1:] if any(v not in (None, "") for v in r)]


def text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d %B %Y")
    return str(value).replace("**", "")


def pct(value) -> str:
    return "" if value in (None, "") else f"{round(value * 100)}%" if isinstance(value, float) and value <= 1 else str(value)


def word_table(doc, headings: list[str], body: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings):
        cell.text = heading
    for row in body:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = text(value)


def main(source: Path, out: Path) -> None:
    wb = openpyxl.load_workbook(source, data_only=True)
    assessment = {r["Field"]: r["Value"] for r in rows(wb, "Assessment")}
    scores, findings, benchmarks = rows(wb, "Scores"), rows(wb, "Findings"), rows(wb, "Benchmarks")
    metrics, key_figures, actions = rows(wb, "Metrics"), rows(wb, "Key figures"), rows(wb, "Actions")
    governance, key_dates, survey = rows(wb, "Governance"), rows(wb, "Key dates"), rows(wb, "Survey")
    next_steps, recommendations = rows(wb, "Next steps"), rows(wb, "Recommendations")
    council, short = assessment.get("Council", ""), assessment.get("Short name", "")

    # The figures: each statement's score as a percentage of its evidence, each theme's and the overall.
    for s in scores:
        given = [s[e] for e in EVIDENCE if isinstance(s.get(e), (int, float))]
        s["pct"] = round(sum(given) / (4 * len(given)) * 100) if given else None
    themes = defaultdict(list)
    for s in scores:
        if s["pct"] is not None:
            themes[s["Theme"]].append(s["Score"] or 0)
    total = sum(s["Score"] or 0 for s in scores)
    overall = round(total / (4 * len(scores)) * 100)
    region = [b for b in benchmarks if b.get("Region") == assessment.get("Region")]
    region.sort(key=lambda b: -(b["Overall score %"] or 0) if isinstance(b.get("Overall score %"), float) else 1)

    out.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_heading(f"{assessment.get('Report title', council)}", 0)
    doc.add_paragraph(f"{council}: overall score {overall}% ({rating(overall)}).")
    doc.add_heading("Recommendations", 1)
    for r in recommendations:
        doc.add_paragraph(f"That the committee {text(r['Recommendation'])}", style="List Number")
    doc.add_heading("Governance", 1)
    word_table(doc, ["Meeting", "Date", "Purpose", "Status"],
               [[g["Meeting"], g["Date"], g["Purpose"], ""] for g in governance])
    doc.add_heading("Background", 1)
    for k in key_dates:
        doc.add_paragraph(f"{text(k['Milestone'])}: {text(k['Date'])}", style="List Bullet")
    doc.add_heading("Overall scores", 1)
    word_table(doc, ["Quality statement", "People's experience", "Staff and leaders", "Processes", "Partners",
                     "Score", "Rating", "%"],
               [[s["Quality statement"], s[EVIDENCE[0]], s[EVIDENCE[1]], s[EVIDENCE[2]], s[EVIDENCE[3]],
                 s["Score"], rating(s["pct"] or 0), s["pct"]] for s in scores])
    word_table(doc, ["Rating", "Score", "Percentage"], [[label, "", f"{low}%+"] for low, label in RATINGS])
    word_table(doc, ["Position", "Council", "Sub-region", "Overall score", "Rating"],
               [[i, b["Council"], b.get("Sub-region"), pct(b.get("Overall score %")), b.get("Rating")]
                for i, b in enumerate(region, start=1)])
    doc.add_heading("Survey", 1)
    word_table(doc, ["Question", "% positive"], [[q["Question"], pct(q["% positive"])] for q in survey])
    doc.add_heading("Key figures", 1)
    word_table(doc, ["Theme or quality statement", "Measure", "Figure", "As at"],
               [[f.get("Theme or quality statement"), f["Measure"], f["Value"], f.get("As at")] for f in key_figures])
    by_section = defaultdict(list)
    for f in findings:
        by_section[f["Section"]].append(f)
    for section, items in by_section.items():
        doc.add_heading(section, 1)
        if section in ("Key strength", "Area for development"):
            word_table(doc, ["Theme", "Finding", "Type", "Service area"],
                       [[f["Theme"], f["Finding"], f["Review"], f.get("Service area")] for f in items])
        else:
            for f in items:
                doc.add_paragraph(text(f["Finding"]))
    doc.add_heading("Performance", 1)
    word_table(doc, ["Indicator", short, "England", "Comparison"],
               [[m["Indicator"], m["Council value"], m["England average"], m.get("CQC comparison")] for m in metrics])
    doc.add_heading("Actions", 1)
    for a in actions:
        doc.add_paragraph(f"{text(a['Ref'])}: {text(a['Action'])} ({text(a.get('Status'))})", style="List Bullet")
    doc.add_heading("Next steps", 1)
    for n in next_steps:
        doc.add_paragraph(f"{text(n['Step'])} {text(n.get('Date'))}", style="List Bullet")
    doc.save(out / f"{str(short).lower()}-peer-briefing.docx")

    book = xlsxwriter.Workbook(out / f"{str(short).lower()}-peer-annex.xlsx")
    bold, wrap = book.add_format({"bold": True}), book.add_format({"text_wrap": True, "valign": "top"})

    def sheet(name: str, headings: list[str], body: list[list], first_row: int = 2) -> None:
        ws = book.add_worksheet(name)
        ws.write(0, 0, f"{council}: {name}", bold)
        ws.set_column(0, len(headings) - 1, 24, wrap)
        cells = [[text(v) if not isinstance(v, (int, float)) else v for v in row] for row in body]
        ws.add_table(first_row, 0, first_row + max(len(cells), 1), len(headings) - 1,
                     {"columns": [{"header": h} for h in headings], "data": cells or [[""] * len(headings)]})

    sheet("Contents", ["Sheet", "What it holds"], [[n, n] for n in ("Scores", "Themes", "Findings", "Metrics",
                                                                    "Key figures", "Benchmarks", "Actions",
                                                                    "Journey", "Service areas")])
    sheet("Scores", ["Theme", "Quality statement", *EVIDENCE, "Score", "%", "Rating"],
          [[s["Theme"], s["Quality statement"], *(s[e] for e in EVIDENCE), s["Score"], s["pct"],
            rating(s["pct"] or 0)] for s in scores])
    sheet("Themes", ["Theme", "Statements", "Score", "%", "Rating"],
          [[t, len(v), sum(v), round(sum(v) / (4 * len(v)) * 100), rating(sum(v) / (4 * len(v)) * 100)]
           for t, v in themes.items()])
    sheet("Findings", ["Review", "Theme", "Quality statement", "Section", "Finding", "Service area"],
          [[f["Review"], f["Theme"], f.get("Quality statement"), f["Section"], f["Finding"], f.get("Service area")]
           for f in findings])
    sheet("Metrics", ["Indicator", "Source", short, "England", "Unit", "Comparison"],
          [[m["Indicator"], m["Source"], m["Council value"], m["England average"], m.get("Unit"),
            m.get("CQC comparison")] for m in metrics])
    sheet("Key figures", ["Measure", "Value", "Unit", "As at", "Source"],
          [[f["Measure"], f["Value"], f.get("Unit"), f.get("As at"), f.get("Source")] for f in key_figures])
    sheet("Benchmarks", ["Position", "Council", "Region", "Sub-region", "Overall score %", "Rating"],
          [[i, b["Council"], b["Region"], b.get("Sub-region"), pct(b.get("Overall score %")), b.get("Rating")]
           for i, b in enumerate(region, start=1)])
    sheet("Actions", ["Ref", "Theme", "Area for development", "Action", "Owner", "Due", "Status"],
          [[a["Ref"], a["Theme"], a["Area for development"], a["Action"], a.get("Owner"), a.get("Due"),
            a.get("Status")] for a in actions])
    sheet("Journey", ["Thread", "Review", "Theme", "Section", "Service area", "Finding"],
          [[f.get("Thread"), f["Review"], f["Theme"], f["Section"], f.get("Service area"), f["Finding"]]
           for f in sorted(findings, key=lambda f: str(f.get("Thread") or ""))])
    areas = Counter((f.get("Service area") or "Not attributed", f["Review"]) for f in findings)
    sheet("Service areas", ["Service area", "Review", "Findings"], [[a, r, n] for (a, r), n in areas.items()])
    book.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
