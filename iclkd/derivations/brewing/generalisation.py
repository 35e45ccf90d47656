"""R10: the symmetrisation identity, Jensen and the Cauchy–Schwarz supremum; R11: a
Rademacher generalisation bound for the distilled student (claims in ``rademacher_bound``).

R10's vectors ``a_1 … a_n`` are the columns of ``A`` (``d × n``), so ``Σ σ_i a_i = Aσ``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from iclkd.numeric import (PASSED, REFUTED, Z_CRITICAL, CheckOutcome, claim_side, Evaluator, gaussian,
                           mean_test, random_rational, search_violations, uniform)
from iclkd import (Algebra, Assumption, Bound, Cited, Claim, Definition, inner, NumericCheck,
                   RademacherExpectation, RademacherMoments, Result, sqnorm, Step, Substitute)
from .notation import M, W, d, d_v

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", d, n)
sigma_n = sp.MatrixSymbol("sigma", n, 1)
G = sp.MatrixSymbol("G", d_v, M)
Z_dir = sp.MatrixSymbol("Z_W", d_v, M)
W_opt = sp.MatrixSymbol("W_opt", d_v, M)
B = sp.Symbol("B", positive=True)
r_W = sp.Symbol("r_W", nonnegative=True)

NORM_W, NORM_G = sp.sqrt(sqnorm(W)), sp.sqrt(sqnorm(G))
BALANCE = sp.sqrt(NORM_G / NORM_W)  # s with s²||W||² = ||G||²/s² = ||W|| ||G||
MAXIMISER = B * G / NORM_G

JENSEN = Cited("Jensen (concave square root)", "𝔼√X ≤ √(𝔼X); Jensen, Acta Math. 1906")

R10_CLAIMS = (
    Claim("(a)", RademacherExpectation(sqnorm(A * sigma_n), sigma_n), sqnorm(A), proof=(
        Step(sqnorm(A), RademacherMoments()),),
        text="𝔼‖Σᵢ σᵢaᵢ‖² = Σᵢ ‖aᵢ‖², since 𝔼σᵢσⱼ = 1 for i = j and 0 otherwise"),
    Claim("(b)", RademacherExpectation(sp.sqrt(sqnorm(A * sigma_n)), sigma_n), sp.sqrt(sqnorm(A)),
          relation="<=", proof=(
              Step(sp.sqrt(RademacherExpectation(sqnorm(A * sigma_n), sigma_n)), JENSEN, relation="<="),
              Step(sp.sqrt(sqnorm(A)), Substitute("(a)")),
          ), text="𝔼‖Σᵢ σᵢaᵢ‖ ≤ √(Σᵢ ‖aᵢ‖²)"),
    Claim("(c)", inner(W, G), B * NORM_G, relation="<=", proof=(
        Step(inner(W, G) + sqnorm(BALANCE * W - G / BALANCE) / 2, Bound("add a square"), relation="<="),
        Step(NORM_W * NORM_G, Algebra("s²‖W‖² = ‖G‖²/s² = ‖W‖·‖G‖")),
        Step(B * NORM_G, Bound("‖W‖ ≤ B"), relation="<="),
    ), given=(Assumption(B - NORM_W >= 0, "‖W‖ ≤ B"),),
        text="Cauchy–Schwarz: ⟨W, G⟩ ≤ ‖W‖·‖G‖ ≤ B‖G‖ on the ball (Frobenius)"),
    Claim("(d)", inner(W_opt, G), B * NORM_G, proof=(Step(B * NORM_G, Substitute(W_opt)),),
          text="the supremum is attained at W = BG/‖G‖"),
    Claim("(e)", sp.sqrt(sqnorm(W_opt)), B, proof=(Step(B, Substitute(W_opt)),),
          text="the maximiser lies on the sphere ‖W‖ = B"),
)


EXACT_MAX_N = 12  # 2^12 sign patterns in exact rationals take a few seconds; each n more doubles it


def exact_moments_growing_n(result, rng, trials):
    """Claim (a) in exact rationals for ``n = 1 … min(4 + trials, 12)`` (all ``2^n`` sign
    patterns; the Monte Carlo check goes further)."""
    top = min(4 + trials, EXACT_MAX_N)
    for size in range(1, top + 1):
        rows = int(rng.integers(1, 4))
        values = np.array([[random_rational(rng) for _ in range(size)] for _ in range(rows)], dtype=object)
        env = {A: values, n: sp.Integer(size), d: sp.Integer(rows)}
        claim = result.claim("(a)")
        left = Evaluator(env, exact=True).value(claim.lhs).val
        right = Evaluator(env, exact=True).value(claim.rhs).val
        if sp.nsimplify(left - right) != 0:
            return CheckOutcome("exact second moment", REFUTED, trials=size, max_error=None,
                                detail=f"at n = {size}: E||Aσ||² = {left} but the claim gives {right}",
                                counterexample={"n": size, "A": [[str(v) for v in row] for row in values]})
    return CheckOutcome("exact second moment", PASSED, trials=top, max_error=0.0,
                        detail=f"claim (a) exact at n = 1 … {top} by enumerating every sign pattern")


def monte_carlo_second_moment(result, rng, trials):
    """z-test of the mean of ``||Aσ||²`` over random signs at ``n`` up to 60 (beyond enumeration);
    the variance ``Var||Aσ||² = 4 Σ_{i<j} (a_iᵀa_j)²`` is known."""
    tests = []
    for _ in range(trials):
        size, rows = int(rng.integers(8, 61)), int(rng.integers(1, 4))
        values = rng.normal(0, 1 / np.sqrt(size), (rows, size))
        gram = values.T @ values
        variance = 2 * (np.sum(gram**2) - np.sum(np.diag(gram) ** 2))
        signs = rng.choice([-1.0, 1.0], size=(20_000, size))
        samples = np.sum((signs @ values.T) ** 2, axis=1)
        claimed = float(claim_side(result, "(a)", {A: values, n: size, d: rows}).val)
        tests.append((mean_test(samples, claimed, variance), size))
    worst, size = max(tests, key=lambda t: abs(t[0].z))
    stats = {"max_abs_z": abs(worst.z), "z_critical": Z_CRITICAL}
    if worst.passes:
        return CheckOutcome("Monte Carlo second moment", PASSED, trials=len(tests), stats=stats,
                            max_error=max(abs(t.estimate - t.claimed) / abs(t.claimed) for t, _ in tests),
                            detail="z-test with the known variance 4Σ_{i<j}(a_iᵀa_j)²")
    return CheckOutcome("Monte Carlo second moment", REFUTED, trials=len(tests), stats=stats,
                        detail=f"at n = {size}: mean {worst.estimate:.6g} vs claimed {worst.claimed:.6g}, "
                               f"z = {worst.z:.2f}",
                        counterexample={"n": size, **worst.as_dict()})


def _jensen_instances(rng, trials):
    for _ in range(trials):
        rows, size = int(rng.integers(1, 4)), int(rng.integers(1, 7))
        q = np.linalg.qr(rng.normal(size=(max(rows, size), max(rows, size))))[0]
        column = rng.normal(size=(rows, 1))
        for label, values in (("random", rng.normal(size=(rows, size))),
                              ("orthogonal columns (equality)", q[:rows, :min(rows, size)] * rng.uniform(0.5, 2)),
                              ("one column", column), ("equal columns", np.repeat(column, size, axis=1)),
                              ("zero", np.zeros((rows, size))), ("tiny", 1e-140 * rng.normal(size=(rows, size)))):
            yield label, {A: values}


def _cauchy_schwarz_instances(rng, trials):
    for _ in range(trials):
        rows, cols, radius = int(rng.integers(1, 4)), int(rng.integers(1, 4)), float(rng.uniform(0.1, 3))
        g = rng.normal(size=(rows, cols))
        direction = rng.normal(size=(rows, cols))
        for label, w in (("maximiser BG/||G||", radius * g / np.linalg.norm(g)),
                         ("minimiser −BG/||G||", -radius * g / np.linalg.norm(g)),
                         ("random on the sphere", radius * direction / np.linalg.norm(direction)),
                         ("inside", rng.uniform() * radius * direction / np.linalg.norm(direction)),
                         ("zero", np.zeros((rows, cols)))):
            yield label, {W: w, G: g, B: radius}


def inequality_search(result, rng, trials):
    """Claims (b) and (c) on their equality cases (orthogonal columns; the maximiser), on the
    boundary of the ball, at zero and tiny scales, and on random instances."""
    outcome = search_violations("inequality search", result, "(b)", _jensen_instances(rng, trials))
    if not outcome.ok:
        return outcome
    second = search_violations("inequality search", result, "(c)", _cauchy_schwarz_instances(rng, trials))
    second.trials += outcome.trials
    second.max_error = max(outcome.max_error or 0.0, second.max_error or 0.0)
    second.detail = "Jensen (b) and Cauchy–Schwarz (c) at equality cases, boundaries and random points"
    return second


R10 = Result(
    id="R10", label="Symmetrisation", title="Symmetrisation identity, Jensen and the Cauchy–Schwarz supremum",
    claims=R10_CLAIMS,
    definitions=(Definition(W, r_W * B * Z_dir / sp.sqrt(sqnorm(Z_dir)), "a point of the ball ‖W‖ ≤ B"),
                 Definition(W_opt, MAXIMISER, "the maximiser BG/‖G‖")),
    sizes={n: (1, 2, 3, 4), d: (1, 2, 3), d_v: (1, 2, 3), M: (1, 2, 3)},
    samplers={r_W: uniform(0.0, 1.0), B: uniform(0.2, 3.0), A: gaussian(1.0), G: gaussian(1.0)},
    numeric_checks=(NumericCheck("exact second moment", exact_moments_growing_n, "claim (a) exactly, n = 1 … 8"),
                    NumericCheck("Monte Carlo second moment", monte_carlo_second_moment,
                                 "claim (a) at n up to 60, z-test with the known variance"),
                    NumericCheck("inequality search", inequality_search,
                                 "claims (b), (c) at equality cases, boundaries and random points")),
    notes="The signs σᵢ are i.i.d. uniform on ±1. (c)–(e): the supremum of ⟨W, G⟩ over ‖W‖ ≤ B is B‖G‖, "
          "attained at BG/‖G‖ (Frobenius norms).",
)

RESULTS = (R10,)
