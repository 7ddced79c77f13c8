"""Order webhooks as push: signed deliveries from the fake shop handed to `push()` through a
WebhookQueue, as SeatDesk's receiver hands them over ([SPEC] research/platform-apis.md §6)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest

from desktop.sdk import AuthExpired, OrderEvent, PushUnavailable, Rejected
from desktop.sdk.push import WebhookQueue
from plugins.shopify.adapter import ShopifyAdapter
from plugins.shopify.signing import webhook_hmac
from plugins.shopify.tests.shopify_harness import Harness
from plugins.shopify.webhooks import (
    EVENT_ID_HEADER,
    HMAC_HEADER,
    SHOP_HEADER,
    TOPIC_HEADER,
    WEBHOOK_ID_HEADER,
    MalformedDelivery,
    SeenIds,
    order_gid,
)

URL = "https://hooks.example.test/webhooks/silk-and-tea"
Act = Callable[[WebhookQueue], Awaitable[list[int]]]
# [SPEC] §6 DERIVED vector: secret `hush`, this body → this X-Shopify-Hmac-SHA256
VECTOR_BODY = b'{"id":820982911946154508,"email":"jon@example.com","note":"VIP"}'
VECTOR_HMAC = "aARojNI5/ZO1ZV1iCuKdj7wiP/zRmjQQbZQsf8cBsi0="


def watch(shop: Harness, act: Act, *, expect: int = 0, ends: bool = False,
          wait_s: float = 5.0) -> tuple[list[OrderEvent], list[int]]:
    """Run the adapter's push while `act` delivers; → (events yielded, HTTP statuses answered).
    `expect`: wait for that many events; `ends`: wait for the stream to end (its error is raised)."""
    hooks = shop.webhooks = WebhookQueue(URL)

    async def use(adapter: ShopifyAdapter) -> tuple[list[OrderEvent], list[int]]:
        stream = adapter.push()
        events: list[OrderEvent] = []
        enough = asyncio.Event()

        async def collect() -> None:
            async for event in stream:
                assert isinstance(event, OrderEvent)
                events.append(event)
                if len(events) >= expect:
                    enough.set()
        task = asyncio.ensure_future(collect())
        try:
            statuses = await act(hooks)
            if ends:
                await asyncio.wait_for(task, wait_s)
            elif expect:
                await asyncio.wait_for(enough.wait(), wait_s)
            await asyncio.sleep(0.2)  # time for anything that should not come
            if task.done():
                task.result()
            return events, statuses
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await stream.aclose()
    return shop.call(use)


def delivering(*deliveries: tuple[dict[str, str], bytes]) -> Act:
    async def act(hooks: WebhookQueue) -> list[int]:
        return [(await hooks.deliver(headers, body)).status for headers, body in deliveries]
    return act


def fetched(shop: Harness) -> list[object]:
    return [v["id"] for name, v in shop.fake.calls if name == "SeatDeskOrder"]


# -- the happy path -----------------------------------------------------------------------------------------
def test_a_delivery_yields_the_order_as_the_feed_maps_it(shop: Harness) -> None:
    order = shop.fake.add_orders(3)[1]
    shop.fake.touch_order(order)
    events, statuses = watch(shop, delivering(shop.fake.webhook_for(order)), expect=1)
    assert statuses == [200]
    assert [e.platform_order_id for e in events] == [order]
    assert fetched(shop) == [f"gid://shopify/Order/{order}"]
    pulled = [e for page in shop.drain_orders()[0] for e in page.events if e.platform_order_id == order]
    assert events == pulled  # the same OrderEvent the pull makes


@pytest.mark.parametrize("topic", ["orders/create", "orders/paid", "orders/fulfilled", "orders/cancelled",
                                   "orders/edited", "fulfillments/create", "refunds/create"])
def test_every_order_topic_names_its_order(shop: Harness, topic: str) -> None:
    order = shop.fake.add_orders(1)[0]
    events, statuses = watch(shop, delivering(shop.fake.webhook(topic, order)), expect=1)
    assert statuses == [200] and ids_of(events) == [order]


def ids_of(events: list[OrderEvent]) -> list[str]:
    return [e.platform_order_id for e in events]


def test_several_deliveries_in_a_row(shop: Harness) -> None:
    made = shop.fake.add_orders(4)
    events, statuses = watch(shop, delivering(*(shop.fake.webhook_for(o) for o in made)), expect=4)
    assert statuses == [200] * 4 and ids_of(events) == made


def test_without_customer_details_the_push_asks_none(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    shop.fake.protected_data_approved = False
    hooks = shop.webhooks = WebhookQueue(URL)

    async def use(adapter: ShopifyAdapter) -> list[OrderEvent]:
        stream = adapter.push()
        reply = asyncio.ensure_future(hooks.deliver(*shop.fake.webhook_for(order)))
        event = await asyncio.wait_for(stream.__anext__(), 5)
        assert (await reply).status == 200
        await stream.aclose()
        assert isinstance(event, OrderEvent)
        return [event]
    events = shop.call(use, read_customer_details=False)
    assert ids_of(events) == [order] and events[0].receiver_masked == ""


# -- refusals ------------------------------------------------------------------------------------------------
def test_a_forged_delivery_is_refused_and_yields_nothing(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    headers, body = shop.fake.webhook_for(order)
    wrong_secret, _ = shop.fake.signed("orders/updated", json.loads(body), secret="shpss_someone_else")
    no_signature = {k: v for k, v in headers.items() if k != HMAC_HEADER}
    events, statuses = watch(shop, delivering(
        (headers, body.replace(order.encode(), b"1", 1)),  # the body changed on the way
        ({**headers, HMAC_HEADER: wrong_secret[HMAC_HEADER]}, body),
        (no_signature, body)))
    assert statuses == [401, 401, 401] and events == [] and fetched(shop) == []
    assert any("signature does not match" in line for line in shop.log.lines)


def test_a_delivery_for_another_shop_is_refused(shop: Harness) -> None:
    """The same app on another shop, registered with this shop's URL: genuine, not ours."""
    order = shop.fake.add_orders(1)[0]
    headers, body = shop.fake.webhook_for(order)
    events, statuses = watch(shop, delivering(({**headers, SHOP_HEADER: "other-shop.myshopify.com"}, body)))
    assert statuses == [401] and events == [] and fetched(shop) == []
    assert any("other-shop.myshopify.com" in line and "refused" in line for line in shop.log.lines)


def test_without_a_public_url_or_a_client_secret_there_is_no_push(shop: Harness) -> None:
    async def drain(adapter: ShopifyAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(PushUnavailable, match="未配置 Webhook 公网地址") as no_url:
        shop.call(drain)
    assert no_url.value.reason == "未配置 Webhook 公网地址，订单按轮询同步"
    shop.webhooks = WebhookQueue(URL)
    del shop.secrets.values["client_secret"]
    with pytest.raises(PushUnavailable, match="Client secret"):
        shop.call(drain)


# -- acknowledgement, retries and repeats -------------------------------------------------------------------------
def test_an_unanswered_delivery_is_sent_again_and_an_answered_one_is_not(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    webhook_id = shop.fake.publish("orders/updated", order)
    hooks = shop.webhooks = WebhookQueue(URL)

    def poster(queue: WebhookQueue) -> Callable[[dict[str, str], bytes], Awaitable[int]]:
        async def post(headers: dict[str, str], body: bytes) -> int:
            try:
                return (await queue.deliver(headers, body, timeout=0.3)).status
            except asyncio.TimeoutError:
                return 0  # no answer in time (Shopify allows 5 s)
        return post

    async def use(adapter: ShopifyAdapter) -> list[OrderEvent]:
        # SeatDesk was not running: nobody answered, so Shopify keeps the delivery
        assert await shop.fake.send_webhooks(poster(WebhookQueue(URL))) == {webhook_id: 0}
        assert list(shop.fake.outbox) == [webhook_id]
        stream = adapter.push()
        retry = asyncio.ensure_future(shop.fake.send_webhooks(poster(hooks)))
        event = await asyncio.wait_for(stream.__anext__(), 5)
        assert await retry == {webhook_id: 200}  # the same delivery, answered this time
        assert shop.fake.outbox == {} and await shop.fake.send_webhooks(poster(hooks)) == {}
        await stream.aclose()
        assert isinstance(event, OrderEvent)
        return [event]
    assert ids_of(shop.call(use)) == [order]


def test_shopify_gives_up_after_eight_retries(shop: Harness) -> None:
    shop.fake.publish("orders/updated", shop.fake.add_orders(1)[0])

    async def refuse(headers: dict[str, str], body: bytes) -> int:
        return 503

    async def rounds() -> list[int]:
        return [len(await shop.fake.send_webhooks(refuse)) for _ in range(10)]
    assert shop.call(lambda _: rounds()) == [1] * 9 + [0]


def test_a_repeated_delivery_is_answered_and_taken_once(shop: Harness) -> None:
    first, second = shop.fake.add_orders(2)
    headers, body = shop.fake.webhook_for(first)
    same_event, same_body = shop.fake.webhook("orders/paid", first)
    same_event[EVENT_ID_HEADER] = headers[EVENT_ID_HEADER]  # the same event for a second topic
    events, statuses = watch(shop, delivering((headers, body), (headers, body), (same_event, same_body),
                                              shop.fake.webhook_for(second)), expect=2)
    assert statuses == [200] * 4 and ids_of(events) == [first, second]
    assert len(fetched(shop)) == 2


# -- topics that name no order, malformed bodies, failed reads ------------------------------------------------
def test_topics_that_name_no_order_are_answered_and_ignored(shop: Harness) -> None:
    fake = shop.fake
    order = fake.add_orders(1)[0]
    others = [fake.signed("customers/update", {"id": 7400000000000, "tags": "VIP"}),
              fake.signed("orders/delete", {"id": int(order)}),
              fake.signed("app/uninstalled", {"id": 1, "domain": fake.domain}),
              fake.signed("shop/redact", {"shop_id": 1, "shop_domain": fake.domain})]
    events, statuses = watch(shop, delivering(*others))
    assert statuses == [200] * 4 and events == [] and fetched(shop) == []
    assert any("uninstalled" in line for line in shop.log.lines)


def test_a_malformed_delivery_is_logged_and_answered(shop: Harness) -> None:
    fake = shop.fake
    order = fake.add_orders(1)[0]
    not_json = b"<order id=1>"
    bad = [({**fake.signed("orders/updated", {})[0], HMAC_HEADER: webhook_hmac(not_json, fake.client_secret)},
            not_json),
           fake.signed("orders/updated", {"name": "#1001"}),
           fake.signed("orders/edited", {"order_edit": None}),
           fake.signed("refunds/create", {"order_id": "gid://shopify/Product/1"}),
           ({**fake.signed("x", {})[0], TOPIC_HEADER: ""}, b"{}")]
    bad[-1][0][HMAC_HEADER] = webhook_hmac(b"{}", fake.client_secret)
    events, statuses = watch(shop, delivering(*bad, fake.webhook_for(order)), expect=1)
    assert statuses == [200] * 6 and ids_of(events) == [order]  # and the push went on
    assert sum("the next poll reads the order" in line for line in shop.log.lines) == 4
    assert not any("<order" in line for line in shop.log.lines)  # bodies are not logged


def test_a_failed_read_is_logged_and_left_to_the_poll(shop: Harness) -> None:
    first, second = shop.fake.add_orders(2)
    shop.fake.fail()  # Shopify is down for the first read; the delivery was answered already
    events, statuses = watch(shop, delivering(shop.fake.webhook_for(first), shop.fake.webhook_for(second)),
                             expect=1)
    assert statuses == [200, 200] and ids_of(events) == [second]
    assert any(f"order gid://shopify/Order/{first}" in line and "HTTP 503" in line for line in shop.log.lines)


def test_an_order_that_no_longer_exists_yields_nothing(shop: Harness) -> None:
    """The published vector: genuine (secret `hush`), for an order the shop does not have."""
    shop.secrets.set("client_secret", "hush")
    assert webhook_hmac(VECTOR_BODY, "hush") == VECTOR_HMAC
    headers = {TOPIC_HEADER: "orders/updated", HMAC_HEADER: VECTOR_HMAC, SHOP_HEADER: shop.fake.domain,
               WEBHOOK_ID_HEADER: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"}
    events, statuses = watch(shop, delivering((headers, VECTOR_BODY)))
    assert statuses == [200] and events == [] and fetched(shop) == ["gid://shopify/Order/820982911946154508"]
    assert any("no longer exists" in line for line in shop.log.lines)


def test_a_refused_token_ends_the_push_with_auth_expired(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    shop.fake.expire_token()
    with pytest.raises(AuthExpired, match="HTTP 401"):
        watch(shop, delivering(shop.fake.webhook_for(order)), ends=True)


def test_no_secret_reaches_the_log(shop: Harness) -> None:
    order = shop.fake.add_orders(1)[0]
    headers, body = shop.fake.webhook_for(order)
    watch(shop, delivering((headers, body + b" "), (headers, body)), expect=1)
    text = "\n".join(shop.log.lines)
    for value in shop.fake.secrets().values():
        assert value not in text
    assert headers[HMAC_HEADER] not in text


# -- the pure parts ----------------------------------------------------------------------------------------------
def test_order_gid_reads_each_payload_shape() -> None:
    assert order_gid("orders/updated", b'{"id":5,"admin_graphql_api_id":"gid://shopify/Order/5"}') == \
        "gid://shopify/Order/5"
    assert order_gid("orders/create", b'{"id":820982911946154508}') == "gid://shopify/Order/820982911946154508"
    assert order_gid("orders/edited", b'{"order_edit":{"order_id":7}}') == "gid://shopify/Order/7"
    assert order_gid("fulfillments/update", b'{"id":1,"order_id":"8"}') == "gid://shopify/Order/8"
    assert order_gid("customers/update", b"not even json") is None
    assert order_gid("orders/delete", b'{"id":5}') is None
    for topic, body in (("orders/paid", b'{"id":true}'), ("orders/paid", b'{"id":-1}'), ("orders/paid", b"[]"),
                        ("orders/paid", b"\xff"), ("refunds/create", b'{"order_id":"x"}')):
        with pytest.raises(MalformedDelivery):
            order_gid(topic, body)


def test_seen_ids_forget_the_oldest() -> None:
    seen = SeenIds(2)
    assert [seen.repeat(k) for k in ("a", "b", "a", "c")] == [False, False, True, False]
    assert seen.repeat("a") and not seen.repeat("b")  # "a" was seen last, "b" was forgotten
    assert not seen.repeat("") and not seen.repeat("")


# -- subscribing the public URL ---------------------------------------------------------------------------------
def test_the_shops_url_is_subscribed_to_the_order_topics_once(shop: Harness) -> None:
    shop.webhooks = WebhookQueue(URL)
    assert shop.call(lambda a: a.subscribe_webhooks()) == ["ORDERS_CREATE", "ORDERS_UPDATED", "APP_UNINSTALLED"]
    assert sorted(shop.fake.subscriptions) == sorted(
        (topic, URL) for topic in ("ORDERS_CREATE", "ORDERS_UPDATED", "APP_UNINSTALLED"))
    sent = [v for name, v in shop.fake.calls if name == "SeatDeskWebhookSubscribe"]
    assert sent[0] == {"topic": "ORDERS_CREATE", "webhookSubscription": {"uri": URL, "format": "JSON"}}
    # again: "already been taken" counts as subscribed, nothing new is made
    assert shop.call(lambda a: a.subscribe_webhooks()) == ["ORDERS_CREATE", "ORDERS_UPDATED", "APP_UNINSTALLED"]
    assert len(shop.fake.subscriptions) == 3
    other = "https://relay.example.test/shopify"
    shop.call(lambda a: a.subscribe_webhooks(other))
    assert len(shop.fake.subscriptions) == 6


def test_subscription_refusals(shop: Harness) -> None:
    with pytest.raises(Rejected, match="https://"):
        shop.call(lambda a: a.subscribe_webhooks())  # no public URL at all
    with pytest.raises(Rejected, match="https://"):
        shop.call(lambda a: a.subscribe_webhooks("http://hooks.example.test/x"))
    shop.fake.grant("read_customers")
    with pytest.raises(Rejected, match="requires `read_orders` access scope"):
        shop.call(lambda a: a.subscribe_webhooks(URL))
    assert shop.fake.subscriptions == {}
