"""R11: a Rademacher generalisation bound for the distilled student ``x ↦ W φ(W_K x)``.

Sample: values ``V_S = [v_1 … v_N]`` (``v_i = W_V x_i``) and features ``Φ_S = [φ(k_1) … φ(k_N)]``.
``R̂_S(ℓ∘F_B) = E_σ sup_{||W||_F <= B} (1/N) Σ_i σ_i ||v_i − Wφ_i||²`` (Mohri's definition, no
absolute value). Maurer's vector contraction and McDiarmid/symmetrisation are cited; the
rest is proved. In the instances, ``R_v`` and ``R_φ`` are valid radii built from the sample
(scaled norms), so the cited theorems' hypotheses hold on every instance.
"""
from __future__ import annotations

import itertools
import math

import numpy as np
import sympy as sp

from iclkd.numeric import (PASSED, REFUTED, CheckOutcome, claim_side, constant, either,
                           exact_binomial_upper_p, gaussian, search_violations, uniform)
from .rademacher_estimates import FiniteDistribution, empirical_rademacher, ridge_on_ball
from iclkd import (Algebra, Assumption, BallSupremum, Bound, Cited, Claim, Definition, LinearSupremum,
                   NumericCheck, RademacherExpectation, RademacherMoments, Result, sqnorm, Step, Substitute)
from .generalisation import B, JENSEN
from .notation import M, N, W, d_v

V_S, Phi_S = sp.MatrixSymbol("V_S", d_v, N), sp.MatrixSymbol("Phi_S", M, N)
sigma_N, Sigma = sp.MatrixSymbol("sigma", N, 1), sp.MatrixSymbol("Sigma", d_v, N)
v, y, y2 = (sp.MatrixSymbol(s, d_v, 1) for s in ("v", "y", "y'"))
R_v, R_phi, L, c = (sp.Symbol(s, positive=True) for s in ("R_v", "R_phi", "L", "c"))
s_v, s_phi, share = (sp.Symbol(s, positive=True) for s in ("s_v", "s_phi", "u_R"))
R_N, L_P, L_hat, slack = (sp.Symbol(s, nonnegative=True) for s in ("R_N", "L_P", "L_hat", "slack"))
delta = sp.Symbol("delta", positive=True)

LOSS_SUM = sp.Trace((V_S - W * Phi_S) * sp.DiagMatrix(sigma_N) * (V_S - W * Phi_S).T) / N
R_HAT = RademacherExpectation(BallSupremum(LOSS_SUM, W, B), sigma_N)
BOUND_A = sp.sqrt(2) * L * B * R_phi * sp.sqrt(d_v / N)
DEVIATION = c * sp.sqrt(sp.log(1 / delta) / (2 * N))
NV, NY, NY2 = (sp.sqrt(sqnorm(z)) for z in (v, y, y2))
STEP, N_STEP = y - y2, sp.sqrt(sqnorm(y - y2))

MAURER_BOUND = sp.sqrt(2) * L / N * RademacherExpectation(BallSupremum(sp.Trace(Sigma.T * W * Phi_S), W, B), Sigma)
MCDIARMID_BOUND = L_hat + 2 * R_N + DEVIATION
MAURER = Cited("Maurer's vector contraction",
               "Maurer, ALT 2016, Corollary 1: 𝔼 sup Σᵢ σᵢ hᵢ(f(xᵢ)) ≤ √2·L·𝔼 sup of Σ over i and the outputs k of σ(i, k) f(xᵢ)(k), for "
               "L-Lipschitz hᵢ; here hᵢ(y) = ‖vᵢ − y‖² is L-Lipschitz on ‖y‖ ≤ B·Rφ by (c), extended "
               "to all y by McShane", instance=(R_HAT, MAURER_BOUND))
MCDIARMID = Cited("McDiarmid and symmetrisation (probability at least 1 − δ, uniformly over the ball)",
                  "Mohri, Rostamizadeh, Talwalkar, Foundations of ML, 2nd ed., Thm 3.3 (1st ed. Thm 3.1), "
                  "for a loss with values in [0, c] (by (b))", instance=(L_P, MCDIARMID_BOUND))
R11_SIZES = {N: (1, 2, 3), d_v: (2, 3), M: (1, 2)}
IN_RANGE = (Assumption(R_v - NV >= 0, "‖v‖ ≤ Rv"), Assumption(B * R_phi - NY >= 0, "‖y‖ ≤ B·Rφ"))

CLAIMS = (
    Claim("(a)", R_HAT, BOUND_A, relation="<=", proof=(
        Step(MAURER_BOUND, MAURER, relation="<="),
        Step(sp.sqrt(2) * L / N * RademacherExpectation(B * sp.sqrt(sqnorm(Sigma * Phi_S.T)), Sigma),
             LinearSupremum()),
        Step(sp.sqrt(2) * L * B / N * RademacherExpectation(sp.sqrt(sqnorm(Sigma * Phi_S.T)), Sigma),
             RademacherMoments()),
        Step(sp.sqrt(2) * L * B / N * sp.sqrt(RademacherExpectation(sqnorm(Sigma * Phi_S.T), Sigma)),
             JENSEN, relation="<="),
        Step(sp.sqrt(2) * L * B / N * sp.sqrt(d_v * sqnorm(Phi_S)), RademacherMoments()),
        Step(sp.sqrt(2) * L * B / N * sp.sqrt(d_v * N * R_phi**2), Bound("Σᵢ ‖φ(kᵢ)‖² ≤ N·Rφ² (R3)"),
             relation="<="),
        Step(BOUND_A, Algebra()),
    ), given=(Assumption(N * R_phi**2 - sqnorm(Phi_S) >= 0, "‖φ(kᵢ)‖ ≤ Rφ for every i (R3)"),),
        text="the empirical Rademacher complexity R̂ of the loss class is at most (√2·L·B/N)·√(dv·Σᵢ ‖φ(kᵢ)‖²) ≤ √2·L·B·Rφ·√(dv/N)"),
    Claim("(b)", sqnorm(v - y), c, relation="<=", proof=(
        Step(sqnorm(v - y) + NV * NY * sqnorm(v / NV + y / NY), Bound("add a square"), relation="<="),
        Step((NV + NY)**2, Algebra()),
        Step((R_v + B * R_phi)**2, Bound("‖v‖ ≤ Rv and ‖y‖ ≤ B·Rφ"), relation="<="),
        Step(c, Substitute(c, reverse=True)),
    ), given=IN_RANGE,
        text="the loss ‖v − Wφ‖² lies in [0, c], c = (Rv + B·Rφ)² (y = Wφ has ‖y‖ ≤ B·Rφ)"),
    Claim("(c)", sqnorm(v - y) - sqnorm(v - y2), L * N_STEP, relation="<=", proof=(
        Step(sqnorm(v - y) - sqnorm(v - y2) + NV * N_STEP * sqnorm(v / NV + STEP / N_STEP)
             + NY * N_STEP / 2 * sqnorm(y / NY - STEP / N_STEP) + NY2 * N_STEP / 2 * sqnorm(y2 / NY2 - STEP / N_STEP),
             Bound("add squares"), relation="<="),
        Step((2 * NV + NY + NY2) * N_STEP, Algebra()),
        Step(2 * (R_v + B * R_phi) * N_STEP, Bound("‖v‖ ≤ Rv; ‖y‖, ‖y'‖ ≤ B·Rφ"), relation="<="),
        Step(L * N_STEP, Substitute(L)),
    ), given=(*IN_RANGE, Assumption(B * R_phi - NY2 >= 0, "‖y'‖ ≤ B·Rφ")),
        text="y ↦ ‖v − y‖² is L-Lipschitz on ‖y‖ ≤ B·Rφ with L = 2(Rv + B·Rφ) "
             "(swap y, y' for the other sign)"),
    Claim("(d)", L_P, L_hat + 2 * BOUND_A + DEVIATION, relation="<=", proof=(
        Step(MCDIARMID_BOUND, MCDIARMID, relation="<="),
        Step(L_hat + 2 * BOUND_A + DEVIATION, Bound("the expected complexity is at most (a)"), relation="<="),
    ), given=(Assumption(BOUND_A - R_N >= 0, "the expected complexity (the mean of R̂ over samples) is at most the bound of (a), which holds for every sample"),),
        text="with probability at least 1 − δ, for every W in the ball: population loss ≤ L̂(W) + 2√2·L·B·Rφ·√(dv/N) "
             "+ c sqrt(log(1/δ)/(2N))"),
)

DEFINITIONS = (
    Definition(R_v, s_v * sp.sqrt(sqnorm(V_S) + sqnorm(v)), "a valid Rv: at least every ‖vᵢ‖ and ‖v‖"),
    Definition(R_phi, s_phi * sp.sqrt(sqnorm(Phi_S) + (sqnorm(y) + sqnorm(y2)) / B**2),
               "a valid Rφ: at least every ‖φᵢ‖, and ‖y‖/B, ‖y'‖/B"),
    Definition(L, 2 * (R_v + B * R_phi), "Lipschitz constant L = 2(Rv + B·Rφ)"),
    Definition(c, (R_v + B * R_phi)**2, "loss range c = (Rv + B·Rφ)²"),
    Definition(R_N, share * BOUND_A, "an expected complexity within (a)'s bound"),
    Definition(L_P, L_hat + 2 * R_N + DEVIATION - slack, "a population loss on McDiarmid's event"),
)


def _complexity_instances(rng, trials):
    """Random samples, and ones built to press on (a): N = 1, equal features (Σ||φ_i||² = N R_φ²),
    zero values (only the quadratic part), a large radius, values much longer than ``B||φ||``
    (where ``R̂_S = 2||v||B||φ||`` nearly meets ``L B R_φ``); one sample large enough for Monte Carlo."""
    for trial in range(trials):
        dv, m, size = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 11))
        feats = rng.uniform(0.05, 1.5, (m, size))
        same = np.repeat(rng.uniform(0.05, 1.5, (m, 1)), size, axis=1)
        yield "random", rng.normal(size=(dv, size)), feats, float(rng.uniform(0.1, 3))
        yield "one point", rng.normal(size=(dv, 1)), feats[:, :1], float(rng.uniform(0.1, 3))
        yield "equal features", rng.normal(size=(dv, size)), same, float(rng.uniform(0.1, 3))
        yield "zero values", np.zeros((dv, size)), feats, float(rng.uniform(0.5, 5))
        yield "large radius", rng.normal(size=(dv, size)), same, 50.0
        yield "values ≫ B·features (ratio to the bound without √2 → 1)", 100 * rng.normal(size=(dv, 1)), \
            feats[:, :1], float(rng.uniform(0.1, 1))
    yield "Monte Carlo, N = 40", rng.normal(size=(2, 40)), rng.uniform(0.05, 1.5, (3, 40)), 1.0


def complexity_below_bound(result, rng, trials):
    """``R̂_S`` (exact over every sign pattern for N <= 12, else Monte Carlo with Hoeffding's
    error at 1e-9) against claim (a)'s right side with the tightest radii ``R_v = max||v_i||``,
    ``R_φ = max||φ_i||``. Refuted only when ``R̂_S`` minus its error bound exceeds the claim.
    Where ``R̂_S`` is exact, claim (a)'s left side (the statement's ``R̂_S``, evaluated) must
    equal it within both error bounds: the check reads the statement, not only the bound."""
    closest, count = np.inf, 0
    for label, values, feats, radius in _complexity_instances(rng, trials):
        count += 1
        estimate = empirical_rademacher(values, feats, radius, rng)
        env = {R_v: float(np.max(np.linalg.norm(values, axis=0))), R_phi: float(np.max(np.linalg.norm(feats, axis=0))),
               B: radius, d_v: values.shape[0], N: values.shape[1]}
        claimed = claim_side(result, "(a)", env)
        if estimate.exact:  # the statement's own R̂ (its left side) against the independent one
            stated = claim_side(result, "(a)", {V_S: values, Phi_S: feats, B: radius, d_v: values.shape[0],
                                                N: values.shape[1], M: feats.shape[0]}, side="lhs")
            gap = abs(float(stated.val) - estimate.value)
            if not gap <= estimate.error + 4 * float(stated.err) + 1e-300:
                return CheckOutcome("Rademacher complexity below (a)", REFUTED, trials=count,
                                    detail=f"{label}: the statement's R̂_S = {float(stated.val):.6g}, but the "
                                           f"Rademacher complexity is {estimate.value:.6g} ± {estimate.error:.2g}",
                                    counterexample={"instance": label, "N": values.shape[1], "B": radius,
                                                    "stated": float(stated.val), "R_hat": estimate.value,
                                                    "values": np.round(values, 6).tolist(),
                                                    "features": np.round(feats, 6).tolist()})
        excess = estimate.value - estimate.error - float(claimed.val) - 4 * float(claimed.err)
        closest = min(closest, float(claimed.val) - estimate.value)
        if excess > 0:
            return CheckOutcome("Rademacher complexity below (a)", REFUTED, trials=count,
                                detail=f"{label}: R̂_S = {estimate.value:.6g} ± {estimate.error:.2g} exceeds "
                                       f"the claimed bound {float(claimed.val):.6g}",
                                counterexample={"instance": label, "N": values.shape[1], "d_v": values.shape[0],
                                                "B": radius, "R_hat": estimate.value, "claimed": float(claimed.val),
                                                "values": np.round(values, 6).tolist(),
                                                "features": np.round(feats, 6).tolist()})
    return CheckOutcome("Rademacher complexity below (a)", PASSED, trials=count, stats={"smallest_margin": closest},
                        detail="R̂_S by trust-region suprema over every sign pattern (and Monte Carlo at N = 40)")


def _range_instances(rng, trials):
    """(b) and (c) at their boundaries: ``||v|| = R_v``, ``||y|| = B R_φ``, ``y`` opposite to ``v``
    (equality in (b)), ``y'`` a tiny step from ``y`` (near equality in (c)); and random points."""
    for _ in range(trials):
        dv = int(rng.integers(1, 4))
        v_, direction = rng.normal(size=(dv, 1)), rng.normal(size=(dv, 1))
        radius, r_phi = float(rng.uniform(0.2, 2)), float(rng.uniform(0.2, 2))
        reach = radius * r_phi
        opposite = -v_ / np.linalg.norm(v_) * reach
        step = opposite + 1e-6 * direction
        step *= min(1.0, reach / np.linalg.norm(step))
        inside = direction / np.linalg.norm(direction) * reach * rng.uniform()
        for label, y_, y2_ in (("y opposite v, on the sphere", opposite, step),
                               ("y' = y", opposite, opposite), ("random inside", inside, -inside)):
            yield label, {v: v_, y: y_, y2: y2_, R_v: float(np.linalg.norm(v_)), R_phi: r_phi, B: radius}


def loss_range_search(result, rng, trials):
    """Claims (b) (the loss range) and (c) (the Lipschitz bound) at their equality cases."""
    first = search_violations("loss range and Lipschitz", result, "(b)", _range_instances(rng, trials))
    if not first.ok:
        return first
    second = search_violations("loss range and Lipschitz", result, "(c)", _range_instances(rng, trials),
                               "the loss range and the Lipschitz bound at ‖v‖ = Rv, ‖y‖ = B·Rφ, y opposite v")
    second.trials += first.trials
    return second


EDGE_SCALES = {"values": (0.01, 1.0), "features": (0.01, 1.0), "B": (0.02, 2.0), "N": (1, 3), "delta": (0.01, 0.9)}
EDGE_COMBINATIONS = math.prod(len(options) for options in EDGE_SCALES.values())


def _edge_instances(rng, trials):
    """(d) at its edge (slack 0, R_N at (a)'s bound, the tightest radii s_v = s_φ = 1) on every
    combination of small and large values, features and radius, N = 1 or 3, δ small or large:
    where c < 1, L·Rφ < 1 or c < Rv, so that a constant or a symbol wrong in (d) shows."""
    for _ in range(max(1, trials // 4)):
        for scale, feature, radius, size, conf in itertools.product(*EDGE_SCALES.values()):
            dv, m = int(rng.choice(R11_SIZES[d_v])), int(rng.choice(R11_SIZES[M]))
            env = {V_S: scale * rng.normal(size=(dv, size)), v: scale * rng.normal(size=(dv, 1)),
                   y: scale * rng.normal(size=(dv, 1)), y2: scale * rng.normal(size=(dv, 1)),
                   Phi_S: feature * rng.uniform(0.05, 1.5, (m, size)), B: radius, delta: conf,
                   s_v: 1.0, s_phi: 1.0, share: 1.0, slack: 0.0, L_hat: float(rng.uniform(0, 2))}
            yield f"values ×{scale}, features ×{feature}, B = {radius}, N = {size}, δ = {conf}", env


def edge_search(result, rng, trials):
    """Claim (d) where it holds with equality, on scales that the random draws rarely combine."""
    return search_violations("edge of (d)", result, "(d)", _edge_instances(rng, trials),
                             f"claim (d) with slack 0 and R_N at (a)'s bound on {EDGE_COMBINATIONS} combinations of scales")


SIMULATIONS, SAMPLE_SIZE, P_VALUE_THRESHOLD = 2000, 12, 1e-9


def _finite_distribution(rng):
    """``P`` uniform on 40 atoms in [−1, 1]²; values and random features of fixed projections."""
    atoms = rng.uniform(-1, 1, (2, 40))
    W_V, W_K, omegas = rng.normal(0, 0.8, (2, 2)), rng.normal(0, 0.5, (2, 2)), rng.standard_normal((2, 4))
    keys = W_K @ atoms
    feats = np.exp(omegas.T @ keys - np.sum(keys**2, axis=0) / 2) / 2
    return FiniteDistribution(W_V @ atoms, feats)


def generalisation_simulation(result, rng, trials):
    """Draw ``S ~ P^N`` many times from a finitely supported ``P`` (exact ``L_P``), fit the ridge
    minimiser rescaled to ``||W||_F = B`` and count how often claim (d) fails; an exact binomial
    test against the rate ``δ`` (p-value threshold 1e-9). ``R_v``, ``R_φ`` are the support's maxima."""
    dist = _finite_distribution(rng)
    feats, atoms = dist.feats, dist.feats.shape[1]
    population_ridge = dist.values @ feats.T @ np.linalg.inv(feats @ feats.T + 1e-2 * atoms * np.eye(len(feats)))
    radius = float(np.linalg.norm(population_ridge))
    samples = [rng.integers(0, dist.values.shape[1], SAMPLE_SIZE) for _ in range(SIMULATIONS)]
    fitted = [ridge_on_ball(dist.values[:, s], dist.feats[:, s], radius) for s in samples]
    empirical = np.array([dist.loss(w, s) for w, s in zip(fitted, samples)])
    population = np.array([dist.loss(w) for w in fitted])
    env = {R_v: dist.value_radius, R_phi: dist.feature_radius, B: radius, d_v: 2, N: SAMPLE_SIZE}
    stats = {}
    for level in (0.9, 0.5, 0.05):
        bound = claim_side(result, "(d)", {**env, L_hat: empirical, delta: level})
        failures = int(np.sum(population > np.asarray(bound.val) + 4 * np.asarray(bound.err)))
        p_value = exact_binomial_upper_p(failures, SIMULATIONS, level)
        stats[f"failure_rate_delta_{level}"] = failures / SIMULATIONS
        stats[f"min_slack_delta_{level}"] = float(np.min(np.asarray(bound.val) - population))
        if p_value < P_VALUE_THRESHOLD:
            return CheckOutcome("generalisation simulation", REFUTED, trials=SIMULATIONS, stats=stats,
                                detail=f"(d) failed in {failures} of {SIMULATIONS} samples at δ = {level} "
                                       f"(binomial p = {p_value:.2g})",
                                counterexample={"delta": level, "failures": failures, "B": radius,
                                                "R_v": dist.value_radius, "R_phi": dist.feature_radius})
    return CheckOutcome("generalisation simulation", PASSED, trials=3 * SIMULATIONS, stats=stats,
                        detail="failure rate of (d) consistent with at most δ (exact binomial test)")


R11 = Result(
    id="R11", label="Theorem (generalisation)", title="A Rademacher bound for the distilled student",
    claims=CLAIMS, definitions=DEFINITIONS, depends_on=("R3", "R10"),
    assumptions=(Assumption(B > 0, "B > 0"), Assumption(delta > 0, "δ ∈ (0, 1)")),
    sizes=R11_SIZES,
    # Half the draws put (d) at its edge (slack 0, R_N at (a)'s bound) or make values 10 times
    # smaller (a loss range c below 1, L below N): where a wrong constant in (d) first shows.
    samplers={Phi_S: uniform(0.05, 1.5), s_v: uniform(1.0, 1.5), s_phi: uniform(1.0, 1.5),
              share: either(uniform(0.0, 1.0), constant(1)), slack: either(uniform(0.0, 1.0), constant(0)),
              delta: uniform(0.01, 0.99), B: either(uniform(0.2, 2.0), uniform(0.02, 0.2)), L_hat: uniform(0.0, 2.0),
              **{z: either(gaussian(0.5), gaussian(0.05)) for z in (V_S, v, y, y2)}},
    numeric_checks=(NumericCheck("Rademacher complexity below (a)", complexity_below_bound,
                                 "R̂ by exact trust-region suprema against the claimed bound"),
                    NumericCheck("loss range and Lipschitz", loss_range_search,
                                 "claims (b), (c) at their equality cases"),
                    NumericCheck("edge of (d)", edge_search,
                                 "claim (d) at equality on every combination of small and large scales"),
                    NumericCheck("generalisation simulation", generalisation_simulation,
                                 "failure rate of (d) on a finitely supported P, exact binomial test")),
    notes="Caveat: with Rφ² = (1/M)·Σₘ exp(‖ωₘ‖²) from R3, 𝔼[Rφ²] = 𝔼 exp(‖ω‖²) = ∞ and in practice "
          "Rφ² "
          "grows roughly like M, so the bound is valid but loose; a data-dependent Rφ (the supremum of ‖φ‖ "
          "over the keys' actual range, as in the simulation) tightens it. The features ω are fixed (everything "
          "is conditional on them). In (d) the instances are drawn on McDiarmid's event; the simulation tests "
          "the probability statement.",
    references=("Maurer, A vector-contraction inequality for Rademacher complexities, ALT 2016",
                "Mohri, Rostamizadeh, Talwalkar, Foundations of Machine Learning, 2nd ed., 2018"),
)

RESULTS = (R11,)
