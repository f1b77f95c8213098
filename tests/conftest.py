from __future__ import annotations

from pathlib import Path

import pytest
from helpers import minimal_answers

from spinedecide import load_rules

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def minimal_path() -> Path:
    return DATA / "minimal.yaml"


@pytest.fixture(scope="session")
def minimal(minimal_path):
    return load_rules(minimal_path)


@pytest.fixture(scope="session")
def shipped():
    return load_rules()


@pytest.fixture
def base_answers() -> dict:
    """Complete answers for tests/data/minimal.yaml (helpers.minimal_answers(), a fresh copy)."""
    return minimal_answers()
