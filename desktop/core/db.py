"""Database set-up: engine with SQLite pragmas, Alembic migrations at start."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

log = logging.getLogger("seatdesk.db")

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATE_LOCK = 0x5EA7_0001  # pg_advisory_xact_lock key (the one-bigint key space)


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'seatdesk.sqlite3').as_posix()}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, NORMAL sync and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            # Each thread keeps its own connection: the engine thread writes,
            # the UI thread reads beside it (WAL).
            pool_size=4,
            max_overflow=8,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take control so a
        # batch is exactly one transaction. (SQLAlchemy docs, "Serializable isolation").
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # 64 MiB: the inbox rows a feed page touches are spread over the table; a
    # bigger cache keeps them in memory (bench_ingest: ×0.76 → ×0.84 of raw).
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it already is)."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # several seats' apps starting at once on a shared database: one migrates,
            # the others wait for its commit and then find nothing left to do
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_database(url: str) -> Engine:
    engine = make_engine(url)
    migrate(engine)
    return engine
