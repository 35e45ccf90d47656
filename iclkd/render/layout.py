"""Displayed formulas that fit the page: proof chains as ``align*`` rows, long sums broken
into several rows, the left side on its own row (``\\MoveEqLeft``) when it is long.

Widths are estimated from the LaTeX source (a command counts as one glyph, scripts as
0.7, a fraction as its wider part): rough, but conservative for the chains here.
"""
from __future__ import annotations

import re

import sympy as sp

from .printer import NotationPrinter, hoist_trace_coefficients, latex, relation_latex

LINE_WIDTH = 64.0       # estimated glyphs in one display line at \textwidth 6.5in, 10pt
LONG_LEFT_SIDE = 18.0   # a left side wider than this gets a row of its own

_SCRIPT = re.compile(r"[_^]\{([^{}]*)\}")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_SPACING = re.compile(r"\\(left|right|big|Big|bigg|Bigg)\b\.?|\\[,;:!]|\\quad|\\qquad")
_COMMAND = re.compile(r"\\[A-Za-z]+")
_BINARY = re.compile(r"(?<=\S) [-+=] |\\leq|\\iff|\\cdot")


def visual_width(tex: str) -> float:
    """Estimated width of a math formula, in glyphs.

    >>> visual_width(r'\\frac{1}{N} \\lVert V_D\\rVert_F^2')
    7.0
    """
    text = _SPACING.sub("", tex)
    binaries = len(_BINARY.findall(text))
    while True:
        new = _SCRIPT.sub(lambda m: "·" * round(0.7 * _flat_width(m.group(1))), text)
        new = _FRAC.sub(lambda m: max(m.group(1), m.group(2), key=_flat_width), new)
        if new == text:
            break
        text = new
    return round(_flat_width(text) + binaries, 1)


def _flat_width(tex: str) -> float:
    tex = _COMMAND.sub("x", tex)
    tex = re.sub(r"[_^](.)", lambda m: "·", tex)
    return float(len(re.sub(r"[{}\s]", "", tex)))


def signed_terms(expr) -> list[tuple[str, str]]:
    """The terms of a top-level sum as ``(sign, latex)``, in printing order; one term otherwise.

    >>> x, y = sp.symbols('x y')
    >>> signed_terms(x - y)
    [('', 'x'), ('-', 'y')]
    """
    printer = NotationPrinter()
    expr = hoist_trace_coefficients(expr)
    if isinstance(expr, sp.Add):
        terms = printer._ordered(printer._as_ordered_terms(expr))
    elif isinstance(expr, sp.MatAdd):
        terms = printer._ordered(expr.args)
    else:
        return [("", latex(expr))]
    out = []
    for i, term in enumerate(terms):
        negative = printer._negative_term(term)
        body = -term if negative else term
        tex = printer._print(body)
        if printer._needs_add_brackets(body):
            tex = r"\left(" + tex + r"\right)"
        out.append(("-" if negative else ("+" if i else ""), tex))
    return out


def broken_lines(expr, width: float) -> list[str]:
    """``expr`` as one or more lines of at most ``width`` (sums break before ``+``/``-``).

    >>> x = sp.Symbol('x')
    >>> broken_lines(x**2 + x + 1, 100)
    ['x^{2} + x + 1']
    """
    lines, current = [], ""
    for sign, tex in signed_terms(expr):
        piece = (sign + " " if sign else "") + tex
        if current and visual_width(current + " " + piece) > width:
            lines.append(current)
            current = piece
        else:
            current = (current + " " + piece).strip() if current else piece
    lines.append(current)
    return lines


def text_width(tex: str) -> int:
    """Characters a TeX text prints, roughly (commands and braces dropped).

    >>> text_width(r'by the definition of $\\hat{h}(q)$')
    25
    """
    return len(printed_text(tex))


def printed_text(tex: str) -> str:
    """``tex`` without its commands and braces: roughly the characters it prints."""
    return re.sub(r"\\[A-Za-z]+|[{}$]", "", tex)


def tag_width(tag: str) -> float:
    """Estimated width, in formula glyphs, of a justification set beside a row (small text
    after a ``\\qquad``); 0 for none.

    >>> tag_width(''), tag_width(r'\\small algebra')
    (0.0, 7.2)
    """
    if not tag:
        return 0.0
    return round(0.6 * len(printed_text(tag).strip()) + 3, 1)


def chain_rows(lhs, links, width: float = LINE_WIDTH, reserve: bool = True) -> list[str]:
    """Rows of an ``align*`` display for ``lhs rel₁ e₁ rel₂ e₂ …``; ``links`` are
    ``(relation, expr, tag)``, a tag being TeX text or ``""``.

    A tag is set beside the last row of its link (``\\iclkdwhy{…}``, an unnumbered equation
    tag on the right); with ``reserve`` the rows leave room for the widest tag, without it
    they take the whole ``width`` and LaTeX moves a tag that does not fit under its row.

    >>> x = sp.Symbol('x')
    >>> chain_rows(x, [('=', x + 0, 'algebra')])
    ['x &= x \\\\iclkdwhy{algebra}']
    """
    lhs_tex = lhs if isinstance(lhs, str) else latex(lhs)
    room = max((tag_width(t) for _, _, t in links), default=0.0) if reserve else 0.0
    rows = []
    widest = max((visual_width(latex(e)) for _, e, _ in links), default=0) + room
    own_row = visual_width(lhs_tex) > LONG_LEFT_SIDE and visual_width(lhs_tex) + widest + 3 > width
    if own_row:
        parts = [lhs_tex] if isinstance(lhs, str) else broken_lines(lhs, width - 2)
        rows.append(r"\MoveEqLeft[1] " + parts[0])
        rows.extend(r"&\quad " + part for part in parts[1:])
    for k, (relation, expr, tag) in enumerate(links):
        budget = width - room - 3
        lead = "" if own_row or k else lhs_tex + " "
        if not own_row and not k:
            budget -= visual_width(lhs_tex)
        lines = broken_lines(expr, max(budget, 16.0))
        for j, line in enumerate(lines):
            cell = f"{lead}&{relation_latex(relation)} {line}" if j == 0 else r"&\quad " + line
            rows.append(cell)
            lead = ""
        if tag:
            rows[-1] += r" \iclkdwhy{" + tag + "}"
    return rows


# Line widths tried, widest first: a 6.5 in line, a 4.8 in one (article's default, amsart),
# narrower still with room for the justifications, and a 3.4 in column where they go under
# their rows; the TeX side sets the first whose formulas fit \linewidth (\iclkdeither).
VARIANTS = ((LINE_WIDTH, True), (46.0, True), (36.0, True), (30.0, False))


def display_tex(build) -> str:
    """A display as TeX that picks, when typeset, the first variant whose rows fit the line
    (``build(width, reserve)`` gives the rows for one), the last one scaled down if none does.

    >>> display_tex(lambda width, reserve: ['x &= y'])
    '\\\\iclkdshow{%\\nx &= y%\\n}'
    """
    variants = list(dict.fromkeys(" \\\\\n".join(build(width, reserve)) for width, reserve in VARIANTS))
    tex = "\\iclkdshow{%\n" + variants[-1] + "%\n}"
    for rows in reversed(variants[:-1]):
        tex = "\\iclkdeither{%\n" + rows + "%\n}{" + tex + "}"
    return tex


def statement_rows(claim, tag: str = "", width: float = LINE_WIDTH, reserve: bool = True) -> list[str]:
    """The claim ``lhs rel rhs`` as display rows, tagged with the claim's name."""
    if claim.relation == "iff":
        return chain_rows(latex(claim.lhs), [("iff", claim.rhs, tag)], width, reserve)
    return chain_rows(claim.lhs, [(claim.relation, claim.rhs, tag)], width, reserve)
