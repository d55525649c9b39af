"""Pair, fund and group pages as jobs: each generated (its page kind), rendered (Jinja) and written
(its own files) by one call, in forked worker processes when there are more than a handful.

Results come back in job order, so the output is the same bytes as a serial build; workers
inherit the build (page kinds, Jinja environment, output folder) and receive only job indices.
"""
from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from ..charts import cache

PARALLEL_MIN_PAGES = 12
"""Below this many pair, fund and group pages the build stays in one process."""
JOB_ORDER = {"group": 0, "pair": 1, "fund": 2, "category": 3}
"""Order in which worker processes take page jobs (results are still returned in the build's order)."""


def workers() -> int:
    """Worker processes for the pages: ``VERSUS_WORKERS`` if set (1 = serial), else the usable cores."""
    env = os.environ.get("VERSUS_WORKERS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _fork_safe() -> bool:
    """Whether worker processes may be forked: the 'fork' start method exists, and vl-convert's
    JavaScript runtime has not started in this process (its threads do not survive a fork: a
    child's render would wait for them forever)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        names = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in os.listdir("/proc/self/task")]
    except OSError:
        return False
    return not any(n.startswith(("V8 ", "tokio-runtime")) for n in names)


class Clock:
    """One page's stage times: facts, charts, SVG fallbacks (:data:`versus.charts.cache.SVG_SECONDS`), render."""

    def __init__(self):
        self.t0 = self.t = time.perf_counter()
        self.svg = cache.SVG_SECONDS[0]
        self.times: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now, svg = time.perf_counter(), cache.SVG_SECONDS[0]
        dt = now - self.t
        if svg != self.svg:
            self.times["SVG fallbacks"] = self.times.get("SVG fallbacks", 0.0) + (svg - self.svg)
            dt -= svg - self.svg
        self.times[name] = self.times.get(name, 0.0) + dt
        self.t, self.svg = now, svg

    def total_ms(self) -> float:
        return 1000 * (time.perf_counter() - self.t0)


class PageJob:
    """One page of one kind: generate its context and files, render its template, write it all."""

    def __init__(self, kind, env, output):
        self.kind, self.env, self.output = kind, env, output

    def __call__(self, i: int) -> dict:
        clock = Clock()
        memo = getattr(getattr(self.kind, "site", None), "parts", None)  # versus.pages.fundparts: its counts
        was = (memo.hits, memo.misses, memo.pages) if memo is not None else (0, 0, 0)
        page = self.kind.generate(i, clock)
        html = self.env.get_template(page.template).render(page.context)
        clock.lap("render")
        paths = self.output.write_job({page.url: html}, page.api, page.files) if self.output is not None else []
        clock.lap("write")
        return {"kind": self.kind.name, "urls": [page.url], "as_of": page.context.get("as_of"), "paths": paths,
                "warnings": page.warnings,
                "summary": page.summary, "times": clock.times, "ms": clock.total_ms(),
                "parts": {} if memo is None else {"hits": memo.hits - was[0], "misses": memo.misses - was[1],
                                                  "pages": memo.pages - was[2]}}


_JOBS: list | None = None  # the build's page jobs, inherited by forked workers (only indices are sent)


def _run_span(span: tuple[int, int]) -> list[dict]:
    return [job(i) for job, i in _JOBS[span[0]:span[1]]]


class Side:
    """Work besides the pages whose result the parent needs after them (the shared chart templates): run
    by a worker first, while the other workers start on the pages, instead of serially in the parent at
    the end (issue 17); :attr:`result` holds what ``fn()`` returned."""

    def __init__(self, fn):
        self.fn, self.result = fn, None


def run_jobs(jobs: list, quiet: bool, side: Side | None = None) -> list[dict]:
    """Run ``(job, i)`` page jobs; in forked worker processes (chunks of pages per task, dearest
    first, :data:`JOB_ORDER`) when there are at least :data:`PARALLEL_MIN_PAGES`.  Results come
    back in job order, so the output is the same bytes as a serial build.  ``side``: run too (in a
    worker, before the pages), its result in ``side.result``."""
    n = min(workers(), len(jobs))
    with _progress_bar(len(jobs), quiet) as advance:
        if n <= 1 or len(jobs) < PARALLEL_MIN_PAGES or not _fork_safe():
            if side is not None:
                side.result = side.fn()
            out = []
            for job, i in jobs:
                out.append(job(i))
                advance(1)
            return out
        return _run_forked(jobs, n, advance, side)


def chunks(total: int, n: int, most: int = 8) -> list[tuple[int, int]]:
    """The tasks of ``total`` jobs for ``n`` workers, as ``(start, end)`` spans: up to ``most`` pages a task (fewer
    round trips) while there are many left, then smaller and smaller ones (a quarter of what is left per worker:
    guided self-scheduling), single pages at the end, so the workers finish together (no worker left with a
    chunk of dear pages while the other one idles)."""
    spans, start = [], 0
    while start < total:
        size = max(1, min(most, (total - start) // (4 * n)))
        spans.append((start, start + size))
        start += size
    return spans


def _run_forked(jobs: list, n: int, advance, side: Side | None = None) -> list[dict]:
    global _JOBS
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # the dearest pages first (groups, then pairs, then funds) and single pages at the end, so
    # no worker is left alone with a chunk of group pages while the other one idles; within a kind, pages
    # that share a fund's part (its common days) one after another (_locality)
    order = sorted(range(len(jobs)), key=lambda k: (JOB_ORDER.get(jobs[k][0].kind.name, 1), jobs[k][0].kind.name,
                                                    _locality(*jobs[k])))
    spans = chunks(len(jobs), n)
    _JOBS = [jobs[k] for k in order]
    pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init,
                               initargs=(os.getpid(),))
    try:
        extra = pool.submit(side.fn) if side is not None else None  # the first task a worker takes
        out: list = [None] * len(jobs)
        for (start, _), res in zip(spans, pool.map(_run_span, spans)):
            for k, r in enumerate(res, start):
                out[order[k]] = r
            advance(len(res))
        if extra is not None:
            side.result = extra.result()
        return out
    except BaseException:
        _kill_workers(pool)  # an error, Ctrl-C or SIGTERM: the other pages are not needed any more
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _JOBS = None


def _locality(job, i: int) -> tuple:
    """Where page ``i`` of its kind goes among them (``kind.locality(i)``, if the kind has one): pages whose funds'
    parts are the same (:mod:`versus.pages.fundparts`) close together, so a worker's memo still has them."""
    at = getattr(job.kind, "locality", None)
    return at(i) if at is not None else ()


def _worker_init(parent: int) -> None:
    """In each worker process: die with the build (Linux: the parent-death signal, so a SIGKILLed build leaves
    no worker holding its stdout/stderr, and ``build.py | tee log`` returns); Ctrl-C and SIGTERM are the
    parent's to handle (it stops the workers).  The inherited objects are frozen (``gc.freeze``)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent still stops its workers on any exception
        pass
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    # the objects inherited from the build (prices, funds' metrics, templates) stay as long as the worker: out of
    # the cyclic collector's reach, its full collections do not walk them again (nor copy their pages on write)
    gc.freeze()


def _kill_workers(pool) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except (OSError, AttributeError, ValueError):
            pass


class _progress_bar:
    """A rich progress bar on stderr for long builds (a terminal, not --quiet); else nothing."""

    def __init__(self, total: int, quiet: bool):
        self.bar = None
        if not quiet and total >= 50 and sys.stderr.isatty():
            from rich.progress import Progress as Bar

            self.bar = Bar(transient=True)

    def __enter__(self):
        if self.bar is None:
            return lambda k: None
        self.bar.start()
        task = self.bar.add_task("pages", total=None)
        return lambda k: self.bar.advance(task, k)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
