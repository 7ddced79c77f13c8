"""The order cursor as pure data: the request it asks for and where it resumes after a page."""

from __future__ import annotations

import pytest

from desktop.sdk import Temporary
from plugins.woocommerce.feed import SEEN_MAX, OrderCursor, OutOfWindow, check_in_window, page_has_more

T = 1_714_528_800  # 2024-05-01T02:00:00Z
NOW = T + 3600
OVERLAP = 300


def test_the_request_is_page_one_of_modified_at_or_after_a() -> None:
    assert OrderCursor(T).query(50) == {
        "modified_after": "2024-05-01T01:59:59",  # WordPress's `after` is exclusive
        "dates_are_gmt": "true", "orderby": "modified", "order": "asc", "per_page": "50", "page": "1",
    }


def test_a_tie_reads_second_a_alone_past_what_was_delivered() -> None:
    at = OrderCursor(T, {"12": ("f", T), "9": ("f", T), "3": ("f", T - 1)}, tie=True)
    query = at.query(3)
    assert query["modified_after"] == "2024-05-01T01:59:59" and query["modified_before"] == "2024-05-01T02:00:01"
    assert query["exclude"] == "9,12" and query["page"] == "1"


def test_round_trip_and_bad_cursors() -> None:
    at = OrderCursor(T, {"7": ("abc", T)}, tie=True)
    assert OrderCursor.load(at.dump()) == at
    for bad in ("", "[]", '{"v":2,"a":1}', '{"v":1,"a":"x"}', '{"v":1,"a":1,"seen":{"7":["abc"]}}',
                '{"v":1,"a":1,"tie":"no"}', '{"v":1,"a":-5}'):
        with pytest.raises(Temporary, match="unreadable WooCommerce order cursor"):
            OrderCursor.load(bad)


def test_initial_reads_the_history() -> None:
    assert OrderCursor.initial(NOW, 86400).since == NOW - 86400


def test_a_full_page_moves_a_to_its_last_order() -> None:
    at = OrderCursor(T)
    after, more = at.advance([("1", "a", T), ("2", "b", T + 5), ("3", "c", T + 5)], True, NOW, OVERLAP)
    assert more and after.since == T + 5 and not after.tie
    assert after.seen == {"2": ("b", T + 5), "3": ("c", T + 5)}, "only what lies at or after A is kept"


def test_a_full_page_within_one_second_is_a_tie() -> None:
    after, more = OrderCursor(T).advance([("1", "a", T), ("2", "b", T)], True, NOW, OVERLAP)
    assert more and after.tie and after.since == T and set(after.seen) == {"1", "2"}


def test_a_tie_goes_on_then_moves_to_the_next_second() -> None:
    at = OrderCursor(T, {"1": ("a", T)}, tie=True)
    going, more = at.advance([("2", "b", T)], True, NOW, OVERLAP)
    assert more and going.tie and set(going.seen) == {"1", "2"}
    done, more = going.advance([("3", "c", T)], False, NOW, OVERLAP)
    assert more and not done.tie and done.since == T + 1 and done.seen == {}


def test_a_tie_at_the_live_edge_waits_there() -> None:
    at = OrderCursor(NOW - 10, {"1": ("a", NOW - 10)}, tie=True)
    done, more = at.advance([], False, NOW, OVERLAP)
    assert not more and not done.tie and done.since == NOW - 10 and "1" in done.seen


def test_caught_up_keeps_the_overlap_and_never_passes_the_newest_order() -> None:
    old = OrderCursor(T)
    after, more = old.advance([("1", "a", T + 10)], False, NOW, OVERLAP)
    assert not more and after.since == T + 10, "the newest order seen bounds A (site clock behind ours)"
    recent, _ = old.advance([("1", "a", NOW - 5)], False, NOW, OVERLAP)
    assert recent.since == NOW - OVERLAP and recent.seen == {"1": ("a", NOW - 5)}
    empty, more = old.advance([], False, NOW, OVERLAP)
    assert not more and empty.since == T
    assert OrderCursor(NOW).advance([], False, NOW, OVERLAP)[0].since == NOW, "A never goes back"


def test_a_changed_order_is_new_an_unchanged_one_is_not() -> None:
    at = OrderCursor(T, {"1": ("a", T)})
    assert not at.is_new("1", "a") and at.is_new("1", "b") and at.is_new("2", "a")


def test_the_kept_fingerprints_are_bounded() -> None:
    listed = [(str(i), "f", T + i) for i in range(SEEN_MAX + 10)]
    after, _ = OrderCursor(T).advance(listed, False, T + SEEN_MAX + 10, 3 * 3600)  # all in the overlap
    assert len(after.seen) == SEEN_MAX and "0" not in after.seen, "the oldest go first"


def test_paging_headers_decide_more_else_a_full_page_does() -> None:
    assert page_has_more(2, 50, 50) and not page_has_more(1, 50, 50) and not page_has_more(0, 0, 50)
    assert page_has_more(None, 50, 50) and not page_has_more(None, 49, 50)


def test_orders_outside_the_window_are_caught() -> None:
    check_in_window(OrderCursor(T), [("1", "a", T), ("2", "b", T + 9)])
    with pytest.raises(OutOfWindow, match="order 1 modified at 2024-05-01T01:59:00"):
        check_in_window(OrderCursor(T), [("1", "a", T - 60)])
    with pytest.raises(OutOfWindow):
        check_in_window(OrderCursor(T, tie=True), [("2", "b", T + 1)])
