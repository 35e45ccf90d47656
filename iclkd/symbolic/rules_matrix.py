"""Rules for matrix identities SymPy's normal form leaves open.

* :class:`ScalarFactors`: a trace of a product that passes through ``1 × 1`` blocks is the
  product of their traces (``tr(u uᵀ A u uᵀ) = (uᵀu)(uᵀAu)``).
* :class:`HadamardSum`: ``uᵀ(A ∘ B)w = tr(D_u A D_w Bᵀ)``, the sum of an entrywise product.
* :class:`LinearSupremum`: ``sup_{||W||_F <= r} tr(WᵀG) + c = r ||G||_F + c`` (Cauchy–Schwarz
  with its maximiser ``rG/||G||_F``, R10).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .algebra import _expand_matrix, _factors, scalar_normal_form
from .objects import BallSupremum, sqnorm
from .rules import Decision, Rule, _equal


def _terms(arg):
    expanded = _expand_matrix(arg)
    if expanded == 0 or isinstance(expanded, sp.ZeroMatrix):
        return []
    return [_factors(t) for t in (expanded.args if isinstance(expanded, sp.MatAdd) else (expanded,))]


def _product(factors):
    return sp.MatMul(*factors).doit() if len(factors) > 1 else factors[0]


def split_scalar_blocks(expr):
    """Replace every trace of a product through ``1 × 1`` blocks by a product of traces.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> u, A = sp.MatrixSymbol('u', n, 1), sp.MatrixSymbol('A', n, n)
    >>> split_scalar_blocks(sp.Trace(u * u.T * A * u * u.T))
    Trace(u.T*u)*Trace(u.T*A*u)
    """
    def split(trace):
        total = sp.Integer(0)
        for coeff, factors in _terms(trace.arg):
            starts = [i for i, f in enumerate(factors) if f.shape[0] == 1]
            if not starts:
                total += coeff * sp.Trace(_product(factors))
                continue
            rotated = factors[starts[0]:] + factors[:starts[0]]
            blocks, current = [], []
            for f in rotated:
                current.append(f)
                if f.shape[1] == 1:
                    blocks.append(current)
                    current = []
            if current:
                blocks[-1].extend(current)
            total += coeff * sp.Mul(*(sp.Trace(_product(b)) for b in blocks))
        return total

    return expr.replace(lambda e: isinstance(e, sp.Trace), split)


@dataclass
class ScalarFactors(Rule):
    """``1 × 1`` blocks of a product are scalars: split traces through them, then algebra.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> a, b, c = (sp.MatrixSymbol(s, n, 1) for s in 'abc')
    >>> ScalarFactors().symbolic(sp.Trace(a * b.T * c * c.T), sp.Trace(b.T * c) * sp.Trace(c.T * a), None).equal
    True
    """

    hint: str = ""
    name = "1 × 1 factors are scalars"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        return Decision(_equal(split_scalar_blocks(prev), split_scalar_blocks(nxt)))

    def describe(self) -> str:
        return self.hint or self.name


def _diag(vector):
    if isinstance(vector, sp.OneMatrix):
        return sp.Identity(vector.rows)
    return sp.DiagMatrix(vector)


def hadamard_sums_as_traces(expr):
    """Rewrite ``tr(uᵀ (A ∘ B) w)`` as ``tr(D_u A D_w Bᵀ)`` (``D_1 = I``).

    >>> n, m = sp.symbols('n m', integer=True, positive=True)
    >>> A, B = sp.MatrixSymbol('A', n, m), sp.MatrixSymbol('B', n, m)
    >>> ones_n, ones_m = sp.OneMatrix(n, 1), sp.OneMatrix(m, 1)
    >>> hadamard_sums_as_traces(sp.Trace(ones_n.T * sp.HadamardProduct(A, B) * ones_m))
    Trace(A*B.T)
    """
    def rewrite(trace):
        coeff, factors = _factors(trace.arg)
        if (len(factors) == 3 and isinstance(factors[1], sp.HadamardProduct) and len(factors[1].args) == 2
                and factors[0].shape[0] == 1 and factors[2].shape[1] == 1):
            left, right = sp.Transpose(factors[0]).doit(), factors[2]
            A, B = factors[1].args
            return coeff * sp.Trace(_diag(left) * A * _diag(right) * B.T)
        return trace

    return expr.replace(lambda e: isinstance(e, sp.Trace) and e.has(sp.HadamardProduct), rewrite)


@dataclass
class HadamardSum(Rule):
    """``uᵀ(A ∘ B)w = Σ_ij u_i A_ij B_ij w_j = tr(diag(u) A diag(w) Bᵀ)``, then algebra.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> A, B, one = sp.MatrixSymbol('A', n, n), sp.MatrixSymbol('B', n, n), sp.OneMatrix(n, 1)
    >>> HadamardSum().symbolic(sp.Trace(one.T * sp.HadamardProduct(A, B) * one), sp.Trace(A.T * B), None).equal
    True
    """

    name = "sum of an entrywise product"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        a, b = hadamard_sums_as_traces(prev), hadamard_sums_as_traces(nxt)
        if (a, b) == (prev, nxt):
            return Decision(None, "no sum of an entrywise product uᵀ(A∘B)w to rewrite", explicit_fallback=False)
        return Decision(_equal(split_scalar_blocks(a), split_scalar_blocks(b)))


def linear_coefficient(function, variable):
    """``(G, c)`` with ``function = tr(WᵀG) + c`` and ``G, c`` free of ``W``; None if not linear.

    >>> W, G = sp.MatrixSymbol('W', 2, 3), sp.MatrixSymbol('G', 3, 2)
    >>> linear_coefficient(2 * sp.Trace(G * W) + 1, W)
    (2*G.T, 1)
    """
    G, rest = sp.ZeroMatrix(*variable.shape), sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(scalar_normal_form(function))):
        if not term.has(variable):
            rest += term
            continue
        traces = [f for f in sp.Mul.make_args(term) if f.has(variable)]
        if len(traces) != 1 or not isinstance(traces[0], sp.Trace):
            return None
        coeff = term / traces[0]
        for c2, factors in _terms(traces[0].arg):
            hits = [i for i, f in enumerate(factors) if f.has(variable)]
            if len(hits) != 1 or factors[hits[0]] not in (variable, variable.T):
                return None
            i = hits[0]
            rotated = factors[i + 1:] + factors[:i]
            other = _product(rotated) if rotated else sp.Identity(variable.shape[0])
            G = G + coeff * c2 * (other if factors[i] == variable.T else other.T)
    return G, rest


@dataclass
class LinearSupremum(Rule):
    """``sup_{||W||_F <= r} tr(WᵀG) + c = r·||G||_F + c`` for ``G, c`` free of ``W``.

    Upper bound by Cauchy–Schwarz, attained at ``W = rG/||G||_F`` (both proved in R10).

    >>> W, G = sp.MatrixSymbol('W', 2, 3), sp.MatrixSymbol('G', 2, 3)
    >>> r = sp.Symbol('r', positive=True)
    >>> LinearSupremum().symbolic(BallSupremum(sp.Trace(W.T * G), W, r), r * sp.sqrt(sqnorm(G)), None).equal
    True
    """

    name = "supremum of a linear functional over a ball"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        mapping = {}
        for node in (n for n in sp.preorder_traversal(prev) if isinstance(n, BallSupremum)):
            split = linear_coefficient(node.function, node.variable)
            if split is None:
                return Decision(None, f"{node.function} is not linear in {node.variable}", explicit_fallback=False)
            G, rest = split
            mapping[node] = node.radius * sp.sqrt(sqnorm(G)) + rest
        if not mapping:
            return Decision(None, "no supremum over a ball to evaluate", explicit_fallback=False)
        return Decision(_equal(prev.xreplace(mapping), nxt), explicit_fallback=False)

    def describe(self) -> str:
        return "supremum of a linear functional over a Frobenius ball (Cauchy–Schwarz, R10)"
