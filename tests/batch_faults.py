"""Loaded into a batch's worker server by tests/test_faults.py (never by cqcdocs): workbooks whose name
starts "kill" have their worker killed outright, as the out-of-memory killer does; with CQCDOCS_TEST_SLOW
set to a folder, each worker notes its process id there and takes a few seconds over each workbook."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import cqcdocs.documents

_load_and_score = cqcdocs.documents.load_and_score


def _faulty(path, *args, **kwargs):
    if Path(path).name.startswith("kill"):
        os.kill(os.getpid(), signal.SIGKILL)
    if folder := os.environ.get("CQCDOCS_TEST_SLOW"):
        (Path(folder) / str(os.getpid())).touch()
        time.sleep(5)
    return _load_and_score(path, *args, **kwargs)


cqcdocs.documents.load_and_score = _faulty
