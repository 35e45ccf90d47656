"""The user corpus (tests/corpus/): its modules load, its labels are right, and iclkd's verdicts
on it are sound: a false result is never ``verified``, a true result is never ``refuted``.

The labels (``EXPECTED``) are checked here against plain-NumPy oracles at explicit sizes, with
no iclkd code in the loop; the verdicts are iclkd's. ``benchmarks/corpus_sweep.py`` runs the
same verdict test over many seeds.
"""
from __future__ import annotations

import re
from itertools import permutations

import numpy as np
import pytest

from corpus import expected_of, module_paths
from iclkd.check import CheckSettings, check_result
from iclkd.paper import module_paper

MODULES = module_paths()
PAPER_ID = re.compile(r"^R\d+$")


def _stem(rid: str) -> str:
    return rid.split("_", 1)[0]


@pytest.fixture(scope="module")
def corpus():
    """``[(module name, registry, EXPECTED)]`` for every corpus module."""
    return [(p.name, module_paper(str(p)).registry(), expected_of(p)) for p in MODULES]


# ---------------------------------------------------------------- the corpus itself

@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_module_loads_and_its_expectations_match_its_results(path):
    registry = module_paper(str(path)).registry()
    expected = expected_of(path)
    ids = [r.id for r in registry]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(expected), f"ids without a label or labels without a result: {set(ids) ^ set(expected)}"
    assert all(isinstance(v, bool) for v in expected.values())
    assert not [i for i in ids if PAPER_ID.match(i)], "corpus ids must not clash with the paper's R1…R16"
    assert {True, False} <= set(expected.values()), f"{path.name} needs true and false results"
    assert all(r.references or r.notes for r in registry), "every result says where it comes from or why"


def test_ids_are_unique_across_the_corpus_and_it_is_large_and_mostly_false(corpus):
    ids = [r.id for _, reg, _ in corpus for r in reg]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    labels = {rid: truth for _, _, exp in corpus for rid, truth in exp.items()}
    assert len(labels) >= 80
    assert 0.3 <= sum(labels.values()) / len(labels) <= 0.5


def test_every_true_result_has_a_false_variant(corpus):
    labels = {rid: truth for _, _, exp in corpus for rid, truth in exp.items()}
    false_stems = {_stem(rid) for rid, truth in labels.items() if not truth}
    lonely = [rid for rid, truth in labels.items() if truth and _stem(rid) not in false_stems]
    assert not lonely, f"true results without a false variant: {lonely}"


def test_the_corpus_has_results_without_proof_and_with_assumptions(corpus):
    results = [r for _, reg, _ in corpus for r in reg]
    assert sum(not any(c.proof for c in r.claims) for r in results) >= 10
    assert sum(bool(r.assumptions) for r in results) >= 15


# ---------------------------------------------------------------- iclkd's verdicts

def misbehaving(corpus, seed: int) -> list[str]:
    """One line per result whose verdict contradicts its label (or whose check raised)."""
    bad = []
    for _, registry, expected in corpus:
        for r in registry:
            try:
                report = check_result(r, registry, CheckSettings(seed=seed))
            except Exception as exc:  # a traceback is not a verdict
                bad.append(f"{r.id} ({'true' if expected[r.id] else 'false'}): raised {type(exc).__name__}: {exc}")
                continue
            wrong = "refuted" if expected[r.id] else "verified"
            if report.status == wrong:
                kind = "true claim refuted" if expected[r.id] else "false claim verified"
                bad.append(f"{r.id}: {kind} ({report.method}) {report.failure}".rstrip())
    return bad


@pytest.mark.parametrize("seed", [0, 1])
def test_no_false_result_is_verified_and_no_true_result_is_refuted(corpus, seed):
    bad = misbehaving(corpus, seed)
    if bad:  # one message listing every misbehaving result, not the first one only
        pytest.fail(f"{len(bad)} corpus results misbehave at seed {seed}:\n" + "\n".join(bad), pytrace=False)


# ---------------------------------------------------------------- NumPy oracles for the labels
# Each oracle decides one statement at explicit sizes with plain NumPy and returns its truth.
# A false statement is shown false by a concrete counterexample; a true one holds on random
# instances within a tolerance taken from the computation (rounding, or a difference scheme
# that is exact for the function at hand).

RNG = np.random.default_rng(20240615)
EPS = np.finfo(float).eps


def _central_gradient(f, x, h):
    """Central differences, entry by entry: exact for polynomials of degree ≤ 2 up to rounding."""
    g = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        g[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def _complex_step_gradient(f, x, h=1e-30):
    """Complex-step derivatives, entry by entry: no subtraction, accurate to a few ulps."""
    g = np.zeros(x.shape)
    for idx in np.ndindex(*x.shape):
        e = np.zeros(x.shape, dtype=complex)
        e[idx] = 1j * h
        g[idx] = f(x + e).imag / h
    return g


def _close(a, b, rtol):
    return bool(np.max(np.abs(a - b)) <= rtol * max(np.max(np.abs(a)), np.max(np.abs(b))))


def oracle_linear_trace_gradient(transpose: bool) -> bool:
    n = 4
    X, A = RNG.normal(size=(n, n)), RNG.normal(size=(n, n))
    g = _central_gradient(lambda Y: np.trace(Y @ A), X, 1.0)  # f is linear: exact up to rounding
    return _close(g, A.T if transpose else A, 1e-12)


def oracle_symmetric_quadratic_gradient(symmetric: bool) -> bool:
    n = 4
    W = RNG.normal(size=(n, n))
    W = W + W.T if symmetric else W
    x = RNG.normal(size=(n, 1))
    g = _central_gradient(lambda y: (y.T @ W @ y).item(), x, 1.0)  # quadratic: exact up to rounding
    return _close(g, 2 * W @ x, 1e-12)


def oracle_exp_trace_gradient(transpose: bool) -> bool:
    n = 3
    X, A = RNG.normal(0, 0.5, (n, n)), RNG.normal(0, 0.5, (n, n))
    g = _complex_step_gradient(lambda Y: np.exp(np.trace(Y @ A)), X)
    return _close(g, np.exp(np.trace(X @ A)) * (A.T if transpose else A), 1e-13)


def oracle_product_rule_small_term(keep_small_term: bool) -> bool:
    """∇[tr(XA)·exp(tr(BX)/10¹⁰)]: the second term is ~1e-10 of the first; complex steps see it."""
    n, s = 3, 1e10
    X, A, B = RNG.normal(size=(n, n)), RNG.normal(size=(n, n)), RNG.normal(size=(n, n))
    g = _complex_step_gradient(lambda Y: np.trace(Y @ A) * np.exp(np.trace(B @ Y) / s), X)
    claim = np.exp(np.trace(B @ X) / s) * (A.T + (np.trace(X @ A) * B.T / s if keep_small_term else 0))
    return _close(g, claim, 1e-13)


def oracle_sherman_morrison(with_one: bool) -> bool:
    n = 5
    A = np.eye(n) + 0.2 * RNG.normal(size=(n, n))
    u, v = RNG.normal(size=(n, 1)), RNG.normal(size=(n, 1))
    Ai = np.linalg.inv(A)
    denom = (v.T @ Ai @ u).item() + (1.0 if with_one else 0.0)
    return _close(np.linalg.inv(A + u @ v.T), Ai - Ai @ u @ v.T @ Ai / denom, 1e-9)


def oracle_gram_inverse(projector: bool) -> bool:
    X = RNG.normal(size=(5, 3))
    G = np.linalg.inv(X.T @ X)
    if projector:  # X(XᵀX)⁻¹Xᵀ is a projector of rank 3, its trace 3, not 5
        return bool(abs(np.trace(X @ G @ X.T) - 5) < 1e-6)
    return _close(G @ X.T @ X, np.eye(3), 1e-10)


def _cayley_hamilton_3(X):
    p1, p2, p3 = np.trace(X), np.trace(X @ X), np.trace(X @ X @ X)
    e2, e3 = (p1**2 - p2) / 2, (p1**3 - 3 * p1 * p2 + 2 * p3) / 6
    return X @ X @ X - p1 * X @ X + e2 * X - e3 * np.eye(len(X))


def oracle_cayley_hamilton_3(n: int) -> bool:
    X = RNG.normal(size=(n, n))
    scale = np.max(np.abs(X)) ** 3 * n**2
    return bool(np.max(np.abs(_cayley_hamilton_3(X))) <= 1e3 * EPS * scale)


def oracle_e3_vanishes_at_3() -> bool:
    """tr(X)³ − 3tr(X)tr(X²) + 2tr(X³) = 6 det X at n = 3: zero only if X is singular."""
    X = RNG.normal(size=(3, 3))
    p1, p2, p3 = np.trace(X), np.trace(X @ X), np.trace(X @ X @ X)
    value = p1**3 - 3 * p1 * p2 + 2 * p3
    assert abs(value - 6 * np.linalg.det(X)) < 1e-9 * (1 + abs(value))  # the identity behind the label
    return bool(abs(value) < 1e-9)


def oracle_standard_polynomial(n: int) -> bool:
    mats = [RNG.normal(size=(n, n)) for _ in range(4)]
    total = np.zeros((n, n))
    for perm in permutations(range(4)):
        sign = (-1) ** sum(perm[i] > perm[j] for i in range(4) for j in range(i + 1, 4))
        total += sign * mats[perm[0]] @ mats[perm[1]] @ mats[perm[2]] @ mats[perm[3]]
    return bool(np.max(np.abs(total)) < 1e-10)


def oracle_kronecker_with_identity_commutes() -> bool:
    A = RNG.normal(size=(2, 2))
    return bool(np.array_equal(np.kron(A, np.eye(2)), np.kron(np.eye(2), A)))


def oracle_trace_of_kronecker() -> bool:
    A, D = RNG.normal(size=(3, 3)), RNG.normal(size=(4, 4))
    return bool(abs(np.trace(np.kron(A, D)) - np.trace(A) * np.trace(D)) < 1e-12 * 12 * np.abs(A).max() * np.abs(D).max())


def oracle_abs_minus_three(upper_bound: bool) -> bool:
    xs = np.linspace(0.01, 3.0, 300) if upper_bound else np.linspace(0.01, 10.0, 1000)
    return bool(np.all(np.abs(xs - 3) == 3 - xs))


def oracle_two_absolute_values(bounded: bool) -> bool:
    xs = np.linspace(-5, 5, 1001) if bounded else np.linspace(-20, 20, 4001)
    return bool(np.allclose(np.abs(xs - 5) + np.abs(xs + 5), 10, rtol=0, atol=1e-12))


def oracle_gauss_sum(off_by_one: bool) -> bool:
    return all(sum(range(1, n + 1)) == (n * (n - 1) // 2 if off_by_one else n * (n + 1) // 2) for n in range(1, 60))


def oracle_quartic_vanishes() -> bool:
    """(n−1)(n−2)(n−3)(n−4)‖a‖² = 0 for a ∈ R^n, at n = 1…8."""
    return all((n - 1) * (n - 2) * (n - 3) * (n - 4) * float(np.sum(RNG.normal(size=n) ** 2)) == 0 for n in range(1, 9))


def oracle_positive_definite_form(hypothesis: str) -> bool:
    d = 4
    G = RNG.normal(size=(d, d))
    A = {"positive definite": G @ G.T + np.eye(d), "symmetric": -np.eye(d)}[hypothesis]  # −I is symmetric
    zs = RNG.normal(size=(200, d))
    return bool(np.all(np.einsum("ki,ij,kj->k", zs, A, zs) > 0))


ORACLES = {
    "MC1": lambda: oracle_linear_trace_gradient(True),
    "MC1_noT": lambda: oracle_linear_trace_gradient(False),
    "MC3_sym": lambda: oracle_symmetric_quadratic_gradient(True),
    "MC3_noT": lambda: oracle_symmetric_quadratic_gradient(False),
    "MC10": lambda: oracle_exp_trace_gradient(True),
    "MC10_noT": lambda: oracle_exp_trace_gradient(False),
    "MC11": lambda: oracle_product_rule_small_term(True),
    "MC11_drop": lambda: oracle_product_rule_small_term(False),
    "INV5": lambda: oracle_sherman_morrison(True),
    "INV5_denom": lambda: oracle_sherman_morrison(False),
    "INV4": lambda: oracle_gram_inverse(False),
    "INV4_proj": lambda: oracle_gram_inverse(True),
    "SS2_n3": lambda: oracle_cayley_hamilton_3(3),
    "SS2": lambda: oracle_cayley_hamilton_3(4),
    "SS4": oracle_e3_vanishes_at_3,
    "SS12_2": lambda: oracle_standard_polynomial(2),
    "SS12": lambda: oracle_standard_polynomial(3),
    "SS1": oracle_quartic_vanishes,
    "TK10": oracle_kronecker_with_identity_commutes,
    "TK3": oracle_trace_of_kronecker,
    "SF10_T": lambda: oracle_abs_minus_three(True),
    "SF10": lambda: oracle_abs_minus_three(False),
    "SF11_T": lambda: oracle_two_absolute_values(True),
    "SF11": lambda: oracle_two_absolute_values(False),
    "SF5": lambda: oracle_gauss_sum(False),
    "SF5_minus": lambda: oracle_gauss_sum(True),
    "DOM4": lambda: oracle_positive_definite_form("positive definite"),
    "DOM4_sym": lambda: oracle_positive_definite_form("symmetric"),
}


@pytest.mark.parametrize("rid", sorted(ORACLES))
def test_numpy_oracle_agrees_with_the_label(corpus, rid):
    labels = {r: truth for _, _, exp in corpus for r, truth in exp.items()}
    assert ORACLES[rid]() == labels[rid]


def test_the_oracles_separate_true_from_false():
    """Each oracle pair disagrees: neither half is true (or false) by construction."""
    pairs = [("MC1", "MC1_noT"), ("MC11", "MC11_drop"), ("INV5", "INV5_denom"), ("SS2_n3", "SS2"),
             ("SF11_T", "SF11"), ("DOM4", "DOM4_sym"), ("SS12_2", "SS12")]
    assert all(ORACLES[t]() and not ORACLES[f]() for t, f in pairs)
