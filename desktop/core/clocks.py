"""Reply clocks: each platform's reply deadline per chat, and the response times a lead reads.

The deadline (feature-anchors row 46 and "Per-platform compliance clocks", [Q9][F6]):
a platform declares `ReplyDeadline(seconds, active_from, active_until, timezone)`
(Taobao-style: 180 s, counted only 08:00–23:00 Beijing time). The clock of a chat
starts when its oldest unanswered buyer message arrived (`waiting_since`), or —
outside the active hours — when the hours next open: a message at 23:30 is due at
08:03 the next morning. A message inside the hours is due `seconds` later even if
the hours end meanwhile. Times of day are the platform's (`ReplyDeadline.timezone`,
Beijing time for the Chinese platforms), never the agent machine's.

Only a person's answer stops the clock: auto-replies and dunning templates carry a
`messages.origin` and leave `waiting_since` alone (outbox.queue_send_in).

Sorting the inbox by deadline stays one SQL ORDER BY over integer arithmetic
(`due_sql`): per shop, the start of the clock is `waiting_since`, or the next
opening of the hours computed from the time of day at the zone's current UTC
offset. (For a zone with daylight saving that is an hour off around the switch,
for sorting only; the deadline shown is computed exactly, `reply_due_at`.)

Response times (DOMAIN "Numbers the team lives by"): every human answer to a waiting
buyer is kept with the seat and shop (`record_response`) — the wait counted from the
clock's start, so a night's wait outside the platform's hours is not held against
the morning shift. The first answer of a reception (接待: the chat's first message,
or the first after `RECEPTION_GAP_MS` of silence) is the first response.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Engine, func, select, text

from desktop.sdk import ReplyDeadline

from .models import (
    conversations_table,
    messages_table,
    response_times_table,
    seats_table,
    shops_table,
)
from .views import ResponseStatRow

DAY_MS = 86_400_000
RECEPTION_GAP_MS = 30 * 60_000  # silence after which the buyer's next message opens a new reception
# Zones without a tz database (a Windows bundle without tzdata) still get the
# platforms' own: Beijing time has had no daylight saving since 1991.
_FIXED = {"Asia/Shanghai": timezone(timedelta(hours=8), "CST"), "UTC": timezone.utc}


@lru_cache(maxsize=32)
def zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return _FIXED.get(name, _FIXED["Asia/Shanghai"])


def _hours(rule: ReplyDeadline) -> tuple[time, time] | None:
    """(from, until) of the active hours, or None when the rule always applies. A
    missing bound is midnight; until < from means the hours run past midnight."""
    if rule.active_from is None and rule.active_until is None:
        return None
    start, end = rule.active_from or time(0), rule.active_until or time(0)
    return None if start == end else (start, end)


def _inside(moment: time, start: time, end: time) -> bool:
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def clock_start(rule: ReplyDeadline, arrived_ms: int) -> int:
    """When the platform starts counting for a buyer message that arrived then."""
    hours = _hours(rule)
    if hours is None:
        return arrived_ms
    start, end = hours
    tz = zone(rule.timezone)
    local = datetime.fromtimestamp(arrived_ms / 1000, tz)
    if _inside(local.time(), start, end):
        return arrived_ms
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return int(datetime.combine(day, start, tzinfo=tz).timestamp() * 1000)


def reply_due_at(rule: ReplyDeadline | None, waiting_since: int | None) -> int | None:
    """When the platform counts the chat as answered too late (None: no rule, or nobody waits)."""
    if rule is None or waiting_since is None:
        return None
    return clock_start(rule, waiting_since) + rule.seconds * 1000


# -- the same rule in SQL ---------------------------------------------------------------------
def _ms_of_day(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1000


def _offset_ms(rule: ReplyDeadline, now: int) -> int:
    tz = zone(rule.timezone)
    offset = datetime.fromtimestamp(now / 1000, tz).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


def _mod(value: str, divisor: int, dialect: str) -> str:
    # mod(), not "%", on PostgreSQL: its driver reads "%" as a placeholder
    return f"mod({value}, {divisor})" if dialect == "postgresql" else f"(({value}) % {divisor})"


def _start_sql(rule: ReplyDeadline, ts: str, now: int, dialect: str) -> str:
    """`ts` if it lies inside the hours, else when they next open. With u = the time since
    the hours last opened ((local time of day - from) mod a day) and L their length, `ts`
    is inside iff u < L, and they next open DAY - u later: one modulo, hours past
    midnight included."""
    hours = _hours(rule)
    if hours is None:
        return ts
    begin, end = (_ms_of_day(t) for t in hours)
    length = (end - begin) % DAY_MS
    shift = (_offset_ms(rule, now) - begin) % DAY_MS  # ts + shift ≥ 0 keeps the modulo positive
    u = _mod(f"{ts} + {shift}", DAY_MS, dialect)
    return f"(CASE WHEN {u} < {length} THEN {ts} ELSE {ts} + {DAY_MS} - {u} END)"


def _by_rule(rules: Mapping[int, ReplyDeadline]) -> dict[ReplyDeadline, list[int]]:
    grouped: dict[ReplyDeadline, list[int]] = {}
    for shop_id, rule in sorted(rules.items()):
        grouped.setdefault(rule, []).append(int(shop_id))
    return grouped


def start_sql(rules: Mapping[int, ReplyDeadline], now: int, *, shop: str = "shop_id",
              ts: str = "waiting_since", dialect: str = "sqlite") -> str:
    """SQL for the clock's start per shop (`ts` itself for shops without a rule).
    Only integers of ours are inlined: no parameters, so it works in any clause."""
    cases = [f"WHEN {shop} IN ({', '.join(map(str, ids))}) THEN "
             f"{_start_sql(rule, ts, now, dialect)}"
             for rule, ids in _by_rule(rules).items() if _hours(rule) is not None]
    return f"(CASE {' '.join(cases)} ELSE {ts} END)" if cases else ts


def due_sql(rules: Mapping[int, ReplyDeadline], now: int, *, shop: str = "shop_id",
            ts: str = "waiting_since", dialect: str = "sqlite") -> str:
    """SQL for the reply deadline per shop: NULL for shops without a rule (or `ts` NULL)."""
    cases = [f"WHEN {shop} IN ({', '.join(map(str, ids))}) THEN "
             f"{_start_sql(rule, ts, now, dialect)} + {rule.seconds * 1000}"
             for rule, ids in _by_rule(rules).items()]
    return f"(CASE {' '.join(cases)} ELSE NULL END)" if cases else "NULL"


def shop_rules(conn: Connection,
               deadline_of: Callable[[str], ReplyDeadline | None]) -> dict[int, ReplyDeadline]:
    """shop id → the reply deadline its platform declares (shops without one left out)."""
    s = shops_table.c
    out: dict[int, ReplyDeadline] = {}
    for shop_id, platform in conn.execute(select(s.id, s.platform)):
        rule = deadline_of(platform)
        if rule is not None:
            out[shop_id] = rule
    return out


# -- response times ---------------------------------------------------------------------------
def opens_reception(conn: Connection, conversation_id: int, since: int) -> bool:
    """Whether a buyer message at `since` opened a reception (接待): the chat's first
    message, or the first after RECEPTION_GAP_MS of silence (auto-replies aside)."""
    m = messages_table.c
    before = conn.execute(select(func.max(m.sent_at)).where(
        m.conversation_id == conversation_id, m.sent_at < since, m.origin == "")).scalar()
    return before is None or since - int(before) >= RECEPTION_GAP_MS


def record_response(conn: Connection, conversation_id: int, seat_id: int | None,
                    now: int) -> bool:
    """A person answers the chat (in the caller's transaction, before the answer clears
    `waiting_since`): keep the wait for the reports. → whether a buyer was waiting."""
    c = conversations_table.c
    row = conn.execute(select(c.shop_id, c.waiting_since)
                       .where(c.id == conversation_id)).one_or_none()
    if row is None or row.waiting_since is None:
        return False
    conn.execute(response_times_table.insert().values(
        conversation_id=conversation_id, shop_id=row.shop_id, seat_id=seat_id,
        waited_from=row.waiting_since, answered_at=max(now, row.waiting_since),
        first_reply=opens_reception(conn, conversation_id, row.waiting_since)))
    return True


def response_stats(db: Engine, rules: Mapping[int, ReplyDeadline], since: int,
                   until: int | None = None, now: int | None = None) -> list[ResponseStatRow]:
    """Per seat and shop: first-response and average-response times of the answers given
    in [since, until), each wait counted from the start of the platform's clock, and
    how many came within the platform's deadline. Ordered by seat name, then shop."""
    at = since if now is None else now
    dialect = db.dialect.name
    start = start_sql(rules, at, shop="r.shop_id", ts="r.waited_from", dialect=dialect)
    due = due_sql(rules, at, shop="r.shop_id", ts="r.waited_from", dialect=dialect)
    wait = f"(CASE WHEN r.answered_at > {start} THEN r.answered_at - {start} ELSE 0 END)"
    timed_ids = sorted(int(i) for i in rules)
    timed = f"r.shop_id IN ({', '.join(map(str, timed_ids))})" if timed_ids else "1 = 0"
    sql = (
        "SELECT r.seat_id, r.shop_id, "
        "sum(CASE WHEN r.first_reply THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN r.first_reply THEN {wait} ELSE 0 END), "
        f"count(*), sum({wait}), "
        f"sum(CASE WHEN {timed} THEN 1 ELSE 0 END), "
        f"sum(CASE WHEN {timed} AND r.answered_at <= {due} THEN 1 ELSE 0 END) "
        "FROM response_times r WHERE r.answered_at >= :since AND r.answered_at < :until "
        "GROUP BY r.seat_id, r.shop_id")
    with db.connect() as conn:
        rows = conn.execute(text(sql), {"since": since,
                                        "until": until if until is not None else 1 << 62}).all()
        seat_names = dict(conn.execute(select(seats_table.c.id, seats_table.c.display_name)).all())
        shop_names = dict(conn.execute(select(shops_table.c.id, shops_table.c.name)).all())
    out = [ResponseStatRow(r[0], seat_names.get(r[0], "") if r[0] is not None else "",
                           r[1], shop_names.get(r[1], ""), int(r[2] or 0), int(r[3] or 0),
                           int(r[4] or 0), int(r[5] or 0), int(r[6] or 0), int(r[7] or 0))
           for r in rows]
    return sorted(out, key=lambda r: (r.seat_id is None, r.seat_name, r.seat_id or 0,
                                      r.shop_name, r.shop_id or 0))
