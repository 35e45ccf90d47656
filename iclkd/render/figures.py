"""The appendix's figures, drawn from numeric experiments with a fixed seed.

Each figure is a :class:`FigureSpec`: a name, the results it illustrates and a ``draw``
function ``(rng) -> (matplotlib Figure, caption TeX)``. PDFs are byte-stable: Agg
backend, TrueType fonts (``pdf.fonttype = 42``), no creation date, fixed ``svg.hashsalt``.
"""
from __future__ import annotations

import io
import logging
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import IclkdError
from ..numeric_checks.steps import derived_seed
from .escape import escape_tex

STYLE = {
    "font.family": "serif",
    "font.serif": ["DejaVu Serif"], "mathtext.fontset": "dejavuserif", "font.size": 9,
    "axes.titlesize": 9, "legend.fontsize": 8, "axes.grid": True, "grid.alpha": 0.3,
    "figure.dpi": 100, "savefig.dpi": 100,
}
# Set over iclkd's style and the author's: TrueType fonts and a fixed salt make the PDF bytes
# the same on every run.
STABLE = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "iclkd"}
_AUTHOR_STYLE: dict = {}
METADATA = {"Creator": "iclkd", "Producer": "iclkd (matplotlib)", "CreationDate": None}
SIZE = (4.6, 2.9)


@dataclass(frozen=True)
class FigureSpec:
    """One figure: ``draw(rng)`` returns a matplotlib figure and its caption (TeX)."""

    name: str
    draw: Callable
    illustrates: tuple


@dataclass(frozen=True)
class DrawnFigure:
    name: str
    file: str
    pdf: bytes
    caption: str


def _matplotlib():
    """matplotlib with the Agg backend, imported when a figure is first drawn."""
    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # font subsetting chatter on every figure
    return matplotlib


class StyleError(IclkdError):
    """A matplotlib style file that cannot be used: one line naming the file and the problem."""


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def read_style(path) -> dict:
    """The rc parameters of a matplotlib style file (``--mplstyle``); a missing file, a bad
    key or a bad value is a :class:`StyleError`, never a silent default.

    >>> read_style('/nonexistent.mplstyle')
    Traceback (most recent call last):
    ...
    iclkd.render.figures.StyleError: --mplstyle /nonexistent.mplstyle: no such file
    """
    target = Path(path)
    if not target.is_file():
        raise StyleError(f"--mplstyle {path}: no such file")
    mpl = _matplotlib()
    logged = _Collect()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(logged)  # matplotlib reports a bad value with logging, a bad key with a warning
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            params = mpl.rc_params_from_file(str(target), use_default_template=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise StyleError(f"--mplstyle {path}: {exc}") from exc
    finally:
        logger.removeHandler(logged)
    problems = [m.strip().splitlines()[0] for m in logged.messages + [str(w.message) for w in caught] if m.strip()]
    if problems:
        raise StyleError(f"--mplstyle {path}: {problems[0]}")
    return {k: v for k, v in dict(params).items() if k != "backend"}


@contextmanager
def author_style(params: dict):
    """Draw the figures inside this block with the author's rc ``params`` over iclkd's style."""
    global _AUTHOR_STYLE
    previous, _AUTHOR_STYLE = _AUTHOR_STYLE, dict(params)
    try:
        yield
    finally:
        _AUTHOR_STYLE = previous


def figure_style():
    """The figures' matplotlib style, as a context manager (``with figure_style(): ...``):
    iclkd's, then the author's (:func:`author_style`), then what keeps the PDFs byte-stable."""
    return _matplotlib().rc_context({**STYLE, **_AUTHOR_STYLE, **STABLE})


def figure_pdf(fig) -> bytes:
    """The PDF bytes of ``fig``, identical on every call for the same figure.

    >>> f = new_figure(); _ = f.axes[0].plot([0, 1]); figure_pdf(f)[:5] == figure_pdf(f)[:5]
    True
    """
    with figure_style():
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata=METADATA, bbox_inches="tight")
    return buf.getvalue()


def new_figure(size=SIZE):
    """A matplotlib figure in the appendix's style with one set of axes (``fig.axes[0]``)."""
    with figure_style():
        from matplotlib.figure import Figure

        fig = Figure(figsize=size)
        fig.add_subplot()
    return fig


def sci_text(value: float) -> str:
    """``1.2e-16`` → ``$1.2\\times 10^{-16}$``; zero → ``$0$``.

    >>> sci_text(0.00123)
    '$1.2\\\\times 10^{-3}$'
    """
    if value == 0:
        return "$0$"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"${mantissa}\\times 10^{{{int(exponent)}}}$"


def illustrates_sentence(spec: FigureSpec, labels: dict) -> str:
    """``Illustrates Lemma 2.2a.`` from the registry's labels (ids not registered are left out).

    >>> illustrates_sentence(FigureSpec('f', None, ('R4',)), {'R4': 'Lemma 2.2a'})
    ' Illustrates Lemma 2.2a.'
    """
    names = [escape_tex(labels[i]) for i in spec.illustrates if i in labels]
    return f" Illustrates {' and '.join(names)}." if names else ""


def draw_figures(specs, seed: int, labels: dict | None = None) -> list[DrawnFigure]:
    """Draw ``specs`` with one seed each derived from ``seed`` and the figure's name.

    Captions name the results illustrated (``labels``: id → label) and end with the seed,
    so a reader can redraw a figure exactly.
    """
    drawn = []
    for spec in specs:
        rng = np.random.default_rng(derived_seed(seed, "figure", spec.name))
        fig, caption = spec.draw(rng)
        caption += illustrates_sentence(spec, labels or {}) + f" Seed {seed}."
        drawn.append(DrawnFigure(spec.name, f"figures/{spec.name}.pdf", figure_pdf(fig), caption))
    return drawn
