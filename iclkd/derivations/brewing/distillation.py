"""The initialisation is distilled (R7) and the implicit alignment condition (R8)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import PASSED, REFUTED, CheckOutcome, evaluate
from iclkd import (Algebra, Assumption, Bound, Claim, Definition, Gradient, GradientLinearity, inner,
                   MatrixDerivative, NumericCheck, Result, ScalarMultipleIff, SolveFor, sqnorm, Step,
                   Substitute)
from .attention import ATTENTION_SIZES, FEATURE_SAMPLERS
from .notation import (D_prime, H, M, N, Phi_D, V_D, W, W_0, W_1, W_star, d_v, eta, lam)

ZERO = sp.ZeroMatrix(d_v, M)
L_KD = sqnorm(V_D - W * Phi_D) / N
GRAD_KD = -2 * (V_D - W * Phi_D) * Phi_D.T / N
ONE_STEP = Definition(W_1, -eta * Gradient(L_KD, W, ZERO), "one gradient step from W = 0")
RIDGE = Definition(W_star, V_D * Phi_D.T * sp.Inverse(Phi_D * Phi_D.T + lam * N * sp.Identity(M)),
                   "ridge minimiser")
UNIT_ROUNDOFF = np.finfo(float).eps / 2


def _instance(rng):
    n, m, dv = (int(rng.integers(1, 5)) for _ in range(3))
    return {N: n, M: m, d_v: dv, V_D: rng.normal(size=(dv, n)), Phi_D: rng.uniform(0.1, 2.0, (m, n)),
            W: rng.normal(size=(dv, m))}


def hessian_conventions(result, rng, trials):
    """Hessian of a plain NumPy ``L_KD`` by central differences, in both vec conventions.

    Column stacking gives ``(2/N) Φ Φᵀ ⊗ I``, row stacking ``(2/N) I ⊗ Φ Φᵀ``; ``L_KD`` is
    quadratic, so second differences are exact up to rounding (tolerance ``u·|L|/h²``).
    """
    worst = 0.0
    for t in range(trials):
        env = _instance(rng)
        v, phi, n = env[V_D], env[Phi_D], env[N]
        dv, m = v.shape[0], phi.shape[0]

        def loss(w):
            r = v - w @ phi
            return float(np.sum(r * r)) / n

        h = 1e-2
        w0 = env[W]
        size = dv * m
        for order, kron in (("F", np.kron(2 * phi @ phi.T / n, np.eye(dv))),
                            ("C", np.kron(np.eye(dv), 2 * phi @ phi.T / n))):
            basis = [np.eye(size)[i].reshape((dv, m), order=order) for i in range(size)]
            hess = np.array([[(loss(w0 + h * (ei + ej)) - loss(w0 + h * (ei - ej)) - loss(w0 - h * (ei - ej))
                               + loss(w0 - h * (ei + ej))) / (4 * h * h) for ej in basis] for ei in basis])
            tol = 64 * UNIT_ROUNDOFF * (loss(w0) + np.sum((np.abs(v) + 1) ** 2)) / h**2
            err = float(np.max(np.abs(hess - kron)))
            worst = max(worst, err / max(float(np.max(np.abs(kron))), 1e-300))
            if err > tol or not np.all(np.linalg.eigvalsh((hess + hess.T) / 2) > -tol):
                return CheckOutcome("Hessian conventions", REFUTED, trials=t + 1, max_error=worst,
                                    detail=f"Hessian in {order}-order stacking differs from its Kronecker form",
                                    counterexample={"stacking": order, "error": err, "tolerance": tol})
    return CheckOutcome("Hessian conventions", PASSED, trials=trials, max_error=worst,
                        detail="column stacking: (2/N)ΦΦᵀ⊗I; row stacking: (2/N)I⊗ΦΦᵀ; both ⪰ 0")


def ridge_limit(result, rng, trials):
    """The ridge minimiser against an independent least-squares solve, and its λ → 0 limit.

    The gap to ``V Φ⁺`` must be ``V Q diag(−ε/(s(s²+ε))) Uᵀ`` per singular value ``s``
    (``ε = λN``), which goes to 0; the tolerance is ``n u κ²`` times the scale, the
    first-order sensitivity of least squares.
    """
    worst = 0.0
    for t in range(trials):
        env = _instance(rng)
        v, phi, n = env[V_D], env[Phi_D], env[N]
        m = phi.shape[0]
        for lam_value in (1.0, 1e-2, 1e-4):
            env_l = {**env, lam: lam_value}
            w_star = evaluate(result.definitions[1].value, env_l).val
            aug = np.hstack([phi, np.sqrt(lam_value * n) * np.eye(m)])
            target = np.hstack([v, np.zeros((v.shape[0], m))])
            w_lsq = np.linalg.lstsq(aug.T, target.T, rcond=None)[0].T
            kappa = np.linalg.cond(aug)
            scale = max(float(np.max(np.abs(w_lsq))), 1e-300)
            err = float(np.max(np.abs(w_star - w_lsq)))
            worst = max(worst, err / scale)
            u_, s_, qt = np.linalg.svd(phi, full_matrices=False)
            eps = lam_value * n
            keep = s_ > 1e-12 * s_[0]
            gap_formula = (v @ qt[keep].T * (-eps / (s_[keep] * (s_[keep] ** 2 + eps)))) @ u_[:, keep].T
            gap = w_star - v @ np.linalg.pinv(phi)
            gap_err = float(np.max(np.abs(gap - gap_formula)))
            tol = 64 * (m + n) * UNIT_ROUNDOFF * kappa**2 * max(scale, float(np.max(np.abs(v @ np.linalg.pinv(phi)))))
            if err > tol or gap_err > tol:
                return CheckOutcome("ridge minimiser and limit", REFUTED, trials=t + 1, max_error=worst,
                                    detail="the ridge minimiser disagrees with least squares or the gap formula",
                                    counterexample={"lambda": lam_value, "error": err, "gap_error": gap_err,
                                                    "tolerance": tol})
    return CheckOutcome("ridge minimiser and limit", PASSED, trials=trials * 3, max_error=worst,
                        detail="W*_λ equals the least-squares solution; gap to VΦ⁺ is -ε/(s(s²+ε)) per singular value")


R7 = Result(
    id="R7", label="Theorem 3.1", title="The initialisation is distilled",
    claims=(
        Claim("(a)", Gradient(L_KD, W), GRAD_KD, proof=(Step(GRAD_KD, MatrixDerivative()),)),
        Claim("(b)", W_1, 2 * eta * V_D * Phi_D.T / N, proof=(
            Step(-eta * Gradient(L_KD, W, ZERO), Substitute(W_1)),
            Step(2 * eta * V_D * Phi_D.T / N, MatrixDerivative()),
        )),
        Claim("(c)", sp.Integer(0), L_KD.xreplace({W: W + H}) - L_KD - inner(GRAD_KD, H), relation="<=", proof=(
            Step(sqnorm(H * Phi_D) / N, Bound("a squared norm is nonnegative"), relation="<="),
            Step(L_KD.xreplace({W: W + H}) - L_KD - inner(GRAD_KD, H), Algebra("second-order expansion")),
        )),
        Claim("(d)", Gradient(L_KD + lam * sqnorm(W), W, W_star), ZERO, proof=(
            Step(Gradient(L_KD, W, W_star) + lam * Gradient(sqnorm(W), W, W_star), GradientLinearity()),
            Step(-2 * (V_D - W_star * Phi_D) * Phi_D.T / N + 2 * lam * W_star, MatrixDerivative()),
            Step(ZERO, Substitute(W_star)),
        )),
        Claim("(e)", sp.Integer(0), (L_KD + lam * sqnorm(W)).xreplace({W: W + H}) - L_KD - lam * sqnorm(W)
              - inner(GRAD_KD + 2 * lam * W, H), relation="<=", proof=(
            Step(sqnorm(H * Phi_D) / N + lam * sqnorm(H), Bound("squared norms, λ > 0"), relation="<="),
            Step((L_KD + lam * sqnorm(W)).xreplace({W: W + H}) - L_KD - lam * sqnorm(W)
                 - inner(GRAD_KD + 2 * lam * W, H), Algebra("second-order expansion")),
        )),
    ),
    assumptions=(Assumption(eta > 0, "positive step"), Assumption(lam > 0, "positive ridge")),
    definitions=(ONE_STEP, RIDGE),
    sizes=ATTENTION_SIZES, samplers=FEATURE_SAMPLERS,
    numeric_checks=(NumericCheck("Hessian conventions", hessian_conventions,
                                 "finite-difference Hessian in column and row stacking"),
                    NumericCheck("ridge minimiser and limit", ridge_limit,
                                 "least-squares oracle and the λ → 0 gap formula")),
    notes="(c) and (e): the second-order remainder is a squared norm, so L_KD is convex and the "
          "ridge objective strictly convex (λ||H||² > 0 for H ≠ 0): the stationary point (d) is the "
          "unique minimiser. Hessian of L_KD in vec(W) (column stacking): (2/N) Φ_D Φ_Dᵀ ⊗ I_{d_v}; "
          "row stacking: (2/N) I_{d_v} ⊗ Φ_D Φ_Dᵀ.",
)

ALIGNMENT_GAP = (2 * eta / N - 1 / D_prime) * V_D * Phi_D.T

R8 = Result(
    id="R8", label="Corollary 3.2", title="Implicit alignment: one distillation step equals the initialisation",
    claims=(
        Claim("(a)", W_1 - W_0, ALIGNMENT_GAP, proof=(
            Step(2 * eta * V_D * Phi_D.T / N - W_0, Substitute("R7(b)")),
            Step(ALIGNMENT_GAP, Substitute(W_0)),
        )),
        Claim("(b)", sp.Eq(W_1, W_0), sp.Eq(eta, N / (2 * D_prime)), relation="iff", proof=(
            Step(sp.Eq(2 * eta / N, 1 / D_prime), ScalarMultipleIff(V_D * Phi_D.T, by="(a)"), relation="iff"),
            Step(sp.Eq(eta, N / (2 * D_prime)), SolveFor(eta), relation="iff"),
        )),
    ),
    assumptions=(Assumption(V_D * Phi_D.T, "V_D Φ_Dᵀ ≠ 0", kind="nonzero"),
                 Assumption(eta > 0, "positive step")),
    depends_on=("R5", "R7"), sizes=ATTENTION_SIZES, samplers=FEATURE_SAMPLERS,
    notes="η* = N/(2D'), i.e. 2η*/N = 1/D'.",
)

RESULTS = (R7, R8)
