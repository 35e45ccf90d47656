"""Helpers shared by subcommands: choosing the registry and results."""
from __future__ import annotations

from ..errors import UsageError
from ..symbolic.registry import default_registry, load_module_results


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


def registry_and_selection(args):
    """The registry (the paper's results, plus a user's module) and the selected results.

    With ``--file`` and no ids, the selection is the module's results.
    """
    registry = default_registry()
    selection_default = None
    if getattr(args, "file", None):
        user = load_module_results(args.file)
        for r in user:
            if r.id in registry:
                raise UsageError(f"{args.file}: result id {r.id!r} is already used by the paper's results")
        registry = registry.merged(user)
        registry.validate()
        selection_default = [r.id for r in user]
    ids = list(getattr(args, "ids", []) or []) or selection_default or []
    return registry, registry.select(ids)
