"""The command line: exit codes, one-line errors, JSON, and the user-module path."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BAD = Path(__file__).parent / "bad_inputs"
ROOT = Path(__file__).parent.parent


def iclkd(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "iclkd", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


BAD_MODULES = {
    "shape_mismatch.py": "left side has shape (2, 3), right side (3, 2)",
    "non_square_inverse.py": "does not import",
    "syntax_error.py": "syntax error at line",
    "import_error.py": "does not import: ModuleNotFoundError",
    "missing_dependency.py": "depends on 'R404', which is not registered",
    "cyclic.py": "cyclic dependency between results: B4 -> B5 -> B4",
    "forward_reference.py": "references the later claim (b)",
    "undeclared_dependency.py": "depends_on does not list R5",
    "not_a_result.py": "defines no Result",
    "duplicate_id.py --paper brewing": "result id 'R1' is already used by paper 'brewing', which it requires",
    "undeclared_dependency.py --paper brewing": "depends_on does not list R5",
}


@pytest.mark.parametrize("module,message", sorted(BAD_MODULES.items()))
def test_bad_module_exits_2_with_one_line(module, message):
    module, *options = module.split()
    out = iclkd("check", "--file", str(BAD / module), *options)
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr
    assert message in lines[0]


@pytest.mark.parametrize("args,message", [
    (["check", "R99"], "unknown result id 'R99'"),
    (["check", "--trials", "0"], "expected a positive number"),
    (["check", "--trials", "many"], "expected a whole number"),
    (["check", "--timeout", "-1"], "positive, finite number of seconds"),
    (["check", "--timeout", "nan"], "positive, finite number of seconds"),
    (["check", "--file", "nope.py"], "expects an existing .py module"),
    (["check", "--paper", "nope"], "unknown paper 'nope' (installed: brewing"),
    (["model-check", "--paper", "nope"], "unknown paper 'nope'"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_usage_exits_2_with_one_line(args, message):
    out = iclkd(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert message in out.stderr


def test_list_shows_ids_labels_and_dependencies():
    out = iclkd("list")
    assert out.returncode == 0
    assert "R8" in out.stdout and "Corollary 3.2" in out.stdout and "depends on: R5, R7" in out.stdout


def test_check_r1_to_r8_json(tmp_path):
    path = tmp_path / "out.json"
    out = iclkd("check", *[f"R{i}" for i in range(1, 9)], "--json", str(path))
    assert out.returncode == 0, out.stdout
    data = json.loads(path.read_text())
    assert [r["status"] for r in data["results"]] == ["verified"] * 8
    assert {r["id"]: r["symbolic"]["method"] for r in data["results"]}["R7"] == "symbolic-dims"
    for r in data["results"]:
        assert set(r) >= {"id", "label", "title", "status", "symbolic", "numeric", "counterexample"}
        assert set(r["symbolic"]) >= {"status", "method", "steps", "seconds"}
        assert set(r["numeric"]) >= {"status", "trials", "max_error", "seconds"}
    assert data["summary"]["verified"] == 8


PITFALL = '''
import sympy as sp
from iclkd import Claim, Gradient, MatrixDerivative, Result, Step

n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
RESULTS = [Result("U1", "Claim", "SymPy 1.14's wrong derivative", claims=(
    Claim("", Gradient(sp.Trace(A.T * A) + 1, A), {rhs}, proof=(Step({rhs}, MatrixDerivative()),)),))]
'''


def test_sympy_pitfall_is_refuted_by_finite_differences(tmp_path):
    import sympy as sp

    A = sp.MatrixSymbol("A", 3, 3)
    assert str((sp.Trace(A.T * A) + 1).diff(A)) == "0"  # the fault the check must not trust
    module = tmp_path / "pitfall.py"
    module.write_text(PITFALL.format(rhs="sp.ZeroMatrix(n, n)"))
    out = iclkd("check", "--file", str(module), "--json", str(tmp_path / "p.json"))
    assert out.returncode == 1
    assert "U1 refuted" in out.stdout and "counterexample" in out.stdout
    data = json.loads((tmp_path / "p.json").read_text())["results"][0]
    assert data["status"] == "refuted"
    assert data["counterexample"]["left"] != data["counterexample"]["right"]


def test_correct_gradient_in_user_module_is_verified(tmp_path):
    module = tmp_path / "good.py"
    module.write_text(PITFALL.format(rhs="2 * A"))
    out = iclkd("check", "--file", str(module))
    assert out.returncode == 0, out.stdout
    assert "verified" in out.stdout


def test_json_dash_is_the_only_thing_on_stdout():
    out = iclkd("check", "R3", "--json", "-")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["summary"]["verified"] == 1
    assert "1 of 1 verified" in out.stderr


def test_json_into_a_missing_folder_is_refused_before_the_run(tmp_path):
    out = iclkd("check", "R3", "--json", str(tmp_path / "nope" / "r.json"))
    assert out.returncode == 2 and "does not exist" in out.stderr and out.stdout == ""


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_files_follow_the_umask(tmp_path, mask, mode):
    import os

    from iclkd.output import write_atomically

    old = os.umask(mask)
    try:
        write_atomically(tmp_path / "f.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "f.txt").stat().st_mode & 0o777 == mode


def test_dash_capital_v_prints_the_version():
    out = iclkd("-V")
    assert out.returncode == 0 and out.stdout.startswith("iclkd ")
