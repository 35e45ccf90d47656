"""The Performer paper (P1–P8): each result verifies and a variant with a wrong constant or
direction is refuted; the evaluator's trigonometric and hyperbolic functions against mpmath;
the Gaussian characteristic-function rule."""
from __future__ import annotations

import dataclasses

import mpmath
import numpy as np
import pytest
import sympy as sp

from iclkd import GaussianCharacteristic, GaussianExpectation, inner, sqnorm
from iclkd.check import CheckSettings, check_result
from iclkd.derivations.performer import PAPER
from iclkd.derivations.performer.notation import S_SQ, m
from iclkd.derivations.performer.orthogonal import MSE_iid, MSE_ort
from iclkd.numeric import evaluate
from iclkd.selftest.mutations import mutants
from iclkd.symbolic.polynomial import is_rational_in_values

REGISTRY = PAPER.registry()
SETTINGS = CheckSettings(seed=0, trials=4, timeout=20.0)
RESULT = {r.id: r for r in PAPER.results}



@pytest.mark.parametrize("rid", sorted(RESULT))
def test_result_verifies(rid):
    assert check_result(RESULT[rid], REGISTRY, SETTINGS).status == "verified"


def _wrong_constant(result, claim_name, factor=2):
    claims = tuple(dataclasses.replace(c, rhs=factor * c.rhs) if c.name == claim_name else c for c in result.claims)
    return dataclasses.replace(result, claims=claims)


WRONG = {
    "P1": ("", 2), "P2": ("", 2), "P3": ("(b)", sp.E),
    "P4": ("(b)", 2), "P5": ("(a)", 2), "P6": ("", -1), "P7": ("(a)", 2),
}


@pytest.mark.parametrize("rid", sorted(WRONG))
def test_wrong_constant_is_refuted(rid):
    name, factor = WRONG[rid]
    assert check_result(_wrong_constant(RESULT[rid], name, factor), REGISTRY, SETTINGS).status == "refuted"


def test_p4_hyperbolic_without_the_half_is_refuted():
    assert check_result(_wrong_constant(RESULT["P4"], "(c)", 2), REGISTRY, SETTINGS).status == "refuted"


def test_p8_reversed_variance_reduction_is_refuted():
    p8 = RESULT["P8"]
    claims = tuple(dataclasses.replace(c, lhs=MSE_iid, rhs=MSE_ort, proof=()) if c.name == "(d)" else c
                   for c in p8.claims)
    report = check_result(dataclasses.replace(p8, claims=claims), REGISTRY, SETTINGS)
    assert report.status == "refuted"
    assert any(n.name == "monte-carlo MSE difference" and n.status == "refuted" for n in report.numeric)


def test_p8_iid_mse_without_the_kernel_factor_is_not_verified():
    """The i.i.d. MSE of (d) must be P4(a)'s: dropping its SM² = exp(2xᵀy) factor (a mutant that
    once survived the self-test) is caught by (e)."""
    p8 = RESULT["P8"]
    wrong = sp.exp(S_SQ) * (1 - sp.exp(-S_SQ)) / m
    definitions = tuple(dataclasses.replace(d, value=wrong) if d.symbol == MSE_iid else d for d in p8.definitions)
    report = check_result(dataclasses.replace(p8, definitions=definitions), REGISTRY, SETTINGS)
    assert report.status == "refuted"


def test_p8_variance_reduction_is_cited_not_proved():
    report = check_result(RESULT["P8"], REGISTRY, SETTINGS)
    assert report.method == "cited"
    assert any(s.cited and s.claim == "(d)" for s in report.steps)


# ------------------------------------------------------------------ evaluator: cos, sin, cosh, sinh, tanh
X = sp.Symbol("x", real=True)
FUNCTIONS = [(sp.cos, mpmath.cos), (sp.sin, mpmath.sin), (sp.cosh, mpmath.cosh), (sp.sinh, mpmath.sinh),
             (sp.tanh, mpmath.tanh)]


@pytest.mark.parametrize("f, oracle", FUNCTIONS, ids=[f.__name__ for f, _ in FUNCTIONS])
def test_elementary_value_within_its_bound(f, oracle):
    mpmath.mp.dps = 50
    xs = np.array([-7.3, -1.0, -1e-9, 0.0, 0.3, 1.5707963267948966, 3.0, 11.0])
    value = evaluate(f(X / 3 + sp.Rational(1, 7)), {X: xs})
    for x_, v, err in zip(xs, value.val, value.err):
        exact = oracle(mpmath.mpf(x_) / 3 + mpmath.mpf(1) / 7)
        assert abs(mpmath.mpf(float(v)) - exact) <= mpmath.mpf(float(err))
        assert float(err) <= 1e-13 * max(1.0, abs(float(exact)))  # a bound, not a blanket tolerance


@pytest.mark.parametrize("f, oracle", FUNCTIONS, ids=[f.__name__ for f, _ in FUNCTIONS])
def test_elementary_propagates_argument_error(f, oracle):
    from iclkd.numeric import Value

    value = evaluate(f(X), {X: Value(np.array([0.7, -2.0]), np.array([1e-6, 1e-6]))})
    for x_, v, err in zip((0.7, -2.0), value.val, value.err):
        for shift in (-1e-6, 1e-6):  # the true argument may be anywhere in x ± ε
            assert abs(float(v) - float(oracle(mpmath.mpf(x_) + shift))) <= float(err)


@pytest.mark.parametrize("f", [f for f, _ in FUNCTIONS], ids=[f.__name__ for f, _ in FUNCTIONS])
def test_elementary_exact_mode_and_not_rational(f):
    assert evaluate(f(2 * X), {X: sp.Rational(1, 3)}, exact=True).val == f(sp.Rational(2, 3))
    assert not is_rational_in_values(f(X))  # exact agreement at rationals proves nothing for them


# ------------------------------------------------------------------ the rule
n = sp.Symbol("n", integer=True, positive=True)
W, A = sp.MatrixSymbol("omega", n, 1), sp.MatrixSymbol("a", n, 1)
r = sp.Symbol("r", real=True)


@pytest.mark.parametrize("integrand, value", [
    (3 * sp.cos(inner(W, A) + r), 3 * sp.exp(-sqnorm(A) / 2) * sp.cos(r)),
    (sp.sin(inner(W, A)), sp.Integer(0)),
    (sp.cos(inner(W, A))**2, (1 + sp.exp(-2 * sqnorm(A))) / 2),
    (sp.cosh(inner(W, A)), sp.exp(sqnorm(A) / 2)),
])
def test_rule_accepts(integrand, value):
    assert GaussianCharacteristic().symbolic(GaussianExpectation(integrand, W), value, None).equal is True


@pytest.mark.parametrize("integrand, value", [
    (sp.cos(inner(W, A)), sp.exp(-sqnorm(A))),
    (sp.cos(inner(W, A)), sp.exp(sqnorm(A) / 2)),
    (sp.cosh(inner(W, A)), sp.exp(-sqnorm(A) / 2)),
    (sp.cos(sqnorm(W)), sp.Integer(1)),
])
def test_rule_rejects(integrand, value):
    assert GaussianCharacteristic().symbolic(GaussianExpectation(integrand, W), value, None).equal is not True


@pytest.mark.parametrize("result", PAPER.results, ids=lambda r: r.id)
def test_mutants_of_every_result_are_generated(result):
    """The self-test's mutators reach every Performer result (an ill-formed Hadamard mutant of
    P7 once crashed SymPy's printer while the mutant was being described)."""
    generated = mutants(result)
    assert {m.result_id for m in generated} == {result.id}
    assert sum(m.result is not None for m in generated) >= 10
