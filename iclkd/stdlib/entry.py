"""How a library entry is written: one claim ``lhs = rhs`` with its proof and its source."""
from __future__ import annotations

import sympy as sp

from ..symbolic.result import Assumption, Claim, Result, Step
from ..symbolic.rules import Algebra, Cited

COOKBOOK = "Petersen & Pedersen, The Matrix Cookbook, version of 15 November 2012"
HORN_JOHNSON = "Horn & Johnson, Matrix Analysis, 2nd ed., Cambridge University Press 2013"
MAGNUS = "Magnus & Neudecker, Matrix Differential Calculus, 3rd ed., Wiley 2019"
HIGHAM = "Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., SIAM 2002"
ABRAMOWITZ = "Abramowitz & Stegun, Handbook of Mathematical Functions, 10th printing, 1972"
HARDY = "Hardy, Littlewood & Pólya, Inequalities, 2nd ed., Cambridge University Press 1952"
PAPOULIS = "Papoulis & Pillai, Probability, Random Variables and Stochastic Processes, 4th ed., 2002"

n, m, p, q = sp.symbols("n m p q", integer=True, positive=True)


def cookbook(eq: int) -> tuple:
    """The label and the reference of Matrix Cookbook equation ``eq``.

    >>> cookbook(16)[0]
    'Matrix Cookbook (16)'
    """
    return f"Matrix Cookbook ({eq})", f"{COOKBOOK}, eq. ({eq})"


def entry(id: str, source: tuple, title: str, lhs, rhs, *, proof=None, relation: str = "=",
          assumptions=(), sizes=None, samplers=None, notes: str = "", definitions=()) -> Result:
    """A library entry: ``source`` is ``(label, reference)``; the proof defaults to algebra.

    >>> A = sp.MatrixSymbol('A', n, n)
    >>> entry('trace.transpose', cookbook(12), 'Trace of a transpose', sp.Trace(A.T), sp.Trace(A)).references[0][:20]
    'Petersen & Pedersen,'
    """
    label, reference = source
    steps = proof if proof is not None else (Step(rhs, Algebra()),)
    assumptions = tuple(a if isinstance(a, Assumption) else Assumption(a, str(a)) for a in assumptions)
    return Result(id=id, label=label, title=title,
                  claims=(Claim("", lhs, rhs, relation=relation, proof=tuple(steps)),),
                  assumptions=assumptions, definitions=tuple(definitions), sizes=dict(sizes or {}),
                  samplers=dict(samplers or {}), notes=notes, references=(reference,))


def cited(lhs, rhs, theorem: str, reference: str, relation: str = "=") -> tuple:
    """A proof by one cited theorem, pinned to its instance ``lhs relation rhs`` (a changed side
    is then not the theorem as stated).

    >>> x = sp.Symbol('x', real=True)
    >>> cited(1 + x, sp.exp(x), '1 + x <= e^x', 'A&S', '<=')[0].rule.instance
    (x + 1, exp(x))
    """
    return (Step(rhs, Cited(theorem, reference, instance=(lhs, rhs)), relation=relation),)
