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
TAG_WIDTH = 30.0        # room kept for a justification beside a row
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


def chain_rows(lhs, links, width: float = LINE_WIDTH) -> list[str]:
    """``align*`` rows for ``lhs rel₁ e₁ rel₂ e₂ …``; ``links`` are ``(relation, expr, tag)``.

    A tag (TeX text, or ``""``) is set beside the last row of its link with ``\\tag*``.

    >>> x = sp.Symbol('x')
    >>> chain_rows(x, [('=', x + 0, 'algebra')])
    ['x &= x \\\\tag*{algebra}']
    """
    lhs_tex = lhs if isinstance(lhs, str) else latex(lhs)
    rows = []
    widest = max((visual_width(latex(e)) + (TAG_WIDTH if t else 0) for _, e, t in links), default=0)
    own_row = visual_width(lhs_tex) > LONG_LEFT_SIDE and visual_width(lhs_tex) + widest + 3 > width
    if own_row:
        parts = [lhs_tex] if isinstance(lhs, str) else broken_lines(lhs, width - 2)
        rows.append(r"\MoveEqLeft[1] " + parts[0])
        rows.extend(r"&\quad " + part for part in parts[1:])
    for k, (relation, expr, tag) in enumerate(links):
        budget = width - (TAG_WIDTH if tag else 0) - 3
        lead = "" if own_row or k else lhs_tex + " "
        if not own_row and not k:
            budget -= visual_width(lhs_tex)
        lines = broken_lines(expr, max(budget, 24.0))
        for j, line in enumerate(lines):
            cell = f"{lead}&{relation_latex(relation)} {line}" if j == 0 else r"&\quad " + line
            if j == len(lines) - 1 and tag:
                cell += r" \tag*{" + tag + "}"
            rows.append(cell)
            lead = ""
    return rows


def statement_rows(claim, tag: str = "") -> list[str]:
    """The claim ``lhs rel rhs`` as ``align*`` rows, tagged with the claim's name."""
    if claim.relation == "iff":
        return chain_rows(latex(claim.lhs), [("iff", claim.rhs, tag)])
    return chain_rows(claim.lhs, [(claim.relation, claim.rhs, tag)])
