"""FakeDesk's remarks: local history, composed memo, outbox state.

Like the core: a remark is kept at once as "pending" with an outbox id, the memo
(text + author + time) is checked against the platform's limit before anything is
kept, and the order's seller memo and flag change only once the platform took it
(`settle_remark`). A memo changed on the platform by another tool arrives as a
remark from the platform (`platform_changed_memo`).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop.core.views import ChangeNotice, OrderRow, RemarkRow

DEFAULT_FORMAT = "{text} —— {author} {time}"  # desktop.core.remarks.DEFAULT_FORMAT


class FakeRemarksMixin:
    # Provided by FakeDesk.
    _lock: threading.RLock
    _next_outbox: int
    order_rows: dict[int, list[OrderRow]]
    platforms: dict[str, Any]
    seat_name: str
    loose_orders: list[OrderRow]  # FakeOrdersMixin's orders without a conversation
    if TYPE_CHECKING:
        def emit(self, notice: ChangeNotice) -> None: ...
        def order(self, order_id: int) -> OrderRow | None: ...

    def _init_remarks(self) -> None:
        self.remark_rows: dict[int, list[RemarkRow]] = {}  # order id → newest first
        self.added_remarks: list[tuple[int, str, int | None]] = []  # add_remark calls
        self.remark_error: Exception | None = None  # set to make add_remark fail
        self.remark_clock_ms: int | None = None  # a fixed "now" for memos; None = wall clock
        self.remark_format = DEFAULT_FORMAT
        self._next_remark = 1
        self._remark_clock = 0  # keeps created_at strictly increasing within a test

    # -- reads -------------------------------------------------------------------------
    def remarks(self, order_id: int) -> list[RemarkRow]:
        with self._lock:
            return list(self.remark_rows.get(order_id, []))

    def compose_memo(self, text: str, at_ms: int | None = None) -> str:
        if at_ms is None:
            at_ms = self.remark_clock_ms if self.remark_clock_ms is not None else int(time.time() * 1000)
        fields = {"text": text.strip(), "author": self.seat_name,
                  "time": datetime.fromtimestamp(at_ms / 1000).strftime("%Y-%m-%d %H:%M")}
        try:
            return self.remark_format.format(**fields)
        except (KeyError, IndexError, ValueError):  # like the core: never lose the remark
            return DEFAULT_FORMAT.format(**fields)

    def set_remark_format(self, fmt: str) -> None:
        if "{text}" not in fmt:
            raise ValueError("the format must contain {text}")
        try:
            fmt.format(text="", author="", time="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"unknown field in the format: {exc}") from None
        self.remark_format = fmt

    # -- commands ----------------------------------------------------------------------
    def add_remark(self, order_id: int, text: str, flag: int | None) -> Future:
        self.added_remarks.append((order_id, text, flag))
        f: Future = Future()
        if self.remark_error is not None:
            f.set_exception(self.remark_error)
            return f
        order = self.order(order_id)  # joined: the platform comes from the shop
        if order is None or not text.strip():
            f.set_exception(ValueError("no such order" if order is None else "the remark is empty"))
            return f
        text = text.strip()
        at = self._remark_now()
        memo = self.compose_memo(text, at)
        info = self.platforms.get(order.platform)
        problem = info.memo_problem(memo) if info is not None else None
        if problem:
            f.set_exception(ValueError(problem))
            return f
        color, label = self._flag_of(order.platform, flag)
        with self._lock:
            outbox, self._next_outbox = self._next_outbox, self._next_outbox + 1
            row = RemarkRow(self._next_remark, order_id, self.seat_name, text, memo, flag, color, label,
                            at, "pending", "team", "", outbox)
            self._next_remark += 1
        self._keep_remark(row)
        f.set_result(row.id)
        return f

    def _retry_remark(self, outbox_id: int) -> bool:
        """FakeDesk.retry_outbox's hook for remarks: back to pending. False if not a remark."""
        with self._lock:
            for rows in self.remark_rows.values():
                for i, r in enumerate(rows):
                    if r.outbox_id == outbox_id:
                        rows[i] = replace(r, state="pending", error="")
                        self._remark_changed(rows[i])
                        return True
        return False

    # -- test helpers ---------------------------------------------------------------------
    def settle_remark(self, remark_id: int, error: str = "") -> RemarkRow:
        """The outbox worker's verdict: synced (the platform memo and flag follow), or
        failed with the platform's `error`."""
        with self._lock:
            for rows in self.remark_rows.values():
                for i, r in enumerate(rows):
                    if r.id == remark_id:
                        rows[i] = replace(r, state="failed" if error else "synced", error=error)
                        self._remark_changed(rows[i], memo_taken=not error)
                        return rows[i]
        raise KeyError(remark_id)

    def platform_changed_memo(self, order_id: int, memo: str, flag: int | None = None,
                              at_ms: int | None = None) -> RemarkRow:
        """Someone changed the memo on the platform (its web back office, an ERP)."""
        order = self.order(order_id)
        assert order is not None, order_id
        color, label = self._flag_of(order.platform, flag)
        with self._lock:
            row = RemarkRow(self._next_remark, order_id, "", memo, memo, flag, color, label,
                            at_ms if at_ms is not None else self._remark_now(), "platform", "platform")
            self._next_remark += 1
        self._keep_remark(row, memo_taken=True)
        return row

    # -- internals -----------------------------------------------------------------------
    def _remark_now(self) -> int:
        base = self.remark_clock_ms if self.remark_clock_ms is not None else int(time.time() * 1000)
        with self._lock:
            self._remark_clock = max(base, self._remark_clock + 1)
            return self._remark_clock

    def _flag_of(self, platform: str, flag: int | None) -> tuple[str, str]:
        info = self.platforms.get(platform)
        option = info.flag(flag) if info is not None and flag is not None else None
        if option is None:
            return "none", ""
        return option.color.value, option.label

    def _keep_remark(self, row: RemarkRow, *, memo_taken: bool = False) -> None:
        with self._lock:
            self.remark_rows.setdefault(row.order_id, []).insert(0, row)
        self._remark_changed(row, memo_taken=memo_taken)

    def _remark_changed(self, row: RemarkRow, *, memo_taken: bool = False) -> None:
        """Refresh the order rows that carry this remark's order and announce it."""
        cids: set[int] = set()
        with self._lock:
            latest = self.remark_rows[row.order_id][0]
            for cid, rows in [*self.order_rows.items(), (None, self.loose_orders)]:
                for i, o in enumerate(rows):
                    if o.id != row.order_id:
                        continue
                    changes: dict[str, Any] = {"latest_remark": latest}
                    if memo_taken:
                        changes.update(seller_memo=row.memo, flag_value=row.flag_value,
                                       flag_color=row.flag_color, flag_label=row.flag_label)
                    rows[i] = replace(o, **changes)
                    if cid is not None:
                        cids.add(cid)
        self.emit(ChangeNotice(order_ids=frozenset({row.order_id}), orders=frozenset(cids)))
