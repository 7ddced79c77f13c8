"""FakeDesk's auto-replies, dunning and reply clocks, over in-memory rows.

Rules of the real store (desktop/core/autoreply.py, dunning.py, clocks.py): settings
are validated by the core's own `validate` (same errors); an order is dunned only while
unpaid, and a buyer at most once per shop within the platform's interval (refused as
too_soon with who and when); the unpaid list is newest first with each buyer's next
allowed time; a conversation row carries the platform's reply deadline computed by
the core's `reply_due_at`, and the deadline sort puts the soonest first, then waiting
chats without a rule, then the rest in the usual order.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from desktop.core import autoreply, dunning
from desktop.core.clocks import reply_due_at
from desktop.core.views import (
    AutoReplySettings,
    ChangeNotice,
    ConversationRow,
    DunnedRow,
    DunningSettings,
    DunRefusal,
    DunReport,
    DunSent,
    ResponseStatRow,
    UnpaidRow,
)

if TYPE_CHECKING:
    from desktop.sdk import ReplyDeadline


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


class FakeDunningMixin:
    # Provided by FakeDesk.
    _lock: threading.RLock
    convs: dict[int, ConversationRow]
    seat_name: str
    if TYPE_CHECKING:
        def emit(self, notice: ChangeNotice) -> None: ...

    def _init_dunning(self) -> None:
        self.deadline_rules: dict[int, ReplyDeadline] = {}  # shop id → rule
        self.auto_settings: dict[int, AutoReplySettings] = {}
        self.dunning_cfg = DunningSettings()
        self.unpaid: dict[int, UnpaidRow] = {}  # order id → row (as placed)
        self.dunnings: list[tuple[int, int, int, int, str, str]] = []  # order, shop, buyer, at, by, variant
        self.response_rows: list[ResponseStatRow] = []
        self.paid: dict[int, tuple[str, int]] = {}  # order id → (status, paid_at) once paid
        self.dunning_clock_ms: int | None = None  # a fixed "now"; None = wall clock
        # What the UI asked for.
        self.dun_calls: list[list[int]] = []
        self.stats_calls: list[tuple[int, int | None]] = []
        self.saved_auto: list[tuple[int, AutoReplySettings]] = []
        self.saved_dunning: list[DunningSettings] = []

    def _dunning_now(self) -> int:
        return self.dunning_clock_ms if self.dunning_clock_ms is not None else int(time.time() * 1000)

    # -- building -------------------------------------------------------------------------
    def add_unpaid(self, row: UnpaidRow) -> UnpaidRow:
        with self._lock:
            self.unpaid[row.id] = row
        return row

    def pay(self, order_id: int, at: int) -> None:
        """The buyer pays: the order leaves the unpaid list (an order notice)."""
        with self._lock:
            self.paid[order_id] = ("paid", at)
        self.emit(ChangeNotice(order_ids=frozenset({order_id})))

    # -- reply clocks -----------------------------------------------------------------------
    def reply_deadlines(self) -> dict[int, ReplyDeadline]:
        return dict(self.deadline_rules)

    def clock_fields(self, row: ConversationRow) -> dict[str, Any]:
        """What conversation_rows adds: the row's deadline under its shop's rule."""
        rule = self.deadline_rules.get(row.shop_id)
        due = reply_due_at(rule, row.waiting_since if row.state == "open" else None)
        return {"reply_due_at": due, "reply_window_s": rule.seconds if rule is not None else 0}

    def deadline_key(self, row: ConversationRow) -> tuple[object, ...]:
        due = self.clock_fields(row)["reply_due_at"]
        return (row.waiting_since is None, due is None, due or 0, row.sort_key)

    def response_stats(self, since: int, until: int | None = None) -> list[ResponseStatRow]:
        self.stats_calls.append((since, until))
        return list(self.response_rows)

    # -- auto-replies -------------------------------------------------------------------------
    def auto_reply_settings(self, shop_id: int) -> AutoReplySettings:
        return self.auto_settings.get(shop_id, AutoReplySettings())

    def set_auto_reply_settings(self, shop_id: int, settings: AutoReplySettings) -> Future:
        try:
            value = autoreply.validate(settings)
        except ValueError as exc:
            return _failed(exc)
        self.saved_auto.append((shop_id, value))
        self.auto_settings[shop_id] = value
        return _done(value)

    # -- dunning --------------------------------------------------------------------------------
    def dunning_settings(self) -> DunningSettings:
        return self.dunning_cfg

    def set_dunning_settings(self, settings: DunningSettings) -> Future:
        try:
            value = dunning.validate(settings)
        except ValueError as exc:
            return _failed(exc)
        self.saved_dunning.append(value)
        self.dunning_cfg = value
        return _done(value)

    def _last_dunning(self, shop_id: int, buyer_id: int) -> tuple[int, str] | None:
        found = [(at, by) for _o, s, b, at, by, _v in self.dunnings if (s, b) == (shop_id, buyer_id)]
        return max(found) if found else None

    def unpaid_orders(self, shop_ids: frozenset[int] | None = None) -> list[UnpaidRow]:
        now = self._dunning_now()
        out = []
        with self._lock:
            rows = [r for oid, r in self.unpaid.items() if oid not in self.paid]
        for r in rows:
            if shop_ids is not None and r.shop_id not in shop_ids:
                continue
            last = self._last_dunning(r.shop_id, r.buyer_id)
            interval = self.dunning_cfg.interval_ms(r.platform)
            recent = last if last is not None and last[0] > now - interval else None
            mine = [d[3] for d in self.dunnings if d[0] == r.id]
            out.append(replace(
                r, last_dunned_at=recent[0] if recent else None,
                last_dunned_by=recent[1] if recent else "",
                next_allowed_at=recent[0] + interval if recent else None,
                order_dunned_at=max(mine) if mine else None))
        return sorted(out, key=lambda r: (r.created_at, r.id), reverse=True)

    def dun(self, order_ids: Sequence[int]) -> Future:
        self.dun_calls.append(list(order_ids))
        now = self._dunning_now()
        sent, refused = [], []
        with self._lock:
            for oid in dict.fromkeys(order_ids):
                row = self.unpaid.get(oid)
                if row is None:
                    refused.append(DunRefusal(oid, "missing"))
                    continue
                if oid in self.paid:
                    refused.append(DunRefusal(oid, "not_unpaid", self.paid[oid][0]))
                    continue
                interval = self.dunning_cfg.interval_ms(row.platform)
                last = self._last_dunning(row.shop_id, row.buyer_id)
                if last is not None and last[0] > now - interval:
                    refused.append(DunRefusal(oid, "too_soon", at=last[0], by=last[1],
                                              next_at=last[0] + interval,
                                              hours=interval // 3_600_000))
                    continue
                if row.conversation_id is None:
                    refused.append(DunRefusal(oid, "no_chat"))
                    continue
                self.dunnings.append((oid, row.shop_id, row.buyer_id, now, self.seat_name,
                                      row.variant))
                sent.append(DunSent(oid, row.conversation_id, 9_000_000 + len(self.dunnings),
                                    row.variant))
        report = DunReport(tuple(sent), tuple(refused))
        if sent:
            self.emit(report.notice())
        return _done(report)

    def dunned_orders(self, since: int, until: int | None = None,
                      shop_ids: frozenset[int] | None = None) -> list[DunnedRow]:
        firsts: dict[int, tuple[int, str, str, int]] = {}
        with self._lock:
            for oid, _s, _b, at, by, variant in sorted(self.dunnings, key=lambda d: d[3]):
                if at < since or (until is not None and at >= until):
                    continue
                if oid in firsts:
                    first = firsts[oid]
                    firsts[oid] = (first[0], first[1], first[2], first[3] + 1)
                else:
                    firsts[oid] = (at, by, variant, 1)
            out = []
            for oid, (at, by, variant, times) in firsts.items():
                r = self.unpaid[oid]
                if shop_ids is not None and r.shop_id not in shop_ids:
                    continue
                status, paid_at = self.paid.get(oid, ("unpaid", None))
                out.append(DunnedRow(oid, r.shop_id, r.shop_name, r.shop_color, r.platform_order_id,
                                     r.buyer_nick, r.conversation_id, r.total, r.currency,
                                     r.created_at, at, by, variant, times, status, paid_at))
        return sorted(out, key=lambda r: (r.dunned_at, r.id), reverse=True)
