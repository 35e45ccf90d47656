"""A claim's stated domain, read from its assumptions, and draws that stay inside it.

Scalars are drawn by their SymPy assumptions (``integer``, ``positive``, ``negative``,
``nonnegative``, ``nonpositive``, ``nonzero``, ``even``, ``odd``), by ``Q`` predicates on them
and by simple bounds in relational hypotheses (``r < 0``, ``x >= 2``); matrices by ``Q``
predicates (:data:`~iclkd.numeric_checks.domain_samplers.MATRIX_PREDICATES`). Every other
hypothesis is checked on each draw, which is drawn again when it misses. Instance ``k`` draws
its magnitudes from stratum ``k`` (:data:`~iclkd.numeric_checks.domain_samplers.POSITIVE_STRATA`),
so a claim true only near 1 meets values far from 1. A predicate iclkd cannot sample is an
:class:`UnsampledDomain` naming the assumption: an ``error``, never a refutation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.assumptions.assume import AppliedPredicate

from .values import UNIT_ROUNDOFF, Value
from .domain_samplers import MATRIX_PREDICATES, draw_between, draw_matrix, draw_scalar, exact_rational

SCALAR_PREDICATES = {"positive": "positive", "negative": "negative", "nonnegative": "nonnegative",
                     "nonpositive": "nonpositive", "nonzero": "nonzero", "zero": "zero", "real": None,
                     "integer": None, "even": None, "odd": None, "extended_real": None}
MATRIX_DRAW_ATTEMPTS = 20


class UnsampledDomain(ValueError):
    """An assumption iclkd cannot draw from (the claim's numbers are then an ``error``)."""


@dataclass
class ScalarDomain:
    """What the assumptions say about one scalar symbol."""

    sign: str = "real"
    integer: bool = False
    parity: object = None
    low: object = None
    high: object = None
    low_strict: bool = False
    high_strict: bool = False

    def bounded(self) -> bool:
        return self.low is not None or self.high is not None


@dataclass
class Domain:
    """Matrix predicates (by symbol) and scalar domains (by symbol) of one claim."""

    predicates: dict = field(default_factory=dict)
    scalars: dict = field(default_factory=dict)

    def scalar(self, symbol) -> ScalarDomain:
        if symbol not in self.scalars:
            self.scalars[symbol] = _from_symbol(symbol)
        return self.scalars[symbol]


def _from_symbol(symbol) -> ScalarDomain:
    sign = "real"
    for name in ("zero", "positive", "negative", "nonnegative", "nonpositive", "nonzero"):
        if getattr(symbol, f"is_{name}", None):
            sign = name
            break
    parity = 0 if symbol.is_even else (1 if symbol.is_odd else None)
    return ScalarDomain(sign=sign, integer=bool(symbol.is_integer), parity=parity)


def domain_of(assumptions) -> Domain:
    """The domain stated by ``assumptions`` (``Assumption`` objects of a result and a claim).

    >>> from iclkd.symbolic.result import Assumption
    >>> W, r = sp.MatrixSymbol('W', 3, 3), sp.Symbol('r', real=True)
    >>> d = domain_of([Assumption(sp.Q.symmetric(W)), Assumption(r < 0)])
    >>> sorted(d.predicates[W]), d.scalar(r).high, d.scalar(r).high_strict
    (['symmetric'], 0, True)
    """
    domain = Domain()
    for a in assumptions:
        st = a.statement
        if st is sp.false:
            raise UnsampledDomain(f"the hypothesis '{a.name or st}' is false (SymPy reduces it to False)")
        if isinstance(st, AppliedPredicate):
            _add_predicate(domain, st, a.name)
        elif a.kind == "relation" and isinstance(st, sp.core.relational.Relational) and not isinstance(st, sp.Eq):
            _add_bound(domain, st)
    return domain


def _add_predicate(domain: Domain, st, name: str) -> None:
    pred, args = st.function.name, st.arguments
    shown = name or str(st)
    if len(args) != 1:
        raise UnsampledDomain(f"cannot draw from the assumption '{shown}'")
    target = args[0]
    if isinstance(target, sp.MatrixSymbol):
        if pred not in MATRIX_PREDICATES:
            raise UnsampledDomain(f"cannot draw a matrix that is {pred} (assumption '{shown}')")
        domain.predicates.setdefault(target, set()).add(pred)
    elif isinstance(target, sp.Symbol):
        if pred not in SCALAR_PREDICATES:
            raise UnsampledDomain(f"cannot draw a scalar that is {pred} (assumption '{shown}')")
        s = domain.scalar(target)
        if SCALAR_PREDICATES[pred]:
            s.sign = SCALAR_PREDICATES[pred]
        s.integer = s.integer or pred in ("integer", "even", "odd")
        s.parity = {"even": 0, "odd": 1}.get(pred, s.parity)
    else:
        raise UnsampledDomain(f"cannot draw from the assumption '{shown}': it is about {target}, "
                              "not a symbol (state it on a symbol, or define the expression)")


def _add_bound(domain: Domain, st) -> None:
    """``a·x + b ≤ c·x + d`` with ``x`` the only symbol (``x < 1``, ``t − 3 ≥ 0``, ``0 < 2r``)
    restricts ``x``'s draws; any other hypothesis is checked on each draw instead."""
    small, big = (st.rhs, st.lhs) if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else (st.lhs, st.rhs)
    strict = isinstance(st, (sp.StrictLessThan, sp.StrictGreaterThan))
    gap = sp.expand(big - small)  # the hypothesis is gap >= 0 (> 0 when strict)
    symbols = gap.free_symbols
    if len(symbols) != 1 or not isinstance(next(iter(symbols)), sp.Symbol):
        return
    x = next(iter(symbols))
    coeff, rest = gap.coeff(x, 1), gap.coeff(x, 0)
    if sp.expand(coeff * x + rest - gap) != 0 or not (coeff.is_number and rest.is_number and coeff.is_real):
        return
    if coeff == 0:
        return
    edge = -rest / coeff  # x >= edge if coeff > 0, x <= edge if coeff < 0
    s = domain.scalar(x)
    if coeff > 0 and (s.low is None or edge > s.low or (edge == s.low and strict)):
        s.low, s.low_strict = edge, strict
    elif coeff < 0 and (s.high is None or edge < s.high or (edge == s.high and strict)):
        s.high, s.high_strict = edge, strict


def draw_symbol(symbol, shape, rng, exact: bool, domain: Domain, stratum: int, scale: float = 1.0):
    """One value for ``symbol`` inside ``domain``, at the magnitude of ``stratum`` (times
    ``scale`` where that stays inside the domain: a redraw after an underflow).

    >>> x = sp.Symbol('x', negative=True, integer=True)
    >>> v = draw_symbol(x, (), np.random.default_rng(0), True, Domain(), 1)
    >>> v.is_Integer and v < 0
    True
    """
    if isinstance(symbol, sp.MatrixSymbol):
        return _draw_matrix(symbol, shape, rng, exact, domain, scale)
    s = domain.scalar(symbol)
    _combine_sign_and_bounds(s)
    if s.bounded():
        value = draw_between(rng, exact, _num(s.low), _num(s.high), integer=s.integer, stratum=stratum,
                             low_strict=s.low_strict, high_strict=s.high_strict)
        if value is None:
            raise UnsampledDomain(f"no value of {symbol} satisfies its stated bounds")
        return value
    if s.sign == "real" and not s.integer and stratum % 4 == 0:  # values near 0 too
        value = float(rng.normal(0.0, 1.0)) * scale
        return exact_rational(value) if exact else np.float64(value)
    value = draw_scalar(rng, exact, sign=s.sign, integer=s.integer, stratum=stratum, parity=s.parity)
    if scale != 1.0 and not s.integer:
        value = exact_rational(float(value) * scale) if exact else np.float64(value * scale)
    return value


def _num(v):
    return None if v is None else (sp.Rational(v) if v.is_Rational else float(v))


def _combine_sign_and_bounds(s: ScalarDomain) -> None:
    """A sign becomes a bound when the symbol also has bounds (``x > 0`` and ``x < 1``)."""
    if not s.bounded():
        return
    if s.sign in ("positive", "nonnegative") and (s.low is None or s.low < 0 or (s.low == 0 and s.sign == "positive")):
        s.low, s.low_strict = sp.Integer(0), s.sign == "positive" or bool(s.low_strict and s.low == 0)
    if s.sign in ("negative", "nonpositive") and (s.high is None or s.high > 0 or (s.high == 0 and s.sign == "negative")):
        s.high, s.high_strict = sp.Integer(0), s.sign == "negative" or bool(s.high_strict and s.high == 0)


def _draw_matrix(symbol, shape, rng, exact, domain, scale):
    preds = frozenset(domain.predicates.get(symbol, ()))
    if not preds:
        if exact:
            out = np.empty(shape, dtype=object)
            for idx in np.ndindex(*shape):
                out[idx] = exact_rational(float(rng.normal(0.0, 0.5)) * scale)
            return out
        return rng.normal(0.0, 0.5 * scale, size=shape)
    if len(shape) != 2:
        raise UnsampledDomain(f"{symbol} has shape {shape}: only matrices can have {', '.join(sorted(preds))}")
    if not exact and "orthogonal" in preds:
        return _rounded_exact(_draw_matrix(symbol, shape, rng, True, domain, scale))
    for _ in range(MATRIX_DRAW_ATTEMPTS):
        try:
            value = draw_matrix(rng, shape, exact, preds)
        except ValueError as exc:
            raise UnsampledDomain(f"cannot draw {symbol}: {exc}") from None
        if value is not None:
            return value
    raise UnsampledDomain(f"no draw of {symbol} was {', '.join(sorted(preds))} in {MATRIX_DRAW_ATTEMPTS} attempts")


def _rounded_exact(exact_value):
    """An exactly constructed matrix (orthogonal: QR in floats is orthogonal only to ~n·u) in
    float64, with its rounding ``u·|q|`` per entry as the error bound every check starts from.

    >>> v = _rounded_exact(np.array([[sp.Rational(1, 3)]], dtype=object))
    >>> float(v.err[0, 0]) == UNIT_ROUNDOFF / 3
    True
    """
    val = np.asarray(exact_value, dtype=float)
    return Value(val, UNIT_ROUNDOFF * np.abs(val))
