"""Fixtures for the JD adapter tests: one fake shop on a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from plugins.jd.tests.jd_harness import Clock, Harness

from plugins.jd.fake import JdFake


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def jd_fake(clock: Clock) -> Iterator[JdFake]:
    with JdFake(clock=clock) as fake:
        yield fake


@pytest.fixture
def jd(jd_fake: JdFake, clock: Clock) -> Harness:
    return Harness(jd_fake, clock)
