"""The built wheel: it builds without deprecation warnings, holds the package data (the report's
JSON Schema, ``py.typed``, the LaTeX templates) and the license, and, installed on its own,
writes a report that validates against the schema it installed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).parent.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "iclkd")  # what an sdist of iclkd holds
SCHEMA = "iclkd/schemas/check-report.schema.json"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def pip(*args, cwd):
    out = subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, cwd=cwd,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout + out.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``(wheel path, pip's verbose output)``, built from a copy of the sources (a build in
    the checkout would leave build/ and iclkd.egg-info there)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(ROOT / name, source / name)
    out_dir = tmp_path_factory.mktemp("wheel")
    log = pip("wheel", "-v", "--no-deps", "--no-build-isolation", "-w", str(out_dir), str(source), cwd=out_dir)
    wheels = list(out_dir.glob("iclkd-*.whl"))
    assert len(wheels) == 1, log
    return wheels[0], log


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory):
    """The wheel installed alone into a folder, and the environment that imports iclkd from it."""
    target = tmp_path_factory.mktemp("site")
    pip("install", "--no-deps", "--target", str(target), str(built[0]), cwd=target)
    return target, {**os.environ, "PYTHONPATH": str(target)}


def test_the_wheel_builds_without_deprecation_warnings(built):
    wheel, log = built
    assert wheel.name == f"iclkd-{VERSION}-py3-none-any.whl"
    assert [line for line in log.splitlines() if "deprecat" in line.lower()] == []


def test_the_wheel_holds_the_schema_the_typing_marker_the_templates_and_the_license(built):
    names = zipfile.ZipFile(built[0]).namelist()
    for inside in (SCHEMA, "iclkd/py.typed", "iclkd/templates/appendix.tex.j2", "iclkd/report_json.py",
                   f"iclkd-{VERSION}.dist-info/licenses/LICENSE"):
        assert inside in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/")) or "__pycache__" in n]
    shipped = zipfile.ZipFile(built[0]).read(SCHEMA).decode("utf-8")
    assert json.loads(shipped) == json.loads((ROOT / SCHEMA).read_text(encoding="utf-8"))


def test_the_installed_wheel_writes_a_report_its_own_schema_validates(installed, tmp_path):
    target, env = installed

    def run(*args):
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=tmp_path, env=env,
                              timeout=300)

    where = run("-c", "import iclkd.report_json as r; print(r.__file__); print(r.SCHEMA_PATH)")
    assert where.stdout.split() == [str(target / "iclkd" / "report_json.py"), str(target / SCHEMA)], where.stderr
    version = run("-m", "iclkd", "-V")
    assert version.stdout.strip() == f"iclkd {VERSION}", version.stderr
    report = run("-m", "iclkd", "check", "R1", "--json", "-")
    assert report.returncode == 0, report.stderr
    schema = json.loads((target / SCHEMA).read_text(encoding="utf-8"))
    document = json.loads(report.stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["tool"]["version"] == VERSION
    assert [r["id"] for r in document["results"]] == ["R1"]
