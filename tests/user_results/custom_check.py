"""A custom numeric check written only with iclkd's public API (the README's example).

Cauchy–Schwarz, (aᵀb)² ≤ ‖a‖²‖b‖², checked exactly on random rational vectors.
"""
import sympy as sp

from iclkd import Cited, Claim, NumericCheck, Result, Step, inner, sqnorm
from iclkd.numeric import PASSED, REFUTED, CheckOutcome, claim_sides, object_array, random_rational, readable

n = sp.Symbol("n", integer=True, positive=True)
a = sp.MatrixSymbol("a", n, 1)
b = sp.MatrixSymbol("b", n, 1)
FACTOR = 1  # the constant in front of the right side; the negative test sets it below 1


def exact_vectors(result, rng, trials):
    """(aᵀb)² ≤ c‖a‖²‖b‖² exactly, at sizes 1 to 6, with b a multiple of a every third time."""
    for t in range(trials):
        size = 1 + t % 6
        a_ = object_array((size, 1), lambda: random_rational(rng))
        b_ = a_ * random_rational(rng) if t % 3 == 0 else object_array((size, 1), lambda: random_rational(rng))
        lhs, rhs = claim_sides(result, "", {a: a_, b: b_, n: size}, exact=True)
        if not lhs.val <= rhs.val:
            return CheckOutcome("exact vectors", REFUTED, t + 1,
                                counterexample={"a": readable(a_), "b": readable(b_)})
    return CheckOutcome("exact vectors", PASSED, trials)


def cauchy_schwarz(factor):
    return Result(
        id="C1", label="Lemma 1", title="Cauchy–Schwarz",
        claims=(Claim("", inner(a, b) ** 2, factor * sqnorm(a) * sqnorm(b), relation="<=",
                      proof=(Step(factor * sqnorm(a) * sqnorm(b), Cited("Cauchy–Schwarz inequality"),
                                  relation="<="),)),),
        numeric_checks=(NumericCheck("exact vectors", exact_vectors, "exactly, on rational vectors"),),
    )


RESULTS = [cauchy_schwarz(sp.Integer(FACTOR))]
