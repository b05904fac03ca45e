"""A wheel install works anywhere: built from the checkout, installed into a fresh virtual environment,
and run from a folder outside the checkout, the commands find the shipped template and example workbook."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The installed wheel, not a checkout someone put first on the path.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CQCDOCS_EXAMPLE")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    # Built as pip builds it for an officer: in an isolated environment with the setuptools pyproject.toml
    # asks for (fetched from the package index), from a copy of the checkout.
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(folder)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    (built,) = folder.glob("cqcdocs-*.whl")
    return built


def _library_folders() -> list[str]:
    """The folders this interpreter imports installed libraries from. Not `--system-site-packages`: run from
    inside a virtual environment, that gives the base interpreter's folders, which lack openpyxl and the
    rest (they were installed into the environment)."""
    return [p for p in dict.fromkeys(sys.path) if p and Path(p).name in ("site-packages", "dist-packages")
            and Path(p).is_dir()]


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh environment with the wheel installed; the libraries it needs come from the folders this
    interpreter uses (named in a .pth file, after the environment's own), so no download is needed, but
    cqcdocs itself is the wheel's."""
    env = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True, timeout=300)
    python = env / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True, env=CLEAN_ENV).stdout.strip()
    run = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                         capture_output=True, text=True, timeout=300, env=CLEAN_ENV)
    assert run.returncode == 0, run.stderr
    # After the install (pip would take an editable cqcdocs there as already installed), and as plain folder
    # lines, so a .pth inside those folders (that editable install) is not run.
    (Path(own) / "_cqcdocs_test_libraries.pth").write_text("\n".join(_library_folders()) + "\n")
    return env


def test_the_wheel_carries_the_template_and_the_example(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "cqcdocs/resources/reference.docx" in names
    assert "cqcdocs/resources/rotherham-2026.xlsx" in names
    assert "cqcdocs/resources/england-results.json" in names  # the dated national results table


def test_an_installed_wheel_runs_every_command_outside_the_checkout(venv, tmp_path):
    def cqcdocs(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "cqcdocs"), *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300, env=CLEAN_ENV)

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import cqcdocs; print(cqcdocs.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True, env=CLEAN_ENV).stdout.strip()
    assert Path(where).is_relative_to(venv), f"cqcdocs imported from {where}, not the wheel"

    run = cqcdocs("brief")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["Wrote out/rotherham-cqc-briefing.docx", "Wrote out/rotherham-cqc-annex.xlsx",
                                       "Accessibility check: 0 errors, 0 warnings"]
    assert zipfile.ZipFile(tmp_path / "out" / "rotherham-cqc-briefing.docx").testzip() is None

    run = cqcdocs("validate")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("rotherham-2026.xlsx: valid")

    run = cqcdocs("score", "--json")
    assert run.returncode == 0, run.stderr
    assert '"percentage": 73' in run.stdout

    run = cqcdocs("init", "blank.xlsx", "--region", "Yorkshire and the Humber")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "blank.xlsx").is_file()
