"""Matrix sums' and products' ``doit`` remembered in SymPy's own cache.

SymPy builds ``A * B`` of matrix expressions as ``MatMul(A, B).doit()``, and ``doit``
canonicalises every argument again (``deep``), so writing a long product costs time
quadratic in its length, and the normal forms call ``doit`` on the same subexpressions over
and over: a third of building the seed paper's results and a tenth of checking them. The
answer of ``doit`` depends only on the expression, its hints and SymPy's global evaluation
flags, so it is remembered with :func:`sympy.core.cache.cacheit`, as SymPy remembers its own
pure functions: the entries are bounded by ``SYMPY_CACHE_SIZE``, dropped by
``sympy.core.cache.clear_cache()``, and not kept at all with ``SYMPY_USE_CACHE=no``. Unless
SymPy's global flags are at their defaults (``evaluate``, ``distribute``, ``exp_is_pow``), the
original ``doit`` runs, unremembered.

>>> import sympy as sp
>>> A, B = sp.MatrixSymbol('A', 2, 2), sp.MatrixSymbol('B', 2, 2)
>>> e = sp.MatMul(2, A, sp.MatAdd(B, B))
>>> e.doit() == sp.MatMul.doit.__wrapped__(e) == 4 * A * B
True
"""
from __future__ import annotations

import functools

from sympy.core.cache import cacheit
from sympy.core.parameters import global_parameters
from sympy.matrices.expressions.matadd import MatAdd
from sympy.matrices.expressions.matmul import MatMul


def remembering(doit):
    """``doit`` with its answers remembered while SymPy's global flags are at their defaults.

    >>> import sympy as sp
    >>> A = sp.MatrixSymbol('A', 2, 2)
    >>> calls = []
    >>> f = remembering(lambda self, **hints: calls.append(1) or self)
    >>> f(A), f(A), len(calls)
    (A, A, 1)
    """
    remembered = cacheit(doit)

    @functools.wraps(doit)
    def doit_remembered(self, **hints):
        if global_parameters.evaluate and global_parameters.distribute and not global_parameters.exp_is_pow:
            return remembered(self, **hints)
        return doit(self, **hints)

    doit_remembered.remembers = True
    return doit_remembered


for _cls in (MatMul, MatAdd):
    if not getattr(_cls.doit, "remembers", False):  # once, however often this module is reloaded
        _cls.doit = remembering(_cls.doit)
