"""Random instances: sizes for the symbolic dimensions and values for every symbol.

Float instances draw from NumPy's seeded generator, inside the claim's stated domain
(:mod:`.domain`) and at the sizes :mod:`.sizes` chooses; exact instances draw the same way and
round each value to a rational of 7 significant digits (Schwartz–Zippel: a nonzero polynomial
of degree ``g`` vanishes at a random point of a grid of ``S`` values per coordinate with
probability at most ``g/S``). A result's own samplers (``gaussian``, ``uniform``, …) take
precedence over the domain's draws; those draw exact rationals with numerators and
denominators up to ``EXACT_RANGE``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import numpy as np
import sympy as sp
from sympy.core.cache import cacheit

from .evaluate import Evaluator, Value
from .bounds import note_nonnegative
from .domain import Domain, draw_symbol
from .domain_samplers import EXACT_RANGE
from .frozen import freeze

DEFAULT_SIZES = (1, 2, 3, 4)


def random_rational(rng, positive=False):
    """A random rational ``p/q`` with ``|p|, q`` up to 10⁷ (never zero), for exact instances.

    >>> random_rational(np.random.default_rng(0), positive=True) > 0
    True
    """
    num = int(rng.integers(1 if positive else -EXACT_RANGE, EXACT_RANGE + 1))
    num = num or 1
    return sp.Rational(num, int(rng.integers(1, EXACT_RANGE + 1)))


@dataclass(frozen=True)
class Sampler:
    """How to draw one symbol's value. ``draw(rng, shape, exact)``.

    >>> gaussian(0.5).draw(np.random.default_rng(0), (2, 1), False).shape
    (2, 1)
    """

    name: str
    draw: Callable
    nonnegative: bool = False  # every float entry it draws is >= 0


def gaussian(scale: float = 1.0) -> Sampler:
    """Entries i.i.d. ``N(0, scale²)``; exact mode: rationals in ``[-scale, scale]``.

    >>> gaussian().name
    'gaussian(1)'
    """
    def draw(rng, shape, exact):
        if exact:
            return object_array(shape, lambda: random_rational(rng) * sp.nsimplify(scale))
        return rng.normal(0.0, scale, size=shape) if shape else float(rng.normal(0.0, scale))
    return Sampler(f"gaussian({scale:g})", draw)


def uniform(low: float, high: float) -> Sampler:
    """Entries uniform on ``[low, high]`` (positive entries when ``low > 0``).

    >>> float(uniform(1, 2).draw(np.random.default_rng(0), (), False)) >= 1
    True
    """
    def draw(rng, shape, exact):
        if exact:
            lo, hi = sp.nsimplify(low), sp.nsimplify(high)
            return object_array(shape, lambda: lo + (hi - lo) * abs(random_rational(rng, True)) / (1 + abs(random_rational(rng, True))))
        return rng.uniform(low, high, size=shape) if shape else float(rng.uniform(low, high))
    return Sampler(f"uniform({low:g}, {high:g})", draw, nonnegative=low >= 0)


def constant(value) -> Sampler:
    """Every entry ``value`` (exact mode: the rational ``value``), e.g. an edge of a hypothesis.

    >>> constant(0).draw(np.random.default_rng(0), (1, 2), False).tolist(), constant(1).draw(None, (), True)
    ([[0.0, 0.0]], 1)
    """
    def draw(rng, shape, exact):
        if exact:
            return object_array(shape, lambda: sp.nsimplify(value))
        return np.full(shape, float(value)) if shape else float(value)
    return Sampler(f"constant({value:g})", draw, nonnegative=value >= 0)


def either(*samplers: Sampler) -> Sampler:
    """One of ``samplers``, chosen uniformly at each draw: to reach edges and scales that one
    distribution rarely does (a slack of exactly 0; values 10 times smaller).

    >>> s = either(constant(0), uniform(1, 2))
    >>> sorted({float(s.draw(np.random.default_rng(k), (), False)) == 0 for k in range(20)})
    [False, True]
    """
    def draw(rng, shape, exact):
        return samplers[int(rng.integers(len(samplers)))].draw(rng, shape, exact)
    return Sampler("either(" + ", ".join(s.name for s in samplers) + ")", draw,
                   nonnegative=all(s.nonnegative for s in samplers))


def object_array(shape, make):
    """An object array of ``shape`` filled by calling ``make()`` per entry (a scalar for ``()``).

    >>> object_array((1, 2), lambda: sp.Rational(1, 3)).tolist()
    [[1/3, 1/3]]
    """
    if not shape:
        return make()
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = make()
    return out


def dimension_symbols(exprs: Iterable) -> set:
    """The size symbols (``d``, ``N``, …) that occur in matrix shapes.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> m = sp.Symbol('m', integer=True, positive=True)
    >>> dimension_symbols([sp.MatrixSymbol('A', n, 2), sp.Identity(m)]) == {n, m}
    True
    """
    return set().union(*(_dimensions_of(e) for e in exprs))


def value_symbols(exprs: Iterable) -> set:
    """Scalar symbols and matrix symbols that need values (bound variables excluded).

    >>> x = sp.Symbol('x')
    >>> value_symbols([x + 1]) == {x}
    True
    """
    return set().union(*(_values_of(e) for e in exprs))


# Every instance of a claim asks these of the same expressions: they are remembered in SymPy's
# cache (``cacheit`` works out an unhashable argument, a mutable matrix, afresh).
@cacheit
def _dimensions_of(expr) -> frozenset:
    dims = set()
    for node in sp.preorder_traversal(expr):
        if getattr(node, "is_Matrix", False) and isinstance(node, sp.Basic):  # Identity(n) has one too
            for s in node.shape:
                dims |= sp.sympify(s).free_symbols
    return frozenset(dims)


@cacheit
def _values_of(expr) -> frozenset:
    return frozenset(s for s in sp.sympify(expr).free_symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol)))


@dataclass
class Instance:
    """Sizes and values for one random evaluation, with the seed that made them."""

    seed: int
    sizes: dict
    env: dict
    exact: bool
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    origin: tuple = ()  # how its bank drew it (tag, index), to draw it again at a smaller scale
    scale: float = 1.0

    def evaluator(self) -> Evaluator:
        """An evaluator of this instance, sharing the values already computed on it."""
        return Evaluator(self.env, exact=self.exact, memo=self.memo)

    def describe(self, symbols: Iterable) -> dict:
        from .report import readable

        shown = {str(k): v for k, v in self.sizes.items()}
        for s in sorted(symbols, key=str):
            if s in self.env and s not in self.sizes:
                v = self.env[s]
                shown[str(s)] = readable(getattr(v, "val", v))
        return shown


def needed_definitions(exprs, definitions: list) -> list:
    """The ``(symbol, value)`` definitions that ``exprs`` use, directly or through other
    definitions, in their order (the others are never evaluated: they can be costly).

    >>> x, y, z = sp.symbols('x y z')
    >>> needed_definitions([x + y], [(y, 2 * x), (z, x**2)])
    [(y, 2*x)]
    """
    return list(_needed(tuple(exprs), tuple(definitions)))


@cacheit
def _needed(exprs: tuple, definitions: tuple) -> tuple:
    needed = set().union(*(sp.sympify(e).free_symbols for e in exprs)) if exprs else set()
    keep = []
    for sym, value in reversed(definitions):
        if sym in needed:
            keep.append((sym, value))
            needed |= value.free_symbols
    return tuple(keep[::-1])


def define_all(evaluator: Evaluator, definitions: Iterable) -> None:
    """Evaluate each ``(symbol, expression)`` in order and add it to ``evaluator``'s env (a bare
    value in exact mode, a value with its error bound in float mode).

    >>> x, y = sp.symbols('x y')
    >>> ev = Evaluator({x: 3.0}, exact=True)
    >>> define_all(ev, [(y, 2 * x)]); ev.env[y]
    6.00000000000000
    """
    for sym, value in definitions:
        computed = evaluator.value(value)
        evaluator.define(sym, computed.val if evaluator.exact else computed)


def make_instance(exprs, *, seed: int, exact: bool, sizes: Mapping, samplers: Mapping,
                  definitions: Iterable = (), forced_sizes: Mapping | None = None,
                  domain: Domain | None = None, index: int = 0, size_cycles: Mapping | None = None,
                  scale: float = 1.0) -> Instance:
    """Draw one instance for the symbols of ``exprs``; defined symbols are computed.

    ``sizes`` maps a dimension symbol to the sizes to choose from (``size_cycles``, when given,
    to the sizes instance ``index`` takes in turn: see :mod:`.sizes`); ``definitions`` is a
    sequence of ``(symbol, expression)`` pairs evaluated in order. A symbol without a sampler
    of its own is drawn inside ``domain`` (its SymPy assumptions at least) at the magnitudes of
    stratum ``index``, times ``scale`` where the domain allows.

    >>> x, y = sp.symbols('x y')
    >>> inst = make_instance([x + y], seed=0, exact=False, sizes={}, samplers={}, definitions=[(y, 2*x)])
    >>> bool(inst.env[y].val == 2 * inst.env[x])
    True
    """
    rng = np.random.default_rng(seed)
    domain = domain if domain is not None else Domain()
    definitions = needed_definitions(exprs, list(definitions))
    defined = {s for s, _ in definitions}
    all_exprs = list(exprs) + [v for _, v in definitions]
    dims = dimension_symbols(all_exprs)
    chosen = {}
    for dim in sorted(dims, key=str):
        if forced_sizes and dim in forced_sizes:
            chosen[dim] = int(forced_sizes[dim])
        elif size_cycles and dim in size_cycles:
            chosen[dim] = int(size_cycles[dim][index % len(size_cycles[dim])])
        else:
            chosen[dim] = int(rng.choice(sizes.get(dim, DEFAULT_SIZES)))
    env: dict = {d: (sp.Integer(n) if exact else n) for d, n in chosen.items()}
    for sym in sorted(value_symbols(all_exprs) - dims - defined, key=str):
        shape = ()
        if isinstance(sym, sp.MatrixSymbol):
            shape = tuple(int(sp.sympify(s).xreplace(chosen)) for s in sym.shape)
        sampler = samplers.get(sym)
        if sampler is not None:
            env[sym] = freeze(sampler.draw(rng, shape, exact))
            nonnegative = sampler.nonnegative
        else:
            drawn = draw_symbol(sym, shape, rng, exact, domain, index, scale)
            env[sym] = Value(freeze(drawn.val), freeze(drawn.err)) if isinstance(drawn, Value) else freeze(drawn)
            nonnegative = isinstance(sym, sp.Symbol) and _drawn_nonnegative(domain.scalar(sym))
        if nonnegative and not exact:
            note_nonnegative(env[sym])
    memo: dict = {}
    evaluator = Evaluator(env, exact=exact, memo=memo)
    define_all(evaluator, definitions)
    env = evaluator.env
    for v in env.values():  # frozen: no check can change an instance the next one reuses
        for arr in (v.val, v.err) if isinstance(v, Value) else (v,):
            freeze(arr)
    return Instance(seed=seed, sizes=chosen, env=env, exact=exact, memo=memo)


def _drawn_nonnegative(s) -> bool:
    return s.sign in ("positive", "nonnegative", "zero") or (s.low is not None and s.low >= 0)
