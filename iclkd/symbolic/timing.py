"""Time limits for symbolic and numeric work.

SymPy is pure Python, so a ``SIGALRM`` timer interrupts it between bytecodes; a hung
``simplify`` comes back as :class:`~iclkd.errors.StepTimeout`, which the checker reports
as ``timeout`` (never as proved). A timeout the block's own code did not let through (a C
function that reports it as ``SystemError``, a handler that caught it) is raised again when
the block ends: once its time is up, a block is timed out whatever it returned.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time

from ..errors import StepTimeout


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`StepTimeout` in the block once ``seconds`` of wall time have passed.

    ``None`` or ``0`` means no limit. Limits nest: an inner limit never extends an
    outer one.

    >>> with time_limit(5):
    ...     x = sum(range(10))
    >>> x
    45
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("time_limit needs the main thread (it uses SIGALRM)")
    previous_handler = signal.getsignal(signal.SIGALRM)
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()
    limit = seconds if not outer_remaining else min(seconds, outer_remaining)

    fired = []

    def _raise(signum, frame):
        fired.append(True)
        raise StepTimeout(f"time limit of {seconds:g} s reached")

    signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except StepTimeout:
        raise
    except BaseException as exc:
        if fired:  # e.g. SystemError("... returned a result with an exception set") from C code
            raise StepTimeout(f"time limit of {seconds:g} s reached") from exc
        raise
    else:
        if fired:  # caught inside and turned into a result: the time was still up
            raise StepTimeout(f"time limit of {seconds:g} s reached")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_remaining:
            left = outer_remaining - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


class Stopwatch:
    """Wall-clock seconds since creation.

    >>> Stopwatch().seconds() >= 0
    True
    """

    def __init__(self) -> None:
        self._start = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self._start
