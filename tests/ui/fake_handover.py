"""FakeDesk's shifts, handovers and follow-up promises, over in-memory rows.

Rules of the real store (desktop/core/shifts.py, handover.py): shift times are "HH:MM"
in the team's zone (HandoverSettings.timezone), a shift not ending after its start runs
past midnight, and which shift a seat works now / which comes next is decided by the
core's own `shifts.current` / `shifts.following`. A draft (id 0, never stored) holds
what is open for the seat, titled with the core's own helpers — its chats waiting for a
reply, open follow-ups for it (or made by it for the next shift), unpaid orders without
a dunning and open after-sale cases in the shops it serves, its remarks this shift on
orders not shipped, buyers with the follow-up tag — minus what someone ticked done or
dropped since the thing last changed, merged with the undone (TODO) items of sent
handovers addressed to it not taken on by a later one (`carried_from`; once per chain,
items matched by `handover.item_key`); a carried item whose thing is over comes ticked
done by 系统. Sending marks earlier sent items about the same things taken on
(`carried_to`) and may hand the author's open chats to the addressees ("交接：<note>").
Unread = sent in the last week, addressed to the seat (by name or a shift it is on),
not by it, not acknowledged by it; newest first. The export is `handover_text.as_text`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from desktop.core import handover as rules
from desktop.core import handover_draft as drafting
from desktop.core import shifts as shift_rules
from desktop.core.handover_text import as_text
from desktop.core.routing import ASSIGNABLE
from desktop.core.views import (
    AckRow,
    CaseState,
    ChangeNotice,
    ConversationRow,
    FollowUpRow,
    HandoverFilter,
    HandoverItemKind,
    HandoverItemRow,
    HandoverRow,
    HandoverSettings,
    ItemState,
    ShiftRow,
)

if TYPE_CHECKING:
    from desktop.core.views import CaseRow, OrderRow, RemarkRow, TransferReport, UnpaidRow

K = HandoverItemKind


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


class FakeHandoverMixin:
    # Provided by FakeDesk and its other mixins.
    _lock: threading.RLock
    convs: dict[int, ConversationRow]
    seat_name: str
    seat_id: int | None
    case_rows: dict[int, CaseRow]
    remark_rows: dict[int, list[RemarkRow]]
    unpaid: dict[int, UnpaidRow]
    paid: dict[int, tuple[str, int]]
    dunnings: list[tuple[int, int, int, int, str, str]]
    buyer_labels: dict[int, set[int]]
    label_rows: dict[int, tuple[str, str, str]]
    if TYPE_CHECKING:
        def emit(self, notice: ChangeNotice) -> None: ...
        def order(self, order_id: int) -> OrderRow | None: ...
        def _seat_display(self, seat_id: int | None) -> str: ...
        def _transfer(self, versions: dict[int, int], to_seat_id: int | None, to_group: str,
                      reason: str, return_minutes: int | None, *, force: bool) -> TransferReport: ...
        def seats(self, *, include_disabled: bool = False) -> list: ...

    def _init_handover(self) -> None:
        self.shift_rows: dict[int, ShiftRow] = {}
        self.handover_rows: dict[int, HandoverRow] = {}
        self.follow_up_rows: dict[int, FollowUpRow] = {}
        self.handover_cfg = HandoverSettings()
        self.handover_clock_ms: int | None = None  # a fixed "now"; None = wall clock
        self.handover_error: Exception | None = None  # the next handover command fails with it
        self.item_keys: dict[int, str] = {}  # item id → what it is about (handover.item_key)
        self.follow_up_by: dict[int, int | None] = {}  # follow-up id → the seat that promised
        self.follow_up_made: dict[int, int] = {}  # follow-up id → when
        self.tagged_at: dict[int, int] = {}  # buyer id → when tagged for follow-up
        # What the UI asked for.
        self.saved_handovers: list[HandoverRow] = []
        self.sent_handover_calls: list[tuple[int, bool]] = []
        self.item_state_calls: list[tuple[int, ItemState, str | None]] = []
        self.follow_up_calls: list[tuple[int, int, str, int | None]] = []
        self.acks_made: list[int] = []
        self._next_shift = 1
        self._next_handover = 1
        self._next_item = 1
        self._next_follow_up = 1

    def _handover_now(self) -> int:
        return self.handover_clock_ms if self.handover_clock_ms is not None else int(time.time() * 1000)

    def _take_error(self) -> Exception | None:
        error, self.handover_error = self.handover_error, None
        return error

    # -- settings and shifts ---------------------------------------------------------------------
    def handover_settings(self) -> HandoverSettings:
        return self.handover_cfg

    def set_handover_settings(self, settings: HandoverSettings) -> Future:
        """Checked like shifts.save_settings: a tag, 1–240 minutes, an hour at least, a known zone."""
        tag = " ".join(settings.follow_up_tag.split())
        if not tag:
            return _failed(shift_rules.ShiftError("the follow-up tag needs a name"))
        if not 1 <= settings.remind_minutes <= 240:
            return _failed(shift_rules.ShiftError("remind between 1 and 240 minutes before a shift ends"))
        if settings.overdue_hours < 1:
            return _failed(shift_rules.ShiftError("an item is overdue after at least one hour"))
        try:
            ZoneInfo(settings.timezone)
        except (LookupError, ValueError):
            return _failed(shift_rules.ShiftError(f"unknown time zone {settings.timezone!r}"))
        self.handover_cfg = replace(settings, follow_up_tag=tag)
        self.emit(ChangeNotice(shifts=True))
        return _done(self.handover_cfg)

    def shift_window(self, shift_id: int, at_ms: int | None = None) -> tuple[int, int] | None:
        row = self.shift_rows.get(shift_id)
        if row is None:
            return None
        return shift_rules.window(row, self.handover_cfg.timezone,
                                  at_ms if at_ms is not None else self._handover_now())

    def shifts(self) -> list[ShiftRow]:
        with self._lock:
            rows = list(self.shift_rows.values())
        return sorted(rows, key=lambda s: (s.start, s.name, s.id))

    def add_shift(self, name: str, start: str, end: str, seat_ids: Collection[int] = (),
                  weekdays: Collection[int] = range(7)) -> int:
        return self.save_shift(name, start, end, weekdays, seat_ids).result()

    def save_shift(self, name: str, start: str, end: str, weekdays: Collection[int],
                   seat_ids: Collection[int], shift_id: int | None = None) -> Future:
        name = " ".join(name.split())
        try:
            if not name:
                raise shift_rules.ShiftError("a shift needs a name")
            begins, ends = shift_rules.parse_time(start), shift_rules.parse_time(end)
            if begins == ends:
                raise shift_rules.ShiftError("a shift cannot end when it starts")
            days = frozenset(weekdays)
            if not days or not days <= shift_rules.ALL_DAYS:
                raise shift_rules.ShiftError("a shift runs on at least one weekday")
        except ValueError as exc:
            return _failed(exc)
        with self._lock:
            clash = next((s.id for s in self.shift_rows.values() if s.name == name), None)
            if clash is not None and clash != shift_id:
                return _failed(shift_rules.ShiftError(f"there is already a shift called {name!r}"))
            if shift_id is None:
                shift_id, self._next_shift = self._next_shift, self._next_shift + 1
            elif shift_id not in self.shift_rows:
                return _failed(shift_rules.ShiftError(f"no shift {shift_id}"))
            self.shift_rows[shift_id] = ShiftRow(shift_id, name, begins.strftime("%H:%M"),
                                                 ends.strftime("%H:%M"), days, frozenset(seat_ids))
        self.emit(ChangeNotice(shifts=True))
        return _done(shift_id)

    def delete_shift(self, shift_id: int) -> Future:
        with self._lock:
            self.shift_rows.pop(shift_id, None)
            for hid, h in self.handover_rows.items():
                self.handover_rows[hid] = replace(
                    h, shift_id=None if h.shift_id == shift_id else h.shift_id,
                    to_shift_id=None if h.to_shift_id == shift_id else h.to_shift_id)
        self.emit(ChangeNotice(shifts=True))
        return _done()

    def _addressed(self, h: HandoverRow, seat_id: int) -> bool:
        shift = self.shift_rows.get(h.to_shift_id) if h.to_shift_id is not None else None
        return seat_id in h.to_seat_ids or (shift is not None and seat_id in shift.seat_ids)

    def _current(self, seat_id: int | None, at_ms: int, grace_ms: int = 0) -> tuple[ShiftRow, int, int] | None:
        return shift_rules.current(self.shifts(), self.handover_cfg.timezone, seat_id, at_ms, grace_ms)

    def current_shift(self, seat_id: int | None = None, at_ms: int | None = None) -> ShiftRow | None:
        seat = seat_id if seat_id is not None else self.seat_id
        if seat is None:
            return None
        found = self._current(seat, at_ms if at_ms is not None else self._handover_now())
        return found[0] if found is not None else None

    def next_shift(self, after_shift_id: int | None = None, at_ms: int | None = None) -> ShiftRow | None:
        """After the given shift, by default after this seat's current one."""
        at = at_ms if at_ms is not None else self._handover_now()
        after = self.shift_rows.get(after_shift_id) if after_shift_id is not None \
            else self.current_shift(at_ms=at)
        return shift_rules.following(self.shifts(), self.handover_cfg.timezone, after, at)

    # -- drafts ------------------------------------------------------------------------------------
    def _served(self, seat_id: int) -> frozenset[int] | None:
        row = next((r for r in self.seats(include_disabled=True) if r.id == seat_id), None)
        return row.profile.shop_ids if row is not None else None

    def _fresh(self, me: int, author: str, started: int, now: int) -> list[tuple[HandoverItemRow, int]]:
        """(item, when its thing last changed) of what is open, like handover.draft's queries."""
        served = self._served(me)
        def in_shops(shop_id: int) -> bool:
            return served is None or shop_id in served
        def conv_of(shop_id: int, buyer_id: int) -> int | None:
            found = [c.id for c in self.convs.values() if c.shop_id == shop_id and c.buyer_id == buyer_id]
            return max(found) if found else None
        out: list[tuple[HandoverItemRow, int]] = []
        tz = self.handover_cfg.timezone
        for c in sorted(self.convs.values(), key=lambda c: (c.waiting_since or 0, c.id)):
            if c.seat_id == me and c.state == "open" and c.waiting_since is not None:
                wait = drafting.waited(max(0, now - c.waiting_since) // 60_000)
                out.append((HandoverItemRow(
                    0, K.CHAT, f"{c.buyer_nick} · 等待 {wait}: {drafting._clip(c.preview)}", "", ItemState.TODO,
                    conversation_id=c.id, buyer_id=c.buyer_id, shop_name=c.shop_name,
                    ref=rules.buyer_ref(c.buyer_nick, c.shop_name)), c.waiting_since))
        for f in sorted(self.follow_up_rows.values(), key=lambda f: (f.due_at, f.id)):
            if f.state == "open" and (f.for_seat_id == me or (f.for_seat_id is None
                                                              and self.follow_up_by.get(f.id) == me)):
                when = datetime.fromtimestamp(f.due_at / 1000, ZoneInfo(tz)).strftime("%m-%d %H:%M")
                out.append((HandoverItemRow(
                    0, K.FOLLOW_UP, f"{f.buyer_nick} · 回访 {when}: {drafting._clip(f.note)}".rstrip(": "), "",
                    ItemState.TODO, conversation_id=f.conversation_id, buyer_id=f.buyer_id,
                    shop_name=f.shop_name, due_at=f.due_at, ref=rules.buyer_ref(f.buyer_nick, f.shop_name),
                    follow_up_id=f.id), self.follow_up_made.get(f.id, 0)))
        dunned = {d[0] for d in self.dunnings}
        for u in sorted(self.unpaid.values(), key=lambda u: (u.created_at, u.id), reverse=True):
            if u.id not in self.paid and u.id not in dunned and in_shops(u.shop_id):
                out.append((HandoverItemRow(
                    0, K.UNPAID, f"订单 {u.platform_order_id} · {u.buyer_nick} · 未付款 {drafting.money(u.total, u.currency)}",
                    "", ItemState.TODO, conversation_id=conv_of(u.shop_id, u.buyer_id), order_id=u.id,
                    buyer_id=u.buyer_id, shop_name=u.shop_name,
                    ref=f"{rules.buyer_ref(u.buyer_nick, u.shop_name)} · 订单号 {u.platform_order_id}"),
                    u.created_at))
        for case in sorted(self.case_rows.values(), key=lambda c: (c.updated_at, c.id), reverse=True):
            if case.state != CaseState.CLOSED.value and in_shops(case.shop_id):
                reason = f": {drafting._clip(case.reason, 30)}" if case.reason.strip() else ""
                out.append((HandoverItemRow(
                    0, K.CASE, f"售后 #{case.id} {drafting.CASE_KINDS.get(case.kind, case.kind)} · {case.buyer_nick} · "
                    f"{drafting.CASE_STATES.get(case.state, case.state)}{reason}", "", ItemState.TODO,
                    conversation_id=conv_of(case.shop_id, case.buyer_id), order_id=case.order_id,
                    case_id=case.id, buyer_id=case.buyer_id, shop_name=case.shop_name,
                    ref=f"{rules.buyer_ref(case.buyer_nick, case.shop_name)} · 订单号 {case.platform_order_id}"
                        f" · 售后单号 #{case.id}"), case.updated_at))
        remarks = sorted(((r, oid) for oid, rows in self.remark_rows.items() for r in rows),
                         key=lambda x: (x[0].created_at, x[0].id), reverse=True)
        seen: set[int] = set()
        for r, oid in remarks:
            order = self.order(oid)
            if (order is None or oid in seen or r.author != author or r.created_at < started
                    or r.source != "team" or order.status in drafting.SHIPPED):
                continue
            seen.add(oid)
            out.append((HandoverItemRow(
                0, K.REMARK, f"订单 {order.platform_order_id} · 备注: {drafting._clip(r.text)}", "", ItemState.TODO,
                conversation_id=conv_of(order.shop_id, order.buyer_id), order_id=oid,
                buyer_id=order.buyer_id, shop_name=order.shop_name,
                ref=f"{rules.buyer_ref(order.buyer_nick, order.shop_name)} · 订单号 {order.platform_order_id}"),
                r.created_at))
        tag = self.handover_cfg.follow_up_tag
        label = next((i for i, (kind, name, _c) in self.label_rows.items() if kind == "tag" and name == tag), None)
        buyers: set[int] = set()
        for c in sorted(self.convs.values(), key=lambda c: (c.last_message_at, c.id), reverse=True):
            if (label is not None and label in self.buyer_labels.get(c.buyer_id, ()) and in_shops(c.shop_id)
                    and c.buyer_id not in buyers):
                buyers.add(c.buyer_id)
                out.append((HandoverItemRow(
                    0, K.TAGGED, f"{c.buyer_nick} · 标签「{tag}」", "", ItemState.TODO, conversation_id=c.id,
                    buyer_id=c.buyer_id, shop_name=c.shop_name, ref=rules.buyer_ref(c.buyer_nick, c.shop_name)),
                    self.tagged_at.get(c.buyer_id, 0)))
        # a tick is remembered until the thing changes (handover._unsettled)
        decided: dict[str, int] = {}
        for h in self.handover_rows.values():
            for it in h.items:
                if it.state is not ItemState.TODO and it.done_at is not None and rules.item_key(it):
                    key = rules.item_key(it)
                    decided[key] = max(decided.get(key, -1), it.done_at)
        return [(x, since) for x, since in out if decided.get(rules.item_key(x), -1) < since]

    def _carried(self, me: int) -> list[HandoverItemRow]:
        """TODO items of sent handovers addressed to me that no later sent handover took on."""
        sent = sorted((h for h in self.handover_rows.values() if h.state == "sent"),
                      key=lambda h: (h.sent_at or 0, h.id), reverse=True)
        out: dict[str, HandoverItemRow] = {}
        for h in sent:
            if not self._addressed(h, me):
                continue
            for it in h.items:
                if it.state is not ItemState.TODO or it.carried_to is not None:
                    continue
                key = self.item_keys.get(it.id) or f"item:{it.id}"
                if key not in out:
                    out[key] = replace(it, id=0, carried_from=it.id, done_by="", done_at=None, carried_to=None)
        return self._settle(list(out.values()))

    def _settle(self, carried: list[HandoverItemRow]) -> list[HandoverItemRow]:
        """Carried items whose thing is over come ticked done by 系统 (handover_draft._settle)."""
        now = self._handover_now()
        dunned = {d[0] for d in self.dunnings}
        tag = next((i for i, (kind, name, _c) in self.label_rows.items()
                    if kind == "tag" and name == self.handover_cfg.follow_up_tag), None)

        def still(x: HandoverItemRow) -> bool:
            if x.kind is K.CHAT and x.conversation_id is not None:
                conv = self.convs.get(x.conversation_id)
                return conv is not None and conv.state == "open" and conv.waiting_since is not None
            if x.kind is K.FOLLOW_UP and x.follow_up_id is not None:
                promise = self.follow_up_rows.get(x.follow_up_id)
                return promise is not None and promise.state == "open"
            if x.kind is K.UNPAID and x.order_id is not None:
                return x.order_id in self.unpaid and x.order_id not in self.paid and x.order_id not in dunned
            if x.kind is K.CASE and x.case_id is not None:
                case = self.case_rows.get(x.case_id)
                return case is not None and case.state != CaseState.CLOSED.value
            if x.kind is K.REMARK and x.order_id is not None:
                order = self.order(x.order_id)
                return order is not None and order.status not in drafting.SHIPPED
            if x.kind is K.TAGGED and x.buyer_id is not None:
                return tag is not None and tag in self.buyer_labels.get(x.buyer_id, ())
            return True
        return [x if still(x) else replace(x, state=ItemState.DONE, done_by=drafting.SETTLED_BY, done_at=now)
                for x in carried]

    def draft_handover(self, seat_id: int | None = None) -> HandoverRow:
        me = seat_id if seat_id is not None else self.seat_id
        if me is None:
            raise RuntimeError("not signed in as a seat")
        now = self._handover_now()
        author = self._seat_display(me) or self.seat_name
        found = self._current(me, now, shift_rules.GRACE_MS)
        shift = found[0] if found is not None else None
        if found is not None:
            started = found[1]
        else:
            mine = [h.sent_at or 0 for h in self.handover_rows.values()
                    if h.author_seat_id == me and h.state == "sent"]
            started = max(max(mine, default=0), now - drafting.SINCE_FALLBACK_MS)
        nxt = shift_rules.following(self.shifts(), self.handover_cfg.timezone, shift, now)
        with self._lock:
            fresh = self._fresh(me, author, started, now)
            carried = self._carried(me)
        by_key = {self.item_keys.get(x.carried_from or 0) or rules.item_key(x): x for x in carried}
        used: set[int] = set()
        items: list[HandoverItemRow] = []
        for x, _since in fresh:
            old = by_key.get(rules.item_key(x))
            if old is not None and old.carried_from not in used:
                used.add(old.carried_from or 0)
                items.append(replace(x, note=old.note, carried_from=old.carried_from))
            elif old is None:
                items.append(x)
        items += [x for x in carried if x.carried_from not in used]
        items.sort(key=lambda x: (drafting.KIND_ORDER[x.kind], x.state is not ItemState.TODO))
        return HandoverRow(0, me, author, shift.id if shift is not None else None,
                           nxt.id if nxt is not None else None, frozenset(), "", "draft", now, None,
                           tuple(items), ())

    def _describe(self, item: HandoverItemRow) -> HandoverItemRow:
        """Like handover._describe: a readable reference for an item the UI linked itself."""
        if item.ref or (item.conversation_id is None and item.order_id is None and item.case_id is None):
            return item if item.title.strip() or not item.note.strip() else replace(
                item, title=rules.first_line(item.note))
        parts, shop = [], item.shop_name
        conv = self.convs.get(item.conversation_id) if item.conversation_id is not None else None
        if conv is not None:
            parts.append(rules.buyer_ref(conv.buyer_nick, conv.shop_name))
            shop = shop or conv.shop_name
        order = self.order(item.order_id) if item.order_id is not None else None
        if order is not None:
            parts.append(f"订单号 {order.platform_order_id}")
        if item.case_id is not None:
            parts.append(f"售后单号 #{item.case_id}")
        ref = " · ".join(parts)
        return replace(item, ref=ref, shop_name=shop, title=item.title.strip() or rules.first_line(item.note) or ref)

    def save_handover(self, handover: HandoverRow) -> Future:
        self.saved_handovers.append(handover)
        error = self._take_error()
        if error is not None:
            return _failed(error)
        now = self._handover_now()
        by = self._seat_display(self.seat_id) or self.seat_name
        with self._lock:
            old = self.handover_rows.get(handover.id) if handover.id else None
            if handover.id and old is None:
                return _failed(rules.HandoverError(f"no handover {handover.id}"))
            if old is not None and old.state != "draft":
                return _failed(rules.HandoverError("a sent handover cannot be changed; tick its items instead"))
            strangers = {x.id for x in handover.items if x.id} - {x.id for x in (old.items if old else ())}
            if strangers:
                return _failed(rules.HandoverError(f"items {sorted(strangers)} are not in this handover"))
            hid = handover.id
            if not hid:
                hid, self._next_handover = self._next_handover, self._next_handover + 1
            items = []
            for raw in handover.items:
                item = self._describe(raw)
                if not item.title.strip():
                    return _failed(rules.HandoverError("an item needs a text"))
                done = item.state is not ItemState.TODO
                item = replace(item, title=item.title.strip(), note=item.note.strip(),
                               done_by=(item.done_by or by) if done else "",
                               done_at=(item.done_at or now) if done else None, carried_to=None)
                if not item.id:
                    item = replace(item, id=self._next_item)
                    self._next_item += 1
                key = rules.item_key(item) or self.item_keys.get(item.carried_from or 0, "")
                self.item_keys[item.id] = key or self.item_keys.get(item.id) or f"note:{item.id}"
                items.append(item)
            self.handover_rows[hid] = replace(
                handover, id=hid, state="draft", text=handover.text.strip(), items=tuple(items),
                created_at=old.created_at if old is not None else (handover.created_at or now),
                sent_at=None, acks=())
        self.emit(ChangeNotice(handovers=frozenset({hid})))
        return _done(hid)

    def send_handover(self, handover_id: int, release_chats: bool = False) -> Future:
        self.sent_handover_calls.append((handover_id, release_chats))
        error = self._take_error()
        if error is not None:
            return _failed(error)
        with self._lock:
            h = self.handover_rows.get(handover_id)
            if h is None:
                return _failed(rules.HandoverError(f"no handover {handover_id}"))
            if h.state != "draft":
                return _failed(rules.HandoverError("this handover was sent already"))
            if h.to_shift_id is None and not h.to_seat_ids:
                return _failed(rules.HandoverError("address the handover to the next shift or to a seat"))
            taken = {it.carried_from for x in self.handover_rows.values() if x.state == "sent"
                     for it in x.items if it.carried_from is not None}
            items = tuple(it for it in h.items if it.carried_from is None or it.carried_from not in taken)
            self.handover_rows[handover_id] = h = replace(h, state="sent", sent_at=self._handover_now(),
                                                          items=items)
            # the latest word on each thing is this one's: earlier items about it are taken on
            keys = {self.item_keys.get(it.id) for it in items} - {None, ""}
            for other_id, other in self.handover_rows.items():
                if other_id != handover_id and other.state == "sent":
                    self.handover_rows[other_id] = replace(other, items=tuple(
                        replace(it, carried_to=handover_id)
                        if it.carried_to is None and self.item_keys.get(it.id) in keys else it
                        for it in other.items))
        notice = ChangeNotice(handovers=frozenset({handover_id}))
        moved = 0
        if release_chats:
            report = self._hand_over_chats(h)
            moved = len(report.moved)
            notice = ChangeNotice.merge([notice, report.notice()])
        self.emit(notice)
        return _done(moved)

    def _hand_over_chats(self, sent: HandoverRow) -> TransferReport:
        """Like handover.hand_over_chats: to the addressees serving the chat's shop, a seat
        already working first, then the least loaded; forced; "交接：<note>"."""
        from desktop.core.views import TransferReport

        text_line = rules.first_line(sent.text)
        notes = {x.conversation_id: rules.first_line(x.note) for x in sent.items
                 if x.kind is K.CHAT and x.conversation_id is not None}
        targets = set(sent.to_seat_ids)
        shift = self.shift_rows.get(sent.to_shift_id) if sent.to_shift_id is not None else None
        if shift is not None:
            targets |= set(shift.seat_ids)
        targets.discard(sent.author_seat_id)
        seats = {r.id: r for r in self.seats() if r.id in targets}
        load = {sid: r.chats for sid, r in seats.items()}
        reports = []
        for chat in sorted(self.convs.values(), key=lambda c: c.id):
            if chat.seat_id != sent.author_seat_id or chat.state != "open":
                continue
            able = [r for r in seats.values()
                    if r.profile.shop_ids is None or chat.shop_id in r.profile.shop_ids]
            if not able:
                continue
            best = min(able, key=lambda r: (r.effective not in ASSIGNABLE, load[r.id], r.id))
            load[best.id] += 1
            reason = "交接：" + (notes.get(chat.id) or text_line or f"{sent.author}的交接")
            reports.append(self._transfer({chat.id: chat.assign_version}, best.id, "", reason, None,
                                          force=True))
        return TransferReport(tuple(x for r in reports for x in r.moved), tuple(x for r in reports for x in r.queued),
                              tuple(x for r in reports for x in r.refused),
                              frozenset(x for r in reports for x in r.seats))

    # -- reading ---------------------------------------------------------------------------------------
    def handover(self, handover_id: int) -> HandoverRow | None:
        with self._lock:
            h = self.handover_rows.get(handover_id)
            return h

    def handovers(self, flt: HandoverFilter, limit: int = 100) -> list[HandoverRow]:
        """Sent handovers and this seat's own drafts, newest first (handover.listing)."""
        with self._lock:
            rows = [h for h in self.handover_rows.values()
                    if h.state == "sent" or (self.seat_id is not None and h.author_seat_id == self.seat_id)]
        text = flt.text.strip().casefold()
        out = []
        for h in rows:
            when = h.sent_at if h.sent_at is not None else h.created_at
            if flt.author_seat_id is not None and h.author_seat_id != flt.author_seat_id:
                continue
            if flt.since is not None and when < flt.since:
                continue
            if flt.until is not None and when >= flt.until:
                continue
            if flt.unacknowledged_by is not None and not (
                    h.state == "sent" and self._addressed(h, flt.unacknowledged_by)
                    and not h.acknowledged_by(flt.unacknowledged_by)):
                continue
            if flt.with_todo is not None and (h.todo() > 0) != flt.with_todo:
                continue
            if text and not any(text in x.casefold() for x in (
                    h.text, *(i.title for i in h.items), *(i.note for i in h.items), *(i.ref for i in h.items))):
                continue
            out.append(h)
        out.sort(key=lambda h: (h.sent_at if h.sent_at is not None else h.created_at, h.id), reverse=True)
        return out[:limit]

    def unread_handovers(self, seat_id: int | None = None) -> list[HandoverRow]:
        """Sent in the last week to the seat or its shifts, by someone else, not acknowledged
        by it: newest first (handover.unread)."""
        me = seat_id if seat_id is not None else self.seat_id
        if me is None:
            return []
        since = self._handover_now() - rules.UNREAD_WINDOW_MS
        with self._lock:
            rows = [h for h in self.handover_rows.values()
                    if h.state == "sent" and (h.sent_at or 0) >= since and h.author_seat_id != me
                    and self._addressed(h, me) and not h.acknowledged_by(me)]
        return sorted(rows, key=lambda h: (h.sent_at or 0, h.id), reverse=True)

    def handover_report(self, since_ms: int, until_ms: int) -> list[HandoverRow]:
        with self._lock:
            rows = [h for h in self.handover_rows.values()
                    if h.state == "sent" and since_ms <= (h.sent_at or 0) < until_ms]
        return sorted(rows, key=lambda h: (h.sent_at or 0, h.id), reverse=True)

    # -- the incoming side ------------------------------------------------------------------------------
    def acknowledge_handover(self, handover_id: int) -> Future:
        self.acks_made.append(handover_id)
        error = self._take_error()
        if error is not None:
            return _failed(error)
        me = self.seat_id
        if me is None:
            return _failed(RuntimeError("not signed in as a seat"))
        with self._lock:
            h = self.handover_rows.get(handover_id)
            if h is None or h.state != "sent":
                return _failed(rules.HandoverError("only a sent handover can be acknowledged"))
            if not h.acknowledged_by(me):
                ack = AckRow(me, self.seat_name, self._handover_now())
                self.handover_rows[handover_id] = replace(h, acks=(*h.acks, ack))
        self.emit(ChangeNotice(handovers=frozenset({handover_id})))
        return _done()

    def set_item_state(self, item_id: int, state: ItemState, note: str | None = None) -> Future:
        self.item_state_calls.append((item_id, ItemState(state), note))
        error = self._take_error()
        if error is not None:
            return _failed(error)
        state = ItemState(state)
        now = self._handover_now()
        kept = False
        with self._lock:
            found = next(((hid, n) for hid, h in self.handover_rows.items()
                          for n, it in enumerate(h.items) if it.id == item_id), None)
            if found is None:
                return _failed(rules.HandoverError(f"no handover item {item_id}"))
            hid, n = found
            h = self.handover_rows[hid]
            it = h.items[n]
            done = state is not ItemState.TODO
            items = list(h.items)
            items[n] = replace(it, state=state, note=it.note if note is None else note.strip(),
                               done_by=self.seat_name if done else "", done_at=now if done else None)
            self.handover_rows[hid] = replace(h, items=tuple(items))
            if done and it.follow_up_id is not None:
                kept = self._keep(it.follow_up_id, now)
        self.emit(ChangeNotice(handovers=frozenset({hid}), follow_ups=kept))
        return _done()

    # -- follow-up promises ------------------------------------------------------------------------------
    def add_follow_up(self, conversation_id: int, due_at_ms: int, note: str,
                      for_seat_id: int | None) -> Future:
        self.follow_up_calls.append((conversation_id, due_at_ms, note, for_seat_id))
        error = self._take_error()
        if error is not None:
            return _failed(error)
        conv = self.convs.get(conversation_id)
        if conv is None:
            return _failed(rules.HandoverError(f"no conversation {conversation_id}"))
        if for_seat_id is not None and for_seat_id not in {r.id for r in self.seats(include_disabled=True)}:
            return _failed(rules.HandoverError(f"no seat {for_seat_id}"))
        with self._lock:
            fid, self._next_follow_up = self._next_follow_up, self._next_follow_up + 1
            self.follow_up_rows[fid] = FollowUpRow(
                fid, conversation_id, conv.buyer_nick, conv.shop_name, due_at_ms, note.strip(),
                for_seat_id, self.seat_name, "open", buyer_id=conv.buyer_id)
            self.follow_up_by[fid] = self.seat_id
            self.follow_up_made[fid] = self._handover_now()
        self.emit(ChangeNotice(follow_ups=True, conversations=frozenset({conversation_id})))
        return _done(fid)

    def follow_ups(self, seat_id: int | None = None, due_before: int | None = None,
                   open_only: bool = True) -> list[FollowUpRow]:
        """For the seat (this app's; every promise when not signed in) and for whoever
        works the next shift, soonest due first; due strictly before `due_before`."""
        me = seat_id if seat_id is not None else self.seat_id
        with self._lock:
            rows = list(self.follow_up_rows.values())
        out = [f for f in rows
               if (not open_only or f.state == "open")
               and (due_before is None or f.due_at < due_before)
               and (me is None or f.for_seat_id in (None, me))]
        return sorted(out, key=lambda f: (f.due_at, f.id))

    def _keep(self, follow_up_id: int, at: int) -> bool:
        f = self.follow_up_rows.get(follow_up_id)
        if f is None or f.state != "open":
            return False
        self.follow_up_rows[follow_up_id] = replace(f, state="done", done_by=self.seat_name, done_at=at)
        return True

    def complete_follow_up(self, follow_up_id: int) -> Future:
        """The promise is kept; TODO handover items about it are ticked done with it."""
        now = self._handover_now()
        touched: set[int] = set()
        with self._lock:
            self._keep(follow_up_id, now)
            for hid, h in self.handover_rows.items():
                if any(it.follow_up_id == follow_up_id and it.state is ItemState.TODO for it in h.items):
                    touched.add(hid)
                    self.handover_rows[hid] = replace(h, items=tuple(
                        replace(it, state=ItemState.DONE, done_by=self.seat_name, done_at=now)
                        if it.follow_up_id == follow_up_id and it.state is ItemState.TODO else it
                        for it in h.items))
        self.emit(ChangeNotice(handovers=frozenset(touched), follow_ups=True))
        return _done()

    # -- export -----------------------------------------------------------------------------------------
    def handover_text(self, handover_id_or_row: int | HandoverRow, markdown: bool = True) -> str:
        row = handover_id_or_row if isinstance(handover_id_or_row, HandoverRow) \
            else self.handover(int(handover_id_or_row))
        if row is None:
            raise LookupError(f"no handover {handover_id_or_row}")
        return as_text(row, markdown=markdown, shift_names={r.id: r.name for r in self.shifts()},
                       seat_names={r.id: r.name for r in self.seats(include_disabled=True)},
                       tz_name=self.handover_cfg.timezone)
