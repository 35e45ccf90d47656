"""The registry: the one list of results that the checker, renderer, CLI and tests walk."""
from __future__ import annotations

import fnmatch
import re
from typing import Iterable, Iterator

from ..errors import ResultDefinitionError, UsageError
from .result import Result

RESULT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


class Registry:
    """An ordered collection of results with validated, acyclic dependencies.

    >>> import sympy as sp
    >>> from iclkd.symbolic.result import Claim
    >>> x = sp.Symbol('x')
    >>> reg = Registry()
    >>> _ = reg.register(Result('U1', 'Lemma 1', 'trivial', claims=(Claim('', x, x),)))
    >>> [r.id for r in reg]
    ['U1']
    """

    def __init__(self, results: Iterable[Result] = ()):
        self._results: dict[str, Result] = {}
        for r in results:
            self.register(r)

    def register(self, result: Result) -> Result:
        if not isinstance(result, Result):
            raise ResultDefinitionError(f"only Result objects can be registered, got {type(result).__name__}")
        if not RESULT_ID.match(result.id):
            raise ResultDefinitionError(f"result id {result.id!r} is not a plain name like 'R1'")
        if result.id in self._results:
            raise ResultDefinitionError(f"result id {result.id!r} is registered twice")
        self._results[result.id] = result
        return result

    def __iter__(self) -> Iterator[Result]:
        return iter(self._results.values())

    def __len__(self) -> int:
        return len(self._results)

    def __contains__(self, rid) -> bool:
        return rid in self._results

    def get(self, rid: str) -> Result:
        try:
            return self._results[rid]
        except KeyError:
            known = ", ".join(self._results) or "none"
            raise UsageError(f"unknown result id {rid!r} (known: {known})") from None

    def merged(self, other: "Registry") -> "Registry":
        out = Registry(self)
        for r in other:
            out.register(r)
        return out

    def validate(self) -> None:
        """Unknown dependencies and cycles are definition errors, named with the path."""
        for r in self:
            for dep in r.depends_on:
                if dep not in self._results:
                    raise ResultDefinitionError(f"{r.id} depends on {dep!r}, which is not registered")
        state: dict[str, int] = {}

        def visit(rid, path):
            if state.get(rid) == 1:
                cycle = " -> ".join(path[path.index(rid):] + [rid])
                raise ResultDefinitionError(f"cyclic dependency between results: {cycle}")
            if state.get(rid) == 2:
                return
            state[rid] = 1
            for dep in self._results[rid].depends_on:
                visit(dep, path + [rid])
            state[rid] = 2

        for rid in self._results:
            visit(rid, [])
        for r in self:
            validate_references(r, self)

    def select(self, ids: Iterable[str]) -> list[Result]:
        """The results named by ``ids`` in the order given (all of them if none is given); an id
        with ``*``, ``?`` or ``[...]`` is a shell-style pattern, matched case-sensitively, that
        selects every matching id in registry order. Each result is selected once.

        >>> import sympy as sp
        >>> from iclkd.symbolic.result import Claim
        >>> x = sp.Symbol('x')
        >>> reg = Registry(Result(i, 'Lemma', 't', claims=(Claim('', x, x),)) for i in ('M1', 'M2', 'N1'))
        >>> [r.id for r in reg.select(['N1', 'M*'])]
        ['N1', 'M1', 'M2']
        """
        ids = list(ids)
        if not ids:
            return list(self)
        chosen: dict[str, Result] = {}
        for pattern in ids:
            if not any(c in pattern for c in "*?["):
                chosen.setdefault(pattern, self.get(pattern))
                continue
            matching = [rid for rid in self._results if fnmatch.fnmatchcase(rid, pattern)]
            if not matching:
                known = ", ".join(self._results) or "none"
                raise UsageError(f"no result id matches {pattern!r} (known: {known})")
            for rid in matching:
                chosen.setdefault(rid, self._results[rid])
        return list(chosen.values())


def validate_references(result: Result, registry: "Registry") -> None:
    """Every reference in a proof resolves: no later claims, no undeclared results."""
    from .context import ProofContext

    for i, claim in enumerate(result.claims):
        ctx = ProofContext(result, registry, i)
        for step in claim.proof:
            for ref in step.rule.references():
                if isinstance(ref, str) and ctx.is_equation_name(ref):
                    continue
                if isinstance(ref, str):
                    ctx.referenced_claim(ref)
                else:
                    ctx.equation(ref)
