"""The order feed's windows, backward paging and cursor, on a simulated searchList (no HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.sdk import Rejected, Temporary
from plugins.douyin.feed import EDGE_MAX, FeedConfig, FeedCursor, advance, plan

NOW = 1_718_000_000
CONFIG = FeedConfig(page_size=3, window_s=3600, lookback_s=3 * 3600)


class Shop:
    """order.searchList over a dict of orders: update_time window inclusive, newest first."""

    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.before_reply: list[Any] = []  # callbacks run between "query" and "reply"

    def put(self, order_id: str, update_time: int, status: int = 2) -> None:
        self.orders[order_id] = {"order_id": order_id, "update_time": update_time, "order_status": status}

    def search(self, params: dict[str, object]) -> dict[str, Any]:
        for hook in self.before_reply:
            hook()
        start, end = params["update_time_start"], params["update_time_end"]
        page, size = params["page"], params["size"]
        assert isinstance(page, int) and isinstance(size, int) and isinstance(start, int) and isinstance(end, int)
        rows = sorted((o for o in self.orders.values() if start <= o["update_time"] <= end),
                      key=lambda o: (o["update_time"], o["order_id"]), reverse=True)
        return {"page": page, "size": size, "total": len(rows),
                "shop_order_list": [dict(r) for r in rows[page * size:(page + 1) * size]]}


def drain(shop: Shop, cursor: str | None, now: int, config: FeedConfig = CONFIG, limit: int = 200
          ) -> tuple[list[str], str, list[dict[str, object]]]:
    """Every call until has_more is False → (reported ids in order, cursor, the params sent)."""
    ids: list[str] = []
    sent = []
    for _ in range(limit):
        state, params = plan(cursor, now, config)
        sent.append(params)
        rows, after, more = advance(state, shop.search(params), now, config)
        ids += [r["order_id"] for r in rows]
        cursor = after.encode()
        if not more:
            return ids, cursor, sent
    raise AssertionError("the feed did not end")


def test_first_sync_walks_windows_from_the_lookback_to_now() -> None:
    shop = Shop()
    _, cursor, sent = drain(shop, None, NOW)
    assert [(p["update_time_start"], p["update_time_end"]) for p in sent] == [
        (NOW - 3 * 3600, NOW - 2 * 3600), (NOW - 2 * 3600, NOW - 3600), (NOW - 3600, NOW)]
    assert all(p["order_by"] == "update_time" and p["page"] == 0 and p["size"] == 3 for p in sent)
    assert FeedCursor.decode(cursor).start == NOW


def test_a_window_of_several_pages_is_read_page_0_then_backwards_then_page_0_again() -> None:
    shop = Shop()
    for i in range(8):
        shop.put(f"o{i}", NOW - 100 + i)
    ids, _, sent = drain(shop, None, NOW, FeedConfig(page_size=3, window_s=3600, lookback_s=3600))
    assert [p["page"] for p in sent] == [0, 2, 1, 0]
    assert set(ids) == {f"o{i}" for i in range(8)}


def test_orders_leaving_the_window_while_paging_are_not_lost() -> None:
    """Each page, the newest unread order is updated (leaves the window): reading
    forward would skip rows; reading backward only repeats some."""
    shop = Shop()
    for i in range(12):
        shop.put(f"o{i:02}", NOW - 1000 + i)
    config = FeedConfig(page_size=3, window_s=600, lookback_s=1000)
    now = NOW
    cursor = None
    ids: list[str] = []
    for _ in range(50):
        state, params = plan(cursor, now, config)
        if state.start == NOW - 1000 and state.page is not None:
            # one order of this window (the newest still in it) is updated right now
            inside = sorted((o for o in shop.orders.values() if o["update_time"] <= (state.end or 0)),
                            key=lambda o: o["update_time"])
            inside[-1]["update_time"] = now - 1  # now in the last window, [now - 400, now]
        rows, after, more = advance(state, shop.search(params), now, config)
        ids += [r["order_id"] for r in rows]
        cursor = after.encode()
        if not more:
            break
    assert set(ids) == {f"o{i:02}" for i in range(12)}


def test_late_arrivals_in_a_window_restart_it() -> None:
    shop = Shop()
    for i in range(7):
        shop.put(f"o{i}", NOW - 50 + i)
    config = FeedConfig(page_size=3, window_s=3600, lookback_s=60)
    state, params = plan(None, NOW, config)
    _, after, _ = advance(state, shop.search(params), NOW, config)
    assert after.page == 2 and after.total == 7
    shop.put("late", NOW - 40)  # indexed late, inside the window
    state, params = plan(after.encode(), NOW, config)
    _, after, more = advance(state, shop.search(params), NOW, config)
    assert more and after.page is None and after.total == 8  # planned again from page 0
    ids, _, _ = drain(shop, after.encode(), NOW, config)
    assert "late" in ids


def test_catching_up_does_not_re_read_the_boundary_second_unless_it_changed() -> None:
    shop = Shop()
    for i in range(5):
        shop.put(f"o{i}", NOW)  # all in the very second the first sync ends
    first, cursor, _ = drain(shop, None, NOW)
    assert sorted(first) == [f"o{i}" for i in range(5)]
    shop.put("new", NOW)  # same second, after the first sync's query
    shop.put("o2", NOW, status=3)  # changed in the same second
    again, cursor, sent = drain(shop, cursor, NOW)
    assert sorted(again) == ["new", "o2"]
    assert (sent[0]["update_time_start"], sent[0]["update_time_end"]) == (NOW, NOW)
    third, _, _ = drain(shop, cursor, NOW + 5)
    assert third == []


def test_boundary_memory_is_bounded() -> None:
    shop = Shop()
    for i in range(EDGE_MAX + 20):
        shop.put(f"o{i:04}", NOW)
    config = FeedConfig(page_size=100, window_s=3600, lookback_s=60)
    _, cursor, _ = drain(shop, None, NOW, config)
    assert len(FeedCursor.decode(cursor).seen) == EDGE_MAX
    again, _, _ = drain(shop, cursor, NOW, config)
    assert len(again) == 20  # the few past the cap are reported twice, never lost


def test_the_clock_going_back_does_not_make_a_negative_window() -> None:
    _, cursor, _ = drain(Shop(), None, NOW)
    state, params = plan(cursor, NOW - 30, CONFIG)
    assert params["update_time_start"] == params["update_time_end"] == NOW


def test_the_cursor_round_trips_mid_window() -> None:
    cursor = FeedCursor(start=NOW - 60, seen={"a": "1"}, end=NOW, page=4, total=17, edge={"b": "2"})
    assert FeedCursor.decode(cursor.encode()) == cursor
    assert FeedCursor.decode(FeedCursor(start=NOW).encode()) == FeedCursor(start=NOW)


@pytest.mark.parametrize("bad", ["", "{", "[]", '{"v":2,"s":1}', '{"v":1}', '{"v":1,"s":"1"}',
                                 '{"v":1,"s":1,"e":true}', '{"v":1,"s":1,"seen":{"a":1}}'])
def test_a_foreign_cursor_is_refused_plainly(bad: str) -> None:
    with pytest.raises(Rejected, match="cursor not understood"):
        FeedCursor.decode(bad)


@pytest.mark.parametrize("data", [{}, {"total": "3"}, {"total": -1}, {"total": 1, "shop_order_list": {}},
                                  {"total": 1, "shop_order_list": [{"order_id": "1"}]}])
def test_a_malformed_page_is_temporary(data: dict[str, Any]) -> None:
    state, _ = plan(None, NOW, CONFIG)
    with pytest.raises(Temporary, match="malformed payload"):
        advance(state, data, NOW, CONFIG)
