"""How a batch is shown to the person running it: progress, problems, and a summary at the end.

On a terminal, one progress bar (councils done of total, time left); warnings and failures wait until it
finishes, each under its workbook's path. In a log or a pipe, one counted line per workbook
(`[12/60] York: wrote 2 files`) with its problems under it. Success is quiet: the per-file lines appear
only with `verbose`. Either way the batch ends with a table per council, failures first, and can write the
same table to a .csv or .json file. `batch.run_batch` calls `report` and `fail` in the order given.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import click

from .files import shown
from .output import write_all
from .wording import count

HEADERS = ("Council", "Overall", "Files", "Warnings", "Errors")
# A cell a spreadsheet would take as a formula (OWASP's CSV injection rule): a council's name or a message
# comes from a workbook, and must open in Excel as the text it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """VALUE as a CSV cell a spreadsheet shows as text: a string starting like a formula gets a leading '."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


@dataclass
class Row:
    """One council's line in the summary (and in --summary's file)."""

    workbook: str
    council: str
    status: str  # "written" | "failed"
    overall_pct: int | None
    rating: str | None
    files: int
    warnings: int
    errors: int
    message: str = ""  # a failure's verdict, or the first accessibility error
    headline: str = ""  # a paper other than the briefing: its result in a few words (`documents.Made.headline`)

    @property
    def overall(self) -> str:
        if self.status == "failed":
            return "failed"
        if self.headline:
            return self.headline
        return f"{self.overall_pct}% {self.rating}" if self.overall_pct is not None else "not assessed"


def _is_warning(line: str) -> bool:
    """A message line as `Message.line()` writes a warning ("place: warning: text" or "warning: text")."""
    return ": warning: " in line or line.startswith("warning: ")


class BatchReport:
    """Collects each workbook's outcome and shows it as the batch goes."""

    def __init__(self, total: int, *, verbose: bool = False, terminal: bool | None = None,
                 out: TextIO | None = None, err: TextIO | None = None, column: str = "Overall"):
        self.total = total
        self.headers = (HEADERS[0], column, *HEADERS[2:])  # the second column: what the paper found
        self.verbose = verbose
        # The streams of the moment (Click's test runner swaps them in); click.get_text_stream is deprecated.
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.terminal = self.out.isatty() if terminal is None else terminal
        self.rows: list[Row] = []
        self._deferred: list[str] = []  # on a terminal, problems wait until the bar is done
        self._bar = None

    # --- the batch's life ---------------------------------------------------------------------------

    def __enter__(self) -> BatchReport:
        if self.terminal:
            self._bar = click.progressbar(length=self.total, label="Councils", show_eta=True, show_pos=True,
                                          file=self.out, width=30)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
            self._bar = None
        for line in self._deferred:
            click.echo(line, file=self.err)

    # --- what batch.run_batch calls -----------------------------------------------------------------

    def report(self, made) -> None:
        """A workbook whose documents were written (`documents.Made`)."""
        checks = made.checks or []
        check_errors = [p for p in checks if p.level == "error"]
        failed = made.failed  # documents not made (a PDF without LibreOffice): errors, though the rest was written
        row = Row(str(made.workbook), made.council, "written", made.overall_pct, made.rating, len(made.written),
                  len(made.warnings) + len(checks) - len(check_errors), len(check_errors) + len(failed),
                  failed[0] if failed else str(check_errors[0]) if check_errors else "", made.headline)
        self.rows.append(row)
        lines = failed + [m.line() for m in made.warnings] + [f"check: {p}" for p in checks]
        if self.verbose:
            lines += [f"Wrote {p}" for p in made.written]
        self._show(row, lines, f"wrote {count(row.files, 'file')}" + (
            f", {count(row.warnings, 'warning')}" if row.warnings else ""))

    def fail(self, path: Path, lines: list[str]) -> None:
        """A workbook that wrote nothing, or whose files replaced another's: LINES are its problems."""
        details = lines[:-1] or lines
        errors = sum(1 for line in details if not _is_warning(line)) or 1
        warnings = sum(1 for line in details if _is_warning(line))
        row = Row(str(path), Path(path).stem, "failed", None, None, 0, warnings, errors, lines[-1])
        self.rows.append(row)
        self._show(row, lines, "failed")

    # --- showing ----------------------------------------------------------------------------------

    def _show(self, row: Row, lines: list[str], outcome: str) -> None:
        if self.terminal:
            self._bar.update(1)
        else:
            self._echo(f"[{len(self.rows)}/{self.total}] {row.council}: {outcome}")
        if lines:
            self._problems(Path(row.workbook), lines, failed=row.status == "failed")

    def _problems(self, path: Path, lines: list[str], failed: bool = True) -> None:
        """LINES under the workbook's path: on standard error, and on a terminal once the bar is done."""
        if failed and len(lines) == 1:
            block = [f"Error: {path}: {lines[0]}"]
        else:
            block = [f"Error: {path}:" if failed else f"{path}:", *(f"  {line}" for line in lines)]
        block = [shown(line) for line in block]
        if self.terminal:
            self._deferred += block
        else:
            for line in block:
                click.echo(line, file=self.err)

    def _echo(self, line: str) -> None:
        click.echo(shown(line), file=self.out)

    # --- the summary --------------------------------------------------------------------------------

    def sorted_rows(self) -> list[Row]:
        """Failures first, then councils in the order given."""
        return sorted(self.rows, key=lambda r: r.status != "failed")

    def table(self) -> list[str]:
        """The summary as aligned text lines."""
        cells = [self.headers] + [(r.council, r.overall, str(r.files), str(r.warnings), str(r.errors))
                             for r in self.sorted_rows()]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.headers))]
        return ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                for row in cells]

    def write_summary(self, path: Path) -> None:
        """The summary as .csv or .json (by PATH's suffix), for a spreadsheet or a script, written as the
        documents are (`output.write_all`: a whole file or none, never into a pipe or a device)."""
        rows = [{k: shown(v) if isinstance(v, str) else v for k, v in (asdict(r) | {"overall": r.overall}).items()}
                for r in self.sorted_rows()]
        if path.suffix.lower() == ".json":
            text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [f for f in Row.__annotations__])
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
            text = buffer.getvalue()
        write_all([(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))])

    def finish(self) -> None:
        """The table, then the count of workbooks done."""
        self._echo("")
        for line in self.table():
            self._echo(line)
        done = sum(1 for r in self.rows if r.status == "written")
        self._echo(f"{done} of {self.total} workbooks done")
