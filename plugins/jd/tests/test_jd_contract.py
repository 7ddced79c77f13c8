"""The JD adapter passes the desktop.sdk conformance kit against the fake JD shop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.sdk.testing import AdapterContract
from plugins.jd.adapter import JdAdapter
from plugins.jd.fake import JdFake


class TestJdContract(AdapterContract):
    # PlatformAdapter lists push() as a protocol member, so an adapter without push
    # (no Capability.PUSH) is not structurally one for mypy, though the kit and the
    # engine only call push() when PUSH is declared.
    adapter_class = JdAdapter

    @pytest.fixture
    def fake(self) -> Iterator[JdFake]:
        with JdFake() as fake:  # real time: the kit's adapters use the default clock
            yield fake
