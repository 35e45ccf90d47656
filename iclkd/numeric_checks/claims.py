"""Evaluating a result's own statements on hand-built instances, inside numeric checks.

Numeric checks receive the (possibly broken) result; they evaluate its claims through
these helpers, so a wrong statement is caught by the numbers, and search for violations on
instances built to be hard (boundaries, maximisers) as well as random ones.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import sympy as sp

from .compare import compare_float
from .evaluate import EvaluationError, Evaluator, Value
from .report import PASSED, REFUTED, CheckOutcome, readable


def with_definitions(result, env: Mapping, exact: bool = False, targets=None) -> dict:
    """``env`` plus the definitions of ``result`` that ``targets`` need (all by default) and
    ``env`` does not give, evaluated in order.

    >>> import sympy as sp
    >>> from iclkd.symbolic.result import Claim, Definition, Result
    >>> x, y = sp.symbols('x y')
    >>> r = Result('U1', 'L', 't', claims=(Claim('', y, 2 * x),), definitions=(Definition(y, 2 * x),))
    >>> float(with_definitions(r, {x: 1.5})[y].val)
    3.0
    """
    out = infer_sizes(env)
    needed = _needed(result.definitions, targets, out)
    for d in result.definitions:
        if d.symbol not in out and (needed is None or d.symbol in needed):
            value = Evaluator(out, exact=exact).value(d.value)
            out[d.symbol] = value.val if exact else value
    return out


def _needed(definitions, targets, given):
    if targets is None:
        return None
    needed = set().union(*(sp.sympify(t).free_symbols for t in targets))
    for d in reversed(definitions):
        if d.symbol in needed and d.symbol not in given:
            needed |= d.value.free_symbols
    return needed


def infer_sizes(env: Mapping) -> dict:
    """``env`` plus the size symbols read off the shapes of the matrices it gives.

    >>> import sympy as sp
    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> infer_sizes({sp.MatrixSymbol('A', n, 2): np.zeros((3, 2))})[n]
    3
    """
    out = dict(env)
    for symbol, value in env.items():
        if isinstance(symbol, sp.MatrixSymbol):
            for size, actual in zip(symbol.shape, np.shape(getattr(value, "val", value))[-2:]):
                if isinstance(size, sp.Symbol) and size not in out:
                    out[size] = actual
    return out


def claim_sides(result, name: str, env: Mapping, exact: bool = False) -> tuple[Value, Value]:
    """The claim's two sides evaluated on ``env`` (definitions filled in).

    >>> from iclkd.symbolic.result import Claim, Result
    >>> x = sp.Symbol('x')
    >>> r = Result('U1', 'L', 't', claims=(Claim('', x**2, x * x),))
    >>> [float(v.val) for v in claim_sides(r, '', {x: 3.0})]
    [9.0, 9.0]
    """
    claim = result.claim(name)
    full = with_definitions(result, env, exact, targets=(claim.lhs, claim.rhs))
    return Evaluator(full, exact=exact).value(claim.lhs), Evaluator(full, exact=exact).value(claim.rhs)


def claim_side(result, name: str, env: Mapping, side: str = "rhs", exact: bool = False) -> Value:
    """One side (``"lhs"`` or ``"rhs"``) of the claim, evaluated on ``env``.

    >>> from iclkd.symbolic.result import Claim, Result
    >>> x = sp.Symbol('x')
    >>> float(claim_side(Result('U1', 'L', 't', claims=(Claim('', x, 2 * x / 2),)), '', {x: 1.5}).val)
    1.5
    """
    expr = getattr(result.claim(name), side)
    return Evaluator(with_definitions(result, env, exact, targets=(expr,)), exact=exact).value(expr)


def search_violations(check_name: str, result, claim_name: str, instances: Iterable[tuple[str, Mapping]],
                      description: str = "") -> CheckOutcome:
    """Evaluate ``claim`` on every ``(label, env)`` instance; the first violation refutes.

    The tolerance is the rounding bound of both sides (``compare_float``); a NaN is an error
    refutation, never a pass.

    >>> from iclkd.symbolic.result import Claim, Result
    >>> x = sp.Symbol('x')
    >>> r = Result('U1', 'L', 't', claims=(Claim('', x**2, x, relation='<='),))
    >>> search_violations('demo', r, '', [('half', {x: 0.5}), ('two', {x: 2.0})]).counterexample['instance']
    'two'
    """
    claim = result.claim(claim_name)
    worst, count = 0.0, 0
    for label, env in instances:
        count += 1
        try:
            left, right = claim_sides(result, claim_name, env)
        except (EvaluationError, FloatingPointError, ZeroDivisionError) as exc:
            return CheckOutcome(check_name, REFUTED, trials=count, detail=f"{label}: could not evaluate: {exc}",
                                counterexample={"instance": label})
        cmp = compare_float(left, right, claim.relation if claim.relation != "<" else "<=")
        if not cmp.finite or not cmp.holds:
            return CheckOutcome(
                check_name, REFUTED, trials=count, max_error=worst,
                detail=f"{result.id}{claim_name} fails on {label}: violated by {cmp.difference:.3g} "
                       f"(rounding tolerance {cmp.tolerance:.3g})",
                counterexample={"instance": label, "left": readable(np.asarray(left.val)),
                                "right": readable(np.asarray(right.val)),
                                "values": {str(k): readable(np.asarray(getattr(v, "val", v), dtype=float))
                                           for k, v in env.items() if np.size(getattr(v, "val", v)) <= 16}})
        worst = max(worst, cmp.relative_error)
    return CheckOutcome(check_name, PASSED, trials=count, max_error=worst, detail=description)
