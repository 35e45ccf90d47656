"""``iclkd check``: prove and numerically check results."""
from __future__ import annotations

import json
import sys

from ..check import CheckSettings, check_all, summary
from ..output import table, write_json
from ..status import ERROR, REFUTED, TIMEOUT, UNPROVED, VERIFIED
from .common import add_paper_options, nonnegative_int, positive_float, positive_int, selection


def add_parser(sub):
    p = sub.add_parser("check", help="check results (proof steps and numeric checks)")
    p.add_argument("ids", nargs="*", metavar="ID", help="result ids (default: all)")
    p.add_argument("--trials", type=positive_int, default=CheckSettings.trials,
                   help="random instances per claim and per numeric check (default: %(default)s)")
    p.add_argument("--seed", type=nonnegative_int, default=CheckSettings.seed, help="random seed (default: %(default)s)")
    p.add_argument("--timeout", type=positive_float, default=CheckSettings.timeout,
                   help="seconds allowed for each symbolic step and numeric check (default: %(default)s)")
    p.add_argument("--json", metavar="FILE", help="write the full report as JSON")
    add_paper_options(p)
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    p.set_defaults(func=run)


def _progress(i, n, result):
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[Kchecking {result.id} ({i + 1}/{n}) {result.title[:50]}")
        sys.stderr.flush()
        if i + 1 == n:
            sys.stderr.write("\n")


def run(args) -> int:
    chosen = selection(args)
    registry, results = chosen.registry, chosen.results
    settings = CheckSettings(seed=args.seed, trials=args.trials, timeout=args.timeout)
    reports = check_all(results, registry, settings, progress=_progress)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    if not args.quiet:
        print(table(reports))
    for r in reports:
        if r.status != VERIFIED:
            print(f"\n{r.result.id} {r.status}: {r.failure or 'not every claim is proved'}")
            if r.counterexample:
                print("  counterexample: " + json.dumps(r.counterexample, default=str))
    s = summary(reports)
    print(f"\n{s['verified']} of {s['total']} verified"
          + "".join(f", {s[k]} {k}" for k in (REFUTED, UNPROVED, TIMEOUT, ERROR) if s[k])
          + f" ({s['seconds']:.1f} s, seed {settings.seed}, {settings.trials} trials)")
    if args.json:
        write_json(args.json, {"results": [r.as_json() for r in reports], "summary": s,
                               "settings": {"seed": settings.seed, "trials": settings.trials,
                                            "timeout": settings.timeout}})
    return 0 if s["all_verified"] else 1
