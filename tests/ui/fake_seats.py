"""FakeDesk's seats: profiles, statuses, sign-in, transfer, claim, release, the audit log.

Like desktop/core/seats.py and desktop/core/assign.py: every holder change checks
the row version the caller saw and bumps it; a transfer to a seat is refused
(moved, closed, same_seat, disabled, unavailable, not_served, full — in that order)
unless a lead forces it (never past `disabled`); a transfer to a group goes to the
group's least-loaded free seat or the queue. Seats a test marks `gone` count as
offline for routing (their app quit), whatever status they chose.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from desktop.core.routing import RoutingRules, SeatStatus
from desktop.core.views import (
    AssignmentRow,
    ChangeNotice,
    ConversationRow,
    SeatProfile,
    SeatRole,
    SeatRow,
    StatusEventRow,
    TransferNote,
    TransferReport,
)

ASSIGNABLE = (SeatStatus.ONLINE.value, SeatStatus.BUSY.value)


def _done(value: object = None) -> Future:
    f: Future = Future()
    f.set_result(value)
    return f


def _failed(exc: Exception) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


@dataclass
class _Seat:
    profile: SeatProfile
    status: str = SeatStatus.OFFLINE.value
    status_at: int = 0
    enabled: bool = True
    gone: bool = False  # its app quit or lost the connection: effective "offline"
    replies_last_hour: int = 0


class FakeSeatsMixin:
    # Provided by FakeDesk.
    _lock: threading.RLock
    convs: dict[int, ConversationRow]
    seat_name: str
    if TYPE_CHECKING:
        def emit(self, notice: ChangeNotice) -> None: ...
        def update_conversation(self, cid: int, **changes: object) -> ConversationRow: ...

    def _init_seats(self) -> None:
        self.seat_store: dict[int, _Seat] = {}
        self.seat_id: int | None = None
        self.home_seat_id: int | None = None
        self.rules = RoutingRules()
        self.status_events: list[StatusEventRow] = []
        self.assignments: list[AssignmentRow] = []
        # What the UI asked for.
        self.transfer_calls: list[tuple[dict[int, int], dict[str, object]]] = []
        self.status_calls: list[tuple[int, SeatStatus]] = []
        self.sign_ins: list[int] = []
        self.sign_outs: list[int | None] = []
        self.released: list[int] = []
        self.saved_seats: list[tuple[SeatProfile, int | None]] = []
        self.home_seats: list[int] = []  # set_home_seat calls
        self.seat_clock_ms: int | None = None  # a fixed "now"; None = wall clock
        self._next_seat = 1
        self._next_assignment = 1

    # -- building -------------------------------------------------------------------------
    def add_seat(self, display_name: str, *, name: str = "", role: SeatRole = SeatRole.AGENT,
                 groups: tuple[str, ...] = (), shop_ids: frozenset[int] | None = None,
                 max_chats: int = 20, status: SeatStatus = SeatStatus.ONLINE,
                 enabled: bool = True, gone: bool = False, seat_id: int | None = None) -> int:
        with self._lock:
            sid = seat_id if seat_id is not None else self._next_seat
            self._next_seat = max(self._next_seat, sid + 1)
            profile = SeatProfile(name or f"seat{sid}", display_name, role, groups, shop_ids, max_chats)
            self.seat_store[sid] = _Seat(profile, status.value, self._seat_now(), enabled, gone)
            return sid

    def hold(self, cid: int, seat_id: int | None, *, by: str = "", reason: str = "",
             at: int | None = None, return_at: int | None = None, queue_group: str = "") -> ConversationRow:
        """Put a chat with a seat (None = nobody: the queue when a buyer waits), optionally
        as a transfer with a note. Bumps the row version like any holder change."""
        with self._lock:
            row = self.convs[cid]
            note = TransferNote(by, reason, at if at is not None else self._seat_now(), return_at) \
                if by else None
            self._log(cid, "move" if by else "route", row.seat_id, seat_id, by or "routing", reason)
            return self.update_conversation(
                cid, seat_id=seat_id, seat_name=self._seat_display(seat_id),
                assign_version=row.assign_version + 1, transfer=note,
                queue_group="" if seat_id is not None else queue_group)

    def seat_named(self, display_name: str) -> int:
        return next(i for i, s in self.seat_store.items() if s.profile.display_name == display_name)

    # -- reads ----------------------------------------------------------------------------
    def seats(self, *, include_disabled: bool = False) -> list[SeatRow]:
        with self._lock:
            loads: dict[int, list[int]] = {}
            waits: dict[int, list[int]] = {}
            for r in self.convs.values():
                if r.seat_id is not None and r.state == "open":
                    loads.setdefault(r.seat_id, []).append(r.id)
                    if r.waiting_since is not None:
                        waits.setdefault(r.seat_id, []).append(r.waiting_since)
            rows = [
                SeatRow(sid, s.profile, s.status, self._effective(s), s.status_at,
                        len(loads.get(sid, ())), len(waits.get(sid, ())),
                        min(waits[sid]) if sid in waits else None, s.replies_last_hour, s.enabled)
                for sid, s in self.seat_store.items() if include_disabled or s.enabled
            ]
        return sorted(rows, key=lambda r: (r.profile.display_name, r.id))

    def seat(self) -> SeatRow | None:
        return next((r for r in self.seats(include_disabled=True) if r.id == self.seat_id), None)

    def is_lead(self) -> bool:
        row = self.seat()
        return row is not None and row.is_lead

    def team_groups(self) -> list[str]:
        with self._lock:
            found = {g for s in self.seat_store.values() for g in s.profile.groups}
        return sorted(found | set(self.rules.group_for_stage.values()))

    def routing_rules(self) -> RoutingRules:
        return self.rules

    def assignment_log(self, conversation_id: int) -> list[AssignmentRow]:
        with self._lock:
            rows = [a for a in self.assignments if a.conversation_id == conversation_id]
        return sorted(rows, key=lambda a: (a.at, a.id), reverse=True)

    def status_timeline(self, seat_id: int, since: int = 0) -> list[StatusEventRow]:
        with self._lock:
            return [e for e in self.status_events if e.seat_id == seat_id and e.at >= since]

    # -- commands ---------------------------------------------------------------------------
    def sign_in(self, seat_id: int) -> Future:
        self.sign_ins.append(seat_id)
        with self._lock:
            seat = self.seat_store.get(seat_id)
            if seat is None:
                return _failed(ValueError(f"no seat {seat_id}"))
            self.seat_id = seat_id
            seat.gone = False
            if seat.status == SeatStatus.OFFLINE.value:  # a suspension is the lead's to lift
                self._set_status(seat_id, SeatStatus.ONLINE)
        self.emit(ChangeNotice(seats=frozenset({seat_id})))
        return _done()

    def sign_out(self) -> Future:
        seat_id, self.seat_id = self.seat_id, None
        self.sign_outs.append(seat_id)
        if seat_id is None:
            return _done()
        with self._lock:
            if self.seat_store[seat_id].status != SeatStatus.SUSPENDED.value:
                self._set_status(seat_id, SeatStatus.OFFLINE)
            self.seat_store[seat_id].gone = True
        self.emit(ChangeNotice(seats=frozenset({seat_id})))
        return _done()

    team_mode = False

    def set_home_seat(self, seat_id: int) -> None:
        """Sign in as this seat on the next start (settings' seat.name)."""
        self.home_seats.append(seat_id)
        self.home_seat_id = seat_id

    def set_seat_status(self, seat_id: int, status: SeatStatus) -> Future:
        self.status_calls.append((seat_id, status))
        with self._lock:
            if seat_id not in self.seat_store:
                return _failed(ValueError(f"no seat {seat_id}"))
            self._set_status(seat_id, status)
        self.emit(ChangeNotice(seats=frozenset({seat_id})))
        return _done()

    def save_seat(self, profile: SeatProfile, seat_id: int | None = None) -> Future:
        self.saved_seats.append((profile, seat_id))
        name, display = profile.name.strip(), profile.display_name.strip()
        if not name or not display:
            return _failed(ValueError("a seat needs a sign-in name and a display name"))
        if profile.max_chats < 1:
            return _failed(ValueError("a seat takes at least one chat at a time"))
        with self._lock:
            clash = next((i for i, s in self.seat_store.items() if s.profile.name == name), None)
            if clash is not None and clash != seat_id:
                return _failed(ValueError(f"there is already a seat signing in as {name!r}"))
            profile = replace(profile, name=name, display_name=display,
                              groups=tuple(sorted({g.strip() for g in profile.groups if g.strip()})))
            if seat_id is None:
                seat_id = self.add_seat(display, status=SeatStatus.OFFLINE)
            self.seat_store[seat_id].profile = profile
        self.emit(ChangeNotice(seats=frozenset({seat_id})))
        return _done(seat_id)

    def set_seat_enabled(self, seat_id: int, enabled: bool) -> Future:
        with self._lock:
            self.seat_store[seat_id].enabled = enabled
        self.emit(ChangeNotice(seats=frozenset({seat_id})))
        return _done()

    def set_routing_rules(self, rules: RoutingRules) -> Future:
        self.rules = rules
        return _done()

    def transfer(self, versions: Mapping[int, int], *, to_seat_id: int | None = None,
                 to_group: str = "", reason: str = "",
                 return_minutes: int | None = None) -> Future:
        self.transfer_calls.append((dict(versions), {
            "to_seat_id": to_seat_id, "to_group": to_group, "reason": reason,
            "return_minutes": return_minutes}))
        if (to_seat_id is None) == (not to_group):
            return _failed(ValueError("transfer to a seat or to a group"))
        report = self._transfer(dict(versions), to_seat_id, to_group, " ".join(reason.split())[:200],
                                return_minutes, force=self.is_lead())
        self.emit(report.notice())
        return _done(report)

    def claim(self, conversation_id: int, version: int) -> Future:
        if self.seat_id is None:
            raise RuntimeError("not signed in as a seat")
        return self.transfer({conversation_id: version}, to_seat_id=self.seat_id)

    def release_seat(self, seat_id: int) -> Future:
        self.released.append(seat_id)
        touched: set[int] = set()
        with self._lock:
            for r in list(self.convs.values()):
                if r.seat_id == seat_id and r.state == "open":
                    self.update_conversation(r.id, seat_id=None, seat_name="",
                                             assign_version=r.assign_version + 1)
                    self._log(r.id, "release", seat_id, None, self.seat_name)
                    touched.add(r.id)
            if self.seat_store[seat_id].status in ASSIGNABLE:
                self._set_status(seat_id, SeatStatus.SUSPENDED)
        self.emit(ChangeNotice(conversations=frozenset(touched), seats=frozenset({seat_id})))
        return _done()

    # -- internals ----------------------------------------------------------------------------
    def _transfer(self, versions: dict[int, int], to_seat_id: int | None, to_group: str,
                  reason: str, return_minutes: int | None, *, force: bool) -> TransferReport:
        moved: list[int] = []
        queued: list[int] = []
        refused: list[tuple[int, str, str]] = []
        seat_ids: set[int] = set()
        at = self._seat_now()
        with self._lock:
            loads = {r.id: r.chats for r in self.seats(include_disabled=True)}
            for cid, seen in versions.items():
                row = self.convs.get(cid)
                if row is None:
                    refused.append((cid, "missing", ""))
                    continue
                if row.assign_version != seen:
                    refused.append((cid, "moved", self._last_actor(cid)))
                    continue
                if row.state != "open":
                    refused.append((cid, "closed", ""))
                    continue
                target: int | None
                if to_seat_id is not None:
                    if to_seat_id == row.seat_id:
                        refused.append((cid, "same_seat", ""))
                        continue
                    why = self._refusal(to_seat_id, row.shop_id, loads)
                    if why is not None and (not force or why[0] == "disabled"):
                        refused.append((cid, *why))
                        continue
                    target = to_seat_id
                else:
                    free = [i for i, s in self.seat_store.items()
                            if i != row.seat_id and to_group in s.profile.groups
                            and self._refusal(i, row.shop_id, loads) is None]
                    target = min(free, key=lambda i: (loads.get(i, 0) / self.seat_store[i].profile.max_chats, i)) \
                        if free else None
                return_at = at + return_minutes * 60_000 if return_minutes and target is not None else None
                self.update_conversation(
                    cid, seat_id=target, seat_name=self._seat_display(target),
                    assign_version=row.assign_version + 1,
                    queue_group=to_group if target is None else "",
                    transfer=TransferNote(self.seat_name, reason, at, return_at))
                kind = ("transfer" if row.seat_id is not None and row.seat_id == self.seat_id
                        else "claim" if row.seat_id is None and target == self.seat_id else "move")
                self._log(cid, kind, row.seat_id, target, self.seat_name, reason, to_group)
                if target is not None:
                    loads[target] = loads.get(target, 0) + 1
                    moved.append(cid)
                else:
                    queued.append(cid)
                seat_ids.update(s for s in (row.seat_id, target) if s is not None)
        return TransferReport(tuple(moved), tuple(queued), tuple(refused), frozenset(seat_ids))

    def _refusal(self, seat_id: int, shop_id: int, loads: dict[int, int]) -> tuple[str, str] | None:
        seat = self.seat_store.get(seat_id)
        if seat is None or not seat.enabled:
            return ("disabled", "")
        effective = self._effective(seat)
        if effective not in ASSIGNABLE:
            return ("unavailable", effective)
        if seat.profile.shop_ids is not None and shop_id not in seat.profile.shop_ids:
            return ("not_served", "")
        chats = loads.get(seat_id, 0)
        if chats >= seat.profile.max_chats:
            return ("full", f"{chats}/{seat.profile.max_chats}")
        return None

    def _effective(self, seat: _Seat) -> str:
        return SeatStatus.OFFLINE.value if seat.gone else seat.status

    def _set_status(self, seat_id: int, status: SeatStatus) -> None:
        seat = self.seat_store[seat_id]
        if seat.status == status.value:
            return
        seat.status, seat.status_at = status.value, self._seat_now()
        self.status_events.append(StatusEventRow(seat_id, status.value, seat.status_at, self.seat_name))

    def _seat_display(self, seat_id: int | None) -> str:
        seat = self.seat_store.get(seat_id) if seat_id is not None else None
        return seat.profile.display_name if seat is not None else ""

    def _log(self, cid: int, kind: str, from_seat: int | None, to_seat: int | None, actor: str,
             reason: str = "", to_group: str = "") -> None:
        self.assignments.append(AssignmentRow(
            self._next_assignment, cid, kind, self._seat_display(from_seat),
            self._seat_display(to_seat), to_group, actor, reason, self._seat_now()))
        self._next_assignment += 1

    def _last_actor(self, cid: int) -> str:
        log = self.assignment_log(cid)
        return log[0].actor if log else ""

    def _seat_now(self) -> int:
        return self.seat_clock_ms if self.seat_clock_ms is not None else int(time.time() * 1000)
