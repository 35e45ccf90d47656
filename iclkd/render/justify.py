"""The justification printed beside a proof step: ``rule.describe()``, except where that
text would show SymPy's internal names (a substitution by a symbol, a nonzero factor),
which are typeset in the paper's notation instead. One function per rule, in a table.
"""
from __future__ import annotations

import re

import sympy as sp

from ..symbolic.rules import Cited, ScalarMultipleIff, SolveFor, Substitute
from .escape import escape_tex
from .prose import prose_tex
from .printer import latex

CLAIM_REF = re.compile(r"^(?P<result>[A-Za-z][A-Za-z0-9_.-]*)?(?P<part>\([A-Za-z0-9]+\))?$")


def math(expr) -> str:
    return "$" + latex(expr) + "$"


def reference_text(ref, result, labels: dict) -> str:
    """A reference of ``Substitute`` as TeX: a defined symbol, a claim, a hypothesis.

    ``labels`` maps result ids to the labels shown in the paper (``R7`` → ``Theorem 3.1``).

    >>> reference_text('R7(b)', None, {'R7': 'Theorem 3.1'})
    'Theorem 3.1(b)'
    """
    if isinstance(ref, sp.Basic):
        return "the definition of " + math(ref)
    text = str(ref)
    match = CLAIM_REF.match(text)
    if match and match.group("result") in labels:
        return escape_tex(labels[match.group("result")] + (match.group("part") or ""))
    return escape_tex(text)


def _substitute(rule: Substitute, result, labels) -> str:
    symbols = [r for r in rule.refs() if isinstance(r, sp.Basic)]
    others = [reference_text(r, result, labels) for r in rule.refs() if not isinstance(r, sp.Basic)]
    if symbols:
        noun = "the definition of " if len(symbols) == 1 else "the definitions of "
        others.insert(0, noun + ", ".join(math(s) for s in symbols))
    return "by " + ", ".join(others)


def _scalar_multiple(rule: ScalarMultipleIff, result, labels) -> str:
    by = reference_text(rule.by, result, labels) + ", as " if rule.by else "as "
    return by + "$" + latex(rule.factor) + r" \neq 0$"


def _solve_for(rule: SolveFor, result, labels) -> str:
    return "solving for " + math(rule.symbol)


def _cited(rule: Cited, result, labels) -> str:
    return prose_tex(rule.theorem) + r" \textup{[cited]}"


JUSTIFICATIONS = {
    Substitute: _substitute,
    ScalarMultipleIff: _scalar_multiple,
    SolveFor: _solve_for,
    Cited: _cited,
}


def justification(rule, result=None, labels=None) -> str:
    """TeX for the justification of a step.

    >>> from iclkd.symbolic.rules import Algebra
    >>> justification(Algebra('completing the square'))
    'completing the square'
    """
    for kind, render in JUSTIFICATIONS.items():
        if isinstance(rule, kind):
            return render(rule, result, labels or {})
    if getattr(rule, "cited", False):
        return prose_tex(rule.describe()) + r" \textup{[cited]}"
    return prose_tex(rule.describe())
