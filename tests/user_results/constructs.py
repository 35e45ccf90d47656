"""Results an author of another paper writes with the constructs beyond products and sums,
each true one from a reference and a false variant next to it. ``EXPECTED`` is what the
checker must say: ``verified`` for a true identity it can prove (or cite with numbers that
resolve it), ``refuted`` for a false one, ``unproved`` where agreement at random points is
all the evidence there is (a non-rational function, a quadrature).

References: Petersen & Pedersen, The Matrix Cookbook (Nov 2012), eqs. (18), (19), (24), (318),
(321), (520); Magnus & Neudecker, Matrix Differential Calculus (3rd ed.), Thm 2.2;
Abramowitz & Stegun 7.1.2 (erfc = 1 − erf), 4.3.6 (tan = sin/cos).
"""
import sympy as sp

from iclkd import (Algebra, Assumption, Cited, Claim, Gradient, Integrate, MatrixDerivative, NormalMoments, Result,
                   Rewrite, Step, Substitute, Vec, expectation)

n, m, k = sp.symbols("n m k", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True)
x, y = sp.symbols("x y", real=True)
A, B = sp.MatrixSymbol("A", n, m), sp.MatrixSymbol("B", m, n)
S, T, U = (sp.MatrixSymbol(c, n, n) for c in "STU")
det, K = sp.Determinant, sp.KroneckerProduct
z = sp.MatrixSymbol("z", 3, 1)
mu, Sigma, Q = sp.MatrixSymbol("mu", 3, 1), sp.MatrixSymbol("Sigma", 3, 3), sp.MatrixSymbol("Q", 3, 3)
positive_definite = Assumption(sp.Q.positive_definite(Sigma), name="positive definite covariance")


def E(body):
    return expectation(body, z, mu, Sigma)


def one_step(rid, title, lhs, rhs, rule=None, assumptions=()):
    """A claim ``lhs = rhs`` proved in one step by ``rule`` (default: algebra)."""
    return Result(rid, f"Lemma {rid}", title, assumptions=assumptions,
                  claims=(Claim("", lhs, rhs, proof=(Step(rhs, rule or Algebra()),)),))


CASES = [
    # determinants and log-determinants
    ("det.product", "det of a product (Cookbook 18)", det(S * T), det(S) * det(T), None, (), "verified"),
    ("det.sum.false", "det is not additive", det(S + T), det(S) + det(T), None, (), "refuted"),
    ("det.sylvester", "Sylvester's identity (Cookbook 24)", det(sp.Identity(n) + A * B),
     det(sp.Identity(m) + B * A), None, (), "verified"),
    ("det.scale.false", "det(2S) = 2 det S only at n = 1", det(2 * S), 2 * det(S), None, (), "refuted"),
    ("det.inverse", "det of the inverse (Cookbook 19)", det(sp.Inverse(S)), 1 / det(S), None, (), "verified"),
    ("logdet.sylvester", "log-det agrees (evidence only)", sp.log(det(sp.Identity(n) + S.T * S)),
     sp.log(det(sp.Identity(n) + S * S.T)), None, (), "unproved"),
    ("logdet.false", "log-det doubled", sp.log(det(sp.Identity(n) + S.T * S)),
     2 * sp.log(det(sp.Identity(n) + S.T * S)), None, (), "refuted"),
    # trigonometric, hyperbolic, erf, Max/Min, Abs, Piecewise
    ("tan.ratio", "tan = sin / cos (A&S 4.3.6)", sp.tan(x) * sp.cos(x), sp.sin(x), None, (), "verified"),
    ("tan.false", "tan is not sin", sp.tan(x), sp.sin(x), None, (), "refuted"),
    ("hyperbolic.tanh_sigmoid", "tanh through the logistic function", sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1,
     None, (), "unproved"),
    ("hyperbolic.tanh_sigmoid.rewritten", "tanh through exp", sp.tanh(x), 2 / (1 + sp.exp(-2 * x)) - 1,
     Rewrite(sp.exp), (), "verified"),
    ("hyperbolic.cosh_sinh", "cosh² − sinh² = 1", sp.cosh(x) ** 2 - sp.sinh(x) ** 2, sp.Integer(1),
     Rewrite(sp.exp), (), "verified"),
    ("hyperbolic.softplus", "softplus(x) − softplus(−x) = x", sp.log(1 + sp.exp(x)) - sp.log(1 + sp.exp(-x)), x,
     None, (), "verified"),
    ("hyperbolic.sigmoid", "σ(x) + σ(−x) = 1 for the logistic σ", 1 / (1 + sp.exp(-x)) + 1 / (1 + sp.exp(x)),
     sp.Integer(1), None, (), "verified"),
    ("tan.pythagoras", "sin² + cos² = 1", sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), None, (), "verified"),
    ("hyperbolic.cosh.false", "cosh² + sinh² is not 1", sp.cosh(x) ** 2 + sp.sinh(x) ** 2, sp.Integer(1),
     Rewrite(sp.exp), (), "refuted"),
    ("hyperbolic.softplus.false", "softplus is not ReLU", sp.log(1 + sp.exp(x)), sp.Max(x, 0), None, (), "refuted"),
    ("erfc.complement", "erf + erfc = 1 (A&S 7.1.2)", sp.erf(x) + sp.erfc(x), sp.Integer(1), None, (), "unproved"),
    ("erfc.complement.rewritten", "erfc through erf (A&S 7.1.2)", sp.erf(x) + sp.erfc(x), sp.Integer(1),
     Rewrite(sp.erf), (), "verified"),
    ("erfc.false", "erf + erfc is not 2", sp.erf(x) + sp.erfc(x), sp.Integer(2), None, (), "refuted"),
    ("max.min.sum", "max + min = sum", sp.Max(x, y) + sp.Min(x, y), x + y, None, (), "unproved"),
    ("max.min.sum.cases", "max + min = sum, by cases", sp.Max(x, y) + sp.Min(x, y), x + y,
     Rewrite(sp.Piecewise), (), "verified"),
    ("max.abs.cases", "max − min = |x − y|, by cases", sp.Max(x, y) - sp.Min(x, y), sp.Abs(x - y),
     Rewrite(sp.Piecewise), (), "verified"),
    ("max.min.false", "max − min is not the difference", sp.Max(x, y) - sp.Min(x, y), x - y, None, (), "refuted"),
    ("max.abs.false", "|x − y| is not x − y", sp.Abs(x - y), x - y, None, (), "refuted"),
    ("piecewise.relu", "ReLU as a Piecewise", sp.Piecewise((x, x > 0), (0, True)), sp.Max(x, 0), None, (),
     "unproved"),
    ("piecewise.relu.cases", "ReLU as a Piecewise, by cases", sp.Piecewise((x, x > 0), (0, True)), sp.Max(x, 0),
     Rewrite(sp.Piecewise), (), "verified"),
    ("piecewise.false", "a Piecewise with its branches swapped", sp.Piecewise((0, x > 0), (x, True)),
     sp.Max(x, 0), None, (), "refuted"),
    # integrals, limits, sums
    ("integral.square", "∫₀¹ x² dx = 1/3", sp.Integral(x ** 2, (x, 0, 1)), sp.Rational(1, 3), None, (), "unproved"),
    ("integral.gauss", "∫₀¹ e^{−x²} dx = √π erf(1)/2", sp.Integral(sp.exp(-x ** 2), (x, 0, 1)),
     sp.sqrt(sp.pi) * sp.erf(1) / 2, None, (), "unproved"),
    ("integral.square.ftc", "∫₀¹ x² dx = 1/3 by the fundamental theorem", sp.Integral(x ** 2, (x, 0, 1)),
     sp.Rational(1, 3), Integrate(), (), "verified"),
    ("integral.gauss.ftc", "∫₀¹ e^{−x²} dx = √π erf(1)/2 by the fundamental theorem",
     sp.Integral(sp.exp(-x ** 2), (x, 0, 1)), sp.sqrt(sp.pi) * sp.erf(1) / 2, Integrate(), (), "verified"),
    # a naive antiderivative of 1/x² says −2; the integral diverges: not proved, not evaluable
    ("integral.singular.false", "∫_{−1}^{1} x^{−2} dx is not −2", sp.Integral(x ** -2, (x, -1, 1)),
     sp.Integer(-2), Integrate(), (), "error"),
    ("integral.false", "∫₀¹ e^{−x²} dx is not 3/4", sp.Integral(sp.exp(-x ** 2), (x, 0, 1)), sp.Rational(3, 4),
     None, (), "refuted"),
    ("limit.sinc", "sin x / x → 1", sp.Limit(sp.sin(x) / x, x, 0), sp.Integer(1), None, (), "verified"),
    ("limit.false", "(1 + 1/x)^x does not tend to 3", sp.Limit((1 + 1 / x) ** x, x, sp.oo), sp.Integer(3),
     None, (), "refuted"),
    ("sum.squares", "Σ i² = k(k+1)(2k+1)/6", sp.Sum(i ** 2, (i, 1, k)), k * (k + 1) * (2 * k + 1) / 6,
     None, (), "verified"),
    ("sum.squares.false", "Σ i² with /5", sp.Sum(i ** 2, (i, 1, k)), k * (k + 1) * (2 * k + 1) / 5,
     None, (), "refuted"),
    ("sum.double", "Σ_i Σ_j ij = (k(k+1)/2)²", sp.Sum(i * j, (i, 1, k), (j, 1, k)), (k * (k + 1) / 2) ** 2,
     None, (), "verified"),
    ("sum.double.false", "a double sum that is not a square", sp.Sum(i * j, (i, 1, k), (j, 1, k)),
     k ** 2 * (k + 1) ** 2 / 2, None, (), "refuted"),
    # matrix powers with an integer exponent, vec and Kronecker
    ("matpow.transpose", "(Sᵏ)ᵀ = (Sᵀ)ᵏ", (S ** k).T, (S.T) ** k, None, (), "verified"),
    ("matpow.false", "S^{k+1} is not S^k + S", S ** (k + 1), S ** k + S, None, (), "refuted"),
    ("vec.product", "vec(A X B) = (Bᵀ ⊗ A) vec X (Magnus & Neudecker Thm 2.2)", Vec(S * T * U),
     K(U.T, S) * Vec(T), None, (), "verified"),
    ("vec.false", "without the transpose", Vec(S * T * U), K(U, S) * Vec(T), None, (), "refuted"),
    # Jacobi's formula and the derivatives of log det and of an inverse (Cookbook 49, 57, 63)
    ("grad.det_jacobi", "∇ det X = det(X) X^{−T} (Cookbook 49)", Gradient(det(S), S),
     det(S) * sp.Inverse(S).T, MatrixDerivative(), (), "verified"),
    ("grad.det_jacobi.false", "without the transpose", Gradient(det(S), S), det(S) * sp.Inverse(S),
     MatrixDerivative(), (), "refuted"),
    ("grad.logdet", "∇ log det X = X^{−T} (Cookbook 57)", Gradient(sp.log(det(S)), S), sp.Inverse(S).T,
     MatrixDerivative(), (Assumption(sp.Q.positive_definite(S), name="S positive definite"),), "verified"),
    ("grad.inverse", "∇ tr(T X^{−1}) = −(X^{−1} T X^{−1})ᵀ (Cookbook 63)", Gradient(sp.Trace(T * sp.Inverse(S)), S),
     -(sp.Inverse(S) * T * sp.Inverse(S)).T, MatrixDerivative(), (), "verified"),
    ("grad.inverse.false", "with the wrong sign", Gradient(sp.Trace(T * sp.Inverse(S)), S),
     (sp.Inverse(S) * T * sp.Inverse(S)).T, MatrixDerivative(), (), "refuted"),
    # normal expectations with a mean and a covariance
    ("gauss.second_moment", "E zzᵀ = Σ + μμᵀ (Cookbook 321)", E(z * z.T), Sigma + mu * mu.T,
     Cited("second moment of a normal vector", "Matrix Cookbook (321)"), (positive_definite,), "verified"),
    ("gauss.second_moment.false", "without the mean", E(z * z.T), Sigma,
     Cited("second moment of a normal vector", "Matrix Cookbook (321)"), (positive_definite,), "refuted"),
    ("gauss.quadratic_form", "E zᵀQz = tr(QΣ) + μᵀQμ (Cookbook 318)", E((z.T * Q * z)[0, 0]),
     sp.Trace(Q * Sigma) + (mu.T * Q * mu)[0, 0], Cited("mean of a quadratic form", "Matrix Cookbook (318)"),
     (positive_definite,), "verified"),
    ("gauss.standard_mean", "E z = 0 for z ~ N(0, I)", expectation(z, z, sp.ZeroMatrix(3, 1), sp.Identity(3)),
     sp.ZeroMatrix(3, 1), NormalMoments(), (), "verified"),
    ("gauss.standard_second_moment", "E zzᵀ = I for z ~ N(0, I)",
     expectation(z * z.T, z, sp.ZeroMatrix(3, 1), sp.Identity(3)), sp.Identity(3), NormalMoments(), (), "verified"),
    ("gauss.standard_second_moment.false", "E zzᵀ is not 2I",
     expectation(z * z.T, z, sp.ZeroMatrix(3, 1), sp.Identity(3)), 2 * sp.Identity(3), NormalMoments(), (),
     "refuted"),
    ("gauss.mean.moments", "E z = μ from the moments", E(z), mu, NormalMoments(), (positive_definite,), "verified"),
    ("gauss.second_moment.moments", "E zzᵀ = Σ + μμᵀ from the moments", E(z * z.T), Sigma + mu * mu.T,
     NormalMoments(), (positive_definite,), "verified"),
    ("gauss.quadratic_form.moments", "E zᵀQz = tr(QΣ) + μᵀQμ from the moments", E((z.T * Q * z)[0, 0]),
     sp.Trace(Q * Sigma) + (mu.T * Q * mu)[0, 0], NormalMoments(), (positive_definite,), "verified"),
    ("gauss.fourth_moment.moments", "E z₁⁴ = μ₁⁴ + 6μ₁²Σ₁₁ + 3Σ₁₁² (Isserlis)", E(z[0, 0] ** 4),
     mu[0, 0] ** 4 + 6 * mu[0, 0] ** 2 * Sigma[0, 0] + 3 * Sigma[0, 0] ** 2, NormalMoments(), (positive_definite,),
     "verified"),
    ("gauss.fourth_moment.false", "E z₁⁴ with 2Σ₁₁² (the chi-square variance, not the fourth moment)",
     E(z[0, 0] ** 4), mu[0, 0] ** 4 + 6 * mu[0, 0] ** 2 * Sigma[0, 0] + 2 * Sigma[0, 0] ** 2, NormalMoments(),
     (positive_definite,), "refuted"),
    ("gauss.quadratic_form.false", "without μᵀQμ", E((z.T * Q * z)[0, 0]), sp.Trace(Q * Sigma),
     Cited("mean of a quadratic form", "Matrix Cookbook (318)"), (positive_definite,), "refuted"),
]

# log det through Sylvester's identity: claim (b) rewrites with claim (a)
LOGDET = Result("logdet.sylvester.proved", "Lemma logdet", "log-det of I + SᵀS and of I + SSᵀ", claims=(
    Claim("(a)", det(sp.Identity(n) + S.T * S), det(sp.Identity(n) + S * S.T),
          proof=(Step(det(sp.Identity(n) + S * S.T), Algebra("Sylvester's determinant identity")),)),
    Claim("(b)", sp.log(det(sp.Identity(n) + S.T * S)), sp.log(det(sp.Identity(n) + S * S.T)),
          proof=(Step(sp.log(det(sp.Identity(n) + S * S.T)), Substitute("(a)")),)),
))

RESULTS = [one_step(rid, title, lhs, rhs, rule, assumptions) for rid, title, lhs, rhs, rule, assumptions, _ in CASES]
RESULTS.append(LOGDET)
EXPECTED = {rid: expected for rid, *_, expected in CASES}
EXPECTED[LOGDET.id] = "verified"
