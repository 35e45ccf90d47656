"""Shared fixtures: the paper's registry."""
from __future__ import annotations

import pytest

from iclkd.symbolic.registry import default_registry


@pytest.fixture(scope="session")
def registry():
    return default_registry()
