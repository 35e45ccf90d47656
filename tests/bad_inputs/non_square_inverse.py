# An inverse of a non-square matrix.
import sympy as sp
from iclkd import Algebra, Claim, Result, Step

A = sp.MatrixSymbol("A", 2, 3)
RESULTS = [Result("B2", "Bad", "inverse", claims=(Claim("", sp.Inverse(A), sp.Inverse(A), proof=()),))]
