"""Checking results: proofs plus numeric checks, folded into one status per result.

Statuses: ``verified`` (every claim proved, every numeric check passed), ``refuted``
(a failing step or a counterexample), ``unproved`` (numbers agree, no complete proof),
``timeout``, ``error``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .errors import StepTimeout
from .errors import ResultDefinitionError
from .numeric_checks.report import CheckOutcome, readable
from .numeric_checks.steps import RAISE_ON_GARBAGE, derived_seed
from .status import (CHECK_STATUSES, CITED, ERROR, PASSED, PROVED, REFUTED, RESULT_STATUSES, TIMEOUT, UNDECIDED,
                     UNPROVED, VERIFIED)
from .symbolic.checker import ClaimReport, StepReport, check_claim
from .symbolic.context import ProofContext
from .symbolic.result import Result
from .symbolic.timing import Stopwatch, time_limit

STATUSES = RESULT_STATUSES


@dataclass
class CheckSettings:
    """Knobs of a run; the defaults are what ``iclkd check`` uses."""

    seed: int = 0
    trials: int = 4
    timeout: float = 20.0
    shrink: bool = False  # shrink refuting instances, add replay tokens and SymPy's answer (the CLI does)


@dataclass
class ResultReport:
    result: Result
    status: str
    symbolic_status: str
    method: str
    claims: list = field(default_factory=list)
    numeric: list = field(default_factory=list)
    symbolic_seconds: float = 0.0
    numeric_seconds: float = 0.0
    dependency_problem: str = ""  # why a result that would be verified is not: a dependency

    @property
    def steps(self):
        return [s for c in self.claims for s in c.steps]

    @property
    def numeric_status(self) -> str:
        statuses = [n.status for n in self.numeric]
        for s in (REFUTED, ERROR, TIMEOUT):
            if s in statuses:
                return s
        return PASSED

    @property
    def trials(self) -> int:
        return sum(n.trials for n in self.numeric) + sum(s.numeric_trials for s in self.steps)

    @property
    def max_error(self) -> Optional[float]:
        """The refuting discrepancy of a refuted result, else the worst error of any check."""
        if self.status == REFUTED:
            for s in self.steps:
                if s.status == REFUTED and s.counterexample and "discrepancy" in s.counterexample:
                    return s.counterexample["discrepancy"]  # refuted in exact arithmetic
                if s.status == REFUTED and s.counterexample and s.numeric_trials:
                    return s.numeric_max_error
            for n in self.numeric:
                if n.status == REFUTED:
                    return n.max_error
            return None
        errs = [n.max_error for n in self.numeric if n.max_error is not None]
        errs += [s.numeric_max_error for s in self.steps if s.numeric_trials]
        return max(errs) if errs else None

    @property
    def counterexample(self) -> Optional[dict]:
        for s in self.steps:
            if s.counterexample:
                return {"where": f"{self.result.id}{s.claim} step {s.index} ({s.rule})", **s.counterexample}
        for n in self.numeric:
            if n.counterexample:
                return {"where": f"{self.result.id} numeric check {n.name}", **n.counterexample}
        return None

    @property
    def failure(self) -> str:
        for c in self.claims:
            bad = c.first_failure
            if bad is not None:
                label = (("statement" if bad.rule == "no proof" else "chain end") if bad.index == 0
                         else f"step {bad.index} ({bad.rule})")
                return f"{self.result.id}{c.claim} {label}: {bad.status}: {bad.detail}"
        for n in self.numeric:
            if not n.ok:
                return f"{self.result.id} numeric check {n.name}: {n.status}: {n.detail}"
        return self.dependency_problem

    @property
    def failure_source(self):
        """The :class:`~iclkd.symbolic.result.Source` of the first failing step (None if none)."""
        for c in self.claims:
            bad = c.first_failure
            if bad is not None:
                return bad.source
        return None

    @property
    def seconds(self) -> float:
        return self.symbolic_seconds + self.numeric_seconds

    def as_json(self) -> dict:
        r = self.result
        return {
            "id": r.id, "label": r.label, "title": r.title, "status": self.status,
            "source": r.source.as_json() if r.source else None,
            "depends_on": list(r.depends_on),
            "symbolic": {"status": self.symbolic_status, "method": self.method,
                         "steps": [s.as_json() for s in self.steps],
                         "cited_steps": [f"{r.id}{s.claim} step {s.index}: {s.rule}" for s in self.steps if s.cited],
                         "seconds": round(self.symbolic_seconds, 4)},
            "evidence": {c.claim or "(statement)": c.evidence for c in self.claims},
            "numeric": {"status": self.numeric_status, "trials": self.trials, "max_error": self.max_error,
                        "checks": [n.as_json() for n in self.numeric],
                        "seconds": round(self.numeric_seconds, 4)},
            "counterexample": self.counterexample,
            "failure": self.failure,
        }


def _symbolic_status(claims: list[ClaimReport]) -> str:
    statuses = [c.status for c in claims]
    for s, out in ((REFUTED, REFUTED), ("error", ERROR), (TIMEOUT, TIMEOUT), (UNDECIDED, UNPROVED)):
        if s in statuses:
            return out
    return PROVED


NO_METHOD = "-"


def _method(claims: list[ClaimReport]) -> str:
    """How the claims were decided: ``numeric-only`` if a step is undecided, else ``cited`` if a
    step rests on a citation, else ``explicit-size`` or ``symbolic-dims``."""
    methods = {c.method for c in claims}
    if "numeric-only" in methods:
        return "numeric-only"
    if any(s.status == CITED for c in claims for s in c.steps):
        return "cited"
    return "explicit-size" if "explicit-size" in methods else "symbolic-dims"


def run_numeric_check(check, result: Result, settings: CheckSettings) -> CheckOutcome:
    """Run one result-specific numeric check under the time limit; never pass on garbage.

    Overflow, NaN and inf (raised under ``np.errstate``), any exception of the check, and a
    "passed" outcome carrying a non-finite number are all ``error``, with the instance the
    check was on (its numeric locals where it failed) and the seeds that reproduce it.
    """
    check_seed = derived_seed(settings.seed, result.id, check.name)
    rng = np.random.default_rng(check_seed)
    watch = Stopwatch()
    reproduce = {"seed": settings.seed, "check_seed": check_seed, "trials": settings.trials}
    try:
        with time_limit(settings.timeout):
            outcome = check.run(result, rng, settings.trials)
    except StepTimeout:
        return CheckOutcome(check.name, TIMEOUT, detail=f"exceeded {settings.timeout:g} s", seconds=watch.seconds())
    except SystemExit as exc:  # a check may not end the run: it is this result's error
        return CheckOutcome(check.name, ERROR, detail=f"the check called sys.exit({exc.code!r})",
                            seconds=watch.seconds(), counterexample=reproduce)
    except Exception as exc:  # a failing check is an error with its instance, never a pass
        return CheckOutcome(check.name, ERROR, detail=f"{type(exc).__name__}: {exc}", seconds=watch.seconds(),
                            counterexample={**reproduce, "instance": failing_instance(exc, check.run)})
    if not isinstance(outcome, CheckOutcome):
        return CheckOutcome(check.name, ERROR, detail=f"the check returned {type(outcome).__name__}, not a CheckOutcome",
                            seconds=watch.seconds(), counterexample=reproduce)
    outcome.seconds = watch.seconds()
    if outcome.status not in CHECK_STATUSES:
        outcome.detail = (f"unknown status {outcome.status!r} (a check reports one of "
                          f"{', '.join(CHECK_STATUSES)})" + (f": {outcome.detail}" if outcome.detail else ""))
        outcome.status = ERROR
        return outcome
    if outcome.status == PASSED and not _all_finite(outcome):
        outcome.status, outcome.detail = ERROR, "a passing outcome carries NaN or inf: " + outcome.detail
        outcome.counterexample = {**reproduce, **(outcome.counterexample or {}),
                                  "stats": {k: readable(v) for k, v in outcome.stats.items()}}
    return outcome


def _all_finite(outcome: CheckOutcome) -> bool:
    numbers = [outcome.max_error] + list(outcome.stats.values())
    try:
        return all(np.all(np.isfinite(np.asarray(x, dtype=float))) for x in numbers if x is not None)
    except (TypeError, ValueError):  # a non-numeric statistic (a label) says nothing
        return True


def failing_instance(exc: BaseException, run) -> dict:
    """The numbers in scope where ``run`` (or the deepest frame of its module) raised."""
    module = getattr(run, "__module__", None)
    frame = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == module:
            frame = tb.tb_frame
        tb = tb.tb_next
    if frame is None:
        return {}
    shown = {}
    for name, value in frame.f_locals.items():
        if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
            shown[name] = readable(value)
        elif isinstance(value, np.ndarray) and value.dtype != object and value.size <= 64:
            shown[name] = readable(value)
    return shown


def check_result(result: Result, registry, settings: CheckSettings = CheckSettings(), *,
                 claim_checker: Callable = check_claim, stop_at_refutation: bool = False) -> ResultReport:
    """Check every claim's proof and run every numeric check of ``result``.

    ``claim_checker`` stands in for :func:`check_claim` (the self-test reuses the verdicts of
    claims a mutant leaves alone). With ``stop_at_refutation`` the remaining claims and the
    numeric checks are skipped once a claim or a check is refuted: the status is ``refuted``
    either way.
    """
    watch = Stopwatch()
    claims = []
    for i, _ in enumerate(result.claims):
        ctx = ProofContext(result, registry, i)
        name = result.claims[i].name
        try:
            more = {"shrink": True} if settings.shrink else {}
            claims.append(claim_checker(ctx, seed=settings.seed, trials=settings.trials, timeout=settings.timeout,
                                        **more))
        except StepTimeout:
            claims.append(ClaimReport(name, TIMEOUT, "numeric-only"))
        except ResultDefinitionError:
            raise  # bad input: exit 2 with its message
        except (Exception, SystemExit) as exc:  # an internal failure is this result's error, not a lost run
            detail = f"internal error while checking: {type(exc).__name__}: {exc}"
            claims.append(ClaimReport(name, ERROR, "numeric-only",
                                      [StepReport(name, 0, "checking the claim", result.claims[i].relation,
                                                  ERROR, "numeric-only", detail=detail,
                                                  source=result.claims[i].source)]))
        if stop_at_refutation and claims[-1].status == REFUTED:
            break
    symbolic_seconds = watch.seconds()
    watch = Stopwatch()
    refuted = stop_at_refutation and any(c.status == REFUTED for c in claims)
    numeric = []
    with np.errstate(**RAISE_ON_GARBAGE):
        for check in result.numeric_checks:
            if refuted:
                break
            numeric.append(run_numeric_check(check, result, settings))
            refuted = stop_at_refutation and numeric[-1].status == REFUTED
    report = ResultReport(result, "", _symbolic_status(claims), _method(claims), claims, numeric,
                          symbolic_seconds, watch.seconds())
    report.status = _overall(report)
    if report.status in (REFUTED, TIMEOUT, ERROR):
        report.method = NO_METHOD
    return report


def _overall(report: ResultReport) -> str:
    sym, num = report.symbolic_status, report.numeric_status
    if REFUTED in (sym, num):
        return REFUTED
    if ERROR in (sym, num):
        return ERROR
    if TIMEOUT in (sym, num):
        return TIMEOUT
    if sym == PROVED and num == PASSED:
        return VERIFIED
    return UNPROVED


def check_all(results, registry, settings: CheckSettings = CheckSettings(),
              progress: Optional[Callable] = None, stop: Optional[Callable] = None,
              jobs: int = 1) -> list[ResultReport]:
    """Check ``results`` in order; ``progress(i, n, result)`` is called before each, and the run
    ends early after a report for which ``stop(report)`` is true.

    A result is ``verified`` only if every result it depends on (transitively) is: those not
    selected are checked too (quietly), and a verified result with a dependency that is not
    becomes ``unproved``, naming it. With ``jobs > 1`` (and no ``stop``) the results are
    checked on that many forked processes; each check is the same, so are the reports.
    """
    reports, known, ahead = [], {}, {}
    jobs = processes_used(jobs, results, stop)
    if jobs > 1:
        from .parallel import check_in_parallel

        ahead = check_in_parallel(check_result, _needed(results, registry), registry, settings, jobs, progress)
    for i, r in enumerate(results):
        if progress and jobs == 1:
            progress(i, len(results), r)
        report = _checked(r, registry, settings, known, ahead)
        reports.append(report)
        if stop is not None and stop(report):
            break
    return reports


def processes_used(jobs: int, results, stop=None) -> int:
    """The processes :func:`check_all` runs on: ``jobs``, or one with ``stop`` or one result.

    >>> processes_used(2, ['R1', 'R2']), processes_used(2, ['R1']), processes_used(2, ['R1', 'R2'], stop=bool)
    (2, 1, 1)
    """
    return jobs if jobs > 1 and stop is None and len(results) > 1 else 1


def _needed(results, registry) -> list:
    """``results`` and everything they depend on, each once, dependencies first."""
    order, seen = [], set()

    def visit(r):
        if r.id in seen:
            return
        seen.add(r.id)
        for d in r.depends_on:
            if d in registry:
                visit(registry.get(d))
        order.append(r)
    for r in results:
        visit(r)
    return order


def checked_report(result: Result, registry, settings: CheckSettings, known: dict) -> ResultReport:
    """The report of ``result`` as :func:`check_all` makes it (its dependencies checked first,
    a dependency that is not verified making it ``unproved``), reusing the reports in ``known``
    (result id → report) and adding the new ones there.

    >>> from iclkd.paper import load_paper
    >>> reg, known = load_paper('brewing').registry(), {}
    >>> str(checked_report(reg.get('R1'), reg, CheckSettings(trials=1), known).status), sorted(known)
    ('verified', ['R1'])
    """
    return _checked(result, registry, settings, known)


def _checked(result, registry, settings, known: dict, ahead=None) -> ResultReport:
    """``known`` maps ids to final reports; ``ahead`` to reports checked ahead (in parallel)
    whose dependencies have not been looked at yet."""
    if result.id in known:
        return known[result.id]
    known[result.id] = None  # a cycle is refused by the registry; this only guards the recursion
    deps = [_checked(registry.get(d), registry, settings, known, ahead) for d in result.depends_on if d in registry]
    report = (ahead or {}).pop(result.id, None) or check_result(result, registry, settings)
    failing = [d for d in deps if d is not None and d.status != VERIFIED]
    if failing and report.status == VERIFIED:
        report.status = UNPROVED
        report.dependency_problem = (f"{result.id} depends on " + ", ".join(f"{d.result.id} ({d.status})" for d in failing)
                                     + ": a result is verified only if what it uses is")
    known[result.id] = report
    return report


def summary(reports: list[ResultReport]) -> dict:
    counts = {s: sum(r.status == s for r in reports) for s in STATUSES}
    return {"total": len(reports), **counts, "all_verified": counts[VERIFIED] == len(reports),
            "seconds": round(sum(r.seconds for r in reports), 3)}
