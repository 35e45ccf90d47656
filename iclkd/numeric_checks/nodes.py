"""Expressions compiled once into evaluation nodes.

An evaluator meets the same expressions again and again: every definition and proof step on
every random instance, every central difference of a gradient. :func:`node_of` walks a SymPy
tree once and turns each distinct subexpression into a :class:`Node` that holds what
evaluating it needs: the operation, the child nodes whose values it takes, and whether its
value is shared through an instance's memo. Evaluating a node then costs no type dispatch and
no SymPy attribute access, and the evaluator's caches are keyed by node identity instead of
SymPy's structural equality.

Equal expressions get the same node (a table keyed by the expression), so a subexpression
shared by two definitions is one node. Kinds whose children an operation evaluates itself
(gradients, expectations, sums, suprema) are *opaque*: a node with no children whose
operation walks its own subtree.

>>> import sympy as sp
>>> import iclkd.numeric_checks.evaluate  # defining the evaluator binds its operations
>>> A = sp.MatrixSymbol('A', 2, 2)
>>> node_of(A.T * A) is node_of(A.T * A), [type(c.expr).__name__ for c in node_of(A.T * A).children]
(True, ['Transpose', 'MatrixSymbol'])
"""
from __future__ import annotations

import sympy as sp

from ..symbolic.objects import BallSupremum, FeatureAverage, GaussianExpectation, Gradient, RademacherExpectation
from .values import EvaluationError

# A table that only grows would hold every mutant a self-test makes: past this many nodes it
# starts afresh (nodes already built keep working; equal expressions just get new nodes).
MAX_NODES = 200_000
_NODES: dict = {}
_METHODS: dict = {}  # expression type -> (operation, whether it takes its children's values)
_OPERATIONS: list = []  # the evaluator class whose op_/_ev_ methods the nodes call


def bind_operations(cls) -> None:
    """Use ``cls``'s ``op_<Kind>`` and ``_ev_<Kind>`` methods (the evaluator binds itself)."""
    _OPERATIONS[:] = [cls]
    _NODES.clear()
    _METHODS.clear()


def _operations():
    if not _OPERATIONS:
        raise RuntimeError("no evaluator is bound: import iclkd.numeric_checks.evaluate first")
    return _OPERATIONS[0]


class Node:
    """One subexpression: ``op(evaluator, expr, [child values])`` gives its value."""

    __slots__ = ("expr", "op", "children", "memoised")

    def __init__(self, expr, op, children=(), memoised=False):
        self.expr = expr
        self.op = op
        self.children = tuple(children)
        self.memoised = memoised

    def __repr__(self) -> str:
        return f"Node({self.expr})"


def node_of(expr) -> Node:
    """The node of ``expr`` (built once for equal expressions)."""
    node = _NODES.get(expr)
    if node is None:
        if len(_NODES) >= MAX_NODES:
            _NODES.clear()
        node = _NODES[expr] = _build(expr)
    return node


def _build(expr) -> Node:
    if isinstance(expr, sp.MatMul):
        return _matmul_node(expr)
    op, takes_children = _method(type(expr))
    if not takes_children:
        return Node(expr, op, memoised=type(expr) in MEMOISED)
    return Node(expr, op, [node_of(c) for c in _children(expr)], memoised=type(expr) in MEMOISED)


def _matmul_node(expr) -> Node:
    """``c · (M_1 … M_k)``: the matrix product is a node of its own (memoised under the tuple
    ``("product", M_1, …, M_k)``), so that ``V Φᵀ / D'`` reuses ``V Φᵀ`` from another definition;
    a MatMul without a scalar factor is that node itself."""
    Evaluator = _operations()
    scalars = [a for a in expr.args if not getattr(a, "is_Matrix", False)]
    matrices = tuple(a for a in expr.args if getattr(a, "is_Matrix", False))
    key = ("product",) + matrices
    product = _NODES.get(key)
    if product is None:
        product = _NODES[key] = Node(key, Evaluator.op_product, [node_of(m) for m in matrices], memoised=True)
    if not scalars:
        return product
    scalar = scalars[0] if len(scalars) == 1 else sp.Mul(*scalars, evaluate=False)
    return Node(expr, Evaluator.op_scaled, [product, node_of(scalar)], memoised=True)


def _method(kind):
    """``(operation, takes children)`` for an expression type, found up its class hierarchy:
    ``Evaluator.op_<Class>`` takes the children's values, ``Evaluator._ev_<Class>`` evaluates
    the subtree itself; a type with neither gets an operation that says so when evaluated."""
    Evaluator = _operations()
    hit = _METHODS.get(kind)
    if hit is None:
        for cls in kind.__mro__:
            if cls.__name__ in CHILDREN and hasattr(Evaluator, f"op_{cls.__name__}"):
                hit = (getattr(Evaluator, f"op_{cls.__name__}"), True)
                break
            if hasattr(Evaluator, f"_ev_{cls.__name__}"):
                method = getattr(Evaluator, f"_ev_{cls.__name__}")
                hit = (lambda ev, e, parts, method=method: method(ev, e), False)
                break
        else:
            def unsupported(ev, e, parts):
                raise EvaluationError(f"cannot evaluate {type(e).__name__}: {e} ({UNSUPPORTED_HINT})")
            hit = (unsupported, False)
        _METHODS[kind] = hit
    return hit


UNSUPPORTED_HINT = ("iclkd evaluates sums, products, powers, exp, log, sin, cos, tan, their hyperbolic "
                    "forms, erf, erfc, Abs, Max, Min, Piecewise, Sum, Integral, Limit, Determinant, Trace, "
                    "Inverse, vec, Kronecker and Hadamard products and expectations; write it with those, "
                    "or give the result a NumericCheck that computes it")


def _children(expr):
    return CHILDREN[next(cls.__name__ for cls in type(expr).__mro__ if cls.__name__ in CHILDREN)](expr)


def _args(e):
    return e.args


def _first(e):
    return e.args[:1]


def _pow_children(e):
    base, exponent = e.args
    return (base,) if exponent.is_number else (base, exponent)


def _blocks(e):
    return [b for row in e.blocks.tolist() for b in row]


# The kinds whose operation takes its children's values, and what those children are.
CHILDREN = {
    "Add": _args, "MatAdd": _args, "Mul": _args, "HadamardProduct": _args, "KroneckerProduct": _args,
    "Pow": _pow_children, "exp": _first, "log": _first, "Abs": _first, "Transpose": _first,
    "Trace": _first, "Inverse": _first, "DiagMatrix": _first, "BlockMatrix": _blocks,
    "cos": _first, "sin": _first, "cosh": _first, "sinh": _first, "tanh": _first,
    "erf": _first, "erfc": _first, "tan": _first, "Determinant": _first, "Max": _args, "Min": _args,
    "Vec": _first,
}

# Values shared through an instance's memo (products, sums and the like: worth keeping).
# Expectations, averages, suprema and gradients evaluate a whole subtree on a batch of points:
# the costliest nodes, and a cited step's evidence meets them again on the same instances.
MEMOISED = frozenset({sp.MatMul, sp.MatAdd, sp.Trace, sp.Inverse, sp.BlockMatrix, sp.HadamardProduct,
                      sp.KroneckerProduct, sp.Determinant, GaussianExpectation, FeatureAverage,
                      RademacherExpectation, BallSupremum, Gradient})
