"""Test helpers for the JD adapter: a settable clock shared by adapter and fake, and a harness
that runs an adapter over real loopback HTTP against the fake."""

from __future__ import annotations

from datetime import datetime

from desktop.sdk.testing import AdapterHarness
from desktop.sdk.testing import Clock as BaseClock
from plugins.jd.adapter import JdAdapter
from plugins.jd.protocol import CST

START = datetime(2024, 5, 1, 10, 0, 0, tzinfo=CST)


class Clock(BaseClock):
    def __init__(self, now: datetime = START) -> None:
        super().__init__(now)


class Harness(AdapterHarness):
    adapter_class = JdAdapter
