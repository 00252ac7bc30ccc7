"""One build at a time per project: a lock on .warraq-cache/build.lock, held by build, import, check and each
rebuild of serve.

The lock is the operating system's, not a file whose existence means "locked", so the kernel releases it
when its process ends however it ends: a build killed with `kill -9` never leaves a stale lock. On POSIX it
is a record lock (fcntl.lockf), chosen over flock (which the `filelock` library uses) because a record lock
belongs to the process that took it: the worker processes a build forks do not share it, so a worker
orphaned by a killed build cannot keep the project locked (measured with flock: the next build waited
forever). On Windows it is msvcrt.locking. The pid of the holder is written beside it, only to name it in
the message of a build that waits.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from generator.cache import CACHE_DIR

LOCK_NAME = "build.lock"
PID_NAME = "build.pid"
# Windows has no blocking lock call that waits without limit: poll this often.
POLL_SECONDS = 0.2
# How long a waiting build looks for the holder's pid before it says it without one, in seconds.
PID_WAIT_SECONDS = 0.5

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockBusy(Exception):
    """Another build of the project holds the lock and the caller would not wait, or the lock cannot be made;
    carries the one line to print (exit 2: nothing was attempted)."""

    exit_code = 2


@contextmanager
def project_lock(root: Path, wait: bool, err: TextIO) -> Iterator[None]:
    """Hold the project's build lock for the with block. When another process holds it: wait, saying so on
    err, or (wait false) raise LockBusy at once. Raises LockBusy when .warraq-cache/ cannot be written.
    Within one process the lock does not exclude (POSIX record locks are per process): one process runs one
    build at a time by construction (serve rebuilds in one thread)."""
    folder = root / CACHE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        if not folder.is_dir():  # a file, a dangling or looping link: mkdir's "File exists" would mislead
            raise LockBusy(f"{CACHE_DIR}: is not a folder (the build cache and lock live there); delete it and "
                           "build again") from None
        raise LockBusy(f"{CACHE_DIR}/{LOCK_NAME}: cannot lock the project for building: "
                       f"{error.strerror or error}") from None
    try:
        if not try_lock(fd):
            holder = holder_text(folder)
            if not wait:
                raise LockBusy(f"another build of this project{holder} is running; not waiting (--no-wait)")
            print(f"waiting for another build of this project{holder} to finish ...", file=err, flush=True)
            wait_for_lock(fd)
        write_pid(folder)
        yield
    finally:
        os.close(fd)  # releases the lock


def try_lock(fd: int) -> bool:
    """Take the lock on fd if it is free; False when another process holds it."""
    try:
        if fcntl is not None:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def wait_for_lock(fd: int) -> None:
    """Block until the lock on fd is ours (Ctrl-C still interrupts)."""
    if fcntl is not None:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        return
    while not try_lock(fd):
        time.sleep(POLL_SECONDS)


def write_pid(folder: Path) -> None:
    """Record this process as the holder, for the message another build prints while it waits."""
    # Written beside and renamed into place: a build reading it meanwhile never sees it empty.
    beside = folder / f"{PID_NAME}.{os.getpid()}"
    try:
        beside.write_text(f"{os.getpid()}\n", encoding="ascii")
        os.replace(beside, folder / PID_NAME)
    except OSError:
        beside.unlink(missing_ok=True)  # only the waiting message loses its pid


def holder_text(folder: Path) -> str:
    """" (pid N)" naming the holder's process as it recorded itself, or "" when that is not known."""
    # The holder records itself just after it takes the lock: a build that finds the lock taken a moment
    # before may read no pid yet, or the last holder's, which has ended. It looks again for a while.
    deadline = time.monotonic() + PID_WAIT_SECONDS
    while True:
        pid = read_pid(folder)
        if pid is not None and is_running(pid):
            return f" (pid {pid})"
        if time.monotonic() > deadline:
            return ""
        time.sleep(POLL_SECONDS / 10)


def read_pid(folder: Path) -> int | None:
    """The pid the last holder recorded; None when there is none or it is unreadable."""
    try:
        pid = int((folder / PID_NAME).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return pid if pid > 0 else None  # 0 and -1 would name a process group to os.kill, not a process


def is_running(pid: int) -> bool:
    """Whether a process with this pid exists (it may belong to another user)."""
    if fcntl is None:
        return True  # Windows: os.kill would end the process, not probe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # PermissionError: it exists (another user's); else this platform cannot tell: trust the record
    return True
