"""Checking results: proofs plus numeric checks, folded into one status per result.

Statuses: ``verified`` (every claim proved, every numeric check passed), ``refuted``
(a failing step or a counterexample), ``unproved`` (numbers agree, no complete proof),
``timeout``, ``error``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from .errors import ResultDefinitionError, StepTimeout
from .numeric_checks.report import ERROR, PASSED, REFUTED, TIMEOUT, CheckOutcome
from .numeric_checks.steps import derived_seed
from .symbolic.checker import CITED, PROVED, UNDECIDED, ClaimReport, check_claim
from .symbolic.context import ProofContext
from .symbolic.result import Result
from .symbolic.timing import Stopwatch, time_limit

VERIFIED, UNPROVED = "verified", "unproved"
STATUSES = (VERIFIED, REFUTED, UNPROVED, TIMEOUT, ERROR)


@dataclass
class CheckSettings:
    """Knobs of a run; the defaults are what ``iclkd check`` uses."""

    seed: int = 0
    trials: int = 4
    timeout: float = 20.0


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
                label = "chain end" if bad.index == 0 else f"step {bad.index} ({bad.rule})"
                return f"{self.result.id}{c.claim} {label}: {bad.status}: {bad.detail}"
        for n in self.numeric:
            if not n.ok:
                return f"{self.result.id} numeric check {n.name}: {n.status}: {n.detail}"
        return ""

    @property
    def seconds(self) -> float:
        return self.symbolic_seconds + self.numeric_seconds

    def as_json(self) -> dict:
        r = self.result
        return {
            "id": r.id, "label": r.label, "title": r.title, "status": self.status,
            "depends_on": list(r.depends_on),
            "symbolic": {"status": self.symbolic_status, "method": self.method,
                         "steps": [s.as_json() for s in self.steps],
                         "cited_steps": [f"{r.id}{s.claim} step {s.index}: {s.rule}" for s in self.steps if s.cited],
                         "seconds": round(self.symbolic_seconds, 4)},
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


def _method(claims: list[ClaimReport]) -> str:
    methods = {c.method for c in claims}
    for m in ("numeric-only", "explicit-size"):
        if m in methods:
            return m
    return "symbolic-dims"


def run_numeric_check(check, result: Result, settings: CheckSettings) -> CheckOutcome:
    """Run one result-specific numeric check under the time limit; never pass on garbage."""
    rng = np.random.default_rng(derived_seed(settings.seed, result.id, check.name))
    watch = Stopwatch()
    try:
        with time_limit(settings.timeout):
            outcome = check.run(result, rng, settings.trials)
    except StepTimeout:
        return CheckOutcome(check.name, TIMEOUT, detail=f"exceeded {settings.timeout:g} s", seconds=watch.seconds())
    except (FloatingPointError, np.linalg.LinAlgError, ValueError, ArithmeticError) as exc:
        return CheckOutcome(check.name, ERROR, detail=f"{type(exc).__name__}: {exc}", seconds=watch.seconds())
    outcome.seconds = watch.seconds()
    return outcome


def check_result(result: Result, registry, settings: CheckSettings = CheckSettings()) -> ResultReport:
    """Check every claim's proof and run every numeric check of ``result``."""
    watch = Stopwatch()
    claims = []
    for i, _ in enumerate(result.claims):
        ctx = ProofContext(result, registry, i)
        try:
            claims.append(check_claim(ctx, seed=settings.seed, trials=settings.trials, timeout=settings.timeout))
        except StepTimeout:
            claims.append(ClaimReport(result.claims[i].name, TIMEOUT, "numeric-only"))
    symbolic_seconds = watch.seconds()
    watch = Stopwatch()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        numeric = [run_numeric_check(c, result, settings) for c in result.numeric_checks]
    report = ResultReport(result, "", _symbolic_status(claims), _method(claims), claims, numeric,
                          symbolic_seconds, watch.seconds())
    report.status = _overall(report)
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
              progress: Optional[Callable] = None) -> list[ResultReport]:
    """Check ``results`` in order; ``progress(i, n, result)`` is called before each."""
    reports = []
    for i, r in enumerate(results):
        if progress:
            progress(i, len(results), r)
        reports.append(check_result(r, registry, settings))
    return reports


def summary(reports: list[ResultReport]) -> dict:
    counts = {s: sum(r.status == s for r in reports) for s in STATUSES}
    return {"total": len(reports), **counts, "all_verified": counts[VERIFIED] == len(reports),
            "seconds": round(sum(r.seconds for r in reports), 3)}
