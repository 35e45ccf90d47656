"""Nothing lost, nothing faked (issue 15, items 5-7): a module cannot end a run with exit 0,
a custom check's unknown status is an error, a result is verified only if what it uses is,
no string reaches ``sympify``, and the table says what happened.

The modules in ``tests/user_modules/`` are written as a careless or hostile user would.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from iclkd import Algebra, Cited, Claim, Result, Step
from iclkd.check import CheckSettings, check_all, check_result
from iclkd.symbolic.registry import Registry

MODULES = Path(__file__).parent / "user_modules"
ROOT = Path(__file__).parent.parent


def iclkd(*args):
    return subprocess.run([sys.executable, "-m", "iclkd", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


@pytest.mark.parametrize("module, code, message", [
    ("exit_at_import.py", 2, "called sys.exit(0) while being imported"),
    ("os_exit_at_import.py", 2, "ended without reporting a verdict"),
    ("os_exit_in_check.py", 2, "ended without reporting a verdict"),
    ("fork_at_import.py", 2, "ended without reporting a verdict"),
    ("string_step.py", 2, "must be a SymPy expression, not str"),
    ("matrix_vs_scalar.py", 2, "a matrix compared with a scalar"),
])
def test_a_module_cannot_end_the_run_with_exit_0(module, code, message):
    out = iclkd("check", "--file", str(MODULES / module))
    assert out.returncode == code, (out.stdout, out.stderr)
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_the_string_step_was_never_evaluated():
    out = iclkd("check", "--file", str(MODULES / "string_step.py"))
    assert "pwned" not in out.stdout  # the string would have run a shell command through sympify


def test_a_check_that_calls_sys_exit_is_that_results_error_and_the_json_is_written(tmp_path):
    path = tmp_path / "out.json"
    out = iclkd("check", "--file", str(MODULES / "exit_in_check_then_more.py"), "--json", str(path))
    assert out.returncode == 1, out.stderr
    data = json.loads(path.read_text())
    status = {r["id"]: r["status"] for r in data["results"]}
    assert status == {"E11": "error", "E12": "verified"}
    assert "sys.exit(0)" in data["results"][0]["failure"]


def test_a_custom_check_with_an_unknown_status_is_an_error():
    out = iclkd("check", "--file", str(MODULES / "custom_status.py"))
    assert out.returncode == 1
    assert "E7 error" in out.stdout and "unknown status 'failed'" in out.stdout


def test_a_result_using_a_false_unproved_result_is_not_verified(tmp_path):
    path = tmp_path / "out.json"
    out = iclkd("check", "--file", str(MODULES / "depends_on_false.py"), "E10", "--json", str(path))
    assert out.returncode == 1
    (e10,) = json.loads(path.read_text())["results"]
    assert e10["status"] == "unproved" and "depends on E9 (refuted)" in e10["failure"]


def test_dependencies_count_transitively():
    x = sp.Symbol("x", real=True)
    good = Claim("", 2 * x, x + x, proof=(Step(x + x, Algebra()),))
    base = Result("B1", "Lemma", "no proof", claims=(Claim("", x + x, 2 * x),))  # true, unproved
    middle = Result("B2", "Lemma", "uses B1", claims=(good,), depends_on=("B1",))
    top = Result("B3", "Theorem", "uses B2", claims=(good,), depends_on=("B2",))
    registry = Registry([base, middle, top])
    (report,) = check_all([top], registry)
    assert report.status == "unproved" and "B2 (unproved)" in report.failure
    assert check_result(top, registry).status == "verified"  # on its own, its proof is complete


# ---------------------------------------------------------------- the table says what happened

x = sp.Symbol("x", real=True)


def _report(claim):
    r = Result("T", "Lemma", "t", claims=(claim,))
    return check_result(r, Registry([r]), CheckSettings())


def test_a_result_resting_on_a_citation_reads_cited():
    report = _report(Claim("", (x + 1) ** 2 - 1, x * (x + 2), proof=(Step(x * (x + 2), Cited("Folklore", "")),)))
    assert (report.status, report.method) == ("verified", "cited")


def test_refuted_results_have_no_method_and_their_worst_error_is_the_refuting_one():
    report = _report(Claim("", x**2, x**2 + 1, proof=(Step(x**2 + 1, Algebra()),)))
    assert report.status == "refuted" and report.method == "-"
    cex = report.counterexample
    left, right = float(cex["left"]), float(cex["right"])
    assert report.max_error == pytest.approx(abs(left - right) / max(abs(left), abs(right)), rel=1e-3)


# ---------------------------------------------------------------- former crashes get verdicts

n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
Xr = sp.MatrixSymbol("X", n, m)


@pytest.mark.parametrize("lhs, rhs, allowed", [
    (A.I * A, sp.Identity(n), {"verified"}),                                   # A⁻¹A = I
    ((Xr.T * Xr).I * Xr.T * Xr, sp.Identity(m), {"verified", "unproved", "error"}),  # needs rank m
    (sp.KroneckerProduct(A, sp.Identity(m)), sp.KroneckerProduct(sp.Identity(m), A), {"refuted"}),  # false
], ids=["left-inverse", "normal-equations", "kronecker-swap"])
def test_former_crashes_end_in_a_verdict(lhs, rhs, allowed):
    report = _report(Claim("", lhs, rhs, proof=(Step(rhs, Algebra()),)))
    assert report.status in allowed, report.failure


def test_an_internal_error_in_the_isolated_run_is_reported_not_silent(capfd):
    from iclkd.commands.isolation import run_isolated

    def broken(args):
        raise LookupError("a bug in iclkd")

    assert run_isolated(broken, None) == 2
    err = capfd.readouterr().err
    assert "iclkd: internal error (LookupError: a bug in iclkd); no verdict" in err
    assert "Traceback" in err
