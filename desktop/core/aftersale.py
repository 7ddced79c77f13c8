"""After-sale cases (退换货登记): registered per order, walked through their states.

The flow per kind is `views.CASE_FLOW`; every step is kept as an event with its
author, time and note, so returns can be matched when parcels come back.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Engine, select, update

from .clock import now_ms
from .models import AfterSaleCase, Order, case_events_table, case_items_table, cases_table
from .views import CaseItemRow, CaseKind, CaseState, next_case_states

MAX_NOTE_CHARS = 2000


class CaseError(ValueError):
    """A case change that is not allowed (unknown kind, a step out of order, ...)."""


def open_case(db: Engine, order_id: int, kind: str, reason: str, items: Sequence[CaseItemRow],
              return_waybill: str, note: str, author: str) -> int:
    """Register a case; → its id."""
    try:
        kind = CaseKind(kind).value
    except ValueError:
        raise CaseError(f"unknown after-sale type {kind!r}") from None
    if not reason.strip():
        raise CaseError("an after-sale case needs a reason")
    if any(item.quantity < 1 for item in items):
        raise CaseError("quantities must be at least 1")
    now = now_ms()
    with db.begin() as conn:
        order = conn.execute(select(Order.shop_id, Order.buyer_id)
                             .where(Order.id == order_id)).one()
        case_id = int(conn.execute(cases_table.insert().values(
            order_id=order_id, shop_id=order.shop_id, buyer_id=order.buyer_id, kind=kind,
            reason=reason.strip(), return_waybill=return_waybill.strip(),
            state=CaseState.OPEN.value, note=note[:MAX_NOTE_CHARS], author=author,
            created_at=now, updated_at=now, closed_at=None,
        )).inserted_primary_key[0])  # type: ignore[index]
        if items:
            conn.execute(case_items_table.insert(), [
                {"case_id": case_id, "sku_id": i.sku_id, "title": i.title, "quantity": i.quantity}
                for i in items])
        _event(conn, case_id, "", CaseState.OPEN.value, author, now, note)
    return case_id


def update_case(db: Engine, case_id: int, author: str, *, state: str | None = None,
                return_waybill: str | None = None, note: str | None = None,
                reason: str | None = None) -> int:
    """Move a case on and/or edit it; → its order id. A state change must be one that
    `next_case_states` allows from the state the case is in *now* (a colleague may
    have moved it meanwhile): anything else raises CaseError and changes nothing."""
    now = now_ms()
    with db.begin() as conn:
        case = conn.execute(select(AfterSaleCase.kind, AfterSaleCase.state, AfterSaleCase.order_id)
                            .where(AfterSaleCase.id == case_id)).one()
        values: dict[str, object] = {"updated_at": now}
        if return_waybill is not None:
            values["return_waybill"] = return_waybill.strip()
        if note is not None:
            values["note"] = note[:MAX_NOTE_CHARS]
        if reason is not None:
            values["reason"] = reason.strip()
        if state is not None and state != case.state:
            if state not in next_case_states(case.kind, case.state):
                raise CaseError(f"a {case.kind} case cannot go from {case.state} to {state}")
            values["state"] = state
            if state == CaseState.CLOSED.value:
                values["closed_at"] = now
            # compare-and-set: a concurrent move of the same case loses here
            done = conn.execute(update(AfterSaleCase).where(
                AfterSaleCase.id == case_id, AfterSaleCase.state == case.state).values(**values))
            if done.rowcount != 1:
                raise CaseError("the case was changed meanwhile; look again")
            _event(conn, case_id, case.state, state, author, now, note or "")
        else:
            conn.execute(update(AfterSaleCase).where(AfterSaleCase.id == case_id).values(**values))
    return int(case.order_id)


def _event(conn: Connection, case_id: int, from_state: str, to_state: str, author: str,
           at: int, note: str) -> None:
    conn.execute(case_events_table.insert().values(
        case_id=case_id, from_state=from_state, to_state=to_state, author=author, at=at,
        note=note[:MAX_NOTE_CHARS]))
