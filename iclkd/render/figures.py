"""The appendix's figures, drawn from numeric experiments with a fixed seed.

Each figure is a :class:`FigureSpec`: a name, the results it illustrates and a ``draw``
function ``(rng) -> (matplotlib Figure, caption TeX)``. PDFs are byte-stable: Agg
backend, TrueType fonts (``pdf.fonttype = 42``), no creation date, fixed ``svg.hashsalt``.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Callable

import matplotlib

matplotlib.use("Agg")
logging.getLogger("fontTools").setLevel(logging.ERROR)  # font subsetting chatter on every figure

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..numeric_checks.mmd import AttentionKernel, kernel_matrix, mmd2_biased  # noqa: E402
from ..numeric_checks.steps import derived_seed  # noqa: E402
from ..numeric_checks.tokens import loglog_slope, positive_features, random_problem  # noqa: E402
from .escape import escape_tex  # noqa: E402

STYLE = {
    "pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "iclkd", "font.family": "serif",
    "font.serif": ["DejaVu Serif"], "mathtext.fontset": "dejavuserif", "font.size": 9,
    "axes.titlesize": 9, "legend.fontsize": 8, "axes.grid": True, "grid.alpha": 0.3,
    "figure.dpi": 100, "savefig.dpi": 100,
}
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


def figure_pdf(fig: Figure) -> bytes:
    """The PDF bytes of ``fig``, identical on every call for the same figure.

    >>> f = Figure(); _ = f.add_subplot().plot([0, 1]); figure_pdf(f)[:5] == figure_pdf(f)[:5]
    True
    """
    with matplotlib.rc_context(STYLE):
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", metadata=METADATA, bbox_inches="tight")
    return buf.getvalue()


def _new_figure() -> Figure:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=SIZE)
        fig.add_subplot()
    return fig


# R4: the random-feature error against M --------------------------------------------
FEATURE_COUNTS = np.array([16, 64, 256, 1024, 4096])
RF_REPEATS = 64


def rf_error(rng):
    """RMS error of ``ĥ(q)`` against softmax attention for each ``M``, with the fitted slope."""
    prob = random_problem(rng)
    h = prob.softmax_output()
    d_k = prob.keys.shape[1]
    mse, mse_se = [], []
    for m in FEATURE_COUNTS:
        sq = np.array([np.sum((prob.kernel_estimate(rng.standard_normal((d_k, m))) - h) ** 2)
                       for _ in range(RF_REPEATS)])
        mse.append(sq.mean())
        mse_se.append(sq.std(ddof=1) / np.sqrt(RF_REPEATS))
    mse, mse_se = np.array(mse), np.array(mse_se)
    slope, se = loglog_slope(FEATURE_COUNTS.astype(float), mse, mse_se)
    return prob, np.sqrt(mse), mse_se / (2 * np.sqrt(mse)), slope, se


def draw_rf_error(rng):
    prob, rms, rms_se, slope, se = rf_error(rng)
    with matplotlib.rc_context(STYLE):
        fig = _new_figure()
        ax = fig.axes[0]
        ms = FEATURE_COUNTS.astype(float)
        ax.errorbar(ms, rms, yerr=rms_se, fmt="o", ms=4, capsize=2, label="measured RMS error")
        fit = np.exp(np.polyfit(np.log(ms), np.log(rms), 1)[1]) * ms**slope
        ax.plot(ms, fit, "-", lw=1, label=f"fitted slope ${slope:.3f} \\pm {se:.3f}$")
        ax.plot(ms, rms[0] * (ms / ms[0]) ** -0.5, "--", lw=1, label="theory: slope $-1/2$")
        ax.set(xscale="log", yscale="log", xlabel="number of random features $M$",
               ylabel=r"$\|\hat h(q) - h(q)\|$ (RMS)")
        ax.legend(loc="lower left")
    n, t = prob.n_demo, prob.keys.shape[0] - prob.n_demo
    caption = (r"Error of kernelised attention $\hat h(q)$ against softmax attention $h(q)$ as the number "
               r"$M$ of random features grows: root mean square over " + str(RF_REPEATS)
               + r" independent draws of the features at each $M \in \{" + ", ".join(map(str, FEATURE_COUNTS))
               + r"\}$, for one random problem with $N = " + str(n) + r"$ demonstration and $T = " + str(t)
               + r"$ query-side tokens, $d_k = " + str(prob.keys.shape[1]) + r"$, $d_v = "
               + str(prob.values.shape[1]) + r"$, keys and query $\sim \mathcal{N}(0, 0.25^2 I)$. "
               + r"Fitted log--log slope $" + f"{slope:.3f} \\pm {se:.3f}" + r"$ (weighted least squares); "
               + r"theory $-1/2$.")
    return fig, caption


# R9: bias against MMD on the mixture family P_t ---------------------------------------
BIAS_SIZES = {"d": 4, "d_k": 3, "d_v": 2, "M": 64, "n": 200, "N": 8}
MIXTURE_WEIGHTS = np.linspace(0.0, 1.0, 11)


def bias_against_mmd(rng):
    """``||Bias(P_t)||`` (from the mean embeddings of ``ψ``) and ``MMD(P_t, Q)`` (from kernel
    matrices of ``k_ψ``) along the mixture family, with R9's NumPy kernel."""
    s = BIAS_SIZES
    w_k = rng.normal(0, 0.5 / np.sqrt(s["d"]), (s["d_k"], s["d"]))
    w_q = rng.normal(0, 0.5 / np.sqrt(s["d"]), (s["d_k"], s["d"]))
    w_v = rng.normal(0, 1 / np.sqrt(s["d"]), (s["d_v"], s["d"]))
    kernel = AttentionKernel(w_v, w_k, rng.standard_normal((s["d_k"], s["M"])))
    xs_q = rng.normal(0, 1, (s["d"], s["n"]))
    xs_p = rng.normal(0, 1, (s["d"], s["n"])) + 1.5 * np.eye(s["d"])[:, :1]
    prompt = xs_q[:, : s["N"] + 1]
    query = positive_features(kernel.omegas, w_q @ prompt[:, -1])
    d_prime = float(np.sum(kernel.features(prompt).T @ query))
    eta_star = s["N"] / (2 * d_prime)
    pooled = np.hstack([xs_p, xs_q])
    values, feats = kernel.values(pooled), kernel.features(pooled)
    gram = kernel_matrix(values, feats, values, feats)
    q_w = np.r_[np.zeros(s["n"]), np.full(s["n"], 1 / s["n"])]
    embedding_q = kernel.mean_embedding(pooled, q_w)
    rows = []
    for t in MIXTURE_WEIGHTS:
        p_w = np.r_[np.full(s["n"], t / s["n"]), np.full(s["n"], (1 - t) / s["n"])]
        bias = 2 * eta_star * (kernel.mean_embedding(pooled, p_w) - embedding_q)
        mmd = float(np.sqrt(max(mmd2_biased(gram, gram, gram, p_w, q_w), 0.0)))
        rows.append((mmd, np.linalg.norm(bias, "fro"), np.linalg.norm(bias, 2)))
    return eta_star, np.array(rows)


def draw_bias_mmd(rng):
    eta_star, rows = bias_against_mmd(rng)
    with matplotlib.rc_context(STYLE):
        fig = _new_figure()
        ax = fig.axes[0]
        ax.plot(rows[:, 0], rows[:, 1], "o", ms=4, label=r"$\|\mathrm{Bias}(P_t)\|_F$")
        ax.plot(rows[:, 0], rows[:, 2], "s", ms=3, mfc="none", label=r"$\|\mathrm{Bias}(P_t)\|_2$")
        grid = np.linspace(0, rows[:, 0].max(), 2)
        ax.plot(grid, 2 * eta_star * grid, "-", lw=1, label=rf"slope $2\eta^\ast = {2 * eta_star:.3f}$")
        ax.set(xlabel=r"$\mathrm{MMD}_{k_\psi}(P_t, Q)$", ylabel="bias norm")
        ax.legend(loc="upper left")
    worst = float(np.max(np.abs(rows[:, 1] - 2 * eta_star * rows[:, 0]))) / max(float(rows[:, 1].max()), 1e-300)
    s = BIAS_SIZES
    caption = (r"Bias of the initialisation against the MMD: "
               r"$Q$ and $P$ are the empirical distributions of $n = " + str(s["n"]) + r"$ points drawn from "
               r"$\mathcal{N}(0, I_d)$ and $\mathcal{N}(1.5\,e_1, I_d)$, $P_t = (1-t)Q + tP$ for "
               r"$t = 0, 0.1, \ldots, 1$; $d = " + str(s["d"]) + r"$, $d_k = " + str(s["d_k"]) + r"$, $d_v = "
               + str(s["d_v"]) + r"$, $M = " + str(s["M"]) + r"$ fixed random features, $\eta^\ast = N/(2D')$ "
               r"from a prompt of $N = " + str(s["N"]) + r"$ demonstration tokens and one query token drawn from $Q$. The MMD is computed from "
               r"kernel matrices of $k_\psi$, the bias from the feature maps $\psi$; the largest relative "
               r"distance of $\|\mathrm{Bias}\|_F$ from the line is " + _sci(worst) + r", and "
               r"$\|\mathrm{Bias}\|_2 \leq \|\mathrm{Bias}\|_F$ throughout.")
    return fig, caption


# R12/R13: the effective learning rate against the query-key alignment ------------------
ALIGN = {"N": 16, "T": 4, "d_k": 4, "M": 1024, "repeats": 32, "sigma": 0.2, "q_norm": 0.5}
ALIGN_OFFSETS = np.linspace(-1.0, 1.0, 9)


def eta_against_alignment(rng):
    """``η* = N/(2D')`` over draws of keys ``~ N(μ, σ²I)`` and features, for each ``μᵀq``."""
    a = ALIGN
    q = rng.standard_normal(a["d_k"])
    q *= a["q_norm"] / np.linalg.norm(q)
    rows = []
    for c in ALIGN_OFFSETS:
        mu = c * q / a["q_norm"]
        etas = []
        for _ in range(a["repeats"]):
            keys = mu + a["sigma"] * rng.standard_normal((a["N"] + a["T"], a["d_k"]))
            omegas = rng.standard_normal((a["d_k"], a["M"]))
            fq = positive_features(omegas, q)
            d_prime = float(sum(positive_features(omegas, k) @ fq for k in keys))
            etas.append(a["N"] / (2 * d_prime))
        theory = a["N"] / (2 * (a["N"] + a["T"])) * np.exp(-mu @ q - a["sigma"] ** 2 * (q @ q) / 2)
        rows.append((float(mu @ q), np.array(etas), float(theory)))
    return rows


def draw_eta_alignment(rng):
    rows = eta_against_alignment(rng)
    x = np.array([r[0] for r in rows])
    with matplotlib.rc_context(STYLE):
        fig = _new_figure()
        ax = fig.axes[0]
        for xi, etas, _ in rows:
            ax.plot(np.full(etas.size, xi), etas, ".", color="0.6", ms=2)
        ax.plot(x, [np.median(r[1]) for r in rows], "o", ms=4, label=r"median of $\eta^\ast = N/(2D')$")
        ax.plot(x, [r[2] for r in rows], "-", lw=1,
                label=r"$\frac{N}{2(N+T)}\exp(-\mu^\top q - \sigma^2\|q\|^2/2)$")
        ax.set(yscale="log", xlabel=r"alignment $\mu^\top q$", ylabel=r"$\eta^\ast$")
        ax.legend(loc="upper right")
    a = ALIGN
    caption = (r"The effective learning rate $\eta^\ast = N/(2D')$ against the query--key alignment "
               r"$\mu^\top q$: keys $k_j \sim \mathcal{N}(\mu, "
               r"\sigma^2 I)$ with $\sigma = " + f"{a['sigma']:g}" + r"$ and $\mu$ a multiple of $q$, "
               r"$\|q\| = " + f"{a['q_norm']:g}" + r"$, $N = " + str(a["N"]) + r"$, $T = " + str(a["T"])
               + r"$, $d_k = " + str(a["d_k"]) + r"$, $M = " + str(a["M"]) + r"$ random features; "
               + str(a["repeats"]) + r" draws of keys and features at each of " + str(len(ALIGN_OFFSETS))
               + r" alignments (grey), their median (dots), and the large-$N$ prediction (line): $\eta^\ast$ "
               r"decreases as the keys align with the query.")
    return fig, caption


def _sci(value: float) -> str:
    """``1.2e-16`` → ``$1.2\\times 10^{-16}$``; zero → ``$0$``.

    >>> _sci(0.00123)
    '$1.2\\\\times 10^{-3}$'
    """
    if value == 0:
        return "$0$"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"${mantissa}\\times 10^{{{int(exponent)}}}$"


FIGURES = (
    FigureSpec("rf-error", draw_rf_error, ("R4",)),
    FigureSpec("bias-mmd", draw_bias_mmd, ("R9",)),
    FigureSpec("eta-alignment", draw_eta_alignment, ("R12", "R13")),
)


def illustrates_sentence(spec: FigureSpec, labels: dict) -> str:
    """``Illustrates Lemma 2.2a.`` from the registry's labels (ids not registered are left out).

    >>> illustrates_sentence(FIGURES[0], {'R4': 'Lemma 2.2a'})
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
