"""Building broken variants of results, and running the checker on them."""
from __future__ import annotations

import dataclasses

from iclkd.check import CheckSettings, check_result


def with_claim(result, name, **changes):
    """A copy of ``result`` whose claim ``name`` has ``changes`` (lhs, rhs, proof, …)."""
    claims = tuple(dataclasses.replace(c, **changes) if c.name == name else c for c in result.claims)
    return dataclasses.replace(result, claims=claims)


def with_step(result, name, index, expr):
    """A copy whose claim ``name`` has proof step ``index`` (0-based) rewritten to ``expr``
    (and, for the last step, the statement's right side too, so the chain still ends there)."""
    claim = result.claim(name)
    steps = list(claim.proof)
    steps[index] = dataclasses.replace(steps[index], expr=expr)
    changes = {"proof": tuple(steps)}
    if index == len(steps) - 1:
        changes["rhs"] = expr
    return with_claim(result, name, **changes)


def run(result, registry, **settings):
    """Check ``result`` against ``registry`` (where it replaces its namesake)."""
    return check_result(result, registry, CheckSettings(**settings))
