"""``iclkd build``: check everything, render the appendix and compile it to PDF."""
from __future__ import annotations

from ..output import table
from ..status import VERIFIED
from .common import add_paper_options, selection
from .render import add_check_options, compile_and_report, render


def add_parser(sub):
    from .render import MODEL_SECTION_HELP

    p = sub.add_parser("build", help="check all results, render the appendix and compile the PDF",
                       description="Check all results, render the appendix and compile the PDF. "
                                   + MODEL_SECTION_HELP.format(when="always"))
    add_check_options(p)
    p.set_defaults(func=run, ids=[], check=None)


def run(args) -> int:
    """Exit 0 only if every result is verified and the PDF compiled."""
    rendering, seconds = render(args, selection(args))
    rendering.write(args.out)
    print(table(rendering.reports))
    verified = sum(r.status == VERIFIED for r in rendering.reports)
    print(f"\n{verified} of {len(rendering.reports)} verified; rendered {args.out}/appendix.tex in {seconds:.1f} s")
    compiled = compile_and_report(args.out)
    return 0 if verified == len(rendering.reports) and compiled == 0 else 1
