"""Papers as plug-ins: the engine knows no paper, papers are found through entry points, a
user's module is checked alone with its own notation, and a custom check needs only the
public API."""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from iclkd.errors import ResultDefinitionError
from iclkd.paper import Paper, module_paper
from iclkd.render.printer import Notation, latex, use_notation

ROOT = Path(__file__).parent.parent
USER = Path(__file__).parent / "user_results"
EXAMPLE = Path(__file__).parent / "example_paper"
ENGINE = ("symbolic", "numeric_checks", "render", "selftest")


def iclkd(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "iclkd", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=600, env=env)


# ----------------------------------------------------------------------------- the boundary

def _imported_modules(path: Path) -> list[str]:
    """Absolute names of every module ``path`` imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return found


@pytest.mark.parametrize("part", ENGINE)
def test_the_engine_imports_no_paper(part):
    offenders = [(str(p.relative_to(ROOT)), m) for p in sorted((ROOT / "iclkd" / part).rglob("*.py"))
                 for m in _imported_modules(p) if m.startswith("iclkd.derivations")]
    assert offenders == []


def test_the_boundary_check_sees_a_relative_import(tmp_path):
    fake = ROOT / "iclkd" / "render" / "_boundary_probe.py"
    fake.write_text("from ..derivations.brewing import notation\n")
    try:
        assert "iclkd.derivations.brewing.notation" in _imported_modules(fake)
    finally:
        fake.unlink()


def test_importing_the_engine_loads_no_paper():
    code = ("import sys, iclkd, iclkd.check, iclkd.paper, iclkd.numeric, iclkd.render.document, "
            "iclkd.render.printer, iclkd.selftest.runner; "
            "print([m for m in sys.modules if m.startswith('iclkd.derivations.')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _import_graph() -> dict:
    """``module → modules of iclkd it imports`` (function-level imports included); ``from P
    import m`` of a submodule ``m`` counts as importing ``P.m`` only."""
    files = {}
    for p in (ROOT / "iclkd").rglob("*.py"):
        parts = p.relative_to(ROOT).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    graph = {}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                subs = {f"{target}.{a.name}" for a in node.names} & set(files)
                found |= subs or ({target} & set(files))
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names} & set(files)
        graph[module] = found - {module}
    return graph


def _cycle(graph: dict):
    """One import cycle as a list of modules, or None."""
    state: dict = {}

    def visit(m, path):
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                found = visit(n, path + [n])
                if found:
                    return found
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m, [m])
            if found:
                return found
    return None


def test_no_module_of_iclkd_is_in_an_import_cycle():
    assert _cycle(_import_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# ----------------------------------------------------------------------------- a user's module alone

def test_a_module_with_the_papers_ids_and_names_checks_alone(tmp_path):
    report = tmp_path / "r.json"
    out = iclkd("check", "--file", str(USER / "own_notation.py"), "--json", str(report))
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(report.read_text())
    assert [(r["id"], r["status"]) for r in data["results"]] == [("R1", "verified"), ("R2", "verified")]
    listed = iclkd("list", "--file", str(USER / "own_notation.py"))
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["R1", "R2"]


def test_an_unknown_id_names_the_modules_ids_only():
    out = iclkd("check", "R7", "--file", str(USER / "own_notation.py"))
    assert out.returncode == 2 and "unknown result id 'R7' (known: R1, R2)" in out.stderr


def test_a_modules_latex_uses_its_notation_or_sympys_never_the_papers(tmp_path):
    out = iclkd("render", "--file", str(USER / "own_notation.py"), "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    body = (tmp_path / "appendix-body.tex").read_text()
    assert r"s &\leq s + \frac{x^{2}}{\tau}" in body  # the module's own: slack is s, \tau is tau
    assert r"W_{star}" in body  # SymPy's default for a name the module does not set
    for papers in (r"W^{\ast}_{\lambda}", r"\epsilon", r"\textbackslash{}tau", "MiniLM"):
        assert papers not in body


def test_without_a_notation_a_module_prints_sympys_names():
    paper = module_paper(str(USER / "custom_check.py"))
    a = sp.MatrixSymbol("a", sp.Symbol("n", integer=True, positive=True), 1)
    slack, lam = sp.Symbol("slack"), sp.Symbol("lambda_hat")
    with use_notation(Notation(paper.notation, paper.naming)):
        assert [latex(a), latex(slack), latex(lam)] == ["a", "slack", r"\lambda_{hat}"]


def test_a_module_depends_on_a_paper_only_when_it_says_so(tmp_path):
    module = tmp_path / "uses_r1.py"
    module.write_text("import sympy as sp\nfrom iclkd import Algebra, Claim, Result, Step\nx = sp.Symbol('x')\n"
                      "RESULTS = [Result('U1', 'Lemma', 'x', claims=(Claim('', 2 * x, x + x, proof=(Step(x + x, "
                      "Algebra()),)),), depends_on=('R1',))]\n")
    alone = iclkd("check", "--file", str(module))
    assert alone.returncode == 2 and "depends on 'R1', which is not registered" in alone.stderr
    with_paper = iclkd("check", "--file", str(module), "--paper", "brewing")
    assert with_paper.returncode == 0, with_paper.stdout + with_paper.stderr
    assert "U1" in with_paper.stdout and "R1 " not in with_paper.stdout  # R1 is there, not checked again


# ----------------------------------------------------------------------------- the Paper object

def test_notation_must_be_keyed_by_symbols():
    x = sp.Symbol("x")
    with pytest.raises(ResultDefinitionError, match="keyed by SymPy symbols"):
        Paper("demo", "Demo", (), notation={"x": "y"})
    assert Paper("demo", "Demo", (), notation={x: r"\xi"}).notation[x] == r"\xi"


def test_a_paper_name_must_be_a_plain_name():
    with pytest.raises(ResultDefinitionError, match="not a lower-case name"):
        Paper("My Paper", "Demo", ())


def test_papers_option_is_on_every_command():
    for command in ("list", "check", "render", "build", "selftest", "model-check"):
        out = iclkd(command, "--paper", "nope")
        assert out.returncode == 2 and "unknown paper 'nope'" in out.stderr, (command, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- an installed paper package

@pytest.fixture(scope="module")
def installed_example(tmp_path_factory):
    """The example package pip-installed into a folder of its own, put on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    out = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                          "--target", str(target), str(EXAMPLE)], capture_output=True, text=True, timeout=300,
                         cwd=build)
    assert out.returncode == 0, out.stderr
    assert not (target / "example_paper" / "__init__.py").is_symlink()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    return env


def test_an_installed_paper_is_listed(installed_example):
    out = iclkd("list", "--papers", env=installed_example, cwd=Path("/"))
    assert out.returncode == 0, out.stderr
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert "example" in names and "brewing" in names
    assert "example_paper:PAPER" in out.stdout


def test_an_installed_paper_is_checked(installed_example, tmp_path):
    out = iclkd("check", "--paper", "example", "--json", str(tmp_path / "r.json"), env=installed_example, cwd=Path("/"))
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads((tmp_path / "r.json").read_text())
    assert [(r["id"], r["status"]) for r in data["results"]] == [("E1", "verified"), ("E2", "verified")]


def test_an_installed_paper_is_rendered_with_its_notation_and_figure(installed_example, tmp_path):
    out = iclkd("render", "--paper", "example", "--out", str(tmp_path), env=installed_example, cwd=Path("/"))
    assert out.returncode == 0, out.stderr
    body = (tmp_path / "appendix-body.tex").read_text()
    assert r"\mathbf{A}" in body and r"\xi" in body and "figures/mgf.pdf" in body
    assert (tmp_path / "figures" / "mgf.pdf").read_bytes().startswith(b"%PDF")
    assert "MiniLM" not in body and "R1" not in body


# ----------------------------------------------------------------------------- the public numeric API

def test_a_custom_check_written_with_the_public_api_verifies(tmp_path):
    out = iclkd("check", "--file", str(USER / "custom_check.py"), "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stdout + out.stderr
    numeric = json.loads((tmp_path / "r.json").read_text())["results"][0]["numeric"]
    assert numeric["status"] == "passed" and numeric["trials"] >= 4


def test_the_custom_check_refutes_a_wrong_constant():
    paper = module_paper(str(USER / "custom_check.py"))
    module = sys.modules[next(m for m in sys.modules if m.startswith("iclkd_user_")
                              and getattr(sys.modules[m], "__file__", "") == str(USER / "custom_check.py"))]
    wrong = module.cauchy_schwarz(sp.Rational(9, 10))
    outcome = module.exact_vectors(wrong, np.random.default_rng(0), 30)
    assert outcome.status == "refuted" and set(outcome.counterexample) == {"a", "b"}
    right = module.exact_vectors(paper.results[0], np.random.default_rng(0), 30)
    assert right.status == "passed"


def test_the_public_api_exports_what_it_lists():
    import iclkd.numeric as api

    assert all(hasattr(api, name) for name in api.__all__)
    assert not [n for n in api.__all__ if n.startswith("_")]
    source = (USER / "custom_check.py").read_text()
    assert "iclkd.numeric_checks" not in source and "iclkd.symbolic" not in source


def test_a_modules_samplers_are_used(tmp_path):
    source = ("import sympy as sp\nfrom iclkd import Algebra, Claim, Result, Step\n"
              "from iclkd.numeric import uniform\nx = sp.Symbol('x', real=True)\n"
              "RESULTS = [Result('U1', 'Lemma', 'abs', claims=(Claim('', sp.Abs(x), x, "
              "proof=(Step(x, Algebra()),)),))]\n")
    (tmp_path / "plain.py").write_text(source)
    (tmp_path / "sampled.py").write_text(source + "SAMPLERS = {x: uniform(1.0, 1.9)}\n")
    plain = iclkd("check", "--file", str(tmp_path / "plain.py"))
    sampled = iclkd("check", "--file", str(tmp_path / "sampled.py"))
    assert plain.returncode == 1 and "refuted" in plain.stdout
    assert "refuted" not in sampled.stdout and "U1 unproved" in sampled.stdout, sampled.stdout


def test_a_required_papers_results_are_labelled_with_that_paper():
    paper = module_paper(str(USER / "custom_check.py"), requires=("brewing",))
    labels = paper.labels()
    assert labels["R1"] == "Lemma 2.1a of arXiv 2506.11516" and labels["C1"] == "Lemma 1"
    assert module_paper(str(USER / "custom_check.py")).labels() == {"C1": "Lemma 1"}


def test_papers_that_require_each_other_are_an_error(monkeypatch):
    import iclkd.paper as papers

    x = sp.Symbol("x")
    from iclkd import Claim, Result

    a = Paper("aa", "A", (Result("A1", "L", "t", claims=(Claim("", x, x),)),), requires=("bb",))
    b = Paper("bb", "B", (Result("B1", "L", "t", claims=(Claim("", x, x),)),), requires=("aa",))
    monkeypatch.setattr(papers, "_LOADED", {"aa": a, "bb": b})
    with pytest.raises(ResultDefinitionError, match="papers require each other: aa -> bb -> aa"):
        a.registry()
