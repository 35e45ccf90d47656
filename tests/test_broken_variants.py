"""Broken variants of R1–R8 must be refuted, with a counterexample or a failing step named."""
from __future__ import annotations

import dataclasses

import sympy as sp

from iclkd.derivations.brewing import attention, distillation, kernel
from iclkd.derivations.brewing.notation import (D_prime, N, Phi_D, Phi_T, V_D, V_T, W, a, b, eta)
from iclkd.symbolic.objects import Gradient, inner, sqnorm
from iclkd.symbolic.result import Definition
from iclkd.symbolic.rules import MatrixDerivative

from variants import run, with_claim, with_step


def assert_refuted(report):
    assert report.status == "refuted", (report.status, report.failure)
    assert report.failure
    assert report.counterexample is not None or "step" in report.failure


def test_r1_wrong_kernel_exponent(registry):
    broken = with_claim(kernel.R1, "", rhs=sp.exp(2 * inner(a, b)))
    report = run(broken, registry)
    assert_refuted(report)
    assert any(n.status == "refuted" for n in report.numeric)


def test_r2_wrong_variance(registry):
    wrong = sp.exp(inner(a, b)) * (sp.exp(sqnorm(a + b)) - 1)
    report = run(with_step(kernel.R2, "(a)", 2, wrong), registry)
    assert_refuted(report)
    assert "(a) step 3" in report.failure


def test_r2_monte_carlo_catches_a_wrong_statement_alone(registry):
    wrong = sp.exp(inner(a, b)) * (sp.exp(sqnorm(a + b)) - 1)
    broken = with_claim(kernel.R2, "(a)", rhs=wrong)
    report = run(broken, registry)
    assert any(n.status == "refuted" and n.counterexample for n in report.numeric)


def test_r3_flipped_inequality_sign(registry):
    broken = with_step(kernel.R3, "(a)", 0, sqnorm(kernel.omega) + sqnorm(kernel.u - kernel.omega))
    assert_refuted(run(broken, registry))


def test_r4_wrong_normalisation_1_over_N(registry):
    student = Definition(W, (V_D * Phi_D.T + V_T * Phi_T.T) / N, "wrong normalisation")
    broken = dataclasses.replace(attention.R4,
                                 definitions=(attention.NORMALISER, attention.KERNEL_ATTENTION, student))
    assert_refuted(run(broken, registry))


def test_r6_flipped_sign_of_gradient(registry):
    broken = with_step(attention.R6, "(a)", 0, V_T * Phi_T.T / (eta * D_prime))
    report = run(broken, registry)
    assert_refuted(report)
    assert "matrix calculus" in report.failure


def test_r7_dropped_factor_two_in_gradient(registry):
    broken = with_step(distillation.R7, "(a)", 0, -(V_D - W * Phi_D) * Phi_D.T / N)
    assert_refuted(run(broken, registry))


def test_r7_dropped_factor_two_in_one_step(registry):
    broken = with_step(distillation.R7, "(b)", 1, eta * V_D * Phi_D.T / N)
    assert_refuted(run(broken, registry))


def test_r7_missing_transpose_with_square_blocks(registry):
    n = sp.Symbol("n", integer=True, positive=True)  # d_v = M = N = n: every block is square
    V, P, Wn = (sp.MatrixSymbol(s.name, n, n) for s in (V_D, Phi_D, W))
    loss = sqnorm(V - Wn * P) / n
    broken = with_claim(distillation.R7, "(a)", lhs=Gradient(loss, Wn),
                        rhs=-2 * (V - Wn * P) * P / n,
                        proof=(distillation.Step(-2 * (V - Wn * P) * P / n, MatrixDerivative()),))
    broken = dataclasses.replace(broken, claims=(broken.claim("(a)"),), numeric_checks=(), sizes={n: (2, 3)})
    assert_refuted(run(broken, registry))


def test_r8_wrong_normalisation(registry):
    wrong_gap = (2 * eta / N - 1 / N) * V_D * Phi_D.T
    assert_refuted(run(with_step(distillation.R8, "(a)", 1, wrong_gap), registry))


def test_r8_wrong_alignment_condition(registry):
    broken = with_step(distillation.R8, "(b)", 1, sp.Eq(eta, N / D_prime))
    report = run(broken, registry)
    assert_refuted(report)
