"""The paper's symbols, defined once, with the LaTeX each one prints as.

``NOTATION`` names the LaTeX of the paper's symbols (symbol name → LaTeX); :func:`notation_of`
turns it into the paper's :class:`~iclkd.render.printer.Notation`, keyed by the symbol objects
its results use, with :func:`~iclkd.render.printer.conventional_naming` for the rest.
"""
from __future__ import annotations

import sympy as sp
from sympy import MatrixSymbol, OneMatrix

from iclkd.render.printer import Notation, conventional_naming
from iclkd import inner, result_symbols, sqnorm


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

# projections and tokens (R9, R11, R14)
W_V = MatrixSymbol("W_V", d_v, d)
W_K = MatrixSymbol("W_K", d_k, d)

# R9–R15 (symbols defined in mmd.py, generalisation.py, rademacher_bound.py, learning_rate.py, prior_work.py)
NOTATION.update({
    "W_V": "W_V", "W_K": "W_K", "n": "n", "m": "m", "x": "x", "y": "y",
    "phi_x": r"\varphi(W_K x)", "phi_y": r"\varphi(W_K y)", "V_X": "V_X", "V_Y": "V_Y",
    "Phi_X": r"\Phi_X", "Phi_Y": r"\Phi_Y", "pi_P": r"\pi_P", "pi_Q": r"\pi_Q",
    "mu_P": r"\mu_P", "mu_Q": r"\mu_Q", "mu_Pt": r"\mu_{P_t}", "Bias_P": r"\mathrm{Bias}(P)",
    "Bias_Pt": r"\mathrm{Bias}(P_t)", "u_op": "u", "E_PP": r"\mathbb{E}\,k_\psi(x, x')",
    "E_QQ": r"\mathbb{E}\,k_\psi(y, y')", "E_PQ": r"\mathbb{E}\,k_\psi(x, y)",
    "E_PtPt": r"\mathbb{E}_{P_t}\,k_\psi(x, x')", "E_PtQ": r"\mathbb{E}_{P_t, Q}\,k_\psi(x, y)",
    "MMD_PQ": r"\mathrm{MMD}(P, Q)", "MMD_PtQ": r"\mathrm{MMD}(P_t, Q)", "t": "t",
    "A": "A", "sigma": r"\sigma", "G": "G", "Z_W": "Z", "r_W": "r", "W_opt": r"W^{\ast}_{B}", "B": "B",
    "V_S": "V_S", "Phi_S": r"\Phi_S", "Sigma": r"\boldsymbol{\sigma}", "v": "v", "y'": "y'",
    "R_v": "R_v", "R_phi": r"R_\varphi", "L": "L", "c": "c", "s_v": "s_v", "s_phi": r"s_\varphi",
    "u_R": "u", "R_N": r"\mathfrak{R}_N", "L_P": r"L_P(W)", "L_hat": r"\hat{L}_S(W)",
    "slack": r"\epsilon", "delta": r"\delta",
    "k": "k", "q": "q", "s": "s", "s_j": "s_j", "R_j": "R_j", "i": "i", "alpha": r"\alpha", "kappa": r"\kappa",
    "mu": r"\mu", "z": "z", "L_Sigma": "L", "Sigma_k": r"\Sigma", "Z_infty": r"Z_\infty",
    "eta_infty": r"\eta_\infty",
    "X_D": "X_D", "X_T": "X_T", "Delta_W_ICL": r"\Delta W_{\mathrm{ICL}}", "W_ZSL": r"W_{\mathrm{ZSL}}",
    "d_x": "d_x", "d_y": "d_y", "X": "X", "Y": "Y", "x_j": "x_j", "y_j": "y_j", "W_lin": "W",
    "W_init": "W_0", "Delta_W_GD": r"\Delta W",
})


def name_latex(name: str) -> str:
    r"""LaTeX for one of the paper's symbol names: the table, else the conventional rule.

    >>> name_latex('W_star'), name_latex('eta_star')
    ('W^{\\ast}_{\\lambda}', '\\eta^{\\ast}')
    """
    return NOTATION.get(name) or conventional_naming(name)


def notation_of(results) -> Notation:
    """The paper's notation: every symbol its results use whose name the table has, keyed by
    the symbol object, and the conventional naming rule for the others."""
    table = {}
    for symbol in result_symbols(results):
        if symbol.name in NOTATION:
            table[symbol] = NOTATION[symbol.name]
    return Notation(table, conventional_naming)
