"""A result is data: statement, assumptions, definitions, proof and numeric checks.

Everything the checker, the renderer, the CLI and the tests need lives in these frozen
objects; nothing about a result exists only in prose.
"""
from __future__ import annotations

import numbers
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

import sympy as sp

from ..errors import ResultDefinitionError

RELATIONS = ("=", "<=", "<", "iff")


@dataclass(frozen=True)
class Source:
    """Where a result, claim or step was written: a file and a line (1-based).

    >>> str(Source('/tmp/paper/results.py', 12)).endswith('results.py:12')
    True
    """

    file: str
    line: int

    def relative(self) -> str:
        """The file relative to the working folder when it is inside it (as CI annotations want).

        >>> Source(os.path.join(os.getcwd(), 'a', 'b.py'), 3).relative()
        'a/b.py'
        """
        try:
            rel = os.path.relpath(self.file)
        except ValueError:  # another drive
            return self.file
        return self.file if rel.startswith(os.pardir) else rel

    def as_json(self) -> dict:
        return {"file": self.relative(), "line": self.line}

    def __str__(self) -> str:
        return f"{self.relative()}:{self.line}"


_ENGINE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the iclkd package
_ENGINE_PARTS = tuple(os.path.join(_ENGINE, part) + os.sep for part in ("symbolic", "numeric_checks", "selftest"))


def caller_source() -> "Source | None":
    """The first frame outside the engine and outside generated code: the line of a paper or a
    user's module that built the object (None if there is none, e.g. built inside the engine).

    >>> caller_source().line > 0  # called from here, a doctest: outside the engine
    True
    """
    frame = sys._getframe(1)
    while frame is not None:
        file = frame.f_code.co_filename
        if not (file.startswith("<") or file.startswith(_ENGINE_PARTS) or file == _DATACLASSES):
            return Source(os.path.abspath(file), frame.f_lineno)
        frame = frame.f_back
    return None


_DATACLASSES = sys.modules["dataclasses"].__file__


def _record_source(obj) -> None:
    if obj.source is None:
        object.__setattr__(obj, "source", caller_source())


def sympy_object(value, what: str):
    """``value`` if it is a SymPy object (a Python number becomes one); anything else, a string
    above all, is refused: nothing a module says is parsed by ``sympify`` (that is ``eval``).

    >>> sympy_object(2, 'a side')
    2
    >>> sympy_object('x + 1', 'a side')
    Traceback (most recent call last):
    ...
    iclkd.errors.ResultDefinitionError: a side must be a SymPy expression, not str 'x + 1'
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return sp.sympify(value)
    raise ResultDefinitionError(f"{what} must be a SymPy expression, not {type(value).__name__} {str(value)[:40]!r}")


@dataclass(frozen=True)
class Definition:
    """``symbol := value``; the checker may substitute it, instances compute it.

    >>> x, y = sp.symbols('x y')
    >>> Definition(x, 2 * y, 'double').name
    'double'
    """

    symbol: sp.Basic
    value: sp.Basic
    name: str = ""

    def __post_init__(self):
        shape_s = getattr(self.symbol, "shape", None)
        shape_v = getattr(self.value, "shape", None)
        if shape_s != shape_v:
            raise ValueError(f"definition of {self.symbol}: shape {shape_v} does not match {shape_s}")

    def as_equation(self):
        return (self.symbol, self.value)


@dataclass(frozen=True)
class Assumption:
    """A hypothesis visible to the checker: a SymPy relation or a ``Q`` predicate.

    ``kind`` tells samplers and rules how to use it: ``"relation"`` (e.g. ``eta > 0``),
    ``"nonzero"`` (a matrix that is not zero), ``"equation"`` (an equality holding in
    this claim, used as a definition when sampling).

    >>> Assumption(sp.Symbol('eta') > 0, 'positive step').kind
    'relation'
    """

    statement: sp.Basic
    name: str = ""
    kind: str = "relation"


@dataclass(frozen=True)
class Step:
    """One link of a proof chain: the previous expression ``relation`` ``expr``, by ``rule``.

    >>> from iclkd.symbolic.rules import Algebra
    >>> Step(sp.Integer(1), Algebra()).relation
    '='
    """

    expr: sp.Basic
    rule: "object"
    relation: str = "="
    source: Optional[Source] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        _record_source(self)
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}; use one of {RELATIONS}")
        object.__setattr__(self, "expr", sympy_object(self.expr, "a proof step's expression"))


@dataclass(frozen=True)
class Claim:
    """One statement ``lhs relation rhs`` with its proof chain starting from ``lhs``.

    For ``relation == "iff"`` both sides are SymPy ``Eq`` objects and each step is an
    equivalence of statements.

    >>> from iclkd.symbolic.rules import Algebra
    >>> x = sp.Symbol('x')
    >>> c = Claim('', (x + 1)**2, x**2 + 2*x + 1, proof=(Step(x**2 + 2*x + 1, Algebra()),))
    >>> c.relation
    '='
    """

    name: str
    lhs: sp.Basic
    rhs: sp.Basic
    relation: str = "="
    proof: tuple = ()
    given: tuple = ()
    text: str = ""
    source: Optional[Source] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        _record_source(self)
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")
        object.__setattr__(self, "lhs", sympy_object(self.lhs, f"claim {self.name}: the left side".replace("  ", " ")))
        object.__setattr__(self, "rhs", sympy_object(self.rhs, f"claim {self.name}: the right side".replace("  ", " ")))
        if self.relation != "iff":
            ls, rs = getattr(self.lhs, "shape", None), getattr(self.rhs, "shape", None)
            if ls != rs:
                raise ValueError(f"claim {self.name or ''}: left side has shape {ls}, right side {rs}")
            for k, step in enumerate(self.proof, start=1):
                shape = getattr(getattr(step, "expr", None), "shape", None)
                if shape != ls:
                    raise ValueError(f"claim {self.name or '(unnamed)'}: step {k} has shape {shape}, the claim {ls} "
                                     "(a matrix compared with a scalar?)")
        object.__setattr__(self, "proof", tuple(self.proof))
        object.__setattr__(self, "given", tuple(self.given))


@dataclass(frozen=True)
class NumericCheck:
    """A result-specific numeric experiment (Monte Carlo test, slope fit, oracle).

    ``run(result, rng, trials)`` returns a :class:`~iclkd.numeric_checks.report.CheckOutcome`.
    ``statement`` is what it tests, as SymPy (rendered beside the result).
    """

    name: str
    run: Callable
    description: str = ""
    statement: Optional[sp.Basic] = None


@dataclass(frozen=True)
class Result:
    """A registered result. See the README section "Writing your own result".

    >>> from iclkd.symbolic.rules import Algebra
    >>> x = sp.Symbol('x')
    >>> r = Result('U1', 'Lemma 1', 'A square', claims=(Claim('', (x+1)**2, x**2+2*x+1,
    ...            proof=(Step(x**2+2*x+1, Algebra()),)),))
    >>> r.id
    'U1'
    """

    id: str
    label: str
    title: str
    claims: tuple
    assumptions: tuple = ()
    definitions: tuple = ()
    depends_on: tuple = ()
    numeric_checks: tuple = ()
    sizes: dict = field(default_factory=dict)
    samplers: dict = field(default_factory=dict)
    notes: str = ""
    references: tuple = ()
    source: Optional[Source] = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        _record_source(self)
        for name in ("claims", "assumptions", "definitions", "depends_on", "numeric_checks", "references"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if not self.claims:
            raise ValueError(f"result {self.id} has no claims")
        names = [c.name for c in self.claims]
        if len(set(names)) != len(names):
            raise ValueError(f"result {self.id} has two claims named alike: {names}")

    def claim(self, name: str) -> Claim:
        for c in self.claims:
            if c.name == name:
                return c
        raise KeyError(f"{self.id} has no claim {name!r}")

    def definition_of(self, symbol) -> Definition:
        for d in self.definitions:
            if d.symbol == symbol:
                return d
        raise KeyError(f"{self.id} defines no {symbol}")

    def __hash__(self):
        return hash(self.id)


def result_expressions(result: Result):
    """Every expression a result writes: claims, proof steps, assumptions, definitions and the
    statements of its numeric checks.

    >>> x = sp.Symbol('x')
    >>> r = Result('U1', 'Lemma 1', 'x', claims=(Claim('', x, 2 * x / 2),))
    >>> list(result_expressions(r))
    [x, x]
    """
    for c in result.claims:
        yield c.lhs
        yield c.rhs
        yield from (s.expr for s in c.proof)
    yield from (a.statement for a in result.assumptions)
    for d in result.definitions:
        yield d.symbol
        yield d.value
    yield from (n.statement for n in result.numeric_checks if n.statement is not None)


def result_symbols(results) -> set:
    """The scalar and matrix symbols the ``results`` use (dimensions included).

    >>> x, n = sp.Symbol('x'), sp.Symbol('n', integer=True)
    >>> r = Result('U1', 'Lemma 1', 'x', claims=(Claim('', sp.MatrixSymbol('A', n, n), sp.MatrixSymbol('A', n, n) * x / x),))
    >>> sorted(map(str, result_symbols([r])))
    ['A', 'n']
    """
    found = set()
    for result in results:
        for expr in result_expressions(result):
            if isinstance(expr, sp.Basic):
                found |= expr.atoms(sp.Symbol, sp.MatrixSymbol)
    return found
