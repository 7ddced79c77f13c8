"""Routing: which seat a new or reopened chat goes to — a pure decision over a snapshot.

The rules (DOMAIN "Seats, transfer and the team lead"; rivals' complaints in
feature-anchors rows 30–39), in order:

1. The seat that served this buyer within `affinity_days`, if it may take a chat
   now (assignable status, serves the shop, under its cap).
2. Otherwise a seat of the group that handles the chat's stage (pre-sale or
   after-sale) for that shop — or of the group it was handed to —, least loaded
   first (by load ÷ cap, then chats held, then the longest since its last
   assignment, then id); online before busy. Seats in no group (a small team,
   a solo agent) take any chat after the group's own seats.
3. Otherwise the chat waits in the queue, which everyone sees; it is assigned the
   moment a seat frees (the caller re-runs the decision for the queue's head).

Never above a seat's cap; never to an offline, away or suspended seat. The rules
are settings (`RoutingRules`). Persistence, row versions and the audit log live
with the assignment itself; this module only decides, so it is cheap to run for
5,000 open chats and testable rule by rule.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

DAY_MS = 86_400_000


class SeatStatus(str, enum.Enum):
    ONLINE = "online"
    BUSY = "busy"  # takes new chats, after every online seat
    SUSPENDED = "suspended"  # keeps its chats, gets no new ones
    AWAY = "away"
    OFFLINE = "offline"  # also: the app quit or lost its connection


ASSIGNABLE = (SeatStatus.ONLINE, SeatStatus.BUSY)


class Stage(str, enum.Enum):
    PRESALE = "presale"
    AFTERSALE = "aftersale"


@dataclass(frozen=True, slots=True)
class RoutingRules:
    enabled: bool = True  # off: chats wait in the queue until someone takes or moves them
    affinity_days: int = 7  # 0 = no affinity
    # which group handles which stage; a shop's seats outside these groups still
    # take chats when `fall_back_to_any_group` is on and the group has no free seat
    group_for_stage: dict[str, str] = field(default_factory=lambda: {
        Stage.PRESALE.value: "售前", Stage.AFTERSALE.value: "售后"})
    fall_back_to_any_group: bool = False
    # an app that stopped beating for this long counts as offline
    heartbeat_timeout_s: int = 20
    # chats with a waiting buyer leave a seat that has been offline this long (0 = never)
    release_offline_after_s: int = 300
    # a held chat nobody waits on, quiet this long, stops counting against the cap
    idle_after_min: int = 30


@dataclass(frozen=True, slots=True)
class SeatSnapshot:
    id: int
    status: SeatStatus
    groups: frozenset[str]  # empty: a generalist, taking any group's chats after its members
    shop_ids: frozenset[int] | None  # None = every shop
    max_chats: int
    chats: int  # chats it holds now
    last_assigned_at: int = 0  # ms; spreads ties over time

    def can_take(self, shop_id: int) -> bool:
        return (self.status in ASSIGNABLE
                and (self.shop_ids is None or shop_id in self.shop_ids)
                and self.chats < self.max_chats)


@dataclass(frozen=True, slots=True)
class ChatToRoute:
    conversation_id: int
    shop_id: int
    stage: Stage = Stage.PRESALE
    last_seat_id: int | None = None  # who served this buyer in this shop last
    last_served_at: int | None = None  # ms
    group: str = ""  # handed to this group: only its seats, whatever the stage


@dataclass(frozen=True, slots=True)
class Decision:
    seat_id: int | None  # None = the chat waits in the queue
    reason: str  # for the audit log: affinity | group:<name> | any-group | queue:<why>


def _rank(seat: SeatSnapshot) -> tuple[int, float, int, int, int]:
    busy = 0 if seat.status is SeatStatus.ONLINE else 1
    return (busy, seat.chats / max(seat.max_chats, 1), seat.chats, seat.last_assigned_at, seat.id)


def decide(chat: ChatToRoute, seats: Iterable[SeatSnapshot], rules: RoutingRules, now: int) -> Decision:
    pool = [s for s in seats if s.can_take(chat.shop_id)]
    if (not chat.group and rules.affinity_days > 0 and chat.last_seat_id is not None and chat.last_served_at is not None
            and now - chat.last_served_at <= rules.affinity_days * DAY_MS):
        for seat in pool:
            if seat.id == chat.last_seat_id:
                return Decision(seat.id, "affinity")
    group = chat.group or rules.group_for_stage.get(chat.stage.value)
    in_group = [s for s in pool if group is None or group in s.groups]
    if in_group:
        return Decision(min(in_group, key=_rank).id, f"group:{group}" if group else "any-group")
    generalists = [s for s in pool if not s.groups]
    if generalists:
        return Decision(min(generalists, key=_rank).id, "generalist")
    if rules.fall_back_to_any_group and pool and not chat.group:
        return Decision(min(pool, key=_rank).id, "any-group")
    return Decision(None, f"queue:no free seat in {group}" if group else "queue:no free seat")


def drain_queue(queue: Sequence[ChatToRoute], seats: Sequence[SeatSnapshot], rules: RoutingRules,
                now: int) -> list[Decision]:
    """Assign waiting chats in queue order (longest wait first) while seats free up;
    each assignment counts against the seat's cap for the next one."""
    state = {s.id: s for s in seats}
    out = []
    for chat in queue:
        decision = decide(chat, state.values(), rules, now)
        out.append(decision)
        if decision.seat_id is not None:
            seat = state[decision.seat_id]
            state[seat.id] = SeatSnapshot(seat.id, seat.status, seat.groups, seat.shop_ids,
                                          seat.max_chats, seat.chats + 1, now)
    return out
