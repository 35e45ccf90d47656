"""Mutation operators on SymPy trees, and the mutants of a result.

An operator proposes small changes of one expression, each at one node: a constant
``k → k+1`` (and ``2 → 1``, ``1/2 → 1``, ``−1 → 1``), a term negated or dropped, a factor
dropped, a matrix transposed or inverted (or un-transposed, un-inverted), two scalar
symbols exchanged. A result's mutants apply them to its claims' sides, its proof steps and
its definitions, and flip its inequalities; every mutant changes exactly one place.
"""
from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from typing import Iterator, Optional

import sympy as sp

from ..symbolic.context import CLAIM_REF
from ..symbolic.result import Claim, Definition, Result, Step
from .trees import ill_formed, is_matrix, replace_at, same_shape, scalar_symbols, swap_symbols, walk

SPECIAL_CONSTANTS = {sp.Integer(2): sp.Integer(1), sp.Rational(1, 2): sp.Integer(1), sp.Integer(-1): sp.Integer(1)}
OPERATORS = ("constant", "sign", "drop-term", "drop-factor", "transpose", "inverse", "swap-symbols",
             "flip-inequality", "strict-inequality")


@dataclass(frozen=True)
class Edit:
    """One change of an expression: ``before`` (a subexpression) became ``after``."""

    operator: str
    before: sp.Basic
    after: sp.Basic
    expr: sp.Basic  # the whole mutated expression

    @property
    def change(self) -> str:
        return f"{self.before} → {self.after}"


def _constants(node) -> list:
    if not isinstance(node, sp.Number) or not node.is_finite:
        return []
    out = [node + 1]
    if node in SPECIAL_CONSTANTS:
        out.insert(0, SPECIAL_CONSTANTS[node])
    return out


def _node_edits(node) -> Iterator[tuple]:
    """``(operator, replacement)`` pairs for one node."""
    for value in _constants(node):
        yield "constant", value
    if isinstance(node, (sp.Add, sp.MatAdd)):
        for i, term in enumerate(node.args):
            yield "sign", (i, -term)
        for i in range(len(node.args)):
            yield "drop-term", node.func(*(a for j, a in enumerate(node.args) if j != i))
    if isinstance(node, (sp.Mul, sp.MatMul)) and len(node.args) > 1:
        for i in range(len(node.args)):
            rest = [a for j, a in enumerate(node.args) if j != i]
            yield "drop-factor", (rest[0] if len(rest) == 1 else node.func(*rest))
    if is_matrix(node) and not isinstance(node, (sp.Identity, sp.ZeroMatrix)):
        yield "transpose", node.T
        if isinstance(node, sp.Inverse):
            yield "inverse", node.arg
        elif same_shape(node, node.T):
            yield "inverse", sp.Inverse(node)


def edits(expr, symbols=()) -> Iterator[Edit]:
    """Every single-node mutation of ``expr``; ``symbols`` are the scalars it may swap.

    Edits that SymPy refuses to build are yielded with ``expr=None`` (ill-formed).

    >>> x = sp.Symbol('x')
    >>> sorted({e.operator for e in edits(2 * x + 1)})
    ['constant', 'drop-factor', 'drop-term', 'sign']
    """
    for path, node in walk(expr):
        for operator, replacement in _node_edits(node):
            if operator == "sign":
                i, negated = replacement
                path_i, before, replacement = path + (i,), node.args[i], negated
            else:
                path_i, before = path, node
            yield Edit(operator, before, replacement, _try(lambda: replace_at(expr, path_i, replacement)))
    present = scalar_symbols(expr)
    for s1, s2 in itertools.combinations(sorted(symbols, key=str), 2):
        if s1 in present or s2 in present:
            yield Edit("swap-symbols", sp.Tuple(s1, s2), sp.Tuple(s2, s1), _try(lambda: swap_symbols(expr, s1, s2)))


def _try(build):
    try:
        return build()
    except Exception:  # SymPy raises many kinds on ill-formed input
        return None


@dataclass
class Mutant:
    """A copy of a result with one place changed.

    ``part`` names the place (``lhs``, ``rhs``, ``step 2``, ``definition W_star``,
    ``relation``); ``original`` and ``mutated`` are the expressions there (``mutated`` is
    None when the change could not be built); ``claims_to_check`` are the indices of the
    claims whose verdict can change (None: all of them).
    """

    result_id: str
    claim: Optional[str]
    part: str
    operator: str
    change: str
    original: object
    mutated: object
    result: Optional[Result]
    claims_to_check: Optional[frozenset]
    invalid_reason: str = ""

    @property
    def where(self) -> str:
        place = self.part if self.claim is None else f"{self.result_id}{self.claim} {self.part}"
        return f"{place}: {self.change}"

    def key(self) -> tuple:
        return (self.claim, self.part, sp.srepr(self.mutated) if self.mutated is not None else self.change)


def result_symbols(result: Result) -> set:
    """Scalar symbols of a result's claims and definitions (the candidates for swapping)."""
    out = set()
    for expr in _all_expressions(result):
        out |= scalar_symbols(expr)
    return out


def _all_expressions(result):
    for c in result.claims:
        yield c.lhs
        yield c.rhs
        yield from (s.expr for s in c.proof)
    yield from (d.value for d in result.definitions)


def claim_readers(result: Result) -> dict:
    """For each claim index, the later claims whose proofs use it (directly or not)."""
    names = [c.name for c in result.claims]
    uses = {i: set() for i in range(len(names))}
    for k, claim in enumerate(result.claims):
        for step in claim.proof:
            for ref in step.rule.references():
                m = CLAIM_REF.match(ref) if isinstance(ref, str) else None
                if m and m.group("result") in (None, result.id) and (m.group("claim") or "") in names:
                    uses[names.index(m.group("claim") or "")].add(k)
    readers = {}
    for i in uses:
        seen, todo = set(), [i]
        while todo:
            for k in uses[todo.pop()]:
                if k not in seen:
                    seen.add(k)
                    todo.append(k)
        readers[i] = seen
    return readers


@dataclass(frozen=True)
class _Place:
    claim_index: Optional[int]
    part: str
    expr: sp.Basic


def _places(result: Result) -> Iterator[_Place]:
    for ci, claim in enumerate(result.claims):
        yield _Place(ci, "lhs", claim.lhs)
        last_is_rhs = bool(claim.proof) and claim.proof[-1].expr == claim.rhs
        yield _Place(ci, "rhs", claim.rhs)
        for si, step in enumerate(claim.proof):
            if si < len(claim.proof) - 1 or not last_is_rhs:
                yield _Place(ci, f"step {si + 1}", step.expr)
    for di, d in enumerate(result.definitions):
        yield _Place(None, f"definition {d.symbol}", d.value)


def _apply(result: Result, place: _Place, new) -> Result:
    """The result with ``new`` at ``place`` (a changed right side moves the last step with it)."""
    if place.claim_index is None:
        defs = list(result.definitions)
        di = [f"definition {d.symbol}" for d in defs].index(place.part)
        defs[di] = Definition(defs[di].symbol, new, defs[di].name)
        return dataclasses.replace(result, definitions=tuple(defs))
    claim = result.claims[place.claim_index]
    if place.part == "lhs":
        claim = dataclasses.replace(claim, lhs=new)
    elif place.part == "rhs":
        steps = list(claim.proof)
        if steps and steps[-1].expr == claim.rhs:
            steps[-1] = dataclasses.replace(steps[-1], expr=new)
        claim = dataclasses.replace(claim, rhs=new, proof=tuple(steps))
    else:
        steps = list(claim.proof)
        si = int(place.part.split()[1]) - 1
        steps[si] = dataclasses.replace(steps[si], expr=new)
        claim = dataclasses.replace(claim, proof=tuple(steps))
    return _with_claim(result, place.claim_index, claim)


def _with_claim(result, index, claim) -> Result:
    claims = list(result.claims)
    claims[index] = claim
    return dataclasses.replace(result, claims=tuple(claims))


def mutants(result: Result) -> list[Mutant]:
    """Every mutant of ``result``: expression edits at every place, then relation flips.

    Two edits that give the same expression at the same place are one mutant.
    """
    symbols = result_symbols(result)
    readers = claim_readers(result)
    out, seen = [], set()
    for place in _places(result):
        to_check = (None if place.claim_index is None
                    else frozenset({place.claim_index} | readers[place.claim_index]))
        name = None if place.claim_index is None else result.claims[place.claim_index].name
        for edit in edits(place.expr, symbols):
            m = _mutant(result, place, edit, name, to_check)
            if m.key() not in seen:
                seen.add(m.key())
                out.append(m)
    out.extend(relation_mutants(result, readers))
    return out


def _mutant(result, place, edit, claim_name, to_check) -> Mutant:
    base = dict(result_id=result.id, claim=claim_name, part=place.part, operator=edit.operator,
                change=edit.change, original=place.expr, mutated=edit.expr, claims_to_check=to_check)
    if edit.expr is None:
        return Mutant(result=None, invalid_reason="SymPy could not build it", **base)
    problem = ill_formed(edit.expr) or (None if same_shape(edit.expr, place.expr)
                                        else f"shape {getattr(edit.expr, 'shape', 'scalar')} "
                                             f"instead of {getattr(place.expr, 'shape', 'scalar')}")
    if problem:
        return Mutant(result=None, invalid_reason=problem, **base)
    try:
        mutated = _apply(result, place, edit.expr)
    except Exception as exc:  # a Claim or Definition refusing the new expression
        return Mutant(result=None, invalid_reason=f"{type(exc).__name__}: {exc}", **base)
    return Mutant(result=mutated, **base)


def relation_mutants(result: Result, readers: Optional[dict] = None) -> list[Mutant]:
    """Inequality claims flipped (``a ≤ b`` → ``b ≤ a``, the proof chain read backwards) and
    made strict (``≤`` → ``<`` for the claim and one of its ``≤`` steps)."""
    readers = readers if readers is not None else claim_readers(result)
    out = []
    for ci, claim in enumerate(result.claims):
        if claim.relation not in ("<=", "<") or not claim.proof:
            continue
        to_check = frozenset({ci} | readers[ci])
        base = dict(result_id=result.id, claim=claim.name, part="relation", original=claim.relation,
                    claims_to_check=to_check)
        flipped = _flipped(claim)
        out.append(Mutant(operator="flip-inequality", change=f"{claim.lhs} {claim.relation} {claim.rhs} → "
                          f"{claim.lhs} {'>=' if claim.relation == '<=' else '>'} {claim.rhs}",
                          mutated=flipped.relation, result=_with_claim(result, ci, flipped), **base))
        for si, step in enumerate(claim.proof):
            if step.relation != "<=":
                continue
            steps = list(claim.proof)
            steps[si] = dataclasses.replace(step, relation="<")
            strict = dataclasses.replace(claim, relation="<", proof=tuple(steps))
            out.append(Mutant(operator="strict-inequality", change=f"<= → < (claim and step {si + 1})",
                              mutated="<", result=_with_claim(result, ci, strict), **base))
    return out


def _flipped(claim: Claim) -> Claim:
    """``rhs ≤ lhs`` with the chain ``lhs, e1, …, en`` read backwards, each step keeping its rule."""
    chain = [claim.lhs] + [s.expr for s in claim.proof]
    if chain[-1] != claim.rhs:
        chain[-1] = claim.rhs
    back = [Step(chain[k], claim.proof[k].rule, claim.proof[k].relation) for k in range(len(chain) - 2, -1, -1)]
    return dataclasses.replace(claim, lhs=claim.rhs, rhs=claim.lhs, proof=tuple(back))
