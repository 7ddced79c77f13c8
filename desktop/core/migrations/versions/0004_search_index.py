"""search index over messages, buyers, orders and remarks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Message text of 3+ characters is found through trigrams (SQLite: the FTS5
`messages_fts` of 0001; PostgreSQL: a pg_trgm GIN index made here). Trigrams
cannot match 1–2 character queries, and Chinese words often are that short:

- SQLite: a contentless FTS5 table of every message's characters and adjacent
  pairs (`desktop.core.search.grams`), filled by ingest in its batch and
  here for the messages already stored; `messages_fts_state.upto` is the last
  message id in it.
- PostgreSQL: `seatdesk_grams(text)`, the same characters and pairs as an
  array, under a GIN index that PostgreSQL keeps itself (and one over buyers'
  nicks and notes). The function is declared expensive (COST 10000): computed
  per row it is, so the planner takes the index instead.

Buyer nicks and notes, order and waybill numbers get trigram indexes too
(SQLite: external-content FTS5 tables kept by triggers, like `messages_fts`;
PostgreSQL: pg_trgm), and so do remarks on PostgreSQL: a LIKE scan of 100,000
buyers and 150,000 orders alone took 10–80 ms (bench_search); 30,000 remarks
scan in a few. When the database user may not create the pg_trgm extension,
search still works, without those indexes (a warning is logged).

No table of the models is altered: SQLite copies nothing.
"""
import logging

from alembic import op
import sqlalchemy as sa  # noqa: F401


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

log = logging.getLogger("seatdesk.db")

SQLITE = (
    # detail=none, columnsize=0: each gram is its own query, so no positions are kept
    "CREATE VIRTUAL TABLE messages_fts_grams USING fts5("
    "grams, content='', detail='none', columnsize=0, tokenize='ascii')",
    "CREATE TABLE messages_fts_state (upto INTEGER NOT NULL)",
    "INSERT INTO messages_fts_state (upto) VALUES (0)",
)


def _fts_sqlite(name: str, table: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """An external-content trigram FTS5 table over `table`'s `columns`, kept by triggers."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});"
    return (
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{table}', content_rowid='id',"
        " tokenize='trigram')",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
    )


SQLITE_SMALL = (*_fts_sqlite("search_fts_buyers", "buyers", ("nick", "note")),
                *_fts_sqlite("search_fts_orders", "orders", ("platform_order_id", "waybill")))

POSTGRESQL_GRAMS = (
    r"""CREATE OR REPLACE FUNCTION seatdesk_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
FROM (SELECT lower(t) AS s) AS src
CROSS JOIN LATERAL generate_series(1, length(src.s)) AS i
CROSS JOIN LATERAL (VALUES (substr(src.s, i, 1)), (substr(src.s, i, 2))) AS v(g)
WHERE g !~ '\s'
$$""",
    "CREATE INDEX ix_search_messages_grams ON messages USING gin (seatdesk_grams(text))",
    "CREATE INDEX ix_search_buyers_grams ON buyers USING gin (seatdesk_grams(nick || ' ' || note))",
)

POSTGRESQL_TRGM = (
    "CREATE INDEX ix_search_messages_trgm ON messages USING gin (text gin_trgm_ops)",
    "CREATE INDEX ix_search_buyers_nick ON buyers USING gin (nick gin_trgm_ops)",
    "CREATE INDEX ix_search_buyers_note ON buyers USING gin (note gin_trgm_ops)",
    "CREATE INDEX ix_search_orders_number ON orders USING gin (platform_order_id gin_trgm_ops)",
    "CREATE INDEX ix_search_orders_waybill ON orders USING gin (waybill gin_trgm_ops)",
    "CREATE INDEX ix_search_remarks_text ON remarks USING gin (text gin_trgm_ops)",
)
TRGM_INDEXES = ("ix_search_messages_trgm", "ix_search_buyers_nick", "ix_search_buyers_note",
                "ix_search_orders_number",
                "ix_search_orders_waybill", "ix_search_remarks_text")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in (*SQLITE, *SQLITE_SMALL):
            op.execute(statement)
        from desktop.core.search import index_new_messages

        added = index_new_messages(bind)
        if added:
            log.info("search: indexed %d stored messages for 1–2 character queries", added)
    elif bind.dialect.name == "postgresql":
        for statement in POSTGRESQL_GRAMS:
            op.execute(statement)
        try:
            with bind.begin_nested():  # a savepoint: a refusal must not abort the migration
                bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError as exc:
            log.warning("search: no pg_trgm (%s); searching text of 3+ characters scans", exc)
            return
        for statement in POSTGRESQL_TRGM:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("search_fts_buyers", "search_fts_orders"):
            for trigger in ("ai", "ad", "au"):  # on buyers / orders: they outlive the FTS table
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{trigger}")
        for name in ("messages_fts_grams", "messages_fts_state", "search_fts_buyers",
                     "search_fts_orders"):
            op.execute(f"DROP TABLE IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        for name in (*TRGM_INDEXES, "ix_search_messages_grams", "ix_search_buyers_grams"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP FUNCTION IF EXISTS seatdesk_grams(text)")
        # pg_trgm stays: other schemas of the database may use it
