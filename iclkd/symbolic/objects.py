"""SymPy objects the paper's statements need and SymPy lacks.

They stay unevaluated: the engine's rules decide what they equal, the numeric layer
evaluates them on instances, and the LaTeX printer typesets them.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixExpr


def inner(a: sp.MatrixBase, b: sp.MatrixBase) -> sp.Expr:
    """Inner product of two column vectors (or Frobenius product of matrices), a scalar.

    Written as ``Trace(a.T*b)`` so that SymPy's matrix calculus applies.

    >>> from sympy import MatrixSymbol, Symbol
    >>> n = Symbol('n', integer=True, positive=True)
    >>> inner(MatrixSymbol('a', n, 1), MatrixSymbol('b', n, 1))
    Trace(a.T*b)
    """
    if a.shape != b.shape:
        raise ValueError(f"inner product of shapes {a.shape} and {b.shape}")
    return sp.Trace(a.T * b)


def sqnorm(a: sp.MatrixBase) -> sp.Expr:
    """Squared Euclidean (Frobenius) norm ``||a||^2 = tr(a^T a)``.

    >>> from sympy import MatrixSymbol
    >>> sqnorm(MatrixSymbol('a', 3, 1))
    Trace(a.T*a)
    """
    return sp.Trace(a.T * a)


class Gradient(MatrixExpr):
    """``∇_W f`` evaluated at ``W = point``: an unevaluated matrix of the shape of ``W``.

    >>> from sympy import MatrixSymbol, Trace
    >>> W = MatrixSymbol('W', 2, 2)
    >>> Gradient(Trace(W.T*W), W).shape
    (2, 2)
    """

    def __new__(cls, f, wrt, point=None):
        f = sp.sympify(f)
        if not isinstance(wrt, sp.MatrixSymbol):
            raise ValueError(f"Gradient needs a MatrixSymbol to differentiate by, got {wrt!r}")
        if getattr(f, "is_Matrix", False):
            raise ValueError("Gradient needs a scalar function")
        point = wrt if point is None else point
        if point.shape != wrt.shape:
            raise ValueError(f"Gradient point has shape {point.shape}, variable {wrt.shape}")
        return super().__new__(cls, f, wrt, point)

    @property
    def function(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def point(self):
        return self.args[2]

    @property
    def shape(self):
        return self.variable.shape

    def _eval_transpose(self):
        return None

    def _entry(self, i, j, **kwargs):
        raise NotImplementedError("Gradient has no symbolic entries; use the numeric layer")


class GaussianExpectation(sp.Expr):
    """``E_{ω ~ N(0, I)}[expr]`` for a column vector ``ω`` of i.i.d. standard normals.

    >>> from sympy import MatrixSymbol, Symbol, exp
    >>> w = MatrixSymbol('omega', 2, 1)
    >>> GaussianExpectation(exp(inner(w, w)), w).variable
    omega
    """

    is_commutative = True

    def __new__(cls, expr, variable):
        if not (isinstance(variable, sp.MatrixSymbol) and variable.shape[1] == 1):
            raise ValueError(f"GaussianExpectation needs a column MatrixSymbol, got {variable!r}")
        return super().__new__(cls, sp.sympify(expr), variable)

    @property
    def integrand(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def free_symbols(self):
        return self.integrand.free_symbols - {self.variable}

    def _eval_is_real(self):
        return self.integrand.is_real


class FeatureAverage(sp.Expr):
    """``(1/M) Σ_m expr[ω := ω_m]`` over ``M`` i.i.d. feature draws ``ω_1..ω_M``.

    The draws are the columns of the matrix ``Omega`` (``d_k × M``).

    >>> from sympy import MatrixSymbol, Symbol, exp
    >>> k, M = Symbol('k', integer=True, positive=True), Symbol('M', integer=True, positive=True)
    >>> w, Om = MatrixSymbol('omega', k, 1), MatrixSymbol('Omega', k, M)
    >>> FeatureAverage(exp(inner(w, w)), w, Om).count
    M
    """

    is_commutative = True

    def __new__(cls, expr, variable, draws):
        if not (isinstance(draws, sp.MatrixSymbol) and draws.shape[0] == variable.shape[0]):
            raise ValueError("FeatureAverage draws must be a MatrixSymbol with one draw per column")
        return super().__new__(cls, sp.sympify(expr), variable, draws)

    @property
    def summand(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def draws(self):
        return self.args[2]

    @property
    def count(self):
        return self.draws.shape[1]

    @property
    def free_symbols(self):
        return (self.summand.free_symbols - {self.variable}) | self.draws.free_symbols
