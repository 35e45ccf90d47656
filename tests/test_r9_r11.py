"""R9–R11: verified, the toolkit's MMD against kernel matrices built by hand, the trust-region
solver against brute force, and the broken variants refuted with a counterexample."""
from __future__ import annotations


import numpy as np
import pytest
import sympy as sp

from iclkd.check import CheckSettings, check_result
from iclkd.derivations.brewing import generalisation, mmd, rademacher_bound
from iclkd.derivations.brewing.mmd_estimators import AttentionKernel, kernel_matrix, mmd2_biased, mmd2_from_blocks, mmd2_unbiased
from iclkd.derivations.brewing.rademacher_estimates import empirical_rademacher, loss_suprema
from iclkd.numeric_checks.supremum import maximise_quadratic_on_ball
from iclkd.symbolic.objects import sqnorm
from iclkd.paper import load_paper

from variants import with_claim, with_step

REGISTRY = load_paper("brewing").registry()


def check(result):
    return check_result(result, REGISTRY, CheckSettings())


def assert_refuted_with_counterexample(report, where=""):
    assert report.status == "refuted", (report.status, report.failure)
    assert report.counterexample is not None, report.failure
    assert where in report.failure, report.failure


@pytest.mark.parametrize("rid", ["R9", "R10", "R11"])
def test_result_is_verified_at_symbolic_dimensions_and_rests_on_its_citations(rid):
    report = check(REGISTRY.get(rid))
    assert report.status == "verified", report.failure
    assert report.method == "cited"  # each has a step by a cited theorem (Cited in its proof)
    assert all(s.method == "symbolic-dims" for s in report.steps if not s.cited)


def test_cited_steps_are_the_named_theorems():
    cited = {rid: [s.rule for s in check(REGISTRY.get(rid)).steps if s.cited] for rid in ("R9", "R10", "R11")}
    assert len(cited["R9"]) == 1 and "Fubini" in cited["R9"][0]
    assert cited["R10"] == ["Jensen (concave square root) (cited)"]
    assert [c.split(" ")[0] for c in cited["R11"]] == ["Maurer's", "Jensen", "McDiarmid"]


# ---------------------------------------------------------------- the toolkit's MMD against a hand-built one
def _hand_kernel(kernel, X, Y):
    """``k(x_i, y_j) = ⟨ψ(x_i), ψ(y_j)⟩_F`` by two loops over the points, from ψ alone."""
    return np.array([[float(np.sum(kernel.psi(x) * kernel.psi(y))) for y in Y.T] for x in X.T])


def _hand_mmd2(kxx, kyy, kxy, p, q):
    return (sum(p[i] * p[j] * kxx[i, j] for i in range(len(p)) for j in range(len(p)))
            + sum(q[i] * q[j] * kyy[i, j] for i in range(len(q)) for j in range(len(q)))
            - 2 * sum(p[i] * q[j] * kxy[i, j] for i in range(len(p)) for j in range(len(q))))


@pytest.mark.parametrize("seed", range(5))
def test_toolkit_mmd_matches_kernel_matrices_built_by_hand(seed):
    rng = np.random.default_rng(seed)
    kernel = AttentionKernel(rng.normal(size=(2, 3)), rng.normal(0, 0.5, (3, 3)), rng.normal(size=(3, 6)))
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(3, 4)) + 0.5
    kxx, kyy, kxy = _hand_kernel(kernel, X, X), _hand_kernel(kernel, Y, Y), _hand_kernel(kernel, X, Y)
    vx, fx, vy, fy = kernel.values(X), kernel.features(X), kernel.values(Y), kernel.features(Y)
    np.testing.assert_allclose(kernel_matrix(vx, fx, vy, fy), kxy, rtol=1e-12)
    p, q = rng.dirichlet(np.ones(5)), rng.dirichlet(np.ones(4))
    for weights in ((None, None), (p, q)):
        pp = np.full(5, 0.2) if weights[0] is None else p
        qq = np.full(4, 0.25) if weights[1] is None else q
        value, bound = mmd2_from_blocks(vx, fx, vy, fy, *weights)
        assert abs(value - _hand_mmd2(kxx, kyy, kxy, pp, qq)) <= 1e-12 * (1 + abs(value)) and bound < 1e-12
    unbiased = ((kxx.sum() - np.trace(kxx)) / 20 + (kyy.sum() - np.trace(kyy)) / 12 - 2 * kxy.mean())
    assert mmd2_unbiased(kxx, kyy, kxy) == pytest.approx(unbiased, rel=1e-12)
    assert mmd2_biased(kxx, kyy, kxy) != pytest.approx(unbiased, rel=1e-6)


def test_toolkit_mmd_is_exact_on_rationals():
    r = sp.Rational
    vx = np.array([[r(1, 2), r(-1, 3)]], dtype=object)
    fx = np.array([[r(2), r(1, 5)]], dtype=object)
    vy, fy = np.array([[r(3, 7)]], dtype=object), np.array([[r(1, 4)]], dtype=object)
    value, _ = mmd2_from_blocks(vx, fx, vy, fy)
    mean_gap = (vx @ fx.T) / 2 - vy @ fy.T
    assert value == mean_gap[0, 0] ** 2


# ---------------------------------------------------------------- the trust-region solver
@pytest.mark.parametrize("seed", range(20))
def test_trust_region_solver_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    radius, c = rng.uniform(0.1, 3), rng.normal()
    g, Q = rng.normal(size=2) * rng.choice([0.0, 1e-3, 1.0]), rng.normal(size=(2, 2))
    value, certificate = maximise_quadratic_on_ball(c, g, Q, radius)
    angles, radii = np.linspace(0, 2 * np.pi, 2001), np.linspace(0, radius, 401)
    w = (radii[:, None, None] * np.stack([np.cos(angles), np.sin(angles)], -1)[None]).reshape(-1, 2)
    brute = np.max(c + w @ g + np.einsum("ni,ij,nj->n", w, (Q + Q.T) / 2, w))
    assert brute <= value + certificate + 1e-12
    assert value - brute <= 1e-4 * (1 + abs(value))
    assert certificate <= 1e-9 * (1 + abs(value))


def test_loss_supremum_of_one_point_in_closed_form():
    # sup_{|w| <= B} s (v - w f)^2: (|v| + B f)^2 for s = +1, -max(0, |v| - B f)^2 for s = -1
    sups, _ = loss_suprema(np.array([[3.0]]), np.array([[0.5]]), np.array([[1.0], [-1.0]]), 2.0)
    np.testing.assert_allclose(sups, [16.0, -4.0], rtol=1e-12)
    assert empirical_rademacher(np.array([[3.0]]), np.array([[0.5]]), 2.0).value == pytest.approx(6.0)


# ---------------------------------------------------------------- broken variants
def test_r9_bias_slope_n_over_2d_prime_is_refuted():
    broken = with_claim(mmd.R9, "(c)", rhs=mmd.N / (2 * mmd.D_prime) * mmd.MMD)
    report = check(broken)
    assert_refuted_with_counterexample(report, "R9(c)")
    prompts = next(n for n in report.numeric if n.name == "V-statistic on prompts")
    assert prompts.status == "refuted" and "claim (c)" in prompts.detail


def _unbiased_statistic():
    n, m = mmd.n, mmd.m
    within = lambda K, ones, k: (sp.Trace(ones.T * K * ones) - sp.Trace(K)) / (k * (k - 1))  # noqa: E731
    return (within(mmd.K_XX, mmd.ONES_N, n) + within(mmd.K_YY, mmd.ONES_M, m)
            - 2 * sp.Trace(mmd.ONES_N.T * mmd.K_XY * mmd.ONES_M) / (n * m))


def test_r9_unbiased_statistic_in_the_identity_is_refuted():
    report = check(with_step(mmd.R9, "(d)", 1, _unbiased_statistic()))
    assert_refuted_with_counterexample(report, "R9(d) step 2")
    exact = next(n for n in report.numeric if n.name == "exact V-statistic")
    assert exact.status == "refuted" and exact.counterexample


def test_r9_operator_norm_search_finds_a_violation_at_the_maximiser():
    claim = mmd.R9.claim("(g)")
    broken = with_claim(mmd.R9, "(g)", rhs=claim.rhs / 2)
    outcome = mmd.operator_norm_search(broken, np.random.default_rng(0), 2)
    assert outcome.status == "refuted" and outcome.counterexample["instance"].startswith("dense Bias, top")


def _bound_without(factor):
    return rademacher_bound.BOUND_A / factor


def test_r11_sqrt2_dropped_is_refuted():
    report = check(with_step(rademacher_bound.R11, "(a)", 6, _bound_without(sp.sqrt(2))))
    assert_refuted_with_counterexample(report, "R11(a) step 7")


def test_r11_dv_dropped_is_refuted_on_an_instance_with_dv_at_least_2():
    R = rademacher_bound
    pre = sp.sqrt(2) * R.L * R.B / R.N
    broken = R.R11
    for index, expr in ((4, pre * sp.sqrt(sqnorm(R.Phi_S))),
                        (5, pre * sp.sqrt(R.N * R.R_phi**2)), (6, _bound_without(sp.sqrt(R.d_v)))):
        broken = with_step(broken, "(a)", index, expr)
    report = check(broken)
    assert_refuted_with_counterexample(report, "R11(a) step 5 (Rademacher moments)")
    assert report.counterexample["instance"]["d_v"] >= 2


def test_r11_complexity_check_finds_a_bound_that_fails():
    broken = with_claim(rademacher_bound.R11, "(a)", rhs=_bound_without(8))
    outcome = rademacher_bound.complexity_below_bound(broken, np.random.default_rng(0), 4)
    assert outcome.status == "refuted" and outcome.counterexample["R_hat"] > outcome.counterexample["claimed"]


def test_r11_simulation_detects_a_bound_without_its_complexity_terms():
    broken = with_claim(rademacher_bound.R11, "(d)", rhs=rademacher_bound.L_hat)
    outcome = rademacher_bound.generalisation_simulation(broken, np.random.default_rng(0), 4)
    assert outcome.status == "refuted" and outcome.counterexample["failures"] > 0


def test_r10_second_moment_doubled_is_refuted():
    A = generalisation.A
    report = check(with_step(generalisation.R10, "(a)", 0, 2 * sqnorm(A)))
    assert_refuted_with_counterexample(report, "R10(a)")
    assert any(n.status == "refuted" for n in report.numeric)


# ---------------------------------------------------------------- engine extensions used by R9–R11
def test_rademacher_expectation_is_exact_by_enumeration():
    from iclkd.numeric_checks.evaluate import Evaluator
    from iclkd.symbolic.objects import RademacherExpectation

    s, A = sp.MatrixSymbol("sigma", 3, 1), sp.MatrixSymbol("A", 2, 3)
    values = np.array([[sp.Rational(1, 2), 2, -1], [3, sp.Rational(-1, 7), 1]], dtype=object)
    patterns = [np.array([1 - 2 * b for b in bits], dtype=object) for bits in np.ndindex(2, 2, 2)]
    by_hand = sum(sum(x**2 for x in values.dot(signs)) for signs in patterns) / 8
    value = Evaluator({A: values}, exact=True).value(RademacherExpectation(sqnorm(A * s), s)).val
    assert value == by_hand == sum(x**2 for x in values.ravel())


def test_ball_supremum_evaluator_matches_cauchy_schwarz():
    from iclkd.numeric_checks.evaluate import Evaluator
    from iclkd.symbolic.objects import BallSupremum, inner

    W, G, B = sp.MatrixSymbol("W", 2, 3), sp.MatrixSymbol("G", 2, 3), sp.Symbol("B", positive=True)
    g = np.random.default_rng(1).normal(size=(2, 3))
    out = Evaluator({G: g, B: 1.7}).value(BallSupremum(inner(W, G) + 1, W, B))
    assert abs(float(out.val) - (1.7 * np.linalg.norm(g) + 1)) <= 4 * float(out.err) + 1e-15


def test_ball_supremum_refuses_a_function_that_is_not_quadratic():
    from iclkd.numeric_checks.evaluate import EvaluationError, Evaluator
    from iclkd.symbolic.objects import BallSupremum

    W = sp.MatrixSymbol("W", 1, 1)
    with pytest.raises(EvaluationError, match="not .at most. quadratic"):
        Evaluator({}).value(BallSupremum(sp.exp(sp.Trace(W)), W, 1))


def test_bound_uses_hypotheses_but_never_proves_a_false_gap():
    from iclkd.symbolic.rules import prove_nonnegative

    x, R, B, y = sp.symbols("x R B y", positive=True)
    assert prove_nonnegative(2 * R + 2 * B - 2 * x - y, [R - x, B - y])
    assert not prove_nonnegative(R - 2 * x, [R - x])
    assert not prove_nonnegative(2 * R + B - 2 * x - 2 * y, [R - x, B - y])


def test_square_root_error_bound_is_finite_at_zero():
    from iclkd.numeric_checks.evaluate import Evaluator, Value

    x = sp.Symbol("x")
    out = Evaluator({x: Value(np.float64(-1e-17), np.float64(1e-16))}).value(sp.sqrt(x))
    assert out.val == 0 and np.isfinite(out.err) and out.err >= 1e-8


def test_scalar_factors_and_hadamard_sums_are_sound():
    from iclkd.symbolic.rules_matrix import HadamardSum, ScalarFactors

    n = sp.Symbol("n", integer=True, positive=True)
    u, A = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("A", n, n)
    assert ScalarFactors().symbolic(sp.Trace(u * u.T * A), sp.Trace(u.T * A * u), None).equal is True
    assert ScalarFactors().symbolic(sp.Trace(u * u.T * A), 2 * sp.Trace(u.T * A * u), None).equal is not True
    B, one = sp.MatrixSymbol("B", n, n), sp.OneMatrix(n, 1)
    total = sp.Trace(one.T * sp.HadamardProduct(A, B) * one)
    assert HadamardSum().symbolic(total, sp.Trace(A * B.T), None).equal is True
    assert HadamardSum().symbolic(total, sp.Trace(A * B), None).equal is not True


def test_r11_loss_range_search_finds_a_missing_cross_term():
    R = rademacher_bound
    broken = with_claim(R.R11, "(b)", rhs=R.R_v**2 + (R.B * R.R_phi)**2)
    outcome = R.loss_range_search(broken, np.random.default_rng(0), 2)
    assert outcome.status == "refuted" and outcome.counterexample["instance"] == "y opposite v, on the sphere"


@pytest.mark.parametrize("wrong", ["2B for 2R_N", "R_v for c"])
def test_r11_edge_search_refutes_population_losses_that_exceed_d_at_small_scales(wrong):
    # Both survived the random draws of the self-test: false only where c < R_v or L·Rφ < 1/√2.
    import dataclasses

    R = rademacher_bound
    loss = {"2B for 2R_N": R.L_hat + 2 * R.B - R.slack + R.DEVIATION,
            "R_v for c": R.L_hat + 2 * R.R_N - R.slack + R.DEVIATION.subs(R.c, R.R_v)}[wrong]
    definitions = tuple(dataclasses.replace(d, value=loss) if d.symbol == R.L_P else d for d in R.R11.definitions)
    outcome = R.edge_search(dataclasses.replace(R.R11, definitions=definitions), np.random.default_rng(0), 4)
    assert outcome.status == "refuted" and "R11(d) fails on values ×0.01" in outcome.detail
    assert R.edge_search(R.R11, np.random.default_rng(0), 4).status == "passed"
