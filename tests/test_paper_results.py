"""Every registered result is verified, and the registry is whole (meta-tests)."""
from __future__ import annotations

import pytest

from iclkd.check import CheckSettings, check_result
from iclkd.paper import load_paper
from iclkd.symbolic.rules import Cited

REGISTRY = load_paper("brewing").registry()
IDS = [r.id for r in REGISTRY]
SYMBOLIC_DIMS_REQUIRED = {"R4", "R5", "R6", "R7", "R8"}


@pytest.mark.parametrize("rid", IDS)
def test_result_is_verified(rid):
    report = check_result(REGISTRY.get(rid), REGISTRY, CheckSettings())
    assert report.status == "verified", report.failure
    if rid in SYMBOLIC_DIMS_REQUIRED:
        assert report.method == "symbolic-dims"


@pytest.mark.parametrize("rid", IDS)
def test_result_is_complete(rid):
    r = REGISTRY.get(rid)
    assert r.label and r.title
    for claim in r.claims:
        assert claim.proof, f"{rid}{claim.name} has no proof"
        assert not all(isinstance(s.rule, Cited) for s in claim.proof), f"{rid}{claim.name} is only cited"


@pytest.mark.parametrize("rid", IDS)
def test_dependencies_come_first(rid):
    order = {r.id: i for i, r in enumerate(REGISTRY)}
    for dep in REGISTRY.get(rid).depends_on:
        assert order[dep] < order[rid]


def test_registry_ids_are_r1_onwards():
    assert IDS[:8] == [f"R{i}" for i in range(1, 9)]
