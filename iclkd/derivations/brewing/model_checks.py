"""The theory on a real pretrained transformer: ``iclkd model-check``'s computation.

For one attention head of all-MiniLM-L6-v2, on the hidden states entering its layer, with
the model's own (unscaled) keys ``k_j`` and values ``v_j`` and the query ``q = q_raw/sqrt(d_k)``
of one token (MATH.md notation: the scale lives in ``W_Q``):

* exact softmax attention ``h``, ``Z = Σ_j e^{s_j}`` and ``η̄ = N/(2Z)`` (R12);
* R4–R6, R8, R9 identities on real random features (relative errors, float64);
* R4's estimate ``ĥ = Wφ(q)`` at several ``M``: measured RMS relative error, fitted log-log
  slope, and the RMS error R2's variance predicts (delta method for the ratio estimator);
  ``D'/Z`` as a median and quartiles; all at the raw split and at R16's balanced split;
* the MMD between demonstration and query-side tokens under ``k_ψ`` and R9's bias norm;
* a control run: the same ``q, K, V`` scaled down until ``max_j ||k_j + q||² = 1``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from .score_scale import balanced_split, log_variance_constant, pair_exponents
from iclkd.errors import UsageError
from .mmd_estimators import kernel_matrix, mmd2_biased
from .model_report import render_report  # noqa: F401  (what ``iclkd model-check`` prints)
from iclkd.numeric import derived_seed
from .tokens import loglog_slope
from iclkd.model import minilm
from iclkd.model.blas import single_threaded_blas
from iclkd.model.minilm import erf
from iclkd.model.prompts import resolve_prompt

FEATURE_COUNTS = (256, 1024, 4096, 16384)
SEEDS = 8
CONTROL_POOL = 256  # control draws per M, pooled over the heads checked
AGREEMENT_FACTOR = 3.0
LOG_FLOAT_MAX = math.log(np.finfo(float).max)


@dataclass(frozen=True)
class HeadInputs:
    """Keys ``(T, d_k)``, values ``(T, d_v)`` and the scaled query ``(d_k,)`` of one head,
    with ``split`` demonstration tokens (indices ``< split``)."""

    layer: int
    head: int
    keys: np.ndarray
    values: np.ndarray
    query: np.ndarray
    split: int

    def variant(self, scale: float = 1.0, alpha2: float = 1.0) -> "HeadInputs":
        """Keys ``scale·α·k_j`` and query ``scale·q/α``: ``α²`` splits the score scale (R16),
        ``scale < 1`` lowers the temperature (scores times ``scale²``)."""
        a = math.sqrt(alpha2)
        return HeadInputs(self.layer, self.head, self.keys * (scale * a), self.values, self.query * (scale / a),
                          self.split)


def head_inputs(model, trace, layer: int, head: int, query_pos: int, split: int) -> HeadInputs:
    """Keys, values and scaled query of ``(layer, head)`` from a forward trace.

    >>> m = minilm.load_minilm()                                    # doctest: +SKIP
    >>> _, tr = minilm.forward(m, minilm.tokenize('a b c', m), return_layers=True)  # doctest: +SKIP
    >>> head_inputs(m, tr, 0, 0, query_pos=-1, split=2).keys.shape   # doctest: +SKIP
    (5, 32)
    """
    q, k, v, _ = minilm.attention_head(model, trace.layers[layer].hidden_in, layer, head)
    return HeadInputs(layer, head, k, v, q[query_pos] / math.sqrt(model.d_head), split)


def logsumexp(x: np.ndarray, axis=None):
    top = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out.squeeze(axis) if axis is not None else float(out.squeeze())


def softmax_attention(inp: HeadInputs) -> tuple[np.ndarray, float]:
    """Exact ``h(q) = Σ v_i e^{s_i}/Σ e^{s_j}`` and ``log Z``.

    >>> inp = HeadInputs(0, 0, np.eye(2), np.eye(2), np.zeros(2), 1)
    >>> softmax_attention(inp)[0].tolist()
    [0.5, 0.5]
    """
    s = inp.keys @ inp.query
    log_z = logsumexp(s)
    return np.exp(s - log_z) @ inp.values, log_z


def feature_products(inp: HeadInputs, omegas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(K Ω, Ωᵀq)`` in float32, shared by every variant of one draw ``Ω``."""
    omegas = omegas.astype(np.float32, copy=False)
    return inp.keys.astype(np.float32) @ omegas, omegas.T @ inp.query.astype(np.float32)


def kernel_estimate(inp: HeadInputs, omegas: np.ndarray, scale: float = 1.0, alpha2: float = 1.0,
                    products=None) -> tuple[np.ndarray, float]:
    """R4's ``ĥ(q)`` and ``log D'`` for ``inp.variant(scale, alpha2)`` with features from
    ``omegas`` ``(d_k, M)``; ``products`` from :func:`feature_products` may be passed in.

    ``φ_ω(k)φ_ω(q) = e^{s} exp(ωᵀu − ||u||²/2)`` with ``u = k + q``, so
    ``log A_j = s_j − ||u_j||²/2 + log mean_m e^{ω_mᵀu_j}``. The ``T × M`` exponentials, the
    bulk of the run, are taken in float32 after a shift by each token's maximum (relative
    rounding ~1e-7, far below any Monte Carlo error measured here) and summed in float64;
    everything else is float64.

    >>> inp = HeadInputs(0, 0, np.zeros((2, 3)), np.eye(2), np.zeros(3), 1)
    >>> h_hat, log_d = kernel_estimate(inp, np.ones((3, 4)))
    >>> h_hat.tolist(), round(log_d, 6)          # D' = 2 = e^{0.693147}
    ([0.5, 0.5], 0.693147)
    """
    g_keys, g_query = feature_products(inp, omegas) if products is None else products
    a = math.sqrt(alpha2)
    var = inp.variant(scale, alpha2)
    u = var.keys + var.query
    sq = np.sum(u * u, axis=1)
    x = np.multiply(g_keys, np.float32(scale * a))
    x += np.float32(scale / a) * g_query
    top = x.max(axis=1, keepdims=True)
    x -= top
    np.exp(x, out=x)
    log_mean = np.log(np.sum(x, axis=1, dtype=np.float64)) + top[:, 0].astype(np.float64) - math.log(omegas.shape[1])
    log_a = var.keys @ var.query - sq / 2 + log_mean
    log_d = logsumexp(log_a)
    return np.exp(log_a - log_d) @ inp.values, log_d


def convergence(inp: HeadInputs, variants: dict, features, seed) -> dict:
    """Measured errors of ``ĥ`` and ``D'/Z`` at each ``M`` for ``{name: (scale, α², draws)}``.

    Variants share the draws ``ω`` (a paired comparison; draw ``r`` is used by every variant
    with more than ``r`` draws). Per variant: squared relative errors ``||ĥ − h||²/||h||²``
    and ``D'/Z`` of every draw (``(len(features), draws)``), and the RMS error per ``M``.
    """
    exact = {name: softmax_attention(inp.variant(sc, a2)) for name, (sc, a2, _) in variants.items()}
    out = {name: {"sq": np.zeros((len(features), n)), "d_over_z": np.zeros((len(features), n))}
           for name, (_, _, n) in variants.items()}
    rng = np.random.default_rng(derived_seed(seed, "features"))
    for i, m in enumerate(features):
        for r in range(max(n for _, _, n in variants.values())):
            omegas = rng.standard_normal((inp.keys.shape[1], m), dtype=np.float32)
            products = feature_products(inp, omegas)
            for name, (sc, a2, n) in variants.items():
                if r >= n:
                    continue
                h, log_z = exact[name]
                h_hat, log_d = kernel_estimate(inp, omegas, sc, a2, products)
                out[name]["sq"][i, r] = float(np.sum((h_hat - h) ** 2) / (h @ h))
                out[name]["d_over_z"][i, r] = math.exp(min(log_d - log_z, LOG_FLOAT_MAX))
    for rec in out.values():
        rec["rms"] = np.sqrt(rec["sq"].mean(axis=1))
    return out


def fitted_slope(features, sq: np.ndarray) -> tuple[float, float]:
    """Log-log slope of the RMS error against ``M`` and its standard error (from the draws)."""
    mse = sq.mean(axis=1)
    se = np.maximum(sq.std(axis=1, ddof=1) / math.sqrt(sq.shape[1]), 1e-300)
    return loglog_slope(np.asarray(features, float), mse, se)


def exp_or_none(log_value: float):
    """``exp(log_value)`` as a float, or ``None`` where it does not fit in float64.

    >>> exp_or_none(0.0), exp_or_none(1e4), exp_or_none(float('nan'))
    (1.0, None, None)
    """
    if log_value == -math.inf:
        return 0.0
    return math.exp(log_value) if log_value < LOG_FLOAT_MAX else None


def normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + erf(np.asarray(x, float) / math.sqrt(2.0)))


def reachable_fraction(inp: HeadInputs, alpha2: float, draws: int) -> float:
    """The share of R4's predicted variance that ``draws`` feature draws can see.

    A pair's covariance ``p_i p_j (e^{c_ij} − 1)`` comes from ``E[X_i X_j]``, whose mass sits
    at ``ωᵀê ≈ ||u_i + u_j||`` along ``ê = (u_i+u_j)/||u_i+u_j||``; draws reach
    ``ωᵀê ≲ t = Φ⁻¹(1 − 1/draws)``, where the truncated moment is ``e^{c_ij} Φ(t − ||u_i+u_j||)``.
    A heuristic for heavy tails (not a theorem): near 1 the measured RMS can match R2's
    prediction; far below 1 the measured error is smaller than predicted.
    """
    from statistics import NormalDist

    t = NormalDist().inv_cdf(1 - 1 / draws)
    a = math.sqrt(alpha2)
    u = a * inp.keys + inp.query / a
    s = inp.keys @ inp.query
    log_p = s - logsumexp(s)
    c = pair_exponents(inp.keys, inp.query, alpha2)
    sq = np.sum(u * u, axis=1)
    pair_norm = np.sqrt(np.maximum(sq[:, None] + sq[None, :] + 2 * (u @ u.T), 0.0))
    lp = log_p[:, None] + log_p[None, :]
    shift = float(np.max(lp + np.maximum(c, 0.0)))
    h = np.exp(log_p) @ inp.values
    w = (inp.values - h) @ (inp.values - h).T
    with np.errstate(under="ignore"):
        full = np.sum(w * (np.exp(lp + c - shift) - np.exp(lp - shift)))
        seen = np.sum(w * (np.exp(lp + c - shift) * normal_cdf(t - pair_norm) - np.exp(lp - shift)))
    return float(max(seen, 0.0) / full) if full > 0 else 1.0


def positive_feature_matrix(vectors: np.ndarray, omegas: np.ndarray) -> np.ndarray:
    """``Φ`` with columns ``φ(x_j) = M^{-1/2} exp(Ωᵀx_j − ||x_j||²/2)``: shape ``(M, T)``.

    >>> positive_feature_matrix(np.zeros((2, 3)), np.ones((3, 4))).shape
    (4, 2)
    """
    x = omegas.T @ vectors.T - 0.5 * np.sum(vectors * vectors, axis=1)[None, :]
    return np.exp(x) / math.sqrt(omegas.shape[1])


@dataclass(frozen=True)
class RealFeatures:
    """One draw of positive random features of a head's real keys and query (raw split)."""

    phi_k: np.ndarray   # (M, T)
    phi_q: np.ndarray   # (M,)

    @classmethod
    def draw(cls, inp: HeadInputs, m: int, rng) -> "RealFeatures":
        omegas = rng.standard_normal((inp.keys.shape[1], m))
        return cls(positive_feature_matrix(inp.keys, omegas), positive_feature_matrix(inp.query[None, :], omegas)[:, 0])

    @property
    def d_prime(self) -> float:
        return float(np.sum(self.phi_k.T @ self.phi_q))


def _rel(a, b) -> float:
    scale = float(np.linalg.norm(b))
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b))) / (scale if scale > 0 else 1.0)


def identities(inp: HeadInputs, feats: RealFeatures, rng) -> dict:
    """R4, R5, R6, R8 on the head's real features: relative errors in float64.

    ``ĥ`` is summed token by token; ``W``, ``W_0``, ``ΔW`` are built separately; the closed-form
    gradient of R6(a) is compared with central differences of a plain ``L_T`` along random
    directions (``L_T`` is linear, so the differences are exact up to rounding; error relative
    to ``||∇L_T|| ||E||``); the step uses ``η* = N/(2D')`` (R6 holds for any ``η > 0``).
    """
    phi_k, phi_q, n = feats.phi_k, feats.phi_q, inp.split
    demo, side = slice(0, n), slice(n, None)
    weights = phi_k.T @ phi_q
    d_prime = float(np.sum(weights))
    h_tokens = sum(inp.values[i] * weights[i] for i in range(len(weights))) / d_prime
    w_all = inp.values.T @ phi_k.T / d_prime
    w_0 = inp.values[demo].T @ phi_k[:, demo].T / d_prime
    delta_w = inp.values[side].T @ phi_k[:, side].T / d_prime
    eta = n / (2 * d_prime)
    grad = -(inp.values[side].T @ phi_k[:, side].T) / (eta * d_prime)

    def loss_t(w):
        return -sum(float(inp.values[j] @ (w @ phi_k[:, j])) for j in range(n, len(inp.values))) / (eta * d_prime)

    directional = 0.0
    for _ in range(3):
        e = rng.standard_normal(w_0.shape) * np.linalg.norm(w_0) / math.sqrt(w_0.size)
        fd = (loss_t(w_0 + e) - loss_t(w_0 - e)) / 2
        directional = max(directional, abs(fd - float(np.sum(grad * e))) / (np.linalg.norm(grad) * np.linalg.norm(e)))
    stepped = w_0 - eta * grad
    w_1 = 2 * eta / n * inp.values[demo].T @ phi_k[:, demo].T
    return {"R4 W φ(q) = ĥ(q)": _rel(w_all @ phi_q, h_tokens),
            "R5 W = W_0 + ΔW": _rel(w_0 + delta_w, w_all),
            "R6 ∇L_T (directional derivatives)": directional,
            "R6 W_0 − η*∇L_T(W_0) = W": _rel(stepped, w_all),
            "R6 (W_0 − η*∇L_T(W_0)) φ(q) = ĥ(q)": _rel(stepped @ phi_q, h_tokens),
            "R8 W^(1) at η* = N/(2D') equals W_0": _rel(w_1, w_0)}


def mmd_and_bias(inp: HeadInputs, feats: RealFeatures) -> dict:
    """R9 on the head: ``MMD_b`` under ``k_ψ(x, y) = (v_xᵀv_y)(φ(k_x)ᵀφ(k_y))`` between the
    demonstration and the query-side tokens (Gram matrices and the V-statistic of
    :mod:`iclkd.derivations.brewing.mmd_estimators`), and ``||Bias||_F = (N/D')||ψ̄_D − ψ̄_T||_F`` from the
    ``ψ`` matrices directly, ``2η* = N/D'`` with the same features: R9 says
    ``||Bias||_F = 2η*·MMD_b``.
    """
    phi_k, n = feats.phi_k, inp.split
    d_prime = feats.d_prime
    v_demo, v_side, f_demo, f_side = inp.values[:n].T, inp.values[n:].T, phi_k[:, :n], phi_k[:, n:]
    mmd2 = mmd2_biased(kernel_matrix(v_demo, f_demo, v_demo, f_demo), kernel_matrix(v_side, f_side, v_side, f_side),
                       kernel_matrix(v_demo, f_demo, v_side, f_side))
    mmd = math.sqrt(max(float(mmd2), 0.0))
    psi_demo = v_demo @ f_demo.T / n
    psi_side = v_side @ f_side.T / (len(inp.values) - n)
    bias = n / d_prime * float(np.linalg.norm(psi_demo - psi_side))
    return {"mmd": mmd, "bias_norm": bias, "eta_star_features": n / (2 * d_prime),
            "bias_identity_error": abs(bias - n / d_prime * mmd) / bias if bias > 0 else n / d_prime * mmd}


@dataclass(frozen=True)
class Settings:
    """Knobs of ``iclkd model-check``; the defaults are the command's.

    ``seeds`` independent feature draws per ``M`` for the raw and balanced splits;
    ``control_seeds`` per head for the control (the command pools the heads, see
    :func:`pooled_control`).
    """

    features: tuple = FEATURE_COUNTS
    seeds: int = SEEDS
    control_seeds: int = SEEDS
    seed: int = 0
    identity_features: int = 4096


def control_scale(inp: HeadInputs) -> float:
    """The factor that brings ``max_j ||k_j + q||²`` to 1 (a lower temperature)."""
    return 1.0 / math.sqrt(float(np.max(np.sum((inp.keys + inp.query) ** 2, axis=1))))


def _spread(x: np.ndarray) -> dict:
    q = np.quantile(x, [0.0, 0.25, 0.5, 0.75, 1.0])
    return dict(zip(("min", "q25", "median", "q75", "max"), map(float, q)))


def _variant_figures(name: str, inp: HeadInputs, rec: dict, features) -> dict:
    log_c = log_variance_constant(inp.keys, inp.query, 1.0, inp.values)
    slope, slope_se = fitted_slope(features, rec["sq"])
    u = inp.keys + inp.query
    return {f"errors_{name}": rec["rms"].tolist(), f"slope_{name}": slope, f"slope_{name}_se": slope_se,
            f"predicted_rms_{name}": [exp_or_none(0.5 * (log_c - math.log(m))) for m in features],
            f"variance_constant_{name}": exp_or_none(log_c), f"log10_variance_constant_{name}": log_c / math.log(10),
            f"variance_constant_d_{name}": exp_or_none(log_variance_constant(inp.keys, inp.query, 1.0)),
            f"d_over_z_spread_{name}": _spread(rec["d_over_z"][-1]),
            f"max_sq_norm_{name}": float(np.max(np.sum(u * u, axis=1)))}


def check_head(inp: HeadInputs, settings: Settings = Settings()) -> dict:
    """Every figure of one head (see the module docstring): the JSON record of the command.

    >>> rng = np.random.default_rng(0)
    >>> inp = HeadInputs(0, 0, rng.normal(0, 2, (6, 4)), rng.normal(size=(6, 3)), rng.normal(0, .3, 4), 3)
    >>> rec = check_head(inp, Settings(features=(16, 64), seeds=3, control_seeds=3, identity_features=32))
    >>> rec["variance_constant_balanced"] <= rec["variance_constant_raw"], max(rec["identities"].values()) < 1e-12
    (True, True)
    """
    h, log_z = softmax_attention(inp)
    a2, _ = balanced_split(inp.keys, inp.query, inp.values)
    scale = control_scale(inp)
    variants = {"raw": (1.0, 1.0, settings.seeds), "balanced": (1.0, a2, settings.seeds),
                "control": (scale, 1.0, settings.control_seeds)}
    runs = convergence(inp, variants, settings.features, (settings.seed, inp.layer, inp.head))
    rng = np.random.default_rng(derived_seed(settings.seed, inp.layer, inp.head, "identities"))
    feats = RealFeatures.draw(inp, settings.identity_features, rng)
    norms = np.linalg.norm(inp.keys, axis=1)
    record = {"layer": inp.layer, "head": inp.head, "h": h.tolist(), "Z": exp_or_none(log_z), "log_Z": log_z,
              "eta_star": exp_or_none(math.log(inp.split / 2) - log_z), "alpha2_balanced": a2,
              "control_scale": scale, "key_norm_range": [float(norms.min()), float(norms.max())],
              "query_norm": float(np.linalg.norm(inp.query)), "identities": identities(inp, feats, rng)}
    for name, (sc, alpha2, _) in variants.items():
        record.update(_variant_figures(name, inp.variant(sc, alpha2), runs[name], settings.features))
    record["sq_errors_control"] = runs["control"]["sq"].tolist()
    record["d_over_z_median"] = record["d_over_z_spread_raw"]["median"]
    record["d_over_z_median_balanced"] = record["d_over_z_spread_balanced"]["median"]
    record["reachable_fraction_balanced"] = [reachable_fraction(inp, a2, m * settings.seeds) for m in settings.features]
    record.update(mmd_and_bias(inp, feats))
    return record


def pooled_control(records: list, features) -> dict:
    """The control run over all checked heads: R4's ``M^{-1/2}`` law at ``max_j ||k_j + q||² = 1``.

    The mean squared relative error over heads and draws is ``(mean_h C_h)/M`` to first
    order; its log-log slope is fitted with standard errors from the per-head spread.
    """
    sq = np.array([r["sq_errors_control"] for r in records])           # (heads, M, draws)
    mse = sq.mean(axis=(0, 2))
    se = np.sqrt(np.sum(sq.var(axis=2, ddof=1) / sq.shape[2], axis=0)) / sq.shape[0]
    slope, slope_se = loglog_slope(np.asarray(features, float), mse, np.maximum(se, 1e-300))
    constants = [r["variance_constant_control"] for r in records]
    return {"heads": [[r["layer"], r["head"]] for r in records], "draws_per_head": sq.shape[2],
            "max_sq_norm": max(r["max_sq_norm_control"] for r in records),
            "errors": np.sqrt(mse).tolist(), "predicted_rms": [math.sqrt(np.mean(constants) / m) for m in features],
            "slope": slope, "slope_se": slope_se}


def agreement(records: list, features, name: str = "balanced") -> dict:
    """Where R2's prediction is below 1: how often measured and predicted RMS agree within 3×.

    Disagreements list ``ratio = predicted/measured`` and, for the balanced split, the share
    of the predicted variance within reach of the draws made (:func:`reachable_fraction`).
    """
    points = []
    for r in records:
        for i, m in enumerate(features):
            pred, meas = r[f"predicted_rms_{name}"][i], r[f"errors_{name}"][i]
            if pred is not None and pred < 1:
                entry = {"layer": r["layer"], "head": r["head"], "M": m, "predicted": pred, "measured": meas,
                         "ratio": pred / meas}
                if name == "balanced":
                    entry["reachable_fraction"] = r["reachable_fraction_balanced"][i]
                points.append(entry)
    ratios = [p["ratio"] for p in points]
    outside = [p for p in points if not 1 / AGREEMENT_FACTOR <= p["ratio"] <= AGREEMENT_FACTOR]
    return {"points_predicted_below_1": len(points), "within_factor_3": len(points) - len(outside),
            "ratio_range": [min(ratios), max(ratios)] if ratios else None, "disagreements": outside}


def missing_model_message(exc: Exception) -> str:
    """The one line ``iclkd model-check`` (and the appendix) gives when the model is missing.

    >>> missing_model_message(minilm.MiniLMNotInstalled("tokenizers")).startswith("model-check needs the all-MiniLM")
    True
    """
    return f"model-check needs the all-MiniLM-L6-v2 files: {exc}"


def run_model_check(text=None, split=None, query_pos=None, layers=(0, 3, 5), heads=None,
                    settings: Settings = Settings(), progress=None) -> dict:
    """Every chosen head on the real hidden states of the prompt: the command's JSON report.

    ``heads=None`` means every head. ``progress(i, n, layer, head)`` is called before each head.
    The per-head control uses enough draws that the pooled control has ``CONTROL_POOL``
    draws per ``M``. Raises :class:`~iclkd.model.minilm.MiniLMNotInstalled` without the model.

    >>> report = run_model_check(layers=(0,), heads=(0,))     # doctest: +SKIP
    >>> sorted(report)[:3]                                     # doctest: +SKIP
    ['agreement', 'control', 'features']
    """
    start = time.perf_counter()
    model = minilm.load_minilm()
    prompt = resolve_prompt(model, text, split, query_pos)
    heads = tuple(range(model.n_heads)) if heads is None else tuple(heads)
    for layer in layers:
        if not 0 <= layer < model.n_layers:
            raise UsageError(f"--layer must be in 0..{model.n_layers - 1}, got {layer}")
    for head in heads:
        if not 0 <= head < model.n_heads:
            raise UsageError(f"--head must be in 0..{model.n_heads - 1}, got {head}")
    pairs = [(layer, head) for layer in layers for head in heads]
    settings = replace(settings, control_seeds=max(settings.seeds, -(-CONTROL_POOL // len(pairs))))
    records = []
    with single_threaded_blas():
        _, trace = minilm.forward(model, np.asarray(prompt.token_ids), return_layers=True)
        for i, (layer, head) in enumerate(pairs):
            if progress:
                progress(i, len(pairs), layer, head)
            inp = head_inputs(model, trace, layer, head, prompt.query_pos, prompt.split)
            records.append(check_head(inp, settings))
    features = list(settings.features)
    return {"token_ids": prompt.token_ids, "split": prompt.split, "query_pos": prompt.query_pos,
            "tokens": prompt.tokens, "features": features, "seeds": settings.seeds, "seed": settings.seed,
            "heads": records, "control": pooled_control(records, features),
            "agreement": {name: agreement(records, features, name) for name in ("raw", "balanced", "control")},
            "seconds": round(time.perf_counter() - start, 2)}
