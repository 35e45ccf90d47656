"""A quick numeric witness that a scalar expression is not identically zero.

``is_zero`` asks SymPy's ``simplify`` only when its normal form is not already 0; on an
expression that is *not* zero, ``simplify`` can run for many seconds and still cannot
reach 0. A value far from 0 at a random point (farther than its rounding-error bound)
shows the expression is not identically zero, so that search can be skipped: the answer
stays "undecided", never "proved".
"""
from __future__ import annotations

import numpy as np

from .evaluate import Evaluator
from .instances import dimension_symbols, make_instance, value_symbols

PROBE_SEEDS = (1, 2)
# The value must exceed this many times its own rounding-error bound.
MARGIN = 64.0


def _samplable(symbol, dims) -> bool:
    """Symbols whose default sampler respects every assumption they carry."""
    if symbol in dims or not hasattr(symbol, "is_integer") or getattr(symbol, "is_Matrix", False):
        return True
    return not (symbol.is_integer or symbol.is_negative or symbol.is_nonpositive or symbol.is_zero
                or symbol.is_rational or symbol.is_prime or symbol.is_even or symbol.is_odd)


def clearly_nonzero(expr, seeds=PROBE_SEEDS) -> bool:
    """True when ``expr`` evaluates far from 0 at a random point; False if it cannot tell.

    >>> import sympy as sp
    >>> x = sp.Symbol('x', real=True)
    >>> clearly_nonzero(sp.exp(x) - sp.exp(2 * x)), clearly_nonzero(sp.sin(x)**2 + sp.cos(x)**2 - 1)
    (True, False)
    """
    exprs = [expr]
    dims = dimension_symbols(exprs)
    if not all(_samplable(s, dims) for s in value_symbols(exprs)):
        return False
    for seed in seeds:
        try:
            inst = make_instance(exprs, seed=seed, exact=False, sizes={}, samplers={})
            with np.errstate(all="ignore"):
                value = Evaluator(inst.env).value(expr)
            val, err = np.asarray(value.val, dtype=float), np.asarray(value.err, dtype=float)
        except Exception:  # anything the evaluator does not support: no witness
            return False
        if val.shape != () or not (np.isfinite(val) and np.isfinite(err)):
            continue
        if abs(float(val)) > MARGIN * float(err) and abs(float(val)) > 1e-200:
            return True
    return False
