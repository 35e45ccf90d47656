"""Comparing two evaluated sides, with tolerances from their rounding-error bounds."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

from .bounds import LazyBound
from .values import UNIT_ROUNDOFF, Value

# The running error bounds are first order; this factor covers the neglected O(u²) terms.
ROUNDOFF_SAFETY = 4.0
TINY = 1e-300
# Where a comparison misses its floor at this many entries or fewer, the bound is multiplied out
# at those entries only (a side near zero by cancellation has a floor near zero there).
SPOT_ENTRIES = 64


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
        gap = np.subtract(lv, rv)
    if gap.ndim == 0:
        gap = gap.reshape(1)
    if relation == "=":  # NaN or inf in either side shows in the largest miss
        miss = np.abs(gap, out=gap)  # the signed difference is recomputed where it is reported
        worst = float(miss.max())
        finite = math.isfinite(worst)
    else:
        miss, low, worst = gap, float(gap.min()), float(gap.max())
        finite = math.isfinite(low) and math.isfinite(worst)
        worst = max(worst, 0.0)
    if not finite:
        return Comparison(None, float("nan"), float("nan"), float("nan"), finite=False)
    floor = _floor_ratio(left, right, miss.shape)
    if floor is not None:  # the bound is multiplied out only if the miss exceeds its floor
        largest_side, missed = _against_floor(miss, *floor)
        largest_bound = floor[1] * largest_side
        if missed is not None and len(missed) <= SPOT_ENTRIES:  # the bound itself at those entries
            spot = LazyBound.total((left.err, right.err), miss.shape).at(missed)
            largest_bound = max(largest_bound, float(spot.max()))
            if math.isfinite(largest_bound) and np.all(miss.flat[missed] <= ROUNDOFF_SAFETY * spot + TINY):
                missed = None
        if missed is None:
            # max |side| + worst is at least the larger side's largest entry (the sides differ by worst)
            scale = max(largest_side + worst, largest_bound / UNIT_ROUNDOFF, TINY)
            return Comparison(True, worst / scale, worst, ROUNDOFF_SAFETY * largest_bound)
    return _judge(lv, rv, miss, worst, np.atleast_1d(_total_bound(left.err, right.err)))


def _judge(lv, rv, miss, worst, bound) -> Comparison:
    """Whether ``miss <= ROUNDOFF_SAFETY · bound`` everywhere (``bound``, a fresh array, is overwritten).

    The relative error is ``worst`` over the larger side, or over the size of the terms that
    cancelled (``bound / u``); when the comparison holds, the larger side is taken as
    ``max |lv| + worst`` (at least ``max |rv|``, and above it by a rounding error at most),
    and ``difference`` and ``tolerance`` are the largest miss and tolerance."""
    largest_bound = float(bound.max())
    if not math.isfinite(largest_bound):
        return Comparison(None, float("nan"), float("nan"), float("nan"), finite=False)
    if bound.shape != miss.shape or not bound.flags.writeable:
        shape = np.broadcast_shapes(bound.shape, miss.shape)
        miss, bound = np.broadcast_to(miss, shape), np.array(np.broadcast_to(bound, shape))
    excess = np.multiply(bound, -ROUNDOFF_SAFETY, out=bound)
    excess += miss  # miss − safety · bound, in place
    if float(excess.max()) <= TINY:
        scale = max(_max_abs(lv) + worst, largest_bound / UNIT_ROUNDOFF, TINY)
        return Comparison(True, worst / scale, worst, ROUNDOFF_SAFETY * largest_bound)
    scale = max(_max_abs(lv), _max_abs(rv), largest_bound / UNIT_ROUNDOFF, TINY)
    idx = np.unravel_index(int(np.argmax(excess)), excess.shape)
    difference = float(np.broadcast_to(lv, excess.shape)[idx] - np.broadcast_to(rv, excess.shape)[idx])
    tolerance = float(miss[idx] - excess[idx]) + TINY
    return Comparison(False, worst / scale, difference, tolerance)


def _max_abs(x) -> float:
    if x.ndim == 0:
        return abs(float(x))
    return max(float(x.max(initial=0.0)), -float(x.min(initial=0.0)))


def _floor_ratio(left: Value, right: Value, shape):
    """``(v, k)`` with ``k |v|`` never above the summed bounds, for a side ``v`` (or ``None``).

    A comparison that holds against this floor holds against the bound (the same verdict),
    at the cost of a pass over one side instead of multiplying the bound out; a miss is then
    decided by the bound itself. A side's tracked magnitude ``|v| <= Σ m_k |chain_k|`` gives
    ``k |v| <= Σ c_k |chain_k|`` for ``k = min c_k / m_k`` when the summed bound has every one
    of those chains (``c_k``). Both bounds must be factored (a dense one would cost a pass)."""
    if not (isinstance(left.err, LazyBound) and isinstance(right.err, LazyBound)):
        return None
    if left.err.shape != shape or right.err.shape != shape:
        return None
    total = LazyBound.total((left.err, right.err), shape)
    for side in (left, right):
        if isinstance(side.mag, LazyBound) and np.shape(side.val) == shape:
            ratio = total.ratio_over(side.mag) * (1 - 4 * UNIT_ROUNDOFF)  # the rounding of k |v|
            if 0 < ratio < math.inf:  # an infinite or NaN coefficient is decided by the bound (never a pass)
                return np.asarray(side.val, dtype=float), ratio
    return None


def _against_floor(miss, side, ratio):
    """``(max |side|, None)`` if ``miss <= ROUNDOFF_SAFETY · ratio · |side|`` everywhere, else
    ``(max |side|, flat indices where it is not)``.

    The floor is one scratch array; the test writes only booleans (an eighth of the memory of
    a difference). An entry within ``TINY`` above the floor (values near underflow) counts as
    held, as ``miss - floor <= TINY`` says: that is decided only when some entry is above it.
    """
    floor = np.abs(side)
    largest = float(floor.max())
    floor *= ROUNDOFF_SAFETY * ratio
    if not np.greater(miss, floor).any():
        return largest, None
    excess = np.subtract(miss, floor, out=floor)
    if float(excess.max()) <= TINY:
        return largest, None
    return largest, np.flatnonzero(excess > TINY)


def _total_bound(left, right) -> np.ndarray:
    """``e_left + e_right`` as a fresh array; two factored bounds are multiplied out together,
    so a factor they share (``|V_D| |Φ_D|ᵀ`` on both sides) costs one pass."""
    if isinstance(left, LazyBound) and isinstance(right, LazyBound) and left.shape == right.shape:
        return np.asarray(LazyBound.total((left, right), left.shape))
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
