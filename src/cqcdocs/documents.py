"""The documents behind the commands, as plain functions: load → score → render → write safely.

The Click layer only parses options and prints; batch runs call `make_documents` in worker processes.
Renderers are imported inside the functions that use them, so `validate`, `score` and `--help` never
pay for python-docx, XlsxWriter or matplotlib.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from collections.abc import Callable

from .contract import normalise
from .errors import UnknownMeeting
from .files import shown
from .load import load_workbook
from .load.national import national_results, read_national_table
from .model import Meeting, Message, Workbook
from .output import slug, write_all
from .scoring import Result, score_workbook


@dataclass(frozen=True)
class Options:
    """What to make for each workbook: the paper (a key of `PAPERS`) and the choices its command offers, as one
    picklable value, so that a batch's workers get the same for every workbook."""

    paper: str = "briefing"
    briefing: bool = True
    annex: bool = True
    committee: str | None = None  # a Governance meeting's name (or a unique start of it)
    template: Path | None = None
    final: bool = False
    check: bool = True
    charts: str = "native"  # "native": editable Word charts; "picture": images, for systems that cannot draw them
    pdf: bool = False  # a tagged PDF beside each Word document, through LibreOffice (render/pdf.py)
    national: Path | None = None  # a national results table (`cqcdocs national build`); None: the bundled one
    as_at: date | None = None  # progress: the date the report is as at (None: today)
    since: date | None = None  # progress: compare with this date instead of the board's last meeting
    board: str | None = None  # progress: the board whose meetings are compared with


def find_meeting(workbook: Workbook, name: str) -> Meeting:
    """The Governance meeting named NAME: exact (ignoring case and spacing) or a unique prefix."""
    wanted = normalise(name)
    meetings = workbook.governance
    exact = [m for m in meetings if normalise(m.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    matches = exact or [m for m in meetings if normalise(m.name).startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    listed = "; ".join(m.name for m in meetings) or "none"
    if matches:
        raise UnknownMeeting(f"committee {name!r} matches more than one meeting in the Governance sheet: "
                             f"{'; '.join(m.name for m in matches)}")
    raise UnknownMeeting(f"committee {name!r} is not in the Governance sheet; its meetings are: {listed}")


def briefing_name(workbook: Workbook, committee: Meeting | None = None) -> str:
    base = f"{slug(workbook.assessment.short_name)}-cqc-briefing"
    return f"{base}-{slug(committee.name, 'committee')}.docx" if committee else f"{base}.docx"


def annex_name(workbook: Workbook) -> str:
    return f"{slug(workbook.assessment.short_name)}-cqc-annex.xlsx"


@dataclass
class Made:
    """What one run wrote, and what it has to say about it."""

    workbook: Path
    written: list[Path] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    checks: list = field(default_factory=list)
    council: str = ""
    overall_pct: int | None = None
    rating: str | None = None
    failed: list[str] = field(default_factory=list)  # documents that could not be made (a PDF), and why
    headline: str = ""  # a paper other than the briefing: its result in a few words, for a batch's summary


def load_and_score(path: Path, national: Path | None = None) -> tuple[Result, list[Message]]:
    """The workbook at PATH scored, ranked nationally in the table NATIONAL (default: the bundled one)."""
    workbook, warnings = load_workbook(path)
    result = score_workbook(workbook, read_national_table(national) if national is not None else national_results())
    return result, warnings + list(result.warnings)


def with_pdfs_many(sets: list[list], work: Path, faileds: list[list[str]]) -> list[list | BaseException]:
    """Each set of TARGETS with a PDF after each Word document, every document converted by one LibreOffice
    start. Each .docx is rendered into WORK first and converted there, so the PDF joins the set `write_all`
    moves into place together, and the .docx gets the PDF's contents page numbers; a PDF that cannot be
    made is left out and said in that set's FAILED (the .docx is still written), and an earlier run's PDF
    is said to be out of date. A set whose Word document cannot be rendered is its exception instead."""
    from .errors import PdfError
    from .render.pdf import Job, convert, temporary_folder_problem

    jobs, plans = [], []
    for n, targets in enumerate(sets):
        plan, set_jobs = [], []
        try:
            for target, writer in targets:
                if target.suffix.lower() != ".docx":
                    plan.append((target, writer))
                    continue
                pdf = target.with_suffix(".pdf")
                stale = f"; {pdf} is from an earlier run" if pdf.exists() else ""
                docx = work / str(n) / target.name
                try:
                    docx.parent.mkdir(exist_ok=True)
                    writer(docx)
                except OSError as exc:  # the temporary folder is full or unusable: the .docx is written as usual
                    faileds[n].append(f"{pdf.name}: not written: {temporary_folder_problem(exc)}{stale}")
                    plan.append((target, writer))
                    continue
                job = Job(docx, docx.with_suffix(".pdf"))
                set_jobs.append((job, pdf, stale, faileds[n]))
                plan.append((target, job))
        except Exception as exc:  # noqa: BLE001 - this set's document cannot be made; the other sets go on
            plan = exc
        else:
            jobs += set_jobs
        plans.append(plan)
    # The other documents (the annexes) are rendered while LibreOffice works: it runs in a process of its own.
    others = threading.Thread(target=_render_others, args=(plans, work), daemon=True)
    others.start()
    try:
        convert([job for job, *_ in jobs])
    except PdfError as exc:
        for job, *_ in jobs:
            job.error = str(exc)
    finally:
        others.join()
    done = {id(job): (pdf, stale, failed) for job, pdf, stale, failed in jobs}
    out = []
    for plan in plans:
        if isinstance(plan, BaseException):
            out.append(plan)
            continue
        targets = []
        for target, item in plan:
            if not isinstance(item, Job):
                targets.append((target, item))
                continue
            pdf, stale, failed = done[id(item)]
            targets.append((target, _copy_of(item.docx)))
            if item.error is None:
                targets.append((pdf, _copy_of(item.pdf)))
            else:
                failed.append(f"{pdf.name}: not written: {item.error}{stale}")
        out.append(targets)
    return out


def _render_others(plans: list, work: Path) -> None:
    """Render each plan's documents other than Word ones into WORK, to be copied into place; a plan whose
    document cannot be rendered becomes that error. One the temporary folder has no room for is left to
    `write_all`, which renders it beside its target."""
    from .render.pdf import Job

    for n, plan in enumerate(plans):
        for i, (target, item) in enumerate(plan if isinstance(plan, list) else []):
            if isinstance(item, Job):
                continue
            rendered = work / str(n) / target.name
            try:
                rendered.parent.mkdir(exist_ok=True)
                item(rendered)
            except OSError:
                continue
            except Exception as exc:  # noqa: BLE001 - handed back as this plan's error
                plans[n] = exc
                break
            plan[i] = (target, _copy_of(rendered))


def _copy_of(source: Path):
    return lambda tmp: shutil.copyfile(source, tmp)


def write_sets(sets: list[list], *, pdf: bool, lock: bool = True) -> list[tuple[list[Path], list[str]] | BaseException]:
    """Write each set of targets with `write_all`; with PDF, every set's Word documents are converted first,
    all by one LibreOffice start. Returns each set's (written, failed documents), or the error that stopped
    that set (the others go on)."""
    faileds: list[list[str]] = [[] for _ in sets]
    if not pdf:
        planned = sets
        work = None
    else:
        try:
            work = Path(tempfile.mkdtemp(prefix="cqcdocs-"))
        except OSError as exc:  # no temporary folder: the documents are written, the PDFs are not
            from .render.pdf import temporary_folder_problem

            work = None
            for targets, failed in zip(sets, faileds):
                failed += [f"{t.with_suffix('.pdf').name}: not written: {temporary_folder_problem(exc)}"
                           for t, _ in targets if t.suffix.lower() == ".docx"]
            planned = sets
        else:
            planned = None
    results: list = []
    try:
        if planned is None:
            planned = with_pdfs_many(sets, work, faileds)
        for targets, failed in zip(planned, faileds):
            if isinstance(targets, BaseException):
                results.append(targets)
                continue
            try:
                results.append((write_all(targets, lock=lock), failed))
            except Exception as exc:  # noqa: BLE001 - handed back: one set's failure is not the others'
                results.append(exc)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def _write(targets: list, *, pdf: bool, lock: bool = True) -> tuple[list[Path], list[str]]:
    [result] = write_sets([targets], pdf=pdf, lock=lock)
    if isinstance(result, BaseException):
        raise result
    return result


def plan_documents(path: Path, out: Path, options: Options = Options()) -> tuple[list, Made]:
    """What `make_documents` writes for one workbook, not yet written: the targets (each a path and its
    writer) and the `Made` to fill in, for the paper OPTIONS.paper names; raises on invalid input."""
    return PAPERS[options.paper](path, out, options)


def plan_briefing(path: Path, out: Path, options: Options = Options()) -> tuple[list, Made]:
    """The CQC briefing and/or its annex for one workbook, not yet written (see `plan_documents`)."""
    result, warnings = load_and_score(path, options.national)
    workbook = result.workbook
    if options.briefing and options.charts == "picture":  # say which characters the pictures' font lacks
        from .render.glyphs import glyph_warnings

        warnings = warnings + glyph_warnings(workbook)
    meeting = find_meeting(workbook, options.committee) if options.committee else None
    template, final, annex, charts = options.template, options.final, options.annex, options.charts
    targets = []
    annex_path = out / annex_name(workbook)
    if options.briefing:
        from .render.briefing import write_briefing

        def write_docx(tmp: Path) -> None:
            write_briefing(result, tmp, committee=meeting, template=template, final=final,
                           warnings=warnings, annex_name=annex_path.name if annex else None, charts=charts)

        targets.append((out / briefing_name(workbook, meeting), write_docx))
    if annex:
        from .render.annex import write_annex

        def write_xlsx(tmp: Path) -> None:
            write_annex(result, tmp, source_name=shown(Path(path).name))

        targets.append((annex_path, write_xlsx))
    overall = result.overall
    return targets, Made(Path(path), [], warnings, council=workbook.assessment.short_name,
                         overall_pct=overall.pct if overall else None,
                         rating=overall.rating.label if overall else None)


def finish_made(made: Made, written: list[Path], failed: list[str], options: Options) -> Made:
    """MADE with what was WRITTEN and FAILED, and (unless OPTIONS say not) the accessibility check of it."""
    made.written, made.failed = written, failed
    if options.check:
        from .check import check_files

        made.checks = check_files([str(p) for p in made.written])
    return made


def make_documents(path: Path, out: Path, options: Options = Options(), *, lock: bool = True,
                   claim: Callable[[list[Path]], None] | None = None) -> Made:
    """Write the paper OPTIONS.paper names (the briefing and/or annex by default) for one workbook into OUT;
    raises on invalid input, writing nothing.
    LOCK: hold OUT while writing (False when the caller holds it, as a batch does). CLAIM, if given, is
    told the files about to be written, before any is, and raises to stop (a batch: another council's)."""
    targets, made = plan_documents(path, out, options)
    if claim is not None:
        claim(target_names(targets, options))
    return finish_made(made, *_write(targets, pdf=options.pdf, lock=lock), options)


def target_names(targets: list, options: Options) -> list[Path]:
    """Every file TARGETS will write, with the PDF beside each Word document when OPTIONS ask for them."""
    return [t for t, _ in targets] + [t.with_suffix(".pdf") for t, _ in targets
                                      if options.pdf and t.suffix.lower() == ".docx"]


def progress_names(workbook: Workbook, as_at) -> tuple[str, str]:
    """The progress report's .docx and .xlsx names: `<council>-improvement-plan-<yyyy-mm-dd>`."""
    base = f"{slug(workbook.assessment.short_name)}-improvement-plan-{as_at.isoformat()}"
    return f"{base}.docx", f"{base}.xlsx"


def _plan_progress(path: Path, out: Path, options: Options):
    from .progress import compute_progress
    from .render.progress_annex import write_progress_annex
    from .render.progress_defs import headline, not_agreed_sentence
    from .render.progress_report import write_progress_report

    workbook, warnings = load_workbook(path)
    meeting = find_meeting(workbook, options.committee) if options.committee else None
    as_at = options.as_at or date.today()
    progress = compute_progress(workbook, as_at, since=options.since, board=options.board)
    warnings = warnings + list(progress.warnings)
    docx, xlsx = (out / name for name in progress_names(workbook, as_at))
    targets = [
        (docx, lambda tmp: write_progress_report(progress, tmp, final=options.final, warnings=warnings,
                                                 annex_name=xlsx.name, committee=meeting, template=options.template)),
        (xlsx, lambda tmp: write_progress_annex(progress, tmp, source_name=shown(Path(path).name)))]
    # The summary's first clause only ("5 of 17 actions (29%) are complete"): a batch's table row stays short.
    said = (headline(progress)[0].split(";")[0] if progress.agreed else not_agreed_sentence(progress).split(":")[0])
    return targets, Made(Path(path), [], warnings, council=workbook.assessment.short_name,
                         headline=said.rstrip(".")), progress


def plan_progress(path: Path, out: Path, options: Options = Options()) -> tuple[list, Made]:
    """The improvement plan's progress report and its annex for one workbook as at OPTIONS.as_at (default
    today), not yet written (see `plan_documents`)."""
    targets, made, _ = _plan_progress(path, out, options)
    return targets, made


def make_progress(path: Path, out: Path, as_at: date | None = None, *, since: date | None = None,
                  board: str | None = None, options: Options = Options()):
    """Write the improvement plan's progress report and its annex (and with OPTIONS.pdf a tagged PDF of the
    report) for one workbook as at AS_AT (else OPTIONS.as_at, else today); raises on invalid input, writing
    nothing. OPTIONS: committee (the meeting the report is for, else the board's next), template, final, pdf,
    check. Returns what was written and the `Progress` it reports."""
    options = replace(options, paper="progress", as_at=as_at or options.as_at, since=since or options.since,
                      board=board or options.board)
    targets, made, progress = _plan_progress(path, out, options)
    return finish_made(made, *_write(targets, pdf=options.pdf), options), progress


def journey_names(workbook: Workbook) -> tuple[str, str]:
    """The improvement journey paper's .docx and .xlsx names: `<council>-improvement-journey`."""
    base = f"{slug(workbook.assessment.short_name)}-improvement-journey"
    return f"{base}.docx", f"{base}.xlsx"


def plan_journey(path: Path, out: Path, options: Options = Options()) -> tuple[list, Made]:
    """The improvement journey paper (LGA, ADASS and CQC findings by thread and service area) and its annex for
    one workbook, not yet written (see `plan_documents`). OPTIONS: committee, template, final, pdf, check."""
    from .journey import compute_journey
    from .render.journey_annex import write_journey_annex
    from .render.journey_report import write_journey_report
    from .wording import count

    workbook, warnings = load_workbook(path)
    meeting = find_meeting(workbook, options.committee) if options.committee else None
    journey = compute_journey(workbook)
    docx, xlsx = (out / name for name in journey_names(workbook))
    targets = [(docx, lambda tmp: write_journey_report(journey, tmp, committee=meeting, final=options.final,
                                                        warnings=warnings, annex_name=xlsx.name,
                                                        template=options.template)),
               (xlsx, lambda tmp: write_journey_annex(journey, tmp, source_name=shown(Path(path).name)))]
    said = (f"{count(len(journey.recurring), 'recurring thread')} in "
            f"{count(len(journey.reviews), 'review')}")
    return targets, Made(Path(path), [], warnings, council=workbook.assessment.short_name, headline=said)


def make_journey(path: Path, out: Path, options: Options = Options()) -> Made:
    """Write the improvement journey paper and its annex for one workbook; raises on invalid input, writing
    nothing."""
    return make_documents(path, out, replace(options, paper="journey"))


# The papers a workbook can be made into: each kind's planner (what it writes, not yet written). The CLI and
# batches reach every paper through this, so a batch's options are each paper's options.
PAPERS: dict[str, Callable[[Path, Path, Options], tuple[list, Made]]] = {
    "briefing": plan_briefing,
    "journey": plan_journey,
    "progress": plan_progress,
}
