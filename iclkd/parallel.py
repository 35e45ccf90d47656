"""Checking results on several processes: each result's check is independent of the others
(a dependency only changes the status afterwards, in :func:`~iclkd.check.check_all`), so
forked workers check one result each and send its report back. The checking function is
passed in (this module imports nothing of the checker's).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Optional

_STATE = None  # (check, registry, settings) shared with forked workers


def default_jobs() -> int:
    """The processes a run may use: the cores this process may run on.

    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_in_parallel(check: Callable, results, registry, settings, jobs: int,
                      progress: Optional[Callable] = None) -> dict:
    """``{id: check(result, registry, settings)}`` for every result, on ``jobs``
    forked processes (the longest first, by a count of their claims, steps and numeric checks)."""
    global _STATE
    order = sorted(results, key=_work, reverse=True)
    out = {}
    if "fork" not in multiprocessing.get_all_start_methods():
        for r in order:
            out[r.id] = check(r, registry, settings)
        return out
    _STATE = (check, registry, settings)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(order))) as pool:
            for done, (rid, report) in enumerate(pool.imap_unordered(_check_one, [r.id for r in order]), start=1):
                report.result = registry.get(rid)
                out[rid] = report
                if progress:
                    progress(done - 1, len(order), report.result)
    finally:
        _STATE = None
    return out


def _check_one(rid: str):
    """In a worker: one result's report, without the result itself (the parent has it)."""
    check, registry, settings = _STATE
    report = check(registry.get(rid), registry, settings)
    report.result = None
    return rid, report


def _work(result) -> int:
    return sum(1 + len(c.proof) for c in result.claims) + 3 * len(result.numeric_checks)
