"""``iclkd check``: prove and numerically check results."""
from __future__ import annotations

import argparse
import shlex
import sys

from ..check import CheckSettings, check_all, processes_used, summary
from ..symbolic.timing import Stopwatch
from ..ci_output import counterexample_lines, exit_code, github_annotations, junit_xml
from ..errors import UsageError
from ..output import table, write_atomically, write_json
from ..report_json import check_report
from ..status import ERROR, REFUTED, TIMEOUT, UNPROVED, VERIFIED
from .common import add_paper_options, nonnegative_int, positive_float, positive_int, selection

ALLOWABLE = (UNPROVED, TIMEOUT)


class FormatAction(argparse.Action):
    """``--format text``, ``--format github`` or ``--format junit FILE``; values after those
    are result ids (``iclkd check --format github R1 R2``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        kind, rest = values[0], list(values[1:])
        if kind not in ("text", "github", "junit"):
            raise UsageError(f"--format: unknown format {kind!r} (use text, github or 'junit FILE')")
        if kind == "junit":
            if not rest:
                raise UsageError("--format junit needs the file to write: --format junit FILE")
            namespace.junit = rest.pop(0)
        namespace.format = kind
        namespace.ids_after_format = rest  # argparse assigns the positional ids after this action


def allowed_statuses(text: str) -> tuple:
    """``--allow``'s comma-separated statuses, each one a result may end in without failing.

    >>> allowed_statuses('unproved,timeout')
    ('unproved', 'timeout')
    """
    names = tuple(t.strip() for t in text.split(",") if t.strip())
    for name in names:
        if name not in ALLOWABLE:
            raise UsageError(f"--allow: {name!r} cannot be allowed (one of: {', '.join(ALLOWABLE)}; "
                             "a refutation or an error always fails)")
    return names


def add_parser(sub):
    p = sub.add_parser("check", help="check results (proof steps and numeric checks)")
    p.add_argument("ids", nargs="*", metavar="ID", help="result ids (default: all)")
    p.add_argument("--trials", type=positive_int, default=CheckSettings.trials,
                   help="random instances per claim and per numeric check (default: %(default)s)")
    p.add_argument("--seed", type=nonnegative_int, default=CheckSettings.seed, help="random seed (default: %(default)s)")
    p.add_argument("--timeout", type=positive_float, default=CheckSettings.timeout,
                   help="seconds allowed for each symbolic step and numeric check (default: %(default)s)")
    p.add_argument("--json", metavar="FILE", help="write the full report as JSON ('-': standard output)")
    p.add_argument("--format", action=FormatAction, nargs="+", metavar="FORMAT", default="text",
                   help="'text' (default); 'github': also print GitHub Actions annotations on the failing lines; "
                        "'junit FILE': also write JUnit XML, one test case per claim and numeric check")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first result that is not verified")
    p.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                   help="check results on N processes (default: the cores; 1 with --fail-fast)")
    p.add_argument("--allow", type=allowed_statuses, default=(), metavar="STATUS[,STATUS]",
                   help=f"statuses that do not fail the run ({', '.join(ALLOWABLE)}); exit 0 if every result is "
                        "verified or allowed")
    p.add_argument("--replay", metavar="TOKEN",
                   help="rebuild the instance of a printed counterexample's replay token and evaluate its step "
                        "on it (exit 1: it fails there, 0: it holds); give the same --file or --paper")
    add_paper_options(p)
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    p.set_defaults(func=run)


def _progress(i, n, result):
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[Kchecking {result.id} ({i + 1}/{n}) {result.title[:50]}")
        sys.stderr.flush()
        if i + 1 == n:
            sys.stderr.write("\n")


def replay_options(args) -> str:
    """The options that point a replay at the same results (``--file``, ``--paper``)."""
    parts = [f"--{name} {shlex.quote(getattr(args, name))}" for name in ("paper", "file") if getattr(args, name, None)]
    return " ".join(parts + (["--stdlib"] if getattr(args, "stdlib", False) else []))


def run_replay(args) -> int:
    """``iclkd check --replay TOKEN``: 1 if the step fails on the token's instance, 0 if it holds."""
    from ..replay import replay

    args.ids = []
    registry = selection(args).registry
    done = replay(args.replay, registry, seed=args.seed, trials=args.trials)
    print(f"{done.where} on the replayed instance: {done.instance}")
    if done.outcome == "fails":
        print(f"  fails: {done.note}\n  values: left {done.left}, right {done.right}")
        return 1
    if done.outcome == "holds":
        print("  holds (the token's failure does not reproduce with these sources)")
        return 0
    print(f"  no evidence either way: {done.note}")
    return 2


def run(args) -> int:
    args.ids = list(args.ids or []) + list(getattr(args, "ids_after_format", []))
    if args.replay:
        return run_replay(args)
    chosen = selection(args)
    registry, results = chosen.registry, chosen.results
    settings = CheckSettings(seed=args.seed, trials=args.trials, timeout=args.timeout, shrink=True)
    how = replay_options(args)
    allowed = args.allow
    stop = (lambda report: report.status != VERIFIED and report.status not in allowed) if args.fail_fast else None
    from ..parallel import default_jobs

    watch = Stopwatch()
    jobs = args.jobs if args.jobs is not None else (1 if stop else default_jobs())
    reports = check_all(results, registry, settings, progress=_progress, stop=stop, jobs=jobs)
    wall = watch.seconds()
    jobs = processes_used(jobs, results, stop)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    if not args.quiet:
        print(table(reports))
    for r in reports:
        if r.status != VERIFIED:
            where = f" ({r.failure_source})" if r.failure_source else ""
            print(f"\n{r.result.id} {r.status}{where}: {r.failure or 'not every claim is proved'}")
            if r.counterexample:
                for line in counterexample_lines(r.counterexample, how):
                    print(line)
    s = summary(reports)
    print(f"\n{s['verified']} of {s['total']} verified"
          + "".join(f", {s[k]} {k}" for k in (REFUTED, UNPROVED, TIMEOUT, ERROR) if s[k])
          + f" ({wall:.1f} s" + (f" on {jobs} processes" if jobs > 1 else "")
          + f", seed {settings.seed}, {settings.trials} trials)"
          + (f"; stopped at the first failure, {len(results) - len(reports)} not checked"
             if len(reports) < len(results) else ""))
    if args.format == "github":
        print("\n".join(github_annotations(reports, allowed, how)))
    if args.format == "junit":
        write_atomically(args.junit, junit_xml(reports, allowed, replay_options=how), make_parents=False)
    if args.json:
        write_json(args.json, check_report(reports, s, settings, paper=args.file or chosen.paper.name,
                                           selection=[r.id for r in results]))
    return exit_code(reports, allowed)
