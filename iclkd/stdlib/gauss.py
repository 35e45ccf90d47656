"""Expectations over a standard Gaussian vector ``ω ~ N(0, I)``: the moment generating and
characteristic functions, random-feature identities, and moments of quadratic forms. The
numeric layer integrates them by quadrature, so the sizes stay at most 3."""
from __future__ import annotations

import sympy as sp

from ..numeric_checks.instances import uniform
from ..symbolic.objects import GaussianExpectation, inner, sqnorm
from ..symbolic.result import Step
from ..symbolic.rules import GaussianMGF
from ..symbolic.rules_probability import GaussianCharacteristic
from .entry import COOKBOOK, PAPOULIS, cited, entry, n

w = sp.MatrixSymbol("omega", n, 1)
a, b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
A = sp.MatrixSymbol("A", n, n)
c, t = sp.symbols("c t", real=True)
E = GaussianExpectation
SIZES = {n: (1, 2, 3)}
MGF = ("Papoulis & Pillai 5-5", f"{PAPOULIS}, Sec. 5-5 (moment generating and characteristic functions), "
                                "with independent coordinates")
RAHIMI = ("Rahimi & Recht 2007", "Rahimi & Recht, Random Features for Large-Scale Kernel Machines, NIPS 2007, Sec. 3")
CHOROMANSKI = ("Choromanski et al. 2021, Lemma 1",
               "Choromanski et al., Rethinking Attention with Performers, ICLR 2021, Lemma 1")
QUADRATIC = ("Matrix Cookbook 8.2", f"{COOKBOOK}, Sec. 8.2 (expectations of linear and quadratic forms)")


def gaussian(name, source, title, lhs, rhs, rule):
    """An entry ``E_ω[...] = rhs`` proved by ``rule``, at sizes up to 3 (``t`` kept moderate: the
    quadrature of ``e^{tωᵀa}`` loses its accuracy for large ``t``)."""
    return entry(name, source, title, lhs, rhs, proof=(Step(rhs, rule),), sizes=SIZES, samplers={t: uniform(-1.5, 1.5)})


def _quadratic_cited(lhs, rhs):
    return cited(lhs, rhs, "the mean of a quadratic form, E xᵀAx = tr(AΣ) + mᵀAm", QUADRATIC[1])


ENTRIES = (
    gaussian("gauss.mgf", MGF, "E e^{ωᵀa} = e^{‖a‖²/2}", E(sp.exp(inner(w, a)), w), sp.exp(sqnorm(a) / 2),
             GaussianMGF()),
    gaussian("gauss.mgf_shifted", MGF, "E e^{ωᵀa + c} = e^{‖a‖²/2 + c}", E(sp.exp(inner(w, a) + c), w),
             sp.exp(sqnorm(a) / 2 + c), GaussianMGF()),
    gaussian("gauss.mgf_scaled", MGF, "E e^{tωᵀa} = e^{t²‖a‖²/2}", E(sp.exp(t * inner(w, a)), w),
             sp.exp(t**2 * sqnorm(a) / 2), GaussianMGF()),
    gaussian("gauss.mgf_product", MGF, "E e^{ωᵀa} e^{ωᵀb} = e^{‖a + b‖²/2}",
             E(sp.exp(inner(w, a)) * sp.exp(inner(w, b)), w), sp.exp(sqnorm(a + b) / 2), GaussianMGF()),
    gaussian("gauss.positive_features", CHOROMANSKI, "E e^{ωᵀa − ‖a‖²/2} e^{ωᵀb − ‖b‖²/2} = e^{aᵀb}",
             E(sp.exp(inner(w, a) - sqnorm(a) / 2) * sp.exp(inner(w, b) - sqnorm(b) / 2), w),
             sp.exp(inner(a, b)), GaussianMGF()),
    gaussian("gauss.characteristic", MGF, "E cos(ωᵀa) = e^{−‖a‖²/2}", E(sp.cos(inner(w, a)), w),
             sp.exp(-sqnorm(a) / 2), GaussianCharacteristic()),
    gaussian("gauss.characteristic_shifted", MGF, "E cos(ωᵀa + c) = e^{−‖a‖²/2} cos c", E(sp.cos(inner(w, a) + c), w),
             sp.exp(-sqnorm(a) / 2) * sp.cos(c), GaussianCharacteristic()),
    gaussian("gauss.sine_mean", MGF, "E sin(ωᵀa + c) = e^{−‖a‖²/2} sin c", E(sp.sin(inner(w, a) + c), w),
             sp.exp(-sqnorm(a) / 2) * sp.sin(c), GaussianCharacteristic()),
    gaussian("gauss.cosh", MGF, "E cosh(ωᵀa) = e^{‖a‖²/2}", E(sp.cosh(inner(w, a)), w), sp.exp(sqnorm(a) / 2),
             GaussianCharacteristic()),
    gaussian("gauss.sinh", MGF, "E sinh(ωᵀa) = 0", E(sp.sinh(inner(w, a)), w), sp.Integer(0),
             GaussianCharacteristic()),
    gaussian("gauss.random_fourier_features", RAHIMI, "E cos(ωᵀa) cos(ωᵀb) = (e^{−‖a−b‖²/2} + e^{−‖a+b‖²/2})/2",
             E(sp.cos(inner(w, a)) * sp.cos(inner(w, b)), w),
             (sp.exp(-sqnorm(a - b) / 2) + sp.exp(-sqnorm(a + b) / 2)) / 2, GaussianCharacteristic()),
    entry("gauss.quadratic_form", QUADRATIC, "E ωᵀAω = tr A", E(sp.Trace(w.T * A * w), w), sp.Trace(A),
          proof=_quadratic_cited(E(sp.Trace(w.T * A * w), w), sp.Trace(A)), sizes=SIZES),
    entry("gauss.linear_second_moment", QUADRATIC, "E (ωᵀa)² = ‖a‖²", E(inner(w, a)**2, w), sqnorm(a),
          proof=_quadratic_cited(E(inner(w, a)**2, w), sqnorm(a)), sizes=SIZES),
)
