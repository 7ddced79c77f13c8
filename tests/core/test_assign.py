"""Seats and assignment against the store: routing passes, transfers, the audit log."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakes import msg, order
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import assign, outbox, queries, seats
from desktop.core.clock import now_ms
from desktop.core.ingest import Ingestor
from desktop.core.registry import Registry
from desktop.core.routing import RoutingRules, SeatStatus
from desktop.core.views import InboxFilter, SeatProfile, SeatRole
from desktop.sdk import Direction, OrderStatus

from fakes import FakeAdapter

REG = Registry.of(FakeAdapter)
NOW = now_ms()  # outgoing messages are stamped with the wall clock
MIN = 60_000


def new_seat(db, name, groups=("售前",), cap=2, role=SeatRole.AGENT, online=True, at=NOW):
    sid = seats.save_seat(db, SeatProfile(name, name.upper(), role, tuple(groups), None, cap))
    if online:
        seats.sign_in(db, sid, name, now=at)
    return sid


def chats(db, shop_id, *buyers):
    """A waiting chat per buyer (conversation c<buyer>); → their ids."""
    Ingestor(db).ingest_messages(shop_id, "fake", [
        msg(i, conv=f"c{b}", buyer=b) for i, b in enumerate(buyers, start=1)])
    rows = queries.conversation_rows(db, REG, queries.conversation_ids(db, InboxFilter()))
    return {r.buyer_nick.removeprefix("买家"): r.id for r in rows.values()}


def holder(db, conv_id):
    return queries.conversation_rows(db, REG, [conv_id])[conv_id]


def test_routing_fills_free_seats_up_to_their_caps_and_queues_the_rest(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=1)
    b = new_seat(db, "b", cap=1)
    ids = chats(db, shop, "b1", "b2", "b3")
    notice = assign.routing_pass(db, NOW + 1000)
    assert notice.seats == {a, b} and len(notice.conversations) == 2
    held = {holder(db, i).seat_id for i in ids.values()}
    assert held == {a, b, None}
    queue = queries.conversation_ids(db, InboxFilter(queue=True))
    assert len(queue) == 1 and queries.conversation_ids(db, InboxFilter(seat_id=a)) != queue
    # a seat frees (its chat ends): the queue's chat goes to it at the next pass
    done = next(i for i in ids.values() if holder(db, i).seat_id == a)
    assert assign.close_chat(db, done, now=NOW + 2000).seats == {a}
    assign.routing_pass(db, NOW + 3000)
    assert holder(db, queue[0]).seat_id == a
    log = assign.log(db, queue[0])
    assert [(r.kind, r.to_seat, r.actor) for r in log] == [("route", "A", "routing")]
    assert log[0].reason.startswith("group:售前")


def test_a_seat_whose_app_stopped_beating_gets_nothing(db, shop):  # noqa: F811
    new_seat(db, "a", at=NOW - 60_000)  # signed in a minute ago, silent since
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW)
    assert holder(db, ids["b1"]).seat_id is None
    [row] = seats.seat_rows(db, NOW)
    assert (row.status, row.effective) == ("online", "offline")
    # its own pass beats for it: now it takes the chat
    assign.routing_pass(db, NOW, heartbeat_seat=row.id)
    assert holder(db, ids["b1"]).seat_id == row.id


def test_a_reopened_chat_goes_back_to_the_seat_that_served_the_buyer(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=5)
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW)
    assign.close_chat(db, ids["b1"], now=NOW + MIN)
    b = new_seat(db, "b", cap=5, at=NOW + MIN)  # emptier than a
    Ingestor(db).ingest_messages(shop, "fake", [msg(9, conv="cb1", buyer="b1")])  # reopens
    assign.routing_pass(db, NOW + 2 * MIN, heartbeat_seat=a)
    assert holder(db, ids["b1"]).seat_id == a
    assert assign.log(db, ids["b1"])[0].reason == "affinity"
    assert b != a


def test_stage_sends_after_sale_buyers_to_the_after_sale_group(db, shop):  # noqa: F811
    pre = new_seat(db, "pre", groups=("售前",))
    post = new_seat(db, "post", groups=("售后",))
    ids = chats(db, shop, "b1", "b2")
    Ingestor(db).ingest_orders(shop, "fake", [order("o1", OrderStatus.SHIPPED, buyer="b2")])
    assign.routing_pass(db, NOW)
    assert (holder(db, ids["b1"]).seat_id, holder(db, ids["b2"]).seat_id) == (pre, post)


def test_transfer_with_reason_and_return_timer(db, shop):  # noqa: F811
    a = new_seat(db, "a", groups=("售前",))
    b = new_seat(db, "b", groups=("售后",))
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW)
    row = holder(db, ids["b1"])
    assert row.seat_id == a
    report = assign.transfer(db, {row.id: row.assign_version}, actor_seat_id=a, actor="A",
                             to_seat_id=b, reason="  要换货，\n已登记  ", return_minutes=5, now=NOW)
    assert report.moved == (row.id,) and report.seats == {a, b}
    moved = holder(db, row.id)
    assert (moved.seat_id, moved.transfer.by, moved.transfer.reason) == (b, "A", "要换货， 已登记")
    assert moved.transfer.return_at == NOW + 5 * MIN
    # the receiver does not answer: back to the giver after five minutes
    assign.routing_pass(db, NOW + 4 * MIN, heartbeat_seat=a)
    assert holder(db, row.id).seat_id == b
    seats.sign_in(db, b, "b", now=NOW + 5 * MIN)
    assign.routing_pass(db, NOW + 5 * MIN, heartbeat_seat=a)
    back = holder(db, row.id)
    assert (back.seat_id, back.transfer.by) == (a, "B")
    assert [r.kind for r in assign.log(db, row.id)] == ["return", "transfer", "route"]


def test_an_answered_transfer_stays(db, shop):  # noqa: F811
    a = new_seat(db, "a")
    b = new_seat(db, "b")
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW)
    row = holder(db, ids["b1"])
    giver, taker = (a, b) if row.seat_id == a else (b, a)
    assign.transfer(db, {row.id: row.assign_version}, actor_seat_id=giver, actor="X",
                    to_seat_id=taker, reason="r", return_minutes=1, now=NOW)
    outbox.queue_send(db, row.id, "您好", "Y", taker)
    seats.sign_in(db, giver, "x", now=NOW + 2 * MIN)
    seats.sign_in(db, taker, "y", now=NOW + 2 * MIN)
    assign.routing_pass(db, NOW + 2 * MIN)
    after = holder(db, row.id)
    assert after.seat_id == taker and after.transfer.return_at is None
    replies = {r.id: r.replies_last_hour for r in seats.seat_rows(db, NOW + 2 * MIN)}
    assert replies == {taker: 1, giver: 0}


def test_two_moves_of_one_chat_leave_one_owner_and_a_clear_refusal(db, shop):  # noqa: F811
    lead = new_seat(db, "lead", role=SeatRole.LEAD)
    a, b = new_seat(db, "a"), new_seat(db, "b")
    ids = chats(db, shop, "b1")
    seen = holder(db, ids["b1"]).assign_version
    first = assign.transfer(db, {ids["b1"]: seen}, actor_seat_id=lead, actor="组长甲", to_seat_id=a,
                            now=NOW)
    second = assign.transfer(db, {ids["b1"]: seen}, actor_seat_id=lead, actor="组长乙",
                             to_seat_id=b, now=NOW)
    assert first.moved == (ids["b1"],)
    assert second.refused == ((ids["b1"], "moved", "组长甲"),)
    assert holder(db, ids["b1"]).seat_id == a
    assert [r.kind for r in assign.log(db, ids["b1"])] == ["claim" if a == lead else "move"]


def test_transfer_refusals_and_a_leads_force(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=1)
    away = new_seat(db, "away")
    seats.set_status(db, away, SeatStatus.AWAY, "away", now=NOW)
    ids = chats(db, shop, "b1", "b2")
    assign.routing_pass(db, NOW)  # a takes one, the other waits
    queued = next(i for i in ids.values() if holder(db, i).seat_id is None)
    v = holder(db, queued).assign_version

    def to(seat, force=False):
        return assign.transfer(db, {queued: v}, actor_seat_id=None, actor="x", to_seat_id=seat,
                               force=force, now=NOW).refused

    assert to(a) == ((queued, "full", "1/1"),)
    assert to(away) == ((queued, "unavailable", "away"),)
    assert to(a, force=True) == ()
    assert holder(db, queued).seat_id == a


def test_transfer_to_a_group_takes_its_free_seat_or_waits_for_one(db, shop):  # noqa: F811
    a = new_seat(db, "a", groups=("售前",), cap=5)
    ids = chats(db, shop, "b1", "b2")
    assign.routing_pass(db, NOW)
    rows = [holder(db, i) for i in ids.values()]
    report = assign.transfer(db, {r.id: r.assign_version for r in rows}, actor_seat_id=a,
                             actor="A", to_group="售后", reason="退货", now=NOW)
    assert sorted(report.queued) == sorted(ids.values()) and report.moved == ()
    assert {holder(db, i).queue_group for i in ids.values()} == {"售后"}
    assign.routing_pass(db, NOW)  # a is free but not of 售后: they keep waiting
    assert {holder(db, i).seat_id for i in ids.values()} == {None}
    post = new_seat(db, "post", groups=("售后",), cap=5)
    assign.routing_pass(db, NOW)
    assert {holder(db, i).seat_id for i in ids.values()} == {post}


def test_release_reroutes_and_suspends(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=5)
    b = new_seat(db, "b", cap=5)
    ids = chats(db, shop, "b1", "b2", "b3")
    assign.routing_pass(db, NOW)
    assign.release_seat(db, a, "组长", now=NOW)
    assign.routing_pass(db, NOW + 1)
    assert {holder(db, i).seat_id for i in ids.values()} == {b}
    assert [(e.status, e.by) for e in seats.timeline(db, a)][-1] == ("suspended", "组长")
    # signing in again does not lift a suspension: that is the lead's
    seats.sign_in(db, a, "a", now=NOW + 2)
    assert seats.seat_rows(db, NOW + 2)[0].status == "suspended"


def test_chats_of_a_seat_gone_offline_go_back_to_the_queue(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=5)
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW, heartbeat_seat=a)
    rules = seats.rules(db)
    later = NOW + (rules.heartbeat_timeout_s + rules.release_offline_after_s) * 1000 + 1
    assign.routing_pass(db, later)
    row = holder(db, ids["b1"])
    assert row.seat_id is None and assign.log(db, row.id)[0].reason == "seat offline"


def test_rules_are_team_settings(db, shop):  # noqa: F811
    a = new_seat(db, "a")
    seats.save_rules(db, replace(RoutingRules(), enabled=False))
    ids = chats(db, shop, "b1")
    assign.routing_pass(db, NOW, heartbeat_seat=a)
    assert holder(db, ids["b1"]).seat_id is None
    assert seats.rules(db).enabled is False
    assert seats.team_groups(db) == ["售前", "售后"]


def test_a_quiet_answered_chat_stops_counting_against_the_cap(db, shop):  # noqa: F811
    a = new_seat(db, "a", cap=1)
    ids = chats(db, shop, "b1", "b2")
    assign.routing_pass(db, NOW, heartbeat_seat=a)
    first = next(i for i in ids.values() if holder(db, i).seat_id == a)
    Ingestor(db).ingest_messages(shop, "fake", [
        replace(msg(50, conv=f"c{holder(db, first).buyer_nick.removeprefix('买家')}",
                    direction=Direction.OUT))])
    idle = seats.rules(db).idle_after_min * MIN
    assign.routing_pass(db, NOW + idle + MIN, heartbeat_seat=a)
    assert {holder(db, i).seat_id for i in ids.values()} == {a}


def test_seat_profiles(db):
    sid = seats.save_seat(db, SeatProfile("wang", "小王", SeatRole.AGENT, ("售前", " 售前", ""),
                                          frozenset({1}), 8, ((1, "店:小王"),)))
    [row] = seats.seat_rows(db)
    assert row.profile == SeatProfile("wang", "小王", SeatRole.AGENT, ("售前",), frozenset({1}), 8,
                                      ((1, "店:小王"),))
    with pytest.raises(seats.SeatError):
        seats.save_seat(db, SeatProfile("wang", "另一个"))
    assert seats.save_seat(db, replace(row.profile, max_chats=9), sid) == sid
    assert seats.ensure_local_seat(db, "boss", "老板") != sid
    assert [r.profile.role for r in seats.seat_rows(db)] == [SeatRole.AGENT, SeatRole.AGENT]
