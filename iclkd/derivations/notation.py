"""The paper's symbols, defined once, with the LaTeX each one prints as.

``NOTATION`` is the single table the LaTeX printer reads (symbol name → LaTeX).
"""
from __future__ import annotations

import sympy as sp
from sympy import MatrixSymbol, OneMatrix

from ..symbolic.objects import inner, sqnorm


def _dim(name):
    return sp.Symbol(name, integer=True, positive=True)


d, d_k, d_v, N, T, M = (_dim(n) for n in ("d", "d_k", "d_v", "N", "T", "M"))

# vectors in R^{d_k}
a = MatrixSymbol("a", d_k, 1)
b = MatrixSymbol("b", d_k, 1)
u = MatrixSymbol("u", d_k, 1)
omega = MatrixSymbol("omega", d_k, 1)
Omega = MatrixSymbol("Omega", d_k, M)

# attention blocks
V_D = MatrixSymbol("V_D", d_v, N)
V_T = MatrixSymbol("V_T", d_v, T)
Phi_D = MatrixSymbol("Phi_D", M, N)
Phi_T = MatrixSymbol("Phi_T", M, T)
phi_q = MatrixSymbol("phi_q", M, 1)
ones_N = OneMatrix(N, 1)
ones_T = OneMatrix(T, 1)

# students
W = MatrixSymbol("W", d_v, M)
W_0 = MatrixSymbol("W_0", d_v, M)
Delta_W = MatrixSymbol("Delta_W", d_v, M)
W_1 = MatrixSymbol("W_1", d_v, M)
W_star = MatrixSymbol("W_star", d_v, M)
H = MatrixSymbol("H", d_v, M)
h_hat = MatrixSymbol("h_hat", d_v, 1)

# scalars
D_prime = sp.Symbol("D'", positive=True)
eta = sp.Symbol("eta", positive=True)
lam = sp.Symbol("lambda", positive=True)


def phi_omega(w, x):
    """One positive random feature ``φ_ω(x) = exp(ωᵀx − ||x||²/2)``.

    >>> phi_omega(omega, a)
    exp(-Trace(a.T*a)/2 + Trace(omega.T*a))
    """
    return sp.exp(inner(w, x) - sqnorm(x) / 2)


NOTATION = {
    "d": "d", "d_k": "d_k", "d_v": "d_v", "N": "N", "T": "T", "M": "M",
    "a": "a", "b": "b", "u": "u", "omega": r"\omega", "Omega": r"\Omega",
    "V_D": "V_D", "V_T": "V_T", "Phi_D": r"\Phi_D", "Phi_T": r"\Phi_T",
    "phi_q": r"\varphi(q)", "W": "W", "W_0": "W_0", "Delta_W": r"\Delta W",
    "W_1": "W^{(1)}", "W_star": r"W^{\ast}_{\lambda}", "H": "H", "h_hat": r"\hat{h}(q)",
    "D'": "D'", "eta": r"\eta", "lambda": r"\lambda",
}
