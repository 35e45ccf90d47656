"""Rounding-error bounds of matrix products, kept factored until they are needed.

The bound of ``fl(AB)`` is ``|A| e_B + e_A |B| + γ_k |A||B|``: each product of absolute
values costs as much as the product itself. :class:`LazyBound` keeps such a bound as a
sum of chains ``c · |F_1| |F_2| … |F_r|`` and multiplies a chain out only when asked, in the
cheapest order: a bound that ends up multiplied by a vector (``W φ(q)``) is then a few
matrix-vector products, never a matrix-matrix product. Nothing is dropped: materialised,
it is exactly the bound the eager formula gives (up to the order of the float sums).

Any NumPy operation other than ``+``, multiplication by a scalar, ``@`` and transposition
materialises it, so code that treats bounds as arrays keeps working unchanged.
"""
from __future__ import annotations

import numpy as np


def _chain(factors):
    if len(factors) == 1:
        return factors[0]
    if len(factors) == 2:
        return factors[0] @ factors[1]
    return np.linalg.multi_dot(factors)  # optimal association order


def zero_bound(shape) -> np.ndarray:
    """An exact input's bound: a read-only zero array that costs no memory.

    >>> zero_bound((2, 3)).shape, is_zero_bound(zero_bound((2, 3)))
    ((2, 3), True)
    """
    return np.broadcast_to(np.float64(0.0), tuple(shape))


def is_zero_bound(x) -> bool:
    if isinstance(x, LazyBound):
        return not x.terms
    if isinstance(x, np.ndarray) and x.ndim and not any(x.strides):  # one value, broadcast
        return not x.flat[0]
    return not np.any(x)


_is_zero = is_zero_bound


class LazyBound:
    """A nonnegative 2-D bound ``Σ_k c_k Π_j F_kj`` (``F_kj ≥ 0`` entrywise, ``c_k ≥ 0``).

    >>> a, b = np.abs(np.random.default_rng(0).normal(size=(3, 4))), np.ones((4, 2))
    >>> lb = LazyBound.product(a, np.zeros((3, 4)), b, np.zeros((4, 2)), 0.5)
    >>> bool(np.allclose(np.asarray(lb), 0.5 * a @ b))
    True
    """

    __array_priority__ = 1000

    def __init__(self, terms, shape):
        self.terms = tuple(terms)
        self.shape = tuple(shape)
        self._dense = None

    @staticmethod
    def of(x, shape) -> "LazyBound":
        if isinstance(x, LazyBound):
            return x
        x = np.broadcast_to(np.asarray(x, dtype=float), shape)
        return LazyBound(() if not np.any(x) else ((1.0, (x,)),), shape)

    @classmethod
    def product(cls, a_val, a_err, b_val, b_err, g) -> "LazyBound":
        """The bound of ``fl(A B)``: ``|A| e_B + e_A |B| + g |A||B|``, unexpanded."""
        abs_a, abs_b = np.abs(a_val), np.abs(b_val)
        shape = (abs_a.shape[0], abs_b.shape[1])
        terms = [(g, (abs_a, abs_b))]
        if not _is_zero(a_err):
            terms += [(c, fs + (abs_b,)) for c, fs in cls.of(a_err, abs_a.shape).terms]
        if not _is_zero(b_err):
            terms += [(c, (abs_a,) + fs) for c, fs in cls.of(b_err, abs_b.shape).terms]
        return cls(terms, shape)

    # ------------------------------------------------------------ lazy operations
    @property
    def T(self) -> "LazyBound":
        return LazyBound([(c, tuple(f.T for f in reversed(fs))) for c, fs in self.terms], self.shape[::-1])

    def _plus(self, other) -> "LazyBound":
        if isinstance(other, (int, float)) and other == 0:
            return self
        other = LazyBound.of(other, self.shape) if np.shape(other) in ((), self.shape) or isinstance(other, LazyBound) else None
        if other is None or other.shape != self.shape:
            return NotImplemented
        return LazyBound(self.terms + other.terms, self.shape)

    def _times(self, scalar):
        if np.ndim(scalar) != 0 or not float(scalar) >= 0:
            return NotImplemented
        return LazyBound([(c * float(scalar), fs) for c, fs in self.terms], self.shape)

    def __add__(self, other):
        out = self._plus(other)
        return np.asarray(self) + other if out is NotImplemented else out

    __radd__ = __add__

    def __mul__(self, other):
        out = self._times(other)
        return np.asarray(self) * np.asarray(other) if out is NotImplemented else out

    __rmul__ = __mul__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs and len(inputs) == 2:
            lazy = [x for x in inputs if isinstance(x, LazyBound)]
            other = inputs[1] if inputs[0] is lazy[0] else inputs[0]
            if ufunc is np.add:
                out = lazy[0]._plus(other)
                if out is not NotImplemented:
                    return out
            if ufunc is np.multiply and not isinstance(other, LazyBound):
                out = lazy[0]._times(other)
                if out is not NotImplemented:
                    return out
        plain = [np.asarray(x) if isinstance(x, LazyBound) else x for x in inputs]
        return getattr(ufunc, method)(*plain, **kwargs)

    # ------------------------------------------------------------ materialising
    def cheap_part(self) -> np.ndarray:
        """The terms that cost no matrix-matrix product: a lower bound of the whole."""
        vector = 1 in self.shape
        return self._sum(t for t in self.terms if vector or len(t[1]) == 1)

    @property
    def deferred(self) -> bool:
        return self._dense is None and 1 not in self.shape and any(len(fs) > 1 for _, fs in self.terms)

    def _sum(self, terms) -> np.ndarray:
        total = np.zeros(self.shape)
        for c, fs in terms:
            total += c * _chain(fs)
        return total

    def __array__(self, dtype=None, copy=None):
        if self._dense is None:
            self._dense = self._sum(self.terms)
        return self._dense if dtype is None else self._dense.astype(dtype)

    def __getitem__(self, key):
        return np.asarray(self)[key]

    def __float__(self):
        return float(np.asarray(self))

    @property
    def ndim(self) -> int:
        return 2

    def __repr__(self) -> str:
        return f"LazyBound({len(self.terms)} terms, shape {self.shape})"
