"""The 咚咚 chat-log feed against the fake: buyers from sessionlist, lines from chatlog, paging,
windows, resume, and a shop whose authorization lacks the chat APIs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from plugins.jd.tests.jd_harness import START, Clock, Harness

from desktop.sdk import Direction, MessageEvent, Rejected
from plugins.jd.adapter import JdAdapter
from plugins.jd.fake import JdFake
from plugins.jd.fakestore import FakeSession
from plugins.jd.mapping import message_id
from plugins.jd.protocol import CHATLOG_GET, SESSIONLIST_GET, parse_time


def drain(jd: Harness, cursor: str | None = None, **settings: object) -> tuple[list[MessageEvent], str | None]:
    async def use(adapter: JdAdapter) -> tuple[list[MessageEvent], str | None]:
        events: list[MessageEvent] = []
        at = cursor
        for _ in range(300):
            page = await adapter.fetch_messages(at)
            events.extend(page.events)
            at = page.next_cursor
            if not page.has_more:
                return events, at
        raise AssertionError("the message feed did not end")
    result: tuple[list[MessageEvent], str | None] = jd.call(use, **settings)
    return result


def calls(fake: JdFake, method: str) -> list[dict[str, Any]]:
    return [params for m, params in fake.calls if m == method]


def session(fake: JdFake, customer: str, lines: int, at: timedelta) -> list[str]:
    """A session of `lines` alternating lines ending `at` before START; → the buyer lines' ids."""
    base = int((START - at).timestamp() * 1000) - lines * 1000
    s = FakeSession(sid=f"sid-{customer}-{int(at.total_seconds())}", customer=customer, waiter="小美", sku_id=100012043978)
    with fake.lock:
        for i in range(lines):
            s.lines.append((base + i * 1000, i % 2 == 1, f"第{i}句"))
        fake.shop.sessions.append(s)
    return [message_id(s.sid, customer, t, False, text) for t, seat, text in s.lines if not seat]


def test_buyer_and_seat_lines_come_through_with_aware_times(jd: Harness, jd_fake: JdFake) -> None:
    ids = jd_fake.add_messages(5)
    events, _ = drain(jd)
    assert set(ids) <= {e.platform_msg_id for e in events}
    assert {e.direction for e in events} == {Direction.IN, Direction.OUT}
    for e in events:
        assert e.sent_at.tzinfo is not None and e.conversation_id == e.buyer_id
        assert (e.sender == e.buyer_id) == (e.direction is Direction.IN)
    assert len({e.platform_msg_id for e in events}) == len(events) == 10


def test_many_buyers_and_long_chats_page_through(jd: Harness, jd_fake: JdFake) -> None:
    wanted: list[str] = []
    for i in range(25):  # more buyers than one session page holds
        wanted += session(jd_fake, f"buyer{i:02d}", 3, timedelta(minutes=30 + i))
    wanted += session(jd_fake, "talkative", 45, timedelta(minutes=5))  # three chat-log pages
    events, _ = drain(jd)
    got = [e.platform_msg_id for e in events]
    assert set(wanted) <= set(got) and len(got) == len(set(got)) == 25 * 3 + 45
    assert [p["page"] for p in calls(jd_fake, SESSIONLIST_GET)] == ["1", "2"]
    assert [p["page"] for p in calls(jd_fake, CHATLOG_GET) if p["customer"] == "talkative"] == ["1", "2", "3"]
    for p in calls(jd_fake, CHATLOG_GET):
        assert parse_time(p["endTime"]) - parse_time(p["startTime"]) <= timedelta(days=1)
        assert p["pageSize"] == "20"


def test_history_rolls_day_windows_and_resumes(jd: Harness, jd_fake: JdFake, clock: Clock) -> None:
    old = session(jd_fake, "old_buyer", 4, timedelta(hours=40))
    new = session(jd_fake, "new_buyer", 4, timedelta(hours=2))
    events, cursor = drain(jd, chat_history_hours=48)
    assert set(old) | set(new) <= {e.platform_msg_id for e in events}
    assert len({(p["startTime"], p["endTime"]) for p in calls(jd_fake, CHATLOG_GET)}) == 2
    clock.advance(minutes=5)
    later = jd_fake.add_messages(3)
    again, _ = drain(jd, cursor)
    ids = {e.platform_msg_id for e in again}
    assert set(later) <= ids and not ids & (set(old) | set(new))


def test_sessions_are_looked_up_an_hour_before_the_window_within_a_days_span(
        jd: Harness, jd_fake: JdFake, clock: Clock) -> None:
    _, cursor = drain(jd, chat_history_hours=24)
    first = calls(jd_fake, SESSIONLIST_GET)[0]
    assert parse_time(first["endTime"]) - parse_time(first["startTime"]) == timedelta(days=1)
    clock.advance(minutes=10)
    drain(jd, cursor)
    live = calls(jd_fake, SESSIONLIST_GET)[-1]
    assert parse_time(live["startTime"]) == START - timedelta(seconds=60) - timedelta(hours=1)
    assert parse_time(live["endTime"]) == START + timedelta(minutes=10)


def test_without_chat_permission_the_feed_is_refused_and_orders_go_on(jd: Harness, jd_fake: JdFake) -> None:
    jd_fake.add_orders(3)
    jd_fake.add_messages(2)
    jd_fake.deny_chat()
    with pytest.raises(Rejected) as raised:
        drain(jd)
    assert "咚咚聊天记录" in raised.value.reason and "订单同步不受影响" in raised.value.reason
    assert "code 24" in raised.value.reason
    pages, _ = jd.drain_orders()
    assert sum(len(p.events) for p in pages) == 3
    jd_fake.deny_chat(False)
    assert drain(jd)[0]
