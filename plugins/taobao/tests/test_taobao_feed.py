"""Pure window and cursor arithmetic of the increment feed (spec 2.5)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.sdk import Rejected
from plugins.taobao.feed import MAX_PRINTS, MODE_DESC, MODE_NEXT, Cursor, Query, advance, plan
from plugins.taobao.protocol import CHINA_TZ, HISTORY_MAX, WINDOW_MAX

NOW = datetime(2024, 5, 1, 10, 0, 0, tzinfo=CHINA_TZ)
S = timedelta(seconds=1)
HALF_HOUR = timedelta(minutes=30)


def first_plan(cursor: Cursor, now: datetime = NOW, window: timedelta = HALF_HOUR, page_size: int = 40,
               use_has_next: bool = False) -> tuple[Cursor, Query | None]:
    return plan(cursor, now, window=window, page_size=page_size, use_has_next=use_has_next)


def test_a_window_starts_one_second_before_the_cursor_and_spans_the_window() -> None:
    start = NOW - timedelta(hours=2)
    cursor, query = first_plan(Cursor(start=start))
    assert query == Query(start - S, start - S + HALF_HOUR, 1, 40, False)
    assert cursor.mode == MODE_DESC and cursor.size == 40


def test_the_last_window_ends_at_now_even_inside_the_current_second() -> None:
    _, query = first_plan(Cursor(start=NOW - timedelta(minutes=5)))
    assert query is not None and query.end == NOW
    _, query = first_plan(Cursor(start=NOW))
    assert query is not None and (query.start, query.end) == (NOW - S, NOW)  # end > start holds


def test_no_query_when_the_clock_is_behind_the_cursor() -> None:
    cursor = Cursor(start=NOW + S)
    assert first_plan(cursor) == (cursor, None)


def test_windows_never_exceed_one_day() -> None:
    _, query = first_plan(Cursor(start=NOW - timedelta(days=5)), window=WINDOW_MAX)
    assert query is not None and query.end - query.start == WINDOW_MAX


def test_a_cursor_older_than_three_months_is_clamped() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(days=200), seen=("abc",)))
    assert cursor.start == NOW - HISTORY_MAX and cursor.seen == ()
    assert query is not None and query.start == NOW - HISTORY_MAX - S


def test_has_next_mode_is_chosen_per_window() -> None:
    cursor, query = first_plan(Cursor(start=NOW - HALF_HOUR), use_has_next=True)
    assert cursor.mode == MODE_NEXT and query is not None and query.use_has_next


def test_a_single_page_window_completes_and_hands_over_its_edge() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(hours=1)))
    assert query is not None
    reported = [(query.end, "aaa"), (query.end - S, "bbb"), (query.end - 2 * S, "ccc")]
    after, more = advance(cursor, query, NOW, reported=reported, total_results=3)
    assert after == Cursor(start=query.end, mode=MODE_DESC, seen=("aaa", "bbb"))  # only the last two seconds
    assert more  # not caught up with now yet


def test_the_window_that_reaches_now_ends_the_pages() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(minutes=1)))
    assert query is not None
    after, more = advance(cursor, query, NOW, reported=[], total_results=0)
    assert after.start == NOW and not more


def test_a_multi_page_window_is_read_from_the_last_page_back_to_the_first() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(hours=1), seen=("old",)))
    assert query is not None
    pages = [query.page_no]
    cursor, more = advance(cursor, query, NOW, reported=[(query.end, "p1")], total_results=95)
    while more and cursor.end is not None:
        cursor, query = first_plan(cursor)
        assert query is not None
        pages.append(query.page_no)
        cursor, more = advance(cursor, query, NOW, reported=[(query.end, f"p{query.page_no}")])
    assert pages == [1, 3, 2, 1]
    assert cursor.end is None and cursor.seen == ("p1", "p3", "p2")


def test_has_next_windows_page_forward() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(hours=1)), use_has_next=True)
    assert query is not None
    pages = []
    more = True
    nexts = iter([True, True, False])
    while more:
        assert query is not None
        pages.append(query.page_no)
        cursor, more = advance(cursor, query, NOW, reported=[], has_next=next(nexts))
        if cursor.end is None:
            break
        cursor, query = first_plan(cursor, use_has_next=False)  # a window keeps the mode it began with
    assert pages == [1, 2, 3]


def test_a_mid_window_cursor_keeps_its_window_page_size_and_mode() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(hours=1)), page_size=50)
    assert query is not None
    cursor, _ = advance(cursor, query, NOW, reported=[], total_results=120)
    again = Cursor.load(cursor.dump())
    assert again == cursor
    _, resumed = first_plan(again, now=NOW + timedelta(hours=1), window=timedelta(days=1), page_size=10)
    assert resumed == Query(query.start, query.end, 3, 50, False)


def test_cursor_round_trip_and_garbage() -> None:
    cursor = Cursor(start=NOW, end=NOW + HALF_HOUR, mode=MODE_NEXT, page=2, size=40, seen=("a",), edge=("b",))
    assert Cursor.load(cursor.dump()) == cursor
    for bad in ("nope", "[]", '{"v": 2}', '{"v": 1, "s": "2024-05-01"}',
                cursor.dump().replace('"m":"next"', '"m":"sideways"'), cursor.dump().replace('"p":2', '"p":0')):
        with pytest.raises(Rejected, match="cursor"):
            Cursor.load(bad)


def test_fingerprints_kept_in_a_cursor_are_bounded() -> None:
    cursor, query = first_plan(Cursor(start=NOW - timedelta(minutes=1)))
    assert query is not None
    reported = [(NOW, f"fp{i}") for i in range(MAX_PRINTS + 50)]
    after, _ = advance(cursor, query, NOW, reported=reported, total_results=len(reported))
    assert len(after.edge) == MAX_PRINTS and after.edge[-1] == f"fp{MAX_PRINTS + 49}"
