"""`cqcdocs import-report`: start or fill a source workbook from CQC's published assessment report.

`source` turns the saved report (text, Markdown or a web page) into blocks of text with their lines;
`parse` reads CQC's layout from them into a typed `Report` (pure; every problem with its line); `place`
gives the summaries' paragraphs a quality statement by likeness; `fill` writes into an openpyxl workbook,
only into empty cells. This module opens the workbook, and writes it whole through `output.write_all`
(a temporary file, renamed over the workbook only when complete). The report itself is only read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReportError
from .fill import Log, fill_workbook
from .parse import Report, parse_report
from .source import read_report, read_reports

__all__ = ["import_report", "Imported", "summary_lines", "read_report", "read_reports", "parse_report"]

# Parts of a package that openpyxl does not carry over when it rewrites a workbook.
_DROPPED = (("xl/vbaProject.bin", "macros"), ("xl/charts/", "charts"), ("xl/drawings/", "pictures or shapes"),
            ("xl/media/", "pictures or shapes"), ("xl/pivotTables/", "pivot tables"), ("xl/slicers/", "slicers"))


@dataclass(frozen=True)
class Imported:
    report: Report
    log: Log
    workbook: Path
    written: bool  # False when the workbook already held everything (it is then untouched)
    new: bool  # a new workbook, not one filled in


def import_report(report_path: Path | list[Path], *, into: Path | None = None, out: Path | None = None) -> Imported:
    """Read the CQC report at REPORT_PATH (a file, a folder of saved pages, or a list of them) and fill the
    workbook INTO (only its empty cells), or write a new workbook OUT from the blank layout. Exactly one of
    INTO and OUT. Raises `ReportError` (the report) or a `UserError` (the workbook) before anything is
    written."""
    from ..load.national import national_results
    from ..output import write_all

    if (into is None) == (out is None):
        raise ValueError("import_report: give one of into and out")
    paths = [Path(p) for p in report_path] if isinstance(report_path, (list, tuple)) else [Path(report_path)]
    blocks = read_reports(paths)
    report = parse_report(blocks, blocks.name)
    table = national_results()
    if into is not None:
        target, wb = Path(into), _open_for_filling(Path(into))
    else:
        from ..blank import blank_workbook
        from .fill import _national_row

        bench = _national_row(table, report.council) if report.council else None
        target, wb = Path(out), blank_workbook(bench.region if bench else None, table if bench else None)
    log = fill_workbook(wb, report, table)
    if into is not None and not log.changed:
        return Imported(report, log, target, written=False, new=False)
    write_all([(target, wb.save)])
    return Imported(report, log, target, written=True, new=into is None)


def _open_for_filling(path: Path) -> Any:
    """The workbook at PATH opened for editing, formulas and all; refused (a `ReportError`) when it cannot be
    used, or when rewriting it would lose something of the officer's (formulas' saved values, charts, macros)."""
    import warnings

    import openpyxl

    from ..files import Unreadable, read_regular
    from ..load.cells import Problems
    from ..load.opening import MAX_FILE, open_workbook

    problems = Problems()
    opened = open_workbook(path, problems)  # what the file is, its size, a zip bomb: the loader's own checks
    if opened is None:
        raise ReportError(*(m.line() for m in problems.messages), f"{path.name}: cannot be filled in; nothing "
                                                                  "written")
    opened[0].close()
    try:
        data = read_regular(path, MAX_FILE, "a workbook")
    except Unreadable as exc:
        raise ReportError(f"{path.name}: {exc.reason}") from None
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
    lost = list(dict.fromkeys(what for part, what in _DROPPED if any(n.startswith(part) for n in names)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_links=False)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    if formulas:
        lost.insert(0, f"the values of its formulas ({', '.join(formulas[:3])}{', …' if len(formulas) > 3 else ''})")
    if lost:
        raise ReportError(f"{path.name}: has {', '.join(lost)}, which would be lost if cqcdocs rewrote it, so it "
                          "is left as it is; import into a new workbook and copy across what you need; nothing "
                          "written")
    return wb


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def summary_lines(done: Imported) -> list[str]:
    """What the import read and did, for the officer, in a few lines (every kept value and unplaced item
    listed)."""
    r, log = done.report, done.log
    said = [r.council or "no council named"]
    if r.published:
        said.append(f"published {r.published:%d/%m/%Y}")
    if r.rating:
        said.append(f"rated {r.rating}" + (f", {r.overall_pct}%" if r.overall_pct is not None else ""))
    statements = len({f.quality_statement.key for f in r.findings})
    unplaced = len(log.unplaced)
    lines = [f"Read {r.name}: {', '.join(said)}"]
    counts = (f"{_count(len(r.scores), 'score')}, {_count(len(r.findings), 'key finding')} across "
             f"{_count(statements, 'statement')}, {_count(len(r.people) + len(r.summary), 'summary paragraph')}, "
             f"{_count(len(r.comparisons), 'England comparison')}, {_count(len(r.figures), 'figure')} about the "
             f"council, {_count(len(r.waits), 'waiting figure')}; not placed: "
             f"{unplaced}" + (" (listed)" if unplaced else ""))
    if r.warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in r.warnings]
    filled = [f for f in log.filled if ": the " not in f and ": a new sheet" not in f]
    if filled:
        by_sheet: dict[str, int] = {}
        for f in filled:
            sheet = f.split("!", 1)[0]
            by_sheet[sheet] = by_sheet.get(sheet, 0) + 1
        lines.append("Filled " + _count(len(filled), "empty cell") + ": "
                     + ", ".join(f"{s} {n}" for s, n in by_sheet.items()))
    if log.added:
        lines.append("Added " + ", ".join(f"{s} {_count(n, 'row')}" for s, n in log.added.items()))
    if log.present:
        lines.append("Already there: " + ", ".join(f"{s} {_count(n, 'row')}" for s, n in log.present.items()))
    if log.placed_by_likeness:
        rows = [int(p.split("!")[1].split(":")[0]) for p in log.placed_by_likeness]
        from ..load.table import _spans

        lines.append(f"The report gives its summaries' paragraphs no theme: Findings row{'s' * (len(rows) != 1)} "
                     f"{_spans(rows)} {'were' if len(rows) != 1 else 'was'} placed under the quality statement whose "
                     "key findings they most resemble; "
                     "check their Theme and Quality statement")
    if r.findings and log.added.get("Findings"):
        lines.append("CQC's key findings are added with no Section: the briefing leaves them out until you choose "
                     "one (Key strength or Area for development, say) for those it should show")
    if log.kept:
        lines.append("Kept (the workbook already says something else):")
        lines += [f"  {k}" for k in log.kept]
    if log.unplaced:
        lines.append("Not placed:")
        lines += [f"  {u}" for u in log.unplaced]
    lines.append(counts)  # the run ends with what it read, counted
    if not done.written:
        lines.append(f"Nothing to add: {done.workbook} is unchanged")
    else:
        lines.append(f"Wrote {done.workbook}")
    return lines
