"""Read queries behind the desk: short, indexed, returning plain rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Select, and_, desc, func, select

from .models import (
    Buyer,
    Conversation,
    Message,
    Order,
    OutboxItem,
    Seat,
    Shop,
    buyers_table,
    conversations_table,
    messages_table,
    outbox_table,
    shops_table,
)
from . import buyers, orderbook, outbox
from .clock import now_ms
from .clocks import due_sql, reply_due_at
from .views import (
    BuyerProfile,
    CaseFilter,
    ConversationRow,
    HistoryRow,
    InboxFilter,
    InboxState,
    MessageRow,
    ShopRow,
    TransferNote,
)

if TYPE_CHECKING:
    from desktop.sdk import ReplyDeadline

    from .registry import Registry

PREVIEW_CHARS = 80
_FAR_FUTURE = 1 << 62
_NO_DEADLINE = 1 << 61  # waiting chats of shops without a deadline sort after those with one


def sort_key(waiting_since: int | None, last_message_at: int, conv_id: int) -> tuple[int, int, int]:
    """Waiting buyers first, the longest-waiting on top; then the newest activity."""
    if waiting_since is not None:
        return (0, waiting_since, conv_id)
    return (1, _FAR_FUTURE - last_message_at, conv_id)


def shops(db: Engine, registry: Registry) -> list[ShopRow]:
    with db.connect() as conn:
        rows = conn.execute(select(shops_table).order_by(Shop.id)).all()
    return [
        ShopRow(
            id=s.id,
            name=s.name,
            platform=s.platform,
            platform_name=registry.display_name(s.platform),
            platform_shop_id=s.platform_shop_id,
            color=s.color,
            enabled=s.enabled,
            health=s.health if s.enabled else "disabled",
            health_detail=s.health_detail,
            health_until=s.health_until,
            last_sync_at=s.last_sync_at,
            push_state=s.push_state,
            push_detail=s.push_detail,
        )
        for s in rows
    ]


def _inbox_where(flt: InboxFilter) -> tuple[str, list[object]]:
    if flt.state is InboxState.CLOSED:
        where, params = ["state = 'closed'"], list[object]()
    else:
        where, params = ["state = 'open'"], list[object]()
        if flt.state is InboxState.WAITING:
            where.append("waiting_since IS NOT NULL")
    if flt.shop_ids is not None:
        ids = sorted(int(i) for i in flt.shop_ids)
        where.append(f"shop_id IN ({', '.join(str(i) for i in ids) or 'NULL'})")
    if flt.seat_id is not None:
        where.append(f"seat_id = {int(flt.seat_id)}")  # ix_conversations_seat
    if flt.queue:
        where.append("seat_id IS NULL AND waiting_since IS NOT NULL")
    for label_id in (flt.tag_id, flt.group_id):
        if label_id is not None:
            # served by ix_buyer_labels_label (label_id, buyer_id)
            # (an int, inlined: the driver's placeholder style differs per database)
            where.append(f"buyer_id IN (SELECT buyer_id FROM buyer_labels "
                         f"WHERE label_id = {int(label_id)})")
    return " AND ".join(where), params


def conversation_ids(db: Engine, flt: InboxFilter, limit: int | None = None,
                     offset: int = 0, *, deadlines: Mapping[int, ReplyDeadline] | None = None,
                     now: int | None = None) -> list[int]:
    """Ids in sort_key() order, a window of them with `limit`. Fetched through the
    driver as plain tuples: at 100k conversations SQLAlchemy's per-row result
    processing cost more than the query (bench_inbox). No index serves this order
    on purpose: every ingested batch rewrites waiting_since/last_message_at, and a
    top-N sort of 100k rows takes ~20 ms (bench_ingest, bench_inbox).

    With `flt.sort` "deadline" the waiting chats come by their reply deadline
    (`deadlines`: shop id → its platform's rule; clocks.due_sql), still one ORDER BY."""
    where, params = _inbox_where(flt)
    order = f"COALESCE(waiting_since, {_FAR_FUTURE} - last_message_at)"
    if flt.sort == "deadline" and deadlines:
        # one CASE per row, the deadline only for waiting rows; those without one after
        due = due_sql(deadlines, now_ms() if now is None else now, dialect=db.dialect.name)
        order = (f"CASE WHEN waiting_since IS NULL THEN {_FAR_FUTURE} - last_message_at "
                 f"ELSE COALESCE({due}, {_NO_DEADLINE} + waiting_since) END")
    sql = f"SELECT id FROM conversations WHERE {where} ORDER BY waiting_since IS NULL, {order}, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    with db.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, tuple(params))
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.close()


def count_conversations(db: Engine, flt: InboxFilter) -> int:
    where, params = _inbox_where(flt)
    with db.connect() as conn:
        return int(conn.exec_driver_sql(
            f"SELECT count(*) FROM conversations WHERE {where}", tuple(params)).scalar_one())


def conversation_rows(
    db: Engine, registry: Registry, ids: Sequence[int]
) -> dict[int, ConversationRow]:
    if not ids:
        return {}
    c = conversations_table.c
    s = shops_table.c
    b = buyers_table.c
    stmt = (
        select(
            c.id, c.shop_id, s.name, s.color, s.platform, b.nick, c.last_preview,
            c.last_message_at, c.waiting_since, c.unread_count, c.state, c.buyer_id,
            c.seat_id, Seat.display_name.label("seat_name"), c.assign_version, c.queue_group,
            c.transfer_note, c.transfer_by, c.transfer_at, c.return_at,
        )
        .join(Shop, Shop.id == c.shop_id)
        .join(Buyer, Buyer.id == c.buyer_id)
        .outerjoin(Seat, Seat.id == c.seat_id)
        .where(c.id.in_(list(ids)))
    )
    out: dict[int, ConversationRow] = {}
    with db.connect() as conn:
        rows = conn.execute(stmt).all()
        chips = buyers.chips_for_buyers(conn, (r.buyer_id for r in rows))
        for r in rows:
            tags, groups = chips.get(r.buyer_id, ((), ()))
            rule = registry.reply_deadline(r.platform)
            out[r.id] = ConversationRow(
                id=r.id,
                shop_id=r.shop_id,
                shop_name=r.name,
                shop_color=r.color,
                platform=r.platform,
                platform_name=registry.display_name(r.platform),
                buyer_nick=r.nick,
                preview=r.last_preview,
                last_message_at=r.last_message_at,
                waiting_since=r.waiting_since,
                unread=r.unread_count,
                state=r.state,
                sort_key=sort_key(r.waiting_since, r.last_message_at, r.id),
                buyer_id=r.buyer_id,
                tags=tags,
                groups=groups,
                seat_id=r.seat_id,
                seat_name=r.seat_name or "",
                assign_version=r.assign_version,
                queue_group=r.queue_group,
                transfer=(TransferNote(r.transfer_by, r.transfer_note, r.transfer_at, r.return_at)
                          if r.transfer_at is not None else None),
                reply_due_at=reply_due_at(rule, r.waiting_since if r.state == "open" else None),
                reply_window_s=rule.seconds if rule is not None else 0,
            )
    return out


def messages(db: Engine, conversation_id: int, limit: int = 200) -> list[MessageRow]:
    m = messages_table.c
    o = outbox_table.c
    newest = (
        select(m.id, m.conversation_id, m.direction, m.sender, m.kind, m.text, m.sent_at, m.state,
               o.id.label("outbox_id"), o.last_error, m.origin)
        .outerjoin(
            outbox_table,
            and_(o.ref_table == "messages", o.ref_id == m.id),
        )
        .where(m.conversation_id == conversation_id)
        .order_by(desc(m.sent_at), desc(m.id))
        .limit(limit)
    )
    with db.connect() as conn:
        rows = list(conn.execute(newest).all())
    rows.reverse()
    return [
        MessageRow(
            id=r.id, conversation_id=r.conversation_id, direction=r.direction, sender=r.sender,
            kind=r.kind, text=r.text, sent_at=r.sent_at, state=r.state,
            error=r.last_error or "", outbox_id=r.outbox_id, origin=r.origin,
        )
        for r in rows
    ]


def buyer_profile(db: Engine, registry: Registry, conversation_id: int) -> BuyerProfile | None:
    """The buyer of a conversation as the team knows them: tags, groups, note, and
    their history in this shop and the team's other shops of the same platform."""
    b, cv, sh = buyers_table.c, conversations_table.c, shops_table.c
    with db.connect() as conn:
        head = conn.execute(
            select(b.id, b.platform, b.platform_buyer_id, b.nick, b.note, b.note_by, b.note_at,
                   cv.shop_id, sh.name.label("shop_name"))
            .join(conversations_table, cv.buyer_id == b.id)
            .join(shops_table, sh.id == cv.shop_id)
            .where(cv.id == conversation_id)).first()
        if head is None:
            return None
        # a buyer id is per platform, so every shop of that platform may know them
        shop_ids = list(conn.execute(select(sh.id).where(sh.platform == head.platform)).scalars())
        history = tuple(
            HistoryRow(r.id, r.shop_id, r.name, r.color, r.last_message_at, r.last_preview,
                       r.state, r.n)
            for r in conn.execute(
                select(cv.id, cv.shop_id, sh.name, sh.color, cv.last_message_at, cv.last_preview,
                       cv.state,
                       select(func.count()).where(messages_table.c.conversation_id == cv.id)
                       .correlate(conversations_table).scalar_subquery().label("n"))
                .join(shops_table, sh.id == cv.shop_id)
                .where(cv.buyer_id == head.id)
                .order_by(desc(cv.last_message_at), desc(cv.id)).limit(200)))
        tags, groups = buyers.chips_for_buyers(conn, [head.id]).get(head.id, ((), ()))
        orders = tuple(orderbook.orders_of_buyer(conn, registry, head.id, shop_ids))
        cases = tuple(orderbook.case_rows(conn, CaseFilter(open_only=False, buyer_id=head.id),
                                          limit=100))
        tag_sync = outbox.buyer_tag_sync(conn, head.id)
    return BuyerProfile(
        buyer_id=head.id, platform=head.platform, platform_name=registry.display_name(head.platform),
        platform_buyer_id=head.platform_buyer_id, nick=head.nick, shop_id=head.shop_id,
        shop_name=head.shop_name, tags=tags, groups=groups, note=head.note, note_by=head.note_by,
        note_at=head.note_at, history=history, orders=orders, cases=cases, tag_sync=tag_sync)


def shop_stats(db: Engine) -> list[dict[str, object]]:
    """Per-shop counts for `seatdesk stats`."""
    out = []
    with db.connect() as conn:
        for s in conn.execute(select(shops_table).order_by(Shop.id)).all():
            def count(stmt: Select[int]) -> int:
                return int(conn.execute(stmt).scalar_one())

            out.append({
                "id": s.id,
                "name": s.name,
                "platform": s.platform,
                "platform_shop_id": s.platform_shop_id,
                "conversations": count(select(func.count()).select_from(Conversation)
                                       .where(Conversation.shop_id == s.id)),
                "messages": count(select(func.count()).select_from(Message)
                                  .where(Message.shop_id == s.id)),
                "orders": count(select(func.count()).select_from(Order)
                                .where(Order.shop_id == s.id)),
                "outbox_pending": count(select(func.count()).select_from(OutboxItem).where(
                    OutboxItem.shop_id == s.id, OutboxItem.state == "pending")),
                "outbox_failed": count(select(func.count()).select_from(OutboxItem).where(
                    OutboxItem.shop_id == s.id, OutboxItem.state == "failed")),
                "last_sync": s.last_sync_at,
                "health": s.health if s.enabled else "disabled",
            })
    return out
