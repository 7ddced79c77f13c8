"""Test helpers for the WooCommerce adapter: a settable clock shared by adapter and fake, and a
harness that runs an adapter over real loopback HTTP against the fake."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import httpx

from desktop.sdk import AdapterContext, OrderEvent, Page
from desktop.sdk.testing import LogCapture, MemorySecrets, run
from plugins.woocommerce.adapter import WooCommerceAdapter
from plugins.woocommerce.fake import WooCommerceFake

T = TypeVar("T")
START = datetime(2024, 5, 1, 2, 0, 0, tzinfo=UTC)


class Clock:
    """`ctx.clock` and the fake's clock at once; tests move time by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Harness:
    def __init__(self, fake: WooCommerceFake, clock: Clock) -> None:
        self.fake, self.clock = fake, clock
        self.secrets = MemorySecrets(fake.secrets())
        self.log = LogCapture()

    def call(self, use: Callable[[WooCommerceAdapter], Awaitable[T]], **settings: object) -> T:
        async def go() -> T:
            logger = logging.getLogger("seatdesk.plugin.woocommerce.test")
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self.log)
            try:
                async with httpx.AsyncClient(timeout=10.0) as http:
                    ctx = AdapterContext(http=http, logger=logger, settings={**self.fake.settings(), **settings},
                                         secrets=self.secrets, platform_shop_id=self.fake.platform_shop_id,
                                         clock=self.clock)
                    return await use(WooCommerceAdapter(ctx))
            finally:
                logger.removeHandler(self.log)
        return run(go())

    def drain_orders(self, cursor: str | None = None, limit: int = 500,
                     **settings: object) -> tuple[list[Page[OrderEvent]], str | None]:
        async def use(adapter: WooCommerceAdapter) -> tuple[list[Page[OrderEvent]], str | None]:
            pages, at = [], cursor
            for _ in range(limit):
                page = await adapter.fetch_orders(at)
                pages.append(page)
                at = page.next_cursor
                if not page.has_more:
                    return pages, at
            raise AssertionError("the order feed did not end")
        return self.call(use, **settings)


def events_of(pages: list[Page[OrderEvent]]) -> list[OrderEvent]:
    return [event for page in pages for event in page.events]
