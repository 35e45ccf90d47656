"""A user's module whose ids and symbol names are also the seed paper's: R1, R2, W_star, slack.

It is checked alone with ``--file``; its LaTeX uses its own NOTATION (``\\tau`` as the
temperature) and SymPy's default names for everything else.
"""
import sympy as sp

from iclkd import Algebra, Bound, Claim, Result, Step

n = sp.Symbol("n", integer=True, positive=True)
W_star = sp.MatrixSymbol("W_star", n, n)
slack = sp.Symbol("slack", positive=True)
tau = sp.Symbol(r"\tau", positive=True)
x = sp.Symbol("x", real=True)

RESULTS = [
    # (W + W^T)^T = W + W^T: the symmetric part is symmetric.
    Result("R1", "Lemma 1", "The symmetric part is symmetric", claims=(
        Claim("", (W_star + W_star.T).T, W_star + W_star.T,
              proof=(Step(W_star.T + W_star, Algebra("transpose of a sum")),
                     Step(W_star + W_star.T, Algebra()))),)),
    # x^2 / tau + slack >= slack: a square over a positive temperature is nonnegative.
    Result("R2", "Lemma 2", "A slack bound", claims=(
        Claim("", slack, x**2 / tau + slack, relation="<=",
              proof=(Step(x**2 / tau + slack, Bound("x²/τ ≥ 0 for τ > 0"), relation="<="),)),)),
]

NOTATION = {tau: r"\tau", slack: r"s"}
