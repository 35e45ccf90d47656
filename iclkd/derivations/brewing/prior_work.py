"""Prior analyses as special cases: R14 (Dai et al. 2023, linear attention as meta-optimisation)
and R15 (von Oswald et al. 2023, Prop. 1: one step of gradient descent in a linear
self-attention layer). Both at symbolic dimensions, with block matrices."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import PASSED, REFUTED, UNIT_ROUNDOFF, CheckOutcome, claim_side
from iclkd import (Algebra, Assumption, Claim, Definition, Gradient, MatrixDerivative, NumericCheck, Result,
                   sqnorm, Step, Substitute)
from . import attention
from .notation import D_prime, N, Phi_D, Phi_T, T, V_D, V_T, W_K, W_V, d, d_k, d_v, eta

X_D, X_T = sp.MatrixSymbol("X_D", d, N), sp.MatrixSymbol("X_T", d, T)
q = sp.MatrixSymbol("q", d_k, 1)
Delta_W_ICL, W_ZSL = sp.MatrixSymbol("Delta_W_ICL", d_v, d_k), sp.MatrixSymbol("W_ZSL", d_v, d_k)
CONTEXT = sp.BlockMatrix([[X_D, X_T]])
LINEAR_ATTENTION = W_V * CONTEXT * (W_K * CONTEXT).T * q
AS_LINEAR_ATTENTION = {V_D: W_V * X_D, V_T: W_V * X_T, Phi_D: W_K * X_D, Phi_T: W_K * X_T, D_prime: 1}


def token_level_oracle(result, rng, trials):
    """``Σ_i v_i k_iᵀ q`` summed token by token in NumPy against claim (a)'s right side, with the
    rounding bound ``γ·Σ_i |v_i||k_i|ᵀ|q|``."""
    worst = 0.0
    for trial in range(trials):
        dd, dk, dv, nn, tt = (int(rng.integers(1, 5)) for _ in range(5))
        env = {X_D: rng.normal(size=(dd, nn)), X_T: rng.normal(size=(dd, tt)), W_V: rng.normal(size=(dv, dd)),
               W_K: rng.normal(size=(dk, dd)), q: rng.normal(size=(dk, 1))}
        tokens = np.hstack([env[X_D], env[X_T]])
        output = sum((env[W_V] @ x) * float((env[W_K] @ x) @ env[q][:, 0]) for x in tokens.T)
        scale = sum(np.abs(env[W_V]) @ np.abs(x) * float(np.abs(env[W_K]) @ np.abs(x) @ np.abs(env[q][:, 0]))
                    for x in tokens.T)
        claimed = claim_side(result, "(a)", env)
        err = np.abs(np.asarray(claimed.val)[:, 0] - output)
        tol = 4 * (np.asarray(claimed.err)[:, 0] + (2 * dd + dk + nn + tt + 4) * UNIT_ROUNDOFF * scale)
        worst = max(worst, float(np.max(err / np.maximum(np.abs(output), 1e-300))))
        if np.any(err > tol):
            return CheckOutcome("token-level oracle", REFUTED, trials=trial + 1, max_error=worst,
                                detail="Σ_i v_i k_iᵀ q over the tokens differs from claim (a)",
                                counterexample={"difference": err.tolist(), "tolerance": tol.tolist()})
    return CheckOutcome("token-level oracle", PASSED, trials=trials, max_error=worst,
                        detail="unnormalised linear attention summed token by token")


R14 = Result(
    id="R14", label="Dai et al. 2023", title="Linear attention splits into zero-shot weights and a meta-gradient",
    claims=(
        Claim("(a)", LINEAR_ATTENTION, (W_ZSL + Delta_W_ICL) * q, proof=(
            Step((W_V * X_T * (W_K * X_T).T + W_V * X_D * (W_K * X_D).T) * q, Algebra("block product")),
            Step((W_ZSL + Delta_W_ICL) * q, Substitute((W_ZSL, Delta_W_ICL))),
        ), text="unnormalised linear attention over the context is the query-side weights plus the sum of vᵢkᵢᵀ over the demonstrations, applied to q"),
        Claim("(b)", attention.INITIALISATION.value.xreplace(AS_LINEAR_ATTENTION), Delta_W_ICL, proof=(
            Step(Delta_W_ICL, Substitute(Delta_W_ICL)),),
            text="R5's initialisation W₀ with φ = id and D' = 1 is Dai et al.'s meta-gradient"),
        Claim("(c)", attention.CORRECTION.value.xreplace(AS_LINEAR_ATTENTION), W_ZSL, proof=(
            Step(W_ZSL, Substitute(W_ZSL)),),
            text="R5's correction ΔW with φ = id and D' = 1 is Dai et al.'s zero-shot weights"),
    ),
    definitions=(Definition(Delta_W_ICL, W_V * X_D * (W_K * X_D).T, "the meta-gradient: the sum of vᵢkᵢᵀ over the demonstrations"),
                 Definition(W_ZSL, W_V * X_T * (W_K * X_T).T, "the zero-shot weights: the sum of vⱼkⱼᵀ over the query-side tokens")),
    depends_on=("R4", "R5"),
    sizes={d: (1, 2, 3), d_k: (1, 2, 3), d_v: (1, 2, 3), N: (1, 2, 3), T: (1, 2, 3)},
    numeric_checks=(NumericCheck("token-level oracle", token_level_oracle, "Σᵢ vᵢkᵢᵀq token by token"),),
    notes="Replace φ by the identity and drop the normalisation (D' = 1). Dai et al. call the demonstrations' "
          "term the meta-gradient and the query term the zero-shot weights; R5 makes the demonstrations the "
          "initialisation W₀ and the query side the correction ΔW: (b) and (c) show the two readings "
          "are the same partition with the labels swapped.",
    references=("Dai et al., Why Can GPT Learn In-Context?, Findings of ACL 2023",),
)

d_x, d_y = sp.Symbol("d_x", integer=True, positive=True), sp.Symbol("d_y", integer=True, positive=True)
X_in, Y_in = sp.MatrixSymbol("X", d_x, N), sp.MatrixSymbol("Y", d_y, N)
x_j, y_j = sp.MatrixSymbol("x_j", d_x, 1), sp.MatrixSymbol("y_j", d_y, 1)
W_lin, W_init = sp.MatrixSymbol("W_lin", d_y, d_x), sp.MatrixSymbol("W_init", d_y, d_x)
Delta_W_GD = sp.MatrixSymbol("Delta_W_GD", d_y, d_x)
I_x, I_y = sp.Identity(d_x), sp.Identity(d_y)
W_KQ = sp.BlockMatrix([[I_x, sp.ZeroMatrix(d_x, d_y)], [sp.ZeroMatrix(d_y, d_x), sp.ZeroMatrix(d_y, d_y)]])
W_V_GD = sp.BlockMatrix([[sp.ZeroMatrix(d_x, d_x), sp.ZeroMatrix(d_x, d_y)], [W_init, -I_y]])
TOKENS, TOKEN_J = sp.BlockMatrix([[X_in], [Y_in]]), sp.BlockMatrix([[x_j], [y_j]])
REGRESSION_LOSS = sqnorm(W_lin * X_in - Y_in) / (2 * N)


def layer_update(value_matrix=W_V_GD):
    """``e_j + (η/N) Σ_i W_V e_i (W_K e_i)ᵀ W_Q e_j`` with ``W_K = W_Q``, as block matrices.

    >>> layer_update().shape == (d_x + d_y, 1)
    True
    """
    return TOKEN_J + eta / N * value_matrix * TOKENS * (W_KQ * TOKENS).T * W_KQ * TOKEN_J


def gradient_descent_oracle(result, rng, trials):
    """The claimed update (b) against ``(x_j; y_j − ΔW x_j)`` with ``ΔW = −η∇L(W_0)`` from central
    differences of a plain NumPy ``L`` (quadratic: exact up to rounding, tolerance ``64u·scale/h``)."""
    worst = 0.0
    for trial in range(trials):
        dx, dy, nn = (int(rng.integers(1, 5)) for _ in range(3))
        X, Y, W0 = rng.normal(size=(dx, nn)), rng.normal(size=(dy, nn)), rng.normal(size=(dy, dx))
        xj, yj, step = rng.normal(size=(dx, 1)), rng.normal(size=(dy, 1)), float(rng.uniform(0.1, 2))

        def loss(w):
            return float(np.sum((w @ X - Y) ** 2)) / (2 * nn)

        h, grad = 1e-3, np.zeros_like(W0)
        for idx in np.ndindex(*W0.shape):
            e = np.zeros_like(W0)
            e[idx] = h
            grad[idx] = (loss(W0 + e) - loss(W0 - e)) / (2 * h)
        expected = np.vstack([xj, yj + step * grad @ xj])
        env = {X_in: X, Y_in: Y, W_init: W0, x_j: xj, y_j: yj, eta: step, N: nn}
        claimed = claim_side(result, "(b)", env, side="lhs")
        scale = (1 + loss(W0) + np.sum(np.abs(Y)) ** 2) * (1 + step * np.sum(np.abs(xj)))
        err = np.abs(np.asarray(claimed.val) - expected)
        worst = max(worst, float(np.max(err / np.maximum(np.abs(expected), 1e-300))))
        if np.any(err > 64 * UNIT_ROUNDOFF * scale / h + 4 * np.asarray(claimed.err)):
            return CheckOutcome("gradient-descent oracle", REFUTED, trials=trial + 1, max_error=worst,
                                detail="the layer's update is not one gradient step on L",
                                counterexample={"layer": np.round(np.asarray(claimed.val), 6).tolist(),
                                                "gradient_step": np.round(expected, 6).tolist()})
    return CheckOutcome("gradient-descent oracle", PASSED, trials=trials, max_error=worst,
                        detail="layer update against one step of finite-difference gradient descent")


R15 = Result(
    id="R15", label="von Oswald et al. 2023, Prop. 1", title="One linear self-attention layer is one step of GD",
    claims=(
        Claim("(a)", Delta_W_GD, -eta * (W_init * X_in - Y_in) * X_in.T / N, proof=(
            Step(-eta * Gradient(REGRESSION_LOSS, W_lin, W_init), Substitute(Delta_W_GD)),
            Step(-eta * (W_init * X_in - Y_in) * X_in.T / N, MatrixDerivative()),
        ), text="ΔW = −η∇L(W₀) with L(W) = (1/(2N))·Σᵢ ‖Wxᵢ − yᵢ‖²"),
        Claim("(b)", layer_update(), sp.BlockMatrix([[x_j], [y_j - Delta_W_GD * x_j]]), proof=(
            Step(sp.BlockMatrix([[x_j], [y_j + eta / N * (W_init * X_in - Y_in) * X_in.T * x_j]]),
                 Algebra("block products")),
            Step(sp.BlockMatrix([[x_j], [y_j - Delta_W_GD * x_j]]), Substitute("(a)")),
        ), text="the layer update of token j leaves its x part unchanged and turns its y part into y − ΔW·x"),
    ),
    definitions=(Definition(Delta_W_GD, -eta * Gradient(REGRESSION_LOSS, W_lin, W_init), "ΔW = −η∇L(W₀)"),),
    assumptions=(Assumption(eta > 0, "η > 0"),),
    depends_on=("R6", "R7"),
    sizes={d_x: (1, 2, 3), d_y: (1, 2, 3), N: (1, 2, 3)},
    numeric_checks=(NumericCheck("gradient-descent oracle", gradient_descent_oracle,
                                 "the layer against one finite-difference gradient step"),),
    notes="Tokens eᵢ = (xᵢ; yᵢ); key and query maps [[I, 0], [0, 0]], value map [[0, 0], [W₀, −I]]. The correction of "
          "R6 is one gradient step on a linear loss; here the step is on the least-squares loss of the tokens' "
          "(x, y) pairs, with W₀ the initialisation (cf. R7's distilled W₀).",
    references=("von Oswald et al., Transformers Learn In-Context by Gradient Descent, ICML 2023, Prop. 1",),
)

RESULTS = (R14, R15)
