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


_COMPILED: dict[tuple[str, int, tuple[str, ...]], tuple[str, tuple[str, ...] | None]] = {}


def executemany(conn: Connection, stmt, rows: list[dict]) -> None:  # type: ignore[no-untyped-def,type-arg]
    """executemany of one statement compiled once per dialect, straight to the
    driver: the per-row parameter processing of `conn.execute(stmt, rows)` costs
    as much as SQLite itself on the ingest path (measured by bench_ingest).
    Only for values that need no type conversion (ints, strings, None)."""
    if not rows:
        return
    columns = tuple(rows[0])
    key = (conn.dialect.name, id(stmt), columns)
    entry = _COMPILED.get(key)
    if entry is None:
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(columns))
        names = tuple(compiled.positiontup) if compiled.positional else None
        entry = _COMPILED[key] = (str(compiled), names)
    sql, names = entry
    if names is None:
        conn.exec_driver_sql(sql, rows)
    else:
        conn.exec_driver_sql(sql, [tuple(row[n] for n in names) for row in rows])
