"""Ingest: sdk events → rows, one transaction per batch, idempotent, cursor in step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, Connection, Engine, Integer, bindparam, func, select, text, update

from desktop.sdk import Direction, MessageEvent, OrderEvent

from .models import (
    Message,
    Order,
    buyers_table,
    conversations_table,
    cursors_table,
    messages_table,
    order_items_table,
    orders_table,
    remarks_table,
)
from .buyers import attach_platform_tags
from .clock import now_ms
from .remarks import platform_changes
from .search import index_new_messages
from .sql import executemany, executemany_tuples, insert_ignore, scalars, upsert

PREVIEW_CHARS = 80
MESSAGE_COLUMNS = ("conversation_id", "shop_id", "platform_msg_id", "client_key", "direction",
                   "sender", "kind", "text", "sent_at", "state")
_CHUNK = 500  # bound parameters per IN (...) list
_KEEP = object()  # "leave the cursor as it is"


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def preview(text_: str) -> str:
    return " ".join(text_.split())[:PREVIEW_CHARS]


@dataclass(slots=True)
class IngestResult:
    """What a batch changed; the engine turns it into a ChangeNotice."""

    conversations: set[int] = field(default_factory=set)
    new_conversations: set[int] = field(default_factory=set)
    order_conversations: set[int] = field(default_factory=set)
    order_ids: set[int] = field(default_factory=set)
    inserted: int = 0
    buyer_messages: list[tuple[int, str, str]] = field(default_factory=list)


# Keeps the denormalised inbox row in step with the messages a batch added.
# Every SET expression reads the old row values, so the order of SETs is free.
TOUCH_CONVERSATION = text(
    """
UPDATE conversations SET
  last_preview = CASE WHEN :max_ts >= last_message_at THEN :preview ELSE last_preview END,
  last_direction = CASE WHEN :max_ts >= last_message_at THEN :last_dir ELSE last_direction END,
  last_message_at = CASE WHEN :max_ts >= last_message_at THEN :max_ts ELSE last_message_at END,
  unread_count = unread_count + :n_in,
  waiting_since = CASE
    WHEN :last_out IS NOT NULL AND :last_out >= last_out_at
         AND :last_out >= COALESCE(waiting_since, 0) THEN :first_in_after_out
    ELSE COALESCE(waiting_since, :first_in) END,
  last_out_at = CASE WHEN :last_out IS NOT NULL AND :last_out > last_out_at
                THEN :last_out ELSE last_out_at END,
  state = CASE WHEN :n_in > 0 THEN 'open' ELSE state END
WHERE id = :cid
"""
).bindparams(
    bindparam("max_ts", type_=BigInteger),
    bindparam("last_out", type_=BigInteger),
    bindparam("first_in", type_=BigInteger),
    bindparam("first_in_after_out", type_=BigInteger),
    bindparam("n_in", type_=Integer),
    bindparam("cid", type_=Integer),
)


@dataclass(slots=True)
class _ConvDelta:
    """A batch's messages of one conversation, reduced to what the inbox row needs."""

    max_ts: int = -1
    preview: str = ""
    last_dir: str = "in"
    n_in: int = 0
    first_in: int | None = None
    last_out: int | None = None
    first_in_after_out: int | None = None

    def add(self, ts: int, direction: str, text_: str) -> None:
        if ts >= self.max_ts:
            self.max_ts, self.preview, self.last_dir = ts, preview(text_), direction
        if direction == Direction.IN.value:
            self.n_in += 1
            if self.first_in is None or ts < self.first_in:
                self.first_in = ts
            if self.last_out is None or ts > self.last_out:
                if self.first_in_after_out is None or ts < self.first_in_after_out:
                    self.first_in_after_out = ts
        else:
            if self.last_out is None or ts > self.last_out:
                self.last_out = ts
                # inbound messages before this answer are answered
                if self.first_in_after_out is not None and self.first_in_after_out <= ts:
                    self.first_in_after_out = None

    def params(self, cid: int) -> dict[str, object]:
        return {
            "cid": cid, "max_ts": self.max_ts, "preview": self.preview, "last_dir": self.last_dir,
            "n_in": self.n_in, "first_in": self.first_in, "last_out": self.last_out,
            "first_in_after_out": self.first_in_after_out,
        }


def touch_conversations(conn: Connection, deltas: dict[int, _ConvDelta]) -> None:
    executemany(conn, TOUCH_CONVERSATION, [d.params(cid) for cid, d in deltas.items()])


def local_outgoing_delta(ts: int, text_: str) -> _ConvDelta:
    delta = _ConvDelta()
    delta.add(ts, Direction.OUT.value, text_)
    return delta


class Ingestor:
    """The single writer of feed data. Remembers key → id of buyers and
    conversations (ids never change once given), so a steady feed costs no lookups."""

    def __init__(self, db: Engine) -> None:
        self._db = db
        self._buyers: dict[tuple[str, str], int] = {}
        self._convs: dict[tuple[int, str], int] = {}
        self._stmts: dict[str, object] = {}

    def ingest_groups(
        self, groups: Sequence[tuple[int, str, Sequence[MessageEvent], Sequence[OrderEvent]]],
    ) -> IngestResult:
        """Pushed events of many shops in one transaction (no cursor moves: the
        pull feeds stay the source of truth). One commit for everything that
        arrived together keeps the writer ahead of 20 shops' pushes."""
        result = IngestResult()
        try:
            with self._db.begin() as conn:
                for shop_id, platform, messages, orders in groups:
                    if messages:
                        self._messages(conn, shop_id, platform, messages, result)
                    if orders:
                        self._orders(conn, shop_id, platform, orders, result)
        except BaseException:
            self.forget()
            raise
        return result

    # -- messages ----------------------------------------------------------------
    def ingest_messages(
        self, shop_id: int, platform: str, events: Sequence[MessageEvent],
        cursor: object = _KEEP,
    ) -> IngestResult:
        result = IngestResult()
        try:
            with self._db.begin() as conn:
                if events:
                    self._messages(conn, shop_id, platform, events, result)
                if cursor is not _KEEP:
                    save_cursor(conn, shop_id, "messages", cursor)  # type: ignore[arg-type]
        except BaseException:
            self.forget()  # ids handed out inside the rolled-back transaction are void
            raise
        return result

    def _messages(
        self, conn: Connection, shop_id: int, platform: str,
        events: Sequence[MessageEvent], result: IngestResult,
    ) -> None:
        buyer_ids = self._buyer_ids(conn, platform, ((e.buyer_id, e.buyer_nick) for e in events))
        conv_ids = self._conv_ids(
            conn, shop_id, ((e.conversation_id, buyer_ids[(platform, e.buyer_id)]) for e in events),
            result.new_conversations,
        )
        fresh: dict[str, MessageEvent] = {}  # a page may repeat an id: keep one
        for e in events:
            if e.client_key and self._settle_echo(conn, shop_id, e):
                result.conversations.add(conv_ids[(shop_id, e.conversation_id)])
                continue
            fresh.setdefault(e.platform_msg_id, e)
        if not fresh:
            return
        m = messages_table.c
        # One writer per shop: the rows above the old maximum id with this shop's
        # ids are exactly the ones this statement inserted. Reading them back is
        # a short rowid range scan, far cheaper than probing the unique index first.
        floor = conn.execute(select(func.max(m.id))).scalar() or 0
        times = {pid: millis(e.sent_at) for pid, e in fresh.items()}
        executemany_tuples(
            conn, self._insert_message(conn), MESSAGE_COLUMNS,
            [(conv_ids[(shop_id, e.conversation_id)], shop_id, pid, e.client_key,
              e.direction.value, e.sender, e.kind.value, e.text, times[pid],
              "received" if e.direction is Direction.IN else "sent")
             for pid, e in fresh.items()],
        )
        inserted = set(scalars(conn, select(m.platform_msg_id).where(
            m.id > floor, m.shop_id == shop_id)))
        deltas: dict[int, _ConvDelta] = {}
        for pid, e in fresh.items():
            if pid not in inserted:
                continue
            cid = conv_ids[(shop_id, e.conversation_id)]
            deltas.setdefault(cid, _ConvDelta()).add(times[pid], e.direction.value, e.text)
            if e.direction is Direction.IN:
                result.buyer_messages.append((cid, e.buyer_nick, preview(e.text)))
        touch_conversations(conn, deltas)
        index_new_messages(conn)  # the 1–2 character search index (SQLite)
        result.inserted += len(inserted)
        result.conversations.update(deltas)

    def _insert_message(self, conn: Connection):  # type: ignore[no-untyped-def]
        # one statement object per dialect, so its compiled form is cached
        stmt = self._stmts.get(conn.dialect.name)
        if stmt is None:
            stmt = self._stmts[conn.dialect.name] = insert_ignore(
                conn, messages_table, ["shop_id", "platform_msg_id"])
        return stmt

    def _settle_echo(self, conn: Connection, shop_id: int, e: MessageEvent) -> bool:
        """Our own message came back through the feed: settle the pending copy."""
        m = messages_table.c
        done = conn.execute(
            update(messages_table)
            .where(m.shop_id == shop_id, m.client_key == e.client_key)
            .values(platform_msg_id=e.platform_msg_id, state="sent")
            .where((m.platform_msg_id.is_(None)) | (m.platform_msg_id == e.platform_msg_id))
        )
        return done.rowcount > 0

    # -- orders --------------------------------------------------------------------
    def ingest_orders(
        self, shop_id: int, platform: str, events: Sequence[OrderEvent], cursor: object = _KEEP,
    ) -> IngestResult:
        result = IngestResult()
        try:
            with self._db.begin() as conn:
                if events:
                    self._orders(conn, shop_id, platform, events, result)
                if cursor is not _KEEP:
                    save_cursor(conn, shop_id, "orders", cursor)  # type: ignore[arg-type]
        except BaseException:
            self.forget()
            raise
        return result

    def _orders(
        self, conn: Connection, shop_id: int, platform: str,
        events: Sequence[OrderEvent], result: IngestResult,
    ) -> None:
        buyer_ids = self._buyer_ids(conn, platform, ((e.buyer_id, e.buyer_nick) for e in events))
        latest: dict[str, OrderEvent] = {}
        for e in events:  # a page may hold one order twice: keep its newest state
            old = latest.get(e.platform_order_id)
            if old is None or e.updated_at >= old.updated_at:
                latest[e.platform_order_id] = e
        o = orders_table.c
        before: dict[str, tuple[str, int | None, int]] = {}
        ids: dict[str, int] = {}
        for chunk in _chunks(list(latest)):
            for key, memo, flag, updated, oid in conn.execute(select(
                    o.platform_order_id, o.seller_memo, o.seller_flag, o.updated_at, o.id).where(
                    o.shop_id == shop_id, o.platform_order_id.in_(chunk))):
                before[key] = (memo, flag, updated)
                ids[key] = oid
        rows = [
            {
                "shop_id": shop_id, "buyer_id": buyer_ids[(platform, e.buyer_id)],
                "platform_order_id": e.platform_order_id, "platform_conv_id": e.conversation_id,
                "status": e.status.value, "raw_status": e.raw_status, "total": e.total,
                "currency": e.currency, "created_at": millis(e.created_at),
                "updated_at": millis(e.updated_at),
                "paid_at": millis(e.paid_at) if e.paid_at else None,
                "shipped_at": millis(e.shipped_at) if e.shipped_at else None,
                "receiver_masked": e.receiver_masked, "seller_memo": e.seller_memo,
                "seller_flag": e.seller_flag, "courier": e.courier, "waybill": e.waybill,
                "warehouse": e.warehouse.value,
            }
            for e in latest.values()
        ]
        conn.execute(upsert(conn, orders_table, ["shop_id", "platform_order_id"],
                            newer_than="updated_at"), rows)
        for chunk in _chunks([k for k in latest if k not in ids]):  # the orders new to us
            ids.update(conn.execute(select(o.platform_order_id, o.id).where(
                o.shop_id == shop_id, o.platform_order_id.in_(chunk))).all())
        result.order_ids.update(ids.values())
        # a memo changed on the platform side becomes a remark "from the platform", dated when we
        # saw it: it is newer than any remark of ours, whatever the platform's clock says
        seen = now_ms()
        applied = {k: e for k, e in latest.items()
                   if k not in before or millis(e.updated_at) >= before[k][2]}
        platform_remarks = platform_changes(
            conn, {k: before[k][:2] if k in before else None for k in applied},
            {k: (ids[k], e.seller_memo, e.seller_flag, max(millis(e.updated_at), seen))
             for k, e in applied.items()})
        if platform_remarks:
            conn.execute(remarks_table.insert(), platform_remarks)
        # tags the platform keeps on its buyers (extra["buyer_tags"], comma-joined)
        tagged = {buyer_ids[(platform, e.buyer_id)]: [t for t in e.extra["buyer_tags"].split(",") if t.strip()]
                  for e in applied.values() if e.extra.get("buyer_tags")}
        if tagged:
            attach_platform_tags(conn, tagged)
        # the lines of the orders whose row was written (a stale event changes nothing)
        lines = order_items_table
        if applied:
            conn.execute(lines.delete().where(lines.c.order_id.in_([ids[k] for k in applied])))
        items = [
            {"order_id": ids[e.platform_order_id], "sku_id": it.sku_id, "title": it.title,
             "quantity": it.quantity, "unit_price": it.unit_price}
            for e in applied.values() for it in e.items
        ]
        if items:
            conn.execute(lines.insert(), items)
        c = conversations_table.c
        buyers = sorted({buyer_ids[(platform, e.buyer_id)] for e in latest.values()})
        for chunk in _chunks(buyers):
            result.order_conversations.update(conn.execute(
                select(c.id).where(c.shop_id == shop_id, c.buyer_id.in_(chunk))).scalars())

    # -- keys → ids --------------------------------------------------------------
    def _buyer_ids(
        self, conn: Connection, platform: str, pairs: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], int]:
        nicks = {(platform, bid): nick for bid, nick in pairs}
        missing = [k for k in nicks if k not in self._buyers]
        if missing:
            rows = [{"platform": p, "platform_buyer_id": b, "nick": nicks[(p, b)]} for p, b in missing]
            conn.execute(insert_ignore(conn, buyers_table, ["platform", "platform_buyer_id"]), rows)
            b = buyers_table.c
            for chunk in _chunks([k[1] for k in missing]):
                for bid, id_ in conn.execute(select(b.platform_buyer_id, b.id).where(
                        b.platform == platform, b.platform_buyer_id.in_(chunk))).all():
                    self._buyers[(platform, bid)] = id_
        return {k: self._buyers[k] for k in nicks}

    def _conv_ids(
        self, conn: Connection, shop_id: int, pairs: Iterable[tuple[str, int]], created: set[int]
    ) -> dict[tuple[int, str], int]:
        buyers = {(shop_id, conv): buyer for conv, buyer in pairs}
        missing = [k for k in buyers if k not in self._convs]
        if missing:
            c = conversations_table.c
            existing: dict[str, int] = {}
            for chunk in _chunks([k[1] for k in missing]):
                existing.update(conn.execute(select(c.platform_conv_id, c.id).where(
                    c.shop_id == shop_id, c.platform_conv_id.in_(chunk))).all())
            new = [k for k in missing if k[1] not in existing]
            if new:
                conn.execute(
                    insert_ignore(conn, conversations_table, ["shop_id", "platform_conv_id"]),
                    [{"shop_id": shop_id, "platform_conv_id": conv, "buyer_id": buyers[(shop_id, conv)],
                      "state": "open", "last_message_at": 0, "last_preview": "",
                      "last_direction": "in", "last_out_at": 0, "unread_count": 0}
                     for _, conv in new],
                )
                for chunk in _chunks([k[1] for k in new]):
                    for conv, id_ in conn.execute(select(c.platform_conv_id, c.id).where(
                            c.shop_id == shop_id, c.platform_conv_id.in_(chunk))).all():
                        existing[conv] = id_
                        created.add(id_)
            for conv, id_ in existing.items():
                self._convs[(shop_id, conv)] = id_
        return {k: self._convs[k] for k in buyers}

    def forget(self) -> None:
        """Drop the key caches (after a transaction that may not have committed)."""
        self._buyers.clear()
        self._convs.clear()


def save_cursor(conn: Connection, shop_id: int, feed: str, cursor: str | None) -> None:
    conn.execute(
        upsert(conn, cursors_table, ["shop_id", "feed"]),
        [{"shop_id": shop_id, "feed": feed, "cursor": cursor, "updated_at": now_ms()}],
    )


def load_cursor(conn: Connection, shop_id: int, feed: str) -> str | None:
    s = cursors_table.c
    return conn.execute(select(s.cursor).where(s.shop_id == shop_id, s.feed == feed)).scalar()


def _chunks(values: list, size: int = _CHUNK):  # type: ignore[no-untyped-def,type-arg]
    for i in range(0, len(values), size):
        yield values[i : i + size]


