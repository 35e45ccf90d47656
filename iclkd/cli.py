"""The ``iclkd`` command line. Exit codes: 0 all verified / done, 1 something not
verified, 2 bad usage or bad input (one line on stderr, no traceback)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from . import __version__
from .commands import build, check, listing, model_check, render, selftest
from .commands.isolation import guarded, run_isolated
from .errors import IclkdError

COMMANDS = (listing, check, render, build, model_check, selftest)


class OneLineParser(argparse.ArgumentParser):
    """Usage errors print one line and exit 2."""

    def error(self, message):
        sys.stderr.write(f"iclkd: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="iclkd", description=__doc__.split(".")[0] + ".")
    parser.add_argument("-V", "--version", action="version", version=f"iclkd {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of the console script.

    >>> main(['list']) == 0  # doctest: +ELLIPSIS
    R1 ...
    True
    """
    try:
        args = build_parser().parse_args(argv)
    except IclkdError as exc:
        sys.stderr.write(f"iclkd: {exc}\n")
        return 2
    target = getattr(args, "json", None)
    if target and target != "-" and not Path(target).resolve().parent.is_dir():
        sys.stderr.write(f"iclkd: cannot write {target}: the folder {Path(target).parent} does not exist\n")
        return 2
    if target == "-":  # the JSON alone on stdout, the readable report on stderr
        args.json = sys.stdout
        with contextlib.redirect_stdout(sys.stderr):
            return _run(args)
    return _run(args)


def _run(args) -> int:
    if getattr(args, "file", None):  # a user's module runs where it cannot fake a verdict
        return run_isolated(args.func, args)
    return guarded(args.func, args)


if __name__ == "__main__":
    sys.exit(main())
