"""What every numeric module shares: a value with its rounding bound, the evaluation error,
the unit roundoff and Higham's ``γ_k``. It imports nothing of iclkd, so every module can use it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

UNIT_ROUNDOFF = float(np.finfo(float).eps / 2)  # a Python float: arithmetic on bounds stays cheap


class EvaluationError(Exception):
    """An expression could not be evaluated (unsupported node, shape or domain problem)."""


@dataclass
class Value:
    """A numeric value with its rounding-error bound (``err`` is ``None`` in exact mode)."""

    val: Any
    err: Any = None
    # For a matrix: a factored bound >= |val| entrywise in terms of the inputs it was computed
    # from (|A B| <= (1+γ)|A||B|), so rounding terms u|val| join the products' own terms and
    # cost no pass over val; None means |val| itself.
    mag: Any = None


def gamma(k: int) -> float:
    """Higham's ``γ_k = k u / (1 - k u)``.

    >>> bool(gamma(10) > 10 * UNIT_ROUNDOFF)
    True
    """
    ku = k * UNIT_ROUNDOFF
    return ku / (1 - ku)
