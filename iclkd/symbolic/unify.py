"""First-order matching of an identity's side against the subexpressions of a step.

A match only proposes an instance: :class:`~iclkd.symbolic.rules_library.Use` then checks it
like an instance given by hand, so a poor match can cost a proof, never soundness.
"""
from __future__ import annotations

import itertools
from typing import Iterator, Optional

import sympy as sp

MAX_CANDIDATES = 200  # subexpressions tried per step
MAX_PERMUTED = 4  # arguments of a sum or product tried in every order


def match(pattern, expr, free: frozenset, mapping: Optional[dict] = None) -> Optional[dict]:
    """A mapping of the symbols ``free`` that turns ``pattern`` into ``expr`` (extending
    ``mapping``), or None. A matrix symbol matches a matrix of its shape (binding its dimensions).

    >>> n, d = sp.symbols('n d', integer=True, positive=True)
    >>> A, B = sp.MatrixSymbol('A', n, n), sp.MatrixSymbol('B', n, n)
    >>> S = sp.MatrixSymbol('S', d, d)
    >>> match(sp.Inverse(A * B), sp.Inverse(S * S.T), frozenset({A, B, n})) == {A: S, n: d, B: S.T}
    True
    """
    mapping = dict(mapping or {})
    if pattern in mapping:
        return mapping if mapping[pattern] == expr else None
    if pattern in free:
        return _bind(pattern, expr, free, mapping)
    if not pattern.args or isinstance(pattern, sp.MatrixSymbol):
        return mapping if pattern == expr else None
    if type(pattern) is not type(expr) or len(pattern.args) != len(expr.args):
        return None
    orders = (itertools.permutations(expr.args) if _commutative(pattern) and len(expr.args) <= MAX_PERMUTED
              else [expr.args])
    for args in orders:
        found = _match_all(pattern.args, args, free, mapping)
        if found is not None:
            return found
    return None


def _commutative(node) -> bool:
    return isinstance(node, (sp.Add, sp.Mul, sp.MatAdd)) and not isinstance(node, sp.MatMul)


def _match_all(patterns, exprs, free, mapping) -> Optional[dict]:
    for p, e in zip(patterns, exprs):
        if not isinstance(p, sp.Basic) or not isinstance(e, sp.Basic):
            if p != e:
                return None
            continue
        mapping = match(p, e, free, mapping)
        if mapping is None:
            return None
    return mapping


def _bind(symbol, expr, free, mapping) -> Optional[dict]:
    if isinstance(symbol, sp.MatrixSymbol):
        if not getattr(expr, "is_Matrix", False):
            return None
        for dim, size in zip(symbol.shape, expr.shape):
            mapping = match(dim, size, free, mapping) if isinstance(dim, sp.Basic) else mapping
            if mapping is None:
                return None
    elif getattr(expr, "is_Matrix", False):
        return None
    mapping[symbol] = expr
    return mapping


def matches(pattern, exprs, free: frozenset, preset: dict) -> Iterator[dict]:
    """Every distinct match of ``pattern`` against a subexpression of ``exprs``, in order."""
    seen = []
    candidates = (node for e in exprs for node in sp.preorder_traversal(e))
    for node in itertools.islice(candidates, MAX_CANDIDATES):
        found = match(pattern, node, free, preset) if isinstance(node, sp.Basic) else None
        if found is not None and found not in seen:
            seen.append(found)
            yield found
