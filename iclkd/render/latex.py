"""Compiling the appendix to PDF with ``latexmk`` (or ``pdflatex`` when latexmk is absent).

Safe and non-interactive: ``-no-shell-escape`` (Debian allows restricted shell escape by
default), ``-interaction=nonstopmode -halt-on-error``, standard input closed, a time
limit, and TeX may write only below the output folder. Success is read from the exit
code, never from a PDF's existence: the run happens in ``DIR/.latex-build`` and the PDF is
moved to ``DIR`` only when every pass succeeded, so a failed run never leaves a PDF
that looks current (a previous ``DIR/appendix.pdf`` is removed).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..symbolic.timing import Stopwatch

BUILD_DIR = ".latex-build"
SAFE_FLAGS = ["-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error"]
FILE_LINE_ERROR = re.compile(r"^(?P<file>[^\s:][^:\n]*\.(?:tex|sty|cls|def|aux|toc)):(?P<line>\d+): (?P<msg>.*)$", re.M)
TEX_ERROR = re.compile(r"^! (?P<msg>[^\n]*)$", re.M)
TEX_ERROR_LINE = re.compile(r"^l\.(?P<line>\d+)", re.M)
PAGES = re.compile(r"Output written on .*?\((?P<pages>\d+) pages?")
RERUN = re.compile(r"Rerun to get cross-references right|Label\(s\) may have changed")
UNDEFINED_REFS = re.compile(r"There were undefined references|Reference `[^']*' on page \d+ undefined")
TEX_ENV = {"openout_any": "p", "shell_escape": "f"}
NO_TEX = ("no TeX installation found (neither latexmk nor pdflatex is on PATH); the .tex files were "
          "written; install texlive-latex-base, texlive-latex-recommended, texlive-latex-extra and latexmk "
          "to compile them")


@dataclass
class CompileResult:
    """Outcome of compiling: ``ok``, the PDF, a one-line ``message``, pages, seconds."""

    ok: bool
    message: str
    pdf: Optional[Path] = None
    pages: int = 0
    seconds: float = 0.0
    tool: str = ""


def find_tex() -> Optional[tuple[str, str]]:
    """``("latexmk", path)`` or ``("pdflatex", path)``, whichever is installed first; else None."""
    for tool in ("latexmk", "pdflatex"):
        found = shutil.which(tool)
        if found and (tool != "latexmk" or shutil.which("pdflatex")):
            return tool, found
    return None


def _commands(tool: str, path: str, tex_name: str) -> list[list[str]]:
    if tool == "latexmk":
        return [[path, "-norc", "-pdf", "-silent", *SAFE_FLAGS, f"-outdir={BUILD_DIR}", tex_name]]
    return [[path, *SAFE_FLAGS, f"-output-directory={BUILD_DIR}", tex_name]] * 3


def error_location(log: str, fallback_file: str) -> str:
    """The first LaTeX error in a log as ``FILE line N: MESSAGE``.

    >>> error_location('./appendix-body.tex:12: Undefined control sequence.', 'x.tex')
    'appendix-body.tex line 12: Undefined control sequence.'
    >>> error_location('! Missing $ inserted.\\n<inserted text>\\nl.7 a_b', 'x.tex')
    'x.tex line 7: Missing $ inserted.'
    """
    match = FILE_LINE_ERROR.search(log)
    if match:
        name = match.group("file")
        name = name[2:] if name.startswith("./") else name
        return f"{name} line {match.group('line')}: {match.group('msg').strip()}"
    match = TEX_ERROR.search(log)
    if match:
        line = TEX_ERROR_LINE.search(log, match.end())
        return f"{fallback_file} line {line.group('line') if line else '?'}: {match.group('msg').strip()}"
    return ""


def _read_log(build: Path, stem: str) -> str:
    log = build / f"{stem}.log"
    return log.read_text(encoding="latin-1") if log.is_file() else ""


def _run(command, cwd: Path, timeout: float):
    env = {**os.environ, **TEX_ENV}
    return subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=timeout, env=env, check=False)


def compile_pdf(tex_file, timeout: float = 300.0) -> CompileResult:
    """Compile ``tex_file`` (in its own folder) to ``<stem>.pdf`` beside it.

    Returns ``ok=False`` with the LaTeX error's file and line when a pass fails, and when
    the document still has undefined references after the last pass.
    """
    tex_file = Path(tex_file)
    folder, stem = tex_file.parent, tex_file.stem
    target = folder / f"{stem}.pdf"
    found = find_tex()
    if found is None:
        return CompileResult(False, NO_TEX)
    tool, path = found
    build = folder / BUILD_DIR
    build.mkdir(exist_ok=True)
    (build / f"{stem}.pdf").unlink(missing_ok=True)
    watch = Stopwatch()
    for command in _commands(tool, path, tex_file.name):
        try:
            proc = _run(command, folder, timeout)
        except subprocess.TimeoutExpired:
            return _failed(target, f"{tool} did not finish within {timeout:g} s", tool, watch)
        log = _read_log(build, stem)
        if proc.returncode != 0:
            where = error_location(log, tex_file.name) or f"{tool} exited with code {proc.returncode}"
            return _failed(target, f"LaTeX error in {where} (log: {build / (stem + '.log')})", tool, watch)
        if tool == "pdflatex" and not RERUN.search(log):
            break
    return _finish(build, stem, target, tool, watch)


def _finish(build: Path, stem: str, target: Path, tool: str, watch) -> CompileResult:
    log = _read_log(build, stem)
    if UNDEFINED_REFS.search(log):
        return _failed(target, f"LaTeX left undefined references (log: {build / (stem + '.log')})", tool, watch)
    built = build / f"{stem}.pdf"
    if not built.is_file():
        return _failed(target, f"{tool} reported success but wrote no PDF", tool, watch)
    os.replace(built, target)
    pages = PAGES.search(log)
    count = int(pages.group("pages")) if pages else 0
    return CompileResult(True, f"wrote {target} ({count} pages)", target, count, watch.seconds(), tool)


def _failed(target: Path, message: str, tool: str, watch) -> CompileResult:
    target.unlink(missing_ok=True)
    return CompileResult(False, message, None, 0, watch.seconds(), tool)
