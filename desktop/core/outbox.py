"""The durable outbox: outgoing actions stored with their local effect, delivered at least once."""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, update

from desktop.sdk import Command, SendMessage, SetBuyerTags, SetRemark, Transfer

from .clock import now_ms
from .clocks import record_response
from .ingest import local_outgoing_delta, touch_conversations
from .views import ChangeNotice, TagSync
from .models import (
    Buyer,
    Conversation,
    Message,
    Order,
    OutboxItem,
    Remark,
    buyers_table,
    conversations_table,
    messages_table,
    orders_table,
    outbox_table,
    remarks_table,
)

MAX_TEXT_CHARS = 5000
MAX_TEMPORARY_ATTEMPTS = 12  # then it waits for a manual retry, visibly failed
BACKOFF_CAP_S = 60.0


@dataclass(frozen=True, slots=True)
class DueItem:
    id: int
    shop_id: int
    kind: str
    attempts: int
    command: Command


def new_key() -> str:
    return uuid.uuid4().hex


def backoff_seconds(attempts: int) -> float:
    """1, 2, 4, … seconds, capped: a platform that is down is not hammered."""
    return min(BACKOFF_CAP_S, 2.0 ** max(0, attempts - 1))


def queue_send(db: Engine, conversation_id: int, text: str, author: str,
               seat_id: int | None = None) -> tuple[int, int]:
    """Store the message as pending (written by `seat_id`) and its outbox row in one
    transaction. Returns (message id, outbox id)."""
    with db.begin() as conn:
        return queue_send_in(conn, conversation_id, text, author, seat_id)


def queue_send_in(conn: Connection, conversation_id: int, text: str, author: str,
                  seat_id: int | None = None, *, origin: str = "",
                  now: int | None = None) -> tuple[int, int]:
    """queue_send in the caller's transaction. A person's message (`origin` "") answers
    the chat: its wait is recorded for the reports and the inbox row says so. A message
    with an origin (an auto-reply, a dunning template) is marked as such and leaves the
    inbox row alone: the buyer still waits for a person (clocks.py)."""
    if not text.strip():
        raise ValueError("empty message")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"message longer than {MAX_TEXT_CHARS} characters")
    key = new_key()
    now = now_ms() if now is None else now
    conv = conn.execute(
        select(Conversation.shop_id, Conversation.platform_conv_id, Buyer.platform_buyer_id)
        .join(Buyer, Buyer.id == Conversation.buyer_id)
        .where(Conversation.id == conversation_id)
    ).one()
    msg_id = conn.execute(messages_table.insert().values(
        conversation_id=conversation_id, shop_id=conv.shop_id, platform_msg_id=None,
        client_key=key, direction="out", sender=author, kind="text", text=text,
        sent_at=now, state="pending", seat_id=seat_id, origin=origin,
    )).inserted_primary_key[0]  # type: ignore[index]
    payload = {"conversation_id": conv.platform_conv_id, "buyer_id": conv.platform_buyer_id,
               "text": text}
    outbox_id = conn.execute(outbox_table.insert().values(
        shop_id=conv.shop_id, kind="send_message", idempotency_key=key,
        payload_json=json.dumps(payload, ensure_ascii=False), state="pending",
        attempts=0, next_attempt_at=0, last_error="", created_at=now,
        ref_table="messages", ref_id=msg_id,
    )).inserted_primary_key[0]  # type: ignore[index]
    if not origin:
        record_response(conn, conversation_id, seat_id, now)
        touch_conversations(conn, {conversation_id: local_outgoing_delta(now, text)})
    return int(msg_id), int(outbox_id)


def queue_remark(db: Engine, order_id: int, text: str, flag: int | None, author: str,
                 memo: str | None = None, at_ms: int | None = None) -> int:
    """Keep the remark locally and queue `memo` (the text in the team's format; the
    bare text when None) as the platform's seller memo; → remark id."""
    if not text.strip():
        raise ValueError("empty remark")
    key = new_key()
    now = at_ms if at_ms is not None else now_ms()
    memo = text if memo is None else memo
    with db.begin() as conn:
        order = conn.execute(select(Order.shop_id, Order.platform_order_id)
                             .where(Order.id == order_id)).one()
        remark_id = conn.execute(remarks_table.insert().values(
            order_id=order_id, author=author, text=text, memo=memo, flag=flag, created_at=now,
            state="pending", source="team")).inserted_primary_key[0]  # type: ignore[index]
        conn.execute(outbox_table.insert().values(
            shop_id=order.shop_id, kind="set_remark", idempotency_key=key,
            payload_json=json.dumps({"order_id": order.platform_order_id, "text": memo,
                                     "flag": flag}, ensure_ascii=False),
            state="pending", attempts=0, next_attempt_at=0, last_error="", created_at=now,
            ref_table="remarks", ref_id=remark_id,
        ))
    return int(remark_id)


def queue_buyer_tags(conn: Connection, buyer_ids: Sequence[int], add: Sequence[str],
                     remove: Sequence[str], platforms: frozenset[str]) -> int:
    """Mirror a tag change onto platforms that keep buyer tags (Shopify customer tags):
    one outbox row per buyer of those platforms, to a shop where the buyer has orders
    (or chats). Runs in the caller's transaction; → rows queued."""
    if not platforms or not (add or remove):
        return 0
    now = now_ms()
    b, o, c = buyers_table.c, orders_table.c, conversations_table.c
    rows = conn.execute(select(b.id, b.platform, b.platform_buyer_id).where(
        b.id.in_(list(buyer_ids)), b.platform.in_(sorted(platforms)))).all()
    queued = 0
    for buyer in rows:
        shop_id = conn.execute(select(o.shop_id).where(o.buyer_id == buyer.id).limit(1)).scalar() \
            or conn.execute(select(c.shop_id).where(c.buyer_id == buyer.id).limit(1)).scalar()
        if shop_id is None:
            continue
        payload = {"buyer_id": buyer.platform_buyer_id, "add": list(add), "remove": list(remove)}
        conn.execute(outbox_table.insert().values(
            shop_id=shop_id, kind="set_buyer_tags", idempotency_key=new_key(),
            payload_json=json.dumps(payload, ensure_ascii=False), state="pending", attempts=0,
            next_attempt_at=0, last_error="", created_at=now, ref_table="buyers", ref_id=buyer.id))
        queued += 1
    return queued


def buyer_tag_sync(conn: Connection, buyer_id: int) -> TagSync | None:
    """The buyer's undelivered tag changes (pending or failed), for the buyer panel;
    None when every change reached the platform. Unfinished rows are few: the state
    column of the due index finds them."""
    o = outbox_table.c
    rows = conn.execute(select(o.id, o.state, o.last_error).where(
        o.state.in_(("pending", "failed")), o.kind == "set_buyer_tags",
        o.ref_table == "buyers", o.ref_id == buyer_id).order_by(o.id)).all()
    if not rows:
        return None
    failed = [r for r in rows if r.state == "failed"]
    errors = [r.last_error for r in rows if r.last_error]
    return TagSync(pending=len(rows) - len(failed), failed=len(failed),
                   error=errors[-1] if errors else "", outbox_ids=tuple(r.id for r in rows))


def queue_transfer(conn: Connection, shop_id: int, conversation_id: int, platform_conv_id: str,
                   to_account: str, reason: str) -> None:
    """The platform-side half of a transfer, in the caller's transaction."""
    conn.execute(outbox_table.insert().values(
        shop_id=shop_id, kind="transfer", idempotency_key=new_key(),
        payload_json=json.dumps({"conversation_id": platform_conv_id, "to_account": to_account,
                                 "reason": reason}, ensure_ascii=False),
        state="pending", attempts=0, next_attempt_at=0, last_error="", created_at=now_ms(),
        ref_table="conversations", ref_id=conversation_id))


def _command(kind: str, key: str, payload: dict) -> Command:  # type: ignore[type-arg]
    if kind == "send_message":
        return SendMessage(key, payload["conversation_id"], payload["buyer_id"], payload["text"])
    if kind == "set_remark":
        return SetRemark(key, payload["order_id"], payload["text"], payload["flag"])
    if kind == "set_buyer_tags":
        return SetBuyerTags(key, payload["buyer_id"], tuple(payload["add"]), tuple(payload["remove"]))
    if kind == "transfer":
        return Transfer(key, payload["conversation_id"], payload["to_account"],
                        payload.get("reason", ""))
    raise ValueError(f"unknown outbox kind {kind!r}")


def due(db: Engine, now: int, limit: int = 50, *,
        shop_ids: Collection[int] | None = None) -> list[DueItem]:
    """Pending items whose time has come, oldest first; only of `shop_ids` when given
    (team mode: the shops this app syncs)."""
    o = outbox_table.c
    stmt = (select(o.id, o.shop_id, o.kind, o.idempotency_key, o.payload_json, o.attempts)
            .where(o.state == "pending", o.next_attempt_at <= now))
    if shop_ids is not None:
        stmt = stmt.where(o.shop_id.in_(sorted(shop_ids)))
    with db.connect() as conn:
        rows = conn.execute(stmt.order_by(o.id).limit(limit)).all()
    return [DueItem(r.id, r.shop_id, r.kind, r.attempts,
                    _command(r.kind, r.idempotency_key, json.loads(r.payload_json))) for r in rows]


def next_due_at(db: Engine, *, shop_ids: Collection[int] | None = None) -> int | None:
    """When the next pending item (of `shop_ids`, when given) is due."""
    o = outbox_table.c
    stmt = select(o.next_attempt_at).where(o.state == "pending")
    if shop_ids is not None:
        stmt = stmt.where(o.shop_id.in_(sorted(shop_ids)))
    with db.connect() as conn:
        return conn.execute(stmt.order_by(o.next_attempt_at).limit(1)).scalar()


def _ref(conn, item_id: int):  # type: ignore[no-untyped-def]
    return conn.execute(select(OutboxItem.ref_table, OutboxItem.ref_id, OutboxItem.shop_id)
                        .where(OutboxItem.id == item_id)).one()


def _touched(conn, ref) -> ChangeNotice:  # type: ignore[no-untyped-def]
    """What views show the item's local effect: a chat's messages, an order's remarks."""
    if ref.ref_table == "messages":
        conv = conn.execute(select(Message.conversation_id)
                            .where(Message.id == ref.ref_id)).scalar()
        if conv is not None:
            return ChangeNotice(messages=frozenset({conv}), conversations=frozenset({conv}))
    if ref.ref_table == "remarks":
        order = conn.execute(select(Remark.order_id).where(Remark.id == ref.ref_id)).scalar()
        if order is not None:
            return ChangeNotice(order_ids=frozenset({order}))
    if ref.ref_table == "buyers" and ref.ref_id is not None:
        return ChangeNotice(buyers=frozenset({ref.ref_id}))
    return ChangeNotice()


def mark_done(db: Engine, item_id: int, platform_id: str | None) -> ChangeNotice:
    """Delivered."""
    with db.begin() as conn:
        conn.execute(update(OutboxItem).where(OutboxItem.id == item_id)
                     .values(state="done", done_at=now_ms(), last_error=""))
        ref = _ref(conn, item_id)
        if ref.ref_table == "messages":
            values: dict[str, object] = {"state": "sent"}
            m = messages_table.c
            # the feed echo may already have settled it with the same id
            if platform_id is not None:
                values["platform_msg_id"] = platform_id
            conn.execute(update(messages_table).where(m.id == ref.ref_id).values(**values))
        elif ref.ref_table == "remarks":
            conn.execute(update(Remark).where(Remark.id == ref.ref_id).values(state="synced"))
        return _touched(conn, ref)


def mark_attempt_failed(
    db: Engine, item_id: int, error: str, *, retry_in: float | None, count: bool = True
) -> ChangeNotice:
    """Record a failed attempt. `retry_in` None = give up until a manual retry."""
    now = now_ms()
    with db.begin() as conn:
        values: dict[str, object] = {"last_error": error[:2000]}
        if count:
            values["attempts"] = OutboxItem.attempts + 1
        if retry_in is None:
            values["state"] = "failed"
        else:
            values["next_attempt_at"] = now + int(retry_in * 1000)
        conn.execute(update(OutboxItem).where(OutboxItem.id == item_id).values(**values))
        ref = _ref(conn, item_id)
        if retry_in is None:
            _set_ref_state(conn, ref, "failed")
        return _touched(conn, ref)


def retry(db: Engine, item_id: int) -> ChangeNotice:
    """A manual retry of a failed (or still retrying) item: back to pending, due now."""
    with db.begin() as conn:
        undone = conn.execute(update(OutboxItem).where(
            OutboxItem.id == item_id, OutboxItem.state != "done")
            .values(state="pending", attempts=0, next_attempt_at=0))
        ref = _ref(conn, item_id)
        if undone.rowcount:
            _set_ref_state(conn, ref, "pending")
        return _touched(conn, ref)


def _set_ref_state(conn, ref, state: str) -> None:  # type: ignore[no-untyped-def]
    if ref.ref_table == "messages":
        conn.execute(update(messages_table).where(messages_table.c.id == ref.ref_id)
                     .values(state=state))
    elif ref.ref_table == "remarks":
        conn.execute(update(Remark).where(Remark.id == ref.ref_id).values(state=state))
