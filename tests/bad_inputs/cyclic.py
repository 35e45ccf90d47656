# Two results depending on each other.
import sympy as sp
from iclkd import Algebra, Claim, Result, Step

x = sp.Symbol("x")
C = (Claim("", x, x, proof=(Step(x, Algebra()),)),)
RESULTS = [Result("B4", "Bad", "cycle one", claims=C, depends_on=("B5",)),
           Result("B5", "Bad", "cycle two", claims=C, depends_on=("B4",))]
