"""Fixtures for the Shopify adapter tests: one fake shop on a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugins.shopify.fake import ShopifyFake
from plugins.shopify.tests.shopify_harness import Clock, Harness


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shopify_fake(clock: Clock) -> Iterator[ShopifyFake]:
    with ShopifyFake(clock=clock) as fake:
        yield fake


@pytest.fixture
def shop(shopify_fake: ShopifyFake, clock: Clock) -> Harness:
    return Harness(shopify_fake, clock)
