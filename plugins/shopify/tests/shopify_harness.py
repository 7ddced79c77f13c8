"""Test helpers for the Shopify adapter: a settable clock shared by adapter and fake, and a
harness that runs an adapter over real loopback HTTP against the fake."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.sdk import OrderEvent, Page
from desktop.sdk.testing import AdapterHarness
from desktop.sdk.testing import Clock as BaseClock
from plugins.shopify.adapter import ShopifyAdapter

START = datetime(2026, 11, 2, 8, 0, 0, tzinfo=UTC)


class Clock(BaseClock):
    def __init__(self, now: datetime = START) -> None:
        super().__init__(now)


class Harness(AdapterHarness):
    adapter_class = ShopifyAdapter


def ids(pages: list[Page[OrderEvent]]) -> list[str]:
    return [e.platform_order_id for page in pages for e in page.events]
