"""The engine: an asyncio loop in its own thread running the sync of every shop this app
holds the lease on (team.py), and the outbox."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import httpx
from sqlalchemy import Engine, update

from .clock import now_ms
from .ingest import Ingestor
from .models import Conversation
from .registry import Registry
from .secrets import SecretStore
from .shops import Health, ShopConfig, load_shops, save_shop, set_health
from .sync import ShopSync, notice_of
from .team import LEASE_RETRY_S, NoticeListener, NoticePublisher, ShopLeases, conninfo, holder_name
from .views import ChangeNotice
from .webhooks import WebhookReceiver
from desktop.sdk.push import WebhookQueue
from desktop.sdk import (
    AdapterContext,
    Capability,
    Event,
    MessageEvent,
    OrderEvent,
    PlatformAdapter,
    Tokens,
)
from . import assign, autoreply, outbox
from .ingest import IngestResult

log = logging.getLogger("seatdesk.engine")

T = TypeVar("T")
ROUTING_TICK_S = 3.0  # return timers, heartbeats and seats that came back
ROUTING_MIN_GAP_S = 0.2
Listener = Callable[[ChangeNotice], None]
Watcher = Callable[[ChangeNotice, bool], None]  # (notice, heard from another app)


class DictSecrets:
    """Credentials being tried out, before they go to the keyring."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value


class EngineRunner:
    """Owns the engine thread. Everything that writes the store runs here, in
    order, on one serial database executor; the loop itself only waits on I/O."""

    def __init__(
        self, db: Engine, registry: Registry, secrets: SecretStore, *,
        poll_interval: float = 2.0, push_poll_interval: float = 15.0,
        webhooks: WebhookReceiver | None = None,
    ) -> None:
        self.db = db
        self.registry = registry
        self.secrets = secrets
        self.poll_interval = poll_interval
        self.push_poll_interval = push_poll_interval
        self.webhooks = webhooks  # the receiver for webhook-pushed platforms, when set up
        self.webhook_problem = ""  # why the receiver could not listen
        self.ingestor = Ingestor(db)
        self._watchers: list[Watcher] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="seatdesk-engine", daemon=True)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seatdesk-db")
        # Leases are claimed on their own thread: a takeover never waits behind an ingest.
        self._team_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seatdesk-team")
        link = conninfo(db)
        origin = uuid.uuid4().hex[:12]
        self.leases = ShopLeases(link, holder_name(origin))
        self._publisher = NoticePublisher(db, origin) if link else None
        self._listener = (NoticeListener(link, origin, self._heard, self._reconnected)
                          if link else None)
        self._leasing = asyncio.Lock()  # one lease pass at a time (the loop, an added shop)
        # shops held and started; None: held, but its plugin is missing or failed to start
        self._syncs: dict[int, ShopSync | None] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._outbox_wake: asyncio.Event | None = None
        self._routing_wake: asyncio.Event | None = None
        # the seat this app signs in as: the routing pass beats for it (assign.routing_pass)
        self.seat_id: int | None = None
        # chats whose buyer just wrote, for the auto-reply pass after routing (loop thread)
        self._auto_reply_due: set[int] = set()
        self._push_queue: asyncio.Queue[tuple[ShopConfig, Event]] | None = None
        self._started = threading.Event()
        self._stopping = False
        self._health: dict[int, tuple[str, str, int | None]] = {}

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()
        self._started.wait()
        if self.webhooks is not None:
            try:
                self.webhooks.start(self._loop)
            except (OSError, ValueError) as exc:  # the port is taken, the address is not ours
                self.webhook_problem = f"{self.webhooks.listen}: {exc}"
                log.error("webhook receiver not started: %s", self.webhook_problem)
                self.webhooks = None
        if self._publisher is not None and self._listener is not None:
            self._publisher.start()
            self._listener.start()
        asyncio.run_coroutine_threadsafe(self._start_shops(), self._loop).result()

    def stop(self, timeout: float = 10.0) -> None:
        if not self._thread.is_alive():
            return
        self._stopping = True
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout)
        except Exception:  # noqa: BLE001 - stopping must not raise
            log.exception("engine shutdown")
        if self.webhooks is not None:
            self.webhooks.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        self._writer.shutdown(wait=True)
        self._team_thread.shutdown(wait=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._outbox_wake = asyncio.Event()
        self._routing_wake = asyncio.Event()
        self._started.set()
        self._loop.run_forever()
        self._loop.close()

    async def _start_shops(self) -> None:
        self._push_queue = asyncio.Queue()
        # the shops first: the outbox would find them not connected and put items off
        await self._lease_pass()  # start() returns with every shop this app won syncing
        self._tasks.append(self._loop.create_task(self._outbox_loop(), name="outbox"))
        self._tasks.append(self._loop.create_task(self._push_writer(), name="push-writer"))
        self._tasks.append(self._loop.create_task(self._routing_loop(), name="routing"))
        self._tasks.append(self._loop.create_task(self._lease_loop(), name="leases"))

    async def _start_shop(self, shop: ShopConfig) -> None:
        self._syncs[shop.id] = None
        adapter_cls = self.registry.adapter(shop.platform)
        if adapter_cls is None:
            await self.report_health(shop.id, Health.DEGRADED,
                                     f"platform plugin {shop.platform!r} is not loaded")
            return
        try:
            sync = ShopSync(self, shop, adapter_cls)
            sync.start()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the others
            log.exception("shop %s: the %s plugin failed to start", shop.id, shop.platform)
            await self.report_health(shop.id, Health.DEGRADED,
                                     f"the {shop.platform} plugin failed: {type(exc).__name__}: {exc}")
            return
        self._syncs[shop.id] = sync

    async def _stop_shop(self, shop_id: int) -> None:
        sync = self._syncs.pop(shop_id, None)
        self._health.pop(shop_id, None)
        if sync is not None:
            await sync.stop()

    async def _shutdown(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for shop_id in list(self._syncs):
            await self._stop_shop(shop_id)
        await self._loop.run_in_executor(self._team_thread, self._leave_team)

    def _leave_team(self) -> None:
        """The last notices go out, then the leases go (closing the session drops them)."""
        if self._listener is not None and self._publisher is not None:
            self._listener.close()
            self._publisher.close()
        self.leases.close()

    # -- leases: which shops this app syncs ---------------------------------------------
    async def _lease_loop(self) -> None:
        """Every LEASE_RETRY_S: try for the shops nobody syncs (their app quit or died),
        notice a lost lease connection, follow shops added, enabled or disabled."""
        while True:
            await asyncio.sleep(LEASE_RETRY_S)
            try:
                await self._lease_pass()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next pass tries again
                log.exception("lease pass")

    async def _lease_pass(self, restart: int | None = None) -> None:
        """Claim every enabled shop; start the ones won (and `restart`, re-added with new
        credentials), stop the ones lost."""
        async with self._leasing:
            if restart is not None:
                await self._stop_shop(restart)
            shops = {s.id: s for s in await self._loop.run_in_executor(
                self._team_thread, partial(load_shops, self.db))}
            wanted = [i for i, shop in shops.items() if self._can_sync(shop)]
            change = await self._loop.run_in_executor(
                self._team_thread, self.leases.claim, wanted)
            for shop_id in sorted(change.lost):
                await self._stop_shop(shop_id)
            for shop_id in sorted(self.leases.owned - self._syncs.keys()):
                await self._start_shop(shops[shop_id])
        if change.gained:
            self.wake_outbox()  # another app may have queued rows for them
        if change:
            self.emit(ChangeNotice(shops=change.gained | change.lost))

    def _can_sync(self, shop: ShopConfig) -> bool:
        """In team mode an app competes only for shops whose credentials its own keyring
        holds: holding the lease without them would leave the shop unsynced for everyone.
        (Solo: every shop, so one without credentials shows "needs login".)"""
        if not self.leases.team:
            return True
        adapter_cls = self.registry.adapter(shop.platform)
        if adapter_cls is None:
            return False  # another app may have the plugin
        fields = adapter_cls.info.credential_fields
        return not fields or self.secrets.get(shop.secret_ref, fields[0].name) is not None

    def synced_shops(self) -> frozenset[int]:
        """The shops this app syncs (all enabled ones when solo); any thread."""
        return self.leases.owned

    # -- plumbing shared with ShopSync ----------------------------------------------
    async def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store function on the serial database executor."""
        return await self._loop.run_in_executor(self._writer, partial(fn, *args, **kwargs))

    def emit(self, notice: ChangeNotice) -> None:
        """Tell this app's listeners, and in team mode the other seats' apps, what changed."""
        if not notice:
            return
        if self._publisher is not None:
            self._publisher.publish(notice)
        self._dispatch(notice, remote=False)

    def _dispatch(self, notice: ChangeNotice, remote: bool) -> None:
        if notice.new_conversations or notice.conversations or notice.seats:
            self.wake_routing()  # a new or reopened chat, or a seat freed: route the queue
        for watcher in list(self._watchers):
            try:
                watcher(notice, remote)
            except Exception:  # noqa: BLE001 - a listener must not kill the engine
                log.exception("change listener failed")

    def _heard(self, notice: ChangeNotice) -> None:
        """Another seat's app changed something (listener thread)."""
        self._loop.call_soon_threadsafe(self._dispatch_remote, notice)

    def _dispatch_remote(self, notice: ChangeNotice) -> None:
        assert self._outbox_wake is not None
        self._outbox_wake.set()  # it may have queued outbox rows for a shop this app syncs
        self._dispatch(notice, remote=True)

    def _reconnected(self) -> None:
        """The listener (re)connected: notices may have been missed, look again — the
        outbox, routing, and this app's views (listener thread)."""
        self.wake_outbox()
        self.wake_routing()
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._dispatch, ChangeNotice(everything=True), True)

    async def report_health(self, shop_id: int, health: Health, detail: str = "",
                            until: int | None = None) -> None:
        state = (health.value, detail, until)
        if self._health.get(shop_id) == state:
            return
        self._health[shop_id] = state
        if detail:
            detail = self.secrets.redact(detail)
            log.info("shop %s: %s %s", shop_id, health.value, detail)
        await self.write(set_health, self.db, shop_id, health, detail, until)
        self.emit(ChangeNotice(shops=frozenset({shop_id})))

    def open_webhooks(self, shop_id: int, platform: str) -> WebhookQueue | None:
        """The shop's webhook deliveries, when the receiver listens (engine thread)."""
        return self.webhooks.open_shop(shop_id, platform) if self.webhooks is not None else None

    def close_webhooks(self, shop_id: int, queue: WebhookQueue) -> None:
        if self.webhooks is not None:
            self.webhooks.close_shop(shop_id, queue)

    def new_http_client(self) -> httpx.AsyncClient:
        # the read timeout leaves room for a push long-poll of up to 30 s
        return httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=45.0),
                                 limits=httpx.Limits(max_connections=8))

    def wake_outbox(self) -> None:
        if self._outbox_wake is not None:
            self._loop.call_soon_threadsafe(self._outbox_wake.set)

    def wake_routing(self) -> None:
        if self._routing_wake is not None:
            self._loop.call_soon_threadsafe(self._routing_wake.set)

    # -- routing -------------------------------------------------------------------------
    async def _routing_loop(self) -> None:
        """Assign waiting chats to free seats, hand back chats whose return timer ran out,
        keep this app's seat alive (heartbeat): on every wake-up, and every few seconds."""
        assert self._routing_wake is not None
        while True:
            self._routing_wake.clear()
            try:
                self.emit(await self.write(assign.routing_pass, self.db, now_ms(), self.seat_id))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - routing must keep running
                log.exception("routing pass")
            await self._auto_reply_pass()
            await asyncio.sleep(ROUTING_MIN_GAP_S)  # a burst of wake-ups is one pass
            try:
                await asyncio.wait_for(self._routing_wake.wait(), timeout=ROUTING_TICK_S)
            except asyncio.TimeoutError:
                pass

    # -- auto-replies ------------------------------------------------------------------------
    def ingested(self, result: IngestResult) -> None:
        """A batch of this app's ingest is stored (loop thread): announce it, and note the
        chats whose buyer wrote for the auto-reply pass, which runs after routing has
        had its go at them (a chat a seat now holds is not "busy")."""
        if result.buyer_messages:
            self._auto_reply_due.update(cid for cid, _nick, _text in result.buyer_messages)
        self.emit(notice_of(result))

    async def _auto_reply_pass(self) -> None:
        if not self._auto_reply_due:
            return
        due, self._auto_reply_due = self._auto_reply_due, set()
        sendable = frozenset(info.platform_id for info in self.registry.platforms()
                             if Capability.SEND in info.capabilities)
        try:
            notice = await self.write(autoreply.reply_pass, self.db, sorted(due), now_ms(),
                                      sendable)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a failed pass must not stop routing
            log.exception("auto-reply pass")
            return
        if notice:
            self.emit(notice)
            self.wake_outbox()

    # -- pushed events -----------------------------------------------------------------
    def pushed(self, shop: ShopConfig, event: Event) -> None:
        """A shop's push stream delivered an event (engine thread)."""
        assert self._push_queue is not None
        self._push_queue.put_nowait((shop, event))

    async def _push_writer(self) -> None:
        """Everything pushed while the previous batch was being written goes into
        the next one, across shops: one transaction, one notice."""
        assert self._push_queue is not None
        queue = self._push_queue
        while True:
            batch = [await queue.get()]
            while not queue.empty():
                batch.append(queue.get_nowait())
            groups: dict[int, tuple[int, str, list[MessageEvent], list[OrderEvent]]] = {}
            for shop, event in batch:
                group = groups.setdefault(shop.id, (shop.id, shop.platform, [], []))
                if isinstance(event, MessageEvent):
                    group[2].append(event)
                else:
                    group[3].append(event)
            try:
                result = await self.write(self.ingestor.ingest_groups, list(groups.values()))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the pull loops will bring them in
                log.exception("ingest of %d pushed events failed", len(batch))
                continue
            self.ingested(result)

    # -- outbox ------------------------------------------------------------------------
    async def _outbox_loop(self) -> None:
        """Deliver the due items of the shops this app syncs (another app delivers the rest)."""
        assert self._outbox_wake is not None
        while True:
            try:
                shops = self.leases.owned if self.leases.team else None
                items = await self.write(outbox.due, self.db, now_ms(), shop_ids=shops)
                if items:
                    await asyncio.gather(*(self._deliver(item) for item in items))
                    continue
                next_at = await self.write(outbox.next_due_at, self.db, shop_ids=shops)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - keep delivering whatever happens
                log.exception("outbox loop")
                next_at = now_ms() + 1000
            delay = 5.0 if next_at is None else max(0.0, (next_at - now_ms()) / 1000)
            self._outbox_wake.clear()
            try:
                await asyncio.wait_for(self._outbox_wake.wait(), timeout=min(delay, 5.0))
            except asyncio.TimeoutError:
                pass

    async def _deliver(self, item: outbox.DueItem) -> None:
        if item.shop_id not in self._syncs and self.leases.team:
            return  # the shop went to another seat's app since `due`: that app delivers it
        sync = self._syncs.get(item.shop_id)
        if sync is None:
            self.emit(await self.write(
                outbox.mark_attempt_failed, self.db, item.id,
                "the shop is not connected (disabled or plugin missing)",
                retry_in=30.0, count=False))
            return
        self.emit(await sync.deliver(item))

    def _notify_conv(self, conv: int | None) -> None:
        if conv is not None:
            self.emit(ChangeNotice(messages=frozenset({conv}), conversations=frozenset({conv})))

    # -- commands from the UI (any thread) -----------------------------------------------
    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def submit_send(self, conversation_id: int, text: str, author: str,
                    seat_id: int | None = None) -> Future[int]:
        async def run() -> int:
            msg_id, _ = await self.write(outbox.queue_send, self.db, conversation_id, text, author,
                                         seat_id)
            self._notify_conv(conversation_id)
            self._outbox_wake.set()  # type: ignore[union-attr]
            return msg_id
        return self._submit(run())

    def submit_remark(self, order_id: int, text: str, flag: int | None, author: str,
                      memo: str | None = None, at_ms: int | None = None) -> Future[int]:
        async def run() -> int:
            remark_id = await self.write(outbox.queue_remark, self.db, order_id, text, flag,
                                         author, memo, at_ms)
            self.emit(ChangeNotice(order_ids=frozenset({order_id})))
            self._outbox_wake.set()  # type: ignore[union-attr]
            return remark_id
        return self._submit(run())

    def submit_write(self, fn: Callable[..., T], *args: Any,
                     notice: Callable[[T], ChangeNotice] | None = None,
                     wake_outbox: bool = False) -> Future[T]:
        """Run a store function on the writer and announce what it changed:
        `notice(result)` → the ChangeNotice to emit. `wake_outbox`: it may have
        queued outbox rows, deliver them now."""
        async def run() -> T:
            result = await self.write(fn, *args)
            if notice is not None:
                self.emit(notice(result))
            if wake_outbox:
                self._outbox_wake.set()  # type: ignore[union-attr]
            return result
        return self._submit(run())

    def submit_retry(self, outbox_id: int) -> Future[None]:
        async def run() -> None:
            self.emit(await self.write(outbox.retry, self.db, outbox_id))
            self._outbox_wake.set()  # type: ignore[union-attr]
        return self._submit(run())

    def submit_mark_read(self, conversation_id: int) -> Future[None]:
        def mark(db: Engine) -> None:
            with db.begin() as conn:
                conn.execute(update(Conversation).where(Conversation.id == conversation_id)
                             .values(unread_count=0))

        async def run() -> None:
            await self.write(mark, self.db)
            self.emit(ChangeNotice(conversations=frozenset({conversation_id})))
        return self._submit(run())

    def submit_close(self, conversation_id: int) -> Future[None]:
        async def run() -> None:
            self.emit(await self.write(assign.close_chat, self.db, conversation_id))
        return self._submit(run())

    # -- shops added while running ------------------------------------------------------
    def _probe_adapter(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                       settings: Mapping[str, object], http: httpx.AsyncClient) -> PlatformAdapter:
        adapter_cls = self.registry.adapter(platform)
        if adapter_cls is None:
            raise LookupError(f"platform plugin {platform!r} is not loaded")
        ctx = AdapterContext(http=http, logger=logging.getLogger(f"seatdesk.plugin.{platform}"),
                             settings=dict(settings), secrets=DictSecrets(credentials),
                             platform_shop_id=platform_shop_id)
        return adapter_cls(ctx)

    def submit_probe(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                     settings: Mapping[str, object]) -> Future[None]:
        """A live connection test of credentials not saved yet: the adapter's
        check_connection, raising its typed error."""
        async def run() -> None:
            async with self.new_http_client() as http:
                adapter = self._probe_adapter(platform, platform_shop_id, credentials, settings, http)
                await adapter.check_connection()
        return self._submit(run())

    def submit_oauth_exchange(self, platform: str, platform_shop_id: str,
                              credentials: Mapping[str, str], settings: Mapping[str, object],
                              code: str, redirect_uri: str) -> Future[Tokens]:
        """The pasted authorization code → tokens (the adapter's exchange_code)."""
        return self._submit(self._token_step(platform, platform_shop_id, credentials, settings,
                                             "exchange_code", code, redirect_uri))

    def submit_oauth_self(self, platform: str, platform_shop_id: str,
                          credentials: Mapping[str, str], settings: Mapping[str, object]) -> Future[Tokens]:
        """A self-use app's token, issued for the shop without a code (authorize_self)."""
        return self._submit(self._token_step(platform, platform_shop_id, credentials, settings,
                                             "authorize_self"))

    async def _token_step(self, platform: str, platform_shop_id: str, credentials: Mapping[str, str],
                          settings: Mapping[str, object], method: str, *args: str) -> Tokens:
        async with self.new_http_client() as http:
            adapter = self._probe_adapter(platform, platform_shop_id, credentials, settings, http)
            step = getattr(adapter, method, None)
            if step is None:
                raise LookupError(f"{platform} has no {method} step")
            tokens: Tokens = await step(*args)
            return tokens

    def submit_add_shop(self, platform: str, platform_shop_id: str, name: str,
                        credentials: Mapping[str, str], settings: Mapping[str, object]) -> Future[int]:
        """Save the shop (credentials to the keyring) and sync it now if this app wins its
        lease (re-added with new credentials: restart its sync)."""
        async def run() -> int:
            shop_id = await self.write(save_shop, self.db, self.secrets, platform=platform,
                                       platform_shop_id=platform_shop_id, name=name,
                                       credentials=credentials, settings=settings)
            await self._lease_pass(restart=shop_id)
            if shop_id not in self.leases.owned:
                log.info("shop %s is synced by another seat's app", shop_id)
            self.emit(ChangeNotice(shops=frozenset({shop_id})))
            return shop_id
        return self._submit(run())

    def add_listener(self, callback: Listener) -> None:
        self._watchers.append(lambda notice, _remote: callback(notice))

    def add_watcher(self, callback: Watcher) -> None:
        """A listener also told whether the notice came from another seat's app."""
        self._watchers.append(callback)

    def call(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run a store function on the writer, from any thread (CLI, tests)."""
        async def run() -> T:
            return await self.write(fn, *args)
        return self._submit(run())
