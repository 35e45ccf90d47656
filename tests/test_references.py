"""References to results and claims in real documents: ``\\ref``, ``\\cref``, ``\\Cref`` and
``\\autoref`` print the kind and number the paper gives, and their hyperlinks point at the
anchor of the result (or claim) itself, read back from the ``.aux`` file and with pdftotext.

The expected texts come from the labels written in the test module ("Lemma 1.2",
"Theorem 2"), never from iclkd's output.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import pytest

from iclkd.cli import main
from iclkd.render.context import claim_key, label_parts

MODULE = textwrap.dedent('''
    import sympy as sp
    from iclkd import Algebra, Claim, Result, Step
    x, y = sp.symbols('x y')
    RESULTS = [
        Result('U1', 'Lemma 1.2', 'Two squares', claims=(
            Claim('(a)', (x + 1)**2, x**2 + 2*x + 1, proof=(Step(x**2 + 2*x + 1, Algebra()),)),
            Claim('(b)', (x - 1)**2, x**2 - 2*x + 1, proof=(Step(x**2 - 2*x + 1, Algebra()),)),)),
        Result('U2', 'Theorem 2', 'A product', claims=(
            Claim('', (x + y)*(x - y), x**2 - y**2, proof=(Step(x**2 - y**2, Algebra()),)),)),
        Result('U3', 'Boundedness', 'No number', claims=(
            Claim('', x*y, y*x, proof=(Step(y*x, Algebra()),)),)),
    ]
''')

REFERENCES = "\n\n".join([r"REF[\ref{res:U1}]", r"CREF[\cref{res:U1}]", r"CCREF[\Cref{res:U2}]",
                           r"AUTO[\autoref{res:U2}]", r"CLAIM[\cref{res:U1:b}]", r"CLAIMREF[\ref{res:U1:a}]",
                           r"OWN[\cref{thm:own}]", r"BARE[\cref{res:U3}]"])
EXPECTED = ["REF[1.2]", "CREF[lemma 1.2]", "CCREF[Theorem 2]", "AUTO[Theorem 2]",
            "CLAIM[lemma 1.2(b)]", "CLAIMREF[1.2(a)]", "OWN[theorem 1]", "BARE[Boundedness]"]

ARTICLE = r"""\documentclass%(options)s{%(cls)s}
\usepackage{amsmath,amssymb,amsthm,mathtools,booktabs,graphicx,xcolor}
%(natbib)s
\usepackage{hyperref}
\usepackage{cleveref}
\newtheorem{theorem}{Theorem}
\begin{document}
\section{Introduction}
\begin{theorem}\label{thm:own}The paper's own theorem.\end{theorem}
References made before the appendix: %(refs)s.
\appendix
\newcommand{\iclkddir}{out/}
\input{out/appendix-body}
\end{document}
"""

DOCUMENTS = {
    "article": {"cls": "article", "options": "", "natbib": r"\usepackage[numbers]{natbib}"},
    "amsart": {"cls": "amsart", "options": "", "natbib": ""},
    "twocolumn": {"cls": "article", "options": "[twocolumn]", "natbib": r"\usepackage[numbers]{natbib}"},
    # a journal class (Debian's texlive-publishers; it loads natbib itself), two columns
    "revtex4-2": {"cls": "revtex4-2", "options": "[aps,reprint]", "natbib": ""},
}


def _class_installed(cls: str) -> bool:
    found = shutil.which("kpsewhich") and subprocess.run(["kpsewhich", cls + ".cls"], capture_output=True, text=True)
    return bool(found and found.stdout.strip())

needs_tex = pytest.mark.skipif(not shutil.which("pdflatex") or not shutil.which("pdftotext"),
                               reason="pdflatex and pdftotext are needed")


def test_a_label_splits_into_kind_and_number():
    assert label_parts("Theorem 3.1") == {"kind": "Theorem", "kind_plural": "Theorems", "number": "3.1",
                                          "counter": "iclkdtheorem"}
    assert label_parts("Lemma 2.2a")["number"] == "2.2a"
    assert label_parts("Corollary 3.2")["kind_plural"] == "Corollaries"
    assert label_parts("Main Lemma A.4")["counter"] == "iclkdmainlemma"
    assert label_parts("Boundedness") == {"kind": "", "kind_plural": "", "number": "Boundedness",
                                          "counter": "iclkdresult"}
    assert label_parts("von Oswald et al. 2023, Prop. 1")["kind"] == ""
    assert claim_key("(b)") == "b" and claim_key("") == ""


def _compile(folder, name, layout=False):
    for _ in range(3):  # labels, then the kinds' names from the .aux, then stable
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name + ".tex"],
                             cwd=folder, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]
    log = (folder / (name + ".log")).read_text(errors="replace")
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), name + ".pdf", "-"], cwd=folder, capture_output=True,
                          text=True, check=True).stdout
    return log, text, (folder / (name + ".aux")).read_text(errors="replace")


@needs_tex
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_references_to_results_and_claims_resolve(tmp_path, document):
    if not _class_installed(DOCUMENTS[document]["cls"]):
        pytest.skip(f"{DOCUMENTS[document]['cls']}.cls is not installed (apt-get install texlive-publishers)")
    (tmp_path / "mine.py").write_text(MODULE)
    assert main(["render", "--file", str(tmp_path / "mine.py"), "--out", str(tmp_path / "out")]) == 0
    (tmp_path / "paper.tex").write_text(ARTICLE % {**DOCUMENTS[document], "refs": REFERENCES})
    log, text, aux = _compile(tmp_path, "paper")
    flat = re.sub(r"\s+", " ", text)
    for expected in EXPECTED:
        assert expected in flat, (expected, flat[:600])
    assert "undefined" not in log.lower() or "There were undefined references" not in log
    assert "Reference `" not in log and "reference format for label type" not in log
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert all(w <= 1.0 for w in overfull), overfull  # the verification table too, in two columns
    # each label's hyperlink goes to its own anchor, on a result's counter, not a section's
    anchors = dict(re.findall(r"\\newlabel\{(res:[^}@]+)\}\{\{[^}]*\}\{\d+\}\{[^}]*\}\{([^}]*)\}", aux))
    assert set(anchors) == {"res:U1", "res:U1:a", "res:U1:b", "res:U2", "res:U3"}
    assert len(set(anchors.values())) == 5
    assert all(a.startswith(("iclkdlemma.", "iclkdtheorem.", "iclkdresult.")) for a in anchors.values()), anchors
    assert "Lemma 1.2 (Two squares)" in flat and "Boundedness (No number)" in flat  # headings as labelled
    # each label's page (in the .aux) is the page that prints the result's heading or the claim
    pages = dict(re.findall(r"\\newlabel\{(res:[^}@]+)\}\{\{[^}]*\}\{(\d+)\}", aux))
    printed = [re.sub(r"\s+", " ", page) for page in text.split("\f")]
    for label, heading in {"res:U1": "Lemma 1.2 (Two squares)", "res:U2": "Theorem 2 (A product)",
                           "res:U3": "Boundedness (No number)", "res:U1:b": "(x − 1)"}.items():
        assert heading in printed[int(pages[label]) - 1], (label, pages[label], heading)
    # no section number the class may not print (revtex4-2 printed "Section summarises")
    assert "The last section, Verification, summarises the checks." in flat


@needs_tex
def test_the_verification_table_names_each_result_by_kind_and_number(tmp_path):
    (tmp_path / "mine.py").write_text(MODULE)
    assert main(["render", "--file", str(tmp_path / "mine.py"), "--out", str(tmp_path / "out")]) == 0
    log, text, _ = _compile(tmp_path / "out", "appendix", layout=True)
    flat = re.sub(r"\s+", " ", text)
    assert "U1 Lemma 1.2 verified" in flat and "U2 Theorem 2 verified" in flat
    assert "U3 Boundedness verified" in flat
    assert "Lemma Lemma" not in flat and "Theorem Theorem" not in flat


SPLIT_PAPER = r"""\documentclass{article}
\usepackage{amsmath,amssymb,amsthm,mathtools,graphicx,xcolor}
\usepackage{hyperref}
\usepackage{cleveref}
\newtheorem{thm}{Theorem}
\begin{document}
\section{Main results}
\newcommand{\iclkddir}{out/}
\begin{thm}\label{thm:own}The paper's own theorem.\end{thm}
\input{out/results/R7-statement}
MAIN[\cref{res:R7}]

CLAIM[\cref{res:R7:b}]

REF[\ref{res:R7:a}]

LATER[\cref{res:R4}]
\appendix
\section{Proofs}
\input{out/results/R7-proof}
\input{out/results/R4}
\end{document}
"""


@needs_tex
@pytest.mark.parametrize("envs, expected", [
    # iclkd's environments: the numbers are the paper's labels (R7 is Theorem 3.1, R4 Lemma 2.2a)
    ([], ["MAIN[theorem 3.1]", "CLAIM[theorem 3.1(b)]", "REF[3.1(a)]", "LATER[lemma 2.2a]",
          "Theorem 3.1 (The initialisation is distilled)", "Proof of Theorem 3.1."]),
    # the paper's own theorem environment numbers R7 after the paper's Theorem 1
    (["--theorem-env", "theorem=thm"], ["MAIN[theorem 2]", "CLAIM[theorem 2(b)]", "REF[2(a)]",
                                        "LATER[lemma 2.2a]", "Theorem 2 (The initialisation is distilled)",
                                        "Proof of Theorem 2."]),
])
def test_a_statement_in_the_main_text_and_its_proof_in_the_appendix(tmp_path, envs, expected):
    assert main(["render", "R7", "R4", "--split", *envs, "--out", str(tmp_path / "out")]) == 0
    (tmp_path / "paper.tex").write_text(SPLIT_PAPER)
    log, text, aux = _compile(tmp_path, "paper")
    flat = re.sub(r"\s+", " ", text)
    for want in expected:
        assert want in flat, (want, flat[:800])
    assert "There were undefined references" not in log and "multiply defined" not in log
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert all(w <= 1.0 for w in overfull), overfull
    main_text, appendix = flat.split("Proofs", 1)
    assert "(The initialisation is distilled)" in main_text and "Proof of" not in main_text
    assert "Proof of" in appendix and "Checked: verified" in appendix
    labels = set(re.findall(r"\\newlabel\{(res:[^}@]+)\}", aux))
    # R7's claims (a)-(d) of the paper (iclkd may state more parts), R4, and nothing else
    assert {"res:R7", "res:R7:a", "res:R7:b", "res:R7:c", "res:R7:d", "res:R4"} <= labels, labels
    assert all(re.fullmatch(r"res:R7(:[a-z])?|res:R4", label) for label in labels), labels


def test_theorem_env_and_split_are_repeated_by_the_regenerate_hint(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", "R7", "--split", "--theorem-env", "theorem=thm", "--out", str(out)]) == 0
    piece = out / "results" / "R7-proof.tex"
    piece.write_text(piece.read_text().replace("matrix calculus", "matrix algebra"))
    capsys.readouterr()
    assert main(["render", "R7", "--split", "--theorem-env", "theorem=thm", "--check", str(out)]) == 1
    said = capsys.readouterr().out
    assert "results/R7-proof.tex: R7" in said
    assert "--split --theorem-env theorem=thm" in said


@pytest.mark.parametrize("bad", ["theorem", "theorem=", "=thm", "theorem=th m", "theorem=thm,lemma=\\lem"])
def test_a_bad_theorem_env_is_a_one_line_usage_error(tmp_path, capfd, bad):
    assert main(["render", "R7", "--theorem-env", bad, "--out", str(tmp_path / "out")]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--theorem-env expects KIND=ENV pairs" in err[0]
    assert not (tmp_path / "out").exists()
