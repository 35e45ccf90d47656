"""Evaluate SymPy statements on concrete instances, in float64 or exactly.

Float mode returns a value and a first-order bound on its accumulated rounding error
(Higham's running error analysis: ``|fl(AB) - AB| <= γ_k |A||B|`` and friends), so that
tolerances come from the computation itself, not from a hand-picked epsilon. Exact mode
works on SymPy numbers in object arrays (rationals stay rationals).

Values: a scalar is an array of shape ``batch``; a matrix has shape ``batch + (m, n)``.
The batch axis lets Gaussian expectations and feature averages be evaluated at many
points at once.

Matrix bounds stay factored (:mod:`.bounds`); a matrix value also carries a factored bound of
its own magnitude, so the rounding of a sum or a scaling is written on the products it
came from instead of costing a pass over the result. An evaluator given a ``memo`` (one
per instance) computes each product and sum once for all the definitions and steps that
share it. Expressions are compiled once into nodes (:mod:`.nodes`): an ``op_<Kind>`` method
takes the values of a node's children, an ``_ev_<Kind>`` method evaluates its own subtree.
"""
from __future__ import annotations

import functools
from typing import Mapping

import numpy as np
import sympy as sp

from ..symbolic.objects import FeatureAverage, GaussianExpectation, Gradient
from .bounds import LazyBound, chain_order, is_nonnegative, is_zero_bound, note_nonnegative, zero_bound
from .frozen import freeze, remembered
from .constructs import Constructs
from .derivatives import exact_gradient, finite_difference_gradient, scalar_derivative
from .nodes import bind_operations, node_of
from .supremum import ball_supremum_value
from .values import UNIT_ROUNDOFF, EvaluationError, Value, gamma  # noqa: F401  (re-exported)

HERMITE_NODES = (24, 36)


class Evaluator(Constructs):
    """Walks a SymPy expression tree. ``env`` maps symbols (scalars, dims, matrices) to values.

    >>> import sympy as sp
    >>> A = sp.MatrixSymbol('A', 2, 2)
    >>> ev = Evaluator({A: np.eye(2)})
    >>> float(ev.value(sp.Trace(A * A)).val)
    2.0
    """

    def __init__(self, env: Mapping, exact: bool = False, memo: dict | None = None):
        self.exact = exact
        self.env = dict(env)
        self._given = len(self.env)  # the env's first entries are the given ones, then the defined
        self._names = None  # name -> value, built only when a matrix is not found as itself
        self._batched = False
        # Values of products and sums already computed on this env (an instance shares one
        # memo among its definitions and every step evaluated on it); only for an env whose
        # values never change, so a child evaluator that changes a symbol starts its own.
        self._memo = memo
        # Every node this evaluator has evaluated: its env only grows, so a value stays valid
        # (unless a matrix was found by name, which a later definition could shadow).
        self._seen: dict = {}
        self._found_by_name = False

    def child(self, bindings: Mapping, *, exact: bool | None = None, batched: bool | None = None) -> "Evaluator":
        """A new evaluator on this env with ``bindings`` added or replaced (its own memo);
        ``exact`` and ``batched`` (values carry a leading batch axis) default to this one's.

        >>> x = sp.Symbol('x')
        >>> Evaluator({x: 1.0}).child({x: 2.0}).value(x).val
        2.0
        """
        child = type(self)({**self.env, **bindings}, exact=self.exact if exact is None else exact)
        child._batched = self._batched if batched is None else batched
        return child

    def define(self, symbol, value) -> None:
        """Add a defined symbol's value (the env only grows: memoised values stay valid)."""
        if symbol in self.env:
            raise ValueError(f"{symbol} already has a value")
        self.env[symbol] = value
        if self._names is not None:
            self._names.setdefault(getattr(symbol, "name", None), value)
        if self._found_by_name:
            self._seen.clear()

    def _value_by_name(self, name: str):
        """The value of the symbol named ``name``: among the given symbols the last one of that
        name, else the first defined one (the table is built at the first need)."""
        if self._names is None:
            items = list(self.env.items())
            self._names = {getattr(k, "name", None): v for k, v in items[:self._given]}
            for k, v in items[self._given:]:
                self._names.setdefault(getattr(k, "name", None), v)
        return self._names.get(name)

    # ---------------------------------------------------------------- entry points
    def value(self, expr) -> Value:
        """The value of ``expr`` (with its rounding-error bound in float mode)."""
        return self.node_value(node_of(expr))

    def node_value(self, node) -> Value:
        seen = self._seen
        out = seen.get(node)
        if out is not None:
            return out
        memo = self._memo if node.memoised else None
        if memo is not None:
            out = memo.get(node)
        if out is None:
            out = node.op(self, node.expr, [seen.get(c) or self.node_value(c) for c in node.children])
            if memo is not None:
                memo[node] = _frozen(out)
        seen[node] = out
        return out

    def dim(self, n) -> int:
        if isinstance(n, (int, sp.Integer)):
            return int(n)
        size = self.env.get(n)
        if type(size) is int:
            return size
        if isinstance(size, (int, sp.Integer)):
            return int(size)
        try:
            size = self.env[n] if n in self.env else sp.sympify(n).xreplace(
                {s: self.env[s] for s in n.free_symbols})
            value = float(size)
        except (KeyError, TypeError) as exc:
            raise EvaluationError(f"no size given for dimension {n}") from exc
        if not value.is_integer():
            raise EvaluationError(f"{n} = {value:g} at this instance, not a whole number (declare it integer=True)")
        return int(value)

    def integer_value(self, expr, what: str) -> int:
        """The whole number ``expr`` takes at this instance (a number, a size or an integer symbol)."""
        if isinstance(expr, (int, sp.Integer)):
            return int(expr)
        if expr.is_integer is not True:
            raise EvaluationError(f"{what} is {expr}, which is not declared an integer (Symbol(..., integer=True))")
        return self.dim(expr)

    # ---------------------------------------------------------------- helpers
    def _abs(self, x):
        return np.abs(x) if not self.exact else None

    def _round(self, v):
        """The rounding error of storing ``v``: ``u |v|``."""
        if type(v) is np.float64:
            return UNIT_ROUNDOFF * abs(v)
        return self._abs_times(v, UNIT_ROUNDOFF)

    @staticmethod
    def _abs_times(x, c):
        """``c |x|``; for a matrix and a scalar ``c``, kept lazy (see bounds.py) so that the
        bound costs a pass over ``x`` only if a comparison needs it."""
        if isinstance(x, np.ndarray) and x.ndim == 2 and np.ndim(c) == 0 and x.dtype == float:
            return LazyBound.absolute(x, c) if c else 0.0
        return c * np.abs(x)

    def _number(self, x):
        if self.exact:
            return x
        return float(x)

    def _obj(self, a):
        return np.asarray(a, dtype=object)

    # ---------------------------------------------------------------- atoms
    def _ev_Number(self, e):
        if self.exact:
            return Value(e)
        v = float(e)
        exact_float = isinstance(e, sp.Integer) and abs(v) < 2**53
        return Value(v, 0.0 if exact_float else self._round(v))

    def _ev_NumberSymbol(self, e):
        if self.exact:
            return Value(e)
        v = float(e)
        return Value(v, self._round(v))

    def _ev_ImaginaryUnit(self, e):
        raise EvaluationError("complex values are not supported")

    def _ev_Symbol(self, e):
        if e not in self.env:
            raise EvaluationError(f"no value for symbol {e}")
        v = self.env[e]
        if isinstance(v, Value):
            return v
        return Value(v, None if self.exact else np.zeros_like(np.asarray(v, dtype=float)))

    def _ev_MatrixSymbol(self, e):
        v = self.env.get(_env_key(self.env, e))
        if v is None:
            v = self._value_by_name(e.name)
            self._found_by_name = True
        if v is None:
            raise EvaluationError(f"no value for matrix {e.name}")
        if isinstance(v, Value):
            return v
        _, rows, cols = e.args
        shape = (self.dim(rows), self.dim(cols))
        have = v.shape if type(v) is np.ndarray else np.shape(v)
        if have[-2:] != shape:
            raise EvaluationError(f"{e.name} has shape {have[-2:]}, expected {shape}")
        return Value(v, None if self.exact else zero_bound(have))

    def _ev_Identity(self, e):
        n = self.dim(e.rows)
        m = np.eye(n) if not self.exact else self._obj(sp.eye(n).tolist())
        return Value(m, None if self.exact else np.zeros((n, n)))

    def _ev_ZeroMatrix(self, e):
        shape = (self.dim(e.rows), self.dim(e.cols))
        m = np.zeros(shape) if not self.exact else np.full(shape, sp.Integer(0), dtype=object)
        return Value(m, None if self.exact else np.zeros(shape))

    def _ev_OneMatrix(self, e):
        shape = (self.dim(e.rows), self.dim(e.cols))
        if self.exact:
            return Value(self._obj([[sp.Integer(1)] * shape[1]] * shape[0]))
        return Value(_ones(shape), zero_bound(shape))

    def _ev_ImmutableDenseMatrix(self, e):
        parts = [[self.value(x) for x in row] for row in e.tolist()]
        val = np.array([[p.val for p in row] for row in parts], dtype=object if self.exact else float)
        if self.exact:
            return Value(val)
        return Value(val, np.array([[p.err for p in row] for row in parts], dtype=float))

    # ---------------------------------------------------------------- scalar arithmetic
    def op_Add(self, e, parts):
        total = parts[0].val
        for p in parts[1:]:
            total = total + p.val
        if self.exact:
            return Value(total)
        err = sum(p.err for p in parts) + (len(parts) - 1) * self._round(total)
        return Value(total, err)

    def op_MatAdd(self, e, parts):
        if self.exact or not all(getattr(p.val, "ndim", 0) == 2 for p in parts):
            return self.op_Add(e, parts)
        total = parts[0].val
        for p in parts[1:]:
            total = total + p.val
        n, shape = len(parts), total.shape
        growth = (1 + UNIT_ROUNDOFF) ** (n - 1)  # |fl(Σ x_i)| <= (1+u)^(n-1) Σ |x_i|
        mag = _tracked(LazyBound.combine([(growth, _magnitude(p)) for p in parts], shape))
        if mag is None:
            return Value(total, sum(p.err for p in parts) + (n - 1) * self._round(total))
        # The rounding of the sum, (n-1) u |total|, is written on the magnitudes of the parts.
        err = LazyBound.combine([(1.0, p.err) for p in parts] + [((n - 1) * UNIT_ROUNDOFF, mag)], shape)
        return Value(total, err, mag)

    def op_Mul(self, e, parts):
        result = parts[0].val
        err = None if self.exact else parts[0].err
        for p in parts[1:]:
            if not self.exact:
                err = err * np.abs(p.val) + np.abs(result) * p.err
            result = result * p.val
        if self.exact:
            return Value(result)
        return Value(result, err + (len(parts) - 1) * self._round(result))

    def op_Pow(self, e, parts):
        expo = e.args[1]
        if len(parts) == 2:  # a symbolic exponent
            b, x = parts
            if self.exact:
                return Value(b.val ** x.val)
            v = np.power(b.val, x.val)
            err = np.abs(v) * (np.abs(x.val / b.val) * b.err + np.abs(np.log(np.abs(b.val))) * x.err)
            return Value(v, err + 4 * self._round(v))
        b = parts[0]
        p = float(expo)
        if self.exact:
            return Value(b.val ** expo)
        if 0 < p < 1:
            return self._fractional_power(e, b, p)
        if not p.is_integer() and np.any(np.asarray(b.val) < 0):
            raise EvaluationError(f"negative base under fractional power in {e}")
        v = np.power(b.val, p)
        deriv = abs(p) * np.abs(np.power(b.val, p - 1)) if p != 0 else 0.0
        return Value(v, deriv * b.err + (abs(p) + 1) * self._round(v))

    def _fractional_power(self, e, b: Value, p: float) -> Value:
        """``b^p`` for ``0 < p < 1``: ``x^p`` is ``p``-Hölder with constant 1, so the error is at
        most ``min(p b^{p−1} e_b, e_b^p)`` (finite at ``b = 0``); a base within its rounding
        bound of zero counts as zero (e.g. ``sqrt`` of an MMD² of equal distributions)."""
        base, err = np.asarray(b.val, float), np.asarray(b.err, float)
        if np.any(base < -4 * err):
            raise EvaluationError(f"negative base under fractional power in {e}")
        clamped = base < 0
        err = np.where(clamped, err - base, err)
        base = np.where(clamped, 0.0, base)
        v = np.power(base, p)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope_bound = np.where(base > 0, p * np.power(np.where(base > 0, base, 1.0), p - 1) * err, np.inf)
        return Value(v, np.minimum(slope_bound, np.power(err, p)) + 2 * self._round(v))

    def op_exp(self, e, parts):
        x = parts[0]
        if self.exact:
            return Value(np.vectorize(sp.exp, otypes=[object])(x.val) if np.ndim(x.val) else sp.exp(x.val))
        v = np.exp(x.val)
        return Value(v, np.abs(v) * x.err + 2 * self._round(v))

    def op_cos(self, e, parts):
        """``cos x``: ``|cos(x+ε) − cos x| <= |ε|``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.cos, np.cos, lambda x, err: np.ones_like(x))

    def op_sin(self, e, parts):
        """``sin x``: ``|sin(x+ε) − sin x| <= |ε|``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.sin, np.sin, lambda x, err: np.ones_like(x))

    def op_cosh(self, e, parts):
        """``cosh x``: ``|cosh(x+ε) − cosh x| <= sinh(|x|+|ε|)|ε|``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.cosh, np.cosh, lambda x, err: np.sinh(np.abs(x) + err))

    def op_sinh(self, e, parts):
        """``sinh x``: ``|sinh(x+ε) − sinh x| <= cosh(|x|+|ε|)|ε|``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.sinh, np.sinh, lambda x, err: np.cosh(np.abs(x) + err))

    def op_tanh(self, e, parts):
        """``tanh x``: ``|tanh(x+ε) − tanh x| <= |ε|``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.tanh, np.tanh, lambda x, err: np.ones_like(x))

    def _elementary(self, x: Value, exact_fn, float_fn, slope) -> Value:
        """``f(x)`` entrywise; float error ``slope(|x|, ε)·ε + 2u|f(x)|`` where ``slope`` bounds
        ``|f'|`` on ``[x − ε, x + ε]``; exact mode gives SymPy's value (not rational: no proof)."""
        if self.exact:
            return Value(np.vectorize(exact_fn, otypes=[object])(x.val) if np.ndim(x.val) else exact_fn(x.val))
        v = float_fn(x.val)
        err = np.abs(np.asarray(x.err, dtype=float))
        return Value(v, slope(np.asarray(x.val, dtype=float), err) * err + 2 * self._round(v))

    def op_log(self, e, parts):
        x = parts[0]
        if self.exact:
            return Value(sp.log(x.val))
        if np.any(np.asarray(x.val) <= 0):
            raise EvaluationError(f"log of a non-positive value in {e}")
        v = np.log(x.val)
        return Value(v, x.err / np.abs(x.val) + 2 * self._round(v))

    def op_Abs(self, e, parts):
        x = parts[0]
        if self.exact:
            return Value(abs(x.val))
        return Value(np.abs(x.val), x.err)

    # ---------------------------------------------------------------- matrices
    def op_product(self, key, parts):
        """The matrix product of a MatMul (see :func:`.nodes._matmul_node`)."""
        return self._chain(parts)

    def op_scaled(self, e, parts):
        """A MatMul with a scalar factor: the product ``parts[0]`` times the scalar ``parts[1]``."""
        return self._scale(parts[0], parts[1])

    def _scale(self, m: Value, c: Value) -> Value:
        cv = c.val if isinstance(c.val, float) or np.ndim(c.val) == 0 else np.asarray(c.val)[..., None, None]
        if self.exact:
            return Value(m.val * cv)
        ce = c.err if isinstance(c.err, float) or np.ndim(c.err) == 0 else np.asarray(c.err)[..., None, None]
        v = m.val * cv
        if isinstance(v, np.ndarray) and v.ndim == 2 and (isinstance(cv, float) or np.ndim(cv) == 0):
            # |v| <= (1+u)|c||m|: the rounding of v is written on m's magnitude.
            size = _magnitude(m)
            factor = abs(float(cv))
            err = LazyBound.combine([(factor, m.err), (float(ce) + UNIT_ROUNDOFF * (1 + UNIT_ROUNDOFF) * factor, size)],
                                    v.shape)
            growth = (1 + UNIT_ROUNDOFF) * factor
            return Value(v, err, size.scaled(growth) if growth >= 0 else size * growth)  # NaN: dense, as before
        return Value(v, m.err * np.abs(cv) + self._abs_times(m.val, ce) + self._round(v))

    def _chain(self, values: list) -> Value:
        """The product of ``values`` in the cheapest association order (matrix-chain DP).

        The rounding bound is that of the products actually computed, whatever the order.
        """
        if self.exact or len(values) < 3 or any(np.ndim(v.val) != 2 for v in values):
            acc = values[0]
            for v in values[1:]:
                acc = self._matmul(acc, v)
            return acc
        split = chain_order([v.val.shape for v in values])[1]
        if len(values) == 3:  # the common case, without the recursion
            a, b, c = values
            return self._matmul(a, self._matmul(b, c)) if split[0][2] == 0 else self._matmul(self._matmul(a, b), c)
        return self._chain_part(values, split, 0, len(values) - 1)

    def _chain_part(self, values, split, i, j) -> Value:
        """``values[i] … values[j]`` as split by the DP (a method, not a recursive closure: a
        closure that calls itself is a reference cycle, which would keep every array of the
        evaluator alive until the garbage collector runs)."""
        if i == j:
            return values[i]
        k = split[i][j]
        return self._matmul(self._chain_part(values, split, i, k), self._chain_part(values, split, k + 1, j))

    def _matmul(self, a: Value, b: Value) -> Value:
        if self.exact:
            return Value(np.matmul(self._obj(a.val), self._obj(b.val)))
        av, bv = a.val, b.val
        v = np.matmul(av, bv)
        if v.ndim == 2 and av.ndim == 2:  # the bound stays factored (see bounds.py)
            g = gamma(av.shape[1])
            nonnegative = is_nonnegative(av) and is_nonnegative(bv)
            # For A, B >= 0 the product is its own magnitude: nothing to multiply out again.
            mag = None if nonnegative else _tracked(_magnitude(a).times_bound(_magnitude(b), 1 + g))
            return Value(v, LazyBound.product(av, a.err, bv, b.err, g, value=v, nonnegative=nonnegative), mag)
        k = np.shape(av)[-1]
        err = np.abs(a.val) @ np.asarray(b.err) + np.asarray(a.err) @ np.abs(b.val) \
            + gamma(k) * (np.abs(a.val) @ np.abs(b.val))
        return Value(v, err)

    def op_Transpose(self, e, parts):
        x = parts[0]
        t = _swapped(x.val)
        if isinstance(x.err, LazyBound):
            return Value(t, x.err.T, x.mag.T if isinstance(x.mag, LazyBound) else None)
        return Value(t, None if self.exact else _swapped(x.err))

    def op_Inverse(self, e, parts):
        x = parts[0]
        if self.exact:
            if np.ndim(x.val) != 2:
                raise EvaluationError("exact inverse of a batch is not supported")
            inv = sp.Matrix(x.val.tolist()).inv()
            return Value(self._obj(inv.tolist()))
        n = np.shape(x.val)[-1]
        inv = np.linalg.inv(x.val)
        ainv = np.abs(inv)
        err = ainv @ (x.err + gamma(3 * n) * np.abs(x.val)) @ ainv
        return Value(inv, err)

    def _ev_MatPow(self, e):
        """``X^p`` for an integer ``p``, a number or an integer symbol drawn at the instance
        (``X^0 = I``, a negative power is a power of the inverse)."""
        base, p = e.args
        power = self.integer_value(p, f"the exponent of {e}")
        if power < 0:
            base, power = sp.Inverse(base), -power
        if power == 0:
            return self.value(sp.Identity(base.shape[0]))
        acc = self.value(base)
        for _ in range(power - 1):
            acc = self._matmul(acc, self.value(base))
        return acc

    def op_Trace(self, e, parts):
        x = parts[0]
        if not self.exact and isinstance(x.val, np.ndarray) and x.val.shape == (1, 1):
            # tr of a 1×1 matrix (a scalar such as φᵀ Φ 1): its entry, and no rounding of its own
            err = x.err
            if isinstance(err, LazyBound):
                return Value(x.val[0, 0], err.only_entry())
            return Value(x.val[0, 0], np.asarray(err)[0, 0] if np.ndim(err) else err)
        tr = np.trace(x.val, axis1=-2, axis2=-1)
        if self.exact:
            return Value(tr)
        n = np.shape(x.val)[-1]
        return Value(tr, np.trace(x.err, axis1=-2, axis2=-1) + gamma(n) * np.trace(np.abs(x.val), axis1=-2, axis2=-1))

    def _ev_MatrixElement(self, e):
        x = self.value(e.parent)
        i, j = self.dim(e.i), self.dim(e.j)
        rows, cols = np.shape(x.val)[-2:]
        if not (0 <= i < rows and 0 <= j < cols):
            raise EvaluationError(f"entry ({i}, {j}) of {e.parent}, which is {rows}×{cols} here")
        return Value(x.val[..., i, j], None if self.exact else x.err[..., i, j])

    def op_BlockMatrix(self, e, parts):
        width = e.blockshape[1]
        rows = [parts[i:i + width] for i in range(0, len(parts), width)]
        if self.exact:
            return Value(np.block([[b.val for b in row] for row in rows]).astype(object))
        if all(is_zero_bound(b.err) for row in rows for b in row):
            # Blocks of a frozen instance: built once, frozen, shared by every step.
            shape = [len(row) for row in rows]
            flat = tuple(b.val for row in rows for b in row)
            val = remembered(f"block{shape}", flat, lambda *blocks: freeze(_block(_rows_of(blocks, shape))))
            if all(is_nonnegative(b) for b in flat):
                note_nonnegative(val)
            return Value(val, zero_bound(val.shape))
        val = _block([[b.val for b in row] for row in rows])
        return Value(val, np.block([[np.asarray(b.err) for b in row] for row in rows]))

    def op_KroneckerProduct(self, e, parts):
        acc = parts[0]
        for p in parts[1:]:
            if self.exact:
                acc = Value(np.kron(self._obj(acc.val), self._obj(p.val)))
            else:
                v = np.kron(acc.val, p.val)
                acc = Value(v, np.kron(np.abs(acc.val), p.err) + np.kron(acc.err, np.abs(p.val)) + self._round(v))
        return acc

    # ---------------------------------------------------------------- calculus and probability
    def _ev_Gradient(self, e: Gradient):
        point = self.value(e.point)
        if self.exact:
            return Value(exact_gradient(e.function, e.variable, point.val, self))
        return finite_difference_gradient(e.function, e.variable, point.val, self)

    def _ev_GaussianExpectation(self, e: GaussianExpectation):
        if self.exact:
            raise EvaluationError("a Gaussian expectation has no exact evaluation here")
        k = self.dim(e.variable.shape[0])
        if k > 3:
            raise EvaluationError(f"Gaussian expectation in dimension {k} > 3: use a Monte Carlo check")
        estimates = [self._hermite(e, k, n) for n in HERMITE_NODES]
        coarse, fine = estimates
        err = np.abs(fine.val - coarse.val) + fine.err
        return Value(fine.val, err)

    def _hermite(self, e, k, n):
        nodes, weights = np.polynomial.hermite_e.hermegauss(n)
        weights = weights / np.sqrt(2 * np.pi)
        grids = np.meshgrid(*([nodes] * k), indexing="ij")
        points = np.stack([g.ravel() for g in grids], axis=-1)[:, :, None]
        w = np.prod(np.meshgrid(*([weights] * k), indexing="ij"), axis=0).ravel()
        inner_value = self._batched_value(e.integrand, e.variable, points)
        val = np.sum(w * inner_value.val)
        err = np.sum(w * (inner_value.err + np.abs(inner_value.val) * gamma(len(w))))
        return Value(val, err)

    def _ev_FeatureAverage(self, e: FeatureAverage):
        draws = self.value(e.draws).val
        points = np.swapaxes(np.asarray(draws), -1, -2)[..., :, :, None]
        inner_value = self._batched_value(e.summand, e.variable, points)
        m = points.shape[-3]
        total = np.sum(inner_value.val, axis=-1) if not self.exact else sum(inner_value.val.tolist())
        if self.exact:
            return Value(total / m)
        err = np.sum(inner_value.err, axis=-1) + gamma(m) * np.sum(np.abs(inner_value.val), axis=-1)
        return Value(total / m, err / m + self._round(total / m))

    def _batched_value(self, expr, variable, points) -> Value:
        if self._batched:
            raise EvaluationError("nested expectations or averages are not supported")
        child = self.child({variable: points}, batched=True)
        return child.value(expr)

    # ---------------------------------------------------------------- entrywise, sums, signs, suprema
    def op_HadamardProduct(self, e, parts):
        """Entrywise product ``A ∘ B``; error ``|A| e_B + e_A |B| + u|A∘B|``."""
        acc = parts[0]
        for p in parts[1:]:
            v = acc.val * p.val
            acc = Value(v) if self.exact else Value(v, np.abs(acc.val) * p.err + acc.err * np.abs(p.val)
                                                      + self._round(v))
        return acc

    def op_DiagMatrix(self, e, parts):
        """``diag(v)`` of a column (or row) vector ``v``, batch-aware."""
        x = parts[0]
        vec = np.asarray(x.val)
        vec = vec[..., :, 0] if vec.shape[-1] == 1 else vec[..., 0, :]
        n = vec.shape[-1]
        eye = np.eye(n, dtype=object if self.exact else float)
        if self.exact:
            return Value(vec[..., :, None] * eye)
        ev = np.asarray(x.err)
        ev = ev[..., :, 0] if ev.shape[-1] == 1 else ev[..., 0, :]
        return Value(vec[..., :, None] * eye, ev[..., :, None] * eye)

    def _ev_Derivative(self, e):
        """``d f / d x`` for one scalar symbol: exact differentiation, or central differences."""
        return scalar_derivative(e, self)

    def _ev_RademacherExpectation(self, e):
        """Exact mean over all ``2^k`` sign patterns of the ``k`` entries of ``σ`` (``k <= 16``)."""
        rows, cols = self.dim(e.variable.shape[0]), self.dim(e.variable.shape[1])
        k = rows * cols
        if k > 16:
            raise EvaluationError(f"{2 ** k} sign patterns are too many to enumerate: use a Monte Carlo check")
        signs = 1 - 2 * ((np.arange(2**k)[:, None] >> np.arange(k)) & 1)
        points = signs.reshape(2**k, rows, cols)
        if self.exact:
            points = np.vectorize(sp.Integer, otypes=[object])(points)
        inner_value = self._batched_value(e.integrand, e.variable, points.astype(object if self.exact else float))
        vals = np.broadcast_to(np.asarray(inner_value.val), (2**k,) + np.shape(inner_value.val)[1:])
        if self.exact:
            return Value(sum(vals.tolist(), sp.Integer(0)) / 2**k)
        errs = np.broadcast_to(np.asarray(inner_value.err), vals.shape)
        mean = np.mean(vals, axis=0)
        return Value(mean, np.mean(errs, axis=0) + gamma(2**k) * np.mean(np.abs(vals), axis=0))

    def _ev_BallSupremum(self, e):
        """``sup_{||W||_F <= r} f(W)`` for ``f`` at most quadratic in ``W`` (trust-region solve)."""
        return ball_supremum_value(e, self)


bind_operations(Evaluator)

MAX_MAGNITUDE_TERMS = 8  # beyond this a magnitude bound is not tracked: |val| is used


@functools.lru_cache(maxsize=256)
def _ones(shape) -> np.ndarray:
    """A read-only array of ones, shared, known to be nonnegative."""
    ones = freeze(np.ones(shape))
    note_nonnegative(ones)
    return ones


def _magnitude(x: Value) -> LazyBound:
    """An entrywise bound of ``|x.val|`` (of a 2-D value): the tracked one, else ``|x.val|`` itself."""
    return x.mag if isinstance(x.mag, LazyBound) else LazyBound.absolute(x.val, 1.0)


def _tracked(bound: LazyBound):
    return bound if len(bound.terms) <= MAX_MAGNITUDE_TERMS else None


# A matrix symbol -> the equal object an env was found keyed by: a lookup with the very key
# object is decided by identity, without SymPy's structural __eq__ (equal symbols built apart).
_ENV_KEYS: dict = {}


def _env_key(env: dict, e):
    """An object equal to ``e`` to look ``e`` up in ``env`` with: the env's own key for it when
    ``e`` (or an equal symbol) was met before, else ``e`` (and the env's key is learnt).

    >>> a, b = sp.MatrixSymbol('K', 2, 2), sp.MatrixSymbol('K', 2, 2)  # equal, not the same object
    >>> _env_key({a: 1}, b) == b, _env_key({a: 1}, b) is a
    (True, True)
    """
    key = _ENV_KEYS.get(e)
    if key is not None:
        return key
    if e in env:
        if len(_ENV_KEYS) >= 10_000:
            _ENV_KEYS.clear()
        _ENV_KEYS[e] = next((k for k in env if k is e), None) or next(k for k in env if hash(k) == hash(e) and k == e)
        return _ENV_KEYS[e]
    return e


def _swapped(x):
    """``np.swapaxes(x, -1, -2)``, as the cheaper ``x.T`` for a 2-D array."""
    return x.T if type(x) is np.ndarray and x.ndim == 2 else np.swapaxes(x, -1, -2)


def _frozen(value: Value) -> Value:
    """A memoised value is shared: its arrays are made read-only so no caller can alter it."""
    if isinstance(value.val, np.ndarray):
        freeze(value.val)
    if not isinstance(value.err, LazyBound):
        freeze(value.err)
    return value


def _rows_of(flat, lengths) -> list:
    out, start = [], 0
    for n in lengths:
        out.append(list(flat[start:start + n]))
        start += n
    return out


def _block(rows) -> np.ndarray:
    """``np.block(rows)``; blocks that are all transposed views (``Φᵀ``) are copied as the
    transpose of the block of their transposes, reading memory in order (several times faster).

    >>> a = np.arange(6.0).reshape(2, 3)
    >>> all(np.array_equal(_block(r), np.block(r)) for r in ([[a.T, a.T]], [[a.T], [a.T]], [[a, a], [a, a]]))
    True
    """
    flat = [b for row in rows for b in row]
    if all(isinstance(b, np.ndarray) and b.ndim == 2 and b.flags.f_contiguous and not b.flags.c_contiguous
           for b in flat):
        return _block([[b.T for b in column] for column in zip(*rows)]).T
    if all(isinstance(b, np.ndarray) and b.ndim >= 2 for b in flat):  # np.block's own checks cost more
        if len(rows) == 1:
            return np.concatenate(rows[0], axis=-1)
        if all(len(row) == 1 for row in rows):
            return np.concatenate([row[0] for row in rows], axis=-2)
    return np.block(rows)


def evaluate(expr, env: Mapping, exact: bool = False) -> Value:
    """Evaluate ``expr`` with the symbol values in ``env``.

    >>> import sympy as sp
    >>> x = sp.Symbol('x')
    >>> evaluate(2 * x, {x: 3.0}).val
    6.0
    """
    return Evaluator(env, exact=exact).value(expr)
