"""Running the checker on mutants: classify each as equivalent, invalid, killed or survived.

Cheapest killer first: a mutant the checker's own numbers refute on its own instances
(:mod:`.cheap`) is killed without the SymPy work of the full checker, and equivalence
detection tries only the reasons that numbers do not rule out (:mod:`.witness`): none, for
most mutants. The rest go on to the full checker as before (``SelfTest(..., fast=False)``:
every mutant goes the long way, all of equivalence detection then the checker). The verdicts
are the same either way (``benchmarks/selftest_agreement.py`` measures it).

A mutant is *killed* when ``check_result`` does not return ``verified`` (refuted, error,
unproved and timeout all count); ``killed_by`` names what caught it: the first failing step
(or the chain's end), else the first failing numeric check, else the status. Claims a
mutant cannot affect keep the original's verdicts, and once a claim is refuted the rest
is skipped (the status is ``refuted`` either way), so a run costs what the mutant changes.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import random
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

import sympy as sp

from ..check import CheckSettings, ResultReport, check_result
from ..errors import ResultDefinitionError
from ..symbolic.checker import check_claim
from ..symbolic.result import Result
from ..symbolic.timing import Stopwatch
from .cheap import Banks, claims_to_check, refuting_step
from .equivalence import STRUCTURAL, mutant_equivalence
from .mutations import Mutant, mutants
from .witness import REASONS, ruled_out

from ..status import EQUIVALENT, INVALID, KILLED, REFUTED, SURVIVED, VERIFIED  # noqa: F401  (re-exported)


@dataclass
class Outcome:
    """What happened to one mutant."""

    mutant: Mutant
    verdict: str
    status: str = ""          # the checker's status for the mutant (killed or survived)
    killed_by: str = ""
    reason: str = ""          # why equivalent or invalid
    seconds: float = 0.0
    stage: str = ""           # what decided it: one of STAGES (not in the JSON)
    stage_seconds: dict = field(default_factory=dict)  # seconds spent in each stage tried

    def as_json(self) -> dict:
        m = self.mutant
        return {"result": m.result_id, "claim": m.claim, "operator": m.operator, "where": m.where,
                "mutant": _text(m.mutated), "verdict": self.verdict,
                "status": self.status or self.verdict, "killed_by": self.killed_by or None,
                "reason": self.reason or None, "seconds": round(self.seconds, 4)}


STAGES = ("invalid", "structural", "numeric", "equivalence", "checker")


def _text(expr) -> str:
    return "" if expr is None else str(expr)


@dataclass
class ResultSummary:
    """One result's mutants and outcomes; ``baseline`` is the unmutated result's status."""

    result: Result
    baseline: str
    outcomes: list = field(default_factory=list)
    generated: int = 0
    seconds: float = 0.0

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)

    @property
    def kill_rate(self) -> Optional[float]:
        return kill_rate(self.count(KILLED), self.count(SURVIVED))


def kill_rate(killed: int, survived: int) -> Optional[float]:
    return killed / (killed + survived) if killed + survived else None


def killed_by(report: ResultReport) -> str:
    """The first thing that failed: a step, the chain's end, a numeric check, or the status."""
    rid = report.result.id
    for c in report.claims:
        bad = c.first_failure
        if bad is not None:
            where = "chain end" if bad.index == 0 else f"step {bad.index} ({bad.rule})"
            return f"{rid}{c.claim} {where}: {bad.status}"
    for n in report.numeric:
        if not n.ok:
            return f"numeric check {n.name}: {n.status}"
    return f"status {report.status}"


def sample(items: list, cap: Optional[int], seed: int, salt: str) -> list:
    """At most ``cap`` of ``items``, the same ones for the same seed (order kept).

    >>> sample(list(range(10)), 3, 0, 'R1') == sample(list(range(10)), 3, 0, 'R1')
    True
    """
    if cap is None or len(items) <= cap:
        return list(items)
    rng = random.Random(zlib.crc32(f"{seed}|{salt}".encode()))
    keep = sorted(rng.sample(range(len(items)), cap))
    return [items[i] for i in keep]


class SelfTest:
    """Mutation testing of the checker over results of one registry."""

    def __init__(self, registry, settings: CheckSettings = CheckSettings(), *, cap: Optional[int] = None,
                 sample_seed: int = 0, fast: bool = True):
        self.registry = registry
        self.settings = settings
        self.cap = cap
        self.sample_seed = sample_seed
        self.fast = fast  # cheapest killer first; False: equivalence and the full checker for every mutant
        self._banks = Banks(settings)  # instances shared by the numeric stage of every mutant

    def mutants_of(self, result: Result) -> tuple[list, int]:
        """The (sampled) mutants of ``result`` and how many were generated in all."""
        every = mutants(result)
        return sample(every, self.cap, self.sample_seed, result.id), len(every)

    def baseline(self, result: Result) -> ResultReport:
        return check_result(result, self.registry, self.settings)

    def run(self, results, jobs: int = 1, progress: Optional[Callable] = None) -> list[ResultSummary]:
        """Self-test ``results``: baselines first, then every mutant (on ``jobs`` processes).

        A result whose baseline is not ``verified`` has no mutants run: nothing could be
        learnt from them. ``progress(done, total, outcome)`` is called after each mutant.
        """
        plans = []
        for r in results:
            watch = Stopwatch()
            base = self.baseline(r)
            chosen, generated = self.mutants_of(r)
            plans.append((ResultSummary(r, base.status, generated=generated, seconds=watch.seconds()), base,
                          chosen if base.status == VERIFIED else []))
        tasks = [(p, i) for p, (_, _, chosen) in enumerate(plans) for i in range(len(chosen))]
        found = {}
        for done, (task, outcome) in enumerate(self._outcomes(plans, tasks, jobs), start=1):
            found[task] = outcome
            plans[task[0]][0].seconds += outcome.seconds
            if progress:
                progress(done, len(tasks), outcome)
        for p, (summary, _, chosen) in enumerate(plans):
            summary.outcomes = [found[(p, i)] for i in range(len(chosen))]
        return [summary for summary, _, _ in plans]

    def _outcomes(self, plans, tasks, jobs):
        if jobs <= 1 or len(tasks) < 2:
            for p, i in tasks:
                yield (p, i), self.run_mutant(plans[p][2][i], plans[p][1])
            return
        global _STATE
        _STATE = (self, plans)
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for (p, i), fields in pool.imap_unordered(_work, tasks):
                yield (p, i), Outcome(plans[p][2][i], **fields)
        _STATE = None

    def run_result(self, result: Result) -> ResultSummary:
        return self.run([result])[0]

    def run_mutant(self, m: Mutant, base: ResultReport) -> Outcome:
        """Classify one mutant: invalid; then (fast) structural, numeric refutation and the
        equivalence reasons numbers rule out; then equivalence detection (of the reasons left)
        and, unless the numbers refuted it, the full checker.

        >>> from iclkd.paper import load_paper
        >>> reg = load_paper('brewing').registry()
        >>> st = SelfTest(reg)
        >>> m = next(m for m in st.mutants_of(reg.get('R5'))[0] if m.result is not None)
        >>> out = st.run_mutant(m, st.baseline(reg.get('R5')))
        >>> str(out.verdict), out.stage
        ('killed', 'numeric')
        """
        times: dict = {}
        if m.result is None:
            return self._done(Outcome(m, INVALID, reason=m.invalid_reason, stage="invalid"), times)
        caught, shown = None, frozenset()
        if self.fast:
            with _timed(times, "structural"):
                if isinstance(m.mutated, sp.Basic) and m.mutated == m.original:
                    return self._done(Outcome(m, EQUIVALENT, reason=STRUCTURAL, stage="structural"), times)
            with _timed(times, "numeric"):
                caught = refuting_step(m, self.registry, self.settings, self._banks)
                shown = ruled_out(m, self.registry, self.settings, self._banks)
        if shown != REASONS:
            with _timed(times, "equivalence"):
                reason = mutant_equivalence(m, self.registry, ruled_out=shown)
            if reason:
                return self._done(Outcome(m, EQUIVALENT, reason=reason, stage="equivalence"), times)
        if caught:
            killer, status = caught
            return self._done(Outcome(m, KILLED, status=status, killed_by=killer, stage="numeric"), times)
        with _timed(times, "checker"):
            out = self._check(m, base)
        out.stage = "checker"
        return self._done(out, times)

    @staticmethod
    def _done(out: Outcome, times: dict) -> Outcome:
        out.stage_seconds = times
        out.seconds = sum(times.values())
        return out

    def _check(self, m: Mutant, base: ResultReport) -> Outcome:
        try:
            to_check = claims_to_check(m, self.registry) if self.fast else m.claims_to_check
            report = check_result(m.result, self.registry, self.settings,
                                  claim_checker=_reusing(base, to_check), stop_at_refutation=True)
        except ResultDefinitionError as exc:
            return Outcome(m, KILLED, status="error", killed_by=f"definition check: {exc}")
        except Exception as exc:  # the engine must not crash on a mutant: listed as such
            return Outcome(m, KILLED, status="crash", killed_by=f"engine crashed: {type(exc).__name__}: {exc}")
        if report.status == VERIFIED:
            return Outcome(m, SURVIVED, status=report.status)
        return Outcome(m, KILLED, status=report.status, killed_by=killed_by(report))


_STATE = None  # (SelfTest, plans) shared with forked workers


def _work(task):
    """In a worker: run one mutant; return only plain fields (the parent has the mutant)."""
    st, plans = _STATE
    p, i = task
    o = st.run_mutant(plans[p][2][i], plans[p][1])
    return task, {"verdict": o.verdict, "status": o.status, "killed_by": o.killed_by, "reason": o.reason,
                  "seconds": o.seconds, "stage": o.stage, "stage_seconds": o.stage_seconds}


@contextlib.contextmanager
def _timed(times: dict, stage: str):
    watch = Stopwatch()
    try:
        yield
    finally:
        times[stage] = times.get(stage, 0.0) + watch.seconds()


def _reusing(base: ResultReport, to_check):
    """A claim checker that re-checks only ``to_check`` and reuses the baseline elsewhere."""
    def checker(ctx, *, seed, trials, timeout):
        if to_check is not None and ctx.claim_index not in to_check and ctx.claim_index < len(base.claims):
            return base.claims[ctx.claim_index]
        return check_claim(ctx, seed=seed, trials=trials, timeout=timeout)
    return checker
