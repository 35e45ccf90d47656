"""The Performer paper's symbols, defined once, with the LaTeX each one prints as (``NOTATION``)."""
from __future__ import annotations

import sympy as sp
from sympy import MatrixSymbol

from iclkd import GaussianExpectation, inner, sqnorm


def _dim(name):
    return sp.Symbol(name, integer=True, positive=True)


d, m, L, r, d_v = (_dim(n) for n in ("d", "m", "L", "r", "d_v"))

x = MatrixSymbol("x", d, 1)
y = MatrixSymbol("y", d, 1)
omega = MatrixSymbol("omega", d, 1)

# the seed paper's R1/R2 variables, rebuilt to instantiate those results here
d_k = _dim("d_k")
SEED_A, SEED_B, SEED_OMEGA = MatrixSymbol("a", d_k, 1), MatrixSymbol("b", d_k, 1), MatrixSymbol("omega", d_k, 1)
SEED_INSTANCE = {SEED_A: x, SEED_B: y, SEED_OMEGA: omega}

# FAVOR+ blocks (P6, symbolic sizes)
Q_f = MatrixSymbol("Q'", L, r)
K_f = MatrixSymbol("K'", L, r)
V = MatrixSymbol("V", L, d_v)
ones_L = sp.OneMatrix(L, 1)

SM = sp.exp(inner(x, y))
S_SQ, D_SQ = sqnorm(x + y), sqnorm(x - y)
NORMS = sqnorm(x) + sqnorm(y)


def phi_plus(w, u):
    """One positive random feature ``exp(ωᵀu − ||u||²/2)``."""
    return sp.exp(inner(w, u) - sqnorm(u) / 2)


def E(expr):
    """``E_ω[expr]`` for ``ω ~ N(0, I_d)``."""
    return GaussianExpectation(expr, omega)


def variance(draw):
    """``Var_ω(draw) = E[draw²] − (E draw)²``."""
    return E(draw**2) - E(draw)**2


# one draw of each estimator (an m-draw estimator averages m of them)
POSITIVE_DRAW = phi_plus(omega, x) * phi_plus(omega, y)
HYPERBOLIC_DRAW = sp.exp(-NORMS / 2) * sp.cosh(inner(omega, x + y))
TRIG_DRAW = sp.exp(NORMS / 2) * sp.cos(inner(omega, x - y))

NOTATION = {
    d: "d", m: "m", L: "L", r: "r", d_v: "d_v", x: "x", y: "y", omega: r"\omega",
    Q_f: "Q'", K_f: "K'", V: "V",
}
