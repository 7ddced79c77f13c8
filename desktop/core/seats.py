"""Seats: profiles, statuses with their timeline, the board a lead watches, the shared rules.

A seat's *chosen* status (online, busy, suspended, away, offline) is what the seat or
a lead set; what routing sees is the *effective* status: offline as soon as the
seat's app stops beating (quit, crashed, lost its connection — DOMAIN "Seats").
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select, update

from .clock import now_ms
from .models import (
    Seat,
    conversations_table,
    messages_table,
    seat_status_table,
    seats_table,
    team_settings_table,
)
from .routing import RoutingRules, SeatSnapshot, SeatStatus
from .sql import insert_ignore, upsert
from .views import ChangeNotice, SeatProfile, SeatRole, SeatRow, StatusEventRow

HOUR_MS = 3_600_000
RULES_KEY = "routing"


class SeatError(ValueError):
    """A seat change that cannot be made, with the reason to show."""


def ensure_local_seat(db: Engine, name: str, display_name: str) -> int:
    """Create the seat on first start — the first seat of a store is its lead (a solo
    agent is their own lead) —; keep its display name in step with settings."""
    with db.begin() as conn:
        first = conn.execute(select(func.count()).select_from(seats_table)).scalar_one() == 0
        conn.execute(insert_ignore(conn, seats_table, ["name"]), [{
            "name": name, "display_name": display_name,
            "role": (SeatRole.LEAD if first else SeatRole.AGENT).value}])
        conn.execute(update(Seat).where(Seat.name == name).values(display_name=display_name))
        return int(conn.execute(select(Seat.id).where(Seat.name == name)).scalar_one())


# -- profiles -------------------------------------------------------------------------------
def _profile(row: Any) -> SeatProfile:
    shops = None if row.shop_ids_json is None else frozenset(json.loads(row.shop_ids_json))
    accounts = tuple(sorted((int(k), v) for k, v in json.loads(row.accounts_json or "{}").items()))
    return SeatProfile(row.name, row.display_name, SeatRole(row.role),
                       tuple(json.loads(row.groups_json or "[]")), shops, row.max_chats, accounts)


def _profile_values(profile: SeatProfile) -> dict[str, object]:
    name, display = profile.name.strip(), profile.display_name.strip()
    if not name or not display:
        raise SeatError("a seat needs a sign-in name and a display name")
    if profile.max_chats < 1:
        raise SeatError("a seat takes at least one chat at a time")
    groups = sorted({g.strip() for g in profile.groups if g.strip()})
    return {
        "name": name, "display_name": display, "role": profile.role.value,
        "groups_json": json.dumps(groups, ensure_ascii=False),
        "shop_ids_json": None if profile.shop_ids is None else json.dumps(sorted(profile.shop_ids)),
        "max_chats": profile.max_chats,
        "accounts_json": json.dumps({str(k): v for k, v in profile.accounts if v.strip()},
                                    ensure_ascii=False),
    }


def save_seat(db: Engine, profile: SeatProfile, seat_id: int | None = None) -> int:
    """Create a seat (`seat_id` None) or change one; → its id."""
    values = _profile_values(profile)
    with db.begin() as conn:
        clash = conn.execute(select(Seat.id).where(Seat.name == values["name"])).scalar()
        if clash is not None and clash != seat_id:
            raise SeatError(f"there is already a seat signing in as {values['name']!r}")
        if seat_id is None:
            return int(conn.execute(seats_table.insert().values(
                **values, status=SeatStatus.OFFLINE.value, status_at=now_ms()))
                .inserted_primary_key[0])  # type: ignore[index]
        conn.execute(update(Seat).where(Seat.id == seat_id).values(**values))
        return seat_id


def set_enabled(db: Engine, seat_id: int, enabled: bool) -> ChangeNotice:
    """A seat that left the team is disabled, not deleted: the audit log names it."""
    with db.begin() as conn:
        conn.execute(update(Seat).where(Seat.id == seat_id).values(enabled=enabled))
    return ChangeNotice(seats=frozenset({seat_id}))


# -- statuses -------------------------------------------------------------------------------
def set_status(db: Engine, seat_id: int, status: SeatStatus, by: str,
               now: int | None = None) -> ChangeNotice:
    """The seat or a lead changes its status; the change goes on the timeline."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        set_status_in(conn, seat_id, status, by, at)
    return ChangeNotice(seats=frozenset({seat_id}))


def set_status_in(conn: Connection, seat_id: int, status: SeatStatus, by: str, at: int) -> None:
    """Change the status in the caller's transaction, on the timeline."""
    old = conn.execute(select(Seat.status).where(Seat.id == seat_id)).scalar()
    if old is None:
        raise SeatError(f"no seat {seat_id}")
    if old == status.value:
        return
    conn.execute(update(Seat).where(Seat.id == seat_id).values(status=status.value, status_at=at))
    conn.execute(seat_status_table.insert().values(seat_id=seat_id, status=status.value, at=at,
                                                   by=by))


def sign_in(db: Engine, seat_id: int, by: str, now: int | None = None) -> ChangeNotice:
    """The app starts as this seat: online (unless it chose busy or away before) and
    beating from now on."""
    at = now_ms() if now is None else now
    with db.begin() as conn:
        status = conn.execute(select(Seat.status).where(Seat.id == seat_id)).scalar()
        if status is None:
            raise SeatError(f"no seat {seat_id}")
        if status in (SeatStatus.OFFLINE.value, SeatStatus.SUSPENDED.value):
            # a suspension is the lead's to lift; offline becomes online
            if status == SeatStatus.OFFLINE.value:
                set_status_in(conn, seat_id, SeatStatus.ONLINE, by, at)
        conn.execute(update(Seat).where(Seat.id == seat_id).values(heartbeat_at=at))
    return ChangeNotice(seats=frozenset({seat_id}))


def sign_out(db: Engine, seat_id: int, by: str, now: int | None = None) -> ChangeNotice:
    at = now_ms() if now is None else now
    with db.begin() as conn:
        if conn.execute(select(Seat.status).where(Seat.id == seat_id)).scalar() != \
                SeatStatus.SUSPENDED.value:
            set_status_in(conn, seat_id, SeatStatus.OFFLINE, by, at)
        conn.execute(update(Seat).where(Seat.id == seat_id).values(heartbeat_at=None))
    return ChangeNotice(seats=frozenset({seat_id}))


def heartbeat(conn: Connection, seat_id: int, now: int) -> None:
    conn.execute(update(Seat).where(Seat.id == seat_id).values(heartbeat_at=now))


def effective_status(status: str, heartbeat_at: int | None, now: int, rules: RoutingRules) -> str:
    if heartbeat_at is None or now - heartbeat_at > rules.heartbeat_timeout_s * 1000:
        return SeatStatus.OFFLINE.value
    return status


def timeline(db: Engine, seat_id: int, since: int = 0) -> list[StatusEventRow]:
    e = seat_status_table.c
    with db.connect() as conn:
        rows = conn.execute(select(e.seat_id, e.status, e.at, e.by)
                            .where(e.seat_id == seat_id, e.at >= since).order_by(e.at, e.id)).all()
    return [StatusEventRow(r.seat_id, r.status, r.at, r.by) for r in rows]


# -- the board --------------------------------------------------------------------------------
def loads(conn: Connection, now: int, rules: RoutingRules) -> dict[int, tuple[int, int, int | None]]:
    """seat id → (chats it holds, of which a buyer waits, oldest waiting_since). A chat
    nobody waits on that has been quiet for `idle_after_min` no longer counts: agents
    rarely end chats by hand, and a full seat of finished chats would starve routing."""
    c = conversations_table.c
    quiet = now - rules.idle_after_min * 60_000
    rows = conn.execute(
        select(c.seat_id, func.count(), func.count(c.waiting_since), func.min(c.waiting_since))
        .where(c.seat_id.is_not(None), c.state == "open",
               or_(c.waiting_since.is_not(None), c.last_message_at >= quiet))
        .group_by(c.seat_id)).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def seat_rows(db: Engine, now: int | None = None, *, include_disabled: bool = False) -> list[SeatRow]:
    at = now_ms() if now is None else now
    m = messages_table.c
    with db.connect() as conn:
        rules = load_rules(conn)
        stmt = select(seats_table).order_by(Seat.display_name, Seat.id)
        if not include_disabled:
            stmt = stmt.where(Seat.enabled.is_(True))
        seats = conn.execute(stmt).all()
        held = loads(conn, at, rules)
        # a dunning template sent in bulk is not a reply (messages.origin)
        replies: dict[int, int] = dict(conn.execute(
            select(m.seat_id, func.count()).where(m.seat_id.is_not(None), m.sent_at >= at - HOUR_MS,
                                                  m.origin == "")
            .group_by(m.seat_id)).all())
    return [
        SeatRow(r.id, _profile(r), r.status, effective_status(r.status, r.heartbeat_at, at, rules),
                r.status_at, *held.get(r.id, (0, 0, None)), replies.get(r.id, 0), r.enabled)
        for r in seats
    ]


def snapshots(conn: Connection, now: int, rules: RoutingRules) -> list[SeatSnapshot]:
    """The seats as routing sees them (enabled ones, with their effective status)."""
    held = loads(conn, now, rules)
    rows = conn.execute(select(seats_table).where(Seat.enabled.is_(True))).all()
    return [
        SeatSnapshot(r.id, SeatStatus(effective_status(r.status, r.heartbeat_at, now, rules)),
                     frozenset(json.loads(r.groups_json or "[]")),
                     None if r.shop_ids_json is None else frozenset(json.loads(r.shop_ids_json)),
                     r.max_chats, held.get(r.id, (0, 0, None))[0], r.last_assigned_at)
        for r in rows
    ]


def team_groups(db: Engine) -> list[str]:
    """Every group a seat belongs to or a rule names, for pickers."""
    with db.connect() as conn:
        rules = load_rules(conn)
        names = set(rules.group_for_stage.values())
        for (groups,) in conn.execute(select(Seat.groups_json).where(Seat.enabled.is_(True))):
            names.update(json.loads(groups or "[]"))
    return sorted(n for n in names if n)


# -- the team's routing rules ----------------------------------------------------------------
def load_rules(conn: Connection) -> RoutingRules:
    t = team_settings_table.c
    raw = conn.execute(select(t.value_json).where(t.key == RULES_KEY)).scalar()
    if raw is None:
        return RoutingRules()
    known = {f.name for f in fields(RoutingRules)}
    return RoutingRules(**{k: v for k, v in json.loads(raw).items() if k in known})


def rules(db: Engine) -> RoutingRules:
    with db.connect() as conn:
        return load_rules(conn)


def save_rules(db: Engine, value: RoutingRules) -> ChangeNotice:
    with db.begin() as conn:
        conn.execute(upsert(conn, team_settings_table, ["key"]), [{
            "key": RULES_KEY, "value_json": json.dumps(asdict(value), ensure_ascii=False)}])
        every = frozenset(conn.execute(select(Seat.id)).scalars())
    return ChangeNotice(seats=every)
