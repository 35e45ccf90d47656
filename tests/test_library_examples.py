"""The README's examples of proofs that lean on the standard library: a Gaussian-expectation
lemma and an inequality with assumptions, verified, and a variant of each with a wrong
constant refuted."""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from iclkd import Claim, Result, Step, Use
from iclkd.check import CheckSettings, check_result
from iclkd.paper import module_paper
from iclkd.symbolic.registry import Registry

USER = Path(__file__).parent / "user_results"


@pytest.mark.parametrize("module, status", [("library_gauss_lemma.py", "verified"),
                                            ("library_inequality.py", "verified")])
def test_the_readme_library_examples_are_verified(module, status):
    paper = module_paper(str(USER / module))
    registry = paper.registry()
    assert [str(check_result(r, registry, CheckSettings()).status) for r in registry] == [status]


def test_a_wrong_constant_after_a_library_step_is_refuted():
    x, y = sp.symbols("x y", positive=True)
    result = Result("I2", "Lemma", "too strong", claims=(Claim("", sp.log(x) - sp.log(y), x / y - 2, relation="<=",
        proof=(Step(sp.log(x / y), Use("log.quotient", x=x, y=y, reverse=True)),
               Step(x / y - 2, Use("log.tangent_bound", x=x / y), relation="<="))),))
    assert check_result(result, Registry([result]), CheckSettings()).status == "refuted"


def test_a_library_step_used_at_the_wrong_instance_is_not_proved():
    x, y = sp.symbols("x y", positive=True)
    result = Result("I3", "Lemma", "wrong instance", claims=(Claim("", sp.log(x) - sp.log(y), sp.log(x / y),
        proof=(Step(sp.log(x / y), Use("log.quotient", x=x**2, y=y, reverse=True)),)),))
    report = check_result(result, Registry([result]), CheckSettings())
    assert report.status == "unproved"
    assert "does not occur in the step" in report.steps[0].detail
