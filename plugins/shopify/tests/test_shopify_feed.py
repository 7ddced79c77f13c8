"""The order cursor: what it stores, how windows open, end, rebase and keep fingerprints."""

from __future__ import annotations

import pytest

from desktop.sdk import Temporary
from plugins.shopify import feed
from plugins.shopify.feed import OrderCursor


def test_dump_and_load_round_trip() -> None:
    cursor = OrderCursor(start=100, end=200, after="eyJsYXN0X2lkIjo1fQ==", pages=3, seen={"5": ("ab", 150)})
    assert OrderCursor.load(cursor.dump()) == cursor
    assert OrderCursor.load(OrderCursor(start=7).dump()) == OrderCursor(start=7)


@pytest.mark.parametrize("text", [
    "not json", "[]", '{"v":2,"s":1,"p":0}', '{"v":1,"s":"1","p":0}', '{"v":1,"s":1}',
    '{"v":1,"s":10,"e":5,"p":0}', '{"v":1,"s":1,"p":0,"a":5}', '{"v":1,"s":1,"p":0,"seen":{"1":["x"]}}',
    '{"v":1,"s":1,"p":-1}',
])
def test_bad_cursors_are_temporary(text: str) -> None:
    with pytest.raises(Temporary, match="unreadable Shopify order cursor"):
        OrderCursor.load(text)


def test_a_window_opens_at_now_and_never_backwards() -> None:
    assert OrderCursor(start=100).opened(500) == OrderCursor(start=100, end=500)
    assert OrderCursor(start=100).opened(50).end == 100  # the clock stepped back
    open_window = OrderCursor(start=100, end=300, after="c", pages=2)
    assert open_window.opened(900) is open_window


def test_window_done_at_the_live_edge_keeps_the_overlap() -> None:
    at = OrderCursor(start=100, end=1000, seen={"old": ("f0", 120)})
    done = at.window_done({"a": ("f1", 990), "b": ("f2", 500)}, overlap_s=120, now=1000)
    assert done == OrderCursor(start=880, seen={"a": ("f1", 990)})


def test_a_past_window_moves_on_to_its_end() -> None:
    at = OrderCursor(start=100, end=1000)
    done = at.window_done({"a": ("f1", 1000), "b": ("f2", 999)}, overlap_s=120, now=5000)
    assert done == OrderCursor(start=1000, seen={"a": ("f1", 1000)})


def test_next_page_and_rebase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed, "REBASE_PAGES", 3)
    monkeypatch.setattr(feed, "REBASE_MARGIN_S", 50)
    at = OrderCursor(start=100, end=1000)
    one = at.next_page("c1", {"a": ("f", 200)}, 200)
    assert (one.after, one.pages, one.start) == ("c1", 1, 100)
    two = one.next_page("c2", {"b": ("g", 300)}, 300)
    assert (two.after, two.pages) == ("c2", 2)
    rebased = two.next_page("c3", {"c": ("h", 400)}, 400)
    assert (rebased.start, rebased.end, rebased.after, rebased.pages) == (350, 1000, None, 0)
    assert rebased.seen == {"c": ("h", 400)}  # what lies from the new start on
    # the pages all within the margin of the start: no rebase (it would not move), keep paging
    stuck = OrderCursor(start=400, end=1000, pages=2).next_page("c9", {"d": ("i", 450)}, 450)
    assert (stuck.start, stuck.after, stuck.pages) == (400, "c9", 3)


def test_fingerprints_tell_changed_orders(monkeypatch: pytest.MonkeyPatch) -> None:
    at = OrderCursor(start=1, seen={"a": ("f1", 5)})
    assert not at.is_new("a", "f1") and at.is_new("a", "f2") and at.is_new("b", "f1")
    monkeypatch.setattr(feed, "SEEN_MAX", 2)
    done = OrderCursor(start=1, end=10).window_done({"x": ("1", 7), "y": ("2", 9), "z": ("3", 8)}, 100, 10)
    assert done.seen == {"z": ("3", 8), "y": ("2", 9)}  # the newest two
