"""Which expressions are rational functions of the values drawn for their symbols.

Exact evaluation at random rationals proves an identity only when both sides are rational
functions of the drawn values (Schwartz–Zippel: a nonzero rational function vanishes at a
random point of a large grid with small probability). ``|x − 3| = 3 − x`` agrees at every
``x <= 3`` and ``exp(x)`` is no polynomial of any degree, so for them an exact agreement is
evidence, never a proof. The classification is syntactic and conservative: a node it does
not know is not rational.

Rational nodes: numbers and constants (``π``, ``√2``: fixed coefficients, not values), symbols,
``+``, ``×``, integer powers (an exponent may be a size, fixed at an instance), matrix symbols,
products, sums, transposes, inverses, traces, determinants (polynomials in the entries), entries, ``I``, ``0``, ``1``, Kronecker and
Hadamard products, ``diag``, block matrices, finite sums over sizes, gradients and derivatives
(taken exactly, entry by entry), and the finite averages the evaluator enumerates exactly
(Rademacher expectations, averages over feature draws). Not rational: ``Abs``, ``exp``,
``log``, fractional powers, ``Max``/``Min``, ``Piecewise``, ``sign``, Gaussian expectations,
suprema, anything else.
"""
from __future__ import annotations

from typing import Iterable, Optional

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from .objects import (BallSupremum, FeatureAverage, GaussianExpectation, Gradient,
                      RademacherExpectation, Vec)

# Nodes that are rational in the values when every argument is.
RATIONAL_NODES = (sp.Add, sp.Mul, sp.MatMul, sp.MatAdd, sp.Transpose, sp.Trace, sp.KroneckerProduct,
                  sp.HadamardProduct, sp.DiagMatrix, sp.BlockMatrix, sp.Determinant, Vec)
MATRIX_ATOMS = (sp.MatrixSymbol, sp.Identity, sp.ZeroMatrix, sp.OneMatrix)
# A finite, exactly enumerated average of its body: rational when the body is.
FINITE_AVERAGES = (RademacherExpectation, FeatureAverage)


def is_rational_in_values(expr, sizes: Iterable = ()) -> bool:
    """Whether ``expr`` is a rational function of the values of its symbols; ``sizes`` are the
    symbols fixed at an instance (dimensions), which may also count terms or be exponents.

    >>> x = sp.Symbol('x', positive=True)
    >>> is_rational_in_values((x + 1)**2 / (x - 3)), is_rational_in_values(sp.Abs(x - 3))
    (True, False)
    """
    return first_irrational(expr, sizes) is None


def first_irrational(expr, sizes: Iterable = ()) -> Optional[sp.Basic]:
    """The first node (outermost, left to right) that makes ``expr`` not rational in the values,
    or ``None`` if ``expr`` is rational (see the module docstring).

    >>> x = sp.Symbol('x', real=True)
    >>> first_irrational(sp.Abs(x - 5) + sp.Abs(x + 5))
    Abs(x - 5)
    """
    return _offender(sp.sympify(expr), frozenset(sizes))


def _fixed(expr, fixed) -> bool:
    """An integer that does not depend on the drawn values: a number, or a polynomial with
    integer coefficients in sizes and summation indices (SymPy's own indices, as in the
    entry of a product, carry no integer assumption).

    >>> i = sp.Dummy('i'); n = sp.Symbol('n', integer=True)
    >>> _fixed(n * i + 1, frozenset({n, i})), _fixed(i / 2, frozenset({i}))
    (True, False)
    """
    expr = sp.sympify(expr)
    if not expr.free_symbols <= fixed:
        return False
    if expr.is_integer is True:
        return True
    if not expr.free_symbols:
        return False
    try:
        return all(c.is_Integer for c in sp.Poly(expr, *sorted(expr.free_symbols, key=str)).coeffs())
    except (sp.PolynomialError, sp.GeneratorsNeeded):
        return False


def _offender(e, fixed) -> Optional[sp.Basic]:
    if isinstance(e, MATRIX_ATOMS) or isinstance(e, sp.Symbol):
        return None
    if not getattr(e, "is_Matrix", False) and not e.free_symbols and e.is_number:
        return None  # a constant coefficient (2, π, √2), the same at every point
    if isinstance(e, (sp.Pow, sp.MatPow, sp.Inverse)):
        base, power = e.args if not isinstance(e, sp.Inverse) else (e.arg, sp.Integer(-1))
        return (_offender(base, fixed) if _fixed(power, fixed) else e)
    if isinstance(e, RATIONAL_NODES):
        return _first(e.args, fixed)
    if isinstance(e, sp.ImmutableDenseMatrix):  # an explicit matrix (the blocks of a BlockMatrix)
        return _first(list(e), fixed)
    if isinstance(e, MatrixElement):
        indices_fixed = _fixed(e.i, fixed) and _fixed(e.j, fixed)
        return _offender(e.parent, fixed) if indices_fixed else e
    if isinstance(e, sp.Sum):
        bound = fixed | {limit[0] for limit in e.limits}
        if not all(_fixed(a, fixed) and _fixed(b, fixed) for _, a, b in e.limits):
            return e  # the number of terms depends on a drawn value
        return _offender(e.function, bound)
    if isinstance(e, Gradient):
        return _first((e.function, e.point), fixed)
    if isinstance(e, sp.Derivative):
        scalar = all(isinstance(v, sp.Symbol) and isinstance(c, (int, sp.Integer)) for v, c in e.variable_count)
        return _offender(e.expr, fixed) if scalar else e
    if isinstance(e, FINITE_AVERAGES):
        return _first((e.body, *e.args[2:]), fixed)
    if isinstance(e, (GaussianExpectation, BallSupremum)):
        return e
    return e  # Abs, exp, log, Max, Min, Piecewise, sign, relations, anything unknown


def _first(args, fixed) -> Optional[sp.Basic]:
    for a in args:
        if isinstance(a, sp.Basic):
            bad = _offender(a, fixed)
            if bad is not None:
                return bad
    return None


def irrational_part(exprs, definitions=(), sizes: Iterable = ()) -> Optional[str]:
    """Why ``exprs`` (with the ``(symbol, value)`` definitions they use) are not rational in the
    drawn values, e.g. ``"exp(x)"`` or ``"exp(x) (in the definition of y)"``; ``None`` if they are.

    >>> x, y = sp.symbols('x y', real=True)
    >>> irrational_part([x * y], [(y, sp.exp(x))])
    'exp(x) (in the definition of y)'
    """
    sizes = frozenset(sizes)
    for e in exprs:
        bad = first_irrational(e, sizes)
        if bad is not None:
            return str(bad)
    for symbol, value in definitions:
        bad = first_irrational(value, sizes)
        if bad is not None:
            return f"{bad} (in the definition of {symbol})"
    return None
