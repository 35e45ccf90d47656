"""The versioned JSON report of ``iclkd check``, and the JSON Schema it follows.

The schema ships with the package (``iclkd/schemas/check-report.schema.json``); a report's
``schema_version`` names the version of it that the report follows.

>>> load_schema()["properties"]["schema_version"]["const"] == SCHEMA_VERSION
True
"""
from __future__ import annotations

import datetime
import importlib.metadata
import importlib.resources
import json
import platform
from pathlib import Path

from . import __version__

SCHEMA_VERSION = "1.0"
SCHEMA_RESOURCE = "schemas/check-report.schema.json"  # inside the iclkd package
SCHEMA_PATH = Path(__file__).parent / SCHEMA_RESOURCE
OPTIONAL_LIBRARIES = ("jinja2", "matplotlib")  # read from the installed metadata, never imported


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution`` from its metadata (None if it is not installed).

    >>> installed_version("sympy").startswith("1.")
    True
    >>> installed_version("no-such-distribution-here") is None
    True
    """
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def library_versions() -> dict:
    """Python's version and those of the libraries a verdict depends on.

    >>> sorted(library_versions())
    ['jinja2', 'matplotlib', 'numpy', 'python', 'sympy']
    """
    import numpy
    import sympy

    versions = {"python": platform.python_version(), "sympy": sympy.__version__, "numpy": numpy.__version__}
    versions.update({name: installed_version(name) for name in OPTIONAL_LIBRARIES})
    return versions


def platform_description() -> dict:
    """The operating system and the machine the run was made on.

    >>> sorted(platform_description())
    ['machine', 'name']
    """
    return {"name": platform.platform(), "machine": platform.machine()}


def utc_timestamp(moment: datetime.datetime | None = None) -> str:
    """``moment`` (default: now) in UTC, as ISO 8601 to the second with a ``Z``.

    >>> utc_timestamp(datetime.datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=datetime.timezone.utc))
    '2025-01-02T03:04:05Z'
    """
    moment = moment or datetime.datetime.now(datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_report(reports, summary: dict, settings, paper: str, selection) -> dict:
    """The JSON document of a check run: what made it (tool, libraries, platform), what was
    checked (``paper``: a paper's name or a ``--file`` module's path; ``selection``: the ids of
    the results chosen, in order, of which ``reports`` may cover only the first after
    ``--fail-fast``), how (``settings``: a :class:`~iclkd.check.CheckSettings`), when, then
    each report's ``as_json()`` and the ``summary``.

    >>> from iclkd.check import CheckSettings, summary
    >>> doc = check_report([], summary([]), CheckSettings(), "brewing", [])
    >>> doc["schema_version"], doc["tool"]["name"], doc["settings"], doc["summary"]["total"]
    ('1.0', 'iclkd', {'seed': 0, 'trials': 4, 'timeout': 20.0}, 0)
    """
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "iclkd", "version": __version__},
        "libraries": library_versions(),
        "platform": platform_description(),
        "paper": paper,
        "selection": list(selection),
        "settings": {"seed": settings.seed, "trials": settings.trials, "timeout": settings.timeout},
        "generated": utc_timestamp(),
        "results": [r.as_json() for r in reports],
        "summary": summary,
    }


def load_schema() -> dict:
    """The JSON Schema (draft 2020-12) of :func:`check_report`'s document, read from the
    installed package.

    >>> load_schema()["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    """
    text = importlib.resources.files("iclkd").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return json.loads(text)
