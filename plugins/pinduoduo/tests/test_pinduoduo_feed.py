"""The order feed's cursor and window/paging rules, as pure functions."""

from __future__ import annotations

import pytest

from plugins.pinduoduo.feed import FeedState, decode, encode, fingerprint, last_page, step, window

T0 = 1_714_528_800


def test_the_cursor_round_trips() -> None:
    state = FeedState(T0, T0 + 1800, 3, 10, {"240501-1": "aa"}, {"240501-2": "bb"})
    assert decode(encode(state)) == state
    fresh = FeedState(T0)
    assert decode(encode(fresh)) == fresh


@pytest.mark.parametrize("cursor", [
    "", "garbage", "[]", '{"v": 2, "s": 1, "e": null, "p": null, "a": {}, "b": {}}',
    '{"v": 1, "s": "1", "e": null, "p": null, "a": {}, "b": {}}',
    '{"v": 1, "s": 1, "e": 5, "p": null, "a": {}, "b": {}}',
    '{"v": 1, "s": 9, "e": 5, "p": 1, "a": {}, "b": {}}',
    '{"v": 1, "s": 1, "e": 5, "p": 0, "z": 10, "a": {}, "b": {}}',
    '{"v": 1, "s": 1, "e": 5, "p": 2, "a": {}, "b": {}}',
    '{"v": 1, "s": 1, "e": 5, "p": 2, "z": 0, "a": {}, "b": {}}',
    '{"v": 1, "s": true, "e": null, "p": null, "a": {}, "b": {}}',
    '{"v": 1, "s": 1, "e": null, "p": null, "a": {"x": 1}, "b": {}}',
])
def test_foreign_cursors_are_not_understood(cursor: str) -> None:
    assert decode(cursor) is None


@pytest.mark.parametrize(("start", "now", "expected"), [
    (T0, T0 + 7200, (T0, T0 + 1800, 1, 100)),  # at most 30 minutes
    (T0, T0 + 1800, (T0, T0 + 1800, 1, 100)),
    (T0, T0 + 42, (T0, T0 + 42, 1, 100)),  # never past now
    (T0, T0, (T0, T0, 1, 100)),
    (T0, T0 - 5, (T0, T0, 1, 100)),  # a clock that stepped back: an empty-span window, not a negative one
])
def test_windows_are_at_most_30_minutes_and_end_by_now(start: int, now: int,
                                                        expected: tuple[int, int, int, int]) -> None:
    assert window(FeedState(start), now, 100) == expected


def test_a_window_in_progress_keeps_its_end_page_and_page_size() -> None:
    assert window(FeedState(T0, T0 + 600, 4, 10), T0 + 99_999, 100) == (T0, T0 + 600, 4, 10)


@pytest.mark.parametrize(("total", "size", "pages"), [(0, 100, 1), (1, 100, 1), (100, 100, 1), (101, 100, 2),
                                                      (23, 10, 3), (30, 10, 3)])
def test_last_page(total: int, size: int, pages: int) -> None:
    assert last_page(total, size) == pages


def test_a_window_is_read_page_1_then_backwards_from_the_last() -> None:
    now = T0 + 7200
    state, end = FeedState(T0, seen_at_start={"a": "1"}), T0 + 1800
    pages = []
    more = True
    while state.start == T0 and more:
        start, end, page, size = window(state, now, 10)
        pages.append(page)
        state, more = step(state, end, page, 23, size, {}, now)
    assert pages == [1, 3, 2, 1]
    assert state == FeedState(T0 + 1800) and more  # next window, more to read now


def test_a_window_that_fits_one_page_takes_one_call() -> None:
    state, more = step(FeedState(T0), T0 + 1800, 1, 7, 10, {"o": "f"}, T0 + 1800)
    assert state == FeedState(T0 + 1800, seen_at_start={"o": "f"}) and not more  # caught up with now


def test_orders_seen_at_the_window_end_are_gathered_across_its_pages() -> None:
    now = T0 + 10
    state, more = step(FeedState(T0, seen_at_start={"old": "0"}), T0 + 10, 1, 25, 10, {"a": "1"}, now)
    assert state.seen_at_end == {"a": "1"} and state.seen_at_start == {"old": "0"} and more
    state, _ = step(state, T0 + 10, 3, 25, 10, {"b": "2"}, now)
    state, _ = step(state, T0 + 10, 2, 25, 10, {}, now)
    state, more = step(state, T0 + 10, 1, 25, 10, {"a": "3"}, now)
    assert state == FeedState(T0 + 10, seen_at_start={"a": "3", "b": "2"}) and not more


def test_fingerprints_tell_a_change_from_a_re_read() -> None:
    one = {"order_sn": "x", "order_status": 1, "updated_at": "2024-05-01 10:00:00"}
    assert fingerprint(one) == fingerprint(dict(reversed(list(one.items()))))
    assert fingerprint(one) != fingerprint({**one, "order_status": 2})
