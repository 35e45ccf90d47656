"""R9: the bias of the distilled initialisation grows linearly with the MMD.

``ψ(x) = (W_V x) φ(W_K x)ᵀ``, ``k_ψ(x, y) = ⟨ψ(x), ψ(y)⟩_F``. For prompt and target
distributions ``P``, ``Q`` with mean embeddings ``μ_P = E_P ψ``, ``μ_Q = E_Q ψ`` and
``Bias(P) = (N/D')(μ_P − μ_Q)`` (``2η* = N/D'``): ``||Bias(P)||_F = (N/D') MMD_{k_ψ}(P, Q)``.
Instances are finitely supported distributions (atoms ``X`` with weights ``π_P``), for which
every expectation is an exact finite sum; the features ``Φ`` are abstract positive matrices
in the claims (the identities hold for any features) and real random features in the checks.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import (PASSED, REFUTED, ROUNDOFF_SAFETY, UNIT_ROUNDOFF, CheckOutcome, claim_sides, gamma,
                           gaussian, random_rational, search_violations, uniform)
from .mmd_estimators import AttentionKernel, mmd2_from_blocks, mmd2_from_samples, probability_weights
from iclkd import (Algebra, Assumption, Bound, Cited, Claim, Definition, HadamardSum, inner, NumericCheck,
                   Result, ScalarFactors, sqnorm, Step, Substitute)
from .attention import FEATURE_SAMPLERS
from .notation import D_prime, M, N, W_V, d, d_v


def _count(name):
    return sp.Symbol(name, integer=True, positive=True)


n, m = _count("n"), _count("m")
x, y = sp.MatrixSymbol("x", d, 1), sp.MatrixSymbol("y", d, 1)
phi_x, phi_y = sp.MatrixSymbol("phi_x", M, 1), sp.MatrixSymbol("phi_y", M, 1)
V_X, V_Y = sp.MatrixSymbol("V_X", d_v, n), sp.MatrixSymbol("V_Y", d_v, m)
Phi_X, Phi_Y = sp.MatrixSymbol("Phi_X", M, n), sp.MatrixSymbol("Phi_Y", M, m)
pi_P, pi_Q = sp.MatrixSymbol("pi_P", n, 1), sp.MatrixSymbol("pi_Q", m, 1)
mu_P, mu_Q, mu_Pt = (sp.MatrixSymbol(s, d_v, M) for s in ("mu_P", "mu_Q", "mu_Pt"))
Bias, Bias_t = sp.MatrixSymbol("Bias_P", d_v, M), sp.MatrixSymbol("Bias_Pt", d_v, M)
u_op = sp.MatrixSymbol("u_op", M, 1)
E_PP, E_QQ, E_PQ, E_PtPt, E_PtQ = (sp.Symbol(s, real=True) for s in ("E_PP", "E_QQ", "E_PQ", "E_PtPt", "E_PtQ"))
MMD, MMD_t = sp.Symbol("MMD_PQ", nonnegative=True), sp.Symbol("MMD_PtQ", nonnegative=True)
t = sp.Symbol("t", nonnegative=True)

K_XX = sp.HadamardProduct(V_X.T * V_X, Phi_X.T * Phi_X)
K_YY = sp.HadamardProduct(V_Y.T * V_Y, Phi_Y.T * Phi_Y)
K_XY = sp.HadamardProduct(V_X.T * V_Y, Phi_X.T * Phi_Y)
ONES_N, ONES_M = sp.OneMatrix(n, 1), sp.OneMatrix(m, 1)
SLOPE = N / D_prime  # 2η*

DEFINITIONS = (
    Definition(mu_P, V_X * sp.DiagMatrix(pi_P) * Phi_X.T, "μP = 𝔼ψ(x), x ∼ P = Σᵢ πᵢ δ(xᵢ): the weighted sum of the ψ(xᵢ)"),
    Definition(mu_Q, V_Y * sp.DiagMatrix(pi_Q) * Phi_Y.T, "μQ = 𝔼ψ(y), y ∼ Q"),
    Definition(E_PP, sp.Trace(pi_P.T * K_XX * pi_P), "𝔼 kψ(x, x') for independent x, x' ∼ P"),
    Definition(E_QQ, sp.Trace(pi_Q.T * K_YY * pi_Q), "𝔼 kψ(y, y') for independent y, y' ∼ Q"),
    Definition(E_PQ, sp.Trace(pi_P.T * K_XY * pi_Q), "𝔼 kψ(x, y) for independent x ∼ P, y ∼ Q"),
    Definition(MMD, sp.sqrt(E_PP + E_QQ - 2 * E_PQ), "the MMD of P and Q under kψ"),
    Definition(Bias, SLOPE * (mu_P - mu_Q), "Bias(P) = W₀(P) − W₀(Q) with W₀ = 2η*·𝔼ψ"),
    Definition(mu_Pt, (1 - t) * mu_Q + t * mu_P, "the mean of ψ under the mixture: the integral is linear in the measure"),
    Definition(Bias_t, SLOPE * (mu_Pt - mu_Q), "the bias of the mixture"),
    Definition(E_PtPt, (1 - t)**2 * E_QQ + 2 * t * (1 - t) * E_PQ + t**2 * E_PP, "𝔼 kψ(x, x') for independent x, x' from the mixture (bilinearity)"),
    Definition(E_PtQ, (1 - t) * E_QQ + t * E_PQ, "𝔼 kψ(x, y), x from the mixture, y ∼ Q"),
    Definition(MMD_t, sp.sqrt(E_PtPt + E_QQ - 2 * E_PtQ), "the MMD of the mixture and Q"),
)

FUBINI = Cited("Fubini for independent copies: 𝔼 kψ(x, x') = ⟨𝔼ψ(x), 𝔼ψ(x')⟩",
               "ψ is Bochner integrable since 𝔼‖ψ(x)‖ is finite; Gretton et al., JMLR 2012, Lemma 6")
V_STATISTIC = (sp.Trace(ONES_N.T * K_XX * ONES_N) / n**2 + sp.Trace(ONES_M.T * K_YY * ONES_M) / m**2
               - 2 * sp.Trace(ONES_N.T * K_XY * ONES_M) / (n * m))
MEAN_GAP = V_X * Phi_X.T / n - V_Y * Phi_Y.T / m

CLAIMS = (
    Claim("(a)", inner(W_V * x * phi_x.T, W_V * y * phi_y.T), inner(W_V * x, W_V * y) * inner(phi_x, phi_y),
          proof=(Step(inner(W_V * x, W_V * y) * inner(phi_x, phi_y),
                      ScalarFactors("⟨v φᵀ, w χᵀ⟩ = (vᵀw)(φᵀχ)")),),
          text="the kernel kψ(x, y) = ⟨ψ(x), ψ(y)⟩ is the product of the values' and the features' inner products"),
    Claim("(b)", sqnorm(Bias), SLOPE**2 * MMD**2, proof=(
        Step(SLOPE**2 * sqnorm(mu_P - mu_Q), Substitute(Bias)),
        Step(SLOPE**2 * (sqnorm(mu_P) + sqnorm(mu_Q) - 2 * inner(mu_P, mu_Q)), Algebra()),
        Step(SLOPE**2 * (E_PP + E_QQ - 2 * E_PQ), FUBINI),
        Step(SLOPE**2 * MMD**2, Substitute(MMD)),
    ), text="population: ‖Bias(P)‖² = (2η*)²·MMD²(P, Q), Frobenius norm"),
    Claim("(c)", sp.sqrt(sqnorm(Bias)), SLOPE * MMD, proof=(
        Step(sp.sqrt(SLOPE**2 * MMD**2), Substitute("(b)")),
        Step(SLOPE * MMD, Algebra("N/D' > 0 and MMD ≥ 0")),
    ), text="‖Bias(P)‖ = 2η*·MMD(P, Q) with 2η* = N/D': the bias is linear in the MMD"),
    Claim("(d)", sqnorm(MEAN_GAP), V_STATISTIC, proof=(
        Step(sqnorm(V_X * Phi_X.T) / n**2 + sqnorm(V_Y * Phi_Y.T) / m**2
             - 2 * inner(V_X * Phi_X.T, V_Y * Phi_Y.T) / (n * m), Algebra()),
        Step(V_STATISTIC, HadamardSum()),
    ), text="finite samples, exactly: the squared distance of the sample means of ψ is the biased MMD² (the V-statistic)"),
    Claim("(e)", Bias_t, t * Bias, proof=(Step(t * Bias, Substitute((Bias_t, mu_Pt, Bias))),),
          text="on the mixture (1−t)Q + tP the bias is t·Bias(P)"),
    Claim("(f)", MMD_t, t * MMD, proof=(
        Step(sp.sqrt(sqnorm(Bias_t)) / SLOPE, Substitute("(c)", {Bias: Bias_t, MMD: MMD_t})),
        Step(t * sp.sqrt(sqnorm(Bias)) / SLOPE, Substitute("(e)")),
        Step(t * MMD, Substitute("(c)")),
    ), text="the MMD of the mixture and Q is t·MMD(P, Q), by (c) for the mixture and (e)"),
    Claim("(g)", sqnorm(Bias * u_op), sqnorm(Bias) * sqnorm(u_op), relation="<=", proof=(
        Step(sqnorm(Bias * u_op) + sqnorm(Bias * (sqnorm(u_op) * sp.Identity(M) - u_op * u_op.T)) / sqnorm(u_op),
             Bound("add ‖B(‖u‖²I − uuᵀ)‖²/‖u‖² ≥ 0"), relation="<="),
        Step(sqnorm(Bias) * sqnorm(u_op), ScalarFactors()),
    ), text="‖Bias·u‖ ≤ ‖Bias‖·‖u‖ (Frobenius) for every u, so the operator norm is at most the Frobenius norm"),
)


def _random_setting(rng):
    """Random projections, features and two samples (``Q`` shifted from ``P``)."""
    dim, dv, feats = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(2, 17))
    kernel = AttentionKernel(rng.normal(0, 0.7, (dv, dim)), rng.normal(0, 0.5, (dim, dim)),
                             rng.standard_normal((dim, feats)))
    X = rng.normal(0, 0.7, (dim, int(rng.integers(2, 9))))
    Y = rng.normal(0, 0.7, (dim, int(rng.integers(2, 9)))) + rng.normal(0, 0.5, (dim, 1))
    return kernel, X, Y


def _slope(rng, kernel):
    """``N`` and the normaliser ``D' = Σ_j φ(k_j)ᵀφ(q)`` of a random prompt under the same features."""
    tokens = rng.normal(0, 0.7, (kernel.W_K.shape[1], int(rng.integers(2, 7))))
    query = rng.normal(0, 0.7, (kernel.W_K.shape[1], 1))
    d_prime = float(np.sum(kernel.features(tokens).T @ kernel.features(query)))
    return int(rng.integers(1, tokens.shape[1] + 1)), d_prime


def _block_env(kernel, X, Y, p=None, q=None):
    env = {V_X: kernel.values(X), Phi_X: kernel.features(X), V_Y: kernel.values(Y), Phi_Y: kernel.features(Y),
           n: X.shape[1], m: Y.shape[1]}
    env[pi_P] = (np.full(X.shape[1], 1 / X.shape[1]) if p is None else p)[:, None]
    env[pi_Q] = (np.full(Y.shape[1], 1 / Y.shape[1]) if q is None else q)[:, None]
    return env


def _embedding_gap_error(kernel, slope, first, second):
    """Rounding bound of ``slope·(Σ w_i ψ(x_i) − Σ w'_j ψ(y_j))``, entrywise and in Frobenius norm.

    Both the point-by-point ψ and the matrix form in the claims round each ψ entry by at most
    ``γ_k`` relatively (:meth:`AttentionKernel.rounding_depth`), and the sums add ``γ_{n+m}``.
    """
    (X, p), (Y, q) = first, second
    depth = max(kernel.rounding_depth(X), kernel.rounding_depth(Y)) + X.shape[1] + Y.shape[1] + 4
    scale = slope * (kernel.absolute_embedding(X, p) + kernel.absolute_embedding(Y, q))
    return 2 * gamma(depth) * scale


def _close(a, a_err, b, b_err):
    return bool(np.all(np.abs(np.asarray(a) - np.asarray(b)) <= ROUNDOFF_SAFETY * (np.asarray(a_err) + b_err)))


def _refuted(name, trials, detail, **counterexample):
    return CheckOutcome(name, REFUTED, trials=trials, detail=detail,
                        counterexample={k: (np.round(v, 6).tolist() if isinstance(v, np.ndarray) else v)
                                        for k, v in counterexample.items()})


def identity_on_prompts(result, rng, trials):
    """On real features: the claimed (d) against the toolkit's MMD, and the claimed slope (c)
    against ``||W_0(P) − W_0(Q)||_F`` built from ``ψ`` point by point. Tolerances: rounding bounds."""
    worst = 0.0
    for trial in range(trials):
        kernel, X, Y = _random_setting(rng)
        env = _block_env(kernel, X, Y)
        mmd2, bound = mmd2_from_samples(kernel, X, Y)
        left, right = claim_sides(result, "(d)", env)
        if not (_close(left.val, left.err, mmd2, bound) and _close(right.val, right.err, mmd2, bound)):
            return _refuted("V-statistic on prompts", trial + 1, "claim (d) disagrees with the toolkit's MMD_b²",
                            claimed_left=float(left.val), claimed_right=float(right.val), toolkit=float(mmd2))
        N_, d_prime = _slope(rng, kernel)
        gap = N_ / d_prime * (kernel.mean_embedding(X) - kernel.mean_embedding(Y))
        gap_err = float(np.sqrt(np.sum(_embedding_gap_error(kernel, N_ / d_prime, (X, None), (Y, None)) ** 2)))
        claimed = claim_sides(result, "(c)", {**env, N: N_, D_prime: d_prime})[1]
        norm = float(np.sqrt(np.sum(gap**2)))
        worst = max(worst, abs(float(claimed.val) - norm) / max(norm, 1e-300))
        if not _close(claimed.val, claimed.err, norm, gap_err):
            return _refuted("V-statistic on prompts", trial + 1,
                            f"||W_0(P) − W_0(Q)||_F = {norm:.6g} but claim (c) gives {float(claimed.val):.6g}",
                            N=N_, D_prime=d_prime, bias_norm=norm, claimed=float(claimed.val))
    return CheckOutcome("V-statistic on prompts", PASSED, trials=trials, max_error=worst,
                        detail="claims (c), (d) against MMD_b² from kernel matrices and W_0 from ψ point by point")


def _rational_matrix(rng, rows, cols, positive=False):
    return np.array([[random_rational(rng, positive) for _ in range(cols)] for _ in range(rows)], dtype=object)


def exact_identity(result, rng, trials):
    """Claim (d) and the toolkit's MMD_b² in exact rational arithmetic, at growing explicit sizes
    (the features are free: the identity holds for any feature matrices)."""
    for trial in range(trials):
        nn, mm, dv, feats = 2 + trial % 3, 2 + (trial + 1) % 3, 1 + trial % 3, 1 + (trial + 2) % 3
        blocks = (_rational_matrix(rng, dv, nn), _rational_matrix(rng, feats, nn, True),
                  _rational_matrix(rng, dv, mm), _rational_matrix(rng, feats, mm, True))
        env = {V_X: blocks[0], Phi_X: blocks[1], V_Y: blocks[2], Phi_Y: blocks[3], n: sp.Integer(nn),
               m: sp.Integer(mm), d_v: sp.Integer(dv), M: sp.Integer(feats)}
        claim = result.claim("(d)")
        from iclkd.numeric import Evaluator
        left = Evaluator(env, exact=True).value(claim.lhs).val
        right = Evaluator(env, exact=True).value(claim.rhs).val
        toolkit = mmd2_from_blocks(*blocks)[0]
        if not (sp.nsimplify(left - toolkit) == 0 and sp.nsimplify(right - toolkit) == 0):
            return _refuted("exact V-statistic", trial + 1, "claim (d) differs from MMD_b² in exact arithmetic",
                            sizes=[nn, mm, dv, feats], left=str(left), right=str(right), toolkit=str(toolkit))
    return CheckOutcome("exact V-statistic", PASSED, trials=trials, max_error=0.0,
                        detail="claim (d) equals the toolkit's MMD_b² exactly on random rationals")


def mixture_linearity(result, rng, trials):
    """``P_t`` as one distribution on the atoms of ``P`` and ``Q``: the toolkit's MMD(P_t, Q) and
    ``W_0(P_t) − W_0(Q)`` against claims (f) and (e); ``t ∈ {0, 1}`` and ``P = Q`` included."""
    worst = 0.0
    for trial in range(trials):
        kernel, X, Y = _random_setting(rng)
        p, q = rng.dirichlet(np.ones(X.shape[1])), rng.dirichlet(np.ones(Y.shape[1]))
        if trial == 0:
            X, p = Y, q
        for t_ in (0.0, 1.0, float(rng.uniform())):
            atoms, weights = np.hstack([X, Y]), np.concatenate([t_ * p, (1 - t_) * q])
            mmd2_t, bound = mmd2_from_samples(kernel, atoms, Y, weights, q)
            env = {**_block_env(kernel, X, Y, p, q), t: t_, N: 1, D_prime: 1.0}
            claimed = claim_sides(result, "(f)", env)[1]
            c_val, c_err = float(claimed.val), float(claimed.err)
            worst = max(worst, abs(c_val**2 - mmd2_t) / max(abs(mmd2_t), c_val**2, bound / UNIT_ROUNDOFF))
            if not _close(c_val**2, 2 * abs(c_val) * c_err + c_err**2, mmd2_t, bound):
                return _refuted("mixture linearity", trial + 1, f"MMD(P_t, Q)² = {mmd2_t:.6g} but claim (f) "
                                f"gives ({c_val:.6g})² at t = {t_}", t=t_)
            direct = kernel.mean_embedding(atoms, weights) - kernel.mean_embedding(Y, q)
            bias_t = claim_sides(result, "(e)", env)[1]
            if not _close(bias_t.val, bias_t.err, direct, _embedding_gap_error(kernel, 1.0, (atoms, weights), (Y, q))):
                return _refuted("mixture linearity", trial + 1,
                                f"W_0(P_t) − W_0(Q) differs from claim (e) at t = {t_}",
                                t=t_, direct=direct, claimed=np.asarray(bias_t.val))
    return CheckOutcome("mixture linearity", PASSED, trials=3 * trials, max_error=worst,
                        detail="MMD(P_t, Q) and Bias(P_t) on the mixture's atoms, t = 0, 1 and random, and P = Q")


def operator_norm_search(result, rng, trials):
    """Claim (g) at its maximisers (the top right singular vector, rank-one ``Bias``: equality),
    at ``Bias = 0``, tiny and huge scales, and random directions."""
    def instances():
        for trial in range(trials):
            rows, cols = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            dense = rng.normal(size=(rows, cols))
            rank_one = np.outer(rng.normal(size=rows), rng.normal(size=cols))
            for label, B in (("dense", dense), ("rank one", rank_one), ("zero", np.zeros((rows, cols))),
                             ("tiny", 1e-150 * dense), ("huge", 1e100 * rank_one)):
                top = np.linalg.svd(B)[2][0] if np.any(B) else np.eye(cols)[0]
                for which, u in (("top singular vector", top), ("random u", rng.normal(size=cols))):
                    yield f"{label} Bias, {which}", {Bias: B, u_op: u[:, None], d_v: rows, M: cols}
    return search_violations("operator-norm search", result, "(g)", instances(),
                             "claim (g) at maximisers, boundaries and random points")


R9 = Result(
    id="R9", label="Theorem (bias and MMD)", title="The bias of the initialisation grows linearly with the MMD",
    claims=CLAIMS, definitions=DEFINITIONS,
    assumptions=(Assumption(D_prime > 0, "D' > 0"), Assumption(N > 0, "N > 0"), Assumption(t <= 1, "t ∈ [0, 1]")),
    depends_on=("R8",),
    sizes={n: (2, 3), m: (2, 3), d_v: (1, 2, 3), M: (1, 2, 3), d: (1, 2)},
    samplers={**FEATURE_SAMPLERS, pi_P: probability_weights(), pi_Q: probability_weights(), t: uniform(0.0, 1.0),
              Phi_X: uniform(0.1, 2.0), Phi_Y: uniform(0.1, 2.0), x: gaussian(0.7), y: gaussian(0.7)},
    numeric_checks=(
        NumericCheck("V-statistic on prompts", identity_on_prompts,
                     "claims (c), (d) on real random features against the toolkit's MMD and ψ"),
        NumericCheck("exact V-statistic", exact_identity, "claim (d) and the biased MMD² in exact rationals"),
        NumericCheck("mixture linearity", mixture_linearity, "MMD and bias on the mixture (1−t)Q + tP"),
        NumericCheck("operator-norm search", operator_norm_search, "violations of (g) at maximisers")),
    notes="The random features ω and one scalar η* = N/(2D') are fixed and shared by P and Q; W₀(P) = 2η*·𝔼ψ(x), x ∼ P, "
          "is a definition; 𝔼‖ψ(x)‖ is finite under P and Q (so 𝔼ψ exists as a Bochner integral). "
          "Instances are finitely supported P = Σᵢ πᵢ δ(xᵢ), where expectations are exact sums; "
          "the identities hold for any feature matrix, so the claims take Φ as free positive matrices. "
          "(g) with u the top right singular vector bounds the operator norm by the Frobenius norm.",
    references=("Gretton et al., A Kernel Two-Sample Test, JMLR 2012",),
)

RESULTS = (R9,)
