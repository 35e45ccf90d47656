"""``Use``: a proof step that rewrites with an identity of the standard library (:mod:`iclkd.stdlib`).

The step is proved only if the entry itself is verified (checked once per process), the
entry's symbols mapped by the instance give an identity whose left side occurs in the step
and whose rewrite turns the previous expression into the next one (symbolic equality, no
fallback to explicit sizes), and the entry's hypotheses, instantiated, are the user's own (or
visibly true). A step using an entry that rests on a citation is counted as cited.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp
from sympy.assumptions.assume import AppliedPredicate

from ..errors import ResultDefinitionError
from .objects import BoundVariableExpr, Gradient
from .rules import Decision, Rule, _equal, _subs, positive, prove_nonnegative
from .result import result_symbols
from .unify import matches

NOT_IN_STEP = "does not occur in the step"
SIGN_DEMANDS = (("positive", ">", "positive"), ("nonnegative", ">=", "nonnegative"), ("nonzero", "!=", "nonzero"))


def _library_entry(name: str):
    from ..stdlib import entry_named  # the library is loaded only when a step uses it

    return entry_named(name)


@lru_cache(maxsize=None)
def entry_verdict(name: str) -> str:
    """The status of library entry ``name`` as ``iclkd check --stdlib`` gives it (once per process).

    >>> entry_verdict('trace.cyclic')
    'verified'
    """
    from ..check import CheckSettings, check_result
    from ..stdlib import library

    return str(check_result(library().get(name), library(), CheckSettings()).status)


class Use(Rule):
    """Rewrite with library entry ``entry`` (``lhs = rhs``), its symbols bound by name.

    Bindings name the entry's symbols (``Use('inverse.woodbury', A=S, U=F)``); a dimension
    follows from the shapes of the matrices bound. Unbound symbols are matched in the step
    (``Use('trace.commute')`` finds ``tr(ST)``); where nothing matches they stand for themselves.
    ``reverse=True`` rewrites right to left.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> S, T = sp.MatrixSymbol('S', n, n), sp.MatrixSymbol('T', n, n)
    >>> Use('trace.commute', F=S, G=T).symbolic(sp.Trace(S * T), sp.Trace(T * S), None).equal
    True
    >>> Use('trace.commute').symbolic(sp.Trace(S * T), sp.Trace(T * S), None).equal
    True
    """

    name = "library identity"
    library_entry = True

    def __init__(self, entry: str, *, reverse: bool = False, **bindings):
        self.entry = entry
        self.reverse = reverse
        self.bindings = dict(bindings)
        self._result = _library_entry(entry)
        self.mapping = instance_mapping(self._result, self.bindings)

    def __repr__(self):
        shown = ", ".join(f"{k}={v}" for k, v in self.bindings.items())
        return f"Use({self.entry!r}{', ' + shown if shown else ''})"

    def __eq__(self, other):
        return isinstance(other, Use) and (self.entry, self.reverse, self.bindings) == (
            other.entry, other.reverse, other.bindings)

    __hash__ = None

    @property
    def cited(self) -> bool:
        return any(s.rule.cited for c in self._result.claims for s in c.proof)

    @property
    def reference(self) -> str:
        return self._result.references[0] if self._result.references else ""

    @property
    def theorem(self) -> str:
        """The entry as a note names it: ``Matrix Cookbook (57) (det.log_grad)``."""
        return f"{self._result.label} ({self.entry})"

    def describe(self) -> str:
        return f"by {self._result.label}"

    def identity(self, mapping=None) -> tuple:
        """The entry's claim as instantiated: ``(lhs, rhs)``, swapped when ``reverse``."""
        mapping = self.mapping if mapping is None else mapping
        claim = self._result.claims[0]
        lhs, rhs = claim.lhs.xreplace(mapping), claim.rhs.xreplace(mapping)
        return (rhs, lhs) if self.reverse else (lhs, rhs)

    def problem(self, prev, nxt, ctx):
        """Why the step is not this entry's instance (a :class:`Decision`), or None if it is.

        When the instance given does not occur in the step, the entry's unbound symbols are
        matched against the step's subexpressions (:func:`~iclkd.symbolic.unify.matches`), and
        each match is checked like an instance given by hand."""
        found = self._problem_at(self.mapping, prev, nxt, ctx)
        if found is None or not found.detail.endswith(NOT_IN_STEP):
            return found
        claim = self._result.claims[0]
        pattern = claim.rhs if self.reverse else claim.lhs
        free = frozenset(s for s in result_symbols([self._result]) if s not in self.mapping)
        first = found  # a match that fails for another reason says more than "does not occur"
        for mapping in matches(pattern, (prev, nxt), free, self.mapping):
            other = self._problem_at(mapping, prev, nxt, ctx)
            if other is None:
                return None
            first = other if first is found else first
        return first

    def _problem_at(self, mapping, prev, nxt, ctx):
        captured = captured_variable(self._result, mapping)
        if captured:
            return Decision(None, f"{self.entry}: {captured}", explicit_fallback=False)
        lhs, rhs = self.identity(mapping)
        missing = missing_hypothesis(self._result, mapping, ctx)
        if missing:
            return Decision(None, f"{self.entry} needs the hypothesis {missing}, which this result does not state",
                            explicit_fallback=False)
        p2, n2 = _rewrite(prev, lhs, rhs), _rewrite(nxt, lhs, rhs)
        if p2 == prev and n2 == nxt:
            return Decision(None, f"{self.entry}: its instance's left side {_short(lhs)} {NOT_IN_STEP}",
                            explicit_fallback=False)
        if _equal(p2, n2) is not True:
            return Decision(None, f"{self.entry}: rewriting {_short(lhs)} as {_short(rhs)} does not turn the "
                                  f"previous expression into the next (left {_short(p2)}, right {_short(n2)})",
                            explicit_fallback=False)
        verdict = entry_verdict(self.entry)
        if verdict != "verified":
            return Decision(None, f"library entry {self.entry} is {verdict}, not verified", explicit_fallback=False)
        return None

    def symbolic(self, prev, nxt, ctx) -> Decision:
        return self.problem(prev, nxt, ctx) or Decision(True, explicit_fallback=False)

    def citation_mismatch(self, prev, nxt, ctx) -> str:
        """For an entry resting on a citation: why the step is not its instance ('' if it is)."""
        found = self.problem(prev, nxt, ctx)
        return found.detail if found else ""


def _rewrite(expr, lhs, rhs):
    """``lhs`` replaced by ``rhs`` everywhere, a whole ``Gradient`` included (``_subs`` keeps a
    gradient's bound variable apart and never replaces the gradient itself); a gradient of the
    same function written otherwise (``∇ tr(SX)`` for ``∇ tr(XS)``) is the same gradient."""
    if isinstance(lhs, Gradient):
        same = {g: rhs for g in sp.preorder_traversal(expr) if isinstance(g, Gradient)
                and (g.variable, g.point) == (lhs.variable, lhs.point) and _equal(g.function, lhs.function) is True}
        expr = expr.xreplace(same)
    return _subs(expr.xreplace({lhs: rhs}), lhs, rhs)


def _short(expr, width: int = 80) -> str:
    text = str(expr)
    return text if len(text) <= width else text[:width - 1] + "…"


def instance_mapping(result, bindings: dict) -> dict:
    """The entry's symbols (by name) mapped to the bound expressions, dimensions inferred from
    the shapes of bound matrices; a shape or kind that does not fit is a definition error.

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> from iclkd.stdlib import entry_named
    >>> d = sp.Symbol('d', integer=True, positive=True)
    >>> sorted(map(str, instance_mapping(entry_named('trace.cyclic'), {'A': sp.MatrixSymbol('S', d, d)}).items()))
    ['(A, S)', '(n, d)']
    """
    symbols = {str(s): s for s in result_symbols([result])}
    mapping = {}
    for name, value in bindings.items():
        if name not in symbols:
            raise ResultDefinitionError(f"Use({result.id!r}): the entry has no symbol {name!r} "
                                        f"(its symbols: {', '.join(sorted(symbols))})")
        value = sp.sympify(value) if not isinstance(value, sp.Basic) else value
        symbol = symbols[name]
        if isinstance(symbol, sp.MatrixSymbol) != bool(getattr(value, "is_Matrix", False)):
            kind = "a matrix" if isinstance(symbol, sp.MatrixSymbol) else "a scalar"
            raise ResultDefinitionError(f"Use({result.id!r}): {name} is {kind} in the entry, got {value}")
        mapping[symbol] = value
    for symbol, value in list(mapping.items()):
        if isinstance(symbol, sp.MatrixSymbol):
            for entry_dim, dim in zip(symbol.shape, value.shape):
                _bind_dimension(result, mapping, symbol, value, entry_dim, dim)
    return mapping


def _bind_dimension(result, mapping, symbol, value, entry_dim, dim) -> None:
    target = mapping.get(entry_dim, entry_dim) if isinstance(entry_dim, sp.Symbol) else entry_dim
    if isinstance(entry_dim, sp.Symbol) and entry_dim not in mapping:
        mapping[entry_dim] = dim
        return
    if sp.simplify(target - dim) != 0:
        raise ResultDefinitionError(
            f"Use({result.id!r}): shape mismatch: {symbol} is {symbol.shape[0]}×{symbol.shape[1]} in the entry, "
            f"{value} is {value.shape[0]}×{value.shape[1]}, but {entry_dim} is already {target}")


def _bound_variables(node) -> tuple:
    if isinstance(node, (Gradient, BoundVariableExpr)):
        return (node.args[1],)
    if isinstance(node, sp.Derivative):
        return tuple(node.variables)
    if isinstance(node, (sp.Sum, sp.Integral)):
        return tuple(limit[0] for limit in node.limits)
    return ()


def captured_variable(result, mapping: dict):
    """Why the instance would capture a bound variable (a gradient's, an expectation's, a
    derivative's): it maps the variable to a non-symbol, or another symbol of the same binder to
    an expression containing the variable's instance; None if it does neither.

    >>> from iclkd.stdlib import entry_named, gauss
    >>> w = sp.MatrixSymbol('w', 2, 1)
    >>> captured_variable(entry_named('gauss.mgf'), {gauss.w: w, gauss.a: w})
    'the instance of a, w, contains w, the variable omega is bound to'
    """
    claim = result.claims[0]
    for side in (claim.lhs, claim.rhs):
        for node in sp.preorder_traversal(side):
            for variable in _bound_variables(node):
                target = mapping.get(variable, variable)
                if not isinstance(target, (sp.Symbol, sp.MatrixSymbol)):
                    return f"the bound variable {variable} must be mapped to a symbol, not {target}"
                others = node.atoms(sp.Symbol, sp.MatrixSymbol) - {variable}
                for other in sorted(others, key=str):
                    value = mapping.get(other, other)
                    if value != other or other in mapping:
                        if value.has(target):
                            return (f"the instance of {other}, {value}, contains {target}, "
                                    f"the variable {variable} is bound to")
    return None


def missing_hypothesis(result, mapping: dict, ctx):
    """The first of the entry's hypotheses (its assumptions and the signs of its symbols) that,
    instantiated, is neither stated by the user's result nor visibly true; None if none is."""
    stated = _stated(ctx)
    for a in result.assumptions:
        statement = a.statement.xreplace(mapping)
        if not _holds(statement, stated):
            return statement
    for symbol, value in mapping.items():
        for attribute, relation, word in SIGN_DEMANDS:
            if getattr(symbol, f"is_{attribute}") and not isinstance(symbol, sp.MatrixSymbol):
                statement = sp.Rel(value, 0, relation)
                if not _holds(statement, stated):
                    return f"{value} {relation} 0 ({symbol} is {word} in the entry)"
        if getattr(symbol, "is_real", False) and not isinstance(symbol, sp.MatrixSymbol) and value.is_real is False:
            return f"{value} is real ({symbol} is real in the entry)"
        if getattr(symbol, "is_integer", False) and value.is_integer is not True:
            return f"{value} is an integer ({symbol} is one in the entry)"
    return None


def _stated(ctx) -> list:
    if ctx is None:
        return []
    return [a.statement for a in (*ctx.result.assumptions, *ctx.claim.given)]


def _holds(statement, stated) -> bool:
    if statement is sp.true or statement in stated:
        return True
    if isinstance(statement, AppliedPredicate):
        facts = sp.And(*[s for s in stated if isinstance(s, AppliedPredicate)])
        return sp.ask(statement, facts) is True
    if isinstance(statement, sp.Ne) and statement.rhs == 0:
        e = statement.lhs
        return positive(e) or positive(-e) or _holds(e > 0, stated) or _holds(-e > 0, stated)
    if isinstance(statement, (sp.StrictGreaterThan, sp.GreaterThan)) and statement.rhs == 0:
        facts = {s.lhs for s in stated if isinstance(s, (sp.StrictGreaterThan, sp.GreaterThan)) and s.rhs == 0}
        strict = {s.lhs for s in stated if isinstance(s, sp.StrictGreaterThan) and s.rhs == 0}
        if isinstance(statement, sp.StrictGreaterThan):
            return positive(statement.lhs) or statement.lhs in strict
        return prove_nonnegative(statement.lhs, facts)
    return False
