"""Assignment: who holds which chat — routing passes, transfers, moves, releases, the audit log.

Every change of a chat's holder is one `UPDATE … WHERE assign_version = <seen>` that
bumps the version, plus a line in the audit log, in one transaction: when two leads
(or a lead and routing) move the same chat at once, exactly one wins and the other
learns who did (DOMAIN "Seats, transfer and the team lead"). On PostgreSQL the
routing passes and transfers of every running app also take one advisory
transaction lock, so two apps never fill the same seat's last free place twice.

A chat that waits in the queue is open, held by nobody and has a buyer waiting
for an answer; chats nobody waits on need no seat.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.orm import aliased

from . import seats
from .clock import now_ms
from .models import (
    Conversation,
    Seat,
    Shop,
    assignments_table,
    cases_table,
    conversations_table,
    orders_table,
)
from .outbox import queue_transfer
from .routing import ASSIGNABLE, ChatToRoute, RoutingRules, SeatSnapshot, SeatStatus, Stage, drain_queue, decide
from .views import AssignmentRow, CaseState, ChangeNotice, TransferReport

ROUTING_LOCK = 0x5EA7_D35C  # pg_advisory_xact_lock key (the one-bigint key space)
QUEUE_WINDOW = 500  # queued chats looked at per pass, longest waiting first
# assignments per pass: a backlog (a start after a night) goes out in slices of ~35 ms so
# the writer stays free for ingest between them; the pass's notice wakes the next one
PASS_ASSIGNMENTS = 100
AFTERSALE_ORDER_STATES = ("shipped", "completed", "refunding")
ROUTING_ACTOR = "routing"


def _serialize(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROUTING_LOCK})


def _log(conn: Connection, conversation_id: int, kind: str, from_seat: int | None,
         to_seat: int | None, actor: str, at: int, reason: str = "", to_group: str = "") -> None:
    conn.execute(assignments_table.insert().values(
        conversation_id=conversation_id, from_seat_id=from_seat, to_seat_id=to_seat,
        to_group=to_group, kind=kind, actor=actor, reason=reason, at=at))


def _move(conn: Connection, conversation_id: int, version: int, **values: Any) -> bool:
    """The compare-and-set every assignment change goes through."""
    done = conn.execute(update(Conversation).where(
        Conversation.id == conversation_id, Conversation.assign_version == version)
        .values(assign_version=version + 1, **values))
    return bool(done.rowcount)


def _held_by(seat_id: int | None, now: int) -> dict[str, Any]:
    values: dict[str, Any] = {"seat_id": seat_id, "assigned_at": now, "return_at": None,
                              "return_seat_id": None}
    if seat_id is not None:
        values.update(last_seat_id=seat_id, last_seat_at=now, queue_group="")
    return values


# -- the routing pass ---------------------------------------------------------------------
def routing_pass(db: Engine, now: int, heartbeat_seat: int | None = None) -> ChangeNotice:
    """One pass: this app's seat beats; unanswered transfers go back; waiting chats
    leave seats long offline; the queue goes to free seats."""
    touched: set[int] = set()
    seat_ids: set[int] = set()
    with db.begin() as conn:
        if heartbeat_seat is not None:
            seats.heartbeat(conn, heartbeat_seat, now)
        rules = seats.load_rules(conn)
        _serialize(conn)
        _expire_returns(conn, now, rules, touched, seat_ids)
        _release_offline(conn, now, rules, touched, seat_ids)
        if rules.enabled:
            _route_queue(conn, now, rules, touched, seat_ids)
    return ChangeNotice(conversations=frozenset(touched), seats=frozenset(seat_ids))


def _expire_returns(conn: Connection, now: int, rules: RoutingRules, touched: set[int],
                    seat_ids: set[int]) -> None:
    c = conversations_table.c
    due = conn.execute(select(c.id, c.seat_id, c.assign_version, c.last_out_at, c.transfer_at,
                              c.return_seat_id, c.state)
                       .where(c.return_at.is_not(None), c.return_at <= now)).all()
    if not due:
        return
    snaps = {s.id: s for s in seats.snapshots(conn, now, rules)}
    for row in due:
        if row.state != "open" or row.last_out_at >= (row.transfer_at or 0):
            # answered in time (or ended): the timer is spent
            _move(conn, row.id, row.assign_version, return_at=None, return_seat_id=None)
            continue
        back = snaps.get(row.return_seat_id) if row.return_seat_id is not None else None
        target = back.id if back is not None and back.status in ASSIGNABLE else None
        receiver = _name(conn, row.seat_id)
        if _move(conn, row.id, row.assign_version, **_held_by(target, now),
                 transfer_note="", transfer_by=receiver, transfer_at=now):
            _log(conn, row.id, "return", row.seat_id, target, ROUTING_ACTOR, now,
                 f"no reply from {receiver}")
            touched.add(row.id)
            seat_ids.update(s for s in (row.seat_id, target) if s is not None)


def _release_offline(conn: Connection, now: int, rules: RoutingRules, touched: set[int],
                     seat_ids: set[int]) -> None:
    if rules.release_offline_after_s <= 0:
        return
    limit = now - rules.release_offline_after_s * 1000
    gone = [r.id for r in conn.execute(select(Seat.id, Seat.status, Seat.status_at,
                                              Seat.heartbeat_at))
            if seats.effective_status(r.status, r.heartbeat_at, now, rules)
            == SeatStatus.OFFLINE.value and max(r.heartbeat_at or 0, r.status_at) <= limit]
    if not gone:
        return
    c = conversations_table.c
    rows = conn.execute(select(c.id, c.seat_id, c.assign_version).where(
        c.seat_id.in_(gone), c.state == "open", c.waiting_since.is_not(None))).all()
    for row in rows:
        if _move(conn, row.id, row.assign_version, seat_id=None, return_at=None,
                 return_seat_id=None):
            _log(conn, row.id, "release", row.seat_id, None, ROUTING_ACTOR, now, "seat offline")
            touched.add(row.id)
            seat_ids.add(row.seat_id)


def _aftersale(conn: Connection, pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """(shop, buyer) pairs in the after-sale stage: an order shipped, done or being
    refunded in that shop, or an open after-sale case."""
    if not pairs:
        return set()
    buyer_ids = sorted({b for _, b in pairs})
    o, k = orders_table.c, cases_table.c
    found = {(r[0], r[1]) for r in conn.execute(select(o.shop_id, o.buyer_id).where(
        o.buyer_id.in_(buyer_ids), o.status.in_(AFTERSALE_ORDER_STATES)))}
    found |= {(r[0], r[1]) for r in conn.execute(select(k.shop_id, k.buyer_id).where(
        k.buyer_id.in_(buyer_ids), k.state != CaseState.CLOSED.value))}
    return found & pairs


def _stage(after: set[tuple[int, int]], shop_id: int, buyer_id: int) -> Stage:
    return Stage.AFTERSALE if (shop_id, buyer_id) in after else Stage.PRESALE


def _route_queue(conn: Connection, now: int, rules: RoutingRules, touched: set[int],
                 seat_ids: set[int]) -> None:
    snaps = seats.snapshots(conn, now, rules)
    if not any(s.status in ASSIGNABLE and s.chats < s.max_chats for s in snaps):
        return  # nobody can take a chat: leave the queue unread
    c = conversations_table.c
    queue = conn.execute(
        select(c.id, c.shop_id, c.buyer_id, c.assign_version, c.last_seat_id, c.last_seat_at,
               c.queue_group)
        .where(c.seat_id.is_(None), c.state == "open", c.waiting_since.is_not(None))
        .order_by(c.waiting_since, c.id).limit(QUEUE_WINDOW)).all()
    if not queue:
        return
    after = _aftersale(conn, {(r.shop_id, r.buyer_id) for r in queue})
    chats = [ChatToRoute(r.id, r.shop_id, _stage(after, r.shop_id, r.buyer_id), r.last_seat_id,
                         r.last_seat_at, r.queue_group) for r in queue]
    assigned: set[int] = set()
    decisions = [(row, d) for row, d in zip(queue, drain_queue(chats, snaps, rules, now))
                 if d.seat_id is not None]
    for row, decision in decisions[:PASS_ASSIGNMENTS]:
        seat = decision.seat_id
        if _move(conn, row.id, row.assign_version, **_held_by(seat, now)):
            _log(conn, row.id, "route", None, seat, ROUTING_ACTOR, now, decision.reason)
            touched.add(row.id)
            assigned.add(seat)  # type: ignore[arg-type]
    if assigned:
        conn.execute(update(Seat).where(Seat.id.in_(sorted(assigned))).values(last_assigned_at=now))
        seat_ids.update(assigned)


# -- transfer, move, claim ---------------------------------------------------------------------
def _name(conn: Connection, seat_id: int | None) -> str:
    if seat_id is None:
        return ""
    return conn.execute(select(Seat.display_name).where(Seat.id == seat_id)).scalar() or ""


def _refusal(snap: SeatSnapshot | None, shop_id: int) -> tuple[str, str] | None:
    """Why a seat cannot take one more chat of this shop now: (code, detail)."""
    if snap is None:
        return ("disabled", "")
    if snap.status not in ASSIGNABLE:
        return ("unavailable", snap.status.value)
    if snap.shop_ids is not None and shop_id not in snap.shop_ids:
        return ("not_served", "")
    if snap.chats >= snap.max_chats:
        return ("full", f"{snap.chats}/{snap.max_chats}")
    return None


def transfer(
    db: Engine, versions: Mapping[int, int], *, actor_seat_id: int | None, actor: str,
    to_seat_id: int | None = None, to_group: str = "", reason: str = "",
    return_minutes: int | None = None, force: bool = False,
    transfer_platforms: frozenset[str] = frozenset(), now: int | None = None,
) -> TransferReport:
    """Hand chats (id → the assign_version the caller saw) to a seat or to a group.

    To a seat: refused when it is away, offline, suspended, full or does not serve the
    shop — unless `force` (a lead moving chats deliberately). To a group: its least
    loaded free seat, or the queue for that group. The reason is what the receiver
    reads at the top of the chat; with `return_minutes`, the chat goes back to whoever
    held it (or to the queue) if the receiver has not answered by then. Where the
    shop's platform can transfer and the receiver has an account there, the
    platform-side transfer goes through the outbox."""
    if (to_seat_id is None) == (not to_group):
        raise ValueError("transfer to a seat or to a group")
    at = now_ms() if now is None else now
    reason = " ".join(reason.split())[:200]
    moved: list[int] = []
    queued: list[int] = []
    refused: list[tuple[int, str, str]] = []
    seat_ids: set[int] = set()
    with db.begin() as conn:
        _serialize(conn)
        rules = seats.load_rules(conn)
        snaps = {s.id: s for s in seats.snapshots(conn, at, rules)}
        accounts = _accounts(conn, to_seat_id)
        c = conversations_table.c
        for conv_id, seen in versions.items():
            row = conn.execute(
                select(c.id, c.seat_id, c.assign_version, c.shop_id, c.buyer_id, c.state,
                       c.platform_conv_id, Shop.platform)
                .join(Shop, Shop.id == c.shop_id).where(c.id == conv_id)).one_or_none()
            if row is None:
                refused.append((conv_id, "missing", ""))
                continue
            if row.assign_version != seen:
                refused.append((conv_id, "moved", _last_actor(conn, conv_id)))
                continue
            if row.state != "open":
                refused.append((conv_id, "closed", ""))
                continue
            target: int | None
            if to_seat_id is not None:
                if to_seat_id == row.seat_id:
                    refused.append((conv_id, "same_seat", ""))
                    continue
                why = _refusal(snaps.get(to_seat_id), row.shop_id)
                if why is not None and (not force or why[0] == "disabled"):
                    refused.append((conv_id, *why))
                    continue
                target = to_seat_id
            else:
                candidates = [s for s in snaps.values() if s.id != row.seat_id]
                target = decide(ChatToRoute(conv_id, row.shop_id, group=to_group), candidates,
                                rules, at).seat_id
            values = _held_by(target, at)
            if target is None:
                values.update(queue_group=to_group)
            if return_minutes and target is not None:
                values.update(return_at=at + return_minutes * 60_000, return_seat_id=row.seat_id)
            kind = ("transfer" if row.seat_id is not None and row.seat_id == actor_seat_id
                    else "claim" if row.seat_id is None and target == actor_seat_id else "move")
            if kind != "claim":  # taking a chat from the queue keeps the note it waited with
                values.update(transfer_note=reason, transfer_by=actor, transfer_at=at)
            if not _move(conn, conv_id, seen, **values):
                refused.append((conv_id, "moved", _last_actor(conn, conv_id)))
                continue
            _log(conn, conv_id, kind, row.seat_id, target, actor, at, reason, to_group)
            if target is not None:
                snap = snaps.get(target)
                if snap is not None:
                    snaps[target] = replace(snap, chats=snap.chats + 1)
                moved.append(conv_id)
                account = accounts.get(row.shop_id, "")
                if row.platform in transfer_platforms and account and target == to_seat_id:
                    queue_transfer(conn, row.shop_id, conv_id, row.platform_conv_id, account, reason)
            else:
                queued.append(conv_id)
            seat_ids.update(s for s in (row.seat_id, target) if s is not None)
    return TransferReport(tuple(moved), tuple(queued), tuple(refused), frozenset(seat_ids))


def _accounts(conn: Connection, seat_id: int | None) -> dict[int, str]:
    if seat_id is None:
        return {}
    raw = conn.execute(select(Seat.accounts_json).where(Seat.id == seat_id)).scalar()
    return {int(k): v for k, v in json.loads(raw or "{}").items()}


def _last_actor(conn: Connection, conversation_id: int) -> str:
    a = assignments_table.c
    row = conn.execute(select(a.actor).where(a.conversation_id == conversation_id)
                       .order_by(a.at.desc(), a.id.desc()).limit(1)).first()
    return row.actor if row is not None else ""


def release_seat(db: Engine, seat_id: int, actor: str, now: int | None = None) -> ChangeNotice:
    """Every open chat of the seat back to routing — and the seat suspended, so it does not
    get them straight back (a lead lifts it, or the seat signs in again later)."""
    at = now_ms() if now is None else now
    c = conversations_table.c
    touched: set[int] = set()
    with db.begin() as conn:
        _serialize(conn)
        rows = conn.execute(select(c.id, c.assign_version).where(
            c.seat_id == seat_id, c.state == "open")).all()
        for row in rows:
            if _move(conn, row.id, row.assign_version, seat_id=None, last_seat_id=None,
                     return_at=None, return_seat_id=None):
                _log(conn, row.id, "release", seat_id, None, actor, at)
                touched.add(row.id)
        status = conn.execute(select(Seat.status).where(Seat.id == seat_id)).scalar()
        if status in {s.value for s in ASSIGNABLE}:
            seats.set_status_in(conn, seat_id, SeatStatus.SUSPENDED, actor, at)
    return ChangeNotice(conversations=frozenset(touched), seats=frozenset({seat_id}))


def close_chat(db: Engine, conversation_id: int, actor: str = "",
               now: int | None = None) -> ChangeNotice:
    """The agent ended the chat (结束会话): nobody waits any more and the seat is free of
    it; the buyer's next message reopens it (ingest) and routing gives it back to the
    same seat when it can take it (affinity)."""
    at = now_ms() if now is None else now
    c = conversations_table.c
    with db.begin() as conn:
        row = conn.execute(select(c.seat_id, c.assign_version)
                           .where(c.id == conversation_id)).one()
        conn.execute(update(Conversation).where(Conversation.id == conversation_id).values(
            state="closed", waiting_since=None, unread_count=0, seat_id=None,
            assign_version=row.assign_version + 1, return_at=None, return_seat_id=None))
        if row.seat_id is not None:
            _log(conn, conversation_id, "close", row.seat_id, None, actor or _name(conn, row.seat_id),
                 at)
    held = frozenset({row.seat_id}) if row.seat_id is not None else frozenset()
    return ChangeNotice(conversations=frozenset({conversation_id}), seats=held)


def log(db: Engine, conversation_id: int) -> list[AssignmentRow]:
    """The chat's assignment history, newest first."""
    a = assignments_table.c
    src, dst = aliased(Seat), aliased(Seat)
    with db.connect() as conn:
        rows = conn.execute(
            select(a.id, a.conversation_id, a.kind, src.display_name.label("src"),
                   dst.display_name.label("dst"), a.to_group, a.actor, a.reason, a.at)
            .outerjoin(src, src.id == a.from_seat_id).outerjoin(dst, dst.id == a.to_seat_id)
            .where(a.conversation_id == conversation_id).order_by(a.at.desc(), a.id.desc())).all()
    return [AssignmentRow(r.id, r.conversation_id, r.kind, r.src or "", r.dst or "", r.to_group,
                          r.actor, r.reason, r.at) for r in rows]
