"""The self-test's cheap stage: a mutant's changed claims evaluated on the checker's own instances.

The checker evaluates every proof step on random instances before it tries SymPy, and a
numeric disagreement refutes the step whatever SymPy would say. So a step that the numbers
refute here, on the instances the checker draws for the mutated claim (same seed, same
trials, same :class:`~iclkd.numeric_checks.steps.InstanceBank`), is a step the checker
refutes too: the claim is ``refuted`` and the mutant is not ``verified``. Nothing else is
read as a kill: a symbolic verdict, the chain's end (decided by SymPy first), a numeric
check of the result, an error or a timeout all leave the mutant to the full checker.

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

from ..errors import StepTimeout
from ..numeric_checks.instances import needed_definitions
from ..numeric_checks.steps import InstanceBank, check_equivalence_numerically, check_relation_numerically
from ..status import REFUTED
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


def refuting_step(mutant, registry, settings, banks: Optional[Banks] = None) -> Optional[str]:
    """``killed_by`` of the first step of the mutant's changed claims that its numbers refute
    (as :func:`~iclkd.selftest.runner.killed_by` words it), or None if none is.

    Claims are taken in order; within a claim the chain stops where the checker's would (a
    refuted or an erroneous step).

    >>> import sympy as sp
    >>> from iclkd import Algebra, Claim, Result, Step
    >>> from iclkd.check import CheckSettings
    >>> from iclkd.selftest.mutations import mutants
    >>> from iclkd.symbolic.registry import Registry
    >>> x = sp.Symbol('x', real=True)
    >>> r = Result('T1', 'Lemma', 't', claims=(Claim('', (x + 1)**2, x**2 + 2*x + 1,
    ...                                                proof=(Step(x**2 + 2*x + 1, Algebra()),)),))
    >>> m = next(m for m in mutants(r) if m.part == 'rhs' and m.operator == 'drop-term')
    >>> refuting_step(m, Registry([r]), CheckSettings())
    'T1 step 1 (algebra): refuted'
    """
    banks = banks if banks is not None else Banks(settings)
    result = mutant.result
    indices = sorted(claims_to_check(mutant, registry))
    for i in indices:
        claim = result.claims[i]
        if claim.proof and _relation_ok(claim.relation, claim.proof):
            return None  # a malformed chain: the checker's definition check reports it
        try:
            found = _refuted_in_claim(ProofContext(result, registry, i), settings, banks)
        except StepTimeout:
            return None  # the checker would spend the time again: no gain in guessing
        except Exception:  # the checker reports what went wrong; the cheap stage only looks for numbers
            return None
        if found:
            return found
    return None


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


def _refuted_in_claim(ctx, settings, banks) -> Optional[str]:
    claim = ctx.claim
    bank = banks.bank(claim_expressions(claim), ctx)
    where = f"{ctx.result.id}{claim.name}"
    if not claim.proof:
        numbers = _numbers(claim.lhs, claim.rhs, claim.relation, bank, settings.timeout, extra=True)
        return f"{where} chain end: {REFUTED}" if numbers.status == "refuted" else None
    prev = claim.lhs
    for k, step in enumerate(claim.proof, start=1):
        numbers = _numbers(prev, step.expr, step.relation, bank, settings.timeout, extra=step.rule.cited)
        if numbers.status == "refuted":
            return f"{where} step {k} ({step.rule.describe()}): {REFUTED}"
        if numbers.status != "passed":
            return None  # an erroneous step ends the checker's chain here
        prev = step.expr
    return None


def _numbers(left, right, relation, bank, timeout, *, extra):
    """The step's numbers exactly as :func:`~iclkd.symbolic.checker.check_step` computes them."""
    with time_limit(timeout):
        if relation == "iff":
            return check_equivalence_numerically(left, right, bank)
        return check_relation_numerically(left, right, relation, bank, extra=extra)
