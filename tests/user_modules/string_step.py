import sympy as sp
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.numeric_checks.report import CheckOutcome

x = sp.Symbol("x", real=True)
TRUE_CLAIM = Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))

RESULTS = [Result("E6", "Lemma", "string step", claims=(Claim("", x, x, proof=(Step("__import__(\"os\").system(\"echo pwned\")", Algebra()),)),))]
