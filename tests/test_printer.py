"""The LaTeX printer: SymPy input → exact LaTeX in the seed paper's notation (set for every
test of this module), and SymPy's own names where no notation is set."""
from __future__ import annotations

import pytest
import sympy as sp

from iclkd.derivations.brewing.notation import (D_prime, Delta_W, H, M, Omega, Phi_D, Phi_T, V_D, V_T, W,
                                        W_0, W_1, W_star, a, b, d, d_k, eta, omega, ones_N, phi_omega,
                                        phi_q, u)
from iclkd.paper import load_paper
from iclkd.render.printer import Notation, NotationPrinter, conventional_naming, latex, use_notation
from iclkd.symbolic.objects import FeatureAverage, GaussianExpectation, Gradient, inner, sqnorm

x = sp.Symbol("x")
W_K = sp.MatrixSymbol("W_K", d_k, d)
eta_star = sp.Symbol("eta_star", positive=True)

SEED = load_paper("brewing")


@pytest.fixture(autouse=True)
def seed_paper_notation():
    with use_notation(Notation(SEED.notation, SEED.naming)):
        yield


CASES = [
    # inner products and norms instead of traces
    (inner(a, b), r"a^{\top} b"),
    (sqnorm(a), r"\lVert a\rVert^2"),
    (sqnorm(a + b), r"\lVert a + b\rVert^2"),
    (sqnorm(V_D - W * Phi_D), r"\lVert V_D - W \Phi_D\rVert_F^2"),
    (sqnorm(H * Phi_D), r"\lVert H \Phi_D\rVert_F^2"),
    (sp.Trace(W.T * H), r"\langle W, H\rangle_F"),
    (sp.Trace(V_T.T * W * Phi_T), r"\operatorname{tr}\left(V_T^{\top} W \Phi_T\right)"),
    (sp.sqrt(sqnorm(a)), r"\lVert a\rVert"),
    (2 * inner(omega, a / eta), r"\frac{2 \omega^{\top} a}{\eta}"),
    (sqnorm(a / eta + b), r"\left\lVert \frac{1}{\eta} a + b\right\rVert^2"),
    # transposes and matrices
    (V_D * Phi_D.T, r"V_D \Phi_D^{\top}"),
    (W_1.T, r"{W^{(1)}}^{\top}"),
    ((W_0 + Delta_W).T, r"{\Delta W}^{\top} + W_0^{\top}"),
    (sp.Identity(M), r"I_{M}"),
    (ones_N, r"\mathbf{1}_{N}"),
    (sp.ZeroMatrix(2, 2), "0"),
    (sp.Inverse(Phi_D * Phi_D.T), r"\left(\Phi_D \Phi_D^{\top}\right)^{-1}"),
    (sp.Eq(W_1, W_0), r"W^{(1)} = W_0"),
    # the notation table and naming rules
    (phi_q, r"\varphi(q)"),
    (D_prime, "D'"),
    (eta_star, r"\eta^{\ast}"),
    (W_K, "W_K"),
    (W_star, r"W^{\ast}_{\lambda}"),
    (Delta_W, r"\Delta W"),
    (sp.Symbol("k_psi"), r"k_{\psi}"),
    (sp.Symbol("phi"), r"\varphi"),
    (sp.Symbol("alpha_hat"), r"\hat{\alpha}"),
    # the paper's operators
    (GaussianExpectation(phi_omega(omega, a), omega),
     r"\mathbb{E}_{\omega}\left[e^{\omega^{\top} a - \lVert a\rVert^2 / 2}\right]"),
    (sp.exp(inner(omega, a / eta) - sqnorm(a) / 2), r"e^{\omega^{\top} a / \eta - \lVert a\rVert^2 / 2}"),
    (sp.exp(inner(omega, 2 * a / eta)), r"e^{2 \omega^{\top} a / \eta}"),
    (Gradient(sqnorm(W), W), r"\nabla_{W} \lVert W\rVert_F^2"),
    (Gradient(sqnorm(W), W, W_0), r"\left.\nabla_{W} \lVert W\rVert_F^2\right|_{W = W_0}"),
    (W_0 - eta * Gradient(sqnorm(W), W, W_0), r"W_0 - \eta \left.\nabla_{W} \lVert W\rVert_F^2\right|_{W = W_0}"),
    (FeatureAverage(sp.exp(sqnorm(omega)), omega, Omega), r"\frac{1}{M}\sum_{m=1}^{M} e^{\lVert \omega_m\rVert^2}"),
    (sp.Function("MMD")(x), r"\mathrm{MMD}{\left(x \right)}"),
    # sums start with a positive term
    (u - omega, r"u - \omega"),
    (1 - x, "1 - x"),
    # names that are not identifiers print as text and cannot inject TeX
    (sp.Symbol("a%b"), r"\text{a\%b}"),
    (sp.Symbol(r"\input{x}"), r"\text{\textbackslash{}input\{x\}}"),
    (sp.Function("f\\x")(x), r"\text{f\textbackslash{}x}{\left(x \right)}"),
]


@pytest.mark.parametrize("expr, expected", CASES, ids=[str(i) for i in range(len(CASES))])
def test_prints_paper_notation(expr, expected):
    assert latex(expr) == expected


@pytest.mark.parametrize("name, expected", [
    ("W_K", "W_K"), ("eta_star", r"\eta^{\ast}"), ("phi_q", r"\varphi_q"), ("x_ab", "x_{ab}"),
    ("D'", "D'"), ("Omega", r"\Omega"), ("Delta_W_ICL", r"\Delta W_{ICL}"), ("x_a_b", "x_{a,b}"), ("a b", r"\text{a b}"), ("$x$", r"\text{\$x\$}"),
])
def test_symbol_names_follow_rules(name, expected):
    assert conventional_naming(name) == expected


def test_notation_table_wins_over_rules():
    assert Notation({phi_q: r"\varphi(q)"}, conventional_naming).latex_of(phi_q) == r"\varphi(q)"
    assert Notation({phi_q: r"\varphi(q)"}, conventional_naming).latex_of(sp.MatrixSymbol("phi_q", M, 2)) == r"\varphi_q"


def test_the_table_is_keyed_by_symbol_objects_not_names():
    other_eta = sp.Symbol("eta")  # no assumptions: another symbol than the paper's positive eta
    assert latex(eta) == r"\eta" and SEED.notation.get(other_eta) is None


@pytest.mark.parametrize("expr, expected", [
    (sp.MatrixSymbol("W_star", 2, 2), "W_{star}"), (sp.Symbol("slack"), "slack"), (sp.Symbol(r"\tau"), r"\tau"),
    (sp.Symbol("phi"), r"\phi"), (sp.Symbol(r"\input"), r"\text{\textbackslash{}input}"),
    (sp.Symbol("a%b"), r"\text{a\%b}"),
])
def test_without_a_notation_names_print_as_sympy_prints_them(expr, expected):
    with use_notation(Notation()):
        assert latex(expr) == expected


def test_no_sympy_internal_names_in_any_registered_statement(registry):
    forbidden = ("Trace", "operatorname{tr}\\left(a", "phi_q", "Delta_W", "h_hat", "W_star", "Gradient",
                 "GaussianExpectation", "FeatureAverage", "mathbb{I}")
    for result in registry:
        for claim in result.claims:
            for expr in (claim.lhs, claim.rhs, *(s.expr for s in claim.proof)):
                tex = latex(expr)
                assert not any(f in tex for f in forbidden), (result.id, claim.name, tex)


def test_user_latex_methods_are_not_used():
    class Sneaky(sp.Symbol):
        def _latex(self, printer):
            return r"\input{/etc/passwd}"

    assert NotationPrinter().doprint(Sneaky("s")) == "s"
