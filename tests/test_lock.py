"""One build at a time per project: the lock, waiting, --no-wait, stale locks, two real builds at once."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.serve import ServeState, rebuild, serve_options
from tests.conftest import REPO, SiteDir, run_cli

# Holds the project lock of argv[1] for argv[2] seconds; with "fork", first forks a child that outlives it.
HOLDER = """
import io, os, sys, time
from pathlib import Path
from generator.lock import project_lock
with project_lock(Path(sys.argv[1]), wait=True, err=io.StringIO()):
    if sys.argv[3:] == ["fork"] and os.fork() == 0:
        time.sleep(float(sys.argv[2]) * 3)
        os._exit(0)
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hold_lock(root: Path, seconds: float, *extra: str) -> subprocess.Popen:
    """Start a process that holds root's lock for seconds; return once it holds it."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(seconds), *extra], cwd=REPO,
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout.readline() == "held\n"
    return process


@pytest.fixture
def site(make_site) -> SiteDir:
    site = make_site()
    for number in range(3):
        site.article("ar", f"a{number}", title=f"مقال {number}")
    return site


def test_no_wait_exits_2_naming_the_other_build(site: SiteDir):
    holder = hold_lock(site.root, 30)
    try:
        for command in (["build"], ["import"], ["check", "--site"]):
            result = run_cli(*command, "--root", str(site.root), "--no-wait")
            assert (result.code, result.out) == (2, ""), command
            assert result.err == (f"another build of this project (pid {holder.pid}) is running; "
                                  f"not waiting (--no-wait)\n")
        assert not (site.root / "output").exists()
        assert run_cli("check", "--root", str(site.root), "--no-wait").code == 0  # reads only: no lock
    finally:
        holder.kill()
        holder.wait()


def test_a_second_build_waits_with_a_message_then_builds(site: SiteDir):
    holder = hold_lock(site.root, 1.5)
    started = time.monotonic()
    result = site.build()
    assert result.code == 0, result.err
    assert time.monotonic() - started > 1.0
    assert result.err == f"waiting for another build of this project (pid {holder.pid}) to finish ...\n"
    assert holder.wait() == 0


@pytest.mark.parametrize("extra", [(), ("fork",)])
def test_a_killed_holder_never_blocks_even_with_a_child_still_running(site: SiteDir, extra: tuple[str, ...]):
    holder = hold_lock(site.root, 30, *extra)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    try:
        result = site.build("--no-wait")
        assert (result.code, result.err) == (0, "")
    finally:
        if extra:
            os.killpg(holder.pid, signal.SIGKILL)  # the forked child, still running


def test_a_serve_rebuild_waits_for_another_build(site: SiteDir):
    holder = hold_lock(site.root, 1.0)
    err = io.StringIO()
    assert rebuild(site.root, serve_options(site.root / "output"), ServeState(), io.StringIO(), err)
    assert err.getvalue() == f"waiting for another build of this project (pid {holder.pid}) to finish ...\n"
    holder.wait()


def test_the_waiting_message_names_the_live_holder_never_a_dead_one(tmp_path: Path):
    from generator.lock import PID_NAME, holder_text, write_pid
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (tmp_path / PID_NAME).write_text(f"{dead}\n")
    assert holder_text(tmp_path) == ""  # the last holder's record, and it has ended: no pid rather than a wrong one
    for unusable in ("0", "-1", "x", ""):  # 0 and -1 name process groups to os.kill: never a holder
        (tmp_path / PID_NAME).write_text(f"{unusable}\n")
        assert holder_text(tmp_path) == "", unusable
    (tmp_path / PID_NAME).unlink()
    assert holder_text(tmp_path) == ""
    # The holder records itself a moment after it took the lock: a build that finds the lock taken meanwhile
    # waits for the record.
    import threading
    timer = threading.Timer(0.1, write_pid, (tmp_path,))
    timer.start()
    assert holder_text(tmp_path) == f" (pid {os.getpid()})"
    timer.join()
    assert sorted(path.name for path in tmp_path.iterdir()) == [PID_NAME]


def test_two_builds_at_once_both_succeed_and_output_is_complete(make_site, tmp_path: Path):
    site = make_site(with_sample_seed=True)
    for number in range(40):
        site.article("ar", f"a{number:02}", title=f"مقال {number}", body="نص. " * 300)
    command = [sys.executable, str(REPO / "build.py"), "--root", str(site.root)]
    for round_number in range(2):
        if round_number:
            site.article("ar", "a00", title="مقال معدل")  # the second round rebuilds over a previous output
        # A holder keeps the lock until both builds are waiting for it: started together, one build could
        # otherwise finish before the other had started (a slow interpreter start), and nothing would overlap.
        holder = hold_lock(site.root, 300)
        processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
        waiting = f"waiting for another build of this project (pid {holder.pid}) to finish ...\n"
        assert [process.stderr.readline() for process in processes] == [waiting, waiting]
        holder.kill()  # both race for the lock: one builds, the other waits on (no second message) then builds
        holder.wait()
        results = [(process.wait(timeout=300), process.stdout.read(), process.stderr.read()) for process in processes]
        assert [(code, err) for code, _, err in results] == [(0, ""), (0, "")], results
        # The one that built second found the first one's output and the recorded state, and had nothing to do.
        assert sorted("nothing written" in out for _, out, _ in results) == [False, True], results
        cold = tmp_path / f"cold-{round_number}"
        shutil.copytree(site.root, cold, ignore=shutil.ignore_patterns("output", ".warraq-cache"))
        assert run_cli("--root", str(cold)).code == 0
        assert tree_digest(site.root / "output") == tree_digest(cold / "output")
    result = run_cli("--root", str(site.root))
    assert result.out.startswith("built ") and "nothing written" in result.out
    assert tree_digest(site.root / "output") == tree_digest(tmp_path / "cold-1" / "output")


def test_two_builds_at_once_with_no_wait(make_site):
    site = make_site()
    for number in range(40):
        site.article("ar", f"a{number:02}", body="نص. " * 300)
    command = [sys.executable, str(REPO / "build.py"), "--root", str(site.root), "--no-wait"]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = sorted((process.wait(timeout=300), process.stderr.read()) for process in processes)
    assert results[0] == (0, "")
    # Started together, the second usually finds the first building; if it came after, it built too.
    assert results[1] == (0, "") or (results[1][0] == 2 and results[1][1].startswith(
        "another build of this project (pid ") and results[1][1].endswith(" is running; not waiting (--no-wait)\n"))
    assert run_cli("--root", str(site.root), "--no-wait").code == 0


@pytest.mark.parametrize("make", [
    lambda folder: folder.write_text("x"),                  # a file where the cache folder goes
    lambda folder: folder.symlink_to("/nonexistent/cache"),  # a link to nowhere
    lambda folder: folder.symlink_to(folder.name),          # a link to itself
])
def test_a_cache_path_that_is_not_a_folder_says_so_not_file_exists(site: SiteDir, make):
    folder = site.root / ".warraq-cache"
    shutil.rmtree(folder, ignore_errors=True)
    make(folder)
    run = site.build()
    assert run.code == 2
    assert run.err == ".warraq-cache: is not a folder (the build cache and lock live there); delete it and build again\n"
