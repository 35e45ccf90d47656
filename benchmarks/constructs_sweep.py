"""The constructs beyond products and sums over many seeds: every result of
``tests/user_results/constructs.py`` checked at seeds 0..N-1, each status compared with the
one the module expects (true identities verified or unproved as stated, false variants
refuted). Any difference is printed; the exit status is 1 if there is one.

Usage: python benchmarks/constructs_sweep.py [ID ...] [--seeds 200] [--first 0]
Not run in CI (a few minutes); the tests check seed 0.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
MODULE = ROOT / "tests" / "user_results" / "constructs.py"


def sweep(seeds: int, first: int = 0, out=print, ids=()):
    """``(status counts, differences)`` over the seeds; a difference is ``(seed, id, status, failure)``.

    >>> counts, wrong = sweep(1, out=lambda *_: None)
    >>> wrong
    []
    """
    import importlib.util

    from iclkd.symbolic.registry import Registry
    from seed_sweep import sweep_expected

    spec = importlib.util.spec_from_file_location("constructs_results", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = Registry(module.RESULTS)
    chosen = [r for r in registry if not ids or r.id in ids]
    return sweep_expected(chosen, registry, module.EXPECTED, seeds, first, out)


def main():
    from seed_sweep import print_totals, seed_arguments

    args = seed_arguments(__doc__.splitlines()[0])
    start = time.perf_counter()
    counts, wrong = sweep(args.seeds, args.first, out=lambda line: print(line, flush=True), ids=args.ids)
    print_totals(args, counts, start, "checks")
    print(f"differences from the expected statuses: {len(wrong)}")
    raise SystemExit(1 if wrong else 0)


if __name__ == "__main__":
    main()
