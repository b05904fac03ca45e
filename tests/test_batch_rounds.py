"""Batches longer than the workers' retirement interval finish (CPython gh-115634 hung them)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_batch_longer_than_the_workers_lifetime_finishes(tmp_path):
    # Workers retire after 2 workbooks here, so 11 workbooks at 2 jobs take 3 rounds of fresh workers;
    # with the pool's own max_tasks_per_child this hung as soon as the first worker retired.
    script = textwrap.dedent(f"""
        from pathlib import Path
        from cqcdocs import batch
        batch.MAX_TASKS_PER_CHILD = 2
        failed = []
        paths = [Path({str(tmp_path)!r}) / f"missing{{i}}.xlsx" for i in range(11)]
        n = batch.run_batch(paths, Path({str(tmp_path)!r}) / "out", jobs=2, report=print,
                            fail=lambda p, e: failed.append(p.name))
        print(n, failed == [p.name for p in paths])
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["11", "True"]
