"""Empirical Rademacher complexity of the distilled student's loss class, and a generalisation
simulation on a finitely supported distribution (R11). Plain NumPy, independent of the claims.

For signs ``s`` the sum ``(1/N) Σ_i s_i ||v_i − Wφ_i||²`` is a quadratic in ``w = vec(W)``
(row-major): constant ``(1/N) Σ s_i||v_i||²``, linear part ``−(2/N) vec(Σ s_i v_i φ_iᵀ)``,
quadratic part ``(1/N) I ⊗ Σ s_i φ_i φ_iᵀ``; its supremum over ``||W||_F <= B`` is a trust-region
problem (:func:`~iclkd.numeric_checks.supremum.maximise_quadratic_on_ball`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iclkd.numeric import UNIT_ROUNDOFF, maximise_quadratic_on_ball

MAX_ENUMERATED = 12
HOEFFDING_ALPHA = 1e-9


def sign_patterns(n: int) -> np.ndarray:
    """All ``2^n`` sign vectors as rows.

    >>> sign_patterns(2).tolist()
    [[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]]
    """
    return (1 - 2 * ((np.arange(2**n)[:, None] >> np.arange(n)) & 1)).astype(float)


def loss_suprema(values, feats, signs, radius):
    """``sup_{||W||_F <= radius} (1/N) Σ_i s_i ||v_i − Wφ_i||²`` for each row ``s`` of ``signs``.

    Returns ``(values, certificates)``. ``values`` is ``d_v × N``, ``feats`` is ``M × N``.

    >>> v, _ = loss_suprema(np.ones((1, 1)), np.ones((1, 1)), np.array([[1.0]]), 1.0)
    >>> round(float(v[0]), 9)
    4.0
    """
    dv, N = values.shape
    m = feats.shape[0]
    const = signs @ np.sum(values * values, axis=0) / N
    linear = -2 * np.einsum("si,ki,ji->skj", signs, values, feats).reshape(len(signs), dv * m) / N
    gram = np.einsum("si,ai,bi->sab", signs, feats, feats) / N
    quadratic = np.einsum("kl,sab->skalb", np.eye(dv), gram).reshape(len(signs), dv * m, dv * m)
    return maximise_quadratic_on_ball(const, linear, quadratic, radius)


@dataclass
class ComplexityEstimate:
    """``R̂_S`` (exact over every sign pattern, or a Monte Carlo mean) with its error bound."""

    value: float
    error: float
    exact: bool
    patterns: int


def empirical_rademacher(values, feats, radius, rng=None, draws: int = 2000) -> ComplexityEstimate:
    """``R̂_S(ℓ∘F_B) = E_σ sup_W (1/N) Σ σ_i ℓ_W(x_i)``: exact for ``N <= 12``, else Monte Carlo.

    The Monte Carlo error is Hoeffding's at level ``1e-9``: each supremum lies in ``[−c_S, c_S]``
    with ``c_S = max_i (||v_i|| + B||φ_i||)²`` (the sup is at least its value at ``W = 0``).

    >>> est = empirical_rademacher(np.ones((1, 1)), np.ones((1, 1)), 1.0)
    >>> round(est.value, 9), est.exact
    (2.0, True)
    """
    N = values.shape[1]
    if N <= MAX_ENUMERATED:
        signs, exact = sign_patterns(N), True
    else:
        signs, exact = rng.choice([-1.0, 1.0], size=(draws, N)), False
    sups, certificates = loss_suprema(values, feats, signs, radius)
    value = float(np.mean(sups))
    rounding = 64 * values.size * UNIT_ROUNDOFF * float(np.mean(np.abs(sups)) + 1)
    error = float(np.mean(certificates)) + rounding
    if not exact:
        reach = float(np.max((np.linalg.norm(values, axis=0) + radius * np.linalg.norm(feats, axis=0)) ** 2))
        error += 2 * reach * math.sqrt(math.log(2 / HOEFFDING_ALPHA) / (2 * len(signs)))
    return ComplexityEstimate(value, error, exact, len(signs))


@dataclass
class FiniteDistribution:
    """``P`` uniform on the columns of ``values`` (``d_v × K``) and ``feats`` (``M × K``)."""

    values: np.ndarray
    feats: np.ndarray

    @property
    def value_radius(self) -> float:
        """``R_v = max ||v||`` over the support."""
        return float(np.max(np.linalg.norm(self.values, axis=0)))

    @property
    def feature_radius(self) -> float:
        """``R_φ = max ||φ(W_K x)||`` over the support (the data-dependent ``R_φ``)."""
        return float(np.max(np.linalg.norm(self.feats, axis=0)))

    def loss(self, W, idx=None) -> float:
        """Mean loss ``||v − Wφ||²`` over the support, or over the atoms ``idx`` (a sample)."""
        v, f = (self.values, self.feats) if idx is None else (self.values[:, idx], self.feats[:, idx])
        return float(np.mean(np.sum((v - W @ f) ** 2, axis=0)))


def ridge_on_ball(values, feats, radius, lam=1e-3):
    """The ridge minimiser on a sample, rescaled to ``||W||_F = radius`` (as far out as allowed).

    >>> W = ridge_on_ball(np.eye(2), np.eye(2), 1.0)
    >>> round(float(np.linalg.norm(W)), 12)
    1.0
    """
    m, N = feats.shape
    W = values @ feats.T @ np.linalg.inv(feats @ feats.T + lam * N * np.eye(m))
    norm = np.linalg.norm(W)
    return W * (radius / norm) if norm > 0 else W
