"""``iclkd selftest``: mutation testing of the checker (a checker that proves it can fail)."""
from __future__ import annotations

import os
import sys

from ..check import CheckSettings
from ..output import write_json
from ..selftest.report import as_json, rate_text, survivor_lines, table, totals
from ..selftest.runner import SelfTest
from ..status import KILLED, VERIFIED
from ..symbolic.timing import Stopwatch
from .common import add_paper_options, nonnegative_int, positive_float, positive_int, selection

DEFAULT_MIN_KILL_RATE = 0.98


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 <= value <= 1:
        from ..errors import UsageError

        raise UsageError(f"expected a kill rate between 0 and 1, got {text!r}")
    return value


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the OS has one).

    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def add_parser(sub):
    p = sub.add_parser("selftest", help="mutate results and check that the checker catches the mutants")
    p.add_argument("ids", nargs="*", metavar="ID", help="result ids (default: all)")
    p.add_argument("--mutants", type=positive_int, metavar="N",
                   help="at most N mutants per result, a sample fixed by --seed (default: all)")
    p.add_argument("--seed", type=nonnegative_int, default=CheckSettings.seed,
                   help="seed of the mutant sample and of the checker (default: %(default)s)")
    p.add_argument("--trials", type=positive_int, default=CheckSettings.trials,
                   help="random instances per claim and per numeric check (default: %(default)s)")
    p.add_argument("--timeout", type=positive_float, default=CheckSettings.timeout,
                   help="seconds for each symbolic step and numeric check (default: %(default)s)")
    p.add_argument("--jobs", type=positive_int, default=default_jobs(),
                   help="processes checking mutants (default: the cores this process may use, %(default)s)")
    p.add_argument("--json", metavar="FILE", help="write every mutant and the summary as JSON")
    add_paper_options(p, "self-test this Python module's results alone")
    p.add_argument("--min-kill-rate", type=_rate, default=DEFAULT_MIN_KILL_RATE, metavar="R",
                   help="exit 1 when fewer than this share of non-equivalent valid mutants is killed "
                        "(default: %(default)s)")
    p.set_defaults(func=run)


LOG_EVERY_SECONDS = 60.0


class Progress:
    """On a terminal, one line rewritten per mutant; otherwise (CI logs) a line a minute."""

    def __init__(self, stream=sys.stderr, every: float = LOG_EVERY_SECONDS):
        self.stream, self.every = stream, every
        self.tty = stream.isatty()
        self.watch = Stopwatch()
        self.next_log = every

    def __call__(self, done, total, outcome):
        m = outcome.mutant
        if self.tty:
            self.stream.write(f"\r\033[Kselftest {done}/{total} {m.result_id} {outcome.verdict:<10} {m.where[:60]}")
        elif self.watch.seconds() >= self.next_log or done == total:
            self.next_log = self.watch.seconds() + self.every
            self.stream.write(f"selftest: {done}/{total} mutants checked ({100 * done / total:.0f}%), "
                              f"{self.watch.seconds():.0f} s, now {m.result_id}\n")
        self.stream.flush()


def run(args) -> int:
    chosen = selection(args)
    registry, results = chosen.registry, chosen.results
    settings = CheckSettings(seed=args.seed, trials=args.trials, timeout=args.timeout)
    watch = Stopwatch()
    if sys.stderr.isatty():
        sys.stderr.write(f"selftest: baselines and mutants of {len(results)} result(s)...")
        sys.stderr.flush()
    summaries = SelfTest(registry, settings, cap=args.mutants, sample_seed=args.seed).run(
        results, jobs=args.jobs, progress=Progress())
    seconds = watch.seconds()
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    print(table(summaries))
    lines = survivor_lines(summaries)
    print(f"\n{len(lines)} surviving mutant(s)" + (":" if lines else "."))
    for line in lines:
        print("  " + line)
    not_verified = [s.result.id for s in summaries if s.baseline != VERIFIED]
    if not_verified:
        print(f"\nbaseline not verified (no mutants run): {', '.join(not_verified)}")
    t = totals(summaries)
    print(f"\nkill rate {rate_text(t['kill_rate'])}: {t[KILLED]} of {t[KILLED] + t['survived']} non-equivalent "
          f"valid mutants killed ({t['equivalent']} equivalent, {t['invalid']} invalid) in {seconds:.1f} s "
          f"(seed {args.seed}, {args.trials} trials, {args.jobs} job(s))")
    print("killed as: " + ", ".join(f"{n} {k}" for k, n in t["killed_by_status"].items())
          + "; equivalent: " + (", ".join(f"{n} {k}" for k, n in t["equivalent_by_reason"].items()) or "none"))
    if args.json:
        write_json(args.json, as_json(summaries, {"seed": args.seed, "trials": args.trials, "timeout": args.timeout,
                                                  "mutants_per_result": args.mutants, "jobs": args.jobs}, seconds))
    rate = t["kill_rate"]
    return 0 if not not_verified and (rate is None or rate >= args.min_kill_rate) else 1
