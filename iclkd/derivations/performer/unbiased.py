"""Unbiasedness of the three random-feature estimators of the softmax kernel (P1–P3)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd import (Algebra, Claim, GaussianCharacteristic, NumericCheck, Result, Step, Substitute,
                   inner, sqnorm)
from iclkd.numeric import claim_side, gaussian, mean_test

from . import monte_carlo as mc
from .notation import (D_SQ, E, HYPERBOLIC_DRAW, NORMS, POSITIVE_DRAW, S_SQ, SEED_INSTANCE, SM, TRIG_DRAW, d,
                       omega, x, y)

REFERENCE = "Choromanski et al., ICLR 2021"
KERNEL_SIZES = {d: (1, 2)}
SMALL_VECTORS = {x: gaussian(0.3), y: gaussian(0.3)}


def unbiasedness_check(kind: str, claim: str = ""):
    """A z-test of the mean of ``SAMPLES`` draws against the claim's right side, scale from the
    known variance ``E F² − (E F)²``."""
    def run(result, rng, trials):
        tests = []
        for _ in range(trials):
            x_, y_ = mc.light_tailed_pair(rng)
            claimed = float(claim_side(result, claim, {x: x_[:, None], y: y_[:, None], d: len(x_)}).val)
            var = mc.moment(kind, 2, x_, y_) - mc.moment(kind, 1, x_, y_) ** 2
            tests.append((mean_test(mc.draws(kind, rng, x_, y_, mc.SAMPLES), claimed, var), mc.instance(x_, y_)))
        return mc.z_outcome(f"monte-carlo mean ({kind})", tests, "z-test of the mean at the known variance")
    return run


P1 = Result(
    id="P1", label="Positive random features", title="Positive random features are unbiased",
    claims=(Claim("", E(POSITIVE_DRAW), SM, proof=(
        Step(SM, Substitute("R1", SEED_INSTANCE)),
    ), text="SM(x, y) = E_ω[exp(ωᵀx − ‖x‖²/2) exp(ωᵀy − ‖y‖²/2)]"),),
    depends_on=("R1",), sizes=KERNEL_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo mean (positive)", unbiasedness_check("positive"),
                                 "mean of 40000 draws, z-test at the known variance"),),
    notes="The same statement as R1 of the seed paper, used here by substitution.",
    references=(f"{REFERENCE}, positive random features",),
)

P2 = Result(
    id="P2", label="Hyperbolic positive features", title="Hyperbolic positive random features are unbiased",
    claims=(Claim("", E(HYPERBOLIC_DRAW), SM, proof=(
        Step(sp.exp(-NORMS / 2) * sp.exp(S_SQ / 2), GaussianCharacteristic()),
        Step(SM, Algebra("‖x+y‖²/2 − (‖x‖²+‖y‖²)/2 = xᵀy")),
    ), text="SM(x, y) = E_ω[exp(−(‖x‖²+‖y‖²)/2) cosh(ωᵀ(x+y))]"),),
    sizes=KERNEL_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo mean (hyperbolic)", unbiasedness_check("hyperbolic"),
                                 "mean of 40000 draws, z-test at the known variance"),),
    notes="Features φ(u) = exp(−‖u‖²/2) (exp(ω_iᵀu), exp(−ω_iᵀu)) / √(2m) for i = 1, …, m: φ(x)ᵀφ(y) "
          "is the average over the m draws of the integrand, since (exp(a) exp(b) + exp(−a) exp(−b))/2 = "
          "cosh(a + b). E cosh(ωᵀs) = exp(‖s‖²/2) is the Gaussian MGF at ±s (the rule's hyperbolic case).",
    references=(f"{REFERENCE}, hyperbolic positive random features",),
)

PAIRING = sp.sin(inner(omega, x)) * sp.sin(inner(omega, y)) + sp.cos(inner(omega, x)) * sp.cos(inner(omega, y))

P3 = Result(
    id="P3", label="Trigonometric features", title="Trigonometric random features are unbiased",
    claims=(
        Claim("(a)", PAIRING, sp.cos(inner(omega, x - y)), proof=(
            Step(sp.cos(inner(omega, x - y)), Algebra("sin a sin b + cos a cos b = cos(a − b)")),
        ), text="the features (sin ωᵀu, cos ωᵀu) pair to cos(ωᵀ(x − y))"),
        Claim("(b)", sp.exp(NORMS / 2) * E(sp.cos(inner(omega, x - y))), SM, proof=(
            Step(sp.exp(NORMS / 2) * sp.exp(-D_SQ / 2), GaussianCharacteristic()),
            Step(SM, Algebra("(‖x‖²+‖y‖²)/2 − ‖x−y‖²/2 = xᵀy")),
        ), text="SM(x, y) = exp((‖x‖²+‖y‖²)/2) E_ω[cos(ωᵀ(x − y))]"),
    ),
    sizes=KERNEL_SIZES, samplers=SMALL_VECTORS,
    numeric_checks=(NumericCheck("monte-carlo mean (trig)", unbiasedness_check("trig", "(b)"),
                                 "mean of 40000 draws, z-test at the known variance"),),
    notes="Features φ(u) = exp(‖u‖²/2) (sin ω_iᵀu, cos ω_iᵀu) / √m for i = 1, …, m: by (a), φ(x)ᵀφ(y) = "
          "exp((‖x‖²+‖y‖²)/2) (1/m) ∑ cos(ω_iᵀ(x − y)).",
    references=(f"{REFERENCE}, trigonometric random features",),
)

# The trigonometric estimator's draw, as the monte-carlo module computes it, is TRIG_DRAW.
assert TRIG_DRAW == sp.exp(NORMS / 2) * sp.cos(inner(omega, x - y))

RESULTS = (P1, P2, P3)
