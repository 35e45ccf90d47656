"""Compiling the appendix with TeX: ``iclkd build``, hostile titles, LaTeX errors, shell escape.

Skipped only when pdflatex is absent (CI installs TeX in ``.ci/run``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import pytest

from iclkd.cli import main
from iclkd.render.context import TAG_TEXT_MAX, text_width
from iclkd.render.latex import BUILD_DIR, compile_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                reason="pdflatex is not installed (CI installs TeX Live in .ci/run)")

HOSTILE_TITLE = r"50% of a_b & {c} #1 ~x^2 \input{/etc/passwd}"
MAX_OVERFULL_PT = 1.0


def pdf_text(pdf) -> str:
    """The PDF's text (pdftotext, from poppler-utils), or skip the caller."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    code = main(["build", "--out", str(out)])
    return code, out


def test_build_compiles_every_result(built, registry):
    code, out = built
    assert code == 0
    assert (out / "appendix.pdf").is_file()
    text = pdf_text(out / "appendix.pdf")
    assert "??" not in text
    for result in registry:
        assert result.label in text, result.id
    for figure in ("Figure 1: ", "Figure 2: ", "Figure 3: "):
        assert figure in text
    assert "Verification" in text and "SymPy" in text
    assert "The theory on a pretrained model" in text and "all-MiniLM-L6-v2" in text
    assert ("Figure 4: " in text and "Table 1." in text) or "was not generated because the model is not installed" in text


def test_no_formula_runs_off_the_page(built):
    _, out = built
    log = (out / BUILD_DIR / "appendix.log").read_text(encoding="latin-1")
    overfull = [(float(m.group(1)), m.group(0)) for m in
                re.finditer(r"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*", log)]
    assert [o for o in overfull if o[0] > MAX_OVERFULL_PT] == []
    assert "LaTeX Warning: Reference" not in log and "undefined references" not in log


def tags(tex: str) -> list[str]:
    """The contents of every justification ``\\iclkdwhy{…}`` (braces matched)."""
    found = []
    for start in (m.end() for m in re.finditer(r"\\iclkdwhy\{", tex)):
        depth, i = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(tex[i], 0)
            i += 1
        found.append(tex[start:i - 1])
    return found


def test_justifications_beside_rows_are_short(built):
    _, out = built
    body = (out / "appendix-body.tex").read_text()
    widths = {tag: text_width(re.sub(r"\\textcolor\{red\}\{[^}]*\}", "", tag)) for tag in tags(body)}
    assert widths and max(widths.values()) <= TAG_TEXT_MAX + 8, max(widths, key=widths.get)


def test_shell_escape_is_off(built):
    _, out = built
    log = (out / BUILD_DIR / "appendix.log").read_text(encoding="latin-1")
    assert "write18 enabled" not in log


def test_hostile_user_result_renders_and_prints_literally(tmp_path):
    module = tmp_path / "hostile.py"
    module.write_text(textwrap.dedent(f'''
        import sympy as sp
        from iclkd import Algebra, Claim, Result, Step
        x = sp.Symbol("x")
        RESULTS = [Result("U1", r"Lemma 9 \\relax", {HOSTILE_TITLE!r},
                          claims=(Claim("", (x + 1)**2, x**2 + 2*x + 1,
                                        text="α ≤ η, ‖φ‖ᵀ ⊗ ∇ ((( x ))) ((* if 1 *))",
                                        proof=(Step(x**2 + 2*x + 1, Algebra("\\\\x \\\\$ % & _")),)),),
                          notes=r"\\write18{{touch pwned}} ^^5c \\end{{document}}")]
    '''))
    out = tmp_path / "out"
    assert main(["render", "--file", str(module), "--out", str(out), "--pdf"]) == 0
    body = (out / "appendix-body.tex").read_text()
    assert r"\textbackslash{}input\{/etc/passwd\}" in body and r"\input{/etc" not in body
    assert not (out / "pwned").exists()
    text = " ".join(pdf_text(out / "appendix.pdf").split())
    assert HOSTILE_TITLE in text
    assert "α ≤ η" in text and "((( x )))" in text


def test_latex_error_names_file_and_line(tmp_path):
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\begin{document}\nok\n\\input{part}\n"
                                      "\\end{document}\n")
    (tmp_path / "part.tex").write_text("fine\n\\undefinedcommand\n")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF stale")
    outcome = compile_pdf(tmp_path / "doc.tex", timeout=120)
    assert not outcome.ok
    assert "part.tex line 2: Undefined control sequence." in outcome.message
    assert not (tmp_path / "doc.pdf").exists()


def test_write18_does_not_run(tmp_path):
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\begin{document}\n"
                                      "\\immediate\\write18{touch pwned}x\n\\end{document}\n")
    outcome = compile_pdf(tmp_path / "doc.tex", timeout=120)
    assert outcome.ok, outcome.message
    assert not (tmp_path / "pwned").exists()


def test_build_exits_1_when_a_result_is_not_verified(tmp_path):
    module = tmp_path / "wrong.py"
    module.write_text(textwrap.dedent('''
        import sympy as sp
        from iclkd import Algebra, Claim, Result, Step
        x = sp.Symbol("x")
        RESULTS = [Result("U2", "Lemma 0", "A wrong square",
                          claims=(Claim("", (x + 1)**2, x**2 + 1, proof=(Step(x**2 + 1, Algebra()),)),))]
    '''))
    out = tmp_path / "out"
    assert main(["build", "--file", str(module), "--out", str(out)]) == 1
    assert (out / "appendix.pdf").is_file()
    body = (out / "appendix-body.tex").read_text()
    assert r"\textcolor{red}{\textbf{refuted}}" in body and "first failure" in body


def test_pdflatex_fallback_runs_until_references_settle(tmp_path, monkeypatch):
    import iclkd.render.latex as latex

    monkeypatch.setattr(latex, "find_tex", lambda: ("pdflatex", shutil.which("pdflatex")))
    (tmp_path / "doc.tex").write_text("\\documentclass{article}\n\\begin{document}\nSee \\ref{x}.\n"
                                      "\\section{A}\\label{x}\n\\end{document}\n")
    outcome = latex.compile_pdf(tmp_path / "doc.tex", timeout=120)
    assert outcome.ok and outcome.tool == "pdflatex" and outcome.pages == 1, outcome.message
    assert "??" not in pdf_text(tmp_path / "doc.pdf")


LAYOUTS = {  # the seed paper's whole appendix in the layouts authors use
    "article-default-width": (r"\documentclass{article}", ""),
    "amsart-left-tags": (r"\documentclass{amsart}", ""),
    "twocolumn": (r"\documentclass[twocolumn]{article}", ""),
    "leqno-twocolumn": (r"\documentclass[twocolumn,leqno]{article}", ""),
    "revtex4-2": (r"\documentclass[aps,reprint]{revtex4-2}", "revtex4-2.cls"),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_whole_appendix_fits_other_page_layouts(built, tmp_path, layout):
    """No box overfull by more than 1 pt anywhere in the seed paper's appendix, in one and
    two columns and with left equation tags; displays wider than the line are scaled (and
    say so in the log), every one of them."""
    _, out = built
    cls, needs = LAYOUTS[layout]
    if needs and not subprocess.run(["kpsewhich", needs], capture_output=True, text=True).stdout.strip():
        pytest.skip(f"{needs} is not installed (apt-get install texlive-publishers)")
    (tmp_path / "paper.tex").write_text(cls + "\n" + textwrap.dedent(rf"""
        \usepackage{{amsmath,amssymb,amsthm,mathtools,booktabs,graphicx,xcolor,hyperref}}
        \begin{{document}}
        \appendix
        \newcommand{{\iclkddir}}{{{out}/}}
        \input{{{out}/appendix-body}}
        \end{{document}}"""))
    for _ in range(2):
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-2000:]
    log = (tmp_path / "paper.log").read_text(encoding="latin-1")
    overfull = re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*", log)
    assert [w for w in overfull if float(w) > MAX_OVERFULL_PT] == [], overfull
    scaled = re.findall(r"iclkd: a display on input line \d+ is scaled", log)
    assert len(scaled) < 30, len(scaled)  # most displays break into rows; few are scaled
    if shutil.which("pdftotext"):  # justifications stay beside their formulas with leqno
        words = subprocess.run(["pdftotext", "-bbox", "paper.pdf", "-"], cwd=tmp_path, capture_output=True,
                               text=True, check=True).stdout
        xs = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"[^>]*>algebra</word>', words)]
        margins = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"[^>]*>Proof\.</word>', words)]
        assert xs and margins
        # a justification is at least a \qquad (20 pt) right of the margin; a left tag sits on it
        assert min(xs) > min(margins) + 15, (min(xs), min(margins))
