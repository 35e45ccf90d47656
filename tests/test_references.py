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
