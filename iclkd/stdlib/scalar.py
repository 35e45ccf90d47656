"""Scalar functions: exponentials, logarithms, hyperbolic and trigonometric identities, the
logistic function, erf, and elementary inequalities (Abramowitz & Stegun Chs. 4 and 7)."""
from __future__ import annotations

import sympy as sp

from ..symbolic.result import Step
from ..symbolic.rules import Bound
from ..symbolic.rules_probability import ScalarDerivative
from ..symbolic.rules_rewrite import Rewrite
from .entry import ABRAMOWITZ, HARDY, cited, entry

x, y = sp.symbols("x y", positive=True)
s, t = sp.symbols("s t", real=True)
k = sp.Symbol("k", integer=True)
LOG = ("Abramowitz & Stegun 4.1", f"{ABRAMOWITZ}, Sec. 4.1 (the logarithmic function)")
EXP = ("Abramowitz & Stegun 4.2", f"{ABRAMOWITZ}, Sec. 4.2 (the exponential function)")
TRIG = ("Abramowitz & Stegun 4.3", f"{ABRAMOWITZ}, Sec. 4.3 (circular functions)")
HYPERBOLIC = ("Abramowitz & Stegun 4.5", f"{ABRAMOWITZ}, Sec. 4.5 (hyperbolic functions)")
ERF = ("Abramowitz & Stegun (7.1.9)", f"{ABRAMOWITZ}, eq. (7.1.9) (erf is odd)")
ERFC = ("Abramowitz & Stegun (7.1.2)", f"{ABRAMOWITZ}, eq. (7.1.2) (the complementary error function)")
ORDER = ("Bartle & Sherbert 2.2", "Bartle & Sherbert, Introduction to Real Analysis, 4th ed., Wiley 2011, "
                                  "Sec. 2.2 (the absolute value; max and min through it)")
MEANS = ("Hardy, Littlewood & Pólya 2.5", f"{HARDY}, Sec. 2.5 (the arithmetic and geometric means)")
BISHOP = "Bishop, Pattern Recognition and Machine Learning, Springer 2006"
sigma = 1 / (1 + sp.exp(-t))


def _rewritten(rhs, target):
    return (Step(rhs, Rewrite(target)),)


def _bound(rhs, hint=""):
    return (Step(rhs, Bound(hint), relation="<="),)


def _cited(lhs, rhs, theorem, source):
    return cited(lhs, rhs, theorem, source[1], "<=")


ENTRIES = (
    entry("log.product", LOG, "log(xy) = log x + log y for x, y > 0", sp.log(x * y), sp.log(x) + sp.log(y)),
    entry("log.quotient", LOG, "log(x/y) = log x − log y for x, y > 0", sp.log(x / y), sp.log(x) - sp.log(y)),
    entry("log.power", LOG, "log(xᵏ) = k log x for x > 0", sp.log(x**k), k * sp.log(x)),
    entry("log.sqrt", LOG, "log √x = (log x)/2 for x > 0", sp.log(sp.sqrt(x)), sp.log(x) / 2),
    entry("log.of_exp", LOG, "log eᵗ = t", sp.log(sp.exp(t)), t),
    entry("exp.of_log", EXP, "e^{log x} = x for x > 0", sp.exp(sp.log(x)), x),
    entry("exp.sum", EXP, "e^{s + t} = eˢ eᵗ", sp.exp(s + t), sp.exp(s) * sp.exp(t)),
    entry("exp.difference", EXP, "e^{s − t} = eˢ/eᵗ", sp.exp(s - t), sp.exp(s) / sp.exp(t)),
    entry("exp.power", EXP, "e^{kt} = (eᵗ)ᵏ", sp.exp(k * t), sp.exp(t)**k),
    entry("exp.derivative", EXP, "d/dt e^{st} = s e^{st}", sp.Derivative(sp.exp(s * t), t), s * sp.exp(s * t),
          proof=(Step(s * sp.exp(s * t), ScalarDerivative()),)),
    entry("exp.tangent_bound", EXP, "1 + t ≤ eᵗ", 1 + t, sp.exp(t), relation="<=",
          proof=_cited(1 + t, sp.exp(t), "1 + t ≤ eᵗ (convexity of exp)", EXP)),
    entry("log.tangent_bound", LOG, "log x ≤ x − 1 for x > 0", sp.log(x), x - 1, relation="<=",
          proof=_cited(sp.log(x), x - 1, "log x ≤ x − 1 (concavity of log)", LOG)),
    entry("hyperbolic.pythagoras", HYPERBOLIC, "cosh²t − sinh²t = 1", sp.cosh(t)**2 - sp.sinh(t)**2, sp.Integer(1)),
    entry("hyperbolic.cosh", HYPERBOLIC, "cosh t = (eᵗ + e⁻ᵗ)/2", sp.cosh(t), (sp.exp(t) + sp.exp(-t)) / 2),
    entry("hyperbolic.sinh", HYPERBOLIC, "sinh t = (eᵗ − e⁻ᵗ)/2", sp.sinh(t), (sp.exp(t) - sp.exp(-t)) / 2),
    entry("hyperbolic.tanh", HYPERBOLIC, "tanh t = sinh t / cosh t", sp.tanh(t), sp.sinh(t) / sp.cosh(t)),
    entry("hyperbolic.cosh_double", HYPERBOLIC, "cosh 2t = 2cosh²t − 1", sp.cosh(2 * t), 2 * sp.cosh(t)**2 - 1),
    entry("trig.pythagoras", TRIG, "sin²t + cos²t = 1", sp.sin(t)**2 + sp.cos(t)**2, sp.Integer(1)),
    entry("trig.sin_double", TRIG, "sin 2t = 2 sin t cos t", sp.sin(2 * t), 2 * sp.sin(t) * sp.cos(t)),
    entry("trig.cos_double", TRIG, "cos 2t = cos²t − sin²t", sp.cos(2 * t), sp.cos(t)**2 - sp.sin(t)**2),
    entry("trig.cos_sum", TRIG, "cos(s + t) = cos s cos t − sin s sin t", sp.cos(s + t),
          sp.cos(s) * sp.cos(t) - sp.sin(s) * sp.sin(t)),
    entry("trig.cos_product", TRIG, "cos s cos t = (cos(s − t) + cos(s + t))/2", sp.cos(s) * sp.cos(t),
          (sp.cos(s - t) + sp.cos(s + t)) / 2),
    entry("erf.odd", ERF, "erf(−t) = −erf t", sp.erf(-t), -sp.erf(t)),
    entry("erfc.complement", ERFC, "erfc t = 1 − erf t", sp.erfc(t), 1 - sp.erf(t), proof=_rewritten(1 - sp.erf(t), sp.erf)),
    entry("order.max", ORDER, "max(s, t) = (s + t + |s − t|)/2", sp.Max(s, t), (s + t + sp.Abs(s - t)) / 2,
          proof=_rewritten((s + t + sp.Abs(s - t)) / 2, sp.Piecewise)),
    entry("order.min", ORDER, "min(s, t) = (s + t − |s − t|)/2", sp.Min(s, t), (s + t - sp.Abs(s - t)) / 2,
          proof=_rewritten((s + t - sp.Abs(s - t)) / 2, sp.Piecewise)),
    entry("order.max_plus_min", ORDER, "max(s, t) + min(s, t) = s + t", sp.Max(s, t) + sp.Min(s, t), s + t,
          proof=_rewritten(s + t, sp.Piecewise)),
    entry("order.abs_as_max", ORDER, "|t| = max(t, −t)", sp.Abs(t), sp.Max(t, -t), proof=_rewritten(sp.Max(t, -t), sp.Piecewise)),
    entry("logistic.tanh", ("Bishop 5.1", f"{BISHOP}, Sec. 5.1 (tanh and the logistic sigmoid)"),
          "tanh t = 2σ(2t) − 1", sp.tanh(t), 2 / (1 + sp.exp(-2 * t)) - 1,
          proof=_rewritten(2 / (1 + sp.exp(-2 * t)) - 1, sp.exp)),
    entry("logistic.symmetry", ("Bishop (4.60)", f"{BISHOP}, eq. (4.60)"), "σ(−t) = 1 − σ(t)",
          1 / (1 + sp.exp(t)), 1 - sigma),
    entry("logistic.derivative", ("Bishop (4.88)", f"{BISHOP}, eq. (4.88)"), "σ'(t) = σ(t)(1 − σ(t))",
          sp.Derivative(sigma, t), sigma * (1 - sigma), proof=(Step(sigma * (1 - sigma), ScalarDerivative()),)),
    entry("mean.am_gm", MEANS, "√(xy) ≤ (x + y)/2 for x, y > 0", sp.sqrt(x * y), (x + y) / 2, relation="<=",
          proof=_bound((x + y) / 2, "the arithmetic and geometric means")),
    entry("mean.young", MEANS, "st ≤ (s² + t²)/2", s * t, (s**2 + t**2) / 2, relation="<=",
          proof=_bound((s**2 + t**2) / 2, "a square is nonnegative")),
    entry("mean.square_of_sum", MEANS, "(s + t)² ≤ 2s² + 2t²", (s + t)**2, 2 * s**2 + 2 * t**2, relation="<=",
          proof=_bound(2 * s**2 + 2 * t**2, "a square is nonnegative")),
)
