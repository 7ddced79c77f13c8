"""Search: one query over every shop's messages, buyer nicks, order numbers and remarks.

How message text is found, by database and query length (measured by
tests/benchmarks/bench_search.py over 1,000,000 messages):

- SQLite, 3+ characters: the FTS5 trigram index `messages_fts` (migration 0001,
  kept by triggers): any substring, Chinese included.
- SQLite, 1–2 characters: trigram cannot match them (Chinese words often are
  that short: 退款, 发票, 好). A second, contentless FTS5 table `messages_fts_grams`
  holds every message's single characters and pairs of adjacent characters as
  tokens; a 1–2 character query is one token of it. Ingest fills it in its batch
  (`index_new_messages`, one executemany: a trigger calling a Python function
  halved raw insert speed, this costs 14–20 % of it); `messages_fts_state.upto`
  says up to which message id it is filled, and the few newer rows (our own
  sends since the last batch) are scanned with LIKE.
- PostgreSQL, 3+ characters: `ILIKE` over a pg_trgm GIN index.
- PostgreSQL, 1–2 characters: a GIN index over `seatdesk_grams(text)`, the same
  characters and pairs as an array, which PostgreSQL keeps itself; buyers' nicks
  and notes likewise. Both asked in two steps, see `_pg_two_steps`.
- A 1–2 character query with punctuation or digits (`a.`, `？`, `12`) has no
  token: a LIKE scan, newest first, stopped at the limit (digits match so many
  messages that it stops at once).

"Newest first" is the order rows were stored (the id), which for a live desk is
the order they were sent or made; a page is then shown by time. Buyer nicks and
notes and order and waybill numbers have trigram indexes of their own (SQLite:
FTS5 `search_fts_buyers` / `search_fts_orders`; PostgreSQL: pg_trgm); a 1–2
character nick, and remarks (a few tens of thousands), are scanned with LIKE
(escaped), newest first, stopped at the limit.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    TextClause,
    func,
    or_,
    select,
    text,
)

from .models import (
    buyers_table,
    conversations_table,
    messages_table,
    orders_table,
    remarks_table,
    shops_table,
)
from .views import SearchGroup, SearchHit, SearchResults

GROUP_LIMIT = 50
BUYER_SCAN = 200  # the newest matching buyers whose chats are listed
SNIPPET_CHARS = 90  # shown around the match
_BEFORE = 24  # characters kept before the match
TRIGRAM = 3  # the shortest query the trigram indexes can answer
# Whitespace, punctuation (ASCII, general, CJK and full-width) and digits end a
# run of characters; every run's single characters and adjacent pairs are the
# gram tokens (the `ascii` tokenizer splits on exactly the ASCII ones, so a gram is
# always one token). Digits are left out on purpose: a 1–2 digit query matches
# nearly every message with a number, and a LIKE scan finds 50 of those at once,
# while order numbers would add ~30 tokens to each message quoting one.
_SEPARATORS = re.compile(
    r"[\s\x00-\x40\x5b-\x60\x7b-\x7f\u2000-\u206f\u3000-\u303f\uff00-\uff20\uff3b-\uff40\uff5b-\uff65]+")
# Orders are looked up by number or waybill only for what can be a fragment of one.
_ID_FRAGMENT = re.compile(r"[0-9A-Za-z-]{4,}")

m = messages_table.c
c = conversations_table.c
b = buyers_table.c
s = shops_table.c
o = orders_table.c
r = remarks_table.c


# -- the 1–2 character index (SQLite) ----------------------------------------------------------
def grams(text_: str) -> str:
    """The gram document of a message: its characters and adjacent pairs, lower-cased,
    space-separated, each once. `退款了` → `退 款 了 退款 款了` (in any order)."""
    out: set[str] = set()
    for run in _SEPARATORS.split(text_.lower()):
        if run:
            out.update(run)
            out.update(map(str.__add__, run, run[1:]))
    return " ".join(out)


def gram_term(query: str) -> str | None:
    """The one gram token a 1–2 character query is, or None (longer, or punctuation)."""
    term = query.lower()
    if 1 <= len(term) < TRIGRAM and not _SEPARATORS.search(term):
        return term
    return None


def index_new_messages(conn: Connection) -> int:
    """Add every message stored since the last call to the gram index, in the caller's
    transaction (ingest calls it per batch). SQLite only; → how many were added."""
    if conn.dialect.name != "sqlite":
        return 0  # PostgreSQL keeps its expression index itself
    # the driver's cursor, in the caller's transaction: SQLAlchemy's per-row result and
    # parameter handling cost a third of this on the ingest path (bench_ingest)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        upto = cursor.execute("SELECT upto FROM messages_fts_state").fetchone()[0]
        rows = cursor.execute("SELECT id, text FROM messages WHERE id > ? ORDER BY id",
                              (upto,)).fetchall()
        if rows:
            cursor.executemany("INSERT INTO messages_fts_grams(rowid, grams) VALUES (?, ?)",
                               [(id_, grams(text_)) for id_, text_ in rows])
            cursor.execute("UPDATE messages_fts_state SET upto = ?", (rows[-1][0],))
        return len(rows)
    finally:
        cursor.close()


def rebuild_grams(conn: Connection) -> int:
    """Empty the gram index and fill it again from every message (after a bulk load)."""
    conn.exec_driver_sql("INSERT INTO messages_fts_grams(messages_fts_grams) VALUES ('delete-all')")
    conn.exec_driver_sql("UPDATE messages_fts_state SET upto = 0")
    return index_new_messages(conn)


# -- queries --------------------------------------------------------------------------------
def normalize(query: str) -> str:
    """What is searched: the query with its whitespace collapsed."""
    return " ".join(query.split())


def like_pattern(query: str) -> str:
    """`%query%` with LIKE's wildcards escaped (ESCAPE '\\'): `50%_off` is literal."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(conn: Connection, column: ColumnElement[str], query: str) -> ColumnElement[bool]:
    """Case-insensitive substring: SQLite's LIKE already is (ASCII); PostgreSQL's ILIKE
    is what its trigram indexes serve."""
    pattern = like_pattern(query)
    if conn.dialect.name == "postgresql":
        return column.ilike(pattern, escape="\\")
    return column.like(pattern, escape="\\")


def _trigram_ids(conn: Connection, fts: str, query: str, limit: int) -> list[int]:
    """Rowids of an FTS5 trigram table's newest `limit` rows holding `query` (3+ characters)."""
    phrase = '"' + query.replace('"', '""') + '"'
    return [row[0] for row in conn.exec_driver_sql(
        f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?", (phrase, limit))]


def newest_ids(conn: Connection, table: Table, columns: Sequence[str], query: str, limit: int,
               fts: str | None = None) -> list[int]:
    """Ids of the newest `limit` rows of a table with `query` in one of `columns`: SQLite's
    trigram table `fts` for 3+ characters, else LIKE; PostgreSQL in two steps (below)."""
    if conn.dialect.name == "postgresql":
        return _pg_two_steps(conn, table, columns, query, limit)
    if fts is not None and conn.dialect.name == "sqlite" and len(query) >= TRIGRAM:
        return _trigram_ids(conn, fts, query, limit)
    return _like_newest(conn, table, columns, query, limit)


def _like_newest(conn: Connection, table: Table, columns: Sequence[str], query: str, limit: int,
                 above: int | None = None) -> list[int]:
    key = table.c.id
    stmt = select(key).where(or_(*(_contains(conn, table.c[name], query) for name in columns)))
    if above is not None:
        stmt = stmt.where(key > above)
    return list(conn.execute(stmt.order_by(key.desc()).limit(limit)).scalars())


# PostgreSQL's planner guesses how common a word is from sampled statistics; a wrong
# guess either walks the primary key backwards through every row (a rare word: 340 ms
# over 1M messages in bench_search) or fetches every match to sort it (a common one).
# So it is asked in two steps: the newest RECENT_ROWS rows by a bounded scan (a common
# word fills the page there), then, only when that falls short, the GIN index (pg_trgm,
# or the grams for 1–2 characters) over the older rows — the only plan left to it then.
RECENT_ROWS = 5_000
GRAMS_SQL = {"messages": "seatdesk_grams(text)", "buyers": "seatdesk_grams(nick || ' ' || note)"}


def _pg_two_steps(conn: Connection, table: Table, columns: Sequence[str], query: str,
                  limit: int) -> list[int]:
    key = table.c.id
    edge = (conn.execute(select(func.max(key))).scalar() or 0) - RECENT_ROWS
    ids = _like_newest(conn, table, columns, query, limit, above=edge)
    if len(ids) >= limit or edge <= 0:
        return ids
    term = gram_term(query)
    where: ColumnElement[bool] | TextClause = or_(*(_contains(conn, table.c[name], query) for name in columns))
    if term is not None and table.name in GRAMS_SQL:  # pg_trgm has nothing for 1–2 characters
        where = text(f"{GRAMS_SQL[table.name]} @> ARRAY[CAST(:term AS text)]").bindparams(term=term)
    older = select(key).where(where, key <= edge).order_by(key.desc()).limit(limit - len(ids))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # this transaction's, until reset
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
    try:
        ids += conn.execute(older).scalars()
    finally:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = on")
    return ids


def message_ids(conn: Connection, query: str, limit: int) -> list[int]:
    """Ids of the newest `limit` messages containing `query`, newest first."""
    if conn.dialect.name == "sqlite":
        return _message_ids_sqlite(conn, query, limit)
    return newest_ids(conn, messages_table, ("text",), query, limit)


def _like_ids(conn: Connection, query: str, limit: int, above: int | None = None) -> list[int]:
    return _like_newest(conn, messages_table, ("text",), query, limit, above)


def _message_ids_sqlite(conn: Connection, query: str, limit: int) -> list[int]:
    if len(query) >= TRIGRAM:
        return _trigram_ids(conn, "messages_fts", query, limit)
    term = gram_term(query)
    if term is None:
        return _like_ids(conn, query, limit)
    upto = conn.exec_driver_sql("SELECT upto FROM messages_fts_state").scalar() or 0
    ids = _like_ids(conn, query, limit, above=upto)  # stored since the last ingest batch
    if len(ids) < limit:
        ids += [row[0] for row in conn.exec_driver_sql(
            "SELECT rowid FROM messages_fts_grams WHERE messages_fts_grams MATCH ?"
            " ORDER BY rowid DESC LIMIT ?", (f'"{term}"', limit - len(ids)))]
    return ids


# -- the groups -------------------------------------------------------------------------------
def snippet(text_: str, query: str, width: int = SNIPPET_CHARS) -> tuple[tuple[str, bool], ...]:
    """`text_` around the first match of `query` (case-insensitive), whitespace
    collapsed, cut to about `width` characters: (piece, is the match) pieces."""
    flat = " ".join(text_.split())
    found = re.search(re.escape(query), flat, re.IGNORECASE) if query else None
    if found is None:
        return ((flat[:width] + ("…" if len(flat) > width else ""), False),) if flat else ()
    start = max(0, found.start() - _BEFORE)
    end = min(len(flat), max(found.end(), start + width))
    pieces = (("…" if start else "") + flat[start:found.start()], False), \
        (found.group(), True), (flat[found.end():end] + ("…" if end < len(flat) else ""), False)
    return tuple(p for p in pieces if p[0])


def _messages(conn: Connection, query: str, limit: int) -> tuple[list[SearchHit], bool]:
    ids = message_ids(conn, query, limit + 1)
    more = len(ids) > limit
    ids = ids[:limit]
    if not ids:
        return [], False
    rows = conn.execute(
        select(m.id, m.conversation_id, m.direction, m.text, m.sent_at, m.shop_id,
               s.name, s.color, b.nick)
        .join(conversations_table, c.id == m.conversation_id)
        .join(buyers_table, b.id == c.buyer_id)
        .join(shops_table, s.id == m.shop_id)
        .where(m.id.in_(ids))
    ).all()
    rows = sorted(rows, key=lambda row: (row.sent_at, row.id), reverse=True)
    return [SearchHit(SearchGroup.MESSAGES.value, row.id, row.shop_id, row.name, row.color,
                      row.nick, snippet(row.text, query), row.sent_at,
                      conversation_id=row.conversation_id, message_id=row.id,
                      direction=row.direction)
            for row in rows], more


def _buyers(conn: Connection, query: str, limit: int) -> tuple[list[SearchHit], bool]:
    """A buyer is a chat per shop: the chats of the newest matching buyers (nick or the
    team's note), latest activity first."""
    buyer_ids = newest_ids(conn, buyers_table, ("nick", "note"), query, BUYER_SCAN,
                           fts="search_fts_buyers")
    if not buyer_ids:
        return [], False
    rows = conn.execute(
        select(c.id, c.shop_id, c.last_message_at, c.last_preview, s.name, s.color, b.nick, b.note)
        .join(buyers_table, b.id == c.buyer_id)
        .join(shops_table, s.id == c.shop_id)
        .where(c.buyer_id.in_(buyer_ids))
        .order_by(c.last_message_at.desc(), c.id.desc())
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit or len(buyer_ids) == BUYER_SCAN
    hits = []
    for row in rows[:limit]:
        nick = snippet(row.nick, query, width=len(row.nick) + 1)
        if any(match for _, match in nick):
            pieces = nick + (((" · " + row.last_preview), False),) if row.last_preview else nick
        else:  # the team's note on the buyer matched
            pieces = ((row.nick + " · ", False), *snippet(row.note, query))
        hits.append(SearchHit(SearchGroup.BUYERS.value, row.id, row.shop_id, row.name, row.color,
                              row.nick, pieces, row.last_message_at, conversation_id=row.id))
    return hits, more


def _orders(conn: Connection, query: str, limit: int) -> tuple[list[SearchHit], bool]:
    if not _ID_FRAGMENT.fullmatch(query):
        return [], False
    ids = newest_ids(conn, orders_table, ("platform_order_id", "waybill"), query, limit + 1,
                     fts="search_fts_orders")
    if not ids:
        return [], False
    rows = conn.execute(
        select(o.id, o.shop_id, o.platform_order_id, o.courier, o.waybill, o.created_at,
               s.name, s.color, b.nick)
        .join(shops_table, s.id == o.shop_id)
        .join(buyers_table, b.id == o.buyer_id)
        .where(o.id.in_(ids[:limit]))
    ).all()
    rows = sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True)
    hits = []
    for row in rows:
        pieces = snippet(row.platform_order_id, query, width=len(row.platform_order_id) + 1)
        if row.waybill and query.lower() in row.waybill.lower():
            pieces += ((f" · {row.courier} ".replace("  ", " "), False),
                       *snippet(row.waybill, query, width=len(row.waybill) + 1))
        hits.append(SearchHit(SearchGroup.ORDERS.value, row.id, row.shop_id, row.name, row.color,
                              row.nick, pieces, row.created_at, order_id=row.id))
    return hits, len(ids) > limit


def _remarks(conn: Connection, query: str, limit: int) -> tuple[list[SearchHit], bool]:
    ids = newest_ids(conn, remarks_table, ("text",), query, limit + 1)
    if not ids:
        return [], False
    rows = conn.execute(
        select(r.id, r.order_id, r.author, r.text, r.created_at, o.platform_order_id, o.shop_id,
               s.name, s.color)
        .join(orders_table, o.id == r.order_id)
        .join(shops_table, s.id == o.shop_id)
        .where(r.id.in_(ids[:limit]))
    ).all()
    rows = sorted(rows, key=lambda row: (row.created_at, row.id), reverse=True)
    return [SearchHit(SearchGroup.REMARKS.value, row.id, row.shop_id, row.name, row.color,
                      row.platform_order_id,
                      (((f"{row.author}: ", False),) if row.author else ()) + snippet(row.text, query),
                      row.created_at, order_id=row.order_id)
            for row in rows], len(ids) > limit


_GROUPS = ((SearchGroup.MESSAGES, _messages), (SearchGroup.BUYERS, _buyers),
           (SearchGroup.ORDERS, _orders), (SearchGroup.REMARKS, _remarks))


def search(db: Engine, query: str, limit: int = GROUP_LIMIT,
           groups: Sequence[SearchGroup] | None = None) -> SearchResults:
    """Every group's newest `limit` hits for `query` (a substring, case-insensitive)."""
    started = time.perf_counter()
    q = normalize(query)
    if not q:
        return SearchResults(query=q)
    found: list[tuple[str, tuple[SearchHit, ...]]] = []
    more: set[str] = set()
    with db.connect() as conn:
        for group, run in _GROUPS:
            if groups is not None and group not in groups:
                continue
            hits, cut = run(conn, q, limit)
            if cut:
                more.add(group.value)
            if hits:
                found.append((group.value, tuple(hits)))
    return SearchResults(q, tuple(found), frozenset(more),
                         round((time.perf_counter() - started) * 1000, 2))

