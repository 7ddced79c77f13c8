"""Shared fixtures: a fresh store in a temporary data dir, and a real PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

# Tests never touch the user's keyring; where one is needed it is the explicit test backend.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "desktop.core.secrets.MemoryKeyring")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path):
    from desktop.core.db import open_database, sqlite_url

    engine = open_database(sqlite_url(tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """A real PostgreSQL server: SEATDESK_TEST_PG_URL, else one that
    scripts/test-postgres.sh starts (as the postgres user when run as root). No
    server is a failure, never a skip: team mode must be tested."""
    url = os.environ.get("SEATDESK_TEST_PG_URL")
    if url:
        return url
    done = subprocess.run(["bash", str(ROOT / "scripts" / "test-postgres.sh")], capture_output=True,
                          text=True, timeout=180)
    if done.returncode != 0:
        pytest.fail(f"no PostgreSQL for the tests: {done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty database on the test server; dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(pg_server_url)
    name = f"seatdesk_test_{uuid.uuid4().hex[:12]}"
    conninfo = server.set(drivername="postgresql").set(database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield server.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
