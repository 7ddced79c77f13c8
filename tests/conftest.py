"""Shared fixtures: a fresh store in a temporary data dir."""

from __future__ import annotations

import os

import pytest

# Tests never touch the user's keyring; where one is needed it is the explicit test backend.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "desktop.core.secrets.MemoryKeyring")


@pytest.fixture
def db(tmp_path):
    from desktop.core.db import open_database, sqlite_url

    engine = open_database(sqlite_url(tmp_path))
    yield engine
    engine.dispose()
