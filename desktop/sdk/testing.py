"""The conformance kit: one contract every platform adapter passes against a fake of
its platform. Loaded by pytest as a plugin (entry point `pytest11`), never by the app.

An adapter's tests subclass `AdapterContract`, name the adapter class and provide
a `fake` fixture yielding a running `FakePlatform`::

    class TestMyShopContract(AdapterContract):
        adapter_class = MyShopAdapter

        @pytest.fixture
        def fake(self):
            with MyShopFake() as fake:
                yield fake

Every check then runs over real HTTP (httpx over loopback) against the fake.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import httpx
import pytest

from .adapter import API_VERSION, AdapterContext, Capability, Page, PlatformAdapter
from .commands import SetRemark
from .errors import AuthExpired, PushUnavailable, RateLimited, Temporary
from .events import Event, MessageEvent, OrderEvent, OrderStatus
from .push import WebhookQueue, WebhookReply

T = TypeVar("T")


@runtime_checkable
class FakePlatform(Protocol):
    """A local fake of one shop on a platform, built from the platform's published
    specification and serving the adapter over loopback HTTP. Seeding and fault
    switches act directly on the fake's state (no HTTP)."""

    platform_shop_id: str

    def settings(self) -> dict[str, object]:
        """The shop's adapter settings; at least {"base_url": <the fake's gateway URL>}."""

    def secrets(self) -> dict[str, str]:
        """Credentials the fake accepts, by the adapter's credential field names."""

    def add_orders(self, n: int) -> list[str]:
        """Create n orders the order feed will report; → their platform order ids."""

    def touch_order(self, order_id: str) -> None:
        """Change an order (e.g. its status) so the incremental feed reports it again."""

    def add_messages(self, n: int) -> list[str]:
        """Create n buyer messages (only for adapters with Capability.MESSAGES)."""

    def memo(self, order_id: str) -> tuple[str, int | None]:
        """The order's seller memo and flag as the platform now holds them."""

    def expire_token(self) -> None:
        """The access token stops working: calls answer the platform's expired-token error."""

    def limit_calls(self, n: int = 1) -> None:
        """The next n API calls answer the platform's call-limit error."""

    def fail(self, n: int = 1) -> None:
        """The next n API calls fail as the platform does when it is down (5xx / system error)."""

    # With Capability.PUSH, `touch_order` also publishes the platform's push message for
    # the order (a stream: TMC, PMC). A platform that pushes by webhook instead also has
    #   def webhook_for(self, order_id: str) -> tuple[dict[str, str], bytes]
    # a signed delivery (headers, raw body) for the order, as the platform would POST it.


class MemorySecrets:
    """The shop's secrets for a test: a dict, with `set` for refreshed tokens."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Clock:
    """`ctx.clock` and a fake's clock at once: time moves only when a test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class AdapterHarness:
    """Runs an adapter over real loopback HTTP against its fake, with a controlled
    clock, the fake's credentials (refreshed tokens land in `secrets`) and a log
    capture. Subclass and set `adapter_class`."""

    adapter_class: ClassVar[type[Any]]

    def __init__(self, fake: Any, clock: Callable[[], datetime]) -> None:
        self.fake = fake
        self.clock: Any = clock  # tests move it (Clock.advance) through the harness
        self.secrets = MemorySecrets(fake.secrets())
        self.log = LogCapture()
        self.webhooks: WebhookQueue | None = None  # set one to run a webhook push

    def call(self, use: Callable[[Any], Awaitable[T]], **settings: object) -> T:
        """`use(adapter)` with the fake's settings, overridden by `settings`."""
        async def go() -> T:
            logger = logging.getLogger(f"seatdesk.plugin.{self.adapter_class.info.platform_id}.test")
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self.log)
            try:
                async with httpx.AsyncClient(timeout=10.0) as http:
                    ctx = AdapterContext(http=http, logger=logger,
                                         settings={**self.fake.settings(), **settings},
                                         secrets=self.secrets,
                                         platform_shop_id=self.fake.platform_shop_id,
                                         clock=self.clock, webhooks=self.webhooks)
                    return await use(self.adapter_class(ctx))
            finally:
                logger.removeHandler(self.log)
        return run(go())

    def drain_orders(self, cursor: str | None = None, limit: int = 500,
                     **settings: object) -> tuple[list[Page[OrderEvent]], str | None]:
        """Every page of the order feed from `cursor` until has_more is False."""
        async def use(adapter: Any) -> tuple[list[Page[OrderEvent]], str | None]:
            pages: list[Page[OrderEvent]] = []
            at = cursor
            for _ in range(limit):
                page: Page[OrderEvent] = await adapter.fetch_orders(at)
                pages.append(page)
                at = page.next_cursor
                if not page.has_more:
                    return pages, at
            raise AssertionError("the order feed did not end")
        return self.call(use, **settings)


TRANSPORT_FRAMES = ("/anyio/", "/httpcore/")


def run(coro: Awaitable[T], *, slow_ms: float = 500.0) -> T:
    """Run a coroutine on a fresh loop in debug mode; a step that blocks the loop
    longer than `slow_ms` (a sync HTTP call, time.sleep, heavy CPU) fails the test.
    Half a second: on a busy two-core CI runner an honest step of an adapter, sharing
    the GIL with its loopback fake's server thread, was measured at ~0.3 s."""
    slow: list[str] = []

    class SlowCatcher(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            # a slow step of the HTTP stack's own connection set-up is the machine being
            # busy (seen on a loaded CI runner), not the adapter blocking the loop
            if ("took" in message and "Executing" in message
                    and not any(lib in message for lib in TRANSPORT_FRAMES)):
                slow.append(message)

    catcher = SlowCatcher(logging.WARNING)
    asyncio_log = logging.getLogger("asyncio")
    asyncio_log.addHandler(catcher)
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = slow_ms / 1000
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()
        asyncio_log.removeHandler(catcher)
        assert not slow, f"the adapter blocked the event loop: {slow[0]}"


Delivery = tuple[Mapping[str, str], bytes]  # a webhook request: headers, raw body


@dataclass
class WebhookPushRun:
    """What a webhook push did with a run of deliveries."""

    events: list[Event] = field(default_factory=list)
    replies: list[WebhookReply] = field(default_factory=list)  # one per delivery answered
    error: BaseException | None = None  # what ended the stream, if it ended


async def drive_webhook_push(adapter: Any, hooks: WebhookQueue, deliveries: Sequence[Delivery], *,
                             on_reply: Callable[[bytes, WebhookReply], None] | None = None) -> WebhookPushRun:
    """Run `adapter.push()` while `deliveries` are POSTed to it one by one, each answered
    before the next (`on_reply` sees each answer, as the platform would), until the last
    or until the stream ends. End the run with a delivery the adapter answers without
    yielding (a ping, a topic it ignores): it takes deliveries in order, so once that one
    is answered every delivery before it is done."""
    result = WebhookPushRun()

    async def collect() -> None:
        async for event in adapter.push():
            result.events.append(event)
    task = asyncio.ensure_future(collect())
    try:
        for headers, body in deliveries:
            answer = asyncio.ensure_future(hooks.deliver(headers, body))
            await asyncio.wait({answer, task}, return_when=asyncio.FIRST_COMPLETED)
            if task.done():  # an answer given just before the end is still on its way
                await asyncio.wait({answer}, timeout=0.5)
            if not answer.done():  # the stream ended: nobody answers any more
                answer.cancel()
                break
            reply = answer.result()
            if on_reply is not None:
                on_reply(body, reply)
            result.replies.append(reply)
        if task.done():
            result.error = task.exception()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return result


class AdapterContract:
    """The contract of desktop.sdk for one adapter, checked against its fake."""

    adapter_class: ClassVar[type[PlatformAdapter]]
    page_limit: ClassVar[int] = 200  # a feed that has not ended after this many pages is broken

    @pytest.fixture
    def fake(self) -> Iterator[FakePlatform]:
        raise NotImplementedError("override the `fake` fixture: yield a running FakePlatform")

    # -- helpers ---------------------------------------------------------------------------
    def call(self, fake: FakePlatform, use: Callable[[PlatformAdapter], Awaitable[T]],
             *, log: LogCapture | None = None, webhooks: WebhookQueue | None = None) -> T:
        """Build the adapter over a real httpx client for the fake and run `use(adapter)`."""
        async def go() -> T:
            logger = logging.getLogger(f"seatdesk.contract.{self.adapter_class.info.platform_id}")
            logger.setLevel(logging.DEBUG)
            if log is not None:
                logger.addHandler(log)
            try:
                async with httpx.AsyncClient(timeout=10.0) as http:
                    ctx = AdapterContext(http=http, logger=logger, settings=fake.settings(),
                                         secrets=MemorySecrets(fake.secrets()),
                                         platform_shop_id=fake.platform_shop_id,
                                         webhooks=webhooks)
                    return await use(self.adapter_class(ctx))
            finally:
                if log is not None:
                    logger.removeHandler(log)
        return run(go())

    def drain_orders(self, fake: FakePlatform, cursor: str | None = None
                     ) -> tuple[list[OrderEvent], str | None]:
        """Every page of the order feed from `cursor` until has_more is False."""
        async def use(adapter: PlatformAdapter) -> tuple[list[OrderEvent], str | None]:
            events: list[OrderEvent] = []
            at = cursor
            for _ in range(self.page_limit):
                page: Page[OrderEvent] = await adapter.fetch_orders(at)
                events.extend(page.events)
                at = page.next_cursor if page.next_cursor is not None else at
                if not page.has_more:
                    return events, at
            raise AssertionError(f"the order feed did not end after {self.page_limit} pages")
        return self.call(fake, use)

    @property
    def caps(self) -> frozenset[Capability]:
        return self.adapter_class.info.capabilities

    # -- metadata ------------------------------------------------------------------------------
    def test_declares_the_current_api_version_and_itself(self) -> None:
        info = self.adapter_class.info
        assert API_VERSION in info.api_versions
        assert info.platform_id and info.platform_id == info.platform_id.strip().lower()
        assert info.display_name
        assert any(f.name == "base_url" for f in info.settings), \
            "every adapter accepts a gateway base-URL override (a SettingField 'base_url')"
        values = [f.value for f in info.flags]
        assert len(values) == len(set(values)), "flag values must be unique"
        if Capability.REMARKS in info.capabilities:
            assert info.memo_max_chars or info.memo_max_bytes, "declare the memo length limit"

    def test_each_declared_capability_is_implemented(self, fake: FakePlatform) -> None:
        cls = self.adapter_class
        needs = {
            Capability.PUSH: ["push"],
            Capability.OAUTH: ["authorize_url", "exchange_code", "refresh_tokens"],
            Capability.BUYER_TAGS: ["set_buyer_tags"],
        }
        for cap, names in needs.items():
            if cap in self.caps:
                for name in names:
                    assert callable(getattr(cls, name, None)), f"{cap.value} declared: {name} missing"
        for name in ("check_connection", "fetch_messages", "fetch_orders", "send_message",
                     "set_remark", "transfer"):
            assert callable(getattr(cls, name, None)), f"{name} missing"
        if Capability.OAUTH in self.caps:
            url = cls.authorize_url(fake.settings(), fake.secrets(),  # type: ignore[attr-defined]
                                    "urn:ietf:wg:oauth:2.0:oob", "st4te")
            assert url.startswith("http") and "st4te" in url

    def test_imports_without_qt(self) -> None:
        module = self.adapter_class.__module__
        code = ("import sys; sys.modules['PySide6'] = None; "
                f"import {module}; assert 'PySide6' not in [m for m in sys.modules if sys.modules[m]]")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr

    # -- the order feed --------------------------------------------------------------------------
    def test_order_feed_pages_to_the_end_and_resumes_from_its_cursor(self, fake: FakePlatform) -> None:
        if Capability.ORDERS not in self.caps:
            pytest.skip("no orders capability")
        first = fake.add_orders(23)
        events, cursor = self.drain_orders(fake)
        seen = [e.platform_order_id for e in events]
        assert set(first) <= set(seen)
        later = fake.add_orders(3)
        fake.touch_order(first[0])
        again, _ = self.drain_orders(fake, cursor)
        ids = {e.platform_order_id for e in again}
        assert set(later) | {first[0]} <= ids, "the cursor must resume after what was read"
        assert len(ids & set(first[1:])) < len(first) - 1, "resuming must not re-read the whole feed"

    def test_replaying_the_order_feed_gives_the_same_ids(self, fake: FakePlatform) -> None:
        if Capability.ORDERS not in self.caps:
            pytest.skip("no orders capability")
        fake.add_orders(7)
        one, _ = self.drain_orders(fake)
        two, _ = self.drain_orders(fake)
        assert {e.platform_order_id for e in one} == {e.platform_order_id for e in two}

    def test_order_events_are_well_formed(self, fake: FakePlatform) -> None:
        if Capability.ORDERS not in self.caps:
            pytest.skip("no orders capability")
        fake.add_orders(5)
        events, _ = self.drain_orders(fake)
        flags = {f.value for f in self.adapter_class.info.flags}
        assert events
        for e in events:
            assert isinstance(e, OrderEvent) and e.platform_order_id and e.buyer_id
            assert isinstance(e.status, OrderStatus) and e.raw_status
            assert isinstance(e.total, Decimal) and len(e.currency) == 3 and e.currency.isupper()
            for moment in (e.created_at, e.updated_at, e.paid_at, e.shipped_at):
                assert moment is None or (isinstance(moment, datetime) and moment.tzinfo is not None)
            assert e.seller_flag is None or not flags or e.seller_flag in flags
            assert all(isinstance(i.unit_price, Decimal) and i.quantity > 0 for i in e.items)

    def test_message_feed_if_declared(self, fake: FakePlatform) -> None:
        if Capability.MESSAGES not in self.caps:
            pytest.skip("no chat messages: the platform's open API does not offer them")
        ids = fake.add_messages(5)

        async def use(adapter: PlatformAdapter) -> list[MessageEvent]:
            events: list[MessageEvent] = []
            cursor = None
            for _ in range(self.page_limit):
                page = await adapter.fetch_messages(cursor)
                events.extend(page.events)
                cursor = page.next_cursor or cursor
                if not page.has_more:
                    return events
            raise AssertionError("the message feed did not end")
        events = self.call(fake, use)
        assert set(ids) <= {e.platform_msg_id for e in events}
        assert all(e.sent_at.tzinfo is not None for e in events)

    # -- commands --------------------------------------------------------------------------------
    def test_remark_is_idempotent_per_key(self, fake: FakePlatform) -> None:
        if Capability.REMARKS not in self.caps:
            pytest.skip("no remarks capability")
        order_id = fake.add_orders(1)[0]
        flag = self.adapter_class.info.flags[-1].value if self.adapter_class.info.flags else None
        cmd = SetRemark("contract-key-1", order_id, "客户要求改地址 —— 小王", flag)

        async def twice(adapter: PlatformAdapter) -> None:
            await adapter.set_remark(cmd)
            await adapter.set_remark(cmd)
        self.call(fake, twice)
        memo, stored_flag = fake.memo(order_id)
        assert memo == cmd.text
        assert flag is None or stored_flag == flag

    def test_undeclared_commands_are_refused_plainly(self, fake: FakePlatform) -> None:
        from .commands import SendMessage, Transfer
        from .errors import Rejected

        if Capability.SEND not in self.caps:
            with pytest.raises((Rejected, NotImplementedError)):
                self.call(fake, lambda a: a.send_message(SendMessage("k", "c", "b", "在吗")))
        if Capability.TRANSFER not in self.caps:
            with pytest.raises((Rejected, NotImplementedError)):
                self.call(fake, lambda a: a.transfer(Transfer("k", "c", "someone")))

    # -- push ------------------------------------------------------------------------------------
    push_settle_s: ClassVar[float] = 0.3  # a stream's time to connect before the order changes

    @staticmethod
    def _webhooks(fake: FakePlatform) -> WebhookQueue | None:
        if callable(getattr(fake, "webhook_for", None)):
            return WebhookQueue("https://hooks.example.test/webhooks/contract")
        return None

    def _watch_push(self, fake: FakePlatform, hooks: WebhookQueue | None,
                    act: Callable[[], Awaitable[WebhookReply | None]], *, until_order: str | None,
                    wait_s: float) -> tuple[list[object], WebhookReply | None]:
        """Run the adapter's push while `act` happens; collect what it yields until the
        order `until_order` comes (or `wait_s` passes)."""
        async def use(adapter: PlatformAdapter) -> tuple[list[object], WebhookReply | None]:
            stream = adapter.push()  # type: ignore[attr-defined]
            seen: list[object] = []
            arrived = asyncio.Event()

            async def collect() -> None:
                async for event in stream:
                    seen.append(event)
                    if isinstance(event, OrderEvent) and event.platform_order_id == until_order:
                        arrived.set()
            task = asyncio.ensure_future(collect())
            try:
                await asyncio.sleep(self.push_settle_s)
                if task.done():
                    task.result()  # the stream ended early: show why
                reply = await act()
                try:
                    await asyncio.wait_for(arrived.wait(), wait_s)
                except asyncio.TimeoutError:
                    pass
                if task.done() and not arrived.is_set():
                    task.result()
                return seen, reply
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await stream.aclose()
        return self.call(fake, use, webhooks=hooks)

    def test_push_delivers_a_changed_order_if_declared(self, fake: FakePlatform) -> None:
        if Capability.PUSH not in self.caps:
            pytest.skip("no push capability")
        order_id = fake.add_orders(1)[0]
        hooks = self._webhooks(fake)
        assert self.adapter_class.info.push_by_webhook == (hooks is not None), \
            "PlatformInfo.push_by_webhook says whether the fake's push comes as webhook_for deliveries"

        async def act() -> WebhookReply | None:
            fake.touch_order(order_id)
            if hooks is None:
                return None
            headers, body = fake.webhook_for(order_id)  # type: ignore[attr-defined]
            return await hooks.deliver(headers, body)
        seen, reply = self._watch_push(fake, hooks, act, until_order=order_id, wait_s=15.0)
        assert reply is None or 200 <= reply.status < 300, f"a genuine delivery was answered {reply}"
        orders = [e for e in seen if isinstance(e, OrderEvent) and e.platform_order_id == order_id]
        assert orders, f"push did not yield the changed order {order_id}; it yielded {seen!r}"
        assert orders[0].buyer_id and isinstance(orders[0].status, OrderStatus)

    def test_a_forged_webhook_is_refused(self, fake: FakePlatform) -> None:
        hooks = self._webhooks(fake)
        if Capability.PUSH not in self.caps or hooks is None:
            pytest.skip("no webhook push")
        order_id = fake.add_orders(1)[0]
        headers, body = fake.webhook_for(order_id)  # type: ignore[attr-defined]
        forged = body.replace(order_id.encode(), order_id.encode() + b"0", 1) if order_id.encode() in body \
            else body + b" "

        async def act() -> WebhookReply | None:
            return await hooks.deliver(headers, forged)
        seen, reply = self._watch_push(fake, hooks, act, until_order=None, wait_s=0.3)
        assert reply is not None and 400 <= reply.status < 500, f"a forged delivery was answered {reply}"
        assert not seen, f"a forged delivery yielded {seen!r}"

    def test_webhook_push_without_a_public_url_says_so(self, fake: FakePlatform) -> None:
        if Capability.PUSH not in self.caps or self._webhooks(fake) is None:
            pytest.skip("no webhook push")

        async def use(adapter: PlatformAdapter) -> None:
            with pytest.raises(PushUnavailable):
                async for _ in adapter.push():  # type: ignore[attr-defined]
                    pass
        self.call(fake, use)

    # -- errors ------------------------------------------------------------------------------------
    def test_an_expired_token_is_auth_expired(self, fake: FakePlatform) -> None:
        fake.expire_token()
        with pytest.raises(AuthExpired):
            self.call(fake, lambda a: a.check_connection())

    def test_the_call_limit_is_rate_limited_with_a_wait(self, fake: FakePlatform) -> None:
        fake.limit_calls(1)
        with pytest.raises(RateLimited) as raised:
            self.call(fake, lambda a: a.check_connection())
        assert raised.value.retry_after > 0

    def test_a_platform_outage_is_temporary(self, fake: FakePlatform) -> None:
        fake.fail(1)
        with pytest.raises(Temporary):
            self.call(fake, lambda a: a.check_connection())

    def test_secrets_never_reach_the_log(self, fake: FakePlatform) -> None:
        log = LogCapture()
        if Capability.ORDERS in self.caps:
            fake.add_orders(2)
            self.call(fake, lambda a: a.fetch_orders(None), log=log)
        fake.expire_token()
        with pytest.raises(AuthExpired):
            self.call(fake, lambda a: a.check_connection(), log=log)
        text = "\n".join(log.lines)
        for name, value in fake.secrets().items():
            if len(value) >= 6:
                assert value not in text, f"secret {name!r} appears in the adapter's log"


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "contract: the desktop.sdk adapter contract")
