# A proof step that uses another result without listing it in depends_on.
import sympy as sp
from iclkd import Claim, Result, Step, Substitute
from iclkd.derivations.brewing.notation import W, W_0, Delta_W

RESULTS = [Result("B7", "Bad", "undeclared", claims=(
    Claim("", W, W_0 + Delta_W, proof=(Step(W_0 + Delta_W, Substitute("R5")),)),))]
