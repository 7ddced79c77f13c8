"""Dunning (催付): the unpaid orders of every shop, the right template per buyer, the
platform's once-per-interval limit, and dunned → paid tracking with the recovered amount.

DOMAIN "The conversation workflow": an order placed but not paid is chased politely,
once, with one of two variants — the buyer who asked (and maybe bargained) before
ordering, and the buyer who ordered without a word. Platforms limit it: Taobao allows
one dunning per buyer per shop in 24 h (feature-anchors row 28, [Q8]); the interval is
a per-platform team setting. "Asked" means the buyer wrote in that shop before the
order was created.

A dunning message goes through the outbox like any message, signed by the seat that
sent it, with `messages.origin` "dunning": a template sent in bulk is not an answer to
a waiting buyer's question, so it leaves the reply clock running (clocks.py).

The templates are quick-reply text (phrases.py variables: {买家} {店铺} {客服} {订单号}
{金额} {商品} …): one pair for the team, optionally another per shop. A dunning whose
template needs a value the order has not got is refused rather than sent with a hole.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, fields, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, func, select, update
from sqlalchemy.sql.selectable import Exists, ScalarSelect

from .clock import now_ms
from .models import (
    buyers_table,
    conversations_table,
    dunnings_table,
    messages_table,
    order_items_table,
    orders_table,
    shops_table,
    team_settings_table,
)
from .ingest import preview
from .outbox import queue_send_in
from .phrases import render, unknown_variables
from .sql import insert_ignore, upsert
from .views import (
    DEFAULT_DUN_INTERVAL_HOURS,
    DunnedRow,
    DunningSettings,
    DunningSummary,
    DunRefusal,
    DunReport,
    DunSent,
    UnpaidRow,
)

SETTINGS_KEY = "dunning"
HOUR_MS = 3_600_000
UNPAID_LIMIT = 1000  # unpaid orders listed at once, newest first
MAX_TEMPLATE_CHARS = 500

class DunningError(ValueError):
    """Settings that cannot be saved, with the reason to show."""


def validate(settings: DunningSettings) -> DunningSettings:
    texts = [settings.asked_text, settings.silent_text] + [
        t for pair in settings.shop_templates.values() for t in pair.values()]
    if not settings.asked_text.strip() or not settings.silent_text.strip():
        raise DunningError("both team templates need a text")
    for text in texts:
        if len(text) > MAX_TEMPLATE_CHARS:
            raise DunningError(f"a template is longer than {MAX_TEMPLATE_CHARS} characters")
        bad = unknown_variables(text)
        if bad:
            raise DunningError(f"unknown variable {{{bad[0]}}}")
    for platform, hours in settings.interval_hours.items():
        if not isinstance(hours, int) or hours < 1:
            raise DunningError(f"the interval for {platform} must be at least one hour")
    shops = {k: {v: t.strip() for v, t in pair.items() if v in ("asked", "silent") and t.strip()}
             for k, pair in settings.shop_templates.items()}
    return replace(settings, asked_text=settings.asked_text.strip(),
                   silent_text=settings.silent_text.strip(),
                   shop_templates={k: v for k, v in shops.items() if v})


def load_in(conn: Connection) -> DunningSettings:
    t = team_settings_table.c
    raw = conn.execute(select(t.value_json).where(t.key == SETTINGS_KEY)).scalar()
    if raw is None:
        return DunningSettings()
    known = {f.name for f in fields(DunningSettings)}
    return DunningSettings(**{k: v for k, v in json.loads(raw).items() if k in known})


def load(db: Engine) -> DunningSettings:
    with db.connect() as conn:
        return load_in(conn)


def save(db: Engine, settings: DunningSettings) -> DunningSettings:
    value = validate(settings)
    with db.begin() as conn:
        conn.execute(upsert(conn, team_settings_table, ["key"]), [{
            "key": SETTINGS_KEY, "value_json": json.dumps(asdict(value), ensure_ascii=False)}])
    return value


# -- the unpaid view --------------------------------------------------------------------------
def _asked_clause() -> Exists:
    """The buyer wrote in the order's shop before the order was created."""
    o, c, m = orders_table.c, conversations_table.c, messages_table.c
    return exists().where(c.shop_id == o.shop_id, c.buyer_id == o.buyer_id,
                          m.conversation_id == c.id, m.direction == "in",
                          m.sent_at < o.created_at)


def _conversation_clause() -> ScalarSelect[Any]:
    o, c = orders_table.c, conversations_table.c
    return (select(func.max(c.id)).where(c.shop_id == o.shop_id, c.buyer_id == o.buyer_id)
            .scalar_subquery())


def unpaid_orders(db: Engine, *, shop_ids: Collection[int] | None = None, now: int | None = None,
                  limit: int = UNPAID_LIMIT) -> list[UnpaidRow]:
    """Unpaid orders of every shop (or `shop_ids`), newest first, each with its
    variant and whether its buyer may be dunned now."""
    at = now_ms() if now is None else now
    o, s, b, i = orders_table.c, shops_table.c, buyers_table.c, order_items_table.c
    first_item = (select(i.title).where(i.order_id == o.id).order_by(i.id).limit(1)
                  .scalar_subquery())
    stmt = (select(o.id, o.shop_id, s.name, s.color, s.platform, o.platform_order_id, o.buyer_id,
                   b.nick, _conversation_clause().label("conv"), o.total, o.currency,
                   o.created_at, first_item.label("item"), _asked_clause().label("asked"))
            .join(shops_table, s.id == o.shop_id).join(buyers_table, b.id == o.buyer_id)
            .where(o.status == "unpaid"))
    if shop_ids is not None:
        stmt = stmt.where(o.shop_id.in_(sorted(shop_ids)))
    with db.connect() as conn:
        settings = load_in(conn)
        rows = conn.execute(stmt.order_by(o.created_at.desc(), o.id.desc()).limit(limit)).all()
        last, per_order = _dunnings_of(conn, rows, at, settings)
    out = []
    for r in rows:
        seen = last.get((r.shop_id, r.buyer_id))
        next_at = seen[0] + settings.interval_ms(r.platform) if seen else None
        out.append(UnpaidRow(
            r.id, r.shop_id, r.name, r.color, r.platform, r.platform_order_id, r.buyer_id, r.nick,
            r.conv, Decimal(r.total), r.currency, r.created_at, r.item or "", bool(r.asked),
            seen[0] if seen else None, seen[1] if seen else "",
            next_at if next_at is not None and next_at > at else None, per_order.get(r.id)))
    return out


def _dunnings_of(conn: Connection, rows: Sequence[Any], now: int, settings: DunningSettings,
                 ) -> tuple[dict[tuple[int, int], tuple[int, str]], dict[int, int]]:
    """(shop, buyer) → (latest dunning within any platform's interval, by whom), and
    order id → its latest dunning."""
    d = dunnings_table.c
    buyers = sorted({r.buyer_id for r in rows})
    orders = {r.id for r in rows}
    longest = max([settings.interval_ms(p) for p in settings.interval_hours] +
                  [DEFAULT_DUN_INTERVAL_HOURS * HOUR_MS])
    last: dict[tuple[int, int], tuple[int, str]] = {}
    per_order: dict[int, int] = {}
    for start in range(0, len(buyers), 500):
        for r in conn.execute(select(d.shop_id, d.buyer_id, d.order_id, d.at, d.actor)
                              .where(d.buyer_id.in_(buyers[start:start + 500]))
                              .order_by(d.at)):
            if r.at >= now - longest:
                last[(r.shop_id, r.buyer_id)] = (r.at, r.actor)
            if r.order_id in orders:
                per_order[r.order_id] = r.at
    return last, per_order


# -- dunning ------------------------------------------------------------------------------------
def _lock_buyer(conn: Connection, buyer_id: int) -> None:
    """Two seats dunning one buyer at once (team mode): the second waits for the first's
    commit and then sees its dunning. SQLite has one writer anyway."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(buyers_table.c.id).where(buyers_table.c.id == buyer_id)
                     .with_for_update())


def _chat_of(conn: Connection, shop_id: int, buyer_id: int, platform_conv_id: str | None,
             ) -> tuple[int | None, bool]:
    """(the buyer's chat in the shop, made now?); for a buyer who never wrote, the one
    the platform names on the order (made closed: the buyer's answer reopens it)."""
    c = conversations_table.c
    found = conn.execute(select(func.max(c.id)).where(
        c.shop_id == shop_id, c.buyer_id == buyer_id)).scalar()
    if found is not None or not platform_conv_id:
        return found, False
    conn.execute(insert_ignore(conn, conversations_table, ["shop_id", "platform_conv_id"]), [{
        "shop_id": shop_id, "platform_conv_id": platform_conv_id, "buyer_id": buyer_id,
        "state": "closed", "last_message_at": 0, "last_preview": "", "last_direction": "in",
        "last_out_at": 0, "unread_count": 0}])
    return conn.execute(select(c.id).where(c.shop_id == shop_id,
                                           c.platform_conv_id == platform_conv_id)).scalar(), True


def dun(db: Engine, order_ids: Sequence[int], *, actor: str, seat_id: int | None,
        sendable: Collection[str], platform_names: Mapping[str, str] | None = None,
        now: int | None = None) -> DunReport:
    """Send each order's buyer the template of their variant, unless refused (DunRefusal).
    One transaction: a batch is dunned whole, each order judged on its own; two orders
    of one buyer in one shop get one message (the second is too soon)."""
    at = now_ms() if now is None else now
    names = dict(platform_names or {})
    sent: list[DunSent] = []
    refused: list[DunRefusal] = []
    o, s, b, d, i = (orders_table.c, shops_table.c, buyers_table.c, dunnings_table.c,
                     order_items_table.c)
    with db.begin() as conn:
        settings = load_in(conn)
        for order_id in dict.fromkeys(order_ids):
            row = conn.execute(
                select(o.id, o.shop_id, o.buyer_id, o.status, o.platform_order_id, o.total,
                       o.receiver_masked, o.platform_conv_id, s.platform, s.name.label("shop"),
                       b.nick, _asked_clause().label("asked"))
                .join(shops_table, s.id == o.shop_id).join(buyers_table, b.id == o.buyer_id)
                .where(o.id == order_id)).one_or_none()
            if row is None:
                refused.append(DunRefusal(order_id, "missing"))
                continue
            if row.status != "unpaid":
                refused.append(DunRefusal(order_id, "not_unpaid", row.status))
                continue
            platform_name = names.get(row.platform, row.platform)
            if row.platform not in sendable:
                refused.append(DunRefusal(order_id, "cannot_send", platform_name))
                continue
            _lock_buyer(conn, row.buyer_id)
            interval = settings.interval_ms(row.platform)
            last = conn.execute(
                select(d.at, d.actor).where(d.shop_id == row.shop_id, d.buyer_id == row.buyer_id,
                                            d.at > at - interval)
                .order_by(d.at.desc()).limit(1)).first()
            if last is not None:
                refused.append(DunRefusal(order_id, "too_soon", at=last.at, by=last.actor,
                                          next_at=last.at + interval, hours=interval // HOUR_MS))
                continue
            conv, made = _chat_of(conn, row.shop_id, row.buyer_id, row.platform_conv_id)
            if conv is None:
                refused.append(DunRefusal(order_id, "no_chat"))
                continue
            variant = "asked" if row.asked else "silent"
            item = conn.execute(select(i.title).where(i.order_id == row.id).order_by(i.id)
                                .limit(1)).scalar()
            values = {"买家": row.nick, "店铺": row.shop, "客服": actor, "平台": platform_name,
                      "订单号": row.platform_order_id, "金额": f"{Decimal(row.total):.2f}",
                      "商品": item or "", "快递": "", "运单号": "", "地址": row.receiver_masked}
            text, missing = render(settings.template(row.shop_id, variant), values)
            if missing:
                refused.append(DunRefusal(order_id, "template", " ".join(missing)))
                continue
            message_id, _ = queue_send_in(conn, conv, text, actor, seat_id, origin="dunning",
                                          now=at)
            if made:  # a chat that holds only this message shows it in the (closed) list
                conn.execute(update(conversations_table).where(conversations_table.c.id == conv)
                             .values(last_message_at=at, last_preview=preview(text),
                                     last_direction="out"))
            conn.execute(dunnings_table.insert().values(
                order_id=row.id, shop_id=row.shop_id, buyer_id=row.buyer_id, conversation_id=conv,
                message_id=message_id, variant=variant, seat_id=seat_id, actor=actor, at=at))
            sent.append(DunSent(row.id, conv, message_id, variant))
    return DunReport(tuple(sent), tuple(refused))


# -- dunned → paid --------------------------------------------------------------------------------
def dunned_orders(db: Engine, since: int, until: int | None = None,
                  shop_ids: Collection[int] | None = None) -> list[DunnedRow]:
    """Orders dunned in [since, until), newest dunning first."""
    d, o, s, b = dunnings_table.c, orders_table.c, shops_table.c, buyers_table.c
    period = [d.at >= since] + ([d.at < until] if until is not None else [])
    first = (select(d.order_id, func.min(d.at).label("first_at"), func.count().label("times"))
             .where(*period).group_by(d.order_id).subquery())
    stmt = (select(o.id, o.shop_id, s.name, s.color, o.platform_order_id, b.nick,
                   _conversation_clause().label("conv"), o.total, o.currency, o.created_at,
                   first.c.first_at, first.c.times, o.status, o.paid_at, d.actor, d.variant)
            .join(first, first.c.order_id == o.id)
            .join(dunnings_table, and_(d.order_id == o.id, d.at == first.c.first_at))
            .join(shops_table, s.id == o.shop_id).join(buyers_table, b.id == o.buyer_id))
    if shop_ids is not None:
        stmt = stmt.where(o.shop_id.in_(sorted(shop_ids)))
    with db.connect() as conn:
        rows = conn.execute(stmt.order_by(first.c.first_at.desc(), o.id.desc())).all()
    seen: set[int] = set()
    out = []
    for r in rows:
        if r.id in seen:  # two dunnings at the very same ms
            continue
        seen.add(r.id)
        out.append(DunnedRow(r.id, r.shop_id, r.name, r.color, r.platform_order_id, r.nick, r.conv,
                             Decimal(r.total), r.currency, r.created_at, r.first_at, r.actor,
                             r.variant, int(r.times), r.status, r.paid_at))
    return out


def summary(rows: Sequence[DunnedRow]) -> DunningSummary:
    return DunningSummary.of(rows)
