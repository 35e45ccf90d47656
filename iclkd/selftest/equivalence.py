"""Recognising equivalent mutants: changes that cannot alter what a result says.

A mutant is equivalent when it is structurally the original (a transposed scalar, an
un-transposed ``Iᵀ``) or when the engine's own normal form proves the changed expression
equal to the original (``is_zero(mutant − original)``). Undecided is never read as equal:
such a mutant is run, and if it survives it is listed.
"""
from __future__ import annotations

from typing import Optional

import sympy as sp
from sympy.core.relational import Relational

from ..errors import StepTimeout
from ..symbolic.algebra import is_zero, scalar_normal_form
from ..symbolic.objects import Gradient
from ..symbolic.timing import time_limit

EQUIVALENCE_SECONDS = 5.0


def equivalence_reason(original, mutated, seconds: float = EQUIVALENCE_SECONDS) -> Optional[str]:
    """Why ``mutated`` is equal to ``original`` as an expression, or None if not shown.

    >>> x, y = sp.symbols('x y')
    >>> equivalence_reason(x + y, sp.Add(y, x))
    'structurally the original'
    >>> equivalence_reason((x + 1)**2, x**2 + 2*x + 1)
    'equal to the original (engine normal form)'
    >>> equivalence_reason(x + y, x - y) is None
    True
    """
    if not isinstance(original, sp.Basic) or not isinstance(mutated, sp.Basic):
        return None
    if mutated == original:
        return "structurally the original"
    try:
        with time_limit(seconds):
            same = _provably_equal(original, mutated)
    except StepTimeout:
        return None
    return "equal to the original (engine normal form)" if same else None


def _provably_equal(a, b) -> bool:
    if isinstance(a, Relational) or isinstance(b, Relational):
        if type(a) is not type(b):
            return False
        pairs = [((a.lhs, b.lhs), (a.rhs, b.rhs))]
        if isinstance(a, sp.Eq):
            pairs.append(((a.lhs, b.rhs), (a.rhs, b.lhs)))
        return any(all(_provably_equal(x, y) for x, y in pair) for pair in pairs)
    try:
        a, b = canonical_gradients(a), canonical_gradients(b)
        return a == b or is_zero(b - a) is True
    except Exception:  # SymPy cannot subtract or normalise these: not shown equal
        return False


def canonical_gradients(expr):
    """Every ``Gradient``'s function in the engine's scalar normal form.

    The normal form treats a gradient as an opaque matrix; without this, ``∇ tr(AᵀW B)`` and
    ``∇ tr(BᵀWᵀA)`` (one function, two spellings) would look different.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> A, W = sp.MatrixSymbol('A', n, n), sp.MatrixSymbol('W', n, n)
    >>> canonical_gradients(Gradient(sp.Trace(A.T * W), W)) == canonical_gradients(Gradient(sp.Trace(W.T * A), W))
    True
    """
    return expr.replace(lambda e: isinstance(e, Gradient),
                        lambda g: Gradient(scalar_normal_form(g.function), g.variable, g.point))
