"""Outcomes of numeric checks, and counterexamples small enough to read."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from ..status import ERROR, PASSED, REFUTED, TIMEOUT  # noqa: F401  (re-exported)


def readable(value: Any, digits: int = 6) -> Any:
    """Round numbers and arrays for a counterexample a person can read.

    >>> readable(np.array([[1/3, 2.0]]))
    [[0.333333, 2.0]]
    """
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return [[str(x) for x in row] for row in np.atleast_2d(value)]
        return np.round(value.astype(float), digits).tolist()
    if isinstance(value, (float, np.floating)):
        return float(np.round(value, digits)) if np.isfinite(value) else str(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return str(value)


@dataclass
class CheckOutcome:
    """What one numeric check found.

    ``max_error`` is the largest relative error seen (``None`` when the check is a
    statistical test); ``stats`` holds z-scores, p-values and fitted slopes.

    >>> CheckOutcome('demo', PASSED, trials=3, max_error=1e-16).ok
    True
    """

    name: str
    status: str
    trials: int = 0
    max_error: Optional[float] = None
    detail: str = ""
    counterexample: Optional[dict] = None
    stats: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == PASSED

    def as_json(self) -> dict:
        return {"name": self.name, "status": self.status, "trials": self.trials,
                "max_error": self.max_error, "detail": self.detail,
                "counterexample": self.counterexample,
                "stats": {k: readable(v) for k, v in self.stats.items()},
                "seconds": round(self.seconds, 4)}
