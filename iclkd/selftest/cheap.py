"""The self-test's cheap stage: a mutant's changed claims evaluated on the checker's own instances.

The checker evaluates every proof step on random instances before it tries SymPy, and a
numeric disagreement refutes the step whatever SymPy would say. So a step that the numbers
refute here, on the instances the checker draws for the mutated claim (same seed, same
trials, same :class:`~iclkd.numeric_checks.steps.InstanceBank`), is a step the checker
refutes too: the claim is ``refuted`` and the mutant is not ``verified``. Likewise a step
whose numbers cannot be had (an evaluation error, a value that is NaN or overflows at every
scale, instances that cannot be drawn) is an ``error`` step in the checker, and its claim is
not proved. Such a mutant is killed with status ``error``, unless a later changed claim's
numbers or one of the result's numeric checks refute it (then ``refuted``, as in the checker).
Nothing else is read as a kill: a symbolic verdict, the chain's end (decided by SymPy first) or
a timeout all leave the mutant to the full checker.

Mutants of one result mostly leave a claim's symbols, sizes and definitions alone, and then
its instances are the same: :class:`Banks` shares one bank (its instances, and the values
already computed on them) between every mutant with the same
:meth:`~iclkd.numeric_checks.steps.InstanceBank.draw_key`.

A changed definition matters only to the claims that read it (:func:`claims_to_check`): the
others are drawn and decided as in the original, so they keep its verdicts, here and in the
fast path's full check.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Optional

import numpy as np

from ..errors import StepTimeout
from ..numeric_checks.instances import needed_definitions
from ..numeric_checks.steps import (RAISE_ON_GARBAGE, InstanceBank, check_equivalence_numerically,
                                    check_relation_numerically)
from ..status import ERROR, REFUTED
from ..symbolic.checker import _relation_ok, claim_expressions
from ..symbolic.context import ProofContext
from ..symbolic.timing import time_limit


class Banks:
    """Instance banks shared between mutants, by draw key (the least recently used dropped
    beyond ``size``).

    >>> import sympy as sp
    >>> from iclkd import Claim, Result
    >>> from iclkd.check import CheckSettings
    >>> x, y = sp.symbols('x y')
    >>> ctx = ProofContext(Result('T1', 'L', 't', claims=(Claim('', x + y, y + x),)), None, 0)
    >>> banks = Banks(CheckSettings())
    >>> banks.bank([x + y], ctx) is banks.bank([x * y], ctx), banks.bank([x], ctx) is banks.bank([x + y], ctx)
    (True, False)
    """

    def __init__(self, settings, size: int = 256):
        self.settings, self.size = settings, size
        self._banks: OrderedDict = OrderedDict()

    def bank(self, exprs, ctx) -> InstanceBank:
        fresh = InstanceBank(exprs, ctx, seed=self.settings.seed, trials=self.settings.trials)
        key = fresh.draw_key()
        shared = self._banks.get(key)
        if shared is not None:
            self._banks.move_to_end(key)
            return shared
        self._banks[key] = fresh
        if len(self._banks) > self.size:
            self._banks.popitem(last=False)
        return fresh


def refuting_step(mutant, registry, settings, banks: Optional[Banks] = None) -> Optional[tuple]:
    """``(killed_by, status)`` of the first step of the mutant's changed claims whose numbers
    refute it (``refuted``) or cannot be had (``error``), ``killed_by`` worded as
    :func:`~iclkd.selftest.runner.killed_by` words it; None if every step's numbers pass.

    Claims are taken in order; within a claim the chain stops where the checker's would (a
    refuted or an erroneous step). After an erroneous step the later claims are still looked
    at, and then the result's numeric checks: a refutation there makes the status ``refuted``,
    as in the checker.

    >>> import sympy as sp
    >>> from iclkd import Algebra, Claim, Result, Step
    >>> from iclkd.check import CheckSettings
    >>> from iclkd.selftest.mutations import mutants
    >>> from iclkd.symbolic.registry import Registry
    >>> x = sp.Symbol('x', real=True)
    >>> r = Result('T1', 'Lemma', 't', claims=(Claim('', (x + 1)**2, x**2 + 2*x + 1,
    ...                                                proof=(Step(x**2 + 2*x + 1, Algebra()),)),))
    >>> m = next(m for m in mutants(r) if m.part == 'rhs' and m.operator == 'drop-term')
    >>> killed_by, status = refuting_step(m, Registry([r]), CheckSettings())
    >>> killed_by, str(status)
    ('T1 step 1 (algebra): refuted', 'refuted')
    """
    banks = banks if banks is not None else Banks(settings)
    result = mutant.result
    first_error = None
    for i in sorted(claims_to_check(mutant, registry)):
        claim = result.claims[i]
        if claim.proof and _relation_ok(claim.relation, claim.proof):
            return None  # a malformed chain: the checker's definition check reports it
        try:
            found = _failing_step(ProofContext(result, registry, i), settings, banks)
        except StepTimeout:
            continue  # the checker would spend the time again: no gain in guessing
        except Exception:  # the checker reports what went wrong; the cheap stage only looks for numbers
            continue
        if found and found[1] == REFUTED:
            return (first_error[0], REFUTED) if first_error else found
        first_error = first_error or found
    if first_error and _a_numeric_check_refutes(result, settings):
        return first_error[0], REFUTED
    return first_error


def _a_numeric_check_refutes(result, settings) -> bool:
    """Whether one of the result's numeric checks is refuted: the checker runs them after the
    claims (none was refuted), and a refuted one makes the status ``refuted``."""
    from ..check import run_numeric_check  # the checker's own runner (it imports the symbolic checker)

    with np.errstate(**RAISE_ON_GARBAGE):
        return any(run_numeric_check(check, result, settings).status == REFUTED for check in result.numeric_checks)


def claims_to_check(mutant, registry) -> frozenset:
    """The claims whose check the mutant can change: its own ``claims_to_check``, or, for a
    changed definition, the claims that read it (their expressions or the definitions those
    use reach its symbol, or a step rewrites by it). A claim that reads no changed definition is
    checked on the same instances with the same rules as the original: its verdict is the same.

    >>> from iclkd.paper import load_paper
    >>> from iclkd.selftest.mutations import mutants
    >>> reg = load_paper('brewing').registry()
    >>> m = next(m for m in mutants(reg.get('R11')) if m.part == 'definition R_N' and m.result)
    >>> sorted(reg.get('R11').claims[i].name for i in claims_to_check(m, reg))
    ['(d)']
    """
    result = mutant.result
    every = frozenset(range(len(result.claims)))
    if mutant.claims_to_check is not None:
        return mutant.claims_to_check
    try:
        before = registry.get(mutant.result_id).definitions
    except Exception:  # a mutant of a result outside the registry: check every claim
        return every
    changed = {d.symbol for d, o in zip(result.definitions, before) if d != o}
    if len(result.definitions) != len(before) or not changed:
        return every
    try:
        return frozenset(i for i in every if _reads(ProofContext(result, registry, i), changed))
    except Exception:  # a reference the checker reports: let it see every claim
        return every


def _reads(ctx, symbols) -> bool:
    exprs = claim_expressions(ctx.claim)
    used = set().union(*(e.free_symbols for e in exprs))
    used |= {sym for sym, value in needed_definitions(exprs, ctx.sampling_definitions()) for sym in (sym, *value.free_symbols)}
    refs = {r for step in ctx.claim.proof for r in step.rule.references()}
    return bool(used & symbols) or any(r == s for r in refs for s in symbols)


def _failing_step(ctx, settings, banks) -> Optional[tuple]:
    """``(killed_by, status)`` of the claim's first step whose numbers do not pass, or None."""
    claim = ctx.claim
    bank = banks.bank(claim_expressions(claim), ctx)
    where = f"{ctx.result.id}{claim.name}"
    if not claim.proof:
        numbers = _numbers(claim.lhs, claim.rhs, claim.relation, bank, settings.timeout, extra=True)
        return _failure(f"{where} chain end", numbers.status)
    prev = claim.lhs
    for k, step in enumerate(claim.proof, start=1):
        numbers = _numbers(prev, step.expr, step.relation, bank, settings.timeout, extra=step.rule.cited)
        if numbers.status != "passed":  # a refuted or an erroneous step ends the checker's chain here
            return _failure(f"{where} step {k} ({step.rule.describe()})", numbers.status)
        prev = step.expr
    return None


def _failure(where: str, numbers_status: str) -> Optional[tuple]:
    """A kill as the checker words it: its step status is ``refuted`` or ``error``."""
    if numbers_status == "passed":
        return None
    status = REFUTED if numbers_status == "refuted" else ERROR
    return f"{where}: {status}", status


def _numbers(left, right, relation, bank, timeout, *, extra):
    """The step's numbers exactly as :func:`~iclkd.symbolic.checker.check_step` computes them."""
    with time_limit(timeout):
        if relation == "iff":
            return check_equivalence_numerically(left, right, bank)
        return check_relation_numerically(left, right, relation, bank, extra=extra)
