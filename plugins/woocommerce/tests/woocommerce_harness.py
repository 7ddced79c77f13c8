"""Test helpers for the WooCommerce adapter: a settable clock shared by adapter and fake, and a
harness that runs an adapter over real loopback HTTP against the fake."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.sdk import OrderEvent, Page
from desktop.sdk.testing import AdapterHarness
from desktop.sdk.testing import Clock as BaseClock
from plugins.woocommerce.adapter import WooCommerceAdapter

START = datetime(2024, 5, 1, 2, 0, 0, tzinfo=UTC)


class Clock(BaseClock):
    def __init__(self, now: datetime = START) -> None:
        super().__init__(now)


class Harness(AdapterHarness):
    adapter_class = WooCommerceAdapter


def events_of(pages: list[Page[OrderEvent]]) -> list[OrderEvent]:
    return [event for page in pages for event in page.events]
