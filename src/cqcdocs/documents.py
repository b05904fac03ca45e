"""The documents behind the commands, as plain functions: load → score → render → write safely.

The Click layer only parses options and prints; batch runs call `make_documents` in worker processes.
Renderers are imported inside the functions that use them, so `validate`, `score` and `--help` never
pay for python-docx, XlsxWriter or matplotlib.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .contract import normalise
from .errors import UnknownMeeting
from .files import shown
from .load import load_workbook
from .load.national import national_results
from .model import Meeting, Message, Workbook
from .output import slug, write_all
from .scoring import Result, score_workbook


@dataclass(frozen=True)
class Options:
    """What to make for each workbook: the choices `brief` and `annex` offer, as one picklable value."""

    briefing: bool = True
    annex: bool = True
    committee: str | None = None  # a Governance meeting's name (or a unique start of it)
    template: Path | None = None
    final: bool = False
    check: bool = True
    charts: str = "native"  # "native": editable Word charts; "picture": images, for systems that cannot draw them
    pdf: bool = False  # a tagged PDF beside each Word document, through LibreOffice (render/pdf.py)


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


def load_and_score(path: Path) -> tuple[Result, list[Message]]:
    workbook, warnings = load_workbook(path)
    result = score_workbook(workbook, national_results())
    return result, warnings + list(result.warnings)


def with_pdfs(targets: list, work: Path, failed: list[str]) -> list:
    """TARGETS with a PDF after each Word document. Each .docx is rendered into WORK first and converted there,
    so the PDF joins the set `write_all` moves into place together; a PDF that cannot be made is left out
    and said in FAILED (the .docx is still written), and an earlier run's PDF is said to be out of date."""
    from .errors import PdfError
    from .render.pdf import INSTALL_HINT, docx_to_pdf, find_soffice

    soffice = find_soffice()
    out = []
    for target, writer in targets:
        if target.suffix.lower() != ".docx":
            out.append((target, writer))
            continue
        pdf = target.with_suffix(".pdf")
        stale = f"; {pdf} is from an earlier run" if pdf.exists() else ""
        if soffice is None:
            out.append((target, writer))
            failed.append(f"{pdf.name}: not written: {INSTALL_HINT}{stale}")
            continue
        docx, made = work / target.name, work / pdf.name
        writer(docx)
        out.append((target, _copy_of(docx)))
        try:
            docx_to_pdf(docx, made, soffice=soffice)
        except PdfError as exc:
            failed.append(f"{pdf.name}: not written: {exc}{stale}")
            continue
        out.append((pdf, _copy_of(made)))
    return out


def _copy_of(source: Path):
    return lambda tmp: shutil.copyfile(source, tmp)


def make_documents(path: Path, out: Path, options: Options = Options(), *, lock: bool = True,
                   claim: Callable[[list[Path]], None] | None = None) -> Made:
    """Write the briefing and/or annex for one workbook into OUT; raises on invalid input, writing nothing.
    LOCK: hold OUT while writing (False when the caller holds it, as a batch does). CLAIM, if given, is
    told the files about to be written, before any is, and raises to stop (a batch: another council's)."""
    result, warnings = load_and_score(path)
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
    if claim is not None:
        claim([t for t, _ in targets] + [t.with_suffix(".pdf") for t, _ in targets
                                          if options.pdf and t.suffix.lower() == ".docx"])
    failed: list[str] = []
    if options.pdf:
        with tempfile.TemporaryDirectory(prefix="cqcdocs-") as work:
            written = write_all(with_pdfs(targets, Path(work), failed), lock=lock)
    else:
        written = write_all(targets, lock=lock)
    overall = result.overall
    made = Made(Path(path), written, warnings, failed=failed, council=workbook.assessment.short_name,
                overall_pct=overall.pct if overall else None, rating=overall.rating.label if overall else None)
    if options.check:
        from .check import check_files

        made.checks = check_files([str(p) for p in made.written])
    return made


def progress_names(workbook: Workbook, as_at) -> tuple[str, str]:
    """The progress report's .docx and .xlsx names: `<council>-improvement-plan-<yyyy-mm-dd>`."""
    base = f"{slug(workbook.assessment.short_name)}-improvement-plan-{as_at.isoformat()}"
    return f"{base}.docx", f"{base}.xlsx"


def make_progress(path: Path, out: Path, as_at, *, since=None, board: str | None = None, final: bool = False,
                  check: bool = True):
    """Write the improvement plan's progress report and its annex for one workbook as at AS_AT; raises on
    invalid input, writing nothing. Returns what was written and the `Progress` it reports."""
    from .progress import compute_progress
    from .render.progress_annex import write_progress_annex
    from .render.progress_report import write_progress_report

    workbook, warnings = load_workbook(path)
    progress = compute_progress(workbook, as_at, since=since, board=board)
    warnings = warnings + list(progress.warnings)
    docx, xlsx = (out / name for name in progress_names(workbook, as_at))
    made = Made(Path(path), write_all([
        (docx, lambda tmp: write_progress_report(progress, tmp, final=final, warnings=warnings, annex_name=xlsx.name)),
        (xlsx, lambda tmp: write_progress_annex(progress, tmp, source_name=shown(Path(path).name)))]),
        warnings, council=workbook.assessment.short_name)
    if check:
        from .check import check_files

        made.checks = check_files([str(p) for p in made.written])
    return made, progress


def journey_names(workbook: Workbook) -> tuple[str, str]:
    """The improvement journey paper's .docx and .xlsx names: `<council>-improvement-journey`."""
    base = f"{slug(workbook.assessment.short_name)}-improvement-journey"
    return f"{base}.docx", f"{base}.xlsx"


def make_journey(path: Path, out: Path, options: Options = Options()) -> Made:
    """Write the improvement journey paper (LGA, ADASS and CQC findings by thread and service area) and its annex
    for one workbook; raises on invalid input, writing nothing. OPTIONS: committee, template, final, pdf, check."""
    from .journey import compute_journey
    from .render.journey_annex import write_journey_annex
    from .render.journey_report import write_journey_report

    workbook, warnings = load_workbook(path)
    meeting = find_meeting(workbook, options.committee) if options.committee else None
    journey = compute_journey(workbook)
    docx, xlsx = (out / name for name in journey_names(workbook))
    targets = [(docx, lambda tmp: write_journey_report(journey, tmp, committee=meeting, final=options.final,
                                                        warnings=warnings, annex_name=xlsx.name,
                                                        template=options.template)),
               (xlsx, lambda tmp: write_journey_annex(journey, tmp, source_name=shown(Path(path).name)))]
    failed: list[str] = []
    if options.pdf:
        with tempfile.TemporaryDirectory(prefix="cqcdocs-") as work:
            written = write_all(with_pdfs(targets, Path(work), failed), lock=True)
    else:
        written = write_all(targets)
    made = Made(Path(path), written, warnings, failed=failed, council=workbook.assessment.short_name)
    if options.check:
        from .check import check_files

        made.checks = check_files([str(p) for p in made.written])
    return made
