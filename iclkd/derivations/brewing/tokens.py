"""Small synthetic attention problems built directly in NumPy: tokens, keys, features.

These are the independent oracles for the attention results: everything here is plain
loops and NumPy, never the SymPy statements.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def positive_features(omegas: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``φ(x) = M^{-1/2} (exp(ω_mᵀx − ||x||²/2))_m`` for one vector ``x``; ``omegas`` is ``d_k × M``.

    >>> positive_features(np.zeros((2, 4)), np.zeros(2)).tolist()
    [0.5, 0.5, 0.5, 0.5]
    """
    m = omegas.shape[1]
    return np.exp(omegas.T @ x - (x @ x) / 2) / np.sqrt(m)


@dataclass
class AttentionProblem:
    """Keys, values and a query for ``N`` demonstration and ``T`` query-side tokens."""

    keys: np.ndarray      # (N+T, d_k)
    values: np.ndarray    # (N+T, d_v)
    query: np.ndarray     # (d_k,)
    n_demo: int

    @property
    def scores(self) -> np.ndarray:
        return self.keys @ self.query

    def softmax_output(self) -> np.ndarray:
        """Exact attention ``h(q) = Σ v_i e^{s_i} / Σ e^{s_j}``."""
        s = self.scores
        w = np.exp(s - s.max())
        return (w / w.sum()) @ self.values

    def kernel_estimate(self, omegas: np.ndarray) -> np.ndarray:
        """``ĥ(q) = Σ v_i φ(k_i)ᵀφ(q) / Σ φ(k_j)ᵀφ(q)``, term by term."""
        m = omegas.shape[1]
        fq = positive_features(omegas, self.query)
        feats = np.exp(self.keys @ omegas - 0.5 * np.sum(self.keys**2, axis=1)[:, None]) / np.sqrt(m)
        weights = feats @ fq
        return (weights @ self.values) / weights.sum()


def random_problem(rng, *, n_demo=4, n_query=4, d_k=4, d_v=3, key_scale=0.25) -> AttentionProblem:
    """Keys and query ``~ N(0, key_scale² I)`` (small, so ``||k+q||²`` stays near or below 1)."""
    n = n_demo + n_query
    return AttentionProblem(rng.normal(0, key_scale, (n, d_k)), rng.normal(0, 1, (n, d_v)),
                            rng.normal(0, key_scale, d_k), n_demo)


def loglog_slope(ms: np.ndarray, mse: np.ndarray, mse_se: np.ndarray) -> tuple[float, float]:
    """Weighted least-squares slope of ``log sqrt(mse)`` against ``log M``, with its standard error.

    ``mse_se`` is the standard error of each ``mse`` (from the repeats); by the delta
    method ``se(log sqrt(mse)) = mse_se / (2 mse)``.

    >>> s, _ = loglog_slope(np.array([1., 4., 16.]), np.array([1., .25, .0625]), np.array([.01, .0025, .000625]))
    >>> round(s, 6)
    -0.5
    """
    x, y = np.log(ms), 0.5 * np.log(mse)
    sd = mse_se / (2 * mse)
    w = 1 / sd**2
    xm = np.sum(w * x) / np.sum(w)
    ym = np.sum(w * y) / np.sum(w)
    sxx = np.sum(w * (x - xm) ** 2)
    slope = np.sum(w * (x - xm) * (y - ym)) / sxx
    return float(slope), float(np.sqrt(1 / sxx))
