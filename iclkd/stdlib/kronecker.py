"""Kronecker products: transposes, the mixed product, inverses and traces (Magnus & Neudecker
Ch. 2; Matrix Cookbook Sec. 10.2.1)."""
from __future__ import annotations

import sympy as sp

from .entry import MAGNUS, entry, m, n

A, A2 = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("A2", n, n)
B, B2 = sp.MatrixSymbol("B", m, m), sp.MatrixSymbol("B2", m, m)
c = sp.Symbol("c", real=True)
kron = sp.kronecker_product
SECTION_2 = ("Magnus & Neudecker 2.2", f"{MAGNUS}, Ch. 2, Sec. 2 (the Kronecker product)")
SECTION_3 = ("Magnus & Neudecker 2.3", f"{MAGNUS}, Ch. 2, Sec. 3 (eigenvalues of a Kronecker product)")

ENTRIES = (
    entry("kron.transpose", SECTION_2, "The transpose of a Kronecker product", kron(A, B).T, kron(A.T, B.T)),
    entry("kron.mixed_product", SECTION_2, "The mixed-product rule (A⊗B)(C⊗D) = AC⊗BD",
          kron(A, B) * kron(A2, B2), kron(A * A2, B * B2)),
    entry("kron.inverse", SECTION_2, "The inverse of a Kronecker product", sp.Inverse(kron(A, B)),
          kron(sp.Inverse(A), sp.Inverse(B))),
    entry("kron.trace", SECTION_3, "The trace of a Kronecker product", sp.Trace(kron(A, B)), sp.Trace(A) * sp.Trace(B)),
    entry("kron.sum_left", SECTION_2, "The Kronecker product distributes over sums", kron(A + A2, B),
          kron(A, B) + kron(A2, B)),
    entry("kron.scalar", SECTION_2, "Scalars leave a Kronecker product", kron(c * A, B), c * kron(A, B)),
    entry("kron.determinant", SECTION_3, "det(A⊗B) = det(A)ᵐ det(B)ⁿ", sp.Determinant(kron(A, B)),
          sp.Determinant(A)**m * sp.Determinant(B)**n),
)
