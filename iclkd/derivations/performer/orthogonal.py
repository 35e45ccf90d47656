"""Orthogonal random features (P8): unbiased by rotation invariance (cited), and a smaller MSE
for positive features (the paper's theorem: cited, checked by Monte Carlo only)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd import Assumption, Cited, Claim, Definition, NumericCheck, Result, Step, Substitute, inner
from iclkd.numeric import PASSED, REFUTED, Z_CRITICAL, CheckOutcome, mean_test, uniform

from . import monte_carlo as mc
from .mse import MSE_POSITIVE, POSITIVE_CLOSED
from .notation import E, HYPERBOLIC_DRAW, NORMS, POSITIVE_DRAW, S_SQ, SM, m, omega, x, y
from .unbiased import KERNEL_SIZES, REFERENCE, SMALL_VECTORS

TRIG_MEAN = sp.exp(NORMS / 2) * E(sp.cos(inner(omega, x - y)))
K_plus, K_hyp, K_trig = (sp.Symbol(n, real=True) for n in ("K_ort_plus", "K_ort_hyp", "K_ort_trig"))
MSE_ort, MSE_iid = sp.Symbol("MSE_ort", nonnegative=True), sp.Symbol("MSE_iid", nonnegative=True)
share = sp.Symbol("share", positive=True)


def rotation_invariance(mean_symbol, mean):
    return Cited("rotation invariance: each ω_i = ρ_i u_i is marginally N(0, I_d); linearity of expectation "
                 "over the m marginals",
                 "the Gaussian N(0, I_d) is the law of ρu with u uniform on the sphere, ρ ~ χ_d independent",
                 instance=(mean_symbol, mean))


class StrictCited(Cited):
    """A cited theorem that states a strict inequality."""

    relations = ("<",)


VARIANCE_REDUCTION = StrictCited("orthogonal random features reduce the MSE of positive features (m > 1, x + y ≠ 0)",
                                 f"{REFERENCE}, Theorem (orthogonal random features)",
                                 instance=(MSE_ort, MSE_iid))


def unbiased_claim(name, symbol, mean, ref):
    return Claim(name, symbol, SM, proof=(Step(mean, rotation_invariance(symbol, mean)),
                                          Step(SM, Substitute(ref))),
                 text=f"the estimator stays unbiased with orthogonal draws (by {ref})")


def orthogonal_mse_check(result, rng, trials):
    """z-tests of ``mean((Ô − SM)² − (Î − SM)²)`` over ``REPLICATIONS`` pairs of an orthogonal
    estimator ``Ô`` and an i.i.d. one ``Î`` (m draws each), scale from the variance of the
    difference measured on an independent pilot batch (the i.i.d. draws share the orthogonal ones' radii). The claim's direction is read from the
    statement: ``MSE_ort < MSE_iid`` is refuted when the difference is significantly positive."""
    claim = result.claim("(d)")
    sign = 1.0 if claim.lhs == MSE_ort else -1.0  # the claim says sign·(ort − iid) < 0
    tests, worst = [], -np.inf
    for _ in range(max(1, trials // 2)):
        for dim, draws_m in MSE_SETTINGS:
            x_, y_ = _pair(rng, dim)
            diff = _difference(rng, x_, y_, dim, draws_m, REPLICATIONS)
            pilot = _difference(rng, x_, y_, dim, draws_m, PILOT)
            t = mean_test(sign * diff, 0.0, float(np.var(pilot)))
            worst = max(worst, t.z)
            if t.z > Z_CRITICAL:
                return CheckOutcome("monte-carlo MSE difference", REFUTED, trials=len(tests) + 1,
                                    detail=f"sign·(MSE_ort − MSE_iid) = {t.estimate:.3g}, z = {t.z:.2f} > {Z_CRITICAL:.2f}",
                                    counterexample=mc.instance(x_, y_, d=dim, m=draws_m, z=t.z))
            tests.append(t)
    return CheckOutcome("monte-carlo MSE difference", PASSED, trials=len(tests),
                        stats={"max_z": worst, "z_critical": Z_CRITICAL},
                        detail="one-sided z-tests of the difference of empirical MSEs (orthogonal − i.i.d.)")


REPLICATIONS, PILOT = 200_000, 10_000


MSE_SETTINGS = ((4, 4), (3, 3), (6, 6), (5, 3))


def _pair(rng, dim):
    """``x`` of norm 0.3 and ``y`` near it: ``x + y`` far from 0, where the reduction is largest."""
    x_ = rng.normal(size=dim)
    x_ *= 0.3 / np.linalg.norm(x_)
    return x_, x_ + 0.03 * rng.normal(size=dim)


def _difference(rng, x_, y_, dim, draws_m, n):
    return mc.coupled_squared_error_difference(rng, x_, y_, dim, draws_m, n)


def orthogonal_mean_check(result, rng, trials):
    """z-tests of the orthogonal positive estimator's mean against claim (a); the variance of an
    average of m identically distributed draws is at most one draw's (Cauchy–Schwarz)."""
    tests = []
    for _ in range(trials):
        dim, draws_m = int(rng.integers(2, 6)), 2
        x_, y_ = mc.light_tailed_pair(rng)
        x_, y_ = np.resize(x_, dim) / np.sqrt(dim), np.resize(y_, dim) / np.sqrt(dim)
        est = mc.orthogonal_estimates(rng, x_, y_, dim, draws_m, 20_000)
        bound = mc.moment("positive", 2, x_, y_) - mc.moment("positive", 1, x_, y_) ** 2
        claimed = float(np.exp(x_ @ y_)) if result.claim("(a)").rhs == SM else np.nan
        tests.append((mean_test(est, claimed, bound), mc.instance(x_, y_, d=dim, m=draws_m)))
    return mc.z_outcome("monte-carlo mean (orthogonal)", tests, "z-test, scale from one draw's variance (an upper bound)")


P8 = Result(
    id="P8", label="Orthogonal random features", title="Orthogonal random features: unbiased, smaller MSE",
    claims=(
        unbiased_claim("(a)", K_plus, E(POSITIVE_DRAW), "P1"),
        unbiased_claim("(b)", K_hyp, E(HYPERBOLIC_DRAW), "P2"),
        unbiased_claim("(c)", K_trig, TRIG_MEAN, "P3(b)"),
        Claim("(d)", MSE_ort, MSE_iid, relation="<", proof=(Step(MSE_iid, VARIANCE_REDUCTION, relation="<"),),
              given=(Assumption(m > 1, "m > 1"), Assumption(S_SQ > 0, "x + y ≠ 0")),
              text="MSE(SM⁺_m) with orthogonal draws < MSE(SM⁺_m) with i.i.d. draws"),
        Claim("(e)", MSE_iid, MSE_POSITIVE, proof=(Step(POSITIVE_CLOSED, Substitute(MSE_iid)),
                                                   Step(MSE_POSITIVE, Substitute("P4(a)", reverse=True))),
              text="the i.i.d. MSE in (d) is the variance of one positive draw over m (P4(a))"),
    ),
    definitions=(
        Definition(K_plus, E(POSITIVE_DRAW), "the mean of one orthogonal positive draw (marginally Gaussian)"),
        Definition(K_hyp, E(HYPERBOLIC_DRAW), "the mean of one orthogonal hyperbolic draw"),
        Definition(K_trig, TRIG_MEAN, "the mean of one orthogonal trigonometric draw"),
        Definition(MSE_iid, POSITIVE_CLOSED, "the i.i.d. MSE, P4(a)"),
        Definition(MSE_ort, (1 - share) * MSE_iid, "an orthogonal MSE as the cited theorem says (share ∈ (0, 1))"),
    ),
    depends_on=("P1", "P2", "P3", "P4"), sizes={**KERNEL_SIZES, m: (2, 3)},
    samplers={**SMALL_VECTORS, share: uniform(0.05, 0.95)},
    numeric_checks=(NumericCheck("monte-carlo mean (orthogonal)", orthogonal_mean_check,
                                 "orthogonal draws, z-test of the mean"),
                    NumericCheck("monte-carlo MSE difference", orthogonal_mse_check,
                                 "orthogonal vs i.i.d. empirical MSEs at (d, m) = (4, 4), (3, 3), (6, 6), (5, 3)")),
    notes="Claims (a)–(c) rest on the cited rotation invariance; (d) is the paper's theorem, cited and "
          "never counted as proved: only the Monte Carlo test checks it.",
    references=(f"{REFERENCE}, orthogonal random features",),
)

RESULTS = (P8,)
