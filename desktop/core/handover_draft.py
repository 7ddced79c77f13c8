"""The handover draft: what is open for a seat at the end of its shift, and what earlier
handovers left it to do — a read of a handful of indexed queries, nothing written.

- its chats still waiting for a reply (conversations.seat_id + waiting_since),
- open follow-up promises for it, or made by it for the next shift,
- unpaid orders without a dunning in the shops it serves,
- open after-sale cases in those shops,
- its remarks since its shift started on orders not shipped yet,
- buyers carrying the follow-up tag (HandoverSettings) who chatted in those shops,
- TODO items of sent handovers addressed to it or its shifts and not taken on by a
  later one (handover.py); one whose thing is over (the chat answered or ended, the
  order paid or dunned, the case closed, the promise kept, the order shipped, the tag
  taken off) comes ticked done by "系统", so sending ends its chain instead of handing
  it on forever. A carried item about the same thing as a fresh one is one item: the
  annotation and the chain kept, the facts refreshed.

A tick is remembered: an item ticked done or dropped keeps the same thing out of fresh
drafts until the thing changes (the buyer writes again, the case moves on, a new
remark), so "done" on an unpaid order the reader chased by phone sticks.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    true,
)

from . import shifts
from .clock import now_ms
from .clocks import zone
from .handover import HandoverError, addressed_to, buyer_ref, item_key, item_row
from .models import (
    Seat,
    buyer_labels_table,
    buyers_table,
    cases_table,
    conversations_table,
    dunnings_table,
    follow_ups_table,
    handover_items_table,
    handovers_table,
    labels_table,
    orders_table,
    remarks_table,
    shops_table,
)
from .views import CaseKind, CaseState, HandoverItemKind, HandoverItemRow, HandoverRow, ItemState

KIND_LIMIT = 100  # fresh items of one kind in a draft (the newest / longest waiting first)
# "this shift" for a seat on no shift: since its last handover, at most 12 h back
SINCE_FALLBACK_MS = 12 * 3_600_000
SHIPPED = ("shipped", "completed")
OPEN_CASE_STATES = tuple(s.value for s in CaseState if s is not CaseState.CLOSED)
KIND_ORDER = {kind: n for n, kind in enumerate(HandoverItemKind)}
_CHUNK = 500
CASE_KINDS = {CaseKind.REFUND_ONLY.value: "仅退款", CaseKind.RETURN_REFUND.value: "退货退款",
              CaseKind.EXCHANGE.value: "换货", CaseKind.RESEND.value: "补发"}
CASE_STATES = {CaseState.OPEN.value: "待处理", CaseState.AWAITING_RETURN.value: "待退回",
               CaseState.RECEIVED.value: "已收到退货", CaseState.REFUNDED.value: "已退款",
               CaseState.RESENT.value: "已补发", CaseState.CLOSED.value: "已关闭"}

h, i, c = handovers_table.c, handover_items_table.c, conversations_table.c
s, b, o, k = shops_table.c, buyers_table.c, orders_table.c, cases_table.c
f = follow_ups_table.c


def _clip(text: str, chars: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars - 1] + "…"


def waited(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} 分钟"
    return f"{minutes // 60} 小时 {minutes % 60} 分钟" if minutes % 60 else f"{minutes // 60} 小时"


def money(total: Decimal | str, currency: str) -> str:
    return f"{'¥' if currency == 'CNY' else currency + ' '}{Decimal(total):.2f}"


@dataclass(frozen=True, slots=True)
class _Fresh:
    item: HandoverItemRow
    since: int  # when the thing last changed: a tick before that no longer holds


def draft(db: Engine, seat_id: int, now: int | None = None) -> HandoverRow:
    """A fresh draft (id 0) for the seat: what is open, and what earlier handovers left
    it to do. Nothing is written."""
    at = now_ms() if now is None else now
    with db.connect() as conn:
        seat = conn.execute(select(Seat.id, Seat.display_name, Seat.shop_ids_json)
                            .where(Seat.id == seat_id)).one_or_none()
        if seat is None:
            raise HandoverError(f"no seat {seat_id}")
        settings = shifts.load_settings_in(conn)
        rows = shifts.shift_rows_in(conn)
        mine = shifts.current(rows, settings.timezone, seat_id, at, shifts.GRACE_MS)
        shift = mine[0] if mine is not None else None
        to_shift = shifts.following(rows, settings.timezone, shift, at)
        since = mine[1] if mine is not None else _last_handover(conn, seat_id, at)
        served = (None if seat.shop_ids_json is None
                  else sorted(int(x) for x in json.loads(seat.shop_ids_json)))
        fresh = [*_chats(conn, seat_id, at), *_follow_ups(conn, seat_id, settings.timezone),
                 *_unpaid(conn, served), *_cases(conn, served),
                 *_remarks(conn, seat.display_name, since),
                 *_tagged(conn, settings.follow_up_tag, served)]
        fresh = _unsettled(conn, fresh)
        on_shifts = [r.id for r in rows if seat_id in r.seat_ids]
        carried = _settle(conn, _carried(conn, seat_id, on_shifts), at)
    return HandoverRow(0, seat_id, seat.display_name, shift.id if shift else None,
                       to_shift.id if to_shift else None, frozenset(), "", "draft", at, None,
                       tuple(_merge(carried, fresh)), ())


def _last_handover(conn: Connection, seat_id: int, at: int) -> int:
    last = conn.execute(select(func.max(h.sent_at)).where(
        h.author_seat_id == seat_id, h.state == "sent")).scalar()
    return max(int(last or 0), at - SINCE_FALLBACK_MS)


def _in_shops(column: Any, served: Sequence[int] | None) -> ColumnElement[bool]:
    if served is None:
        return true()
    return column.in_(served) if served else false()


def _chats(conn: Connection, seat_id: int, at: int) -> list[_Fresh]:
    rows = conn.execute(
        select(c.id, c.buyer_id, c.waiting_since, c.last_preview, s.name.label("shop"),
               b.nick)
        .join(shops_table, s.id == c.shop_id).join(buyers_table, b.id == c.buyer_id)
        .where(c.seat_id == seat_id, c.state == "open", c.waiting_since.is_not(None))
        .order_by(c.waiting_since, c.id).limit(KIND_LIMIT)).all()
    return [_Fresh(HandoverItemRow(
        0, HandoverItemKind.CHAT,
        f"{r.nick} · 等待 {waited(max(0, at - r.waiting_since) // 60_000)}: {_clip(r.last_preview)}",
        "", ItemState.TODO, conversation_id=r.id, buyer_id=r.buyer_id, shop_name=r.shop,
        ref=buyer_ref(r.nick, r.shop)), r.waiting_since) for r in rows]


def _local(ms: int, tz_name: str) -> str:
    return datetime.fromtimestamp(ms / 1000, zone(tz_name)).strftime("%m-%d %H:%M")


def _follow_ups(conn: Connection, seat_id: int, tz_name: str) -> list[_Fresh]:
    """Promises for this seat, and those it made for the next shift."""
    rows = conn.execute(
        select(f.id, f.conversation_id, f.due_at, f.note, f.created_at, c.buyer_id,
               s.name.label("shop"), b.nick)
        .join(conversations_table, c.id == f.conversation_id)
        .join(shops_table, s.id == c.shop_id).join(buyers_table, b.id == c.buyer_id)
        .where(f.state == "open", or_(f.for_seat_id == seat_id,
                                      and_(f.for_seat_id.is_(None),
                                           f.created_by_seat_id == seat_id)))
        .order_by(f.due_at, f.id).limit(KIND_LIMIT)).all()
    return [_Fresh(HandoverItemRow(
        0, HandoverItemKind.FOLLOW_UP,
        f"{r.nick} · 回访 {_local(r.due_at, tz_name)}: {_clip(r.note)}".rstrip(": "), "",
        ItemState.TODO, conversation_id=r.conversation_id, buyer_id=r.buyer_id,
        shop_name=r.shop, due_at=r.due_at, ref=buyer_ref(r.nick, r.shop),
        follow_up_id=r.id), r.created_at) for r in rows]


def _unpaid(conn: Connection, served: Sequence[int] | None) -> list[_Fresh]:
    d = dunnings_table.c
    conv = (select(func.max(c.id)).where(c.shop_id == o.shop_id, c.buyer_id == o.buyer_id)
            .scalar_subquery())
    rows = conn.execute(
        select(o.id, o.platform_order_id, o.buyer_id, o.total, o.currency, o.created_at,
               s.name.label("shop"), b.nick, conv.label("conv"))
        .join(shops_table, s.id == o.shop_id).join(buyers_table, b.id == o.buyer_id)
        .where(o.status == "unpaid", _in_shops(o.shop_id, served),
               ~exists().where(d.order_id == o.id))
        .order_by(o.created_at.desc(), o.id.desc()).limit(KIND_LIMIT)).all()
    return [_Fresh(HandoverItemRow(
        0, HandoverItemKind.UNPAID,
        f"订单 {r.platform_order_id} · {r.nick} · 未付款 {money(r.total, r.currency)}", "",
        ItemState.TODO, conversation_id=r.conv, order_id=r.id, buyer_id=r.buyer_id,
        shop_name=r.shop, ref=f"{buyer_ref(r.nick, r.shop)} · 订单号 {r.platform_order_id}"),
        r.created_at) for r in rows]


def _cases(conn: Connection, served: Sequence[int] | None) -> list[_Fresh]:
    conv = (select(func.max(c.id)).where(c.shop_id == k.shop_id, c.buyer_id == k.buyer_id)
            .scalar_subquery())
    rows = conn.execute(
        select(k.id, k.order_id, k.buyer_id, k.kind, k.state, k.reason, k.updated_at,
               o.platform_order_id, s.name.label("shop"), b.nick, conv.label("conv"))
        .join(orders_table, o.id == k.order_id).join(shops_table, s.id == k.shop_id)
        .join(buyers_table, b.id == k.buyer_id)
        .where(k.state.in_(OPEN_CASE_STATES), _in_shops(k.shop_id, served))
        .order_by(k.updated_at.desc(), k.id.desc()).limit(KIND_LIMIT)).all()
    out = []
    for r in rows:
        reason = f": {_clip(r.reason, 30)}" if r.reason.strip() else ""
        out.append(_Fresh(HandoverItemRow(
            0, HandoverItemKind.CASE,
            f"售后 #{r.id} {CASE_KINDS.get(r.kind, r.kind)} · {r.nick} · "
            f"{CASE_STATES.get(r.state, r.state)}{reason}", "", ItemState.TODO,
            conversation_id=r.conv, order_id=r.order_id, case_id=r.id, buyer_id=r.buyer_id,
            shop_name=r.shop,
            ref=f"{buyer_ref(r.nick, r.shop)} · 订单号 {r.platform_order_id} · 售后单号 #{r.id}"),
            r.updated_at))
    return out


def _remarks(conn: Connection, author: str, since: int) -> list[_Fresh]:
    """The seat's latest remark of this shift on each order not shipped yet."""
    r_ = remarks_table.c
    conv = (select(func.max(c.id)).where(c.shop_id == o.shop_id, c.buyer_id == o.buyer_id)
            .scalar_subquery())
    rows = conn.execute(
        select(r_.id, r_.order_id, r_.text, r_.created_at, o.platform_order_id, o.buyer_id,
               s.name.label("shop"), b.nick, conv.label("conv"))
        .join(orders_table, o.id == r_.order_id).join(shops_table, s.id == o.shop_id)
        .join(buyers_table, b.id == o.buyer_id)
        .where(r_.author == author, r_.created_at >= since, r_.source == "team",
               o.status.not_in(SHIPPED))
        .order_by(r_.created_at.desc(), r_.id.desc()).limit(KIND_LIMIT * 3)).all()
    out: dict[int, _Fresh] = {}
    for r in rows:
        if r.order_id not in out and len(out) < KIND_LIMIT:
            out[r.order_id] = _Fresh(HandoverItemRow(
                0, HandoverItemKind.REMARK, f"订单 {r.platform_order_id} · 备注: {_clip(r.text)}",
                "", ItemState.TODO, conversation_id=r.conv, order_id=r.order_id,
                buyer_id=r.buyer_id, shop_name=r.shop,
                ref=f"{buyer_ref(r.nick, r.shop)} · 订单号 {r.platform_order_id}"), r.created_at)
    return list(out.values())


def _tagged(conn: Connection, tag: str, served: Sequence[int] | None) -> list[_Fresh]:
    """Buyers with the follow-up tag, each with their latest chat in the served shops."""
    bl, lb = buyer_labels_table.c, labels_table.c
    label = conn.execute(select(lb.id).where(lb.kind == "tag", lb.name == tag)).scalar()
    if label is None:
        return []
    rows = conn.execute(
        select(c.id, c.buyer_id, c.last_message_at, s.name.label("shop"), b.nick,
               bl.created_at.label("tagged_at"))
        .join(buyer_labels_table, bl.buyer_id == c.buyer_id)
        .join(shops_table, s.id == c.shop_id).join(buyers_table, b.id == c.buyer_id)
        .where(bl.label_id == label, _in_shops(c.shop_id, served))
        .order_by(c.last_message_at.desc(), c.id.desc()).limit(KIND_LIMIT * 5)).all()
    out: dict[int, _Fresh] = {}
    for r in rows:
        if r.buyer_id not in out and len(out) < KIND_LIMIT:
            out[r.buyer_id] = _Fresh(HandoverItemRow(
                0, HandoverItemKind.TAGGED, f"{r.nick} · 标签「{tag}」", "", ItemState.TODO,
                conversation_id=r.id, buyer_id=r.buyer_id, shop_name=r.shop,
                ref=buyer_ref(r.nick, r.shop)), r.tagged_at)
    return list(out.values())


def _unsettled(conn: Connection, fresh: list[_Fresh]) -> list[_Fresh]:
    """Leave out what someone ticked done or dropped since the thing last changed."""
    keys = sorted({item_key(x.item) for x in fresh})
    decided: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        decided.update({key: at for key, at in conn.execute(
            select(i.key, func.max(i.done_at))
            .where(i.key.in_(keys[start:start + _CHUNK]),
                   i.state.in_((ItemState.DONE.value, ItemState.DROPPED.value)))
            .group_by(i.key)) if at is not None})
    return [x for x in fresh if decided.get(item_key(x.item), -1) < x.since]


def _carried(conn: Connection, seat_id: int, shift_ids: Collection[int]) -> list[HandoverItemRow]:
    rows = conn.execute(
        select(handover_items_table).join(handovers_table, h.id == i.handover_id)
        .where(h.state == "sent", i.state == ItemState.TODO.value, i.carried_to.is_(None),
               addressed_to(seat_id, shift_ids))
        .order_by(h.sent_at.desc(), h.id.desc(), i.position)).all()
    out: dict[str, HandoverItemRow] = {}
    for r in rows:
        key = r.key or f"item:{r.id}"
        if key not in out:  # the newest word on it
            out[key] = replace(item_row(r), id=0, carried_from=r.id, done_by="", done_at=None,
                               carried_to=None)
    return list(out.values())


SETTLED_BY = "系统"


def _settle(conn: Connection, carried: list[HandoverItemRow], at: int) -> list[HandoverItemRow]:
    """Tick the carried items whose thing is over (one query per kind among them)."""
    def ids(kind: HandoverItemKind, attr: str) -> list[int]:
        return sorted({getattr(x, attr) for x in carried
                       if x.kind is kind and getattr(x, attr) is not None})

    still: dict[HandoverItemKind, set[int]] = {}
    chats = ids(HandoverItemKind.CHAT, "conversation_id")
    if chats:
        still[HandoverItemKind.CHAT] = set(conn.execute(select(c.id).where(
            c.id.in_(chats), c.state == "open", c.waiting_since.is_not(None))).scalars())
    promises = ids(HandoverItemKind.FOLLOW_UP, "follow_up_id")
    if promises:
        still[HandoverItemKind.FOLLOW_UP] = set(conn.execute(select(f.id).where(
            f.id.in_(promises), f.state == "open")).scalars())
    unpaid = ids(HandoverItemKind.UNPAID, "order_id")
    if unpaid:
        d = dunnings_table.c
        still[HandoverItemKind.UNPAID] = set(conn.execute(select(o.id).where(
            o.id.in_(unpaid), o.status == "unpaid", ~exists().where(d.order_id == o.id)))
            .scalars())
    cases = ids(HandoverItemKind.CASE, "case_id")
    if cases:
        still[HandoverItemKind.CASE] = set(conn.execute(select(k.id).where(
            k.id.in_(cases), k.state.in_(OPEN_CASE_STATES))).scalars())
    remarked = ids(HandoverItemKind.REMARK, "order_id")
    if remarked:
        still[HandoverItemKind.REMARK] = set(conn.execute(select(o.id).where(
            o.id.in_(remarked), o.status.not_in(SHIPPED))).scalars())
    tagged = ids(HandoverItemKind.TAGGED, "buyer_id")
    if tagged:
        bl, lb = buyer_labels_table.c, labels_table.c
        tag = shifts.load_settings_in(conn).follow_up_tag
        still[HandoverItemKind.TAGGED] = set(conn.execute(
            select(bl.buyer_id).join(labels_table, lb.id == bl.label_id)
            .where(bl.buyer_id.in_(tagged), lb.kind == "tag", lb.name == tag)).scalars())
    link = {HandoverItemKind.CHAT: "conversation_id", HandoverItemKind.FOLLOW_UP: "follow_up_id",
            HandoverItemKind.UNPAID: "order_id", HandoverItemKind.CASE: "case_id",
            HandoverItemKind.REMARK: "order_id", HandoverItemKind.TAGGED: "buyer_id"}
    out = []
    for x in carried:
        attr = link.get(x.kind)
        value = getattr(x, attr) if attr is not None else None
        over = value is not None and value not in still.get(x.kind, set())
        out.append(replace(x, state=ItemState.DONE, done_by=SETTLED_BY, done_at=at) if over else x)
    return out


def _merge(carried: list[HandoverItemRow], fresh: list[_Fresh]) -> list[HandoverItemRow]:
    """Fresh items in their order, a carried item about the same thing merged into
    one (its annotation and chain kept, the facts refreshed); the rest after them."""
    by_key = {item_key(x): x for x in carried if item_key(x)}
    used: set[int] = set()
    out: list[HandoverItemRow] = []
    for x in fresh:
        old = by_key.get(item_key(x.item))
        if old is not None and old.carried_from not in used:
            used.add(old.carried_from)  # type: ignore[arg-type]
            out.append(replace(x.item, note=old.note, carried_from=old.carried_from))
        elif old is None:
            out.append(x.item)
    out += [x for x in carried if x.carried_from not in used]
    # stable: by kind, what is still to do first, each in the order built
    return sorted(out, key=lambda x: (KIND_ORDER[x.kind], x.state is not ItemState.TODO))
