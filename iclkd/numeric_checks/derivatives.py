"""Numeric and exact gradients of scalar matrix functions, as independent witnesses.

SymPy's matrix calculus is a fallible witness (``(Trace(A.T*A) + 1).diff(A)`` is ``0`` in
SymPy 1.14), so every claimed gradient is compared with central finite differences here,
and at explicit sizes with the exact derivative taken entry by entry.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .evaluate import UNIT_ROUNDOFF, Value

FD_STEP = UNIT_ROUNDOFF ** (1 / 3)


def _f_on_batch(f, variable, points, evaluator) -> Value:
    from .evaluate import Evaluator

    if evaluator._batched:
        from .evaluate import EvaluationError

        raise EvaluationError("a gradient inside an expectation or average is not supported")
    child = Evaluator({**evaluator.env, variable: points})
    child._batched = True
    out = child.value(f)
    return Value(np.broadcast_to(out.val, points.shape[:1]), np.broadcast_to(out.err, points.shape[:1]))


def _central_differences(f, variable, point, evaluator, h):
    """Central differences in every entry at steps h and h/2, one batched evaluation."""
    m, n = point.shape
    basis = np.eye(m * n).reshape(m * n, m, n)
    steps = np.concatenate([basis * h, -basis * h, basis * h / 2, -basis * h / 2])
    batch = point[None] + steps
    out = _f_on_batch(f, variable, batch, evaluator)
    k = m * n
    fp, fm, fp2, fm2 = (out.val[i * k:(i + 1) * k] for i in range(4))
    ep, em, ep2, em2 = (out.err[i * k:(i + 1) * k] for i in range(4))
    coarse = (fp - fm) / (2 * h)
    fine = (fp2 - fm2) / h
    rounding = (ep2 + em2 + UNIT_ROUNDOFF * (np.abs(fp2) + np.abs(fm2))) / h
    truncation = np.abs(coarse - fine)
    return fine.reshape(m, n), (truncation + rounding).reshape(m, n)


def finite_difference_gradient(f, variable, point, evaluator) -> Value:
    """Gradient of scalar ``f`` in matrix ``variable`` at ``point`` by central differences.

    The error bound is the Richardson estimate (steps ``h`` and ``h/2``) plus the rounding
    of ``f`` divided by the step; for a quadratic ``f`` the truncation part is zero.

    >>> import sympy as sp
    >>> from iclkd.numeric_checks.evaluate import Evaluator
    >>> W = sp.MatrixSymbol('W', 1, 1)
    >>> g = finite_difference_gradient(sp.Trace(W.T*W), W, np.array([[3.0]]), Evaluator({}))
    >>> round(float(g.val[0, 0]), 6)
    6.0
    """
    point = np.asarray(point, dtype=float)
    if point.ndim != 2:
        from .evaluate import EvaluationError

        raise EvaluationError("gradient at a batch of points is not supported")
    h = FD_STEP * max(1.0, float(np.max(np.abs(point))))
    grad, err = _central_differences(f, variable, point, evaluator, h)
    return Value(grad, err)


def exact_gradient(f, variable, point, evaluator):
    """Exact gradient at explicit sizes: differentiate entry by entry, then substitute.

    >>> import sympy as sp
    >>> from iclkd.numeric_checks.evaluate import Evaluator
    >>> W = sp.MatrixSymbol('W', 1, 2)
    >>> pt = np.array([[sp.Integer(1), sp.Integer(2)]], dtype=object)
    >>> exact_gradient(sp.Trace(W.T*W) + 1, W, pt, Evaluator({}, exact=True)).tolist()
    [[2, 4]]
    """
    from .evaluate import Evaluator

    m, n = np.shape(point)
    entries = np.array([[sp.Dummy(f"w{i}_{j}") for j in range(n)] for i in range(m)], dtype=object)
    child = Evaluator({**evaluator.env, variable: entries}, exact=True)
    f_val = sp.sympify(child.value(f).val)
    at = {entries[i, j]: point[i, j] for i in range(m) for j in range(n)}
    return np.array([[sp.diff(f_val, entries[i, j]).xreplace(at) for j in range(n)]
                     for i in range(m)], dtype=object)
