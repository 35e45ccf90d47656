"""Moments of a normal vector ``x ~ N(μ, Σ)`` of dimension 3 (the moments are proved in closed
form at an explicit dimension): means and variances of linear and quadratic forms."""
from __future__ import annotations

import sympy as sp
from sympy import Q

from ..symbolic.objects import expectation
from ..symbolic.result import Step
from ..symbolic.rules_normal import NormalMoments
from .entry import COOKBOOK, entry

x, mu, a = (sp.MatrixSymbol(s, 3, 1) for s in ("x", "mu", "a"))
Sigma, A, B = (sp.MatrixSymbol(s, 3, 3) for s in ("Sigma", "A", "B"))
tr = sp.Trace
ZERO = sp.ZeroMatrix(3, 1)
COVARIANCE = (Q.positive_definite(Sigma),)
FORMS = ("Matrix Cookbook 8.2", f"{COOKBOOK}, Sec. 8.2 (expectations of linear and quadratic forms)")


def normal(name, title, lhs, rhs):
    """An entry ``E[...] = rhs`` over a normal vector, proved from its moments."""
    return entry(name, FORMS, title, lhs, rhs, proof=(Step(rhs, NormalMoments()),), assumptions=COVARIANCE)


ENTRIES = (
    normal("normal.mean", "E x = μ (dimension 3)", expectation(x, x, mu, Sigma), mu),
    normal("normal.linear_mean", "E aᵀx = aᵀμ (dimension 3)", expectation(tr(a.T * x), x, mu, Sigma), tr(a.T * mu)),
    normal("normal.second_moment", "E xxᵀ = Σ + μμᵀ (dimension 3)", expectation(x * x.T, x, mu, Sigma),
           Sigma + mu * mu.T),
    normal("normal.linear_variance", "E (aᵀ(x − μ))² = aᵀΣa (dimension 3)",
           expectation(tr(a.T * (x - mu))**2, x, mu, Sigma), tr(a.T * Sigma * a)),
    normal("normal.quadratic_form", "E xᵀAx = tr(AΣ) + μᵀAμ (dimension 3)", expectation(tr(x.T * A * x), x, mu, Sigma),
           tr(A * Sigma) + tr(mu.T * A * mu)),
    normal("normal.quadratic_product", "E xᵀAx xᵀBx = tr(AΣ(B + Bᵀ)Σ) + tr(AΣ) tr(BΣ) for x ~ N(0, Σ) "
           "(dimension 3)", expectation(tr(x.T * A * x) * tr(x.T * B * x), x, ZERO, Sigma),
           tr(A * Sigma * (B + B.T) * Sigma) + tr(A * Sigma) * tr(B * Sigma)),
)
