"""Text that reaches LaTeX: every character prints as itself, nothing can run as TeX.

Specials (``_ % & # $ { } ~ ^ \\ < > | "``) become text commands (``_ ^ ~ "`` are the
typewriter font's ASCII glyphs, so they print, and copy out of the PDF, as themselves);
Unicode math letters and symbols (``α η φ ∇ ⊗ ≤ ‖ ᵀ …``) become math commands, accented
Latin letters become accent commands, and any other non-ASCII character prints as its code
point, so plain pdflatex (OT1 fonts, no Unicode engine) never fails on a note.
"""
from __future__ import annotations

import unicodedata

SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\texttt{\char95}", "^": r"\texttt{\char94}", "~": r"\texttt{\char126}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\texttt{\char34}",
    "\n": " ", "\r": " ", "\t": " ",
}

GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa",
    "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho",
    "σ": r"\sigma", "ς": r"\varsigma", "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi",
    "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta",
    "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi", "Σ": r"\Sigma", "Υ": r"\Upsilon",
    "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
}

MATH_SYMBOLS = {
    "∇": r"\nabla", "⊗": r"\otimes", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx",
    "‖": r"\Vert", "∣": r"\mid", "ᵀ": r"^{\top}", "⊤": r"\top", "²": r"^{2}", "³": r"^{3}",
    "¹": r"^{1}", "⁴": r"^{4}", "⁵": r"^{5}", "⁶": r"^{6}", "⁷": r"^{7}", "⁸": r"^{8}", "⁹": r"^{9}",
    "⁻": r"^{-}", "⁺": r"^{+}", "⁰": r"^{0}", "ⁿ": r"^{n}", "₀": r"_{0}", "₁": r"_{1}", "₂": r"_{2}",
    "₃": r"_{3}", "₄": r"_{4}", "½": r"\tfrac{1}{2}", "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}",
    "ᵢ": r"_{i}", "ⱼ": r"_{j}", "ₘ": r"_{m}", "ₙ": r"_{n}",
    "→": r"\to", "←": r"\leftarrow", "↦": r"\mapsto", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
    "⟺": r"\iff", "⟹": r"\implies", "∈": r"\in", "∉": r"\notin", "⊂": r"\subset",
    "⊆": r"\subseteq", "∪": r"\cup", "∩": r"\cap", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod",
    "√": r"\surd", "∂": r"\partial", "±": r"\pm", "×": r"\times", "·": r"\cdot", "∘": r"\circ",
    "⪰": r"\succeq", "⪯": r"\preceq", "≻": r"\succ", "≺": r"\prec", "⟨": r"\langle",
    "⟩": r"\rangle", "∀": r"\forall", "∃": r"\exists", "∝": r"\propto", "ℝ": r"\mathbb{R}",
    "𝔼": r"\mathbb{E}", "∼": r"\sim", "≡": r"\equiv", "∗": r"\ast", "★": r"\star",
    "≪": r"\ll", "≫": r"\gg", "⊥": r"\perp", "∫": r"\int", "ℓ": r"\ell", "÷": r"\div",
    "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee", "ĥ": r"\hat{h}", "ŵ": r"\hat{w}",
    "R̂": r"\hat{R}", "L̂": r"\hat{L}",
}

TEXT_SYMBOLS = {
    "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "…": r"\ldots{}",
    "\u00a0": "~", "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "ø": r"\o{}", "Ø": r"\O{}",
    "œ": r"\oe{}", "Œ": r"\OE{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}", "§": r"\S{}",
    "¶": r"\P{}", "†": r"\dag{}", "‡": r"\ddag{}", "©": r"\copyright{}", "£": r"\pounds{}",
    "°": r"\ensuremath{^\circ}", "•": r"\ensuremath{\bullet}", "\u2212": r"\ensuremath{-}",
}

ACCENTS = {  # combining mark -> LaTeX accent command
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u030a": "r",
    "\u0327": "c", "\u030c": "v", "\u0304": "=", "\u0306": "u", "\u0307": ".", "\u030b": "H",
    "\u0328": "k",
}


def _accented(char: str):
    """``é`` → ``\\'{e}`` for a Latin letter with one accent LaTeX knows, else None."""
    parts = unicodedata.normalize("NFD", char)
    if len(parts) == 2 and parts[0].isascii() and parts[0].isalpha() and parts[1] in ACCENTS:
        return f"\\{ACCENTS[parts[1]]}{{{parts[0]}}}"
    return None


def escape_char(char: str) -> str:
    """One character as TeX that prints it.

    >>> escape_char('%'), escape_char('α'), escape_char('é')
    ('\\\\%', '\\\\ensuremath{\\\\alpha}', "\\\\'{e}")
    """
    if char in SPECIALS:
        return SPECIALS[char]
    if char.isascii():
        return char
    if char in GREEK or char in MATH_SYMBOLS:
        return r"\ensuremath{" + GREEK.get(char, MATH_SYMBOLS.get(char)) + "}"
    if char in TEXT_SYMBOLS:
        return TEXT_SYMBOLS[char]
    accented = _accented(char)
    if accented:
        return accented
    if unicodedata.combining(char):
        return ""
    return r"\texttt{[U+%04X]}" % ord(char)


def escape_tex(text: str) -> str:
    """Escape ``text`` so that LaTeX prints it literally and runs none of it.

    Multi-character symbols (``R̂``) are matched first; ``--`` keeps both hyphens.

    >>> escape_tex('50% of a_b & {c}')
    '50\\\\% of a\\\\texttt{\\\\char95}b \\\\& \\\\{c\\\\}'
    >>> escape_tex(r'\\input{x}')
    '\\\\textbackslash{}input\\\\{x\\\\}'
    >>> escape_tex('||u-ω||² ≥ 0')
    '\\\\textbar{}\\\\textbar{}u-\\\\ensuremath{\\\\omega}\\\\textbar{}\\\\textbar{}\\\\ensuremath{^{2}} \\\\ensuremath{\\\\geq} 0'
    """
    text = unicodedata.normalize("NFC", str(text))
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if len(pair) == 2 and pair in MATH_SYMBOLS:
            out.append(r"\ensuremath{" + MATH_SYMBOLS[pair] + "}")
            i += 2
            continue
        if pair == "--":
            out.append("-{}")
            i += 1
            continue
        out.append(escape_char(text[i]))
        i += 1
    return "".join(out)
