"""Determinants in float64 with a first-order bound on their error, and exactly.

Gaussian elimination with partial pivoting gives ``L U = P (A + ΔA)`` with
``|ΔA| <= γ_n |L||U|`` (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
Thm. 9.3), and ``det A = ± Π u_ii`` costs ``n − 1`` more roundings. By Jacobi's formula a
perturbation ``E`` of ``A`` moves ``det A`` by ``det A · tr(A⁻¹ E)`` to first order, so

    |fl(det A) − det A| <= |det A| (Σ_ij |A⁻¹|_ji (|ΔA| + |E_A|)_ij + γ_n),

where ``E_A`` is the error already carried by ``A``'s entries. A singular matrix (a zero
pivot) has no such bound: it is reported, never evaluated to a silent zero.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .values import EvaluationError, gamma


def lu_factors(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """``L``, ``U`` and the sign of the row permutation of ``a`` (partial pivoting).

    >>> L, U, sign = lu_factors(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> sign, float(U[0, 0] * U[1, 1])
    (-1, 2.0)
    """
    n = a.shape[0]
    u = np.array(a, dtype=float)
    lower = np.eye(n)
    sign = 1
    for k in range(n - 1):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if p != k:
            u[[k, p]] = u[[p, k]]
            lower[[k, p], :k] = lower[[p, k], :k]
            sign = -sign
        if u[k, k] == 0.0:
            continue
        factors = u[k + 1:, k] / u[k, k]
        lower[k + 1:, k] = factors
        u[k + 1:, k:] -= np.outer(factors, u[k, k:])
        u[k + 1:, k] = 0.0
    return lower, u, sign


def float_determinant(a: np.ndarray, err) -> tuple[float, float]:
    """``det a`` and a first-order bound on its error, ``err`` bounding the error of ``a``'s entries.

    >>> d, bound = float_determinant(np.array([[2.0, 1.0], [1.0, 3.0]]), 0.0)
    >>> round(d, 12), bool(0 < bound < 1e-14)
    (5.0, True)
    """
    n = a.shape[0]
    lower, upper, sign = lu_factors(a)
    pivots = np.diag(upper)
    if np.any(pivots == 0.0) or not np.all(np.isfinite(upper)):
        raise EvaluationError("the matrix is singular (or not finite) at this instance: its determinant has "
                              "no rounding bound")
    det = sign * float(np.prod(pivots))
    inverse = np.linalg.inv(a)
    perturbation = gamma(n) * (np.abs(lower) @ np.abs(upper)) + np.asarray(err, dtype=float)
    spread = float(np.sum(np.abs(inverse).T * perturbation))
    return det, abs(det) * (spread + gamma(n))


def exact_determinant(entries) -> sp.Basic:
    """The determinant of a matrix of SymPy numbers (Bareiss elimination, exact on rationals).

    >>> exact_determinant([[sp.Rational(1, 2), 1], [1, 4]])
    1
    """
    return sp.Matrix(entries).det(method="bareiss")
