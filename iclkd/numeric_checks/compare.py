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
    if relation not in ("=", "<=", "<"):
        raise ValueError(f"cannot compare numerically with relation {relation!r}")
    lv, rv = _as_float_array(left.val), _as_float_array(right.val)
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.atleast_1d(np.subtract(lv, rv))
    low, high = float(np.min(gap)), float(np.max(gap))  # NaN or inf in either side shows here
    bound = np.atleast_1d(_total_bound(left.err, right.err))
    largest_bound = float(np.max(bound))
    if not (np.isfinite(low) and np.isfinite(high) and np.isfinite(largest_bound)):
        return Comparison(None, float("nan"), float("nan"), float("nan"), finite=False)
    if bound.shape != gap.shape or not bound.flags.writeable:
        shape = np.broadcast_shapes(bound.shape, gap.shape)
        gap, bound = np.array(np.broadcast_to(gap, shape)), np.array(np.broadcast_to(bound, shape))
    # Relative to the larger side, or to the size of the terms that cancelled (bound / u).
    scale = max(_max_abs(lv), _max_abs(rv), largest_bound / UNIT_ROUNDOFF, TINY)
    if relation == "=":
        miss = np.abs(gap, out=gap)  # the signed difference is recomputed where it is reported
        worst = max(high, -low)
    else:
        miss, worst = gap, max(high, 0.0)
    excess = np.multiply(bound, -ROUNDOFF_SAFETY, out=bound)
    excess += miss  # miss − safety · bound, in place
    flat = int(np.argmax(excess))
    idx = np.unravel_index(flat, excess.shape)
    holds = bool(excess[idx] <= TINY)
    difference = float(np.broadcast_to(lv, excess.shape)[idx] - np.broadcast_to(rv, excess.shape)[idx])
    tolerance = float(miss[idx] - excess[idx]) + TINY
    return Comparison(holds, worst / scale, difference, tolerance)


def _max_abs(x) -> float:
    return max(float(np.max(x, initial=0.0)), -float(np.min(x, initial=0.0)))


def _total_bound(left, right) -> np.ndarray:
    """``e_left + e_right`` as a fresh array; two factored bounds are multiplied out together,
    so a factor they share (``|V_D| |Φ_D|ᵀ`` on both sides) costs one pass."""
    if isinstance(left, LazyBound) and isinstance(right, LazyBound) and left.shape == right.shape:
        return np.asarray(LazyBound(left.terms + right.terms, left.shape))
    return np.add(_as_float_array(left), _as_float_array(right))


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
