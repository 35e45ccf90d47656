"""What the templates see: each result, with its check report, as plain data.

Text fields stay raw (the templates escape them with the ``tex`` filter); formulas and
justifications are already TeX (:class:`~iclkd.render.templating.TeX`). Nothing here is
specific to one result: everything walks the result's claims, definitions and steps.
"""
from __future__ import annotations

import platform
import re

import sympy as sp

from .. import __version__
from ..status import CITED, PROVED, VERIFIED
from .escape import escape_tex
from .prose import prose_tex
from .justify import justification
from .layout import chain_rows, display_tex, statement_rows, text_width  # noqa: F401  (text_width re-exported)
from .printer import latex
from .templating import TeX, ident

TAG_TEXT_MAX = 36   # characters of a justification beside its row; longer ones become notes


def _step_flags(report) -> dict:
    """``(claim name, step index) → status`` for steps that are neither proved nor cited."""
    if report is None:
        return {}
    return {(s.claim, s.index): s.status for s in report.steps if s.status not in (PROVED, CITED)}


def _cited_note(rule) -> str:
    theorem = getattr(rule, "theorem", "") or rule.describe()
    reference = getattr(rule, "reference", "")
    return r"\textit{Cited:} " + prose_tex(theorem) + (", " + prose_tex(reference) if reference else "") + "."


def _library_note(rule) -> str:
    """The note under a step that rewrites with a library entry: its name and its source."""
    return r"\textit{Standard identity:} " + prose_tex(rule.theorem) + ", " + prose_tex(rule.reference) + "."


def step_annotations(claim, result, labels, flags):
    """Each step's tag (short enough to sit beside its row) and the claim's numbered notes:
    cited theorems with their references, and justifications too long for a tag."""
    tags, notes = [], []
    for i, step in enumerate(claim.proof, start=1):
        text = justification(step.rule, result, labels)
        cited = getattr(step.rule, "cited", False)
        fits = text_width(text) <= TAG_TEXT_MAX
        library = not cited and getattr(step.rule, "library_entry", False)
        note = _cited_note(step.rule) if cited else (_library_note(step.rule) if library else (None if fits else text))
        if note:
            notes.append(note)
        marker = f" ({len(notes)})" if note else ""
        tag = text + marker if fits else (r"\textup{[cited]}" if cited else "see") + marker
        status = flags.get((claim.name, i))
        tags.append(r"\small " + tag + (r" \textcolor{red}{[" + status + "]}" if status else ""))
    return tags, [TeX(f"({k}) {note}") for k, note in enumerate(notes, start=1)]


def claim_context(claim, result, labels, flags) -> dict:
    """Statement rows, proof rows and the notes under the proof of one claim."""
    tags, notes = step_annotations(claim, result, labels, flags)
    links = [(s.relation, s.expr, tag) for s, tag in zip(claim.proof, tags)]
    lhs = latex(claim.lhs) if claim.relation == "iff" else claim.lhs
    name_tag = claim.name and r"\textup{" + escape_tex(claim.name) + "}"
    return {"name": claim.name, "key": claim_key(claim.name), "text": claim.text,
            "statement": TeX(display_tex(lambda width, reserve: statement_rows(claim, name_tag, width, reserve))),
            "proof": TeX(display_tex(lambda width, reserve: chain_rows(lhs, links, width, reserve))) if links else None,
            "has_proof": bool(links), "notes": notes}


def assumption_context(assumption) -> dict:
    """An assumption as TeX math, or ``None`` math when SymPy already decided it (``True``)."""
    stmt = assumption.statement
    if assumption.kind == "nonzero":
        return {"math": TeX(latex(stmt) + r" \neq 0"), "name": assumption.name}
    if stmt is sp.true or stmt is True:
        return {"math": None, "name": assumption.name}
    return {"math": TeX(latex(stmt)), "name": assumption.name}


def definitions_context(definitions) -> dict:
    """One display of the rows ``symbol := value``, each tagged with its name when the name
    is short; longer names become numbered notes under the display."""
    tagged, notes = [], []
    for d in definitions:
        name = prose_tex(d.name)
        if name and text_width(name) > TAG_TEXT_MAX:
            notes.append(TeX(f"({len(notes) + 1}) {name}"))
            name = f"({len(notes)})"
        tagged.append((d, name and r"\small " + name))

    def rows(width, reserve):
        return [row for d, tag in tagged for row in chain_rows(d.symbol, [(":=", d.value, tag)], width, reserve)]
    return {"rows": TeX(display_tex(rows)), "notes": notes}


def verification_context(report, settings) -> dict:
    """The line after a proof: status, method, trials, worst error, seed."""
    if report is None:
        return {"status": "not checked", "verified": False, "method": "", "trials": 0, "max_error": None,
                "seed": settings.seed, "failure": ""}
    failure = ""
    for c in report.claims:
        bad = c.first_failure
        if bad is not None:
            where = "chain end" if bad.index == 0 else f"step {bad.index}"
            failure = f"{c.claim or 'statement'} {where}: {bad.status}"
            break
    return {"status": report.status, "verified": report.status == VERIFIED, "method": report.method,
            "trials": report.trials, "max_error": report.max_error, "seed": settings.seed,
            "failure": failure, "seconds": report.seconds}


LABEL_NUMBER = re.compile(r"^(?P<kind>[A-Z][a-z]+(?: [A-Za-z][a-z]+)*)\s+(?P<number>(?:[A-Z]\.?)?[0-9][0-9A-Za-z.\-]*)$")


def label_parts(label: str) -> dict:
    """A result's label split into the kind that names it and the number ``\\ref`` prints;
    the counter is the TeX name cleveref and ``\\autoref`` know the kind by. A label that
    is not a kind and a number ("Boundedness", "Dai et al. 2023") has no kind: its
    references print the whole label.

    >>> label_parts('Lemma 2.2a')['number'], label_parts('Lemma 2.2a')['counter']
    ('2.2a', 'iclkdlemma')
    >>> label_parts('Dai et al. 2023')['kind'], label_parts('Dai et al. 2023')['number']
    ('', 'Dai et al. 2023')
    """
    match = LABEL_NUMBER.match(label.strip())
    if not match:
        return {"kind": "", "kind_plural": "", "number": label.strip(), "counter": "iclkdresult"}
    kind = match.group("kind")
    plural = kind[:-1] + "ies" if re.search(r"[^aeiou]y$", kind) else kind + "s"
    return {"kind": kind, "kind_plural": plural, "number": match.group("number"),
            "counter": "iclkd" + re.sub(r"[^A-Za-z]", "", kind).lower()}


def claim_key(name: str) -> str:
    """The part of a claim's label after ``res:ID:`` (``(b)`` → ``b``).

    >>> claim_key('(b)')
    'b'
    """
    return re.sub(r"[^A-Za-z0-9]", "", name or "")


def reference_tex(result_id: str, kind: str) -> TeX:
    """How a proof printed apart from its statement names it: ``Theorem~\\ref{res:R7}``.

    >>> reference_tex('R7', 'Theorem')
    'Theorem~\\\\ref{res:R7}'
    """
    return TeX((escape_tex(kind) + "~" if kind else "") + r"\ref{res:" + ident(result_id) + "}")


def result_context(result, report, labels: dict, settings, theorem_envs=None) -> dict:
    """Everything the result template needs, for any registered result; ``theorem_envs``
    maps a kind (``"theorem"``) to the paper's own environment that states it (``"thm"``)."""
    flags = _step_flags(report)
    parts = label_parts(result.label)
    return {
        "id": result.id, "label": result.label, "title": result.title, **parts,
        "env": (theorem_envs or {}).get(parts["kind"].lower()),
        "ref_text": reference_tex(result.id, parts["kind"]),
        "claims": [claim_context(c, result, labels, flags) for c in result.claims],
        "definitions": definitions_context(result.definitions) if result.definitions else None,
        "assumptions": [assumption_context(a) for a in result.assumptions],
        "depends_on": [labels.get(d, d) for d in result.depends_on],
        "notes": result.notes, "references": list(result.references),
        "numeric_checks": [{"name": n.name, "description": n.description,
                            "statement": TeX(latex(n.statement)) if n.statement is not None else None}
                           for n in result.numeric_checks],
        "check": verification_context(report, settings),
    }


def versions() -> list[dict]:
    """Tool and library versions printed in the verification section."""
    import jinja2
    import matplotlib
    import numpy

    return [{"name": n, "version": v} for n, v in (
        ("iclkd", __version__), ("SymPy", sp.__version__), ("NumPy", numpy.__version__),
        ("Python", platform.python_version()), ("matplotlib", matplotlib.__version__),
        ("Jinja2", jinja2.__version__))]
