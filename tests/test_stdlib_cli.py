"""``iclkd check --stdlib`` and ``iclkd render --stdlib``: the library checked and rendered as
the results of a run."""
from __future__ import annotations

import json

from iclkd.cli import main


def test_check_stdlib_verifies_every_entry(tmp_path, capsys):
    out = tmp_path / "stdlib.json"
    assert main(["check", "--stdlib", "--quiet", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    summary = report["summary"]
    assert summary["total"] >= 100 and summary["verified"] == summary["total"]
    assert f"{summary['total']} of {summary['total']} verified" in capsys.readouterr().out


def test_check_stdlib_selects_entries_by_pattern(capsys):
    assert main(["check", "--stdlib", "trace.*"]) == 0
    text = capsys.readouterr().out
    assert "trace.cyclic" in text and "inverse.woodbury" not in text


def test_stdlib_with_a_paper_is_a_usage_error(capsys):
    assert main(["check", "--stdlib", "--paper", "brewing"]) == 2
    assert "--stdlib checks the library alone" in capsys.readouterr().err


def test_render_stdlib_writes_the_library_as_an_appendix(tmp_path, capsys):
    assert main(["render", "--stdlib", "inverse.*", "--out", str(tmp_path)]) == 0
    body = (tmp_path / "appendix-body.tex").read_text()
    assert "Matrix Cookbook (157)" in body and "Woodbury" in body
