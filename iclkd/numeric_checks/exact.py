"""Exact comparisons of exactly evaluated sides, entry by entry.

Values are SymPy numbers (rationals, or expressions such as ``exp(1/3)`` where the step is
not rational in the values) in scalars or object arrays. A difference that expands to a
rational is decided exactly; any other is evaluated to :data:`DIGITS` significant digits and
decided only if it is farther than :data:`NEGLIGIBLE` from zero (else: undecided, never equal).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

DIGITS = 50
NEGLIGIBLE = sp.Float("1e-30")


@dataclass
class ExactCheck:
    """What exact evaluation at the exact instances found.

    ``same`` is True (the relation holds at every entry of every instance), False (it fails:
    ``counterexample``) or None (no exact instance, not evaluable exactly, or too close to
    call); ``proves`` says whether agreement is a proof at those sizes (the step is rational
    in the drawn values, Schwartz–Zippel), ``not_proof`` why it is not; ``detail`` is the whole
    story in a sentence, ``sizes`` the size assignments of the instances.
    """

    same: Optional[bool]
    proves: bool = False
    points: int = 0
    counterexample: Optional[dict] = None
    detail: str = ""
    not_proof: str = ""


def sign_of(d) -> Optional[int]:
    """-1, 0 or 1 for a SymPy number; None when it is within :data:`NEGLIGIBLE` of 0 but not
    visibly 0 (an expression SymPy cannot reduce).

    >>> sign_of(sp.Rational(-1, 3)), sign_of(sp.exp(sp.Rational(1, 10**9)) - 1), sign_of(sp.Integer(0))
    (-1, 1, 0)
    """
    d = sp.sympify(d)
    if d.is_Rational:
        return int(bool(d > 0)) - int(bool(d < 0))
    value = sp.N(d, DIGITS)  # before any expansion: expanding roots of large rationals is slow
    if value.is_number and value.is_real and abs(value) > NEGLIGIBLE:
        return 1 if value > 0 else -1
    d = sp.expand(d)
    if d == 0:
        return 0
    return int(bool(d > 0)) - int(bool(d < 0)) if d.is_Rational else None


def exact_relation(left, right, relation: str = "=") -> tuple[Optional[bool], Optional[tuple]]:
    """``(holds, entry)``: True with ``None`` if ``left relation right`` at every entry; else
    False or None (undecided) with the first such entry's index (``()`` for scalars).

    >>> half = sp.Rational(1, 2)
    >>> exact_relation(np.array([[half, 1]], dtype=object), np.array([[half, 2]], dtype=object))
    (False, (0, 1))
    >>> exact_relation(half, sp.Integer(1), "<")
    (True, None)
    """
    if relation not in ("=", "<=", "<"):
        raise ValueError(f"cannot compare exactly with relation {relation!r}")
    lv, rv = np.asarray(left, dtype=object), np.asarray(right, dtype=object)
    lv, rv = np.broadcast_arrays(lv, rv)
    undecided = None
    for index in np.ndindex(*lv.shape):
        sign = sign_of(rv[index] - lv[index])
        if sign is None:
            undecided = undecided if undecided is not None else index
            continue
        ok = sign == 0 if relation == "=" else (sign >= 0 if relation == "<=" else sign > 0)
        if not ok:
            return False, index
    return (None, undecided) if undecided is not None else (True, None)


def pair_at(left, right, index) -> tuple:
    """The two sides' entries at ``index`` (as :func:`exact_relation` reports it).

    >>> pair_at(np.array([[1, 2]], dtype=object), np.array([[1, 3]], dtype=object), (0, 1))
    (2, 3)
    """
    lv, rv = np.broadcast_arrays(np.asarray(left, dtype=object), np.asarray(right, dtype=object))
    return lv[index], rv[index]


def short(*values, width: int = 40) -> str:
    """Values for a message, joined by "and": exact when all are short, else all to 12 digits.

    >>> short(sp.Rational(1, 3)), short(sp.Rational(10**50 + 1, 3), sp.Integer(1))
    ('1/3', '3.33333333333e+49 and 1.00000000000')
    """
    texts = [str(v) for v in values]
    if any(len(t) > width for t in texts):
        texts = [str(sp.N(v, 12)) for v in values]
    return " and ".join(texts)


def describe_sizes(instances) -> str:
    """The distinct size assignments of ``instances``, e.g. ``"sizes n=2; n=3"``.

    >>> from types import SimpleNamespace as I
    >>> n = sp.Symbol('n')
    >>> describe_sizes([I(sizes={n: 3}), I(sizes={n: 2})]), describe_sizes([I(sizes={})])
    ('sizes n=2; n=3', 'no sizes')
    """
    shown = {", ".join(f"{d}={k}" for d, k in sorted(i.sizes.items(), key=str)) for i in instances} - {""}
    return "sizes " + "; ".join(sorted(shown)) if shown else "no sizes"
