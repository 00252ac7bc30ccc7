"""Spread pure per-item work (Markdown, front matter, page rendering) over the machine's cores."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

Item = TypeVar("Item")
State = TypeVar("State")
Result = TypeVar("Result")

# How often a worker checks that the build that forked it is still alive, in seconds.
PARENT_CHECK_SECONDS = 1.0

# Below this many items a worker process costs more to start than it saves.
MIN_ITEMS = 200
# Many chunks per worker even out uneven items (a year archive page renders far slower than an article
# page): with 6,500 articles a chunk is a tenth of a second of work, so no core idles long at the end,
# and a round trip per chunk is still cheap.
CHUNKS_PER_WORKER = 32

# The one module-level variable: each worker process's own inputs and state, set once by the pool's
# initializer. The inputs arrive through fork (never pickled), and the state (a Markdown converter, Jinja
# environments) is slow to make, so it is made once per process rather than once per item.
_worker: dict[str, Any] = {}


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (macOS, musl) or the process none to look in
    (Windows). The process's own symbols (CDLL(None)) hold the C library's: ctypes.util.find_library would
    run ldconfig, 20 ms."""
    import ctypes  # here, not at the top: a no-change build never trims, and ctypes costs 3 ms to import

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_free_memory() -> None:
    """Give the pages the C allocator holds free back to the system (glibc's malloc_trim(0); nothing elsewhere).
    Large strings freed by a stage (bodies read for the search index, Pagefind's answers) leave free memory
    between live blocks, which glibc keeps: on a 1,000-article cold build the main process grew by 43 MiB in
    the search stage while Python's own heap grew by under 1 MiB, and malloc_trim gave 31 MiB of it back.
    Called after each search shard and before the main process forks workers (which would share its pages)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def worker_count(items: int, min_items: int | None = None) -> int:
    """How many processes to use: one (in-process) for small jobs or where fork is unavailable."""
    min_items = MIN_ITEMS if min_items is None else min_items
    if items < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, items // (min_items // 2 or 1)))


def map_parallel(function: Callable[[State, Item], Result], items: Sequence[Item], make_state: Callable[[], State],
                 min_items: int | None = None,
                 finish: Callable[[State, list[Result]], list[Result]] | None = None) -> list[Result]:
    """function(state, item) for every item, in the items' order whatever order workers finish in.
    make_state runs once per process; function must return its problems rather than raise them. finish, when
    given, sees each chunk's results in the process that made them and returns what to send back instead
    (a worker may store large results somewhere cheaper than the pipe to this process)."""
    workers = worker_count(len(items), min_items)
    if workers <= 1:
        state = make_state()
        results = [function(state, item) for item in items]
        return finish(state, results) if finish else results
    size = -(-len(items) // (workers * CHUNKS_PER_WORKER))
    bounds = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    # fork: the workers inherit items, function and make_state (closures included) without pickling them;
    # only the (start, stop) bounds go out and the results come back.
    context = multiprocessing.get_context("fork")
    release_free_memory()
    results: list[Result] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(function, items, make_state, finish)) as pool:
        for chunk in pool.map(_run_chunk, bounds):
            results.extend(chunk)
    return results


def _start_worker(function: Callable[[Any, Any], Any], items: Sequence[Any], make_state: Callable[[], Any],
                  finish: Callable[[Any, list[Any]], list[Any]] | None) -> None:
    watch_parent(os.getppid())
    _worker.update(function=function, items=items, state=make_state(), finish=finish)


def watch_parent(parent: int) -> None:
    """End this worker when the build that forked it dies: after a kill -9 of the build, a pool's workers
    would otherwise wait for work forever (each holds its own end of the pool's pipes, so none sees EOF)."""
    def check() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=check, name="warraq-parent-watch", daemon=True).start()


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    function, items, state, finish = _worker["function"], _worker["items"], _worker["state"], _worker["finish"]
    results = [function(state, item) for item in items[bounds[0]:bounds[1]]]
    return finish(state, results) if finish else results
