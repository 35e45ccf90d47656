"""A Gaussian-expectation lemma proved with the standard library (the README's example):
for ω ~ N(0, I), E e^{ωᵀ(a+b)} = e^{‖a‖²/2} e^{aᵀb} e^{‖b‖²/2} (the moment generating
function at a + b, then algebra; Papoulis & Pillai, Sec. 5-5)."""
import sympy as sp

from iclkd import Algebra, Claim, GaussianExpectation, Result, Step, Use, inner, sqnorm

d = sp.Symbol("d", integer=True, positive=True)
w = sp.MatrixSymbol("omega", d, 1)
a, b = sp.MatrixSymbol("a", d, 1), sp.MatrixSymbol("b", d, 1)

RESULTS = [Result(
    "G1", "Lemma 2", "The moment generating function at a sum",
    claims=(Claim("", GaussianExpectation(sp.exp(inner(w, a + b)), w),
                  sp.exp(sqnorm(a) / 2) * sp.exp(inner(a, b)) * sp.exp(sqnorm(b) / 2), proof=(
        Step(sp.exp(sqnorm(a + b) / 2), Use("gauss.mgf", omega=w, a=a + b)),
        Step(sp.exp(sqnorm(a) / 2) * sp.exp(inner(a, b)) * sp.exp(sqnorm(b) / 2), Algebra("expanding the square")),
    )),),
    sizes={d: (1, 2, 3)},
)]
