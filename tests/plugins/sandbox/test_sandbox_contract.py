"""Both sandbox flavours pass the desktop.sdk conformance kit against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.sandbox.adapter import DouyinLikeAdapter, TaobaoLikeAdapter
from plugins.sandbox.fake import SandboxFake
from plugins.sandbox.protocol import PLATFORM_DY, PLATFORM_TB


class TestTaobaoLikeContract(AdapterContract):
    adapter_class = TaobaoLikeAdapter

    @pytest.fixture
    def fake(self) -> Iterator[SandboxFake]:
        with SandboxFake(PLATFORM_TB) as fake:
            yield fake


class TestDouyinLikeContract(AdapterContract):
    adapter_class = DouyinLikeAdapter

    @pytest.fixture
    def fake(self) -> Iterator[SandboxFake]:
        with SandboxFake(PLATFORM_DY) as fake:
            yield fake
