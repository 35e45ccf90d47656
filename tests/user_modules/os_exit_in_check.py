import sympy as sp
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.numeric_checks.report import CheckOutcome

x = sp.Symbol("x", real=True)
TRUE_CLAIM = Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))

import os

def leave(result, rng, trials):
    os._exit(0)

RESULTS = [Result("E4", "Lemma", "check exits hard", claims=(TRUE_CLAIM,), numeric_checks=(NumericCheck("leave", leave),))]
