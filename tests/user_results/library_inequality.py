"""An inequality with assumptions proved with the standard library (the README's example):
for x, y > 0, log x − log y ≤ x/y − 1 (log of a quotient, then log t ≤ t − 1 at t = x/y;
Abramowitz & Stegun 4.1)."""
import sympy as sp

from iclkd import Claim, Result, Step, Use

x, y = sp.symbols("x y", positive=True)

RESULTS = [Result(
    "I1", "Lemma 3", "The log-ratio bound",
    claims=(Claim("", sp.log(x) - sp.log(y), x / y - 1, relation="<=", proof=(
        Step(sp.log(x / y), Use("log.quotient", x=x, y=y, reverse=True)),
        Step(x / y - 1, Use("log.tangent_bound", x=x / y), relation="<="),
    )),),
)]
