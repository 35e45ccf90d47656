"""SymPy's LaTeX printer in a paper's notation: ``\\varphi``, ``D'``, ``^\\top``, norms and
inner products instead of traces, ``\\mathbb{E}_\\omega``, ``\\nabla_W``.

A symbol prints as its paper's :class:`Notation` says: the table (keyed by the SymPy symbol
objects), else the paper's ``naming`` rule, else SymPy's own printing of the name
(:func:`sympy_naming`). A name that is not a plain identifier or a Greek-letter command
(``\\tau``) is printed as escaped text, so no result can inject TeX. The notation in force
is set by :func:`use_notation` around a rendering.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import sympy as sp
from sympy.printing.latex import LatexPrinter, translate

from ..symbolic.objects import GaussianExpectation, Gradient, MatrixNormalExpectation, NormalExpectation
from .escape import escape_tex

TALL = re.compile(r"\\frac|\\sqrt|\\sum")
PLAIN_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*('*)(_[A-Za-z0-9]+)*$")
BASE_NAMES = {"phi": r"\varphi", "epsilon": r"\varepsilon"}
OPERATOR_PREFIXES = {"Delta": "\\Delta ", "nabla": "\\nabla "}
SUFFIXES = {"star": r"^{\ast}", "prime": "'", "hat": None, "bar": None, "tilde": None}
OPERATOR_NAMES = {"MMD": r"\mathrm{MMD}", "Bias": r"\mathrm{Bias}", "Var": r"\mathrm{Var}"}
RELATIONS = {"=": "=", "<=": r"\leq", "<": "<", "iff": r"\iff", ":=": r"\coloneqq"}


def _escaped_name(name: str) -> str:
    return r"\text{" + escape_tex(name) + "}"


def sympy_naming(name: str) -> str:
    r"""SymPy's own LaTeX for a symbol name; ``\\tau`` and the like are Greek letters, and
    anything that is not a plain name is escaped text.

    >>> sympy_naming('W_star'), sympy_naming('slack'), sympy_naming('\\tau'), sympy_naming('\\input')
    ('W_{star}', 'slack', '\\tau', '\\text{\\textbackslash{}input}')
    """
    bare = name[1:] if name.startswith("\\") else name
    if not PLAIN_NAME.match(bare) or (bare != name and translate(bare.split("_")[0]) == bare.split("_")[0]):
        return _escaped_name(name)
    return LatexPrinter()._deal_with_super_sub(bare)


@dataclass(frozen=True)
class Notation:
    r"""How symbols print: ``table`` (symbol object → LaTeX), else ``naming(name)``.

    >>> x = sp.Symbol('x')
    >>> Notation({x: r'\xi'}).latex_of(x), Notation().latex_of(sp.Symbol('W_star'))
    ('\\xi', 'W_{star}')
    """

    table: Mapping = field(default_factory=dict)
    naming: Callable[[str], str] | None = None

    def latex_of(self, symbol) -> str:
        tex = self.table.get(symbol)
        if tex is not None:
            return tex
        return (self.naming or sympy_naming)(symbol.name)


_NOTATION = contextvars.ContextVar("iclkd_notation", default=Notation())


@contextlib.contextmanager
def use_notation(notation: Notation):
    r"""Print with ``notation`` inside the ``with`` block.

    >>> x = sp.Symbol('x')
    >>> with use_notation(Notation({x: r'\xi'})):
    ...     latex(2 * x)
    '2 \\xi'
    """
    token = _NOTATION.set(notation)
    try:
        yield notation
    finally:
        _NOTATION.reset(token)


def current_notation() -> Notation:
    return _NOTATION.get()


def _piece(name: str) -> str:
    """One part of a name: Greek letters and ``phi`` → ``\\varphi``, else as is."""
    return BASE_NAMES.get(name) or translate(name)


def _upright(base: str) -> str:
    """A multi-letter name that is no Greek letter is a word, set upright (``\\mathrm{MMD}``)."""
    tex = _piece(base)
    if base in OPERATOR_NAMES:
        return OPERATOR_NAMES[base]
    return r"\mathrm{" + tex + "}" if tex == base and len(base) > 1 and base.isalpha() else tex


def _braced(tex: str) -> str:
    return tex if len(tex) == 1 else "{" + tex + "}"


def conventional_naming(name: str) -> str:
    r"""A naming rule papers may choose: Greek letters (``phi`` → ``\\varphi``), ``_star`` →
    ``^{\\ast}``, ``_hat`` → ``\\hat``, several subscripts joined; escaped text otherwise.

    >>> conventional_naming('eta_star'), conventional_naming('W_K'), conventional_naming('phi_q')
    ('\\eta^{\\ast}', 'W_K', '\\varphi_q')
    >>> conventional_naming('a%b')
    '\\text{a\\%b}'
    """
    if not PLAIN_NAME.match(name):
        return _escaped_name(name)
    base, *parts = name.split("_")
    primes = base[len(base.rstrip("'")):]
    tex = _upright(base.rstrip("'")) + primes
    if base in OPERATOR_PREFIXES and parts:
        tex, parts[0] = OPERATOR_PREFIXES[base] + _piece(parts[0]), ""
    subs = []
    for part in filter(None, parts):
        if part in SUFFIXES and SUFFIXES[part]:
            tex = "{" + tex + "}" + SUFFIXES[part] if "^" in tex else tex + SUFFIXES[part]
        elif part in SUFFIXES:
            tex = translate("x" + part).replace("{x}", "{" + tex + "}")
        else:
            subs.append(_piece(part))
    return tex + ("_" + _braced(",".join(subs)) if subs else "")


def _is_column(m) -> bool:
    return getattr(m, "shape", (None, None))[1] == 1


def _product_factors(arg):
    """``(coefficient, [factors])`` of a matrix product (a lone matrix is one factor)."""
    if isinstance(arg, sp.MatMul):
        coeff, factors = arg.as_coeff_matrices()
        return coeff, list(factors)
    return sp.Integer(1), [arg]


def _negative(term) -> bool:
    """Whether a term of a sum prints with a leading minus (matrix products included)."""
    if isinstance(term, sp.MatMul):
        return term.as_coeff_mmul()[0].could_extract_minus_sign()
    return term.could_extract_minus_sign()


def _product(factors):
    return factors[0] if len(factors) == 1 else sp.MatMul(*factors)


def _canonical(m):
    return m.doit() if isinstance(m, sp.MatrixExpr) else m


def is_transpose_of(x, y) -> bool:
    """``x == yᵀ`` after pushing transposes inward (``(a+b)ᵀ = aᵀ+bᵀ``, ``(AB)ᵀ = BᵀAᵀ``).

    >>> a, b = sp.MatrixSymbol('a', 2, 1), sp.MatrixSymbol('b', 2, 1)
    >>> is_transpose_of(a.T + b.T, a + b)
    True
    """
    return _canonical(x) == _canonical(sp.Transpose(y))


def gram_factor(factors):
    """``X`` when ``factors`` multiply to ``XᵀX``, else None.

    >>> A, B = sp.MatrixSymbol('A', 2, 3), sp.MatrixSymbol('B', 3, 3)
    >>> gram_factor([B.T, A.T, A, B])
    A*B
    """
    if len(factors) % 2:
        return None
    half = len(factors) // 2
    left, right = _product(factors[:half]), _product(factors[half:])
    return right if is_transpose_of(left, right) else None


def _hoist_one(trace):
    coeff, factors = _product_factors(trace.arg)
    return coeff * sp.Trace(_product(factors)) if coeff != 1 else trace


def hoist_trace_coefficients(expr):
    """``tr(c·X)`` → ``c·tr(X)`` for scalars ``c``, so that ``2 tr(X/α)`` prints as ``2 tr(X)/α``.

    >>> x, a = sp.MatrixSymbol('x', 2, 1), sp.Symbol('alpha')
    >>> hoist_trace_coefficients(2 * sp.Trace(x.T * x / a))
    2*Trace(x.T*x)/alpha
    """
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Trace):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Trace), _hoist_one)


SELF_DELIMITED = (GaussianExpectation, NormalExpectation, MatrixNormalExpectation)


class NotationPrinter(LatexPrinter):
    """``LatexPrinter`` that speaks the paper's notation.

    >>> from sympy import MatrixSymbol, Symbol, Trace
    >>> n = Symbol('n', integer=True, positive=True)
    >>> a, b = MatrixSymbol('a', n, 1), MatrixSymbol('b', n, 1)
    >>> NotationPrinter().doprint(Trace(a.T * b))
    'a^{\\\\top} b'
    """

    printmethod = "_iclkd_latex"
    _negative_term = staticmethod(_negative)
    _default_settings = {**LatexPrinter._default_settings, "notation": None}

    def __init__(self, settings=None):
        super().__init__(settings)
        if self._settings["notation"] is None:
            self._settings["notation"] = current_notation()

    def doprint(self, expr):
        return super().doprint(hoist_trace_coefficients(expr))

    def _print(self, expr, **kwargs):
        """iclkd's own objects may typeset themselves (``_latex``) unless this printer has a
        method for them; a user module's classes may not (their names start ``iclkd_user``)."""
        kind = type(expr)
        if (str(getattr(kind, "__module__", "")).startswith("iclkd.") and hasattr(kind, "_latex")
                and not hasattr(self, "_print_" + kind.__name__)):
            return expr._latex(self)
        return super()._print(expr, **kwargs)

    # names ---------------------------------------------------------------
    def _print_Symbol(self, expr, style="plain"):
        return self._settings["notation"].latex_of(expr)

    def _print_MatrixSymbol(self, expr):
        return self._settings["notation"].latex_of(expr)

    def _print_NumberSymbol(self, expr):
        """``π``, ``e``, ``γ``: SymPy's own TeX for its constants (never a name in text)."""
        return LatexPrinter()._print(expr)

    def _print_Str(self, expr):
        return r"\text{" + escape_tex(expr.name) + "}"

    def _hprint_Function(self, func: str) -> str:
        if func in OPERATOR_NAMES:
            return OPERATOR_NAMES[func]
        if not PLAIN_NAME.match(func):
            return r"\text{" + escape_tex(func) + "}"
        return super()._hprint_Function(func)

    # sums: a positive term first -------------------------------------------
    def _ordered(self, terms):
        terms = list(terms)
        first = next((t for t in terms if not _negative(t)), None)
        if first is None or terms[0] is first:
            return terms
        return [first] + [t for t in terms if t is not first]

    def _join_terms(self, terms):
        tex = ""
        for i, term in enumerate(self._ordered(terms)):
            if i and _negative(term):
                tex += " - "
                term = -term
            elif i:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = r"\left(" + term_tex + r"\right)"
            tex += term_tex
        return tex

    def _print_Add(self, expr, order=None):
        return self._join_terms(self._as_ordered_terms(expr, order=order))

    def _print_MatAdd(self, expr):
        return self._join_terms(expr.args)

    def parenthesize(self, item, level, is_neg=False, strict=False):
        if isinstance(item, SELF_DELIMITED) or (isinstance(item, Gradient) and item.point != item.variable):
            return self._print(item)
        return super().parenthesize(item, level, is_neg, strict)

    # matrices ----------------------------------------------------------------
    def _print_Transpose(self, expr):
        mat = expr.arg
        if isinstance(mat, (sp.MatrixSymbol, sp.BlockMatrix)):
            base = self._print(mat)
            return ("{" + base + "}" if re.search(r"[\^ ]", base) else base) + r"^{\top}"
        return r"\left(" + self._print(mat) + r"\right)^{\top}"

    def _print_Identity(self, expr):
        return "I_{" + self._print(expr.rows) + "}"

    def _print_ZeroMatrix(self, expr):
        return "0"

    def _print_OneMatrix(self, expr):
        size = expr.rows if expr.cols == 1 else expr.cols
        return r"\mathbf{1}_{" + self._print(size) + "}"

    def _print_BlockMatrix(self, expr):
        rows = [r" & ".join(self._print(b) for b in row) for row in expr.blocks.tolist()]
        return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"

    def _print_DiagMatrix(self, expr):
        return r"\operatorname{diag}\left(" + self._print(expr.args[0]) + r"\right)"

    def _print_Inverse(self, expr):
        mat = expr.arg
        base = self._print(mat)
        if not isinstance(mat, sp.MatrixSymbol) or "^" in base:
            base = r"\left(" + base + r"\right)"
        return base + "^{-1}"

    def _print_Trace(self, expr):
        """``tr(aᵀb)`` of vectors → ``aᵀb``; ``tr(XᵀX)`` → ``‖X‖²``; ``tr(AᵀB)`` → ``⟨A, B⟩_F``."""
        coeff, factors = _product_factors(expr.arg)
        prefix = "" if coeff == 1 else ("- " if coeff == -1 else self._print(coeff) + " ")
        gram = gram_factor(factors)
        if gram is not None:
            return prefix + self._norm_squared(gram)
        if expr.arg.shape == (1, 1):
            return prefix + self._print(_product(factors))
        if len(factors) == 2 and isinstance(factors[0], sp.Transpose):
            a, b = factors[0].arg, factors[1]
            return prefix + r"\langle " + self._print(a) + ", " + self._print(b) + r"\rangle_F"
        return prefix + r"\operatorname{tr}\left(" + self._print(_product(factors)) + r"\right)"

    def _norm(self, x) -> str:
        """``‖x‖`` (``‖x‖_F`` for a matrix), with growing bars around fractions and roots."""
        inner = self._print(x)
        sub = "" if _is_column(x) else "_F"
        if TALL.search(inner):
            return r"\left\lVert " + inner + r"\right\rVert" + sub
        return r"\lVert " + inner + r"\rVert" + sub

    def _norm_squared(self, x):
        return self._norm(x) + "^2"

    def _print_Pow(self, expr):
        if isinstance(expr.base, sp.Trace) and expr.exp == sp.Rational(1, 2):
            coeff, factors = _product_factors(expr.base.arg)
            gram = gram_factor(factors) if coeff == 1 else None
            if gram is not None:
                return self._norm(gram)
        if isinstance(expr.base, (GaussianExpectation, sp.Trace)) and expr.exp.is_Integer and expr.exp > 0:
            return r"\left(" + self._print(expr.base) + r"\right)^{" + self._print(expr.exp) + "}"
        return super()._print_Pow(expr)

    def _with_folding(self, fold: bool, print_):
        saved = self._settings["fold_short_frac"]
        self._settings["fold_short_frac"] = fold
        try:
            return print_()
        finally:
            self._settings["fold_short_frac"] = saved

    def _print_ExpBase(self, expr, exp=None):
        """``e^{…}`` with short fractions in the exponent folded (``a/2``), as exponents are set."""
        tex = "e^{" + self._with_folding(True, lambda: self._print(expr.args[0])) + "}"
        return self._do_exponent(tex, exp)

    def _print_MatMul(self, expr):
        """Matrix products keep ``\\frac`` coefficients (``2 / α q`` would be ambiguous); a
        unit coefficient is dropped."""
        if expr.args[0] == 1:
            rest = expr.args[1:]
            expr = rest[0] if len(rest) == 1 else sp.MatMul(*rest, evaluate=False)
            if not isinstance(expr, sp.MatMul):
                return self._print(expr)
        return self._with_folding(False, lambda: super(NotationPrinter, self)._print_MatMul(expr))

    # the paper's operators -------------------------------------------------------
    def _print_GaussianExpectation(self, expr):
        return (r"\mathbb{E}_{" + self._print(expr.variable) + r"}\left[" + self._print(expr.integrand)
                + r"\right]")

    def _print_NormalExpectation(self, expr):
        return (r"\mathbb{E}_{" + self._print(expr.variable) + r" \sim \mathcal{N}(" + self._print(expr.mean) + ", "
                + self._print(expr.cov) + r")}\left[" + self._print(expr.body) + r"\right]")

    _print_MatrixNormalExpectation = _print_NormalExpectation

    def _print_Gradient(self, expr):
        f = self._print(expr.function)
        if isinstance(expr.function, (sp.Add, sp.MatAdd)) or expr.function.could_extract_minus_sign():
            f = r"\left(" + f + r"\right)"
        nabla = r"\nabla_{" + self._print(expr.variable) + "} " + f
        if expr.point == expr.variable:
            return nabla
        return (r"\left." + nabla + r"\right|_{" + self._print(expr.variable) + " = "
                + self._print(expr.point) + "}")

    def _print_FeatureAverage(self, expr):
        var = expr.variable
        draw = sp.MatrixSymbol(var.name + "_m", *var.shape)
        summand = expr.summand.xreplace({var: draw})
        body = self._print(summand)
        if isinstance(summand, sp.Add):
            body = r"\left(" + body + r"\right)"
        count = self._print(expr.count)
        return r"\frac{1}{" + count + r"}\sum_{m=1}^{" + count + "} " + body

    def _print_Equality(self, expr):
        return self._print(expr.lhs) + " = " + self._print(expr.rhs)


_LAST_PRINTER: list = [None]  # one printer, rebuilt when the notation in force changes


def latex(expr) -> str:
    """``expr`` in the notation in force (:func:`use_notation`).

    >>> n = sp.Symbol('n', integer=True, positive=True)
    >>> V, Phi = sp.MatrixSymbol('V', 2, n), sp.MatrixSymbol('Phi', 3, n)
    >>> latex(V * Phi.T)
    'V \\\\Phi^{\\\\top}'
    """
    notation = current_notation()
    printer = _LAST_PRINTER[0]
    if printer is None or printer._settings["notation"] is not notation:
        printer = _LAST_PRINTER[0] = NotationPrinter({"notation": notation})
    return printer.doprint(expr)


def relation_latex(relation: str) -> str:
    """``'<='`` → ``'\\\\leq'``; the relations a claim or step can have.

    >>> relation_latex('iff')
    '\\\\iff'
    """
    return RELATIONS[relation]

