"""The `cqcdocs` command: a thin Click layer over `documents`, `load`, `scoring` and `check`.

Every user mistake ends as a message and exit 1, never a traceback. Heavy libraries are imported only
by the commands that need them.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InvalidWorkbook, UserError
from .files import display_name, shown
from .model import tally
from .resources import EXAMPLE_WORKBOOK

class _Path(click.Path):
    """A path that is not empty: "" would be taken as the current folder (and said as ": is a folder")."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: give a file or folder name", param, ctx)
        return super().convert(value, param, ctx)


def _named(ctx, param, value: str | None) -> str | None:
    """An option naming something (a board, a meeting) must name it: "" would match every one."""
    if value is not None and not value.strip():
        raise click.BadParameter("is empty: give the name as it is in the Governance sheet")
    return value


WORKBOOK = click.argument("workbook", required=False, type=_Path(path_type=Path))
# Options the document-writing commands share, said the same way in each one's --help.
OUT = click.option("--out", "out", type=_Path(path_type=Path), default=Path("out"), show_default=True,
                   help="Folder for the documents (created if missing).")
COMMITTEE = click.option("--committee", callback=_named, help="A meeting from the Governance sheet: adds committee front matter.")
TEMPLATE = click.option("--template", type=_Path(path_type=Path), help="A Word document whose styles to use.")
WORKBOOKS = click.argument("workbooks", nargs=-1, type=_Path(path_type=Path))
JOBS = click.option("--jobs", type=click.IntRange(min=1), help="Workers for several workbooks (default: all cores).")
SUMMARY = click.option("--summary", "summary_file", type=_Path(path_type=Path, dir_okay=False),
                       help="Several workbooks: also write the summary table to this .csv or .json file.")
VERBOSE = click.option("-v", "--verbose", is_flag=True, help="Several workbooks: list every file written.")


def _final(appendix: str):
    return click.option("--final", is_flag=True, help=f"Leave out the author's {appendix}.")


def _pdf(document: str):
    return click.option("--pdf", is_flag=True,
                        help=f"Also a tagged, accessible PDF of the {document} (needs LibreOffice).")


NATIONAL = click.option("--national", type=click.Path(path_type=Path),
                        help="A national results table made by 'cqcdocs national build', instead of the bundled one.")


def _national_table(path: Path | None):
    """The national results table at PATH (None: the bundled one is used), read now so that a bad one stops
    the run before anything is written."""
    if path is None:
        return None
    from .load.national import read_national_table

    try:
        return read_national_table(path)
    except UserError as exc:
        _fail(exc)


def _workbook(path: Path | None) -> Path:
    return path if path is not None else EXAMPLE_WORKBOOK


def _fail(error: UserError | str, *, writing: bool = False) -> None:
    """Print the error's lines and exit 1: the details as they are, the verdict (the last line) after
    "Error:". WRITING: the command makes documents, so a workbook's verdict adds that none was written."""
    lines = error.lines if isinstance(error, UserError) else [error]
    *details, verdict = lines
    if writing and isinstance(error, InvalidWorkbook):
        verdict += "; nothing written"
    for line in details:
        click.echo(shown(line), err=True)
    click.echo(shown(f"Error: {verdict}"), err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cqcdocs")
def main() -> None:
    """Committee-ready CQC adult social care briefings from one source workbook.

    \b
    Example:
      cqcdocs validate council.xlsx
      cqcdocs brief                      # the bundled example, into out/
    """
    # A file name that is not UTF-8 is printed as the bytes it is (as `ls` shows it), never a traceback.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="surrogateescape")
        except (AttributeError, ValueError, OSError):
            pass


@main.command()
@WORKBOOK
@click.option("--json", "as_json", is_flag=True, help="Print the messages as JSON.")
def validate(workbook: Path | None, as_json: bool) -> None:
    """Check WORKBOOK against the contract and the CQC method; list every error and warning.

    Exits 0 when the workbook can be used (warnings allowed), 1 when it cannot.

    \b
    Example:
      cqcdocs validate council.xlsx
    """
    from .load import read
    from .scoring import score_workbook

    path = _workbook(workbook)
    model, messages = read(path)
    if model is not None:
        messages = messages + list(score_workbook(model).warnings)
    ok = model is not None
    if as_json:
        click.echo(json.dumps({"workbook": str(path), "valid": ok,
                               "messages": [{"place": m.place, "level": m.level, "message": m.text}
                                            for m in messages]}, indent=2))
    else:
        for m in messages:
            click.echo(shown(m.line()))
        click.echo(f"{display_name(path)}: {'valid' if ok else 'not valid'} ({tally(messages)})")
    sys.exit(0 if ok else 1)


@main.command()
@WORKBOOK
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def score(workbook: Path | None, as_json: bool) -> None:
    """Print each quality statement's percentage, score and rating, and the overall result.

    \b
    Example:
      cqcdocs score council.xlsx --json
    """
    from .documents import load_and_score
    from .render.sentences import pct_unknown_sentence

    try:
        result, warnings = load_and_score(_workbook(workbook))
    except UserError as exc:
        _fail(exc)
    for m in warnings:
        click.echo(m.line(), err=True)
    if as_json:
        click.echo(json.dumps(_score_json(result), indent=2))
        return
    click.echo(result.workbook.assessment.council)
    rows = [(s.quality_statement.name, s.theme.name,
             "—" if s.pct is None else f"{s.pct}%", "—" if s.score is None else str(s.score),
             s.rating.label if s.rating else "Not assessed") for s in result.statements]
    headers = ("Quality statement", "Theme", "%", "Score", "Rating")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(5)]
    for r in [headers, tuple("-" * w for w in widths), *rows]:
        click.echo("  ".join(c.ljust(w) if i < 2 or i == 4 else c.rjust(w)
                             for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    o = result.overall
    if o is not None:
        click.echo(f"Overall: {o.pct}% {o.rating.label} ({o.total} of {4 * o.assessed} from {o.assessed} "
                   f"quality statement{'s' * (o.assessed != 1)})")
    if result.pct_unknown:
        click.echo(pct_unknown_sentence(result))


def _score_json(result) -> dict:
    o = result.overall
    return {
        "council": result.workbook.assessment.council,
        "quality_statements": [
            {"quality_statement": s.quality_statement.name, "theme": s.theme.name, "categories": s.categories,
             "percentage": s.pct, "score": s.score, "rating": s.rating.label if s.rating else None,
             "basis": s.basis, "draft_score": s.draft_score} for s in result.statements],
        "themes": [{"theme": t.theme.name, "percentage": t.pct, "derived": True} for t in result.themes],
        "overall": None if o is None else {"percentage": o.pct, "rating": o.rating.label, "total": o.total,
                                           "statements_assessed": o.assessed},
    }


@main.command()
@click.argument("path", type=_Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--region", help="Fill in the Benchmarks sheet with this region's councils from the bundled, dated "
                               "national results table.")
@NATIONAL
def init(path: Path, force: bool, region: str | None, national: Path | None) -> None:
    """Write a blank source workbook at PATH, with instructions and drop-downs.

    \b
    Examples:
      cqcdocs init my-council-2026.xlsx --region "Yorkshire and the Humber"
      cqcdocs init my-council-2026.xlsx --region "Yorkshire and the Humber" --national results.json
    """
    from .blank import write_blank_workbook

    from .output import exists

    if national is not None and region is None:
        _fail("--national needs --region: the table fills in that region's councils")
    try:
        taken = exists(path)
    except UserError as exc:
        _fail(exc)
    if taken and not force:
        _fail(f"{path} already exists; use --force to overwrite it")
    try:
        write_blank_workbook(path, region, _national_table(national))
    except UserError as exc:
        _fail(exc)
    click.echo(f"Wrote {path}")


@main.group()
def national() -> None:
    """National results tables: where a council stands among England's councils.

    \b
    Example:
      cqcdocs national build saved-reports --out results.json
    """


@national.command("build")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=Path("national-results.json"),
              show_default=True, help="The table to write (replaced whole if it exists).")
def national_build(folder: Path, out: Path) -> None:
    """Make a national results table from the CQC reports saved in FOLDER (one report a council, as text,
    Markdown, a web page or CQC's PDF download), for --national on brief and init.

    Each council's overall % is the report's own, else worked out from its nine scores by CQC's method and
    marked computed. The regions come from the bundled table.

    \b
    Example:
      cqcdocs national build saved-reports --out results.json
      cqcdocs brief council.xlsx --national results.json
    """
    from .national import build_national_table
    from .render.sentences import published_count

    try:
        built = build_national_table(folder, out)
    except UserError as exc:
        _fail(exc)
    for line in built.notes:
        click.echo(line, err=True)
    councils = built.table.councils
    known = [c for c in councils if c.overall_pct is not None]
    computed = sum(1 for c in known if "Computed" in c.basis)
    click.echo(f"Read {len(councils)} report{'s' * (len(councils) != 1)}: "
               + (f"{len(known)} with an overall score, {published_count(len(known) - computed, len(known))}"
                  if known else "none with an overall score")
               + f"; as at {built.table.as_at:%d/%m/%Y}")
    click.echo(f"Wrote {built.path}")


@main.command("import-report")
@click.argument("report", nargs=-1, required=True, type=_Path(path_type=Path))
@click.option("--into", "into", type=_Path(path_type=Path),
              help="Fill in this source workbook: only its empty cells; findings and figures not already there "
                   "are added; everything else in the file is kept as it is.")
@click.option("--out", "out", type=_Path(path_type=Path), help="Write a new source workbook here instead.")
@click.option("--force", is_flag=True, help="With --out: overwrite the file if it exists.")
def import_report(report: tuple[Path, ...], into: Path | None, out: Path | None, force: bool) -> None:
    """Start or fill a source workbook from CQC's published assessment REPORT: one or more of its pages, or a
    folder of them, saved as text, Markdown or web pages, or CQC's PDF download. The report is only read; a
    workbook's own values are never changed.

    \b
    Examples:
      cqcdocs import-report rotherham-report.txt --out rotherham-2026.xlsx
      cqcdocs import-report rotherham-report.html --into rotherham-2026.xlsx
      cqcdocs import-report saved-pages/ --out rotherham-2026.xlsx
    """
    from .output import exists
    from .report_import import import_report as run, summary_lines

    if (into is None) == (out is None):
        _fail("give --into WORKBOOK (fill in a workbook) or --out NEW.xlsx (a new one), not both or neither")
    try:
        if out is not None and exists(out) and not force:
            _fail(f"{out} already exists; use --into {out} to fill it in, or --force to replace it")
        done = run(list(report), into=into, out=out)
    except UserError as exc:
        _fail(exc)
    for line in summary_lines(done):
        click.echo(line)


def _report(made) -> None:
    for m in made.warnings:
        click.echo(shown(m.line()))
    for p in made.written:
        click.echo(shown(f"Wrote {p}"))
    if made.checks is not None:
        from .check import summary

        for p in made.checks:
            click.echo(f"check: {p}")
        click.echo(f"Accessibility check: {summary(made.checks, zero_counts=True)}")
    for line in made.failed:  # a PDF that could not be made: the rest was written, but the run failed
        click.echo(f"Error: {line}", err=True)
    if made.failed:
        sys.exit(1)


@main.command()
@WORKBOOKS
@OUT
@COMMITTEE
@TEMPLATE
@_final("reconciliation appendix")
@click.option("--no-annex", is_flag=True, help="Write the Word briefing only.")
@click.option("--charts", type=click.Choice(["native", "picture"]), default="native", show_default=True,
              help="Editable Word charts, or pictures for publishing systems that cannot draw them.")
@_pdf("briefing")
@JOBS
@SUMMARY
@VERBOSE
@NATIONAL
def brief(workbooks: tuple[Path, ...], out: Path, committee: str | None, template: Path | None, final: bool,
          no_annex: bool, charts: str, pdf: bool, jobs: int | None, summary_file: Path | None, verbose: bool,
          national: Path | None) -> None:
    """Write the Word briefing and Excel annex for each WORKBOOK (default: the bundled example).

    \b
    Examples:
      cqcdocs brief
      cqcdocs brief council.xlsx --out papers --committee "Health Select" --final
      cqcdocs brief council.xlsx --pdf
      cqcdocs brief a.xlsx b.xlsx c.xlsx --jobs 2 --summary region.csv
      cqcdocs brief council.xlsx --national results.json
    """
    from .documents import Options

    paths = list(workbooks) or [EXAMPLE_WORKBOOK]
    if summary_file is not None:
        _check_summary(summary_file, paths)
    _national_table(national)  # a bad table is one error before any workbook is read
    options = Options(annex=not no_annex, committee=committee, template=template, final=final, charts=charts,
                      pdf=pdf, national=national)
    _make(paths, out, options, jobs=jobs, summary_file=summary_file, verbose=verbose)


def _make(paths: list[Path], out: Path, options, *, jobs: int | None, summary_file: Path | None, verbose: bool,
          column: str = "Overall", single=None) -> None:
    """Make OPTIONS.paper for each of PATHS: one workbook directly (SINGLE, if given, makes it and says what
    it found), several as a batch (`batch.run_batch`) with a progress bar, a summary table whose second
    column is COLUMN, and SUMMARY_FILE. Exits 1 if any workbook failed."""
    from .documents import make_documents

    if len(paths) == 1:
        try:
            if single is not None:
                single(paths[0])
            else:
                _report(make_documents(paths[0], out, options))
        except UserError as exc:
            _fail(exc, writing=True)
        return
    from .batch import run_batch
    from .batch_report import BatchReport

    view = BatchReport(len(paths), verbose=verbose, column=column)
    try:
        with view:
            failed = run_batch(paths, out, jobs=jobs, report=view.report, fail=view.fail, options=options)
    except UserError as exc:  # the output folder cannot be used, or another run holds it
        _fail(exc)
    view.finish()
    if summary_file is not None:
        try:
            view.write_summary(summary_file)
        except UserError as exc:
            _fail(exc)
    sys.exit(1 if failed else 0)


def _check_summary(summary: Path, workbooks: list[Path]) -> None:
    """Before the batch starts: the summary file can be written, as a file, and is none of the workbooks."""
    from .output import exists

    if summary.suffix.lower() not in (".csv", ".json"):
        _fail(f"{summary}: the summary file must end in .csv or .json")
    try:
        taken = exists(summary)
    except UserError as exc:
        _fail(exc)
    if taken and any(_same_file(summary, w) for w in workbooks):
        _fail(f"{summary}: is one of the workbooks; the summary would replace it, so give it another name")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@main.command()
@WORKBOOK
@click.option("--out", "out", type=_Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the annex (created if missing).")
def annex(workbook: Path | None, out: Path) -> None:
    """Write only the Excel annex for WORKBOOK.

    \b
    Example:
      cqcdocs annex council.xlsx --out papers
    """
    from .documents import Options, make_documents

    try:
        _report(make_documents(_workbook(workbook), out, Options(briefing=False)))
    except UserError as exc:
        _fail(exc, writing=True)


class _Date(click.ParamType):
    """A date as the workbook takes one: 2026-08-11, 11/08/2026 or 11 August 2026."""

    name = "date"

    def convert(self, value, param, ctx):
        from .load import Problems, SourceCell, parse_date

        problems = Problems()
        parsed = parse_date(SourceCell(value, ""), problems) if isinstance(value, str) else value
        if parsed is None:
            self.fail(problems.messages[0].text, param, ctx)
        return parsed


@main.command()
@WORKBOOKS
@click.option("--as-at", "as_at", type=_Date(), help="The date the report is as at (default: today).")
@click.option("--since", type=_Date(), help="Compare with this date instead of the last board meeting.")
@click.option("--board", callback=_named, help="The board whose meetings in the Governance sheet are compared with "
                              "(default: one containing 'Assurance Board').")
@OUT
@COMMITTEE
@TEMPLATE
@_final("notes appendix")
@_pdf("report")
@JOBS
@SUMMARY
@VERBOSE
def progress(workbooks: tuple[Path, ...], as_at, since, board: str | None, out: Path, committee: str | None,
             template: Path | None, final: bool, pdf: bool, jobs: int | None, summary_file: Path | None,
             verbose: bool) -> None:
    """Write the monthly improvement plan progress report (Word) and its Excel annex for each WORKBOOK
    (default: the bundled example).

    \b
    Examples:
      cqcdocs progress council.xlsx --as-at 2026-08-11
      cqcdocs progress council.xlsx --since 2026-07-01 --out papers --final --pdf
      cqcdocs progress council.xlsx --committee "Adults Scrutiny" --template house.docx
      cqcdocs progress a.xlsx b.xlsx c.xlsx --as-at 2026-08-11 --jobs 2 --summary plans.csv
    """
    import datetime

    from .documents import Options, make_progress

    if since is not None and board is not None:
        _fail("use --since or --board, not both")
    paths = list(workbooks) or [EXAMPLE_WORKBOOK]
    if summary_file is not None:
        _check_summary(summary_file, paths)
    # One date for the whole batch, fixed now: a batch running past midnight reports every plan as at one day.
    options = Options(paper="progress", as_at=as_at or datetime.date.today(), since=since, board=board,
                      committee=committee, template=template, final=final, pdf=pdf)

    def single(path: Path) -> None:
        from .render.progress_defs import headline, not_agreed_sentence

        made, plan = make_progress(path, out, options=options)
        _report(made)
        for line in headline(plan) if plan.agreed else [not_agreed_sentence(plan)]:
            click.echo(line)

    _make(paths, out, options, jobs=jobs, summary_file=summary_file, verbose=verbose, column="Plan",
          single=single)


@main.command()
@WORKBOOKS
@OUT
@COMMITTEE
@TEMPLATE
@_final("notes appendix and the DRAFT marking")
@_pdf("paper")
@JOBS
@SUMMARY
@VERBOSE
def journey(workbooks: tuple[Path, ...], out: Path, committee: str | None, template: Path | None, final: bool,
            pdf: bool, jobs: int | None, summary_file: Path | None, verbose: bool) -> None:
    """Write the improvement journey paper (Word) and its Excel annex for each WORKBOOK (default: the bundled
    example): every review's findings by thread, in time order, and by service area.

    \b
    Examples:
      cqcdocs journey council.xlsx
      cqcdocs journey council.xlsx --committee "Health Select" --final --pdf
      cqcdocs journey a.xlsx b.xlsx c.xlsx --jobs 2 --summary journeys.csv
    """
    from .documents import Options

    paths = list(workbooks) or [EXAMPLE_WORKBOOK]
    if summary_file is not None:
        _check_summary(summary_file, paths)
    _make(paths, out, Options(paper="journey", committee=committee, template=template, final=final, pdf=pdf),
          jobs=jobs, summary_file=summary_file, verbose=verbose, column="Journey")


@main.command()
@click.argument("files", nargs=-1, required=True, type=_Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option("--lang", default="en-GB", show_default=True, help="The language the documents should declare.")
def check(files: tuple[Path, ...], as_json: bool, lang: str) -> None:
    """Check .docx, .xlsx and .pdf FILES for accessibility problems; exit 1 if any error.

    \b
    Example:
      cqcdocs check out/rotherham-cqc-briefing.docx out/rotherham-cqc-annex.xlsx
      cqcdocs check out/rotherham-cqc-briefing.pdf
    """
    from .check import check_files, summary, to_json

    problems = check_files([str(f) for f in files], lang=lang)
    if as_json:
        click.echo(to_json(problems))
    else:
        for p in problems:
            click.echo(str(p))
        click.echo(summary(problems, files=len(files)))
    sys.exit(1 if any(p.level == "error" for p in problems) else 0)
