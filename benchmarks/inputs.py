"""Workbooks for the growth benchmarks: the example with one input multiplied, everything else as it is.

Each is built from the example's CSVs (data/rotherham-2026) by data/build_example.py, so its cells are
typed and formatted as the example's are. The added rows are the example's own, renamed where a name must
be unique (councils, indicators, threads, action references).
"""

from __future__ import annotations

import csv
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "rotherham-2026"
sys.path.insert(0, str(ROOT / "data"))
from build_example import build  # noqa: E402  (needs only openpyxl)

# axis → (what is counted, the command that shows it, the sizes measured: each double the one before)
AXES = {
    "findings": ("findings", "brief", (1000, 2000, 4000)),
    "benchmark councils": ("benchmark councils", "brief", (400, 800, 1600)),
    "threads": ("threads (3 findings each)", "brief", (150, 300, 600)),
    "actions × updates": ("actions (20 updates each)", "progress", (150, 300, 600)),
    "metrics": ("metrics", "brief", (500, 1000, 2000)),
}


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (SOURCE / name).open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])


def _grown(rows: list[list[str]], n: int, rename) -> list[list[str]]:
    """N rows: ROWS repeated, the k-th copy of each passed through RENAME(row, k) (k ≥ 1)."""
    out = []
    k = 0
    while len(out) < n:
        out += rows if k == 0 else [rename(list(r), k) for r in rows]
        k += 1
    return out[:n]


def scaled(axis: str, n: int, out: Path) -> Path:
    """The example workbook with N of AXIS's rows, written to OUT."""
    folder = out.with_suffix("")
    shutil.copytree(SOURCE, folder, dirs_exist_ok=True)
    if axis == "findings":
        header, rows = _read("findings.csv")
        i = header.index("Finding")
        _write(folder, "findings.csv", header, _grown(rows, n, lambda r, k: r[:i] + [f"{r[i]} (copy {k})"] + r[i + 1:]))
    elif axis == "benchmark councils":
        header, rows = _read("benchmarks.csv")
        mine = [r for r in rows if r[0].startswith("Rotherham")]
        others = [r for r in rows if r not in mine]
        _write(folder, "benchmarks.csv", header,
               mine + _grown(others, n - len(mine), lambda r, k: [r[0].replace(" Council", f" {k} Council"), *r[1:]]))
    elif axis == "threads":
        header, rows = _read("findings.csv")
        thread, finding, review = header.index("Thread"), header.index("Finding"), header.index("Review")
        reviews = sorted({r[review] for r in rows})
        sample = [next(r for r in rows if r[review] == name) for name in reviews]
        extra = []
        for t in range(n):
            for r in sample:
                r = list(r)
                r[thread], r[finding] = f"Thread {t + 1}", f"{r[finding]} (thread {t + 1})"
                extra.append(r)
        _write(folder, "findings.csv", header, rows + extra)
    elif axis == "actions × updates":
        header, rows = _read("actions.csv")
        ref = header.index("Ref")
        actions = _grown(rows, n, lambda r, k: [f"{r[ref]}-{k}", *r[ref + 1:]])
        _write(folder, "actions.csv", header, actions)
        start = date(2025, 1, 6)
        updates = [[(start + timedelta(days=14 * round_)).isoformat(), a[ref], "On track",
                    f"Round {round_ + 1}: progress noted.", "", "Officer"]
                   for round_ in range(20) for a in actions]
        _write(folder, "updates.csv", ["Date", "Ref", "Status", "Commentary", "Evidence", "Updated by"], updates)
    elif axis == "metrics":
        header, rows = _read("metrics.csv")
        _write(folder, "metrics.csv", header, _grown(rows, n, lambda r, k: [f"{r[0]} ({k})", *r[1:]]))
    else:
        raise ValueError(axis)
    build(folder, out)
    shutil.rmtree(folder)
    return out
