"""Push end to end, in the real app over loopback: a changed order reaches the store through
the platform's push (TMC, the PMC WebSocket, a webhook POSTed to SeatDesk's receiver) while
the pulls are an hour apart, so nothing else could have brought it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from conftest import wait_until

from desktop.core.views import OrderFilter

AN_HOUR = 3600.0


def core_with(tmp_path: Path, plugin: str, **settings: object):
    from desktop.app import build_core

    values = {"engine.poll_interval": AN_HOUR, "engine.push_poll_interval": AN_HOUR, **settings}
    (tmp_path / "settings.json").write_text(json.dumps(values), "utf-8")
    return build_core(tmp_path, plugins=[plugin], memory_secrets=True)


def status_of(desk, platform_order_id: str) -> tuple[str, int] | None:
    """The order's platform status and its last change, as the store has them."""
    for row in desk.orders(OrderFilter()):
        if row.platform_order_id == platform_order_id:
            return row.raw_status, row.updated_at
    return None


def add_and_pull(desk, platform: str, fake, n: int = 2) -> tuple[int, list[str]]:
    ids = fake.add_orders(n)
    shop_id = desk.add_shop(platform, fake.platform_shop_id, "推送店", fake.secrets(), fake.settings()).result(10)
    wait_until(lambda: desk.count_orders(OrderFilter()) == n, 30)  # the first pull, at start
    wait_until(lambda: desk.shops()[0].push_state == "live", 10)
    return shop_id, ids


@pytest.mark.parametrize("platform", ["taobao", "pinduoduo"])
def test_a_platform_stream_delivers_an_order_change_between_pulls(tmp_path, platform):
    if platform == "taobao":
        from plugins.taobao.fake import TaobaoFake as Fake
    else:
        from plugins.pinduoduo.fake import PinduoduoFake as Fake

    core = core_with(tmp_path, platform)
    try:
        with Fake() as fake:
            desk = core.desk
            _, ids = add_and_pull(desk, platform, fake)
            if platform == "taobao":
                wait_until(fake.tmc_permitted, 10)
            else:
                wait_until(lambda: fake.pmc.connections > 0, 10)
            before = status_of(desk, ids[0])
            fake.touch_order(ids[0])
            wait_until(lambda: status_of(desk, ids[0]) != before, 20)
            assert desk.count_orders(OrderFilter()) == 2  # the same order, changed: not a new one
            if platform == "pinduoduo":
                wait_until(lambda: not fake.pmc.pending(), 10)  # acknowledged once taken
    finally:
        core.close()


def test_a_webhook_posted_to_the_receiver_updates_the_order_and_a_forged_one_is_refused(tmp_path):
    from plugins.woocommerce.fake import WooCommerceFake

    core = core_with(tmp_path, "woocommerce", **{"webhooks.listen": "127.0.0.1:0",
                                                 "webhooks.public_url": "https://hooks.example.test"})
    try:
        with WooCommerceFake() as fake:
            desk = core.desk
            live, where = desk.webhook_status()
            assert live and where.endswith("https://hooks.example.test")
            shop_id, ids = add_and_pull(desk, "woocommerce", fake)
            assert desk.webhook_url(shop_id) == f"https://hooks.example.test/webhooks/{shop_id}"
            host, port = core.runner.webhooks.address
            url = f"http://{host}:{port}/webhooks/{shop_id}"
            # WooCommerce's ping on creating the webhook: 200, nothing stored
            assert httpx.post(url, content=b"webhook_id=7",
                              headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 200
            with fake.lock:  # an order that moves on when touched (WordPress dates keep seconds only)
                fake.shop.orders[int(ids[0])].status = "pending"
            before = status_of(desk, ids[0])
            fake.touch_order(ids[0])  # pending → processing
            headers, body = fake.webhook_for(ids[0])
            forged = httpx.post(url, content=body.replace(b'"status"', b'"status" ', 1), headers=headers)
            assert forged.status_code == 401
            assert status_of(desk, ids[0]) == before
            assert httpx.post(url, content=body, headers=headers).status_code == 200
            wait_until(lambda: status_of(desk, ids[0]) != before, 20)
            assert desk.count_orders(OrderFilter()) == 2
    finally:
        core.close()


def test_a_webhook_shop_without_a_receiver_says_so_and_is_polled(tmp_path):
    from plugins.woocommerce.fake import WooCommerceFake

    core = core_with(tmp_path, "woocommerce", **{"engine.poll_interval": 0.2})
    try:
        with WooCommerceFake() as fake:
            desk = core.desk
            ids = fake.add_orders(1)
            with fake.lock:
                fake.shop.orders[int(ids[0])].status = "pending"
            desk.add_shop("woocommerce", fake.platform_shop_id, "店", fake.secrets(), fake.settings()).result(10)
            shop = wait_until(lambda: (s := desk.shops()[0]).push_state == "off" and s, 20)
            assert "Webhook" in shop.push_detail
            before = status_of(desk, ids[0])
            fake.touch_order(ids[0])
            wait_until(lambda: status_of(desk, ids[0]) != before, 20)  # polled at the normal pace
    finally:
        core.close()
