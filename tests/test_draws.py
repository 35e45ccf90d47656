"""Draws inside the stated domain, sizes past small-size coincidences, and no evidence from
values that underflowed (issue 15, items 1, 2 and 4). Each example's truth is worked out in
its comment, never taken from iclkd's output.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from iclkd import Algebra, Assumption, Claim, Gradient, MatrixDerivative, Result, Step
from iclkd.check import CheckSettings, check_result
from iclkd.numeric_checks.domain import Domain, domain_of, draw_symbol
from iclkd.numeric_checks.domain_samplers import matrix_satisfies
from iclkd.symbolic.registry import Registry

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
SEEDS = (0, 1, 2)


def report_of(claim, seed=0, **fields):
    result = Result("D", "Lemma", "example", claims=(claim,), **fields)
    return check_result(result, Registry([result]), CheckSettings(seed=seed))


def proved(lhs, rhs, rule=None, relation="="):
    return Claim("", lhs, rhs, relation, proof=(Step(rhs, rule or Algebra(), relation),))


# ---------------------------------------------------------------- true claims are not refuted

@pytest.mark.parametrize("seed", SEEDS)
def test_an_integer_symbol_is_drawn_as_an_integer(seed):
    k, i = sp.Symbol("k", integer=True, positive=True), sp.Symbol("i", integer=True)
    # Σ_{i=1}^k i = k(k+1)/2 (Gauss): true for every positive integer k, false at k = 1.35
    report = report_of(Claim("", sp.Sum(i, (i, 1, k)), k * (k + 1) / 2), seed)
    assert report.status == "unproved", report.failure


@pytest.mark.parametrize("seed", SEEDS)
def test_trace_of_the_identity_is_its_size(seed):
    report = report_of(proved(sp.Trace(sp.Identity(m)), m), seed)
    assert report.status == "verified", report.failure


@pytest.mark.parametrize("seed", SEEDS)
def test_a_symmetric_matrix_is_drawn_symmetric(seed):
    W, x = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("x", n, 1)
    # ∂(xᵀWx)/∂x = (W + Wᵀ)x = 2Wx for symmetric W (Matrix Cookbook (81))
    claim = Claim("", Gradient(sp.Trace(x.T * W * x), x), 2 * W * x,
                  proof=(Step((W + W.T) * x, MatrixDerivative()), Step(2 * W * x, Algebra())))
    report = report_of(claim, seed, assumptions=(Assumption(sp.Q.symmetric(W), "W symmetric"),))
    assert report.status != "refuted", report.failure


@pytest.mark.parametrize("seed", SEEDS)
def test_a_positive_definite_matrix_gives_a_positive_form(seed):
    A, x = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("x", n, 1)
    report = report_of(Claim("", sp.Integer(0), sp.Trace(x.T * A * x), "<"), seed,
                       assumptions=(Assumption(sp.Q.positive_definite(A), "A ≻ 0"),))
    assert report.status == "unproved", report.failure  # no proof given: numbers only


@pytest.mark.parametrize("seed", SEEDS)
def test_negative_symbols_and_bounds_are_drawn_inside(seed):
    r = sp.Symbol("r", negative=True)
    assert report_of(proved(sp.Abs(r), -r), seed).status == "verified"  # SymPy: |r| = −r for r < 0
    s = sp.Symbol("s", real=True)
    report = report_of(Claim("", sp.sqrt(s**2), -s), seed, assumptions=(Assumption(s < 0, "s < 0"),))
    assert report.status == "unproved", report.failure  # √(s²) = |s| = −s: true, no proof


def test_an_assumption_iclkd_cannot_draw_from_is_an_error_naming_it():
    U = sp.MatrixSymbol("U", n, n)
    report = report_of(Claim("", U.T * U, sp.Identity(n)), assumptions=(Assumption(sp.Q.unitary(U), "U unitary"),))
    assert report.status == "error"
    assert "unitary" in report.failure


# ---------------------------------------------------------------- false claims are not verified

@pytest.mark.parametrize("seed", SEEDS)
def test_a_polynomial_in_the_size_vanishing_at_small_sizes_is_refuted(seed):
    a = sp.MatrixSymbol("a", n, 1)
    lhs = (n - 1) * (n - 2) * (n - 3) * (n - 4) * sp.Trace(a.T * a)  # 24‖a‖² ≠ 0 at n = 5
    report = report_of(proved(lhs, sp.Integer(0)), seed)
    assert report.status == "refuted", report.failure


def _cayley_hamilton_3(X):
    e2 = (sp.Trace(X) ** 2 - sp.Trace(X * X)) / 2
    e3 = (sp.Trace(X) ** 3 - 3 * sp.Trace(X) * sp.Trace(X * X) + 2 * sp.Trace(X * X * X)) / 6
    return X**3 - sp.Trace(X) * X**2 + e2 * X - e3 * sp.Identity(X.shape[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_3x3_cayley_hamilton_identity_claimed_for_every_n_is_refuted(seed):
    X = sp.MatrixSymbol("X", n, n)
    report = report_of(proved(_cayley_hamilton_3(X), sp.ZeroMatrix(n, n)), seed)
    assert report.status == "refuted", report.failure


def test_the_3x3_cayley_hamilton_identity_at_n_3_is_not_refuted():
    X = sp.MatrixSymbol("X", n, n)  # every 3×3 matrix satisfies its characteristic polynomial
    report = report_of(proved(_cayley_hamilton_3(X), sp.ZeroMatrix(n, n)), sizes={n: (3,)})
    assert report.status != "refuted", report.failure


@pytest.mark.parametrize("seed", SEEDS)
def test_sides_that_underflow_are_drawn_again_at_a_smaller_scale(seed):
    X = sp.MatrixSymbol("X", n, n)
    damp = sp.exp(-10**4 * sp.Trace(X.T * X))
    # e^{−10⁴‖X‖²}‖X‖² = 2e^{−10⁴‖X‖²}‖X‖² is false unless X = 0; both sides underflow to 0
    report = report_of(Claim("", damp * sp.Trace(X.T * X), 2 * damp * sp.Trace(X.T * X)), seed)
    assert report.status == "refuted", report.failure


def test_the_sizes_used_are_reported():
    X = sp.MatrixSymbol("X", n, n)
    report = report_of(Claim("", sp.Trace(X * X.T), sp.Trace(X.T * X)))  # no proof: floats and exacts
    evidence = report.claims[0].evidence
    assert max(s["n"] for s in evidence["sizes"]) >= 5
    assert evidence["float_instances"] >= 4 and evidence["exact_instances"] >= 2
    assert report.as_json()["evidence"]["(statement)"] == evidence


# ---------------------------------------------------------------- the samplers themselves

@pytest.mark.parametrize("predicates", [{"symmetric"}, {"positive_definite"}, {"orthogonal"}, {"diagonal"},
                                        {"invertible"}, {"upper_triangular"}, {"symmetric", "orthogonal"}])
@pytest.mark.parametrize("exact", [False, True])
def test_matrix_draws_satisfy_their_predicates(predicates, exact):
    A = sp.MatrixSymbol("A", 4, 4)
    domain = domain_of([Assumption(getattr(sp.Q, p)(A)) for p in predicates])
    for k in range(4):
        value = draw_symbol(A, (4, 4), np.random.default_rng(k), exact, domain, k)
        value = getattr(value, "val", value)  # a float orthogonal draw carries its rounding
        for p in predicates:
            assert matrix_satisfies(p, value, exact, 1e-12), (p, value)


@pytest.mark.parametrize("exact", [False, True])
def test_scalar_draws_stay_inside_their_bounds(exact):
    x = sp.Symbol("x", real=True)
    domain = domain_of([Assumption(x > sp.Rational(1, 2)), Assumption(3 * x < 6)])
    values = [draw_symbol(x, (), np.random.default_rng(k), exact, domain, k) for k in range(40)]
    assert all(sp.Rational(1, 2) < v < 2 for v in values)
    positive = sp.Symbol("p", positive=True)
    scales = [float(draw_symbol(positive, (), np.random.default_rng(k), exact, Domain(), k)) for k in range(8)]
    assert min(scales) > 0 and max(scales) > 5 and min(scales) < 0.2  # several magnitudes


def test_claims_true_only_when_two_sizes_are_equal_are_refuted():
    """Sizes drawn in lockstep met only n = m, where tr I_n = tr I_m and det(AAᵀ) = det(AᵀA)
    (A n×m) hold: both were verified. Each dimension now takes its own sizes."""
    import sympy as sp

    from iclkd import Algebra, Claim, Result, Step
    from iclkd.check import CheckSettings, check_result
    from iclkd.numeric_checks.sizes import size_cycle
    from iclkd.symbolic.registry import Registry

    n, m = sp.symbols("n m", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, m)
    claims = [(sp.Trace(sp.Identity(n)), sp.Trace(sp.Identity(m))),
              (sp.Determinant(A * A.T), sp.Determinant(A.T * A))]
    for seed in range(3):
        for lhs, rhs in claims:
            result = Result("U1", "Lemma 1", "equal sizes only", claims=(
                Claim("", lhs, rhs, proof=(Step(rhs, Algebra()),)),))
            assert check_result(result, Registry([result]), CheckSettings(seed=seed)).status == "refuted"
    first, second = size_cycle(n, None, [], False, 0), size_cycle(m, None, [], False, 1)
    assert all(a != b for a, b in zip(first, second))
