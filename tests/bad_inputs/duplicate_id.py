# A user result reusing a paper id.
import sympy as sp
from iclkd import Algebra, Claim, Result, Step

x = sp.Symbol("x")
RESULTS = [Result("R1", "Bad", "dup", claims=(Claim("", x, x, proof=(Step(x, Algebra()),)),))]
