"""Subcommands of the ``iclkd`` CLI: each module has ``add_parser(subparsers)``; the
parser it adds sets ``func`` to a function ``(args) -> exit code``."""
