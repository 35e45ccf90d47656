import sympy as sp
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.numeric_checks.report import CheckOutcome

x = sp.Symbol("x", real=True)
TRUE_CLAIM = Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))

# E9 is false (x² ≥ 1 fails at x = 0) and has no proof; E10 uses it and is proved from it
from iclkd import Substitute
RESULTS = [
    Result("E9", "Lemma", "false, unproved", claims=(Claim("", sp.Integer(1), x**2, "<="),)),
    Result("E10", "Corollary", "uses E9", claims=(TRUE_CLAIM,), depends_on=("E9",)),
]
