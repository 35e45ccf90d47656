"""Verdicts per claim for CI: readable failure messages, GitHub Actions annotations, JUnit XML.

A checked result becomes one *item* per claim and one per numeric check (and one for its
dependencies when it has some), each with a status, a message a person can act on, and the
file and line it was written at. ``iclkd check --format github|junit`` and the pytest plugin
all read these items.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterator, Optional

from .status import CITED, ERROR, PASSED, PROVED, REFUTED, TIMEOUT, UNDECIDED, UNPROVED, VERIFIED
from .symbolic.explain import step_sides
from .symbolic.result import Source

CLAIM_VERDICT = {PROVED: PASSED, CITED: PASSED, REFUTED: REFUTED, UNDECIDED: UNPROVED, TIMEOUT: TIMEOUT,
                 ERROR: ERROR}


@dataclass(frozen=True)
class Item:
    """One claim, numeric check or dependency list of a checked result.

    ``status`` is ``passed``, ``refuted``, ``unproved``, ``timeout`` or ``error``.
    """

    result_id: str
    name: str  # "(b)", "statement" for an unnamed claim, "numeric[NAME]", "depends_on"
    status: str
    message: str
    source: Optional[Source]

    @property
    def ok(self) -> bool:
        return self.status == PASSED


def claim_item_name(claim_name: str) -> str:
    """The item name of a claim: its name, or ``statement`` for a result's only, unnamed claim.

    >>> claim_item_name('(b)'), claim_item_name('')
    ('(b)', 'statement')
    """
    return claim_name or "statement"


def items(report, replay_options: str = "") -> Iterator[Item]:
    """The items of a :class:`~iclkd.check.ResultReport`, claims first, in the result's order.

    >>> from iclkd.check import check_all
    >>> from iclkd.paper import load_paper
    >>> reg = load_paper('brewing').registry()
    >>> [(i.name, str(i.status)) for i in items(check_all([reg.get('R1')], reg)[0])]
    [('statement', 'passed'), ('numeric[monte-carlo mean]', 'passed')]
    """
    result = report.result
    checked = {c.claim: c for c in report.claims}
    for claim in result.claims:
        rep = checked.get(claim.name)
        name = claim_item_name(claim.name)
        if rep is None:  # not reached: an earlier claim was refuted and checking stopped
            yield Item(result.id, name, UNPROVED, "not checked: checking stopped at an earlier refutation",
                       claim.source)
            continue
        status = CLAIM_VERDICT.get(rep.status, ERROR)
        bad = rep.first_failure
        source = (bad.source if bad is not None and bad.source else claim.source)
        message = "" if status == PASSED else claim_failure(report, claim, bad, replay_options)
        yield Item(result.id, name, status, message, source)
    for outcome in report.numeric:
        message = "" if outcome.ok else f"numeric check {outcome.name}: {outcome.status}: {outcome.detail}" + (
            "\n  counterexample: " + json.dumps(outcome.counterexample, default=str) if outcome.counterexample else "")
        check = next((n for n in result.numeric_checks if n.name == outcome.name), None)
        yield Item(result.id, f"numeric[{outcome.name}]", PASSED if outcome.ok else outcome.status, message,
                   _function_source(check.run) if check is not None else result.source)
    if result.depends_on:
        problem = report.dependency_problem
        yield Item(result.id, "depends_on", UNPROVED if problem else PASSED, problem, result.source)


def _function_source(func) -> Optional[Source]:
    code = getattr(func, "__code__", None)
    return Source(code.co_filename, code.co_firstlineno) if code is not None else None


def claim_failure(report, claim, bad, replay_options: str = "") -> str:
    """What failed in ``claim`` and why: the step, its rule, both sides, SymPy's answer, the
    (shrunk) counterexample and its replay token."""
    rid = report.result.id + claim.name
    if bad is None:
        return f"{rid}: not every step is proved"
    where = f" ({bad.source})" if bad.source else ""
    label = f"step {bad.index} ({bad.rule})" if bad.index else ("chain end" if claim.proof else "statement")
    left, right, relation = step_sides(claim, bad.index)
    lines = [f"{rid} {label}{where}: {bad.status}: {bad.detail}",
             f"  left:  {left}", f"  {relation}", f"  right: {right}"]
    lines += counterexample_lines(bad.counterexample, replay_options)
    return "\n".join(lines)


def counterexample_lines(cex: Optional[dict], replay_options: str = "") -> list[str]:
    """A counterexample as indented lines: SymPy's answer, the (shrunk) instance, the replay token.

    >>> counterexample_lines({'seed': 1, 'instance': {'n': 2}, 'left': 1, 'right': 2})
    ['  counterexample: {"n": 2}  (seed 1)', '  values: left 1, right 2']
    """
    if not cex:
        return []
    lines = []
    if cex.get("sympy"):
        lines.append(f"  sympy: {cex['sympy']}")
    shown = cex.get("shrunk") or cex
    if "instance" in shown:
        seed = f"  (seed {cex['seed']})" if "seed" in cex else ""
        lines.append("  counterexample: " + json.dumps(shown["instance"], default=str) + ("  (shrunk)" if shown is not cex
                                                                                     else seed))
    if "left" in shown or "right" in shown:
        lines.append(f"  values: left {json.dumps(shown.get('left'), default=str)}, "
                     f"right {json.dumps(shown.get('right'), default=str)}")
    if cex.get("shrink_error"):
        lines.append(f"  (the counterexample could not be shrunk: {cex['shrink_error']})")
    if cex.get("replay"):
        lines.append(f"  replay: iclkd check{' ' + replay_options if replay_options else ''} --replay {cex['replay']}")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(reports, allowed: tuple = (), replay_options: str = "") -> list[str]:
    """GitHub Actions workflow commands, one per item that is not passed: ``::error`` (or
    ``::warning`` for a status in ``allowed``) at the file and line of the failing step.

    >>> from iclkd.symbolic.result import Source
    >>> class R: result_id, name, status, message, source, ok = 'U1', '(a)', 'refuted', 'a\\nb', Source('/x/m.py', 7), False
    >>> _annotation(R(), ())
    '::error file=/x/m.py,line=7,title=iclkd U1(a) refuted::a%0Ab'
    """
    return [_annotation(item, allowed) for report in reports for item in items(report, replay_options) if not item.ok]


def _annotation(item, allowed) -> str:
    level = "warning" if item.status in allowed else "error"
    where = ""
    if item.source is not None:
        where = f"file={_escape_property(item.source.relative())},line={item.source.line},"
    name = item.name if item.name.startswith("(") else f" {item.name}"
    title = _escape_property(f"iclkd {item.result_id}{name} {item.status}")
    return f"::{level} {where}title={title}::{_escape_data(item.message or item.status)}"


def junit_xml(reports, allowed: tuple = (), suite: str = "iclkd", replay_options: str = "") -> str:
    """A JUnit XML document: a test case per item (class name the result id); ``failure`` for
    refuted and unproved, ``error`` for error and timeout, ``skipped`` for an allowed status.

    >>> ET.fromstring(junit_xml([])).attrib['tests']
    '0'
    """
    cases = [(r, item) for r in reports for item in items(r, replay_options)]
    root = ET.Element("testsuites")
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    node = ET.SubElement(root, "testsuite", name=suite)
    for report, item in cases:
        case = ET.SubElement(node, "testcase", classname=item.result_id, name=item.name,
                             time=f"{report.seconds / max(1, len(report.claims) + len(report.numeric)):.3f}")
        if item.source is not None:
            case.set("file", item.source.relative())
            case.set("line", str(item.source.line))
        if item.ok:
            continue
        kind = ("skipped" if item.status in allowed else "error" if item.status in (ERROR, TIMEOUT) else "failure")
        counts["errors" if kind == "error" else "failures" if kind == "failure" else "skipped"] += 1
        first = item.message.splitlines()[0] if item.message else item.status
        sub = ET.SubElement(case, kind, message=first, type=item.status)
        sub.text = item.message
    for element in (root, node):
        element.set("tests", str(len(cases)))
        for key, value in counts.items():
            element.set(key, str(value))
    node.set("time", f"{sum(r.seconds for r in reports):.3f}")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def exit_code(reports, allowed: tuple = ()) -> int:
    """0 if every result is verified or has a status in ``allowed``, else 1.

    >>> exit_code([])
    0
    """
    return 0 if all(r.status == VERIFIED or r.status in allowed for r in reports) else 1
