"""An example paper package, as a third party writes one: it uses only iclkd's public API.

* E1, the Gaussian moment generating function, E exp(ξᵀa) = exp(‖a‖²/2) (any probability
  textbook, e.g. Billingsley, Probability and Measure, eq. 21.27 in one dimension);
* E2, the cyclic property of the trace, tr(AB) = tr(BA) (The Matrix Cookbook, eq. 16).
"""
import numpy as np
import sympy as sp

from iclkd import Algebra, Claim, GaussianExpectation, GaussianMGF, Result, Step, inner, sqnorm
from iclkd.paper import Paper
from iclkd.render.figures import FigureSpec, new_figure

n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
xi = sp.MatrixSymbol("xi", n, 1)
a = sp.MatrixSymbol("a", n, 1)
A = sp.MatrixSymbol("A", n, k)
B = sp.MatrixSymbol("B", k, n)

E1 = Result(
    id="E1", label="Lemma 1", title="The Gaussian moment generating function",
    claims=(Claim("", GaussianExpectation(sp.exp(inner(xi, a)), xi), sp.exp(sqnorm(a) / 2),
                  proof=(Step(sp.exp(sqnorm(a) / 2), GaussianMGF()),)),),
    sizes={n: (1, 2)},  # the expectation is checked by quadrature, which needs small dimensions
    references=("Billingsley, Probability and Measure, eq. (21.27)",),
)

E2 = Result(
    id="E2", label="Lemma 2", title="The trace is cyclic",
    claims=(Claim("", sp.Trace(A * B), sp.Trace(B * A), proof=(Step(sp.Trace(B * A), Algebra("cyclic trace")),)),),
    references=("The Matrix Cookbook, eq. (16)",),
)


def draw_mgf(rng):
    """The Monte Carlo mean of exp(ξa) against exp(a²/2), in one dimension."""
    grid = np.linspace(0.0, 1.5, 7)
    draws = rng.standard_normal(4000)
    fig = new_figure()
    ax = fig.axes[0]
    ax.plot(grid, np.exp(grid**2 / 2), label="exp(a²/2)")
    ax.plot(grid, [np.exp(draws * g).mean() for g in grid], "o", label="Monte Carlo")
    ax.legend()
    return fig, r"The moment generating function of $N(0, 1)$ and its Monte Carlo estimate."


PAPER = Paper(
    name="example", title="An example paper", results=(E1, E2),
    notation={xi: r"\xi", A: r"\mathbf{A}", B: r"\mathbf{B}"},
    figures=(FigureSpec("mgf", draw_mgf, ("E1",)),),
    reference="tests/example_paper",
)
