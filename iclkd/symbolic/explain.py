"""A refuted step made actionable: the shrunk counterexample, its replay token, SymPy's answer.

:func:`explain_refutation` adds to a refuted step's counterexample ``"shrunk"`` (the smallest
sizes and simplest values that still fail, :mod:`~iclkd.numeric_checks.shrink`), ``"replay"``
(a token that rebuilds that instance: ``iclkd check ID --replay TOKEN``) and ``"sympy"`` (the
normal form of left − right). It never changes a verdict.
"""
from __future__ import annotations

from typing import Optional

from ..numeric_checks.report import readable
from ..numeric_checks.shrink import Failure, difference_answer, drawn_symbols, failure_on, shrink
from ..numeric_checks.token import Token, encode


def step_sides(claim, index: int) -> tuple:
    """``(left, right, relation)`` of step ``index`` of ``claim``: 1.. are proof steps; 0 is the
    statement itself for a claim without proof, else the check that the chain ends at it.

    >>> import sympy as sp
    >>> from iclkd.symbolic.result import Claim, Step
    >>> from iclkd.symbolic.rules import Algebra
    >>> x = sp.Symbol('x')
    >>> c = Claim('(a)', (x + 1)**2, x**2 + 2*x + 1, proof=[Step(x**2 + 2*x + 1, Algebra())])
    >>> step_sides(c, 1)
    ((x + 1)**2, x**2 + 2*x + 1, '=')
    >>> step_sides(c, 0)[2], step_sides(Claim('', x, x), 0)
    ('=', (x, x, '='))
    """
    if index == 0:
        if not claim.proof:
            return claim.lhs, claim.rhs, claim.relation
        return claim.proof[-1].expr, claim.rhs, "="
    left = claim.lhs if index == 1 else claim.proof[index - 2].expr
    step = claim.proof[index - 1]
    return left, step.expr, step.relation


def explain_refutation(rep, ctx, bank) -> None:
    """Add ``shrunk``, ``replay`` and ``sympy`` to the counterexample of the refuted step ``rep``
    (a :class:`~iclkd.symbolic.checker.StepReport`), where they can be had."""
    claim = ctx.claim
    left, right, relation = step_sides(claim, rep.index)
    if relation == "iff":
        return
    exact = bool((rep.counterexample or {}).get("exact", False))
    start = _first_failing(bank, left, right, relation, exact)
    cex = dict(rep.counterexample or {})
    cex["sympy"] = difference_answer(left, right)
    if start is not None:
        found = shrink(bank, left, right, relation, *start)
        inst, failure = found.instance, found.failure
        symbols = set().union(*(e.free_symbols for e in (left, right)))
        cex["shrunk"] = {"sizes": {str(d): int(n) for d, n in sorted(inst.sizes.items(), key=str)},
                         "instance": inst.describe(symbols), "left": _shown(failure.left),
                         "right": _shown(failure.right), "note": failure.note, "tried": found.evaluations}
        values = {str(s): inst.env[s] for s in drawn_symbols(bank, inst)}
        token = Token(ctx.result.id, claim.name, rep.index, inst.exact,
                      {str(d): int(n) for d, n in inst.sizes.items()}, values)
        try:
            cex["replay"] = encode(token)
        except ValueError:  # a value that is not a rational or a float: no token
            pass
    rep.counterexample = cex


def _shown(value):
    import numpy as np

    return readable(np.asarray(value) if np.ndim(value) else value)


def _first_failing(bank, left, right, relation, exact: bool) -> Optional[tuple]:
    """``(instance, failure)`` for the first of the bank's instances on which the step fails."""
    try:
        pool = bank.exacts() if exact else bank.floats() + bank.extra_floats()
    except Exception:  # the instances could not be built: nothing to shrink from
        return None
    for inst in pool:
        outcome, failure = failure_on(left, right, relation, inst)
        if outcome == "fails":
            return inst, failure
    return None


__all__ = ["Failure", "explain_refutation", "step_sides"]
