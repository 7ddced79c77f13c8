"""The desktop.sdk conformance kit against the Taobao adapter and its loopback fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.taobao.adapter import TaobaoAdapter
from plugins.taobao.fake import TaobaoFake


class TestTaobaoContract(AdapterContract):
    adapter_class = TaobaoAdapter

    @pytest.fixture
    def fake(self) -> Iterator[TaobaoFake]:
        with TaobaoFake(seed=3) as fake:
            yield fake
