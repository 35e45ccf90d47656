"""Exact gradients by dual numbers, against gradients worked out by hand (Matrix Cookbook §2.5).

The expected values are closed forms computed here with plain rational matrix arithmetic, never
by the code under test; the entry-by-entry path (``_gradient_by_entries``) is checked against the
same closed forms where the dual path does not apply.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from iclkd.numeric_checks.derivatives import _dual_gradient, _gradient_by_entries, exact_gradient
from iclkd.numeric_checks.dual import Dual, DualUnsupported
from iclkd.numeric_checks.evaluate import Evaluator

R = sp.Rational


def rational_matrix(rng, rows, cols):
    return np.array([[R(int(rng.integers(-9, 10)), int(rng.integers(1, 7))) for _ in range(cols)]
                     for _ in range(rows)], dtype=object)


def gradient(f, variable, point, env):
    return exact_gradient(f, variable, point, Evaluator(env, exact=True))


@pytest.fixture
def rng():
    return np.random.default_rng(5)


def test_trace_of_a_product_is_the_transposed_outer_factors(rng):
    """∂ tr(AXB)/∂X = Aᵀ Bᵀ (Matrix Cookbook eq. 101)."""
    A, X, B = sp.MatrixSymbol("A", 2, 3), sp.MatrixSymbol("X", 3, 4), sp.MatrixSymbol("B", 4, 2)
    a, x, b = rational_matrix(rng, 2, 3), rational_matrix(rng, 3, 4), rational_matrix(rng, 4, 2)
    got = gradient(sp.Trace(A * X * B), X, x, {A: a, B: b})
    assert (got == a.T.dot(b.T)).all()


def test_quadratic_form_gradient_is_symmetrised(rng):
    """∂ tr(XᵀAX)/∂X = (A + Aᵀ)X (Matrix Cookbook eq. 111); a wrong (2A)X differs."""
    A, X = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("X", 3, 2)
    a, x = rational_matrix(rng, 3, 3), rational_matrix(rng, 3, 2)
    got = gradient(sp.Trace(X.T * A * X), X, x, {A: a})
    assert (got == (a + a.T).dot(x)).all()
    assert not (got == (2 * a).dot(x)).all()


def test_quotient_of_linear_forms(rng):
    """∂ (aᵀx)/(bᵀx) / ∂x = (a (bᵀx) − b (aᵀx)) / (bᵀx)², by the quotient rule."""
    a_, b_, x_ = (sp.MatrixSymbol(n, 3, 1) for n in "abx")
    a, b = rational_matrix(rng, 3, 1), rational_matrix(rng, 3, 1)
    x = np.array([[R(1)], [R(2)], [R(3)]], dtype=object)
    num, den = a.T.dot(x)[0, 0], b.T.dot(x)[0, 0]
    got = gradient(sp.Trace(a_.T * x_) / sp.Trace(b_.T * x_), x_, x, {a_: a, b_: b})
    assert (got == (a * den - b * num) / den**2).all()
    assert all(isinstance(v, sp.Rational) for v in got.ravel())  # exact, never a float


def test_inverse_falls_back_to_entries_and_stays_exact():
    """∂ tr(X⁻¹)/∂X = −(X⁻²)ᵀ (Matrix Cookbook eq. 124): SymPy's exact inverse does not take
    dual numbers, so the entry-by-entry path gives it."""
    X = sp.MatrixSymbol("X", 2, 2)
    x = np.array([[R(2), R(1)], [R(1), R(3)]], dtype=object)
    inverse = np.array(sp.Matrix(x.tolist()).inv().tolist(), dtype=object)
    with pytest.raises(ValueError):  # SympifyError
        _dual_gradient(sp.Trace(X.I), X, x, Evaluator({}, exact=True))
    assert (gradient(sp.Trace(X.I), X, x, {}) == -(inverse.dot(inverse)).T).all()


def test_exp_falls_back_and_both_paths_agree_where_both_apply(rng):
    W = sp.MatrixSymbol("W", 2, 2)
    w = rational_matrix(rng, 2, 2)
    expected = 2 * w * sp.exp(sum(v**2 for v in w.ravel()))  # ∂ exp(‖W‖²)/∂W = 2W exp(‖W‖²)
    assert (gradient(sp.exp(sp.Trace(W.T * W)), W, w, {}) == expected).all()
    polynomial = sp.Trace(W * W * W) + sp.Trace(W.T * W) ** 2
    by_duals = _dual_gradient(polynomial, W, w, Evaluator({}, exact=True))
    by_entries = _gradient_by_entries(polynomial, W, w, Evaluator({}, exact=True))
    assert (by_duals == by_entries).all()
    assert (by_duals == 3 * w.dot(w).T + 4 * sum(v**2 for v in w.ravel()) * w).all()


def test_a_function_free_of_the_variable_has_zero_gradient():
    W, A = sp.MatrixSymbol("W", 2, 1), sp.MatrixSymbol("A", 2, 2)
    a = np.array([[R(1), R(2)], [R(3), R(4)]], dtype=object)
    point = np.array([[R(1)], [R(1)]], dtype=object)
    assert (gradient(sp.Trace(A), W, point, {A: a}) == 0).all()


def test_duals_refuse_what_they_do_not_define():
    x = Dual(R(1, 2), {0: R(1)})
    with pytest.raises(DualUnsupported):
        x < 1
    with pytest.raises(DualUnsupported):
        bool(x)
    with pytest.raises(DualUnsupported):
        x + 0.5  # a float would make the derivative inexact
    with pytest.raises(DualUnsupported):
        x ** R(1, 2)
    with pytest.raises(ZeroDivisionError):
        x / (x - R(1, 2))  # an exact zero value: not a derivative
    with pytest.raises(ValueError):
        sp.Matrix([[x]])


def test_python_integers_keep_the_arithmetic_rational():
    x = Dual(sp.Integer(3), {0: sp.Integer(1)})
    y = 1 / x
    assert y.value == R(1, 3) and y.partials[0] == R(-1, 9)
    assert (x / 2).value == R(3, 2) and (2 - x).partials[0] == -1
    scaled = np.array([R(2), R(1, 2)], dtype=object) * x  # an array operand works entry by entry
    assert [d.partials[0] for d in scaled] == [2, R(1, 2)]
