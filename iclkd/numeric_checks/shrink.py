"""Shrinking a refuting instance: the smallest sizes, then the simplest values, that still fail.

As Hypothesis shrinks, a counterexample found at ``n = 5`` with Gaussian entries is replaced by
one at the smallest sizes where some draw fails, and then its values are made simpler one
symbol at a time (zeros, small integers, entries rounded to integers or set to zero), keeping a
change only if the instance still satisfies every stated assumption (sign, integrality, bounds,
matrix predicates, relational hypotheses, defined symbols recomputed) and still fails beyond
its rounding bound (exactly, for an exact instance). Values drawn by a result's own sampler
keep their draw unless the sampler is Gaussian (any real value is in its support). The work is
bounded (:data:`MOST_EVALUATIONS`, :data:`SECONDS`); a shrunk instance is only a clearer
witness of a refutation the checker already found, never evidence of its own.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

from ..errors import StepTimeout
from ..symbolic.timing import time_limit
from .bounds import note_nonnegative
from .compare import compare_float
from .domain import UnsampledDomain, _combine_sign_and_bounds
from .domain_samplers import matrix_satisfies
from .evaluate import Evaluator
from .frozen import freeze
from .instances import Instance, define_all, dimension_symbols, needed_definitions, value_symbols
from .values import Value

MOST_EVALUATIONS = 400
SECONDS = 5.0
DRAWS_PER_SIZE = 4
MOST_SIZE_CHOICES = 60
SIMPLE_SCALARS = (0, 1, -1, 2, -2, sp.Rational(1, 2), sp.Rational(-1, 2), 3, -3)


@dataclass
class Failure:
    """How ``left relation right`` fails on an instance: both values and a one-line note."""

    left: object
    right: object
    note: str


def failure_on(left, right, relation: str, inst: Instance) -> tuple[str, Optional[Failure]]:
    """``("fails", Failure)``, ``("holds", None)`` or ``("unusable", Failure|None)`` (not evaluable,
    NaN, inf or underflow: no evidence either way) for ``left relation right`` on ``inst``.

    >>> x = sp.Symbol('x')
    >>> inst = Instance(seed=0, sizes={}, env={x: 3.0}, exact=False)
    >>> failure_on(2 * x, x + 3, "=", inst)[0], failure_on(2 * x, x + 4, "=", inst)[0]
    ('holds', 'fails')
    """
    from .exact import exact_relation, pair_at, short
    from .steps import _unrepresentable

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            ev = inst.evaluator()
            lv, rv = ev.value(left), ev.value(right)
    except StepTimeout:
        raise
    except Exception as exc:  # e.g. a singular matrix after a value was made simpler
        return "unusable", Failure(None, None, f"not evaluable: {type(exc).__name__}: {exc}")
    if inst.exact:
        try:
            holds, index = exact_relation(lv.val, rv.val, relation)
        except (TypeError, ValueError, ArithmeticError) as exc:
            return "unusable", Failure(None, None, f"not comparable exactly: {exc}")
        if holds is None:
            return "unusable", Failure(lv.val, rv.val, "exact values too close to tell apart")
        if holds:
            return "holds", None
        l_entry, r_entry = pair_at(lv.val, rv.val, index)
        at = f" at entry {index}" if index else ""
        return "fails", Failure(lv.val, rv.val, f"exact evaluation gives {short(l_entry, r_entry)}{at}")
    cmp = compare_float(lv, rv, relation)
    problem = _unrepresentable(left, right, inst, lv, rv, cmp)
    if problem:
        return "unusable", Failure(lv.val, rv.val, problem)
    if cmp.holds:
        return "holds", None
    note = (f"differs by {cmp.difference:.3g}, rounding tolerance {cmp.tolerance:.3g}" if relation == "="
            else f"violated by {cmp.difference:.3g} (tolerance {cmp.tolerance:.3g})")
    return "fails", Failure(lv.val, rv.val, note)


def drawn_symbols(bank, inst: Instance) -> list:
    """The symbols of ``inst`` whose values were drawn (not sizes, not defined), by name."""
    defined = {sym for sym, _ in bank.context.sampling_definitions()}
    return sorted((s for s in inst.env if isinstance(s, (sp.Symbol, sp.MatrixSymbol))
                   and s not in inst.sizes and s not in defined), key=str)


def instance_from_values(bank, sizes: dict, values: dict, exact: bool, seed: int = 0) -> Instance:
    """An instance with the given sizes and drawn values, its defined symbols computed from them.

    Raises whatever a definition raises on these values (a singular matrix, say).
    """
    ctx = bank.context
    definitions = needed_definitions(bank.expressions, ctx.sampling_definitions())
    env: dict = {d: (sp.Integer(n) if exact else int(n)) for d, n in sizes.items()}
    domain = bank.domain()
    for sym, value in values.items():
        env[sym] = Value(freeze(value.val), freeze(value.err)) if isinstance(value, Value) else freeze(value)
        sampler = ctx.result.samplers.get(sym)
        nonnegative = (sampler.nonnegative if sampler is not None else
                       isinstance(sym, sp.Symbol) and not isinstance(domain, UnsampledDomain)
                       and _nonnegative(domain.scalar(sym)))
        if nonnegative and not exact:
            note_nonnegative(env[sym])
    memo: dict = {}
    evaluator = Evaluator(env, exact=exact, memo=memo)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        define_all(evaluator, definitions)
    return Instance(seed=seed, sizes=dict(sizes), env=evaluator.env, exact=exact, memo=memo)


def _nonnegative(s) -> bool:
    return s.sign in ("positive", "nonnegative", "zero") or (s.low is not None and s.low >= 0)


def value_allowed(bank, sym, value) -> str:
    """Why ``value`` is outside ``sym``'s stated domain ('' if it is inside).

    >>> from types import SimpleNamespace as NS
    >>> from .domain import Domain
    >>> x = sp.Symbol('x', positive=True)
    >>> bank = NS(domain=lambda: Domain())
    >>> value_allowed(bank, x, 0.0), value_allowed(bank, x, 2.0)
    ('x must be positive', '')
    """
    domain = bank.domain()
    if isinstance(domain, UnsampledDomain):
        return str(domain)
    if isinstance(sym, sp.MatrixSymbol):
        for name in sorted(domain.predicates.get(sym, ())):
            val = value.val if isinstance(value, Value) else value
            if matrix_satisfies(name, val, np.asarray(val).dtype == object) is not True:
                return f"{sym} must be {name}"
        return ""
    s = domain.scalar(sym)
    _combine_sign_and_bounds(s)
    v = _fraction(value)  # exact: no SymPy comparison of a Float with an Integer
    signs = {"positive": v > 0, "negative": v < 0, "nonnegative": v >= 0, "nonpositive": v <= 0,
             "nonzero": v != 0, "zero": v == 0}
    if not signs.get(s.sign, True):
        return f"{sym} must be {s.sign}"
    if (s.integer or s.parity is not None) and v.denominator != 1:
        return f"{sym} must be an integer"
    if s.parity is not None and v.numerator % 2 != s.parity:
        return f"{sym} must be {'even' if s.parity == 0 else 'odd'}"
    low, high = (None if b is None else _fraction(b) for b in (s.low, s.high))
    if low is not None and (v < low or (s.low_strict and v == low)):
        return f"{sym} must be {'>' if s.low_strict else '>='} {s.low}"
    if high is not None and (v > high or (s.high_strict and v == high)):
        return f"{sym} must be {'<' if s.high_strict else '<='} {s.high}"
    return ""


def _fraction(value) -> Fraction:
    """The exact value of a float, an integer or a SymPy rational (or float).

    >>> _fraction(np.float64(3.0)), _fraction(sp.Rational(-1, 3)), _fraction(np.int64(2))
    (Fraction(3, 1), Fraction(-1, 3), Fraction(2, 1))
    """
    if isinstance(value, sp.Basic):
        r = sp.Rational(value)  # exact for a SymPy Float too
        return Fraction(int(r.p), int(r.q))
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    return Fraction(float(value))


class _Budget:
    def __init__(self, most: int):
        self.left = most

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


@dataclass
class Shrunk:
    """The simplest failing instance found, its failure and how many instances were tried."""

    instance: Instance
    failure: Failure
    evaluations: int


def shrink(bank, left, right, relation: str, start: Instance, failure: Failure) -> Shrunk:
    """The smallest sizes, then the simplest values, at which ``left relation right`` still fails,
    starting from the failing instance ``start`` (see the module).

    >>> # see tests/test_shrink.py: a false AB = BA found at n = 5 shrinks to n = 2, entries 0 and 1
    """
    budget = _Budget(MOST_EVALUATIONS)
    best = Shrunk(start, failure, 0)
    try:
        with time_limit(SECONDS):
            best = _smaller_sizes(bank, left, right, relation, best, budget)
            best = _simpler_values(bank, left, right, relation, best, budget)
    except StepTimeout:
        pass  # the best found so far stands
    best.evaluations = MOST_EVALUATIONS - max(budget.left, 0)
    return best


def _fails(bank, left, right, relation, inst) -> Optional[Failure]:
    if inst is None or bank.violated_hypothesis(inst):
        return None
    outcome, failure = failure_on(left, right, relation, inst)
    return failure if outcome == "fails" else None


def _smaller_sizes(bank, left, right, relation, best: Shrunk, budget: _Budget) -> Shrunk:
    current = best.instance.sizes
    dims = sorted(current, key=str)
    if not dims:
        return best
    choices = [[n for n in bank.size_choices(d) if n <= current[d]] or [current[d]] for d in dims]
    candidates = sorted((c for c in itertools.product(*choices) if list(c) != [current[d] for d in dims]),
                        key=lambda c: (sum(c), c))[:MOST_SIZE_CHOICES]
    for combo in candidates:
        sizes = dict(zip(dims, combo))
        for k in range(DRAWS_PER_SIZE):
            if not budget.spend():
                return best
            inst = bank.draw_at(sizes, best.instance.exact, k)
            failure = _fails(bank, left, right, relation, inst)
            if failure is not None:
                return Shrunk(inst, failure, 0)
    return best


def _simpler_values(bank, left, right, relation, best: Shrunk, budget: _Budget) -> Shrunk:
    """Greedy, symbol by symbol: take the first simpler value that still fails, and start again
    from it, until no simpler value fails (each accepted value is strictly simpler: it ends)."""
    inst = best.instance
    values = {s: inst.env[s] for s in drawn_symbols(bank, inst)}
    for sym in sorted(values, key=str):
        sampler = bank.context.result.samplers.get(sym)
        if isinstance(values[sym], Value) or (sampler is not None and not sampler.name.startswith("gaussian(")):
            continue  # an exactly constructed matrix, or a sampler whose support is unknown here
        improved = True
        while improved:
            improved = False
            for candidate in _candidates(values[sym], inst.exact):
                if not budget.spend():
                    return best
                if value_allowed(bank, sym, candidate):
                    continue
                trial = {**values, sym: candidate}
                try:
                    new = instance_from_values(bank, inst.sizes, trial, inst.exact, inst.seed)
                except StepTimeout:
                    raise
                except Exception:  # a definition that cannot be evaluated on the simpler values
                    continue
                failure = _fails(bank, left, right, relation, new)
                if failure is not None:
                    values, best, improved = trial, Shrunk(new, failure, 0), True
                    break
    return best


def complexity(value) -> float:
    """How far a value is from simple: 0 for 0, then small integers, then fractions with small
    denominators; a matrix sums its entries'.

    >>> complexity(0.0), complexity(2), complexity(-2), complexity(0.5), complexity(np.array([[1.0, 0.0], [0.0, 3.0]]))
    (0.0, 2.0, 2.5, 11.0, 4.0)
    """
    if isinstance(value, np.ndarray):
        return float(sum(complexity(e) for e in value.flat))
    if isinstance(value, (int, sp.Rational)):
        r = sp.Rational(value)
        num, den, negative = abs(int(r.p)), int(r.q), bool(r.p < 0)
    else:
        f = float(value)
        fraction = Fraction(f) if np.isfinite(f) else None
        if fraction is None or fraction.denominator > 1024:
            return 1e6 + abs(f) if np.isfinite(f) else float("inf")
        num, den, negative = abs(fraction.numerator), fraction.denominator, f < 0
    return float(num + 10 * (den - 1) + 0.5 * negative) if den <= 1024 else 1e6 + num / den


def _candidates(value, exact: bool):
    """Values simpler than ``value`` (by :func:`complexity`), simplest kinds first."""
    here = complexity(value)
    if isinstance(value, np.ndarray):
        for c in _matrix_candidates(value, exact):
            if complexity(c) < here:
                yield c
        return
    seen = set()
    for c in (*SIMPLE_SCALARS, int(round(float(value)))):
        c = sp.Rational(c)
        if c not in seen and complexity(c) < here:
            seen.add(c)
            yield c if exact else np.float64(float(c))


def _matrix_candidates(value: np.ndarray, exact: bool):
    def make(entries):
        if not exact:
            return np.asarray(entries, dtype=float)
        return np.array([sp.Rational(Fraction(float(e))) for e in np.asarray(entries, dtype=float).flat],
                        dtype=object).reshape(np.shape(entries))

    as_float = np.asarray(value, dtype=float)
    yield make(np.zeros_like(as_float))
    if as_float.ndim == 2 and as_float.shape[0] == as_float.shape[1]:
        yield make(np.eye(as_float.shape[0]))
    rounded = np.round(as_float)
    yield make(np.where((rounded == 0) & (as_float != 0), np.sign(as_float), rounded))
    for idx in np.ndindex(*as_float.shape):  # one entry at a time: to 0, 1, its sign, its nearest integer
        for target in (0.0, 1.0, float(np.sign(as_float[idx])), float(np.round(as_float[idx]))):
            if target != as_float[idx]:
                trial = as_float.copy()
                trial[idx] = target
                yield make(trial) if not exact else _replace_entry(value, idx, target)


def _replace_entry(value, idx, target):
    out = np.array(value, dtype=object, copy=True)
    out[idx] = sp.Integer(int(target))
    return out


def difference_answer(left, right, seconds: float = 2.0) -> str:
    """SymPy's normal form of ``left − right`` as a line ('' if it does not come within ``seconds``).

    >>> A, B = sp.MatrixSymbol('A', 2, 2), sp.MatrixSymbol('B', 2, 2)
    >>> difference_answer(A * B, B * A)
    'left - right = A*B - B*A'
    """
    from ..symbolic.algebra import matrix_terms, scalar_normal_form

    try:
        with time_limit(seconds):
            if getattr(left, "is_Matrix", False):
                terms = matrix_terms(left - right)
                diff = sp.Add(*(c * m for m, c in terms.items())) if terms else sp.Integer(0)
            else:
                diff = scalar_normal_form(left - right)
    except StepTimeout:
        return f"SymPy did not reduce left - right within {seconds:g} s"
    except Exception as exc:  # SymPy raises many kinds on unsupported input
        return f"SymPy could not reduce left - right ({type(exc).__name__})"
    text = str(diff)
    if diff == 0:
        return "left - right = 0 in SymPy's normal form, yet the numbers differ"
    return "left - right = " + (text if len(text) <= 300 else text[:297] + "...")


__all__ = ["Failure", "Shrunk", "difference_answer", "drawn_symbols", "failure_on", "instance_from_values",
           "shrink", "value_allowed", "dimension_symbols", "value_symbols"]
