"""Shrunk counterexamples, replay tokens and SymPy's answer (issue 19, item 3).

The claims are false for reasons known from linear algebra, not from iclkd's output: square
matrices commute only at n = 1 (so the smallest failing size is 2); ``x + 1 = x`` fails for
every x; ``y² = 9`` holds at y = 3 only. Every expected value is computed here with NumPy or
by hand.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import sympy as sp

from iclkd.numeric_checks.token import Token, decode, encode

MODULE = textwrap.dedent('''\
    import sympy as sp
    from iclkd import Algebra, Assumption, Claim, Result, Step

    n = sp.Symbol("n", integer=True, positive=True)
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    x = sp.Symbol("x", positive=True)
    y = sp.Symbol("y")
    k = sp.Symbol("k", integer=True, positive=True)

    RESULTS = [
        Result("M1", "Lemma 1", "Products commute", claims=(
            Claim("(a)", (A + B).T, A.T + B.T, proof=(Step(A.T + B.T, Algebra()),)),
            Claim("(b)", (A + B) * (A + B), A * A + 2 * A * B + B * B, proof=(
                Step(A * A + A * B + B * A + B * B, Algebra()),
                Step(A * A + 2 * A * B + B * B, Algebra()),  # false: needs AB = BA
            )),
        )),
        Result("S1", "Lemma 2", "Off by one", claims=(Claim("", x + 1, x),)),
        Result("S2", "Lemma 3", "A square", assumptions=(Assumption(y >= 3, name="y at least 3"),),
               claims=(Claim("", y**2, 9),)),
        Result("S3", "Lemma 4", "Squares", claims=(Claim("", k**2, k),)),
    ]
    ''')


def run(args, cwd):
    return subprocess.run([sys.executable, "-m", "iclkd", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shrink")
    (folder / "mine.py").write_text(MODULE)
    out = run(["check", "--file", "mine.py", "--json", "report.json"], folder)
    assert out.returncode == 1, out.stdout + out.stderr
    report = json.loads((folder / "report.json").read_text())
    return folder, {r["id"]: r for r in report["results"]}, out.stdout


def test_a_false_matrix_step_shrinks_to_the_smallest_failing_size(checked):
    _, results, stdout = checked
    cex = results["M1"]["counterexample"]
    assert cex["where"].startswith("M1(b) step 2")
    assert cex["instance"]["n"] > 2  # first found at a larger size
    shrunk = cex["shrunk"]
    assert shrunk["sizes"] == {"n": 2}
    a, b = np.array(shrunk["instance"]["A"]), np.array(shrunk["instance"]["B"])
    assert a.shape == b.shape == (2, 2)
    assert set(np.unique(np.concatenate([a.ravel(), b.ravel()]))) <= {-1.0, 0.0, 1.0}  # simplest values
    left, right = (a + b) @ (a + b), a @ a + 2 * a @ b + b @ b
    assert not np.allclose(left, right)  # the shrunk instance really fails
    assert np.allclose(shrunk["left"], left) and np.allclose(shrunk["right"], right)
    assert "AB" not in cex["sympy"] and "A*B" in cex["sympy"] and "B*A" in cex["sympy"]
    assert "(shrunk)" in stdout and f"--replay {cex['replay']}" in stdout


def test_scalar_values_shrink_inside_the_stated_domain(checked):
    _, results, _ = checked
    s1 = results["S1"]["counterexample"]["shrunk"]["instance"]
    assert s1 == {"x": 1.0}  # 0 is the simplest value, but x is positive
    y = results["S2"]["counterexample"]["shrunk"]["instance"]["y"]
    assert y >= 3 and y**2 != 9  # the hypothesis y >= 3 holds, and 3 itself is no counterexample
    assert results["S1"]["counterexample"]["sympy"] == "left - right = 1"


def test_an_integer_symbol_shrinks_to_an_integer_and_replays(checked):
    folder, results, _ = checked
    cex = results["S3"]["counterexample"]
    assert cex["shrunk"]["instance"] == {"k": 2.0}  # k² = k holds at k = 1 only
    out = run(["check", "--file", "mine.py", "--replay", cex["replay"]], folder)
    assert out.returncode == 1 and "fails" in out.stdout, out.stdout + out.stderr


def test_the_replay_token_reproduces_the_failure_in_a_new_process(checked):
    folder, results, _ = checked
    cex = results["M1"]["counterexample"]
    out = run(["check", "--file", "mine.py", "--replay", cex["replay"]], folder)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "M1(b) step 2 (algebra)" in out.stdout and "fails" in out.stdout
    assert json.dumps(cex["shrunk"]["left"]) in out.stdout.replace("'", '"')


def test_a_replay_after_the_fix_holds(checked, tmp_path):
    _, results, _ = checked
    fixed = MODULE.replace("Step(A * A + 2 * A * B + B * B, Algebra()),  # false: needs AB = BA",
                           "Step(A * A + A * B + B * A + B * B, Algebra()),")
    fixed = fixed.replace("A * A + 2 * A * B + B * B, proof=(", "A * A + A * B + B * A + B * B, proof=(")
    (tmp_path / "mine.py").write_text(fixed)
    out = run(["check", "--file", "mine.py", "--replay", results["M1"]["counterexample"]["replay"]], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "holds" in out.stdout


@pytest.mark.parametrize("token, message", [
    ("M1:b:###", "not base64url"),
    ("M1", "RESULT:CLAIM:DATA"),
    ("Q9:-:" + encode(Token("Q9", "", 0, False, {}, {})).split(":")[-1], "no result 'Q9'"),
    (encode(Token("S1", "(z)", 0, False, {}, {"x": 1.0})), "has no claim (z)"),
    (encode(Token("S1", "", 0, False, {}, {"x": -1.0})), "x must be positive"),
    (encode(Token("S1", "", 0, False, {}, {"w": 1.0})), "unknown w"),
    (encode(Token("S2", "", 0, False, {}, {"y": 2.0})), "y must be >= 3"),
    (encode(Token("M1", "(b)", 7, False, {}, {})), "has no step 7"),
])
def test_damaged_or_foreign_tokens_are_usage_errors(checked, token, message):
    folder, _, _ = checked
    out = run(["check", "--file", "mine.py", "--replay", token], folder)
    assert out.returncode == 2, out.stdout + out.stderr
    assert message in out.stderr and len(out.stderr.splitlines()) == 1, out.stderr


def test_tokens_round_trip_floats_and_rationals_exactly():
    value = np.array([[0.1, -1 / 3], [2.0**-60, 1e300]])
    exact = np.array([[sp.Rational(1, 3), sp.Integer(-2)]], dtype=object)
    token = Token("R7", "(b)", 2, True, {"n": 2}, {"A": value, "q": sp.Rational(-5, 7), "E": exact})
    back = decode(encode(token))
    assert back.result_id == "R7" and back.claim == "(b)" and back.step == 2 and back.exact
    assert np.array_equal(back.values["A"], value) and back.values["q"] == sp.Rational(-5, 7)
    assert list(back.values["E"].flat) == [sp.Rational(1, 3), -2]


def test_a_token_never_reaches_sympify():
    evil = {"v": 1, "step": 0, "exact": True, "sizes": {}, "values": {"x": {"q": "__import__('os')"}}}
    import base64
    import zlib

    payload = base64.urlsafe_b64encode(zlib.compress(json.dumps(evil).encode())).decode()
    with pytest.raises(Exception, match="damaged"):
        decode(f"S1:-:{payload}")


def test_exact_instances_shrink_in_exact_arithmetic():
    from iclkd.numeric_checks.shrink import failure_on, shrink
    from iclkd.numeric_checks.steps import InstanceBank
    from iclkd.symbolic.context import ProofContext
    from iclkd.symbolic.registry import Registry
    from iclkd.symbolic.result import Claim, Result

    n = sp.Symbol("n", integer=True, positive=True)
    A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
    result = Result("E1", "Lemma", "commute", claims=(Claim("", A * B, B * A),))
    registry = Registry([result])
    bank = InstanceBank([A * B, B * A], ProofContext(result, registry, 0), seed=0, trials=4)
    start = next(i for i in bank.exacts() if failure_on(A * B, B * A, "=", i)[0] == "fails")
    assert start.sizes[n] > 2
    found = shrink(bank, A * B, B * A, "=", start, failure_on(A * B, B * A, "=", start)[1])
    assert found.instance.exact and found.instance.sizes == {n: 2}
    a, b = (sp.Matrix(found.instance.env[s].tolist()) for s in (A, B))
    assert all(e.is_Integer for e in list(a) + list(b))
    assert a * b != b * a
