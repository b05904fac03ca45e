"""The documents behind the commands, as plain functions: load → score → render → write safely.

The Click layer only parses options and prints; batch runs call `make_documents` in worker processes.
Renderers are imported inside the functions that use them, so `validate`, `score` and `--help` never
pay for python-docx, XlsxWriter or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .contract import normalise
from .errors import UnknownMeeting
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


def load_and_score(path: Path) -> tuple[Result, list[Message]]:
    workbook, warnings = load_workbook(path)
    result = score_workbook(workbook, national_results())
    return result, warnings + list(result.warnings)


def make_documents(path: Path, out: Path, options: Options = Options()) -> Made:
    """Write the briefing and/or annex for one workbook into OUT; raises on invalid input, writing nothing."""
    result, warnings = load_and_score(path)
    workbook = result.workbook
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
            write_annex(result, tmp, source_name=Path(path).name)

        targets.append((annex_path, write_xlsx))
    overall = result.overall
    made = Made(Path(path), write_all(targets), warnings, council=workbook.assessment.short_name,
                overall_pct=overall.pct if overall else None, rating=overall.rating.label if overall else None)
    if options.check:
        from .check import check_files

        made.checks = check_files([str(p) for p in made.written])
    return made
