"""The adapter against the fake over loopback: the keyset order feed (pages, ties, resume, the
live edge), notes as the memo, private remarks, and the platform's errors as typed errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from plugins.woocommerce.tests.woocommerce_harness import START, Clock, Harness, events_of

from desktop.sdk import (
    AuthExpired,
    OrderEvent,
    Page,
    RateLimited,
    Rejected,
    SendMessage,
    SetRemark,
    Temporary,
    Transfer,
)
from plugins.woocommerce.adapter import WooCommerceAdapter
from plugins.woocommerce.fake import WooCommerceFake
from plugins.woocommerce.protocol import MEMO_MAX_CHARS, parse_time


def seed_at(fake: WooCommerceFake, clock: Clock, ago: timedelta, n: int) -> list[str]:
    """n orders last modified `ago` before START (all in that one second)."""
    clock.now = START - ago
    try:
        return fake.add_orders(n)
    finally:
        clock.now = START


def seed_spread(fake: WooCommerceFake, clock: Clock, n: int, first_ago: timedelta) -> list[str]:
    """n orders one second apart, the first `first_ago` before START."""
    return [seed_at(fake, clock, first_ago - timedelta(seconds=i), 1)[0] for i in range(n)]


def order_lists(fake: WooCommerceFake) -> list[dict[str, list[str]]]:
    return [q for m, route, q in fake.requests if m == "GET" and route == "/orders"]


def one(q: dict[str, list[str]], name: str) -> str:
    return q[name][-1]


def ids(events: list[OrderEvent]) -> list[str]:
    return [e.platform_order_id for e in events]


def page_then_drain(wc: Harness, before: Any, **settings: object) -> tuple[list[OrderEvent], list[OrderEvent]]:
    """One page, then `before()` acts on the fake, then the rest of the feed from that page's cursor."""
    first: Page[OrderEvent] = wc.call(lambda a: a.fetch_orders(None), **settings)
    before()
    pages, _ = wc.drain_orders(first.next_cursor, 500, **settings)
    return list(first.events), events_of(pages)


# -- the order feed --------------------------------------------------------------------------------------
def test_first_sync_pages_by_keyset_with_page_one_only(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    made = seed_spread(wc_fake, clock, 10, timedelta(hours=2))
    pages, cursor = wc.drain_orders(page_size=3, history_days=1)
    assert ids(events_of(pages)) == made, "each order exactly once, oldest change first"
    assert all(p.has_more for p in pages[:-1]) and pages[-1].has_more is False and cursor
    calls = order_lists(wc_fake)
    for q in calls:
        assert (one(q, "page"), one(q, "per_page"), one(q, "orderby"), one(q, "order"), one(q, "dates_are_gmt")) \
            == ("1", "3", "modified", "asc", "true")
        assert "exclude" not in q and "modified_before" not in q
    afters = [parse_time(one(q, "modified_after")) for q in calls]
    assert afters == sorted(afters) and afters[0] == START - timedelta(days=1, seconds=1)


def test_the_history_setting_bounds_the_first_sync(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    old = seed_at(wc_fake, clock, timedelta(days=3), 2)
    new = seed_at(wc_fake, clock, timedelta(hours=3), 2)
    assert ids(events_of(wc.drain_orders(history_days=1)[0])) == new
    assert sorted(ids(events_of(wc.drain_orders(history_days=7)[0]))) == sorted(old + new)


def test_resume_reports_only_what_changed(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    first = wc_fake.add_orders(12)  # all in this second
    _, cursor = wc.drain_orders()
    clock.advance(seconds=20)
    pages, cursor = wc.drain_orders(cursor)
    assert events_of(pages) == [], "unchanged orders in the overlap are not reported again"
    clock.advance(seconds=-20)  # back to the very second they were read in
    later = wc_fake.add_orders(2)
    wc_fake.touch_order(first[3])  # same second: date_modified does not move, the order does
    pages, cursor = wc.drain_orders(cursor)
    assert sorted(ids(events_of(pages))) == sorted(later + [first[3]])
    clock.advance(minutes=10)
    assert events_of(wc.drain_orders(cursor)[0]) == []


def test_an_order_modified_while_paging_does_not_hide_another(wc: Harness, wc_fake: WooCommerceFake,
                                                              clock: Clock) -> None:
    """With page=2, 3… the touched order would leave page 1 and the next one would slide into the
    page already read; the keyset reads on from the last order instead."""
    made = seed_spread(wc_fake, clock, 9, timedelta(hours=1))
    first, rest = page_then_drain(wc, lambda: wc_fake.touch_order(made[1]), page_size=3)
    assert ids(first) == made[:3]
    assert ids(rest) == made[3:] + [made[1]]


def test_more_orders_in_one_second_than_a_page_holds(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    tied = seed_at(wc_fake, clock, timedelta(hours=1), 7)
    after = seed_at(wc_fake, clock, timedelta(minutes=30), 2)
    pages, _ = wc.drain_orders(page_size=3)
    assert sorted(ids(events_of(pages))) == sorted(tied + after) and len(events_of(pages)) == 9
    ties = [q for q in order_lists(wc_fake) if "exclude" in q]
    assert ties, "the second was read alone"
    for q in ties:
        start, end = parse_time(one(q, "modified_after")), parse_time(one(q, "modified_before"))
        assert end - start == timedelta(seconds=2), "exclusive bounds around the one second"
        assert set(one(q, "exclude").split(",")) <= set(tied)


def test_a_tie_at_the_live_edge_waits_out_the_overlap(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    tied = wc_fake.add_orders(5)  # now, in one second
    pages, cursor = wc.drain_orders(page_size=2)
    assert sorted(ids(events_of(pages))) == sorted(tied)
    clock.advance(seconds=10)
    later = wc_fake.add_orders(2)
    pages, cursor = wc.drain_orders(cursor, page_size=2)
    assert events_of(pages) == [], "orders after a live tie wait until the tied second is overlap-old"
    clock.advance(seconds=300)
    pages, _ = wc.drain_orders(cursor, page_size=2)
    assert sorted(ids(events_of(pages))) == sorted(later)


def test_without_paging_headers_a_full_page_means_read_on(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    made = seed_spread(wc_fake, clock, 7, timedelta(hours=1))
    wc_fake.drop_paging_headers = True
    assert ids(events_of(wc.drain_orders(page_size=3)[0])) == made


def test_a_woocommerce_without_modified_after_is_refused(wc: Harness, wc_fake: WooCommerceFake, clock: Clock) -> None:
    seed_at(wc_fake, clock, timedelta(days=3), 3)
    wc_fake.shop.ignore_modified_filter = True
    with pytest.raises(Rejected, match="ignores the modified_after filter"):
        wc.drain_orders(history_days=1)


# -- notes as the memo -------------------------------------------------------------------------------------
def test_each_order_carries_its_latest_private_note(wc: Harness, wc_fake: WooCommerceFake) -> None:
    made = wc_fake.add_orders(20)
    for order_id in made[:5]:
        wc_fake.touch_order(order_id)  # WooCommerce adds its own "system" status note
    shop = wc_fake.shop
    shop.add_note(int(made[6]), "已电话确认地址", customer_note=False, by_user=True)
    shop.add_note(int(made[6]), "您的包裹已发出", customer_note=True, by_user=True)  # not a memo
    events = events_of(wc.drain_orders()[0])
    assert sorted(ids(events)) == sorted(made)
    for event in events:
        assert (event.seller_memo, event.seller_flag) == wc_fake.memo(event.platform_order_id)
    assert next(e for e in events if e.platform_order_id == made[6]).seller_memo == "已电话确认地址"
    assert any(e.seller_memo for e in events) and any(not e.seller_memo for e in events)
    note_reads = [q for m, route, q in wc_fake.requests if m == "GET" and route.endswith("/notes")]
    assert len(note_reads) == len(events) and all(one(q, "type") == "internal" for q in note_reads)


# -- remarks ----------------------------------------------------------------------------------------------
def posts(fake: WooCommerceFake) -> list[str]:
    return fake.routes("POST")


def test_a_remark_is_a_private_note_never_mailed_and_idempotent(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    cmd = SetRemark("key-1", order_id, "顾客要求改发顺丰，已同意 —— 小王", None)

    async def twice(adapter: WooCommerceAdapter) -> None:
        await adapter.set_remark(cmd)
        await adapter.set_remark(cmd)  # a replay: nothing more is written
    wc.call(twice)
    assert posts(wc_fake) == [f"/orders/{order_id}/notes"]
    assert wc_fake.posted == [{"note": cmd.text, "customer_note": False, "added_by_user": True}], \
        "customer_note is sent, and false, explicitly"
    assert wc_fake.memo(order_id) == (cmd.text, None)
    mine = [n for n in wc_fake.shop.notes if n.order_id == int(order_id) and n.text == cmd.text]
    assert len(mine) == 1 and mine[0].customer_note is False and mine[0].author != "system"
    assert wc_fake.shop.emails == [], "no e-mail ever reaches the buyer"
    wc.call(lambda a: a.set_remark(SetRemark("key-2", order_id, "改回圆通", None)))
    assert wc_fake.memo(order_id) == ("改回圆通", None) and len(posts(wc_fake)) == 2
    wc_fake.touch_order(order_id)
    (event,) = [e for e in events_of(wc.drain_orders()[0]) if e.platform_order_id == order_id]
    assert event.seller_memo == "改回圆通", "the system's status note does not hide the memo"


def test_a_retry_after_a_lost_reply_writes_nothing(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    wc_fake.shop.add_note(int(order_id), "已核实库存", customer_note=False, by_user=True)  # the first try's note
    wc.call(lambda a: a.set_remark(SetRemark("key-1", order_id, "已核实库存", None)))
    assert posts(wc_fake) == []


@pytest.mark.parametrize(("order_id", "text", "flag", "words"), [
    ("10001", "备注", 1, "no flags"),
    ("10001", "   ", None, "cannot be empty"),
    ("10001", "长" * (MEMO_MAX_CHARS + 1), None, "too long"),
    ("10001/../../users", "备注", None, "not a WooCommerce order id"),
    ("0", "备注", None, "not a WooCommerce order id"),
    ("99999", "备注", None, "Invalid"),  # the platform's own message
])
def test_remarks_the_platform_cannot_take_are_refused(wc: Harness, wc_fake: WooCommerceFake, order_id: str,
                                                      text: str, flag: int | None, words: str) -> None:
    wc_fake.add_orders(1)
    with pytest.raises(Rejected, match=words):
        wc.call(lambda a: a.set_remark(SetRemark("k", order_id, text, flag)))
    assert posts(wc_fake) == []


# -- errors ---------------------------------------------------------------------------------------------
def test_a_revoked_key_or_a_wrong_secret_is_auth_expired(wc: Harness, wc_fake: WooCommerceFake) -> None:
    wc.secrets.set("consumer_secret", "cs_wrong")
    with pytest.raises(AuthExpired, match="Consumer secret is invalid"):
        wc.call(lambda a: a.check_connection())
    wc.secrets.set("consumer_secret", wc_fake.consumer_secret)
    wc.call(lambda a: a.check_connection())
    wc_fake.expire_token()
    with pytest.raises(AuthExpired, match="Consumer key is invalid"):
        wc.call(lambda a: a.fetch_orders(None))


def test_a_read_only_key_reads_but_cannot_remark(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    wc_fake.set_key_permissions("read")
    assert ids(events_of(wc.drain_orders()[0])) == [order_id]
    with pytest.raises(AuthExpired, match="write permissions"):
        wc.call(lambda a: a.set_remark(SetRemark("k", order_id, "备注", None)))


def test_missing_credentials_are_auth_expired_before_any_call(wc: Harness, wc_fake: WooCommerceFake) -> None:
    wc.secrets.values.pop("consumer_key")
    with pytest.raises(AuthExpired, match="consumer_key is missing"):
        wc.call(lambda a: a.check_connection())
    assert wc_fake.requests == []


def test_the_call_limit_outage_and_garbage(wc: Harness, wc_fake: WooCommerceFake) -> None:
    wc_fake.limit_calls(1)
    with pytest.raises(RateLimited) as raised:
        wc.call(lambda a: a.fetch_orders(None))
    assert raised.value.retry_after == 30  # the server's Retry-After
    wc_fake.fail(1)
    with pytest.raises(Temporary, match="HTTP 500 internal_server_error"):
        wc.call(lambda a: a.fetch_orders(None))
    wc_fake.garble(1)
    with pytest.raises(Temporary, match="not JSON"):
        wc.call(lambda a: a.fetch_orders(None))
    wc.call(lambda a: a.fetch_orders(None))


def test_plain_http_to_a_real_site_is_refused_without_a_request(wc: Harness, wc_fake: WooCommerceFake) -> None:
    with pytest.raises(Rejected, match="https://"):
        wc.call(lambda a: a.check_connection(), base_url="http://shop.example.cn")
    assert wc_fake.requests == []


def test_bad_settings_are_refused_by_name(wc: Harness) -> None:
    with pytest.raises(Rejected, match="page_size"):
        wc.call(lambda a: a.fetch_orders(None), page_size=101)


def test_the_key_in_the_query_works_and_never_reaches_the_log(wc: Harness, wc_fake: WooCommerceFake) -> None:
    made = wc_fake.add_orders(2)
    assert sorted(ids(events_of(wc.drain_orders(auth_in_query=True)[0]))) == sorted(made)
    assert all(one(q, "consumer_key") == wc_fake.consumer_key for q in order_lists(wc_fake))
    wc_fake.expire_token()
    with pytest.raises(AuthExpired):
        wc.call(lambda a: a.check_connection(), auth_in_query=True)
    text = "\n".join(wc.log.lines)
    assert wc_fake.consumer_key not in text and wc_fake.consumer_secret not in text


def test_check_connection_asks_for_one_order(wc: Harness, wc_fake: WooCommerceFake) -> None:
    wc.call(lambda a: a.check_connection())
    assert [one(q, "per_page") for q in order_lists(wc_fake)] == ["1"]


# -- no chat ----------------------------------------------------------------------------------------------
def test_chat_is_not_offered(wc: Harness) -> None:
    page = wc.call(lambda a: a.fetch_messages(None))
    assert page.events == () and page.has_more is False
    with pytest.raises(Rejected, match="not offered by this platform's open API"):
        wc.call(lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered by this platform's open API"):
        wc.call(lambda a: a.transfer(Transfer("k", "c", "someone")))
