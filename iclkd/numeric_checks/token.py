"""Replay tokens: one failing instance of one step, in a line a person can paste.

A token is ``RESULT:CLAIM:PAYLOAD``: the result id, the claim's letter (``b`` for ``(b)``, ``-``
for an unnamed claim) and the base64url of zlib-compressed JSON holding the step's index, whether
the instance is exact, its sizes and the values of its drawn symbols, by name (floats as JSON
numbers, which round-trip exactly; rationals as ``"p/q"``; arrays as nested lists; a value with
a rounding bound as ``{"val": ..., "err": ...}``). Decoding parses numbers with ``int``,
``float`` and a pattern of digits only: nothing in a token reaches ``sympify`` or ``eval``.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass
import numpy as np
import sympy as sp

from ..errors import UsageError
from .values import Value

VERSION = 1
LONGEST_TOKEN = 200_000
LARGEST_DATA = 4_000_000  # bytes of JSON a token may inflate to
RATIONAL = re.compile(r"(?P<p>-?[0-9]{1,100})/(?P<q>[1-9][0-9]{0,99})")


@dataclass(frozen=True)
class Token:
    """What a replay token says: where the step is and the instance it failed on.

    >>> t = Token('R7', '(b)', 2, False, {'n': 2}, {'x': 1.5})
    >>> decode(encode(t)) == t
    True
    """

    result_id: str
    claim: str
    step: int
    exact: bool
    sizes: dict
    values: dict  # symbol name -> float, Rational, ndarray or Value


def claim_part(claim_name: str) -> str:
    """``(b)`` → ``b``; an unnamed claim → ``-``.

    >>> claim_part('(b)'), claim_part('')
    ('b', '-')
    """
    inner = claim_name[1:-1] if claim_name.startswith("(") and claim_name.endswith(")") else claim_name
    return inner or "-"


def claim_name(part: str) -> str:
    """The inverse of :func:`claim_part`.

    >>> claim_name('b'), claim_name('-')
    ('(b)', '')
    """
    return "" if part == "-" else f"({part})"


def encode(token: Token) -> str:
    """The token's text."""
    data = {"v": VERSION, "step": token.step, "exact": token.exact,
            "sizes": {str(k): int(v) for k, v in token.sizes.items()},
            "values": {name: _encode_value(v) for name, v in sorted(token.values.items())}}
    raw = zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 9)
    payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{token.result_id}:{claim_part(token.claim)}:{payload}"


def decode(text: str) -> Token:
    """A token from its text; :class:`UsageError` naming what is wrong with a damaged one.

    >>> decode('R1:a:###')
    Traceback (most recent call last):
    ...
    iclkd.errors.UsageError: --replay: the token's data is damaged (not base64url)
    """
    if len(text) > LONGEST_TOKEN:
        raise UsageError("--replay: the token is too long")
    first, last = text.find(":"), text.rfind(":")
    if first <= 0 or last == first:
        raise UsageError("--replay: a token is RESULT:CLAIM:DATA, as printed with a failure")
    result_id, part, payload = text[:first], text[first + 1:last], text[last + 1:]
    if not part:
        raise UsageError("--replay: the token names no claim")
    try:
        raw = base64.b64decode(payload + "=" * (-len(payload) % 4), altchars=b"-_", validate=True)
    except (ValueError, TypeError, binascii.Error):
        raise UsageError("--replay: the token's data is damaged (not base64url)") from None
    try:
        inflater = zlib.decompressobj()
        text_data = inflater.decompress(raw, LARGEST_DATA)
        if inflater.unconsumed_tail:
            raise UsageError("--replay: the token's data is too large")
        data = json.loads(text_data.decode())
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise UsageError("--replay: the token's data is damaged (not what iclkd writes)") from None
    try:
        return _token_from(result_id, claim_name(part), data)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
        raise UsageError(f"--replay: the token's data is damaged ({type(exc).__name__})") from None


def _token_from(result_id, claim, data) -> Token:
    if data.get("v") != VERSION:
        raise UsageError(f"--replay: token version {data.get('v')!r}; this iclkd reads version {VERSION}")
    step, exact = data["step"], data["exact"]
    if not isinstance(step, int) or step < 0 or not isinstance(exact, bool):
        raise ValueError("step or exact")
    sizes = {str(k): _positive_int(v) for k, v in data["sizes"].items()}
    values = {str(k): _decode_value(v, exact) for k, v in data["values"].items()}
    return Token(result_id, claim, step, exact, sizes, values)


def _positive_int(v) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 10_000:
        raise ValueError("size")
    return v


def _encode_value(v):
    if isinstance(v, Value):
        return {"val": _encode_value(v.val), "err": _encode_value(v.err)}
    if isinstance(v, np.ndarray):
        if v.dtype == object:
            return {"q": [_rational_text(e) for e in v.flat], "shape": list(v.shape)}
        return {"f": [float(e) for e in v.flat], "shape": list(v.shape)}
    if isinstance(v, (sp.Rational, int)) and not isinstance(v, bool):
        return {"q": _rational_text(v)}
    return {"f": float(v)}


def _rational_text(e) -> str:
    r = sp.Rational(e)
    if not r.is_Rational:
        raise ValueError(f"not a rational: {e}")
    return f"{r.p}/{r.q}"


def _decode_value(enc, exact: bool):
    if not isinstance(enc, dict):
        raise TypeError("value")
    if "val" in enc:
        return Value(_decode_value(enc["val"], exact), _decode_value(enc["err"], exact))
    shape = enc.get("shape")
    if shape is not None:
        if not (isinstance(shape, list) and all(isinstance(n, int) and 0 <= n <= 10_000 for n in shape)):
            raise ValueError("shape")
        if "q" in enc:
            entries = [_rational(t) for t in enc["q"]]
            out = np.empty(len(entries), dtype=object)
            out[:] = entries
            return out.reshape(shape)
        return np.array([_finite(x) for x in enc["f"]], dtype=float).reshape(shape)
    if "q" in enc:
        return _rational(enc["q"])
    return np.float64(_finite(enc["f"]))


def _rational(text) -> sp.Rational:
    match = RATIONAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:  # digits and one '/' only: never evaluated as an expression
        raise ValueError("rational")
    return sp.Rational(int(match["p"]), int(match["q"]))


def _finite(x) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not np.isfinite(x):
        raise ValueError("number")
    return float(x)
