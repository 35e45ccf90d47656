"""Gradients of scalar functions of vectors and matrices (Matrix Cookbook Secs. 2.2 to 2.7),
each proved by SymPy's matrix calculus confirmed by exact entrywise differentiation."""
from __future__ import annotations

import sympy as sp
from sympy import Q

from ..symbolic.objects import Gradient
from ..symbolic.result import Step
from ..symbolic.rules import MatrixDerivative
from .entry import cookbook, entry, m, n

X, A, B, C, D = (sp.MatrixSymbol(s, n, n) for s in "XABCD")
Xr = sp.MatrixSymbol("X", n, m)
x, s, a, b, c, d = (sp.MatrixSymbol(t, n, 1) for t in "xsabcd")
tr, inv = sp.Trace, sp.Inverse
W = sp.MatrixSymbol("W", n, n)
SYMMETRIC_W = (Q.symmetric(W),)


def grad(eq: int, name: str, title: str, f, wrt, rhs, **more):
    """An entry ``∇_wrt f = rhs`` proved by matrix calculus (Matrix Cookbook equation ``eq``)."""
    return entry(name, cookbook(eq), title, Gradient(f, wrt), rhs, proof=(Step(rhs, MatrixDerivative()),), **more)


ENTRIES = (
    grad(61, "grad.inverse_bilinear", "∇ aᵀX⁻¹b = −X⁻ᵀabᵀX⁻ᵀ", tr(a.T * inv(X) * b), X,
         -inv(X).T * a * b.T * inv(X).T),
    grad(63, "grad.trace_AXinvB", "∇ tr(AX⁻¹B) = −(X⁻¹BAX⁻¹)ᵀ", tr(A * inv(X) * B), X, -(inv(X) * B * A * inv(X)).T),
    grad(69, "grad.linear", "∇ₓ aᵀx = a", tr(a.T * x), x, a),
    grad(70, "grad.bilinear", "∇ aᵀXb = abᵀ", tr(a.T * X * b), X, a * b.T),
    grad(71, "grad.bilinear_transposed", "∇ aᵀXᵀb = baᵀ", tr(a.T * X.T * b), X, b * a.T),
    grad(72, "grad.bilinear_same", "∇ aᵀXa = aaᵀ", tr(a.T * X * a), X, a * a.T),
    grad(77, "grad.bXtXc", "∇ bᵀXᵀXc = X(bcᵀ + cbᵀ)", tr(b.T * X.T * X * c), X, X * (b * c.T + c * b.T)),
    grad(78, "grad.affine_bilinear", "∇ₓ (Bx + b)ᵀC(Dx + d)", tr((B * x + b).T * C * (D * x + d)), x,
         B.T * C * (D * x + d) + D.T * C.T * (B * x + b)),
    grad(81, "grad.quadratic_form", "∇ₓ xᵀBx = (B + Bᵀ)x", tr(x.T * B * x), x, (B + B.T) * x),
    grad(82, "grad.bXtDXc", "∇ bᵀXᵀDXc = DᵀXbcᵀ + DXcbᵀ", tr(b.T * X.T * D * X * c), X,
         D.T * X * b * c.T + D * X * c * b.T),
    grad(83, "grad.affine_quadratic", "∇ (Xb + c)ᵀD(Xb + c) = (D + Dᵀ)(Xb + c)bᵀ", tr((X * b + c).T * D * (X * b + c)), X,
         (D + D.T) * (X * b + c) * b.T),
    grad(84, "grad.weighted_residual_s", "∇ₛ (x − As)ᵀW(x − As) = −2AᵀW(x − As), W symmetric",
         tr((x - A * s).T * W * (x - A * s)), s, -2 * A.T * W * (x - A * s), assumptions=SYMMETRIC_W),
    grad(85, "grad.weighted_distance_x", "∇ₓ (x − s)ᵀW(x − s) = 2W(x − s), W symmetric",
         tr((x - s).T * W * (x - s)), x, 2 * W * (x - s), assumptions=SYMMETRIC_W),
    grad(86, "grad.weighted_distance_s", "∇ₛ (x − s)ᵀW(x − s) = −2W(x − s), W symmetric",
         tr((x - s).T * W * (x - s)), s, -2 * W * (x - s), assumptions=SYMMETRIC_W),
    grad(87, "grad.weighted_residual_x", "∇ₓ (x − As)ᵀW(x − As) = 2W(x − As), W symmetric",
         tr((x - A * s).T * W * (x - A * s)), x, 2 * W * (x - A * s), assumptions=SYMMETRIC_W),
    grad(88, "grad.weighted_residual_A", "∇_A (x − As)ᵀW(x − As) = −2W(x − As)sᵀ, W symmetric",
         tr((x - A * s).T * W * (x - A * s)), A, -2 * W * (x - A * s) * s.T, assumptions=SYMMETRIC_W),
    grad(99, "grad.trace", "∇ tr X = I", tr(X), X, sp.Identity(n)),
    grad(100, "grad.trace_XA", "∇ tr(XA) = Aᵀ", tr(X * A), X, A.T),
    grad(101, "grad.trace_AXB", "∇ tr(AXB) = AᵀBᵀ", tr(A * X * B), X, A.T * B.T),
    grad(102, "grad.trace_AXtB", "∇ tr(AXᵀB) = BA", tr(A * X.T * B), X, B * A),
    grad(103, "grad.trace_XtA", "∇ tr(XᵀA) = A", tr(X.T * A), X, A),
    grad(104, "grad.trace_AXt", "∇ tr(AXᵀ) = A", tr(A * X.T), X, A),
    grad(106, "grad.trace_X2", "∇ tr(X²) = 2Xᵀ", tr(X * X), X, 2 * X.T),
    grad(107, "grad.trace_X2B", "∇ tr(X²B) = (XB + BX)ᵀ", tr(X * X * B), X, (X * B + B * X).T),
    grad(108, "grad.trace_XtBX", "∇ tr(XᵀBX) = BX + BᵀX", tr(X.T * B * X), X, B * X + B.T * X),
    grad(109, "grad.trace_BXXt", "∇ tr(BXXᵀ) = BX + BᵀX", tr(B * X * X.T), X, B * X + B.T * X),
    grad(110, "grad.trace_XXtB", "∇ tr(XXᵀB) = BX + BᵀX", tr(X * X.T * B), X, B * X + B.T * X),
    grad(111, "grad.trace_XBXt", "∇ tr(XBXᵀ) = XBᵀ + XB", tr(X * B * X.T), X, X * B.T + X * B),
    grad(112, "grad.trace_BXtX", "∇ tr(BXᵀX) = XBᵀ + XB", tr(B * X.T * X), X, X * B.T + X * B),
    grad(113, "grad.trace_XtXB", "∇ tr(XᵀXB) = XBᵀ + XB", tr(X.T * X * B), X, X * B.T + X * B),
    grad(114, "grad.trace_AXBX", "∇ tr(AXBX) = AᵀXᵀBᵀ + BᵀXᵀAᵀ", tr(A * X * B * X), X, A.T * X.T * B.T + B.T * X.T * A.T),
    grad(115, "grad.trace_XtX", "∇ tr(XᵀX) = 2X", tr(Xr.T * Xr), Xr, 2 * Xr),
    grad(116, "grad.trace_BtXtCXB", "∇ tr(BᵀXᵀCXB) = CᵀXBBᵀ + CXBBᵀ", tr(B.T * X.T * C * X * B), X,
         C.T * X * B * B.T + C * X * B * B.T),
    grad(117, "grad.trace_XtBXC", "∇ tr(XᵀBXC) = BXC + BᵀXCᵀ", tr(X.T * B * X * C), X, B * X * C + B.T * X * C.T),
    grad(118, "grad.trace_AXBXtC", "∇ tr(AXBXᵀC) = AᵀCᵀXBᵀ + CAXB", tr(A * X * B * X.T * C), X,
         A.T * C.T * X * B.T + C * A * X * B),
    grad(121, "grad.trace_X3", "∇ tr(X³) = 3(X²)ᵀ", tr(X**3), X, 3 * (X**2).T),
    grad(131, "grad.sqnorm", "∇ₓ ‖x‖² = 2x", tr(x.T * x), x, 2 * x),
    grad(129, "grad.norm", "∇ₓ ‖x − a‖ = (x − a)/‖x − a‖", sp.sqrt(tr((x - a).T * (x - a))), x,
         (x - a) / sp.sqrt(tr((x - a).T * (x - a)))),
    grad(132, "grad.frobenius", "∇ ‖X‖²_F = 2X", tr(X * X.T), X, 2 * X),
)
