"""Exact forward-mode differentiation: numbers that carry their partial derivatives.

A :class:`Dual` is ``a + Σ_k b_k ε_k`` with ``ε_k ε_l = 0``: its value ``a`` and its partial
derivatives ``b_k`` in the entries ``k`` of one matrix variable (a sparse dict). Sums, products,
quotients and integer powers of duals follow the rules of differentiation exactly, so evaluating
a rational function of a matrix on duals gives its exact gradient in one pass, with the
components SymPy numbers (or SymPy expressions in symbols), never rounded.

Anything else — a comparison, ``exp``, a fractional power, SymPy's own matrix routines — raises
:class:`DualUnsupported` (a ``TypeError``); the caller then differentiates another way.

>>> import sympy as sp
>>> x = Dual(sp.Integer(3), {0: sp.Integer(1)})
>>> y = (x * x + 2) / x   # (x² + 2)/x, derivative 1 − 2/x²
>>> y.value, y.partials[0]
(11/3, 7/9)
"""
from __future__ import annotations

import numpy as np
import sympy as sp


class DualUnsupported(TypeError):
    """An operation on a dual number that forward-mode differentiation here does not define."""


def _merged(a: dict, b: dict, sign: int = 1) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out[k] + sign * v if k in out else sign * v
    return out


def _scaled(partials: dict, c) -> dict:
    return {k: c * v for k, v in partials.items()}


def _is_zero_value(v) -> bool:
    """Whether a dual's value is exactly zero (a number, or an expression that is literally 0)."""
    return v == 0


class Dual:
    """``value + Σ partials[k] ε_k`` (see the module docstring).

    >>> import sympy as sp
    >>> x = Dual(sp.Integer(2), {0: sp.Integer(1)})
    >>> (x ** 3).partials, (1 / x).partials
    ({0: 12}, {0: -1/4})
    """

    __slots__ = ("value", "partials")

    def __init__(self, value, partials: dict):
        self.value = value
        self.partials = partials

    def __repr__(self) -> str:
        return f"Dual({self.value}, {self.partials})"

    # ------------------------------------------------------------ arithmetic
    # An array operand is left to NumPy (NotImplemented: it applies the operation per entry).
    def __add__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        if isinstance(other, Dual):
            return Dual(self.value + other.value, _merged(self.partials, other.partials))
        return Dual(self.value + _number(other), self.partials)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.value, _scaled(self.partials, -1))

    def __pos__(self):
        return self

    def __sub__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        if isinstance(other, Dual):
            return Dual(self.value * other.value,
                        _merged(_scaled(self.partials, other.value), _scaled(other.partials, self.value)))
        c = _number(other)
        return Dual(self.value * c, _scaled(self.partials, c))

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        if isinstance(other, Dual):
            return self * other._reciprocal()
        c = _number(other)
        if _is_zero_value(c):
            raise ZeroDivisionError("division by zero")
        return Dual(self.value / c, _scaled(self.partials, 1 / c))

    def __rtruediv__(self, other):
        if isinstance(other, np.ndarray):
            return NotImplemented
        return self._reciprocal() * _number(other)

    def _reciprocal(self) -> "Dual":
        if _is_zero_value(self.value):
            raise ZeroDivisionError("division by zero")
        inverse = sp.Integer(1) / self.value
        return Dual(inverse, _scaled(self.partials, -inverse * inverse))

    def __pow__(self, exponent):
        n = _integer(exponent)
        if n == 0:
            return Dual(self.value ** 0, {})
        if n < 0:
            return self._reciprocal() ** -n
        below = self.value ** (n - 1)
        return Dual(below * self.value, _scaled(self.partials, n * below))

    def __rpow__(self, base):
        raise DualUnsupported("a power with a differentiated exponent")

    # ------------------------------------------------------------ what is not defined
    def _unsupported(self, *args):
        raise DualUnsupported("comparison or conversion of a dual number")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __abs__ = _unsupported
    __hash__ = None

    def _sympy_(self):
        # SymPy's operators then return NotImplemented (Python asks the dual's reflected
        # operator), and its other routines raise instead of taking the dual apart.
        raise sp.SympifyError("a dual number inside a SymPy routine")


def _number(x):
    if isinstance(x, (str, bytes, float, complex, np.floating)) or getattr(x, "is_Float", False):
        raise DualUnsupported(f"a dual number combined with the {type(x).__name__} {x!r}")
    if isinstance(x, int) and not isinstance(x, bool):
        return sp.Integer(x)  # 1/3 must stay a rational
    return x


def _integer(exponent) -> int:
    if isinstance(exponent, Dual):
        raise DualUnsupported("a power with a differentiated exponent")
    try:
        is_integer = bool(getattr(exponent, "is_Integer", False)) or isinstance(exponent, int)
    except TypeError:
        is_integer = False
    if not is_integer:
        raise DualUnsupported(f"a dual number to the power {exponent}")
    return int(exponent)
