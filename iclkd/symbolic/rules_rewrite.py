"""Rules for functions that algebra alone does not settle: rewriting in terms of other
functions (``tanh`` through ``exp``, ``Max``/``Min``/``Abs`` through cases, ``erfc`` through
``erf``), and definite integrals by the fundamental theorem of calculus.

Both prove a step only when the difference of its sides is shown to be zero; an integral
is replaced by ``F(b) − F(a)`` only after checking that ``F′ = f`` and that ``f`` and ``F``
are continuous on the whole of ``[a, b]`` (``∫_{−1}^{1} x^{−2} dx`` is not ``−2``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import sympy as sp
from sympy.calculus.util import continuous_domain

from .algebra import is_zero
from .rules import Decision, Rule


@dataclass
class Rewrite(Rule):
    """Algebra after rewriting the step in terms of ``target``: ``Rewrite(sp.exp)`` for
    hyperbolic and trigonometric functions, ``Rewrite(sp.Piecewise)`` for ``Max``, ``Min``,
    ``Abs`` and cases, ``Rewrite(sp.erf)`` for ``erfc``.

    >>> x = sp.Symbol('x', real=True)
    >>> Rewrite(sp.exp).symbolic(sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1, None).equal
    True
    >>> y = sp.Symbol('y', real=True)
    >>> Rewrite(sp.Piecewise).symbolic(sp.Max(x, y) + sp.Min(x, y), x + y, None).equal
    True
    """

    target: object = sp.exp
    hint: str = ""
    name = "rewrite"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        if getattr(prev, "is_Matrix", False):
            return Decision(None, "rewriting applies to scalar steps", explicit_fallback=False)
        difference = sp.sympify(prev - nxt)
        rewritten = difference.rewrite(self.target)
        if rewritten == difference:
            return Decision(None, f"nothing in the step rewrites in terms of {_name(self.target)}",
                            explicit_fallback=False)
        if self.target is sp.Piecewise:
            rewritten = sp.piecewise_fold(rewritten)
        verdict = is_zero(rewritten)
        if verdict is None:
            verdict = True if sp.simplify(rewritten) == 0 else None
        return Decision(verdict, "" if verdict else f"not shown equal after rewriting in terms of {_name(self.target)}",
                        explicit_fallback=False)

    def describe(self) -> str:
        return self.hint or f"rewriting with {_name(self.target)}"


@dataclass
class Integrate(Rule):
    """Definite integrals by the fundamental theorem of calculus: each ``∫_a^b f(x) dx`` in
    the step becomes ``F(b) − F(a)`` for SymPy's antiderivative ``F``, accepted only if
    ``F′ − f`` is zero and ``f`` and ``F`` are continuous on ``[a, b]``.

    >>> x = sp.Symbol('x', real=True)
    >>> Integrate().symbolic(sp.Integral(x**2, (x, 0, 1)), sp.Rational(1, 3), None).equal
    True
    >>> Integrate().symbolic(sp.Integral(1 / x**2, (x, -1, 1)), sp.Integer(-2), None).detail
    'the integrand x**(-2) is not continuous on [-1, 1]'
    """

    hint: str = ""
    name = "integration"

    def symbolic(self, prev, nxt, ctx) -> Decision:
        integrals = sp.sympify(prev).atoms(sp.Integral) | sp.sympify(nxt).atoms(sp.Integral)
        if not integrals:
            return Decision(None, "no integral in the step", explicit_fallback=False)
        values = {}
        for integral in integrals:
            value, why = fundamental_theorem(integral)
            if value is None:
                return Decision(None, why, explicit_fallback=False)
            values[integral] = value
        return Decision(is_zero(prev.xreplace(values) - nxt.xreplace(values)), explicit_fallback=False)

    def describe(self) -> str:
        return self.hint or "integration"


def fundamental_theorem(integral: sp.Integral) -> tuple[Optional[sp.Expr], str]:
    """``(F(b) − F(a), "")`` for a definite integral whose antiderivative is checked, else
    ``(None, why)``.

    >>> x = sp.Symbol('x', real=True)
    >>> fundamental_theorem(sp.Integral(sp.exp(-x**2), (x, 0, 1)))[0]
    sqrt(pi)*erf(1)/2
    """
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return None, f"{integral} is not a single definite integral"
    x, a, b = integral.limits[0]
    f = integral.function
    if a.has(x) or b.has(x) or not (a.is_real and b.is_real):
        return None, f"the limits of {integral} must be real and free of {x}"
    antiderivative = sp.integrate(f, x)
    if antiderivative.has(sp.Integral):
        return None, f"SymPy finds no antiderivative of {f}"
    if is_zero(sp.diff(antiderivative, x) - f) is not True:
        return None, f"the derivative of SymPy's antiderivative {antiderivative} is not shown to be {f}"
    for what, g in (("integrand", f), ("antiderivative", antiderivative)):
        interval = sp.Interval(a, b) if (b - a).is_nonnegative else sp.Interval(b, a)
        if continuous_everywhere(g, x):
            continue
        try:
            continuous = continuous_domain(g, x, interval)
        except (NotImplementedError, ValueError, TypeError):
            continuous = None
        if continuous != interval:
            return None, f"the {what} {g} is not continuous on [{a}, {b}]" if continuous is not None \
                else f"cannot show the {what} {g} continuous on [{a}, {b}]"
    return sp.simplify(antiderivative.subs(x, b) - antiderivative.subs(x, a)), ""


# Functions continuous on the whole real line (a composition of them, of sums, products and
# whole-number powers, is too).
ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.erf, sp.erfc, sp.Abs, sp.Max, sp.Min)


def continuous_everywhere(expr, x) -> bool:
    """Whether ``expr`` is continuous in ``x`` on all of ℝ by its form alone.

    >>> x = sp.Symbol('x', real=True)
    >>> continuous_everywhere(sp.sqrt(sp.pi) * sp.erf(x) / 2 + x**3, x), continuous_everywhere(1 / x, x)
    (True, False)
    """
    if not expr.has(x):
        return True
    if expr == x:
        return True
    if isinstance(expr, (sp.Add, sp.Mul)) or isinstance(expr, ENTIRE):
        return all(continuous_everywhere(arg, x) for arg in expr.args)
    if isinstance(expr, sp.Pow):
        base, power = expr.args
        return power.is_Integer and power >= 0 and continuous_everywhere(base, x)
    return False


def _name(target) -> str:
    return getattr(target, "__name__", str(target))
