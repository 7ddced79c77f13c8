"""Read queries behind the desk: short, indexed, returning plain rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import Engine, Select, and_, desc, func, select

from desktop.sdk import FlagColor

from .models import (
    Buyer,
    Conversation,
    Message,
    Order,
    OrderLine,
    OutboxItem,
    Shop,
    buyers_table,
    conversations_table,
    messages_table,
    order_items_table,
    orders_table,
    outbox_table,
    shops_table,
)
from .views import (
    ConversationRow,
    InboxFilter,
    InboxState,
    MessageRow,
    OrderItemRow,
    OrderRow,
    ShopRow,
)

if TYPE_CHECKING:
    from .registry import Registry

PREVIEW_CHARS = 80
_FAR_FUTURE = 1 << 62


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
    return " AND ".join(where), params


def conversation_ids(db: Engine, flt: InboxFilter, limit: int | None = None,
                     offset: int = 0) -> list[int]:
    """Ids in sort_key() order, a window of them with `limit`. Fetched through the
    driver as plain tuples: at 100k conversations SQLAlchemy's per-row result
    processing cost more than the query (bench_inbox). No index serves this order
    on purpose: every ingested batch rewrites waiting_since/last_message_at, and a
    top-N sort of 100k rows takes ~20 ms (bench_ingest, bench_inbox)."""
    where, params = _inbox_where(flt)
    sql = (f"SELECT id FROM conversations WHERE {where} ORDER BY waiting_since IS NULL, "
           f"COALESCE(waiting_since, {_FAR_FUTURE} - last_message_at), id")
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
            c.last_message_at, c.waiting_since, c.unread_count, c.state,
        )
        .join(Shop, Shop.id == c.shop_id)
        .join(Buyer, Buyer.id == c.buyer_id)
        .where(c.id.in_(list(ids)))
    )
    out: dict[int, ConversationRow] = {}
    with db.connect() as conn:
        for r in conn.execute(stmt):
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
            )
    return out


def messages(db: Engine, conversation_id: int, limit: int = 200) -> list[MessageRow]:
    m = messages_table.c
    o = outbox_table.c
    newest = (
        select(m.id, m.conversation_id, m.direction, m.sender, m.kind, m.text, m.sent_at, m.state,
               o.id.label("outbox_id"), o.last_error)
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
            error=r.last_error or "", outbox_id=r.outbox_id,
        )
        for r in rows
    ]


def orders_for_conversation(
    db: Engine, registry: Registry, conversation_id: int
) -> list[OrderRow]:
    with db.connect() as conn:
        conv = conn.execute(
            select(Conversation.shop_id, Conversation.buyer_id, Shop.platform)
            .join(Shop, Shop.id == Conversation.shop_id)
            .where(Conversation.id == conversation_id)
        ).first()
        if conv is None:
            return []
        orders = conn.execute(
            select(orders_table)
            .where(Order.shop_id == conv.shop_id, Order.buyer_id == conv.buyer_id)
            .order_by(desc(Order.created_at))
            .limit(100)
        ).all()
        items: dict[int, list[OrderItemRow]] = {}
        if orders:
            for line in conn.execute(
                select(order_items_table).where(OrderLine.order_id.in_([o.id for o in orders]))
                .order_by(OrderLine.id)
            ):
                items.setdefault(line.order_id, []).append(
                    OrderItemRow(line.title, line.quantity, line.unit_price)
                )
    info = registry.info(conv.platform)
    rows = []
    for o in orders:
        flag = info.flag(o.seller_flag) if info else None
        rows.append(
            OrderRow(
                id=o.id, shop_id=o.shop_id, platform_order_id=o.platform_order_id,
                status=o.status, raw_status=o.raw_status, total=o.total, currency=o.currency,
                created_at=o.created_at, paid_at=o.paid_at, shipped_at=o.shipped_at,
                receiver_masked=o.receiver_masked, seller_memo=o.seller_memo,
                flag_value=o.seller_flag,
                flag_color=(flag.color if flag else FlagColor.NONE).value,
                flag_label=flag.label if flag else "",
                courier=o.courier, waybill=o.waybill, items=tuple(items.get(o.id, ())),
            )
        )
    return rows


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
