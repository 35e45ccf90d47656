"""Helpers shared by subcommands: choosing the paper and its results."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..paper import DEFAULT_PAPER, Paper, load_paper, module_paper
from ..symbolic.registry import Registry


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise UsageError(f"expected a positive number, got {value}")
    return value


def nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise UsageError(f"expected a number >= 0, got {value}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value != value or value == float("inf"):
        raise UsageError(f"expected a positive, finite number of seconds, got {text!r}")
    return value


def add_paper_options(p, file_help: str = "check this Python module's results alone"):
    """``--paper`` and ``--file``, shared by every command that reads results."""
    p.add_argument("--paper", metavar="NAME",
                   help=f"an installed paper (default: {DEFAULT_PAPER}; see 'iclkd list --papers')")
    p.add_argument("--file", metavar="MODULE.py",
                   help=file_help + " (with --paper, that paper's results are there to depend on)")
    p.add_argument("--stdlib", action="store_true",
                   help="the standard library of identities (iclkd.stdlib) instead of a paper")


@dataclass(frozen=True)
class Selection:
    """What a command works on: the paper, every result it can see, and the chosen results."""

    paper: Paper
    registry: Registry
    results: list


def paper_of(args) -> Paper:
    """``--file``'s module as a paper of its own, else the paper named by ``--paper``."""
    named = getattr(args, "paper", None)
    if getattr(args, "stdlib", False):
        if named or getattr(args, "file", None):
            raise UsageError("--stdlib checks the library alone: give it without --paper and --file")
        from ..stdlib import paper

        return paper()
    if getattr(args, "file", None):
        return module_paper(args.file, requires=(named,) if named else ())
    return load_paper(named or DEFAULT_PAPER)


def selection(args) -> Selection:
    """The paper, its registry (its results and those of the papers it requires) and the
    results named by ``args.ids`` (default: the paper's own).

    >>> import argparse
    >>> s = selection(argparse.Namespace(ids=['R2'], paper=None, file=None))
    >>> s.paper.name, [r.id for r in s.results]
    ('brewing', ['R2'])
    """
    paper = paper_of(args)
    registry = paper.registry()
    ids = list(getattr(args, "ids", []) or []) or paper.ids
    return Selection(paper, registry, registry.select(ids))
