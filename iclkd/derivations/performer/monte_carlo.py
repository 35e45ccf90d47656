"""Monte Carlo z-tests of the estimators, with scales from their known moments.

Each estimator draws ``F(ω)`` with ``ω ~ N(0, I)``: positive ``φ_ω(x)φ_ω(y)``, hyperbolic
``e^{−(||x||²+||y||²)/2} cosh(ωᵀs)``, trigonometric ``e^{(||x||²+||y||²)/2} cos(ωᵀΔ)``. Their
moments ``E F^k`` (k ≤ 4) are closed forms (Gaussian MGF and characteristic function, with
``cosh⁴ = 3/8 + cosh(2·)/2 + cosh(4·)/8`` and the same for ``cos``), computed here in NumPy,
independently of the statements under test.
"""
from __future__ import annotations

import numpy as np

from iclkd.numeric import PASSED, REFUTED, CheckOutcome, ZTest, feature_product_moment

SAMPLES = 40_000


def light_tailed_pair(rng, max_sum_sq=0.25, max_norm=1.2):
    """``x, y`` with ``||x+y||² <= max_sum_sq`` (light tails for the z-test) and ``x`` of norm
    up to ``max_norm`` (so ``xᵀy`` ranges far from 0 and wrong constants show)."""
    k = int(rng.integers(1, 4))
    x = rng.normal(size=k)
    x *= rng.uniform(0.0, max_norm) / np.linalg.norm(x)
    c = rng.normal(size=k)
    c *= np.sqrt(max_sum_sq * rng.uniform(0.2, 1.0)) / np.linalg.norm(c)
    return x, c - x


def draws(kind: str, rng, x, y, n: int) -> np.ndarray:
    """``n`` i.i.d. values of one draw of estimator ``kind`` (``positive``, ``hyperbolic``, ``trig``)."""
    w = rng.standard_normal((n, len(x)))
    return draws_at(kind, w, x, y)


def draws_at(kind: str, w, x, y) -> np.ndarray:
    """The estimator's draw at given ``ω`` (rows of ``w``)."""
    norms = x @ x + y @ y
    if kind == "positive":
        return np.exp(w @ x - (x @ x) / 2) * np.exp(w @ y - (y @ y) / 2)
    if kind == "hyperbolic":
        return np.exp(-norms / 2) * np.cosh(w @ (x + y))
    if kind == "trig":
        return np.exp(norms / 2) * np.cos(w @ (x - y))
    raise ValueError(f"unknown estimator {kind!r} (positive, hyperbolic or trig)")


def moment(kind: str, k: int, x, y) -> float:
    """``E F^k`` for ``k`` in 1, 2, 4."""
    if kind == "positive":
        return feature_product_moment(k, x, y)
    norms, s2, d2 = x @ x + y @ y, (x + y) @ (x + y), (x - y) @ (x - y)
    if kind == "hyperbolic":
        scale, mgf = np.exp(-norms / 2), (lambda j: np.exp(j * j * s2 / 2))
    else:
        scale, mgf = np.exp(norms / 2), (lambda j: np.exp(-j * j * d2 / 2))
    power = {1: mgf(1), 2: (1 + mgf(2)) / 2, 4: 3 / 8 + mgf(2) / 2 + mgf(4) / 8}[k]
    return float(scale**k * power)


def z_outcome(name: str, tests: list, description: str) -> CheckOutcome:
    """``PASSED`` if every ``(ZTest, instance)`` passes, else ``REFUTED`` at the first failing one."""
    worst = max(tests, key=lambda t: abs(t[0].z))
    rel = max(abs(t.estimate - t.claimed) / max(abs(t.claimed), 1e-300) for t, _ in tests)
    stats = {"max_abs_z": abs(worst[0].z), "z_critical": worst[0].as_dict()["z_critical"]}
    failing = next(((t, inst) for t, inst in tests if not t.passes), None)
    if failing is None:
        return CheckOutcome(name, PASSED, trials=len(tests), max_error=rel, stats=stats, detail=description)
    t, inst = failing
    return CheckOutcome(name, REFUTED, trials=len(tests), max_error=rel, stats=stats,
                        detail=f"Monte Carlo mean {t.estimate:.6g} vs claimed {t.claimed:.6g}: z = {t.z:.2f}",
                        counterexample={**inst, **{k: float(v) for k, v in t.as_dict().items()}})


def instance(x, y, **more) -> dict:
    return {"x": np.round(x, 6).tolist(), "y": np.round(y, 6).tolist(), **more}


def haar_orthogonal_draws(rng, d: int, m: int) -> np.ndarray:
    """``m <= d`` rows ``ω_i = ρ_i u_i``: ``u_i`` orthonormal columns of a Haar matrix, ``ρ_i ~ χ_d``."""
    q, rr = np.linalg.qr(rng.standard_normal((d, d)))
    q = q * np.sign(np.diag(rr))  # the sign fix makes q Haar-distributed
    rho = np.sqrt(rng.chisquare(d, size=m))
    return (q[:, :m] * rho).T


def orthogonal_estimates(rng, x, y, d: int, m: int, n: int) -> np.ndarray:
    """``n`` independent positive estimators, each the mean of ``m`` orthogonal draws (batched QR)."""
    q, rr = np.linalg.qr(rng.standard_normal((n, d, d)))
    q = q * np.sign(np.diagonal(rr, axis1=-2, axis2=-1))[:, None, :]
    w = np.swapaxes(q[:, :, :m] * np.sqrt(rng.chisquare(d, size=(n, 1, m))), -1, -2)  # (n, m, d)
    return draws_at("positive", w, x, y).mean(axis=-1)


def coupled_squared_error_difference(rng, x, y, d: int, m: int, n: int) -> np.ndarray:
    """``n`` values of ``(Ô − SM)² − (Î − SM)²``: ``Ô`` averages ``m`` orthogonal draws ``ρ_i u_i``,
    ``Î`` averages ``ρ_i u'_i`` with the same radii ``ρ_i ~ χ_d`` and independent uniform
    directions ``u'_i`` (so its draws are i.i.d. N(0, I)): common radii make the difference less noisy."""
    q, rr = np.linalg.qr(rng.standard_normal((n, d, d)))
    q = q * np.sign(np.diagonal(rr, axis1=-2, axis2=-1))[:, None, :]
    rho = np.sqrt(rng.chisquare(d, size=(n, 1, m)))
    u = rng.standard_normal((n, d, m))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    kernel = float(np.exp(x @ y))
    ort = draws_at("positive", np.swapaxes(q[:, :, :m] * rho, -1, -2), x, y).mean(axis=-1)
    iid = draws_at("positive", np.swapaxes(u * rho, -1, -2), x, y).mean(axis=-1)
    return (ort - kernel) ** 2 - (iid - kernel) ** 2


__all__ = ["SAMPLES", "light_tailed_pair", "draws", "draws_at", "moment", "z_outcome", "instance",
           "haar_orthogonal_draws", "orthogonal_estimates", "coupled_squared_error_difference", "ZTest"]
