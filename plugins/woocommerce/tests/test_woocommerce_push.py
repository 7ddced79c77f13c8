"""Push over WooCommerce webhooks (research/platform-apis.md §7, desktop.sdk.push): the adapter's
push() against deliveries the fake site signs, answered as WooCommerce expects."""

from __future__ import annotations

import json

import pytest
from plugins.woocommerce.tests.woocommerce_harness import Harness, events_of

from desktop.sdk import AuthExpired, OrderEvent, OrderStatus, PushUnavailable
from desktop.sdk.push import WebhookQueue
from desktop.sdk.testing import Delivery, WebhookPushRun, drive_webhook_push
from plugins.woocommerce.adapter import NO_PUBLIC_URL, NO_WEBHOOK_SECRET, WooCommerceAdapter
from plugins.woocommerce.fake import WooCommerceFake
from plugins.woocommerce.webhooks import SIGNATURE_HEADER, SOURCE_HEADER, TOPIC_HEADER, php_json, webhook_signature

def push(wc: Harness, deliveries: list[Delivery]) -> WebhookPushRun:
    """Run push() while the deliveries are POSTed one by one, then a creation ping (answered
    without yielding: once it is, every delivery before it is done)."""
    hooks = wc.webhooks = WebhookQueue("https://hooks.example.test/webhooks/1")
    fake: WooCommerceFake = wc.fake
    return wc.call(lambda adapter: drive_webhook_push(adapter, hooks, [*deliveries, fake.ping_delivery()]))


def rest_calls(fake: WooCommerceFake) -> list[str]:
    return fake.routes()


# -- the happy path --------------------------------------------------------------------------------------
def test_a_signed_order_update_is_answered_and_yields_the_order_as_the_feed_maps_it(
        wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    wc_fake.shop.add_note(int(order_id), "顾客要求周末送货", customer_note=False, by_user=True)
    wc_fake.touch_order(order_id)
    [pulled] = [e for e in events_of(wc.drain_orders()[0]) if e.platform_order_id == order_id]
    wc_fake.requests.clear()
    run = push(wc, [wc_fake.webhook_for(order_id)])
    assert [r.status for r in run.replies] == [200, 200] and run.error is None
    [event] = run.events
    assert event == pulled and event.extra == pulled.extra, "push maps the order as the pull does"
    assert event.seller_memo == "顾客要求周末送货"
    # the body is the order already: the one call is its notes (the memo), never the order again
    assert rest_calls(wc_fake) == [f"/orders/{order_id}/notes"]


@pytest.mark.parametrize("topic", ["order.created", "order.updated", "order.restored"])
def test_every_topic_whose_body_is_the_order_yields_it(wc: Harness, wc_fake: WooCommerceFake, topic: str) -> None:
    order_id = wc_fake.add_orders(1)[0]
    run = push(wc, [wc_fake.webhook_delivery(order_id, topic)])
    assert [e.platform_order_id for e in run.events] == [order_id]


def test_several_deliveries_each_yield_their_order(wc: Harness, wc_fake: WooCommerceFake) -> None:
    made = wc_fake.add_orders(3)
    run = push(wc, [wc_fake.webhook_for(order_id) for order_id in made])
    assert [e.platform_order_id for e in run.events] == made
    assert all(r.status == 200 for r in run.replies)


def test_the_creation_ping_is_answered_200_and_yields_nothing(wc: Harness, wc_fake: WooCommerceFake) -> None:
    run = push(wc, [wc_fake.ping_delivery()])
    assert [r.status for r in run.replies] == [200, 200]  # WooCommerce keeps the webhook only on 200
    assert run.events == [] and rest_calls(wc_fake) == []


# -- refusals and things ignored -------------------------------------------------------------------------
def forged(wc_fake: WooCommerceFake, order_id: str) -> list[Delivery]:
    headers, body = wc_fake.webhook_for(order_id)
    other_secret = {**headers, SIGNATURE_HEADER: webhook_signature(body, "not-the-secret")}
    unsigned = {k: v for k, v in headers.items() if k != SIGNATURE_HEADER}
    tampered = body.replace(b'"status":"', b'"status":"x', 1)
    return [(headers, tampered), (other_secret, body), (unsigned, body), (headers, body + b" ")]


def test_a_forged_delivery_is_refused_401_and_never_read(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    run = push(wc, forged(wc_fake, order_id))
    assert [r.status for r in run.replies] == [401, 401, 401, 401, 200]
    assert run.events == [] and rest_calls(wc_fake) == [] and run.error is None
    assert any("signature does not match" in line for line in wc.log.lines)


@pytest.mark.parametrize("topic", ["product.updated", "customer.created", "coupon.deleted", "action.woocommerce_x"])
def test_other_topics_are_answered_and_ignored(wc: Harness, wc_fake: WooCommerceFake, topic: str) -> None:
    order_id = wc_fake.add_orders(1)[0]
    run = push(wc, [wc_fake.webhook_delivery(order_id, topic)])
    assert run.replies[0].status == 200 and run.events == [] and rest_calls(wc_fake) == []


def test_a_delivery_from_another_site_with_the_same_secret_is_not_taken(
        wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    staging = wc_fake.webhook_delivery(order_id, source="https://staging.shop.example.cn/")
    run = push(wc, [staging, wc_fake.webhook_for(order_id)])
    assert [r.status for r in run.replies] == [200, 200, 200]
    assert [e.platform_order_id for e in run.events] == [order_id]  # only the shop's own
    assert any("another site" in line for line in wc.log.lines)


def test_a_delivery_without_a_source_header_is_taken_on_its_signature(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    headers, body = wc_fake.webhook_for(order_id)
    del headers[SOURCE_HEADER]  # WooCommerce before 2.6
    assert [e.platform_order_id for e in push(wc, [(headers, body)]).events] == [order_id]


# -- order.deleted: moved to the trash ---------------------------------------------------------------------
def test_a_trashed_order_is_read_again_and_yielded_closed(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    wc_fake.trash_order(order_id)
    assert order_id not in [e.platform_order_id for e in events_of(wc.drain_orders()[0])], \
        "the feed never lists the trash: only the webhook tells"
    headers, body = wc_fake.webhook_delivery(order_id, "order.deleted")
    assert json.loads(body) == {"id": int(order_id)}
    wc_fake.requests.clear()
    [event] = push(wc, [(headers, body)]).events
    assert (event.platform_order_id, event.status, event.raw_status) == (order_id, OrderStatus.CLOSED, "trash")
    assert rest_calls(wc_fake) == [f"/orders/{order_id}", f"/orders/{order_id}/notes"]


def test_an_order_deleted_for_good_is_logged_and_skipped(wc: Harness, wc_fake: WooCommerceFake) -> None:
    first, second = wc_fake.add_orders(2)
    deleted = wc_fake.webhook_delivery(first, "order.deleted")
    wc_fake.delete_order(first)
    run = push(wc, [deleted, wc_fake.webhook_for(second)])
    assert run.replies[0].status == 200 and run.error is None
    assert [e.platform_order_id for e in run.events] == [second]
    assert any("order.deleted not taken" in line and "404" in line for line in wc.log.lines)


# -- malformed, failures and the end of the stream ---------------------------------------------------------
def signed(wc_fake: WooCommerceFake, body: bytes, topic: str = "order.updated") -> Delivery:
    headers, _ = wc_fake.webhook_for(wc_fake.add_orders(1)[0])
    return {**headers, TOPIC_HEADER: topic, SIGNATURE_HEADER: webhook_signature(body, wc_fake.webhook_secret)}, body


def test_a_malformed_signed_delivery_is_answered_logged_and_skipped(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    no_currency = {**wc_fake.shop.get_order(int(order_id)), "currency": ""}
    bad = [signed(wc_fake, b"{not json"), signed(wc_fake, b"[]"),
           signed(wc_fake, php_json({"order": {"id": 1}})),  # a webhook left on the legacy API
           signed(wc_fake, php_json(no_currency)), signed(wc_fake, b'{"id":"x"}', "order.deleted")]
    run = push(wc, [*bad, wc_fake.webhook_for(order_id)])
    assert all(r.status == 200 for r in run.replies), "acknowledged: WooCommerce would count failures"
    assert [e.platform_order_id for e in run.events] == [order_id], "the stream goes on after them"
    problems = [line for line in wc.log.lines if "not taken" in line]
    assert len(problems) == len(bad) and any("WP REST API Integration v3" in line for line in problems)


def test_a_site_outage_during_the_follow_up_is_left_to_the_pulls(wc: Harness, wc_fake: WooCommerceFake) -> None:
    first, second = wc_fake.add_orders(2)
    wc_fake.fail(1)  # the notes call of the first delivery
    run = push(wc, [wc_fake.webhook_for(first), wc_fake.webhook_for(second)])
    assert [r.status for r in run.replies] == [200, 200, 200], "answered before the follow-up call"
    assert [e.platform_order_id for e in run.events] == [second] and run.error is None
    assert any("HTTP 500" in line for line in wc.log.lines)


def test_a_revoked_rest_key_ends_the_stream_with_auth_expired(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    delivery = wc_fake.webhook_for(order_id)
    wc_fake.expire_token()
    run = push(wc, [delivery])
    assert run.replies[0].status == 200 and run.events == []
    assert isinstance(run.error, AuthExpired)


def test_without_a_public_url_push_is_unavailable(wc: Harness) -> None:
    async def use(adapter: WooCommerceAdapter) -> None:
        with pytest.raises(PushUnavailable) as raised:
            async for _ in adapter.push():
                pass
        assert raised.value.reason == NO_PUBLIC_URL
    wc.call(use)


def test_without_a_webhook_secret_push_is_unavailable(wc: Harness) -> None:
    wc.webhooks = WebhookQueue("https://hooks.example.test/webhooks/1")
    wc.secrets.values.pop("webhook_secret")

    async def use(adapter: WooCommerceAdapter) -> None:
        with pytest.raises(PushUnavailable) as raised:
            async for _ in adapter.push():
                pass
        assert "webhook secret not set" in raised.value.reason and raised.value.reason == NO_WEBHOOK_SECRET
    wc.call(use)


def test_the_webhook_secret_is_an_optional_secret_credential() -> None:
    [field] = [f for f in WooCommerceAdapter.info.credential_fields if f.name == "webhook_secret"]
    assert field.secret and "可选" in field.label
    assert WooCommerceAdapter.info.credential_fields[0].name == "consumer_key"  # still the one a login needs


def test_no_secret_and_no_personal_data_reach_the_log(wc: Harness, wc_fake: WooCommerceFake) -> None:
    order_id = wc_fake.add_orders(1)[0]
    order = wc_fake.shop.orders[int(order_id)]
    push(wc, [*forged(wc_fake, order_id), wc_fake.webhook_for(order_id), signed(wc_fake, b"{not json")])
    text = "\n".join(wc.log.lines)
    for value in (wc_fake.webhook_secret, wc_fake.consumer_key, wc_fake.consumer_secret, order.email, order.phone):
        assert value not in text
