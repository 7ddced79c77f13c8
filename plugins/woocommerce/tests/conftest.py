"""Fixtures for the WooCommerce adapter tests: one fake site on a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from plugins.woocommerce.tests.woocommerce_harness import Clock, Harness

from plugins.woocommerce.fake import WooCommerceFake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wc_fake(clock: Clock) -> Iterator[WooCommerceFake]:
    with WooCommerceFake(clock=clock) as fake:
        yield fake


@pytest.fixture
def wc(wc_fake: WooCommerceFake, clock: Clock) -> Harness:
    return Harness(wc_fake, clock)
