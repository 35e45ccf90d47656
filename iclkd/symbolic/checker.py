"""Checking proof chains step by step.

For each step the rule decides the symbolic side (at symbolic dimensions, falling back
to exact evaluation at explicit sizes where the rule allows it), and the numeric layer
evaluates the step on random instances. A numeric disagreement refutes a step whatever
SymPy said; an undecided or timed-out symbolic check is never read as proved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..errors import ResultDefinitionError, StepTimeout
from ..numeric_checks.steps import (InstanceBank, check_equal_exactly,
                                    check_equivalence_numerically, check_relation_numerically)
from .algebra import canonical_bound_names, is_zero
from .context import ProofContext
from .rules import EXPLICIT, SYMBOLIC
from .timing import Stopwatch, time_limit
from .witness import CONFIRMED, REFUTED as WITNESS_REFUTED, cited_evidence, confirm_derivative

from ..status import CITED, ERROR, PROVED, REFUTED, TIMEOUT, UNDECIDED  # noqa: F401  (re-exported)


@dataclass
class StepReport:
    """The verdict on one step (index 0 is the check that the chain ends at the statement)."""

    claim: str
    index: int
    rule: str
    relation: str
    status: str
    method: str
    cited: bool = False
    reference: str = ""
    detail: str = ""
    numeric_trials: int = 0
    numeric_max_error: float = 0.0
    counterexample: Optional[dict] = None
    seconds: float = 0.0
    source: Optional[object] = None  # the Source of the step (of the claim, for index 0)

    def as_json(self) -> dict:
        return {"claim": self.claim, "index": self.index, "rule": self.rule, "relation": self.relation,
                "status": self.status, "method": self.method, "cited": self.cited,
                "reference": self.reference, "detail": self.detail,
                "numeric_trials": self.numeric_trials, "numeric_max_error": self.numeric_max_error,
                "counterexample": self.counterexample, "seconds": round(self.seconds, 4),
                "source": self.source.as_json() if self.source else None}


@dataclass
class ClaimReport:
    claim: str
    status: str
    method: str
    steps: list = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # sizes and instance counts (InstanceBank.evidence)
    bank: Optional[InstanceBank] = field(default=None, repr=False, compare=False)  # the instances used

    @property
    def first_failure(self) -> Optional[StepReport]:
        return next((s for s in self.steps if s.status not in (PROVED, CITED)), None)


def _relation_ok(claim_relation: str, steps) -> Optional[str]:
    relations = [s.relation for s in steps]
    if claim_relation == "=" and any(r != "=" for r in relations):
        return "an equality proved through an inequality step"
    if claim_relation == "<" and "<" not in relations:
        return "a strict inequality needs a strict step"
    if claim_relation == "iff" and any(r != "iff" for r in relations):
        return "an equivalence proved through a non-equivalence step"
    if claim_relation in ("<=", "<") and any(r not in ("=", "<=", "<") for r in relations):
        return "an inequality chain with a step of another kind"
    return None


def check_claim(ctx: ProofContext, *, seed: int, trials: int, timeout: float, shrink: bool = False) -> ClaimReport:
    """Check one claim's chain; returns every step's verdict (stops at a refuting step). With
    ``shrink`` a refuting step's counterexample is shrunk and gains a replay token and SymPy's
    answer (:func:`~iclkd.symbolic.explain.explain_refutation`)."""
    report = _check_chain(ctx, seed=seed, trials=trials, timeout=timeout)
    bank, report.bank = report.bank, None  # the instances are not kept past the claim
    refuted = next((r for r in report.steps if r.status == REFUTED), None)
    if shrink and refuted is not None:
        from .explain import explain_refutation

        try:
            explain_refutation(refuted, ctx, bank)
        except (Exception, StepTimeout) as exc:  # the explanation never changes the verdict; its failure shows
            refuted.counterexample = {**(refuted.counterexample or {}),
                                      "shrink_error": f"{type(exc).__name__}: {exc}"}
    return report


def claim_expressions(claim) -> list:
    """Every expression a claim's instances must give values to (both sides of an equivalence)."""
    exprs = [claim.lhs, claim.rhs] + [s.expr for s in claim.proof]
    if claim.relation == "iff":
        exprs = [side for e in exprs for side in (e.lhs, e.rhs)]
    return exprs


def _check_chain(ctx: ProofContext, *, seed: int, trials: int, timeout: float) -> ClaimReport:
    claim = ctx.claim
    problem = _relation_ok(claim.relation, claim.proof) if claim.proof else None
    if problem:
        raise ResultDefinitionError(f"{ctx.result.id}{claim.name}: {problem}")
    bank = InstanceBank(claim_expressions(claim), ctx, seed=seed, trials=trials)
    if not claim.proof:
        status, method, reports = _check_unproved_statement(claim, bank, timeout)
        reports[0].source = claim.source
        return ClaimReport(claim.name, status, method, reports, evidence=bank.evidence(), bank=bank)
    reports = []
    prev = claim.lhs
    for i, step in enumerate(claim.proof, start=1):
        rep = check_step(prev, step, ctx, bank, i, timeout)
        rep.source = step.source
        reports.append(rep)
        if rep.status in (REFUTED, ERROR):
            break
        prev = step.expr
    else:
        reports.append(_check_end(prev, claim, ctx, timeout, bank))
        reports[-1].source = claim.source
    return ClaimReport(claim.name, _combine([r.status for r in reports]), _method(reports), reports,
                       bank.evidence(), bank=bank)


def _check_unproved_statement(claim, bank, timeout) -> tuple:
    """A claim without proof steps still meets numbers: refuted if they (or exact evaluation)
    contradict it, else undecided; ``(status, method, [report])``."""
    watch = Stopwatch()
    rep = StepReport(claim.name, 0, "no proof", claim.relation, UNDECIDED, "numeric-only",
                     detail="the claim has no proof steps")
    try:
        with time_limit(timeout):
            numbers = (check_equivalence_numerically(claim.lhs, claim.rhs, bank) if claim.relation == "iff"
                       else check_relation_numerically(claim.lhs, claim.rhs, claim.relation, bank, extra=True))
            exact = (check_equal_exactly(claim.lhs, claim.rhs, bank, claim.relation)
                     if numbers.status == "passed" and claim.relation != "iff" else None)
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, f"the claim has no proof steps; its numeric check exceeded {timeout:g} s"
        rep.seconds = watch.seconds()
        return TIMEOUT, "numeric-only", [rep]
    rep.numeric_trials, rep.numeric_max_error = numbers.trials, numbers.max_error
    if numbers.status != "passed":
        rep.status = REFUTED if numbers.status == "refuted" else ERROR
        rep.detail, rep.counterexample = "the claim has no proof steps; numeric check: " + numbers.detail, numbers.counterexample
        rep.method = "numeric"
    elif exact is not None and exact.same is False:
        rep.status, rep.method, rep.counterexample = REFUTED, EXPLICIT, exact.counterexample
        rep.detail = "the claim has no proof steps; exact evaluation differs: " + exact.detail
    else:
        rep.detail = f"the claim has no proof steps; it held on {numbers.trials} random instances"
    rep.seconds = watch.seconds()
    return rep.status, "numeric-only", [rep]


def _check_end(last, claim, ctx, timeout, bank) -> StepReport:
    """The chain must end at the statement's right side: symbolically, or else it fails."""
    watch = Stopwatch()
    rep = StepReport(claim.name, 0, "chain ends at the statement", "=", PROVED, SYMBOLIC)
    same = True if last == claim.rhs or canonical_bound_names(last) == canonical_bound_names(claim.rhs) else None
    if same is None:
        try:
            with time_limit(timeout):
                if claim.relation == "iff":
                    same = bool(is_zero(last.lhs - claim.rhs.lhs) and is_zero(last.rhs - claim.rhs.rhs)) or None
                else:
                    same = is_zero(last - claim.rhs)
        except StepTimeout:
            rep.status, rep.detail = TIMEOUT, "timed out comparing the chain's end with the statement"
            return rep
    if same is not True:
        rep.detail = f"the chain ends at {last}, but the statement's right side is {claim.rhs}"
        rep.status = REFUTED if same is False else UNDECIDED
        if claim.relation != "iff":
            try:
                with time_limit(timeout):
                    numbers = check_relation_numerically(last, claim.rhs, "=", bank)
            except StepTimeout:
                rep.detail += f"; numeric comparison exceeded {timeout:g} s"
                rep.seconds = watch.seconds()
                return rep
            if numbers.status == "refuted":
                rep.status, rep.counterexample = REFUTED, numbers.counterexample
                rep.detail += "; numerically they differ: " + numbers.detail
    rep.seconds = watch.seconds()
    return rep


def check_step(prev, step, ctx, bank, index, timeout) -> StepReport:
    """One step: symbolic decision (with fallback), then numbers; numbers can refute."""
    watch = Stopwatch()
    rule = step.rule
    rep = StepReport(ctx.claim.name, index, rule.describe(), step.relation, UNDECIDED, SYMBOLIC,
                     cited=rule.cited, reference=getattr(rule, "reference", ""))
    try:
        with time_limit(timeout):
            numbers = (check_equivalence_numerically(prev, step.expr, bank) if step.relation == "iff"
                       else check_relation_numerically(prev, step.expr, step.relation, bank, extra=rule.cited))
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, f"numeric check exceeded {timeout:g} s"
        rep.seconds = watch.seconds()
        return rep
    rep.numeric_trials, rep.numeric_max_error = numbers.trials, numbers.max_error
    if numbers.status == "refuted":
        rep.status, rep.detail, rep.counterexample = REFUTED, "numeric check: " + numbers.detail, numbers.counterexample
        rep.method = "numeric"
    elif numbers.status == "error":
        rep.status, rep.detail, rep.counterexample = ERROR, "numeric check: " + numbers.detail, numbers.counterexample
    elif rule.cited and step.relation not in rule.relations:
        rep.status = UNDECIDED
        rep.detail = (f"the cited theorem gives {' or '.join(rule.relations)}, not '{step.relation}'"
                      " (a strict step needs a strict theorem)")
    elif rule.cited:
        mismatch = _citation_mismatch(prev, step.expr, rule, timeout, ctx)
        if mismatch:
            rep.status, rep.detail = UNDECIDED, mismatch
        elif step.relation == "iff":
            rep.status, rep.method = CITED, "cited"
        else:  # the numbers count only if they can resolve the step (exactly, or without cancellation)
            _weigh_citation(prev, step, bank, timeout, rep)
    else:
        _decide_symbolically(prev, step, ctx, bank, timeout, rep)
        if rep.status == UNDECIDED and step.relation != "iff":
            _search_counterexample(prev, step, bank, timeout, rep)
    rep.seconds = watch.seconds()
    return rep


def _search_counterexample(prev, step, bank, timeout, rep: StepReport) -> None:
    """An undecided step meets the extra draws a cited one gets: a step false on part of its
    domain (``|x − y| = x − y``) is then refuted instead of left unproved."""
    try:
        with time_limit(timeout):
            numbers = check_relation_numerically(prev, step.expr, step.relation, bank, extra_only=True)
    except StepTimeout:
        return
    rep.numeric_trials += numbers.trials
    rep.numeric_max_error = max(rep.numeric_max_error, numbers.max_error)
    if numbers.status == "refuted":
        rep.status, rep.method, rep.counterexample = REFUTED, "numeric", numbers.counterexample
        rep.detail = _joined(rep.detail, "numeric check on more draws: " + numbers.detail)


def _citation_mismatch(prev, nxt, rule, timeout, ctx=None) -> str:
    """Why the step is not the cited theorem's stated instance ('' when it is, or none is stated);
    a rule that knows its own instance (a library entry resting on a citation) says so itself."""
    own = getattr(rule, "citation_mismatch", None)
    if own is not None:
        try:
            with time_limit(timeout):
                return own(prev, nxt, ctx)
        except StepTimeout:
            return f"could not match the step with the cited identity within {timeout:g} s"
    if not rule.instance:
        return ""
    for side, got, stated in (("left", prev, rule.instance[0]), ("right", nxt, rule.instance[1])):
        if got == stated:
            continue
        try:
            with time_limit(timeout):
                same = is_zero(got - stated)
        except StepTimeout:
            return f"could not compare the {side} side with the cited instance within {timeout:g} s"
        except (TypeError, ValueError) as exc:  # e.g. shapes that do not match
            same = False if "shape" in str(exc).lower() else None
        if same is not True:
            return (f"not the cited theorem as stated: its {side} side is {stated}, the step has {got}"
                    + ("" if same is False else " (SymPy could not show them equal)"))
    return ""


def _decide_symbolically(prev, step, ctx, bank, timeout, rep: StepReport) -> None:
    relations = getattr(step.rule, "relations", ("=", "<=", "iff"))
    if step.relation not in relations:
        rep.status = UNDECIDED
        rep.detail = (f"the rule '{step.rule.describe()}' establishes {' or '.join(relations)}, "
                      f"not '{step.relation}'" + (" (a strict step needs a strict rule, e.g. Bound(strict=True))"
                                                  if step.relation == "<" else ""))
        return
    try:
        with time_limit(timeout):
            decision = step.rule.symbolic(prev, step.expr, ctx)
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, f"symbolic check exceeded {timeout:g} s"
        return
    except ResultDefinitionError:
        raise
    except Exception as exc:  # SymPy raises many kinds on unsupported input
        decision = None
        rep.detail = f"SymPy failed: {type(exc).__name__}: {exc}"
    witnessed = getattr(step.rule, "confirm_by_entries", False)  # SymPy's calculus: a witness, not a proof
    if decision is not None and decision.equal is True and not witnessed:
        rep.status = PROVED
        return
    if decision is not None and decision.equal is not True:
        rep.detail = decision.detail or ("SymPy could not decide the step" if decision.equal is None
                                         else "the two sides differ symbolically")
        if decision.equal is False and not witnessed:
            rep.status = REFUTED
            return
        if not witnessed and (not decision.explicit_fallback or step.relation != "="):
            rep.status = UNDECIDED
            return
    if witnessed and step.relation != "=":
        rep.status = UNDECIDED
        rep.detail = _joined(rep.detail, f"a derivative is confirmed for '=' only, not '{step.relation}'")
        return
    if witnessed:
        _confirm_by_entries(prev, step, ctx, bank, timeout, rep, decision is not None and decision.equal is True)
        return
    try:
        with time_limit(timeout):
            exact = check_equal_exactly(prev, step.expr, bank)
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, _joined(rep.detail, f"exact check exceeded {timeout:g} s")
        return
    if exact.same is True and exact.proves:
        rep.status, rep.method = PROVED, EXPLICIT
        rep.detail = _joined(rep.detail, "proved at explicit sizes by exact evaluation: " + exact.detail)
    elif exact.same is False:
        rep.status, rep.method, rep.counterexample = REFUTED, EXPLICIT, exact.counterexample
        rep.detail = _joined(rep.detail, "exact evaluation at explicit sizes differs: " + exact.detail)
    else:  # unavailable, or agreement that is evidence only (not rational in the values)
        rep.status, rep.detail = UNDECIDED, _joined(rep.detail, exact.detail)


def _joined(detail: str, more: str) -> str:
    return f"{detail}; {more}" if detail else more


def _confirm_by_entries(prev, step, ctx, bank, timeout, rep: StepReport, sympy_agreed: bool) -> None:
    """A derivative step: proved only once exact entrywise differentiation confirms it."""
    try:
        with time_limit(timeout):
            witness = confirm_derivative(prev, step.expr, ctx, bank, timeout)
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, _joined(rep.detail, f"entrywise confirmation exceeded {timeout:g} s")
        return
    rep.detail = _joined(rep.detail, witness.detail)
    if witness.status == CONFIRMED:
        rep.status = PROVED  # symbolic sizes only if SymPy's answer there is confirmed identically
        rep.method = SYMBOLIC if sympy_agreed and witness.identically else EXPLICIT
    elif witness.status == WITNESS_REFUTED:
        rep.status, rep.method, rep.counterexample = REFUTED, EXPLICIT, witness.counterexample
    else:
        rep.status = UNDECIDED


def _weigh_citation(prev, step, bank, timeout, rep: StepReport) -> None:
    """A cited step is accepted only on numbers that can resolve it (see :func:`cited_evidence`)."""
    try:
        with time_limit(timeout):
            evidence = cited_evidence(prev, step.expr, step.relation, bank, timeout)
    except StepTimeout:
        rep.status, rep.detail = TIMEOUT, f"checking the cited step's numbers exceeded {timeout:g} s"
        return
    rep.detail = evidence.detail
    if evidence.status == CONFIRMED:
        rep.status, rep.method = CITED, "cited"
    elif evidence.status == WITNESS_REFUTED:
        rep.status, rep.method, rep.counterexample = REFUTED, EXPLICIT, evidence.counterexample
    else:
        rep.status = UNDECIDED


def _combine(statuses) -> str:
    for s in (REFUTED, ERROR, TIMEOUT, UNDECIDED):
        if s in statuses:
            return s
    return PROVED


def _method(reports) -> str:
    methods = {r.method for r in reports if r.status in (PROVED,)}
    if any(r.status == UNDECIDED for r in reports):
        return "numeric-only"
    return EXPLICIT if EXPLICIT in methods else SYMBOLIC
