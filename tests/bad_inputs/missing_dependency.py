# A result depending on a result that does not exist.
import sympy as sp
from iclkd import Algebra, Claim, Result, Step

x = sp.Symbol("x")
RESULTS = [Result("B3", "Bad", "missing", claims=(Claim("", x, x, proof=(Step(x, Algebra()),)),),
                  depends_on=("R404",))]
