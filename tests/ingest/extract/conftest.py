"""Fixtures for extraction tests: the reference data, loaded once per test session."""

from __future__ import annotations

import pytest

from ingest.extract.resources import Resources


@pytest.fixture(scope="session")
def resources() -> Resources:
    return Resources.load()
