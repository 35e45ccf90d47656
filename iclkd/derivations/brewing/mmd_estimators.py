"""The attention kernel ``k_ψ`` and maximum mean discrepancies, computed directly in NumPy.

``ψ(x) = (W_V x) φ(W_K x)ᵀ`` and ``k_ψ(x, y) = (xᵀW_VᵀW_V y)·(φ(W_K x)ᵀφ(W_K y))`` (R9). Samples
are the columns of ``X`` (``d × n``); a finitely supported distribution is atoms plus weights.
Everything but the features works on object arrays of exact rationals too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from iclkd.numeric import gamma, object_array, random_rational, Sampler


@dataclass(frozen=True)
class AttentionKernel:
    """``ψ`` and ``k_ψ`` for fixed ``W_V`` (``d_v × d``), ``W_K`` (``d_k × d``) and features ``Ω`` (``d_k × M``).

    >>> ker = AttentionKernel(np.eye(2), np.eye(2), np.zeros((2, 3)))
    >>> ker.psi(np.array([1.0, 0.0])).shape
    (2, 3)
    """

    W_V: np.ndarray
    W_K: np.ndarray
    omegas: np.ndarray

    def values(self, X):
        """``V = W_V X``: one value per column of ``X``."""
        return self.W_V @ X

    def features(self, X):
        """``Φ = [φ(W_K x_1) … φ(W_K x_n)]`` (``M × n``), ``φ(u) = M^{-1/2} exp(Ωᵀu − ||u||²/2)``."""
        keys = self.W_K @ X
        m = self.omegas.shape[1]
        return np.exp(self.omegas.T @ keys - np.sum(keys * keys, axis=0) / 2) / np.sqrt(m)

    def psi(self, x):
        """``ψ(x) = (W_V x) φ(W_K x)ᵀ`` for one point ``x``."""
        column = np.asarray(x, float).reshape(-1, 1)
        return self.values(column) @ self.features(column).T

    def rounding_depth(self, X) -> int:
        """``k`` such that every entry of ``ψ(x)``, ``x`` a column of ``X``, is computed with relative
        error at most ``γ_k``: ``W_V x`` (``d`` terms), ``W_K x``, the exponent ``ωᵀk − ||k||²/2``
        (its rounding, relative to ``|ω|ᵀ|k| + ||k||²/2``, times ``1 + |exponent|`` through ``exp``).

        >>> AttentionKernel(np.eye(1), np.eye(1), np.zeros((1, 1))).rounding_depth(np.zeros((1, 1)))
        12
        """
        keys = self.W_K @ X
        size = np.abs(self.omegas).T @ np.abs(keys) + np.sum(keys * keys, axis=0) / 2
        dims = X.shape[0] + self.W_K.shape[0]
        return int(2 * X.shape[0] + (dims + 4) * (1 + np.ceil(np.max(size, initial=0.0))) + 4)

    def mean_embedding(self, X, weights=None):
        """``Σ_i w_i ψ(x_i)`` (uniform weights ``1/n`` by default), summed point by point."""
        n = X.shape[1]
        weights = np.full(n, 1.0 / n) if weights is None else weights
        return sum(w * self.psi(X[:, i]) for i, w in enumerate(weights))

    def absolute_embedding(self, X, weights=None):
        """``Σ_i |w_i| |ψ(x_i)|``: the scale of :meth:`mean_embedding`'s rounding error."""
        n = X.shape[1]
        weights = np.full(n, 1.0 / n) if weights is None else weights
        return sum(abs(w) * np.abs(self.psi(X[:, i])) for i, w in enumerate(weights))


def kernel_matrix(values_x, feats_x, values_y, feats_y):
    """``K_ij = k_ψ(x_i, y_j) = (v_iᵀv_j)(f_iᵀf_j)`` from values (``d_v × n``) and features (``M × n``).

    >>> kernel_matrix(np.ones((1, 2)), np.ones((1, 2)), np.ones((1, 1)), 2 * np.ones((1, 1))).tolist()
    [[2.0], [2.0]]
    """
    return (values_x.T @ values_y) * (feats_x.T @ feats_y)


def _uniform(n, like):
    if np.asarray(like).dtype == object:
        return np.array([sp.Rational(1, n)] * n, dtype=object)
    return np.full(n, 1.0 / n)


def mmd2_biased(k_xx, k_yy, k_xy, p=None, q=None):
    """``MMD_b² = pᵀK_XX p + qᵀK_YY q − 2 pᵀK_XY q`` (the V-statistic; weights ``1/n``, ``1/m`` by default).

    With weights it is the exact squared MMD of two finitely supported distributions.

    >>> k = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> float(mmd2_biased(k, k, k))
    0.0
    """
    p = _uniform(k_xx.shape[0], k_xx) if p is None else p
    q = _uniform(k_yy.shape[0], k_yy) if q is None else q
    return p @ k_xx @ p + q @ k_yy @ q - 2 * (p @ k_xy @ q)


def mmd2_unbiased(k_xx, k_yy, k_xy):
    """The unbiased U-statistic: diagonals dropped, ``1/(n(n−1))`` (needs ``n, m >= 2``).

    >>> k = np.ones((2, 2))
    >>> float(mmd2_unbiased(k, k, k))
    0.0
    """
    n, m = k_xx.shape[0], k_yy.shape[0]
    off_x = np.sum(k_xx) - np.trace(k_xx)
    off_y = np.sum(k_yy) - np.trace(k_yy)
    return off_x / (n * (n - 1)) + off_y / (m * (m - 1)) - 2 * np.sum(k_xy) / (n * m)


def mmd2_from_samples(kernel: AttentionKernel, X, Y, p=None, q=None):
    """``(MMD_b², rounding bound)`` between the columns of ``X`` and ``Y`` (weights optional).

    The bound is first order (Higham): every term is a product through at most
    ``d_v + M + n + m + 4`` roundings, so ``γ_k`` times the same sum taken in absolute values.

    >>> ker = AttentionKernel(np.eye(1), np.eye(1), np.zeros((1, 1)))
    >>> value, bound = mmd2_from_samples(ker, np.array([[1.0]]), np.array([[1.0]]))
    >>> float(value), bool(bound < 1e-14)
    (0.0, True)
    """
    vx, fx, vy, fy = kernel.values(X), kernel.features(X), kernel.values(Y), kernel.features(Y)
    return mmd2_from_blocks(vx, fx, vy, fy, p, q)


def mmd2_from_blocks(vx, fx, vy, fy, p=None, q=None):
    """:func:`mmd2_from_samples` from values and features already computed."""
    value = mmd2_biased(kernel_matrix(vx, fx, vx, fx), kernel_matrix(vy, fy, vy, fy),
                        kernel_matrix(vx, fx, vy, fy), p, q)
    if np.asarray(vx).dtype == object:
        return value, 0
    a = [np.abs(z) for z in (vx, fx, vy, fy)]
    pa = None if p is None else np.abs(p)
    qa = None if q is None else np.abs(q)
    absolute = (mmd2_biased(kernel_matrix(a[0], a[1], a[0], a[1]), kernel_matrix(a[2], a[3], a[2], a[3]),
                            -kernel_matrix(a[0], a[1], a[2], a[3]), pa, qa))
    depth = vx.shape[0] + fx.shape[0] + vx.shape[1] + vy.shape[1] + 4
    return value, gamma(depth) * absolute


def probability_weights() -> Sampler:
    """A column of positive weights summing to one (Dirichlet(1); exact: normalised rationals).

    >>> w = probability_weights().draw(np.random.default_rng(0), (3, 1), False)
    >>> bool(abs(w.sum() - 1) < 1e-12)
    True
    """
    def draw(rng, shape, exact):
        if exact:
            raw = object_array(shape, lambda: abs(random_rational(rng, positive=True)))
            return raw / sum(raw.ravel())
        raw = rng.exponential(size=shape)
        return raw / raw.sum()
    return Sampler("probability weights", draw, nonnegative=True)
