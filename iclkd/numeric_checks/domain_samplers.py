"""Draws inside a stated domain: scalars by their SymPy assumptions, matrices by ``Q`` predicates.

A scalar's magnitude comes from one of :data:`POSITIVE_STRATA` (integers: :data:`INTEGER_STRATA`),
chosen by the instance's *stratum*, so that four instances see four scales: a claim true only
for values near 1 (``|x − 3| = 3 − x`` for ``x > 0``) meets values far from 1. Matrices with
predicates are built to satisfy them exactly (symmetric, positive definite, orthogonal, …), in
float64 or in exact rationals (an exact orthogonal matrix is the Cayley transform of a rational
skew matrix, with column signs). :func:`matrix_satisfies` is the oracle that checks a value.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

# (low, high, spacing) of a positive magnitude, one per stratum.
POSITIVE_STRATA = ((0.5, 2.0, "linear"), (5.0, 100.0, "log"), (0.01, 0.2, "log"), (1e-3, 1e3, "log"))
# (low, high) of a positive integer magnitude, one per stratum.
INTEGER_STRATA = ((1, 4), (5, 30), (1, 10), (1, 100))
EXACT_RANGE = 10**6  # numerators and denominators of exact Gaussian draws (Schwartz–Zippel)
MATRIX_SCALE = 0.5  # the standard deviation of a default Gaussian matrix entry
SIGNIFICANT_DIGITS = 7  # an exact draw is a float draw rounded to this many digits, as a rational

SIGNS = ("positive", "nonnegative", "negative", "nonpositive", "nonzero", "real", "zero")
# Matrix predicates that can be drawn, by name (positive_semidefinite is not in SymPy 1.14's Q,
# but a user's own Predicate of that name is honoured).
MATRIX_PREDICATES = ("symmetric", "positive_definite", "positive_semidefinite", "orthogonal", "diagonal",
                     "invertible", "fullrank", "upper_triangular", "lower_triangular", "triangular",
                     "unit_triangular", "integer_elements", "real_elements", "square")
# Predicates that survive multiplying the matrix by a positive number (an underflow redraw).
SCALE_INVARIANT = {"symmetric", "positive_definite", "positive_semidefinite", "diagonal", "invertible",
                   "fullrank", "upper_triangular", "lower_triangular", "triangular", "real_elements", "square"}


def exact_rational(value: float) -> sp.Rational:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits, as a rational.

    >>> exact_rational(0.00123456789)  # 0.001234568
    154321/125000000
    """
    if value == 0:
        return sp.Integer(0)
    shift = SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(abs(value)))
    return sp.Rational(int(round(value * 10.0**shift)), 10**shift) if shift > 0 else sp.Integer(int(round(value)))


def positive_magnitude(rng, stratum: int) -> float:
    """A positive number at the scale of ``stratum`` (see :data:`POSITIVE_STRATA`).

    >>> [0.5 <= positive_magnitude(np.random.default_rng(0), 0) <= 2, positive_magnitude(np.random.default_rng(0), 1) >= 5]
    [True, True]
    """
    low, high, spacing = POSITIVE_STRATA[stratum % len(POSITIVE_STRATA)]
    if spacing == "linear":
        return float(rng.uniform(low, high))
    return float(math.exp(rng.uniform(math.log(low), math.log(high))))


def integer_magnitude(rng, stratum: int) -> int:
    """A positive integer at the scale of ``stratum`` (see :data:`INTEGER_STRATA`).

    >>> 5 <= integer_magnitude(np.random.default_rng(0), 1) <= 30
    True
    """
    low, high = INTEGER_STRATA[stratum % len(INTEGER_STRATA)]
    return int(rng.integers(low, high + 1))


def draw_scalar(rng, exact: bool, *, sign: str, integer: bool, stratum: int, parity=None):
    """One scalar with the given sign (one of :data:`SIGNS`), integer or real.

    Nonnegative and nonpositive draws are 0 a quarter of the time in stratum 2; an even or odd
    integer has ``parity`` 0 or 1. Float draws are ``np.float64`` (so that NumPy sees every
    underflow), exact draws SymPy rationals or integers.

    >>> rng = np.random.default_rng(1)
    >>> all(draw_scalar(rng, False, sign='negative', integer=False, stratum=k) < 0 for k in range(8))
    True
    >>> all(v.is_Integer and v > 0 for v in (draw_scalar(rng, True, sign='positive', integer=True, stratum=k) for k in range(4)))
    True
    """
    if sign == "zero":
        return sp.Integer(0) if exact else np.float64(0.0)
    if sign in ("nonnegative", "nonpositive") and stratum % 4 == 2 and rng.random() < 0.25 and parity != 1:
        return sp.Integer(0) if exact else np.float64(0.0)
    negative = sign in ("negative", "nonpositive") or (sign in ("nonzero", "real") and rng.random() < 0.5)
    if integer:
        m = integer_magnitude(rng, stratum)
        if parity is not None:
            m = 2 * m - 1 if parity == 1 else 2 * m
        value = -m if negative else m
        return sp.Integer(value) if exact else np.float64(value)
    value = positive_magnitude(rng, stratum) * (-1.0 if negative else 1.0)
    return exact_rational(value) if exact else np.float64(value)


def draw_between(rng, exact: bool, low, high, *, integer: bool, stratum: int, low_strict=False, high_strict=False):
    """A value in the interval from ``low`` to ``high`` (either may be ``None``: unbounded on that
    side); ``None`` when the interval is empty. Strict ends are never drawn.

    >>> rng = np.random.default_rng(0)
    >>> [2 < float(draw_between(rng, False, 2.0, None, integer=False, stratum=k, low_strict=True)) for k in range(4)]
    [True, True, True, True]
    >>> draw_between(rng, True, sp.Rational(1, 2), sp.Rational(3, 2), integer=True, stratum=0)
    1
    >>> draw_between(rng, False, 1.0, 1.0, integer=False, stratum=0, high_strict=True) is None
    True
    """
    if integer:
        low = None if low is None else (math.floor(low) + 1 if low_strict else math.ceil(low))
        high = None if high is None else (math.ceil(high) - 1 if high_strict else math.floor(high))
        low_strict = high_strict = False
    if low is not None and high is not None:
        if high < low or (high == low and (low_strict or high_strict)):
            return None
        if integer:
            value = int(rng.integers(int(low), int(high) + 1))
            return sp.Integer(value) if exact else np.float64(value)
        u = _fraction(rng, stratum)
        if exact:
            u = exact_rational(u)
            return sp.nsimplify(low) + (sp.nsimplify(high) - sp.nsimplify(low)) * u
        return np.float64(float(low) + (float(high) - float(low)) * u)
    if low is None and high is None:
        return draw_scalar(rng, exact, sign="real", integer=integer, stratum=stratum)
    if integer:
        step = integer_magnitude(rng, stratum) - 1
        value = int(low) + step if low is not None else int(high) - step
        return sp.Integer(value) if exact else np.float64(value)
    d = positive_magnitude(rng, stratum)
    if exact:
        return sp.nsimplify(low) + exact_rational(d) if low is not None else sp.nsimplify(high) - exact_rational(d)
    return np.float64(float(low) + d if low is not None else float(high) - d)


def _fraction(rng, stratum: int) -> float:
    """A number in (0, 1): uniform, or near one end (1e-3 … 1e-1 from it), by stratum."""
    kind = stratum % 4
    if kind in (0, 3):
        return float(rng.uniform(0.02, 0.98))
    near = float(math.exp(rng.uniform(math.log(1e-3), math.log(1e-1))))
    return near if kind == 1 else 1.0 - near


# ---------------------------------------------------------------- matrices

def _gaussian(rng, shape, exact):
    """Entries ``N(0, MATRIX_SCALE²)``; exact: the same draws as rationals."""
    value = rng.normal(0.0, MATRIX_SCALE, size=shape)
    if exact:
        return np.vectorize(exact_rational, otypes=[object])(value) if value.size else value.astype(object)
    return value


def _small_rational_matrix(rng, shape):
    """Rationals p/q with |p|, q <= 1000: exact constructions that invert stay small."""
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = sp.Rational(int(rng.integers(-1000, 1001)), int(rng.integers(1, 1001)))
    return out


def _eye(n, exact):
    return np.array(sp.eye(n).tolist(), dtype=object) if exact else np.eye(n)


def _matmul(a, b, exact):
    return np.dot(a, b) if not exact else np.array(sp.Matrix(a.tolist()) * sp.Matrix(b.tolist()), dtype=object)


def _signs(rng, n, exact):
    s = rng.choice([-1, 1], size=n)
    return np.array([sp.Integer(int(v)) for v in s], dtype=object) if exact else s.astype(float)


def orthogonal_matrix(rng, n: int, exact: bool):
    """A random orthogonal matrix: QR of a Gaussian with the sign fix (float), or the Cayley
    transform ``(I − S)(I + S)⁻¹`` of a rational skew ``S`` times random column signs (exact,
    so ``QᵀQ = I`` exactly; ``I + S`` is invertible for every skew ``S``).

    >>> q = orthogonal_matrix(np.random.default_rng(0), 3, True)
    >>> (sp.Matrix(q.tolist()).T * sp.Matrix(q.tolist())) == sp.eye(3)
    True
    """
    if not exact:
        q, r = np.linalg.qr(rng.normal(size=(n, n)))
        return q * np.where(np.diag(r) < 0, -1.0, 1.0)
    a = _small_rational_matrix(rng, (n, n))
    s = sp.Matrix(a.tolist())
    s = (s - s.T) / 2
    q = (sp.eye(n) - s) * (sp.eye(n) + s).inv()
    return np.array((q * sp.diag(*_signs(rng, n, True))).tolist(), dtype=object)


def _positive_diagonal(rng, n, exact, semidefinite):
    values = [positive_magnitude(rng, int(rng.integers(4))) for _ in range(n)]
    if semidefinite and n and rng.random() < 0.5:
        values[int(rng.integers(n))] = 0.0
    return [exact_rational(v) for v in values] if exact else values


def _psd(rng, n, exact, definite):
    """``G Gᵀ`` (rank ``r``, deficient half the time when only semidefinite) plus ``c I`` with
    ``c > 0`` when definite."""
    rank = n if definite or rng.random() < 0.5 else int(rng.integers(0, n)) if n > 1 else 0
    g = _gaussian(rng, (n, max(rank, 1)), exact)
    if rank == 0:
        g = g * 0
    out = _matmul(g, g.T, exact) / (1 if exact else max(rank, 1))
    if not exact:
        out = (out + out.T) / 2  # exactly symmetric: a BLAS product need not be
    if definite:
        c = positive_magnitude(rng, 2)  # 0.01 … 0.2: sometimes poorly conditioned
        out = out + (exact_rational(c) * _eye(n, True) if exact else c * np.eye(n))
    return out


def draw_matrix(rng, shape, exact: bool, predicates: frozenset):
    """A matrix of ``shape`` satisfying every predicate named in ``predicates`` (names from
    :data:`MATRIX_PREDICATES`); ``None`` when a draw happens to miss (singular, say): draw again.

    >>> rng = np.random.default_rng(0)
    >>> a = draw_matrix(rng, (4, 4), False, frozenset({'symmetric', 'positive_definite'}))
    >>> bool(np.all(np.linalg.eigvalsh(a) > 0)) and bool(np.array_equal(a, a.T))
    True
    """
    p = set(predicates) - {"real_elements"}
    rows, cols = shape
    if p - {"integer_elements", "fullrank"} and rows != cols:
        raise ValueError(f"a {rows}×{cols} matrix cannot be {' and '.join(sorted(p))}: not square")
    if "fullrank" in p and rows == cols:
        p = (p - {"fullrank"}) | {"invertible"}
    if {"upper_triangular", "lower_triangular"} <= p:
        p |= {"diagonal"}
    if "diagonal" in p:
        p -= {"upper_triangular", "lower_triangular", "triangular"}
    if "triangular" in p and not p & {"upper_triangular", "lower_triangular"}:
        p = (p - {"triangular"}) | {rng.choice(["upper_triangular", "lower_triangular"])}
    p.discard("triangular")
    if "unit_triangular" in p and not p & {"upper_triangular", "lower_triangular", "diagonal"}:
        p |= {rng.choice(["upper_triangular", "lower_triangular"])}
    triangular = p & {"upper_triangular", "lower_triangular"}
    if p & {"positive_definite", "positive_semidefinite"} and (triangular or "symmetric" in p and "orthogonal" in p):
        p = (p - triangular) | {"diagonal"}  # a triangular (or orthogonal) symmetric PSD matrix is diagonal
        triangular = set()
    if triangular and "symmetric" in p:
        p = (p - triangular) | {"diagonal"}
        triangular = set()
    n = rows
    if "orthogonal" in p:
        value = _orthogonal_with(rng, n, exact, p)
    elif "diagonal" in p:
        value = _diagonal_with(rng, n, exact, p)
    elif p & {"positive_definite", "positive_semidefinite"}:
        value = _psd(rng, n, exact, "positive_definite" in p or "invertible" in p)
    elif "symmetric" in p:
        g = _gaussian(rng, shape, exact)
        value = (g + g.T) / 2
    else:
        value = _gaussian(rng, shape, exact)
        if triangular:
            value = np.triu(value) if "upper_triangular" in triangular else np.tril(value)
            if exact:
                value = np.where(value == 0, sp.Integer(0), value).astype(object)
        if "unit_triangular" in p:
            np.fill_diagonal(value, sp.Integer(1) if exact else 1.0)
    if "integer_elements" in p:
        value = _rounded(value, exact, p)
    if p & {"invertible"} and not _invertible(value, exact):
        return None
    return value


def _orthogonal_with(rng, n, exact, p):
    if p & {"positive_definite", "positive_semidefinite", "unit_triangular"}:
        return _eye(n, exact)  # the only orthogonal PSD (or unit triangular) matrix is I
    if "diagonal" in p or p & {"upper_triangular", "lower_triangular"} or "integer_elements" in p:
        d = _signs(rng, n, exact)
        value = np.diag(d).astype(object if exact else float)
        if "integer_elements" in p and not ("diagonal" in p or p & {"upper_triangular", "lower_triangular"}):
            value = value[rng.permutation(n)]  # a signed permutation
        return value
    q = orthogonal_matrix(rng, n, exact)
    if "symmetric" in p:  # a reflection Q D Qᵀ with D = diag(±1)
        d = np.diag(_signs(rng, n, exact)).astype(object if exact else float)
        return _matmul(_matmul(q, d, exact), q.T, exact)
    return q


def _diagonal_with(rng, n, exact, p):
    if "unit_triangular" in p:
        return _eye(n, exact)
    if p & {"positive_definite", "positive_semidefinite"}:
        values = _positive_diagonal(rng, n, exact, "positive_definite" not in p and "invertible" not in p)
    else:
        g = _gaussian(rng, (n,), exact)
        values = list(g)
    out = np.zeros((n, n), dtype=object if exact else float)
    if exact:
        out[:] = sp.Integer(0)
    for i, v in enumerate(values):
        out[i, i] = v
    return out


def _rounded(value, exact, p):
    """Integer entries: a scaled, rounded copy (keeps symmetry, zeros, signs of a diagonal);
    positive definite: ``G Gᵀ + I`` with integer ``G``."""
    if p & {"positive_definite", "positive_semidefinite"} and "diagonal" not in p:
        g = np.rint(np.asarray(value, dtype=float) * 4)  # any integer G: G Gᵀ (+ I) is PSD (PD)
        out = g @ g.T + (np.eye(len(g)) if "positive_definite" in p or "invertible" in p else 0)
    else:
        out = np.asarray(value, dtype=float)
        out = np.where(np.abs(out) > 0, np.sign(out) * np.maximum(1.0, np.rint(np.abs(out) * 4)), 0.0)
        if "unit_triangular" in p:
            np.fill_diagonal(out, 1.0)
    if exact:
        return np.vectorize(lambda v: sp.Integer(int(v)), otypes=[object])(out)
    return out


def _invertible(value, exact) -> bool:
    if exact:
        return sp.Matrix(value.tolist()).det() != 0
    return bool(np.linalg.cond(value) < 1e8)


def matrix_satisfies(name: str, value, exact: bool, tolerance: float = 0.0):
    """Whether a drawn (or computed) matrix satisfies the predicate ``name``; floats to within
    ``tolerance`` (an absolute bound on each entry's error); ``None`` if it cannot tell.

    >>> matrix_satisfies('orthogonal', np.eye(2), False), matrix_satisfies('diagonal', np.ones((2, 2)), False)
    (True, False)
    """
    a = value
    n, m = np.shape(a)[-2:]
    if name in ("real_elements",):
        return True
    if name == "square":
        return n == m
    if n != m and name not in ("integer_elements", "fullrank"):
        return False
    if exact:
        return _exact_satisfies(name, sp.Matrix(np.asarray(a).tolist()))
    a = np.asarray(a, dtype=float)
    t = tolerance
    off = a - np.diag(np.diag(a)) if n == m else a
    if name == "symmetric":
        return bool(np.all(np.abs(a - a.T) <= 2 * t))
    if name == "diagonal":
        return bool(np.all(np.abs(off) <= t))
    if name in ("upper_triangular", "lower_triangular", "triangular", "unit_triangular"):
        upper, lower = np.all(np.abs(np.tril(a, -1)) <= t), np.all(np.abs(np.triu(a, 1)) <= t)
        if name == "unit_triangular":
            return bool((upper or lower) and np.all(np.abs(np.diag(a) - 1) <= t))
        return bool({"upper_triangular": upper, "lower_triangular": lower, "triangular": upper or lower}[name])
    if name in ("positive_definite", "positive_semidefinite"):
        if not np.all(np.abs(a - a.T) <= 2 * t):
            return False
        low = float(np.linalg.eigvalsh((a + a.T) / 2).min())
        slack = n * t
        return low > slack if name == "positive_definite" else low >= -slack
    if name == "orthogonal":
        return bool(np.all(np.abs(a.T @ a - np.eye(n)) <= 1e-12 * n + 4 * n * t * np.abs(a).max(initial=1.0)))
    if name in ("invertible", "fullrank"):
        smallest = float(np.linalg.svd(a, compute_uv=False).min())
        return smallest > 4 * max(n, m) * t if smallest > 0 else False
    if name == "integer_elements":
        return bool(np.all(np.abs(a - np.rint(a)) <= t))
    return None


def _exact_satisfies(name, a: sp.Matrix):
    if name == "symmetric":
        return a == a.T
    if name == "diagonal":
        return a.is_diagonal()
    if name == "upper_triangular":
        return a.is_upper
    if name == "lower_triangular":
        return a.is_lower
    if name == "triangular":
        return a.is_upper or a.is_lower
    if name == "unit_triangular":
        return (a.is_upper or a.is_lower) and all(a[i, i] == 1 for i in range(a.rows))
    if name == "positive_definite":
        return a == a.T and all(a[:k, :k].det() > 0 for k in range(1, a.rows + 1))
    if name == "positive_semidefinite":
        return a == a.T and bool(a.is_positive_semidefinite)
    if name == "orthogonal":
        return a.T * a == sp.eye(a.rows)
    if name in ("invertible", "fullrank"):
        return a.rank() == min(a.shape)
    if name == "integer_elements":
        return all(v.is_integer for v in a)
    return None
