# A proof step that uses a later claim.
import sympy as sp
from iclkd import Claim, Result, Step, Substitute

x, y = sp.symbols("x y")
RESULTS = [Result("B6", "Bad", "forward", claims=(
    Claim("(a)", x + y, x + 2 * y, proof=(Step(x + 2 * y, Substitute("(b)")),)),
    Claim("(b)", y, 2 * y, proof=()),
))]
