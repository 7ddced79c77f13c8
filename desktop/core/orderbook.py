"""Order reads: the orders view across shops, an order's remarks and its after-sale cases.

Every order row is built by one function (`order_rows`), so the per-buyer panel,
the orders view and the buyer profile show the same facts the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    ColumnElement,
    Engine,
    Select,
    and_,
    asc,
    desc,
    false,
    func,
    or_,
    select,
)

from desktop.sdk import FlagColor

from .models import (
    buyers_table,
    case_events_table,
    case_items_table,
    cases_table,
    conversations_table,
    order_items_table,
    orders_table,
    outbox_table,
    remarks_table,
    shops_table,
)
from .views import (
    CaseEventRow,
    CaseFilter,
    CaseItemRow,
    CaseRow,
    CaseState,
    OrderFilter,
    OrderItemRow,
    OrderRow,
    RemarkRow,
)

if TYPE_CHECKING:
    from .registry import Registry

o, s, b, c = orders_table.c, shops_table.c, buyers_table.c, conversations_table.c
_CHUNK = 500


def _conversation_of_order() -> Any:
    """The buyer's newest conversation in the order's shop (there may be none)."""
    return (select(c.id).where(c.shop_id == o.shop_id, c.buyer_id == o.buyer_id)
            .order_by(desc(c.last_message_at), desc(c.id)).limit(1)
            .correlate(orders_table).scalar_subquery())


def _base() -> Select[Any]:
    return (select(orders_table, s.name.label("shop_name"), s.color.label("shop_color"),
                   s.platform.label("platform"), b.nick.label("buyer_nick"),
                   _conversation_of_order().label("conversation_id"))
            .join(shops_table, s.id == o.shop_id)
            .join(buyers_table, b.id == o.buyer_id))


def _flag(registry: Registry, platform: str, value: int | None) -> tuple[str, str]:
    info = registry.info(platform)
    option = info.flag(value) if info else None
    return (option.color if option else FlagColor.NONE).value, option.label if option else ""


def remark_rows(conn: Connection, registry: Registry, order_ids: Sequence[int],
                platform_of: dict[int, str], *, latest_only: bool = False
                ) -> dict[int, list[RemarkRow]]:
    """order id → its remarks, newest first (only the newest with latest_only)."""
    r, ob = remarks_table.c, outbox_table.c
    out: dict[int, list[RemarkRow]] = {}
    ids = list(order_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        where = r.order_id.in_(chunk)
        if latest_only:
            newest = select(func.max(r.id)).where(r.order_id.in_(chunk)).group_by(r.order_id)
            where = r.id.in_(newest)
        stmt = (select(r.id, r.order_id, r.author, r.text, r.memo, r.flag, r.created_at, r.state,
                       r.source, ob.id.label("outbox_id"), ob.state.label("outbox_state"),
                       ob.attempts, ob.last_error)
                .outerjoin(outbox_table, and_(ob.ref_table == "remarks", ob.ref_id == r.id))
                .where(where).order_by(desc(r.created_at), desc(r.id)))
        for row in conn.execute(stmt):
            state = row.state
            # a remark the outbox is still retrying after errors shows as failed, with the
            # platform's error and a retry button; it goes on retrying by itself too
            if state == "pending" and row.attempts and row.last_error:
                state = "failed"
            color, label = _flag(registry, platform_of.get(row.order_id, ""), row.flag)
            out.setdefault(row.order_id, []).append(RemarkRow(
                id=row.id, order_id=row.order_id, author=row.author, text=row.text,
                memo=row.memo or row.text, flag_value=row.flag, flag_color=color, flag_label=label,
                created_at=row.created_at, state=state, source=row.source,
                error=(row.last_error or "") if state == "failed" else "",
                outbox_id=row.outbox_id))
    return out


def order_rows(conn: Connection, registry: Registry, rows: Sequence[Any]) -> list[OrderRow]:
    """Rows of `_base()` → OrderRow with items, latest remark and open case count."""
    ids = [row.id for row in rows]
    items: dict[int, list[OrderItemRow]] = {}
    open_cases: dict[int, int] = {}
    latest: dict[int, list[RemarkRow]] = {}
    if ids:
        ci = cases_table.c
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for line in conn.execute(select(order_items_table)
                                     .where(order_items_table.c.order_id.in_(chunk))
                                     .order_by(order_items_table.c.id)):
                items.setdefault(line.order_id, []).append(
                    OrderItemRow(line.title, line.quantity, line.unit_price))
            open_cases.update(conn.execute(
                select(ci.order_id, func.count()).where(
                    ci.order_id.in_(chunk), ci.state != CaseState.CLOSED.value)
                .group_by(ci.order_id)).all())
        latest = remark_rows(conn, registry, ids, {row.id: row.platform for row in rows},
                             latest_only=True)
    out = []
    for row in rows:
        color, label = _flag(registry, row.platform, row.seller_flag)
        remark = latest.get(row.id)
        out.append(OrderRow(
            id=row.id, shop_id=row.shop_id, platform_order_id=row.platform_order_id,
            status=row.status, raw_status=row.raw_status, total=row.total, currency=row.currency,
            created_at=row.created_at, paid_at=row.paid_at, shipped_at=row.shipped_at,
            receiver_masked=row.receiver_masked, seller_memo=row.seller_memo,
            flag_value=row.seller_flag, flag_color=color, flag_label=label,
            courier=row.courier, waybill=row.waybill, items=tuple(items.get(row.id, ())),
            platform=row.platform, shop_name=row.shop_name, shop_color=row.shop_color,
            buyer_id=row.buyer_id, buyer_nick=row.buyer_nick,
            conversation_id=row.conversation_id, updated_at=row.updated_at,
            warehouse=row.warehouse, latest_remark=remark[0] if remark else None,
            open_cases=int(open_cases.get(row.id, 0)),
        ))
    return out


# -- the orders view -----------------------------------------------------------------------
def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _flag_condition(registry: Registry, colors: frozenset[str]) -> ColumnElement[bool]:
    """Unified colours → each platform's own flag values."""
    terms: list[ColumnElement[bool]] = []
    if FlagColor.NONE.value in colors:
        terms.append(o.seller_flag.is_(None))
    for info in registry.platforms():
        values = [f.value for f in info.flags if f.color.value in colors]
        if values:
            terms.append(and_(s.platform == info.platform_id, o.seller_flag.in_(values)))
    return or_(*terms) if terms else false()


def _order_where(registry: Registry, flt: OrderFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if flt.shop_ids is not None:
        where.append(o.shop_id.in_(sorted(flt.shop_ids)))
    if flt.statuses is not None:
        where.append(o.status.in_(sorted(flt.statuses)))
    if flt.flag_colors is not None:
        where.append(_flag_condition(registry, flt.flag_colors))
    if flt.created_from is not None:
        where.append(o.created_at >= flt.created_from)
    if flt.created_to is not None:
        where.append(o.created_at < flt.created_to)
    text = flt.text.strip()
    if text:
        where.append(or_(o.platform_order_id.like(_like(text), escape="\\"),
                         b.nick.like(_like(text), escape="\\")))
    return where


_SORT_COLUMNS = {
    "created_at": o.created_at, "updated_at": o.updated_at, "total": o.total,
    "status": o.status, "shop": s.name, "buyer": b.nick,
}


def orders(db: Engine, registry: Registry, flt: OrderFilter, limit: int | None = None,
           offset: int = 0) -> list[OrderRow]:
    direction = desc if flt.descending else asc
    column = _SORT_COLUMNS.get(flt.sort, o.created_at)
    stmt = (_base().where(*_order_where(registry, flt))
            .order_by(direction(column), direction(o.id)).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    with db.connect() as conn:
        return order_rows(conn, registry, conn.execute(stmt).all())


def count_orders(db: Engine, registry: Registry, flt: OrderFilter) -> int:
    stmt = (select(func.count()).select_from(orders_table)
            .join(shops_table, s.id == o.shop_id).join(buyers_table, b.id == o.buyer_id)
            .where(*_order_where(registry, flt)))
    with db.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def order(db: Engine, registry: Registry, order_id: int) -> OrderRow | None:
    with db.connect() as conn:
        rows = order_rows(conn, registry, conn.execute(_base().where(o.id == order_id)).all())
    return rows[0] if rows else None


def orders_of_buyer(conn: Connection, registry: Registry, buyer_id: int,
                    shop_ids: Sequence[int], limit: int = 100) -> list[OrderRow]:
    stmt = (_base().where(o.buyer_id == buyer_id, o.shop_id.in_(list(shop_ids)))
            .order_by(desc(o.created_at), desc(o.id)).limit(limit))
    return order_rows(conn, registry, conn.execute(stmt).all())


def orders_for_conversation(db: Engine, registry: Registry, conversation_id: int) -> list[OrderRow]:
    """The buyer's orders in that conversation's shop, newest first."""
    with db.connect() as conn:
        conv = conn.execute(select(c.shop_id, c.buyer_id)
                            .where(c.id == conversation_id)).first()
        if conv is None:
            return []
        return orders_of_buyer(conn, registry, conv.buyer_id, [conv.shop_id])


def remarks(db: Engine, registry: Registry, order_id: int) -> list[RemarkRow]:
    with db.connect() as conn:
        platform = conn.execute(select(s.platform).join(orders_table, o.shop_id == s.id)
                                .where(o.id == order_id)).scalar()
        return remark_rows(conn, registry, [order_id], {order_id: platform or ""}).get(order_id, [])


# -- after-sale cases ---------------------------------------------------------------------------
def _case_stmt(flt: CaseFilter) -> Select[Any]:
    k = cases_table.c
    stmt = (select(cases_table, o.platform_order_id, s.name.label("shop_name"),
                   b.nick.label("buyer_nick"),
                   (select(c.id).where(c.shop_id == k.shop_id, c.buyer_id == k.buyer_id)
                    .order_by(desc(c.last_message_at), desc(c.id)).limit(1)
                    .correlate(cases_table).scalar_subquery()).label("conversation_id"))
            .join(orders_table, o.id == k.order_id)
            .join(shops_table, s.id == k.shop_id)
            .join(buyers_table, b.id == k.buyer_id))
    if flt.open_only:
        stmt = stmt.where(k.state != CaseState.CLOSED.value)
    if flt.states is not None:
        stmt = stmt.where(k.state.in_(sorted(flt.states)))
    if flt.kinds is not None:
        stmt = stmt.where(k.kind.in_(sorted(flt.kinds)))
    if flt.shop_ids is not None:
        stmt = stmt.where(k.shop_id.in_(sorted(flt.shop_ids)))
    if flt.order_id is not None:
        stmt = stmt.where(k.order_id == flt.order_id)
    if flt.buyer_id is not None:
        stmt = stmt.where(k.buyer_id == flt.buyer_id)
    # open cases first, then the most recently touched
    return stmt.order_by((k.state == CaseState.CLOSED.value).asc(), desc(k.updated_at),
                         desc(k.id))


def case_rows(conn: Connection, flt: CaseFilter, *, history: bool = False,
              limit: int = 1000) -> list[CaseRow]:
    rows = conn.execute(_case_stmt(flt).limit(limit)).all()
    ids = [row.id for row in rows]
    items: dict[int, list[CaseItemRow]] = {}
    events: dict[int, list[CaseEventRow]] = {}
    ic, ec = case_items_table.c, case_events_table.c
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for it in conn.execute(select(case_items_table).where(ic.case_id.in_(chunk))
                               .order_by(ic.id)):
            items.setdefault(it.case_id, []).append(CaseItemRow(it.title, it.quantity, it.sku_id))
        if history:
            for ev in conn.execute(select(case_events_table).where(ec.case_id.in_(chunk))
                                   .order_by(ec.at, ec.id)):
                events.setdefault(ev.case_id, []).append(
                    CaseEventRow(ev.from_state, ev.to_state, ev.author, ev.at, ev.note))
    return [CaseRow(
        id=row.id, order_id=row.order_id, platform_order_id=row.platform_order_id,
        shop_id=row.shop_id, shop_name=row.shop_name, buyer_id=row.buyer_id,
        buyer_nick=row.buyer_nick, conversation_id=row.conversation_id, kind=row.kind,
        reason=row.reason, return_waybill=row.return_waybill, state=row.state, note=row.note,
        author=row.author, created_at=row.created_at, updated_at=row.updated_at,
        closed_at=row.closed_at, items=tuple(items.get(row.id, ())),
        history=tuple(events.get(row.id, ())),
    ) for row in rows]


def cases(db: Engine, flt: CaseFilter) -> list[CaseRow]:
    with db.connect() as conn:
        return case_rows(conn, flt)


def case(db: Engine, case_id: int) -> CaseRow | None:
    with db.connect() as conn:
        rows = conn.execute(select(cases_table.c.order_id).where(cases_table.c.id == case_id)).all()
        if not rows:
            return None
        found = [r for r in case_rows(conn, CaseFilter(open_only=False, order_id=rows[0][0]),
                                      history=True) if r.id == case_id]
    return found[0] if found else None
