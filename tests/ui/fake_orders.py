"""FakeDesk's orders view and after-sale cases, over the in-memory order rows.

Rules of the real queries (desktop/core/orderbook.py, aftersale.py): every
OrderFilter field that is not None narrows (an empty set matches nothing);
"none" in flag_colors matches orders without a flag;
created_from is inclusive, created_to exclusive; text is a case-insensitive
substring of the order number or the buyer's nick; rows sort by one of
ORDER_SORTS ("shop" = shop name, "buyer" = buyer nick, "status" = the status
value) with the order id as tie-breaker in the same direction. Order rows are
read joined, like the SQL would: shop name/colour/platform from the shop, the
buyer's nick and conversation from the conversation they are filed under, and
`open_cases` counted from the cases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.core.views import (
    ORDER_SORTS,
    CaseEventRow,
    CaseFilter,
    CaseItemRow,
    CaseKind,
    CaseRow,
    CaseState,
    ChangeNotice,
    OrderFilter,
    OrderRow,
    next_case_states,
)

if TYPE_CHECKING:
    from desktop.core.views import ConversationRow, ShopRow

_SORT_KEYS: dict[str, Any] = {
    "created_at": lambda o: o.created_at,
    "updated_at": lambda o: o.updated_at,
    "total": lambda o: o.total,
    "status": lambda o: o.status,
    "shop": lambda o: o.shop_name,
    "buyer": lambda o: o.buyer_nick,
}
assert set(_SORT_KEYS) == set(ORDER_SORTS)


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


class FakeOrdersMixin:
    # Provided by FakeDesk.
    _lock: threading.RLock
    seat_name: str
    shop_rows: dict[int, ShopRow]
    convs: dict[int, ConversationRow]
    order_rows: dict[int, list[OrderRow]]
    if TYPE_CHECKING:
        def emit(self, notice: ChangeNotice) -> None: ...

    def _init_orders(self) -> None:
        self.loose_orders: list[OrderRow] = []  # orders whose buyer never chatted with the shop
        self.case_rows: dict[int, CaseRow] = {}
        self.order_calls: list[tuple[OrderFilter, int | None, int]] = []  # what the UI read
        self.case_error: Exception | None = None  # the next open/update_case fails with it
        self.clock_ms: int | None = None  # fixed "now" for case events; None = wall clock
        self._next_case = 1

    # -- building the store --------------------------------------------------------------
    def add_loose_order(self, order: OrderRow) -> None:
        """An order with no conversation (the buyer paid without asking anything)."""
        self.loose_orders.append(order)

    def change_order(self, order_id: int, **changes: object) -> OrderRow:
        """Change a stored order as a sync would (no notice: the test emits one)."""
        with self._lock:
            for rows in [*self.order_rows.values(), self.loose_orders]:
                for i, row in enumerate(rows):
                    if row.id == order_id:
                        rows[i] = replace(row, **changes)  # type: ignore[arg-type]
                        return rows[i]
        raise KeyError(order_id)

    # -- reads ---------------------------------------------------------------------------
    def _joined(self, row: OrderRow, cid: int | None) -> OrderRow:
        shop = self.shop_rows.get(row.shop_id)
        conv = self.convs.get(cid) if cid is not None else None
        open_cases = sum(1 for c in self.case_rows.values()
                         if c.order_id == row.id and c.state != CaseState.CLOSED.value)
        return replace(
            row,
            platform=row.platform or (shop.platform if shop else ""),
            shop_name=row.shop_name or (shop.name if shop else ""),
            shop_color=row.shop_color or (shop.color if shop else ""),
            buyer_nick=row.buyer_nick or (conv.buyer_nick if conv else ""),
            buyer_id=row.buyer_id or (conv.buyer_id if conv else 0),
            conversation_id=row.conversation_id if row.conversation_id is not None else cid,
            updated_at=row.updated_at or row.created_at,
            open_cases=open_cases,
        )

    def _all_orders(self) -> list[OrderRow]:
        with self._lock:
            out = [self._joined(r, cid) for cid, rows in self.order_rows.items() for r in rows]
            out += [self._joined(r, None) for r in self.loose_orders]
        return out

    @staticmethod
    def _order_matches(o: OrderRow, flt: OrderFilter) -> bool:
        if flt.shop_ids is not None and o.shop_id not in flt.shop_ids:
            return False
        if flt.statuses is not None and o.status not in flt.statuses:
            return False
        if flt.flag_colors is not None and (o.flag_color or "none") not in flt.flag_colors:
            return False
        if flt.created_from is not None and o.created_at < flt.created_from:
            return False
        if flt.created_to is not None and o.created_at >= flt.created_to:
            return False
        text = flt.text.strip().casefold()
        return not text or text in o.platform_order_id.casefold() or text in o.buyer_nick.casefold()

    def _matching_orders(self, flt: OrderFilter) -> list[OrderRow]:
        if flt.sort not in _SORT_KEYS:
            raise ValueError(f"unknown order sort {flt.sort!r}")
        key = _SORT_KEYS[flt.sort]
        rows = [o for o in self._all_orders() if self._order_matches(o, flt)]
        return sorted(rows, key=lambda o: (key(o), o.id), reverse=flt.descending)

    def orders(self, flt: OrderFilter, limit: int | None = None, offset: int = 0) -> list[OrderRow]:
        self.order_calls.append((flt, limit, offset))
        rows = self._matching_orders(flt)
        return rows[offset:] if limit is None else rows[offset:offset + limit]

    def count_orders(self, flt: OrderFilter) -> int:
        return len(self._matching_orders(flt))

    def order(self, order_id: int) -> OrderRow | None:
        return next((o for o in self._all_orders() if o.id == order_id), None)

    def cases(self, flt: CaseFilter) -> list[CaseRow]:
        with self._lock:
            rows = list(self.case_rows.values())
        closed = CaseState.CLOSED.value
        rows = [
            c for c in rows
            if not (flt.open_only and c.state == closed)
            and (flt.states is None or c.state in flt.states)
            and (flt.kinds is None or c.kind in flt.kinds)
            and (flt.shop_ids is None or c.shop_id in flt.shop_ids)
            and (flt.order_id is None or c.order_id == flt.order_id)
            and (flt.buyer_id is None or c.buyer_id == flt.buyer_id)
        ]
        # Open first, then the most recently touched.
        return sorted(rows, key=lambda c: (c.state == closed, -c.updated_at, -c.id))

    def case(self, case_id: int) -> CaseRow | None:
        with self._lock:
            return self.case_rows.get(case_id)

    # -- commands --------------------------------------------------------------------------
    def _now_ms(self) -> int:
        return self.clock_ms if self.clock_ms is not None else int(time.time() * 1000)

    def open_case(self, order_id: int, kind: str, reason: str, items: Sequence[CaseItemRow],
                  return_waybill: str = "", note: str = "") -> Future:
        if self.case_error is not None:
            error, self.case_error = self.case_error, None
            return _failed(error)
        order = self.order(order_id)
        if order is None:
            return _failed(ValueError(f"no order {order_id}"))
        try:
            CaseKind(kind)
        except ValueError as exc:
            return _failed(exc)
        if not reason.strip():
            return _failed(ValueError("an after-sale case needs a reason"))
        if any(item.quantity < 1 for item in items):
            return _failed(ValueError("quantities must be at least 1"))
        now = self._now_ms()
        with self._lock:
            case_id, self._next_case = self._next_case, self._next_case + 1
            self.case_rows[case_id] = CaseRow(
                case_id, order.id, order.platform_order_id, order.shop_id, order.shop_name,
                order.buyer_id, order.buyer_nick, order.conversation_id, kind, reason.strip(),
                return_waybill.strip(),
                CaseState.OPEN.value, note, self.seat_name, now, now, None, tuple(items),
                (CaseEventRow("", CaseState.OPEN.value, self.seat_name, now, note),),
            )
        self.emit(ChangeNotice(order_ids=frozenset({order_id})))
        return _done(case_id)

    def update_case(self, case_id: int, *, state: str | None = None, return_waybill: str | None = None,
                    note: str | None = None, reason: str | None = None) -> Future:
        """→ the case's order id. A state change (to a state other than the current one)
        must be one next_case_states allows now, and records an event carrying `note`;
        `note` also becomes the case's note."""
        if self.case_error is not None:
            error, self.case_error = self.case_error, None
            return _failed(error)
        with self._lock:
            case = self.case_rows.get(case_id)
            if case is None:
                return _failed(ValueError(f"no after-sale case {case_id}"))
            moves = state is not None and state != case.state
            if moves and state not in next_case_states(case.kind, case.state):
                return _failed(ValueError(f"a {case.kind} case cannot go from {case.state} to {state}"))
            now = self._now_ms()
            changes: dict[str, object] = {"updated_at": now}
            if return_waybill is not None:
                changes["return_waybill"] = return_waybill.strip()
            if note is not None:
                changes["note"] = note
            if reason is not None:
                changes["reason"] = reason.strip()
            if moves:
                changes["state"] = state
                changes["closed_at"] = now if state == CaseState.CLOSED.value else None
                changes["history"] = (*case.history,
                                      CaseEventRow(case.state, state, self.seat_name, now, note or ""))
            self.case_rows[case_id] = replace(case, **changes)  # type: ignore[arg-type]
        self.emit(ChangeNotice(order_ids=frozenset({case.order_id})))
        return _done(case.order_id)

    def move_case(self, case_id: int, state: str, *, author: str = "小李") -> None:
        """Another seat moves a case (tests of a stale dialog)."""
        seat, self.seat_name = self.seat_name, author
        try:
            self.update_case(case_id, state=state).result()
        finally:
            self.seat_name = seat
