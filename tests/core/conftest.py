"""Core runs on SQLite (solo) and PostgreSQL (team mode): every store test runs on both."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    from desktop.core.db import open_database, sqlite_url

    url = sqlite_url(tmp_path) if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = open_database(url)
    yield engine
    engine.dispose()
