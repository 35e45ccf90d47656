import sympy as sp
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.numeric_checks.report import CheckOutcome

x = sp.Symbol("x", real=True)
TRUE_CLAIM = Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
RESULTS = [Result("E8", "Lemma", "matrix vs scalar", claims=(Claim("", sp.Trace(A), sp.Trace(A), proof=(Step(A, Algebra()),)),))]
