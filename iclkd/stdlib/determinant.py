"""Determinants: products, scalars, rank-one updates, Sylvester's identity and gradients
(Matrix Cookbook Secs. 1.3 and 2.1). SymPy cannot decide most of these at symbolic sizes: the
engine proves them by exact evaluation at explicit sizes."""
from __future__ import annotations

import sympy as sp
from sympy import Q

from ..symbolic.objects import Gradient
from ..symbolic.result import Step
from ..symbolic.rules import MatrixDerivative
from .entry import HORN_JOHNSON, cookbook, entry, m, n

A, B, X = (sp.MatrixSymbol(s, n, n) for s in "ABX")
F, G = sp.MatrixSymbol("F", n, m), sp.MatrixSymbol("G", m, n)
u, v = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
A2, A3 = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("A", 3, 3)
c = sp.Symbol("c", real=True)
det, inv, tr = sp.Determinant, sp.Inverse, sp.Trace
SYLVESTER = ("Horn & Johnson 1.3.22", f"{HORN_JOHNSON}, Theorem 1.3.22 (AB and BA have the same nonzero "
                                      "eigenvalues), hence Sylvester's determinant identity")
CAUCHY = ("Horn & Johnson (0.8.5.11)", f"{HORN_JOHNSON}, eq. (0.8.5.11) (Cauchy's expansion of det(A + xyᵀ)), "
                                      "with adj A = det(A) A⁻¹")


def _calculus(rhs):
    return (Step(rhs, MatrixDerivative()),)


ENTRIES = (
    entry("det.scalar", cookbook(19), "det(cA) = cⁿ det(A)", det(c * A), c**n * det(A)),
    entry("det.transpose", cookbook(20), "The determinant of a transpose", det(A.T), det(A)),
    entry("det.product", cookbook(21), "The determinant is multiplicative", det(A * B), det(A) * det(B)),
    entry("det.inverse", cookbook(22), "The determinant of an inverse", det(inv(A)), 1 / det(A)),
    entry("det.power", cookbook(23), "det(A³) = det(A)³", det(A**3), det(A)**3),
    entry("det.rank_one", cookbook(24), "det(I + uvᵀ) = 1 + uᵀv", det(sp.Identity(n) + u * v.T), 1 + tr(u.T * v)),
    entry("det.identity_plus_2x2", cookbook(25), "det(I + A) for a 2×2 matrix",
          det(sp.Identity(2) + A2), 1 + det(A2) + tr(A2)),
    entry("det.identity_plus_3x3", cookbook(26), "det(I + A) for a 3×3 matrix",
          det(sp.Identity(3) + A3), 1 + det(A3) + tr(A3) + tr(A3)**2 / 2 - tr(A3 * A3) / 2),
    entry("det.sylvester", SYLVESTER, "Sylvester's determinant identity det(I + FG) = det(I + GF)",
          det(sp.Identity(n) + F * G), det(sp.Identity(m) + G * F)),
    entry("det.rank_one_update", CAUCHY, "det(A + uvᵀ) = det(A)(1 + vᵀA⁻¹u)",
          det(A + u * v.T), det(A) * (1 + tr(v.T * inv(A) * u))),
    entry("det.gram_transpose", cookbook(21), "det(AᵀA) = det(A)²", det(A.T * A), det(A)**2),
    entry("det.grad", cookbook(49), "The gradient of the determinant", Gradient(det(X), X), det(X) * inv(X).T,
          proof=_calculus(det(X) * inv(X).T)),
    entry("det.log_grad", cookbook(57), "The gradient of the log-determinant", Gradient(sp.log(det(X)), X),
          inv(X).T, proof=_calculus(inv(X).T), assumptions=(Q.positive_definite(X),)),
)
