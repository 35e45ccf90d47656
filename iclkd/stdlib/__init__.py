"""``iclkd.stdlib``: a library of checked standard identities, each a registered result with a
stable dotted name, its source and its proof. A proof cites one with
``Use('inverse.woodbury', A=..., U=...)`` (:mod:`iclkd.symbolic.rules_library`);
``iclkd check --stdlib`` checks the library itself. The engine never imports this package:
it is loaded the first time a step or a command needs it.

>>> len(library()) >= 100
True
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import ResultDefinitionError
from ..symbolic.registry import Registry

TOPICS = ("trace", "transpose", "inverse", "determinant", "kronecker", "gradients", "norms", "scalar", "gauss",
          "normal")


@lru_cache(maxsize=1)
def entries() -> tuple:
    """Every entry, topic by topic, in the order of :data:`TOPICS`."""
    import importlib

    found = []
    for topic in TOPICS:
        found.extend(importlib.import_module(f"{__name__}.{topic}").ENTRIES)
    return tuple(found)


@lru_cache(maxsize=1)
def library() -> Registry:
    """The entries as a validated registry (built once per process)."""
    registry = Registry(entries())
    registry.validate()
    return registry


def prefixes() -> list:
    """The first parts of the entries' names (``trace``, ``inverse``, ...), in order.

    >>> prefixes()[:3]
    ['trace', 'transpose', 'inverse']
    """
    return list(dict.fromkeys(r.id.split(".")[0] for r in entries()))


def entry_named(name: str):
    """The entry called ``name``; an unknown name is a one-line definition error.

    >>> entry_named('inverse.woodbury').label
    'Matrix Cookbook (157)'
    """
    if name not in library():
        raise ResultDefinitionError(f"no library entry {name!r} (names start with {', '.join(prefixes())}; "
                                    "'iclkd check --stdlib' lists them)")
    return library().get(name)


def paper():
    """The library as a paper of its own, for ``check --stdlib`` and ``render --stdlib``."""
    from ..paper import Paper

    return Paper(name="stdlib", title="iclkd standard library of identities", results=entries(),
                 reference="the iclkd standard library")
