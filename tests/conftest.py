"""Shared fixtures: the paper's registry."""
from __future__ import annotations

import pytest

from iclkd.paper import load_paper


@pytest.fixture(scope="session")
def registry():
    return load_paper("brewing").registry()

# The bad-input corpus and the hostile user modules are read by the CLI tests, never imported by pytest.
collect_ignore_glob = ["bad_inputs/*", "user_modules/*"]
