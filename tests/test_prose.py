"""Math in prose: a remark's or claim text's ``$...$`` prints as math, validated so that it
can never run TeX; assumptions print as formulas."""
from __future__ import annotations

import shutil
import subprocess
import textwrap

import pytest

from iclkd.cli import main
from iclkd.render.prose import ProseError, prose_tex

MODULE = textwrap.dedent('''\
    import sympy as sp
    from iclkd import Algebra, Assumption, Claim, Result, Step

    y = sp.Symbol("y")
    RESULTS = [
        Result("U1", "Lemma 1", "A square", notes=NOTES,
               assumptions=(Assumption(y >= 3, name="y at least 3"),),
               claims=(Claim("", (y + 1)**2, y**2 + 2*y + 1, text=TEXT,
                             proof=(Step(y**2 + 2*y + 1, Algebra()),)),)),
    ]
''')


def module(tmp_path, notes, text="For every $y \\geq 3$:"):
    path = tmp_path / "mine.py"
    path.write_text(f"NOTES = {notes!r}\nTEXT = {text!r}\n" + MODULE)
    return str(path)


@pytest.mark.skipif(not shutil.which("pdftotext") or not (shutil.which("latexmk") or shutil.which("pdflatex")),
                    reason="needs TeX and pdftotext")
def test_a_remark_with_math_and_an_assumption_print_as_formulas(tmp_path):
    path = module(tmp_path, r"The error is $O_p(M^{-1/2})$ and costs \$5.")
    out = tmp_path / "app"
    assert main(["render", "--file", path, "--out", str(out), "--pdf"]) == 0
    body = (out / "appendix-body.tex").read_text()
    assert r"\textit{Remark.} The error is $O_p(M^{-1/2})$ and costs \$5." in body
    assert r"For every $y \geq 3$:" in body
    assert r"$y \geq 3$" in body.split("Assumptions:")[1].splitlines()[1]
    text = subprocess.run(["pdftotext", "-layout", str(out / "appendix.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    remark = next(line for line in text.splitlines() if "Remark." in line)
    assert "O_p" not in remark and "Op (M" in remark.replace("Op(M", "Op (M") and "$5" in remark
    assert "$" not in text.replace("$5", "")  # no dollar printed as text: all became math


@pytest.mark.parametrize("bad, why", [
    (r"$\input{/etc/passwd}$", r"\input is not one of the math commands"),
    (r"$\def\x{1}$", r"\def is not one"),
    (r"$\csname foo\endcsname$", r"\csname is not one"),
    ("$^^5cinput$", "'^^' is not allowed"),
    ("$a # b$", "'#' is not allowed"),
    ("$a % b$", "'%' is not allowed"),
    ("$a & b$", "'&' is not allowed"),
    ("$x^{2$", "unbalanced braces"),
    ("$x}$", "unbalanced"),
    ("costs $5", "unmatched '$'"),
    ("$$", "empty math segment"),
    ("$" + "{" * 9 + "x" + "}" * 9 + "$", "too deeply nested"),
    ("$a \\", "unmatched"),
    ("$a \\ $", "allowed math command"[:0] or "a backslash"),
])
def test_math_that_could_run_tex_is_refused(bad, why):
    if bad == "$a \\ $":  # '\ ' is an allowed control space: this one is fine
        assert prose_tex(bad) == "$a \\ $"
        return
    with pytest.raises(ProseError) as err:
        prose_tex(bad)
    assert why in str(err.value)


def test_text_outside_math_is_escaped_as_before():
    assert prose_tex("a_b & 50%") == r"a\texttt{\char95}b \& 50\%"
    assert prose_tex(r"$\alpha ≤ β$") == r"$\alpha \leq  \beta $"  # a relation, not a braced atom


def test_render_with_bad_math_in_a_remark_is_a_one_line_usage_error(tmp_path, capfd):
    path = module(tmp_path, r"see $\input{x}$")
    assert main(["render", "--file", path, "--out", str(tmp_path / "app")]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("iclkd: ") and r"\input" in err[0]
    assert not (tmp_path / "app" / "appendix-body.tex").exists()


def test_every_proof_ends_with_the_documents_end_of_proof_mark(tmp_path):
    path = module(tmp_path, "plain")
    out = tmp_path / "app"
    assert main(["render", "--file", path, "--out", str(out)]) == 0
    body = (out / "appendix-body.tex").read_text()
    proof_end = body.split(r"\newenvironment{iclkdproof}", 1)[1].splitlines()[0]
    assert proof_end.endswith(r"{\par\nobreak\noindent\hfill\qedsymbol\par}")
    assert body.count(r"\begin{iclkdproof}") == body.count(r"\end{iclkdproof}") == 1


def test_unicode_math_letters_with_a_combining_hat_become_commands():
    assert prose_tex("$R̂(h) ≤ R(h)$") == r"$\hat{R} (h) \leq  R(h)$"
    with pytest.raises(ProseError):
        prose_tex("$x\u0301$")  # a combining accent LaTeX math is not given here


def test_a_symbol_after_a_superscript_sign_is_braced():
    assert prose_tex("$x^½ + y_α$") == r"$x^{\tfrac{1}{2}} + y_{\alpha}$"


STEP_MODULE = textwrap.dedent('''\
    import sympy as sp
    from iclkd import Algebra, Assumption, Cited, Claim, Definition, Result, Step

    y, c = sp.symbols("y c", positive=True)
    RESULTS = [
        Result("U1", "Lemma 1", "Math in justifications",
               assumptions=(Assumption(y > 2, name=ASSUMPTION),),
               definitions=(Definition(c, y + 1, DEFINITION),),
               claims=(Claim("", c**2, y**2 + 2*y + 1,
                             proof=(Step(y**2 + 2*y + 1, Algebra(JUSTIFICATION)),)),)),
    ]
''')


def step_module(tmp_path, justification="expanding $(y+1)^2$", assumption="$y$ a length",
                definition="the shift $y + 1$"):
    path = tmp_path / "steps.py"
    path.write_text(f"JUSTIFICATION = {justification!r}\nASSUMPTION = {assumption!r}\n"
                    f"DEFINITION = {definition!r}\n" + STEP_MODULE)
    return str(path)


def test_math_in_a_justification_an_assumption_name_and_a_definition_name_prints_as_math(tmp_path):
    out = tmp_path / "app"
    assert main(["render", "--file", step_module(tmp_path), "--out", str(out)]) == 0
    body = (out / "appendix-body.tex").read_text()
    assert r"expanding $(y+1)^2$" in body
    assert r"\textup{(}$y$ a length\textup{)}" in body
    assert r"the shift $y + 1$" in body
    assert r"\$" not in body.split("iclkd:begin U1")[1]


@pytest.mark.parametrize("field", ["justification", "assumption", "definition"])
def test_bad_math_in_a_justification_or_a_name_is_a_one_line_usage_error(tmp_path, capfd, field):
    path = step_module(tmp_path, **{field: r"see $\x$"})
    assert main(["render", "--file", path, "--out", str(tmp_path / "app")]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("iclkd: ") and r"\x is not one of the math commands" in err[0]
    assert not (tmp_path / "app" / "appendix-body.tex").exists()
