"""Dialect-aware bulk statements: insert-or-ignore and upsert for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def _insert(conn: Connection, table: Table):  # type: ignore[no-untyped-def]
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {conn.dialect.name}")


def insert_ignore(conn: Connection, table: Table, keys: list[str]):  # type: ignore[no-untyped-def]
    """INSERT … ON CONFLICT (keys) DO NOTHING, for executemany."""
    return _insert(conn, table).on_conflict_do_nothing(index_elements=keys)


def upsert(conn: Connection, table: Table, keys: list[str], *, newer_than: str | None = None):  # type: ignore[no-untyped-def]
    """INSERT … ON CONFLICT (keys) DO UPDATE every other column; with `newer_than`,
    only when the incoming row's column is not older (replays never go back in time)."""
    stmt = _insert(conn, table)
    columns = {c.name: stmt.excluded[c.name] for c in table.columns
               if c.name not in keys and not c.primary_key}
    where = None
    if newer_than is not None:
        where = table.c[newer_than] <= stmt.excluded[newer_than]
    return stmt.on_conflict_do_update(index_elements=keys, set_=columns, where=where)
