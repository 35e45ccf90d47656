"""``iclkd list``: the registered results."""
from __future__ import annotations

from .common import registry_and_selection


def add_parser(sub):
    p = sub.add_parser("list", help="list registered results")
    p.add_argument("--file", metavar="MODULE.py", help="also load results from this Python module")
    p.set_defaults(func=run, ids=[])


def run(args) -> int:
    _, results = registry_and_selection(args)
    width = max(len(r.label) for r in results)
    for r in results:
        deps = ", ".join(r.depends_on) or "-"
        print(f"{r.id:<5} {r.label:<{width}}  {r.title}  [depends on: {deps}]")
    return 0
