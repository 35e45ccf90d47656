"""Numeric cross-checks of proof steps and statements on random instances."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import sympy as sp

from .compare import compare_float, exact_difference_is_zero
from .evaluate import EvaluationError, Evaluator
from .instances import Instance, make_instance
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


class InstanceBank:
    """Float and exact instances for one claim, drawn once and shared by all its steps."""

    def __init__(self, exprs, ctx, *, seed: int, trials: int):
        self._exprs = list(exprs)
        self._ctx = ctx
        self._seed = seed
        self._trials = trials
        self._float: Optional[list] = None
        self._exact: Optional[list] = None

    def _make(self, exact: bool, count: int):
        r = self._ctx.result
        defs = self._ctx.sampling_definitions()
        out = []
        for k in range(count):
            seed = derived_seed(self._seed, r.id, self._ctx.claim.name, "exact" if exact else "float", k)
            out.append(make_instance(self._exprs, seed=seed, exact=exact, sizes=r.sizes,
                                     samplers=r.samplers, definitions=defs))
        return out

    def floats(self) -> list:
        if self._float is None:
            self._float = self._make(False, self._trials)
        return self._float

    def exacts(self) -> list:
        if self._exact is None:
            self._exact = self._make(True, 2)
        return self._exact


def counterexample(inst: Instance, exprs, left, right, note: str = "") -> dict:
    symbols = set().union(*(e.free_symbols for e in exprs))
    return {"seed": inst.seed, "exact": inst.exact, "instance": inst.describe(symbols),
            "left": readable(np.asarray(left) if np.ndim(left) else left),
            "right": readable(np.asarray(right) if np.ndim(right) else right), "note": note}


def check_relation_numerically(left_expr, right_expr, relation: str, bank: InstanceBank) -> StepNumbers:
    """Evaluate ``left relation right`` on every float instance of the bank.

    A non-finite value is an error, never a pass; the first failing instance is kept as
    the counterexample.
    """
    worst = 0.0
    instances = bank.floats()
    for inst in instances:
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                lv = Evaluator(inst.env).value(left_expr)
                rv = Evaluator(inst.env).value(right_expr)
        except (EvaluationError, np.linalg.LinAlgError, ZeroDivisionError, FloatingPointError) as exc:
            return StepNumbers("error", detail=f"could not evaluate: {exc}")
        cmp = compare_float(lv, rv, relation)
        if not cmp.finite:
            return StepNumbers("error", detail="a value is NaN or infinite",
                               counterexample=counterexample(inst, [left_expr, right_expr], lv.val, rv.val))
        worst = max(worst, cmp.relative_error)
        if not cmp.holds:
            note = (f"differs by {cmp.difference:.3g}, rounding tolerance {cmp.tolerance:.3g}"
                    if relation == "=" else f"violated by {cmp.difference:.3g} (tolerance {cmp.tolerance:.3g})")
            return StepNumbers("refuted", trials=len(instances), max_error=worst, detail=note,
                               counterexample=counterexample(inst, [left_expr, right_expr], lv.val, rv.val, note))
    return StepNumbers("passed", trials=len(instances), max_error=worst)


def check_equal_exactly(left_expr, right_expr, bank: InstanceBank) -> tuple[Optional[bool], Optional[dict]]:
    """Exact rational evaluation at explicit sizes (Schwartz–Zippel); None when unavailable."""
    for inst in bank.exacts():
        try:
            lv = Evaluator(inst.env, exact=True).value(left_expr).val
            rv = Evaluator(inst.env, exact=True).value(right_expr).val
        except (EvaluationError, ValueError, ZeroDivisionError, TypeError, NotImplementedError):
            return None, None
        same = exact_difference_is_zero(lv, rv)
        if same is False:
            return False, counterexample(inst, [left_expr, right_expr], lv, rv, "exact evaluation differs")
        if same is None:
            return None, None
    return True, None


def check_equivalence_numerically(left_eq, right_eq, bank: InstanceBank) -> StepNumbers:
    """``A ⟺ B`` on instances: both truth values agree on random instances (where B
    typically fails), and A holds on an instance made to satisfy B."""
    instances = list(bank.floats())
    solved = _instances_satisfying(right_eq, bank)
    if not solved:
        return StepNumbers("error", detail=f"could not build an instance where {right_eq} holds")
    for inst in instances + solved:
        try:
            truth = []
            for eq in (left_eq, right_eq):
                lv, rv = Evaluator(inst.env).value(eq.lhs), Evaluator(inst.env).value(eq.rhs)
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
            for sym, value in bank._ctx.sampling_definitions():
                if sym != s and sym in env and value.has(s):
                    env[sym] = Evaluator(env).value(value)
            out.append(Instance(inst.seed, inst.sizes, env, False))
            break
    return out
