"""Push through the PMC message service (research/platform-apis.md §3.7): the adapter's
stream against the fake WebSocket service over loopback, the frames and the derived
URL vector byte for byte, and the fake service's own rules."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

import httpx
import pytest

from desktop.sdk import (
    AuthExpired,
    Capability,
    Event,
    OrderEvent,
    OrderStatus,
    PushUnavailable,
    Rejected,
    Temporary,
)
from desktop.sdk.testing import run
from desktop.sdk.websocket import connect_websocket
from plugins.pinduoduo import pmc
from plugins.pinduoduo.adapter import PinduoduoAdapter
from plugins.pinduoduo.fake import ManualClock, MemorySecrets, PinduoduoFake
from plugins.pinduoduo.fake_pmc import PmcFake

T = TypeVar("T")
T0 = 1_714_528_800  # 2024-05-01 10:00:00 Beijing
OTHER_MALL = "900100200"
PERMIT = "pdd.pmc.user.permit"


def use(fake: PinduoduoFake, fn: Callable[[PinduoduoAdapter], Awaitable[T]], *,
        secrets: MemorySecrets | None = None, shop: str | None = None, **settings: object) -> T:
    return use_with(fake, fn, settings, secrets=secrets, shop=shop)


def use_with(fake: PinduoduoFake, fn: Callable[[PinduoduoAdapter], Awaitable[T]], settings: Mapping[str, object],
             *, secrets: MemorySecrets | None = None, shop: str | None = None) -> T:
    async def go() -> T:
        async with httpx.AsyncClient(timeout=5) as http:
            ctx = fake.context(http, secrets=secrets, **settings)
            if shop is not None:
                ctx.platform_shop_id = shop
            return await fn(PinduoduoAdapter(ctx))
    return run(go())


async def until(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


class Stream:
    """An adapter's push(), stepped by hand: `next()` resumes it and waits for an event."""

    def __init__(self, adapter: PinduoduoAdapter) -> None:
        self.gen: AsyncGenerator[Event, None] = adapter.push()
        self.task: asyncio.Future[Event] | None = None

    def resume(self) -> asyncio.Future[Event]:
        """Ask for the next event (which acknowledges the last one) without waiting for it."""
        if self.task is None:
            self.task = asyncio.ensure_future(anext(self.gen))
        return self.task

    async def next(self, timeout: float = 5.0) -> Event:
        task = self.resume()
        try:
            return await asyncio.wait_for(asyncio.shield(task), timeout)
        finally:
            if task.done():
                self.task = None

    async def close(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.gen.aclose()


async def open_stream(adapter: PinduoduoAdapter, fake: PinduoduoFake, connections: int = 1) -> Stream:
    stream = Stream(adapter)
    stream.resume()
    await until(lambda: fake.pmc.connections >= connections or stream.task is None or stream.task.done(),
                "the connection")
    if stream.task is not None and stream.task.done():
        stream.task.result()  # the stream ended: show why
    return stream


def order_of(event: Event) -> OrderEvent:
    assert isinstance(event, OrderEvent), event
    return event


# -- the spec's vector and the frames ------------------------------------------------------------
DEMO_URL = ("wss://message-api.pinduoduo.com/message/client_id_demo/1700000000000/"
            "MDhjNTdlZWM2M2JmZGY0ZmE5MTA2YmM2MGUwMjI1NDg=")


@pytest.mark.parametrize("base", ["wss://message-api.pinduoduo.com", "wss://message-api.pinduoduo.com/"])
def test_the_derived_url_vector(base: str) -> None:
    # DERIVED (§3.7): md5hex 08c57eec63bfdf4fa9106bc60e022548, base64 of those 32 characters.
    assert pmc.url(base, "client_id_demo", 1_700_000_000_000, "client_secret_demo") == DEMO_URL


def test_the_fake_service_accepts_the_derived_vector_and_nothing_else() -> None:
    service = PmcFake("client_id_demo", "client_secret_demo", clock=lambda: 1_700_000_000.0).start()
    path = DEMO_URL.removeprefix("wss://message-api.pinduoduo.com")

    async def go() -> None:
        async with connect_websocket(service.url + path) as socket:
            await socket.send_json(pmc.heartbeat_frame(1_700_000_000_000))
            await until(lambda: service.heartbeats == 1, "the heartbeat")
        for wrong in (path.replace("MDhj", "MDhk"), path.replace("client_id_demo", "client_id_dem0"),
                      path.replace("1700000000000", "1700000000001")):
            with pytest.raises(AuthExpired, match="401"):
                async with connect_websocket(service.url + wrong):
                    pass
    try:
        run(go())
    finally:
        service.stop()
    assert [status for status, _ in service.handshakes] == [200, 401, 401, 401]


def test_a_timestamp_more_than_ten_minutes_off_is_refused() -> None:
    now = 1_700_000_000.0
    service = PmcFake("cid", "secret", clock=lambda: now).start()

    async def go(offset_s: int) -> None:
        async with connect_websocket(pmc.url(service.url, "cid", int((now + offset_s) * 1000), "secret")):
            pass
    try:
        run(go(590))
        run(go(-590))
        with pytest.raises(AuthExpired):
            run(go(610))
        with pytest.raises(AuthExpired):
            run(go(-610))
    finally:
        service.stop()


@pytest.mark.parametrize(("value", "expected"), [
    ("Common", pmc.Command.COMMON), ("HeartBeat", pmc.Command.HEART_BEAT), ("Ack", pmc.Command.ACK),
    ("Fail", pmc.Command.FAIL), ("common", pmc.Command.COMMON), (3, pmc.Command.COMMON),
    (0, pmc.Command.HEART_BEAT), (1, pmc.Command.ACK), (2, pmc.Command.FAIL), ("3", pmc.Command.COMMON),
    (4, None), ("Push", None), (None, None), (True, None), (3.0, None),
])
def test_command_types_by_name_or_ordinal(value: object, expected: pmc.Command | None) -> None:
    assert pmc.command(value) is expected


def test_the_outgoing_frames() -> None:
    frame = {"id": 7312004000000001, "commandType": "Common", "time": 1714528800123, "sendTime": 1714528800100,
             "message": {"type": "pdd_trade_TradeSellerShip", "mallID": 782341650, "content": '{"tid":"x"}'}}
    assert pmc.heartbeat_frame(1714528800500) == {"commandType": "HeartBeat", "time": 1714528800500}
    ack = pmc.ack_frame(frame, 1714528800500)
    assert ack == {"id": 7312004000000001, "commandType": "Ack", "time": 1714528800500, "sendTime": 1714528800100,
                   "type": "pdd_trade_TradeSellerShip", "mallID": 782341650}
    assert json.dumps(ack, separators=(",", ":")) == (
        '{"id":7312004000000001,"commandType":"Ack","time":1714528800500,"sendTime":1714528800100,'
        '"type":"pdd_trade_TradeSellerShip","mallID":782341650}')
    assert pmc.ack_frame({"commandType": "Common"}, 1) is None  # no id: nothing to acknowledge


@pytest.mark.parametrize(("frame", "problem"), [
    ({"commandType": "Common", "message": {}}, "id"),
    ({"id": 1, "commandType": "Common"}, "message is NoneType"),
    ({"id": 1, "message": {"mallID": 1, "content": "{}"}}, "message.type"),
    ({"id": 1, "message": {"type": "pdd_trade_TradeSuccess", "content": "{}"}}, "message.mallID"),
    ({"id": 1, "message": {"type": "pdd_trade_TradeSuccess", "mallID": 1, "content": {"tid": "x"}}},
     "not a JSON string"),
])
def test_malformed_envelopes_name_the_problem(frame: dict[str, Any], problem: str) -> None:
    with pytest.raises(pmc.BadMessage, match=problem):
        pmc.inbound(frame)


@pytest.mark.parametrize(("content", "sn"), [('{"tid":"240501-1"}', "240501-1"), ('{"tid":2405011}', "2405011"),
                                              ('{"tid":"x","seller_memo":"发顺丰"}', "x")])
def test_the_order_sn_comes_from_content_tid(content: str, sn: str) -> None:
    message = pmc.Inbound(1, 2, "pdd_trade_TradeMemoModified", 3, content)
    assert pmc.order_sn(message) == sn


@pytest.mark.parametrize("content", ["not json", "[]", '{"tid":""}', '{"order_sn":"x"}', '{"tid":true}'])
def test_content_without_a_tid_is_malformed(content: str) -> None:
    with pytest.raises(pmc.BadMessage):
        pmc.order_sn(pmc.Inbound(1, 2, "pdd_trade_TradeSuccess", 3, content))


# -- declaration ---------------------------------------------------------------------------------------
def test_push_is_declared_as_a_stream_with_its_settings() -> None:
    info = PinduoduoAdapter.info
    assert Capability.PUSH in info.capabilities and not info.push_by_webhook
    settings = {s.name: s.default for s in info.settings}
    assert settings["pmc_url"] == "wss://message-api.pinduoduo.com" and settings["pmc_heartbeat_s"] == 10
    assert "推送" in info.limits_note


# -- the happy path -------------------------------------------------------------------------------------
def test_a_changed_order_is_pushed_and_acknowledged_after_it_was_taken(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    fake.edit_order(sn, order_status=1, refund_status=1)

    async def go(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            assert [c["type"] for c in fake.calls] == [PERMIT] and fake.pmc_permitted
            await until(lambda: fake.pmc.heartbeats >= 1, "the first heartbeat")
            fake.touch_order(sn)  # ships it: pdd_trade_TradeSellerShip
            event = order_of(await stream.next())
            assert event.platform_order_id == sn and event.status is OrderStatus.SHIPPED and event.waybill
            [message] = fake.pmc.pending()
            assert message.topic == "pdd_trade_TradeSellerShip" and fake.pmc.acks == []  # held at the yield
            stream.resume()  # the engine took it: now the ack goes out
            await until(lambda: len(fake.pmc.acks) == 1, "the ack")
            assert fake.pmc.pending() == []
            ack = fake.pmc.acks[0]
            assert ack == {"id": message.id, "commandType": "Ack", "time": T0 * 1000, "sendTime": message.send_time,
                           "type": "pdd_trade_TradeSellerShip", "mallID": int(fake.platform_shop_id)}
        finally:
            await stream.close()
    use(fake, go)
    assert [c["type"] for c in fake.calls] == [PERMIT, "pdd.order.information.get"]
    assert "topics" not in fake.calls[0]  # all of the app's topics (§3.7)


def test_a_memo_written_elsewhere_is_pushed(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> OrderEvent:
        stream = await open_stream(adapter, fake)
        try:
            fake.edit_order(sn, remark="仓库已备货", remark_tag=3, remark_tag_name="绿色")
            fake.publish_order(sn, "pdd_trade_TradeMemoModified", seller_memo="仓库已备货")
            return order_of(await stream.next())
        finally:
            await stream.close()
    event = use(fake, go)
    assert (event.platform_order_id, event.seller_memo, event.seller_flag) == (sn, "仓库已备货", 3)


def test_heartbeats_go_out_while_nothing_happens(fake: PinduoduoFake) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            await until(lambda: fake.pmc.heartbeats >= 3, "three heartbeats", timeout=4.0)
        finally:
            await stream.close()
    use(fake, go, pmc_heartbeat_s="1")
    beats = [f for f in fake.pmc.frames if f.get("commandType") == "HeartBeat"]
    assert beats[0] == {"commandType": "HeartBeat", "time": T0 * 1000}


# -- acknowledgement and redelivery ------------------------------------------------------------------------
def test_a_message_not_taken_is_redelivered_and_one_acknowledged_is_not(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]

    async def first(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        fake.touch_order(sn)
        assert order_of(await stream.next()).platform_order_id == sn
        await stream.close()  # the engine stopped before taking it: no ack
    use(fake, first)
    [kept] = fake.pmc.pending()
    assert kept.deliveries == 1 and fake.pmc.acks == []

    async def second(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            assert order_of(await stream.next()).platform_order_id == sn  # delivered again on connecting
            stream.resume()
            await until(lambda: fake.pmc.pending() == [], "the ack")
        finally:
            await stream.close()
    use(fake, second)
    assert kept.deliveries == 2 and [a["id"] for a in fake.pmc.acks] == [kept.id]

    async def third(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            with pytest.raises(asyncio.TimeoutError):
                await stream.next(timeout=0.5)
        finally:
            await stream.close()
    use(fake, third)
    assert kept.deliveries == 2


def test_a_message_whose_order_cannot_be_read_now_is_not_acknowledged(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            fake.fail(1)  # pdd.order.information.get answers a system error
            fake.touch_order(sn)
            with pytest.raises(Temporary):
                await stream.next()
        finally:
            await stream.close()
    use(fake, go)
    assert len(fake.pmc.pending()) == 1 and fake.pmc.acks == []  # it comes again next time


# -- what is acknowledged without an event -----------------------------------------------------------------
def test_other_topics_are_acknowledged_and_ignored(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> list[str]:
        stream = await open_stream(adapter, fake)
        try:
            # §3.7 lists the goods topics only as the family pdd_goods_*
            goods = fake.pmc.publish(fake.platform_shop_id, "pdd_goods_GoodsStockChanged", {"goods_id": 389120011})
            await until(lambda: [a["id"] for a in fake.pmc.acks] == [goods], "the goods message's ack")
            fake.touch_order(sn)
            return [order_of(await stream.next()).platform_order_id]
        finally:
            await stream.close()
    assert use(fake, go) == [sn]
    assert [c["type"] for c in fake.calls] == [PERMIT, "pdd.order.information.get"]  # nothing read for goods


def test_malformed_messages_are_logged_and_acknowledged(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    sn = fake.add_orders(1)[0]
    mall = fake.platform_shop_id

    async def go(adapter: PinduoduoAdapter) -> list[str]:
        stream = await open_stream(adapter, fake)
        try:
            bad = [fake.pmc.publish(mall, "pdd_trade_TradeSuccess", "{not json"),
                   fake.pmc.publish(mall, "pdd_trade_TradeSuccess", {"order_sn": sn})]
            fake.pmc.send_frame({"id": 42, "commandType": "Common", "time": 1, "sendTime": 1})  # no message
            fake.pmc.send_frame({"commandType": "Common", "message": {"type": "pdd_trade_TradeSuccess"}})  # no id
            await until(lambda: [a["id"] for a in fake.pmc.acks] == bad, "the acks of the malformed messages")
            await until(lambda: any(f.get("id") == 42 and f.get("commandType") == "Ack" for f in fake.pmc.frames),
                        "the ack of the envelope without a message")
            fake.touch_order(sn)
            return [order_of(await stream.next()).platform_order_id]
        finally:
            await stream.close()
    with caplog.at_level(logging.WARNING):
        assert use(fake, go) == [sn]
    lines = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert len(lines) == 4
    assert any("content is not JSON" in line for line in lines) and any("tid" in line for line in lines)
    assert any("no id to acknowledge" in line for line in lines)


def test_a_named_order_that_does_not_exist_is_acknowledged(fake: PinduoduoFake,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> str:
        stream = await open_stream(adapter, fake)
        try:
            gone = fake.publish_order("240501-000000000000000", "pdd_trade_TradeSuccess")
            await until(lambda: [a["id"] for a in fake.pmc.acks] == [gone], "its ack")
            fake.touch_order(sn)
            return order_of(await stream.next()).platform_order_id
        finally:
            await stream.close()
    with caplog.at_level(logging.WARNING):
        assert use(fake, go) == sn
    assert "订单不存在" in caplog.text


def test_the_services_own_frames_are_ignored(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> str:
        stream = await open_stream(adapter, fake)
        try:
            for frame in ({"commandType": "HeartBeat", "time": 1}, {"commandType": 0, "time": 1},
                          {"commandType": "Ack", "id": 3}, {"commandType": "Fail", "id": 4}, {"commandType": 9}):
                fake.pmc.send_frame(frame)
            fake.touch_order(sn)
            return order_of(await stream.next()).platform_order_id
        finally:
            await stream.close()
    assert use(fake, go) == sn
    assert len(fake.pmc.frames) == fake.pmc.heartbeats  # nothing but heartbeats went back


def test_command_type_ordinals_are_understood(fake: PinduoduoFake) -> None:
    fake.pmc.command_form = "ordinal"  # the service sends {"commandType": 3, ...}
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> str:
        stream = await open_stream(adapter, fake)
        try:
            fake.touch_order(sn)
            event = order_of(await stream.next())
            stream.resume()
            await until(lambda: len(fake.pmc.acks) == 1, "the ack")
            return event.platform_order_id
        finally:
            await stream.close()
    assert use(fake, go) == sn
    assert fake.pmc.acks[0]["commandType"] == "Ack"  # we still send names


# -- another shop of the same app -----------------------------------------------------------------------------
def test_a_message_for_another_shop_is_not_taken(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    ours, theirs = fake.add_orders(2)

    async def go(adapter: PinduoduoAdapter) -> list[str]:
        stream = await open_stream(adapter, fake)
        try:
            fake.pmc.publish(OTHER_MALL, "pdd_trade_TradeSellerShip", {"tid": theirs})
            fake.touch_order(ours)
            seen = [order_of(await stream.next()).platform_order_id]
            stream.resume()
            await until(lambda: len(fake.pmc.acks) == 1, "our ack")
            return seen
        finally:
            await stream.close()
    with caplog.at_level(logging.DEBUG, logger="seatdesk.plugin.pinduoduo.fake"):
        assert use(fake, go) == [ours]
    [left] = fake.pmc.pending()
    assert left.mall_id == int(OTHER_MALL) and [a["mallID"] for a in fake.pmc.acks] == [int(fake.platform_shop_id)]
    assert f"for mall {OTHER_MALL}" in caplog.text
    assert [c["type"] for c in fake.calls] == [PERMIT, "pdd.order.information.get"]  # theirs was never read


# -- failures -------------------------------------------------------------------------------------------------
def test_an_app_without_the_message_service_says_push_is_unavailable(fake: PinduoduoFake) -> None:
    fake.pmc_rights = False

    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(PushUnavailable, match="20031") as raised:
        use(fake, go)
    assert "轮询" in raised.value.reason
    assert fake.pmc.handshakes == []  # it did not try to connect


def test_a_permit_that_is_not_granted_says_push_is_unavailable(fake: PinduoduoFake) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"pmc_user_permit_response": {"is_success": False}})

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            async for _ in PinduoduoAdapter(fake.context(http)).push():
                pass
    with pytest.raises(PushUnavailable, match="开通"):
        run(go())


def test_a_shop_without_its_mall_id_says_push_is_unavailable(fake: PinduoduoFake) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(PushUnavailable, match="店铺 ID"):
        use(fake, go, shop="")
    assert fake.calls == []


def test_a_refused_handshake_is_auth_expired(fake: PinduoduoFake) -> None:
    fake.pmc.client_secret = "rotated-on-the-platform"  # the gateway still takes the old one

    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(AuthExpired, match="消息服务拒绝连接.*401"):
        use(fake, go)
    assert [status for status, _ in fake.pmc.handshakes] == [401]


def test_wrong_credentials_are_auth_expired(fake: PinduoduoFake) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(AuthExpired, match="20004"):
        use(fake, go, secrets=MemorySecrets({**fake.secrets(), "client_secret": "wrong"}))


def test_a_dropped_connection_ends_the_stream_as_temporary(fake: PinduoduoFake) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            fake.pmc.drop()
            with pytest.raises(Temporary, match="closed"):
                await stream.next()
        finally:
            await stream.close()
    use(fake, go)


def test_an_unreachable_service_is_temporary(fake: PinduoduoFake) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(Temporary):
        use(fake, go, pmc_url="ws://127.0.0.1:9")


@pytest.mark.parametrize(("setting", "value"), [
    ("pmc_heartbeat_s", "0"), ("pmc_heartbeat_s", "61"), ("pmc_heartbeat_s", "often"),
    ("pmc_url", "https://message-api.pinduoduo.com"),
])
def test_bad_settings_are_refused_before_any_call(fake: PinduoduoFake, setting: str, value: str) -> None:
    async def go(adapter: PinduoduoAdapter) -> None:
        async for _ in adapter.push():
            pass
    with pytest.raises(Rejected, match=setting):
        use_with(fake, go, {setting: value})
    assert fake.calls == [] and fake.pmc.handshakes == []


def test_the_log_holds_no_secret(fake: PinduoduoFake, caplog: pytest.LogCaptureFixture) -> None:
    sn = fake.add_orders(1)[0]

    async def go(adapter: PinduoduoAdapter) -> None:
        stream = await open_stream(adapter, fake)
        try:
            fake.touch_order(sn)
            await stream.next()
            fake.pmc.publish(fake.platform_shop_id, "pdd_trade_TradeSuccess", "{broken")
            stream.resume()
            await until(lambda: len(fake.pmc.acks) == 2, "the acks")
        finally:
            await stream.close()
    with caplog.at_level(logging.DEBUG):
        use(fake, go)
    # The websockets library's own DEBUG lines carry the request path (client_id, digest);
    # keeping that library quiet is the app's logging set-up, not the adapter's.
    records = [r for r in caplog.records if not r.name.startswith("websockets")]
    text = "\n".join(r.getMessage() for r in records) + json.dumps([r.args for r in records], default=str)
    digest = pmc.url("", fake.client_id, T0 * 1000, fake.client_secret).rsplit("/", 1)[1]
    for value in [*fake.secrets().values(), digest]:
        assert value not in text


# -- the fake service ---------------------------------------------------------------------------------------------
def test_the_fake_publishes_only_once_the_service_is_enabled(fake: PinduoduoFake) -> None:
    sn = fake.add_orders(1)[0]
    fake.touch_order(sn)
    assert fake.pmc.pending() == []  # no pdd.pmc.user.permit yet
    fake.pmc_permitted = True
    fake.touch_order(sn)
    fake.touch_order(sn)
    messages = fake.pmc.pending()
    assert len(messages) == 2 and all(m.topic.startswith(("pdd_trade_", "pdd_refund_")) for m in messages)
    assert all(json.loads(m.content) == {"tid": sn} and m.mall_id == int(fake.platform_shop_id) for m in messages)


def test_the_fake_stops_cleanly_with_clients_connected(clock: ManualClock) -> None:
    fake = PinduoduoFake(clock=clock).start()
    try:
        async def go(adapter: PinduoduoAdapter) -> None:
            stream = await open_stream(adapter, fake)
            await asyncio.to_thread(fake.stop)
            with pytest.raises(Temporary):
                await stream.next()
            await stream.close()
        use(fake, go)
    finally:
        fake.stop()  # twice is fine
    assert fake.pmc.connections == 0
