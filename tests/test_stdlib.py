"""The standard library of identities: every entry verified with its reference, a false variant
of every entry refuted, and ``Use`` as a checked rewrite in a user's proof."""
from __future__ import annotations

import dataclasses
import random

import pytest
import sympy as sp
from sympy import Q

from iclkd import Algebra, Assumption, Claim, Gradient, GaussianExpectation, Result, Step, Substitute, Use
from iclkd.check import CheckSettings, check_result
from iclkd.errors import ResultDefinitionError
from iclkd.selftest.equivalence import mutant_equivalence
from iclkd.selftest.mutations import mutants
from iclkd.stdlib import entries, library
from iclkd.symbolic.registry import Registry

IDS = [r.id for r in entries()]
MUTANTS_PER_ENTRY = 1
d, k = sp.symbols("d k", integer=True, positive=True)


def check(result, registry=None):
    return check_result(result, registry or Registry([result]), CheckSettings())


def test_the_library_has_at_least_100_entries_with_unique_dotted_names():
    assert len(IDS) >= 100 and len(set(IDS)) == len(IDS)
    assert all("." in i for i in IDS)


@pytest.mark.parametrize("rid", IDS)
def test_every_entry_is_verified_and_has_a_reference(rid):
    result = library().get(rid)
    assert result.references and all(len(r) > 10 for r in result.references)
    assert result.label and result.title
    report = check(result, library())
    assert report.status == "verified", report.failure


# Mutants that survive because they are true statements the equivalence check does not see.
EXPLAINED_SURVIVORS = {
    # (∇ tr X)⁻¹ = I⁻¹ = I and (∇ tr X)ᵀ = Iᵀ = I: inverting or transposing the gradient, which
    # is I, leaves the claim true.
    "grad.trace": ("grad.trace lhs: Gradient(Trace(X), X, X) → Gradient(Trace(X), X, X)**(-1)",
                   "grad.trace lhs: Gradient(Trace(X), X, X) → Gradient(Trace(X), X, X).T"),
}


# A covariance is symmetric (positive definite): Σ and Σᵀ are the same matrix in every instance.
SYMMETRIC_COVARIANCE = ("Sigma → Sigma.T",)
# A mean does not depend on the covariance: with Σ changed (to Σ⁻¹, say) it is still μ.
COVARIANCE_FREE = ("normal.mean", "normal.linear_mean")


def _false_variants(result, count, seed):
    """Up to ``count`` valid mutants of ``result`` not shown equivalent, in a fixed random order,
    as ``(where, mutated result)``; an entry every mutant of which is equivalent or ill-formed
    (``tr(aᵀa) = tr(aaᵀ)``: every transpose is the same statement) gets its right side shifted."""
    explained = EXPLAINED_SURVIVORS.get(result.id, ())
    pool = [m for m in mutants(result) if m.result is not None and m.where not in explained
            and not (result.id.startswith("normal.") and m.change in SYMMETRIC_COVARIANCE)
            and not (result.id in COVARIANCE_FREE and m.change.startswith("Sigma → "))]
    random.Random(seed).shuffle(pool)
    chosen = []
    for mutant in pool:
        if mutant_equivalence(mutant, Registry([mutant.result]), seconds=2.0) is None:
            chosen.append((mutant.where, mutant.result))
        if len(chosen) == count:
            return chosen
    return chosen or [_shifted(result)]


def _shifted(result):
    """The entry with its right side ``rhs + 1`` (a scalar) or ``2·rhs`` (a matrix), its proof's
    last step moved with it."""
    claim = result.claims[0]
    rhs = 2 * claim.rhs if getattr(claim.rhs, "is_Matrix", False) else claim.rhs + 1
    steps = claim.proof[:-1] + (dataclasses.replace(claim.proof[-1], expr=rhs),)
    assert mutant_equivalence_of(claim.rhs, rhs) is None
    return "right side shifted", dataclasses.replace(result, claims=(dataclasses.replace(claim, rhs=rhs, proof=steps),))


def mutant_equivalence_of(original, mutated):
    from iclkd.selftest.equivalence import equivalence_reason

    return equivalence_reason(original, mutated, seconds=2.0)


@pytest.mark.parametrize("rid", IDS)
def test_a_false_variant_of_every_entry_is_not_verified(rid):
    result = library().get(rid)
    for where, variant in _false_variants(result, MUTANTS_PER_ENTRY, seed=sum(map(ord, rid))):
        report = check_result(variant, Registry([variant]), CheckSettings(), stop_at_refutation=True)
        assert report.status != "verified", f"{rid}: the mutant {where} survived"


S, T = sp.MatrixSymbol("S", d, d), sp.MatrixSymbol("T", d, d)
F = sp.MatrixSymbol("F", d, k)
I_d, I_k = sp.Identity(d), sp.Identity(k)
LOG_DET = sp.log(sp.Determinant(I_d + F * F.T))
LOG_DET_SMALL = sp.log(sp.Determinant(I_k + F.T * F))


def test_a_user_lemma_takes_fewer_steps_with_use_than_without():
    """log det(I + FFᵀ) = log det(I + FᵀF): with Use, one step; without it, a claim proving the
    determinant identity at explicit sizes and a claim substituting it under the log."""
    with_use = Result("U1", "Lemma 1", "log-det of a Gram matrix", claims=(
        Claim("", LOG_DET, LOG_DET_SMALL, proof=(Step(LOG_DET_SMALL, Use("det.sylvester", F=F, G=F.T)),)),))
    det_claim = Claim("(a)", sp.Determinant(I_d + F * F.T), sp.Determinant(I_k + F.T * F),
                      proof=(Step(sp.Determinant(I_k + F.T * F), Algebra()),))
    without = Result("U2", "Lemma 1", "log-det of a Gram matrix", claims=(
        det_claim, Claim("(b)", LOG_DET, LOG_DET_SMALL, proof=(Step(LOG_DET_SMALL, Substitute("(a)")),))))
    steps_with = sum(len(c.proof) for c in with_use.claims)
    steps_without = sum(len(c.proof) for c in without.claims)
    assert (check(with_use).status, check(without).status) == ("verified", "verified")
    assert steps_with < steps_without


def test_without_use_algebra_alone_does_not_prove_the_log_det_lemma():
    alone = Result("U3", "Lemma 1", "log-det", claims=(Claim("", LOG_DET, LOG_DET_SMALL,
                                                               proof=(Step(LOG_DET_SMALL, Algebra()),)),))
    assert check(alone).status == "unproved"


def test_a_use_whose_instance_does_not_match_is_not_proved_and_says_why():
    wrong = Result("U4", "Lemma 1", "log-det", claims=(Claim("", LOG_DET, LOG_DET_SMALL, proof=(
        Step(LOG_DET_SMALL, Use("det.sylvester", F=S, G=T)),)),))
    report = check(wrong)
    assert report.status == "unproved"
    assert "det.sylvester: its instance's left side Determinant(I + S*T) does not occur in the step" in report.failure


def test_a_use_whose_rewrite_leaves_the_sides_apart_is_not_proved_and_says_why():
    """The step is true (the numbers pass) but the trace rewrite does not account for the log-det."""
    before, after = LOG_DET + sp.Trace(S * T), LOG_DET_SMALL + sp.Trace(T * S)
    result = Result("U5", "Lemma 1", "trace", claims=(Claim("", before, after, proof=(
        Step(after, Use("trace.commute", F=S, G=T)),)),))
    report = check(result)
    assert report.status == "unproved"
    assert "trace.commute: rewriting Trace(S*T) as Trace(T*S) does not turn the previous expression into the next" \
        in report.failure


def test_a_false_step_by_use_is_refuted():
    claimed = sp.Trace(S * T) + 1
    wrong = Result("U10", "Lemma 1", "trace", claims=(Claim("", sp.Trace(S * T), claimed, proof=(
        Step(claimed, Use("trace.commute", F=S, G=T)),)),))
    assert check(wrong).status == "refuted"  # the numbers see the false step first


def test_a_use_missing_an_assumption_is_not_proved():
    X = sp.MatrixSymbol("X", d, d)
    lhs, rhs = Gradient(sp.log(sp.Determinant(X)), X), sp.Inverse(X).T
    claim = Claim("", lhs, rhs, proof=(Step(rhs, Use("det.log_grad", X=X)),))
    stated = Result("U6", "Lemma 1", "log-det gradient", claims=(claim,),
                    assumptions=(Assumption(Q.positive_definite(X), "X positive definite"),))
    assert check(stated).status == "verified"
    decision = Use("det.log_grad", X=X).symbolic(lhs, rhs, _context(Result("U7", "Lemma 1", "t", claims=(claim,))))
    assert decision.equal is None
    assert decision.detail == ("det.log_grad needs the hypothesis Q.positive_definite(X), "
                               "which this result does not state")


def test_a_positive_symbol_of_an_entry_needs_a_positive_instance():
    y = sp.Symbol("y", real=True)
    x = sp.Symbol("x", positive=True)
    ctx = _context(Result("U8", "Lemma 1", "t", claims=(Claim("", y, y),)))
    decision = Use("log.product", x=y, y=x).symbolic(sp.log(x * y), sp.log(y) + sp.log(x), ctx)
    assert decision.equal is None and decision.detail.startswith("log.product needs the hypothesis y > 0")


def _context(result):
    from iclkd.symbolic.context import ProofContext

    return ProofContext(result, Registry([result]), 0)


def test_a_use_of_a_cited_entry_is_cited():
    w, A = sp.MatrixSymbol("omega", d, 1), sp.MatrixSymbol("A", d, d)
    lhs = GaussianExpectation(sp.Trace(w.T * A * w), w) + 1
    result = Result("U9", "Lemma 1", "quadratic form", sizes={d: (1, 2)}, claims=(Claim("", lhs, sp.Trace(A) + 1, proof=(
        Step(sp.Trace(A) + 1, Use("gauss.quadratic_form", omega=w, A=A)),)),))
    report = check(result)
    assert (report.status, report.method, report.steps[0].status) == ("verified", "cited", "cited")


def test_an_unknown_entry_is_a_one_line_definition_error_naming_the_prefixes():
    with pytest.raises(ResultDefinitionError) as info:
        Use("trace.cyclc")
    message = str(info.value)
    assert "\n" not in message and message.startswith("no library entry 'trace.cyclc' (names start with trace, ")
    assert "inverse" in message and "grad" in message


def test_an_instance_of_the_wrong_shape_is_a_definition_error():
    with pytest.raises(ResultDefinitionError, match="shape mismatch: A is n×n in the entry, F is d×k"):
        Use("inverse.woodbury", A=F)
    with pytest.raises(ResultDefinitionError, match="has no symbol 'Z'"):
        Use("inverse.woodbury", Z=S)
    with pytest.raises(ResultDefinitionError, match="c is a scalar in the entry"):
        Use("trace.scalar", c=S)


def test_the_engine_does_not_import_the_library():
    import subprocess
    import sys

    code = ("import sys, iclkd, iclkd.check; from iclkd.paper import load_paper; load_paper('brewing').registry(); "
            "print(any(m.startswith('iclkd.stdlib') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_the_readme_lemma_is_verified_by_two_library_steps():
    from pathlib import Path

    from iclkd.paper import module_paper

    paper = module_paper(str(Path(__file__).parent / "user_results" / "library_lemma.py"))
    (lemma,) = paper.results
    report = check(lemma, paper.registry())
    assert report.status == "verified", report.failure
    assert [s.rule for s in report.steps[1:3]] == ["by Matrix Cookbook (57)",
                                                   "by Matrix Cookbook (100)"]
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert 'Use("det.log_grad", X=X)' in readme


def test_an_unbound_instance_is_matched_in_the_step():
    C = sp.MatrixSymbol("C", k, k)
    lhs = sp.Inverse(S + F * C * F.T)
    rhs = sp.Inverse(S) - sp.Inverse(S) * F * sp.Inverse(sp.Inverse(C) + F.T * sp.Inverse(S) * F) * F.T * sp.Inverse(S)
    result = Result("U11", "Lemma 1", "Woodbury, matched", claims=(Claim("", lhs, rhs, proof=(
        Step(rhs, Use("inverse.woodbury")),)),))
    report = check(result)
    assert (report.status, report.method) == ("verified", "symbolic-dims"), report.failure


def test_a_match_that_lacks_a_hypothesis_names_it():
    x, y = sp.Symbol("x", positive=True), sp.Symbol("y", real=True)
    decision = Use("log.product").symbolic(sp.log(x * y**2), sp.log(x) + sp.log(y**2), None)
    assert decision.equal is None
    assert decision.detail == ("log.product needs the hypothesis y**2 > 0 (y is positive in the entry), "
                               "which this result does not state")


def test_an_instance_that_captures_a_bound_variable_is_not_proved():
    """E_w[e^{wᵀw}] is not e^{‖w‖²/2}: binding a := w inside the expectation over w is refused."""
    w = sp.MatrixSymbol("w", d, 1)
    lhs = GaussianExpectation(sp.exp(sp.Trace(w.T * w)), w)
    decision = Use("gauss.mgf", omega=w, a=w).symbolic(lhs, sp.exp(sp.Trace(w.T * w) / 2), None)
    assert decision.equal is None
    assert decision.detail == "gauss.mgf: the instance of a, w, contains w, the variable omega is bound to"
    matched = Use("gauss.mgf").symbolic(lhs, sp.exp(sp.Trace(w.T * w) / 2), None)
    assert matched.equal is None  # the match proposes a := w too, and is refused alike


def test_a_gradient_instance_that_captures_its_variable_is_not_proved():
    X = sp.MatrixSymbol("X", d, d)
    decision = Use("grad.trace_XA", X=X, A=X).symbolic(Gradient(sp.Trace(X * X), X), X.T, None)
    assert decision.equal is None and "contains X, the variable X is bound to" in decision.detail


def test_the_readme_table_counts_the_entries_of_each_topic():
    import importlib
    import re
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    rows = dict(re.findall(r"^\| [^|]+\(`(\w+)\.py`\) \|[^|]+\| (\d+) \|", readme, re.M))
    counts = {t: len(importlib.import_module(f"iclkd.stdlib.{t}").ENTRIES) for t in
              ("trace", "transpose", "inverse", "determinant", "kronecker", "gradients", "norms", "scalar", "gauss",
               "normal")}
    assert {t: int(c) for t, c in rows.items()} == counts
    assert f"holds {len(IDS)} standard identities" in readme
