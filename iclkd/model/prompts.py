"""The built-in few-shot prompt of ``iclkd model-check`` and where its demonstrations end."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import UsageError

SENTIMENT_PROMPT = (
    "Review: the film was a joy from start to finish. Sentiment: positive. "
    "Review: a tedious, joyless mess. Sentiment: negative. "
    "Review: the cast is wonderful and the story moving. Sentiment: positive. "
    "Review: I want those two hours back. Sentiment: negative. "
    "Review: a warm, funny and clever film. Sentiment:"
)
"""Four labelled reviews (the demonstrations) and an unlabelled one (the query side)."""


def default_split(tokens: Sequence[str]) -> int:
    """Number of demonstration tokens ``N``: everything before the last repeat of the prompt's
    first word (for a few-shot prompt, the start of the unlabelled example); half the tokens
    when the first word never repeats.

    ``tokens`` are the tokenizer's strings, ``[CLS]`` first.

    >>> default_split(['[CLS]', 'review', ':', 'good', 'review', ':', 'bad', '[SEP]'])
    4
    >>> default_split(['[CLS]', 'a', 'b', 'c', '[SEP]'])
    2
    """
    first = tokens[1] if len(tokens) > 2 else None
    repeats = [i for i, t in enumerate(tokens) if t == first and i > 1]
    return repeats[-1] if repeats else max(1, len(tokens) // 2)


@dataclass(frozen=True)
class Prompt:
    """Token ids and strings of the prompt, the demonstration count and the query position."""

    token_ids: list
    tokens: list
    split: int
    query_pos: int


def resolve_prompt(model, text=None, split=None, query_pos=None) -> Prompt:
    """Tokenise ``text`` (default: the built-in sentiment prompt) and check the positions.

    ``split`` defaults to :func:`~iclkd.model.prompts.default_split`, ``query_pos`` to the last
    token (``[SEP]``); a negative ``query_pos`` counts from the end. Bad values raise
    :class:`~iclkd.errors.UsageError`.
    """
    from . import minilm

    ids = minilm.tokenize(SENTIMENT_PROMPT if text is None else text, model)
    tokens = [model.tokenizer.id_to_token(int(i)) for i in ids]
    t = len(ids)
    split = default_split(tokens) if split is None else split
    if not 1 <= split <= t - 1:
        raise UsageError(f"--split must leave both sets nonempty: 1 <= N <= {t - 1} for this {t}-token prompt, got {split}")
    pos = t - 1 if query_pos is None else query_pos
    if not -t <= pos < t:
        raise UsageError(f"--query-pos must be a token index in [-{t}, {t - 1}], got {pos}")
    return Prompt([int(i) for i in ids], tokens, split, pos % t)
