"""Rendering the appendix: escaping, the template guard, determinism and ``--check``.

These tests need no TeX installation; ``test_render_build.py`` compiles.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from iclkd.check import CheckSettings
from iclkd.cli import main
from iclkd.render.figures import draw_figures
from iclkd.render.document import (BODY, differing_parts, figures_for, line_owners, render_appendix,
                                   stale_parts)
from iclkd.render.escape import escape_tex
from iclkd.derivations.brewing.figures import FIGURES
from iclkd.render.layout import broken_lines, chain_rows, visual_width
from iclkd.render.templating import TeX, UnescapedText, environment

SPECIALS = r"_%&#${}~^\<>|" + '"'


@pytest.mark.parametrize("text, expected", [
    ("50%", r"50\%"), ("a_b", r"a\texttt{\char95}b"), ("&", r"\&"), ("#1", r"\#1"), ("$x$", r"\$x\$"),
    ("{c}", r"\{c\}"), ("~x", r"\texttt{\char126}x"), ("x^2", r"x\texttt{\char94}2"),
    (r"\input", r"\textbackslash{}input"), ("a<b>c", r"a\textless{}b\textgreater{}c"),
    ("|x|", r"\textbar{}x\textbar{}"), ("α", r"\ensuremath{\alpha}"), ("φ", r"\ensuremath{\varphi}"),
    ("∇", r"\ensuremath{\nabla}"), ("⊗", r"\ensuremath{\otimes}"), ("≤", r"\ensuremath{\leq}"),
    ("‖", r"\ensuremath{\Vert}"), ("ᵀ", r"\ensuremath{^{\top}}"), ("é", r"\'{e}"), ("ï", r'\"{i}'),
    ("—", "---"), ("--", "-{}-"), ("中", r"\texttt{[U+4E2D]}"), ("R̂", r"\ensuremath{\hat{R}}"),
    ("line\nbreak", "line break"), ("SM⁴", r"SM\ensuremath{^{4}}"), ("½", r"\ensuremath{\tfrac{1}{2}}"),
    ("S₃", r"S\ensuremath{_{3}}"),
])
def test_escape_table(text, expected):
    assert escape_tex(text) == expected


def test_escaped_text_is_ascii_and_has_no_bare_specials():
    text = SPECIALS + "αβγηφψω∇⊗≤≥‖ᵀ²→∈ΣΦ…中😀é"
    out = escape_tex(text)
    assert out.isascii()
    bare = out.replace(r"\%", "").replace(r"\&", "").replace(r"\#", "").replace(r"\$", "")
    bare = bare.replace(r"\{", "").replace(r"\}", "")
    for special in "%&#$":
        assert special not in bare


def test_template_refuses_unescaped_text():
    env = environment()
    with pytest.raises(UnescapedText, match="unescaped value"):
        env.from_string("((( title )))").render(title="50% & a_b")
    assert env.from_string("((( title | tex )))").render(title="50%") == r"50\%"
    assert env.from_string("((( n )))").render(n=3) == "3"
    assert env.from_string("((( m )))").render(m=TeX(r"\alpha")) == r"\alpha"


def test_template_is_strict_and_keeps_tex_comments_and_braces():
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("((( missing | tex )))").render()
    source = "%% a TeX comment\n{{ not a variable }} {% not a block %} {# not a comment #}\n"
    assert env.from_string(source).render() == source


def test_identifier_filter_rejects_tex():
    with pytest.raises(UnescapedText):
        environment().from_string(r"\label{res:((( i | ident )))}").render(i="R1}\\input{x")


def test_visual_width_and_breaking():
    assert visual_width("x + y") == 4
    import sympy as sp

    xs = sp.symbols("x0:30")
    lines = broken_lines(sum(xs), 20)
    assert len(lines) > 1 and all(visual_width(line) <= 21 for line in lines)
    rows = chain_rows(sum(xs), [("=", sum(xs), "algebra")])
    assert rows[0].startswith(r"\MoveEqLeft") and rows[-1].endswith(r" \iclkdwhy{algebra}")
    narrow = chain_rows(sum(xs), [("=", sum(xs), "algebra")], width=30, reserve=False)
    assert narrow[-1].endswith(r" \iclkdwhy{algebra}") and len(narrow) > len(rows)
    assert all(visual_width(r.split(r" \iclkdwhy")[0].replace("&", "")) <= 31 for r in narrow)


@pytest.fixture(scope="module")
def small_rendering(registry):
    """R1 (a Monte Carlo check) and R4 (a slope fit and its figure), rendered once."""
    return render_r1_r4(registry)


def render_r1_r4(registry):
    results = [registry.get("R1"), registry.get("R4")]
    figures = draw_figures(figures_for(FIGURES, ["R1", "R4"], explicit=True), 3, {r.id: r.label for r in registry})
    return render_appendix(results, registry, CheckSettings(seed=3, trials=2), figures=figures)


def test_same_seed_gives_identical_bytes(registry, small_rendering):
    again = render_r1_r4(registry)
    assert again.files == small_rendering.files
    assert sorted(small_rendering.files) == ["appendix-body.tex", "appendix.tex", "figures/rf-error.pdf"]


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    root = Path(__file__).parent.parent
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        subprocess.run([sys.executable, "-m", "iclkd", "render", "R5", "--out", str(tmp_path / hash_seed)],
                       env=env, check=True, capture_output=True, timeout=300)
    for name in ("appendix.tex", BODY):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_rendering_contains_each_result_once(small_rendering):
    body = small_rendering.files[BODY]
    for rid, label, number in (("R1", "Lemma 2.1a", "2.1a"), ("R4", "Lemma 2.2a", "2.2a")):
        assert body.count(f"% iclkd:begin {rid}") == 1
        begin = next(line for line in body.splitlines()
                     if line.startswith(r"\begin{iclkdresult}{iclkdlemma}{" + label + "}{" + number + "}"))
        assert begin.endswith("{" + rid + "}")  # the environment sets \label{res:<id>}
        assert f"% iclkd:row {rid}" in body
    assert "Trace(" not in body and "phi_q" not in body and "seed 3" in body


def test_timings_are_kept_out_of_the_compared_files(small_rendering):
    assert set(small_rendering.volatile) == {"appendix-timings.tex"}
    assert r"\iclkdsettime{R1}" in small_rendering.volatile["appendix-timings.tex"]
    assert r"\iclkdtime{R1}" in small_rendering.files[BODY]


def test_check_names_the_edited_result(tmp_path, small_rendering):
    small_rendering.write(tmp_path)
    assert stale_parts(tmp_path, small_rendering) == []
    body = tmp_path / BODY
    text = body.read_text()
    body.write_text(text.replace("Gaussian integral (MGF)", "Gaussian integral", 1))
    assert stale_parts(tmp_path, small_rendering) == ["appendix-body.tex: R1"]
    lines = text.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.rstrip().endswith("% iclkd:row R4"))
    lines[row] = lines[row].replace("verified", "refuted")
    body.write_text("".join(lines))
    assert stale_parts(tmp_path, small_rendering) == ["appendix-body.tex: R4"]
    (tmp_path / "figures" / "rf-error.pdf").write_bytes(b"%PDF-1.4 edited")
    assert "figures/rf-error.pdf (figure)" in stale_parts(tmp_path, small_rendering)


def test_line_owners_and_parts():
    old = "intro\n% iclkd:begin R1\na\n% iclkd:end R1\nrow \\\\ % iclkd:row R1\n"
    new = old.replace("\na\n", "\nb\n")
    assert differing_parts(old, new, "introduction") == ["R1"]
    assert line_owners(["x"], "introduction") == ["introduction"]


def test_cli_check_exit_codes(tmp_path, capsys):
    out = str(tmp_path / "app")
    assert main(["render", "R5", "--out", out]) == 0
    assert main(["render", "R5", "--check", out]) == 0
    body = tmp_path / "app" / BODY
    body.write_text(body.read_text().replace(r"\Delta W", r"\delta W", 1))
    capsys.readouterr()
    assert main(["render", "R5", "--check", out]) == 1
    assert "appendix-body.tex: R5" in capsys.readouterr().out


def test_check_reuses_the_recorded_seed(tmp_path):
    out = str(tmp_path / "app")
    assert main(["render", "R5", "--seed", "7", "--out", out]) == 0
    assert "seed=7" in (tmp_path / "app" / BODY).read_text()
    assert main(["render", "R5", "--check", out]) == 0
    assert main(["render", "R5", "--seed", "8", "--check", out]) == 1


def test_pdf_without_tex_says_so_and_writes_the_tex(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "app"
    assert main(["render", "R5", "--out", str(out), "--pdf"]) == 1
    assert "no TeX installation found" in capsys.readouterr().err
    assert (out / "appendix.tex").is_file() and (out / BODY).is_file()


def test_figures_are_registered_with_results():
    names = [f.name for f in FIGURES]
    assert names == ["rf-error", "bias-mmd", "eta-alignment"]
    assert all(f.illustrates for f in FIGURES)
