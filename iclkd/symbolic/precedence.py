"""A matrix product's printing precedence, decided without building its negative.

SymPy's printers ask every product they print whether it "could extract a minus sign", and
``Mul.could_extract_minus_sign`` first compares the product with its negative to rule out
``zoo·x``; for a matrix product that negative is ``MatMul(-1, X).doit()``, a full
canonicalisation. Printing a self-test's few thousand mutants spent most of its time there.

:func:`matmul_precedence` answers as ``precedence_Mul`` does: the comparison can only be true for
a coefficient of ``zoo``, which is never a negative number, so for a product whose leading
factor is a negative number the answer is the same, and otherwise it is ``Mul`` precedence
either way. It is registered in SymPy's table of precedence functions under ``MatMul`` (the
table SymPy keeps for classes with a precedence of their own), so every printer uses it.

>>> import sympy as sp
>>> A, B = sp.MatrixSymbol('A', 2, 2), sp.MatrixSymbol('B', 2, 2)
>>> str(-A*B), str(A*(-B) + A), str((2*A*B).T)
('-A*B', 'A - A*B', '2*B.T*A.T')
"""
from __future__ import annotations

from sympy.core.function import Function
from sympy.printing.precedence import PRECEDENCE, PRECEDENCE_FUNCTIONS


def matmul_precedence(item) -> int:
    """``precedence_Mul(item)`` for a ``MatMul``, without ``-item``.

    >>> import sympy as sp
    >>> A = sp.MatrixSymbol('A', 2, 2)
    >>> matmul_precedence(-2 * A * A) == PRECEDENCE["Add"], matmul_precedence(A * A) == PRECEDENCE["Mul"]
    (True, True)
    """
    if any(hasattr(arg, "precedence") and isinstance(arg, Function) and arg.precedence < PRECEDENCE["Mul"]
           for arg in item.args):
        return PRECEDENCE["Mul"]
    lead = item.args[0] if item.args else None
    negative = lead is not None and lead.is_Number and lead.is_extended_negative
    return PRECEDENCE["Add"] if negative else PRECEDENCE["Mul"]


PRECEDENCE_FUNCTIONS.setdefault("MatMul", matmul_precedence)
