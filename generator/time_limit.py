"""Stop a piece of pure-Python work that runs too long (Python-Markdown on a pathological body), in any thread.

Bodies are converted in forked worker processes and in the build's own process, which `serve` runs in a
background thread. A signal timer (SIGALRM) is nearly free but is delivered to the main thread only, so other
threads get a watchdog thread instead, which raises the exception in the converting thread with CPython's
PyThreadState_SetAsyncExc. Both interrupt Python code between bytecodes, never inside a C or Rust call;
the work limited here is Python-Markdown, which is pure Python.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class TimeLimitExceeded(BaseException):
    """The limited work ran past its time. A BaseException, like KeyboardInterrupt: the `except Exception` of
    the code interrupted must not swallow it and carry on."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the with-block for at most `seconds` (wall clock), else raise TimeLimitExceeded inside it.
    0 or less means no limit."""
    if seconds <= 0:
        yield
    elif _can_use_alarm():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


def _can_use_alarm() -> bool:
    """SIGALRM when this is the main thread and no one else's interval timer is running (pytest-timeout's,
    say), which ours would replace."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))


class _Armed:
    """Whether a limit may still fire: cleared before the timer is disarmed, so that a signal or watchdog
    arriving in between raises nothing outside the block."""

    def __init__(self) -> None:
        self.on = True
        self.fired = False


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    armed = _Armed()

    def stop(signum: int, frame: object) -> None:
        if armed.on:
            raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed.on = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    armed = _Armed()
    lock = threading.Lock()

    def stop() -> None:
        with lock:
            if armed.on:
                armed.fired = True
                _raise_in(target, TimeLimitExceeded)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            armed.on = False
            if armed.fired:
                _raise_in(target, None)  # withdraw an exception not yet delivered
        timer.cancel()


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Have `exception` raised in thread `thread_id` at its next bytecode (None withdraws a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)
