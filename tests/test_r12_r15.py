"""R12–R15: verified, broken variants refuted with a counterexample, and the engine pieces they
use (scalar derivatives, sums, strict bounds, block matrices, the MGF of k = μ + Lz)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from iclkd.check import CheckSettings, check_result
from iclkd.derivations.brewing import learning_rate, prior_work
from iclkd.numeric_checks.evaluate import Evaluator
from iclkd.symbolic.objects import inner
from iclkd.paper import load_paper

from variants import with_claim, with_step

REGISTRY = load_paper("brewing").registry()


def check(result):
    return check_result(result, REGISTRY, CheckSettings())


def assert_refuted_with_counterexample(report, where=""):
    assert report.status == "refuted", (report.status, report.failure)
    assert report.counterexample is not None, report.failure
    assert where in report.failure, report.failure


@pytest.mark.parametrize("rid", ["R12", "R13", "R14", "R15"])
def test_result_is_verified_at_symbolic_dimensions(rid):
    report = check(REGISTRY.get(rid))
    assert report.status == "verified", report.failure
    assert report.method == "symbolic-dims"
    assert not any(s.cited for s in report.steps)


@pytest.mark.parametrize("rid, deps", [("R12", {"R1"}), ("R13", {"R1", "R12"}), ("R14", {"R4", "R5"}),
                                        ("R15", {"R6", "R7"})])
def test_results_link_to_what_they_specialise(rid, deps):
    assert set(REGISTRY.get(rid).depends_on) == deps


# ---------------------------------------------------------------- broken variants
def test_r13_mgf_without_the_half_is_refuted():
    R = learning_rate
    wrong = sp.exp(inner(R.mu, R.q) + sp.Trace(R.q.T * R.Sigma_keys * R.q))
    report = check(with_step(R.R13, "(a)", 3, wrong))
    assert_refuted_with_counterexample(report, "R13(a) step 4")
    monte_carlo = next(n for n in report.numeric if n.name == "stationary keys")
    assert monte_carlo.status == "refuted" and abs(monte_carlo.stats["max_abs_z"]) > monte_carlo.stats["z_critical"]


def test_r15_plus_identity_in_the_value_matrix_is_refuted():
    P = prior_work
    wrong = sp.BlockMatrix([[sp.ZeroMatrix(P.d_x, P.d_x), sp.ZeroMatrix(P.d_x, P.d_y)], [P.W_init, P.I_y]])
    report = check(with_claim(P.R15, "(b)", lhs=P.layer_update(wrong)))
    assert_refuted_with_counterexample(report, "R15(b) step 1")
    oracle = next(n for n in report.numeric if n.name == "gradient-descent oracle")
    assert oracle.status == "refuted" and oracle.counterexample


def test_r12_positive_derivative_is_refuted():
    R = learning_rate
    claim = R.R12.claim("(b)")
    report = check(with_step(R.R12, "(b)", 0, -claim.rhs))
    assert_refuted_with_counterexample(report, "R12(b) step 1")


def test_r12_shift_with_the_wrong_sign_is_refuted():
    R = learning_rate
    report = check(with_step(R.R12, "(d)", 0, sp.exp(R.c_shift) * R.eta_of_scores()))
    assert_refuted_with_counterexample(report, "R12(d) step 1")


def test_r12_concentration_catches_a_wrong_expectation():
    R = learning_rate
    broken = with_claim(R.R12, "(a)", rhs=sp.exp(2 * inner(R.k, R.q)))
    outcome = R.normaliser_concentration(broken, np.random.default_rng(0), 4)
    assert outcome.status == "refuted"


def test_r14_swapped_labels_are_refuted():
    P = prior_work
    report = check(with_step(P.R14, "(b)", 0, P.W_ZSL))
    assert_refuted_with_counterexample(report, "R14(b)")


# ---------------------------------------------------------------- engine pieces
def test_scalar_derivative_evaluates_by_central_differences():
    x, y = sp.symbols("x y")
    out = Evaluator({x: 0.7, y: 2.0}).value(sp.Derivative(y * sp.exp(x) / (1 + sp.exp(x)), x))
    exact = 2.0 * np.exp(0.7) / (1 + np.exp(0.7)) ** 2
    assert abs(float(out.val) - exact) <= float(out.err) and float(out.err) < 1e-8


def test_sums_over_tokens_evaluate_term_by_term():
    n, i = sp.Symbol("n", integer=True, positive=True), sp.Symbol("i", integer=True)
    s = sp.MatrixSymbol("s", n, 1)
    values = np.array([[0.5], [-1.0], [2.0]])
    out = Evaluator({s: values, n: 3}).value(sp.Sum(sp.exp(s[i, 0]), (i, 0, n - 1)))
    assert float(out.val) == pytest.approx(np.exp(values).sum(), rel=1e-15)


def test_strict_bound_needs_a_positive_gap():
    from iclkd.symbolic.rules import Bound

    x = sp.Symbol("x", nonnegative=True)
    assert Bound(strict=True).symbolic(-sp.exp(x), sp.Integer(0), None).equal is True
    assert Bound(strict=True).symbolic(-x, sp.Integer(0), None).equal is None
    assert Bound().symbolic(-x, sp.Integer(0), None).equal is True


def test_block_matrices_are_compared_block_by_block():
    from iclkd.symbolic.algebra import is_zero

    n = sp.Symbol("n", integer=True, positive=True)
    a, b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
    I, Z = sp.Identity(n), sp.ZeroMatrix(n, n)
    swap = sp.BlockMatrix([[Z, I], [I, Z]])
    assert is_zero(swap * sp.BlockMatrix([[a], [b]]) - sp.BlockMatrix([[b], [a]])) is True
    assert is_zero(swap * sp.BlockMatrix([[a], [b]]) - sp.BlockMatrix([[a], [b]])) is not True


def test_gaussian_mgf_of_an_affine_key():
    from iclkd.symbolic.objects import GaussianExpectation, sqnorm
    from iclkd.symbolic.rules import GaussianMGF

    R = learning_rate
    prev = sp.exp(inner(R.mu, R.q)) * GaussianExpectation(sp.exp(inner(R.z, R.L_chol.T * R.q)), R.z)
    good = sp.exp(inner(R.mu, R.q)) * sp.exp(sqnorm(R.L_chol.T * R.q) / 2)
    assert GaussianMGF().symbolic(prev, good, None).equal is True
    assert GaussianMGF().symbolic(prev, good**2, None).equal is not True
