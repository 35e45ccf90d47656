"""Facts about frozen (read-only) arrays, computed once and remembered while they live.

Instances are frozen when drawn (``make_instance``), so every step of a claim evaluated on
the same instance can reuse what an earlier step computed from its matrices: row norms for
the rounding-error bounds, whether the entries are nonnegative, the block matrices built
from them. A fact is keyed by the memory the arrays view (address, shape, strides) and is
valid only while every array owning that memory is alive and read-only; a writable array
is never remembered, since its entries may change.
"""
from __future__ import annotations

import weakref

import numpy as np

_FACTS: dict = {}


def frozen_owner(x):
    """The array owning ``x``'s memory if both are read-only, else ``None``.

    >>> a = np.ones(3); a.setflags(write=False)
    >>> frozen_owner(a[1:]) is a, frozen_owner(np.ones(3))
    (True, None)
    """
    if not isinstance(x, np.ndarray) or x.flags.writeable:
        return None
    base = x.base
    if base is None:
        return x
    owner = x
    while isinstance(base, np.ndarray):
        owner, base = base, base.base
    if base is not None or owner.flags.writeable:
        return None
    return owner


def remembered(name: str, arrays: tuple, compute):
    """``compute(*arrays)``, remembered while every array in ``arrays`` is frozen and alive.

    >>> a = np.arange(4.0); a.setflags(write=False)
    >>> calls = []
    >>> [remembered("sum", (a,), lambda x: calls.append(1) or float(x.sum())) for _ in range(2)], len(calls)
    ([6.0, 6.0], 1)
    """
    owners = tuple(frozen_owner(x) for x in arrays)
    if any(o is None for o in owners):
        return compute(*arrays)
    key = (name,) + tuple(_memory_of(x, o) for x, o in zip(arrays, owners))
    hit = _FACTS.get(key)
    if hit is not None and all(ref() is o for ref, o in zip(hit[0], owners)):
        return hit[1]
    return _remember(key, owners, compute(*arrays))


def _memory_of(x, owner) -> tuple:
    """What identifies the memory ``x`` views while ``owner`` lives: for the whole of it or
    its transpose (no offset), the owner's identity, else the address of the first entry."""
    if x is owner or (x.base is owner and x.ndim == 2 and x.shape == owner.shape[::-1]
                      and x.strides == owner.strides[::-1]):
        return ("whole", id(owner), x.shape, x.strides)
    return (x.__array_interface__["data"][0], x.shape, x.strides)


def remembered_of_owner(name: str, owner, compute):
    """``compute(owner)`` for a frozen array that owns its memory, remembered while it
    lives: a fact about the whole array, hence about every view of it (cheaper key).

    >>> a = freeze(np.arange(3.0))
    >>> remembered_of_owner("max", a, np.max), remembered_of_owner("max", a, lambda x: None)
    (np.float64(2.0), np.float64(2.0))
    """
    key = (name, id(owner))
    hit = _FACTS.get(key)
    if hit is not None and hit[0][0]() is owner:
        return hit[1]
    return _remember(key, (owner,), compute(owner))


def _remember(key, owners: tuple, value):
    """Store ``value`` under ``key`` until one of ``owners`` is garbage-collected."""
    forget = lambda _ref, key=key: _FACTS.pop(key, None)  # noqa: E731
    _FACTS[key] = (tuple(weakref.ref(o, forget) for o in owners), value)
    return value


def freeze(x):
    """Make an array (and so every view of it) read-only; returns it.

    >>> freeze(np.zeros(2)).flags.writeable
    False
    """
    if isinstance(x, np.ndarray) and x.flags.owndata:
        x.setflags(write=False)
    return x
