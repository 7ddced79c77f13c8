"""Fixtures for the Taobao tests: a fake TOP gateway on loopback sharing a controllable clock with the adapter."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from desktop.sdk import AdapterContext, OrderEvent
from plugins.taobao.adapter import TaobaoAdapter
from plugins.taobao.fake import FakeClock, FakeSecrets, TaobaoFake

T = TypeVar("T")
Run = Callable[..., Any]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[TaobaoFake]:
    with TaobaoFake(seed=11, clock=clock) as fake:
        yield fake


@pytest.fixture
def run(fake: TaobaoFake, clock: FakeClock) -> Run:
    """`run(fn, settings=…, secrets=…, logger=…)` → `await fn(adapter)` on a fresh loop, over real HTTP."""

    def go(fn: Callable[[TaobaoAdapter], Awaitable[T]], *, settings: dict[str, object] | None = None,
           secrets: FakeSecrets | None = None, logger: logging.Logger | None = None) -> T:
        async def main() -> T:
            async with httpx.AsyncClient(timeout=5) as http:
                ctx = AdapterContext(
                    http=http,
                    logger=logger or logging.getLogger("seatdesk.plugin.taobao.test"),
                    settings={**fake.settings(), **(settings or {})},
                    secrets=secrets if secrets is not None else FakeSecrets(fake.secrets()),
                    platform_shop_id=fake.platform_shop_id,
                    clock=clock,
                )
                return await fn(TaobaoAdapter(ctx))

        return asyncio.run(main())

    return go


@pytest.fixture
def drain(run: Run) -> Callable[..., tuple[list[OrderEvent], str | None, int]]:
    """`drain(cursor=None, **settings)` → (events, last cursor, pages) until has_more is False."""

    def go(cursor: str | None = None, limit: int = 500, **settings: object) -> tuple[list[OrderEvent], str | None, int]:
        async def use(adapter: TaobaoAdapter) -> tuple[list[OrderEvent], str | None, int]:
            events: list[OrderEvent] = []
            at = cursor
            for pages in range(1, limit + 1):
                page = await adapter.fetch_orders(at)
                events.extend(page.events)
                at = page.next_cursor
                if not page.has_more:
                    return events, at, pages
            raise AssertionError("the feed did not end")

        return run(use, settings=settings)  # type: ignore[no-any-return]

    return go
