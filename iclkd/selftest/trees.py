"""Walking and rebuilding SymPy trees for mutation: which arguments may change, how a node
is rebuilt around a changed argument, and whether the result is still well formed.

SymPy 1.14 does not check shapes at symbolic sizes (``Trace(V_D)``, ``Inverse(V_D)`` and
``eta + W`` all construct), so :func:`ill_formed` does: a mutant it rejects is ``invalid``.
"""
from __future__ import annotations

from typing import Iterator, Optional

import sympy as sp
from sympy.core.relational import Relational
from sympy.matrices.expressions.matexpr import MatrixElement

# Nodes whose arguments are names or sizes, never values to mutate.
LEAVES = (sp.Symbol, sp.MatrixSymbol, sp.Number, sp.NumberSymbol, sp.Identity, sp.ZeroMatrix,
          sp.OneMatrix, sp.ImmutableDenseMatrix, sp.Tuple)
BLOCK = "block"


def is_matrix(expr) -> bool:
    return bool(getattr(expr, "is_Matrix", False))


def _bound(node) -> tuple:
    """Arguments that name a bound variable (``Gradient``'s variable, an expectation's ω, draws)."""
    return tuple(getattr(node, attr) for attr in ("variable", "draws")
                 if isinstance(getattr(type(node), attr, None), property))


def children(node) -> list:
    """``(key, child)`` pairs of the arguments a mutation may change.

    >>> x, y = sp.symbols('x y')
    >>> [str(c) for _, c in children(x + 2 * y)]
    ['x', '2*y']
    """
    if isinstance(node, LEAVES) or not isinstance(node, sp.Basic) or not node.args:
        return []
    if isinstance(node, sp.BlockMatrix):
        rows = node.blocks.tolist()
        return [((BLOCK, r, c), b) for r, row in enumerate(rows) for c, b in enumerate(row)]
    bound = _bound(node)
    out = []
    for i, arg in enumerate(node.args):
        if not isinstance(arg, sp.Basic) or isinstance(arg, (sp.Tuple, sp.core.symbol.Str)):
            continue
        if isinstance(node, MatrixElement) and i > 0:
            continue
        if any(arg is b or arg == b for b in bound) and isinstance(arg, sp.MatrixSymbol):
            continue
        out.append((i, arg))
    return out


def child(node, key):
    if isinstance(key, tuple) and key[0] == BLOCK:
        return node.blocks[key[1], key[2]]
    return node.args[key]


def rebuild(node, key, new_child):
    """``node`` with the argument at ``key`` replaced (SymPy may raise: the mutant is invalid)."""
    if isinstance(key, tuple) and key[0] == BLOCK:
        rows = [list(r) for r in node.blocks.tolist()]
        rows[key[1]][key[2]] = new_child
        return sp.BlockMatrix(rows)
    args = list(node.args)
    args[key] = new_child
    return with_args(node, args)


def with_args(node, args):
    """``node.func(*args)``, keeping relations unevaluated and matrix products canonical."""
    if isinstance(node, Relational):
        return node.func(*args, evaluate=False)
    if isinstance(node, (sp.MatMul, sp.MatAdd)):
        if len(args) == 1:
            return args[0]
        return node.func(*args).doit(deep=False)
    if isinstance(node, (sp.Add, sp.Mul)) and len(args) == 1:
        return args[0]
    return node.func(*args)


def replace_at(expr, path: tuple, new):
    """``expr`` with the node at ``path`` (a sequence of child keys) replaced by ``new``."""
    if not path:
        return new
    return rebuild(expr, path[0], replace_at(child(expr, path[0]), path[1:], new))


def walk(expr, path: tuple = ()) -> Iterator[tuple]:
    """Every mutable node with its path, parents before children."""
    yield path, expr
    for key, c in children(expr):
        yield from walk(c, path + (key,))


def same_shape(a, b) -> bool:
    sa, sb = getattr(a, "shape", None), getattr(b, "shape", None)
    if sa is None or sb is None:
        return sa is None and sb is None and not is_matrix(a) and not is_matrix(b)
    return all(sp.expand(x - y) == 0 for x, y in zip(sa, sb))


def _square(m) -> bool:
    return sp.expand(m.rows - m.cols) == 0


def ill_formed(expr) -> Optional[str]:
    """Why ``expr`` is not a well-formed expression at symbolic sizes, or None.

    >>> n, m = sp.symbols('n m', integer=True, positive=True)
    >>> A, B = sp.MatrixSymbol('A', n, m), sp.MatrixSymbol('B', n, m)
    >>> ill_formed(A * B.T) is None, ill_formed(sp.MatMul(A, B))
    (True, 'A*B: A has m columns, B has n rows')
    """
    for _, node in walk(expr):
        problem = _node_problem(node)
        if problem:
            return problem
    return None


def _shown(expr) -> str:
    """``expr`` as text; SymPy's printer evaluates parts of an ill-formed product (and fails),
    so such a tree is shown as its ``srepr``."""
    try:
        return str(expr)
    except (TypeError, ValueError):
        return sp.srepr(expr)


def _node_problem(node) -> Optional[str]:
    if isinstance(node, sp.MatMul):
        mats = [a for a in node.args if is_matrix(a)]
        for a, b in zip(mats, mats[1:]):
            if sp.expand(a.cols - b.rows) != 0:
                return f"{_shown(node)}: {_shown(a)} has {a.cols} columns, {_shown(b)} has {b.rows} rows"
    elif isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
        if not all(same_shape(a, node.args[0]) for a in node.args[1:]):
            return f"{_shown(node)}: terms of different shapes"
    elif isinstance(node, (sp.Trace, sp.Determinant, sp.Inverse)):
        if not is_matrix(node.arg) or not _square(node.arg):
            return f"{_shown(node)}: needs a square matrix"
    elif isinstance(node, sp.MatPow):
        if not _square(node.base):
            return f"{_shown(node)}: power of a non-square matrix"
    elif isinstance(node, Relational):
        if not same_shape(node.lhs, node.rhs):
            return f"{_shown(node)}: sides of different shapes"
    elif _is_arithmetic(node) and any(is_matrix(a) for a in node.args):
        return f"{_shown(node)}: a matrix in scalar arithmetic"
    return None


def _is_arithmetic(node) -> bool:
    return isinstance(node, (sp.Add, sp.Mul, sp.Pow, sp.Function)) and not is_matrix(node)


def scalar_symbols(expr) -> set:
    """Symbols that occur as scalars (not only as sizes of matrices, not bound).

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> x = sp.Symbol('x')
    >>> sorted(map(str, scalar_symbols(x * sp.Trace(sp.MatrixSymbol('A', n, n)))))
    ['x']
    """
    return {node for _, node in walk(expr) if isinstance(node, sp.Symbol) and not isinstance(node, sp.Dummy)}


def swap_symbols(expr, s1, s2):
    """``expr`` with the scalar symbols ``s1`` and ``s2`` exchanged (sizes of matrices untouched).

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> x = sp.Symbol('x')
    >>> swap_symbols(x / n * sp.Identity(n), x, n)
    (n/x)*I
    """
    if expr == s1:
        return s2
    if expr == s2:
        return s1
    return map_children(expr, lambda c: swap_symbols(c, s1, s2))


def map_children(node, fn):
    """``node`` rebuilt once with ``fn`` applied to every mutable child (unchanged if none changes)."""
    pairs = children(node)
    new = {key: fn(c) for key, c in pairs}
    if all(new[key] == c for key, c in pairs):
        return node
    if isinstance(node, sp.BlockMatrix):
        rows = [list(r) for r in node.blocks.tolist()]
        for (_, r, c), value in new.items():
            rows[r][c] = value
        return sp.BlockMatrix(rows)
    args = [new.get(i, a) for i, a in enumerate(node.args)]
    return with_args(node, args)
