"""`cqcdocs import-report`: start or fill a source workbook from CQC's published assessment report.

`source` turns the saved report (text, Markdown or a web page) into blocks of text with their lines;
`parse` reads CQC's layout from them into a typed `Report` (pure; every problem with its line); `place`
gives the summaries' paragraphs a quality statement by likeness; `fill` writes into an openpyxl workbook,
only into empty cells. A new workbook is written whole through `output.write_all`; an officer's workbook
is filled by `into`, which writes only the cells that change into the original package (`patch`). The
report itself is only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .fill import Log, fill_workbook
from .parse import Report, parse_report
from .source import read_report, read_reports

__all__ = ["import_report", "Imported", "summary_lines", "read_report", "read_reports", "parse_report"]

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

    if (into is None) == (out is None):
        raise ValueError("import_report: give one of into and out")
    paths = [Path(p) for p in report_path] if isinstance(report_path, (list, tuple)) else [Path(report_path)]
    blocks = read_reports(paths)
    report = parse_report(blocks, blocks.name)
    table = national_results()
    if into is not None:
        from .into import fill_into

        log, written = fill_into(report, Path(into), table)
        return Imported(report, log, Path(into), written=written, new=False)
    from ..blank import blank_workbook
    from ..output import write_all
    from .into import changes_since, snapshot

    bench = table.council(report.council) if table is not None and report.council else None
    wb = blank_workbook(bench.region if bench else None, table if bench else None)
    before = snapshot(wb)
    log = fill_workbook(wb, report, table)
    for change in changes_since(before, wb):
        if isinstance(change.value, str):  # the report's text is text, never a formula ("=…", "+…")
            wb[change.sheet].cell(change.row, change.column).data_type = "s"
    write_all([(Path(out), wb.save)])
    return Imported(report, log, Path(out), written=True, new=True)


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
        from ..wording import row_ranges

        lines.append(f"The report gives its summaries' paragraphs no theme: Findings row{'s' * (len(rows) != 1)} "
                     f"{row_ranges(rows)} {'were' if len(rows) != 1 else 'was'} placed under the quality statement whose "
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
