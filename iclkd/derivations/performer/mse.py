"""Mean squared errors of the three estimators (P4) and where positive features win (P5).

Each estimator is unbiased (P1–P3), so its MSE is its variance; with ``m`` i.i.d. draws it is the
variance of one draw over ``m`` (Bienaymé), so each left side reads ``Var_ω(F)/m``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd import (Algebra, Assumption, Bound, Claim, GaussianCharacteristic, NumericCheck, Result, Step,
                   Substitute, inner, sqnorm)
from iclkd.numeric import claim_side, mean_test

from . import monte_carlo as mc
from .notation import (D_SQ, HYPERBOLIC_DRAW, NORMS, POSITIVE_DRAW, S_SQ, SEED_INSTANCE, SM, TRIG_DRAW, d, m,
                       variance, x, y)
from .unbiased import KERNEL_SIZES, REFERENCE, SMALL_VECTORS

MSE_POSITIVE = variance(POSITIVE_DRAW) / m
MSE_TRIG = variance(TRIG_DRAW) / m
MSE_HYPERBOLIC = variance(HYPERBOLIC_DRAW) / m
POSITIVE_CLOSED = sp.exp(S_SQ) * SM**2 * (1 - sp.exp(-S_SQ)) / m
TRIG_CLOSED = sp.exp(S_SQ) * SM**-2 * (1 - sp.exp(-D_SQ))**2 / (2 * m)
MSE_SIZES = {d: (1, 2), m: (1, 2, 3)}


def second_moment_check(parts: dict):
    """z-tests of ``E F²`` (``= m·MSE + (E F)²``, the claim's right side read at a random ``m``)
    on ``SAMPLES`` draws, scale from the known fourth moment. ``parts`` maps a claim name to the
    estimator it is about."""
    def run(result, rng, trials):
        tests = []
        for _ in range(trials):
            for claim, kind in parts.items():
                x_, y_ = mc.light_tailed_pair(rng)
                draws_m = int(rng.integers(1, 9))
                env = {x: x_[:, None], y: y_[:, None], d: len(x_), m: draws_m}
                mse = float(claim_side(result, claim, env).val)
                claimed = draws_m * mse + mc.moment(kind, 1, x_, y_) ** 2
                var = mc.moment(kind, 4, x_, y_) - mc.moment(kind, 2, x_, y_) ** 2
                samples = mc.draws(kind, rng, x_, y_, mc.SAMPLES) ** 2
                tests.append((mean_test(samples, claimed, var), mc.instance(x_, y_, claim=claim, m=draws_m)))
        return mc.z_outcome("monte-carlo second moments", tests,
                            "z-tests of E F² = m·MSE + (E F)² at the known fourth moment")
    return run


P4 = Result(
    id="P4", label="Mean squared errors", title="The mean squared errors of the three estimators",
    claims=(
        Claim("(a)", MSE_POSITIVE, POSITIVE_CLOSED, proof=(
            Step(sp.exp(2 * inner(x, y)) * (sp.exp(S_SQ) - 1) / m, Substitute("R2(a)", SEED_INSTANCE)),
            Step(POSITIVE_CLOSED, Algebra()),
        ), text="MSE(SM⁺_m) = (1/m) exp(‖s‖²) SM² (1 − exp(−‖s‖²)): R2's variance over m"),
        Claim("(b)", MSE_TRIG, TRIG_CLOSED, proof=(
            Step(sp.exp(NORMS) * ((1 + sp.exp(-2 * D_SQ)) / 2 - sp.exp(-D_SQ)) / m, GaussianCharacteristic()),
            Step(sp.exp(NORMS) * (1 - sp.exp(-D_SQ))**2 / (2 * m), Algebra()),
            Step(TRIG_CLOSED, Algebra("exp(‖s‖²) SM⁻² = exp(‖x‖² + ‖y‖²)")),
        ), text="MSE(SM^trig_m) = (1/(2m)) exp(‖s‖²) SM⁻² (1 − exp(−‖Δ‖²))²"),
        Claim("(c)", MSE_HYPERBOLIC, (1 - sp.exp(-S_SQ)) / 2 * MSE_POSITIVE, proof=(
            Step(sp.exp(-NORMS) * ((1 + sp.exp(2 * S_SQ)) / 2 - sp.exp(S_SQ)) / m, GaussianCharacteristic()),
            Step((1 - sp.exp(-S_SQ)) / 2 * POSITIVE_CLOSED, Algebra()),
            Step((1 - sp.exp(-S_SQ)) / 2 * MSE_POSITIVE, Substitute("(a)")),
        ), text="MSE(SM^hyp_m) = ½ (1 − exp(−‖s‖²)) MSE(SM⁺_m)"),
    ),
    depends_on=("R2",), sizes=MSE_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo second moments",
                                 second_moment_check({"(a)": "positive", "(b)": "trig", "(c)": "hyperbolic"}),
                                 "E F² against m·MSE + (E F)², z-tests at the known fourth moment"),),
    references=(f"{REFERENCE}, the MSE of the positive and trigonometric estimators",),
)

AT_OPPOSITE = {y: -x}


def at_opposite(expr):
    return expr.xreplace(AT_OPPOSITE)


TRIG_OPPOSITE = sp.exp(2 * sqnorm(x)) * (1 - sp.exp(-4 * sqnorm(x)))**2 / (2 * m)
RATIO = (1 - sp.exp(-D_SQ))**2 / (2 * SM**4 * (1 - sp.exp(-S_SQ)))

P5 = Result(
    id="P5", label="Where positive features win", title="At y = −x positive features are exact, trigonometric ones are not",
    claims=(
        Claim("(a)", at_opposite(POSITIVE_DRAW), sp.exp(-sqnorm(x)), proof=(
            Step(sp.exp(-sqnorm(x)), Algebra()),
        ), text="each product φ_ω(x)φ_ω(−x) = exp(−‖x‖²) is constant"),
        Claim("(b)", at_opposite(MSE_POSITIVE), sp.Integer(0), proof=(
            Step(at_opposite(POSITIVE_CLOSED), Substitute("P4(a)", AT_OPPOSITE)),
            Step(sp.Integer(0), Algebra()),
        ), text="MSE(SM⁺_m) = 0 at y = −x"),
        Claim("(c)", at_opposite(MSE_TRIG), TRIG_OPPOSITE, proof=(
            Step(at_opposite(TRIG_CLOSED), Substitute("P4(b)", AT_OPPOSITE)),
            Step(TRIG_OPPOSITE, Algebra()),
        ), text="MSE(SM^trig_m) = (1/(2m)) exp(2‖x‖²) (1 − exp(−4‖x‖²))² at y = −x"),
        Claim("(d)", at_opposite(MSE_TRIG) / sp.exp(-2 * sqnorm(x)),
              sp.exp(4 * sqnorm(x)) * (1 - sp.exp(-4 * sqnorm(x)))**2 / (2 * m), proof=(
            Step(TRIG_OPPOSITE / sp.exp(-2 * sqnorm(x)), Substitute("(c)")),
            Step(sp.exp(4 * sqnorm(x)) * (1 - sp.exp(-4 * sqnorm(x)))**2 / (2 * m), Algebra()),
        ), text="the relative error MSE/SM² of the trigonometric estimator at y = −x"),
        Claim("(e)", at_opposite(MSE_POSITIVE), at_opposite(MSE_TRIG), relation="<=", proof=(
            Step(sp.Integer(0), Substitute("(b)")),
            Step(TRIG_OPPOSITE, Bound("a square times positive factors"), relation="<="),
            Step(at_opposite(MSE_TRIG), Substitute("(c)")),
        ), text="at y = −x the positive estimator's MSE is at most the trigonometric one's"),
        Claim("(f)", MSE_TRIG / MSE_POSITIVE, RATIO, proof=(
            Step(TRIG_CLOSED / POSITIVE_CLOSED, GaussianCharacteristic()),
            Step(RATIO, Algebra()),
        ), given=(Assumption(S_SQ > 0, "x + y ≠ 0"),),
            text="MSE(SM^trig_m)/MSE(SM⁺_m) = (1 − exp(−‖Δ‖²))² / (2 SM⁴ (1 − exp(−‖s‖²))) for x + y ≠ 0"),
    ),
    depends_on=("P4",), sizes=MSE_SIZES, samplers=SMALL_VECTORS,
    notes="(e) is not strict as stated: for x ≠ 0 the right side is positive (a nonzero square times "
          "positive factors), which the engine's positivity prover cannot show from x ≠ 0; the numbers see it.",
    references=(f"{REFERENCE}, the comparison of positive and trigonometric features",),
)


RESULTS = (P4, P5)
