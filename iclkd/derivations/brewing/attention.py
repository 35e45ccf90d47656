"""Attention as a linear student (R4), its split into initialisation and correction (R5),
and the correction as one gradient step (R6)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import (PASSED, REFUTED, Z_CRITICAL, CheckOutcome, claim_sides, compare_float, gamma,
                           uniform, Value)
from .tokens import loglog_slope, positive_features, random_problem
from iclkd import Claim, Definition, Gradient, inner, MatrixDerivative, NumericCheck, Result, Step, Substitute
from .notation import (D_prime, Delta_W, M, N, Phi_D, Phi_T, T, V_D, V_T, W, W_0, d_v, eta,
                       h_hat, ones_N, ones_T, phi_q)

V = sp.BlockMatrix([[V_D, V_T]])
PHI = sp.BlockMatrix([[Phi_D, Phi_T]])

NORMALISER = Definition(D_prime, inner(phi_q, Phi_D * ones_N) + inner(phi_q, Phi_T * ones_T),
                        "normaliser D' = Σ_j φ(k_j)ᵀφ(q)")
KERNEL_ATTENTION = Definition(h_hat, V * PHI.T * phi_q / D_prime, "kernelised attention ĥ(q)")
STUDENT = Definition(W, (V_D * Phi_D.T + V_T * Phi_T.T) / D_prime, "student W = (1/D') Σ_i v_i φ(k_i)ᵀ")
INITIALISATION = Definition(W_0, V_D * Phi_D.T / D_prime, "initialisation from the demonstrations")
CORRECTION = Definition(Delta_W, V_T * Phi_T.T / D_prime, "correction from the query-side tokens")

FEATURE_SAMPLERS = {Phi_D: uniform(0.1, 2.0), Phi_T: uniform(0.1, 2.0), phi_q: uniform(0.1, 2.0)}
ATTENTION_SIZES = {d_v: (1, 2, 3), M: (1, 2, 3, 4), N: (1, 2, 3), T: (1, 2, 3)}

FEATURE_COUNTS = np.array([256, 1024, 4096, 16384])
REPEATS = 48


def convergence_rate(result, rng, trials):
    """Error of ``ĥ`` against exact softmax attention: log-log slope in ``M`` is −1/2.

    Keys are small (``||k+q||² ≲ 1``, see MATH.md pitfalls). The slope's standard error
    comes from the spread of the squared errors over the repeats; the test is a z-test
    at the run's family-wise threshold.
    """
    rows = []
    for t in range(max(1, trials // 2)):
        prob = random_problem(rng)
        h = prob.softmax_output()
        mse, mse_se = [], []
        for m in FEATURE_COUNTS:
            sq = np.array([np.sum((prob.kernel_estimate(rng.standard_normal((prob.keys.shape[1], m))) - h) ** 2)
                           for _ in range(REPEATS)])
            mse.append(sq.mean())
            mse_se.append(sq.std(ddof=1) / np.sqrt(REPEATS))
        slope, se = loglog_slope(FEATURE_COUNTS.astype(float), np.array(mse), np.array(mse_se))
        rows.append((slope, se, np.sqrt(mse).tolist()))
    worst = max(rows, key=lambda r: abs(r[0] + 0.5) / r[1])
    z = (worst[0] + 0.5) / worst[1]
    stats = {"slope": worst[0], "slope_se": worst[1], "z": z, "z_critical": Z_CRITICAL}
    if abs(z) <= Z_CRITICAL:
        return CheckOutcome("convergence rate", PASSED, trials=len(rows) * REPEATS * len(FEATURE_COUNTS),
                            stats=stats, detail="RMS error of ĥ against softmax attention ∝ M^-1/2")
    return CheckOutcome("convergence rate", REFUTED, trials=len(rows), stats=stats,
                        detail=f"fitted slope {worst[0]:.3f} ± {worst[1]:.3f}, expected -0.5",
                        counterexample={"M": FEATURE_COUNTS.tolist(), "rms_error": worst[2]})


def random_features(rng, m_low: int, m_high: int):
    """A random problem (1–4 demonstrations and queries), ``m`` drawn in ``[m_low, m_high)``,
    ``m`` Gaussian directions and the positive features of every key and of the query.

    >>> prob, m, omegas, feats, fq = random_features(np.random.default_rng(0), 2, 3)
    >>> m, feats.shape == (len(prob.keys), 2), fq.shape
    (2, True, (2,))
    """
    prob = random_problem(rng, n_demo=int(rng.integers(1, 5)), n_query=int(rng.integers(1, 5)))
    m = int(rng.integers(m_low, m_high))
    omegas = rng.standard_normal((prob.keys.shape[1], m))
    feats = np.array([positive_features(omegas, k) for k in prob.keys])
    return prob, m, omegas, feats, positive_features(omegas, prob.query)


def token_level_oracle(result, rng, trials):
    """The result's own statement on real features: ``ĥ(q)`` as defined (through its ``D'``) and
    the claim's ``W φ(q)`` against ``Σ_i v_i φ(k_i)ᵀφ(q) / Σ_j φ(k_j)ᵀφ(q)`` summed token by token.

    The oracle's rounding bound: each weight ``φ(k_i)ᵀφ(q)`` is a sum of ``M`` positive terms, so
    numerator and denominator carry at most ``γ_{M+N+T}`` times their sums of absolute terms.
    """
    worst = 0.0
    for t in range(trials):
        prob, m, omegas, feats, fq = random_features(rng, 2, 17)
        demo, query = slice(0, prob.n_demo), slice(prob.n_demo, None)
        env = {V_D: prob.values[demo].T, V_T: prob.values[query].T, Phi_D: feats[demo].T,
               Phi_T: feats[query].T, phi_q: fq[:, None]}
        weights = np.array([f @ fq for f in feats])
        oracle = sum(w * v for w, v in zip(weights, prob.values)) / weights.sum()
        bound = gamma(m + len(weights) + 1) * (np.abs(prob.values).T @ weights / weights.sum() + np.abs(oracle))
        expected = Value(oracle[:, None], bound[:, None])
        for side, value in zip(("ĥ(q) as defined", "W φ(q)"), claim_sides(result, "", env)):
            cmp = compare_float(value, expected)
            worst = max(worst, cmp.relative_error if cmp.finite else float("inf"))
            if not cmp.holds:
                return CheckOutcome("token-level oracle", REFUTED, trials=t + 1, max_error=worst,
                                    detail=f"{side} differs from attention summed token by token",
                                    counterexample={"M": m, "N": prob.n_demo, "T": len(weights) - prob.n_demo,
                                                    "side": side, "value": np.ravel(value.val).tolist(),
                                                    "oracle": oracle.tolist()})
    return CheckOutcome("token-level oracle", PASSED, trials=trials, max_error=worst,
                        detail="ĥ(q) from the definitions and W φ(q) against token-level kernel attention")


def gradient_step_oracle(result, rng, trials):
    """On real features of random tokens: ``(W_0 - η∇L_T(W_0)) φ(q)`` equals ``ĥ(q)``.

    ``ĥ`` is summed token by token; ``∇L_T`` is taken by central differences of a plain
    NumPy ``L_T``. ``L_T`` is linear, so the differences are exact up to rounding, and the
    tolerance is rounding: ``64 u`` times the sums of absolute terms.
    """
    worst = 0.0
    u = np.finfo(float).eps / 2
    for t in range(trials):
        prob, m, omegas, feats, fq = random_features(rng, 4, 33)
        d_prime = float(np.sum(feats @ fq))
        h_direct = prob.kernel_estimate(omegas)
        demo, query = slice(0, prob.n_demo), slice(prob.n_demo, None)
        w0 = prob.values[demo].T @ feats[demo] / d_prime
        step = float(rng.uniform(0.1, 3.0))

        def loss_t(w):
            return -np.sum(prob.values[query] * (feats[query] @ w.T)) / (step * d_prime)

        grad = np.zeros_like(w0)
        hstep = 1e-3
        for idx in np.ndindex(*w0.shape):
            e = np.zeros_like(w0)
            e[idx] = hstep
            grad[idx] = (loss_t(w0 + e) - loss_t(w0 - e)) / (2 * hstep)
        h_student = (w0 - step * grad) @ fq
        scale = np.abs(prob.values).T @ np.abs(feats @ fq) / d_prime
        tol = 64 * u * (scale + np.abs(h_student)) * (1 + 1 / hstep)
        err = np.abs(h_student - h_direct)
        worst = max(worst, float(np.max(err / np.maximum(np.abs(h_direct), 1e-300))))
        if np.any(err > tol):
            return CheckOutcome("gradient-step oracle", REFUTED, trials=t + 1, max_error=worst,
                                detail="the gradient step does not reproduce kernelised attention",
                                counterexample={"M": m, "difference": err.tolist(), "tolerance": tol.tolist()})
    return CheckOutcome("gradient-step oracle", PASSED, trials=trials, max_error=worst,
                        detail="token-level ĥ(q) against the student after one gradient step")


R4 = Result(
    id="R4", label="Lemma 2.2a", title="Kernelised attention is a linear model",
    claims=(Claim("", h_hat, W * phi_q, proof=(
        Step(W * phi_q, Substitute((h_hat, W))),
    )),),
    definitions=(NORMALISER, KERNEL_ATTENTION, STUDENT),
    sizes=ATTENTION_SIZES, samplers=FEATURE_SAMPLERS,
    numeric_checks=(NumericCheck("token-level oracle", token_level_oracle,
                                 "the definitions' ĥ(q) and W φ(q) against attention summed token by token"),
                    NumericCheck("convergence rate", convergence_rate,
                                 "log-log slope of the error of ĥ against softmax attention, z-test"),),
    depends_on=("R1",),
    notes="$ĥ(q) → h(q)$ almost surely as $M → ∞$ (R1 and the law of large numbers), error $O_p(M^{-1/2})$.",
)

R5 = Result(
    id="R5", label="Decomposition", title="The student splits into initialisation and correction",
    claims=(Claim("", W, W_0 + Delta_W, proof=(
        Step(W_0 + Delta_W, Substitute((W, W_0, Delta_W))),
    )),),
    definitions=(INITIALISATION, CORRECTION),
    depends_on=("R4",), sizes=ATTENTION_SIZES, samplers=FEATURE_SAMPLERS,
)

L_T = -sp.Trace(V_T.T * W * Phi_T) / (eta * D_prime)

R6 = Result(
    id="R6", label="Lemma 2.2b", title="The correction is one gradient step",
    claims=(
        Claim("(a)", Gradient(L_T, W), -V_T * Phi_T.T / (eta * D_prime), proof=(
            Step(-V_T * Phi_T.T / (eta * D_prime), MatrixDerivative()),)),
        Claim("(b)", W_0 - eta * Gradient(L_T, W, W_0), W, proof=(
            Step(W_0 + V_T * Phi_T.T / D_prime, MatrixDerivative()),
            Step(W_0 + Delta_W, Substitute(Delta_W)),
            Step(W, Substitute("R5")),
        )),
        Claim("(c)", h_hat, (W_0 - eta * Gradient(L_T, W, W_0)) * phi_q, proof=(
            Step(W * phi_q, Substitute("R4")),
            Step((W_0 - eta * Gradient(L_T, W, W_0)) * phi_q, Substitute("(b)", reverse=True)),
        )),
    ),
    depends_on=("R4", "R5"), sizes=ATTENTION_SIZES, samplers=FEATURE_SAMPLERS,
    numeric_checks=(NumericCheck("gradient-step oracle", gradient_step_oracle,
                                 "token-level attention against the student after one step"),),
    notes="L_T(W) = -(1/(η D')) Σ_{j∈T} v_jᵀ W φ(k_j), for any step size η > 0.",
)

RESULTS = (R4, R5, R6)
