"""The Doudian adapter against the loopback fake: wire shape, feed, remarks, errors, OAuth."""

from __future__ import annotations

import inspect
import json
from datetime import timedelta
from typing import Any

import pytest

from desktop.sdk import (
    Capability,
    AuthExpired,
    OrderEvent,
    OrderStatus,
    RateLimited,
    Rejected,
    SendMessage,
    SetRemark,
    Temporary,
    Transfer,
)
from plugins.douyin.adapter import DouyinAdapter
from plugins.douyin.fake import DouyinFake
from plugins.douyin.signing import sign
from plugins.douyin.tests.douyin_harness import T0, Clock, Harness


def drain(use: Harness, cursor: str | None = None, settings: dict[str, object] | None = None
          ) -> tuple[list[OrderEvent], str | None, int]:
    """Every page from `cursor` until has_more is False → (events, last cursor, calls made)."""
    async def go(adapter: DouyinAdapter) -> tuple[list[OrderEvent], str | None, int]:
        events: list[OrderEvent] = []
        at = cursor
        for calls in range(1, 500):
            page = await adapter.fetch_orders(at)
            at = page.next_cursor
            events += page.events
            if not page.has_more:
                return events, at, calls
        raise AssertionError("the feed did not end")
    return use(go, **(settings or {}))


# -- the wire ------------------------------------------------------------------------------------------
def test_each_call_is_a_signed_post_with_param_json_as_body(use: Harness, fake: DouyinFake) -> None:
    use(lambda a: a.check_connection())
    [(method, query, body)] = fake.calls
    assert method == "order.searchList"
    assert set(query) == {"app_key", "method", "v", "timestamp", "sign", "sign_method", "access_token"}
    assert (query["v"], query["sign_method"], query["timestamp"]) == ("2", "hmac-sha256", str(T0))
    assert query["sign"] == sign(fake.app_key, fake.app_secret, method, body, T0)
    assert json.loads(body) == {"order_by": "update_time", "page": 0, "size": 1,
                                "update_time_end": T0, "update_time_start": T0 - 60}


def test_legacy_md5_signing_is_accepted(use: Harness, fake: DouyinFake) -> None:
    use(lambda a: a.check_connection(), sign_method="md5")
    assert fake.calls[-1][1]["sign_method"] == "md5"
    with pytest.raises(Rejected, match="sign_method"):
        use(lambda a: a.check_connection(), sign_method="sha1")


def test_the_gateway_path_is_the_method(fake: DouyinFake, use: Harness) -> None:
    fake.add_orders(1)
    seen: list[str] = []
    original = fake.handle

    def spy(path: str, query: dict[str, str], body: str) -> tuple[int, dict[str, Any] | bytes]:
        seen.append(path)
        return original(path, query, body)
    fake.handle = spy  # type: ignore[method-assign]
    use(lambda a: a.fetch_orders(None))
    use(lambda a: a.set_remark(SetRemark("k", next(iter(fake.orders)), "好", 1)))
    assert seen[0] == "/order/searchList" and seen[-1] == "/order/addOrderRemark"


# -- the order feed ---------------------------------------------------------------------------------
def test_the_feed_walks_windows_and_pages_and_resumes(use: Harness, fake: DouyinFake, clock: Clock) -> None:
    settings: dict[str, object] = {"page_size": "10", "window_minutes": 60, "initial_days": 1}
    ids = fake.add_orders(25)  # all updated at T0
    for index, order_id in enumerate(ids[:12]):
        fake.set_order_time(order_id, T0 - 5 * 3600 - index)  # an earlier window
    events, cursor, calls = drain(use, None, settings)
    assert {e.platform_order_id for e in events} == set(ids)
    assert calls == 24 + 2 + 2  # 24 one-hour windows; two of them span 2 pages: page 0, 1, 0 again
    methods = [json.loads(body) for m, _, body in fake.calls if m == "order.searchList"]
    assert max(p["page"] for p in methods) == 1 and all(p["size"] == 10 for p in methods)
    assert all(p["update_time_end"] - p["update_time_start"] <= 3600 for p in methods)

    clock.advance(30)
    later = fake.add_orders(2)
    fake.touch_order(ids[3])
    again, cursor, calls = drain(use, cursor, settings)
    # The 13 orders of the boundary second T0 are read again (inclusive bounds), not reported again.
    assert {e.platform_order_id for e in again} == {*later, ids[3]} and calls == 3
    clock.advance(30)
    assert drain(use, cursor, settings)[0] == []


def test_an_order_touched_in_the_same_second_is_reported_again(use: Harness, fake: DouyinFake) -> None:
    ids = fake.add_orders(4)
    _, cursor, _ = drain(use)
    fake.touch_order(ids[1])
    again, _, _ = drain(use, cursor)
    assert [e.platform_order_id for e in again] == [ids[1]]


def test_seeded_orders_cover_refunds_and_every_status(use: Harness, fake: DouyinFake) -> None:
    fake.add_orders(22)
    events, _, _ = drain(use)
    assert {e.status for e in events} == set(OrderStatus)
    assert all(e.receiver_masked and "*" in e.receiver_masked for e in events)


def test_order_detail(use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(3)[2]
    event = use(lambda a: a.fetch_order(order_id))
    assert event.platform_order_id == order_id and event.items
    with pytest.raises(Rejected, match="订单不存在"):
        use(lambda a: a.fetch_order("6920000000000000000"))


def test_bad_settings_are_refused(use: Harness) -> None:
    for settings in ({"page_size": 101}, {"page_size": "0"}, {"window_minutes": 1441}, {"initial_days": "x"}):
        with pytest.raises(Rejected, match="setting"):
            use(lambda a: a.fetch_orders(None), **settings)


# -- remarks ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("flag", "stored"), [(5, 5), (0, 0), (2, 2), (None, 0)])
def test_remark_with_star(use: Harness, fake: DouyinFake, flag: int | None, stored: int) -> None:
    order_id = fake.add_orders(1)[0]
    fake.orders[order_id]["seller_remark_stars"] = 3
    use(lambda a: a.set_remark(SetRemark("k1", order_id, "客户要求加急", flag)))
    assert fake.memo(order_id) == ("客户要求加急", stored)
    assert json.loads(fake.calls[-1][2]) == {"order_id": order_id, "remark": "客户要求加急",
                                             "is_add_star": "true", "star": str(stored)}


def test_remark_limits_are_checked_before_calling(use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    use(lambda a: a.set_remark(SetRemark("k", order_id, "备" * 60, None)))
    calls = len(fake.calls)
    with pytest.raises(Rejected, match="61 characters"):
        use(lambda a: a.set_remark(SetRemark("k", order_id, "备" * 61, None)))
    with pytest.raises(Rejected, match="star"):
        use(lambda a: a.set_remark(SetRemark("k", order_id, "好", 6)))
    assert len(fake.calls) == calls


def test_remark_on_an_unknown_order_is_rejected_with_the_platform_words(use: Harness) -> None:
    with pytest.raises(Rejected, match="订单不存在"):
        use(lambda a: a.set_remark(SetRemark("k", "6920000000000000000", "好", 1)))


def test_push_is_declared_and_is_an_async_generator() -> None:
    assert Capability.PUSH in DouyinAdapter.info.capabilities
    assert inspect.isasyncgenfunction(DouyinAdapter.push)  # the receiver side: test_douyin_push.py


def test_chat_is_not_offered(use: Harness) -> None:
    page = use(lambda a: a.fetch_messages(None))
    assert page.events == () and not page.has_more
    with pytest.raises(Rejected, match="not offered"):
        use(lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
    with pytest.raises(Rejected, match="not offered"):
        use(lambda a: a.transfer(Transfer("k", "c", "someone")))


# -- errors -----------------------------------------------------------------------------------------
def test_expired_token(use: Harness, fake: DouyinFake) -> None:
    fake.expire_token()
    with pytest.raises(AuthExpired, match="isv.access-token-expired"):
        use(lambda a: a.check_connection())


def test_unknown_or_missing_token(use: Harness) -> None:
    use.secrets.values["access_token"] = "0" * 32
    with pytest.raises(AuthExpired, match="access-token-no-existed"):
        use(lambda a: a.check_connection())
    del use.secrets.values["access_token"]
    with pytest.raises(AuthExpired, match="missing"):
        use(lambda a: a.check_connection())


@pytest.mark.parametrize("name", ["app_secret", "app_key"])
def test_a_wrong_app_credential_needs_login(use: Harness, name: str) -> None:
    use.secrets.values[name] = "0" * len(use.secrets.values[name])
    with pytest.raises(AuthExpired, match="isv.signature-invalid"):
        use(lambda a: a.check_connection())


def test_call_limit(use: Harness, fake: DouyinFake) -> None:
    fake.limit_calls(2)
    for _ in range(2):
        with pytest.raises(RateLimited) as raised:
            use(lambda a: a.check_connection())
        assert raised.value.retry_after > 0
    use(lambda a: a.check_connection())


@pytest.mark.parametrize(("kind", "words"), [("service", "dop.service-error"), ("http", "HTTP 502"),
                                             ("garbage", "malformed payload")])
def test_outages_are_temporary(use: Harness, fake: DouyinFake, kind: str, words: str) -> None:
    fake.fail(1, kind)
    with pytest.raises(Temporary, match=words):
        use(lambda a: a.check_connection())
    use(lambda a: a.check_connection())


def test_an_unreachable_gateway_is_temporary(use: Harness) -> None:
    with pytest.raises(Temporary, match="unreachable") as raised:
        use(lambda a: a.check_connection(), base_url="http://127.0.0.1:9")
    assert use.secrets.values["access_token"] not in str(raised.value)


def test_an_unknown_status_is_shown_and_logged(use: Harness, fake: DouyinFake,
                                               caplog: pytest.LogCaptureFixture) -> None:
    order_id = fake.add_orders(1)[0]
    fake.orders[order_id]["order_status"] = 107
    with caplog.at_level("WARNING", logger="seatdesk.plugin.douyin.test"):
        [event] = use(lambda a: a.fetch_orders(None), initial_days=1).events
    assert event.raw_status.startswith("107") and event.status is OrderStatus.PAID
    assert "unknown order_status 107" in caplog.text


def test_clock_skew_is_refused_with_advice(use: Harness, clock: Clock) -> None:
    real = clock.now
    use.clock = Clock(real + 3600)  # the adapter's clock is an hour ahead of the platform's
    with pytest.raises(Rejected, match="clock"):
        use(lambda a: a.check_connection())


# -- OAuth ----------------------------------------------------------------------------------------------
def test_authorize_url() -> None:
    url = DouyinAdapter.authorize_url({"service_id": "12345"}, {"app_key": "k"}, "urn:ietf:wg:oauth:2.0:oob", "s t")
    assert url == "https://fuwu.jinritemai.com/authorize?service_id=12345&state=s+t"
    with pytest.raises(Rejected, match="service_id"):
        DouyinAdapter.authorize_url({}, {"app_key": "k"}, "urn:ietf:wg:oauth:2.0:oob", "st")


def test_exchange_code_then_refresh(use: Harness, fake: DouyinFake, clock: Clock) -> None:
    del use.secrets.values["access_token"], use.secrets.values["refresh_token"]
    code = fake.issue_code()
    tokens = use(lambda a: a.exchange_code(code, "urn:ietf:wg:oauth:2.0:oob"))
    method, query, body = fake.calls[-1]
    assert method == "token.create" and "access_token" not in query
    assert json.loads(body) == {"code": code, "grant_type": "authorization_code"}
    assert tokens.access_token == fake.access_token and tokens.refresh_token == fake.refresh_token
    assert tokens.expires_at == clock.aware() + timedelta(days=7)
    assert tokens.refresh_expires_at == clock.aware() + timedelta(days=14)
    assert tokens.extra["shop_id"] == fake.platform_shop_id and tokens.extra["shop_name"] == fake.shop_name

    with pytest.raises(AuthExpired, match="code-expired"):  # single use
        use(lambda a: a.exchange_code(code, "urn:ietf:wg:oauth:2.0:oob"))

    use.secrets.values.update(access_token=tokens.access_token, refresh_token=tokens.refresh_token)
    use(lambda a: a.check_connection())
    clock.advance(3600)
    fresh = use(lambda a: a.refresh_tokens())
    assert json.loads(fake.calls[-1][2]) == {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
    assert fresh.access_token != tokens.access_token
    assert use.secrets.values["access_token"] == fresh.access_token == fake.access_token
    assert use.secrets.values["refresh_token"] == fresh.refresh_token
    use(lambda a: a.check_connection())


def test_an_expired_code_or_refresh_token_needs_login(use: Harness, fake: DouyinFake, clock: Clock) -> None:
    code = fake.issue_code()
    clock.advance(601)
    with pytest.raises(AuthExpired, match="code-expired"):
        use(lambda a: a.exchange_code(code, ""))
    clock.advance(14 * 86400)
    with pytest.raises(AuthExpired, match="token-expired"):
        use(lambda a: a.refresh_tokens())
    use.secrets.values["refresh_token"] = "nope"
    with pytest.raises(AuthExpired, match="token-invalid"):
        use(lambda a: a.refresh_tokens())


def test_tokens_for_another_shop_are_refused(use: Harness, fake: DouyinFake) -> None:
    fake.platform_shop_id = "99999"  # the shop the merchant really authorised
    code = fake.issue_code()
    fake.platform_shop_id = str(fake.shop_id)

    async def go(adapter: DouyinAdapter) -> object:
        adapter._ctx.platform_shop_id = "1234"  # what the user typed in the wizard
        return await adapter.exchange_code(code, "")
    with pytest.raises(Rejected, match="not shop 1234"):
        use(go)


def test_self_use_app_token(use: Harness, fake: DouyinFake) -> None:
    tokens = use(lambda a: a.authorize_self())
    assert json.loads(fake.calls[-1][2]) == {"code": "", "grant_type": "authorization_self",
                                             "shop_id": fake.shop_id}
    assert tokens.access_token == fake.access_token
