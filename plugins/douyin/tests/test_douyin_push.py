"""Doudian message push (research §4.7, desktop.sdk.push): push() against deliveries the fake signs,
answered as Doudian expects, each named order read once with order.orderDetail."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from desktop.sdk import AuthExpired, OrderEvent, PushUnavailable
from desktop.sdk.push import WebhookQueue, WebhookReply
from desktop.sdk.testing import Delivery, WebhookPushRun, drive_webhook_push
from plugins.douyin.adapter import NO_PUBLIC_URL, DouyinAdapter
from plugins.douyin.fake import DouyinFake, push_body
from plugins.douyin.protocol import M_ORDER_DETAIL
from plugins.douyin.push import (
    EVENT_SIGN_HEADER,
    ORDER_TAGS,
    REPLY_FAIL,
    REPLY_OK,
    PushMessage,
    event_sign,
    pushed_orders,
    split_push_body,
)
from plugins.douyin.tests.douyin_harness import Harness

# DERIVED vector (research §4.7)
APP_KEY, SECRET = "1234567890123456789", "testsecret"
VECTOR_BODY = (b'[{"tag":"113","msg_id":"7000000000000000001","data":"{\\"p_id\\":6920000000000000001,'
               b'\\"remark\\":\\"x\\",\\"shop_id\\":1,\\"star\\":5,\\"update_time\\":1700000000}"}]')
VECTOR_SIGN = "f23b65b718c79d98ea2379d6f79f470b"


def barrier(fake: DouyinFake) -> Delivery:
    """A delivery of a product message: answered only after every delivery before it is done."""
    return fake.push_delivery([("417", {"product_id": 3581234567, "shop_id": fake.shop_id})])


def push(use: Harness, deliveries: list[Delivery]) -> WebhookPushRun:
    """Run push() while the deliveries are POSTed in turn (each reply shown to the fake, as Doudian
    sees it), then a barrier delivery."""
    hooks = use.webhooks = WebhookQueue("https://hooks.example.test/webhooks/2")

    def shown(body: bytes, reply: WebhookReply) -> None:
        use.fake.record_reply(body, reply.status, reply.body)
    return use(lambda adapter: drive_webhook_push(adapter, hooks, [*deliveries, barrier(use.fake)],
                                                  on_reply=shown))


def details(fake: DouyinFake) -> list[str]:
    return [json.loads(body)["shop_order_id"] for method, _, body in fake.calls if method == M_ORDER_DETAIL]


def signed(fake: DouyinFake, body: bytes) -> Delivery:
    return {"Content-Type": "application/json", EVENT_SIGN_HEADER: event_sign(fake.app_key, fake.app_secret, body)}, body


# -- the spec's vector, byte for byte -------------------------------------------------------------------
def test_the_fake_lays_out_a_push_body_as_the_spec_vector() -> None:
    body = push_body([("113", "7000000000000000001", {"update_time": 1700000000, "star": 5, "shop_id": 1,
                                                        "remark": "x", "p_id": 6920000000000000001})])
    assert body == VECTOR_BODY
    assert event_sign(APP_KEY, SECRET, body) == VECTOR_SIGN


def test_the_fakes_delivery_is_signed_and_names_the_order(fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    headers, body = fake.webhook_for(order_id)
    assert headers[EVENT_SIGN_HEADER] == event_sign(fake.app_key, fake.app_secret, body)
    [message] = json.loads(body)
    data = json.loads(message["data"])
    assert message["tag"] == "101" and data["p_id"] == int(order_id) and data["shop_id"] == fake.shop_id


# -- the happy path --------------------------------------------------------------------------------------
def test_a_signed_delivery_is_answered_success_and_yields_the_order_as_the_pull_maps_it(
        use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    fake.touch_order(order_id)
    pulled = use(lambda a: a.fetch_order(order_id))
    run = push(use, [fake.webhook_for(order_id)])
    assert [(r.status, r.body) for r in run.replies] == [(200, REPLY_OK)] * 2
    assert run.replies[0].content_type.startswith("application/json")
    assert run.events == [pulled] and run.events[0].extra == pulled.extra and run.error is None
    assert fake.unacknowledged() == [], "answered success: Doudian does not send it again"


@pytest.mark.parametrize("tag", ["100", "101", "102", "103", "104", "105", "106", "108", "109", "110", "111",
                                 "113", "126", "200", "206", "207", "212", "218", "224", "227"])
def test_every_order_and_after_sale_tag_yields_its_order(use: Harness, fake: DouyinFake, tag: str) -> None:
    order_id = fake.add_orders(1)[0]
    run = push(use, [fake.webhook_for(order_id, tag)])
    assert [e.platform_order_id for e in run.events] == [order_id]


def test_a_delivery_of_several_messages_reads_each_order_once(use: Harness, fake: DouyinFake) -> None:
    first, second = fake.add_orders(2)
    delivery = fake.push_delivery([(tag, fake.push_data(order_id, tag)) for tag, order_id in
                                   (("101", first), ("113", first), ("102", second), ("200", first))])
    fake.calls.clear()
    run = push(use, [delivery])
    assert [e.platform_order_id for e in run.events] == [first, second]
    assert details(fake) == [first, second]


@pytest.mark.parametrize("tag", ["400", "417", "0", "300", "99", "114", "228"])
def test_other_tags_are_answered_success_and_ignored(use: Harness, fake: DouyinFake, tag: str) -> None:
    order_id = fake.add_orders(1)[0]
    fake.calls.clear()
    run = push(use, [fake.push_delivery([(tag, fake.push_data(order_id, tag))])])
    assert run.replies[0].body == REPLY_OK and run.events == [] and details(fake) == []
    assert fake.unacknowledged() == []


def test_messages_for_another_shop_of_the_same_app_are_not_taken(use: Harness, fake: DouyinFake) -> None:
    mine, theirs = fake.add_orders(2)
    delivery = fake.push_delivery([("101", fake.push_data(theirs, "101", shop_id=fake.shop_id + 1)),
                                   ("101", fake.push_data(mine, "101"))])
    fake.calls.clear()
    run = push(use, [delivery])
    assert run.replies[0].body == REPLY_OK
    assert [e.platform_order_id for e in run.events] == [mine] and details(fake) == [mine]


# -- refusals, malformed messages and failures -------------------------------------------------------------
def test_a_forged_delivery_is_refused_and_never_read(use: Harness, fake: DouyinFake,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    order_id = fake.add_orders(1)[0]
    headers, body = fake.webhook_for(order_id)
    forged = [(headers, body.replace(b'\\"shop_id', b'\\"shop_idx', 1)),
              ({**headers, EVENT_SIGN_HEADER: event_sign(fake.app_key, "another-secret", body)}, body),
              ({"Content-Type": "application/json"}, body)]
    fake.calls.clear()
    with caplog.at_level(logging.WARNING):
        run = push(use, forged)
    assert [(r.status, r.body) for r in run.replies[:3]] == [(401, REPLY_FAIL)] * 3
    assert run.events == [] and details(fake) == [] and run.error is None
    assert "event-sign does not match" in caplog.text


def test_a_delivery_not_answered_success_is_sent_again_and_then_taken(use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    delivery = fake.webhook_for(order_id)
    right = use.secrets.values["app_secret"]
    use.secrets.values["app_secret"] = "a-secret-typed-wrong"
    assert push(use, [delivery]).replies[0].status == 401
    assert delivery in fake.unacknowledged(), "refused: Doudian keeps it to send again"
    use.secrets.values["app_secret"] = right
    run = push(use, fake.unacknowledged())
    assert [e.platform_order_id for e in run.events] == [order_id]
    assert fake.unacknowledged() == [], "acknowledged: not sent again"


def test_malformed_messages_are_acknowledged_logged_and_do_not_cost_the_others(
        use: Harness, fake: DouyinFake, caplog: pytest.LogCaptureFixture) -> None:
    order_id = fake.add_orders(1)[0]
    good = {"tag": "101", "msg_id": "1", "data": json.dumps(fake.push_data(order_id, "101"))}
    mixed = json.dumps([{"tag": "101", "msg_id": "2", "data": "{not json"},
                        {"tag": "101", "msg_id": "3", "data": json.dumps({"shop_id": fake.shop_id})},
                        {"tag": "101", "msg_id": "4", "data": json.dumps({"p_id": int(order_id)})},
                        {"tag": 101, "msg_id": "5", "data": "{}"}, good]).encode()
    with caplog.at_level(logging.WARNING):
        run = push(use, [signed(fake, b"{not json"), signed(fake, b'{"tag":"101"}'), signed(fake, mixed)])
    assert [(r.status, r.body) for r in run.replies] == [(200, REPLY_OK)] * 4, "acknowledged: never loop"
    assert [e.platform_order_id for e in run.events] == [order_id]
    assert caplog.text.count("抖店 push") == 6 and "lacks p_id" in caplog.text and "lacks shop_id" in caplog.text


def test_an_order_that_cannot_be_read_is_left_to_the_pulls(use: Harness, fake: DouyinFake,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    first, second = fake.add_orders(2)
    unknown = fake.push_delivery([("101", {**fake.push_data(first, "101"), "p_id": 6920000000000000001})])
    outage = fake.webhook_for(first)
    fake.fail(1, "http")  # the orderDetail of the first delivery
    with caplog.at_level(logging.WARNING):
        run = push(use, [outage, unknown, fake.webhook_for(second)])
    assert [r.body for r in run.replies] == [REPLY_OK] * 4, "answered before the order is read"
    assert [e.platform_order_id for e in run.events] == [second] and run.error is None, "the stream goes on"
    assert "HTTP 502" in caplog.text and "订单不存在" in caplog.text


def test_an_expired_token_ends_the_stream_with_auth_expired(use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    fake.expire_token()
    run = push(use, [fake.webhook_for(order_id)])
    assert run.replies[0].body == REPLY_OK and run.events == []
    assert isinstance(run.error, AuthExpired)


def test_without_the_app_secret_the_delivery_is_left_for_doudian_to_send_again(
        use: Harness, fake: DouyinFake) -> None:
    order_id = fake.add_orders(1)[0]
    use.secrets.values.pop("app_secret")
    delivery = fake.webhook_for(order_id)
    run = push(use, [delivery])
    assert (run.replies[0].status, run.replies[0].body) == (503, REPLY_FAIL)
    assert isinstance(run.error, AuthExpired) and delivery in fake.unacknowledged()


def test_without_a_public_url_push_is_unavailable(use: Harness) -> None:
    async def go(adapter: DouyinAdapter) -> None:
        with pytest.raises(PushUnavailable) as raised:
            async for _ in adapter.push():
                pass
        assert raised.value.reason == NO_PUBLIC_URL
    use(go)


# -- the pure part -----------------------------------------------------------------------------------------
def message(tag: str, **data: Any) -> PushMessage:
    return PushMessage(tag, f"m{tag}", data)


def test_pushed_orders_reads_p_id_as_number_or_string() -> None:
    found = pushed_orders([message("126", p_id="6920000000000000001", shop_id=7),
                           message("113", p_id=6920000000000000002, shop_id=7),
                           message("100", p_id=6920000000000000001, shop_id="7"),
                           message("200", p_id=True, shop_id=7), message("101", p_id="0", shop_id=7),
                           message("417", product_id=1, shop_id=7), message("101", p_id=1, shop_id=8)], "7")
    assert found.order_ids == ("6920000000000000001", "6920000000000000002")
    assert found.ignored == ("m417",) and found.other_shops == ("m101",) and len(found.problems) == 2


def test_the_order_tags() -> None:
    assert {"100", "113", "126", "200", "227"} <= ORDER_TAGS
    assert not {"99", "114", "125", "127", "199", "228", "400", "417", "0"} & ORDER_TAGS


def test_split_push_body_keeps_the_good_messages() -> None:
    messages, problems = split_push_body(b'[1,{"tag":"101","msg_id":"9","data":"{}"}]')
    assert [m.msg_id for m in messages] == ["9"] and len(problems) == 1
    for bad in (b"{}", b"\xff", b"[{"):
        with pytest.raises(ValueError):
            split_push_body(bad)


# -- the self-use app (自用型) ----------------------------------------------------------------------------
def test_a_self_use_token_serves_the_shop(use: Harness, fake: DouyinFake) -> None:
    use.secrets.values.update(access_token="", refresh_token="")
    tokens = use(lambda a: a.authorize_self())
    assert tokens.extra["shop_id"] == fake.platform_shop_id
    use.secrets.values.update(access_token=tokens.access_token, refresh_token=tokens.refresh_token)
    use(lambda a: a.check_connection())
