"""The Pinduoduo adapter passes the desktop.sdk conformance kit against its fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.pinduoduo.adapter import PinduoduoAdapter
from plugins.pinduoduo.fake import PinduoduoFake


class TestPinduoduoContract(AdapterContract):
    adapter_class = PinduoduoAdapter

    @pytest.fixture
    def fake(self) -> Iterator[PinduoduoFake]:
        with PinduoduoFake() as fake:
            yield fake
