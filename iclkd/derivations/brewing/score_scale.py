"""R16: the variance-optimal split of the score scale between keys and query.

Scores ``s_i = k_iᵀq`` do not change under ``k → αk``, ``q → q/α``, but the random-feature
variance of R2 does. This module states and proves the one-key facts (the invariance, the
expansion of ``||αk + q/α||²``, its minimiser ``α² = ||q||/||k||`` with minimum
``2(||k|| ||q|| + kᵀq)``, stationarity and convexity in ``t = log α²``), the pairwise exponent
and the per-feature covariance behind the many-key variance of ``D'``; and it provides the
numbers: the variance constants of ``D'`` and of R4's estimate for a real set of keys, and
the balanced split that minimises them (used by ``iclkd model-check``).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from iclkd.numeric import PASSED, REFUTED, CheckOutcome, evaluate, gaussian, mean_test, ZTest
from iclkd import (Algebra, Bound, Claim, ExpectationLinearity, GaussianExpectation, GaussianMGF, inner,
                   NumericCheck, Result, sqnorm, Step, Substitute)
from .notation import d_k, omega, phi_omega

k = sp.MatrixSymbol("k", d_k, 1)
q = sp.MatrixSymbol("q", d_k, 1)
k_i = sp.MatrixSymbol("k_i", d_k, 1)
k_j = sp.MatrixSymbol("k_j", d_k, 1)
alpha = sp.Symbol("alpha", positive=True)
delta = sp.Symbol("delta", real=True)
t_1, t_2 = sp.Symbol("t_1", real=True), sp.Symbol("t_2", real=True)

NORM_K, NORM_Q = sp.sqrt(sqnorm(k)), sp.sqrt(sqnorm(q))
ALPHA_STAR = sp.sqrt(NORM_Q / NORM_K)           # α*² = ||q||/||k||
MINIMUM = 2 * (NORM_K * NORM_Q + inner(k, q))


def split_sqnorm(a, key=k):
    """``||a·key + q/a||²``, the log-variance of one feature product at split ``a``.

    >>> split_sqnorm(alpha)
    Trace((alpha*k.T + 1/alpha*q.T)*(alpha*k + 1/alpha*q))
    """
    return sqnorm(a * key + q / a)


def expanded(a, key=k):
    """``a²||key||² + ||q||²/a² + 2 keyᵀq`` (the right side of R16(b))."""
    return a**2 * sqnorm(key) + sqnorm(q) / a**2 + 2 * inner(key, q)


def in_t(t):
    """``f(t) = ||e^{t/2}k + e^{-t/2}q||²``: the one-key log-variance as a function of ``t = log α²``."""
    return split_sqnorm(sp.exp(t / 2))


U_I, U_J = alpha * k_i + q / alpha, alpha * k_j + q / alpha
S_I, S_J = inner(k_i, q), inner(k_j, q)
X_I = phi_omega(omega, alpha * k_i) * phi_omega(omega, q / alpha)
X_J = phi_omega(omega, alpha * k_j) * phi_omega(omega, q / alpha)
PAIR_EXPONENT = alpha**2 * inner(k_i, k_j) + sqnorm(q) / alpha**2 + S_I + S_J
PAIR_COVARIANCE = sp.exp(S_I + S_J) * (sp.exp(PAIR_EXPONENT) - 1)
SQUARE_GAP = (alpha * NORM_K - NORM_Q / alpha) ** 2
MIDPOINT_GAP = (sqnorm(k) * (sp.exp(t_1 / 2) - sp.exp(t_2 / 2)) ** 2
                + sqnorm(q) * (sp.exp(-t_1 / 2) - sp.exp(-t_2 / 2)) ** 2) / 2

# ----------------------------------------------------------------------------- numbers


def _logsumexp(x: np.ndarray) -> float:
    top = float(np.max(x))
    return top + math.log(float(np.sum(np.exp(x - top))))


def pair_exponents(keys: np.ndarray, query: np.ndarray, alpha2: float) -> np.ndarray:
    """``c_ij = (αk_i + q/α)ᵀ(αk_j + q/α) = α²k_iᵀk_j + ||q||²/α² + s_i + s_j`` (R16(h)).

    >>> pair_exponents(np.array([[1.0, 0.0]]), np.array([0.0, 2.0]), 2.0).tolist()
    [[4.0]]
    """
    s = keys @ query
    return alpha2 * (keys @ keys.T) + float(query @ query) / alpha2 + s[:, None] + s[None, :]


def log_variance_constant(keys: np.ndarray, query: np.ndarray, alpha2: float, values=None) -> float:
    """Natural log of the variance constant ``C`` at the split ``α² = alpha2``.

    Without ``values``: ``Var(D'/Z) = C/M`` with ``C = Σ_ij p_i p_j (e^{c_ij} − 1)``,
    ``p = softmax(s)`` (R16(i) summed over pairs, Bienaymé over the ``M`` features).
    With ``values`` (rows ``v_i``): the delta-method constant of R4's ratio estimator,
    ``E||ĥ − h||²/||h||² ≈ C/M`` with weights ``(v_i − h)ᵀ(v_j − h)/||h||²``.
    Computed in log space: real heads give ``C`` up to ``e^{400}``.

    >>> keys, query = np.zeros((2, 3)), np.zeros(3)
    >>> log_variance_constant(keys, query, 1.0)        # c_ij = 0: no variance at all
    -inf
    """
    return float(log_variance_constants(keys, query, np.array([alpha2]), values)[0])


def log_variance_constants(keys: np.ndarray, query: np.ndarray, alpha2s: np.ndarray, values=None) -> np.ndarray:
    """:func:`log_variance_constant` at many splits at once (vectorised over ``alpha2s``).

    >>> rng = np.random.default_rng(1)
    >>> keys, query = rng.normal(size=(4, 3)), rng.normal(size=3)
    >>> many = log_variance_constants(keys, query, np.array([0.5, 2.0]))
    >>> bool(abs(many[1] - log_variance_constant(keys, query, 2.0)) < 1e-12)
    True
    """
    s = keys @ query
    log_p = s - _logsumexp(s)
    a = log_p[:, None] + log_p[None, :]
    gram, qq = keys @ keys.T, float(query @ query)
    weights = 1.0
    if values is not None:
        h = np.exp(log_p) @ values
        weights = (values - h) @ (values - h).T / float(h @ h)
    out = np.empty(len(alpha2s))
    chunk = max(1, 2_000_000 // a.size)
    for start in range(0, len(alpha2s), chunk):
        x = np.asarray(alpha2s[start:start + chunk], float)[:, None, None]
        c = x * gram + qq / x + s[:, None] + s[None, :]
        shift = np.max(a + np.maximum(c, 0.0), axis=(1, 2), keepdims=True)
        with np.errstate(under="ignore"):
            cov = np.where(c > 1.0, np.exp(a + c - shift) - np.exp(a - shift),
                           np.exp(a - shift) * np.expm1(np.minimum(c, 1.0)))
        total = np.sum(cov * weights, axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[start:start + chunk] = np.where(total > 0, shift[:, 0, 0] + np.log(np.where(total > 0, total, 1.0)),
                                                -np.inf)
    return out


def balanced_split(keys: np.ndarray, query: np.ndarray, values=None, span: float = 10.0,
                   step: float = 0.1) -> tuple[float, float]:
    """``(α², log C)`` minimising :func:`log_variance_constant` over ``t = log α²``.

    A grid of step ``step`` over ``span`` either side of the one-key optimum for the median
    key, then golden-section refinement; ``α² = 1`` (the raw split) is always a candidate,
    so the result is never worse than the raw split. A non-finite value on the way is
    rounding (cancellation in the weighted sum), never taken as a minimum.

    >>> rng = np.random.default_rng(0)
    >>> keys, query = rng.normal(0, 3, (6, 4)), rng.normal(0, 0.3, 4)
    >>> a2, best = balanced_split(keys, query)
    >>> best <= log_variance_constant(keys, query, 1.0)
    True
    """
    def f(t):
        value = log_variance_constant(keys, query, math.exp(t), values)
        return value if math.isfinite(value) else math.inf

    median_key = float(np.median(np.linalg.norm(keys, axis=1)))
    centre = math.log(max(float(np.linalg.norm(query)), 1e-12) / max(median_key, 1e-12))
    grid = np.append(centre + np.arange(-span, span + step / 2, step), 0.0)
    vals = log_variance_constants(keys, query, np.exp(grid), values)
    vals = np.where(np.isfinite(vals), vals, np.inf)
    order = np.argsort(grid)
    grid, vals = grid[order], vals[order]
    i = int(np.argmin(vals))
    t_best = _golden_section(f, grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)])
    value, t = min((f(t_best), t_best), (float(vals[i]), float(grid[i])), (f(0.0), 0.0))
    return math.exp(t), value


def _golden_section(f, lo: float, hi: float, tol: float = 1e-9) -> float:
    ratio = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    return (a + b) / 2


# ----------------------------------------------------------------------------- numeric checks

def _unit(rng, d):
    x = rng.normal(size=d)
    return x / np.linalg.norm(x)


def one_key_minimiser(result, rng, trials):
    """The claimed minimiser and minimum of (e) against a golden-section search in ``t``.

    Keys of norm 2–16 and queries of norm 0.3–3 (the range of all-MiniLM-L6-v2's heads);
    the oracle minimises ``||e^{t/2}k + e^{-t/2}q||²`` in plain NumPy.
    """
    worst = 0.0
    claim = result.claim("(e)")
    for trial in range(3 * trials):
        d = int(rng.integers(2, 33))
        k_ = _unit(rng, d) * rng.uniform(2, 16)
        q_ = _unit(rng, d) * rng.uniform(0.3, 3)

        def f(t):
            u = math.exp(t / 2) * k_ + math.exp(-t / 2) * q_
            return float(u @ u)

        oracle = f(_golden_section(f, -30.0, 30.0, 1e-11))
        env = {k: k_[:, None], q: q_[:, None], d_k: d}
        at_claimed = float(evaluate(claim.lhs, env).val)
        claimed_min = float(evaluate(claim.rhs, env).val)
        scale = float(k_ @ k_ + q_ @ q_)
        err = max(abs(at_claimed - oracle), abs(claimed_min - oracle)) / scale
        worst = max(worst, err)
        if err > 1e-9:
            return CheckOutcome("one-key minimiser", REFUTED, trials=trial + 1, max_error=worst,
                                detail=f"oracle minimum {oracle:.9g}; at the claimed α: {at_claimed:.9g}; "
                                       f"claimed minimum {claimed_min:.9g}",
                                counterexample={"k_norm": float(np.linalg.norm(k_)),
                                                "q_norm": float(np.linalg.norm(q_)), "kq": float(k_ @ q_),
                                                "oracle_minimum": oracle, "claimed_minimum": claimed_min,
                                                "value_at_claimed_alpha": at_claimed})
    return CheckOutcome("one-key minimiser", PASSED, trials=3 * trials, max_error=worst,
                        detail="claimed minimiser and minimum agree with a golden-section search in t")


def balanced_not_worse(result, rng, trials):
    """On random many-key instances with real-head norms: the balanced constant never exceeds
    the raw one (α = 1), and no point of a dense grid in ``t`` beats it (both constants)."""
    worst = 0.0
    dense = np.arange(-15.0, 15.0, 0.02)
    for trial in range(trials):
        n, d = int(rng.integers(3, 13)), int(rng.integers(2, 17))
        keys = np.array([_unit(rng, d) * rng.uniform(2, 12) for _ in range(n)])
        query = _unit(rng, d) * rng.uniform(0.3, 2.5)
        values = rng.normal(size=(n, 3))
        for vals in (None, values):
            raw = log_variance_constant(keys, query, 1.0, vals)
            _, best = balanced_split(keys, query, vals)
            grid_vals = log_variance_constants(keys, query, np.exp(dense), vals)
            grid_min = float(np.min(np.where(np.isfinite(grid_vals), grid_vals, np.inf)))
            gap = max(best - raw, best - grid_min) / max(abs(raw), 1.0)
            worst = max(worst, max(gap, 0.0))
            if best > raw + 1e-12 * abs(raw) or best > grid_min + 1e-6:
                return CheckOutcome("balanced never worse", REFUTED, trials=trial + 1, max_error=worst,
                                    detail=f"log C: balanced {best:.6g}, raw {raw:.6g}, dense grid {grid_min:.6g}",
                                    counterexample={"keys": keys.round(4).tolist(), "query": query.round(4).tolist()})
    return CheckOutcome("balanced never worse", PASSED, trials=2 * trials, max_error=worst,
                        detail="balanced log-constant ≤ raw and ≤ a dense grid in t, for D' and for ĥ")


def _moment(p_tuple_keys, us, s):
    """``E[Π_r X_{j_r}] = exp(Σ_{r<r'} u_rᵀu_r' + Σ_r s_r)`` for one tuple of key indices."""
    total = sum(s[j] for j in p_tuple_keys)
    for a_ in range(len(p_tuple_keys)):
        for b_ in range(a_ + 1, len(p_tuple_keys)):
            total += us[p_tuple_keys[a_]] @ us[p_tuple_keys[b_]]
    return math.exp(total)


def _raw_moments(us, s):
    import itertools

    n = len(s)
    return [sum(_moment(t, us, s) for t in itertools.product(range(n), repeat=p)) for p in (1, 2, 3, 4)]


def variance_of_d_monte_carlo(result, rng, trials):
    """z-test of ``E(D'_M − Z)² = (1/M) Σ_ij Cov_ij`` with the claimed pair covariance (i).

    Small norms (``E||αk_j + q/α||² ≤ 0.19``) keep the samples light-tailed; the scale of each
    test comes from the exact fourth central moment of ``D'`` (Gaussian MGF over 4-tuples).
    """
    claim = result.claim("(i)")
    tests = []
    for _ in range(trials):
        n, d = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        a2 = float(rng.uniform(0.25, 4.0))
        query = rng.normal(size=d) * 0.15 * math.sqrt(a2)
        keys = rng.normal(size=(n, d)) * 0.2 / math.sqrt(a2)
        us = [math.sqrt(a2) * key + query / math.sqrt(a2) for key in keys]
        s = keys @ query
        env = {q: query[:, None], alpha: math.sqrt(a2), d_k: d}
        claimed = sum(float(evaluate(claim.rhs, {**env, k_i: keys[i][:, None], k_j: keys[j][:, None]}).val)
                      for i in range(n) for j in range(n))
        m1, m2, m3, m4 = _raw_moments(us, s)
        var = m2 - m1**2
        mu4 = m4 - 4 * m1 * m3 + 6 * m1**2 * m2 - 3 * m1**4
        for features in (1, 16):
            reps = 40_000 // features
            w = rng.standard_normal((reps, features, d))
            feats = np.exp(w @ np.array(us).T - np.array([u @ u for u in us]) / 2 + s)  # (reps, M, n)
            d_prime = feats.sum(axis=2).mean(axis=1)
            fourth = (mu4 + 3 * (features - 1) * var**2) / features**3
            t = mean_test((d_prime - m1) ** 2, claimed / features, fourth - (var / features) ** 2)
            tests.append((t, {"M": features, "alpha2": a2, "keys": keys.round(6).tolist(),
                              "query": query.round(6).tolist()}))
    return _z_outcome(tests)


def _z_outcome(tests: list[tuple[ZTest, dict]]) -> CheckOutcome:
    worst = max(tests, key=lambda t: abs(t[0].z))[0]
    rel = max(abs(t.estimate - t.claimed) / abs(t.claimed) for t, _ in tests)
    stats = {"max_abs_z": abs(worst.z), "z_critical": worst.as_dict()["z_critical"]}
    failing = next(((t, inst) for t, inst in tests if not t.passes), None)
    if failing is None:
        return CheckOutcome("variance of D'", PASSED, trials=len(tests), max_error=rel, stats=stats,
                            detail="Monte Carlo E(D'−Z)² against (1/M)Σ_ij Cov_ij, z-tests")
    t, inst = failing
    return CheckOutcome("variance of D'", REFUTED, trials=len(tests), max_error=rel, stats=stats,
                        detail=f"Monte Carlo {t.estimate:.6g} vs claimed {t.claimed:.6g}: z = {t.z:.2f}",
                        counterexample={**inst, **{key: float(v) for key, v in t.as_dict().items()}})


# ----------------------------------------------------------------------------- the result

R16 = Result(
    id="R16", label="Beyond the paper", title="The variance-optimal split of the score scale",
    claims=(
        Claim("(a)", inner(alpha * k, q / alpha), inner(k, q), proof=(
            Step(inner(k, q), Algebra("α cancels")),),
            text="scores are invariant under k → αk, q → q/α"),
        Claim("(b)", split_sqnorm(alpha), expanded(alpha), proof=(
            Step(expanded(alpha), Algebra("expand the square")),)),
        Claim("(c)", alpha**2 * sqnorm(k) + sqnorm(q) / alpha**2 - 2 * NORM_K * NORM_Q, SQUARE_GAP, proof=(
            Step(SQUARE_GAP, Algebra("complete the square")),),
            text="AM-GM as an identity"),
        Claim("(d)", MINIMUM, split_sqnorm(alpha), relation="<=", proof=(
            Step(MINIMUM + SQUARE_GAP, Bound("a square is nonnegative"), relation="<="),
            Step(expanded(alpha), Substitute("(c)", reverse=True)),
            Step(split_sqnorm(alpha), Substitute("(b)", reverse=True)),
        ), text="no split does better than 2(‖k‖ ‖q‖ + kᵀq)"),
        Claim("(e)", split_sqnorm(ALPHA_STAR), MINIMUM, proof=(
            Step(expanded(ALPHA_STAR), Substitute("(b)", instance={alpha: ALPHA_STAR})),
            Step(MINIMUM, Algebra("α*² = ‖q‖/‖k‖")),
        ), text="the bound (d) is attained at α² = ‖q‖/‖k‖"),
        Claim("(f)", split_sqnorm(ALPHA_STAR * sp.exp(delta / 2)),
              NORM_K * NORM_Q * (sp.exp(delta) + sp.exp(-delta)) + 2 * inner(k, q), proof=(
            Step(expanded(ALPHA_STAR * sp.exp(delta / 2)), Substitute("(b)", instance={alpha: ALPHA_STAR * sp.exp(delta / 2)})),
            Step(NORM_K * NORM_Q * (sp.exp(delta) + sp.exp(-delta)) + 2 * inner(k, q), Algebra()),
        ), text="at t = t* + δ the log-variance is even in δ: t* = log(‖q‖/‖k‖) is stationary"),
        Claim("(g)", in_t((t_1 + t_2) / 2), (in_t(t_1) + in_t(t_2)) / 2, relation="<=", proof=(
            Step(in_t((t_1 + t_2) / 2) + MIDPOINT_GAP, Bound("squares are nonnegative"), relation="<="),
            Step((in_t(t_1) + in_t(t_2)) / 2, Algebra("second-order (midpoint) expansion")),
        ), text="convex in t = log α² (midpoint convexity of a continuous function)"),
        Claim("(h)", inner(U_I, U_J), PAIR_EXPONENT, proof=(
            Step(PAIR_EXPONENT, Algebra()),), text="the pairwise exponent"),
        Claim("(i)", GaussianExpectation(X_I * X_J, omega)
              - GaussianExpectation(X_I, omega) * GaussianExpectation(X_J, omega), PAIR_COVARIANCE, proof=(
            Step(GaussianExpectation(sp.exp(inner(omega, U_I + U_J)), omega)
                 * sp.exp(-(alpha**2 * (sqnorm(k_i) + sqnorm(k_j)) + 2 * sqnorm(q) / alpha**2) / 2)
                 - GaussianExpectation(sp.exp(inner(omega, U_I)), omega)
                 * GaussianExpectation(sp.exp(inner(omega, U_J)), omega)
                 * sp.exp(-(alpha**2 * (sqnorm(k_i) + sqnorm(k_j)) + 2 * sqnorm(q) / alpha**2) / 2),
                 ExpectationLinearity()),
            Step(sp.exp(sqnorm(U_I + U_J) / 2 - (alpha**2 * (sqnorm(k_i) + sqnorm(k_j)) + 2 * sqnorm(q) / alpha**2) / 2)
                 - sp.exp((sqnorm(U_I) + sqnorm(U_J)) / 2
                          - (alpha**2 * (sqnorm(k_i) + sqnorm(k_j)) + 2 * sqnorm(q) / alpha**2) / 2),
                 GaussianMGF()),
            Step(PAIR_COVARIANCE, Algebra()),
        ), text="covariance of two keys' feature products under one feature ω"),
    ),
    sizes={d_k: (1, 2)}, samplers={k: gaussian(0.3), q: gaussian(0.3), k_i: gaussian(0.3), k_j: gaussian(0.3)},
    depends_on=("R1", "R2"),
    numeric_checks=(
        NumericCheck("one-key minimiser", one_key_minimiser,
                     "claimed minimiser and minimum against a golden-section search in t = log α²"),
        NumericCheck("balanced never worse", balanced_not_worse,
                     "balanced variance constant ≤ raw and ≤ a dense grid, D' and ĥ, real-head norms"),
        NumericCheck("variance of D'", variance_of_d_monte_carlo,
                     "Monte Carlo E(D'−Z)² against (1/M)Σ_ij Cov_ij, z-tests at the run's threshold"),
    ),
    notes="Many keys: D' = Σ_j φ(αk_j)ᵀφ(q/α) averages M i.i.d. features, so Var(D') = (1/M) Σ_ij (i) "
          "(bilinearity and Bienaymé), i.e. Var(D'/Z) = C/M with C = Σ_ij p_i p_j (e^{(h)} − 1); the "
          "delta method for R4's ratio estimator weights the same covariances by (v_i − h)ᵀ(v_j − h). "
          "The diagonal proxy Σ_i e^{2s_i}(e^{f_i(t)} − 1) is convex in t because each f_i is (g) and exp "
          "is convex and increasing. α = 1 is always feasible, so the optimum is never worse than the raw split.",
)

RESULTS = (R16,)
