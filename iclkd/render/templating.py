"""The Jinja2 environment for LaTeX templates.

Delimiters that TeX never writes (``((( var )))``, ``((* block *))``, ``((# comment #))``),
no line statements (a ``%`` line stays TeX), ``StrictUndefined``, autoescape off, and a
``finalize`` guard: every value that reaches the output must be :class:`TeX` (made by a
filter: ``tex`` escapes text, ``prose`` escapes text around validated ``$...$`` math,
``ident`` checks an id, ``sci`` formats a number) or an
``int``; a plain string is an error, so no text reaches LaTeX unescaped.
"""
from __future__ import annotations

import re
from importlib import resources

import jinja2

from .escape import escape_tex
from .prose import prose_tex

SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
SAFE_PATH = re.compile(r"^[A-Za-z0-9_./-]+$")


class TeX(str):
    """A string that is already TeX (escaped text, or LaTeX made by the printer)."""


class UnescapedText(jinja2.TemplateError):
    """A template tried to output a value that did not go through a TeX filter."""


def tex(text) -> TeX:
    """Filter: escape text for LaTeX.

    >>> tex('50% & c')
    '50\\\\% \\\\& c'
    """
    return text if isinstance(text, TeX) else TeX(escape_tex(text))


def prose(text) -> TeX:
    """Filter: escape text for LaTeX, keeping its validated ``$...$`` math (:mod:`.prose`).

    >>> prose('rate $M^{-1/2}$, 5%')
    'rate $M^{-1/2}$, 5\\\\%'
    """
    return text if isinstance(text, TeX) else TeX(prose_tex(text))


def ident(value) -> TeX:
    """Filter: a result id or figure name, used inside ``\\label`` and ``\\csname``.

    >>> ident('R1')
    'R1'
    """
    if not SAFE_ID.match(str(value)):
        raise UnescapedText(f"{value!r} is not a plain identifier like 'R1'")
    return TeX(value)


def path(value) -> TeX:
    """Filter: a relative file name made of safe characters only."""
    if not SAFE_PATH.match(str(value)) or ".." in str(value):
        raise UnescapedText(f"{value!r} is not a safe relative path")
    return TeX(value)


def sci(value) -> TeX:
    """Filter: a float in scientific notation (``--`` for none).

    >>> sci(0.00123), sci(None), sci(0.0)
    ('$1.2\\\\times 10^{-3}$', '--', '$0$')
    """
    if value is None:
        return TeX("--")
    if value == 0:
        return TeX("$0$")
    mantissa, exponent = f"{value:.1e}".split("e")
    return TeX(f"${mantissa}\\times 10^{{{int(exponent)}}}$")


def finalize(value):
    """Only TeX and whole numbers reach the output."""
    if isinstance(value, TeX) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise UnescapedText(f"unescaped value reached the template output: {value!r} "
                        "(pass text through the 'tex' filter)")


def environment(*template_dirs) -> jinja2.Environment:
    """The environment loading ``template_dirs`` (a paper's own templates), then ``iclkd/templates``.

    >>> environment().from_string('((( x | tex )))').render(x='50%')
    '50\\\\%'
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*map(str, template_dirs), str(resources.files("iclkd") / "templates")]),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((#", comment_end_string="#))",
        line_statement_prefix=None, line_comment_prefix=None,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False, undefined=jinja2.StrictUndefined, finalize=finalize,
    )
    env.filters.update(tex=tex, prose=prose, ident=ident, path=path, sci=sci)
    return env
