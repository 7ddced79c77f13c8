"""Routing decisions, rule by rule (table-driven), plus the queue and a property check."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.routing import (
    DAY_MS,
    ChatToRoute,
    RoutingRules,
    SeatSnapshot,
    SeatStatus,
    Stage,
    decide,
    drain_queue,
)

NOW = 1_800_000_000_000
PRE, AFTER = "售前", "售后"


def seat(i, status=SeatStatus.ONLINE, groups=(PRE,), shops=(1,), cap=5, chats=0, last=0):
    return SeatSnapshot(i, status, frozenset(groups), frozenset(shops), cap, chats, last)


def chat(shop=1, stage=Stage.PRESALE, last_seat=None, days_ago=None, group=""):
    served = None if days_ago is None else NOW - int(days_ago * DAY_MS)
    return ChatToRoute(100, shop, stage, last_seat, served, group)


CASES = [
    # (name, chat, seats, expected seat, reason prefix)
    ("least loaded of the group", chat(), [seat(1, chats=3), seat(2, chats=1)], 2, "group:售前"),
    ("load relative to the cap", chat(), [seat(1, chats=2, cap=10), seat(2, chats=1, cap=2)], 1, "group"),
    ("ties go to the longest idle", chat(), [seat(1, last=NOW - 10), seat(2, last=NOW - 99)], 2, "group"),
    ("never above the cap", chat(), [seat(1, chats=5, cap=5), seat(2, chats=4, cap=4)], None, "queue"),
    ("never offline", chat(), [seat(1, SeatStatus.OFFLINE)], None, "queue"),
    ("never away", chat(), [seat(1, SeatStatus.AWAY)], None, "queue"),
    ("never suspended", chat(), [seat(1, SeatStatus.SUSPENDED)], None, "queue"),
    ("busy only after online", chat(), [seat(1, SeatStatus.BUSY), seat(2, chats=4)], 2, "group"),
    ("busy still takes chats", chat(), [seat(1, SeatStatus.BUSY)], 1, "group"),
    ("only seats serving the shop", chat(shop=2), [seat(1, shops=(1,)), seat(2, shops=(2,), chats=4)], 2, "group"),
    ("after-sale goes to 售后", chat(stage=Stage.AFTERSALE),
     [seat(1, groups=(PRE,)), seat(2, groups=(AFTER,), chats=3)], 2, "group:售后"),
    ("pre-sale seat does not take after-sale", chat(stage=Stage.AFTERSALE), [seat(1)], None, "queue"),
    ("recent buyer back to their seat", chat(last_seat=1, days_ago=2),
     [seat(1, chats=4), seat(2)], 1, "affinity"),
    ("affinity across groups", chat(stage=Stage.AFTERSALE, last_seat=1, days_ago=1),
     [seat(1, groups=(PRE,)), seat(2, groups=(AFTER,))], 1, "affinity"),
    ("affinity expires", chat(last_seat=1, days_ago=8), [seat(1, chats=4), seat(2)], 2, "group"),
    ("affinity never breaks the cap", chat(last_seat=1, days_ago=1),
     [seat(1, chats=5, cap=5), seat(2)], 2, "group"),
    ("affinity never to an away seat", chat(last_seat=1, days_ago=1),
     [seat(1, SeatStatus.AWAY), seat(2)], 2, "group"),
    ("a seat serving every shop", chat(shop=9), [SeatSnapshot(1, SeatStatus.ONLINE, frozenset({PRE}),
                                                              None, 5, 0)], 1, "group"),
    ("a seat in no group takes any chat", chat(stage=Stage.AFTERSALE), [seat(1, groups=())], 1,
     "generalist"),
    ("the group's own seats before generalists", chat(),
     [seat(1, groups=()), seat(2, chats=4)], 2, "group:售前"),
    ("handed to a group: only that group", chat(group=AFTER),
     [seat(1, groups=(PRE,)), seat(2, groups=(AFTER,), chats=4)], 2, "group:售后"),
    ("handed to a group: no affinity back", chat(group=AFTER, last_seat=1, days_ago=1),
     [seat(1, groups=(PRE,)), seat(2, groups=(AFTER,))], 2, "group:售后"),
    ("handed to a full group: queue", chat(group=AFTER), [seat(1, groups=(PRE,))], None,
     "queue:no free seat in 售后"),
]


@pytest.mark.parametrize("name,the_chat,seats,expected,reason", CASES, ids=[c[0] for c in CASES])
def test_rule(name, the_chat, seats, expected, reason):
    decision = decide(the_chat, seats, RoutingRules(), NOW)
    assert decision.seat_id == expected
    assert decision.reason.startswith(reason)


def test_rules_are_settings():
    no_affinity = RoutingRules(affinity_days=0)
    assert decide(chat(last_seat=1, days_ago=1), [seat(1, chats=4), seat(2)], no_affinity, NOW).seat_id == 2
    any_group = RoutingRules(fall_back_to_any_group=True)
    decision = decide(chat(stage=Stage.AFTERSALE), [seat(1)], any_group, NOW)
    assert (decision.seat_id, decision.reason) == (1, "any-group")


def test_the_queue_drains_as_far_as_caps_allow():
    seats = [seat(1, cap=2, chats=1), seat(2, cap=1)]
    decisions = drain_queue([chat(), chat(), chat()], seats, RoutingRules(), NOW)
    assert [d.seat_id for d in decisions] == [2, 1, None]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(SeatStatus)), st.integers(0, 6), st.integers(1, 6),
                          st.booleans(), st.booleans()), min_size=0, max_size=12),
       st.sampled_from(list(Stage)), st.integers(1, 3))
def test_never_to_an_unassignable_or_full_seat(raw, stage, shop):
    seats = [SeatSnapshot(i, status, frozenset([PRE] if pre else [AFTER]),
                          frozenset({shop} if serves else {99}), cap, chats)
             for i, (status, chats, cap, pre, serves) in enumerate(raw)]
    decision = decide(ChatToRoute(1, shop, stage), seats, RoutingRules(), NOW)
    if decision.seat_id is not None:
        chosen = seats[decision.seat_id]
        assert chosen.status in (SeatStatus.ONLINE, SeatStatus.BUSY)
        assert chosen.chats < chosen.max_chats and shop in chosen.shop_ids
    else:
        group = PRE if stage is Stage.PRESALE else AFTER
        assert not any(s.can_take(shop) and group in s.groups for s in seats)
