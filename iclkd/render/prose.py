"""Prose that may hold math: text with ``$...$`` segments of a restricted, validated TeX math.

Text outside the dollars is escaped (:func:`~.escape.escape_tex`). Inside them only what
cannot run anything is accepted: letters, digits, ``+ - * / = ( ) [ ] , . ; : ' ! | < > ^ _``,
braces that balance, the Unicode symbols :mod:`.escape` knows (``α ≤ ‖ ᵀ …``), and a closed list
of math commands (``\\frac``, ``\\sqrt``, ``\\mathbb``, Greek letters, relations, ``\\left`` …).
Any other command (``\\input``, ``\\def``, ``\\csname`` …), ``# % & ~ " $``, TeX's ``^^``
character notation and unbalanced braces are refused with a one-line :class:`ProseError`.
A literal dollar sign is written ``\\$`` outside math.
"""
from __future__ import annotations

import re
import unicodedata

from ..errors import ResultDefinitionError
from .escape import GREEK, MATH_SYMBOLS, escape_tex

MAX_DEPTH = 8  # brace nesting allowed inside one math segment

_SYMBOL_COMMANDS = {m.group(1) for v in (*GREEK.values(), *MATH_SYMBOLS.values())
                    for m in re.finditer(r"\\([A-Za-z]+)", v)}
MATH_COMMANDS = frozenset(_SYMBOL_COMMANDS | set("""
    frac tfrac dfrac sqrt mathbb mathcal mathbf mathrm mathit mathsf operatorname
    left right big Big bigl bigr Bigl Bigr middle
    log exp ln sin cos tan tanh sinh cosh arctan det min max sup inf lim liminf limsup arg
    sum prod int top cdot cdots ldots dots vdots hat bar tilde vec widehat widetilde overline underline
    leq geq le ge neq approx sim simeq cong in notin mid Vert vert lVert rVert lvert rvert langle rangle
    quad qquad partial nabla infty to mapsto otimes oplus odot times pm mp ell circ star ast
    varepsilon epsilon vartheta varphi varrho varsigma succeq preceq succ prec ll gg perp
    subset subseteq supset supseteq cup cap setminus emptyset forall exists neg wedge vee
    Rightarrow Leftarrow Leftrightarrow rightarrow leftarrow iff implies propto equiv coloneqq
    lfloor rfloor lceil rceil
""".split()))
_TEXT_CHARS = re.compile(r"[A-Za-z0-9\s+\-*/=()\[\],.;:'!|<>^_]")
_ESCAPED = set("{}|,;! ")


class ProseError(ResultDefinitionError):
    """Math in prose that is not the restricted form (exit 2 at the command line)."""


def _symbol(command: str, out: list) -> str:
    """A Unicode symbol's command: braced after ``^``/``_`` (``x^½``), else bare so that a
    relation (``≤``) keeps its spacing."""
    return "{" + command + "}" if out and out[-1] in ("^", "_") else command + " "


def _math(segment: str, text: str) -> str:
    """One validated ``$...$`` body as TeX (Unicode symbols turned into commands)."""
    out, depth, i = [], 0, 0
    if "^^" in segment:
        raise ProseError(f"'^^' is not allowed in math in prose: {text!r}")
    while i < len(segment):
        char, pair = segment[i], segment[i:i + 2]
        if len(pair) == 2 and pair in MATH_SYMBOLS:  # R̂: a letter and a combining hat
            out.append(_symbol(MATH_SYMBOLS[pair], out))
            i += 2
            continue
        if char == "\\":
            name = re.match(r"[A-Za-z]+", segment[i + 1:])
            if name:
                if name.group(0) not in MATH_COMMANDS:
                    raise ProseError(f"\\{name.group(0)} is not one of the math commands allowed in prose: {text!r}")
                out.append("\\" + name.group(0))
                i += 1 + len(name.group(0))
                continue
            if i + 1 < len(segment) and segment[i + 1] in _ESCAPED:
                out.append(segment[i:i + 2])
                i += 2
                continue
            raise ProseError(f"a backslash must start an allowed math command: {text!r}")
        if char in "{}":
            depth += 1 if char == "{" else -1
            if depth < 0 or depth > MAX_DEPTH:
                raise ProseError(f"unbalanced or too deeply nested braces in math: {text!r}")
            out.append(char)
        elif char in GREEK or char in MATH_SYMBOLS:
            out.append(_symbol(GREEK.get(char, MATH_SYMBOLS.get(char)), out))
        elif _TEXT_CHARS.match(char):
            out.append(" " if char.isspace() else char)
        else:
            raise ProseError(f"{char!r} is not allowed in math in prose: {text!r}")
        i += 1
    if depth:
        raise ProseError(f"unbalanced braces in math: {text!r}")
    return "".join(out)


def prose_tex(text) -> str:
    """Escape ``text`` for LaTeX, keeping its ``$...$`` segments as validated inline math.

    >>> prose_tex(r"the error is $O_p(M^{-1/2})$, 50% of it")
    'the error is $O_p(M^{-1/2})$, 50\\\\% of it'
    >>> prose_tex(r"costs \\$5")
    'costs \\\\$5'
    >>> prose_tex(r"$\\input{x}$")
    Traceback (most recent call last):
    ...
    iclkd.render.prose.ProseError: \\input is not one of the math commands allowed in prose: '$\\\\input{x}$'
    """
    text = unicodedata.normalize("NFC", str(text))
    pieces = re.split(r"(?<!\\)\$", text)
    if len(pieces) % 2 == 0:
        raise ProseError(f"an unmatched '$' in {text!r} (write \\$ for a dollar sign)")
    out = []
    for k, piece in enumerate(pieces):
        if k % 2:
            if not piece.strip():
                raise ProseError(f"an empty math segment '$$' in {text!r}")
            out.append("$" + _math(piece, text) + "$")
        else:
            out.append(escape_tex(piece.replace("\\$", "$")))
    return "".join(out)
