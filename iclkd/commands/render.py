"""``iclkd render``: the LaTeX appendix (``appendix.tex``, ``appendix-body.tex``, figures)."""
from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from ..check import CheckSettings
from ..render import DOCUMENT
from ..status import VERIFIED

# The renderer pulls in matplotlib and Jinja2: imported when a command runs, not at CLI start.
from ..symbolic.timing import Stopwatch
from ..errors import UsageError
from .common import add_paper_options, nonnegative_int, positive_float, positive_int, selection

DEFAULT_OUT = "build"
MODEL_SECTION_HELP = ("The full appendix ({when}) also has the paper's figures and own sections; the seed "
                      "paper's is on the real all-MiniLM-L6-v2: it runs model-check's computation (layers 0, 3, "
                      "5, every head, the same --seed; about 20 s); without the model files that section is "
                      "one sentence saying how to install them.")


def add_check_options(p, *, seed_default=CheckSettings.seed, trials_default=CheckSettings.trials):
    """Options shared by ``render`` and ``build``."""
    p.add_argument("--out", metavar="DIR", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    p.add_argument("--seed", type=nonnegative_int, default=seed_default,
                   help=f"random seed (default: {CheckSettings.seed})")
    p.add_argument("--trials", type=positive_int, default=trials_default,
                   help=f"random instances per claim and numeric check (default: {CheckSettings.trials})")
    p.add_argument("--timeout", type=positive_float, default=CheckSettings.timeout,
                   help="seconds allowed for each symbolic step and numeric check (default: %(default)s)")
    p.add_argument("--mplstyle", metavar="FILE",
                   help="a matplotlib style file for the figures, over iclkd's (e.g. font.size to match the paper)")
    p.add_argument("--split", action="store_true",
                   help="also write iclkd-macros.tex and, per result, results/ID.tex, results/ID-statement.tex "
                        "and results/ID-proof.tex, to \\input apart (statement in the main text, proof in the appendix)")
    p.add_argument("--theorem-env", metavar="KIND=ENV,...", type=theorem_envs, default={},
                   help="state results of these kinds in the paper's own theorem environments, numbered by the "
                        "paper (e.g. theorem=thm,lemma=lem); other kinds use iclkd's")
    add_paper_options(p, "render this Python module's results alone")


THEOREM_ENV = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*=\s*([A-Za-z][A-Za-z0-9]*)\s*$")


def theorem_envs(text: str) -> dict:
    """``--theorem-env``: ``kind=environment`` pairs, the kind as results' labels begin
    (``Theorem 3.1`` is a ``theorem``), case-insensitive.

    >>> theorem_envs("theorem=thm, Lemma=lem")
    {'theorem': 'thm', 'lemma': 'lem'}
    """
    pairs = {}
    for item in text.split(","):
        match = THEOREM_ENV.match(item)
        if not match:
            raise UsageError(f"--theorem-env expects KIND=ENV pairs like theorem=thm,lemma=lem (an environment "
                             f"name is letters and digits), got {item.strip()!r}")
        pairs[match.group(1).lower()] = match.group(2)
    return pairs


def add_parser(sub):
    p = sub.add_parser("render", help="render the checked results as a LaTeX appendix",
                       description="Render the checked results as a LaTeX appendix. "
                                   + MODEL_SECTION_HELP.format(when="no ids"))
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="result ids (default: all, with the all-MiniLM-L6-v2 section)")
    add_check_options(p, seed_default=None, trials_default=None)
    p.add_argument("--pdf", action="store_true", help="also compile appendix.pdf (latexmk or pdflatex)")
    p.add_argument("--check", metavar="DIR",
                   help="write nothing; exit 1 if the files in DIR are not what the sources render now")
    p.set_defaults(func=run)


def settings_for(args) -> CheckSettings:
    """The run's settings; ``--check`` reuses the seed and trials recorded in DIR."""
    from ..render.document import recorded_settings

    recorded = recorded_settings(args.check) if getattr(args, "check", None) else None
    seed = args.seed if args.seed is not None else (recorded[0] if recorded else CheckSettings.seed)
    trials = args.trials if args.trials is not None else (recorded[1] if recorded else CheckSettings.trials)
    return CheckSettings(seed=seed, trials=trials, timeout=args.timeout)


def render(args, chosen):
    """Render the selection; returns the rendering and the seconds it took.

    Without ids the appendix is the paper's full one: every figure and the paper's sections.
    """
    watch = Stopwatch()
    explicit = bool(args.ids)
    from ..render.document import figures_for, render_appendix
    from ..render.figures import author_style, draw_figures, read_style
    from ..render.printer import Notation, use_notation

    settings = settings_for(args)
    style = read_style(args.mplstyle) if getattr(args, "mplstyle", None) else {}
    paper = chosen.paper
    labels = paper.labels()
    with author_style(style):
        figures = draw_figures(figures_for(paper.figures, [r.id for r in chosen.results], explicit),
                               settings.seed, labels)
        sections = () if explicit else paper_sections(paper, settings.seed, labels)
    with use_notation(Notation(paper.notation, paper.naming)):
        rendering = render_appendix(chosen.results, chosen.registry, settings, figures=figures,
                                    sections=sections, labels=labels, split=getattr(args, "split", False),
                                    theorem_envs=getattr(args, "theorem_env", None))
    return rendering, watch.seconds()


def paper_sections(paper, seed: int, labels: dict) -> list:
    """The paper's own sections, built; each notice (e.g. a model not installed) goes to stderr."""
    built = [section.build(seed, labels) for section in paper.sections]
    for s in built:
        if s.notice:
            sys.stderr.write(f"iclkd: {s.notice}\n")
    return built


def compile_and_report(out_dir) -> int:
    """Compile ``DIR/appendix.tex``; one line either way; 0 on success, 1 otherwise."""
    from ..render.latex import compile_pdf

    outcome = compile_pdf(Path(out_dir) / DOCUMENT)
    if outcome.ok:
        print(f"{outcome.message}, compiled by {outcome.tool} in {outcome.seconds:.1f} s")
        return 0
    sys.stderr.write(f"iclkd: {outcome.message}\n")
    return 1


def regenerate_command(args, settings: CheckSettings, out_dir: str) -> str:
    """The ``iclkd render`` command that rewrites ``out_dir`` as this run rendered it: the same
    ids, paper, module, seed and trials (``settings``, which ``--check`` may have read from DIR).

    >>> from argparse import Namespace
    >>> run = Namespace(ids=["R7"], file="my results.py", paper=None, timeout=20.0)
    >>> regenerate_command(run, CheckSettings(seed=3, trials=4), "build")
    "iclkd render R7 --file 'my results.py' --seed 3 --trials 4 --out build"
    """
    words = ["iclkd", "render", *args.ids]
    for option in ("paper", "file", "mplstyle"):
        if getattr(args, option, None) is not None:
            words += [f"--{option}", str(getattr(args, option))]
    if getattr(args, "stdlib", False):
        words.append("--stdlib")
    if getattr(args, "split", False):
        words.append("--split")
    if getattr(args, "theorem_env", None):
        words += ["--theorem-env", ",".join(f"{k}={v}" for k, v in args.theorem_env.items())]
    words += ["--seed", str(settings.seed), "--trials", str(settings.trials)]
    if settings.timeout != CheckSettings.timeout:
        words += ["--timeout", f"{settings.timeout:g}"]
    words += ["--out", out_dir]
    return shlex.join(words)


def not_verified_message(reports) -> str | None:
    """One line naming the rendered results that are not verified, or ``None`` if all are."""
    bad = [f"{rep.result.id} {rep.status}" for rep in reports if rep.status != VERIFIED]
    if not bad:
        return None
    return f"rendered, but not verified: {', '.join(bad)} (the appendix shows it; exit 1)"


def run(args) -> int:
    chosen = selection(args)
    rendering, seconds = render(args, chosen)
    if args.check:
        from ..render.document import folder_differences

        stale, version_changes = folder_differences(args.check, rendering)
        regenerate = regenerate_command(args, settings_for(args), args.check)
        if stale:
            print(f"{args.check} is stale (regenerate with '{regenerate}'):")
            for line in stale:
                print(f"  {line}")
            return 1
        print(f"{args.check} is up to date ({len(rendering.files)} files, rendered in {seconds:.1f} s)")
        if version_changes:
            print(f"the mathematics and text are current; only tool versions differ (regenerate with "
                  f"'{regenerate}' to record them):")
            for line in version_changes:
                print(f"  {line}")
        return 0
    rendering.write(args.out)
    figures = sum(1 for name in rendering.files if name.startswith("figures/"))
    split = f", {args.out}/iclkd-macros.tex, {3 * len(chosen.results)} pieces in {args.out}/results/" \
        if getattr(args, "split", False) else ""
    print(f"wrote {args.out}/{DOCUMENT}, {args.out}/appendix-body.tex{split} and {figures} figures "
          f"({len(chosen.results)} results, rendered in {seconds:.1f} s)")
    compiled = compile_and_report(args.out) if args.pdf else 0
    problem = not_verified_message(rendering.reports)
    if problem:
        sys.stderr.write(f"iclkd: {problem}\n")
        return 1
    return compiled
