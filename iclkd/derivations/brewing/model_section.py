"""The appendix section on the real all-MiniLM-L6-v2: ``iclkd model-check``'s report as a
table (one row per head), a figure (:mod:`iclkd.derivations.brewing.model_figure`) and a paragraph whose
every number is read from the report.

Only the full appendix has the section (``iclkd build``, ``iclkd render`` without ids or
``--file``). Without the model files the section is one sentence saying so and how to install
them, and :attr:`ModelSection.notice` is the line the command prints on stderr. The check's
wall-clock seconds go to ``appendix-timings.tex`` only, so the ``.tex`` files stay identical
for the same seed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources

from iclkd.render.document import SectionRendering
from iclkd.render.escape import escape_tex
from iclkd.render.templating import TeX, environment

from .model_checks import AGREEMENT_FACTOR as FACTOR
from .model_numbers import finite, number, percent, power_of_ten, slope
from .notation import name_latex

TIMING_ID = "model-check"


@dataclass(frozen=True)
class ModelSection:
    """What the appendix needs from the model check.

    ``context`` is read by ``model-section.tex.j2``; ``figures`` are
    :class:`~iclkd.render.figures.DrawnFigure`; ``seconds`` (or ``None``) goes to the
    timings file; ``notice`` is empty unless the section could not be generated.
    """

    context: dict
    figures: tuple = ()
    seconds: float | None = None
    notice: str = ""
    report: dict | None = field(default=None, repr=False)

    def rendering(self) -> SectionRendering:
        """The section as the engine places it in the appendix."""
        templates = resources.files("iclkd.derivations.brewing") / "templates"
        tex = environment(templates).get_template("model-section.tex.j2").render(model=self.context)
        return SectionRendering("model", TeX(tex), self.figures, self.seconds, TIMING_ID, self.notice)


def notation() -> dict:
    """The paper's symbols as the printer writes them.

    >>> notation()['eta'], notation()['mmd']
    ('\\\\eta^{\\\\ast}', '\\\\mathrm{MMD}')
    """
    return {key: TeX(name_latex(name)) for key, name in (
        ("eta", "eta_star"), ("dprime", "D'"), ("Z", "Z"), ("M", "M"), ("N", "N"), ("T", "T"),
        ("alpha", "alpha"), ("mmd", "MMD"), ("bias", "Bias"), ("d_v", "d_v"))}


def head_rows(report: dict) -> list[dict]:
    """One table row per checked head, every cell TeX, in the report's order.

    >>> r = {'layer': 0, 'head': 2, 'eta_star': None, 'd_over_z_median': 0.37, 'slope_raw': -0.09,
    ...      'slope_balanced': -0.21, 'log10_variance_constant_raw': 23.75, 'log10_variance_constant_balanced': 3.9,
    ...      'mmd': float('nan'), 'bias_norm': 85.5}
    >>> row = head_rows({'heads': [r]})[0]
    >>> row['eta'], row['c_raw'], row['mmd'], row['bias']
    ('\\\\textit{overflow}', '$10^{23.8}$', '\\\\textit{n/a}', '$86$')
    """
    rows = []
    for r in report["heads"]:
        rows.append({"layer": int(r["layer"]), "head": int(r["head"]), "eta": number(r["eta_star"]),
                     "d_over_z": number(r["d_over_z_median"]),
                     "slope_raw": slope(r["slope_raw"], r.get("slope_raw_se")),
                     "slope_balanced": slope(r["slope_balanced"], r.get("slope_balanced_se")),
                     "c_raw": power_of_ten(r["log10_variance_constant_raw"]),
                     "c_balanced": power_of_ten(r["log10_variance_constant_balanced"]),
                     "mmd": number(r["mmd"]), "bias": number(r["bias_norm"])})
    return rows


def layer_blocks(rows: list[dict]) -> list[list[dict]]:
    """Rows grouped by layer (one tabular each, so the table can break between layers).

    >>> [len(b) for b in layer_blocks([{'layer': 0}, {'layer': 0}, {'layer': 3}])]
    [2, 1]
    """
    blocks: list[list[dict]] = []
    for row in rows:
        if not blocks or blocks[-1][-1]["layer"] != row["layer"]:
            blocks.append([])
        blocks[-1].append(row)
    return blocks


def _range(values, fmt=number) -> dict | None:
    values = [v for v in values if finite(v)]
    return {"low": fmt(min(values)), "high": fmt(max(values))} if values else None


def split_summary(report: dict, name: str) -> dict:
    """Agreement of measured and predicted RMS at one split (``raw``/``balanced``/``control``).

    >>> bad = [{'ratio': 4.0, 'reachable_fraction': 0.02}]
    >>> rep = {'heads': [{}], 'features': [1, 2], 'agreement': {'balanced': {'points_predicted_below_1': 2,
    ...        'within_factor_3': 1, 'ratio_range': [1.0, 4.0], 'disagreements': bad}}}
    >>> s = split_summary(rep, 'balanced')
    >>> s['points'], s['over'], s['reach']
    (2, 1, {'low': '$2.0$\\\\%', 'high': '$2.0$\\\\%'})
    """
    agree = report["agreement"][name]
    bad = agree["disagreements"]
    ratio_range = agree["ratio_range"]
    reach = [d["reachable_fraction"] for d in bad if "reachable_fraction" in d]
    return {"points": len(report["heads"]) * len(report["features"]),
            "below_1": int(agree["points_predicted_below_1"]), "within": int(agree["within_factor_3"]),
            "ratios": _range(ratio_range or []), "disagree": len(bad),
            "over": sum(d["ratio"] > FACTOR for d in bad), "under": sum(d["ratio"] < 1 / FACTOR for d in bad),
            "over_ratios": _range([d["ratio"] for d in bad if d["ratio"] > FACTOR]),
            "reach": _range(reach, percent)}


def constant_comparison(report: dict) -> dict:
    """Is the balanced variance constant at most the raw one, head by head? (computed)

    >>> heads = [{'layer': 0, 'head': h, 'log10_variance_constant_raw': 5.0,
    ...           'log10_variance_constant_balanced': b} for h, b in ((0, 2.0), (1, 6.0))]
    >>> c = constant_comparison({'heads': heads})
    >>> c['all'], c['exceptions']
    (False, 'layer 0 head 1')
    """
    heads = report["heads"]
    exceptions = [r for r in heads if not (r["log10_variance_constant_balanced"]
                                           <= r["log10_variance_constant_raw"])]
    drops = [r["log10_variance_constant_raw"] - r["log10_variance_constant_balanced"] for r in heads]
    return {"heads": len(heads), "all": not exceptions,
            "exceptions": TeX(", ".join(f"layer {r['layer']} head {r['head']}" for r in exceptions)),
            "drop": _range(drops, lambda x: TeX(f"{x:.0f}")),
            "raw": _range([r["log10_variance_constant_raw"] for r in heads], power_of_ten),
            "balanced": _range([r["log10_variance_constant_balanced"] for r in heads], power_of_ten)}


def control_summary(report: dict) -> dict:
    """The pooled control's slope and its distance from ``-1/2`` in standard errors.

    >>> c = control_summary({'control': {'slope': -0.485, 'slope_se': 0.01, 'heads': [[0, 0]],
    ...                                  'draws_per_head': 8}})
    >>> c['slope'], c['sigmas'], c['within_2se']
    ('$-0.485 \\\\pm 0.010$', '$1.5$', True)
    """
    c = report["control"]
    distance = abs(c["slope"] + 0.5) / c["slope_se"] if c["slope_se"] > 0 else math.inf
    return {"slope": TeX(f"${c['slope']:.3f} \\pm {c['slope_se']:.3f}$"), "sigmas": number(distance),
            "within_2se": distance <= 2, "heads": len(c["heads"]),
            "draws": int(c["draws_per_head"]) * len(c["heads"])}


def _labels(labels: dict | None) -> dict:
    """``R16 (Beyond the paper)``: a result's id (as in the verification table) and its label.

    >>> _labels({'R4': 'Lemma 2.2a'})['R4'], _labels({})['R2']
    ('R4 (Lemma 2.2a)', 'R2')
    """
    labels = labels or {}
    return {rid: TeX(escape_tex(f"{rid} ({labels[rid]})" if rid in labels else rid))
            for rid in ("R2", "R4", "R9", "R16")}


def section_from_report(report: dict, labels: dict | None = None, seconds=None) -> ModelSection:
    """The section for a :func:`~iclkd.model.checks.run_model_check` report.

    >>> from iclkd.derivations.brewing.model_checks import Settings, run_model_check               # doctest: +SKIP
    >>> s = section_from_report(run_model_check(layers=(0,), heads=(0,)))      # doctest: +SKIP
    >>> len(s.context['blocks'][0]), s.figures[0].file                         # doctest: +SKIP
    (1, 'figures/model-errors.pdf')
    """
    from .model_figure import draw_model_figure

    figure = draw_model_figure(report, _labels(labels))
    tokens = report["tokens"]
    context = {
        "missing": False, "sym": notation(), "res": _labels(labels), "blocks": layer_blocks(head_rows(report)),
        "figure": {"name": figure.name, "file": figure.file, "caption": TeX(figure.caption)},
        "layers": TeX(", ".join(str(x) for x in dict.fromkeys(r["layer"] for r in report["heads"]))),
        "n_heads": len(report["heads"]), "seed": int(report["seed"]), "seeds": int(report["seeds"]),
        "features": TeX(", ".join(str(m) for m in report["features"])), "m_max": int(report["features"][-1]),
        "tokens": len(tokens), "prompt": TeX(escape_tex(" ".join(tokens))), "split": int(report["split"]),
        "side": len(tokens) - int(report["split"]), "query_pos": int(report["query_pos"]),
        "query_token": TeX(escape_tex(tokens[report["query_pos"]])),
        "factor": TeX(f"{FACTOR:g}"),
        "control": control_summary(report), "raw": split_summary(report, "raw"),
        "balanced": split_summary(report, "balanced"), "control_agree": split_summary(report, "control"),
        "constants": constant_comparison(report), "timing_id": TIMING_ID,
    }
    return ModelSection(context, (figure,), seconds, "", report)


def missing_section(exc: Exception) -> ModelSection:
    """The one-sentence section, and the stderr notice, when the model is not installed.

    >>> from iclkd.model.minilm import MiniLMNotInstalled
    >>> s = missing_section(MiniLMNotInstalled('tokenizers'))
    >>> s.context['missing'], s.notice.startswith('the all-MiniLM-L6-v2 section was not generated')
    (True, True)
    """
    from .model_checks import missing_model_message

    message = missing_model_message(exc)
    sentence = (f"This section was not generated because the model is not installed ({message}); "
                "install it and render the appendix again to include it.")
    return ModelSection({"missing": True, "sentence": TeX(escape_tex(sentence)), "timing_id": TIMING_ID},
                        notice=f"the all-MiniLM-L6-v2 section was not generated: {message}")


def model_section(seed: int = 0, labels: dict | None = None) -> ModelSection:
    """Run ``iclkd model-check``'s computation (default layers and settings, ``seed``) and
    build the section; a one-sentence section if the model is not installed.

    >>> model_section(0).context['n_heads']                                    # doctest: +SKIP
    36
    """
    from .model_checks import Settings, run_model_check
    from iclkd.model.minilm import MiniLMNotInstalled

    try:
        report = run_model_check(settings=Settings(seed=seed))
    except MiniLMNotInstalled as exc:
        return missing_section(exc)
    return section_from_report(report, labels, seconds=report["seconds"])


class MiniLMSection:
    """The full appendix's section on all-MiniLM-L6-v2 (a :class:`~iclkd.paper.Paper` section)."""

    name = "model"

    def build(self, seed: int, labels: dict) -> SectionRendering:
        return model_section(seed, labels).rendering()
