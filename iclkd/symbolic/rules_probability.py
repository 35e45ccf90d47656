"""Rules for Rademacher expectations and scalar derivatives.

* :class:`RademacherMoments`: ``E σ = 0`` and ``E[σᵀ C σ D] = tr(C) tr(D)`` for a matrix ``σ``
  of i.i.d. signs (``E σ_ij σ_kl = δ_ik δ_jl``): every expectation of a polynomial of
  degree at most two in ``σ``; and linearity ``E[c X] = c E[X]``.
* :class:`GaussianCharacteristic`: ``E cos(ωᵀc + r) = e^{-||c||²/2} cos r`` for ``ω ~ N(0, I)``.
* :class:`ScalarDerivative`: SymPy's derivative in one scalar symbol, as a witness confirmed by
  exact differentiation of the evaluated function; the numeric layer compares it with central
  differences on every instance.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from .algebra import scalar_normal_form
from .objects import GaussianExpectation, RademacherExpectation, sqnorm
from .rules import Decision, Rule, _equal, _linear_part, _split_constant, gaussian_mgf_lemma
from .rules_matrix import _product, _terms


def _sign_moment(trace, sigma):
    """``E_σ tr(…)`` for one trace of degree <= 2 in ``σ``; None when the degree is higher."""
    total = sp.Integer(0)
    for coeff, factors in _terms(trace.arg):
        if coeff.has(sigma):
            return None
        hits = [i for i, f in enumerate(factors) if f.has(sigma)]
        if any(factors[i] not in (sigma, sigma.T) for i in hits):
            return None
        if not hits:
            total += coeff * sp.Trace(_product(factors))
        elif len(hits) == 2 and {factors[hits[0]], factors[hits[1]]} == {sigma, sigma.T}:
            total += coeff * _second_moment(factors, hits, sigma)
        elif len(hits) != 1:
            return None
    return total


def _second_moment(factors, hits, sigma):
    """``E tr(σᵀ C σ D) = tr(C) tr(D)``, with ``tr`` of an empty product the identity's size."""
    start = hits[0] if factors[hits[0]] == sigma.T else hits[1]
    rotated = factors[start:] + factors[:start]
    j = rotated.index(sigma, 1)
    middle, tail = rotated[1:j], rotated[j + 1:]
    tr_c = sp.Trace(_product(middle)) if middle else sigma.shape[0]
    tr_d = sp.Trace(_product(tail)) if tail else sigma.shape[1]
    return tr_c * tr_d


def rademacher_moments(expr):
    """Replace each Rademacher expectation of a degree-<=2 polynomial in ``σ`` by its value;
    other terms keep their expectation, with the factors free of ``σ`` pulled out.

    >>> n, d = sp.symbols('n d', integer=True, positive=True)
    >>> s, A = sp.MatrixSymbol('sigma', n, 1), sp.MatrixSymbol('A', d, n)
    >>> rademacher_moments(RademacherExpectation(sp.Trace(s.T * A.T * A * s) + 1, s))
    Trace(A.T*A) + 1
    """
    def evaluate(e):
        total = sp.Integer(0)
        for term in sp.Add.make_args(sp.expand(scalar_normal_form(e.integrand))):
            factors = sp.Mul.make_args(term)
            random = [f for f in factors if f.has(e.variable)]
            if not random:
                total += term
                continue
            moment = _sign_moment(random[0], e.variable) if (
                len(random) == 1 and isinstance(random[0], sp.Trace)) else None
            if moment is None:  # not a polynomial of degree <= 2: only pull the constants out
                moment = RademacherExpectation(sp.Mul(*random), e.variable)
            total += term / sp.Mul(*random) * moment
        return total

    return expr.replace(lambda x: isinstance(x, RademacherExpectation), evaluate)


@dataclass
class RademacherMoments(Rule):
    """``E σ = 0``, ``E σσᵀ = I`` (entries i.i.d. uniform signs): expectations of degree <= 2,
    and linearity (constants leave the expectation) for everything else.

    >>> n, d = sp.symbols('n d', integer=True, positive=True)
    >>> S, P = sp.MatrixSymbol('Sigma', d, n), sp.MatrixSymbol('Phi', 3, n)
    >>> lhs = RademacherExpectation(sp.Trace(P * S.T * S * P.T), S)
    >>> RademacherMoments().symbolic(lhs, d * sp.Trace(P.T * P), None).equal
    True
    """

    name = "Rademacher moments"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not (prev.has(RademacherExpectation) or nxt.has(RademacherExpectation)):
            return Decision(None, "no Rademacher expectation in the step", explicit_fallback=False)
        a, b = rademacher_moments(prev), rademacher_moments(nxt)
        return Decision(_equal(a, b), explicit_fallback=False)


@dataclass
class ScalarDerivative(Rule):
    """Evaluate every ``Derivative(f, x)`` (``x`` a scalar symbol) with SymPy, then algebra.

    SymPy's answer is a witness (``confirm_by_entries``): the checker counts the step as proved
    only once the derivative of the exactly evaluated function confirms it
    (:func:`~iclkd.symbolic.witness.confirm_derivative`), and compares it with central differences.

    >>> x = sp.Symbol('x')
    >>> ScalarDerivative().symbolic(sp.Derivative(sp.exp(2 * x), x), 2 * sp.exp(2 * x), None).equal
    True
    """

    name = "scalar derivative"
    confirm_by_entries = True

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not prev.has(sp.Derivative):
            return Decision(None, "no derivative to take", explicit_fallback=False)
        done = prev.replace(lambda e: isinstance(e, sp.Derivative), lambda e: e.doit())
        return Decision(_equal(done, nxt))


@lru_cache(maxsize=1)
def gaussian_characteristic_lemma() -> bool:
    """SymPy's 1-D integrals ``∫ cos(cu) e^{-u²/2}/√(2π) du = e^{-c²/2}`` and
    ``∫ sin(cu) e^{-u²/2}/√(2π) du = 0`` (checked once): ``E e^{icu} = e^{-c²/2}``.

    With independent coordinates, ``E e^{i(ωᵀc + r)} = e^{ir} Π_k e^{-c_k²/2}``, whose real and
    imaginary parts are ``e^{-||c||²/2} cos r`` and ``e^{-||c||²/2} sin r``.

    >>> gaussian_characteristic_lemma()
    True
    """
    u, c = sp.Symbol("u", real=True), sp.Symbol("c", real=True)
    density = sp.exp(-u**2 / 2) / sp.sqrt(2 * sp.pi)
    even = sp.integrate(sp.cos(c * u) * density, (u, -sp.oo, sp.oo))
    odd = sp.integrate(sp.sin(c * u) * density, (u, -sp.oo, sp.oo))
    return sp.simplify(even - sp.exp(-c**2 / 2)) == 0 and sp.simplify(odd) == 0


@dataclass
class GaussianCharacteristic(Rule):
    """``E_ω[K cos(ωᵀc + r)] = K e^{-||c||²/2} cos r`` (and ``sin`` alike) for ``ω ~ N(0, I)``,
    ``K, c, r`` free of ``ω``: the characteristic function of the Gaussian; with the MGF
    ``E_ω[K e^{ωᵀc + r}] = K e^{||c||²/2 + r}`` for the exponential terms.

    The integrand may be a polynomial in such functions: ``cosh`` and ``sinh`` are rewritten by
    their definition ``(e^z ± e^{-z})/2``, products and powers of ``cos`` and ``sin`` by SymPy's
    product-to-sum identities (``fu.TR8``); every term of the expansion must then be a constant,
    ``K e^{linear}`` or ``K cos/sin(linear)`` (a term mixing both is left undecided).

    Verified by SymPy's 1-D integrals (:func:`gaussian_characteristic_lemma`,
    :func:`~iclkd.symbolic.rules.gaussian_mgf_lemma`) and independence of the coordinates; the
    checker adds quadrature on every instance.

    >>> w, x = sp.MatrixSymbol('omega', 2, 1), sp.MatrixSymbol('x', 2, 1)
    >>> lhs = GaussianExpectation(3 * sp.cos(sp.Trace(w.T * x)), w)
    >>> GaussianCharacteristic().symbolic(lhs, 3 * sp.exp(-sp.Trace(x.T * x) / 2), None).equal
    True
    """

    name = "Gaussian characteristic function"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if not (gaussian_characteristic_lemma() and gaussian_mgf_lemma()):
            return Decision(None, "SymPy did not confirm the 1-D Gaussian integrals")
        mapping = {}
        for e in (e for e in sp.preorder_traversal(prev) if isinstance(e, GaussianExpectation)):
            value = _characteristic(e)
            if isinstance(value, str):
                return Decision(None, value, explicit_fallback=False)
            mapping[e] = value
        if not mapping:
            return Decision(None, "no Gaussian expectation to evaluate", explicit_fallback=False)
        return Decision(_equal(prev.xreplace(mapping), nxt), explicit_fallback=False)


def _linearised(integrand):
    """The integrand as a sum of constants times ``exp``, ``cos`` or ``sin`` of one argument each."""
    from sympy.simplify.fu import TR8

    body = scalar_normal_form(integrand)
    body = body.replace(lambda n: isinstance(n, (sp.cosh, sp.sinh)), lambda n: n.rewrite(sp.exp))
    if body.has(sp.cos, sp.sin):
        body = TR8(sp.expand(body))
    return scalar_normal_form(sp.expand(body))


def _characteristic(e):
    """``E_ω`` of the linearised integrand, term by term; else a string saying why not."""
    omega = e.variable
    total = sp.Integer(0)
    for term in sp.Add.make_args(_linearised(e.integrand)):
        const, rest = _split_constant(term, omega)
        if rest == 1:
            total += const
            continue
        if not isinstance(rest, (sp.exp, sp.cos, sp.sin)):
            return (f"the term {term} is not K·exp, K·cos or K·sin of a linear function of {omega} "
                    "(a mixed product is not supported)")
        split = _linear_part(rest.args[0], omega)
        if split is None:
            return f"the argument of {rest.func.__name__} in {term} is not linear in {omega}"
        c, free = split
        if isinstance(rest, sp.exp):
            total += const * sp.exp(sqnorm(c) / 2 + free)
        else:
            total += const * sp.exp(-sqnorm(c) / 2) * rest.func(free)
    return total
