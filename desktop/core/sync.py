"""One shop's sync: pull both feeds with backoff, take pushed events, deliver its outbox."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from desktop.sdk import (
    AdapterContext,
    AdapterError,
    AuthExpired,
    Capability,
    PlatformAdapter,
    PushUnavailable,
    RateLimited,
    Rejected,
    SendMessage,
    Tokens,
)

from . import outbox
from .clock import now_ms
from .ingest import IngestResult, load_cursor
from .shops import Health, ShopConfig, set_push_state, touch_synced
from .views import ChangeNotice

if TYPE_CHECKING:
    from .engine import EngineRunner

log = logging.getLogger("seatdesk.engine.sync")

BACKOFF_START_S = 1.0
BACKOFF_CAP_S = 60.0
NEEDS_LOGIN_RECHECK_S = 60.0
SYNCED_EVERY_S = 5.0  # a shop's last_sync_at is written at most this often (one writer for all)
PUSH_TRUSTED_AFTER_S = 10.0  # a push running this long without failing slows the pulls down


class Backoff:
    """Exponential backoff with jitter, reset by a success."""

    def __init__(self) -> None:
        self.failures = 0

    def next_delay(self) -> float:
        self.failures += 1
        base = min(BACKOFF_CAP_S, BACKOFF_START_S * 2 ** (self.failures - 1))
        return float(base * random.uniform(0.8, 1.2))

    def reset(self) -> None:
        self.failures = 0


class ShopSync:
    def __init__(self, runner: EngineRunner, shop: ShopConfig,
                 adapter_cls: type[PlatformAdapter]) -> None:
        self.runner = runner
        self.shop = shop
        self.info = adapter_cls.info
        self.http = runner.new_http_client()
        self.has_push = Capability.PUSH in self.info.capabilities
        self.webhooks = runner.open_webhooks(shop.id, shop.platform) if self.has_push else None
        ctx = AdapterContext(
            http=self.http,
            logger=logging.getLogger(f"seatdesk.plugin.{shop.platform}"),
            settings=dict(shop.settings),
            secrets=runner.secrets.scoped(shop.secret_ref),
            platform_shop_id=shop.platform_shop_id,
            webhooks=self.webhooks,
        )
        self.adapter = adapter_cls(ctx)
        self.adapter_secrets = ctx.secrets
        self._refreshing = asyncio.Lock()
        self._token_generation = 0
        self.tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._failing: dict[str, str] = {}  # feed → error, for the health summary
        self._synced_at = float("-inf")  # loop time last_sync_at was last written
        self._push_since: float | None = None  # loop time the running push started; None: not running

    def start(self) -> list[asyncio.Task[None]]:
        caps = self.info.capabilities
        loop = asyncio.get_running_loop()
        tasks = []
        if Capability.MESSAGES in caps:
            tasks.append(loop.create_task(self._pull("messages", 0.0)))
        if Capability.ORDERS in caps:
            tasks.append(loop.create_task(self._pull("orders", 2.0)))
        if self.has_push:
            tasks.append(loop.create_task(self._push()))
        if Capability.OAUTH in caps and any(callable(getattr(self.adapter, name, None))
                                          for name in ("refresh_tokens", "authorize_self")):
            tasks.append(loop.create_task(self._keep_token_fresh()))
        self.tasks = tasks
        return tasks

    async def stop(self) -> None:
        """Stop this shop's loops (the shop is re-added or removed while running)."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.aclose()

    async def aclose(self) -> None:
        if self.webhooks is not None:
            self.runner.close_webhooks(self.shop.id, self.webhooks)
        await self.http.aclose()

    def interval(self, floor: float = 0.0) -> float:
        """Seconds between pulls: the slow safety pace while push has been running for a
        while, the normal pace without push or while it is down."""
        since = self._push_since
        trusted = since is not None and asyncio.get_running_loop().time() - since >= PUSH_TRUSTED_AFTER_S
        return max(self.runner.push_poll_interval if trusted else self.runner.poll_interval, floor)

    # -- pulling ------------------------------------------------------------------
    async def _pull(self, feed: str, floor: float) -> None:
        runner, shop = self.runner, self.shop
        cursor = await runner.write(_load_cursor, runner.db, shop.id, feed)
        backoff = Backoff()
        fetch = self.adapter.fetch_messages if feed == "messages" else self.adapter.fetch_orders
        ingest = (runner.ingestor.ingest_messages if feed == "messages"
                  else runner.ingestor.ingest_orders)
        while True:
            try:
                page = await fetch(cursor)
                result = await runner.write(ingest, shop.id, shop.platform, page.events,
                                            page.next_cursor)
                cursor = page.next_cursor
                self._publish(result)
                backoff.reset()
                await self._ok(feed)
                if page.has_more:
                    continue
                # Spread the shops' pulls over the interval: forty safety pulls at
                # one instant stall the UI thread for ~0.3 s (bench_latency).
                delay = self.interval(floor) * random.uniform(0.5, 1.5)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is a health state
                delay = await self._failed(feed, exc, backoff)
            await self._sleep(delay)

    async def _sleep(self, delay: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        except asyncio.TimeoutError:
            pass

    async def _ok(self, feed: str) -> None:
        self._failing.pop(feed, None)
        now = asyncio.get_running_loop().time()
        if now - self._synced_at >= SYNCED_EVERY_S:  # "last sync" to the second is no use
            self._synced_at = now
            await self.runner.write(touch_synced, self.runner.db, self.shop.id)
        if not self._failing:
            await self.runner.report_health(self.shop.id, Health.CONNECTED)

    async def _failed(self, feed: str, exc: Exception, backoff: Backoff) -> float:
        """Map an error to the shop's health; return how long to wait."""
        shop_id = self.shop.id
        detail = f"{feed}: {type(exc).__name__}: {exc}"
        self._failing[feed] = detail
        if isinstance(exc, RateLimited):
            until = now_ms() + int(exc.retry_after * 1000)
            await self.runner.report_health(shop_id, Health.RATE_LIMITED, detail, until)
            return max(exc.retry_after, 0.05)
        if isinstance(exc, AuthExpired):
            if await self.refresh_token():  # an OAuth token that just ran out: renew, go on
                self._failing.pop(feed, None)
                return 0.0
            await self.runner.report_health(shop_id, Health.NEEDS_LOGIN, detail)
            return NEEDS_LOGIN_RECHECK_S
        if not isinstance(exc, AdapterError):
            # not a typed adapter error: a bug in an adapter or in ingest; keep the trace
            log.error("shop %s %s sync failed unexpectedly", shop_id, feed, exc_info=exc)
        await self.runner.report_health(shop_id, Health.DEGRADED, detail)
        return backoff.next_delay()

    # -- OAuth tokens ----------------------------------------------------------------
    async def refresh_token(self) -> bool:
        """Ask the adapter for fresh tokens (it keeps them via ctx.secrets.set); keep
        their expiry beside them. One refresh at a time per shop; False if it failed
        or the platform has no refresh."""
        secrets = self.adapter_secrets
        refresh = getattr(self.adapter, "refresh_tokens", None)
        if refresh is None or not secrets.get("refresh_token"):
            # No refresh token (a self-use app, or a token pasted from the back office):
            # ask for a new one the self-use way where the adapter has one (Shopify's client
            # credentials grant, 抖店's authorization_self); when that is refused too, the
            # shop needs a new login.
            refresh = getattr(self.adapter, "authorize_self", None)
            if refresh is None:
                return False
        seen = self._token_generation
        async with self._refreshing:
            if self._token_generation != seen:  # another loop just refreshed: use that
                return True
            try:
                tokens = await refresh()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the shop then needs a new login
                log.info("shop %s: token refresh failed: %s", self.shop.id, exc)
                return False
            await self.runner.write(store_tokens, secrets, tokens)
            self._token_generation += 1
            log.info("shop %s: access token refreshed", self.shop.id)
            return True

    async def _keep_token_fresh(self) -> None:
        """Refresh REFRESH_AHEAD_S before the stored expiry, so pulls never meet an
        expired token (platforms reject the call that finds out)."""
        while True:
            expires = parse_expiry(self.adapter_secrets.get(TOKEN_EXPIRES_AT))
            if expires is None:
                await asyncio.sleep(TOKEN_CHECK_S)
                continue
            wait = expires - now_ms() / 1000 - REFRESH_AHEAD_S
            if wait > 0:
                await asyncio.sleep(min(wait, TOKEN_CHECK_S))
                continue
            if not await self.refresh_token():
                await asyncio.sleep(TOKEN_CHECK_S)

    # -- push ----------------------------------------------------------------------
    async def _push(self) -> None:
        """Hand pushed events to the engine's one push writer as they come.
        The pull loops stay the source of truth (their cursors), so a lost push
        only delays an event until the next pull. PushUnavailable ends push for this
        shop (it is polled at the normal pace); anything else is retried with backoff."""
        backoff = Backoff()
        loop = asyncio.get_running_loop()
        await self._push_state("live")
        while True:
            self._push_since = loop.time()
            try:
                async for event in self.adapter.push():  # type: ignore[attr-defined]
                    self.runner.pushed(self.shop, event)
                    backoff.reset()
                reason = "the push stream ended"
            except asyncio.CancelledError:
                raise
            except PushUnavailable as exc:
                self._push_stopped()
                log.info("shop %s: no push (%s); polling instead", self.shop.id, exc.reason)
                await self._push_state("off", exc.reason)
                return
            except Exception as exc:  # noqa: BLE001
                reason = f"{type(exc).__name__}: {exc}"
                if isinstance(exc, AuthExpired):
                    await self.refresh_token()  # the pulls report needs_login if it does not help
            self._push_stopped()
            log.info("shop %s push interrupted: %s", self.shop.id, reason)
            await self._push_state("retrying", reason)
            await asyncio.sleep(backoff.next_delay())
            await self._push_state("live")

    def _push_stopped(self) -> None:
        self._push_since = None
        self._wake.set()  # the pull loops go now, at the normal pace
        self._wake.clear()

    async def _push_state(self, state: str, detail: str = "") -> None:
        await self.runner.write(set_push_state, self.runner.db, self.shop.id, state,
                                self.runner.secrets.redact(detail))
        self.runner.emit(ChangeNotice(shops=frozenset({self.shop.id})))

    def _publish(self, result: IngestResult) -> None:
        self.runner.ingested(result)

    # -- outbox delivery ---------------------------------------------------------------
    async def deliver(self, item: outbox.DueItem) -> ChangeNotice:
        runner, db = self.runner, self.runner.db
        cmd = item.command
        try:
            if isinstance(cmd, SendMessage):
                platform_id: str | None = await self.adapter.send_message(cmd)
            elif item.kind == "set_remark":
                await self.adapter.set_remark(cmd)  # type: ignore[arg-type]
                platform_id = None
            elif item.kind == "set_buyer_tags":
                set_tags = getattr(self.adapter, "set_buyer_tags", None)
                if set_tags is None:
                    raise Rejected(f"{self.shop.platform} does not keep buyer tags")
                await set_tags(cmd)
                platform_id = None
            else:
                await self.adapter.transfer(cmd)  # type: ignore[arg-type]
                platform_id = None
        except asyncio.CancelledError:
            raise
        except RateLimited as exc:
            until = now_ms() + int(exc.retry_after * 1000)
            await runner.report_health(self.shop.id, Health.RATE_LIMITED, str(exc), until)
            return await runner.write(outbox.mark_attempt_failed, db, item.id, str(exc),
                                      retry_in=exc.retry_after, count=False)
        except Rejected as exc:
            return await runner.write(outbox.mark_attempt_failed, db, item.id,
                                      f"rejected by the platform: {exc.reason}", retry_in=None)
        except AuthExpired as exc:
            await runner.report_health(self.shop.id, Health.NEEDS_LOGIN, str(exc))
            return await runner.write(outbox.mark_attempt_failed, db, item.id,
                                      f"needs login: {exc}", retry_in=30.0)
        except Exception as exc:  # noqa: BLE001 - Temporary and anything unexpected
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            give_up = item.attempts + 1 >= outbox.MAX_TEMPORARY_ATTEMPTS
            return await runner.write(
                outbox.mark_attempt_failed, db, item.id, runner.secrets.redact(error),
                retry_in=None if give_up else outbox.backoff_seconds(item.attempts + 1))
        return await runner.write(outbox.mark_done, db, item.id, platform_id)


def _load_cursor(db, shop_id: int, feed: str) -> str | None:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return load_cursor(conn, shop_id, feed)


def notice_of(result: IngestResult) -> ChangeNotice:
    touched = frozenset(result.conversations - result.new_conversations)
    return ChangeNotice(
        conversations=touched,
        new_conversations=frozenset(result.new_conversations),
        messages=frozenset(result.conversations | result.new_conversations),
        orders=frozenset(result.order_conversations),
        order_ids=frozenset(result.order_ids),
        buyer_messages=tuple(result.buyer_messages[-20:]),
    )


TOKEN_EXPIRES_AT = "token_expires_at"  # ISO time, kept in the keyring with the tokens
REFRESH_AHEAD_S = 600.0
TOKEN_CHECK_S = 3600.0


def store_tokens(secrets: Any, tokens: Tokens) -> None:
    """Keep what a refresh returned (the adapter may have stored some already)."""
    secrets.set("access_token", tokens.access_token)
    if tokens.refresh_token:
        secrets.set("refresh_token", tokens.refresh_token)
    for name, value in tokens.extra.items():
        secrets.set(name, value)
    if tokens.expires_at is not None:
        secrets.set(TOKEN_EXPIRES_AT, tokens.expires_at.isoformat())


def parse_expiry(text: str | None) -> float | None:
    """The stored expiry as epoch seconds, or None if there is none (or it is garbled)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
