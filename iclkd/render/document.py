"""Rendering the appendix: check the results, draw the figures, fill the templates.

Outputs (relative to the output folder):

* ``appendix.tex`` — a standalone document that ``\\input``s the body;
* ``appendix-body.tex`` — the results, figures and verification table, to ``\\input``
  into a paper (set ``\\iclkddir`` to its folder first);
* ``figures/*.pdf`` — the figures;
* with ``sections`` (the full appendix only), the paper's own sections
  (:class:`SectionRendering`) and their figures;
* ``appendix-timings.tex`` — wall-clock seconds of the check run, read by the table.

Everything but the timings is byte-identical for the same seed, sources and library
versions; ``iclkd render --check`` compares exactly those files (:func:`stale_parts`).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..check import CheckSettings, check_all
from ..errors import IclkdError
from ..output import write_atomically
from ..status import VERIFIED
from .context import label_parts, result_context, versions
from .templating import TeX, environment, ident

from . import BODY, DOCUMENT, TIMINGS  # noqa: F401
SETTINGS_LINE = re.compile(r"^% iclkd render settings: seed=(\d+) trials=(\d+)$", re.M)
REGION = re.compile(r"^% iclkd:(begin|end) (\S+)$")
ROW_OWNER = re.compile(r"% iclkd:row (\S+)$")


@dataclass(frozen=True)
class SectionRendering:
    """A section a paper adds to its full appendix, before the verification section.

    ``tex`` is the section's TeX (a :class:`~iclkd.render.templating.TeX`), ``figures``
    its :class:`~iclkd.render.figures.DrawnFigure` files, ``seconds`` (if any) goes to the
    timings file under ``timing_id``, and ``notice`` is a line for stderr (e.g. "the model is
    not installed"). A paper's ``sections`` are objects with a ``build(seed, labels)`` method
    returning one of these.
    """

    name: str
    tex: str
    figures: tuple = ()
    seconds: float | None = None
    timing_id: str | None = None
    notice: str = ""


class RenderError(IclkdError):
    """A result could not be typeset (a printer gap): one line naming the result."""


@dataclass
class Rendering:
    """The rendered files: ``files`` are compared by ``--check``; ``volatile`` are not."""

    files: dict
    volatile: dict
    reports: list = field(default_factory=list)

    def write(self, out_dir) -> list[Path]:
        """Write every file atomically; returns the paths written."""
        written = []
        for name, content in {**self.files, **self.volatile}.items():
            target = Path(out_dir) / name
            write_atomically(target, content)
            written.append(target)
        return written


def figures_for(specs, selected_ids, explicit: bool):
    """Every figure when rendering everything; else those illustrating a selected result."""
    return [f for f in specs if not explicit or set(f.illustrates) & set(selected_ids)]


def render_appendix(results, registry, settings: CheckSettings, *, reports=None, figures=(), sections=(),
                    labels=None, split: bool = False, theorem_envs=None) -> Rendering:
    """Check ``results`` (unless ``reports`` are given) and render the appendix with the
    drawn ``figures`` and the paper's ``sections`` (:class:`SectionRendering`); ``labels``
    (``id → label``, default: the registry's) name the results a proof refers to.

    ``split`` adds the pieces (:func:`pieces`); ``theorem_envs`` (kind → environment,
    ``{"theorem": "thm"}``) states those kinds in the paper's own theorem environments.

    >>> import sympy as sp
    >>> from iclkd import Algebra, Claim, Result, Step
    >>> from iclkd.symbolic.registry import Registry
    >>> x = sp.Symbol('x')
    >>> reg = Registry([Result('U1', 'Lemma 1', 'square', claims=(Claim('', (x + 1)**2, x**2 + 2*x + 1,
    ...                         proof=(Step(x**2 + 2*x + 1, Algebra()),)),))])
    >>> r = render_appendix(list(reg), reg, CheckSettings(trials=1))
    >>> sorted(r.files)
    ['appendix-body.tex', 'appendix.tex']
    """
    if reports is None:
        from ..parallel import default_jobs

        reports = check_all(results, registry, settings, jobs=default_jobs())
    labels = labels or {r.id: r.label for r in registry}
    context = {
        "results": [_result_context(r, rep, labels, settings, theorem_envs) for r, rep in zip(results, reports)],
        "reports": [{"id": rep.result.id, "label": rep.result.label, "kind": label_parts(rep.result.label)["kind"],
                     "status": rep.status,
                     "method": rep.method, "trials": rep.trials, "max_error": rep.max_error}
                    for rep in reports],
        "figures": [{"name": f.name, "file": f.file, "caption": TeX(f.caption)} for f in figures],
        "versions": versions(), "seed": settings.seed, "trials": settings.trials,
        "all_verified": all(rep.status == VERIFIED for rep in reports),
        "sections": [{"name": s.name, "tex": TeX(s.tex.rstrip("\n"))} for s in sections],
    }
    env = environment()
    files = {DOCUMENT: env.get_template("appendix.tex.j2").render(context),
             BODY: env.get_template("appendix-body.tex.j2").render(context)}
    if split:
        files.update(pieces(env, context))
    files.update({f.file: f.pdf for f in figures})
    times = [(rep.result.id, rep.seconds) for rep in reports]
    for s in sections:
        files.update({f.file: f.pdf for f in s.figures})
        times += [(s.timing_id, s.seconds)] if s.seconds is not None and s.timing_id else []
    timings = env.get_template("appendix-timings.tex.j2").render(
        timings=[{"id": rid, "seconds": TeX(f"{sec:.2f}")} for rid, sec in times])
    return Rendering(files, {TIMINGS: timings}, reports)


PIECES = {"": "statement and proof", "-statement": "statement", "-proof": "proof"}
MACROS = "iclkd-macros.tex"


def pieces(env, context) -> dict:
    """``render --split``: ``iclkd-macros.tex`` and, for each result, ``results/ID.tex``
    (statement and proof), ``results/ID-statement.tex`` and ``results/ID-proof.tex``; the
    proof alone is headed "Proof of Theorem~\\ref{res:ID}."."""
    files = {MACROS: env.get_template("iclkd-macros.tex.j2").render(context)}
    piece = env.get_template("piece.tex.j2")
    for r in context["results"]:
        for suffix, part in PIECES.items():
            files[f"results/{ident(r['id'])}{suffix}.tex"] = piece.render(
                {**context, "r": r, "part": part, "proof_alone": suffix == "-proof"})
    return files


def _result_context(result, report, labels, settings, theorem_envs=None) -> dict:
    """One result's context; a failure to typeset it is one error naming the result."""
    try:
        return result_context(result, report, labels, settings, theorem_envs)
    except (TypeError, ValueError, AttributeError, NotImplementedError, KeyError) as exc:
        raise RenderError(f"cannot typeset {result.id} ({result.label}): {type(exc).__name__}: {exc}") from exc


def recorded_settings(out_dir):
    """``(seed, trials)`` recorded in an existing ``appendix-body.tex``, or ``None``."""
    body = Path(out_dir) / BODY
    if not body.is_file():
        return None
    match = SETTINGS_LINE.search(body.read_text(encoding="utf-8", errors="replace"))
    return (int(match.group(1)), int(match.group(2))) if match else None


def line_owners(lines: list[str], default: str) -> list[str]:
    """The part each line belongs to: the innermost ``% iclkd:begin NAME`` region, or
    the result named by a ``% iclkd:row NAME`` comment at the end of a table row.

    >>> line_owners(['x', '% iclkd:begin R1', 'y', '% iclkd:end R1', 'z \\\\\\\\ % iclkd:row R2'], 'preamble')
    ['preamble', 'R1', 'R1', 'R1', 'R2']
    """
    stack, owners = [default], []
    for line in lines:
        marker = REGION.match(line)
        if marker and marker.group(1) == "begin":
            stack.append(marker.group(2))
        row = ROW_OWNER.search(line)
        owners.append(row.group(1) if row else stack[-1])
        if marker and marker.group(1) == "end" and len(stack) > 1:
            stack.pop()
    return owners


def differing_parts(old: str, new: str, default: str) -> list[str]:
    """Names of the parts (results, table rows, regions) where two renderings differ."""
    a, b = old.splitlines(), new.splitlines()
    owners_a, owners_b = line_owners(a, default), line_owners(b, default)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        names = owners_a[i1:i2] + owners_b[j1:j2] or [owners_b[min(j1, len(owners_b) - 1)] if owners_b else default]
        parts.extend(n for n in names if n not in parts)
    return parts


# Lines that print tool versions (the header comments, the author line, the verification
# section's "Tools:" line): a difference there alone is a version change, not staleness.
VERSION_LINE = re.compile(r"^(% Generated by iclkd |\\author\{Rendered by iclkd |\\noindent Tools: )")


def _split_versions(text: str) -> tuple[str, list[str]]:
    """``text`` with its version lines masked, and those lines."""
    lines = text.split("\n")
    versions = [line for line in lines if VERSION_LINE.match(line)]
    return "\n".join("<versions>" if VERSION_LINE.match(line) else line for line in lines), versions


def folder_differences(out_dir, rendering: Rendering) -> tuple[list[str], list[str]]:
    """What differs between the files in ``out_dir`` and ``rendering``, read once: the stale
    parts (empty: up to date) and the tool-version lines that changed (``name: old -> new``).

    A file that differs only in the lines naming tool versions is not stale; its version
    changes are listed instead, and the mathematics and text are current.

    >>> folder_differences("/nonexistent", Rendering({"a.tex": "x"}, {}))
    (['a.tex (missing)'], [])
    """
    stale: list[str] = []
    versions: list[str] = []
    for name, content in rendering.files.items():
        path = Path(out_dir) / name
        if not path.is_file():
            stale.append(f"{name} (missing)")
            continue
        if isinstance(content, bytes):
            if path.read_bytes() != content:
                stale.append(f"{name} (figure)")
            continue
        old = path.read_text(encoding="utf-8", errors="replace")
        if old == content:
            continue
        (old_masked, old_versions), (new_masked, new_versions) = _split_versions(old), _split_versions(content)
        if old_masked != new_masked:
            stale.append(f"{name}: " + ", ".join(differing_parts(old, content, "introduction")))
        else:
            versions += dict.fromkeys(f"{name}: {a.strip()} -> {b.strip()}"
                                      for a, b in zip(old_versions, new_versions) if a != b)
    return stale, versions


def stale_parts(out_dir, rendering: Rendering) -> list[str]:
    """What differs between the files in ``out_dir`` and ``rendering`` (empty: up to date);
    a difference in the tool-version lines alone is not staleness (:func:`folder_differences`)."""
    return folder_differences(out_dir, rendering)[0]
