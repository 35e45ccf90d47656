"""Recognising equivalent mutants: changes that cannot alter what a result says.

A mutant is equivalent when

* it is structurally the original (a transposed scalar, an un-transposed ``Iᵀ``);
* the engine's normal form proves the changed expression equal to the original
  (``is_zero(mutant − original)``), as written or once the result's definitions are
  substituted (the definitions are part of what the result says); or
* it only weakens an inequality claim: a smaller left side or a larger right side that
  the engine proves to be so (``lhs' <= lhs``, ``rhs <= rhs'``) — the mutated statement is
  then implied by the original, and no sound checker could reject it; or
* it is the original claim with one free variable negated (``x ↦ −x``), where no
  hypothesis, definition or the other side changes under that substitution: the two
  universally quantified statements are the same (e.g. ``||−v − y||² <= c`` given
  ``||v|| <= R_v``).

Undecided is never read as equivalent: such a mutant is run, and if it survives it is listed.
"""
from __future__ import annotations

from typing import Optional

import sympy as sp
from sympy.core.relational import Relational

from ..errors import StepTimeout
from ..symbolic.algebra import is_zero, scalar_normal_form
from ..symbolic.context import ProofContext
from ..symbolic.objects import Gradient
from ..symbolic.rules import _subs, prove_nonnegative
from ..symbolic.timing import time_limit

EQUIVALENCE_SECONDS = 5.0
STRUCTURAL, NORMAL_FORM, UNDER_DEFINITIONS, IMPLIED, SYMMETRY = (
    "structurally the original", "equal to the original (engine normal form)",
    "equal to the original once the definitions are substituted", "implied by the original (a weaker inequality)",
    "the original under x ↦ −x, which leaves every hypothesis unchanged")


def equivalence_reason(original, mutated, seconds: float = EQUIVALENCE_SECONDS) -> Optional[str]:
    """Why ``mutated`` is equal to ``original`` as an expression, or None if not shown.

    >>> x, y = sp.symbols('x y')
    >>> equivalence_reason(x + y, sp.Add(y, x))
    'structurally the original'
    >>> equivalence_reason((x + 1)**2, x**2 + 2*x + 1)
    'equal to the original (engine normal form)'
    >>> equivalence_reason(x + y, x - y) is None
    True
    """
    if not isinstance(original, sp.Basic) or not isinstance(mutated, sp.Basic):
        return None
    if mutated == original:
        return STRUCTURAL
    return NORMAL_FORM if _within(seconds, _provably_equal, original, mutated) else None


def mutant_equivalence(mutant, registry, seconds: float = EQUIVALENCE_SECONDS,
                       ruled_out: frozenset = frozenset()) -> Optional[str]:
    """:func:`equivalence_reason`, then equality under the definitions, then weakening, then
    symmetry; the reasons in ``ruled_out`` (shown not to hold, :mod:`.witness`) are not tried.

    >>> from iclkd.paper import load_paper
    >>> from iclkd.selftest.mutations import mutants
    >>> reg = load_paper('brewing').registry()
    >>> m = next(m for m in mutants(reg.get('R1')) if m.operator == 'transpose' and m.part == 'rhs')
    >>> mutant_equivalence(m, reg), mutant_equivalence(m, reg, ruled_out=frozenset({NORMAL_FORM}))
    ('equal to the original (engine normal form)', None)
    """
    original, mutated = mutant.original, mutant.mutated
    if not isinstance(original, sp.Basic) or not isinstance(mutated, sp.Basic):
        return None
    if mutated == original:
        return STRUCTURAL
    if NORMAL_FORM not in ruled_out and _within(seconds, _provably_equal, original, mutated):
        return NORMAL_FORM
    result = mutant.result
    index = 0 if mutant.claim is None else [c.name for c in result.claims].index(mutant.claim)
    ctx = ProofContext(result, registry, index)
    definitions = ctx.sampling_definitions()
    if UNDER_DEFINITIONS not in ruled_out and definitions and _within(
            seconds, lambda: _provably_equal(_defined(original, definitions), _defined(mutated, definitions))):
        return UNDER_DEFINITIONS
    side = mutant.claim is not None and mutant.part in ("lhs", "rhs")
    if IMPLIED not in ruled_out and side and ctx.claim.relation in ("<=", "<"):
        smaller, larger = (mutated, original) if mutant.part == "lhs" else (original, mutated)
        if _within(seconds, prove_nonnegative, larger - smaller, ctx.positive_facts()):
            return IMPLIED
    if SYMMETRY not in ruled_out and side and _within(seconds, _sign_symmetric, mutant, ctx, registry):
        return SYMMETRY
    return None


def _sign_symmetric(mutant, ctx, registry) -> bool:
    """Whether the mutated side is the original with one free variable ``x`` negated, and the
    other side, every hypothesis and every definition mentioning ``x`` are unchanged by ``x ↦ −x``.

    Only variables whose domain is symmetric qualify: matrices, and scalars with no sign
    assumption; defined symbols and sizes do not.
    """
    claim = ctx.claim
    original = registry.get(mutant.result_id).claims[ctx.claim_index]
    side = "lhs" if mutant.part == "lhs" else "rhs"
    mutated_side, original_side = getattr(claim, side), getattr(original, side)
    other = claim.rhs if side == "lhs" else claim.lhs
    definitions = ctx.all_definitions()
    defined = {symbol for symbol, _ in ctx.sampling_definitions()}
    hypotheses = (*ctx.result.assumptions, *claim.given)
    for x in sorted(original_side.free_symbols, key=str):
        if x in defined or not _symmetric_domain(x):
            continue
        flip = {x: -x}
        if not _provably_equal(mutated_side, original_side.xreplace(flip)):
            continue
        if not _invariant(other, flip):
            continue
        if all(_invariant(d.value, flip) for d in definitions) and all(_hypothesis_invariant(a, flip) for a in hypotheses):
            return True
    return False


def _symmetric_domain(x) -> bool:
    if isinstance(x, sp.MatrixSymbol):
        return True
    return isinstance(x, sp.Symbol) and x.is_real is not False and x.is_integer is not True and \
        x.is_positive is None and x.is_negative is None and x.is_nonnegative is None and x.is_nonpositive is None


def _invariant(expr, flip) -> bool:
    return not (set(flip) & expr.free_symbols) or _provably_equal(expr, expr.xreplace(flip))


def _hypothesis_invariant(assumption, flip) -> bool:
    s = assumption.statement
    if not (set(flip) & s.free_symbols):
        return True
    if isinstance(s, Relational):
        return _invariant(s.lhs, flip) and _invariant(s.rhs, flip)
    if assumption.kind == "nonzero":  # M ≠ 0 iff −M ≠ 0
        flipped = s.xreplace(flip)
        return _provably_equal(s, flipped) or _provably_equal(-s, flipped)
    return False


def _within(seconds, fn, *args) -> bool:
    try:
        with time_limit(seconds):
            return bool(fn(*args))
    except StepTimeout:
        return False
    except Exception:  # SymPy cannot subtract or normalise these: not shown
        return False


def _defined(expr, definitions):
    """``expr`` with every definition substituted until none is left (bound variables kept)."""
    for _ in range(len(definitions) + 1):
        new = expr
        for symbol, value in definitions:
            new = _subs(new, symbol, value)
        if new == expr:
            return expr
        expr = new
    return expr


def side_pairings(a, b):
    """How the sides of two relations of one kind correspond: ``[((a.lhs, b.lhs), (a.rhs,
    b.rhs))]``, and the swapped pairing for an equation; ``None`` for relations of two kinds.

    >>> x, y = sp.symbols('x y')
    >>> len(side_pairings(sp.Eq(x, y), sp.Eq(y, x))), side_pairings(x < y, x <= y)
    (2, None)
    """
    if type(a) is not type(b):
        return None
    pairs = [((a.lhs, b.lhs), (a.rhs, b.rhs))]
    if isinstance(a, sp.Eq):
        pairs.append(((a.lhs, b.rhs), (a.rhs, b.lhs)))
    return pairs


def _provably_equal(a, b) -> bool:
    if isinstance(a, Relational) or isinstance(b, Relational):
        pairs = side_pairings(a, b)
        return pairs is not None and any(all(_provably_equal(x, y) for x, y in pair) for pair in pairs)
    a, b = canonical_gradients(a), canonical_gradients(b)
    return a == b or is_zero(b - a) is True


def canonical_gradients(expr):
    """Every ``Gradient``'s function in the engine's scalar normal form.

    The normal form treats a gradient as an opaque matrix; without this, ``∇ tr(AᵀW B)`` and
    ``∇ tr(BᵀWᵀA)`` (one function, two spellings) would look different.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> A, W = sp.MatrixSymbol('A', n, n), sp.MatrixSymbol('W', n, n)
    >>> canonical_gradients(Gradient(sp.Trace(A.T * W), W)) == canonical_gradients(Gradient(sp.Trace(W.T * A), W))
    True
    """
    return expr.replace(lambda e: isinstance(e, Gradient),
                        lambda g: Gradient(scalar_normal_form(g.function), g.variable, g.point))
