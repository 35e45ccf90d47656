"""Keeping OpenBLAS to one thread while ``iclkd model-check`` runs (standard library only)."""
from __future__ import annotations

from contextlib import contextmanager

_BLAS_THREAD_SYMBOLS = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                        ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                        ("openblas_get_num_threads", "openblas_set_num_threads"))


def _openblas_thread_controls() -> list:
    """``(get, set)`` pairs of the OpenBLAS libraries loaded in this process (Linux; else none)."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower() and "/" in line}
    except OSError:
        return []
    controls = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for get_name, set_name in _BLAS_THREAD_SYMBOLS:
            get, set_ = getattr(lib, get_name, None), getattr(lib, set_name, None)
            if get is not None and set_ is not None:
                controls.append((get, set_))
                break
    return controls


@contextmanager
def single_threaded_blas():
    """Run the block with one OpenBLAS thread, then restore the previous count.

    The products here are small (72×32 by 32×M); OpenBLAS's idle threads busy-wait between
    them and, on a 2-core machine, slow the whole run two- to three-fold. A no-op where no
    OpenBLAS is found.

    >>> import numpy as np
    >>> with single_threaded_blas():
    ...     float(np.ones(2) @ np.ones(2))
    2.0
    """
    controls = _openblas_thread_controls()
    previous = [get() for get, _ in controls]
    for _, set_ in controls:
        set_(1)
    try:
        yield
    finally:
        for (_, set_), n in zip(controls, previous):
            set_(n)
