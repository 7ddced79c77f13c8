"""The webhook receiver: real HTTP over loopback into a shop's adapter on the engine's loop,
the refusals it makes itself, and the shop's push state (live, off: polled instead)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator

import httpx
import pytest
from fakes import FakeAdapter, FakePlatform, order
from test_engine import wait_for

from desktop.core.desk import Desk
from desktop.core.engine import EngineRunner
from desktop.core.registry import Registry
from desktop.core.secrets import MemoryKeyring, SecretStore
from desktop.core.shops import save_shop
from desktop.core.views import OrderFilter
from desktop.core.webhooks import WebhookReceiver, parse_listen, shop_url
from desktop.sdk import Capability, Event, PushUnavailable
from desktop.sdk.push import MAX_BODY_BYTES


class HookAdapter(FakeAdapter):
    """Pushes by webhook: header X-Sig must say "good"; the body is an order id."""

    info = dataclasses.replace(FakeAdapter.info, platform_id="hooked", push_by_webhook=True,
                               capabilities=FakeAdapter.info.capabilities | {Capability.PUSH})

    async def push(self) -> AsyncGenerator[Event, None]:
        hooks = self.ctx.webhooks
        if hooks is None:
            raise PushUnavailable("no public webhook URL")
        async for delivery in hooks:
            if delivery.header("X-Sig") != "good":
                delivery.reply(401, b"bad signature")
                continue
            delivery.reply(200, b'{"code":0}', "application/json")
            yield order(delivery.body.decode(), buyer="hooked-buyer")


@pytest.fixture
def running(db):
    FakeAdapter.platform = FakePlatform()
    secrets = SecretStore(MemoryKeyring())
    shop = save_shop(db, secrets, platform="hooked", platform_shop_id="s1", name="店", credentials={})
    receiver = WebhookReceiver("127.0.0.1:0", "https://hooks.example.test/")
    runner = EngineRunner(db, Registry.of(HookAdapter), secrets, poll_interval=0.05, webhooks=receiver)
    runner.start()
    host, port = receiver.address
    yield Desk(db, runner.registry, runner, "小王"), f"http://{host}:{port}", shop, receiver
    runner.stop()


def test_a_signed_delivery_becomes_an_order_and_a_forged_one_is_refused(running):
    desk, base, shop, receiver = running
    wait_for(lambda: desk.shops()[0].push_state == "live")
    forged = httpx.post(f"{base}/webhooks/{shop}", content=b"o-forged", headers={"X-Sig": "bad"})
    assert forged.status_code == 401 and forged.text == "bad signature"
    good = httpx.post(f"{base}/webhooks/{shop}", content=b"o-77", headers={"X-Sig": "good"})
    assert good.status_code == 200 and good.json() == {"code": 0}
    assert good.headers["content-type"] == "application/json"
    [row] = wait_for(lambda: desk.orders(OrderFilter()))
    assert row.platform_order_id == "o-77"
    # the same delivery again (platforms retry) stores nothing twice
    assert httpx.post(f"{base}/webhooks/{shop}", content=b"o-77", headers={"X-Sig": "good"}).status_code == 200
    wait_for(lambda: receiver.received == 3)
    assert desk.count_orders(OrderFilter()) == 1
    assert desk.webhook_status()[0] is True


def test_the_receiver_refuses_what_no_adapter_should_see(running):
    desk, base, shop, _ = running
    assert httpx.get(f"{base}/webhooks/health").text == "ok"
    assert httpx.post(f"{base}/elsewhere", content=b"x").status_code == 404
    assert httpx.post(f"{base}/webhooks/{shop + 100}", content=b"x", headers={"X-Sig": "good"}).status_code == 503
    # what an HTTP client would not send: raw bytes
    assert raw_status(base, f"POST /webhooks/{shop} HTTP/1.1\r\nHost: x\r\n"
                      f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\nxx") == 413
    assert raw_status(base, f"POST /webhooks/{shop} HTTP/1.1\r\nHost: x\r\n\r\n") == 411
    assert desk.count_orders(OrderFilter()) == 0


def raw_status(base: str, request: str) -> int:
    import socket

    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(request.encode())
        return int(sock.recv(1024).split(b" ", 2)[1])


class NoHookAdapter(HookAdapter):
    info = dataclasses.replace(HookAdapter.info, platform_id="unhooked")


def test_without_a_receiver_a_webhook_shop_says_so_and_is_polled(db):
    FakeAdapter.platform = FakePlatform(orders=[order("o-1")])
    secrets = SecretStore(MemoryKeyring())
    save_shop(db, secrets, platform="unhooked", platform_shop_id="s1", name="店", credentials={})
    runner = EngineRunner(db, Registry.of(NoHookAdapter), secrets, poll_interval=0.05,
                          push_poll_interval=3600)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        shop = wait_for(lambda: (s := desk.shops()[0]).push_state == "off" and s)
        assert shop.push_detail == "no public webhook URL"
        FakeAdapter.platform.orders.append(order("o-2", minute=5))
        # polled at the normal pace (0.05 s), not the push pace (an hour)
        wait_for(lambda: desk.count_orders(OrderFilter()) == 2)
        assert desk.webhook_status() == (False, "")
    finally:
        runner.stop()


def test_a_taken_port_is_reported_not_raised(db):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = taken.getsockname()[1]
        runner = EngineRunner(db, Registry.of(HookAdapter), SecretStore(MemoryKeyring()),
                              webhooks=WebhookReceiver(f"127.0.0.1:{port}", "https://h.example"))
        runner.start()
        try:
            assert runner.webhooks is None and str(port) in runner.webhook_problem
            assert Desk(db, runner.registry, runner, "小王").webhook_status()[0] is False
        finally:
            runner.stop()
    finally:
        taken.close()


def test_listen_addresses_and_shop_urls():
    assert parse_listen("127.0.0.1:8787") == ("127.0.0.1", 8787)
    assert parse_listen("8787") == ("127.0.0.1", 8787)
    assert parse_listen("[::1]:80") == ("::1", 80)
    assert parse_listen("") is None and parse_listen("host:http") is None and parse_listen("h:70000") is None
    assert shop_url("https://hooks.example.com/", 3) == "https://hooks.example.com/webhooks/3"


def test_desk_checks_webhook_settings(tmp_path):
    from desktop.core.settings import Settings

    settings = Settings(tmp_path / "settings.json")
    desk = Desk.__new__(Desk)
    desk._settings = settings
    with pytest.raises(ValueError, match="host:port"):
        desk.set_webhook_settings("nowhere", "https://h.example")
    with pytest.raises(ValueError, match="http"):
        desk.set_webhook_settings("127.0.0.1:8787", "ftp://h.example")
    desk.set_webhook_settings(" 127.0.0.1:8787 ", "https://h.example/ ")
    assert desk.webhook_settings() == ("127.0.0.1:8787", "https://h.example")
    assert desk.webhook_url(4) == "https://h.example/webhooks/4"
    desk.set_webhook_settings("", "")
    assert Settings(tmp_path / "settings.json").get("webhooks.listen") == ""


class AppWideHookAdapter(HookAdapter):
    """A platform with one push URL per app: the body names its shop ("shop:order")."""

    info = dataclasses.replace(HookAdapter.info, platform_id="appwide")

    async def push(self) -> AsyncGenerator[Event, None]:
        hooks = self.ctx.webhooks
        assert hooks is not None
        async for delivery in hooks:
            if delivery.header("X-Sig") != "good":
                delivery.reply(401, b"bad signature")
                continue
            shop, _, order_id = delivery.body.decode().partition(":")
            delivery.reply(200, b"ok")
            if shop == self.ctx.platform_shop_id:
                yield order(order_id, buyer=f"buyer-of-{shop}")


def test_one_url_for_every_shop_of_a_platform_reaches_the_shop_it_names(db):
    FakeAdapter.platform = FakePlatform()
    secrets = SecretStore(MemoryKeyring())
    for key in ("s1", "s2"):
        save_shop(db, secrets, platform="appwide", platform_shop_id=key, name=f"店{key}", credentials={})
    receiver = WebhookReceiver("127.0.0.1:0", "https://hooks.example.test")
    runner = EngineRunner(db, Registry.of(AppWideHookAdapter), secrets, poll_interval=0.05,
                          webhooks=receiver)
    runner.start()
    try:
        desk = Desk(db, runner.registry, runner, "小王")
        wait_for(lambda: {s.push_state for s in desk.shops()} == {"live"})
        host, port = receiver.address
        base = f"http://{host}:{port}/webhooks"
        reply = httpx.post(f"{base}/appwide", content=b"s2:o-9", headers={"X-Sig": "good"})
        assert reply.status_code == 200 and reply.text == "ok"
        [row] = wait_for(lambda: desk.orders(OrderFilter()))
        assert row.platform_order_id == "o-9"
        assert row.shop_id == next(s.id for s in desk.shops() if s.platform_shop_id == "s2")
        assert httpx.post(f"{base}/appwide", content=b"s1:o-1", headers={"X-Sig": "bad"}).status_code == 401
        assert httpx.post(f"{base}/otherplatform", content=b"s1:o-1").status_code == 503
        assert desk.count_orders(OrderFilter()) == 1
    finally:
        runner.stop()
