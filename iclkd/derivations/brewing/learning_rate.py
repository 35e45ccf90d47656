"""R12: the effective learning rate ``η̄ = N/(2Z)`` and its dependence on the scores;
R13: domain stationarity, ``E e^{kᵀq} = exp(μᵀq + qᵀΣq/2)`` for keys ``k ~ N(μ, Σ)``.

For R12 the total ``Z = Σ_i e^{s_i}`` is split as ``e^{s_j} + R_j`` with ``R_j = Σ_{i≠j} e^{s_i} > 0``
free of ``s_j`` (the derivative in one score), and kept as a sum over ``N + T`` tokens for the
shift. For R13 the keys are written ``k = μ + Lz``, ``z ~ N(0, I)``, ``Σ = LLᵀ``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import PASSED, REFUTED, Z_CRITICAL, CheckOutcome, claim_side, gaussian, mean_test, uniform
from .tokens import positive_features
from iclkd import (Algebra, Assumption, Bound, Claim, Definition, ExpectationLinearity, GaussianExpectation,
                   GaussianMGF, inner, NumericCheck, Result, ScalarDerivative, sqnorm, Step, Substitute)
from .notation import N, T, a, b, d_k, omega, phi_omega

k, q = sp.MatrixSymbol("k", d_k, 1), sp.MatrixSymbol("q", d_k, 1)
s_j, c_shift, alignment = sp.Symbol("s_j", real=True), sp.Symbol("c", real=True), sp.Symbol("alpha", real=True)
R_j, spread = sp.Symbol("R_j", positive=True), sp.Symbol("kappa", nonnegative=True)
scores = sp.MatrixSymbol("s", N + T, 1)
i = sp.Symbol("i", integer=True)

ETA_BAR = N / (2 * (sp.exp(s_j) + R_j))


def eta_of_scores(shift=0):
    """``η̄ = N / (2 Σ_i e^{s_i + shift})`` over the ``N + T`` tokens.

    >>> eta_of_scores().has(sp.Sum)
    True
    """
    return N / (2 * sp.Sum(sp.exp(scores[i, 0] + shift), (i, 0, N + T - 1)))


def _feature_product_covariance(keys, query):
    """``Cov(φ_ω(k_a)φ_ω(q), φ_ω(k_b)φ_ω(q))`` for all pairs, by the Gaussian MGF."""
    sq = np.sum(keys**2, axis=1)
    pair = keys[:, None, :] + keys[None, :, :] + 2 * query
    second = np.exp(np.sum(pair**2, axis=-1) / 2 - (sq[:, None] + sq[None, :] + 2 * query @ query) / 2)
    means = np.exp(keys @ query)
    return second - np.outer(means, means)


def normaliser_concentration(result, rng, trials):
    """z-test of ``D' = (1/M) Σ_m Σ_j φ_{ω_m}(k_j) φ_{ω_m}(q)`` against ``Σ_j`` of claim (a)'s right
    side, with the variance from the Gaussian MGF; ``η* = N/(2D')`` then sits near ``η̄``."""
    tests, worst_eta = [], 0.0
    for _ in range(trials):
        dim, tokens, feats = int(rng.integers(1, 5)), int(rng.integers(2, 9)), 20_000
        keys, query = rng.normal(0, 0.25, (tokens, dim)), rng.normal(0, 0.25, dim)
        claimed = sum(float(claim_side(result, "(a)", {k: key[:, None], q: query[:, None]}).val) for key in keys)
        omegas = rng.standard_normal((dim, feats))
        per_feature = np.array([positive_features(omegas, key) for key in keys]).sum(axis=0) \
            * positive_features(omegas, query) * feats
        variance = float(np.sum(_feature_product_covariance(keys, query)))
        tests.append((mean_test(per_feature, claimed, variance), tokens))
        worst_eta = max(worst_eta, abs(claimed / per_feature.mean() - 1))
    worst, tokens = max(tests, key=lambda t: abs(t[0].z))
    stats = {"max_abs_z": abs(worst.z), "z_critical": Z_CRITICAL, "max_relative_eta_gap": worst_eta}
    if worst.passes:
        return CheckOutcome("normaliser concentration", PASSED, trials=len(tests), stats=stats,
                            max_error=max(abs(t.estimate / t.claimed - 1) for t, _ in tests),
                            detail="E[D'] = Z (z-test, known variance); η* = N/(2D') within the reported gap of η̄")
    return CheckOutcome("normaliser concentration", REFUTED, trials=len(tests), stats=stats,
                        detail=f"mean D' {worst.estimate:.6g} vs claimed Z {worst.claimed:.6g}, z = {worst.z:.2f}",
                        counterexample={"tokens": tokens, **worst.as_dict()})


R12 = Result(
    id="R12", label="Dynamic learning rate", title="The effective learning rate falls as a key aligns with the query",
    claims=(
        Claim("(a)", GaussianExpectation(phi_omega(omega, k) * phi_omega(omega, q), omega), sp.exp(inner(k, q)),
              proof=(Step(sp.exp(inner(k, q)), Substitute("R1", {a: k, b: q})),),
              text="each feature product has mean exp(sⱼ) (R1), so D' has mean Z = Σⱼ exp(sⱼ) and η* concentrates "
                   "at N/(2Z)"),
        Claim("(b)", sp.Derivative(ETA_BAR, s_j), -N * sp.exp(s_j) / (2 * (sp.exp(s_j) + R_j)**2), proof=(
            Step(-N * sp.exp(s_j) / (2 * (sp.exp(s_j) + R_j)**2), ScalarDerivative()),),
            text="∂η/∂sⱼ = −N·exp(sⱼ)/(2Z²) with Z = exp(sⱼ) + Rⱼ"),
        Claim("(c)", sp.Derivative(ETA_BAR, s_j), sp.Integer(0), relation="<", proof=(
            Step(-N * sp.exp(s_j) / (2 * (sp.exp(s_j) + R_j)**2), Substitute("(b)")),
            Step(sp.Integer(0), Bound("N > 0 and exp(sⱼ) > 0", strict=True), relation="<"),
        ), text="the more a key agrees with the query, the smaller the effective learning rate"),
        Claim("(d)", eta_of_scores(c_shift), sp.exp(-c_shift) * eta_of_scores(), proof=(
            Step(sp.exp(-c_shift) * eta_of_scores(), Algebra("Σᵢ exp(sᵢ + c) = exp(c)·Σᵢ exp(sᵢ)")),),
            text="shifting every score by c multiplies N/(2Z) by exp(−c)"),
    ),
    assumptions=(Assumption(N > 0, "N > 0"), Assumption(R_j > 0, "Rⱼ, the sum of exp(sᵢ) over i ≠ j, is positive")),
    depends_on=("R1",),
    sizes={d_k: (1, 2), N: (1, 2, 3), T: (1, 2)},
    samplers={k: gaussian(0.3), q: gaussian(0.3), R_j: uniform(0.1, 5.0), s_j: uniform(-2.0, 2.0)},
    numeric_checks=(NumericCheck("normaliser concentration", normaliser_concentration,
                                 "D' against Z = Σⱼ exp(sⱼ), z-test with the variance from the Gaussian MGF"),),
    notes="η* = N/(2D') is a ratio: its mean exceeds N/(2Z) by Jensen, so the check tests the concentration of D' at Z "
          "(an unbiased mean, z-test with the known variance), not the mean of η*.",
)

mu, z = sp.MatrixSymbol("mu", d_k, 1), sp.MatrixSymbol("z", d_k, 1)
L_chol, Sigma_keys = sp.MatrixSymbol("L_Sigma", d_k, d_k), sp.MatrixSymbol("Sigma_k", d_k, d_k)
Z_limit, eta_limit = sp.Symbol("Z_infty", positive=True), sp.Symbol("eta_infty", positive=True)
MGF = sp.exp(inner(mu, q) + sp.Trace(q.T * Sigma_keys * q) / 2)
ETA_LIMIT = N / (2 * (N + T)) * sp.exp(-alignment - spread / 2)


def stationary_keys_monte_carlo(result, rng, trials):
    """Keys ``k_j ~ N(μ, Σ)``: z-test of ``Z/(N+T) = mean e^{k_jᵀq}`` against claim (a)'s right side
    (the law of large numbers), variance ``e^{2μᵀq + 2qᵀΣq} − e^{2μᵀq + qᵀΣq}`` (lognormal)."""
    tests = []
    for _ in range(trials):
        dim, tokens = int(rng.integers(1, 5)), 40_000
        mean, query = rng.normal(0, 0.5, dim), rng.normal(0, 0.4, dim)
        chol = np.tril(rng.normal(0, 0.4, (dim, dim)))
        spread_ = float(query @ chol @ chol.T @ query)
        if spread_ > 0.5:  # keep the lognormal light-tailed, so the normal approximation holds
            query, spread_ = query * np.sqrt(0.5 / spread_), 0.5
        variance = np.exp(2 * mean @ query + 2 * spread_) - np.exp(2 * mean @ query + spread_)
        claimed = float(claim_side(result, "(a)", {mu: mean[:, None], q: query[:, None], L_chol: chol}).val)
        keys = mean + rng.standard_normal((tokens, dim)) @ chol.T
        tests.append(mean_test(np.exp(keys @ query), claimed, variance))
    worst = max(tests, key=lambda t: abs(t.z))
    stats = {"max_abs_z": abs(worst.z), "z_critical": Z_CRITICAL}
    if worst.passes:
        return CheckOutcome("stationary keys", PASSED, trials=len(tests), stats=stats,
                            max_error=max(abs(t.estimate / t.claimed - 1) for t in tests),
                            detail="Z/(N+T) → exp(μᵀq + qᵀΣq/2): z-test with the lognormal variance")
    return CheckOutcome("stationary keys", REFUTED, trials=len(tests), stats=stats,
                        detail=f"mean e^(kᵀq) {worst.estimate:.6g} vs claimed {worst.claimed:.6g}, z = {worst.z:.2f}",
                        counterexample=worst.as_dict())


R13 = Result(
    id="R13", label="Domain stationarity", title="Gaussian keys: the effective learning rate in the limit",
    claims=(
        Claim("(a)", GaussianExpectation(sp.exp(inner(mu + L_chol * z, q)), z), MGF, proof=(
            Step(sp.exp(inner(mu, q)) * GaussianExpectation(sp.exp(inner(z, L_chol.T * q)), z), ExpectationLinearity()),
            Step(sp.exp(inner(mu, q)) * sp.exp(sqnorm(L_chol.T * q) / 2), GaussianMGF()),
            Step(sp.exp(inner(mu, q) + sp.Trace(q.T * L_chol * L_chol.T * q) / 2), Algebra()),
            Step(MGF, Substitute(Sigma_keys)),
        ), text="k = μ + Lz ∼ N(μ, Σ) with Σ = LLᵀ: 𝔼 exp(kᵀq) = exp(μᵀq + qᵀΣq/2)"),
        Claim("(b)", eta_limit, N / (2 * (N + T)) * sp.exp(-inner(mu, q) - sp.Trace(q.T * Sigma_keys * q) / 2),
              proof=(Step(N / (2 * (N + T) * MGF), Substitute((eta_limit, Z_limit))),
                     Step(N / (2 * (N + T)) * sp.exp(-inner(mu, q) - sp.Trace(q.T * Sigma_keys * q) / 2), Algebra())),
              text="by the law of large numbers Z/(N+T) → (a), so η* ≈ N/(2 Z∞) "
                   "= N/(2(N+T)) exp(−μᵀq − qᵀΣq/2)"),
        Claim("(c)", sp.Derivative(ETA_LIMIT, alignment), sp.Integer(0), relation="<", proof=(
            Step(-ETA_LIMIT, ScalarDerivative()),
            Step(sp.Integer(0), Bound("η > 0", strict=True), relation="<"),
        ), text="η* decreases in the alignment α = μᵀq (κ = qᵀΣq fixed)"),
    ),
    definitions=(Definition(Sigma_keys, L_chol * L_chol.T, "Σ = LLᵀ"),
                 Definition(Z_limit, (N + T) * MGF, "Z∞ = (N+T)·𝔼 exp(kᵀq), the limit of Z"),
                 Definition(eta_limit, N / (2 * Z_limit), "η∞ = N/(2 Z∞)")),
    assumptions=(Assumption(N > 0, "N > 0"),),
    depends_on=("R1", "R12"),
    sizes={d_k: (1, 2, 3), N: (1, 2, 3), T: (1, 2)},
    samplers={mu: gaussian(0.5), q: gaussian(0.5), L_chol: gaussian(0.3), alignment: uniform(-2.0, 2.0),
              spread: uniform(0.0, 2.0)},
    numeric_checks=(NumericCheck("stationary keys", stationary_keys_monte_carlo,
                                 "Z/(N+T) against the Gaussian MGF, z-test with the lognormal variance"),),
    notes="η* ≈ N/(2(N+T)) · exp(−μᵀq − qᵀΣq/2): proportional to 1/D' and decreasing in the alignment "
          "μᵀq.",
)

RESULTS = (R12, R13)
