"""Explicit sizes that reach past small-size coincidences, chosen from the claim itself.

Every 2×2 matrix satisfies ``X² = tr(X)X − det(X)I``, 1×1 products commute, and
``(n−1)(n−2)(n−3)(n−4)‖a‖² = 0`` at ``n ≤ 4``: a check at sizes 1–4 only can pass a claim that
is false for every larger size. By the Procesi–Razmyslov theorem a trace identity of degree
``d`` in its matrix variables that holds at one size ``n ≥ d`` holds at every size, and
``tr(Y·F(X))`` turns a matrix identity of degree ``d`` into a trace identity of degree
``d + 1``; a polynomial of degree ``k`` in a size that vanishes at ``k + 1`` sizes vanishes
everywhere. So each size symbol gets one size at least :func:`needed_size` and
:func:`needed_distinct` distinct sizes in all (never sizes 1–4 only), unless the result fixes it
to one size (``sizes={n: (3,)}``: a claim about 3×3 matrices).
"""
from __future__ import annotations

import sympy as sp
from sympy.core.cache import cacheit

SMALLEST_LARGE_SIZE = 5  # never only n <= 4
LARGEST_SIZE = 12  # beyond this exact evaluation is too slow; a claim of higher degree says so
MOST_DISTINCT = 6
NONPOLYNOMIAL_DEGREE = 4  # assumed degree in a size that enters other than polynomially


def matrix_degree(expr) -> int:
    """The degree of ``expr`` in its matrix variables (inverses and functions count their argument).

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> X = sp.MatrixSymbol('X', n, n)
    >>> matrix_degree(X**3 - sp.Trace(X) * X**2)
    3
    """
    e = sp.sympify(expr)
    if isinstance(e, sp.MatrixSymbol):
        return 1
    if isinstance(e, (sp.Identity, sp.ZeroMatrix, sp.OneMatrix)) or not e.args:
        return 0
    if isinstance(e, (sp.Mul, sp.MatMul, sp.HadamardProduct, sp.KroneckerProduct)):
        return sum(matrix_degree(a) for a in e.args)
    if isinstance(e, (sp.Pow, sp.MatPow)):
        base, power = e.args
        k = abs(int(power)) if power.is_Integer else 1
        return k * matrix_degree(base)
    return max((matrix_degree(a) for a in e.args if isinstance(a, sp.Basic)), default=0)


def size_degree(expr, dim) -> int:
    """A bound on the degree of ``expr`` as a polynomial in the size ``dim``: its explicit
    degree, plus one for each identity or ones matrix of that size and each sum up to it.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> size_degree((n - 1) * (n - 2) * sp.Trace(sp.Identity(n)), n)
    3
    """
    return _size_degree(sp.sympify(expr), dim)


@cacheit  # every bank of a claim (and of each of its mutants) asks again
def _size_degree(e, dim) -> int:
    implicit = sum(1 for node in sp.preorder_traversal(e)
                   if (isinstance(node, (sp.Identity, sp.OneMatrix)) and dim in node.free_symbols)
                   or (isinstance(node, sp.Sum) and any(dim in sp.sympify(b).free_symbols
                                                        for _, a, b in node.limits)))
    scalar = _scalar_skeleton(e, dim)
    if scalar is None or dim not in scalar.free_symbols:
        explicit = 0 if scalar is not None else NONPOLYNOMIAL_DEGREE
    else:
        try:
            explicit = sp.Poly(scalar, dim).degree()
        except sp.PolynomialError:
            explicit = NONPOLYNOMIAL_DEGREE
    return explicit + implicit


def _scalar_skeleton(e, dim):
    """``e`` with every node other than ``+``, ``×``, powers, symbols and numbers replaced by a
    fresh symbol (their dependence on ``dim`` is counted apart), or None if ``e`` is matrix-valued."""
    if getattr(e, "is_Matrix", False):
        return None
    fresh: dict = {}

    def skeleton(node):
        if isinstance(node, (sp.Symbol, sp.Number)) or (node.is_number and not node.free_symbols):
            return node
        if isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
            return node.func(*[skeleton(a) for a in node.args])
        return fresh.setdefault(node, sp.Dummy())

    return skeleton(e)


def needed_size(exprs, matrix_valued: bool) -> int:
    """One size at least this large: the degree in the matrix variables (plus one for a
    matrix-valued claim), and at least :data:`SMALLEST_LARGE_SIZE`.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> needed_size([sp.MatrixSymbol('X', n, n)**6], True)
    7
    """
    degree = max((matrix_degree(e) for e in exprs), default=0)
    return max(SMALLEST_LARGE_SIZE, degree + int(matrix_valued))


def needed_distinct(exprs, dim) -> int:
    """How many distinct sizes of ``dim`` the exact instances need: one more than the degree.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> needed_distinct([n * sp.Trace(sp.Identity(n))], n)
    3
    """
    return min(MOST_DISTINCT, 1 + max((size_degree(e, dim) for e in exprs), default=0))


def size_cycle(dim, declared, exprs, matrix_valued: bool, rank: int = 0) -> tuple:
    """The sizes instance ``k`` takes in turn (``cycle[k % len(cycle)]``), largest first.

    A result's declared sizes are kept as stated (they bound what its evaluators can do, e.g.
    Gaussian quadrature in dimension 3); an exact proof at sizes that do not reach
    :func:`needed_size` then does not count (:func:`reaches`). Otherwise: the needed size, then
    every smaller size, and more if the degree in the size needs more distinct sizes.

    ``rank`` is the dimension's place among the claim's dimensions: the ``r``-th one starts
    ``r`` above the needed size and takes the smaller sizes rotated by ``r``, so that no two
    dimensions are equal at an instance (sizes in lockstep only ever meet ``n = m``, where
    ``tr I_n = tr I_m`` and ``det(AAᵀ) = det(AᵀA)`` hold).

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> size_cycle(n, None, [sp.MatrixSymbol('X', n, n)**2], True), size_cycle(n, None, [], False, rank=1)
    ((5, 1, 2, 3, 4), (6, 2, 3, 4, 1))
    >>> size_cycle(n, None, [n**5 * sp.Trace(sp.Identity(n))], False, rank=1)  # six distinct sizes
    (6, 2, 3, 4, 7, 1)
    >>> size_cycle(n, (3,), [], False), size_cycle(n, (1, 2), [], False)
    ((3,), (2, 1))
    """
    if declared is not None:
        stated = tuple(sorted({int(v) for v in declared}, reverse=True)[:1]) + \
            tuple(sorted({int(v) for v in declared})[:-1])
        shift = rank % len(stated)
        return stated[shift:] + stated[:shift]
    large = min(LARGEST_SIZE, needed_size(exprs, matrix_valued))
    first = large + rank
    others = list(range(1, large))
    distinct = needed_distinct(exprs, dim)
    while len(others) + 1 < distinct:
        others.append(max(others + [large]) + 1 + (max(others + [large]) + 1 == first))
    shift = rank % len(others) if others else 0
    return (first, *others[shift:], *others[:shift])


def reaches(instances, dims, exprs, matrix_valued: bool, declared) -> str:
    """Why exact agreement on ``instances`` does not cover every size ('' when it does): some
    dimension never reaches :func:`needed_size`, or takes too few distinct sizes; a dimension
    the result fixes to one size is covered by that size.

    >>> from types import SimpleNamespace as I
    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> reaches([I(sizes={n: 3}), I(sizes={n: 2})], [n], [sp.MatrixSymbol('X', n, n)**3], True, {})
    'sizes of n reach 3 only, below 5 (degree 3 in the matrices, matrix-valued)'
    """
    need = needed_size(exprs, matrix_valued)
    for d in sorted(dims, key=str):
        if declared.get(d) is not None and len(set(declared[d])) == 1:
            continue
        seen = {int(i.sizes[d]) for i in instances if d in i.sizes}
        if not seen:
            continue
        if max(seen) < need:
            degree = max((matrix_degree(e) for e in exprs), default=0)
            return (f"sizes of {d} reach {max(seen)} only, below {need} (degree {degree} in the matrices"
                    + (", matrix-valued)" if matrix_valued else ")"))
        if len(seen) < needed_distinct(exprs, d):
            return f"{len(seen)} distinct sizes of {d}, fewer than its degree + 1 ({needed_distinct(exprs, d)})"
    return ""
