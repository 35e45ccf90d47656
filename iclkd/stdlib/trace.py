"""Traces: linearity, transposition, cyclic invariance (Matrix Cookbook Sec. 1.2)."""
from __future__ import annotations

import sympy as sp

from ..symbolic.result import Step
from ..symbolic.rules import Bound
from .entry import MAGNUS, cookbook, entry, m, n

A, B, C, D = (sp.MatrixSymbol(s, n, n) for s in "ABCD")
F, G = sp.MatrixSymbol("F", n, m), sp.MatrixSymbol("G", m, n)
a, b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
c = sp.Symbol("c", real=True)
tr = sp.Trace
SECTION_10 = ("Magnus & Neudecker 1.10", f"{MAGNUS}, Ch. 1, Sec. 10 (the trace)")

ENTRIES = (
    entry("trace.transpose", cookbook(13), "The trace of a transpose", tr(A.T), tr(A)),
    entry("trace.commute", cookbook(14), "The trace of a product does not depend on the order of two factors",
          tr(F * G), tr(G * F)),
    entry("trace.sum", cookbook(15), "The trace is additive", tr(A + B), tr(A) + tr(B)),
    entry("trace.cyclic", cookbook(16), "The trace is invariant under cyclic permutations", tr(A * B * C), tr(C * A * B)),
    entry("trace.cyclic4", cookbook(16), "Cyclic invariance for four factors", tr(A * B * C * D), tr(D * A * B * C)),
    entry("trace.outer", cookbook(17), "A squared norm is the trace of the outer product", tr(a.T * a), tr(a * a.T)),
    entry("trace.scalar", SECTION_10, "The trace is homogeneous", tr(c * A), c * tr(A)),
    entry("trace.identity", SECTION_10, "The trace of the identity is the dimension", tr(sp.Identity(n)), n),
    entry("trace.inner", SECTION_10, "The trace of an outer product is the inner product", tr(a * b.T), tr(b.T * a)),
    entry("trace.frobenius_symmetric", SECTION_10, "The Frobenius inner product is symmetric",
          tr(F.T * sp.MatrixSymbol("H", n, m)), tr(sp.MatrixSymbol("H", n, m).T * F)),
    entry("trace.transposed_product", SECTION_10, "tr(AᵀBᵀ) = tr(BA)", tr(A.T * B.T), tr(B * A)),
    entry("trace.quadratic_form", SECTION_10, "A quadratic form is a trace", tr(a.T * A * a), tr(A * a * a.T)),
    entry("trace.commutator", SECTION_10, "A commutator has trace zero", tr(A * B - B * A), sp.Integer(0)),
    entry("trace.symmetric_part", SECTION_10, "A quadratic form sees only the symmetric part",
          tr(a.T * A * a), tr(a.T * (A + A.T) * a) / 2),
    entry("trace.gram_nonnegative", SECTION_10, "tr(FᵀF) is nonnegative", sp.Integer(0), tr(F.T * F), relation="<=",
          proof=(Step(tr(F.T * F), Bound("a sum of squares"), relation="<="),)),
)
