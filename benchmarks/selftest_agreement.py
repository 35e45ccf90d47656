"""Fast self-test against the long way: the same verdicts, stage by stage what each costs.

Usage: python benchmarks/selftest_agreement.py [ID ...] [--per-result N] [--sample-seed S] [--jobs J]
       [--part PREFIX]

Samples N valid mutants of every selected result of the seed paper (fixed by --sample-seed;
``--per-result 0``: all of them), classifies each with ``SelfTest(fast=True)`` (cheapest killer
first) and ``SelfTest(fast=False)`` (equivalence, then the full checker, as before), the two in
turns (which runs first alternates), and prints

* how many verdicts agree (and statuses, and ``killed_by`` texts, which may legitimately name
  a different failing step), every disagreement listed;
* per path and stage: how many mutants it decided, how many it killed, its seconds; the old
  path's seconds over the new one's, per result and overall (ratios within this one run);
  and, from each result's mean, the seconds of all its valid mutants (a full run's estimate).

Exits 1 on any verdict disagreement. Timings live here, never in tests.
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iclkd.check import CheckSettings  # noqa: E402
from iclkd.paper import load_paper  # noqa: E402
from iclkd.selftest.runner import STAGES, SelfTest, sample  # noqa: E402

_STATE = None  # (fast SelfTest, old SelfTest, tasks) shared with forked workers


def plan(registry, ids, per_result, sample_seed, settings, part=""):
    """``[(mutant, baseline report)]``: the sampled valid mutants of each verified result; and
    how many valid mutants each has."""
    probe = SelfTest(registry, settings)
    tasks, counts = [], {}
    for r in registry.select(ids):
        base = probe.baseline(r)
        if base.status != "verified":
            print(f"{r.id}: baseline {base.status}, skipped")
            continue
        valid = [m for m in probe.mutants_of(r)[0] if m.result is not None and m.part.startswith(part)]
        counts[r.id] = len(valid)
        if not valid:
            continue
        tasks += [(m, base) for m in sample(valid, per_result or None, sample_seed, r.id)]
    return tasks, counts


def both(k):
    """Mutant ``k`` by both paths, the order alternating: ``(k, new outcome, old outcome)``."""
    fast, old, tasks = _STATE
    m, base = tasks[k]
    if k % 2:
        o = old.run_mutant(m, base)
        return k, _plain(fast.run_mutant(m, base)), _plain(o)
    n = fast.run_mutant(m, base)
    return k, _plain(n), _plain(old.run_mutant(m, base))


def _plain(o) -> dict:
    return {"verdict": str(o.verdict), "status": str(o.status), "killed_by": o.killed_by, "reason": o.reason,
            "stage": o.stage, "stage_seconds": dict(o.stage_seconds), "seconds": o.seconds}


def run_all(tasks, jobs):
    if jobs <= 1:
        return [both(k)[1:] for k in range(len(tasks))]
    out = [None] * len(tasks)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for k, new, old in pool.imap_unordered(both, range(len(tasks))):
            out[k] = (new, old)
    return out


def stage_table(pairs) -> list[str]:
    """Per stage: mutants decided and killed there, and seconds spent in it, new vs old."""
    rows = {}
    for label, index in (("new", 0), ("old", 1)):
        decided, killed, seconds = Counter(), Counter(), defaultdict(float)
        for pair in pairs:
            o = pair[index]
            decided[o["stage"]] += 1
            killed[o["stage"]] += o["verdict"] == "killed"
            for stage, s in o["stage_seconds"].items():
                seconds[stage] += s
        rows[label] = (decided, killed, seconds)
    lines = [f"{'stage':<12} {'new decided':>11} {'new killed':>10} {'new s':>8}   "
             f"{'old decided':>11} {'old killed':>10} {'old s':>8}"]
    for stage in STAGES:
        (nd, nk, ns), (od, ok, os_) = rows["new"], rows["old"]
        lines.append(f"{stage:<12} {nd[stage]:>11} {nk[stage]:>10} {ns[stage]:>8.2f}   "
                     f"{od[stage]:>11} {ok[stage]:>10} {os_[stage]:>8.2f}")
    new_total, old_total = (sum(rows[p][2].values()) for p in ("new", "old"))
    lines.append(f"{'all':<12} {len(pairs):>11} {sum(rows['new'][1].values()):>10} {new_total:>8.2f}   "
                 f"{len(pairs):>11} {sum(rows['old'][1].values()):>10} {old_total:>8.2f}")
    lines.append(f"old / new seconds: {old_total / new_total:.2f}x" if new_total else "")
    return lines


def result_table(tasks, pairs, valid: dict) -> list[str]:
    """Per result: seconds of both paths on the sample, and the seconds of all its valid mutants
    estimated from the sample's mean (mean × valid mutants)."""
    by = defaultdict(lambda: [0, 0.0, 0.0])
    for (m, _), (new, old) in zip(tasks, pairs):
        row = by[m.result_id]
        row[0] += 1
        row[1] += new["seconds"]
        row[2] += old["seconds"]
    lines = [f"{'id':<5} {'mutants':>7} {'new s':>8} {'old s':>8} {'old/new':>8} {'valid':>6} {'est. new s':>10} "
             f"{'est. old s':>10}"]
    est_new = est_old = 0.0
    for rid, (n, new_s, old_s) in by.items():
        e_new, e_old = new_s / n * valid[rid], old_s / n * valid[rid]
        est_new, est_old = est_new + e_new, est_old + e_old
        ratio = old_s / new_s if new_s else float("nan")
        lines.append(f"{rid:<5} {n:>7} {new_s:>8.2f} {old_s:>8.2f} {ratio:>7.2f}x {valid[rid]:>6} {e_new:>10.1f} "
                     f"{e_old:>10.1f}")
    if est_new:
        lines.append(f"all valid mutants, estimated: new {est_new:.0f} s, old {est_old:.0f} s of one core "
                     f"({est_old / est_new:.2f}x)")
    return lines


def agreement(tasks, pairs) -> tuple[int, list[str]]:
    """The number of verdict disagreements, and a report of every kind of difference."""
    verdicts = statuses = texts = 0
    lines = []
    for (m, _), (new, old) in zip(tasks, pairs):
        if new["verdict"] != old["verdict"]:
            verdicts += 1
            lines.append(f"  VERDICT {m.where[:90]}: new {new['verdict']} ({new['stage']}, {new['killed_by'] or new['reason']})"
                         f", old {old['verdict']} ({old['killed_by'] or old['reason']})")
        elif new["status"] != old["status"]:
            statuses += 1
            lines.append(f"  status {m.where[:90]}: new {new['status']}, old {old['status']}")
        elif new["killed_by"] != old["killed_by"] or new["reason"] != old["reason"]:
            texts += 1
            lines.append(f"  killed_by {m.where[:90]}:\n    new {new['killed_by'] or new['reason']}"
                         f"\n    old {old['killed_by'] or old['reason']}")
    n = len(pairs)
    head = [f"{n} mutants: verdicts agree on {n - verdicts} ({verdicts} differ); statuses differ on {statuses} "
            f"more; killed_by/reason text differs on {texts} more"]
    return verdicts, head + lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="result ids (default: all)")
    parser.add_argument("--per-result", type=int, default=22, help="valid mutants per result (0: all)")
    parser.add_argument("--sample-seed", type=int, default=1)
    parser.add_argument("--seed", type=int, default=CheckSettings.seed, help="the checker's seed")
    parser.add_argument("--trials", type=int, default=CheckSettings.trials)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--part", default="", help="only mutants whose place starts so (e.g. 'definition')")
    args = parser.parse_args()
    registry = load_paper("brewing").registry()
    settings = CheckSettings(seed=args.seed, trials=args.trials)
    global _STATE
    tasks, valid = plan(registry, args.ids, args.per_result, args.sample_seed, settings, args.part)
    _STATE = (SelfTest(registry, settings), SelfTest(registry, settings, fast=False), tasks)
    pairs = run_all(tasks, args.jobs)
    bad, lines = agreement(tasks, pairs)
    print("\n".join(lines))
    print()
    print("\n".join(stage_table(pairs)))
    print()
    print("\n".join(result_table(tasks, pairs, valid)))
    print(f"\n(seed {args.seed}, {args.trials} trials, sample seed {args.sample_seed}, "
          f"{args.per_result or 'all'} valid mutants per result, {args.jobs} job(s))")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
