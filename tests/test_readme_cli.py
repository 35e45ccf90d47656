"""The README and the command line agree: every ``iclkd <command>`` the README names exists,
every ``--option`` it gives next to a command is in that command's ``--help``, and every
subcommand of ``iclkd --help`` is in the README.

What an option belongs to is read from where it stands: inside a command (`iclkd check
--json FILE`, a line of a shell block), or on its own (`--fail-fast`) after a command in the
same paragraph or list item (or under the commands of the paragraphs before it, or of the
heading: ## What `iclkd check` does). An option after another program (`pytest`, `pip`,
`python benchmarks/…`) is that program's and is not checked.
"""
from __future__ import annotations

import functools
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
SHELL_BLOCKS = ("", "bash", "sh", "console", "text", "yaml")  # fenced blocks whose lines are commands
COMMAND = re.compile(r"(?<![\w.\-\[])(?:[\w.]*/)*iclkd ([a-z][a-z-]*)")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
OTHER_PROGRAMS = ("pip", "python", "pytest", "apt-get", "latexmk", "pdflatex", "git")
LIST_ITEM = re.compile(r"^\s*(?:[*-]|\d+\.)\s")
HELP_OPTION = re.compile(r"^ {2}(?:-\w[ ,\w]*, )?(--[a-z][a-z0-9-]*)", re.M)  # "  -V, --version", "  --json FILE"


@dataclass(frozen=True)
class Mention:
    """An ``--option`` (or, with ``option`` None, a command itself) the README gives for one of
    ``commands``; ``line`` is where, for the message."""

    commands: frozenset
    option: str | None
    line: int


def readme_blocks(text: str):
    """``(kind, first line number, text)`` for each heading, shell code block and prose block
    (a paragraph or a list item); code blocks in other languages are skipped."""
    block, start, fence = [], 0, None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            if fence is None:
                yield from _prose(block, start)
                block, start, fence = [], number + 1, line[3:].strip()
            else:
                if fence in SHELL_BLOCKS:
                    yield "code", start, "\n".join(block)
                block, fence = [], None
            continue
        if fence is not None:
            block.append(line)
        elif line.startswith("#"):
            yield from _prose(block, start)
            block = []
            yield "heading", number, line
        elif not line.strip() or LIST_ITEM.match(line):
            yield from _prose(block, start)
            block, start = ([line], number) if line.strip() else ([], number + 1)
        else:
            if not block:
                start = number
            block.append(line)
    yield from _prose(block, start)


def _prose(lines, start):
    if lines:
        yield "prose", start, "\n".join(lines)


def command_like_pieces(kind: str, text: str):
    """The pieces of a block to read, in order: its code spans (prose, headings) or its shell
    commands (code, split at ``&&``, ``;`` and ``|``, comments dropped)."""
    if kind == "code":
        for line in text.splitlines():
            yield from (p.strip() for p in re.split(r"&&|;|\|", line.split("#")[0]) if p.strip())
    else:
        yield from (span.replace("\n", " ") for span in re.findall(r"`([^`]+)`", text))


def mentions(text: str) -> list[Mention]:
    """Every command and option the README text names, with the commands it belongs to."""
    found, context = [], frozenset()
    for kind, line, block in readme_blocks(text):
        named, last_was_iclkd = set(), None
        for piece in command_like_pieces(kind, block):
            command = COMMAND.search(piece)
            if command and (kind == "code" or command.start() == 0):
                name = command.group(1)
                named.add(name)
                last_was_iclkd = True
                found.append(Mention(frozenset({name}), None, line))
                found += [Mention(frozenset({name}), o, line) for o in OPTION.findall(piece[command.end():])]
            elif piece.startswith("--") and kind != "code":
                owners = (frozenset(named) | context if last_was_iclkd else context if last_was_iclkd is None
                          else frozenset())
                if owners:
                    found += [Mention(owners, o, line) for o in OPTION.findall(piece)]
            elif OPTION.search(piece) or piece.split(" ")[0] in OTHER_PROGRAMS:
                last_was_iclkd = False  # another program's command: its options are its own
        if kind == "heading":
            context = frozenset(named)
        elif last_was_iclkd is not None:
            context = frozenset(named) if last_was_iclkd else frozenset()
    return found


def disagreements(found: list[Mention], options_of: dict) -> list[str]:
    """What the README says that the command line does not have (``options_of``: command →
    its set of options)."""
    problems = []
    for m in found:
        unknown = sorted(c for c in m.commands if c not in options_of)
        if unknown:
            problems.append(f"README line {m.line}: 'iclkd {unknown[0]}' is not a command")
        elif m.option and not any(m.option in options_of[c] for c in m.commands):
            problems.append(f"README line {m.line}: {m.option} is not an option of "
                            + " or ".join(f"'iclkd {c}'" for c in sorted(m.commands)))
    return sorted(set(problems))


def help_text(*args) -> str:
    out = subprocess.run([sys.executable, "-m", "iclkd", *args, "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


@functools.cache
def subcommands() -> tuple:
    usage = re.search(r"\{([a-z,-]+)\}", help_text()).group(1)
    return tuple(usage.split(","))


@functools.cache
def options_by_command() -> dict:
    return {c: frozenset(HELP_OPTION.findall(help_text(c))) for c in subcommands()}


def test_help_lists_the_known_subcommands():
    assert {"list", "check", "render", "build", "model-check", "selftest"} <= set(subcommands())


def test_every_command_and_option_in_the_readme_exists():
    found = mentions(README.read_text(encoding="utf-8"))
    assert len([m for m in found if m.option]) > 40  # the reading found the options it is meant to
    assert disagreements(found, options_by_command()) == []


def test_every_subcommand_is_in_the_readme():
    named = {c for m in mentions(README.read_text(encoding="utf-8")) for c in m.commands}
    assert sorted(set(subcommands()) - named) == []


def test_the_check_options_paragraph_names_every_check_option():
    found = mentions(README.read_text(encoding="utf-8"))
    documented = {m.option for m in found if m.commands == {"check"} and m.option}
    assert options_by_command()["check"] - {"--help"} <= documented


OPTIONS = {"check": frozenset({"--json", "--trials", "--fail-fast"}), "list": frozenset({"--papers", "--file"})}


@pytest.mark.parametrize("text,problem", [
    ("## What `iclkd check` does\n\nOptions: `--trials N`, `--frobnicate X`.\n",
     "README line 3: --frobnicate is not an option of 'iclkd check'"),
    ("Run `iclkd check --json out.json --frobnicate`.\n", "--frobnicate is not an option of 'iclkd check'"),
    ("```bash\niclkd list --papers --json x   # a comment --ignored\n```\n", "--json is not an option of 'iclkd list'"),
    ("`iclkd frobnicate --json x`\n", "'iclkd frobnicate' is not a command"),
    ("See `iclkd list --papers` and `--fail-fast`\n", "--fail-fast is not an option of 'iclkd list'"),
    ("## What `iclkd list` does\n\nIt has `--papers`.\n\n* and `--fail-fast`\n",
     "README line 5: --fail-fast is not an option of 'iclkd list'"),
])
def test_a_made_up_command_or_option_is_caught(text, problem):
    assert any(p.endswith(problem) for p in disagreements(mentions(text), OPTIONS)), mentions(text)


@pytest.mark.parametrize("text", [
    "## What `iclkd check` does\n\n* ran out of `--trials`\n\n`--fail-fast` stops.\n",
    "`iclkd check R1` (or pass `pytest --frobnicate x`), `--frobnicate`\n",
    "`python benchmarks/b.py --frobnicate` prints.\n\n* with `--frobnicate` too\n",
    "```python\nfrom iclkd import Claim  # not a command\n```\n",
    "`--frobnicate` on its own, under no command\n",
])
def test_what_belongs_to_no_iclkd_command_is_not_checked(text):
    assert disagreements(mentions(text), OPTIONS) == []
