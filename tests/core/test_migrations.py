"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from desktop.core.models import Base


def test_migrated_schema_matches_the_models(db):
    def ours(obj, name, type_, reflected, compare_to):  # noqa: ARG001
        # the search machinery is raw DDL of migrations 0001 and 0004 (FTS5 tables on
        # SQLite, expression and pg_trgm indexes on PostgreSQL), not models
        return not ((type_ == "table" and name.startswith(("messages_fts", "search_fts")))
                    or (type_ == "index" and name.startswith("ix_search_")))

    with db.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": ours,
                                                     "compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
