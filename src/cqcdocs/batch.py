"""Many workbooks in one run: each council's documents made in a worker process, reported in order.

Workers share nothing: each gets a path and returns a picklable `Outcome`. They are forked from a
server that has already imported python-docx, XlsxWriter and matplotlib, so a fresh worker costs
milliseconds, not the ~0.5 s of imports; that makes it cheap to retire each worker after about
`MAX_TASKS_PER_CHILD` workbooks, which keeps memory flat however long the batch (benchmarks/results.md).
Workers are retired by running the batch in rounds, each with a fresh pool, not with the pool's own
`max_tasks_per_child`: up to Python 3.13 that option deadlocks as soon as a worker retires while
workbooks are still queued (CPython gh-115634), so any batch of more than 40 workbooks at --jobs 2 hung.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .documents import Options
from .errors import UserError
from .output import folder_lock

# A worker's memory settles after a few workbooks (font and style caches); retiring it every 20 bounds
# anything a renderer might accumulate, at the cost of one fork and a few cold caches.
MAX_TASKS_PER_CHILD = 20
PDF_CHUNK = 10  # with --pdf, workbooks whose PDFs one LibreOffice start makes
_PRELOAD = ["cqcdocs.documents", "cqcdocs.render.briefing", "cqcdocs.render.word.charts", "cqcdocs.render.annex",
            "cqcdocs.check"]
_PRELOAD_PICTURES = ["cqcdocs.render.charts"]  # matplotlib, only when pictures are asked for
_PRELOAD_PDF = ["cqcdocs.render.pdf", "pikepdf"]  # only with --pdf
# Set (to anything) to have each workbook's worker, time and memory printed to stderr as one JSON line
# starting "cqcdocs-batch-stats: " (benchmarks/run.py reads them); not part of the documented CLI.
STATS_ENV = "CQCDOCS_BATCH_STATS"


@dataclass(frozen=True)
class Outcome:
    """What one worker did with one workbook: `made` (a `documents.Made`) or the `error` lines to show."""

    path: Path
    made: Any = None
    error: list[str] | None = None
    pid: int = 0
    seconds: float = 0.0
    rss_mb: float = 0.0  # resident memory of the worker after this workbook
    peak_mb: float = 0.0  # the worker's peak so far


def _memory_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc; zeros where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return 0.0, 0.0


def make_one(path: Path, out: Path, options: Options) -> Outcome:
    """Make one workbook's documents; never raises, so one bad workbook cannot stop the batch."""
    from .documents import make_documents

    start = time.perf_counter()
    made, error = None, None
    try:
        made = make_documents(Path(path), Path(out), options, lock=False)  # run_batch holds the folder
    except UserError as exc:
        error = exc.lines
    except Exception as exc:  # a bug, not the officer's mistake: say so, keep going with the others
        error = [f"unexpected {type(exc).__name__} (please report it): {exc}"]
    rss, peak = _memory_mb()
    return Outcome(Path(path), made, error, os.getpid(), time.perf_counter() - start, rss, peak)


def make_some(paths: list[Path], out: Path, options: Options) -> list[Outcome]:
    """Make several workbooks' documents with their PDFs, all converted by one LibreOffice start; never
    raises: each workbook's Outcome is its own."""
    from .documents import finish_made, plan_documents, write_sets

    start = time.perf_counter()
    planned, outcomes = [], {}
    for n, path in enumerate(paths):
        try:
            planned.append((n, *plan_documents(Path(path), Path(out), options)))
        except UserError as exc:
            outcomes[n] = exc.lines
        except Exception as exc:  # a bug, not the officer's mistake: say so, keep going with the others
            outcomes[n] = [f"unexpected {type(exc).__name__} (please report it): {exc}"]
    results = write_sets([targets for _, targets, _ in planned], pdf=True, lock=False)  # run_batch holds the folder
    for (n, _, made), result in zip(planned, results):
        try:
            if isinstance(result, BaseException):
                raise result
            outcomes[n] = finish_made(made, *result, options)
        except UserError as exc:
            outcomes[n] = exc.lines
        except Exception as exc:  # noqa: BLE001
            outcomes[n] = [f"unexpected {type(exc).__name__} (please report it): {exc}"]
    seconds = (time.perf_counter() - start) / max(1, len(paths))
    rss, peak = _memory_mb()
    return [Outcome(Path(path), None if isinstance(outcomes[n], list) else outcomes[n],
                    outcomes[n] if isinstance(outcomes[n], list) else None, os.getpid(), seconds, rss, peak)
            for n, path in enumerate(paths)]


def pdf_chunks(paths: list[Path], workers: int) -> list[list[Path]]:
    """PATHS in consecutive groups for `make_some`: few LibreOffice starts (each costs about half a second),
    yet every worker busy and the progress shown as groups finish, never more than PDF_CHUNK at once."""
    size = max(1, min(PDF_CHUNK, -(-len(paths) // workers)))
    return [paths[i:i + size] for i in range(0, len(paths), size)]


def _worker_started() -> None:
    """In each new worker: move the preloaded libraries' objects out of the garbage collector's sight.
    They live as long as the worker, so scanning them again at every full collection is wasted time, and
    it would touch (and so copy) memory the worker otherwise shares with the server it was forked from."""
    gc.freeze()


def _context(options: Options) -> multiprocessing.context.BaseContext:
    """Fork workers from a server with the renderers OPTIONS needs preloaded (POSIX); spawn them where there
    is none."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD + (_PRELOAD_PICTURES if options.charts == "picture" else [])
                                   + (_PRELOAD_PDF if options.pdf else []))
        return ctx
    return multiprocessing.get_context("spawn")


def run_batch(paths: list[Path], out: Path, *, jobs: int | None, report: Callable[[Any], None],
              fail: Callable[[Path, list[str]], None], on_outcome: Callable[[Outcome], None] | None = None,
              options: Options = Options()) -> int:
    """Make documents for every workbook in PATHS with JOBS workers (default: all cores); return failures.

    REPORT gets each success's `documents.Made` and FAIL each failure's path and message lines, in the order of
    PATHS. Two workbooks that would write the same file name (the same council twice) fail loudly
    rather than silently replace each other's documents. The output folder is held for the whole batch,
    once (`output.folder_lock`); an OutputError if another run holds it.
    """
    with folder_lock(Path(out)):
        return _run_batch([Path(p) for p in paths], Path(out), jobs, report, fail, on_outcome, options)


def _run_batch(paths: list[Path], out: Path, jobs: int | None, report: Callable[[Any], None],
               fail: Callable[[Path, list[str]], None], on_outcome: Callable[[Outcome], None] | None,
               options: Options) -> int:
    if on_outcome is None and os.environ.get(STATS_ENV):
        on_outcome = _print_stats
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        outcomes = (outcome for chunk in pdf_chunks(paths, 1) for outcome in make_some(chunk, out, options)) \
            if options.pdf else (make_one(p, out, options) for p in paths)
        return _collect(outcomes, report, fail, on_outcome)
    outcomes = _in_rounds(paths, out, options, workers)
    try:
        return _collect(outcomes, report, fail, on_outcome)
    finally:
        outcomes.close()  # Ctrl+C or a failed report: the round's pool stops cleanly, temporary files removed


def _in_rounds(paths: list[Path], out: Path, options: Options, workers: int):
    """Each workbook's Outcome, in the order of PATHS, from rounds of WORKERS × MAX_TASKS_PER_CHILD
    workbooks, each round in a fresh pool, so no worker outlives about MAX_TASKS_PER_CHILD workbooks."""
    ctx = _context(options)
    size = workers * MAX_TASKS_PER_CHILD
    for start in range(0, len(paths), size):
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_started) as pool:
            round_paths = paths[start:start + size]
            if options.pdf:  # groups of workbooks, so that one LibreOffice start makes many PDFs
                futures = [pool.submit(make_some, chunk, out, options) for chunk in pdf_chunks(round_paths, workers)]
            else:
                futures = [pool.submit(make_one, p, out, options) for p in round_paths]
            try:
                for future in futures:
                    result = future.result()
                    yield from result if isinstance(result, list) else [result]
            except BaseException:  # including GeneratorExit, when the caller stops early
                pool.shutdown(wait=True, cancel_futures=True)
                raise


def _print_stats(outcome: Outcome) -> None:
    stats = {"path": str(outcome.path), "pid": outcome.pid, "seconds": round(outcome.seconds, 3),
             "rss_mb": round(outcome.rss_mb, 1), "peak_mb": round(outcome.peak_mb, 1), "ok": outcome.error is None}
    print("cqcdocs-batch-stats: " + json.dumps(stats), file=sys.stderr, flush=True)


def _collect(outcomes: Any, report: Callable[[Any], None], fail: Callable[[Path, list[str]], None],
             on_outcome: Callable[[Outcome], None] | None) -> int:
    failures = 0
    written_by: dict[Path, Path] = {}
    for outcome in outcomes:
        if on_outcome is not None:
            on_outcome(outcome)
        if outcome.error is not None:
            failures += 1
            fail(outcome.path, outcome.error)
            continue
        clashes = [p for p in outcome.made.written if p.resolve() in written_by]
        for p in outcome.made.written:
            written_by.setdefault(p.resolve(), outcome.path)
        if clashes:
            failures += 1
            fail(outcome.path, [f"wrote {clashes[0]}, as {written_by[clashes[0].resolve()]} did: one replaced "
                                "the other (give each council its own Short name, or write them to separate "
                                "folders)"])
            continue
        report(outcome.made)
        failures += bool(outcome.made.failed)  # written, but a document it asked for (a PDF) is missing
    return failures
