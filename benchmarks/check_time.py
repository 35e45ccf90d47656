"""Wall time of `iclkd check` (as a user runs it, in a fresh process) and per result.

Usage: python benchmarks/check_time.py [ID ...] [--repeats N] [--jobs N ...]
Prints a table; asserts nothing (timings are measured here, not in tests).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def wall_time(ids, repeats, jobs=None):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "iclkd", "check", "--quiet", *ids,
                              *(["--jobs", str(jobs)] if jobs else [])],
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            raise SystemExit(f"iclkd check exited {out.returncode}")
    return times


def per_result(ids):
    from iclkd.check import CheckSettings, check_all
    from iclkd.paper import load_paper

    reg = load_paper("brewing").registry()
    reports = check_all(reg.select(ids), reg, CheckSettings())
    return [(r.result.id, r.symbolic_seconds, r.numeric_seconds, r.status) for r in reports]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="*", default=[None],
                        help="process counts to compare (default: iclkd's default, the cores)")
    args = parser.parse_args()
    label = " ".join(args.ids) or "all results"
    for jobs in args.jobs:
        times = wall_time(args.ids, args.repeats, jobs)
        print(f"iclkd check {label} --jobs {jobs or 'default'}: median {statistics.median(times):.2f} s wall "
              f"(min {min(times):.2f}, max {max(times):.2f}, {args.repeats} runs, fresh process each)")
    print(f"{'id':<5} {'symbolic s':>10} {'numeric s':>10}  status")
    for rid, sym, num, status in per_result(args.ids):
        print(f"{rid:<5} {sym:>10.2f} {num:>10.2f}  {status}")


if __name__ == "__main__":
    main()
