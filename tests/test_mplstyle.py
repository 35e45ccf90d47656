"""``--mplstyle FILE``: the author's matplotlib style over iclkd's, for every figure; a style
file that cannot be used is a one-line error (exit 2), and the PDFs stay byte-stable."""
from __future__ import annotations

from argparse import Namespace

import pytest

from iclkd.check import CheckSettings
from iclkd.cli import main
from iclkd.commands.render import regenerate_command
from iclkd.render.figures import StyleError, read_style

FIGURE = "figures/rf_error.pdf"


def _figures(out):
    return sorted(p.relative_to(out).as_posix() for p in (out / "figures").glob("*.pdf"))


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    """R4 rendered with iclkd's style, twice with an author's style (bigger text, thick lines)."""
    root = tmp_path_factory.mktemp("style")
    style = root / "paper.mplstyle"
    style.write_text("font.size: 14\nlines.linewidth: 4\n# a comment\naxes.grid: False\n")
    codes = {}
    for name, extra in (("plain", []), ("styled", ["--mplstyle", str(style)]), ("again", ["--mplstyle", str(style)])):
        codes[name] = main(["render", "R4", "--trials", "1", "--out", str(root / name), *extra])
    return root, codes


def test_the_authors_style_changes_the_figures_and_stays_byte_stable(renderings):
    root, codes = renderings
    assert codes == {"plain": 0, "styled": 0, "again": 0}
    figures = _figures(root / "plain")
    assert figures and figures == _figures(root / "styled")
    for name in figures:
        assert (root / "plain" / name).read_bytes() != (root / "styled" / name).read_bytes(), name
        assert (root / "styled" / name).read_bytes() == (root / "again" / name).read_bytes(), name
    # the .tex does not depend on the style
    assert (root / "plain" / "appendix-body.tex").read_text() == (root / "styled" / "appendix-body.tex").read_text()


def test_read_style_reads_keys_and_drops_the_backend(tmp_path):
    style = tmp_path / "s.mplstyle"
    style.write_text("font.size: 11\nbackend: TkAgg\n")
    params = read_style(style)
    assert params["font.size"] == 11.0 and "backend" not in params


@pytest.mark.parametrize("text, message", [
    ("font.sise: 11\n", "font.sise"),                 # an unknown key
    ("font.size: large-ish\n", "font.size"),          # a bad value
    ("lines.linewidth: \n", "lines.linewidth"),
])
def test_a_bad_style_file_is_one_line_and_exit_2(tmp_path, capfd, text, message):
    style = tmp_path / "bad.mplstyle"
    style.write_text(text)
    with pytest.raises(StyleError, match=message):
        read_style(style)
    capfd.readouterr()
    assert main(["render", "R4", "--trials", "1", "--mplstyle", str(style), "--out", str(tmp_path / "o")]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("iclkd: --mplstyle ") and message in err[0]
    assert not (tmp_path / "o").exists()


def test_a_missing_style_file_is_exit_2(tmp_path, capfd):
    assert main(["render", "R4", "--mplstyle", str(tmp_path / "none.mplstyle"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capfd.readouterr().err


def test_the_regenerate_hint_repeats_the_style():
    run = Namespace(ids=["R4"], file=None, paper=None, mplstyle="my style.mplstyle")
    assert "--mplstyle 'my style.mplstyle'" in regenerate_command(run, CheckSettings(), "build")
