"""Helpers for the Doudian tests: a clock the test controls, and adapters run against the fake."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from desktop.sdk import AdapterContext
from desktop.sdk.push import WebhookQueue
from desktop.sdk.testing import MemorySecrets, run
from plugins.douyin.adapter import DouyinAdapter
from plugins.douyin.fake import DouyinFake

T = TypeVar("T")
T0 = 1_718_000_000  # 2024-06-10 14:13:20 CST


class Clock:
    """Unix seconds that move only when the test says so; shared by fake and adapter."""

    def __init__(self, start: float = T0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def aware(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)


class Harness:
    """Runs `await fn(adapter)` on a fresh loop against the fake, with chosen settings/secrets."""

    def __init__(self, fake: DouyinFake, clock: Clock) -> None:
        self.fake, self.clock = fake, clock
        self.secrets = MemorySecrets(fake.secrets())
        self.settings: dict[str, object] = fake.settings()
        self.webhooks: WebhookQueue | None = None  # set one to run push()

    def __call__(self, fn: Callable[[DouyinAdapter], Awaitable[T]], **settings: Any) -> T:
        async def go() -> T:
            async with httpx.AsyncClient(timeout=10.0) as http:
                ctx = AdapterContext(http=http, logger=logging.getLogger("seatdesk.plugin.douyin.test"),
                                     settings={**self.settings, **settings}, secrets=self.secrets,
                                     platform_shop_id=self.fake.platform_shop_id, clock=self.clock.aware,
                                     webhooks=self.webhooks)
                return await fn(DouyinAdapter(ctx))
        return run(go())
