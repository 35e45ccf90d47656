"""A matrix-calculus lemma proved with the standard library (the README's example): the
gradient of the Gaussian log-likelihood in the precision matrix, log det X − tr(SX)."""
import sympy as sp

from iclkd import Assumption, Claim, Gradient, GradientLinearity, Result, Step, Use

n = sp.Symbol("n", integer=True, positive=True)
X, S = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("S", n, n)
loglik = sp.log(sp.Determinant(X)) - sp.Trace(S * X)

RESULTS = [Result(
    "L1", "Lemma 1", "The gradient of the log-likelihood in the precision matrix",
    claims=(Claim("", Gradient(loglik, X), sp.Inverse(X).T - S.T, proof=(
        Step(Gradient(sp.log(sp.Determinant(X)), X) - Gradient(sp.Trace(S * X), X), GradientLinearity()),
        Step(sp.Inverse(X).T - Gradient(sp.Trace(S * X), X), Use("det.log_grad", X=X)),
        Step(sp.Inverse(X).T - S.T, Use("grad.trace_XA", X=X, A=S)),
    )),),
    assumptions=(Assumption(sp.Q.positive_definite(X), "X is positive definite"),),
)]
