"""Numeric and exact gradients of scalar matrix functions, as independent witnesses.

SymPy's matrix calculus is a fallible witness (``(Trace(A.T*A) + 1).diff(A)`` is ``0`` in
SymPy 1.14), so every claimed gradient is compared with central finite differences here,
and at explicit sizes with the exact derivative taken entry by entry.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from .dual import Dual
from .values import UNIT_ROUNDOFF, EvaluationError, Value

FD_STEP = UNIT_ROUNDOFF ** (1 / 3)


def _f_on_batch(f, variable, points, evaluator) -> Value:
    if evaluator._batched:
        raise EvaluationError("a gradient inside an expectation or average is not supported")
    child = evaluator.child({variable: points}, exact=False, batched=True)
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
        raise EvaluationError("gradient at a batch of points is not supported")
    h = FD_STEP * max(1.0, float(np.max(np.abs(point))))
    grad, err = _central_differences(f, variable, point, evaluator, h)
    return Value(grad, err)


def exact_gradient(f, variable, point, evaluator):
    """Exact gradient at explicit sizes: by forward-mode dual numbers (:mod:`.dual`) where ``f``
    uses only sums, products, quotients and integer powers of the variable, else entry by entry
    (differentiate ``f(P + t E_ij)`` in ``t``, then substitute). Both are exact; the first is one
    evaluation instead of one per entry.

    >>> import sympy as sp
    >>> from iclkd.numeric_checks.evaluate import Evaluator
    >>> W = sp.MatrixSymbol('W', 1, 2)
    >>> pt = np.array([[sp.Integer(1), sp.Integer(2)]], dtype=object)
    >>> exact_gradient(sp.Trace(W.T*W) + 1, W, pt, Evaluator({}, exact=True)).tolist()
    [[2, 4]]
    >>> exact_gradient(sp.exp(sp.Trace(W.T*W)), W, pt, Evaluator({}, exact=True)).tolist()
    [[2*exp(5), 4*exp(5)]]
    """
    try:
        return _dual_gradient(f, variable, point, evaluator)
    except DUAL_UNAVAILABLE:
        return _gradient_by_entries(f, variable, point, evaluator)


# What an evaluation on dual numbers raises where it meets an operation they do not define
# (DualUnsupported is a TypeError; SymPy's routines raise SympifyError, a ValueError).
DUAL_UNAVAILABLE = (TypeError, ValueError, ArithmeticError, AttributeError, EvaluationError)


def _dual_gradient(f, variable, point, evaluator):
    m, n = np.shape(point)
    moved = np.empty((m, n), dtype=object)
    for i in range(m):
        for j in range(n):
            moved[i, j] = Dual(point[i, j], {(i, j): sp.Integer(1)})
    value = evaluator.child({variable: moved}, exact=True, batched=False).value(f).val
    entries = np.asarray(value, dtype=object).ravel()
    if entries.size != 1:
        raise EvaluationError(f"the gradient's function has {entries.size} entries, not one")
    out = np.full((m, n), sp.Integer(0), dtype=object)
    if isinstance(entries[0], Dual):
        for index, partial in entries[0].partials.items():
            out[index] = partial
    else:
        sp.sympify(entries[0], strict=True)  # a number that does not depend on the variable
    return out


def _gradient_by_entries(f, variable, point, evaluator):
    m, n = np.shape(point)
    t = sp.Dummy("t")
    out = np.empty((m, n), dtype=object)
    for i in range(m):  # one symbol at a time: f(P + t E_ij) is cheap where f(symbolic P) is not
        for j in range(n):
            moved = np.array(point, dtype=object)
            moved[i, j] = moved[i, j] + t
            f_val = sp.sympify(evaluator.child({variable: moved}, exact=True, batched=False).value(f).val)
            out[i, j] = derivative_at_zero(f_val, t)
    return out


def derivative_at_zero(f, t):
    """``f'(0)`` exactly: by the quotient rule on polynomials in ``t`` when ``f`` is rational in
    it (fast, even with large rational coefficients), else by ``sp.diff``.

    >>> t = sp.Symbol('t')
    >>> derivative_at_zero((1 + 2*t) / (3 - t), t), derivative_at_zero(sp.exp(3*t), t)
    (7/9, 3)
    """
    num, den = sp.sympify(f).as_numer_denom()
    try:
        p, q = sp.Poly(num, t), sp.Poly(den, t)
    except BasePolynomialError:
        return sp.diff(f, t).xreplace({t: 0})
    q0 = q.coeff_monomial(1)  # q(0); the coefficient of t is q'(0)
    if q0 == 0:
        return sp.diff(f, t).xreplace({t: 0})
    return (p.coeff_monomial(t) * q0 - p.coeff_monomial(1) * q.coeff_monomial(t)) / q0**2


def entry_derivatives(f, symbols) -> list:
    """``∂f/∂s`` for each symbol: through SymPy's polynomials when ``f`` is a polynomial in the
    symbols (several times faster than ``diff`` on its unexpanded tree), else by ``sp.diff``.

    >>> x, y = sp.symbols('x y')
    >>> entry_derivatives((x + y)**2, [x, y]), entry_derivatives(sp.exp(x * y), [x])
    ([2*x + 2*y, 2*x + 2*y], [y*exp(x*y)])
    """
    try:
        poly = sp.Poly(f, *symbols)
    except BasePolynomialError:
        return [sp.diff(f, s) for s in symbols]
    return [poly.diff(s).as_expr() for s in symbols]


def scalar_derivative(expr, evaluator):
    """``d f / d x`` of a SymPy ``Derivative(f, x)`` (first order, scalar ``x``) at ``env[x]``.

    Exact mode differentiates the exactly evaluated ``f`` in a dummy; float mode uses
    central differences at steps ``h`` and ``h/2`` with the Richardson error bound plus
    the rounding of ``f`` divided by the step.

    >>> import sympy as sp
    >>> from iclkd.numeric_checks.evaluate import Evaluator
    >>> x = sp.Symbol('x')
    >>> d = scalar_derivative(sp.Derivative(x**3, x), Evaluator({x: 2.0}))
    >>> abs(float(d.val) - 12.0) <= float(d.err)
    True
    """
    if len(expr.variable_count) != 1 or expr.variable_count[0][1] != 1:
        raise EvaluationError("only first derivatives in one variable are supported")
    x = expr.variable_count[0][0]
    if not isinstance(x, sp.Symbol) or x not in evaluator.env:
        raise EvaluationError(f"no value for the variable {x} of the derivative")
    at = evaluator.env[x]

    def f(value):
        return evaluator.child({x: value}).value(expr.expr)

    if evaluator.exact:
        t = sp.Dummy("t")
        return Value(sp.diff(sp.sympify(f(t).val), t).xreplace({t: at}))
    x0 = float(np.asarray(getattr(at, "val", at)))
    h = FD_STEP * max(1.0, abs(x0))
    fp, fm, fp2, fm2 = (f(x0 + s) for s in (h, -h, h / 2, -h / 2))
    coarse = (fp.val - fm.val) / (2 * h)
    fine = (fp2.val - fm2.val) / h
    rounding = (fp2.err + fm2.err + UNIT_ROUNDOFF * (np.abs(fp2.val) + np.abs(fm2.val))) / h
    return Value(fine, np.abs(coarse - fine) + rounding)
