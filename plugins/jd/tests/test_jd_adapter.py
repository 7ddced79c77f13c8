"""The adapter against the fake over loopback: the order feed's windows and pages, resume,
remarks with flags, and the platform's errors as typed errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from plugins.jd.tests.jd_harness import START, Clock, Harness

from desktop.sdk import AuthExpired, OrderEvent, RateLimited, Rejected, SetRemark, Temporary
from plugins.jd.adapter import JdAdapter
from plugins.jd.fake import JdFake
from plugins.jd.protocol import MEMO_MAX_CHARS, ORDER_SEARCH, REMARK_QUERY, REMARK_UPDATE, parse_time


def seed_at(fake: JdFake, clock: Clock, ago: timedelta, n: int) -> list[str]:
    """n orders last modified `ago` before START."""
    clock.now = START - ago
    try:
        return fake.add_orders(n)
    finally:
        clock.now = START


def searches(fake: JdFake) -> list[dict[str, Any]]:
    return [params for method, params in fake.calls if method == ORDER_SEARCH]


def events_of(pages: list[Any]) -> list[OrderEvent]:
    return [event for page in pages for event in page.events]


def test_first_sync_rolls_28_day_windows_and_pages_through_each(jd: Harness, jd_fake: JdFake, clock: Clock) -> None:
    old = seed_at(jd_fake, clock, timedelta(days=40), 4)
    mid = seed_at(jd_fake, clock, timedelta(days=10), 5)
    new = seed_at(jd_fake, clock, timedelta(hours=1), 7)
    pages, cursor = jd.drain_orders(history_days=60, page_size=3)
    ids = [e.platform_order_id for e in events_of(pages)]
    assert sorted(ids) == sorted(old + mid + new), "each order exactly once"
    assert [p.has_more for p in pages][-1] is False and all(p.has_more for p in pages[:-1])
    calls = searches(jd_fake)
    for params in calls:
        start, end = parse_time(params["start_date"]), parse_time(params["end_date"])
        assert timedelta(0) <= end - start <= timedelta(days=28)
        assert params["page_size"] == "3" and params["dateType"] == 0
        assert "WAIT_SELLER_STOCK_OUT" in params["order_state"] and "modified" in params["optional_fields"]
    windows = sorted({(p["start_date"], p["end_date"]) for p in calls})
    assert len(windows) == 3 and windows[-1][1] == "2024-05-01 10:00:00"
    assert [p["page"] for p in calls] == ["1", "2", "1", "2", "1", "2", "3"]
    assert cursor is not None


def test_flags_are_read_only_for_orders_with_a_remark(jd: Harness, jd_fake: JdFake) -> None:
    jd_fake.add_orders(30)
    events = events_of(jd.drain_orders()[0])
    with_memo = {e.platform_order_id for e in events if e.seller_memo}
    assert with_memo, "the seed gives some orders a seller remark"
    queried = {str(p["order_id"]) for m, p in jd_fake.calls if m == REMARK_QUERY}
    assert queried == with_memo
    for e in events:
        assert (e.seller_memo, e.seller_flag) == jd_fake.memo(e.platform_order_id)


def test_resume_reports_only_what_changed(jd: Harness, jd_fake: JdFake, clock: Clock) -> None:
    first = jd_fake.add_orders(12)
    _, cursor = jd.drain_orders()
    clock.advance(seconds=20)  # still inside the 60 s overlap
    pages, cursor = jd.drain_orders(cursor)
    assert events_of(pages) == [], "unchanged orders in the overlap are not reported again"
    later = jd_fake.add_orders(2)
    jd_fake.touch_order(first[3])
    pages, cursor = jd.drain_orders(cursor)
    assert sorted(e.platform_order_id for e in events_of(pages)) == sorted(later + [first[3]])
    clock.advance(minutes=10)
    pages, _ = jd.drain_orders(cursor)
    assert events_of(pages) == []


def test_a_change_in_the_same_second_is_not_lost(jd: Harness, jd_fake: JdFake) -> None:
    ids = jd_fake.add_orders(3)
    _, cursor = jd.drain_orders()
    jd_fake.touch_order(ids[1])  # the clock has not moved: same modified second
    pages, _ = jd.drain_orders(cursor)
    assert [e.platform_order_id for e in events_of(pages)] == [ids[1]]


def test_a_window_too_deep_for_paging_is_halved_first(jd: Harness, jd_fake: JdFake) -> None:
    ids = jd_fake.add_orders(12)
    pages, _ = jd.drain_orders(history_days=1, page_size=1)
    delivered = [e.platform_order_id for e in events_of(pages)]
    assert sorted(delivered) == sorted(ids)
    spans = [parse_time(p["end_date"]) - parse_time(p["start_date"]) for p in searches(jd_fake)]
    assert spans[0] == timedelta(days=1) and spans[1] == timedelta(hours=12)
    assert max(int(p["page"]) for p in searches(jd_fake)) == 12, "below a minute it pages instead"


def test_check_connection(jd: Harness) -> None:
    jd.call(lambda a: a.check_connection())


# -- errors -----------------------------------------------------------------------------------------
def test_expired_token_is_auth_expired(jd: Harness, jd_fake: JdFake) -> None:
    jd_fake.expire_token()
    with pytest.raises(AuthExpired, match="code 19"):
        jd.call(lambda a: a.fetch_orders(None))


def test_call_limit_is_rate_limited_and_the_cursor_is_unchanged(jd: Harness, jd_fake: JdFake) -> None:
    jd_fake.add_orders(2)
    jd_fake.limit_calls(1)
    with pytest.raises(RateLimited) as raised:
        jd.call(lambda a: a.fetch_orders(None))
    assert raised.value.retry_after > 0
    assert len(events_of(jd.drain_orders()[0])) == 2


def test_outage_is_temporary(jd: Harness, jd_fake: JdFake) -> None:
    jd_fake.fail(1)
    with pytest.raises(Temporary, match="HTTP 503"):
        jd.call(lambda a: a.check_connection())


def test_a_wrong_app_secret_is_a_bad_signature_and_needs_login(jd: Harness) -> None:
    jd.secrets.set("app_secret", "not-the-secret")
    with pytest.raises(AuthExpired, match="无效签名"):
        jd.call(lambda a: a.check_connection())


def test_a_wrong_app_key_needs_login(jd: Harness) -> None:
    jd.secrets.set("app_key", "NOPE")
    with pytest.raises(AuthExpired, match="App Key"):
        jd.call(lambda a: a.check_connection())


def test_a_missing_token_needs_login_without_a_call(jd: Harness, jd_fake: JdFake) -> None:
    jd.secrets.values.pop("access_token")
    with pytest.raises(AuthExpired, match="access_token"):
        jd.call(lambda a: a.check_connection())
    assert jd_fake.calls == []


def test_a_skewed_clock_is_refused_with_a_plain_reason(jd_fake: JdFake) -> None:
    skewed = Harness(jd_fake, Clock(START + timedelta(minutes=7)))
    with pytest.raises(Rejected, match="clock"):
        skewed.call(lambda a: a.check_connection())


def test_an_unreachable_gateway_is_temporary(jd: Harness) -> None:
    with pytest.raises(Temporary, match="unreachable"):
        jd.call(lambda a: a.check_connection(), base_url="http://127.0.0.1:9/routerjson")


def test_bad_settings_are_refused(jd: Harness) -> None:
    with pytest.raises(Rejected, match="page_size"):
        jd.call(lambda a: a.fetch_orders(None), page_size=500)


def test_base_url_without_a_path_gets_routerjson(jd: Harness, jd_fake: JdFake) -> None:
    jd.call(lambda a: a.check_connection(), base_url=jd_fake.url)


# -- remarks -------------------------------------------------------------------------------------------
def test_remark_with_flag_and_without(jd: Harness, jd_fake: JdFake) -> None:
    a, b = jd_fake.add_orders(2)
    jd.call(lambda ad: ad.set_remark(SetRemark("k1", a, "客户要求改地址 —— 小王", 4)))
    jd.call(lambda ad: ad.set_remark(SetRemark("k2", b, "已电话确认", None)))
    assert jd_fake.memo(a) == ("客户要求改地址 —— 小王", 4)
    assert jd_fake.memo(b) == ("已电话确认", 0), "no flag is JD's default, grey 0"
    sent = [p for m, p in jd_fake.calls if m == REMARK_UPDATE]
    assert sent[0] == {"order_id": int(a), "remark": "客户要求改地址 —— 小王", "flag": 4}


def test_the_changed_remark_comes_back_through_the_feed(jd: Harness, jd_fake: JdFake, clock: Clock) -> None:
    order_id = jd_fake.add_orders(1)[0]
    _, cursor = jd.drain_orders()
    clock.advance(seconds=5)
    jd.call(lambda ad: ad.set_remark(SetRemark("k", order_id, "缺货，延迟发货", 2)))
    events = events_of(jd.drain_orders(cursor)[0])
    assert [(e.platform_order_id, e.seller_memo, e.seller_flag) for e in events] == [(order_id, "缺货，延迟发货", 2)]


def test_remark_limits_are_checked_before_calling(jd: Harness, jd_fake: JdFake) -> None:
    order_id = jd_fake.add_orders(1)[0]
    with pytest.raises(Rejected, match="too long"):
        jd.call(lambda ad: ad.set_remark(SetRemark("k", order_id, "长" * (MEMO_MAX_CHARS + 1), 1)))
    with pytest.raises(Rejected, match="0–5"):
        jd.call(lambda ad: ad.set_remark(SetRemark("k", order_id, "x", 6)))
    with pytest.raises(Rejected, match="order number"):
        jd.call(lambda ad: ad.set_remark(SetRemark("k", "abc", "x", 1)))
    assert jd_fake.calls == []
    assert JdAdapter.info.memo_problem("长" * MEMO_MAX_CHARS) is None


def test_the_platforms_refusal_is_rejected_with_its_words(jd: Harness) -> None:
    with pytest.raises(Rejected, match="订单不存在"):
        jd.call(lambda ad: ad.set_remark(SetRemark("k", "999999999999", "x", 1)))


def test_send_and_transfer_are_refused_plainly(jd: Harness) -> None:
    from desktop.sdk import SendMessage, Transfer

    with pytest.raises(Rejected, match="not offered"):
        jd.call(lambda ad: ad.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered"):
        jd.call(lambda ad: ad.transfer(Transfer("k", "c", "x")))
