"""Suprema over a Frobenius ball: the trust-region problem, solved globally with a certificate.

``max_{||w|| <= r} c + gᵀw + wᵀQw`` (``Q`` symmetric, possibly indefinite) has no duality
gap (the S-lemma): it equals ``min_{μ >= max(λ_max(Q), 0)} c + μr² + ¼ gᵀ(μI − Q)⁻¹g``.
The solver returns the midpoint of a feasible point's value (a lower bound) and the dual
value at the bisection's end (an upper bound); half their difference is a rigorous bound on
the error of the midpoint, before rounding.
"""
from __future__ import annotations

import numpy as np

from .values import UNIT_ROUNDOFF, EvaluationError, Value

BISECTION_STEPS = 200


def maximise_quadratic_on_ball(c, g, Q, radius):
    """Global ``max_{||w|| <= radius} c + gᵀw + wᵀQw`` over leading batch axes.

    Returns ``(value, certificate)``: the true maximum lies within ``certificate`` of
    ``value`` (exact arithmetic); ``Q`` is symmetrised first.

    >>> v, gap = maximise_quadratic_on_ball(0.0, np.array([3.0, 4.0]), np.zeros((2, 2)), 2.0)
    >>> round(float(v), 9), bool(gap < 1e-9)
    (10.0, True)
    >>> v, _ = maximise_quadratic_on_ball(1.0, np.zeros(2), np.diag([-1.0, 2.0]), 3.0)
    >>> round(float(v), 9)
    19.0
    """
    c, g, Q = np.asarray(c, float), np.asarray(g, float), np.asarray(Q, float)
    lam, U = np.linalg.eigh((Q + np.swapaxes(Q, -1, -2)) / 2)
    b = np.einsum("...ki,...k->...i", U, g) / 2
    r2 = float(radius) ** 2
    mu0 = np.maximum(lam[..., -1], 0.0)
    hi = mu0 + 2 * np.sqrt(np.sum(b * b, axis=-1)) / max(float(radius), 1e-300)
    lo = mu0.copy()
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2
        slope = r2 - np.sum(_safe_ratio(b, mid[..., None] - lam) ** 2, axis=-1)
        above = slope >= 0
        new_hi, new_lo = np.where(above, mid, hi), np.where(above, lo, mid)
        if np.array_equal(new_hi, hi) and np.array_equal(new_lo, lo):
            break  # a fixed point: the remaining steps would change nothing
        hi, lo = new_hi, new_lo
    w = np.einsum("...ij,...j->...i", U, _safe_ratio(b, hi[..., None] - lam))
    w = _best_on_top_line(w, U[..., :, -1], c, g, Q, r2)
    primal = _quadratic(c, g, Q, w)
    dual = c + hi * r2 + np.sum(np.where(hi[..., None] - lam > 0,
                                         b * b / np.where(hi[..., None] - lam > 0, hi[..., None] - lam, 1.0),
                                         0.0), axis=-1)
    return (primal + dual) / 2, np.abs(dual - primal) / 2


def _safe_ratio(num, den):
    positive = den > 0
    return np.where(positive, num / np.where(positive, den, 1.0), 0.0)


def _quadratic(c, g, Q, w):
    return c + np.sum(g * w, axis=-1) + np.einsum("...i,...ij,...j->...", w, Q, w)


def _best_on_top_line(w, top, c, g, Q, r2):
    """The best of ``w`` and the two points where the line ``w + t·top`` meets the sphere.

    ``w`` is first scaled into the ball; every candidate is feasible, so the best one's value
    is a lower bound on the maximum (this settles the trust-region "hard case").
    """
    norm = np.sqrt(np.sum(w * w, axis=-1))
    w = w * np.minimum(1.0, np.sqrt(r2) / np.maximum(norm, 1e-300))[..., None]
    along = np.sum(w * top, axis=-1)
    root = np.sqrt(np.maximum(along**2 + r2 - np.sum(w * w, axis=-1), 0.0))
    candidates = [w] + [w + (s * root - along)[..., None] * top for s in (1.0, -1.0)]
    inside = [np.sum(x * x, axis=-1) <= r2 * (1 + 4 * UNIT_ROUNDOFF) for x in candidates]
    values = [np.where(ok, _quadratic(c, g, Q, x), -np.inf) for x, ok in zip(candidates, inside)]
    best = np.argmax(np.stack(values), axis=0)
    return np.choose(best[..., None], candidates)


def _probe_points(k: int, step: float) -> np.ndarray:
    """Points ``0, ±s e_a, s(e_a + e_b)`` and one check point: enough to pin a quadratic."""
    eye = np.eye(k) * step
    pairs = [eye[a] + eye[b] for a in range(k) for b in range(a + 1, k)]
    check = step * np.linspace(0.3, -0.7, k) / max(1.0, np.sqrt(k))
    return np.array([np.zeros(k), *eye, *(-eye), *pairs, check]).reshape(-1, k)


def quadratic_coefficients(values, errors, k: int, step: float):
    """``c, g, Q`` (and their error bounds) from values at :func:`_probe_points`."""
    f0, fp, fm = values[0], values[1:k + 1], values[k + 1:2 * k + 1]
    e0, ep, em = errors[0], errors[1:k + 1], errors[k + 1:2 * k + 1]
    scale = np.max(np.abs(values), axis=0) + np.max(errors, axis=0)
    g = (fp - fm) / (2 * step)
    g_err = (ep + em) / (2 * step) + 4 * UNIT_ROUNDOFF * scale / step
    diag = (fp + fm - 2 * f0) / (2 * step**2)
    diag_err = (ep + em + 2 * e0) / (2 * step**2) + 8 * UNIT_ROUNDOFF * scale / step**2
    Q = np.zeros((k, k) + np.shape(f0))
    Q_err = np.zeros_like(Q)
    idx = 2 * k + 1
    for a in range(k):
        Q[a, a], Q_err[a, a] = diag[a], diag_err[a]
        for b in range(a + 1, k):
            rest = f0 + step * (g[a] + g[b]) + step**2 * (diag[a] + diag[b])
            Q[a, b] = Q[b, a] = (values[idx] - rest) / (2 * step**2)
            Q_err[a, b] = Q_err[b, a] = (errors[idx] + e0 + step * (g_err[a] + g_err[b])
                                         + step**2 * (diag_err[a] + diag_err[b])) / (2 * step**2) \
                + 8 * UNIT_ROUNDOFF * scale / step**2
            idx += 1
    return (f0, e0), (_batch_first(g, 1), _batch_first(g_err, 1)), (_batch_first(Q, 2), _batch_first(Q_err, 2))


def _batch_first(x, n: int):
    """Move the first ``n`` (coefficient) axes to the end, behind the batch axes."""
    return np.moveaxis(x, list(range(n)), list(range(-n, 0)))


def ball_supremum_value(expr, evaluator) -> Value:
    """Evaluate a :class:`~iclkd.symbolic.objects.BallSupremum` whose function is quadratic in ``W``.

    The function is evaluated at probe points (batched), its quadratic coefficients are
    recovered exactly up to rounding, a check point confirms it is quadratic, and the
    trust-region problem is solved with a certificate. Error bound: certificate plus the
    coefficients' errors times ``1, r, r²``.
    """
    if evaluator.exact:
        raise EvaluationError("a supremum over a ball has no exact evaluation here")
    W = expr.variable
    rows, cols = evaluator.dim(W.shape[0]), evaluator.dim(W.shape[1])
    radius = float(np.asarray(evaluator.value(expr.radius).val))
    if not radius >= 0:
        raise EvaluationError(f"ball radius {radius} is negative")
    k = rows * cols
    step = radius if radius > 0 else 1.0
    outer = np.shape(_at(expr.function, W, np.zeros((rows, cols)), evaluator).val)
    points = _probe_points(k, step)
    batch = points.reshape((len(points),) + (1,) * len(outer) + (rows, cols))
    out = _at(expr.function, W, batch, evaluator)
    vals = np.broadcast_to(out.val, (len(points),) + outer)
    errs = np.broadcast_to(out.err, (len(points),) + outer)
    (c, ce), (g, ge), (Q, Qe) = quadratic_coefficients(vals[:-1], errs[:-1], k, step)
    _confirm_quadratic(points[-1], vals[-1], errs[-1], (c, ce), (g, ge), (Q, Qe))
    value, certificate = maximise_quadratic_on_ball(c, g, Q, radius)
    coeff_err = ce + radius * np.sqrt(np.sum(ge**2, axis=-1)) + radius**2 * np.sqrt(np.sum(Qe**2, axis=(-2, -1)))
    magnitude = np.abs(value) + np.abs(c) + radius**2 * np.abs(Q).sum((-2, -1))
    err = certificate + coeff_err + 4 * k * UNIT_ROUNDOFF * magnitude
    return Value(value, err)


def _at(function, W, value, evaluator) -> Value:
    out = evaluator.child({W: value}, exact=False).value(function)
    err = out.err if out.err is not None else np.zeros(np.shape(out.val))
    return Value(np.asarray(out.val, float), np.asarray(err, float))


def _confirm_quadratic(point, actual, actual_err, cc, gg, QQ):
    (c, ce), (g, ge), (Q, Qe) = cc, gg, QQ
    predicted = c + g @ point + np.einsum("i,...ij,j->...", point, Q, point)
    slack = ce + np.sum(np.abs(point) * ge, axis=-1) + np.einsum("i,...ij,j->...", np.abs(point), Qe, np.abs(point))
    tol = 8 * (slack + actual_err) + 64 * UNIT_ROUNDOFF * (np.abs(actual) + np.abs(predicted))
    if np.any(np.abs(predicted - actual) > tol):
        raise EvaluationError("the function under the supremum is not (at most) quadratic in the variable")
