"""``iclkd selftest``: mutants are built from SymPy trees, classified, and the checker kills
the ones that matter; a weak check is reported as survived."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import sympy as sp

from iclkd.check import CheckSettings, check_result
from iclkd.derivations.brewing import attention, distillation, kernel
from iclkd.derivations.brewing.notation import D_prime, N, V_D, W, a, b, eta
from iclkd.numeric_checks.probe import clearly_nonzero
from iclkd.selftest.equivalence import equivalence_reason
from iclkd.selftest.mutations import edits, mutants
from iclkd.selftest.runner import EQUIVALENT, INVALID, KILLED, SURVIVED, SelfTest, sample
from iclkd.selftest.trees import ill_formed, swap_symbols
from iclkd.symbolic.algebra import is_zero
from iclkd.symbolic.rules import Bound

from variants import with_claim

ROOT = Path(__file__).parent.parent


def find(result, *, part, operator, change=None, claim=None):
    found = [m for m in mutants(result) if m.part == part and m.operator == operator
             and (change is None or m.change == change) and (claim is None or m.claim == claim)]
    assert found, f"no {operator} mutant at {part} {change}"
    return found[0]


def run_one(registry, result, mutant):
    st = SelfTest(registry)
    return st.run_mutant(mutant, st.baseline(result))


def test_r7a_two_to_one_is_killed(registry):
    Phi_D = distillation.Phi_D
    two_to_one = -(2 * V_D - W * Phi_D) * Phi_D.T / N  # the 2 of 2·W·Φ_D became 1
    m = next(m for m in mutants(distillation.R7) if m.claim == "(a)" and m.part == "rhs"
             and m.mutated is not None and is_zero(m.mutated - two_to_one))
    out = run_one(registry, distillation.R7, m)
    assert out.verdict == KILLED, out.status
    assert out.status == "refuted" and "R7(a) step 1 (matrix calculus)" in out.killed_by


def test_swapping_n_and_d_prime_is_killed(registry):
    m = find(distillation.R8, claim="(b)", part="rhs", operator="swap-symbols", change=f"({D_prime}, {N}) → ({N}, {D_prime})")
    assert m.mutated.rhs == D_prime / (2 * N)
    assert run_one(registry, distillation.R8, m).verdict == KILLED


def test_reordering_an_add_is_equivalent():
    x, y = sp.symbols("x y")
    assert equivalence_reason(x + 2 * y, 2 * y + x) == "structurally the original"
    assert equivalence_reason(x + 2 * y, sp.Add(2 * y, x, evaluate=False)) is not None
    assert equivalence_reason(sp.Trace(a.T * b), sp.Trace(b.T * a)) == "equal to the original (engine normal form)"
    assert equivalence_reason(x + 2 * y, x + y) is None


def test_transposed_scalar_mutant_is_classified_equivalent(registry):
    m = find(kernel.R1, part="rhs", operator="transpose", change="a.T*b → b.T*a")
    out = run_one(registry, kernel.R1, m)
    assert out.verdict == EQUIVALENT, (out.verdict, out.killed_by)


def test_ill_formed_mutants_are_invalid_not_killed(registry):
    m = find(distillation.R7, claim="(a)", part="rhs", operator="transpose", change="Phi_D.T → Phi_D")
    assert m.result is None and "columns" in m.invalid_reason
    assert run_one(registry, distillation.R7, m).verdict == INVALID
    assert ill_formed(sp.Trace(V_D)) and ill_formed(sp.Add(eta, W)) and ill_formed(W * W)
    assert ill_formed(V_D * V_D.T) is None


def test_every_operator_is_generated_from_the_trees():
    ops = {m.operator for m in mutants(distillation.R7)}
    assert {"constant", "sign", "drop-term", "drop-factor", "transpose", "inverse", "swap-symbols",
            "flip-inequality", "strict-inequality"} <= ops
    assert {e.operator for e in edits(2 * eta / N)} >= {"constant", "drop-factor"}
    assert swap_symbols(eta / N * V_D, eta, N) == N / eta * V_D  # sizes of V_D untouched


def test_strict_inequality_needs_a_strict_rule(registry):
    m = find(kernel.R3, claim="(b)", part="relation", operator="strict-inequality")
    out = run_one(registry, kernel.R3, m)
    assert out.verdict == KILLED and out.status == "unproved", out.killed_by
    report = check_result(m.result, registry)
    assert report.status == "unproved" and "strict" in report.failure
    assert Bound(strict=True).relations == ("<=", "<")


def test_normaliser_mutant_is_killed_by_the_token_level_oracle(registry):
    m = find(attention.R4, part=f"definition {D_prime}", operator="drop-term")
    out = run_one(registry, attention.R4, m)
    assert out.verdict == KILLED and out.killed_by.startswith("numeric check token-level oracle")


def test_stop_at_refutation_keeps_the_status(registry):
    broken = with_claim(kernel.R1, "", rhs=sp.exp(2 * sp.Trace(a.T * b)))
    full = check_result(broken, registry, CheckSettings())
    quick = check_result(broken, registry, CheckSettings(), stop_at_refutation=True)
    assert full.status == quick.status == "refuted" and full.failure == quick.failure
    assert len(quick.numeric) <= len(full.numeric)


def test_sample_is_deterministic_and_capped():
    items = list(range(50))
    assert sample(items, 7, 3, "R7") == sample(items, 7, 3, "R7")
    assert sample(items, 7, 3, "R7") != sample(items, 7, 4, "R7")
    assert len(sample(items, 7, 3, "R7")) == 7 and sample(items, None, 0, "R7") == items


def test_nonzero_probe_skips_a_hopeless_simplify_but_keeps_proofs():
    omega, u = kernel.omega, kernel.u  # a wrong R3(d) summand: sp.simplify spends ~13 s on it
    hopeless = sp.exp(2 * sp.Trace(omega.T * u) - sp.Trace(u.T * u)) - sp.exp(-sp.Trace(u.T * u))
    assert clearly_nonzero(hopeless)
    start = time.monotonic()
    assert is_zero(hopeless) is None
    assert time.monotonic() - start < 3
    x = sp.Symbol("x", real=True)
    assert not clearly_nonzero(sp.exp(x) ** 2 - sp.exp(2 * x))
    assert is_zero((sp.exp(x) + 1) ** 2 - sp.exp(2 * x) - 2 * sp.exp(x) - 1) is True


WEAK_MODULE = '''
import sympy as sp
from iclkd import Algebra, Claim, Definition, Result, Step

x, y = sp.symbols("x y", real=True)

RESULTS = [Result("U7", "Lemma U", "a definition nothing reads", claims=(
    Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),)),),
    definitions=(Definition(y, 3 * x, "unused"),))]
'''


def test_weak_module_mutant_is_reported_as_survived(tmp_path):
    module = tmp_path / "weak.py"
    module.write_text(textwrap.dedent(WEAK_MODULE))
    out_json = tmp_path / "st.json"
    out = subprocess.run([sys.executable, "-m", "iclkd", "selftest", "--file", str(module), "--json", str(out_json)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    data = json.loads(out_json.read_text())
    assert set(data["summary"]) >= {"total", "equivalent", "invalid", "killed", "survived", "kill_rate"}
    survived = [m for m in data["mutants"] if m["status"] == "verified" and m["verdict"] == SURVIVED]
    assert survived and all(m["where"].startswith("definition y") for m in survived)
    assert set(survived[0]) >= {"result", "claim", "operator", "where", "mutant", "status", "killed_by"}
    assert "surviving mutant" in out.stdout and "definition y" in out.stdout
    killed = [m for m in data["mutants"] if m["verdict"] == KILLED]
    assert killed and all(m["killed_by"] for m in killed)


def test_cli_caps_mutants_and_writes_the_summary(tmp_path):
    out_json = tmp_path / "st.json"
    out = subprocess.run([sys.executable, "-m", "iclkd", "selftest", "R5", "--mutants", "6", "--seed", "2",
                          "--json", str(out_json)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out_json.read_text())
    assert data["summary"]["total"] == 6 == len(data["mutants"])
    assert data["summary"]["kill_rate"] == 1.0


def test_progress_off_a_terminal_is_one_line_per_interval():
    import io
    from types import SimpleNamespace

    from iclkd.commands.selftest import Progress

    outcome = SimpleNamespace(mutant=SimpleNamespace(result_id="R5", where="lhs"), verdict="killed")
    quiet, chatty = io.StringIO(), io.StringIO()
    slow, fast = Progress(quiet, every=3600), Progress(chatty, every=0)
    for done in range(1, 5):
        slow(done, 4, outcome)
        fast(done, 4, outcome)
    assert quiet.getvalue().splitlines() == [quiet.getvalue().splitlines()[0]]
    assert quiet.getvalue().startswith("selftest: 4/4 mutants checked (100%)")
    assert len(chatty.getvalue().splitlines()) == 4 and "\r" not in chatty.getvalue()


def _inner_product_result(hypothesis):
    from iclkd import Assumption, Claim, Result, Step
    from iclkd.symbolic.objects import sqnorm
    from iclkd.symbolic.registry import Registry
    from iclkd.symbolic.rules import Bound as B

    n = sp.Symbol("n", integer=True, positive=True)
    u, v = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
    claim = Claim("(a)", -sp.Trace(u.T * v), sp.sqrt(sqnorm(u)), relation="<=",
                  proof=(Step(sp.sqrt(sqnorm(u)), B("Cauchy–Schwarz and ‖v‖ ≤ 1"), relation="<="),),
                  given=(Assumption(hypothesis(u, v), "hypothesis"),))
    result = Result("S1", "s", "symmetry", claims=(claim,))
    return result, Registry([result])


def test_a_sign_change_undone_by_negating_a_variable_is_equivalent():
    from iclkd.selftest.equivalence import SYMMETRY, mutant_equivalence
    from iclkd.symbolic.objects import sqnorm

    result, registry = _inner_product_result(lambda u, v: 1 - sqnorm(v) >= 0)
    m = find(result, part="lhs", operator="drop-factor", change="-Trace(u.T*v) → Trace(u.T*v)")
    assert mutant_equivalence(m, registry) == SYMMETRY, m.where


def test_a_sign_change_is_not_equivalent_when_a_hypothesis_is_not_symmetric():
    from iclkd.selftest.equivalence import mutant_equivalence

    # tr(uᵀv) ≥ 0 changes under u ↦ −u and under v ↦ −v: the mutant tr(uᵀv) ≤ ‖u‖ is a different statement
    result, registry = _inner_product_result(lambda u, v: sp.Trace(u.T * v) >= 0)
    m = find(result, part="lhs", operator="drop-factor", change="-Trace(u.T*v) → Trace(u.T*v)")
    assert mutant_equivalence(m, registry) is None, m.where


# Cheapest killer first: the numeric stage, its equivalence guard, and agreement with the long way.

def _small(claim, rid="S2"):
    from iclkd import Result
    from iclkd.symbolic.registry import Registry

    result = Result(rid, "s", "a small result", claims=(claim,))
    return result, Registry([result])


def test_a_step_its_numbers_refute_kills_the_mutant_without_sympy():
    from iclkd import Algebra, Claim, Step

    x = sp.Symbol("x", real=True)
    result, registry = _small(Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),)))
    m = next(m for m in mutants(result) if m.part == "rhs" and m.mutated == x**2 + x + 1)  # 2x became x
    st = SelfTest(registry)
    out = st.run_mutant(m, st.baseline(result))
    assert (out.verdict, out.status, out.stage) == (KILLED, "refuted", "numeric")
    assert out.killed_by == "S2 step 1 (algebra): refuted"
    assert set(out.stage_seconds) == {"structural", "numeric"}  # neither equivalence detection nor the checker ran


def test_a_weaker_inequality_with_a_refuted_step_is_still_equivalent():
    from iclkd import Algebra, Claim, Step
    from iclkd.selftest.cheap import refuting_step
    from iclkd.selftest.equivalence import IMPLIED

    x = sp.Symbol("x", positive=True)
    claim = Claim("", x**2, (x - 1) ** 2 + 2 * x, relation="<=",
                  proof=(Step(x**2 + 1, Bound(), relation="<="), Step((x - 1) ** 2 + 2 * x, Algebra())))
    result, registry = _small(claim)
    m = next(m for m in mutants(result) if m.part == "rhs" and m.mutated == (x - 1) ** 2 + 3 * x)
    # x² ≤ (x−1)² + 3x is implied by the original (x > 0), but its step x² + 1 = (x−1)² + 3x is false
    assert check_result(m.result, registry).status == "refuted"
    assert refuting_step(m, registry, CheckSettings()) == ("S2 step 2 (algebra): refuted", "refuted")
    fast, slow = SelfTest(registry), SelfTest(registry, fast=False)
    base = fast.baseline(result)
    assert base.status == "verified"
    new, old = fast.run_mutant(m, base), slow.run_mutant(m, base)
    assert (new.verdict, new.reason) == (old.verdict, old.reason) == (EQUIVALENT, IMPLIED)


def test_numbers_rule_out_a_symmetry_only_where_a_hypothesis_changes():
    from iclkd.selftest.equivalence import IMPLIED, NORMAL_FORM, SYMMETRY
    from iclkd.selftest.witness import ruled_out
    from iclkd.symbolic.objects import sqnorm

    change = "-Trace(u.T*v) → Trace(u.T*v)"
    symmetric, reg_s = _inner_product_result(lambda u, v: 1 - sqnorm(v) >= 0)
    m = find(symmetric, part="lhs", operator="drop-factor", change=change)
    shown = ruled_out(m, reg_s, CheckSettings())
    assert NORMAL_FORM in shown and IMPLIED in shown and SYMMETRY not in shown  # tr(uᵀv) ≤ ‖u‖ is true
    asymmetric, reg_a = _inner_product_result(lambda u, v: sp.Trace(u.T * v) >= 0)
    m = find(asymmetric, part="lhs", operator="drop-factor", change=change)
    assert SYMMETRY in ruled_out(m, reg_a, CheckSettings())  # tr(uᵀv) ≥ 0 changes under u ↦ −u


def test_fast_and_long_way_agree_on_small_results(registry):
    fast, slow = SelfTest(registry), SelfTest(registry, fast=False)
    stages, pairs = [], []
    for result, cap in ((kernel.R1, 12), (attention.R5, None), (registry.get("R14"), None)):
        base = fast.baseline(result)
        for m in sample([m for m in mutants(result) if m.result is not None], cap, 0, result.id):
            new, old = fast.run_mutant(m, base), slow.run_mutant(m, base)
            pairs.append((m.where, new.verdict, new.status, old.verdict, old.status))
            stages.append(new.stage)
    assert all(p[1:3] == p[3:5] for p in pairs), [p for p in pairs if p[1:3] != p[3:5]]
    assert len(pairs) >= 25 and stages.count("numeric") >= 10
    assert {p[1] for p in pairs} >= {KILLED, EQUIVALENT}


def test_jobs_default_to_the_usable_cores():
    import argparse
    import os

    from iclkd.commands import selftest as command

    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers())
    assert parser.parse_args(["selftest"]).jobs == len(os.sched_getaffinity(0))


def test_a_changed_definition_is_rechecked_only_where_a_claim_reads_it(registry):
    from iclkd.selftest.cheap import claims_to_check

    r7 = distillation.R7  # W_star occurs in (d) only, W_1 in (b) only
    names = [c.name for c in r7.claims]
    fast, slow = SelfTest(registry), SelfTest(registry, fast=False)
    base = fast.baseline(r7)
    for symbol, reader in (("W_star", "(d)"), ("W_1", "(b)")):
        chosen = [m for m in mutants(r7) if m.part == f"definition {symbol}" and m.result is not None
                  and m.mutated != m.original][:4]
        assert chosen and all(m.claims_to_check is None for m in chosen)
        for m in chosen:
            assert claims_to_check(m, registry) == {names.index(reader)}, m.where
            new, old = fast.run_mutant(m, base), slow.run_mutant(m, base)
            assert (new.verdict, new.status) == (old.verdict, old.status), m.where


def test_a_step_whose_numbers_cannot_be_had_kills_cheaply_with_the_checkers_status():
    """R11's definition mutants: a step whose evaluation fails is an ``error`` step in the checker,
    so the cheap stage kills; the status (error, or refuted by a numeric check of the result) is
    the full checker's, and so is ``killed_by``."""
    from iclkd.paper import load_paper

    registry = load_paper("brewing").registry()
    r11 = registry.get("R11")
    fast, slow = SelfTest(registry), SelfTest(registry, fast=False)
    base = fast.baseline(r11)
    chosen = [m for m in fast.mutants_of(r11)[0] if m.part == "definition R_v" and m.result is not None][:8]
    pairs = [(fast.run_mutant(m, base), slow.run_mutant(m, base)) for m in chosen]
    cheap_errors = [(new, old) for new, old in pairs if new.stage == "numeric" and "error" in new.killed_by]
    assert len(cheap_errors) >= 2
    for new, old in cheap_errors:
        assert new.verdict == old.verdict == KILLED
        assert (new.status, new.killed_by) == (old.status, old.killed_by)
        assert "checker" not in new.stage_seconds
    assert "error" in {str(new.status) for new, _ in cheap_errors}
    assert all(new.verdict == old.verdict for new, old in pairs)
