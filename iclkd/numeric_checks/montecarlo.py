"""Monte Carlo tests whose scale comes from a known variance, with a family-wise error budget.

Every z-test in a run uses the same two-sided threshold: with at most ``MAX_TESTS_PER_RUN``
tests and a family-wise false-alarm rate ``FAMILY_ALPHA``, Bonferroni gives a per-test
level ``FAMILY_ALPHA / MAX_TESTS_PER_RUN``. A correct result is then refuted in CI with
probability below ``FAMILY_ALPHA`` per run (up to the normal approximation of the mean,
whose samples are kept light-tailed by the instance choice).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

FAMILY_ALPHA = 1e-6
MAX_TESTS_PER_RUN = 1000


def z_critical(family_alpha: float = FAMILY_ALPHA, tests: int = MAX_TESTS_PER_RUN) -> float:
    """Two-sided Bonferroni threshold for ``tests`` z-tests at family-wise ``family_alpha``.

    >>> round(z_critical(0.05, 1), 2)
    1.96
    """
    return NormalDist().inv_cdf(1 - family_alpha / tests / 2)


Z_CRITICAL = z_critical()


@dataclass
class ZTest:
    """A z-test of ``estimate`` against ``claimed`` with known standard error."""

    estimate: float
    claimed: float
    standard_error: float
    samples: int

    @property
    def z(self) -> float:
        return (self.estimate - self.claimed) / self.standard_error

    @property
    def passes(self) -> bool:
        if not all(map(math.isfinite, (self.estimate, self.claimed, self.standard_error))):
            return False
        return abs(self.z) <= Z_CRITICAL

    def as_dict(self) -> dict:
        return {"estimate": self.estimate, "claimed": self.claimed,
                "standard_error": self.standard_error, "z": self.z,
                "z_critical": Z_CRITICAL, "samples": self.samples}


def mean_test(samples: np.ndarray, claimed: float, known_variance: float) -> ZTest:
    """z-test of the sample mean against ``claimed``, scale ``sqrt(known_variance / n)``.

    >>> rng = np.random.default_rng(0)
    >>> mean_test(rng.normal(1.0, 2.0, 10000), 1.0, 4.0).passes
    True
    """
    n = len(samples)
    if not known_variance > 0:
        raise ValueError(f"known variance must be positive, got {known_variance}")
    return ZTest(float(np.mean(samples)), float(claimed), math.sqrt(known_variance / n), n)


def feature_product_moment(k: int, a: np.ndarray, b: np.ndarray) -> float:
    """``E[(φ_ω(a) φ_ω(b))^k] = exp(k²||a+b||²/2 − k(||a||²+||b||²)/2)`` (the Gaussian MGF).

    >>> round(feature_product_moment(1, np.array([0.5]), np.array([0.2])), 12) == round(float(np.exp(0.1)), 12)
    True
    """
    c = a + b
    return float(np.exp(k * k * (c @ c) / 2 - k * (a @ a + b @ b) / 2))


def feature_products(rng, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """``n`` i.i.d. samples of ``φ_ω(a) φ_ω(b)`` with ``ω ~ N(0, I)``, computed directly."""
    w = rng.standard_normal((n, len(a)))
    return np.exp(w @ a - (a @ a) / 2) * np.exp(w @ b - (b @ b) / 2)


def exact_binomial_upper_p(failures: int, n: int, p: float) -> float:
    """``P(X >= failures)`` for ``X ~ Binomial(n, p)``, summed exactly in log space.

    >>> round(exact_binomial_upper_p(1, 1, 0.25), 6)
    0.25
    """
    if failures <= 0:
        return 1.0
    logs = [math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p) for k in range(failures, n + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))
