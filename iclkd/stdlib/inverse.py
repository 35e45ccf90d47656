"""Inverses: products, Woodbury, Sherman–Morrison and the Searle set (Matrix Cookbook Sec. 3)."""
from __future__ import annotations

import sympy as sp

from .entry import HORN_JOHNSON, cookbook, entry, m, n

A, B, C, X = (sp.MatrixSymbol(s, n, n) for s in "ABCX")
U, V = sp.MatrixSymbol("U", n, m), sp.MatrixSymbol("V", m, n)
K = sp.MatrixSymbol("K", m, m)
P, R = sp.MatrixSymbol("P", n, n), sp.MatrixSymbol("R", m, m)
H = sp.MatrixSymbol("H", m, n)
F, G = sp.MatrixSymbol("F", n, m), sp.MatrixSymbol("G", m, n)
u, v = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
c = sp.Symbol("c", nonzero=True)
I, inv = sp.Identity(n), sp.Inverse
NONSINGULAR = ("Horn & Johnson 0.5", f"{HORN_JOHNSON}, Sec. 0.5 (nonsingularity)")

ENTRIES = (
    entry("inverse.product", cookbook(1), "The inverse of a product", inv(A * B), inv(B) * inv(A)),
    entry("inverse.triple", cookbook(2), "The inverse of a product of three", inv(A * B * C), inv(C) * inv(B) * inv(A)),
    entry("inverse.scalar", NONSINGULAR, "The inverse of a nonzero multiple", inv(c * A), inv(A) / c),
    entry("inverse.woodbury_symmetric", cookbook(156), "The Woodbury identity, symmetric form",
          inv(A + U * K * U.T), inv(A) - inv(A) * U * inv(inv(K) + U.T * inv(A) * U) * U.T * inv(A)),
    entry("inverse.woodbury", cookbook(157), "The Woodbury identity",
          inv(A + U * K * V), inv(A) - inv(A) * U * inv(inv(K) + V * inv(A) * U) * V * inv(A)),
    entry("inverse.kalman", cookbook(158), "The gain identity of the Kalman filter",
          inv(inv(P) + H.T * inv(R) * H) * H.T * inv(R), P * H.T * inv(H * P * H.T + R)),
    entry("inverse.kailath", cookbook(159), "The Kailath variant of the Woodbury identity",
          inv(A + U * V), inv(A) - inv(A) * U * inv(sp.Identity(m) + V * inv(A) * U) * V * inv(A)),
    entry("inverse.sherman_morrison", cookbook(160), "The Sherman–Morrison formula",
          inv(A + u * v.T), inv(A) - inv(A) * u * v.T * inv(A) / (1 + sp.Trace(v.T * inv(A) * u))),
    entry("inverse.searle_identity", cookbook(161), "Searle: (I + A⁻¹)⁻¹ = A(A + I)⁻¹",
          inv(I + inv(A)), A * inv(A + I)),
    entry("inverse.searle_gram", cookbook(162), "Searle: (A + FFᵀ)⁻¹F = A⁻¹F(I + FᵀA⁻¹F)⁻¹",
          inv(A + F * F.T) * F, inv(A) * F * inv(sp.Identity(m) + F.T * inv(A) * F)),
    entry("inverse.sum_of_inverses", cookbook(163), "Searle: (A⁻¹ + B⁻¹)⁻¹ = A(A + B)⁻¹B",
          inv(inv(A) + inv(B)), A * inv(A + B) * B),
    entry("inverse.searle_symmetric", cookbook(164), "Searle: A − A(A + B)⁻¹A = B − B(A + B)⁻¹B",
          A - A * inv(A + B) * A, B - B * inv(A + B) * B),
    entry("inverse.sum_factored", cookbook(165), "Searle: A⁻¹ + B⁻¹ = A⁻¹(A + B)B⁻¹",
          inv(A) + inv(B), inv(A) * (A + B) * inv(B)),
    entry("inverse.identity_plus_product", cookbook(166), "Searle: (I + FG)⁻¹ = I − F(I + GF)⁻¹G",
          inv(I + F * G), I - F * inv(sp.Identity(m) + G * F) * G),
    entry("inverse.push_through", cookbook(167), "The push-through identity (I + FG)⁻¹F = F(I + GF)⁻¹",
          inv(I + F * G) * F, F * inv(sp.Identity(m) + G * F)),
)
