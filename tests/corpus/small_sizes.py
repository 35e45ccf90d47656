"""Identities that hold only at small sizes, or only where a value underflows, stated as if
they held in general (false), next to their true, size-specific versions.

Sources: the Cayley–Hamilton theorem with the characteristic coefficients written by Newton's
identities (R. A. Horn and C. R. Johnson, *Matrix Analysis*, 2nd ed. 2013, Sec. 2.4; e₂ = (p₁² − p₂)/2,
e₃ = (p₁³ − 3p₁p₂ + 2p₃)/6 with pₖ = tr(Xᵏ)); the Amitsur–Levitzki theorem (S. A. Amitsur and J. Levitzki, Proc. AMS 1 (1950)
449–463: the standard polynomial s_{2k} vanishes on k×k matrices, and s_4 does not vanish on
3×3 ones); K. B. Petersen and M. S. Pedersen, *The Matrix Cookbook* (2012), eq. (507) for
A⊗B ≠ B⊗A. A polynomial in n with roots 1, …, 4 is zero at every size a checker drawing
n ≤ 4 would try. ``EXPECTED`` comes from the mathematics, not from iclkd.
"""
from itertools import permutations

import sympy as sp
from sympy.combinatorics import Permutation

from iclkd import Algebra, Cited, Claim, Definition, Result, Step

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
i = sp.Symbol("i", integer=True, positive=True)
a = sp.MatrixSymbol("a", n, 1)
X = sp.MatrixSymbol("X", n, n)
X2 = sp.MatrixSymbol("X", 2, 2)
X3 = sp.MatrixSymbol("X", 3, 3)
A = sp.MatrixSymbol("A", n, n)
B = sp.MatrixSymbol("B", n, n)
D = sp.MatrixSymbol("D", m, m)
e2, e3 = sp.symbols("e_2 e_3", real=True)
tr = sp.Trace

HORN_JOHNSON = "Horn & Johnson, Matrix Analysis (2013), Sec. 2.4 (Cayley–Hamilton)"
AMITSUR_LEVITZKI = "Amitsur & Levitzki, Proc. Amer. Math. Soc. 1 (1950) 449–463"
CAYLEY_HAMILTON = Cited("Cayley–Hamilton theorem", HORN_JOHNSON)

VANISH4 = (n - 1) * (n - 2) * (n - 3) * (n - 4)
SQNORM = tr(a.T * a)


def _algebra(rhs, hint=""):
    return (Step(rhs, Algebra(hint)),)


def _coefficients(M):
    """e₂ and e₃ of ``M``'s characteristic polynomial, by Newton's identities."""
    p1, p2, p3 = tr(M), tr(M**2), tr(M**3)
    return (Definition(e2, (p1**2 - p2) / 2, "e₂ = (tr(X)² − tr(X²))/2"),
            Definition(e3, (p1**3 - 3 * p1 * p2 + 2 * p3) / 6, "e₃ = (tr(X)³ − 3tr(X)tr(X²) + 2tr(X³))/6"))


def _cayley_hamilton_3(M):
    return M**3 - tr(M) * M**2 + e2 * M - e3 * sp.Identity(M.rows)


def _cayley_hamilton_2(M):
    return M**2 - tr(M) * M + (tr(M)**2 - tr(M**2)) / 2 * sp.Identity(M.rows)


def _standard_polynomial(*mats):
    """s_k(M₁, …, M_k) = Σ_σ sgn(σ) M_σ(1) ⋯ M_σ(k)."""
    return sp.MatAdd(*[Permutation(list(p)).signature() * sp.MatMul(*[mats[j] for j in p])
                       for p in permutations(range(len(mats)))])


S4_2 = [sp.MatrixSymbol(s, 2, 2) for s in "PQRS"]
S4_n = [sp.MatrixSymbol(s, n, n) for s in "PQRS"]
AL = Cited("Amitsur–Levitzki theorem", AMITSUR_LEVITZKI)

UNDERFLOW = sp.exp(-10**4 * tr(X.T * X))

RESULTS = [
    # --- polynomials in n with roots 1..4 -----------------------------------------------------
    Result("SS1", "vanishes for n ≤ 4", "(n−1)(n−2)(n−3)(n−4)‖a‖² = 0 for a ∈ R^n",
           claims=(Claim("", VANISH4 * SQNORM, sp.Integer(0), proof=_algebra(sp.Integer(0))),),
           notes="False: at n = 5 it is 24‖a‖², nonzero for a ≠ 0."),
    Result("SS1_poly", "quartic in n", "(n−1)(n−2)(n−3)(n−4)‖a‖² multiplied out",
           claims=(Claim("", VANISH4 * SQNORM, (n**4 - 10 * n**3 + 35 * n**2 - 50 * n + 24) * SQNORM,
                         proof=_algebra((n**4 - 10 * n**3 + 35 * n**2 - 50 * n + 24) * SQNORM)),),
           notes="True: the product expanded."),
    Result("SS7", "vanishes for n ≤ 5", "(n−1)⋯(n−5) tr(X) = 0 for X ∈ R^{n×n}",
           claims=(Claim("", VANISH4 * (n - 5) * tr(X), sp.Integer(0), proof=_algebra(sp.Integer(0))),),
           notes="False: at n = 6 it is 120 tr(X)."),
    Result("SS11", "matrix-valued, vanishes for n ≤ 4", "(n−1)(n−2)(n−3)(n−4)X = 0",
           claims=(Claim("", VANISH4 * X, sp.ZeroMatrix(n, n), proof=_algebra(sp.ZeroMatrix(n, n))),),
           notes="False: at n = 5 it is 24X."),
    Result("SS6", "Gauss sum plus a term vanishing for n ≤ 4", "Σ i = n(n+1)/2 + (n−1)(n−2)(n−3)(n−4)/24",
           claims=(Claim("", sp.Sum(i, (i, 1, n)), n * (n + 1) / 2 + VANISH4 / 24,
                         proof=_algebra(n * (n + 1) / 2 + VANISH4 / 24)),),
           notes="False: the extra term is 1 at n = 5."),

    # --- Cayley–Hamilton ----------------------------------------------------------------------
    Result("SS2", "3×3 Cayley–Hamilton for every n", "X³ − tr(X)X² + e₂X − e₃I = 0 for X ∈ R^{n×n}",
           claims=(Claim("", _cayley_hamilton_3(X), sp.ZeroMatrix(n, n),
                         proof=(Step(sp.ZeroMatrix(n, n), CAYLEY_HAMILTON),)),),
           definitions=_coefficients(X), references=(HORN_JOHNSON,),
           notes="False: holds for n ≤ 3 (for n ≤ 2 by e₃ = 0 and the n×n theorem) and first fails at n = 4."),
    Result("SS2_n3", "3×3 Cayley–Hamilton", "X³ − tr(X)X² + e₂X − e₃I = 0 for X ∈ R^{3×3}",
           claims=(Claim("", _cayley_hamilton_3(X3), sp.ZeroMatrix(3, 3),
                         proof=(Step(sp.ZeroMatrix(3, 3), CAYLEY_HAMILTON),)),),
           definitions=_coefficients(X3), references=(HORN_JOHNSON,)),
    Result("SS3", "2×2 Cayley–Hamilton for every n", "X² − tr(X)X + ½(tr(X)² − tr(X²))I = 0 for X ∈ R^{n×n}",
           claims=(Claim("", _cayley_hamilton_2(X), sp.ZeroMatrix(n, n), proof=_algebra(sp.ZeroMatrix(n, n))),),
           references=(HORN_JOHNSON,), notes="False: holds for n ≤ 2, fails at n = 3."),
    Result("SS3_n2", "2×2 Cayley–Hamilton", "X² − tr(X)X + ½(tr(X)² − tr(X²))I = 0 for X ∈ R^{2×2}",
           claims=(Claim("", _cayley_hamilton_2(X2), sp.ZeroMatrix(2, 2), proof=_algebra(sp.ZeroMatrix(2, 2))),),
           references=(HORN_JOHNSON,)),
    Result("SS4", "e₃ = 0 for every n", "tr(X)³ − 3tr(X)tr(X²) + 2tr(X³) = 0",
           claims=(Claim("", tr(X)**3 - 3 * tr(X) * tr(X**2) + 2 * tr(X**3), sp.Integer(0),
                         proof=_algebra(sp.Integer(0))),),
           references=(HORN_JOHNSON,),
           notes="False: the left side is 6e₃(X), zero for n ≤ 2 (at most two eigenvalues), not for n ≥ 3."),
    Result("SS5", "power sums of a scalar", "tr(X²) = tr(X)²",
           claims=(Claim("", tr(X**2), tr(X)**2, proof=_algebra(tr(X)**2)),),
           notes="False for n ≥ 2 (true at n = 1)."),
    Result("SS12_2", "Amitsur–Levitzki, 2×2", "The standard polynomial s₄ vanishes on 2×2 matrices",
           claims=(Claim("", _standard_polynomial(*S4_2), sp.ZeroMatrix(2, 2),
                         proof=(Step(sp.ZeroMatrix(2, 2), AL),)),),
           references=(AMITSUR_LEVITZKI,)),
    Result("SS12", "Amitsur–Levitzki for every n", "The standard polynomial s₄ vanishes on n×n matrices",
           claims=(Claim("", _standard_polynomial(*S4_n), sp.ZeroMatrix(n, n),
                         proof=(Step(sp.ZeroMatrix(n, n), AL),)),),
           references=(AMITSUR_LEVITZKI,),
           notes="False: s₄ vanishes for n ≤ 2 only (s_{2k} is the least-degree identity of k×k matrices)."),

    # --- commutation, true at size 1 ----------------------------------------------------------
    Result("SS8", "Cookbook (507)", "The Kronecker product commutes",
           claims=(Claim("", sp.KroneckerProduct(A, D), sp.KroneckerProduct(D, A),
                         proof=_algebra(sp.KroneckerProduct(D, A))),),
           references=("Petersen & Pedersen, The Matrix Cookbook (2012), eq. (507)",),
           notes="False when n, m ≥ 2 (true if either is 1)."),
    Result("SS9", "matrices commute", "AB = BA",
           claims=(Claim("", A * B, B * A, proof=_algebra(B * A)),), notes="False for n ≥ 2."),

    # --- underflow -----------------------------------------------------------------------------
    Result("SS10", "an underflowing factor", "exp(−10⁴‖X‖²)·tr(X) = 2·exp(−10⁴‖X‖²)·tr(X)",
           claims=(Claim("", UNDERFLOW * tr(X), 2 * UNDERFLOW * tr(X), proof=_algebra(2 * UNDERFLOW * tr(X))),),
           notes="False: exp never vanishes, so the sides differ wherever tr(X) ≠ 0 (in float64 both "
                 "underflow to 0 once ‖X‖² > 0.075)."),
    Result("SS10_np", "an underflowing factor, no proof", "exp(−10⁴‖X‖²)·tr(X) = 2·exp(−10⁴‖X‖²)·tr(X), unproved",
           claims=(Claim("", UNDERFLOW * tr(X), 2 * UNDERFLOW * tr(X)),),
           notes="False, as SS10; stated without proof."),
    Result("SS10_T", "an underflowing factor, true", "exp(−10⁴‖X‖²)·tr(X + Xᵀ) = 2·exp(−10⁴‖X‖²)·tr(X)",
           claims=(Claim("", UNDERFLOW * tr(X + X.T), 2 * UNDERFLOW * tr(X),
                         proof=_algebra(2 * UNDERFLOW * tr(X))),),
           notes="True: tr(Xᵀ) = tr(X)."),
]

EXPECTED = {
    "SS1": False, "SS1_poly": True, "SS7": False, "SS11": False, "SS6": False,
    "SS2": False, "SS2_n3": True, "SS3": False, "SS3_n2": True, "SS4": False, "SS5": False,
    "SS12_2": True, "SS12": False, "SS8": False, "SS9": False,
    "SS10": False, "SS10_np": False, "SS10_T": True,
}
