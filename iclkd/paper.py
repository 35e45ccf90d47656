"""A paper: the unit the engine checks and renders, found through the ``iclkd.papers`` entry points.

The engine knows no paper. A paper package exposes one :class:`Paper` and names it in its
``pyproject.toml``::

    [project.entry-points."iclkd.papers"]
    mypaper = "mypaper:PAPER"

A user's module checked with ``--file`` becomes a paper of its own (:func:`module_paper`).
"""
from __future__ import annotations

import dataclasses
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

import sympy as sp

from .errors import ResultDefinitionError, UsageError
from .symbolic.registry import Registry
from .symbolic.result import Result

ENTRY_POINT_GROUP = "iclkd.papers"
DEFAULT_PAPER = "brewing"
MODULE_PAPER = "module"  # the name of a --file module's paper
PAPER_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Paper:
    """One paper's results and everything needed to check and render them.

    * ``notation``: LaTeX for symbols, keyed by the SymPy symbol objects themselves;
      ``naming`` prints any other symbol name (default: SymPy's own printing);
    * ``samplers``: default samplers for symbols, under each result's own;
    * ``figures``: :class:`~iclkd.render.figures.FigureSpec` objects;
    * ``sections``: extra appendix sections, each with ``name`` and ``build(seed, labels)``;
    * ``requires``: names of papers whose results these results depend on;
    * ``model_check``: the paper's check on a real model, for ``iclkd model-check`` (a module
      with ``Settings``, ``run_model_check``, ``render_report``, ``missing_model_message``,
      ``FEATURE_COUNTS`` and ``SEEDS``), or ``None``.

    >>> import sympy as sp
    >>> from iclkd import Claim, Result
    >>> x = sp.Symbol('x')
    >>> p = Paper('demo', 'A demo', (Result('U1', 'Lemma 1', 'x is x', claims=(Claim('', x, x),)),))
    >>> [r.id for r in p.own_registry()]
    ['U1']
    """

    name: str
    title: str
    results: tuple
    notation: Mapping = field(default_factory=dict)
    naming: Callable[[str], str] | None = None
    samplers: Mapping = field(default_factory=dict)
    figures: tuple = ()
    sections: tuple = ()
    requires: tuple = ()
    reference: str = ""
    model_check: object = None

    def __post_init__(self):
        if not PAPER_NAME.match(self.name):
            raise ResultDefinitionError(f"paper name {self.name!r} is not a lower-case name like 'brewing'")
        for attr in ("results", "figures", "sections", "requires"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))
        object.__setattr__(self, "notation", MappingProxyType(dict(self.notation)))
        object.__setattr__(self, "samplers", MappingProxyType(dict(self.samplers)))
        keys = [k for k in self.notation if not isinstance(k, (sp.Symbol, sp.MatrixSymbol))]
        if keys:
            raise ResultDefinitionError(f"paper {self.name!r}: the notation is keyed by SymPy symbols "
                                        f"(the objects the results use), got {keys[0]!r}")
        bad = [r for r in self.results if not isinstance(r, Result)]
        if bad:
            raise ResultDefinitionError(f"paper {self.name!r}: only Result objects can be results, "
                                        f"got {type(bad[0]).__name__}")

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.results]

    def own_results(self) -> list[Result]:
        """The results, each with the paper's samplers under its own."""
        if not self.samplers:
            return list(self.results)
        return [dataclasses.replace(r, samplers={**self.samplers, **r.samplers}) for r in self.results]

    def own_registry(self) -> Registry:
        return Registry(self.own_results())

    def required_papers(self) -> list["Paper"]:
        """Every paper this one requires, directly or not, each once; a cycle is an error."""
        found: dict[str, Paper] = {}

        def visit(paper, path):
            for name in paper.requires:
                if name in path:
                    raise ResultDefinitionError("papers require each other: " + " -> ".join(path + (name,)))
                if name not in found:
                    found[name] = load_paper(name)
                    visit(found[name], path + (name,))

        visit(self, (self.name,))
        return list(found.values())

    def registry(self) -> Registry:
        """The results of every required paper (transitively), then this paper's, validated."""
        reg, owner = Registry(), {}
        for required in self.required_papers():
            for r in required.own_results():
                if r.id in reg:
                    raise ResultDefinitionError(f"result id {r.id!r} is in both paper {owner[r.id]!r} "
                                                f"and paper {required.name!r}")
                reg.register(r)
                owner[r.id] = required.name
        where = self.title if self.name == MODULE_PAPER else f"paper {self.name!r}"
        for r in self.own_results():
            if r.id in reg:
                raise ResultDefinitionError(f"{where}: result id {r.id!r} is already used by paper "
                                            f"{owner[r.id]!r}, which it requires")
            reg.register(r)
        reg.validate()
        return reg

    def labels(self) -> dict:
        """``id → label`` of every result reachable from this paper; a required paper's result
        is labelled with that paper too (``Lemma 2.1a of arXiv 2506.11516``).

        >>> load_paper('brewing').labels()['R1']
        'Lemma 2.1a'
        """
        labels = {}
        for required in self.required_papers():
            source = required.reference or required.title
            labels.update({r.id: f"{r.label} of {source}" for r in required.results})
        labels.update({r.id: r.label for r in self.results})
        return labels


def installed_papers() -> dict[str, object]:
    """The entry points of group ``iclkd.papers``, by name (not loaded yet)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


_LOADED: dict[str, Paper] = {}


def load_paper(name: str) -> Paper:
    """The installed paper called ``name``; an unknown name is a usage error listing the known.

    >>> load_paper('brewing').ids[:2]
    ['R1', 'R2']
    """
    if name in _LOADED:
        return _LOADED[name]
    found = installed_papers()
    if name not in found:
        known = ", ".join(sorted(found)) or f"none: no package declares the entry-point group {ENTRY_POINT_GROUP}"
        raise UsageError(f"unknown paper {name!r} (installed: {known})")
    try:
        paper = found[name].load()
    except ResultDefinitionError:
        raise
    except Exception as exc:
        raise UsageError(f"paper {name!r} ({found[name].value}) does not import: {type(exc).__name__}: {exc}") from None
    if not isinstance(paper, Paper):
        raise UsageError(f"paper {name!r}: {found[name].value} is a {type(paper).__name__}, not an iclkd Paper")
    if paper.name != name:
        raise UsageError(f"paper entry point {name!r} holds a paper named {paper.name!r}")
    _LOADED[name] = paper
    return paper


def module_paper(path: str, requires: tuple = ()) -> Paper:
    """A user's module as a paper of its own: its ``PAPER`` if it defines one, else its
    ``RESULTS`` (or every module-level ``Result``) with its ``NOTATION``, ``NAMING``,
    ``SAMPLERS``, ``FIGURES`` and ``REQUIRES`` if it defines them. ``requires`` adds papers
    named on the command line. Import errors become one-line errors."""
    module = _import_user_module(path)
    paper = getattr(module, "PAPER", None)
    if paper is not None:
        if not isinstance(paper, Paper):
            raise UsageError(f"{path}: PAPER is a {type(paper).__name__}, not an iclkd Paper")
        return dataclasses.replace(paper, requires=_unique(paper.requires + tuple(requires)))
    results = getattr(module, "RESULTS", None)
    if results is None:
        results = [v for v in vars(module).values() if isinstance(v, Result)]
    if not results:
        raise UsageError(f"{path} defines no Result (put them in a list named RESULTS)")
    try:
        return Paper(name=MODULE_PAPER, title=path, results=tuple(results),
                     notation=getattr(module, "NOTATION", {}), naming=getattr(module, "NAMING", None),
                     samplers=getattr(module, "SAMPLERS", {}), figures=tuple(getattr(module, "FIGURES", ())),
                     requires=_unique(tuple(getattr(module, "REQUIRES", ())) + tuple(requires)))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{path}: {exc}") from None


def _unique(names: tuple) -> tuple:
    return tuple(dict.fromkeys(names))


def _line_in(exc: BaseException, file: Path):
    """The line of ``file`` deepest in the traceback of ``exc`` (None if the file is not in it)."""
    line, tb, target = None, exc.__traceback__, str(file.resolve())
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (str(file), target):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _import_user_module(path: str):
    file = Path(path)
    if not file.is_file() or file.suffix != ".py":
        raise UsageError(f"--file expects an existing .py module, got {path!r}")
    name = f"iclkd_user_{abs(hash(str(file.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise UsageError(f"{path}: syntax error at line {exc.lineno}: {exc.msg}") from None
    except ResultDefinitionError as exc:
        raise ResultDefinitionError(f"{path}: {exc}") from None
    except Exception as exc:
        line = _line_in(exc, file)
        where = f"{path}:{line}" if line else path
        raise UsageError(f"{where} does not import: {type(exc).__name__}: {exc}") from None
    except SystemExit as exc:
        raise UsageError(f"{path} called sys.exit({exc.code!r}) while being imported: no results") from None
    return module
