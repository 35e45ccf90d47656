"""SymPy's calculus is a witness, and a cited step's numbers must be able to see an error.

*Derivatives.* SymPy's matrix calculus can be wrong (``(Trace(A.T*A) + 1).diff(A)`` is 0 in
SymPy 1.14) and finite differences cannot see an error of 1e-10 of the gradient. A step by
:class:`~iclkd.symbolic.rules.MatrixDerivative` or
:class:`~iclkd.symbolic.rules_probability.ScalarDerivative` therefore counts as proved only when
an independent exact computation confirms it (:func:`confirm_derivative`): at explicit sizes,
matrices get entries that are symbols, the function is differentiated entry by entry (scalar
calculus, which SymPy does correctly) and compared with the step's other side on the same
entries. A difference that vanishes identically confirms the step at that size; else the step is
evaluated exactly at the claim's random exact instances: a disagreement refutes it, agreement
confirms it only if the step is rational in the drawn values (Schwartz–Zippel), and is evidence,
not proof, otherwise.

*Cited steps* are checked by numbers only. If the two sides cancel catastrophically, the
rounding tolerance can exceed any error the check should find. :func:`cited_evidence`
evaluates the step exactly where the expressions allow it (then cancellation is moot), and
otherwise counts only the float instances whose tolerance resolves the sides
(:data:`RESOLUTION_LIMIT`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

from ..errors import StepTimeout
from ..numeric_checks.compare import ROUNDOFF_SAFETY
from ..numeric_checks.evaluate import EvaluationError, Evaluator
from ..numeric_checks.instances import dimension_symbols, value_symbols
from ..numeric_checks.steps import InstanceError, check_equal_exactly
from .polynomial import is_rational_in_values
from .timing import time_limit

CONFIRMED, REFUTED, UNDECIDED = "confirmed", "refuted", "undecided"
# One confirming size has every dimension at least this large (where the result allows it):
# at sizes 1 and 2 identities of small matrices (1×1 products commute; every 2×2 matrix
# satisfies X² = tr(X)X − det(X)I) can make a wrong derivative agree with the step.
MIN_WITNESS_SIZE = 3
# The share of the step's time limit that the symbolic comparison at one size may take.
SYMBOLIC_SHARE = 0.2
# A float comparison whose tolerance is at least this fraction of the larger side cannot tell
# a side from twice the other (|2r − r| = |2r|/2): a wrong factor 2, a sign or a zero would pass.
RESOLUTION_LIMIT = 0.5
ERRORS = (EvaluationError, ArithmeticError, ValueError, TypeError, NotImplementedError, IndexError)


@dataclass
class Witness:
    """The verdict of an independent check: ``status`` is confirmed, refuted or undecided;
    ``identically`` says the confirmation holds for all entries at every size checked (not at
    random points only)."""

    status: str
    detail: str
    counterexample: Optional[dict] = None
    identically: bool = False


def witness_sizes(dims, drawn, options) -> list:
    """Size assignments ``((dim, n), ...)`` for the entrywise check: the sizes of the claim's exact
    instances (``drawn``), one with every size at least :data:`MIN_WITNESS_SIZE` (or the largest
    the result allows, ``options``), and at least two distinct ones where the result allows it.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> witness_sizes([n], [{n: 1}, {n: 1}], {})
    [((n, 1),), ((n, 3),)]
    >>> witness_sizes([n], [{n: 4}], {n: (2, 4)})
    [((n, 4),), ((n, 2),)]
    """
    dims = sorted(dims, key=str)
    if not dims:
        return [()]
    out = []
    for sizes in drawn:
        key = tuple((d, int(sizes[d])) for d in dims if d in sizes)
        if len(key) == len(dims) and key not in out:
            out.append(key)
    allowed = {d: sorted({int(v) for v in options[d]}) for d in dims if d in options}

    def large(d):
        return next((v for v in allowed[d] if v >= MIN_WITNESS_SIZE), allowed[d][-1]) if d in allowed \
            else MIN_WITNESS_SIZE

    if not any(all(n >= large(d) for d, n in key) for key in out):
        out.append(tuple((d, large(d)) for d in dims))
    if len(out) < 2:
        first = dict(out[0])
        other = tuple((d, _another(allowed.get(d), first[d])) for d in dims)
        if other not in out:
            out.append(other)
    return out


def _another(options, n: int) -> int:
    """A size other than ``n``: the largest allowed below it, else the smallest above it."""
    if options is None:
        return n - 1 if n > 1 else n + 1
    below = [v for v in options if v < n]
    above = [v for v in options if v > n]
    return below[-1] if below else (above[0] if above else n)


def _describe(sizes) -> str:
    return ", ".join(f"{d}={n}" for d, n in sizes) or "no sizes"


def confirm_derivative(prev, nxt, ctx, bank, timeout: float) -> Witness:
    """Confirm ``prev = nxt`` (``prev`` holds gradients or derivatives) by exact entrywise
    differentiation at explicit sizes; see the module docstring.

    A disagreement at the claim's exact instances (drawn from its domain) refutes; a difference
    that only shows for general entries never does (the claim may hold on its domain only).
    """
    dims = dimension_symbols([prev, nxt])
    sizes = witness_sizes(dims, [], ctx.result.sizes)
    verdicts = {s: _identity_at(prev, nxt, s, timeout * SYMBOLIC_SHARE) for s in sizes}
    shown = "; ".join(_describe(s) for s in sizes)
    identically = all(v is True for v in verdicts.values())
    if identically and not dims:
        return Witness(CONFIRMED, "confirmed identically by exact differentiation", identically=True)
    exact = check_equal_exactly(prev, nxt, bank)  # at the claim's sizes, past small-size coincidences
    if identically and exact.same is True:
        return Witness(CONFIRMED, f"confirmed by exact entrywise differentiation, identically at sizes {shown}, "
                                  f"and {exact.detail.split(', but')[0]}", identically=True)
    if exact.same is False:
        return Witness(REFUTED, "the entrywise derivative differs from the step: " + exact.detail,
                       exact.counterexample)
    open_sizes = [s for s, v in verdicts.items() if v is not True]
    differs = [s for s in open_sizes if verdicts[s] is False]
    general = (f"for general entries the step is not the entrywise derivative at sizes "
               f"{'; '.join(_describe(s) for s in differs)}; " if differs else "")
    if exact.same is None:
        return Witness(UNDECIDED, f"{general}not confirmed identically at sizes "
                                  f"{'; '.join(_describe(s) for s in open_sizes)}, and {exact.detail}")
    if exact.proves:
        return Witness(CONFIRMED, "confirmed by exact entrywise differentiation: " + exact.detail)
    reason = exact.not_proof
    return Witness(UNDECIDED, f"{general}SymPy's derivative and the entrywise derivative agree at "
                              f"{exact.points} points; not a proof: {reason}")


_IDENTITIES: dict = {}
CACHE_ENTRIES = 512


def _identity_at(prev, nxt, sizes, seconds: float) -> Optional[bool]:
    """Whether ``prev − nxt`` vanishes for all entries at ``sizes`` (True), does not (False), or
    could not be decided within ``seconds`` (None); remembered per expression and size."""
    key = (prev, nxt, sizes)
    if key in _IDENTITIES:
        return _IDENTITIES[key]
    try:
        with time_limit(seconds):
            verdict = _entrywise_identity(prev, nxt, dict(sizes))
    except StepTimeout:
        return None
    if len(_IDENTITIES) >= CACHE_ENTRIES:
        _IDENTITIES.clear()
    _IDENTITIES[key] = verdict
    return verdict


def symbolic_env(exprs, sizes: dict) -> dict:
    """An exact environment in which every matrix has fresh real symbols as entries (``_A_0_1``) and
    every scalar stands for itself, at the given sizes.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> env = symbolic_env([sp.MatrixSymbol('A', n, 1)], {n: 2})
    >>> [str(a) for a in env[sp.MatrixSymbol('A', n, 1)].ravel()]
    ['_A_0_0', '_A_1_0']
    """
    env = {d: sp.Integer(n) for d, n in sizes.items()}
    for s in sorted(value_symbols(exprs) - set(sizes), key=str):
        if isinstance(s, sp.MatrixSymbol):
            rows, cols = (int(sp.sympify(k).xreplace(env)) for k in s.shape)
            env[s] = np.array([[sp.Dummy(f"{s.name}_{i}_{j}", real=True) for j in range(cols)]
                               for i in range(rows)], dtype=object)
        else:
            env[s] = s
    return env


def _entrywise_identity(prev, nxt, sizes: dict) -> Optional[bool]:
    try:
        ev = Evaluator(symbolic_env([prev, nxt], sizes), exact=True)
        left, right = ev.value(prev).val, ev.value(nxt).val
        if np.shape(left) != np.shape(right):
            return None
        verdict = True
        for d in np.ravel(np.asarray(left, dtype=object) - np.asarray(right, dtype=object)):
            zero = vanishes(d)
            if zero is False:
                return False
            if zero is None:
                verdict = None
        return verdict
    except ERRORS:
        return None


def vanishes(d) -> Optional[bool]:
    """Whether the scalar ``d`` (in symbols) is identically 0: decided exactly for a rational
    function; for anything else True only if SymPy reduces it to 0, False if it is visibly
    nonzero at a random point, else None.

    >>> x = sp.Symbol('x', real=True)
    >>> vanishes(1 / (x + 1) - 1 / (x + 1)**2 * (x + 1)), vanishes(x**2 - x), vanishes(sp.exp(2*x) - sp.exp(x)**2)
    (True, False, True)
    """
    d = sp.expand(sp.sympify(d))
    if d == 0:
        return True
    if is_rational_in_values(d):
        return sp.expand(sp.numer(sp.together(d))) == 0
    if _visibly_nonzero(d):
        return False
    return True if sp.simplify(d) == 0 else None


def _visibly_nonzero(d, seed: int = 0) -> bool:
    """``d`` is far from 0 at a random rational point (40 digits): it is not identically 0."""
    rng = np.random.default_rng(seed)
    point = {s: sp.Rational(int(rng.integers(1, 1000)), int(rng.integers(1, 1000)))
             * (1 if (s.is_positive or s.is_nonnegative) else (-1) ** int(rng.integers(2)))
             for s in d.free_symbols}
    try:
        value = sp.N(d.xreplace(point), 40)
    except ERRORS:
        return False
    return bool(value.is_number and value.is_real and abs(value) > sp.Float("1e-20"))


def cited_evidence(left, right, relation: str, bank, timeout: float) -> Witness:
    """Whether a cited step's numbers can support it: exact evaluation at the claim's exact
    instances when the expressions allow it (a failure refutes), else the float instances whose
    tolerance resolves the sides; fewer resolving instances than an ordinary step is checked
    on leave the step undecided.
    """
    exact = check_equal_exactly(left, right, bank, relation)
    if exact.same is False:
        return Witness(REFUTED, "the cited step fails in exact arithmetic: " + exact.detail, exact.counterexample)
    if exact.same is True:
        return Witness(CONFIRMED, f"checked by exact evaluation at {exact.points} points")
    resolving, total, worst = resolving_instances(left, right, bank)
    needed = len(bank.floats())
    if resolving >= needed:
        return Witness(CONFIRMED, f"checked by numbers on {resolving} instances that resolve the sides "
                                  f"(exact evaluation unavailable: {exact.detail})")
    tol, size = worst
    return Witness(UNDECIDED, f"the numeric check cannot resolve this cited step: on {total - resolving} of {total} "
                              f"instances its rounding tolerance is at least {RESOLUTION_LIMIT:g} of the sides "
                              f"(worst: tolerance {tol:.3g} for sides of size {size:.3g}), so a wrong factor 2 or "
                              f"sign would pass; exact evaluation unavailable: {exact.detail}")


def resolving_instances(left, right, bank) -> tuple:
    """``(resolving, total, (tolerance, size))`` over the cited step's float instances: those
    whose comparison tolerance is below :data:`RESOLUTION_LIMIT` times the larger side, and
    the worst tolerance with the size of the sides there."""
    instances = bank.floats() + bank.extra_floats()
    resolving, worst, worst_ratio = 0, (0.0, 0.0), -1.0
    for inst in instances:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            ev = inst.evaluator()
            lv, rv = ev.value(left), ev.value(right)
            tol = ROUNDOFF_SAFETY * float(np.max(np.asarray(lv.err, dtype=float) + np.asarray(rv.err, dtype=float)))
            size = max(float(np.max(np.abs(np.asarray(lv.val, dtype=float)))),
                       float(np.max(np.abs(np.asarray(rv.val, dtype=float)))))
        ratio = tol / size if size > 0 else (0.0 if tol == 0 else np.inf)
        resolving += bool(ratio < RESOLUTION_LIMIT)
        if ratio > worst_ratio:
            worst, worst_ratio = (tol, size), ratio
    return resolving, len(instances), worst
