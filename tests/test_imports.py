"""`validate`, `score` and `--help` never import the renderers' libraries (matplotlib, python-docx, XlsxWriter).

Those cost about half a second to import; a command that only reads a workbook, or prints help, must not
pay for them (benchmarks/results.md). Each command runs in a fresh interpreter, through Click as the
console script runs it, and reports which of the libraries ended up in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cqcdocs.resources import EXAMPLE_WORKBOOK

RENDERERS = ("matplotlib", "docx", "xlsxwriter")

PROBE = """
import json, sys
from cqcdocs.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
loaded = sorted({name.split(".")[0] for name in sys.modules}
                & {"matplotlib", "docx", "xlsxwriter", "openpyxl", "pptx", "numpy", "PIL"})
print("\\nIMPORTED " + json.dumps(loaded))
"""


def imported(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    line = [line for line in run.stdout.splitlines() if line.startswith("IMPORTED ")]
    assert line, run.stdout + run.stderr
    return set(json.loads(line[-1].split(" ", 1)[1]))


@pytest.mark.parametrize("args", [
    ["validate"],
    ["validate", str(EXAMPLE_WORKBOOK), "--json"],
    ["validate", "no-such-workbook.xlsx"],
    ["score"],
    ["score", str(EXAMPLE_WORKBOOK), "--json"],
    ["score", "no-such-workbook.xlsx"],
], ids=lambda args: " ".join(a if not a.endswith(".xlsx") else a.rsplit("/", 1)[-1] for a in args))
def test_reading_a_workbook_imports_no_renderer(args):
    loaded = imported(*args)
    assert not loaded & set(RENDERERS), f"cqcdocs {' '.join(args)} imported {sorted(loaded & set(RENDERERS))}"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["validate", "--help"], ["score", "--help"],
                                  ["brief", "--help"], ["annex", "--help"], ["check", "--help"], ["init", "--help"],
                                  ["progress", "--help"]],
                         ids=" ".join)
def test_help_imports_no_renderer_and_no_workbook_reader(args):
    loaded = imported(*args)
    assert not loaded, f"cqcdocs {' '.join(args)} imported {sorted(loaded)}"


def test_brief_imports_no_matplotlib_unless_pictures_are_asked_for(tmp_path):
    # Native Word charts need no matplotlib, which costs about half a second to import, and no python-pptx
    # (~90 ms): render/word/charts.py writes the series and the embedded workbook itself.
    # Nor numpy and Pillow, which openpyxl would import at start-up (~0.13 s) though nothing here uses them.
    # Nor openpyxl, numpy and Pillow: the example is read straight from its XML.
    assert imported("brief", "--out", str(tmp_path)) == {"docx", "xlsxwriter"}
    # ... and the probe can see it when it is imported, so the checks above cannot pass vacuously.
    assert "matplotlib" in imported("brief", "--out", str(tmp_path / "pictures"), "--charts", "picture",
                                    "--no-annex")


@pytest.mark.parametrize("args", [["validate"], ["score"], ["brief", "--no-annex"], ["annex"], ["journey"],
                                  ["progress"]], ids=" ".join)
def test_reading_a_workbook_leaves_openpyxl_numpy_and_pillow_out(args, tmp_path):
    """An ordinary workbook is read straight from its XML (load/xlsx.py): openpyxl (~0.1 s to import), and
    the numpy and Pillow it would import at start-up (~0.13 s more), are not needed."""
    out = [] if args[0] in ("validate", "score") else ["--out", str(tmp_path)]
    loaded = imported(*args, *out)
    assert not loaded & {"openpyxl", "numpy", "PIL"}, f"cqcdocs {' '.join(args)} imported {sorted(loaded)}"


def test_openpyxl_when_needed_comes_without_numpy_and_pillow(tmp_path):
    """A package out of the ordinary (here the 1904 date system) is read by openpyxl, still without them."""
    from workbook_factory import build

    path = tmp_path / "w.xlsx"
    build().save(path)
    _set_1904(path)
    loaded = imported("validate", str(path))
    assert "openpyxl" in loaded and not loaded & {"numpy", "PIL"}, sorted(loaded)


def _set_1904(path):
    import zipfile

    data = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data[name] = z.read(name)
    data["xl/workbook.xml"] = data["xl/workbook.xml"].replace(b"<workbookPr", b"<workbookPr date1904=\"1\"", 1)
    with zipfile.ZipFile(path, "w") as z:
        for name, body in data.items():
            z.writestr(name, body)


def test_numpy_imported_after_reading_is_the_real_one():
    """The two are hidden only while openpyxl is imported: anything that needs them later gets them."""
    run = subprocess.run([sys.executable, "-c", "from cqcdocs.load.opening import import_openpyxl\n"
                          "import_openpyxl()\nimport numpy, PIL.Image\nprint(numpy.zeros(2).sum())"],
                         capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "0.0", run.stderr
