"""Gradients of scalar functions of vectors and matrices, as a user of iclkd would state them.

Sources: K. B. Petersen and M. S. Pedersen, *The Matrix Cookbook*, version of 15 November
2012 ("Cookbook (N)" is its equation N; SymPy's own matrix-derivative tests cite the same
numbers), and the product and chain rules. Every true result is followed by false variants
of the kind an author writes by mistake (a transpose missing, a factor 2, a sign, a dropped
term), each proved with the same steps as the true one. ``EXPECTED`` says which are true;
it comes from the mathematics (see each result's notes), never from iclkd's output.
"""
import sympy as sp

from iclkd import Assumption, Claim, Gradient, MatrixDerivative, Result, Step, Substitute

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)

X = sp.MatrixSymbol("X", n, m)            # rectangular variable
Xs = sp.MatrixSymbol("X", n, n)           # square variable
A_mn = sp.MatrixSymbol("A", m, n)
A = sp.MatrixSymbol("A", n, n)
B = sp.MatrixSymbol("B", n, n)
W = sp.MatrixSymbol("W", n, n)
x = sp.MatrixSymbol("x", n, 1)
a = sp.MatrixSymbol("a", n, 1)
b_m = sp.MatrixSymbol("b", m, 1)
b = sp.MatrixSymbol("b", n, 1)

# least squares: A is m×n, x ∈ R^n, y ∈ R^m
A_ls = sp.MatrixSymbol("A", m, n)
y_ls = sp.MatrixSymbol("y", m, 1)
RESIDUAL = A_ls * x - y_ls

COOKBOOK = "Petersen & Pedersen, The Matrix Cookbook (15 Nov 2012)"
SYMMETRIC_W = (Assumption(sp.Q.symmetric(W), "W symmetric"),
               Assumption(sp.Eq(W.T, W), "W = Wᵀ", kind="equation"))
SYMMETRIC_B = (Assumption(sp.Q.symmetric(B), "B symmetric"),
               Assumption(sp.Eq(B.T, B), "B = Bᵀ", kind="equation"))


def _by_calculus(rhs):
    return (Step(rhs, MatrixDerivative()),)


EXP_SCALE = sp.Integer(10) ** 10
F_TRAP = sp.Trace(Xs * A) * sp.exp(sp.Trace(B * Xs) / EXP_SCALE)

RESULTS = [
    # --- ∂ tr(XA)/∂X = Aᵀ -------------------------------------------------------------------
    Result("MC1", "Cookbook (100)", "Gradient of a linear trace",
           claims=(Claim("", Gradient(sp.Trace(X * A_mn), X), A_mn.T, proof=_by_calculus(A_mn.T)),),
           references=(f"{COOKBOOK}, eq. (100)",)),
    Result("MC1_noT", "Cookbook (100), transpose missing", "Gradient of a linear trace without the transpose",
           claims=(Claim("", Gradient(sp.Trace(Xs * A), Xs), A, proof=_by_calculus(A)),),
           references=(f"{COOKBOOK}, eq. (100)",),
           notes="False: the gradient is Aᵀ, and A ≠ Aᵀ for a general square A (n ≥ 2)."),
    Result("MC1_2", "Cookbook (100), factor 2", "Gradient of a linear trace with a spurious factor 2",
           claims=(Claim("", Gradient(sp.Trace(X * A_mn), X), 2 * A_mn.T, proof=_by_calculus(2 * A_mn.T)),),
           references=(f"{COOKBOOK}, eq. (100)",), notes="False: the gradient is Aᵀ, not 2Aᵀ."),

    # --- ∂ tr(XᵀBX)/∂X = BX + BᵀX ------------------------------------------------------------
    Result("MC2", "Cookbook (108)", "Gradient of a trace quadratic form",
           claims=(Claim("", Gradient(sp.Trace(X.T * B * X), X), B * X + B.T * X,
                         proof=_by_calculus(B * X + B.T * X)),),
           references=(f"{COOKBOOK}, eq. (108)",)),
    Result("MC2_2B", "Cookbook (108), as if B were symmetric", "Gradient of a trace quadratic form as 2BX",
           claims=(Claim("", Gradient(sp.Trace(X.T * B * X), X), 2 * B * X, proof=_by_calculus(2 * B * X)),),
           references=(f"{COOKBOOK}, eq. (108)",),
           notes="False for a general B: BX + BᵀX = 2BX needs (Bᵀ − B)X = 0."),
    Result("MC2_sym", "Cookbook (108), B symmetric", "Gradient of a trace quadratic form, symmetric B",
           claims=(Claim("", Gradient(sp.Trace(X.T * B * X), X), 2 * B * X, proof=(
               Step(B * X + B.T * X, MatrixDerivative()),
               Step(2 * B * X, Substitute("B = Bᵀ")),
           )),),
           assumptions=SYMMETRIC_B, references=(f"{COOKBOOK}, eq. (108)",),
           notes="True: with Bᵀ = B, BX + BᵀX = 2BX."),

    # --- ∂ xᵀBx/∂x = (B + Bᵀ)x ---------------------------------------------------------------
    Result("MC3", "Cookbook (81)", "Gradient of a quadratic form",
           claims=(Claim("", Gradient(sp.Trace(x.T * B * x), x), (B + B.T) * x,
                         proof=_by_calculus((B + B.T) * x)),),
           references=(f"{COOKBOOK}, eq. (81)",)),
    Result("MC3_noT", "Cookbook (81), as if B were symmetric", "Gradient of a quadratic form as 2Bx",
           claims=(Claim("", Gradient(sp.Trace(x.T * B * x), x), 2 * B * x, proof=_by_calculus(2 * B * x)),),
           references=(f"{COOKBOOK}, eq. (81)",),
           notes="False for a general B (the symmetric case stated without its hypothesis)."),
    Result("MC3_sign", "Cookbook (81), sign", "Gradient of a quadratic form with a minus sign",
           claims=(Claim("", Gradient(sp.Trace(x.T * B * x), x), (B - B.T) * x,
                         proof=_by_calculus((B - B.T) * x)),),
           references=(f"{COOKBOOK}, eq. (81)",), notes="False: the gradient is (B + Bᵀ)x."),
    Result("MC3_sym", "Cookbook (81), W symmetric", "Gradient of a symmetric quadratic form",
           claims=(Claim("", Gradient(sp.Trace(x.T * W * x), x), 2 * W * x, proof=(
               Step((W + W.T) * x, MatrixDerivative()),
               Step(2 * W * x, Substitute("W = Wᵀ")),
           )),),
           assumptions=SYMMETRIC_W, references=(f"{COOKBOOK}, eq. (81)",),
           notes="True: ∂xᵀWx/∂x = (W + Wᵀ)x = 2Wx when Wᵀ = W."),
    Result("MC3_sym_half", "Cookbook (81), W symmetric, factor 2 lost", "Gradient of a symmetric quadratic form as Wx",
           claims=(Claim("", Gradient(sp.Trace(x.T * W * x), x), W * x, proof=(
               Step((W + W.T) * x / 2, MatrixDerivative()),
               Step(W * x, Substitute("W = Wᵀ")),
           )),),
           assumptions=SYMMETRIC_W, references=(f"{COOKBOOK}, eq. (81)",),
           notes="False: the gradient is 2Wx (zero only if Wx = 0)."),

    # --- ∂ aᵀXb/∂X = abᵀ --------------------------------------------------------------------
    Result("MC4", "Cookbook (70)", "Gradient of a bilinear form in a matrix",
           claims=(Claim("", Gradient(sp.Trace(a.T * X * b_m), X), a * b_m.T, proof=_by_calculus(a * b_m.T)),),
           references=(f"{COOKBOOK}, eq. (70)",)),
    Result("MC4_swap", "Cookbook (70), outer product reversed", "Gradient of a bilinear form as baᵀ",
           claims=(Claim("", Gradient(sp.Trace(a.T * Xs * b), Xs), b * a.T, proof=_by_calculus(b * a.T)),),
           references=(f"{COOKBOOK}, eq. (70)",),
           notes="False: abᵀ ≠ baᵀ for general a, b ∈ R^n, n ≥ 2 (that is eq. (71), for aᵀXᵀb)."),

    # --- ∂ tr(XᵀX)/∂X = 2X ------------------------------------------------------------------
    Result("MC5", "Cookbook (115)", "Gradient of the squared Frobenius norm",
           claims=(Claim("", Gradient(sp.Trace(X.T * X), X), 2 * X, proof=_by_calculus(2 * X)),),
           references=(f"{COOKBOOK}, eq. (115)",)),
    Result("MC5_1", "Cookbook (115), factor 2 lost", "Gradient of the squared Frobenius norm as X",
           claims=(Claim("", Gradient(sp.Trace(X.T * X), X), X, proof=_by_calculus(X)),),
           references=(f"{COOKBOOK}, eq. (115)",), notes="False: the gradient is 2X."),
    Result("MC5_1_np", "Cookbook (115), factor 2 lost, no proof", "Gradient of ‖X‖² as X, stated without proof",
           claims=(Claim("", Gradient(sp.Trace(X.T * X), X), X),),
           references=(f"{COOKBOOK}, eq. (115)",),
           notes="False (the gradient is 2X); no proof steps, so only the numbers can refute it."),

    # --- ∂ tr(X²)/∂X = 2Xᵀ -------------------------------------------------------------------
    Result("MC7", "Cookbook (106)", "Gradient of the trace of a square",
           claims=(Claim("", Gradient(sp.Trace(Xs * Xs), Xs), 2 * Xs.T, proof=_by_calculus(2 * Xs.T)),),
           references=(f"{COOKBOOK}, eq. (106)",)),
    Result("MC7_noT", "Cookbook (106), transpose missing", "Gradient of tr(X²) as 2X",
           claims=(Claim("", Gradient(sp.Trace(Xs * Xs), Xs), 2 * Xs, proof=_by_calculus(2 * Xs)),),
           references=(f"{COOKBOOK}, eq. (106)",), notes="False: 2Xᵀ ≠ 2X unless X is symmetric."),

    # --- least squares: ∇‖Ax − y‖² = 2Aᵀ(Ax − y) ----------------------------------------------
    Result("MC8", "Cookbook (78), least squares", "Gradient of a least-squares loss",
           claims=(Claim("", Gradient(sp.Trace(RESIDUAL.T * RESIDUAL), x), 2 * A_ls.T * RESIDUAL,
                         proof=_by_calculus(2 * A_ls.T * RESIDUAL)),),
           references=(f"{COOKBOOK}, eq. (78) with B = D = A, C = I",)),
    Result("MC8_half", "Cookbook (78), factor 2 lost", "Least-squares gradient without its factor 2",
           claims=(Claim("", Gradient(sp.Trace(RESIDUAL.T * RESIDUAL), x), A_ls.T * RESIDUAL,
                         proof=_by_calculus(A_ls.T * RESIDUAL)),),
           references=(f"{COOKBOOK}, eq. (78)",), notes="False: the gradient is 2Aᵀ(Ax − y)."),
    Result("MC8_sign", "Cookbook (78), sign of y", "Least-squares gradient with Ax + y",
           claims=(Claim("", Gradient(sp.Trace(RESIDUAL.T * RESIDUAL), x), 2 * A_ls.T * (A_ls * x + y_ls),
                         proof=_by_calculus(2 * A_ls.T * (A_ls * x + y_ls))),),
           references=(f"{COOKBOOK}, eq. (78)",), notes="False: differs from the truth by 4Aᵀy."),

    # --- chain rule through exp: SymPy 1.14 returns 0 for this derivative ---------------------
    Result("MC10", "chain rule", "Gradient of exp of a linear trace",
           claims=(Claim("", Gradient(sp.exp(sp.Trace(Xs * A)), Xs), sp.exp(sp.Trace(Xs * A)) * A.T,
                         proof=_by_calculus(sp.exp(sp.Trace(Xs * A)) * A.T)),),
           references=(f"{COOKBOOK}, eq. (100) and the chain rule",),
           notes="True. SymPy 1.14's matrix calculus answers 0 here, so this rests on other evidence."),
    Result("MC10_noT", "chain rule, transpose missing", "Gradient of exp(tr(XA)) with A for Aᵀ",
           claims=(Claim("", Gradient(sp.exp(sp.Trace(Xs * A)), Xs), sp.exp(sp.Trace(Xs * A)) * A,
                         proof=_by_calculus(sp.exp(sp.Trace(Xs * A)) * A)),),
           references=(f"{COOKBOOK}, eq. (100) and the chain rule",), notes="False: the factor is Aᵀ."),

    # --- product rule with a tiny second term -------------------------------------------------
    Result("MC11", "product rule", "Gradient of a product with a slowly varying factor",
           claims=(Claim("", Gradient(F_TRAP, Xs),
                         sp.exp(sp.Trace(B * Xs) / EXP_SCALE) * (A.T + sp.Trace(Xs * A) * B.T / EXP_SCALE),
                         proof=_by_calculus(sp.exp(sp.Trace(B * Xs) / EXP_SCALE)
                                            * (A.T + sp.Trace(Xs * A) * B.T / EXP_SCALE))),),
           references=(f"{COOKBOOK}, eq. (100) and the product rule",),
           notes="True: ∇[f g] = g∇f + f∇g with ∇tr(BX)/10¹⁰ = Bᵀ/10¹⁰."),
    Result("MC11_drop", "product rule, a term dropped", "Gradient of a product with the small term dropped",
           claims=(Claim("", Gradient(F_TRAP, Xs), sp.exp(sp.Trace(B * Xs) / EXP_SCALE) * A.T,
                         proof=_by_calculus(sp.exp(sp.Trace(B * Xs) / EXP_SCALE) * A.T)),),
           references=(f"{COOKBOOK}, eq. (100) and the product rule",),
           notes="False: drops tr(XA)·exp(tr(BX)/10¹⁰)·Bᵀ/10¹⁰, about 1e-10 of the gradient "
                 "(SymPy 1.14 returns this wrong answer)."),

    # --- ∂ aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ ---------------------------------------------------------------
    Result("MC12", "Cookbook (61)", "Gradient of a bilinear form in an inverse",
           claims=(Claim("", Gradient(sp.Trace(a.T * Xs.I * b), Xs), -Xs.T.I * a * b.T * Xs.T.I,
                         proof=_by_calculus(-Xs.T.I * a * b.T * Xs.T.I)),),
           references=(f"{COOKBOOK}, eq. (61)",)),
    Result("MC12_sign", "Cookbook (61), sign", "Gradient of aᵀX⁻¹b without its minus sign",
           claims=(Claim("", Gradient(sp.Trace(a.T * Xs.I * b), Xs), Xs.T.I * a * b.T * Xs.T.I,
                         proof=_by_calculus(Xs.T.I * a * b.T * Xs.T.I)),),
           references=(f"{COOKBOOK}, eq. (61)",), notes="False: the gradient is −X⁻ᵀabᵀX⁻ᵀ."),
]

EXPECTED = {
    "MC1": True, "MC1_noT": False, "MC1_2": False,
    "MC2": True, "MC2_2B": False, "MC2_sym": True,
    "MC3": True, "MC3_noT": False, "MC3_sign": False, "MC3_sym": True, "MC3_sym_half": False,
    "MC4": True, "MC4_swap": False,
    "MC5": True, "MC5_1": False, "MC5_1_np": False,
    "MC7": True, "MC7_noT": False,
    "MC8": True, "MC8_half": False, "MC8_sign": False,
    "MC10": True, "MC10_noT": False,
    "MC11": True, "MC11_drop": False,
    "MC12": True, "MC12_sign": False,
}
