"""Euclidean and Frobenius norms: expansions, the parallelogram law, polarisation and the
classical inequalities (Horn & Johnson Ch. 5)."""
from __future__ import annotations

import sympy as sp
from sympy import Q

from ..symbolic.objects import inner, sqnorm
from ..symbolic.result import Step
from ..symbolic.rules import Algebra, Bound
from .entry import HORN_JOHNSON, cited, cookbook, entry, m, n

a, b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", m, n)
O = sp.MatrixSymbol("O", n, n)
INNER_PRODUCTS = ("Horn & Johnson 5.1", f"{HORN_JOHNSON}, Sec. 5.1 (inner products)")
CAUCHY_SCHWARZ = ("Horn & Johnson 5.1.4", f"{HORN_JOHNSON}, Theorem 5.1.4 (the Cauchy–Schwarz inequality)")
FROBENIUS = ("Horn & Johnson 5.6",
             f"{HORN_JOHNSON}, Sec. 5.6 (the Frobenius norm is a submultiplicative matrix norm)")


def _young_proof():
    """2aᵀb ≤ 2aᵀb + ‖a − b‖² = ‖a‖² + ‖b‖²."""
    return (Step(2 * inner(a, b) + sqnorm(a - b), Bound("adding a squared norm"), relation="<="),
            Step(sqnorm(a) + sqnorm(b), Algebra()))


def _sum_bound_proof():
    """‖a + b‖² ≤ ‖a + b‖² + ‖a − b‖² = 2‖a‖² + 2‖b‖²."""
    return (Step(sqnorm(a + b) + sqnorm(a - b), Bound("adding a squared norm"), relation="<="),
            Step(2 * sqnorm(a) + 2 * sqnorm(b), Algebra("the parallelogram law")))


ENTRIES = (
    entry("norm.frobenius_trace", cookbook(132), "‖A‖²_F = tr(AAᵀ) = tr(AᵀA)", sqnorm(A), sp.Trace(A * A.T)),
    entry("norm.sum_expansion", INNER_PRODUCTS, "‖a + b‖² = ‖a‖² + 2aᵀb + ‖b‖²", sqnorm(a + b),
          sqnorm(a) + 2 * inner(a, b) + sqnorm(b)),
    entry("norm.difference_expansion", INNER_PRODUCTS, "‖a − b‖² = ‖a‖² − 2aᵀb + ‖b‖²", sqnorm(a - b),
          sqnorm(a) - 2 * inner(a, b) + sqnorm(b)),
    entry("norm.parallelogram", INNER_PRODUCTS, "The parallelogram law", sqnorm(a + b) + sqnorm(a - b),
          2 * sqnorm(a) + 2 * sqnorm(b)),
    entry("norm.polarisation", INNER_PRODUCTS, "The polarisation identity", inner(a, b),
          (sqnorm(a + b) - sqnorm(a - b)) / 4),
    entry("norm.young", INNER_PRODUCTS, "2aᵀb ≤ ‖a‖² + ‖b‖²", 2 * inner(a, b), sqnorm(a) + sqnorm(b),
          relation="<=", proof=_young_proof()),
    entry("norm.sum_bound", INNER_PRODUCTS, "‖a + b‖² ≤ 2‖a‖² + 2‖b‖²", sqnorm(a + b), 2 * sqnorm(a) + 2 * sqnorm(b),
          relation="<=", proof=_sum_bound_proof()),
    entry("norm.cauchy_schwarz", CAUCHY_SCHWARZ, "(aᵀb)² ≤ ‖a‖²‖b‖²", inner(a, b)**2, sqnorm(a) * sqnorm(b),
          relation="<=", proof=cited(inner(a, b)**2, sqnorm(a) * sqnorm(b), "the Cauchy–Schwarz inequality",
                                     CAUCHY_SCHWARZ[1], "<=")),
    entry("norm.frobenius_submultiplicative", FROBENIUS, "‖AB‖²_F ≤ ‖A‖²_F ‖B‖²_F", sqnorm(A * B),
          sqnorm(A) * sqnorm(B), relation="<=",
          proof=cited(sqnorm(A * B), sqnorm(A) * sqnorm(B), "the Frobenius norm is submultiplicative",
                      FROBENIUS[1], "<=")),
    entry("norm.orthogonal_invariance", INNER_PRODUCTS, "‖Oa‖² = ‖a‖² for an orthogonal O", sqnorm(O * a), sqnorm(a),
          assumptions=(Q.orthogonal(O),)),
)
