"""Shared fixtures: the example workbook's result, the Northmoor workbook built from its source, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from cqcdocs.documents import load_and_score
from cqcdocs.resources import EXAMPLE_WORKBOOK

ROOT = Path(__file__).resolve().parents[1]

NORTHMOOR_SOURCE = ROOT / "tests" / "fixtures" / "northmoor"


@pytest.fixture(scope="session")
def example():
    """(result, warnings) for the bundled example workbook (Rotherham 2026)."""
    return load_and_score(EXAMPLE_WORKBOOK)


@pytest.fixture(scope="session")
def northmoor_workbook(tmp_path_factory) -> Path:
    """The fictional Northmoor workbook, built from its source with data/build_example.py."""
    out = tmp_path_factory.mktemp("northmoor") / "northmoor.xlsx"
    run = subprocess.run([sys.executable, str(ROOT / "data" / "build_example.py"), str(NORTHMOOR_SOURCE), str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="session")
def northmoor(northmoor_workbook):
    return load_and_score(northmoor_workbook)


def _office_tool(name: str) -> str:
    """The path of a LibreOffice/poppler tool; skip without it, unless CQCDOCS_REQUIRE_OFFICE says fail."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
        if os.environ.get("CQCDOCS_REQUIRE_OFFICE"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def to_pdf(tmp_path):
    """Convert an office file to PDF with LibreOffice in a private profile, so parallel runs never clash."""
    soffice = _office_tool("soffice")

    def convert(path: Path) -> Path:
        outdir = tmp_path / f"pdf-{uuid.uuid4().hex}"
        profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
        try:
            run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                                  "--convert-to", "pdf", "--outdir", str(outdir), str(path)],
                                 capture_output=True, text=True, timeout=600)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        pdf = outdir / f"{Path(path).stem}.pdf"
        assert pdf.exists(), f"LibreOffice wrote no PDF: {run.stdout} {run.stderr}"
        return pdf

    return convert


@pytest.fixture
def pdf_text():
    """A PDF's text (pdftotext -layout) and its page count (pdfinfo)."""
    pdftotext, pdfinfo = _office_tool("pdftotext"), _office_tool("pdfinfo")

    def read(pdf: Path) -> tuple[str, int]:
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        return text, pages

    return read


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice, for tests that make PDFs (skipped without it, unless CQCDOCS_REQUIRE_OFFICE)."""
    return _office_tool("soffice")
