"""Comparing two evaluated sides, with tolerances from their rounding-error bounds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

from .bounds import LazyBound
from .evaluate import UNIT_ROUNDOFF, Value

# The running error bounds are first order; this factor covers the neglected O(u²) terms.
ROUNDOFF_SAFETY = 4.0
TINY = 1e-300


@dataclass
class Comparison:
    """Whether ``left relation right`` held on one instance, and by how much it missed."""

    holds: Optional[bool]
    relative_error: float
    difference: float
    tolerance: float
    finite: bool = True


def _as_float_array(x):
    return np.asarray(x, dtype=float)


def compare_float(left: Value, right: Value, relation: str = "=") -> Comparison:
    """Compare float values; the tolerance is ``ROUNDOFF_SAFETY`` times the summed error bounds.

    >>> compare_float(Value(1.0, 1e-16), Value(1.0 + 1e-16, 1e-16)).holds
    True
    >>> compare_float(Value(1.0, 1e-16), Value(1.1, 1e-16)).holds
    False
    """
    lv, rv = _as_float_array(left.val), _as_float_array(right.val)
    if not (np.all(np.isfinite(lv)) and np.all(np.isfinite(rv))):
        return Comparison(None, float("nan"), float("nan"), float("nan"), finite=False)
    if any(isinstance(e, LazyBound) and e.deferred for e in (left.err, right.err)):
        # The cheap part of a factored bound is a lower bound: if the sides agree within
        # it, they agree within the whole; only otherwise is the whole multiplied out.
        cheap = compare_float(Value(lv, _cheap(left.err)), Value(rv, _cheap(right.err)), relation)
        if cheap.holds:
            return cheap
    bound = _as_float_array(left.err) + _as_float_array(right.err)
    tol = ROUNDOFF_SAFETY * bound + TINY
    gap = lv - rv
    # Relative to the larger side, or to the size of the terms that cancelled (bound / u).
    scale = max(float(np.max(np.abs(lv), initial=0.0)), float(np.max(np.abs(rv), initial=0.0)),
                float(np.max(bound, initial=0.0)) / UNIT_ROUNDOFF, TINY)
    if relation == "=":
        excess = np.abs(gap) - tol
        worst = float(np.max(np.abs(gap), initial=0.0))
    elif relation in ("<=", "<"):
        excess = gap - tol
        worst = float(np.max(gap, initial=0.0))
    else:
        raise ValueError(f"cannot compare numerically with relation {relation!r}")
    holds = bool(np.all(excess <= 0))
    idx = np.unravel_index(int(np.argmax(excess)), np.shape(excess)) if np.ndim(excess) else ()
    return Comparison(holds, max(worst, 0.0) / scale, float(np.asarray(gap)[idx]) if np.ndim(gap) else float(gap),
                      float(np.asarray(tol)[idx]) if np.ndim(tol) else float(tol))


def _cheap(err):
    return err.cheap_part() if isinstance(err, LazyBound) else err


def exact_difference_is_zero(left, right) -> Optional[bool]:
    """Exact comparison of SymPy-number arrays: True, False, or None if undecidable.

    >>> exact_difference_is_zero(sp.Rational(1, 3), sp.Rational(2, 6))
    True
    """
    diffs = np.ravel(np.asarray(left, dtype=object) - np.asarray(right, dtype=object))
    undecided = False
    for d in diffs:
        d = sp.expand(sp.sympify(d))
        if d == 0:
            continue
        magnitude = abs(sp.N(d, 40))
        if magnitude > sp.Float("1e-30"):
            return False
        undecided = True
    return None if undecided else True
