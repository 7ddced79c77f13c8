"""Fixtures shared by the Pinduoduo tests: a fake platform on a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugins.pinduoduo.fake import ManualClock, PinduoduoFake

T0 = 1_714_528_800  # 2024-05-01 10:00:00 Beijing


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def fake(clock: ManualClock) -> Iterator[PinduoduoFake]:
    with PinduoduoFake(clock=clock) as fake:
        yield fake
