"""Deciding symbolic equality at symbolic dimensions.

SymPy leaves ``Trace(a.T*b) - Trace(b.T*a)`` and many matrix sums unreduced. The
normal form here expands matrix products, makes traces linear, puts every trace in a
canonical cyclic/transposed rotation, collects matrix terms by their matrix part and
combines exponentials. ``is_zero`` answers True (proved), False (a nonzero number) or
None (undecided): undecided is never read as equal.
"""
from __future__ import annotations

import sympy as sp
from sympy.core.cache import cacheit

from .objects import FeatureAverage, GaussianExpectation, Gradient


def _factors(term):
    coeff, mat = term.as_coeff_mmul()
    factors = list(mat.args) if isinstance(mat, sp.MatMul) else [mat]
    return coeff, factors


def _key(factors):
    return sp.default_sort_key(sp.MatMul(*factors, evaluate=False)) if len(factors) > 1 else sp.default_sort_key(factors[0])


# Normal forms are pure functions of immutable expressions, and a proof meets the same traces
# again and again (a step's right side is the next step's left; a mutant differs from its
# original in one place): each is remembered in SymPy's cache.


@cacheit
def canonical_trace(arg) -> sp.Expr:
    """``tr(arg)`` made linear and put in its smallest cyclic or transposed rotation.

    >>> a, b = sp.MatrixSymbol('a', 3, 1), sp.MatrixSymbol('b', 3, 1)
    >>> canonical_trace(b.T*a) == canonical_trace(a.T*b)
    True
    """
    expanded = _expand_matrix(arg)
    if expanded == 0 or isinstance(expanded, sp.ZeroMatrix):
        return sp.Integer(0)
    terms = expanded.args if isinstance(expanded, sp.MatAdd) else (expanded,)
    total = sp.Integer(0)
    for term in terms:
        coeff, factors = _factors(term)
        if len(factors) == 1 and isinstance(factors[0], sp.Identity):
            total += coeff * factors[0].rows
            continue
        transposed = [sp.Transpose(f).doit() for f in reversed(factors)]
        rotations = [fs[i:] + fs[:i] for fs in (factors, transposed) for i in range(len(fs))]
        best = min(rotations, key=lambda fs: (fs[0].shape[0] != 1, _key(fs)))
        total += coeff * sp.Trace(sp.MatMul(*best).doit() if len(best) > 1 else best[0])
    return total


def _expand_matrix(expr):
    if any(isinstance(n, sp.BlockMatrix) for n in sp.preorder_traversal(expr)):
        expr = sp.block_collapse(expr)
    return expr.doit().expand().doit()


@cacheit
def _rebuild(expr):
    """Bottom-up: canonical traces everywhere (inside exp, expectations, ...)."""
    if not expr.args or isinstance(expr, (sp.MatrixSymbol, sp.Symbol)):
        return expr
    args = [_rebuild(a) if isinstance(a, sp.Basic) else a for a in expr.args]
    if isinstance(expr, sp.Trace):
        return canonical_trace(args[0])
    if isinstance(expr, sp.exp):
        return sp.exp(scalar_normal_form(args[0]))
    try:
        return expr.func(*args)
    except (TypeError, ValueError):
        return expr


@cacheit
def scalar_normal_form(expr) -> sp.Expr:
    """A normal form for scalar expressions built from traces, exponentials and symbols.

    >>> x = sp.Symbol('x')
    >>> scalar_normal_form(sp.exp(x) * sp.exp(-x) - 1)
    0
    """
    out = _rebuild(sp.sympify(expr))
    out = sp.expand(out, power_exp=False, power_base=False)
    out = sp.powsimp(out, combine="exp")
    out = out.replace(lambda e: isinstance(e, sp.exp), lambda e: sp.exp(sp.expand(e.args[0])))
    return sp.expand(out, power_exp=False, power_base=False)


def matrix_terms(expr) -> dict:
    """Map each matrix part of an expanded matrix expression to its total scalar coefficient.

    >>> A, B = sp.MatrixSymbol('A', 2, 2), sp.MatrixSymbol('B', 2, 2)
    >>> matrix_terms(A*(B + A) - A*B)
    {A**2: 1}
    """
    expanded = _expand_matrix(expr)
    if expanded == 0 or isinstance(expanded, sp.ZeroMatrix):
        return {}
    terms = expanded.args if isinstance(expanded, sp.MatAdd) else (expanded,)
    collected: dict = {}
    for term in terms:
        if isinstance(term, sp.ZeroMatrix):
            continue
        coeff, factors = _factors(term)
        mat = sp.MatMul(*factors).doit() if len(factors) > 1 else factors[0]
        if isinstance(mat, sp.MatMul):
            c2, mat = mat.as_coeff_mmul()
            coeff = coeff * c2
        collected[mat] = collected.get(mat, 0) + coeff
    collected = _cancel_inverses(collected)
    return {m: c for m, c in collected.items() if scalar_normal_form(c) != 0}


def _cancel_inverses(terms: dict) -> dict:
    """Replace ``Σ_k c_k L X⁻¹ R_k`` by ``c L`` when ``Σ_k c_k R_k = c X`` (and mirror-wise).

    Expansion destroys the cancellation ``X⁻¹ X = I`` once ``X`` is a sum; this restores it.
    """
    for side in ("right", "left"):
        groups: dict = {}
        for mat, coeff in terms.items():
            factors = list(mat.args) if isinstance(mat, sp.MatMul) else [mat]
            for p, f in enumerate(factors):
                if isinstance(f, sp.Inverse) and isinstance(f.arg, sp.MatAdd):
                    outer = tuple(factors[:p]) if side == "right" else tuple(factors[p + 1:])
                    inner = factors[p + 1:] if side == "right" else factors[:p]
                    groups.setdefault((outer, f.arg), []).append((mat, coeff, inner))
        for (outer, x), members in groups.items():
            if not all(m in terms for m, _, _ in members):
                continue
            n = x.rows
            total = sum((c * (sp.MatMul(*inner) if inner else sp.Identity(n)) for _, c, inner in members),
                        sp.ZeroMatrix(n, n))
            x_terms = matrix_terms(x)
            if not x_terms:
                continue
            lead, lead_coeff = next(iter(x_terms.items()))
            total_terms = matrix_terms(total)
            scale = total_terms.get(lead, 0) / lead_coeff
            if scale == 0:
                continue
            rest = matrix_terms(total - scale * x)
            if rest:
                continue
            for m, _, _ in members:
                del terms[m]
            kept = sp.MatMul(*outer).doit() if len(outer) > 1 else (outer[0] if outer else sp.Identity(n))
            terms[kept] = terms.get(kept, 0) + scale
    return terms


def canonical_bound_names(expr):
    """``expr`` with the dummy variables bound by its sums, products and integrals renamed in
    order of appearance, so that two copies of ``(aᵀ X b)[0, 0]`` (each with a dummy index of
    its own) are equal. Free dummies are left alone: renaming them would change the meaning.

    >>> i, j, n = sp.Dummy('i'), sp.Dummy('j'), sp.Symbol('n')
    >>> canonical_bound_names(sp.Sum(i, (i, 0, n))) == canonical_bound_names(sp.Sum(j, (j, 0, n)))
    True
    """
    bound = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Sum, sp.Product, sp.Integral)):
            bound += [v for v in node.variables if isinstance(v, sp.Dummy) and v not in bound]
    if not bound:
        return expr
    return expr.xreplace({d: sp.Symbol(f"_bound{k}", integer=d.is_integer) for k, d in enumerate(bound)})


def is_zero(expr, simplify: bool = True):
    """True if ``expr`` is provably zero at symbolic sizes, False if provably not, else None.

    >>> a, b = sp.MatrixSymbol('a', 3, 1), sp.MatrixSymbol('b', 3, 1)
    >>> is_zero(sp.Trace((a+b).T*(a+b)) - sp.Trace(a.T*a) - sp.Trace(b.T*b) - 2*sp.Trace(a.T*b))
    True
    """
    expr = canonical_bound_names(expr)
    if getattr(expr, "is_Matrix", False):
        if contains(expr, sp.BlockMatrix):
            collapsed = sp.block_collapse(expr)
            if isinstance(collapsed, sp.BlockMatrix):  # blockwise: every block must vanish
                verdicts = [is_zero(block, simplify) for block in collapsed.blocks]
                return True if all(v is True for v in verdicts) else None
        remaining = matrix_terms(expr)
        return True if not remaining else None
    normal = scalar_normal_form(expr)
    if normal == 0:
        return True
    if normal.is_number:
        return False if normal.is_zero is False else None
    if simplify:
        if sp.expand(sp.numer(sp.together(normal))) == 0:  # fractions over one denominator (cheap)
            return True
        from ..numeric_checks.probe import clearly_nonzero

        if clearly_nonzero(normal):  # not identically zero: no simplification reaches 0
            return None
        simpler = simplify_traces_opaque(normal)
        if simpler == 0 or sp.expand(simpler) == 0:  # simplify may leave a sum it evaluated unexpanded
            return True
        if simpler.is_number and simpler.is_zero is False:
            return False
    return None


def contains(expr, cls) -> bool:
    """Whether any node of ``expr`` is an instance of ``cls``.

    >>> contains(sp.Symbol('x') + 1, sp.Symbol)
    True
    """
    return any(isinstance(node, cls) for node in sp.preorder_traversal(expr))


UNEVALUATED = (Gradient, GaussianExpectation, FeatureAverage)


def simplify_traces_opaque(expr):
    """``sp.simplify(expr)`` with every trace held as a scalar symbol carrying the sign SymPy knows
    of it, then put back: an equal expression.

    The traces of a normal form are canonical already, and an identity in scalars holds for any
    values of them; SymPy's ``simplify`` would otherwise rebuild every trace it walks, recomputing
    matrix shapes each time (seconds on a long product).

    >>> a = sp.MatrixSymbol('a', 3, 1)
    >>> t = sp.Trace(a.T * a)
    >>> simplify_traces_opaque((t**2 - 1) / (t + 1))
    Trace(a.T*a) - 1
    """
    mapping = {}
    for trace in expr.atoms(sp.Trace):
        known = {fact: True for fact in ("real", "positive", "nonnegative") if getattr(trace, f"is_{fact}")}
        mapping[trace] = sp.Dummy("tr", **known)
    if not mapping:
        return sp.simplify(expr)
    return sp.simplify(expr.xreplace(mapping)).xreplace({d: t for t, d in mapping.items()})
