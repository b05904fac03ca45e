"""Many workbooks in one run: each council's paper (any kind in `documents.PAPERS`) made in a worker process,
reported in order.

Workers share nothing: each gets a path and returns a picklable `Outcome`. They are forked from a
server that has already imported python-docx, XlsxWriter and matplotlib, so a fresh worker costs
milliseconds, not the ~0.5 s of imports; that makes it cheap to retire each worker after
`MAX_TASKS_PER_CHILD` workbooks, which keeps memory flat however long the batch (benchmarks/results.md).

The workers are our own processes, each given one workbook at a time over its own pipe, not a
`ProcessPoolExecutor`, because a pool breaks as a whole when one worker dies and cannot say whose
workbook it was making. Here a worker that is killed (the out-of-memory killer, SIGKILL) fails its one
workbook with a line saying so and the others go on; a worker retires without the pool's deadlock
(CPython gh-115634); SIGTERM or Ctrl+C stops every worker (each puts back what it was replacing) before
the folder's lock is released; and a worker asks for its file names before writing, so two councils
whose names clash are found before either writes (the first to ask writes; the other writes nothing).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any
from collections.abc import Callable

from .documents import Options
from .errors import OutputError, UserError
from .output import folder_lock, recover

# A worker's memory settles after a few workbooks (font and style caches); retiring it every 20 bounds
# anything a renderer might accumulate, at the cost of one fork and a few cold caches.
MAX_TASKS_PER_CHILD = 20
_PRELOAD = ["cqcdocs.documents", "cqcdocs.render.word.charts", "cqcdocs.check"]
# Each paper's renderers, preloaded only for a batch of that paper (documents.PAPERS names the kinds).
_PRELOAD_PAPER = {"briefing": ["cqcdocs.render.briefing", "cqcdocs.render.annex"],
                  "journey": ["cqcdocs.render.journey_report", "cqcdocs.render.journey_annex"],
                  "progress": ["cqcdocs.render.progress_report", "cqcdocs.render.progress_annex"]}
_PRELOAD_PICTURES = ["cqcdocs.render.charts"]  # matplotlib, only when pictures are asked for
# Set (to anything) to have each workbook's worker, time and memory printed to stderr as one JSON line
# starting "cqcdocs-batch-stats: " (benchmarks/run.py reads them); not part of the documented CLI.
STATS_ENV = "CQCDOCS_BATCH_STATS"
PDF_CHUNK = 10  # with --pdf, workbooks whose PDFs one LibreOffice start makes
STOP_WAIT = 10.0  # seconds a stopped worker has to put back what it was replacing before it is killed


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


def make_one(path: Path, out: Path, options: Options, claim: Callable[[list[Path]], None] | None = None) -> Outcome:
    """Make one workbook's documents; never raises, so one bad workbook cannot stop the batch. CLAIM is
    asked for the file names before any is written (see `_Claims`)."""
    from .documents import make_documents

    start = time.perf_counter()
    made, error = None, None
    try:  # run_batch holds the folder
        made = make_documents(Path(path), Path(out), options, lock=False, claim=claim)
    except UserError as exc:
        error = exc.lines
    except Exception as exc:  # a bug, not the officer's mistake: say so, keep going with the others
        error = [f"unexpected {type(exc).__name__} (please report it): {exc}"]
    rss, peak = _memory_mb()
    return Outcome(Path(path), made, error, os.getpid(), time.perf_counter() - start, rss, peak)


def make_some(paths: list[Path], out: Path, options: Options,
              claim: Callable[[int, list[Path]], None] | None = None) -> list[Outcome]:
    """Make several workbooks' documents with their PDFs, all converted by one LibreOffice start; never
    raises: each workbook's Outcome is its own. CLAIM(n, names) is asked for the nth's names before writing."""
    from .documents import finish_made, plan_documents, target_names, write_sets

    start = time.perf_counter()
    planned, outcomes = [], {}
    for n, path in enumerate(paths):
        try:
            targets, made = plan_documents(Path(path), Path(out), options)
            if claim is not None:
                claim(n, target_names(targets, options))
            planned.append((n, targets, made))
        except UserError as exc:
            outcomes[n] = exc.lines
        except Exception as exc:  # a bug, not the officer's mistake: say so, keep going with the others
            outcomes[n] = [f"unexpected {type(exc).__name__} (please report it): {exc}"]
    results = write_sets([targets for _, targets, _ in planned], pdf=True, lock=False)  # run_batch holds the folder
    for (n, _, made), result in zip(planned, results, strict=True):
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


def pdf_chunks(paths: list, workers: int) -> list[list]:
    """PATHS in consecutive groups for `make_some`: few LibreOffice starts (each costs about half a second),
    yet every worker busy and the progress shown as groups finish, never more than PDF_CHUNK at once."""
    size = max(1, min(PDF_CHUNK, -(-len(paths) // workers)))
    return [paths[i:i + size] for i in range(0, len(paths), size)]


# --- file names: one workbook each ------------------------------------------------------------------

class Clash(UserError):
    """A workbook's file names are another workbook's in this batch (the same council twice)."""


_WAIT = object()  # a claim on names another workbook is still writing: answered when that one has finished


class _Claims:
    """Which workbook of the batch writes each file name: the first to ask has it, unless it then fails to
    write (its names are then free for the next); one asking while the holder is still at work waits."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.by: dict[str, int] = {}

    def ask(self, index: int, names: list[Path], running: set[int] = frozenset()):
        """None if workbook INDEX may write NAMES (now its own); _WAIT if a workbook in RUNNING holds one;
        else why not."""
        # One key for a name in any case: Windows and macOS folders treat them as one file.
        keys = [os.path.normcase(os.path.abspath(n)).casefold() for n in names]
        for key, name in zip(keys, names, strict=True):
            if self.by.get(key, index) != index:
                other = self.by[key]
                if other in running:
                    return _WAIT
                return (f"not written: {name} is written by {self.paths[other]} (workbook {other + 1} of the "
                        "batch); give each council its own Short name, or write them to separate folders")
        self.by.update(dict.fromkeys(keys, index))
        return None

    def finished(self, index: int, outcome: Outcome) -> None:
        """Workbook INDEX is done: if it wrote nothing, its names are free again."""
        if outcome.error is not None:
            self.by = {k: v for k, v in self.by.items() if v != index}

    def claim_for(self, index: int) -> Callable[[list[Path]], None]:
        def claim(names: list[Path]) -> None:
            if (refused := self.ask(index, names)) is not None:
                raise Clash(refused)
        return claim


# --- the batch ------------------------------------------------------------------------------------

class _Stop(BaseException):
    """SIGTERM: stop the batch as Ctrl+C does (a BaseException, so no `except Exception` swallows it)."""


def _raise_stop(signum, frame) -> None:
    raise _Stop()


def run_batch(paths: list[Path], out: Path, *, jobs: int | None, report: Callable[[Any], None],
              fail: Callable[[Path, list[str]], None], on_outcome: Callable[[Outcome], None] | None = None,
              options: Options = Options()) -> int:
    """Make documents for every workbook in PATHS with JOBS workers (default: all cores); return failures.

    REPORT gets each success's `documents.Made` and FAIL each failure's path and message lines, in the order of
    PATHS. Two workbooks that would write the same file name (the same council twice) are found before
    either writes: the later one writes nothing and fails, naming the other. The output folder is held
    for the whole batch, once (`output.folder_lock`); an OutputError if another run holds it, or if the
    batch is stopped by SIGTERM (said once every worker has stopped, and the lock released).
    """
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_stop) if main_thread else None
    try:
        with folder_lock(Path(out)):
            return _run_batch([Path(p) for p in paths], Path(out), jobs, report, fail, on_outcome, options)
    except _Stop:
        raise OutputError(f"{out}: the batch was stopped (SIGTERM); the workbooks not finished were not written "
                          "and their earlier documents are as they were") from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run_batch(paths: list[Path], out: Path, jobs: int | None, report: Callable[[Any], None],
               fail: Callable[[Path, list[str]], None], on_outcome: Callable[[Outcome], None] | None,
               options: Options) -> int:
    if on_outcome is None and os.environ.get(STATS_ENV):
        on_outcome = _print_stats
    workers = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        return _collect(_one_by_one(paths, out, options), report, fail, on_outcome)
    outcomes = _in_workers(paths, out, options, workers)
    try:
        return _collect(outcomes, report, fail, on_outcome)
    finally:
        outcomes.close()  # Ctrl+C, SIGTERM or a failed report: every worker stops, temporary files removed


def _one_by_one(paths: list[Path], out: Path, options: Options):
    """Each workbook's Outcome, made in this process, in order (with --pdf, in groups: see `make_some`)."""
    claims = _Claims(paths)
    for chunk in pdf_chunks(list(range(len(paths))), 1) if options.pdf else [[i] for i in range(len(paths))]:
        if options.pdf:
            outcomes = make_some([paths[i] for i in chunk], out, options,
                                 lambda n, names, chunk=chunk: claims.claim_for(chunk[n])(names))
        else:
            outcomes = [make_one(paths[chunk[0]], out, options, claims.claim_for(chunk[0]))]
        for i, outcome in zip(chunk, outcomes, strict=True):
            claims.finished(i, outcome)
            yield outcome


# --- the workers ----------------------------------------------------------------------------------

def _context(options: Options) -> multiprocessing.context.BaseContext:
    """Fork workers from a server with the renderers OPTIONS needs preloaded (POSIX); spawn them where there
    is none."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD + _PRELOAD_PAPER.get(options.paper, [])
                                   + (_PRELOAD_PICTURES if options.charts == "picture" else []))
        return ctx
    return multiprocessing.get_context("spawn")


def _quit(signum, frame) -> None:
    raise SystemExit(128 + signum)  # unwinds through write_all, which puts the old files back


def _worker(conn, out: Path, options: Options) -> None:
    """A worker's life: workbooks (one, or with --pdf a group) at a time, until the parent sends None (it
    retires) or goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group: the parent decides
    signal.signal(signal.SIGTERM, _quit)
    # The preloaded libraries live as long as the worker: out of the garbage collector's sight, a full
    # collection does not scan them again, nor touch (and so copy) memory shared with the server.
    gc.freeze()

    def claim(n: int, names: list[Path]) -> None:
        conn.send(("claim", (n, names)))
        if (refused := conn.recv()) is not None:
            raise Clash(refused)

    while True:
        try:
            paths = conn.recv()
        except (EOFError, OSError):
            return
        if paths is None:
            return
        if options.pdf:  # a group: one LibreOffice start for all its PDFs
            conn.send(("done", make_some(paths, out, options, claim)))
        else:
            conn.send(("done", [make_one(paths[0], out, options, lambda names: claim(0, names))]))


@dataclass
class _Worker:
    process: Any
    conn: Any
    chunk: list[int] | None = None  # the workbooks it is making (one, or with --pdf a group)
    tasks: int = 0  # workbooks given to it; at MAX_TASKS_PER_CHILD it retires
    waiting: tuple | None = None  # (workbook, names) it asked for that another worker's workbook holds for now


def _start(ctx, out: Path, options: Options) -> _Worker:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_worker, args=(child, out, options), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _in_workers(paths: list[Path], out: Path, options: Options, workers: int):
    """Each workbook's Outcome, in the order of PATHS, from up to WORKERS worker processes."""
    ctx = _context(options)
    queue = deque(pdf_chunks(list(range(len(paths))), workers) if options.pdf else [[i] for i in range(len(paths))])
    done: dict[int, Outcome] = {}
    claims = _Claims(paths)
    live: list[_Worker] = []
    died = False
    following = 0
    try:
        while following < len(paths):
            idle = [w for w in live if w.chunk is None and w.tasks < MAX_TASKS_PER_CHILD]
            while len(idle) < len(queue) and len(live) < workers:  # a worker for each waiting workbook
                live.append(_start(ctx, out, options))
                idle.append(live[-1])
            for w in idle:
                if queue:
                    _give(w, queue.popleft(), paths, queue)
            ready = set(wait_for([w.conn for w in live] + [w.process.sentinel for w in live]))
            for w in [w for w in live if w.conn in ready or w.process.sentinel in ready]:
                if not _serve(w, live, paths, done, claims):
                    live.remove(w)
                    died |= _bury(w, paths, done)
                    _answer_claims(live, claims)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        _stop_all(live)
        if died or live:  # a worker killed while replacing files left a journal: finish it, holding the folder
            try:
                recover(out)
            except OutputError:
                pass


def _give(w: _Worker, chunk: list[int], paths: list[Path], queue: deque) -> None:
    """Send worker W the workbooks CHUNK (and, if that was its last, tell it to retire after them)."""
    try:
        w.conn.send([paths[i] for i in chunk])
        w.chunk, w.tasks = chunk, w.tasks + len(chunk)
        if w.tasks >= MAX_TASKS_PER_CHILD:
            w.conn.send(None)
    except OSError:  # it has gone meanwhile: the workbooks wait for another worker
        if w.chunk is not chunk:
            queue.appendleft(chunk)


def _serve(w: _Worker, live: list[_Worker], paths: list[Path], done: dict[int, Outcome], claims: _Claims) -> bool:
    """Answer all that worker W has sent; False once it has gone (retired or died)."""
    try:
        while w.conn.poll():
            kind, value = w.conn.recv()
            if kind == "claim":
                n, names = value
                w.waiting = (w.chunk[n], names)
            else:
                for i, outcome in zip(w.chunk, value, strict=True):
                    done[i] = outcome
                    claims.finished(i, outcome)
                w.chunk = None
            _answer_claims(live, claims)
    except (EOFError, OSError):
        return False
    return w.process.is_alive()


def _answer_claims(live: list[_Worker], claims: _Claims) -> None:
    """Answer every claim that can be answered now (one waits while another worker's workbook holding its
    names is made; one held by its own worker's group is refused at once, as that one is done)."""
    for w in live:
        if w.waiting is not None:
            index, names = w.waiting
            running = {i for other in live if other is not w and other.chunk for i in other.chunk}
            answer = claims.ask(index, names, running)
            if answer is not _WAIT:
                w.waiting = None
                try:
                    w.conn.send(answer)
                except OSError:
                    pass  # it has gone: its sentinel says so


def _bury(w: _Worker, paths: list[Path], done: dict[int, Outcome]) -> bool:
    """Reap worker W; if it died in the middle of its workbooks, they fail. True if it did."""
    w.process.join()
    w.conn.close()
    if w.chunk is None:
        return False
    # Its names stay claimed: killed after its journal's commit, its documents are put in place at the end.
    for i in w.chunk:
        done[i] = _killed(paths[i], w.process.exitcode)
    return True


def _killed(path: Path, exitcode: int | None) -> Outcome:
    """The outcome of a workbook whose worker died under it."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"was killed ({name}{', as the system does when memory runs out' if name == 'SIGKILL' else ''})"
    else:
        how = f"stopped unexpectedly (exit code {exitcode})"
    return Outcome(path, error=[f"not finished: the process making its documents {how}; any documents it was "
                                "replacing are as they were"])


def _stop_all(live: list[_Worker]) -> None:
    """Stop every worker: SIGTERM (each puts back what it was replacing), then SIGKILL after STOP_WAIT."""
    for w in live:
        if w.process.is_alive():
            w.process.terminate()
    for w in live:
        w.process.join(STOP_WAIT)
        if w.process.is_alive():
            w.process.kill()
            w.process.join()
        w.conn.close()


def _print_stats(outcome: Outcome) -> None:
    stats = {"path": str(outcome.path), "pid": outcome.pid, "seconds": round(outcome.seconds, 3),
             "rss_mb": round(outcome.rss_mb, 1), "peak_mb": round(outcome.peak_mb, 1), "ok": outcome.error is None}
    print("cqcdocs-batch-stats: " + json.dumps(stats), file=sys.stderr, flush=True)


def _collect(outcomes: Any, report: Callable[[Any], None], fail: Callable[[Path, list[str]], None],
             on_outcome: Callable[[Outcome], None] | None) -> int:
    failures = 0
    for outcome in outcomes:
        if on_outcome is not None:
            on_outcome(outcome)
        if outcome.error is not None:
            failures += 1
            fail(outcome.path, outcome.error)
            continue
        report(outcome.made)
        failures += bool(outcome.made.failed)  # written, but a document it asked for (a PDF) is missing
    return failures
