"""What a proof step may refer to: definitions, hypotheses and earlier claims."""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from ..errors import ResultDefinitionError
from .result import Claim, Result

CLAIM_REF = re.compile(r"^(?P<result>[A-Za-z][\w.-]*)?(?P<claim>\([^)]*\))?$")


@dataclass
class ProofContext:
    """The environment of one claim's proof: its result, the registry, earlier claims.

    ``claim_index`` is the position of the claim being proved: a step may use claims
    before it in the same result, and results listed in ``depends_on``.
    """

    result: Result
    registry: object
    claim_index: int

    @property
    def claim(self) -> Claim:
        return self.result.claims[self.claim_index]

    def equation(self, ref, instance=None):
        """The equation ``(lhs, rhs)`` that ``ref`` names, instantiated by ``instance``."""
        lhs, rhs = self._resolve(ref)
        if instance:
            lhs, rhs = lhs.xreplace(dict(instance)), rhs.xreplace(dict(instance))
        return lhs, rhs

    def _resolve(self, ref):
        if isinstance(ref, sp.Basic):
            for d in self.all_definitions():
                if d.symbol == ref:
                    return d.symbol, d.value
            for a in self._equations():
                if a.statement.lhs == ref:
                    return a.statement.lhs, a.statement.rhs
            raise ResultDefinitionError(f"{self.result.id}: no definition of {ref} to substitute")
        if not isinstance(ref, str):
            raise ResultDefinitionError(f"{self.result.id}: cannot substitute by {ref!r}")
        for a in self._equations():
            if a.name == ref:
                return a.statement.lhs, a.statement.rhs
        claim = self.referenced_claim(ref)
        if claim.relation != "=":
            raise ResultDefinitionError(f"{self.result.id}: {ref} is not an equation")
        return claim.lhs, claim.rhs

    def is_equation_name(self, name: str) -> bool:
        return any(a.name == name for a in self._equations())

    def _equations(self):
        return [a for a in (*self.result.assumptions, *self.claim.given)
                if a.kind == "equation" and isinstance(a.statement, sp.Equality)]

    def referenced_claim(self, ref: str) -> Claim:
        """Resolve ``"(a)"``, ``"R7(a)"`` or ``"R1"``; forward and undeclared references fail."""
        m = CLAIM_REF.match(ref)
        if not m:
            raise ResultDefinitionError(f"{self.result.id}: cannot read the reference {ref!r}")
        rid, cname = m.group("result"), m.group("claim") or ""
        if rid is None or rid == self.result.id:
            names = [c.name for c in self.result.claims]
            if cname not in names:
                raise ResultDefinitionError(f"{self.result.id}: no claim {cname!r} to reference")
            if names.index(cname) >= self.claim_index:
                raise ResultDefinitionError(
                    f"{self.result.id}{self.claim.name}: a proof step references the later claim {ref}")
            return self.result.claims[names.index(cname)]
        if rid not in self.result.depends_on:
            raise ResultDefinitionError(
                f"{self.result.id}: a proof step uses {ref} but depends_on does not list {rid}")
        other = self.registry.get(rid)
        if not cname and len(other.claims) > 1:
            raise ResultDefinitionError(f"{self.result.id}: {ref} has several claims; name one, e.g. {rid}{other.claims[0].name}")
        return other.claim(cname) if cname else other.claims[0]

    def positive_facts(self) -> set:
        facts = set()
        for a in (*self.result.assumptions, *self.claim.given):
            s = a.statement
            if isinstance(s, (sp.StrictGreaterThan, sp.GreaterThan)) and s.rhs == 0:
                facts.add(s.lhs)
        return facts

    def is_nonzero(self, matrix) -> bool:
        return any(a.kind == "nonzero" and a.statement == matrix
                   for a in (*self.result.assumptions, *self.claim.given))

    def all_definitions(self) -> list:
        """Definitions of this result and of everything it depends on, dependencies first."""
        out: list = []
        self._visit(self.result, set(), out)
        return out

    def _visit(self, result, seen: set, out: list) -> None:
        """Depth first, dependencies before the result (a method: a recursive closure would be
        a reference cycle, left for the garbage collector)."""
        if result.id in seen:
            return
        seen.add(result.id)
        for dep in result.depends_on:
            if dep in self.registry:
                self._visit(self.registry.get(dep), seen, out)
        for d in result.definitions:
            if d.symbol not in {o.symbol for o in out}:
                out.append(d)

    def sampling_definitions(self):
        """Definitions and equation hypotheses, as ``(symbol, value)`` pairs in order."""
        pairs = [(d.symbol, d.value) for d in self.all_definitions()]
        pairs += [(a.statement.lhs, a.statement.rhs) for a in self._equations()
                  if isinstance(a.statement.lhs, (sp.Symbol, sp.MatrixSymbol))]
        return pairs
