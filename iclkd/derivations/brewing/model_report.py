"""The readable report of ``iclkd model-check`` (tables and findings, from the JSON report)."""
from __future__ import annotations

import math


def _e(x, digits=1) -> str:
    return "inf" if x is None else f"{x:.{digits}e}"


def _g(x) -> str:
    if x is None:
        return "overflow"
    return f"{x:.2g}" if abs(x) >= 1e-3 and abs(x) < 1e4 else f"{x:.1e}"


def _table(header, rows) -> list:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    return lines + ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def head_table(report) -> list:
    header = ("layer", "head", "Z", "eta*=N/2Z", "identities", "C raw", "C bal", "alpha^2", "slope raw",
              "slope bal", "D'/Z raw med [q25,q75]", "D'/Z bal med", "MMD", "||Bias||")
    rows = []
    for r in report["heads"]:
        raw = r["d_over_z_spread_raw"]
        rows.append((str(r["layer"]), str(r["head"]), _e(r["Z"]), _e(r["eta_star"]), _e(max(r["identities"].values())),
                     f"1e{r['log10_variance_constant_raw']:.0f}", f"1e{r['log10_variance_constant_balanced']:.0f}",
                     f"{r['alpha2_balanced']:.3f}", f"{r['slope_raw']:+.2f}", f"{r['slope_balanced']:+.2f}",
                     f"{raw['median']:.2g} [{raw['q25']:.2g},{raw['q75']:.2g}]",
                     f"{r['d_over_z_median_balanced']:.2g}", _g(r["mmd"]), _g(r["bias_norm"])))
    return _table(header, rows)


def error_table(report) -> list:
    header = ("layer", "head", "split") + tuple(f"M={m}" for m in report["features"])
    rows = []
    for r in report["heads"]:
        for name in ("raw", "balanced", "control"):
            cells = [f"{_g(meas)} / {_g(pred)}" for meas, pred in zip(r[f"errors_{name}"], r[f"predicted_rms_{name}"])]
            first = name == "raw"
            rows.append((str(r["layer"]) if first else "", str(r["head"]) if first else "", name, *cells))
    return _table(header, rows)


def findings(report) -> list:
    heads, agree = report["heads"], report["agreement"]
    m_max = report["features"][-1]
    raw_pred = [r["predicted_rms_raw"][-1] for r in heads]
    lo_raw, hi_raw = min(r["log10_variance_constant_raw"] for r in heads), max(r["log10_variance_constant_raw"] for r in heads)
    lo_bal, hi_bal = (min(r["log10_variance_constant_balanced"] for r in heads),
                      max(r["log10_variance_constant_balanced"] for r in heads))
    gains = [r["log10_variance_constant_raw"] - r["log10_variance_constant_balanced"] for r in heads]
    errs = [e for r in heads for e in r["errors_raw"]]
    slopes = [r["slope_raw"] for r in heads]
    dz = [r["d_over_z_median"] for r in heads]
    out = [f"- raw split (the model's keys, q scaled by 1/sqrt(d_k)): variance constants 1e{lo_raw:.0f} to 1e{hi_raw:.0f}; "
           f"predicted RMS error of ĥ at M={m_max}: "
           + ("astronomically large, " if min(x or math.inf for x in raw_pred) > 1e3 else "")
           + f"{_e(min(x or math.inf for x in raw_pred))} to {_e(max((x for x in raw_pred if x), default=None))}"
           + (" (some overflow float64)" if any(x is None for x in raw_pred) else "")
           + f". M^-1/2 convergence is out of reach: measured errors {min(errs):.2g}-{max(errs):.2g}, fitted slopes "
           f"{min(slopes):+.2f} to {max(slopes):+.2f}, median D'/Z {min(dz):.2g}-{max(dz):.2g} (D' far below its mean Z)."]
    b = agree["balanced"]
    line = (f"- balanced split (R16): variance constants 1e{lo_bal:.0f} to 1e{hi_bal:.0f} "
            f"(down {min(gains):.0f} to {max(gains):.0f} orders of magnitude); predicted RMS below 1 at "
            f"{b['points_predicted_below_1']} of {len(heads) * len(report['features'])} (head, M) points, measured "
            f"within 3x of it at {b['within_factor_3']}")
    if b["disagreements"]:
        ratios = [d["ratio"] for d in b["disagreements"]]
        below = all(x > 1 for x in ratios)
        reach = max(d["reachable_fraction"] for d in b["disagreements"])
        line += (f"; at the other {len(ratios)} the measured error is {min(ratios):.1f}-{max(ratios):.1f}x "
                 + ("BELOW" if below else "off") + " the prediction: R2's variance is carried by draws rarer than "
                 f"the M x seeds made (at most {100 * reach:.0f}% of it within reach).")
    else:
        line += "."
    out.append(line)
    c, cagree = report["control"], agree["control"]
    out.append(f"- control (same q, K, V scaled so max ||k+q||^2 = {c['max_sq_norm']:.2g}): pooled slope "
               f"{c['slope']:+.3f} +/- {c['slope_se']:.3f} (M^-1/2 law: -0.5); measured within 3x of predicted at "
               f"{cagree['within_factor_3']} of {cagree['points_predicted_below_1']} points"
               + (f" (ratios {cagree['ratio_range'][0]:.2f}-{cagree['ratio_range'][1]:.2f})." if cagree["ratio_range"] else "."))
    worst = max(max(r["identities"].values()) for r in heads)
    bias = max(r["bias_identity_error"] for r in heads)
    out.append(f"- identities R4, R5, R6 (gradient and step), R8 on real features: worst relative error {worst:.1e}; "
               f"R9 ||Bias||_F = 2 eta* MMD_b: worst {bias:.1e}.")
    return out


def render_report(report) -> str:
    """The report as text: per-head tables and the findings."""
    tokens = report["tokens"]
    lines = [f"all-MiniLM-L6-v2, {len(tokens)} tokens: N = {report['split']} demonstration tokens, "
             f"query token {report['query_pos']} {tokens[report['query_pos']]!r}; M = "
             f"{' '.join(map(str, report['features']))}, {report['seeds']} draws each", ""]
    lines += ["Per head: exact attention, identities, variance constants (R16), D'/Z, R9"] + head_table(report)
    lines += ["", "R4's estimate: RMS relative error, measured / predicted by R2 (delta method)"] + error_table(report)
    lines += ["", "Findings"] + findings(report)
    return "\n".join(lines)
