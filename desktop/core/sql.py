"""Dialect-aware bulk statements: insert-or-ignore and upsert for SQLite and PostgreSQL."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

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


_COMPILED: dict[tuple[str, int, tuple[str, ...]], tuple[str, Callable[[Any], Any] | None]] = {}


def executemany(conn: Connection, stmt, rows: list[dict]) -> None:  # type: ignore[no-untyped-def,type-arg]
    """executemany of one statement compiled once per dialect, straight to the
    driver: the per-row parameter processing of `conn.execute(stmt, rows)` costs
    as much as SQLite itself on the ingest path (measured by bench_ingest).
    Only for values that need no type conversion (ints, strings, None)."""
    if rows:
        columns = tuple(rows[0])
        executemany_tuples(conn, stmt, columns, [tuple(row.values()) for row in rows])


def executemany_tuples(conn: Connection, stmt, columns: tuple[str, ...],  # type: ignore[no-untyped-def]
                       rows: list[tuple[Any, ...]]) -> None:
    """The same with rows as tuples in `columns` order: no dict per row."""
    if not rows:
        return
    key = (conn.dialect.name, id(stmt), columns)
    entry = _COMPILED.get(key)
    if entry is None:
        compiled = stmt.compile(dialect=conn.dialect, column_keys=list(columns))
        shape: Callable[[Any], Any] | None
        if not compiled.positional:
            shape = lambda row: dict(zip(columns, row))  # noqa: E731
        elif tuple(compiled.positiontup) == columns:
            shape = None  # already in the driver's order
        else:
            shape = operator.itemgetter(*(columns.index(n) for n in compiled.positiontup))
        entry = _COMPILED[key] = (str(compiled), shape)
    sql, shape = entry
    conn.exec_driver_sql(sql, rows if shape is None else [shape(row) for row in rows])


def scalars(conn: Connection, stmt) -> list[Any]:  # type: ignore[no-untyped-def]
    """The first column of `stmt`'s rows through a plain driver cursor (no
    per-row result processing), for large reads of plain values."""
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.params
    args: Any = (tuple(params[n] for n in compiled.positiontup) if compiled.positional
                 else params)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), args)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()
