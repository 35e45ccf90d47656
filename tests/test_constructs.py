"""Constructs authors write beyond the seed paper: determinants (with log-det), erf/erfc,
Max/Min. True identities from the Matrix Cookbook (Petersen & Pedersen 2012, eqs. 18, 24) are
verified, false variants refuted; what the engine can only evaluate is unproved, not verified.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from iclkd import Algebra, Claim, Result, Step
from iclkd.check import CheckSettings, check_result
from iclkd.numeric_checks.determinant import float_determinant, lu_factors
from iclkd.numeric_checks.evaluate import Evaluator
from iclkd.numeric_checks.values import EvaluationError
from iclkd.symbolic.registry import Registry

n, m = sp.symbols("n m", integer=True, positive=True)
A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", m, n)
S, T = sp.MatrixSymbol("S", n, n), sp.MatrixSymbol("T", n, n)
x, y = sp.symbols("x y", real=True)
det = sp.Determinant


def status(claim_lhs, claim_rhs, rule=None, seed=0):
    result = Result("U1", "Lemma 1", "construct", claims=(
        Claim("", claim_lhs, claim_rhs, proof=(Step(claim_rhs, rule or Algebra()),)),))
    return check_result(result, Registry([result]), CheckSettings(seed=seed, trials=4))


@pytest.mark.parametrize("lhs, rhs", [
    (det(S * T), det(S) * det(T)),                                   # Cookbook (18)
    (det(sp.Identity(n) + A * B), det(sp.Identity(m) + B * A)),      # Cookbook (24), Sylvester
    (det(sp.Inverse(S)), 1 / det(S)),                                # Cookbook (19)
    (det(S.T), det(S)),
])
def test_determinant_identities_are_verified(lhs, rhs):
    report = status(lhs, rhs)
    assert report.status == "verified", report.claims[0].steps[0].detail


def test_sylvester_is_proved_by_exact_evaluation_at_explicit_sizes():
    report = status(det(sp.Identity(n) + A * B), det(sp.Identity(m) + B * A))
    step = report.claims[0].steps[0]
    assert step.status == "proved" and step.method == "explicit-size", step.detail


@pytest.mark.parametrize("lhs, rhs", [
    (det(S + T), det(S) + det(T)),
    (det(2 * S), 2 * det(S)),                     # true at n = 1 only: sizes must go past it
    (det(sp.Identity(n) + S * S), 1 + det(S * S)),  # likewise
    (det(S.T * S), det(S) ** 2 + 1),
])
def test_false_determinant_identities_are_refuted(lhs, rhs):
    assert status(lhs, rhs).status == "refuted"


def test_log_det_is_evaluated_but_not_proved_by_agreement():
    report = status(sp.log(det(sp.Identity(n) + S.T * S)), sp.log(det(sp.Identity(n) + S * S.T)))
    assert report.status == "unproved"
    assert "not rational in the values" in report.claims[0].steps[0].detail


def test_float_determinant_bound_covers_the_exact_error():
    rng = np.random.default_rng(7)
    for size in (2, 5, 9):
        a = rng.standard_normal((size, size))
        exact = sp.Matrix([[sp.Rational(Fraction(v)) for v in row] for row in a]).det()
        d, bound = float_determinant(a, 0.0)
        assert abs(d - float(exact)) <= 4 * bound  # the comparison's safety factor for O(u²) terms
        assert bound < 1e-12 * max(1.0, abs(d))
    hilbert = np.array([[1.0 / (i + j + 1) for j in range(8)] for i in range(8)])
    exact = sp.Matrix([[sp.Rational(Fraction(v)) for v in row] for row in hilbert]).det()
    d, bound = float_determinant(hilbert, 0.0)
    assert abs(d - float(exact)) <= 4 * bound and bound > 1e-6 * abs(d)  # ill-conditioned: a wide bound


def test_lu_reproduces_the_permuted_matrix():
    a = np.array([[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]])
    lower, upper, sign = lu_factors(a)
    assert np.allclose(np.tril(lower), lower) and np.allclose(np.triu(upper), upper)
    # det by cofactors along the first row: 0·1 − 2·(1·1 − 0·3) + 1·(1·0 − 1·3) = −5
    assert math.isclose(sign * np.prod(np.diag(upper)), -5.0)
    rows = {tuple(r) for r in np.round(lower @ upper, 12)}
    assert rows == {tuple(r) for r in a}  # L U is a with its rows permuted


def test_a_singular_matrix_has_no_determinant_bound():
    with pytest.raises(EvaluationError, match="singular"):
        float_determinant(np.array([[1.0, 2.0], [2.0, 4.0]]), 0.0)


def test_erf_and_erfc_values_match_the_tables():
    ev = Evaluator({x: 1.0})
    assert math.isclose(float(ev.value(sp.erf(x)).val), 0.8427007929497149, rel_tol=1e-15)  # A&S table 7.1
    assert math.isclose(float(ev.value(sp.erfc(x)).val), 0.1572992070502851, rel_tol=1e-14)


def test_erf_plus_erfc_is_unproved_and_a_wrong_constant_refuted():
    assert status(sp.erf(x) + sp.erfc(x), sp.Integer(1)).status == "unproved"
    assert status(sp.erf(x) + sp.erfc(x), sp.Integer(2)).status == "refuted"


def test_max_and_min():
    assert status(sp.Max(x, y) - sp.Min(x, y), x - y).status == "refuted"
    assert status(sp.Max(x, y) + sp.Min(x, y), x + y).status == "unproved"  # agreement: evidence only
    ev = Evaluator({x: 2.0, y: -3.0})
    assert float(ev.value(sp.Max(x, y, 0)).val) == 2.0 and float(ev.value(sp.Min(x, y)).val) == -3.0


# ---------------------------------------------------------------- every construct, true and false
def _constructs_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "user_results" / "constructs.py"
    spec = importlib.util.spec_from_file_location("constructs_results", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONSTRUCTS = _constructs_module()


@pytest.mark.parametrize("result", CONSTRUCTS.RESULTS, ids=lambda r: r.id)
def test_each_construct_gets_the_verdict_its_mathematics_allows(result):
    registry = Registry(CONSTRUCTS.RESULTS)
    report = check_result(result, registry, CheckSettings(seed=0, trials=4))
    assert report.status == CONSTRUCTS.EXPECTED[result.id], report.claims[0].steps[0].detail


def test_every_kind_of_construct_has_a_true_and_a_false_case():
    kinds = {rid.split(".")[0] for rid in CONSTRUCTS.EXPECTED}
    for kind in kinds:
        verdicts = {v for rid, v in CONSTRUCTS.EXPECTED.items() if rid.split(".")[0] == kind}
        assert "refuted" in verdicts, kind
    assert len(kinds) >= 13


# ---------------------------------------------------------------- what cannot be evaluated says so
z3 = sp.MatrixSymbol("z", 3, 1)
z5 = sp.MatrixSymbol("z", 5, 1)
i = sp.Symbol("i", integer=True)


@pytest.mark.parametrize("expr, env, message", [
    (sp.Piecewise((x, x > 1), (0, True)), {x: 1.0}, "within rounding of its boundary"),
    (sp.Piecewise((x, sp.Eq(x, 1)), (0, True)), {x: 2.0}, "is not a comparison"),
    (sp.Integral(1 / sp.sqrt(x), (x, 0, 1)), {}, "does not settle"),
    (sp.Integral(x, (x, 0, sp.oo)), {}, "limits must be finite"),
    (sp.Limit(1 / x, x, 0), {}, "does not settle"),
    (sp.Limit(sp.Abs(x) / x, x, 0, dir="+-"), {}, "from the left and the right differ"),
    (sp.tan(sp.pi * y / 2), {y: 1.0}, "pole"),
    (S ** x, {x: 1.5, n: 2, S: np.eye(2)}, "not declared an integer"),
    (sp.Sum(i, (i, 1, y)), {y: 2.5}, "not declared an integer"),
    (sp.Determinant(S), {n: 2, S: np.array([[1.0, 2.0], [2.0, 4.0]])}, "singular"),
])
def test_an_expression_out_of_reach_is_an_error_that_says_why(expr, env, message):
    with pytest.raises(EvaluationError, match=message):
        Evaluator(env).value(expr)


def test_normal_expectations_need_a_positive_definite_covariance_and_at_most_three_dimensions():
    from iclkd import expectation

    mu, sigma = sp.MatrixSymbol("mu", 3, 1), sp.MatrixSymbol("Sigma", 3, 3)
    env = {mu: np.zeros((3, 1)), sigma: np.diag([1.0, -1.0, 1.0])}
    with pytest.raises(EvaluationError, match="not positive definite"):
        Evaluator(env).value(expectation((z3.T * z3)[0, 0], z3, mu, sigma))
    mu5, sigma5 = sp.MatrixSymbol("mu", 5, 1), sp.MatrixSymbol("Sigma", 5, 5)
    with pytest.raises(EvaluationError, match="Monte Carlo"):
        Evaluator({mu5: np.zeros((5, 1)), sigma5: np.eye(5)}).value(expectation((z5.T * z5)[0, 0], z5, mu5, sigma5))


def test_a_normal_expectation_matches_the_textbook_moments():
    from iclkd import expectation

    mu, sigma = sp.MatrixSymbol("mu", 2, 1), sp.MatrixSymbol("Sigma", 2, 2)
    z2 = sp.MatrixSymbol("z", 2, 1)
    m, s = np.array([[1.0], [-2.0]]), np.array([[2.0, 0.5], [0.5, 1.0]])
    ev = Evaluator({mu: m, sigma: s})
    second = ev.value(expectation(z2 * z2.T, z2, mu, sigma)).val
    assert np.allclose(second, s + m @ m.T, rtol=1e-13, atol=1e-13)
    # fourth moment of a scalar normal: E x⁴ = μ⁴ + 6μ²σ² + 3σ⁴ (with μ = 1, σ² = 2: 1 + 12 + 12)
    fourth = ev.value(expectation(z2[0, 0] ** 4, z2, mu, sigma)).val
    assert math.isclose(float(fourth), 25.0, rel_tol=1e-13)


def test_vec_stacks_columns():
    from iclkd import Vec

    X = sp.MatrixSymbol("X", 2, 3)
    value = Evaluator({X: np.arange(6.0).reshape(2, 3)}).value(Vec(X)).val
    assert value.ravel().tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]


def test_normal_moments_needs_an_explicit_dimension_and_a_polynomial():
    from iclkd import NormalMoments, expectation

    k = sp.Symbol("k", integer=True, positive=True)
    xk, muk, sk = sp.MatrixSymbol("x", k, 1), sp.MatrixSymbol("mu", k, 1), sp.MatrixSymbol("Sigma", k, k)
    decision = NormalMoments().symbolic(expectation(xk * xk.T, xk, muk, sk), sk + muk * muk.T, None)
    assert decision.equal is None and "symbolic" in decision.detail
    x2, mu2, s2 = sp.MatrixSymbol("x", 2, 1), sp.MatrixSymbol("mu", 2, 1), sp.MatrixSymbol("Sigma", 2, 2)
    decision = NormalMoments().symbolic(expectation(sp.exp(x2[0, 0]), x2, mu2, s2), sp.exp(mu2[0, 0]), None)
    assert decision.equal is None and "not a polynomial" in decision.detail
    # a wrong closed form is not proved: E x xᵀ is not Σ when μ ≠ 0
    assert NormalMoments().symbolic(expectation(x2 * x2.T, x2, mu2, s2), s2, None).equal is not True
