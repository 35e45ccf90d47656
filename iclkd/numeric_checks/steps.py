"""Numeric cross-checks of proof steps and statements on random instances."""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Optional

import numpy as np
import sympy as sp

from .compare import compare_float, exact_difference_is_zero
from .evaluate import EvaluationError, Evaluator
from .domain import UnsampledDomain, domain_of
from .instances import Instance, dimension_symbols, make_instance, needed_definitions
from .sizes import needed_distinct, reaches, size_cycle
from .report import readable


def derived_seed(*parts) -> int:
    """A stable 32-bit seed from the run seed and names (same inputs, same seed).

    >>> derived_seed(0, 'R1', 'a') == derived_seed(0, 'R1', 'a')
    True
    """
    return zlib.crc32("|".join(map(str, parts)).encode())


@dataclass
class StepNumbers:
    """What evaluating one step on instances found."""

    status: str  # "passed", "refuted", "error"
    trials: int = 0
    max_error: float = 0.0
    detail: str = ""
    counterexample: Optional[dict] = None


HYPOTHESIS_DRAWS = 12
EXACT_INSTANCES = 2  # at least; more where a claim's degree in a size needs more distinct sizes
SMALLEST_SCALE = 1e-3  # instances that underflow or overflow are drawn again down to this scale
REDRAWS = 20  # draws of one instance that may miss a hypothesis about drawn symbols only
# Instances are built, and result-specific checks run, with overflow, NaN and division by zero
# raised: a definition that overflows on a draw is an instance that cannot be built (an error).
RAISE_ON_GARBAGE = {"over": "raise", "invalid": "raise", "divide": "raise"}
# Cited steps are checked by numbers only: they are evaluated on this many more instances.
EXTRA_DRAWS = 12


class InstanceBank:
    """Float and exact instances for one claim, drawn once and shared by all its steps.

    Draws stay inside the claim's stated domain (:mod:`.domain`); a draw that misses a
    hypothesis about drawn symbols only is drawn again (up to :data:`REDRAWS` times); sizes
    follow :func:`~iclkd.numeric_checks.sizes.size_cycle`.
    """

    def __init__(self, exprs, ctx, *, seed: int, trials: int):
        self._exprs = list(exprs)
        self._ctx = ctx
        self._seed = seed
        self._trials = trials
        self._float: Optional[list] = None
        self._error: Optional[Exception] = None
        self._relevant: Optional[list] = None
        self._extra: Optional[list] = None
        self._exact: Optional[list] = None
        self._plan = None

    def _sampling_plan(self):
        """``(domain, size cycles, number of exact instances)``, worked out once."""
        if self._plan is None:
            r = self._ctx.result
            defs = needed_definitions(self._exprs, self._ctx.sampling_definitions())
            exprs = self._exprs + [v for _, v in defs]
            matrix_valued = any(getattr(e, "is_Matrix", False) for e in self._exprs)
            dims = sorted(dimension_symbols(exprs), key=str)
            cycles = {d: size_cycle(d, r.sizes.get(d), exprs, matrix_valued, rank) for rank, d in enumerate(dims)}
            exact_count = max([EXACT_INSTANCES] + [min(len(c), needed_distinct(exprs, d)) for d, c in cycles.items()])
            try:
                domain = domain_of((*r.assumptions, *self._ctx.claim.given))
            except UnsampledDomain as exc:
                domain = exc
            self._plan = (domain, cycles, exact_count)
        return self._plan

    def draw_key(self) -> tuple:
        """Everything the bank's instances depend on: two banks with equal keys draw the same
        instances (the self-test shares one bank between mutants that agree on it).

        >>> x, y = sp.symbols('x y')
        >>> from iclkd import Claim, Result
        >>> from iclkd.symbolic.context import ProofContext
        >>> ctx = ProofContext(Result('T1', 'L', 't', claims=(Claim('', x + y, y + x),)), None, 0)
        >>> InstanceBank([x + y], ctx, seed=0, trials=4).draw_key() == InstanceBank([2*x*y], ctx, seed=0, trials=4).draw_key()
        True
        """
        _, cycles, exact_count = self._sampling_plan()
        r, claim, defs = self._ctx.result, self._ctx.claim, self._ctx.sampling_definitions()
        needed = needed_definitions(self._exprs, defs)
        symbols = set().union(*(e.free_symbols for e in self._exprs), *(v.free_symbols for _, v in needed),
                              {sym for sym, _ in needed})
        return (r.id, claim.name, self._seed, self._trials, tuple(needed), frozenset(symbols),
                tuple(sorted(cycles.items(), key=str)), exact_count, tuple(sym for sym, _ in defs),
                tuple((a.kind, a.statement) for a in (*r.assumptions, *claim.given)),
                tuple(sorted((str(k), tuple(v)) for k, v in r.sizes.items())),
                tuple(sorted((str(k), v.name, id(v.draw)) for k, v in r.samplers.items())))

    def _make(self, exact: bool, count: int, tag: str = "", exprs=None):
        tag = tag or ("exact" if exact else "float")
        return [self._make_one(exact, tag, k, exprs) for k in range(count)]

    def _make_one(self, exact: bool, tag: str, k: int, exprs=None, scale: float = 1.0, forced_sizes=None):
        """Instance ``k`` of ``tag``, drawn again (up to :data:`REDRAWS` times) while it misses a
        hypothesis about drawn symbols only."""
        r = self._ctx.result
        domain, cycles, _ = self._sampling_plan()
        if isinstance(domain, UnsampledDomain):
            raise InstanceError(str(domain))
        with np.errstate(**RAISE_ON_GARBAGE):
            for attempt in range(REDRAWS + 1):
                parts = (self._seed, r.id, self._ctx.claim.name, tag, k) + ((attempt,) if attempt else ())
                parts += (f"scale {scale:g}",) if scale != 1.0 else ()
                try:
                    inst = make_instance(self._exprs if exprs is None else exprs, seed=derived_seed(*parts),
                                         exact=exact, sizes=r.sizes, samplers=r.samplers,
                                         definitions=self._ctx.sampling_definitions(), domain=domain, index=k,
                                         size_cycles=cycles, scale=scale, forced_sizes=forced_sizes)
                except UnsampledDomain as exc:
                    raise InstanceError(str(exc)) from None
                missed = self._missed_domain_hypothesis(inst)
                if missed is None:
                    inst.origin, inst.scale = (tag, k), scale
                    return inst
        raise InstanceError(f"no draw satisfies the hypothesis {missed} ({REDRAWS + 1} attempts): "
                            "iclkd cannot sample this domain")

    @property
    def context(self):
        """The claim's :class:`~iclkd.symbolic.context.ProofContext`."""
        return self._ctx

    @property
    def expressions(self) -> list:
        """The expressions the bank's instances give values to."""
        return list(self._exprs)

    @property
    def seed(self) -> int:
        return self._seed

    def domain(self):
        """The claim's :class:`~.domain.Domain` (an :class:`~.domain.UnsampledDomain` if it has none)."""
        return self._sampling_plan()[0]

    def size_choices(self, dim) -> tuple:
        """The sizes ``dim`` may take: the result's declared sizes, else any of its size cycle and below."""
        declared = self._ctx.result.sizes.get(dim)
        if declared is not None:
            return tuple(sorted({int(v) for v in declared}))
        cycle = self._sampling_plan()[1].get(dim, (1,))
        return tuple(range(1, max(cycle) + 1))

    def draw_at(self, sizes: dict, exact: bool, k: int):
        """Instance ``k`` drawn at the given ``sizes`` (as the bank draws, hypotheses checked);
        None if no draw satisfies the hypotheses or a definition cannot be evaluated on it."""
        try:
            inst = self._make_one(exact, f"sizes {sorted((str(d), n) for d, n in sizes.items())}", k,
                                  forced_sizes=sizes)
        except Exception:  # an InstanceError, or a definition that cannot be evaluated on the draw
            return None
        return inst if not self.violated_hypothesis(inst) else None

    def violated_hypothesis(self, inst) -> str:
        """The hypothesis ``inst`` violates ('' if none): about drawn symbols, or, beyond rounding,
        relational hypotheses and the signs of defined symbols."""
        missed = self._missed_domain_hypothesis(inst)
        if missed:
            return missed
        try:
            self._check_hypotheses(inst)
        except InstanceError as exc:
            return str(exc)
        return ""

    def smaller(self, inst):
        """``inst`` drawn again at a tenth of its scale (same sizes), hypotheses checked; None if it
        cannot be (no origin, or already :data:`SMALLEST_SCALE`)."""
        if not inst.origin or inst.scale <= SMALLEST_SCALE:
            return None
        try:
            again = self._make_one(inst.exact, *inst.origin, scale=inst.scale / 10)
            self._check_hypotheses(again)
        except Exception:  # an InstanceError, or a definition that cannot be evaluated on the draw
            return None
        return again

    def evidence(self) -> dict:
        """The sizes and the numbers of float and exact instances drawn so far.

        >>> InstanceBank([], None, seed=0, trials=1).evidence()
        {'sizes': [], 'float_instances': 0, 'exact_instances': 0}
        """
        floats = (self._float or []) + (self._extra or [])
        exacts = self._exact or []
        sizes = []
        for inst in floats + exacts:
            shown = {str(d): int(n) for d, n in sorted(inst.sizes.items(), key=str)}
            if shown and shown not in sizes:
                sizes.append(shown)
        return {"sizes": sizes, "float_instances": len(floats), "exact_instances": len(exacts)}

    def floats(self) -> list:
        """The float instances; :class:`InstanceError` if they cannot be built or one of them
        violates a hypothesis of the claim (then no numeric check on them means anything)."""
        if self._float is None and self._error is None:
            try:
                floats, extra = self._make(False, self._trials), self._hypothesis_draws()
                for inst in floats + extra:
                    self._check_hypotheses(inst)
                self._float = floats
            except InstanceError as exc:
                self._error = exc
            except Exception as exc:  # a definition that cannot be evaluated on the draw
                self._error = InstanceError(f"could not build an instance: {type(exc).__name__}: {exc}")
        if self._error is not None:
            raise self._error
        return self._float

    def extra_floats(self) -> list:
        """:data:`EXTRA_DRAWS` more float instances (hypotheses checked), drawn on demand."""
        if self._extra is None:
            self.floats()  # raises if the instances cannot be built or break a hypothesis
            try:
                extra = self._make(False, EXTRA_DRAWS, tag="extra")
                for inst in extra:
                    self._check_hypotheses(inst)
            except InstanceError:
                raise
            except Exception as exc:
                raise InstanceError(f"could not build an instance: {type(exc).__name__}: {exc}") from exc
            self._extra = extra
        return self._extra

    def _hypothesis_draws(self) -> list:
        """Extra instances on which only the hypotheses are evaluated (cheap, so many more
        than the trials): a definition that builds values outside the hypotheses shows."""
        exprs = [side for _, left, right in self._hypotheses() for side in (left, right)]
        if not exprs:
            return []
        return self._make(False, HYPOTHESIS_DRAWS, tag="hypotheses", exprs=exprs)

    def exacts(self) -> list:
        """The exact instances (at least :data:`EXACT_INSTANCES`, more where the claim's degree in
        a size needs more distinct sizes), hypotheses checked exactly."""
        if self._exact is None:
            try:
                exacts = self._make(True, self._sampling_plan()[2])
                for inst in exacts:
                    self._check_hypotheses(inst)
                self._exact = exacts
            except InstanceError:
                raise
            except Exception as exc:
                raise InstanceError(f"could not build an exact instance: {type(exc).__name__}: {exc}") from exc
        return self._exact

    def _missed_domain_hypothesis(self, inst) -> Optional[str]:
        """The first hypothesis about drawn symbols only that ``inst`` violates (those about
        defined symbols are properties of the definitions: :meth:`_check_hypotheses`)."""
        defined = {sym for sym, _ in self._ctx.sampling_definitions()}
        for name, left, right in self._hypotheses():
            symbols = left.free_symbols | right.free_symbols
            if symbols & defined or not symbols <= set(inst.env):
                continue
            if _violates(inst, left, right):
                return name
        return None

    def _hypotheses(self) -> list:
        """The hypotheses about what the claim's instances contain (its symbols and the
        definitions they use), as ``(name, left, right)`` for ``left <= right``."""
        if self._relevant is None:
            needed = needed_definitions(self._exprs, self._ctx.sampling_definitions())
            symbols = set().union(*(e.free_symbols for e in self._exprs), *(v.free_symbols for _, v in needed),
                                  {sym for sym, _ in needed})
            self._relevant = [h for h in hypotheses(self._ctx)
                              if (h[1].free_symbols | h[2].free_symbols) <= symbols]
        return self._relevant

    def _check_hypotheses(self, inst) -> None:
        """Relational hypotheses (``R_v − ‖v‖ >= 0``) and the signs of defined positive or
        nonnegative symbols must hold on the instance, up to its rounding error (exactly on an
        exact instance)."""
        for name, left, right in self._hypotheses():
            if not (left.free_symbols | right.free_symbols) <= set(inst.env):
                continue
            missed = _violation(inst, left, right)
            if missed is not None:
                lv, rv, note = missed
                raise InstanceError(f"an instance violates the hypothesis {name}",
                                    counterexample(inst, [left, right], lv.val, rv.val, f"{left} <= {right} {note}"))


def _violates(inst, left, right) -> bool:
    """Whether ``left <= right`` visibly fails on ``inst`` (beyond rounding; exactly if exact)."""
    return _violation(inst, left, right) is not None


def _violation(inst, left, right):
    """``(left value, right value, how it fails)`` if ``left <= right`` visibly fails on ``inst``
    (beyond rounding; exactly on an exact instance), else None."""
    try:
        with np.errstate(all="ignore"):
            ev = inst.evaluator()
            lv, rv = ev.value(left), ev.value(right)
    except Exception:  # not evaluable here: nothing to say
        return None
    if inst.exact:
        from .exact import exact_relation
        try:
            holds, _ = exact_relation(lv.val, rv.val, "<=")
        except (TypeError, ValueError, ArithmeticError):
            return None
        return (lv, rv, "fails exactly") if holds is False else None
    cmp = compare_float(lv, rv, "<=")
    return (lv, rv, f"fails by {cmp.difference:.3g}") if cmp.finite and not cmp.holds else None


class InstanceError(EvaluationError):
    """Instances could not be built, or violate a hypothesis: the claim's numbers are an error."""

    def __init__(self, message, counterexample=None):
        super().__init__(message)
        self.counterexample = counterexample


def hypotheses(ctx) -> list:
    """``(name, left, right)`` meaning ``left <= right``: the result's and the claim's relational
    hypotheses, and ``0 <= x`` for every defined scalar ``x`` declared positive or nonnegative."""
    out = []
    defined = {sym for sym, _ in ctx.sampling_definitions()}
    for a in (*ctx.result.assumptions, *ctx.claim.given):
        st = a.statement
        if a.kind != "relation" or not isinstance(st, sp.core.relational.Relational) or isinstance(st, sp.Eq):
            continue
        small, big = (st.rhs, st.lhs) if isinstance(st, (sp.GreaterThan, sp.StrictGreaterThan)) else (st.lhs, st.rhs)
        drawn_with_sign = small == 0 and isinstance(big, sp.Symbol) and big not in defined and big.is_nonnegative
        if not (drawn_with_sign or getattr(small, "is_Matrix", False) or getattr(big, "is_Matrix", False)):
            out.append((f"'{a.name or st}'", small, big))
    for sym in defined:
        if isinstance(sym, sp.Symbol) and (sym.is_positive or sym.is_nonnegative):
            out.append((f"{sym} >= 0 (its definition)", sp.Integer(0), sym))
    return sorted(out, key=lambda h: h[0])


def counterexample(inst: Instance, exprs, left, right, note: str = "") -> dict:
    symbols = set().union(*(e.free_symbols for e in exprs))
    return {"seed": inst.seed, "exact": inst.exact, "instance": inst.describe(symbols),
            "left": readable(np.asarray(left) if np.ndim(left) else left),
            "right": readable(np.asarray(right) if np.ndim(right) else right), "note": note}


def check_relation_numerically(left_expr, right_expr, relation: str, bank: InstanceBank,
                               extra: bool = False, extra_only: bool = False) -> StepNumbers:
    """Evaluate ``left relation right`` on every float instance of the bank (and, with
    ``extra``, on :data:`EXTRA_DRAWS` more: for cited steps, which only numbers check; with
    ``extra_only``, on those alone, for a step whose other instances were evaluated already).

    An instance on which a side overflows, or both sides underflow to (nearly) zero, is not
    evidence: it is drawn again at smaller scales (:meth:`InstanceBank.smaller`); if none is
    representable the step is an error, never a pass. NaN is an error. The first failing
    instance is the counterexample, and its relative discrepancy the step's ``max_error``.
    """
    worst = 0.0
    try:
        instances = ([] if extra_only else bank.floats()) + (bank.extra_floats() if extra or extra_only else [])
    except InstanceError as exc:
        return StepNumbers("error", detail=str(exc), counterexample=exc.counterexample)
    for inst in instances:
        outcome = _compare_representably(left_expr, right_expr, relation, inst, bank)
        if isinstance(outcome, StepNumbers):
            return outcome
        inst, lv, rv, cmp = outcome
        if not cmp.holds:
            note = (f"differs by {cmp.difference:.3g}, rounding tolerance {cmp.tolerance:.3g}"
                    if relation == "=" else f"violated by {cmp.difference:.3g} (tolerance {cmp.tolerance:.3g})")
            return StepNumbers("refuted", trials=len(instances), max_error=_discrepancy(lv, rv, cmp), detail=note,
                               counterexample=counterexample(inst, [left_expr, right_expr], lv.val, rv.val, note))
        worst = max(worst, cmp.relative_error)
    return StepNumbers("passed", trials=len(instances), max_error=worst)


def _discrepancy(lv, rv, cmp) -> float:
    """The refuting discrepancy: the largest difference over the larger side's largest entry."""
    scale = max(float(np.max(np.abs(np.asarray(v.val, dtype=float)), initial=0.0)) for v in (lv, rv))
    return abs(cmp.difference) / scale if scale > 0 else float("inf")


def _compare_representably(left_expr, right_expr, relation, inst, bank):
    """``(instance, left, right, comparison)`` on ``inst`` or, where it is not representable, on
    a redraw at a smaller scale; a :class:`StepNumbers` error when that cannot be had."""
    first = inst
    while True:
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                ev = inst.evaluator()
                lv, rv = ev.value(left_expr), ev.value(right_expr)
        except (EvaluationError, np.linalg.LinAlgError, ZeroDivisionError, FloatingPointError) as exc:
            return StepNumbers("error", detail=f"could not evaluate: {exc}")
        except (ValueError, IndexError, TypeError) as exc:  # e.g. shapes NumPy cannot combine
            return StepNumbers("error", detail=f"could not evaluate: {type(exc).__name__}: {exc}")
        cmp = compare_float(lv, rv, relation)
        problem = _unrepresentable(left_expr, right_expr, inst, lv, rv, cmp)
        if not problem:
            return inst, lv, rv, cmp
        again = bank.smaller(inst)
        if again is None:
            scales = f"at scales {first.scale:g} to {inst.scale:g}" if inst is not first else f"at scale {inst.scale:g}"
            return StepNumbers("error", detail=f"{problem} {scales} (not evidence either way)",
                               counterexample=counterexample(inst, [left_expr, right_expr], lv.val, rv.val, problem))
        inst = again


UNDERFLOW_SUSPECT = 1e-200  # both sides below this in magnitude: checked for underflow


def _unrepresentable(left_expr, right_expr, inst, lv, rv, cmp) -> str:
    """Why the comparison on ``inst`` is no evidence ('' when it is): NaN or inf, or both sides
    tiny after an underflow (an identity of zeros proves nothing)."""
    if not cmp.finite:
        with np.errstate(invalid="ignore"):
            nan = bool(np.isnan(np.asarray(lv.val, dtype=float)).any() or np.isnan(np.asarray(rv.val, dtype=float)).any())
        return "a value is NaN" if nan else "a value overflows to infinity"
    largest = max(float(np.max(np.abs(np.asarray(v.val, dtype=float)), initial=0.0)) for v in (lv, rv))
    if largest > UNDERFLOW_SUSPECT:
        return ""
    try:
        with np.errstate(under="raise", over="ignore", invalid="ignore", divide="ignore"):
            fresh = Evaluator(inst.env, exact=False)
            fresh.value(left_expr), fresh.value(right_expr)
    except FloatingPointError:
        return f"both sides underflow (largest magnitude {largest:.3g})"
    except Exception:  # evaluated once already: nothing new to learn
        return ""
    return ""


def check_equal_exactly(left_expr, right_expr, bank: InstanceBank, relation: str = "=") -> ExactCheck:
    """``left relation right`` evaluated exactly at the bank's exact instances (explicit sizes).

    A failure refutes, whatever the expressions are. Agreement proves an equality at those
    sizes (Schwartz–Zippel) only if both sides, with the definitions they use, are rational
    in the drawn values (``proves``); for ``|x − 3|``, ``exp``, … it is evidence, and
    ``detail`` says so. An inequality that holds at random points is never a proof.
    """
    from ..symbolic.polynomial import irrational_part
    from .exact import ExactCheck, describe_sizes, exact_relation, pair_at, short

    try:
        exacts = bank.exacts()
    except InstanceError as exc:
        return ExactCheck(None, detail=f"no exact instance ({exc})")
    for inst in exacts:
        try:
            ev = inst.evaluator()
            lv, rv = ev.value(left_expr).val, ev.value(right_expr).val
            holds, index = exact_relation(lv, rv, relation)
        except (EvaluationError, ArithmeticError, ValueError, TypeError, NotImplementedError) as exc:
            return ExactCheck(None, detail=f"not evaluable exactly ({type(exc).__name__}: {exc})")
        if holds is not True:
            at = f" at entry {index}" if index else ""
            if holds is None:
                return ExactCheck(None, detail=f"exact values{at} too close to tell apart")
            l_entry, r_entry = pair_at(lv, rv, index)
            note = (f"exact evaluation gives {short(l_entry, r_entry)}{at} "
                    f"(difference {short(l_entry - r_entry)})")
            scale = max(abs(sp.N(l_entry, 20)), abs(sp.N(r_entry, 20)))
            cex = counterexample(inst, [left_expr, right_expr], lv, rv, note)
            cex["discrepancy"] = float(abs(sp.N(l_entry - r_entry, 20)) / scale) if scale else float("inf")
            return ExactCheck(False, counterexample=cex,
                              detail=note, points=len(exacts))
    definitions = needed_definitions([left_expr, right_expr], bank._ctx.sampling_definitions())
    why = irrational_part([left_expr, right_expr], definitions, set().union(*(i.sizes for i in exacts)))
    agrees = f"exact evaluation agrees at {len(exacts)} points ({describe_sizes(exacts)})"
    if relation != "=":
        why = "an inequality that holds at points"
    elif why:
        why = f"{why} is not rational in the values"
    else:
        exprs = [left_expr, right_expr] + [v for _, v in definitions]
        matrix_valued = getattr(left_expr, "is_Matrix", False)
        why = reaches(exacts, dimension_symbols(exprs), exprs, matrix_valued, bank._ctx.result.sizes)
    if why:
        return ExactCheck(True, False, len(exacts), detail=f"{agrees}, but {why}: evidence, not proof", not_proof=why)
    return ExactCheck(True, True, len(exacts), detail=agrees)


def check_equivalence_numerically(left_eq, right_eq, bank: InstanceBank) -> StepNumbers:
    """``A ⟺ B`` on instances: both truth values agree on random instances (where B
    typically fails), and A holds on an instance made to satisfy B."""
    try:
        instances = list(bank.floats())
    except InstanceError as exc:
        return StepNumbers("error", detail=str(exc), counterexample=exc.counterexample)
    solved = _instances_satisfying(right_eq, bank)
    if not solved:
        return StepNumbers("error", detail=f"could not build an instance where {right_eq} holds")
    for inst in instances + solved:
        try:
            truth = []
            ev = inst.evaluator()
            for eq in (left_eq, right_eq):
                lv, rv = ev.value(eq.lhs), ev.value(eq.rhs)
                cmp = compare_float(lv, rv)
                if not cmp.finite:
                    return StepNumbers("error", detail="a value is NaN or infinite")
                truth.append(cmp.holds)
        except EvaluationError as exc:
            return StepNumbers("error", detail=f"could not evaluate: {exc}")
        if truth[0] != truth[1]:
            note = f"{left_eq} is {truth[0]} but {right_eq} is {truth[1]}"
            return StepNumbers("refuted", trials=len(instances) + len(solved), detail=note,
                               counterexample=counterexample(inst, [left_eq.lhs, right_eq.lhs], truth[0], truth[1], note))
    return StepNumbers("passed", trials=len(instances) + len(solved))


def _instances_satisfying(eq, bank: InstanceBank) -> list:
    gap = eq.lhs - eq.rhs
    defined = {sym for sym, _ in bank._ctx.sampling_definitions()}
    out = []
    for inst in bank.floats():
        for s in sorted(gap.free_symbols, key=str):
            if not isinstance(s, sp.Symbol) or s in inst.sizes or s in defined:
                continue
            sol = sp.solve(sp.Eq(eq.lhs, eq.rhs), s)
            if len(sol) != 1:
                continue
            env = dict(inst.env)
            try:
                env[s] = float(Evaluator(env).value(sol[0]).val)
            except (EvaluationError, TypeError):
                continue
            if s.is_positive and env[s] <= 0:
                continue
            try:
                for sym, value in bank._ctx.sampling_definitions():
                    if sym != s and sym in env and value.has(s):
                        env[sym] = Evaluator(env).value(value)
            except Exception:  # the definitions cannot be evaluated at the solution
                continue
            out.append(Instance(inst.seed, inst.sizes, env, False))
            break
    return out
