"""Evidence that covers the claim (issue 15, items 3-5): exact agreement proves only rational
identities, SymPy's calculus is confirmed entry by entry, cited steps need numbers that can see
an error, and a claim without proof still meets numbers.

Every expectation below is the mathematics of the example (worked out in its comment), never
iclkd's output.
"""
from __future__ import annotations

import pytest
import sympy as sp

from iclkd import Algebra, Cited, Claim, Gradient, MatrixDerivative, Result, Step
from iclkd.check import CheckSettings, check_result
from iclkd.symbolic.registry import Registry

n = sp.Symbol("n", integer=True, positive=True)
X, A, B = (sp.MatrixSymbol(s, n, n) for s in "XAB")
x = sp.Symbol("x", positive=True)
y = sp.Symbol("y", real=True)
SEEDS = (0, 1, 2)


def status(rid, lhs, rhs, rule=None, relation="=", seed=0):
    proof = (Step(rhs, rule, relation),) if rule is not None else ()
    result = Result(rid, "Lemma", rid, claims=(Claim("", lhs, rhs, relation, proof=proof),))
    report = check_result(result, Registry([result]), CheckSettings(seed=seed))
    return report.status, report.failure


# ∇_X[tr(AX) e^{tr(BX)/10¹⁰}] = e^{tr(BX)/10¹⁰} (Aᵀ + tr(XA) Bᵀ/10¹⁰)  (product rule; Cookbook (100))
SCALE = sp.Integer(10) ** 10
F = sp.Trace(X * A) * sp.exp(sp.Trace(B * X) / SCALE)
GRADIENT = sp.exp(sp.Trace(B * X) / SCALE) * (A.T + sp.Trace(X * A) * B.T / SCALE)
DROPPED = sp.exp(sp.Trace(B * X) / SCALE) * A.T  # the 1e-10 term missing: SymPy 1.14 agrees with it


@pytest.mark.parametrize("seed", SEEDS)
def test_a_derivative_sympy_gets_wrong_by_1e_10_is_refuted_not_verified(seed):
    got, why = status("W1", Gradient(F, X), DROPPED, MatrixDerivative(), seed=seed)
    assert got == "refuted", why
    assert "entrywise derivative differs" in why


@pytest.mark.parametrize("seed", SEEDS)
def test_the_right_derivative_of_the_same_function_is_verified(seed):
    got, why = status("W2", Gradient(F, X), GRADIENT, MatrixDerivative(), seed=seed)
    assert got == "verified", why


def test_a_true_gradient_sympy_calls_zero_is_verified_by_entries():
    # ∇_A (tr(AᵀA) + 1) = 2A; SymPy 1.14 returns 0 for it
    got, why = status("W6", Gradient(sp.Trace(A.T * A) + 1, A), 2 * A, MatrixDerivative())
    assert got == "verified", why


def test_a_wrong_gradient_sympy_calls_zero_is_refuted():
    got, why = status("W6_3", Gradient(sp.Trace(A.T * A) + 1, A), 3 * A, MatrixDerivative())
    assert got == "refuted", why


@pytest.mark.parametrize("seed", SEEDS)
def test_abs_identity_true_only_below_3_is_never_verified(seed):
    # |x − 3| = 3 − x holds for 0 < x ≤ 3 only; exact agreement at points there proves nothing
    got, why = status("W3", sp.Abs(x - 3), 3 - x, Algebra(), seed=seed)
    assert got in ("refuted", "unproved"), why


@pytest.mark.parametrize("seed", SEEDS)
def test_abs_identity_true_on_an_interval_is_never_verified(seed):
    # |y − 5| + |y + 5| = 10 holds for |y| ≤ 5 only
    got, why = status("W4", sp.Abs(y - 5) + sp.Abs(y + 5), sp.Integer(10), Algebra(), seed=seed)
    assert got in ("refuted", "unproved"), why
    if got == "unproved":
        assert "not rational in the values" in why


def test_exact_agreement_still_proves_a_rational_identity():
    # (y + 1)³ − (y − 1)³ = 6y² + 2, a polynomial identity
    got, why = status("W7", (y + 1) ** 3 - (y - 1) ** 3, 6 * y**2 + 2, Algebra())
    assert got == "verified", why


def test_a_cited_step_lost_in_cancellation_is_refuted_exactly():
    # (10⁸ + y) − 10⁸ = y, not y + 10⁻⁹: in floats the difference is below the rounding of 10⁸ + y
    big = sp.Integer(10) ** 8
    got, why = status("W5", (big + y) - big, y + sp.Rational(1, 10**9), Cited("Folklore", "cancellation"))
    assert got == "refuted", why


def test_a_true_cited_step_rests_on_its_citation():
    # (y + 1)² − 1 = y(y + 2): rational, so the citation's numbers are checked exactly
    result = Result("W5_T", "Lemma", "cited", claims=(
        Claim("", (y + 1) ** 2 - 1, y * (y + 2), proof=(Step(y * (y + 2), Cited("Folklore", "squares")),)),))
    report = check_result(result, Registry([result]), CheckSettings())
    assert report.status == "verified", report.failure
    assert [s.status for s in report.steps[:1]] == ["cited"]
    assert "exact evaluation" in report.steps[0].detail


@pytest.mark.parametrize("lhs, rhs, relation, expected", [
    (sp.Trace(A * B), sp.Trace(B * A) + 1, "=", "refuted"),   # tr(AB) = tr(BA) ≠ tr(BA) + 1
    (sp.Trace(A * B), sp.Trace(B * A), "=", "unproved"),      # true, but no proof was given
    (sp.Integer(1), y**2, "<", "refuted"),                    # y² > 1 fails at y = 0
    (sp.Integer(0), y**2 + 1, "<", "unproved"),               # true, no proof
], ids=["false-equality", "true-equality", "false-inequality", "true-inequality"])
def test_a_claim_without_proof_meets_numbers(lhs, rhs, relation, expected):
    got, why = status("U", lhs, rhs, relation=relation)
    assert got == expected, why
    assert "no proof steps" in why


def test_the_worst_error_of_an_exact_refutation_is_the_dropped_terms_size():
    # the dropped term is tr(XA)·e^{…}·Bᵀ/10¹⁰: relative to the gradient about 1e-10 (times O(1) ratios)
    result = Result("W1", "Lemma", "W1", claims=(Claim("", Gradient(F, X), DROPPED,
                                                       proof=(Step(DROPPED, MatrixDerivative()),)),))
    report = check_result(result, Registry([result]), CheckSettings())
    assert report.status == "refuted"
    assert 1e-14 < report.max_error < 1e-6, report.max_error
