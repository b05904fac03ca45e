"""`cqcdocs national build`: a national results table from a folder of CQC reports the officer has saved.

Each report is read with `import-report`'s reader; its council, date, rating, overall % and nine scores make
one row. The overall % is the one the report states ("published"), else worked out from the nine scores by
CQC's method ("computed", and said so), else none. Regions come from the bundled table, which names them for
England's councils. The table is written whole or not at all, in the format `load.national` reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .contract import QUALITY_STATEMENTS, normalise
from .errors import UserError
from .load.national import NationalTableError, national_results, parse_national_table
from .model import NationalTable
from .output import write_all
from .scoring import pct_up

# What `import-report` reads: the saved forms of CQC's report pages.
REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


@dataclass
class Built:
    table: NationalTable
    path: Path
    notes: list[str] = field(default_factory=list)  # warnings, one a line: what a report lacks, what was left


def _row(report, regions: dict[str, tuple[str, str]], notes: list[str]) -> dict:
    """REPORT (parsed) as a table row; what it lacks goes to NOTES."""
    scores = {s.quality_statement.key: s.score for s in report.scores}
    if report.overall_pct is not None:
        pct, basis = report.overall_pct, "published"
        if len(scores) == len(QUALITY_STATEMENTS) and pct_up(sum(scores.values()), 36) != pct:
            notes.append(f"{report.name}: warning: the report's overall score {pct}% differs from the "
                         f"{pct_up(sum(scores.values()), 36)}% its nine scores give; the report's is kept")
    elif len(scores) == len(QUALITY_STATEMENTS):
        pct, basis = pct_up(sum(scores.values()), 4 * len(scores)), "computed"
    else:
        pct, basis = None, "none"
        notes.append(f"{report.name}: warning: no overall score, and {len(scores)} of the nine quality statement "
                     "scores: the council is listed without one")
    region, sub_region = regions.get(normalise(report.council), ("", ""))
    if not region:
        notes.append(f"{report.name}: warning: {report.council} is not in the bundled table, so its region is "
                     "not known; the table lists it without one (it still counts nationally)")
    return {"council": report.council, "region": region, "sub_region": sub_region,
            "published": report.published.isoformat(), "rating": report.rating or "", "overall_pct": pct,
            "pct_basis": basis, "scores": scores,
            "basis": (["Computed"] if basis == "computed" else []) + (["Pilot"] if getattr(report, "pilot", False)
                                                                       else []),
            "source": f"{report.name} (CQC's report as saved by the officer)"}


def report_files(folder: Path) -> list[Path]:
    """The saved reports in FOLDER, by name: each file is one council's report, and each folder inside it one
    council's report saved as several pages; a `UserError` when FOLDER is not a folder or holds none."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder" if folder.exists() else f"{folder}: folder not found")
    # A browser's "complete" save keeps the page's pictures, styles and scripts in "<page>_files": not a report.
    files = sorted((p for p in folder.iterdir() if not p.name.startswith((".", "~$")) and (
        p.is_file() and p.suffix.lower() in REPORT_SUFFIXES or p.is_dir() and not p.name.endswith("_files"))),
        key=lambda p: p.name.lower())
    if not files:
        raise UserError(f"{folder}: no saved CQC reports (.txt, .md, .html, .htm or .pdf) in this folder")
    return files


def build_national_table(folder: Path, out: Path) -> Built:
    """Read every saved report in FOLDER and write the national results table OUT. Every report that cannot be
    read is one line of the `UserError` raised before anything is written."""
    from .report_import import parse_report, read_report, read_reports

    folder = Path(folder)
    files = report_files(folder)
    bundled = national_results()
    regions = {normalise(c.council): (c.region, c.sub_region) for c in bundled.councils}
    problems: list[str] = []
    notes: list[str] = []
    reports = []
    for path in files:
        try:
            if path.is_dir():  # one council's pages, saved one a file
                blocks = read_reports([path])
                reports.append(parse_report(blocks, blocks.name))
            else:
                reports.append(parse_report(read_report(path), path.name))
        except UserError as exc:
            problems.extend(exc.lines[:-1] if len(exc.lines) > 1 else exc.lines)
    for report in list(reports):  # a partial save may lack the page that names the council or its date
        if not report.council or report.published is None:
            problems.append(f"{report.name}: no {'council' if not report.council else 'publication date'}: save "
                            "the report's first page (or the PDF download) with it")
            reports.remove(report)
    latest: dict[str, object] = {}
    for report in reports:
        key = normalise(report.council)
        kept = latest.get(key)
        if kept is None or report.published > kept.published:
            if kept is not None:
                notes.append(f"{kept.name}: warning: an earlier report of {report.council} than {report.name}; "
                             "the later one is used")
            latest[key] = report
        elif report.published == kept.published:
            problems.append(f"{report.name}: the same report as {kept.name} ({report.council}, published "
                            f"{report.published:%d/%m/%Y}); keep one of them in the folder")
        else:
            notes.append(f"{report.name}: warning: an earlier report of {report.council} than {kept.name}; the "
                         "later one is used")
    if problems:
        raise UserError(*problems, f"{folder}: {len(problems)} report{'s' * (len(problems) != 1)} could not be "
                                   "read; no national table written")
    rows = [_row(r, regions, notes) for r in sorted(latest.values(), key=lambda r: (r.council.lower()))]
    as_at = max(date.fromisoformat(r["published"]) for r in rows)
    counts = {b: sum(1 for r in rows if r["pct_basis"] == b) for b in ("published", "computed", "none")}
    data = {
        "title": f"CQC local authority assessment results from the reports saved in {folder.name}",
        "as_at": as_at.isoformat(),
        "coverage": (f"{len(rows)} council{'s' * (len(rows) != 1)} of England's 153, one saved CQC report each"
                     + (f"; {counts['none']} with no overall score known" if counts["none"] else "")),
        "sources": [f"CQC local authority assessment reports saved in {folder.name}, one file or folder of pages a "
                    "council, as each council's source says"],
        "councils": rows,
    }
    try:
        table = parse_national_table(data, out.name)  # what `--national` will read back, checked now
    except NationalTableError as exc:  # pragma: no cover - every row is built to the format
        raise UserError(*exc.lines) from None
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    write_all([(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))])
    return Built(table, out, notes)
