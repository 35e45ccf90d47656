"""Scalar algebra, sums and inequalities, as a user of iclkd would state them.

Sources: G. H. Hardy, J. E. Littlewood and G. Pólya, *Inequalities* (2nd ed. 1952), Ch. 2
(the arithmetic and geometric means, Bernoulli's inequality); J. M. Steele, *The Cauchy–Schwarz
Master Class* (2004), Ch. 1; R. L. Graham, D. E. Knuth and O. Patashnik, *Concrete
Mathematics* (2nd ed. 1994), Ch. 2 (Σ i = n(n+1)/2, Σ i² = n(n+½)(n+1)/3); the convexity of
exp; the definitions of |x| and log. Each note gives the reason in one line. Several claims hold only on part of the real line and are stated as if they held
everywhere (false); their true versions carry the hypotheses. ``EXPECTED`` comes from the
mathematics, not from iclkd.
"""
import sympy as sp

from iclkd import Algebra, Assumption, Bound, Cited, Claim, Result, ScalarDerivative, Step

a, b, x = sp.symbols("a b x", real=True)
t = sp.Symbol("t", positive=True)
p, q = sp.symbols("p q", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
dim = sp.Symbol("d", integer=True, positive=True)
u, v = sp.MatrixSymbol("u", dim, 1), sp.MatrixSymbol("v", dim, 1)
tr = sp.Trace

HLP = "Hardy, Littlewood & Pólya, Inequalities (1952), Ch. 2"
STEELE = "Steele, The Cauchy–Schwarz Master Class (2004), Ch. 1"
CONCRETE = "Graham, Knuth & Patashnik, Concrete Mathematics (1994), Ch. 2"

SUM_I = sp.Sum(i, (i, 1, n))
SUM_I2 = sp.Sum(i**2, (i, 1, n))
CAUCHY_SCHWARZ = Cited("Cauchy–Schwarz inequality", STEELE)
TANGENT_LINE = Cited("exp is convex, so it lies above its tangent 1 + x at 0", "convexity of exp")
SQUARES = Bound("(a − b)² ≥ 0")


def _algebra(rhs, hint=""):
    return (Step(rhs, Algebra(hint)),)


RESULTS = [
    # --- AM–GM and friends ------------------------------------------------------------------
    Result("SF1", "AM–GM", "Twice a product is at most the sum of squares",
           claims=(Claim("", 2 * a * b, a**2 + b**2, relation="<=",
                         proof=(Step(a**2 + b**2, SQUARES, relation="<="),)),),
           references=(HLP,), notes="True: a² + b² − 2ab = (a − b)²."),
    Result("SF1_4", "AM–GM, factor 2", "Four times a product is at most the sum of squares",
           claims=(Claim("", 4 * a * b, a**2 + b**2, relation="<=",
                         proof=(Step(a**2 + b**2, SQUARES, relation="<="),)),),
           references=(HLP,), notes="False: a = b = 1 gives 4 ≤ 2."),
    Result("SF2", "square of a sum", "The square of a sum is at most twice the sum of squares",
           claims=(Claim("", (a + b)**2, 2 * a**2 + 2 * b**2, relation="<=",
                         proof=(Step(2 * a**2 + 2 * b**2, SQUARES, relation="<="),)),),
           references=(HLP,), notes="True: 2a² + 2b² − (a + b)² = (a − b)²."),
    Result("SF2_1", "square of a sum, factor 2 lost", "The square of a sum is at most the sum of squares",
           claims=(Claim("", (a + b)**2, a**2 + b**2, relation="<=",
                         proof=(Step(a**2 + b**2, SQUARES, relation="<="),)),),
           references=(HLP,), notes="False whenever ab > 0."),
    Result("SF3", "Cauchy–Schwarz", "Cauchy–Schwarz inequality for vectors",
           claims=(Claim("", tr(u.T * v)**2, tr(u.T * u) * tr(v.T * v), relation="<=",
                         proof=(Step(tr(u.T * u) * tr(v.T * v), CAUCHY_SCHWARZ, relation="<="),)),),
           references=(STEELE,)),
    Result("SF3_half", "Cauchy–Schwarz, factor ½", "Cauchy–Schwarz with a spurious factor ½",
           claims=(Claim("", tr(u.T * v)**2, tr(u.T * u) * tr(v.T * v) / 2, relation="<=",
                         proof=(Step(tr(u.T * u) * tr(v.T * v) / 2, CAUCHY_SCHWARZ, relation="<="),)),),
           references=(STEELE,), notes="False: u = v ≠ 0 gives ‖u‖⁴ ≤ ‖u‖⁴/2 (and every u, v when d = 1)."),

    # --- the exponential ----------------------------------------------------------------------
    Result("SF4", "tangent line of exp", "exp(x) ≥ 1 + x",
           claims=(Claim("", 1 + x, sp.exp(x), relation="<=", proof=(Step(sp.exp(x), TANGENT_LINE, relation="<="),)),),
           notes="True: exp is convex (exp'' > 0), so it lies above its tangent 1 + x at 0."),
    Result("SF4_2x", "tangent line of exp, slope 2", "exp(x) ≥ 1 + 2x",
           claims=(Claim("", 1 + 2 * x, sp.exp(x), relation="<=", proof=(Step(sp.exp(x), TANGENT_LINE, relation="<="),)),),
           notes="False on (0, 1.2564): x = 1/2 gives 2 > e^{1/2} ≈ 1.6487."),
    Result("SF4_quad", "quadratic upper bound of exp", "exp(x) ≤ 1 + x + x² for all x",
           claims=(Claim("", sp.exp(x), 1 + x + x**2, relation="<="),),
           notes="False only for x > 1.7933 (x = 2: e² ≈ 7.389 > 7); true on (−∞, 1.79]. No proof."),

    # --- sums over integers -------------------------------------------------------------------
    Result("SF5", "Gauss sum", "Sum of the first n integers",
           claims=(Claim("", SUM_I, n * (n + 1) / 2, proof=_algebra(n * (n + 1) / 2)),),
           references=(CONCRETE,)),
    Result("SF5_sq", "Gauss sum, lower-order term lost", "Sum of the first n integers as n²/2",
           claims=(Claim("", SUM_I, n**2 / 2, proof=_algebra(n**2 / 2)),),
           references=(CONCRETE,), notes="False: differs by n/2 > 0."),
    Result("SF5_minus", "Gauss sum, off by one", "Sum of the first n integers as n(n−1)/2",
           claims=(Claim("", SUM_I, n * (n - 1) / 2, proof=_algebra(n * (n - 1) / 2)),),
           references=(CONCRETE,), notes="False: differs by n (that is Σ_{i<n} i)."),
    Result("SF6", "sum of squares", "Sum of the first n squares",
           claims=(Claim("", SUM_I2, n * (n + 1) * (2 * n + 1) / 6, proof=_algebra(n * (n + 1) * (2 * n + 1) / 6)),),
           references=(CONCRETE,)),
    Result("SF6_n1", "sum of squares, wrong closed form", "Sum of the first n squares as n²(n+1)/2",
           claims=(Claim("", SUM_I2, n**2 * (n + 1) / 2, proof=_algebra(n**2 * (n + 1) / 2)),),
           references=(CONCRETE,), notes="False for n ≥ 2 (n = 2: 5 ≠ 6); true at n = 1."),
    Result("SF16", "Bernoulli", "Bernoulli's inequality",
           claims=(Claim("", 1 + n * x, (1 + x)**n, relation="<="),),
           assumptions=(Assumption(x >= -1, "x ≥ −1"),),
           references=(HLP,), notes="True for integer n ≥ 1 and x ≥ −1. No proof."),
    Result("SF16_real", "Bernoulli, hypothesis lost", "Bernoulli's inequality for every real x",
           claims=(Claim("", 1 + n * x, (1 + x)**n, relation="<="),),
           references=(HLP,), notes="False: n = 3, x = −4 gives −11 ≤ −27. No proof."),

    # --- absolute values on part of the line --------------------------------------------------
    Result("SF10", "absolute value, positive x", "|x − 3| = 3 − x for x > 0",
           claims=(Claim("", sp.Abs(t - 3), 3 - t, proof=_algebra(3 - t)),),
           notes="False: holds only for 0 < x ≤ 3 (x = 4 gives 1 ≠ −1)."),
    Result("SF10_T", "absolute value, 0 < x ≤ 3", "|x − 3| = 3 − x for 0 < x ≤ 3",
           claims=(Claim("", sp.Abs(t - 3), 3 - t, proof=_algebra(3 - t)),),
           assumptions=(Assumption(t <= 3, "x ≤ 3"),),
           notes="True: x − 3 ≤ 0 there."),
    Result("SF11", "two absolute values", "|x − 5| + |x + 5| = 10 for every real x",
           claims=(Claim("", sp.Abs(x - 5) + sp.Abs(x + 5), sp.Integer(10), proof=_algebra(sp.Integer(10))),),
           notes="False outside [−5, 5] (x = 6 gives 12)."),
    Result("SF11_T", "two absolute values, |x| ≤ 5", "|x − 5| + |x + 5| = 10 on [−5, 5]",
           claims=(Claim("", sp.Abs(x - 5) + sp.Abs(x + 5), sp.Integer(10), proof=_algebra(sp.Integer(10))),),
           assumptions=(Assumption(x >= -5, "x ≥ −5"), Assumption(x <= 5, "x ≤ 5")),
           notes="True: (5 − x) + (x + 5) = 10 there."),

    # --- logarithms, derivatives, ratios ------------------------------------------------------
    Result("SF13", "logarithm of a product", "log(pq) = log p + log q for p, q > 0",
           claims=(Claim("", sp.log(p * q), sp.log(p) + sp.log(q), proof=_algebra(sp.log(p) + sp.log(q))),),
           notes="True: log is a homomorphism from (R₊, ·) to (R, +)."),
    Result("SF13_sum", "logarithm of a sum", "log(p + q) = log p + log q",
           claims=(Claim("", sp.log(p + q), sp.log(p) + sp.log(q), proof=_algebra(sp.log(p) + sp.log(q))),),
           notes="False: p = q = 1 gives log 2 ≠ 0 (it holds only where p + q = pq)."),
    Result("SF15", "chain rule", "Derivative of exp(x²)",
           claims=(Claim("", sp.Derivative(sp.exp(x**2), x), 2 * x * sp.exp(x**2),
                         proof=(Step(2 * x * sp.exp(x**2), ScalarDerivative()),)),),
           notes="True: (exp∘g)' = g'·exp∘g with g = x²."),
    Result("SF15_half", "chain rule, factor 2 lost", "Derivative of exp(x²) as x·exp(x²)",
           claims=(Claim("", sp.Derivative(sp.exp(x**2), x), x * sp.exp(x**2),
                         proof=(Step(x * sp.exp(x**2), ScalarDerivative()),)),),
           notes="False for x ≠ 0: the derivative is 2x·exp(x²)."),
    Result("SF17", "ratio below one", "p/(1 + p) < 1 for p > 0",
           claims=(Claim("", p / (1 + p), sp.Integer(1), relation="<",
                         proof=(Step(sp.Integer(1), Bound("1 − p/(1+p) = 1/(1+p) > 0", strict=True), relation="<"),)),),
           notes="True: 1 − p/(1 + p) = 1/(1 + p) > 0."),
    Result("SF17_half", "ratio below one half", "p/(1 + p) < 1/2 for p > 0",
           claims=(Claim("", p / (1 + p), sp.Rational(1, 2), relation="<",
                         proof=(Step(sp.Rational(1, 2), Bound("1/2 − p/(1+p) > 0", strict=True), relation="<"),)),),
           notes="False for p ≥ 1 (p = 2 gives 2/3)."),
]

EXPECTED = {
    "SF1": True, "SF1_4": False, "SF2": True, "SF2_1": False, "SF3": True, "SF3_half": False,
    "SF4": True, "SF4_2x": False, "SF4_quad": False,
    "SF5": True, "SF5_sq": False, "SF5_minus": False, "SF6": True, "SF6_n1": False,
    "SF16": True, "SF16_real": False,
    "SF10": False, "SF10_T": True, "SF11": False, "SF11_T": True,
    "SF13": True, "SF13_sum": False, "SF15": True, "SF15_half": False,
    "SF17": True, "SF17_half": False,
}
