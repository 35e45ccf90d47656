"""R16, the variance-optimal split of the score scale: the result, its broken variants, and the
numbers behind ``iclkd model-check`` (variance constants and the balanced split)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from iclkd.check import CheckSettings, check_result
from iclkd.derivations.brewing import score_scale as r16
from iclkd.derivations.brewing.score_scale import (ALPHA_STAR, MINIMUM, NORM_K, NORM_Q, PAIR_COVARIANCE, alpha,
                                           balanced_split, expanded, inner, k, k_i, k_j, log_variance_constant,
                                           log_variance_constants, q, split_sqnorm, sqnorm)
from iclkd.numeric_checks.evaluate import evaluate
from iclkd.symbolic.result import Step
from iclkd.symbolic.rules import Algebra

from variants import run, with_claim, with_step


def assert_refuted(report):
    assert report.status == "refuted", (report.status, report.failure)
    assert report.failure


def test_r16_is_verified_at_symbolic_dims(registry):
    report = check_result(registry.get("R16"), registry, CheckSettings())
    assert report.status == "verified", report.failure
    assert report.method == "symbolic-dims"
    assert {n.name for n in report.numeric} == {"one-key minimiser", "balanced never worse", "variance of D'"}


def test_wrong_minimiser_alpha2_is_k_over_q_is_refuted(registry):
    wrong = sp.sqrt(NORM_K / NORM_Q)
    broken = with_claim(r16.R16, "(e)", lhs=split_sqnorm(wrong), proof=(
        Step(expanded(wrong), r16.Substitute("(b)", instance={alpha: wrong})),
        Step(MINIMUM, Algebra("α² = ||k||/||q||")),
    ))
    report = run(broken, registry)
    assert_refuted(report)
    assert "(e) step 2" in report.failure
    assert any(n.name == "one-key minimiser" and n.status == "refuted" for n in report.numeric)


def test_dropped_two_in_the_minimum_is_refuted(registry):
    dropped = NORM_K * NORM_Q + inner(k, q)
    broken = with_step(r16.R16, "(e)", 1, dropped)
    report = run(broken, registry)
    assert_refuted(report)
    assert any(n.name == "one-key minimiser" and n.status == "refuted" and n.counterexample for n in report.numeric)


def test_reversed_lower_bound_is_refuted(registry):
    broken = with_claim(r16.R16, "(d)", lhs=split_sqnorm(alpha), rhs=MINIMUM, proof=(
        Step(expanded(alpha), r16.Substitute("(b)")),
        Step(MINIMUM, r16.Bound(), relation="<="),
    ))
    report = run(broken, registry)
    assert_refuted(report)
    assert report.counterexample is not None


def test_pair_exponent_without_the_query_term_is_refuted(registry):
    wrong = alpha**2 * inner(k_i, k_j) + inner(k_i, q) + inner(k_j, q)
    broken = with_step(r16.R16, "(h)", 0, wrong)
    report = run(broken, registry)
    assert_refuted(report)
    assert "(h) step 1" in report.failure


def test_covariance_without_the_minus_one_is_refuted_by_monte_carlo(registry):
    wrong = sp.exp(inner(k_i, q) + inner(k_j, q)) * sp.exp(r16.PAIR_EXPONENT)
    broken = with_claim(r16.R16, "(i)", rhs=wrong, proof=r16.R16.claim("(i)").proof[:-1] + (Step(wrong, Algebra()),))
    report = run(broken, registry)
    assert_refuted(report)
    assert any(n.name == "variance of D'" and n.status == "refuted" for n in report.numeric)


def test_flipped_midpoint_convexity_is_refuted(registry):
    claim = r16.R16.claim("(g)")
    broken = with_claim(r16.R16, "(g)", lhs=claim.rhs, rhs=claim.lhs, proof=(
        Step(claim.rhs + r16.MIDPOINT_GAP, r16.Bound(), relation="<="),
        Step(claim.lhs, Algebra()),
    ))
    assert_refuted(run(broken, registry))


# ----------------------------------------------------------------------------- the numbers

def _direct_constant(keys, query, alpha2, values=None):
    """``Σ_ij w_ij p_i p_j (e^{c_ij} − 1)`` in plain float64, no logs (small norms only)."""
    s = keys @ query
    p = np.exp(s) / np.exp(s).sum()
    u = math.sqrt(alpha2) * keys + query / math.sqrt(alpha2)
    cov = np.outer(p, p) * np.expm1(u @ u.T)
    if values is None:
        return float(cov.sum())
    h = p @ values
    return float(np.sum(cov * ((values - h) @ (values - h).T)) / (h @ h))


@pytest.mark.parametrize("seed", range(5))
def test_log_variance_constant_matches_the_direct_sum(seed):
    rng = np.random.default_rng(seed)
    keys, query, values = rng.normal(0, 0.7, (7, 4)), rng.normal(0, 0.5, 4), rng.normal(size=(7, 3))
    for alpha2 in (0.3, 1.0, 2.5):
        for vals in (None, values):
            assert math.exp(log_variance_constant(keys, query, alpha2, vals)) == pytest.approx(
                _direct_constant(keys, query, alpha2, vals), rel=1e-12)


def test_variance_constant_is_the_claimed_pair_covariance_summed():
    rng = np.random.default_rng(3)
    keys, query, a = rng.normal(0, 0.4, (3, 2)), rng.normal(0, 0.4, 2), 1.3
    total = sum(float(evaluate(PAIR_COVARIANCE, {k_i: keys[i][:, None], k_j: keys[j][:, None], q: query[:, None],
                                                 alpha: a, r16.d_k: 2}).val) for i in range(3) for j in range(3))
    z = float(np.exp(keys @ query).sum())
    assert math.exp(log_variance_constant(keys, query, a * a)) == pytest.approx(total / z**2, rel=1e-12)


def test_log_space_survives_real_head_norms():
    rng = np.random.default_rng(0)
    keys, query = rng.normal(0, 3.5, (60, 32)), rng.normal(0, 0.2, 32)     # ||k|| ≈ 20: e^{400}
    value = log_variance_constant(keys, query, 1.0)
    assert math.isfinite(value) and value > math.log(1e100)


def test_one_key_balanced_split_is_q_over_k():
    rng = np.random.default_rng(1)
    key, query = rng.normal(0, 3, 8), rng.normal(0, 0.3, 8)
    alpha2, best = balanced_split(key[None, :], query)
    assert alpha2 == pytest.approx(np.linalg.norm(query) / np.linalg.norm(key), rel=1e-6)
    minimum = 2 * (np.linalg.norm(key) * np.linalg.norm(query) + key @ query)
    assert best == pytest.approx(math.log(math.expm1(minimum)), rel=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_balanced_split_never_worse_and_beats_a_dense_grid(seed):
    rng = np.random.default_rng(seed)
    keys, query, values = rng.normal(0, 2, (10, 6)), rng.normal(0, 0.3, 6), rng.normal(size=(10, 4))
    for vals in (None, values):
        alpha2, best = balanced_split(keys, query, vals)
        assert best <= log_variance_constant(keys, query, 1.0, vals)
        grid = log_variance_constants(keys, query, np.exp(np.linspace(-12, 12, 4001)), vals)
        assert best <= np.min(grid[np.isfinite(grid)]) + 1e-9
        assert best == pytest.approx(log_variance_constant(keys, query, alpha2, vals), abs=1e-12)


def test_r16_one_key_identities_numerically():
    rng = np.random.default_rng(2)
    for _ in range(5):
        k_, q_ = rng.normal(0, 3, 5), rng.normal(0, 0.5, 5)
        env = {k: k_[:, None], q: q_[:, None], r16.d_k: 5}
        at_star = float(evaluate(split_sqnorm(ALPHA_STAR), env).val)
        grid = [float(np.sum((a * k_ + q_ / a) ** 2)) for a in np.exp(np.linspace(-5, 5, 20001))]
        assert at_star == pytest.approx(min(grid), rel=1e-6)
        assert at_star <= min(grid) * (1 + 1e-12)
        assert float(evaluate(sqnorm(k), env).val) == pytest.approx(k_ @ k_)
