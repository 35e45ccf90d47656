"""Trace, transpose, Kronecker and Hadamard facts, as a user of iclkd would state them.

Sources: K. B. Petersen and M. S. Pedersen, *The Matrix Cookbook* (15 November 2012),
Sections 1.1 and 10.2 ("Cookbook (N)" is its equation N); R. A. Horn and C. R. Johnson,
*Topics in Matrix Analysis* (1991), Lemma 5.1.3 for sums of entrywise products. Each true
result is followed by false variants (a transpose lost, factors swapped, a sum for a
product), proved with the same steps. ``EXPECTED`` comes from the mathematics, not from iclkd.
"""
import sympy as sp

from iclkd import Algebra, Claim, HadamardSum, Result, Step

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)

A = sp.MatrixSymbol("A", n, n)
B = sp.MatrixSymbol("B", n, n)
C = sp.MatrixSymbol("C", n, n)
D = sp.MatrixSymbol("D", m, m)
E = sp.MatrixSymbol("E", m, m)
A_nm = sp.MatrixSymbol("A", n, m)
B_mn = sp.MatrixSymbol("B", m, n)
B_mk = sp.MatrixSymbol("B", m, k)
C_kn = sp.MatrixSymbol("C", k, n)
G = sp.MatrixSymbol("G", n, m)
H = sp.MatrixSymbol("H", n, m)
x = sp.MatrixSymbol("x", n, 1)
y_m = sp.MatrixSymbol("y", m, 1)
y = sp.MatrixSymbol("y", n, 1)
ones_n, ones_m = sp.OneMatrix(n, 1), sp.OneMatrix(m, 1)
kron = sp.KroneckerProduct
tr = sp.Trace

COOKBOOK = "Petersen & Pedersen, The Matrix Cookbook (15 Nov 2012)"
HORN_JOHNSON = "Horn & Johnson, Topics in Matrix Analysis (1991), Lemma 5.1.3"


def _algebra(rhs):
    return (Step(rhs, Algebra()),)


RESULTS = [
    # --- traces -----------------------------------------------------------------------------
    Result("TK1", "Cookbook (14)", "The trace of a product is symmetric",
           claims=(Claim("", tr(A_nm * B_mn), tr(B_mn * A_nm), proof=_algebra(tr(B_mn * A_nm))),),
           references=(f"{COOKBOOK}, eq. (14)",)),
    Result("TK1_T", "Cookbook (14), spurious transpose", "tr(AB) as tr(AᵀB)",
           claims=(Claim("", tr(A * B), tr(A.T * B), proof=_algebra(tr(A.T * B))),),
           references=(f"{COOKBOOK}, eq. (14)",), notes="False for n ≥ 2 (true when A is symmetric)."),
    Result("TK2", "Cookbook (16)", "The trace is invariant under cyclic permutations",
           claims=(Claim("", tr(A_nm * B_mk * C_kn), tr(B_mk * C_kn * A_nm), proof=_algebra(tr(B_mk * C_kn * A_nm))),),
           references=(f"{COOKBOOK}, eq. (16)",)),
    Result("TK2_swap", "Cookbook (16), not cyclic", "The trace under a non-cyclic permutation",
           claims=(Claim("", tr(A * B * C), tr(A * C * B), proof=_algebra(tr(A * C * B))),),
           references=(f"{COOKBOOK}, eq. (16)",),
           notes="False for n ≥ 2: only cyclic permutations preserve the trace of a product of three."),
    Result("TK9", "trace of the identity", "The trace of the identity is the dimension",
           claims=(Claim("", tr(sp.Identity(n)), n, proof=_algebra(n)),),
           references=(f"{COOKBOOK}, eq. (11)",)),
    Result("TK9_sq", "trace of the identity, squared", "The trace of the identity as n²",
           claims=(Claim("", tr(sp.Identity(n)), n**2, proof=_algebra(n**2)),),
           references=(f"{COOKBOOK}, eq. (11)",), notes="False for n ≥ 2 (true at n = 1)."),
    Result("TK11", "trace of a product as a product", "The trace is multiplicative",
           claims=(Claim("", tr(A * B), tr(A) * tr(B), proof=_algebra(tr(A) * tr(B))),),
           references=(f"{COOKBOOK}, eq. (14)",), notes="False for n ≥ 2 (true at n = 1)."),
    Result("TK12", "Cookbook (5)", "Transpose of a product",
           claims=(Claim("", (A_nm * B_mk).T, B_mk.T * A_nm.T, proof=_algebra(B_mk.T * A_nm.T)),),
           references=(f"{COOKBOOK}, eq. (5)",)),
    Result("TK12_noswap", "Cookbook (5), order kept", "Transpose of a product in the same order",
           claims=(Claim("", (A * B).T, A.T * B.T, proof=_algebra(A.T * B.T)),),
           references=(f"{COOKBOOK}, eq. (5)",), notes="False for n ≥ 2: (AB)ᵀ = BᵀAᵀ."),

    # --- Kronecker products -------------------------------------------------------------------
    Result("TK3", "Cookbook (515)", "Trace of a Kronecker product",
           claims=(Claim("", tr(kron(A, D)), tr(A) * tr(D), proof=_algebra(tr(A) * tr(D))),),
           references=(f"{COOKBOOK}, eq. (515)",)),
    Result("TK3_sum", "Cookbook (515), sum for product", "Trace of a Kronecker product as a sum",
           claims=(Claim("", tr(kron(A, D)), tr(A) + tr(D), proof=_algebra(tr(A) + tr(D))),),
           references=(f"{COOKBOOK}, eq. (515)",), notes="False: tr(A⊗D) = tr(A)tr(D)."),
    Result("TK4", "Cookbook (511)", "Mixed-product property of the Kronecker product",
           claims=(Claim("", kron(A, D) * kron(B, E), kron(A * B, D * E), proof=_algebra(kron(A * B, D * E))),),
           references=(f"{COOKBOOK}, eq. (511)",)),
    Result("TK4_swap", "Cookbook (511), factors swapped", "Mixed product with the factors in reverse order",
           claims=(Claim("", kron(A, D) * kron(B, E), kron(B * A, E * D), proof=_algebra(kron(B * A, E * D))),),
           references=(f"{COOKBOOK}, eq. (511)",), notes="False: (A⊗D)(B⊗E) = AB⊗DE, and AB ≠ BA in general."),
    Result("TK5", "Cookbook (510)", "Transpose of a Kronecker product",
           claims=(Claim("", kron(A_nm, B_mk).T, kron(A_nm.T, B_mk.T), proof=_algebra(kron(A_nm.T, B_mk.T))),),
           references=(f"{COOKBOOK}, eq. (510)",)),
    Result("TK5_swap", "Cookbook (510), factors swapped", "Transpose of a Kronecker product, factors reversed",
           claims=(Claim("", kron(A, D).T, kron(D.T, A.T), proof=_algebra(kron(D.T, A.T))),),
           references=(f"{COOKBOOK}, eq. (510)",),
           notes="False when n, m ≥ 2: (A⊗D)ᵀ = Aᵀ⊗Dᵀ, which is a permutation of Dᵀ⊗Aᵀ, not equal to it."),
    Result("TK10", "Cookbook (507)", "The Kronecker product with an identity commutes",
           claims=(Claim("", kron(A, sp.Identity(m)), kron(sp.Identity(m), A),
                         proof=_algebra(kron(sp.Identity(m), A))),),
           references=(f"{COOKBOOK}, eq. (507): A⊗B ≠ B⊗A in general",),
           notes="False when n, m ≥ 2: A⊗I_m has the blocks a_ij·I_m, I_m⊗A is block diagonal with blocks A."),
    Result("TK16_sum", "trace of a Kronecker identity", "tr(I_n ⊗ I_m) as n + m",
           claims=(Claim("", tr(kron(sp.Identity(n), sp.Identity(m))), n + m, proof=_algebra(n + m)),),
           references=(f"{COOKBOOK}, eq. (515)",),
           notes="False: the trace is nm, which equals n + m only at n = m = 2."),

    # --- Hadamard products --------------------------------------------------------------------
    Result("TK7", "Horn & Johnson 5.1.3", "A bilinear form of an entrywise product is a trace",
           claims=(Claim("", tr(x.T * sp.HadamardProduct(G, H) * y_m),
                         tr(sp.DiagMatrix(x) * G * sp.DiagMatrix(y_m) * H.T),
                         proof=(Step(tr(sp.DiagMatrix(x) * G * sp.DiagMatrix(y_m) * H.T), HadamardSum()),)),),
           references=(HORN_JOHNSON,), notes="True: both sides are Σ_ij x_i G_ij H_ij y_j."),
    Result("TK7_noT", "Horn & Johnson 5.1.3, transpose lost", "A bilinear form of A∘B as tr(D_x A D_y B)",
           claims=(Claim("", tr(x.T * sp.HadamardProduct(A, B) * y),
                         tr(sp.DiagMatrix(x) * A * sp.DiagMatrix(y) * B),
                         proof=(Step(tr(sp.DiagMatrix(x) * A * sp.DiagMatrix(y) * B), HadamardSum()),)),),
           references=(HORN_JOHNSON,), notes="False for n ≥ 2: the right side is Σ_ij x_i A_ij y_j B_ji."),
    Result("TK8", "Cookbook (541)", "The squared Frobenius norm as a sum of squares",
           claims=(Claim("", tr(ones_n.T * sp.HadamardProduct(G, G) * ones_m), tr(G.T * G),
                         proof=(Step(tr(G.T * G), HadamardSum()),)),),
           references=(f"{COOKBOOK}, eq. (541)",), notes="True: Σ_ij G_ij² = tr(GᵀG)."),
    Result("TK8_A2", "Cookbook (541), transpose lost", "The squared Frobenius norm as tr(A²)",
           claims=(Claim("", tr(ones_n.T * sp.HadamardProduct(A, A) * ones_n), tr(A * A),
                         proof=(Step(tr(A * A), HadamardSum()),)),),
           references=(f"{COOKBOOK}, eq. (541)",), notes="False unless A is symmetric: tr(A²) = Σ_ij A_ij A_ji."),
    Result("TK13", "Cookbook (521)", "The Frobenius inner product as a sum of an entrywise product",
           claims=(Claim("", tr(ones_n.T * sp.HadamardProduct(G, H) * ones_m), tr(G.T * H),
                         proof=(Step(tr(G.T * H), HadamardSum()),)),),
           references=(f"{COOKBOOK}, eq. (521)",), notes="True: Σ_ij G_ij H_ij = tr(GᵀH)."),
    Result("TK13_noT", "Cookbook (521), transpose lost", "The Frobenius inner product as tr(AB)",
           claims=(Claim("", tr(ones_n.T * sp.HadamardProduct(A, B) * ones_n), tr(A * B),
                         proof=(Step(tr(A * B), HadamardSum()),)),),
           references=(f"{COOKBOOK}, eq. (521)",), notes="False for n ≥ 2: tr(AB) = Σ_ij A_ij B_ji."),
]

EXPECTED = {
    "TK1": True, "TK1_T": False, "TK2": True, "TK2_swap": False,
    "TK9": True, "TK9_sq": False, "TK11": False, "TK12": True, "TK12_noswap": False,
    "TK3": True, "TK3_sum": False, "TK4": True, "TK4_swap": False,
    "TK5": True, "TK5_swap": False, "TK10": False, "TK16_sum": False,
    "TK7": True, "TK7_noT": False, "TK8": True, "TK8_A2": False, "TK13": True, "TK13_noT": False,
}
