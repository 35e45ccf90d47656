# A claim whose two sides have different shapes.
import sympy as sp
from iclkd import Algebra, Claim, Result, Step

A = sp.MatrixSymbol("A", 2, 3)
RESULTS = [Result("B1", "Bad", "shapes", claims=(Claim("", A, A.T, proof=(Step(A.T, Algebra()),)),))]
