"""Golden files: the example's documents compared part by part against reviewed reference files.

As XlsxWriter's own tests do, each generated package is opened and compared part by part: XML parts
canonicalised (C14N, one element per line, so a difference reads as a small diff), volatile values
masked, binary parts (images, embedded workbooks) by SHA-256. The documents are made through the CLI,
so the golden files pin what an officer gets, whatever the modules behind it are called.

After a reviewed change to the documents, regenerate and review the diff with git:

    python tests/golden.py
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOLDEN = HERE / "golden"
NORTHMOOR_SOURCE = HERE / "fixtures" / "northmoor"

# Each case: a folder under tests/golden, the `cqcdocs brief` (or progress) arguments (None: the bundled example), and
# the documents it writes.
CASES: dict[str, tuple[str | None, list[str], list[str]]] = {
    "rotherham": (None, [], ["rotherham-cqc-briefing.docx", "rotherham-cqc-annex.xlsx"]),
    "rotherham-committee-final": (None, ["--committee", "Health Select", "--final", "--no-annex"],
                                  ["rotherham-cqc-briefing-health-select-commission.docx"]),
    "rotherham-pictures": (None, ["--charts", "picture", "--no-annex"], ["rotherham-cqc-briefing.docx"]),
    "northmoor": ("northmoor", [], ["northmoor-cqc-briefing.docx", "northmoor-cqc-annex.xlsx"]),
    # `cqcdocs progress` (arguments starting "progress"): as at the fourth board, and the example's unagreed plan.
    "northmoor-progress": ("northmoor", ["progress", "--as-at", "2026-08-11"],
                           ["northmoor-improvement-plan-2026-08-11.docx", "northmoor-improvement-plan-2026-08-11.xlsx"]),
    "rotherham-progress": (None, ["progress", "--as-at", "2026-05-20"],
                           ["rotherham-improvement-plan-2026-05-20.docx", "rotherham-improvement-plan-2026-05-20.xlsx"]),
    # `cqcdocs journey`: the committee version of the improvement journey paper and its annex.
    "rotherham-journey": (None, ["journey", "--committee", "Health Select"],
                          ["rotherham-improvement-journey.docx", "rotherham-improvement-journey.xlsx"]),
}

# Values that may change without the document changing: none today (the writers fix every timestamp from
# the workbook), but the application version XlsxWriter and python-docx record is not ours to pin.
_MASKS = [(re.compile(rb"<AppVersion>[^<]*</AppVersion>"), b"<AppVersion>masked</AppVersion>")]


def build_northmoor(folder: Path) -> Path:
    out = folder / "northmoor.xlsx"
    subprocess.run([sys.executable, str(ROOT / "data" / "build_example.py"), str(NORTHMOOR_SOURCE), str(out)],
                   check=True, capture_output=True)
    return out


def make(case: str, folder: Path) -> list[Path]:
    """Write CASE's documents into FOLDER with the CLI; return their paths."""
    from click.testing import CliRunner

    from cqcdocs.cli import main

    workbook, args, names = CASES[case]
    command, args = (args[0], args[1:]) if args[:1] in (["progress"], ["journey"]) else ("brief", args)
    argv = [command, *([str(build_northmoor(folder))] if workbook == "northmoor" else []), "--out",
            str(folder / "out"), *args]
    run = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return [folder / "out" / name for name in names]


def canonical(data: bytes) -> str:
    """An XML part as canonical XML, one element per line, volatile values masked."""
    for pattern, replacement in _MASKS:
        data = pattern.sub(replacement, data)
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(data, parser)
    text = etree.tostring(root, method="c14n2").decode("utf-8")
    # One element per line: a changed cell or run shows as one changed line in a diff.
    return re.sub(r">\s*<", ">\n<", text) + "\n"


def parts(path: Path) -> dict[str, str]:
    """Every part of the package: XML as canonical text, anything else as 'sha256 <hex>'."""
    result = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if name.endswith((".xml", ".rels")):
                result[name] = canonical(data)
            else:
                result[name + ".sha256"] = f"sha256 {hashlib.sha256(data).hexdigest()}\n"
    return result


def reference(case: str, document: str) -> dict[str, str]:
    folder = GOLDEN / case / document
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def regenerate() -> None:
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            for path in make(case, Path(tmp)):
                folder = GOLDEN / case / path.name
                shutil.rmtree(folder, ignore_errors=True)
                for name, text in parts(path).items():
                    target = folder / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
                print(f"wrote {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    regenerate()
