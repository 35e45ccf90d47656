"""Hardening: time limits everywhere numbers are computed, NaN/inf never pass, no user
string reaches ``sympify``/``eval``, output files are written atomically."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import iclkd.output as output
from iclkd import Algebra, Claim, NumericCheck, Result, Step
from iclkd.check import CheckSettings, check_result
from iclkd.cli import main
from iclkd.numeric_checks.evaluate import EvaluationError
from iclkd.numeric_checks.report import PASSED, CheckOutcome
from iclkd.selftest.mutations import Mutant
from iclkd.selftest.runner import KILLED, SelfTest
from iclkd.symbolic.registry import Registry

from test_engine import SlowSimplify

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "iclkd"
x, y = sp.symbols("x y", real=True)
i = sp.Symbol("i", integer=True, positive=True)


def trivial(rid="H1", checks=(), claim=None):
    claim = claim or Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),))
    return Result(rid, "h", "hardening", claims=(claim,), numeric_checks=tuple(checks))


def check(result, **settings):
    return check_result(result, Registry([result]), CheckSettings(**settings))


# ---------------------------------------------------------------- time limits

def test_hung_numeric_check_is_a_timeout_within_its_limit():
    def forever(result, rng, trials):
        while True:
            np.linalg.inv(rng.normal(size=(30, 30)))

    start = time.monotonic()
    report = check(trivial(checks=[NumericCheck("forever", forever)]), timeout=1.0)
    assert time.monotonic() - start < 5
    assert report.status == "timeout" and report.numeric[0].status == "timeout"


def test_hung_numeric_evaluation_of_a_step_is_a_timeout():
    huge = sp.Sum(x * i, (i, 1, 10**9))  # evaluated term by term: cannot finish
    r = trivial(claim=Claim("", huge, huge, proof=(Step(huge, Algebra()),)))
    start = time.monotonic()
    report = check(r, timeout=1.0)
    assert time.monotonic() - start < 5
    assert report.status == "timeout", report.failure


def test_hung_symbolic_step_of_a_mutant_is_a_timeout_in_the_selftest():
    """tests/test_engine.py's hung ``simplify``, met by the self-test: killed as ``timeout``."""
    original = trivial()
    slow = Result("H1", "h", "hardening", claims=(Claim("", (x + 1) ** 2, x**2 + 2 * x + 2,
                                                        proof=(Step(x**2 + 2 * x + 2, SlowSimplify()),)),))
    mutant = Mutant("H1", "", "rhs", "constant", "1 → 2", x**2 + 2 * x + 1, x**2 + 2 * x + 2, slow, None)
    st = SelfTest(Registry([original]), CheckSettings(timeout=1.0))
    start = time.monotonic()
    out = st.run_mutant(mutant, st.baseline(original))
    assert time.monotonic() - start < 10
    assert out.verdict == KILLED and out.status in ("timeout", "refuted"), (out.status, out.killed_by)


# ---------------------------------------------------------------- NaN, inf, overflow

def test_overflow_in_a_numeric_check_is_an_error_with_the_instance():
    def overflows(result, rng, trials):
        scale = float(rng.uniform(700, 800))
        growth = np.array([scale, scale + 100.0])
        return CheckOutcome("overflow", PASSED, max_error=float(np.max(np.exp(growth))))

    n = check(trivial(checks=[NumericCheck("overflow", overflows)])).numeric[0]
    assert n.status == "error" and "FloatingPointError" in n.detail
    assert n.counterexample["instance"]["scale"] > 700
    assert {"seed", "check_seed", "trials"} <= set(n.counterexample)


def test_nan_in_a_numeric_check_is_an_error():
    def invalid(result, rng, trials):
        value = float(rng.normal()) - 10.0
        return CheckOutcome("nan", PASSED, max_error=float(np.sqrt(np.array(value))))

    report = check(trivial(checks=[NumericCheck("nan", invalid)]))
    assert report.status == "error" and report.numeric[0].counterexample["instance"]["value"] < 0


def test_a_passing_outcome_with_nan_or_inf_is_an_error():
    def lies(result, rng, trials):
        return CheckOutcome("lies", PASSED, trials=trials, max_error=float("nan"), stats={"z": float("inf")})

    n = check(trivial(checks=[NumericCheck("lies", lies)])).numeric[0]
    assert n.status == "error" and "NaN or inf" in n.detail


def test_any_exception_in_a_numeric_check_is_an_error_not_a_crash():
    def broken(result, rng, trials):
        raise EvaluationError("cannot evaluate Foo")

    report = check(trivial(checks=[NumericCheck("broken", broken)]))
    assert report.status == "error" and "EvaluationError" in report.failure


def test_nan_in_a_step_is_an_error_with_a_counterexample():
    nan = sp.exp(x**2 + 800) - sp.exp(y**2 + 800)
    report = check(trivial(claim=Claim("", nan, nan, proof=(Step(nan, Algebra()),))))
    assert report.status == "error" and report.counterexample is not None


# ---------------------------------------------------------------- no user string reaches sympify or eval

FORBIDDEN = re.compile(r"\b(eval|exec|parse_expr|parse_latex|literal_eval)\s*\(|\bS\(\s*[\"']|sympify\([^)]*(args|argv|read|json|text|line)")


def _sources():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_no_eval_exec_or_string_parsing_in_the_package():
    offending = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in _sources()
                 for n, line in enumerate(p.read_text().splitlines(), 1)
                 if FORBIDDEN.search(line) and not line.lstrip().startswith((">>>", "#"))]
    assert not offending, offending


def test_command_modules_never_call_sympify():
    for p in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        assert "sympify" not in p.read_text(), p


@pytest.fixture
def strings_refused(monkeypatch):
    """``sp.sympify`` as the package calls it, refusing strings (SymPy's own calls are untouched)."""
    real = sp.sympify

    def guarded(a, *args, **kwargs):
        assert not isinstance(a, str), f"a string reached sympify: {a!r}"
        return real(a, *args, **kwargs)

    monkeypatch.setattr(sp, "sympify", guarded)


def test_no_string_reaches_sympify_on_cli_paths(strings_refused, tmp_path, capsys):
    module = tmp_path / "user.py"
    module.write_text("import sympy as sp\nfrom iclkd import Algebra, Claim, Result, Step\n"
                      "x = sp.Symbol('x')\nRESULTS = [Result('U1', 'L', 't', claims=(Claim('', (x+1)**2, "
                      "x**2+2*x+1, proof=(Step(x**2+2*x+1, Algebra()),)),))]\n")
    assert main(["check", "R5", "R8", "--json", str(tmp_path / "c.json")]) == 0
    assert main(["check", "--file", str(module)]) == 0
    assert main(["selftest", "R5", "--mutants", "3", "--json", str(tmp_path / "s.json")]) == 0
    assert main(["list", "--file", str(module)]) == 0


def test_hostile_ids_are_unknown_ids_never_evaluated(tmp_path):
    marker = tmp_path / "owned"
    hostile = f"__import__('os').system('touch {marker}')"
    for command in ("check", "selftest"):
        out = subprocess.run([sys.executable, "-m", "iclkd", command, hostile], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
        assert out.returncode == 2 and "unknown result id" in out.stderr
    assert not marker.exists()


# ---------------------------------------------------------------- atomic output

class _Interrupted(Exception):
    pass


def _failing_fdopen(real, exc):
    def fdopen(fd, *args, **kwargs):
        fh = real(fd, *args, **kwargs)
        write = fh.write

        def half_then_fail(data):
            write(data[: len(data) // 2])
            fh.flush()
            raise exc
        fh.write = half_then_fail
        return fh
    return fdopen


@pytest.mark.parametrize("exc", [_Interrupted("disk full"), KeyboardInterrupt()])
def test_interrupted_write_leaves_the_previous_file_intact(tmp_path, monkeypatch, exc):
    target = tmp_path / "report.json"
    output.write_json(target, {"run": 1})
    before = target.read_bytes()
    monkeypatch.setattr(output.os, "fdopen", _failing_fdopen(os.fdopen, exc))
    with pytest.raises(type(exc)):
        output.write_json(target, {"run": 2, "padding": "x" * 10_000})
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left


def test_every_file_the_package_writes_goes_through_write_atomically():
    writes = re.compile(r"open\([^)]*[\"'][wax]b?\+?[\"']|\.write_text\(|\.write_bytes\(|np\.save|\.savefig\(\s*[^b]")
    offending = [f"{p.relative_to(ROOT)}:{n}" for p in _sources() if p.name != "output.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if writes.search(line)]
    assert not offending, offending


# ---------------------------------------------------------------- factored bounds: faster, never looser

def test_factored_bound_is_the_eager_bound_of_the_cheapest_order():
    from iclkd.numeric_checks.bounds import LazyBound
    from iclkd.numeric_checks.evaluate import evaluate, gamma

    rng = np.random.default_rng(3)
    A, B, C = sp.MatrixSymbol("A", 5, 7), sp.MatrixSymbol("B", 7, 3), sp.MatrixSymbol("C", 3, 1)
    a, b, c = rng.normal(size=(5, 7)), rng.normal(size=(7, 3)), rng.normal(size=(3, 1))
    out = evaluate(A * B * C, {A: a, B: b, C: c})
    assert isinstance(out.err, LazyBound)
    bc = b @ c  # the chain order: A (B C), 56 flops instead of 120
    eager = np.abs(a) @ (gamma(3) * np.abs(b) @ np.abs(c)) + gamma(7) * np.abs(a) @ np.abs(bc)
    assert np.allclose(out.val, a @ bc, rtol=0, atol=1e-15)
    assert np.allclose(np.asarray(out.err), eager, rtol=1e-13, atol=0)
    trace = evaluate(sp.Trace((A * B) * (A * B).T), {A: a, B: b})
    assert np.isfinite(float(trace.err)) and float(trace.err) > 0  # materialised where an array is needed


def test_a_nonnegative_chain_keeps_its_bound_a_multiple_of_its_value_and_never_below_the_eager_one():
    from iclkd.numeric_checks.bounds import LazyBound, note_nonnegative
    from iclkd.numeric_checks.evaluate import evaluate, gamma
    from iclkd.numeric_checks.frozen import freeze

    rng = np.random.default_rng(6)
    A, B, C = sp.MatrixSymbol("A", 1, 30), sp.MatrixSymbol("B", 30, 20), sp.MatrixSymbol("C", 20, 1)
    a, b, c = (freeze(rng.uniform(0, 1, shape)) for shape in ((1, 30), (30, 20), (20, 1)))
    for x in (a, b, c):
        note_nonnegative(x)
    out = evaluate(A * B * C, {A: a, B: b, C: c})  # (A B) C: 620 flops against 630
    assert isinstance(out.err, LazyBound) and all(len(fs) == 1 and fs[0] is out.val for _, fs in out.err.terms)
    eager = gamma(30) * (a @ b) @ c + gamma(20) * (a @ b) @ c  # |A||B||C| = ABC for nonnegative factors
    assert np.asarray(out.err)[0, 0] >= eager[0, 0] * (1 - 1e-14)
    assert np.asarray(out.err)[0, 0] <= eager[0, 0] * (1 + 1e-12)


def test_evaluating_and_comparing_leaves_no_reference_cycles():
    """A cycle (a recursive closure was one) keeps every array of an evaluator alive until the
    garbage collector runs: memory is not reused, and large checks pay for fresh pages."""
    import gc

    from iclkd.numeric_checks.compare import compare_float
    from iclkd.numeric_checks.evaluate import Evaluator

    rng = np.random.default_rng(7)
    A, B, C = sp.MatrixSymbol("A", 30, 40), sp.MatrixSymbol("B", 40, 50), sp.MatrixSymbol("C", 50, 20)
    env = {A: rng.normal(size=(30, 40)), B: rng.normal(size=(40, 50)), C: rng.normal(size=(50, 20))}
    left, right = A * B * C, A * (B * C) + sp.ZeroMatrix(30, 20)
    compare_float(Evaluator(env).value(left), Evaluator(env).value(right))  # nodes built, caches warm
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        ev = Evaluator(env, memo={})
        out = compare_float(ev.value(left), ev.value(right))
        assert np.asarray(ev.value(left).err).shape == (30, 20)  # the chain multiplied out as well
        del ev
        gc.collect()
        assert out.holds is True and not gc.garbage, [type(o).__name__ for o in gc.garbage][:10]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_an_infinite_or_nan_rounding_bound_is_never_a_pass():
    from iclkd.numeric_checks.compare import compare_float
    from iclkd.numeric_checks.evaluate import Value

    for bad in (np.inf, np.nan):
        out = compare_float(Value(np.ones((2, 2)), np.full((2, 2), bad)), Value(np.ones((2, 2)), np.zeros((2, 2))))
        assert out.holds is None and out.finite is False
    assert compare_float(Value(np.ones((2, 2)), 1e-16), Value(np.ones((2, 2)), 0.0)).holds is True


def test_an_infinite_coefficient_in_a_factored_bound_is_never_a_pass():
    from iclkd.numeric_checks.bounds import LazyBound
    from iclkd.numeric_checks.compare import compare_float
    from iclkd.numeric_checks.evaluate import Value

    a, b = np.random.default_rng(2).normal(size=(3, 4)), np.random.default_rng(3).normal(size=(4, 5))
    v = a @ b
    magnitude = LazyBound([(1.0, (a, b))], v.shape)
    for bad in (np.inf, np.nan):
        err = LazyBound([(bad, (a, b))], v.shape)  # the floor's ratio would be infinite or NaN
        out = compare_float(Value(v, err, magnitude), Value(v * (1 + 1e-3), err, magnitude))
        assert out.holds is None and out.finite is False, bad


def test_a_large_matrix_chain_gets_a_cauchy_schwarz_bound_never_below_the_exact_one():
    from iclkd.numeric_checks.bounds import EXACT_CHAIN_FLOPS, LazyBound, chain_cost

    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(40, 60)), rng.normal(size=(60, 50))
    assert chain_cost([a.shape, b.shape]) > EXACT_CHAIN_FLOPS  # so the rank-one route is taken
    bound = np.asarray(LazyBound(((1.0, (a, b)),), (40, 50)))
    exact = np.abs(a) @ np.abs(b)
    assert np.all(bound >= exact * (1 - 1e-12))
    # Gaussian rows and columns: Cauchy–Schwarz is within a small factor (π/2 on average).
    assert 1.2 < np.median(bound / exact) < 2.0


def test_comparison_at_a_realistic_size_passes_the_identity_and_refutes_a_tiny_change():
    from iclkd.numeric_checks.compare import compare_float
    from iclkd.numeric_checks.evaluate import Value, evaluate

    rng = np.random.default_rng(5)
    A, B, C = sp.MatrixSymbol("A", 64, 256), sp.MatrixSymbol("B", 256, 300), sp.MatrixSymbol("C", 256, 300)
    env = {A: rng.normal(size=(64, 256)), B: rng.normal(size=(256, 300)), C: rng.normal(size=(256, 300))}
    left, right = evaluate(A * (B + C), env), evaluate(A * B + A * C, env)
    assert compare_float(left, right).holds is True
    nudged = Value(np.asarray(right.val) * (1 + 1e-9), right.err)  # far above roundoff (≈1e-14 here)
    assert compare_float(left, nudged).holds is False


def _matrix_expressions():
    """Products, sums, scalings and transposes of signed and nonnegative matrices, and the env."""
    n, m, k = 6, 9, 40
    A, B, C = sp.MatrixSymbol("A", n, k), sp.MatrixSymbol("B", k, m), sp.MatrixSymbol("C", k, m)
    P, q = sp.MatrixSymbol("P", k, m), sp.MatrixSymbol("q", m, 1)
    c = sp.Symbol("c", positive=True)
    rng = np.random.default_rng(11)
    env = {A: rng.normal(size=(n, k)), B: rng.normal(size=(k, m)), C: rng.normal(size=(k, m)),
           P: rng.uniform(0, 1, size=(k, m)), q: rng.uniform(0, 1, size=(m, 1)), c: 0.37}
    exprs = [A * B, A * (B + C), A * B + A * C, c * (A * B) + A * C / c, (A * B).T, A * P * q, (c * A) * (B - C),
             A * B * B.T * A.T, (A * P + A * B) * q]
    return exprs, env


def test_a_value_is_never_above_its_tracked_magnitude():
    from iclkd.numeric_checks.bounds import LazyBound
    from iclkd.numeric_checks.evaluate import Evaluator

    exprs, env = _matrix_expressions()
    tracked = 0
    for e in exprs:
        out = Evaluator(env).value(e)
        if isinstance(out.mag, LazyBound):
            tracked += 1
            assert np.all(np.abs(out.val) <= np.asarray(out.mag)), e
    assert tracked >= 6  # the magnitudes are tracked for most of them, so the test means something


def test_the_floor_of_a_comparison_is_never_above_its_bound_and_gives_the_same_verdicts():
    from iclkd.numeric_checks import compare
    from iclkd.numeric_checks.evaluate import Evaluator, Value

    exprs, env = _matrix_expressions()
    pairs = [(exprs[1], exprs[2]), (exprs[3], exprs[3]), (exprs[6], exprs[6]), (exprs[8], exprs[8])]
    floors = 0
    for left_expr, right_expr in pairs:
        ev = Evaluator(env)
        left, right = ev.value(left_expr), ev.value(right_expr)
        found = compare._floor_ratio(left, right, np.shape(left.val))
        if found is not None:
            floors += 1
            side, ratio = found
            assert np.all(ratio * np.abs(side) <= compare._total_bound(left.err, right.err)), left_expr
        for factor in (1.0, 1 + 1e-9, 1 - 1e-6, -1.0):
            nudged = Value(np.asarray(right.val) * factor, right.err, right.mag)
            with_floor = compare.compare_float(left, nudged).holds
            full = compare._judge(np.asarray(left.val), np.asarray(nudged.val),
                                  np.atleast_1d(np.abs(np.subtract(left.val, nudged.val))), 0.0,
                                  np.atleast_1d(compare._total_bound(left.err, nudged.err))).holds
            assert with_floor == full, (left_expr, factor)
            if factor != 1.0:
                assert with_floor is False  # a relative change of 1e-9 is far above roundoff here
    assert floors >= 3


def test_entries_that_miss_the_floor_are_decided_by_the_bound_at_those_entries_alone(monkeypatch):
    """Where a side is near zero by cancellation its floor is near zero too: the bound is
    multiplied out at those entries only, and the verdict is still the bound's."""
    from iclkd.numeric_checks import compare
    from iclkd.numeric_checks.evaluate import Value, evaluate

    rng = np.random.default_rng(8)
    A, B, C = sp.MatrixSymbol("A", 64, 256), sp.MatrixSymbol("B", 256, 300), sp.MatrixSymbol("C", 256, 300)
    c = sp.Symbol("c", positive=True)
    b = rng.normal(size=(256, 300))
    cc = rng.normal(size=(256, 300))
    cc[:, 0] = -b[:, 0] * (1 + 1e-13)  # column 0 of AB + AC cancels to about 1e-13 of its terms
    env = {A: rng.normal(size=(64, 256)), B: b, C: cc, c: 0.3}
    left, right = evaluate(c * (A * B + A * C), env), evaluate(c * (A * B) + c * (A * C), env)
    side, ratio = compare._floor_ratio(left, right, (64, 300))
    gap = np.abs(np.asarray(left.val) - np.asarray(right.val))
    missed = np.flatnonzero(gap > compare.ROUNDOFF_SAFETY * ratio * np.abs(side))
    assert 0 < len(missed) <= compare.SPOT_ENTRIES  # the floor alone would not do
    from iclkd.numeric_checks import bounds

    spot = bounds.LazyBound.total((left.err, right.err), (64, 300)).at(missed)
    assert np.all(spot <= np.asarray(compare._total_bound(left.err, right.err)).flat[missed])  # below Cauchy–Schwarz
    monkeypatch.setattr(bounds, "EXACT_CHAIN_FLOPS", 1 << 40)  # every chain multiplied out exactly
    exact = np.asarray(compare._total_bound(left.err, right.err)).flat[missed]
    monkeypatch.undo()
    assert np.allclose(spot, exact, rtol=1e-12, atol=0)
    calls = []
    real_total = compare._total_bound
    monkeypatch.setattr(compare, "_total_bound", lambda *a: calls.append(1) or real_total(*a))
    assert compare.compare_float(left, right).holds is True and not calls
    nudged = Value(np.asarray(right.val) * (1 + 1e-9), right.err, right.mag)
    assert compare.compare_float(left, nudged).holds is False
    shifted = np.array(right.val)
    shifted.flat[missed[:1]] += 10 * compare.ROUNDOFF_SAFETY * spot[:1]  # one missed entry, past its bound
    assert compare.compare_float(left, Value(shifted, right.err, right.mag)).holds is False


def test_the_floor_ratio_is_the_smallest_coefficient_ratio_and_needs_every_chain():
    from iclkd.numeric_checks.bounds import LazyBound

    rng = np.random.default_rng(12)
    X, Y, Z = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    X[0, 0], Y[0, 0] = 5.0, 0.0  # where X dominates, a ratio taken from Y's terms would overshoot
    bound = LazyBound([(2.0, (X,)), (10.0, (Y,)), (1.0, (Z,))], (3, 4))
    magnitude = LazyBound([(1.0, (X,)), (1.0, (Y,))], (3, 4))  # |X + Y| <= |X| + |Y|
    ratio = bound.ratio_over(magnitude)
    assert ratio == 2.0
    assert np.all(ratio * np.abs(X + Y) <= np.asarray(bound))
    assert bound.ratio_over(LazyBound([(1.0, (X,)), (1.0, (np.abs(Y),))], (3, 4))) == 0.0  # a chain it lacks
    assert bound.ratio_over(LazyBound([(1.0, (X.copy(),))], (3, 4))) == 0.0  # equal values, other array


def test_a_large_comparison_is_decided_by_the_floor_without_multiplying_the_bound_out(monkeypatch):
    from iclkd.numeric_checks import compare
    from iclkd.numeric_checks.evaluate import Value, evaluate

    rng = np.random.default_rng(5)
    A, B, C = sp.MatrixSymbol("A", 64, 256), sp.MatrixSymbol("B", 256, 300), sp.MatrixSymbol("C", 256, 300)
    c = sp.Symbol("c", positive=True)
    env = {A: rng.normal(size=(64, 256)), B: rng.normal(size=(256, 300)), C: rng.normal(size=(256, 300)), c: 0.3}
    calls = []
    real_total = compare._total_bound
    monkeypatch.setattr(compare, "_total_bound", lambda *a: calls.append(1) or real_total(*a))
    # Both sides are elementwise functions of the same products (as in R5): the floor decides.
    left, right = evaluate(c * (A * B + A * C), env), evaluate(c * (A * B) + c * (A * C), env)
    assert compare.compare_float(left, right).holds is True and not calls
    nudged = Value(np.asarray(right.val) * (1 + 1e-9), right.err, right.mag)
    assert compare.compare_float(left, nudged).holds is False and calls  # a miss is decided by the bound
    # Sides whose products round differently may miss the floor: then the bound decides, and passes.
    calls.clear()
    assert compare.compare_float(evaluate(A * (B + C), env), evaluate(A * B + A * C, env)).holds is True


# ---------------------------------------------------------------- instances: hypotheses, errors, cited steps

def test_an_instance_outside_the_hypotheses_is_an_error_not_a_pass():
    from iclkd import Assumption, Definition

    z = sp.Symbol("z", nonnegative=True)
    t = sp.Symbol("t", positive=True)  # drawn from [0.5, 2]
    claim = Claim("", (t + 1) ** 2, t**2 + 2 * t + 1, proof=(Step(t**2 + 2 * t + 1, Algebra()),))
    signed = Result("H2", "h", "sign", claims=(Claim("", z + t, t + z, proof=(Step(t + z, Algebra()),)),),
                    definitions=(Definition(z, t - 1, "z = t − 1, declared nonnegative"),))
    report = check(signed)
    assert report.status == "error" and "violates the hypothesis z >= 0" in report.failure
    assert report.counterexample is not None
    outside = Result("H3", "h", "relation", claims=(claim,), assumptions=(Assumption(t - 3 >= 0, "t ≥ 3"),))
    assert check(outside).status == "verified"  # t is drawn from [3, ∞), not rejected
    unsatisfiable = Result("H3b", "h", "relation", claims=(claim,),
                           assumptions=(Assumption(t**2 - 4 * t + 5 <= 0, "(t − 2)² + 1 ≤ 0"),))
    assert "no draw satisfies the hypothesis '(t − 2)² + 1 ≤ 0'" in check(unsatisfiable).failure
    contradictory = Result("H3c", "h", "relation", claims=(claim,), assumptions=(Assumption(t**2 + 1 <= 0, "never"),))
    assert "the hypothesis 'never' is false" in check(contradictory).failure
    inside = Result("H4", "h", "relation", claims=(claim,), assumptions=(Assumption(t - sp.Rational(1, 4) >= 0, "t ≥ 1/4"),))
    assert check(inside).status == "verified"


def test_a_definition_that_cannot_be_evaluated_is_an_error_not_a_crash():
    from iclkd import Definition

    n = sp.Symbol("n", integer=True, positive=True)
    A, Z = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("Z", n, n)
    r = Result("H5", "h", "singular", claims=(Claim("", Z + A, A + Z, proof=(Step(A + Z, Algebra()),)),),
               definitions=(Definition(Z, sp.Inverse(A - A), "the inverse of zero"),))
    report = check(r)
    assert report.status == "error" and "could not build an instance" in report.failure


def test_a_definition_that_overflows_on_a_draw_is_an_error_without_a_warning():
    import warnings

    from iclkd import Definition

    t = sp.Symbol("t", positive=True)  # drawn from [0.5, 2]: exp(1000 t) overflows float64
    y = sp.Symbol("y", positive=True)
    r = Result("H6", "h", "overflow", claims=(Claim("", y + t, t + y, proof=(Step(t + y, Algebra()),)),),
               definitions=(Definition(y, sp.exp(1000 * t), "y = exp(1000 t)"),))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = check(r)
    assert report.status == "error" and "overflow" in report.failure
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_a_strict_cited_step_needs_a_strict_theorem_and_cited_steps_get_more_instances():
    from iclkd import Cited
    from iclkd.numeric_checks.steps import EXTRA_DRAWS

    triangle = Cited("triangle inequality")
    strict = trivial(claim=Claim("", sp.Abs(x + y), sp.Abs(x) + sp.Abs(y), relation="<",
                                 proof=(Step(sp.Abs(x) + sp.Abs(y), triangle, relation="<"),)))
    report = check(strict)
    assert report.status == "unproved" and "strict" in report.failure
    loose = trivial(claim=Claim("", sp.Abs(x + y), sp.Abs(x) + sp.Abs(y), relation="<=",
                                proof=(Step(sp.Abs(x) + sp.Abs(y), triangle, relation="<="),)))
    report = check(loose, trials=3)
    assert report.status == "verified" and report.steps[0].numeric_trials == 3 + EXTRA_DRAWS


def test_a_cited_theorem_with_a_stated_instance_applies_only_to_that_instance():
    from iclkd import Cited

    triangle = Cited("triangle inequality", instance=(sp.Abs(x + y), sp.Abs(x) + sp.Abs(y)))
    as_stated = trivial(claim=Claim("", sp.Abs(x + y), sp.Abs(x) + sp.Abs(y), relation="<=",
                                    proof=(Step(sp.Abs(x) + sp.Abs(y), triangle, relation="<="),)))
    assert check(as_stated).status == "verified"
    # |x − y| ≤ |x| + |y| is true (numbers cannot refute it), but it is not the stated instance
    other = trivial(claim=Claim("", sp.Abs(x - y), sp.Abs(x) + sp.Abs(y), relation="<=",
                                proof=(Step(sp.Abs(x) + sp.Abs(y), triangle, relation="<="),)))
    report = check(other)
    assert report.status == "unproved" and "not the cited theorem as stated: its left side is" in report.failure


def test_mcdiarmid_cannot_be_applied_to_another_left_side():
    """A selftest survivor before cited instances: R11(d) with L_P swapped for another symbol.
    With L̂ the statement is even true (L̂ ≤ L̂ + …), so only the citation check can object; with N
    (a survivor once) the instances at the edge of (d) refute it outright."""
    from dataclasses import replace

    from iclkd.derivations.brewing import rademacher_bound as rb
    from iclkd.paper import load_paper

    registry = load_paper("brewing").registry()
    r11 = registry.get("R11")
    claim = r11.claim("(d)")

    def with_left_side(symbol):
        swapped = replace(claim, lhs=claim.lhs.xreplace({rb.L_P: symbol}))
        return replace(r11, claims=tuple(swapped if c is claim else c for c in r11.claims))

    report = check_result(with_left_side(rb.L_hat), registry, CheckSettings())
    assert report.status == "unproved" and "cited theorem as stated" in report.failure
    assert check_result(with_left_side(rb.N), registry, CheckSettings()).status == "refuted"


def test_an_entry_outside_the_matrix_is_an_error_not_a_crash():
    """A selftest crash before: R12(d) with s transposed indexed s.T[i, 0] past its one row."""
    n = sp.Symbol("n", integer=True, positive=True)
    s = sp.MatrixSymbol("s", n, 1)
    i = sp.Symbol("i", integer=True)
    total = sp.Sum(s.T[i, 0], (i, 0, n - 1))
    r = trivial(claim=Claim("", total, total, proof=(Step(total, Algebra()),)))
    report = check(r)
    assert report.status == "error" and "could not evaluate: entry (0, 1) of s" in report.failure
