"""The paper's figures, drawn from numeric experiments with a fixed seed (see
:mod:`iclkd.render.figures` for how figures are made byte-stable)."""
from __future__ import annotations

import numpy as np

from iclkd.render.figures import FigureSpec, figure_style, new_figure, sci_text

from .mmd_estimators import AttentionKernel, kernel_matrix, mmd2_biased
from .tokens import loglog_slope, positive_features, random_problem


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
    with figure_style():
        fig = new_figure()
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
    with figure_style():
        fig = new_figure()
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
               r"distance of $\|\mathrm{Bias}\|_F$ from the line is " + sci_text(worst) + r", and "
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
    with figure_style():
        fig = new_figure()
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


FIGURES = (
    FigureSpec("rf-error", draw_rf_error, ("R4",)),
    FigureSpec("bias-mmd", draw_bias_mmd, ("R9",)),
    FigureSpec("eta-alignment", draw_eta_alignment, ("R12", "R13")),
)


