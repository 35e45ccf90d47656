"""Kernel facts: positive random features are unbiased (R1), their variance (R2), and
their boundedness (R3)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import (PASSED, REFUTED, CheckOutcome, evaluate, feature_product_moment, feature_products,
                           gaussian, mean_test, ZTest)
from iclkd import (Algebra, Bound, Claim, ExpectationLinearity, FeatureAverage, GaussianExpectation,
                   GaussianMGF, inner, NumericCheck, Result, sqnorm, Step, Substitute, TermwiseBound)
from .notation import Omega, a, b, d_k, omega, phi_omega, u

FEATURE_PRODUCT = phi_omega(omega, a) * phi_omega(omega, b)
SMALL_VECTORS = {a: gaussian(0.3), b: gaussian(0.3), u: gaussian(0.5)}
KERNEL_SIZES = {d_k: (1, 2)}
MC_SAMPLES = 40_000


def _light_tailed_pair(rng, max_sum_sq=0.25):
    """Vectors ``a, b`` with ``||a+b||² <= max_sum_sq`` but ``a`` of norm up to 1.5.

    The feature product is lognormal with log-variance ``||a+b||²`` (light tails, so the
    normal approximation of the z-test holds), while ``aᵀb`` ranges far from 0 (so wrong
    constants in front of ``aᵀb`` show).
    """
    k = int(rng.integers(1, 6))
    a_ = rng.normal(size=k)
    a_ *= rng.uniform(0.0, 1.5) / np.linalg.norm(a_)
    c = rng.normal(size=k)
    c *= np.sqrt(max_sum_sq * rng.uniform(0.2, 1.0)) / np.linalg.norm(c)
    return a_, c - a_


def _claimed(result, name, a_, b_):
    env = {a: a_[:, None], b: b_[:, None], d_k: len(a_)}
    return float(evaluate(result.claim(name).rhs, env).val)


def _z_outcome(name, tests: list[tuple[ZTest, dict]], description) -> CheckOutcome:
    worst = max(tests, key=lambda t: abs(t[0].z))
    rel = max(abs(t.estimate - t.claimed) / abs(t.claimed) for t, _ in tests)
    stats = {"max_abs_z": abs(worst[0].z), "z_critical": worst[0].as_dict()["z_critical"]}
    failing = next(((t, inst) for t, inst in tests if not t.passes), None)
    if failing is None:
        return CheckOutcome(name, PASSED, trials=len(tests), max_error=rel, stats=stats, detail=description)
    t, inst = failing
    cex = {**inst, **{k: float(v) for k, v in t.as_dict().items()}}
    return CheckOutcome(name, REFUTED, trials=len(tests), max_error=rel, stats=stats,
                        detail=f"Monte Carlo mean {t.estimate:.6g} vs claimed {t.claimed:.6g}: z = {t.z:.2f}",
                        counterexample=cex)


def unbiasedness_monte_carlo(result, rng, trials):
    """z-test of ``mean φ_ω(a)φ_ω(b)`` against R1's right side; scale from R2's variance."""
    tests = []
    for _ in range(trials):
        a_, b_ = _light_tailed_pair(rng)
        claimed = _claimed(result, "", a_, b_)
        variance = feature_product_moment(2, a_, b_) - feature_product_moment(1, a_, b_) ** 2
        t = mean_test(feature_products(rng, a_, b_, MC_SAMPLES), claimed, variance)
        tests.append((t, {"a": a_.round(6).tolist(), "b": b_.round(6).tolist()}))
    return _z_outcome("monte-carlo mean", tests, "z-test of the mean, scale from the known variance")


def variance_monte_carlo(result, rng, trials):
    """z-tests of R2: the second moment (a), and the squared error of an M-feature average (b)."""
    tests = []
    for _ in range(trials):
        a_, b_ = _light_tailed_pair(rng)
        m1, m2, m4 = (feature_product_moment(k, a_, b_) for k in (1, 2, 4))
        claimed_var = _claimed(result, "(a)", a_, b_)
        x = feature_products(rng, a_, b_, MC_SAMPLES)
        t = mean_test(x**2, claimed_var + m1**2, m4 - m2**2)
        tests.append((t, {"part": "(a) second moment", "a": a_.round(6).tolist(), "b": b_.round(6).tolist()}))
        features = int(rng.integers(2, 9))
        m3 = feature_product_moment(3, a_, b_)
        sigma2 = m2 - m1**2
        mu4 = m4 - 4 * m3 * m1 + 6 * m2 * m1**2 - 3 * m1**4
        var_of_sq = mu4 / features**3 + 3 * (features - 1) * sigma2**2 / features**3 - (sigma2 / features) ** 2
        averages = feature_products(rng, a_, b_, MC_SAMPLES * features).reshape(MC_SAMPLES, features).mean(axis=1)
        t = mean_test((averages - m1) ** 2, claimed_var / features, var_of_sq)
        tests.append((t, {"part": f"(b) average of M={features} features", "a": a_.round(6).tolist(),
                          "b": b_.round(6).tolist()}))
    return _z_outcome("monte-carlo variance", tests, "z-tests with scales from the known fourth moment")


R1 = Result(
    id="R1", label="Lemma 2.1a", title="Positive random features are unbiased",
    claims=(Claim("", GaussianExpectation(FEATURE_PRODUCT, omega), sp.exp(inner(a, b)), proof=(
        Step(GaussianExpectation(sp.exp(inner(omega, a + b)), omega) * sp.exp(-(sqnorm(a) + sqnorm(b)) / 2),
             ExpectationLinearity()),
        Step(sp.exp(sqnorm(a + b) / 2) * sp.exp(-(sqnorm(a) + sqnorm(b)) / 2), GaussianMGF()),
        Step(sp.exp(inner(a, b)), Algebra("polarisation")),
    )),),
    sizes=KERNEL_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo mean", unbiasedness_monte_carlo,
                                 "mean of 40000 feature products, z-test with R2's variance"),),
    references=("Choromanski et al., ICLR 2021, Lemma 1",),
)

R2 = Result(
    id="R2", label="Lemma 2.1b", title="Variance of positive random features",
    claims=(Claim("(a)",
                  GaussianExpectation(FEATURE_PRODUCT**2, omega) - GaussianExpectation(FEATURE_PRODUCT, omega)**2,
                  sp.exp(2 * inner(a, b)) * (sp.exp(sqnorm(a + b)) - 1), proof=(
        Step(GaussianExpectation(sp.exp(inner(omega, 2 * (a + b))), omega) * sp.exp(-sqnorm(a) - sqnorm(b))
             - GaussianExpectation(FEATURE_PRODUCT, omega)**2, ExpectationLinearity()),
        Step(sp.exp(2 * sqnorm(a + b) - sqnorm(a) - sqnorm(b)) - sp.exp(2 * inner(a, b)), GaussianMGF()),
        Step(sp.exp(2 * inner(a, b)) * (sp.exp(sqnorm(a + b)) - 1), Algebra()),
    )),),
    depends_on=("R1",), sizes=KERNEL_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo variance", variance_monte_carlo,
                                 "second moment and the M-feature average's squared error, z-tests",
                                 ),),
    notes="Part (b): the average of M i.i.d. feature products has variance (a)/M (Bienaymé); "
          "checked by the Monte Carlo test.",
    references=("Choromanski et al., ICLR 2021, Lemma 2",),
)

PHI_SQ = phi_omega(omega, u) ** 2

R3 = Result(
    id="R3", label="Boundedness", title="Positive random features are bounded",
    claims=(
        Claim("(a)", 2 * inner(omega, u) - sqnorm(u), sqnorm(omega) - sqnorm(u - omega),
              proof=(Step(sqnorm(omega) - sqnorm(u - omega), Algebra("completing the square")),)),
        Claim("(b)", PHI_SQ, sp.exp(sqnorm(omega)), relation="<=", proof=(
            Step(sp.exp(2 * inner(omega, u) - sqnorm(u)), Algebra()),
            Step(sp.exp(sqnorm(omega) - sqnorm(u - omega)), Substitute("(a)")),
            Step(sp.exp(sqnorm(omega)), Bound("exp is increasing, ||u-ω||² ≥ 0"), relation="<="),
        )),
        Claim("(c)", PHI_SQ.xreplace({u: omega}), sp.exp(sqnorm(omega)),
              proof=(Step(sp.exp(sqnorm(omega)), Algebra("equality at u = ω")),)),
        Claim("(d)", FeatureAverage(PHI_SQ, omega, Omega), FeatureAverage(sp.exp(sqnorm(omega)), omega, Omega),
              relation="<=", proof=(
                  Step(FeatureAverage(sp.exp(sqnorm(omega)), omega, Omega), TermwiseBound("(b)"), relation="<="),)),
    ),
    sizes={d_k: (1, 2, 3)}, samplers=SMALL_VECTORS,
    notes="||φ(u)||² is the average in (d); its right side is R_φ².",
)

RESULTS = (R1, R2, R3)
