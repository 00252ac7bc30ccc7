"""Worker processes: results in order, and no worker outliving a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from generator.parallel import map_parallel
from tests.conftest import REPO


def test_results_come_back_in_the_items_order_from_several_processes():
    items = list(range(1000))
    results = map_parallel(lambda state, item: (item * 2, os.getpid()), items, make_state=lambda: None, min_items=10)
    assert [value for value, _ in results] == [item * 2 for item in items]
    assert len({pid for _, pid in results}) > 1 or os.cpu_count() == 1


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def test_workers_end_when_the_build_that_forked_them_is_killed(tmp_path):
    pids = tmp_path / "pids"
    pids.mkdir()
    script = textwrap.dedent(f"""
        import os, time
        from generator.parallel import map_parallel
        def work(state, item):
            (__import__("pathlib").Path({str(pids)!r}) / str(os.getpid())).touch()
            time.sleep(60)
        map_parallel(work, list(range(400)), make_state=lambda: None, min_items=10)
    """)
    # Its own session, so that killing it does not reach pytest; only the build itself is killed, not its group.
    build = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline and os.cpu_count() != 1:
            time.sleep(0.1)
        workers = [int(path.name) for path in pids.iterdir()]
        assert workers and build.pid not in workers
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        try:
            os.killpg(build.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_release_free_memory_gives_freed_heap_pages_back_to_the_system(tmp_path):
    # Many mid-sized blocks (below glibc's mmap threshold, above pymalloc's) freed between small live ones stay
    # in the process's resident memory until malloc_trim returns them; in a fresh process, so that pytest's
    # own heap does not blur the measure.
    script = textwrap.dedent("""
        from generator.parallel import release_free_memory
        def resident_kib():
            with open("/proc/self/status") as status:
                return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        big, small = [], []
        for number in range(3000):
            big.append(bytearray(60_000))
            small.append(bytearray(600))
        big.clear()
        before = resident_kib()
        release_free_memory()
        print(before, resident_kib())
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    before, after = map(int, done.stdout.split())
    # 3,000 blocks of 60 KB: 175 MiB freed; at least 100 MiB of it must leave the resident set.
    assert before - after > 100 * 1024, (before, after)
