"""P6 measured: both sides of the FAVOR+ identity at a few sequence lengths L.

    python benchmarks/performer_favor.py

The left side ``diag(Q'K'ᵀ1)⁻¹ Q'K'ᵀV`` forms the L×L matrix (O(L²r + L²d_v)); the right side
``diag(Q'(K'ᵀ1))⁻¹ (Q'(K'ᵀV))`` never does (O(Lrd_v)). Times only: no assertion.
"""
from __future__ import annotations

import time

import numpy as np

LENGTHS = (256, 1024, 4096, 8192)
FEATURES, VALUE_DIM, REPEATS = 64, 64, 3


def quadratic(q, k, v):
    scores = q @ k.T
    return (scores @ v) / (scores @ np.ones(len(k)))[:, None]


def linear(q, k, v):
    return (q @ (k.T @ v)) / (q @ (k.T @ np.ones(len(k))))[:, None]


def best_time(fn, *args) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(0)
    print(f"{'L':>6}  {'quadratic (s)':>14}  {'linear (s)':>11}  {'ratio':>6}  {'max |diff|':>10}")
    for length in LENGTHS:
        q, k = rng.uniform(0.1, 1.0, (length, FEATURES)), rng.uniform(0.1, 1.0, (length, FEATURES))
        v = rng.normal(size=(length, VALUE_DIM))
        tq, tl = best_time(quadratic, q, k, v), best_time(linear, q, k, v)
        diff = float(np.max(np.abs(quadratic(q, k, v) - linear(q, k, v))))
        print(f"{length:>6}  {tq:>14.4f}  {tl:>11.5f}  {tq / tl:>6.1f}  {diff:>10.2e}")


if __name__ == "__main__":
    main()
