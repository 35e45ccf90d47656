"""Identities of matrix inverses, as a user of iclkd would state them.

Sources: K. B. Petersen and M. S. Pedersen, *The Matrix Cookbook* (15 November 2012),
Sections 1 and 3.2 ("Cookbook (N)" is its equation N), and the definition of an orthogonal
matrix. Random square Gaussian matrices are invertible with probability one, so "A
invertible" is implicit where an inverse is written. Each true result is followed by the
false variants an author writes by mistake (order of factors, a sign, a lost term, a wrong
side), with the same proof steps. ``EXPECTED`` comes from the mathematics, not from iclkd.
"""
import sympy as sp

from iclkd import Algebra, Assumption, Cited, Claim, Result, Step, Substitute

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)

A = sp.MatrixSymbol("A", n, n)
B = sp.MatrixSymbol("B", n, n)
W = sp.MatrixSymbol("W", n, n)
Q = sp.MatrixSymbol("Q", n, n)
u = sp.MatrixSymbol("u", n, 1)
v = sp.MatrixSymbol("v", n, 1)
U = sp.MatrixSymbol("U", n, k)
C = sp.MatrixSymbol("C", k, k)
V = sp.MatrixSymbol("V", k, n)
P = sp.MatrixSymbol("P", n, m)            # push-through: P is n×m, R is m×n
R = sp.MatrixSymbol("R", m, n)
X_tall = sp.MatrixSymbol("X", m + k, m)   # strictly more rows than columns: XᵀX invertible
I_n, I_m = sp.Identity(n), sp.Identity(m)

COOKBOOK = "Petersen & Pedersen, The Matrix Cookbook (15 Nov 2012)"

SHERMAN_MORRISON = A.I - A.I * u * v.T * A.I / (1 + sp.Trace(v.T * A.I * u))
WOODBURY = A.I - A.I * U * (C.I + V * A.I * U).I * V * A.I


def _algebra(rhs, hint=""):
    return (Step(rhs, Algebra(hint)),)


RESULTS = [
    # --- (AB)⁻¹ = B⁻¹A⁻¹ ----------------------------------------------------------------------
    Result("INV1", "Cookbook (1)", "Inverse of a product",
           claims=(Claim("", (A * B).I, B.I * A.I, proof=_algebra(B.I * A.I)),),
           references=(f"{COOKBOOK}, eq. (1)",)),
    Result("INV1_order", "Cookbook (1), order kept", "Inverse of a product in the wrong order",
           claims=(Claim("", (A * B).I, A.I * B.I, proof=_algebra(A.I * B.I)),),
           references=(f"{COOKBOOK}, eq. (1)",),
           notes="False: A⁻¹B⁻¹ = (BA)⁻¹ ≠ (AB)⁻¹ unless A and B commute (n ≥ 2)."),
    Result("INV2_noT", "Cookbook (3), transpose lost", "Inverse of a transpose as the inverse",
           claims=(Claim("", A.T.I, A.I, proof=_algebra(A.I)),),
           references=(f"{COOKBOOK}, eq. (3): (Aᵀ)⁻¹ = (A⁻¹)ᵀ",),
           notes="False: (Aᵀ)⁻¹ = (A⁻¹)ᵀ, which differs from A⁻¹ unless A⁻¹ is symmetric."),

    # --- A⁻¹A = I -------------------------------------------------------------------------------
    Result("INV3", "Cookbook (145)", "A left inverse",
           claims=(Claim("", A.I * A, I_n, proof=_algebra(I_n)),),
           references=(f"{COOKBOOK}, eq. (145)",)),
    Result("INV3_T", "Cookbook (145), transposed factor", "A⁻¹Aᵀ as the identity",
           claims=(Claim("", A.I * A.T, I_n, proof=_algebra(I_n)),),
           references=(f"{COOKBOOK}, eq. (145)",), notes="False: A⁻¹Aᵀ = I means A = Aᵀ."),

    # --- (XᵀX)⁻¹XᵀX = I for a tall X -------------------------------------------------------------
    Result("INV4", "normal equations", "The Gram matrix of a tall matrix inverts its own product",
           claims=(Claim("", (X_tall.T * X_tall).I * X_tall.T * X_tall, I_m, proof=_algebra(I_m)),),
           references=(f"{COOKBOOK}, eq. (145) with A = XᵀX",),
           notes="True: a Gaussian (m+k)×m matrix has full column rank with probability one."),
    Result("INV4_proj", "normal equations, projector as identity", "The hat matrix as the identity",
           claims=(Claim("", X_tall * (X_tall.T * X_tall).I * X_tall.T, sp.Identity(m + k), proof=_algebra(sp.Identity(m + k))),),
           references=("Seber & Lee, Linear Regression Analysis (2003), Sec. 3.1: the hat matrix is a projection",),
           notes="False: X(XᵀX)⁻¹Xᵀ is the orthogonal projection onto the column space of X, of rank "
                 "m < m + k, never the identity."),

    # --- Sherman–Morrison ----------------------------------------------------------------------
    Result("INV5", "Cookbook (160)", "Sherman–Morrison formula",
           claims=(Claim("", (A + u * v.T).I, SHERMAN_MORRISON, proof=_algebra(SHERMAN_MORRISON, "Sherman–Morrison")),),
           references=(f"{COOKBOOK}, eq. (160)",)),
    Result("INV5_sign", "Cookbook (160), sign", "Sherman–Morrison with a plus sign",
           claims=(Claim("", (A + u * v.T).I, A.I + A.I * u * v.T * A.I / (1 + sp.Trace(v.T * A.I * u)),
                         proof=_algebra(A.I + A.I * u * v.T * A.I / (1 + sp.Trace(v.T * A.I * u)), "Sherman–Morrison")),),
           references=(f"{COOKBOOK}, eq. (160)",), notes="False: the correction is subtracted."),
    Result("INV5_denom", "Cookbook (160), 1 lost", "Sherman–Morrison without the 1 in the denominator",
           claims=(Claim("", (A + u * v.T).I, A.I - A.I * u * v.T * A.I / sp.Trace(v.T * A.I * u),
                         proof=_algebra(A.I - A.I * u * v.T * A.I / sp.Trace(v.T * A.I * u), "Sherman–Morrison")),),
           references=(f"{COOKBOOK}, eq. (160)",), notes="False: the denominator is 1 + vᵀA⁻¹u."),

    # --- Woodbury -------------------------------------------------------------------------------
    Result("INV6", "Cookbook (156)", "Woodbury identity",
           claims=(Claim("", (A + U * C * V).I, WOODBURY, proof=(
               Step(WOODBURY, Cited("Woodbury identity", f"{COOKBOOK}, eq. (156)")),)),),
           references=(f"{COOKBOOK}, eq. (156)",)),
    Result("INV6_C", "Cookbook (156), C for C⁻¹", "Woodbury identity with C in place of C⁻¹",
           claims=(Claim("", (A + U * C * V).I, A.I - A.I * U * (C + V * A.I * U).I * V * A.I, proof=(
               Step(A.I - A.I * U * (C + V * A.I * U).I * V * A.I,
                    Cited("Woodbury identity", f"{COOKBOOK}, eq. (156)")),)),),
           references=(f"{COOKBOOK}, eq. (156)",),
           notes="False: the inner matrix is C⁻¹ + VA⁻¹U (C = C⁻¹ only for involutions)."),

    # --- push-through identity ------------------------------------------------------------------
    Result("INV7", "Cookbook (167)", "Push-through identity",
           claims=(Claim("", (I_n + P * R).I * P, P * (I_m + R * P).I, proof=_algebra(P * (I_m + R * P).I)),),
           references=(f"{COOKBOOK}, eq. (167)",),
           notes="True: P(I + RP) = (I + PR)P; multiply by the inverses on both sides."),
    Result("INV7_side", "Cookbook (167), wrong side", "Push-through with the inverse on the same product",
           claims=(Claim("", (I_n + A * B).I * A, A * (I_n + A * B).I, proof=_algebra(A * (I_n + A * B).I)),),
           references=(f"{COOKBOOK}, eq. (167)",),
           notes="False for n ≥ 2: A does not commute with (I + AB)⁻¹ in general (it is (I + BA)⁻¹ on the right)."),

    # --- A⁻¹ + B⁻¹ = A⁻¹(A + B)B⁻¹ --------------------------------------------------------------
    Result("INV9", "Cookbook (165)", "Sum of two inverses",
           claims=(Claim("", A.I + B.I, A.I * (A + B) * B.I, proof=_algebra(A.I * (A + B) * B.I)),),
           references=(f"{COOKBOOK}, eq. (165)",), notes="True: A⁻¹(A + B)B⁻¹ = B⁻¹ + A⁻¹."),
    Result("INV9_inv", "Cookbook (165), misprinted", "Sum of two inverses through (A + B)⁻¹",
           claims=(Claim("", A.I + B.I, A.I * (A + B).I * B.I, proof=_algebra(A.I * (A + B).I * B.I)),),
           references=(f"{COOKBOOK}, eq. (165)",),
           notes="False (already at n = 1: 1/a + 1/b ≠ 1/(ab(a + b)))."),

    # --- orthogonal and symmetric matrices -------------------------------------------------------
    Result("INV12", "orthogonal matrix", "An orthogonal matrix has orthonormal columns",
           claims=(Claim("", Q.T * Q, I_n),),
           assumptions=(Assumption(sp.Q.orthogonal(Q), "Q orthogonal"),),
           references=("Horn & Johnson, Matrix Analysis (2013), Def. 2.1.3",),
           notes="True by definition; stated without proof."),
    Result("INV12_gen", "orthogonal matrix, hypothesis lost", "Any matrix has orthonormal columns",
           claims=(Claim("", Q.T * Q, I_n),),
           references=("Horn & Johnson, Matrix Analysis (2013), Def. 2.1.3",),
           notes="False without the hypothesis that Q is orthogonal."),
    Result("INV13", "symmetric inverse", "The inverse of a symmetric matrix is symmetric",
           claims=(Claim("", W.I.T, W.I, proof=(
               Step(W.T.I, Algebra("(W⁻¹)ᵀ = (Wᵀ)⁻¹")),
               Step(W.I, Substitute("W = Wᵀ")),
           )),),
           assumptions=(Assumption(sp.Q.symmetric(W), "W symmetric"),
                        Assumption(sp.Eq(W.T, W), "W = Wᵀ", kind="equation")),
           references=(f"{COOKBOOK}, eq. (3)",)),
    Result("INV13_gen", "symmetric inverse, hypothesis lost", "Every inverse is symmetric",
           claims=(Claim("", W.I.T, W.I, proof=(
               Step(W.T.I, Algebra("(W⁻¹)ᵀ = (Wᵀ)⁻¹")),
               Step(W.I, Algebra()),
           )),),
           references=(f"{COOKBOOK}, eq. (3)",), notes="False for a general invertible W (n ≥ 2)."),
]

EXPECTED = {
    "INV1": True, "INV1_order": False, "INV2_noT": False,
    "INV3": True, "INV3_T": False,
    "INV4": True, "INV4_proj": False,
    "INV5": True, "INV5_sign": False, "INV5_denom": False,
    "INV6": True, "INV6_C": False,
    "INV7": True, "INV7_side": False,
    "INV9": True, "INV9_inv": False,
    "INV12": True, "INV12_gen": False,
    "INV13": True, "INV13_gen": False,
}
