"""Moments of a normal vector: ``E_{x ~ N(μ, Σ)}`` of a polynomial in ``x``, in closed form.

With ``x = μ + y``, ``y ~ N(0, Σ)``, a polynomial in the entries of ``x`` is a polynomial in
those of ``y``, whose monomials have the expectations of Isserlis' theorem (Isserlis 1918;
Wick): zero for an odd degree, the sum over pairings of ``Π Σ_ab`` for an even one. So
``E x = μ``, ``E xxᵀ = Σ + μμᵀ`` and ``E xᵀAx = tr(AΣ) + μᵀAμ`` (Matrix Cookbook 318, 321)
follow from linearity and these moments, entry by entry, at the dimension the claim states.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import sympy as sp

from .algebra import is_zero
from .objects import MatrixNormalExpectation, NormalExpectation
from .rules import Decision, Rule

MAX_DEGREE = 6  # monomials of higher degree in x are not expanded (the pairings grow as (2m−1)!!)


@dataclass
class NormalMoments(Rule):
    """Each normal expectation of a polynomial (degree ≤ 6) in a vector of explicit
    dimension is replaced by its closed form from the moments; the step is then algebra.

    >>> x, mu, S = sp.MatrixSymbol('x', 2, 1), sp.MatrixSymbol('mu', 2, 1), sp.MatrixSymbol('Sigma', 2, 2)
    >>> from iclkd.symbolic.objects import expectation
    >>> NormalMoments().symbolic(expectation(x * x.T, x, mu, S), S + mu * mu.T, None).equal
    True
    """

    hint: str = ""
    name = "normal moments"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        sides, covariances = [], set()
        for side in (prev, nxt):
            value, why, found = _closed(side)
            if value is None:
                return Decision(None, why, explicit_fallback=False)
            sides.append(value)
            covariances |= {e.cov for e in found}
        if not covariances:
            return Decision(None, "no normal expectation in the step", explicit_fallback=False)
        symmetric = {}  # a covariance is symmetric: Σ_ji is Σ_ij on both sides
        for cov in covariances:
            explicit = cov.as_explicit()
            symmetric.update({explicit[j, i]: explicit[i, j] for i in range(explicit.rows)
                              for j in range(i + 1, explicit.cols)})
        left, right = (side.xreplace(symmetric) for side in sides)
        return Decision(_explicit_zero(left - right), explicit_fallback=False)

    def describe(self) -> str:
        return self.hint or "moments of a normal vector"


def _closed(expr) -> tuple[Optional[sp.Basic], str, list]:
    """``expr`` with every normal expectation in closed form, made explicit, the reason if
    that fails, and the expectations found."""
    found = [e for e in sp.preorder_traversal(expr) if isinstance(e, (NormalExpectation, MatrixNormalExpectation))]
    values = {}
    for e in found:
        value, why = normal_moment(e)
        if value is None:
            return None, why, found
        values[e] = value
    return _explicit(expr.xreplace(values) if values else expr), "", found


def _explicit(expr):
    """``expr`` with every matrix symbol of explicit shape written out entry by entry."""
    symbols = {m: m.as_explicit() for m in expr.atoms(sp.MatrixSymbol)
               if all(isinstance(d, (int, sp.Integer)) for d in m.shape)}
    out = expr.xreplace(symbols).doit() if symbols else expr.doit()
    return sp.ImmutableMatrix(out.as_explicit()) if getattr(out, "is_Matrix", False) else out


def normal_moment(e) -> tuple[Optional[sp.Basic], str]:
    """The closed form of one normal expectation (an explicit matrix or a scalar).

    >>> x, mu, S = sp.MatrixSymbol('x', 1, 1), sp.MatrixSymbol('mu', 1, 1), sp.MatrixSymbol('Sigma', 1, 1)
    >>> from iclkd.symbolic.objects import expectation
    >>> sp.expand(normal_moment(expectation(x[0, 0]**4, x, mu, S))[0])
    3*Sigma[0, 0]**2 + 6*Sigma[0, 0]*mu[0, 0]**2 + mu[0, 0]**4
    """
    k = e.variable.shape[0]
    if not isinstance(k, (int, sp.Integer)):
        return None, (f"the dimension {k} of {e.variable} is symbolic: the moments are taken entry by entry, "
                      "so state it as a number (or cite the identity)")
    k = int(k)
    ys = sp.symbols(f"_y0:{k}")
    mu, sigma = e.mean.as_explicit(), e.cov.as_explicit()
    point = sp.ImmutableMatrix([mu[i, 0] + ys[i] for i in range(k)])
    body = _explicit(e.body.xreplace({e.variable: point}))
    try:
        if getattr(body, "is_Matrix", False):
            return body.applyfunc(lambda entry: _expect(entry, ys, sigma)), ""
        return _expect(body, ys, sigma), ""
    except (ValueError, sp.PolynomialError) as exc:
        return None, f"{e.body} is not a polynomial in {e.variable} of degree at most {MAX_DEGREE} ({exc})"


def _expect(polynomial, ys, sigma) -> sp.Expr:
    """``E`` of a polynomial in ``ys ~ N(0, Σ)`` by Isserlis' theorem, monomial by monomial."""
    poly = sp.Poly(sp.expand(polynomial), *ys)
    if poly.total_degree() > MAX_DEGREE:
        raise ValueError(f"a polynomial of degree {poly.total_degree()} in the normal vector: at most {MAX_DEGREE}")
    total = sp.Integer(0)
    for powers, coefficient in poly.terms():
        indices = [i for i, p in enumerate(powers) for _ in range(p)]
        total += coefficient * _isserlis(indices, sigma)
    return total


def _isserlis(indices: list, sigma) -> sp.Expr:
    """``E y_{i1} … y_{i2m}`` for ``y ~ N(0, Σ)``: the sum over perfect pairings of ``Π Σ``."""
    if not indices:
        return sp.Integer(1)
    if len(indices) % 2:
        return sp.Integer(0)
    first, rest = indices[0], indices[1:]
    return sum((sigma[first, rest[j]] * _isserlis(rest[:j] + rest[j + 1:], sigma) for j in range(len(rest))),
               sp.Integer(0))


def _explicit_zero(difference) -> Optional[bool]:
    if getattr(difference, "is_Matrix", False):
        verdicts = [is_zero(entry) for entry in difference.as_explicit()]
        return True if all(v is True for v in verdicts) else (False if any(v is False for v in verdicts) else None)
    return is_zero(difference)
