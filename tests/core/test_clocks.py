"""Reply clocks: the deadline rule (active hours in the platform's zone), its SQL twin that
sorts the inbox, and the response times recorded per seat and shop."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from test_ingest import shop  # noqa: F401 - fixture

from desktop.core import clocks, outbox, queries
from desktop.core.clock import now_ms
from desktop.core.clocks import clock_start, reply_due_at
from desktop.core.views import ClockState, clock_state
from desktop.core.ingest import Ingestor
from desktop.core.models import Shop, messages_table, response_times_table
from desktop.core.views import InboxFilter, InboxState, ResponseStatRow
from desktop.sdk import Direction, MessageEvent, MessageKind, ReplyDeadline

from sqlalchemy import select, update

BJ = timezone(timedelta(hours=8))
TB = ReplyDeadline(180, time(8, 0), time(23, 0))  # Taobao-style: 3 minutes, 08:00–23:00
DY = ReplyDeadline(180)  # always
NIGHT = ReplyDeadline(60, time(20, 0), time(2, 0))  # hours that run past midnight
SEC = 1000
MIN = 60 * SEC


def bj(day: int, hour: int, minute: int = 0, second: int = 0) -> int:
    return int(datetime(2026, 12, day, hour, minute, second, tzinfo=BJ).timestamp() * 1000)


# -- the rule ---------------------------------------------------------------------------------
def test_a_message_inside_the_hours_is_due_after_the_rule():
    assert reply_due_at(TB, bj(7, 10, 0)) == bj(7, 10, 3)
    assert reply_due_at(DY, bj(7, 3, 0)) == bj(7, 3, 3)
    # inside at arrival: due 3 minutes later even though the hours end meanwhile
    assert reply_due_at(TB, bj(7, 22, 59)) == bj(7, 23, 2)


def test_a_message_outside_the_hours_is_due_after_they_next_open():
    assert reply_due_at(TB, bj(7, 23, 30)) == bj(8, 8, 3)  # the brief's example
    assert reply_due_at(TB, bj(8, 6, 15)) == bj(8, 8, 3)
    assert reply_due_at(TB, bj(7, 23, 0)) == bj(8, 8, 3)  # the end is exclusive
    assert clock_start(TB, bj(7, 8, 0)) == bj(7, 8, 0)  # the start inclusive


def test_hours_are_the_platforms_not_the_machines():
    """08:00–23:00 Beijing time is 00:00–15:00 UTC: 16:00 UTC is outside."""
    at = int(datetime(2026, 12, 7, 16, 0, tzinfo=timezone.utc).timestamp() * 1000)
    assert reply_due_at(TB, at) == bj(8, 8, 3)
    utc_rule = ReplyDeadline(180, time(8, 0), time(23, 0), timezone="UTC")
    assert reply_due_at(utc_rule, at) == at + 180 * SEC


def test_hours_past_midnight():
    assert reply_due_at(NIGHT, bj(7, 1, 0)) == bj(7, 1, 1)  # inside (after midnight)
    assert reply_due_at(NIGHT, bj(7, 21, 0)) == bj(7, 21, 1)
    assert reply_due_at(NIGHT, bj(7, 12, 0)) == bj(7, 20, 1)  # outside: tonight at 20:00


def test_no_rule_or_nobody_waiting_has_no_deadline():
    assert reply_due_at(None, bj(7, 10)) is None
    assert reply_due_at(TB, None) is None


def test_the_highlight_escalates_as_the_deadline_nears():
    due = bj(7, 10, 3)
    assert clock_state(None, 180, due) is ClockState.NONE
    assert clock_state(due, 180, bj(7, 10, 0, 30)) is ClockState.CALM  # 150 s left
    assert clock_state(due, 180, bj(7, 10, 1, 40)) is ClockState.SOON  # 80 s left
    assert clock_state(due, 180, bj(7, 10, 2, 40)) is ClockState.URGENT  # 20 s left
    assert clock_state(due, 180, due) is ClockState.OVERDUE
    assert clock_state(bj(8, 8, 3), 180, bj(7, 23, 30)) is ClockState.PENDING  # overnight


# -- the SQL twin -------------------------------------------------------------------------------
def _add_shop(db, shop_id: int, platform: str) -> None:
    with db.begin() as conn:
        conn.execute(Shop.__table__.insert().values(
            id=shop_id, platform=platform, platform_shop_id=f"s{shop_id}", name=f"店{shop_id}",
            color="#000", enabled=True, settings_json="{}", secret_ref="", health="connecting",
            health_detail=""))


def _event(i: int, conv: str, at_ms: int, direction: Direction = Direction.IN) -> MessageEvent:
    return MessageEvent(
        platform_msg_id=f"m{conv}{i}", conversation_id=conv, buyer_id=f"b{conv}",
        buyer_nick=f"买家{conv}", direction=direction, sender="x", kind=MessageKind.TEXT,
        text=f"消息{i}", sent_at=datetime.fromtimestamp(at_ms / 1000, timezone.utc))


def test_sorting_by_deadline_is_the_python_rule_in_sql(db, shop):  # noqa: F811
    """Shop 1 counts 08:00–23:00, shop 2 always, shop 3 20:00–02:00 (past midnight), shop 4
    has no rule: overnight buyers of shop 1 sink below shop 2's, waiting chats without a
    rule follow; the SQL order is exactly the order of reply_due_at."""
    for extra in (2, 3, 4):
        _add_shop(db, extra, "fake")
    arrivals = {1: [bj(7, 23, 30), bj(7, 10, 0), bj(8, 7, 59), bj(7, 22, 59, 30)],
                2: [bj(7, 23, 40), bj(7, 10, 1), bj(8, 5, 0)],
                3: [bj(7, 12, 0), bj(8, 1, 30), bj(7, 21, 0), bj(8, 2, 0)],
                4: [bj(7, 9, 0)]}
    ing = Ingestor(db)
    for shop_id, times in arrivals.items():
        ing.ingest_messages(shop_id, "fake", [_event(0, f"{shop_id}-{k}", t)
                                              for k, t in enumerate(times)])
    ing.ingest_messages(1, "fake", [_event(1, "answered", bj(7, 9, 0)),
                                    _event(2, "answered", bj(7, 9, 1), Direction.OUT)])
    rules = {1: TB, 2: DY, 3: NIGHT}
    flt = InboxFilter(state=InboxState.ALL, sort="deadline")
    ids = queries.conversation_ids(db, flt, deadlines=rules, now=bj(8, 9, 0))
    with db.connect() as conn:
        rows = conn.execute(select(clocks.conversations_table.c.id,
                                   clocks.conversations_table.c.shop_id,
                                   clocks.conversations_table.c.waiting_since)).all()
    due = {r.id: reply_due_at(rules.get(r.shop_id), r.waiting_since) for r in rows}
    waiting = {r.id: r.waiting_since for r in rows}
    expected = sorted(due, key=lambda i: (waiting[i] is None, due[i] is None, due[i] or 0,
                                          waiting[i] or 0, i))
    assert ids == expected
    assert [due[i] for i in ids[:3]] == [bj(7, 10, 3), bj(7, 10, 4), bj(7, 20, 1)]
    assert due[ids[-2]] is None and waiting[ids[-2]] is not None  # shop 4: no rule
    assert waiting[ids[-1]] is None  # answered: last
    # the default order is untouched: longest wait first
    assert queries.conversation_ids(db, InboxFilter(), deadlines=rules)[0] == \
        min((w, i) for i, w in waiting.items() if w is not None)[1]


def test_conversation_rows_carry_the_deadline(db, shop):  # noqa: F811
    from dataclasses import replace

    from fakes import FakeAdapter

    from desktop.core.registry import Registry

    timed = type("Timed", (FakeAdapter,), {"info": replace(FakeAdapter.info, reply_deadline=TB)})
    Ingestor(db).ingest_messages(shop, "fake", [_event(0, "a", bj(7, 23, 30))])
    cid = queries.conversation_ids(db, InboxFilter())[0]
    row = queries.conversation_rows(db, Registry.of(timed), [cid])[cid]
    assert (row.reply_due_at, row.reply_window_s) == (bj(8, 8, 3), 180)
    bare = queries.conversation_rows(db, Registry.of(FakeAdapter), [cid])[cid]
    assert (bare.reply_due_at, bare.reply_window_s) == (None, 0)


# -- response times ---------------------------------------------------------------------------------
def _responses(db):
    r = response_times_table.c
    with db.connect() as conn:
        return conn.execute(select(r.conversation_id, r.seat_id, r.waited_from, r.answered_at,
                                   r.first_reply).order_by(r.id)).all()


def test_a_human_answer_records_the_wait_an_automatic_line_does_not(db, shop):  # noqa: F811
    now = now_ms()
    Ingestor(db).ingest_messages(shop, "fake", [_event(0, "a", now - 40 * SEC)])
    cid = queries.conversation_ids(db, InboxFilter())[0]
    with db.begin() as conn:
        outbox.queue_send_in(conn, cid, "您好，欢迎光临～", "", None, origin="welcome", now=now - 39 * SEC)
    row = queries.conversation_rows(db, clocks_registry(), [cid])[cid]
    assert row.waiting_since == now - 40 * SEC  # the auto-reply is not the answer
    assert _responses(db) == []
    with db.connect() as conn:
        origin = conn.execute(select(messages_table.c.origin).where(
            messages_table.c.direction == "out")).scalar_one()
    assert origin == "welcome"

    outbox.queue_send(db, cid, "在的亲，有货", "小王", seat_id=7)
    (resp,) = _responses(db)
    assert (resp.seat_id, resp.waited_from, bool(resp.first_reply)) == (7, now - 40 * SEC, True)
    assert queries.conversation_rows(db, clocks_registry(), [cid])[cid].waiting_since is None

    # the buyer asks again a minute later: an answer, but not the reception's first
    with db.begin() as conn:
        conn.execute(update(clocks.conversations_table).values(waiting_since=now + MIN))
    outbox.queue_send(db, cid, "XL 的", "小王", seat_id=7)
    assert [bool(r.first_reply) for r in _responses(db)] == [True, False]


def test_a_reception_opens_after_half_an_hour_of_silence(db, shop):  # noqa: F811
    base = now_ms() - 3 * 3600 * SEC
    Ingestor(db).ingest_messages(shop, "fake", [
        _event(0, "a", base), _event(1, "a", base + MIN, Direction.OUT),
        _event(2, "a", base + 10 * MIN), _event(3, "a", base + 11 * MIN, Direction.OUT),
        _event(4, "a", base + 50 * MIN)])
    cid = queries.conversation_ids(db, InboxFilter())[0]
    with db.connect() as conn:
        assert clocks.opens_reception(conn, cid, base)
        assert not clocks.opens_reception(conn, cid, base + 10 * MIN)
        assert clocks.opens_reception(conn, cid, base + 50 * MIN)


def clocks_registry():
    from fakes import FakeAdapter

    from desktop.core.registry import Registry

    return Registry.of(FakeAdapter)


def test_response_stats_per_seat_and_shop_count_from_the_clocks_start(db, shop):  # noqa: F811
    """Shop 1 (08:00–23:00): a 23:30 message answered at 08:01 waited 60 s on the
    platform's clock and was in time; a 10:00 one answered at 10:05 was late."""
    _add_shop(db, 2, "fake")
    with db.begin() as conn:
        conn.execute(response_times_table.insert(), [
            {"conversation_id": 1, "shop_id": 1, "seat_id": 7, "waited_from": bj(7, 23, 30),
             "answered_at": bj(8, 8, 1), "first_reply": True},
            {"conversation_id": 2, "shop_id": 1, "seat_id": 7, "waited_from": bj(8, 10, 0),
             "answered_at": bj(8, 10, 5), "first_reply": False},
            {"conversation_id": 3, "shop_id": 2, "seat_id": 7, "waited_from": bj(8, 3, 0),
             "answered_at": bj(8, 3, 0, 20), "first_reply": True},
            {"conversation_id": 4, "shop_id": 1, "seat_id": 8, "waited_from": bj(8, 9, 0),
             "answered_at": bj(8, 9, 0, 30), "first_reply": True},
            {"conversation_id": 5, "shop_id": 1, "seat_id": 8, "waited_from": bj(6, 9, 0),
             "answered_at": bj(6, 9, 0, 30), "first_reply": True},  # before the period
        ])
    stats = clocks.response_stats(db, {1: TB}, bj(7, 0), bj(9, 0), now=bj(8, 12))
    by = {(s.seat_id, s.shop_id): s for s in stats}
    seven = by[(7, 1)]
    assert (seven.first_replies, seven.first_avg_s) == (1, 60.0)
    assert (seven.replies, seven.avg_s) == (2, (60 + 300) / 2)
    assert (seven.timed, seven.in_time, seven.in_time_rate) == (2, 1, 0.5)
    other_shop = by[(7, 2)]
    assert (other_shop.first_avg_s, other_shop.timed) == (20.0, 0)  # no rule there
    assert by[(8, 1)].replies == 1  # the answer before the period is left out
    both = ResponseStatRow.total([seven, other_shop], 7, "小王")
    assert (both.first_replies, both.first_avg_s, both.replies) == (2, 40.0, 3)


@pytest.mark.parametrize("name", ["Asia/Shanghai", "Nowhere/Atlantis"])
def test_a_zone_missing_from_the_tz_database_falls_back_to_beijing_time(name):
    assert clocks.zone(name).utcoffset(datetime(2026, 7, 1)) == timedelta(hours=8)
