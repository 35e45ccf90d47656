"""`iclkd render` in CI: a refuted result is rendered but the command exits 1, and the stale
message of `--check` repeats the options of the run it checks."""
from __future__ import annotations

import shlex
import textwrap

from iclkd.cli import main

MODULE = textwrap.dedent('''\
    import sympy as sp
    from iclkd import Algebra, Claim, Result, Step

    x = sp.Symbol("x")
    RESULTS = [
        Result("U1", "Lemma 1", "A square", claims=(
            Claim("", (x + 1)**2, x**2 + 2*x + 1, proof=(Step(x**2 + 2*x + 1, Algebra()),)),)),
        Result("U2", "Lemma 2", "Off by one", claims=(
            Claim("", (x + 1)**2, x**2 + 2*x + 2, proof=(Step(x**2 + 2*x + 2, Algebra()),)),)),
    ]
''')


def write_module(tmp_path, text=MODULE):
    path = tmp_path / "my results.py"
    path.write_text(text)
    return str(path)


def test_render_of_a_refuted_result_writes_the_appendix_and_exits_1(tmp_path, capfd):
    module = write_module(tmp_path)
    out = tmp_path / "app"
    assert main(["render", "--file", module, "--out", str(out)]) == 1
    err = capfd.readouterr().err
    assert "not verified: U2 refuted" in err and "U1" not in err
    assert "refuted" in (out / "appendix-body.tex").read_text()


def test_render_of_verified_results_exits_0(tmp_path, capfd):
    module = write_module(tmp_path)
    assert main(["render", "U1", "--file", module, "--out", str(tmp_path / "app")]) == 0
    assert "not verified" not in capfd.readouterr().err


def test_the_stale_hint_repeats_ids_file_seed_and_trials(tmp_path, capfd):
    module = write_module(tmp_path)
    out = str(tmp_path / "app")
    assert main(["render", "U1", "--file", module, "--seed", "5", "--trials", "3", "--out", out]) == 0
    body = tmp_path / "app" / "appendix-body.tex"
    body.write_text(body.read_text().replace("A square", "A cube", 1))
    capfd.readouterr()
    assert main(["render", "U1", "--file", module, "--check", out]) == 1
    line = capfd.readouterr().out.splitlines()[0]
    command = line.split("regenerate with '", 1)[1].rsplit("'", 1)[0]
    assert shlex.split(command) == ["iclkd", "render", "U1", "--file", module, "--seed", "5",
                                    "--trials", "3", "--out", out]
    # the suggested command, run, makes the folder current again
    assert main(shlex.split(command)[1:]) == 0
    assert main(["render", "U1", "--file", module, "--check", out]) == 0


def _fake_old_sympy(path):
    import sympy

    text = path.read_text()
    old = f"SymPy {sympy.__version__}"
    assert old in text
    path.write_text(text.replace(old, "SymPy 1.0.0"))


def test_check_after_a_library_version_bump_reports_the_version_not_staleness(tmp_path, capfd):
    module = write_module(tmp_path)
    out = str(tmp_path / "app")
    assert main(["render", "U1", "--file", module, "--out", out]) == 0
    _fake_old_sympy(tmp_path / "app" / "appendix-body.tex")
    capfd.readouterr()
    assert main(["render", "U1", "--file", module, "--check", out]) == 0
    printed = capfd.readouterr().out
    assert "is up to date" in printed and "stale" not in printed
    import sympy

    assert f"SymPy 1.0.0" in printed and f"SymPy {sympy.__version__}" in printed
    assert "only tool versions differ" in printed


def test_a_version_bump_does_not_hide_a_changed_formula(tmp_path, capfd):
    module = write_module(tmp_path)
    out = str(tmp_path / "app")
    assert main(["render", "U1", "--file", module, "--out", out]) == 0
    body = tmp_path / "app" / "appendix-body.tex"
    _fake_old_sympy(body)
    text = body.read_text()
    assert "2 x" in text
    body.write_text(text.replace("2 x", "3 x", 1))
    capfd.readouterr()
    assert main(["render", "U1", "--file", module, "--check", out]) == 1
    assert "appendix-body.tex: U1" in capfd.readouterr().out
