import sympy as sp
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.numeric_checks.report import CheckOutcome

x = sp.Symbol("x", real=True)
TRUE_CLAIM = Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))


def says_failed(result, rng, trials):
    return CheckOutcome("says failed", "failed", detail="x was wrong")

RESULTS = [Result("E7", "Lemma", "custom status", claims=(TRUE_CLAIM,), numeric_checks=(NumericCheck("says failed", says_failed),))]
