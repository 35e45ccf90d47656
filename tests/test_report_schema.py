"""The versioned JSON report of ``iclkd check`` against its shipped JSON Schema (issue 19).

The schema is read the way an installed user reads it, through ``importlib.resources``; the
reports are real runs of the command line. Expected values come from the module's mathematics,
the command line's arguments and the installed metadata, never from iclkd's own output.
"""
from __future__ import annotations

import copy
import datetime
import importlib.metadata
import importlib.resources
import json
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).parent.parent
VALIDATOR = jsonschema.Draft202012Validator

# One result per verdict: a wrong expansion (refuted step), a check that reports a refutation,
# one that raises (error), one that outlives --timeout, a claim with no proof (unproved), a
# cited trace rotation and a correct expansion (verified).
MIXED = textwrap.dedent('''\
    import time
    import sympy as sp
    from iclkd import Algebra, Cited, Claim, NumericCheck, Result, Step
    from iclkd.numeric import REFUTED, CheckOutcome

    x = sp.Symbol("x", real=True)
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, n)
    SAME = Claim("", x, x, proof=(Step(x, Algebra()),))

    def refutes(result, rng, trials):
        return CheckOutcome("refutes", REFUTED, 1, max_error=0.5, counterexample={"x": 0.25})

    def raises(result, rng, trials):
        raise RuntimeError("boom")

    def sleeps(result, rng, trials):
        time.sleep(30)

    RESULTS = [
        Result("M1", "Lemma 1", "wrong square", claims=(
            Claim("", (x + 1) ** 2, x**2 + 1, proof=(Step(x**2 + 1, Algebra()),)),)),
        Result("M2", "Lemma 2", "refuted by its check", claims=(SAME,),
               numeric_checks=(NumericCheck("refutes", refutes),)),
        Result("M3", "Lemma 3", "its check raises", claims=(SAME,), numeric_checks=(NumericCheck("raises", raises),)),
        Result("M4", "Lemma 4", "no proof", claims=(Claim("(a)", x**2, x * x),)),
        Result("M5", "Lemma 5", "cited rotation", claims=(
            Claim("", sp.Trace(A * A.T), sp.Trace(A.T * A), proof=(Step(sp.Trace(A.T * A), Cited("trace is cyclic")),)),)),
        Result("M6", "Lemma 6", "its check sleeps", claims=(SAME,), numeric_checks=(NumericCheck("sleeps", sleeps),)),
        Result("M7", "Lemma 7", "right square", claims=(
            Claim("", (x + 1) ** 2, x**2 + 2 * x + 1, proof=(Step(x**2 + 2 * x + 1, Algebra()),)),)),
    ]
    ''')
MIXED_STATUSES = {"M1": "refuted", "M2": "refuted", "M3": "error", "M4": "unproved", "M5": "verified",
                  "M6": "timeout", "M7": "verified"}


def iclkd(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "iclkd", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def schema():
    """The schema as an installed user finds it: a resource of the iclkd package."""
    resource = importlib.resources.files("iclkd") / "schemas" / "check-report.schema.json"
    return json.loads(resource.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    return VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def default_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "all.json"
    out = iclkd("check", "--seed", "0", "--trials", "4", "--timeout", "20", "--json", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def mixed_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed")
    module = folder / "mixed.py"
    module.write_text(MIXED)
    out = iclkd("check", "--file", str(module), "--timeout", "2", "--json", str(folder / "mixed.json"))
    assert out.returncode == 1, out.stdout + out.stderr
    return str(module), json.loads((folder / "mixed.json").read_text())


def test_the_schema_is_a_valid_draft_2020_12_schema(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    VALIDATOR.check_schema(schema)


def test_the_public_schema_path_and_loader_give_the_shipped_schema(schema):
    from iclkd.report_json import SCHEMA_PATH, load_schema

    assert json.loads(Path(SCHEMA_PATH).read_text(encoding="utf-8")) == schema
    assert load_schema() == schema


def test_every_result_of_the_default_paper_validates(default_report, validator):
    validator.validate(default_report)
    assert [r["id"] for r in default_report["results"]] == [f"R{i}" for i in range(1, 17)]
    assert default_report["selection"] == [f"R{i}" for i in range(1, 17)]
    assert default_report["paper"] == "brewing"
    assert default_report["settings"] == {"seed": 0, "trials": 4, "timeout": 20.0}


def test_a_module_with_every_verdict_validates(mixed_report, validator):
    module, report = mixed_report
    validator.validate(report)
    assert {r["id"]: r["status"] for r in report["results"]} == MIXED_STATUSES
    assert report["paper"] == module
    m1 = report["results"][0]
    assert m1["source"] == {"file": module, "line": MIXED.splitlines().index('    Result("M1", "Lemma 1", '
                                                                            '"wrong square", claims=(') + 1}
    assert m1["counterexample"]["where"].startswith("M1")
    assert any(s["counterexample"] for s in m1["symbolic"]["steps"])
    assert report["results"][1]["numeric"]["checks"][0]["counterexample"] == {"x": 0.25}


def test_json_to_standard_output_validates(validator):
    out = iclkd("check", "R3", "--json", "-")
    assert out.returncode == 0, out.stderr
    validator.validate(json.loads(out.stdout))


def test_schema_version_tool_and_libraries_are_what_is_installed(default_report):
    assert default_report["schema_version"] == "1.0"
    assert default_report["tool"] == {"name": "iclkd", "version": importlib.metadata.version("iclkd")}
    libraries = default_report["libraries"]
    assert libraries["python"] == platform.python_version()
    for name in ("sympy", "numpy", "jinja2", "matplotlib"):
        assert libraries[name] == importlib.metadata.version(name)
    assert default_report["platform"] == {"name": platform.platform(), "machine": platform.machine()}


def test_generated_is_the_utc_time_of_the_run(default_report):
    generated = datetime.datetime.strptime(default_report["generated"], "%Y-%m-%dT%H:%M:%SZ")
    age = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - generated
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=30)


def _without_schema_version(doc):
    del doc["schema_version"]


def _wrong_version(doc):
    doc["schema_version"] = "2.0"


def _unknown_status(doc):
    doc["results"][0]["status"] = "passed"  # a check's status, not a result's


def _unknown_step_status(doc):
    doc["results"][0]["symbolic"]["steps"][0]["status"] = "verified"


def _source_line_zero(doc):
    doc["results"][0]["source"]["line"] = 0


def _step_source_without_file(doc):
    del doc["results"][0]["symbolic"]["steps"][0]["source"]["file"]


def _unknown_top_level_key(doc):
    doc["verdict"] = "fine"


def _unknown_result_key(doc):
    doc["results"][0]["colour"] = "green"


def _results_not_a_list(doc):
    doc["results"] = {}


def _counterexample_without_where(doc):
    doc["results"][0]["counterexample"] = {"seed": 1}


def _string_trials(doc):
    doc["settings"]["trials"] = "4"


BROKEN = [_without_schema_version, _wrong_version, _unknown_status, _unknown_step_status, _source_line_zero,
          _step_source_without_file, _unknown_top_level_key, _unknown_result_key, _results_not_a_list,
          _counterexample_without_where, _string_trials]


@pytest.mark.parametrize("breakage", BROKEN, ids=[f.__name__.strip("_") for f in BROKEN])
def test_a_broken_document_fails_validation(default_report, validator, breakage):
    doc = copy.deepcopy(default_report)
    validator.validate(doc)  # the document is valid before it is broken
    breakage(doc)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)


def test_counterexamples_may_gain_keys_and_sources_may_be_unknown(default_report, validator):
    doc = copy.deepcopy(default_report)
    doc["results"][0]["counterexample"] = {"where": "R1 step 1 (algebra)", "seed": 7, "a_paper_s_own": [1, 2]}
    doc["results"][0]["source"] = None
    validator.validate(doc)


def test_a_refuted_step_s_shrunk_instance_and_replay_token_follow_the_schema(mixed_report, validator):
    _, report = mixed_report
    cex = report["results"][0]["counterexample"]
    assert {"shrunk", "replay", "sympy"} <= set(cex), cex
    for breakage in (lambda c: c["shrunk"].pop("sizes"), lambda c: c.update(replay="iclkd check M1 --seed 7"),
                     lambda c: c["shrunk"].update(colour="green"), lambda c: c["shrunk"]["sizes"].update(n=0)):
        doc = copy.deepcopy(report)
        breakage(doc["results"][0]["counterexample"])
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(doc)


def test_the_schema_s_statuses_are_iclkd_s_vocabulary(schema):
    from iclkd.status import CHECK_STATUSES, RESULT_STATUSES, STEP_STATUSES

    defs = schema["$defs"]
    assert set(defs["resultStatus"]["enum"]) == set(RESULT_STATUSES) == {"verified", "refuted", "unproved",
                                                                           "timeout", "error"}
    assert set(defs["stepStatus"]["enum"]) == set(STEP_STATUSES)
    assert set(defs["checkStatus"]["enum"]) == set(CHECK_STATUSES)
