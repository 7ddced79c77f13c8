"""The cursors: windows never longer than JD allows, exact resume, the overlap's fingerprints."""

from __future__ import annotations

import pytest

from desktop.sdk import Temporary
from plugins.jd.feeds import (
    CHAT_WINDOW_MAX_S,
    MIN_WINDOW_S,
    ORDER_WINDOW_MAX_S,
    SEEN_MAX,
    ChatCursor,
    OrderCursor,
    more_pages,
)

NOW = 1_714_528_800  # 2024-05-01 10:00:00 +0800


def test_order_windows_are_at_most_28_days_and_never_pass_now() -> None:
    first = OrderCursor.initial(NOW, 60 * 86400).opened(NOW)
    assert first.end is not None and first.end - first.start == ORDER_WINDOW_MAX_S == 28 * 86400
    recent = OrderCursor(start=NOW - 10).opened(NOW)
    assert recent.end == NOW
    ahead = OrderCursor(start=NOW + 50).opened(NOW)  # a clock that went back
    assert ahead.end == ahead.start


def test_order_cursor_round_trips() -> None:
    cursor = OrderCursor(start=NOW - 100, end=NOW, page=3, width=3600, seen={"1": ("abc", NOW - 5)})
    assert OrderCursor.load(cursor.dump()) == cursor


def test_halving_stops_at_a_minute() -> None:
    at = OrderCursor(start=NOW - 1000).opened(NOW)
    half = at.halved()
    assert half is not None and half.end == NOW - 1000 + 500 and half.width == 500
    tiny = OrderCursor(start=NOW - MIN_WINDOW_S, end=NOW)
    assert tiny.halved() is None


def test_window_done_overlaps_and_keeps_only_the_overlaps_fingerprints() -> None:
    at = OrderCursor(start=NOW - 3600, end=NOW, width=3600, seen={"old": ("f0", NOW - 3000)})
    done = at.window_done({"a": ("f1", NOW - 30), "b": ("f2", NOW - 200)}, overlap_s=60, now=NOW)
    assert done.start == NOW - 60 and done.end is None and done.page == 1
    assert done.seen == {"a": ("f1", NOW - 30)}
    assert done.width == min(ORDER_WINDOW_MAX_S, 7200)


def test_the_overlap_never_reaches_before_the_window() -> None:
    at = OrderCursor(start=NOW - 10, end=NOW)
    assert at.window_done({}, overlap_s=60, now=NOW).start == NOW - 10


def test_a_past_window_resumes_at_its_end_second_so_halving_always_progresses() -> None:
    at = OrderCursor(start=NOW - 7200, end=NOW - 3600)
    assert at.window_done({}, overlap_s=60, now=NOW).start == NOW - 3600
    near = OrderCursor(start=NOW - 100, end=NOW - 50)
    assert near.window_done({}, overlap_s=60, now=NOW).start == NOW - 60


def test_seen_is_bounded() -> None:
    delivered = {str(i): ("f", NOW) for i in range(SEEN_MAX + 50)}
    done = OrderCursor(start=NOW - 10, end=NOW).window_done(delivered, overlap_s=60, now=NOW)
    assert len(done.seen) == SEEN_MAX


@pytest.mark.parametrize("text", ["", "nope", "[]", '{"v":2}', '{"v":1,"s":"x","e":null,"p":1,"w":1}',
                                  '{"v":1,"s":1,"e":null,"p":0,"w":1}', '{"v":1,"s":1,"e":null,"p":1,"w":1,"seen":{"a":1}}'])
def test_bad_order_cursors_are_temporary(text: str) -> None:
    with pytest.raises(Temporary, match="cursor"):
        OrderCursor.load(text)


def test_chat_cursor_round_trips_and_windows_are_a_day() -> None:
    at = ChatCursor.initial(NOW, 3 * 86400).opened(NOW)
    assert at.end is not None and at.end - at.start == CHAT_WINDOW_MAX_S
    moved = at.with_customers(["买家甲", "b"], more_sessions=True).next_customer().next_chat_page()
    assert ChatCursor.load(moved.dump()) == moved
    assert moved.window_done(60, now=at.end) == ChatCursor(start=at.end - 60)


@pytest.mark.parametrize("text", ['{"v":1,"s":1,"e":2,"sp":1,"cs":["a"],"ci":1,"cp":1}',
                                  '{"v":1,"s":1,"e":2,"sp":1,"cs":"a","ci":0,"cp":1}',
                                  '{"v":1,"s":1,"e":2,"sp":1,"cs":null,"ci":0,"cp":1,"ms":"yes"}'])
def test_bad_chat_cursors_are_temporary(text: str) -> None:
    with pytest.raises(Temporary):
        ChatCursor.load(text)


def test_more_pages() -> None:
    assert more_pages(1, 100, 101, 100)
    assert not more_pages(2, 100, 101, 1)
    assert not more_pages(1, 20, 1, 30)  # a total that counts sessions, not lines
    assert not more_pages(1, 100, 500, 0)  # an empty page ends it whatever the total says
