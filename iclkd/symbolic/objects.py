"""SymPy objects the paper's statements need and SymPy lacks.

They stay unevaluated: the engine's rules decide what they equal, the numeric layer
evaluates them on instances, and the LaTeX printer typesets them.
"""
from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions import MatrixExpr
from sympy.matrices.expressions.matexpr import MatrixElement


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


class Vec(MatrixExpr):
    """``vec X``: the columns of ``X`` stacked into one column (Magnus & Neudecker's
    convention; NumPy's ``X.reshape(-1, 1, order='F')``).

    >>> from sympy import MatrixSymbol
    >>> Vec(MatrixSymbol('X', 2, 3)).shape
    (6, 1)
    """

    def __new__(cls, matrix):
        matrix = sp.sympify(matrix)
        if not getattr(matrix, "is_Matrix", False):
            raise ValueError(f"vec needs a matrix, got {matrix!r}")
        return super().__new__(cls, matrix)

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        rows, cols = self.arg.shape
        return (rows * cols, 1)

    def _entry(self, i, j, **kwargs):
        rows = self.arg.shape[0]
        if isinstance(i, (int, sp.Integer)) and isinstance(rows, (int, sp.Integer)):
            return self.arg[int(i) % int(rows), int(i) // int(rows)]
        return MatrixElement(self, i, j)  # at a symbolic index or size: kept as an entry of vec X

    def _latex(self, printer):
        return r"\operatorname{vec}\left(" + printer._print(self.arg) + r"\right)"


class BoundVariableExpr(sp.Expr):
    """A scalar with one bound matrix variable: ``args = (body, variable, *parameters)``.

    The variable is integrated, averaged or maximised over, so it is not free.

    >>> from sympy import MatrixSymbol, exp
    >>> w = MatrixSymbol('omega', 2, 1)
    >>> GaussianExpectation(exp(inner(w, w)), w).free_symbols
    set()
    """

    is_commutative = True

    @property
    def body(self):
        return self.args[0]

    @property
    def variable(self):
        return self.args[1]

    @property
    def free_symbols(self):
        out = self.body.free_symbols - {self.variable}
        for parameter in self.args[2:]:
            out |= parameter.free_symbols
        return out

    def _eval_is_real(self):
        return self.body.is_real


class GaussianExpectation(BoundVariableExpr):
    """``E_{ω ~ N(0, I)}[expr]`` for a column vector ``ω`` of i.i.d. standard normals.

    >>> from sympy import MatrixSymbol, Symbol, exp
    >>> w = MatrixSymbol('omega', 2, 1)
    >>> GaussianExpectation(exp(inner(w, w)), w).variable
    omega
    """

    def __new__(cls, expr, variable):
        if not (isinstance(variable, sp.MatrixSymbol) and variable.shape[1] == 1):
            raise ValueError(f"GaussianExpectation needs a column MatrixSymbol, got {variable!r}")
        return super().__new__(cls, sp.sympify(expr), variable)

    @property
    def integrand(self):
        return self.args[0]


class FeatureAverage(BoundVariableExpr):
    """``(1/M) Σ_m expr[ω := ω_m]`` over ``M`` i.i.d. feature draws ``ω_1..ω_M``.

    The draws are the columns of the matrix ``Omega`` (``d_k × M``).

    >>> from sympy import MatrixSymbol, Symbol, exp
    >>> k, M = Symbol('k', integer=True, positive=True), Symbol('M', integer=True, positive=True)
    >>> w, Om = MatrixSymbol('omega', k, 1), MatrixSymbol('Omega', k, M)
    >>> FeatureAverage(exp(inner(w, w)), w, Om).count
    M
    """

    def __new__(cls, expr, variable, draws):
        if not (isinstance(draws, sp.MatrixSymbol) and draws.shape[0] == variable.shape[0]):
            raise ValueError("FeatureAverage draws must be a MatrixSymbol with one draw per column")
        return super().__new__(cls, sp.sympify(expr), variable, draws)

    @property
    def summand(self):
        return self.args[0]

    @property
    def draws(self):
        return self.args[2]

    @property
    def count(self):
        return self.draws.shape[1]


class RademacherExpectation(BoundVariableExpr):
    """``E_σ[expr]`` over a matrix ``σ`` of i.i.d. signs, each uniform on ``{−1, +1}``.

    The numeric layer evaluates it exactly by enumerating the ``2^{pq}`` sign patterns of a
    ``p × q`` matrix ``σ``; the rule :class:`~iclkd.symbolic.rules_probability.RademacherMoments`
    decides it symbolically (``E σ = 0``, ``E[σᵀCσ D] = tr(C) tr(D)``).

    >>> from sympy import MatrixSymbol, Symbol
    >>> n = Symbol('n', integer=True, positive=True)
    >>> s, A = MatrixSymbol('sigma', n, 1), MatrixSymbol('A', 3, n)
    >>> RademacherExpectation(sqnorm(A * s), s).variable
    sigma
    """

    def __new__(cls, expr, variable):
        if not isinstance(variable, sp.MatrixSymbol):
            raise ValueError(f"RademacherExpectation needs a MatrixSymbol of signs, got {variable!r}")
        return super().__new__(cls, sp.sympify(expr), variable)

    @property
    def integrand(self):
        return self.args[0]

    def _latex(self, printer):
        return r"\mathbb{E}_{%s}\left[%s\right]" % (printer._print(self.variable), printer._print(self.integrand))


class BallSupremum(BoundVariableExpr):
    """``sup_{||W||_F <= radius} expr``: the supremum of a scalar over a Frobenius ball.

    The numeric layer evaluates it when ``expr`` is at most quadratic in ``W`` (the trust-region
    problem, solved globally with a primal–dual certificate); the rule
    :class:`~iclkd.symbolic.rules_matrix.LinearSupremum` decides the linear case.

    >>> from sympy import MatrixSymbol, Symbol
    >>> W, G = MatrixSymbol('W', 2, 3), MatrixSymbol('G', 2, 3)
    >>> BallSupremum(inner(W, G), W, Symbol('B', positive=True)).radius
    B
    """

    def __new__(cls, expr, variable, radius):
        if not isinstance(variable, sp.MatrixSymbol):
            raise ValueError(f"BallSupremum needs a MatrixSymbol to maximise over, got {variable!r}")
        expr = sp.sympify(expr)
        if getattr(expr, "is_Matrix", False):
            raise ValueError("BallSupremum needs a scalar expression")
        return super().__new__(cls, expr, variable, sp.sympify(radius))

    @property
    def function(self):
        return self.args[0]

    @property
    def radius(self):
        return self.args[2]

    def _eval_is_real(self):
        return True

    def _latex(self, printer):
        w = printer._print(self.variable)
        return r"\sup_{\|%s\|_F \le %s} %s" % (w, printer._print(self.radius), printer._print(self.function))


class _Normal:
    """What the scalar and the matrix normal expectations share: ``args = (body, x, μ, Σ)``,
    validated shapes, and the parameters' names."""

    def __new__(cls, body, variable, mean, cov):
        if not (isinstance(variable, sp.MatrixSymbol) and variable.shape[1] == 1):
            raise ValueError(f"a normal expectation needs a column MatrixSymbol, got {variable!r}")
        mean, cov = sp.sympify(mean), sp.sympify(cov)
        k = variable.shape[0]
        if getattr(mean, "shape", None) != (k, 1) or getattr(cov, "shape", None) != (k, k):
            raise ValueError(f"x ~ N(mean, cov) with x of shape {variable.shape} needs a {k}×1 mean and a {k}×{k} "
                             f"covariance, got {getattr(mean, 'shape', mean)} and {getattr(cov, 'shape', cov)}")
        return super().__new__(cls, sp.sympify(body), variable, mean, cov)

    body = property(lambda self: self.args[0])
    variable = property(lambda self: self.args[1])
    mean = property(lambda self: self.args[2])
    cov = property(lambda self: self.args[3])


class NormalExpectation(_Normal, BoundVariableExpr):
    """``E_{x ~ N(μ, Σ)}[f(x)]`` of a scalar ``f``: ``args = (f, x, μ, Σ)``. Build it (or its
    matrix-valued twin) with :func:`expectation`.

    >>> from sympy import MatrixSymbol
    >>> x, mu, S = MatrixSymbol('x', 2, 1), MatrixSymbol('mu', 2, 1), MatrixSymbol('Sigma', 2, 2)
    >>> expectation((x.T * x)[0, 0], x, mu, S).free_symbols == {mu, S}
    True
    """


class MatrixNormalExpectation(_Normal, MatrixExpr):
    """``E_{x ~ N(μ, Σ)}[F(x)]`` of a matrix ``F``, entry by entry: ``args = (F, x, μ, Σ)``.

    >>> from sympy import MatrixSymbol
    >>> x, mu, S = MatrixSymbol('x', 2, 1), MatrixSymbol('mu', 2, 1), MatrixSymbol('Sigma', 2, 2)
    >>> expectation(x * x.T, x, mu, S).shape
    (2, 2)
    """

    @property
    def shape(self):
        return self.body.shape

    @property
    def free_symbols(self):
        return (self.body.free_symbols - {self.variable}) | self.mean.free_symbols | self.cov.free_symbols

    def _entry(self, i, j, **kwargs):
        return MatrixElement(self, i, j)


def expectation(body, variable, mean, cov):
    """``E_{x ~ N(mean, cov)}[body]``: a :class:`NormalExpectation`, or a
    :class:`MatrixNormalExpectation` when ``body`` is a matrix.

    >>> from sympy import MatrixSymbol, Identity, ZeroMatrix
    >>> x = MatrixSymbol('x', 3, 1)
    >>> type(expectation(x, x, ZeroMatrix(3, 1), Identity(3))).__name__
    'MatrixNormalExpectation'
    """
    body = sp.sympify(body)
    kind = MatrixNormalExpectation if getattr(body, "is_Matrix", False) else NormalExpectation
    return kind(body, variable, mean, cov)
