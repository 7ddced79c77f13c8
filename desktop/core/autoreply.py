"""Auto-replies (自动回复) per shop: a welcome line on a new chat, a busy line while no seat
can take the buyer, an away line outside business hours.

What rivals offer (feature-anchors rows 41–42: 千牛 time-based auto reply [Q7], Gorgias
rules [G7]) and what DOMAIN asks ("a welcome auto-reply covers the gap, but the clock
that matters is the first human answer"). The rules here:

- Only a buyer message that just arrived (ingest hands the engine the chats it touched,
  `reply_pass`) can trigger one; our own messages, system notes and backfilled history
  never do, so two bots cannot answer each other into a loop.
- Each line has its cooldown per buyer and shop: the welcome at most once in
  `welcome_hours`, the busy line once in `busy_minutes`, the away line once in
  `away_hours` — whatever the buyer (or a buyer-side bot) keeps sending.
- Outside business hours only the away line goes; inside them, a chat whose first
  message opens a reception (clocks.RECEPTION_GAP_MS) gets the welcome, and a chat no
  online seat holds while no seat can take one more chat of the shop (all away,
  offline or at their cap: seats.snapshots) gets the busy line after it.
- They go through the outbox like any message, marked with their kind in
  `messages.origin`: the chat shows them as automatic, and they leave `waiting_since`
  set, so they never count as the human first response (clocks.py).

The settings are the team's (team_settings, one JSON per shop), so in team mode the
app that syncs the shop answers the same way whoever set them up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from dataclasses import asdict, fields, replace
from datetime import datetime, time

from sqlalchemy import Connection, Engine, func, select

from . import seats
from .clocks import opens_reception, zone
from .models import (
    buyers_table,
    conversations_table,
    messages_table,
    shops_table,
    team_settings_table,
)
from .outbox import queue_send_in
from .routing import ASSIGNABLE, SeatSnapshot
from .sql import upsert
from .views import AutoReplySettings, ChangeNotice

KEY_PREFIX = "autoreply."
FRESH_MS = 10 * 60_000  # buyer messages older than this (history, a backlog) get no auto-reply
MAX_TEXT_CHARS = 500
VARIABLES = ("{买家}", "{店铺}", "{营业时间}")
_VARIABLE = re.compile(r"\{[^{}]*\}")

class AutoReplyError(ValueError):
    """Settings that cannot be saved, with the reason to show."""


def hours(settings: AutoReplySettings) -> tuple[time, time]:
    return _parse_time(settings.open_from), _parse_time(settings.open_until)


def is_open(settings: AutoReplySettings, at_ms: int) -> bool:
    """Inside the shop's business hours (equal bounds: always open)."""
    start, end = hours(settings)
    if start == end:
        return True
    moment = datetime.fromtimestamp(at_ms / 1000, zone(settings.timezone)).time()
    return start <= moment < end if start < end else moment >= start or moment < end


def _parse_time(value: str) -> time:
    try:
        hour, minute = (int(p) for p in value.strip().split(":"))
        return time(hour, minute)
    except (ValueError, TypeError):
        raise AutoReplyError(f"not a time of day (HH:MM): {value!r}") from None


def unknown_variables(text: str) -> list[str]:
    """Brace variables in `text` that auto-replies do not fill."""
    return [v for v in _VARIABLE.findall(text) if v not in VARIABLES]


def validate(settings: AutoReplySettings) -> AutoReplySettings:
    """The settings trimmed, or AutoReplyError saying what is wrong."""
    hours(settings)  # raises on a bad time
    if settings.welcome_hours < 1 or settings.away_hours < 1:
        raise AutoReplyError("a welcome or away line repeats at most once an hour per buyer")
    if settings.busy_minutes < 5:
        raise AutoReplyError("a busy line repeats at most once in 5 minutes per buyer")
    zone(settings.timezone)
    trimmed = replace(settings, welcome_text=settings.welcome_text.strip(),
                      busy_text=settings.busy_text.strip(), away_text=settings.away_text.strip())
    for on, text in ((trimmed.welcome, trimmed.welcome_text), (trimmed.busy, trimmed.busy_text),
                     (trimmed.away, trimmed.away_text)):
        if on and not text:
            raise AutoReplyError("a line that is on needs a text")
        if len(text) > MAX_TEXT_CHARS:
            raise AutoReplyError(f"a line is longer than {MAX_TEXT_CHARS} characters")
        bad = unknown_variables(text)
        if bad:
            raise AutoReplyError(f"unknown variable {bad[0]} (known: {' '.join(VARIABLES)})")
    return trimmed


def fill(text: str, *, buyer: str, shop: str, settings: AutoReplySettings) -> str:
    return (text.replace("{买家}", buyer).replace("{店铺}", shop)
            .replace("{营业时间}", f"{settings.open_from}–{settings.open_until}"))


# -- storage --------------------------------------------------------------------------------
def load_in(conn: Connection, shop_id: int) -> AutoReplySettings:
    t = team_settings_table.c
    raw = conn.execute(select(t.value_json).where(t.key == f"{KEY_PREFIX}{shop_id}")).scalar()
    if raw is None:
        return AutoReplySettings()
    known = {f.name for f in fields(AutoReplySettings)}
    return AutoReplySettings(**{k: v for k, v in json.loads(raw).items() if k in known})


def load(db: Engine, shop_id: int) -> AutoReplySettings:
    with db.connect() as conn:
        return load_in(conn, shop_id)


def save(db: Engine, shop_id: int, settings: AutoReplySettings) -> AutoReplySettings:
    """Validate and keep the shop's auto-replies; → what was saved."""
    value = validate(settings)
    with db.begin() as conn:
        conn.execute(upsert(conn, team_settings_table, ["key"]), [{
            "key": f"{KEY_PREFIX}{shop_id}",
            "value_json": json.dumps(asdict(value), ensure_ascii=False)}])
    return value


# -- the pass after ingest ------------------------------------------------------------------
def plan(settings: AutoReplySettings, *, now: int, opens_reception: bool,
         unserved: bool) -> list[str]:
    """Which lines a chat whose buyer just wrote gets, before cooldowns: away alone
    outside business hours; else the welcome on a new reception, then busy."""
    if not is_open(settings, now):
        return ["away"] if settings.away else []
    kinds = []
    if settings.welcome and opens_reception:
        kinds.append("welcome")
    if settings.busy and unserved:
        kinds.append("busy")
    return kinds


def cooldown_ms(settings: AutoReplySettings, kind: str) -> int:
    if kind == "welcome":
        return settings.welcome_hours * 3_600_000
    if kind == "busy":
        return settings.busy_minutes * 60_000
    return settings.away_hours * 3_600_000


def _sent_recently(conn: Connection, shop_id: int, buyer_id: int, kind: str, since: int) -> bool:
    m, c = messages_table.c, conversations_table.c
    return conn.execute(
        select(m.id).join(conversations_table, c.id == m.conversation_id)
        .where(c.shop_id == shop_id, c.buyer_id == buyer_id, m.origin == kind,
               m.sent_at >= since).limit(1)).first() is not None


def _unserved(shop_id: int, seat_id: int | None, snaps: dict[int, SeatSnapshot]) -> bool:
    """No online (or busy) seat holds the chat, and no seat can take one more of the shop."""
    holder = snaps.get(seat_id) if seat_id is not None else None
    if holder is not None and holder.status in ASSIGNABLE:
        return False
    return not any(s.can_take(shop_id) for s in snaps.values())


def reply_pass(db: Engine, conversation_ids: Iterable[int], now: int,
               sendable: Collection[str]) -> ChangeNotice:
    """Answer the chats whose buyer just wrote (ingest's new buyer messages) with the
    lines their shop's settings and cooldowns allow; `sendable`: platforms that can
    send messages. One transaction; → the chats that got a line."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return ChangeNotice()
    touched: set[int] = set()
    c, s, b, m = (conversations_table.c, shops_table.c, buyers_table.c, messages_table.c)
    with db.begin() as conn:
        rows = conn.execute(
            select(c.id, c.shop_id, c.buyer_id, c.state, c.waiting_since, c.seat_id, s.platform,
                   s.name.label("shop_name"), b.nick)
            .join(shops_table, s.id == c.shop_id).join(buyers_table, b.id == c.buyer_id)
            .where(c.id.in_(ids), c.state == "open", c.waiting_since.is_not(None))).all()
        rows = [r for r in rows if r.platform in sendable]
        settings = {shop_id: load_in(conn, shop_id) for shop_id in {r.shop_id for r in rows}}
        rows = [r for r in rows if settings[r.shop_id].enabled]
        snaps: dict[int, SeatSnapshot] | None = None
        for r in rows:
            newest = conn.execute(select(func.max(m.sent_at)).where(
                m.conversation_id == r.id, m.direction == "in")).scalar()
            if newest is None or now - int(newest) > FRESH_MS:
                continue  # history or a backlog: too late for an automatic line
            cfg = settings[r.shop_id]
            if snaps is None and cfg.busy:
                snaps = {x.id: x for x in seats.snapshots(conn, now, seats.load_rules(conn))}
            kinds = plan(
                cfg, now=now,
                opens_reception=(now - r.waiting_since <= FRESH_MS
                                 and opens_reception(conn, r.id, r.waiting_since)),
                unserved=cfg.busy and _unserved(r.shop_id, r.seat_id, snaps or {}))
            for kind in kinds:
                if _sent_recently(conn, r.shop_id, r.buyer_id, kind, now - cooldown_ms(cfg, kind)):
                    continue
                text = fill(getattr(cfg, f"{kind}_text"), buyer=r.nick, shop=r.shop_name,
                            settings=cfg)
                queue_send_in(conn, r.id, text, "", None, origin=kind, now=now)
                touched.add(r.id)
    return ChangeNotice(messages=frozenset(touched))
