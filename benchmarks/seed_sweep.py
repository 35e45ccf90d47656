"""False refutations over many seeds: `check_all` for seeds 0..N-1, in one process.

Usage: python benchmarks/seed_sweep.py [ID ...] [--seeds 200] [--first 0]
Prints one line per seed that is not all verified, then the counts per status and per
result. Every registered result is correct, so any `refuted` here is a false alarm (the
Monte Carlo tests are calibrated to 1e-6 per run). Not run in CI: it takes a while.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def sweep(ids, seeds, first=0, out=print):
    """Check the selected results at every seed; returns ``(status counts, bad (seed, id, status, failure))``.

    >>> counts, bad = sweep(["R14"], 2, out=lambda *_: None)
    >>> counts["verified"], bad
    (2, [])
    """
    from iclkd.paper import load_paper

    registry = load_paper("brewing").registry()
    results = registry.select(ids)
    return sweep_expected(results, registry, {r.id: "verified" for r in results}, seeds, first, out)


def sweep_expected(results, registry, expected: dict, seeds, first=0, out=print):
    """Check ``results`` at seeds ``first..first+seeds-1`` and compare each status with
    ``expected[id]``; returns ``(status counts, differences (seed, id, status, failure))``."""
    from iclkd.check import CheckSettings, check_all

    counts, bad = Counter(), []
    for seed in range(first, first + seeds):
        start = time.perf_counter()
        for r in check_all(results, registry, CheckSettings(seed=seed)):
            counts[r.status] += 1
            if r.status != expected[r.result.id]:
                bad.append((seed, r.result.id, r.status, r.failure))
                out(f"seed {seed}: {r.result.id} {r.status}, expected {expected[r.result.id]}: {r.failure}")
        if seed % 10 == 0:
            out(f"seed {seed} done in {time.perf_counter() - start:.1f} s")
    return counts, bad


def seed_arguments(description: str):
    """The sweeps' command line: result ids (default: all), ``--seeds N`` and ``--first K``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("ids", nargs="*", help="result ids (default: all)")
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--first", type=int, default=0)
    return parser.parse_args()


def print_totals(args, counts, start: float, what: str) -> None:
    """The seeds swept, how many ``what`` in how long, and the counts per status."""
    print(f"\n{args.seeds} seeds ({args.first}..{args.first + args.seeds - 1}), "
          f"{sum(counts.values())} {what} in {time.perf_counter() - start:.0f} s")
    print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def main():
    args = seed_arguments(__doc__.splitlines()[0])
    start = time.perf_counter()
    counts, bad = sweep(args.ids, args.seeds, args.first, out=lambda line: print(line, flush=True))
    print_totals(args, counts, start, "result checks")
    per_result = Counter(rid for _, rid, _, _ in bad)
    print("not verified, by result: " + (", ".join(f"{k} {v}" for k, v in sorted(per_result.items())) or "none"))


if __name__ == "__main__":
    main()
