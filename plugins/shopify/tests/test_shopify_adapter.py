"""The Shopify adapter against the fake shop over loopback HTTP: paging and windows, the
search lag, notes, customer tags, throttling and the other typed errors."""

from __future__ import annotations

import pytest

from desktop.sdk import (
    AuthExpired,
    OrderStatus,
    RateLimited,
    Rejected,
    SendMessage,
    SetBuyerTags,
    SetRemark,
    Temporary,
    Transfer,
)
from plugins.shopify import feed
from plugins.shopify.adapter import ShopifyAdapter
from plugins.shopify.fake import ShopifyFake
from plugins.shopify.tests.shopify_harness import Clock, Harness, ids


def _variables(fake: ShopifyFake, operation: str = "SeatDeskOrders") -> list[dict[str, object]]:
    return [v for name, v in fake.calls if name == operation]


# -- the order feed -------------------------------------------------------------------------------------------
def test_pages_through_a_window_then_resumes_with_only_what_changed(shop: Harness) -> None:
    first = shop.fake.add_orders(23)
    pages, cursor = shop.drain_orders(page_size=10)
    assert [len(p.events) for p in pages] == [10, 10, 3]
    assert [p.has_more for p in pages] == [True, True, False]
    assert sorted(ids(pages)) == sorted(first)
    calls = _variables(shop.fake)
    assert [c["first"] for c in calls] == [10, 10, 10]
    assert calls[0]["after"] is None and calls[1]["after"] and calls[2]["after"] != calls[1]["after"]
    assert len({c["query"] for c in calls}) == 1  # the cursor belongs to one fixed query
    assert calls[0]["query"] == ("updated_at:>='2026-10-03T08:00:00Z' AND "  # 30 days of history
                                 "updated_at:<='2026-11-02T08:00:00Z'")

    shop.clock.advance(minutes=10)
    later = shop.fake.add_orders(3)
    shop.fake.touch_order(first[4])
    again, cursor = shop.drain_orders(cursor, page_size=10)
    assert sorted(ids(again)) == sorted(later + [first[4]])
    assert _variables(shop.fake)[-1]["query"] == ("updated_at:>='2026-11-02T07:58:00Z' AND "  # 120 s overlap
                                                  "updated_at:<='2026-11-02T08:10:00Z'")
    shop.clock.advance(minutes=1)
    nothing, _ = shop.drain_orders(cursor)
    assert ids(nothing) == []


def test_a_replayed_cursor_gives_the_same_orders(shop: Harness) -> None:
    shop.fake.add_orders(12)
    pages, _ = shop.drain_orders(page_size=5)
    first_page_cursor = pages[0].next_cursor
    replay_one, _ = shop.drain_orders(first_page_cursor, page_size=5)
    replay_two, _ = shop.drain_orders(first_page_cursor, page_size=5)
    assert ids(replay_one) == ids(replay_two) == ids(pages)[5:]


def test_the_first_sync_reads_only_the_history_setting(shop: Harness) -> None:
    old = shop.fake.add_orders(2)
    shop.clock.advance(days=8)
    recent = shop.fake.add_orders(2)
    pages, _ = shop.drain_orders(history_days=7)
    assert sorted(ids(pages)) == sorted(recent) and not set(old) & set(ids(pages))
    with pytest.raises(Rejected, match="history_days"):
        shop.drain_orders(history_days=61)


def test_a_long_window_rebases_past_the_paging_depth(shop: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed, "REBASE_PAGES", 2)
    monkeypatch.setattr(feed, "REBASE_MARGIN_S", 30)
    made = []
    for _ in range(5):  # orders a minute apart
        made += shop.fake.add_orders(2)
        shop.clock.advance(minutes=1)
    pages, _ = shop.drain_orders(page_size=3)
    assert sorted(ids(pages)) == sorted(made) and len(ids(pages)) == len(set(ids(pages)))
    queries = [c["query"] for c in _variables(shop.fake)]
    assert len(set(queries)) > 1  # the window restarted at a later updated_at
    assert [c["after"] for c in _variables(shop.fake) if c["query"] == queries[-1]][0] is None


def test_the_overlap_catches_orders_the_search_index_had_not_seen(clock: Clock) -> None:
    for overlap, expected_found in ((120, True), (0, False)):
        with ShopifyFake(clock=clock, search_lag_s=30) as fake:
            shop = Harness(fake, clock)
            made = fake.add_orders(1)
            clock.advance(seconds=10)  # written 10 s ago, not searchable for another 20 s
            pages, cursor = shop.drain_orders(order_overlap_seconds=overlap)
            assert ids(pages) == []
            clock.advance(seconds=40)
            pages, _ = shop.drain_orders(cursor, order_overlap_seconds=overlap)
            assert (ids(pages) == made) is expected_found


def test_the_shops_currency_and_statuses_arrive(clock: Clock) -> None:
    with ShopifyFake(clock=clock, currency="EUR") as fake:
        fake.add_orders(10)
        pages, _ = Harness(fake, clock).drain_orders()
    events = [e for p in pages for e in p.events]
    assert {e.currency for e in events} == {"EUR"}
    assert {e.status for e in events} == set(OrderStatus)  # pending … refunding, closed
    guest = next(e for e in events if e.buyer_id.startswith("guest-"))
    assert guest.buyer_nick == "访客" and "buyer_tags" not in guest.extra
    assert any(e.waybill and e.courier and e.shipped_at for e in events)
    tagged = next(e for e in events if e.buyer_nick == "王小明")
    assert tagged.extra["buyer_tags"] == "老客,wholesale" and tagged.receiver_masked.endswith("Canada")


def test_without_customer_details_no_name_or_area_is_asked(shop: Harness) -> None:
    shop.fake.add_orders(3)
    shop.fake.protected_data_approved = False
    with pytest.raises(Rejected, match="protected customer data"):
        shop.drain_orders()
    pages, _ = shop.drain_orders(read_customer_details=False)
    events = [e for p in pages for e in p.events]
    assert all(e.buyer_nick.startswith("顾客 ") and e.receiver_masked == "" for e in events)


# -- the note as remark -------------------------------------------------------------------------------------------
def test_the_remark_is_the_order_note_and_flags_are_ignored(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    cmd = SetRemark("k1", order, "改地址：加州 — 小王", flag=3)

    async def twice(adapter: ShopifyAdapter) -> None:
        await adapter.set_remark(cmd)
        await adapter.set_remark(cmd)
    shop.call(twice)
    assert shop.fake.memo(order) == ("改地址：加州 — 小王", None)
    assert _variables(shop.fake, "SeatDeskOrderNote")[0] == {
        "input": {"id": f"gid://shopify/Order/{order}", "note": "改地址：加州 — 小王"}}
    pages, _ = shop.drain_orders()
    assert next(e for p in pages for e in p.events if e.platform_order_id == order).seller_memo == cmd.text
    shop.call(lambda a: a.set_remark(SetRemark("k2", order, "", None)))  # clearing the note
    assert shop.fake.memo(order) == ("", None)


def test_remark_refusals(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    with pytest.raises(Rejected, match="too long"):
        shop.call(lambda a: a.set_remark(SetRemark("k", order, "字" * 5001, None)))
    assert _variables(shop.fake, "SeatDeskOrderNote") == []  # refused before any call
    shop.call(lambda a: a.set_remark(SetRemark("k", order, "字" * 5000, None)))
    with pytest.raises(Rejected, match="Order does not exist"):
        shop.call(lambda a: a.set_remark(SetRemark("k", "5699999999999", "x", None)))
    with pytest.raises(Rejected, match="not a Shopify Order id"):
        shop.call(lambda a: a.set_remark(SetRemark("k", "#1001", "x", None)))
    shop.fake.grant("read_orders", "read_customers", "write_customers")
    with pytest.raises(Rejected, match="write_orders"):
        shop.call(lambda a: a.set_remark(SetRemark("k", order, "x", None)))


# -- customer tags -------------------------------------------------------------------------------------------------
def test_buyer_tags_are_added_and_removed_on_the_customer(shop: Harness) -> None:
    shop.fake.add_orders(1)
    pages, cursor = shop.drain_orders()
    event = pages[0].events[0]
    assert event.extra["buyer_tags"] == "VIP"
    add = SetBuyerTags("t1", event.buyer_id, add=("复购", " VIP ", "复购"))

    async def replayed(adapter: ShopifyAdapter) -> None:
        await adapter.set_buyer_tags(add)
        await adapter.set_buyer_tags(add)
    shop.call(replayed)
    assert shop.fake.customer_tags(event.buyer_id) == ["VIP", "复购"]
    assert _variables(shop.fake, "SeatDeskTagsAdd")[0] == {
        "id": f"gid://shopify/Customer/{event.buyer_id}", "tags": ["复购", "VIP"]}
    shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t2", event.buyer_id, remove=("VIP",))))
    assert shop.fake.customer_tags(event.buyer_id) == ["复购"]
    shop.fake.touch_order(event.platform_order_id)
    shop.clock.advance(seconds=30)
    again, _ = shop.drain_orders(cursor)
    assert again[-1].events[-1].extra["buyer_tags"] == "复购"


def test_buyer_tag_refusals(shop: Harness) -> None:
    with pytest.raises(Rejected, match="guest"):
        shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "guest-5600000000000", add=("VIP",))))
    with pytest.raises(Rejected, match="comma"):
        shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "7400000000000", add=("VIP,老客",))))
    with pytest.raises(Rejected, match="at most 255"):
        shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "7400000000000", add=("x" * 256,))))
    assert _variables(shop.fake, "SeatDeskTagsAdd") == []  # all refused before any call
    shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "7400000000000", add=(" ",))))  # nothing to do
    assert _variables(shop.fake, "SeatDeskTagsAdd") == []
    with pytest.raises(Rejected, match="Customer does not exist"):
        shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "7499999999999", add=("VIP",))))
    shop.fake.grant("read_orders", "write_orders", "read_customers")
    with pytest.raises(Rejected, match="write_customers"):
        shop.call(lambda a: a.set_buyer_tags(SetBuyerTags("t", "7400000000000", remove=("VIP",))))


# -- errors ---------------------------------------------------------------------------------------------------------
def test_throttled_by_cost_waits_for_the_bucket(clock: Clock) -> None:
    with ShopifyFake(clock=clock, bucket=(1000.0, 50.0)) as fake:
        shop = Harness(fake, clock)
        fake.add_orders(30)
        fake.bucket.available = 100.0  # another app drew the bucket down
        with pytest.raises(RateLimited) as raised:
            shop.call(lambda a: a.fetch_orders(None), page_size=10)
        assert raised.value.retry_after == pytest.approx(9.5)  # (572 requested − 100 available) / 50 per s = 9.44
        clock.advance(seconds=raised.value.retry_after)
        page = shop.call(lambda a: a.fetch_orders(None), page_size=10)
    assert len(page.events) == 10 and page.has_more


def test_throttling_mid_feed_resumes_from_the_cursor(clock: Clock) -> None:
    """The engine keeps each page's cursor; a throttled page is asked again after the wait."""
    with ShopifyFake(clock=clock, bucket=(1000.0, 50.0)) as fake:
        shop = Harness(fake, clock)
        made = fake.add_orders(60)
        seen: list[str] = []
        cursor: str | None = None
        waits = 0
        for _ in range(100):
            try:
                page = shop.call(lambda a: a.fetch_orders(cursor), page_size=15)
            except RateLimited as exc:
                waits += 1
                clock.advance(seconds=exc.retry_after)
                continue
            seen += [e.platform_order_id for e in page.events]
            cursor = page.next_cursor
            if not page.has_more:
                break
        else:
            raise AssertionError("never finished")
    assert sorted(seen) == sorted(made) and waits > 0


@pytest.mark.parametrize(("switch", "kind", "words"), [
    ("expire_token", AuthExpired, "Invalid API key or access token"),
    ("limit_calls", RateLimited, "Throttled"),
    ("limit_http", RateLimited, "HTTP 429"),
    ("fail", Temporary, "HTTP 503"),
    ("fail_graphql", Temporary, "Shopify's side"),
    ("garble", Temporary, "is not JSON"),
])
def test_fake_faults_become_typed_errors(shop: Harness, switch: str, kind: type[Exception], words: str) -> None:
    shop.fake.add_orders(2)
    getattr(shop.fake, switch)()
    with pytest.raises(kind, match=words):
        shop.drain_orders()
    if switch != "expire_token":
        pages, _ = shop.drain_orders()  # one call only: the next works
        assert len(ids(pages)) == 2


def test_retry_after_hints(shop: Harness) -> None:
    shop.fake.limit_calls()
    with pytest.raises(RateLimited) as raised:
        shop.drain_orders(page_size=10)
    assert raised.value.retry_after == pytest.approx(5.8)  # 572 requested / 100 per s (bucket at 0), rounded up
    shop.fake.limit_http()
    with pytest.raises(RateLimited) as raised:
        shop.call(lambda a: a.check_connection())
    assert raised.value.retry_after == 2.0  # Retry-After


def test_credentials_and_settings_problems(shop: Harness) -> None:
    del shop.secrets.values["access_token"]
    with pytest.raises(AuthExpired, match="access_token is missing"):
        shop.call(lambda a: a.check_connection())
    shop.secrets.values["access_token"] = "shpat_wrong"
    with pytest.raises(AuthExpired, match="HTTP 401"):
        shop.call(lambda a: a.check_connection())
    shop.secrets.values.update(shop.fake.secrets())
    for settings, words in (({"api_version": "2026-02"}, "api_version"), ({"page_size": 16}, "page_size"),
                            ({"base_url": "", "shop_domain": "www.example.com"}, "myshopify.com")):
        with pytest.raises(Rejected, match=words):
            shop.drain_orders(**settings)


def test_an_unsupported_version_is_answered_by_the_oldest_and_logged(shop: Harness) -> None:
    shop.call(lambda a: a.check_connection(), api_version="2024-01")
    assert any("instead of 2024-01" in line for line in shop.log.lines)
    with pytest.raises(Rejected, match="HTTP 404"):
        shop.call(lambda a: a.check_connection(), base_url=shop.fake.url + "/elsewhere")


def test_chat_is_not_offered(shop: Harness) -> None:
    page = shop.call(lambda a: a.fetch_messages("c"))
    assert (page.events, page.next_cursor, page.has_more) == ((), "c", False)
    with pytest.raises(Rejected, match="not offered"):
        shop.call(lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered"):
        shop.call(lambda a: a.transfer(Transfer("k", "c", "someone")))


def test_no_secret_reaches_the_log(shop: Harness) -> None:
    shop.fake.add_orders(3)
    shop.drain_orders()
    shop.call(lambda a: a.set_remark(SetRemark("k", shop.fake.add_orders(1)[0], "备注", None)))
    shop.fake.expire_token()
    with pytest.raises(AuthExpired):
        shop.call(lambda a: a.check_connection())
    text = "\n".join(shop.log.lines)
    assert "SeatDeskOrders" in text
    for value in shop.fake.secrets().values():
        assert value not in text
