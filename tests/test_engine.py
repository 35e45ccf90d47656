"""The engine never passes on garbage: timeouts, NaN, undecided steps, cited steps, and the
explicit-size fallback, each reported as what it is."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp

from iclkd import Algebra, Cited, Claim, NumericCheck, Result, Step, Substitute
from iclkd.check import CheckSettings, check_result
from iclkd.numeric_checks.compare import compare_float
from iclkd.numeric_checks.evaluate import Value, evaluate
from iclkd.symbolic.algebra import is_zero
from iclkd.symbolic.registry import Registry
from iclkd.symbolic.rules import Decision, Rule

x, y = sp.symbols("x y", real=True)
n = sp.Symbol("n", integer=True, positive=True)


def check(result, **settings):
    return check_result(result, Registry([result]), CheckSettings(**settings))


@dataclass
class SlowSimplify(Rule):
    """A symbolic check that cannot finish: must come back as ``timeout``."""

    name = "slow"

    def symbolic(self, prev, nxt, ctx):
        while True:
            sp.simplify(sp.expand((x + y) ** 40) - (x + y) ** 40)


@dataclass
class NeverDecides(Rule):
    name = "undecided"

    def symbolic(self, prev, nxt, ctx):
        return Decision(None, "cannot tell", explicit_fallback=False)


@dataclass
class FallsBackToExplicit(Rule):
    name = "needs explicit sizes"

    def symbolic(self, prev, nxt, ctx):
        return Decision(None, "no symbolic proof")


def test_hung_symbolic_step_is_a_timeout_within_its_limit():
    r = Result("T1", "t", "slow", claims=(Claim("", x + y, y + x, proof=(Step(y + x, SlowSimplify()),)),))
    start = time.monotonic()
    report = check(r, timeout=1.0)
    assert time.monotonic() - start < 5
    assert report.status == "timeout"
    assert report.steps[0].status == "timeout"


def test_a_timeout_the_block_swallowed_or_c_code_wrapped_is_still_a_timeout():
    from iclkd.errors import StepTimeout
    from iclkd.symbolic.timing import time_limit

    def swallowing():  # code that turns any failure into a result, as an error handler would
        while True:
            try:
                sp.simplify(sp.expand((x + y) ** 30) - (x + y) ** 30)
            except BaseException:
                return "error: something failed"

    def wrapped():  # what CPython reports when the signal lands inside a C function's callback
        try:
            while True:
                sp.expand((x + y) ** 30)
        except StepTimeout as exc:
            raise SystemError("<built-in function> returned a result with an exception set") from exc

    for block in (swallowing, wrapped):
        start = time.monotonic()
        with pytest.raises(StepTimeout):
            with time_limit(0.5):
                block()
        assert time.monotonic() - start < 3, block.__name__
    with time_limit(5):  # an exception of the block's own, within its time, passes through unchanged
        with pytest.raises(ValueError):
            raise ValueError("not a timeout")


def test_a_numeric_check_that_catches_every_exception_still_times_out():
    def busy(result, rng, trials):
        while True:
            try:
                sp.simplify(sp.expand((x + y) ** 30) - (x + y) ** 30)
            except Exception:  # a broad handler, as numeric code often has
                return None

    claim = Claim("", x + y, y + x, proof=(Step(y + x, Algebra()),))
    result = Result("T9", "t", "busy check", claims=(claim,), numeric_checks=(NumericCheck("busy", busy, "never ends"),))
    report = check(result, timeout=0.5)
    assert report.status == "timeout" and report.numeric[0].status == "timeout"


def test_nan_is_an_error_never_a_pass():
    inf_minus_inf = sp.exp(x**2 + 800) - sp.exp(y**2 + 800)
    r = Result("T2", "t", "nan", claims=(Claim("", inf_minus_inf, inf_minus_inf,
                                               proof=(Step(inf_minus_inf, Algebra()),)),))
    report = check(r)
    assert report.status == "error"


def test_overflow_to_inf_is_an_error():
    big = sp.exp(sp.exp(sp.exp(x**2 + 10)))
    r = Result("T3", "t", "inf", claims=(Claim("", big, big, proof=(Step(big, Algebra()),)),))
    assert check(r).status == "error"


def test_undecided_step_makes_the_result_unproved_not_verified():
    r = Result("T4", "t", "undecided", claims=(Claim("", (x + 1) ** 2, x**2 + 2 * x + 1,
                                                     proof=(Step(x**2 + 2 * x + 1, NeverDecides()),)),))
    report = check(r)
    assert report.status == "unproved"
    assert report.method == "numeric-only"


def test_cited_step_is_shown_as_cited_and_still_checked_numerically():
    good = Result("T5", "t", "cited", claims=(Claim("", sp.Abs(x + y), sp.Abs(x) + sp.Abs(y), relation="<=",
                                                    proof=(Step(sp.Abs(x) + sp.Abs(y), Cited("triangle inequality"),
                                                                relation="<="),)),))
    report = check(good)
    assert report.status == "verified"
    assert report.as_json()["symbolic"]["cited_steps"] == ["T5 step 1: triangle inequality (cited)"]
    bad = Result("T6", "t", "cited but false", claims=(Claim("", sp.Abs(x) + sp.Abs(y), sp.Abs(x + y), relation="<=",
                                                             proof=(Step(sp.Abs(x + y), Cited("wrong"), relation="<="),)),))
    assert check(bad, trials=16).status == "refuted"


def test_explicit_size_fallback_proves_a_true_step_and_refutes_a_false_one():
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    true = Result("T7", "t", "explicit", claims=(Claim("", sp.Trace(A * B), sp.Trace(B * A),
                                                       proof=(Step(sp.Trace(B * A), FallsBackToExplicit()),)),))
    report = check(true)
    assert report.status == "verified" and report.method == "explicit-size"
    false = Result("T8", "t", "explicit", claims=(Claim("", A * B, B * A,
                                                        proof=(Step(B * A, FallsBackToExplicit()),)),),
                   sizes={n: (2, 3)})
    assert check(false).status == "refuted"


def test_chain_must_end_at_the_statement():
    r = Result("T9", "t", "end", claims=(Claim("", (x + 1) ** 2, x**2 + 2 * x + 2,
                                               proof=(Step(x**2 + 2 * x + 1, Algebra()),)),))
    report = check(r)
    assert report.status == "refuted"
    assert "chain ends" in report.failure or "chain end" in report.failure


def test_trace_normal_form_knows_cyclicity_and_transposes():
    a, b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
    A, B, C = (sp.MatrixSymbol(s, n, n) for s in "ABC")
    assert is_zero(sp.Trace(a.T * b) - sp.Trace(b.T * a)) is True
    assert is_zero(sp.Trace(A * B * C) - sp.Trace(C * A * B)) is True
    assert is_zero(sp.Trace(A * B * C) - sp.Trace(C.T * B.T * A.T)) is True
    assert is_zero(sp.Trace(A * B * C) - sp.Trace(B * A * C)) is not True


def test_rounding_bound_is_small_but_not_zero_for_a_real_computation():
    A, B = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("B", 3, 3)
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    val = evaluate(sp.Inverse(A) * B, {A: a, B: b})
    oracle = np.linalg.solve(a, b)
    assert 0 < np.max(val.err) < 1e-12
    assert compare_float(val, Value(oracle, np.zeros((3, 3)))).holds
    assert not compare_float(val, Value(oracle * (1 + 1e-9), np.zeros((3, 3)))).holds


def test_substitution_of_a_missing_symbol_is_not_a_proof():
    r = Result("T10", "t", "subs", claims=(Claim("", x, x, proof=(Step(x, Substitute(y)),)),))
    from iclkd.errors import ResultDefinitionError
    import pytest
    with pytest.raises(ResultDefinitionError):
        Registry([r]).validate()
