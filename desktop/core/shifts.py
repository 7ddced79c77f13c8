"""Shifts and the roster: when each shift runs in the team's local time, who works it,
which shift a seat is on now and which comes next; the team's handover settings.

Times are "HH:MM" in one zone for the whole team (HandoverSettings.timezone, Beijing
time by default), so a shift means the same hours on every seat's machine. A shift
whose end is not after its start runs past midnight; its weekdays are those it
*starts* on. Shifts may overlap (早班 08:30–17:30, 晚班 17:00–23:00): the next shift
after one is the shift that starts next after it started.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, fields, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, Engine, delete, select, update

from .clock import now_ms
from .clocks import zone
from .models import Seat, handovers_table, shift_seats_table, shifts_table, team_settings_table
from .sql import upsert
from .views import ChangeNotice, HandoverSettings, ShiftRow

SETTINGS_KEY = "handover"
ALL_DAYS = frozenset(range(7))
# a seat that writes its handover just after its shift ended still hands over that shift
GRACE_MS = 2 * 3_600_000


class ShiftError(ValueError):
    """A shift or setting that cannot be saved, with the reason to show."""


# -- the team's handover settings ---------------------------------------------------------
def load_settings_in(conn: Connection) -> HandoverSettings:
    t = team_settings_table.c
    raw = conn.execute(select(t.value_json).where(t.key == SETTINGS_KEY)).scalar()
    if raw is None:
        return HandoverSettings()
    known = {f.name for f in fields(HandoverSettings)}
    return HandoverSettings(**{k: v for k, v in json.loads(raw).items() if k in known})


def load_settings(db: Engine) -> HandoverSettings:
    with db.connect() as conn:
        return load_settings_in(conn)


def save_settings(db: Engine, settings: HandoverSettings) -> HandoverSettings:
    tag = " ".join(settings.follow_up_tag.split())
    if not tag:
        raise ShiftError("the follow-up tag needs a name")
    if not 1 <= settings.remind_minutes <= 240:
        raise ShiftError("remind between 1 and 240 minutes before a shift ends")
    if settings.overdue_hours < 1:
        raise ShiftError("an item is overdue after at least one hour")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(settings.timezone)
    except (LookupError, ValueError):
        raise ShiftError(f"unknown time zone {settings.timezone!r}") from None
    value = replace(settings, follow_up_tag=tag)
    with db.begin() as conn:
        conn.execute(upsert(conn, team_settings_table, ["key"]), [{
            "key": SETTINGS_KEY, "value_json": json.dumps(asdict(value), ensure_ascii=False)}])
    return value


# -- shifts ---------------------------------------------------------------------------------
def parse_time(value: str) -> time:
    try:
        hour, minute = (int(p) for p in value.strip().split(":"))
        return time(hour, minute)
    except (ValueError, TypeError):
        raise ShiftError(f"not a time of day (HH:MM): {value!r}") from None


def _mask(days: Iterable[int]) -> int:
    return sum(1 << d for d in set(days))


def _days(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask >> d & 1)


def shift_rows_in(conn: Connection) -> list[ShiftRow]:
    """Every shift in the order of its start time."""
    s, r = shifts_table.c, shift_seats_table.c
    roster: dict[int, set[int]] = {}
    for shift_id, seat_id in conn.execute(
            select(r.shift_id, r.seat_id).join(Seat, Seat.id == r.seat_id)
            .where(Seat.enabled.is_(True))):
        roster.setdefault(shift_id, set()).add(seat_id)
    rows = conn.execute(select(s.id, s.name, s.start_time, s.end_time, s.weekdays)
                        .order_by(s.start_time, s.name, s.id)).all()
    return [ShiftRow(row.id, row.name, row.start_time, row.end_time, _days(row.weekdays),
                     frozenset(roster.get(row.id, ()))) for row in rows]


def shift_rows(db: Engine) -> list[ShiftRow]:
    with db.connect() as conn:
        return shift_rows_in(conn)


def save_shift(db: Engine, name: str, start: str, end: str, weekdays: Collection[int],
               seat_ids: Collection[int], shift_id: int | None = None, by: str = "",
               now: int | None = None) -> int:
    """Create (shift_id None) or change a shift and its roster; → its id."""
    name = " ".join(name.split())
    if not name:
        raise ShiftError("a shift needs a name")
    begins, ends = parse_time(start), parse_time(end)
    if begins == ends:
        raise ShiftError("a shift cannot end when it starts")
    days = set(weekdays)
    if not days or not days <= ALL_DAYS:
        raise ShiftError("a shift runs on at least one weekday (0 = Monday … 6 = Sunday)")
    values = {"name": name, "start_time": begins.strftime("%H:%M"),
              "end_time": ends.strftime("%H:%M"), "weekdays": _mask(days), "updated_by": by,
              "updated_at": now_ms() if now is None else now}
    s = shifts_table.c
    with db.begin() as conn:
        clash = conn.execute(select(s.id).where(s.name == name)).scalar()
        if clash is not None and clash != shift_id:
            raise ShiftError(f"there is already a shift called {name!r}")
        if shift_id is None:
            shift_id = int(conn.execute(shifts_table.insert().values(**values))
                           .inserted_primary_key[0])  # type: ignore[index]
        elif not conn.execute(update(shifts_table).where(s.id == shift_id).values(**values)).rowcount:
            raise ShiftError(f"no shift {shift_id}")
        conn.execute(delete(shift_seats_table).where(shift_seats_table.c.shift_id == shift_id))
        known = set(conn.execute(select(Seat.id).where(Seat.id.in_(sorted(set(seat_ids))))).scalars())
        if known:
            conn.execute(shift_seats_table.insert(),
                         [{"shift_id": shift_id, "seat_id": seat} for seat in sorted(known)])
    return shift_id


def delete_shift(db: Engine, shift_id: int) -> None:
    """The shift goes; handovers written in or to it stay (without the shift)."""
    h = handovers_table.c
    with db.begin() as conn:
        conn.execute(update(handovers_table).where(h.shift_id == shift_id).values(shift_id=None))
        conn.execute(update(handovers_table).where(h.to_shift_id == shift_id)
                     .values(to_shift_id=None))
        conn.execute(delete(shift_seats_table).where(shift_seats_table.c.shift_id == shift_id))
        conn.execute(delete(shifts_table).where(shifts_table.c.id == shift_id))


def notice(_: object = None) -> ChangeNotice:
    return ChangeNotice(shifts=True)


# -- when shifts run -------------------------------------------------------------------------
def occurrences(shift: ShiftRow, tz_name: str, around_ms: int, days_before: int = 1,
                days_after: int = 8) -> Iterator[tuple[int, int]]:
    """(start, end) in ms of each run of the shift that starts within the days around
    `around_ms`, in order."""
    tz = zone(tz_name)
    begins, ends = parse_time(shift.start), parse_time(shift.end)
    today = datetime.fromtimestamp(around_ms / 1000, tz).date()
    for offset in range(-days_before, days_after + 1):
        day: date = today + timedelta(days=offset)
        if day.weekday() not in shift.weekdays:
            continue
        start = datetime.combine(day, begins, tzinfo=tz)
        end = datetime.combine(day + timedelta(days=1) if ends <= begins else day, ends, tzinfo=tz)
        yield int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def window(shift: ShiftRow, tz_name: str, at_ms: int) -> tuple[int, int] | None:
    """The run of the shift going on at `at_ms`, else the next one (ms start, end)."""
    runs = list(occurrences(shift, tz_name, at_ms))
    now = next(((s, e) for s, e in runs if s <= at_ms < e), None)
    return now or next(((s, e) for s, e in runs if s > at_ms), None)


def _on(shifts: Iterable[ShiftRow], seat_id: int | None) -> list[ShiftRow]:
    return [s for s in shifts if seat_id is None or seat_id in s.seat_ids]


def current(shifts: Iterable[ShiftRow], tz_name: str, seat_id: int | None,
            at_ms: int, grace_ms: int = 0) -> tuple[ShiftRow, int, int] | None:
    """The shift the seat works at `at_ms` (any seat's when None) with that run's start
    and end: of several, the one that started first. With `grace_ms`, a run that ended
    at most that long ago counts too (the latest such run) when none is going on."""
    going: list[tuple[int, int, ShiftRow]] = []
    ended: list[tuple[int, int, ShiftRow]] = []
    for shift in _on(shifts, seat_id):
        for start, end in occurrences(shift, tz_name, at_ms, days_after=0):
            if start <= at_ms < end:
                going.append((start, end, shift))
            elif end <= at_ms <= end + grace_ms:
                ended.append((start, end, shift))
    if going:
        start, end, shift = min(going, key=lambda g: (g[0], g[2].id))
        return shift, start, end
    if ended:
        start, end, shift = max(ended, key=lambda g: (g[1], g[2].id))
        return shift, start, end
    return None


def following(shifts: Iterable[ShiftRow], tz_name: str, after: ShiftRow | None,
              at_ms: int) -> ShiftRow | None:
    """The shift that starts next after `after`'s run around `at_ms` started (its
    latest run that started by then, else its next one); without `after`, the next
    shift to start after `at_ms`."""
    shifts = list(shifts)
    since = at_ms
    if after is not None:
        runs = list(occurrences(after, tz_name, at_ms, days_before=8, days_after=8))
        started = [s for s, _ in runs if s <= at_ms]
        since = max(started) if started else min((s for s, _ in runs), default=at_ms) - 1
    best: tuple[int, int, ShiftRow] | None = None
    for shift in shifts:
        for start, _ in occurrences(shift, tz_name, since, days_after=8):
            if start > since and (best is None or (start, shift.id) < best[:2]):
                best = (start, shift.id, shift)
                break
    return best[2] if best is not None else None
