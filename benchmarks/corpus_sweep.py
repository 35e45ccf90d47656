"""Soundness over many seeds on the user corpus (tests/corpus/): every result at every seed.

Usage: python benchmarks/corpus_sweep.py [--seeds 0-199] [--jobs 2] [--json out.json] [--trials 4]
                                         [--timeout 20] [--only ID ...]

Prints the number of (result, seed) pairs checked, every false result reported ``verified``
and every true result reported ``refuted`` (with the seed and the reason), how the statuses
of true and of false results are distributed, each result's status counts and mean time,
and the total time. Exit 1 if a false result was verified or a true one refuted (or a check
raised instead of giving a verdict), 2 for bad arguments. Progress goes to stderr about every
30 s. Not run in CI: the full 200 seeds take a while (see the per-seed time it prints).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

RAISED = "raised"  # a check that ended in an exception: not a verdict
PROGRESS_SECONDS = 30.0


def parse_seeds(text: str) -> list[int]:
    """``"0-199"``, ``"3"`` or ``"0,5,7-9"`` as a sorted list of distinct seeds.

    >>> parse_seeds("0-3,7")
    [0, 1, 2, 3, 7]
    """
    seeds = set()
    for part in text.split(","):
        lo, sep, hi = part.strip().partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            raise ValueError(f"--seeds expects ranges like 0-199 or 0,5,7-9, got {text!r}")
        first, last = int(lo), int(hi) if sep else int(lo)
        if last < first:
            raise ValueError(f"--seeds range {part!r} is empty")
        seeds.update(range(first, last + 1))
    return sorted(seeds)


_REGISTRIES: dict = {}


def _registry(path: str):
    from iclkd.paper import module_paper

    if path not in _REGISTRIES:
        _REGISTRIES[path] = module_paper(path).registry()
    return _REGISTRIES[path]


def check_module_at_seed(path: str, seed: int, trials: int, timeout: float, only: tuple = ()) -> list[dict]:
    """Check every result of one corpus module at one seed: one row per result.

    >>> from corpus import HERE
    >>> rows = check_module_at_seed(str(HERE / "scalar_facts.py"), 0, 4, 20.0, only=("SF1",))
    >>> [(r["id"], r["status"]) for r in rows]
    [('SF1', 'verified')]
    """
    from iclkd.check import CheckSettings, check_result

    registry = _registry(path)
    rows = []
    for result in registry:
        if only and result.id not in only:
            continue
        start = time.perf_counter()
        try:
            report = check_result(result, registry, CheckSettings(seed=seed, trials=trials, timeout=timeout))
            status, method, failure = report.status, report.method, report.failure
        except Exception as exc:  # recorded as what it is, never as a verdict
            status, method, failure = RAISED, "", f"{type(exc).__name__}: {exc}"
        rows.append({"id": result.id, "seed": seed, "status": status, "method": method,
                     "failure": failure.splitlines()[0][:300] if failure else "",
                     "seconds": round(time.perf_counter() - start, 4)})
    return rows


def run(seeds, jobs, trials, timeout, only=(), log=lambda line: None) -> tuple[list[dict], dict]:
    """All (module, seed) tasks, in ``jobs`` processes; returns the rows and the labels.

    ``log`` receives a progress line about every 30 s and at the end. Usage: see :func:`main`.
    """
    from corpus import expected_of, module_paths

    paths = [str(p) for p in module_paths()]
    expected = {rid: truth for p in paths for rid, truth in expected_of(p).items()}
    if only:
        unknown = sorted(set(only) - set(expected))
        if unknown:
            raise ValueError(f"--only: no corpus result {', '.join(unknown)}")
    tasks = [(p, s) for s in seeds for p in paths]
    total = len(only) * len(seeds) if only else len(expected) * len(seeds)
    rows: list[dict] = []
    start = last = time.perf_counter()

    def progress(force=False):
        nonlocal last
        now = time.perf_counter()
        if force or now - last >= PROGRESS_SECONDS:
            last = now
            counts = Counter(r["status"] for r in rows)
            rate = len(rows) / max(now - start, 1e-9)
            eta = (total - len(rows)) / rate if rate else float("inf")
            log(f"[{now - start:7.0f} s] {len(rows)}/{total} pairs, about {eta:.0f} s to go; "
                + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    if jobs <= 1:
        for p, s in tasks:
            rows += check_module_at_seed(p, s, trials, timeout, tuple(only))
            progress()
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(check_module_at_seed, p, s, trials, timeout, tuple(only)) for p, s in tasks]
            for fut in as_completed(futures):
                rows += fut.result()
                progress()
    progress(force=True)
    return rows, expected


def summarise(rows: list[dict], expected: dict, seconds: float, seeds: list[int]) -> dict:
    """Counts, the misbehaving pairs and per-result statistics, as JSON-ready data.

    >>> rows = [{"id": "T1", "seed": 0, "status": "refuted", "method": "", "failure": "step 1", "seconds": 0.5},
    ...         {"id": "F1", "seed": 0, "status": "verified", "method": "explicit-size", "failure": "", "seconds": 0.5}]
    >>> s = summarise(rows, {"T1": True, "F1": False}, 1.0, [0])
    >>> [x["id"] for x in s["true_refuted"]], [x["id"] for x in s["false_verified"]], s["statuses"]["false"]
    (['T1'], ['F1'], {'verified': 1})
    """
    false_verified = sorted(({"id": r["id"], "seed": r["seed"], "method": r["method"]}
                             for r in rows if not expected[r["id"]] and r["status"] == "verified"),
                            key=lambda r: (r["id"], r["seed"]))
    true_refuted = sorted(({"id": r["id"], "seed": r["seed"], "failure": r["failure"]}
                           for r in rows if expected[r["id"]] and r["status"] == "refuted"),
                          key=lambda r: (r["id"], r["seed"]))
    raised = sorted(({"id": r["id"], "seed": r["seed"], "failure": r["failure"]}
                     for r in rows if r["status"] == RAISED), key=lambda r: (r["id"], r["seed"]))
    by_truth = {label: dict(Counter(r["status"] for r in rows if expected[r["id"]] is truth))
                for label, truth in (("true", True), ("false", False))}
    per_result = defaultdict(lambda: {"statuses": Counter(), "seconds": 0.0})
    for r in rows:
        per_result[r["id"]]["statuses"][r["status"]] += 1
        per_result[r["id"]]["seconds"] += r["seconds"]
    results = {rid: {"expected": expected[rid], "statuses": dict(v["statuses"]),
                     "mean_seconds": round(v["seconds"] / sum(v["statuses"].values()), 4)}
               for rid, v in sorted(per_result.items())}
    checking = sum(r["seconds"] for r in rows)
    return {"seeds": [seeds[0], seeds[-1]] if seeds else [], "seed_count": len(seeds), "pairs": len(rows),
            "results": len(per_result), "false_verified": false_verified, "true_refuted": true_refuted,
            "raised": raised, "statuses": by_truth, "per_result": results,
            "wall_seconds": round(seconds, 1), "checking_seconds": round(checking, 1),
            "checking_seconds_per_seed": round(checking / max(len(seeds), 1), 2)}


def report(summary: dict) -> str:
    """The printed report of :func:`summarise`'s data.

    >>> rows = [{"id": "F1", "seed": 3, "status": "verified", "method": "explicit-size", "failure": "", "seconds": 0.1}]
    >>> print(report(summarise(rows, {"F1": False}, 0.1, [3])).splitlines()[2])
      F1: seeds 3 — explicit-size
    """
    lines = [f"{summary['pairs']} (result, seed) pairs: {summary['results']} results × "
             f"{summary['seed_count']} seeds ({summary['seeds'][0]}..{summary['seeds'][-1]})" if summary["seeds"]
             else "no pairs checked"]
    for title, key in (("false claims verified", "false_verified"), ("true claims refuted", "true_refuted"),
                       ("checks that raised instead of giving a verdict", RAISED)):
        items = summary[key]
        by_id = defaultdict(list)
        for item in items:
            by_id[item["id"]].append(item)
        lines.append(f"{title}: {len(items)} pairs ({len(by_id)} results)")
        for rid, found in by_id.items():
            why = found[0].get("failure") or found[0].get("method", "")
            lines.append(f"  {rid}: seeds {', '.join(str(f['seed']) for f in found)}" + (f" — {why}" if why else ""))
    for label in ("true", "false"):
        counts = summary["statuses"][label]
        lines.append(f"statuses of {label} claims: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
    lines.append("")
    lines.append(f"{'result':14s} {'truth':5s} {'mean s':>7s}  statuses")
    for rid, info in summary["per_result"].items():
        counts = ", ".join(f"{k} {v}" for k, v in sorted(info["statuses"].items()))
        lines.append(f"{rid:14s} {str(info['expected']).lower():5s} {info['mean_seconds']:7.3f}  {counts}")
    lines.append("")
    lines.append(f"total {summary['wall_seconds']:.1f} s wall; checking {summary['checking_seconds']:.1f} s "
                 f"({summary['checking_seconds_per_seed']:.2f} s per seed for the whole corpus, summed over processes)")
    return "\n".join(lines)


def write_json_atomically(path: str, data: dict) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    >>> out = Path(tempfile.mkdtemp()) / "sweep.json"
    >>> write_json_atomically(str(out), {"pairs": 0}); json.loads(out.read_text())
    {'pairs': 0}
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=1)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv=None) -> int:
    """The command line (see the module docstring); returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0-199", help="seeds, e.g. 0-199 or 0,5,7-9")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--trials", type=int, default=4, help="random instances per claim and check")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per symbolic step or numeric check")
    parser.add_argument("--json", help="write every row and the summary to this file")
    parser.add_argument("--only", nargs="+", default=(), metavar="ID", help="check only these results")
    args = parser.parse_args(argv)
    try:
        seeds = parse_seeds(args.seeds)
        if args.jobs < 1 or args.trials < 1 or args.timeout <= 0:
            raise ValueError("--jobs and --trials must be at least 1, --timeout positive")
        if args.json and not Path(args.json).resolve().parent.is_dir():
            raise ValueError(f"--json: no directory for {args.json!r}")
        start = time.perf_counter()
        rows, expected = run(seeds, args.jobs, args.trials, args.timeout, tuple(args.only),
                             log=lambda line: print(line, file=sys.stderr, flush=True))
    except ValueError as exc:
        print(f"corpus_sweep: {exc}", file=sys.stderr)
        return 2
    summary = summarise(rows, expected, time.perf_counter() - start, seeds)
    print(report(summary))
    if args.json:
        write_json_atomically(args.json, {"settings": vars(args), "summary": summary, "rows": rows})
    bad = summary["false_verified"] or summary["true_refuted"] or summary[RAISED]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
