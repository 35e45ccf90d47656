"""Evaluating the constructs authors write beyond products and sums: determinants, ``erf``,
``tan``, ``Max``/``Min``, ``Piecewise``, nested sums, definite integrals, limits and ``vec``.

Each float evaluation carries a bound on its error as the rest of the evaluator does: first
order in the rounding (:mod:`.determinant`), a Lipschitz constant for the elementary
functions, and for a quadrature or a limit the observed convergence of successive
refinements (an estimate, not a bound, so those are evidence and never proof; a sequence
that does not settle is an :class:`EvaluationError`, never a value). A ``Piecewise`` whose
condition is too close to call at an instance, an integral over an infinite range and a
singular determinant are errors with a message saying what to write instead.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import sympy as sp

from .determinant import exact_determinant, float_determinant
from .values import UNIT_ROUNDOFF, EvaluationError, Value, gamma

GAUSS_LEGENDRE_NODES = (16, 32, 64)   # successive quadrature rules; the last is the value
LIMIT_STEPS = tuple(10.0 ** -k for k in range(2, 8))   # distances to the limit point (1/x for ∞)
CONDITION_SAFETY = 4.0   # a Piecewise condition decided only when its margin exceeds this × its error
SLOPE_ERF = 2 / math.sqrt(math.pi)


class Constructs:
    """``op_<Kind>``/``_ev_<Kind>`` methods of :class:`~.evaluate.Evaluator` for the kinds above."""

    # ------------------------------------------------------------ elementary functions
    def op_erf(self, e, parts):
        """``erf x``: ``|erf(x+ε) − erf x| <= 2ε/√π``, plus the rounding of the result."""
        return self._elementary(parts[0], sp.erf, _erf, lambda x, err: np.full_like(x, SLOPE_ERF))

    def op_erfc(self, e, parts):
        """``erfc x = 1 − erf x``: the same slope, and the rounding of ``1 − erf x``."""
        x = self._elementary(parts[0], sp.erfc, lambda t: 1.0 - _erf(t), lambda x, err: np.full_like(x, SLOPE_ERF))
        return x if self.exact else Value(x.val, x.err + self._round(np.ones_like(x.val)))

    def op_tan(self, e, parts):
        """``tan x``: slope ``1/cos²`` on ``[x − ε, x + ε]``, which must not reach a pole."""
        def slope(x, err):
            cos = np.abs(np.cos(x)) - err
            if np.any(cos <= 0):
                raise EvaluationError(f"{e} is at (or within rounding of) a pole at this instance")
            return 1.0 / cos ** 2
        return self._elementary(parts[0], sp.tan, np.tan, slope)

    def op_Max(self, e, parts):
        """``max(a, b, …)``: moved by at most the largest error of its arguments."""
        return self._extremum(parts, sp.Max, np.maximum)

    def op_Min(self, e, parts):
        """``min(a, b, …)``: moved by at most the largest error of its arguments."""
        return self._extremum(parts, sp.Min, np.minimum)

    def _extremum(self, parts, exact_fn, float_fn) -> Value:
        if self.exact:
            if any(np.ndim(p.val) for p in parts):
                return Value(np.vectorize(lambda *v: exact_fn(*v), otypes=[object])(*[p.val for p in parts]))
            return Value(exact_fn(*[p.val for p in parts]))
        return Value(functools.reduce(float_fn, [p.val for p in parts]),
                     functools.reduce(np.maximum, [np.asarray(p.err, dtype=float) for p in parts]))

    # ------------------------------------------------------------ determinants
    def op_Determinant(self, e, parts):
        """``det X``: exact by Bareiss elimination; in float by LU with the first-order bound of
        :mod:`.determinant` (each matrix of a batch in turn)."""
        x = parts[0]
        if self.exact:
            if np.ndim(x.val) != 2:
                raise EvaluationError("exact determinant of a batch is not supported")
            return Value(exact_determinant(x.val.tolist()))
        vals = np.asarray(x.val, dtype=float)
        errs = np.broadcast_to(np.asarray(x.err, dtype=float), vals.shape)
        shape = vals.shape[:-2]
        pairs = [float_determinant(v, err) for v, err in zip(vals.reshape(-1, *vals.shape[-2:]),
                                                             errs.reshape(-1, *vals.shape[-2:]))]
        dets = np.array([d for d, _ in pairs]).reshape(shape)
        bounds = np.array([b for _, b in pairs]).reshape(shape)
        return Value(dets if shape else float(dets), (bounds if shape else float(bounds)) + self._round(dets))

    # ------------------------------------------------------------ cases
    def _ev_Piecewise(self, e):
        """The first branch whose condition holds; a condition within its rounding error of
        its boundary is an error (neither branch would be evidence)."""
        for branch, condition in e.args:
            if condition is sp.true or self._holds(condition, e):
                return self.value(branch)
        raise EvaluationError(f"no branch of {e} applies at this instance")

    def _holds(self, condition, whole) -> bool:
        if isinstance(condition, sp.And):
            return all(self._holds(c, whole) for c in condition.args)
        if isinstance(condition, sp.Or):
            return any(self._holds(c, whole) for c in condition.args)
        if not isinstance(condition, (sp.StrictGreaterThan, sp.StrictLessThan, sp.GreaterThan, sp.LessThan)):
            raise EvaluationError(f"the condition {condition} of {whole} is not a comparison; write it with "
                                  "<, <=, >, >=, And, Or")
        left, right = self.value(condition.lhs), self.value(condition.rhs)
        if np.ndim(left.val) or np.ndim(right.val):
            raise EvaluationError(f"the condition {condition} of {whole} compares arrays")
        if self.exact:
            try:
                return bool(condition.func(left.val, right.val))
            except TypeError as exc:
                raise EvaluationError(f"the condition {condition} cannot be decided exactly here") from exc
        margin, err = float(left.val) - float(right.val), float(np.max(left.err)) + float(np.max(right.err))
        if abs(margin) <= CONDITION_SAFETY * err:
            raise EvaluationError(f"the condition {condition} of {whole} is within rounding of its boundary here")
        return bool(condition.func(float(left.val), float(right.val)))

    # ------------------------------------------------------------ sums, integrals, limits
    def _ev_Sum(self, e):
        """``Σ_{i=a}^{b} f(i)`` (nested: one limit after another), with whole-number limits
        (sizes, integer symbols drawn at the instance, numbers), summed term by term."""
        (index, low, high), rest = e.limits[-1], e.limits[:-1]
        body = sp.Sum(e.function, *rest) if rest else e.function
        terms = []
        for k in range(self.integer_value(low, f"a limit of {e}"), self.integer_value(high, f"a limit of {e}") + 1):
            terms.append(self.child({index: (sp.Integer(k) if self.exact else k)}).value(body))
        if not terms:
            return Value(sp.Integer(0)) if self.exact else Value(0.0, 0.0)
        total = sum(t.val for t in terms)
        if self.exact:
            return Value(total)
        return Value(total, sum(t.err for t in terms) + gamma(len(terms)) * sum(np.abs(t.val) for t in terms))

    def _ev_Integral(self, e):
        """``∫_a^b f(x) dx`` by Gauss–Legendre rules of 16, 32 and 64 nodes; the error is the
        last change of the estimate (an estimate: evidence only), and an integrand on which the
        rules do not settle is an error."""
        if self.exact:
            raise EvaluationError("a definite integral has no exact evaluation here (it is checked numerically)")
        if len(e.limits) != 1 or len(e.limits[0]) != 3:
            raise EvaluationError(f"{e}: only a single definite integral over [a, b] is supported")
        variable, low, high = e.limits[0]
        a, b = (self._finite(self.value(t), e) for t in (low, high))
        estimates = [self._legendre(e.function, variable, a, b, n) for n in GAUSS_LEGENDRE_NODES]
        return _settled(estimates, e, "quadrature rules of 16, 32 and 64 nodes")

    def _finite(self, limit: Value, e) -> float:
        value = float(limit.val)
        if not math.isfinite(value) or np.ndim(limit.val):
            raise EvaluationError(f"{e}: the limits must be finite numbers at each instance (for a Gaussian "
                                  "integral over the real line, write a GaussianExpectation)")
        return value

    def _legendre(self, f, variable, a, b, n) -> Value:
        nodes, weights = np.polynomial.legendre.leggauss(n)
        half, mid = (b - a) / 2, (b + a) / 2
        inner = self._batched_value(f, variable, mid + half * nodes)
        val = half * np.sum(weights * inner.val)
        err = abs(half) * np.sum(weights * (np.asarray(inner.err, dtype=float) + gamma(n) * np.abs(inner.val)))
        return Value(val, err)

    def _ev_Limit(self, e):
        """``lim_{x→x₀} f(x)`` as the sequence ``f(x₀ ± 10⁻²), …, f(x₀ ± 10⁻⁷)`` (``x = 10², …``
        for ``x → ∞``), from the side SymPy's limit names (``+`` by default): the last term,
        with the last change as its error. Numeric evidence only; a sequence that does not
        settle is an error."""
        if self.exact:
            raise EvaluationError("a limit has no exact evaluation here (it is checked as a numeric sequence)")
        f, variable, point, direction = e.args
        if point in (sp.oo, -sp.oo):
            sides = [[(1.0 if point == sp.oo else -1.0) / h for h in LIMIT_STEPS]]
        else:
            at = float(self.value(point).val)
            signs = {"+": (1.0,), "-": (-1.0,)}.get(str(direction), (1.0, -1.0))
            sides = [[at + sign * h for h in LIMIT_STEPS] for sign in signs]
        limits = [_settled([self.child({variable: x}).value(f) for x in points], e,
                           f"the sequence at {len(points)} points approaching {point}") for points in sides]
        if len(limits) == 2 and abs(float(limits[0].val) - float(limits[1].val)) > float(limits[0].err + limits[1].err):
            raise EvaluationError(f"{e}: the limits from the left and the right differ at this instance")
        return limits[0]

    # ------------------------------------------------------------ normal expectations
    def _ev_NormalExpectation(self, e):
        """``E_{x ~ N(μ, Σ)} f(x)`` by Gauss–Hermite rules in ``z`` with ``x = μ + L z``,
        ``Σ = L Lᵀ`` (Cholesky); see :meth:`_normal`."""
        return self._normal(e)

    def _ev_MatrixNormalExpectation(self, e):
        """The matrix-valued twin of :meth:`_ev_NormalExpectation`, entry by entry."""
        return self._normal(e)

    def _normal(self, e) -> Value:
        """Rules of 24 and 36 nodes per axis (exact for polynomials of degree up to 47); the
        error is their difference plus the rounding of the integrand at points that carry
        the errors of ``μ``, of ``L z`` and of the Cholesky factor (first order: ``δL =
        L Φ(L⁻¹ ΔΣ L⁻ᵀ)``, ``|ΔΣ| <= γ_{k+1}|L||Lᵀ| + |E_Σ|``, Higham Thm. 10.3)."""
        if self.exact:
            raise EvaluationError("a normal expectation has no exact evaluation here")
        k = self.dim(e.variable.shape[0])
        if k > 3:
            raise EvaluationError(f"a normal expectation in dimension {k} > 3 has no quadrature here: "
                                  "check it with a Monte Carlo NumericCheck")
        mean, cov = self.value(e.mean), self.value(e.cov)
        sigma = np.asarray(cov.val, dtype=float)
        if np.ndim(sigma) != 2 or np.max(np.abs(sigma - sigma.T)) > CONDITION_SAFETY * float(np.max(cov.err)):
            raise EvaluationError(f"the covariance {e.cov} is not symmetric at this instance")
        try:
            lower = np.linalg.cholesky(sigma)
        except np.linalg.LinAlgError:
            raise EvaluationError(f"the covariance {e.cov} is not positive definite at this instance (state it: "
                                  f"Assumption(Q.positive_definite({e.cov})))") from None
        inv = np.abs(np.linalg.inv(lower))
        delta = gamma(k + 1) * np.abs(lower) @ np.abs(lower.T) + np.asarray(cov.err, dtype=float)
        d_lower = np.abs(lower) @ (inv @ delta @ inv.T)
        estimates = [self._hermite_normal(e, k, n, np.asarray(mean.val, dtype=float),
                                          np.asarray(mean.err, dtype=float), lower, d_lower) for n in (24, 36)]
        coarse, fine = estimates
        return Value(fine.val, np.abs(fine.val - coarse.val) + fine.err)

    def _hermite_normal(self, e, k, n, mu, mu_err, lower, d_lower) -> Value:
        nodes, weights = np.polynomial.hermite_e.hermegauss(n)
        weights = weights / np.sqrt(2 * np.pi)
        grids = np.meshgrid(*([nodes] * k), indexing="ij")
        z = np.stack([g.ravel() for g in grids], axis=-1)[:, :, None]
        w = np.prod(np.meshgrid(*([weights] * k), indexing="ij"), axis=0).ravel()
        points = mu + lower @ z
        point_err = mu_err + d_lower @ np.abs(z) + gamma(k + 1) * (np.abs(mu) + np.abs(lower) @ np.abs(z))
        if self._batched:
            raise EvaluationError("nested expectations or averages are not supported")
        inner = self.child({e.variable: Value(points, point_err)}, batched=True).value(e.body)
        val, err = np.asarray(inner.val, dtype=float), np.asarray(inner.err, dtype=float)
        extra = (1,) * (val.ndim - 1)
        total = np.sum(w.reshape(-1, *extra) * val, axis=0)
        bound = np.sum(w.reshape(-1, *extra) * (err + gamma(len(w)) * np.abs(val)), axis=0)
        return Value(total, bound)

    # ------------------------------------------------------------ vec
    def op_Vec(self, e, parts):
        """``vec X``: the columns of ``X`` stacked (column-major, as in Magnus & Neudecker)."""
        x = parts[0]
        val = np.asarray(x.val)
        stacked = np.swapaxes(val, -1, -2).reshape(*val.shape[:-2], -1, 1)
        if self.exact:
            return Value(stacked)
        err = np.broadcast_to(np.asarray(x.err, dtype=float), val.shape)
        return Value(stacked, np.swapaxes(err, -1, -2).reshape(*val.shape[:-2], -1, 1))


def _settled(values: list, e, what: str) -> Value:
    """The last of successive refinements. They must converge at least geometrically with
    ratio 1/4 (each change at most a quarter of the one before, or within rounding); then
    the last value is within ``previous · r²/(1 − r) <= previous/12`` of the limit, and the
    error given is ``previous/4``. Anything slower is an error, not a value."""
    last, before, earlier = (np.asarray(v.val, dtype=float) for v in values[-3:][::-1])
    change, previous = np.abs(last - before), np.abs(before - earlier)
    rounding = np.asarray(values[-1].err, dtype=float) + np.asarray(values[-2].err, dtype=float)
    settled = (change <= previous / 4) | (change <= CONDITION_SAFETY * rounding)
    if not np.all(np.isfinite(last)) or not np.all(settled):
        raise EvaluationError(f"{e} does not settle under {what}: successive changes {float(np.max(previous)):.2e} "
                              f"then {float(np.max(change)):.2e} (write it in a form that converges, or prove it)")
    return Value(values[-1].val, np.maximum(change, previous / 4) + np.asarray(values[-1].err, dtype=float)
                 + UNIT_ROUNDOFF * np.abs(last))


def _erf(x):
    """``erf`` entrywise in float64 (``math.erf``, within an ulp or so)."""
    return np.vectorize(math.erf, otypes=[float])(x) if np.ndim(x) else math.erf(float(x))
