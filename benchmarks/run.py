#!/usr/bin/env python
"""Speed benchmarks for cqcdocs: `python benchmarks/run.py` prints a table and writes benchmarks/results.md.

Every measurement is the median of several cold runs: a fresh `cqcdocs` process each time (the console
script beside this Python), writing into a fresh temporary folder. Each command is run once, untimed,
before its timed runs, so the operating system's file cache, Python's bytecode caches and matplotlib's
font cache are warm, as they are for anyone who has run cqcdocs before. A floor (a bare `python -c` that
imports the libraries the command needs) is timed in alternation with the command, so background load
on the machine falls on both alike.

  brief          the example workbook, briefing (native charts) + annex + check  ≤ 1.3 × floor
  brief pictures the same with --charts picture (matplotlib)                   ≤ 2.9 × its floor (as before)
  validate       the example workbook                                          ≤ 1.3 × floor
  score          the example workbook                                          ≤ 1.3 × floor
  --help         reported
  batch          60 copies of the example workbook, --jobs 2                   ≥ 300 councils a minute,
                 workers' resident memory after each workbook (flat)
  big workbook   10,000 findings and 500 actions, brief                        < 10 s
  big plan       500 actions and 20,000 updates, progress                      < 10 s (as the big brief)

Options: --runs N (default 7, at least 5), --only NAME… (brief pictures validate score help batch big plan),
--baseline REV measures brief, big and batch on an earlier commit too (from `git archive`, put first
on PYTHONPATH) for the "before and after" section; without it that section of results.md is kept.
--no-write prints the table only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import math
import re
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
EXAMPLE = ROOT / "src" / "cqcdocs" / "resources" / "rotherham-2026.xlsx"
sys.path.insert(0, str(ROOT / "tests"))
from workbook_factory import make  # noqa: E402  (needs only openpyxl)

FLOOR_BRIEF = "import click, docx, openpyxl, xlsxwriter"  # what brief imports with native charts (no pptx since 2026-11)
FLOOR_PICTURES = "import click, docx, openpyxl, xlsxwriter, matplotlib.pyplot"
FLOOR_READ = "import click, openpyxl"
FLOOR_HELP = "import click"
STATS = "cqcdocs-batch-stats: "
BATCH_SIZE = 60
BATCH_LIMIT = 300  # seconds; a batch that has not finished by then has hung
KEPT = ("notes", "before-after")  # hand-written / baseline sections of results.md that a plain run keeps


# --- running things --------------------------------------------------------------------------------

def cqcdocs() -> list[str]:
    """The console script installed beside this Python (what an officer runs), else `python -m cqcdocs`."""
    script = Path(sys.executable).with_name("cqcdocs")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cqcdocs"]


def environment(src: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    # Some sandboxes set this; an installed package has its bytecode cached, so measure with caching on.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CQCDOCS_EXAMPLE", None)
    if src is not None:  # a baseline checkout's package, ahead of the installed one
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@dataclass
class Run:
    seconds: float  # math.inf if it was stopped at its time limit
    max_rss_mb: float
    stdout: str
    stderr: str


def run(argv: list[str], env: dict[str, str], cwd: Path, limit: float = 600) -> Run:
    """Run ARGV to completion; its wall time and its peak resident memory (from wait4, no psutil). A run
    still going after LIMIT seconds is stopped, with all its processes, and counts as never finishing."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        timer = threading.Timer(limit, os.killpg, (proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(seconds, usage.ru_maxrss / 1024, out.read(), err.read())
    if proc.returncode == -signal.SIGKILL and seconds >= limit:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # any worker left behind
        except ProcessLookupError:
            pass
        result.seconds = math.inf
        return result
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(argv)}\n{result.stdout}"
                         f"{result.stderr}")
    return result


def timed(argv_for, env: dict[str, str], runs: int, floor: str | None = None, limit: float = 600,
          warm: bool = True, also: dict[str, str] | None = None) -> tuple[list[Run], list[Run], list[Run]]:
    """RUNS cold runs of the command ARGV_FOR(folder) (each writing into a fresh folder), alternating with
    the floor `python -c FLOOR` and, given ALSO (a baseline's environment), the same command there; one
    untimed run of each first (unless not WARM). A run that hits LIMIT ends the series."""
    results, floors, others = [], [], []
    with tempfile.TemporaryDirectory(prefix="cqcdocs-bench-") as tmp:
        tmp = Path(tmp)
        for i in range(0 if warm else 1, runs + 1):
            if floor is not None:
                r = run([sys.executable, "-c", floor], env, tmp)
                if i:
                    floors.append(r)
            r = run(argv_for(tmp / f"out{i}"), env, tmp, limit)
            if i or r.seconds == math.inf:
                results.append(r)
            if also is not None:
                b = run(argv_for(tmp / f"baseline{i}"), also, tmp, limit)
                if i:
                    others.append(b)
            if r.seconds == math.inf:
                break
    return results, floors, others


def median(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


# --- the measurements ------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    seconds: list[float]
    floor: list[float] = field(default_factory=list)
    target: str = ""
    met: bool | None = None
    value: str = ""       # the figure the target is about, when it is not the time itself
    note: str = ""
    baseline: Row | None = None  # the same measurement on a baseline commit, taken in alternation

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor_median if self.floor else None


def against_floor(name: str, argv_for, floor: str, limit: float | None, env, runs: int,
                  base_env: dict[str, str] | None = None) -> Row:
    results, floors, before = timed(argv_for, env, runs, floor, also=base_env)
    row = Row(name, [r.seconds for r in results], [r.seconds for r in floors])
    row.note = f"peak RSS {statistics.median(r.max_rss_mb for r in results):.0f} MB"
    row.target = f"≤ {limit:.1f} × floor" if limit is not None else "reported"
    row.value = f"{row.ratio:.2f} × floor"
    if limit is not None:
        row.met = row.ratio <= limit
    if before:
        row.baseline = Row(name, [r.seconds for r in before], row.floor, row.target)
        row.baseline.value = f"{row.baseline.ratio:.2f} × floor"
    return row


def batch_workbooks(folder: Path) -> list[Path]:
    """BATCH_SIZE copies of the example workbook, each its own council and short name (so no two write the
    same file): example-sized, as a region's or England's batch would be."""
    from openpyxl import load_workbook

    firsts = ("Ash", "Brook", "Cold", "Dun", "East", "Fair", "Glen", "High", "Kings", "Lang")
    lasts = ("ford", "ley", "ton", "wick", "by", "ham")
    paths = []
    for name in [f + l for f in firsts for l in lasts][:BATCH_SIZE]:
        wb = load_workbook(EXAMPLE)
        for row in wb["Assessment"].iter_rows(min_row=2):
            if row[0].value == "Council":
                row[1].value = f"{name} Council"
            elif row[0].value == "Short name":
                row[1].value = name
        paths.append(folder / f"{name.lower()}.xlsx")
        wb.save(paths[-1])
    return paths


@dataclass
class Batch:
    row: Row
    stats: list[list[dict]]  # per run: one dict per workbook, in the order reported


def batch(env, runs: int, folder: Path, jobs: int = 2) -> Batch:
    workbooks = batch_workbooks(folder)
    env = dict(env, **{"CQCDOCS_BATCH_STATS": "1"})

    def argv(out: Path) -> list[str]:
        return [*cqcdocs(), "brief", *map(str, workbooks), "--jobs", str(jobs), "--out", str(out)]

    results, _, _ = timed(argv, env, runs, limit=BATCH_LIMIT)
    stats = [[json.loads(line[len(STATS):]) for line in r.stderr.splitlines() if line.startswith(STATS)]
             for r in results if r.seconds != math.inf]
    row = Row(f"batch: {BATCH_SIZE} councils, --jobs {jobs}", [r.seconds for r in results])
    per_minute = BATCH_SIZE / row.median * 60
    row.value = f"{per_minute:.0f} councils/min" if per_minute else f"never finished: stopped after {BATCH_LIMIT} s"
    row.target = "≥ 300 councils/min"
    row.met = per_minute >= 300
    if stats and all(stats):
        peaks = [max(s["peak_mb"] for s in run_stats) for run_stats in stats]
        row.note = f"workers' peak RSS {statistics.median(peaks):.0f} MB"
    return Batch(row, stats)


def flatness(stats: list[dict]) -> tuple[str, bool]:
    """Is the workers' memory flat across the batch? Compare the first and last ten workbooks."""
    rss = [s["rss_mb"] for s in stats]
    first, last = statistics.mean(rss[:10]), statistics.mean(rss[-10:])
    flat = last <= first * 1.10 + 5
    return (f"resident memory after each workbook: first ten {first:.0f} MB on average, last ten "
            f"{last:.0f} MB; peak of any worker {max(s['peak_mb'] for s in stats):.0f} MB"), flat


def _big_row(name: str, argv_for, env, runs: int, warm: bool = True) -> Row:
    """A big workbook's median time against the 10 s target."""
    results, _, _ = timed(argv_for, env, runs, limit=900, warm=warm)
    row = Row(name, [r.seconds for r in results])
    row.value = f"{row.median:.2f} s" if row.median != math.inf else "never finished"
    row.target = "< 10 s"
    row.met = row.median < 10
    row.note = f"peak RSS {statistics.median(r.max_rss_mb for r in results):.0f} MB"
    return row


def big(env, runs: int, folder: Path, warm: bool = True) -> Row:
    workbook = make(folder / "big.xlsx", council="Bigshire Council", short_name="Bigshire", findings=10_000,
                    actions=500)
    return _big_row("brief: 10,000 findings + 500 actions",
                    lambda out: [*cqcdocs(), "brief", str(workbook), "--out", str(out)], env, runs, warm)


def big_plan(env, runs: int, folder: Path) -> Row:
    workbook = make(folder / "plan.xlsx", council="Planshire Council", short_name="Planshire", actions=500,
                    updates=20_000)
    return _big_row("progress: 500 actions + 20,000 updates",
                    lambda out: [*cqcdocs(), "progress", str(workbook), "--as-at", "2026-08-01", "--since",
                                 "2026-06-01", "--out", str(out)], env, runs)


def measure(env, runs: int, only: set[str], folder: Path, big_runs: int | None = None,
            base_env: dict[str, str] | None = None) -> tuple[list[Row], Batch | None]:
    rows, batched = [], None
    if "brief" in only:
        rows.append(against_floor("brief (example)", lambda out: [*cqcdocs(), "brief", str(EXAMPLE), "--out",
                                                                  str(out)], FLOOR_BRIEF, 1.3, env, runs, base_env))
    if "pictures" in only:
        rows.append(against_floor("brief --charts picture", lambda out: [*cqcdocs(), "brief", str(EXAMPLE), "--out",
                                                                        str(out), "--charts", "picture"],
                                  FLOOR_PICTURES, 2.9, env, runs))
    if "validate" in only:
        rows.append(against_floor("validate (example)", lambda out: [*cqcdocs(), "validate", str(EXAMPLE)],
                                  FLOOR_READ, 1.3, env, runs))
    if "score" in only:
        rows.append(against_floor("score (example)", lambda out: [*cqcdocs(), "score", str(EXAMPLE)],
                                  FLOOR_READ, 1.3, env, runs))
    if "help" in only:
        rows.append(against_floor("--help", lambda out: [*cqcdocs(), "--help"], FLOOR_HELP, None, env, runs))
    if "batch" in only:
        batched = batch(env, runs, folder)
        rows.append(batched.row)
    if "big" in only:
        rows.append(big(env, big_runs or runs, folder, warm=big_runs is None))
    if "plan" in only:
        rows.append(big_plan(env, runs, folder))
    return rows, batched


# --- reporting -------------------------------------------------------------------------------------

def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", info)[1].strip()
    except (OSError, TypeError):
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kb / 1024 / 1024:.1f} GB memory"
    except (OSError, TypeError):
        pass
    versions = []
    for name in ("click", "openpyxl", "python-docx", "XlsxWriter", "matplotlib", "numpy", "lxml", "Pillow"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "src"], cwd=ROOT,
                           capture_output=True, text=True)
    return [
        ("Date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("Machine", f"{cpu}, {os.cpu_count()} cores{memory}"),
        ("System", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Libraries", ", ".join(versions)),
        ("Commit", (commit.stdout.strip() or "unknown") + (" (with local changes in src/)" if dirty.stdout.strip()
                                                           else "")),
    ]


def fmt_runs(seconds: list[float]) -> str:
    return " ".join(f"{s:.2f}" if s != math.inf else "stopped" for s in seconds)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds != math.inf else "—"


def table(rows: list[Row]) -> list[str]:
    lines = ["| Measurement | Median | Floor (median) | Result | Target | Met | All runs (s) |",
             "|---|---:|---:|---:|---|---|---|"]
    for r in rows:
        floor = f"{r.floor_median:.2f} s" if r.floor else ""
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.name} | {fmt_s(r.median)} | {floor} | {r.value} | {r.target} | {met} | "
                     f"{fmt_runs(r.seconds)} |")
    return lines


def plain(rows: list[Row]) -> str:
    head = ("Measurement", "Median", "Floor", "Result", "Target", "Met")
    body = [(r.name, fmt_s(r.median), f"{r.floor_median:.2f} s" if r.floor else "", r.value, r.target,
             "" if r.met is None else ("yes" if r.met else "NO")) for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in [head, *body])


def kept_sections(text: str) -> dict[str, str]:
    return {name: m[0] for name in KEPT
            if (m := re.search(rf"<!-- {name}:start -->.*?<!-- {name}:end -->", text, re.S))}


def section(name: str, body: str) -> str:
    return f"<!-- {name}:start -->\n{body.strip()}\n<!-- {name}:end -->"


def memory_lines(batched: Batch | None) -> list[str]:
    if batched is None or not batched.stats or not all(batched.stats):
        return []
    stats = batched.stats[len(batched.stats) // 2]
    summary, flat = flatness(stats)
    by_pid: dict[int, list[dict]] = {}
    for s in stats:
        by_pid.setdefault(s["pid"], []).append(s)
    lines = ["## Batch memory", "",
             f"From one of the batch runs (the middle one): {summary}. Memory is "
             f"{'flat' if flat else '**not flat**'} across the batch. Each worker process is retired after "
             "20 workbooks (`MAX_TASKS_PER_CHILD`) and a fresh one forked from the preloaded server.", "",
             "| Worker | Workbooks | Resident memory after each workbook (MB) | Worker's peak (MB) |",
             "|---|---:|---|---:|"]
    for n, (pid, items) in enumerate(by_pid.items(), start=1):
        after_each = " ".join(f"{s['rss_mb']:.0f}" for s in items)
        lines.append(f"| {n} (pid {pid}) | {len(items)} | {after_each} | {max(s['peak_mb'] for s in items):.0f} |")
    return lines + [""]


def write_results(rows: list[Row], batched: Batch | None, runs: int, kept: dict[str, str]) -> None:
    missed = [r for r in rows if r.met is False]
    lines = ["# cqcdocs benchmarks", "",
             "Written by `python benchmarks/run.py` (see its docstring for the method); the notes and the "
             "before-and-after section are kept between runs.", ""]
    lines += [f"- **{k}**: {v}" for k, v in machine()]
    lines += ["", f"## Results (median of {runs} cold runs each)", ""]
    lines += table(rows)
    lines += ["", "Floors: brief `python -c \"" + FLOOR_BRIEF + "\"`; brief --charts picture `python -c \""
              + FLOOR_PICTURES + "\"`; validate and score `python -c \"" + FLOOR_READ + "\"`; --help `python -c \""
              + FLOOR_HELP + "\"`.", ""]
    if missed:
        lines += ["Targets missed in this run: " + "; ".join(f"{r.name} ({r.value}, target {r.target})"
                                                             for r in missed) + ". See the notes below.", ""]
    else:
        lines += ["Every target was met in this run.", ""]
    lines += memory_lines(batched)
    for name, title in (("notes", "Notes"), ("before-after", "Before and after")):
        lines += [f"## {title}", "", kept.get(name, section(name, "(none yet)")), ""]
    RESULTS.write_text("\n".join(lines))


def before_after(baseline: str, base_rows: list[Row], rows: list[Row]) -> str:
    now = {r.name: r for r in rows}
    lines = [f"Baseline: commit `{baseline}` (the package from `git archive`, first on PYTHONPATH), measured in "
             "the same run as the results above; the example's brief before and after in alternation, against "
             "the same floor runs.", "",
             "| Measurement | Before (median) | After (median) | Change | Before: all runs (s) |",
             "|---|---:|---:|---:|---|"]
    for b in base_rows:
        a = now.get(b.name)
        if a is None:
            continue
        change = f"{a.median / b.median:.2f} ×" if b.median != math.inf else "hung before; finishes now"

        def shown(r: Row) -> str:
            return fmt_s(r.median) + (f" ({r.value})" if r.value != fmt_s(r.median) else "")

        lines.append(f"| {b.name} | {shown(b)} | {shown(a)} | {change} | "
                     f"{fmt_runs(b.seconds)} |")
    return "\n".join(lines)


def baseline_tree(rev: str, folder: Path) -> Path:
    archive = folder / "baseline.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=f, check=True)
    tree = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement (at least 5)")
    parser.add_argument("--only", nargs="+", choices=["brief", "pictures", "validate", "score", "help", "batch", "big", "plan"],
                        default=["brief", "pictures", "validate", "score", "help", "batch", "big", "plan"])
    parser.add_argument("--baseline", metavar="REV", help="also measure brief, batch and big on this commit")
    parser.add_argument("--baseline-big-runs", type=int, default=1,
                        help="timed runs of the big workbook on the baseline (it may be very slow)")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave results.md alone")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5 (each figure is a median of at least five cold runs)")
    only = set(args.only)
    with tempfile.TemporaryDirectory(prefix="cqcdocs-bench-data-") as tmp:
        tmp = Path(tmp)
        src = baseline_tree(args.baseline, tmp) / "src" if args.baseline else None
        rows, batched = measure(environment(), args.runs, only, tmp, base_env=environment(src) if src else None)
        print(plain(rows))
        for line in memory_lines(batched)[2:3]:
            print(line)
        kept = kept_sections(RESULTS.read_text()) if RESULTS.exists() else {}
        if src is not None:
            base_rows = [r.baseline for r in rows if r.baseline is not None]
            if "batch" in only:
                base_rows += measure(environment(src), args.runs, {"batch"}, tmp)[0]
            if "big" in only:
                base_rows += measure(environment(src), args.runs, {"big"}, tmp, args.baseline_big_runs)[0]
            print(f"\nBaseline {args.baseline}:\n" + plain(base_rows))
            kept["before-after"] = section("before-after", before_after(args.baseline, base_rows, rows))
    if not args.no_write:
        write_results(rows, batched, args.runs, kept)
        print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
