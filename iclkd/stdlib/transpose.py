"""Transposes of sums, products, scalars and inverses (Matrix Cookbook Sec. 1.1)."""
from __future__ import annotations

import sympy as sp

from .entry import MAGNUS, cookbook, entry, m, n, p

A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", n, m)
F, G, H = sp.MatrixSymbol("F", n, m), sp.MatrixSymbol("G", m, p), sp.MatrixSymbol("H", p, n)
S = sp.MatrixSymbol("S", n, n)
c = sp.Symbol("c", real=True)
SECTION_4 = ("Magnus & Neudecker 1.4", f"{MAGNUS}, Ch. 1, Sec. 4 (the transpose of a matrix)")

ENTRIES = (
    entry("transpose.inverse", cookbook(3), "The inverse of a transpose is the transpose of the inverse",
          sp.Inverse(S.T), sp.Inverse(S).T),
    entry("transpose.sum", cookbook(4), "The transpose of a sum", (A + B).T, A.T + B.T),
    entry("transpose.product", cookbook(5), "The transpose of a product", (F * G).T, G.T * F.T),
    entry("transpose.triple", cookbook(6), "The transpose of a product of three", (F * G * H).T, H.T * G.T * F.T),
    entry("transpose.scalar", SECTION_4, "Scalars leave the transpose", (c * A).T, c * A.T),
    entry("transpose.gram", SECTION_4, "A Gram matrix is symmetric", (F.T * F).T, F.T * F),
    entry("transpose.difference", SECTION_4, "The transpose of a difference", (A - B).T, A.T - B.T),
)
