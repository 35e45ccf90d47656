"""Facts that hold on a stated domain: signs of scalars, hypotheses such as r < 0, and
matrices that are positive definite, symmetric or diagonal. Each true result is followed
by the same statement with the hypothesis lost or widened (false).

How hypotheses are stated: scalar signs as SymPy assumptions (``negative=True``) or as
relational ``Assumption``s (``x < 0``); matrix classes as ``Assumption(sp.Q.…(M), …)``;
"x ≠ 0" for a vector as ``Assumption(x, "x ≠ 0", kind="nonzero")``.
Sources: R. A. Horn and C. R. Johnson, *Matrix Analysis* (2nd ed. 2013), Sec. 7.1
(positive definite matrices: xᵀAx > 0 for x ≠ 0, tr A > 0) and Sec. 0.9.1 (diagonal
matrices commute); the definitions of |x|, √ and exp; the geometric series.
``EXPECTED`` comes from the mathematics, not from iclkd.
"""
import sympy as sp

from iclkd import Algebra, Assumption, Cited, Claim, Result, Step, Substitute

x, r = sp.symbols("x r", real=True)
s = sp.Symbol("s", positive=True)
w = sp.Symbol("w", negative=True)
n = sp.Symbol("n", integer=True, positive=True)
i = sp.Symbol("i", integer=True, nonnegative=True)
d = sp.Symbol("d", integer=True, positive=True)

A = sp.MatrixSymbol("A", d, d)
D1, D2 = sp.MatrixSymbol("D_1", d, d), sp.MatrixSymbol("D_2", d, d)
z = sp.MatrixSymbol("z", d, 1)
tr = sp.Trace

HJ_PD = "Horn & Johnson, Matrix Analysis (2013), Sec. 7.1"
NEGATIVE_X = Assumption(x < 0, "x < 0")
NEGATIVE_R = Assumption(r < 0, "r < 0")
ABS_NEGATIVE = Assumption(sp.Eq(sp.Abs(x), -x), "|x| = −x", kind="equation")
PD = Assumption(sp.Q.positive_definite(A), "A positive definite")
SYM = Assumption(sp.Q.symmetric(A), "A symmetric")
Z_NONZERO = Assumption(z, "z ≠ 0", kind="nonzero")
DIAGONALS_COMMUTE = Cited("diagonal matrices commute", "Horn & Johnson, Matrix Analysis (2013), Sec. 0.9.1")
GEOMETRIC = sp.Sum(r**i, (i, 0, n - 1))

RESULTS = [
    # --- signs of scalars ---------------------------------------------------------------------
    Result("DOM1", "sign of a negative number", "x/|x| = −1 for x < 0",
           claims=(Claim("", x / sp.Abs(x), sp.Integer(-1), proof=(Step(sp.Integer(-1), Substitute("|x| = −x")),)),),
           assumptions=(NEGATIVE_X, ABS_NEGATIVE), notes="True: |x| = −x for x < 0."),
    Result("DOM1_pos", "sign of a negative number, sign lost", "x/|x| = 1 for x < 0",
           claims=(Claim("", x / sp.Abs(x), sp.Integer(1), proof=(Step(sp.Integer(1), Substitute("|x| = −x")),)),),
           assumptions=(NEGATIVE_X, ABS_NEGATIVE), notes="False: it is −1."),
    Result("DOM2", "absolute value of a nonnegative number", "|x| = x for x ≥ 0",
           claims=(Claim("", sp.Abs(x), x),), assumptions=(Assumption(x >= 0, "x ≥ 0"),),
           notes="True by definition. No proof."),
    Result("DOM2_real", "absolute value, hypothesis lost", "|x| = x for every real x",
           claims=(Claim("", sp.Abs(x), x),), notes="False for x < 0. No proof."),
    Result("DOM3", "square root of a square, positive", "√(s²) = s for s > 0",
           claims=(Claim("", sp.sqrt(s**2), s, proof=(Step(s, Algebra()),)),),
           notes="True (SymPy itself simplifies √(s²) to s for a positive symbol)."),
    Result("DOM3_real", "square root of a square, hypothesis lost", "√(x²) = x for every real x",
           claims=(Claim("", sp.sqrt(x**2), x, proof=(Step(x, Algebra()),)),),
           notes="False for x < 0: √(x²) = |x|."),
    Result("DOM8", "exp of a negative number", "exp(w) < 1 for w < 0 (a negative symbol)",
           claims=(Claim("", sp.exp(w), sp.Integer(1), relation="<"),),
           notes="True: exp is increasing and exp(0) = 1. No proof."),
    Result("DOM8_real", "exp below one, hypothesis lost", "exp(x) < 1 for every real x",
           claims=(Claim("", sp.exp(x), sp.Integer(1), relation="<"),), notes="False for x ≥ 0. No proof."),
    Result("DOM6", "a ratio below one", "1/(1 − r) < 1 for r < 0",
           claims=(Claim("", 1 / (1 - r), sp.Integer(1), relation="<"),), assumptions=(NEGATIVE_R,),
           notes="True: 1 − r > 1 for r < 0. No proof."),
    Result("DOM6_wide", "a ratio below one, hypothesis widened", "1/(1 − r) < 1 for r < 1",
           claims=(Claim("", 1 / (1 - r), sp.Integer(1), relation="<"),), assumptions=(Assumption(r < 1, "r < 1"),),
           notes="False for 0 ≤ r < 1 (r = 1/2 gives 2). No proof."),
    Result("DOM5", "geometric series", "Σ_{i<n} rⁱ = (1 − rⁿ)/(1 − r) for r < 0",
           claims=(Claim("", GEOMETRIC, (1 - r**n) / (1 - r)),), assumptions=(NEGATIVE_R,),
           notes="True for every r ≠ 1 (r < 0 keeps away from 1). No proof."),
    Result("DOM5_off", "geometric series, off by one", "Σ_{i<n} rⁱ = (1 − r^{n+1})/(1 − r) for r < 0",
           claims=(Claim("", GEOMETRIC, (1 - r**(n + 1)) / (1 - r)),), assumptions=(NEGATIVE_R,),
           notes="False: that is Σ_{i≤n} rⁱ, larger by rⁿ ≠ 0. No proof."),

    # --- matrix classes ------------------------------------------------------------------------
    Result("DOM4", "positive definite", "zᵀAz > 0 for A positive definite and z ≠ 0",
           claims=(Claim("", sp.Integer(0), tr(z.T * A * z), relation="<"),), assumptions=(PD, Z_NONZERO),
           references=(HJ_PD,), notes="True by definition. No proof."),
    Result("DOM4_gen", "positive definite, hypothesis lost", "zᵀAz > 0 for every A and z ≠ 0",
           claims=(Claim("", sp.Integer(0), tr(z.T * A * z), relation="<"),), assumptions=(Z_NONZERO,),
           references=(HJ_PD,), notes="False: A = −I. No proof."),
    Result("DOM4_sym", "positive definite, only symmetric", "zᵀAz > 0 for A symmetric and z ≠ 0",
           claims=(Claim("", sp.Integer(0), tr(z.T * A * z), relation="<"),), assumptions=(SYM, Z_NONZERO),
           references=(HJ_PD,), notes="False: a symmetric matrix can be indefinite (A = −I). No proof."),
    Result("DOM9", "trace of a positive definite matrix", "tr A > 0 for A positive definite",
           claims=(Claim("", sp.Integer(0), tr(A), relation="<"),), assumptions=(PD,),
           references=(HJ_PD,), notes="True: tr A = Σ eᵢᵀAeᵢ > 0. No proof."),
    Result("DOM9_sym", "trace of a symmetric matrix", "tr A > 0 for A symmetric",
           claims=(Claim("", sp.Integer(0), tr(A), relation="<"),), assumptions=(SYM,),
           references=(HJ_PD,), notes="False: A = −I. No proof."),
    Result("DOM7", "diagonal matrices commute", "D₁D₂ = D₂D₁ for diagonal D₁, D₂",
           claims=(Claim("", D1 * D2, D2 * D1, proof=(Step(D2 * D1, DIAGONALS_COMMUTE),)),),
           assumptions=(Assumption(sp.Q.diagonal(D1), "D₁ diagonal"), Assumption(sp.Q.diagonal(D2), "D₂ diagonal")),
           references=("Horn & Johnson, Matrix Analysis (2013), Sec. 0.9.1",),
           notes="True: both are diagonal with entries d₁ᵢd₂ᵢ."),
    Result("DOM7_gen", "diagonal matrices commute, hypothesis lost", "D₁D₂ = D₂D₁ for every D₁, D₂",
           claims=(Claim("", D1 * D2, D2 * D1, proof=(Step(D2 * D1, DIAGONALS_COMMUTE),)),),
           notes="False for d ≥ 2 (the cited fact needs its hypothesis)."),
]

EXPECTED = {
    "DOM1": True, "DOM1_pos": False, "DOM2": True, "DOM2_real": False, "DOM3": True, "DOM3_real": False,
    "DOM8": True, "DOM8_real": False, "DOM6": True, "DOM6_wide": False, "DOM5": True, "DOM5_off": False,
    "DOM4": True, "DOM4_gen": False, "DOM4_sym": False, "DOM9": True, "DOM9_sym": False,
    "DOM7": True, "DOM7_gen": False,
}
