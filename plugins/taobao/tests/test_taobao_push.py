"""The adapter's push (TMC over HTTP pull, spec 2.7) against the fake's message queue over
loopback: permit, consume, fetch, yield, confirm; redelivery, foreign shops, bad messages,
typed errors. The fake and the adapter share one controllable clock."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncGenerator, Callable
from typing import Any

import pytest

from desktop.sdk import AuthExpired, Event, OrderEvent, OrderStatus, PushUnavailable, Rejected, Temporary
from plugins.taobao.adapter import TaobaoAdapter
from plugins.taobao.fake import FakeClock, FakeSecrets, TaobaoFake
from plugins.taobao.protocol import FULLINFO_GET, TMC_CONFIRM, TMC_CONSUME, TMC_USER_PERMIT

Run = Callable[..., Any]
FAST = {"tmc_idle_s": 0.02}  # the pause between empty consumes, short for tests
LOGGER = "seatdesk.plugin.taobao.test"


class Push:
    """An adapter's push() driven from a test: step it by hand (`next`) or let a task
    collect what it yields (`start`, `until`, `stop`)."""

    def __init__(self, adapter: TaobaoAdapter) -> None:
        self.gen: AsyncGenerator[Event, None] = adapter.push()
        self.seen: list[OrderEvent] = []
        self._task: asyncio.Task[None] | None = None

    async def next(self, timeout: float = 5.0) -> OrderEvent:
        event = await asyncio.wait_for(anext(self.gen), timeout)
        assert isinstance(event, OrderEvent)
        return event

    def start(self) -> Push:
        async def collect() -> None:
            async for event in self.gen:
                assert isinstance(event, OrderEvent)
                self.seen.append(event)
        self._task = asyncio.ensure_future(collect())
        return self

    async def until(self, done: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait for `done()`; the stream's own error, if it ends first."""
        for _ in range(int(timeout / 0.01)):
            if done():
                return
            if self._task is not None and self._task.done():
                self._task.result()
                raise AssertionError("the push stream ended")
            await asyncio.sleep(0.01)
        raise AssertionError("timed out")

    async def ended(self, timeout: float = 5.0) -> None:
        """Wait until the stream ends; re-raise its error."""
        assert self._task is not None
        await asyncio.wait_for(asyncio.shield(self._task), timeout)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.gen.aclose()

    def ids(self) -> list[str]:
        return [e.platform_order_id for e in self.seen]


def run_push(run: Run, use: Callable[[Push], Any], **settings: object) -> Any:
    """`await use(Push(adapter).start())` with FAST settings, stopping the stream after."""
    async def go(adapter: TaobaoAdapter) -> Any:
        push = Push(adapter).start()
        try:
            return await use(push)
        finally:
            await push.stop()
    return run(go, settings={**FAST, **settings})


# -- the happy path ---------------------------------------------------------------------------

def test_push_permits_the_shop_and_delivers_a_touched_order(fake: TaobaoFake, clock: FakeClock, run: Run) -> None:
    tid = fake.add_orders(1)[0]  # WAIT_BUYER_PAY; before the permit, no message

    async def use(push: Push) -> None:
        await push.until(fake.tmc_permitted)
        clock.advance(seconds=5)
        fake.touch_order(tid)  # pays: taobao_trade_TradeBuyerPay
        await push.until(lambda: len(fake.tmc.confirmed()) == 1)

    run_push(run, use)
    assert fake.calls_to(TMC_USER_PERMIT) == [{}]  # no topics: the app's whole subscription
    assert {tuple(sorted(c.items())) for c in fake.calls_to(TMC_CONSUME)} == {(("quantity", "100"),)}
    assert fake.calls_to(TMC_CONFIRM) == [{"s_message_ids": fake.tmc.confirmed()[0]}]
    assert fake.calls_to(FULLINFO_GET)[-1]["tid"] == tid
    assert fake.tmc.pending() == {}


def test_the_pushed_order_is_the_pulls_mapping(fake: TaobaoFake, run: Run, drain: Callable[..., Any]) -> None:
    tid = fake.add_orders(1)[0]
    fake.publish("taobao_trade_TradeBuyerPay", order_id=tid)

    async def use(push: Push) -> list[OrderEvent]:
        await push.until(lambda: bool(push.seen))
        return push.seen

    pushed = run_push(run, use)
    pulled, _, _ = drain()
    assert pushed == pulled and pulled[0].status is OrderStatus.UNPAID


# -- confirm after yield, redelivery ----------------------------------------------------------

def test_a_message_is_confirmed_only_after_its_order_was_yielded(fake: TaobaoFake, clock: FakeClock,
                                                                 run: Run) -> None:
    tid = fake.add_orders(1)[0]
    message = fake.publish("taobao_trade_TradeChanged", order_id=tid)

    async def use(adapter: TaobaoAdapter) -> None:
        first = Push(adapter)
        assert (await first.next()).platform_order_id == tid
        assert fake.tmc.confirmed() == [] and fake.tmc.pending() == {message: 1}  # taken, not confirmed
        await first.stop()  # the engine went away before resuming the stream
        assert fake.tmc.confirmed() == []

        clock.advance(seconds=fake.tmc.visibility_s)  # unconfirmed: delivered again
        again = Push(adapter)
        assert (await again.next()).platform_order_id == tid
        assert fake.tmc.pending() == {message: 2}
        again.start()  # resumed: now it confirms
        await again.until(lambda: fake.tmc.confirmed() == [message])
        await again.stop()

    run(use, settings=FAST)
    clock.advance(seconds=fake.tmc.visibility_s * 2)

    async def later(push: Push) -> None:  # a confirmed message never comes back
        await push.until(lambda: len(fake.calls_to(TMC_CONSUME)) >= 5)
        assert push.seen == []

    run_push(run, later)


def test_orders_named_several_times_in_a_batch_are_fetched_once(fake: TaobaoFake, run: Run) -> None:
    a, b = fake.add_orders(2)
    messages = [fake.publish("taobao_trade_TradeBuyerPay", order_id=a),
                fake.publish("taobao_trade_TradeMemoModified", order_id=a),
                fake.publish("taobao_trade_TradeChanged", order_id=b),
                fake.publish("taobao_refund_RefundCreated", order_id=a)]

    async def use(push: Push) -> None:
        await push.until(lambda: len(fake.tmc.confirmed()) == 4)

    run_push(run, use)
    assert sorted(fake.tmc.confirmed()) == sorted(messages)
    assert sorted(c["tid"] for c in fake.calls_to(FULLINFO_GET)) == sorted([a, b])


def test_the_quantity_setting_sizes_the_batches(fake: TaobaoFake, run: Run) -> None:
    tids = fake.add_orders(25)
    for tid in tids:
        fake.publish("taobao_trade_TradeChanged", order_id=tid)

    async def use(push: Push) -> None:
        await push.until(lambda: len(fake.tmc.confirmed()) == 25)

    run_push(run, use, tmc_quantity=10)
    assert {c["quantity"] for c in fake.calls_to(TMC_CONSUME)} == {"10"}
    assert [len(c["s_message_ids"].split(",")) for c in fake.calls_to(TMC_CONFIRM)] == [10, 10, 5]


# -- messages that are not (this shop's) orders -----------------------------------------------

def test_non_order_topics_are_confirmed_and_ignored(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]
    others = [fake.publish("taobao_item_ItemUpdate", '{"num_iid": 652301847721, "nick": "林家小铺旗舰店"}'),
              fake.publish("taobao_fenxiao_FxOrderSuccess", '{"tid": 123}')]
    order = fake.publish("taobao_trade_TradeSellerShip", order_id=tid)

    async def use(push: Push) -> list[str]:
        await push.until(lambda: len(fake.tmc.confirmed()) == 3)
        return push.ids()

    seen = run_push(run, use)
    assert seen == [tid] and sorted(fake.tmc.confirmed()) == sorted([*others, order])
    assert [c["tid"] for c in fake.calls_to(FULLINFO_GET)] == [tid]  # nothing fetched for the others


def test_malformed_messages_are_logged_and_confirmed(fake: TaobaoFake, run: Run,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    tid = fake.add_orders(1)[0]
    gone = fake.add_orders(1)[0]
    fake.hide_details(gone)  # named in a message, but its details are refused
    bad = {
        fake.publish("taobao_trade_TradeChanged", "{not json"): "not json",
        fake.publish("taobao_trade_TradeChanged", '{"oid": 31200001, "buyer_nick": "小**鱼"}'): "no tid",
        fake.publish("taobao_refund_RefundCreated", '{"tid": "T-1"}'): "tid not a number",
        fake.publish("taobao_trade_TradeChanged", '["tid", 1]'): "not an object",
        fake.publish("taobao_trade_TradeChanged", order_id=tid, user_id="", user_nick=""): "no user",
        fake.publish("taobao_trade_TradeChanged", order_id=gone): "details refused",
    }
    good = fake.publish("taobao_trade_TradeChanged", order_id=tid)

    async def use(push: Push) -> list[str]:
        await push.until(lambda: len(fake.tmc.confirmed()) == len(bad) + 1)
        return push.ids()

    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        seen = run_push(run, use)
    assert seen == [tid] and sorted(fake.tmc.confirmed()) == sorted([*bad, good])
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    for message in list(bad)[:5]:
        assert any(message in line for line in warned), bad[message]
    assert any(gone in line and "isv.trade-not-exist" in line for line in warned)
    assert "小**鱼" not in caplog.text  # contents (buyer data) stay out of the log
    for value in fake.secrets().values():
        assert value not in caplog.text


def test_other_shops_messages_on_the_same_app_are_left_for_them(fake: TaobaoFake, clock: FakeClock, run: Run,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    tid = fake.add_orders(1)[0]
    theirs = [fake.publish("taobao_trade_TradeChanged", '{"tid": 3120000000000000001}',
                           user_id="2201234567890", user_nick="别家小店"),
              fake.publish("taobao_item_ItemAdd", '{"num_iid": 1}', user_id="2201234567890", user_nick="别家小店")]
    ours = fake.publish("taobao_trade_TradeChanged", order_id=tid)

    async def use(push: Push) -> list[str]:
        await push.until(lambda: fake.tmc.confirmed() == [ours])
        clock.advance(seconds=fake.tmc.visibility_s)  # theirs come round again: still not taken
        await push.until(lambda: min(fake.tmc.pending().values()) >= 2)
        return push.ids()

    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert run_push(run, use) == [tid]
    assert set(fake.tmc.pending()) == set(theirs) and fake.tmc.confirmed() == [ours]
    assert [c["tid"] for c in fake.calls_to(FULLINFO_GET)] == [tid]
    assert any(theirs[0] in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)


def test_the_shop_is_known_by_its_authorized_nick_too(fake: TaobaoFake, run: Run) -> None:
    """A message naming only the nick (no user_id) is this shop's when the authorization
    step stored that nick (taobao_user_nick)."""
    tid = fake.add_orders(1)[0]
    fake.publish("taobao_trade_TradeChanged", order_id=tid, user_id="")
    secrets = FakeSecrets({**fake.secrets(), "taobao_user_nick": fake.seller_nick})

    async def go(adapter: TaobaoAdapter) -> str:
        push = Push(adapter)
        try:
            return (await push.next()).platform_order_id
        finally:
            await push.stop()

    assert run(go, settings=FAST, secrets=secrets) == tid


def test_a_tmc_group_is_read_when_set(fake: TaobaoFake, run: Run) -> None:
    fake.tmc.add_group("shop-a", {fake.seller_nick})
    tid = fake.add_orders(1)[0]
    message = fake.publish("taobao_trade_TradeChanged", order_id=tid)

    async def use(push: Push) -> None:
        await push.until(lambda: fake.tmc.confirmed() == [message])

    run_push(run, use, tmc_group="shop-a")
    assert {c.get("group_name") for c in fake.calls_to(TMC_CONSUME)} == {"shop-a"}
    assert fake.calls_to(TMC_CONFIRM) == [{"group_name": "shop-a", "s_message_ids": message}]


# -- typed errors -----------------------------------------------------------------------------

async def _first(adapter: TaobaoAdapter) -> Event:
    gen = adapter.push()
    try:
        return await asyncio.wait_for(anext(gen), 5)
    finally:
        await gen.aclose()


def test_an_expired_session_is_auth_expired(fake: TaobaoFake, run: Run) -> None:
    fake.expire_token()
    with pytest.raises(AuthExpired, match="27 Invalid session"):
        run(_first, settings=FAST)
    assert not fake.tmc_permitted()


def test_a_session_expiring_while_streaming_ends_push_and_confirms_nothing(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]

    async def use(push: Push) -> None:
        await push.until(fake.tmc_permitted)
        fake.expire_token()
        fake.publish("taobao_trade_TradeChanged", order_id=tid)
        with pytest.raises(AuthExpired):
            await push.ended()

    run_push(run, use)
    assert fake.tmc.confirmed() == [] and len(fake.tmc.pending()) == 1


def test_an_app_without_tmc_rights_is_push_unavailable(fake: TaobaoFake, run: Run) -> None:
    fake.tmc.rights = False
    with pytest.raises(PushUnavailable, match="TMC") as raised:
        run(_first, settings=FAST)
    assert "轮询" in raised.value.reason and len(raised.value.reason) < 60


@pytest.mark.parametrize(("kind", "words"), [("http", "HTTP 502"), ("garbage", "not JSON"),
                                             ("isp", "isp.remote-service-timeout")])
def test_the_connection_dropping_ends_push_with_temporary(fake: TaobaoFake, run: Run, kind: str,
                                                          words: str) -> None:
    async def use(push: Push) -> None:
        await push.until(lambda: len(fake.calls_to(TMC_CONSUME)) >= 2)
        fake.fail(1, kind=kind)
        with pytest.raises(Temporary, match=words):
            await push.ended()

    run_push(run, use)


def test_an_unreachable_gateway_is_temporary(run: Run) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Temporary, match="unreachable"):
        run(_first, settings={**FAST, "base_url": f"http://127.0.0.1:{port}/router/rest"})


def test_the_gateway_going_away_mid_stream_is_temporary(fake: TaobaoFake, run: Run) -> None:
    async def use(push: Push) -> None:
        await push.until(lambda: len(fake.calls_to(TMC_CONSUME)) >= 1)
        await asyncio.to_thread(fake.stop)
        with pytest.raises(Temporary, match="unreachable"):
            await push.ended()

    run_push(run, use)


def test_a_call_limit_on_consume_is_sat_out(fake: TaobaoFake, run: Run) -> None:
    tid = fake.add_orders(1)[0]
    fake.ban_seconds = 1

    async def use(push: Push) -> None:
        await push.until(lambda: len(fake.calls_to(TMC_CONSUME)) >= 1)
        fake.limit_calls(1)
        fake.publish("taobao_trade_TradeChanged", order_id=tid)
        await push.until(lambda: push.ids() == [tid], timeout=5)

    run_push(run, use)


def test_bad_tmc_settings_are_refused(run: Run) -> None:
    for settings in ({"tmc_quantity": 9}, {"tmc_quantity": 201}, {"tmc_idle_s": "soon"}, {"tmc_idle_s": 0},
                     {"tmc_idle_s": 61}, {"tmc_idle_s": True}):
        with pytest.raises(Rejected, match="setting tmc_"):
            run(_first, settings=settings)


def test_with_the_default_pause_a_change_arrives_within_seconds(fake: TaobaoFake, run: Run) -> None:
    """With the default 1 s idle pause, a change arrives within about a second."""
    tid = fake.add_orders(1)[0]

    async def use(adapter: TaobaoAdapter) -> float:
        push = Push(adapter).start()
        try:
            await push.until(fake.tmc_permitted)
            await asyncio.sleep(0.05)
            loop = asyncio.get_running_loop()
            began = loop.time()
            fake.touch_order(tid)
            await push.until(lambda: push.ids() == [tid])
            return loop.time() - began
        finally:
            await push.stop()

    assert run(use) < 2.0
