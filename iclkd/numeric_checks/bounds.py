"""Rounding-error bounds of matrix products, kept factored until they are needed.

The bound of ``fl(AB)`` is ``|A| e_B + e_A |B| + γ_k |A||B|``: each product of absolute
values costs as much as the product itself. :class:`LazyBound` keeps such a bound as a
sum of chains ``c · |F_1| |F_2| … |F_r|`` and multiplies a chain out only when asked:

* a chain whose result is a vector (``W φ(q)``), or whose product costs at most
  :data:`EXACT_CHAIN_FLOPS` multiply-adds, is multiplied out exactly, in the cheapest order;
* a longer matrix chain is bounded entrywise by Cauchy–Schwarz on its first product,
  ``(|F_1||F_2|)_ij ≤ ‖F_1[i,:]‖₂ ‖F_2[:,j]‖₂``: a rank-one bound that costs a pass over the
  factors instead of a matrix-matrix product. It is never below the exact bound, and for
  dense factors it is within a small factor of it (π/2 on average for Gaussian entries);
  it is loose only for factors whose rows and columns have disjoint supports.

Either way the result is a rigorous upper bound of the rounding error, so a correct
identity is never refuted; at the sizes of the checker's random instances every chain is
exact. Terms on the same factors are added before anything is multiplied out, so a factor
shared by both sides of a comparison costs one pass. Factors are stored as computed
(signed); absolute values are taken block by block when a chain is multiplied out, and
not at all for a factor known to be nonnegative (features: stated by their sampler; for
``A, B >= 0`` the term ``|A||B|`` is the computed product itself). Any NumPy operation other
than ``+``, multiplication by a nonnegative scalar, ``@`` and transposition materialises the
bound, so code that treats bounds as arrays keeps working unchanged.

A bound that contains every chain of a value's magnitude bound ``|v| <= Σ m_k |chain_k|``
with coefficients ``c_k`` is at least ``min_k (c_k/m_k) |v|`` (:meth:`LazyBound.ratio_over`):
one pass over ``v`` instead of products. A comparison that holds against that floor holds
against the bound, so the costly multiplying-out is needed only when it does not (see
:func:`.compare.compare_float`).
"""
from __future__ import annotations

import functools

import numpy as np

from .frozen import frozen_owner, remembered, remembered_of_owner

# Chains costing at most this many multiply-adds are multiplied out exactly (microseconds).
EXACT_CHAIN_FLOPS = 1 << 16
# Absolute values are taken in blocks of at most this many entries (128 KB of scratch).
BLOCK_ELEMENTS = 1 << 14


def _key(factors) -> tuple:
    return tuple(map(id, factors))


@functools.lru_cache(maxsize=256)
def zero_bound(shape) -> np.ndarray:
    """An exact input's bound: a read-only zero array that costs no memory (shared).

    >>> zero_bound((2, 3)).shape, is_zero_bound(zero_bound((2, 3)))
    ((2, 3), True)
    """
    return np.broadcast_to(np.float64(0.0), tuple(int(n) for n in shape))


_FLOAT = np.dtype(float)


def is_zero_bound(x) -> bool:
    """Whether a bound is zero everywhere (a factored one: it has no terms).

    >>> is_zero_bound(zero_bound((2, 2))), is_zero_bound(np.ones(2)), is_zero_bound(0.0)
    (True, False, True)
    """
    if isinstance(x, np.ndarray):
        if x.ndim and not any(x.strides):  # one value, broadcast
            return not x.item(0)
        return not x.any()
    if isinstance(x, LazyBound):
        return not x.terms
    return not np.any(x)


_is_zero = is_zero_bound


def row_norms(x) -> np.ndarray:
    """``‖x[i, :]‖₂`` for each row (remembered for frozen arrays).

    >>> row_norms(np.array([[3.0, -4.0], [0.0, 1.0]]))
    array([5., 1.])
    """
    return remembered("rows", (x,), lambda a: np.sqrt(np.einsum("ij,ij->i", a, a)))


def is_nonnegative(x) -> bool:
    """Whether every entry of ``x`` is ``>= 0``: for a frozen array, a fact about the whole
    array owning its memory (computed once, or stated by the sampler that drew it); looked
    at directly for a small writable array; ``False`` (unknown) for a large writable one.

    >>> is_nonnegative(np.array([[0.0, 2.0]])), is_nonnegative(np.array([[-1.0]]))
    (True, False)
    """
    if not isinstance(x, np.ndarray) or (x.dtype is not _FLOAT and x.dtype != float):
        return False
    owner = frozen_owner(x)
    if owner is not None:
        return remembered_of_owner("nonnegative", owner, _all_nonnegative)
    return x.size <= BLOCK_ELEMENTS and _all_nonnegative(x)


def note_nonnegative(x) -> None:
    """State that a frozen array is entrywise nonnegative (its sampler draws no negatives)."""
    if frozen_owner(x) is x:
        remembered_of_owner("nonnegative", x, lambda _: True)


def _all_nonnegative(a) -> bool:
    return bool(a.size == 0 or a.min() >= 0)


def chain_order(shapes):
    """Matrix-chain DP: ``(cost, split)`` tables of the cheapest association order (remembered
    per sequence of shapes: a checker meets the same few chains again and again).

    >>> chain_order([(10, 100), (100, 5), (5, 50)])[1][0][2]
    1
    """
    return _chain_order(tuple(shapes))


@functools.lru_cache(maxsize=1024)
def _chain_order(shapes):
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    n = len(shapes)
    cost, split = [[0] * n for _ in range(n)], [[0] * n for _ in range(n)]
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            cost[i][j], split[i][j] = min((cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1], k)
                                          for k in range(i, j))
    return tuple(map(tuple, cost)), tuple(map(tuple, split))


def _costs_at_most(factors, flops: int) -> bool:
    """Whether the cheapest order of a chain costs at most ``flops`` multiply-adds (the
    left-to-right order, an upper bound, decides most chains without the DP)."""
    rows, total = factors[0].shape[0], 0
    for f in factors[1:]:
        total += rows * f.shape[0] * f.shape[1]
    return total <= flops or chain_cost([f.shape for f in factors]) <= flops


def chain_cost(shapes) -> int:
    """Multiply-adds of the cheapest association order of a chain of 2-D shapes.

    >>> chain_cost([(10, 100), (100, 5), (5, 50)])
    7500
    """
    return chain_order(shapes)[0][0][len(shapes) - 1]


def abs_matmul(a, b, a_signed=True, b_signed=True) -> np.ndarray:
    """``|a| |b|`` (absolute values of the operands marked signed), taken block by block
    along the inner dimension so that no full-size ``|a|`` or ``|b|`` is allocated.

    >>> a = np.array([[1.0, -2.0]]); b = np.array([[-3.0], [4.0]])
    >>> abs_matmul(a, b)
    array([[11.]])
    """
    a_signed = a_signed and not is_nonnegative(a)
    b_signed = b_signed and not is_nonnegative(b)
    if not (a_signed or b_signed):
        return a @ b
    (m, k), n = a.shape, b.shape[1]
    step = max(1, BLOCK_ELEMENTS // max(m if a_signed else 1, n if b_signed else 1))
    if step >= k:
        return (np.abs(a) if a_signed else a) @ (np.abs(b) if b_signed else b)
    out = np.zeros((m, n))
    for s in range(0, k, step):
        ab, bb = a[:, s:s + step], b[s:s + step]
        out += (np.abs(ab) if a_signed else ab) @ (np.abs(bb) if b_signed else bb)
    return out


def _multiply_out(factors) -> np.ndarray:
    """``|F_1| |F_2| … |F_r|`` exactly, in the cheapest association order."""
    if len(factors) == 1:
        return np.abs(factors[0])
    if len(factors) == 2:
        return abs_matmul(*factors)
    split = chain_order([f.shape for f in factors])[1]
    return _multiply_part(factors, split, 0, len(factors) - 1)[0]


def _multiply_part(factors, split, i, j):
    """``(|F_i| … |F_j|, still signed)`` as split by the DP (no recursive closure: that would be
    a reference cycle holding the factors until the garbage collector runs)."""
    if i == j:
        return factors[i], True
    k = split[i][j]
    (a, a_signed), (b, b_signed) = _multiply_part(factors, split, i, k), _multiply_part(factors, split, k + 1, j)
    return abs_matmul(a, b, a_signed, b_signed), False


def _rank_one(factors):
    """``(u, w)`` with ``|F_1||F_2|…|F_r| ≤ u wᵀ`` entrywise (Cauchy–Schwarz on ``F_1 F_2``)."""
    u, w = row_norms(factors[0]), row_norms(factors[1].T)
    for f in factors[2:]:
        w = abs_matmul(w[None, :], f, False, True)[0]
    return u, w


class LazyBound:
    """A nonnegative 2-D bound ``Σ_k c_k |F_k1| |F_k2| …`` (``c_k ≥ 0``).

    >>> a, b = np.random.default_rng(0).normal(size=(3, 4)), np.ones((4, 2))
    >>> lb = LazyBound.product(a, np.zeros((3, 4)), b, np.zeros((4, 2)), 0.5)
    >>> bool(np.allclose(np.asarray(lb), 0.5 * np.abs(a) @ b))
    True
    """

    __array_priority__ = 1000

    def __init__(self, terms, shape):
        self.terms = tuple(terms)
        self.shape = tuple(shape)
        self._dense = None

    @staticmethod
    def total(bounds, shape) -> "LazyBound":
        """The sum of several bounds of one shape.

        >>> a = LazyBound.absolute(np.ones((1, 2)), 1.0)
        >>> len(LazyBound.total([a, a], (1, 2)).terms)
        2
        """
        return LazyBound([t for b in bounds for t in b.terms], shape)

    @staticmethod
    def combine(pairs, shape) -> "LazyBound":
        """``Σ c_i B_i`` in one step, for coefficients ``c_i >= 0`` (an infinite or NaN one is
        kept: it shows when the bound is used) and bounds ``B_i`` (factored, or arrays of ``shape``).

        >>> a = np.ones((1, 2))
        >>> LazyBound.combine([(2.0, LazyBound.absolute(a, 1.5)), (0.0, a), (1.0, zero_bound((1, 2)))], (1, 2)).terms[0][0]
        3.0
        """
        terms = []
        for c, bound in pairs:
            if c == 0:
                continue
            if not isinstance(bound, LazyBound):
                if is_zero_bound(bound):
                    continue
                bound = LazyBound.of(bound, shape)
            terms += [(c * cb, fs) for cb, fs in bound.terms]
        return LazyBound(terms, shape)

    def times_bound(self, other: "LazyBound", c: float) -> "LazyBound":
        """``c`` times the product of two bounds, term by term (``|A| <= Σ a_i``, ``|B| <=
        Σ b_j`` give ``c|A||B| <= Σ c a_i b_j``).

        >>> a = LazyBound.absolute(np.ones((1, 2)), 2.0)
        >>> b = LazyBound.absolute(np.ones((2, 3)), 1.0)
        >>> a.times_bound(b, 1.5).terms[0][0]
        3.0
        """
        terms = [(c * ca * cb, fa + fb) for ca, fa in self.terms for cb, fb in other.terms]
        return LazyBound(terms, (self.shape[0], other.shape[1]))

    @staticmethod
    def of(x, shape) -> "LazyBound":
        if isinstance(x, LazyBound):
            return x
        x = np.broadcast_to(np.asarray(x, dtype=float), shape)
        return LazyBound(() if not np.any(x) else ((1.0, (x,)),), shape)

    @classmethod
    def product(cls, a_val, a_err, b_val, b_err, g, value=None, nonnegative=None) -> "LazyBound":
        """The bound of ``fl(A B)``: ``|A| e_B + e_A |B| + g |A||B|``, unexpanded.

        If ``A, B >= 0`` (``nonnegative``, looked up when ``None``) and the computed product
        ``value`` is given, ``|A||B| = AB <= value / (1 - g)``: the last term costs no product,
        and neither does a term ``c |A|`` of ``e_A`` (or ``c |B|`` of ``e_B``), which becomes
        ``c/(1 - g) · value`` (so the bound of ``φᵀ Φ 1`` stays a multiple of the value)."""
        shape = (a_val.shape[0], b_val.shape[1])
        if nonnegative is None:
            nonnegative = is_nonnegative(a_val) and is_nonnegative(b_val)
        collapse = value is not None and nonnegative
        terms = [(g / (1 - g), (value,))] if collapse else [(g, (a_val, b_val))]
        if not _is_zero(a_err):
            terms += [(c / (1 - g), (value,)) if collapse and fs[0] is a_val and len(fs) == 1 else (c, fs + (b_val,))
                      for c, fs in cls.of(a_err, a_val.shape).terms]
        if not _is_zero(b_err):
            terms += [(c / (1 - g), (value,)) if collapse and fs[0] is b_val and len(fs) == 1 else (c, (a_val,) + fs)
                      for c, fs in cls.of(b_err, b_val.shape).terms]
        return cls(terms, shape)

    @classmethod
    def absolute(cls, x, c: float) -> "LazyBound":
        """``c |x|`` for a 2-D array, its absolute value taken only when needed."""
        return cls(((float(c), (x,)),), x.shape)

    # ------------------------------------------------------------ lazy operations
    @property
    def T(self) -> "LazyBound":
        return LazyBound([(c, tuple(f.T for f in reversed(fs))) for c, fs in self.terms], self.shape[::-1])

    def _plus(self, other) -> "LazyBound":
        if isinstance(other, LazyBound):
            return LazyBound.total((self, other), self.shape) if other.shape == self.shape else NotImplemented
        if isinstance(other, (int, float)) and other == 0:
            return self
        other = LazyBound.of(other, self.shape) if np.shape(other) in ((), self.shape) or isinstance(other, LazyBound) else None
        if other is None or other.shape != self.shape:
            return NotImplemented
        return LazyBound.total((self, other), self.shape)

    def scaled(self, c: float) -> "LazyBound":
        """``c`` times this bound, for a number ``c >= 0`` (what ``self * c`` gives, more directly).

        >>> LazyBound.absolute(np.ones((1, 2)), 2.0).scaled(1.5).terms[0][0]
        3.0
        """
        return LazyBound([(k * c, fs) for k, fs in self.terms], self.shape)

    def _times(self, scalar):
        if not isinstance(scalar, (float, int)) and np.ndim(scalar) != 0 or not float(scalar) >= 0:
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
    def _coefficients(self) -> dict:
        """``{factor ids: (c, factors)}`` with the coefficients of terms on the same factors added."""
        out = {}
        for c, fs in self.terms:
            key = _key(fs)
            hit = out.get(key)
            out[key] = (c, fs) if hit is None else (hit[0] + c, fs)
        return out

    def _grouped(self):
        """``(singles, chains)``: the terms on the same factors added (each then costs one pass)."""
        singles, chains = {}, {}
        for key, term in self._coefficients().items():
            (singles if len(term[1]) == 1 else chains)[key] = term
        return singles, chains

    def _is_cheap(self, factors) -> bool:
        return 1 in self.shape or _costs_at_most(factors, EXACT_CHAIN_FLOPS)

    def is_costly(self) -> bool:
        """Whether multiplying out costs more than :data:`EXACT_CHAIN_FLOPS` multiply-adds for
        some chain (a matrix chain bounded by Cauchy–Schwarz, or a vector chain through a large
        matrix such as ``|V| |Φ|ᵀ φ``)."""
        return any(len(fs) > 1 and not _costs_at_most(fs, EXACT_CHAIN_FLOPS) for _, fs in self.terms)

    def ratio_over(self, other: "LazyBound") -> float:
        """The largest ``k`` with ``self >= k · other`` term by term: each chain of ``other``
        must be a chain of ``self`` (the same factor arrays), and ``k`` is the smallest ratio of
        their coefficients; ``0.0`` when some chain is missing.

        >>> a = np.ones((2, 2))
        >>> LazyBound.absolute(a, 6.0).ratio_over(LazyBound.absolute(a, 2.0))
        3.0
        """
        theirs = other._coefficients()
        mine = dict.fromkeys(theirs)
        for c, fs in self.terms:  # only the chains of ``other`` are summed
            key = _key(fs)
            if key in mine:
                hit = mine[key]
                mine[key] = c if hit is None else hit + c
        ratio = float("inf")
        for key, (c, fs) in theirs.items():
            total = mine[key]
            if total is None or not c > 0:
                return 0.0
            ratio = min(ratio, total / c)
        return ratio if theirs else 0.0

    def at(self, flat) -> np.ndarray:
        """The bound at the entries with flat indices ``flat``, every chain multiplied out exactly
        there and nowhere else (row ``i`` of ``|F_1|…|F_{r-1}|`` times column ``j`` of ``|F_r|``):
        a few matrix-vector products for a few entries, where multiplying out costs a product.

        >>> a, b = np.array([[1.0, -2.0], [3.0, 4.0]]), np.array([[-1.0], [5.0]])
        >>> LazyBound([(2.0, (a, b)), (1.0, (a @ b,))], (2, 1)).at([1]).tolist() == [2 * 23.0 + 17.0]
        True
        """
        rows, cols = np.unravel_index(np.asarray(flat), self.shape)
        out = np.zeros(len(rows))
        for c, fs in self._coefficients().values():
            if len(fs) == 1:
                out += c * np.abs(fs[0][rows, cols])
                continue
            left = np.abs(fs[0][rows, :])
            for f in fs[1:-1]:
                left = abs_matmul(left, f, False, True)
            out += c * np.einsum("ij,ji->i", left, np.abs(fs[-1][:, cols]))
        return out

    def _sum(self) -> np.ndarray:
        singles, chains = self._grouped()  # terms on the same factors are added first: one pass each
        parts, ranks = [], []
        for c, fs in chains.values():
            if self._is_cheap(fs):
                parts.append(c * _multiply_out(fs))
            else:
                u, w = _rank_one(fs)
                ranks.append((c * u, w))
        if ranks:  # all rank-one terms in one product with a short inner dimension
            parts.append(np.stack([u for u, _ in ranks], axis=1) @ np.stack([w for _, w in ranks], axis=0))
        total = parts[0] if parts else None
        for part in parts[1:]:
            total += part
        for c, (f,) in singles.values():
            if total is None:
                total = np.abs(f) * c
                continue
            scratch = np.abs(f)
            scratch *= c
            total += scratch
        return np.zeros(self.shape) if total is None else total

    def only_entry(self) -> np.float64:
        """The bound of a 1×1 value as a number: ``np.asarray(self)[0, 0]``, without the arrays.

        >>> a = np.array([[-2.0]])
        >>> float(LazyBound([(3.0, (a,)), (1.0, (a, a))], (1, 1)).only_entry())
        10.0
        """
        if self.shape != (1, 1):
            raise ValueError(f"a bound of shape {self.shape} has more than one entry")
        singles, chains = self._grouped()  # in the order (and so with the roundings) of _sum
        total = None
        for c, fs in chains.values():
            part = c * _multiply_out(fs)[0, 0]
            total = part if total is None else total + part
        for c, (f,) in singles.values():
            part = abs(f[0, 0]) * c
            total = part if total is None else total + part
        return np.float64(0.0) if total is None else np.float64(total)

    def __array__(self, dtype=None, copy=None):
        if self._dense is None:
            self._dense = self._sum()
        if dtype is None or np.dtype(dtype) == self._dense.dtype:
            return self._dense
        return self._dense.astype(dtype)

    def __getitem__(self, key):
        return np.asarray(self)[key]

    def __float__(self):
        return float(np.asarray(self))

    @property
    def ndim(self) -> int:
        return 2

    def __repr__(self) -> str:
        return f"LazyBound({len(self.terms)} terms, shape {self.shape})"
