"""Fixtures for the Doudian tests: a fake shop on a clock the test controls, adapters on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugins.douyin.fake import DouyinFake
from plugins.douyin.tests.douyin_harness import Clock, Harness


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[DouyinFake]:
    with DouyinFake(clock=clock) as shop:
        yield shop


@pytest.fixture
def use(fake: DouyinFake, clock: Clock) -> Harness:
    return Harness(fake, clock)
