"""``iclkd list``: a paper's results, or the installed papers."""
from __future__ import annotations

from ..paper import installed_papers, load_paper
from .common import add_paper_options, selection


def add_parser(sub):
    p = sub.add_parser("list", help="list a paper's results (or, with --papers, the installed papers)")
    add_paper_options(p, "list this Python module's results")
    p.add_argument("--papers", action="store_true", help="list the installed papers instead")
    p.set_defaults(func=run, ids=[])


def run(args) -> int:
    if args.papers:
        return list_papers()
    chosen = selection(args)
    width = max(len(r.label) for r in chosen.results)
    for r in chosen.results:
        deps = ", ".join(r.depends_on) or "-"
        print(f"{r.id:<5} {r.label:<{width}}  {r.title}  [depends on: {deps}]")
    return 0


def list_papers() -> int:
    """One line per installed paper: name, number of results, title, and where it comes from."""
    for name, entry in sorted(installed_papers().items()):
        paper = load_paper(name)
        requires = f"  [requires: {', '.join(paper.requires)}]" if paper.requires else ""
        print(f"{name:<12} {len(paper.results):>3} results  {paper.title}  ({entry.value}){requires}")
    return 0
