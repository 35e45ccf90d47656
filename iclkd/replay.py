"""Replaying a printed counterexample: ``iclkd check --replay TOKEN``.

The token (:mod:`~iclkd.numeric_checks.token`) names a result, a claim, a step and one
instance; :func:`replay` rebuilds exactly that instance (sizes and drawn values as recorded,
defined symbols recomputed, every stated assumption checked on it) and evaluates that step on
it, as the checker did.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .errors import UsageError
from .numeric_checks.report import readable
from .numeric_checks.shrink import drawn_symbols, failure_on, instance_from_values, value_allowed
from .numeric_checks.steps import InstanceBank
from .numeric_checks.token import decode
from .symbolic.checker import claim_expressions
from .symbolic.context import ProofContext
from .symbolic.explain import step_sides
from .numeric_checks.instances import dimension_symbols, needed_definitions, value_symbols


@dataclass
class Replayed:
    """The outcome of a replay: ``fails``, ``holds`` or ``unusable`` (no evidence either way)."""

    outcome: str
    where: str
    left: object = None
    right: object = None
    note: str = ""
    instance: dict = None


def replay(text: str, registry, *, seed: int = 0, trials: int = 4) -> Replayed:
    """Rebuild the instance of the token ``text`` and evaluate its step on it.

    Bad tokens (damaged, naming an unknown result, claim, step or symbol, or an instance outside
    the claim's stated domain) raise :class:`UsageError`.
    """
    token = decode(text)
    try:
        result = registry.get(token.result_id)
    except Exception:
        raise UsageError(f"--replay: no result {token.result_id!r} here (give the --file or --paper it came from)") from None
    names = [c.name for c in result.claims]
    if token.claim not in names:
        raise UsageError(f"--replay: {token.result_id} has no claim {token.claim or '(unnamed)'}")
    index = names.index(token.claim)
    ctx = ProofContext(result, registry, index)
    claim = ctx.claim
    if token.step > len(claim.proof):
        raise UsageError(f"--replay: {token.result_id}{claim.name} has no step {token.step}")
    left, right, relation = step_sides(claim, token.step)
    if relation == "iff":
        raise UsageError("--replay: equivalence steps cannot be replayed")
    bank = InstanceBank(claim_expressions(claim), ctx, seed=seed, trials=trials)
    sizes, values = _bind(token, bank)
    try:
        inst = instance_from_values(bank, sizes, values, token.exact)
    except Exception as exc:  # a definition that cannot be evaluated on the recorded values
        raise UsageError(f"--replay: the recorded instance cannot be rebuilt ({type(exc).__name__}: {exc})") from None
    violated = bank.violated_hypothesis(inst)
    if violated:
        raise UsageError(f"--replay: the recorded instance violates {violated}")
    where = f"{result.id}{claim.name} " + (f"step {token.step} ({claim.proof[token.step - 1].rule.describe()})"
                                           if token.step else ("chain end" if claim.proof else "statement"))
    outcome, failure = failure_on(left, right, relation, inst)
    symbols = set().union(left.free_symbols, right.free_symbols)
    shown = inst.describe(symbols)
    if failure is None:
        return Replayed(outcome, where, instance=shown)
    return Replayed(outcome, where, _readable(failure.left), _readable(failure.right), failure.note, shown)


def _readable(value):
    return None if value is None else readable(np.asarray(value) if np.ndim(value) else value)


def _bind(token, bank) -> tuple[dict, dict]:
    """The token's sizes and values, keyed by the claim's own symbols (by name; none unknown,
    none missing, each inside its stated domain)."""
    exprs = bank.expressions
    defs = needed_definitions(exprs, bank.context.sampling_definitions())
    all_exprs = exprs + [v for _, v in defs]
    dims = {str(d): d for d in dimension_symbols(all_exprs)}
    defined = {s for s, _ in defs}
    drawn = {str(s): s for s in value_symbols(all_exprs) - set(dims.values()) - defined}
    unknown = sorted(set(token.sizes) - set(dims)) + sorted(set(token.values) - set(drawn))
    missing = sorted(set(dims) - set(token.sizes)) + sorted(set(drawn) - set(token.values))
    if unknown or missing:
        raise UsageError("--replay: the token does not fit this claim ("
                         + "; ".join(filter(None, [f"unknown {', '.join(unknown)}" if unknown else "",
                                                   f"missing {', '.join(missing)}" if missing else ""])) + ")")
    sizes = {dims[k]: n for k, n in token.sizes.items()}
    declared = bank.context.result.sizes
    for dim, n in sizes.items():
        if dim in declared and n not in {int(v) for v in declared[dim]}:
            raise UsageError(f"--replay: {dim} = {n} is not one of the sizes the result declares")
    values = {}
    for name, value in token.values.items():
        sym = drawn[name]
        _check_shape(sym, value, sizes)
        problem = value_allowed(bank, sym, value)
        if problem:
            raise UsageError(f"--replay: the recorded value is outside the stated domain: {problem}")
        values[sym] = value
    return sizes, values


def _check_shape(sym, value, sizes) -> None:
    val = getattr(value, "val", value)
    if isinstance(sym, sp.MatrixSymbol):
        shape = tuple(int(sp.sympify(s).xreplace(sizes)) for s in sym.shape)
        if np.shape(val) != shape:
            raise UsageError(f"--replay: {sym} has shape {np.shape(val)} in the token, {shape} at its sizes")
    elif np.ndim(val) != 0:
        raise UsageError(f"--replay: {sym} is a scalar, the token holds an array")


__all__ = ["Replayed", "replay", "drawn_symbols"]
