#!/usr/bin/env python
"""Speed benchmarks for cqcdocs: `python benchmarks/run.py` prints a table and writes benchmarks/results.md.

Every figure is whole-process CPU time (user + system, the operating system's own accounting) of a fresh
process, counted across every process the command starts (batch workers and their server included): each
command runs under a small launcher that adopts orphaned descendants (Linux's child subreaper) and reaps
them all before it reports. Commands are compared in *pairs*: the command and its yardstick run in turn,
A B A B …, and the ratio is taken pair by pair, so a machine whose speed drifts moves both alike; each
ratio is given as min / median / max. Every command runs once, untimed, first (warm caches, as for
anyone who has run cqcdocs before).

Yardsticks:

  peer script    benchmarks/peer.py: the briefing's tables and text and the annex's sheets through plain
                 openpyxl, python-docx and XlsxWriter, nothing else (no charts, no checks)
  strict floor   `python -c` importing the libraries the job needs (click, openpyxl, python-docx,
                 XlsxWriter) with numpy and Pillow hidden, as cqcdocs imports them
  library floor  the same imports as installed: openpyxl then imports numpy and Pillow too

Targets (issue 25): brief ≤ 1.0 × the peer script and ≤ 2.0 × its strict floor; validate and score ≤ 1.2 ×
their strict floor (`click, openpyxl`); a batch of 60 at --jobs 2 ≥ 360 councils a minute (wall; both
cores free); the big workbook and the big plan < 10 s; every growth axis (findings, benchmark councils,
threads, actions × updates, metrics) at most 2.1 × the time when its input doubles: the example with
n, 2n and 4n of that input, and the ratio of what the second doubling adds to what the first added
((T4n − T2n) / (T2n − Tn): 2 when linear, 4 when quadratic), so start-up costs cannot hide a slope.

The before-and-after section measures a baseline commit (BASELINE, or --baseline REV; from `git archive`,
put first on PYTHONPATH) paired with this checkout, in the same run.

Options: --runs N (pairs per comparison, default 5, at least 3), --only NAME… , --baseline REV, --no-write.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
EXAMPLE = ROOT / "src" / "cqcdocs" / "resources" / "rotherham-2026.xlsx"
PEER = ROOT / "benchmarks" / "peer.py"
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from inputs import AXES, scaled  # noqa: E402  (needs only openpyxl)
from workbook_factory import make  # noqa: E402

BASELINE = "56fa737"  # the last commit before issue 25's work: the "before" of the before-and-after section
HIDE = "import sys; sys.modules['numpy'] = sys.modules['PIL'] = None; "  # what cqcdocs does for openpyxl
LIBS_BRIEF = "import click, docx, openpyxl, xlsxwriter"
LIBS_PICTURES = "import click, docx, openpyxl, xlsxwriter, matplotlib.pyplot"
LIBS_READ = "import click, openpyxl"
STATS = "cqcdocs-batch-stats: "
BATCH_SIZE = 60
LIMIT = 600  # seconds: a run still going then has hung
KEPT = ("notes",)  # the hand-written section of results.md that a run keeps
ALL = ("brief", "pictures", "validate", "score", "help", "batch", "big", "plan", "growth", "before-after")

# Runs COMMAND as a child subreaper: descendants that outlive their parent (a batch's worker server) are
# adopted and reaped here, so RUSAGE_CHILDREN holds the CPU of every process the command started.
LAUNCHER = r"""
import ctypes, json, os, resource, subprocess, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(argv)
code = None
while True:
    try:
        pid, status = os.wait()
    except ChildProcessError:
        break
    if pid == proc.pid:
        code = os.waitstatus_to_exitcode(status)
wall = time.perf_counter() - start
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(report, "w") as f:
    json.dump({"code": code, "wall": wall, "cpu": u.ru_utime + u.ru_stime, "rss_mb": u.ru_maxrss / 1024}, f)
"""


# --- running things --------------------------------------------------------------------------------

def cqcdocs() -> list[str]:
    """The console script installed beside this Python (what an officer runs), else `python -m cqcdocs`."""
    script = Path(sys.executable).with_name("cqcdocs")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "cqcdocs"]


def environment(src: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode cached
    env.pop("CQCDOCS_EXAMPLE", None)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@dataclass
class Run:
    cpu: float   # user + system seconds of every process; math.inf if it was stopped
    wall: float
    rss_mb: float  # the largest single process
    stderr: str = ""


def run(argv: list[str], env: dict[str, str], cwd: Path, limit: float = LIMIT) -> Run:
    with tempfile.TemporaryDirectory(prefix="cqcdocs-run-") as tmp:
        report, out, err = Path(tmp) / "report.json", Path(tmp) / "out", Path(tmp) / "err"
        with out.open("w") as o, err.open("w") as e:
            proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(report), *argv], stdout=o, stderr=e,
                                    env=env, cwd=cwd, start_new_session=True)
            try:
                proc.wait(limit)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
                return Run(math.inf, math.inf, 0.0)
        r = json.loads(report.read_text())
        if r["code"] != 0:
            raise SystemExit(f"benchmark command failed ({r['code']}): {' '.join(argv)}\n{out.read_text()}"
                             f"{err.read_text()}")
        return Run(r["cpu"], r["wall"], r["rss_mb"], err.read_text())


def paired(commands: dict[str, tuple[list[str] | None, dict[str, str]]], runs: int, warm: bool = True,
           argv_for=None) -> dict[str, list[Run]]:
    """RUNS rounds of every command in turn (A B C A B C …), each writing into a fresh folder; one untimed
    round first. COMMANDS: name → (argv, or None for ARGV_FOR(name, folder); environment)."""
    results: dict[str, list[Run]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="cqcdocs-bench-") as tmp:
        for i in range(0 if warm else 1, runs + 1):
            for name, (argv, env) in commands.items():
                folder = Path(tmp) / f"{name}-{i}"
                r = run(argv or argv_for(name, folder), env, Path(tmp))
                if i:
                    results[name].append(r)
                shutil.rmtree(folder, ignore_errors=True)
    return results


def floor(imports: str, strict: bool) -> list[str]:
    return [sys.executable, "-c", (HIDE if strict else "") + imports]


def spread(values: list[float], digits: int = 2) -> str:
    return "/".join(f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values)))


# --- the measurements ------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    cpu: list[float]                  # seconds, per run
    against: str = ""                 # the yardstick's name
    ratios: list[float] = field(default_factory=list)  # pair by pair
    yard_cpu: list[float] = field(default_factory=list)
    target: str = ""
    met: bool | None = None
    value: str = ""                   # the figure the target is about, when it is not a ratio
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.cpu)


def say(text: str) -> None:
    """Progress on stderr: a run on a busy machine takes a while."""
    print(f"[{datetime.datetime.now():%H:%M:%S}] {text}", file=sys.stderr, flush=True)


def compare(name: str, command: list[str], yardsticks: dict[str, tuple[list[str], float | None]], env, runs: int,
            note: str = "") -> list[Row]:
    """COMMAND paired with each yardstick (name → (argv, the ratio it must stay at or under, or None))."""
    say(name)
    commands = {"A": (command, env), **{k: (argv, env) for k, (argv, _) in yardsticks.items()}}
    results = paired(commands, runs)
    rows = []
    cpu = [r.cpu for r in results["A"]]
    for k, (_, limit) in yardsticks.items():
        ratios = [a.cpu / b.cpu for a, b in zip(results["A"], results[k])]
        row = Row(name, cpu, k, ratios, [r.cpu for r in results[k]])
        row.target = f"≤ {limit:.1f} ×" if limit is not None else "reported"
        row.met = statistics.median(ratios) <= limit if limit is not None else None
        row.note = note or f"peak {statistics.median(r.rss_mb for r in results['A']):.0f} MB"
        rows.append(row)
    return rows


def brief_rows(env, runs: int) -> list[Row]:
    def argv_for(name, folder):
        return {"A": [*cqcdocs(), "brief", str(EXAMPLE), "--out", str(folder)],
                "peer script": [sys.executable, str(PEER), str(EXAMPLE), str(folder)]}[name]

    say("brief (example)")
    commands = {"A": (None, env), "peer script": (None, env), "strict floor": (floor(LIBS_BRIEF, True), env),
                "library floor": (floor(LIBS_BRIEF, False), env)}
    results = paired(commands, runs, argv_for=argv_for)
    limits = {"peer script": 1.0, "strict floor": 2.0, "library floor": None}
    rows = []
    for k, limit in limits.items():
        ratios = [a.cpu / b.cpu for a, b in zip(results["A"], results[k])]
        row = Row("brief (example)", [r.cpu for r in results["A"]], k, ratios, [r.cpu for r in results[k]])
        row.target = f"≤ {limit:.1f} ×" if limit is not None else "reported"
        row.met = statistics.median(ratios) <= limit if limit is not None else None
        row.note = f"peak {statistics.median(r.rss_mb for r in results['A']):.0f} MB"
        rows.append(row)
    return rows


def batch_workbooks(folder: Path) -> list[Path]:
    """BATCH_SIZE copies of the example, each its own council and short name (so no two write one file)."""
    from openpyxl import load_workbook

    firsts = ("Ash", "Brook", "Cold", "Dun", "East", "Fair", "Glen", "High", "Kings", "Lang")
    lasts = ("ford", "ley", "ton", "wick", "by", "ham")
    paths = []
    for name in [f + last for f in firsts for last in lasts][:BATCH_SIZE]:
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
    stats: list[list[dict]]


def batch(env, runs: int, folder: Path, jobs: int = 2) -> Batch:
    say("batch")
    workbooks = batch_workbooks(folder)
    env = dict(env, CQCDOCS_BATCH_STATS="1")
    results = paired({"A": (None, env)}, runs,
                     argv_for=lambda _, out: [*cqcdocs(), "brief", *map(str, workbooks), "--jobs", str(jobs),
                                              "--out", str(out)])["A"]
    stats = [[json.loads(line[len(STATS):]) for line in r.stderr.splitlines() if line.startswith(STATS)]
             for r in results if r.cpu != math.inf]
    row = Row(f"batch: {BATCH_SIZE} councils, --jobs {jobs}", [r.cpu for r in results])
    wall = statistics.median(r.wall for r in results)
    per_minute = BATCH_SIZE / wall * 60 if wall != math.inf else 0
    row.value = (f"{per_minute:.0f} councils/min (wall {wall:.1f} s; CPU of all processes {row.median:.1f} s, "
                 f"{row.median / BATCH_SIZE * 1000:.0f} ms a council)")
    row.target = "≥ 360 councils/min"
    row.met = per_minute >= 360
    if stats and all(stats):
        row.note = f"workers' peak {statistics.median(max(s['peak_mb'] for s in st) for st in stats):.0f} MB"
    return Batch(row, stats)


def big(env, runs: int, folder: Path, name: str, argv: list[str]) -> Row:
    say(name)
    results = paired({"A": (None, env)}, runs, argv_for=lambda _, out: [*argv, "--out", str(out)])["A"]
    row = Row(name, [r.cpu for r in results])
    wall = statistics.median(r.wall for r in results)
    row.value = f"{wall:.2f} s wall, {row.median:.2f} s CPU" if wall != math.inf else "never finished"
    row.target = "< 10 s"
    row.met = wall < 10
    row.note = f"peak {statistics.median(r.rss_mb for r in results):.0f} MB"
    return row


@dataclass
class Growth:
    axis: str
    what: str
    sizes: tuple[int, ...]
    cpu: list[list[float]]  # per size, per run

    @property
    def medians(self) -> list[float]:
        return [statistics.median(c) for c in self.cpu]

    @property
    def doubling(self) -> float:
        t1, t2, t4 = self.medians
        return (t4 - t2) / (t2 - t1) if t2 > t1 else math.inf

    @property
    def met(self) -> bool:
        return self.doubling <= 2.1


def growth(env, runs: int, folder: Path, only_axes=None) -> list[Growth]:
    found = []
    folder.mkdir(parents=True, exist_ok=True)
    for axis, (what, command, sizes) in AXES.items():
        if only_axes and axis not in only_axes:
            continue
        say(f"growth: {axis}")
        paths = {n: scaled(axis, n, folder / f"{axis.split()[0]}-{n}.xlsx") for n in sizes}
        extra = ["--as-at", "2026-08-01"] if command == "progress" else []
        commands = {n: (None, env) for n in sizes}
        results = paired(commands, runs, warm=False, argv_for=lambda n, out, command=command, paths=paths,
                         extra=extra: [*cqcdocs(), command, str(paths[n]), *extra, "--out", str(out)])
        found.append(Growth(axis, what, sizes, [[r.cpu for r in results[n]] for n in sizes]))
    return found


def measure(env, runs: int, only: set[str], folder: Path) -> tuple[list[Row], Batch | None, list[Growth]]:
    rows: list[Row] = []
    batched, grown = None, []
    big_runs = max(3, runs // 2)
    if "brief" in only:
        rows += brief_rows(env, runs)
    if "pictures" in only:
        rows += compare("brief --charts picture", [*cqcdocs(), "brief", str(EXAMPLE), "--charts", "picture",
                                                   "--out", str(folder / "pictures")],
                        {"library floor": (floor(LIBS_PICTURES, False), 2.9)}, env, runs)  # matplotlib needs numpy
    for command in ("validate", "score"):
        if command in only:
            rows += compare(f"{command} (example)", [*cqcdocs(), command, str(EXAMPLE)],
                            {"strict floor": (floor(LIBS_READ, True), 1.2),
                             "library floor": (floor(LIBS_READ, False), None)}, env, runs)
    if "help" in only:
        rows += compare("--help", [*cqcdocs(), "--help"], {"strict floor": (floor("import click", True), None)},
                        env, runs)
    if "batch" in only:
        batched = batch(env, max(3, runs - 2), folder)
        rows.append(batched.row)
    if "big" in only:
        workbook = make(folder / "big.xlsx", council="Bigshire Council", short_name="Bigshire", findings=10_000,
                        actions=500)
        rows.append(big(env, big_runs, folder, "brief: 10,000 findings + 500 actions",
                        [*cqcdocs(), "brief", str(workbook)]))
    if "plan" in only:
        workbook = make(folder / "plan.xlsx", council="Planshire Council", short_name="Planshire", actions=500,
                        updates=20_000)
        rows.append(big(env, big_runs, folder, "progress: 500 actions + 20,000 updates",
                        [*cqcdocs(), "progress", str(workbook), "--as-at", "2026-08-01", "--since", "2026-06-01"]))
    if "growth" in only:
        grown = growth(env, max(3, runs - 2), folder)
    return rows, batched, grown


def before_after(rev: str, runs: int, folder: Path, grown: list[Growth]) -> str:
    """This checkout against REV, paired in one run: the example's brief, validate and score, and the growth
    axis the baseline was quadratic in (benchmark councils)."""
    try:
        src = baseline_tree(rev, folder) / "src"
    except (OSError, subprocess.CalledProcessError) as exc:
        return f"Baseline `{rev}` could not be taken from git ({exc}); nothing compared."
    now, then = environment(ROOT / "src"), environment(src)
    lines = [f"Baseline: commit `{rev}` (its package from `git archive`, first on PYTHONPATH) against this "
             "checkout, run in turn (before, after, before, after …) in this run; CPU seconds of whole processes.",
             "", "| Measurement | Before (median CPU) | After (median CPU) | After / before, pair by pair "
             "(min/median/max) |", "|---|---:|---:|---|"]
    for name, args in (("brief (example)", ["brief", str(EXAMPLE)]), ("validate (example)", ["validate", str(EXAMPLE)]),
                       ("score (example)", ["score", str(EXAMPLE)])):
        outs = name.startswith("brief")
        say(f"before and after: {name}")
        results = paired({"before": (None, then), "after": (None, now)}, runs,
                         argv_for=lambda _, out, args=args, outs=outs: [*cqcdocs(), *args,
                                                                        *(["--out", str(out)] if outs else [])])
        ratios = [a.cpu / b.cpu for a, b in zip(results["after"], results["before"])]
        lines.append(f"| {name} | {statistics.median(r.cpu for r in results['before']):.2f} s | "
                     f"{statistics.median(r.cpu for r in results['after']):.2f} s | {spread(ratios)} |")
    lines += ["", "The growth axis that was quadratic before, measured on the baseline in this run:", "",
              "| Growth axis | Before: CPU at n, 2n, 4n | Before: doubling | After: CPU at n, 2n, 4n | "
              "After: doubling |", "|---|---|---:|---|---:|"]
    after = {g.axis: g for g in grown}  # this run's growth measurements
    before = growth(then, max(3, runs - 2), folder / "before", {"benchmark councils"} & set(after))
    for b in before:
        a = after[b.axis]
        lines.append(f"| {b.axis} | {spread_growth(b)} | {b.doubling:.2f} × | {spread_growth(a)} | {a.doubling:.2f} × |")
    return "\n".join(lines)


def spread_growth(g: Growth) -> str:
    return " → ".join(f"{m:.2f} s" for m in g.medians)


def baseline_tree(rev: str, folder: Path) -> Path:
    archive = folder / "baseline.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "archive", rev], cwd=ROOT, stdout=f, check=True, stderr=subprocess.DEVNULL)
    tree = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


# --- reporting -------------------------------------------------------------------------------------

def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())[1].strip()
    except (OSError, TypeError):
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f", {kb / 1024 / 1024:.1f} GB memory"
    except (OSError, TypeError):
        pass
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " at the start"
    except OSError:
        load = "load unknown"
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
        ("Machine", f"{cpu}, {os.cpu_count()} cores{memory}; {load}"),
        ("System", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Libraries", ", ".join(versions)),
        ("Commit", (commit.stdout.strip() or "unknown") + (" (with local changes in src/)" if dirty.stdout.strip()
                                                           else "")),
    ]


def met_cell(met: bool | None) -> str:
    return "" if met is None else ("yes" if met else "**NO**")


def table(rows: list[Row]) -> list[str]:
    lines = ["| Measurement | CPU (median) | Against | Yardstick CPU (median) | Ratio, pair by pair (min/median/max) "
             "| Target | Met |", "|---|---:|---|---:|---|---|---|"]
    for r in rows:
        if r.against:
            lines.append(f"| {r.name} | {r.median:.2f} s | {r.against} | {statistics.median(r.yard_cpu):.2f} s | "
                         f"{spread(r.ratios)} | {r.target} | {met_cell(r.met)} |")
        else:
            lines.append(f"| {r.name} | {r.median:.2f} s |  |  | {r.value} | {r.target} | {met_cell(r.met)} |")
    return lines


def growth_table(grown: list[Growth]) -> list[str]:
    lines = ["| Axis | Sizes (n, 2n, 4n) | Command | CPU at each size (median) | Doubling: (T4n − T2n) / (T2n − Tn) "
             "| Exponent | Target | Met |", "|---|---|---|---|---:|---:|---|---|"]
    for g in grown:
        exponent = math.log2(g.doubling) if 0 < g.doubling < math.inf else math.nan
        lines.append(f"| {g.axis} | {', '.join(map(str, g.sizes))} {g.what} | {AXES[g.axis][1]} | "
                     f"{spread_growth(g)} | {g.doubling:.2f} × | {exponent:.2f} | ≤ 2.1 × | {met_cell(g.met)} |")
    return lines


def plain(rows: list[Row], grown: list[Growth]) -> str:
    out = []
    for r in rows:
        figure = f"{statistics.median(r.ratios):.2f} × {r.against}" if r.against else r.value
        out.append(f"{r.name:42s} {r.median:6.2f} s CPU  {figure:40s} {r.target:10s} {met_cell(r.met)}")
    for g in grown:
        out.append(f"growth: {g.axis:34s} {spread_growth(g):28s} doubling {g.doubling:.2f} ×  {met_cell(g.met)}")
    return "\n".join(out)


def memory_lines(batched: Batch | None) -> list[str]:
    if batched is None or not batched.stats or not all(batched.stats):
        return []
    stats = batched.stats[len(batched.stats) // 2]
    rss = [s["rss_mb"] for s in stats]
    first, last = statistics.mean(rss[:10]), statistics.mean(rss[-10:])
    flat = last <= first * 1.10 + 5
    return ["## Batch memory", "",
            f"From the middle batch run: resident memory after each workbook, first ten {first:.0f} MB on average, "
            f"last ten {last:.0f} MB; peak of any worker {max(s['peak_mb'] for s in stats):.0f} MB: "
            f"{'flat' if flat else '**not flat**'}.", ""]


def write_results(rows: list[Row], batched: Batch | None, grown: list[Growth], runs: int, kept: dict[str, str],
                  compared: str | None) -> None:
    missed = [f"{r.name} against the {r.against or 'target'} ({statistics.median(r.ratios):.2f} ×, target "
              f"{r.target})" if r.against else f"{r.name} ({r.value}, target {r.target})"
              for r in rows if r.met is False]
    missed += [f"growth in {g.axis} ({g.doubling:.2f} × when doubled, target ≤ 2.1 ×)" for g in grown if not g.met]
    lines = ["# cqcdocs benchmarks", "",
             "Written by `python benchmarks/run.py` in one run (its docstring gives the method); only the notes "
             "are kept between runs. CPU is user + system time of every process a command started.", ""]
    lines += [f"- **{k}**: {v}" for k, v in machine()]
    if missed:
        lines += ["", "**TARGETS MISSED IN THIS RUN: " + "; ".join(missed) + ".**"]
    else:
        lines += ["", "Every target was met in this run."]
    lines += ["", f"## Against the yardsticks ({runs} pairs each, after one untimed round)", ""]
    lines += table(rows)
    lines += ["", f"Peer script: `python benchmarks/peer.py WORKBOOK OUT`. Strict floor: `python -c \"{HIDE}"
              f"<imports>\"`; library floor: `python -c \"<imports>\"`. Imports: brief `{LIBS_BRIEF}`; "
              f"pictures `{LIBS_PICTURES}`; validate and score `{LIBS_READ}`; --help `import click`.", ""]
    if grown:
        lines += ["## Growth: each input doubled", ""] + growth_table(grown)
        lines += ["", "Linear work doubles what it adds (2 ×); quadratic work quadruples it (4 ×). Exponent: log2 of "
                  "the doubling.", ""]
    lines += memory_lines(batched)
    if compared is not None:
        lines += ["## Before and after", "", compared, ""]
    lines += ["## Notes", "", kept.get("notes", "<!-- notes:start -->\n(none yet)\n<!-- notes:end -->"), ""]
    RESULTS.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs per comparison (at least 3)")
    parser.add_argument("--only", nargs="+", choices=ALL, default=list(ALL))
    parser.add_argument("--baseline", metavar="REV", default=BASELINE, help="the commit for the before and after")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave results.md alone")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 (each figure is a median)")
    only = set(args.only)
    with tempfile.TemporaryDirectory(prefix="cqcdocs-bench-data-") as tmp:
        tmp = Path(tmp)
        rows, batched, grown = measure(environment(ROOT / "src"), args.runs, only, tmp)
        compared = before_after(args.baseline, args.runs, tmp, grown) if "before-after" in only else None
    print(plain(rows, grown))
    if compared:
        print("\n" + compared)
    if not args.no_write:
        kept = {}
        if RESULTS.exists():
            text = RESULTS.read_text()
            kept = {n: m[0] for n in KEPT if (m := re.search(rf"<!-- {n}:start -->.*?<!-- {n}:end -->", text, re.S))}
        write_results(rows, batched, grown, args.runs, kept, compared)
        print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
