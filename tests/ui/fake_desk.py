"""FakeDesk: the `Desk` surface over in-memory rows, with the same ordering rules.

Faithful to desktop/core/queries.py: conversation_ids filters open/waiting/closed
and sorts by `ConversationRow.sort_key` (waiting first, oldest wait on top, then
newest activity); commands return Futures and announce changes through
listeners, which tests may call from a plain Python thread like the engine does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from decimal import Decimal

from desktop.core.views import (
    ChangeNotice,
    ConversationRow,
    InboxFilter,
    InboxState,
    MessageRow,
    OrderItemRow,
    OrderRow,
    ShopRow,
)

from fake_dunning import FakeDunningMixin
from fake_handover import FakeHandoverMixin
from fake_labels import FakeLabelsMixin
from fake_orders import FakeOrdersMixin
from fake_phrases import FakePhrasesMixin
from fake_remarks import FakeRemarksMixin
from fake_search import FakeSearchMixin
from fake_seats import FakeSeatsMixin

_FAR_FUTURE = 1 << 62


def sort_key(waiting_since: int | None, last_message_at: int, conv_id: int) -> tuple[int, int, int]:
    """Same rule as desktop.core.queries.sort_key."""
    if waiting_since is not None:
        return (0, waiting_since, conv_id)
    return (1, _FAR_FUTURE - last_message_at, conv_id)


@dataclass(frozen=True)
class FakePluginStatus:
    name: str
    platform_id: str
    version: str
    error: str | None = None


def done_future(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


class FakeDesk(FakeLabelsMixin, FakeOrdersMixin, FakeRemarksMixin, FakeSeatsMixin, FakeSearchMixin, FakePhrasesMixin,
               FakeDunningMixin, FakeHandoverMixin):
    seat_name = "小王"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.shop_rows: dict[int, ShopRow] = {}
        self.convs: dict[int, ConversationRow] = {}
        self.msgs: dict[int, list[MessageRow]] = {}
        self.order_rows: dict[int, list[OrderRow]] = {}
        self.platforms: dict[str, object] = {}
        self.statuses: list[FakePluginStatus] = []
        self.listeners: list[Callable[[ChangeNotice], None]] = []
        # What the UI asked for, so tests can check laziness and commands.
        self.row_calls: list[list[int]] = []
        self.id_calls: list[InboxFilter] = []
        self.sent: list[tuple[int, str]] = []
        self.retried: list[int] = []
        self.read: list[int] = []
        self.send_error: Exception | None = None
        self._next_msg = 1_000_000
        self._next_outbox = 1
        self._init_labels()
        self._init_orders()
        self._init_remarks()
        self._init_seats()
        self._init_phrases()
        self._init_search()
        self._init_dunning()
        self._init_handover()

    # -- building the store --------------------------------------------------------------
    def add_shop(self, shop_id: int, name: str, platform: str, platform_name: str, color: str,
                 health: str = "connected", detail: str = "", until: int | None = None) -> ShopRow:
        row = ShopRow(shop_id, name, platform, platform_name, f"shop-{shop_id}", color, health != "disabled",
                      health, detail, until, None)
        self.shop_rows[shop_id] = row
        return row

    def add_conversation(self, cid: int, shop_id: int, buyer: str, preview: str, last_message_at: int,
                         waiting_since: int | None = None, unread: int = 0, state: str = "open") -> ConversationRow:
        shop = self.shop_rows[shop_id]
        row = ConversationRow(cid, shop_id, shop.name, shop.color, shop.platform, shop.platform_name, buyer,
                              preview, last_message_at, waiting_since, unread, state,
                              sort_key(waiting_since, last_message_at, cid),
                              buyer_id=self.buyer_id_for(shop.platform, buyer))
        self.convs[cid] = row
        self.msgs.setdefault(cid, [])
        return row

    def add_message(self, cid: int, direction: str, text: str, sent_at: int, *, sender: str | None = None,
                    state: str | None = None, error: str = "", kind: str = "text") -> MessageRow:
        with self._lock:
            self._next_msg += 1
            outbox = None
            if direction == "out" and state in ("pending", "failed"):
                outbox, self._next_outbox = self._next_outbox, self._next_outbox + 1
            row = MessageRow(self._next_msg, cid, direction,
                             sender or (self.convs[cid].buyer_nick if direction == "in" else self.seat_name),
                             kind, text, sent_at, state or ("received" if direction == "in" else "sent"),
                             error, outbox)
            self.msgs.setdefault(cid, []).append(row)
            return row

    def add_order(self, cid: int, order: OrderRow) -> None:
        self.order_rows.setdefault(cid, []).append(order)

    def update_conversation(self, cid: int, **changes: object) -> ConversationRow:
        with self._lock:
            row = replace(self.convs[cid], **changes)
            row = replace(row, sort_key=sort_key(row.waiting_since, row.last_message_at, cid))
            self.convs[cid] = row
            return row

    # -- reads (the Desk surface) ---------------------------------------------------------
    def shops(self) -> list[ShopRow]:
        return [self.shop_rows[k] for k in sorted(self.shop_rows)]

    def _matching(self, flt: InboxFilter) -> list[ConversationRow]:
        with self._lock:
            rows = list(self.convs.values())
        if flt.state is InboxState.CLOSED:
            rows = [r for r in rows if r.state == "closed"]
        else:
            rows = [r for r in rows if r.state == "open"]
            if flt.state is InboxState.WAITING:
                rows = [r for r in rows if r.waiting_since is not None]
        if flt.shop_ids is not None:
            rows = [r for r in rows if r.shop_id in flt.shop_ids]
        if flt.seat_id is not None:
            rows = [r for r in rows if r.seat_id == flt.seat_id]
        if flt.queue:  # open, nobody holds it, a buyer waits (queries.conversation_ids)
            rows = [r for r in rows if r.state == "open" and r.seat_id is None
                    and r.waiting_since is not None]
        for label_id in (flt.tag_id, flt.group_id):
            if label_id is not None:
                rows = [r for r in rows if label_id in self.buyer_labels.get(r.buyer_id, ())]
        return rows

    def count_conversations(self, flt: InboxFilter) -> int:
        return len(self._matching(flt))

    def conversation_ids(self, flt: InboxFilter, limit: int | None = None,
                         offset: int = 0) -> list[int]:
        self.id_calls.append(flt)
        key = self.deadline_key if flt.sort == "deadline" else (lambda r: r.sort_key)
        ids = [r.id for r in sorted(self._matching(flt), key=key)]
        return ids[offset:] if limit is None else ids[offset:offset + limit]

    def conversation_rows(self, ids: Sequence[int]) -> dict[int, ConversationRow]:
        self.row_calls.append(list(ids))
        with self._lock:
            rows = {i: self.convs[i] for i in ids if i in self.convs}
        out = {}
        for i, row in rows.items():
            tags, groups = self.chips(row.buyer_id)
            out[i] = replace(row, tags=tags, groups=groups, **self.clock_fields(row))
        return out

    def messages(self, conversation_id: int, limit: int = 200) -> list[MessageRow]:
        with self._lock:
            return list(self.msgs.get(conversation_id, [])[-limit:])

    def orders_for_conversation(self, conversation_id: int) -> list[OrderRow]:
        return list(self.order_rows.get(conversation_id, []))

    def platform_info(self, platform_id: str):  # -> PlatformInfo | None
        return self.platforms.get(platform_id)

    def plugin_statuses(self) -> list[FakePluginStatus]:
        return list(self.statuses)

    # -- the webhook receiver (as Desk: saved settings, used from the next start) ----------
    webhook_listen = ""
    webhook_public = ""
    webhook_live: tuple[bool, str] = (False, "")

    def webhook_settings(self) -> tuple[str, str]:
        return self.webhook_listen, self.webhook_public

    def set_webhook_settings(self, listen: str, public_url: str) -> None:
        if (listen or public_url) and not public_url.startswith(("http://", "https://")):
            raise ValueError(f"public URL {public_url!r} is not an http(s):// address")
        self.webhook_listen, self.webhook_public = listen.strip(), public_url.strip().rstrip("/")

    def webhook_status(self) -> tuple[bool, str]:
        return self.webhook_live

    def webhook_url(self, shop_id: int) -> str:
        return f"{self.webhook_public}/webhooks/{shop_id}" if self.webhook_public else ""

    # -- commands ---------------------------------------------------------------------------
    def send_message(self, conversation_id: int, text: str) -> Future:
        """Like the engine: store pending + clear the wait, notify, resolve with the id."""
        self.sent.append((conversation_id, text))
        f: Future = Future()
        if self.send_error is not None:
            f.set_exception(self.send_error)
            return f
        msg = self.add_message(conversation_id, "out", text, self._now(conversation_id), state="pending")
        self.update_conversation(conversation_id, waiting_since=None, preview=text, last_message_at=msg.sent_at)
        self.emit(ChangeNotice(conversations=frozenset({conversation_id}), messages=frozenset({conversation_id})))
        f.set_result(msg.id)
        return f

    def settle(self, message_id: int, *, error: str = "") -> MessageRow:
        """The outbox worker's verdict: sent, or failed with `error`."""
        with self._lock:
            for cid, rows in self.msgs.items():
                for i, m in enumerate(rows):
                    if m.id == message_id:
                        rows[i] = replace(m, state="failed" if error else "sent", error=error)
                        self.emit(ChangeNotice(messages=frozenset({cid})))
                        return rows[i]
        raise KeyError(message_id)

    def retry_outbox(self, outbox_id: int) -> Future:
        self.retried.append(outbox_id)
        if self._retry_remark(outbox_id):
            return done_future()
        with self._lock:
            for cid, rows in self.msgs.items():
                for i, m in enumerate(rows):
                    if m.outbox_id == outbox_id:
                        rows[i] = replace(m, state="pending", error="")
                        self.emit(ChangeNotice(messages=frozenset({cid})))
        return done_future()

    def mark_read(self, conversation_id: int) -> Future:
        self.read.append(conversation_id)
        if self.convs.get(conversation_id) and self.convs[conversation_id].unread:
            self.update_conversation(conversation_id, unread=0)
            self.emit(ChangeNotice(conversations=frozenset({conversation_id})))
        return done_future()

    def close_conversation(self, conversation_id: int) -> Future:
        """Like assign.close_chat: nobody waits and the seat is free of it."""
        row = self.convs[conversation_id]
        if row.seat_id is not None:
            self._log(conversation_id, "close", row.seat_id, None, self.seat_name)
        self.update_conversation(conversation_id, state="closed", waiting_since=None, unread=0,
                                 seat_id=None, seat_name="", assign_version=row.assign_version + 1)
        self.emit(ChangeNotice(conversations=frozenset({conversation_id})))
        return done_future()

    def buyer_says(self, cid: int, text: str, at_ms: int) -> ChangeNotice:
        """A new buyer message arrives; returns the notice (already emitted)."""
        conv = self.convs[cid]
        self.add_message(cid, "in", text, at_ms)
        self.update_conversation(cid, preview=text, last_message_at=at_ms, unread=conv.unread + 1,
                                 waiting_since=conv.waiting_since or at_ms)
        notice = ChangeNotice(conversations=frozenset({cid}), messages=frozenset({cid}),
                              buyer_messages=((cid, conv.buyer_nick, text),))
        self.emit(notice)
        return notice

    # -- notices ------------------------------------------------------------------------------
    def add_listener(self, callback: Callable[[ChangeNotice], None]) -> None:
        self.listeners.append(callback)

    def emit(self, notice: ChangeNotice) -> None:
        for callback in list(self.listeners):
            callback(notice)

    def emit_from_thread(self, notice: ChangeNotice) -> threading.Thread:
        """Emit like the engine does: from a thread that is not the GUI thread."""
        t = threading.Thread(target=self.emit, args=(notice,), name="fake-engine")
        t.start()
        t.join()
        return t

    def _now(self, cid: int) -> int:
        rows = self.msgs.get(cid) or []
        return max([m.sent_at for m in rows] + [self.convs[cid].last_message_at]) + 1000


def order(oid: int, shop_id: int, status: str, raw: str, total: str, items: list[tuple[str, int, str]],
          *, created: int, paid: int | None = None, receiver: str = "", memo: str = "",
          flag: str = "none", flag_label: str = "", courier: str = "", waybill: str = "") -> OrderRow:
    return OrderRow(oid, shop_id, str(3_000_000_000_000_000 + oid * 7919), status, raw, Decimal(total), "CNY", created, paid, None,
                    receiver, memo, 1 if flag != "none" else None, flag, flag_label, courier, waybill,
                    tuple(OrderItemRow(t, q, Decimal(p)) for t, q, p in items))


def big_desk(n: int, now_ms: int, shops: int = 4) -> FakeDesk:
    """n conversations over `shops` shops; a third of them waiting."""
    desk = FakeDesk()
    for s in range(1, shops + 1):
        desk.add_shop(s, f"店铺{s:02d}", "sandbox-tb", "沙箱·淘系", ["#e4572e", "#2e86de", "#17a589", "#8e44ad"][s % 4])
    for i in range(1, n + 1):
        waiting = now_ms - i * 7_000 if i % 3 == 0 else None
        desk.add_conversation(i, 1 + i % shops, f"买家{i:05d}", f"第 {i} 条消息：这款还有货吗", now_ms - i * 5_000,
                              waiting_since=waiting, unread=i % 4)
    return desk
