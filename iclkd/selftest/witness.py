"""Numbers that show a mutant is not equivalent, so that a cheap kill keeps its verdict.

:func:`~iclkd.selftest.equivalence.mutant_equivalence` calls a mutant equivalent when the
engine proves one of four things; each is an identity or an inequality over every value
the symbols may take, so one instance where it visibly fails rules it out:

* equal to the original (as written, or once the definitions are substituted): the two
  expressions differ on an instance (defined symbols computed from their definitions, a
  point of both identities; the instances are the unmutated result's, whose definitions
  agree with the mutant's everywhere but at the mutated one, which neither side reads);
* a weaker inequality (``lhs' <= lhs`` or ``rhs <= rhs'``): it fails on an instance inside
  the hypotheses;
* the original with a free variable negated: for every candidate ``x``, the mutated side
  differs from the original side with ``x ↦ −x`` on an instance.

"Visibly" is beyond the evaluator's own rounding bound (:func:`compare_float`). The engine
then tries only the reasons the numbers could not rule out.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.relational import Relational

from ..numeric_checks.compare import compare_float
from ..numeric_checks.steps import InstanceBank
from ..symbolic.context import ProofContext
from .cheap import Banks
from .equivalence import IMPLIED, NORMAL_FORM, SYMMETRY, UNDER_DEFINITIONS, _symmetric_domain, side_pairings

REASONS = frozenset({NORMAL_FORM, UNDER_DEFINITIONS, IMPLIED, SYMMETRY})


def ruled_out(mutant, registry, settings, banks=None) -> frozenset:
    """The reasons of :func:`~iclkd.selftest.equivalence.mutant_equivalence` that instances show
    do not hold for ``mutant``, with those the engine would not try for it.

    >>> import sympy as sp
    >>> from iclkd import Algebra, Claim, Result, Step
    >>> from iclkd.check import CheckSettings
    >>> from iclkd.selftest.mutations import mutants
    >>> from iclkd.symbolic.registry import Registry
    >>> x = sp.Symbol('x', real=True)
    >>> r = Result('T1', 'Lemma', 't', claims=(Claim('', (x + 1)**2, x**2 + 2*x + 1,
    ...                                                proof=(Step(x**2 + 2*x + 1, Algebra()),)),))
    >>> m = next(m for m in mutants(r) if m.part == 'rhs' and m.operator == 'drop-term')
    >>> ruled_out(m, Registry([r]), CheckSettings()) == REASONS
    True
    """
    try:
        return _ruled_out(mutant, registry, banks if banks is not None else Banks(settings))
    except Exception:  # an instance that cannot be drawn, an expression SymPy cannot rebuild: nothing shown
        return frozenset()


def _ruled_out(mutant, registry, banks) -> frozenset:
    original, mutated = mutant.original, mutant.mutated
    if not isinstance(mutated, sp.Basic):
        return REASONS  # a flipped or strict relation: the engine tries none
    if not isinstance(original, sp.Basic) or mutated == original:
        return frozenset()
    index = 0 if mutant.claim is None else [c.name for c in mutant.result.claims].index(mutant.claim)
    ctx = ProofContext(_unmutated(mutant, registry), registry, index)
    side = mutant.claim is not None and mutant.part in ("lhs", "rhs")
    weaker = side and ctx.claim.relation in ("<=", "<")
    out = set() if weaker else ({IMPLIED} if side else {IMPLIED, SYMMETRY})
    other = (ctx.claim.rhs if mutant.part == "lhs" else ctx.claim.lhs) if side else None
    exprs = [original, mutated] + ([other] if side else [])
    if weaker:  # the engine may combine any positive hypothesis: every one must hold on the instances
        exprs += sorted(ctx.positive_facts(), key=str)
    bank = _Instances(banks.bank(_values_of(exprs), ctx))
    if bank.shows(lambda ev: _differ(ev, original, mutated)):
        out |= {NORMAL_FORM, UNDER_DEFINITIONS}
    if weaker:
        smaller, larger = (mutated, original) if mutant.part == "lhs" else (original, mutated)
        if bank.shows(lambda ev: _exceeds(ev, smaller, larger)):
            out.add(IMPLIED)
    if side and all(_not_symmetric(x, mutated, original, other, ctx, bank, banks)
                    for x in _candidates(original, ctx)):
        out.add(SYMMETRY)
    return frozenset(out)


def _unmutated(mutant, registry):
    """The original result: a mutant changes one place, and the expressions compared here read
    the definitions of the others only, so the instances may be the original's (whose definitions
    build values inside the hypotheses; a mutated definition may not)."""
    try:
        return registry.get(mutant.result_id)
    except Exception:  # a mutant of a result outside the registry
        return mutant.result


def _candidates(side, ctx) -> list:
    """The variables :func:`~iclkd.selftest.equivalence._sign_symmetric` tries negating, in its
    order, up to one whose negation SymPy cannot build (there the engine gives up on the rest)."""
    defined = {symbol for symbol, _ in ctx.sampling_definitions()}
    out = []
    for x in sorted(side.free_symbols, key=str):
        if x in defined or not _symmetric_domain(x):
            continue
        try:
            side.xreplace({x: -x})
        except Exception:  # e.g. a FeatureAverage whose draws may not be negated
            break
        out.append(x)
    return out


def _hypotheses(ctx) -> tuple:
    return (*ctx.result.assumptions, *ctx.claim.given)


def _not_symmetric(x, mutated, original, other, ctx, bank, banks) -> bool:
    """Whether numbers show one of the engine's conditions for ``x ↦ −x`` fails: the mutated side
    is not the flipped original, or the other side, a definition or a hypothesis changes."""
    flip = {x: -x}

    def changes(e, where) -> bool:
        return x in e.free_symbols and where.shows(lambda ev: _differ(ev, e, e.xreplace(flip)))

    try:
        if bank.shows(lambda ev: _differ(ev, mutated, original.xreplace(flip))) or changes(other, bank):
            return True
        definitions = [d.value for d in ctx.all_definitions() if x in d.value.free_symbols]
        hypotheses = [a for a in _hypotheses(ctx) if x in a.statement.free_symbols]
        if any(not isinstance(a.statement, Relational) and a.kind != "nonzero" for a in hypotheses):
            return True  # the engine calls such a hypothesis changed
        if not definitions and not hypotheses:
            return False
        more = _Instances(banks.bank(_values_of(definitions + [a.statement for a in hypotheses]), ctx))
        if any(changes(d, more) for d in definitions):
            return True
        return any(_hypothesis_changes(a.statement, flip, more) for a in hypotheses)
    except Exception:  # SymPy cannot negate there: nothing shown
        return False


def _hypothesis_changes(st, flip, where) -> bool:
    flipped = st.xreplace(flip)
    if isinstance(st, Relational):
        return any(where.shows(lambda ev, e=e, f=f: _differ(ev, e, f))
                   for e, f in ((st.lhs, flipped.lhs), (st.rhs, flipped.rhs)))
    return where.shows(lambda ev: _differ(ev, st, flipped)) and where.shows(lambda ev: _differ(ev, -st, flipped))


def _values_of(exprs) -> list:
    """The expressions to draw instances for (both sides of a relation)."""
    out = []
    for e in exprs:
        out.extend((e.lhs, e.rhs) if isinstance(e, Relational) else (e,))
    return out


class _Instances:
    """A bank's float instances, then its extra draws (made only if the first do not show it)."""

    def __init__(self, bank: InstanceBank):
        self.bank = bank

    def _groups(self):
        for draw in (self.bank.floats, self.bank.extra_floats):
            try:
                yield draw()
            except Exception:  # no instances (an unsampled domain, a definition that fails)
                return

    def shows(self, fails) -> bool:
        """Whether ``fails(evaluator)`` is true on some instance."""
        for group in self._groups():
            for inst in group:
                try:
                    with np.errstate(all="ignore"):  # an overflow is no evidence (compare_float: not finite)
                        if fails(inst.evaluator()):
                            return True
                except Exception:  # not evaluable on this instance: no evidence from it
                    continue
        return False


def _differ(ev, a, b) -> bool:
    """Whether ``a`` and ``b`` (expressions, or relations side by side) visibly differ."""
    if isinstance(a, Relational) or isinstance(b, Relational):
        pairs = side_pairings(a, b)
        return pairs is None or all(any(_differ(ev, x, y) for x, y in pair) for pair in pairs)
    if getattr(a, "shape", None) != getattr(b, "shape", None):
        return False  # not comparable entry by entry: leave it to the engine
    cmp = compare_float(ev.value(a), ev.value(b), "=")
    return bool(cmp.finite and cmp.holds is False)


def _exceeds(ev, smaller, larger) -> bool:
    """Whether ``smaller <= larger`` visibly fails."""
    cmp = compare_float(ev.value(smaller), ev.value(larger), "<=")
    return bool(cmp.finite and cmp.holds is False)
