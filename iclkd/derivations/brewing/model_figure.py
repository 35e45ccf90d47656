"""The figure of the all-MiniLM-L6-v2 section: relative error of ``ĥ(q)`` against ``M``.

Drawn from a :func:`~iclkd.model.checks.run_model_check` report (no random numbers of its
own), in the style of :mod:`iclkd.render.figures` and as byte-stable.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from iclkd.render.figures import DrawnFigure, figure_pdf, figure_style
from .model_numbers import finite, power_of_ten

NAME = "model-errors"
SIZE = (6.4, 4.6)


def chosen_heads(report: dict) -> list[dict]:
    """The heads drawn: smallest, median and largest balanced variance constant among the heads
    whose balanced prediction is finite at every ``M`` (ties by layer, then head).

    >>> rec = lambda l, h, c: {'layer': l, 'head': h, 'log10_variance_constant_balanced': c,
    ...                        'predicted_rms_balanced': [1.0]}
    >>> heads = [rec(0, 0, 5.0), rec(0, 1, 2.0), rec(0, 2, 9.0), rec(0, 3, 4.0)]
    >>> [r['head'] for r in chosen_heads({'heads': heads})]
    [1, 3, 2]
    """
    drawable = [r for r in report["heads"] if math.isfinite(r["log10_variance_constant_balanced"])
                and _finite_line(r["predicted_rms_balanced"])]
    drawable.sort(key=lambda r: (r["log10_variance_constant_balanced"], r["layer"], r["head"]))
    picks = [0, (len(drawable) - 1) // 2, len(drawable) - 1] if drawable else []
    return [drawable[i] for i in dict.fromkeys(picks)]


def _power(log10) -> str:
    """``$10^{2.2}$`` for a panel title; a plain word (matplotlib's text) where it is not finite.

    >>> _power(2.24), _power(float('inf')), _power(float('nan'))
    ('$10^{2.2}$', 'overflow', 'n/a')
    """
    return str(power_of_ten(log10, overflow="overflow", missing="n/a"))


def _finite_line(values) -> bool:
    return all(finite(v) for v in values)


def _head_panel(ax, r, ms):
    ax.plot(ms, r["errors_raw"], "o", ms=4, color="C0", label="measured, raw split")
    ax.plot(ms, r["errors_balanced"], "s", ms=4, mfc="none", color="C1", label="measured, balanced split")
    if _finite_line(r["predicted_rms_raw"]):
        ax.plot(ms, r["predicted_rms_raw"], "--", lw=1, color="C0", label=r"predicted $\sqrt{C/M}$, raw")
    if _finite_line(r["predicted_rms_balanced"]):
        ax.plot(ms, r["predicted_rms_balanced"], "-", lw=1, color="C1", label=r"predicted $\sqrt{C/M}$, balanced")
    ax.set_title(f"layer {r['layer']}, head {r['head']}: "
                 + r"$C_{\mathrm{raw}} = $" + _power(r["log10_variance_constant_raw"]) + ", "
                 + r"$C_{\mathrm{bal}} = $" + _power(r["log10_variance_constant_balanced"]), fontsize=8)


def _control_panel(ax, control, ms):
    errors = np.asarray(control["errors"], float)
    ax.plot(ms, errors, "^", ms=4, color="C2", label="measured (control)")
    ax.plot(ms, control["predicted_rms"], "-", lw=1, color="C2", label="predicted (control)")
    ax.plot(ms, errors[0] * (ms / ms[0]) ** -0.5, ":", lw=1.2, color="0.3", label=r"reference $M^{-1/2}$")
    ax.set_title(f"control, pooled: slope ${control['slope']:.3f} \\pm {control['slope_se']:.3f}$")
    ax.legend(loc="lower left", fontsize=7)


def _overflow_note(chosen) -> str:
    gone = [f"layer {r['layer']} head {r['head']} ({name})" for r in chosen for name in ("raw", "balanced")
            if not _finite_line(r[f"predicted_rms_{name}"])]
    if not gone:
        return " Every predicted line is drawn (none overflows float64)."
    return (" The predicted line is omitted where it overflows float64: " + ", ".join(gone) + ".")


def draw_model_figure(report: dict, labels: dict) -> DrawnFigure:
    """Measured and predicted RMS relative error against ``M`` for :func:`chosen_heads`, and the
    pooled control with its ``M^{-1/2}`` reference; log-log axes; caption with the seed.

    >>> from iclkd.derivations.brewing.model_checks import run_model_check                              # doctest: +SKIP
    >>> fig = draw_model_figure(run_model_check(heads=(0, 1)), {'R2': 'R2', 'R4': 'R4', 'R16': 'R16'})  # doctest: +SKIP
    >>> fig.file, fig.pdf[:4]                                                        # doctest: +SKIP
    ('figures/model-errors.pdf', b'%PDF')
    """
    ms = np.asarray(report["features"], float)
    chosen = chosen_heads(report)
    with figure_style():
        fig = Figure(figsize=SIZE)
        axes = fig.subplots(2, 2).ravel()
        for ax, r in zip(axes, chosen):
            _head_panel(ax, r, ms)
        for ax in axes[len(chosen):-1]:
            ax.set_axis_off()
        _control_panel(axes[-1], report["control"], ms)
        for ax in axes:
            ax.set(xscale="log", yscale="log")
        for ax in axes[2:]:
            ax.set_xlabel("number of random features $M$")
        for ax in axes[::2]:
            ax.set_ylabel(r"$\|\hat h - h\| / \|h\|$ (RMS)")
        if chosen:
            handles, names = axes[0].get_legend_handles_labels()
            fig.legend(handles, names, loc="lower center", ncol=2, bbox_to_anchor=(0.5, -0.07), frameon=False)
        fig.tight_layout()
    caption = _caption(report, chosen, labels)
    return DrawnFigure(NAME, f"figures/{NAME}.pdf", figure_pdf(fig), caption)


def _caption(report, chosen, labels) -> str:
    tokens, n = len(report["tokens"]), report["split"]
    control = report["control"]
    picked = "; ".join(f"layer {r['layer']} head {r['head']}" for r in chosen) or "none (no head has a finite prediction)"
    return (r"Relative error of the estimate $\hat h(q)$ of " + labels["R4"] + r" against softmax attention $h(q)$ "
            r"on all-MiniLM-L6-v2, against the number $M$ of random features (log--log): root mean square over "
            + str(report["seeds"]) + r" draws at each $M \in \{" + ", ".join(map(str, report["features"]))
            + r"\}$, at the raw split (dots) and at the balanced split of " + labels["R16"] + r" (squares), "
            r"with the delta-method prediction $\sqrt{C/M}$ from the variance of " + labels["R2"] + r" (dashed: raw, "
            r"solid: balanced). Heads shown (" + picked + r"): the smallest, median and largest balanced "
            r"variance constant $C$ among the " + str(len(report["heads"])) + r" heads checked whose balanced "
            r"prediction is finite." + _overflow_note(chosen) + r" Last panel: the control run (the same "
            r"$q, K, V$ scaled so that $\max_j \|k_j + q\|^2 = 1$), pooled over the " + str(len(control["heads"]))
            + r" heads with " + str(control["draws_per_head"]) + r" draws per head and $M$, its prediction, and "
            r"a line of slope $-1/2$ through its first point. Prompt of $" + str(tokens) + r"$ tokens, $N = "
            + str(n) + r"$ demonstration and $T = " + str(tokens - n) + r"$ query-side tokens, query token "
            + str(report["query_pos"]) + r", $d_v = " + str(len(report["heads"][0]["h"]) if report["heads"] else 0)
            + r"$. Seed " + str(report["seed"]) + ".")
